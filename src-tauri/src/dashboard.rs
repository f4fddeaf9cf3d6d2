//! The command of the plan dashboard (规划监测): converts and delegates to
//! `lixiang_core::report::dashboard`, as `lixiang report dashboard` does.

use crate::state::AppState;
use crate::IpcError;
use lixiang_core::report::dashboard::{self, Dashboard};
use tauri::State;

/// The plan dashboard: every programme, or the one `programme` names (`ZX06`).
#[tauri::command]
#[specta::specta]
pub async fn dashboard_get(state: State<'_, AppState>, programme: Option<String>) -> Result<Dashboard, IpcError> {
    state.with_workspace(move |ws| dashboard::dashboard(ws, programme.as_deref())).await
}
