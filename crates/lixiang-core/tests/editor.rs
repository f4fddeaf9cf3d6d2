//! The application editor's desk over a real workspace: a blank draft for an imported call, saved as
//! typed (a half-typed date survives a save and a reopen), checked live, a file attached through the
//! blob store (an oversized one refused naming the limit), the list of the institute's applications,
//! and the submission summary whose hash is the one the sealed version carries.

use lixiang_core::application::desk;
use lixiang_core::call::{self, desk as calls, CallStatus};
use lixiang_core::identity::{self, keybox::KdfParams, Role};
use lixiang_core::import::{self, Trust};
use lixiang_core::package::{Limits, SecretKeys};
use lixiang_core::Workspace;
use std::path::Path;

fn party(dir: &Path, role: Role, name: &str) -> (Workspace, SecretKeys, String) {
    let mut ws = Workspace::open(dir).unwrap();
    let c = identity::create(&mut ws, role, name, "passphrase!", KdfParams::FOR_TESTS).unwrap();
    (ws, c.keys, c.info.fingerprint)
}

struct Desk {
    _tmp: tempfile::TempDir,
    dir: std::path::PathBuf,
    institute: Workspace,
    keys: SecretKeys,
    call: call::Call,
}

fn desk_with_call(programme: &str) -> Desk {
    let tmp = tempfile::tempdir().unwrap();
    let (mut office, office_keys, office_fp) = party(&tmp.path().join("office"), Role::Office, "科技厅");
    let (mut institute, keys, _) = party(&tmp.path().join("institute"), Role::Applicant, "农牧科学院");
    let mut demo = call::demo_calls().unwrap().into_iter().find(|c| c.programme == programme).unwrap();
    demo.status = CallStatus::Draft;
    calls::save_draft(&mut office, &demo).unwrap();
    calls::publish(&mut office, &demo.code, demo.opens_at).unwrap();
    let call_pkg = tmp.path().join("call.lxpkg");
    calls::export(&mut office, &office_keys, &demo.code, &call_pkg).unwrap();
    import::import_file(&mut institute, &call_pkg, None, &Trust::Fingerprint(office_fp), &Limits::default()).unwrap();
    let call = calls::get(&mut institute, &demo.code).unwrap();
    Desk { dir: tmp.path().to_path_buf(), _tmp: tmp, institute, keys, call }
}

#[test]
fn a_blank_draft_keeps_what_was_typed_even_when_it_does_not_parse() {
    let mut d = desk_with_call("ZX06");
    let mut form = desk::new_draft(&mut d.institute, &d.call.code).unwrap();
    assert_eq!(form.call_id, d.call.id.to_string());
    form.title = "高原牦牛𬌗齿研究".into();
    form.team[0].birth_date = "1985-13-".into();
    form.budget.requested.fiscal = "12.5".into();
    desk::save_form(&mut d.institute, &form).unwrap();

    let back = desk::get_form(&mut d.institute, &form.id).unwrap();
    assert_eq!(back, form, "the form reads back exactly as typed");
    let check = desk::check_form(&mut d.institute, &back, d.call.opens_at.local_date()).unwrap();
    let birth: Vec<_> = check.problems.iter().filter(|p| p.field == "team[0].birth_date").collect();
    assert_eq!(birth.len(), 1, "one problem on the half-typed date: {birth:?}");
    assert_eq!(birth[0].code, "form.date_invalid");
    assert_eq!(birth[0].section, "team");
    assert!(birth[0].message.zh.starts_with("【"), "named with its section: {}", birth[0].message.zh);
    assert!(check.errors > 0);
    assert_eq!(check.budget.requested.fiscal, "12.5000");

    // The draft cannot be sealed as it stands: the refusal names the field.
    let err = desk::get_draft(&mut d.institute, &form.id).unwrap_err();
    assert_eq!(err.code(), "application.refused");
    assert!(err.message(lixiang_core::Lang::Zh).contains("team[0].birth_date"));

    let mine = desk::my_applications(&mut d.institute).unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!((mine[0].state.as_str(), mine[0].title.as_str()), ("draft", "高原牦牛𬌗齿研究"));
    assert_eq!(mine[0].call_code, d.call.code);
}

#[test]
fn an_attached_file_is_stored_by_its_hash_and_an_oversized_one_is_refused() {
    let mut d = desk_with_call("ZX06");
    let rule = d.call.attachments.iter().find(|a| a.formats.iter().any(|f| f == "pdf")).unwrap().clone();
    let file = d.dir.join("承诺书.pdf");
    std::fs::write(&file, b"%PDF-1.7\n% test\n%%EOF\n").unwrap();
    let a = desk::attach_file(&mut d.institute, &d.call.code, &rule.code, &file).unwrap();
    assert_eq!(a.name, "承诺书.pdf");
    assert_eq!(a.media_type, "application/pdf");
    assert_eq!(a.size, std::fs::metadata(&file).unwrap().len());
    use sha2::Digest;
    assert_eq!(a.sha256, hex::encode(sha2::Sha256::digest(std::fs::read(&file).unwrap())));
    assert!(lixiang_core::blobs::BlobStore::new(d.institute.dir()).contains(&a.sha256));

    let big = d.dir.join("big.pdf");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(rule.max_bytes + 1).unwrap();
    let err = desk::attach_file(&mut d.institute, &d.call.code, &rule.code, &big).unwrap_err();
    assert_eq!(err.code(), "application.attachment_refused");
    assert!(err.message(lixiang_core::Lang::Zh).contains("最大"), "{}", err.message(lixiang_core::Lang::Zh));

    let err = desk::attach_file(&mut d.institute, &d.call.code, "no_such_rule", &file).unwrap_err();
    assert_eq!(err.code(), "application.attachment_refused");
}

#[test]
fn the_submission_summary_shows_the_hash_the_sealed_version_gets() {
    let mut d = desk_with_call("ZX06");
    let app = desk::new_demo_draft(&mut d.institute, &d.call.code).unwrap();
    let id = app.id.to_string();
    let at = d.call.opens_at;
    let preview = desk::submit_preview(&mut d.institute, &id, at).unwrap();
    assert!(preview.blocking.is_empty(), "{:?}", preview.blocking);
    assert_eq!(preview.attachments.len(), app.attachments.len());
    let out = d.dir.join("submission.lxpkg");
    let submitted = desk::submit(&mut d.institute, &d.keys, &id, at, &out).unwrap();
    assert_eq!(submitted.sha256, preview.sha256);
    let mine = desk::my_applications(&mut d.institute).unwrap();
    assert_eq!(mine[0].state, "submitted");
    assert_eq!(mine[0].sha256.as_deref(), Some(submitted.sha256.as_str()));

    // A draft with an error is summarised with what stops it.
    let mut form = desk::get_form(&mut d.institute, &id).unwrap();
    form.applicant.credit_code = "91540100MA6T0101XX".into();
    desk::save_form(&mut d.institute, &form).unwrap();
    let preview = desk::submit_preview(&mut d.institute, &id, at).unwrap();
    assert!(preview.blocking.iter().any(|p| p.field == "applicant.credit_code"), "{:?}", preview.blocking);
}

#[test]
fn today_is_the_date_in_beijing_even_before_08_00_when_utc_is_a_day_behind() {
    let mut d = desk_with_call("ZX06");
    let app = desk::new_demo_draft(&mut d.institute, &d.call.code).unwrap();
    let id = app.id.to_string();
    // 00:30 in Beijing on the day after the call opened: in UTC still the opening day.
    let opened = d.call.opens_at.shanghai_date();
    let next = lixiang_core::calendar::Moment::parse(&format!("{opened}T16:30:00Z")).unwrap();
    let beijing_today = next.shanghai_date();
    assert_ne!(beijing_today, next.local_date(), "UTC is a day behind at this moment");
    let mut form = desk::get_form(&mut d.institute, &id).unwrap();
    form.applicant.registered_on = beijing_today.to_string();
    desk::save_form(&mut d.institute, &form).unwrap();
    // Registered today in Beijing: not after today.
    let preview = desk::submit_preview(&mut d.institute, &id, next).unwrap();
    assert!(!preview.blocking.iter().any(|p| p.field == "applicant.registered_on"), "{:?}", preview.blocking);
}
