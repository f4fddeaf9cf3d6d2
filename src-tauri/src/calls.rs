//! The office's call desk in the window (指南/榜单): open a call for the editor, start a draft from a
//! programme's shipped demo call or as a copy of a held call, save a draft (answered with the core's
//! checks, each naming its field), publish (refusals and warnings as a list), start the next revision,
//! the changes of a revision against the one before (what applicants are told), and the call package
//! through the save dialog, and a new review round of a kind as the category's template sets it (the
//! editor adds rounds to the plan with it). Thin, as `lixiang call create|publish|revise|export`: the rules are
//! `lixiang_core::call`'s, and so is the office-only gate those commands share
//! (`identity::require_office`), and a new draft's id and code are `call::drafts`'.
//!
//! The call crosses IPC as its JSON text, the shape `lixiang call show` prints: the core's `Call` has
//! no TypeScript type of its own (its dates, moments and fen serialise as strings and numbers through
//! hand-written serde), and the editor (`ui/src/components/calldesk/callModel.ts`) mirrors that shape.

use crate::dialogs;
use crate::state::AppState;
use crate::IpcError;
use lixiang_core::calendar::Moment;
use lixiang_core::call::drafts::{new_copy, new_from_demo};
use lixiang_core::call::review::{self, RoundKind};
use lixiang_core::call::{self, desk, drafts, Call};
use lixiang_core::identity;
use lixiang_core::lang::Bilingual;
use lixiang_core::validate::Problem;
use lixiang_core::{CoreError, Workspace};
use serde::Serialize;
use std::time::Instant;
use tauri::{AppHandle, State};

/// Runs `f` on the workspace once it is known to speak for the office (the core's gate,
/// `identity::require_office`: `calldesk.office_only` naming the role there is, or `identity.none`).
async fn as_office<T, F>(state: &AppState, f: F) -> Result<T, IpcError>
where
    T: Send + 'static,
    F: FnOnce(&mut Workspace) -> lixiang_core::Result<T> + Send + 'static,
{
    state
        .with_workspace(move |ws| {
            identity::require_office(ws, identity::OfficeDuty::Calls)?;
            f(ws)
        })
        .await
}

/// A call as the editor opens it: the JSON text of the `Call` (as `lixiang call show` prints it).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CallDoc {
    pub json: String,
    pub code: String,
    pub revision: u32,
    pub published: bool,
    /// The review plan of the revision before (published), which a changed plan is the next version of;
    /// `None` for a first revision, whose plan nobody has been given yet.
    pub previous_plan: Option<PlanBaseline>,
}

/// A review plan as the editor compares with it: its version and its rounds as JSON text.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct PlanBaseline {
    pub version: u32,
    pub rounds_json: String,
}

fn doc(call: &Call) -> CallDoc {
    CallDoc {
        json: serde_json::to_string(call).expect("a call serialises"),
        code: call.code.clone(),
        revision: call.revision,
        published: call.is_published(),
        previous_plan: None,
    }
}

/// The call with the plan of its previous revision, for the editor.
fn doc_with_baseline(ws: &mut Workspace, call: &Call) -> lixiang_core::Result<CallDoc> {
    let previous_plan = match call.revision.checked_sub(1).filter(|r| *r >= 1) {
        Some(r) => match desk::get_revision(ws, &call.id.to_string(), r) {
            Ok(prev) => Some(PlanBaseline {
                version: prev.review_plan.version,
                rounds_json: serde_json::to_string(&prev.review_plan.rounds).expect("rounds serialise"),
            }),
            // An applicant may hold only the newest revision (as `call_changes` says): the call still opens.
            Err(CoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        },
        None => None,
    };
    Ok(CallDoc { previous_plan, ..doc(call) })
}

/// What a save answers: when, and the core's checks of what was saved (errors block publishing, not
/// saving: a draft may be incomplete for weeks).
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CallSaved {
    pub saved_at: String,
    /// The code saved under: a first draft moved to another year is renumbered for it.
    pub code: String,
    pub problems: Vec<Problem>,
}

/// What a publication answers: published (with the warnings, which do not block), or refused with the
/// problems, each naming its field; nothing is written then.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CallPublished {
    pub published: bool,
    pub revision: u32,
    pub problems: Vec<Problem>,
}

/// One changed field between two revisions, in both languages (`before` absent: added; `after`
/// absent: removed).
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CallChange {
    pub field: String,
    pub label: Bilingual,
    pub before: Option<Bilingual>,
    pub after: Option<Bilingual>,
}

/// What a revision changed against the one before it. An applicant may hold a later revision without the
/// earlier one (it imported only the newest): then `previous_held` is false and nothing is listed.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct CallChanges {
    pub previous_held: bool,
    pub changes: Vec<CallChange>,
}

/// Where the call package was written.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct CallExported {
    pub path: String,
    pub package_id: String,
    pub file_sha256: String,
}

/// A shipped demo call as the new-call dialog offers it: one per programme, covering the modes.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct DemoCall {
    pub programme: String,
    pub code: String,
    pub title: Bilingual,
    pub mode: Bilingual,
    pub category: Bilingual,
}

/// The shipped demo calls, the starting points of a new call.
pub fn demos() -> lixiang_core::Result<Vec<DemoCall>> {
    Ok(call::demo_calls()?
        .into_iter()
        .map(|c| DemoCall {
            programme: c.programme.clone(),
            code: c.code.clone(),
            title: c.title.clone(),
            mode: c.mode.name(),
            category: c.category.name(),
        })
        .collect())
}

/// Saves the editor's call (JSON text) as a draft ([`drafts::save_edited`]: a first draft moved to another
/// year takes a free code of that year) and checks what was saved.
pub fn save(ws: &mut Workspace, json: &str) -> lixiang_core::Result<CallSaved> {
    let call: Call = serde_json::from_str(json).map_err(|e| CoreError::Validation {
        field: "call / 指南".into(),
        reason: format!("不是有效的指南数据 / not a valid call: {e}"),
    })?;
    let call = drafts::save_edited(ws, call)?;
    Ok(CallSaved {
        saved_at: Moment::now_utc().to_string(),
        code: call.code.clone(),
        problems: call::validate_call(&call),
    })
}

/// A new review round of `kind` (`defence`, `feasibility` …) for a call of `category` (`tech_innovation` …),
/// as JSON text of the core's `Round`: its form and settings from the newest shipped template, as the
/// default plan sets the same round ([`lixiang_core::call::review::default_round`]). An unknown category
/// or kind names the field; the editor adds the round to the plan it holds, and saving checks it.
pub fn round_default(category: &str, kind: &str) -> lixiang_core::Result<String> {
    let parsed = call::Category::parse(category).ok_or_else(|| CoreError::Validation {
        field: "category / 项目类别".into(),
        reason: format!(
            "“{category}”不是项目类别，应为 basic_research、tech_innovation 或 transfer / not a category: use basic_research, tech_innovation or transfer"
        ),
    })?;
    let round_kind = RoundKind::parse(kind).ok_or_else(|| CoreError::Validation {
        field: "review_plan.rounds.kind / 评审轮次".into(),
        reason: format!(
            "“{kind}”不是评审轮次，应为 {} 之一 / not a round kind",
            RoundKind::ALL.map(|k| k.code()).join("、")
        ),
    })?;
    let round = review::default_round(parsed, round_kind, &review::embedded_templates()?).ok_or_else(|| {
        CoreError::NotFound { what: "rubric template / 评审模板".into(), key: format!("{category} {kind}") }
    })?;
    Ok(serde_json::to_string(&round).expect("a round serialises"))
}

/// Publishes the newest revision at `at`; a refusal by the checks is an answer, not an error.
pub fn publish(ws: &mut Workspace, code_or_id: &str, at: Moment) -> lixiang_core::Result<CallPublished> {
    match desk::publish(ws, code_or_id, at) {
        Ok((c, warnings)) => Ok(CallPublished { published: true, revision: c.revision, problems: warnings }),
        Err(CoreError::CallRefused { problems, .. }) => {
            let revision = desk::get(ws, code_or_id)?.revision;
            Ok(CallPublished { published: false, revision, problems })
        }
        Err(e) => Err(e),
    }
}

/// What revision `revision` changed against the one before it; nothing for the first.
pub fn changes(ws: &mut Workspace, code_or_id: &str, revision: u32) -> lixiang_core::Result<CallChanges> {
    let new = desk::get_revision(ws, code_or_id, revision)?;
    if revision <= 1 {
        return Ok(CallChanges { previous_held: true, changes: Vec::new() });
    }
    let old = match desk::get_revision(ws, code_or_id, revision - 1) {
        Ok(old) => old,
        Err(CoreError::NotFound { .. }) => return Ok(CallChanges { previous_held: false, changes: Vec::new() }),
        Err(e) => return Err(e),
    };
    let changes = call::changes(&old, &new)
        .into_iter()
        .map(|c| CallChange { field: c.field, label: c.label, before: c.before, after: c.after })
        .collect();
    Ok(CallChanges { previous_held: true, changes })
}

/// The newest revision of a call, for the editor (any role may read the calls it holds).
#[tauri::command]
#[specta::specta]
pub async fn call_get(state: State<'_, AppState>, call_id: String) -> Result<CallDoc, IpcError> {
    state
        .with_workspace(move |ws| {
            let call = desk::get(ws, &call_id)?;
            doc_with_baseline(ws, &call)
        })
        .await
}

/// The shipped demo calls (one per programme, covering the modes), to start a new call from.
#[tauri::command]
#[specta::specta]
pub async fn call_demos(state: State<'_, AppState>) -> Result<Vec<DemoCall>, IpcError> {
    let lang = state.lang();
    demos().map_err(|e| IpcError::from_core(&e, lang))
}

/// A new draft for a programme from a shipped demo call (its own by default, as `lixiang call create
/// --demo ZX06`; `from` names another programme's to start from another mode), with a new id and a free
/// code.
#[tauri::command]
#[specta::specta]
pub async fn call_new_from_demo(
    state: State<'_, AppState>,
    programme: String,
    from: Option<String>,
) -> Result<CallDoc, IpcError> {
    as_office(&state, move |ws| new_from_demo(ws, &programme, from.as_deref()).map(|c| doc(&c))).await
}

/// A new draft as a copy of a held call, with a new id and a free code.
#[tauri::command]
#[specta::specta]
pub async fn call_copy(state: State<'_, AppState>, call_id: String) -> Result<CallDoc, IpcError> {
    as_office(&state, move |ws| new_copy(ws, &call_id).map(|c| doc(&c))).await
}

/// Moves a first draft, never published, to another selection mode (`open_competition`, `challenge`,
/// `directed_commission`) and saves it; answers with the call as saved (core `call::with_mode`: the new
/// mode's parts start empty, the checks name them). A published call is refused: its mode is fixed.
#[tauri::command]
#[specta::specta]
pub async fn call_change_mode(state: State<'_, AppState>, call_id: String, mode: String) -> Result<CallDoc, IpcError> {
    as_office(&state, move |ws| {
        let draft = desk::get(ws, &call_id)?;
        let changed = call::with_mode(&draft, &mode, &review::embedded_templates()?)?;
        desk::save_draft(ws, &changed)?;
        doc_with_baseline(ws, &changed)
    })
    .await
}

/// Saves a draft (the call as JSON text); answers with the checks, each naming its field. A published
/// revision is refused (`call.refused`, frozen): make a new revision.
#[tauri::command]
#[specta::specta]
pub async fn call_save(state: State<'_, AppState>, json: String) -> Result<CallSaved, IpcError> {
    as_office(&state, move |ws| save(ws, &json)).await
}

/// A new review round of `kind` for a call of `category`, from the category's template, as JSON text of
/// the core's `Round` (the editor adds it to the plan; saving checks it). Reads no workspace.
#[tauri::command]
#[specta::specta]
pub async fn call_round_default(
    state: State<'_, AppState>,
    category: String,
    kind: String,
) -> Result<String, IpcError> {
    let lang = state.lang();
    round_default(&category, &kind).map_err(|e| IpcError::from_core(&e, lang))
}

/// Publishes the newest (draft) revision: checked, frozen and audited; or refused with the problems.
#[tauri::command]
#[specta::specta]
pub async fn call_publish(state: State<'_, AppState>, call_id: String) -> Result<CallPublished, IpcError> {
    as_office(&state, move |ws| publish(ws, &call_id, Moment::now_utc())).await
}

/// Starts the next revision of a published call as a draft.
#[tauri::command]
#[specta::specta]
pub async fn call_revise(state: State<'_, AppState>, call_id: String) -> Result<CallDoc, IpcError> {
    as_office(&state, move |ws| desk::revise(ws, &call_id).map(|c| doc(&c))).await
}

/// What revision `revision` changed against the one before (empty for the first), as applicants see it.
#[tauri::command]
#[specta::specta]
pub async fn call_changes(state: State<'_, AppState>, call_id: String, revision: u32) -> Result<CallChanges, IpcError> {
    state.with_workspace(move |ws| changes(ws, &call_id, revision)).await
}

/// Writes the call package of the newest revision (published) where the person chooses (save dialog),
/// signed with the unlocked keys, as `lixiang call export`. `None` when the dialog is cancelled.
#[tauri::command]
#[specta::specta]
pub async fn call_export(
    app: AppHandle,
    state: State<'_, AppState>,
    call_id: String,
) -> Result<Option<CallExported>, IpcError> {
    let lang = state.lang();
    let (code, revision) = {
        let id = call_id.clone();
        as_office(&state, move |ws| desk::get(ws, &id).map(|c| (c.code, c.revision))).await?
    };
    if !state.keys.is_unlocked(Instant::now()) {
        return Err(IpcError::locked(lang));
    }
    let title = lang.pick("保存指南文件包", "Save the call package");
    let filter = (lang.pick("立项文件包", "Lixiang package"), &["lxpkg"][..]);
    let proposed = format!("{}-{code}-r{revision}.lxpkg", lang.pick("指南", "call"));
    let Some(path) = dialogs::save_file(&app, lang, title, filter, proposed).await? else { return Ok(None) };
    let keys = state.keys.use_keys(Instant::now()).ok_or_else(|| IpcError::locked(lang))?;
    let card = state.with_workspace(move |ws| desk::export(ws, &keys, &call_id, &path)).await?;
    Ok(Some(CallExported { path: card.path, package_id: card.package_id, file_sha256: card.file_sha256 }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use lixiang_core::identity::keybox::KdfParams;
    use lixiang_core::identity::Role;

    fn office() -> (tempfile::TempDir, Workspace) {
        let tmp = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(&tmp.path().join("office")).unwrap();
        identity::create(&mut ws, Role::Office, "科技厅", "passphrase!", KdfParams::FOR_TESTS).unwrap();
        (tmp, ws)
    }

    #[test]
    fn an_applicant_workspace_is_refused_before_anything_is_written() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("institute");
        {
            let mut ws = Workspace::open(&dir).unwrap();
            identity::create(&mut ws, Role::Applicant, "研究所", "passphrase!", KdfParams::FOR_TESTS).unwrap();
        }
        let state = AppState::open_with_idle_limit(Some(&dir), std::time::Duration::from_secs(60));
        let refused = tauri::async_runtime::block_on(as_office(&state, |ws| new_from_demo(ws, "ZX06", None)))
            .expect_err("an applicant makes no calls");
        assert_eq!(refused.code, "calldesk.office_only");
        assert!(refused.message.contains("申报单位"), "{}", refused.message);
        assert!(state.with_workspace_now(desk::list).unwrap().is_empty(), "nothing written");
    }

    #[test]
    fn the_plan_baseline_is_the_revision_befores_and_none_when_that_revision_is_not_held() {
        let (_tmp, mut ws) = office();
        let first = new_from_demo(&mut ws, "ZX06", None).unwrap();
        assert!(doc_with_baseline(&mut ws, &first).unwrap().previous_plan.is_none(), "a first revision");
        let second = Call { revision: 2, ..first.clone() };
        let base = doc_with_baseline(&mut ws, &second).unwrap().previous_plan.expect("r1 is held");
        assert_eq!(base.version, first.review_plan.version);
        let fourth = Call { revision: 4, ..first };
        assert!(doc_with_baseline(&mut ws, &fourth).unwrap().previous_plan.is_none(), "r3 is not held");
    }

    #[test]
    fn the_new_call_dialog_offers_a_demo_per_programme_covering_the_modes() {
        let listed = demos().unwrap();
        assert_eq!(listed.len(), 8);
        assert!(listed.iter().any(|d| d.mode.zh == "揭榜挂帅（赛马）" && d.programme == "ZX05"), "{listed:?}");
    }

    #[test]
    fn a_bad_draft_is_saved_with_its_problems_and_refused_at_publication_naming_the_field() {
        let (_tmp, mut ws) = office();
        let mut c = new_from_demo(&mut ws, "ZX06", None).unwrap();
        c.closes_at = Moment::parse("2026-10-01T17:00:00+08:00").unwrap();
        let saved = save(&mut ws, &serde_json::to_string(&c).unwrap()).unwrap();
        let p = saved.problems.iter().find(|p| p.code == "call.closing_not_after_opening").expect("checked");
        assert_eq!(p.field, "closes_at");
        assert_eq!(desk::get(&mut ws, &c.code).unwrap().closes_at, c.closes_at, "saved as typed");

        let refused = publish(&mut ws, &c.code, Moment::now_utc()).unwrap();
        assert!(!refused.published);
        assert!(refused.problems.iter().any(|p| p.field == "closes_at"));
        assert!(!desk::get(&mut ws, &c.code).unwrap().is_published(), "nothing written");

        assert_eq!(save(&mut ws, "{\"id\": 1}").unwrap_err().code(), "input.invalid");
        // Moved to 2028, the first draft is renumbered for its year (and found under its new code).
        let mut later = desk::get(&mut ws, &c.code).unwrap();
        later.year = 2028;
        later.opens_at = Moment::parse("2027-11-02T09:00:00+08:00").unwrap();
        later.closes_at = Moment::parse("2028-01-15T17:30:00+08:00").unwrap();
        let saved = save(&mut ws, &serde_json::to_string(&later).unwrap()).unwrap();
        assert_eq!(saved.code, "2028-ZX06-01");
        assert!(!saved.problems.iter().any(|p| p.field == "code"), "{:?}", saved.problems);
        assert_eq!(desk::get(&mut ws, "2028-ZX06-01").unwrap().id, c.id);
        assert_eq!(desk::list(&mut ws).unwrap().len(), 1);
    }

    #[test]
    fn a_revision_lists_what_it_changed_against_the_one_before() {
        let (_tmp, mut ws) = office();
        let c = new_from_demo(&mut ws, "ZX06", None).unwrap();
        assert!(publish(&mut ws, &c.code, Moment::now_utc()).unwrap().published);
        assert!(changes(&mut ws, &c.code, 1).unwrap().changes.is_empty());
        let mut next = desk::revise(&mut ws, &c.code).unwrap();
        next.places = 6;
        save(&mut ws, &serde_json::to_string(&next).unwrap()).unwrap();
        let listed = changes(&mut ws, &c.code, 2).unwrap();
        assert!(listed.previous_held);
        let listed = listed.changes;
        assert_eq!(listed.len(), 1, "{listed:?}");
        assert_eq!(listed[0].field, "places");
        assert_eq!(listed[0].after.as_ref().map(|b| b.zh.as_str()), Some("6"));
        // A revision held without the one before it (an applicant that imported only the newest).
        let mut alone = new_from_demo(&mut ws, "ZX05", None).unwrap();
        alone.id = call::CallId::new();
        alone.revision = 2;
        desk::save_draft(&mut ws, &alone).unwrap();
        let none = changes(&mut ws, &alone.id.to_string(), 2).unwrap();
        assert_eq!((none.previous_held, none.changes.len()), (false, 0));
        // A published revision cannot be saved over.
        let mut first = desk::get_revision(&mut ws, &c.code, 1).unwrap();
        first.places = 7;
        assert_eq!(save(&mut ws, &serde_json::to_string(&first).unwrap()).unwrap_err().code(), "call.refused");
    }

    #[test]
    fn a_round_of_each_kind_starts_from_the_template_and_a_call_with_it_is_checked() {
        let (_tmp, mut ws) = office();
        let mut c = new_from_demo(&mut ws, "ZX06", None).unwrap();
        for kind in RoundKind::ALL {
            let json = round_default("tech_innovation", kind.code()).unwrap();
            let round: review::Round = serde_json::from_str(&json).unwrap();
            assert_eq!(
                round,
                review::default_round(call::Category::TechInnovation, kind, &review::embedded_templates().unwrap())
                    .unwrap()
            );
        }
        // A 答辩 added to the ZX06 open call: the tech-innovation rubric (weights 100), the panel of 7.
        let defence: review::Round =
            serde_json::from_str(&round_default("tech_innovation", "defence").unwrap()).unwrap();
        assert_eq!((defence.kind, defence.experts), (RoundKind::Defence, 7));
        assert!(matches!(&defence.form, review::Form::Scored(r) if r.total_weight() == 100));
        c.review_plan.rounds.push(defence);
        c.review_plan.version += 1;
        let saved = save(&mut ws, &serde_json::to_string(&c).unwrap()).unwrap();
        assert!(saved.problems.iter().all(|p| !p.is_error()), "{:?}", saved.problems);
        // With the last criterion gone the weights add to 90: saved all the same (a draft), named on the criteria.
        if let review::Form::Scored(r) = &mut c.review_plan.rounds[2].form {
            r.criteria.pop();
        }
        let saved = save(&mut ws, &serde_json::to_string(&c).unwrap()).unwrap();
        let p = saved.problems.iter().find(|p| p.code == "call.review.weights_not_100").expect("checked");
        assert_eq!(p.field, "review_plan.rounds[2].form.criteria");
        assert_eq!(desk::get(&mut ws, &c.code).unwrap().review_plan, c.review_plan, "saved as edited");

        assert_eq!(round_default("humanities", "defence").unwrap_err().code(), "input.invalid");
        assert_eq!(round_default("transfer", "interview").unwrap_err().code(), "input.invalid");
    }
}
