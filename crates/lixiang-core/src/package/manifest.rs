//! The manifest: what a package is, who sent it, to whom, and the hash and size of every part. It is JSON
//! written by serde in struct field order. A reader ignores fields it does not know (a newer minor release
//! may add some within the same format version) and refuses duplicated known fields (serde does). This
//! module also owns the checks of a manifest's values that do not need the file: names, hashes, times.

use super::{keys, PackageError, Part};
use serde::{Deserialize, Serialize};

/// The container format this program writes and the newest it reads.
pub const FORMAT_VERSION: u16 = 1;

/// Suite 1: Ed25519 signatures, X25519 encryption in the age format, SHA-256 for every hash.
pub const SUITE_ED25519_X25519_SHA256: u16 = 1;

/// What a package carries. Kinds this program does not know still parse (as [`Kind::Other`]) so that
/// `inspect` can show them and import can say "kind X has no handler" instead of "malformed".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Kind {
    Call,
    Submission,
    ReviewPacket,
    ReviewReturn,
    Result,
    KeyCard,
    Revocation,
    /// An applicant's 撤回 of a submitted application, to the office (signed by the key that submitted it).
    Withdrawal,
    /// A whole workspace (database and attachments), signed by its identity: `lixiang backup`.
    Backup,
    /// A kind from a newer program, kept as written.
    Other(String),
}

impl Kind {
    /// The kinds this program knows.
    pub const KNOWN: [Kind; 9] = [
        Kind::Call,
        Kind::Submission,
        Kind::ReviewPacket,
        Kind::ReviewReturn,
        Kind::Result,
        Kind::KeyCard,
        Kind::Revocation,
        Kind::Withdrawal,
        Kind::Backup,
    ];

    /// The snake_case name written in manifests.
    pub fn as_str(&self) -> &str {
        match self {
            Kind::Call => "call",
            Kind::Submission => "submission",
            Kind::ReviewPacket => "review_packet",
            Kind::ReviewReturn => "review_return",
            Kind::Result => "result",
            Kind::KeyCard => "key_card",
            Kind::Revocation => "revocation",
            Kind::Withdrawal => "withdrawal",
            Kind::Backup => "backup",
            Kind::Other(s) => s,
        }
    }

    /// Parses a manifest's kind; unknown names become [`Kind::Other`].
    pub fn parse(s: &str) -> Kind {
        Kind::KNOWN.iter().find(|k| k.as_str() == s).cloned().unwrap_or_else(|| Kind::Other(s.to_string()))
    }

    /// `false` for [`Kind::Other`].
    pub fn is_known(&self) -> bool {
        !matches!(self, Kind::Other(_))
    }
}

impl Serialize for Kind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Kind::parse(&s))
    }
}

/// The sender: its key id and both public keys, so a receiver can verify the signature and show the
/// fingerprint for trust on first use before it knows the sender.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sender {
    pub key_id: String,
    /// Ed25519 public key, 64 lowercase hex characters.
    pub signing_key: String,
    /// X25519 public key, 64 lowercase hex characters.
    pub encryption_key: String,
}

impl Sender {
    pub(crate) fn of(keys: &keys::PublicKeys) -> Sender {
        Sender {
            key_id: keys.key_id(),
            signing_key: hex::encode(keys.signing),
            encryption_key: hex::encode(keys.encryption),
        }
    }

    /// The sender's public keys; refused when they are not 32 bytes of hex each.
    pub fn public_keys(&self) -> Result<keys::PublicKeys, PackageError> {
        Ok(keys::PublicKeys {
            signing: hex32(&self.signing_key)
                .ok_or_else(|| PackageError::malformed("sender.signing_key is not 64 hex digits"))?,
            encryption: hex32(&self.encryption_key)
                .ok_or_else(|| PackageError::malformed("sender.encryption_key is not 64 hex digits"))?,
        })
    }
}

/// SHA-256 (lowercase hex) and size in bytes of a part's plaintext.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Content {
    pub sha256: String,
    pub size: u64,
}

/// One attachment: its name (a file name, checked by [`check_name`]), media type, and content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentMeta {
    pub name: String,
    pub sha256: String,
    pub size: u64,
    pub media_type: String,
}

/// The head of the sender's audit chain when it sealed the package: deleting the chain's tail is
/// detected by comparing with the heads the sender signed into its outgoing packages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditHead {
    pub seq: u64,
    /// SHA-256 of the head entry, lowercase hex.
    pub hash: String,
}

/// The manifest of a package. Field order is the order written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The container format version; equal to the one in the file's header.
    pub format: u16,
    pub suite: u16,
    /// The package's UUID v7, kept for life (import refuses a different file reusing it).
    pub id: uuid::Uuid,
    pub kind: Kind,
    pub sender: Sender,
    /// Key ids the package is encrypted to; empty for public (signed-only) packages.
    pub recipients: Vec<String>,
    /// RFC 3339 in UTC (`2027-03-15T08:30:00Z`, fractional seconds allowed).
    pub created_at: String,
    /// The payload and attachments are encrypted to the recipients.
    pub confidential: bool,
    pub payload: Content,
    pub attachments: Vec<AttachmentMeta>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_head: Option<AuditHead>,
    /// A note readable without decrypting, signed with the rest, for what a receiver needs *before* it
    /// can decrypt: a backup (encrypted to its own identity) carries the passphrase-boxed keys here.
    /// Absent from every other kind, so their manifests are written as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<serde_json::Value>,
}

impl Manifest {
    /// The checks of values that a signature cannot vouch for: the key id is the hash of the key, hashes
    /// are hex, names are safe and distinct, confidential packages have recipients and public ones none.
    pub(crate) fn check(&self) -> Result<(), PackageError> {
        let public = self.sender.public_keys()?;
        let computed = public.key_id();
        if self.sender.key_id != computed {
            return Err(PackageError::KeyIdMismatch { claimed: self.sender.key_id.clone(), computed });
        }
        check_time(&self.created_at)?;
        if self.id.get_version_num() != 7 {
            return Err(PackageError::malformed(format!("package id {} is not a UUID v7", self.id)));
        }
        if self.kind.as_str().is_empty() {
            return Err(PackageError::malformed("empty kind"));
        }
        if self.confidential && self.recipients.is_empty() {
            return Err(PackageError::malformed("a confidential package lists no recipients"));
        }
        if !self.confidential && !self.recipients.is_empty() {
            return Err(PackageError::malformed("a public package lists recipients"));
        }
        let mut seen = std::collections::BTreeSet::new();
        for r in &self.recipients {
            if r.len() != 16 || !is_lower_hex(r) {
                return Err(PackageError::malformed(format!("recipient key id {r:?} is not 16 hex digits")));
            }
            if !seen.insert(r.as_str()) {
                return Err(PackageError::malformed(format!("recipient {r} is listed twice")));
            }
        }
        check_sha256(&self.payload.sha256, &Part::Payload)?;
        let mut names = std::collections::BTreeSet::new();
        for a in &self.attachments {
            check_name(&a.name)?;
            // Two names that differ only in case are the same file on Windows and macOS.
            if !names.insert(a.name.to_lowercase()) {
                return Err(PackageError::UnsafeName {
                    name: a.name.clone(),
                    reason: "another attachment has the same name (ignoring case)".into(),
                });
            }
            check_sha256(&a.sha256, &Part::Attachment(a.name.clone()))?;
            check_media_type(&a.media_type)?;
        }
        if let Some(head) = &self.audit_head {
            if head.hash.len() != 64 || !is_lower_hex(&head.hash) {
                return Err(PackageError::malformed("audit_head.hash is not 64 hex digits"));
            }
        }
        Ok(())
    }
}

fn hex32(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 || !is_lower_hex(s) {
        return None;
    }
    let mut out = [0u8; 32];
    hex::decode_to_slice(s, &mut out).ok()?;
    Some(out)
}

fn is_lower_hex(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn check_sha256(s: &str, part: &Part) -> Result<(), PackageError> {
    if s.len() == 64 && is_lower_hex(s) {
        Ok(())
    } else {
        Err(PackageError::malformed(format!("the SHA-256 of {part} is not 64 lowercase hex digits")))
    }
}

fn check_media_type(s: &str) -> Result<(), PackageError> {
    // type/subtype with optional parameters; printable ASCII only, so it can be shown and passed on safely.
    let ok = !s.is_empty() && s.len() <= 255 && s.bytes().all(|b| (0x20..0x7f).contains(&b)) && s.contains('/');
    if ok {
        Ok(())
    } else {
        Err(PackageError::malformed(format!("media type {s:?} is not a printable ASCII type/subtype")))
    }
}

/// Checks an RFC 3339 UTC time as this program writes it: `YYYY-MM-DDTHH:MM:SS[.fraction]Z`.
pub fn check_time(s: &str) -> Result<(), PackageError> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r.clone()).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().unwrap_or(99);
    let shape = b.len() >= 20
        && digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && b[b.len() - 1] == b'Z'
        && (b.len() == 20 || (b[19] == b'.' && b.len() > 21 && digits(20..b.len() - 1)));
    // Leap seconds (60) are allowed by RFC 3339.
    if shape
        && (1..=12).contains(&num(5..7))
        && (1..=31).contains(&num(8..10))
        && num(11..13) <= 23
        && num(14..16) <= 59
        && num(17..19) <= 60
    {
        Ok(())
    } else {
        Err(PackageError::malformed(format!("created_at {s:?} is not an RFC 3339 UTC time (YYYY-MM-DDTHH:MM:SSZ)")))
    }
}

/// Windows device names: a file called `CON` or `con.txt` opens the console there.
const WINDOWS_RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2",
    "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// Refuses an attachment name that is not a plain file name on every target system: empty, over 255
/// bytes, a path (`/`, `\`, `..`, `:`), control characters, characters Windows forbids, leading or
/// trailing spaces or a trailing dot, or a Windows device name (also with an extension). Chinese and
/// other non-ASCII names are fine.
pub fn check_name(name: &str) -> Result<(), PackageError> {
    let refuse = |reason: &str| Err(PackageError::UnsafeName { name: name.to_string(), reason: reason.to_string() });
    if name.is_empty() {
        return refuse("empty");
    }
    if name.len() > 255 {
        return refuse("longer than 255 bytes");
    }
    if name == "." || name == ".." || name.contains("..") {
        return refuse("contains “..”");
    }
    if name.contains('/') || name.contains('\\') {
        return refuse("contains a path separator");
    }
    if name.chars().any(|c| c.is_control()) {
        return refuse("contains a control character");
    }
    if name.chars().any(|c| matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|')) {
        return refuse("contains a character Windows does not allow in file names (: * ? \" < > |)");
    }
    if name.starts_with(char::is_whitespace) || name.ends_with(char::is_whitespace) {
        return refuse("starts or ends with a space");
    }
    if name.ends_with('.') {
        return refuse("ends with a dot");
    }
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    if WINDOWS_RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
        return refuse("a Windows device name");
    }
    Ok(())
}

/// The default file name of a package: `KIND-NUMBER-YYYYMMDD.lxpkg`, ASCII only. The kind is written with
/// hyphens (`review-packet`); characters of `number` outside `A-Z a-z 0-9 - _` become `_`; the date is
/// the UTC date of `created_at` (RFC 3339).
pub fn default_file_name(kind: &Kind, number: &str, created_at: &str) -> String {
    let clean = |s: &str| -> String {
        s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' }).collect()
    };
    let kind = clean(&kind.as_str().replace('_', "-"));
    let date: String = created_at.chars().take(10).filter(char::is_ascii_digit).collect();
    format!("{kind}-{}-{date}.lxpkg", clean(number))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_unknown_kinds_parse() {
        for k in Kind::KNOWN {
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(serde_json::from_str::<Kind>(&json).unwrap(), k);
        }
        assert_eq!(serde_json::to_string(&Kind::ReviewPacket).unwrap(), "\"review_packet\"");
        let other: Kind = serde_json::from_str("\"budget_amendment\"").unwrap();
        assert_eq!(other, Kind::Other("budget_amendment".into()));
        assert!(!other.is_known());
    }

    #[test]
    fn names_people_use_pass_and_unsafe_ones_are_refused() {
        for ok in ["申报书.pdf", "预算表 2027.xlsx", "a", "report.v2.final.docx", "ＣＯＮ.txt", "console.log"]
        {
            assert!(check_name(ok).is_ok(), "{ok}");
        }
        let long = "长".repeat(86); // 258 bytes
        for bad in [
            "",
            "../etc/passwd",
            "..",
            "a/b",
            "a\\b",
            "x\0y",
            "tab\there",
            " lead",
            "trail ",
            "CON",
            "con.txt",
            "Lpt1.pdf",
            "nul",
            "a:b",
            "what?",
            "dot.",
            &long,
        ] {
            let e = check_name(bad).unwrap_err();
            assert_eq!(e.code(), "package.unsafe_name", "{bad:?}");
        }
    }

    #[test]
    fn times_must_be_rfc3339_utc() {
        for ok in ["2027-03-15T08:30:00Z", "2027-12-31T23:59:60Z", "2027-03-15T08:30:00.123456Z"] {
            assert!(check_time(ok).is_ok(), "{ok}");
        }
        for bad in
            ["2027-03-15 08:30:00Z", "2027-03-15T08:30:00+08:00", "2027-13-15T08:30:00Z", "2027-03-15T08:30:00.Z", ""]
        {
            assert!(check_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn default_file_names_are_ascii() {
        assert_eq!(
            default_file_name(&Kind::ReviewPacket, "2027-ZX01-000123", "2027-03-15T08:30:00Z"),
            "review-packet-2027-ZX01-000123-20270315.lxpkg"
        );
        assert_eq!(default_file_name(&Kind::Call, "指南/1", "2027-03-15T08:30:00Z"), "call-___1-20270315.lxpkg");
    }
}
