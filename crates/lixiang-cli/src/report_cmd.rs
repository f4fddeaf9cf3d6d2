//! `lixiang report …`: the files officials file. `report ranking --call C --round R [--method M] --out
//! FILE.xlsx` writes the round's ranking workbook (every statistic, each method's rank, the funding line),
//! the same file the window's 评审结果 exports. `report recommendation|publicity --call C --round R --out
//! FILE.xlsx|FILE.pdf` writes the round's recommendation list or its 公示 notice, as a workbook or a PDF by
//! the file's extension (the same files the window's 立项决定 panel saves).

use crate::args::parse_method;
use crate::Out;
use lixiang_core::score::Method;
use lixiang_core::{workspace, CoreError, Lang, Workspace};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum Command {
    /// The ranking of a call's round as an xlsx workbook, or as a PDF report with its charts
    Ranking(RankingArgs),
    /// The plan dashboard: 专栏19 targets beside what approved projects committed, the pipeline, 专栏1, score charts
    Dashboard(crate::dashboard_cmd::DashboardArgs),
    /// The round's recommendation list (立项建议名单) as .xlsx or .pdf
    Recommendation(ListArgs),
    /// The round's 公示 notice (拟立项项目公示) as .xlsx or .pdf; once the 公示 has started
    Publicity(ListArgs),
}

#[derive(clap::Args)]
pub struct ListArgs {
    /// The call's code (2027-ZX06-01) or id
    #[arg(long)]
    pub call: String,
    /// The round's position in the call's review plan, from 1
    #[arg(long)]
    pub round: u32,
    /// The file to write: .xlsx for a workbook, .pdf for the printable document
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[arg(long)]
    pub json: bool,
}

/// Which list `report recommendation|publicity` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Recommendation,
    Publicity,
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
    /// The file to write: .xlsx for the workbook, .pdf for the report with its charts
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[arg(long)]
    pub json: bool,
}

pub fn ranking(data_dir: Option<&Path>, a: &RankingArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
    let pdf = list_format(&a.out)? == "pdf";
    let bytes = if pdf {
        ranking_pdf(&mut ws, a, out)?
    } else {
        let made_at = lixiang_core::calendar::Moment::now_utc().to_string();
        lixiang_core::report::ranking::ranking_xlsx(&mut ws, &a.call, a.round, a.method, &made_at)?
    };
    std::fs::write(&a.out, &bytes).map_err(|source| CoreError::FileWrite { path: a.out.clone(), source })?;
    let shown = std::fs::canonicalize(&a.out).unwrap_or_else(|_| a.out.clone());
    if a.json {
        let doc = serde_json::json!({ "schema": "lixiang.report.v1", "kind": "ranking", "format": if pdf { "pdf" } else { "xlsx" }, "path": shown, "bytes": bytes.len() });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        crate::emit(&match out.lang {
            Lang::Zh => format!("已生成排名{}：{}\n", if pdf { "报告" } else { "表" }, shown.display()),
            Lang::En => format!("Ranking {} written: {}\n", if pdf { "report" } else { "workbook" }, shown.display()),
        });
    }
    Ok(())
}

fn list_format(path: &Path) -> lixiang_core::Result<&'static str> {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("xlsx") => Ok("xlsx"),
        Some("pdf") => Ok("pdf"),
        _ => Err(CoreError::Validation {
            field: "--out".into(),
            reason: format!(
                "{}：文件名须以 .xlsx 或 .pdf 结尾 / the file name must end in .xlsx or .pdf",
                path.display()
            ),
        }),
    }
}

pub fn list(data_dir: Option<&Path>, which: List, a: &ListArgs, out: &Out) -> lixiang_core::Result<()> {
    use lixiang_core::report::decisions as lists;
    let format = list_format(&a.out)?;
    let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
    let list = lists::decision_list(&mut ws, &a.call, a.round)?;
    let bytes = match format {
        "xlsx" => {
            let at = lixiang_core::calendar::Moment::now_utc().to_string();
            match which {
                List::Recommendation => lists::recommendation_xlsx(&list, &at)?,
                List::Publicity => lists::publicity_xlsx(&list, &at)?,
            }
        }
        _ => pdf(&list, which, out)?,
    };
    std::fs::write(&a.out, &bytes).map_err(|source| CoreError::FileWrite { path: a.out.clone(), source })?;
    let shown = std::fs::canonicalize(&a.out).unwrap_or_else(|_| a.out.clone());
    let kind = match which {
        List::Recommendation => "recommendation",
        List::Publicity => "publicity",
    };
    if a.json {
        let doc = serde_json::json!({
            "schema": "lixiang.report.v1", "kind": kind, "format": format, "path": shown,
            "bytes": bytes.len(), "items": list.items.len(),
        });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        let what = match (which, out.lang) {
            (List::Recommendation, Lang::Zh) => "立项建议名单",
            (List::Publicity, Lang::Zh) => "公示名单",
            (List::Recommendation, Lang::En) => "Recommendation list",
            (List::Publicity, Lang::En) => "Public notice",
        };
        crate::emit(&match out.lang {
            Lang::Zh => format!("已生成{what}（{} 项）：{}\n", list.items.len(), shown.display()),
            Lang::En => format!("{what} written ({} projects): {}\n", list.items.len(), shown.display()),
        });
    }
    Ok(())
}

#[cfg(feature = "pdf")]
fn pdf(list: &lixiang_core::report::decisions::DecisionList, which: List, out: &Out) -> lixiang_core::Result<Vec<u8>> {
    let opts = lixiang_pdf::RenderOptions { lang: out.lang, created: lixiang_pdf::Created::from_env_or_now() };
    Ok(match which {
        List::Recommendation => lixiang_pdf::decisions::recommendation_pdf(list, &opts)?.bytes,
        List::Publicity => lixiang_pdf::decisions::publicity_pdf(list, &opts)?.bytes,
    })
}

#[cfg(not(feature = "pdf"))]
fn pdf(_: &lixiang_core::report::decisions::DecisionList, _: List, _: &Out) -> lixiang_core::Result<Vec<u8>> {
    Err(no_pdf_engine())
}

#[cfg(not(feature = "pdf"))]
fn no_pdf_engine() -> CoreError {
    CoreError::Validation {
        field: "--out".into(),
        reason:
            "这一版本的 lixiang 未包含 PDF 引擎，请导出 .xlsx / this build of lixiang has no PDF engine: write .xlsx"
                .into(),
    }
}

#[cfg(feature = "pdf")]
fn ranking_pdf(ws: &mut Workspace, a: &RankingArgs, out: &Out) -> lixiang_core::Result<Vec<u8>> {
    let opts = lixiang_pdf::RenderOptions { lang: out.lang, created: lixiang_pdf::Created::from_env_or_now() };
    Ok(lixiang_pdf::ranking::ranking_pdf(ws, &a.call, a.round, a.method, &opts)?.bytes)
}

#[cfg(not(feature = "pdf"))]
fn ranking_pdf(_: &mut Workspace, _: &RankingArgs, _: &Out) -> lixiang_core::Result<Vec<u8>> {
    Err(no_pdf_engine())
}
