//! The SQLite store of one Lixiang workspace.
//!
//! Owns the database file, its PRAGMAs, the forward-only migrations and every SQL statement of the
//! product, together with the records it persists (one module per table group). Domain rules and
//! use cases live in `lixiang-core`, which calls this crate; nothing here knows about Tauri or the CLI.
//! The record types are defined here, beside the SQL that reads and writes them, as in Yaak's
//! `yaak-models`: the core re-exports them instead of keeping a second copy.

mod catalog;
mod error;
mod migrate;
mod preference;
mod workspace_dir;

pub use catalog::{
    Catalog, ChangeKind, Comparator, PlanFootnote, PlanIndicator, PlanIndicatorChange, PlanIndicatorFigure, Programme,
    ProgrammeTarget,
};
pub use error::StoreError;
pub use migrate::{MIGRATIONS, SCHEMA_VERSION};
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
}

/// Read access inside a transaction: queries of every table module are methods on this.
pub struct Reader<'a> {
    tx: &'a Connection,
}

/// Write access inside one transaction: committed when the closure returns `Ok`, rolled back otherwise.
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
        let mut store = Store { conn, path: path.to_path_buf() };
        migrate::migrate(&mut store.conn, path)?;
        Ok(store)
    }

    /// The database file this store reads and writes.
    pub fn path(&self) -> &Path {
        &self.path
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

    /// Runs `f` in one write transaction: all of it is committed when `f` returns `Ok`, none of it
    /// otherwise. Every multi-step write of the product goes through here.
    pub fn write<T, E: From<StoreError>>(&mut self, f: impl FnOnce(&Writer) -> Result<T, E>) -> Result<T, E> {
        let tx =
            self.conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(StoreError::from)?;
        let out = f(&Writer { tx: &tx })?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }
}

impl<'a> Writer<'a> {
    /// Reads inside the same write transaction (sees this transaction's own writes).
    pub fn reader(&self) -> Reader<'_> {
        Reader { tx: self.tx }
    }
}
