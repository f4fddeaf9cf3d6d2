//! The attachment store of a workspace: `<workspace>/blobs/<sha256>`, content-addressed. A blob is
//! written to a temporary name in `blobs/.staging`, fsynced and renamed before the transaction that
//! references it commits, so the database never points at a missing or partial file. Blobs are never
//! rewritten: the same content has the same name.

use crate::CoreError;
use std::io;
use std::path::{Path, PathBuf};

/// The blob store under a workspace directory.
#[derive(Debug, Clone)]
pub struct BlobStore {
    dir: PathBuf,
}

impl BlobStore {
    pub fn new(workspace_dir: &Path) -> BlobStore {
        BlobStore { dir: workspace_dir.join("blobs") }
    }

    /// Where a blob with this SHA-256 (lowercase hex) lives.
    pub fn path_of(&self, sha256: &str) -> PathBuf {
        self.dir.join(sha256)
    }

    /// Whether the blob is present.
    pub fn contains(&self, sha256: &str) -> bool {
        self.path_of(sha256).is_file()
    }

    /// The names (SHA-256) of every blob, sorted.
    pub fn list(&self) -> io::Result<Vec<String>> {
        let mut names = Vec::new();
        match std::fs::read_dir(&self.dir) {
            Ok(entries) => {
                for e in entries {
                    let e = e?;
                    let name = e.file_name().to_string_lossy().into_owned();
                    if e.file_type()?.is_file() && name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
                        names.push(name);
                    }
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(e),
        }
        names.sort();
        Ok(names)
    }

    /// The staging directory (created when missing), on the same file system as the blobs, so that
    /// keeping a staged file is a rename.
    pub fn staging_dir(&self) -> io::Result<PathBuf> {
        let staging = self.dir.join(".staging");
        std::fs::create_dir_all(&staging)?;
        Ok(staging)
    }

    /// Moves a staged, verified file into the store under its hash (fsynced first). A blob already
    /// present is kept and the staged copy dropped.
    pub fn keep(&self, staged: tempfile::TempPath, sha256: &str) -> io::Result<PathBuf> {
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, format!("not a SHA-256 name: {sha256}")));
        }
        let target = self.path_of(sha256);
        if target.is_file() {
            staged.close()?;
            return Ok(target);
        }
        std::fs::File::open(&staged)?.sync_all()?;
        staged.persist(&target).map_err(|e| e.error)?;
        // The rename is durable only once the directory entry is.
        if let Ok(d) = std::fs::File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(target)
    }

    /// Stores `bytes` (staged, fsynced, renamed) and returns their SHA-256 name.
    pub fn put(&self, bytes: &[u8]) -> io::Result<String> {
        use sha2::Digest;
        use std::io::Write;
        let sha = hex::encode(sha2::Sha256::digest(bytes));
        let mut tmp = tempfile::NamedTempFile::new_in(self.staging_dir()?)?;
        tmp.write_all(bytes)?;
        self.keep(tmp.into_temp_path(), &sha)?;
        Ok(sha)
    }

    /// An I/O failure of the blob store as a core error naming the directory.
    pub fn io_error(&self, source: io::Error) -> CoreError {
        CoreError::WorkspaceIo { path: self.dir.clone(), source }
    }
}
