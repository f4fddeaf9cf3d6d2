//! The commands of 揭榜挂帅 at the office: the challenge panel (core-indicator gate, selection, race or
//! bounty), the selection of the team(s) from the ranking, the agreement (任务书) of a selected team (its
//! signed scan chosen in a file dialog), a race's milestone results (the report chosen
//! in a file dialog) and gates, a bounty's acceptance (the supporting file chosen in a dialog) and payout.
//! Each converts and delegates to `lixiang_core::review::challenge`, as `lixiang decide select|agreement|accept|payout`
//! and `lixiang milestone record|gate|show` do.

use crate::dialogs;
use crate::state::AppState;
use crate::IpcError;
use lixiang_core::calendar::{Date, Moment};
use lixiang_core::call::Verdict;
use lixiang_core::money::Fen;
use lixiang_core::review::challenge::{
    self, AcceptInput, AgreementInput, ChallengePanel, GateInput, ResultInput, SelectInput, TeamCall,
};
use lixiang_core::score::Method;
use serde::Deserialize;
use tauri::{AppHandle, State};

/// The challenge panel of a call; `None` for a call of another mode.
#[tauri::command]
#[specta::specta]
pub async fn challenge_get(state: State<'_, AppState>, call: String) -> Result<Option<ChallengePanel>, IpcError> {
    state.with_workspace(move |ws| challenge::panel(ws, &call)).await
}

fn panel(ws: &mut lixiang_core::Workspace, call: &str) -> lixiang_core::Result<ChallengePanel> {
    challenge::panel(ws, call)?.ok_or_else(|| lixiang_core::CoreError::NotFound {
        what: "challenge / 揭榜挂帅榜单".into(),
        key: call.to_string(),
    })
}

/// Selects the team(s) of round `round` by `method`: core indicators met, then the ranking.
#[tauri::command]
#[specta::specta]
pub async fn challenge_select(
    state: State<'_, AppState>,
    call: String,
    round: u32,
    method: Method,
) -> Result<ChallengePanel, IpcError> {
    state
        .with_workspace(move |ws| {
            let input = SelectInput { method: Some(method), ..SelectInput::default() };
            challenge::select(ws, &call, round, &input, Moment::now_utc())?;
            panel(ws, &call)
        })
        .await
}

fn invalid(field: &str, reason: String, lang: lixiang_core::Lang) -> IpcError {
    IpcError::from_core(&lixiang_core::CoreError::Validation { field: field.into(), reason }, lang)
}

/// Records the signed agreement (任务书/协议) of a selected team: its number, the date signed
/// (`YYYY-MM-DD`), the agreed funding in 万元 as typed, and the signed scan (a PDF) chosen in a file dialog;
/// `None` when the dialog is cancelled. The date and amount are checked before the dialog opens.
#[tauri::command]
#[specta::specta]
pub async fn challenge_agreement(
    app: AppHandle,
    state: State<'_, AppState>,
    call: String,
    team: String,
    number: String,
    signed_on: String,
    funding_wan: String,
) -> Result<Option<ChallengePanel>, IpcError> {
    let lang = state.lang();
    let signed_on = Date::parse(signed_on.trim()).ok_or_else(|| {
        invalid("signed_on", format!("签订日期“{signed_on}”应为 YYYY-MM-DD / the date signed must be YYYY-MM-DD"), lang)
    })?;
    let funding = Fen::parse_wan(funding_wan.trim()).map_err(|e| invalid("funding", e.message(lang).into(), lang))?;
    let title = lang.pick("选择签字盖章的任务书扫描件（PDF）", "Choose the signed agreement's scan (PDF)");
    let Some(path) = dialogs::open_file(&app, lang, title, Some(("PDF", &["pdf"]))).await? else { return Ok(None) };
    let file = std::fs::read(&path).map_err(|source| {
        IpcError::from_core(&lixiang_core::CoreError::WorkspaceIo { path: path.clone(), source }, lang)
    })?;
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    state
        .with_workspace(move |ws| {
            let input = AgreementInput {
                number: team,
                agreement_no: number,
                signed_on,
                funding: Some(funding),
                file_name,
                file,
            };
            challenge::record_agreement(ws, &call, &input, Moment::now_utc())?;
            panel(ws, &call).map(Some)
        })
        .await
}

/// Annuls the recorded agreement of `team` before the 公示, with the officer's reason (kept in the audit
/// chain); the selection may then leave the team out.
#[tauri::command]
#[specta::specta]
pub async fn challenge_agreement_annul(
    state: State<'_, AppState>,
    call: String,
    team: String,
    reason: String,
) -> Result<ChallengePanel, IpcError> {
    state
        .with_workspace(move |ws| {
            challenge::annul_agreement(ws, &call, &team, &reason, Moment::now_utc())?;
            panel(ws, &call)
        })
        .await
}

/// Records a team's result at the next milestone: the achieved values (code, value) and the team's report,
/// chosen in a file dialog; `None` when the dialog is cancelled.
#[tauri::command]
#[specta::specta]
pub async fn milestone_record(
    app: AppHandle,
    state: State<'_, AppState>,
    call: String,
    milestone: String,
    team: String,
    values: Vec<(String, String)>,
    note: String,
) -> Result<Option<ChallengePanel>, IpcError> {
    let lang = state.lang();
    let title = lang.pick("选择团队的里程碑报告", "Choose the team's milestone report");
    let Some(path) = dialogs::open_file(&app, lang, title, None).await? else { return Ok(None) };
    let report = std::fs::read(&path).map_err(|source| {
        IpcError::from_core(&lixiang_core::CoreError::WorkspaceIo { path: path.clone(), source }, lang)
    })?;
    let report_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    state
        .with_workspace(move |ws| {
            let input = ResultInput { milestone, number: team, report_name, report, achieved: values, note };
            challenge::record_result(ws, &call, &input, Moment::now_utc())?;
            panel(ws, &call).map(Some)
        })
        .await
}

/// What the window decides for one team at a gate.
#[derive(Debug, Clone, Deserialize, specta::Type)]
pub struct GateChoice {
    pub team: String,
    /// `continue`, `terminate`, `increase` or `merge`.
    pub decision: String,
    /// For `merge`: the team joined.
    pub into: Option<String>,
    /// For `increase` and `merge`: 万元 as typed.
    pub amount_wan: Option<String>,
}

/// Decides the next milestone's gate for every running team.
#[tauri::command]
#[specta::specta]
pub async fn milestone_gate(
    state: State<'_, AppState>,
    call: String,
    milestone: String,
    choices: Vec<GateChoice>,
    reason: String,
) -> Result<ChallengePanel, IpcError> {
    let lang = state.lang();
    let mut calls = Vec::new();
    for c in choices {
        let amount = match c.amount_wan.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => Fen::parse_wan(t).map_err(|e| {
                IpcError::from_core(
                    &lixiang_core::CoreError::Validation { field: "amount".into(), reason: e.message(lang).into() },
                    lang,
                )
            })?,
            None => Fen::ZERO,
        };
        let call = match c.decision.as_str() {
            "terminate" => TeamCall::Terminate,
            "increase" => TeamCall::Increase { amount },
            "merge" => TeamCall::Merge { into: c.into.unwrap_or_default(), amount },
            _ => TeamCall::Continue,
        };
        calls.push((c.team, call));
    }
    state
        .with_workspace(move |ws| {
            challenge::decide_gate(ws, &call, &GateInput { milestone, calls, reason }, Moment::now_utc())?;
            panel(ws, &call)
        })
        .await
}

/// Records the bounty's acceptance: (core indicator, met) for each, with a supporting file chosen in a
/// dialog; `None` when the dialog is cancelled.
#[tauri::command]
#[specta::specta]
pub async fn bounty_accept(
    app: AppHandle,
    state: State<'_, AppState>,
    call: String,
    verdicts: Vec<(String, bool)>,
    note: String,
) -> Result<Option<ChallengePanel>, IpcError> {
    let lang = state.lang();
    let title = lang.pick("选择验收支撑材料", "Choose the acceptance's supporting file");
    let Some(path) = dialogs::open_file(&app, lang, title, None).await? else { return Ok(None) };
    let bytes = std::fs::read(&path).map_err(|source| {
        IpcError::from_core(&lixiang_core::CoreError::WorkspaceIo { path: path.clone(), source }, lang)
    })?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    state
        .with_workspace(move |ws| {
            let verdicts =
                verdicts.into_iter().map(|(c, met)| (c, if met { Verdict::Met } else { Verdict::NotMet })).collect();
            challenge::accept(
                ws,
                &call,
                &AcceptInput { verdicts, files: vec![(name, bytes)], note },
                Moment::now_utc(),
            )?;
            panel(ws, &call).map(Some)
        })
        .await
}

/// Records the payment, today, of every part of the reward that is due.
#[tauri::command]
#[specta::specta]
pub async fn bounty_pay(state: State<'_, AppState>, call: String) -> Result<ChallengePanel, IpcError> {
    state
        .with_workspace(move |ws| {
            let now = Moment::now_utc();
            challenge::pay(ws, &call, now.shanghai_date(), now)?;
            panel(ws, &call)
        })
        .await
}
