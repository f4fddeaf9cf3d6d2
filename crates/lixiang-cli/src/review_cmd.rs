//! Review packets and score sheets from the command line.
//!
//! The office: `lixiang packet export --call C --round R (--expert E --out FILE | --all --out-dir D)`
//! writes each assigned expert's packet; `lixiang packet progress --call C --round R` shows the returns
//! per expert and per item (returns come in with `lixiang package import`).
//!
//! The expert: `lixiang review list`, `review show --packet P`, `review score` (saves the draft and
//! prints its problems), `review seal`, `review conflict`, `review return --out FILE`, and
//! `review remove-contents` after the review.
//!
//! On paper: `lixiang scoresheet template --packet P --out FILE.xlsx` writes the packet's score-sheet
//! template, and `lixiang scoresheet import --packet P FILE.xlsx [--seal]` reads the typed sheet back,
//! all or nothing (exit 3 with every bad cell when any is wrong).

use crate::args::{emit_json, open};
use crate::{passphrase, Out};
use lixiang_core::review::expert::{self, SheetState};
use lixiang_core::review::issue::{self, Recipients};
use lixiang_core::review::office;
use lixiang_core::review::paper;
use lixiang_core::review::sheet::SheetDraft;
use lixiang_core::score::Grade;
use lixiang_core::{identity, CoreError, Lang};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum PacketCommand {
    /// Write the review packets of a call's round: one expert's, or every assigned expert's
    Export(ExportArgs),
    /// Returns received so far, per expert and per application
    Progress(ProgressArgs),
}

#[derive(clap::Args)]
pub struct ExportArgs {
    /// The call's code (2027-ZX06-01) or id
    #[arg(long)]
    pub call: String,
    /// The round's position in the call's review plan, from 1
    #[arg(long)]
    pub round: u32,
    /// One expert's number (ZJ000001), with --out
    #[arg(long, requires = "out", conflicts_with = "all")]
    pub expert: Option<String>,
    /// The packet file for --expert
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Every expert of the round's assignment, with --out-dir
    #[arg(long, requires = "out_dir", required_unless_present = "expert")]
    pub all: bool,
    /// The folder for --all (files named review-packet-CALL-RROUND-EXPERT-DATE.lxpkg)
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ProgressArgs {
    /// The call's code or id
    #[arg(long)]
    pub call: String,
    /// The round's position, from 1
    #[arg(long)]
    pub round: u32,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Subcommand)]
pub enum ReviewCommand {
    /// The review packets this expert holds
    List(JsonArgs),
    /// One packet: its form and each application's sheet (draft, sealed with its receipt, or conflict)
    Show(PacketArgs),
    /// Save a sheet's draft (scores as CRITERION=POINTS) and print what is still missing
    Score(ScoreArgs),
    /// Seal a sheet (final; prints the receipt)
    Seal(ItemArgs),
    /// Declare a conflict of interest (回避) on an application: it leaves the packet
    Conflict(ConflictArgs),
    /// Write the return for the office: every sheet sealed and conflict declared so far
    Return(ReturnArgs),
    /// Remove the application contents of a fully returned packet from this laptop
    RemoveContents(PacketArgs),
    /// Print a sealed sheet with its receipt as PDF
    #[cfg(feature = "pdf")]
    Print(PrintArgs),
}

#[derive(clap::Args)]
pub struct PrintArgs {
    #[arg(long)]
    pub packet: String,
    #[arg(long)]
    pub item: String,
    /// The PDF file to write
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct JsonArgs {
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct PacketArgs {
    /// The packet's id (see `review list`)
    #[arg(long)]
    pub packet: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ItemArgs {
    #[arg(long)]
    pub packet: String,
    /// The application's 申报编号
    #[arg(long)]
    pub item: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ScoreArgs {
    #[arg(long)]
    pub packet: String,
    #[arg(long)]
    pub item: String,
    /// A criterion's score, CRITERION=POINTS (steps of 0.5); repeat for each criterion
    #[arg(long = "score", value_name = "CRITERION=POINTS")]
    pub scores: Vec<String>,
    /// Overall grade: A (优先支持), B (支持), C (可支持), D (不支持)
    #[arg(long)]
    pub grade: Option<String>,
    #[arg(long)]
    pub strengths: Option<String>,
    #[arg(long)]
    pub weaknesses: Option<String>,
    /// Verdict forms: ITEM=VERDICT (pass, pass_after_revision, fail, met, not_met); repeat
    #[arg(long = "verdict", value_name = "ITEM=VERDICT")]
    pub verdicts: Vec<String>,
    /// Verdict forms: the written opinion
    #[arg(long)]
    pub opinion: Option<String>,
    /// Confirm a grade that does not match the total (≥ 85 with D, < 60 with A)
    #[arg(long)]
    pub confirm_grade: bool,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ConflictArgs {
    #[arg(long)]
    pub packet: String,
    #[arg(long)]
    pub item: String,
    /// Why (同一单位, 近三年合作 …)
    #[arg(long)]
    pub reason: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ReturnArgs {
    #[arg(long)]
    pub packet: String,
    /// The return file to write
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Subcommand)]
pub enum ScoresheetCommand {
    /// Write a packet's score-sheet template (xlsx): one row per application still to score
    Template(ScoresheetTemplateArgs),
    /// Import a typed score sheet into the packet's sheets: all rows or none; --seal seals them too
    Import(ScoresheetImportArgs),
}

#[derive(clap::Args)]
pub struct ScoresheetTemplateArgs {
    /// The packet's id (see `review list`)
    #[arg(long)]
    pub packet: String,
    /// The xlsx file to write
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ScoresheetImportArgs {
    /// The packet's id (see `review list`)
    #[arg(long)]
    pub packet: String,
    /// The filled score sheet (xlsx)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Also seal every imported sheet (final; each must be complete)
    #[arg(long)]
    pub seal: bool,
    #[arg(long)]
    pub json: bool,
}

pub fn export(data_dir: Option<&Path>, a: &ExportArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    identity::info(&mut ws)?.ok_or(CoreError::NoIdentity)?;
    let recipients = match (&a.expert, &a.out, &a.out_dir) {
        (Some(e), Some(f), _) => Recipients::Expert { number: e.clone(), out: f.clone() },
        (None, _, Some(d)) => Recipients::All { out_dir: d.clone() },
        _ => unreachable!("clap requires --expert with --out or --all with --out-dir"),
    };
    let pass = passphrase::read(out.lang, false)?;
    let keys = identity::unlock(&mut ws, &pass)?;
    let written = issue::export(&mut ws, &keys, &a.call, a.round, &recipients)?;
    if out.json {
        emit_json("lixiang.packets.v1", serde_json::json!({ "packets": written }));
        return Ok(());
    }
    let mut text = String::new();
    for p in &written {
        text.push_str(&match out.lang {
            Lang::Zh => format!("{} {}：{} 项 → {}\n", p.expert_number, p.expert_name, p.items.len(), p.path),
            Lang::En => format!("{} {}: {} item(s) → {}\n", p.expert_number, p.expert_name, p.items.len(), p.path),
        });
    }
    if let Some(p) = written.first() {
        text.push_str(&format!("{} {}\n", out.lang.pick("评分表哈希：", "form sha256:"), p.form_sha256));
    }
    crate::emit(&text);
    Ok(())
}

pub fn progress(data_dir: Option<&Path>, a: &ProgressArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let p = office::progress(&mut ws, &a.call, a.round)?;
    if out.json {
        emit_json("lixiang.review_progress.v1", &p);
        return Ok(());
    }
    let l = |zh, en| out.lang.pick(zh, en);
    let mut text = format!(
        "{} {}  {} {}  {} {}/{}\n",
        l("指南", "call"),
        p.call,
        l("第几轮", "round"),
        p.round,
        l("已收评分表", "sheets received"),
        p.sheets,
        p.expected
    );
    for e in &p.experts {
        text.push_str(&format!(
            "{}  {} {}  {} {}  {} {}  {} {}\n",
            e.expert_number,
            l("分配", "assigned"),
            e.assigned,
            l("已评", "sheets"),
            e.sheets,
            l("回避", "conflicts"),
            e.conflicts,
            l("未交", "outstanding"),
            e.outstanding
        ));
    }
    for i in &p.items {
        text.push_str(&format!(
            "{}  {} {}/{}  {} {}\n",
            i.number,
            l("已评", "sheets"),
            i.sheets,
            i.assigned,
            l("回避", "conflicts"),
            i.conflicts
        ));
    }
    for a in &p.set_aside {
        text.push_str(&format!(
            "{}  {}  {} {}  {}{}\n",
            a.expert_number,
            a.number,
            l("已收到，不计入：已从第", "received, not counted: left the packet at issue"),
            a.newest_issue,
            l("版评审包移出", ""),
            a.removal_reason.as_deref().map(|r| format!(" — {r}")).unwrap_or_default()
        ));
    }
    crate::emit(&text);
    Ok(())
}

pub fn list(data_dir: Option<&Path>, a: &JsonArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let packets = expert::packets(&mut ws)?;
    if a.json {
        emit_json("lixiang.review_packets.v1", serde_json::json!({ "packets": packets }));
        return Ok(());
    }
    let mut text = String::new();
    for p in &packets {
        text.push_str(&format!(
            "{}  {} {} {}{}  {}/{} {}{}\n",
            p.packet_id,
            p.call_code,
            out.lang.pick("第", "round"),
            p.round,
            out.lang.pick("轮", ""),
            p.sealed + p.conflicts,
            p.items,
            out.lang.pick("已完成", "done"),
            if p.unsent > 0 {
                format!(" ({} {})", p.unsent, out.lang.pick("未交回", "not returned"))
            } else {
                String::new()
            }
        ));
    }
    if packets.is_empty() {
        text.push_str(out.lang.pick("还没有评审包\n", "no review packet yet\n"));
    }
    crate::emit(&text);
    Ok(())
}

pub fn show(data_dir: Option<&Path>, a: &PacketArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let held = expert::held(&mut ws, &a.packet)?;
    let states: Vec<SheetState> = held
        .sheets
        .iter()
        .map(|s| expert::sheet_state(&mut ws, &a.packet, &s.number))
        .collect::<lixiang_core::Result<_>>()?;
    if a.json {
        emit_json(
            "lixiang.review_packet.v1",
            serde_json::json!({
                "packet_id": held.row.packet_id,
                "call": held.payload.call_code,
                "round": held.payload.round,
                "issue": held.payload.issue,
                "superseded_by": held.payload.superseded_by,
                "blind": held.payload.blind,
                "form_sha256": held.payload.form_sha256,
                "form": held.payload.form,
                "sheets": states,
            }),
        );
        return Ok(());
    }
    let mut text = format!("{} {}\n", held.payload.call_code, held.payload.call_title.zh);
    for s in &states {
        let status = match s.status.as_str() {
            "sealed" => format!(
                "{} {} {}",
                out.lang.pick("已封存，回执", "sealed, receipt"),
                s.receipt_sha256.clone().unwrap_or_default(),
                s.total.clone().unwrap_or_default()
            ),
            "conflict" => {
                format!("{} {}", out.lang.pick("已回避：", "conflict:"), s.conflict_reason.clone().unwrap_or_default())
            }
            _ => format!("{} {}", out.lang.pick("草稿，待完成", "draft, missing"), s.problems.len()),
        };
        text.push_str(&format!("{}  {status}\n", s.number));
    }
    crate::emit(&text);
    Ok(())
}

fn pairs(list: &[String], what: &str, lang: Lang) -> lixiang_core::Result<Vec<(String, String)>> {
    list.iter()
        .map(|p| {
            p.split_once('=').map(|(k, v)| (k.trim().to_string(), v.trim().to_string())).ok_or_else(|| {
                CoreError::Validation {
                    field: what.into(),
                    reason: lang.pick("应写成 名称=值", "expected NAME=VALUE").to_string() + &format!(": {p}"),
                }
            })
        })
        .collect()
}

pub fn score(data_dir: Option<&Path>, a: &ScoreArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let mut draft: SheetDraft = expert::sheet_state(&mut ws, &a.packet, &a.item)?.draft;
    for (k, v) in pairs(&a.scores, "--score", out.lang)? {
        draft.scores.insert(k, v);
    }
    for (k, v) in pairs(&a.verdicts, "--verdict", out.lang)? {
        draft.verdicts.insert(k, v);
    }
    if let Some(g) = &a.grade {
        draft.grade = Some(Grade::parse(g).ok_or_else(|| CoreError::Validation {
            field: "--grade".into(),
            reason: out.lang.pick("总体评价只能是 A、B、C 或 D", "the grade is A, B, C or D").into(),
        })?);
    }
    if let Some(s) = &a.strengths {
        draft.strengths = s.clone();
    }
    if let Some(s) = &a.weaknesses {
        draft.weaknesses = s.clone();
    }
    if let Some(s) = &a.opinion {
        draft.opinion = s.clone();
    }
    draft.grade_confirmed |= a.confirm_grade;
    let st = expert::save_draft(&mut ws, &a.packet, &a.item, &draft)?;
    if a.json {
        emit_json("lixiang.sheet.v1", &st);
        return Ok(());
    }
    let mut text = format!(
        "{} {}\n",
        out.lang.pick("草稿已保存；总分", "draft saved; total"),
        st.total.clone().unwrap_or_default()
    );
    for p in &st.problems {
        text.push_str(&format!("  {}: {}\n", p.field, p.message(out.lang)));
    }
    if st.problems.is_empty() {
        text.push_str(out.lang.pick("可以封存：lixiang review seal …\n", "ready to seal: lixiang review seal …\n"));
    }
    crate::emit(&text);
    Ok(())
}

pub fn seal(data_dir: Option<&Path>, a: &ItemArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let r = expert::seal(&mut ws, &a.packet, &a.item)?;
    if a.json {
        emit_json("lixiang.sealed_sheet.v1", &r);
        return Ok(());
    }
    crate::emit(&match out.lang {
        Lang::Zh => format!("申报书 {} 的评分表已封存。回执（SHA-256）：{}\n", r.number, r.receipt_sha256),
        Lang::En => format!("The sheet of {} is sealed. Receipt (SHA-256): {}\n", r.number, r.receipt_sha256),
    });
    Ok(())
}

pub fn conflict(data_dir: Option<&Path>, a: &ConflictArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let st = expert::declare_conflict(&mut ws, &a.packet, &a.item, &a.reason)?;
    if a.json {
        emit_json("lixiang.sheet.v1", &st);
        return Ok(());
    }
    crate::emit(&match out.lang {
        Lang::Zh => format!("已声明回避申报书 {}；下次交回时告知管理机构\n", st.number),
        Lang::En => format!("Conflict declared on {}; the office learns of it with the next return\n", st.number),
    });
    Ok(())
}

pub fn write_return(data_dir: Option<&Path>, a: &ReturnArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    identity::info(&mut ws)?.ok_or(CoreError::NoIdentity)?;
    let pass = passphrase::read(out.lang, false)?;
    let keys = identity::unlock(&mut ws, &pass)?;
    let r = expert::write_return(&mut ws, &keys, &a.packet, &a.out)?;
    if a.json {
        emit_json("lixiang.review_return.v1", &r);
        return Ok(());
    }
    crate::emit(&match out.lang {
        Lang::Zh => format!("第 {} 次交回：{} 份评分表，{} 项回避 → {}\n", r.seq, r.sheets, r.conflicts, r.path),
        Lang::En => format!("Return {}: {} sheet(s), {} conflict(s) → {}\n", r.seq, r.sheets, r.conflicts, r.path),
    });
    Ok(())
}

pub fn remove_contents(data_dir: Option<&Path>, a: &PacketArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let n = expert::remove_contents(&mut ws, &a.packet)?;
    if a.json {
        emit_json("lixiang.contents_removed.v1", serde_json::json!({ "packet_id": a.packet, "files_removed": n }));
        return Ok(());
    }
    crate::emit(&match out.lang {
        Lang::Zh => format!("已删除申报书内容（{n} 个附件文件）；评分表和回执保留\n"),
        Lang::En => format!("Application contents removed ({n} attachment file(s)); sheets and receipts kept\n"),
    });
    Ok(())
}

#[cfg(feature = "pdf")]
pub fn print(data_dir: Option<&Path>, a: &PrintArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let opts = lixiang_pdf::RenderOptions { lang: out.lang, created: lixiang_pdf::Created::from_env_or_now() };
    let pdf = lixiang_pdf::sheet::sheet_pdf(&mut ws, &a.packet, &a.item, &opts)?;
    lixiang_pdf::write_file(&a.out, &pdf.bytes)?;
    let shown = std::fs::canonicalize(&a.out).unwrap_or_else(|_| a.out.clone());
    if a.json {
        emit_json("lixiang.sheet_pdf.v1", serde_json::json!({ "path": shown, "pages": pdf.pages }));
    } else {
        crate::emit(&match out.lang {
            Lang::Zh => format!("已生成评分表 PDF（{} 页）：{}\n", pdf.pages, shown.display()),
            Lang::En => format!("Score sheet PDF written ({} pages): {}\n", pdf.pages, shown.display()),
        });
    }
    Ok(())
}

pub fn scoresheet_template(data_dir: Option<&Path>, a: &ScoresheetTemplateArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let bytes = paper::template(&mut ws, &a.packet)?;
    std::fs::write(&a.out, &bytes).map_err(|source| CoreError::FileWrite { path: a.out.clone(), source })?;
    if a.json {
        emit_json(
            "lixiang.scoresheet_template.v1",
            serde_json::json!({ "packet_id": a.packet, "path": a.out.display().to_string() }),
        );
        return Ok(());
    }
    crate::emit(&format!(
        "{} {}\n",
        out.lang.pick("已写出纸质评分表模板：", "wrote the score-sheet template:"),
        a.out.display()
    ));
    Ok(())
}

pub fn scoresheet_import(data_dir: Option<&Path>, a: &ScoresheetImportArgs, out: &Out) -> lixiang_core::Result<()> {
    let bytes = std::fs::read(&a.file).map_err(|source| CoreError::WorkspaceIo { path: a.file.clone(), source })?;
    let name = a.file.file_name().map_or_else(|| a.file.display().to_string(), |n| n.to_string_lossy().into_owned());
    let mut ws = open(data_dir)?;
    let r = paper::import(&mut ws, &a.packet, &name, &bytes, a.seal)?;
    if a.json {
        emit_json("lixiang.scoresheet_import.v1", &r);
        return Ok(());
    }
    let mut text = String::new();
    for row in &r.rows {
        let receipt = r.receipts.iter().find(|x| x.number == row.number);
        let what = match (receipt, out.lang) {
            (Some(x), Lang::Zh) => format!("已封存，回执 {}", x.receipt_sha256),
            (Some(x), Lang::En) => format!("sealed, receipt {}", x.receipt_sha256),
            (None, Lang::Zh) if row.problems.is_empty() => "草稿已保存，可以封存".to_string(),
            (None, Lang::En) if row.problems.is_empty() => "draft saved, ready to seal".to_string(),
            (None, Lang::Zh) => format!("草稿已保存，还缺 {} 项", row.problems.len()),
            (None, Lang::En) => format!("draft saved, {} thing(s) missing", row.problems.len()),
        };
        text.push_str(&format!("{:>4}  {}  {}  {what}\n", row.row, row.number, row.total.clone().unwrap_or_default()));
    }
    for row in &r.skipped {
        text.push_str(&format!(
            "{:>4}  {}  {}\n",
            row.row,
            row.number,
            out.lang.pick("空行，未导入", "empty, skipped")
        ));
    }
    if r.rows.is_empty() {
        text.push_str(out.lang.pick("评分表中没有填写的行\n", "no filled row in the sheet\n"));
    }
    crate::emit(&text);
    Ok(())
}
