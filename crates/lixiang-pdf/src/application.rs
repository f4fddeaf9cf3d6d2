//! The printed 申报书 and its 承诺书 pages. Owns the application's data for
//! `templates/application.typ`: the cover (with the version's SHA-256, or 草稿), every section the call
//! asks for in the call's order, the attachment list with hashes, and the pledge pages with the boxes
//! to sign and stamp. What is printed is decided by [`lixiang_core::application::print`]; this module
//! only formats it, and [`application_pdf`] joins the two for the CLI and the desktop shell.
//!
//! Money is printed as the budget engine formats it (万元, 4 decimals, from [`budget::totals`]), so the
//! paper agrees with the window to the last digit.

use crate::format::{self, fields, notes, section, table};
use crate::{meta, Files, Job, Pdf, PdfError, RenderOptions};
use lixiang_core::application::print::{Figure, FigureGap, PrintSource, Printed};
use lixiang_core::application::{required_pledges, Application, Block, Role, Span, Stage};
use lixiang_core::budget::{self, BudgetSchema};
use lixiang_core::{CoreError, Lang, Workspace};
use serde_json::{json, Value};
use typst::foundations::Bytes;
use typst::visualize::{ExchangeFormat, RasterImage};

/// Which pages to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The whole 申报书, the 承诺书 pages last.
    Full,
    /// Only the 承诺书 pages, to sign and stamp apart from the rest.
    PledgeOnly,
}

/// Text width of the A4 page less its margins, and the tallest a figure may be, in cm: a figure never
/// runs off the page whatever its pixel size.
const TEXT_WIDTH_CM: f64 = 17.0;
const MAX_FIGURE_HEIGHT_CM: f64 = 12.0;
/// Pixels per inch assumed when an image does not say (a screenshot or a drawing exported for print).
const DEFAULT_DPI: f64 = 150.0;

/// The application's job: what typst is given. Same source, part and options, same job.
pub fn job(src: &PrintSource, part: Part, opts: &RenderOptions) -> Job {
    let lang = opts.lang;
    let l = |zh, en| lang.pick(zh, en);
    let app = &src.app;
    let call = &src.call;
    let mut files = Files::default();

    let (header_state, watermark, state_line, version_rows) = match &src.printed {
        Printed::Draft => (
            l("草稿", "DRAFT").to_string(),
            Some(l("草稿", "DRAFT")),
            l(
                "草稿：尚未提交，内容仍可修改，不作为正式申报材料。",
                "Draft: not submitted; it may still change and is not the application of record.",
            )
            .to_string(),
            vec![(l("版本", "Version").to_string(), l("草稿（未提交）", "draft (not submitted)").to_string())],
        ),
        Printed::Version { number, sha256, sealed_at } => (
            match lang {
                Lang::Zh => format!("第 {number} 版 · SHA-256 {}…", &sha256[..sha256.len().min(12)]),
                Lang::En => format!("version {number} · SHA-256 {}…", &sha256[..sha256.len().min(12)]),
            },
            None,
            l(
                "本申报书按所封存版本的内容打印；版本哈希可与提交回执核对。",
                "Printed from the sealed version; check the version hash against the submission receipt.",
            )
            .to_string(),
            vec![
                (
                    l("版本", "Version").to_string(),
                    match lang {
                        Lang::Zh => format!("第 {number} 版，封存于 {}", format::moment_text(sealed_at, lang)),
                        Lang::En => format!("version {number}, sealed {}", format::moment_text(sealed_at, lang)),
                    },
                ),
                (l("版本哈希（SHA-256）", "Version hash (SHA-256)").to_string(), format::hash_groups(sha256)),
            ],
        ),
    };

    let leader = app.leader().map(|(_, m)| m);
    let leader_line = leader.map_or_else(String::new, |m| format!("{}　{}", m.name, m.title_name));
    let programme = src.catalog.programmes.iter().find(|p| p.code == call.programme);
    let programme_line = programme.map_or_else(|| call.programme.clone(), |p| format!("{} {}", p.code, p.name));
    let call_line = format!("{} {}", call.code, call.title.get(lang));
    let period = match lang {
        Lang::Zh => format!("{} 至 {}", app.period.start, app.period.end),
        Lang::En => format!("{} to {}", app.period.start, app.period.end),
    };
    let r = app.budget.requested;
    let requested = match lang {
        Lang::Zh => format!(
            "{} 万元（财政资金 {} 万元，自筹资金 {} 万元）",
            r.total().wan(),
            r.fiscal.wan(),
            r.self_raised.wan()
        ),
        Lang::En => format!(
            "{} 万元 (fiscal {} 万元, self-raised {} 万元)",
            r.total().wan(),
            r.fiscal.wan(),
            r.self_raised.wan()
        ),
    };
    let unit_line = format!("{}（{}）", app.applicant.name, app.applicant.credit_code);

    let mut cover_rows = vec![
        (l("项目名称", "Project title").to_string(), app.title.clone()),
        (l("指南", "Call").to_string(), call_line.clone()),
        (l("所属专项", "Programme").to_string(), programme_line.clone()),
        (l("申报单位", "Applicant unit").to_string(), unit_line.clone()),
        (l("项目负责人", "Project leader").to_string(), leader_line.clone()),
        (l("实施周期", "Period").to_string(), period.clone()),
        (l("申请经费", "Funding asked").to_string(), requested.clone()),
    ];
    if let Some(n) = &src.number {
        cover_rows.push((l("申报编号", "Application number").to_string(), n.clone()));
    }
    cover_rows.extend(version_rows);

    let mut sections = Vec::new();
    if part == Part::Full {
        let mut n = 0;
        let mut next = |title: &str, parts: Vec<Value>, out: &mut Vec<Value>| {
            n += 1;
            out.push(section(n, title, parts, lang));
        };
        for rule in &call.sections {
            let title = rule.name.get(lang);
            let parts = match rule.code.as_str() {
                "basic_info" => vec![basic_info(src, lang, &call_line, &programme_line, &period)],
                "indicators" => vec![indicators(src, lang)],
                "budget" => budget_parts(src, lang),
                "team" => team(app, lang),
                "avoid_experts" => avoid_experts(app, lang),
                "commitments" => vec![notes(vec![l(
                    "承诺书附于本申报书末页，须由项目负责人签字、申报单位加盖公章。",
                    "The commitments are the last pages of this application, to be signed by the leader and stamped by the unit.",
                )
                .to_string()])],
                code => {
                    let mut parts = vec![rich(src, code, lang, &mut files)];
                    if code == "schedule" {
                        parts.push(milestones(app, lang));
                    }
                    parts
                }
            };
            next(title, parts, &mut sections);
            // 代表作 belong with the team that wrote them (基础研究 only).
            if rule.code == "team" && !app.representative_works.is_empty() {
                next(l("代表作", "Representative works"), vec![works(app, lang)], &mut sections);
            }
        }
        next(l("附件清单", "Attachments"), vec![attachments(src, lang)], &mut sections);
    }

    let title = match part {
        Part::Full => app.title.clone(),
        Part::PledgeOnly => format!("{}{}", l("承诺书：", "Commitments: "), app.title),
    };
    let header = format!("{} · {} · {header_state}", call.code, l("申报书", "Application"));
    let mut meta = meta(&title, &header, opts);
    if let Some(w) = watermark {
        meta["watermark"] = w.into();
    }
    let data = json!({
        "meta": meta,
        "part": match part { Part::Full => "full", Part::PledgeOnly => "pledge" },
        "cover": {
            "kicker": match lang {
                Lang::Zh => format!("西藏自治区科技重大专项 · {}", call.mode.name().zh),
                Lang::En => format!("Tibet major S&T programme · {}", call.mode.name().en),
            },
            "title": l("项目申报书", "Project application"),
            "rows": cover_rows.into_iter().map(|(k, v)| json!([k, v])).collect::<Vec<_>>(),
            "state": state_line,
        },
        "sections": sections,
        "pledge": pledge(src, lang, &call_line, &unit_line, &leader_line),
    });
    Job { kind: "application", title, main: Job::main_source("application", "application"), data, files }
}

/// The application as PDF. Errors as [`crate::render`].
pub fn render(src: &PrintSource, part: Part, opts: &RenderOptions) -> Result<Pdf, PdfError> {
    crate::render(&job(src, part, opts), opts.created)
}

/// The application `key` (id, or 申报编号 at the office) of this workspace as PDF: its draft, or with
/// `version` that sealed version (see [`lixiang_core::application::print::print_source`]). What the
/// CLI's `application print` and the desktop's print button call.
pub fn application_pdf(
    ws: &mut Workspace,
    key: &str,
    version: Option<u32>,
    part: Part,
    opts: &RenderOptions,
) -> Result<Pdf, CoreError> {
    let src = lixiang_core::application::print::print_source(ws, key, version)?;
    Ok(render(&src, part, opts)?)
}

fn stage_name(stage: Stage, lang: Lang) -> &'static str {
    match stage {
        Stage::Pre => lang.pick("预申报", "pre-application"),
        Stage::Full => lang.pick("正式申报", "full application"),
    }
}

fn role_name(role: Role, lang: Lang) -> &'static str {
    match role {
        Role::Leader => lang.pick("项目负责人", "leader"),
        Role::Backbone => lang.pick("骨干成员", "key member"),
        Role::Participant => lang.pick("参与人员", "participant"),
    }
}

fn basic_info(src: &PrintSource, lang: Lang, call_line: &str, programme_line: &str, period: &str) -> Value {
    let l = |zh, en| lang.pick(zh, en).to_string();
    let app = &src.app;
    let call = &src.call;
    let partners = if app.partners.is_empty() {
        l("无", "none")
    } else {
        app.partners.iter().map(|p| format!("{}（{}）", p.name, p.credit_code)).collect::<Vec<_>>().join("\n")
    };
    let discipline = lixiang_core::discipline::embedded()
        .ok()
        .and_then(|d| d.get(&app.discipline).map(|x| format!("{} {}", x.code, x.name)))
        .unwrap_or_else(|| app.discipline.clone());
    let r = app.budget.requested;
    let leader = app.leader().map(|(_, m)| m);
    fields(vec![
        (l("项目名称", "Project title"), app.title.clone()),
        (l("指南编号及名称", "Call"), call_line.to_string()),
        (l("所属专项", "Programme"), programme_line.to_string()),
        (l("遴选方式", "Selection mode"), call.mode.name().get(lang).to_string()),
        (l("项目类别", "Category"), call.category.name().get(lang).to_string()),
        (l("申报阶段", "Stage"), stage_name(app.stage, lang).to_string()),
        (l("申报单位", "Applicant unit"), app.applicant.name.clone()),
        (l("统一社会信用代码", "Unified social credit code"), app.applicant.credit_code.clone()),
        (l("注册（成立）日期", "Registered on"), app.applicant.registered_on.to_string()),
        (l("所在地区代码", "Division code"), app.applicant.region.clone()),
        (l("合作单位", "Partner units"), partners),
        (
            l("项目负责人", "Project leader"),
            leader.map_or_else(String::new, |m| format!("{}，{}", m.name, m.title_name)),
        ),
        (l("实施周期", "Period"), period.to_string()),
        (l("申请财政资金（万元）", "Fiscal funds asked (万元)"), r.fiscal.wan()),
        (l("自筹资金（万元）", "Self-raised funds (万元)"), r.self_raised.wan()),
        (l("经费合计（万元）", "Total (万元)"), r.total().wan()),
        (l("关键词", "Keywords"), app.keywords.join(lang.pick("；", "; "))),
        (l("学科代码", "Discipline"), discipline),
    ])
}

/// A long section's blocks for `templates/richtext.typ`; figures become paths into `files`.
fn rich(src: &PrintSource, code: &str, lang: Lang, files: &mut Files) -> Value {
    let Some(text) = src.app.sections.get(code).filter(|t| !t.is_empty()) else {
        return notes(vec![lang.pick("（未填写）", "(not filled in)").to_string()]);
    };
    let blocks: Vec<Value> = text
        .blocks
        .iter()
        .map(|b| match b {
            Block::Image { sha256, caption } => figure(src, sha256, caption, lang, files),
            // The core's own JSON form: the template reads `type`, `spans`, `items`, `rows` and the marks.
            other => serde_json::to_value(other).unwrap_or(Value::Null),
        })
        .collect();
    json!({ "kind": "rich", "blocks": blocks })
}

/// A figure: its bytes go into the world at `/figures/<sha256>.<ext>` when typst can decode them;
/// otherwise the page says why in its place.
fn figure(src: &PrintSource, sha256: &str, caption: &[Span], lang: Lang, files: &mut Files) -> Value {
    let name = src.app.attachments.iter().find(|a| a.sha256 == sha256).map_or(sha256, |a| a.name.as_str());
    let gap = |why: &str| {
        json!({
            "type": "image", "path": null, "width_cm": 0, "caption": caption,
            "missing": match lang {
                Lang::Zh => format!("［图未能打印：{name}——{why}］"),
                Lang::En => format!("[figure not printed: {name} — {why}]"),
            },
        })
    };
    let (bytes, format, ext) = match src.figures.get(sha256) {
        Some(Figure::Png(b)) => (b, ExchangeFormat::Png, "png"),
        Some(Figure::Jpeg(b)) => (b, ExchangeFormat::Jpg, "jpg"),
        Some(Figure::Unavailable(FigureGap::HashMismatch)) => {
            return gap(lang.pick("文件内容与其哈希不符", "the file does not match its hash"))
        }
        Some(Figure::Unavailable(FigureGap::NotAnImage)) => {
            return gap(lang.pick("不是 PNG 或 JPEG 图片", "not a PNG or JPEG image"))
        }
        Some(Figure::Unavailable(FigureGap::NotInWorkspace)) | None => {
            return gap(lang.pick("文件不在本工作区", "the file is not in this workspace"))
        }
    };
    // Decoded here rather than left to the template: a broken image is the applicant's file, not a
    // defect of the program, and must not fail the whole print as a template error would.
    let image = match RasterImage::plain(Bytes::new(bytes.clone()), format) {
        Ok(i) => i,
        Err(_) => return gap(lang.pick("图片无法解码", "the image cannot be decoded")),
    };
    let (w, h) = (f64::from(image.width().max(1)), f64::from(image.height().max(1)));
    let dpi = image.dpi().filter(|d| *d >= 30.0).unwrap_or(DEFAULT_DPI);
    let natural = w / dpi * 2.54;
    let width = natural.min(TEXT_WIDTH_CM).min(MAX_FIGURE_HEIGHT_CM * w / h);
    // Rounded so the job (and its snapshot) does not carry float noise.
    let width = (width * 100.0).round() / 100.0;
    let path = format!("/figures/{sha256}.{ext}");
    files.0.insert(path.clone(), bytes.clone());
    json!({ "type": "image", "path": path, "width_cm": width, "caption": caption, "missing": "" })
}

fn indicators(src: &PrintSource, lang: Lang) -> Value {
    let l = |zh, en| lang.pick(zh, en).to_string();
    let plan_target = |code: &str| {
        src.catalog
            .programmes
            .iter()
            .flat_map(|p| &p.targets)
            .find(|t| t.code == code)
            .map_or_else(|| code.to_string(), |t| format!("{} {}", t.code, t.indicator))
    };
    let rows = src
        .app
        .indicators
        .iter()
        .map(|i| {
            vec![
                i.id.clone(),
                i.name.clone(),
                i.kind.name().0.to_string(),
                i.unit.clone(),
                i.baseline.map_or_else(|| "—".to_string(), |b| b.to_string()),
                format!("{} {}", i.direction.symbol(), i.target),
                i.plan_target.as_deref().map_or_else(|| "—".to_string(), plan_target),
                i.core_indicator.clone().unwrap_or_else(|| "—".to_string()),
            ]
        })
        .map(|mut r| {
            if lang == Lang::En {
                if let Some(i) = src.app.indicators.iter().find(|i| i.id == r[0]) {
                    r[2] = i.kind.name().1.to_string();
                }
            }
            r
        })
        .collect();
    table(
        &["auto", "2fr", "auto", "auto", "auto", "auto", "2fr", "auto"],
        &["left", "left", "left", "center", "right", "right", "left", "center"],
        vec![
            l("编号", "No."),
            l("指标名称", "Indicator"),
            l("类型", "Type"),
            l("单位", "Unit"),
            l("现有水平", "Baseline"),
            l("目标值", "Target"),
            l("对应规划目标", "Plan target"),
            l("对应核心指标", "Core indicator"),
        ],
        rows,
    )
}

fn milestones(app: &Application, lang: Lang) -> Value {
    let l = |zh, en| lang.pick(zh, en).to_string();
    table(
        &["auto", "1fr", "auto", "2fr"],
        &["left", "left", "center", "left"],
        vec![l("编号", "No."), l("里程碑", "Milestone"), l("完成时间", "Due"), l("考核成果", "Deliverable")],
        app.milestones
            .iter()
            .map(|m| vec![m.code.clone(), m.name.clone(), m.due.to_string(), m.deliverable.clone()])
            .collect(),
    )
}

/// The budget table (categories × years, fiscal and self-raised, subtotals), the equipment lines and
/// the notes: direct and indirect costs, the indirect cap as the budget check computes it, and whether
/// the funding asked agrees with the table.
fn budget_parts(src: &PrintSource, lang: Lang) -> Vec<Value> {
    let l = |zh, en| lang.pick(zh, en).to_string();
    let app = &src.app;
    let table_ = &app.budget;
    let Some(schema) = &src.schema else {
        let mut rows = Vec::new();
        for (code, years) in &table_.lines {
            for (year, s) in years {
                rows.push(vec![code.clone(), year.to_string(), s.fiscal.wan(), s.self_raised.wan()]);
            }
        }
        return vec![
            notes(vec![match lang {
                Lang::Zh => format!("预算规则 {} 不在本程序中：按科目代码列出，未计算小计。", table_.schema),
                Lang::En => format!(
                    "The budget rules {} are not in this program: lines by category code, without subtotals.",
                    table_.schema
                ),
            }]),
            format::table(
                &["1fr", "auto", "auto", "auto"],
                &["left", "center", "right", "right"],
                vec![l("科目", "Category"), l("年度", "Year"), l("财政资金", "Fiscal"), l("自筹资金", "Self-raised")],
                rows,
            ),
        ];
    };
    let t = budget::totals(schema, table_);
    let mut header = vec![l("科目", "Category"), l("来源", "Source")];
    header.extend(table_.years.iter().map(|y| y.to_string()));
    header.push(l("合计", "Total"));
    let rows: Vec<Value> = schema
        .categories
        .iter()
        .map(|c| {
            let cells = |pick: fn(budget::Sources) -> String| {
                let mut v: Vec<String> = table_.years.iter().map(|&y| pick(t.cell(&c.code, y))).collect();
                v.push(pick(t.category(&c.code)));
                v
            };
            json!({
                "name": c.name.get(lang),
                "depth": schema.lineage(&c.code).len().saturating_sub(1),
                "subtotal": !schema.is_leaf(&c.code),
                "fiscal": cells(|s| s.fiscal.wan()),
                "self_raised": cells(|s| s.self_raised.wan()),
            })
        })
        .collect();
    let by_year = |pick: fn(budget::Sources) -> String| {
        let mut v: Vec<String> = table_.years.iter().map(|&y| pick(t.year(y))).collect();
        v.push(pick(t.grand));
        v
    };
    let grid = json!({
        "kind": "budget",
        "header": header,
        "rows": rows,
        "total": {
            "name": l("合计", "Total"),
            "fiscal": by_year(|s| s.fiscal.wan()),
            "self_raised": by_year(|s| s.self_raised.wan()),
            "sum": by_year(|s| s.total().wan()),
        },
        "labels": { "fiscal": l("财政", "fiscal"), "self_raised": l("自筹", "self-raised"), "sum": l("合计", "total") },
    });

    // The cap as `budget::check_budget` enforces it: on fiscal funds, direct less equipment purchase.
    let cap = schema.indirect_cap(t.direct.fiscal, t.equipment_purchase.fiscal, src.call.budget.pure_theory);
    let base = t.direct.fiscal.saturating_sub(t.equipment_purchase.fiscal);
    let mut lines = vec![
        l("金额单位：万元（保留 4 位小数）。", "Amounts in 万元 (10,000 yuan), 4 decimals."),
        match lang {
            Lang::Zh => format!(
                "直接费用 {} 万元（其中设备购置费 {} 万元），间接费用 {} 万元，总计 {} 万元。",
                t.direct.total().wan(),
                t.equipment_purchase.total().wan(),
                t.indirect.total().wan(),
                t.grand.total().wan()
            ),
            Lang::En => format!(
                "Direct costs {} 万元 (equipment purchase {} 万元), indirect costs {} 万元, total {} 万元.",
                t.direct.total().wan(),
                t.equipment_purchase.total().wan(),
                t.indirect.total().wan(),
                t.grand.total().wan()
            ),
        },
        match lang {
            Lang::Zh => format!(
                "间接费用上限（财政资金）：{} 万元，按直接费用扣除设备购置费后的 {} 万元，依「{}」分档核定（{}）。",
                cap.wan(),
                base.wan(),
                schema.name.zh,
                tiers(schema, src.call.budget.pure_theory, lang)
            ),
            Lang::En => format!(
                "Indirect cap (fiscal funds): {} 万元, on direct costs less equipment purchase of {} 万元, under “{}” ({}).",
                cap.wan(),
                base.wan(),
                schema.name.en,
                tiers(schema, src.call.budget.pure_theory, lang)
            ),
        },
    ];
    if t.indirect.fiscal > cap {
        lines.push(l("注意：间接费用（财政资金）超过上限。", "Note: the indirect costs (fiscal) exceed the cap."));
    }
    if t.grand != table_.requested {
        lines.push(match lang {
            Lang::Zh => format!(
                "注意：基本信息中的申请经费（财政 {} 万元、自筹 {} 万元）与本表合计不一致。",
                table_.requested.fiscal.wan(),
                table_.requested.self_raised.wan()
            ),
            Lang::En => format!(
                "Note: the funding asked in the basic information (fiscal {} 万元, self-raised {} 万元) differs from this table's totals.",
                table_.requested.fiscal.wan(),
                table_.requested.self_raised.wan()
            ),
        });
    }
    let mut parts = vec![grid, notes(lines)];
    if !table_.equipment.is_empty() {
        parts.push(format::table(
            &["auto", "1fr", "auto", "auto", "auto", "2fr"],
            &["left", "left", "right", "right", "right", "left"],
            vec![
                l("科目", "Category"),
                l("设备名称", "Equipment"),
                l("单价（万元）", "Unit price (万元)"),
                l("数量", "Qty"),
                l("金额（万元）", "Amount (万元)"),
                l("测算依据", "Estimate"),
            ],
            table_
                .equipment
                .iter()
                .map(|e| {
                    vec![
                        schema
                            .category(&e.category)
                            .map_or_else(|| e.category.clone(), |c| c.name.get(lang).to_string()),
                        e.name.clone(),
                        e.unit_price.wan(),
                        e.quantity.to_string(),
                        e.amount().wan(),
                        e.estimate.clone(),
                    ]
                })
                .collect(),
        ));
    }
    parts
}

/// `≤500 万元部分 30%，500–1000 万元部分 25%，以上部分 20%` from the schema's tiers.
/// The indirect-cost tiers of `schema` in words (`500 万元及以下部分 30%，…`), or the pure-theory rate when it
/// applies; shared with the call document.
pub(crate) fn tiers(schema: &BudgetSchema, pure_theory: bool, lang: Lang) -> String {
    if let (true, Some(p)) = (pure_theory, schema.indirect.pure_theory_percent) {
        return match lang {
            Lang::Zh => format!("纯理论基础研究 {p}%"),
            Lang::En => format!("pure theory {p}%"),
        };
    }
    let whole = |f: lixiang_core::money::Fen| f.wan().trim_end_matches('0').trim_end_matches('.').to_string();
    let mut lower: Option<String> = None;
    let mut out = Vec::new();
    for t in &schema.indirect.tiers {
        let part = match (&lower, t.up_to, lang) {
            (None, Some(u), Lang::Zh) => format!("{} 万元及以下部分 {}%", whole(u), t.rate_percent),
            (Some(a), Some(u), Lang::Zh) => format!("{a}–{} 万元部分 {}%", whole(u), t.rate_percent),
            (_, None, Lang::Zh) => format!("以上部分 {}%", t.rate_percent),
            (None, Some(u), Lang::En) => format!("{}% up to {} 万元", t.rate_percent, whole(u)),
            (Some(a), Some(u), Lang::En) => format!("{}% from {a} to {} 万元", t.rate_percent, whole(u)),
            (_, None, Lang::En) => format!("{}% above", t.rate_percent),
        };
        out.push(part);
        lower = t.up_to.map(whole);
    }
    out.join(lang.pick("，", ", "))
}

fn team(app: &Application, lang: Lang) -> Vec<Value> {
    let l = |zh, en| lang.pick(zh, en).to_string();
    let unit_name = |code: &str| {
        if code == app.applicant.credit_code {
            return app.applicant.name.clone();
        }
        app.partners.iter().find(|p| p.credit_code == code).map_or_else(|| code.to_string(), |p| p.name.clone())
    };
    let rows = app
        .team
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let (doc_zh, doc_en) = m.document.name();
            vec![
                (i + 1).to_string(),
                m.name.clone(),
                role_name(m.role, lang).to_string(),
                format!("{}\n{}", lang.pick(doc_zh, doc_en), m.id_number),
                m.birth_date.to_string(),
                format!("{}\n{}", unit_name(&m.unit_credit_code), m.department),
                m.title_name.clone(),
                m.months.to_string(),
            ]
        })
        .collect();
    vec![table(
        &["auto", "auto", "auto", "auto", "auto", "1fr", "auto", "auto"],
        &["center", "left", "left", "left", "center", "left", "left", "right"],
        vec![
            l("序号", "No."),
            l("姓名", "Name"),
            l("角色", "Role"),
            l("证件类型及号码", "Document"),
            l("出生日期", "Born"),
            l("单位及部门", "Unit and department"),
            l("职称", "Title"),
            l("投入（人月）", "Person-months"),
        ],
        rows,
    )]
}

fn works(app: &Application, lang: Lang) -> Value {
    let l = |zh, en| lang.pick(zh, en).to_string();
    table(
        &["auto", "1.2fr", "1.5fr", "auto", "1fr"],
        &["center", "left", "left", "center", "left"],
        vec![
            l("序号", "No."),
            l("题名", "Title"),
            l("出处", "Citation"),
            l("年份", "Year"),
            l("全文（SHA-256）", "Full text (SHA-256)"),
        ],
        app.representative_works
            .iter()
            .enumerate()
            .map(|(i, w)| {
                vec![
                    (i + 1).to_string(),
                    w.title.clone(),
                    w.citation.clone(),
                    w.year.to_string(),
                    w.attachment.as_deref().map_or_else(|| "—".to_string(), format::hash_groups),
                ]
            })
            .collect(),
    )
}

fn avoid_experts(app: &Application, lang: Lang) -> Vec<Value> {
    let l = |zh, en| lang.pick(zh, en).to_string();
    if app.avoid_experts.is_empty() {
        return vec![notes(vec![l("无。", "None.")])];
    }
    vec![table(
        &["auto", "1fr", "2fr"],
        &["left", "left", "left"],
        vec![l("姓名", "Name"), l("单位", "Unit"), l("申请回避理由", "Reason")],
        app.avoid_experts.iter().map(|e| vec![e.name.clone(), e.unit.clone(), e.reason.clone()]).collect(),
    )]
}

fn attachments(src: &PrintSource, lang: Lang) -> Value {
    let l = |zh, en| lang.pick(zh, en).to_string();
    if src.app.attachments.is_empty() {
        return notes(vec![l("无附件。", "No attachments.")]);
    }
    let rule_name = |code: &str| {
        src.call
            .attachments
            .iter()
            .find(|r| r.code == code)
            .map_or_else(|| code.to_string(), |r| r.name.get(lang).to_string())
    };
    table(
        &["auto", "1fr", "auto", "1.3fr"],
        &["left", "left", "right", "left"],
        vec![l("附件项", "Item"), l("文件名", "File"), l("大小", "Size"), l("SHA-256", "SHA-256")],
        src.app
            .attachments
            .iter()
            .map(|a| {
                vec![rule_name(&a.rule), a.name.clone(), format::bytes(a.size, lang), format::hash_groups(&a.sha256)]
            })
            .collect(),
    )
}

/// The 承诺书: who pledges, the texts the call requires, and the boxes to sign and stamp.
fn pledge(src: &PrintSource, lang: Lang, call_line: &str, unit_line: &str, leader_line: &str) -> Value {
    let l = |zh, en| lang.pick(zh, en).to_string();
    let app = &src.app;
    let items: Vec<String> = required_pledges(&src.call)
        .iter()
        .map(|p| {
            let text = p.text.get(lang).to_string();
            // A draft may not have accepted every pledge yet; the paper must not suggest it did.
            if app.pledges.get(p.code).copied().unwrap_or(false) {
                text
            } else {
                format!("{text}{}", lang.pick("（尚未在申报书中确认）", " (not yet accepted in the application)"))
            }
        })
        .collect();
    let date = l("年　　月　　日", "Date:            ");
    json!({
        "title": l("承诺书", "Commitments"),
        "rows": [
            [l("项目名称", "Project title"), app.title],
            [l("指南", "Call"), call_line],
            [l("申报单位", "Applicant unit"), unit_line],
            [l("项目负责人", "Project leader"), leader_line],
        ],
        "intro": match lang {
            Lang::Zh => format!("项目负责人及申报单位已阅知《{}》的要求，郑重承诺：", src.call.title.zh),
            Lang::En => format!("The project leader and the applicant unit have read the call “{}” and pledge:", src.call.title.en),
        },
        "items": items,
        "boxes": [
            { "label": l("项目负责人签字：", "Project leader's signature:"), "date": date },
            { "label": l("申报单位（公章）：", "Applicant unit (公章, official seal):"), "date": date },
        ],
    })
}
