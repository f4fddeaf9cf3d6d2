//! `lixiang report dashboard [--programme ZX01] [--json]`: the plan dashboard as tables — per programme
//! each 专栏19 target beside what approved projects committed (covered / under / over) with the
//! contributing projects, the links not counted and why, the pipeline by stage; the 专栏1 indicators; per
//! call and round the distribution of sheet totals and each expert's leniency — or as one JSON document.
//! The same [`Dashboard`] the window's 规划监测 shows. With `--out FILE.pdf` it writes the dashboard as a
//! PDF report with its charts (lixiang-pdf), the same file the window's 导出PDF saves.

use crate::Out;
use comfy_table::{presets::UTF8_FULL_CONDENSED, CellAlignment, Table};
use lixiang_core::catalog::Catalog;
use lixiang_core::report::dashboard::{self, Dashboard};
use lixiang_core::{workspace, CoreError, Lang, Workspace};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct DashboardArgs {
    /// Only this programme (ZX01 … ZX08)
    #[arg(long)]
    pub programme: Option<String>,
    /// Write the dashboard as a PDF report with its charts to FILE (.pdf) instead of printing it
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

pub fn run(data_dir: Option<&Path>, a: &DashboardArgs, out: &Out) -> lixiang_core::Result<()> {
    if let Some(path) = &a.out {
        if !path.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
            return Err(CoreError::Validation {
                field: "--out".into(),
                reason: format!("{}：文件名须以 .pdf 结尾 / the file name must end in .pdf", path.display()),
            });
        }
    }
    let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
    let d = dashboard::dashboard(&mut ws, a.programme.as_deref())?;
    if let Some(path) = &a.out {
        let bytes = write_pdf(&d, path, out)?;
        let shown = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if a.json {
            let doc = serde_json::json!({
                "schema": "lixiang.report.v1", "kind": "dashboard", "format": "pdf", "path": shown,
                "bytes": bytes, "programmes": d.programmes.len(), "approved": d.approved,
            });
            crate::emit(&format!("{doc:#}\n"));
        } else {
            crate::emit(&match out.lang {
                Lang::Zh => format!("已生成规划监测报告：{}\n", shown.display()),
                Lang::En => format!("Plan monitoring report written: {}\n", shown.display()),
            });
        }
        return Ok(());
    }
    if a.json {
        #[derive(serde::Serialize)]
        struct Doc<'a> {
            schema: &'static str,
            #[serde(flatten)]
            dashboard: &'a Dashboard,
        }
        let doc = Doc { schema: "lixiang.report.dashboard.v1", dashboard: &d };
        crate::emit(&format!("{}\n", serde_json::to_string_pretty(&doc).expect("the dashboard serialises")));
    } else {
        crate::emit(&render(&d, out.lang));
    }
    Ok(())
}

/// Renders the dashboard as PDF and writes it (through a temporary file and a rename); its size.
#[cfg(feature = "pdf")]
fn write_pdf(d: &Dashboard, path: &Path, out: &Out) -> lixiang_core::Result<usize> {
    let opts = lixiang_pdf::RenderOptions { lang: out.lang, created: lixiang_pdf::Created::from_env_or_now() };
    let pdf = lixiang_pdf::dashboard::render(d, &opts)?;
    lixiang_pdf::write_file(path, &pdf.bytes)?;
    Ok(pdf.bytes.len())
}

#[cfg(not(feature = "pdf"))]
fn write_pdf(_: &Dashboard, _: &Path, _: &Out) -> lixiang_core::Result<usize> {
    Err(CoreError::Validation {
        field: "--out".into(),
        reason: "这一版本的 lixiang 未包含 PDF 引擎 / this build of lixiang has no PDF engine".into(),
    })
}

/// A quantity as people read it: whole numbers without decimals, others with up to 6.
fn num(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.6}").trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

fn two(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), |x| format!("{x:.2}"))
}

fn table(header: Vec<&str>) -> Table {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_header(header);
    t
}

fn right(t: &mut Table, cols: &[usize]) {
    for c in cols {
        if let Some(col) = t.column_mut(*c) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
}

/// The dashboard as plain-text tables.
pub fn render(d: &Dashboard, lang: Lang) -> String {
    let l = |zh, en| lang.pick(zh, en);
    let mut s = String::new();
    s.push_str(l(
        "规划监测：专栏19 目标与已立项项目的承诺值\n",
        "Plan monitoring: 专栏19 targets and what approved projects committed\n",
    ));
    s.push_str(lang.pick(&d.notice_zh, &d.notice_en));
    s.push_str("\n\n");
    for p in &d.programmes {
        s.push_str(&format!(
            "{} {} — {}\n",
            p.code,
            p.name,
            match lang {
                Lang::Zh => format!("持有申报 {} 项，立项 {} 项", p.applications, p.approved),
                Lang::En => format!("{} applications held, {} approved", p.applications, p.approved),
            }
        ));
        let mut t = table(vec![
            l("目标", "Target"),
            l("考核目标", "Indicator"),
            l("规划值", "Plan"),
            l("承诺值", "Committed"),
            l("状态", "Status"),
            l("承诺项目", "Projects"),
        ]);
        for tg in &p.targets {
            let projects: Vec<String> = tg
                .contributions
                .iter()
                .map(|c| format!("{} {} {}{}", c.number, c.indicator, num(c.value), c.unit))
                .collect();
            t.add_row(vec![
                tg.code.clone(),
                tg.indicator.clone(),
                tg.printed.clone(),
                format!("{}{}", num(tg.committed), tg.unit),
                lang.pick(tg.status.zh(), tg.status.en()).to_string(),
                projects.join("\n"),
            ]);
        }
        right(&mut t, &[2, 3]);
        s.push_str(&t.to_string());
        s.push('\n');
        for e in &p.excluded {
            s.push_str(&match lang {
                Lang::Zh => format!(
                    "  未计入：{} {}（{}{}）关联 {}：{}\n",
                    e.number,
                    e.indicator,
                    num(e.value),
                    e.unit,
                    e.plan_target,
                    e.reason.zh()
                ),
                Lang::En => format!(
                    "  Not counted: {} {} ({} {}) linked to {}: {}\n",
                    e.number,
                    e.indicator,
                    num(e.value),
                    e.unit,
                    e.plan_target,
                    e.reason.en()
                ),
            });
        }
        let stages: Vec<String> = p
            .pipeline
            .iter()
            .filter(|c| c.count > 0)
            .map(|c| format!("{} {}", lang.pick(c.stage.zh(), c.stage.en()), c.count))
            .collect();
        s.push_str(l("  申报进度：", "  Pipeline: "));
        s.push_str(&if stages.is_empty() {
            l("尚无申报", "no application yet").to_string()
        } else {
            stages.join(" · ")
        });
        s.push_str("\n\n");
    }
    s.push_str(lang.pick(&d.pipeline_note_zh, &d.pipeline_note_en));
    s.push_str("\n\n");
    let cat = Catalog {
        programmes: vec![],
        plan_indicators: d.plan_indicators.clone(),
        plan_footnotes: d.plan_footnotes.clone(),
    };
    s.push_str(&crate::catalog_cmd::plan_indicators_table(&cat, lang));
    s.push('\n');
    s.push_str(l(
        "评分分布与专家宽严（已封存的评分表）\n",
        "Score distributions and expert leniency (sealed sheets)\n",
    ));
    if d.rounds.is_empty() {
        s.push_str(l("尚未收到封存的评分表。\n", "No sealed score sheet received yet.\n"));
    }
    for r in &d.rounds {
        s.push_str(&match lang {
            Lang::Zh => format!(
                "\n{} 第 {} 轮（{}）：{} 份，均值 {:.2}，标准差 {}\n",
                r.call,
                r.round,
                r.kind_zh,
                r.sheets,
                r.mean,
                two(r.sd)
            ),
            Lang::En => format!(
                "\n{} round {} ({}): {} sheets, mean {:.2}, SD {}\n",
                r.call,
                r.round,
                r.kind_en,
                r.sheets,
                r.mean,
                two(r.sd)
            ),
        });
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_header(r.bins.iter().map(|b| format!("{}–{}", b.from, b.to)).collect::<Vec<_>>());
        t.add_row(r.bins.iter().map(|b| b.count.to_string()).collect::<Vec<_>>());
        right(&mut t, &(0..r.bins.len()).collect::<Vec<_>>());
        s.push_str(&t.to_string());
        s.push('\n');
        let mut t = table(vec![
            l("专家", "Expert"),
            l("评分表", "Sheets"),
            l("均值", "Mean"),
            l("标准差", "SD"),
            l("同项目比较", "Compared"),
            l("同组均值", "Panel mean"),
            l("同组标准差", "Panel SD"),
            l("差值", "Difference"),
        ]);
        for e in &r.experts {
            t.add_row(vec![
                e.expert.clone(),
                e.sheets.to_string(),
                format!("{:.2}", e.mean),
                two(e.sd),
                e.compared.to_string(),
                two(e.panel_mean),
                two(e.panel_sd),
                e.difference.map_or_else(|| "—".into(), |x| format!("{x:+.2}")),
            ]);
        }
        right(&mut t, &[1, 2, 3, 4, 5, 6, 7]);
        s.push_str(&t.to_string());
        s.push('\n');
    }
    s
}
