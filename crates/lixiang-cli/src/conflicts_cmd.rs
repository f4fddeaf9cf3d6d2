//! `lixiang conflicts --call C`: every conflict of interest (回避) between the expert pool and the call's
//! applications, with its severity (hard / declared / soft / possible) and reason code. Reads only.

use crate::Out;
use lixiang_core::conflict::{desk, Severity};
use lixiang_core::{workspace, Workspace};
use std::path::Path;

#[derive(clap::Args)]
pub struct Args {
    /// The call's code (2027-ZX06-01) or id
    #[arg(long)]
    pub call: String,
    /// A collaboration counts when within this many years of the call's year (3–5; default: the call's
    /// assignment settings, `lixiang assign settings`)
    #[arg(long)]
    pub years: Option<u32>,
    #[arg(long)]
    pub json: bool,
}

pub fn run(data_dir: Option<&Path>, a: &Args, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
    let mut settings = lixiang_core::assign::settings::of_call(&mut ws, &a.call)?.conflicts();
    if let Some(y) = a.years {
        settings.collaboration_years = y;
    }
    let found = desk::for_call(&mut ws, &a.call, &settings)?;
    if out.json {
        let doc = serde_json::json!({ "schema": "lixiang.conflicts.v1", "result": found });
        crate::emit(&format!("{doc:#}\n"));
        return Ok(());
    }
    let count = |s: Severity| found.conflicts.iter().filter(|c| c.severity == s).count();
    let mut text = format!(
        "{} {}: {} {}, {} {}; {} {}, {} {}, {} {}, {} {}\n",
        out.lang.pick("指南", "call"),
        found.call,
        found.applications.len(),
        out.lang.pick("项申报", "applications"),
        found.experts,
        out.lang.pick("位专家", "experts"),
        count(Severity::Hard),
        out.lang.pick("项必须回避", "hard"),
        count(Severity::Declared),
        out.lang.pick("项专家声明回避", "declared"),
        count(Severity::Soft),
        out.lang.pick("项默认回避", "soft"),
        count(Severity::Possible),
        out.lang.pick("项可能冲突", "possible"),
    );
    for c in &found.conflicts {
        let sev = match c.severity {
            Severity::Hard => out.lang.pick("必须回避", "hard"),
            Severity::Declared => out.lang.pick("专家声明回避", "declared"),
            Severity::Soft => out.lang.pick("默认回避", "soft"),
            Severity::Possible => out.lang.pick("可能冲突", "possible"),
        };
        let detail = out.lang.pick(&c.detail_zh, &c.detail_en);
        text.push_str(&format!("{}  {}  {}  {}  {}\n", c.application, c.expert, sev, c.code, detail));
    }
    crate::emit(&text);
    Ok(())
}
