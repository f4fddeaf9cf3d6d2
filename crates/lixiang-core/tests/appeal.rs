//! Appeals (申诉) against 不予受理, across two workspaces exchanging real package files: the office
//! refuses an application, logs the institute's appeal, grants it and accepts the same version; the
//! institute imports both results (in either order) and shows the newest, accepted after an appeal, with
//! the granted appeal's answer. An upheld appeal changes no decision, and its answer travels as its own
//! result package repeating the standing refusal: the institute shows 维持原决定 with the reason, the
//! refusal unchanged. An appeal against an accept or a return, a second appeal, a second resolution, an
//! upheld appeal without a file for its answer, a forged or inconsistent answer are refused with their codes
//! and nothing written.

use lixiang_core::application::appeal::{self, AppealInput, AppealOutcome};
use lixiang_core::application::office::{office_list, ListQuery, OfficeStatus};
use lixiang_core::application::{desk, formal, formal::Decision, formal::DecisionInput, ApplicationId};
use lixiang_core::calendar::{Date, Moment};
use lixiang_core::call::{self, desk as calls, Call, CallStatus};
use lixiang_core::identity::{self, keybox::KdfParams, Role};
use lixiang_core::import::{self, ImportOutcome, Trust};
use lixiang_core::package::{self, Kind, Limits, PublicKeys, Seal, SecretKeys};
use lixiang_core::Workspace;
use std::path::{Path, PathBuf};

fn party(dir: &Path, role: Role, name: &str) -> (Workspace, SecretKeys, String) {
    let mut ws = Workspace::open(dir).unwrap();
    let c = identity::create(&mut ws, role, name, "passphrase!", KdfParams::FOR_TESTS).unwrap();
    (ws, c.keys, c.info.fingerprint)
}

fn decision(decision: Decision, reason: &str, fix_by: Option<Date>) -> DecisionInput {
    let reasons = if reason.is_empty() { vec![] } else { vec![reason.to_string()] };
    DecisionInput { decision, reasons, fix_by }
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
    calls::save_draft(&mut office, &demo).unwrap();
    calls::publish(&mut office, &demo.code, demo.opens_at).unwrap();
    let call_pkg = tmp.path().join("call.lxpkg");
    calls::export(&mut office, &office_keys, &demo.code, &call_pkg).unwrap();
    import::import_file(&mut institute, &call_pkg, None, &Trust::Fingerprint(office_fp), &Limits::default()).unwrap();
    let during = demo.opens_at;
    World { tmp, office, office_keys, institute, inst_keys, inst_fp, call: demo, during }
}

impl World {
    fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// The institute submits a new application and the office imports it; returns (id, 申报编号).
    fn submit(&mut self, file: &str) -> (String, String) {
        let mut app = desk::new_demo_draft(&mut self.institute, &self.call.code).unwrap();
        app.id = ApplicationId::new();
        desk::save_draft(&mut self.institute, &app).unwrap();
        let id = app.id.to_string();
        let sub = self.path(file);
        desk::submit(&mut self.institute, &self.inst_keys, &id, self.during, &sub).unwrap();
        import::import_file(
            &mut self.office,
            &sub,
            Some(&self.office_keys),
            &Trust::Fingerprint(self.inst_fp.clone()),
            &Limits::default(),
        )
        .unwrap();
        let number = formal::formal_check(&mut self.office, &id, self.during).unwrap().number;
        (id, number)
    }

    fn decide(&mut self, number: &str, input: &DecisionInput, file: &str) -> lixiang_core::Result<PathBuf> {
        let out = self.path(file);
        formal::decide(&mut self.office, &self.office_keys, number, input, self.during, &out)?;
        Ok(out)
    }

    fn import(&mut self, file: &Path) -> lixiang_core::Result<ImportOutcome> {
        import::import_file(&mut self.institute, file, Some(&self.inst_keys), &Trust::AskFirst, &Limits::default())
    }

    fn appeal(&mut self, number: &str) -> lixiang_core::Result<appeal::AppealView> {
        let input = AppealInput {
            received_on: self.during.local_date(),
            appellant: "申报单位来函（挂号信）".into(),
            text: "承诺书已作为附件提交，请复核".into(),
        };
        appeal::log(&mut self.office, number, &input, self.during)
    }

    /// Resolves the open appeal as of `during`; upheld writes its answer for the applicant to `file`.
    fn resolve(
        &mut self,
        number: &str,
        outcome: AppealOutcome,
        reason: &str,
        file: Option<&str>,
    ) -> lixiang_core::Result<appeal::Resolved> {
        let out = file.map(|f| self.path(f));
        let answer = out.as_deref().map(|p| (&self.office_keys, p));
        appeal::resolve(&mut self.office, number, outcome, reason, self.during, answer)
    }

    fn status_in_list(&mut self, number: &str) -> OfficeStatus {
        let rows = office_list(&mut self.office, &ListQuery::default()).unwrap();
        rows.into_iter().find(|r| r.number == number).unwrap().status
    }

    fn audit_len(&mut self) -> usize {
        lixiang_core::audit::verify(&mut self.office, |_| None).unwrap().events as usize
    }
}

#[test]
fn a_granted_appeal_lets_the_office_accept_the_same_version_and_the_applicant_shows_it() {
    let mut w = world();
    let (id, number) = w.submit("sub.lxpkg");
    let reject = decision(Decision::Reject, "缺少盖章的承诺书", None);
    let res1 = w.decide(&number, &reject, "result-1.lxpkg").unwrap();
    assert_eq!(w.status_in_list(&number), OfficeStatus::NotAccepted);
    let report = formal::formal_check(&mut w.office, &number, w.during).unwrap();
    assert!(!report.decidable && report.appealable && report.appeal.is_none());

    // Logged: open, the decision still stands, nothing may be decided yet.
    let logged = w.appeal(&number).unwrap();
    assert_eq!((logged.version, logged.decision_seq, logged.outcome), (1, 1, None));
    let report = formal::formal_check(&mut w.office, &number, w.during).unwrap();
    assert!(!report.decidable && !report.appealable);
    assert_eq!(report.appeal.as_ref().map(|a| a.appellant.as_str()), Some("申报单位来函（挂号信）"));
    assert_eq!(w.status_in_list(&number), OfficeStatus::NotAccepted);
    assert_eq!(
        w.decide(&number, &decision(Decision::Accept, "", None), "x.lxpkg").unwrap_err().code(),
        "formal.already_decided"
    );

    // Granted: set aside, the list shows it received again, and the same version may be decided again.
    let before = w.audit_len();
    let granted = w.resolve(&number, AppealOutcome::Granted, "承诺书在附件第 3 项中", None).unwrap().appeal;
    assert_eq!(granted.outcome, Some(AppealOutcome::Granted));
    assert_eq!(w.audit_len(), before + 1, "one audit event per step");
    // A granted appeal has no answer package of its own: the next decision's carries the answer.
    assert!(granted.answer.is_none());
    let none = w.path("none.lxpkg");
    let err = appeal::resend_answer(&mut w.office, &w.office_keys, &number, &none).unwrap_err();
    assert_eq!(err.code(), "appeal.no_answer_package");
    assert!(err.message(lixiang_core::Lang::Zh).contains(&number));
    assert!(!none.exists());
    assert_eq!(w.status_in_list(&number), OfficeStatus::Received);
    let report = formal::formal_check(&mut w.office, &number, w.during).unwrap();
    assert!(report.decidable && !report.appealable);
    assert_eq!(report.decision.as_ref().map(|d| (d.decision, d.seq)), Some((Decision::Reject, 1)));
    assert!(desk::received(&mut w.office).unwrap().iter().all(|r| r.decision.is_none()), "nothing stands");
    let err = w.resolve(&number, AppealOutcome::Upheld, "再议", Some("answer.lxpkg")).unwrap_err();
    assert_eq!(err.code(), "appeal.already_resolved");
    assert!(err.message(lixiang_core::Lang::Zh).contains(&number));

    let res2 = w.decide(&number, &decision(Decision::Accept, "", None), "result-2.lxpkg").unwrap();
    assert_eq!(w.status_in_list(&number), OfficeStatus::Accepted);
    let report = formal::formal_check(&mut w.office, &number, w.during).unwrap();
    let d = report.decision.unwrap();
    assert_eq!((d.decision, d.version, d.seq, d.after_appeal), (Decision::Accept, 1, 2, true));
    assert!(!report.decidable && !report.appealable && report.appeal.is_none());
    assert_eq!(w.decide(&number, &reject, "y.lxpkg").unwrap_err().code(), "formal.already_decided");
    // Resending writes the newest result, the one after the appeal, byte for byte.
    let resent = w.path("resent.lxpkg");
    lixiang_core::outgoing::resend_formal(&mut w.office, &w.office_keys, &number, &resent).unwrap();
    assert_eq!(std::fs::read(&resent).unwrap(), std::fs::read(&res2).unwrap());

    // The institute: the refusal first, then the decision after the appeal supersedes it.
    w.import(&res1).unwrap();
    let st = formal::status(&mut w.institute, &id).unwrap();
    assert_eq!((st.state.as_str(), st.after_appeal), ("not_accepted", false));
    let outcome = w.import(&res2).unwrap();
    assert!(matches!(outcome, ImportOutcome::Imported { ref summary_zh, .. } if summary_zh.contains("申诉")));
    let st = formal::status(&mut w.institute, &id).unwrap();
    assert_eq!((st.state.as_str(), st.after_appeal), ("accepted", true));
    assert!(st.state_zh.contains("形式审查通过") && st.state_zh.contains("申诉"), "{}", st.state_zh);
    let answer = st.appeal.clone().expect("the decision after the appeal carries its answer");
    assert_eq!(
        (answer.outcome, answer.reason.as_str(), answer.decision_seq, answer.version),
        (AppealOutcome::Granted, "承诺书在附件第 3 项中", 1, 1)
    );
    assert_eq!(answer.zh, "申诉结果：申诉成立（承诺书在附件第 3 项中）");
    let r = st.result.unwrap();
    assert_eq!((r.version, r.seq, r.decision), (1, 2, Decision::Accept));
    // A second copy of the same package: already imported; the older refusal: superseded.
    std::fs::copy(&res2, w.path("copy.lxpkg")).unwrap();
    assert!(matches!(w.import(&w.path("copy.lxpkg")).unwrap(), ImportOutcome::AlreadyImported { .. }));
    assert!(matches!(w.import(&res1).unwrap(), ImportOutcome::AlreadyImported { .. }));
    // Withdrawal is open again: the application was accepted after all.
    assert!(formal::withdraw(&mut w.institute, &id, w.during, "").is_ok());

    for ws in [&mut w.office, &mut w.institute] {
        assert!(lixiang_core::audit::verify(ws, |_| None).unwrap().is_intact());
    }
}

#[test]
fn the_older_refusal_after_the_decision_on_appeal_is_superseded() {
    let mut w = world();
    let (id, number) = w.submit("sub.lxpkg");
    let res1 = w.decide(&number, &decision(Decision::Reject, "逾期", None), "result-1.lxpkg").unwrap();
    w.appeal(&number).unwrap();
    w.resolve(&number, AppealOutcome::Granted, "系统时间有误", None).unwrap();
    let fix_by = w.call.closes_at.local_date();
    let res2 = w.decide(&number, &decision(Decision::Return, "补充承诺书", Some(fix_by)), "result-2.lxpkg").unwrap();
    w.import(&res2).unwrap();
    let err = w.import(&res1).unwrap_err();
    assert_eq!(err.code(), "package.superseded");
    let st = formal::status(&mut w.institute, &id).unwrap();
    assert_eq!((st.state.as_str(), st.after_appeal), ("returned", true));
    assert_eq!(st.result.unwrap().seq, 2);
}

#[test]
fn an_upheld_appeal_changes_no_status_and_cannot_be_appealed_or_resolved_again() {
    let mut w = world();
    let (_, number) = w.submit("sub.lxpkg");
    w.decide(&number, &decision(Decision::Reject, "不符合申报条件", None), "result-1.lxpkg").unwrap();
    w.appeal(&number).unwrap();
    let err = w.appeal(&number).unwrap_err();
    assert_eq!(err.code(), "appeal.already_open");
    assert!(
        err.message(lixiang_core::Lang::Zh).contains(&number) && err.message(lixiang_core::Lang::En).contains(&number)
    );
    let err = w.resolve(&number, AppealOutcome::Upheld, "  ", Some("answer.lxpkg")).unwrap_err();
    assert_eq!(err.code(), "input.invalid");
    let upheld =
        w.resolve(&number, AppealOutcome::Upheld, "申报单位不在支持范围内", Some("answer.lxpkg")).unwrap().appeal;
    assert_eq!(
        (upheld.outcome, upheld.reason.as_deref()),
        (Some(AppealOutcome::Upheld), Some("申报单位不在支持范围内"))
    );
    assert_eq!(w.status_in_list(&number), OfficeStatus::NotAccepted);
    let report = formal::formal_check(&mut w.office, &number, w.during).unwrap();
    assert!(!report.decidable && !report.appealable);
    assert_eq!(report.decision.map(|d| (d.decision, d.seq)), Some((Decision::Reject, 1)));
    let before = w.audit_len();
    assert_eq!(
        w.decide(&number, &decision(Decision::Accept, "", None), "x.lxpkg").unwrap_err().code(),
        "formal.already_decided"
    );
    assert_eq!(w.appeal(&number).unwrap_err().code(), "appeal.already_resolved");
    let err = w.resolve(&number, AppealOutcome::Granted, "改判", None).unwrap_err();
    assert_eq!(err.code(), "appeal.already_resolved");
    assert_eq!(w.audit_len(), before, "nothing written");
    assert_eq!(appeal::appeals(&mut w.office, &number).unwrap().len(), 1);
}

#[test]
fn only_a_refusal_that_stands_can_be_appealed() {
    let mut w = world();
    let (_, undecided) = w.submit("a.lxpkg");
    let (_, accepted) = w.submit("b.lxpkg");
    let (_, returned) = w.submit("c.lxpkg");
    w.decide(&accepted, &decision(Decision::Accept, "", None), "ra.lxpkg").unwrap();
    let fix_by = w.call.closes_at.local_date();
    w.decide(&returned, &decision(Decision::Return, "预算说明不完整", Some(fix_by)), "rc.lxpkg").unwrap();
    let before = w.audit_len();
    assert_eq!(w.appeal(&undecided).unwrap_err().code(), "appeal.not_decided");
    let err = w.appeal(&accepted).unwrap_err();
    assert_eq!(err.code(), "appeal.not_rejected");
    assert!(err.message(lixiang_core::Lang::Zh).contains(&accepted));
    let err = w.appeal(&returned).unwrap_err();
    assert_eq!(err.code(), "appeal.not_rejected");
    assert!(err.message(lixiang_core::Lang::Zh).contains("退回修改"));
    let err = w.resolve(&accepted, AppealOutcome::Granted, "x", None).unwrap_err();
    assert_eq!(err.code(), "appeal.none_open");

    // A refusal: the appeal needs who appealed and the text, and cannot arrive after today.
    let (_, refused) = w.submit("d.lxpkg");
    w.decide(&refused, &decision(Decision::Reject, "重复申报", None), "rd.lxpkg").unwrap();
    let before_refused = w.audit_len();
    assert_eq!(w.resolve(&refused, AppealOutcome::Granted, "x", None).unwrap_err().code(), "appeal.none_open");
    let blank = AppealInput { received_on: w.during.local_date(), appellant: " ".into(), text: "请复核".into() };
    assert_eq!(appeal::log(&mut w.office, &refused, &blank, w.during).unwrap_err().code(), "input.invalid");
    let tomorrow = Date::parse("2099-01-01").unwrap();
    let future = AppealInput { received_on: tomorrow, appellant: "来函".into(), text: "请复核".into() };
    assert_eq!(appeal::log(&mut w.office, &refused, &future, w.during).unwrap_err().code(), "input.invalid");
    assert_eq!(w.audit_len(), before_refused);
    assert_eq!(before_refused, before + 2, "only the import of d and its refusal were written");
}

#[test]
fn the_report_keeps_every_decision_of_a_version_with_its_appeal() {
    let mut w = world();
    let (_, number) = w.submit("sub.lxpkg");
    w.decide(&number, &decision(Decision::Reject, "缺少盖章的承诺书", None), "r1.lxpkg").unwrap();
    w.appeal(&number).unwrap();
    w.resolve(&number, AppealOutcome::Granted, "承诺书在附件中", None).unwrap();
    w.decide(&number, &decision(Decision::Reject, "不属于支持方向", None), "r2.lxpkg").unwrap();
    w.appeal(&number).unwrap();
    w.resolve(&number, AppealOutcome::Upheld, "维持", Some("answer.lxpkg")).unwrap();

    let report = formal::formal_check(&mut w.office, &number, w.during).unwrap();
    // The newest decision and its appeal, as before…
    assert_eq!(report.decision.as_ref().map(|d| d.seq), Some(2));
    assert_eq!(report.appeal.as_ref().and_then(|a| a.outcome), Some(AppealOutcome::Upheld));
    // …and the whole way: decision 1 不予受理 → appeal granted → decision 2 不予受理 → appeal upheld.
    assert_eq!(report.history.len(), 1);
    assert_eq!(report.history[0].version, 1);
    type Step = (u32, Decision, Vec<String>, Option<AppealOutcome>, Option<String>);
    let steps: Vec<Step> = report.history[0]
        .steps
        .iter()
        .map(|s| {
            (
                s.decision.seq,
                s.decision.decision,
                s.decision.reasons.clone(),
                s.appeal.as_ref().and_then(|a| a.outcome),
                s.appeal.as_ref().and_then(|a| a.reason.clone()),
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            (
                1,
                Decision::Reject,
                vec!["缺少盖章的承诺书".to_string()],
                Some(AppealOutcome::Granted),
                Some("承诺书在附件中".into())
            ),
            (2, Decision::Reject, vec!["不属于支持方向".to_string()], Some(AppealOutcome::Upheld), Some("维持".into())),
        ]
    );
    assert_eq!(appeal::appeals(&mut w.office, &number).unwrap().len(), 2);
}

#[test]
fn an_appeal_received_before_its_decision_is_refused_naming_both_dates() {
    let mut w = world();
    let (_, number) = w.submit("sub.lxpkg");
    w.decide(&number, &decision(Decision::Reject, "重复申报", None), "r.lxpkg").unwrap();
    let decided_on = w.during.local_date();
    let day_before = Date::parse("2020-01-01").unwrap();
    assert!(day_before < decided_on);
    let before = w.audit_len();
    let early = AppealInput { received_on: day_before, appellant: "来函".into(), text: "请复核".into() };
    let err = appeal::log(&mut w.office, &number, &early, w.during).unwrap_err();
    assert_eq!(err.code(), "appeal.received_before_decision");
    assert_eq!(err.kind(), lixiang_core::error::ErrorKind::InputRefused);
    for lang in [lixiang_core::Lang::Zh, lixiang_core::Lang::En] {
        let m = err.message(lang);
        assert!(m.contains("2020-01-01") && m.contains(&decided_on.to_string()) && m.contains(&number), "{m}");
    }
    assert_eq!(w.audit_len(), before, "nothing written");
    assert!(appeal::appeals(&mut w.office, &number).unwrap().is_empty());
    // On the decision's own day it is taken.
    let same_day = AppealInput { received_on: decided_on, ..early };
    assert_eq!(appeal::log(&mut w.office, &number, &same_day, w.during).unwrap().received_on, decided_on.to_string());
}

#[test]
fn an_upheld_appeal_answers_the_applicant_by_package_and_the_refusal_stands() {
    let mut w = world();
    let (id, number) = w.submit("sub.lxpkg");
    let res1 = w.decide(&number, &decision(Decision::Reject, "不在支持范围内", None), "result-1.lxpkg").unwrap();
    w.appeal(&number).unwrap();

    // Upheld needs somewhere to write the answer; a folder that does not exist is refused up front.
    let before = w.audit_len();
    let err = w.resolve(&number, AppealOutcome::Upheld, "不属于本专项支持方向", None).unwrap_err();
    assert_eq!(err.code(), "appeal.answer_needs_file");
    assert!(err.message(lixiang_core::Lang::Zh).contains(&number));
    let err =
        w.resolve(&number, AppealOutcome::Upheld, "不属于本专项支持方向", Some("missing/answer.lxpkg")).unwrap_err();
    assert_eq!(err.code(), "input.invalid");
    assert_eq!(w.audit_len(), before, "nothing written");
    assert!(appeal::appeals(&mut w.office, &number).unwrap()[0].outcome.is_none(), "still open");

    let done = w.resolve(&number, AppealOutcome::Upheld, "不属于本专项支持方向", Some("answer.lxpkg")).unwrap();
    assert_eq!(w.audit_len(), before + 1, "one audit event, the package recorded with the resolution");
    assert_eq!(done.appeal.outcome, Some(AppealOutcome::Upheld));
    let answer = w.path("answer.lxpkg");
    let written = done.package.expect("the upheld answer is written");
    assert_eq!(written.path, answer.display().to_string());
    assert_eq!(w.status_in_list(&number), OfficeStatus::NotAccepted);
    // The newest formal result package of the application is now the answer: resent byte for byte.
    let resent = w.path("resent.lxpkg");
    lixiang_core::outgoing::resend_formal(&mut w.office, &w.office_keys, &number, &resent).unwrap();
    assert_eq!(std::fs::read(&resent).unwrap(), std::fs::read(&answer).unwrap());
    // The appeal's record names the answer's package, in the list of appeals, the report and its history,
    // and writes that package again, byte for byte, from the appeal.
    let named = appeal::appeals(&mut w.office, &number).unwrap()[0].answer.clone().expect("the answer is linked");
    assert_eq!(named.package_id, written.package_id);
    assert_eq!(named.file_name, "answer.lxpkg");
    assert_eq!(named.file_sha256.as_deref(), Some(written.file_sha256.as_str()));
    assert_eq!(done.appeal.answer.as_ref(), Some(&named));
    let report = formal::formal_check(&mut w.office, &number, w.during).unwrap();
    assert_eq!(report.appeal.and_then(|a| a.answer).as_ref(), Some(&named));
    let step = report.history.iter().flat_map(|v| &v.steps).find_map(|s| s.appeal.clone()).unwrap();
    assert_eq!(step.answer.as_ref(), Some(&named));
    assert_eq!(appeal::upheld_answer(&mut w.office, &number).unwrap(), named);
    let again = w.path("again.lxpkg");
    let before = w.audit_len();
    let r = appeal::resend_answer(&mut w.office, &w.office_keys, &number, &again).unwrap();
    assert_eq!((r.package_id.as_str(), r.sealed_now), (named.package_id.as_str(), false));
    assert_eq!(std::fs::read(&again).unwrap(), std::fs::read(&answer).unwrap());
    assert_eq!(w.audit_len(), before, "writing it again records nothing");

    // The institute: the refusal, then the answer — the same refusal, not a new decision.
    w.import(&res1).unwrap();
    let st = formal::status(&mut w.institute, &id).unwrap();
    assert_eq!(st.state, "not_accepted");
    assert!(st.appeal.is_none());
    let outcome = w.import(&answer).unwrap();
    match &outcome {
        ImportOutcome::Imported { summary_zh, .. } => {
            assert!(summary_zh.contains("维持原决定") && summary_zh.contains("不属于本专项支持方向"), "{summary_zh}")
        }
        other => panic!("not imported: {other:?}"),
    }
    let st = formal::status(&mut w.institute, &id).unwrap();
    assert_eq!((st.state.as_str(), st.state_zh.as_str(), st.after_appeal), ("not_accepted", "不予受理", false));
    let r = st.result.clone().unwrap();
    assert_eq!((r.version, r.seq, r.decision), (1, 1, Decision::Reject));
    assert_eq!(r.reasons, ["不在支持范围内"]);
    let a = st.appeal.clone().expect("the answer is shown");
    assert_eq!((a.outcome, a.reason.as_str(), a.decision_seq), (AppealOutcome::Upheld, "不属于本专项支持方向", 1));
    assert_eq!(a.received_on, w.during.local_date().to_string());
    assert_eq!(a.zh, "申诉结果：维持原决定（不属于本专项支持方向）");
    // The same answer again (a copy, or the resent file): already imported, nothing written.
    let inst_audit = lixiang_core::audit::verify(&mut w.institute, |_| None).unwrap().events;
    assert!(matches!(w.import(&resent).unwrap(), ImportOutcome::AlreadyImported { .. }));
    assert_eq!(lixiang_core::audit::verify(&mut w.institute, |_| None).unwrap().events, inst_audit);
    assert_eq!(formal::status(&mut w.institute, &id).unwrap().appeal, Some(a));

    for ws in [&mut w.office, &mut w.institute] {
        assert!(lixiang_core::audit::verify(ws, |_| None).unwrap().is_intact());
    }
}

#[test]
fn an_answer_imported_before_its_refusal_carries_the_refusal_and_the_refusal_is_then_superseded() {
    let mut w = world();
    let (id, number) = w.submit("sub.lxpkg");
    let res1 = w.decide(&number, &decision(Decision::Reject, "逾期提交", None), "result-1.lxpkg").unwrap();
    w.appeal(&number).unwrap();
    w.resolve(&number, AppealOutcome::Upheld, "提交时间以系统为准", Some("answer.lxpkg")).unwrap();
    // The refusal's own package was lost: the answer alone tells the whole story.
    w.import(&w.path("answer.lxpkg")).unwrap();
    let st = formal::status(&mut w.institute, &id).unwrap();
    assert_eq!(st.state, "not_accepted");
    assert_eq!(st.number.as_deref(), Some(number.as_str()));
    assert_eq!(st.result.as_ref().map(|r| r.reasons.clone()), Some(vec!["逾期提交".to_string()]));
    assert_eq!(st.appeal.as_ref().map(|a| a.outcome), Some(AppealOutcome::Upheld));
    // The refusal arriving later adds nothing: superseded, nothing written.
    let err = w.import(&res1).unwrap_err();
    assert_eq!(err.code(), "package.superseded");
    assert_eq!(formal::status(&mut w.institute, &id).unwrap().appeal, st.appeal);
}

#[test]
fn a_forged_or_inconsistent_appeal_answer_is_refused_and_nothing_is_written() {
    let mut w = world();
    let (id, number) = w.submit("sub.lxpkg");
    let res1 = w.decide(&number, &decision(Decision::Reject, "不在支持范围内", None), "result-1.lxpkg").unwrap();
    w.import(&res1).unwrap();
    let st = formal::status(&mut w.institute, &id).unwrap();
    let card = identity::key_card(&mut w.institute).unwrap();
    let recipients = [PublicKeys { signing: card.signing_public, encryption: card.encryption_public }];
    let answer = |decision: Decision, seq: u32, decision_seq: u32, outcome: AppealOutcome| {
        serde_json::json!({
            "format": 1, "application_id": id, "call_id": w.call.id.to_string(), "version": 1, "seq": seq,
            "sha256": st.sha256.clone().unwrap(), "number": number, "decision": decision.as_str(),
            "reasons": ["不在支持范围内"], "fix_by": null, "decided_at": "2027-03-20T00:00:00Z",
            "appeal": { "decision_seq": decision_seq, "outcome": outcome.as_str(), "reason": "维持",
                        "received_on": "2027-03-21", "resolved_at": "2027-03-22T00:00:00Z" },
        })
    };
    let seal_as = |keys: &SecretKeys, payload: &serde_json::Value, file: &Path| {
        let seal = Seal {
            kind: Kind::Result,
            sender: keys,
            recipients: &recipients,
            confidential: true,
            created_at: "2027-03-22T00:00:00Z".into(),
            package_id: uuid::Uuid::now_v7(),
            audit_head: None,
        };
        package::seal(&seal, &serde_json::to_vec(payload).unwrap(), Vec::new(), file, &Limits::default()).unwrap();
    };
    // Another office's key, trusted by fingerprint: not the office that published the call.
    let (_stranger, stranger_keys, stranger_fp) = party(&w.path("stranger"), Role::Office, "冒名机构");
    let forged = w.path("forged.lxpkg");
    seal_as(&stranger_keys, &answer(Decision::Reject, 1, 1, AppealOutcome::Upheld), &forged);
    let err = import::import_file(
        &mut w.institute,
        &forged,
        Some(&w.inst_keys),
        &Trust::Fingerprint(stranger_fp),
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "package.result_not_from_office");
    // The real office's key but not what the office writes: an "upheld" answer repeating an accept, and a
    // "granted" answer that comes with no later decision.
    let bad = [
        answer(Decision::Accept, 1, 1, AppealOutcome::Upheld),
        answer(Decision::Reject, 2, 1, AppealOutcome::Upheld),
        answer(Decision::Accept, 1, 1, AppealOutcome::Granted),
    ];
    for (i, payload) in bad.iter().enumerate() {
        let file = w.path(&format!("bad-{i}.lxpkg"));
        seal_as(&w.office_keys, payload, &file);
        let err = w.import(&file).unwrap_err();
        assert_eq!(err.code(), "package.malformed", "{i}: {}", err.message(lixiang_core::Lang::En));
    }
    let st = formal::status(&mut w.institute, &id).unwrap();
    assert!(st.appeal.is_none(), "nothing of them was written");
    assert_eq!(st.result.map(|r| (r.seq, r.decision)), Some((1, Decision::Reject)));
    assert!(lixiang_core::audit::verify(&mut w.institute, |_| None).unwrap().is_intact());
}
