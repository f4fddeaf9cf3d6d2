//! `lixiang init`: create and seed the workspace, and say where it is.

use crate::Out;
use lixiang_core::{catalog, workspace, Workspace};
use std::path::Path;

#[derive(clap::Args)]
pub struct Args {
    /// Print one JSON document instead of a sentence
    #[arg(long)]
    pub json: bool,
}

pub fn run(data_dir: Option<&Path>, _args: &Args, out: &Out) -> lixiang_core::Result<()> {
    let dir = workspace::resolve_dir(data_dir)?;
    let mut ws = Workspace::open(&dir)?;
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
