//! Score-sheet files for what-if ranking (`lixiang rank --sheets FILE`): UTF-8 CSV with a header row.
//!
//! Sheets: columns `item` (申报编号), `expert` (专家), `total` (总分) and optionally `grade` (等级, A–D).
//! Funding requests: columns `item` (申报编号) and `fiscal_wan` (申请财政经费（万元）).
//! Headers may be English or Chinese. Every bad cell of the file is reported with its row and column,
//! and a file with any bad row is refused whole: a ranking is never computed from part of a file.

use super::{Grade, Sheet};
use crate::error::CellProblem;
use crate::{money, CoreError, Lang, Result};
use std::collections::BTreeMap;

/// Reads a sheets file's text. `file` names it in messages.
pub fn read_sheets(file: &str, text: &str) -> Result<Vec<Sheet>> {
    let table =
        Table::parse(file, text, &[("item", "申报编号"), ("expert", "专家"), ("total", "总分")], &[("grade", "等级")])?;
    let mut problems = Vec::new();
    let mut sheets = Vec::new();
    let mut seen: BTreeMap<(String, String), usize> = BTreeMap::new();
    for row in &table.rows {
        let item = row.required(0, &mut problems);
        let expert = row.required(1, &mut problems);
        let total = row.cell(2).and_then(|t| match parse_total(t) {
            Ok(v) => Some(v),
            Err((zh, en)) => {
                problems.push(row.problem(2, zh, en));
                None
            }
        });
        if row.cell(2).is_none() {
            problems.push(row.problem(2, "总分为空".into(), "the total is empty".into()));
        }
        let grade = match row.cell(3) {
            None => None,
            Some(g) => match Grade::parse(g) {
                Some(g) => Some(g),
                None => {
                    problems.push(row.problem(
                        3,
                        format!("等级“{g}”应为 A、B、C 或 D"),
                        format!("grade “{g}” must be A, B, C or D"),
                    ));
                    None
                }
            },
        };
        if let (Some(item), Some(expert)) = (&item, &expert) {
            if let Some(first) = seen.insert((item.clone(), expert.clone()), row.number) {
                problems.push(row.problem(
                    1,
                    format!("专家 {expert} 对 {item} 已有评分表（第 {first} 行）"),
                    format!("expert {expert} already has a sheet for {item} (row {first})"),
                ));
            }
        }
        if let (Some(item), Some(expert), Some(total)) = (item, expert, total) {
            sheets.push(Sheet { item, expert, total, grade });
        }
    }
    if !problems.is_empty() {
        return Err(CoreError::FileRejected { file: file.to_string(), problems });
    }
    if sheets.is_empty() {
        return Err(CoreError::FileRejected {
            file: file.to_string(),
            problems: vec![CellProblem {
                row: 2,
                column: table.columns[0].clone(),
                reason_zh: "文件中没有评分表".into(),
                reason_en: "the file holds no sheets".into(),
            }],
        });
    }
    Ok(sheets)
}

/// Reads a funding-requests file: 申报编号 → requested fiscal funding in fen.
pub fn read_requests(file: &str, text: &str) -> Result<BTreeMap<String, i64>> {
    let table = Table::parse(file, text, &[("item", "申报编号"), ("fiscal_wan", "申请财政经费（万元）")], &[])?;
    let mut problems = Vec::new();
    let mut out = BTreeMap::new();
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for row in &table.rows {
        let item = row.required(0, &mut problems);
        if let Some(item) = &item {
            if let Some(first) = seen.insert(item.clone(), row.number) {
                problems.push(row.problem(
                    0,
                    format!("{item} 重复出现（第 {first} 行）"),
                    format!("{item} appears twice (row {first})"),
                ));
            }
        }
        let fen = match row.cell(1) {
            None => {
                problems.push(row.problem(1, "金额为空".into(), "the amount is empty".into()));
                None
            }
            Some(t) => match money::parse_wan(t) {
                Ok(f) => Some(f),
                Err(e) => {
                    problems.push(row.problem(1, e.message(Lang::Zh).into(), e.message(Lang::En).into()));
                    None
                }
            },
        };
        if let (Some(item), Some(fen)) = (item, fen) {
            out.insert(item, fen);
        }
    }
    if !problems.is_empty() {
        return Err(CoreError::FileRejected { file: file.to_string(), problems });
    }
    Ok(out)
}

/// A total: 0 … 100 in steps of 0.5 (criterion scores go in steps of 0.5).
fn parse_total(text: &str) -> std::result::Result<f64, (String, String)> {
    let normalised: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '．' => '.',
            c => c,
        })
        .collect();
    let v: f64 = normalised
        .parse()
        .map_err(|_| (format!("总分“{text}”不是数字"), format!("the total “{text}” is not a number")))?;
    if !(0.0..=100.0).contains(&v) {
        return Err((format!("总分 {v} 应在 0 到 100 之间"), format!("the total {v} must be between 0 and 100")));
    }
    if (v * 2.0).fract() != 0.0 {
        return Err((format!("总分 {v} 应为 0.5 的整数倍"), format!("the total {v} must be a multiple of 0.5")));
    }
    Ok(v)
}

/// A CSV file with its wanted columns located by header name.
struct Table {
    columns: Vec<String>,
    rows: Vec<Row>,
}

struct Row {
    /// 1-based, the header being row 1.
    number: usize,
    /// Cells in the wanted columns' order; `None` when empty or absent.
    cells: Vec<Option<String>>,
    columns: Vec<String>,
}

impl Row {
    fn cell(&self, i: usize) -> Option<&str> {
        self.cells.get(i).and_then(|c| c.as_deref())
    }

    fn problem(&self, i: usize, reason_zh: String, reason_en: String) -> CellProblem {
        CellProblem { row: self.number, column: self.columns[i].clone(), reason_zh, reason_en }
    }

    fn required(&self, i: usize, problems: &mut Vec<CellProblem>) -> Option<String> {
        match self.cell(i) {
            Some(v) => Some(v.to_string()),
            None => {
                problems.push(self.problem(i, "必填，不能为空".into(), "required, must not be empty".into()));
                None
            }
        }
    }
}

impl Table {
    /// `required` and `optional` list each column as (English, Chinese) header names.
    fn parse(file: &str, text: &str, required: &[(&str, &str)], optional: &[(&str, &str)]) -> Result<Table> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text); // Excel's UTF-8 BOM
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
        let refuse = |row: usize, column: &str, zh: String, en: String| CoreError::FileRejected {
            file: file.to_string(),
            problems: vec![CellProblem { row, column: column.to_string(), reason_zh: zh, reason_en: en }],
        };
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| refuse(1, "-", format!("无法读取表头：{e}"), format!("cannot read the header row: {e}")))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let find = |(en, zh): &(&str, &str)| headers.iter().position(|h| h == en || h == zh);
        let mut positions = Vec::new();
        let mut columns = Vec::new();
        for want in required {
            match find(want) {
                Some(p) => positions.push(Some(p)),
                None => {
                    return Err(refuse(
                        1,
                        want.0,
                        format!("缺少“{}”列（表头写作 {} 或 {}）", want.1, want.0, want.1),
                        format!("the column “{}” is missing (header {} or {})", want.0, want.0, want.1),
                    ))
                }
            }
            columns.push(want.0.to_string());
        }
        for want in optional {
            positions.push(find(want));
            columns.push(want.0.to_string());
        }
        let mut rows = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let number = i + 2;
            let record =
                record.map_err(|e| refuse(number, "-", format!("无法读取：{e}"), format!("cannot read: {e}")))?;
            if record.iter().all(|c| c.trim().is_empty()) {
                continue; // blank lines, often left at the end by spreadsheets
            }
            let cells = positions
                .iter()
                .map(|p| p.and_then(|p| record.get(p)).map(str::trim).filter(|c| !c.is_empty()).map(str::to_string))
                .collect();
            rows.push(Row { number, cells, columns: columns.clone() });
        }
        Ok(Table { columns, rows })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_english_or_chinese_headers_with_optional_grades() {
        let s = read_sheets("s.csv", "item,expert,total,grade\n2027-ZX06-000001,E1,85.5,A\n2027-ZX06-000001,E2,80,\n")
            .unwrap();
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].total, s[0].grade, s[1].grade), (85.5, Some(Grade::A), None));
        let s = read_sheets("s.csv", "\u{feff}申报编号,专家,总分\nX,E1,９０\n").unwrap();
        assert_eq!(s[0].total, 90.0);
    }

    #[test]
    fn every_bad_cell_is_reported_with_its_row_and_column_and_nothing_is_read() {
        let text = "item,expert,total,grade\nX,E1,85,A\n,E2,80,B\nX,E3,101,C\nX,E4,80.3,B\nX,E5,abc,E\nX,E1,70,B\n";
        let err = read_sheets("sheets.csv", text).unwrap_err();
        let CoreError::FileRejected { file, problems } = err else { panic!("expected FileRejected") };
        assert_eq!(file, "sheets.csv");
        let at: Vec<(usize, &str)> = problems.iter().map(|p| (p.row, p.column.as_str())).collect();
        assert_eq!(at, vec![(3, "item"), (4, "total"), (5, "total"), (6, "total"), (6, "grade"), (7, "expert")]);
    }

    #[test]
    fn a_missing_column_is_named() {
        let err = read_sheets("s.csv", "item,total\nX,80\n").unwrap_err();
        let CoreError::FileRejected { problems, .. } = err else { panic!() };
        assert_eq!((problems[0].row, problems[0].column.as_str()), (1, "expert"));
    }

    #[test]
    fn requests_are_read_in_wan_and_stored_in_fen() {
        let r = read_requests("r.csv", "申报编号,申请财政经费（万元）\nX,120.5\nY,80\n").unwrap();
        assert_eq!(r["X"], 120_500_000);
        let err = read_requests("r.csv", "item,fiscal_wan\nX,12.34567\nX,1\nY,-3\n").unwrap_err();
        let CoreError::FileRejected { problems, .. } = err else { panic!() };
        let at: Vec<(usize, &str)> = problems.iter().map(|p| (p.row, p.column.as_str())).collect();
        assert_eq!(at, vec![(2, "fiscal_wan"), (3, "item"), (4, "fiscal_wan")]);
    }
}
