//! The printed 申报书, its 承诺书 and the call's publication PDF, made from real workspaces (a demo
//! draft with its files in the blob store; a version sealed, submitted and received through real
//! package files) and read back with poppler: the text people must find is there, the budget's totals
//! are the engine's figures, the figure is drawn, every font is embedded, a sealed version carries its
//! hash and a draft its mark.

mod common;
use common::*;

use lixiang_core::application::desk;
use lixiang_core::application::print::{print_source, Figure, PrintSource, Printed};
use lixiang_core::application::{demo_application, required_pledges, Block, Span};
use lixiang_core::budget;
use lixiang_core::call::{self, desk as calls, Call, CallStatus, Contest, Mode};
use lixiang_core::identity::{self, keybox::KdfParams, Role};
use lixiang_core::import::{self, Trust};
use lixiang_core::package::Limits;
use lixiang_core::{CoreError, Lang, Workspace};
use lixiang_pdf::application::{application_pdf, Part};
use lixiang_pdf::{MissingGlyph, PdfError};
use std::path::Path;
use std::time::Instant;

fn demo_call(programme: &str) -> Call {
    let mut c = call::demo_calls().unwrap().into_iter().find(|c| c.programme == programme).unwrap();
    c.status = CallStatus::Draft;
    c
}

/// A workspace holding `programme`'s demo call and a demo draft for it (files in the blob store).
fn draft_workspace(dir: &Path, programme: &str) -> (Workspace, Call, String) {
    let mut ws = Workspace::open(dir).unwrap();
    let call = demo_call(programme);
    calls::save_draft(&mut ws, &call).unwrap();
    let app = desk::new_demo_draft(&mut ws, &call.code).unwrap();
    (ws, call, app.id.to_string())
}

fn schema_of(call: &Call) -> budget::BudgetSchema {
    budget::embedded_schemas().unwrap().into_iter().find(|s| s.reference() == call.budget.schema).unwrap()
}

#[test]
fn the_demo_draft_prints_every_part_people_look_for() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut ws, call, id) = draft_workspace(tmp.path(), "ZX06");
    let app = desk::get_draft(&mut ws, &id).unwrap();

    let start = Instant::now();
    let pdf = application_pdf(&mut ws, &id, None, Part::Full, &opts(Lang::Zh)).unwrap();
    eprintln!("demo application (ZX06), {} pages, {} bytes: {:?}", pdf.pages, pdf.bytes.len(), start.elapsed());
    if let Some(dir) = std::env::var_os("LIXIANG_KEEP_PDF") {
        std::fs::write(Path::new(&dir).join("application.pdf"), &pdf.bytes).unwrap();
    }
    let text = pdftotext(&pdf.bytes);

    assert_contains_text(&text, &app.title);
    assert_contains_text(&text, "项目申报书");
    assert_contains_text(&text, &format!("{} {}", call.code, call.title.zh));
    let leader = app.leader().unwrap().1;
    assert_contains_text(&text, &leader.name);
    assert_contains_text(&text, &leader.id_number);
    // A Chinese paragraph of a long section, its bold run and its superscript in reading order.
    assert_contains_text(&text, "聚焦高原特殊环境下的关键科学问题与技术瓶颈");
    assert_contains_text(&text, "研究区面积约1.2×104km2");
    assert_contains_text(&text, "形成可推广的技术规程。");
    // The rich-text table's cells.
    assert_contains_text(&text, "课题二集成示范第二至三年");
    // Every member, indicator (with its plan target) and milestone.
    for m in &app.team {
        assert_contains_text(&text, &m.name);
    }
    for i in &app.indicators {
        assert_contains_text(&text, &i.name);
        if let Some(t) = &i.plan_target {
            assert_contains_text(&text, t);
        }
    }
    for m in &app.milestones {
        assert_contains_text(&text, &format!("{}{}{}", m.code, m.name, m.due));
    }
    // The budget's totals exactly as the engine formats them, and the cap.
    let schema = schema_of(&call);
    let t = budget::totals(&schema, &app.budget);
    assert_contains_text(&text, &format!("总计 {} 万元", t.grand.total().wan()));
    // The grand-total rows: per year and overall, fiscal, then both sources.
    let row = |pick: fn(budget::Sources) -> String| {
        let mut v: Vec<String> = app.budget.years.iter().map(|y| pick(t.year(*y))).collect();
        v.push(pick(t.grand));
        v.join(" ")
    };
    assert_contains_text(&text, &format!("财政 {}", row(|s| s.fiscal.wan())));
    assert_contains_text(&text, &format!("合计 {}", row(|s| s.total().wan())));
    let cap = schema.indirect_cap(t.direct.fiscal, t.equipment_purchase.fiscal, call.budget.pure_theory);
    assert_contains_text(&text, &format!("间接费用上限（财政资金）：{} 万元", cap.wan()));
    // Subtotal rows of the older provincial schema (差旅费/会议费/国际合作与交流费 …).
    let sub = schema.categories.iter().find(|c| !schema.is_leaf(&c.code) && c.parent.is_some()).unwrap();
    assert_contains_text(&text, &sub.name.zh);
    // Attachments with their hashes; experts to avoid.
    for a in &app.attachments {
        assert_contains_text(&text, &a.name);
        assert_contains_text(&text, &a.sha256);
    }
    assert_contains_text(&text, &app.avoid_experts[0].reason);
    // The 承诺书: every pledge the call requires, and the boxes.
    for p in required_pledges(&call) {
        assert_contains_text(&text, &p.text.zh);
    }
    assert_contains_text(&text, "项目负责人签字：");
    assert_contains_text(&text, "申报单位（公章）：");
    // A draft says so; pages are numbered.
    assert_contains_text(&text, "草稿");
    assert_contains_text(&text, &format!("第 1 页，共 {} 页", pdf.pages));
    assert_contains_text(&text, &format!("第 {0} 页，共 {0} 页", pdf.pages));
    // The figure of 研究内容与技术路线: the demo's 480 × 160 PNG, drawn once.
    assert_eq!(pdfimages(&pdf.bytes), vec![(480, 160)]);
    assert_contains_text(&text, "图 1 技术路线图");
}
