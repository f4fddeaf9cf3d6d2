//! The commands the UI calls. Each converts its arguments, delegates to `lixiang-core` on a worker
//! thread and converts the result; nothing here decides anything about the domain.

use crate::state::AppState;
use crate::IpcError;
use lixiang_core::catalog::{self, Catalog};
use lixiang_core::{preference, Lang};
use serde::Serialize;
use tauri::State;

/// Which workspace the window shows, for the top bar.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct WorkspaceInfo {
    /// The workspace directory.
    pub dir: String,
    /// Its last path component, shown as the workspace's name.
    pub name: String,
    pub database: String,
    pub schema_version: u32,
}

#[tauri::command]
#[specta::specta]
pub async fn workspace_info(state: State<'_, AppState>) -> Result<WorkspaceInfo, IpcError> {
    state
        .with_workspace(|ws| {
            Ok(WorkspaceInfo {
                dir: ws.dir().display().to_string(),
                name: ws.dir().file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                database: ws.database_path().display().to_string(),
                schema_version: ws.schema_version()?,
            })
        })
        .await
}

/// The plan's catalog: programmes with targets, and the 专栏1 indicators.
#[tauri::command]
#[specta::specta]
pub async fn catalog_get(state: State<'_, AppState>) -> Result<Catalog, IpcError> {
    state.with_workspace(catalog::get).await
}

/// The UI language remembered in this workspace (Chinese until switched).
#[tauri::command]
#[specta::specta]
pub async fn preference_get_language(state: State<'_, AppState>) -> Result<Lang, IpcError> {
    if !state.is_open() {
        // A workspace that could not be opened still gets a window, in Chinese, that says why.
        return Ok(state.lang());
    }
    state.with_workspace(preference::language).await
}

/// Remembers the UI language in this workspace.
#[tauri::command]
#[specta::specta]
pub async fn preference_set_language(state: State<'_, AppState>, lang: Lang) -> Result<(), IpcError> {
    state.with_workspace(move |ws| preference::set_language(ws, lang)).await?;
    state.set_lang(lang);
    Ok(())
}
