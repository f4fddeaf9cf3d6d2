//! `lixiang rank`: aggregation, ranking, the sensitivity table and the funding line, over a call's
//! round (the sealed sheets the office received, the round's trimming and non-consensus rules, the
//! applications' requested fiscal funding and the call's total) or over a score-sheet file (what-if).

use crate::args::parse_method;
use crate::Out;
use comfy_table::{presets::UTF8_FULL_CONDENSED, CellAlignment, Table};
use lixiang_core::money::{format_wan, parse_wan};
use lixiang_core::score::{self, sheet_file, Method, NonConsensus, RoundRules};
use lixiang_core::{review, workspace, CoreError, Lang, Workspace};
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// Score sheets, UTF-8 CSV with columns item (申报编号), expert (专家), total (总分), optional grade (等级)
    #[arg(long, value_name = "FILE", required_unless_present = "call", conflicts_with = "call")]
    pub sheets: Option<PathBuf>,
    /// Rank a call's round from the workspace: the code (2027-ZX06-01) or id
    #[arg(long, requires = "round")]
    pub call: Option<String>,
    /// The round's position in the call's review plan, from 1
    #[arg(long, requires = "call")]
    pub round: Option<u32>,
    /// Ranking method: mean, median, trimmed_mean or z_mean
    #[arg(long, default_value = "mean", value_parser = parse_method)]
    pub method: Method,
    /// Do not trim the highest and lowest score
    #[arg(long)]
    pub no_trim: bool,
    /// Trim only items with at least this many sheets (default 5, or the round's)
    #[arg(long, value_name = "N")]
    pub trim_min: Option<usize>,
    /// Non-consensus (非共识) when max − min reaches this many points (default 20, or the round's)
    #[arg(long, value_name = "POINTS")]
    pub spread: Option<f64>,
    /// Funding requests, UTF-8 CSV with columns item (申报编号) and fiscal_wan (申请财政经费（万元）)
    #[arg(long, value_name = "FILE", requires = "budget", conflicts_with = "call")]
    pub requests: Option<PathBuf>,
    /// Total fiscal budget in 万元, for the funding line (with --call: default the call's total funding)
    #[arg(long, value_name = "WAN")]
    pub budget: Option<String>,
    /// Print one JSON document
    #[arg(long)]
    pub json: bool,
}

fn read(path: &PathBuf) -> lixiang_core::Result<String> {
    std::fs::read_to_string(path).map_err(|e| CoreError::Validation {
        field: path.display().to_string(),
        reason: format!("无法读取 / cannot read: {e}"),
    })
}

pub fn run(data_dir: Option<&Path>, args: &Args, out: &Out) -> lixiang_core::Result<()> {
    let budget = |b: &str| {
        parse_wan(b)
            .map_err(|e| CoreError::Validation { field: "--budget".into(), reason: e.message(out.lang).to_string() })
    };
    // Sheets received for items taken off their expert since: never in the figures, named beside them.
    let mut set_aside = Vec::new();
    let (sheets, base, funding_input) = match (&args.call, args.round, &args.sheets) {
        (Some(call), Some(round), _) => {
            let mut ws = Workspace::open(&workspace::resolve_dir(data_dir)?)?;
            let input = review::office::round_input(&mut ws, call, round)?;
            set_aside = review::office::set_aside(&mut ws, call, round)?;
            if input.sheets.is_empty() {
                return Err(CoreError::Validation {
                    field: "--call".into(),
                    reason: out
                        .lang
                        .pick("这一轮还没有收到封存的评分表", "no sealed score sheet was received for this round yet")
                        .into(),
                });
            }
            let total = match &args.budget {
                Some(b) => budget(b)?,
                None => input.budget_fen,
            };
            (input.sheets, input.rules, Some((input.requests_fen, total)))
        }
        (_, _, Some(file)) => {
            let name = file.display().to_string();
            let sheets = sheet_file::read_sheets(&name, &read(file)?)?;
            let funding_input = match (&args.requests, &args.budget) {
                (Some(r), Some(b)) => {
                    Some((sheet_file::read_requests(&r.display().to_string(), &read(r)?)?, budget(b)?))
                }
                _ => None,
            };
            (sheets, RoundRules::default(), funding_input)
        }
        _ => unreachable!("clap requires --sheets or --call with --round"),
    };
    let rules = RoundRules {
        method: args.method,
        trimming: base.trimming && !args.no_trim,
        trim_min_sheets: args.trim_min.unwrap_or(base.trim_min_sheets),
        non_consensus_spread: args.spread.unwrap_or(base.non_consensus_spread),
    };
    let agg = score::aggregate(&sheets, &rules);
    let ranking = score::rank(&agg, rules.method);
    let line = funding_input.map(|(requests, budget)| score::funding_line(&ranking, &requests, budget));

    if out.json {
        let items: Vec<serde_json::Value> = ranking
            .iter()
            .map(|r| {
                let s = agg.items.iter().find(|s| s.item == r.item).expect("ranked items come from the aggregation");
                let mut v = serde_json::to_value(s).expect("stats serialise");
                v["rank"] = r.rank.into();
                v["grades"] =
                    serde_json::json!({ "A": s.grades[0], "B": s.grades[1], "C": s.grades[2], "D": s.grades[3] });
                v["ranks_by_method"] = Method::ALL
                    .iter()
                    .zip(r.ranks_by_method)
                    .map(|(m, k)| (m.name().to_string(), serde_json::Value::from(k)))
                    .collect::<serde_json::Map<_, _>>()
                    .into();
                if let Some(line) = &line {
                    v["funded"] = line.funded.contains(&r.item).into();
                }
                v
            })
            .collect();
        let doc = serde_json::json!({
            "schema": "lixiang.rank.v1",
            "method": rules.method,
            "rules": rules,
            "round_mean": agg.round_mean,
            "round_sd": agg.round_sd,
            "fallback_experts": agg.fallback_experts,
            "items": items,
            "funding": line,
            "set_aside": set_aside,
        });
        crate::emit(&format!("{doc:#}\n"));
        return Ok(());
    }

    let l = |zh, en| out.lang.pick(zh, en);
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
        l("名次", "Rank"),
        l("申报编号", "Number"),
        l("份数", "n"),
        l("均值", "Mean"),
        l("中位数", "Median"),
        l("标准差", "SD"),
        l("截尾均值", "Trimmed"),
        l("z 均值（百分制）", "z-mean (100 scale)"),
        l("等级 A/B/C/D", "Grades A/B/C/D"),
        l("非共识", "Non-consensus"),
        l("各方法名次 均/中/截/z", "Ranks mean/median/trim/z"),
        l("资助", "Funded"),
    ]);
    for r in &ranking {
        let s = agg.items.iter().find(|s| s.item == r.item).expect("ranked items come from the aggregation");
        let flags: Vec<&str> = s
            .non_consensus
            .iter()
            .map(|f| match f {
                NonConsensus::Spread => l("分差大", "spread"),
                NonConsensus::GradesAandD => l("A 与 D 并存", "A and D"),
            })
            .collect();
        let funded = match &line {
            None => "",
            Some(line) if line.funded.contains(&r.item) => l("✓", "yes"),
            Some(line) if line.first_unfunded.as_deref() == Some(r.item.as_str()) => l("— 资助线 —", "— line —"),
            Some(_) => "",
        };
        let ranks: Vec<String> = r.ranks_by_method.iter().map(|k| k.to_string()).collect();
        t.add_row(vec![
            r.rank.to_string(),
            s.item.clone(),
            s.n.to_string(),
            format!("{:.2}", s.mean),
            format!("{:.2}", s.median),
            s.sd.map(|v| format!("{v:.2}")).unwrap_or_else(|| "—".into()),
            format!("{:.2}{}", s.trimmed_mean, if s.trimmed { "" } else { "*" }),
            format!("{:.2}", s.z_scaled),
            format!("{}/{}/{}/{}", s.grades[0], s.grades[1], s.grades[2], s.grades[3]),
            flags.join(l("、", ", ")),
            ranks.join("/"),
            funded.to_string(),
        ]);
    }
    for c in [0, 2, 3, 4, 5, 6, 7] {
        if let Some(col) = t.column_mut(c) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    let mut text = format!("{}{}\n{t}\n", l("排序方法：", "Method: "), method_label(rules.method, out.lang));
    text.push_str(l(
        "* 未截尾（份数不足或未启用），即均值\n",
        "* not trimmed (too few sheets or trimming off): the mean\n",
    ));
    if !agg.fallback_experts.is_empty() {
        text.push_str(&format!(
            "{}{}\n",
            l(
                "z 分数改用全轮均值与标准差的专家（评分表少于 3 份或分数全同）：",
                "Experts standardised with the round's mean and SD (fewer than 3 sheets or all equal): "
            ),
            agg.fallback_experts.join(", ")
        ));
    }
    for a in &set_aside {
        let receipt = a.receipt_sha256.get(..12).unwrap_or_default();
        text.push_str(&match out.lang {
            Lang::Zh => format!(
                "不计入：专家 {} 对 {} 的评分表（回执 {receipt}）已收到，但该项已从其第 {} 版评审包中移出{}\n",
                a.expert_number,
                a.number,
                a.newest_issue,
                a.removal_reason.as_deref().map(|r| format!("（{r}）")).unwrap_or_default()
            ),
            Lang::En => format!(
                "Not counted: expert {}'s sheet on {} (receipt {receipt}) was received, but the item left their packet at issue {}{}\n",
                a.expert_number,
                a.number,
                a.newest_issue,
                a.removal_reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default()
            ),
        });
    }
    if let Some(line) = &line {
        text.push_str(&format!(
            "{}{} / {} {}{}\n",
            l("资助线：已用 ", "Funding line: used "),
            format_wan(line.used_fen),
            format_wan(line.budget_fen),
            l("万元，余 ", "万元, remaining "),
            format_wan(line.remaining_fen)
        ));
    }
    crate::emit(&text);
    Ok(())
}

fn method_label(m: Method, lang: Lang) -> &'static str {
    match m {
        Method::Mean => lang.pick("均值", "mean"),
        Method::Median => lang.pick("中位数", "median"),
        Method::TrimmedMean => lang.pick("截尾均值", "trimmed mean"),
        Method::ZMean => lang.pick("z 均值", "z-mean"),
    }
}
