//! `lixiang panel`: 会议评审 from the command line (the office). `panel shortlist` makes a round's
//! shortlist from the previous round's ranking (the top share of the places and the 非共识 items;
//! `--percent` instead of the plan's share, `--preview` to print it without making it);
//! `panel show` prints the panel, each item's members stepping out and the discussion order; `panel vote`
//! records the chair's counts for an item (`--present` the members at the meeting, comma-separated).
//! Refusals of the round's state exit 4; bad input exits 3.

use crate::args::{emit_json, moment, open, parse_method};
use crate::Out;
use lixiang_core::review::panel::{self, VoteInput};
use lixiang_core::score::Method;
use lixiang_core::Lang;
use std::path::Path;

#[derive(clap::Subcommand)]
pub enum Command {
    /// Make a round's shortlist from the previous round's ranking (until its first vote)
    Shortlist(ShortlistArgs),
    /// The panel of a vote round: members, who steps out for which item, the discussion order, the votes
    Show(RoundArgs),
    /// Record the panel's vote on an item
    Vote(VoteArgs),
}

impl Command {
    pub fn json(&self) -> bool {
        match self {
            Command::Shortlist(a) => a.round.json,
            Command::Show(a) => a.json,
            Command::Vote(a) => a.round.json,
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
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct ShortlistArgs {
    #[command(flatten)]
    pub round: RoundArgs,
    /// Ranking method of the previous round: mean, median, trimmed_mean or z_mean
    #[arg(long, default_value = "mean", value_parser = parse_method)]
    pub method: Method,
    /// Percent of the places to take instead of the review plan's (100–500)
    #[arg(long)]
    pub percent: Option<u32>,
    /// Print what it would take without making it
    #[arg(long)]
    pub preview: bool,
    /// When it is made (RFC 3339 with offset); now when omitted
    #[arg(long)]
    pub at: Option<String>,
}

#[derive(clap::Args)]
pub struct VoteArgs {
    #[command(flatten)]
    pub round: RoundArgs,
    /// The item's 申报编号
    #[arg(long)]
    pub item: String,
    /// The members present (expert numbers, comma-separated)
    #[arg(long, value_delimiter = ',', required = true)]
    pub present: Vec<String>,
    /// Yes votes of the members present and not stepping out
    #[arg(long)]
    pub yes: u32,
    /// No votes
    #[arg(long)]
    pub no: u32,
    /// Abstentions
    #[arg(long, default_value_t = 0)]
    pub abstain: u32,
    /// When it was recorded (RFC 3339 with offset); now when omitted
    #[arg(long)]
    pub at: Option<String>,
}

pub fn shortlist(data_dir: Option<&Path>, a: &ShortlistArgs, out: &Out) -> lixiang_core::Result<()> {
    let at = moment(a.at.as_deref(), out.lang)?;
    let mut ws = open(data_dir)?;
    let (call, round) = (&a.round.call, a.round.round);
    let s = if a.preview {
        panel::preview_shortlist(&mut ws, call, round, a.method, a.percent)?
    } else {
        panel::make_shortlist_at(&mut ws, call, round, a.method, a.percent, at)?
    };
    if out.json {
        emit_json("lixiang.panel.shortlist.v1", &s);
        return Ok(());
    }
    let mut text = match out.lang {
        Lang::Zh => format!(
            "第 {} 轮入围名单（第 {} 轮排名前 {} 项 = {} 个名额 × {}%，另加非共识项目）：\n",
            s.round, s.from_round, s.cut, s.places, s.percent
        ),
        Lang::En => format!(
            "Round {} shortlist (the top {} of round {} = {} places × {}%, plus non-consensus items):\n",
            s.round, s.cut, s.from_round, s.places, s.percent
        ),
    };
    for i in &s.items {
        let basis = match (i.basis, out.lang) {
            (panel::ShortlistBasis::Cut, _) => "",
            (panel::ShortlistBasis::NonConsensus, Lang::Zh) => "  非共识",
            (panel::ShortlistBasis::NonConsensus, Lang::En) => "  non-consensus",
        };
        text.push_str(&format!("{:>3}  {}  {}  {}{basis}\n", i.rank, i.number, i.score, i.title));
    }
    crate::emit(&text);
    Ok(())
}

pub fn show(data_dir: Option<&Path>, a: &RoundArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = open(data_dir)?;
    let v = panel::panel(&mut ws, &a.call, a.round)?;
    if out.json {
        emit_json("lixiang.panel.v1", &v);
        return Ok(());
    }
    let names: Vec<String> = v.members.iter().map(|m| format!("{} {}", m.number, m.name)).collect();
    let mut text = match out.lang {
        Lang::Zh => {
            format!("评审组（{} 人，同意票须达 {}）：{}\n讨论顺序：\n", v.members.len(), v.share, names.join("、"))
        }
        Lang::En => format!(
            "Panel ({} members, yes share {}): {}\nDiscussion order:\n",
            v.members.len(),
            v.share,
            names.join(", ")
        ),
    };
    for g in &v.order {
        let out_text = if g.stepping_out.is_empty() {
            out.lang.pick("无人回避", "nobody steps out").to_string()
        } else {
            format!("{}{}", out.lang.pick("回避：", "stepping out: "), g.stepping_out.join(", "))
        };
        text.push_str(&format!("- [{out_text}]\n"));
        for n in &g.items {
            let item = v.items.iter().find(|i| &i.number == n).expect("grouped items are the panel's");
            let vote = match &item.vote {
                Some(x) => format!(
                    "  {}/{}/{} {}",
                    x.yes,
                    x.no,
                    x.abstain,
                    if x.recommended {
                        out.lang.pick("通过", "recommended")
                    } else {
                        out.lang.pick("未通过", "not recommended")
                    }
                ),
                None => String::new(),
            };
            text.push_str(&format!("    {}  {}{vote}\n", item.number, item.title));
        }
    }
    crate::emit(&text);
    Ok(())
}

pub fn vote(data_dir: Option<&Path>, a: &VoteArgs, out: &Out) -> lixiang_core::Result<()> {
    let at = moment(a.at.as_deref(), out.lang)?;
    let mut ws = open(data_dir)?;
    let input = VoteInput { present: a.present.clone(), yes: a.yes, no: a.no, abstain: a.abstain };
    let item = panel::record_vote(&mut ws, &a.round.call, a.round.round, &a.item, &input, at)?;
    if out.json {
        emit_json("lixiang.panel.vote.v1", &item);
        return Ok(());
    }
    let v = item.vote.as_ref().expect("a recorded vote");
    crate::emit(&match out.lang {
        Lang::Zh => format!(
            "{}：同意 {}、不同意 {}、弃权 {}（回避 {} 人）——{}\n",
            item.number,
            v.yes,
            v.no,
            v.abstain,
            v.stepped_out.len(),
            if v.recommended { "通过" } else { "未通过" }
        ),
        Lang::En => format!(
            "{}: {} yes, {} no, {} abstaining ({} stepped out) — {}\n",
            item.number,
            v.yes,
            v.no,
            v.abstain,
            v.stepped_out.len(),
            if v.recommended { "recommended" } else { "not recommended" }
        ),
    });
    Ok(())
}
