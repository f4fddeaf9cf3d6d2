//! The system's file dialogs as the commands use them: modal over the app's window (so they cannot end up
//! behind it) and waited for on a worker thread (the window stays responsive behind them). `None` when the
//! person cancels.

use crate::IpcError;
use lixiang_core::Lang;
use std::path::PathBuf;
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder};

/// A file type offered in a dialog: its label and extensions.
pub type Filter<'a> = (&'a str, &'a [&'a str]);

fn builder(app: &AppHandle, title: &str, filter: Option<Filter<'_>>) -> FileDialogBuilder<tauri::Wry> {
    let mut dialog = app.dialog().file().set_title(title);
    if let Some((label, extensions)) = filter {
        dialog = dialog.add_filter(label, extensions);
    }
    if let Some(window) = app.get_webview_window("main") {
        dialog = dialog.set_parent(&window);
    }
    dialog
}

/// Asks where to save, proposing `name`.
pub async fn save_file(
    app: &AppHandle,
    lang: Lang,
    title: &str,
    filter: Filter<'_>,
    name: String,
) -> Result<Option<PathBuf>, IpcError> {
    save_dialog(app, lang, title, Some(filter), name).await
}

/// Asks for the name of a NEW folder, proposing `name`: a save dialog, where the person types a name that
/// does not exist yet (a folder chooser would make them create an empty folder first, then pick it).
pub async fn new_folder(app: &AppHandle, lang: Lang, title: &str, name: String) -> Result<Option<PathBuf>, IpcError> {
    save_dialog(app, lang, title, None, name).await
}

async fn save_dialog(
    app: &AppHandle,
    lang: Lang,
    title: &str,
    filter: Option<Filter<'_>>,
    name: String,
) -> Result<Option<PathBuf>, IpcError> {
    let dialog = builder(app, title, filter).set_file_name(name);
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_save_file())
        .await
        .map_err(|e| IpcError::internal(lang, e))?;
    picked.map(|p| p.into_path().map_err(|e| IpcError::internal(lang, e))).transpose()
}

/// Asks for one file to open.
pub async fn open_file(
    app: &AppHandle,
    lang: Lang,
    title: &str,
    filter: Option<Filter<'_>>,
) -> Result<Option<PathBuf>, IpcError> {
    let dialog = builder(app, title, filter);
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_file())
        .await
        .map_err(|e| IpcError::internal(lang, e))?;
    picked.map(|p| p.into_path().map_err(|e| IpcError::internal(lang, e))).transpose()
}

/// Asks for one or more files to open.
pub async fn open_files(
    app: &AppHandle,
    lang: Lang,
    title: &str,
    filter: Option<Filter<'_>>,
) -> Result<Option<Vec<PathBuf>>, IpcError> {
    let dialog = builder(app, title, filter);
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_files())
        .await
        .map_err(|e| IpcError::internal(lang, e))?;
    picked
        .map(|files| files.into_iter().map(|p| p.into_path().map_err(|e| IpcError::internal(lang, e))).collect())
        .transpose()
}

/// Asks for a folder.
pub async fn pick_folder(app: &AppHandle, lang: Lang, title: &str) -> Result<Option<PathBuf>, IpcError> {
    let dialog = builder(app, title, None);
    let picked = tauri::async_runtime::spawn_blocking(move || dialog.blocking_pick_folder())
        .await
        .map_err(|e| IpcError::internal(lang, e))?;
    picked.map(|p| p.into_path().map_err(|e| IpcError::internal(lang, e))).transpose()
}
