//! `lixiang package inspect|import`: explain a package without importing it; import package files
//! (or every `.lxpkg` in a directory), verifying each completely before anything is written.

use crate::{passphrase, Out};
use lixiang_core::import::{self, ImportOutcome, Trust};
use lixiang_core::package::{self, Limits};
use lixiang_core::{identity, workspace, CoreError, Lang, Workspace};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Explain a package (kind, sender and fingerprint, recipients, contents) without importing it
    Inspect(InspectArgs),
    /// Import package files, or every .lxpkg file of a directory
    Import(ImportArgs),
}

#[derive(clap::Args)]
pub struct InspectArgs {
    pub file: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// Package files or directories
    #[arg(required = true, value_name = "FILE|DIR")]
    pub paths: Vec<PathBuf>,
    /// The sender's fingerprint as you compared it (6 groups of 5 digits), for a first contact
    #[arg(long, value_name = "DIGITS")]
    pub trust_fingerprint: Option<String>,
    #[arg(long)]
    pub json: bool,
}

pub fn inspect(args: &InspectArgs, out: &Out) -> lixiang_core::Result<()> {
    let i = package::inspect(&args.file, &Limits::default())?;
    let m = &i.manifest;
    if out.json {
        let doc = serde_json::json!({
            "schema": "lixiang.package_inspect.v1",
            "file": args.file,
            "format": m.format,
            "suite": m.suite,
            "package_id": m.id.to_string(),
            "kind": m.kind.as_str(),
            "sender_key_id": m.sender.key_id,
            "sender_fingerprint": i.sender_fingerprint,
            "recipients": m.recipients,
            "created_at": m.created_at,
            "confidential": m.confidential,
            "payload": { "sha256": m.payload.sha256, "size": m.payload.size },
            "attachments": m.attachments.iter().map(|a| serde_json::json!({
                "name": a.name, "sha256": a.sha256, "size": a.size, "media_type": a.media_type,
            })).collect::<Vec<_>>(),
            "file_sha256": i.file_sha256,
            "size": i.size,
            "signature": "valid",
        });
        crate::emit(&format!("{doc:#}\n"));
        return Ok(());
    }
    let recipients = if m.recipients.is_empty() { "—".to_string() } else { m.recipients.join(", ") };
    let mut text = match out.lang {
        Lang::Zh => format!(
            "文件包：{}\n种类：{}\n编号：{}\n发送方密钥：{}\n发送方指纹：{}\n接收方：{}\n加密：{}\n创建时间：{}\n签名：有效\n数据：{} 字节，SHA-256 {}\n附件：{} 个\n",
            args.file.display(),
            m.kind.as_str(),
            m.id,
            m.sender.key_id,
            i.sender_fingerprint,
            recipients,
            if m.confidential { "是" } else { "否（公开，仅签名）" },
            m.created_at,
            m.payload.size,
            m.payload.sha256,
            m.attachments.len()
        ),
        Lang::En => format!(
            "Package: {}\nKind: {}\nId: {}\nSender key: {}\nSender fingerprint: {}\nRecipients: {}\nEncrypted: {}\nCreated: {}\nSignature: valid\nPayload: {} bytes, SHA-256 {}\nAttachments: {}\n",
            args.file.display(),
            m.kind.as_str(),
            m.id,
            m.sender.key_id,
            i.sender_fingerprint,
            recipients,
            if m.confidential { "yes" } else { "no (public, signed only)" },
            m.created_at,
            m.payload.size,
            m.payload.sha256,
            m.attachments.len()
        ),
    };
    for a in &m.attachments {
        text.push_str(&format!("  {}  {} B  {}\n", a.name, a.size, a.sha256));
    }
    crate::emit(&text);
    Ok(())
}

pub fn import(data_dir: Option<&Path>, args: &ImportArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
    identity::info(&mut ws)?.ok_or(CoreError::NoIdentity)?;
    let files = import::collect_files(&args.paths)?;
    if files.is_empty() {
        return Err(CoreError::Validation {
            field: "FILE|DIR".into(),
            reason: out.lang.pick("没有找到 .lxpkg 文件", "no .lxpkg file found").into(),
        });
    }
    let trust = match &args.trust_fingerprint {
        Some(f) => Trust::Fingerprint(f.clone()),
        None => Trust::AskFirst,
    };
    let limits = Limits::default();
    // Confidential packages need the private key: ask for the passphrase once, only when one is there
    // (the search stops at the first).
    let keys = if files.iter().any(|f| package::inspect(f, &limits).is_ok_and(|i| i.manifest.confidential)) {
        let pass = passphrase::read(out.lang, false)?;
        Some(identity::unlock(&mut ws, &pass)?)
    } else {
        None
    };
    let mut results = Vec::new();
    let total = files.len();
    // A folder of submissions goes on past a refused file: each refusal is reported with its file, the
    // rest are imported, and the exit status says that some were refused.
    let mut refused: Vec<(PathBuf, CoreError)> = Vec::new();
    let mut n = 0;
    import::import_files(&mut ws, &files, keys.as_ref(), &trust, &limits, |file, outcome| {
        n += 1;
        if total > 1 && !out.json {
            eprintln!("[{n}/{total}] {}", file.display());
        }
        match outcome {
            Ok(outcome) => {
                if !out.json {
                    crate::emit(&format!("{}\n", outcome.describe(out.lang)));
                }
                results.push((file.to_path_buf(), outcome));
            }
            Err(e) => {
                if total > 1 && !out.json {
                    eprintln!("lixiang: {} [{}]", e.message(out.lang), e.code());
                }
                refused.push((file.to_path_buf(), e));
            }
        }
    })?;
    if total == 1 {
        if let Some((_, e)) = refused.pop() {
            return Err(e);
        }
    }
    if out.json {
        let mut entries: Vec<serde_json::Value> = results
            .iter()
            .map(|(f, o)| {
                let mut v = serde_json::to_value(o).expect("an outcome serialises");
                v["file"] = f.display().to_string().into();
                v
            })
            .collect();
        entries.extend(refused.iter().map(|(f, e)| {
            serde_json::json!({
                "outcome": "refused", "file": f.display().to_string(), "code": e.code(), "message": e.message(out.lang),
            })
        }));
        let doc = serde_json::json!({
            "schema": "lixiang.package_import.v1",
            "results": entries,
            "imported": results.iter().filter(|(_, o)| matches!(o, ImportOutcome::Imported { .. })).count(),
            "refused": refused.len(),
        });
        crate::emit(&format!("{doc:#}\n"));
    }
    if !refused.is_empty() {
        let only_unknown_senders = refused.iter().all(|(_, e)| matches!(e, CoreError::TrustNeeded { .. }));
        return Err(CoreError::ImportIncomplete { refused: refused.len(), total, only_unknown_senders });
    }
    Ok(())
}
