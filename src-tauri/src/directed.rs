//! The commands of 定向委托 after its 可行性论证 round (the office): the consolidation of a call's plans, the
//! panel opinion, the selection among invited units' passing plans, and the final decisions written to a
//! folder the officer chooses. Each converts and delegates to `lixiang_core::review::directed`, as
//! `lixiang directed …` does; the round is always the call's feasibility round.

use crate::dialogs;
use crate::state::AppState;
use crate::IpcError;
use lixiang_core::calendar::Moment;
use lixiang_core::review::directed::{self, Consolidation, FinalInput, PanelInput};
use lixiang_core::{CoreError, Lang};
use std::time::Instant;
use tauri::{AppHandle, State};

/// The feasibility round of a directed call: every plan's verdict counts, the experts' opinions, the
/// panel opinions, the selection and the decisions. Refused (`directed.not_directed`) for another mode.
#[tauri::command]
#[specta::specta]
pub async fn directed_get(state: State<'_, AppState>, call: String) -> Result<Consolidation, IpcError> {
    state.with_workspace(move |ws| directed::consolidation(ws, &call, None)).await
}

/// Records the panel's consolidated opinion on a plan: `verdict` is `pass`, `pass_after_revision` or
/// `fail`; `changes` goes with `pass_after_revision` only; `proceed_reason` when experts are still awaited.
#[tauri::command]
#[specta::specta]
pub async fn directed_panel(
    state: State<'_, AppState>,
    call: String,
    number: String,
    verdict: String,
    opinion: String,
    changes: Option<String>,
    proceed_reason: Option<String>,
) -> Result<Consolidation, IpcError> {
    state
        .with_workspace(move |ws| {
            let verdict = directed::parse_verdict(&verdict).ok_or_else(|| CoreError::Validation {
                field: "verdict".into(),
                reason: "应为 通过 / 修改后通过 / 不通过 / pass, pass after revision or fail".into(),
            })?;
            let input = PanelInput { number, verdict, opinion, changes, proceed_reason };
            directed::record_panel(ws, &call, None, &input, Moment::now_utc())
        })
        .await
}

/// Selects one of the invited units' passing plans, with the reason sent to every invited unit.
#[tauri::command]
#[specta::specta]
pub async fn directed_select(
    state: State<'_, AppState>,
    call: String,
    number: String,
    reason: String,
) -> Result<Consolidation, IpcError> {
    state.with_workspace(move |ws| directed::select(ws, &call, None, &number, &reason, Moment::now_utc())).await
}

/// Decides every plan and writes each applicant's result package into a folder the officer chooses;
/// `None` when the dialog is cancelled. Refused before the folder is asked for when the round cannot be
/// decided yet.
#[tauri::command]
#[specta::specta]
pub async fn directed_final(
    app: AppHandle,
    state: State<'_, AppState>,
    call: String,
) -> Result<Option<Consolidation>, IpcError> {
    let lang = state.lang();
    if !state.keys.is_unlocked(Instant::now()) {
        return Err(IpcError::locked(lang));
    }
    {
        let (c, tmp) = (call.clone(), std::env::temp_dir());
        state
            .with_workspace(move |ws| directed::check_final(ws, &c, None, &FinalInput::default(), &tmp).map(|_| ()))
            .await?;
    }
    let title = lang.pick("立项结果文件包：输入新文件夹的名称", "Result packages: name the new folder");
    let name = match lang {
        Lang::Zh => format!("立项结果-{call}"),
        Lang::En => format!("results-{call}"),
    };
    let Some(folder) = dialogs::new_folder_made(&app, lang, title, name).await? else { return Ok(None) };
    let keys = state.keys.use_keys(Instant::now()).ok_or_else(|| IpcError::locked(lang))?;
    let dir = folder.path.clone();
    let decided = state
        .with_workspace(move |ws| {
            directed::finalize(ws, &keys, &call, None, &FinalInput::default(), Moment::now_utc(), &dir)?;
            Ok(Some(directed::consolidation(ws, &call, None)?))
        })
        .await;
    if decided.is_err() {
        folder.discard_if_unused();
    }
    decided
}
