//! A workspace: one data directory holding the SQLite database (and later the attachment store,
//! backups and the webview's profile). This module decides which directory a command acts on,
//! creates it on first use and keeps its catalog in step with the seeds shipped in the program.

use crate::{catalog, CoreError, Result};
use lixiang_store::{default_workspace_dir, Store, DATABASE_FILE_NAME};
use std::path::{Path, PathBuf};

/// The environment variable that names the workspace when `--data-dir` is not given.
pub const DATA_DIR_ENV: &str = "LIXIANG_DATA_DIR";

/// An open workspace. The core can hold any number of these in one process.
pub struct Workspace {
    dir: PathBuf,
    pub(crate) store: Store,
    created: bool,
}

/// Which directory to act on: the explicit one (`--data-dir`), else `LIXIANG_DATA_DIR`, else the
/// default in the user's data directory.
pub fn resolve_dir(explicit: Option<&Path>) -> Result<PathBuf> {
    if let Some(dir) = explicit {
        return Ok(dir.to_path_buf());
    }
    match std::env::var_os(DATA_DIR_ENV) {
        Some(v) if !v.is_empty() => Ok(PathBuf::from(v)),
        _ => default_workspace_dir().ok_or(CoreError::NoWorkspaceDir),
    }
}

impl Workspace {
    /// Opens the workspace in `dir`, creating the directory and the database when they do not exist,
    /// bringing the schema up to date and loading the shipped catalog (idempotent).
    pub fn open(dir: &Path) -> Result<Workspace> {
        let io = |source| CoreError::WorkspaceIo { path: dir.to_path_buf(), source };
        if dir.exists() && !dir.is_dir() {
            return Err(io(std::io::Error::new(std::io::ErrorKind::AlreadyExists, "exists and is not a directory")));
        }
        std::fs::create_dir_all(dir).map_err(io)?;
        let db = dir.join(DATABASE_FILE_NAME);
        let created = !db.exists();
        let store = Store::open(&db)?;
        let mut ws = Workspace { dir: dir.to_path_buf(), store, created };
        // Check the shipped seeds before touching the database, so a bad build never half-seeds.
        let shipped = catalog::embedded()?;
        catalog::load(&mut ws, &shipped)?;
        // Audit events name who acted: the workspace's identity, once it has one.
        if let Some(identity) = ws.store.read(|r| r.identity())? {
            ws.store.set_actor_key_id(&identity.key_id);
        }
        // The office's list index, for applications received before it existed or by an older build.
        crate::application::office::reindex(&mut ws)?;
        Ok(ws)
    }

    /// The workspace directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The database file inside it.
    pub fn database_path(&self) -> &Path {
        self.store.path()
    }

    /// Whether this `open` created the database (the first start of this workspace).
    pub fn was_created(&self) -> bool {
        self.created
    }

    /// The schema version of the database.
    pub fn schema_version(&self) -> Result<u32> {
        Ok(self.store.schema_version()?)
    }
}
