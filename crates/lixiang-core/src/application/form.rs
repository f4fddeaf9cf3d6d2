//! The application as the editor holds it: every field a person types kept as the text they typed
//! (dates, amounts in 万元, quantities, counts), so that a draft saved mid-typing never loses or
//! rewrites what is on screen, and a value that does not parse is reported beside its field instead of
//! being refused as a whole. A draft is stored in this form; [`parse_form`] turns it into an
//! [`Application`] for the checks, sealing and packages, and [`ApplicationForm::from`] goes back.
//!
//! Parsing is lenient on purpose: each field that does not parse gives one problem under the same
//! field path the checks use (`team[0].birth_date`, `budget.lines[equipment][2027].fiscal`) and a
//! stand-in value, and the checks' own problems on that field are then dropped — the person sees one
//! message per field, the one that says what to type.

use super::{
    ApplicantUnit, Application, ApplicationId, Attachment, AvoidedExpert, DocumentKind, Indicator, IndicatorKind,
    Member, MilestonePlan, PartnerUnit, Quantity, RepresentativeWork, RichText, Role, Stage,
};
use crate::budget::{BudgetTable, EquipmentLine, SchemaRef, Sources};
use crate::calendar::Date;
use crate::call::{Call, CallId, Degree, Direction, Period, Title};
use crate::money::Fen;
use crate::validate::Problem;
use crate::{CoreError, Lang, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The version of the stored form; a draft body without it is an [`Application`] (older drafts).
pub const FORM_VERSION: u32 = 1;

/// An application as typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct ApplicationForm {
    pub form_version: u32,
    pub id: String,
    pub call_id: String,
    pub call_revision: u32,
    pub programme: String,
    pub stage: Stage,
    pub pre_application: Option<String>,
    pub title: String,
    pub keywords: Vec<String>,
    pub discipline: String,
    /// `YYYY-MM-DD`.
    pub period_start: String,
    pub period_end: String,
    pub applicant: UnitForm,
    pub partners: Vec<PartnerUnit>,
    pub team: Vec<MemberForm>,
    pub sections: BTreeMap<String, RichText>,
    pub indicators: Vec<IndicatorForm>,
    pub milestones: Vec<MilestoneForm>,
    pub budget: BudgetForm,
    pub representative_works: Vec<WorkForm>,
    pub attachments: Vec<AttachmentForm>,
    pub avoid_experts: Vec<AvoidedExpert>,
    pub pledges: BTreeMap<String, bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
pub struct UnitForm {
    pub name: String,
    pub credit_code: String,
    pub registered_on: String,
    pub region: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct MemberForm {
    pub name: String,
    pub document: DocumentKind,
    pub id_number: String,
    pub birth_date: String,
    pub unit_credit_code: String,
    pub department: String,
    pub title: Option<Title>,
    pub title_name: String,
    pub degree: Option<Degree>,
    pub role: Role,
    pub months: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct IndicatorForm {
    pub id: String,
    pub name: String,
    pub kind: IndicatorKind,
    pub unit: String,
    pub baseline: String,
    pub target: String,
    pub direction: Direction,
    pub plan_target: Option<String>,
    pub core_indicator: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct MilestoneForm {
    pub code: String,
    pub name: String,
    pub due: String,
    pub deliverable: String,
}

/// Amounts in 万元 as typed; an empty cell is zero.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
pub struct SourcesForm {
    pub fiscal: String,
    pub self_raised: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct EquipmentForm {
    pub category: String,
    pub name: String,
    pub unit_price: String,
    pub quantity: String,
    pub estimate: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct BudgetForm {
    pub schema: SchemaRef,
    pub years: Vec<i32>,
    /// category code → year (`"2027"`) → amounts.
    pub lines: BTreeMap<String, BTreeMap<String, SourcesForm>>,
    pub requested: SourcesForm,
    pub equipment: Vec<EquipmentForm>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct WorkForm {
    pub title: String,
    pub citation: String,
    pub year: String,
    pub attachment: Option<String>,
}

/// An attachment: chosen through the app, never typed, so its fields are the application's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct AttachmentForm {
    pub rule: String,
    pub name: String,
    pub sha256: String,
    /// Bytes (a JSON number: files are far below 2⁵³ bytes).
    #[specta(type = f64)]
    pub size: u64,
    pub media_type: String,
}

/// 万元 without separators or trailing zeros (`35.5`), empty for zero: what a person would type.
pub fn wan_text(fen: Fen) -> String {
    if fen == Fen::ZERO {
        return String::new();
    }
    let per = crate::money::FEN_PER_WAN as u64;
    let (whole, frac) = (fen.get() / per, (fen.get() % per) / 100);
    let frac = format!("{frac:04}");
    let frac = frac.trim_end_matches('0');
    if frac.is_empty() {
        whole.to_string()
    } else {
        format!("{whole}.{frac}")
    }
}

fn sources_text(s: Sources) -> SourcesForm {
    SourcesForm { fiscal: wan_text(s.fiscal), self_raised: wan_text(s.self_raised) }
}

fn opt_quantity(q: Option<Quantity>) -> String {
    q.map(|q| q.to_string()).unwrap_or_default()
}

impl From<&Application> for ApplicationForm {
    fn from(a: &Application) -> ApplicationForm {
        ApplicationForm {
            form_version: FORM_VERSION,
            id: a.id.to_string(),
            call_id: a.call_id.to_string(),
            call_revision: a.call_revision,
            programme: a.programme.clone(),
            stage: a.stage,
            pre_application: a.pre_application.map(|p| p.to_string()),
            title: a.title.clone(),
            keywords: a.keywords.clone(),
            discipline: a.discipline.clone(),
            period_start: a.period.start.to_string(),
            period_end: a.period.end.to_string(),
            applicant: UnitForm {
                name: a.applicant.name.clone(),
                credit_code: a.applicant.credit_code.clone(),
                registered_on: a.applicant.registered_on.to_string(),
                region: a.applicant.region.clone(),
            },
            partners: a.partners.clone(),
            team: a
                .team
                .iter()
                .map(|m| MemberForm {
                    name: m.name.clone(),
                    document: m.document,
                    id_number: m.id_number.clone(),
                    birth_date: m.birth_date.to_string(),
                    unit_credit_code: m.unit_credit_code.clone(),
                    department: m.department.clone(),
                    title: m.title,
                    title_name: m.title_name.clone(),
                    degree: m.degree,
                    role: m.role,
                    months: m.months.to_string(),
                })
                .collect(),
            sections: a.sections.clone(),
            indicators: a
                .indicators
                .iter()
                .map(|i| IndicatorForm {
                    id: i.id.clone(),
                    name: i.name.clone(),
                    kind: i.kind,
                    unit: i.unit.clone(),
                    baseline: opt_quantity(i.baseline),
                    target: i.target.to_string(),
                    direction: i.direction,
                    plan_target: i.plan_target.clone(),
                    core_indicator: i.core_indicator.clone(),
                })
                .collect(),
            milestones: a
                .milestones
                .iter()
                .map(|m| MilestoneForm {
                    code: m.code.clone(),
                    name: m.name.clone(),
                    due: m.due.to_string(),
                    deliverable: m.deliverable.clone(),
                })
                .collect(),
            budget: BudgetForm {
                schema: a.budget.schema.clone(),
                years: a.budget.years.clone(),
                lines: a
                    .budget
                    .lines
                    .iter()
                    .map(|(code, years)| {
                        (code.clone(), years.iter().map(|(y, s)| (y.to_string(), sources_text(*s))).collect())
                    })
                    .collect(),
                requested: sources_text(a.budget.requested),
                equipment: a
                    .budget
                    .equipment
                    .iter()
                    .map(|e| EquipmentForm {
                        category: e.category.clone(),
                        name: e.name.clone(),
                        unit_price: wan_text(e.unit_price),
                        quantity: e.quantity.to_string(),
                        estimate: e.estimate.clone(),
                    })
                    .collect(),
            },
            representative_works: a
                .representative_works
                .iter()
                .map(|w| WorkForm {
                    title: w.title.clone(),
                    citation: w.citation.clone(),
                    year: w.year.to_string(),
                    attachment: w.attachment.clone(),
                })
                .collect(),
            attachments: a
                .attachments
                .iter()
                .map(|x| AttachmentForm {
                    rule: x.rule.clone(),
                    name: x.name.clone(),
                    sha256: x.sha256.clone(),
                    size: x.size,
                    media_type: x.media_type.clone(),
                })
                .collect(),
            avoid_experts: a.avoid_experts.clone(),
            pledges: a.pledges.clone(),
        }
    }
}

/// Collects the problems of fields that do not parse, and the fields they were on.
struct Reader {
    problems: Vec<Problem>,
}

impl Reader {
    fn fail(&mut self, code: &str, field: String, (zh, en): (String, String)) {
        self.problems.push(Problem::error(code, field, zh, en));
    }

    /// A date field; empty or not a date gives a problem naming `label` and the stand-in `fallback`.
    fn date(&mut self, text: &str, field: String, label: (&str, &str), fallback: Date) -> Date {
        let t = crate::validate::text::normalize(text);
        if t.is_empty() {
            self.fail(
                "form.required",
                field,
                (
                    format!("请填写{}（年-月-日，如 2027-03-01）", label.0),
                    format!("Enter the {} (YYYY-MM-DD, such as 2027-03-01)", label.1),
                ),
            );
            return fallback;
        }
        match Date::parse(&t) {
            Some(d) => d,
            None => {
                self.fail(
                    "form.date_invalid",
                    field,
                    (
                        format!("{}「{t}」不是日期：请写作 年-月-日，如 2027-03-01", label.0),
                        format!("The {} “{t}” is not a date: write it as YYYY-MM-DD, such as 2027-03-01", label.1),
                    ),
                );
                fallback
            }
        }
    }

    /// An amount in 万元; empty is zero.
    fn amount(&mut self, text: &str, field: String, label: (&str, &str)) -> Fen {
        if text.trim().is_empty() {
            return Fen::ZERO;
        }
        match Fen::parse_wan(text) {
            Ok(f) => f,
            Err(e) => {
                self.fail(
                    "form.amount_invalid",
                    field,
                    (
                        format!("{}「{}」：{}", label.0, text.trim(), e.message(Lang::Zh)),
                        format!("{} “{}”: {}", label.1, text.trim(), e.message(Lang::En)),
                    ),
                );
                Fen::ZERO
            }
        }
    }

    fn sources(&mut self, s: &SourcesForm, field: &str, label: (&str, &str)) -> Sources {
        Sources {
            fiscal: self.amount(
                &s.fiscal,
                format!("{field}.fiscal"),
                (&format!("{}（财政资金）", label.0), &format!("{} (fiscal)", label.1)),
            ),
            self_raised: self.amount(
                &s.self_raised,
                format!("{field}.self_raised"),
                (&format!("{}（自筹资金）", label.0), &format!("{} (self-raised)", label.1)),
            ),
        }
    }

    /// A whole number; empty is zero when `empty_is_zero`, else a problem.
    fn count<T: std::str::FromStr + Default>(&mut self, text: &str, field: String, label: (&str, &str)) -> T {
        let t = crate::validate::text::normalize(text);
        if t.is_empty() {
            return T::default();
        }
        match t.parse::<T>() {
            Ok(n) => n,
            Err(_) => {
                self.fail(
                    "form.number_invalid",
                    field,
                    (format!("{}「{t}」应为整数", label.0), format!("The {} “{t}” must be a whole number", label.1)),
                );
                T::default()
            }
        }
    }

    fn quantity(&mut self, text: &str, field: String, label: (&str, &str), required: bool) -> Option<Quantity> {
        let t = crate::validate::text::normalize(text);
        if t.is_empty() {
            if required {
                self.fail("form.required", field, (format!("请填写{}", label.0), format!("Enter the {}", label.1)));
            }
            return None;
        }
        match Quantity::parse(&t) {
            Ok(q) => Some(q),
            Err(_) => {
                self.fail(
                    "form.quantity_invalid",
                    field,
                    (
                        format!("{}「{t}」应为数字，如 85 或 99.5", label.0),
                        format!("The {} “{t}” must be a number such as 85 or 99.5", label.1),
                    ),
                );
                None
            }
        }
    }
}

/// A stand-in date for a field that does not parse: the problem on the field says so, and the checks'
/// own problems on it are dropped.
fn stand_in() -> Date {
    Date::new(1970, 1, 1).expect("1970-01-01 is a date")
}

/// The application a form holds, with a problem for each field that does not parse (see the module
/// documentation). Only the ids can refuse the whole form: they are the app's, never typed.
pub fn parse_form(form: &ApplicationForm, call: &Call) -> Result<(Application, Vec<Problem>)> {
    let id = ApplicationId::parse(&form.id).ok_or_else(|| CoreError::Validation {
        field: "application.id".into(),
        reason: format!("{:?} is not an id", form.id),
    })?;
    let call_id = CallId::parse(&form.call_id).ok_or_else(|| CoreError::Validation {
        field: "application.call_id".into(),
        reason: format!("{:?} is not an id", form.call_id),
    })?;
    let pre_application = match &form.pre_application {
        Some(p) if !p.trim().is_empty() => Some(ApplicationId::parse(p).ok_or_else(|| CoreError::Validation {
            field: "application.pre_application".into(),
            reason: format!("{p:?} is not an id"),
        })?),
        _ => None,
    };
    let mut r = Reader { problems: Vec::new() };
    let period = Period {
        start: r.date(
            &form.period_start,
            "period.start".into(),
            ("实施周期起始日期", "start of the period"),
            call.period.start,
        ),
        end: r.date(&form.period_end, "period.end".into(), ("实施周期结束日期", "end of the period"), call.period.end),
    };
    let applicant = ApplicantUnit {
        name: form.applicant.name.clone(),
        credit_code: form.applicant.credit_code.clone(),
        registered_on: r.date(
            &form.applicant.registered_on,
            "applicant.registered_on".into(),
            ("申报单位注册（成立）日期", "applicant unit's registration date"),
            stand_in(),
        ),
        region: form.applicant.region.clone(),
    };
    let team = form
        .team
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let n = i + 1;
            Member {
                name: m.name.clone(),
                document: m.document,
                id_number: m.id_number.clone(),
                birth_date: r.date(
                    &m.birth_date,
                    format!("team[{i}].birth_date"),
                    (&format!("第 {n} 位成员的出生日期"), &format!("birth date of member {n}")),
                    stand_in(),
                ),
                unit_credit_code: m.unit_credit_code.clone(),
                department: m.department.clone(),
                title: m.title,
                title_name: m.title_name.clone(),
                degree: m.degree,
                role: m.role,
                months: r.count(
                    &m.months,
                    format!("team[{i}].months"),
                    (&format!("第 {n} 位成员的投入人月"), &format!("person-months of member {n}")),
                ),
            }
        })
        .collect();
    let indicators = form
        .indicators
        .iter()
        .enumerate()
        .map(|(i, k)| {
            let n = i + 1;
            Indicator {
                id: k.id.clone(),
                name: k.name.clone(),
                kind: k.kind,
                unit: k.unit.clone(),
                baseline: r.quantity(
                    &k.baseline,
                    format!("indicators[{i}].baseline"),
                    (&format!("第 {n} 项指标的现有水平"), &format!("baseline of indicator {n}")),
                    false,
                ),
                target: r
                    .quantity(
                        &k.target,
                        format!("indicators[{i}].target"),
                        (&format!("第 {n} 项指标的目标值"), &format!("target of indicator {n}")),
                        true,
                    )
                    .unwrap_or(Quantity::whole(0)),
                direction: k.direction,
                plan_target: k.plan_target.clone().filter(|t| !t.is_empty()),
                core_indicator: k.core_indicator.clone().filter(|t| !t.is_empty()),
            }
        })
        .collect();
    let milestones = form
        .milestones
        .iter()
        .enumerate()
        .map(|(i, m)| MilestonePlan {
            code: m.code.clone(),
            name: m.name.clone(),
            due: r.date(
                &m.due,
                format!("milestones[{i}].due"),
                (&format!("第 {} 个里程碑的日期", i + 1), &format!("date of milestone {}", i + 1)),
                period.end,
            ),
            deliverable: m.deliverable.clone(),
        })
        .collect();
    let mut lines: BTreeMap<String, BTreeMap<i32, Sources>> = BTreeMap::new();
    for (code, years) in &form.budget.lines {
        for (year, cell) in years {
            let field = format!("budget.lines[{code}][{year}]");
            let Ok(y) = year.parse::<i32>() else {
                r.fail(
                    "form.year_invalid",
                    field,
                    (format!("预算年度「{year}」不是年份"), format!("The budget year “{year}” is not a year")),
                );
                continue;
            };
            let s = r.sources(cell, &field, (&format!("预算 {code} {year} 年"), &format!("budget {code} {year}")));
            if s != Sources::default() {
                lines.entry(code.clone()).or_default().insert(y, s);
            }
        }
    }
    let budget = BudgetTable {
        schema: form.budget.schema.clone(),
        years: form.budget.years.clone(),
        lines,
        requested: r.sources(&form.budget.requested, "budget.requested", ("申请经费", "funding requested")),
        equipment: form
            .budget
            .equipment
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let n = i + 1;
                EquipmentLine {
                    category: e.category.clone(),
                    name: e.name.clone(),
                    unit_price: r.amount(
                        &e.unit_price,
                        format!("budget.equipment[{i}].unit_price"),
                        (&format!("第 {n} 台设备的单价"), &format!("unit price of equipment {n}")),
                    ),
                    quantity: r.count(
                        &e.quantity,
                        format!("budget.equipment[{i}].quantity"),
                        (&format!("第 {n} 台设备的数量"), &format!("quantity of equipment {n}")),
                    ),
                    estimate: e.estimate.clone(),
                }
            })
            .collect(),
    };
    let representative_works = form
        .representative_works
        .iter()
        .enumerate()
        .map(|(i, w)| RepresentativeWork {
            title: w.title.clone(),
            citation: w.citation.clone(),
            year: r.count(
                &w.year,
                format!("representative_works[{i}].year"),
                (&format!("第 {} 项代表作的年份", i + 1), &format!("year of representative work {}", i + 1)),
            ),
            attachment: w.attachment.clone().filter(|a| !a.is_empty()),
        })
        .collect();
    let app = Application {
        id,
        call_id,
        call_revision: form.call_revision,
        programme: form.programme.clone(),
        stage: form.stage,
        pre_application,
        title: form.title.clone(),
        keywords: form.keywords.iter().map(|k| k.trim().to_string()).filter(|k| !k.is_empty()).collect(),
        discipline: form.discipline.clone(),
        period,
        applicant,
        partners: form.partners.clone(),
        team,
        sections: form.sections.clone(),
        indicators,
        milestones,
        budget,
        representative_works,
        attachments: form
            .attachments
            .iter()
            .map(|x| Attachment {
                rule: x.rule.clone(),
                name: x.name.clone(),
                sha256: x.sha256.clone(),
                size: x.size,
                media_type: x.media_type.clone(),
            })
            .collect(),
        avoid_experts: form.avoid_experts.clone(),
        pledges: form.pledges.clone(),
    };
    // Named like the checks' problems: 【section】 first.
    let problems = r
        .problems
        .into_iter()
        .map(|mut p| {
            let (zh, en) = super::check::section_name(call, &super::check::section_of_field(&p.field));
            p.zh = format!("【{zh}】{}", p.zh);
            p.en = format!("{en}: {}", p.en);
            p
        })
        .collect();
    Ok((app, problems))
}

/// The problems of a form: those of fields that do not parse, then the checks' problems on every other
/// field (a field that does not parse holds a stand-in the checks would otherwise complain about).
pub fn merge_problems(parse: Vec<Problem>, checks: Vec<Problem>) -> Vec<Problem> {
    let broken: BTreeSet<String> = parse.iter().map(|p| p.field.clone()).collect();
    // A cell's fiscal or self-raised part not parsing also covers the checks' problem on the cell.
    let covered = |field: &str| {
        broken.contains(field) || broken.iter().any(|b| b.starts_with(field) && b[field.len()..].starts_with('.'))
    };
    let mut out = parse;
    out.extend(checks.into_iter().filter(|p| !covered(&p.field)));
    out
}

/// A new, empty application for `call`: its ids, the call's period and budget schema over the period's
/// years, one team member as leader, every pledge the call asks for unaccepted.
pub fn blank_form(call: &Call) -> ApplicationForm {
    let pledges = super::required_pledges(call).into_iter().map(|p| (p.code.to_string(), false)).collect();
    ApplicationForm {
        form_version: FORM_VERSION,
        id: ApplicationId::new().to_string(),
        call_id: call.id.to_string(),
        call_revision: call.revision,
        programme: call.programme.clone(),
        stage: if matches!(call.mode, crate::call::Mode::OpenCompetition { two_stage: true }) {
            Stage::Pre
        } else {
            Stage::Full
        },
        pre_application: None,
        title: String::new(),
        keywords: Vec::new(),
        discipline: String::new(),
        period_start: call.period.start.to_string(),
        period_end: call.period.end.to_string(),
        applicant: UnitForm::default(),
        partners: Vec::new(),
        team: vec![MemberForm {
            name: String::new(),
            document: DocumentKind::ResidentId,
            id_number: String::new(),
            birth_date: String::new(),
            unit_credit_code: String::new(),
            department: String::new(),
            title: None,
            title_name: String::new(),
            degree: None,
            role: Role::Leader,
            months: String::new(),
        }],
        sections: BTreeMap::new(),
        indicators: Vec::new(),
        milestones: Vec::new(),
        budget: BudgetForm {
            schema: call.budget.schema.clone(),
            years: call.period.years(),
            lines: BTreeMap::new(),
            requested: SourcesForm::default(),
            equipment: Vec::new(),
        },
        representative_works: Vec::new(),
        attachments: Vec::new(),
        avoid_experts: Vec::new(),
        pledges,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::demo_application;
    use crate::call::demo_calls;

    fn call() -> Call {
        demo_calls().expect("the demo calls load").remove(0)
    }

    #[test]
    fn an_application_goes_to_its_form_and_back_unchanged() {
        for call in demo_calls().unwrap() {
            let app = demo_application(&call);
            let form = ApplicationForm::from(&app);
            let (back, problems) = parse_form(&form, &call).unwrap();
            assert!(problems.is_empty(), "{problems:?}");
            assert_eq!(back, app, "call {}", call.code);
        }
    }

    #[test]
    fn what_does_not_parse_is_one_problem_on_its_field_and_the_rest_is_kept() {
        let call = call();
        let mut form = ApplicationForm::from(&demo_application(&call));
        form.team[0].birth_date = "1980-02-30".into();
        form.team[0].months = "十二".into();
        let year = form.budget.years[0].to_string();
        let code = form.budget.lines.keys().next().unwrap().clone();
        form.budget.lines.get_mut(&code).unwrap().entry(year.clone()).or_default().fiscal = "12.34567".into();
        form.indicators[0].target = "≥90".into();
        form.title = "高原𬌗类作物研究".into();
        let (app, problems) = parse_form(&form, &call).unwrap();
        let fields: Vec<(&str, &str)> = problems.iter().map(|p| (p.code.as_str(), p.field.as_str())).collect();
        assert_eq!(
            fields,
            vec![
                ("form.date_invalid", "team[0].birth_date"),
                ("form.number_invalid", "team[0].months"),
                ("form.quantity_invalid", "indicators[0].target"),
                ("form.amount_invalid", format!("budget.lines[{code}][{year}].fiscal").as_str()),
            ]
        );
        assert!(problems[0].zh.contains("1980-02-30"), "{}", problems[0].zh);
        assert!(problems[3].zh.contains("最多 4 位小数"), "{}", problems[3].zh);
        assert_eq!(app.title, "高原𬌗类作物研究");
        assert_eq!(app.team[0].name, form.team[0].name, "the other fields are kept");
    }

    #[test]
    fn a_check_on_a_field_that_does_not_parse_is_left_out_but_others_stay() {
        let parse = vec![Problem::error("form.amount_invalid", "budget.lines[a][2027].fiscal", "x", "x")];
        let checks = vec![
            Problem::error("budget.total_mismatch", "budget.lines[a][2027]", "y", "y"),
            Problem::error("application.title_missing", "title", "z", "z"),
        ];
        let merged = merge_problems(parse, checks);
        let codes: Vec<&str> = merged.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, vec!["form.amount_invalid", "application.title_missing"]);
    }

    #[test]
    fn amounts_read_back_as_typed() {
        assert_eq!(wan_text(Fen::ZERO), "");
        assert_eq!(wan_text(Fen::parse_wan("35.5").unwrap()), "35.5");
        assert_eq!(wan_text(Fen::parse_wan("120").unwrap()), "120");
        assert_eq!(wan_text(Fen::parse_wan("0.0001").unwrap()), "0.0001");
    }

    #[test]
    fn a_blank_form_has_a_leader_the_call_period_and_its_pledges() {
        let call = call();
        let form = blank_form(&call);
        assert_eq!(form.team.len(), 1);
        assert_eq!(form.team[0].role, Role::Leader);
        assert_eq!(form.budget.years, call.period.years());
        assert!(!form.pledges.is_empty() && form.pledges.values().all(|v| !v));
        let (app, problems) = parse_form(&form, &call).unwrap();
        assert_eq!(app.period, call.period);
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, vec!["applicant.registered_on", "team[0].birth_date"], "empty dates are asked for");
    }
}
