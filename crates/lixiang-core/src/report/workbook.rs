//! The shared workbook style of every xlsx file Lixiang writes for people: a bold, shaded header row
//! that stays frozen, identity columns (申报编号, 证件号码, 统一社会信用代码 …) stored and formatted as text
//! so that Excel never turns a long number into a double and drops its last digits, numbers as numbers
//! with a fixed count of decimals, and column widths that fit Chinese headers.
//!
//! Two ways in: [`add_table`] writes a whole sheet from columns and rows (the reports of issue 8), and
//! [`header_row`] with [`Styles`] sets up the header of a sheet a person fills in (the expert pool's
//! import template, the paper score sheet), whose rows the caller writes.

use crate::{CoreError, Result};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Note, Workbook, Worksheet, XlsxError};

/// What a column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text, and identity numbers: written as strings in a text-formatted column.
    Text,
    /// A whole number.
    Integer,
    /// A number shown with two decimals (scores, statistics).
    Decimal2,
    /// An amount in 万元, shown with four decimals.
    Wan,
}

/// One column: its header and what it holds.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub header: &'static str,
    pub kind: Kind,
    pub width: u16,
}

/// A cell's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Empty,
}

pub(crate) fn error(what: &str) -> impl Fn(rust_xlsxwriter::XlsxError) -> CoreError + '_ {
    move |e| CoreError::DocumentTemplate { document: what.to_string(), reason: e.to_string() }
}

/// Built-in number format 49 is Excel's own "Text" (`@`, what Format Cells → Text picks).
const TEXT_FORMAT: u8 = 49;
/// The header's shade.
pub const HEADER_FILL: &str = "#EEF2F7";

/// The formats of the shared style.
#[derive(Debug, Clone)]
pub struct Styles {
    /// Header cells: bold on a light shade, a thin rule under them, wrapped.
    pub header: Format,
    /// Identity numbers and other text people must not see turned into numbers.
    pub text: Format,
    /// Long free text.
    pub wrap: Format,
    /// A label beside its value (the 说明 sheets): bold on the header's shade.
    pub label: Format,
    pub integer: Format,
    pub decimal2: Format,
    pub wan: Format,
}

impl Default for Styles {
    fn default() -> Self {
        Styles {
            header: Format::new()
                .set_bold()
                .set_background_color(HEADER_FILL)
                .set_border_bottom(FormatBorder::Thin)
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            text: Format::new().set_num_format_index(TEXT_FORMAT),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            label: Format::new().set_bold().set_background_color(HEADER_FILL).set_align(FormatAlign::Top),
            integer: Format::new().set_num_format("0"),
            decimal2: Format::new().set_num_format("0.00"),
            wan: Format::new().set_num_format("0.0000"),
        }
    }
}

/// One column of a header row.
#[derive(Debug, Clone, Copy)]
pub struct Head<'a> {
    pub header: &'a str,
    pub width: u16,
    /// Identity numbers or codes: the whole column is formatted as text, so what people type there later
    /// stays text too.
    pub text: bool,
    /// Shown when the pointer rests on the header (how to fill the column); empty for none.
    pub note: &'a str,
}

/// Writes row 1 of `ws` in the shared style: each column's width, identity columns formatted as text,
/// the header cells with their notes; and freezes the header with the first `frozen_columns` columns.
pub fn header_row(
    ws: &mut Worksheet,
    styles: &Styles,
    heads: &[Head<'_>],
    frozen_columns: u16,
) -> std::result::Result<(), XlsxError> {
    for (i, h) in heads.iter().enumerate() {
        let i = i as u16;
        ws.set_column_width(i, h.width)?;
        if h.text {
            ws.set_column_format(i, &styles.text)?;
        }
        ws.write_string_with_format(0, i, h.header, &styles.header)?;
        if !h.note.is_empty() {
            let mut note = Note::new(h.note).add_author_prefix(false);
            // Excel's default box shows about three short lines: long notes (band anchors) get room.
            if h.note.contains('\n') || h.note.chars().count() > 40 {
                note = note.set_width(320).set_height(160);
            }
            ws.insert_note(0, i, &note)?;
        }
    }
    ws.set_freeze_panes(1, frozen_columns)?;
    Ok(())
}

/// Adds a sheet named `name` with `columns` and `rows` in the shared style.
pub fn add_table(wb: &mut Workbook, name: &str, columns: &[Column], rows: &[Vec<Cell>]) -> Result<()> {
    let err = error(name);
    let ws: &mut Worksheet = wb.add_worksheet();
    ws.set_name(name).map_err(&err)?;
    let styles = Styles::default();
    let heads: Vec<Head<'_>> = columns
        .iter()
        .map(|c| Head { header: c.header, width: c.width, text: c.kind == Kind::Text, note: "" })
        .collect();
    header_row(ws, &styles, &heads, 0).map_err(&err)?;
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (i, (cell, c)) in row.iter().zip(columns).enumerate() {
            let i = i as u16;
            match cell {
                Cell::Empty => {}
                Cell::Text(s) => {
                    ws.write_string_with_format(r, i, s, &styles.text).map_err(&err)?;
                }
                Cell::Number(x) => {
                    let f = match c.kind {
                        Kind::Decimal2 => &styles.decimal2,
                        Kind::Wan => &styles.wan,
                        Kind::Integer | Kind::Text => &styles.integer,
                    };
                    ws.write_number_with_format(r, i, *x, f).map_err(&err)?;
                }
            }
        }
    }
    Ok(())
}

/// Adds a two-column sheet of facts (what the file is, for whom, made when).
pub fn add_facts(wb: &mut Workbook, name: &str, facts: &[(&str, String)]) -> Result<()> {
    let columns = [
        Column { header: "项目", kind: Kind::Text, width: 18 },
        Column { header: "内容", kind: Kind::Text, width: 70 },
    ];
    let rows: Vec<Vec<Cell>> =
        facts.iter().map(|(k, v)| vec![Cell::Text((*k).to_string()), Cell::Text(v.clone())]).collect();
    add_table(wb, name, &columns, &rows)
}

/// Reads the style of a written workbook back (tests): calamine reads values, not formats, so the
/// number formats, fonts, fills, borders, column widths and frozen panes are read from the package's
/// XML parts themselves. Only for files rust_xlsxwriter wrote (the n-th sheet of the workbook is
/// `xl/worksheets/sheet<n>.xml`, attributes in double quotes).
#[cfg(test)]
pub(crate) mod inspect {
    use std::collections::BTreeMap;
    use std::io::Read;

    /// What a cell or column looks like.
    #[derive(Debug, Clone, PartialEq, Eq, Default)]
    pub struct Style {
        /// The number format's code: `@` for text, `General`, `0.00` …
        pub num_format: String,
        pub bold: bool,
        /// The fill's colour as `RRGGBB`, none for no fill.
        pub fill: Option<String>,
        pub wrap: bool,
        pub border_bottom: bool,
    }

    impl Style {
        /// The shared header style (bold, shaded, ruled under).
        pub fn is_header(&self) -> bool {
            self.bold && self.fill.as_deref() == Some(&super::HEADER_FILL[1..]) && self.border_bottom
        }
    }

    pub struct Book {
        parts: BTreeMap<String, String>,
        sheets: Vec<String>,
        xfs: Vec<Style>,
    }

    fn attr(tag: &str, name: &str) -> Option<String> {
        let key = format!(" {name}=\"");
        let at = tag.find(&key)? + key.len();
        Some(tag[at..].split('"').next()?.to_string())
    }

    /// The inside of `<tag …>…</tag>` in `xml`.
    fn inner<'a>(xml: &'a str, tag: &str) -> &'a str {
        let open = format!("<{tag} ");
        let Some(start) = xml.find(&open).or_else(|| xml.find(&format!("<{tag}>"))) else { return "" };
        let rest = &xml[start..];
        let body = &rest[rest.find('>').map_or(0, |i| i + 1)..];
        body.split(&format!("</{tag}>")).next().unwrap_or("")
    }

    fn builtin(id: &str) -> &'static str {
        match id {
            "0" => "General",
            "1" => "0",
            "2" => "0.00",
            "49" => "@",
            _ => "?",
        }
    }

    /// Excel's A1 column letters.
    fn letters(mut col: u16) -> String {
        let mut s = Vec::new();
        loop {
            s.push(b'A' + (col % 26) as u8);
            if col < 26 {
                break;
            }
            col = col / 26 - 1;
        }
        s.reverse();
        String::from_utf8(s).unwrap()
    }

    impl Book {
        pub fn read(bytes: &[u8]) -> Book {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx is a zip");
            let mut parts = BTreeMap::new();
            for i in 0..zip.len() {
                let mut f = zip.by_index(i).unwrap();
                let name = f.name().unwrap().to_string();
                let mut s = String::new();
                if (name.ends_with(".xml") || name.ends_with(".rels")) && f.read_to_string(&mut s).is_ok() {
                    parts.insert(name, s);
                }
            }
            let sheets = inner(&parts["xl/workbook.xml"], "sheets")
                .split("<sheet ")
                .skip(1)
                .map(|t| attr(&format!(" {t}"), "name").unwrap())
                .collect();
            let styles = &parts["xl/styles.xml"];
            let custom: BTreeMap<String, String> = inner(styles, "numFmts")
                .split("<numFmt ")
                .skip(1)
                .map(|t| {
                    let t = format!(" {t}");
                    (attr(&t, "numFmtId").unwrap(), attr(&t, "formatCode").unwrap())
                })
                .collect();
            let bold: Vec<bool> = inner(styles, "fonts")
                .split("</font>")
                .filter(|f| f.contains("<font"))
                .map(|f| f.contains("<b/>"))
                .collect();
            let fills: Vec<Option<String>> = inner(styles, "fills")
                .split("</fill>")
                .filter(|f| f.contains("<fill"))
                .map(|f| {
                    f.split("<fgColor ")
                        .nth(1)
                        .and_then(|c| attr(&format!(" {c}"), "rgb"))
                        .map(|argb| argb[2..].to_string())
                })
                .collect();
            let bottoms: Vec<bool> = inner(styles, "borders")
                .split("</border>")
                .filter(|b| b.contains("<border"))
                .map(|b| b.contains("<bottom style="))
                .collect();
            let xfs = inner(styles, "cellXfs")
                .split("<xf ")
                .skip(1)
                .map(|xf| {
                    let t = format!(" {xf}");
                    let id = |a: &str| attr(&t, a).and_then(|v| v.parse::<usize>().ok()).unwrap_or(0);
                    let fmt = attr(&t, "numFmtId").unwrap_or_else(|| "0".into());
                    Style {
                        num_format: custom.get(&fmt).cloned().unwrap_or_else(|| builtin(&fmt).to_string()),
                        bold: bold[id("fontId")],
                        fill: fills[id("fillId")].clone(),
                        wrap: t.contains("wrapText=\"1\""),
                        border_bottom: bottoms[id("borderId")],
                    }
                })
                .collect();
            Book { parts, sheets, xfs }
        }

        fn sheet(&self, name: &str) -> &str {
            let n = self.sheets.iter().position(|s| s == name).unwrap_or_else(|| panic!("no sheet {name}"));
            &self.parts[&format!("xl/worksheets/sheet{}.xml", n + 1)]
        }

        /// The style of the cell at (row, column), from 0.
        pub fn cell(&self, sheet: &str, row: u32, col: u16) -> Style {
            let key = format!("<c r=\"{}{}\"", letters(col), row + 1);
            let xml = self.sheet(sheet);
            let tag = xml.split(&key).nth(1).unwrap_or_else(|| panic!("no cell {key} in {sheet}"));
            let tag = tag.split('>').next().unwrap();
            self.xfs[attr(tag, "s").and_then(|s| s.parse().ok()).unwrap_or(0)].clone()
        }

        /// The `<col>` element covering a column: its style and width.
        fn col(&self, sheet: &str, col: u16) -> Option<(Style, f64)> {
            let c = u32::from(col) + 1;
            inner(self.sheet(sheet), "cols").split("<col ").skip(1).find_map(|t| {
                let t = format!(" {t}");
                let min: u32 = attr(&t, "min")?.parse().ok()?;
                let max: u32 = attr(&t, "max")?.parse().ok()?;
                (min..=max).contains(&c).then(|| {
                    let s = attr(&t, "style").and_then(|s| s.parse().ok()).unwrap_or(0);
                    (self.xfs[s].clone(), attr(&t, "width").and_then(|w| w.parse().ok()).unwrap_or(0.0))
                })
            })
        }

        /// The style of a whole column (what a cell typed there later takes).
        pub fn column(&self, sheet: &str, col: u16) -> Style {
            self.col(sheet, col).map(|(s, _)| s).unwrap_or_default()
        }

        /// The column's width in Excel's units, none when left at the default.
        pub fn width(&self, sheet: &str, col: u16) -> Option<f64> {
            self.col(sheet, col).map(|(_, w)| w)
        }

        /// (rows, columns) frozen at the top left.
        pub fn frozen(&self, sheet: &str) -> (u32, u32) {
            let xml = self.sheet(sheet);
            let Some(pane) = xml.split("<pane ").nth(1) else { return (0, 0) };
            let pane = format!(" {}", pane.split("/>").next().unwrap());
            assert!(pane.contains("state=\"frozen\""), "{pane}");
            let n = |a: &str| attr(&pane, a).and_then(|v| v.parse().ok()).unwrap_or(0);
            (n("ySplit"), n("xSplit"))
        }

        /// Whether the cell has a note (comment).
        pub fn has_note(&self, sheet: &str, row: u32, col: u16) -> bool {
            let n = self.sheets.iter().position(|s| s == sheet).unwrap() + 1;
            let key = format!("ref=\"{}{}\"", letters(col), row + 1);
            self.parts.iter().any(|(name, xml)| {
                name.starts_with("xl/comments") && xml.contains(&key) && {
                    // The comments part belongs to this sheet when the sheet's rels name it.
                    self.parts
                        .get(&format!("xl/worksheets/_rels/sheet{n}.xml.rels"))
                        .is_some_and(|rels| rels.contains(&format!("../{}", name.trim_start_matches("xl/"))))
                }
            })
        }
    }

    #[test]
    fn column_letters() {
        assert_eq!([0, 25, 26, 27, 51, 52].map(letters), ["A", "Z", "AA", "AB", "AZ", "BA"]);
    }
}

#[cfg(test)]
mod tests {
    use super::inspect::Book;
    use super::*;
    use calamine::{Data, Reader, Xlsx};

    #[test]
    fn a_table_has_the_shared_header_text_identity_columns_and_fixed_decimals() {
        let mut wb = Workbook::new();
        let columns = [
            Column { header: "申报编号", kind: Kind::Text, width: 20 },
            Column { header: "份数", kind: Kind::Integer, width: 8 },
            Column { header: "均值", kind: Kind::Decimal2, width: 10 },
            Column { header: "申请（万元）", kind: Kind::Wan, width: 14 },
        ];
        let rows = vec![vec![
            Cell::Text("2027-ZX06-000001".into()),
            Cell::Number(3.0),
            Cell::Number(87.125),
            Cell::Number(300.5),
        ]];
        add_table(&mut wb, "排名", &columns, &rows).unwrap();
        add_facts(&mut wb, "说明", &[("身份证号", "540102197005010011".into())]).unwrap();
        let bytes = wb.save_to_buffer().unwrap();

        let mut x: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
        let r = x.worksheet_range("排名").unwrap();
        assert_eq!(r.get((1, 0)), Some(&Data::String("2027-ZX06-000001".into())));
        assert_eq!(r.get((1, 2)), Some(&Data::Float(87.125)), "the value unrounded, the format shows 2 decimals");
        let facts = x.worksheet_range("说明").unwrap();
        assert_eq!(facts.get((1, 1)), Some(&Data::String("540102197005010011".into())), "every digit kept");

        let book = Book::read(&bytes);
        for c in 0..4 {
            assert!(book.cell("排名", 0, c).is_header(), "header {c}: {:?}", book.cell("排名", 0, c));
            assert_eq!(book.width("排名", c), Some(f64::from(columns[c as usize].width) + 0.7109375));
        }
        assert_eq!(book.column("排名", 0).num_format, "@");
        assert_eq!(book.cell("排名", 1, 0).num_format, "@");
        assert_eq!(book.cell("排名", 1, 1).num_format, "0");
        assert_eq!(book.cell("排名", 1, 2).num_format, "0.00");
        assert_eq!(book.cell("排名", 1, 3).num_format, "0.0000");
        assert_eq!(book.column("排名", 2).num_format, "General", "a number column is not text");
        assert_eq!(book.frozen("排名"), (1, 0));
        assert_eq!(book.cell("说明", 1, 1).num_format, "@");
    }

    #[test]
    fn a_header_row_freezes_formats_identity_columns_as_text_and_carries_notes() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("专家").unwrap();
        let heads = [
            Head { header: "姓名", width: 10, text: false, note: "必填。" },
            Head { header: "证件号码", width: 22, text: true, note: "" },
        ];
        header_row(ws, &Styles::default(), &heads, 1).unwrap();
        let book = Book::read(&wb.save_to_buffer().unwrap());
        assert!(book.cell("专家", 0, 0).is_header() && book.cell("专家", 0, 1).is_header());
        assert!(book.cell("专家", 0, 1).wrap);
        assert_eq!(book.column("专家", 1).num_format, "@");
        assert_eq!(book.column("专家", 0).num_format, "General");
        assert_eq!(book.frozen("专家"), (1, 1));
        assert!(book.has_note("专家", 0, 0));
        assert!(!book.has_note("专家", 0, 1));
    }
}
