//! Sealing: a payload and attachments become one signed (and, when confidential, encrypted) `.lxpkg`
//! file, written atomically. See the module above for the layout and why attachments are staged.

use super::keys::{PublicKeys, SecretKeys};
use super::manifest::{check_name, check_time, AttachmentMeta, AuditHead, Content, Kind, Manifest, Sender};
use super::{Limits, PackageError, Part, BUF_LEN, FORMAT_VERSION, MAGIC, SIGNATURE_CONTEXT};
use crate::CoreError;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

/// What to seal and by whom.
#[derive(Debug, Clone)]
pub struct Seal<'a> {
    pub kind: Kind,
    pub sender: &'a SecretKeys,
    /// Whom a confidential package is encrypted to (the sender is not added: list it to keep a copy
    /// readable). Must be empty for a public package.
    pub recipients: &'a [PublicKeys],
    pub confidential: bool,
    /// RFC 3339 UTC, given by the caller so that sealing is deterministic under test.
    pub created_at: String,
    /// A UUID v7 the caller made and keeps.
    pub package_id: uuid::Uuid,
    pub audit_head: Option<AuditHead>,
}

/// One attachment to seal: its name and media type, and where to read its content (read once, to the end).
pub struct AttachmentSource<'a> {
    pub name: String,
    pub media_type: String,
    pub content: &'a mut dyn Read,
}

/// What was written.
#[derive(Debug, Clone)]
pub struct Sealed {
    pub manifest: Manifest,
    /// SHA-256 of the whole file, signature included (lowercase hex).
    pub file_sha256: String,
    /// Size of the file in bytes.
    pub size: u64,
    /// How long the durable flush took (fsync of the file, then of its directory): a disk's cost, not the
    /// cryptography's, which the package benchmark reports apart.
    pub flushed_in: std::time::Duration,
}

/// Seals `payload` and `attachments` into the file `path`, replacing it atomically (a temporary file in
/// the same directory, fsynced, then renamed). On error nothing is left behind.
///
/// Errors: `package.unsafe_name` for an attachment name, `package.too_large` / `package.too_many_entries`
/// against `limits`, `package.malformed` for inconsistent arguments (a confidential package without
/// recipients, a time that is not RFC 3339 UTC), `package.io` when a source or the disk fails.
pub fn seal(
    seal: &Seal<'_>,
    payload: &[u8],
    attachments: Vec<AttachmentSource<'_>>,
    path: &Path,
    limits: &Limits,
) -> crate::Result<Sealed> {
    seal_inner(seal, None, payload, attachments, path, limits)
        .map_err(|source| CoreError::Package { file: path.display().to_string(), source })
}

/// [`seal`] with a manifest note ([`Manifest::note`]): readable without the keys, signed with the rest.
pub fn seal_noted(
    seal: &Seal<'_>,
    note: serde_json::Value,
    payload: &[u8],
    attachments: Vec<AttachmentSource<'_>>,
    path: &Path,
    limits: &Limits,
) -> crate::Result<Sealed> {
    seal_inner(seal, Some(note), payload, attachments, path, limits)
        .map_err(|source| CoreError::Package { file: path.display().to_string(), source })
}

fn seal_inner(
    seal: &Seal<'_>,
    note: Option<serde_json::Value>,
    payload: &[u8],
    attachments: Vec<AttachmentSource<'_>>,
    path: &Path,
    limits: &Limits,
) -> Result<Sealed, PackageError> {
    check_time(&seal.created_at)?;
    if seal.confidential == seal.recipients.is_empty() {
        return Err(PackageError::malformed(if seal.confidential {
            "a confidential package needs at least one recipient"
        } else {
            "a public package cannot have recipients"
        }));
    }
    if attachments.len() as u64 > limits.attachments {
        return Err(PackageError::TooManyEntries { found: attachments.len() as u64, limit: limits.attachments });
    }
    if payload.len() as u64 > limits.payload {
        return Err(PackageError::TooLarge { part: Part::Payload, found: payload.len() as u64, limit: limits.payload });
    }
    for a in &attachments {
        check_name(&a.name)?;
    }
    let recipients: Vec<age::x25519::Recipient> = seal.recipients.iter().map(PublicKeys::recipient).collect();
    let encryptor = || -> Result<Option<age::Encryptor>, PackageError> {
        if !seal.confidential {
            return Ok(None);
        }
        age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient))
            .map(Some)
            .map_err(|e| PackageError::malformed(format!("cannot encrypt to the recipients: {e}")))
    };

    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };

    // Each attachment once through: hash the plaintext, encrypt, stage beside the destination.
    let mut staged: Vec<(AttachmentMeta, File, u64)> = Vec::with_capacity(attachments.len());
    for a in attachments {
        let part = Part::Attachment(a.name.clone());
        let file = tempfile::tempfile_in(dir).map_err(PackageError::io("creating a staging file"))?;
        let out = CountingWriter { inner: BufWriter::with_capacity(BUF_LEN, file), count: 0 };
        let stage = match encryptor()? {
            Some(enc) => Stage::Encrypted(enc.wrap_output(out).map_err(PackageError::io("staging an attachment"))?),
            None => Stage::Plain(out),
        };
        // This thread reads and hashes the plaintext; a second core encrypts and writes it.
        let (mut hasher, mut size) = (Sha256::new(), 0u64);
        let source = a.content;
        let stage = super::pipe::consume_on_worker(
            |buf| {
                let n = read_some(source, buf, &part)?;
                size += n as u64;
                if size > limits.attachment {
                    return Err(PackageError::TooLarge { part: part.clone(), found: size, limit: limits.attachment });
                }
                hasher.update(&buf[..n]);
                Ok(n)
            },
            stage,
            |stage, chunk| {
                stage.write_all(chunk).map_err(|e| PackageError::Io { op: format!("staging {part}"), source: e })
            },
        )?;
        let (mut file, len) = stage.finish().map_err(PackageError::io("staging an attachment"))?;
        file.seek(SeekFrom::Start(0)).map_err(PackageError::io("staging an attachment"))?;
        let content = Content { sha256: hex::encode(hasher.finalize()), size };
        let meta =
            AttachmentMeta { name: a.name, sha256: content.sha256, size: content.size, media_type: a.media_type };
        staged.push((meta, file, len));
    }

    let payload_section = match encryptor()? {
        Some(enc) => {
            let mut out = Vec::with_capacity(payload.len() + 512);
            let mut w = enc.wrap_output(&mut out).map_err(PackageError::io("encrypting the payload"))?;
            w.write_all(payload).map_err(PackageError::io("encrypting the payload"))?;
            w.finish().map_err(PackageError::io("encrypting the payload"))?;
            out
        }
        None => payload.to_vec(),
    };

    let manifest = Manifest {
        format: FORMAT_VERSION,
        suite: super::SUITE_ED25519_X25519_SHA256,
        id: seal.package_id,
        kind: seal.kind.clone(),
        sender: Sender::of(seal.sender.public()),
        recipients: seal.recipients.iter().map(PublicKeys::key_id).collect(),
        created_at: seal.created_at.clone(),
        confidential: seal.confidential,
        payload: Content { sha256: hex::encode(Sha256::digest(payload)), size: payload.len() as u64 },
        attachments: staged.iter().map(|(m, _, _)| m.clone()).collect(),
        audit_head: seal.audit_head.clone(),
        note,
    };
    // The reader runs the same checks; running them here means a package we write is one we can read.
    manifest.check()?;
    let json = serde_json::to_vec(&manifest).map_err(|e| PackageError::malformed(format!("manifest: {e}")))?;
    if json.len() as u64 > limits.manifest {
        return Err(PackageError::TooLarge { part: Part::Manifest, found: json.len() as u64, limit: limits.manifest });
    }

    let total = staged.iter().fold(
        super::HEADER_LEN + json.len() as u64 + 8 + payload_section.len() as u64 + super::SIGNATURE_LEN as u64,
        |acc, (_, _, len)| acc.saturating_add(8 + len),
    );
    if total > limits.file {
        return Err(PackageError::TooLarge { part: Part::File, found: total, limit: limits.file });
    }

    let tmp = tempfile::Builder::new()
        .prefix(".lxpkg-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(PackageError::io("creating the package file"))?;
    let mut buf = vec![0u8; BUF_LEN];
    let (file_sha256, size) = {
        let mut out =
            HashingWriter { inner: BufWriter::with_capacity(BUF_LEN, tmp.as_file()), hasher: Sha256::new(), count: 0 };
        let mut body = || -> io::Result<()> {
            out.write_all(MAGIC)?;
            out.write_all(&FORMAT_VERSION.to_be_bytes())?;
            out.write_all(&(json.len() as u32).to_be_bytes())?;
            out.write_all(&json)?;
            out.write_all(&(payload_section.len() as u64).to_be_bytes())?;
            out.write_all(&payload_section)?;
            for (_, file, len) in &mut staged {
                out.write_all(&len.to_be_bytes())?;
                let copied = copy_with(&mut file.take(*len), &mut out, &mut buf)?;
                if copied != *len {
                    return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "a staging file shrank"));
                }
            }
            let mut message = Vec::with_capacity(SIGNATURE_CONTEXT.len() + 32);
            message.extend_from_slice(SIGNATURE_CONTEXT);
            message.extend_from_slice(&out.hasher.clone().finalize());
            out.write_all(&seal.sender.sign(&message).to_bytes())?;
            out.flush()
        };
        body().map_err(PackageError::io("writing the package file"))?;
        (hex::encode(out.hasher.finalize()), out.count)
    };
    let flush = std::time::Instant::now();
    tmp.as_file().sync_all().map_err(PackageError::io("syncing the package file"))?;
    tmp.persist(path)
        .map_err(|e| PackageError::Io { op: "renaming the package file into place".into(), source: e.error })?;
    sync_dir(dir);
    Ok(Sealed { manifest, file_sha256, size, flushed_in: flush.elapsed() })
}

/// Makes the rename durable. Best effort: Windows cannot open a directory as a file.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Reads until `buf` is full or the source ends.
fn read_some(src: &mut dyn Read, buf: &mut [u8], part: &Part) -> Result<usize, PackageError> {
    let mut n = 0;
    while n < buf.len() {
        match src.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(PackageError::Io { op: format!("reading {part}"), source: e }),
        }
    }
    Ok(n)
}

/// Where an attachment is staged: as it is, or through age.
enum Stage {
    Plain(CountingWriter<BufWriter<File>>),
    Encrypted(age::stream::StreamWriter<CountingWriter<BufWriter<File>>>),
}

impl Stage {
    fn write_all(&mut self, chunk: &[u8]) -> io::Result<()> {
        match self {
            Stage::Plain(w) => w.write_all(chunk),
            Stage::Encrypted(w) => w.write_all(chunk),
        }
    }

    /// Ends the stream and hands back the staging file and how many bytes it holds.
    fn finish(self) -> io::Result<(File, u64)> {
        let counted = match self {
            Stage::Plain(w) => w,
            Stage::Encrypted(w) => w.finish()?,
        };
        let file = counted.inner.into_inner().map_err(io::IntoInnerError::into_error)?;
        Ok((file, counted.count))
    }
}

fn copy_with(src: &mut dyn Read, dst: &mut dyn Write, buf: &mut [u8]) -> io::Result<u64> {
    let mut total = 0u64;
    loop {
        let n = match src.read(buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        dst.write_all(&buf[..n])?;
        total += n as u64;
    }
}

struct CountingWriter<W> {
    inner: W,
    count: u64,
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Hashes every byte written, for the signature.
struct HashingWriter<W> {
    inner: W,
    hasher: Sha256,
    count: u64,
}

impl<W: Write> Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.count += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}
