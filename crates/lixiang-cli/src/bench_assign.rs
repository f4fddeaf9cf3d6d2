//! `lixiang bench assign`: the assignment solver on seeded synthetic pools — median solve time, peak
//! memory, the optimum and a greedy baseline on the same instance; then with the composition rules on,
//! time and gap. Figures only, never pass/fail.

use crate::Out;
use comfy_table::{presets::UTF8_FULL_CONDENSED, CellAlignment, Table};
use lixiang_core::assign::synthetic::{generate, Shape};
use lixiang_core::assign::{greedy, solve_with, Outcome, SolveOptions};
use lixiang_core::{CoreError, Lang};
use serde::Serialize;
use std::time::Instant;

/// The sizes run when `--items`/`--experts` are not given: the province-scale instance and three
/// smaller ones, so growth is visible.
const SIZES: [(u32, u32); 4] = [(375, 100), (750, 200), (1500, 400), (3000, 800)];

#[derive(clap::Args)]
pub struct Args {
    /// Items (applications); with --experts, run this one size instead of the four defaults
    #[arg(long)]
    pub items: Option<u32>,
    /// Experts; with --items, run this one size instead of the four defaults
    #[arg(long)]
    pub experts: Option<u32>,
    /// Reviews per item (k)
    #[arg(long, default_value_t = 5)]
    pub per_item: u32,
    /// Load limit per expert (L)
    #[arg(long, default_value_t = 25)]
    pub load: u32,
    /// Share of pairs that are hard conflicts (0–1)
    #[arg(long, default_value_t = 0.05)]
    pub conflicts: f64,
    /// Seed of the synthetic generator
    #[arg(long, default_value_t = 2027)]
    pub seed: u64,
    /// Runs per size; the median time is reported
    #[arg(long, default_value_t = 5)]
    pub runs: u32,
    /// Which instances: pure (no composition rules), composition (rules on), or both
    #[arg(long, value_enum, default_value_t = Which::Both)]
    pub composition: Which,
    /// Networks the branch and bound may solve per run with the rules on (default: from the size)
    #[arg(long)]
    pub max_networks: Option<u32>,
    /// Print the figures as one JSON document
    #[arg(long)]
    pub json: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Which {
    Pure,
    Composition,
    Both,
}

#[derive(Serialize)]
struct Row {
    items: u32,
    experts: u32,
    pairs: usize,
    composition: bool,
    runs: u32,
    median_ms: f64,
    min_ms: f64,
    max_ms: f64,
    /// "assigned", "infeasible" or "undecided".
    status: &'static str,
    total_score: Option<i64>,
    bound: Option<i64>,
    gap: Option<i64>,
    optimal: bool,
    networks_solved: u32,
    greedy_score: i64,
    greedy_unfilled: u64,
    /// VmHWM after this size's runs: the process's peak so far (Linux only; None elsewhere).
    peak_memory_mib: Option<f64>,
}

#[derive(Serialize)]
struct Doc<'a> {
    schema: &'static str,
    per_item: u32,
    load: u32,
    conflict_rate: f64,
    seed: u64,
    runs: u32,
    profile: &'static str,
    peak_memory_note: &'static str,
    rows: &'a [Row],
}

pub fn run(args: &Args, out: &Out) -> lixiang_core::Result<()> {
    let sizes: Vec<(u32, u32)> = match (args.items, args.experts) {
        (Some(i), Some(e)) => vec![(i, e)],
        (None, None) => SIZES.to_vec(),
        _ => {
            return Err(CoreError::Validation {
                field: "--items/--experts".into(),
                reason: "give both or neither".into(),
            })
        }
    };
    if args.runs == 0 {
        return Err(CoreError::Validation { field: "--runs".into(), reason: "at least 1".into() });
    }
    if !(0.0..=1.0).contains(&args.conflicts) {
        return Err(CoreError::Validation { field: "--conflicts".into(), reason: "a share between 0 and 1".into() });
    }
    let modes: &[bool] = match args.composition {
        Which::Pure => &[false],
        Which::Composition => &[true],
        Which::Both => &[false, true],
    };
    let options = SolveOptions { max_networks: args.max_networks, ..SolveOptions::default() };
    let mut rows = Vec::new();
    for &composition in modes {
        for &(items, experts) in &sizes {
            let shape = Shape {
                items,
                experts,
                per_item: args.per_item,
                load: args.load,
                conflict_rate: args.conflicts,
                seed: args.seed,
                composition,
            };
            let problem = generate(&shape);
            let mut times = Vec::with_capacity(args.runs as usize);
            let mut outcome = None;
            for _ in 0..args.runs {
                let t = Instant::now();
                let o = solve_with(&problem, &options)?;
                times.push(t.elapsed().as_secs_f64() * 1000.0);
                outcome = Some(o);
            }
            times.sort_by(f64::total_cmp);
            let g = greedy(&problem)?;
            let mut row = Row {
                items,
                experts,
                pairs: problem.pairs.len(),
                composition,
                runs: args.runs,
                median_ms: median(&times),
                min_ms: times[0],
                max_ms: times[times.len() - 1],
                status: "undecided",
                total_score: None,
                bound: None,
                gap: None,
                optimal: false,
                networks_solved: 0,
                greedy_score: g.total_score,
                greedy_unfilled: g.unfilled,
                peak_memory_mib: peak_memory_mib(),
            };
            match outcome {
                Some(Outcome::Assigned(a)) => {
                    row.status = "assigned";
                    row.total_score = Some(a.total_score);
                    row.bound = Some(a.bound);
                    row.gap = Some(a.gap);
                    row.optimal = a.optimal;
                    row.networks_solved = a.networks_solved;
                }
                Some(Outcome::Infeasible(_)) => row.status = "infeasible",
                Some(Outcome::Undecided { bound, networks_solved }) => {
                    row.bound = Some(bound);
                    row.networks_solved = networks_solved;
                }
                None => {}
            }
            if !out.json {
                eprintln!(
                    "{} {items}×{experts}: {:.1} ms",
                    if composition { "composition" } else { "pure" },
                    row.median_ms
                );
            }
            rows.push(row);
        }
    }
    if out.json {
        let doc = Doc {
            schema: "lixiang.bench.assign.v1",
            per_item: args.per_item,
            load: args.load,
            conflict_rate: args.conflicts,
            seed: args.seed,
            runs: args.runs,
            profile: if cfg!(debug_assertions) { "debug" } else { "release" },
            peak_memory_note: "VmHWM from /proc/self/status (Linux only): the process's peak resident memory so far, \
                               instance generation included; null elsewhere",
            rows: &rows,
        };
        let text = serde_json::to_string_pretty(&doc)
            .map_err(|e| CoreError::Validation { field: "json".into(), reason: e.to_string() })?;
        crate::emit(&format!("{text}\n"));
    } else {
        crate::emit(&render(args, &rows, out.lang));
    }
    Ok(())
}

fn median(sorted: &[f64]) -> f64 {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

/// The process's peak resident set (VmHWM), in MiB. Linux only: `None` where /proc is absent.
fn peak_memory_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn render(args: &Args, rows: &[Row], lang: Lang) -> String {
    let l = |zh, en| lang.pick(zh, en);
    let mut s = format!(
        "{} k = {}, L = {}, {} {:.1}%, {} {}, {} {} ({})\n",
        l("专家分配基准：", "Assignment benchmark:"),
        args.per_item,
        args.load,
        l("回避比例", "conflicts"),
        args.conflicts * 100.0,
        l("种子", "seed"),
        args.seed,
        l("每种规模运行次数", "runs per size"),
        args.runs,
        if cfg!(debug_assertions) {
            l("调试构建，时间偏慢", "debug build: times are slow")
        } else {
            "release"
        },
    );
    for composition in [false, true] {
        let part: Vec<&Row> = rows.iter().filter(|r| r.composition == composition).collect();
        if part.is_empty() {
            continue;
        }
        s.push('\n');
        s.push_str(if composition {
            l(
                "启用组成规则（每单位至多一人、至少一名区外专家、技术创新项目 ⌈k/3⌉ 名产业用户专家）\n",
                "Composition rules on (one per unit, ≥ 1 区外 expert, ⌈k/3⌉ industry users on 技术创新 items)\n",
            )
        } else {
            l(
                "纯网络问题（k、负荷上限、回避）：精确最小费用流（网络单纯形）\n",
                "Pure network (k, loads, conflicts): exact min-cost flow (network simplex)\n",
            )
        });
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED);
        t.set_header(vec![
            l("规模", "Size"),
            l("可选对", "Pairs"),
            l("中位 ms", "Median ms"),
            l("最小–最大 ms", "Min–max ms"),
            l("匹配分", "Score"),
            l("上界", "Bound"),
            l("差距", "Gap"),
            l("网络数", "Networks"),
            l("贪心匹配分", "Greedy score"),
            l("贪心/求解器", "Greedy/solver"),
            l("峰值内存 MiB", "Peak MiB"),
        ]);
        for r in part {
            let score = match (r.status, r.total_score) {
                ("assigned", Some(v)) => {
                    format!("{v}{}", if r.optimal { l("（最优）", " (optimal)") } else { "" })
                }
                (status, _) => status.to_string(),
            };
            let greedy = if r.greedy_unfilled > 0 {
                format!("{} ({} {})", r.greedy_score, r.greedy_unfilled, l("缺口", "unfilled"))
            } else {
                r.greedy_score.to_string()
            };
            let ratio = r
                .total_score
                .filter(|&v| v > 0)
                .map(|v| format!("{:.4}", r.greedy_score as f64 / v as f64))
                .unwrap_or_else(|| "–".into());
            let opt = |v: Option<i64>| v.map(|x| x.to_string()).unwrap_or_else(|| "–".into());
            t.add_row(vec![
                format!("{}×{}", r.items, r.experts),
                r.pairs.to_string(),
                format!("{:.1}", r.median_ms),
                format!("{:.1}–{:.1}", r.min_ms, r.max_ms),
                score,
                opt(r.bound),
                opt(r.gap),
                r.networks_solved.to_string(),
                greedy,
                ratio,
                r.peak_memory_mib.map(|m| format!("{m:.0}")).unwrap_or_else(|| "–".into()),
            ]);
        }
        for c in 1..=10 {
            if let Some(col) = t.column_mut(c) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
        s.push_str(&t.to_string());
        s.push('\n');
    }
    s.push_str(l(
        "\n峰值内存为本进程 /proc/self/status 的 VmHWM（仅 Linux），是至此为止的峰值，包括生成实例的内存。\n\
         匹配分越高越好；求解器以费用 = −匹配分 求最小费用流。\n",
        "\nPeak memory is this process's VmHWM from /proc/self/status (Linux only): the peak so far, instance \
         generation included.\nHigher scores are better; the solver minimises cost = −score.\n",
    ));
    s
}
