//! `lixiang call …`: the office's call desk — create a draft (from a JSON file or a shipped demo call),
//! list and show calls, publish (checked, frozen, audited), start a new revision, export the call
//! package applicants import.

use crate::{passphrase, Out};
use lixiang_core::calendar::Moment;
use lixiang_core::call::{self, desk, Call};
use lixiang_core::{identity, workspace, CoreError, Lang, Workspace};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum Command {
    /// List the calls of this workspace (own and imported), newest revision of each
    List(ListArgs),
    /// Show one call (by code such as 2027-ZX06-01, or id) as JSON
    Show(ShowArgs),
    /// Save a draft call from a JSON file, or from one of the shipped demo calls (--demo ZX06)
    Create(CreateArgs),
    /// Publish the newest draft revision: checked, then frozen
    Publish(CodeArgs),
    /// Start the next revision of a published call, as a draft
    Revise(CodeArgs),
    /// Write the call package of the newest published revision, for applicants
    Export(ExportArgs),
    /// Print the newest revision as a PDF for publication (指南)
    #[cfg(feature = "pdf")]
    Print(PrintArgs),
}

#[cfg(feature = "pdf")]
#[derive(clap::Args)]
pub struct PrintArgs {
    /// The call's code or id
    pub call: String,
    /// Where to write the PDF
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ListArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ShowArgs {
    /// The call's code or id
    pub call: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct CreateArgs {
    /// A call as JSON (the shape `call show` prints)
    #[arg(long, value_name = "FILE", conflicts_with = "demo", required_unless_present = "demo")]
    pub from: Option<PathBuf>,
    /// A new draft from the shipped demo call of this programme (ZX01 … ZX08): an id of its own and the
    /// first free code (2027-ZX06-01, then -02 …)
    #[arg(long, value_name = "PROGRAMME")]
    pub demo: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct CodeArgs {
    /// The call's code or id
    pub call: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// The call's code or id
    pub call: String,
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[arg(long)]
    pub json: bool,
}

fn open(data_dir: Option<&Path>) -> lixiang_core::Result<Workspace> {
    Workspace::open(&workspace::resolve_dir(data_dir)?)
}

/// The workspace, once it is known to speak for the office: only the office makes and publishes calls.
fn open_as_office(data_dir: Option<&Path>) -> lixiang_core::Result<Workspace> {
    let mut ws = open(data_dir)?;
    identity::require_office(&mut ws, identity::OfficeDuty::Calls)?;
    Ok(ws)
}

pub fn list(data_dir: Option<&Path>, _a: &ListArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let calls = desk::list(&mut ws)?;
    if out.json {
        let doc = serde_json::json!({ "schema": "lixiang.calls.v1", "calls": calls });
        crate::emit(&format!("{doc:#}\n"));
        return Ok(());
    }
    let mut text = String::new();
    for c in &calls {
        let state = match (c.published, out.lang) {
            (true, Lang::Zh) => "已发布",
            (false, Lang::Zh) => "草稿",
            (true, Lang::En) => "published",
            (false, Lang::En) => "draft",
        };
        let title = out.lang.pick(&c.title_zh, &c.title_en);
        text.push_str(&format!("{}  r{}  {}  {}  {}\n", c.code, c.revision, c.programme, state, title));
    }
    if calls.is_empty() {
        text.push_str(out.lang.pick("（还没有指南）\n", "(no calls yet)\n"));
    }
    crate::emit(&text);
    Ok(())
}

pub fn show(data_dir: Option<&Path>, a: &ShowArgs, _out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let c = desk::get(&mut ws, &a.call)?;
    crate::emit(&format!("{:#}\n", serde_json::to_value(&c).expect("a call serialises")));
    Ok(())
}

pub fn create(data_dir: Option<&Path>, a: &CreateArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open_as_office(data_dir)?;
    let call = match (&a.from, &a.demo) {
        (Some(file), _) => {
            let text = std::fs::read_to_string(file)
                .map_err(|source| CoreError::WorkspaceIo { path: file.clone(), source })?;
            let call: Call = serde_json::from_str(&text).map_err(|e| CoreError::Validation {
                field: file.display().to_string(),
                reason: format!("{} {e}", out.lang.pick("不是有效的指南 JSON：", "not a valid call JSON:")),
            })?;
            desk::save_draft(&mut ws, &call)?;
            call
        }
        // As the window's 从示例新建: a call of its own (a fresh id, the first free code), saved at once.
        (None, Some(programme)) => call::drafts::new_from_demo(&mut ws, programme, None)?,
        (None, None) => unreachable!("clap requires --from or --demo"),
    };
    report(out, "lixiang.call_saved.v1", &call, ("已保存指南草稿", "Saved the draft call"));
    Ok(())
}

fn report(out: &Out, schema: &str, c: &Call, (zh, en): (&str, &str)) {
    if out.json {
        let doc = serde_json::json!({
            "schema": schema, "id": c.id.to_string(), "code": c.code, "revision": c.revision,
            "published": c.is_published(),
        });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        crate::emit(&format!("{} {} r{}\n", out.lang.pick(zh, en), c.code, c.revision));
    }
}

fn now() -> Moment {
    Moment::now_utc()
}

pub fn publish(data_dir: Option<&Path>, a: &CodeArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open_as_office(data_dir)?;
    let (c, warnings) = desk::publish(&mut ws, &a.call, now())?;
    for w in &warnings {
        eprintln!("{}: {}", w.field, out.lang.pick(&w.zh, &w.en));
    }
    report(out, "lixiang.call_published.v1", &c, ("已发布指南", "Published the call"));
    Ok(())
}

pub fn revise(data_dir: Option<&Path>, a: &CodeArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open_as_office(data_dir)?;
    let c = desk::revise(&mut ws, &a.call)?;
    report(out, "lixiang.call_saved.v1", &c, ("已新建修订版草稿", "Started the next revision as a draft"));
    Ok(())
}

pub fn export(data_dir: Option<&Path>, a: &ExportArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open_as_office(data_dir)?;
    let pass = passphrase::read(out.lang, false)?;
    let keys = identity::unlock(&mut ws, &pass)?;
    let card = desk::export(&mut ws, &keys, &a.call, &a.out)?;
    if out.json {
        let doc = serde_json::json!({
            "schema": "lixiang.call_export.v1", "path": card.path, "package_id": card.package_id,
            "file_sha256": card.file_sha256,
        });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        crate::emit(&format!("{}：{}\n", out.lang.pick("已导出指南文件包", "Exported the call package"), card.path));
    }
    Ok(())
}

/// Renders the call for publication to `--out` and says where and how many pages.
#[cfg(feature = "pdf")]
pub fn print(data_dir: Option<&Path>, a: &PrintArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let opts = lixiang_pdf::RenderOptions { lang: out.lang, created: lixiang_pdf::Created::from_env_or_now() };
    let pdf = lixiang_pdf::call::call_pdf(&mut ws, &a.call, &opts)?;
    lixiang_pdf::write_file(&a.out, &pdf.bytes)?;
    let shown = std::fs::canonicalize(&a.out).unwrap_or_else(|_| a.out.clone());
    if out.json {
        let doc = serde_json::json!({
            "schema": "lixiang.call_pdf.v1", "path": shown, "pages": pdf.pages, "bytes": pdf.bytes.len(),
        });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        crate::emit(&match out.lang {
            Lang::Zh => format!("已生成指南 PDF（{} 页）：{}\n", pdf.pages, shown.display()),
            Lang::En => format!("Call PDF written ({} pages): {}\n", pdf.pages, shown.display()),
        });
    }
    Ok(())
}
