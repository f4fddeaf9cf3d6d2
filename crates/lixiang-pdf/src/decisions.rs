//! A round's published lists as PDF: the recommendation list (立项建议名单, for the file: rank, score,
//! requested funding and the basis of each line, the drops with their reasons) and the 公示 notice
//! (拟立项项目公示: the list the public reads — number, title, unit, leader, proposed funding — with the
//! period, where objections go, and the office's name and date). Both lay out the
//! [`DecisionList`] that the xlsx files of `lixiang_core::report::decisions` write, so the two formats
//! of one list never disagree.

use crate::format::{fields, notes, section, table};
use crate::{meta, Job, Pdf, PdfError, RenderOptions};
use lixiang_core::report::decisions::{basis_zh, method_zh, require_publicity, DecisionList};
use lixiang_core::review::decision::Basis;
use lixiang_core::{CoreError, Lang};
use serde_json::{json, Value};

fn wan(fen: i64) -> String {
    lixiang_core::money::Fen::new(fen.max(0) as u64).wan()
}

/// `2027-06-02` as a notice writes it: 2027年6月2日 (or 2 June 2027).
fn date_words(iso: &str, lang: Lang) -> String {
    let parts: Vec<u32> = iso.get(..10).unwrap_or(iso).split('-').filter_map(|p| p.parse().ok()).collect();
    let [y, m, d] = parts[..] else { return iso.to_string() };
    match lang {
        Lang::Zh => format!("{y}年{m}月{d}日"),
        Lang::En => {
            const MONTHS: [&str; 12] = [
                "January",
                "February",
                "March",
                "April",
                "May",
                "June",
                "July",
                "August",
                "September",
                "October",
                "November",
                "December",
            ];
            format!("{d} {} {y}", MONTHS.get(m as usize - 1).copied().unwrap_or("?"))
        }
    }
}

fn basis(b: Basis, lang: Lang) -> String {
    match lang {
        Lang::Zh => basis_zh(b).to_string(),
        Lang::En => match b {
            Basis::Line => "within the line".into(),
            Basis::Added => "added below the line".into(),
            Basis::Selected => "selected to lead the challenge".into(),
            Basis::Voted => "recommended by the panel's vote".into(),
        },
    }
}

fn document(title: String, header: String, body: Value, opts: &RenderOptions) -> Job {
    let mut data = body;
    data["meta"] = meta(&title, &header, opts);
    data["title"] = json!(title);
    data["kicker"] =
        json!(opts.lang.pick("西藏自治区科技重大专项 · 项目立项", "Tibet major S&T programme · funding decisions"));
    Job { kind: "decisions", title, main: Job::main_source("decisions", "decisions"), data, files: Default::default() }
}

/// The recommendation list's job.
pub fn recommendation_job(list: &DecisionList, opts: &RenderOptions) -> Job {
    let lang = opts.lang;
    let l = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let rows: Vec<Vec<String>> = list
        .items
        .iter()
        .map(|i| {
            let mut basis = basis(i.basis, lang);
            if let Some(r) = &i.reason {
                basis = format!("{basis}：{r}");
            }
            vec![
                i.seq.to_string(),
                i.number.clone(),
                i.title.clone(),
                i.unit.clone(),
                i.leader.clone(),
                i.rank.to_string(),
                i.score.clone(),
                wan(i.requested_fen),
                basis,
            ]
        })
        .collect();
    let mut sections = vec![section(
        1,
        &l("推荐立项项目", "Recommended projects"),
        vec![
            table(
                &["auto", "auto", "2fr", "1.5fr", "auto", "auto", "auto", "auto", "1.3fr"],
                &["right", "left", "left", "left", "left", "right", "right", "right", "left"],
                vec![
                    l("序号", "No."),
                    l("申报编号", "Number"),
                    l("项目名称", "Title"),
                    l("申报单位", "Unit"),
                    l("负责人", "Leader"),
                    l("名次", "Rank"),
                    l("得分", "Score"),
                    l("申请财政经费（万元）", "Fiscal request (10k yuan)"),
                    l("依据", "Basis"),
                ],
                rows,
            ),
            notes(vec![match lang {
                Lang::Zh => format!(
                    "推荐 {} 项，申请财政经费合计 {} 万元；资助总额 {} 万元。",
                    list.items.len(),
                    wan(list.recommended_fen),
                    wan(list.budget_fen)
                ),
                Lang::En => format!(
                    "{} projects recommended, fiscal requests totalling {} (10k yuan); the call's budget is {}.",
                    list.items.len(),
                    wan(list.recommended_fen),
                    wan(list.budget_fen)
                ),
            }]),
        ],
        lang,
    )];
    if !list.dropped.is_empty() {
        let rows = list
            .dropped
            .iter()
            .map(|d| vec![d.number.clone(), d.title.clone(), d.rank.to_string(), d.reason.clone()])
            .collect();
        sections.push(section(
            2,
            &l("调出资助线的项目", "Dropped from within the line"),
            vec![table(
                &["auto", "2fr", "auto", "2fr"],
                &["left", "left", "right", "left"],
                vec![l("申报编号", "Number"), l("项目名称", "Title"), l("名次", "Rank"), l("理由", "Reason")],
                rows,
            )],
            lang,
        ));
    }
    sections.push(section(
        sections.len() + 1,
        &l("形成依据", "Basis of the list"),
        vec![fields(vec![
            (l("指南", "Call"), format!("{} {}", list.call_code, list.call_title)),
            (l("评审轮次", "Round"), format!("{} {}", list.round, list.round_name)),
            (l("排序方法", "Method"), lang.pick(method_zh(&list.method), &list.method).to_string()),
            (l("排名依据（SHA-256）", "Ranking (SHA-256)"), crate::format::hash_groups(&list.ranking_sha256)),
            (l("名单形成时间", "List made"), crate::format::moment_text(&list.made_at, lang)),
        ])],
        lang,
    ));
    let title = match lang {
        Lang::Zh => format!("{}立项建议名单", list.call_title),
        Lang::En => format!("Recommendation list · {}", list.call_code),
    };
    let header = format!("{} · {}", list.call_code, l("第", "round ") + &list.round.to_string() + &l("轮", ""));
    let body = json!({ "intro": [], "sections": sections, "closing": [], "signature": null });
    document(title, header, body, opts)
}

/// The 公示 notice's job. Refused (`decision.no_publicity`) before the 公示 starts.
pub fn publicity_job(list: &DecisionList, opts: &RenderOptions) -> Result<Job, CoreError> {
    let period = require_publicity(list)?;
    let lang = opts.lang;
    let l = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let (from, to) = (date_words(&period.starts_on, lang), date_words(&period.ends_on, lang));
    let intro = match lang {
        Lang::Zh => vec![
            format!(
                "根据西藏自治区科技重大专项项目管理有关规定，经形式审查、专家评审，{}拟立项项目 {} 项，现予公示。",
                list.call_title,
                list.items.len()
            ),
            format!("公示期为 {from}至{to}（{} 天）。", period.days),
        ],
        Lang::En => vec![
            format!(
                "Following the formal check and expert review, {} projects are proposed for funding under the call {}. They are published here for public comment.",
                list.items.len(),
                list.call_title
            ),
            format!("The notice runs from {from} to {to} ({} days).", period.days),
        ],
    };
    let rows = list
        .items
        .iter()
        .map(|i| {
            vec![
                i.seq.to_string(),
                i.number.clone(),
                i.title.clone(),
                i.unit.clone(),
                i.leader.clone(),
                wan(i.requested_fen),
            ]
        })
        .collect();
    let sections = vec![section(
        1,
        &l("拟立项项目名单", "Projects proposed for funding"),
        vec![table(
            &["auto", "auto", "2fr", "1.5fr", "auto", "auto"],
            &["right", "left", "left", "left", "left", "right"],
            vec![
                l("序号", "No."),
                l("申报编号", "Number"),
                l("项目名称", "Title"),
                l("承担单位", "Unit"),
                l("项目负责人", "Leader"),
                l("拟资助经费（万元）", "Proposed funding (10k yuan)"),
            ],
            rows,
        )],
        lang,
    )];
    let closing = match lang {
        Lang::Zh => vec![format!(
            "公示期内，如对公示项目有异议，请以书面形式向{}提出，写明异议的项目编号、事实和理由，并提供联系方式；以单位名义提出的应加盖公章，以个人名义提出的应署真实姓名。逾期不予受理。",
            if list.office.is_empty() { "项目管理机构".to_string() } else { list.office.clone() }
        )],
        Lang::En => vec![format!(
            "Objections to a listed project may be sent in writing to {} within the notice period, naming the project number, the facts and the reasons, with contact details; objections from a unit bear its seal, those from a person their real name. Later objections are not accepted.",
            if list.office.is_empty() { "the programme office".to_string() } else { list.office.clone() }
        )],
    };
    let title = match lang {
        Lang::Zh => format!("{}拟立项项目公示", list.call_title),
        Lang::En => format!("Notice of projects proposed for funding · {}", list.call_code),
    };
    let header = format!("{} · {}", list.call_code, l("公示", "public notice"));
    let body = json!({
        "intro": intro,
        "sections": sections,
        "closing": closing,
        "signature": { "office": list.office, "date": date_words(&period.starts_on, lang) },
    });
    Ok(document(title, header, body, opts))
}

/// The recommendation list as PDF. Errors as [`crate::render`].
pub fn recommendation_pdf(list: &DecisionList, opts: &RenderOptions) -> Result<Pdf, PdfError> {
    crate::render(&recommendation_job(list, opts), opts.created)
}

/// The 公示 notice as PDF.
pub fn publicity_pdf(list: &DecisionList, opts: &RenderOptions) -> Result<Pdf, CoreError> {
    Ok(crate::render(&publicity_job(list, opts)?, opts.created)?)
}
