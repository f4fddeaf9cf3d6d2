//! The commands the UI calls. Each converts its arguments, delegates to `lixiang-core` on a worker
//! thread and converts the result; nothing here decides anything about the domain.

use crate::dialogs;
use crate::state::AppState;
use crate::IpcError;
use lixiang_core::catalog::{self, Catalog};
use lixiang_core::{preference, Lang};
use serde::Serialize;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

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
    crate::startup::mark("catalog_get_called");
    let catalog = state.with_workspace(catalog::get).await;
    crate::startup::mark("catalog_get_answered");
    catalog
}

/// A PDF the app saved where the person chose.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SavedPdf {
    pub path: String,
    pub pages: u32,
    /// Whether the system's PDF viewer was started on it (the file is saved either way).
    pub opened: bool,
}

/// Saves the catalog as a PDF: asks where with a save dialog, writes the file (the same document as
/// `lixiang catalog --pdf`, headings in the UI language) and opens it in the system's viewer.
/// `None` when the person cancels the dialog.
#[tauri::command]
#[specta::specta]
pub async fn catalog_export_pdf(app: AppHandle, state: State<'_, AppState>) -> Result<Option<SavedPdf>, IpcError> {
    let lang = state.lang();
    let title = lang.pick("保存目录 PDF", "Save the catalog as PDF");
    let name = lang.pick("科技重大专项目录.pdf", "catalog.pdf").to_string();
    let Some(path) = dialogs::save_file(&app, lang, title, ("PDF", &["pdf"]), name).await? else { return Ok(None) };
    let cat = state.with_workspace(catalog::get).await?;
    // Laid out off the workspace lock: the window can read the database while the PDF is made.
    let target = path.clone();
    let pages = tauri::async_runtime::spawn_blocking(move || -> lixiang_core::Result<usize> {
        let opts = lixiang_pdf::RenderOptions { lang, created: lixiang_pdf::Created::from_env_or_now() };
        let pdf = lixiang_pdf::catalog::render(&cat, &opts)?;
        lixiang_pdf::write_file(&target, &pdf.bytes)?;
        Ok(pdf.pages)
    })
    .await
    .map_err(|e| IpcError::internal(lang, e))?
    .map_err(|e| IpcError::from_core(&e, lang))?;
    let shown = path.display().to_string();
    // Opening is a convenience; a machine without a PDF viewer still has the saved file.
    let opened = app.opener().open_path(shown.clone(), None::<&str>).is_ok();
    Ok(Some(SavedPdf { path: shown, pages: u32::try_from(pages).unwrap_or(u32::MAX), opened }))
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
