//! The ranking report of a round as PDF (issue 8): the ranking by the chosen method with the funding
//! line, the distribution of sheet totals and each expert's leniency against the panel (charts drawn in
//! Rust, [`crate::chart`], each with its table), and what the ranking was computed from. The same figures
//! as `lixiang rank`, the ranking workbook and the window's charts, from the same core functions.

use crate::chart::{histogram_svg, leniency_names, leniency_svg};
use crate::format::{fields, notes, section, table};
use crate::{meta, Files, Job, Pdf, PdfError, RenderOptions};
use lixiang_core::report::ranking::{method_name_zh, ranking_report, RankingReport};
use lixiang_core::score::Method;
use lixiang_core::{CoreError, Lang, Workspace};
use serde_json::json;

const HISTOGRAM: &str = "/charts/histogram.svg";
const LENIENCY: &str = "/charts/leniency.svg";

fn two(x: f64) -> String {
    format!("{x:.2}")
}

fn signed(x: f64) -> String {
    format!("{x:+.2}")
}

/// The report's job: what typst is given.
pub fn job(r: &RankingReport, opts: &RenderOptions) -> Job {
    let lang = opts.lang;
    let l = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let method = r.view.method;
    let score = |row: &lixiang_core::review::view::RankRow| match method {
        Method::Mean => row.mean.clone(),
        Method::Median => row.median.clone(),
        Method::TrimmedMean => row.trimmed_mean.clone(),
        Method::ZMean => row.z_scaled.clone(),
    };
    let rows = r
        .view
        .rows
        .iter()
        .map(|row| {
            let line = if row.funded {
                l("资助", "funded")
            } else if row.first_unfunded {
                l("线下第一项", "first below")
            } else {
                String::new()
            };
            let flags = if row.non_consensus.is_empty() { String::new() } else { l("非共识", "non-consensus") };
            vec![
                row.rank.to_string(),
                row.number.clone(),
                row.title.clone(),
                row.n.to_string(),
                score(row),
                row.median.clone(),
                row.sd.clone().unwrap_or_else(|| "—".into()),
                row.grades.iter().map(|g| g.to_string()).collect::<Vec<_>>().join("/"),
                flags,
                row.requested_wan.clone(),
                line,
            ]
        })
        .collect();
    let mut sections = vec![section(
        1,
        &l("排名", "Ranking"),
        vec![
            table(
                &["auto", "auto", "2fr", "auto", "auto", "auto", "auto", "auto", "auto", "auto", "auto"],
                &["right", "left", "left", "right", "right", "right", "right", "center", "left", "right", "left"],
                vec![
                    l("名次", "Rank"),
                    l("申报编号", "Number"),
                    l("项目名称", "Title"),
                    l("份数", "n"),
                    match lang {
                        Lang::Zh => method_name_zh(method).to_string(),
                        Lang::En => method.name().to_string(),
                    },
                    l("中位数", "Median"),
                    l("标准差", "SD"),
                    "A/B/C/D".into(),
                    l("非共识", "Flag"),
                    l("申请（万元）", "Asked (10k)"),
                    l("资助线", "Line"),
                ],
                rows,
            ),
            notes(vec![match lang {
                Lang::Zh => format!(
                    "资助总额 {} 万元，线内已用 {} 万元，余 {} 万元。",
                    r.view.budget_wan, r.view.used_wan, r.view.remaining_wan
                ),
                Lang::En => format!(
                    "Budget {} (10k yuan); {} used within the line, {} left.",
                    r.view.budget_wan, r.view.used_wan, r.view.remaining_wan
                ),
            }]),
        ],
        lang,
    )];
    let bins = r.bins.iter().map(|b| vec![format!("{}–{}", b.from, b.to), b.count.to_string()]).collect();
    sections.push(section(
        2,
        &l("评分分布", "Distribution of sheet totals"),
        vec![
            json!({ "kind": "chart", "path": HISTOGRAM, "caption": match lang {
                Lang::Zh => format!("{} 份评分表总分的分布（每档 10 分）；均值 {}，标准差 {}", r.view.sheets, two(r.mean), r.sd.map_or("—".into(), two)),
                Lang::En => format!("Totals of {} sheets in 10-point bins; mean {}, SD {}", r.view.sheets, two(r.mean), r.sd.map_or("—".into(), two)),
            }}),
            table(&["auto", "auto"], &["left", "right"], vec![l("分数段", "Bin"), l("份数", "Sheets")], bins),
        ],
        lang,
    ));
    let experts = r
        .experts
        .iter()
        .map(|e| {
            vec![
                e.expert.clone(),
                e.sheets.to_string(),
                two(e.mean),
                e.sd.map_or("—".into(), two),
                e.compared.to_string(),
                e.panel_mean.map_or("—".into(), two),
                e.difference.map_or("—".into(), signed),
            ]
        })
        .collect();
    sections.push(section(
        3,
        &l("专家评分尺度", "Expert leniency"),
        vec![
            json!({ "kind": "chart", "path": LENIENCY, "caption": l(
                "蓝点为专家所评总分的均值，横线为 ±1 个标准差；绿点与横线为同组其他专家对同一批项目所评的均值与标准差",
                "Blue: the expert's mean total with ±1 SD; green: the other experts' mean and SD on the same items",
            )}),
            table(
                &["auto", "auto", "auto", "auto", "auto", "auto", "auto"],
                &["left", "right", "right", "right", "right", "right", "right"],
                vec![
                    l("专家", "Expert"),
                    l("份数", "Sheets"),
                    l("均值", "Mean"),
                    l("标准差", "SD"),
                    l("对比项数", "Compared"),
                    l("同组均值", "Panel mean"),
                    l("差值", "Difference"),
                ],
                experts,
            ),
        ],
        lang,
    ));
    sections.push(section(
        4,
        &l("说明", "Basis"),
        vec![fields(vec![
            (l("指南", "Call"), format!("{} {}", r.call_code, r.call_title)),
            (l("评审轮次", "Round"), format!("{} {}", r.round, r.round_name)),
            (l("截尾规则", "Trimming"), r.trimming.clone()),
            (l("非共识", "Non-consensus"), r.non_consensus.clone()),
            (
                l("同分规则", "Ties"),
                l(
                    "A 票多者在前，其次中位数高者在前，再次申报编号小者在前",
                    "more A grades first, then the higher median, then the lower number",
                ),
            ),
            (l("z 分回落到全轮均值的专家", "z-scores on the round's μ, σ"), r.view.fallback_experts.join("、")),
        ])],
        lang,
    ));
    let title = match lang {
        Lang::Zh => format!("{} 第 {} 轮评审排名报告", r.call_code, r.round),
        Lang::En => format!("Ranking report · {} round {}", r.call_code, r.round),
    };
    let header = format!("{} · {}", r.call_code, r.round_name);
    let data = json!({
        "meta": meta(&title, &header, opts),
        "kicker": l("西藏自治区科技重大专项 · 项目评审", "Tibet major S&T programme · review"),
        "title": title,
        "sections": sections,
    });
    let mut files = Files::default();
    files.0.insert(HISTOGRAM.into(), histogram_svg(&r.bins).into_bytes());
    files.0.insert(LENIENCY.into(), leniency_svg(&r.experts, &leniency_names(lang)).into_bytes());
    Job { kind: "ranking", title, main: Job::main_source("ranking", "ranking"), data, files }
}

/// The report as PDF. Errors as [`crate::render`].
pub fn render(r: &RankingReport, opts: &RenderOptions) -> Result<Pdf, PdfError> {
    crate::render(&job(r, opts), opts.created)
}

/// A round's ranking report from the workspace: what `lixiang report ranking --out FILE.pdf` and the
/// window's button call.
pub fn ranking_pdf(
    ws: &mut Workspace,
    call: &str,
    round: u32,
    method: Method,
    opts: &RenderOptions,
) -> Result<Pdf, CoreError> {
    let r = ranking_report(ws, call, round, method)?;
    Ok(render(&r, opts)?)
}
