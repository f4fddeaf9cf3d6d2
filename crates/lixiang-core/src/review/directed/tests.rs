//! 定向委托 after its 可行性论证: the verdict counts of hand-made sheets, the refusals of the panel opinion,
//! the selection and the decisions on hand-made consolidations, and one round across separate workspaces —
//! packets, verdict sheets, returns, no ranking, the panel opinions, the selection, the result packages the
//! institute imports and reads.

use super::*;
use crate::call::review::{default_plan, embedded_templates, VerdictItem};
use crate::call::Unit;
use crate::import::{ImportOutcome, Trust};
use crate::lang::Bilingual;
use crate::review::expert;
use crate::review::sheet::{ItemVerdict, SheetDraft};
use crate::review::tests::{import, issue_all, world_with, World};
use crate::score::Method;

fn form() -> VerdictForm {
    VerdictForm {
        template: None,
        scale: VerdictScale::Feasibility,
        items: vec![
            VerdictItem { id: "route".into(), name: Bilingual::new("技术路线", "route") },
            VerdictItem { id: "budget".into(), name: Bilingual::new("经费预算", "budget") },
        ],
        per_core_indicator: false,
    }
}

fn sheet(expert: &str, route: Verdict, budget: Verdict) -> SealedSheet {
    SealedSheet {
        format: 1,
        packet_id: "p".into(),
        call_id: "c".into(),
        round: 1,
        number: "2027-ZX02-000001".into(),
        expert_number: expert.into(),
        expert_key_id: "k".into(),
        form_sha256: "f".into(),
        marks: Marks::Verdicts {
            verdicts: vec![
                ItemVerdict { item: "route".into(), verdict: route },
                ItemVerdict { item: "budget".into(), verdict: budget },
            ],
            opinion: format!("{expert} 的意见"),
        },
        sealed_at: "t".into(),
    }
}

#[test]
fn verdicts_are_counted_per_item_of_the_form() {
    use Verdict::*;
    let sheets = [sheet("ZJ1", Pass, Fail), sheet("ZJ2", PassAfterRevision, Fail), sheet("ZJ3", Pass, Pass)];
    let counts = count_verdicts(&form(), &sheets);
    let got: Vec<(&str, u32, u32, u32)> =
        counts.iter().map(|c| (c.item.as_str(), c.pass, c.pass_after_revision, c.fail)).collect();
    assert_eq!(got, [("route", 2, 1, 0), ("budget", 1, 0, 2)]);
    assert_eq!(counts[1].name_zh, "经费预算");
    assert!(count_verdicts(&form(), &[]).iter().all(|c| c.pass + c.pass_after_revision + c.fail == 0));
}

fn plan(number: &str, outstanding: u32, sheets: u32, panel: Option<&str>) -> PlanView {
    PlanView {
        number: number.into(),
        title: format!("方案 {number}"),
        unit: "单位".into(),
        requested_fen: 500_000_000,
        requested_wan: "500.0000".into(),
        assigned: sheets + outstanding,
        sheets,
        conflicts: 0,
        outstanding,
        awaited: (0..outstanding).map(|i| format!("ZJ00000{i}")).collect(),
        counts: vec![],
        opinions: vec![],
        declared: vec![],
        sheets_sha256: "h".into(),
        panel: panel.map(|v| PanelRow {
            call_id: "c".into(),
            round: 1,
            number: number.into(),
            verdict: v.into(),
            opinion: format!("{number} 综合意见"),
            changes: (v == "pass_after_revision").then(|| "压缩设备费".to_string()),
            sheets,
            sheets_sha256: "h".into(),
            awaited: "[]".into(),
            proceed_reason: None,
            recorded_at: "t".into(),
        }),
        selected: false,
        decided: None,
    }
}

fn consolidation_of(units: usize, plans: Vec<PlanView>) -> Consolidation {
    Consolidation {
        call: "2027-ZX02-01".into(),
        call_id: "c".into(),
        round: 1,
        units: (0..units).map(|i| format!("单位{i}")).collect(),
        designated: units == 1,
        funding_total_wan: "500.0000".into(),
        funding_total_fen: 500_000_000,
        plans,
        selection: None,
        decided: false,
    }
}

fn input(number: &str, verdict: Verdict, changes: Option<&str>) -> PanelInput {
    PanelInput {
        number: number.into(),
        verdict,
        opinion: "目标明确，路线可行".into(),
        changes: changes.map(Into::into),
        proceed_reason: None,
    }
}

#[test]
fn a_panel_opinion_waits_for_every_expert_and_says_what_it_must() {
    let c = consolidation_of(2, vec![plan("A", 1, 2, None), plan("B", 0, 0, None), plan("C", 0, 3, None)]);
    let code = |i: &PanelInput| check_panel(&c, i).unwrap_err().code();
    assert_eq!(code(&input("A", Verdict::Pass, None)), "directed.review_incomplete");
    assert!(check_panel(&c, &input("A", Verdict::Pass, None))
        .unwrap_err()
        .message(crate::Lang::En)
        .contains("ZJ000000"));
    assert_eq!(code(&input("B", Verdict::Pass, None)), "directed.no_sheets");
    assert_eq!(code(&input("Z", Verdict::Pass, None)), "not_found");
    assert_eq!(code(&input("C", Verdict::Met, None)), "input.invalid");
    assert_eq!(code(&input("C", Verdict::PassAfterRevision, None)), "input.invalid");
    assert_eq!(code(&input("C", Verdict::PassAfterRevision, Some("  "))), "input.invalid");
    assert_eq!(code(&input("C", Verdict::Fail, Some("补充"))), "input.invalid");
    assert_eq!(code(&PanelInput { opinion: " ".into(), ..input("C", Verdict::Pass, None) }), "input.invalid");
    let ok = check_panel(&c, &input("C", Verdict::PassAfterRevision, Some(" 压缩设备费 "))).unwrap();
    assert_eq!((ok.opinion.as_str(), ok.changes.as_deref()), ("目标明确，路线可行", Some("压缩设备费")));
    assert_eq!((ok.awaited.len(), ok.proceed_reason), (0, None));
    // Going on without the awaited expert takes a reason, kept with the expert's number.
    let blank = PanelInput { proceed_reason: Some(" ".into()), ..input("A", Verdict::Pass, None) };
    assert_eq!(code(&blank), "directed.review_incomplete");
    let on = PanelInput { proceed_reason: Some("专家因病无法到会".into()), ..input("A", Verdict::Pass, None) };
    let ok = check_panel(&c, &on).unwrap();
    assert_eq!((ok.awaited, ok.proceed_reason.as_deref()), (vec!["ZJ000000".to_string()], Some("专家因病无法到会")));
    // Never without any sheet.
    let none = PanelInput { proceed_reason: Some("r".into()), ..input("B", Verdict::Pass, None) };
    assert_eq!(code(&none), "directed.no_sheets");
    // Once a plan is selected or the round decided, no panel opinion changes.
    let mut selected = c.clone();
    selected.selection = Some(SelectionRow {
        call_id: "c".into(),
        round: 1,
        number: "C".into(),
        reason: "r".into(),
        selected_at: "t".into(),
    });
    assert_eq!(check_panel(&selected, &input("C", Verdict::Pass, None)).unwrap_err().code(), "directed.selected");
    let decided = Consolidation { decided: true, ..c };
    assert_eq!(check_panel(&decided, &input("C", Verdict::Pass, None)).unwrap_err().code(), "directed.decided");
    assert_eq!(parse_verdict("修改后通过"), Some(Verdict::PassAfterRevision));
    assert_eq!(parse_verdict("fail"), Some(Verdict::Fail));
    assert_eq!(parse_verdict("met"), None);
}

#[test]
fn the_office_selects_only_a_passing_plan_with_a_reason_and_a_designated_unit_is_not_selected() {
    let c = consolidation_of(
        3,
        vec![
            plan("A", 0, 3, Some("pass")),
            plan("B", 0, 3, Some("fail")),
            plan("C", 0, 3, Some("pass_after_revision")),
        ],
    );
    let err = check_selection(&c, "B", "方案最全").unwrap_err();
    assert_eq!(err.code(), "directed.plan_failed");
    assert!(err.message(crate::Lang::Zh).contains('B') && err.message(crate::Lang::En).contains("plan B"));
    assert_eq!(check_selection(&c, "A", "  ").unwrap_err().code(), "input.invalid");
    assert_eq!(check_selection(&c, "C", " 基础更扎实 ").unwrap(), "基础更扎实");
    let mut open = c.clone();
    open.plans[1].panel = None;
    assert_eq!(check_selection(&open, "A", "r").unwrap_err().code(), "directed.panel_missing");
    let one = consolidation_of(1, vec![plan("A", 0, 3, Some("pass"))]);
    assert_eq!(check_selection(&one, "A", "r").unwrap_err().code(), "directed.designated");
    // Decisions need the selection with invited units.
    assert_eq!(decide(&c, &FinalInput::default()).unwrap_err().code(), "directed.no_selection");
}

#[test]
fn every_plan_is_decided_from_its_panel_opinion_and_the_selection() {
    let mut c = consolidation_of(
        3,
        vec![
            plan("A", 0, 3, Some("pass")),
            plan("B", 0, 3, Some("fail")),
            plan("C", 0, 3, Some("pass_after_revision")),
        ],
    );
    c.selection = Some(SelectionRow {
        call_id: "c".into(),
        round: 1,
        number: "C".into(),
        reason: "示范基础更扎实".into(),
        selected_at: "t".into(),
    });
    let out = decide(&c, &FinalInput::default()).unwrap();
    let got: Vec<(&str, bool, i64)> = out.iter().map(|o| (o.number.as_str(), o.funded, o.amount_fen)).collect();
    assert_eq!(got, [("A", false, 0), ("B", false, 0), ("C", true, 500_000_000)]);
    assert!(out[0].reason_zh.contains("未被选定") && out[0].reason_zh.contains("示范基础更扎实"));
    assert!(out[1].reason_zh.contains("不通过") && out[1].reason_zh.contains("B 综合意见"));
    assert!(out[2].reason_zh.contains("修改后通过") && out[2].reason_zh.contains("压缩设备费"));
    // An amount only for the approved plan, above zero, within the request.
    let amount = |n: &str, fen: i64| FinalInput { amounts: [(n.to_string(), fen)].into() };
    assert_eq!(decide(&c, &amount("A", 100)).unwrap_err().code(), "input.invalid");
    assert_eq!(decide(&c, &amount("C", 500_000_001)).unwrap_err().code(), "input.invalid");
    assert_eq!(decide(&c, &amount("C", 400_000_000)).unwrap()[2].amount_fen, 400_000_000);
    // Over the call's total funding: refused until an adjusted amount fits.
    let poor = Consolidation { funding_total_fen: 300_000_000, ..c.clone() };
    assert_eq!(decide(&poor, &FinalInput::default()).unwrap_err().code(), "input.invalid");
    assert!(decide(&poor, &amount("C", 300_000_000)).is_ok());
    // A designated unit: approved when its panel passes it, not when it fails.
    let one = consolidation_of(1, vec![plan("A", 0, 3, Some("pass"))]);
    assert!(decide(&one, &FinalInput::default()).unwrap()[0].funded);
    let failed = consolidation_of(1, vec![plan("A", 0, 3, Some("fail"))]);
    assert!(!decide(&failed, &FinalInput::default()).unwrap()[0].funded);
    assert_eq!(
        decide(&Consolidation { decided: true, ..c }, &FinalInput::default()).unwrap_err().code(),
        "directed.decided"
    );
}

fn at(text: &str) -> Moment {
    Moment::parse(text).unwrap()
}

/// The review/tests.rs world as a 定向委托 call with two invited units (the institute's applications come
/// from the first), its default 可行性论证 plan, and three plans assigned to two experts each.
fn directed_world() -> World {
    world_with(|c| {
        c.places = 1;
        c.mode = Mode::DirectedCommission {
            units: vec![
                Unit {
                    name: "西藏自治区农牧科学院（示例）".into(), credit_code: "1254000045600101XR".into()
                },
                Unit { name: "西藏大学（示例）".into(), credit_code: "125400004560020208".into() },
            ],
        };
        c.review_plan = default_plan(c.category, &c.mode, &embedded_templates().unwrap()).unwrap();
    })
}

/// Each expert imports their packet and seals, on every plan except `skip` (expert number, 申报编号),
/// route 通过 and the other items `rest`, with an opinion of their own; the office imports the returns.
fn review(w: &mut World, rest: Verdict, skip: Option<(&str, &str)>) {
    let packets = issue_all(w, "packets");
    let office_fp = w.office.fp.clone();
    for (pi, p) in packets.iter().enumerate() {
        let e = w.expert(&p.expert_number);
        import(e, std::path::Path::new(&p.path), Trust::Fingerprint(office_fp.clone())).unwrap();
        let Form::Verdicts(form) = expert::held(&mut e.ws, &p.packet_id).unwrap().payload.form else {
            panic!("a verdict form")
        };
        for n in &p.items {
            if skip == Some((p.expert_number.as_str(), n.as_str())) {
                continue;
            }
            let mut d = SheetDraft { opinion: format!("第{pi}份论证意见：{n}"), ..SheetDraft::default() };
            for item in &form.items {
                let v = if item.id == "route" { Verdict::Pass } else { rest };
                d.verdicts.insert(item.id.clone(), verdict_code(v).into());
            }
            expert::save_draft(&mut e.ws, &p.packet_id, n, &d).unwrap();
            expert::seal(&mut e.ws, &p.packet_id, n).unwrap();
        }
        let ret = w.path(&format!("return-{pi}.lxpkg"));
        let e = w.expert(&p.expert_number);
        expert::write_return(&mut e.ws, &e.keys, &p.packet_id, &ret).unwrap();
        import(&mut w.office, &ret, Trust::AskFirst).unwrap();
    }
}

#[test]
fn a_directed_round_goes_from_verdicts_to_a_selected_plan_the_applicants_read() {
    let mut w = directed_world();
    let code = w.call.code.clone();
    let n = w.numbers.clone();
    // The second plan's first expert holds back their sheet.
    let held_back = {
        let c = consolidation(&mut w.office.ws, &code, None).unwrap();
        c.plans[1].awaited[0].clone()
    };
    review(&mut w, Verdict::PassAfterRevision, Some((&held_back, &n[1])));
    let t0 = at("2027-06-01T09:00:00+08:00");

    // No ranking, no recommendation list, no decision state of the other modes.
    let err = crate::review::view::ranking(&mut w.office.ws, &code, 1, Method::Mean).unwrap_err();
    assert_eq!((err.code(), err.kind()), ("directed.no_ranking", crate::error::ErrorKind::StateConflict));
    let err = decision::recommend(&mut w.office.ws, &code, 1, &Default::default(), t0).unwrap_err();
    assert_eq!(err.code(), "directed.no_ranking");
    assert_eq!(decision::show(&mut w.office.ws, &code, 1).unwrap_err().code(), "directed.no_ranking");

    // The consolidation: two sheets on each complete plan, the route passed by all, the rest 修改后通过.
    let c = consolidation(&mut w.office.ws, &code, None).unwrap();
    assert_eq!((c.round, c.designated, c.plans.len()), (1, false, 3));
    let counts: Vec<(&str, u32, u32, u32)> =
        c.plans[0].counts.iter().map(|x| (x.item.as_str(), x.pass, x.pass_after_revision, x.fail)).collect();
    assert_eq!(counts[0], ("objectives", 0, 2, 0));
    assert!(counts.contains(&("route", 2, 0, 0)));
    assert_eq!(c.plans[0].opinions.len(), 2);
    assert!(c.plans[0].opinions.iter().all(|o| o.opinion.contains(&n[0])));
    assert_eq!((c.plans[1].sheets, c.plans[1].outstanding), (1, 1));
    assert_eq!(c.plans[1].awaited, std::slice::from_ref(&held_back));

    // The panel opinion waits for every expert of a plan.
    let panel_with = |w: &mut World, number: &str, verdict, changes: Option<&str>, proceed: Option<&str>| {
        let i = PanelInput {
            number: number.into(),
            verdict,
            opinion: format!("{number} 专家组综合意见"),
            changes: changes.map(Into::into),
            proceed_reason: proceed.map(Into::into),
        };
        record_panel(&mut w.office.ws, &code, None, &i, t0)
    };
    let panel =
        |w: &mut World, number: &str, verdict, changes: Option<&str>| panel_with(w, number, verdict, changes, None);
    let err = panel(&mut w, &n[1], Verdict::Fail, None).unwrap_err();
    assert_eq!((err.code(), err.kind()), ("directed.review_incomplete", crate::error::ErrorKind::StateConflict));
    assert!(err.message(crate::Lang::Zh).contains(&held_back));
    let err = select(&mut w.office.ws, &code, None, &n[0], "理由", t0).unwrap_err();
    assert_eq!(err.code(), "directed.panel_missing");

    panel(&mut w, &n[0], Verdict::PassAfterRevision, Some("压缩设备费，补充风险应对")).unwrap();
    // The officer goes on without the held-back expert, with a reason kept beside the opinion.
    let c = panel_with(&mut w, &n[1], Verdict::Fail, None, Some("专家因病无法论证")).unwrap();
    let p1 = c.plans[1].panel.as_ref().unwrap();
    assert_eq!((p1.sheets, p1.proceed_reason.as_deref()), (1, Some("专家因病无法论证")));
    assert_eq!(p1.awaited, format!("[\"{held_back}\"]"));
    panel(&mut w, &n[2], Verdict::Pass, None).unwrap();
    // Recorded again (the panel reconsidered): replaced, both in the chain.
    let c = panel(&mut w, &n[2], Verdict::Pass, None).unwrap();
    assert_eq!(c.plans[2].panel.as_ref().unwrap().sheets, 2);
    let err = select(&mut w.office.ws, &code, None, &n[1], "方案最全", t0).unwrap_err();
    assert_eq!(err.code(), "directed.plan_failed");
    assert!(err.message(crate::Lang::Zh).contains(&n[1]));
    let c = select(&mut w.office.ws, &code, None, &n[0], "示范基础更扎实，团队经验丰富", t0).unwrap();
    assert!(c.plans[0].selected && !c.plans[2].selected);
    assert_eq!(panel(&mut w, &n[2], Verdict::Fail, None).unwrap_err().code(), "directed.selected");

    let out = w.path("results");
    std::fs::create_dir_all(&out).unwrap();
    let keys = w.office.keys.clone();
    let decided =
        finalize(&mut w.office.ws, &keys, &code, None, &FinalInput::default(), at("2027-06-02T09:00:00+08:00"), &out)
            .unwrap();
    let got: Vec<(&str, bool)> = decided.iter().map(|d| (d.number.as_str(), d.funded)).collect();
    assert_eq!(got, [(n[0].as_str(), true), (n[1].as_str(), false), (n[2].as_str(), false)]);
    assert!(decided.iter().all(|d| d.rank.is_none()));
    let err = finalize(&mut w.office.ws, &keys, &code, None, &FinalInput::default(), t0, &out).unwrap_err();
    assert_eq!(err.code(), "directed.decided");
    let events = w.office.ws.store.read(|r| r.audit_events()).unwrap();
    let kinds: Vec<&str> = events.iter().filter(|e| e.action == "decision").map(|e| e.record_kind.as_str()).collect();
    assert_eq!(
        kinds,
        ["panel_opinion", "panel_opinion", "panel_opinion", "panel_opinion", "selection", "final_decision"]
    );

    // The institute reads each result: the decision, the panel opinion and the anonymised opinions.
    let office_fp = w.office.fp.clone();
    let submissions = w.office.ws.store.read(|r| r.submissions_latest()).unwrap();
    for (k, d) in decided.iter().enumerate() {
        let got =
            import(&mut w.institute, std::path::Path::new(&d.path), Trust::Fingerprint(office_fp.clone())).unwrap();
        assert!(matches!(got, ImportOutcome::Imported { ref kind, .. } if kind == "result"), "{got:?}");
        let app_id = submissions.iter().find(|s| s.number == d.number).unwrap().application_id.clone();
        let st = crate::application::formal::status(&mut w.institute.ws, &app_id).unwrap();
        let f = st.funding.unwrap();
        assert_eq!(f.funded, d.funded);
        let fz = f.feasibility.unwrap();
        assert_eq!(fz.panel_verdict, ["pass_after_revision", "fail", "pass"][k]);
        assert_eq!(fz.selected, Some(k == 0));
        assert_eq!(fz.selection_reason.as_deref(), Some("示范基础更扎实，团队经验丰富"));
        assert!(f.comments.opinions.iter().all(|o| o.contains(&d.number)) && !f.comments.opinions.is_empty());
        let body = w.institute.ws.store.read(|r| r.funding_result(&app_id)).unwrap().unwrap().body;
        for id in ["ZJ000001", "ZJ000002", "ZJ000003", "甲", "乙", "丙"] {
            assert!(!body.contains(id), "{id} in {body}");
        }
    }
    if let Some(fz) = decided.first() {
        assert!(fz.reason_zh.contains("压缩设备费"));
    }
}
