//! The expert pool's xlsx template ([`write_template`]) and its reader ([`read_sheet`]).
//!
//! The template's identity columns (证件号码, 统一社会信用代码, 学科代码, 联系电话) are formatted as text:
//! Excel stores a typed 18-digit number as a double and silently drops its last digits, so a numeric
//! cell in those columns is refused with that explanation instead of being read. Columns are found by
//! their Chinese header in row 1 (so a reordered sheet still reads); every bad cell is reported with its
//! row (as Excel shows it, the header being row 1), its column header and the reason. Nothing here
//! touches the database: [`super::desk`] decides what is imported.

use super::{
    looks_tibetan, normalize_document_number, region_from, sort_key, Document, ExpertCategory, ExpertProfile,
    ExpertStatus, Region, Relation, RelationKind, TitleLevel, UnitType,
};
use crate::application::DocumentKind;
use crate::calendar::Date;
use crate::discipline::Disciplines;
use crate::error::CellProblem;
use crate::report::workbook::{header_row, Head, Styles};
use crate::validate::{normalize, CreditCode, IdNumber};
use crate::{CoreError, Result};
use calamine::{Data, Reader, Xlsx};
use rust_xlsxwriter::Workbook;
use std::collections::BTreeMap;

/// The sheet the template writes and the reader looks for first (else the first sheet).
pub const SHEET: &str = "专家";

/// The yearly cap when the cell is left empty.
pub const DEFAULT_YEARLY_CAP: u32 = 20;

/// One column of the template.
pub struct Column {
    pub header: &'static str,
    pub required: bool,
    /// Formatted as text in the template, and refused when Excel stored a number in it.
    pub text: bool,
    pub note: &'static str,
    pub width: u16,
}

const fn col(header: &'static str, required: bool, text: bool, width: u16, note: &'static str) -> Column {
    Column { header, required, text, note, width }
}

/// The template's columns, in order.
pub const COLUMNS: &[Column] = &[
    col(NAME, true, false, 10, "必填。"),
    col(NAME_KIND, false, false, 10, "汉族 或 藏族；留空则自动判断。藏族姓名无姓氏，按音译全名的拼音排序。"),
    col(
        DOC_KIND,
        false,
        false,
        16,
        "居民身份证、护照、港澳台居民证件、外国人永久居留身份证。与证件号码同时留空时只能按姓名提示回避。",
    ),
    col(
        DOC_NUMBER,
        false,
        true,
        22,
        "文本格式，勿改为数字（18 位号码存成数字会丢失末位）。居民身份证按 GB 11643 校验。",
    ),
    col(UNIT, true, false, 24, "必填。"),
    col(CREDIT_CODE, true, true, 22, "必填，18 位，按 GB 32100 校验。"),
    col(DEPARTMENT, false, false, 14, ""),
    col(REGION, false, false, 8, "区内 或 区外；留空则按信用代码第 3–8 位（54 开头为西藏）自动填写。"),
    col(UNIT_TYPE, true, false, 10, "高校、院所、企业、医疗、机关事业、其他。"),
    col(TITLE, false, false, 14, "如 研究员、教授、正高级工程师。"),
    col(TITLE_LEVEL, true, false, 10, "正高、副高、中级、其他。技术专家须副高及以上（发榜方代表除外）。"),
    col(CATEGORY, true, false, 10, "技术、产业、经济、财务、法律、投资。"),
    col(END_USER, false, false, 10, "是 或 否（默认否）。"),
    col(DISCIPLINES, false, true, 18, "GB/T 13745 代码，多个用分号分隔，如 2102030；21020。技术专家必填。"),
    col(KEYWORDS, false, false, 24, "多个用分号分隔。"),
    col(WORKS, false, false, 30, "每条一行或用分号分隔。"),
    col(
        RELATIONS,
        false,
        false,
        36,
        "多条用分号分隔：合作:姓名:年份[:证件号]；学生:姓名[:证件号]；导师:姓名[:证件号]；亲属:姓名[:证件号]。",
    ),
    col(CAP, false, false, 10, "整数，留空为 20。"),
    col(DONE, false, false, 10, "整数，留空为 0。"),
    col(AVAILABLE, false, false, 8, "是 或 否（默认是）。"),
    col(STATUS, false, false, 8, "在库、暂停、退出（默认在库）。"),
    col(PHONE, false, true, 14, ""),
    col(EMAIL, false, false, 20, ""),
];

const NAME: &str = "姓名";
const NAME_KIND: &str = "姓名类型";
const DOC_KIND: &str = "证件类型";
const DOC_NUMBER: &str = "证件号码";
const UNIT: &str = "工作单位";
const CREDIT_CODE: &str = "统一社会信用代码";
const DEPARTMENT: &str = "所在部门";
const REGION: &str = "区内区外";
const UNIT_TYPE: &str = "单位类型";
const TITLE: &str = "职称";
const TITLE_LEVEL: &str = "职称级别";
const CATEGORY: &str = "专家类别";
const END_USER: &str = "发榜方代表";
const DISCIPLINES: &str = "学科代码";
const KEYWORDS: &str = "关键词";
const WORKS: &str = "代表作";
const RELATIONS: &str = "申报关系";
const CAP: &str = "年度评审上限";
const DONE: &str = "本年已评审";
const AVAILABLE: &str = "是否可用";
const STATUS: &str = "状态";
const PHONE: &str = "联系电话";
const EMAIL: &str = "电子邮箱";

const DOC_KINDS: [(&str, DocumentKind); 4] = [
    ("居民身份证", DocumentKind::ResidentId),
    ("护照", DocumentKind::Passport),
    ("港澳台居民证件", DocumentKind::HkMacaoTaiwanPermit),
    ("外国人永久居留身份证", DocumentKind::ForeignPermanentResidence),
];

/// The name of a document kind as the template writes it.
pub fn document_kind_zh(kind: DocumentKind) -> &'static str {
    DOC_KINDS.iter().find(|(_, k)| *k == kind).map_or("", |(n, _)| n)
}

/// The values a column takes when it is a choice (the window offers them as a list); empty for free text.
/// The same words [`read_sheet`] accepts.
pub fn choices(header: &str) -> &'static [&'static str] {
    match header {
        NAME_KIND => &["汉族", "藏族"],
        DOC_KIND => &["居民身份证", "护照", "港澳台居民证件", "外国人永久居留身份证"],
        REGION => &["区内", "区外"],
        UNIT_TYPE => &["高校", "院所", "企业", "医疗", "机关事业", "其他"],
        TITLE_LEVEL => &["正高", "副高", "中级", "其他"],
        CATEGORY => &["技术", "产业", "经济", "财务", "法律", "投资"],
        END_USER | AVAILABLE => &["是", "否"],
        STATUS => &["在库", "暂停", "退出"],
        _ => &[],
    }
}

/// An expert's profile as a template row: every column, in the template's order, with the words [`read_sheet`]
/// accepts, so the row reads back as the same profile (the window's edit form starts from it). A field the
/// profile leaves empty is an empty cell; the sort key is not a column (it is computed from the name again).
pub fn row_of_profile(p: &ExpertProfile) -> Vec<(&'static str, String)> {
    let yes_no = |b: bool| if b { "是" } else { "否" }.to_string();
    let relation = |r: &Relation| {
        let mut parts = vec![r.kind.zh().to_string(), r.name.clone()];
        if let Some(y) = r.year {
            parts.push(y.to_string());
        }
        if let Some(d) = &r.document_number {
            parts.push(d.clone());
        }
        parts.join(":")
    };
    vec![
        (NAME, p.name.clone()),
        (NAME_KIND, if p.tibetan_name { "藏族" } else { "汉族" }.to_string()),
        (DOC_KIND, p.document.as_ref().map_or(String::new(), |d| document_kind_zh(d.kind).to_string())),
        (DOC_NUMBER, p.document.as_ref().map_or(String::new(), |d| d.number.clone())),
        (UNIT, p.unit.clone()),
        (CREDIT_CODE, p.unit_credit_code.clone()),
        (DEPARTMENT, p.department.clone()),
        (REGION, p.region.zh().to_string()),
        (UNIT_TYPE, p.unit_type.zh().to_string()),
        (TITLE, p.title.clone()),
        (TITLE_LEVEL, p.title_level.zh().to_string()),
        (CATEGORY, p.category.zh().to_string()),
        (END_USER, yes_no(p.end_user_representative)),
        (DISCIPLINES, p.disciplines.join("；")),
        (KEYWORDS, p.keywords.join("；")),
        // Semicolons, not commas: a citation may hold commas (the reader folds line breaks into spaces).
        (WORKS, p.works.join("；")),
        (RELATIONS, p.relations.iter().map(relation).collect::<Vec<_>>().join("；")),
        (CAP, p.yearly_cap.to_string()),
        (DONE, p.reviews_this_year.to_string()),
        (AVAILABLE, yes_no(p.available)),
        (STATUS, p.status.zh().to_string()),
        (PHONE, p.phone.clone()),
        (EMAIL, p.email.clone()),
    ]
}

/// The header of the 证件号码 column: an expert's identity key, which an edit may not change.
pub const DOCUMENT_NUMBER_HEADER: &str = DOC_NUMBER;
/// The header of the 证件类型 column.
pub const DOCUMENT_KIND_HEADER: &str = DOC_KIND;
/// The headers of the two columns the per-call industry-user definition draws on (their choices are its values).
pub const CATEGORY_HEADER: &str = CATEGORY;
pub const UNIT_TYPE_HEADER: &str = UNIT_TYPE;

fn xlsx_error(e: impl std::fmt::Display) -> CoreError {
    CoreError::DocumentTemplate { document: "expert template".into(), reason: e.to_string() }
}

/// The import template as xlsx bytes, in the shared workbook style ([`crate::report::workbook`]): the
/// header row in Chinese with a note on each column, the identity columns formatted as text, the header
/// frozen.
pub fn write_template() -> Result<Vec<u8>> {
    write_sheet(&[])
}

fn heads(notes: &[String]) -> Vec<Head<'_>> {
    COLUMNS.iter().zip(notes).map(|(c, note)| Head { header: c.header, width: c.width, text: c.text, note }).collect()
}

/// The template with data rows, each given as (header, text) pairs; columns not named stay empty.
/// Used for the sample sheet and by tests; what people fill in Excel reads back the same way.
pub fn write_sheet(rows: &[Vec<(&'static str, String)>]) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let styles = Styles::default();
    let ws = wb.add_worksheet();
    ws.set_name(SHEET).map_err(xlsx_error)?;
    let notes: Vec<String> = COLUMNS
        .iter()
        .map(|c| {
            if c.required {
                format!("必填。{}", c.note.trim_start_matches("必填。"))
            } else {
                c.note.to_string()
            }
        })
        .collect();
    header_row(ws, &styles, &heads(&notes), 0).map_err(xlsx_error)?;
    for (r, row) in rows.iter().enumerate() {
        for (header, value) in row {
            let Some(col) = COLUMNS.iter().position(|c| c.header == *header) else { continue };
            let (r, col) = (r as u32 + 1, col as u16);
            if COLUMNS[col as usize].text {
                ws.write_string_with_format(r, col, value, &styles.text).map_err(xlsx_error)?;
            } else {
                ws.write_string(r, col, value).map_err(xlsx_error)?;
            }
        }
    }
    wb.save_to_buffer().map_err(xlsx_error)
}

/// `n` synthetic experts (marked 示例), the same for the same `n`: valid ID numbers and credit codes,
/// units in and outside 西藏, universities, institutes, enterprises and hospitals, senior titles, the
/// agricultural, ecological and medical disciplines, a few industry-user experts. For trying the pool,
/// the conflicts and the assignment without real people's data (demos, training, end-to-end tests).
pub fn sample_rows(n: usize) -> Vec<Vec<(&'static str, String)>> {
    use crate::application::demo::{synthetic_credit_code, synthetic_id_number};
    const NAMES: [&str; 16] = [
        "扎西次仁",
        "王建国",
        "卓玛",
        "李芳",
        "次仁多吉",
        "张伟",
        "格桑曲珍",
        "刘洋",
        "央金",
        "陈静",
        "尼玛顿珠",
        "杨帆",
        "赵敏",
        "拉巴",
        "周涛",
        "孙丽",
    ];
    // (division, unit, unit type, category) — 54xxxx is 西藏.
    const UNITS: [(&str, &str, &str, &str); 8] = [
        ("540000", "西藏自治区农牧科学院（示例）", "院所", "技术"),
        ("540100", "西藏大学农牧学院（示例）", "高校", "技术"),
        ("110000", "中国农业大学（示例）", "高校", "技术"),
        ("510000", "四川省农业科学院（示例）", "院所", "技术"),
        ("630000", "青海大学（示例）", "高校", "技术"),
        ("540100", "拉萨高原农牧企业（示例）", "企业", "产业"),
        ("620000", "甘肃高原种业有限公司（示例）", "企业", "产业"),
        ("540000", "西藏自治区人民医院（示例）", "医疗", "技术"),
    ];
    const SAMPLE_DISCIPLINES: [&str; 4] = ["21010；21020", "210；23010", "21030", "180；2102010"];
    (0..n)
        .map(|i| {
            let (division, unit, unit_type, category) = UNITS[i % UNITS.len()];
            let birth = Date::new(1965 + (i % 20) as i32, 1 + (i % 12) as u8, 1 + (i % 28) as u8).expect("a real date");
            let person_division = if division.starts_with("54") { "540102" } else { "110105" };
            // 91: a company registered with market regulation; 12: a public institution.
            let kind = if unit_type == "企业" { "91" } else { "12" };
            let code = synthetic_credit_code(&format!("{kind}{division}{:09}", 456_100_000 + (i % UNITS.len())));
            let name = if i < NAMES.len() {
                NAMES[i].to_string()
            } else {
                format!("{}{}", NAMES[i % NAMES.len()], i / NAMES.len())
            };
            vec![
                (NAME, name),
                (DOC_KIND, "居民身份证".to_string()),
                (DOC_NUMBER, synthetic_id_number(person_division, birth, (i % 900) as u16 + 1)),
                (UNIT, unit.to_string()),
                (CREDIT_CODE, code),
                (UNIT_TYPE, unit_type.to_string()),
                (TITLE, if i % 3 == 0 { "研究员" } else { "副教授" }.to_string()),
                (TITLE_LEVEL, if i % 3 == 0 { "正高" } else { "副高" }.to_string()),
                (CATEGORY, category.to_string()),
                (DISCIPLINES, SAMPLE_DISCIPLINES[i % SAMPLE_DISCIPLINES.len()].to_string()),
                (KEYWORDS, "青稞；高原农业；示例".to_string()),
            ]
        })
        .collect()
}

/// A data row that read without errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// The row as Excel shows it (the header is row 1).
    pub row: usize,
    pub profile: ExpertProfile,
}

/// What [`read_sheet`] found: the good rows, and every problem (errors block the import, warnings do not).
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    pub rows: Vec<SheetRow>,
    pub errors: Vec<CellProblem>,
    pub warnings: Vec<CellProblem>,
}

fn problem(row: usize, column: &str, zh: impl Into<String>, en: impl Into<String>) -> CellProblem {
    CellProblem { row, column: column.to_string(), reason_zh: zh.into(), reason_en: en.into() }
}

/// `v` (a parsed choice) or, when the text was not one of `allowed`, `None` with the problem recorded.
fn checked<T>(row: usize, h: &str, t: &str, v: Option<T>, allowed: &str, errs: &mut Vec<CellProblem>) -> Option<T> {
    if v.is_none() && !t.is_empty() {
        errs.push(problem(row, h, format!("“{t}”无效：应为 {allowed}"), format!("“{t}” is not one of {allowed}")));
    }
    v
}

/// A cell as text. Whole numbers print without a decimal point (a cap typed as 20 reads "20").
pub(crate) fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(true) => "是".into(),
        Data::Bool(false) => "否".into(),
        other => other.to_string(),
    }
}

/// Splits a list cell on semicolons, commas and 、 (after NFKC, so full-width ones count too).
fn split_list(text: &str, commas: bool) -> Vec<String> {
    normalize(text)
        .split(|c: char| c == ';' || c == '\n' || c == '、' || (commas && c == ','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Parses the 申报关系 cell. Errors are (zh, en).
pub fn parse_relations(text: &str) -> std::result::Result<Vec<Relation>, (String, String)> {
    let mut out = Vec::new();
    for entry in normalize(text).split([';', '\n']).map(str::trim).filter(|s| !s.is_empty()) {
        let parts: Vec<&str> = entry.split(':').map(str::trim).collect();
        let bad = |why_zh: &str, why_en: &str| (format!("“{entry}”：{why_zh}"), format!("“{entry}”: {why_en}"));
        let kind = RelationKind::parse_zh(parts[0])
            .ok_or_else(|| bad("关系类型须为 合作、学生、导师 或 亲属", "the kind must be 合作, 学生, 导师 or 亲属"))?;
        let name = parts.get(1).copied().unwrap_or("");
        if name.is_empty() {
            return Err(bad("缺少姓名", "the name is missing"));
        }
        let (year, doc) = if kind == RelationKind::Collaborator {
            if parts.len() > 4 {
                return Err(bad("字段过多", "too many fields"));
            }
            let y = parts.get(2).copied().unwrap_or("");
            let year = y.parse::<i32>().map_err(|_| {
                bad("合作须写明年份，如 合作:张三:2024", "a collaboration needs its year, e.g. 合作:张三:2024")
            })?;
            (Some(year), parts.get(3).copied())
        } else {
            if parts.len() > 3 {
                return Err(bad("字段过多", "too many fields"));
            }
            (None, parts.get(2).copied())
        };
        let document_number = doc.map(normalize_document_number).filter(|d| !d.is_empty());
        out.push(Relation { kind, name: name.to_string(), document_number, year });
    }
    Ok(out)
}

/// The profile field a check's problem names → the template column it came from.
fn column_of_field(field: &str) -> &'static str {
    let head = field.split(['.', '[']).next().unwrap_or(field);
    match head {
        "name" => NAME,
        "document" => DOC_NUMBER,
        "unit" => UNIT,
        "unit_credit_code" => CREDIT_CODE,
        "title_level" => TITLE_LEVEL,
        "disciplines" => DISCIPLINES,
        "relations" => RELATIONS,
        "reviews_this_year" => DONE,
        _ => NAME,
    }
}

/// Reads an expert sheet from xlsx bytes. `file` names the file in messages. A file that is not an
/// xlsx workbook, or lacks a required column, is refused as a whole (a problem on row 1).
pub fn read_sheet(file: &str, bytes: &[u8], disciplines: &Disciplines, today: Date) -> Result<Sheet> {
    let refuse = |zh: String, en: String| CoreError::FileRejected {
        file: file.to_string(),
        problems: vec![problem(1, "", zh, en)],
    };
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| refuse(format!("不是 xlsx 工作簿：{e}"), format!("not an xlsx workbook: {e}")))?;
    let names = wb.sheet_names();
    let sheet = names
        .iter()
        .find(|n| n.as_str() == SHEET)
        .or(names.first())
        .cloned()
        .ok_or_else(|| refuse("工作簿没有工作表".into(), "the workbook has no sheet".into()))?;
    let range = wb
        .worksheet_range(&sheet)
        .map_err(|e| refuse(format!("无法读取工作表 {sheet}：{e}"), format!("cannot read sheet {sheet}: {e}")))?;
    let Some((_, _)) = range.start() else {
        return Err(refuse("工作表是空的".into(), "the sheet is empty".into()));
    };
    let (_, end_col) = range.end().unwrap_or((0, 0));
    let (end_row, _) = range.end().unwrap_or((0, 0));
    let at = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    // Columns by their header in row 1 (absolute row 0).
    let mut by_header: BTreeMap<String, u32> = BTreeMap::new();
    for c in 0..=end_col {
        let h = normalize(&cell_text(&at(0, c)));
        if !h.is_empty() {
            by_header.entry(h).or_insert(c);
        }
    }
    let mut out = Sheet::default();
    let missing: Vec<&str> =
        COLUMNS.iter().filter(|c| c.required && !by_header.contains_key(c.header)).map(|c| c.header).collect();
    if !missing.is_empty() {
        return Err(CoreError::FileRejected {
            file: file.to_string(),
            problems: missing
                .iter()
                .map(|h| {
                    problem(
                        1,
                        h,
                        format!("缺少必填列“{h}”：请使用导出的模板"),
                        format!("the required column “{h}” is missing: use the exported template"),
                    )
                })
                .collect(),
        });
    }
    let mut seen_docs: BTreeMap<String, usize> = BTreeMap::new();
    for r in 1..=end_row {
        let row = r as usize + 1;
        let raw = |h: &str| by_header.get(h).map_or(Data::Empty, |&c| at(r, c));
        let text = |h: &str| normalize(&cell_text(&raw(h)));
        if COLUMNS.iter().all(|c| text(c.header).is_empty()) {
            continue; // an empty line between entries
        }
        let mut errors: Vec<CellProblem> = Vec::new();
        let mut err = |h: &str, zh: String, en: String| errors.push(problem(row, h, zh, en));
        // Identity columns must be text: a number there has already lost digits in Excel.
        for c in COLUMNS.iter().filter(|c| c.text) {
            if matches!(raw(c.header), Data::Float(_) | Data::Int(_)) && c.header != PHONE {
                err(
                    c.header,
                    "单元格是数字格式：长号码在 Excel 中会丢失末位，请将该列设为文本后重新输入".into(),
                    "the cell holds a number: Excel drops the last digits of long numbers; format the column as text and type it again".into(),
                );
            }
        }
        let name = text(NAME);
        if name.is_empty() {
            err(NAME, "姓名不能为空".into(), "the name is missing".into());
        }
        let tibetan = match text(NAME_KIND).as_str() {
            "" => looks_tibetan(&name),
            "藏族" => true,
            "汉族" => false,
            other => {
                err(
                    NAME_KIND,
                    format!("“{other}”应为 汉族、藏族 或留空"),
                    format!("“{other}” must be 汉族, 藏族 or empty"),
                );
                false
            }
        };
        let doc_kind_text = text(DOC_KIND);
        let doc_number = normalize_document_number(&cell_text(&raw(DOC_NUMBER)));
        let mut resident: Option<IdNumber> = None;
        let document = match (doc_kind_text.as_str(), doc_number.is_empty()) {
            ("", true) => {
                out.warnings.push(problem(
                    row,
                    DOC_NUMBER,
                    "没有证件号码：该专家的回避只能按姓名提示（可能冲突），不会自动排除",
                    "no document number: this expert's conflicts can only be flagged by name (possible), never excluded automatically",
                ));
                None
            }
            ("", false) => {
                err(
                    DOC_KIND,
                    "填写了证件号码，须同时填写证件类型".into(),
                    "a document number needs its document type".into(),
                );
                None
            }
            (k, _) => match DOC_KINDS.iter().find(|(n, _)| *n == k) {
                None => {
                    err(
                        DOC_KIND,
                        format!("证件类型“{k}”无效：应为 居民身份证、护照、港澳台居民证件 或 外国人永久居留身份证"),
                        format!("document type “{k}” is not one of the four accepted"),
                    );
                    None
                }
                Some((_, kind)) => {
                    if doc_number.is_empty() {
                        err(DOC_NUMBER, "证件号码不能为空".into(), "the document number is missing".into());
                    } else if *kind == DocumentKind::ResidentId {
                        match IdNumber::parse(&doc_number, today) {
                            Ok(id) => resident = Some(id),
                            Err(e) => err(DOC_NUMBER, e.message(crate::Lang::Zh), e.message(crate::Lang::En)),
                        }
                    }
                    Some(Document { kind: *kind, number: doc_number.clone() })
                }
            },
        };
        if !doc_number.is_empty() {
            if let Some(first) = seen_docs.get(&doc_number) {
                err(
                    DOC_NUMBER,
                    format!("证件号码与第 {first} 行重复"),
                    format!("the same document number as row {first}"),
                );
            } else {
                seen_docs.insert(doc_number.clone(), row);
            }
        }
        let credit_text = cell_text(&raw(CREDIT_CODE));
        let credit = match CreditCode::parse(&credit_text) {
            Ok(c) => Some(c),
            Err(e) => {
                err(CREDIT_CODE, e.message(crate::Lang::Zh), e.message(crate::Lang::En));
                None
            }
        };
        let region = match text(REGION).as_str() {
            "" => region_from(credit.as_ref(), resident.as_ref()).unwrap_or(Region::Outside),
            t => Region::parse_zh(t).unwrap_or_else(|| {
                err(REGION, format!("“{t}”应为 区内 或 区外"), format!("“{t}” must be 区内 or 区外"));
                Region::Outside
            }),
        };
        let mut pick = |h: &str, allowed: &str, default: Option<&str>| -> String {
            let t = text(h);
            match (t.is_empty(), default) {
                (true, Some(d)) => d.to_string(),
                (true, None) => {
                    err(h, format!("{h}不能为空（{allowed}）"), format!("{h} is required ({allowed})"));
                    String::new()
                }
                _ => t,
            }
        };
        let unit_type_t = pick(UNIT_TYPE, "高校、院所、企业、医疗、机关事业、其他", None);
        let level_t = pick(TITLE_LEVEL, "正高、副高、中级、其他", None);
        let category_t = pick(CATEGORY, "技术、产业、经济、财务、法律、投资", None);
        let end_user_t = pick(END_USER, "是、否", Some("否"));
        let available_t = pick(AVAILABLE, "是、否", Some("是"));
        let status_t = pick(STATUS, "在库、暂停、退出", Some("在库"));
        let unit_type = checked(
            row,
            UNIT_TYPE,
            &unit_type_t,
            UnitType::parse_zh(&unit_type_t),
            "高校、院所、企业、医疗、机关事业、其他",
            &mut errors,
        );
        let title_level =
            checked(row, TITLE_LEVEL, &level_t, TitleLevel::parse_zh(&level_t), "正高、副高、中级、其他", &mut errors);
        let category = checked(
            row,
            CATEGORY,
            &category_t,
            ExpertCategory::parse_zh(&category_t),
            "技术、产业、经济、财务、法律、投资",
            &mut errors,
        );
        let yes_no = |t: &str| match t {
            "是" => Some(true),
            "否" => Some(false),
            _ => None,
        };
        let end_user = checked(row, END_USER, &end_user_t, yes_no(&end_user_t), "是、否", &mut errors);
        let available = checked(row, AVAILABLE, &available_t, yes_no(&available_t), "是、否", &mut errors);
        let status =
            checked(row, STATUS, &status_t, ExpertStatus::parse_zh(&status_t), "在库、暂停、退出", &mut errors);
        let mut count = |h: &str, default: u32| -> u32 {
            let t = text(h);
            if t.is_empty() {
                return default;
            }
            t.parse::<u32>().unwrap_or_else(|_| {
                errors.push(problem(row, h, format!("“{t}”应为非负整数"), format!("“{t}” must be a whole number ≥ 0")));
                default
            })
        };
        let yearly_cap = count(CAP, DEFAULT_YEARLY_CAP);
        let reviews_this_year = count(DONE, 0);
        let relations = match parse_relations(&cell_text(&raw(RELATIONS))) {
            Ok(r) => r,
            Err((zh, en)) => {
                errors.push(problem(row, RELATIONS, zh, en));
                Vec::new()
            }
        };
        let (Some(unit_type), Some(title_level), Some(category), Some(end_user), Some(available), Some(status)) =
            (unit_type, title_level, category, end_user, available, status)
        else {
            out.errors.extend(errors);
            continue;
        };
        let profile = ExpertProfile {
            sort_key: sort_key(&name, tibetan),
            name,
            tibetan_name: tibetan,
            document,
            unit: text(UNIT),
            unit_credit_code: credit.as_ref().map_or(credit_text.clone(), |c| c.as_str().to_string()),
            department: text(DEPARTMENT),
            region,
            unit_type,
            title: text(TITLE),
            title_level,
            category,
            end_user_representative: end_user,
            disciplines: split_list(&cell_text(&raw(DISCIPLINES)), true),
            keywords: split_list(&cell_text(&raw(KEYWORDS)), true),
            works: split_list(&cell_text(&raw(WORKS)), false),
            relations,
            yearly_cap,
            reviews_this_year,
            available,
            status,
            phone: text(PHONE),
            email: text(EMAIL),
        };
        // The profile's own checks, minus what was already reported on this row's cells.
        for p in super::check_profile(&profile, disciplines, today) {
            let column = column_of_field(&p.field);
            let cell = problem(row, column, p.zh.clone(), p.en.clone());
            if p.is_error() {
                if !errors.iter().any(|e| e.column == column) {
                    errors.push(cell);
                }
            } else {
                out.warnings.push(cell);
            }
        }
        if errors.is_empty() {
            out.rows.push(SheetRow { row, profile });
        } else {
            out.errors.extend(errors);
        }
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::application::demo::{synthetic_credit_code, synthetic_id_number};
    use crate::expert::tests::today;
    use crate::report::workbook::inspect::Book;

    /// Writes a sheet with the template's headers and these rows (header → value), strings as text.
    pub fn sheet_bytes(rows: &[Vec<(&str, &str)>]) -> Vec<u8> {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.set_name(SHEET).unwrap();
        for (i, c) in COLUMNS.iter().enumerate() {
            ws.write_string(0, i as u16, c.header).unwrap();
        }
        for (r, cells) in rows.iter().enumerate() {
            for (h, v) in cells {
                let c = COLUMNS.iter().position(|c| c.header == *h).unwrap() as u16;
                ws.write_string(r as u32 + 1, c, *v).unwrap();
            }
        }
        wb.save_to_buffer().unwrap()
    }

    pub fn lhasa_code() -> String {
        synthetic_credit_code("12540100MB0000001")
    }

    pub fn chengdu_code() -> String {
        synthetic_credit_code("12510100MB0000002")
    }

    pub fn id(seq: u16) -> String {
        synthetic_id_number("540102", Date::new(1970, 5, 1).unwrap(), seq)
    }

    /// A good row: a technical expert (正高) with the given name and ID sequence.
    pub fn good(name: &'static str, doc: &'static str) -> Vec<(&'static str, &'static str)> {
        let code: &'static str = Box::leak(lhasa_code().into_boxed_str());
        vec![
            (NAME, name),
            (DOC_KIND, "居民身份证"),
            (DOC_NUMBER, doc),
            (UNIT, "西藏示例研究院（示例）"),
            (CREDIT_CODE, code),
            (UNIT_TYPE, "院所"),
            (TITLE, "研究员"),
            (TITLE_LEVEL, "正高"),
            (CATEGORY, "技术"),
            (DISCIPLINES, "2102030；21020"),
            (KEYWORDS, "青稞；育种"),
        ]
    }

    fn leak(s: String) -> &'static str {
        Box::leak(s.into_boxed_str())
    }

    fn read(bytes: &[u8]) -> Sheet {
        read_sheet("t.xlsx", bytes, &crate::discipline::embedded().unwrap(), today()).unwrap()
    }

    #[test]
    fn the_template_reads_back_with_its_text_columns() {
        let bytes = write_template().unwrap();
        let sheet = read(&bytes);
        assert!(sheet.rows.is_empty() && sheet.errors.is_empty());
        // The identity columns carry the text format (number format "@") in the written file.
        let mut zip = calamine::open_workbook_from_rs::<Xlsx<_>, _>(std::io::Cursor::new(bytes.clone())).unwrap();
        let r = zip.worksheet_range(SHEET).unwrap();
        let headers: Vec<String> = (0..COLUMNS.len() as u32).map(|c| cell_text(r.get_value((0, c)).unwrap())).collect();
        assert_eq!(headers[0], "姓名");
        assert_eq!(headers[3], "证件号码");
        assert_eq!(headers.len(), COLUMNS.len());
        // The shared workbook style, read from the file's own XML (calamine reads values, not formats):
        // every header bold and shaded with its note, the identity columns formatted as text ("@") as
        // whole columns (so what people type there stays text), the others not, widths as listed, the
        // header frozen.
        let book = Book::read(&bytes);
        for (i, c) in COLUMNS.iter().enumerate() {
            let i = i as u16;
            assert!(book.cell(SHEET, 0, i).is_header(), "header {}: {:?}", c.header, book.cell(SHEET, 0, i));
            let want = if c.text { "@" } else { "General" };
            assert_eq!(book.column(SHEET, i).num_format, want, "column {}", c.header);
            assert!(book.width(SHEET, i).is_some_and(|w| w >= f64::from(c.width)), "width of {}", c.header);
            assert_eq!(book.has_note(SHEET, 0, i), c.required || !c.note.is_empty(), "note on {}", c.header);
        }
        let text_columns: Vec<&str> = COLUMNS.iter().filter(|c| c.text).map(|c| c.header).collect();
        assert_eq!(text_columns, [DOC_NUMBER, CREDIT_CODE, DISCIPLINES, PHONE]);
        assert_eq!(book.frozen(SHEET), (1, 0));
    }

    #[test]
    fn a_filled_sheet_keeps_its_identity_cells_as_text_and_reads_back() {
        let rows = sample_rows(3);
        let bytes = write_sheet(&rows).unwrap();
        let book = Book::read(&bytes);
        let doc = COLUMNS.iter().position(|c| c.header == DOC_NUMBER).unwrap() as u16;
        let credit = COLUMNS.iter().position(|c| c.header == CREDIT_CODE).unwrap() as u16;
        let mut x: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
        let range = x.worksheet_range(SHEET).unwrap();
        for r in 1..=3u32 {
            for c in [doc, credit] {
                assert_eq!(book.cell(SHEET, r, c).num_format, "@", "row {r} column {c}");
                assert!(matches!(range.get_value((r, u32::from(c))), Some(Data::String(_))), "a string cell");
            }
        }
        let (_, id) = rows[0].iter().find(|(h, _)| *h == DOC_NUMBER).unwrap();
        assert_eq!(range.get_value((1, u32::from(doc))), Some(&Data::String(id.clone())), "all 18 digits");
        assert!(book.cell(SHEET, 0, 0).is_header());
        let sheet = read(&bytes);
        assert!(sheet.errors.is_empty() && sheet.rows.len() == 3, "{:?}", sheet.errors);
    }

    #[test]
    fn good_rows_read_with_defaults_and_derived_fields() {
        let a = leak(id(1));
        let mut tib = good("扎西次仁", leak(id(2)));
        tib.retain(|(h, _)| *h != CREDIT_CODE);
        tib.push((CREDIT_CODE, leak(chengdu_code())));
        tib.push((RELATIONS, "合作:李四:2024:540102197005010011；亲属:王五"));
        let sheet = read(&sheet_bytes(&[good("曾国藩", a), vec![], tib]));
        assert!(sheet.errors.is_empty(), "{:?}", sheet.errors);
        assert_eq!(sheet.rows.len(), 2);
        let zeng = &sheet.rows[0];
        assert_eq!(zeng.row, 2);
        assert_eq!(zeng.profile.sort_key, "zeng guo fan");
        assert_eq!(zeng.profile.region, Region::Inside, "54 in the credit code");
        assert_eq!(zeng.profile.disciplines, ["2102030", "21020"]);
        assert_eq!(zeng.profile.yearly_cap, DEFAULT_YEARLY_CAP);
        assert!(zeng.profile.available && zeng.profile.status == ExpertStatus::Active);
        let tashi = &sheet.rows[1];
        assert_eq!(tashi.row, 4, "the empty row 3 is skipped, not renumbered");
        assert!(tashi.profile.tibetan_name);
        assert_eq!(tashi.profile.region, Region::Outside, "the unit's division 510100 is outside");
        assert_eq!(tashi.profile.relations.len(), 2);
        assert_eq!(tashi.profile.relations[0].year, Some(2024));
        assert_eq!(tashi.profile.relations[1].document_number, None);
    }

    #[test]
    fn a_bad_file_is_reported_row_by_row() {
        let a = leak(id(1));
        let mut bad_id = good("李四", "540102197005010010");
        bad_id.retain(|(h, _)| *h != CREDIT_CODE);
        bad_id.push((CREDIT_CODE, "91540000MA6T030120"));
        let mut low = good("王五", leak(id(3)));
        low.retain(|(h, _)| *h != TITLE_LEVEL && *h != CATEGORY);
        low.push((TITLE_LEVEL, "中级"));
        low.push((CATEGORY, "技木"));
        let dup = good("赵六", a);
        let mut rel = good("钱七", leak(id(4)));
        rel.push((RELATIONS, "合作:孙八"));
        let sheet = read(&sheet_bytes(&[good("张三", a), bad_id, low, dup, rel]));
        assert_eq!(sheet.rows.len(), 1, "only row 2 is good");
        let at = |row: usize| -> Vec<&str> {
            sheet.errors.iter().filter(|p| p.row == row).map(|p| p.column.as_str()).collect()
        };
        assert_eq!(at(3), [DOC_NUMBER, CREDIT_CODE]);
        assert_eq!(at(4), [CATEGORY]);
        assert_eq!(at(5), [DOC_NUMBER], "duplicate of row 2");
        assert!(sheet.errors.iter().any(|p| p.row == 5 && p.reason_zh.contains("第 2 行")));
        assert_eq!(at(6), [RELATIONS]);
    }

    #[test]
    fn numbers_typed_into_identity_columns_are_refused() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (i, c) in COLUMNS.iter().enumerate() {
            ws.write_string(0, i as u16, c.header).unwrap();
        }
        let row = good("张三", "x");
        for (h, v) in &row {
            let c = COLUMNS.iter().position(|c| c.header == *h).unwrap() as u16;
            if *h == DOC_NUMBER {
                // What Excel keeps of an 18-digit number typed into a General cell.
                ws.write_number(1, c, 540102197005010011.0).unwrap();
            } else {
                ws.write_string(1, c, *v).unwrap();
            }
        }
        let sheet = read(&wb.save_to_buffer().unwrap());
        assert!(sheet.rows.is_empty());
        assert!(sheet.errors.iter().any(|p| p.row == 2 && p.column == DOC_NUMBER && p.reason_en.contains("Excel")));
    }

    #[test]
    fn a_file_without_the_required_columns_or_not_xlsx_is_refused_whole() {
        let mut wb = Workbook::new();
        wb.add_worksheet().write_string(0, 0, "名字").unwrap();
        let e = read_sheet("x.xlsx", &wb.save_to_buffer().unwrap(), &crate::discipline::embedded().unwrap(), today())
            .unwrap_err();
        assert!(matches!(e, CoreError::FileRejected { ref problems, .. } if problems.iter().any(|p| p.column == NAME)));
        let e = read_sheet("x.xlsx", b"not a zip", &crate::discipline::embedded().unwrap(), today()).unwrap_err();
        assert!(matches!(e, CoreError::FileRejected { .. }));
    }

    #[test]
    fn relations_syntax() {
        let r = parse_relations("合作：张三：2023；学生:李四:540102197005010011").unwrap();
        assert_eq!(
            r[0],
            Relation {
                kind: RelationKind::Collaborator, name: "张三".into(), document_number: None, year: Some(2023)
            }
        );
        assert_eq!(r[1].kind, RelationKind::Student);
        assert_eq!(r[1].document_number.as_deref(), Some("540102197005010011"));
        assert!(parse_relations("同事:张三").is_err());
        assert!(parse_relations("亲属:").is_err());
        assert!(parse_relations("合作:张三:去年").is_err());
    }
}

#[cfg(test)]
mod sample_tests {
    use super::*;

    #[test]
    fn the_sample_sheet_reads_back_without_a_bad_row_in_and_outside_xizang() {
        let bytes = write_sheet(&sample_rows(12)).unwrap();
        let disciplines = crate::discipline::embedded().unwrap();
        let sheet = read_sheet("sample.xlsx", &bytes, &disciplines, Date::new(2027, 1, 10).unwrap()).unwrap();
        assert!(sheet.errors.is_empty(), "{:?}", sheet.errors);
        assert_eq!(sheet.rows.len(), 12);
        let regions: std::collections::BTreeSet<_> = sheet.rows.iter().map(|r| r.profile.region).collect();
        assert_eq!(regions.len(), 2, "experts in and outside 西藏");
        assert!(sheet.rows.iter().any(|r| r.profile.is_industry_user()));
        assert_eq!(sample_rows(12), sample_rows(12), "the same sample every time");
    }

    #[test]
    fn a_profile_written_as_a_row_reads_back_as_the_same_profile() {
        let mut p = crate::expert::tests::profile("次仁多吉", 4);
        p.tibetan_name = true;
        p.unit = crate::validate::normalize(&p.unit); // as a cell reads: NFKC (full-width brackets become ASCII)
        p.sort_key = crate::expert::sort_key(&p.name, true);
        p.keywords = vec!["青稞".into(), "高原农业".into()];
        p.works = vec!["《青稞栽培》, 2020".into(), "《牦牛》".into()];
        p.relations = vec![
            Relation {
                kind: RelationKind::Collaborator,
                name: "李四".into(),
                document_number: Some(tests::id(9)),
                year: Some(2024),
            },
            Relation { kind: RelationKind::Student, name: "王五".into(), document_number: None, year: None },
        ];
        p.yearly_cap = 7;
        p.reviews_this_year = 2;
        p.available = false;
        p.status = ExpertStatus::Suspended;
        p.end_user_representative = true;
        p.phone = "13800000000".into();
        let row = row_of_profile(&p);
        assert_eq!(
            row.iter().map(|(h, _)| *h).collect::<Vec<_>>(),
            COLUMNS.iter().map(|c| c.header).collect::<Vec<_>>()
        );
        let list = crate::discipline::embedded().unwrap();
        let sheet = read_sheet("t.xlsx", &write_sheet(&[row]).unwrap(), &list, crate::expert::tests::today()).unwrap();
        assert!(sheet.errors.is_empty(), "{:?}", sheet.errors);
        assert_eq!(sheet.rows[0].profile, p);
    }
}
