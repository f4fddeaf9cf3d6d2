//! The SQLite store of one Lixiang workspace.
//!
//! Owns the database file, its PRAGMAs, the forward-only migrations and every SQL statement of the
//! product, together with the records it persists (one module per table group). Domain rules and
//! use cases live in `lixiang-core`, which calls this crate; nothing here knows about Tauri or the CLI.
//! The record types are defined here, beside the SQL that reads and writes them, as in Yaak's
//! `yaak-models`: the core re-exports them instead of keeping a second copy.
//!
//! Writes happen in closure-scoped transactions. [`Store::write`] takes the audit event of the change
//! as an argument and appends it in the same transaction, so a state transition without its event does
//! not compile; the writes the domain does not audit say why with [`Store::write_unaudited`] and an
//! [`Unaudited`] reason. The chain's format is documented in the `audit` module ([`AuditEntry`]).

mod appeal;
mod application;
mod assignment_edit;
mod assignment_settings;
mod audit;
mod budget_schema;
mod call;
mod catalog;
mod challenge;
mod clock;
mod counter;
mod dashboard;
mod decision;
mod directed;
mod error;
mod expert;
mod formal;
mod migrate;
mod office;
mod outgoing;
mod packet_reissue;
mod panel;
mod preference;
mod review;
mod trust;
mod withdrawal;
mod workspace_dir;

pub use appeal::{AppealAnswerRow, AppealRow};
pub use application::{SubmissionRow, VersionRow};
pub use assignment_edit::{ConflictOverrideRow, PairEditRow};
pub use audit::{
    canonical_json, chain_hash, sha256_hex, AuditAction, AuditEntry, AuditEvent, AuditHead, HeadSeal, GENESIS_HASH,
    HEAD_SEAL_DOMAIN,
};
pub use budget_schema::BudgetSchemaRow;
pub use call::CallRow;
pub use catalog::{
    Catalog, ChangeKind, Comparator, PlanFootnote, PlanIndicator, PlanIndicatorChange, PlanIndicatorFigure, Programme,
    ProgrammeTarget,
};
pub use challenge::{
    AcceptanceRow, AgreementRow, AmendmentRow, GateDecisionRow, GateRow, MilestoneResultRow, PayoutRow,
};
pub use clock::{civil_from_days, now_rfc3339_utc, rfc3339_utc};
pub use counter::{COUNTER_DEFAULT, COUNTER_EXPERT_NUMBER, COUNTER_REVIEW_RETURN, COUNTER_SUBMISSION_NUMBER};
pub use decision::{FinalRow, FundingResultRow, ObjectionRow, PublicityRow, RecommendationRow};
pub use directed::{PanelRow, SelectionRow};
pub use error::StoreError;
pub use expert::{AssignmentRunRow, ExpertRow};
pub use formal::{DecisionRow, WithdrawalRow};
pub use migrate::{MIGRATIONS, SCHEMA_VERSION};
pub use office::{
    encode_initials, initials_match, DuplicateOf, FlagFilter, IndexRow, ListFilter, ListRecord, PairRow, SearchTerm,
    ShingleMeta, ShingleRef, ShingleSet, SortColumn, INITIALS_MATCH_FN,
};
pub use outgoing::OutgoingRow;
pub use panel::{PanelVoteRow, ShortlistRow};
pub use review::{
    HeldPacketRow, IssuedPacketRow, ReceivedConflictRow, ReceivedSheetRow, ReturnSentRow, SetAsideSheetRow, SheetRow,
};
pub use trust::{Contact, IdentityRow, ImportedPackage};
pub use withdrawal::ReceivedWithdrawalRow;
pub use workspace_dir::{default_workspace_dir, DATABASE_FILE_NAME};

use rusqlite::{Connection, OpenFlags, Transaction};
use std::path::{Path, PathBuf};
use std::time::Duration;

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// An open workspace database. One per workspace per process; `Send` but not `Sync`, so shells
/// that share it across threads wrap it in a mutex.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    /// Key id of the workspace identity acting through this store, written into each audit event.
    actor_key_id: String,
}

/// Why a write appends no audit event. Only what the domain does not audit has a variant here
/// (domain.md, "Audit"): a state transition or decision goes through [`Store::write`] with its event,
/// and adding a variant to dodge that is a change a reviewer sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unaudited {
    /// The person's preferences (the UI language).
    Preference,
    /// Loading the catalog shipped with the program; the same on every machine, and idempotent.
    CatalogSeed,
    /// Edits of a draft before it is submitted; the submission is the audited event.
    Draft,
    /// Recording a signed head of the chain; an event here would move the head past the seal.
    HeadSeal,
    /// Rebuilding derived data (the office's list index, 查重 sets) from audited records that are already
    /// in the chain; it records no new fact.
    DerivedIndex,
    /// Noting where the sealed file of a result package is kept; the decision that made the package is
    /// the audited event, and the file adds no fact (its payload is already recorded).
    OutgoingFile,
}

/// Read access inside a transaction: queries of every table module are methods on this.
pub struct Reader<'a> {
    tx: &'a Connection,
}

/// Write access inside one transaction: committed when the closure returns `Ok`, rolled back otherwise.
/// Obtained only through [`Store::write`], [`Store::write_with_event`] or [`Store::write_unaudited`].
pub struct Writer<'a> {
    tx: &'a Transaction<'a>,
}

impl Store {
    /// Opens (creating when absent) the database at `path` and brings its schema up to date.
    ///
    /// Errors: [`StoreError::NewerSchema`] when the file was written by a newer Lixiang, which this
    /// version must not touch; [`StoreError::Sqlite`] when the file is not a database.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| StoreError::Open { path: path.to_path_buf(), source })?;
        conn.busy_timeout(Duration::from_secs(5))?;
        // WAL lets the CLI and the app act on one workspace at once; NORMAL is durable at each
        // checkpoint and loses at most the last transactions on power loss, never corrupts.
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|source| StoreError::Open { path: path.to_path_buf(), source })?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // 32 MiB of page cache (the default is 2 MiB): the office's 查重 index and list index outgrow
        // 2 MiB with a few hundred applications, and an import then reads back from the file the pages
        // it touched a moment before. Memory is taken only as pages are read.
        conn.pragma_update(None, "cache_size", -32 * 1024)?;
        // Savepoint journals and temporary sort tables in memory: an import writes each package in a
        // savepoint of its own, whose journal outgrew SQLite's 64 KiB spill limit and went to a
        // temporary file (the import's writer thread spent a sixth of its time there: 3.2 s → 2.7 s for
        // `lixiang bench import`). They hold one savepoint's pages, or one query's sort.
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        office::register_functions(&conn)?;
        let mut store = Store { conn, path: path.to_path_buf(), actor_key_id: String::new() };
        migrate::migrate(&mut store.conn, path)?;
        Ok(store)
    }

    /// A second connection to the same database, acting as the same key: for writing on another thread
    /// while this one reads (WAL lets readers go on while a writer commits).
    pub fn open_another(&self) -> Result<Store> {
        let mut other = Store::open(&self.path)?;
        other.actor_key_id = self.actor_key_id.clone();
        Ok(other)
    }

    /// The database file this store reads and writes.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes a consistent copy of the whole database to `target` (which must not exist), while other
    /// connections may be writing: `VACUUM INTO` reads one snapshot of the WAL database and writes a
    /// compact, self-contained file (no WAL beside it).
    pub fn snapshot_to(&mut self, target: &Path) -> Result<()> {
        let target = target.to_str().ok_or_else(|| StoreError::Open {
            path: target.to_path_buf(),
            source: rusqlite::Error::InvalidPath(target.to_path_buf()),
        })?;
        self.conn.execute("VACUUM INTO ?1", [target])?;
        Ok(())
    }

    /// The schema version of the open database (`PRAGMA user_version`).
    pub fn schema_version(&self) -> Result<u32> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Runs `f` in a read transaction, so that it sees one consistent snapshot.
    pub fn read<T, E: From<StoreError>>(&mut self, f: impl FnOnce(&Reader) -> Result<T, E>) -> Result<T, E> {
        let tx = self.conn.transaction().map_err(StoreError::from)?;
        let out = f(&Reader { tx: &tx })?;
        tx.finish().map_err(StoreError::from)?;
        Ok(out)
    }

    /// The key id written as `actor_key_id` into the audit events this store appends; `""` until the
    /// workspace has an identity (set it when the identity is created or the workspace opens).
    pub fn set_actor_key_id(&mut self, key_id: &str) {
        self.actor_key_id = key_id.to_string();
    }

    /// The key id audit events are currently attributed to (`""` before the workspace has an identity).
    pub fn actor_key_id(&self) -> &str {
        &self.actor_key_id
    }

    /// Runs `f` in one write transaction and appends `event` to the audit chain in that same
    /// transaction: the change and its event are committed together when `f` returns `Ok`, and
    /// neither is when `f` (or the append) fails. Every state transition or decision goes through here
    /// or [`Store::write_with_event`]; other writes name their reason with [`Store::write_unaudited`].
    pub fn write<T, E: From<StoreError>>(
        &mut self,
        event: AuditEvent,
        f: impl FnOnce(&Writer) -> Result<T, E>,
    ) -> Result<T, E> {
        self.write_with_event(|w| f(w).map(|out| (out, event)))
    }

    /// Like [`Store::write`], for an event known only after the change (an id or a number allocated
    /// inside the transaction, the record's hash after it): `f` returns its result and the event.
    pub fn write_with_event<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Writer) -> Result<(T, AuditEvent), E>,
    ) -> Result<T, E> {
        let tx =
            self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let w = Writer { tx: &tx };
        let (out, event) = f(&w)?;
        w.audit_append(&self.actor_key_id, &clock::now_rfc3339_utc(), event)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }

    /// Runs `f` in one write transaction that appends no audit event, for the reason given: committed
    /// when `f` returns `Ok`, rolled back otherwise.
    pub fn write_unaudited<T, E: From<StoreError>>(
        &mut self,
        _reason: Unaudited,
        f: impl FnOnce(&Writer) -> Result<T, E>,
    ) -> Result<T, E> {
        let tx =
            self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let out = f(&Writer { tx: &tx })?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }
}

/// One write transaction that holds several audited changes, each in a savepoint of its own: the
/// office's import of a folder commits a batch of packages at once (one commit and one WAL write of the
/// pages they share, instead of one per package), yet each package is still all or nothing — a refused
/// one rolls back to its savepoint, with its audit event, and the others go on. A crash before the commit
/// leaves every package of the batch absent; none is ever partly present. Obtained only through
/// [`Store::write_batch`].
pub struct Batch<'a> {
    tx: &'a Transaction<'a>,
    actor_key_id: &'a str,
}

impl Store {
    /// Runs `f` in one write transaction in which [`Batch::write_with_event`] applies changes each with
    /// its audit event; committed when `f` returns `Ok` (with the changes whose savepoints were released),
    /// rolled back wholly otherwise.
    pub fn write_batch<T, E: From<StoreError>>(&mut self, f: impl FnOnce(&mut Batch) -> Result<T, E>) -> Result<T, E> {
        let tx =
            self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let out = f(&mut Batch { tx: &tx, actor_key_id: &self.actor_key_id })?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }
}

impl Batch<'_> {
    /// Like [`Store::write_with_event`] inside the batch's transaction: `f`'s changes and the event it
    /// returns are kept together when it returns `Ok`, and neither is when it (or the append) fails,
    /// without undoing the batch's other changes.
    pub fn write_with_event<T, E: From<StoreError>>(
        &mut self,
        f: impl FnOnce(&Writer) -> Result<(T, AuditEvent), E>,
    ) -> Result<T, E> {
        self.tx.execute_batch("SAVEPOINT batch_item").map_err(StoreError::from)?;
        let w = Writer { tx: self.tx };
        let done = f(&w).and_then(|(out, event)| {
            w.audit_append(self.actor_key_id, &clock::now_rfc3339_utc(), event)?;
            Ok(out)
        });
        match done {
            Ok(out) => {
                self.tx.execute_batch("RELEASE batch_item").map_err(StoreError::from)?;
                Ok(out)
            }
            Err(e) => {
                // ROLLBACK TO keeps the savepoint open: RELEASE closes it, leaving the transaction as it
                // was before this change.
                self.tx.execute_batch("ROLLBACK TO batch_item; RELEASE batch_item").map_err(StoreError::from)?;
                Err(e)
            }
        }
    }

    /// Reads inside the batch's transaction (sees the changes kept so far).
    pub fn reader(&self) -> Reader<'_> {
        Reader { tx: self.tx }
    }
}

impl<'a> Writer<'a> {
    /// Reads inside the same write transaction (sees this transaction's own writes).
    pub fn reader(&self) -> Reader<'_> {
        Reader { tx: self.tx }
    }
}
