//! What a printed 申报书 is made from: one application — the draft as typed, or a sealed version by
//! number — with the call revision it was prepared against, the budget schema, the catalog (for the
//! plan targets its indicators name) and the bytes of the figures its long sections show, read from the
//! blob store and re-hashed. The PDF engine (lixiang-pdf) lays this out; this module decides *what* is
//! printed and must not know about typst or fonts.
//!
//! A sealed version is printed from its stored bytes, which are checked against its SHA-256 first, so
//! the hash on the cover is the hash of exactly what is printed. A draft is printed as far as it parses
//! (a field that does not parse prints as empty) and is marked 草稿 by the engine.

use super::form::parse_form;
use super::{desk, Application, ApplicationId, SealedVersion};
use crate::blobs::BlobStore;
use crate::budget::BudgetSchema;
use crate::calendar::Moment;
use crate::call::{self, Call};
use crate::catalog::{self, Catalog};
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use std::collections::BTreeMap;

/// Which state of the application is printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Printed {
    /// The draft as last saved; nothing on it is final.
    Draft,
    /// A sealed version: its number, its SHA-256 (verified against the bytes printed) and when it was
    /// sealed (RFC 3339 as stored).
    Version { number: u32, sha256: String, sealed_at: String },
}

/// Why a figure cannot be drawn. The printed page says so where the figure would be, rather than the
/// print failing: a draft may be printed to look at it before its files are complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FigureGap {
    /// No file with this SHA-256 in the workspace's blob store.
    NotInWorkspace,
    /// The file's bytes no longer hash to its name (the store was damaged).
    HashMismatch,
    /// The file is not a PNG or JPEG image (a PDF used as a figure, say).
    NotAnImage,
}

/// A figure's bytes as found in the blob store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Figure {
    Png(Vec<u8>),
    Jpeg(Vec<u8>),
    Unavailable(FigureGap),
}

/// Everything one printed 申报书 shows.
#[derive(Debug, Clone)]
pub struct PrintSource {
    pub app: Application,
    pub call: Call,
    /// The schema the call's budget follows, when this program ships it (else the budget prints its
    /// lines by category code, without subtotals).
    pub schema: Option<BudgetSchema>,
    pub catalog: Catalog,
    pub printed: Printed,
    /// The 申报编号, once the office assigned it (known to the office, and to the applicant after a
    /// formal-check result came back).
    pub number: Option<String>,
    /// The figures of the long sections, by SHA-256.
    pub figures: BTreeMap<String, Figure>,
}

/// Gathers what to print for the application `key` (its id, or the 申报编号 on the office's side).
///
/// `version: None` prints the draft when this workspace holds one (the applicant), else the newest
/// version sealed here or received (the office); `Some(n)` prints version n, sealed here or received.
/// Errors: [`CoreError::NotFound`] for an unknown application or version; [`CoreError::Validation`]
/// when a stored version's bytes do not match its hash or do not read as an application.
pub fn print_source(ws: &mut Workspace, key: &str, version: Option<u32>) -> Result<PrintSource> {
    let key = key.trim();
    let id = resolve_id(ws, key)?;
    let (app, printed) = match version {
        None => match ws.store.read(|r| r.application_draft(&id))? {
            Some(_) => {
                let form = desk::get_form(ws, &id)?;
                let call = call::desk::get(ws, &form.call_id)?;
                // A draft prints as far as it parses: what does not parse is for the checks to report.
                let (app, _problems) = parse_form(&form, &call)?;
                (app, Printed::Draft)
            }
            None => {
                let newest = ws.store.read(|r| {
                    let own = r.application_version_latest(&id)?.map(|v| v.number);
                    let received = r.submission_latest(&id)?.map(|s| s.version);
                    Ok::<_, CoreError>(own.max(received))
                })?;
                let n = newest.ok_or_else(|| not_found(key))?;
                sealed(ws, &id, n)?
            }
        },
        Some(n) => sealed(ws, &id, n)?,
    };
    let call = call_revision(ws, &app)?;
    let schema = super::desk::schema_of(ws, &call)?;
    let catalog = catalog::get(ws)?;
    let number = match ws.store.read(|r| r.submission_number(&id))? {
        Some(n) => Some(n),
        // The applicant learns it from the office's result; a status that cannot be read only means
        // no number is printed.
        None => super::formal::status(ws, &id).ok().and_then(|s| s.number),
    };
    let figures = figures(ws, &app);
    Ok(PrintSource { app, call, schema, catalog, printed, number, figures })
}

fn not_found(key: &str) -> CoreError {
    CoreError::NotFound { what: "application / 申报书".into(), key: key.to_string() }
}

/// The application id for an id or a 申报编号.
fn resolve_id(ws: &mut Workspace, key: &str) -> Result<String> {
    if let Some(id) = ApplicationId::parse(key) {
        return Ok(id.to_string());
    }
    ws.store
        .read(|r| r.submissions_latest())?
        .into_iter()
        .find(|s| s.number == key)
        .map(|s| s.application_id)
        .ok_or_else(|| not_found(key))
}

/// Version `n`, from this workspace's own sealed versions, else from the submissions received; its
/// bytes verified against its hash.
fn sealed(ws: &mut Workspace, id: &str, n: u32) -> Result<(Application, Printed)> {
    let (bytes, sha256, sealed_at) = ws
        .store
        .read(|r| {
            if let Some(v) = r.application_version(id, n)? {
                return Ok::<_, CoreError>(Some((v.bytes, v.sha256, v.sealed_at)));
            }
            Ok(r.submission(id, n)?.map(|s| (s.bytes, s.sha256, s.sealed_at)))
        })?
        .ok_or_else(|| CoreError::NotFound {
            what: "application version / 申报书版本".into(),
            key: format!("{id} v{n}"),
        })?;
    let app_id = ApplicationId::parse(id).ok_or_else(|| not_found(id))?;
    let version = SealedVersion {
        application_id: app_id,
        number: n,
        sealed_at: Moment::parse(&sealed_at).unwrap_or_else(Moment::now_utc),
        bytes,
        sha256,
    };
    let field = format!("application {id} version {n}");
    if !version.verify() {
        return Err(CoreError::Validation {
            field,
            reason: "stored bytes do not match the version's SHA-256 / 存储的内容与版本哈希不一致".into(),
        });
    }
    let app = version.application().map_err(|e| CoreError::Validation { field, reason: e.to_string() })?;
    Ok((app, Printed::Version { number: n, sha256: version.sha256, sealed_at }))
}

/// The call revision the application was prepared against; the newest one when that revision is not in
/// this workspace (an office that only kept the latest).
fn call_revision(ws: &mut Workspace, app: &Application) -> Result<Call> {
    let id = app.call_id.to_string();
    let row = ws.store.read(|r| r.call_revision(&id, app.call_revision))?;
    match row {
        Some(row) => serde_json::from_str(&row.body).map_err(|e| CoreError::Validation {
            field: format!("call {} revision {}", row.code, row.revision),
            reason: format!("stored call unreadable: {e}"),
        }),
        None => call::desk::get(ws, &id),
    }
}

/// The figures of every long section, read whole and re-hashed (a damaged store must not print a
/// picture that is not the one sealed).
fn figures(ws: &Workspace, app: &Application) -> BTreeMap<String, Figure> {
    use sha2::Digest;
    let blobs = BlobStore::new(ws.dir());
    let mut out = BTreeMap::new();
    for sha in app.sections.values().flat_map(|t| t.images()) {
        if out.contains_key(sha) {
            continue;
        }
        let figure = match std::fs::read(blobs.path_of(sha)) {
            Err(_) => Figure::Unavailable(FigureGap::NotInWorkspace),
            Ok(bytes) if hex::encode(sha2::Sha256::digest(&bytes)) != sha => {
                Figure::Unavailable(FigureGap::HashMismatch)
            }
            Ok(bytes) => match super::sniff_media_type(&bytes) {
                Some(super::media::PNG) => Figure::Png(bytes),
                Some(super::media::JPEG) => Figure::Jpeg(bytes),
                _ => Figure::Unavailable(FigureGap::NotAnImage),
            },
        };
        out.insert(sha.to_string(), figure);
    }
    out
}
