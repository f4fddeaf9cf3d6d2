//! Backup and restore of a whole workspace as one signed `.lxpkg` file of kind `backup`.
//!
//! A backup holds a consistent snapshot of the database (`VACUUM INTO`, safe while the app writes) and
//! every attachment blob, streamed (the file is never in memory whole). The audit chain's head is signed
//! (a seal recorded in the snapshot and carried in the manifest), so a restore can tell the chain was
//! not cut short. The package is signed by the workspace's identity but not encrypted: restoring onto
//! a new laptop must not need a key that only the backup holds. The private keys inside are still
//! encrypted under the passphrase (identity::keybox); the rest is readable by whoever holds the file,
//! so the file belongs on a medium as safe as the laptop itself.
//!
//! Restore verifies the whole file before writing anything, then writes into a new directory only, checks
//! that the identity inside is the key that signed the file and that the audit chain is intact, and
//! records the restore in the chain.

use crate::audit::{self, seal_head, SealPurpose};
use crate::blobs::BlobStore;
use crate::identity;
use crate::package::{self, AttachmentSource, AuditHead, Kind, Limits, Seal, SecretKeys, StagingDir};
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{AuditAction, AuditEvent, DATABASE_FILE_NAME};
use serde::{Deserialize, Serialize};
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
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> CoreError + '_ {
    move |source| CoreError::WorkspaceIo { path: path.to_path_buf(), source }
}

/// Writes a signed backup of the workspace to `out`. Needs the unlocked identity (it signs).
pub fn backup(ws: &mut Workspace, keys: &SecretKeys, out: &Path) -> Result<BackupWritten> {
    let me = identity::info(ws)?.ok_or(CoreError::NoIdentity)?;
    if me.key_id != keys.key_id() {
        return Err(CoreError::KeyBoxUnreadable { reason: "the unlocked keys are not this identity's".into() });
    }
    let package_id = uuid::Uuid::now_v7();
    // Sign the head first, so the snapshot holds the seal that the manifest carries.
    let head = seal_head(ws, &SealPurpose::Backup, keys.signing_key(), &me.key_id)?;
    let tmp_dir = tempfile::Builder::new().prefix(".backup-").tempdir_in(ws.dir()).map_err(io(ws.dir()))?;
    let snapshot = tmp_dir.path().join(DATABASE_FILE_NAME);
    ws.store.snapshot_to(&snapshot)?;

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
    let seal = Seal {
        kind: Kind::Backup,
        sender: keys,
        recipients: &[],
        confidential: false,
        created_at: contents.created_at.clone(),
        package_id,
        audit_head: Some(AuditHead { seq: head.seq as u64, hash: head.hash }),
    };
    let sealed = package::seal(&seal, &payload, attachments, out, &Limits::default())?;
    Ok(BackupWritten {
        path: out.display().to_string(),
        package_id: package_id.to_string(),
        file_sha256: sealed.file_sha256,
        bytes: sealed.size,
        audit_events: contents.audit_seq,
        blobs: contents.blobs,
    })
}

/// Restores the backup `file` into the new directory `to` (absent or empty). Verifies the whole file
/// first; on any failure the directory is left as it was found.
pub fn restore(file: &Path, to: &Path) -> Result<Restored> {
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
    let result = restore_into(file, to, &inspection, &limits);
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

fn restore_into(file: &Path, to: &Path, inspection: &package::Inspection, limits: &Limits) -> Result<Restored> {
    let name = file.display().to_string();
    let refuse = |reason: &str| CoreError::Validation { field: name.clone(), reason: reason.to_string() };
    std::fs::create_dir_all(to).map_err(io(to))?;
    let blobs = BlobStore::new(to);
    let mut staging = StagingDir { dir: blobs.staging_dir().map_err(|e| blobs.io_error(e))? };
    let opened = package::open(file, None, &mut staging, limits)?;
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
    let event = AuditEvent::new(AuditAction::Restore, "workspace", inspection.manifest.id.to_string(), digest)
        .with_detail(&serde_json::json!({ "backup_created_at": contents.created_at }));
    ws.store.write(event, |_| Ok::<_, CoreError>(()))?;
    Ok(Restored {
        dir: to.display().to_string(),
        identity_key_id: me.key_id,
        audit_events: report.events as u64 + 1,
        blobs: blob_count,
        backup_created_at: contents.created_at,
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
        let restored = restore(&file, &to).unwrap();
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
        assert!(restore(&damaged, &to).is_err());
        assert!(!to.exists(), "nothing written for a damaged backup");

        let card = tmp.path().join("card.lxpkg");
        identity::export_key_card(&mut ws, &keys, &card).unwrap();
        assert!(matches!(restore(&card, &to), Err(CoreError::Validation { .. })));
        assert!(!to.exists());

        let busy = tmp.path().join("busy");
        std::fs::create_dir_all(&busy).unwrap();
        std::fs::write(busy.join("keep.txt"), "mine").unwrap();
        assert!(matches!(restore(&file, &busy), Err(CoreError::Validation { .. })));
        assert_eq!(std::fs::read_to_string(busy.join("keep.txt")).unwrap(), "mine");
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
            restore(f, &to).unwrap();
            let mut back = Workspace::open(&to).unwrap();
            let keys = identity::verifying_keys(&mut back).unwrap();
            let report = audit::verify(&mut back, |id| keys.get(id).copied()).unwrap();
            assert!(report.is_intact(), "backup {i}: {:?}", report.first_break);
            assert!(report.seals_verified >= 1);
        }
        assert!(audit::verify(&mut ws, |_| None).unwrap().is_intact());
    }
}
