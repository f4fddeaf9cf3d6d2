//! `lixiang init`: create and seed the workspace, and say where it is; with `--role` and `--name`, also
//! give it its identity (keys under a passphrase, a recovery passphrase shown once).

use crate::{passphrase, Out};
use lixiang_core::identity::{self, keybox::KdfParams, Role};
use lixiang_core::{catalog, workspace, Lang, Workspace};
use std::path::Path;

#[derive(clap::Args)]
pub struct Args {
    /// Give the workspace an identity with this role: office, applicant or expert
    #[arg(long, value_parser = parse_role, requires = "name")]
    pub role: Option<Role>,
    /// The identity's name (the office's, institute's or expert's name as others should see it)
    #[arg(long, requires = "role")]
    pub name: Option<String>,
    /// Print one JSON document instead of a sentence
    #[arg(long)]
    pub json: bool,
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| format!("unknown role {s:?}: use office, applicant or expert"))
}

/// Argon2id cost for new identities. `LIXIANG_KDF=test` selects cheap parameters, for test suites that
/// create many identities; the box records its parameters, so unlocking is unaffected.
pub(crate) fn kdf() -> KdfParams {
    match std::env::var("LIXIANG_KDF").as_deref() {
        Ok("test") => KdfParams::FOR_TESTS,
        _ => KdfParams::default(),
    }
}

pub fn run(data_dir: Option<&Path>, args: &Args, out: &Out) -> lixiang_core::Result<()> {
    let dir = workspace::resolve_dir(data_dir)?;
    let mut ws = Workspace::open(&dir)?;
    if let (Some(role), Some(name)) = (args.role, &args.name) {
        return create_identity(&mut ws, role, name, out);
    }
    let cat = catalog::get(&mut ws)?;
    let targets: usize = cat.programmes.iter().map(|p| p.targets.len()).sum();
    if out.json {
        let doc = serde_json::json!({
            "schema": "lixiang.init.v1",
            "dir": ws.dir(),
            "database": ws.database_path(),
            "created": ws.was_created(),
            "schema_version": ws.schema_version()?,
            "programmes": cat.programmes.len(),
            "targets": targets,
            "plan_indicators": cat.plan_indicators.len(),
        });
        crate::emit(&format!("{doc:#}\n"));
        return Ok(());
    }
    let (p, i) = (cat.programmes.len(), cat.plan_indicators.len());
    let dir = ws.dir().display();
    let db = ws.database_path().display();
    match (out.lang, ws.was_created()) {
        (lixiang_core::Lang::Zh, true) => {
            println!("已创建工作区：{dir}\n数据库：{db}\n已载入规划目录：{p} 个科技重大专项、{targets} 项目标、{i} 项规划指标。")
        }
        (lixiang_core::Lang::Zh, false) => {
            println!("工作区已存在：{dir}\n数据库：{db}\n规划目录已核对：{p} 个科技重大专项、{targets} 项目标、{i} 项规划指标。")
        }
        (lixiang_core::Lang::En, true) => println!(
            "Created the workspace {dir}\nDatabase: {db}\nLoaded the plan's catalog: {p} programmes, {targets} targets, {i} plan indicators."
        ),
        (lixiang_core::Lang::En, false) => println!(
            "The workspace {dir} already exists\nDatabase: {db}\nCatalog checked: {p} programmes, {targets} targets, {i} plan indicators."
        ),
    }
    Ok(())
}

fn create_identity(ws: &mut Workspace, role: Role, name: &str, out: &Out) -> lixiang_core::Result<()> {
    // Refuse before asking for a passphrase that could not be used.
    if let Some(existing) = identity::info(ws)? {
        return Err(lixiang_core::CoreError::IdentityExists { key_id: existing.key_id });
    }
    let pass = passphrase::read(out.lang, true)?;
    let created = identity::create(ws, role, name, &pass, kdf())?;
    let info = &created.info;
    if out.json {
        let doc = serde_json::json!({
            "schema": "lixiang.identity.v1",
            "dir": ws.dir(),
            "role": info.role,
            "name": info.name,
            "key_id": info.key_id,
            "fingerprint": info.fingerprint,
            "recovery_passphrase": created.recovery_passphrase.as_str(),
        });
        crate::emit(&format!("{doc:#}\n"));
        return Ok(());
    }
    let text = match out.lang {
        Lang::Zh => format!(
            "已为工作区 {} 创建身份：{}（{}）\n密钥标识：{}\n指纹：{}\n\n恢复口令（只显示这一次，请抄写后放入保险柜；忘记口令时凭它重设）：\n  {}\n",
            ws.dir().display(),
            info.name,
            info.role.label(Lang::Zh),
            info.key_id,
            info.fingerprint,
            created.recovery_passphrase.as_str()
        ),
        Lang::En => format!(
            "Created the identity of the workspace {}: {} ({})\nKey id: {}\nFingerprint: {}\n\nRecovery passphrase (shown this once: write it down and keep it in a safe; it resets a forgotten passphrase):\n  {}\n",
            ws.dir().display(),
            info.name,
            info.role.label(Lang::En),
            info.key_id,
            info.fingerprint,
            created.recovery_passphrase.as_str()
        ),
    };
    crate::emit(&text);
    Ok(())
}
