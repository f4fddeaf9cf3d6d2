//! The commands of review: the expert's packets, the reading of an application and of its attachments
//! (bytes for the in-app viewer), the sheet (draft saved as typed, sealed, conflict declared), the
//! return (save dialog), the removal of contents; the office's packet export (folder dialog), the
//! progress of returns and the ranking of a round. Each converts and delegates to
//! `lixiang_core::review`, as `lixiang packet …`, `lixiang review …` and `lixiang rank` do.

use crate::dialogs;
use crate::state::AppState;
use crate::IpcError;
use lixiang_core::calendar::Moment;
use lixiang_core::review::decision;
use lixiang_core::review::expert::{self, PacketSummary, ReturnWritten, SealedReceipt, SheetState};
use lixiang_core::review::issue::{self, IssuedPacket, Recipients};
use lixiang_core::review::office::{self, Progress};
use lixiang_core::review::paper::{self, PaperImport};
use lixiang_core::review::reading;
use lixiang_core::review::sheet::SheetDraft;
use lixiang_core::review::view::{self, DecisionsView, ItemReading, PacketView, RankingView};
use lixiang_core::score::Method;
use lixiang_core::Lang;
use std::time::Instant;
use tauri::{AppHandle, State};

/// The packets this expert holds, newest first.
#[tauri::command]
#[specta::specta]
pub async fn review_packets(state: State<'_, AppState>) -> Result<Vec<PacketSummary>, IpcError> {
    state.with_workspace(expert::packets).await
}

/// One packet with its form and items.
#[tauri::command]
#[specta::specta]
pub async fn review_packet(state: State<'_, AppState>, packet_id: String) -> Result<PacketView, IpcError> {
    state.with_workspace(move |ws| view::packet_view(ws, &packet_id)).await
}

/// An application of the packet, as the expert reads it.
#[tauri::command]
#[specta::specta]
pub async fn review_item(
    state: State<'_, AppState>,
    packet_id: String,
    number: String,
) -> Result<ItemReading, IpcError> {
    state.with_workspace(move |ws| view::item_reading(ws, &packet_id, &number)).await
}

/// Bytes that travel to the window as they are: an `ArrayBuffer` on the IPC's custom protocol, instead
/// of a JSON array of numbers (ten times the size, and slow to parse, for a PDF of megabytes). Where
/// the webview falls back to `postMessage` the bytes still arrive as `number[]`, hence the union type.
pub struct RawBytes(pub Vec<u8>);

impl tauri::ipc::IpcResponse for RawBytes {
    fn body(self) -> tauri::Result<tauri::ipc::InvokeResponseBody> {
        Ok(tauri::ipc::InvokeResponseBody::Raw(self.0))
    }
}

impl specta::Type for RawBytes {
    fn definition(_: &mut specta::Types) -> specta::datatype::DataType {
        specta::datatype::DataType::Reference(specta_typescript::define("ArrayBuffer | number[]"))
    }
}

/// An attachment of an application in the packet, read from the workspace into memory and checked
/// against its SHA-256, for the window to show (a PDF is rendered in the app). Nothing is written to
/// disk: no temporary file, no download. Refused with a `reading.*` code when the item may no longer
/// be read (conflict declared, contents removed, packet replaced) or the file is missing or damaged.
#[tauri::command]
#[specta::specta]
pub async fn review_attachment(
    state: State<'_, AppState>,
    packet_id: String,
    number: String,
    sha256: String,
) -> Result<RawBytes, IpcError> {
    let read = state.with_workspace(move |ws| reading::read_attachment(ws, &packet_id, &number, &sha256)).await?;
    Ok(RawBytes(read.bytes))
}

/// A sheet's draft, problems and status.
#[tauri::command]
#[specta::specta]
pub async fn review_sheet(
    state: State<'_, AppState>,
    packet_id: String,
    number: String,
) -> Result<SheetState, IpcError> {
    state.with_workspace(move |ws| expert::sheet_state(ws, &packet_id, &number)).await
}

/// Saves a sheet's draft as typed and returns its check.
#[tauri::command]
#[specta::specta]
pub async fn review_sheet_save(
    state: State<'_, AppState>,
    packet_id: String,
    number: String,
    draft: SheetDraft,
) -> Result<SheetState, IpcError> {
    state.with_workspace(move |ws| expert::save_draft(ws, &packet_id, &number, &draft)).await
}

/// Seals a sheet; the receipt is shown to the expert.
#[tauri::command]
#[specta::specta]
pub async fn review_sheet_seal(
    state: State<'_, AppState>,
    packet_id: String,
    number: String,
) -> Result<SealedReceipt, IpcError> {
    state.with_workspace(move |ws| expert::seal(ws, &packet_id, &number)).await
}

/// Declares a conflict of interest on an application of the packet.
#[tauri::command]
#[specta::specta]
pub async fn review_conflict(
    state: State<'_, AppState>,
    packet_id: String,
    number: String,
    reason: String,
) -> Result<SheetState, IpcError> {
    state.with_workspace(move |ws| expert::declare_conflict(ws, &packet_id, &number, &reason)).await
}

/// Writes the return for the office where the expert chooses; `None` when the dialog is cancelled.
#[tauri::command]
#[specta::specta]
pub async fn review_return(
    app: AppHandle,
    state: State<'_, AppState>,
    packet_id: String,
) -> Result<Option<ReturnWritten>, IpcError> {
    let lang = state.lang();
    if !state.keys.is_unlocked(Instant::now()) {
        return Err(IpcError::locked(lang));
    }
    let code = {
        let id = packet_id.clone();
        state.with_workspace(move |ws| Ok(expert::held(ws, &id)?.payload.call_code)).await?
    };
    let title = lang.pick("保存评审结果文件包", "Save the review return package");
    let filter = (lang.pick("立项文件包", "Lixiang package"), &["lxpkg"][..]);
    let proposed = format!("review-return-{code}.lxpkg");
    let Some(path) = dialogs::save_file(&app, lang, title, filter, proposed).await? else { return Ok(None) };
    let keys = state.keys.use_keys(Instant::now()).ok_or_else(|| IpcError::locked(lang))?;
    state.with_workspace(move |ws| expert::write_return(ws, &keys, &packet_id, &path)).await.map(Some)
}

/// Removes the application contents of a fully returned packet; the number of attachment files deleted.
#[tauri::command]
#[specta::specta]
pub async fn review_remove_contents(state: State<'_, AppState>, packet_id: String) -> Result<u32, IpcError> {
    state.with_workspace(move |ws| expert::remove_contents(ws, &packet_id)).await
}

/// Writes every assigned expert's packet of a call's round into a folder the officer chooses; `None`
/// when the dialog is cancelled.
#[tauri::command]
#[specta::specta]
pub async fn packets_export(
    app: AppHandle,
    state: State<'_, AppState>,
    call: String,
    round: u32,
) -> Result<Option<Vec<IssuedPacket>>, IpcError> {
    let lang = state.lang();
    if !state.keys.is_unlocked(Instant::now()) {
        return Err(IpcError::locked(lang));
    }
    let title = lang.pick("选择保存评审包的文件夹", "Choose the folder for the review packets");
    let Some(dir) = dialogs::pick_folder(&app, lang, title).await? else { return Ok(None) };
    let keys = state.keys.use_keys(Instant::now()).ok_or_else(|| IpcError::locked(lang))?;
    state
        .with_workspace(move |ws| issue::export(ws, &keys, &call, round, &Recipients::All { out_dir: dir }))
        .await
        .map(Some)
}

/// The returns of a round per expert and per application.
#[tauri::command]
#[specta::specta]
pub async fn review_progress(state: State<'_, AppState>, call: String, round: u32) -> Result<Progress, IpcError> {
    state.with_workspace(move |ws| office::progress(ws, &call, round)).await
}

/// The ranking of a round by a method, with every method's rank and the funding line.
#[tauri::command]
#[specta::specta]
pub async fn round_ranking(
    state: State<'_, AppState>,
    call: String,
    round: u32,
    method: Method,
) -> Result<RankingView, IpcError> {
    state.with_workspace(move |ws| view::ranking(ws, &call, round, method)).await
}

/// Prints a sealed sheet to a PDF the expert chooses (then opens it); `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn review_sheet_print(
    app: AppHandle,
    state: State<'_, AppState>,
    packet_id: String,
    number: String,
) -> Result<Option<crate::commands::SavedPdf>, IpcError> {
    let lang = state.lang();
    let title = lang.pick("保存评分表 PDF", "Save the score sheet as PDF");
    let name = format!("{}-{number}.pdf", lang.pick("评分表", "score-sheet"));
    let Some(path) = crate::applications::ask_pdf_path(&app, lang, title, name).await? else { return Ok(None) };
    let pdf = state
        .with_workspace(move |ws| {
            let opts = lixiang_pdf::RenderOptions { lang, created: lixiang_pdf::Created::from_env_or_now() };
            lixiang_pdf::sheet::sheet_pdf(ws, &packet_id, &number, &opts)
        })
        .await?;
    crate::applications::save_and_open(app, lang, path, pdf).await
}

/// Writes the round's ranking workbook where the officer chooses, then opens it as the other report
/// exports do ([`crate::reports::save_and_open`]); `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn ranking_export(
    app: AppHandle,
    state: State<'_, AppState>,
    call: String,
    round: u32,
    method: Method,
) -> Result<Option<crate::reports::SavedReport>, IpcError> {
    let lang = state.lang();
    let title = lang.pick("保存排名表", "Save the ranking workbook");
    let name = format!("{}-R{round}.xlsx", lang.pick("排名表", "ranking"));
    let Some(path) = dialogs::save_file(&app, lang, title, ("Excel", &["xlsx"]), name).await? else { return Ok(None) };
    let bytes = state
        .with_workspace(move |ws| {
            let made_at = lixiang_core::calendar::Moment::now_utc().to_string();
            lixiang_core::report::ranking::ranking_xlsx(ws, &call, round, method, &made_at)
        })
        .await?;
    tauri::async_runtime::spawn_blocking(move || crate::reports::save_and_open(&app, &path, &bytes))
        .await
        .map_err(|e| IpcError::internal(lang, e))?
        .map(Some)
        .map_err(|e| IpcError::from_core(&e, lang))
}

/// Saves the packet's paper score-sheet template (xlsx) where the expert chooses; `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn scoresheet_template_save(
    app: AppHandle,
    state: State<'_, AppState>,
    packet_id: String,
) -> Result<Option<String>, IpcError> {
    let lang = state.lang();
    let code = {
        let id = packet_id.clone();
        state.with_workspace(move |ws| Ok(expert::held(ws, &id)?.payload.call_code)).await?
    };
    let title = lang.pick("保存纸质评分表", "Save the paper score sheet");
    let name = format!("{}-{code}.xlsx", lang.pick("评分表", "score-sheet"));
    let Some(path) = dialogs::save_file(&app, lang, title, ("Excel", &["xlsx"]), name).await? else { return Ok(None) };
    let bytes = state.with_workspace(move |ws| paper::template(ws, &packet_id)).await?;
    std::fs::write(&path, bytes).map_err(|source| {
        IpcError::from_core(&lixiang_core::CoreError::FileWrite { path: path.clone(), source }, lang)
    })?;
    Ok(Some(path.display().to_string()))
}

/// Imports a filled paper score sheet chosen with the open dialog: every bad cell reported and nothing
/// written, or every row saved as a draft (and sealed, with `seal`) in one transaction. `None` when
/// cancelled.
#[tauri::command]
#[specta::specta]
pub async fn scoresheet_import(
    app: AppHandle,
    state: State<'_, AppState>,
    packet_id: String,
    seal: bool,
) -> Result<Option<PaperImport>, IpcError> {
    let lang = state.lang();
    let title = lang.pick("选择填好的纸质评分表", "Choose the filled paper score sheet");
    let Some(path) = dialogs::open_file(&app, lang, title, Some(("Excel", &["xlsx"]))).await? else { return Ok(None) };
    let bytes = std::fs::read(&path).map_err(|source| {
        IpcError::from_core(&lixiang_core::CoreError::WorkspaceIo { path: path.clone(), source }, lang)
    })?;
    let file = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    state.with_workspace(move |ws| paper::import(ws, &packet_id, &file, &bytes, seal)).await.map(Some)
}

/// A round's decisions (recommendation list, 公示, objections, final decisions); `None` before the
/// recommendation list is made.
#[tauri::command]
#[specta::specta]
pub async fn decisions_get(
    state: State<'_, AppState>,
    call: String,
    round: u32,
) -> Result<Option<DecisionsView>, IpcError> {
    state
        .with_workspace(move |ws| match decision::show(ws, &call, round) {
            Ok(d) => Ok(Some(DecisionsView::from(&d))),
            Err(lixiang_core::CoreError::DecisionRefused { code: "decision.no_recommendation", .. }) => Ok(None),
            Err(e) => Err(e),
        })
        .await
}

/// Makes (or makes again, before the 公示) the recommendation list from the ranking by `method` and
/// the funding line.
#[tauri::command]
#[specta::specta]
pub async fn decisions_recommend(
    state: State<'_, AppState>,
    call: String,
    round: u32,
    method: Method,
) -> Result<DecisionsView, IpcError> {
    state
        .with_workspace(move |ws| {
            let input = decision::RecommendInput { method: Some(method), ..Default::default() };
            let d = decision::recommend(ws, &call, round, &input, Moment::now_utc())?;
            Ok(DecisionsView::from(&d))
        })
        .await
}

/// Starts the 公示 of the recommendation list today, for `days` calendar days.
#[tauri::command]
#[specta::specta]
pub async fn decisions_publicity(
    state: State<'_, AppState>,
    call: String,
    round: u32,
    days: u32,
) -> Result<DecisionsView, IpcError> {
    state
        .with_workspace(move |ws| {
            let now = Moment::now_utc();
            decision::start_publicity(ws, &call, round, now.shanghai_date(), days, now)?;
            Ok(DecisionsView::from(&decision::show(ws, &call, round)?))
        })
        .await
}

/// Records the final decisions once the 公示 has ended with every objection resolved, and writes each
/// applicant's result package into a folder the officer chooses; `None` when the dialog is cancelled.
#[tauri::command]
#[specta::specta]
pub async fn decisions_final(
    app: AppHandle,
    state: State<'_, AppState>,
    call: String,
    round: u32,
) -> Result<Option<DecisionsView>, IpcError> {
    let lang = state.lang();
    if !state.keys.is_unlocked(Instant::now()) {
        return Err(IpcError::locked(lang));
    }
    {
        // Refused before the folder is asked for when the round cannot be decided yet.
        let (c, tmp) = (call.clone(), std::env::temp_dir());
        state
            .with_workspace(move |ws| {
                decision::check_final(ws, &c, round, &decision::FinalInput::default(), Moment::now_utc(), &tmp)
                    .map(|_| ())
            })
            .await?;
    }
    let title = lang.pick("立项结果文件包：输入新文件夹的名称", "Result packages: name the new folder");
    let name = match lang {
        Lang::Zh => format!("立项结果-{call}-第{round}轮"),
        Lang::En => format!("results-{call}-round-{round}"),
    };
    let Some(folder) = dialogs::new_folder_made(&app, lang, title, name).await? else { return Ok(None) };
    let keys = state.keys.use_keys(Instant::now()).ok_or_else(|| IpcError::locked(lang))?;
    let dir = folder.path.clone();
    let decided = state
        .with_workspace(move |ws| {
            decision::finalize(ws, &keys, &call, round, &decision::FinalInput::default(), Moment::now_utc(), &dir)?;
            Ok(Some(DecisionsView::from(&decision::show(ws, &call, round)?)))
        })
        .await;
    if decided.is_err() {
        folder.discard_if_unused();
    }
    decided
}

/// Writes the result packages of a round's final decisions again (byte for byte) into a folder the officer
/// picks, under the names they were first written with; records nothing. `None` when cancelled.
#[tauri::command]
#[specta::specta]
pub async fn decisions_resend(
    app: AppHandle,
    state: State<'_, AppState>,
    call: String,
    round: u32,
) -> Result<Option<Vec<lixiang_core::outgoing::Resent>>, IpcError> {
    let lang = state.lang();
    if !state.keys.is_unlocked(Instant::now()) {
        return Err(IpcError::locked(lang));
    }
    let title = lang.pick("选择重新导出立项结果文件包的文件夹", "Choose the folder to write the result packages again");
    let Some(dir) = dialogs::pick_folder(&app, lang, title).await? else { return Ok(None) };
    let keys = state.keys.use_keys(Instant::now()).ok_or_else(|| IpcError::locked(lang))?;
    state
        .with_workspace(move |ws| lixiang_core::outgoing::resend_funding(ws, &keys, &call, round, &[], &dir))
        .await
        .map(Some)
}
