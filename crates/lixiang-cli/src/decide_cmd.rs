//! `lixiang decide`: the funding decision of a call's round from the command line (the office).
//!
//! `decide recommend` makes the recommendation list from the ranking and the funding line
//! (`--add NUMBER --reason TEXT` below the line, `--drop NUMBER --reason TEXT` above it, repeatable: each
//! `--reason` belongs to the `--add` or `--drop` just before it); `decide publicity` starts the 公示;
//! `decide objection` and `decide resolve` keep the objection log; `decide final` records the final
//! decisions and writes one result package per applicant into `--out-dir`; `decide show` prints where the
//! round stands. For a 会议评审 vote round (`panel vote`) the list is read from the panel's votes instead:
//! the recommended items in the shortlist's order under the funding line, basis `voted`, and refused
//! (`panel.votes_missing`, exit 4) while an item has no vote. Refusals of the round's state (the 公示 still running, an objection open, decided
//! already) exit 4; bad input exits 3.

use crate::args::{bad, emit_json, moment, open, parse_method};
use crate::{passphrase, Out};
use lixiang_core::calendar::Date;
use lixiang_core::money::{format_wan, parse_wan};
use lixiang_core::review::decision::{self, FinalInput, RecommendInput, RoundDecisions};
use lixiang_core::score::Method;
use lixiang_core::{identity, CoreError, Lang};
use std::path::{Path, PathBuf};

#[derive(clap::Subcommand)]
pub enum Command {
    /// Make the recommendation list of a round from its ranking (or a vote round's votes) and the funding line
    /// (until the 公示 starts)
    Recommend(RecommendArgs),
    /// Start the 公示 (public notice) of the round's recommendation list
    Publicity(PublicityArgs),
    /// Log an objection received during the 公示
    Objection(ObjectionArgs),
    /// Resolve a logged objection: upheld or dismissed, with a reason
    Resolve(ResolveArgs),
    /// Record the final decisions once the 公示 has ended, and write a result package per applicant
    Final(FinalArgs),
    /// Write the result packages of the round's final decisions again (byte for byte) into a folder, e.g. after
    /// a copy was lost or could not be written; records nothing
    Resend(ResendArgs),
    /// Where a round's decision stands: the list, the 公示, the objections, the final decisions
    Show(RoundArgs),
    /// 揭榜挂帅: select the team(s) — core indicators met, then the ranking (or named with a reason)
    Select(crate::milestone_cmd::SelectArgs),
    /// 揭榜挂帅: record the signed agreement (任务书/协议) of a selected team, before the 公示
    Agreement(crate::milestone_cmd::AgreementArgs),
    /// 揭榜挂帅: annul a recorded agreement before the 公示 (rescinded, or recorded against the wrong team),
    /// with a reason kept in the audit chain; a selection may then leave that team out
    AgreementAnnul(crate::milestone_cmd::AnnulArgs),
    /// 揭榜挂帅 bounty: record the 验收 of the winner, a verdict per core indicator with supporting files
    Accept(crate::milestone_cmd::AcceptArgs),
    /// 揭榜挂帅 bounty: record the payment of every part of the reward that is due
    Payout(crate::milestone_cmd::PayoutArgs),
}

impl Command {
    pub fn json(&self) -> bool {
        match self {
            Command::Recommend(a) => a.json,
            Command::Publicity(a) => a.json,
            Command::Objection(a) => a.json,
            Command::Resolve(a) => a.json,
            Command::Final(a) => a.json,
            Command::Resend(a) => a.json,
            Command::Show(a) => a.json,
            Command::Select(a) => a.json,
            Command::Agreement(a) => a.json,
            Command::AgreementAnnul(a) => a.json,
            Command::Accept(a) => a.json,
            Command::Payout(a) => a.json,
        }
    }
}

#[derive(clap::Args)]
pub struct RoundArgs {
    /// The call's code (2027-ZX06-01) or id
    #[arg(long)]
    pub call: String,
    /// The round's position in the call's review plan, from 1
    #[arg(long)]
    pub round: u32,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct RecommendArgs {
    #[arg(long)]
    pub call: String,
    #[arg(long)]
    pub round: u32,
    /// Ranking method: mean (default), median, trimmed_mean or z_mean
    #[arg(long, value_parser = parse_method)]
    pub method: Option<Method>,
    /// Add an application (申报编号) below the funding line; follow it with --reason
    #[arg(long, value_name = "NUMBER")]
    pub add: Vec<String>,
    /// Drop an application above the funding line; follow it with --reason
    #[arg(long, value_name = "NUMBER")]
    pub drop: Vec<String>,
    /// The reason of the --add or --drop just before it
    #[arg(long, value_name = "TEXT")]
    pub reason: Vec<String>,
    /// When the list is made (a time with offset; default now)
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct PublicityArgs {
    #[arg(long)]
    pub call: String,
    #[arg(long)]
    pub round: u32,
    /// The first day of the 公示 (YYYY-MM-DD)
    #[arg(long, value_name = "DATE")]
    pub start: String,
    /// Its length in calendar days, the start day included (at least 5; 7 stands for 5 working days)
    #[arg(long, default_value_t = decision::DEFAULT_PUBLICITY_DAYS)]
    pub days: u32,
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ObjectionArgs {
    #[arg(long)]
    pub call: String,
    #[arg(long)]
    pub round: u32,
    /// The application objected to (申报编号)
    #[arg(long, value_name = "NUMBER")]
    pub item: String,
    /// What the objection says, in short
    #[arg(long)]
    pub summary: String,
    /// The day it was received (YYYY-MM-DD; default the day of --at)
    #[arg(long, value_name = "DATE")]
    pub received_on: Option<String>,
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ResolveArgs {
    /// The objection's id (from decide objection or decide show)
    #[arg(long, value_name = "ID")]
    pub objection: i64,
    /// The objection is founded: its application is not funded
    #[arg(long, conflicts_with = "dismissed", required_unless_present = "dismissed")]
    pub upheld: bool,
    /// The objection is not founded
    #[arg(long)]
    pub dismissed: bool,
    /// Why (what the check found)
    #[arg(long)]
    pub reason: String,
    /// When it was resolved (a time with offset; default now)
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
    pub round: u32,
    /// The folder for the result packages (one per applicant)
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
    /// An adjusted funded amount, NUMBER=WAN (万元); repeat per application
    #[arg(long, value_name = "NUMBER=WAN")]
    pub amount: Vec<String>,
    /// The time of the decision (with offset; default now): refused before the 公示 has ended
    #[arg(long, value_name = "TIME")]
    pub at: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ResendArgs {
    #[arg(long)]
    pub call: String,
    #[arg(long)]
    pub round: u32,
    /// The folder to write the packages into (under the names they were first written with)
    #[arg(long, value_name = "DIR")]
    pub out_dir: PathBuf,
    /// Only this application (申报编号); repeat for several; default every decided application
    #[arg(long, value_name = "NUMBER")]
    pub number: Vec<String>,
    #[arg(long)]
    pub json: bool,
}

/// `decide resend`: the kept result packages of a round's final decisions, written again.
pub fn resend(data_dir: Option<&Path>, a: &ResendArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    identity::info(&mut ws)?.ok_or(CoreError::NoIdentity)?;
    let pass = passphrase::read(out.lang, false)?;
    let keys = identity::unlock(&mut ws, &pass)?;
    let done = lixiang_core::outgoing::resend_funding(&mut ws, &keys, &a.call, a.round, &a.number, &a.out_dir)?;
    crate::print_resent(&done, out);
    Ok(())
}

fn date(field: &str, text: &str, lang: Lang) -> lixiang_core::Result<Date> {
    Date::parse(text).ok_or_else(|| bad(field, lang, "应为日期 YYYY-MM-DD", "expected a date YYYY-MM-DD"))
}

/// Pairs each `--reason` with the `--add` or `--drop` just before it on the command line. clap keeps each
/// option's values in order but not their order across options, so the order is read from the arguments.
fn pair_reasons(a: &RecommendArgs, args: &[String], lang: Lang) -> lixiang_core::Result<RecommendInput> {
    let (mut adds, mut drops, mut reasons) = (a.add.iter(), a.drop.iter(), a.reason.iter());
    let mut input = RecommendInput { method: a.method, ..RecommendInput::default() };
    // Which list the last --add or --drop went to, waiting for its reason.
    let mut waiting: Option<(bool, String)> = None;
    let missing = |n: &str| {
        bad("--reason", lang, &format!("{n} 之后须给出 --reason 理由"), &format!("{n} must be followed by --reason"))
    };
    let flag = |arg: &str, name: &str| arg == name || arg.starts_with(&format!("{name}="));
    let mut i = 0;
    while i < args.len() {
        let arg = args[i].as_str();
        let takes_value = !arg.contains('=');
        if flag(arg, "--add") || flag(arg, "--drop") {
            if let Some((_, n)) = waiting.take() {
                return Err(missing(&n));
            }
            let add = flag(arg, "--add");
            let number = if add { adds.next() } else { drops.next() };
            waiting = number.map(|n| (add, n.clone()));
        } else if flag(arg, "--reason") {
            let reason = reasons.next().cloned().unwrap_or_default();
            match waiting.take() {
                Some((true, n)) => input.add.push((n, reason)),
                Some((false, n)) => input.drop.push((n, reason)),
                None => {
                    return Err(bad(
                        "--reason",
                        lang,
                        "--reason 须紧跟在 --add 或 --drop 之后",
                        "--reason must follow an --add or a --drop",
                    ))
                }
            }
        } else {
            i += 1;
            continue;
        }
        i += if takes_value { 2 } else { 1 };
    }
    if let Some((_, n)) = waiting {
        return Err(missing(&n));
    }
    Ok(input)
}

fn print_round(s: &RoundDecisions, out: &Out) {
    let lang = out.lang;
    let mut text = match lang {
        Lang::Zh => format!(
            "指南 {} 第 {} 轮推荐名单（方法 {}，排名哈希 {}）：{} 项，共 {} 万元 / 资助总额 {} 万元\n",
            s.call,
            s.round,
            s.method,
            &s.ranking_sha256[..12],
            s.items.len(),
            format_wan(s.recommended_fen),
            format_wan(s.budget_fen)
        ),
        Lang::En => format!(
            "Call {} round {} recommendation list (method {}, ranking {}): {} item(s), {} 万元 of {} 万元\n",
            s.call,
            s.round,
            s.method,
            &s.ranking_sha256[..12],
            s.items.len(),
            format_wan(s.recommended_fen),
            format_wan(s.budget_fen)
        ),
    };
    for i in &s.items {
        let how = match (i.basis, lang) {
            (decision::Basis::Line, Lang::Zh) => "资金线以内".to_string(),
            (decision::Basis::Line, Lang::En) => "within the line".to_string(),
            (decision::Basis::Added, Lang::Zh) => format!("补充推荐：{}", i.reason.clone().unwrap_or_default()),
            (decision::Basis::Added, Lang::En) => format!("added: {}", i.reason.clone().unwrap_or_default()),
            (decision::Basis::Selected, Lang::Zh) => {
                format!("挂帅团队{}", i.reason.clone().map(|r| format!("（指定：{r}）")).unwrap_or_default())
            }
            (decision::Basis::Selected, Lang::En) => {
                format!("selected{}", i.reason.clone().map(|r| format!(" (named: {r})")).unwrap_or_default())
            }
            (decision::Basis::Voted, Lang::Zh) => {
                format!("会议评审表决通过：{}", i.votes.as_ref().map(|v| v.zh()).unwrap_or_default())
            }
            (decision::Basis::Voted, Lang::En) => {
                format!("recommended by the panel's vote: {}", i.votes.as_ref().map(|v| v.en()).unwrap_or_default())
            }
        };
        text.push_str(&format!(
            "  {:>3}  {}  {}  {}  {} 万元  {how}\n",
            i.rank,
            i.number,
            i.score,
            i.title,
            format_wan(i.requested_fen)
        ));
    }
    for d in &s.dropped {
        text.push_str(&format!("  {}  {} {}：{}\n", d.rank, d.number, lang.pick("去除", "dropped"), d.reason));
    }
    if let Some(p) = &s.publicity {
        text.push_str(&format!("{}{} – {}\n", lang.pick("公示：", "Public notice: "), p.starts_on, p.ends_on));
    }
    for o in &s.objections {
        let state = o.resolution.clone().unwrap_or_else(|| lang.pick("未处理", "open").into());
        text.push_str(&format!("  #{} {} {} {}（{state}）\n", o.id, o.received_on, o.number, o.summary));
    }
    for f in &s.finals {
        let d = if f.funded { lang.pick("立项", "approved") } else { lang.pick("不予立项", "not approved") };
        text.push_str(&format!("  {} {d} {} 万元：{}\n", f.number, format_wan(f.amount_fen), f.reason));
    }
    crate::emit(&text);
}

pub fn recommend(data_dir: Option<&Path>, a: &RecommendArgs, out: &Out) -> lixiang_core::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let input = pair_reasons(a, &args, out.lang)?;
    let at = moment(a.at.as_deref(), out.lang)?;
    let mut ws = open(data_dir)?;
    let s = decision::recommend(&mut ws, &a.call, a.round, &input, at)?;
    if out.json {
        emit_json("lixiang.decide.recommendation.v1", &s);
    } else {
        print_round(&s, out);
    }
    Ok(())
}

pub fn show(data_dir: Option<&Path>, a: &RoundArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let s = decision::show(&mut ws, &a.call, a.round)?;
    if out.json {
        emit_json("lixiang.decide.round.v1", &s);
    } else {
        print_round(&s, out);
    }
    Ok(())
}

pub fn publicity(data_dir: Option<&Path>, a: &PublicityArgs, out: &Out) -> lixiang_core::Result<()> {
    let start = date("--start", &a.start, out.lang)?;
    let at = moment(a.at.as_deref(), out.lang)?;
    let mut ws = open(data_dir)?;
    let p = decision::start_publicity(&mut ws, &a.call, a.round, start, a.days, at)?;
    if out.json {
        let mut doc = serde_json::to_value(&p).expect("serialises");
        doc["ends_at"] = decision::publicity_end(&p).map(|m| m.to_string()).into();
        emit_json("lixiang.decide.publicity.v1", doc);
    } else {
        crate::emit(&match out.lang {
            Lang::Zh => format!("公示期：{} 至 {}（{} 天），期满后可作出立项决定。\n", p.starts_on, p.ends_on, p.days),
            Lang::En => format!(
                "Public notice from {} through {} ({} days); the final decision is possible after it.\n",
                p.starts_on, p.ends_on, p.days
            ),
        });
    }
    Ok(())
}

pub fn objection(data_dir: Option<&Path>, a: &ObjectionArgs, out: &Out) -> lixiang_core::Result<()> {
    let at = moment(a.at.as_deref(), out.lang)?;
    let received = match &a.received_on {
        Some(d) => date("--received-on", d, out.lang)?,
        None => at.shanghai_date(),
    };
    let mut ws = open(data_dir)?;
    let o = decision::record_objection(&mut ws, &a.call, a.round, &a.item, received, &a.summary, at)?;
    if out.json {
        emit_json("lixiang.decide.objection.v1", &o);
    } else {
        crate::emit(&match out.lang {
            Lang::Zh => format!(
                "已登记异议 #{}（{}，{}）。处理：lixiang decide resolve --objection {}\n",
                o.id, o.number, o.received_on, o.id
            ),
            Lang::En => format!(
                "Objection #{} logged ({}, {}). Resolve it with: lixiang decide resolve --objection {}\n",
                o.id, o.number, o.received_on, o.id
            ),
        });
    }
    Ok(())
}

pub fn resolve(data_dir: Option<&Path>, a: &ResolveArgs, out: &Out) -> lixiang_core::Result<()> {
    let at = moment(a.at.as_deref(), out.lang)?;
    let mut ws = open(data_dir)?;
    let o = decision::resolve_objection(&mut ws, a.objection, a.upheld, &a.reason, at)?;
    if out.json {
        emit_json("lixiang.decide.objection.v1", &o);
    } else {
        let how = if a.upheld {
            out.lang.pick("异议成立", "upheld")
        } else {
            out.lang.pick("异议不成立", "dismissed")
        };
        crate::emit(&format!("#{} {}：{how}\n", o.id, o.number));
    }
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
                "应为 申报编号=万元，如 2027-ZX06-000001=120",
                "expected NUMBER=WAN, e.g. 2027-ZX06-000001=120",
            )
        })?;
        let fen = parse_wan(wan.trim())
            .map_err(|e| CoreError::Validation { field: "--amount".into(), reason: e.message(out.lang).to_string() })?;
        input.amounts.insert(number.trim().to_string(), fen);
    }
    let mut ws = open(data_dir)?;
    identity::info(&mut ws)?.ok_or(CoreError::NoIdentity)?;
    // The round's state is checked before the passphrase is asked for: a refusal needs no key.
    let state = decision::check_final(&mut ws, &a.call, a.round, &input, at, &a.out_dir)?;
    let pass = passphrase::read(out.lang, false)?;
    let keys = identity::unlock(&mut ws, &pass)?;
    let decided = decision::finalize(&mut ws, &keys, &a.call, a.round, &input, at, &a.out_dir)?;
    if out.json {
        emit_json(
            "lixiang.decide.final.v1",
            serde_json::json!({ "call": state.call, "round": a.round, "items": decided }),
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
