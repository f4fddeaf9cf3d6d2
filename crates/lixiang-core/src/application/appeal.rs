//! Appeals (申诉) against the formal check's 不予受理, on the office's desktop.
//!
//! domain.md: the formal check ends in accepted, returned for fixing, or not accepted — and a 不予受理
//! may be appealed. The officer logs the appeal as it arrives (the date it reached the office, who appealed
//! and how, what they say) against the newest decision, and resolves it once: 维持原决定 (upheld: the
//! decision stands, the reason is recorded, and the answer goes to the applicant as a result package) or
//! 申诉成立 (granted: the decision is set aside, the office list shows the application as received again,
//! and the officer decides the same version again with [`super::formal::decide`], whose result package
//! carries the next decision sequence, supersedes the earlier result on the applicant's laptop and carries
//! the appeal's answer). Each step is one transaction with one `formal_check` audit event. Only a 不予受理
//! that stands can be appealed, once: an accept or a return
//! (which the applicant answers with a fixed version) cannot, nor can a decision already appealed. The
//! appeal's received date lies between the decision's date and today (`appeal.received_before_decision`
//! below it). Every appeal stays on record: [`appeals`] and the formal-check report's `history` list them
//! all, decision by decision.
//!
//! The upheld answer's package: a formal result package (the payload of [`super::formal::decide`]'s)
//! repeating the standing 不予受理 — same version, same decision sequence, so the applicant never takes it
//! for a new decision — with the `appeal` part (outcome, reason, received and resolved dates). It has its
//! own package id and is kept like every result package (`outgoing.rs`); the appeal's record links it
//! (`answer`), and [`resend_answer`] (as `check --resend`) writes it again byte for byte; a program that predates the `appeal` part reads the same refusal it already holds and
//! calls it superseded, writing nothing.

use super::formal::{received_row, AppealPart, Decision, ResultPayload};
use crate::audit::record_sha256;
use crate::calendar::{Date, Moment};
use crate::package::SecretKeys;
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{AppealRow, AuditAction, AuditEvent, Reader};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// How an appeal was resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum AppealOutcome {
    /// 维持原决定: the 不予受理 stands.
    Upheld,
    /// 申诉成立: the 不予受理 is set aside and the version is decided again.
    Granted,
}

impl AppealOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            AppealOutcome::Upheld => "upheld",
            AppealOutcome::Granted => "granted",
        }
    }

    pub fn parse(text: &str) -> Option<AppealOutcome> {
        match text {
            "upheld" => Some(AppealOutcome::Upheld),
            "granted" => Some(AppealOutcome::Granted),
            _ => None,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            AppealOutcome::Upheld => "维持原决定",
            AppealOutcome::Granted => "申诉成立",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            AppealOutcome::Upheld => "upheld (the decision stands)",
            AppealOutcome::Granted => "granted (the decision is set aside)",
        }
    }
}

/// What the officer logs when an appeal arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppealInput {
    /// The date the appeal reached the office.
    pub received_on: Date,
    /// Who appealed and how (申报单位来函, 当面递交 …).
    pub appellant: String,
    pub text: String,
}

/// An appeal as a person sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AppealView {
    pub number: String,
    pub application_id: String,
    pub version: u32,
    /// The sequence of the decision appealed against.
    pub decision_seq: u32,
    pub received_on: String,
    pub appellant: String,
    pub text: String,
    pub logged_at: String,
    /// None while the appeal is open.
    pub outcome: Option<AppealOutcome>,
    pub reason: Option<String>,
    pub resolved_at: Option<String>,
    /// The result package that carried an upheld appeal's answer to the applicant; `None` while open and
    /// when granted (the next decision's package carries that answer).
    pub answer: Option<AnswerPackage>,
}

/// The result package of an upheld appeal's answer, as the office keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct AnswerPackage {
    pub package_id: String,
    /// The file's name when it was first written.
    pub file_name: String,
    /// SHA-256 of the sealed file, the same every time it is written; `None` until it was first sealed.
    pub file_sha256: Option<String>,
}

impl AppealView {
    /// The appeal as a person sees it, with its answer's package as recorded.
    pub(crate) fn read(r: &Reader, row: &AppealRow) -> lixiang_store::Result<AppealView> {
        let answer = match &row.answer_package_id {
            Some(id) => r.outgoing(id)?.map(|o| AnswerPackage {
                package_id: o.package_id,
                file_name: o.file_name,
                file_sha256: o.file_sha256,
            }),
            None => None,
        };
        Ok(AppealView { answer, ..AppealView::without_answer(row) })
    }

    /// The appeal before any answer was recorded (logged, not resolved).
    fn without_answer(row: &AppealRow) -> AppealView {
        AppealView {
            number: row.number.clone(),
            application_id: row.application_id.clone(),
            version: row.version,
            decision_seq: row.decision_seq,
            received_on: row.received_on.clone(),
            appellant: row.appellant.clone(),
            text: row.body.clone(),
            logged_at: row.logged_at.clone(),
            outcome: row.outcome.as_deref().and_then(AppealOutcome::parse),
            reason: row.reason.clone(),
            resolved_at: row.resolved_at.clone(),
            answer: None,
        }
    }
}

fn refused(code: &'static str, zh: String, en: String) -> CoreError {
    CoreError::DecisionRefused { code, zh, en }
}

fn required(field: &str, zh: &str, en: &str, text: &str) -> Result<String> {
    let t = text.trim();
    if t.is_empty() {
        return Err(CoreError::Validation { field: field.into(), reason: format!("{zh} / {en}") });
    }
    Ok(t.to_string())
}

fn event(row: &AppealRow, step: &str) -> AuditEvent {
    AuditEvent::new(
        AuditAction::FormalCheck,
        "formal_appeal",
        format!("{}#{}/{}", row.application_id, row.version, row.decision_seq),
        record_sha256(row).expect("an appeal serialises"),
    )
    .with_detail(&serde_json::json!({
        "step": step, "number": row.number, "outcome": row.outcome,
    }))
}

/// Logs an appeal against the newest decision on an application (by 申报编号 or id) at `at` (audited
/// `formal_check`). Refused unless that decision is a 不予受理 that stands and was not appealed yet.
pub fn log(ws: &mut Workspace, number_or_id: &str, input: &AppealInput, at: Moment) -> Result<AppealView> {
    let sub = received_row(ws, number_or_id)?;
    let number = sub.number.clone();
    if let Some(w) = ws.store.read(|r| r.received_withdrawal(&sub.application_id))? {
        return Err(CoreError::Withdrawn { application: number, at: w.withdrawn_at });
    }
    let decided = ws.store.read(|r| r.formal_decision_latest(&sub.application_id))?.ok_or_else(|| {
        refused(
            "appeal.not_decided",
            format!("申报书 {number} 尚无形式审查结论，没有可申诉的决定；请先完成形式审查"),
            format!(
                "application {number} has no formal-check decision yet, so there is nothing to appeal; decide it first"
            ),
        )
    })?;
    let decision = Decision::parse(&decided.decision).unwrap_or(Decision::Reject);
    if decision != Decision::Reject {
        let hint = match decision {
            Decision::Return => (
                "退回修改由申报单位修改后重新提交新版本答复",
                "a return is answered by the applicant submitting a fixed version",
            ),
            _ => ("该申报书已进入评审", "the application goes on to review"),
        };
        return Err(refused(
            "appeal.not_rejected",
            format!(
                "申报书 {number} 第 {} 版的形式审查结论是「{}」，只有「不予受理」可以申诉（{}）",
                decided.version,
                decision.zh(),
                hint.0
            ),
            format!(
                "application {number}, version {}, was {}: only a refusal (not accepted) can be appealed ({})",
                decided.version,
                decision.en(),
                hint.1
            ),
        ));
    }
    if let Some(held) = ws.store.read(|r| r.formal_appeal(&decided.application_id, decided.version, decided.seq))? {
        return Err(match held.outcome.as_deref().and_then(AppealOutcome::parse) {
            None => refused(
                "appeal.already_open",
                format!(
                    "申报书 {number} 已有一项待处理的申诉（{} 收到，{}）：请先处理该申诉（维持原决定或申诉成立），同一决定只登记一项申诉",
                    held.received_on, held.appellant
                ),
                format!(
                    "application {number} already has an open appeal (received on {}, {}): resolve it first (upheld or granted); one appeal per decision",
                    held.received_on, held.appellant
                ),
            ),
            Some(outcome) => refused(
                "appeal.already_resolved",
                format!(
                    "申报书 {number} 第 {} 版不予受理的申诉已于 {} 处理为「{}」，同一决定不再受理申诉",
                    held.version,
                    held.resolved_at.clone().unwrap_or_default(),
                    outcome.zh()
                ),
                format!(
                    "the appeal of application {number} against the refusal of version {} was resolved on {} as {}; the same decision cannot be appealed again",
                    held.version,
                    held.resolved_at.clone().unwrap_or_default(),
                    outcome.en()
                ),
            ),
        });
    }
    let appellant =
        required("appellant", "请填写申诉人及方式（如：申报单位来函）", "say who appealed and how", &input.appellant)?;
    let text = required("text", "请填写申诉内容", "give the appeal's text", &input.text)?;
    // Today and the decision's day in Beijing (Asia/Shanghai), as the officer reads them on the calendar and
    // on the result: `at` and `decided_at` are written in UTC, a day behind from 00:00 to 08:00 Beijing time.
    let today = at.shanghai_date();
    if input.received_on > today {
        return Err(CoreError::Validation {
            field: "received_on".into(),
            reason: format!(
                "收到日期 {} 晚于今天 {} / the received date {} is after today {}",
                input.received_on, today, input.received_on, today
            ),
        });
    }
    if let Some(decided_on) = Moment::parse(&decided.decided_at).map(|m| m.shanghai_date()) {
        if input.received_on < decided_on {
            return Err(CoreError::AppealBeforeDecision {
                number,
                received_on: input.received_on.to_string(),
                decided_on: decided_on.to_string(),
            });
        }
    }
    let row = AppealRow {
        application_id: decided.application_id.clone(),
        version: decided.version,
        decision_seq: decided.seq,
        number,
        received_on: input.received_on.to_string(),
        appellant,
        body: text,
        logged_at: at.to_string(),
        outcome: None,
        reason: None,
        resolved_at: None,
        answer_package_id: None,
    };
    ws.store.write(event(&row, "appeal_logged"), |w| w.formal_appeal_insert(&row))?;
    Ok(AppealView::without_answer(&row))
}

/// Where an upheld appeal's answer is written: the office's keys (to sign it) and the file.
pub type AnswerOut<'a> = (&'a SecretKeys, &'a Path);

/// An appeal resolved, with the answer's package when one was written (upheld).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Resolved {
    pub appeal: AppealView,
    pub package: Option<crate::outgoing::Resent>,
}

/// Resolves the open appeal on an application at `at` (audited `formal_check`), with the reason. An upheld
/// appeal's answer is recorded with the resolution and written to `answer`'s file as a result package
/// (required: refused as `appeal.answer_needs_file` without one). A granted appeal sets the 不予受理 aside
/// in the same transaction: the office list shows the application as received again and
/// [`super::formal::decide`] accepts a new decision on the same version, whose package carries the answer
/// (so no file here: `appeal.granted_no_file`).
pub fn resolve(
    ws: &mut Workspace,
    number_or_id: &str,
    outcome: AppealOutcome,
    reason: &str,
    at: Moment,
    answer: Option<AnswerOut<'_>>,
) -> Result<Resolved> {
    let sub = received_row(ws, number_or_id)?;
    let number = sub.number.clone();
    let held = match ws.store.read(|r| r.formal_decision_latest(&sub.application_id))? {
        Some(d) => ws.store.read(|r| r.formal_appeal(&d.application_id, d.version, d.seq))?,
        None => None,
    };
    let mut row = held.ok_or_else(|| {
        refused(
            "appeal.none_open",
            format!("申报书 {number} 没有待处理的申诉：请先登记申诉，再维持原决定或认定申诉成立"),
            format!("application {number} has no open appeal: log the appeal first, then uphold or grant it"),
        )
    })?;
    if let Some(done) = row.outcome.as_deref().and_then(AppealOutcome::parse) {
        return Err(refused(
            "appeal.already_resolved",
            format!(
                "申报书 {number} 的申诉已于 {} 处理为「{}」，不能再次处理",
                row.resolved_at.clone().unwrap_or_default(),
                done.zh()
            ),
            format!(
                "the appeal of application {number} was already resolved on {} as {}; it cannot be resolved again",
                row.resolved_at.clone().unwrap_or_default(),
                done.en()
            ),
        ));
    }
    let reason = required("reason", "请写明处理理由", "give the reason for the resolution", reason)?;
    match (outcome, answer) {
        (AppealOutcome::Upheld, None) => {
            return Err(refused(
                "appeal.answer_needs_file",
                format!("维持原决定须把申诉结果文件包交给申报单位：请指定结果文件包的保存位置（申报书 {number}）"),
                format!(
                    "upholding the refusal of application {number} sends the answer to the applicant: say where to write its result package"
                ),
            ));
        }
        (AppealOutcome::Granted, Some(_)) => {
            return Err(refused(
                "appeal.granted_no_file",
                format!("申诉成立不单独出结果文件包：请重新作出形式审查结论（申报书 {number}），新结论的结果文件包附带申诉结果"),
                format!(
                    "a granted appeal has no package of its own: decide application {number} again; the new decision's result package carries the answer"
                ),
            ));
        }
        _ => {}
    }
    row.outcome = Some(outcome.as_str().to_string());
    row.reason = Some(reason.clone());
    row.resolved_at = Some(at.to_string());
    // The upheld answer's package is recorded with the resolution, linked from the appeal (written out
    // below, see `outgoing`).
    let kept = match answer {
        Some((_, out)) => Some(answer_package(ws, &row, out)?),
        None => None,
    };
    row.answer_package_id = kept.as_ref().map(|k| k.package_id.clone());
    let ev = event(&row, "appeal_resolved");
    let ev = match &kept {
        Some(k) => ev.with_detail(&serde_json::json!({
            "step": "appeal_resolved", "number": row.number, "outcome": row.outcome, "package_id": k.package_id,
        })),
        None => ev,
    };
    ws.store.write(ev, |w| {
        // The package first: the appeal links it.
        if let Some(k) = &kept {
            w.outgoing_insert(k)?;
        }
        let was_open = w.formal_appeal_resolve(
            &row.application_id,
            row.version,
            row.decision_seq,
            outcome.as_str(),
            &reason,
            &at.to_string(),
            row.answer_package_id.as_deref(),
        )?;
        if !was_open {
            // Resolved by someone else between the read and this write: nothing is written.
            return Err(refused(
                "appeal.already_resolved",
                format!("申报书 {number} 的申诉已被处理，不能再次处理"),
                format!("the appeal of application {number} was already resolved; it cannot be resolved again"),
            ));
        }
        if outcome == AppealOutcome::Granted {
            w.application_index_set_status(&row.application_id, super::office::OfficeStatus::Received.as_str())?;
        }
        Ok::<_, CoreError>(())
    })?;
    let package = match (answer, &kept) {
        (Some((keys, out)), Some(k)) => Some(crate::outgoing::deliver(ws, keys, &k.package_id, out)?),
        _ => None,
    };
    Ok(Resolved { appeal: ws.store.read(|r| AppealView::read(r, &row))?, package })
}

/// The record of an upheld appeal's answer package (`row` resolved already): the standing refusal again,
/// same version and decision sequence, with the appeal part, encrypted to the key that sent that version.
/// Refuses a folder that does not exist and an unknown sender before anything is recorded.
fn answer_package(ws: &mut Workspace, row: &AppealRow, out: &Path) -> Result<lixiang_store::OutgoingRow> {
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(CoreError::Validation {
            field: out.display().to_string(),
            reason: format!("目录 {} 不存在 / the folder {} does not exist", dir.display(), dir.display()),
        });
    }
    let (decided, sub) = ws.store.read(|r| {
        Ok::<_, CoreError>((
            r.formal_decisions(&row.application_id)?
                .into_iter()
                .find(|d| d.version == row.version && d.seq == row.decision_seq),
            r.submission(&row.application_id, row.version)?,
        ))
    })?;
    let missing = || CoreError::NotFound {
        what: "decision appealed against / 被申诉的决定".into(),
        key: format!("{}#{}/{}", row.number, row.version, row.decision_seq),
    };
    let (decided, sub) = (decided.ok_or_else(missing)?, sub.ok_or_else(missing)?);
    ws.store
        .read(|r| r.contact(&sub.sender_key_id))?
        .ok_or_else(|| CoreError::NotFound { what: "contact / 联系人".into(), key: sub.sender_key_id.clone() })?;
    let package_id = uuid::Uuid::now_v7().to_string();
    let payload = ResultPayload {
        format: 1,
        application_id: row.application_id.clone(),
        call_id: sub.call_id.clone(),
        version: row.version,
        seq: row.decision_seq,
        sha256: sub.sha256.clone(),
        number: row.number.clone(),
        decision: Decision::parse(&decided.decision).unwrap_or(Decision::Reject),
        reasons: serde_json::from_str(&decided.reasons).unwrap_or_default(),
        fix_by: decided.fix_by.clone(),
        decided_at: decided.decided_at.clone(),
        appeal: AppealPart::of(row),
    };
    let bytes = serde_json::to_vec(&payload).expect("a result payload serialises");
    let file_name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok(crate::outgoing::pending(
        crate::outgoing::Stage::Formal,
        &row.application_id,
        &row.number,
        &sub.sender_key_id,
        &file_name,
        &package_id,
        bytes,
    ))
}

/// Every appeal logged on an application (by 申报编号 or id), oldest first.
pub fn appeals(ws: &mut Workspace, number_or_id: &str) -> Result<Vec<AppealView>> {
    let sub = received_row(ws, number_or_id)?;
    Ok(ws.store.read(|r| r.formal_appeals(&sub.application_id)?.iter().map(|a| AppealView::read(r, a)).collect())?)
}

/// Writes the package that carried the upheld answer to the appeal on an application (by 申报编号 or id)
/// again to `out`, byte for byte (`outgoing::deliver`): for an applicant whose copy was lost. Refused as
/// `appeal.no_answer_package` when no appeal of it was upheld.
pub fn resend_answer(
    ws: &mut Workspace,
    keys: &SecretKeys,
    number_or_id: &str,
    out: &Path,
) -> Result<crate::outgoing::Resent> {
    let package_id = upheld_answer(ws, number_or_id)?.package_id;
    crate::outgoing::deliver(ws, keys, &package_id, out)
}

/// The package of the newest upheld appeal's answer on an application (by 申报编号 or id); refused as
/// `appeal.no_answer_package` when no appeal of it was upheld.
pub fn upheld_answer(ws: &mut Workspace, number_or_id: &str) -> Result<AnswerPackage> {
    let sub = received_row(ws, number_or_id)?;
    let number = sub.number;
    let rows = ws.store.read(|r| r.formal_appeals(&sub.application_id))?;
    let linked = rows.iter().rev().find(|a| a.answer_package_id.is_some());
    let answer = match linked {
        Some(a) => ws.store.read(|r| AppealView::read(r, a))?.answer,
        None => None,
    };
    answer.ok_or_else(|| {
        refused(
            "appeal.no_answer_package",
            format!("申报书 {number} 没有维持原决定的申诉，没有申诉结果文件包可写出"),
            format!("application {number} has no upheld appeal, so there is no appeal answer package to write"),
        )
    })
}
