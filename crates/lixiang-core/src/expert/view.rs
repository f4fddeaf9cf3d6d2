//! The expert pool, an import report and an assignment run as the window shows them: flat records
//! with the domain's codes as strings (the UI translates them) and numbers the UI can hold, built from
//! the records of [`super::desk`] and [`crate::assign::desk`]. Pure conversion, no decisions.

use super::desk::{ImportReport, ImportStatus, RowAction};
use super::Expert;
use crate::assign::desk::Run;
use crate::assign::{Deficiency, Need, Outcome, PinRule};
use crate::error::CellProblem;
use crate::lang::Bilingual;
use crate::Lang;
use serde::Serialize;
use std::collections::BTreeMap;

/// A value's serde name (`outside`, `university`): the code the UI translates.
fn code<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

/// An expert in the pool's list.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ExpertView {
    pub number: String,
    pub name: String,
    /// Pinyin, as the list sorts.
    pub sort_key: String,
    pub unit: String,
    pub unit_credit_code: String,
    /// `inside` / `outside` (区内 / 区外).
    pub region: String,
    pub unit_type: String,
    pub title: String,
    pub title_level: String,
    pub category: String,
    pub industry_user: bool,
    pub disciplines: Vec<String>,
    pub keywords: Vec<String>,
    pub reviews_this_year: u32,
    pub yearly_cap: u32,
    pub available: bool,
    pub status: String,
    /// Whether the expert's key card is attached (packets can be encrypted to them).
    pub has_key_card: bool,
}

impl From<&Expert> for ExpertView {
    fn from(e: &Expert) -> ExpertView {
        let p = &e.profile;
        ExpertView {
            number: e.number.clone(),
            name: p.name.clone(),
            sort_key: p.sort_key.clone(),
            unit: p.unit.clone(),
            unit_credit_code: p.unit_credit_code.clone(),
            region: code(&p.region),
            unit_type: code(&p.unit_type),
            title: p.title.clone(),
            title_level: code(&p.title_level),
            category: code(&p.category),
            industry_user: p.is_industry_user(),
            disciplines: p.disciplines.clone(),
            keywords: p.keywords.clone(),
            reviews_this_year: p.reviews_this_year,
            yearly_cap: p.yearly_cap,
            available: p.available,
            status: code(&p.status),
            has_key_card: e.key_id.is_some(),
        }
    }
}

/// One bad or doubtful cell of an import.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CellView {
    pub row: u32,
    pub column: String,
    pub reason: Bilingual,
}

impl From<&CellProblem> for CellView {
    fn from(c: &CellProblem) -> CellView {
        CellView {
            row: u32::try_from(c.row).unwrap_or(u32::MAX),
            column: c.column.clone(),
            reason: Bilingual::new(c.reason_zh.clone(), c.reason_en.clone()),
        }
    }
}

/// A good row and what the import does with it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct RowView {
    pub row: u32,
    pub name: String,
    pub document_number: Option<String>,
    /// `create` or `update`.
    pub action: String,
    /// The expert's number once imported (or the one updated).
    pub number: Option<String>,
}

/// An import's report: what would be (or was) written, and every bad cell.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ImportView {
    pub file: String,
    pub file_sha256: String,
    /// `rejected`, `needs_confirmation` or `imported`.
    pub status: String,
    pub rows: Vec<RowView>,
    pub errors: Vec<CellView>,
    pub warnings: Vec<CellView>,
}

impl From<&ImportReport> for ImportView {
    fn from(r: &ImportReport) -> ImportView {
        ImportView {
            file: r.file.clone(),
            file_sha256: r.file_sha256.clone(),
            status: match r.status {
                ImportStatus::Rejected => "rejected",
                ImportStatus::NeedsConfirmation => "needs_confirmation",
                ImportStatus::Imported => "imported",
            }
            .into(),
            rows: r
                .rows
                .iter()
                .map(|p| {
                    let (action, number) = match &p.action {
                        RowAction::Create { number } => ("create", number.clone()),
                        RowAction::Update { number } => ("update", Some(number.clone())),
                    };
                    RowView {
                        row: u32::try_from(p.row).unwrap_or(u32::MAX),
                        name: p.name.clone(),
                        document_number: p.document_number.clone(),
                        action: action.into(),
                        number,
                    }
                })
                .collect(),
            errors: r.errors.iter().map(CellView::from).collect(),
            warnings: r.warnings.iter().map(CellView::from).collect(),
        }
    }
}

/// One changed field of an edit: its text before and after.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct FieldChangeView {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// An edit's report: what changed (or would), and every bad field.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct EditView {
    pub number: String,
    pub name: String,
    /// `rejected`, `unchanged`, `needs_confirmation` or `edited`.
    pub status: String,
    pub changes: Vec<FieldChangeView>,
    pub errors: Vec<CellView>,
    pub warnings: Vec<CellView>,
}

impl From<&super::edit::EditReport> for EditView {
    fn from(r: &super::edit::EditReport) -> EditView {
        use super::edit::EditStatus;
        EditView {
            number: r.number.clone(),
            name: r.name.clone(),
            status: match r.status {
                EditStatus::Rejected => "rejected",
                EditStatus::Unchanged => "unchanged",
                EditStatus::NeedsConfirmation => "needs_confirmation",
                EditStatus::Edited => "edited",
            }
            .into(),
            changes: r
                .changes
                .iter()
                .map(|c| FieldChangeView { field: c.field.clone(), old: c.old.clone(), new: c.new.clone() })
                .collect(),
            errors: r.errors.iter().map(CellView::from).collect(),
            warnings: r.warnings.iter().map(CellView::from).collect(),
        }
    }
}

/// An expert assigned to an item, with the pair's match score.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AssignedExpertView {
    pub number: String,
    pub name: String,
    pub unit: String,
    pub region: String,
    pub industry_user: bool,
    pub score: u32,
    /// Pinned by the officer (kept in every run of the round).
    pub pinned: bool,
}

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AssignedItemView {
    /// 申报编号.
    pub number: String,
    pub title: String,
    pub experts: Vec<AssignedExpertView>,
}

/// A run of the assignment as the window shows it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct AssignmentView {
    pub run_id: String,
    pub input_sha256: String,
    /// `assigned`, `infeasible` or `undecided`.
    pub status: String,
    pub per_item: u32,
    pub experts_in_pool: u32,
    pub excluded_pairs: u32,
    /// Σ match score, its proven bound and the gap (0 ⇔ optimal); `None` without an assignment.
    pub total_score: Option<i32>,
    pub bound: Option<i32>,
    pub optimal: bool,
    pub items: Vec<AssignedItemView>,
    /// Why there is no assignment (which items need what), when there is none.
    pub explanation: Option<Bilingual>,
}

fn clamp(v: i64) -> i32 {
    i32::try_from(v).unwrap_or(if v < 0 { i32::MIN } else { i32::MAX })
}

fn need(n: Need, lang: Lang) -> &'static str {
    match n {
        Need::Reviews => lang.pick("评审专家", "reviewers"),
        Need::Outside => lang.pick("区外专家", "experts from outside Xizang"),
        Need::Industry => lang.pick("产业专家", "industry-user experts"),
    }
}

/// Why no assignment exists, in words.
pub fn describe(d: &Deficiency, lang: Lang) -> String {
    match d {
        Deficiency::Items { items } => items
            .iter()
            .map(|s| match lang {
                Lang::Zh => format!("{} 需要 {} 位{}，可用 {} 位", s.item, s.required, need(s.need, lang), s.available),
                Lang::En => {
                    format!("{} needs {} {}; {} available", s.item, s.required, need(s.need, lang), s.available)
                }
            })
            .collect::<Vec<_>>()
            .join(lang.pick("；", "; ")),
        Deficiency::Set(set) => {
            let items = set.items.iter().map(|i| i.item.as_str()).collect::<Vec<_>>().join(" ");
            match lang {
                Lang::Zh => format!(
                    "每项单独都可满足，但 {items} 合计需要 {} 次评审，能评审它们的专家只有 {} 个名额",
                    set.required, set.available
                ),
                Lang::En => format!(
                    "each item alone can be served, but {items} need {} reviews together and the experts who could serve them have {} slots",
                    set.required, set.available
                ),
            }
        }
        Deficiency::Pinned { clashes } => clashes
            .iter()
            .map(|c| {
                let experts = c.experts.join(" ");
                let item = c.item.as_deref().unwrap_or("");
                let (n, l) = (c.count, c.limit);
                match (c.rule, lang) {
                    (PinRule::PerItem, Lang::Zh) => format!("{item} 固定了 {n} 位专家，但每项只需 {l} 位（{experts}）"),
                    (PinRule::PerItem, Lang::En) => {
                        format!("{item} has {n} pinned experts but needs only {l} ({experts})")
                    }
                    (PinRule::OnePerUnit, Lang::Zh) => format!("{item} 固定的 {experts} 属同一单位，每个单位只能有 1 位"),
                    (PinRule::OnePerUnit, Lang::En) => {
                        format!("{item}: the pinned {experts} are of one unit; one per unit is allowed")
                    }
                    (PinRule::Outside, Lang::Zh) => {
                        format!("{item} 固定 {experts} 后只剩 {l} 个名额，还需 {n} 位区外专家")
                    }
                    (PinRule::Outside, Lang::En) => format!(
                        "{item}: the pins ({experts}) leave {l} places and {n} experts from outside Xizang are still needed"
                    ),
                    (PinRule::Industry, Lang::Zh) => {
                        format!("{item} 固定 {experts} 后只剩 {l} 个名额，还需 {n} 位产业专家")
                    }
                    (PinRule::Industry, Lang::En) => format!(
                        "{item}: the pins ({experts}) leave {l} places and {n} industry-user experts are still needed"
                    ),
                    (PinRule::Load, Lang::Zh) => format!("专家 {experts} 被固定到 {n} 项，但本轮最多评审 {l} 项"),
                    (PinRule::Load, Lang::En) => {
                        format!("expert {experts} is pinned to {n} items but may review at most {l} in this round")
                    }
                }
            })
            .collect::<Vec<_>>()
            .join(lang.pick("；", "; ")),
        Deficiency::Composition { items } => match lang {
            Lang::Zh => format!("区外专家与产业专家的要求在 {} 上无法同时满足", items.join(" ")),
            Lang::En => format!("the outside-Xizang and industry-user rules cannot both be met on {}", items.join(" ")),
        },
    }
}

/// A run with the names of its items and experts.
pub fn assignment_view(run: &Run, pool: &[Expert]) -> AssignmentView {
    let experts: BTreeMap<&str, &Expert> = pool.iter().map(|e| (e.number.as_str(), e)).collect();
    let mut items: Vec<AssignedItemView> = run
        .items
        .iter()
        .map(|i| AssignedItemView { number: i.number.clone(), title: i.title.clone(), experts: Vec::new() })
        .collect();
    let (status, total, bound, optimal, explanation) = match &run.outcome {
        Outcome::Assigned(a) => {
            for pair in &a.pairs {
                let Some(item) = items.iter_mut().find(|i| i.number == pair.item) else { continue };
                let e = experts.get(pair.expert.as_str());
                item.experts.push(AssignedExpertView {
                    number: pair.expert.clone(),
                    name: e.map(|e| e.profile.name.clone()).unwrap_or_default(),
                    unit: e.map(|e| e.profile.unit.clone()).unwrap_or_default(),
                    region: e.map(|e| code(&e.profile.region)).unwrap_or_default(),
                    industry_user: e.is_some_and(|e| run.params.industry_user.includes(&e.profile)),
                    score: pair.score,
                    pinned: run.params.pinned.iter().any(|p| p.item == pair.item && p.expert == pair.expert),
                });
            }
            ("assigned", Some(clamp(a.total_score)), Some(clamp(a.bound)), a.optimal, None)
        }
        Outcome::Infeasible(d) => {
            ("infeasible", None, None, false, Some(Bilingual::new(describe(d, Lang::Zh), describe(d, Lang::En))))
        }
        Outcome::Undecided { bound, .. } => ("undecided", None, Some(clamp(*bound)), false, None),
    };
    AssignmentView {
        run_id: run.run_id.clone(),
        input_sha256: run.input_sha256.clone(),
        status: status.into(),
        per_item: run.params.rules.per_item,
        experts_in_pool: u32::try_from(run.experts).unwrap_or(u32::MAX),
        excluded_pairs: u32::try_from(run.excluded_pairs).unwrap_or(u32::MAX),
        total_score: total,
        bound,
        optimal,
        items,
        explanation,
    }
}

/// One field of the window's manual-entry form: a column of the import template.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct EntryFieldView {
    /// The template's header, which is also the field's name in `expert_enter`.
    pub header: String,
    pub required: bool,
    /// The template's note on the column (what to type).
    pub note: String,
    /// The values to choose from; empty for free text.
    pub choices: Vec<String>,
}

/// The fields of the manual-entry form, in the template's order.
pub fn entry_fields() -> Vec<EntryFieldView> {
    super::xlsx::COLUMNS
        .iter()
        .map(|c| EntryFieldView {
            header: c.header.to_string(),
            required: c.required,
            note: c.note.trim_start_matches("必填。").to_string(),
            choices: super::xlsx::choices(c.header).iter().map(|s| s.to_string()).collect(),
        })
        .collect()
}

/// A conflict of interest (回避) between an expert and an application, as the window lists it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct ConflictView {
    /// 申报编号.
    pub application: String,
    pub expert: String,
    pub expert_name: String,
    /// `hard`, `declared`, `soft` or `possible`.
    pub severity: String,
    /// The reason's code (`same_unit`, `collaboration` …).
    pub code: String,
    pub detail: Bilingual,
    /// The officer's reason when a soft conflict of this pair is overridden for the call (it may be withdrawn).
    pub override_reason: Option<String>,
}

/// Every conflict of a call, with the experts' names and, for soft ones, the override that allows the pair.
pub fn conflict_views(
    c: &crate::conflict::desk::CallConflicts,
    pool: &[Expert],
    overrides: &BTreeMap<(String, String), String>,
) -> Vec<ConflictView> {
    let names: BTreeMap<&str, &str> = pool.iter().map(|e| (e.number.as_str(), e.profile.name.as_str())).collect();
    c.conflicts
        .iter()
        .map(|x| ConflictView {
            application: x.application.clone(),
            expert: x.expert.clone(),
            expert_name: names.get(x.expert.as_str()).map(|n| n.to_string()).unwrap_or_default(),
            severity: code(&x.severity),
            code: x.code.to_string(),
            detail: Bilingual::new(x.detail_zh.clone(), x.detail_en.clone()),
            override_reason: match x.severity {
                crate::conflict::Severity::Soft => overrides.get(&(x.application.clone(), x.expert.clone())).cloned(),
                _ => None,
            },
        })
        .collect()
}
