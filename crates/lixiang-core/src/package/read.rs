//! Opening: pass 1 checks structure, limits and the signature ([`inspect`]); pass 2 decrypts and streams
//! the parts into the caller's sink and checks their hashes ([`open`]). Nothing decrypted reaches the
//! caller before pass 1 has verified the whole file.

use super::keys::{PublicKeys, SecretKeys};
use super::manifest::{AttachmentMeta, Manifest};
use super::{
    age_section_bounds, Limits, PackageError, Part, BUF_LEN, FORMAT_VERSION, MAGIC, SIGNATURE_CONTEXT, SIGNATURE_LEN,
    SUITE_ED25519_X25519_SHA256,
};
use crate::CoreError;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// What [`inspect`] found: a package whose structure and signature are valid. Nothing was decrypted.
#[derive(Debug, Clone)]
pub struct Inspection {
    pub manifest: Manifest,
    /// The sender's public keys, from the manifest (verified: they made the signature).
    pub sender: PublicKeys,
    /// The sender's fingerprint, for a person to compare on first contact.
    pub sender_fingerprint: String,
    /// SHA-256 of the whole file, signature included (lowercase hex).
    pub file_sha256: String,
    pub size: u64,
}

/// An opened package: every part decrypted and matching the signed manifest.
#[derive(Debug)]
pub struct Opened<T> {
    pub manifest: Manifest,
    pub sender: PublicKeys,
    pub sender_fingerprint: String,
    pub file_sha256: String,
    pub payload: Vec<u8>,
    /// Each attachment's entry with what the sink returned for it, in manifest order.
    pub attachments: Vec<(AttachmentMeta, T)>,
}

/// Where [`open`] writes attachments, so that large ones never sit in memory. The reader calls `begin`
/// only after the whole file's signature verified, writes the plaintext, then calls `finish` when its
/// hash and size matched or `abort` when they did not. If a later part fails, `discard` gets back every
/// output already finished: a sink should keep its outputs provisional (staged) until `open` returns Ok.
pub trait AttachmentSink {
    type Writer: Write;
    type Output;
    fn begin(&mut self, meta: &AttachmentMeta) -> io::Result<Self::Writer>;
    fn finish(&mut self, writer: Self::Writer, meta: &AttachmentMeta) -> io::Result<Self::Output>;
    fn abort(&mut self, writer: Self::Writer);
    fn discard(&mut self, output: Self::Output);
}

/// A sink that stages each attachment in a temporary file of `dir` (put it on the same file system as the
/// blob store, so that keeping an attachment is a rename). An output is a [`tempfile::TempPath`]: the file
/// is deleted when it is dropped, unless the caller persists it.
#[derive(Debug, Clone)]
pub struct StagingDir {
    pub dir: PathBuf,
}

impl AttachmentSink for StagingDir {
    type Writer = io::BufWriter<tempfile::NamedTempFile>;
    type Output = tempfile::TempPath;

    fn begin(&mut self, _meta: &AttachmentMeta) -> io::Result<Self::Writer> {
        let file = tempfile::Builder::new().prefix(".attachment-").suffix(".tmp").tempfile_in(&self.dir)?;
        Ok(io::BufWriter::with_capacity(BUF_LEN, file))
    }

    fn finish(&mut self, writer: Self::Writer, _meta: &AttachmentMeta) -> io::Result<Self::Output> {
        let file = writer.into_inner().map_err(io::IntoInnerError::into_error)?;
        Ok(file.into_temp_path())
    }

    fn abort(&mut self, writer: Self::Writer) {
        drop(writer);
    }

    fn discard(&mut self, output: Self::Output) {
        let _ = output.close();
    }
}

/// Pass 1 over the file `path`: structure, limits, manifest checks and signature. Needs no keys and
/// decrypts nothing; for `lixiang package inspect` and for showing a sender's fingerprint before import.
pub fn inspect(path: &Path, limits: &Limits) -> crate::Result<Inspection> {
    let at = |source| CoreError::Package { file: path.display().to_string(), source };
    let file = File::open(path).map_err(|e| at(PackageError::Io { op: "opening the file".into(), source: e }))?;
    inspect_reader(file, &path.display().to_string(), limits)
}

/// [`inspect`] over any seekable source (`name` is how messages name it).
pub fn inspect_reader<R: Read + Seek>(source: R, name: &str, limits: &Limits) -> crate::Result<Inspection> {
    let mut reader = BufReader::with_capacity(BUF_LEN, source);
    let scan = scan(&mut reader, limits).map_err(|source| CoreError::Package { file: name.to_string(), source })?;
    Ok(scan.inspection)
}

/// Opens the package `path`: pass 1 as [`inspect`], then decrypts the payload (into memory) and the
/// attachments (into `sink`) and checks each against the manifest. `my_keys` may be `None` for a public
/// package; a confidential one not listing `my_keys` as a recipient is refused with
/// `package.not_addressed_to_me` before anything is decrypted.
pub fn open<S: AttachmentSink>(
    path: &Path,
    my_keys: Option<&SecretKeys>,
    sink: &mut S,
    limits: &Limits,
) -> crate::Result<Opened<S::Output>> {
    let at = |source| CoreError::Package { file: path.display().to_string(), source };
    let file = File::open(path).map_err(|e| at(PackageError::Io { op: "opening the file".into(), source: e }))?;
    open_reader(file, &path.display().to_string(), my_keys, sink, limits)
}

/// [`open`] over any seekable source (`name` is how messages name it). `Send`, because large sections
/// are decrypted on a worker thread.
pub fn open_reader<R: Read + Seek + Send, S: AttachmentSink>(
    source: R,
    name: &str,
    my_keys: Option<&SecretKeys>,
    sink: &mut S,
    limits: &Limits,
) -> crate::Result<Opened<S::Output>> {
    let mut reader = BufReader::with_capacity(BUF_LEN, source);
    open_inner(&mut reader, my_keys, sink, limits)
        .map_err(|source| CoreError::Package { file: name.to_string(), source })
}

struct Scan {
    inspection: Inspection,
    /// Offset and length of each section's content: the payload, then the attachments.
    sections: Vec<(u64, u64)>,
}

/// Reads through the source from its start, hashing every byte, and remembers how much was read.
struct Hashing<'a, R> {
    inner: &'a mut R,
    hasher: Sha256,
    pos: u64,
}

impl<R: Read> Hashing<'_, R> {
    fn exact(&mut self, buf: &mut [u8], part: &Part) -> Result<(), PackageError> {
        read_full(self.inner, buf, part)?;
        self.hasher.update(&*buf);
        self.pos += buf.len() as u64;
        Ok(())
    }

    fn skip(&mut self, mut len: u64, buf: &mut [u8], part: &Part) -> Result<(), PackageError> {
        while len > 0 {
            let n = len.min(buf.len() as u64) as usize;
            self.exact(&mut buf[..n], part)?;
            len -= n as u64;
        }
        Ok(())
    }
}

fn read_full<R: Read + ?Sized>(r: &mut R, buf: &mut [u8], part: &Part) -> Result<(), PackageError> {
    r.read_exact(buf).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => PackageError::Truncated { part: part.clone() },
        _ => PackageError::Io { op: format!("reading {part}"), source: e },
    })
}

fn scan<R: Read + Seek>(reader: &mut R, limits: &Limits) -> Result<Scan, PackageError> {
    reader.seek(SeekFrom::Start(0)).map_err(PackageError::io("seeking to the start"))?;
    let mut h = Hashing { inner: reader, hasher: Sha256::new(), pos: 0 };

    // The magic: a short file that matches so far is truncated; anything else is not a package.
    let mut magic = [0u8; 5];
    let mut got = 0;
    while got < magic.len() {
        match h.inner.read(&mut magic[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(PackageError::Io { op: "reading the header".into(), source: e }),
        }
    }
    if magic[..got] != MAGIC[..got] {
        return Err(PackageError::NotAPackage);
    }
    if got < magic.len() {
        return Err(PackageError::Truncated { part: Part::Header });
    }
    h.hasher.update(magic);
    h.pos = 5;

    let mut version = [0u8; 2];
    h.exact(&mut version, &Part::Header)?;
    let version = u16::from_be_bytes(version);
    if version > FORMAT_VERSION {
        return Err(PackageError::NewerFormat { found: version, supported: FORMAT_VERSION });
    }
    if version == 0 {
        return Err(PackageError::malformed("format version 0"));
    }

    let mut len = [0u8; 4];
    h.exact(&mut len, &Part::Header)?;
    let manifest_len = u64::from(u32::from_be_bytes(len));
    if manifest_len > limits.manifest {
        return Err(PackageError::TooLarge { part: Part::Manifest, found: manifest_len, limit: limits.manifest });
    }
    if manifest_len == 0 {
        return Err(PackageError::malformed("empty manifest"));
    }
    let mut json = vec![0u8; manifest_len as usize];
    h.exact(&mut json, &Part::Manifest)?;
    let manifest: Manifest =
        serde_json::from_slice(&json).map_err(|e| PackageError::malformed(format!("manifest: {e}")))?;
    if manifest.format != version {
        return Err(PackageError::malformed(format!(
            "the manifest says format {} but the header says {version}",
            manifest.format
        )));
    }
    if manifest.suite != SUITE_ED25519_X25519_SHA256 {
        return Err(PackageError::UnknownSuite { suite: manifest.suite });
    }

    // Limits before reading what they bound.
    let count = manifest.attachments.len() as u64;
    if count > limits.attachments {
        return Err(PackageError::TooManyEntries { found: count, limit: limits.attachments });
    }
    if manifest.payload.size > limits.payload {
        return Err(PackageError::TooLarge {
            part: Part::Payload,
            found: manifest.payload.size,
            limit: limits.payload,
        });
    }
    for a in &manifest.attachments {
        if a.size > limits.attachment {
            return Err(PackageError::TooLarge {
                part: Part::Attachment(a.name.clone()),
                found: a.size,
                limit: limits.attachment,
            });
        }
    }

    let parts: Vec<(Part, u64)> = std::iter::once((Part::Payload, manifest.payload.size))
        .chain(manifest.attachments.iter().map(|a| (Part::Attachment(a.name.clone()), a.size)))
        .collect();
    let mut sections = Vec::with_capacity(parts.len());
    let mut buf = vec![0u8; BUF_LEN];
    for (part, size) in &parts {
        let mut len = [0u8; 8];
        h.exact(&mut len, part)?;
        let len = u64::from_be_bytes(len);
        let fits = if manifest.confidential {
            let (min, max) = age_section_bounds(*size, manifest.recipients.len());
            (min..=max).contains(&len)
        } else {
            len == *size
        };
        if !fits {
            return Err(PackageError::malformed(format!(
                "the section of {part} is {len} bytes, which cannot hold {size} bytes of content"
            )));
        }
        let end = h.pos.saturating_add(len).saturating_add(SIGNATURE_LEN as u64);
        if end > limits.file {
            return Err(PackageError::TooLarge { part: Part::File, found: end, limit: limits.file });
        }
        sections.push((h.pos, len));
        h.skip(len, &mut buf, part)?;
    }

    let mut signature = [0u8; SIGNATURE_LEN];
    read_full(h.inner, &mut signature, &Part::Signature)?;
    let mut extra = [0u8; 1];
    loop {
        match h.inner.read(&mut extra) {
            Ok(0) => break,
            Ok(_) => return Err(PackageError::TrailingBytes),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(PackageError::Io { op: "reading after the signature".into(), source: e }),
        }
    }

    let sender = manifest.sender.public_keys()?;
    let digest = h.hasher.clone().finalize();
    let mut message = Vec::with_capacity(SIGNATURE_CONTEXT.len() + 32);
    message.extend_from_slice(SIGNATURE_CONTEXT);
    message.extend_from_slice(&digest);
    let signature = ed25519_dalek::Signature::from_bytes(&signature);
    // verify_strict also refuses small-order keys and non-canonical signatures, so no second valid
    // signature can be made from a first one.
    sender.verifying_key()?.verify_strict(&message, &signature).map_err(|_| PackageError::SignatureInvalid)?;

    // What the signature cannot vouch for: the sender may have signed nonsense.
    manifest.check()?;

    h.hasher.update(signature.to_bytes());
    let size = h.pos + SIGNATURE_LEN as u64;
    let inspection = Inspection {
        sender_fingerprint: sender.fingerprint(),
        sender,
        file_sha256: hex::encode(h.hasher.finalize()),
        size,
        manifest,
    };
    Ok(Scan { inspection, sections })
}

fn open_inner<R: Read + Seek + Send, S: AttachmentSink>(
    reader: &mut BufReader<R>,
    my_keys: Option<&SecretKeys>,
    sink: &mut S,
    limits: &Limits,
) -> Result<Opened<S::Output>, PackageError> {
    let Scan { inspection, sections } = scan(reader, limits)?;
    let manifest = &inspection.manifest;
    let identity = if manifest.confidential {
        let mine = my_keys.ok_or_else(|| PackageError::NotAddressedToMe { my_key_id: "none".into() })?;
        if !manifest.recipients.contains(&mine.key_id()) {
            return Err(PackageError::NotAddressedToMe { my_key_id: mine.key_id() });
        }
        Some(mine)
    } else {
        None
    };

    let mut buf = vec![0u8; BUF_LEN];
    let (offset, len) = sections[0];
    let mut payload = Vec::with_capacity(manifest.payload.size as usize);
    read_section(
        reader,
        offset,
        len,
        identity,
        &Part::Payload,
        manifest.payload.size,
        &manifest.payload.sha256,
        &mut buf,
        &mut payload,
    )?;

    let mut done: Vec<(AttachmentMeta, S::Output)> = Vec::with_capacity(manifest.attachments.len());
    for (meta, &(offset, len)) in manifest.attachments.iter().zip(&sections[1..]) {
        let part = Part::Attachment(meta.name.clone());
        let step = (|| {
            let mut writer =
                sink.begin(meta).map_err(|e| PackageError::Io { op: format!("staging {part}"), source: e })?;
            match read_section(reader, offset, len, identity, &part, meta.size, &meta.sha256, &mut buf, &mut writer) {
                Ok(()) => {
                    sink.finish(writer, meta).map_err(|e| PackageError::Io { op: format!("staging {part}"), source: e })
                }
                Err(e) => {
                    sink.abort(writer);
                    Err(e)
                }
            }
        })();
        match step {
            Ok(output) => done.push((meta.clone(), output)),
            Err(e) => {
                for (_, output) in done {
                    sink.discard(output);
                }
                return Err(e);
            }
        }
    }

    Ok(Opened {
        manifest: inspection.manifest.clone(),
        sender: inspection.sender,
        sender_fingerprint: inspection.sender_fingerprint,
        file_sha256: inspection.file_sha256,
        payload,
        attachments: done,
    })
}

/// Streams one section's plaintext into `out`, refusing more than `size` bytes or a hash other than
/// `sha256`. Offsets and lengths come from pass 1; the content is read again, and its plaintext hash
/// (against the manifest pass 1 verified) is what guards against a file that changed in between.
#[allow(clippy::too_many_arguments)]
fn read_section<R: Read + Seek + Send>(
    reader: &mut BufReader<R>,
    offset: u64,
    len: u64,
    identity: Option<&SecretKeys>,
    part: &Part,
    size: u64,
    sha256: &str,
    buf: &mut [u8],
    out: &mut dyn Write,
) -> Result<(), PackageError> {
    reader
        .seek(SeekFrom::Start(offset))
        .map_err(|e| PackageError::Io { op: format!("seeking to {part}"), source: e })?;
    let mut section = Read::take(&mut *reader, len);
    let content = match identity {
        Some(keys) => {
            let decryptor = age::Decryptor::new_buffered(&mut section).map_err(|e| decrypt_error(e, part, keys))?;
            let mut plain = decryptor
                .decrypt(std::iter::once(keys.identity() as &dyn age::Identity))
                .map_err(|e| decrypt_error(e, part, keys))?;
            // Large sections decrypt on a second core while this one hashes and writes.
            let content = if size >= BUF_LEN as u64 {
                drain_pipelined(plain, out, size, part)?
            } else {
                drain(&mut plain, out, buf, size, part)?
            };
            if section.limit() != 0 {
                return Err(PackageError::malformed(format!("bytes after the end of the encrypted stream of {part}")));
            }
            content
        }
        None => drain(&mut section, out, buf, size, part)?,
    };
    if content.0 != size || hex::encode(content.1) != sha256 {
        return Err(PackageError::HashMismatch { part: part.clone() });
    }
    Ok(())
}

fn decrypt_error(e: age::DecryptError, part: &Part, keys: &SecretKeys) -> PackageError {
    match e {
        age::DecryptError::NoMatchingKeys => PackageError::NotAddressedToMe { my_key_id: keys.key_id() },
        age::DecryptError::Io(source) => PackageError::Io { op: format!("decrypting {part}"), source },
        other => PackageError::malformed(format!("{part} cannot be decrypted: {other}")),
    }
}

/// Reads `src` to its end into `out`, hashing; more than `size` bytes is a hash mismatch.
fn drain<R: Read + ?Sized>(
    src: &mut R,
    out: &mut dyn Write,
    buf: &mut [u8],
    size: u64,
    part: &Part,
) -> Result<(u64, [u8; 32]), PackageError> {
    let mut sum = Summing::new(size, part);
    loop {
        let n = fill(src, buf, part)?;
        if n == 0 {
            return Ok(sum.done());
        }
        sum.take(&buf[..n], out)?;
    }
}

/// [`drain`] with the reading (decryption) on a worker thread.
fn drain_pipelined<R: Read + Send>(
    mut src: R,
    out: &mut dyn Write,
    size: u64,
    part: &Part,
) -> Result<(u64, [u8; 32]), PackageError> {
    let mut sum = Summing::new(size, part);
    super::pipe::produce_on_worker(|buf| fill(&mut src, buf, part), |chunk| sum.take(chunk, out))?;
    Ok(sum.done())
}

/// Hashes and counts a part's plaintext on its way to the sink.
struct Summing<'a> {
    hasher: Sha256,
    total: u64,
    size: u64,
    part: &'a Part,
}

impl<'a> Summing<'a> {
    fn new(size: u64, part: &'a Part) -> Summing<'a> {
        Summing { hasher: Sha256::new(), total: 0, size, part }
    }

    fn take(&mut self, chunk: &[u8], out: &mut dyn Write) -> Result<(), PackageError> {
        self.total += chunk.len() as u64;
        if self.total > self.size {
            return Err(PackageError::HashMismatch { part: self.part.clone() });
        }
        self.hasher.update(chunk);
        out.write_all(chunk).map_err(|e| PackageError::Io { op: format!("staging {}", self.part), source: e })
    }

    fn done(self) -> (u64, [u8; 32]) {
        (self.total, self.hasher.finalize().into())
    }
}

/// Reads until `buf` is full or the source ends (age hands out at most 64 KiB per read).
fn fill<R: Read + ?Sized>(src: &mut R, buf: &mut [u8], part: &Part) -> Result<usize, PackageError> {
    let mut n = 0;
    while n < buf.len() {
        match src.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            // Signed bytes that do not decrypt: the sender sealed garbage, or the file changed after pass 1.
            Err(e) if matches!(e.kind(), io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof) => {
                return Err(PackageError::malformed(format!("{part} cannot be decrypted: {e}")))
            }
            Err(e) => return Err(PackageError::Io { op: format!("reading {part}"), source: e }),
        }
    }
    Ok(n)
}
