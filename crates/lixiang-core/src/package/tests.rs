//! Tests of sealing and opening: round trips, every byte flipped, every truncation, and hand-made
//! manifests re-signed with a test key so that the check under test, not the signature, is what refuses.

use super::*;
use crate::{CoreError, Lang};
use proptest::prelude::*;
use sha2::{Digest, Sha256};
use std::io::{self, Cursor, Write};
use std::sync::OnceLock;

const T0: &str = "2027-03-15T08:30:00Z";

fn keys(n: u8) -> SecretKeys {
    SecretKeys::from_bytes(&[n; SECRET_KEYS_LEN])
}

fn id() -> uuid::Uuid {
    uuid::Uuid::now_v7()
}

/// Records what the reader did, so tests can assert that a refused package reached no sink.
#[derive(Default)]
struct MemSink {
    begun: usize,
    finished: usize,
    aborted: usize,
    discarded: usize,
}

impl AttachmentSink for MemSink {
    type Writer = Vec<u8>;
    type Output = Vec<u8>;
    fn begin(&mut self, _: &AttachmentMeta) -> io::Result<Vec<u8>> {
        self.begun += 1;
        Ok(Vec::new())
    }
    fn finish(&mut self, w: Vec<u8>, _: &AttachmentMeta) -> io::Result<Vec<u8>> {
        self.finished += 1;
        Ok(w)
    }
    fn abort(&mut self, _: Vec<u8>) {
        self.aborted += 1;
    }
    fn discard(&mut self, _: Vec<u8>) {
        self.discarded += 1;
    }
}

struct Sealing<'a> {
    kind: Kind,
    sender: &'a SecretKeys,
    recipients: Vec<PublicKeys>,
    payload: &'a [u8],
    attachments: Vec<(&'a str, &'a [u8])>,
}

fn seal_bytes(s: Sealing<'_>) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.lxpkg");
    let mut readers: Vec<&[u8]> = s.attachments.iter().map(|(_, c)| *c).collect();
    let sources = s
        .attachments
        .iter()
        .zip(readers.iter_mut())
        .map(|((name, _), r)| AttachmentSource {
            name: name.to_string(),
            media_type: "application/pdf".into(),
            content: r,
        })
        .collect();
    let sealed = seal(
        &Seal {
            kind: s.kind,
            sender: s.sender,
            recipients: &s.recipients,
            confidential: !s.recipients.is_empty(),
            created_at: T0.into(),
            package_id: id(),
            audit_head: Some(AuditHead { seq: 42, hash: "ab".repeat(32) }),
        },
        s.payload,
        sources,
        &path,
        &Limits::default(),
    )
    .unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(sealed.size, bytes.len() as u64);
    assert_eq!(sealed.file_sha256, hex::encode(Sha256::digest(&bytes)));
    // Only the package is left in the directory: staging files are gone.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    bytes
}

fn open_bytes(bytes: &[u8], me: Option<&SecretKeys>, sink: &mut MemSink) -> crate::Result<Opened<Vec<u8>>> {
    open_reader(Cursor::new(bytes), "test.lxpkg", me, sink, &Limits::default())
}

fn code(r: crate::Result<impl std::fmt::Debug>) -> &'static str {
    match r {
        Ok(v) => panic!("expected a refusal, got {v:?}"),
        Err(e) => e.code(),
    }
}

fn package_error(r: crate::Result<impl std::fmt::Debug>) -> PackageError {
    match r {
        Err(CoreError::Package { source, .. }) => source,
        other => panic!("expected a package error, got {other:?}"),
    }
}

/// A small confidential package (under 2 KiB) with one attachment, sealed once for all tests.
fn small() -> &'static Vec<u8> {
    static SMALL: OnceLock<Vec<u8>> = OnceLock::new();
    SMALL.get_or_init(|| {
        seal_bytes(Sealing {
            kind: Kind::Submission,
            sender: &keys(1),
            recipients: vec![*keys(2).public()],
            payload: "{\"title\":\"高温超导\"}".as_bytes(),
            attachments: vec![("申报书.pdf", b"%PDF-1.7 tiny")],
        })
    })
}

#[test]
fn confidential_round_trip_for_the_recipient_only() {
    let big: Vec<u8> = (0..200_000u32).map(|i| (i * 7 + i / 251) as u8).collect();
    let bytes = seal_bytes(Sealing {
        kind: Kind::Submission,
        sender: &keys(1),
        recipients: vec![*keys(2).public()],
        payload: b"{\"a\":1}",
        attachments: vec![("申报书.pdf", &big), ("empty.txt", b""), ("预算表 2027.xlsx", b"xlsx")],
    });
    // Nothing of the plaintext is visible in the file.
    assert!(!bytes.windows(7).any(|w| w == b"{\"a\":1}"));

    let mut sink = MemSink::default();
    let opened = open_bytes(&bytes, Some(&keys(2)), &mut sink).unwrap();
    assert_eq!(opened.payload, b"{\"a\":1}");
    let contents: Vec<&[u8]> = opened.attachments.iter().map(|(_, c)| c.as_slice()).collect();
    assert_eq!(contents, vec![&big[..], b"", b"xlsx"]);
    assert_eq!(opened.attachments[0].0.name, "申报书.pdf");
    assert_eq!(opened.attachments[0].0.sha256, hex::encode(Sha256::digest(&big)));
    assert_eq!(opened.manifest.sender.key_id, keys(1).key_id());
    assert_eq!(opened.manifest.recipients, vec![keys(2).key_id()]);
    assert_eq!(opened.manifest.audit_head, Some(AuditHead { seq: 42, hash: "ab".repeat(32) }));
    assert_eq!(opened.sender_fingerprint, keys(1).public().fingerprint());
    assert_eq!((sink.begun, sink.finished, sink.aborted), (3, 3, 0));

    for other in [Some(keys(3)), Some(keys(1)), None] {
        let mut sink = MemSink::default();
        assert_eq!(code(open_bytes(&bytes, other.as_ref(), &mut sink)), "package.not_addressed_to_me");
        assert_eq!(sink.begun, 0);
    }
}

#[test]
fn multi_recipient_packages_open_for_each_recipient() {
    let bytes = seal_bytes(Sealing {
        kind: Kind::ReviewPacket,
        sender: &keys(1),
        recipients: vec![*keys(2).public(), *keys(3).public(), *keys(4).public()],
        payload: b"packet",
        attachments: vec![("a.pdf", b"A")],
    });
    for me in [2, 3, 4] {
        let opened = open_bytes(&bytes, Some(&keys(me)), &mut MemSink::default()).unwrap();
        assert_eq!(opened.payload, b"packet");
        assert_eq!(opened.attachments[0].1, b"A");
    }
    assert_eq!(code(open_bytes(&bytes, Some(&keys(5)), &mut MemSink::default())), "package.not_addressed_to_me");
}

#[test]
fn public_packages_are_signed_only_and_open_for_anyone() {
    let bytes = seal_bytes(Sealing {
        kind: Kind::Call,
        sender: &keys(1),
        recipients: vec![],
        payload: b"{\"call\":\"2027-ZX01\"}",
        attachments: vec![("指南.pdf", b"guide")],
    });
    assert!(bytes.windows(5).any(|w| w == b"guide"));
    for me in [None, Some(keys(9))] {
        let opened = open_bytes(&bytes, me.as_ref(), &mut MemSink::default()).unwrap();
        assert_eq!(opened.payload, b"{\"call\":\"2027-ZX01\"}");
        assert_eq!(opened.attachments[0].1, b"guide");
        assert!(!opened.manifest.confidential);
    }
    let seen = inspect_reader(Cursor::new(&bytes), "call.lxpkg", &Limits::default()).unwrap();
    assert_eq!(seen.manifest.kind, Kind::Call);
    assert_eq!(seen.size, bytes.len() as u64);
    assert_eq!(seen.file_sha256, hex::encode(Sha256::digest(&bytes)));
}

#[test]
fn sizes_around_age_chunk_boundaries_round_trip() {
    // 3 MiB + 1 takes the pipelined paths (a worker thread encrypts while sealing and decrypts while opening).
    for size in [0usize, 1, 65_535, 65_536, 65_537, 131_072, 131_073, (3 << 20) + 1] {
        let content: Vec<u8> = (0..size).map(|i| (i % 253) as u8).collect();
        let bytes = seal_bytes(Sealing {
            kind: Kind::Result,
            sender: &keys(1),
            recipients: vec![*keys(2).public(), *keys(3).public()],
            payload: &content,
            attachments: vec![("x.bin", &content)],
        });
        let opened = open_bytes(&bytes, Some(&keys(3)), &mut MemSink::default()).unwrap();
        assert_eq!(opened.payload, content, "size {size}");
        assert_eq!(opened.attachments[0].1, content, "size {size}");
    }
}

#[test]
fn files_on_disk_round_trip_through_a_staging_dir() {
    let dir = tempfile::tempdir().unwrap();
    let staging = tempfile::tempdir().unwrap();
    let path = dir.path().join(default_file_name(&Kind::Submission, "2027-ZX01-000123", T0));
    let mut content: &[u8] = b"attachment bytes";
    let sealed = seal(
        &Seal {
            kind: Kind::Submission,
            sender: &keys(1),
            recipients: &[*keys(2).public()],
            confidential: true,
            created_at: T0.into(),
            package_id: id(),
            audit_head: None,
        },
        b"{}",
        vec![AttachmentSource {
            name: "附件一.pdf".into(),
            media_type: "application/pdf".into(),
            content: &mut content,
        }],
        &path,
        &Limits::default(),
    )
    .unwrap();
    assert!(path.ends_with("submission-2027-ZX01-000123-20270315.lxpkg"));
    let seen = inspect(&path, &Limits::default()).unwrap();
    assert_eq!(seen.manifest, sealed.manifest);
    assert_eq!(seen.file_sha256, sealed.file_sha256);

    let mut sink = StagingDir { dir: staging.path().to_path_buf() };
    let opened = open(&path, Some(&keys(2)), &mut sink, &Limits::default()).unwrap();
    assert_eq!(std::fs::read(&opened.attachments[0].1).unwrap(), b"attachment bytes");
    drop(opened);
    assert_eq!(std::fs::read_dir(staging.path()).unwrap().count(), 0, "staged files are removed unless kept");

    // A damaged file stages nothing.
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    let e = open(&path, Some(&keys(2)), &mut sink, &Limits::default()).unwrap_err();
    assert_eq!(e.code(), "package.signature_invalid");
    assert_eq!(std::fs::read_dir(staging.path()).unwrap().count(), 0);
}

#[test]
fn every_flipped_byte_is_refused_and_reaches_no_sink() {
    let good = small();
    assert!(good.len() <= 2048, "the small package is {} bytes", good.len());
    open_bytes(good, Some(&keys(2)), &mut MemSink::default()).unwrap();
    for i in 0..good.len() {
        for mask in [0x01u8, 0x80, 0xff] {
            let mut bad = good.clone();
            bad[i] ^= mask;
            let mut sink = MemSink::default();
            let r = open_bytes(&bad, Some(&keys(2)), &mut sink);
            assert!(r.is_err(), "byte {i} ^ {mask:#x} was accepted");
            assert_eq!((sink.begun, sink.finished), (0, 0), "byte {i} ^ {mask:#x} reached the sink");
        }
    }
}

#[test]
fn every_truncation_is_refused_as_truncated() {
    let good = small();
    for len in 0..good.len() {
        let mut sink = MemSink::default();
        let e = package_error(open_bytes(&good[..len], Some(&keys(2)), &mut sink));
        assert!(matches!(e, PackageError::Truncated { .. }), "length {len}: {e:?}");
        assert_eq!(sink.begun, 0);
    }
}

#[test]
fn bytes_after_the_signature_and_foreign_files_are_refused() {
    let mut longer = small().clone();
    longer.push(0);
    assert_eq!(code(open_bytes(&longer, Some(&keys(2)), &mut MemSink::default())), "package.trailing_bytes");
    for foreign in [&b"PK\x03\x04 a zip file"[..], b"%PDF-1.7", b"LXPKX"] {
        assert_eq!(code(open_bytes(foreign, None, &mut MemSink::default())), "package.not_a_package");
    }
}

// ---- Hand-made packages, re-signed so that the signature is valid. ----

/// The manifest of a valid public package, as JSON to edit.
fn base_manifest(sender: &SecretKeys, payload: &[u8], attachments: &[(&str, &[u8])]) -> serde_json::Value {
    let m = Manifest {
        format: FORMAT_VERSION,
        suite: SUITE_ED25519_X25519_SHA256,
        id: id(),
        kind: Kind::Call,
        sender: manifest::Sender::of(sender.public()),
        recipients: vec![],
        created_at: T0.into(),
        confidential: false,
        note: None,
        payload: Content { sha256: hex::encode(Sha256::digest(payload)), size: payload.len() as u64 },
        attachments: attachments
            .iter()
            .map(|(name, c)| AttachmentMeta {
                name: name.to_string(),
                sha256: hex::encode(Sha256::digest(c)),
                size: c.len() as u64,
                media_type: "text/plain".into(),
            })
            .collect(),
        audit_head: None,
    };
    serde_json::to_value(m).unwrap()
}

/// Assembles and signs a package from raw parts, exactly as the format says.
fn craft(version: u16, manifest: &[u8], sections: &[&[u8]], signer: &SecretKeys) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&version.to_be_bytes());
    out.extend_from_slice(&(manifest.len() as u32).to_be_bytes());
    out.extend_from_slice(manifest);
    for s in sections {
        out.extend_from_slice(&(s.len() as u64).to_be_bytes());
        out.extend_from_slice(s);
    }
    let mut message = SIGNATURE_CONTEXT.to_vec();
    message.extend_from_slice(&Sha256::digest(&out));
    out.extend_from_slice(&signer.sign(&message).to_bytes());
    out
}

fn craft_json(manifest: &serde_json::Value, sections: &[&[u8]], signer: &SecretKeys) -> Vec<u8> {
    craft(FORMAT_VERSION, &serde_json::to_vec(manifest).unwrap(), sections, signer)
}

fn age_encrypt(data: &[u8], to: &[&SecretKeys]) -> Vec<u8> {
    let recipients: Vec<_> = to.iter().map(|k| k.public().recipient()).collect();
    let enc = age::Encryptor::with_recipients(recipients.iter().map(|r| r as &dyn age::Recipient)).unwrap();
    let mut out = Vec::new();
    let mut w = enc.wrap_output(&mut out).unwrap();
    w.write_all(data).unwrap();
    w.finish().unwrap();
    out
}

#[test]
fn a_crafted_package_that_follows_the_format_opens() {
    // Guards the crafting helpers: every refusal below differs from this by one thing only.
    let k = keys(1);
    let m = base_manifest(&k, b"p", &[("a.txt", b"A")]);
    let opened = open_bytes(&craft_json(&m, &[b"p", b"A"], &k), None, &mut MemSink::default()).unwrap();
    assert_eq!(opened.attachments[0].1, b"A");
}

#[test]
fn unknown_manifest_fields_and_kinds_are_accepted() {
    let k = keys(1);
    let mut m = base_manifest(&k, b"p", &[]);
    m["from_a_newer_minor_release"] = serde_json::json!({"x": 1});
    m["kind"] = "budget_amendment".into();
    let opened = open_bytes(&craft_json(&m, &[b"p"], &k), None, &mut MemSink::default()).unwrap();
    assert_eq!(opened.manifest.kind, Kind::Other("budget_amendment".into()));
}

#[test]
fn a_duplicated_manifest_field_is_malformed() {
    let k = keys(1);
    let m = base_manifest(&k, b"p", &[]);
    let json = serde_json::to_string(&m).unwrap();
    let dup = json.replacen("{", "{\"confidential\":true,", 1);
    let bytes = craft(FORMAT_VERSION, dup.as_bytes(), &[b"p"], &k);
    assert_eq!(code(open_bytes(&bytes, None, &mut MemSink::default())), "package.malformed");
}

#[test]
fn a_newer_format_is_refused_naming_both_versions() {
    let k = keys(1);
    let mut m = base_manifest(&k, b"p", &[]);
    m["format"] = 2.into();
    let bytes = craft(2, &serde_json::to_vec(&m).unwrap(), &[b"p"], &k);
    let e = open_bytes(&bytes, None, &mut MemSink::default()).unwrap_err();
    assert_eq!(e.code(), "package.newer_format");
    assert!(matches!(e, CoreError::Package { source: PackageError::NewerFormat { found: 2, supported: 1 }, .. }));
    assert!(e.message(Lang::En).contains("reads format 2"), "{}", e.message(Lang::En));
    assert!(e.message(Lang::Zh).contains("格式 2"));
    assert_eq!(code(inspect_reader(Cursor::new(&bytes), "x", &Limits::default())), "package.newer_format");
}

#[test]
fn an_unknown_suite_is_refused() {
    let k = keys(1);
    let mut m = base_manifest(&k, b"p", &[]);
    m["suite"] = 2.into();
    assert_eq!(code(open_bytes(&craft_json(&m, &[b"p"], &k), None, &mut MemSink::default())), "package.unknown_suite");
}

#[test]
fn a_signature_by_another_key_is_refused() {
    let m = base_manifest(&keys(1), b"p", &[]);
    let bytes = craft_json(&m, &[b"p"], &keys(2));
    assert_eq!(code(open_bytes(&bytes, None, &mut MemSink::default())), "package.signature_invalid");
}

#[test]
fn a_key_id_that_is_not_the_hash_of_the_key_is_refused() {
    let k = keys(1);
    let mut m = base_manifest(&k, b"p", &[]);
    m["sender"]["key_id"] = keys(2).key_id().into();
    assert_eq!(
        code(open_bytes(&craft_json(&m, &[b"p"], &k), None, &mut MemSink::default())),
        "package.key_id_mismatch"
    );
}

#[test]
fn unsafe_attachment_names_are_refused() {
    let k = keys(1);
    for name in ["../../.bashrc", "/etc/passwd", "a\\b", "CON", "aux.pdf", "x\u{0}y", " a", "", "a.", "A.pdf|"] {
        let m = base_manifest(&k, b"p", &[(name, b"A")]);
        let e = package_error(open_bytes(&craft_json(&m, &[b"p", b"A"], &k), None, &mut MemSink::default()));
        assert!(matches!(&e, PackageError::UnsafeName { name: n, .. } if n == name), "{name:?}: {e:?}");
    }
    // Two names that one file system would see as one.
    let m = base_manifest(&k, b"p", &[("a.pdf", b"A"), ("A.PDF", b"A")]);
    let bytes = craft_json(&m, &[b"p", b"A", b"A"], &k);
    assert_eq!(code(open_bytes(&bytes, None, &mut MemSink::default())), "package.unsafe_name");
}

#[test]
fn oversized_entries_are_refused_before_their_content_is_read() {
    let k = keys(1);
    // The manifest claims a 2 GiB attachment; the file holds none of it.
    let mut m = base_manifest(&k, b"p", &[("big.bin", b"")]);
    m["attachments"][0]["size"] = (2u64 << 30).into();
    let e = package_error(open_bytes(&craft_json(&m, &[b"p", b""], &k), None, &mut MemSink::default()));
    assert!(
        matches!(&e, PackageError::TooLarge { part: Part::Attachment(n), limit, .. } if n == "big.bin" && *limit == 1 << 30)
    );

    let mut m = base_manifest(&k, b"p", &[]);
    m["payload"]["size"] = (65u64 << 20).into();
    let e = package_error(open_bytes(&craft_json(&m, &[b"p"], &k), None, &mut MemSink::default()));
    assert!(matches!(e, PackageError::TooLarge { part: Part::Payload, .. }));

    // A caller's own limits: a call that allows 1-byte attachments, a 100-byte file.
    let m = base_manifest(&k, b"p", &[("a.txt", b"AB")]);
    let bytes = craft_json(&m, &[b"p", b"AB"], &k);
    let strict = Limits { attachment: 1, ..Limits::default() };
    assert_eq!(
        code(open_reader(Cursor::new(&bytes), "x", None, &mut MemSink::default(), &strict)),
        "package.too_large"
    );
    let tiny = Limits { file: 100, ..Limits::default() };
    assert_eq!(code(open_reader(Cursor::new(&bytes), "x", None, &mut MemSink::default(), &tiny)), "package.too_large");
    let small_manifest = Limits { manifest: 10, ..Limits::default() };
    let e = package_error(open_reader(Cursor::new(&bytes), "x", None, &mut MemSink::default(), &small_manifest));
    assert!(matches!(e, PackageError::TooLarge { part: Part::Manifest, .. }));
}

#[test]
fn too_many_attachments_are_refused() {
    let k = keys(1);
    let names: Vec<String> = (0..1001).map(|i| format!("f{i}.txt")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let m = base_manifest(&k, b"p", &entries);
    let mut sections: Vec<&[u8]> = vec![b"p"];
    sections.extend(std::iter::repeat_n(&b""[..], 1001));
    let e = package_error(open_bytes(&craft_json(&m, &sections, &k), None, &mut MemSink::default()));
    assert!(matches!(e, PackageError::TooManyEntries { found: 1001, limit: 1000 }), "{e:?}");
}

#[test]
fn content_that_differs_from_its_signed_hash_is_refused_and_discarded() {
    let k = keys(1);
    // Public: the second attachment's bytes are not the ones the manifest lists.
    let m = base_manifest(&k, b"p", &[("a.txt", b"A"), ("b.txt", b"B")]);
    let mut sink = MemSink::default();
    let e = package_error(open_bytes(&craft_json(&m, &[b"p", b"A", b"X"], &k), None, &mut sink));
    assert!(matches!(&e, PackageError::HashMismatch { part: Part::Attachment(n) } if n == "b.txt"), "{e:?}");
    assert_eq!((sink.finished, sink.aborted, sink.discarded), (1, 1, 1), "the first attachment is handed back");

    // Confidential: the payload decrypts, but to other content than the manifest lists.
    let me = keys(2);
    let mut m = base_manifest(&k, b"p", &[]);
    m["confidential"] = true.into();
    m["recipients"] = serde_json::json!([me.key_id()]);
    let bytes = craft_json(&m, &[&age_encrypt(b"q", &[&me])], &k);
    let e = package_error(open_bytes(&bytes, Some(&me), &mut MemSink::default()));
    assert!(matches!(e, PackageError::HashMismatch { part: Part::Payload }), "{e:?}");

    // Large enough for the pipelined decryption: the worker's output is checked just the same.
    let big = vec![7u8; 3 << 20];
    let mut other = big.clone();
    other[2 << 20] = 8;
    let mut m = base_manifest(&k, b"p", &[("big.bin", &big)]);
    m["confidential"] = true.into();
    m["recipients"] = serde_json::json!([me.key_id()]);
    let bytes = craft_json(&m, &[&age_encrypt(b"p", &[&me]), &age_encrypt(&other, &[&me])], &k);
    let mut sink = MemSink::default();
    let e = package_error(open_bytes(&bytes, Some(&me), &mut sink));
    assert!(matches!(&e, PackageError::HashMismatch { part: Part::Attachment(n) } if n == "big.bin"), "{e:?}");
    assert_eq!((sink.finished, sink.aborted), (0, 1));
    let bytes = craft_json(&m, &[&age_encrypt(b"p", &[&me]), &age_encrypt(&big, &[&me])], &k);
    assert_eq!(open_bytes(&bytes, Some(&me), &mut MemSink::default()).unwrap().attachments[0].1, big);
    let mut m = base_manifest(&k, b"p", &[]);
    m["confidential"] = true.into();
    m["recipients"] = serde_json::json!([me.key_id()]);

    // Confidential and listing me, but encrypted to someone else.
    let bytes = craft_json(&m, &[&age_encrypt(b"p", &[&keys(3)])], &k);
    assert_eq!(code(open_bytes(&bytes, Some(&me), &mut MemSink::default())), "package.not_addressed_to_me");
    // And the honest version of the same opens.
    let bytes = craft_json(&m, &[&age_encrypt(b"p", &[&me])], &k);
    assert_eq!(open_bytes(&bytes, Some(&me), &mut MemSink::default()).unwrap().payload, b"p");
}

#[test]
fn section_lengths_that_do_not_fit_the_manifest_are_malformed() {
    let k = keys(1);
    let m = base_manifest(&k, b"p", &[]);
    assert_eq!(code(open_bytes(&craft_json(&m, &[b"pp"], &k), None, &mut MemSink::default())), "package.malformed");
    // Extra bytes after a valid age stream, inside its section.
    let me = keys(2);
    let mut m = base_manifest(&k, b"p", &[]);
    m["confidential"] = true.into();
    m["recipients"] = serde_json::json!([me.key_id()]);
    let mut section = age_encrypt(b"p", &[&me]);
    section.extend_from_slice(b"tail");
    let bytes = craft_json(&m, &[&section], &k);
    assert_eq!(code(open_bytes(&bytes, Some(&me), &mut MemSink::default())), "package.malformed");
    // A public package that lists recipients, a confidential one without.
    let mut m = base_manifest(&k, b"p", &[]);
    m["recipients"] = serde_json::json!([me.key_id()]);
    assert_eq!(code(open_bytes(&craft_json(&m, &[b"p"], &k), None, &mut MemSink::default())), "package.malformed");
}

#[test]
fn the_writer_refuses_bad_input_and_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.lxpkg");
    let k = keys(1);
    let base = Seal {
        kind: Kind::Call,
        sender: &k,
        recipients: &[],
        confidential: false,
        created_at: T0.into(),
        package_id: id(),
        audit_head: None,
    };
    let attempt = |seal_args: &Seal<'_>, name: &str, content: &[u8], limits: &Limits| {
        let mut c = content;
        let src = vec![AttachmentSource { name: name.into(), media_type: "text/plain".into(), content: &mut c }];
        seal(seal_args, b"p", src, &path, limits).map(|s| s.size)
    };
    assert_eq!(code(attempt(&base, "../x", b"", &Limits::default())), "package.unsafe_name");
    let e = attempt(&base, "a.bin", b"0123456789", &Limits { attachment: 5, ..Limits::default() });
    assert_eq!(code(e), "package.too_large");
    let confidential_alone = Seal { confidential: true, ..base.clone() };
    assert_eq!(code(attempt(&confidential_alone, "a", b"", &Limits::default())), "package.malformed");
    let bad_time = Seal { created_at: "2027-03-15 08:30".into(), ..base.clone() };
    assert_eq!(code(attempt(&bad_time, "a", b"", &Limits::default())), "package.malformed");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0, "no file, no staging left");
    attempt(&base, "a", b"", &Limits::default()).unwrap();
}

#[test]
fn every_refusal_has_a_bilingual_message_naming_the_file() {
    let samples = [
        PackageError::Truncated { part: Part::Signature },
        PackageError::NotAPackage,
        PackageError::NewerFormat { found: 3, supported: 1 },
        PackageError::UnknownSuite { suite: 2 },
        PackageError::malformed("x"),
        PackageError::SignatureInvalid,
        PackageError::KeyIdMismatch { claimed: "a".into(), computed: "b".into() },
        PackageError::HashMismatch { part: Part::Attachment("申报书.pdf".into()) },
        PackageError::NotAddressedToMe { my_key_id: "0011223344556677".into() },
        PackageError::TooLarge { part: Part::Payload, found: 2, limit: 1 },
        PackageError::TooManyEntries { found: 2, limit: 1 },
        PackageError::UnsafeName { name: "../x".into(), reason: "r".into() },
        PackageError::TrailingBytes,
        PackageError::Io { op: "reading".into(), source: io::Error::other("disk") },
    ];
    let mut codes = std::collections::BTreeSet::new();
    for source in samples {
        let io = !source.is_refusal();
        let e = CoreError::Package { file: "call-X-20270315.lxpkg".into(), source };
        assert!(e.code().starts_with("package."));
        assert!(codes.insert(e.code()), "{} twice", e.code());
        let zh = e.message(Lang::Zh);
        let en = e.message(Lang::En);
        assert!(zh.contains("call-X-20270315.lxpkg") && en.contains("call-X-20270315.lxpkg"));
        assert_ne!(zh, en);
        let expected = if io { crate::error::ErrorKind::Failure } else { crate::error::ErrorKind::InputRefused };
        assert_eq!(e.kind(), expected);
    }
    assert_eq!(codes.len(), 14);
}

// ---- Fuzz-lite: the reader never panics and never accepts a changed file. ----

#[derive(Debug, Clone)]
enum Mutation {
    Set(usize, u8),
    Insert(usize, u8),
    Remove(usize),
    Truncate(usize),
    Append(Vec<u8>),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<usize>().prop_map(Mutation::Remove),
        any::<usize>().prop_map(Mutation::Truncate),
        proptest::collection::vec(any::<u8>(), 1..16).prop_map(Mutation::Append),
    ]
}

fn apply(bytes: &mut Vec<u8>, m: &Mutation) {
    let n = bytes.len();
    // An earlier mutation may have truncated the file to nothing: there is no byte left to set, remove or
    // cut at (a remainder by zero panicked the test itself, once in CI).
    if n == 0 && matches!(m, Mutation::Set(..) | Mutation::Remove(_) | Mutation::Truncate(_)) {
        return;
    }
    match m {
        Mutation::Set(i, b) => bytes[i % n] = *b,
        Mutation::Insert(i, b) => bytes.insert(i % (n + 1), *b),
        Mutation::Remove(i) => {
            bytes.remove(i % n);
        }
        Mutation::Truncate(i) => bytes.truncate(i % n),
        Mutation::Append(tail) => bytes.extend_from_slice(tail),
    }
}

/// The case proptest found in CI: the file cut to nothing, then a byte set in it. Refused, and the test's
/// own mutating does not panic.
#[test]
fn a_package_cut_to_nothing_then_changed_is_refused() {
    let mut bad = small().clone();
    for m in [Mutation::Truncate(0), Mutation::Set(7, 1), Mutation::Remove(3), Mutation::Truncate(9)] {
        apply(&mut bad, &m);
    }
    assert!(bad.is_empty());
    apply(&mut bad, &Mutation::Insert(4, 0x4c));
    let mut sink = MemSink::default();
    assert!(open_bytes(&bad, Some(&keys(2)), &mut sink).is_err());
    assert_eq!(sink.begun, 0);
}

proptest! {
    // PROPTEST_CASES overrides the default (CI sets 64).
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
    ))]

    #[test]
    fn arbitrary_bytes_are_refused_without_panic(mut bytes in proptest::collection::vec(any::<u8>(), 0..600), magic in any::<bool>()) {
        if magic && bytes.len() >= 5 {
            bytes[..5].copy_from_slice(MAGIC);
        }
        let mut sink = MemSink::default();
        prop_assert!(open_bytes(&bytes, Some(&keys(2)), &mut sink).is_err());
        prop_assert_eq!(sink.begun, 0);
    }

    #[test]
    fn mutated_packages_are_refused_without_panic(mutations in proptest::collection::vec(mutation(), 1..4)) {
        let good = small();
        let mut bad = good.clone();
        for m in &mutations {
            apply(&mut bad, m);
        }
        let mut sink = MemSink::default();
        let r = open_bytes(&bad, Some(&keys(2)), &mut sink);
        if &bad == good {
            prop_assert!(r.is_ok());
        } else {
            prop_assert!(r.is_err(), "accepted after {:?}", mutations);
            prop_assert_eq!(sink.finished, 0);
        }
    }
}
