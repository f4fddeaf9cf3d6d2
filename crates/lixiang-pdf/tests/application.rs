//! The printed 申报书, its 承诺书 and the call's publication PDF, made from real workspaces (a demo
//! draft with its files in the blob store; a version sealed, submitted and received through real
//! package files) and read back with poppler: the text people must find is there, the budget's totals
//! are the engine's figures, the figure is drawn, every font is embedded, a sealed version carries its
//! hash and a draft its mark.

mod common;
use common::*;

use lixiang_core::application::desk;
use lixiang_core::application::print::{print_source, Figure, FigureGap, PrintSource, Printed};
use lixiang_core::application::{demo_application, required_pledges, Block, Span};
use lixiang_core::budget;
use lixiang_core::call::{self, desk as calls, Call, CallStatus, Contest, Mode};
use lixiang_core::identity::{self, keybox::KdfParams, Role};
use lixiang_core::import::{self, Trust};
use lixiang_core::package::Limits;
use lixiang_core::{CoreError, Lang, Workspace};
use lixiang_pdf::application::{application_pdf, Part};
use lixiang_pdf::MissingGlyph;
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

/// The office publishes `programme`'s demo call, an institute imports it and submits its demo draft
/// (version 1), the office imports the submission: (institute, office, application id, version hash,
/// 申报编号).
fn submitted(dir: &Path, programme: &str) -> (Workspace, Workspace, String, String, String) {
    let party = |sub: &str, role, name| {
        let mut ws = Workspace::open(&dir.join(sub)).unwrap();
        let c = identity::create(&mut ws, role, name, "passphrase!", KdfParams::FOR_TESTS).unwrap();
        (ws, c.keys, c.info.fingerprint)
    };
    let (mut office, office_keys, office_fp) = party("office", Role::Office, "科技厅");
    let (mut institute, inst_keys, inst_fp) = party("institute", Role::Applicant, "农牧科学院");
    let call = demo_call(programme);
    calls::save_draft(&mut office, &call).unwrap();
    calls::publish(&mut office, &call.code, call.opens_at).unwrap();
    let call_pkg = dir.join("call.lxpkg");
    calls::export(&mut office, &office_keys, &call.code, &call_pkg).unwrap();
    import::import_file(&mut institute, &call_pkg, None, &Trust::Fingerprint(office_fp), &Limits::default()).unwrap();
    let id = desk::new_demo_draft(&mut institute, &call.code).unwrap().id.to_string();
    let sub = dir.join("submission.lxpkg");
    let s = desk::submit(&mut institute, &inst_keys, &id, call.opens_at, &sub).unwrap();
    import::import_file(&mut office, &sub, Some(&office_keys), &Trust::Fingerprint(inst_fp), &Limits::default())
        .unwrap();
    let number = desk::received(&mut office).unwrap().remove(0).number;
    (institute, office, id, s.sha256, number)
}

#[test]
fn a_sealed_version_prints_its_number_and_hash_and_no_draft_mark() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut institute, mut office, id, sha256, number) = submitted(tmp.path(), "ZX06");

    // The applicant prints version 1; the draft (same content) still prints as a draft.
    let v1 = application_pdf(&mut institute, &id, Some(1), Part::Full, &opts(Lang::Zh)).unwrap();
    let text = pdftotext(&v1.bytes);
    assert_contains_text(&text, "第 1 版");
    assert_contains_text(&text, &sha256);
    assert!(!squeeze(&text).contains("草稿"), "a sealed version carries no draft mark:\n{text}");
    let draft = pdftotext(&application_pdf(&mut institute, &id, None, Part::Full, &opts(Lang::Zh)).unwrap().bytes);
    assert_contains_text(&draft, "草稿");
    assert!(!squeeze(&draft).contains(&sha256), "a draft shows no version hash");

    // The published call prints without the draft mark its drafts carry.
    let call_code = print_source(&mut office, &number, None).unwrap().call.code;
    let published = pdftotext(&lixiang_pdf::call::call_pdf(&mut office, &call_code, &opts(Lang::Zh)).unwrap().bytes);
    assert_contains_text(&published, "已发布");
    assert!(!squeeze(&published).contains("草稿"), "{published}");

    // The office prints what it received, found by its 申报编号, with the number on the cover.
    let src = print_source(&mut office, &number, None).unwrap();
    assert_eq!(src.printed, Printed::Version { number: 1, sha256: sha256.clone(), sealed_at: src_sealed_at(&src) });
    assert_eq!(src.number.as_deref(), Some(number.as_str()));
    let at_office = pdftotext(&lixiang_pdf::application::render(&src, Part::Full, &opts(Lang::Zh)).unwrap().bytes);
    assert_contains_text(&at_office, &format!("申报编号 {number}"));
    assert_contains_text(&at_office, &sha256);
    // The figure travelled in the package and is drawn at the office too.
    assert!(matches!(src.figures.values().next(), Some(Figure::Png(_))));

    // A version that does not exist is not found; one whose bytes were altered is refused.
    let err = application_pdf(&mut institute, &id, Some(7), Part::Full, &opts(Lang::Zh)).unwrap_err();
    assert!(matches!(err, CoreError::NotFound { .. }), "{err:?}");
    let db = tmp.path().join("institute").join("lixiang.db");
    drop(institute);
    tamper_version(&db, &id);
    let mut institute = Workspace::open(&tmp.path().join("institute")).unwrap();
    let err = application_pdf(&mut institute, &id, Some(1), Part::Full, &opts(Lang::Zh)).unwrap_err();
    assert!(matches!(&err, CoreError::Validation { reason, .. } if reason.contains("SHA-256")), "{err:?}");
}

fn src_sealed_at(src: &PrintSource) -> String {
    match &src.printed {
        Printed::Version { sealed_at, .. } => sealed_at.clone(),
        Printed::Draft => String::new(),
    }
}

/// Changes one byte of the stored version, as a damaged or edited database would.
fn tamper_version(db: &Path, id: &str) {
    let conn = rusqlite::Connection::open(db).unwrap();
    let n = conn
        .execute(
            "UPDATE application_version SET bytes = CAST(replace(CAST(bytes AS TEXT), '示例', '实例') AS BLOB)
             WHERE application_id = ?1",
            [id],
        )
        .unwrap();
    assert_eq!(n, 1);
}

#[test]
fn the_pledge_pages_print_alone_with_the_boxes_to_sign_and_stamp() {
    let tmp = tempfile::tempdir().unwrap();
    // A race: the 军令状, the negative list and the race's terms join the three standard pledges.
    let (mut ws, call, id) = draft_workspace(tmp.path(), "ZX05");
    assert!(matches!(&call.mode, Mode::Challenge(c) if matches!(c.contest, Contest::Race(_))));
    let pdf = application_pdf(&mut ws, &id, None, Part::PledgeOnly, &opts(Lang::Zh)).unwrap();
    assert_eq!(pdf.pages, 1);
    let text = pdftotext(&pdf.bytes);
    let pledges = required_pledges(&call);
    assert_eq!(pledges.len(), 6, "integrity, ethics, confidentiality, 军令状, negative list, race terms");
    for p in &pledges {
        assert_contains_text(&text, &p.text.zh);
    }
    assert_contains_text(&text, "承诺书");
    assert_contains_text(&text, "项目负责人签字：");
    assert_contains_text(&text, "申报单位（公章）：");
    assert_contains_text(&text, "年月日");
    assert!(!squeeze(&text).contains("经费预算"), "only the pledge pages:\n{text}");

    // A pledge not yet accepted in the draft says so on paper.
    let mut app = desk::get_draft(&mut ws, &id).unwrap();
    app.pledges.insert("challenge_pledge".into(), false);
    desk::save_draft(&mut ws, &app).unwrap();
    let text = pdftotext(&application_pdf(&mut ws, &id, None, Part::PledgeOnly, &opts(Lang::Zh)).unwrap().bytes);
    assert_contains_text(&text, &format!("{}（尚未在申报书中确认）", pledges[3].text.zh));
}

#[test]
fn every_font_of_the_application_and_call_is_embedded() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut ws, call, id) = draft_workspace(tmp.path(), "ZX06");
    let app_pdf = application_pdf(&mut ws, &id, None, Part::Full, &opts(Lang::Zh)).unwrap();
    let call_pdf = lixiang_pdf::call::call_pdf(&mut ws, &call.code, &opts(Lang::Zh)).unwrap();
    for pdf in [&app_pdf, &call_pdf] {
        let fonts = pdffonts(&pdf.bytes);
        assert!(fonts.iter().any(|f| f.name.contains("NotoSansCJKsc-Bold")), "{fonts:?}");
        for f in &fonts {
            assert!(f.emb && f.sub, "font not embedded as a subset: {}", f.line);
        }
    }
}

#[test]
fn a_title_with_a_rare_character_prints_and_one_no_font_has_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut ws, _call, id) = draft_workspace(tmp.path(), "ZX06");
    let mut app = desk::get_draft(&mut ws, &id).unwrap();
    // 𬌗 (U+2C317, CJK Extension E) is in Noto Sans CJK SC, regular and bold: the title is bold on the cover.
    app.title = "牙𬌗畸形矫治技术研究".into();
    desk::save_draft(&mut ws, &app).unwrap();
    let text = pdftotext(&application_pdf(&mut ws, &id, None, Part::Full, &opts(Lang::Zh)).unwrap().bytes);
    assert_contains_text(&text, "牙𬌗畸形矫治技术研究");

    // A private-use character has no glyph anywhere: refused, naming it and its first page (the cover).
    app.title = "牙\u{E000}畸形".into();
    desk::save_draft(&mut ws, &app).unwrap();
    let err = application_pdf(&mut ws, &id, None, Part::Full, &opts(Lang::Zh)).unwrap_err();
    assert_eq!(err.code(), "pdf.missing_glyph");
    match &err {
        CoreError::MissingGlyphs { glyphs, .. } => assert_eq!(glyphs[0], MissingGlyph { page: 1, ch: '\u{E000}' }),
        other => panic!("expected MissingGlyphs, got {other:?}"),
    }
}

#[test]
fn a_figure_that_cannot_be_drawn_is_named_in_its_place() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut ws, _call, id) = draft_workspace(tmp.path(), "ZX06");
    let app = desk::get_draft(&mut ws, &id).unwrap();
    let pdf_attachment = app.attachments.iter().find(|a| a.media_type == "application/pdf").unwrap().clone();
    let mut src = print_source(&mut ws, &id, None).unwrap();
    let content = src.app.sections.get_mut("content").unwrap();
    // A PDF used as a figure, a file missing from the workspace, and a PNG that does not decode.
    let broken_png = "ab".repeat(32);
    for sha in [pdf_attachment.sha256.clone(), "cd".repeat(32), broken_png.clone()] {
        content.blocks.push(Block::Image { sha256: sha, caption: vec![Span::plain("图")] });
    }
    src.figures.insert(pdf_attachment.sha256.clone(), Figure::Unavailable(FigureGap::NotAnImage));
    src.figures.insert(broken_png, Figure::Png(b"\x89PNG\r\n\x1a\nnot really".to_vec()));
    let pdf = lixiang_pdf::application::render(&src, Part::Full, &opts(Lang::Zh)).unwrap();
    let text = pdftotext(&pdf.bytes);
    assert_contains_text(&text, &format!("［图未能打印：{}——不是 PNG 或 JPEG 图片］", pdf_attachment.name));
    assert_contains_text(&text, "文件不在本工作区");
    assert_contains_text(&text, "图片无法解码");
    // Only the good figure is drawn.
    assert_eq!(pdfimages(&pdf.bytes), vec![(480, 160)]);
}

#[test]
fn english_headings_leave_the_application_as_typed() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut ws, _call, id) = draft_workspace(tmp.path(), "ZX06");
    let app = desk::get_draft(&mut ws, &id).unwrap();
    let pdf = application_pdf(&mut ws, &id, None, Part::Full, &opts(Lang::En)).unwrap();
    let text = pdftotext(&pdf.bytes);
    assert_contains_text(&text, "Project application");
    assert_contains_text(&text, "Applicant unit (公章, official seal):");
    assert_contains_text(&text, &format!("Page 1 of {}", pdf.pages));
    assert_contains_text(&text, &app.title);
}

/// The job of the ZX06 demo application, made without a workspace so it is the same on every machine.
fn demo_source(lang_call: &str) -> PrintSource {
    let call = demo_call(lang_call);
    let app = demo_application(&call);
    let figures = app
        .sections
        .values()
        .flat_map(|t| t.images())
        .map(|sha| (sha.to_string(), Figure::Png(desk::DEMO_FIGURE_PNG.to_vec())))
        .collect();
    PrintSource {
        schema: Some(schema_of(&call)),
        catalog: lixiang_core::catalog::embedded().unwrap(),
        printed: Printed::Draft,
        number: None,
        figures,
        app,
        call,
    }
}

#[test]
fn the_application_job_matches_its_snapshot() {
    let job = lixiang_pdf::application::job(&demo_source("ZX06"), Part::Full, &opts(Lang::Zh));
    assert_eq!(job.files.0.len(), 1, "the figure is in the world");
    insta::assert_snapshot!("application_main_typ", job.main);
    insta::assert_json_snapshot!("application_data_json", job.data, { ".meta.created" => "[created]" });
    // A sealed version, only its pledge pages: the cover rows carry the version and its hash.
    let mut src = demo_source("ZX06");
    src.printed =
        Printed::Version { number: 2, sha256: "0f".repeat(32), sealed_at: "2027-01-10T10:00:00+08:00".into() };
    let job = lixiang_pdf::application::job(&src, Part::PledgeOnly, &opts(Lang::Zh));
    insta::assert_json_snapshot!("application_sealed_pledge_json", job.data, { ".meta.created" => "[created]" });
}

#[test]
fn the_call_prints_its_code_closing_time_indicators_and_what_its_mode_adds() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open(tmp.path()).unwrap();
    for call in call::demo_calls().unwrap() {
        calls::save_draft(&mut ws, &call).unwrap();
        let start = Instant::now();
        let pdf = lixiang_pdf::call::call_pdf(&mut ws, &call.code, &opts(Lang::Zh)).unwrap();
        eprintln!("call {}: {} pages in {:?}", call.code, pdf.pages, start.elapsed());
        let text = pdftotext(&pdf.bytes);
        assert_contains_text(&text, &call.code);
        assert_contains_text(&text, &call.title.zh);
        assert_contains_text(&text, "草稿（未发布）");
        // The closing time as set, with its zone.
        let closes = call.closes_at.to_string();
        assert_contains_text(&text, &format!("申报截止时间 {} {}（北京时间）", &closes[..10], &closes[11..16]));
        assert_contains_text(&text, &format!("{} 万元", call.funding_per_project.wan()));
        for c in &call.core_indicators {
            assert_contains_text(&text, &format!("{}{}", c.code, c.name.zh));
            assert_contains_text(&text, &c.unit);
        }
        for s in &call.sections {
            assert_contains_text(&text, &s.name.zh);
        }
        for a in &call.attachments {
            assert_contains_text(&text, &a.name.zh);
        }
        for r in &call.review_plan.rounds {
            assert_contains_text(&text, &r.kind.name().zh);
        }
        match &call.mode {
            Mode::DirectedCommission { units } => {
                for u in units {
                    assert_contains_text(&text, &format!("{}{}", u.name, u.credit_code));
                }
            }
            Mode::Challenge(c) => {
                assert_contains_text(&text, &c.task.zh);
                assert_contains_text(&text, &c.end_user.name);
                match &c.contest {
                    Contest::Race(r) => {
                        for m in &r.milestones {
                            assert_contains_text(&text, &format!("{}{}{}", m.code, m.name.zh, m.due));
                            assert_contains_text(&text, &m.tranche.wan());
                        }
                    }
                    Contest::Bounty(b) => {
                        assert_contains_text(&text, &format!("悬赏金额 {} 万元", b.reward.wan()));
                        for amount in b.payouts() {
                            assert_contains_text(&text, &amount.wan());
                        }
                    }
                    Contest::Single => {}
                }
            }
            Mode::OpenCompetition { .. } => {}
        }
    }
}

#[test]
fn the_call_job_matches_its_snapshot() {
    // The bounty call: the mode with the most to print.
    let call = call::demo_calls().unwrap().into_iter().find(|c| c.programme == "ZX08").unwrap();
    assert!(matches!(&call.mode, Mode::Challenge(c) if matches!(c.contest, Contest::Bounty(_))));
    let cat = lixiang_core::catalog::embedded().unwrap();
    let schema = schema_of(&call);
    let job = lixiang_pdf::call::job(&call, &cat, Some(&schema), &opts(Lang::Zh));
    insta::assert_json_snapshot!("call_data_json", job.data, { ".meta.created" => "[created]" });
}

#[test]
fn a_call_under_a_schema_added_here_prints_its_caps() {
    // A schema no build ships (17 % on the first tier, 80 万元 equipment threshold), added from a file.
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open(&tmp.path().join("office")).unwrap();
    let text = budget::EMBEDDED_SCHEMAS[0]
        .1
        .replacen("code = \"central-2021\"", "code = \"pilot-2027\"", 1)
        .replacen("rate_percent = 30", "rate_percent = 17", 1)
        .replacen("equipment_detail_threshold_wan = 50", "equipment_detail_threshold_wan = 80", 1);
    let file = tmp.path().join("pilot-2027.toml");
    std::fs::write(&file, text).unwrap();
    budget::held::add_file(&mut ws, &file).unwrap();
    let mut call = demo_call("ZX06");
    call.budget.schema = budget::SchemaRef { code: "pilot-2027".into(), version: 1 };
    call.budget.pure_theory = false;
    calls::save_draft(&mut ws, &call).unwrap();

    let text = pdftotext(&lixiang_pdf::call::call_pdf(&mut ws, &call.code, &opts(Lang::Zh)).unwrap().bytes);
    assert_contains_text(&text, "中央财政科研项目经费（2021年改革）（pilot-2027 v1）");
    assert_contains_text(&text, "500 万元及以下部分 17%");
    assert_contains_text(&text, "单价 80.0000 万元及以上的设备须单列测算依据");
    let en = pdftotext(&lixiang_pdf::call::call_pdf(&mut ws, &call.code, &opts(Lang::En)).unwrap().bytes);
    assert_contains_text(&en, "17% up to 500 万元");
}
