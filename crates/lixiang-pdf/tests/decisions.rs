//! The recommendation list and the 公示 notice printed and read back with poppler: every line's number,
//! title, unit, leader and amount, the period in words, the office's signature, fonts embedded; the notice
//! refused before the 公示 starts; the data typst is given, snapshotted.

mod common;
use common::*;

use lixiang_core::report::decisions::{DecisionList, DroppedLine, ListedItem, NoticePeriod};
use lixiang_core::review::decision::Basis;
use lixiang_core::Lang;
use lixiang_pdf::decisions::{publicity_job, publicity_pdf, recommendation_pdf};

fn list(publicity: bool) -> DecisionList {
    let item =
        |seq: u32, number: &str, title: &str, unit: &str, leader: &str, fen: i64, basis, reason: Option<&str>| {
            ListedItem {
                seq,
                number: number.into(),
                title: title.into(),
                unit: unit.into(),
                leader: leader.into(),
                rank: seq + u32::from(basis == Basis::Added),
                score: format!("{:.2}", 92.5 - f64::from(seq) * 3.25),
                requested_fen: fen,
                basis,
                reason: reason.map(Into::into),
            }
        };
    DecisionList {
        call_code: "2027-ZX06-01".into(),
        call_title: "现代农牧业科技重大专项示例指南".into(),
        programme: "ZX06".into(),
        year: 2027,
        round: 1,
        round_name: "通讯评审".into(),
        method: "mean".into(),
        ranking_sha256: "0123456789abcdef".repeat(4),
        items: vec![
            item(
                1,
                "2027-ZX06-000003",
                "高产优质青稞新品种选育",
                "西藏农牧科学院（示例）",
                "扎西",
                3_000_000_000,
                Basis::Line,
                None,
            ),
            item(
                2,
                "2027-ZX06-000001",
                "牦牛高效养殖关键技术集成示范",
                "西藏大学（示例）",
                "格桑曲珍",
                1_250_500_000,
                Basis::Added,
                Some("非共识项目，支持探索性研究"),
            ),
        ],
        dropped: vec![DroppedLine {
            number: "2027-ZX06-000002".into(),
            title: "高原草地生态修复".into(),
            rank: 2,
            reason: "负责人在研项目超限".into(),
        }],
        recommended_fen: 4_250_500_000,
        budget_fen: 5_000_000_000,
        made_at: "2027-06-01T09:00:00+08:00".into(),
        office: "西藏自治区科学技术厅（示例）".into(),
        publicity: publicity.then(|| NoticePeriod {
            starts_on: "2027-06-02".into(),
            ends_on: "2027-06-08".into(),
            days: 7,
        }),
    }
}

#[test]
fn the_recommendation_list_prints_every_line_with_its_basis_and_the_drops() {
    let l = list(false);
    let pdf = recommendation_pdf(&l, &opts(Lang::Zh)).unwrap();
    let text = pdftotext(&pdf.bytes);
    assert_contains_text(&text, "现代农牧业科技重大专项示例指南立项建议名单");
    for i in &l.items {
        for s in [&i.number, &i.title, &i.unit, &i.leader, &i.score] {
            assert_contains_text(&text, s);
        }
    }
    assert_contains_text(&text, "3,000.0000");
    assert_contains_text(&text, "1,250.5000");
    assert_contains_text(&text, "线下增补：非共识项目，支持探索性研究");
    assert_contains_text(&text, "调出资助线的项目");
    assert_contains_text(&text, "负责人在研项目超限");
    assert_contains_text(&text, "推荐 2 项，申请财政经费合计 4,250.5000 万元；资助总额 5,000.0000 万元。");
    for f in pdffonts(&pdf.bytes) {
        assert!(f.emb, "font {} is not embedded: {}", f.name, f.line);
    }
    let en = pdftotext(&recommendation_pdf(&l, &opts(Lang::En)).unwrap().bytes);
    assert_contains_text(&en, "Recommendation list · 2027-ZX06-01");
    assert_contains_text(&en, "added below the line");
}

#[test]
fn the_notice_prints_the_list_the_period_and_where_objections_go_and_no_scores() {
    let err = publicity_pdf(&list(false), &opts(Lang::Zh)).unwrap_err();
    assert_eq!(err.code(), "decision.no_publicity");
    let l = list(true);
    let pdf = publicity_pdf(&l, &opts(Lang::Zh)).unwrap();
    let text = pdftotext(&pdf.bytes);
    assert_contains_text(&text, "现代农牧业科技重大专项示例指南拟立项项目公示");
    assert_contains_text(&text, "拟立项项目 2 项，现予公示");
    assert_contains_text(&text, "公示期为 2027年6月2日至2027年6月8日（7 天）");
    for i in &l.items {
        for s in [&i.number, &i.title, &i.unit, &i.leader] {
            assert_contains_text(&text, s);
        }
        assert!(!squeeze(&text).contains(&squeeze(&i.score)), "a notice shows no scores: {}", i.score);
    }
    assert!(!text.contains("负责人在研项目超限"), "nor the office's internal drops");
    assert_contains_text(&text, "请以书面形式向西藏自治区科学技术厅（示例）提出");
    for f in pdffonts(&pdf.bytes) {
        assert!(f.emb, "font {} is not embedded: {}", f.name, f.line);
    }
    let en = pdftotext(&publicity_pdf(&l, &opts(Lang::En)).unwrap().bytes);
    assert_contains_text(&en, "from 2 June 2027 to 8 June 2027 (7 days)");
}

#[test]
fn the_notice_source_is_stable() {
    let job = publicity_job(&list(true), &opts(Lang::Zh)).unwrap();
    insta::assert_snapshot!("publicity_main_typ", job.main);
    insta::assert_json_snapshot!("publicity_data_json", job.data, { ".meta.created" => "[created]" });
}
