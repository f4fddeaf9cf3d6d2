//! `lixiang backup --out FILE` and `lixiang restore FILE --to DIR`: the whole workspace as one signed
//! file encrypted to its own identity (safe while the app is running), and restoring it into a new
//! directory after verifying it, with the identity's passphrase or recovery passphrase.

use crate::{passphrase, Out};
use lixiang_core::{backup, identity, workspace, CoreError, Lang, Workspace};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct BackupArgs {
    /// Where to write the backup (.lxpkg)
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct RestoreArgs {
    /// The backup file
    pub file: PathBuf,
    /// A new (absent or empty) directory for the restored workspace
    #[arg(long, value_name = "DIR")]
    pub to: PathBuf,
    #[arg(long)]
    pub json: bool,
}

pub fn run_backup(data_dir: Option<&Path>, args: &BackupArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
    identity::info(&mut ws)?.ok_or(CoreError::NoIdentity)?;
    let pass = passphrase::read(out.lang, false)?;
    let keys = identity::unlock(&mut ws, &pass)?;
    let b = backup::backup(&mut ws, &keys, &args.out)?;
    if out.json {
        let mut doc = serde_json::to_value(&b).expect("serialises");
        doc["schema"] = "lixiang.backup.v1".into();
        crate::emit(&format!("{doc:#}\n"));
    } else {
        crate::emit(&match out.lang {
            Lang::Zh => format!(
                "已备份工作区 {} 到 {}（{} 字节，{} 条审计事件，{} 个附件）\n",
                ws.dir().display(),
                b.path,
                b.bytes,
                b.audit_events,
                b.blobs
            ),
            Lang::En => format!(
                "Backed up the workspace {} to {} ({} bytes, {} audit events, {} attachments)\n",
                ws.dir().display(),
                b.path,
                b.bytes,
                b.audit_events,
                b.blobs
            ),
        });
    }
    Ok(())
}

pub fn run_restore(args: &RestoreArgs, out: &Out) -> lixiang_core::Result<()> {
    // The backup is encrypted to the identity inside it: its passphrase (or recovery passphrase) opens it.
    let pass = passphrase::read(out.lang, false)?;
    let r = backup::restore(&args.file, &args.to, &pass)?;
    if out.json {
        let mut doc = serde_json::to_value(&r).expect("serialises");
        doc["schema"] = "lixiang.restore.v1".into();
        crate::emit(&format!("{doc:#}\n"));
    } else {
        crate::emit(&match out.lang {
            Lang::Zh => format!(
                "已从 {} 恢复工作区到 {}（备份时间 {}，身份 {}，审计链完整，{} 个附件；编号从新的一千号段继续）\n",
                args.file.display(),
                r.dir,
                r.backup_created_at,
                r.identity_key_id,
                r.blobs
            ),
            Lang::En => format!(
                "Restored {} into {} (backed up {}, identity {}, audit chain intact, {} attachments; numbers continue in a new block of a thousand)\n",
                args.file.display(),
                r.dir,
                r.backup_created_at,
                r.identity_key_id,
                r.blobs
            ),
        });
    }
    Ok(())
}
