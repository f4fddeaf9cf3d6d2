//! `lixiang milestone`: a 揭榜挂帅 race after its final decision (the office) — `milestone record` enters a
//! team's result at the next milestone from its report (the file is kept in the workspace by its SHA-256),
//! `milestone gate` decides the gate for every running team at once (`--continue`, `--terminate`,
//! `--increase NUMBER=WAN`, `--merge B=A:WAN`), `milestone show` prints the challenge: the core-indicator
//! gate, the selection, the race with its tranche ledger, or the bounty with its acceptance and payouts.
//!
//! Also the challenge's `decide` verbs: `decide select` (the 挂帅 team(s): core indicators, then the
//! ranking, or `--choose` with `--reason`; `--preview` records nothing), `decide agreement` (the signed
//! 任务书/协议 of a selected team: `--item`, `--number`, `--signed`, `--file` the PDF scan, `--funding`
//! checked against the call; the 公示 waits for every selected team's), `decide accept` (验收 of a
//! bounty: `--verdict CODE=met|not_met` per core indicator and `--file` supporting files) and
//! `decide payout` (every part of the reward due). Refusals of the state exit 4; bad input exits 3.

use crate::args::{bad, emit_json, moment, open, parse_method};
use crate::Out;
use lixiang_core::calendar::Date;
use lixiang_core::call::Verdict;
use lixiang_core::money::{format_wan, Fen};
use lixiang_core::review::challenge::{
    self, AcceptInput, AgreementInput, AgreementView, BountyView, GateInput, RaceView, ResultInput, SelectInput,
    Selection, TeamCall,
};
use lixiang_core::score::Method;
use lixiang_core::{CoreError, Lang};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Record a running team's result at the next milestone, from its report file
    Record(RecordArgs),
    /// Decide the next milestone's gate for every running team (continue, terminate, merge, increase)
    Gate(GateArgs),
    /// The challenge: the core-indicator gate, the selection, the race and its ledger, or the bounty
    Show(ShowArgs),
}

impl Command {
    pub fn json(&self) -> bool {
        match self {
            Command::Record(a) => a.json,
            Command::Gate(a) => a.json,
            Command::Show(a) => a.json,
        }
    }
}

#[derive(clap::Args)]
pub struct RecordArgs {
    /// The call's code (2027-ZX05-01) or id
    #[arg(long)]
    pub call: String,
    /// The milestone's code (M1 …)
    #[arg(long)]
    pub milestone: String,
    /// The team (its 申报编号)
    #[arg(long, value_name = "NUMBER")]
    pub team: String,
    /// The team's milestone report (kept in the workspace by its SHA-256)
    #[arg(long, value_name = "FILE")]
    pub report: PathBuf,
    /// The achieved value of an indicator examined at the milestone, CODE=VALUE; one per indicator
    #[arg(long, value_name = "CODE=VALUE")]
    pub value: Vec<String>,
    #[arg(long, default_value = "")]
    pub note: String,
    /// When it is recorded (a time with offset; default now)
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct GateArgs {
    #[arg(long)]
    pub call: String,
    #[arg(long)]
    pub milestone: String,
    /// A team that continues (its milestone tranche is released)
    #[arg(long = "continue", value_name = "NUMBER")]
    pub continue_: Vec<String>,
    /// A team that stops (its remaining tranches are cancelled)
    #[arg(long, value_name = "NUMBER")]
    pub terminate: Vec<String>,
    /// A team that continues with more money, NUMBER=WAN (万元)
    #[arg(long, value_name = "NUMBER=WAN")]
    pub increase: Vec<String>,
    /// Merge team B into team A, raising A by WAN 万元: B=A:WAN (or B=A for no raise)
    #[arg(long, value_name = "B=A:WAN")]
    pub merge: Vec<String>,
    /// The panel's reason for the gate's decisions
    #[arg(long)]
    pub reason: String,
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ShowArgs {
    #[arg(long)]
    pub call: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct SelectArgs {
    #[arg(long)]
    pub call: String,
    /// The round selected on (the 答辩 round, usually 1)
    #[arg(long)]
    pub round: u32,
    /// Ranking method: mean (default), median, trimmed_mean or z_mean
    #[arg(long, value_parser = parse_method)]
    pub method: Option<Method>,
    /// Name a team instead of the ranking's (repeat for a race); needs --reason
    #[arg(long, value_name = "NUMBER")]
    pub choose: Vec<String>,
    /// Why the officer names the team(s)
    #[arg(long)]
    pub reason: Option<String>,
    /// Show the gate and the selection without recording it
    #[arg(long)]
    pub preview: bool,
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct AgreementArgs {
    #[arg(long)]
    pub call: String,
    /// The selected team's 申报编号
    #[arg(long, value_name = "NUMBER")]
    pub item: String,
    /// The agreement's own number, as printed on it
    #[arg(long)]
    pub number: String,
    /// The day it was signed (YYYY-MM-DD), not before the selection
    #[arg(long, value_name = "DATE")]
    pub signed: String,
    /// The signed scan, a PDF
    #[arg(long, value_name = "FILE")]
    pub file: PathBuf,
    /// The agreed funding in 万元 (default: what the call fixes; anything else is refused)
    #[arg(long, value_name = "WAN")]
    pub funding: Option<String>,
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct AnnulArgs {
    #[arg(long)]
    pub call: String,
    /// The team's 申报编号
    #[arg(long, value_name = "NUMBER")]
    pub item: String,
    /// Why the agreement is annulled (kept in the audit chain)
    #[arg(long)]
    pub reason: String,
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct AcceptArgs {
    #[arg(long)]
    pub call: String,
    /// A core indicator's verdict, CODE=met|not_met (or 达到 / 未达到); one per core indicator
    #[arg(long, value_name = "CODE=VERDICT")]
    pub verdict: Vec<String>,
    /// A supporting file (test report, minutes …); at least one
    #[arg(long, value_name = "FILE")]
    pub file: Vec<PathBuf>,
    #[arg(long, default_value = "")]
    pub note: String,
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct PayoutArgs {
    #[arg(long)]
    pub call: String,
    /// The day paid (YYYY-MM-DD; default the day of --at)
    #[arg(long, value_name = "DATE")]
    pub paid_on: Option<String>,
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

fn read_file(path: &Path) -> lixiang_core::Result<(String, Vec<u8>)> {
    let bytes = std::fs::read(path).map_err(|e| CoreError::Validation {
        field: path.display().to_string(),
        reason: format!("无法读取文件 / cannot read the file: {e}"),
    })?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok((name, bytes))
}

fn pair<'a>(field: &str, text: &'a str, lang: Lang) -> lixiang_core::Result<(&'a str, &'a str)> {
    text.split_once('=').map(|(a, b)| (a.trim(), b.trim())).ok_or_else(|| {
        bad(field, lang, &format!("应为 键=值，收到“{text}”"), &format!("expected KEY=VALUE, got “{text}”"))
    })
}

fn wan_amount(field: &str, text: &str, lang: Lang) -> lixiang_core::Result<Fen> {
    Fen::parse_wan(text).map_err(|e| CoreError::Validation { field: field.into(), reason: e.message(lang).to_string() })
}

fn print_selection(s: &Selection, out: &Out) {
    let lang = out.lang;
    let mut text = match lang {
        Lang::Zh => format!(
            "指南 {} 第 {} 轮 核心指标审查：{} 项满足，{} 项不满足\n",
            s.call,
            s.round,
            s.gate.passing.len(),
            s.gate.out.len()
        ),
        Lang::En => format!(
            "Call {} round {} core-indicator gate: {} pass, {} out\n",
            s.call,
            s.round,
            s.gate.passing.len(),
            s.gate.out.len()
        ),
    };
    for o in &s.gate.out {
        for m in &o.misses {
            text.push_str(&format!("  {} {}\n", o.number, m.text().get(lang)));
        }
    }
    text.push_str(lang.pick(
        if s.recorded { "选定的挂帅团队：\n" } else { "拟选定的挂帅团队（未记录）：\n" },
        if s.recorded { "Team(s) selected:\n" } else { "Team(s) proposed (not recorded):\n" },
    ));
    for t in &s.selected {
        text.push_str(&format!("  {:>3}  {}  {}  {}\n", t.rank, t.number, t.score, t.title));
    }
    if let Some(f) = s.first_tranche_fen {
        text.push_str(&format!("{}{} 万元\n", lang.pick("每队首笔资金：", "First tranche per team: "), format_wan(f)));
    }
    for p in &s.agreement_parts {
        text.push_str(&format!(
            "{}{} {} 万元\n",
            lang.pick("签约时兑付：", "Paid at the agreement: "),
            p.label.get(lang),
            p.amount_wan
        ));
    }
    crate::emit(&text);
}

pub fn select(data_dir: Option<&Path>, a: &SelectArgs, out: &Out) -> lixiang_core::Result<()> {
    let at = moment(a.at.as_deref(), out.lang)?;
    let input = SelectInput { method: a.method, choose: a.choose.clone(), reason: a.reason.clone() };
    let mut ws = open(data_dir)?;
    let s = if a.preview {
        challenge::preview(&mut ws, &a.call, a.round, &input)?
    } else {
        challenge::select(&mut ws, &a.call, a.round, &input, at)?
    };
    if out.json {
        emit_json("lixiang.decide.selection.v1", &s);
    } else {
        print_selection(&s, out);
    }
    Ok(())
}

fn print_bounty(b: &BountyView, out: &Out) {
    let lang = out.lang;
    let mut text = format!(
        "{} {}：{} {} 万元，{} {} 万元\n",
        b.call,
        b.winner,
        lang.pick("悬赏", "reward"),
        b.reward_wan,
        lang.pick("已兑付", "paid"),
        b.paid_wan
    );
    for a in &b.acceptances {
        let v: Vec<String> = a.verdicts.iter().map(|(k, v)| format!("{k}={v}")).collect();
        text.push_str(&format!("  {} #{} {}  {}\n", lang.pick("验收", "acceptance"), a.id, a.recorded_at, v.join(" ")));
    }
    for p in &b.parts {
        text.push_str(&format!(
            "  {} {}% {} 万元  {}{}\n",
            p.part.label.get(lang),
            p.part.percent,
            p.part.amount_wan,
            p.state,
            p.paid_on.as_ref().map(|d| format!(" {d}")).unwrap_or_default()
        ));
    }
    crate::emit(&text);
}

fn agreement_line(a: &AgreementView, lang: Lang) -> String {
    format!(
        "  {}  {} {}  {} {}  {} 万元  {} {}\n",
        a.number,
        lang.pick("任务书", "agreement"),
        a.agreement_no,
        lang.pick("签订", "signed"),
        a.signed_on,
        a.funding_wan,
        a.file_name,
        a.file_sha256
    )
}

pub fn agreement(data_dir: Option<&Path>, a: &AgreementArgs, out: &Out) -> lixiang_core::Result<()> {
    let lang = out.lang;
    let at = moment(a.at.as_deref(), lang)?;
    let signed_on = Date::parse(a.signed.trim())
        .ok_or_else(|| bad("--signed", lang, "应为日期 YYYY-MM-DD", "expected a date YYYY-MM-DD"))?;
    let funding = a.funding.as_deref().map(|w| wan_amount("--funding", w, lang)).transpose()?;
    let (file_name, file) = read_file(&a.file)?;
    let input =
        AgreementInput { number: a.item.clone(), agreement_no: a.number.clone(), signed_on, funding, file_name, file };
    let mut ws = open(data_dir)?;
    let v = challenge::record_agreement(&mut ws, &a.call, &input, at)?;
    if out.json {
        emit_json("lixiang.decide.agreement.v1", &v);
    } else {
        crate::emit(&agreement_line(&v, lang));
    }
    Ok(())
}

pub fn annul_agreement(data_dir: Option<&Path>, a: &AnnulArgs, out: &Out) -> lixiang_core::Result<()> {
    let at = moment(a.at.as_deref(), out.lang)?;
    let mut ws = open(data_dir)?;
    let v = challenge::annul_agreement(&mut ws, &a.call, &a.item, &a.reason, at)?;
    if out.json {
        emit_json("lixiang.decide.agreement_annulled.v1", &v);
    } else {
        crate::emit(&format!(
            "{}\n{}",
            out.lang.pick("已撤销任务书登记：", "Annulled the agreement:"),
            agreement_line(&v, out.lang)
        ));
    }
    Ok(())
}

fn verdict(text: &str, lang: Lang) -> lixiang_core::Result<Verdict> {
    match text {
        "met" | "达到" => Ok(Verdict::Met),
        "not_met" | "未达到" => Ok(Verdict::NotMet),
        _ => Err(bad("--verdict", lang, "验收意见应为 met（达到）或 not_met（未达到）", "a verdict is met or not_met")),
    }
}

pub fn accept(data_dir: Option<&Path>, a: &AcceptArgs, out: &Out) -> lixiang_core::Result<()> {
    let at = moment(a.at.as_deref(), out.lang)?;
    let mut verdicts = Vec::new();
    for v in &a.verdict {
        let (code, text) = pair("--verdict", v, out.lang)?;
        verdicts.push((code.to_string(), verdict(text, out.lang)?));
    }
    let files = a.file.iter().map(|f| read_file(f)).collect::<lixiang_core::Result<Vec<_>>>()?;
    let mut ws = open(data_dir)?;
    let b = challenge::accept(&mut ws, &a.call, &AcceptInput { verdicts, files, note: a.note.clone() }, at)?;
    if out.json {
        emit_json("lixiang.decide.bounty.v1", &b);
    } else {
        print_bounty(&b, out);
    }
    Ok(())
}

pub fn payout(data_dir: Option<&Path>, a: &PayoutArgs, out: &Out) -> lixiang_core::Result<()> {
    let at = moment(a.at.as_deref(), out.lang)?;
    let paid_on = match &a.paid_on {
        Some(d) => Date::parse(d)
            .ok_or_else(|| bad("--paid-on", out.lang, "应为日期 YYYY-MM-DD", "expected a date YYYY-MM-DD"))?,
        None => at.shanghai_date(),
    };
    let mut ws = open(data_dir)?;
    let b = challenge::pay(&mut ws, &a.call, paid_on, at)?;
    if out.json {
        emit_json("lixiang.decide.bounty.v1", &b);
    } else {
        print_bounty(&b, out);
    }
    Ok(())
}

pub fn record(data_dir: Option<&Path>, a: &RecordArgs, out: &Out) -> lixiang_core::Result<()> {
    let at = moment(a.at.as_deref(), out.lang)?;
    let mut achieved = Vec::new();
    for v in &a.value {
        let (code, value) = pair("--value", v, out.lang)?;
        achieved.push((code.to_string(), value.to_string()));
    }
    let (report_name, report) = read_file(&a.report)?;
    let input = ResultInput {
        milestone: a.milestone.clone(),
        number: a.team.clone(),
        report_name,
        report,
        achieved,
        note: a.note.clone(),
    };
    let mut ws = open(data_dir)?;
    let r = challenge::record_result(&mut ws, &a.call, &input, at)?;
    if out.json {
        emit_json("lixiang.milestone.result.v1", &r);
    } else {
        let mut text = format!("{} {} {} {}\n", r.milestone, r.number, r.report_name, r.report_sha256);
        for x in &r.achieved {
            let met = if x.met { out.lang.pick("达到", "met") } else { out.lang.pick("未达到", "not met") };
            text.push_str(&format!(
                "  {} {} {}（{} {} {}）{met}\n",
                x.indicator, x.value, x.unit, x.direction, x.target, x.unit
            ));
        }
        crate::emit(&text);
    }
    Ok(())
}

pub fn gate(data_dir: Option<&Path>, a: &GateArgs, out: &Out) -> lixiang_core::Result<()> {
    let lang = out.lang;
    let at = moment(a.at.as_deref(), lang)?;
    let mut calls: Vec<(String, TeamCall)> = Vec::new();
    calls.extend(a.continue_.iter().map(|n| (n.clone(), TeamCall::Continue)));
    calls.extend(a.terminate.iter().map(|n| (n.clone(), TeamCall::Terminate)));
    for i in &a.increase {
        let (n, w) = pair("--increase", i, lang)?;
        calls.push((n.to_string(), TeamCall::Increase { amount: wan_amount("--increase", w, lang)? }));
    }
    for m in &a.merge {
        let (from, rest) = pair("--merge", m, lang)?;
        let (into, amount) = match rest.split_once(':') {
            Some((into, w)) => (into.trim(), wan_amount("--merge", w.trim(), lang)?),
            None => (rest, Fen::ZERO),
        };
        calls.push((from.to_string(), TeamCall::Merge { into: into.to_string(), amount }));
    }
    let mut ws = open(data_dir)?;
    let r = challenge::decide_gate(
        &mut ws,
        &a.call,
        &GateInput { milestone: a.milestone.clone(), calls, reason: a.reason.clone() },
        at,
    )?;
    if out.json {
        emit_json("lixiang.milestone.race.v1", &r);
    } else {
        print_race(&r, out);
    }
    Ok(())
}

fn print_race(r: &RaceView, out: &Out) {
    let lang = out.lang;
    let s = &r.state;
    let mut text = format!(
        "{} {}{} / {}{} 万元 / {}{} 万元 / {}{} 万元\n",
        r.call,
        lang.pick("已拨付 ", "released "),
        format_wan(s.released_fen),
        lang.pick("已取消 ", "cancelled "),
        format_wan(s.cancelled_fen),
        lang.pick("待拨付 ", "planned "),
        format_wan(s.planned_fen),
        lang.pick("上限 ", "cap "),
        format_wan(s.cap_fen),
    );
    for t in &s.teams {
        text.push_str(&format!(
            "  {}  {:?}{}  {} {} / {} {} / {} {}\n",
            t.number,
            t.status,
            t.at.as_ref().map(|m| format!("@{m}")).unwrap_or_default(),
            lang.pick("拨付", "released"),
            format_wan(t.released_fen),
            lang.pick("取消", "cancelled"),
            format_wan(t.cancelled_fen),
            lang.pick("待拨", "planned"),
            format_wan(t.planned_fen)
        ));
    }
    match (&s.next, s.winners.is_empty()) {
        (Some(m), _) => text.push_str(&format!("{}{m}\n", lang.pick("下一个里程碑：", "Next milestone: "))),
        (None, false) => text.push_str(&format!("{}{}\n", lang.pick("胜出：", "Winner(s): "), s.winners.join(", "))),
        (None, true) => text.push_str(lang.pick("赛马结束，无团队胜出\n", "The race is over without a winner\n")),
    }
    crate::emit(&text);
}

pub fn show(data_dir: Option<&Path>, a: &ShowArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let v = challenge::show(&mut ws, &a.call)?;
    if out.json {
        emit_json("lixiang.milestone.show.v1", &v);
        return Ok(());
    }
    let lang = out.lang;
    let mut text = format!(
        "{} ({}) {}{}\n",
        v.call,
        v.contest,
        lang.pick("核心指标审查未通过：", "out of the gate: "),
        v.gate.out.len()
    );
    for o in &v.gate.out {
        for m in &o.misses {
            text.push_str(&format!("  {} {}\n", o.number, m.text().get(lang)));
        }
    }
    if let Some(s) = &v.selection {
        let picked: Vec<&str> = s.items.iter().map(|i| i.number.as_str()).collect();
        text.push_str(&format!("{}{}\n", lang.pick("挂帅团队：", "Selected: "), picked.join(", ")));
        for a in &v.agreements {
            text.push_str(&agreement_line(a, lang));
        }
        if !v.agreements_missing.is_empty() {
            text.push_str(&format!(
                "{}{}\n",
                lang.pick(
                    "尚未登记任务书（公示前须登记）：",
                    "No agreement recorded yet (needed before the public notice): "
                ),
                v.agreements_missing.join(", ")
            ));
        }
    }
    crate::emit(&text);
    if let Some(r) = &v.race {
        print_race(r, out);
    }
    if let Some(b) = &v.bounty {
        print_bounty(b, out);
    }
    Ok(())
}
