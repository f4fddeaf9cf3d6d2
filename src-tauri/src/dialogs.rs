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

/// A folder made for what a command is about to write (result packages), named by the person in a
/// [`new_folder`] dialog.
pub struct MadeFolder {
    pub path: PathBuf,
    /// Whether this call made it (false: the person named a folder that was there already).
    created: bool,
}

impl MadeFolder {
    /// Removes the folder again when this call made it and nothing was written into it (the command was
    /// refused after the dialog): a refusal leaves no trace.
    pub fn discard_if_unused(&self) {
        if self.created {
            let _ = std::fs::remove_dir(&self.path);
        }
    }
}

/// Asks for the name of a new folder (as [`new_folder`]) and makes it. A folder chooser would make the
/// person create an empty folder first; the typed name is also what the end-to-end tests can answer
/// under Xvfb, where GTK's folder chooser does not take a typed folder.
pub async fn new_folder_made(
    app: &AppHandle,
    lang: Lang,
    title: &str,
    name: String,
) -> Result<Option<MadeFolder>, IpcError> {
    let Some(path) = new_folder(app, lang, title, name).await? else { return Ok(None) };
    let created = !path.is_dir();
    std::fs::create_dir_all(&path).map_err(|source| {
        IpcError::from_core(&lixiang_core::CoreError::WorkspaceIo { path: path.clone(), source }, lang)
    })?;
    Ok(Some(MadeFolder { path, created }))
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
