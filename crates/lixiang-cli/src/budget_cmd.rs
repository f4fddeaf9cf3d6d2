//! `lixiang budget …`: the budget schemas (经费预算规则) a workspace holds — list them with their hashes and
//! where they came from, and add one from a schema file (the format of `seeds/budget/`) so the office can
//! publish calls under it. Call packages carry their schema; applicants need not add it by hand.

use crate::Out;
use lixiang_core::budget::held::{self, Origin};
use lixiang_core::{workspace, Lang, Workspace};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum Command {
    /// The schemas held: shipped, added here, received with call packages (code, version, sha256, origin)
    List(ListArgs),
    /// Add a schema from a file in the seeds/budget format; refused when its code and version are held
    /// with another content
    Import(ImportArgs),
}

#[derive(clap::Args)]
pub struct ListArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The schema file (TOML, as in seeds/budget/)
    pub file: PathBuf,
    #[arg(long)]
    pub json: bool,
}

fn open(data_dir: Option<&Path>) -> lixiang_core::Result<Workspace> {
    Workspace::open(&workspace::resolve_dir(data_dir)?)
}

pub fn list(data_dir: Option<&Path>, _a: &ListArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let schemas = held::list(&mut ws)?;
    if out.json {
        let doc = serde_json::json!({ "schema": "lixiang.budget_schemas.v1", "budget_schemas": schemas });
        crate::emit(&format!("{doc:#}\n"));
        return Ok(());
    }
    let mut text = String::new();
    for s in &schemas {
        let origin = match (&s.origin, out.lang) {
            (Origin::Shipped, Lang::Zh) => "程序自带".to_string(),
            (Origin::Shipped, Lang::En) => "shipped".to_string(),
            (Origin::Own, Lang::Zh) => "本机添加".to_string(),
            (Origin::Own, Lang::En) => "added here".to_string(),
            (Origin::Package(id), Lang::Zh) => format!("随文件包 {id}"),
            (Origin::Package(id), Lang::En) => format!("with package {id}"),
        };
        let name = out.lang.pick(&s.name_zh, &s.name_en);
        text.push_str(&format!("{} v{}  {}  {}  {}\n", s.code, s.version, &s.sha256[..16], origin, name));
    }
    crate::emit(&text);
    Ok(())
}

pub fn import(data_dir: Option<&Path>, a: &ImportArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    lixiang_core::identity::require_office(&mut ws, lixiang_core::identity::OfficeDuty::BudgetSchemas)?;
    let added = held::add_file(&mut ws, &a.file)?;
    if out.json {
        let doc = serde_json::json!({
            "schema": "lixiang.budget_schema_added.v1", "code": added.code, "version": added.version,
            "sha256": added.sha256, "added": added.added,
        });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        let said = match (added.added, out.lang) {
            (true, Lang::Zh) => "已添加经费预算规则",
            (true, Lang::En) => "Added the budget schema",
            (false, Lang::Zh) => "本机已有相同的经费预算规则，未作更改：",
            (false, Lang::En) => "The same budget schema is held already; nothing changed:",
        };
        crate::emit(&format!("{said} {} v{}（sha256 {}）\n", added.code, added.version, added.sha256));
    }
    Ok(())
}
