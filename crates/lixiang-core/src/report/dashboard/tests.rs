//! The dashboard's figures against a hand-made portfolio: sums, statuses, exclusions, pipeline counts,
//! the histogram and each expert's leniency, all computed by hand below.

use super::*;
use crate::application::{IndicatorKind, Quantity};
use crate::call::Direction;

fn ind(id: &str, kind: IndicatorKind, value: &str, unit: &str, target: Option<&str>) -> Indicator {
    Indicator {
        id: id.into(),
        name: format!("指标{id}"),
        kind,
        unit: unit.into(),
        baseline: None,
        target: Quantity::parse(value).unwrap(),
        direction: Direction::AtLeast,
        plan_target: target.map(str::to_string),
        core_indicator: None,
    }
}

fn app(number: &str, programme: &str, stage: PipelineStage, indicators: Vec<Indicator>) -> HeldApplication {
    HeldApplication {
        number: number.into(),
        title: format!("项目{number}"),
        call: format!("2027-{programme}-01"),
        programme: programme.into(),
        stage,
        indicators,
    }
}

fn sheet(item: &str, expert: &str, total: f64) -> Sheet {
    Sheet { item: item.into(), expert: expert.into(), total, grade: None }
}

/// ZX06 (现代农牧业): T1 10–15 个, T2 25–30 项, T3 5–10 个, T4 1–2 家, as the shipped catalog prints them.
fn portfolio() -> Portfolio {
    use IndicatorKind::*;
    use PipelineStage::*;
    let applications = vec![
        // Approved, listed out of order on purpose: contributions come back by 申报编号.
        app(
            "2027-ZX06-000002",
            "ZX06",
            Funded,
            vec![
                ind("K1", Variety, "4", "个", Some("ZX06-T1")),
                // The unit disagrees with T3's 个: must not count.
                ind("K2", Product, "3", "台", Some("ZX06-T3")),
                ind("K3", Platform, "3", "家", Some("ZX06-T4")),
                // A patent serves no plan target, even in the right unit.
                ind("K4", Patent, "5", "项", Some("ZX06-T2")),
            ],
        ),
        app(
            "2027-ZX06-000001",
            "ZX06",
            Funded,
            vec![
                ind("K1", Variety, "8", "个", Some("ZX06-T1")),
                ind("K2", Technology, "20", " 项 ", Some("ZX06-T2")),
                ind("K3", Paper, "6", "篇", None),
            ],
        ),
        // Not approved, in review, recommended: what they promise counts nowhere.
        app("2027-ZX06-000003", "ZX06", NotFunded, vec![ind("K1", Variety, "20", "个", Some("ZX06-T1"))]),
        app("2027-ZX06-000004", "ZX06", InReview, vec![ind("K1", Technology, "30", "项", Some("ZX06-T2"))]),
        app("2027-ZX06-000005", "ZX06", Recommended, vec![ind("K1", Product, "9", "个", Some("ZX06-T3"))]),
        app("2027-ZX06-000006", "ZX06", Received, vec![]),
        // Approved in ZX01, linking a ZX06 target: not its programme's.
        app("2027-ZX01-000001", "ZX01", Funded, vec![ind("K1", Technology, "2", "个", Some("ZX06-T1"))]),
    ];
    let rounds = vec![
        RoundScores {
            call: "2027-ZX06-01".into(),
            programme: "ZX06".into(),
            round: 1,
            kind: RoundKind::MailReview,
            sheets: vec![
                sheet("X", "E2", 80.0),
                sheet("Z", "E3", 100.0),
                sheet("X", "E1", 90.0),
                sheet("Y", "E1", 80.0),
                sheet("X", "E3", 70.0),
                sheet("Y", "E2", 70.0),
                sheet("Z", "E2", 60.0),
                sheet("W", "E4", 5.5),
            ],
        },
        RoundScores {
            call: "2027-ZX01-01".into(),
            programme: "ZX01".into(),
            round: 1,
            kind: RoundKind::PanelReview,
            sheets: vec![sheet("A", "E9", 75.0)],
        },
    ];
    Portfolio { catalog: crate::catalog::embedded().unwrap(), applications, rounds }
}

fn target<'a>(d: &'a Dashboard, code: &str) -> &'a TargetCoverage {
    d.programmes.iter().flat_map(|p| &p.targets).find(|t| t.code == code).unwrap()
}

#[test]
fn committed_sums_count_only_approved_projects_linked_in_the_targets_unit() {
    let d = build(&portfolio(), None).unwrap();
    assert_eq!(d.programmes.len(), 8);
    assert_eq!(d.programmes.iter().map(|p| p.code.as_str()).collect::<Vec<_>>()[5], "ZX06");

    // T1: 8 + 4 = 12 within 10–15 (the not-approved 20 and ZX01's 2 left out).
    let t1 = target(&d, "ZX06-T1");
    assert_eq!((t1.committed, t1.status, t1.min, t1.max), (12.0, Coverage::Covered, 10, 15));
    assert_eq!(
        t1.contributions.iter().map(|c| (c.number.as_str(), c.indicator.as_str(), c.value)).collect::<Vec<_>>(),
        [("2027-ZX06-000001", "K1", 8.0), ("2027-ZX06-000002", "K1", 4.0)]
    );
    // T2: 20 below 25 (the patent's 5 and the in-review 30 left out); a unit typed with spaces still agrees.
    let t2 = target(&d, "ZX06-T2");
    assert_eq!((t2.committed, t2.status), (20.0, Coverage::Under));
    // T3: the 3 台 do not count towards 个.
    let t3 = target(&d, "ZX06-T3");
    assert_eq!((t3.committed, t3.status, t3.contributions.len()), (0.0, Coverage::Under, 0));
    // T4: 3 家 above 1–2.
    let t4 = target(&d, "ZX06-T4");
    assert_eq!((t4.committed, t4.status), (3.0, Coverage::Over));

    let zx06 = d.programmes.iter().find(|p| p.code == "ZX06").unwrap();
    assert_eq!(
        zx06.excluded.iter().map(|e| (e.number.as_str(), e.indicator.as_str(), e.reason)).collect::<Vec<_>>(),
        [("2027-ZX06-000002", "K2", Excluded::UnitMismatch), ("2027-ZX06-000002", "K4", Excluded::KindNotLinkable)]
    );
    let zx01 = d.programmes.iter().find(|p| p.code == "ZX01").unwrap();
    assert_eq!(zx01.excluded.len(), 1);
    assert_eq!((zx01.excluded[0].plan_target.as_str(), zx01.excluded[0].reason), ("ZX06-T1", Excluded::NotInProgramme));
    assert!(zx01.targets.iter().all(|t| t.committed == 0.0 && t.status == Coverage::Under));

    // The pipeline: every stage in order, zeros included.
    let counts: Vec<(PipelineStage, u32)> = zx06.pipeline.iter().map(|s| (s.stage, s.count)).collect();
    use PipelineStage::*;
    assert_eq!(
        counts,
        [
            (Received, 1),
            (Returned, 0),
            (NotAccepted, 0),
            (Accepted, 0),
            (InReview, 1),
            (Recommended, 1),
            (Funded, 2),
            (NotFunded, 1),
            (Withdrawn, 0)
        ]
    );
    assert_eq!((zx06.applications, zx06.approved, zx01.approved, d.approved), (6, 2, 1, 3));
    assert_eq!(d.plan_indicators.len(), 8);
    assert!(d.notice_zh.contains("不是实际完成值") && d.notice_en.contains("post-award"));
}

#[test]
fn histogram_and_leniency_are_the_hand_computed_figures() {
    let d = build(&portfolio(), None).unwrap();
    assert_eq!(d.rounds.iter().map(|r| r.call.as_str()).collect::<Vec<_>>(), ["2027-ZX01-01", "2027-ZX06-01"]);
    let r = &d.rounds[1];
    assert_eq!((r.sheets, r.kind.as_str(), r.kind_zh.as_str()), (8, "mail_review", "通讯评审"));
    assert!((r.mean - 555.5 / 8.0).abs() < 1e-12);
    // 5.5 in 0–10; 60; 70, 70; 80, 80; 90 and 100 in the last bin.
    let counts: Vec<u32> = r.bins.iter().map(|b| b.count).collect();
    assert_eq!(counts, [1, 0, 0, 0, 0, 0, 1, 2, 2, 2]);
    assert_eq!((r.bins[9].from, r.bins[9].to), (90, 100));

    let close = |a: Option<f64>, b: f64| a.is_some_and(|a| (a - b).abs() < 1e-9);
    let e: BTreeMap<&str, &ExpertLeniency> = r.experts.iter().map(|e| (e.expert.as_str(), e)).collect();
    assert_eq!(r.experts.iter().map(|e| e.expert.as_str()).collect::<Vec<_>>(), ["E1", "E2", "E3", "E4"]);
    // E1: X 90 (others 80, 70 → 75), Y 80 (other 70).
    let e1 = e["E1"];
    assert_eq!((e1.sheets, e1.mean, e1.compared), (2, 85.0, 2));
    assert!(close(e1.sd, 50f64.sqrt()));
    assert!(close(e1.panel_mean, 72.5) && close(e1.difference, 12.5));
    assert!(close(e1.panel_sd, (200.0f64 / 3.0 / 2.0).sqrt()));
    // E2: X 80 (others 90, 70 → 80), Y 70 (other 80), Z 60 (other 100): the severe one.
    let e2 = e["E2"];
    assert_eq!((e2.sheets, e2.mean), (3, 70.0));
    assert!(close(e2.sd, 10.0));
    assert!(close(e2.panel_mean, 260.0 / 3.0) && close(e2.difference, -50.0 / 3.0));
    assert!(close(e2.panel_sd, (500.0f64 / 3.0).sqrt()));
    // E3: X 70 (others 90, 80 → 85), Z 100 (other 60).
    let e3 = e["E3"];
    assert!(close(e3.panel_mean, 72.5) && close(e3.difference, 12.5));
    assert!(close(e3.sd, 450f64.sqrt()));
    // E4 scored an item alone: no panel to compare with.
    let e4 = e["E4"];
    assert_eq!((e4.sheets, e4.sd, e4.compared, e4.panel_mean, e4.difference), (1, None, 0, None, None));
}

#[test]
fn the_same_portfolio_in_any_order_gives_the_same_dashboard_and_one_programme_is_filtered() {
    let p = portfolio();
    let mut q = p.clone();
    q.applications.reverse();
    for r in &mut q.rounds {
        r.sheets.reverse();
    }
    q.rounds.reverse();
    assert_eq!(build(&p, None).unwrap(), build(&q, None).unwrap());

    let one = build(&p, Some("ZX06")).unwrap();
    assert_eq!(one.programmes.len(), 1);
    assert_eq!(one.rounds.len(), 1, "only ZX06's rounds");
    assert_eq!(one.approved, 2);
    assert!(matches!(build(&p, Some("ZX09")), Err(CoreError::NotFound { .. })));
}

#[test]
fn an_empty_office_shows_every_target_under_with_nothing_committed() {
    let p = Portfolio { catalog: crate::catalog::embedded().unwrap(), applications: vec![], rounds: vec![] };
    let d = build(&p, None).unwrap();
    assert_eq!(d.programmes.iter().map(|p| p.targets.len()).sum::<usize>(), 24, "专栏19 has 24 targets");
    assert!(d.programmes.iter().flat_map(|p| &p.targets).all(|t| t.committed == 0.0 && t.status == Coverage::Under));
    assert_eq!((d.approved, d.rounds.len()), (0, 0));
}

#[test]
fn the_stage_follows_the_furthest_record() {
    use PipelineStage as S;
    assert_eq!(S::of("accepted", true, true, Some(true)), S::Funded);
    assert_eq!(S::of("accepted", true, true, Some(false)), S::NotFunded);
    assert_eq!(S::of("accepted", true, true, None), S::Recommended);
    assert_eq!(S::of("accepted", true, false, None), S::InReview);
    assert_eq!(S::of("accepted", false, false, None), S::Accepted);
    assert_eq!(S::of("returned", false, false, None), S::Returned);
    assert_eq!(S::of("not_accepted", false, false, None), S::NotAccepted);
    assert_eq!(S::of("withdrawn", true, false, None), S::Withdrawn);
    assert_eq!(S::of("received", false, false, None), S::Received);
}

#[test]
fn coverage_bounds_are_inclusive() {
    assert_eq!(Coverage::of(9.5, 10, 15), Coverage::Under);
    assert_eq!(Coverage::of(10.0, 10, 15), Coverage::Covered);
    assert_eq!(Coverage::of(15.0, 10, 15), Coverage::Covered);
    assert_eq!(Coverage::of(15.5, 10, 15), Coverage::Over);
    assert_eq!(Coverage::of(1.0, 1, 1), Coverage::Covered);
    assert_eq!(Coverage::of(2.0, 1, 1), Coverage::Over);
}
