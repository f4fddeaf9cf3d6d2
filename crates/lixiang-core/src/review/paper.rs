//! Paper score sheets: an xlsx template per held packet ([`template`]) for an expert who scores on
//! paper or in Excel, and the import of the typed sheet back into the packet's sheets ([`import`]).
//!
//! The template's 评分表 sheet holds one row per item still to score (not sealed, not declared a
//! conflict), pre-filled with what the item's draft already holds, so that importing a fresh template
//! loses nothing typed on screen. Its 说明 sheet names the packet, the call, the round and the form hash,
//! and lists the bands of each criterion so that a person scoring on paper sees the anchors the screen
//! shows. The import reads the packet id and the form hash back from 说明 and refuses a sheet made for
//! another packet or another version of the form.
//!
//! The import is all or nothing: every bad cell is reported with its row (as Excel shows it, the header
//! being row 1) and its column header, as [`CoreError::FileRejected`], and then nothing is written.
//! When every row is good, the drafts — and with `seal` the seals, made exactly as
//! [`super::expert::seal`] makes them, one audit event each — are written in one transaction.
//!
//! Empty cells mean "not scored on paper": a row whose sheet cells are all empty is skipped and its item
//! keeps its draft; a partly filled row replaces the item's draft as it stands (the template carried
//! that draft, so nothing is lost) and, when sealing is asked for, is a bad row with each missing cell
//! named. A grade that disagrees with the total (≥ 85 with D, < 60 with A) is confirmed on paper by
//! writing 已确认 after it (`D 已确认`): the paper form of the screen's consistency prompt.
//!
//! Columns are found by their header in row 1, so a reordered sheet still reads; reading follows
//! [`crate::expert::xlsx`]. Nothing here writes outside the workspace database.

use super::expert::{self, HeldPacket, SealedReceipt, Sealing};
use super::sheet::{self, parse_points, verdict_code, SheetDraft};
use super::view::title_of;
use crate::call::review::{Form, HalfPoints, Verdict};
use crate::error::CellProblem;
use crate::expert::xlsx::cell_text;
use crate::identity;
use crate::report::workbook::{header_row, Head, Styles};
use crate::score::Grade;
use crate::validate::{normalize, Problem};
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use calamine::{Data, Reader, Xlsx};
use lixiang_store::Unaudited;
use rust_xlsxwriter::Workbook;
use serde::Serialize;
use std::collections::BTreeMap;

/// The sheet people fill in.
pub const SHEET: &str = "评分表";
/// The sheet that identifies the packet and the form and lists the bands.
pub const INFO_SHEET: &str = "说明";

pub const NUMBER: &str = "申报编号";
pub const TITLE: &str = "项目名称";
pub const STRENGTHS: &str = "主要优点";
pub const WEAKNESSES: &str = "主要不足与建议";
pub const GRADE: &str = "总体评价（A/B/C/D）";
pub const OPINION: &str = "论证意见";
/// The labels in column A of 说明 whose value (column B) the import checks.
pub const INFO_PACKET: &str = "评审包编号";
pub const INFO_FORM: &str = "评分表哈希";
/// Written after a grade that disagrees with the total, to confirm it.
pub const CONFIRMED: &str = "已确认";

const GRADES: [(Grade, &str); 4] =
    [(Grade::A, "优先支持"), (Grade::B, "支持"), (Grade::C, "可支持"), (Grade::D, "不支持")];

/// What a column of 评分表 holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Number,
    Title,
    /// A criterion's score, with its maximum.
    Score(u32),
    Strengths,
    Weaknesses,
    Grade,
    Verdict,
    Opinion,
}

/// One column of 评分表: its header, the draft field it fills (as [`sheet::check`] names fields), and
/// what it holds.
#[derive(Debug, Clone)]
struct Column {
    header: String,
    field: String,
    kind: Kind,
    /// The criterion or verdict item's id.
    id: String,
    note: String,
    width: u16,
}

fn column(header: impl Into<String>, field: impl Into<String>, kind: Kind, width: u16, note: String) -> Column {
    Column { header: header.into(), field: field.into(), kind, id: String::new(), note, width }
}

fn grade_note() -> String {
    format!(
        "A 优先支持 / B 支持 / C 可支持 / D 不支持。总分 ≥ 85 而评 D、或 < 60 而评 A 时，请在评价后写“{CONFIRMED}”，如 D {CONFIRMED}。"
    )
}

/// The columns of 评分表 for a form, in order. A panel vote has no score sheet.
fn columns(form: &Form) -> Result<Vec<Column>> {
    let mut cols = vec![
        column(NUMBER, "", Kind::Number, 20, "勿修改：导入时按申报编号对应申报书。".into()),
        column(TITLE, "", Kind::Title, 30, String::new()),
    ];
    match form {
        Form::Scored(rubric) => {
            for c in &rubric.criteria {
                let bands: Vec<String> =
                    c.bands.iter().map(|b| format!("{}–{} 分：{}", b.low, b.high, b.text.zh)).collect();
                cols.push(Column {
                    id: c.id.clone(),
                    ..column(
                        format!("{}（0–{}）", c.name.zh, c.weight),
                        format!("scores.{}", c.id),
                        Kind::Score(c.weight),
                        14,
                        format!("0 至 {} 分，0.5 分的整数倍。\n{}", c.weight, bands.join("\n")),
                    )
                });
            }
            cols.push(column(STRENGTHS, "strengths", Kind::Strengths, 30, String::new()));
            cols.push(column(WEAKNESSES, "weaknesses", Kind::Weaknesses, 30, String::new()));
            cols.push(column(GRADE, "grade", Kind::Grade, 14, grade_note()));
        }
        Form::Verdicts(v) => {
            let names: Vec<String> = v.scale.verdicts().iter().map(|x| x.name().zh).collect();
            for item in &v.items {
                cols.push(Column {
                    id: item.id.clone(),
                    ..column(
                        format!("{}（{}）", item.name.zh, names.join("/")),
                        format!("verdicts.{}", item.id),
                        Kind::Verdict,
                        16,
                        format!("填写：{}", names.join("、")),
                    )
                });
            }
            cols.push(column(OPINION, "opinion", Kind::Opinion, 40, String::new()));
        }
        Form::Vote => {
            return Err(CoreError::Validation {
                field: "form".into(),
                reason: "会议评审的投票在会上记录，没有纸质评分表 / a panel vote is recorded at the meeting: it has no paper score sheet".into(),
            })
        }
    }
    Ok(cols)
}

fn xlsx_error(e: impl std::fmt::Display) -> CoreError {
    CoreError::DocumentTemplate { document: "score sheet template".into(), reason: e.to_string() }
}

/// The draft's value for a column, as the template pre-fills it.
enum Prefill {
    Text(String),
    Points(f64),
}

fn prefill(form: &Form, c: &Column, d: &SheetDraft) -> Option<Prefill> {
    let text = |s: &str| (!s.trim().is_empty()).then(|| Prefill::Text(s.to_string()));
    match c.kind {
        Kind::Number | Kind::Title => None,
        // A score that parses goes in as a number (what Excel would hold had it been typed there).
        Kind::Score(_) => d.scores.get(&c.id).and_then(|t| match parse_points(t) {
            Some(p) => Some(Prefill::Points(f64::from(p.0) / 2.0)),
            None => text(t),
        }),
        Kind::Strengths => text(&d.strengths),
        Kind::Weaknesses => text(&d.weaknesses),
        Kind::Grade => d.grade.map(|g| {
            let letter = format!("{g:?}");
            Prefill::Text(if d.grade_confirmed { format!("{letter} {CONFIRMED}") } else { letter })
        }),
        Kind::Verdict => {
            let Form::Verdicts(v) = form else { return None };
            let code = d.verdicts.get(&c.id)?;
            let name = v.scale.verdicts().iter().find(|x| verdict_code(**x) == code).map(|x| x.name().zh);
            text(&name.unwrap_or_else(|| code.clone()))
        }
        Kind::Opinion => text(&d.opinion),
    }
}

/// The score-sheet template of one held packet as xlsx bytes, in the shared workbook style
/// ([`crate::report::workbook`]): 评分表 with one row per item still to score (申报编号 as text, the draft
/// pre-filled, the header and the first two columns frozen), and 说明 with the packet, the form hash and
/// the bands.
///
/// Errors: [`CoreError::NotFound`] for an unknown packet; [`CoreError::Validation`] for a panel-vote
/// round, which has no score sheet.
pub fn template(ws: &mut Workspace, packet_id: &str) -> Result<Vec<u8>> {
    let h = expert::held(ws, packet_id)?;
    let form = &h.payload.form;
    let cols = columns(form)?;
    let mut wb = Workbook::new();
    let styles = Styles::default();
    {
        let sheet = wb.add_worksheet();
        sheet.set_name(SHEET).map_err(xlsx_error)?;
        let heads: Vec<Head<'_>> = cols
            .iter()
            .map(|c| Head { header: &c.header, width: c.width, text: c.kind == Kind::Number, note: &c.note })
            .collect();
        // The 申报编号 and the title stay in view while scrolling to the criteria on the right.
        header_row(sheet, &styles, &heads, 2).map_err(xlsx_error)?;
        let open = h.sheets.iter().filter(|s| s.sealed.is_none() && s.conflict_reason.is_none());
        for (r, s) in open.enumerate() {
            let r = r as u32 + 1;
            let draft: SheetDraft = serde_json::from_str(&s.draft).unwrap_or_default();
            let title =
                h.payload.items.iter().find(|i| i.number == s.number).map(|i| title_of(&i.content)).unwrap_or_default();
            for (i, c) in cols.iter().enumerate() {
                let i = i as u16;
                match c.kind {
                    Kind::Number => sheet.write_string_with_format(r, i, &s.number, &styles.text),
                    Kind::Title => sheet.write_string_with_format(r, i, &title, &styles.wrap),
                    _ => match prefill(form, c, &draft) {
                        Some(Prefill::Points(p)) => sheet.write_number(r, i, p),
                        Some(Prefill::Text(t)) => sheet.write_string(r, i, &t),
                        None => continue,
                    },
                }
                .map_err(xlsx_error)?;
            }
        }
    }
    write_info(wb.add_worksheet(), &h, &styles)?;
    wb.save_to_buffer().map_err(xlsx_error)
}

/// The 说明 sheet: what the sheet is for (checked on import) and how to fill it.
fn write_info(sheet: &mut rust_xlsxwriter::Worksheet, h: &HeldPacket, styles: &Styles) -> Result<()> {
    let p = &h.payload;
    sheet.set_name(INFO_SHEET).map_err(xlsx_error)?;
    sheet.set_column_width(0, 16).map_err(xlsx_error)?;
    sheet.set_column_width(1, 70).map_err(xlsx_error)?;
    sheet.set_column_width(2, 12).map_err(xlsx_error)?;
    sheet.set_column_width(3, 60).map_err(xlsx_error)?;
    let blind = if p.blind { "（盲评）" } else { "" };
    let head: Vec<(&str, String)> = vec![
        (INFO_PACKET, p.packet_id.clone()),
        ("指南", format!("{} {}", p.call_code, p.call_title.zh)),
        ("轮次", format!("第 {} 轮 {}{blind}", p.round, p.round_kind.name().zh)),
        ("评审专家", format!("{} {}", p.expert_number, p.expert_name)),
        (INFO_FORM, p.form_sha256.clone()),
        (
            "填写说明",
            format!(
                "在“{SHEET}”中每项申报书填一行；勿修改表头、申报编号和本页的评审包编号、评分表哈希。\
                 分数为 0 至满分、0.5 分的整数倍。整行留空表示尚未评分，导入时跳过；\
                 部分填写的行作为草稿导入，封存前须填写完整。{}",
                grade_note()
            ),
        ),
    ];
    let mut r = 0u32;
    for (label, value) in &head {
        sheet.write_string_with_format(r, 0, *label, &styles.label).map_err(xlsx_error)?;
        // The ids the import checks are text, so a hash of digits alone could never become a number.
        let format = if [INFO_PACKET, INFO_FORM].contains(label) { &styles.text } else { &styles.wrap };
        sheet.write_string_with_format(r, 1, value, format).map_err(xlsx_error)?;
        r += 1;
    }
    r += 1;
    match &p.form {
        Form::Scored(rubric) => {
            for (i, t) in ["指标", "分档", "满分", "锚定描述"].iter().enumerate() {
                sheet.write_string_with_format(r, i as u16, *t, &styles.header).map_err(xlsx_error)?;
            }
            r += 1;
            for c in &rubric.criteria {
                for b in &c.bands {
                    sheet.write_string(r, 0, &c.name.zh).map_err(xlsx_error)?;
                    sheet.write_string(r, 1, format!("{}–{} 分", b.low, b.high)).map_err(xlsx_error)?;
                    sheet.write_number(r, 2, f64::from(c.weight)).map_err(xlsx_error)?;
                    sheet.write_string_with_format(r, 3, &b.text.zh, &styles.wrap).map_err(xlsx_error)?;
                    r += 1;
                }
            }
        }
        Form::Verdicts(v) => {
            sheet.write_string_with_format(r, 0, "论证事项", &styles.header).map_err(xlsx_error)?;
            sheet.write_string_with_format(r, 1, "可填意见", &styles.header).map_err(xlsx_error)?;
            r += 1;
            let names: Vec<String> = v.scale.verdicts().iter().map(|x| x.name().zh).collect();
            for item in &v.items {
                sheet.write_string(r, 0, &item.name.zh).map_err(xlsx_error)?;
                sheet.write_string(r, 1, names.join("、")).map_err(xlsx_error)?;
                r += 1;
            }
        }
        Form::Vote => {}
    }
    Ok(())
}

/// One row of a paper sheet as imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PaperRow {
    /// The row as Excel shows it (the header is row 1).
    pub row: u32,
    /// 申报编号.
    pub number: String,
    /// The sum of the scores on the row, as text (`87.5`).
    pub total: Option<String>,
    /// What the draft still lacks before it can be sealed (empty once sealed).
    pub problems: Vec<Problem>,
}

/// What [`import`] wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PaperImport {
    pub packet_id: String,
    pub file: String,
    /// The rows saved as the items' drafts (and sealed, with `seal`), in the file's order.
    pub rows: Vec<PaperRow>,
    /// Rows left empty on paper: their items keep their drafts.
    pub skipped: Vec<PaperRow>,
    /// With `seal`: one receipt per sheet sealed, in the file's order.
    pub receipts: Vec<SealedReceipt>,
}

fn cell(row: usize, column: &str, zh: impl Into<String>, en: impl Into<String>) -> CellProblem {
    CellProblem { row, column: column.to_string(), reason_zh: zh.into(), reason_en: en.into() }
}

/// A grade as written on paper: the letter, its label, or both (`A`, `优先支持`, `A 优先支持`), with
/// [`CONFIRMED`] anywhere to confirm a grade that disagrees with the total. `None` when unreadable.
fn parse_grade(text: &str) -> Option<(Grade, bool)> {
    let t = normalize(text);
    let confirmed = t.contains(CONFIRMED);
    let t = t.replace(CONFIRMED, "");
    let sep = |c: char| c.is_whitespace() || "()[],;:/-".contains(c);
    let t = t.trim_matches(sep);
    let mut chars = t.chars();
    let first = chars.next()?;
    let grade = if first.is_ascii_alphabetic() {
        let g = Grade::parse(&first.to_string())?;
        let rest = chars.as_str().trim_matches(sep);
        let label = GRADES.iter().find(|(x, _)| *x == g).map(|(_, l)| *l)?;
        (rest.is_empty() || rest == label).then_some(g)?
    } else {
        GRADES.iter().find(|(_, l)| *l == t).map(|(g, _)| *g)?
    };
    Some((grade, confirmed))
}

/// A verdict as written on paper (its Chinese name, its code or its English name), as its code.
fn parse_verdict(allowed: &[Verdict], text: &str) -> Option<&'static str> {
    let t = normalize(text);
    allowed
        .iter()
        .find(|v| v.name().zh == t || verdict_code(**v) == t || v.name().en.eq_ignore_ascii_case(&t))
        .map(|v| verdict_code(*v))
}

/// A row that read without a bad cell.
struct GoodRow {
    row: usize,
    number: String,
    draft: SheetDraft,
}

/// Imports a typed paper score sheet into one held packet's sheets: each row becomes its item's draft
/// and, with `seal`, is sealed exactly as on screen (receipts returned). `file` names the file in
/// messages.
///
/// All or nothing. Errors: [`CoreError::FileRejected`] with every bad cell (a file that is not this
/// packet's sheet for this form version, a missing column, an empty or unknown 申报编号, an item
/// sealed or declared a conflict already, a row repeated, a score that is not a number in steps of 0.5
/// or over its maximum, an unreadable grade or verdict; with `seal`, also every cell a complete sheet
/// still lacks), and then nothing is written; [`CoreError::NotFound`] for an unknown packet.
pub fn import(ws: &mut Workspace, packet_id: &str, file: &str, bytes: &[u8], seal: bool) -> Result<PaperImport> {
    let h = expert::held(ws, packet_id)?;
    let form = &h.payload.form;
    let cols = columns(form)?;
    let rejected = |problems: Vec<CellProblem>| CoreError::FileRejected { file: file.to_string(), problems };
    let refuse = |column: &str, zh: String, en: String| rejected(vec![cell(1, column, zh, en)]);

    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| refuse("", format!("不是 xlsx 工作簿：{e}"), format!("not an xlsx workbook: {e}")))?;

    // Which packet and form version the sheet was made for: anything else is refused as a whole, since
    // its rows would be checked against the wrong items and criteria.
    let info = wb.worksheet_range(INFO_SHEET).map_err(|_| {
        refuse(
            INFO_SHEET,
            format!("没有“{INFO_SHEET}”工作表：请使用为本评审包导出的评分表模板"),
            format!("no “{INFO_SHEET}” sheet: use the score-sheet template exported for this packet"),
        )
    })?;
    let mut found: BTreeMap<String, (usize, String)> = BTreeMap::new();
    if let (Some((r0, _)), Some((r1, _))) = (info.start(), info.end()) {
        for r in r0..=r1 {
            let label = normalize(&cell_text(info.get_value((r, 0)).unwrap_or(&Data::Empty)));
            let value = cell_text(info.get_value((r, 1)).unwrap_or(&Data::Empty)).trim().to_string();
            found.entry(label).or_insert((r as usize + 1, value));
        }
    }
    let mut problems = Vec::new();
    for (label, want, zh, en) in [
        (INFO_PACKET, &h.row.packet_id, "这是另一评审包的评分表", "this is the score sheet of another packet"),
        (
            INFO_FORM,
            &h.payload.form_sha256,
            "评分表是按另一版本的评审表制作的，请重新导出模板",
            "the sheet was made for another version of the form: export the template again",
        ),
    ] {
        match found.get(label) {
            None => problems.push(cell(
                1,
                label,
                format!("“{INFO_SHEET}”工作表缺少“{label}”：请使用为本评审包导出的评分表模板"),
                format!("the “{INFO_SHEET}” sheet has no “{label}”: use the template exported for this packet"),
            )),
            Some((row, got)) if got != want => problems.push(cell(
                *row,
                label,
                format!("{zh}（“{INFO_SHEET}”中为 {got}，本评审包为 {want}）"),
                format!("{en} ({INFO_SHEET} says {got}; this packet has {want})"),
            )),
            Some(_) => {}
        }
    }
    if !problems.is_empty() {
        return Err(rejected(problems));
    }

    let range = wb.worksheet_range(SHEET).map_err(|_| {
        refuse(
            SHEET,
            format!("没有“{SHEET}”工作表：请使用导出的评分表模板"),
            format!("no “{SHEET}” sheet: use the exported score-sheet template"),
        )
    })?;
    let Some((_, _)) = range.start() else {
        return Err(refuse(SHEET, "评分表是空的".into(), "the score sheet is empty".into()));
    };
    let (end_row, end_col) = range.end().unwrap_or((0, 0));
    let at = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    let mut by_header: BTreeMap<String, u32> = BTreeMap::new();
    for c in 0..=end_col {
        let h = normalize(&cell_text(&at(0, c)));
        if !h.is_empty() {
            by_header.entry(h).or_insert(c);
        }
    }
    let missing: Vec<CellProblem> = cols
        .iter()
        .filter(|c| c.kind != Kind::Title && !by_header.contains_key(&normalize(&c.header)))
        .map(|c| {
            cell(
                1,
                &c.header,
                format!("缺少列“{}”：请使用为本评审包导出的模板，勿修改表头", c.header),
                format!(
                    "the column “{}” is missing: use the template exported for this packet, headers unchanged",
                    c.header
                ),
            )
        })
        .collect();
    if !missing.is_empty() {
        return Err(rejected(missing));
    }

    let allowed: &[Verdict] = match form {
        Form::Verdicts(v) => v.scale.verdicts(),
        _ => &[],
    };
    let mut errors: Vec<CellProblem> = Vec::new();
    let mut good: Vec<GoodRow> = Vec::new();
    let mut skipped: Vec<PaperRow> = Vec::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for r in 1..=end_row {
        let row = r as usize + 1;
        let raw = |c: &Column| by_header.get(&normalize(&c.header)).map_or(Data::Empty, |&i| at(r, i));
        // Free text keeps its own punctuation and line breaks; codes and numbers are normalised (NFKC
        // turns full-width digits and letters into ASCII).
        let free = |c: &Column| cell_text(&raw(c)).trim().to_string();
        let code = |c: &Column| normalize(&cell_text(&raw(c)));
        let number_col = &cols[0];
        let number = code(number_col);
        let sheet_cols = || cols.iter().filter(|c| !matches!(c.kind, Kind::Number | Kind::Title));
        let blank = sheet_cols().all(|c| free(c).is_empty());
        if number.is_empty() && blank {
            continue; // an empty line, or a title alone
        }
        let mut errs: Vec<CellProblem> = Vec::new();
        let mut err = |c: &str, zh: String, en: String| errs.push(cell(row, c, zh, en));
        let sheet = h.sheets.iter().find(|s| s.number == number);
        if number.is_empty() {
            err(NUMBER, "申报编号为空：请填写该行对应的申报编号".into(), "the 申报编号 is empty".into());
        } else if let Some(first) = seen.get(&number) {
            err(
                NUMBER,
                format!("申报编号 {number} 与第 {first} 行重复"),
                format!("{number} is on row {first} already"),
            );
        } else {
            seen.insert(number.clone(), row);
            match sheet {
                None => err(
                    NUMBER,
                    format!("申报编号 {number} 不在本评审包中"),
                    format!("{number} is not an item of this packet"),
                ),
                // An empty row for a closed item is a template printed before it was sealed: nothing
                // on it to refuse.
                Some(_) if blank => {}
                Some(s) if s.sealed.is_some() => err(
                    NUMBER,
                    format!("申报书 {number} 的评分表已封存，不能再导入"),
                    format!("the sheet of {number} is sealed already and cannot change"),
                ),
                Some(s) if s.conflict_reason.is_some() => err(
                    NUMBER,
                    format!("申报书 {number} 已声明回避，不再评审"),
                    format!("{number} was declared a conflict and is no longer reviewed"),
                ),
                Some(_) => {}
            }
        }
        if blank {
            if errs.is_empty() {
                skipped.push(PaperRow { row: row as u32, number, total: None, problems: Vec::new() });
            } else {
                errors.extend(errs);
            }
            continue;
        }
        let mut draft = SheetDraft::default();
        for c in cols.iter() {
            match c.kind {
                Kind::Number | Kind::Title => {}
                Kind::Score(max) => {
                    let t = code(c);
                    if t.is_empty() {
                        continue;
                    }
                    match parse_points(&t) {
                        None => err(
                            &c.header,
                            format!("“{t}”不是分数：应为 0 至 {max} 之间、0.5 分的整数倍"),
                            format!("“{t}” is not a score: 0 to {max} in steps of 0.5"),
                        ),
                        Some(p) if p > HalfPoints::whole(max) => err(
                            &c.header,
                            format!("最高 {max} 分，填了 {p} 分"),
                            format!("at most {max} points; {p} was given"),
                        ),
                        Some(p) => {
                            draft.scores.insert(c.id.clone(), p.to_string());
                        }
                    }
                }
                Kind::Strengths => draft.strengths = free(c),
                Kind::Weaknesses => draft.weaknesses = free(c),
                Kind::Opinion => draft.opinion = free(c),
                Kind::Grade => {
                    let t = free(c);
                    if t.is_empty() {
                        continue;
                    }
                    match parse_grade(&t) {
                        Some((g, confirmed)) => {
                            draft.grade = Some(g);
                            draft.grade_confirmed = confirmed;
                        }
                        None => err(
                            &c.header,
                            format!("“{t}”不是总体评价：应为 A、B、C 或 D（优先支持、支持、可支持、不支持）"),
                            format!("“{t}” is not a grade: A, B, C or D"),
                        ),
                    }
                }
                Kind::Verdict => {
                    let t = code(c);
                    if t.is_empty() {
                        continue;
                    }
                    match parse_verdict(allowed, &t) {
                        Some(v) => {
                            draft.verdicts.insert(c.id.clone(), v.to_string());
                        }
                        None => {
                            let names: Vec<String> = allowed.iter().map(|v| v.name().zh).collect();
                            err(
                                &c.header,
                                format!("“{t}”无效：应为 {}", names.join("、")),
                                format!("“{t}” is not one of {}", names.join(", ")),
                            )
                        }
                    }
                }
            }
        }
        // Sealing asks for a complete sheet: what it still lacks is a bad cell too (once per column,
        // after what the cell itself got wrong).
        if seal {
            for p in sheet::check(form, &draft).problems {
                let column = cols.iter().find(|c| c.field == p.field).map_or(NUMBER, |c| c.header.as_str());
                if errs.iter().any(|e| e.column == column) {
                    continue;
                }
                let (zh, en) = if p.code == "sheet.grade_inconsistent" {
                    (
                        format!("{}（确认请在评价后写“{CONFIRMED}”）", p.zh),
                        format!("{} (write {CONFIRMED} after the grade to confirm)", p.en),
                    )
                } else {
                    (p.zh, p.en)
                };
                errs.push(cell(row, column, zh, en));
            }
        }
        if errs.is_empty() {
            good.push(GoodRow { row, number, draft });
        } else {
            errors.extend(errs);
        }
    }
    if !errors.is_empty() {
        return Err(rejected(errors));
    }
    write_rows(ws, &h, file, good, skipped, seal)
}

/// Writes the checked rows in one transaction: the drafts, and with `seal` each sheet's seal with its
/// audit event.
fn write_rows(
    ws: &mut Workspace,
    h: &HeldPacket,
    file: &str,
    good: Vec<GoodRow>,
    skipped: Vec<PaperRow>,
    seal: bool,
) -> Result<PaperImport> {
    let packet_id = h.row.packet_id.as_str();
    let form = &h.payload.form;
    let at = identity::now();
    let drafts: Vec<(String, String)> =
        good.iter().map(|g| (g.number.clone(), serde_json::to_string(&g.draft).expect("a draft serialises"))).collect();
    let closed_meanwhile = || {
        CoreError::Validation {
        field: "packet".into(),
        reason: "导入期间有评分表被封存或回避，未导入任何内容，请重试 / a sheet was sealed or declared a conflict meanwhile: nothing was imported, try again".into(),
    }
    };
    let mut receipts = Vec::new();
    if seal {
        let sealings: Vec<Sealing> = good
            .iter()
            .map(|g| {
                let marks = sheet::check(form, &g.draft).marks.expect("a row with no problem has marks");
                Sealing::new(h, &g.number, marks, at.clone())
            })
            .collect();
        // One transaction; each seal keeps its own audit event, as on screen. A failure propagates out
        // of the batch, which then commits nothing at all (not only the failing seal).
        ws.store.write_batch(|b| {
            for (s, draft) in sealings.iter().zip(&drafts) {
                b.write_with_event(|w| {
                    if w.review_sheet_save_drafts(packet_id, std::slice::from_ref(draft), &at)? != 1 {
                        return Err(closed_meanwhile());
                    }
                    s.write(w)?;
                    Ok(((), s.event(h)))
                })?;
            }
            Ok::<_, CoreError>(())
        })?;
        receipts = sealings.iter().map(Sealing::receipt).collect();
    } else {
        ws.store.write_unaudited(Unaudited::Draft, |w| {
            if w.review_sheet_save_drafts(packet_id, &drafts, &at)? != drafts.len() {
                return Err(closed_meanwhile());
            }
            Ok(())
        })?;
    }
    let rows = good
        .iter()
        .map(|g| {
            let checked = sheet::check(form, &g.draft);
            PaperRow {
                row: g.row as u32,
                number: g.number.clone(),
                total: checked.total.map(|t| t.to_string()),
                problems: if seal { Vec::new() } else { checked.problems },
            }
        })
        .collect();
    Ok(PaperImport { packet_id: packet_id.to_string(), file: file.to_string(), rows, skipped, receipts })
}

#[cfg(test)]
mod tests;
