//! The plan dashboard printed and read back with poppler, from a hand-made portfolio through the core's
//! own `build`: each programme's targets with the plan, the committed sum and its status, the committing
//! projects and the links not counted, the pipeline, the 专栏1 indicators, the score figures under their
//! charts, the statement that committed is not achieved; the charts drawn as vectors (no raster image),
//! fonts embedded; the source typst is given, snapshotted.

mod common;
use common::*;

use lixiang_core::application::{Indicator, IndicatorKind, Quantity};
use lixiang_core::call::{Direction, RoundKind};
use lixiang_core::report::dashboard::{build, Dashboard, HeldApplication, PipelineStage, Portfolio, RoundScores};
use lixiang_core::score::Sheet;
use lixiang_core::Lang;
use lixiang_pdf::dashboard::{job, render};

fn ind(id: &str, kind: IndicatorKind, value: &str, unit: &str, target: Option<&str>) -> Indicator {
    Indicator {
        id: id.into(),
        name: format!("指标{id}"),
        kind,
        unit: unit.into(),
        baseline: None,
        target: Quantity::parse(value).unwrap(),
        direction: Direction::AtLeast,
        plan_target: target.map(str::to_string),
        core_indicator: None,
    }
}

fn app(number: &str, stage: PipelineStage, indicators: Vec<Indicator>) -> HeldApplication {
    HeldApplication {
        number: number.into(),
        title: format!("项目{number}"),
        call: "2027-ZX06-01".into(),
        programme: "ZX06".into(),
        stage,
        indicators,
    }
}

/// ZX06 (T1 10–15 个, T2 25–30 项, T3 5–10 个, T4 1–2 家 in the shipped catalog): two approved projects,
/// one in review, one not approved; one round of four sheets by two experts.
fn portfolio() -> Portfolio {
    use IndicatorKind::*;
    use PipelineStage::*;
    let applications = vec![
        app(
            "2027-ZX06-000001",
            Funded,
            vec![ind("K1", Variety, "8", "个", Some("ZX06-T1")), ind("K2", Technology, "27.5", "项", Some("ZX06-T2"))],
        ),
        app(
            "2027-ZX06-000002",
            Funded,
            vec![
                ind("K1", Variety, "4", "个", Some("ZX06-T1")),
                ind("K2", Product, "3", "台", Some("ZX06-T3")),
                ind("K3", Platform, "3", "家", Some("ZX06-T4")),
            ],
        ),
        app("2027-ZX06-000003", NotFunded, vec![ind("K1", Variety, "20", "个", Some("ZX06-T1"))]),
        app("2027-ZX06-000004", InReview, vec![]),
    ];
    let sheet =
        |item: &str, expert: &str, total: f64| Sheet { item: item.into(), expert: expert.into(), total, grade: None };
    let rounds = vec![RoundScores {
        call: "2027-ZX06-01".into(),
        programme: "ZX06".into(),
        round: 1,
        kind: RoundKind::MailReview,
        sheets: vec![
            sheet("2027-ZX06-000001", "ZJ000001", 91.0),
            sheet("2027-ZX06-000001", "ZJ000002", 85.0),
            sheet("2027-ZX06-000002", "ZJ000001", 78.5),
            sheet("2027-ZX06-000002", "ZJ000002", 64.0),
        ],
    }];
    Portfolio { catalog: lixiang_core::catalog::embedded().unwrap(), applications, rounds }
}

fn dashboard(programme: Option<&str>) -> Dashboard {
    build(&portfolio(), programme).unwrap()
}

#[test]
fn the_dashboard_report_prints_every_programmes_coverage_the_pipeline_the_plan_indicators_and_the_scores() {
    let d = dashboard(None);
    let pdf = render(&d, &opts(Lang::Zh)).unwrap();
    let text = pdftotext(&pdf.bytes);
    assert_contains_text(&text, "科技重大专项规划监测报告");
    // Committed is not achieved, in plain words, at the top and in the notes.
    assert_contains_text(&text, &d.notice_zh);
    assert!(squeeze(&text).matches(&squeeze("不是实际完成值")).count() >= 2, "{text}");
    // The eight programmes at a glance, then one section each.
    assert_contains_text(&text, "ZX06 现代农牧业专项 4 2 2 / 4");
    for p in &d.programmes {
        assert_contains_text(&text, &format!("{} {}", p.code, p.name));
        for t in &p.targets {
            assert_contains_text(&text, &t.code);
        }
    }
    // T1: 8 + 4 = 12 个 within 10–15 (the not-approved 20 left out), with both projects named.
    assert_contains_text(
        &text,
        "ZX06-T1 培育作物和畜牧新品种（系） 10-15个 12个 已覆盖 2027-ZX06-000001 K1 8个；2027-ZX06-000002 K1 4个",
    );
    // T2: 27.5 项 within 25–30; T3: the 3 台 do not count towards 个; T4: 3 家 above 1–2.
    assert_contains_text(&text, "27.5项 已覆盖");
    assert_contains_text(&text, "0个 未覆盖");
    assert_contains_text(&text, "3家 超出");
    assert_contains_text(&text, "未计入：2027-ZX06-000002 K2（3台）关联 ZX06-T3：单位与规划目标不一致");
    // The pipeline by stage; a programme without applications says so.
    assert_contains_text(&text, "评审中 1 立项 2 未立项 1");
    assert_contains_text(&text, "申报进度：尚无申报。");
    // 专栏1 as the catalog keeps it.
    for i in &d.plan_indicators {
        assert_contains_text(&text, &format!("{} {}（{}）", i.code, i.name, i.unit));
    }
    // The round: 64 in 60–70, 78.5 in 70–80; ZJ000001 scored 91 and 78.5 where the other gave 85 and 64.
    assert_contains_text(&text, "2027-ZX06-01 第 1 轮（通讯评审）：4 份评分表总分的分布");
    assert_contains_text(&text, "均值 79.62，标准差 11.60");
    assert_contains_text(&text, "60–70 1");
    assert_contains_text(&text, "ZJ000001 2 84.75 8.84 2 74.50 14.85 +10.25");
    assert_contains_text(&text, "-10.25");
    for f in pdffonts(&pdf.bytes) {
        assert!(f.emb, "font {} is not embedded: {}", f.name, f.line);
    }
    assert!(pdfimages(&pdf.bytes).is_empty(), "the charts are vector drawings, not pictures");

    // One coverage chart per programme and the round's two charts, passed to typst as SVG.
    let j = job(&d, &opts(Lang::Zh));
    let charts: Vec<&str> = j.files.0.keys().map(String::as_str).collect();
    assert_eq!(charts.iter().filter(|k| k.starts_with("/charts/coverage-")).count(), 8);
    assert!(charts.contains(&"/charts/histogram-2027-ZX06-01-R1.svg"));
    assert!(charts.contains(&"/charts/leniency-2027-ZX06-01-R1.svg"));
    let zx06 = String::from_utf8(j.files.0["/charts/coverage-ZX06.svg"].clone()).unwrap();
    // Per target a min and a range bar (and the legend's swatches); the committed bars in their status's
    // colour: T1 and T2 covered (green), T4 over (red); T3 has nothing to draw.
    assert_eq!(zx06.matches(r##"fill="#5470c6""##).count(), 1 + 4);
    assert_eq!(zx06.matches(r##"fill="#67c23a""##).count(), 2);
    assert_eq!(zx06.matches(r##"fill="#f56c6c""##).count(), 1);
    assert!(zx06.contains(">12<") && zx06.contains(">27.5<"));

    let en = pdftotext(&render(&d, &opts(Lang::En)).unwrap().bytes);
    assert_contains_text(&en, "Plan monitoring report");
    assert_contains_text(&en, "12个 covered");
    assert_contains_text(&en, &d.notice_en);
}

#[test]
fn one_programme_makes_a_report_of_its_own() {
    let d = dashboard(Some("ZX06"));
    let text = pdftotext(&render(&d, &opts(Lang::Zh)).unwrap().bytes);
    assert_contains_text(&text, "ZX06 现代农牧业专项 规划监测报告");
    assert!(!text.contains("ZX01"), "only ZX06: {text}");
    let j = job(&d, &opts(Lang::Zh));
    assert_eq!(j.files.0.keys().filter(|k| k.starts_with("/charts/coverage-")).count(), 1);
}

#[test]
fn the_dashboard_source_is_stable() {
    let j = job(&dashboard(Some("ZX06")), &opts(Lang::Zh));
    insta::assert_snapshot!("dashboard_main_typ", j.main);
    insta::assert_json_snapshot!("dashboard_data_json", j.data, { ".meta.created" => "[created]" });
    insta::assert_snapshot!(
        "dashboard_coverage_svg",
        String::from_utf8(j.files.0["/charts/coverage-ZX06.svg"].clone()).unwrap()
    );
}
