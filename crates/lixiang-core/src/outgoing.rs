//! Result packages the office writes to applicants (形式审查 results and 立项 results), kept so that a copy that
//! was lost, or could not be written where the officer asked, is written again byte for byte.
//!
//! Why keep the sealed file and not seal again: sealing encrypts with fresh randomness, so a second seal of the
//! same decision is a different file under the same package id, and an applicant who already imported the first
//! copy would have the second refused as a reused id (`package.id_reused`). Keeping the exact bytes makes a
//! re-sent copy "already imported" there instead.
//!
//! The order that makes this safe: the payload is recorded in the decision's own transaction
//! ([`pending`] → `outgoing_insert`); the package is then sealed into the blob store and the kept file's hash
//! noted; only then is it copied to the chosen path. A crash before the hash is noted leaves a decision whose
//! package no applicant can have received, so sealing it again under the recorded id is safe ([`deliver`]).

use crate::blobs::BlobStore;
use crate::identity;
use crate::package::Kind;
use crate::package::{PublicKeys, SecretKeys};
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{OutgoingRow, Unaudited};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Which decision a result package carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The formal check's decision (受理 / 退回修改 / 不予受理).
    Formal,
    /// The funding decision (立项 / 不予立项).
    Funding,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Formal => "formal",
            Stage::Funding => "funding",
        }
    }
}

/// A result package written (again) to a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Resent {
    pub number: String,
    pub package_id: String,
    pub path: String,
    /// SHA-256 of the file, the same every time it is written.
    pub file_sha256: String,
    /// True when no kept copy existed and the recorded payload was sealed (under its recorded id).
    pub sealed_now: bool,
}

/// The record of a result package about to be sealed, for the decision's transaction.
pub(crate) fn pending(
    stage: Stage,
    application_id: &str,
    number: &str,
    recipient_key_id: &str,
    file_name: &str,
    package_id: &str,
    payload: Vec<u8>,
) -> OutgoingRow {
    OutgoingRow {
        package_id: package_id.to_string(),
        kind: Kind::Result.as_str().to_string(),
        stage: stage.as_str().to_string(),
        application_id: application_id.to_string(),
        number: number.to_string(),
        recipient_key_id: recipient_key_id.to_string(),
        file_name: file_name.to_string(),
        payload,
        file_sha256: None,
        created_at: identity::now(),
    }
}

/// Writes the recorded result package `package_id` to `out`: the kept file when there is one, else the
/// recorded payload sealed now under the recorded id (and kept). A failure to write `out` leaves the kept
/// copy and is reported as [`CoreError::ResultNotWritten`], naming the way to write it again.
pub(crate) fn deliver(ws: &mut Workspace, keys: &SecretKeys, package_id: &str, out: &Path) -> Result<Resent> {
    let row = ws
        .store
        .read(|r| r.outgoing(package_id))?
        .ok_or_else(|| CoreError::NotFound { what: "result package / 结果包".into(), key: package_id.into() })?;
    let blobs = BlobStore::new(ws.dir());
    let (sha256, sealed_now) = match row.file_sha256.as_deref().filter(|h| blobs.contains(h)) {
        Some(h) => (h.to_string(), false),
        None => (seal_and_keep(ws, keys, &row, &blobs)?, true),
    };
    copy_out(&blobs.path_of(&sha256), out).map_err(|e| CoreError::ResultNotWritten {
        number: row.number.clone(),
        path: out.to_path_buf(),
        package_id: row.package_id.clone(),
        reason: e.to_string(),
    })?;
    Ok(Resent {
        number: row.number,
        package_id: row.package_id,
        path: out.display().to_string(),
        file_sha256: sha256,
        sealed_now,
    })
}

/// Seals the recorded payload into the blob store and notes the kept file; returns its hash.
fn seal_and_keep(ws: &mut Workspace, keys: &SecretKeys, row: &OutgoingRow, blobs: &BlobStore) -> Result<String> {
    let contact = ws
        .store
        .read(|r| r.contact(&row.recipient_key_id))?
        .ok_or_else(|| CoreError::NotFound { what: "contact / 联系人".into(), key: row.recipient_key_id.clone() })?;
    let to = PublicKeys { signing: contact.signing_public, encryption: contact.encryption_public };
    let id = uuid::Uuid::parse_str(&row.package_id).map_err(|_| CoreError::Validation {
        field: "package_id".into(),
        reason: format!("{} is not a package id", row.package_id),
    })?;
    let staging = blobs.staging_dir().map_err(|e| blobs.io_error(e))?;
    let staged = tempfile::Builder::new()
        .prefix("result-")
        .tempfile_in(&staging)
        .map_err(|e| blobs.io_error(e))?
        .into_temp_path();
    let written = identity::seal_outgoing(ws, keys, Kind::Result, id, &[to], &row.payload, Vec::new(), &staged)?;
    blobs.keep(staged, &written.file_sha256).map_err(|e| blobs.io_error(e))?;
    ws.store
        .write_unaudited(Unaudited::OutgoingFile, |w| w.outgoing_set_file(&row.package_id, &written.file_sha256))?;
    Ok(written.file_sha256)
}

/// Copies a kept file to `out` through a temporary name in the same folder, fsynced, then renamed, so `out` is
/// either the whole package or untouched.
fn copy_out(kept: &Path, out: &Path) -> std::io::Result<()> {
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new().prefix(".lixiang-").tempfile_in(dir)?;
    tmp.write_all(&std::fs::read(kept)?)?;
    tmp.as_file().sync_all()?;
    tmp.persist(out).map_err(|e| e.error)?;
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

/// Writes the newest formal-check result of an application (by 申报编号 or application id) again to `out`.
pub fn resend_formal(ws: &mut Workspace, keys: &SecretKeys, number_or_id: &str, out: &Path) -> Result<Resent> {
    let number = crate::application::formal::received_row(ws, number_or_id)?.number;
    let newest = ws.store.read(|r| r.outgoing_of_number(&number, Stage::Formal.as_str()))?.into_iter().next();
    let row = newest.ok_or_else(|| CoreError::NotFound {
        what: "formal-check result package / 形式审查结果包".into(),
        key: number.clone(),
    })?;
    deliver(ws, keys, &row.package_id, out)
}

/// Writes the funding result packages of a round's final decisions again into `out_dir`, under the names they
/// were first written with; `numbers` limits them to some 申报编号 (each must have a final decision).
pub fn resend_funding(
    ws: &mut Workspace,
    keys: &SecretKeys,
    call: &str,
    round: u32,
    numbers: &[String],
    out_dir: &Path,
) -> Result<Vec<Resent>> {
    let call_id = crate::call::desk::get(ws, call)?.id.to_string();
    let finals = ws.store.read(|r| r.finals(&call_id, round))?;
    if finals.is_empty() {
        return Err(CoreError::NotFound {
            what: "final decisions / 最终立项决定".into(),
            key: format!("{call} round {round}"),
        });
    }
    if let Some(missing) = numbers.iter().find(|n| !finals.iter().any(|f| &f.number == *n)) {
        return Err(CoreError::NotFound {
            what: "final decision / 最终立项决定".into(),
            key: format!("{missing} ({call} round {round})"),
        });
    }
    if !out_dir.is_dir() {
        return Err(CoreError::Validation {
            field: out_dir.display().to_string(),
            reason: format!("目录 {0} 不存在 / the folder {0} does not exist", out_dir.display()),
        });
    }
    let mut done = Vec::new();
    for f in finals.iter().filter(|f| numbers.is_empty() || numbers.contains(&f.number)) {
        let name = ws.store.read(|r| r.outgoing(&f.package_id))?.map(|r| r.file_name).ok_or_else(|| {
            CoreError::NotFound { what: "result package / 结果包".into(), key: f.package_id.clone() }
        })?;
        let path: PathBuf = out_dir.join(name);
        done.push(deliver(ws, keys, &f.package_id, &path)?);
    }
    Ok(done)
}
