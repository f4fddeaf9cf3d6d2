//! The officer's hand on an assignment: a soft conflict allowed with a reason ([`override_conflict`]), and
//! pairs of a round pinned, unpinned, removed or restored ([`change_pair`]), each recorded in the workspace
//! and in the audit chain (`override` for an override, `assignment_change` for the others, with the pair,
//! the reason and what the change replaced). The next [`super::desk::run`] of the round reads them back
//! ([`Edits`]): removed pairs are left out, pins are handed to the solver, which keeps them in every
//! assignment (see "Pinned pairs" in [`super`]), and overridden pairs are allowed.
//!
//! What may be done to a pair follows from its conflicts ([`Standing`]):
//! - a hard conflict (必须回避) is never overridden nor pinned: refused with [`CoreError::HardConflict`];
//! - a soft one (默认回避) is allowed only by an override with a non-empty reason, which names the soft
//!   reason codes it covers: a soft reason found later (a longer collaboration window, an edited profile)
//!   is not covered, and the pair is excluded again until the officer overrides that too;
//! - pinning a soft pair that no override covers asks for the override first
//!   ([`CoreError::OverrideNeeded`]); removing any pair is always allowed.
//!
//! Overrides hold for the whole call (conflicts are between an expert and an application, whatever the
//! round); pins and removals hold for one round. Runs check pins again, since profiles and settings may
//! have changed since the pin.
//! Not here: SQL (lixiang-store's `assignment_edit`), the solver (`super`).

use crate::audit::record_sha256;
use crate::call::desk as calls;
use crate::call::Call;
use crate::conflict::desk::{call_applications, check_settings, ItemRef};
use crate::conflict::{find_conflicts, Conflict, ConflictSettings, Severity};
use crate::expert::{desk as experts, Expert, ExpertStatus};
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{now_rfc3339_utc, AuditAction, AuditEvent, ConflictOverrideRow, PairEditRow};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// An (application, expert) pair by their numbers (申报编号, ZJ000001).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct PairRef {
    pub item: String,
    pub expert: String,
}

/// How the conflict rules and the officer's overrides leave a pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// No conflict that excludes it (possible ones are only shown).
    Free,
    /// A hard conflict: never assigned, whatever the officer does.
    Hard(Vec<Conflict>),
    /// Soft conflicts, every one covered by the officer's override.
    Overridden,
    /// Soft conflicts that no override covers: excluded.
    Soft(Vec<Conflict>),
}

/// The standing of one pair from its conflicts and the codes its override covers (if any).
pub fn standing(conflicts: &[Conflict], overridden_codes: Option<&BTreeSet<String>>) -> Standing {
    let of = |s: Severity| conflicts.iter().filter(|c| c.severity == s).cloned().collect::<Vec<_>>();
    // A conflict the expert declared binds like a hard one: nobody may overrule the expert.
    let mut hard = of(Severity::Hard);
    hard.extend(of(Severity::Declared));
    if !hard.is_empty() {
        return Standing::Hard(hard);
    }
    let soft = of(Severity::Soft);
    if soft.is_empty() {
        return Standing::Free;
    }
    let uncovered: Vec<Conflict> =
        soft.iter().filter(|c| overridden_codes.is_none_or(|codes| !codes.contains(c.code))).cloned().collect();
    if uncovered.is_empty() {
        Standing::Overridden
    } else {
        Standing::Soft(soft)
    }
}

/// The officer's edits that a run of a call's round takes into account.
#[derive(Debug, Clone, Default)]
pub struct Edits {
    /// Per pair, the soft codes its override covers.
    pub overrides: BTreeMap<(String, String), BTreeSet<String>>,
    /// Pinned pairs, sorted.
    pub pinned: Vec<PairRef>,
    /// Removed pairs.
    pub removed: BTreeSet<(String, String)>,
}

/// The overrides of a call: per (application, expert), the soft codes covered.
pub fn overrides(ws: &mut Workspace, call_id: &str) -> Result<BTreeMap<(String, String), BTreeSet<String>>> {
    let rows = ws.store.read(|r| r.conflict_overrides(call_id))?;
    let mut out = BTreeMap::new();
    for o in rows {
        let codes: BTreeSet<String> = serde_json::from_str(&o.codes).map_err(|e| CoreError::Validation {
            field: format!("conflict_override {}/{}", o.application, o.expert),
            reason: format!("stored codes unreadable: {e}"),
        })?;
        out.insert((o.application, o.expert), codes);
    }
    Ok(out)
}

/// The officer's reason for each override of a call, per (application, expert).
pub fn override_reasons(ws: &mut Workspace, call_id: &str) -> Result<BTreeMap<(String, String), String>> {
    let rows = ws.store.read(|r| r.conflict_overrides(call_id))?;
    Ok(rows.into_iter().map(|o| ((o.application, o.expert), o.reason)).collect())
}

/// Reads the overrides of a call and the pins and removals of one of its rounds.
pub fn edits(ws: &mut Workspace, call_id: &str, round: u32) -> Result<Edits> {
    let mut out = Edits { overrides: overrides(ws, call_id)?, ..Edits::default() };
    let pairs = ws.store.read(|r| r.pair_edits(call_id, round))?;
    for p in pairs {
        match p.kind.as_str() {
            "pin" => out.pinned.push(PairRef { item: p.application, expert: p.expert }),
            _ => {
                out.removed.insert((p.application, p.expert));
            }
        }
    }
    Ok(out)
}

fn bad(field: &str, zh: String, en: String) -> CoreError {
    CoreError::Validation { field: field.into(), reason: format!("{zh} / {en}") }
}

/// The round (1-based) of a call's review plan, or a refusal that says how many there are.
pub(crate) fn plan_round(call: &Call, round: u32) -> Result<&crate::call::review::Round> {
    round.checked_sub(1).and_then(|i| call.review_plan.rounds.get(i as usize)).ok_or_else(|| {
        bad(
            "round",
            format!("指南 {} 没有第 {round} 轮评审（共 {} 轮）", call.code, call.review_plan.rounds.len()),
            format!("call {} has no round {round} (it has {})", call.code, call.review_plan.rounds.len()),
        )
    })
}

/// One pair of a call as the rules see it now.
struct PairFacts {
    call: Call,
    item: ItemRef,
    expert: Expert,
    conflicts: Vec<Conflict>,
    overridden: Option<BTreeSet<String>>,
}

impl PairFacts {
    fn read(
        ws: &mut Workspace,
        call: &str,
        item: &str,
        expert: &str,
        settings: &ConflictSettings,
    ) -> Result<PairFacts> {
        check_settings(settings)?;
        let call = calls::get(ws, call)?;
        let apps = call_applications(ws, &call.id.to_string())?;
        let Some(at) = apps.iter().position(|(i, _)| i.number == item || i.application_id == item) else {
            return Err(CoreError::NotFound {
                what: format!("指南 {} 的申报书 / application of call {}", call.code, call.code),
                key: item.to_string(),
            });
        };
        let expert = experts::get(ws, expert)?;
        let keyed: Vec<(String, crate::application::Application)> =
            apps.iter().map(|(i, a)| (i.number.clone(), a.clone())).collect();
        let item = apps[at].0.clone();
        // All the call's applications: a competing application is a conflict only seen across them.
        let conflicts: Vec<Conflict> = find_conflicts(call.year, &keyed, std::slice::from_ref(&expert), settings)
            .into_iter()
            .chain(crate::conflict::desk::declared_conflicts(ws, &call.id.to_string())?)
            .filter(|c| c.application == item.number && c.expert == expert.number)
            .collect();
        let overridden = overrides(ws, &call.id.to_string())?.remove(&(item.number.clone(), expert.number.clone()));
        Ok(PairFacts { call, item, expert, conflicts, overridden })
    }

    fn standing(&self) -> Standing {
        standing(&self.conflicts, self.overridden.as_ref())
    }

    fn hard(&self, conflicts: Vec<Conflict>) -> CoreError {
        CoreError::HardConflict {
            item: self.item.number.clone(),
            expert: self.expert.number.clone(),
            expert_name: self.expert.profile.name.clone(),
            conflicts,
        }
    }

    fn record_id(&self, round: Option<u32>) -> String {
        match round {
            Some(r) => format!("{}/{r}/{}/{}", self.call.code, self.item.number, self.expert.number),
            None => format!("{}/{}/{}", self.call.code, self.item.number, self.expert.number),
        }
    }
}

/// An override as recorded.
#[derive(Debug, Clone, Serialize)]
pub struct OverrideRecord {
    pub call: String,
    pub item: String,
    pub expert: String,
    pub expert_name: String,
    pub reason: String,
    /// The soft reason codes overridden.
    pub codes: Vec<String>,
}

/// Allows a pair that the conflict rules exclude by default (a soft conflict), for the whole call, with
/// the officer's reason; recorded with an `override` audit event whose detail carries the reason.
///
/// Errors: an empty reason ([`CoreError::Validation`]); a hard conflict ([`CoreError::HardConflict`]);
/// a pair without a soft conflict, which has nothing to override (`Validation`); an unknown call,
/// application or expert (`NotFound`).
pub fn override_conflict(
    ws: &mut Workspace,
    call: &str,
    expert: &str,
    item: &str,
    reason: &str,
    settings: &ConflictSettings,
) -> Result<OverrideRecord> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(bad("reason", "例外允许必须写明理由".into(), "an override needs a reason".into()));
    }
    let facts = PairFacts::read(ws, call, item, expert, settings)?;
    let soft: Vec<&Conflict> = match facts.standing() {
        Standing::Hard(h) => return Err(facts.hard(h)),
        Standing::Free => {
            return Err(bad(
                "item",
                format!("专家 {} 与申报书 {} 没有默认回避的冲突，无需例外允许", facts.expert.number, facts.item.number),
                format!(
                    "expert {} and application {} have no soft conflict; there is nothing to override",
                    facts.expert.number, facts.item.number
                ),
            ))
        }
        Standing::Overridden | Standing::Soft(_) => {
            facts.conflicts.iter().filter(|c| c.severity == Severity::Soft).collect()
        }
    };
    let codes: Vec<String> = soft.iter().map(|c| c.code.to_string()).collect::<BTreeSet<_>>().into_iter().collect();
    let row = ConflictOverrideRow {
        call_id: facts.call.id.to_string(),
        application: facts.item.number.clone(),
        expert: facts.expert.number.clone(),
        reason: reason.to_string(),
        codes: serde_json::to_string(&codes).expect("strings serialise"),
        created_at: now_rfc3339_utc(),
    };
    let digest =
        record_sha256(&row).map_err(|e| CoreError::Validation { field: "override".into(), reason: e.to_string() })?;
    let event = AuditEvent::new(AuditAction::Override, "conflict_override", facts.record_id(None), digest).with_detail(
        &serde_json::json!({
            "what": "override",
            "call": facts.call.code,
            "item": facts.item.number,
            "expert": facts.expert.number,
            "reason": reason,
            "codes": codes,
        }),
    );
    ws.store.write(event, |w| w.conflict_override_put(&row))?;
    Ok(OverrideRecord {
        call: facts.call.code,
        item: facts.item.number,
        expert: facts.expert.number,
        expert_name: facts.expert.profile.name,
        reason: reason.to_string(),
        codes,
    })
}

/// Takes back an override: the pair's soft conflict excludes it again from the next run of every round of the
/// call. Recorded with an `override` audit event (`what`: `withdraw`, the reason, and the override it
/// replaced). A pair pinned in a round keeps that pin only while the override stands, so a pinned pair is
/// refused: the officer unpins it first, which is a decision about the round and has its own record.
///
/// Errors: an empty reason (`Validation`); a pair still pinned (`Validation`, naming the rounds); a pair
/// without an override (`NotFound`); an unknown call, application or expert (`NotFound`).
pub fn withdraw_override(
    ws: &mut Workspace,
    call: &str,
    expert: &str,
    item: &str,
    reason: &str,
    settings: &ConflictSettings,
) -> Result<OverrideRecord> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(bad("reason", "撤销例外允许必须写明理由".into(), "withdrawing an override needs a reason".into()));
    }
    let facts = PairFacts::read(ws, call, item, expert, settings)?;
    let call_id = facts.call.id.to_string();
    let (number, who) = (facts.item.number.clone(), facts.expert.number.clone());
    let pinned = ws.store.read(|r| r.pair_pinned_rounds(&call_id, &number, &who))?;
    if !pinned.is_empty() {
        let rounds = pinned.iter().map(u32::to_string).collect::<Vec<_>>();
        return Err(bad(
            "item",
            format!(
                "专家 {who} 与申报书 {number} 在第 {} 轮被固定：请先取消固定，再撤销例外允许",
                rounds.join("、")
            ),
            format!(
                "expert {who} and application {number} are pinned in round {}: unpin them first, then withdraw the override",
                rounds.join(", ")
            ),
        ));
    }
    let Some(codes) = facts.overridden.clone() else {
        return Err(CoreError::NotFound {
            what: format!("指南 {} 的例外允许 / override of call {}", facts.call.code, facts.call.code),
            key: format!("{number} {who}"),
        });
    };
    let codes: Vec<String> = codes.into_iter().collect();
    let after = serde_json::json!({
        "call_id": call_id, "application": number, "expert": who, "override": null,
    });
    let digest =
        record_sha256(&after).map_err(|e| CoreError::Validation { field: "override".into(), reason: e.to_string() })?;
    let record_id = facts.record_id(None);
    let code = facts.call.code.clone();
    ws.store.write_with_event(|w| {
        let held = w.conflict_override_delete(&call_id, &number, &who)?.ok_or_else(|| CoreError::NotFound {
            what: format!("指南 {code} 的例外允许 / override of call {code}"),
            key: format!("{number} {who}"),
        })?;
        let event = AuditEvent::new(AuditAction::Override, "conflict_override", record_id, digest).with_detail(
            &serde_json::json!({
                "what": "withdraw",
                "call": code,
                "item": number,
                "expert": who,
                "reason": reason,
                "codes": codes,
                "replaces": { "reason": held.reason, "created_at": held.created_at },
            }),
        );
        Ok::<_, CoreError>(((), event))
    })?;
    Ok(OverrideRecord {
        call: facts.call.code,
        item: facts.item.number,
        expert: facts.expert.number,
        expert_name: facts.expert.profile.name,
        reason: reason.to_string(),
        codes,
    })
}

/// What the officer does to a pair of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PairChange {
    /// Put it in every later run of the round.
    Pin,
    /// Take a pin back.
    Unpin,
    /// Keep it out of every later run of the round.
    Remove,
    /// Take a removal back.
    Restore,
}

impl PairChange {
    fn code(self) -> &'static str {
        match self {
            PairChange::Pin => "pin",
            PairChange::Unpin => "unpin",
            PairChange::Remove => "remove",
            PairChange::Restore => "restore",
        }
    }
}

/// A change of a pair as recorded.
#[derive(Debug, Clone, Serialize)]
pub struct PairChangeRecord {
    pub call: String,
    pub round: u32,
    pub item: String,
    pub expert: String,
    pub expert_name: String,
    pub change: PairChange,
    pub reason: String,
    /// The pair's state before (`pin`, `remove`), when it had one.
    pub replaces: Option<String>,
}

/// Pins, unpins, removes or restores a pair of a call's round, recorded with an `assignment_change`
/// audit event (what, which pair, the reason, what it replaced). The next run of the round honours it.
///
/// Errors: a round the call does not have, an application not accepted at formal check (pin and
/// remove), an expert who cannot review now (pin) — `Validation`; a hard conflict (pin:
/// [`CoreError::HardConflict`]); a soft conflict not overridden (pin: [`CoreError::OverrideNeeded`]);
/// unpinning a pair that is not pinned, or restoring one that is not removed (`NotFound`).
#[allow(clippy::too_many_arguments)]
pub fn change_pair(
    ws: &mut Workspace,
    call: &str,
    round: u32,
    expert: &str,
    item: &str,
    change: PairChange,
    reason: &str,
    settings: &ConflictSettings,
) -> Result<PairChangeRecord> {
    let reason = reason.trim();
    let facts = PairFacts::read(ws, call, item, expert, settings)?;
    plan_round(&facts.call, round)?;
    let (number, who) = (facts.item.number.clone(), facts.expert.number.clone());
    if matches!(change, PairChange::Pin | PairChange::Remove) && facts.item.decision.as_deref() != Some("accept") {
        return Err(bad(
            "item",
            format!("申报书 {number} 未通过形式审查，不参与分配"),
            format!("application {number} was not accepted at formal check; it is not assigned"),
        ));
    }
    if change == PairChange::Pin {
        let p = &facts.expert.profile;
        if p.status != ExpertStatus::Active || !p.available || p.remaining_this_year() == 0 {
            return Err(bad(
                "expert",
                format!("专家 {who} 目前不能评审（停用、不可用或本年度评审次数已满），不能固定"),
                format!("expert {who} cannot review now (inactive, unavailable or at the yearly cap); they cannot be pinned"),
            ));
        }
        match facts.standing() {
            Standing::Hard(h) => return Err(facts.hard(h)),
            Standing::Soft(s) => {
                return Err(CoreError::OverrideNeeded {
                    item: number,
                    expert: who,
                    expert_name: p.name.clone(),
                    conflicts: s,
                })
            }
            Standing::Free | Standing::Overridden => {}
        }
    }
    let call_id = facts.call.id.to_string();
    let row = PairEditRow {
        call_id: call_id.clone(),
        round,
        application: number.clone(),
        expert: who.clone(),
        kind: match change {
            PairChange::Pin | PairChange::Unpin => "pin",
            PairChange::Remove | PairChange::Restore => "remove",
        }
        .into(),
        reason: reason.to_string(),
        created_at: now_rfc3339_utc(),
    };
    // The record after the change: the row, or the pair with no state once unpinned or restored.
    let after = match change {
        PairChange::Pin | PairChange::Remove => serde_json::to_value(&row).expect("a row serialises"),
        PairChange::Unpin | PairChange::Restore => serde_json::json!({
            "call_id": call_id, "round": round, "application": number, "expert": who, "kind": null,
        }),
    };
    let digest =
        record_sha256(&after).map_err(|e| CoreError::Validation { field: "pair".into(), reason: e.to_string() })?;
    let record_id = facts.record_id(Some(round));
    let code = facts.call.code.clone();
    let replaces = ws.store.write_with_event(|w| {
        let replaces = match change {
            PairChange::Pin | PairChange::Remove => w.pair_edit_put(&row)?,
            PairChange::Unpin | PairChange::Restore => {
                if !w.pair_edit_delete(&call_id, round, &number, &who, &row.kind)? {
                    let (zh, en) = if change == PairChange::Unpin {
                        ("固定的配对", "pinned pair")
                    } else {
                        ("移除的配对", "removed pair")
                    };
                    return Err(CoreError::NotFound {
                        what: format!("第 {round} 轮{zh} / {en} of round {round}"),
                        key: format!("{number} {who}"),
                    });
                }
                Some(row.kind.clone())
            }
        };
        let event = AuditEvent::new(AuditAction::AssignmentChange, "assignment_pair_edit", record_id, digest)
            .with_detail(&serde_json::json!({
                "what": change.code(),
                "call": code,
                "round": round,
                "item": number,
                "expert": who,
                "reason": reason,
                "replaces": replaces,
            }));
        Ok((replaces, event))
    })?;
    Ok(PairChangeRecord {
        call: facts.call.code,
        round,
        item: facts.item.number,
        expert: facts.expert.number,
        expert_name: facts.expert.profile.name,
        change,
        reason: reason.to_string(),
        replaces,
    })
}
