//! Paper sheets on a real expert's laptop (the review journey's world): the template read back with
//! calamine, a sheet filled as Excel would hold it (numbers as numbers), imported and sealed; and every
//! bad cell reported with nothing written.

use super::*;
use crate::import::Trust;
use crate::report::workbook::inspect::Book as Styled;
use crate::review::sheet::SealedSheet;
use crate::review::tests::{full_draft, import as receive, issue_all, world, world_with, World};
use crate::review::{office, ItemContent};
use lixiang_store::SheetRow;
use std::path::Path;

/// One sheet's cells by (row, column), from 0.
type Cells = BTreeMap<(u32, u32), Data>;

/// A workbook's cells by sheet, to read a template and write it back filled in.
struct Book {
    sheets: Vec<(String, Cells)>,
}

impl Book {
    fn read(bytes: &[u8]) -> Book {
        let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let mut sheets = Vec::new();
        for name in wb.sheet_names() {
            let range = wb.worksheet_range(&name).unwrap();
            let mut cells = BTreeMap::new();
            if let (Some((r0, c0)), Some((r1, c1))) = (range.start(), range.end()) {
                for r in r0..=r1 {
                    for c in c0..=c1 {
                        match range.get_value((r, c)) {
                            None | Some(Data::Empty) => {}
                            Some(d) => {
                                cells.insert((r, c), d.clone());
                            }
                        }
                    }
                }
            }
            sheets.push((name, cells));
        }
        Book { sheets }
    }

    fn cells(&mut self, sheet: &str) -> &mut Cells {
        &mut self.sheets.iter_mut().find(|(n, _)| n == sheet).unwrap().1
    }

    fn col(&mut self, header: &str) -> u32 {
        let cells = self.cells(SHEET);
        cells.iter().find(|((r, _), d)| *r == 0 && cell_text(d) == header).map(|((_, c), _)| *c).unwrap()
    }

    /// The value at an Excel row (the header is row 1) under a header of 评分表.
    fn get(&mut self, row: u32, header: &str) -> Data {
        let c = self.col(header);
        self.cells(SHEET).get(&(row - 1, c)).cloned().unwrap_or(Data::Empty)
    }

    fn set(&mut self, row: u32, header: &str, value: Data) {
        let c = self.col(header);
        self.cells(SHEET).insert((row - 1, c), value);
    }

    /// Replaces a value of 说明 (column B beside its label).
    fn set_info(&mut self, label: &str, value: &str) {
        let cells = self.cells(INFO_SHEET);
        let r = cells.iter().find(|((_, c), d)| *c == 0 && cell_text(d) == label).map(|((r, _), _)| *r).unwrap();
        cells.insert((r, 1), Data::String(value.into()));
    }

    fn data_rows(&mut self) -> u32 {
        self.cells(SHEET).keys().map(|(r, _)| *r).max().unwrap_or(0)
    }

    fn bytes(&self) -> Vec<u8> {
        let mut wb = Workbook::new();
        for (name, cells) in &self.sheets {
            let ws = wb.add_worksheet();
            ws.set_name(name).unwrap();
            for ((r, c), d) in cells {
                match d {
                    Data::Float(f) => ws.write_number(*r, *c as u16, *f).unwrap(),
                    Data::Int(i) => ws.write_number(*r, *c as u16, *i as f64).unwrap(),
                    other => ws.write_string(*r, *c as u16, cell_text(other)).unwrap(),
                };
            }
        }
        wb.save_to_buffer().unwrap()
    }
}

fn s(t: &str) -> Data {
    Data::String(t.into())
}

/// The review world with one expert's packet imported on their laptop.
fn held_packet() -> (World, String, String, Vec<String>) {
    held_packet_in(world(false))
}

fn held_packet_in(mut w: World) -> (World, String, String, Vec<String>) {
    let packets = issue_all(&mut w, "packets");
    let p = packets.iter().max_by_key(|p| p.items.len()).unwrap().clone();
    assert!(p.items.len() >= 2);
    let fp = w.office.fp.clone();
    receive(w.expert(&p.expert_number), Path::new(&p.path), Trust::Fingerprint(fp)).unwrap();
    (w, p.expert_number, p.packet_id, p.items)
}

/// Fills an Excel row with what [`full_draft`] types on screen, the scores as numbers.
fn fill(book: &mut Book, row: u32, number: &str, form: &Form, share: f64, grade: Grade) {
    let d = full_draft(form, share, grade);
    book.set(row, NUMBER, s(number));
    for c in columns(form).unwrap() {
        match c.kind {
            Kind::Score(_) => book.set(row, &c.header, Data::Float(d.scores[&c.id].parse().unwrap())),
            Kind::Strengths => book.set(row, &c.header, s(&d.strengths)),
            Kind::Weaknesses => book.set(row, &c.header, s(&d.weaknesses)),
            Kind::Grade => book.set(row, &c.header, s(&format!("{grade:?}"))),
            _ => {}
        }
    }
}

fn sheets(w: &mut World, expert: &str, packet: &str) -> Vec<SheetRow> {
    w.expert(expert).ws.store.read(|r| r.review_sheets(packet)).unwrap()
}

fn rejected(e: CoreError) -> Vec<(usize, String)> {
    match e {
        CoreError::FileRejected { problems, .. } => problems.into_iter().map(|p| (p.row, p.column)).collect(),
        other => panic!("expected a rejected file, got {other:?}"),
    }
}

fn header_of(form: &Form, i: usize) -> String {
    columns(form).unwrap().into_iter().filter(|c| matches!(c.kind, Kind::Score(_))).nth(i).unwrap().header
}

#[test]
fn the_template_has_a_row_per_open_item_with_its_number_as_text_and_the_bands() {
    let (mut w, e, packet, items) = held_packet();
    let ws = &mut w.expert(&e).ws;
    let h = expert::held(ws, &packet).unwrap();
    let form = h.payload.form.clone();
    let Form::Scored(rubric) = &form else { panic!("a scored round") };
    let mut book = Book::read(&template(ws, &packet).unwrap());
    assert_eq!(book.sheets.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), [SHEET, INFO_SHEET]);

    // Headers: number, title, one column per criterion with its range, then the written parts.
    let headers: Vec<String> =
        book.cells(SHEET).iter().filter(|((r, _), _)| *r == 0).map(|(_, d)| cell_text(d)).collect();
    let mut want = vec![NUMBER.to_string(), TITLE.to_string()];
    want.extend(rubric.criteria.iter().map(|c| format!("{}（0–{}）", c.name.zh, c.weight)));
    want.extend([STRENGTHS, WEAKNESSES, GRADE].map(String::from));
    assert_eq!(headers, want);
    // One row per item, the 申报编号 a string cell, the title beside it.
    assert_eq!(book.data_rows(), items.len() as u32);
    for (i, n) in items.iter().enumerate() {
        assert_eq!(book.get(i as u32 + 2, NUMBER), Data::String(n.clone()));
        let title = cell_text(&book.get(i as u32 + 2, TITLE));
        assert!(title.starts_with("青稞示范项目"), "{title}");
    }
    // 说明 names the packet and the form version, and shows every band's anchor.
    let info: Vec<String> = book.cells(INFO_SHEET).values().map(cell_text).collect();
    assert!(info.contains(&packet) && info.contains(&h.payload.form_sha256));
    for b in rubric.criteria.iter().flat_map(|c| &c.bands) {
        assert!(info.contains(&b.text.zh), "band {:?} missing", b.text.zh);
    }

    // The shared workbook style, read from the file's XML: the header bold and shaded, 申报编号 a text
    // column ("@") and text cells, the score columns not text (a typed score stays a number), the header
    // and the number and title frozen; in 说明 the ids the import checks are text cells.
    let bytes = template(ws, &packet).unwrap();
    let styled = Styled::read(&bytes);
    for c in 0..want.len() as u16 {
        assert!(styled.cell(SHEET, 0, c).is_header(), "header {c}: {:?}", styled.cell(SHEET, 0, c));
    }
    assert_eq!(styled.column(SHEET, 0).num_format, "@");
    for r in 1..=items.len() as u32 {
        assert_eq!(styled.cell(SHEET, r, 0).num_format, "@", "row {r}");
    }
    assert_eq!(styled.column(SHEET, 2).num_format, "General");
    assert_eq!(styled.frozen(SHEET), (1, 2));
    assert!(styled.has_note(SHEET, 0, 2), "the bands on the first criterion's header");
    let mut info_row = |label: &str| {
        let cells = book.cells(INFO_SHEET);
        cells.iter().find(|((_, c), d)| *c == 0 && cell_text(d) == label).map(|((r, _), _)| *r).unwrap()
    };
    for label in [INFO_PACKET, INFO_FORM] {
        let r = info_row(label);
        assert_eq!(styled.cell(INFO_SHEET, r, 1).num_format, "@", "{label}");
        assert!(styled.cell(INFO_SHEET, r, 0).bold);
    }

    // A draft typed on screen is carried into the template; a conflict or a seal takes the item out.
    let c0 = &rubric.criteria[0];
    let mut d = SheetDraft { strengths: "思路新".into(), ..SheetDraft::default() };
    d.scores.insert(c0.id.clone(), "7.5".into());
    expert::save_draft(ws, &packet, &items[0], &d).unwrap();
    expert::declare_conflict(ws, &packet, &items[1], "同一单位").unwrap();
    let mut book = Book::read(&template(ws, &packet).unwrap());
    assert_eq!(book.data_rows(), 1);
    assert_eq!(book.get(2, NUMBER), Data::String(items[0].clone()));
    assert_eq!(book.get(2, &header_of(&form, 0)), Data::Float(7.5));
    assert_eq!(book.get(2, STRENGTHS), s("思路新"));
    assert!(matches!(h.payload.items[0].content, ItemContent::Full { .. }));
}

#[test]
fn a_filled_sheet_seals_as_typing_does_and_the_office_takes_the_return() {
    let (mut w, e, packet, items) = held_packet();
    let form = expert::held(&mut w.expert(&e).ws, &packet).unwrap().payload.form.clone();
    let mut book = Book::read(&template(&mut w.expert(&e).ws, &packet).unwrap());
    let marks = [(0.8, Grade::B), (0.55, Grade::C)];
    for (i, n) in items.iter().enumerate() {
        fill(&mut book, i as u32 + 2, n, &form, marks[i].0, marks[i].1);
    }
    let bytes = book.bytes();
    let out = import(&mut w.expert(&e).ws, &packet, "纸质评分表.xlsx", &bytes, true).unwrap();
    assert_eq!(out.receipts.len(), items.len());
    assert!(out.skipped.is_empty() && out.rows.iter().all(|r| r.problems.is_empty()));

    let rows = sheets(&mut w, &e, &packet);
    let held = expert::held(&mut w.expert(&e).ws, &packet).unwrap();
    for (i, n) in items.iter().enumerate() {
        let row = rows.iter().find(|r| &r.number == n).unwrap();
        let text = row.sealed.as_deref().expect("sealed");
        // The receipt is the SHA-256 of the sealed text, as for a sheet sealed on screen …
        let receipt = out.receipts.iter().find(|r| &r.number == n).unwrap();
        assert_eq!(lixiang_store::sha256_hex(text.as_bytes()), receipt.receipt_sha256);
        assert_eq!(row.receipt_sha256.as_deref(), Some(receipt.receipt_sha256.as_str()));
        // … and it says what typing the same values would have sealed.
        let sealed: SealedSheet = serde_json::from_str(text).unwrap();
        let typed = sheet::check(&form, &full_draft(&form, marks[i].0, marks[i].1));
        assert_eq!(Some(sealed.marks), typed.marks);
        assert_eq!(
            (sealed.form_sha256.as_str(), sealed.expert_number.as_str(), sealed.number.as_str()),
            (held.payload.form_sha256.as_str(), e.as_str(), n.as_str())
        );
        assert_eq!(receipt.total, typed.total.map(|t| t.to_string()));
    }
    // The same file again: every row is now a sealed item, and nothing changes.
    let err = import(&mut w.expert(&e).ws, &packet, "again.xlsx", &bytes, false).unwrap_err();
    assert_eq!(rejected(err), [(2, NUMBER.to_string()), (3, NUMBER.to_string())]);
    assert_eq!(sheets(&mut w, &e, &packet), rows);

    // The return carries them; the office accepts them into the round.
    let ret = w.path("paper-return.lxpkg");
    let ex = w.expert(&e);
    expert::write_return(&mut ex.ws, &ex.keys, &packet, &ret).unwrap();
    crate::import::import_file(
        &mut w.office.ws,
        &ret,
        Some(&w.office.keys),
        &Trust::AskFirst,
        &crate::package::Limits::default(),
    )
    .unwrap();
    let code = w.call.code.clone();
    let got = office::round_sheets(&mut w.office.ws, &code, 1).unwrap();
    assert_eq!(got.iter().filter(|s| s.expert == e).count(), items.len());
}

#[test]
fn every_bad_cell_is_reported_and_nothing_is_written() {
    let (mut w, e, packet, items) = held_packet();
    let form = expert::held(&mut w.expert(&e).ws, &packet).unwrap().payload.form.clone();
    let Form::Scored(rubric) = &form else { panic!("a scored round") };
    let template_bytes = template(&mut w.expert(&e).ws, &packet).unwrap();
    let before = sheets(&mut w, &e, &packet);
    let (h0, h1, h2) = (header_of(&form, 0), header_of(&form, 1), header_of(&form, 2));

    // Two good rows, then an item from elsewhere and a repeated row full of bad cells.
    let mut book = Book::read(&template_bytes);
    fill(&mut book, 2, &items[0], &form, 0.8, Grade::B);
    fill(&mut book, 3, &items[1], &form, 0.7, Grade::B);
    fill(&mut book, 4, "2027-ZX06-999999", &form, 0.7, Grade::B);
    fill(&mut book, 5, &items[0], &form, 0.7, Grade::B);
    book.set(5, &h0, s("七分"));
    book.set(5, &h1, Data::Float(f64::from(rubric.criteria[1].weight) + 1.0));
    book.set(5, &h2, Data::Float(3.25));
    book.set(5, GRADE, s("E"));
    let bytes = book.bytes();
    for seal in [true, false] {
        let got = rejected(import(&mut w.expert(&e).ws, &packet, "bad.xlsx", &bytes, seal).unwrap_err());
        let want: Vec<(usize, String)> = vec![
            (4, NUMBER.into()),
            (5, NUMBER.into()),
            (5, h0.clone()),
            (5, h1.clone()),
            (5, h2.clone()),
            (5, GRADE.into()),
        ];
        assert_eq!(got, want, "seal = {seal}");
        assert_eq!(sheets(&mut w, &e, &packet), before, "nothing of a refused file is written");
    }

    // A missing grade: a bad cell when sealing, a draft still to finish otherwise.
    let mut book = Book::read(&template_bytes);
    fill(&mut book, 2, &items[0], &form, 0.8, Grade::B);
    fill(&mut book, 3, &items[1], &form, 0.7, Grade::B);
    book.set(3, GRADE, Data::Empty);
    let bytes = book.bytes();
    let got = rejected(import(&mut w.expert(&e).ws, &packet, "grade.xlsx", &bytes, true).unwrap_err());
    assert_eq!(got, [(3, GRADE.to_string())]);
    assert_eq!(sheets(&mut w, &e, &packet), before, "not even the good row was sealed");
    let out = import(&mut w.expert(&e).ws, &packet, "grade.xlsx", &bytes, false).unwrap();
    assert!(out.receipts.is_empty() && out.rows[0].problems.is_empty());
    assert_eq!(out.rows[1].problems.iter().map(|p| p.code.as_str()).collect::<Vec<_>>(), ["sheet.grade_missing"]);
    let st = expert::sheet_state(&mut w.expert(&e).ws, &packet, &items[1]).unwrap();
    assert_eq!((st.status.as_str(), st.draft.grade), ("draft", None));
    assert_eq!(st.draft.scores, full_draft(&form, 0.7, Grade::B).scores);

    // An empty row is skipped (the item keeps its draft); the filled one seals.
    let mut book = Book::read(&template_bytes);
    fill(&mut book, 3, &items[1], &form, 0.7, Grade::D);
    let out = import(&mut w.expert(&e).ws, &packet, "one.xlsx", &book.bytes(), true).unwrap();
    assert_eq!(out.skipped.iter().map(|r| (r.row, r.number.as_str())).collect::<Vec<_>>(), [(2, items[0].as_str())]);
    assert_eq!(out.receipts.iter().map(|r| r.number.as_str()).collect::<Vec<_>>(), [items[1].as_str()]);
    let st = expert::sheet_state(&mut w.expert(&e).ws, &packet, &items[0]).unwrap();
    assert_eq!((st.status.as_str(), &st.draft), ("draft", &full_draft(&form, 0.8, Grade::B)));

    // A total of 85 or more with D must be confirmed on paper too.
    let mut book = Book::read(&template(&mut w.expert(&e).ws, &packet).unwrap());
    fill(&mut book, 2, &items[0], &form, 0.9, Grade::D);
    let got = rejected(import(&mut w.expert(&e).ws, &packet, "d.xlsx", &book.bytes(), true).unwrap_err());
    assert_eq!(got, [(2, GRADE.to_string())]);
    book.set(2, GRADE, s(&format!("D {CONFIRMED}")));
    let out = import(&mut w.expert(&e).ws, &packet, "d.xlsx", &book.bytes(), true).unwrap();
    assert_eq!(out.receipts.len(), 1);

    // A sheet made for another packet or another version of the form is refused whole.
    let sealed = sheets(&mut w, &e, &packet);
    for (label, value) in [(INFO_PACKET, "0190aaaa-0000-7000-8000-000000000000"), (INFO_FORM, "0")] {
        let mut book = Book::read(&template_bytes);
        book.set_info(label, value);
        let got = rejected(import(&mut w.expert(&e).ws, &packet, "other.xlsx", &book.bytes(), false).unwrap_err());
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].1, label);
    }
    let err = import(&mut w.expert(&e).ws, &packet, "x.xlsx", b"not a workbook", false).unwrap_err();
    assert_eq!(err.code(), "input.file_rejected");
    assert_eq!(sheets(&mut w, &e, &packet), sealed);
}

#[test]
fn grades_and_verdicts_read_as_people_write_them() {
    assert_eq!(parse_grade("A"), Some((Grade::A, false)));
    assert_eq!(parse_grade("ｂ"), Some((Grade::B, false)));
    assert_eq!(parse_grade("C 可支持"), Some((Grade::C, false)));
    assert_eq!(parse_grade("不支持"), Some((Grade::D, false)));
    assert_eq!(parse_grade("D（已确认）"), Some((Grade::D, true)));
    assert_eq!(parse_grade("A 支持"), None, "a letter and another grade's label");
    assert_eq!(parse_grade("E"), None);
    assert_eq!(parse_grade("很好"), None);
    let feasibility = crate::call::review::VerdictScale::Feasibility.verdicts();
    assert_eq!(parse_verdict(feasibility, "修改后通过"), Some("pass_after_revision"));
    assert_eq!(parse_verdict(feasibility, "pass"), Some("pass"));
    assert_eq!(parse_verdict(feasibility, "达到"), None, "an acceptance verdict on a feasibility form");
}

#[test]
fn a_feasibility_sheet_has_a_column_per_verdict_item_and_seals_from_paper() {
    use crate::call::review::{RoundKind, VerdictForm, VerdictItem, VerdictScale};
    use crate::lang::Bilingual;
    let (mut w, e, packet, items) = held_packet_in(world_with(|c| {
        // A 现场考察 giving feasibility verdicts (the open call's mode has no 可行性论证 round, which
        // belongs to 定向委托): the sheet is the form's, whatever the round's kind.
        let r = &mut c.review_plan.rounds[0];
        r.kind = RoundKind::SiteVisit;
        r.form = Form::Verdicts(VerdictForm {
            template: None,
            scale: VerdictScale::Feasibility,
            items: vec![
                VerdictItem { id: "route".into(), name: Bilingual::new("技术路线", "technical route") },
                VerdictItem { id: "plan".into(), name: Bilingual::new("实施方案", "implementation plan") },
            ],
            per_core_indicator: false,
        });
    }));
    let ws = &mut w.expert(&e).ws;
    let mut book = Book::read(&template(ws, &packet).unwrap());
    let headers: Vec<String> =
        book.cells(SHEET).iter().filter(|((r, _), _)| *r == 0).map(|(_, d)| cell_text(d)).collect();
    let (route, plan) = ("技术路线（通过/修改后通过/不通过）", "实施方案（通过/修改后通过/不通过）");
    assert_eq!(headers, [NUMBER, TITLE, route, plan, OPINION]);

    book.set(2, route, s("通过"));
    book.set(2, plan, s("达到"));
    book.set(2, OPINION, s("方案可行，建议细化进度安排。"));
    book.set(3, route, s("修改后通过"));
    let got = rejected(import(ws, &packet, "v.xlsx", &book.bytes(), true).unwrap_err());
    assert_eq!(got, [(2, plan.to_string()), (3, plan.to_string()), (3, OPINION.to_string())]);

    book.set(2, plan, s("修改后通过"));
    book.set(3, route, Data::Empty);
    let out = import(ws, &packet, "v.xlsx", &book.bytes(), true).unwrap();
    assert_eq!(out.receipts.iter().map(|r| r.number.as_str()).collect::<Vec<_>>(), [items[0].as_str()]);
    let row = ws.store.read(|r| r.review_sheet(&packet, &items[0])).unwrap().unwrap();
    let sealed: SealedSheet = serde_json::from_str(row.sealed.as_deref().unwrap()).unwrap();
    let sheet::Marks::Verdicts { verdicts, opinion } = sealed.marks else { panic!("verdicts") };
    assert_eq!(
        verdicts.iter().map(|v| (v.item.as_str(), v.verdict)).collect::<Vec<_>>(),
        [("route", Verdict::Pass), ("plan", Verdict::PassAfterRevision)]
    );
    assert_eq!(opinion, "方案可行，建议细化进度安排。");
}
