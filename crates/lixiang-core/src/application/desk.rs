//! The applicant's desk and the office's in-tray for applications: drafts saved in the workspace, a
//! submission (checked, sealed into an immutable version, carried in a submission package encrypted to
//! the office that published the call, with the applicant's key card), and the office's import of
//! submission packages, which gives each application its 申报编号 `YYYY-ZXnn-NNNNNN` on first arrival.

use super::{check_submission_time, demo_application, seal_version, validate_application, Application, SealedVersion};
use crate::audit::record_sha256;
use crate::blobs::BlobStore;
use crate::calendar::Moment;
use crate::call::desk as calls;
use crate::identity::{self, KeyCard};
use crate::package::{self, AttachmentSource, Inspection, Kind, PublicKeys, SecretKeys};
use crate::validate::{has_errors, Problem, Severity};
use crate::workspace::Workspace;
use crate::{catalog, CoreError, Result};
use lixiang_store::{AuditAction, AuditEvent, SubmissionRow, Unaudited, VersionRow};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// What a submission package carries: the sealed version's exact bytes (as text: canonical JSON is
/// UTF-8) with its number and hash, and the applicant's key card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionPayload {
    pub format: u16,
    pub application_id: String,
    pub version: u32,
    pub sealed_at: String,
    pub sha256: String,
    pub content: String,
    pub key_card: KeyCard,
}

/// What a submission produced.
#[derive(Debug, Clone, Serialize)]
pub struct Submitted {
    pub application_id: String,
    pub version: u32,
    /// SHA-256 of the version's exact bytes: what the applicant and the office both see.
    pub sha256: String,
    pub path: String,
    pub package_id: String,
}

/// An application in the office's list.
#[derive(Debug, Clone, Serialize)]
pub struct Received {
    pub number: String,
    pub application_id: String,
    pub version: u32,
    pub sha256: String,
    pub programme: String,
    pub title: String,
    pub applicant_name: String,
    pub received_at: String,
    /// The formal-check decision on the newest version decided (`accept`, `return`, `reject`), if any.
    pub decision: Option<String>,
    /// The version that decision is about (a returned application may have a newer one waiting).
    pub decided_version: Option<u32>,
}

fn refused(app: &Application, problems: Vec<Problem>) -> CoreError {
    CoreError::ApplicationRefused { application: app.title.clone(), problems }
}

/// Saves a draft (as typed; nothing is checked here beyond it being an application).
pub fn save_draft(ws: &mut Workspace, app: &Application) -> Result<()> {
    let body = serde_json::to_string(app).expect("an application serialises");
    let (id, call, title, now) = (app.id.to_string(), app.call_id.to_string(), app.title.clone(), identity::now());
    ws.store.write_unaudited(Unaudited::Draft, |w| w.application_draft_put(&id, &call, &title, &body, &now))?;
    Ok(())
}

/// A draft by id.
pub fn get_draft(ws: &mut Workspace, id: &str) -> Result<Application> {
    let body = ws
        .store
        .read(|r| r.application_draft(id))?
        .ok_or_else(|| CoreError::NotFound { what: "application / 申报书".into(), key: id.to_string() })?;
    serde_json::from_str(&body)
        .map_err(|e| CoreError::Validation { field: format!("application {id}"), reason: e.to_string() })
}

/// Every draft: (id, call id, title, saved at).
pub fn drafts(ws: &mut Workspace) -> Result<Vec<(String, String, String, String)>> {
    Ok(ws.store.read(|r| r.application_drafts())?)
}

/// A new draft for a call, filled with the demo content (synthetic people and units) and with real
/// attachment files in the blob store: the quickest way to see the whole flow.
pub fn new_demo_draft(ws: &mut Workspace, call_code: &str) -> Result<Application> {
    let call = calls::get(ws, call_code)?;
    let mut app = demo_application(&call);
    let blobs = BlobStore::new(ws.dir());
    let mut renamed = Vec::new();
    for a in &mut app.attachments {
        let bytes = demo_file(&a.name);
        let sha = blobs.put(&bytes).map_err(|e| blobs.io_error(e))?;
        renamed.push((std::mem::replace(&mut a.sha256, sha), a.sha256.clone()));
        a.size = bytes.len() as u64;
    }
    // Figures and 代表作 refer to attachments by hash: follow the new hashes everywhere.
    let mut json = serde_json::to_string(&app).expect("an application serialises");
    for (old, new) in &renamed {
        json = json.replace(old.as_str(), new);
    }
    let app: Application = serde_json::from_str(&json).expect("only hashes were replaced");
    save_draft(ws, &app)?;
    Ok(app)
}

/// A small real file of the attachment's type (a one-page PDF, a PNG header), so sniffing agrees.
fn demo_file(name: &str) -> Vec<u8> {
    if name.to_ascii_lowercase().ends_with(".png") {
        let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
        b.extend_from_slice(name.as_bytes());
        return b;
    }
    format!("%PDF-1.4\n% {name}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n").into_bytes()
}

/// The live check of a draft: every problem, each naming its section and field.
pub fn validate(ws: &mut Workspace, app: &Application, today: crate::calendar::Date) -> Result<Vec<Problem>> {
    let call = calls::get(ws, &app.call_id.to_string())?;
    let cat = catalog::get(ws)?;
    let mut problems = validate_application(&call, app, &cat, today);
    // Attachments must be present in this workspace: they travel in the submission package.
    let blobs = BlobStore::new(ws.dir());
    for (i, a) in app.attachments.iter().enumerate() {
        if !blobs.contains(&a.sha256) {
            problems.push(Problem::error(
                "application.attachment.missing_file",
                format!("attachments[{i}]"),
                format!("附件「{}」的文件不在本工作区中，请重新添加", a.name),
                format!("the file of the attachment “{}” is not in this workspace: add it again", a.name),
            ));
        }
    }
    Ok(problems)
}

/// Submits a draft at `at`: refused with every problem when the checks find an error or the call has
/// closed; otherwise sealed as the next version (audited) and written to `out` as a submission package
/// encrypted to the office that published the call.
pub fn submit(ws: &mut Workspace, keys: &SecretKeys, id: &str, at: Moment, out: &Path) -> Result<Submitted> {
    let app = get_draft(ws, id)?;
    super::formal::refuse_if_withdrawn(ws, &app)?;
    let call = calls::get(ws, &app.call_id.to_string())?;
    let mut problems = validate(ws, &app, at.local_date())?;
    problems.extend(check_submission_time(&call, at));
    if has_errors(&problems) {
        problems.retain(|p| p.severity == Severity::Error);
        return Err(refused(&app, problems));
    }
    let office_key_id = ws
        .store
        .read(|r| r.calls_latest())?
        .into_iter()
        .find(|c| c.call_id == app.call_id.to_string())
        .map(|c| c.sender_key_id)
        .filter(|k| !k.is_empty())
        .ok_or_else(|| {
            refused(
                &app,
                vec![Problem::error(
                    "application.call.not_imported",
                    "call_id",
                    "指南不是从发布机构的指南文件包导入的，无法确定提交对象",
                    "the call was not imported from its office's call package, so there is no one to submit to",
                )],
            )
        })?;
    let office = ws
        .store
        .read(|r| r.contact(&office_key_id))?
        .ok_or_else(|| CoreError::NotFound { what: "contact / 联系人".into(), key: office_key_id.clone() })?;
    let office_keys = PublicKeys { signing: office.signing_public, encryption: office.encryption_public };

    let previous = ws.store.read(|r| r.application_version_latest(id))?.map(|v| SealedVersion {
        application_id: app.id,
        number: v.number,
        sealed_at: Moment::parse(&v.sealed_at).unwrap_or(at),
        bytes: v.bytes,
        sha256: v.sha256,
    });
    let version = seal_version(&app, previous.as_ref(), at)?;
    let package_id = uuid::Uuid::now_v7();
    let payload = SubmissionPayload {
        format: 1,
        application_id: app.id.to_string(),
        version: version.number,
        sealed_at: at.to_string(),
        sha256: version.sha256.clone(),
        content: String::from_utf8(version.bytes.clone()).expect("canonical JSON is UTF-8"),
        key_card: identity::key_card(ws)?,
    };
    let row = VersionRow {
        application_id: app.id.to_string(),
        number: version.number,
        sha256: version.sha256.clone(),
        bytes: version.bytes.clone(),
        sealed_at: at.to_string(),
        package_id: Some(package_id.to_string()),
    };
    let event = AuditEvent::new(
        AuditAction::Submit,
        "application_version",
        format!("{}#{}", app.id, version.number),
        version.sha256.clone(),
    );
    ws.store.write(event, |w| w.application_version_insert(&row))?;

    let blobs = BlobStore::new(ws.dir());
    let mut files = Vec::new();
    for a in &app.attachments {
        let path = blobs.path_of(&a.sha256);
        let f = std::fs::File::open(&path).map_err(|source| CoreError::WorkspaceIo { path: path.clone(), source })?;
        files.push((a.name.clone(), a.media_type.clone(), f));
    }
    let attachments: Vec<AttachmentSource> = files
        .iter_mut()
        .map(|(name, media_type, f)| AttachmentSource {
            name: name.clone(),
            media_type: media_type.clone(),
            content: f,
        })
        .collect();
    let bytes = serde_json::to_vec(&payload).expect("a submission payload serialises");
    identity::seal_outgoing(ws, keys, Kind::Submission, package_id, &[office_keys], &bytes, attachments, out)?;
    Ok(Submitted {
        application_id: app.id.to_string(),
        version: version.number,
        sha256: version.sha256,
        path: out.display().to_string(),
        package_id: package_id.to_string(),
    })
}

/// The office's handler for submission packages, run by the import pipeline before its transaction:
/// checks the payload against the manifest and the call, and decides the 申报编号.
pub(crate) fn check_import(
    ws: &mut Workspace,
    inspection: &Inspection,
    payload: &[u8],
    attachment_hashes: &[String],
    file: &str,
) -> Result<(SubmissionRow, super::office::IndexInput, String, String)> {
    let malformed =
        |what: String| CoreError::Package { file: file.to_string(), source: package::PackageError::malformed(what) };
    let p: SubmissionPayload =
        serde_json::from_slice(payload).map_err(|e| malformed(format!("submission payload: {e}")))?;
    if lixiang_store::sha256_hex(p.content.as_bytes()) != p.sha256 {
        return Err(malformed("the version's bytes do not match its hash".into()));
    }
    let app: Application =
        serde_json::from_str(&p.content).map_err(|e| malformed(format!("the application inside: {e}")))?;
    if app.id.to_string() != p.application_id {
        return Err(malformed("the application id differs from the payload's".into()));
    }
    let card = &p.key_card;
    if card.key_id != inspection.manifest.sender.key_id || card.signing_public != inspection.sender.signing {
        return Err(malformed("the key card inside is not the sender's".into()));
    }
    // Every attachment the application lists arrived in the package, byte for byte.
    for a in &app.attachments {
        if !attachment_hashes.contains(&a.sha256) {
            return Err(malformed(format!("the attachment “{}” is listed but not in the package", a.name)));
        }
    }
    let call = calls::get(ws, &app.call_id.to_string())?;
    let id = app.id.to_string();
    if let Some(held) = ws.store.read(|r| r.submission(&id, p.version))? {
        if held.sha256 != p.sha256 {
            return Err(malformed(format!(
                "version {} of this application was received with other content",
                p.version
            )));
        }
    }
    let number = match ws.store.read(|r| r.submission_number(&id))? {
        Some(n) => n,
        None => {
            let prefix = format!("{}-{}-", call.year, call.programme);
            let max = ws.store.read(|r| r.submission_number_max(&prefix))?;
            let next = max.and_then(|m| m[prefix.len()..].parse::<u32>().ok()).unwrap_or(0) + 1;
            format!("{prefix}{next:06}")
        }
    };
    let row = SubmissionRow {
        application_id: id,
        version: p.version,
        sha256: p.sha256.clone(),
        bytes: p.content.into_bytes(),
        call_id: call.id.to_string(),
        programme: call.programme.clone(),
        title: app.title.clone(),
        applicant_name: app.applicant.name.clone(),
        applicant_code: app.applicant.credit_code.clone(),
        sender_key_id: inspection.manifest.sender.key_id.clone(),
        package_id: inspection.manifest.id.to_string(),
        sealed_at: p.sealed_at,
        received_at: identity::now(),
        number: number.clone(),
    };
    let zh = format!("已收到申报书 {number}「{}」第 {} 版（SHA-256 {}）", app.title, p.version, p.sha256);
    let en = format!("received the application {number} “{}”, version {} (SHA-256 {})", app.title, p.version, p.sha256);
    let _ = record_sha256(&row.sha256);
    // The office's list row and 查重 set, written in the import's transaction with the submission.
    let index = super::office::input_for_import(ws, &row, &call, &app)?;
    Ok((row, index, zh, en))
}

/// The office's list: the newest version received of each application.
pub fn received(ws: &mut Workspace) -> Result<Vec<Received>> {
    let (rows, decisions) =
        ws.store.read(|r| Ok::<_, CoreError>((r.submissions_latest()?, r.formal_decisions_latest()?)))?;
    let decided: std::collections::HashMap<String, (String, u32)> =
        decisions.into_iter().map(|d| (d.application_id, (d.decision, d.version))).collect();
    Ok(rows
        .into_iter()
        .map(|s| Received {
            decision: decided.get(&s.application_id).map(|d| d.0.clone()),
            decided_version: decided.get(&s.application_id).map(|d| d.1),
            number: s.number,
            application_id: s.application_id,
            version: s.version,
            sha256: s.sha256,
            programme: s.programme,
            title: s.title,
            applicant_name: s.applicant_name,
            received_at: s.received_at,
        })
        .collect())
}
