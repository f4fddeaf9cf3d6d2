//! The 挂帅 selection of a 揭榜挂帅 call as the office's window shows it and overrides it: the team(s)
//! the core-indicator gate and the ranking pick by themselves, every ranked team with whether it may be
//! picked (a team below a core indicator never may, and says why), and the recorded selection with the
//! officer's reason when the officer named another team.
//!
//! Owns that view and the override command only. The rules of the selection itself — the gate,
//! [`challenge::pick`], the round's recommendation list, the audit event carrying the reason, the
//! freeze once the 公示 starts — stay in [`challenge`]; an override goes through [`challenge::select`]
//! so the CLI (`decide select --choose N --reason R`) and the window record the very same thing.

use super::challenge::{self, gate, pick, seats, selection_round, Miss, SelectInput};
use super::decision::RecommendedItem;
use super::view::ranking;
use crate::calendar::Moment;
use crate::call::desk as calls;
use crate::lang::Bilingual;
use crate::score::Method;
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use serde::Serialize;
use std::collections::BTreeMap;

/// One ranked team as the override lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ChoiceTeam {
    pub number: String,
    pub title: String,
    pub rank: u32,
    /// The score under the selection's method, as the ranking shows it.
    pub score: String,
    /// Meets every locked core indicator: only such a team may be picked.
    pub eligible: bool,
    /// Why it is out (each missed core indicator), when it is.
    pub misses: Vec<Bilingual>,
    /// The gate and the ranking pick it by themselves.
    pub automatic: bool,
    /// On the recorded selection.
    pub selected: bool,
}

/// A challenge's selection for the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct SelectionChoice {
    pub call: String,
    pub round: u32,
    /// The ranking method: the recorded selection's, else the one asked for.
    pub method: String,
    /// How many teams the contest selects.
    pub seats: u32,
    /// The team(s) the gate and the ranking pick (申报编号, in rank order).
    pub automatic: Vec<String>,
    /// The recorded selection (empty before one is made).
    pub selected: Vec<String>,
    /// The recorded selection is not the automatic one: the officer named the team(s).
    pub overridden: bool,
    /// The officer's reason, recorded with the selection and in the audit chain.
    pub reason: Option<String>,
    /// The 公示 has started: the selection can no longer change.
    pub frozen: bool,
    pub teams: Vec<ChoiceTeam>,
}

fn refused(code: &'static str, zh: String, en: String) -> CoreError {
    CoreError::DecisionRefused { code, zh, en }
}

/// The selection of a challenge call for the window, ranked by `method` unless a selection is
/// recorded (then by the method it was made with); `None` for a call of another mode.
pub fn choice(ws: &mut Workspace, call: &str, method: Method) -> Result<Option<SelectionChoice>> {
    let c = calls::get(ws, call)?;
    let Some(ch) = c.mode.challenge() else { return Ok(None) };
    let seats = seats(&ch.contest);
    let round = selection_round(&c);
    let call_id = c.id.to_string();
    let (recorded, publicity) =
        ws.store.read(|r| Ok::<_, CoreError>((r.recommendation(&call_id, round)?, r.publicity(&call_id, round)?)))?;
    let method = recorded.as_ref().and_then(|r| Method::parse(&r.method)).unwrap_or(method);
    let items: Vec<RecommendedItem> =
        recorded.as_ref().and_then(|r| serde_json::from_str(&r.items).ok()).unwrap_or_default();
    let selected: Vec<String> = items.iter().map(|i| i.number.clone()).collect();
    let reason = items.iter().find_map(|i| i.reason.clone());
    let view = ranking(ws, call, round, method)?;
    let g = gate(ws, &c)?;
    let out: BTreeMap<String, Vec<Miss>> = g.out.iter().map(|o| (o.number.clone(), o.misses.clone())).collect();
    let ranked: Vec<String> = view.rows.iter().map(|r| r.number.clone()).collect();
    // No sheets yet, or none passes: nothing is picked by itself.
    let automatic = pick(seats, &ranked, &out, &[]).unwrap_or_default();
    let teams = view
        .rows
        .iter()
        .map(|r| ChoiceTeam {
            number: r.number.clone(),
            title: r.title.clone(),
            rank: r.rank as u32,
            score: match method {
                Method::Mean => r.mean.clone(),
                Method::Median => r.median.clone(),
                Method::TrimmedMean => r.trimmed_mean.clone(),
                Method::ZMean => r.z_scaled.clone(),
            },
            eligible: !out.contains_key(&r.number),
            misses: out.get(&r.number).map(|m| m.iter().map(Miss::text).collect()).unwrap_or_default(),
            automatic: automatic.contains(&r.number),
            selected: selected.contains(&r.number),
        })
        .collect();
    let overridden = !selected.is_empty() && selected != automatic;
    Ok(Some(SelectionChoice {
        call: c.code.clone(),
        round,
        method: method.name().to_string(),
        seats: seats as u32,
        automatic,
        selected,
        overridden,
        reason,
        frozen: publicity.is_some(),
        teams,
    }))
}

/// The officer picks `choose` (申报编号; up to the contest's seats) instead of the automatic choice, with
/// a reason (required; recorded on the list, in the audit chain, and on the printed and exported lists).
/// Refused, with nothing written: without a reason (`challenge.reason_needed`), without a team
/// (`challenge.choose_needed`), for a team below a core indicator (`challenge.item_out`, naming each
/// missed indicator), a team not ranked, too many teams, once the 公示 has started
/// (`decision.list_frozen`), for a call that is not a challenge.
pub fn override_selection(
    ws: &mut Workspace,
    call: &str,
    method: Method,
    choose: &[String],
    reason: &str,
    at: Moment,
) -> Result<SelectionChoice> {
    let c = calls::get(ws, call)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(refused(
            "challenge.reason_needed",
            "改选挂帅团队须在“理由”中写明为何不按排名选定".into(),
            "picking another team than the ranking's needs a reason: write it in “reason”".into(),
        ));
    }
    let choose: Vec<String> = choose.iter().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()).collect();
    if choose.is_empty() {
        return Err(refused(
            "challenge.choose_needed",
            "请选择要改选的挂帅团队（申报编号）".into(),
            "choose the team(s) to select (申报编号)".into(),
        ));
    }
    let input = SelectInput { method: Some(method), choose, reason: Some(reason.to_string()) };
    challenge::select(ws, call, selection_round(&c), &input, at)?;
    choice(ws, call, method)?
        .ok_or_else(|| CoreError::NotFound { what: "challenge / 揭榜挂帅榜单".into(), key: call.to_string() })
}

#[cfg(test)]
#[path = "challenge_choice_tests.rs"]
mod tests;
