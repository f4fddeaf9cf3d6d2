//! `lixiang assign --call C --round R`: assigns experts to the call's accepted applications for one
//! round (exact min-cost flow; conflicts as missing pairs; the default match score), and records the
//! run — input hash, parameters, outcome — in the workspace and the audit chain. Exit 0 with an
//! assignment; 3 when none exists (the deficient set is printed), or the input is refused.
//!
//! The officer's hand, each recorded in the audit chain with its reason (see `assign::edit`):
//! `assign override` allows a soft conflict for the call (exit 3 for a hard one) and `assign withdraw` takes
//! it back; `assign pin|unpin|remove|restore` changes one pair of a round, which the next `assign` keeps
//! (pinning a soft pair not overridden exits 5: the override is the confirmation it needs).

use crate::Out;
use lixiang_core::assign::desk::{self, Options};
use lixiang_core::assign::edit::{self, PairChange};
use lixiang_core::assign::settings::{self, AssignmentSettings};
use lixiang_core::assign::{Deficiency, Outcome};
use lixiang_core::{workspace, CoreError, Workspace};
use std::path::Path;

/// `assign` runs the assignment; its subcommands change pairs by hand.
#[derive(clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub run: RunArgs,
}

impl Args {
    pub fn json(&self) -> bool {
        match &self.command {
            None => self.run.json,
            Some(Command::Override(a)) | Some(Command::Withdraw(a)) => a.json,
            Some(Command::Settings(a)) => a.json,
            Some(Command::Pin(a) | Command::Unpin(a) | Command::Remove(a) | Command::Restore(a)) => a.json,
        }
    }
}

#[derive(clap::Subcommand)]
pub enum Command {
    /// Allow a pair with a soft conflict (默认回避) for the whole call, with a reason (recorded); a
    /// hard conflict (必须回避) is refused
    Override(OverrideArgs),
    /// Take an override back, with a reason (recorded): the pair is excluded again from the next run (a pair
    /// still pinned in a round is refused: unpin it first)
    Withdraw(OverrideArgs),
    /// Show the call's assignment settings (collaboration window, L, match weights, who is an industry user), or change them with a
    /// reason (recorded); every conflict listing, run, pin and override of the call then uses them
    Settings(SettingsArgs),
    /// Keep a pair in every later run of the round (a soft conflict must be overridden first)
    Pin(PairArgs),
    /// Take a pin back
    Unpin(PairArgs),
    /// Keep a pair out of every later run of the round
    Remove(PairArgs),
    /// Take a removal back
    Restore(PairArgs),
}

#[derive(clap::Args)]
pub struct OverrideArgs {
    /// The call's code (2027-ZX06-01) or id
    #[arg(long)]
    pub call: String,
    /// The expert's number (ZJ000001) or id
    #[arg(long)]
    pub expert: String,
    /// The application's 申报编号 (2027-ZX06-000001) or id
    #[arg(long)]
    pub item: String,
    /// Why the expert may review it despite the conflict (required, recorded in the audit chain)
    #[arg(long)]
    pub reason: String,
    /// A collaboration is a conflict within this many years of the call's year (3–5; default: the call's
    /// assignment settings)
    #[arg(long)]
    pub years: Option<u32>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct SettingsArgs {
    /// The call's code (2027-ZX06-01) or id
    #[arg(long)]
    pub call: String,
    /// A collaboration is a conflict within this many years of the call's year (3–5)
    #[arg(long)]
    pub years: Option<u32>,
    /// L: applications per expert in a round; `none` for the yearly cap left only
    #[arg(long, value_name = "L|none")]
    pub max_load: Option<String>,
    /// The match weights: same code, same parent, same top level, per shared keyword, keywords counted at most
    /// (default 10,6,3,1,3)
    #[arg(long, value_name = "A,B,C,K,N")]
    pub weights: Option<String>,
    /// Who counts as an industry-user expert (with --industry-unit-types): the 专家类别 that make one, separated
    /// by commas (default 产业); `none` for no category
    #[arg(long, value_name = "类别,…|none")]
    pub industry_categories: Option<String>,
    /// The 单位类型 that make an industry-user expert, separated by commas (default 企业); `none` for no unit type
    #[arg(long, value_name = "类型,…|none")]
    pub industry_unit_types: Option<String>,
    /// Why (required for a change; recorded in the audit chain)
    #[arg(long, default_value = "")]
    pub reason: String,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct PairArgs {
    /// The call's code (2027-ZX06-01) or id
    #[arg(long)]
    pub call: String,
    /// The round's position in the call's review plan, from 1
    #[arg(long)]
    pub round: u32,
    /// The expert's number (ZJ000001) or id
    #[arg(long)]
    pub expert: String,
    /// The application's 申报编号 (2027-ZX06-000001) or id
    #[arg(long)]
    pub item: String,
    /// Why (recorded in the audit chain)
    #[arg(long, default_value = "")]
    pub reason: String,
    /// A collaboration is a conflict within this many years of the call's year (3–5; default: the call's
    /// assignment settings)
    #[arg(long)]
    pub years: Option<u32>,
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args)]
pub struct RunArgs {
    /// The call's code (2027-ZX06-01) or id
    #[arg(long, required = true)]
    pub call: Option<String>,
    /// The round's position in the call's review plan, from 1
    #[arg(long, required = true)]
    pub round: Option<u32>,
    /// k: experts per application (default: the round's)
    #[arg(long, value_name = "K")]
    pub per_item: Option<u32>,
    /// L: applications per expert in this round (default: the call's assignment settings; always bounded by the
    /// yearly cap left)
    #[arg(long, value_name = "L")]
    pub max_load: Option<u32>,
    /// A collaboration is a conflict within this many years of the call's year (3–5; default: the call's
    /// assignment settings)
    #[arg(long)]
    pub years: Option<u32>,
    #[arg(long)]
    pub json: bool,
}

pub fn run(data_dir: Option<&Path>, a: &Args, out: &Out) -> lixiang_core::Result<()> {
    match &a.command {
        None => solve(data_dir, &a.run, out),
        Some(Command::Override(o)) => override_conflict(data_dir, o, out),
        Some(Command::Withdraw(o)) => withdraw_override(data_dir, o, out),
        Some(Command::Settings(o)) => change_settings(data_dir, o, out),
        Some(Command::Pin(p)) => change(data_dir, p, PairChange::Pin, out),
        Some(Command::Unpin(p)) => change(data_dir, p, PairChange::Unpin, out),
        Some(Command::Remove(p)) => change(data_dir, p, PairChange::Remove, out),
        Some(Command::Restore(p)) => change(data_dir, p, PairChange::Restore, out),
    }
}

/// The call's stored settings, with `--years` (when given) in place of their collaboration window.
fn settings_of(ws: &mut Workspace, call: &str, years: Option<u32>) -> lixiang_core::Result<AssignmentSettings> {
    let mut s = settings::of_call(ws, call)?;
    if let Some(y) = years {
        s.collaboration_years = y;
    }
    Ok(s)
}

fn change_settings(data_dir: Option<&Path>, a: &SettingsArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
    let mut s = settings::of_call(&mut ws, &a.call)?;
    let changing = a.years.is_some()
        || a.max_load.is_some()
        || a.weights.is_some()
        || a.industry_categories.is_some()
        || a.industry_unit_types.is_some();
    // A list of choice words; `none` (or nothing) is the empty list. The values are checked by the core.
    let words = |t: &str| -> Vec<String> {
        t.split([',', '，', '、', ';', '；'])
            .map(str::trim)
            .filter(|w| !w.is_empty() && *w != "none")
            .map(str::to_string)
            .collect()
    };
    if let Some(c) = &a.industry_categories {
        s.industry_user.categories = words(c);
    }
    if let Some(t) = &a.industry_unit_types {
        s.industry_user.unit_types = words(t);
    }
    if let Some(y) = a.years {
        s.collaboration_years = y;
    }
    if let Some(l) = &a.max_load {
        s.max_load = match l.trim() {
            "none" | "" => None,
            t => Some(t.parse().map_err(|_| {
                crate::args::bad(
                    "max-load",
                    out.lang,
                    &format!("“{t}”应为正整数或 none"),
                    &format!("“{t}” must be a whole number or none"),
                )
            })?),
        };
    }
    if let Some(w) = &a.weights {
        let parts: Vec<Option<u32>> = w.split(',').map(|p| p.trim().parse().ok()).collect();
        let [Some(same_code), Some(same_parent), Some(same_top), Some(per_keyword), Some(max_keywords)] = parts[..]
        else {
            return Err(crate::args::bad(
                "weights",
                out.lang,
                &format!("“{w}”应为 5 个以逗号分隔的非负整数，如 10,6,3,1,3"),
                &format!("“{w}” must be 5 whole numbers separated by commas, such as 10,6,3,1,3"),
            ));
        };
        s.weights =
            lixiang_core::discipline::MatchWeights { same_code, same_parent, same_top, per_keyword, max_keywords };
    }
    let (settings, replaced) = if changing {
        let change = settings::set(&mut ws, &a.call, &s, &a.reason)?;
        (change.settings, Some(change.replaced))
    } else {
        (s, None)
    };
    if out.json {
        let doc = serde_json::json!({ "schema": "lixiang.assignment_settings.v1", "call": a.call, "settings": settings, "replaced": replaced });
        crate::emit(&format!("{doc:#}\n"));
        return Ok(());
    }
    let w = &settings.weights;
    let load = settings
        .max_load
        .map_or_else(|| out.lang.pick("按年度上限", "the yearly cap left").to_string(), |l| l.to_string());
    crate::emit(&format!(
        "{}{}\n{} {}\n{} {}\n{} {},{},{},{},{}\n",
        if replaced.is_some() {
            out.lang.pick("已修改分配设置：", "assignment settings changed: ")
        } else {
            ""
        },
        a.call,
        out.lang.pick("合作回避年限", "collaboration window (years)"),
        settings.collaboration_years,
        out.lang.pick("每位专家上限 L", "load per expert L"),
        load,
        out.lang.pick(
            "匹配分（同代码,同二级,同一级,每个关键词,关键词上限）",
            "match weights (code, parent, top, per keyword, keywords)"
        ),
        w.same_code,
        w.same_parent,
        w.same_top,
        w.per_keyword,
        w.max_keywords
    ));
    let none = out.lang.pick("无", "none");
    let list = |v: &[String]| if v.is_empty() { none.to_string() } else { v.join(",") };
    crate::emit(&format!(
        "{} {} {}  {} {}\n",
        out.lang.pick("产业用户专家：专家类别", "industry-user experts: categories"),
        list(&settings.industry_user.categories),
        out.lang.pick("或", "or"),
        out.lang.pick("单位类型", "unit types"),
        list(&settings.industry_user.unit_types),
    ));
    Ok(())
}

fn override_conflict(data_dir: Option<&Path>, a: &OverrideArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
    let settings = settings_of(&mut ws, &a.call, a.years)?.conflicts();
    let rec = edit::override_conflict(&mut ws, &a.call, &a.expert, &a.item, &a.reason, &settings)?;
    if out.json {
        let doc = serde_json::json!({ "schema": "lixiang.conflict_override.v1", "override": rec });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        crate::emit(&format!(
            "{} {}  {} {}（{}）  {}  {} {}\n",
            out.lang.pick("已例外允许：申报书", "overridden: application"),
            rec.item,
            out.lang.pick("专家", "expert"),
            rec.expert,
            rec.expert_name,
            rec.codes.join(","),
            out.lang.pick("理由：", "reason:"),
            rec.reason
        ));
    }
    Ok(())
}

fn withdraw_override(data_dir: Option<&Path>, a: &OverrideArgs, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
    let settings = settings_of(&mut ws, &a.call, a.years)?.conflicts();
    let rec = edit::withdraw_override(&mut ws, &a.call, &a.expert, &a.item, &a.reason, &settings)?;
    if out.json {
        let doc = serde_json::json!({ "schema": "lixiang.conflict_override_withdrawn.v1", "withdrawn": rec });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        crate::emit(&format!(
            "{} {}  {} {}（{}）  {}  {} {}\n",
            out.lang.pick("已撤销例外允许：申报书", "override withdrawn: application"),
            rec.item,
            out.lang.pick("专家", "expert"),
            rec.expert,
            rec.expert_name,
            rec.codes.join(","),
            out.lang.pick("理由：", "reason:"),
            rec.reason
        ));
    }
    Ok(())
}

fn change(data_dir: Option<&Path>, a: &PairArgs, change: PairChange, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
    let settings = settings_of(&mut ws, &a.call, a.years)?.conflicts();
    let rec = edit::change_pair(&mut ws, &a.call, a.round, &a.expert, &a.item, change, &a.reason, &settings)?;
    if out.json {
        let doc = serde_json::json!({ "schema": "lixiang.assignment_pair_change.v1", "change": rec });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        let what = match change {
            PairChange::Pin => out.lang.pick("已固定", "pinned"),
            PairChange::Unpin => out.lang.pick("已取消固定", "unpinned"),
            PairChange::Remove => out.lang.pick("已移除", "removed"),
            PairChange::Restore => out.lang.pick("已恢复", "restored"),
        };
        crate::emit(&format!(
            "{what}：{} {}  {} {}（{}）  {}\n",
            out.lang.pick("第", "round"),
            rec.round,
            rec.item,
            rec.expert,
            rec.expert_name,
            out.lang.pick("下次运行 lixiang assign 时生效", "takes effect at the next `lixiang assign`"),
        ));
    }
    Ok(())
}

fn solve(data_dir: Option<&Path>, a: &RunArgs, out: &Out) -> lixiang_core::Result<()> {
    // clap requires both unless a subcommand is given; these only guard against a parser change.
    let missing = |field: &str| CoreError::Validation { field: field.into(), reason: "required".into() };
    let call = a.call.as_deref().ok_or_else(|| missing("call"))?;
    let round = a.round.ok_or_else(|| missing("round"))?;
    let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
    let s = settings_of(&mut ws, call, a.years)?;
    let options = Options {
        per_item: a.per_item,
        max_load: a.max_load.or(s.max_load),
        conflicts: s.conflicts(),
        weights: Some(s.weights),
        industry_user: s.industry_user.clone(),
    };
    let run = desk::run(&mut ws, call, round, &options)?;
    if out.json {
        let doc = serde_json::json!({ "schema": "lixiang.assignment.v1", "run": run });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        let mut text = format!(
            "{} {}  {} {}  k={}  {} {}\n",
            out.lang.pick("指南", "call"),
            run.params.call,
            out.lang.pick("第", "round"),
            run.params.round,
            run.params.rules.per_item,
            out.lang.pick("输入哈希", "input sha256"),
            run.input_sha256
        );
        let p = &run.params;
        if !(p.pinned.is_empty() && p.removed.is_empty() && p.overridden.is_empty()) {
            text.push_str(&format!(
                "{} {}  {} {}  {} {}\n",
                out.lang.pick("固定（*）", "pinned (*)"),
                p.pinned.len(),
                out.lang.pick("移除", "removed"),
                p.removed.len(),
                out.lang.pick("例外允许", "overridden"),
                p.overridden.len()
            ));
        }
        match &run.outcome {
            Outcome::Assigned(asg) => {
                for item in &run.items {
                    let on: Vec<String> = asg
                        .pairs
                        .iter()
                        .filter(|p| p.item == item.number)
                        .map(|x| {
                            let pin = run.params.pinned.iter().any(|r| r.item == x.item && r.expert == x.expert);
                            format!("{}({}){}", x.expert, x.score, if pin { "*" } else { "" })
                        })
                        .collect();
                    text.push_str(&format!("{}  {}\n", item.number, on.join(" ")));
                }
                text.push_str(&format!(
                    "{} {}  {}\n",
                    out.lang.pick("总匹配分", "total score"),
                    asg.total_score,
                    if asg.optimal { out.lang.pick("（已证明最优）", "(proven optimal)") } else { "" }
                ));
            }
            Outcome::Infeasible(d) => text.push_str(&describe(d, out)),
            Outcome::Undecided { bound, .. } => text.push_str(&format!(
                "{} {bound}\n",
                out.lang.pick(
                    "搜索预算用尽，未找到满足全部规则的分配；上界",
                    "search budget spent, no assignment found; bound"
                )
            )),
        }
        crate::emit(&text);
    }
    match &run.outcome {
        Outcome::Assigned(_) => Ok(()),
        Outcome::Infeasible(_) | Outcome::Undecided { .. } => Err(CoreError::Validation {
            field: "assignment".into(),
            reason: out
                .lang
                .pick(
                    "没有满足全部规则的分配（本次运行已记录）",
                    "no assignment honours every rule (the run is recorded)",
                )
                .into(),
        }),
    }
}

fn describe(d: &Deficiency, out: &Out) -> String {
    format!("{}\n", lixiang_core::expert::view::describe(d, out.lang))
}
