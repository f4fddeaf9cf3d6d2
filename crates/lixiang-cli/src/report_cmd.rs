//! `lixiang report …`: the files officials file. `report ranking --call C --round R [--method M] --out
//! FILE.xlsx` writes the round's ranking workbook (every statistic, each method's rank, the funding line),
//! the same file the window's 评审结果 exports.

use crate::Out;
use lixiang_core::score::Method;
use lixiang_core::{workspace, CoreError, Lang, Workspace};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum Command {
    /// The ranking of a call's round as an xlsx workbook
    Ranking(RankingArgs),
    /// The plan dashboard: 专栏19 targets beside what approved projects committed, the pipeline, 专栏1, score charts
    Dashboard(crate::dashboard_cmd::DashboardArgs),
}

#[derive(clap::Args)]
pub struct RankingArgs {
    /// The call's code (2027-ZX06-01) or id
    #[arg(long)]
    pub call: String,
    /// The round's position in the call's review plan, from 1
    #[arg(long)]
    pub round: u32,
    /// Ranking method: mean, median, trimmed_mean or z_mean
    #[arg(long, default_value = "mean", value_parser = parse_method)]
    pub method: Method,
    /// The workbook to write (.xlsx)
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[arg(long)]
    pub json: bool,
}

fn parse_method(s: &str) -> Result<Method, String> {
    Method::parse(s).ok_or_else(|| format!("unknown method {s:?}: use mean, median, trimmed_mean or z_mean"))
}

pub fn ranking(data_dir: Option<&Path>, a: &RankingArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
    let made_at = lixiang_core::calendar::Moment::now_utc().to_string();
    let bytes = lixiang_core::report::ranking::ranking_xlsx(&mut ws, &a.call, a.round, a.method, &made_at)?;
    std::fs::write(&a.out, &bytes).map_err(|source| CoreError::FileWrite { path: a.out.clone(), source })?;
    let shown = std::fs::canonicalize(&a.out).unwrap_or_else(|_| a.out.clone());
    if a.json {
        let doc = serde_json::json!({ "schema": "lixiang.report.v1", "kind": "ranking", "path": shown, "bytes": bytes.len() });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        crate::emit(&match out.lang {
            Lang::Zh => format!("已生成排名表：{}\n", shown.display()),
            Lang::En => format!("Ranking workbook written: {}\n", shown.display()),
        });
    }
    Ok(())
}
