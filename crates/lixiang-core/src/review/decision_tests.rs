//! The funding decision of a round across separate workspaces: packets, returns, the recommendation list
//! with an item added below the line, the 公示 with two objections, the final decision refused until the
//! period has ended and every objection is resolved, then the result packages that the institute imports
//! and reads — with the experts' comments and nothing that names an expert.

use super::decision::{self, FinalInput, RecommendInput};
use super::expert;
use super::tests::{full_draft, import, issue_all, world_with, World};
use crate::application::formal;
use crate::calendar::{Date, Moment};
use crate::import::{ImportOutcome, Trust};
use crate::money::Fen;
use crate::score::{Grade, Method};
use std::collections::BTreeSet;
use std::path::Path;

fn at(text: &str) -> Moment {
    Moment::parse(text).unwrap()
}

/// The world of review/tests.rs with a budget that covers one request and a half, every expert scoring
/// every item of their packet (item k at 0.9 − 0.1·k of each maximum) with strengths and weaknesses of
/// their own, and the returns imported by the office.
pub(crate) fn reviewed() -> World {
    let mut w = world_with(|c| {
        let fiscal = crate::application::demo_application(c).budget.requested.fiscal.get();
        c.funding_total = Fen::new(fiscal * 3 / 2);
        c.places = 1;
    });
    let packets = issue_all(&mut w, "packets");
    let office_fp = w.office.fp.clone();
    let numbers = w.numbers.clone();
    for (pi, p) in packets.iter().enumerate() {
        let e = w.expert(&p.expert_number);
        import(e, Path::new(&p.path), Trust::Fingerprint(office_fp.clone())).unwrap();
        let form = expert::held(&mut e.ws, &p.packet_id).unwrap().payload.form;
        for n in &p.items {
            let k = numbers.iter().position(|x| x == n).unwrap();
            let mut d = full_draft(&form, 0.9 - 0.1 * k as f64, Grade::B);
            d.strengths = format!("第{pi}份意见：研究基础扎实（{k}）");
            d.weaknesses = format!("第{pi}份意见：示范规模偏小（{k}）");
            expert::save_draft(&mut e.ws, &p.packet_id, n, &d).unwrap();
            expert::seal(&mut e.ws, &p.packet_id, n).unwrap();
        }
        let ret = w.path(&format!("return-{pi}.lxpkg"));
        let e = w.expert(&p.expert_number);
        expert::write_return(&mut e.ws, &e.keys, &p.packet_id, &ret).unwrap();
        import(&mut w.office, &ret, Trust::AskFirst).unwrap();
    }
    w
}

#[test]
fn a_round_goes_from_the_list_through_the_notice_to_results_the_applicant_reads() {
    let mut w = reviewed();
    let code = w.call.code.clone();
    let n = w.numbers.clone();
    let t0 = at("2027-06-01T09:00:00+08:00");

    // The funding line takes the first item only (the budget covers one request and a half).
    let view = super::view::ranking(&mut w.office.ws, &code, 1, Method::Mean).unwrap();
    let order: Vec<&str> = view.rows.iter().map(|r| r.number.as_str()).collect();
    assert_eq!(order, [n[0].as_str(), n[1].as_str(), n[2].as_str()]);
    assert_eq!(view.rows.iter().filter(|r| r.funded).count(), 1);

    // Nothing before a list exists; the officer's changes need reasons and must make sense.
    let err = decision::start_publicity(&mut w.office.ws, &code, 1, Date::new(2027, 6, 2).unwrap(), 7, t0).unwrap_err();
    assert_eq!(err.code(), "decision.no_recommendation");
    let add = |number: &str, reason: &str| RecommendInput {
        add: vec![(number.to_string(), reason.to_string())],
        ..RecommendInput::default()
    };
    for (input, code_) in [
        (add(&n[1], "  "), "input.invalid"),
        (add(&n[0], "已在线内"), "input.invalid"),
        (add("2027-ZX06-999999", "无此项"), "not_found"),
        (RecommendInput { drop: vec![(n[2].clone(), "线下".into())], ..RecommendInput::default() }, "input.invalid"),
    ] {
        let err = decision::recommend(&mut w.office.ws, &code, 1, &input, t0).unwrap_err();
        assert_eq!(err.code(), code_, "{err}");
    }
    let list = decision::recommend(&mut w.office.ws, &code, 1, &add(&n[1], "非共识项目，支持探索性研究"), t0).unwrap();
    let listed: Vec<(&str, decision::Basis)> = list.items.iter().map(|i| (i.number.as_str(), i.basis)).collect();
    assert_eq!(listed, [(n[0].as_str(), decision::Basis::Line), (n[1].as_str(), decision::Basis::Added)]);
    assert_eq!(list.method, "mean");
    assert_eq!(list.ranking_sha256, crate::audit::record_sha256(&view).unwrap(), "the list names its ranking");

    // The 公示: at least five days; once started the list is frozen and a second 公示 refused.
    let err = decision::start_publicity(&mut w.office.ws, &code, 1, Date::new(2027, 6, 2).unwrap(), 3, t0).unwrap_err();
    assert_eq!(err.code(), "input.invalid");
    let err = decision::record_objection(&mut w.office.ws, &code, 1, &n[0], Date::new(2027, 6, 3).unwrap(), "x", t0)
        .unwrap_err();
    assert_eq!(err.code(), "decision.no_publicity");
    let p = decision::start_publicity(&mut w.office.ws, &code, 1, Date::new(2027, 6, 2).unwrap(), 7, t0).unwrap();
    assert_eq!((p.starts_on.as_str(), p.ends_on.as_str()), ("2027-06-02", "2027-06-08"));
    let err = decision::recommend(&mut w.office.ws, &code, 1, &RecommendInput::default(), t0).unwrap_err();
    assert_eq!(err.code(), "decision.list_frozen");
    assert_eq!(err.kind(), crate::error::ErrorKind::StateConflict);
    let err = decision::start_publicity(&mut w.office.ws, &code, 1, Date::new(2027, 6, 9).unwrap(), 7, t0).unwrap_err();
    assert_eq!(err.code(), "decision.publicity_started");

    // Two objections: one against the first item (dismissed), one against the added item (upheld).
    let day = |d| Date::new(2027, 6, d).unwrap();
    let o1 = decision::record_objection(&mut w.office.ws, &code, 1, &n[0], day(3), "负责人在研项目超限", t0).unwrap();
    let o2 = decision::record_objection(&mut w.office.ws, &code, 1, &n[1], day(4), "示范基地不在申报地区", t0).unwrap();
    let err = decision::record_objection(&mut w.office.ws, &code, 1, &n[0], day(1), "早于公示", t0).unwrap_err();
    assert_eq!(err.code(), "input.invalid");

    let out = w.path("results");
    std::fs::create_dir_all(&out).unwrap();
    let keys = w.office.keys.clone();
    let finalize = |w: &mut World, when: &str, input: &FinalInput| {
        decision::finalize(&mut w.office.ws, &keys, &code, 1, input, at(when), &out)
    };
    // Within the period (its last second in Beijing time): refused, whatever the objections.
    let err = finalize(&mut w, "2027-06-08T23:59:59+08:00", &FinalInput::default()).unwrap_err();
    assert_eq!(err.code(), "decision.publicity_running");
    assert_eq!(err.kind(), crate::error::ErrorKind::StateConflict);
    assert!(err.message(crate::Lang::Zh).contains("2027-06-08") && err.message(crate::Lang::En).contains("2027-06-08"));
    // After it, refused while an objection is open.
    let err = finalize(&mut w, "2027-06-09T00:00:00+08:00", &FinalInput::default()).unwrap_err();
    assert_eq!(err.code(), "decision.objection_open");
    decision::resolve_objection(&mut w.office.ws, o1.id, false, "经核查，在研项目未超限", t0).unwrap();
    let err = finalize(&mut w, "2027-06-09T00:00:00+08:00", &FinalInput::default()).unwrap_err();
    assert_eq!(err.code(), "decision.objection_open", "one still open");
    let err = decision::resolve_objection(&mut w.office.ws, o1.id, true, "改判", t0).unwrap_err();
    assert_eq!(err.code(), "decision.objection_resolved");
    let err = decision::resolve_objection(&mut w.office.ws, o2.id, true, " ", t0).unwrap_err();
    assert_eq!(err.code(), "input.invalid");
    decision::resolve_objection(&mut w.office.ws, o2.id, true, "示范基地确不在申报地区", t0).unwrap();
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0, "nothing written by a refusal");

    // An adjusted amount only for a listed item, and never above the request.
    let requested = super::office::round_input(&mut w.office.ws, &code, 1).unwrap().requests_fen[&n[0]];
    let amount = |number: &str, fen: i64| FinalInput { amounts: [(number.to_string(), fen)].into() };
    let err = finalize(&mut w, "2027-06-09T00:00:00+08:00", &amount(&n[2], 100)).unwrap_err();
    assert_eq!(err.code(), "input.invalid");
    let err = finalize(&mut w, "2027-06-09T00:00:00+08:00", &amount(&n[0], requested + 1)).unwrap_err();
    assert_eq!(err.code(), "input.invalid");
    // 10 万元 less than requested.
    let adjusted = requested - 10_000_000;
    let decided = finalize(&mut w, "2027-06-09T00:00:00+08:00", &amount(&n[0], adjusted)).unwrap();
    let got: Vec<(&str, bool, i64)> = decided.iter().map(|d| (d.number.as_str(), d.funded, d.amount_fen)).collect();
    assert_eq!(got, [(n[0].as_str(), true, adjusted), (n[1].as_str(), false, 0), (n[2].as_str(), false, 0)]);
    assert!(decided[1].reason_zh.contains("异议成立") && decided[1].reason_zh.contains("示范基地确不在申报地区"));
    assert!(decided[2].reason_zh.contains("资金线以下"));
    let err = finalize(&mut w, "2027-06-10T00:00:00+08:00", &FinalInput::default()).unwrap_err();
    assert_eq!(err.code(), "decision.already_final");
    let err = decision::record_objection(&mut w.office.ws, &code, 1, &n[2], day(9), "迟到的异议", t0).unwrap_err();
    assert_eq!(err.code(), "decision.already_final");

    // The result packages can be written again, byte for byte (a copy lost on the way): all of them, or some.
    let again_dir = w.path("results-again");
    std::fs::create_dir_all(&again_dir).unwrap();
    let resent = crate::outgoing::resend_funding(&mut w.office.ws, &keys, &code, 1, &[], &again_dir).unwrap();
    assert_eq!(resent.len(), decided.len());
    for (d, r) in decided.iter().zip(&resent) {
        assert_eq!((r.number.as_str(), r.sealed_now), (d.number.as_str(), false));
        assert_eq!(
            Path::new(&r.path).file_name(),
            Path::new(&d.path).file_name(),
            "the name it was first written with"
        );
        assert_eq!(std::fs::read(&r.path).unwrap(), std::fs::read(&d.path).unwrap());
    }
    let one = crate::outgoing::resend_funding(&mut w.office.ws, &keys, &code, 1, &[n[1].clone()], &again_dir).unwrap();
    assert_eq!(one.iter().map(|r| r.number.as_str()).collect::<Vec<_>>(), [n[1].as_str()]);
    let err =
        crate::outgoing::resend_funding(&mut w.office.ws, &keys, &code, 1, &["2027-ZX06-999999".into()], &again_dir)
            .unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert!(err.message(crate::Lang::Zh).contains("2027-ZX06-999999"));
    // The office's list (申报受理) reads the final decisions, not the formal check's 形式审查通过, and
    // can be narrowed to them.
    use crate::application::office::{office_list, ListQuery, OfficeStatus};
    let listed = office_list(&mut w.office.ws, &ListQuery::default()).unwrap();
    let status_of = |number: &str| listed.iter().find(|r| r.number == number).unwrap().status;
    assert_eq!(status_of(&n[0]), OfficeStatus::Funded);
    assert_eq!((status_of(&n[1]), status_of(&n[2])), (OfficeStatus::NotFunded, OfficeStatus::NotFunded));
    assert_eq!((OfficeStatus::Funded.zh(), OfficeStatus::NotFunded.zh()), ("立项", "不予立项"));
    let mut only = |status| {
        let q = ListQuery { status: Some(status), ..ListQuery::default() };
        office_list(&mut w.office.ws, &q).unwrap().into_iter().map(|r| r.number).collect::<Vec<_>>()
    };
    assert_eq!(only(OfficeStatus::Funded), [n[0].clone()]);
    assert_eq!(only(OfficeStatus::NotFunded).len(), 2);
    assert!(only(OfficeStatus::Accepted).is_empty());

    // Every step is in the audit chain, and the chain holds.
    let events = w.office.ws.store.read(|r| r.audit_events()).unwrap();
    let kinds: Vec<&str> = events.iter().filter(|e| e.action == "decision").map(|e| e.record_kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["recommendation", "publicity", "objection", "objection", "objection", "objection", "final_decision"]
    );

    // The institute imports the results: 立项 with the amount, 不予立项 with the reason, and the comments.
    let office_fp = w.office.fp.clone();
    let experts: Vec<(String, String)> = (0..3)
        .map(|i| {
            let e = &mut w.experts[i];
            let info = crate::identity::info(&mut e.ws).unwrap().unwrap();
            (format!("ZJ{:06}", i + 1), info.key_id)
        })
        .collect();
    let office_sheets = w.office.ws.store.read(|r| r.review_sheets_counted(&w.call.id.to_string(), 1)).unwrap();
    let submissions = w.office.ws.store.read(|r| r.submissions_latest()).unwrap();
    for d in &decided {
        let got = import(&mut w.institute, Path::new(&d.path), Trust::Fingerprint(office_fp.clone())).unwrap();
        assert!(matches!(got, ImportOutcome::Imported { ref kind, .. } if kind == "result"), "{got:?}");
        let again = import(&mut w.institute, Path::new(&d.path), Trust::AskFirst).unwrap();
        assert!(matches!(again, ImportOutcome::AlreadyImported { .. }));
        let app_id = submissions.iter().find(|s| s.number == d.number).unwrap().application_id.clone();
        let st = formal::status(&mut w.institute.ws, &app_id).unwrap();
        let f = st.funding.as_ref().unwrap();
        assert_eq!(f.funded, d.funded);
        if d.funded {
            assert_eq!((st.state.as_str(), st.state_zh.as_str()), ("approved", "立项"));
            assert_eq!(f.amount_wan, crate::money::format_wan(adjusted));
        } else {
            assert_eq!((st.state.as_str(), st.state_zh.as_str()), ("not_approved", "不予立项"));
            assert_eq!(f.reason_zh, d.reason_zh);
        }
        // The comments are every sheet's, sorted by text, nothing else.
        let mine: Vec<&lixiang_store::ReceivedSheetRow> =
            office_sheets.iter().filter(|s| s.number == d.number).collect();
        assert_eq!(f.comments.strengths.len(), mine.len());
        assert_eq!(f.score.as_ref().unwrap().n as usize, mine.len());
        let mut sorted = f.comments.strengths.clone();
        sorted.sort();
        assert_eq!(f.comments.strengths, sorted);
        assert!(f.comments.weaknesses.iter().all(|t| t.contains("示范规模偏小")));

        // The decrypted payload as stored on the applicant's laptop names no expert.
        let body = w.institute.ws.store.read(|r| r.funding_result(&app_id)).unwrap().unwrap().body;
        let mut identifiers: BTreeSet<String> = BTreeSet::new();
        for (number, key_id) in &experts {
            identifiers.insert(number.clone());
            identifiers.insert(key_id.clone());
        }
        for name in ["甲", "乙", "丙"] {
            identifiers.insert(name.to_string());
        }
        for s in &office_sheets {
            identifiers.insert(s.packet_id.clone());
            identifiers.insert(s.receipt_sha256.clone());
        }
        for id in &identifiers {
            assert!(!body.contains(id.as_str()), "{id} found in the result payload: {body}");
        }
        assert!(!body.contains("expert"), "no expert field: {body}");
    }
}

#[test]
fn a_formal_check_result_still_reads_as_one_after_a_funding_result_type_exists() {
    // The world's formal-check results (written by formal::decide) are read by the formal handler: the
    // institute's applications show 形式审查通过, with no funding result.
    let mut w = world_with(|_| {});
    let office_fp = w.office.fp.clone();
    let submissions = w.office.ws.store.read(|r| r.submissions_latest()).unwrap();
    for (i, s) in submissions.iter().enumerate() {
        let res = w.path(&format!("res-{i}.lxpkg"));
        import(&mut w.institute, &res, Trust::Fingerprint(office_fp.clone())).unwrap();
        let st = formal::status(&mut w.institute.ws, &s.application_id).unwrap();
        assert_eq!(st.state, "accepted");
        assert!(st.funding.is_none());
    }
}
