//! Errors of the store: what went wrong with the database file, in terms a caller can act on.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the database {path}: {source}")]
    Open { path: PathBuf, source: rusqlite::Error },

    /// The file was written by a newer Lixiang; opening it here could damage it.
    #[error("the database {path} has schema version {found}, newer than this program's {supported}")]
    NewerSchema { path: PathBuf, found: u32, supported: u32 },

    #[error("migration {version} of {path} failed: {source}")]
    Migration { path: PathBuf, version: u32, source: rusqlite::Error },

    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
}
