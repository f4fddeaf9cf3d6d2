//! The shared workbook style of every xlsx file Lixiang writes for people: a bold header row that stays
//! frozen, identity columns (申报编号, 证件号码, 统一社会信用代码 …) stored and formatted as text so that
//! Excel never turns a long number into a double and drops its last digits, numbers as numbers with a
//! fixed count of decimals, and column widths that fit Chinese headers.

use crate::{CoreError, Result};
use rust_xlsxwriter::{Format, Workbook, Worksheet};

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

/// Adds a sheet named `name` with `columns` and `rows` in the shared style.
pub fn add_table(wb: &mut Workbook, name: &str, columns: &[Column], rows: &[Vec<Cell>]) -> Result<()> {
    let err = error(name);
    let ws: &mut Worksheet = wb.add_worksheet();
    ws.set_name(name).map_err(&err)?;
    let header =
        Format::new().set_bold().set_background_color("#EEF2F7").set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    // Built-in format 49 is Excel's own "Text" (what Format Cells → Text picks).
    let text = Format::new().set_num_format_index(49);
    let two = Format::new().set_num_format("0.00");
    let four = Format::new().set_num_format("0.0000");
    let int = Format::new().set_num_format("0");
    for (i, c) in columns.iter().enumerate() {
        let i = i as u16;
        ws.set_column_width(i, c.width).map_err(&err)?;
        if c.kind == Kind::Text {
            ws.set_column_format(i, &text).map_err(&err)?;
        }
        ws.write_string_with_format(0, i, c.header, &header).map_err(&err)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (i, (cell, c)) in row.iter().zip(columns).enumerate() {
            let i = i as u16;
            match cell {
                Cell::Empty => {}
                Cell::Text(s) => {
                    ws.write_string_with_format(r, i, s, &text).map_err(&err)?;
                }
                Cell::Number(x) => {
                    let f = match c.kind {
                        Kind::Decimal2 => &two,
                        Kind::Wan => &four,
                        Kind::Integer | Kind::Text => &int,
                    };
                    ws.write_number_with_format(r, i, *x, f).map_err(&err)?;
                }
            }
        }
    }
    ws.set_freeze_panes(1, 0).map_err(&err)?;
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
