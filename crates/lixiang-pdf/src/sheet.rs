//! An expert's sealed score sheet (评分表) as PDF: the call, round and application it answers, each
//! criterion's score beside its maximum and the band it falls in (or each verdict), the total, the
//! strengths, weaknesses and grade (or the opinion), and the receipt hash in groups — the paper an
//! expert signs and keeps. Made from the sealed sheet exactly as sealed; nothing is recomputed but the
//! band text looked up in the form the packet carried.

use crate::format::{self, fields, notes, section, table};
use crate::{meta, Job, Pdf, PdfError, RenderOptions};
use lixiang_core::call::review::Form;
use lixiang_core::review::sheet::{band_of, Marks};
use lixiang_core::review::view::{sealed_print, SealedPrint};
use lixiang_core::{CoreError, Lang, Workspace};
use serde_json::json;

/// The sheet's job: what typst is given.
pub fn job(p: &SealedPrint, opts: &RenderOptions) -> Job {
    let lang = opts.lang;
    let l = |zh, en| lang.pick(zh, en).to_string();
    let s = &p.sheet;
    let mut sections = Vec::new();
    let blind = if p.blind { l("（盲评）", " (blind)") } else { String::new() };
    sections.push(section(
        1,
        &l("评审信息", "Review"),
        vec![fields(vec![
            (l("指南", "Call"), format!("{} {}", p.call_code, p.call_title.get(lang))),
            (l("评审轮次", "Round"), format!("{} · {}{blind}", p.round, p.round_kind.name().get(lang))),
            (l("申报编号", "Application"), s.number.clone()),
            (l("项目名称", "Title"), if p.title.is_empty() { "—".into() } else { p.title.clone() }),
            (l("评审专家", "Expert"), format!("{} {}", s.expert_number, p.expert_name)),
            (l("封存时间", "Sealed"), format::moment_text(&s.sealed_at, lang)),
        ])],
        lang,
    ));
    match (&s.marks, &p.form) {
        (Marks::Scored { scores, total, grade, grade_confirmed, strengths, weaknesses }, form) => {
            let criteria = match form {
                Form::Scored(r) => r.criteria.clone(),
                _ => Vec::new(),
            };
            let rows = scores
                .iter()
                .map(|sc| {
                    let c = criteria.iter().find(|c| c.id == sc.criterion);
                    vec![
                        c.map_or_else(|| sc.criterion.clone(), |c| c.name.get(lang).to_string()),
                        c.map_or_else(String::new, |c| c.weight.to_string()),
                        sc.points.to_string(),
                        c.and_then(|c| band_of(c, sc.points))
                            .map_or_else(String::new, |b| format!("{}–{}：{}", b.low, b.high, b.text.get(lang))),
                    ]
                })
                .chain(std::iter::once(vec![l("总分", "Total"), "100".into(), total.to_string(), String::new()]))
                .collect();
            sections.push(section(
                2,
                &l("评分", "Scores"),
                vec![table(
                    &["auto", "auto", "auto", "1fr"],
                    &["left", "right", "right", "left"],
                    vec![l("评价指标", "Criterion"), l("满分", "Max"), l("得分", "Score"), l("评分档次", "Band")],
                    rows,
                )],
                lang,
            ));
            let grade_name = match grade {
                lixiang_core::score::Grade::A => l("A 优先支持", "A priority"),
                lixiang_core::score::Grade::B => l("B 支持", "B support"),
                lixiang_core::score::Grade::C => l("C 可支持", "C may support"),
                lixiang_core::score::Grade::D => l("D 不支持", "D do not support"),
            };
            let mut parts = vec![fields(vec![
                (l("主要优点", "Strengths"), strengths.clone()),
                (l("主要不足与建议", "Weaknesses"), weaknesses.clone()),
                (l("总体评价", "Grade"), grade_name),
            ])];
            if *grade_confirmed {
                parts.push(notes(vec![l(
                    "专家已确认总体评价与总分不一致。",
                    "The expert confirmed that the grade and the total disagree.",
                )]));
            }
            sections.push(section(3, &l("评审意见", "Opinion"), parts, lang));
        }
        (Marks::Verdicts { verdicts, opinion }, form) => {
            let items = match form {
                Form::Verdicts(v) => v.items.clone(),
                _ => Vec::new(),
            };
            let rows = verdicts
                .iter()
                .map(|v| {
                    vec![
                        items
                            .iter()
                            .find(|i| i.id == v.item)
                            .map_or_else(|| v.item.clone(), |i| i.name.get(lang).to_string()),
                        v.verdict.name().get(lang).to_string(),
                    ]
                })
                .collect();
            sections.push(section(
                2,
                &l("意见", "Verdicts"),
                vec![
                    table(&["1fr", "auto"], &["left", "left"], vec![l("事项", "Item"), l("意见", "Verdict")], rows),
                    fields(vec![(l("论证意见", "Opinion"), opinion.clone())]),
                ],
                lang,
            ));
        }
    }
    sections.push(section(
        sections.len() + 1,
        &l("回执", "Receipt"),
        vec![
            fields(vec![
                (l("回执（SHA-256）", "Receipt (SHA-256)"), format::hash_groups(&p.receipt_sha256)),
                (l("评分表哈希", "Form hash"), format::hash_groups(&s.form_sha256)),
            ]),
            notes(vec![l(
                "回执是封存评分表全文的 SHA-256，管理机构收到的评分表与之一致。专家签字：__________",
                "The receipt is the SHA-256 of the sealed sheet; the office receives exactly this sheet. Expert's signature: __________",
            )]),
        ],
        lang,
    ));
    let title = match lang {
        Lang::Zh => format!("专家评分表 · {}", s.number),
        Lang::En => format!("Score sheet · {}", s.number),
    };
    let header = format!("{} · {}", p.call_code, s.number);
    let data = json!({
        "meta": meta(&title, &header, opts),
        "kicker": l("西藏自治区科技重大专项 · 项目评审", "Tibet major S&T programme · review"),
        "title": title,
        "sections": sections,
    });
    Job { kind: "sheet", title, main: Job::main_source("sheet", "sheet"), data, files: Default::default() }
}

/// The sheet as PDF. Errors as [`crate::render`].
pub fn render(p: &SealedPrint, opts: &RenderOptions) -> Result<Pdf, PdfError> {
    crate::render(&job(p, opts), opts.created)
}

/// A sealed sheet of a held packet as PDF: what `lixiang review print` and the window's print button call.
pub fn sheet_pdf(ws: &mut Workspace, packet_id: &str, number: &str, opts: &RenderOptions) -> Result<Pdf, CoreError> {
    let p = sealed_print(ws, packet_id, number)?;
    Ok(render(&p, opts)?)
}
