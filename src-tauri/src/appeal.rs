//! The commands of appeals (申诉) against 不予受理 in 形式审查: log an appeal as it arrives and resolve it
//! as upheld (维持原决定) or granted (申诉成立, the version is decided again with `formal_decide`). Thin,
//! as `lixiang check NUMBER --appeal|--appeal-resolve`: the refusals are the core's
//! (`application::appeal`). Each answers the formal-check report as the panel shows it.

use crate::state::AppState;
use crate::IpcError;
use lixiang_core::application::appeal::{self, AppealInput, AppealOutcome};
use lixiang_core::application::formal::{self, FormalReport};
use lixiang_core::calendar::{Date, Moment};
use lixiang_core::CoreError;
use tauri::State;

/// Logs an appeal against the 不予受理 of `number`, received on `received_on` (YYYY-MM-DD), from
/// `appellant` (who appealed and how) with its text.
#[tauri::command]
#[specta::specta]
pub async fn formal_appeal_log(
    state: State<'_, AppState>,
    number: String,
    received_on: String,
    appellant: String,
    text: String,
) -> Result<FormalReport, IpcError> {
    state
        .with_workspace(move |ws| {
            let received = Date::parse(received_on.trim()).ok_or_else(|| CoreError::Validation {
                field: "received_on".into(),
                reason: format!("“{received_on}” 不是日期 YYYY-MM-DD / “{received_on}” is not a date YYYY-MM-DD"),
            })?;
            let at = Moment::now_utc();
            let input = AppealInput { received_on: received, appellant, text };
            appeal::log(ws, &number, &input, at)?;
            formal::formal_check(ws, &number, at)
        })
        .await
}

/// Resolves the open appeal on `number` as upheld or granted, with the reason.
#[tauri::command]
#[specta::specta]
pub async fn formal_appeal_resolve(
    state: State<'_, AppState>,
    number: String,
    outcome: AppealOutcome,
    reason: String,
) -> Result<FormalReport, IpcError> {
    state
        .with_workspace(move |ws| {
            let at = Moment::now_utc();
            appeal::resolve(ws, &number, outcome, &reason, at)?;
            formal::formal_check(ws, &number, at)
        })
        .await
}
