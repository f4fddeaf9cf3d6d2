//! The commands of appeals (申诉) against 不予受理 in 形式审查: log an appeal as it arrives and resolve it
//! as upheld (维持原决定) or granted (申诉成立, the version is decided again with `formal_decide`), and write
//! an upheld answer's package again. Thin,
//! as `lixiang check NUMBER --appeal|--appeal-resolve`: the refusals are the core's
//! (`application::appeal`). Each answers the formal-check report as the panel shows it.

use crate::state::AppState;
use crate::{dialogs, IpcError};
use lixiang_core::application::appeal::{self, AppealInput, AppealOutcome};
use lixiang_core::application::formal::{self, FormalReport};
use lixiang_core::calendar::{Date, Moment};
use lixiang_core::outgoing::Resent;
use lixiang_core::CoreError;
use std::time::Instant;
use tauri::{AppHandle, State};

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

/// What resolving an appeal answers: the new report, and where the upheld answer's package was written.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct AppealResolved {
    pub report: FormalReport,
    pub package: Option<Resent>,
}

/// Resolves the open appeal on `number` as upheld or granted, with the reason. Upheld writes the answer for
/// the applicant as a result package where the person chooses (save dialog, as the decisions do; needs
/// the unlocked keys; `None` when the dialog is cancelled, and then nothing is recorded). Granted writes
/// nothing: the decision made again carries the answer.
#[tauri::command]
#[specta::specta]
pub async fn formal_appeal_resolve(
    app: AppHandle,
    state: State<'_, AppState>,
    number: String,
    outcome: AppealOutcome,
    reason: String,
) -> Result<Option<AppealResolved>, IpcError> {
    if outcome == AppealOutcome::Granted {
        return state
            .with_workspace(move |ws| {
                let at = Moment::now_utc();
                appeal::resolve(ws, &number, outcome, &reason, at, None)?;
                Ok(AppealResolved { report: formal::formal_check(ws, &number, at)?, package: None })
            })
            .await
            .map(Some);
    }
    let lang = state.lang();
    if !state.keys.is_unlocked(Instant::now()) {
        return Err(IpcError::locked(lang));
    }
    let title = lang.pick("保存申诉结果文件包（交给申报单位）", "Save the appeal's answer (for the applicant)");
    let filter = (lang.pick("立项文件包", "Lixiang package"), &["lxpkg"][..]);
    let proposed = format!("{}-{number}.lxpkg", lang.pick("申诉结果", "appeal-answer"));
    let Some(path) = dialogs::save_file(&app, lang, title, filter, proposed).await? else { return Ok(None) };
    let keys = state.keys.use_keys(Instant::now()).ok_or_else(|| IpcError::locked(lang))?;
    state
        .with_workspace(move |ws| {
            let at = Moment::now_utc();
            let done = appeal::resolve(ws, &number, outcome, &reason, at, Some((&keys, &path)))?;
            Ok(AppealResolved { report: formal::formal_check(ws, &number, at)?, package: done.package })
        })
        .await
        .map(Some)
}

/// Writes the package that carried the upheld answer to the appeal on `number` again (byte for byte) to a
/// file the officer picks, proposed under the name it was first written with; records nothing. Refused
/// before the dialog when no appeal of it was upheld; `None` when the dialog is cancelled.
#[tauri::command]
#[specta::specta]
pub async fn formal_appeal_resend(
    app: AppHandle,
    state: State<'_, AppState>,
    number: String,
) -> Result<Option<Resent>, IpcError> {
    let lang = state.lang();
    if !state.keys.is_unlocked(Instant::now()) {
        return Err(IpcError::locked(lang));
    }
    let n = number.clone();
    let answer = state.with_workspace(move |ws| appeal::upheld_answer(ws, &n)).await?;
    let title =
        lang.pick("重新导出申诉结果文件包（交给申报单位）", "Export the appeal's answer again (for the applicant)");
    let filter = (lang.pick("立项文件包", "Lixiang package"), &["lxpkg"][..]);
    let Some(path) = dialogs::save_file(&app, lang, title, filter, answer.file_name).await? else { return Ok(None) };
    let keys = state.keys.use_keys(Instant::now()).ok_or_else(|| IpcError::locked(lang))?;
    state.with_workspace(move |ws| appeal::resend_answer(ws, &keys, &number, &path)).await.map(Some)
}
