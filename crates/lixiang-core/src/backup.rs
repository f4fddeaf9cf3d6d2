//! Backup and restore of a whole workspace as one signed and encrypted `.lxpkg` file of kind `backup`.
//!
//! A backup holds a consistent snapshot of the database (`VACUUM INTO`, safe while the app writes) and
//! every attachment blob, streamed (the file is never in memory whole). The audit chain's head is signed
//! (a seal recorded in the snapshot and carried in the manifest), so a restore can tell the chain was
//! not cut short.
//!
//! The payload and every attachment are encrypted to the workspace's own X25519 key (the package is
//! confidential, its one recipient the identity itself), so the applications, sheets and files inside
//! are unreadable without the identity. Restoring onto a new laptop must not need a key that only the
//! backup holds, so the manifest's note (signed, not encrypted) carries the two key boxes of the
//! identity — the private keys under the passphrase and under the recovery passphrase, Argon2id each
//! (identity::keybox). A restore unboxes the keys with the passphrase the person types (either one),
//! then decrypts the rest. Guessing a passphrase from a stolen backup costs what guessing it from a
//! stolen laptop costs. Backups written before they were encrypted (public packages without the note)
//! still restore, without a passphrase.
//!
//! Restore verifies the whole file and opens the key box before writing anything, then writes into a
//! new directory only, checks that the identity inside is the key that signed the file and that the
//! audit chain is intact, moves the counters past the backup's (crate::counters) and records the restore
//! in the chain.

use crate::audit::{self, seal_head, SealPurpose};
use crate::blobs::BlobStore;
use crate::counters::{self, CounterMoved};
use crate::identity;
use crate::identity::keybox;
use crate::package::{self, AttachmentSource, AuditHead, Kind, Limits, Seal, SecretKeys, StagingDir};
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{AuditAction, AuditEvent, DATABASE_FILE_NAME};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The name of the database inside a backup package.
const DATABASE_ATTACHMENT: &str = "lixiang.db";

/// The payload of a backup package: what it holds, for `inspect` and for checks at restore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BackupContents {
    /// Format of this payload (1).
    pub format: u16,
    /// The identity whose workspace this is (must be the package's signer).
    pub identity_key_id: String,
    pub schema_version: u32,
    /// The audit chain's head at the snapshot, as signed into the manifest.
    pub audit_seq: u64,
    pub audit_hash: String,
    /// How many attachment blobs follow the database.
    pub blobs: u64,
    pub created_at: String,
    /// Every counter this workspace hands out to other machines, at the backup (crate::counters): a
    /// restore moves each past its value by the restore rule. Absent in backups made before counters
    /// were recorded; the restored data's own maxima are used then.
    #[serde(default)]
    pub counters: BTreeMap<String, u64>,
}

/// What a backup wrote.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct BackupWritten {
    pub path: String,
    pub package_id: String,
    pub file_sha256: String,
    pub bytes: u64,
    pub audit_events: u64,
    pub blobs: u64,
}

/// What a restore produced.
#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct Restored {
    pub dir: String,
    pub identity_key_id: String,
    pub audit_events: u64,
    pub blobs: u64,
    pub backup_created_at: String,
    /// The counters the restore moved past the backup's values (the restore rule of crate::counters).
    pub counters: Vec<CounterMoved>,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> CoreError + '_ {
    move |source| CoreError::WorkspaceIo { path: path.to_path_buf(), source }
}

/// The manifest note of a backup: the identity's key boxes, readable without the keys (they open only
/// with a passphrase), so that a restore can unbox the keys and then decrypt the rest.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct BackupNote {
    format: u16,
    key_id: String,
    /// The private keys boxed under the passphrase (identity::keybox::KeyBox as JSON).
    secret_box: serde_json::Value,
    /// The same keys boxed under the recovery passphrase.
    recovery_box: serde_json::Value,
}

/// Writes a signed backup of the workspace, encrypted to its own identity, to `out`. Needs the
/// unlocked identity (it signs).
pub fn backup(ws: &mut Workspace, keys: &SecretKeys, out: &Path) -> Result<BackupWritten> {
    let me = identity::info(ws)?.ok_or(CoreError::NoIdentity)?;
    if me.key_id != keys.key_id() {
        return Err(CoreError::KeyBoxUnreadable { reason: "the unlocked keys are not this identity's".into() });
    }
    let row = ws.store.read(|r| r.identity())?.ok_or(CoreError::NoIdentity)?;
    let unreadable = |e: serde_json::Error| CoreError::KeyBoxUnreadable { reason: format!("key box: {e}") };
    let note = BackupNote {
        format: 1,
        key_id: me.key_id.clone(),
        secret_box: serde_json::from_str(&row.secret_box).map_err(unreadable)?,
        recovery_box: serde_json::from_str(&row.recovery_box).map_err(unreadable)?,
    };
    let package_id = uuid::Uuid::now_v7();
    // Sign the head first, so the snapshot holds the seal that the manifest carries.
    let head = seal_head(ws, &SealPurpose::Backup, keys.signing_key(), &me.key_id)?;
    let tmp_dir = tempfile::Builder::new().prefix(".backup-").tempdir_in(ws.dir()).map_err(io(ws.dir()))?;
    let snapshot = tmp_dir.path().join(DATABASE_FILE_NAME);
    ws.store.snapshot_to(&snapshot)?;
    // Read after the snapshot: what another connection handed out meanwhile is covered too (a floor a
    // little high is harmless, one too low would repeat a number).
    let counters = ws.store.read(|r| r.counters())?;

    let blobs = BlobStore::new(ws.dir());
    let blob_names = blobs.list().map_err(|e| blobs.io_error(e))?;
    let contents = BackupContents {
        format: 1,
        identity_key_id: me.key_id.clone(),
        schema_version: ws.schema_version()?,
        audit_seq: head.seq as u64,
        audit_hash: head.hash.clone(),
        blobs: blob_names.len() as u64,
        created_at: identity::now(),
        counters,
    };
    let payload = serde_json::to_vec(&contents).expect("backup contents serialise");

    let mut db_file = std::fs::File::open(&snapshot).map_err(io(&snapshot))?;
    let mut blob_files = Vec::with_capacity(blob_names.len());
    for name in &blob_names {
        let path = blobs.path_of(name);
        blob_files.push((name.clone(), std::fs::File::open(&path).map_err(io(&path))?));
    }
    let mut attachments = vec![AttachmentSource {
        name: DATABASE_ATTACHMENT.into(),
        media_type: "application/vnd.sqlite3".into(),
        content: &mut db_file,
    }];
    for (name, file) in &mut blob_files {
        attachments.push(AttachmentSource {
            name: name.clone(),
            media_type: "application/octet-stream".into(),
            content: file,
        });
    }
    let me_public = [*keys.public()];
    let seal = Seal {
        kind: Kind::Backup,
        sender: keys,
        recipients: &me_public,
        confidential: true,
        created_at: contents.created_at.clone(),
        package_id,
        audit_head: Some(AuditHead { seq: head.seq as u64, hash: head.hash }),
    };
    let note = serde_json::to_value(&note).expect("a backup note serialises");
    let sealed = package::seal_noted(&seal, note, &payload, attachments, out, &Limits::default())?;
    Ok(BackupWritten {
        path: out.display().to_string(),
        package_id: package_id.to_string(),
        file_sha256: sealed.file_sha256,
        bytes: sealed.size,
        audit_events: contents.audit_seq,
        blobs: contents.blobs,
    })
}

/// Restores the backup `file` into the new directory `to` (absent or empty), with the passphrase or
/// the recovery passphrase of the identity it holds. Verifies the whole file and opens its keys first
/// (`backup.wrong_passphrase` when neither passphrase fits); on any failure the directory is left as it
/// was found.
pub fn restore(file: &Path, to: &Path, passphrase: &str) -> Result<Restored> {
    let name = file.display().to_string();
    let refuse = |reason: String| CoreError::Validation { field: name.clone(), reason };
    let limits = Limits::default();
    let inspection = package::inspect(file, &limits)?;
    if inspection.manifest.kind != Kind::Backup {
        return Err(refuse(format!(
            "不是备份文件（种类 {}）/ not a backup (kind {})",
            inspection.manifest.kind.as_str(),
            inspection.manifest.kind.as_str()
        )));
    }
    let existed = to.exists();
    if existed && std::fs::read_dir(to).map_err(io(to))?.next().is_some() {
        return Err(CoreError::Validation {
            field: to.display().to_string(),
            reason: "目标目录不是空的：请恢复到新目录 / the target directory is not empty: restore into a new one"
                .into(),
        });
    }
    let keys = backup_keys(file, &inspection, passphrase)?;
    let result = restore_into(file, to, &inspection, keys.as_ref(), &limits);
    if result.is_err() {
        // Leave the target as found: remove what this restore created.
        if existed {
            if let Ok(entries) = std::fs::read_dir(to) {
                for e in entries.flatten() {
                    let p = e.path();
                    let _ = if p.is_dir() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
                }
            }
        } else {
            let _ = std::fs::remove_dir_all(to);
        }
    }
    result
}

/// The keys that decrypt an encrypted backup, unboxed from its note with `passphrase` (tried as the
/// passphrase, then as the recovery passphrase); `None` for a backup written before encryption.
fn backup_keys(file: &Path, inspection: &package::Inspection, passphrase: &str) -> Result<Option<SecretKeys>> {
    let m = &inspection.manifest;
    let refuse = |reason: &str| CoreError::Validation { field: file.display().to_string(), reason: reason.into() };
    if !m.confidential {
        return Ok(None);
    }
    let note: BackupNote = m
        .note
        .clone()
        .and_then(|n| serde_json::from_value(n).ok())
        .ok_or_else(|| refuse("加密的备份中没有密钥盒 / the encrypted backup carries no key boxes"))?;
    if note.key_id != m.sender.key_id || m.recipients != [m.sender.key_id.clone()] {
        return Err(refuse("备份不是加密给签名者自己的 / the backup is not encrypted to its own signer"));
    }
    let wrong = || CoreError::BackupPassphraseWrong { file: file.display().to_string() };
    let by_passphrase = identity::open_box(&note.secret_box.to_string(), passphrase, &note.key_id);
    let keys = match by_passphrase {
        Ok(k) => k,
        Err(CoreError::WrongPassphrase) => {
            let recovery = keybox::normalise_recovery(passphrase);
            match identity::open_box(&note.recovery_box.to_string(), &recovery, &note.key_id) {
                Ok(k) => k,
                Err(CoreError::WrongPassphrase) => return Err(wrong()),
                Err(e) => return Err(e),
            }
        }
        Err(e) => return Err(e),
    };
    Ok(Some(keys))
}

fn restore_into(
    file: &Path,
    to: &Path,
    inspection: &package::Inspection,
    keys: Option<&SecretKeys>,
    limits: &Limits,
) -> Result<Restored> {
    let name = file.display().to_string();
    let refuse = |reason: &str| CoreError::Validation { field: name.clone(), reason: reason.to_string() };
    std::fs::create_dir_all(to).map_err(io(to))?;
    let blobs = BlobStore::new(to);
    let mut staging = StagingDir { dir: blobs.staging_dir().map_err(|e| blobs.io_error(e))? };
    let opened = package::open(file, keys, &mut staging, limits)?;
    let contents: BackupContents = serde_json::from_slice(&opened.payload)
        .map_err(|e| refuse(&format!("备份内容无法读取 / unreadable backup contents: {e}")))?;
    if contents.identity_key_id != inspection.manifest.sender.key_id {
        return Err(refuse("备份不是由其中的身份签名的 / the backup is not signed by the identity it contains"));
    }
    let mut attachments = opened.attachments.into_iter();
    let (db_meta, db_staged) =
        attachments.next().ok_or_else(|| refuse("备份中没有数据库 / the backup holds no database"))?;
    if db_meta.name != DATABASE_ATTACHMENT {
        return Err(refuse("备份的第一个附件不是数据库 / the backup's first attachment is not the database"));
    }
    let mut blob_count = 0u64;
    for (meta, staged) in attachments {
        blobs.keep(staged, &meta.sha256).map_err(|e| blobs.io_error(e))?;
        blob_count += 1;
    }
    let db_path = to.join(DATABASE_FILE_NAME);
    db_staged.persist(&db_path).map_err(|e| io(&db_path)(e.error))?;
    let _ = std::fs::remove_dir(blobs.staging_dir().map_err(|e| blobs.io_error(e))?);

    let mut ws = Workspace::open(to)?;
    let me = identity::info(&mut ws)?.ok_or_else(|| refuse("备份中没有身份 / the backup holds no identity"))?;
    if me.key_id != contents.identity_key_id {
        return Err(refuse("备份中的身份与签名者不符 / the identity inside is not the signer"));
    }
    let keys = identity::verifying_keys(&mut ws)?;
    let report = audit::verify(&mut ws, |id| keys.get(id).copied())?;
    if !report.is_intact() || (report.head.seq as u64) < contents.audit_seq {
        return Err(report.into_result(&ws).err().unwrap_or_else(|| {
            refuse("备份中的审计链短于其签名的链头 / the audit chain is shorter than its signed head")
        }));
    }
    let digest = inspection.file_sha256.clone();
    // One transaction: the counters move past the backup's values (a restore epoch, crate::counters)
    // together with the event that records each counter's recorded value and new floor.
    let moved = ws.store.write_with_event(|w| {
        let moved = counters::start_restore_epoch(w, &contents.counters)?;
        let detail = serde_json::json!({
            "backup_created_at": contents.created_at,
            "counter_rule": format!("floor = (recorded / {b} + 2) × {b}; the next value is floor + 1", b = counters::RESTORE_BLOCK),
            "counters": moved,
        });
        let event = AuditEvent::new(AuditAction::Restore, "workspace", inspection.manifest.id.to_string(), digest)
            .with_detail(&detail);
        Ok::<_, CoreError>((moved, event))
    })?;
    Ok(Restored {
        dir: to.display().to_string(),
        identity_key_id: me.key_id,
        audit_events: report.events as u64 + 1,
        blobs: blob_count,
        backup_created_at: contents.created_at,
        counters: moved,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::{keybox::KdfParams, Role};
    use sha2::{Digest, Sha256};

    fn workspace_with_identity(dir: &Path) -> (Workspace, SecretKeys) {
        let mut ws = Workspace::open(dir).unwrap();
        let created =
            identity::create(&mut ws, Role::Applicant, "研究所", "passphrase!", KdfParams::FOR_TESTS).unwrap();
        (ws, created.keys)
    }

    fn put_blob(ws: &Workspace, content: &[u8]) -> String {
        let sha = hex::encode(Sha256::digest(content));
        let blobs = BlobStore::new(ws.dir());
        let staging = blobs.staging_dir().unwrap();
        let mut tmp = tempfile::NamedTempFile::new_in(staging).unwrap();
        std::io::Write::write_all(&mut tmp, content).unwrap();
        blobs.keep(tmp.into_temp_path(), &sha).unwrap();
        sha
    }

    fn event(n: u64) -> AuditEvent {
        AuditEvent::new(
            AuditAction::Submit,
            "application",
            format!("A{n}"),
            hex::encode(Sha256::digest(n.to_be_bytes())),
        )
    }

    #[test]
    fn a_backup_restores_into_a_new_directory_with_its_identity_blobs_and_an_intact_chain() {
        let tmp = tempfile::tempdir().unwrap();
        let (mut ws, keys) = workspace_with_identity(&tmp.path().join("ws"));
        let blob = put_blob(&ws, "申报书正文 𬌗 ཀཁག".repeat(1000).as_bytes());
        ws.store.write(event(1), |_| Ok::<_, CoreError>(())).unwrap();
        let file = tmp.path().join("backup.lxpkg");
        let written = backup(&mut ws, &keys, &file).unwrap();
        assert_eq!(written.blobs, 1);
        assert_eq!(written.audit_events, 2, "identity created + one submit");

        let to = tmp.path().join("restored");
        let restored = restore(&file, &to, "passphrase!").unwrap();
        assert_eq!(restored.identity_key_id, keys.key_id());
        assert_eq!(restored.blobs, 1);
        let mut back = Workspace::open(&to).unwrap();
        assert_eq!(identity::unlock(&mut back, "passphrase!").unwrap().key_id(), keys.key_id(), "the keys came along");
        assert!(BlobStore::new(&to).contains(&blob));
        let report = audit::verify(&mut back, |_| None).unwrap();
        assert!(report.is_intact());
        assert_eq!(report.events, 3, "the restore itself is recorded");
        assert_eq!(report.seals, 1, "the backup's signed head came along");
    }

    #[test]
    fn restore_refuses_a_damaged_file_a_non_backup_and_a_non_empty_target_writing_nothing() {
        let tmp = tempfile::tempdir().unwrap();
        let (mut ws, keys) = workspace_with_identity(&tmp.path().join("ws"));
        let file = tmp.path().join("backup.lxpkg");
        backup(&mut ws, &keys, &file).unwrap();

        let mut bytes = std::fs::read(&file).unwrap();
        let mid = bytes.len() / 2;
        bytes[mid] ^= 1;
        let damaged = tmp.path().join("damaged.lxpkg");
        std::fs::write(&damaged, &bytes).unwrap();
        let to = tmp.path().join("r1");
        assert!(restore(&damaged, &to, "passphrase!").is_err());
        assert!(!to.exists(), "nothing written for a damaged backup");

        let card = tmp.path().join("card.lxpkg");
        identity::export_key_card(&mut ws, &keys, &card).unwrap();
        assert!(matches!(restore(&card, &to, "passphrase!"), Err(CoreError::Validation { .. })));
        assert!(!to.exists());

        let busy = tmp.path().join("busy");
        std::fs::create_dir_all(&busy).unwrap();
        std::fs::write(busy.join("keep.txt"), "mine").unwrap();
        assert!(matches!(restore(&file, &busy, "passphrase!"), Err(CoreError::Validation { .. })));
        assert_eq!(std::fs::read_to_string(busy.join("keep.txt")).unwrap(), "mine");
    }

    #[test]
    fn a_backup_is_encrypted_and_opens_with_the_passphrase_or_the_recovery_passphrase_only() {
        let tmp = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(&tmp.path().join("ws")).unwrap();
        let created =
            identity::create(&mut ws, Role::Office, "青稞示范办公室甲", "passphrase!", KdfParams::FOR_TESTS).unwrap();
        let secret = "申报书正文：高原青稞示范基地 2027-ZX06-000001".repeat(50);
        put_blob(&ws, secret.as_bytes());
        let file = tmp.path().join("backup.lxpkg");
        backup(&mut ws, &created.keys, &file).unwrap();

        // Neither an attachment's text, nor a name or number from the database, is in the file in clear.
        let bytes = std::fs::read(&file).unwrap();
        let contains = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
        for needle in ["高原青稞示范基地", "2027-ZX06-000001", "青稞示范办公室甲", "SQLite format 3"] {
            assert!(!contains(needle), "{needle} is readable in the backup");
        }
        let inspection = package::inspect(&file, &Limits::default()).unwrap();
        assert!(inspection.manifest.confidential);
        assert_eq!(inspection.manifest.recipients, vec![created.keys.key_id()]);

        // The wrong passphrase: its own code, nothing written.
        let to = tmp.path().join("r-wrong");
        let err = restore(&file, &to, "not the passphrase").unwrap_err();
        assert_eq!(err.code(), "backup.wrong_passphrase", "{err}");
        assert!(!to.exists(), "nothing written");

        // The recovery passphrase (as typed, lower case with spaces) restores too.
        let typed = created.recovery_passphrase.to_lowercase().replace('-', " ");
        let to = tmp.path().join("r-recovery");
        let restored = restore(&file, &to, &typed).unwrap();
        assert_eq!(restored.identity_key_id, created.keys.key_id());
        let mut back = Workspace::open(&to).unwrap();
        assert_eq!(identity::info(&mut back).unwrap().unwrap().name, "青稞示范办公室甲");
        assert!(identity::unlock(&mut back, "passphrase!").is_ok(), "the keys keep their passphrase");
    }

    #[test]
    fn a_backup_taken_during_writes_restores_to_a_workspace_that_verifies() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("ws");
        let (mut ws, keys) = workspace_with_identity(&dir);
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let writer = {
            let (dir, stop) = (dir.clone(), stop.clone());
            std::thread::spawn(move || {
                // Another connection (the app) keeps writing audited changes meanwhile.
                let mut other = Workspace::open(&dir).unwrap();
                let mut n = 0u64;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) || n < 50 {
                    n += 1;
                    other.store.write(event(n), |_| Ok::<_, CoreError>(())).unwrap();
                }
                n
            })
        };
        let mut files = Vec::new();
        for i in 0..3 {
            let f = tmp.path().join(format!("b{i}.lxpkg"));
            backup(&mut ws, &keys, &f).unwrap();
            files.push(f);
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let written = writer.join().unwrap();
        assert!(written >= 50);
        for (i, f) in files.iter().enumerate() {
            let to = tmp.path().join(format!("r{i}"));
            restore(f, &to, "passphrase!").unwrap();
            let mut back = Workspace::open(&to).unwrap();
            let keys = identity::verifying_keys(&mut back).unwrap();
            let report = audit::verify(&mut back, |id| keys.get(id).copied()).unwrap();
            assert!(report.is_intact(), "backup {i}: {:?}", report.first_break);
            assert!(report.seals_verified >= 1);
        }
        assert!(audit::verify(&mut ws, |_| None).unwrap().is_intact());
    }
}
