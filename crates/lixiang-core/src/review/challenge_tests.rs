//! The pure rules of 揭榜挂帅: the core-indicator gate over real demo applications, the selection from a
//! ranking, a race's gates with each decision and the ledger's sums, the bounty's due parts.

use super::*;
use crate::application::demo_application;
use crate::call::{demo_calls, Payout};

fn call(programme: &str) -> Call {
    demo_calls().unwrap().into_iter().find(|c| c.programme == programme).unwrap()
}

fn wan_fen(w: i64) -> i64 {
    w * crate::money::FEN_PER_WAN
}

fn answer<'a>(app: &'a mut Application, core: &str) -> &'a mut crate::application::Indicator {
    app.indicators.iter_mut().find(|i| i.core_indicator.as_deref() == Some(core)).unwrap()
}

#[test]
fn the_gate_puts_out_an_item_below_unanswered_or_in_another_unit_in_either_direction() {
    let race = call("ZX05");
    let app = demo_application(&race);
    assert_eq!(core_gate(&race, &app), vec![], "the demo answers every core indicator at its target");

    let mut below = app.clone();
    answer(&mut below, "I2").target = Quantity::parse("2.5").unwrap();
    let m = core_gate(&race, &below);
    assert_eq!(m.len(), 1);
    assert_eq!(
        (m[0].indicator.as_str(), m[0].why, m[0].promised.as_deref(), m[0].target.as_str(), m[0].direction.as_str()),
        ("I2", MissKind::Below, Some("2.5 MW"), "3", "≥")
    );
    assert!(m[0].text().zh.contains("承诺 2.5 MW，要求 ≥ 3 MW"), "{}", m[0].text().zh);

    let mut unanswered = app.clone();
    answer(&mut unanswered, "I3").core_indicator = None;
    answer(&mut unanswered, "I1").unit = "km".into();
    let m = core_gate(&race, &unanswered);
    let whys: Vec<(&str, MissKind)> = m.iter().map(|x| (x.indicator.as_str(), x.why)).collect();
    assert_eq!(whys, [("I1", MissKind::UnitDiffers), ("I3", MissKind::Unanswered)]);
    assert_eq!(m[1].promised, None);

    // ≤ (energy use): above the target is out, below it passes.
    let bounty = call("ZX08");
    let mut app = demo_application(&bounty);
    answer(&mut app, "I3").target = Quantity::parse("2.0").unwrap();
    let m = core_gate(&bounty, &app);
    assert_eq!((m.len(), m[0].direction.as_str(), m[0].target.as_str()), (1, "≤", "1.8"));
    answer(&mut app, "I3").target = Quantity::parse("1.5").unwrap();
    assert!(core_gate(&bounty, &app).is_empty());

    // An indicator that is not locked is guidance, not a gate.
    let mut open = bounty.clone();
    open.core_indicators[2].locked = false;
    answer(&mut app, "I3").target = Quantity::parse("2.0").unwrap();
    assert!(core_gate(&open, &app).is_empty());
}

fn numbers(n: &[&str]) -> Vec<String> {
    n.iter().map(|s| s.to_string()).collect()
}

fn out_of(n: &[&str]) -> BTreeMap<String, Vec<Miss>> {
    let race = call("ZX05");
    let mut app = demo_application(&race);
    answer(&mut app, "I2").target = Quantity::parse("2").unwrap();
    n.iter().map(|x| (x.to_string(), core_gate(&race, &app))).collect()
}

#[test]
fn the_selection_takes_the_best_that_pass_and_the_officer_may_name_others_but_never_one_out() {
    let ranked = numbers(&["N1", "N2", "N3", "N4", "N5"]);
    let out = out_of(&["N2"]);
    // A race of 3 skips the item out; a single challenge or a bounty takes the best that passes.
    assert_eq!(pick(3, &ranked, &out, &[]).unwrap(), numbers(&["N1", "N3", "N4"]));
    assert_eq!(pick(1, &ranked, &out_of(&["N1"]), &[]).unwrap(), numbers(&["N2"]));
    assert_eq!(seats(&call("ZX05").mode.challenge().unwrap().contest), 3);
    assert_eq!(seats(&call("ZX08").mode.challenge().unwrap().contest), 1);

    // The officer's choice, put back in rank order.
    assert_eq!(pick(3, &ranked, &out, &numbers(&["N5", "N3"])).unwrap(), numbers(&["N3", "N5"]));
    let code = |r: Result<Vec<String>>| r.unwrap_err().code();
    assert_eq!(code(pick(3, &ranked, &out, &numbers(&["N2"]))), "challenge.item_out");
    assert_eq!(code(pick(1, &ranked, &out, &numbers(&["N1", "N3"]))), "input.invalid");
    assert_eq!(code(pick(3, &ranked, &out, &numbers(&["N1", "N1"]))), "input.invalid");
    assert_eq!(code(pick(3, &ranked, &out, &numbers(&["N9"]))), "not_found");
    assert_eq!(code(pick(2, &numbers(&["N1", "N2"]), &out_of(&["N1", "N2"]), &[])), "challenge.none_passes");
    // Fewer passing than seats: as many as pass.
    assert_eq!(pick(3, &numbers(&["N1", "N2"]), &out_of(&["N2"]), &[]).unwrap(), numbers(&["N1"]));
}

#[test]
fn the_round_a_challenge_selects_on_is_its_last_round_before_acceptance() {
    assert_eq!(selection_round(&call("ZX05")), 1);
    assert_eq!(selection_round(&call("ZX08")), 1);
    assert_eq!(call("ZX08").review_plan.rounds.len(), 2);
}

/// The demo race (first tranche 300 万元, M1 300, M2 400; 3 teams, 1 place) with a total of `total` 万元.
fn race_call(total: u64) -> (Race, u32, Fen) {
    let c = call("ZX05");
    let Contest::Race(r) = c.mode.challenge().unwrap().contest.clone() else { panic!("a race") };
    (r, c.places, Fen::from_wan_whole(total))
}

fn gate(m: &str, calls: &[(&str, TeamCall)]) -> GateDecided {
    GateDecided { milestone: m.into(), calls: calls.iter().map(|(n, c)| (n.to_string(), c.clone())).collect() }
}

fn merge(into: &str, wan: u64) -> TeamCall {
    TeamCall::Merge { into: into.into(), amount: Fen::from_wan_whole(wan) }
}

fn state_of(s: &RaceState, n: &str) -> (TeamStatus, i64, i64, i64) {
    let t = s.team(n).unwrap();
    (t.status, t.released_fen, t.cancelled_fen, t.planned_fen)
}

/// Every team's lines add up to its totals, and what a team received is at most the funding per project
/// plus its increases.
fn ledger_holds(s: &RaceState, per_project: i64) {
    for t in &s.teams {
        let all: i64 = t.lines.iter().map(|l| l.amount_fen).sum();
        assert_eq!(all, t.released_fen + t.cancelled_fen + t.planned_fen, "{}", t.number);
        assert!(t.released_fen <= per_project + t.increases_fen, "{}", t.number);
    }
    assert_eq!(s.released_fen, s.teams.iter().map(|t| t.released_fen).sum::<i64>());
    assert!(s.released_fen + s.reserve_fen <= s.cap_fen);
}

#[test]
fn a_race_runs_through_its_gates_with_each_decision_and_the_ledger_adds_up() {
    let (race, places, total) = race_call(2500);
    let per = wan_fen(1000);
    let s = RaceState::start(&race, places, total, &numbers(&["A", "B", "C"]));
    assert_eq!(
        (s.released_fen, s.planned_fen, s.reserve_fen, s.cap_fen),
        (wan_fen(900), wan_fen(2100), wan_fen(700), wan_fen(2500))
    );
    assert_eq!(s.next.as_deref(), Some("M1"));
    ledger_holds(&s, per);

    // M1: A continues, B continues with 50 万元 more, C stops.
    let s = s
        .apply(
            &race,
            places,
            total,
            &gate(
                "M1",
                &[
                    ("A", TeamCall::Continue),
                    ("B", TeamCall::Increase { amount: Fen::from_wan_whole(50) }),
                    ("C", TeamCall::Terminate),
                ],
            ),
        )
        .unwrap();
    assert_eq!(state_of(&s, "A"), (TeamStatus::Running, wan_fen(600), 0, wan_fen(400)));
    assert_eq!(state_of(&s, "B"), (TeamStatus::Running, wan_fen(650), 0, wan_fen(400)));
    assert_eq!(state_of(&s, "C"), (TeamStatus::Terminated, wan_fen(300), wan_fen(700), 0));
    assert_eq!((s.released_fen, s.cap_fen, s.next.as_deref()), (wan_fen(1550), wan_fen(2550), Some("M2")));
    ledger_holds(&s, per);

    // M2, the last: B merges into A with 80 万元, A finishes and wins.
    let s = s.apply(&race, places, total, &gate("M2", &[("A", TeamCall::Continue), ("B", merge("A", 80))])).unwrap();
    assert_eq!(state_of(&s, "A"), (TeamStatus::Finished, wan_fen(1080), 0, 0));
    assert_eq!(state_of(&s, "B"), (TeamStatus::Merged, wan_fen(650), wan_fen(400), 0));
    assert_eq!(s.team("B").unwrap().into.as_deref(), Some("A"));
    let raise = s.team("A").unwrap().lines.last().unwrap();
    assert_eq!((raise.kind.as_str(), raise.from.as_deref(), raise.amount_fen), ("increase", Some("B"), wan_fen(80)));
    assert_eq!((s.winners.clone(), s.next.clone()), (numbers(&["A"]), None));
    assert_eq!((s.released_fen, s.cancelled_fen, s.planned_fen), (wan_fen(2030), wan_fen(1100), 0));
    ledger_holds(&s, per);
    assert_eq!(
        s.apply(&race, places, total, &gate("M2", &[("A", TeamCall::Continue)])).unwrap_err().code(),
        "challenge.race_over"
    );
}

#[test]
fn a_gate_is_refused_out_of_order_incomplete_inconsistent_or_over_the_money() {
    let (race, places, total) = race_call(1600);
    let s = RaceState::start(&race, places, total, &numbers(&["A", "B", "C"]));
    let code = |g: GateDecided| s.apply(&race, places, total, &g).unwrap_err().code();
    let all = |a: TeamCall, b: TeamCall, c: TeamCall| gate("M1", &[("A", a), ("B", b), ("C", c)]);
    use TeamCall::{Continue, Terminate};
    assert_eq!(code(gate("M2", &[("A", Continue), ("B", Terminate), ("C", Terminate)])), "challenge.gate_out_of_order");
    assert_eq!(code(gate("M1", &[("A", Continue), ("B", Terminate)])), "input.invalid", "C has no decision");
    assert_eq!(
        code(gate("M1", &[("A", Continue), ("B", Terminate), ("C", Terminate), ("D", Terminate)])),
        "input.invalid"
    );
    assert_eq!(code(all(Continue, merge("C", 10), Terminate)), "input.invalid", "merge into a team that stops");
    assert_eq!(code(all(Continue, merge("B", 10), Terminate)), "input.invalid", "merge into itself");
    assert_eq!(code(all(TeamCall::Increase { amount: Fen::ZERO }, Terminate, Terminate)), "input.invalid");
    // With 1,600 万元, after three first tranches only one team can still be carried to the end.
    assert_eq!(code(all(Continue, Continue, Terminate)), "challenge.over_budget");
    let ok = s.apply(&race, places, total, &all(Continue, merge("A", 0), Terminate)).unwrap();
    assert_eq!((ok.released_fen, ok.reserve_fen, ok.cap_fen), (wan_fen(1200), wan_fen(400), wan_fen(1600)));
    assert_eq!(
        ok.apply(&race, places, total, &gate("M1", &[("A", Continue)])).unwrap_err().code(),
        "challenge.gate_decided"
    );

    // At the last gate at most `places` teams finish.
    let (race, places, total) = race_call(3000);
    let s = RaceState::start(&race, places, total, &numbers(&["A", "B"]));
    let s = s.apply(&race, places, total, &gate("M1", &[("A", Continue), ("B", Continue)])).unwrap();
    let err = s.apply(&race, places, total, &gate("M2", &[("A", Continue), ("B", Continue)])).unwrap_err();
    assert_eq!(err.code(), "challenge.too_many_finish");
    // Every team stopped: the race ends without a winner, and nothing more is released.
    let end = s.apply(&race, places, total, &gate("M2", &[("A", Terminate), ("B", Terminate)])).unwrap();
    assert_eq!((end.winners.len(), end.next.clone(), end.released_fen), (0, None, wan_fen(1200)));
}

#[test]
fn a_race_whose_teams_all_stop_early_is_over_before_its_last_gate() {
    let (race, places, total) = race_call(1600);
    let s = RaceState::start(&race, places, total, &numbers(&["A", "B"]));
    let s =
        s.apply(&race, places, total, &gate("M1", &[("A", TeamCall::Terminate), ("B", TeamCall::Terminate)])).unwrap();
    assert_eq!((s.next.clone(), s.planned_fen), (None, 0));
    assert_eq!(s.cancelled_fen, wan_fen(1400));
}

#[test]
fn a_bounty_pays_agreement_parts_at_once_and_acceptance_parts_only_when_accepted() {
    let b = Bounty {
        reward: Fen::from_wan_whole(300),
        split: vec![
            Payout { label: Bilingual::new("签约", "agreement"), when: PayoutWhen::Agreement, percent: 20 },
            Payout { label: Bilingual::new("揭榜团队", "team"), when: PayoutWhen::Acceptance, percent: 50 },
            Payout { label: Bilingual::new("依托单位", "host"), when: PayoutWhen::Acceptance, percent: 30 },
        ],
    };
    assert_eq!(due_parts(&b, false, &BTreeSet::new()), [0]);
    assert_eq!(due_parts(&b, true, &BTreeSet::from([0])), [1, 2]);
    assert_eq!(due_parts(&b, true, &BTreeSet::from([0, 1, 2])), Vec::<u32>::new());
    let p = parts(&b);
    assert_eq!(p.iter().map(|x| x.amount_fen).sum::<i64>(), wan_fen(300));
    assert_eq!((p[0].when.as_str(), p[0].amount_fen), ("agreement", wan_fen(60)));
    // The demo bounty pays nothing before acceptance.
    let Contest::Bounty(demo) = call("ZX08").mode.challenge().unwrap().contest.clone() else { panic!() };
    assert!(due_parts(&demo, false, &BTreeSet::new()).is_empty());
}
