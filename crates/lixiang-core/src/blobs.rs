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
        check_name(sha256)?;
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

    /// Makes every staged file of a batch durable in the store, before the transaction that references
    /// them commits: each file's data is fsynced, then renamed to its hash, then the directory is
    /// fsynced once for all of them. A blob already present is kept and its staged copy dropped.
    ///
    /// Why this is as safe as [`BlobStore::keep`] one file at a time: what the transaction needs is that
    /// every blob it references is durable when it commits, and that holds once each file's content and
    /// then the directory entry naming it are on disk, in that order, whatever the number of files. A
    /// crash anywhere before the commit leaves the batch's rows absent and at most unreferenced blobs,
    /// which the workspace removes when it opens. The directory is fsynced even when every blob was
    /// already present: one may have been renamed by an import killed before its own directory fsync.
    ///
    /// Why several threads: on this kind of disk each fsync waits for a device flush (≈ 4 ms), one after
    /// another; fsyncs issued together share the flushes, so a batch of files costs a few flushes instead
    /// of one per file. The threads wait on the disk, not on the CPU.
    pub fn keep_all(&self, staged: Vec<(tempfile::TempPath, String)>) -> io::Result<()> {
        let mut todo: Vec<(tempfile::TempPath, PathBuf)> = Vec::with_capacity(staged.len());
        for (file, sha256) in staged {
            check_name(&sha256)?;
            let target = self.path_of(&sha256);
            if target.is_file() || todo.iter().any(|(_, t)| *t == target) {
                file.close()?;
            } else {
                todo.push((file, target));
            }
        }
        const SYNC_THREADS: usize = 8;
        if todo.len() == 1 {
            std::fs::File::open(&todo[0].0)?.sync_all()?;
        } else if !todo.is_empty() {
            let per_thread = todo.len().div_ceil(SYNC_THREADS);
            std::thread::scope(|scope| {
                let handles: Vec<_> = todo
                    .chunks(per_thread)
                    .map(|chunk| {
                        scope.spawn(move || chunk.iter().try_for_each(|(f, _)| std::fs::File::open(f)?.sync_all()))
                    })
                    .collect();
                handles
                    .into_iter()
                    .try_for_each(|h| h.join().unwrap_or_else(|_| Err(io::Error::other("fsync thread panicked"))))
            })?;
        }
        for (file, target) in todo {
            file.persist(&target).map_err(|e| e.error)?;
        }
        // The renames are durable only once the directory entries are.
        if let Ok(d) = std::fs::File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    /// A sink for [`crate::package::open`] that stages attachments beside the store, and writes nowhere
    /// an attachment whose blob is already present (the reader still hashes every byte and refuses a
    /// mismatch; creating and deleting a file for content the store holds costs more than reading it).
    pub fn sink(&self) -> io::Result<BlobSink> {
        Ok(BlobSink { staging: self.staging_dir()?, store: self.clone() })
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

fn is_name(sha256: &str) -> bool {
    sha256.len() == 64 && sha256.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

fn check_name(sha256: &str) -> io::Result<()> {
    if is_name(sha256) {
        Ok(())
    } else {
        Err(io::Error::new(io::ErrorKind::InvalidInput, format!("not a SHA-256 name: {sha256}")))
    }
}

/// See [`BlobStore::sink`].
#[derive(Debug)]
pub struct BlobSink {
    staging: PathBuf,
    store: BlobStore,
}

/// Where [`BlobSink`] puts an attachment.
#[derive(Debug)]
pub enum Staged {
    /// The store already holds this content.
    Present,
    /// A staged file, deleted when dropped unless kept.
    File(tempfile::TempPath),
}

/// The writer of one attachment for [`BlobSink`].
pub enum StagedWriter {
    Nowhere,
    File(io::BufWriter<tempfile::NamedTempFile>),
}

impl io::Write for StagedWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            StagedWriter::Nowhere => Ok(buf.len()),
            StagedWriter::File(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            StagedWriter::Nowhere => Ok(()),
            StagedWriter::File(w) => w.flush(),
        }
    }
}

impl crate::package::AttachmentSink for BlobSink {
    type Writer = StagedWriter;
    type Output = Staged;

    fn begin(&mut self, meta: &crate::package::AttachmentMeta) -> io::Result<StagedWriter> {
        if is_name(&meta.sha256) && self.store.contains(&meta.sha256) {
            return Ok(StagedWriter::Nowhere);
        }
        let file = tempfile::Builder::new().prefix(".attachment-").suffix(".tmp").tempfile_in(&self.staging)?;
        Ok(StagedWriter::File(io::BufWriter::with_capacity(1 << 20, file)))
    }

    fn finish(&mut self, writer: StagedWriter, _meta: &crate::package::AttachmentMeta) -> io::Result<Staged> {
        match writer {
            StagedWriter::Nowhere => Ok(Staged::Present),
            StagedWriter::File(w) => {
                Ok(Staged::File(w.into_inner().map_err(io::IntoInnerError::into_error)?.into_temp_path()))
            }
        }
    }

    fn abort(&mut self, writer: StagedWriter) {
        drop(writer);
    }

    fn discard(&mut self, output: Staged) {
        if let Staged::File(f) = output {
            let _ = f.close();
        }
    }
}
