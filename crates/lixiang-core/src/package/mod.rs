//! Exchange packages (`.lxpkg`): sealing and opening the files that carry calls, submissions, review
//! packets and returns, results, key cards and revocations between machines. This module owns the file
//! format, the keys of suite 1 in memory, and the checks a package must pass; it touches no database
//! (import, trust on first use and the audit chain live above it) and never stores a secret key.
//!
//! # The file (format version 1)
//! All integers are big-endian. Nothing is optional, nothing is padded, nothing follows the signature:
//!
//! | bytes | content |
//! |---|---|
//! | 5 | magic `LXPKG` |
//! | 2 | format version (`u16`, 1) |
//! | 4 | manifest length M (`u32`, 1 … [`Limits::manifest`]) |
//! | M | manifest: JSON of [`Manifest`] in UTF-8 |
//! | 8 + L₀ | payload section: length L₀ (`u64`), then the bytes |
//! | 8 + Lᵢ | one section per attachment, in manifest order, the same way |
//! | 64 | Ed25519 signature by `manifest.sender` of `"LXPKG signature\0" ‖ SHA-256(every byte above)` |
//!
//! A section holds the part's plaintext when the package is public (then L equals the manifest's size),
//! or one age stream (binary age v1, X25519 recipients, its own file key) when `manifest.confidential`.
//! The manifest lists SHA-256 and size of each part's *plaintext*: a receiver checks them after
//! decrypting, and people compare them. The signature covers every byte before it, the length fields
//! included, and the reader refuses anything after it, so no byte of a file can change unnoticed.
//! The context string keeps a package signature from being mistaken for any other signature made with
//! the same key (audit heads, backups).
//!
//! # Reading: two passes
//! The signature is at the end, so the reader makes two passes over the file. Pass 1 reads the header
//! and manifest, applies the [`Limits`], hashes every byte and verifies the signature; nothing is
//! decrypted and nothing reaches the caller (this is all [`inspect`] does). Pass 2, only after pass 1
//! succeeded, decrypts each section and streams it into the caller's [`AttachmentSink`] while hashing the
//! plaintext, and checks it against the manifest pass 1 verified. A one-pass reader would do the same
//! cryptographic work (hash the ciphertext, decrypt, hash the plaintext); two passes only add a second
//! read of the file, which comes from the page cache, and buy the property that a forged or damaged file
//! makes the reader decrypt and stage nothing at all. If the file changes between the passes, pass 2's
//! plaintext hashes (against the manifest kept in memory from pass 1) refuse it.
//!
//! # Writing: attachments staged first
//! The manifest comes first and lists each attachment's hash and size, which are known only after
//! reading the attachment. The writer therefore streams each attachment once — hashing the plaintext and
//! encrypting it — into an unnamed temporary file beside the destination, then writes the destination
//! (itself a temporary file, fsynced and renamed into place) by copying the staged sections while hashing
//! them for the signature. Sources are read exactly once (any `Read` will do), and memory stays at a few
//! buffers of 1 MiB whatever the size.

mod error;
mod keys;
mod manifest;
mod pipe;
mod read;
mod write;

pub mod bench;

pub use error::{PackageError, Part};
pub use keys::{key_id_of, PublicKeys, SecretKeys, SECRET_KEYS_LEN};
pub use manifest::{
    check_name, check_time, default_file_name, AttachmentMeta, AuditHead, Content, Kind, Manifest, Sender,
    FORMAT_VERSION, SUITE_ED25519_X25519_SHA256,
};
pub use read::{inspect, inspect_reader, open, open_reader, AttachmentSink, Inspection, Opened, StagingDir};
pub use write::{seal, seal_noted, AttachmentSource, Seal, Sealed};

/// The magic bytes every package starts with.
pub const MAGIC: &[u8; 5] = b"LXPKG";

/// What the Ed25519 signature signs, before the SHA-256 of the file's bytes.
pub(crate) const SIGNATURE_CONTEXT: &[u8] = b"LXPKG signature\0";

/// Length of a suite-1 signature.
pub(crate) const SIGNATURE_LEN: usize = 64;

/// Bytes before the manifest: magic, format version, manifest length.
pub(crate) const HEADER_LEN: u64 = 5 + 2 + 4;

/// Size of the I/O buffers: large reads and writes keep system calls out of the profile.
pub(crate) const BUF_LEN: usize = 1 << 20;

/// How large a package may be. Checked by the reader before it reads (or decrypts) what they bound, and
/// by the writer before it writes. A caller can lower them (a call sets its own attachment limit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// The manifest's JSON, in bytes.
    pub manifest: u64,
    /// The payload's plaintext, in bytes (it is held in memory).
    pub payload: u64,
    /// Each attachment's plaintext, in bytes.
    pub attachment: u64,
    /// The number of attachments.
    pub attachments: u64,
    /// The whole file, in bytes.
    pub file: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { manifest: 1 << 20, payload: 64 << 20, attachment: 1 << 30, attachments: 1000, file: 4 << 30 }
    }
}

/// age's framing around a plaintext of `size` bytes, for the strict section length check: the stream is
/// a 16-byte nonce and 64 KiB chunks with a 16-byte tag each (at least one chunk); the header is 70 bytes
/// plus 98 per X25519 recipient, plus one random "grease" stanza of up to about 230 bytes that age adds
/// to keep parsers honest. The bounds leave room to spare above, none below.
pub(crate) fn age_section_bounds(size: u64, recipients: usize) -> (u64, u64) {
    const CHUNK: u64 = 64 * 1024;
    let chunks = size.div_ceil(CHUNK).max(1);
    let stream = 16u64.saturating_add(size).saturating_add(16 * chunks);
    let header_max = 512u64.saturating_add(128u64.saturating_mul(recipients as u64));
    (stream.saturating_add(70 + 98), stream.saturating_add(header_max))
}

#[cfg(test)]
mod tests;
