//! The ranking report printed and read back with poppler: every item's number, title and score, the
//! funding line, the bins and the experts' leniency figures in the tables under the charts, the charts
//! drawn (vector, not screenshots: no raster image in the file), fonts embedded.

mod common;
use common::*;

use lixiang_core::report::dashboard::{histogram, leniency};
use lixiang_core::report::ranking::RankingReport;
use lixiang_core::review::view::{RankRow, RankingView};
use lixiang_core::score::{Method, Sheet};
use lixiang_core::Lang;
use lixiang_pdf::ranking::{job, render};

fn report() -> RankingReport {
    let sheet =
        |item: &str, expert: &str, total: f64| Sheet { item: item.into(), expert: expert.into(), total, grade: None };
    let sheets = vec![
        sheet("2027-ZX06-000001", "ZJ000001", 91.0),
        sheet("2027-ZX06-000001", "ZJ000002", 85.0),
        sheet("2027-ZX06-000002", "ZJ000001", 78.5),
        sheet("2027-ZX06-000002", "ZJ000002", 64.0),
    ];
    let row = |rank: usize, number: &str, title: &str, mean: &str, funded: bool, first_unfunded: bool| RankRow {
        rank,
        number: number.into(),
        title: title.into(),
        n: 2,
        mean: mean.into(),
        median: mean.into(),
        sd: Some("4.24".into()),
        trimmed_mean: mean.into(),
        z_scaled: mean.into(),
        min: "0".into(),
        max: "100".into(),
        grades: vec![1, 1, 0, 0],
        non_consensus: vec![],
        ranks_by_method: vec![rank as u32; 4],
        requested_wan: "300.0000".into(),
        funded,
        first_unfunded,
    };
    let totals: Vec<f64> = sheets.iter().map(|s| s.total).collect();
    RankingReport {
        call_code: "2027-ZX06-01".into(),
        call_title: "现代农牧业科技重大专项示例指南".into(),
        round: 1,
        round_name: "通讯评审".into(),
        view: RankingView {
            call: "2027-ZX06-01".into(),
            round: 1,
            method: Method::Mean,
            rows: vec![
                row(1, "2027-ZX06-000001", "高产优质青稞新品种选育", "88.00", true, false),
                row(2, "2027-ZX06-000002", "牦牛高效养殖关键技术", "71.25", false, true),
            ],
            sheets: 4,
            budget_wan: "450.0000".into(),
            used_wan: "300.0000".into(),
            remaining_wan: "150.0000".into(),
            fallback_experts: vec!["ZJ000001".into(), "ZJ000002".into()],
        },
        bins: histogram(&totals),
        experts: leniency(&sheets),
        mean: 79.625,
        sd: Some(11.7),
        trimming: "不截尾".into(),
        non_consensus: "极差不小于 20 分，或 A 与 D 并存".into(),
    }
}

#[test]
fn the_ranking_report_prints_the_ranking_and_the_figures_of_both_charts() {
    let r = report();
    let pdf = render(&r, &opts(Lang::Zh)).unwrap();
    let text = pdftotext(&pdf.bytes);
    assert_contains_text(&text, "2027-ZX06-01 第 1 轮评审排名报告");
    for row in &r.view.rows {
        assert_contains_text(&text, &row.number);
        assert_contains_text(&text, &row.title);
        assert_contains_text(&text, &row.mean);
    }
    assert_contains_text(&text, "线下第一项");
    assert_contains_text(&text, "资助总额 450.0000 万元，线内已用 300.0000 万元，余 150.0000 万元。");
    // The histogram's table: 64 in 60–70, 78.5 in 70–80, 85 and 91 in 80–90 and 90–100.
    assert_contains_text(&text, "60–70 1");
    assert_contains_text(&text, "80–90 1");
    assert_contains_text(&text, "均值 79.62，标准差 11.70");
    // ZJ000001 scored 91 and 78.5 where the other gave 85 and 64: mean 84.75, panel 74.50, +10.25.
    assert_contains_text(&text, "ZJ000001 2 84.75");
    assert_contains_text(&text, "74.50 +10.25");
    assert_contains_text(&text, "ZJ000002 2 74.50");
    assert_contains_text(&text, "-10.25");
    for f in pdffonts(&pdf.bytes) {
        assert!(f.emb, "font {} is not embedded: {}", f.name, f.line);
    }
    assert!(pdfimages(&pdf.bytes).is_empty(), "the charts are vector drawings, not pictures");
    // Both charts are passed to typst as SVG files the template draws.
    let j = job(&r, &opts(Lang::Zh));
    let svgs: Vec<&String> = j.files.0.keys().collect();
    assert_eq!(svgs, ["/charts/histogram.svg", "/charts/leniency.svg"]);
    let bars = String::from_utf8(j.files.0["/charts/histogram.svg"].clone()).unwrap();
    assert_eq!(bars.matches("<rect").count(), 4, "one bar per non-empty bin");
    let en = pdftotext(&render(&r, &opts(Lang::En)).unwrap().bytes);
    assert_contains_text(&en, "Ranking report · 2027-ZX06-01 round 1");
}
