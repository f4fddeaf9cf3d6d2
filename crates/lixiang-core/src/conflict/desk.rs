//! Conflicts for a call in the office's workspace: the call's received applications (not those refused
//! at formal check) against the whole expert pool.

use super::{declared, find_conflicts, Conflict, ConflictSettings};
use crate::application::Application;
use crate::call::desk as calls;
use crate::expert::{desk as experts, Expert};
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use serde::Serialize;

/// An application of the call as the office knows it.
#[derive(Debug, Clone, Serialize)]
pub struct ItemRef {
    /// 申报编号.
    pub number: String,
    pub application_id: String,
    pub title: String,
    /// The formal-check decision on it, if any (`accept`, `return`).
    pub decision: Option<String>,
}

/// The conflicts of a call, with what they were computed over.
#[derive(Debug, Clone, Serialize)]
pub struct CallConflicts {
    pub call: String,
    pub call_year: i32,
    pub settings: ConflictSettings,
    pub applications: Vec<ItemRef>,
    pub experts: usize,
    pub conflicts: Vec<Conflict>,
}

/// The call's applications (by 申报编号, newest version of each), without those the office did not
/// accept at formal check.
pub fn call_applications(ws: &mut Workspace, call_id: &str) -> Result<Vec<(ItemRef, Application)>> {
    let (rows, rejected, decisions) = ws.store.read(|r| {
        Ok::<_, CoreError>((r.submissions_latest()?, r.formal_rejected_ids()?, r.formal_decisions_latest()?))
    })?;
    let mut out = Vec::new();
    for s in rows.into_iter().filter(|s| s.call_id == call_id && !rejected.contains(&s.application_id)) {
        let app: Application = serde_json::from_slice(&s.bytes).map_err(|e| CoreError::Validation {
            field: format!("application {}", s.number),
            reason: format!("stored version unreadable: {e}"),
        })?;
        let decision = decisions.iter().find(|d| d.application_id == s.application_id).map(|d| d.decision.clone());
        out.push((ItemRef { number: s.number, application_id: s.application_id, title: s.title, decision }, app));
    }
    out.sort_by(|a, b| a.0.number.cmp(&b.0.number));
    Ok(out)
}

/// Every conflict between the pool and the call's applications.
pub fn for_call(ws: &mut Workspace, call: &str, settings: &ConflictSettings) -> Result<CallConflicts> {
    check_settings(settings)?;
    let call = calls::get(ws, call)?;
    let apps = call_applications(ws, &call.id.to_string())?;
    let pool: Vec<Expert> = experts::pool(ws)?;
    let keyed: Vec<(String, Application)> = apps.iter().map(|(r, a)| (r.number.clone(), a.clone())).collect();
    let mut conflicts = find_conflicts(call.year, &keyed, &pool, settings);
    conflicts.extend(declared_conflicts(ws, &call.id.to_string())?);
    conflicts.sort();
    Ok(CallConflicts {
        call: call.code,
        call_year: call.year,
        settings: *settings,
        applications: apps.into_iter().map(|(r, _)| r).collect(),
        experts: pool.len(),
        conflicts,
    })
}

/// The conflicts experts declared in any round of the call (received with their returns), one per
/// (application, expert) pair: the earliest round's.
pub fn declared_conflicts(ws: &mut Workspace, call_id: &str) -> Result<Vec<Conflict>> {
    let rows = ws.store.read(|r| r.review_conflicts_declared_in_call(call_id))?;
    let mut seen = std::collections::BTreeSet::new();
    Ok(rows
        .into_iter()
        .filter(|r| seen.insert((r.number.clone(), r.expert_number.clone())))
        .map(|r| declared(&r.number, &r.expert_number, r.round, &r.reason))
        .collect())
}

/// Refuses a collaboration window outside 3–5 years.
pub fn check_settings(settings: &ConflictSettings) -> Result<()> {
    if !ConflictSettings::YEARS.contains(&settings.collaboration_years) {
        return Err(CoreError::Validation {
            field: "collaboration_years".into(),
            reason: format!(
                "{} 不在 3–5 年之间 / {} is not between 3 and 5 years",
                settings.collaboration_years, settings.collaboration_years
            ),
        });
    }
    Ok(())
}
