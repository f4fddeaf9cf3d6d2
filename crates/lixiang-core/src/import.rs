//! The import pipeline for `.lxpkg` files: verify everything first, then write in one transaction.
//!
//! 1. Pass 1 ([`package::inspect`]): format, suite, structure, limits, the signature over every byte.
//!    A damaged or forged file is refused here, before anyone is asked to confirm anything.
//! 2. Seen before? The same package id with the same file hash is "already imported on DATE" and writes
//!    nothing (exit 0); the same id with other bytes is refused (`package.id_reused`).
//! 3. The sender: a revoked contact is refused; an unknown sender needs a person to confirm the
//!    fingerprint (trust on first use: `--trust-fingerprint "…"` in the CLI, a dialog in the app), else
//!    [`CoreError::TrustNeeded`] (exit 5). A revocation card needs no confirmation when it revokes a key
//!    already trusted (it is signed by that very key).
//! 4. The kind needs a handler here; a kind without one is refused with `package.no_handler`.
//! 5. Pass 2 ([`package::open`]): decrypt with this workspace's keys (confidential kinds), stream the
//!    attachments into staging files beside the blob store (or nowhere, when the store holds that
//!    content already), check every hash.
//! 6. One transaction: the kind's handler, the imported-package row, the audit event. Staged
//!    attachments are moved into the blob store (fsynced) before it commits; they are content-addressed,
//!    so a rollback leaves at most an unreferenced blob, never a reference without its blob.
//!
//! A folder of submissions ([`import_files`]) goes through the same steps in batches: steps 1 to 5 for
//! up to 64 packages, their blobs made durable together, then one transaction with a savepoint per
//! package, so that the fsyncs and the commit are shared and each package stays all or nothing.

use crate::audit::record_sha256;
use crate::blobs::{BlobStore, Staged};
use crate::identity::{KeyCard, Revocation};
use crate::package::{self, Inspection, Kind, Limits, SecretKeys};
use crate::workspace::Workspace;
use crate::{CoreError, Lang, Result};
use lixiang_store::{AuditAction, AuditEvent, Contact, ImportedPackage};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// What the person said about an unknown sender.
#[derive(Debug, Clone, Default)]
pub enum Trust {
    /// Nothing yet: an unknown sender stops the import with [`CoreError::TrustNeeded`].
    #[default]
    AskFirst,
    /// The fingerprint the person compared (read out by phone, printed on a letter). It must equal the
    /// sender's, digit for digit (spaces optional).
    Fingerprint(String),
}

/// How an import ended (refusals are errors).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum ImportOutcome {
    /// Imported now.
    Imported { package_id: String, kind: String, sender_key_id: String, summary_zh: String, summary_en: String },
    /// The same file was imported before; nothing was written.
    AlreadyImported { package_id: String, kind: String, imported_at: String },
}

impl ImportOutcome {
    /// One line for a person.
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            ImportOutcome::Imported { summary_zh, summary_en, .. } => lang.pick(summary_zh, summary_en).to_string(),
            ImportOutcome::AlreadyImported { package_id, imported_at, .. } => match lang {
                Lang::Zh => format!("已于 {imported_at} 导入过此文件包（{package_id}），未作任何更改"),
                Lang::En => format!("already imported on {imported_at} ({package_id}); nothing was changed"),
            },
        }
    }
}

/// The kinds this version can import. Others are refused with `package.no_handler` naming the kind.
fn has_handler(kind: &Kind) -> bool {
    matches!(
        kind,
        Kind::KeyCard
            | Kind::Revocation
            | Kind::Call
            | Kind::Submission
            | Kind::Result
            | Kind::ReviewPacket
            | Kind::ReviewReturn
            | Kind::Withdrawal
    )
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// At most this many packages are verified and staged before their blobs are made durable and their
/// rows committed together (see [`import_files`]): enough to share the fsyncs and the commit, few enough
/// that a progress report follows within a fraction of a second and a crash loses little work.
const BATCH_PACKAGES: usize = 64;

/// A batch is closed early when its staged attachments reach this many bytes, so that large packages
/// are made durable (and reported) without waiting for more, and so that the small attachments held in
/// memory until they are written stay bounded (two batches' worth: one prepared, one being written).
const BATCH_BYTES: u64 = 32 << 20;

/// What the handlers read again and again during an import, read once per batch: the catalog and the
/// calls (a call's JSON is parsed for each submission to it otherwise). Dropped when the batch lands,
/// so that a call revised meanwhile is seen by the next batch.
#[derive(Default)]
pub(crate) struct Lookups {
    catalog: Option<crate::catalog::Catalog>,
    calls: std::collections::HashMap<String, crate::call::Call>,
    schemas: std::collections::HashMap<crate::budget::SchemaRef, Option<crate::budget::BudgetSchema>>,
}

impl Lookups {
    pub(crate) fn catalog(&mut self, ws: &mut Workspace) -> Result<&crate::catalog::Catalog> {
        if self.catalog.is_none() {
            self.catalog = Some(crate::catalog::get(ws)?);
        }
        Ok(self.catalog.as_ref().expect("filled above"))
    }

    /// The newest revision of a call (by id or code).
    pub(crate) fn call(&mut self, ws: &mut Workspace, code_or_id: &str) -> Result<crate::call::Call> {
        if let Some(c) = self.calls.get(code_or_id) {
            return Ok(c.clone());
        }
        let c = crate::call::desk::get(ws, code_or_id)?;
        self.calls.insert(code_or_id.to_string(), c.clone());
        Ok(c)
    }

    /// The budget schema `call` follows, as the workspace holds it (see `application::desk::schema_of`).
    pub(crate) fn schema(
        &mut self,
        ws: &mut Workspace,
        call: &crate::call::Call,
    ) -> Result<Option<crate::budget::BudgetSchema>> {
        if let Some(s) = self.schemas.get(&call.budget.schema) {
            return Ok(s.clone());
        }
        let s = crate::application::desk::schema_of(ws, call)?;
        self.schemas.insert(call.budget.schema.clone(), s.clone());
        Ok(s)
    }
}

/// A package verified, decrypted and checked, its attachments staged: what its transaction writes.
struct Ready {
    path: PathBuf,
    file: String,
    package_id: String,
    file_sha256: String,
    record: ImportedPackage,
    digest: String,
    sender_key_id: String,
    handled: Handled,
    first_contact: Option<Contact>,
    staged: Vec<(Staged, String)>,
    staged_bytes: u64,
}

/// Imports one package file into the workspace. `my_keys` is the unlocked identity (needed for
/// confidential kinds; key and revocation cards are public).
pub fn import_file(
    ws: &mut Workspace,
    path: &Path,
    my_keys: Option<&SecretKeys>,
    trust: &Trust,
    limits: &Limits,
) -> Result<ImportOutcome> {
    let inspection = package::inspect(path, limits)?;
    match prepare(ws, &mut Lookups::default(), path, inspection, my_keys, trust, limits)? {
        Prepared::Done(outcome) => Ok(outcome),
        Prepared::Ready(ready) => land(ws, vec![*ready])?.pop().expect("one outcome for each package landed"),
    }
}

/// Imports package files in order, each as [`import_file`] would, and calls `each` with every file's
/// outcome in the same order (a refusal is an outcome: the others go on).
///
/// Submissions are imported in batches: up to [`BATCH_PACKAGES`] are verified, decrypted and checked,
/// then their attachments are made durable together ([`BlobStore::keep_all`]), then one transaction
/// writes them, each package in a savepoint of its own with its own audit event
/// ([`lixiang_store::Store::write_batch`]). One package's refusal rolls back that package alone; a crash
/// leaves each package of the batch wholly absent (and importing the folder again completes it). The
/// 申报编号 are given inside that transaction, in file order. A batch is made durable and committed on a
/// writer thread (with a second connection to the database) while the next batch is verified and
/// decrypted here: batches still commit one after another, in file order. Any other kind (key and revocation cards,
/// calls, results) closes the batch before it and is imported alone, so that a package is checked
/// against everything imported before it, as one by one.
///
/// Errors: only a failure of the workspace itself (the blob store's disk, the database), after which
/// the files not yet reported were not imported.
pub fn import_files(
    ws: &mut Workspace,
    paths: &[PathBuf],
    my_keys: Option<&SecretKeys>,
    trust: &Trust,
    limits: &Limits,
    each: impl FnMut(&Path, Result<ImportOutcome>),
) -> Result<()> {
    import_files_reading(ws, paths, my_keys, trust, limits, |_| {}, each)
}

/// How far [`import_files_reading`] is: outcomes come a batch at a time, so a window shows progress by
/// these counts instead.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Files read so far (verified, decrypted and checked); the next one is being read.
    pub read: usize,
    /// Packages written so far into the database (their batch's transaction commits once all are).
    pub written: usize,
}

/// [`import_files`], calling `progress` before each file is read and after each package is written
/// (also while this thread waits for the writer thread).
pub fn import_files_reading(
    ws: &mut Workspace,
    paths: &[PathBuf],
    my_keys: Option<&SecretKeys>,
    trust: &Trust,
    limits: &Limits,
    mut progress: impl FnMut(Progress),
    mut each: impl FnMut(&Path, Result<ImportOutcome>),
) -> Result<()> {
    let mut run = Run::default();
    let progress = &mut progress;
    for (index, path) in paths.iter().enumerate() {
        run.read = index;
        run.count_written();
        progress(Progress { read: index, written: run.written });
        let inspection = match package::inspect(path, limits) {
            Ok(i) => i,
            Err(e) => {
                run.queue.push_back((path.clone(), Some(Err(e))));
                run.report(&mut each);
                continue;
            }
        };
        let alone = inspection.manifest.kind != Kind::Submission;
        if alone {
            run.close(ws, progress)?;
            run.finish(progress)?;
            run.report(&mut each);
        }
        match prepare(ws, &mut run.lookups, path, inspection, my_keys, trust, limits) {
            Ok(Prepared::Ready(ready)) => {
                run.queue.push_back((path.clone(), None));
                run.batch_bytes += ready.staged_bytes;
                run.batch.push(*ready);
            }
            Ok(Prepared::Done(outcome)) => run.queue.push_back((path.clone(), Some(Ok(outcome)))),
            Err(e) => run.queue.push_back((path.clone(), Some(Err(e)))),
        }
        if alone {
            run.close(ws, progress)?;
            run.finish(progress)?;
        } else if run.batch.len() >= BATCH_PACKAGES || run.batch_bytes >= BATCH_BYTES {
            run.close(ws, progress)?;
        }
        run.report(&mut each);
    }
    run.read = paths.len();
    run.close(ws, progress)?;
    run.finish(progress)?;
    run.report(&mut each);
    Ok(())
}

/// The state of [`import_files`]: the batch being prepared, the batch being written on the writer
/// thread, and the outcomes not reported yet.
#[derive(Default)]
struct Run {
    lookups: Lookups,
    batch: Vec<Ready>,
    batch_bytes: u64,
    /// A second connection to the workspace's database, opened at the first batch: the writer thread
    /// commits a batch on it while this thread verifies and decrypts the next (with two cores, the
    /// import then takes about as long as the longer of the two, not their sum).
    writer: Option<lixiang_store::Store>,
    /// The previous batch, on the writer thread: its blobs fsynced, then its rows committed. It is
    /// committed before the next batch is, and the next batch was checked without it (the checks are
    /// made again inside the transaction: a package id seen twice, the next 申报编号).
    in_flight: Option<InFlight>,
    /// Every file's outcome in file order; `None` until its batch is committed.
    queue: std::collections::VecDeque<(PathBuf, Option<Result<ImportOutcome>>)>,
    /// The counts [`Progress`] reports.
    read: usize,
    written: usize,
}

/// A batch on the writer thread: its files in order, the thread, which gives back the connection with
/// the outcomes, and a message from it for each package written (the channel closes when it ends).
struct InFlight {
    paths: Vec<PathBuf>,
    thread: std::thread::JoinHandle<(lixiang_store::Store, Result<Vec<Result<ImportOutcome>>>)>,
    written: std::sync::mpsc::Receiver<()>,
}

impl Run {
    /// Ends the batch being prepared: waits for the one in flight, then hands this one to the writer
    /// thread.
    fn close(&mut self, ws: &mut Workspace, progress: &mut dyn FnMut(Progress)) -> Result<()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        self.finish(progress)?;
        let mut batch = std::mem::take(&mut self.batch);
        self.batch_bytes = 0;
        // A call revised meanwhile is read again by the next batch.
        self.lookups = Lookups::default();
        let mut store = match self.writer.take() {
            Some(store) => store,
            None => ws.store.open_another()?,
        };
        let staged: Vec<_> = batch.iter_mut().flat_map(|r| std::mem::take(&mut r.staged)).collect();
        let paths: Vec<PathBuf> = batch.iter().map(|r| r.path.clone()).collect();
        let blobs = BlobStore::new(ws.dir());
        let (tell, written) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("import-writer".into())
            .spawn(move || {
                // The blobs are durable before the transaction that references them commits.
                let outcomes = blobs.keep_all(staged).map_err(|e| blobs.io_error(e)).and_then(|()| {
                    commit(&mut store, batch, &mut || {
                        let _ = tell.send(());
                    })
                });
                (store, outcomes)
            })
            .map_err(|e| BlobStore::new(ws.dir()).io_error(e))?;
        self.in_flight = Some(InFlight { paths, thread, written });
        Ok(())
    }

    /// Counts the packages the writer thread has written since last asked, without waiting.
    fn count_written(&mut self) {
        if let Some(f) = &self.in_flight {
            self.written += f.written.try_iter().count();
        }
    }

    /// Waits for the batch in flight to be committed, and records its outcomes.
    fn finish(&mut self, progress: &mut dyn FnMut(Progress)) -> Result<()> {
        let Some(InFlight { paths, thread, written }) = self.in_flight.take() else { return Ok(()) };
        // Until the writer thread ends (and drops its end of the channel).
        for () in written.iter() {
            self.written += 1;
            progress(Progress { read: self.read, written: self.written });
        }
        let (store, outcomes) = thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        self.writer = Some(store);
        let outcomes = outcomes?;
        // The batch's packages are the queue's first undecided entries, in order (the batch being
        // prepared comes after them).
        let mut outcomes = paths.into_iter().zip(outcomes);
        for (path, slot) in self.queue.iter_mut().filter(|(_, o)| o.is_none()) {
            let Some((p, outcome)) = outcomes.next() else { break };
            debug_assert_eq!(&p, path);
            *slot = Some(outcome);
        }
        Ok(())
    }

    /// Reports the outcomes decided, up to the first file still waiting for its batch.
    fn report(&mut self, each: &mut impl FnMut(&Path, Result<ImportOutcome>)) {
        while self.queue.front().is_some_and(|(_, o)| o.is_some()) {
            if let Some((path, Some(outcome))) = self.queue.pop_front() {
                each(&path, outcome);
            }
        }
    }
}

impl Drop for Run {
    /// An import that stops early (a failure of the workspace) still waits for the batch being written,
    /// so that nothing writes to the workspace after the import returned.
    fn drop(&mut self) {
        if let Some(InFlight { thread, .. }) = self.in_flight.take() {
            let _ = thread.join();
        }
    }
}

enum Prepared {
    /// Decided without writing anything (the same file was imported before).
    Done(ImportOutcome),
    Ready(Box<Ready>),
}

/// Everything before the transaction: the checks of the import pipeline (steps 2 to 5 of the module's
/// list, pass 1 done by the caller) and the kind's handler. Writes nothing but staged attachments.
fn prepare(
    ws: &mut Workspace,
    lookups: &mut Lookups,
    path: &Path,
    inspection: Inspection,
    my_keys: Option<&SecretKeys>,
    trust: &Trust,
    limits: &Limits,
) -> Result<Prepared> {
    let file = path.display().to_string();
    let m = &inspection.manifest;
    let package_id = m.id.to_string();
    let sender_key_id = m.sender.key_id.clone();

    // One snapshot for the three questions: each read is a transaction of its own otherwise.
    let (seen, me, known) = ws
        .store
        .read(|r| Ok::<_, CoreError>((r.imported_package(&package_id)?, r.identity()?, r.contact(&sender_key_id)?)))?;
    if let Some(seen) = seen {
        if seen.file_sha256 == inspection.file_sha256 {
            return Ok(Prepared::Done(ImportOutcome::AlreadyImported {
                package_id,
                kind: seen.kind,
                imported_at: seen.imported_at,
            }));
        }
        return Err(CoreError::PackageIdReused { file, package_id, imported_at: seen.imported_at });
    }

    // A confidential package for someone else is refused before anyone is asked to trust its sender.
    if m.confidential {
        let my_key_id = me.as_ref().map(|i| i.key_id.clone()).ok_or(CoreError::NoIdentity)?;
        if !m.recipients.contains(&my_key_id) {
            return Err(CoreError::Package { file, source: package::PackageError::NotAddressedToMe { my_key_id } });
        }
    }
    let own = me.is_some_and(|i| i.key_id == sender_key_id);
    if let Some(c) = &known {
        if let Some(at) = &c.revoked_at {
            // The revocation card itself may arrive twice under different ids; anything else is refused.
            if m.kind != Kind::Revocation {
                return Err(CoreError::SenderRevoked { file, key_id: sender_key_id, revoked_at: at.clone() });
            }
        }
    }
    let needs_trust = known.is_none() && !own;
    if needs_trust && m.kind != Kind::Revocation {
        match trust {
            Trust::AskFirst => {
                return Err(CoreError::TrustNeeded {
                    file,
                    key_id: sender_key_id,
                    fingerprint: inspection.sender_fingerprint.clone(),
                    kind: m.kind.as_str().to_string(),
                });
            }
            Trust::Fingerprint(given) => {
                if digits(given) != digits(&inspection.sender_fingerprint) {
                    return Err(CoreError::FingerprintMismatch {
                        file,
                        given: given.trim().to_string(),
                        actual: inspection.sender_fingerprint.clone(),
                    });
                }
            }
        }
    }
    if !has_handler(&m.kind) {
        return Err(CoreError::NoHandler { file, kind: m.kind.as_str().to_string() });
    }
    if m.confidential && my_keys.is_none() {
        return Err(CoreError::NoIdentity);
    }

    // Pass 2: decrypt and stage attachments beside the blob store (those it holds already are only
    // hashed).
    let blobs = BlobStore::new(ws.dir());
    let mut sink = blobs.sink().map_err(|e| blobs.io_error(e))?;
    let opened = package::open(path, my_keys, &mut sink, limits)?;

    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let record = ImportedPackage {
        package_id: package_id.clone(),
        file_sha256: inspection.file_sha256.clone(),
        kind: m.kind.as_str().to_string(),
        sender_key_id: sender_key_id.clone(),
        created_at: m.created_at.clone(),
        imported_at: crate::identity::now(),
        file_name,
    };
    let digest = record_sha256(&record).expect("an imported-package record serialises");
    let mut handled = match m.kind {
        Kind::Call => {
            Handled::Call(Box::new(crate::call::desk::check_import(ws, &inspection, &opened.payload, &file)?))
        }
        Kind::Submission => {
            let hashes: Vec<String> = opened.attachments.iter().map(|(meta, _)| meta.sha256.clone()).collect();
            let incoming =
                crate::application::desk::check_import(ws, lookups, &inspection, &opened.payload, &hashes, &file)?;
            Handled::Submission(Box::new(incoming))
        }
        // A funding result names its stage; a formal-check result does not (review/decision.rs).
        Kind::Result if crate::review::decision::is_funding_result(&opened.payload) => {
            let (row, zh, en) = crate::review::decision::check_result_import(ws, &inspection, &opened.payload, &file)?;
            Handled::Funding { row: Box::new(row), zh, en }
        }
        Kind::Result => Handled::Result(Box::new(crate::application::formal::check_result_import(
            ws,
            &inspection,
            &opened.payload,
            &file,
        )?)),
        Kind::ReviewPacket => {
            let hashes: Vec<String> = opened.attachments.iter().map(|(meta, _)| meta.sha256.clone()).collect();
            Handled::Packet(Box::new(crate::review::expert::check_import(
                ws,
                &inspection,
                &opened.payload,
                &hashes,
                &file,
            )?))
        }
        Kind::ReviewReturn => {
            Handled::Return(Box::new(crate::review::office::check_import(ws, &inspection, &opened.payload, &file)?))
        }
        Kind::Withdrawal => Handled::Withdrawal(Box::new(crate::application::withdrawal::check_import(
            ws,
            &inspection,
            &opened.payload,
            &file,
        )?)),
        _ => handle(&inspection, &opened.payload, &file, needs_trust)?,
    };
    // Order-free: a revocation card imported before the key card it revokes still wins.
    if let Handled::Contact(c) = &mut handled {
        if let Some(rev) = ws.store.read(|r| r.imported_package_by(Kind::Revocation.as_str(), &c.key_id))? {
            c.revoked_at = Some(rev.created_at);
            c.revocation_package = Some(rev.package_id);
        }
    }
    // Trust on first use, confirmed: the sender becomes a contact whatever the package's kind.
    let first_contact =
        (needs_trust && !matches!(handled, Handled::Contact(_) | Handled::Revoke { .. })).then(|| Contact {
            key_id: sender_key_id.clone(),
            role: None,
            name: None,
            signing_public: inspection.sender.signing,
            encryption_public: inspection.sender.encryption,
            fingerprint: inspection.sender_fingerprint.clone(),
            trusted_how: "fingerprint".to_string(),
            trusted_at: crate::identity::now(),
            revoked_at: None,
            revocation_package: None,
        });
    let mut staged = Vec::new();
    let mut staged_bytes = 0;
    for (meta, s) in opened.attachments {
        if !matches!(s, Staged::Present) {
            staged_bytes += meta.size;
        }
        staged.push((s, meta.sha256));
    }
    Ok(Prepared::Ready(Box::new(Ready {
        path: path.to_path_buf(),
        file,
        package_id,
        file_sha256: inspection.file_sha256,
        record,
        digest,
        sender_key_id,
        handled,
        first_contact,
        staged,
        staged_bytes,
    })))
}

/// Lands prepared packages one after the other: [`import_file`]'s way.
fn land(ws: &mut Workspace, mut batch: Vec<Ready>) -> Result<Vec<Result<ImportOutcome>>> {
    let blobs = BlobStore::new(ws.dir());
    let staged: Vec<_> = batch.iter_mut().flat_map(|r| std::mem::take(&mut r.staged)).collect();
    blobs.keep_all(staged).map_err(|e| blobs.io_error(e))?;
    // A re-issued review packet releases the attachments of the one it replaces (those of items no
    // longer assigned); they are deleted once the import committed, when no readable item lists them.
    let released: Vec<String> = batch
        .iter()
        .flat_map(|r| match &r.handled {
            Handled::Packet(p) => p.released.clone(),
            _ => Vec::new(),
        })
        .collect();
    let outcomes = commit(&mut ws.store, batch, &mut || {})?;
    crate::review::expert::prune_attachments(ws, released);
    Ok(outcomes)
}

/// One transaction that writes each prepared package in a savepoint with its audit event; their blobs
/// must be durable already. Returns each package's outcome in order; fails only when the transaction
/// as a whole fails (then nothing of the batch is written). `written` is called after each package.
fn commit(
    store: &mut lixiang_store::Store,
    ready: Vec<Ready>,
    written: &mut dyn FnMut(),
) -> Result<Vec<Result<ImportOutcome>>> {
    store.write_batch(|b| {
        let mut seen = crate::application::office::SetsSeen::default();
        let mut outcomes = Vec::with_capacity(ready.len());
        for r in ready {
            // The same package twice in one batch (a file copied under two names): the second finds the
            // first's row here, as it would have one by one.
            if let Some(seen) = b.reader().imported_package(&r.package_id)? {
                outcomes.push(if seen.file_sha256 == r.file_sha256 {
                    Ok(ImportOutcome::AlreadyImported {
                        package_id: r.package_id,
                        kind: seen.kind,
                        imported_at: seen.imported_at,
                    })
                } else {
                    Err(CoreError::PackageIdReused {
                        file: r.file,
                        package_id: r.package_id,
                        imported_at: seen.imported_at,
                    })
                });
                written();
                continue;
            }
            let Ready { package_id, record, digest, sender_key_id, handled, first_contact, .. } = r;
            let event = AuditEvent::new(AuditAction::Import, "package", package_id.clone(), digest)
                .with_detail(&serde_json::json!({ "kind": record.kind, "sender": sender_key_id }));
            let done = b.write_with_event(|w| {
                if let Some(c) = &first_contact {
                    w.contact_insert(c)?;
                }
                let summary = match handled {
                    Handled::Contact(c) => {
                        w.contact_insert(&c)?;
                        Handled::Contact(c).summary()
                    }
                    Handled::Revoke { key_id, at } => {
                        w.contact_revoke(&key_id, &at, &package_id)?;
                        Handled::Revoke { key_id, at }.summary()
                    }
                    Handled::Call(incoming) => {
                        // The schema first: the call is stored only with the rules its budgets follow.
                        if let Some(schema) = &incoming.schema {
                            w.budget_schema_put(schema)?;
                        }
                        w.call_revision_put(&incoming.row)?;
                        (incoming.zh, incoming.en)
                    }
                    Handled::Submission(incoming) => crate::application::desk::receive(w, *incoming, &mut seen)?,
                    Handled::Result(r) => {
                        // A decision and the appeal's answer it carries land together, or neither.
                        if let Some(row) = &r.decision {
                            w.formal_result_insert(row)?;
                        }
                        if let Some(answer) = &r.answer {
                            w.appeal_answer_insert(answer)?;
                        }
                        (r.zh, r.en)
                    }
                    Handled::Funding { row, zh, en } => {
                        w.funding_result_insert(&row)?;
                        (zh, en)
                    }
                    Handled::Packet(p) => {
                        crate::review::expert::receive(w, &p)?;
                        (p.zh.clone(), p.en.clone())
                    }
                    Handled::Return(r) => {
                        crate::review::office::receive(w, &r)?;
                        (r.zh.clone(), r.en.clone())
                    }
                    Handled::Withdrawal(wd) => {
                        crate::application::withdrawal::receive(w, &wd)?;
                        (wd.zh.clone(), wd.en.clone())
                    }
                };
                w.imported_package_insert(&record)?;
                Ok::<_, CoreError>((summary, event))
            });
            outcomes.push(done.map(|(summary_zh, summary_en)| ImportOutcome::Imported {
                package_id,
                kind: record.kind,
                sender_key_id,
                summary_zh,
                summary_en,
            }));
            written();
        }
        Ok::<_, CoreError>(outcomes)
    })
}

/// What a kind's handler decided, applied inside the import's transaction.
enum Handled {
    Contact(Box<Contact>),
    Revoke { key_id: String, at: String },
    Call(Box<crate::call::desk::IncomingCall>),
    Submission(Box<crate::application::desk::Incoming>),
    Result(Box<crate::application::formal::IncomingResult>),
    Funding { row: Box<lixiang_store::FundingResultRow>, zh: String, en: String },
    Packet(Box<crate::review::expert::IncomingPacket>),
    Return(Box<crate::review::office::IncomingReturn>),
    Withdrawal(Box<crate::application::withdrawal::IncomingWithdrawal>),
}

impl Handled {
    fn summary(&self) -> (String, String) {
        match self {
            Handled::Contact(c) => {
                let name = c.name.clone().unwrap_or_default();
                (
                    format!("已导入 {name} 的密钥卡（密钥 {}，指纹 {}）", c.key_id, c.fingerprint),
                    format!("imported the key card of {name} (key {}, fingerprint {})", c.key_id, c.fingerprint),
                )
            }
            Handled::Call(c) => (c.zh.clone(), c.en.clone()),
            Handled::Result(r) => (r.zh.clone(), r.en.clone()),
            Handled::Funding { zh, en, .. } => (zh.clone(), en.clone()),
            Handled::Packet(p) => (p.zh.clone(), p.en.clone()),
            Handled::Return(r) => (r.zh.clone(), r.en.clone()),
            Handled::Withdrawal(w) => (w.zh.clone(), w.en.clone()),
            // Summarised by `receive`, once it has its 申报编号.
            Handled::Submission(_) => (String::new(), String::new()),
            Handled::Revoke { key_id, at } => (
                format!("已导入吊销证书：密钥 {key_id} 自 {at} 起不再受信任"),
                format!("imported a revocation: key {key_id} is no longer trusted from {at}"),
            ),
        }
    }
}

fn handle(inspection: &Inspection, payload: &[u8], file: &str, confirmed_now: bool) -> Result<Handled> {
    let m = &inspection.manifest;
    let malformed =
        |what: String| CoreError::Package { file: file.to_string(), source: package::PackageError::malformed(what) };
    match m.kind {
        Kind::KeyCard => {
            let card: KeyCard =
                serde_json::from_slice(payload).map_err(|e| malformed(format!("key card payload: {e}")))?;
            // A key card introduces the key that signed it; a card for another key would be a forgery.
            if card.signing_public != inspection.sender.signing
                || card.encryption_public != inspection.sender.encryption
                || card.key_id != m.sender.key_id
            {
                return Err(malformed("the key card's keys are not the keys that signed it".into()));
            }
            Ok(Handled::Contact(Box::new(Contact {
                key_id: card.key_id,
                role: Some(card.role.as_str().to_string()),
                name: Some(card.name),
                signing_public: card.signing_public,
                encryption_public: card.encryption_public,
                fingerprint: inspection.sender_fingerprint.clone(),
                trusted_how: if confirmed_now { "fingerprint" } else { "key_card" }.to_string(),
                trusted_at: crate::identity::now(),
                revoked_at: None,
                revocation_package: None,
            })))
        }
        Kind::Revocation => {
            let r: Revocation =
                serde_json::from_slice(payload).map_err(|e| malformed(format!("revocation payload: {e}")))?;
            // Only a key can revoke itself (a stolen laptop's key is revoked by the card its owner made
            // in advance or from the backup).
            if r.key_id != m.sender.key_id {
                return Err(malformed("a revocation card must be signed by the key it revokes".into()));
            }
            Ok(Handled::Revoke { key_id: r.key_id, at: r.revoked_at })
        }
        _ => Err(CoreError::NoHandler { file: file.to_string(), kind: m.kind.as_str().to_string() }),
    }
}

/// The `.lxpkg` files to import from `paths`: files as given, directories' `.lxpkg` files in name order.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries = std::fs::read_dir(p).map_err(|source| CoreError::WorkspaceIo { path: p.clone(), source })?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && f.extension().is_some_and(|x| x.eq_ignore_ascii_case("lxpkg")))
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// How many packages this workspace imported.
pub fn imported_count(ws: &mut Workspace) -> Result<u64> {
    Ok(ws.store.read(|r| r.imported_package_count())?)
}

/// The contacts this workspace trusts (or trusted, for revoked ones).
pub fn contacts(ws: &mut Workspace) -> Result<Vec<Contact>> {
    Ok(ws.store.read(|r| r.contacts())?)
}
