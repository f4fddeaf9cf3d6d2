//! What the application editor shows beside the form: the rules of the call the form is filled against
//! ([`EditorContext`]: sections, attachments, budget rows, core indicators, the programme's plan targets,
//! pledges), and the live check of a form ([`FormCheck`]: every problem with its section, the count per
//! section, the budget's subtotals and totals and the indirect cap as the budget engine computes them).
//! Pure: the desk ([`super::desk`]) reads the call and catalog and calls these.

use super::check::{section_name, section_of_field, STRUCTURED_SECTIONS};
use super::form::{merge_problems, parse_form, ApplicationForm};
use super::{required_pledges, validate_application_with};
use crate::budget::{self, BudgetSchema, CostKind, Sources};
use crate::calendar::Date;
use crate::call::{Call, Category, Direction, Mode};
use crate::catalog::Catalog;
use crate::lang::Bilingual;
use crate::validate::{Problem, Severity};
use crate::Result;
use serde::Serialize;
use std::collections::BTreeMap;

/// A section of the editor: the call's sections in its order, then the editor's own (attachments, and
/// 代表作 for 基础研究) where the call does not list them.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SectionView {
    pub code: String,
    pub name: Bilingual,
    pub required: bool,
    /// Characters without whitespace, for rich-text sections.
    pub max_chars: Option<u32>,
    /// A form of its own (基本信息, 团队, 预算 …) rather than rich text.
    pub structured: bool,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AttachmentRuleView {
    pub code: String,
    pub name: Bilingual,
    pub required: bool,
    #[specta(type = f64)]
    pub max_bytes: u64,
    pub formats: Vec<String>,
}

/// A row of the budget table.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CategoryView {
    pub code: String,
    pub name: Bilingual,
    pub kind: CostKind,
    /// 0 for a top-level row.
    pub depth: u32,
    /// Only leaves take amounts; the others are subtotals.
    pub leaf: bool,
    pub equipment: bool,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CoreIndicatorView {
    pub code: String,
    pub name: Bilingual,
    pub unit: String,
    pub target: String,
    pub direction: Direction,
    pub locked: bool,
}

/// A 专栏19 target of the call's programme an indicator may serve (when the units agree).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct PlanTargetView {
    pub code: String,
    pub indicator: String,
    pub unit: String,
    /// As the plan prints it (`5–8个`).
    pub printed: String,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct PledgeView {
    pub code: String,
    pub text: Bilingual,
}

/// A milestone of a race call, which the application's schedule must answer.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct RaceMilestoneView {
    pub code: String,
    pub name: Bilingual,
    pub due: String,
}

/// The call as the editor needs it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct EditorContext {
    pub call_id: String,
    pub call_code: String,
    pub call_revision: u32,
    pub call_title: Bilingual,
    pub programme: String,
    pub programme_name: String,
    pub mode: Bilingual,
    pub category: Bilingual,
    pub basic_research: bool,
    /// `2027-03-31T17:00:00+08:00`.
    pub closes_at: String,
    pub period_start: String,
    pub period_end: String,
    /// 万元 with 4 decimals.
    pub funding_per_project: String,
    pub sections: Vec<SectionView>,
    pub attachments: Vec<AttachmentRuleView>,
    pub budget_schema: Bilingual,
    pub budget_rows: Vec<CategoryView>,
    pub core_indicators: Vec<CoreIndicatorView>,
    pub plan_targets: Vec<PlanTargetView>,
    pub pledges: Vec<PledgeView>,
    pub race_milestones: Vec<RaceMilestoneView>,
    pub max_representative_works: u32,
    pub max_avoided_experts: u32,
}

/// The schema a call's budgets follow, from those shipped with the program (for pure tests and
/// benchmarks: a workspace resolves it with [`crate::budget::held::find`], which also knows the schemas
/// that arrived with call packages).
pub fn schema_of(call: &Call) -> Option<&'static BudgetSchema> {
    super::check::embedded_schemas().iter().find(|s| s.reference() == call.budget.schema)
}

/// The editor's context of `call`, its budget rows from `schema` (the one the workspace holds for the
/// call; `None` shows no rows).
pub fn editor_context(call: &Call, schema: Option<&BudgetSchema>, catalog: &Catalog) -> EditorContext {
    let programme = catalog.programmes.iter().find(|p| p.code == call.programme);
    let mut sections: Vec<SectionView> = call
        .sections
        .iter()
        .map(|s| SectionView {
            code: s.code.clone(),
            name: s.name.clone(),
            required: s.required,
            max_chars: s.max_chars,
            structured: STRUCTURED_SECTIONS.contains(&s.code.as_str()) || s.code == "representative_works",
        })
        .collect();
    let basic_research = call.category == Category::BasicResearch;
    let mut extra = |code: &str| {
        if !sections.iter().any(|s| s.code == code) {
            let (zh, en) = section_name(call, code);
            sections.push(SectionView {
                code: code.into(),
                name: Bilingual::new(zh, en),
                required: false,
                max_chars: None,
                structured: true,
            });
        }
    };
    if basic_research {
        extra("representative_works");
    }
    if matches!(call.mode, Mode::Challenge(_)) {
        extra("schedule");
    }
    extra("attachments");
    let budget_rows = schema
        .map(|s| {
            s.categories
                .iter()
                .map(|c| CategoryView {
                    code: c.code.clone(),
                    name: c.name.clone(),
                    kind: c.kind,
                    depth: u32::try_from(s.lineage(&c.code).len().saturating_sub(1)).unwrap_or(0),
                    leaf: s.is_leaf(&c.code),
                    equipment: c.equipment,
                })
                .collect()
        })
        .unwrap_or_default();
    let race_milestones = match &call.mode {
        Mode::Challenge(ch) => match &ch.contest {
            crate::call::Contest::Race(r) => r
                .milestones
                .iter()
                .map(|m| RaceMilestoneView { code: m.code.clone(), name: m.name.clone(), due: m.due.to_string() })
                .collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    EditorContext {
        call_id: call.id.to_string(),
        call_code: call.code.clone(),
        call_revision: call.revision,
        call_title: call.title.clone(),
        programme: call.programme.clone(),
        programme_name: programme.map(|p| p.name.clone()).unwrap_or_default(),
        mode: call.mode.name(),
        category: call.category.name(),
        basic_research,
        closes_at: call.closes_at.to_string(),
        period_start: call.period.start.to_string(),
        period_end: call.period.end.to_string(),
        funding_per_project: call.funding_per_project.wan(),
        sections,
        attachments: call
            .attachments
            .iter()
            .map(|a| AttachmentRuleView {
                code: a.code.clone(),
                name: a.name.clone(),
                required: a.required,
                max_bytes: a.max_bytes,
                formats: a.formats.clone(),
            })
            .collect(),
        budget_schema: schema.map(|s| s.name.clone()).unwrap_or_default(),
        budget_rows,
        core_indicators: call
            .core_indicators
            .iter()
            .map(|c| CoreIndicatorView {
                code: c.code.clone(),
                name: c.name.clone(),
                unit: c.unit.clone(),
                target: c.target.to_string(),
                direction: c.direction,
                locked: c.locked,
            })
            .collect(),
        plan_targets: programme
            .map(|p| {
                p.targets
                    .iter()
                    .map(|t| PlanTargetView {
                        code: t.code.clone(),
                        indicator: t.indicator.clone(),
                        unit: t.unit.clone(),
                        printed: t.printed.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
        pledges: required_pledges(call).into_iter().map(|p| PledgeView { code: p.code.into(), text: p.text }).collect(),
        race_milestones,
        max_representative_works: super::check::MAX_REPRESENTATIVE_WORKS as u32,
        max_avoided_experts: super::check::MAX_AVOIDED_EXPERTS as u32,
    }
}

/// A problem as the editor lists it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ProblemView {
    pub code: String,
    /// The field path (`team[0].id_number`), which the editor maps to its input.
    pub field: String,
    pub section: String,
    pub error: bool,
    pub message: Bilingual,
}

impl From<Problem> for ProblemView {
    fn from(p: Problem) -> ProblemView {
        ProblemView {
            section: section_of_field(&p.field),
            error: p.severity == Severity::Error,
            message: Bilingual::new(p.zh, p.en),
            code: p.code,
            field: p.field,
        }
    }
}

/// Amounts in 万元 (4 decimals, thousands separators), as the table shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, specta::Type)]
pub struct AmountsView {
    pub fiscal: String,
    pub self_raised: String,
    pub total: String,
}

impl From<Sources> for AmountsView {
    fn from(s: Sources) -> AmountsView {
        AmountsView { fiscal: s.fiscal.wan(), self_raised: s.self_raised.wan(), total: s.total().wan() }
    }
}

/// The budget's computed figures: every row's total per year and overall (subtotal rows included), the
/// totals per year, direct, indirect, the grand total, and the cap on indirect costs.
#[derive(Debug, Clone, Default, Serialize, specta::Type)]
pub struct BudgetFigures {
    /// row code → year (`"2027"`) → amounts.
    pub cells: BTreeMap<String, BTreeMap<String, AmountsView>>,
    pub rows: BTreeMap<String, AmountsView>,
    pub years: BTreeMap<String, AmountsView>,
    pub direct: AmountsView,
    pub indirect: AmountsView,
    pub grand: AmountsView,
    pub requested: AmountsView,
    /// The most the indirect line's fiscal funds may hold (tiers on fiscal direct − equipment purchase).
    pub indirect_cap: String,
    pub indirect_over_cap: bool,
}

/// The live check of a form.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct FormCheck {
    pub problems: Vec<ProblemView>,
    /// section code → (errors, warnings).
    pub by_section: BTreeMap<String, (u32, u32)>,
    pub errors: u32,
    pub budget: BudgetFigures,
}

/// Checks a form against its call: the fields that do not parse, then every check of the application
/// (see [`merge_problems`]), and the budget's figures, all under `schema` (the one the workspace holds for
/// the call: the live cap is the cap of the rules the call carries).
pub fn check_form(
    call: &Call,
    schema: Option<&BudgetSchema>,
    form: &ApplicationForm,
    catalog: &Catalog,
    today: Date,
) -> Result<FormCheck> {
    let (app, parse_problems) = parse_form(form, call)?;
    let checks = validate_application_with(call, schema, &app, catalog, today);
    let problems: Vec<ProblemView> =
        merge_problems(parse_problems, checks).into_iter().map(ProblemView::from).collect();
    let mut by_section: BTreeMap<String, (u32, u32)> = BTreeMap::new();
    for p in &problems {
        let e = by_section.entry(p.section.clone()).or_default();
        if p.error {
            e.0 += 1;
        } else {
            e.1 += 1;
        }
    }
    let errors = problems.iter().filter(|p| p.error).count() as u32;
    let figures = match schema {
        Some(schema) => {
            let t = budget::totals(schema, &app.budget);
            // The cap governs fiscal funds (财政资金), as the budget check enforces it.
            let cap = schema.indirect_cap(t.direct.fiscal, t.equipment_purchase.fiscal, call.budget.pure_theory);
            BudgetFigures {
                cells: t
                    .cells
                    .iter()
                    .map(|(c, ys)| {
                        (c.clone(), ys.iter().map(|(y, s)| (y.to_string(), AmountsView::from(*s))).collect())
                    })
                    .collect(),
                rows: t.by_category.iter().map(|(c, s)| (c.clone(), AmountsView::from(*s))).collect(),
                years: t.by_year.iter().map(|(y, s)| (y.to_string(), AmountsView::from(*s))).collect(),
                direct: t.direct.into(),
                indirect: t.indirect.into(),
                grand: t.grand.into(),
                requested: app.budget.requested.into(),
                indirect_cap: cap.wan(),
                indirect_over_cap: t.indirect.fiscal > cap,
            }
        }
        None => BudgetFigures::default(),
    };
    Ok(FormCheck { problems, by_section, errors, budget: figures })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::demo_application;
    use crate::application::form::ApplicationForm;
    use crate::call::demo_calls;

    fn catalog() -> Catalog {
        crate::catalog::embedded().unwrap()
    }

    fn today() -> Date {
        Date::new(2027, 1, 10).unwrap()
    }

    #[test]
    fn the_demo_applications_check_clean_and_their_totals_are_the_engines() {
        for call in demo_calls().unwrap() {
            let app = demo_application(&call);
            let check = check_form(&call, schema_of(&call), &ApplicationForm::from(&app), &catalog(), today()).unwrap();
            assert_eq!(check.errors, 0, "{}: {:?}", call.code, check.problems);
            let schema = schema_of(&call).unwrap();
            let t = budget::totals(schema, &app.budget);
            assert_eq!(check.budget.grand.total, t.grand.total().wan());
            assert_eq!(check.budget.grand.total, app.budget.requested.total().wan(), "the demo asks for its total");
            assert!(!check.budget.indirect_over_cap);
        }
    }

    #[test]
    fn a_typed_amount_changes_the_totals_and_an_indirect_line_over_the_cap_is_flagged() {
        let call = demo_calls().unwrap().remove(0);
        let schema = schema_of(&call).unwrap();
        let mut form = ApplicationForm::from(&demo_application(&call));
        let indirect = schema.leaves().find(|c| c.kind == CostKind::Indirect).unwrap().code.clone();
        let year = form.budget.years[0].to_string();
        let before = check_form(&call, Some(schema), &form, &catalog(), today()).unwrap();
        form.budget.lines.entry(indirect.clone()).or_default().entry(year.clone()).or_default().fiscal = "9999".into();
        let after = check_form(&call, Some(schema), &form, &catalog(), today()).unwrap();
        assert_ne!(before.budget.grand.total, after.budget.grand.total);
        assert!(after.budget.indirect_over_cap);
        assert!(after.problems.iter().any(|p| p.code == "budget.indirect_over_cap" && p.section == "budget"));
        assert!(after.by_section.get("budget").is_some_and(|(e, _)| *e >= 1));
    }

    #[test]
    fn the_context_lists_the_calls_sections_attachments_and_budget_rows() {
        let cat = catalog();
        for call in demo_calls().unwrap() {
            let ctx = editor_context(&call, schema_of(&call), &cat);
            assert!(ctx.sections.iter().any(|s| s.code == "attachments"));
            assert_eq!(ctx.attachments.len(), call.attachments.len());
            assert!(!ctx.budget_rows.is_empty(), "{}", call.code);
            assert!(!ctx.plan_targets.is_empty(), "the programme's targets");
            assert!(!ctx.basic_research || ctx.sections.iter().any(|s| s.code == "representative_works"));
        }
    }

    #[test]
    fn a_field_path_finds_its_section() {
        assert_eq!(section_of_field("team[2].birth_date"), "team");
        assert_eq!(section_of_field("sections[content]"), "content");
        assert_eq!(section_of_field("budget.lines[a][2027].fiscal"), "budget");
        assert_eq!(section_of_field("applicant.credit_code"), "basic_info");
        assert_eq!(section_of_field("milestones[0].due"), "schedule");
        assert_eq!(section_of_field("attachments[signed_pages]"), "attachments");
    }
}
