//! The commands of 会议评审 at the office: what a round has of it (a shortlist, a vote), the shortlist
//! previewed at a percent and then made, the panel (members, who steps out for which item and why, the
//! discussion order, the votes) and the chair's vote on an item. Each converts and delegates to
//! `lixiang_core::review::panel`, as `lixiang panel shortlist|show|vote` does. The recommendation list of
//! a vote round is made by `decisions_recommend` (review.rs), which reads the votes.

use crate::state::AppState;
use crate::IpcError;
use lixiang_core::calendar::Moment;
use lixiang_core::review::panel::{self, PanelRound, PanelView, Shortlist, VoteInput};
use lixiang_core::score::Method;
use tauri::State;

/// What round `round` of a call has of 会议评审: the plan's shortlist percent, whether it votes, its share.
#[tauri::command]
#[specta::specta]
pub async fn panel_round(state: State<'_, AppState>, call: String, round: u32) -> Result<PanelRound, IpcError> {
    state.with_workspace(move |ws| panel::round_setup(ws, &call, round)).await
}

/// The round's shortlist, when made.
#[tauri::command]
#[specta::specta]
pub async fn panel_shortlist_get(
    state: State<'_, AppState>,
    call: String,
    round: u32,
) -> Result<Option<Shortlist>, IpcError> {
    state.with_workspace(move |ws| panel::shortlist(ws, &call, round)).await
}

/// What the shortlist would take at `percent` of the places (the plan's when `None`), without making it.
#[tauri::command]
#[specta::specta]
pub async fn panel_shortlist_preview(
    state: State<'_, AppState>,
    call: String,
    round: u32,
    method: Method,
    percent: Option<u32>,
) -> Result<Shortlist, IpcError> {
    state.with_workspace(move |ws| panel::preview_shortlist(ws, &call, round, method, percent)).await
}

/// Makes (or makes again, before the first vote) the round's shortlist at `percent` of the places.
#[tauri::command]
#[specta::specta]
pub async fn panel_shortlist_make(
    state: State<'_, AppState>,
    call: String,
    round: u32,
    method: Method,
    percent: Option<u32>,
) -> Result<Shortlist, IpcError> {
    state.with_workspace(move |ws| panel::make_shortlist_at(ws, &call, round, method, percent, Moment::now_utc())).await
}

/// The panel of a vote round: members, each item's members stepping out with their reasons, the
/// discussion order and the votes recorded.
#[tauri::command]
#[specta::specta]
pub async fn panel_get(state: State<'_, AppState>, call: String, round: u32) -> Result<PanelView, IpcError> {
    state.with_workspace(move |ws| panel::panel(ws, &call, round)).await
}

/// Records the chair's counts for an item: the members present, then yes / no / abstain from those
/// present and not stepping out. Returns the panel as it stands after the vote.
#[tauri::command]
#[specta::specta]
#[allow(clippy::too_many_arguments)]
pub async fn panel_vote(
    state: State<'_, AppState>,
    call: String,
    round: u32,
    item: String,
    present: Vec<String>,
    yes: u32,
    no: u32,
    abstain: u32,
) -> Result<PanelView, IpcError> {
    state
        .with_workspace(move |ws| {
            let input = VoteInput { present, yes, no, abstain };
            panel::record_vote(ws, &call, round, &item, &input, Moment::now_utc())?;
            panel::panel(ws, &call, round)
        })
        .await
}
