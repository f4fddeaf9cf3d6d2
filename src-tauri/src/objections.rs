//! The commands of the 公示's objection log in the window (issue 7, "公示 with its period and an
//! objection log"): log an objection to an item of the round, and resolve an open one as upheld (its
//! item is not funded at the final decision) or dismissed, with a reason. Thin, as `lixiang decide
//! objection|resolve`: the refusals (before the 公示, once decided, an item not in the round, a date
//! before the 公示, resolved twice) are the core's (`review::decision`). Each answers the round's
//! decisions as the window shows them.

use crate::state::AppState;
use crate::IpcError;
use lixiang_core::calendar::{Date, Moment};
use lixiang_core::review::decision;
use lixiang_core::review::view::DecisionsView;
use lixiang_core::CoreError;
use tauri::State;

/// Logs an objection to the item `number` of the round, received on `received_on` (YYYY-MM-DD), with
/// what it says in short (who raised it and through which channel belong in the summary).
#[tauri::command]
#[specta::specta]
pub async fn decisions_objection(
    state: State<'_, AppState>,
    call: String,
    round: u32,
    number: String,
    received_on: String,
    summary: String,
) -> Result<DecisionsView, IpcError> {
    state
        .with_workspace(move |ws| {
            let received = Date::parse(received_on.trim()).ok_or_else(|| CoreError::Validation {
                field: "received_on".into(),
                reason: format!("“{received_on}” 不是日期 YYYY-MM-DD / “{received_on}” is not a date YYYY-MM-DD"),
            })?;
            decision::record_objection(ws, &call, round, &number, received, &summary, Moment::now_utc())?;
            Ok(DecisionsView::from(&decision::show(ws, &call, round)?))
        })
        .await
}

/// Resolves the open objection `id` of the round: `upheld` (founded: its item is not funded at the
/// final decision) or dismissed, with the reason.
#[tauri::command]
#[specta::specta]
pub async fn decisions_resolve(
    state: State<'_, AppState>,
    call: String,
    round: u32,
    id: i32,
    upheld: bool,
    reason: String,
) -> Result<DecisionsView, IpcError> {
    state
        .with_workspace(move |ws| {
            decision::resolve_objection(ws, i64::from(id), upheld, &reason, Moment::now_utc())?;
            Ok(DecisionsView::from(&decision::show(ws, &call, round)?))
        })
        .await
}
