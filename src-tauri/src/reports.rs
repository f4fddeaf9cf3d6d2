//! Commands that save the papers officials file (issue 8 "Exports") from the window: a round's
//! recommendation list and its 公示 notice, as xlsx or PDF, its ranking report (PDF with charts), and the
//! plan dashboard (PDF with charts). Each asks where with a save dialog, writes the same file `lixiang
//! report recommendation|publicity|ranking|dashboard` writes (through a temporary file and a rename), and
//! opens it in the system's viewer ([`save_and_open`], also used by the ranking workbook's export). Thin:
//! the reports are read and laid out by the core and lixiang-pdf.

use crate::dialogs;
use crate::state::AppState;
use crate::IpcError;
use lixiang_core::report::decisions as lists;
use lixiang_core::Lang;
use serde::{Deserialize, Serialize};
use std::path::Path;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

/// Which of a round's lists to save.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum DecisionListKind {
    /// 立项建议名单
    Recommendation,
    /// 拟立项项目公示
    Publicity,
}

/// The file format to save a report in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Xlsx,
    Pdf,
}

/// A report the app saved where the person chose.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SavedReport {
    pub path: String,
    /// Whether the system's viewer was started on it (the file is saved either way).
    pub opened: bool,
}

/// Writes `bytes` to `path` whole (a temporary file, then a rename: never half a file under the chosen
/// name) and opens it in the system's viewer, as every report export does.
pub(crate) fn save_and_open(app: &AppHandle, path: &Path, bytes: &[u8]) -> lixiang_core::Result<SavedReport> {
    lixiang_pdf::write_file(path, bytes)?;
    let shown = path.display().to_string();
    let opened = app.opener().open_path(shown.clone(), None::<&str>).is_ok();
    Ok(SavedReport { path: shown, opened })
}

fn file_name(kind: DecisionListKind, format: ReportFormat, call: &str, round: u32, lang: Lang) -> String {
    let stem = match kind {
        DecisionListKind::Recommendation => lang.pick("立项建议名单", "recommendation-list"),
        DecisionListKind::Publicity => lang.pick("公示名单", "public-notice"),
    };
    let ext = match format {
        ReportFormat::Xlsx => "xlsx",
        ReportFormat::Pdf => "pdf",
    };
    format!("{stem}-{call}-R{round}.{ext}")
}

/// Saves a round's recommendation list or 公示 notice where the officer chooses and opens it; `None`
/// when the dialog is cancelled. The notice is refused (`decision.no_publicity`) before the 公示 starts,
/// before any dialog is shown.
#[tauri::command]
#[specta::specta]
pub async fn decision_list_export(
    app: AppHandle,
    state: State<'_, AppState>,
    call: String,
    round: u32,
    kind: DecisionListKind,
    format: ReportFormat,
) -> Result<Option<SavedReport>, IpcError> {
    let lang = state.lang();
    let list = {
        let call = call.clone();
        state
            .with_workspace(move |ws| {
                let list = lists::decision_list(ws, &call, round)?;
                if kind == DecisionListKind::Publicity {
                    lists::require_publicity(&list)?;
                }
                Ok(list)
            })
            .await?
    };
    let title = match kind {
        DecisionListKind::Recommendation => lang.pick("保存立项建议名单", "Save the recommendation list"),
        DecisionListKind::Publicity => lang.pick("保存公示名单", "Save the public notice"),
    };
    let filter = match format {
        ReportFormat::Xlsx => ("Excel", &["xlsx"][..]),
        ReportFormat::Pdf => ("PDF", &["pdf"][..]),
    };
    let name = file_name(kind, format, &list.call_code, round, lang);
    let Some(path) = dialogs::save_file(&app, lang, title, filter, name).await? else { return Ok(None) };
    tauri::async_runtime::spawn_blocking(move || -> lixiang_core::Result<SavedReport> {
        let bytes = match format {
            ReportFormat::Xlsx => {
                let at = lixiang_core::calendar::Moment::now_utc().to_string();
                match kind {
                    DecisionListKind::Recommendation => lists::recommendation_xlsx(&list, &at)?,
                    DecisionListKind::Publicity => lists::publicity_xlsx(&list, &at)?,
                }
            }
            ReportFormat::Pdf => {
                let opts = lixiang_pdf::RenderOptions { lang, created: lixiang_pdf::Created::from_env_or_now() };
                match kind {
                    DecisionListKind::Recommendation => lixiang_pdf::decisions::recommendation_pdf(&list, &opts)?.bytes,
                    DecisionListKind::Publicity => lixiang_pdf::decisions::publicity_pdf(&list, &opts)?.bytes,
                }
            }
        };
        save_and_open(&app, &path, &bytes)
    })
    .await
    .map_err(|e| IpcError::internal(lang, e))?
    .map(Some)
    .map_err(|e| IpcError::from_core(&e, lang))
}

/// Saves a round's ranking report (PDF with its charts) where the officer chooses and opens it; `None`
/// when the dialog is cancelled. The same document as `lixiang report ranking --out FILE.pdf`.
#[tauri::command]
#[specta::specta]
pub async fn ranking_report_export(
    app: AppHandle,
    state: State<'_, AppState>,
    call: String,
    round: u32,
    method: lixiang_core::score::Method,
) -> Result<Option<SavedReport>, IpcError> {
    let lang = state.lang();
    let report = {
        let call = call.clone();
        state.with_workspace(move |ws| lixiang_core::report::ranking::ranking_report(ws, &call, round, method)).await?
    };
    let title = lang.pick("保存排名报告", "Save the ranking report");
    let name = format!("{}-{}-R{round}.pdf", lang.pick("排名报告", "ranking-report"), report.call_code);
    let Some(path) = dialogs::save_file(&app, lang, title, ("PDF", &["pdf"]), name).await? else { return Ok(None) };
    tauri::async_runtime::spawn_blocking(move || -> lixiang_core::Result<SavedReport> {
        let opts = lixiang_pdf::RenderOptions { lang, created: lixiang_pdf::Created::from_env_or_now() };
        let pdf = lixiang_pdf::ranking::render(&report, &opts)?;
        save_and_open(&app, &path, &pdf.bytes)
    })
    .await
    .map_err(|e| IpcError::internal(lang, e))?
    .map(Some)
    .map_err(|e| IpcError::from_core(&e, lang))
}

/// Saves the plan dashboard as a PDF report with its charts (every programme, or the one `programme`
/// names) where the officer chooses and opens it; `None` when the dialog is cancelled. The same document
/// as `lixiang report dashboard --out FILE.pdf`; an unknown programme is refused before any dialog.
#[tauri::command]
#[specta::specta]
pub async fn dashboard_export(
    app: AppHandle,
    state: State<'_, AppState>,
    programme: Option<String>,
) -> Result<Option<SavedReport>, IpcError> {
    let lang = state.lang();
    let name = match &programme {
        Some(code) => format!("{}-{code}.pdf", lang.pick("规划监测报告", "plan-monitoring-report")),
        None => format!("{}.pdf", lang.pick("规划监测报告", "plan-monitoring-report")),
    };
    let dashboard =
        state.with_workspace(move |ws| lixiang_core::report::dashboard::dashboard(ws, programme.as_deref())).await?;
    let title = lang.pick("保存规划监测报告", "Save the plan monitoring report");
    let Some(path) = dialogs::save_file(&app, lang, title, ("PDF", &["pdf"]), name).await? else { return Ok(None) };
    tauri::async_runtime::spawn_blocking(move || -> lixiang_core::Result<SavedReport> {
        let opts = lixiang_pdf::RenderOptions { lang, created: lixiang_pdf::Created::from_env_or_now() };
        let pdf = lixiang_pdf::dashboard::render(&dashboard, &opts)?;
        save_and_open(&app, &path, &pdf.bytes)
    })
    .await
    .map_err(|e| IpcError::internal(lang, e))?
    .map(Some)
    .map_err(|e| IpcError::from_core(&e, lang))
}
