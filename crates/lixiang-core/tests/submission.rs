//! An application's whole trip through real package files: the office publishes a call, an institute
//! imports it, prepares and submits an application; the office imports the submission (after comparing
//! the institute's fingerprint) and gives it its 申报编号. Late and broken submissions are refused.

use lixiang_core::application::desk;
use lixiang_core::calendar::Moment;
use lixiang_core::call::{self, desk as calls, CallStatus};
use lixiang_core::identity::{self, keybox::KdfParams, Role};
use lixiang_core::import::{self, ImportOutcome, Trust};
use lixiang_core::package::{Limits, SecretKeys};
use lixiang_core::{CoreError, Workspace};
use std::path::Path;

fn party(dir: &Path, role: Role, name: &str) -> (Workspace, SecretKeys, String) {
    let mut ws = Workspace::open(dir).unwrap();
    let c = identity::create(&mut ws, role, name, "passphrase!", KdfParams::FOR_TESTS).unwrap();
    (ws, c.keys, c.info.fingerprint)
}

#[test]
fn an_open_competition_application_is_submitted_imported_and_numbered() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut office, office_keys, office_fp) = party(&tmp.path().join("office"), Role::Office, "科技厅");
    let (mut institute, inst_keys, inst_fp) = party(&tmp.path().join("institute"), Role::Applicant, "农牧科学院");

    let mut demo = call::demo_calls().unwrap().into_iter().find(|c| c.programme == "ZX06").unwrap();
    demo.status = CallStatus::Draft;
    calls::save_draft(&mut office, &demo).unwrap();
    calls::publish(&mut office, &demo.code, demo.opens_at).unwrap();
    let call_pkg = tmp.path().join("call.lxpkg");
    calls::export(&mut office, &office_keys, &demo.code, &call_pkg).unwrap();
    import::import_file(&mut institute, &call_pkg, None, &Trust::Fingerprint(office_fp), &Limits::default()).unwrap();

    let app = desk::new_demo_draft(&mut institute, &demo.code).unwrap();
    let id = app.id.to_string();
    let during = demo.opens_at;
    let problems = desk::validate(&mut institute, &app, during.local_date()).unwrap();
    assert!(problems.iter().all(|p| p.severity != lixiang_core::validate::Severity::Error), "{problems:#?}");

    // After the closing time: refused, nothing sealed.
    let late = Moment::parse("2099-01-01T00:00:00+08:00").unwrap();
    let err = desk::submit(&mut institute, &inst_keys, &id, late, &tmp.path().join("late.lxpkg")).unwrap_err();
    assert_eq!(err.code(), "application.refused");
    assert!(!tmp.path().join("late.lxpkg").exists());

    let sub = tmp.path().join("submission.lxpkg");
    let submitted = desk::submit(&mut institute, &inst_keys, &id, during, &sub).unwrap();
    assert_eq!(submitted.version, 1);
    assert_eq!(submitted.sha256.len(), 64);

    // The office: first contact with this institute needs its fingerprint.
    let err =
        import::import_file(&mut office, &sub, Some(&office_keys), &Trust::AskFirst, &Limits::default()).unwrap_err();
    assert!(matches!(err, CoreError::TrustNeeded { .. }));
    assert!(desk::received(&mut office).unwrap().is_empty());
    let outcome =
        import::import_file(&mut office, &sub, Some(&office_keys), &Trust::Fingerprint(inst_fp), &Limits::default())
            .unwrap();
    assert!(matches!(outcome, ImportOutcome::Imported { ref kind, .. } if kind == "submission"));
    let list = desk::received(&mut office).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].number, format!("{}-ZX06-000001", demo.year));
    assert_eq!(list[0].sha256, submitted.sha256, "the office sees the hash the applicant saw");
    assert_eq!(list[0].applicant_name, app.applicant.name);
    // The attachments arrived in the office's blob store, byte for byte.
    for a in &app.attachments {
        assert!(lixiang_core::blobs::BlobStore::new(office.dir()).contains(&a.sha256), "{}", a.name);
    }
    // Again: already imported, nothing written.
    let again =
        import::import_file(&mut office, &sub, Some(&office_keys), &Trust::AskFirst, &Limits::default()).unwrap();
    assert!(matches!(again, ImportOutcome::AlreadyImported { .. }));

    // A second version keeps the 申报编号.
    let mut edited = desk::get_draft(&mut institute, &id).unwrap();
    edited.title.push_str("（修改）");
    desk::save_draft(&mut institute, &edited).unwrap();
    let sub2 = tmp.path().join("submission-2.lxpkg");
    let v2 = desk::submit(&mut institute, &inst_keys, &id, during, &sub2).unwrap();
    assert_eq!(v2.version, 2);
    assert_ne!(v2.sha256, submitted.sha256);
    import::import_file(&mut office, &sub2, Some(&office_keys), &Trust::AskFirst, &Limits::default()).unwrap();
    let list = desk::received(&mut office).unwrap();
    assert_eq!((list.len(), list[0].version), (1, 2));
    assert_eq!(list[0].number, format!("{}-ZX06-000001", demo.year));

    // Another workspace (not the office) cannot open it.
    let (mut other, other_keys, _) = party(&tmp.path().join("other"), Role::Office, "别的机构");
    let err =
        import::import_file(&mut other, &sub, Some(&other_keys), &Trust::AskFirst, &Limits::default()).unwrap_err();
    assert_eq!(err.code(), "package.not_addressed_to_me");
    for ws in [&mut office, &mut institute] {
        assert!(lixiang_core::audit::verify(ws, |_| None).unwrap().is_intact());
    }
}
