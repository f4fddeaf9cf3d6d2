//! The plan dashboard as PDF (issue 8, plan 七(三) monitoring): the same [`Dashboard`] the window's
//! 规划监测 shows and `lixiang report dashboard` prints — per programme of 专栏19 each target's coverage
//! as a chart drawn in Rust ([`crate::chart::coverage_svg`], the window's chart type and axes) with the
//! table of figures under it (plan, committed, covered / under / over, the committing projects), the
//! links not counted and why, the pipeline by stage; the 专栏1 indicators; per call and round the
//! distribution of sheet totals and each expert's leniency (the ranking report's charts). The statement
//! that committed is not achieved stands at the top, in a box, in the words the core gives it.

use crate::chart::{coverage_svg, histogram_svg, leniency_names, leniency_svg, quantity, CoverageNames};
use crate::format::{notes, section, table};
use crate::{meta, Files, Job, Pdf, PdfError, RenderOptions};
use lixiang_core::catalog::ChangeKind;
use lixiang_core::report::dashboard::{self, Dashboard};
use lixiang_core::{CoreError, Lang, Workspace};
use serde_json::{json, Value};

fn two(x: f64) -> String {
    format!("{x:.2}")
}

fn opt_two(x: Option<f64>) -> String {
    x.map_or_else(|| "—".into(), two)
}

/// The report's job: what typst is given. The same dashboard and options give the same job.
pub fn job(d: &Dashboard, opts: &RenderOptions) -> Job {
    let lang = opts.lang;
    let l = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let mut files = Files::default();
    let mut sections: Vec<Value> = Vec::new();
    let mut n = 0;
    let mut next = || {
        n += 1;
        n
    };

    let overview = d
        .programmes
        .iter()
        .map(|p| {
            let covered = p.targets.iter().filter(|t| t.status == dashboard::Coverage::Covered).count();
            vec![
                p.code.clone(),
                p.name.clone(),
                p.applications.to_string(),
                p.approved.to_string(),
                format!("{covered} / {}", p.targets.len()),
            ]
        })
        .collect();
    sections.push(section(
        next(),
        &l("各专项概况", "Programmes at a glance"),
        vec![
            table(
                &["auto", "1fr", "auto", "auto", "auto"],
                &["left", "left", "right", "right", "right"],
                vec![
                    l("代码", "Code"),
                    l("科技重大专项", "Programme"),
                    l("持有申报", "Applications"),
                    l("立项", "Approved"),
                    l("目标已覆盖", "Targets covered"),
                ],
                overview,
            ),
            notes(vec![match lang {
                Lang::Zh => format!("已立项项目合计 {} 项。", d.approved),
                Lang::En => format!("{} approved projects in all.", d.approved),
            }]),
        ],
        lang,
    ));

    let names = CoverageNames {
        // The window's legend (ui/src/i18n/dashboard.ts).
        min: lang.pick("规划下限", "Plan minimum"),
        range: lang.pick("规划区间（至上限）", "Plan range (to maximum)"),
        committed: lang.pick("承诺值", "Committed"),
    };
    for p in &d.programmes {
        let path = format!("/charts/coverage-{}.svg", p.code);
        files.0.insert(path.clone(), coverage_svg(&p.targets, &names).into_bytes());
        let rows = p
            .targets
            .iter()
            .map(|t| {
                let projects: Vec<String> = t
                    .contributions
                    .iter()
                    .map(|c| format!("{} {} {}{}", c.number, c.indicator, quantity(c.value), c.unit))
                    .collect();
                vec![
                    t.code.clone(),
                    t.indicator.clone(),
                    t.printed.clone(),
                    format!("{}{}", quantity(t.committed), t.unit),
                    lang.pick(t.status.zh(), t.status.en()).to_string(),
                    projects.join(lang.pick("；", "; ")),
                ]
            })
            .collect();
        let mut parts = vec![
            json!({ "kind": "chart", "path": path, "caption": match lang {
                Lang::Zh => format!(
                    "{} 各目标的规划值与承诺值：深蓝为规划下限，浅蓝为下限至上限的规划区间；右侧为已立项项目承诺值之和（绿色已覆盖、橙色未覆盖、红色超出）",
                    p.code
                ),
                Lang::En => format!(
                    "{}: each target's plan (dark: min; light: min to max) beside what approved projects committed (green covered, orange under, red over)",
                    p.code
                ),
            }}),
            table(
                &["auto", "2fr", "auto", "auto", "auto", "2fr"],
                &["left", "left", "right", "right", "center", "left"],
                vec![
                    l("目标", "Target"),
                    l("考核目标", "Indicator"),
                    l("规划值", "Plan"),
                    l("承诺值", "Committed"),
                    l("状态", "Status"),
                    l("承诺项目", "Projects"),
                ],
                rows,
            ),
        ];
        if !p.excluded.is_empty() {
            parts.push(notes(
                p.excluded
                    .iter()
                    .map(|e| match lang {
                        Lang::Zh => format!(
                            "未计入：{} {}（{}{}）关联 {}：{}",
                            e.number,
                            e.indicator,
                            quantity(e.value),
                            e.unit,
                            e.plan_target,
                            e.reason.zh()
                        ),
                        Lang::En => format!(
                            "Not counted: {} {} ({} {}) linked to {}: {}",
                            e.number,
                            e.indicator,
                            quantity(e.value),
                            e.unit,
                            e.plan_target,
                            e.reason.en()
                        ),
                    })
                    .collect(),
            ));
        }
        let stages: Vec<Vec<String>> = p
            .pipeline
            .iter()
            .filter(|s| s.count > 0)
            .map(|s| vec![lang.pick(s.stage.zh(), s.stage.en()).to_string(), s.count.to_string()])
            .collect();
        if stages.is_empty() {
            parts.push(notes(vec![l("申报进度：尚无申报。", "Pipeline: no application yet.")]));
        } else {
            parts.push(table(
                &["auto", "auto"],
                &["left", "right"],
                vec![l("申报进度", "Pipeline stage"), l("项数", "Applications")],
                stages,
            ));
        }
        sections.push(section(next(), &format!("{} {}", p.code, p.name), parts, lang));
    }

    let indicators = d
        .plan_indicators
        .iter()
        .map(|i| {
            let kind = match i.change.kind {
                ChangeKind::YearlyAverage => l("年均", "yearly"),
                ChangeKind::Cumulative => l("累计", "cumulative"),
            };
            vec![
                i.code.clone(),
                format!("{}（{}）", i.name, i.unit),
                i.baseline.printed.clone(),
                i.target.printed.clone(),
                format!("{} {kind}", i.change.printed),
                i.attribute.clone(),
            ]
        })
        .collect();
    let footnotes: Vec<String> = d.plan_footnotes.iter().map(|f| format!("{}. {}", f.seq, f.text)).collect();
    sections.push(section(
        next(),
        &l("规划指标（专栏1）", "Plan indicators (专栏1)"),
        vec![
            table(
                &["auto", "1fr", "auto", "auto", "auto", "auto"],
                &["left", "left", "right", "right", "right", "center"],
                vec![
                    l("代码", "Code"),
                    l("指标", "Indicator"),
                    l("2020年", "2020"),
                    l("2025年", "2025"),
                    l("年均/累计", "Yearly/cumulative"),
                    l("属性", "Attribute"),
                ],
                indicators,
            ),
            notes(vec![format!("{}{}", l("注：", "Notes: "), footnotes.join(lang.pick("；", "; ")))]),
        ],
        lang,
    ));

    let mut scores = Vec::new();
    if d.rounds.is_empty() {
        scores.push(notes(vec![l("尚未收到封存的评分表。", "No sealed score sheet received yet.")]));
    }
    for r in &d.rounds {
        let key = format!("{}-R{}", r.call, r.round);
        let (hist, len) = (format!("/charts/histogram-{key}.svg"), format!("/charts/leniency-{key}.svg"));
        files.0.insert(hist.clone(), histogram_svg(&r.bins).into_bytes());
        files.0.insert(len.clone(), leniency_svg(&r.experts, &leniency_names(lang)).into_bytes());
        scores.push(json!({ "kind": "chart", "path": hist, "caption": match lang {
            Lang::Zh => format!("{} 第 {} 轮（{}）：{} 份评分表总分的分布（每档 10 分）；均值 {}，标准差 {}",
                r.call, r.round, r.kind_zh, r.sheets, two(r.mean), opt_two(r.sd)),
            Lang::En => format!("{} round {} ({}): totals of {} sheets in 10-point bins; mean {}, SD {}",
                r.call, r.round, r.kind_en, r.sheets, two(r.mean), opt_two(r.sd)),
        }}));
        scores.push(table(
            &["auto", "auto"],
            &["left", "right"],
            vec![l("分数段", "Bin"), l("份数", "Sheets")],
            r.bins.iter().map(|b| vec![format!("{}–{}", b.from, b.to), b.count.to_string()]).collect(),
        ));
        scores.push(json!({ "kind": "chart", "path": len, "caption": match lang {
            Lang::Zh => format!("{} 第 {} 轮专家评分尺度：蓝点为专家所评总分的均值，横线为 ±1 个标准差；绿点与横线为同组其他专家对同一批项目所评的均值与标准差", r.call, r.round),
            Lang::En => format!("{} round {}, expert leniency: blue, the expert's mean total with ±1 SD; green, the other experts' mean and SD on the same items", r.call, r.round),
        }}));
        let experts = r
            .experts
            .iter()
            .map(|e| {
                vec![
                    e.expert.clone(),
                    e.sheets.to_string(),
                    two(e.mean),
                    opt_two(e.sd),
                    e.compared.to_string(),
                    opt_two(e.panel_mean),
                    opt_two(e.panel_sd),
                    e.difference.map_or_else(|| "—".into(), |x| format!("{x:+.2}")),
                ]
            })
            .collect();
        scores.push(table(
            &["auto"; 8],
            &["left", "right", "right", "right", "right", "right", "right", "right"],
            vec![
                l("专家", "Expert"),
                l("份数", "Sheets"),
                l("均值", "Mean"),
                l("标准差", "SD"),
                l("对比项数", "Compared"),
                l("同组均值", "Panel mean"),
                l("同组标准差", "Panel SD"),
                l("差值", "Difference"),
            ],
            experts,
        ));
    }
    sections.push(section(
        next(),
        &l("评分分布与专家评分尺度", "Score distributions and expert leniency"),
        scores,
        lang,
    ));
    sections.push(section(
        next(),
        &l("说明", "Notes"),
        vec![notes(vec![
            lang.pick(&d.notice_zh, &d.notice_en).to_string(),
            lang.pick(&d.pipeline_note_zh, &d.pipeline_note_en).to_string(),
        ])],
        lang,
    ));

    let title = match d.programmes.as_slice() {
        [one] => match lang {
            Lang::Zh => format!("{} {} 规划监测报告", one.code, one.name),
            Lang::En => format!("Plan monitoring report · {}", one.code),
        },
        _ => l("科技重大专项规划监测报告", "Plan monitoring report"),
    };
    let header = l(
        "西藏自治区“十四五”时期科技创新规划（藏政办发〔2021〕38号）",
        "Tibet Autonomous Region, 14th Five-Year S&T Innovation Plan (藏政办发〔2021〕38号)",
    );
    let data = json!({
        "meta": meta(&title, &header, opts),
        "kicker": l("专栏19 科技重大专项 · 年度监测", "专栏19 major special projects · annual monitoring"),
        "title": title,
        "notice": lang.pick(&d.notice_zh, &d.notice_en),
        "sections": sections,
    });
    Job { kind: "dashboard", title, main: Job::main_source("dashboard", "dashboard"), data, files }
}

/// The report as PDF. Errors as [`crate::render`].
pub fn render(d: &Dashboard, opts: &RenderOptions) -> Result<Pdf, PdfError> {
    crate::render(&job(d, opts), opts.created)
}

/// The dashboard of the workspace as PDF, of every programme or of the one `programme` names (`ZX06`):
/// what `lixiang report dashboard --out FILE.pdf` and the window's 导出PDF call. Errors: an unknown
/// programme is [`CoreError::NotFound`]; rendering as [`crate::render`].
pub fn dashboard_pdf(ws: &mut Workspace, programme: Option<&str>, opts: &RenderOptions) -> Result<Pdf, CoreError> {
    let d = dashboard::dashboard(ws, programme)?;
    Ok(render(&d, opts)?)
}
