//! `lixiang check NUMBER`: the office's formal check (形式审查) of a received application — the rule
//! report (exit 3 when it finds an error) — and, with `--decide`, the officer's decision recorded and
//! written as the result package for the applicant (`--out`); with `--appeal` / `--appeal-resolve`, an
//! appeal (申诉) against a 不予受理 logged or resolved (appeal_cmd.rs).

use crate::{passphrase, Out};
use lixiang_core::application::formal::{self, Decision, DecisionInput, FormalReport, LimitScope};
use lixiang_core::calendar::{Date, Moment};
use lixiang_core::validate::Severity;
use lixiang_core::{identity, workspace, CoreError, Lang, Workspace};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// The 申报编号 (2027-ZX06-000001) or the application's id
    pub number: String,
    /// Record the decision: accept (通过), return (退回修改), reject (不予受理)
    #[arg(long, value_name = "DECISION", requires = "out")]
    pub decide: Option<String>,
    /// A reason (repeat for several); required to return or reject, and to resolve an appeal
    #[arg(long = "reason", value_name = "TEXT")]
    pub reasons: Vec<String>,
    /// For a return: the date by which the fixed version must arrive (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub fix_by: Option<String>,
    /// Where to write the result package for the applicant (with --decide, --resend, or --appeal-resolve upheld)
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write the recorded decision's result package again (byte for byte) to --out, e.g. after the first
    /// copy was lost or could not be written; records nothing
    #[arg(long, requires = "out", conflicts_with = "decide")]
    pub resend: bool,
    /// Log an appeal (申诉) against the 不予受理, with --received, --from and --text
    #[arg(long, requires_all = ["received", "from", "text"], conflicts_with_all = ["decide", "resend", "appeal_resolve"])]
    pub appeal: bool,
    /// The date the appeal reached the office (YYYY-MM-DD)
    #[arg(long, value_name = "DATE", requires = "appeal")]
    pub received: Option<String>,
    /// Who appealed and how (e.g. 申报单位来函)
    #[arg(long, value_name = "TEXT", requires = "appeal")]
    pub from: Option<String>,
    /// What the appeal says
    #[arg(long, value_name = "TEXT", requires = "appeal")]
    pub text: Option<String>,
    /// Resolve the open appeal: upheld (维持原决定, its answer written for the applicant to --out, required) or
    /// granted (申诉成立: decide the version again; that result carries the answer), with --reason
    #[arg(long, value_name = "OUTCOME", conflicts_with_all = ["decide", "resend"])]
    pub appeal_resolve: Option<String>,
    /// Check as of this time (RFC 3339 with offset) instead of now — for rehearsals and tests
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

fn bad(field: &str, lang: Lang, zh: &str, en: &str) -> CoreError {
    CoreError::Validation { field: field.into(), reason: lang.pick(zh, en).into() }
}

pub fn run(data_dir: Option<&Path>, a: &Args, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
    let at = match &a.at {
        Some(t) => Moment::parse(t).ok_or_else(|| {
            bad("--at", out.lang, "应为带时区的时间，如 2027-03-01T09:00:00+08:00", "expected a time with offset")
        })?,
        None => Moment::now_utc(),
    };
    if a.appeal || a.appeal_resolve.is_some() {
        return crate::appeal_cmd::run(&mut ws, a, at, out);
    }
    if a.resend {
        let target = a.out.as_ref().expect("clap requires --out with --resend");
        identity::info(&mut ws)?.ok_or(CoreError::NoIdentity)?;
        let pass = passphrase::read(out.lang, false)?;
        let keys = identity::unlock(&mut ws, &pass)?;
        let r = lixiang_core::outgoing::resend_formal(&mut ws, &keys, &a.number, target)?;
        crate::print_resent(&[r], out);
        return Ok(());
    }
    let Some(decision) = &a.decide else {
        let report = formal::formal_check(&mut ws, &a.number, at)?;
        show(&report, out);
        if report.errors > 0 {
            return Err(CoreError::ApplicationRefused {
                application: format!("{} {}", report.number, report.title),
                problems: report.problems.into_iter().filter(|p| p.severity == Severity::Error).collect(),
            });
        }
        return Ok(());
    };
    let decision = Decision::parse(decision).ok_or_else(|| {
        bad("--decide", out.lang, "应为 accept、return 或 reject", "expected accept, return or reject")
    })?;
    let fix_by = match &a.fix_by {
        Some(d) => Some(
            Date::parse(d).ok_or_else(|| bad("--fix-by", out.lang, "应为日期，如 2027-04-01", "expected a date"))?,
        ),
        None => None,
    };
    let target = a.out.as_ref().expect("clap requires --out with --decide");
    identity::info(&mut ws)?.ok_or(CoreError::NoIdentity)?;
    let pass = passphrase::read(out.lang, false)?;
    let keys = identity::unlock(&mut ws, &pass)?;
    let input = DecisionInput { decision, reasons: a.reasons.clone(), fix_by };
    let d = formal::decide(&mut ws, &keys, &a.number, &input, at, target)?;
    if out.json {
        let mut doc = serde_json::to_value(&d).expect("serialises");
        doc["schema"] = "lixiang.formal_decision.v1".into();
        crate::emit(&format!("{doc:#}\n"));
    } else {
        crate::emit(&match out.lang {
            Lang::Zh => format!("{} 第 {} 版：{}，结果文件包：{}\n", d.number, d.version, decision.zh(), d.path),
            Lang::En => format!("{} version {}: {}; result package: {}\n", d.number, d.version, decision.en(), d.path),
        });
    }
    Ok(())
}

fn show(r: &FormalReport, out: &Out) {
    if out.json {
        let mut doc = serde_json::to_value(r).expect("serialises");
        doc["schema"] = "lixiang.formal_check.v1".into();
        crate::emit(&format!("{doc:#}\n"));
        return;
    }
    let lang = out.lang;
    let mut text = format!("{}  v{}  {}  {}\n", r.number, r.version, r.applicant_name, r.title);
    text.push_str(&format!("SHA-256 {}\n", r.sha256));
    for p in &r.problems {
        let mark =
            if p.severity == Severity::Error { lang.pick("错误", "error") } else { lang.pick("提示", "warning") };
        text.push_str(&format!("{mark}  {}  {}\n", p.field, lang.pick(&p.zh, &p.en)));
    }
    if r.problems.is_empty() {
        text.push_str(lang.pick("规则检查未发现问题。\n", "The rules found no problem.\n"));
    }
    for l in &r.limits {
        let who = match l.scope {
            LimitScope::Leader => lang.pick("项目负责人", "leader"),
            LimitScope::Unit => lang.pick("申报单位", "applicant unit"),
        };
        let limit = l.limit.map(|n| n.to_string()).unwrap_or_else(|| lang.pick("无限制", "none").into());
        text.push_str(&match lang {
            Lang::Zh => format!("限项  {who}：本指南下 {} 项（限 {limit}）：{}\n", l.count, l.numbers.join("、")),
            Lang::En => format!("limit  {who}: {} in this call (limit {limit}): {}\n", l.count, l.numbers.join(", ")),
        });
    }
    if let Some(d) = &r.decision {
        text.push_str(&match lang {
            Lang::Zh => format!("已有结论：第 {} 版 {}（{}）\n", d.version, d.decision.zh(), d.decided_at),
            Lang::En => format!("Decided: version {} {} ({})\n", d.version, d.decision.en(), d.decided_at),
        });
    }
    // Every decision with its appeal, version by version: a granted appeal leaves the earlier decision
    // and the appeal on record, and the officer reads the whole way, not only its last step.
    if !r.history.is_empty() {
        text.push_str(lang.pick("形式审查经过：\n", "Formal-check history:\n"));
    }
    for v in &r.history {
        text.push_str(&match lang {
            Lang::Zh => format!("  第 {} 版\n", v.version),
            Lang::En => format!("  version {}\n", v.version),
        });
        for step in &v.steps {
            let d = &step.decision;
            let again =
                if d.after_appeal { lang.pick("（申诉后重新审查）", " (after an appeal)") } else { "" };
            let reasons = if d.reasons.is_empty() { String::new() } else { d.reasons.join(lang.pick("；", "; ")) };
            text.push_str(&match lang {
                Lang::Zh => format!("    决定 {}{again}：{}（{}）{reasons}\n", d.seq, d.decision.zh(), d.decided_at),
                Lang::En => {
                    format!("    decision {}{again}: {} ({}) {reasons}\n", d.seq, d.decision.en(), d.decided_at)
                }
            });
            if let Some(appeal) = &step.appeal {
                text.push_str("      ");
                text.push_str(&crate::appeal_cmd::line(appeal, lang));
            }
        }
    }
    crate::emit(&text);
}
