//! Assignment in the product: for a call's round, build the solver's [`Problem`] from the office's
//! records and solve it ([`run`]), recording the run (input hash, parameters, outcome) in the workspace
//! and the audit chain.
//!
//! - items: the call's applications accepted at formal check, by 申报编号;
//! - experts: the pool's active and available experts with reviews left this year; each one's load limit
//!   is the round's L (when given) bounded by the yearly cap minus reviews done;
//! - pairs: every (item, expert) without a hard or soft conflict, except the soft ones the officer
//!   overrode with a reason and the pairs the officer removed from the round ([`super::edit`]);
//!   possible conflicts are shown by `conflicts` and do not exclude; the score is the default match
//!   ([`MatchWeights`]);
//! - pins: the pairs the officer pinned for the round, which every assignment keeps (the solver takes
//!   them out of the problem and solves the rest; see "Pinned pairs" in [`super`]). A pin is checked
//!   again here, since profiles and settings may have changed since it was made: a pin that now has a
//!   hard conflict, an uncovered soft one, an item not accepted or an expert out of the pool stops the
//!   run with an error that names it, and nothing is recorded;
//! - rules: k from the round (or `per_item`), one expert per unit (by credit code), at least one 区外
//!   expert, and on rounds with an industry-user share (技术创新) ⌈k × share⌉ industry users, as the call's
//!   definition of an industry user says ([`Options::industry_user`], from the call's settings).
//!
//! The problem is built in a canonical order (items and experts by number), so its hash identifies
//! the input whatever order the database returns rows in; pins and removals change the problem, so a
//! re-solve after a change has its own input hash, and its parameters list the pins, removals and
//! overrides it was made with.

use super::edit::{edits, plan_round, standing, PairRef, Standing};
use super::{solve, Expert as SolverExpert, Item, Outcome, Pair, Pin, Problem, Rules};
use crate::audit::record_sha256;
use crate::call::desk as calls;
use crate::conflict::desk::{call_applications, check_settings, ItemRef};
use crate::conflict::{find_conflicts, Conflict, ConflictSettings, Severity};
use crate::discipline::MatchWeights;
use crate::expert::{desk as experts, ExpertStatus, IndustryUserDefinition, Region};
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{now_rfc3339_utc, AssignmentRunRow, AuditAction, AuditEvent};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the officer chooses for a run; `None` takes the call's value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Options {
    /// k; default the round's number of experts.
    pub per_item: Option<u32>,
    /// L: items per expert in this round; default no limit but the yearly cap.
    pub max_load: Option<u32>,
    pub conflicts: ConflictSettings,
    pub weights: Option<MatchWeights>,
    /// Who counts towards the industry-user share (the call's setting; the default 产业 or 企业).
    pub industry_user: IndustryUserDefinition,
}

/// The parameters a run was made with, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Params {
    pub call: String,
    pub call_revision: u32,
    /// 1-based position of the round in the review plan, and its kind.
    pub round: u32,
    pub round_kind: String,
    pub rules: Rules,
    pub max_load: Option<u32>,
    pub conflicts: ConflictSettings,
    pub weights: MatchWeights,
    /// Who counted as an industry user in this run.
    pub industry_user: IndustryUserDefinition,
    /// Conflict severities excluded from the pairs (hard and soft).
    pub excluded: Vec<Severity>,
    /// Pairs the officer pinned for the round: in every assignment.
    pub pinned: Vec<PairRef>,
    /// Pairs the officer removed from the round.
    pub removed: Vec<PairRef>,
    /// Soft-conflict pairs allowed by the officer's override (those of this run's items and pool).
    pub overridden: Vec<PairRef>,
}

/// A run's record and answer.
#[derive(Debug, Clone, Serialize)]
pub struct Run {
    pub run_id: String,
    /// SHA-256 of the canonical JSON of the solver's input.
    pub input_sha256: String,
    pub params: Params,
    pub items: Vec<ItemRef>,
    pub experts: usize,
    /// Pairs left out for a hard or soft conflict.
    pub excluded_pairs: usize,
    /// Pairs left out because the officer removed them.
    pub removed_pairs: usize,
    pub outcome: Outcome,
}

fn bad(field: &str, zh: String, en: String) -> CoreError {
    CoreError::Validation { field: field.into(), reason: format!("{zh} / {en}") }
}

/// Builds and solves the assignment of a call's round (1-based) and records the run.
pub fn run(ws: &mut Workspace, call: &str, round: u32, options: &Options) -> Result<Run> {
    check_settings(&options.conflicts)?;
    let problems = options.industry_user.problems();
    if let Some((field, zh, en)) = problems.into_iter().next() {
        return Err(bad(field, zh, en));
    }
    let call = calls::get(ws, call)?;
    let r = plan_round(&call, round)?;
    let k = options.per_item.unwrap_or(r.experts);
    if k == 0 {
        return Err(bad("per_item", "每项至少 1 位专家".into(), "at least 1 expert per item".into()));
    }
    let industry_min =
        r.industry_user_min.map_or(0, |s| (u64::from(k) * u64::from(s.num)).div_ceil(u64::from(s.den.max(1))) as u32);
    let rules = Rules { per_item: k, one_per_unit: true, min_outside: 1.min(k), industry_min: industry_min.min(k) };
    let weights = options.weights.unwrap_or_default();

    // A round that takes a shortlist (会议评审 after 通讯评审) assigns only the shortlisted items.
    let shortlisted = crate::review::panel::round_items(ws, &call, round)?;
    let items: Vec<_> = call_applications(ws, &call.id.to_string())?
        .into_iter()
        .filter(|(i, _)| i.decision.as_deref() == Some("accept"))
        .filter(|(i, _)| shortlisted.as_ref().is_none_or(|s| s.contains(&i.number)))
        .collect();
    if items.is_empty() {
        return Err(bad(
            "call",
            format!("指南 {} 还没有通过形式审查的申报书", call.code),
            format!("call {} has no application accepted at formal check yet", call.code),
        ));
    }
    let mut pool: Vec<_> = experts::pool(ws)?
        .into_iter()
        .filter(|e| e.profile.status == ExpertStatus::Active && e.profile.available)
        .filter(|e| e.profile.remaining_this_year() > 0)
        .collect();
    pool.sort_by(|a, b| a.number.cmp(&b.number));
    let keyed: Vec<(String, crate::application::Application)> =
        items.iter().map(|(i, a)| (i.number.clone(), a.clone())).collect();
    let mut conflicts: BTreeMap<(String, String), Vec<Conflict>> = BTreeMap::new();
    let declared = crate::conflict::desk::declared_conflicts(ws, &call.id.to_string())?;
    for c in find_conflicts(call.year, &keyed, &pool, &options.conflicts).into_iter().chain(declared) {
        if c.severity != Severity::Possible {
            conflicts.entry((c.application.clone(), c.expert.clone())).or_default().push(c);
        }
    }
    let edits = edits(ws, &call.id.to_string(), round)?;
    let standing_of = |item: &str, expert: &str| {
        let key = (item.to_string(), expert.to_string());
        conflicts.get(&key).map_or(Standing::Free, |c| standing(c, edits.overrides.get(&key)))
    };

    // Region is a property of the unit for the solver: every expert of one unit takes the region of
    // the unit's first expert (by number), so an officer's per-expert edit cannot make the input invalid.
    let mut unit_region: BTreeMap<String, Region> = BTreeMap::new();
    let solver_experts: Vec<SolverExpert> = pool
        .iter()
        .map(|e| {
            let unit = crate::expert::normalize_document_number(&e.profile.unit_credit_code);
            let region = *unit_region.entry(unit.clone()).or_insert(e.profile.region);
            SolverExpert {
                id: e.number.clone(),
                load_limit: options
                    .max_load
                    .map_or(e.profile.remaining_this_year(), |l| l.min(e.profile.remaining_this_year())),
                unit: (!unit.is_empty()).then_some(unit),
                outside_tibet: region == Region::Outside,
                industry_user: options.industry_user.includes(&e.profile),
            }
        })
        .collect();
    let mut pairs = Vec::new();
    let (mut excluded_pairs, mut removed_pairs) = (0, 0);
    let mut overridden = Vec::new();
    for (ii, (item, app)) in items.iter().enumerate() {
        for (ei, e) in pool.iter().enumerate() {
            if edits.removed.contains(&(item.number.clone(), e.number.clone())) {
                removed_pairs += 1;
                continue;
            }
            match standing_of(&item.number, &e.number) {
                Standing::Hard(_) | Standing::Soft(_) => excluded_pairs += 1,
                s => {
                    if s == Standing::Overridden {
                        overridden.push(PairRef { item: item.number.clone(), expert: e.number.clone() });
                    }
                    pairs.push(Pair {
                        item: ii as u32,
                        expert: ei as u32,
                        score: weights.score(
                            &e.profile.disciplines,
                            &e.profile.keywords,
                            &app.discipline,
                            &app.keywords,
                        ),
                    })
                }
            }
        }
    }
    let mut pinned = Vec::with_capacity(edits.pinned.len());
    for pin in &edits.pinned {
        let ii = items.iter().position(|(i, _)| i.number == pin.item).ok_or_else(|| {
            bad(
                "pinned",
                format!("固定的申报书 {} 不在本轮分配之列（未通过形式审查或已撤回），请先取消固定", pin.item),
                format!(
                    "pinned application {} is not among this round's items (not accepted, or withdrawn); unpin it first",
                    pin.item
                ),
            )
        })?;
        let ei = pool.iter().position(|e| e.number == pin.expert).ok_or_else(|| {
            bad(
                "pinned",
                format!("固定的专家 {} 目前不能评审（停用、不可用或本年度评审次数已满），请先取消固定", pin.expert),
                format!(
                    "pinned expert {} cannot review now (inactive, unavailable or at the yearly cap); unpin them first",
                    pin.expert
                ),
            )
        })?;
        let (item_no, expert_no, name) = (pin.item.clone(), pin.expert.clone(), pool[ei].profile.name.clone());
        match standing_of(&pin.item, &pin.expert) {
            Standing::Hard(c) => {
                return Err(CoreError::HardConflict {
                    item: item_no,
                    expert: expert_no,
                    expert_name: name,
                    conflicts: c,
                })
            }
            Standing::Soft(c) => {
                return Err(CoreError::OverrideNeeded {
                    item: item_no,
                    expert: expert_no,
                    expert_name: name,
                    conflicts: c,
                })
            }
            Standing::Free | Standing::Overridden => pinned.push(Pin { item: ii as u32, expert: ei as u32 }),
        }
    }
    let problem = Problem {
        items: items
            .iter()
            .map(|(i, _)| Item { id: i.number.clone(), industry_share: rules.industry_min > 0 })
            .collect(),
        experts: solver_experts,
        pairs,
        rules,
        pinned,
    };
    let input_sha256 = record_sha256(&problem)
        .map_err(|e| CoreError::Validation { field: "problem".into(), reason: e.to_string() })?;
    let outcome = solve(&problem)?;
    let params = Params {
        call: call.code.clone(),
        call_revision: call.revision,
        round,
        round_kind: r.kind.code().to_string(),
        rules,
        max_load: options.max_load,
        conflicts: options.conflicts,
        weights,
        industry_user: options.industry_user.clone(),
        excluded: vec![Severity::Hard, Severity::Declared, Severity::Soft],
        pinned: edits.pinned.clone(),
        removed: edits
            .removed
            .iter()
            .map(|(item, expert)| PairRef { item: item.clone(), expert: expert.clone() })
            .collect(),
        overridden,
    };
    let run_id = uuid::Uuid::now_v7().to_string();
    let row = AssignmentRunRow {
        run_id: run_id.clone(),
        call_id: call.id.to_string(),
        round,
        input_sha256: input_sha256.clone(),
        params: serde_json::to_string(&params).expect("params serialise"),
        outcome: serde_json::to_string(&outcome).expect("an outcome serialises"),
        created_at: now_rfc3339_utc(),
    };
    let digest = record_sha256(&outcome)
        .map_err(|e| CoreError::Validation { field: "outcome".into(), reason: e.to_string() })?;
    let status = match &outcome {
        Outcome::Assigned(a) if a.optimal => "optimal",
        Outcome::Assigned(_) => "assigned",
        Outcome::Infeasible(_) => "infeasible",
        Outcome::Undecided { .. } => "undecided",
    };
    let event = AuditEvent::new(AuditAction::AssignmentChange, "assignment_run", run_id.clone(), digest).with_detail(
        &serde_json::json!({
            "what": "solve",
            "call": call.code,
            "round": round,
            "input_sha256": input_sha256,
            "params": params,
            "status": status,
        }),
    );
    ws.store.write(event, |w| w.assignment_run_insert(&row))?;
    Ok(Run {
        run_id,
        input_sha256,
        params,
        items: items.into_iter().map(|(i, _)| i).collect(),
        experts: pool.len(),
        excluded_pairs,
        removed_pairs,
        outcome,
    })
}

#[cfg(test)]
mod tests;
