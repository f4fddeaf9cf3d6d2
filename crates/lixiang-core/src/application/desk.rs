//! The applicant's desk and the office's in-tray for applications: drafts saved in the workspace, a
//! submission (checked, sealed into an immutable version, carried in a submission package encrypted to
//! the office that published the call, with the applicant's key card), and the office's import of
//! submission packages, which gives each application its 申报编号 `YYYY-ZXnn-NNNNNN` on first arrival.

use super::editor::{EditorContext, FormCheck};
use super::form::{blank_form, parse_form, ApplicationForm, AttachmentForm};
use super::{
    check_submission_time, demo_application_with, seal_version, validate_application_with, Application, SealedVersion,
};
use crate::blobs::BlobStore;
use crate::budget::{held, BudgetSchema};
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
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Submitted {
    pub application_id: String,
    pub version: u32,
    /// SHA-256 of the version's exact bytes: what the applicant and the office both see.
    pub sha256: String,
    pub path: String,
    pub package_id: String,
}

/// An application in the office's list.
#[derive(Debug, Clone, Serialize, specta::Type)]
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

/// Saves a draft given as an application (the CLI's demo, tests): stored as its form.
pub fn save_draft(ws: &mut Workspace, app: &Application) -> Result<()> {
    save_form(ws, &ApplicationForm::from(app)).map(|_| ())
}

/// Saves a draft as typed (nothing is checked beyond its ids, which the app made) and returns when.
pub fn save_form(ws: &mut Workspace, form: &ApplicationForm) -> Result<String> {
    let id = super::ApplicationId::parse(&form.id).ok_or_else(|| CoreError::Validation {
        field: "application.id".into(),
        reason: format!("{:?} is not an id", form.id),
    })?;
    let call = crate::call::CallId::parse(&form.call_id).ok_or_else(|| CoreError::Validation {
        field: "application.call_id".into(),
        reason: format!("{:?} is not an id", form.call_id),
    })?;
    let body = serde_json::to_string(form).expect("a form serialises");
    let (id, call, title, now) = (id.to_string(), call.to_string(), form.title.clone(), identity::now());
    ws.store.write_unaudited(Unaudited::Draft, |w| w.application_draft_put(&id, &call, &title, &body, &now))?;
    Ok(now)
}

/// A draft as typed. Drafts saved before the form existed hold the application itself.
pub fn get_form(ws: &mut Workspace, id: &str) -> Result<ApplicationForm> {
    let body = ws
        .store
        .read(|r| r.application_draft(id))?
        .ok_or_else(|| CoreError::NotFound { what: "application / 申报书".into(), key: id.to_string() })?;
    if let Ok(form) = serde_json::from_str::<ApplicationForm>(&body) {
        return Ok(form);
    }
    let app: Application = serde_json::from_str(&body)
        .map_err(|e| CoreError::Validation { field: format!("application {id}"), reason: e.to_string() })?;
    Ok(ApplicationForm::from(&app))
}

/// A draft as an application: refused, naming each field, when a typed value does not parse.
pub fn get_draft(ws: &mut Workspace, id: &str) -> Result<Application> {
    let form = get_form(ws, id)?;
    let call = calls::get(ws, &form.call_id)?;
    let (app, problems) = parse_form(&form, &call)?;
    if !problems.is_empty() {
        return Err(refused(&app, problems));
    }
    Ok(app)
}

/// One of this workspace's applications, as the applicant's list shows it.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct MyApplication {
    pub id: String,
    pub call_id: String,
    pub call_code: String,
    pub title: String,
    /// When the draft was last saved.
    pub saved_at: String,
    /// `draft`, `submitted`, `accepted`, `returned`, `not_accepted` or `withdrawn`.
    pub state: String,
    pub version: Option<u32>,
    pub sha256: Option<String>,
    /// 申报编号, once a result from the office carried it.
    pub number: Option<String>,
    /// Whether the state comes from a formal-check decision made again after an appeal (申诉成立).
    pub after_appeal: bool,
    /// The office's answer to an appeal on the newest result's version (维持原决定 or 申诉成立, with the reason).
    pub appeal: Option<super::formal::AppealAnswerView>,
}

/// Every application of this workspace, newest saved first.
pub fn my_applications(ws: &mut Workspace) -> Result<Vec<MyApplication>> {
    let calls: std::collections::BTreeMap<String, String> =
        calls::list(ws)?.into_iter().map(|c| (c.id, c.code)).collect();
    let mut out = Vec::new();
    for (id, call_id, title, saved_at) in drafts(ws)? {
        let st = super::formal::status(ws, &id)?;
        out.push(MyApplication {
            call_code: calls.get(&call_id).cloned().unwrap_or_default(),
            id,
            call_id,
            title,
            saved_at,
            state: st.state,
            version: st.version,
            sha256: st.sha256,
            number: st.number,
            after_appeal: st.after_appeal,
            appeal: st.appeal,
        });
    }
    out.sort_by(|a, b| b.saved_at.cmp(&a.saved_at).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
}

/// What a submission would seal, shown before the person chooses where to save the package.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct SubmitPreview {
    pub title: String,
    /// The version's hash: the same one the sealed version will carry (it does not depend on the time).
    pub sha256: String,
    /// Bytes of the version's content.
    pub content_bytes: u32,
    pub attachments: Vec<AttachmentForm>,
    #[specta(type = f64)]
    pub attachment_bytes: u64,
    pub closes_at: String,
    /// The errors that stop the submission (empty when it may go).
    pub blocking: Vec<super::editor::ProblemView>,
    /// Less than 24 hours before the closing time.
    pub closing_soon: bool,
}

/// The summary of what [`submit`] would seal at `at`, with whatever stops it.
pub fn submit_preview(ws: &mut Workspace, id: &str, at: Moment) -> Result<SubmitPreview> {
    let form = get_form(ws, id)?;
    let call = calls::get(ws, &form.call_id)?;
    let check = check_form(ws, &form, at.shanghai_date())?;
    let (app, _) = parse_form(&form, &call)?;
    let mut blocking: Vec<_> = check.problems.into_iter().filter(|p| p.error).collect();
    if let Some(p) = check_submission_time(&call, at) {
        if p.is_error() {
            blocking.push(p.into());
        }
    }
    let bytes = super::version::canonical_bytes(&app)
        .map_err(|e| CoreError::Validation { field: "application".into(), reason: e.to_string() })?;
    let until_close = call.closes_at.unix_seconds() - at.unix_seconds();
    Ok(SubmitPreview {
        title: app.title.clone(),
        sha256: lixiang_store::sha256_hex(&bytes),
        content_bytes: u32::try_from(bytes.len()).unwrap_or(u32::MAX),
        attachment_bytes: form.attachments.iter().map(|a| a.size).sum(),
        attachments: form.attachments,
        closes_at: call.closes_at.to_string(),
        blocking,
        closing_soon: (0..24 * 3600).contains(&until_close),
    })
}

/// A new, empty draft for a call (saved at once, so it is in the list).
pub fn new_draft(ws: &mut Workspace, call_code_or_id: &str) -> Result<ApplicationForm> {
    let call = calls::get(ws, call_code_or_id)?;
    let form = blank_form(&call);
    save_form(ws, &form)?;
    Ok(form)
}

/// The budget schema `call` follows, as this workspace holds it: received with the call package (or
/// added by the office), else shipped. `None` when it holds none under that code and version.
pub(crate) fn schema_of(ws: &mut Workspace, call: &crate::call::Call) -> Result<Option<BudgetSchema>> {
    Ok(held::find(ws, &call.budget.schema)?.map(|h| h.schema))
}

/// The editor's context for a draft's call.
pub fn editor_context(ws: &mut Workspace, call_id: &str) -> Result<EditorContext> {
    let call = calls::get(ws, call_id)?;
    let cat = catalog::get(ws)?;
    let schema = schema_of(ws, &call)?;
    Ok(super::editor::editor_context(&call, schema.as_ref(), &cat))
}

/// The live check of a form: every check of the application, the attachments' files, the budget's
/// figures.
pub fn check_form(ws: &mut Workspace, form: &ApplicationForm, today: crate::calendar::Date) -> Result<FormCheck> {
    let call = calls::get(ws, &form.call_id)?;
    let cat = catalog::get(ws)?;
    let schema = schema_of(ws, &call)?;
    let mut check = super::editor::check_form(&call, schema.as_ref(), form, &cat, today)?;
    let (app, _) = parse_form(form, &call)?;
    for p in missing_files(ws, &app) {
        check.errors += 1;
        check.by_section.entry("attachments".into()).or_default().0 += 1;
        check.problems.push(p.into());
    }
    Ok(check)
}

/// Copies a file into the workspace's attachment store for the call's attachment `rule`: refused when
/// the call has no such rule, the file cannot be read, or it is larger than the rule allows. Its type
/// is sniffed from its first bytes; whether that agrees with its name is for the checks to say.
pub fn attach_file(ws: &mut Workspace, call_id: &str, rule: &str, path: &Path) -> Result<AttachmentForm> {
    use sha2::Digest;
    use std::io::{Read, Write};
    let call = calls::get(ws, call_id)?;
    let file = path.display().to_string();
    let refuse = |code: &str, zh: String, en: String| CoreError::AttachmentRefused {
        file: file.clone(),
        problem: Box::new(Problem::error(code, format!("attachments[{rule}]"), zh, en)),
    };
    let Some(r) = call.attachments.iter().find(|a| a.code == rule) else {
        return Err(refuse(
            "application.attachment.unknown_rule",
            format!("指南没有附件项「{rule}」"),
            format!("The call asks for no attachment “{rule}”"),
        ));
    };
    let unreadable = |e: std::io::Error| {
        refuse("application.attachment.unreadable", format!("无法读取：{e}"), format!("cannot be read: {e}"))
    };
    let size = std::fs::metadata(path).map_err(unreadable)?.len();
    if size > r.max_bytes {
        let limit = super::check::fmt_bytes(r.max_bytes);
        return Err(refuse(
            "application.attachment.too_large",
            format!("「{}」最大 {limit}，此文件 {}：请压缩或拆分后再添加", r.name.zh, super::check::fmt_bytes(size)),
            format!(
                "“{}” may be at most {limit}; this file is {}: compress or split it",
                r.name.en,
                super::check::fmt_bytes(size)
            ),
        ));
    }
    // Streamed through the hash into the staging area: an attachment may be tens of megabytes.
    let blobs = BlobStore::new(ws.dir());
    let mut input = std::fs::File::open(path).map_err(unreadable)?;
    let mut staged = tempfile::NamedTempFile::new_in(blobs.staging_dir().map_err(|e| blobs.io_error(e))?)
        .map_err(|e| blobs.io_error(e))?;
    let (mut hasher, mut head, mut buf) = (sha2::Sha256::new(), Vec::new(), vec![0u8; 64 * 1024]);
    let mut copied = 0u64;
    loop {
        let n = input.read(&mut buf).map_err(unreadable)?;
        if n == 0 {
            break;
        }
        if head.len() < 16 {
            head.extend_from_slice(&buf[..n.min(16 - head.len())]);
        }
        hasher.update(&buf[..n]);
        staged.write_all(&buf[..n]).map_err(|e| blobs.io_error(e))?;
        copied += n as u64;
    }
    let sha256 = hex::encode(hasher.finalize());
    blobs.keep(staged.into_temp_path(), &sha256).map_err(|e| blobs.io_error(e))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| file.clone());
    Ok(AttachmentForm {
        rule: rule.to_string(),
        name,
        sha256,
        size: copied,
        media_type: super::sniff_media_type(&head).unwrap_or("application/octet-stream").to_string(),
    })
}

/// Every draft: (id, call id, title, saved at).
pub fn drafts(ws: &mut Workspace) -> Result<Vec<(String, String, String, String)>> {
    Ok(ws.store.read(|r| r.application_drafts())?)
}

/// A new draft for a call, filled with the demo content (synthetic people and units) and with real
/// attachment files in the blob store: the quickest way to see the whole flow.
pub fn new_demo_draft(ws: &mut Workspace, call_code: &str) -> Result<Application> {
    new_demo_draft_as_unit(ws, call_code, None)
}

/// [`new_demo_draft`] as the `unit`-th (0-based) designated or invited unit of a 定向委托 call (the demo
/// applies as the first): how a second invited unit's plan is rehearsed. Refused for a call in another
/// mode or a unit it does not name.
pub fn new_demo_draft_as_unit(ws: &mut Workspace, call_code: &str, unit: Option<usize>) -> Result<Application> {
    new_demo_draft_titled(ws, call_code, unit, None)
}

/// [`new_demo_draft_as_unit`] under a title of its own: another application with the demo content, with
/// its own id (the same for the same call, unit and title), so that one workspace can rehearse a call
/// with several applications (a ranking, a shortlist, a panel) from the command line.
pub fn new_demo_draft_titled(
    ws: &mut Workspace,
    call_code: &str,
    unit: Option<usize>,
    title: Option<&str>,
) -> Result<Application> {
    let call = calls::get(ws, call_code)?;
    let schema = schema_of(ws, &call)?;
    let mut app = demo_application_with(&call, schema.as_ref());
    if let Some(t) = title.map(str::trim).filter(|t| !t.is_empty()) {
        app.title = t.to_string();
        // The random part of the UUID v7 (bytes 10–15) takes the title's hash; version and variant stay.
        let digest = <sha2::Sha256 as sha2::Digest>::digest(t.as_bytes());
        let mut bytes = *app.id.uuid().as_bytes();
        for (b, h) in bytes[10..].iter_mut().zip(digest.iter()) {
            *b ^= h;
        }
        app.id = super::ApplicationId::from_uuid(uuid::Uuid::from_bytes(bytes)).unwrap_or_default();
    }
    if let Some(k) = unit {
        let crate::call::Mode::DirectedCommission { units } = &call.mode else {
            return Err(CoreError::Validation {
                field: "unit".into(),
                reason: format!("指南 {0} 不是定向委托 / call {0} is not a directed commission", call.code),
            });
        };
        let u = units.get(k).ok_or_else(|| CoreError::Validation {
            field: "unit".into(),
            reason: format!(
                "指南 {0} 只有 {1} 家指定（受邀）单位 / call {0} names {1} unit(s)",
                call.code,
                units.len()
            ),
        })?;
        // The unit's name and credit code wherever the demo put the first unit's (applicant, team).
        let json = serde_json::to_string(&app)
            .expect("an application serialises")
            .replace(&units[0].credit_code, &u.credit_code)
            .replace(&units[0].name, &u.name);
        app = serde_json::from_str(&json).expect("only names and codes were replaced");
        // Another unit's demo is another application: its own id, the same for the same call and unit.
        let mut bytes = *app.id.uuid().as_bytes();
        bytes[13] ^= k as u8;
        app.id = super::ApplicationId::from_uuid(uuid::Uuid::from_bytes(bytes)).unwrap_or_default();
    }
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

/// The demo's figure (a technical route, `scripts/demo-figure.py`): a real image, so that a printed
/// demo 申报书 shows it rather than a note that it cannot be drawn.
pub const DEMO_FIGURE_PNG: &[u8] = include_bytes!("../../../../seeds/demo/roadmap.png");

/// A small real file of the attachment's type (a one-page PDF, a PNG image), so sniffing agrees.
fn demo_file(name: &str) -> Vec<u8> {
    if name.to_ascii_lowercase().ends_with(".png") {
        return DEMO_FIGURE_PNG.to_vec();
    }
    format!("%PDF-1.4\n% {name}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n").into_bytes()
}

/// The live check of a draft: every problem, each naming its section and field.
pub fn validate(ws: &mut Workspace, app: &Application, today: crate::calendar::Date) -> Result<Vec<Problem>> {
    let call = calls::get(ws, &app.call_id.to_string())?;
    let cat = catalog::get(ws)?;
    let schema = schema_of(ws, &call)?;
    let mut problems = validate_application_with(&call, schema.as_ref(), app, &cat, today);
    problems.extend(missing_files(ws, app));
    Ok(problems)
}

/// Attachments must be present in this workspace: they travel in the submission package.
fn missing_files(ws: &Workspace, app: &Application) -> Vec<Problem> {
    let blobs = BlobStore::new(ws.dir());
    app.attachments
        .iter()
        .enumerate()
        .filter(|(_, a)| !blobs.contains(&a.sha256))
        .map(|(i, a)| {
            Problem::error(
                "application.attachment.missing_file",
                format!("attachments[{i}]"),
                format!("【附件】附件「{}」的文件不在本工作区中，请重新添加", a.name),
                format!("Attachments: the file of the attachment “{}” is not in this workspace: add it again", a.name),
            )
        })
        .collect()
}

/// Submits a draft at `at`: refused with every problem when the checks find an error or the call has
/// closed; otherwise sealed as the next version (audited) and written to `out` as a submission package
/// encrypted to the office that published the call.
pub fn submit(ws: &mut Workspace, keys: &SecretKeys, id: &str, at: Moment, out: &Path) -> Result<Submitted> {
    let app = get_draft(ws, id)?;
    super::formal::refuse_if_withdrawn(ws, &app)?;
    let call = calls::get(ws, &app.call_id.to_string())?;
    let mut problems = validate(ws, &app, at.shanghai_date())?;
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

/// A submission package checked by [`check_import`], waiting for the import's transaction, in which
/// [`receive`] numbers and writes it.
pub(crate) struct Incoming {
    row: SubmissionRow,
    index: super::office::IndexInput,
    /// The 申报编号's prefix (`2027-ZX06-`): the call's year and programme.
    prefix: String,
    file: String,
}

/// The office's handler for submission packages, run by the import pipeline before its transaction:
/// checks the payload against the manifest and the call, and computes the list's index row and 查重 set.
/// The 申报编号 is not decided here but by [`receive`], inside the transaction, so that imports running
/// at once (a batch, the app and the CLI) never give one number twice or skip one.
pub(crate) fn check_import(
    ws: &mut Workspace,
    lookups: &mut crate::import::Lookups,
    inspection: &Inspection,
    payload: &[u8],
    attachment_hashes: &[String],
    file: &str,
) -> Result<Incoming> {
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
    let call = lookups.call(ws, &app.call_id.to_string())?;
    let schema = lookups.schema(ws, &call)?;
    let row = SubmissionRow {
        application_id: app.id.to_string(),
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
        number: String::new(),
    };
    let prefix = format!("{}-{}-", call.year, call.programme);
    // The office's list row and 查重 set, written in the import's transaction with the submission.
    let index = super::office::index_input(
        &row,
        Some(&call),
        schema.as_ref(),
        Some(&app),
        lookups.catalog(ws)?,
        super::office::OfficeStatus::Received,
    );
    Ok(Incoming { row, index, prefix, file: file.to_string() })
}

/// Writes a checked submission inside the import's transaction: refuses a version already received
/// with other content, gives the application its 申报编号 (the one it has, else the next of its call's
/// year and programme), and writes the submission with its list row and 查重 set. Returns the summary.
pub(crate) fn receive(
    w: &lixiang_store::Writer<'_>,
    mut incoming: Incoming,
    seen: &mut super::office::SetsSeen,
) -> Result<(String, String)> {
    let r = w.reader();
    let row = &incoming.row;
    if let Some(held) = r.submission(&row.application_id, row.version)? {
        if held.sha256 != row.sha256 {
            return Err(CoreError::Package {
                file: incoming.file,
                source: package::PackageError::malformed(format!(
                    "version {} of this application was received with other content",
                    row.version
                )),
            });
        }
    }
    let number = match r.submission_number(&row.application_id)? {
        Some(n) => n,
        None => {
            let prefix = &incoming.prefix;
            let max = r.submission_number_max(prefix)?;
            let held = max.and_then(|m| m[prefix.len()..].parse::<u64>().ok()).unwrap_or(0);
            // Past the floor a restore set (crate::counters), so that numbers the lost machine gave
            // after its backup are not given again.
            let floor = r.counter_floor(&format!("{}{prefix}", lixiang_store::COUNTER_SUBMISSION_NUMBER))?;
            let next = held.max(floor) + 1;
            format!("{prefix}{next:06}")
        }
    };
    incoming.row.number = number.clone();
    incoming.index.set_number(&number);
    w.submission_insert(&incoming.row)?;
    super::office::index_in(w, &incoming.index, seen)?;
    let row = &incoming.row;
    let zh = format!("已收到申报书 {number}「{}」第 {} 版（SHA-256 {}）", row.title, row.version, row.sha256);
    let en =
        format!("received the application {number} “{}”, version {} (SHA-256 {})", row.title, row.version, row.sha256);
    Ok((zh, en))
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
