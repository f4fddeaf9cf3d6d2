//! `lixiang assign --call C --round R`: assigns experts to the call's accepted applications for one
//! round (exact min-cost flow; conflicts as missing pairs; the default match score), and records the
//! run — input hash, parameters, outcome — in the workspace and the audit chain. Exit 0 with an
//! assignment; 3 when none exists (the deficient set is printed), or the input is refused.

use crate::Out;
use lixiang_core::assign::desk::{self, Options};
use lixiang_core::assign::{Deficiency, Outcome};
use lixiang_core::conflict::ConflictSettings;
use lixiang_core::{workspace, CoreError, Workspace};
use std::path::Path;

#[derive(clap::Args)]
pub struct Args {
    /// The call's code (2027-ZX06-01) or id
    #[arg(long)]
    pub call: String,
    /// The round's position in the call's review plan, from 1
    #[arg(long)]
    pub round: u32,
    /// k: experts per application (default: the round's)
    #[arg(long, value_name = "K")]
    pub per_item: Option<u32>,
    /// L: applications per expert in this round (always bounded by the yearly cap left)
    #[arg(long, value_name = "L")]
    pub max_load: Option<u32>,
    /// A collaboration is a conflict within this many years of the call's year (3–5)
    #[arg(long, default_value_t = ConflictSettings::default().collaboration_years)]
    pub years: u32,
    #[arg(long)]
    pub json: bool,
}

pub fn run(data_dir: Option<&Path>, a: &Args, out: &Out) -> lixiang_core::Result<()> {
    let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
    let options = Options {
        per_item: a.per_item,
        max_load: a.max_load,
        conflicts: ConflictSettings { collaboration_years: a.years },
        weights: None,
    };
    let run = desk::run(&mut ws, &a.call, a.round, &options)?;
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
        match &run.outcome {
            Outcome::Assigned(asg) => {
                for item in &run.items {
                    let on: Vec<String> = asg
                        .pairs
                        .iter()
                        .filter(|p| p.item == item.number)
                        .map(|p| format!("{}({})", p.expert, p.score))
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
