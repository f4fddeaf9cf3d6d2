//! The commands of calls and applications: the calls held, the applicant's applications (a new draft,
//! the form as typed, autosave with the live check, attachments through the open dialog, the submission
//! summary and the submission through the save dialog) and the office's list of received applications.
//! Each converts and delegates to `lixiang_core::application::desk` and `call::desk`, as `lixiang call …`
//! and `lixiang application …` do.

use crate::commands::SavedPdf;
use crate::dialogs;
use crate::state::AppState;
use crate::IpcError;
use lixiang_core::application::desk::{self, MyApplication, SubmitPreview, Submitted};
use lixiang_core::application::editor::{EditorContext, FormCheck};
use lixiang_core::application::form::{ApplicationForm, AttachmentForm};
use lixiang_core::application::formal::{self, Decided, Decision, DecisionInput, FormalReport};
use lixiang_core::application::office::{self, ListPage, ListQuery};
use lixiang_core::application::print::print_source;
use lixiang_core::calendar::Date;
use lixiang_core::calendar::Moment;
use lixiang_core::call::desk::{self as calls, CallSummary};
use lixiang_core::CoreError;
use lixiang_core::Lang;
use lixiang_pdf::application::Part;
use serde::Serialize;
use std::path::PathBuf;
use std::time::Instant;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;

/// Every call this workspace holds (published here or imported), newest revision of each.
#[tauri::command]
#[specta::specta]
pub async fn calls_list(state: State<'_, AppState>) -> Result<Vec<CallSummary>, IpcError> {
    state.with_workspace(calls::list).await
}

/// The applicant's applications with where each stands.
#[tauri::command]
#[specta::specta]
pub async fn applications_mine(state: State<'_, AppState>) -> Result<Vec<MyApplication>, IpcError> {
    state.with_workspace(desk::my_applications).await
}

/// A new, empty application for a call, saved at once.
#[tauri::command]
#[specta::specta]
pub async fn application_new(state: State<'_, AppState>, call_id: String) -> Result<ApplicationForm, IpcError> {
    state.with_workspace(move |ws| desk::new_draft(ws, &call_id)).await
}

/// A draft as typed.
#[tauri::command]
#[specta::specta]
pub async fn application_get(state: State<'_, AppState>, id: String) -> Result<ApplicationForm, IpcError> {
    state.with_workspace(move |ws| desk::get_form(ws, &id)).await
}

/// The rules of a call as the editor shows them.
#[tauri::command]
#[specta::specta]
pub async fn application_context(state: State<'_, AppState>, call_id: String) -> Result<EditorContext, IpcError> {
    state.with_workspace(move |ws| desk::editor_context(ws, &call_id)).await
}

/// What an autosave answers: when it was saved and the live check of what was saved.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct FormSaved {
    pub saved_at: String,
    pub check: FormCheck,
}

/// Saves the form as typed (the editor calls it after each pause in typing, and on Ctrl+S), then
/// checks it: problems by section and the budget's figures.
#[tauri::command]
#[specta::specta]
pub async fn application_save(state: State<'_, AppState>, form: ApplicationForm) -> Result<FormSaved, IpcError> {
    state
        .with_workspace(move |ws| {
            let saved_at = desk::save_form(ws, &form)?;
            let check = desk::check_form(ws, &form, Moment::now_utc().shanghai_date())?;
            Ok(FormSaved { saved_at, check })
        })
        .await
}

/// Checks a form without saving it (the editor's first look at a draft it just opened).
#[tauri::command]
#[specta::specta]
pub async fn application_check(state: State<'_, AppState>, form: ApplicationForm) -> Result<FormCheck, IpcError> {
    state.with_workspace(move |ws| desk::check_form(ws, &form, Moment::now_utc().shanghai_date())).await
}

/// Asks for a file with the open dialog and adds it to the attachment store for the call's attachment
/// `rule`; the editor puts the answer into the form. `None` when the person cancels.
#[tauri::command]
#[specta::specta]
pub async fn application_attach(
    app: AppHandle,
    state: State<'_, AppState>,
    call_id: String,
    rule: String,
) -> Result<Option<AttachmentForm>, IpcError> {
    let lang = state.lang();
    let title = lang.pick("选择附件文件", "Choose the file to attach");
    let Some(path) = dialogs::open_file(&app, lang, title, None).await? else { return Ok(None) };
    state.with_workspace(move |ws| desk::attach_file(ws, &call_id, &rule, &path)).await.map(Some)
}

/// What a submission would seal now, with anything that stops it.
#[tauri::command]
#[specta::specta]
pub async fn application_submit_preview(state: State<'_, AppState>, id: String) -> Result<SubmitPreview, IpcError> {
    state.with_workspace(move |ws| desk::submit_preview(ws, &id, Moment::now_utc())).await
}

/// Seals the draft as its next version and writes the submission package where the person chooses
/// (save dialog). Needs the unlocked keys; `None` when the dialog is cancelled.
#[tauri::command]
#[specta::specta]
pub async fn application_submit(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
) -> Result<Option<Submitted>, IpcError> {
    let lang = state.lang();
    if !state.keys.is_unlocked(Instant::now()) {
        return Err(IpcError::locked(lang));
    }
    let title = {
        let id = id.clone();
        state.with_workspace(move |ws| desk::get_form(ws, &id).map(|f| f.title)).await?
    };
    let name: String = title.chars().filter(|c| !"/\\:*?\"<>|".contains(*c)).take(40).collect();
    let title = lang.pick("保存申报文件包", "Save the submission package");
    let filter = (lang.pick("立项文件包", "Lixiang package"), &["lxpkg"][..]);
    let proposed = format!("{}-{}.lxpkg", lang.pick("申报", "submission"), name);
    let Some(path) = dialogs::save_file(&app, lang, title, filter, proposed).await? else { return Ok(None) };
    let keys = state.keys.use_keys(Instant::now()).ok_or_else(|| IpcError::locked(lang))?;
    state.with_workspace(move |ws| desk::submit(ws, &keys, &id, Moment::now_utc(), &path)).await.map(Some)
}

/// A page of the office's list of received applications: filtered, searched (Chinese substrings and
/// pinyin initials), sorted and paged in one query, with 申报编号, status and flags (late, 查重, 限项), and
/// the count of the whole filtered list.
#[tauri::command]
#[specta::specta]
pub async fn applications_received(state: State<'_, AppState>, query: ListQuery) -> Result<ListPage, IpcError> {
    state.with_workspace(move |ws| office::office_page(ws, &query)).await
}

/// Asks where to save a PDF (save dialog, `name` proposed); `None` when cancelled.
pub(crate) async fn ask_pdf_path(
    app: &AppHandle,
    lang: Lang,
    title: &str,
    name: String,
) -> Result<Option<PathBuf>, IpcError> {
    dialogs::save_file(app, lang, title, ("PDF", &["pdf"]), name).await
}

/// Writes a rendered PDF and opens it in the system's viewer (a machine without one keeps the file).
fn saved(app: &AppHandle, path: &std::path::Path, pdf: &lixiang_pdf::Pdf) -> lixiang_core::Result<SavedPdf> {
    lixiang_pdf::write_file(path, &pdf.bytes)?;
    let shown = path.display().to_string();
    let opened = app.opener().open_path(shown.clone(), None::<&str>).is_ok();
    Ok(SavedPdf { path: shown, pages: u32::try_from(pdf.pages).unwrap_or(u32::MAX), opened })
}

/// [`saved`] off the async runtime (the write and the viewer's start block), as a command's answer.
pub(crate) async fn save_and_open(
    app: AppHandle,
    lang: Lang,
    path: PathBuf,
    pdf: lixiang_pdf::Pdf,
) -> Result<Option<SavedPdf>, IpcError> {
    tauri::async_runtime::spawn_blocking(move || saved(&app, &path, &pdf))
        .await
        .map_err(|e| IpcError::internal(lang, e))?
        .map(Some)
        .map_err(|e| IpcError::from_core(&e, lang))
}

/// Prints an application (the draft, or its newest sealed version when there is no draft) as the
/// 申报书 with its 承诺书 pages, or the 承诺书 pages alone to sign and stamp; the same document as
/// `lixiang application print`. `None` when the dialog is cancelled.
#[tauri::command]
#[specta::specta]
pub async fn application_print(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    pledge_only: bool,
) -> Result<Option<SavedPdf>, IpcError> {
    let lang = state.lang();
    let source = {
        let id = id.clone();
        state.with_workspace(move |ws| print_source(ws, &id, None)).await?
    };
    let name = match (pledge_only, lang) {
        (true, Lang::Zh) => "承诺书.pdf".to_string(),
        (true, Lang::En) => "pledges.pdf".to_string(),
        (false, Lang::Zh) => "申报书.pdf".to_string(),
        (false, Lang::En) => "application.pdf".to_string(),
    };
    let title = lang.pick("保存申报书 PDF", "Save the application as PDF");
    let Some(path) = ask_pdf_path(&app, lang, title, name).await? else { return Ok(None) };
    let part = if pledge_only { Part::PledgeOnly } else { Part::Full };
    // Laid out off the workspace lock (the first print loads the fonts: seconds).
    tauri::async_runtime::spawn_blocking(move || -> lixiang_core::Result<SavedPdf> {
        let opts = lixiang_pdf::RenderOptions { lang, created: lixiang_pdf::Created::from_env_or_now() };
        let pdf = lixiang_pdf::application::render(&source, part, &opts)?;
        saved(&app, &path, &pdf)
    })
    .await
    .map_err(|e| IpcError::internal(lang, e))?
    .map(Some)
    .map_err(|e| IpcError::from_core(&e, lang))
}

/// Prints a call as the 指南 for publication, as `lixiang call print` does.
#[tauri::command]
#[specta::specta]
pub async fn call_print(
    app: AppHandle,
    state: State<'_, AppState>,
    call_id: String,
) -> Result<Option<SavedPdf>, IpcError> {
    let lang = state.lang();
    let code = {
        let id = call_id.clone();
        state.with_workspace(move |ws| calls::get(ws, &id).map(|c| c.code)).await?
    };
    let title = lang.pick("保存指南 PDF", "Save the call as PDF");
    let Some(path) = ask_pdf_path(&app, lang, title, format!("{code}.pdf")).await? else { return Ok(None) };
    let pdf = state
        .with_workspace(move |ws| {
            let opts = lixiang_pdf::RenderOptions { lang, created: lixiang_pdf::Created::from_env_or_now() };
            lixiang_pdf::call::call_pdf(ws, &call_id, &opts)
        })
        .await?;
    save_and_open(app, lang, path, pdf).await
}

/// The formal-check report (形式审查) of an application's newest version received: the rule report with
/// 限项 counts and 查重 hits, and whether a decision may be recorded now.
#[tauri::command]
#[specta::specta]
pub async fn formal_report(state: State<'_, AppState>, number: String) -> Result<FormalReport, IpcError> {
    state.with_workspace(move |ws| formal::formal_check(ws, &number, Moment::now_utc())).await
}

/// Records the officer's decision (audited) and writes the result package for the applicant where the
/// person chooses (save dialog); a return needs reasons and a fix-by date (`YYYY-MM-DD`), a refusal
/// reasons. Needs the unlocked keys; `None` when the dialog is cancelled.
#[tauri::command]
#[specta::specta]
pub async fn formal_decide(
    app: AppHandle,
    state: State<'_, AppState>,
    number: String,
    decision: Decision,
    reasons: Vec<String>,
    fix_by: Option<String>,
) -> Result<Option<Decided>, IpcError> {
    let lang = state.lang();
    if !state.keys.is_unlocked(Instant::now()) {
        return Err(IpcError::locked(lang));
    }
    let fix_by = match fix_by.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(t) => Some(Date::parse(t).ok_or_else(|| {
            IpcError::from_core(
                &CoreError::Validation {
                    field: lang.pick("修改截止日期", "fix-by date").into(),
                    reason: lang
                        .pick("应写作 年-月-日，如 2027-03-15", "write it as YYYY-MM-DD, such as 2027-03-15")
                        .into(),
                },
                lang,
            )
        })?),
    };
    let reasons: Vec<String> = reasons.into_iter().map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect();
    let title = lang.pick("保存形式审查结果文件包", "Save the formal-check result package");
    let filter = (lang.pick("立项文件包", "Lixiang package"), &["lxpkg"][..]);
    let proposed = format!("{}-{number}.lxpkg", lang.pick("形式审查结果", "result"));
    let Some(path) = dialogs::save_file(&app, lang, title, filter, proposed).await? else { return Ok(None) };
    let keys = state.keys.use_keys(Instant::now()).ok_or_else(|| IpcError::locked(lang))?;
    let input = DecisionInput { decision, reasons, fix_by };
    state.with_workspace(move |ws| formal::decide(ws, &keys, &number, &input, Moment::now_utc(), &path)).await.map(Some)
}

/// Withdraws a submitted application (撤回, audited) and writes its notice for the office to a file the
/// applicant picks. For an application withdrawn already, only writes the notice again. A refusal (a draft,
/// after the deadline, not accepted) comes before the dialog; `None` when the dialog is cancelled (the
/// withdrawal then stands, and the notice can be written later the same way).
#[tauri::command]
#[specta::specta]
pub async fn application_withdraw(
    app: AppHandle,
    state: State<'_, AppState>,
    id: String,
    reason: String,
) -> Result<Option<lixiang_core::application::withdrawal::NoticeWritten>, IpcError> {
    let lang = state.lang();
    if !state.keys.is_unlocked(Instant::now()) {
        return Err(IpcError::locked(lang));
    }
    let i = id.clone();
    state
        .with_workspace(move |ws| {
            if formal::withdrawal(ws, &i)?.is_none() {
                formal::withdraw(ws, &i, Moment::now_utc(), &reason)?;
            }
            Ok(())
        })
        .await?;
    let title = lang.pick("保存撤回通知文件包（交给受理机构）", "Save the withdrawal notice (for the office)");
    let filter = (lang.pick("立项文件包", "Lixiang package"), &["lxpkg"][..]);
    let proposed = format!("{}.lxpkg", lang.pick("撤回通知", "withdrawal"));
    let Some(path) = dialogs::save_file(&app, lang, title, filter, proposed).await? else { return Ok(None) };
    let keys = state.keys.use_keys(Instant::now()).ok_or_else(|| IpcError::locked(lang))?;
    state
        .with_workspace(move |ws| lixiang_core::application::withdrawal::write_notice(ws, &keys, &id, &path))
        .await
        .map(Some)
}

/// Writes the recorded formal-check result of an application again (byte for byte) to a file the officer
/// picks, e.g. after the first copy was lost or could not be written; records nothing. `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn formal_resend(
    app: AppHandle,
    state: State<'_, AppState>,
    number: String,
) -> Result<Option<lixiang_core::outgoing::Resent>, IpcError> {
    let lang = state.lang();
    if !state.keys.is_unlocked(Instant::now()) {
        return Err(IpcError::locked(lang));
    }
    let title = lang.pick("重新导出形式审查结果文件包", "Export the formal-check result package again");
    let filter = (lang.pick("立项文件包", "Lixiang package"), &["lxpkg"][..]);
    let proposed = format!("{}-{number}.lxpkg", lang.pick("形式审查结果", "result"));
    let Some(path) = dialogs::save_file(&app, lang, title, filter, proposed).await? else { return Ok(None) };
    let keys = state.keys.use_keys(Instant::now()).ok_or_else(|| IpcError::locked(lang))?;
    state.with_workspace(move |ws| lixiang_core::outgoing::resend_formal(ws, &keys, &number, &path)).await.map(Some)
}
