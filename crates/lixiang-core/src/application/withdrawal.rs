//! An applicant's 撤回 that reaches the office. The withdrawal itself is recorded on the applicant's laptop
//! (`formal::withdraw`, audited); this module writes its notice — a `withdrawal` package signed by the
//! workspace that submitted the application and encrypted to the call's office — and is the office's handler
//! for it: only from the key that sent the submissions, for the content the office holds; the application is
//! then listed as 已撤回 and can no longer be decided.
//!
//! A notice may be written again (a copy lost on the way): a second notice of the same withdrawal changes
//! nothing at the office.

use crate::calendar::Moment;
use crate::identity;
use crate::package::{self, Inspection, Kind, PublicKeys, SecretKeys};
use crate::validate::Problem;
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{ReceivedWithdrawalRow, Writer};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What a withdrawal package carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WithdrawalPayload {
    pub format: u16,
    pub application_id: String,
    pub call_id: String,
    /// The newest version submitted, and its hash: the office checks it holds that content.
    pub version: u32,
    pub sha256: String,
    pub reason: String,
    pub withdrawn_at: String,
}

/// A withdrawal notice written for the office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct NoticeWritten {
    pub application_id: String,
    pub path: String,
    pub package_id: String,
}

/// Writes the notice of the withdrawal recorded here for application `id` to `out`. Refused when the
/// application was not withdrawn here (withdraw it first), or its call did not come from an office's package.
pub fn write_notice(ws: &mut Workspace, keys: &SecretKeys, id: &str, out: &Path) -> Result<NoticeWritten> {
    let form = super::desk::get_form(ws, id)?;
    let (withdrawal, latest, calls) = ws.store.read(|r| {
        Ok::<_, CoreError>((r.application_withdrawal(id)?, r.application_version_latest(id)?, r.calls_latest()?))
    })?;
    let refused = |code: &str, field: &str, zh: String, en: String| CoreError::WithdrawRefused {
        application: form.title.clone(),
        problems: vec![Problem::error(code, field, zh, en)],
    };
    let w = withdrawal.ok_or_else(|| {
        refused(
            "application.withdraw.not_withdrawn",
            "withdrawal",
            "此申报书尚未撤回：请先撤回，再导出撤回通知".into(),
            "this application has not been withdrawn: withdraw it first, then write the notice".into(),
        )
    })?;
    let latest = latest.ok_or_else(|| {
        refused(
            "application.withdraw.not_submitted",
            "version",
            "尚未提交，无需通知受理机构".into(),
            "not submitted: the office has nothing to be told".into(),
        )
    })?;
    let office_key_id = calls
        .into_iter()
        .find(|c| c.call_id == form.call_id)
        .map(|c| c.sender_key_id)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| {
            refused(
                "application.call.not_imported",
                "call_id",
                "指南不是从发布机构的指南文件包导入的，无法确定通知对象".into(),
                "the call was not imported from its office's call package, so there is no one to tell".into(),
            )
        })?;
    let office = ws
        .store
        .read(|r| r.contact(&office_key_id))?
        .ok_or_else(|| CoreError::NotFound { what: "contact / 联系人".into(), key: office_key_id.clone() })?;
    let to = PublicKeys { signing: office.signing_public, encryption: office.encryption_public };
    let payload = WithdrawalPayload {
        format: 1,
        application_id: id.to_string(),
        call_id: form.call_id.clone(),
        version: latest.number,
        sha256: latest.sha256,
        reason: w.reason,
        withdrawn_at: w.withdrawn_at,
    };
    let bytes = serde_json::to_vec(&payload).expect("a withdrawal payload serialises");
    let package_id = uuid::Uuid::now_v7();
    identity::seal_outgoing(ws, keys, Kind::Withdrawal, package_id, &[to], &bytes, Vec::new(), out)?;
    Ok(NoticeWritten {
        application_id: id.to_string(),
        path: out.display().to_string(),
        package_id: package_id.to_string(),
    })
}

/// A withdrawal notice checked by the office, ready for the import's transaction.
pub(crate) struct IncomingWithdrawal {
    pub(crate) row: ReceivedWithdrawalRow,
    pub(crate) zh: String,
    pub(crate) en: String,
}

/// The office's handler for withdrawal packages, run by the import pipeline before its transaction.
pub(crate) fn check_import(
    ws: &mut Workspace,
    inspection: &Inspection,
    payload: &[u8],
    file: &str,
) -> Result<IncomingWithdrawal> {
    let malformed =
        |what: String| CoreError::Package { file: file.to_string(), source: package::PackageError::malformed(what) };
    let p: WithdrawalPayload =
        serde_json::from_slice(payload).map_err(|e| malformed(format!("withdrawal payload: {e}")))?;
    let sub = ws.store.read(|r| r.submission_latest(&p.application_id))?.ok_or_else(|| CoreError::NotFound {
        what: "received application / 收到的申报书".into(),
        key: p.application_id.clone(),
    })?;
    let sender = inspection.manifest.sender.key_id.clone();
    let refuse = |code: &str, field: &str, zh: String, en: String| CoreError::WithdrawRefused {
        application: format!("{} {}", sub.number, sub.title),
        problems: vec![Problem::error(code, field, zh, en)],
    };
    // Only whoever submitted the application may withdraw it.
    if sender != sub.sender_key_id {
        return Err(refuse(
            "application.withdraw.not_from_applicant",
            "sender",
            format!("撤回通知由密钥 {sender} 签名，不是提交 {} 的申报单位的密钥，未予处理", sub.number),
            format!("the notice is signed by key {sender}, not by the applicant that submitted {}", sub.number),
        ));
    }
    let held = ws.store.read(|r| r.submission(&p.application_id, p.version))?;
    if p.call_id != sub.call_id || held.is_none_or(|h| h.sha256 != p.sha256) {
        return Err(malformed(format!(
            "the withdrawal names version {} of {} with content this office did not receive",
            p.version, sub.number
        )));
    }
    if Moment::parse(&p.withdrawn_at).is_none() {
        return Err(malformed(format!("withdrawn_at {:?} is not a time", p.withdrawn_at)));
    }
    let before = ws.store.read(|r| r.received_withdrawal(&p.application_id))?;
    let (zh, en) = match &before {
        Some(b) => (
            format!("{} 已于 {} 撤回（此前已收到撤回通知），未作更改", sub.number, b.withdrawn_at),
            format!("{} was withdrawn on {} (notice already received); nothing changed", sub.number, b.withdrawn_at),
        ),
        None => (
            format!("已收到 {} 的撤回通知：申报单位于 {} 撤回，理由：{}", sub.number, p.withdrawn_at, p.reason),
            format!("withdrawal of {} received: withdrawn on {}, reason: {}", sub.number, p.withdrawn_at, p.reason),
        ),
    };
    let row = ReceivedWithdrawalRow {
        application_id: p.application_id,
        number: sub.number,
        version: p.version,
        reason: p.reason,
        withdrawn_at: p.withdrawn_at,
        received_at: identity::now(),
        sender_key_id: sender,
        package_id: inspection.manifest.id.to_string(),
    };
    Ok(IncomingWithdrawal { row, zh, en })
}

/// Writes a checked withdrawal in the import's transaction: recorded once, and the office's list shows
/// the application as 已撤回 from then on.
pub(crate) fn receive(w: &Writer, incoming: &IncomingWithdrawal) -> Result<()> {
    if w.received_withdrawal_insert(&incoming.row)? {
        w.application_index_set_status(&incoming.row.application_id, super::office::OfficeStatus::Withdrawn.as_str())?;
    }
    Ok(())
}
