//! The commands of the expert pool and the assignment: the pool in pinyin order, the xlsx template
//! (save dialog), an import read and reported row by row before anything is written and confirmed
//! afterwards (the same file, re-read and re-checked), one expert entered by hand or edited through the same checks, a
//! key card attached to an entry, and a run of the assignment for a call's round.
//! Each converts and delegates to `lixiang_core::{expert, assign}`, as `lixiang expert …` and
//! `lixiang assign` do.

use crate::dialogs;
use crate::state::AppState;
use crate::IpcError;
use lixiang_core::assign::desk::{self as assignment, Options};
use lixiang_core::assign::edit::{self, PairChange};
use lixiang_core::assign::settings::{self, AssignmentSettings};
use lixiang_core::calendar::Moment;
use lixiang_core::conflict::desk as conflicts;
use lixiang_core::expert::desk as pool;
use lixiang_core::expert::view::{
    assignment_view, conflict_views, entry_fields, AssignmentView, ConflictView, EditView, EntryFieldView, ExpertView,
    ImportView,
};
use lixiang_core::expert::xlsx;
use lixiang_core::CoreError;
use std::path::PathBuf;
use tauri::{AppHandle, State};

/// The pool, in pinyin order.
#[tauri::command]
#[specta::specta]
pub async fn experts_list(state: State<'_, AppState>) -> Result<Vec<ExpertView>, IpcError> {
    state.with_workspace(|ws| Ok(pool::pool(ws)?.iter().map(ExpertView::from).collect())).await
}

/// Saves the import template (or, with `sample`, a sheet of that many synthetic experts) where the
/// person chooses. `None` when the dialog is cancelled.
#[tauri::command]
#[specta::specta]
pub async fn expert_template_save(
    app: AppHandle,
    state: State<'_, AppState>,
    sample: Option<u32>,
) -> Result<Option<String>, IpcError> {
    let lang = state.lang();
    let title = lang.pick("保存专家导入模板", "Save the expert import template");
    let name = lang.pick("专家导入模板.xlsx", "expert-template.xlsx").to_string();
    let Some(path) = dialogs::save_file(&app, lang, title, ("Excel", &["xlsx"]), name).await? else { return Ok(None) };
    let bytes = match sample {
        Some(n) => xlsx::write_sheet(&xlsx::sample_rows(n as usize)),
        None => xlsx::write_template(),
    }
    .map_err(|e| IpcError::from_core(&e, lang))?;
    std::fs::write(&path, bytes)
        .map_err(|source| IpcError::from_core(&CoreError::FileWrite { path: path.clone(), source }, lang))?;
    Ok(Some(path.display().to_string()))
}

/// Asks for the filled sheet with the open dialog; `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn expert_import_choose(app: AppHandle, state: State<'_, AppState>) -> Result<Option<String>, IpcError> {
    let lang = state.lang();
    let title = lang.pick("选择专家表格", "Choose the expert sheet");
    let picked = dialogs::open_file(&app, lang, title, Some(("Excel", &["xlsx"]))).await?;
    Ok(picked.map(|p| p.display().to_string()))
}

/// Reads and checks the sheet; writes the rows only with `confirm` and when no row is bad (one
/// transaction). The report says row by row what was (or would be) done.
#[tauri::command]
#[specta::specta]
pub async fn expert_import(
    state: State<'_, AppState>,
    path: String,
    confirm: bool,
    update: bool,
) -> Result<ImportView, IpcError> {
    let lang = state.lang();
    let path = PathBuf::from(path);
    let bytes = std::fs::read(&path)
        .map_err(|source| IpcError::from_core(&CoreError::WorkspaceIo { path: path.clone(), source }, lang))?;
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    state
        .with_workspace(move |ws| {
            let report = pool::import(ws, &file, &bytes, Moment::now_utc().shanghai_date(), update, confirm)?;
            Ok(ImportView::from(&report))
        })
        .await
}

/// The fields of the manual-entry form (the template's columns, with their notes and choices).
#[tauri::command]
#[specta::specta]
pub async fn expert_entry_fields() -> Result<Vec<EntryFieldView>, IpcError> {
    Ok(entry_fields())
}

/// One expert entered by hand, checked exactly as a template row; written only with `confirm` and no problem.
/// The report names each problem by its field.
#[tauri::command]
#[specta::specta]
pub async fn expert_enter(
    state: State<'_, AppState>,
    fields: Vec<(String, String)>,
    confirm: bool,
    update: bool,
) -> Result<ImportView, IpcError> {
    state
        .with_workspace(move |ws| {
            let report = pool::enter(ws, &fields, Moment::now_utc().shanghai_date(), update, confirm)?;
            Ok(ImportView::from(&report))
        })
        .await
}

/// The current values of an expert for the edit form: (column header, text) for every template column.
#[tauri::command]
#[specta::specta]
pub async fn expert_entry_values(
    state: State<'_, AppState>,
    expert: String,
) -> Result<Vec<(String, String)>, IpcError> {
    state.with_workspace(move |ws| pool::entry_values(ws, &expert)).await
}

/// Edits an expert of the pool with the form's fields, checked exactly as a template row; the document number
/// cannot change. Written only with `confirm`, no problem and a change (one audit event listing the changes).
#[tauri::command]
#[specta::specta]
pub async fn expert_edit(
    state: State<'_, AppState>,
    expert: String,
    fields: Vec<(String, String)>,
    confirm: bool,
) -> Result<EditView, IpcError> {
    state
        .with_workspace(move |ws| {
            let report = pool::edit(ws, &expert, &fields, Moment::now_utc().shanghai_date(), confirm)?;
            Ok(EditView::from(&report))
        })
        .await
}

/// Runs the assignment of a call's round (1-based) with the call's settings, records it in the audit
/// chain, and answers it with the items' and experts' names.
#[tauri::command]
#[specta::specta]
pub async fn assignment_run(
    state: State<'_, AppState>,
    call: String,
    round: u32,
    per_item: Option<u32>,
    max_load: Option<u32>,
) -> Result<AssignmentView, IpcError> {
    state
        .with_workspace(move |ws| {
            let s = settings::of_call(ws, &call)?;
            let options = Options {
                per_item,
                max_load: max_load.or(s.max_load),
                conflicts: s.conflicts(),
                weights: Some(s.weights),
                industry_user: s.industry_user.clone(),
            };
            let run = assignment::run(ws, &call, round, &options)?;
            let experts = pool::pool(ws)?;
            Ok(assignment_view(&run, &experts))
        })
        .await
}

/// Every conflict of interest (回避) between the pool and a call's applications, with its reason.
#[tauri::command]
#[specta::specta]
pub async fn conflicts_list(state: State<'_, AppState>, call: String) -> Result<Vec<ConflictView>, IpcError> {
    state
        .with_workspace(move |ws| {
            let rules = settings::of_call(ws, &call)?.conflicts();
            let found = conflicts::for_call(ws, &call, &rules)?;
            let call_id = lixiang_core::call::desk::get(ws, &call)?.id.to_string();
            let reasons = edit::override_reasons(ws, &call_id)?;
            Ok(conflict_views(&found, &pool::pool(ws)?, &reasons))
        })
        .await
}

/// Pins, unpins, removes or restores an (application, expert) pair of a call's round with the officer's
/// reason (recorded and audited); the next run honours it.
#[tauri::command]
#[specta::specta]
pub async fn assignment_pair_change(
    state: State<'_, AppState>,
    call: String,
    round: u32,
    expert: String,
    item: String,
    change: String,
    reason: String,
) -> Result<(), IpcError> {
    let lang = state.lang();
    let change = match change.as_str() {
        "pin" => PairChange::Pin,
        "unpin" => PairChange::Unpin,
        "remove" => PairChange::Remove,
        "restore" => PairChange::Restore,
        other => {
            return Err(IpcError::from_core(
                &CoreError::Validation { field: "change".into(), reason: format!("unknown change {other}") },
                lang,
            ))
        }
    };
    state
        .with_workspace(move |ws| {
            let rules = settings::of_call(ws, &call)?.conflicts();
            edit::change_pair(ws, &call, round, &expert, &item, change, &reason, &rules).map(|_| ())
        })
        .await
}

/// Allows a pair the rules exclude for a soft conflict (never a hard one), with the officer's reason
/// (recorded and audited as an override).
#[tauri::command]
#[specta::specta]
pub async fn conflict_override(
    state: State<'_, AppState>,
    call: String,
    expert: String,
    item: String,
    reason: String,
) -> Result<(), IpcError> {
    state
        .with_workspace(move |ws| {
            let rules = settings::of_call(ws, &call)?.conflicts();
            edit::override_conflict(ws, &call, &expert, &item, &reason, &rules).map(|_| ())
        })
        .await
}

/// Takes back an override with the officer's reason (recorded and audited); the pair is excluded again from the
/// next run. A pair still pinned in a round is refused until it is unpinned.
#[tauri::command]
#[specta::specta]
pub async fn conflict_override_withdraw(
    state: State<'_, AppState>,
    call: String,
    expert: String,
    item: String,
    reason: String,
) -> Result<(), IpcError> {
    state
        .with_workspace(move |ws| {
            let rules = settings::of_call(ws, &call)?.conflicts();
            edit::withdraw_override(ws, &call, &expert, &item, &reason, &rules).map(|_| ())
        })
        .await
}

/// Attaches a trusted expert key card (a contact) to an expert entry, so packets can be encrypted to them.
#[tauri::command]
#[specta::specta]
pub async fn expert_attach_key(
    state: State<'_, AppState>,
    expert: String,
    key_id: String,
) -> Result<ExpertView, IpcError> {
    state.with_workspace(move |ws| Ok(ExpertView::from(&pool::attach_key(ws, &expert, &key_id)?))).await
}

/// The call's assignment settings (the defaults when never set).
#[tauri::command]
#[specta::specta]
pub async fn assignment_settings_get(state: State<'_, AppState>, call: String) -> Result<AssignmentSettings, IpcError> {
    state.with_workspace(move |ws| settings::of_call(ws, &call)).await
}

/// Changes the call's assignment settings with the officer's reason (checked, recorded and audited).
#[tauri::command]
#[specta::specta]
pub async fn assignment_settings_set(
    state: State<'_, AppState>,
    call: String,
    settings: AssignmentSettings,
    reason: String,
) -> Result<AssignmentSettings, IpcError> {
    state.with_workspace(move |ws| Ok(settings::set(ws, &call, &settings, &reason)?.settings)).await
}
