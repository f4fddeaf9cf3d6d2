//! `lixiang directed`: 定向委托 after its 可行性论证 round, from the command line (the office).
//!
//! `directed show` prints each plan's verdict counts per item of the form, the experts' opinions (the office
//! only), the panel opinion, the selection and the decisions; `directed panel` records the panel's
//! consolidated opinion on a plan (`--verdict pass|pass_after_revision|fail`, `--changes` with
//! pass_after_revision, `--proceed-reason` to go on without an expert who has not answered); `directed
//! select` picks one passing plan among invited units with a reason; `directed final` decides every plan and
//! writes one result package per applicant into `--out-dir`. `--round` defaults to the call's feasibility
//! round. Refusals of the round's state exit 4; bad input exits 3.

use crate::args::{bad, emit_json, moment, open};
use crate::{passphrase, Out};
use lixiang_core::money::{format_wan, parse_wan};
use lixiang_core::review::directed::{self, Consolidation, FinalInput, PanelInput};
use lixiang_core::{identity, CoreError, Lang};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum Command {
    /// The feasibility round consolidated: verdict counts per item, the experts' opinions, the panel opinions
    Show(RoundArgs),
    /// Record the panel's consolidated opinion on a plan (通过 / 修改后通过 / 不通过)
    Panel(PanelArgs),
    /// Select one plan among the invited units' passing plans, with a reason
    Select(SelectArgs),
    /// Decide every plan and write a result package per applicant
    Final(FinalArgs),
}

impl Command {
    pub fn json(&self) -> bool {
        match self {
            Command::Show(a) => a.json,
            Command::Panel(a) => a.json,
            Command::Select(a) => a.json,
            Command::Final(a) => a.json,
        }
    }
}

#[derive(clap::Args)]
pub struct RoundArgs {
    /// The call's code (2027-ZX02-01) or id
    #[arg(long)]
    pub call: String,
    /// The feasibility round's position in the review plan (default: the call's feasibility round)
    #[arg(long)]
    pub round: Option<u32>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct PanelArgs {
    #[arg(long)]
    pub call: String,
    #[arg(long)]
    pub round: Option<u32>,
    /// The plan (申报编号)
    #[arg(long, value_name = "NUMBER")]
    pub item: String,
    /// pass (通过), pass_after_revision (修改后通过) or fail (不通过)
    #[arg(long)]
    pub verdict: String,
    /// The panel's consolidated opinion
    #[arg(long)]
    pub opinion: String,
    /// The changes required (with pass_after_revision only)
    #[arg(long)]
    pub changes: Option<String>,
    /// Why the panel goes on while an assigned expert has not answered (kept with the opinion)
    #[arg(long, value_name = "TEXT")]
    pub proceed_reason: Option<String>,
    /// When it was recorded (a time with offset; default now)
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct SelectArgs {
    #[arg(long)]
    pub call: String,
    #[arg(long)]
    pub round: Option<u32>,
    /// The plan selected (申报编号)
    #[arg(long, value_name = "NUMBER")]
    pub item: String,
    /// Why this plan (sent to every invited unit with its result)
    #[arg(long)]
    pub reason: String,
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct FinalArgs {
    #[arg(long)]
    pub call: String,
    #[arg(long)]
    pub round: Option<u32>,
    /// The folder for the result packages (one per applicant)
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
    /// An adjusted funded amount, NUMBER=WAN (万元)
    #[arg(long, value_name = "NUMBER=WAN")]
    pub amount: Vec<String>,
    /// The time of the decision (with offset; default now)
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

fn verdict_text(code: &str, lang: Lang) -> String {
    let n = directed::verdict_name(code);
    lang.pick(&n.zh, &n.en).to_string()
}

fn print(c: &Consolidation, out: &Out) {
    let lang = out.lang;
    let kind = match (c.designated, lang) {
        (true, Lang::Zh) => "定向委托（指定单位）".to_string(),
        (true, Lang::En) => "directed commission (designated unit)".to_string(),
        (false, Lang::Zh) => format!("定向委托（{} 家受邀单位）", c.units.len()),
        (false, Lang::En) => format!("directed commission ({} invited units)", c.units.len()),
    };
    let mut text = format!("{} {} {}：{kind}\n", c.call, lang.pick("第", "round"), c.round);
    for p in &c.plans {
        text.push_str(&format!(
            "\n{}  {}  {}  {} 万元  {} {}/{}{}\n",
            p.number,
            p.unit,
            p.title,
            p.requested_wan,
            lang.pick("论证意见", "sheets"),
            p.sheets,
            p.assigned,
            if p.outstanding > 0 {
                format!("（{} {}）", lang.pick("待交回", "awaited"), p.awaited.join(", "))
            } else {
                String::new()
            }
        ));
        for k in &p.counts {
            text.push_str(&format!(
                "  {}：{} {} / {} {} / {} {}\n",
                lang.pick(&k.name_zh, &k.name_en),
                lang.pick("通过", "pass"),
                k.pass,
                lang.pick("修改后通过", "after revision"),
                k.pass_after_revision,
                lang.pick("不通过", "fail"),
                k.fail
            ));
        }
        for o in &p.opinions {
            text.push_str(&format!("  [{}] {}\n", o.expert_number, o.opinion));
        }
        for d in &p.declared {
            text.push_str(&format!("  [{}] {}：{}\n", d.expert_number, lang.pick("回避", "conflict"), d.reason));
        }
        if let Some(panel) = &p.panel {
            text.push_str(&format!(
                "  {}：{} — {}{}\n",
                lang.pick("专家组意见", "panel"),
                verdict_text(&panel.verdict, lang),
                panel.opinion,
                panel
                    .changes
                    .as_ref()
                    .map(|c| format!("（{}：{c}）", lang.pick("修改要求", "changes")))
                    .unwrap_or_default()
            ));
        }
        if p.selected {
            text.push_str(&format!("  {}\n", lang.pick("★ 选定", "★ selected")));
        }
        if let Some(d) = &p.decided {
            let how =
                if d.funded { lang.pick("立项", "approved") } else { lang.pick("不予立项", "not approved") };
            text.push_str(&format!("  {how} {} 万元：{}\n", d.amount_wan, d.reason));
        }
    }
    if let Some(s) = &c.selection {
        text.push_str(&format!("\n{}：{}（{}）\n", lang.pick("选定", "Selected"), s.number, s.reason));
    }
    crate::emit(&text);
}

fn emit_consolidation(c: &Consolidation, out: &Out) {
    if out.json {
        emit_json("lixiang.directed.consolidation.v1", c);
    } else {
        print(c, out);
    }
}

pub fn show(data_dir: Option<&Path>, a: &RoundArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let c = directed::consolidation(&mut ws, &a.call, a.round)?;
    emit_consolidation(&c, out);
    Ok(())
}

pub fn panel(data_dir: Option<&Path>, a: &PanelArgs, out: &Out) -> lixiang_core::Result<()> {
    let at = moment(a.at.as_deref(), out.lang)?;
    let verdict = directed::parse_verdict(&a.verdict).ok_or_else(|| {
        bad(
            "--verdict",
            out.lang,
            "应为 pass（通过）、pass_after_revision（修改后通过）或 fail（不通过）",
            "expected pass, pass_after_revision or fail",
        )
    })?;
    let input = PanelInput {
        number: a.item.clone(),
        verdict,
        opinion: a.opinion.clone(),
        changes: a.changes.clone(),
        proceed_reason: a.proceed_reason.clone(),
    };
    let mut ws = open(data_dir)?;
    let c = directed::record_panel(&mut ws, &a.call, a.round, &input, at)?;
    emit_consolidation(&c, out);
    Ok(())
}

pub fn select(data_dir: Option<&Path>, a: &SelectArgs, out: &Out) -> lixiang_core::Result<()> {
    let at = moment(a.at.as_deref(), out.lang)?;
    let mut ws = open(data_dir)?;
    let c = directed::select(&mut ws, &a.call, a.round, &a.item, &a.reason, at)?;
    emit_consolidation(&c, out);
    Ok(())
}

pub fn finalize(data_dir: Option<&Path>, a: &FinalArgs, out: &Out) -> lixiang_core::Result<()> {
    let at = moment(a.at.as_deref(), out.lang)?;
    let mut input = FinalInput::default();
    for given in &a.amount {
        let (number, wan) = given.split_once('=').ok_or_else(|| {
            bad(
                "--amount",
                out.lang,
                "应为 申报编号=万元，如 2027-ZX02-000001=450",
                "expected NUMBER=WAN, e.g. 2027-ZX02-000001=450",
            )
        })?;
        let fen = parse_wan(wan.trim())
            .map_err(|e| CoreError::Validation { field: "--amount".into(), reason: e.message(out.lang).to_string() })?;
        input.amounts.insert(number.trim().to_string(), fen);
    }
    let mut ws = open(data_dir)?;
    identity::info(&mut ws)?.ok_or(CoreError::NoIdentity)?;
    // The round's state is checked before the passphrase is asked for: a refusal needs no key.
    let (c, _) = directed::check_final(&mut ws, &a.call, a.round, &input, &a.out_dir)?;
    let pass = passphrase::read(out.lang, false)?;
    let keys = identity::unlock(&mut ws, &pass)?;
    let decided = directed::finalize(&mut ws, &keys, &a.call, Some(c.round), &input, at, &a.out_dir)?;
    if out.json {
        emit_json(
            "lixiang.directed.final.v1",
            serde_json::json!({ "call": c.call, "round": c.round, "items": decided }),
        );
        return Ok(());
    }
    let mut text = String::new();
    for d in &decided {
        let how =
            if d.funded { out.lang.pick("立项", "approved") } else { out.lang.pick("不予立项", "not approved") };
        let reason = out.lang.pick(&d.reason_zh, &d.reason_en);
        text.push_str(&format!("{} {how} {} 万元：{reason} → {}\n", d.number, format_wan(d.amount_fen), d.path));
    }
    crate::emit(&text);
    Ok(())
}
