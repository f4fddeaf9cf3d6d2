//! One test per conflict rule, on the demo application of the 现代农牧业 call with experts built to hit
//! exactly one rule each, plus the cases that must *not* hit: similar unit names with other credit
//! codes, namesakes with other document numbers, an old collaboration.

use super::*;
use crate::application::demo::{synthetic_credit_code, synthetic_id_number};
use crate::application::{AvoidedExpert, Member, PartnerUnit};
use crate::calendar::Date;
use crate::call::demo_calls;
use crate::expert::tests::profile;
use crate::expert::{Expert, Relation};

fn app() -> Application {
    let call = demo_calls().unwrap().into_iter().find(|c| c.programme == "ZX06").unwrap();
    crate::application::demo_application(&call)
}

/// An expert unrelated to the demo application: own unit (成都), own document, no relations.
fn outsider(number: &str, name: &str, seq: u16) -> Expert {
    let mut p = profile(name, seq);
    p.document.as_mut().unwrap().number = synthetic_id_number("510104", Date::new(1968, 2, 3).unwrap(), seq);
    p.unit = "四川示例大学（示例）".into();
    p.unit_credit_code = synthetic_credit_code("12510000MB0000777");
    p.department = "农学院".into();
    Expert { id: uuid::Uuid::now_v7(), number: number.into(), key_id: None, profile: p }
}

fn run(apps: &[(String, Application)], experts: &[Expert]) -> Vec<Conflict> {
    find_conflicts(2027, apps, experts, &ConflictSettings::default())
}

fn reasons(conflicts: &[Conflict], expert: &str) -> Vec<(String, Reason)> {
    conflicts.iter().filter(|c| c.expert == expert).map(|c| (c.application.clone(), c.reason)).collect()
}

fn one(app: Application) -> Vec<(String, Application)> {
    vec![("A1".to_string(), app)]
}

#[test]
fn an_unrelated_expert_has_no_conflict() {
    assert!(run(&one(app()), &[outsider("ZJ000001", "局外人", 1)]).is_empty());
}

#[test]
fn the_leader_and_team_members_are_hard() {
    let a = app();
    let (_, leader) = a.leader().unwrap();
    let other = a.team.iter().find(|m| m.role != Role::Leader).unwrap().clone();
    let mut e1 = outsider("ZJ000001", "随便写的名字", 1);
    e1.profile.document.as_mut().unwrap().number = leader.id_number.clone();
    let mut e2 = outsider("ZJ000002", &other.name, 2);
    e2.profile.document.as_mut().unwrap().number = format!(" {} ", other.id_number.to_lowercase());
    let c = run(&one(a), &[e1, e2]);
    assert_eq!(reasons(&c, "ZJ000001"), [("A1".to_string(), Reason::SamePerson)], "by document, whatever the name");
    assert_eq!(reasons(&c, "ZJ000002"), [("A1".to_string(), Reason::TeamMember)], "numbers compare normalised");
    assert!(c.iter().all(|c| c.severity == Severity::Hard));
}

#[test]
fn a_namesake_with_another_document_number_is_no_conflict_and_without_one_only_possible() {
    let a = app();
    let (_, leader) = a.leader().unwrap();
    let namesake = outsider("ZJ000001", &leader.name, 1);
    assert!(run(&one(a.clone()), &[namesake]).is_empty(), "two persons with one name (扎西 …) are two persons");
    let mut nodoc = outsider("ZJ000002", &leader.name, 2);
    nodoc.profile.document = None;
    let c = run(&one(a), &[nodoc]);
    assert_eq!(reasons(&c, "ZJ000002"), [("A1".to_string(), Reason::NameOnly)]);
    assert_eq!(c[0].severity, Severity::Possible, "a name alone is never hard");
}

#[test]
fn same_unit_is_by_credit_code_never_by_name() {
    let mut a = app();
    let applicant_code = a.applicant.credit_code.clone();
    a.partners = vec![PartnerUnit {
        name: "西藏示例合作公司（示例）".into(),
        credit_code: synthetic_credit_code("91540000MA6T03099"),
    }];
    let partner_code = a.partners[0].credit_code.clone();
    let mut at_applicant = outsider("ZJ000001", "甲", 1);
    at_applicant.profile.unit = "完全不同的写法".into();
    at_applicant.profile.unit_credit_code = applicant_code.to_lowercase();
    let mut at_partner = outsider("ZJ000002", "乙", 2);
    at_partner.profile.unit_credit_code = partner_code;
    // Same unit name as the applicant's, another legal person (another credit code): no conflict.
    let mut lookalike = outsider("ZJ000003", "丙", 3);
    lookalike.profile.unit = a.applicant.name.clone();
    lookalike.profile.unit_credit_code = synthetic_credit_code("12540100MB0000555");
    let c = run(&one(a), &[at_applicant, at_partner, lookalike]);
    assert_eq!(reasons(&c, "ZJ000001"), [("A1".to_string(), Reason::SameUnit)]);
    assert_eq!(reasons(&c, "ZJ000002"), [("A1".to_string(), Reason::SameUnit)]);
    assert!(reasons(&c, "ZJ000003").is_empty(), "similar or equal unit names with other credit codes never match");
}

#[test]
fn declared_relatives_are_hard_and_advisors_soft() {
    let a = app();
    let m = a.team[1].clone();
    let mut rel = outsider("ZJ000001", "甲", 1);
    rel.profile.relations.push(Relation {
        kind: RelationKind::Relative,
        name: "写错的名字".into(),
        document_number: Some(m.id_number.clone()),
        year: None,
    });
    let mut adv = outsider("ZJ000002", "乙", 2);
    adv.profile.relations.push(Relation {
        kind: RelationKind::Student,
        name: m.name.clone(),
        document_number: Some(m.id_number.clone()),
        year: None,
    });
    // A relative declared by name only: possible, never hard.
    let mut by_name = outsider("ZJ000003", "丙", 3);
    by_name.profile.relations.push(Relation {
        kind: RelationKind::Relative,
        name: m.name.clone(),
        document_number: None,
        year: None,
    });
    let c = run(&one(a), &[rel, adv, by_name]);
    assert_eq!(reasons(&c, "ZJ000001"), [("A1".to_string(), Reason::CloseRelative)]);
    assert_eq!(reasons(&c, "ZJ000002"), [("A1".to_string(), Reason::AdvisorStudent)]);
    assert_eq!(reasons(&c, "ZJ000003"), [("A1".to_string(), Reason::NameOnly)]);
    let sev: Vec<Severity> = ["ZJ000001", "ZJ000002", "ZJ000003"]
        .iter()
        .map(|e| c.iter().find(|c| c.expert == *e).unwrap().severity)
        .collect();
    assert_eq!(sev, [Severity::Hard, Severity::Soft, Severity::Possible]);
}

#[test]
fn collaborations_count_within_the_configured_years() {
    let a = app();
    let m = a.team[0].clone();
    let collab = |number: &str, seq: u16, year: i32| {
        let mut e = outsider(number, "合作者", seq);
        e.profile.relations.push(Relation {
            kind: RelationKind::Collaborator,
            name: m.name.clone(),
            document_number: Some(m.id_number.clone()),
            year: Some(year),
        });
        e
    };
    let experts = [collab("ZJ000001", 1, 2024), collab("ZJ000002", 2, 2023), collab("ZJ000003", 3, 2022)];
    let three = find_conflicts(2027, &one(a.clone()), &experts, &ConflictSettings { collaboration_years: 3 });
    let hit: Vec<&str> = three.iter().map(|c| c.expert.as_str()).collect();
    assert_eq!(hit, ["ZJ000001"], "2024 is within 3 years of 2027, 2023 is not");
    assert!(three.iter().all(|c| c.reason == Reason::Collaboration && c.severity == Severity::Soft));
    let five = find_conflicts(2027, &one(a), &experts, &ConflictSettings { collaboration_years: 5 });
    assert_eq!(five.len(), 3);
}

#[test]
fn a_competing_application_in_the_same_call_is_hard() {
    let a = app();
    let mut b = app();
    b.id = crate::application::ApplicationId::new();
    let mut e = outsider("ZJ000001", "甲", 1);
    // The expert is a backbone member of application B.
    let birth = Date::new(1968, 2, 3).unwrap();
    let doc = e.profile.document.as_ref().unwrap().number.clone();
    b.team.push(Member { name: "甲".into(), id_number: doc, birth_date: birth, ..b.team[1].clone() });
    let c = run(&[("A1".into(), a), ("B2".into(), b)], &[e.clone()]);
    assert_eq!(
        reasons(&c, "ZJ000001"),
        [("A1".to_string(), Reason::CompetingApplication), ("B2".to_string(), Reason::TeamMember)]
    );
    // Without a document number the same facts are only possible.
    e.profile.document = None;
    let a = app();
    let mut b = app();
    b.team.push(Member { name: "甲".into(), ..b.team[1].clone() });
    let c = run(&[("A1".into(), a), ("B2".into(), b)], &[e]);
    assert!(c.iter().all(|c| c.severity == Severity::Possible), "{c:?}");
    assert_eq!(c.len(), 2);
}

#[test]
fn the_applicants_list_to_avoid_is_soft_and_a_namesake_elsewhere_possible() {
    let mut a = app();
    let e = outsider("ZJ000001", "王五", 1);
    a.avoid_experts = vec![AvoidedExpert {
        name: "王 五".into(),
        unit: "四川示例大学（示例）".into(),
        reason: "学术观点分歧".into(),
    }];
    let c = run(&one(a.clone()), std::slice::from_ref(&e));
    assert_eq!(reasons(&c, "ZJ000001"), [("A1".to_string(), Reason::AvoidedByApplicant)]);
    assert_eq!(c[0].severity, Severity::Soft);
    a.avoid_experts[0].unit = "另一所大学".into();
    let c = run(&one(a), &[e]);
    assert_eq!(reasons(&c, "ZJ000001"), [("A1".to_string(), Reason::NameOnly)]);
}

#[test]
fn same_department_is_reported_beside_same_unit() {
    let a = app();
    let m = a.team[1].clone();
    let mut e = outsider("ZJ000001", "甲", 1);
    e.profile.unit_credit_code = m.unit_credit_code.clone();
    e.profile.department = format!(" {} ", m.department);
    let c = run(&one(a.clone()), &[e.clone()]);
    let r: Vec<Reason> = c.iter().map(|c| c.reason).collect();
    assert!(r.contains(&Reason::SameDepartment) && r.contains(&Reason::SameUnit), "{r:?}");
    assert_eq!(pair_severity(&c)[&("A1".to_string(), "ZJ000001".to_string())], Severity::Hard);
    e.profile.department = "另一个部门".into();
    let c = run(&one(a), &[e]);
    assert!(!c.iter().any(|c| c.reason == Reason::SameDepartment));
}

#[test]
fn the_most_binding_severity_wins_per_pair() {
    let mk = |reason: Reason| Conflict {
        application: "A".into(),
        expert: "E".into(),
        severity: reason.severity(),
        reason,
        code: reason.code(),
        detail_zh: String::new(),
        detail_en: String::new(),
    };
    let s = pair_severity(&[mk(Reason::NameOnly), mk(Reason::Collaboration)]);
    assert_eq!(s[&("A".to_string(), "E".to_string())], Severity::Soft);
    let s = pair_severity(&[mk(Reason::NameOnly), mk(Reason::SameUnit), mk(Reason::Collaboration)]);
    assert_eq!(s[&("A".to_string(), "E".to_string())], Severity::Hard);
}

#[test]
fn person_matching() {
    assert_eq!(match_person(Some("540102X"), "a", Some("540102x"), "b"), PersonMatch::Same);
    assert_eq!(match_person(Some("1"), "扎西", Some("2"), "扎西"), PersonMatch::Different);
    assert_eq!(match_person(None, "扎西", Some("2"), "扎 西"), PersonMatch::NameOnly);
    assert_eq!(match_person(Some(""), "扎西", None, "扎西"), PersonMatch::NameOnly);
    assert_eq!(match_person(None, "扎西", None, "卓玛"), PersonMatch::Different);
}
