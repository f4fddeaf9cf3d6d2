//! The PDF engine end to end, read back with the real poppler tools (pdftotext, pdffonts from
//! poppler-utils, installed by scripts/setup): the catalog's text comes back character for character,
//! rare CJK characters and Tibetan print and extract, every font is embedded as a subset, a character
//! no font has is refused with its page, and the same data and time give the same file.

use lixiang_core::catalog;
use lixiang_core::{CoreError, Lang};
use lixiang_pdf::text::TextDocument;
use lixiang_pdf::{Created, MissingGlyph, PdfError, RenderOptions};
use std::path::Path;

mod common;
use common::*;

fn rare_document() -> TextDocument {
    TextDocument {
        title: "字形检查".into(),
        paragraphs: vec!["申报人姓名用字：堃、喆、赟、𬌗，须与身份证件一致。".into(), "བོད་ལྗོངས་ཀྱི་ཚན་རིག".into()],
    }
}

#[test]
fn the_catalog_prints_every_programme_target_and_indicator_exactly() {
    let cat = catalog::embedded().unwrap();
    let pdf = lixiang_pdf::catalog::render(&cat, &opts(Lang::Zh)).unwrap();
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    let text = pdftotext(&pdf.bytes);

    assert_eq!(cat.programmes.len(), 8);
    for p in &cat.programmes {
        assert_contains_text(&text, &p.name);
        assert_contains_text(&text, &p.focus);
        for t in &p.targets {
            let range = if t.min == t.max { t.min.to_string() } else { format!("{}–{}", t.min, t.max) };
            // The row as it reads: code, indicator, range, unit.
            assert_contains_text(&text, &format!("{}{}{}{}", t.code, t.indicator, range, t.unit));
        }
    }
    assert_eq!(cat.plan_indicators.len(), 8);
    for i in &cat.plan_indicators {
        assert_contains_text(&text, &format!("{}{}（{}）", i.code, i.name, i.unit));
        assert_contains_text(&text, &format!("{}{}{}", i.baseline.printed, i.target.printed, i.change.printed));
    }
    for f in &cat.plan_footnotes {
        assert_contains_text(&text, &f.text);
    }
    // Header, title and footer with the fixed creation time and page count.
    assert_contains_text(&text, "西藏自治区“十四五”时期科技创新规划（藏政办发〔2021〕38号）");
    assert_contains_text(&text, "科技重大专项与规划指标目录");
    assert_contains_text(&text, "生成于 2026-05-01 10:00");
    assert_contains_text(&text, &format!("第 1 页，共 {} 页", pdf.pages));
    assert_contains_text(&text, &format!("第 {0} 页，共 {0} 页", pdf.pages));
    assert!(pdf.pages >= 2, "the programme table is long enough to span pages: {} page(s)", pdf.pages);
}

#[test]
fn the_catalog_table_repeats_its_header_on_every_page() {
    let cat = catalog::embedded().unwrap();
    let pdf = lixiang_pdf::catalog::render(&cat, &opts(Lang::Zh)).unwrap();
    let text = pdftotext(&pdf.bytes);
    // pdftotext separates pages with a form feed.
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert_eq!(pages.len(), pdf.pages);
    let programme_pages = pages.iter().filter(|p| squeeze(p).contains("代码考核目标目标值单位")).count();
    assert!(programme_pages >= 2, "the programme table's header should repeat:\n{text}");
}

#[test]
fn english_headings_leave_the_data_as_stored() {
    let cat = catalog::embedded().unwrap();
    let pdf = lixiang_pdf::catalog::render(&cat, &opts(Lang::En)).unwrap();
    let text = pdftotext(&pdf.bytes);
    assert_contains_text(&text, "Major special projects");
    assert_contains_text(&text, &format!("Page 1 of {}", pdf.pages));
    assert_contains_text(&text, &cat.programmes[0].name);
}

#[test]
fn rare_characters_and_tibetan_print_and_extract() {
    let doc = rare_document();
    let pdf = lixiang_pdf::text::render(&doc, &opts(Lang::Zh)).unwrap();
    let text = pdftotext(&pdf.bytes);
    assert!(text.contains("申报人姓名用字：堃、喆、赟、𬌗，须与身份证件一致。"), "{text}");
    assert!(text.contains("བོད་ལྗོངས་ཀྱི་ཚན་རིག"), "{text}");
}

#[test]
fn every_font_is_embedded_as_a_subset() {
    let cat = catalog::embedded().unwrap();
    for pdf in [
        lixiang_pdf::catalog::render(&cat, &opts(Lang::Zh)).unwrap(),
        lixiang_pdf::text::render(&rare_document(), &opts(Lang::Zh)).unwrap(),
    ] {
        let fonts = pdffonts(&pdf.bytes);
        assert!(!fonts.is_empty());
        for f in &fonts {
            assert!(f.emb, "font not embedded: {}", f.line);
            assert!(f.sub, "font not subset: {}", f.line);
        }
        assert!(fonts.iter().any(|f| f.name.contains("NotoSansCJKsc-Regular")), "{fonts:?}");
        assert!(fonts.iter().any(|f| f.name.contains("NotoSansCJKsc-Bold")), "{fonts:?}");
        // Only the glyphs used: the source collections are 20 MB each.
        assert!(pdf.bytes.len() < 1_000_000, "PDF is {} bytes", pdf.bytes.len());
    }
    let fonts = pdffonts(&lixiang_pdf::text::render(&rare_document(), &opts(Lang::Zh)).unwrap().bytes);
    assert!(fonts.iter().any(|f| f.name.contains("Tibetan_Machine_Uni")), "{fonts:?}");
}

#[test]
fn a_character_no_font_has_is_refused_with_its_page() {
    let mut doc = rare_document();
    doc.paragraphs.push("私用区字符\u{E000}不应被静默画成空框。".into());
    let err = lixiang_pdf::text::render(&doc, &opts(Lang::Zh)).unwrap_err();
    match &err {
        PdfError::MissingGlyphs { document, glyphs } => {
            assert_eq!(document, "字形检查");
            assert_eq!(glyphs, &vec![MissingGlyph { page: 1, ch: '\u{E000}' }]);
        }
        other => panic!("expected MissingGlyphs, got {other:?}"),
    }
    let core = CoreError::from(err);
    assert_eq!(core.code(), "pdf.missing_glyph");
    assert!(core.message(Lang::Zh).contains("字符 U+E000 无字形，第 1 页"), "{}", core.message(Lang::Zh));
}

#[test]
fn missing_glyphs_in_the_catalog_are_reported_on_their_pages() {
    let mut cat = catalog::embedded().unwrap();
    let pages = lixiang_pdf::catalog::render(&cat, &opts(Lang::Zh)).unwrap().pages;
    // A private-use character on the first page, an unassigned code point in the notes on the last.
    cat.programmes[0].targets[0].indicator.push('\u{E000}');
    cat.plan_footnotes.last_mut().unwrap().text.push('\u{0378}');
    match lixiang_pdf::catalog::render(&cat, &opts(Lang::Zh)).unwrap_err() {
        PdfError::MissingGlyphs { glyphs, .. } => assert_eq!(
            glyphs,
            vec![MissingGlyph { page: 1, ch: '\u{E000}' }, MissingGlyph { page: pages, ch: '\u{0378}' }]
        ),
        other => panic!("expected MissingGlyphs, got {other:?}"),
    }
}

#[test]
fn the_same_data_and_time_give_the_same_file() {
    let cat = catalog::embedded().unwrap();
    let a = lixiang_pdf::catalog::render(&cat, &opts(Lang::Zh)).unwrap();
    let b = lixiang_pdf::catalog::render(&cat, &opts(Lang::Zh)).unwrap();
    assert!(a.bytes == b.bytes, "two renders of the same catalog differ");
    let later = RenderOptions { lang: Lang::Zh, created: Created::from_unix(FIXED + 86_400) };
    let c = lixiang_pdf::catalog::render(&cat, &later).unwrap();
    assert!(a.bytes != c.bytes, "the creation time must be part of the file");
    assert!(pdftotext(&c.bytes).contains("2026-05-02 10:00"));
}

#[test]
fn the_catalog_job_matches_its_snapshot() {
    let cat = catalog::embedded().unwrap();
    let job = lixiang_pdf::catalog::job(&cat, &opts(Lang::Zh));
    insta::assert_snapshot!("catalog_main_typ", job.main);
    insta::assert_json_snapshot!("catalog_data_json", job.data, { ".meta.created" => "[created]" });
}

#[test]
fn the_font_files_come_from_the_declared_packages() {
    let set = lixiang_pdf::fonts::system().unwrap();
    let names: Vec<String> = set.files.iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
    // The files of Debian's fonts-noto-cjk and fonts-tibetan-machine, as scripts/setup installs them.
    assert_eq!(names, ["NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", "TibetanMachineUni.ttf"]);
    assert!(set.files.iter().all(|p| p.is_file() && Path::new(p).is_absolute()));
}

#[test]
fn a_broken_template_is_reported_with_its_file_and_line() {
    let cat = catalog::embedded().unwrap();
    let mut job = lixiang_pdf::catalog::job(&cat, &opts(Lang::Zh));
    job.main.push_str("#no-such-function()\n");
    match lixiang_pdf::render(&job, Created::from_unix(FIXED)).unwrap_err() {
        PdfError::Template { template, reason } => {
            assert_eq!(template, "templates/catalog.typ");
            assert!(reason.contains("main.typ:4"), "{reason}");
            assert!(reason.contains("no-such-function"), "{reason}");
        }
        other => panic!("expected Template, got {other:?}"),
    }
}

#[test]
fn nothing_is_fetched_at_run_time() {
    let cat = catalog::embedded().unwrap();
    let mut job = lixiang_pdf::catalog::job(&cat, &opts(Lang::Zh));
    // A typst package from the registry, and a file from the machine: neither is in the world.
    for import in ["#import \"@preview/tablex:0.0.8\": *\n", "#include \"/etc/hostname\"\n"] {
        job.main = import.to_string();
        let err = lixiang_pdf::render(&job, Created::from_unix(FIXED)).unwrap_err();
        assert!(matches!(err, PdfError::Template { .. }), "{import}: {err:?}");
    }
}
