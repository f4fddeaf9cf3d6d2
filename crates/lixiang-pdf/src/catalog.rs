//! The catalog document: the eight 科技重大专项 of 专栏19 with their targets, then the eight plan
//! indicators of 专栏1 with the table's notes. Owns the catalog's data for `templates/catalog.typ`;
//! figures are formatted here (as `lixiang catalog` prints them) so the template only lays out.

use crate::{meta, Job, Pdf, PdfError, RenderOptions};
use lixiang_core::catalog::{Catalog, ChangeKind};
use serde_json::json;

/// The catalog's job: what typst is given. Same data and options, same job.
pub fn job(cat: &Catalog, opts: &RenderOptions) -> Job {
    let l = |zh, en| opts.lang.pick(zh, en);
    let title = l("科技重大专项与规划指标目录", "Catalog of major special projects and plan indicators");
    let header = l(
        "西藏自治区“十四五”时期科技创新规划（藏政办发〔2021〕38号）",
        "Tibet Autonomous Region, 14th Five-Year S&T Innovation Plan (藏政办发〔2021〕38号)",
    );
    let programmes: Vec<_> = cat
        .programmes
        .iter()
        .map(|p| {
            let targets: Vec<_> = p
                .targets
                .iter()
                .map(|t| {
                    let range = if t.min == t.max { t.min.to_string() } else { format!("{}–{}", t.min, t.max) };
                    json!({ "code": t.code, "indicator": t.indicator, "range": range, "unit": t.unit })
                })
                .collect();
            json!({ "code": p.code, "name": p.name, "focus": p.focus, "targets": targets })
        })
        .collect();
    let indicators: Vec<_> = cat
        .plan_indicators
        .iter()
        .map(|i| {
            let kind = match i.change.kind {
                ChangeKind::YearlyAverage => l("年均", "yearly"),
                ChangeKind::Cumulative => l("累计", "cumulative"),
            };
            json!({
                "code": i.code,
                "name": format!("{}（{}）", i.name, i.unit),
                "baseline": i.baseline.printed,
                "target": i.target.printed,
                "change": format!("{} {kind}", i.change.printed),
                "attribute": i.attribute,
            })
        })
        .collect();
    let notes: Vec<_> = cat.plan_footnotes.iter().map(|f| format!("{}. {}", f.seq, f.text)).collect();
    let data = json!({
        "meta": meta(title, header, opts),
        "labels": {
            "source": l(
                "专栏19 科技重大专项 · 专栏1 “十四五”时期科技创新发展目标",
                "Box 19, major special projects · Box 1, S&T innovation targets of the 14th Five-Year period",
            ),
            "programmes": l("一、科技重大专项（专栏19）", "1. Major special projects (专栏19)"),
            "indicators": l("二、规划指标（专栏1）", "2. Plan indicators (专栏1)"),
            "code": l("代码", "Code"),
            "indicator": l("考核目标", "Indicator"),
            "range": l("目标值", "Range"),
            "unit": l("单位", "Unit"),
            "plan_indicator": l("指标", "Indicator"),
            "baseline": l("2020年", "2020"),
            "target": l("2025年", "2025"),
            "change": l("年均/累计", "Yearly/cumulative"),
            "attribute": l("属性", "Attribute"),
            "notes": l("注：", "Notes: "),
            "notes_sep": l("；", "; "),
        },
        "programmes": programmes,
        "indicators": indicators,
        "notes": notes,
    });
    Job {
        kind: "catalog",
        title: title.to_string(),
        main: Job::main_source("catalog", "catalog"),
        data,
        files: Default::default(),
    }
}

/// The catalog as PDF. Errors as [`crate::render`].
pub fn render(cat: &Catalog, opts: &RenderOptions) -> Result<Pdf, PdfError> {
    crate::render(&job(cat, opts), opts.created)
}
