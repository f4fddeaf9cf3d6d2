//! Conflicts of interest (回避): for a call, every expert–application pair that must or may not be
//! assigned, each with a reason code the officer can read ([`find_conflicts`]).
//!
//! - hard (never assigned): the expert is the project leader (same person) or another team member; the
//!   expert's unit is the applicant or a partner unit (by credit code); a close relative in the team; the
//!   expert is in the team of a competing application of the same call.
//! - soft (excluded by default; the officer may override with a logged reason): a collaboration within
//!   N years (3–5) of the call's year; advisor or student; named among the applicant's ≤ 3 experts to
//!   avoid; same department (of the same unit) as a team member.
//! - possible (shown, never automatic): the same name where one side has no document number — 扎西,
//!   卓玛, 次仁 … are common in Tibet, so a name alone never excludes anyone.
//! - declared (never assigned again in the call, not overridable): the expert declared a conflict on the
//!   item in a packet and the office received it with the return ([`declared`]; the rows are read in
//!   [`desk::declared_conflicts`]). The expert knows something the rules cannot see; no officer can
//!   overrule them, and the pair is out of every later round of the call.
//!
//! Persons match by document number and units by credit code, never by name strings: two units with
//! similar names and different credit codes are different units. The applicant's list of experts to
//! avoid gives only a name and a unit name, so it is the one rule that compares names: name and unit
//! name both equal is soft (the applicant asked, the officer may overrule), the name alone is possible.
//! Pure: the workspace part (which applications, which experts) is in [`desk`].

pub mod desk;

use crate::application::{Application, Role};
use crate::expert::{normalize_document_number, normalize_name, Expert, RelationKind};
use crate::validate::normalize;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How binding a conflict is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Hard,
    /// Declared by the expert: as binding as hard (ordered after it, before soft).
    Declared,
    Soft,
    Possible,
}

impl Severity {
    pub fn zh(self) -> &'static str {
        match self {
            Severity::Hard => "必须回避",
            Severity::Declared => "专家声明回避",
            Severity::Soft => "默认回避",
            Severity::Possible => "可能冲突",
        }
    }
}

/// Why: a stable code per rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The expert is the project leader.
    SamePerson,
    /// The expert is a member of the team.
    TeamMember,
    /// The expert's unit is the applicant or a partner unit (same credit code).
    SameUnit,
    /// A close relative of the expert is in the team.
    CloseRelative,
    /// The expert is in the team of another application of the same call.
    CompetingApplication,
    /// A collaboration with a team member within the configured years.
    Collaboration,
    /// The expert was a team member's advisor, or their student.
    AdvisorStudent,
    /// The applicant asked to avoid this expert.
    AvoidedByApplicant,
    /// Same department of the same unit as a team member.
    SameDepartment,
    /// A name-only match where one side has no document number.
    NameOnly,
    /// The expert declared a conflict on the item when reviewing a packet.
    DeclaredByExpert,
}

impl Reason {
    /// The rule's code, `hard.same_unit` …
    pub fn code(self) -> &'static str {
        match self {
            Reason::SamePerson => "hard.same_person",
            Reason::TeamMember => "hard.team_member",
            Reason::SameUnit => "hard.same_unit",
            Reason::CloseRelative => "hard.close_relative",
            Reason::CompetingApplication => "hard.competing_application",
            Reason::Collaboration => "soft.collaboration",
            Reason::AdvisorStudent => "soft.advisor_student",
            Reason::AvoidedByApplicant => "soft.avoided_by_applicant",
            Reason::SameDepartment => "soft.same_department",
            Reason::NameOnly => "possible.name_only",
            Reason::DeclaredByExpert => "declared.by_expert",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Reason::SamePerson
            | Reason::TeamMember
            | Reason::SameUnit
            | Reason::CloseRelative
            | Reason::CompetingApplication => Severity::Hard,
            Reason::Collaboration | Reason::AdvisorStudent | Reason::AvoidedByApplicant | Reason::SameDepartment => {
                Severity::Soft
            }
            Reason::NameOnly => Severity::Possible,
            Reason::DeclaredByExpert => Severity::Declared,
        }
    }
}

/// One conflict between an expert and an application.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Conflict {
    /// The application's key (its 申报编号 in the office).
    pub application: String,
    /// The expert's number.
    pub expert: String,
    pub severity: Severity,
    pub reason: Reason,
    /// `reason.code()`, for readers of the JSON.
    pub code: &'static str,
    pub detail_zh: String,
    pub detail_en: String,
}

/// The settings of the rules (per call; recorded with every assignment run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictSettings {
    /// A collaboration counts when it took place in the call's year or up to this many years before
    /// (3–5).
    pub collaboration_years: u32,
}

impl Default for ConflictSettings {
    fn default() -> ConflictSettings {
        ConflictSettings { collaboration_years: 3 }
    }
}

impl ConflictSettings {
    /// The allowed range of `collaboration_years`.
    pub const YEARS: std::ops::RangeInclusive<u32> = 3..=5;
}

/// How two persons compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonMatch {
    /// Both have a document number and it is the same.
    Same,
    /// One side has no document number and the names are equal: never more than *possible*.
    NameOnly,
    Different,
}

/// Compares two persons: by document number when both have one (names are then irrelevant — two
/// 扎西 with different numbers are two persons), else by name.
pub fn match_person(doc_a: Option<&str>, name_a: &str, doc_b: Option<&str>, name_b: &str) -> PersonMatch {
    let doc = |d: Option<&str>| d.map(normalize_document_number).filter(|d| !d.is_empty());
    match (doc(doc_a), doc(doc_b)) {
        (Some(a), Some(b)) if a == b => PersonMatch::Same,
        (Some(_), Some(_)) => PersonMatch::Different,
        _ => {
            let (a, b) = (normalize_name(name_a), normalize_name(name_b));
            if !a.is_empty() && a == b {
                PersonMatch::NameOnly
            } else {
                PersonMatch::Different
            }
        }
    }
}

fn unit_key(code: &str) -> String {
    normalize_document_number(code)
}

struct Found<'a> {
    out: &'a mut Vec<Conflict>,
    application: &'a str,
    expert: &'a str,
}

impl Found<'_> {
    fn add(&mut self, reason: Reason, zh: String, en: String) {
        self.out.push(Conflict {
            application: self.application.to_string(),
            expert: self.expert.to_string(),
            severity: reason.severity(),
            reason,
            code: reason.code(),
            detail_zh: zh,
            detail_en: en,
        });
    }
}

/// Every conflict between `experts` and the applications of one call (`applications`: key and
/// application), for a call of `call_year`. Sorted by application, expert, severity, reason.
pub fn find_conflicts(
    call_year: i32,
    applications: &[(String, Application)],
    experts: &[Expert],
    settings: &ConflictSettings,
) -> Vec<Conflict> {
    let mut out = Vec::new();
    // Who is in which team, by document number (for competing applications).
    let mut teams_by_doc: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, (_, app)) in applications.iter().enumerate() {
        for m in &app.team {
            let d = normalize_document_number(&m.id_number);
            if !d.is_empty() {
                teams_by_doc.entry(d).or_default().push(i);
            }
        }
    }
    let earliest = call_year - settings.collaboration_years as i32;
    for e in experts {
        let p = &e.profile;
        let e_doc = p.document_number();
        let e_unit = unit_key(&p.unit_credit_code);
        let e_dept = normalize(&p.department);
        for (ai, (key, app)) in applications.iter().enumerate() {
            let mut f = Found { out: &mut out, application: key, expert: &e.number };
            // Same person / team member.
            for m in &app.team {
                match match_person(e_doc, &p.name, Some(&m.id_number), &m.name) {
                    PersonMatch::Same if m.role == Role::Leader => f.add(
                        Reason::SamePerson,
                        format!("专家本人是项目负责人（证件号相同）：{}", m.name),
                        format!("the expert is the project leader (same document number): {}", m.name),
                    ),
                    PersonMatch::Same => f.add(
                        Reason::TeamMember,
                        format!("专家是项目团队成员（证件号相同）：{}", m.name),
                        format!("the expert is a team member (same document number): {}", m.name),
                    ),
                    PersonMatch::NameOnly => f.add(
                        Reason::NameOnly,
                        format!("与项目成员同名（{}），专家无证件号，无法确认是否同一人", m.name),
                        format!("same name as team member {} and the expert has no document number", m.name),
                    ),
                    PersonMatch::Different => {}
                }
            }
            // Same legal-person unit, by credit code only.
            if !e_unit.is_empty() {
                if unit_key(&app.applicant.credit_code) == e_unit {
                    f.add(
                        Reason::SameUnit,
                        format!("专家所在单位即申报单位（信用代码 {e_unit}）：{}", app.applicant.name),
                        format!(
                            "the expert's unit is the applicant unit (credit code {e_unit}): {}",
                            app.applicant.name
                        ),
                    );
                }
                for partner in app.partners.iter().filter(|u| unit_key(&u.credit_code) == e_unit) {
                    f.add(
                        Reason::SameUnit,
                        format!("专家所在单位是合作单位（信用代码 {e_unit}）：{}", partner.name),
                        format!("the expert's unit is a partner unit (credit code {e_unit}): {}", partner.name),
                    );
                }
            }
            // Same department of the same unit as a team member.
            if !e_dept.is_empty() && !e_unit.is_empty() {
                for m in app
                    .team
                    .iter()
                    .filter(|m| unit_key(&m.unit_credit_code) == e_unit && normalize(&m.department) == e_dept)
                {
                    f.add(
                        Reason::SameDepartment,
                        format!("与项目成员 {} 同单位同部门（{}）", m.name, p.department),
                        format!("same unit and department ({}) as team member {}", p.department, m.name),
                    );
                }
            }
            // Declared relations against the team.
            for r in &p.relations {
                for m in &app.team {
                    let how = match_person(r.document_number.as_deref(), &r.name, Some(&m.id_number), &m.name);
                    if how == PersonMatch::Different {
                        continue;
                    }
                    let (reason, zh, en) = match r.kind {
                        RelationKind::Relative => (
                            Reason::CloseRelative,
                            format!("项目成员 {} 是专家申报的近亲属", m.name),
                            format!("team member {} is a declared close relative of the expert", m.name),
                        ),
                        RelationKind::Collaborator => {
                            let year = r.year.unwrap_or(i32::MIN);
                            if year < earliest {
                                continue;
                            }
                            (
                                Reason::Collaboration,
                                format!("{year} 年与项目成员 {} 合作（{} 年内）", m.name, settings.collaboration_years),
                                format!(
                                    "collaborated with team member {} in {year} (within {} years)",
                                    m.name, settings.collaboration_years
                                ),
                            )
                        }
                        RelationKind::Student => (
                            Reason::AdvisorStudent,
                            format!("项目成员 {} 是专家的学生", m.name),
                            format!("team member {} is the expert's student", m.name),
                        ),
                        RelationKind::Advisor => (
                            Reason::AdvisorStudent,
                            format!("项目成员 {} 是专家的导师", m.name),
                            format!("team member {} is the expert's advisor", m.name),
                        ),
                    };
                    if how == PersonMatch::Same {
                        f.add(reason, zh, en);
                    } else {
                        f.add(
                            Reason::NameOnly,
                            format!("仅姓名相符（无证件号），若属实则为“{}”：{zh}", reason.severity().zh()),
                            format!("name only (no document number); if true, {}: {en}", reason.code()),
                        );
                    }
                }
            }
            // A competing application of the same call: the expert is in another team.
            match e_doc {
                Some(d) => {
                    let mut others: Vec<usize> = teams_by_doc.get(d).cloned().unwrap_or_default();
                    others.dedup();
                    for bi in others.into_iter().filter(|&bi| bi != ai) {
                        let other = &applications[bi].0;
                        f.add(
                            Reason::CompetingApplication,
                            format!("专家参与了同一指南下的另一项申报（{other}）"),
                            format!("the expert is in the team of another application of this call ({other})"),
                        );
                    }
                }
                None => {
                    for (_, (other, b)) in applications.iter().enumerate().filter(|(bi, _)| *bi != ai) {
                        if b.team
                            .iter()
                            .any(|m| match_person(None, &p.name, Some(&m.id_number), &m.name) == PersonMatch::NameOnly)
                        {
                            f.add(
                                Reason::NameOnly,
                                format!("与同一指南下另一项申报（{other}）的成员同名，专家无证件号"),
                                format!("same name as a member of another application of this call ({other}); the expert has no document number"),
                            );
                        }
                    }
                }
            }
            // The applicant's experts to avoid: name and unit name (all the list gives).
            for av in &app.avoid_experts {
                if normalize_name(&av.name) != normalize_name(&p.name) || normalize_name(&av.name).is_empty() {
                    continue;
                }
                if normalize_name(&av.unit) == normalize_name(&p.unit) {
                    f.add(
                        Reason::AvoidedByApplicant,
                        format!("申报方申请回避：{}（{}），理由：{}", av.name, av.unit, av.reason),
                        format!("the applicant asked to avoid {} ({}): {}", av.name, av.unit, av.reason),
                    );
                } else {
                    f.add(
                        Reason::NameOnly,
                        format!("与申报方申请回避的 {}（{}）同名，单位不同", av.name, av.unit),
                        format!(
                            "same name as {} ({}), whom the applicant asked to avoid; another unit",
                            av.name, av.unit
                        ),
                    );
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The conflict an expert declared on `application` in round `round` of the call, with their reason.
pub fn declared(application: &str, expert: &str, round: u32, reason: &str) -> Conflict {
    Conflict {
        application: application.to_string(),
        expert: expert.to_string(),
        severity: Severity::Declared,
        reason: Reason::DeclaredByExpert,
        code: Reason::DeclaredByExpert.code(),
        detail_zh: format!("专家在第 {round} 轮评审时声明回避：{reason}"),
        detail_en: format!("the expert declared a conflict in round {round}: {reason}"),
    }
}

/// The most binding severity of each (application, expert) pair that has a conflict.
pub fn pair_severity(conflicts: &[Conflict]) -> BTreeMap<(String, String), Severity> {
    let mut out: BTreeMap<(String, String), Severity> = BTreeMap::new();
    for c in conflicts {
        let e = out.entry((c.application.clone(), c.expert.clone())).or_insert(c.severity);
        *e = (*e).min(c.severity);
    }
    out
}

#[cfg(test)]
mod tests;
