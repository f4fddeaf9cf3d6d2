//! The formal check across three workspaces exchanging real package files: the office publishes the
//! ZX06 demo call, the institute submits, the office checks and returns it for fixing; the institute
//! imports the result (the 申报编号 and the reason), submits version 2, the office accepts it. A result
//! from a stranger and a result older than one already held are refused; a second application of the
//! same leader is over the call's 限项; a withdrawn application cannot be submitted again.

use lixiang_core::application::formal::{self, Decision, DecisionInput, LimitScope, ResultPayload};
use lixiang_core::application::{desk, formal::DecisionView, ApplicationId};
use lixiang_core::calendar::{Date, Moment};
use lixiang_core::call::{self, desk as calls, Call, CallStatus};
use lixiang_core::identity::{self, keybox::KdfParams, Role};
use lixiang_core::import::{self, ImportOutcome, Trust};
use lixiang_core::package::{self, Kind, Limits, PublicKeys, Seal, SecretKeys};
use lixiang_core::{CoreError, Workspace};
use std::path::Path;

fn party(dir: &Path, role: Role, name: &str) -> (Workspace, SecretKeys, String) {
    let mut ws = Workspace::open(dir).unwrap();
    let c = identity::create(&mut ws, role, name, "passphrase!", KdfParams::FOR_TESTS).unwrap();
    (ws, c.keys, c.info.fingerprint)
}

fn import(ws: &mut Workspace, keys: &SecretKeys, file: &Path, trust: Trust) -> lixiang_core::Result<ImportOutcome> {
    import::import_file(ws, file, Some(keys), &trust, &Limits::default())
}

fn returned(reason: &str, fix_by: Date) -> DecisionInput {
    DecisionInput { decision: Decision::Return, reasons: vec![reason.to_string()], fix_by: Some(fix_by) }
}

fn accept() -> DecisionInput {
    DecisionInput { decision: Decision::Accept, reasons: vec![], fix_by: None }
}

struct World {
    tmp: tempfile::TempDir,
    office: Workspace,
    office_keys: SecretKeys,
    institute: Workspace,
    inst_keys: SecretKeys,
    inst_fp: String,
    call: Call,
    during: Moment,
}

fn world() -> World {
    let tmp = tempfile::tempdir().unwrap();
    let (mut office, office_keys, office_fp) = party(&tmp.path().join("office"), Role::Office, "科技厅");
    let (mut institute, inst_keys, inst_fp) = party(&tmp.path().join("institute"), Role::Applicant, "农牧科学院");
    let mut demo = call::demo_calls().unwrap().into_iter().find(|c| c.programme == "ZX06").unwrap();
    demo.status = CallStatus::Draft;
    // One application per leader in this call, so a second one of the same leader is over the 限项.
    demo.eligibility.max_concurrent_projects = Some(1);
    calls::save_draft(&mut office, &demo).unwrap();
    calls::publish(&mut office, &demo.code, demo.opens_at).unwrap();
    let call_pkg = tmp.path().join("call.lxpkg");
    calls::export(&mut office, &office_keys, &demo.code, &call_pkg).unwrap();
    import::import_file(&mut institute, &call_pkg, None, &Trust::Fingerprint(office_fp), &Limits::default()).unwrap();
    let during = demo.opens_at;
    World { tmp, office, office_keys, institute, inst_keys, inst_fp, call: demo, during }
}

impl World {
    fn path(&self, name: &str) -> std::path::PathBuf {
        self.tmp.path().join(name)
    }

    /// The institute submits (a new demo draft when `id` is `None`) and the office imports it.
    fn submit(&mut self, id: Option<&str>, file: &str) -> String {
        let id = match id {
            Some(id) => id.to_string(),
            None => {
                // The demo draft has a fixed id: each new application here gets its own.
                let mut app = desk::new_demo_draft(&mut self.institute, &self.call.code).unwrap();
                app.id = ApplicationId::new();
                desk::save_draft(&mut self.institute, &app).unwrap();
                app.id.to_string()
            }
        };
        let sub = self.path(file);
        desk::submit(&mut self.institute, &self.inst_keys, &id, self.during, &sub).unwrap();
        import(&mut self.office, &self.office_keys, &sub, Trust::Fingerprint(self.inst_fp.clone())).unwrap();
        id
    }

    fn decide(&mut self, number: &str, input: &DecisionInput, file: &str) -> lixiang_core::Result<std::path::PathBuf> {
        let out = self.path(file);
        formal::decide(&mut self.office, &self.office_keys, number, input, self.during, &out)?;
        Ok(out)
    }
}

#[test]
fn returned_for_fixing_then_accepted_by_result_packages() {
    let mut w = world();
    let id = w.submit(None, "sub-1.lxpkg");
    let number = format!("{}-ZX06-000001", w.call.year);

    // The office's report: by 申报编号 or by id alike; the demo application passes the rules.
    let report = formal::formal_check(&mut w.office, &number, w.during).unwrap();
    assert_eq!(report.application_id, id);
    assert_eq!(formal::formal_check(&mut w.office, &id, w.during).unwrap().number, number);
    assert_eq!((report.version, report.errors), (1, 0), "{:#?}", report.problems);
    assert!(report.decidable && report.decision.is_none());
    let leader = report.limits.iter().find(|l| l.scope == LimitScope::Leader).unwrap();
    assert_eq!((leader.count, leader.limit), (1, Some(1)));
    let unit = report.limits.iter().find(|l| l.scope == LimitScope::Unit).unwrap();
    assert_eq!((unit.count, unit.limit), (1, None));

    // Returned for fixing, with a reason and a fix-by date.
    let fix_by = w.call.closes_at.local_date();
    let reason = "承诺书扫描件不清晰，请重新上传";
    // A folder that does not exist is refused before anything is recorded.
    let err = w.decide(&number, &returned(reason, fix_by), "no-such-folder/result.lxpkg").unwrap_err();
    assert_eq!(err.code(), "input.invalid");
    let res1 = w.decide(&number, &returned(reason, fix_by), "result-1.lxpkg").unwrap();
    // Decided: a second decision on the same version is refused, nothing written.
    let err = w.decide(&number, &accept(), "again.lxpkg").unwrap_err();
    assert_eq!(err.code(), "formal.already_decided");
    assert!(!w.path("again.lxpkg").exists());

    // The institute: the result arrives from the office it already trusts (it published the call).
    let before = formal::status(&mut w.institute, &id).unwrap();
    assert_eq!((before.state.as_str(), before.number.as_deref()), ("submitted", None));
    let outcome = import(&mut w.institute, &w.inst_keys, &res1, Trust::AskFirst).unwrap();
    assert!(matches!(outcome, ImportOutcome::Imported { ref kind, ref summary_zh, .. }
        if kind == "result" && summary_zh.contains(&number) && summary_zh.contains(reason)));
    let st = formal::status(&mut w.institute, &id).unwrap();
    assert_eq!(st.state, "returned");
    assert_eq!(st.number.as_deref(), Some(number.as_str()));
    let r = st.result.unwrap();
    assert_eq!((r.version, r.decision, r.reasons.as_slice()), (1, Decision::Return, [reason.to_string()].as_slice()));
    assert_eq!(r.fix_by, Some(fix_by.to_string()));

    // Version 2 keeps the 申报编号; the office may now decide again, and accepts.
    let mut draft = desk::get_draft(&mut w.institute, &id).unwrap();
    draft.title.push_str("（修改稿）");
    desk::save_draft(&mut w.institute, &draft).unwrap();
    w.submit(Some(&id), "sub-2.lxpkg");
    assert_eq!(formal::status(&mut w.institute, &id).unwrap().state, "submitted");
    let report = formal::formal_check(&mut w.office, &number, w.during).unwrap();
    assert_eq!(report.version, 2);
    assert!(report.decidable);
    assert_eq!(report.decision.as_ref().map(|d: &DecisionView| d.decision), Some(Decision::Return));
    let listed = desk::received(&mut w.office).unwrap();
    assert_eq!((listed[0].decision.as_deref(), listed[0].decided_version), (Some("return"), Some(1)));
    let res2 = w.decide(&number, &accept(), "result-2.lxpkg").unwrap();
    let listed = desk::received(&mut w.office).unwrap();
    assert_eq!((listed[0].decision.as_deref(), listed[0].decided_version), (Some("accept"), Some(2)));
    assert_eq!(w.decide(&number, &accept(), "again.lxpkg").unwrap_err().code(), "formal.already_decided");
    import(&mut w.institute, &w.inst_keys, &res2, Trust::AskFirst).unwrap();
    let st = formal::status(&mut w.institute, &id).unwrap();
    assert_eq!((st.state.as_str(), st.version), ("accepted", Some(2)));
    assert_eq!(st.number.as_deref(), Some(number.as_str()));

    // Re-importing the first result: the same file, already imported, nothing written.
    let again = import(&mut w.institute, &w.inst_keys, &res1, Trust::AskFirst).unwrap();
    assert!(matches!(again, ImportOutcome::AlreadyImported { .. }));

    // A result "from" a stranger who knows the institute's public keys: refused even once trusted.
    let (stranger, stranger_keys, stranger_fp) = party(&w.path("stranger"), Role::Office, "冒名机构");
    let card = identity::key_card(&mut w.institute).unwrap();
    let forged = ResultPayload {
        format: 1,
        application_id: id.clone(),
        call_id: w.call.id.to_string(),
        version: 2,
        seq: 1,
        sha256: st.sha256.clone().unwrap(),
        number: number.clone(),
        decision: Decision::Reject,
        reasons: vec!["伪造".into()],
        fix_by: None,
        decided_at: "2027-03-20T00:00:00Z".into(),
        appeal: None,
    };
    let forged_file = w.path("forged.lxpkg");
    let recipients = [PublicKeys { signing: card.signing_public, encryption: card.encryption_public }];
    let seal = Seal {
        kind: Kind::Result,
        sender: &stranger_keys,
        recipients: &recipients,
        confidential: true,
        created_at: "2027-03-20T00:00:00Z".into(),
        package_id: uuid::Uuid::now_v7(),
        audit_head: None,
    };
    package::seal(&seal, &serde_json::to_vec(&forged).unwrap(), Vec::new(), &forged_file, &Limits::default()).unwrap();
    let err = import(&mut w.institute, &w.inst_keys, &forged_file, Trust::AskFirst).unwrap_err();
    assert!(matches!(err, CoreError::TrustNeeded { .. }));
    let err = import(&mut w.institute, &w.inst_keys, &forged_file, Trust::Fingerprint(stranger_fp)).unwrap_err();
    assert_eq!(err.code(), "package.result_not_from_office");
    assert_eq!(formal::status(&mut w.institute, &id).unwrap().state, "accepted", "nothing of it was written");
    assert!(import::contacts(&mut w.institute).unwrap().iter().all(|c| c.key_id != stranger_keys.key_id()));
    drop(stranger);

    for ws in [&mut w.office, &mut w.institute] {
        assert!(lixiang_core::audit::verify(ws, |_| None).unwrap().is_intact());
    }
}

#[test]
fn an_older_result_after_a_newer_one_is_superseded_and_the_limit_counts_the_leader() {
    let mut w = world();
    let first = w.submit(None, "a-1.lxpkg");
    // A second application of the same leader and unit: over the 限项 of one.
    let second = w.submit(None, "b-1.lxpkg");
    let (n1, n2) = (format!("{}-ZX06-000001", w.call.year), format!("{}-ZX06-000002", w.call.year));
    let report = formal::formal_check(&mut w.office, &n2, w.during).unwrap();
    assert_eq!(report.application_id, second);
    let over: Vec<_> = report.problems.iter().filter(|p| p.code == "formal.limit.leader_exceeded").collect();
    assert_eq!(over.len(), 1, "{:#?}", report.problems);
    assert!(over[0].zh.contains(&n1));
    let leader = report.limits.iter().find(|l| l.scope == LimitScope::Leader).unwrap();
    assert_eq!((leader.count, leader.numbers.clone()), (2, vec![n2.clone(), n1.clone()]));

    // The office does not accept the second: it no longer holds a place, so the first is within the limit.
    let reject = DecisionInput { decision: Decision::Reject, reasons: vec!["超过限项".into()], fix_by: None };
    let rej = w.decide(&n2, &reject, "b-result.lxpkg").unwrap();
    let report = formal::formal_check(&mut w.office, &n1, w.during).unwrap();
    assert_eq!(report.errors, 0, "{:#?}", report.problems);
    import(&mut w.institute, &w.inst_keys, &rej, Trust::AskFirst).unwrap();
    assert_eq!(formal::status(&mut w.institute, &second).unwrap().state, "not_accepted");
    let err = formal::withdraw(&mut w.institute, &second, w.during, "").unwrap_err();
    assert_eq!(err.code(), "application.withdraw_refused");

    // The first: returned, fixed (the institute heard by phone), accepted; the results arrive newest first.
    // (Decided as of an early day with a fix-by date long past when version 2 really arrives.)
    let early = Moment::parse("2026-01-01T09:00:00+08:00").unwrap();
    let res1 = w.path("a-result-1.lxpkg");
    let fix_by = Date::new(2026, 1, 2).unwrap();
    formal::decide(&mut w.office, &w.office_keys, &n1, &returned("预算说明不完整", fix_by), early, &res1).unwrap();
    w.submit(Some(&first), "a-2.lxpkg");
    let report = formal::formal_check(&mut w.office, &n1, w.during).unwrap();
    assert!(report.problems.iter().any(|p| p.code == "formal.fixed_late" && p.zh.contains("2026-01-02")));
    let res2 = w.decide(&n1, &accept(), "a-result-2.lxpkg").unwrap();
    import(&mut w.institute, &w.inst_keys, &res2, Trust::AskFirst).unwrap();
    let err = import(&mut w.institute, &w.inst_keys, &res1, Trust::AskFirst).unwrap_err();
    assert_eq!(err.code(), "package.superseded");
    let st = formal::status(&mut w.institute, &first).unwrap();
    assert_eq!((st.state.as_str(), st.result.unwrap().version), ("accepted", 2));
}

#[test]
fn a_withdrawn_application_cannot_be_submitted_again() {
    let mut w = world();
    let id = desk::new_demo_draft(&mut w.institute, &w.call.code).unwrap().id.to_string();
    // A draft needs no withdrawal.
    let err = formal::withdraw(&mut w.institute, &id, w.during, "").unwrap_err();
    assert_eq!(err.code(), "application.withdraw_refused");
    let s = w.path("s.lxpkg");
    desk::submit(&mut w.institute, &w.inst_keys, &id, w.during, &s).unwrap();
    // Not after the closing time.
    let late = Moment::parse("2099-01-01T00:00:00+08:00").unwrap();
    let err = formal::withdraw(&mut w.institute, &id, late, "").unwrap_err();
    assert_eq!(err.code(), "application.withdraw_refused");
    let row = formal::withdraw(&mut w.institute, &id, w.during, "团队调整").unwrap();
    assert_eq!((row.version, row.reason.as_str()), (1, "团队调整"));
    let st = formal::status(&mut w.institute, &id).unwrap();
    assert_eq!((st.state.as_str(), st.state_zh.as_str()), ("withdrawn", "已撤回"));
    assert_eq!(formal::withdraw(&mut w.institute, &id, w.during, "").unwrap_err().code(), "application.withdrawn");
    let s2 = w.path("s2.lxpkg");
    let err = desk::submit(&mut w.institute, &w.inst_keys, &id, w.during, &s2).unwrap_err();
    assert_eq!(err.code(), "application.withdrawn");
    assert!(!s2.exists());
    let entries = lixiang_core::audit::verify(&mut w.institute, |_| None).unwrap();
    assert!(entries.is_intact());
}

/// A result package that could not be written where the officer asked: the decision is recorded once, the
/// package is kept in the workspace, and `resend` writes it — byte for byte the same every time, so the
/// applicant who imports a second copy sees "already imported", never a reused package id.
#[test]
fn a_result_that_could_not_be_written_is_sent_again_byte_for_byte() {
    let mut w = world();
    let id = w.submit(None, "sub-1.lxpkg");
    let number = format!("{}-ZX06-000001", w.call.year);
    // Nothing recorded yet: there is nothing to send again.
    let nowhere = w.path("x.lxpkg");
    let err = lixiang_core::outgoing::resend_formal(&mut w.office, &w.office_keys, &number, &nowhere).unwrap_err();
    assert_eq!(err.code(), "not_found");

    // The chosen path is a folder: the write fails after the decision was recorded.
    std::fs::create_dir(w.path("taken")).unwrap();
    let err = w.decide(&number, &accept(), "taken").unwrap_err();
    assert_eq!(err.code(), "result.not_written", "{err}");
    let zh = err.message(lixiang_core::Lang::Zh);
    assert!(zh.contains(&number) && zh.contains("--resend"), "{zh}");
    // The decision is recorded (once): deciding again is refused.
    assert_eq!(w.decide(&number, &accept(), "again.lxpkg").unwrap_err().code(), "formal.already_decided");
    let report = formal::formal_check(&mut w.office, &number, w.during).unwrap();
    assert_eq!(report.decision.map(|d| d.decision), Some(Decision::Accept));

    // Sent again: the same bytes each time, by 申报编号 or by id.
    let first = w.path("resent-1.lxpkg");
    let r1 = lixiang_core::outgoing::resend_formal(&mut w.office, &w.office_keys, &number, &first).unwrap();
    assert!(!r1.sealed_now, "the package sealed at the decision was kept");
    let second = w.path("resent-2.lxpkg");
    let r2 = lixiang_core::outgoing::resend_formal(&mut w.office, &w.office_keys, &id, &second).unwrap();
    assert_eq!(std::fs::read(&first).unwrap(), std::fs::read(&second).unwrap());
    assert_eq!((r1.file_sha256.as_str(), r1.number.as_str()), (r2.file_sha256.as_str(), number.as_str()));
    let hash = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(std::fs::read(&first).unwrap()))
    };
    assert_eq!(hash, r1.file_sha256, "the hash reported is the file's");

    // The institute imports one copy, and the other is the same package: already imported.
    import(&mut w.institute, &w.inst_keys, &first, Trust::AskFirst).unwrap();
    assert_eq!(formal::status(&mut w.institute, &id).unwrap().state, "accepted");
    let again = import(&mut w.institute, &w.inst_keys, &second, Trust::AskFirst).unwrap();
    assert!(matches!(again, ImportOutcome::AlreadyImported { .. }));

    for ws in [&mut w.office, &mut w.institute] {
        assert!(lixiang_core::audit::verify(ws, |_| None).unwrap().is_intact());
    }
}

/// A withdrawal travels to the office: the notice is signed by the institute that submitted, the office lists
/// the application as 已撤回 and can no longer decide it; a second copy of the notice changes nothing, and a
/// notice from anyone else is refused with nothing written.
#[test]
fn a_withdrawal_notice_reaches_the_office_and_ends_the_formal_check() {
    use lixiang_core::application::office::{self, ListQuery, OfficeStatus};
    use lixiang_core::application::withdrawal;
    let mut w = world();
    let id = w.submit(None, "sub-1.lxpkg");
    let number = format!("{}-ZX06-000001", w.call.year);
    let notice = w.path("withdrawal.lxpkg");
    // Not withdrawn yet: there is no notice to write.
    let err = withdrawal::write_notice(&mut w.institute, &w.inst_keys, &id, &notice).unwrap_err();
    assert_eq!(err.code(), "application.withdraw_refused");
    assert!(!notice.exists());

    formal::withdraw(&mut w.institute, &id, w.during, "团队调整，另行申报").unwrap();
    withdrawal::write_notice(&mut w.institute, &w.inst_keys, &id, &notice).unwrap();

    // Someone else who knows the office cannot withdraw the institute's application.
    let (_other, other_keys, other_fp) = party(&w.path("other"), Role::Applicant, "他人");
    // The forged notice says what the institute's says, sealed by the other workspace.
    let held = formal::formal_check(&mut w.office, &number, w.during).unwrap();
    let payload = withdrawal::WithdrawalPayload {
        format: 1,
        application_id: id.clone(),
        call_id: w.call.id.to_string(),
        version: 1,
        sha256: held.sha256.clone(),
        reason: "冒名撤回".into(),
        withdrawn_at: w.during.to_string(),
    };
    let office_card = identity::key_card(&mut w.office).unwrap();
    let forged = w.path("forged-withdrawal.lxpkg");
    let to = [PublicKeys { signing: office_card.signing_public, encryption: office_card.encryption_public }];
    let seal = Seal {
        kind: Kind::Withdrawal,
        sender: &other_keys,
        recipients: &to,
        confidential: true,
        created_at: "2027-03-20T00:00:00Z".into(),
        package_id: uuid::Uuid::now_v7(),
        audit_head: None,
    };
    package::seal(&seal, &serde_json::to_vec(&payload).unwrap(), Vec::new(), &forged, &Limits::default()).unwrap();
    let err = import(&mut w.office, &w.office_keys, &forged, Trust::Fingerprint(other_fp)).unwrap_err();
    assert_eq!(err.code(), "application.withdraw_refused");
    assert!(err.message(lixiang_core::Lang::Zh).contains(&number), "{}", err.message(lixiang_core::Lang::Zh));
    assert!(formal::formal_check(&mut w.office, &number, w.during).unwrap().decidable, "nothing was written");

    // The institute's own notice: the office lists it as withdrawn, and its formal check ends.
    let got = import(&mut w.office, &w.office_keys, &notice, Trust::AskFirst).unwrap();
    assert!(matches!(got, ImportOutcome::Imported { ref kind, ref summary_zh, .. }
        if kind == "withdrawal" && summary_zh.contains(&number) && summary_zh.contains("团队调整")));
    let listed = office::office_list(&mut w.office, &ListQuery::default()).unwrap();
    assert_eq!(listed.iter().find(|r| r.number == number).unwrap().status, OfficeStatus::Withdrawn);
    let q = ListQuery { status: Some(OfficeStatus::Withdrawn), ..ListQuery::default() };
    assert_eq!(office::office_list(&mut w.office, &q).unwrap().len(), 1);
    let report = formal::formal_check(&mut w.office, &number, w.during).unwrap();
    assert!(!report.decidable);
    assert!(report.problems.iter().any(|p| p.code == "formal.withdrawn" && p.zh.contains("团队调整")));
    let err = w.decide(&number, &accept(), "result.lxpkg").unwrap_err();
    assert_eq!(err.code(), "application.withdrawn");
    assert!(!w.path("result.lxpkg").exists());

    // The notice written again (a copy lost on the way): imported, nothing changed.
    let again = w.path("withdrawal-2.lxpkg");
    withdrawal::write_notice(&mut w.institute, &w.inst_keys, &id, &again).unwrap();
    let got = import(&mut w.office, &w.office_keys, &again, Trust::AskFirst).unwrap();
    assert!(matches!(got, ImportOutcome::Imported { ref summary_zh, .. } if summary_zh.contains("未作更改")));
    for ws in [&mut w.office, &mut w.institute] {
        assert!(lixiang_core::audit::verify(ws, |_| None).unwrap().is_intact());
    }
}
