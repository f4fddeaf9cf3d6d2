//! `lixiang key show|export|revoke|recover|passphrase`: the workspace identity's key id and fingerprint,
//! its key card (a package others import to trust it), its revocation card, and the passphrase that
//! protects its private keys (reset with the recovery passphrase, or changed with the current one).

use crate::{passphrase, Out};
use lixiang_core::identity::{self, WrittenCard};
use lixiang_core::{workspace, CoreError, Lang, Workspace};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Print the identity's role, name, key id and fingerprint
    Show(ShowArgs),
    /// Write the identity's key card (a signed .lxpkg) for others to import
    Export(ExportArgs),
    /// Revoke the identity and write the signed revocation card for others to import
    Revoke(RevokeArgs),
    /// Set a new passphrase with the recovery passphrase shown at `init` (from a prompt, or
    /// LIXIANG_RECOVERY; the new passphrase from a prompt, or LIXIANG_PASSPHRASE)
    Recover(RecoverArgs),
    /// Change the passphrase: the current one from a prompt or LIXIANG_PASSPHRASE, the new one from a
    /// prompt (asked twice) or LIXIANG_NEW_PASSPHRASE. The keys and the recovery passphrase stay.
    Passphrase(RecoverArgs),
}

#[derive(clap::Args)]
pub struct RecoverArgs {
    /// Print one JSON document instead of lines
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ShowArgs {
    /// Print one JSON document instead of lines
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// Where to write the key card
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct RevokeArgs {
    /// Where to write the revocation card
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Why (a lost laptop, a compromised key), written into the card
    #[arg(long, default_value = "")]
    pub reason: String,
    #[arg(long)]
    pub json: bool,
}

pub fn show(data_dir: Option<&Path>, _args: &ShowArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
    let info = identity::info(&mut ws)?.ok_or(CoreError::NoIdentity)?;
    if out.json {
        let mut doc = serde_json::to_value(&info).expect("identity info serialises");
        doc["schema"] = "lixiang.key.v1".into();
        crate::emit(&format!("{doc:#}\n"));
        return Ok(());
    }
    let revoked = match (&info.revoked_at, out.lang) {
        (Some(at), Lang::Zh) => format!("\n已吊销：{at}"),
        (Some(at), Lang::En) => format!("\nRevoked: {at}"),
        (None, _) => String::new(),
    };
    let text = match out.lang {
        Lang::Zh => format!(
            "身份：{}（{}）\n密钥标识：{}\n指纹：{}{revoked}\n",
            info.name,
            info.role.label(Lang::Zh),
            info.key_id,
            info.fingerprint
        ),
        Lang::En => format!(
            "Identity: {} ({})\nKey id: {}\nFingerprint: {}{revoked}\n",
            info.name,
            info.role.label(Lang::En),
            info.key_id,
            info.fingerprint
        ),
    };
    crate::emit(&text);
    Ok(())
}

fn unlocked(
    data_dir: Option<&Path>,
    out: &Out,
) -> lixiang_core::Result<(Workspace, lixiang_core::package::SecretKeys)> {
    let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
    // Say "no identity" before asking for a passphrase that could not help.
    identity::info(&mut ws)?.ok_or(CoreError::NoIdentity)?;
    let pass = passphrase::read(out.lang, false)?;
    let keys = identity::unlock(&mut ws, &pass)?;
    Ok((ws, keys))
}

fn report(card: &WrittenCard, what_zh: &str, what_en: &str, out: &Out) {
    if out.json {
        let doc = serde_json::json!({
            "schema": "lixiang.card.v1",
            "path": card.path,
            "package_id": card.package_id,
            "file_sha256": card.file_sha256,
        });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        crate::emit(&match out.lang {
            Lang::Zh => format!("已写出{what_zh}：{}\n文件包：{}\n", card.path, card.package_id),
            Lang::En => format!("Wrote the {what_en}: {}\nPackage: {}\n", card.path, card.package_id),
        });
    }
}

pub fn export(data_dir: Option<&Path>, args: &ExportArgs, out: &Out) -> lixiang_core::Result<()> {
    let (mut ws, keys) = unlocked(data_dir, out)?;
    let card = identity::export_key_card(&mut ws, &keys, &args.out)?;
    report(&card, "密钥卡", "key card", out);
    Ok(())
}

pub fn revoke(data_dir: Option<&Path>, args: &RevokeArgs, out: &Out) -> lixiang_core::Result<()> {
    let (mut ws, keys) = unlocked(data_dir, out)?;
    let card = identity::revoke(&mut ws, &keys, &args.reason, &args.out)?;
    report(&card, "吊销证书", "revocation card", out);
    Ok(())
}

pub fn recover(data_dir: Option<&Path>, _args: &RecoverArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
    let info = identity::info(&mut ws)?.ok_or(CoreError::NoIdentity)?;
    let recovery = passphrase::read_secret(out.lang, &passphrase::RECOVERY, false)?;
    let new_pass = passphrase::read(out.lang, true)?;
    identity::recover(&mut ws, &recovery, &new_pass, crate::init_cmd::kdf())?;
    if out.json {
        let doc = serde_json::json!({ "schema": "lixiang.key_recovered.v1", "key_id": info.key_id });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        crate::emit(out.lang.pick(
            "已用恢复口令设置新口令；密钥不变。\n",
            "A new passphrase is set with the recovery passphrase; the keys are unchanged.\n",
        ));
    }
    Ok(())
}

/// `key passphrase`: the keys are opened with the current passphrase and boxed again under the new one.
/// A wrong current passphrase is refused (exit 3) and a too-short new one named, with nothing written.
pub fn change_passphrase(data_dir: Option<&Path>, _args: &RecoverArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
    let info = identity::info(&mut ws)?.ok_or(CoreError::NoIdentity)?;
    let current = passphrase::read(out.lang, false)?;
    let new_pass = passphrase::read_secret(out.lang, &passphrase::NEW_PASSPHRASE, true)?;
    identity::change_passphrase(&mut ws, &current, &new_pass, crate::init_cmd::kdf())?;
    if out.json {
        let doc = serde_json::json!({ "schema": "lixiang.passphrase_changed.v1", "key_id": info.key_id });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        crate::emit(out.lang.pick(
            "口令已更改；密钥和恢复口令不变。\n",
            "The passphrase is changed; the keys and the recovery passphrase are unchanged.\n",
        ));
    }
    Ok(())
}
