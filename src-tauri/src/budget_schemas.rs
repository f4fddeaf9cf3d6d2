//! The commands of budget schemas (经费预算规则) in the window: list those the workspace holds, open one,
//! and add one from a schema file (the office only). Thin, as `lixiang budget list|import FILE.toml`: holding, hashing and
//! the refusals (another content under a held code and version, a malformed file naming its field) are
//! the core's (`budget::held`).

use crate::dialogs;
use crate::state::AppState;
use crate::IpcError;
use lixiang_core::budget::held::{self, Added, HeldSummary, SchemaDetail};
use lixiang_core::identity::{self, OfficeDuty};
use tauri::{AppHandle, State};

/// Every schema held: shipped, added here, received with call packages, each with its hash and origin.
#[tauri::command]
#[specta::specta]
pub async fn budget_schemas_list(state: State<'_, AppState>) -> Result<Vec<HeldSummary>, IpcError> {
    state.with_workspace(held::list).await
}

/// The schema `code` v`version` opened: categories, indirect-cost tiers, thresholds.
#[tauri::command]
#[specta::specta]
pub async fn budget_schema_get(
    state: State<'_, AppState>,
    code: String,
    version: u32,
) -> Result<SchemaDetail, IpcError> {
    state.with_workspace(move |ws| held::detail(ws, &code, version)).await
}

/// Asks for a schema file (TOML, the format of `seeds/budget/`) and adds it; `None` when the person cancels.
#[tauri::command]
#[specta::specta]
pub async fn budget_schema_import(app: AppHandle, state: State<'_, AppState>) -> Result<Option<Added>, IpcError> {
    let lang = state.lang();
    // Refused before the file dialog: an applicant would otherwise choose a file only to be told no.
    state.with_workspace(|ws| identity::require_office(ws, OfficeDuty::BudgetSchemas)).await?;
    let title = lang.pick("选择经费预算规则文件", "Choose the budget schema file");
    let filter = (lang.pick("经费预算规则（TOML）", "Budget schema (TOML)"), &["toml"][..]);
    let Some(path) = dialogs::open_file(&app, lang, title, Some(filter)).await? else { return Ok(None) };
    state.with_workspace(move |ws| held::add_file(ws, &path)).await.map(Some)
}
