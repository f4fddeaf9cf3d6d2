//! 定向委托 (directed commission, domain.md "Modes" 3) after its 可行性论证 round: the consolidation of the
//! experts' verdicts per plan, the panel's consolidated opinion, the office's selection among invited
//! units' passing plans, and the final decisions with the result packages. No ranking: a directed call is
//! never ranked ([`refuse_ranking`] is asked by the ranking and the recommendation list of the other modes).
//!
//! - [`consolidation`]: per plan (an application assigned in the round), per verdict item of the form the
//!   count of 通过 / 修改后通过 / 不通过 over the sealed sheets, each expert's verdicts and written opinion
//!   (for the office only: they carry the expert number), the conflicts declared, the panel opinion, the
//!   selection and the final decisions.
//! - [`record_panel`]: the panel's consolidated opinion on a plan — its verdict, its text, and for 修改后通过
//!   the changes required. Refused while an assigned expert has neither sealed a sheet nor declared a
//!   conflict on the plan, unless the officer goes on without them with a reason (`proceed_reason`), which
//!   is stored with the names of the experts not heard and written into the audit event: a panel meets on
//!   its day and an expert who fell ill must not hold the commission up, yet nobody is left out in silence.
//!   Refused for a plan with no sealed sheet at all (every expert declared a conflict): that needs other
//!   experts. It may be recorded again (each time audited) until a plan is selected or the round is decided.
//! - [`select`]: with 2–3 invited units the office selects exactly one plan among those the panel rated 通过
//!   or 修改后通过, with a reason; refused for a plan rated 不通过 (naming it) and before every plan has its
//!   panel opinion. A designated unit (one unit) is not selected: its plan is approved when its panel
//!   verdict passes. The selection may be made again until the round is decided.
//! - [`finalize`]: every plan decided at once — approved with its requested fiscal funding (or an adjusted
//!   amount, never more than requested nor than the call's total funding), or not approved with the
//!   reason (不通过 with the panel's opinion; not selected with the office's reason) — recorded in the
//!   decision table of the other modes and sent as their funding result packages
//!   ([`super::decision::record_and_send`]), whose payload carries a [`FeasibilityResult`] besides the
//!   anonymised expert opinions.
//!
//! No 公示 in this mode. domain.md names a 公示 for 公开竞争 and 揭榜挂帅 and none for 定向委托, and the plan
//! (六(二)) names 定向委托 as a way of selection without prescribing a notice: there is no ranked list for
//! the public to object to, the unit was designated by the office, and what stands in for the notice is
//! the signed expert opinions and the office's recorded reasons, all in the audit chain. A 公示 can be
//! added later as an option by reusing the decision module's, without changing what is stored here.
//!
//! Every write is one transaction with one audit event (action `decision`; targets `panel_opinion`,
//! `selection`, `final_decision`); times are parameters.

use super::decision::{self, comments_of, FinalDecided, FundingResultPayload, Planned};
use super::sheet::{verdict_code, Marks, SealedSheet};
use crate::audit::record_sha256;
use crate::calendar::Moment;
use crate::call::desk as calls;
use crate::call::review::{Form, Verdict, VerdictForm, VerdictScale};
use crate::call::{Call, Mode};
use crate::package::SecretKeys;
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{sha256_hex, AuditAction, AuditEvent, FinalRow, PanelRow, SelectionRow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The `method` a directed result names (no ranking method applies).
pub const METHOD: &str = "directed_commission";

fn refused(code: &'static str, zh: String, en: String) -> CoreError {
    CoreError::DecisionRefused { code, zh, en }
}

fn invalid(field: &str, zh: String, en: String) -> CoreError {
    CoreError::Validation { field: field.into(), reason: format!("{zh} / {en}") }
}

fn event(target: &'static str, id: String, record: &impl Serialize, detail: serde_json::Value) -> AuditEvent {
    AuditEvent::new(AuditAction::Decision, target, id, record_sha256(record).expect("a decision record serialises"))
        .with_detail(&detail)
}

/// Refused for a 定向委托 call: it has no ranking, no funding line and no recommendation list. Asked by the
/// ranking of a round and by the recommendation list, so that neither is offered for such a call.
pub fn refuse_ranking(call: &Call) -> Result<()> {
    if matches!(call.mode, Mode::DirectedCommission { .. }) {
        return Err(refused(
            "directed.no_ranking",
            format!(
                "指南 {} 为定向委托：不排名，也没有资金线和推荐名单；请看可行性论证的汇总并记录专家组意见（lixiang directed show --call {}）",
                call.code, call.code
            ),
            format!(
                "call {} is a directed commission: it is not ranked and has no funding line or recommendation list; see the feasibility consolidation and record the panel opinions (lixiang directed show --call {})",
                call.code, call.code
            ),
        ));
    }
    Ok(())
}

/// The units of a 定向委托 call; refused for a call in another mode.
fn units(call: &Call) -> Result<&[crate::call::Unit]> {
    match &call.mode {
        Mode::DirectedCommission { units } => Ok(units),
        other => Err(refused(
            "directed.not_directed",
            format!("指南 {} 的遴选方式为{}，不是定向委托", call.code, other.name().zh),
            format!("call {} is a {}, not a directed commission", call.code, other.name().en),
        )),
    }
}

/// The round of a directed call whose form is the 可行性论证 verdict form: `round` when given (refused when
/// it is another form), else the first such round.
pub fn feasibility_round(call: &Call, round: Option<u32>) -> Result<u32> {
    let is_feasibility =
        |r: &crate::call::review::Round| matches!(&r.form, Form::Verdicts(v) if v.scale == VerdictScale::Feasibility);
    match round {
        Some(n) => {
            let r = super::issue::round_of(call, n)?;
            if is_feasibility(r) {
                Ok(n)
            } else {
                Err(invalid(
                    "round",
                    format!("指南 {} 第 {n} 轮是{}，不是可行性论证", call.code, r.kind.name().zh),
                    format!("round {n} of call {} is a {}, not a feasibility review", call.code, r.kind.name().en),
                ))
            }
        }
        None => call.review_plan.rounds.iter().position(is_feasibility).map(|i| i as u32 + 1).ok_or_else(|| {
            invalid(
                "round",
                format!("指南 {} 的评审方案没有可行性论证轮次", call.code),
                format!("the review plan of call {} has no feasibility round", call.code),
            )
        }),
    }
}

/// The verdicts of one item of the form over a plan's sealed sheets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct VerdictCount {
    pub item: String,
    pub name_zh: String,
    pub name_en: String,
    pub pass: u32,
    pub pass_after_revision: u32,
    pub fail: u32,
}

/// Counts, per item of the form in the form's order, the verdicts of `sheets` (sheets of another kind are
/// not counted).
pub fn count_verdicts(form: &VerdictForm, sheets: &[SealedSheet]) -> Vec<VerdictCount> {
    form.items
        .iter()
        .map(|item| {
            let mut c = VerdictCount {
                item: item.id.clone(),
                name_zh: item.name.zh.clone(),
                name_en: item.name.en.clone(),
                pass: 0,
                pass_after_revision: 0,
                fail: 0,
            };
            for s in sheets {
                let Marks::Verdicts { verdicts, .. } = &s.marks else { continue };
                match verdicts.iter().find(|v| v.item == item.id).map(|v| v.verdict) {
                    Some(Verdict::Pass) => c.pass += 1,
                    Some(Verdict::PassAfterRevision) => c.pass_after_revision += 1,
                    Some(Verdict::Fail) => c.fail += 1,
                    _ => {}
                }
            }
            c
        })
        .collect()
}

/// One item's verdict on an expert's sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ItemVerdictLine {
    pub item: String,
    /// `pass`, `pass_after_revision` or `fail`.
    pub verdict: String,
}

/// An expert's sealed sheet on a plan, as the office reads it (never sent to the applicant in this form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ExpertOpinion {
    pub expert_number: String,
    pub verdicts: Vec<ItemVerdictLine>,
    pub opinion: String,
    pub receipt_sha256: String,
    pub sealed_at: String,
}

/// A conflict an expert declared on a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct DeclaredLine {
    pub expert_number: String,
    pub reason: String,
}

/// A plan's final decision, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct DecidedLine {
    pub funded: bool,
    pub amount_wan: String,
    pub reason: String,
    pub decided_at: String,
}

/// One plan (an application of the round) and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PlanView {
    /// 申报编号.
    pub number: String,
    pub title: String,
    /// The applicant unit.
    pub unit: String,
    #[specta(type = f64)]
    pub requested_fen: i64,
    pub requested_wan: String,
    /// Experts assigned, sheets sealed and received, conflicts declared, still awaited.
    pub assigned: u32,
    pub sheets: u32,
    pub conflicts: u32,
    pub outstanding: u32,
    /// The experts still awaited on this plan.
    pub awaited: Vec<String>,
    pub counts: Vec<VerdictCount>,
    pub opinions: Vec<ExpertOpinion>,
    pub declared: Vec<DeclaredLine>,
    /// SHA-256 over the receipts of the sealed sheets, in expert order: what a panel opinion names.
    pub sheets_sha256: String,
    pub panel: Option<PanelRow>,
    pub selected: bool,
    pub decided: Option<DecidedLine>,
}

impl PlanView {
    /// Whether every assigned expert has sealed a sheet or declared a conflict, with one sheet at least.
    pub fn complete(&self) -> bool {
        self.outstanding == 0 && self.sheets > 0
    }

    fn passes(&self) -> Option<bool> {
        self.panel.as_ref().map(|p| p.verdict != "fail")
    }
}

/// The 可行性论证 round of a directed call as the office sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Consolidation {
    pub call: String,
    pub call_id: String,
    pub round: u32,
    /// The designated unit (one) or the invited units (2–3).
    pub units: Vec<String>,
    /// One designated unit: no selection; several invited units: one plan is selected.
    pub designated: bool,
    pub funding_total_wan: String,
    #[specta(type = f64)]
    pub funding_total_fen: i64,
    pub plans: Vec<PlanView>,
    pub selection: Option<SelectionRow>,
    /// The final decisions are recorded (nothing changes any more).
    pub decided: bool,
}

impl Consolidation {
    fn plan(&self, number: &str) -> Result<&PlanView> {
        self.plans.iter().find(|p| p.number == number.trim()).ok_or_else(|| CoreError::NotFound {
            what: "plan of the feasibility round / 可行性论证轮次中的实施方案".into(),
            key: number.trim().to_string(),
        })
    }

    fn refuse_if_decided(&self) -> Result<()> {
        if self.decided {
            return Err(refused(
                "directed.decided",
                format!("指南 {} 第 {} 轮已作出立项决定，不能再修改", self.call, self.round),
                format!("call {} round {} is decided already: nothing can change", self.call, self.round),
            ));
        }
        Ok(())
    }

    fn refuse_without_panels(&self) -> Result<()> {
        let missing: Vec<&str> = self.plans.iter().filter(|p| p.panel.is_none()).map(|p| p.number.as_str()).collect();
        if !missing.is_empty() {
            return Err(refused(
                "directed.panel_missing",
                format!("以下实施方案尚无专家组综合意见：{}；请先用 directed panel 记录", missing.join("、")),
                format!(
                    "these plans have no consolidated panel opinion yet: {}; record it with directed panel first",
                    missing.join(", ")
                ),
            ));
        }
        Ok(())
    }
}

/// A panel opinion as the officer gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelInput {
    /// 申报编号 of the plan.
    pub number: String,
    pub verdict: Verdict,
    pub opinion: String,
    /// The changes required: given exactly with 修改后通过.
    pub changes: Option<String>,
    /// Why the officer goes on while experts are still awaited on the plan (refused without it).
    pub proceed_reason: Option<String>,
}

/// A panel opinion checked: the texts trimmed, and the experts not heard with the reason for going on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelChecked {
    pub opinion: String,
    pub changes: Option<String>,
    pub awaited: Vec<String>,
    pub proceed_reason: Option<String>,
}

/// Parses a feasibility verdict: its code (`pass`, `pass_after_revision`, `fail`) or its Chinese name.
pub fn parse_verdict(text: &str) -> Option<Verdict> {
    VerdictScale::Feasibility
        .verdicts()
        .iter()
        .copied()
        .find(|v| verdict_code(*v) == text.trim() || v.name().zh == text.trim())
}

/// Checks a panel opinion against a plan of the consolidation (pure): the round not decided, no plan
/// selected yet, the plan complete (or a reason to go on without the experts awaited), at least one sheet,
/// the verdict on the feasibility scale, an opinion written, and the changes given with 修改后通过 and
/// only then.
pub fn check_panel(c: &Consolidation, input: &PanelInput) -> Result<PanelChecked> {
    c.refuse_if_decided()?;
    if let Some(s) = &c.selection {
        return Err(refused(
            "directed.selected",
            format!("已选定实施方案 {}，专家组意见不能再修改", s.number),
            format!("plan {} is selected already: the panel opinions cannot change", s.number),
        ));
    }
    let plan = c.plan(&input.number)?;
    let proceed_reason = input.proceed_reason.as_deref().map(str::trim).filter(|t| !t.is_empty());
    if plan.outstanding > 0 && proceed_reason.is_none() {
        return Err(refused(
            "directed.review_incomplete",
            format!(
                "实施方案 {} 尚有 {} 位专家未交回论证意见或回避声明（{}）：全部交回后才能形成专家组综合意见；确需在缺少其意见时形成，请写明理由（--proceed-reason）",
                plan.number,
                plan.outstanding,
                plan.awaited.join("、")
            ),
            format!(
                "plan {}: {} expert(s) have neither returned a sealed sheet nor declared a conflict ({}); the panel opinion waits for all of them, or give the reason to go on without them (--proceed-reason)",
                plan.number,
                plan.outstanding,
                plan.awaited.join(", ")
            ),
        ));
    }
    if plan.sheets == 0 {
        return Err(refused(
            "directed.no_sheets",
            format!("实施方案 {} 没有收到任何封存的论证意见（专家均已回避）：请另行分配专家", plan.number),
            format!(
                "plan {} has no sealed sheet (every assigned expert declared a conflict): assign other experts",
                plan.number
            ),
        ));
    }
    if !VerdictScale::Feasibility.verdicts().contains(&input.verdict) {
        return Err(invalid(
            "verdict",
            "专家组意见只能是 通过 / 修改后通过 / 不通过".into(),
            "the panel verdict is pass, pass after revision or fail".into(),
        ));
    }
    let opinion = input.opinion.trim();
    if opinion.is_empty() {
        return Err(invalid("opinion", "请写明专家组综合意见".into(), "write the panel's consolidated opinion".into()));
    }
    let changes = input.changes.as_deref().map(str::trim).filter(|t| !t.is_empty());
    match (input.verdict, changes) {
        (Verdict::PassAfterRevision, None) => Err(invalid(
            "changes",
            "“修改后通过”须写明需要修改的内容".into(),
            "“pass after revision” needs the changes required".into(),
        )),
        (Verdict::Pass | Verdict::Fail, Some(_)) => Err(invalid(
            "changes",
            "只有“修改后通过”才写需要修改的内容".into(),
            "only “pass after revision” takes required changes".into(),
        )),
        _ => Ok(PanelChecked {
            opinion: opinion.to_string(),
            changes: changes.map(str::to_string),
            awaited: plan.awaited.clone(),
            proceed_reason: (!plan.awaited.is_empty()).then(|| proceed_reason.unwrap_or_default().to_string()),
        }),
    }
}

/// Checks a selection (pure): invited units (not a designated one), the round not decided, every plan with
/// its panel opinion, the plan rated 通过 or 修改后通过, and a reason. Returns the reason trimmed.
pub fn check_selection(c: &Consolidation, number: &str, reason: &str) -> Result<String> {
    c.refuse_if_decided()?;
    if c.designated {
        return Err(refused(
            "directed.designated",
            format!("指南 {} 为定向委托给一家单位：不需选定，专家组意见通过即可立项", c.call),
            format!(
                "call {} is commissioned to one designated unit: nothing to select; its plan is approved when the panel passes it",
                c.call
            ),
        ));
    }
    let plan = c.plan(number)?;
    c.refuse_without_panels()?;
    if plan.passes() == Some(false) {
        return Err(refused(
            "directed.plan_failed",
            format!("实施方案 {} 的专家组意见为“不通过”，不能被选定；只能在通过或修改后通过的方案中选定", plan.number),
            format!(
                "plan {} was rated “fail” by the panel and cannot be selected; select among the plans rated pass or pass after revision",
                plan.number
            ),
        ));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(invalid("reason", "选定实施方案须写明理由".into(), "selecting a plan needs a reason".into()));
    }
    Ok(reason.to_string())
}

/// How one plan is decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub number: String,
    pub funded: bool,
    pub amount_fen: i64,
    pub reason_zh: String,
    pub reason_en: String,
}

/// The officer's adjustments at the final decision: 申报编号 → the funded amount in fen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FinalInput {
    pub amounts: BTreeMap<String, i64>,
}

fn verdict_zh(code: &str) -> &'static str {
    match code {
        "pass" => "通过",
        "pass_after_revision" => "修改后通过",
        _ => "不通过",
    }
}

/// Decides every plan (pure): refused when the round is decided, a plan has no panel opinion, invited
/// units have no selection, or an amount is not for an approved plan, not above zero, above the request or
/// above the call's total funding.
pub fn decide(c: &Consolidation, input: &FinalInput) -> Result<Vec<Outcome>> {
    c.refuse_if_decided()?;
    c.refuse_without_panels()?;
    if !c.designated && c.selection.is_none() {
        return Err(refused(
            "directed.no_selection",
            format!(
                "指南 {} 有 {} 家受邀单位：请先在通过的实施方案中选定一个（directed select）",
                c.call,
                c.units.len()
            ),
            format!(
                "call {} has {} invited units: select one of the passing plans first (directed select)",
                c.call,
                c.units.len()
            ),
        ));
    }
    let mut out = Vec::new();
    for p in &c.plans {
        let panel = p.panel.as_ref().expect("checked above");
        let changes = panel.changes.clone().unwrap_or_default();
        let (funded, zh, en) = match (&c.selection, panel.verdict.as_str()) {
            (_, "fail") => (
                false,
                format!("可行性论证不通过：{}", panel.opinion),
                format!("the feasibility review did not pass the plan: {}", panel.opinion),
            ),
            (Some(s), _) if s.number != p.number => (
                false,
                format!("未被选定：另一受邀单位的实施方案被选定，理由：{}", s.reason),
                format!("not selected: another invited unit's plan was selected, because: {}", s.reason),
            ),
            (selection, verdict) => {
                let why_zh = selection
                    .as_ref()
                    .map(|s| format!("；在受邀单位的实施方案中被选定：{}", s.reason))
                    .unwrap_or_default();
                let why_en = selection
                    .as_ref()
                    .map(|s| format!("; selected among the invited units' plans: {}", s.reason))
                    .unwrap_or_default();
                if verdict == "pass_after_revision" {
                    (
                        true,
                        format!("可行性论证修改后通过{why_zh}；须按专家组意见修改实施方案：{changes}"),
                        format!("the feasibility review passed the plan after revision{why_en}; revise it as the panel requires: {changes}"),
                    )
                } else {
                    (true, format!("可行性论证通过{why_zh}"), format!("the feasibility review passed the plan{why_en}"))
                }
            }
        };
        let amount_fen = if funded { input.amounts.get(&p.number).copied().unwrap_or(p.requested_fen) } else { 0 };
        out.push(Outcome { number: p.number.clone(), funded, amount_fen, reason_zh: zh, reason_en: en });
    }
    for (number, amount) in &input.amounts {
        let Some(o) = out.iter().find(|o| &o.number == number && o.funded) else {
            return Err(invalid(
                "amount",
                format!("{number} 不予立项，不能给出资助额度"),
                format!("{number} is not approved: it has no funded amount"),
            ));
        };
        let requested = c.plan(number)?.requested_fen;
        if *amount <= 0 || *amount > requested {
            return Err(invalid(
                "amount",
                format!("{} 的资助额度须大于零且不超过申请的财政经费", o.number),
                format!("the amount for {} must be above zero and at most the fiscal funding requested", o.number),
            ));
        }
    }
    let total: i64 = out.iter().map(|o| o.amount_fen).sum();
    if total > c.funding_total_fen {
        return Err(invalid(
            "amount",
            format!(
                "立项资助共 {} 万元，超过指南资助总额 {} 万元：请用 --amount 给出调整后的额度",
                crate::money::format_wan(total),
                c.funding_total_wan
            ),
            format!(
                "the approved funding of {} 万元 exceeds the call's total of {} 万元: give an adjusted --amount",
                crate::money::format_wan(total),
                c.funding_total_wan
            ),
        ));
    }
    Ok(out)
}

/// What a directed result tells the applicant beside the decision: the panel's opinion, the verdict
/// counts per item of the form (no expert named) and, with invited units, whether this plan was selected
/// and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct FeasibilityResult {
    /// `pass`, `pass_after_revision` or `fail`.
    pub panel_verdict: String,
    pub panel_opinion: String,
    pub required_changes: Option<String>,
    pub counts: Vec<VerdictCount>,
    /// How many units were designated (1) or invited (2–3), and how many plans were reviewed.
    pub units: u32,
    pub plans: u32,
    /// Invited units: whether this plan was selected, and the office's reason.
    pub selected: Option<bool>,
    pub selection_reason: Option<String>,
}

fn wan(fen: i64) -> String {
    crate::money::format_wan(fen)
}

/// The 可行性论证 round of a directed call (`round`, or the first feasibility round): every plan with its
/// verdict counts, its experts' opinions, the panel opinion, the selection and the final decisions.
pub fn consolidation(ws: &mut Workspace, call: &str, round: Option<u32>) -> Result<Consolidation> {
    let c = calls::get(ws, call)?;
    let units = units(&c)?.to_vec();
    let round = feasibility_round(&c, round)?;
    let Form::Verdicts(form) = super::issue::packet_form(&c, super::issue::round_of(&c, round)?) else {
        unreachable!("feasibility_round checked the form")
    };
    let call_id = c.id.to_string();
    let assignment = super::issue::current_assignment(ws, &c, round)?;
    let (received, declared, panels, selection, finals) = ws.store.read(|r| {
        Ok::<_, CoreError>((
            r.review_sheets_counted(&call_id, round)?,
            r.review_conflicts_declared(&call_id, round)?,
            r.directed_panels(&call_id, round)?,
            r.directed_selection(&call_id, round)?,
            r.finals(&call_id, round)?,
        ))
    })?;
    let apps: BTreeMap<String, (String, String, i64)> = crate::conflict::desk::call_applications(ws, &call_id)?
        .into_iter()
        .map(|(i, a)| {
            let fen = i64::try_from(a.budget.requested.fiscal.get()).unwrap_or(i64::MAX);
            (i.number, (i.title, a.applicant.name, fen))
        })
        .collect();
    // Plan → its assigned experts, in expert order.
    let mut assigned: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (expert, numbers) in &assignment {
        for n in numbers {
            assigned.entry(n.clone()).or_default().push(expert.clone());
        }
    }
    let mut plans = Vec::new();
    for (number, experts) in &assigned {
        let mut sheets = Vec::new();
        let mut opinions = Vec::new();
        let mut receipts = Vec::new();
        for row in received.iter().filter(|s| &s.number == number) {
            let sheet: SealedSheet = serde_json::from_str(&row.body).map_err(|e| CoreError::Validation {
                field: format!("sheet {number} {}", row.expert_number),
                reason: format!("stored sheet unreadable: {e}"),
            })?;
            if let Marks::Verdicts { verdicts, opinion } = &sheet.marks {
                opinions.push(ExpertOpinion {
                    expert_number: row.expert_number.clone(),
                    verdicts: verdicts
                        .iter()
                        .map(|v| ItemVerdictLine { item: v.item.clone(), verdict: verdict_code(v.verdict).into() })
                        .collect(),
                    opinion: opinion.clone(),
                    receipt_sha256: row.receipt_sha256.clone(),
                    sealed_at: row.sealed_at.clone(),
                });
            }
            receipts.push((row.expert_number.clone(), row.receipt_sha256.clone()));
            sheets.push(sheet);
        }
        receipts.sort();
        opinions.sort_by(|a, b| a.expert_number.cmp(&b.expert_number));
        let declared_here: Vec<DeclaredLine> = declared
            .iter()
            .filter(|d| &d.number == number)
            .map(|d| DeclaredLine { expert_number: d.expert_number.clone(), reason: d.reason.clone() })
            .collect();
        let answered = |e: &String| {
            received.iter().any(|s| &s.number == number && &s.expert_number == e)
                || declared_here.iter().any(|d| &d.expert_number == e)
        };
        let awaited: Vec<String> = experts.iter().filter(|e| !answered(e)).cloned().collect();
        let (title, unit, requested_fen) = apps.get(number).cloned().unwrap_or_default();
        let decided = finals.iter().find(|f| &f.number == number).map(|f| DecidedLine {
            funded: f.funded,
            amount_wan: wan(f.amount_fen),
            reason: f.reason.clone(),
            decided_at: f.decided_at.clone(),
        });
        plans.push(PlanView {
            number: number.clone(),
            title,
            unit,
            requested_fen,
            requested_wan: wan(requested_fen),
            assigned: experts.len() as u32,
            sheets: sheets.len() as u32,
            conflicts: experts.iter().filter(|e| declared_here.iter().any(|d| &&d.expert_number == e)).count() as u32,
            outstanding: awaited.len() as u32,
            awaited,
            counts: count_verdicts(&form, &sheets),
            opinions,
            declared: declared_here,
            sheets_sha256: sha256_hex(
                receipts.iter().map(|(e, r)| format!("{e} {r}")).collect::<Vec<_>>().join("\n").as_bytes(),
            ),
            panel: panels.iter().find(|p| &p.number == number).cloned(),
            selected: selection.as_ref().is_some_and(|s| &s.number == number),
            decided,
        });
    }
    let funding_total_fen = i64::try_from(c.funding_total.get()).unwrap_or(i64::MAX);
    Ok(Consolidation {
        call: c.code.clone(),
        call_id,
        round,
        designated: units.len() <= 1,
        units: units.iter().map(|u| u.name.clone()).collect(),
        funding_total_wan: wan(funding_total_fen),
        funding_total_fen,
        plans,
        selection,
        decided: !finals.is_empty(),
    })
}

/// Records (or records again) the panel's consolidated opinion on a plan (audited `decision`, target
/// `panel_opinion`). Refused as [`check_panel`] says.
pub fn record_panel(
    ws: &mut Workspace,
    call: &str,
    round: Option<u32>,
    input: &PanelInput,
    at: Moment,
) -> Result<Consolidation> {
    let c = consolidation(ws, call, round)?;
    let checked = check_panel(&c, input)?;
    let plan = c.plan(&input.number)?;
    let row = PanelRow {
        call_id: c.call_id.clone(),
        round: c.round,
        number: plan.number.clone(),
        verdict: verdict_code(input.verdict).into(),
        opinion: checked.opinion,
        changes: checked.changes,
        sheets: plan.sheets,
        sheets_sha256: plan.sheets_sha256.clone(),
        awaited: serde_json::to_string(&checked.awaited).expect("names serialise"),
        proceed_reason: checked.proceed_reason,
        recorded_at: at.to_string(),
    };
    let ev = event(
        "panel_opinion",
        format!("{}#{}#{}", c.call_id, c.round, row.number),
        &row,
        serde_json::json!({
            "call": c.call, "round": c.round, "number": row.number, "verdict": row.verdict,
            "replaces": plan.panel.as_ref().map(|p| &p.verdict), "sheets": row.sheets, "sheets_sha256": row.sheets_sha256,
            "awaited": checked.awaited, "proceed_reason": row.proceed_reason,
        }),
    );
    ws.store.write(ev, |w| w.directed_panel_put(&row))?;
    consolidation(ws, call, Some(c.round))
}

/// Selects (or selects again) the plan of invited units (audited `decision`, target `selection`). Refused
/// as [`check_selection`] says.
pub fn select(
    ws: &mut Workspace,
    call: &str,
    round: Option<u32>,
    number: &str,
    reason: &str,
    at: Moment,
) -> Result<Consolidation> {
    let c = consolidation(ws, call, round)?;
    let reason = check_selection(&c, number, reason)?;
    let row = SelectionRow {
        call_id: c.call_id.clone(),
        round: c.round,
        number: c.plan(number)?.number.clone(),
        reason,
        selected_at: at.to_string(),
    };
    let ev = event(
        "selection",
        format!("{}#{}", c.call_id, c.round),
        &row,
        serde_json::json!({
            "call": c.call, "round": c.round, "number": row.number, "reason": row.reason,
            "replaces": c.selection.as_ref().map(|s| &s.number),
            "passing": c.plans.iter().filter(|p| p.passes() == Some(true)).map(|p| &p.number).collect::<Vec<_>>(),
        }),
    );
    ws.store.write(ev, |w| w.directed_selection_put(&row))?;
    consolidation(ws, call, Some(c.round))
}

/// Whether the round may be decided with `input` into `out_dir`: every refusal of [`finalize`], checked
/// without a key (the command line asks for the passphrase only when this passes).
pub fn check_final(
    ws: &mut Workspace,
    call: &str,
    round: Option<u32>,
    input: &FinalInput,
    out_dir: &Path,
) -> Result<(Consolidation, Vec<Outcome>)> {
    let c = consolidation(ws, call, round)?;
    let outcomes = decide(&c, input)?;
    if !out_dir.is_dir() {
        return Err(CoreError::Validation {
            field: out_dir.display().to_string(),
            reason: format!("目录 {0} 不存在 / the folder {0} does not exist", out_dir.display()),
        });
    }
    Ok((c, outcomes))
}

/// Records the final decision on every plan at `at` and writes one funding result package per applicant
/// into `out_dir` (audited `decision`, target `final_decision`, one event for the round).
pub fn finalize(
    ws: &mut Workspace,
    keys: &SecretKeys,
    call: &str,
    round: Option<u32>,
    input: &FinalInput,
    at: Moment,
    out_dir: &Path,
) -> Result<Vec<FinalDecided>> {
    let (c, outcomes) = check_final(ws, call, round, input, out_dir)?;
    let (submissions, sheets) = ws
        .store
        .read(|r| Ok::<_, CoreError>((r.submissions_latest()?, r.review_sheets_counted(&c.call_id, c.round)?)))?;
    let decided_at = at.to_string();
    let mut planned = Vec::new();
    for (o, plan) in outcomes.iter().zip(&c.plans) {
        let sub = submissions.iter().find(|s| s.number == o.number && s.call_id == c.call_id).ok_or_else(|| {
            CoreError::NotFound { what: "received application / 收到的申报书".into(), key: o.number.clone() }
        })?;
        let panel = plan.panel.clone().expect("decide checked every panel");
        let package_id = uuid::Uuid::now_v7().to_string();
        let row = FinalRow {
            call_id: c.call_id.clone(),
            round: c.round,
            number: o.number.clone(),
            application_id: sub.application_id.clone(),
            version: sub.version,
            funded: o.funded,
            amount_fen: o.amount_fen,
            reason: o.reason_zh.clone(),
            rank: None,
            decided_at: decided_at.clone(),
            package_id: package_id.clone(),
        };
        let payload = FundingResultPayload {
            format: decision::FORMAT,
            stage: decision::STAGE.into(),
            application_id: sub.application_id.clone(),
            call_id: c.call_id.clone(),
            call_code: c.call.clone(),
            round: c.round,
            version: sub.version,
            sha256: sub.sha256.clone(),
            number: o.number.clone(),
            funded: o.funded,
            amount_fen: o.amount_fen,
            requested_fen: plan.requested_fen,
            reason_zh: o.reason_zh.clone(),
            reason_en: o.reason_en.clone(),
            method: METHOD.into(),
            rank: None,
            ranked: 0,
            score: None,
            comments: comments_of(&sheets, &o.number),
            decided_at: decided_at.clone(),
            feasibility: Some(FeasibilityResult {
                panel_verdict: panel.verdict.clone(),
                panel_opinion: panel.opinion.clone(),
                required_changes: panel.changes.clone(),
                counts: plan.counts.clone(),
                units: c.units.len() as u32,
                plans: c.plans.len() as u32,
                selected: (!c.designated).then_some(plan.selected),
                selection_reason: c.selection.as_ref().map(|s| s.reason.clone()),
            }),
        };
        planned.push(Planned { row, sub: sub.clone(), payload });
    }
    let detail = serde_json::json!({
        "call": c.call, "round": c.round, "mode": METHOD,
        "selected": c.selection.as_ref().map(|s| &s.number),
        "approved": outcomes.iter().filter(|o| o.funded).map(|o| serde_json::json!({"number": o.number, "amount_fen": o.amount_fen})).collect::<Vec<_>>(),
        "not_approved": outcomes.iter().filter(|o| !o.funded).map(|o| &o.number).collect::<Vec<_>>(),
        "panels": c.plans.iter().map(|p| serde_json::json!({"number": p.number, "verdict": p.panel.as_ref().map(|x| &x.verdict)})).collect::<Vec<_>>(),
    });
    decision::record_and_send(ws, keys, &c.call_id, c.round, planned, detail, out_dir)
}

/// The name of a panel verdict code, in Chinese and English.
pub fn verdict_name(code: &str) -> crate::lang::Bilingual {
    crate::lang::Bilingual::new(
        verdict_zh(code),
        match code {
            "pass" => "pass",
            "pass_after_revision" => "pass after revision",
            _ => "fail",
        },
    )
}

#[cfg(test)]
mod tests;
