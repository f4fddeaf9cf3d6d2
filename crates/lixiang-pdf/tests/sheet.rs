//! The expert's sealed score sheet printed and read back with poppler: every criterion with its score and
//! band, the total, the opinion and grade, the receipt in groups, fonts embedded.

mod common;
use common::*;

use lixiang_core::call::review::{default_plan, embedded_templates, Form, HalfPoints, RoundKind};
use lixiang_core::call::{Category, Mode};
use lixiang_core::lang::Bilingual;
use lixiang_core::review::sheet::{band_of, CriterionScore, Marks, SealedSheet};
use lixiang_core::review::view::SealedPrint;
use lixiang_core::score::Grade;
use lixiang_core::Lang;
use lixiang_pdf::sheet::render;

fn print() -> SealedPrint {
    let form = default_plan(
        Category::TechInnovation,
        &Mode::OpenCompetition { two_stage: false },
        &embedded_templates().unwrap(),
    )
    .unwrap()
    .rounds[0]
        .form
        .clone();
    let Form::Scored(rubric) = &form else { panic!("a scored form") };
    // Each criterion three points under its maximum; the first half a point more off.
    let scores: Vec<CriterionScore> = rubric
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| CriterionScore {
            criterion: c.id.clone(),
            points: HalfPoints(c.weight * 2 - 6 - u32::from(i == 0)),
        })
        .collect();
    let total = HalfPoints(scores.iter().map(|s| s.points.0).sum());
    SealedPrint {
        call_code: "2027-ZX06-01".into(),
        call_title: Bilingual::new("现代农牧业科技重大专项示例指南", "Modern agriculture demo call"),
        round: 1,
        round_kind: RoundKind::MailReview,
        blind: false,
        title: "高产优质青稞新品种选育与绿色栽培技术".into(),
        expert_number: "ZJ000007".into(),
        expert_name: "格桑曲珍".into(),
        form: form.clone(),
        sheet: SealedSheet {
            format: 1,
            packet_id: "0190a1b2-0000-7000-8000-000000000001".into(),
            call_id: "0190a1b2-0000-7000-8000-000000000002".into(),
            round: 1,
            number: "2027-ZX06-000001".into(),
            expert_number: "ZJ000007".into(),
            expert_key_id: "0123456789abcdef".into(),
            form_sha256: "a".repeat(64),
            marks: Marks::Scored {
                scores,
                total,
                grade: Grade::B,
                grade_confirmed: false,
                strengths: "技术路线清晰，示范基础好".into(),
                weaknesses: "推广规模偏小".into(),
            },
            sealed_at: "2027-04-02T03:04:05Z".into(),
        },
        receipt_sha256: "0123456789abcdef".repeat(4),
    }
}

#[test]
fn a_sealed_sheet_prints_every_score_its_band_the_total_and_the_receipt() {
    let p = print();
    let pdf = render(&p, &opts(Lang::Zh)).unwrap();
    let text = pdftotext(&pdf.bytes);
    assert_contains_text(&text, "专家评分表 · 2027-ZX06-000001");
    assert_contains_text(&text, &p.title);
    assert_contains_text(&text, "格桑曲珍");
    let Form::Scored(rubric) = &p.form else { unreachable!() };
    let Marks::Scored { scores, total, .. } = &p.sheet.marks else { unreachable!() };
    for (c, s) in rubric.criteria.iter().zip(scores) {
        assert_contains_text(&text, &c.name.zh);
        let band = band_of(c, s.points).expect("every score has a band");
        assert_contains_text(&text, &band.text.zh);
    }
    assert_contains_text(&text, &format!("总分 100 {total}"));
    assert_contains_text(&text, "技术路线清晰，示范基础好");
    assert_contains_text(&text, "B 支持");
    // The receipt in groups of eight, as the window shows it.
    assert_contains_text(&text, "01234567 89abcdef 01234567 89abcdef 01234567 89abcdef 01234567 89abcdef");
    for f in pdffonts(&pdf.bytes) {
        assert!(f.emb, "font {} is not embedded: {}", f.name, f.line);
    }
    // English labels for an English reader.
    let en = pdftotext(&render(&p, &opts(Lang::En)).unwrap().bytes);
    assert_contains_text(&en, "Score sheet · 2027-ZX06-000001");
    assert_contains_text(&en, "Receipt (SHA-256)");
}
