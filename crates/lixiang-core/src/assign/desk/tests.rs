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
