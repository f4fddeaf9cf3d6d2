//! The window's override of the 挂帅 choice: the selection as `lixiang_core::review::challenge_choice`
//! shows it (the automatic choice, every ranked team with whether it may be picked, the recorded one
//! with its reason), and the officer's pick of another eligible team with a mandatory reason — what
//! `lixiang decide select --choose N --reason R` records. Each command converts and delegates.

use crate::state::AppState;
use crate::IpcError;
use lixiang_core::calendar::Moment;
use lixiang_core::review::challenge_choice::{self, SelectionChoice};
use lixiang_core::score::Method;
use tauri::State;

/// The selection of a challenge call, ranked by `method` unless one is recorded; `None` for a call of
/// another mode.
#[tauri::command]
#[specta::specta]
pub async fn challenge_choice_get(
    state: State<'_, AppState>,
    call: String,
    method: Method,
) -> Result<Option<SelectionChoice>, IpcError> {
    state.with_workspace(move |ws| challenge_choice::choice(ws, &call, method)).await
}

/// Selects `choose` (申报编号) instead of the automatic choice, with `reason` (required); refused for a
/// team below a core indicator (`challenge.item_out`), without a reason (`challenge.reason_needed`).
#[tauri::command]
#[specta::specta]
pub async fn challenge_override(
    state: State<'_, AppState>,
    call: String,
    method: Method,
    choose: Vec<String>,
    reason: String,
) -> Result<SelectionChoice, IpcError> {
    state
        .with_workspace(move |ws| {
            challenge_choice::override_selection(ws, &call, method, &choose, &reason, Moment::now_utc())
        })
        .await
}
