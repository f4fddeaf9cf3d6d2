//! `lixiang expert …`: the office's expert pool (专家库) — the xlsx import template, the import itself
//! (a report first; `--confirm` writes every row in one transaction, only when no row is bad), the pool
//! in pinyin order marking experts without a key card, and attaching a key card to an entry.
//!
//! Exit codes of `import`: 0 imported; 3 bad rows (each reported with row, column and reason; nothing
//! written); 5 every row good but `--confirm` not given (nothing written).
//!
//! `add` enters one expert by hand and `edit` changes one already in the pool, both as `--field 列名=值` with the
//! template's column headers and through the template's own checks: exit 0 written (or, for `edit`, nothing to
//! change); 3 a bad field (every problem printed with its field; nothing written).

use crate::Out;
use lixiang_core::calendar::Moment;
use lixiang_core::expert::desk::{self, EditStatus, ImportStatus, RowAction};
use lixiang_core::expert::{xlsx, Expert};
use lixiang_core::{workspace, CoreError, Lang, Workspace};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Write the xlsx import template (Chinese headers, identity columns formatted as text)
    Template(TemplateArgs),
    /// Check an xlsx file of experts and, with --confirm, import it (all rows or none)
    Import(ImportArgs),
    /// The pool in pinyin order; experts still without a key card are marked
    List(ListArgs),
    /// Attach an expert's key card (a trusted contact imported from their key card package)
    Key(KeyArgs),
    /// Enter one expert by hand: --field 列名=值 for each column of the template (checked as an imported row)
    Add(AddArgs),
    /// Edit an expert of the pool: --field 列名=值 for each column to change (an empty value clears it); the
    /// document number is the expert's identity and cannot be changed
    Edit(EditArgs),
}

#[derive(clap::Args)]
pub struct AddArgs {
    /// A column of the template and its value, as 列名=值 (e.g. --field 姓名=张三); repeat for each column
    #[arg(long = "field", value_name = "列名=值", required = true)]
    pub fields: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("which").required(true).args(["id", "document"])))]
pub struct EditArgs {
    /// The expert's number (ZJ000001) or id
    #[arg(long)]
    pub id: Option<String>,
    /// Or the expert's document number
    #[arg(long)]
    pub document: Option<String>,
    /// A column of the template and its new value, as 列名=值; repeat for each column to change
    #[arg(long = "field", value_name = "列名=值", required = true)]
    pub fields: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct TemplateArgs {
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Fill it with this many synthetic experts (marked 示例), to try the pool without real data
    #[arg(long, value_name = "N")]
    pub sample: Option<usize>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ImportArgs {
    /// The xlsx file (from `expert template`)
    pub file: PathBuf,
    /// Write the rows (only when no row is bad); without it the command reports and writes nothing
    #[arg(long)]
    pub confirm: bool,
    /// Rows whose document number is already in the pool update that expert (else they are refused)
    #[arg(long)]
    pub update: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ListArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct KeyArgs {
    /// The expert's number (ZJ000001) or id
    pub expert: String,
    /// The key id (16 hex characters) of the expert's key card, as `package import` showed it
    #[arg(long)]
    pub key: String,
    #[arg(long)]
    pub json: bool,
}

fn open(data_dir: Option<&Path>) -> lixiang_core::Result<Workspace> {
    Workspace::open(&workspace::resolve_dir(data_dir)?)
}

pub fn template(a: &TemplateArgs, out: &Out) -> lixiang_core::Result<()> {
    let bytes = match a.sample {
        Some(n) => xlsx::write_sheet(&xlsx::sample_rows(n))?,
        None => xlsx::write_template()?,
    };
    std::fs::write(&a.out, &bytes).map_err(|source| CoreError::FileWrite { path: a.out.clone(), source })?;
    if out.json {
        let doc = serde_json::json!({
            "schema": "lixiang.expert_template.v1",
            "path": a.out.display().to_string(),
            "columns": xlsx::COLUMNS.iter().map(|c| serde_json::json!({
                "header": c.header, "required": c.required, "text": c.text
            })).collect::<Vec<_>>(),
        });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        crate::emit(&format!(
            "{} {}\n",
            out.lang.pick("已写出专家导入模板：", "wrote the expert import template:"),
            a.out.display()
        ));
    }
    Ok(())
}

pub fn import(data_dir: Option<&Path>, a: &ImportArgs, out: &Out) -> lixiang_core::Result<()> {
    let bytes = std::fs::read(&a.file).map_err(|source| CoreError::WorkspaceIo { path: a.file.clone(), source })?;
    let name = a.file.file_name().map_or_else(|| a.file.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut ws = open(data_dir)?;
    let today = Moment::now_utc().shanghai_date();
    let report = desk::import(&mut ws, &name, &bytes, today, a.update, a.confirm)?;
    if out.json {
        let doc = serde_json::json!({ "schema": "lixiang.expert_import.v1", "report": report });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        let mut text = String::new();
        let cell = |kind_zh: &str, kind_en: &str, p: &lixiang_core::error::CellProblem| match out.lang {
            Lang::Zh => format!("{kind_zh}：第 {} 行「{}」：{}\n", p.row, p.column, p.reason(out.lang)),
            Lang::En => format!("{kind_en}: row {}, column “{}”: {}\n", p.row, p.column, p.reason(out.lang)),
        };
        for p in &report.errors {
            text.push_str(&cell("错误", "error", p));
        }
        for p in &report.warnings {
            text.push_str(&cell("提示", "warning", p));
        }
        for r in &report.rows {
            let what = match (&r.action, out.lang) {
                (RowAction::Create { number: Some(n) }, Lang::Zh) => format!("已新增 {n}"),
                (RowAction::Create { number: Some(n) }, Lang::En) => format!("added {n}"),
                (RowAction::Create { number: None }, Lang::Zh) => "将新增".to_string(),
                (RowAction::Create { number: None }, Lang::En) => "to add".to_string(),
                (RowAction::Update { number }, Lang::Zh) => format!("更新 {number}"),
                (RowAction::Update { number }, Lang::En) => format!("update {number}"),
            };
            text.push_str(&format!("{:>4}  {}  {}\n", r.row, r.name, what));
        }
        crate::emit(&text);
    }
    match report.status {
        ImportStatus::Imported => Ok(()),
        ImportStatus::Rejected => Err(CoreError::FileRejected { file: report.file, problems: report.errors }),
        ImportStatus::NeedsConfirmation => {
            Err(CoreError::ImportNotConfirmed { file: report.file, rows: report.rows.len() })
        }
    }
}

fn listed(e: &Expert) -> serde_json::Value {
    let mut v = serde_json::to_value(e).expect("an expert serialises");
    v["has_key_card"] = e.key_id.is_some().into();
    v["industry_user"] = e.profile.is_industry_user().into();
    v["remaining_this_year"] = e.profile.remaining_this_year().into();
    v
}

pub fn list(data_dir: Option<&Path>, _a: &ListArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let pool = desk::pool(&mut ws)?;
    if out.json {
        let without: Vec<&str> = pool.iter().filter(|e| e.key_id.is_none()).map(|e| e.number.as_str()).collect();
        let doc = serde_json::json!({
            "schema": "lixiang.experts.v1",
            "experts": pool.iter().map(listed).collect::<Vec<_>>(),
            "without_key_card": without,
        });
        crate::emit(&format!("{doc:#}\n"));
        return Ok(());
    }
    let mut text = String::new();
    for e in &pool {
        let p = &e.profile;
        let key = match (&e.key_id, out.lang) {
            (Some(k), _) => k.clone(),
            (None, Lang::Zh) => "【缺公钥卡】".into(),
            (None, Lang::En) => "[no key card]".into(),
        };
        text.push_str(&format!(
            "{}  {}  ({})  {}  {}  {}  {}  {}/{}  {}\n",
            e.number,
            p.name,
            p.sort_key,
            p.unit,
            p.region.zh(),
            p.category.zh(),
            p.title_level.zh(),
            p.reviews_this_year,
            p.yearly_cap,
            key
        ));
    }
    if pool.is_empty() {
        text.push_str(out.lang.pick("（专家库为空）\n", "(the pool is empty)\n"));
    }
    crate::emit(&text);
    Ok(())
}

pub fn key(data_dir: Option<&Path>, a: &KeyArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let e = desk::attach_key(&mut ws, &a.expert, &a.key)?;
    if out.json {
        let doc = serde_json::json!({ "schema": "lixiang.expert.v1", "expert": listed(&e) });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        crate::emit(&format!("{} {} ← {}\n", e.number, e.profile.name, a.key));
    }
    Ok(())
}

/// `列名=值` pairs; the value may be empty (a cleared field) and may hold `=`.
fn parse_fields(raw: &[String], lang: Lang) -> lixiang_core::Result<Vec<(String, String)>> {
    raw.iter()
        .map(|f| {
            f.split_once('=').map(|(h, v)| (h.trim().to_string(), v.to_string())).ok_or_else(|| {
                crate::args::bad(
                    "--field",
                    lang,
                    &format!("“{f}”应写成 列名=值，如 姓名=张三"),
                    &format!("“{f}” must be written as 列名=值, e.g. 姓名=张三"),
                )
            })
        })
        .collect()
}

/// Every problem of a form, each with its field, as one refusal (exit 3).
fn refused(errors: &[lixiang_core::error::CellProblem], lang: Lang) -> CoreError {
    let mut fields: Vec<&str> = Vec::new();
    for e in errors {
        if !fields.contains(&e.column.as_str()) {
            fields.push(&e.column);
        }
    }
    let lines: Vec<String> = errors
        .iter()
        .map(|e| match lang {
            Lang::Zh => format!("「{}」{}", e.column, e.reason(lang)),
            Lang::En => format!("“{}”: {}", e.column, e.reason(lang)),
        })
        .collect();
    CoreError::Validation {
        field: fields.join(", "),
        reason: format!(
            "{}\n{}",
            lang.pick("专家信息有误，未写入：", "the expert entry has problems; nothing was written:"),
            lines.join("\n")
        ),
    }
}

fn warnings_text(warnings: &[lixiang_core::error::CellProblem], lang: Lang) -> String {
    warnings
        .iter()
        .map(|w| match lang {
            Lang::Zh => format!("提示：「{}」{}\n", w.column, w.reason(lang)),
            Lang::En => format!("warning: “{}”: {}\n", w.column, w.reason(lang)),
        })
        .collect()
}

pub fn add(data_dir: Option<&Path>, a: &AddArgs, out: &Out) -> lixiang_core::Result<()> {
    let fields = parse_fields(&a.fields, out.lang)?;
    let mut ws = open(data_dir)?;
    let report = desk::enter(&mut ws, &fields, Moment::now_utc().shanghai_date(), false, true)?;
    if out.json {
        let doc = serde_json::json!({ "schema": "lixiang.expert_entry.v1", "report": report });
        crate::emit(&format!("{doc:#}\n"));
    }
    if report.status != ImportStatus::Imported {
        return Err(refused(&report.errors, out.lang));
    }
    if !out.json {
        let mut text = warnings_text(&report.warnings, out.lang);
        for r in &report.rows {
            if let RowAction::Create { number: Some(n) } = &r.action {
                text.push_str(&format!("{} {n}  {}\n", out.lang.pick("已新增", "added"), r.name));
            }
        }
        crate::emit(&text);
    }
    Ok(())
}

pub fn edit(data_dir: Option<&Path>, a: &EditArgs, out: &Out) -> lixiang_core::Result<()> {
    let fields = parse_fields(&a.fields, out.lang)?;
    let mut ws = open(data_dir)?;
    let number = match (&a.id, &a.document) {
        (Some(id), _) => id.clone(),
        (None, Some(doc)) => desk::by_document(&mut ws, doc)?.number,
        (None, None) => {
            return Err(crate::args::bad(
                "--id",
                out.lang,
                "请用 --id 或 --document 指明专家",
                "name the expert with --id or --document",
            ))
        }
    };
    let report = desk::edit(&mut ws, &number, &fields, Moment::now_utc().shanghai_date(), true)?;
    if out.json {
        let doc = serde_json::json!({ "schema": "lixiang.expert_edit.v1", "report": report });
        crate::emit(&format!("{doc:#}\n"));
    }
    match report.status {
        EditStatus::Rejected => return Err(refused(&report.errors, out.lang)),
        EditStatus::Edited | EditStatus::Unchanged | EditStatus::NeedsConfirmation => {}
    }
    if !out.json {
        let mut text = warnings_text(&report.warnings, out.lang);
        if report.status == EditStatus::Unchanged {
            text.push_str(&format!(
                "{} {}  {}\n",
                report.number,
                report.name,
                out.lang.pick("没有变化，未写入", "unchanged, nothing written")
            ));
        } else {
            text.push_str(&format!("{} {} {}\n", out.lang.pick("已修改", "edited"), report.number, report.name));
            for c in &report.changes {
                text.push_str(&format!("  {}：{} → {}\n", c.field, c.old, c.new));
            }
        }
        crate::emit(&text);
    }
    Ok(())
}
