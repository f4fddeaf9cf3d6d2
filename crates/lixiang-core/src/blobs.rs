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

    /// Makes every staged attachment of a batch durable in the store, before the transaction that
    /// references them commits: each file is written (those held in memory) and fsynced, then renamed
    /// to its hash, then the directory is fsynced once for all of them. A blob already present is kept
    /// and its staged copy dropped.
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
    pub fn keep_all(&self, staged: Vec<(Staged, String)>) -> io::Result<()> {
        let mut todo: Vec<(Staged, PathBuf)> = Vec::with_capacity(staged.len());
        for (file, sha256) in staged {
            check_name(&sha256)?;
            let target = self.path_of(&sha256);
            let needed = !target.is_file() && !todo.iter().any(|(_, t)| *t == target);
            match file {
                Staged::Present => {}
                Staged::File(f) if !needed => f.close()?,
                Staged::Memory(_) if !needed => {}
                file => todo.push((file, target)),
            }
        }
        if todo.is_empty() {
            self.sync_dir();
            return Ok(());
        }
        const SYNC_THREADS: usize = 8;
        let staging = self.staging_dir()?;
        let write_and_sync = |file: Staged| -> io::Result<tempfile::TempPath> {
            let path = match file {
                Staged::File(f) => f,
                Staged::Memory(bytes) => {
                    let mut tmp =
                        tempfile::Builder::new().prefix(".attachment-").suffix(".tmp").tempfile_in(&staging)?;
                    io::Write::write_all(&mut tmp, &bytes)?;
                    tmp.into_temp_path()
                }
                Staged::Present => return Err(io::Error::other("a blob already present has nothing to write")),
            };
            std::fs::File::open(&path)?.sync_all()?;
            Ok(path)
        };
        let per_thread = todo.len().div_ceil(SYNC_THREADS);
        let mut chunks: Vec<Vec<(Staged, PathBuf)>> = Vec::new();
        let mut rest = todo.into_iter().peekable();
        while rest.peek().is_some() {
            chunks.push(rest.by_ref().take(per_thread).collect());
        }
        let synced: Vec<(tempfile::TempPath, PathBuf)> = std::thread::scope(|scope| {
            let handles: Vec<_> = chunks
                .into_iter()
                .map(|chunk| {
                    scope.spawn(|| {
                        chunk
                            .into_iter()
                            .map(|(file, target)| Ok((write_and_sync(file)?, target)))
                            .collect::<io::Result<Vec<_>>>()
                    })
                })
                .collect();
            let mut all = Vec::new();
            for h in handles {
                all.extend(h.join().unwrap_or_else(|_| Err(io::Error::other("an fsync thread panicked")))?);
            }
            Ok::<_, io::Error>(all)
        })?;
        for (file, target) in synced {
            file.persist(&target).map_err(|e| e.error)?;
        }
        self.sync_dir();
        Ok(())
    }

    /// Makes the directory's entries (renames) durable. A platform that cannot open a directory
    /// (Windows) makes renames durable with the file system's own journal.
    fn sync_dir(&self) {
        if let Ok(d) = std::fs::File::open(&self.dir) {
            let _ = d.sync_all();
        }
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
    /// A small attachment, held until [`BlobStore::keep_all`] writes it: creating the file is then
    /// done with the fsyncs, off the thread that decrypts the next packages.
    Memory(Vec<u8>),
}

/// Attachments up to this size are held in memory by [`BlobSink`]; larger ones are streamed to a file.
pub const IN_MEMORY_MAX: u64 = 1 << 20;

/// The writer of one attachment for [`BlobSink`].
pub enum StagedWriter {
    Nowhere,
    Memory(Vec<u8>),
    File(io::BufWriter<tempfile::NamedTempFile>),
}

impl io::Write for StagedWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            StagedWriter::Nowhere => Ok(buf.len()),
            StagedWriter::Memory(v) => {
                v.extend_from_slice(buf);
                Ok(buf.len())
            }
            StagedWriter::File(w) => w.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            StagedWriter::Nowhere | StagedWriter::Memory(_) => Ok(()),
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
        // The reader refuses more bytes than the signed manifest's size, so this bounds the buffer.
        if meta.size <= IN_MEMORY_MAX {
            return Ok(StagedWriter::Memory(Vec::with_capacity(meta.size as usize)));
        }
        let file = tempfile::Builder::new().prefix(".attachment-").suffix(".tmp").tempfile_in(&self.staging)?;
        // The reader writes whole decrypted chunks; a small buffer only gathers the odd short write (a
        // large one would be allocated, and faulted in, for every attachment).
        Ok(StagedWriter::File(io::BufWriter::with_capacity(64 << 10, file)))
    }

    fn finish(&mut self, writer: StagedWriter, _meta: &crate::package::AttachmentMeta) -> io::Result<Staged> {
        match writer {
            StagedWriter::Nowhere => Ok(Staged::Present),
            StagedWriter::Memory(v) => Ok(Staged::Memory(v)),
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
