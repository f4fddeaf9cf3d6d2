//! Assignment runs on a real workspace: a demo call with applications received and accepted, experts
//! imported from an xlsx file, conflicts excluded, the run recorded with its input hash.

use super::*;
use crate::application::demo::synthetic_credit_code;
use crate::application::{demo_application, ApplicationId};
use crate::call::demo_calls;
use crate::expert::desk::{import, ImportStatus};
use crate::expert::tests::today;
use crate::expert::xlsx::tests::{id, sheet_bytes};
use lixiang_store::{DecisionRow, SubmissionRow};
use std::collections::BTreeSet;

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// A technical expert row of the template: own unit in `division`, the given unit type and relations.
fn expert(
    name: &'static str,
    seq: u16,
    division: &str,
    unit_type: &'static str,
    relations: &'static str,
) -> Vec<(&'static str, &'static str)> {
    vec![
        ("姓名", name),
        ("证件类型", "居民身份证"),
        ("证件号码", leak(id(seq))),
        ("工作单位", leak(format!("示例单位{seq}（示例）"))),
        ("统一社会信用代码", leak(synthetic_credit_code(&format!("12{division}MB{seq:07}")))),
        ("单位类型", unit_type),
        ("职称级别", "正高"),
        ("专家类别", "技术"),
        ("学科代码", if seq.is_multiple_of(2) { "210" } else { "2102030" }),
        ("关键词", "青稞"),
        ("申报关系", relations),
    ]
}

struct Office {
    _dir: tempfile::TempDir,
    ws: Workspace,
    call: crate::call::Call,
    numbers: Vec<String>,
}

/// An office with the ZX06 demo call, `n` applications received and accepted, and the given experts.
fn office(n: usize, rows: &[Vec<(&'static str, &'static str)>]) -> Office {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open(dir.path()).unwrap();
    let call = demo_calls().unwrap().into_iter().find(|c| c.programme == "ZX06").unwrap();
    calls::save_draft(&mut ws, &call).unwrap();
    let mut numbers = Vec::new();
    for i in 0..n {
        let mut app = demo_application(&call);
        app.id = ApplicationId::new();
        app.title = format!("示例项目 {i}");
        let bytes = serde_json::to_vec(&app).unwrap();
        let number = format!("2027-ZX06-{:06}", i + 1);
        let sub = SubmissionRow {
            application_id: app.id.to_string(),
            version: 1,
            sha256: lixiang_store::sha256_hex(&bytes),
            bytes,
            call_id: call.id.to_string(),
            programme: "ZX06".into(),
            title: app.title.clone(),
            applicant_name: app.applicant.name.clone(),
            applicant_code: app.applicant.credit_code.clone(),
            sender_key_id: "0000000000000000".into(),
            package_id: uuid::Uuid::now_v7().to_string(),
            sealed_at: "2027-01-10T00:00:00Z".into(),
            received_at: "2027-01-11T00:00:00Z".into(),
            number: number.clone(),
        };
        let decision = DecisionRow {
            application_id: app.id.to_string(),
            version: 1,
            seq: 1,
            number: number.clone(),
            decision: "accept".into(),
            reasons: "[]".into(),
            fix_by: None,
            decided_at: "2027-01-20T00:00:00Z".into(),
            package_id: uuid::Uuid::now_v7().to_string(),
            sender_key_id: String::new(),
            received_at: String::new(),
        };
        ws.store
            .write(AuditEvent::new(AuditAction::FormalCheck, "application", number.clone(), "ab".repeat(32)), |w| {
                w.submission_insert(&sub)?;
                w.formal_decision_insert(&decision)
            })
            .unwrap();
        numbers.push(number);
    }
    let r = import(&mut ws, "pool.xlsx", &sheet_bytes(rows), today(), false, true).unwrap();
    assert_eq!(r.status, ImportStatus::Imported, "{:?}", r.errors);
    Office { _dir: dir, ws, call, numbers }
}

fn pool_rows() -> Vec<Vec<(&'static str, &'static str)>> {
    vec![
        expert("甲", 1, "540100", "院所", ""),
        expert("乙", 2, "540100", "企业", ""),
        expert("丙", 3, "510100", "高校", ""),
        expert("丁", 4, "510100", "企业", ""),
        expert("戊", 5, "540100", "院所", ""),
        expert("己", 6, "110100", "高校", ""),
        expert("庚", 7, "540100", "企业", ""),
    ]
}

#[test]
fn a_run_assigns_k_experts_per_item_never_a_conflicted_one_and_is_recorded() {
    let mut rows = pool_rows();
    // 辛 works at the applicant unit (hard), 壬 collaborated with the leader last year (soft).
    let call = demo_calls().unwrap().into_iter().find(|c| c.programme == "ZX06").unwrap();
    let app = demo_application(&call);
    let leader = app.leader().unwrap().1.clone();
    let mut xin = expert("辛", 8, "540100", "院所", "");
    xin.retain(|(h, _)| *h != "统一社会信用代码");
    xin.push(("统一社会信用代码", leak(app.applicant.credit_code.clone())));
    rows.push(xin);
    rows.push(expert("壬", 9, "510100", "企业", leak(format!("合作:{}:2026:{}", leader.name, leader.id_number))));
    let mut o = office(3, &rows);
    let before = o.ws.store.read(|r| r.audit_events()).unwrap().len();
    let options = Options { per_item: Some(3), ..Options::default() };
    let run = run(&mut o.ws, &o.call.code, 1, &options).unwrap();
    let Outcome::Assigned(a) = &run.outcome else { panic!("{:?}", run.outcome) };
    assert!(a.optimal);
    assert_eq!(run.items.len(), 3);
    assert_eq!(run.experts, 9);
    assert_eq!(run.excluded_pairs, 6, "辛 and 壬 on each of the three items");
    assert_eq!(a.pairs.len(), 9);
    for n in &o.numbers {
        assert_eq!(a.pairs.iter().filter(|p| &p.item == n).count(), 3);
    }
    let pool = crate::expert::desk::pool(&mut o.ws).unwrap();
    let number_of = |name: &str| pool.iter().find(|e| e.profile.name == name).unwrap().number.clone();
    for banned in ["辛", "壬"] {
        assert!(a.pairs.iter().all(|p| p.expert != number_of(banned)), "{banned} is conflicted");
    }
    // The composition rules of the 技术创新 round hold: a 区外 and an industry user on every item,
    // every expert from a distinct unit (here one unit each).
    assert_eq!(run.params.rules.industry_min, 1);
    for n in &o.numbers {
        let on: Vec<&crate::expert::Expert> = a
            .pairs
            .iter()
            .filter(|p| &p.item == n)
            .map(|p| pool.iter().find(|e| e.number == p.expert).unwrap())
            .collect();
        assert!(on.iter().any(|e| e.profile.region == Region::Outside), "{n}");
        assert!(on.iter().any(|e| e.profile.is_industry_user()), "{n}");
    }
    // Recorded: one audit event, one stored run with the input hash.
    let events = o.ws.store.read(|r| r.audit_events()).unwrap();
    assert_eq!(events.len(), before + 1);
    let last = events.last().unwrap();
    assert_eq!((last.action.as_str(), last.record_id.as_str()), ("assignment_change", run.run_id.as_str()));
    assert!(last.detail.as_deref().unwrap().contains(&run.input_sha256));
    let stored = o.ws.store.read(|r| r.assignment_runs(&o.call.id.to_string(), 1)).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].input_sha256, run.input_sha256);
    // The same records give the same input and the same assignment.
    let again = super::run(&mut o.ws, &o.call.code, 1, &options).unwrap();
    assert_eq!(again.input_sha256, run.input_sha256);
    assert_eq!(again.outcome, run.outcome);
    assert_ne!(again.run_id, run.run_id);
}

#[test]
fn too_few_experts_is_an_infeasible_run_recorded_as_such() {
    let mut o = office(2, &pool_rows()[..3]);
    let run = run(&mut o.ws, &o.call.code, 1, &Options { per_item: Some(4), ..Options::default() }).unwrap();
    assert!(matches!(run.outcome, Outcome::Infeasible(_)), "{:?}", run.outcome);
    assert_eq!(o.ws.store.read(|r| r.assignment_runs(&o.call.id.to_string(), 1)).unwrap().len(), 1);
}

#[test]
fn bad_rounds_and_settings_are_refused() {
    let mut o = office(1, &pool_rows());
    assert!(matches!(run(&mut o.ws, &o.call.code, 9, &Options::default()), Err(CoreError::Validation { .. })));
    assert!(matches!(run(&mut o.ws, &o.call.code, 0, &Options::default()), Err(CoreError::Validation { .. })));
    let six = Options { conflicts: ConflictSettings { collaboration_years: 6 }, ..Options::default() };
    assert!(matches!(run(&mut o.ws, &o.call.code, 1, &six), Err(CoreError::Validation { .. })));
}

/// The office of the first test: three items, the pool, 辛 at the applicant unit (hard) and 壬 a recent
/// collaborator of the leader (soft). Returns it with the numbers of 辛 and 壬.
fn conflicted_office(n: usize) -> (Office, String, String) {
    let mut rows = pool_rows();
    let call = demo_calls().unwrap().into_iter().find(|c| c.programme == "ZX06").unwrap();
    let app = demo_application(&call);
    let leader = app.leader().unwrap().1.clone();
    let mut xin = expert("辛", 8, "540100", "院所", "");
    xin.retain(|(h, _)| *h != "统一社会信用代码");
    xin.push(("统一社会信用代码", leak(app.applicant.credit_code.clone())));
    rows.push(xin);
    rows.push(expert("壬", 9, "510100", "企业", leak(format!("合作:{}:2026:{}", leader.name, leader.id_number))));
    let mut o = office(n, &rows);
    let pool = crate::expert::desk::pool(&mut o.ws).unwrap();
    let number_of = |name: &str| pool.iter().find(|e| e.profile.name == name).unwrap().number.clone();
    let (xin, ren) = (number_of("辛"), number_of("壬"));
    (o, xin, ren)
}

fn audit_len(o: &mut Office) -> usize {
    o.ws.store.read(|r| r.audit_events()).unwrap().len()
}

fn assigned(run: &Run) -> Vec<(String, String)> {
    let Outcome::Assigned(a) = &run.outcome else { panic!("{:?}", run.outcome) };
    a.pairs.iter().map(|p| (p.item.clone(), p.expert.clone())).collect()
}

use crate::assign::edit::{change_pair, override_conflict, withdraw_override, PairChange, PairRef};

#[test]
fn a_soft_conflict_is_allowed_only_by_an_override_with_a_reason_and_a_hard_one_never() {
    let (mut o, xin, ren) = conflicted_office(1);
    let item = o.numbers[0].clone();
    let s = ConflictSettings::default();
    let call = o.call.code.clone();
    let before = audit_len(&mut o);
    // No reason, a hard conflict, or a pair with nothing to override: refused, nothing written.
    assert!(matches!(override_conflict(&mut o.ws, &call, &ren, &item, "  ", &s), Err(CoreError::Validation { .. })));
    match override_conflict(&mut o.ws, &call, &xin, &item, "唯一的专家", &s) {
        Err(CoreError::HardConflict { item: i, expert, conflicts, .. }) => {
            assert_eq!((i.as_str(), expert.as_str()), (item.as_str(), xin.as_str()));
            assert!(conflicts.iter().all(|c| c.code == "hard.same_unit"), "{conflicts:?}");
        }
        other => panic!("{other:?}"),
    }
    let free = crate::expert::desk::pool(&mut o.ws).unwrap()[0].number.clone();
    assert!(matches!(override_conflict(&mut o.ws, &call, &free, &item, "x", &s), Err(CoreError::Validation { .. })));
    assert_eq!(audit_len(&mut o), before);

    // Without the override the soft pair is excluded.
    let options = Options { per_item: Some(3), ..Options::default() };
    let first = run(&mut o.ws, &call, 1, &options).unwrap();
    assert_eq!(first.excluded_pairs, 2);
    assert!(first.params.overridden.is_empty());

    let rec = override_conflict(&mut o.ws, &call, &ren, &item, "该方向区外专家仅此一位", &s).unwrap();
    assert_eq!(rec.codes, ["soft.collaboration"]);
    let events = o.ws.store.read(|r| r.audit_events()).unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.action.as_str(), "override");
    assert!(last.detail.as_deref().unwrap().contains("该方向区外专家仅此一位"));

    // The next run allows the pair (only 辛 is left out) and says so; its input differs.
    let second = run(&mut o.ws, &call, 1, &options).unwrap();
    assert_eq!(second.excluded_pairs, 1);
    assert_eq!(second.params.overridden, [PairRef { item: item.clone(), expert: ren.clone() }]);
    assert_ne!(second.input_sha256, first.input_sha256);
    // And the officer may now pin it.
    change_pair(&mut o.ws, &call, 1, &ren, &item, PairChange::Pin, "", &s).unwrap();
    let third = run(&mut o.ws, &call, 1, &options).unwrap();
    assert!(assigned(&third).contains(&(item.clone(), ren.clone())));

    // Withdrawing the override: refused without a reason and while the pair is pinned (naming the round).
    let before = audit_len(&mut o);
    assert!(matches!(withdraw_override(&mut o.ws, &call, &ren, &item, " ", &s), Err(CoreError::Validation { .. })));
    match withdraw_override(&mut o.ws, &call, &ren, &item, "合作关系核实后不宜评审", &s) {
        Err(CoreError::Validation { field, reason }) => {
            assert_eq!(field, "item");
            assert!(reason.contains("第 1 轮被固定"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(audit_len(&mut o), before);
    // Unpinned, it is withdrawn and recorded with the override it replaced; the next run excludes the pair again
    // with the same input as before the override.
    change_pair(&mut o.ws, &call, 1, &ren, &item, PairChange::Unpin, "", &s).unwrap();
    let rec = withdraw_override(&mut o.ws, &call, &ren, &item, "合作关系核实后不宜评审", &s).unwrap();
    assert_eq!(rec.codes, ["soft.collaboration"]);
    let events = o.ws.store.read(|r| r.audit_events()).unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.action.as_str(), "override");
    let detail: serde_json::Value = serde_json::from_str(last.detail.as_deref().unwrap()).unwrap();
    assert_eq!(detail["what"], "withdraw");
    assert_eq!(detail["reason"], "合作关系核实后不宜评审");
    assert_eq!(detail["replaces"]["reason"], "该方向区外专家仅此一位");
    let fourth = run(&mut o.ws, &call, 1, &options).unwrap();
    assert_eq!(fourth.excluded_pairs, 2);
    assert!(fourth.params.overridden.is_empty());
    assert!(!assigned(&fourth).contains(&(item.clone(), ren.clone())));
    assert_eq!(fourth.input_sha256, first.input_sha256);
    // Nothing left to withdraw.
    assert!(matches!(withdraw_override(&mut o.ws, &call, &ren, &item, "again", &s), Err(CoreError::NotFound { .. })));
}

#[test]
fn pins_and_removals_are_kept_by_the_next_run_and_recorded() {
    let (mut o, xin, ren) = conflicted_office(3);
    let s = ConflictSettings::default();
    let call = o.call.code.clone();
    let options = Options { per_item: Some(3), ..Options::default() };
    let base = run(&mut o.ws, &call, 1, &options).unwrap();
    let base_pairs = assigned(&base);
    let item = o.numbers[1].clone();

    // Conflicted pairs cannot be pinned: hard never, soft not before an override. Nothing written.
    let before = audit_len(&mut o);
    assert!(matches!(
        change_pair(&mut o.ws, &call, 1, &xin, &item, PairChange::Pin, "", &s),
        Err(CoreError::HardConflict { .. })
    ));
    assert!(matches!(
        change_pair(&mut o.ws, &call, 1, &ren, &item, PairChange::Pin, "", &s),
        Err(CoreError::OverrideNeeded { .. })
    ));
    assert!(matches!(
        change_pair(&mut o.ws, &call, 9, &ren, &item, PairChange::Remove, "", &s),
        Err(CoreError::Validation { .. })
    ));
    assert_eq!(audit_len(&mut o), before);

    // Remove one assigned pair of the item and pin one it did not get.
    let taken: Vec<String> = base_pairs.iter().filter(|p| p.0 == item).map(|p| p.1.clone()).collect();
    let pool = crate::expert::desk::pool(&mut o.ws).unwrap();
    let other = pool
        .iter()
        .map(|e| e.number.clone())
        .find(|n| !taken.contains(n) && *n != xin && *n != ren)
        .expect("an expert the item did not get");
    change_pair(&mut o.ws, &call, 1, &taken[0], &item, PairChange::Remove, "本人申请回避", &s).unwrap();
    let pinned = change_pair(&mut o.ws, &call, 1, &other, &item, PairChange::Pin, "点名专家", &s).unwrap();
    assert_eq!(pinned.replaces, None);
    let events = o.ws.store.read(|r| r.audit_events()).unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.action.as_str(), "assignment_change");
    let detail: serde_json::Value = serde_json::from_str(last.detail.as_deref().unwrap()).unwrap();
    assert_eq!((detail["what"].as_str(), detail["expert"].as_str()), (Some("pin"), Some(other.as_str())));
    assert_eq!(detail["reason"], "点名专家");

    let again = run(&mut o.ws, &call, 1, &options).unwrap();
    let pairs = assigned(&again);
    assert!(pairs.contains(&(item.clone(), other.clone())), "the pin is kept");
    assert!(!pairs.contains(&(item.clone(), taken[0].clone())), "the removed pair is out");
    assert_eq!(pairs.iter().filter(|p| p.0 == item).count(), 3);
    assert_ne!(again.input_sha256, base.input_sha256);
    assert_eq!(again.params.pinned, [PairRef { item: item.clone(), expert: other.clone() }]);
    assert_eq!(again.params.removed, [PairRef { item: item.clone(), expert: taken[0].clone() }]);
    assert_eq!(again.removed_pairs, 1);

    // Unpinned and restored, the round is back to its first input.
    change_pair(&mut o.ws, &call, 1, &other, &item, PairChange::Unpin, "", &s).unwrap();
    assert!(matches!(
        change_pair(&mut o.ws, &call, 1, &other, &item, PairChange::Unpin, "", &s),
        Err(CoreError::NotFound { .. })
    ));
    assert!(
        matches!(
            change_pair(&mut o.ws, &call, 1, &taken[0], &item, PairChange::Unpin, "", &s),
            Err(CoreError::NotFound { .. }),
        ),
        "a removal is not unpinned"
    );
    change_pair(&mut o.ws, &call, 1, &taken[0], &item, PairChange::Restore, "", &s).unwrap();
    let back = run(&mut o.ws, &call, 1, &options).unwrap();
    assert_eq!(back.input_sha256, base.input_sha256);
    assert_eq!(back.outcome, base.outcome);
}

#[test]
fn pins_beyond_a_load_make_an_infeasible_run_that_names_them() {
    let (mut o, _, _) = conflicted_office(3);
    let s = ConflictSettings::default();
    let call = o.call.code.clone();
    let expert = crate::expert::desk::pool(&mut o.ws).unwrap()[0].number.clone();
    for item in o.numbers.clone() {
        change_pair(&mut o.ws, &call, 1, &expert, &item, PairChange::Pin, "", &s).unwrap();
    }
    let options = Options { per_item: Some(3), max_load: Some(2), ..Options::default() };
    let r = run(&mut o.ws, &call, 1, &options).unwrap();
    let Outcome::Infeasible(crate::assign::Deficiency::Pinned { clashes }) = &r.outcome else {
        panic!("{:?}", r.outcome)
    };
    assert_eq!(clashes.len(), 1);
    assert_eq!((clashes[0].rule, clashes[0].count, clashes[0].limit), (crate::assign::PinRule::Load, 3, 2));
    assert_eq!(clashes[0].experts, [expert]);
    // Recorded as any infeasible run.
    assert_eq!(o.ws.store.read(|r| r.assignment_runs(&o.call.id.to_string(), 1)).unwrap().len(), 1);
    // Under the default load the same pins are kept.
    let r = run(&mut o.ws, &call, 1, &Options { per_item: Some(3), ..Options::default() }).unwrap();
    assert_eq!(assigned(&r).iter().filter(|p| p.1 == clashes[0].experts[0]).count(), 3);
}

/// One expert of a random pool: region (by the unit's division), unit type, conflict with every
/// application (0 hard, 1 soft, else none), and another expert whose unit they share.
type ExpertSpec = (usize, usize, u8, Option<usize>);

const NAMES: [&str; 9] = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬"];

fn random_office(n: usize, specs: &[ExpertSpec]) -> Office {
    let call = demo_calls().unwrap().into_iter().find(|c| c.programme == "ZX06").unwrap();
    let app = demo_application(&call);
    let leader = app.leader().unwrap().1.clone();
    let mut rows: Vec<Vec<(&'static str, &'static str)>> = specs
        .iter()
        .enumerate()
        .map(|(i, &(division, unit_type, conflict, _))| {
            let division = ["540100", "510100", "110100"][division];
            let unit_type = ["院所", "高校", "企业"][unit_type];
            let relations =
                if conflict == 1 { leak(format!("合作:{}:2026:{}", leader.name, leader.id_number)) } else { "" };
            expert(NAMES[i], i as u16 + 1, division, unit_type, relations)
        })
        .collect();
    let code_of = |row: &[(&'static str, &'static str)]| row.iter().find(|(h, _)| *h == "统一社会信用代码").unwrap().1;
    for (i, &(_, _, conflict, share)) in specs.iter().enumerate() {
        let code = if conflict == 0 {
            Some(leak(app.applicant.credit_code.clone()))
        } else {
            share.filter(|&j| j < i).map(|j| code_of(&rows[j]))
        };
        if let Some(code) = code {
            rows[i].retain(|(h, _)| *h != "统一社会信用代码");
            rows[i].push(("统一社会信用代码", code));
        }
    }
    office(n, &rows)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

    /// Over random small pools and random acts of the officer (overrides, pins, removals, some
    /// refused, some taken back), whatever `run` assigns breaks no hard conflict and no soft one
    /// left without an override, holds no removed pair, keeps every pin, and honours the loads, k
    /// and the composition rules — each checked here from the records, not from the solver's input.
    #[test]
    fn a_run_honours_conflicts_overrides_pins_and_removals(
        n in 1usize..=3,
        specs in proptest::collection::vec(
            (0usize..3, 0usize..3, 0u8..5, proptest::option::of(0usize..9)), 6..=9),
        // An officer's act: 0 override, 1 pin, 2 remove, 3 unpin, 4 restore; item and expert by index.
        acts in proptest::collection::vec((0u8..5, 0usize..3, 0usize..9), 0..12),
        k in 1u32..=2,
        max_load in proptest::option::of(1u32..=3),
    ) {
        let mut o = random_office(n, &specs);
        let s = ConflictSettings::default();
        let call = o.call.code.clone();
        let pool = crate::expert::desk::pool(&mut o.ws).unwrap();
        let number_of = |i: usize| pool.iter().find(|e| e.profile.name == NAMES[i]).unwrap().number.clone();
        // What the officer's acts leave, as the acts say (a refused act leaves nothing).
        let mut overridden = BTreeSet::new();
        let mut state: BTreeMap<(String, String), &str> = BTreeMap::new();
        for &(act, i, e) in &acts {
            let (item, expert) = (o.numbers[i % n].clone(), number_of(e % specs.len()));
            let key = (item.clone(), expert.clone());
            let done = match act {
                0 => override_conflict(&mut o.ws, &call, &expert, &item, "理由", &s).map(|_| ()),
                1 => change_pair(&mut o.ws, &call, 1, &expert, &item, PairChange::Pin, "", &s).map(|_| ()),
                2 => change_pair(&mut o.ws, &call, 1, &expert, &item, PairChange::Remove, "", &s).map(|_| ()),
                3 => change_pair(&mut o.ws, &call, 1, &expert, &item, PairChange::Unpin, "", &s).map(|_| ()),
                _ => change_pair(&mut o.ws, &call, 1, &expert, &item, PairChange::Restore, "", &s).map(|_| ()),
            };
            if done.is_ok() {
                match act {
                    0 => { overridden.insert(key); }
                    1 => { state.insert(key, "pin"); }
                    2 => { state.insert(key, "remove"); }
                    _ => { state.remove(&key); }
                }
            }
        }
        let found = crate::conflict::desk::for_call(&mut o.ws, &call, &s).unwrap().conflicts;
        let severity = |item: &str, expert: &str| {
            found.iter().filter(|c| c.application == item && c.expert == expert).map(|c| c.severity).min()
        };
        let options = Options { per_item: Some(k), max_load, ..Options::default() };
        let r = run(&mut o.ws, &call, 1, &options).unwrap();
        let Outcome::Assigned(a) = &r.outcome else { return Ok(()) };
        let pairs: BTreeSet<(String, String)> = a.pairs.iter().map(|p| (p.item.clone(), p.expert.clone())).collect();
        for (item, expert) in &pairs {
            let sev = severity(item, expert);
            proptest::prop_assert!(sev != Some(Severity::Hard), "hard conflict assigned: {item} {expert}");
            proptest::prop_assert!(
                sev != Some(Severity::Soft) || overridden.contains(&(item.clone(), expert.clone())),
                "soft conflict without override assigned: {item} {expert}"
            );
        }
        for (key, kind) in &state {
            match *kind {
                "pin" => proptest::prop_assert!(pairs.contains(key), "pin left out: {key:?}"),
                _ => proptest::prop_assert!(!pairs.contains(key), "removed pair assigned: {key:?}"),
            }
        }
        let rules = r.params.rules;
        for e in &pool {
            let taken = pairs.iter().filter(|p| p.1 == e.number).count() as u32;
            let limit = max_load.map_or(e.profile.remaining_this_year(), |l| l.min(e.profile.remaining_this_year()));
            proptest::prop_assert!(taken <= limit, "{} takes {taken} > {limit}", e.number);
        }
        for item in &o.numbers {
            let panel: Vec<&crate::expert::Expert> = pairs
                .iter()
                .filter(|p| &p.0 == item)
                .map(|p| pool.iter().find(|e| e.number == p.1).unwrap())
                .collect();
            proptest::prop_assert_eq!(panel.len() as u32, k);
            let units: BTreeSet<String> = panel
                .iter()
                .map(|e| crate::expert::normalize_document_number(&e.profile.unit_credit_code))
                .collect();
            proptest::prop_assert_eq!(units.len(), panel.len(), "one expert per unit on {}", item);
            let outside = panel.iter().filter(|e| e.profile.region == Region::Outside).count() as u32;
            proptest::prop_assert!(outside >= rules.min_outside, "{item}: {outside} 区外");
            let industry = panel.iter().filter(|e| e.profile.is_industry_user()).count() as u32;
            proptest::prop_assert!(industry >= rules.industry_min, "{item}: {industry} industry users");
        }
    }
}

#[test]
fn a_calls_assignment_settings_are_checked_stored_and_recorded() {
    use crate::assign::settings::{self, AssignmentSettings};
    let (mut o, _xin, _ren) = conflicted_office(1);
    let call = o.call.code.clone();
    assert_eq!(settings::of_call(&mut o.ws, &call).unwrap(), AssignmentSettings::default());
    let before = audit_len(&mut o);
    // Every problem named by its field, nothing written.
    let mut bad = AssignmentSettings { collaboration_years: 6, max_load: Some(0), ..AssignmentSettings::default() };
    bad.weights.same_top = 8; // above same_parent (6)
    match settings::set(&mut o.ws, &call, &bad, " ") {
        Err(CoreError::Validation { field, reason }) => {
            assert_eq!(field, "collaboration_years, max_load, weights, reason");
            assert!(reason.contains("3–5 年") && reason.contains("同一一级 8"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(audit_len(&mut o), before);
    // Good settings: stored, read back, recorded with what they replaced.
    let mut good = AssignmentSettings { collaboration_years: 5, max_load: Some(4), ..AssignmentSettings::default() };
    good.weights.per_keyword = 2;
    let change = settings::set(&mut o.ws, &call, &good, "本批专家合作关系较多，按五年回避").unwrap();
    assert_eq!(change.replaced, AssignmentSettings::default());
    assert_eq!(settings::of_call(&mut o.ws, &call).unwrap(), good);
    let events = o.ws.store.read(|r| r.audit_events()).unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.action.as_str(), "assignment_change");
    let detail: serde_json::Value = serde_json::from_str(last.detail.as_deref().unwrap()).unwrap();
    assert_eq!(detail["what"], "settings");
    assert_eq!(detail["settings"]["collaboration_years"], 5);
    assert_eq!(detail["replaces"]["collaboration_years"], 3);
    // A run with them records them.
    let s = settings::of_call(&mut o.ws, &call).unwrap();
    let options = Options {
        per_item: Some(3),
        max_load: s.max_load,
        conflicts: s.conflicts(),
        weights: Some(s.weights),
        industry_user: s.industry_user.clone(),
    };
    let r = run(&mut o.ws, &call, 1, &options).unwrap();
    assert_eq!((r.params.conflicts.collaboration_years, r.params.max_load), (5, Some(4)));
    assert_eq!(r.params.weights.per_keyword, 2);
}

#[test]
fn the_calls_industry_user_definition_decides_who_fills_the_industry_share() {
    use crate::assign::settings::{self, AssignmentSettings};
    use crate::expert::IndustryUserDefinition;
    // One 区外 expert (乙) and, in 西藏, an institute, a hospital and an enterprise: with k = 2 the round's
    // rules take 乙 and one industry user, so the definition alone decides who the second expert is.
    let rows = vec![
        expert("甲", 1, "540100", "院所", ""),
        expert("乙", 2, "510100", "高校", ""),
        expert("丙", 3, "540100", "医疗", ""),
        expert("丁", 4, "540100", "企业", ""),
    ];
    let mut o = office(1, &rows);
    let call = o.call.code.clone();
    let pool = crate::expert::desk::pool(&mut o.ws).unwrap();
    let number_of = |name: &str| pool.iter().find(|e| e.profile.name == name).unwrap().number.clone();
    let assigned = |o: &mut Office| {
        let s = settings::of_call(&mut o.ws, &call).unwrap();
        let options = Options { per_item: Some(2), industry_user: s.industry_user.clone(), ..Options::default() };
        let r = run(&mut o.ws, &call, 1, &options).unwrap();
        assert_eq!(r.params.rules.industry_min, 1);
        assert_eq!(r.params.industry_user, s.industry_user, "the run records the definition it used");
        let Outcome::Assigned(a) = &r.outcome else { panic!("{:?}", r.outcome) };
        let on: BTreeSet<String> = a.pairs.iter().map(|p| p.expert.clone()).collect();
        let view = crate::expert::view::assignment_view(&r, &crate::expert::desk::pool(&mut o.ws).unwrap());
        let flagged: BTreeSet<String> =
            view.items[0].experts.iter().filter(|e| e.industry_user).map(|e| e.number.clone()).collect();
        (on, flagged, r.input_sha256)
    };

    // The default (产业 or 企业): 丁 is the industry user.
    let (on, flagged, default_hash) = assigned(&mut o);
    assert_eq!(on, BTreeSet::from([number_of("乙"), number_of("丁")]));
    assert_eq!(flagged, BTreeSet::from([number_of("丁")]));

    // A bad definition is refused by its field, nothing stored.
    let mut bad = AssignmentSettings {
        industry_user: IndustryUserDefinition {
            categories: vec!["农业".into()],
            unit_types: vec!["企业".into(), "企业".into()],
        },
        ..AssignmentSettings::default()
    };
    match settings::set(&mut o.ws, &call, &bad, "试用") {
        Err(CoreError::Validation { field, reason }) => {
            assert_eq!(field, "industry_user.categories, industry_user.unit_types", "{reason}");
            assert!(reason.contains("农业"), "{reason}");
        }
        other => panic!("{other:?}"),
    }
    bad.industry_user = IndustryUserDefinition { categories: vec![], unit_types: vec![] };
    assert!(
        matches!(settings::set(&mut o.ws, &call, &bad, "试用"), Err(CoreError::Validation { field, .. }) if field == "industry_user")
    );
    assert_eq!(settings::of_call(&mut o.ws, &call).unwrap(), AssignmentSettings::default());

    // The call counts hospitals instead: 丙 now fills the share, 丁 no longer counts.
    let hospitals = AssignmentSettings {
        industry_user: IndustryUserDefinition { categories: vec![], unit_types: vec!["医疗".into()] },
        ..AssignmentSettings::default()
    };
    settings::set(&mut o.ws, &call, &hospitals, "本批项目面向医疗机构应用").unwrap();
    assert_eq!(settings::of_call(&mut o.ws, &call).unwrap().industry_user, hospitals.industry_user);
    let (on, flagged, hash) = assigned(&mut o);
    assert_eq!(on, BTreeSet::from([number_of("乙"), number_of("丙")]));
    assert_eq!(flagged, BTreeSet::from([number_of("丙")]));
    assert_ne!(hash, default_hash, "a different input");

    // Settings stored before the definition existed read as the default.
    let call_id = o.call.id.to_string();
    let old = r#"{"collaboration_years":4,"max_load":null,"weights":{"same_code":10,"same_parent":6,"same_top":3,"per_keyword":1,"max_keywords":3}}"#;
    o.ws.store
        .write_unaudited(lixiang_store::Unaudited::Draft, |w| {
            w.assignment_settings_put(&call_id, old, "2027-01-01T00:00:00Z")
        })
        .unwrap();
    let s = settings::of_call(&mut o.ws, &call).unwrap();
    assert_eq!((s.collaboration_years, s.industry_user), (4, IndustryUserDefinition::default()));
}
