//! `lixiang bench rank`: aggregation, the sensitivity table (ranking by every method) and the
//! funding line over a seeded synthetic round — by default 15,000 sheets of 3,000 items — timed as
//! the median of several runs. Figures only; never a pass/fail.

use crate::Out;
use lixiang_core::score::{self, Grade, Method, RoundRules, Sheet};
use std::collections::BTreeMap;
use std::time::Instant;

#[derive(clap::Args)]
pub struct Args {
    /// Items (applications) in the round
    #[arg(long, default_value_t = 3000)]
    pub items: usize,
    /// Sheets per item
    #[arg(long, default_value_t = 5)]
    pub k: usize,
    /// Experts in the pool
    #[arg(long, default_value_t = 800)]
    pub experts: usize,
    /// Timed runs; the median is reported
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Seed of the synthetic data
    #[arg(long, default_value_t = 2027)]
    pub seed: u64,
    /// Print one JSON document
    #[arg(long)]
    pub json: bool,
}

/// SplitMix64: a tiny, well-known generator, so the dataset is the same on every machine.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A round where each item has a true quality, each expert a leniency, and totals are their sum
/// plus noise, rounded to 0.5 and kept within 0 … 100.
fn synthetic(args: &Args) -> (Vec<Sheet>, BTreeMap<String, i64>) {
    let mut rng = SplitMix(args.seed);
    let leniency: Vec<f64> = (0..args.experts).map(|_| rng.below(21) as f64 - 10.0).collect();
    let mut sheets = Vec::with_capacity(args.items * args.k);
    let mut requests = BTreeMap::new();
    for i in 0..args.items {
        let item = format!("2027-ZX{:02}-{:06}", i % 8 + 1, i + 1);
        let quality = 55.0 + rng.below(35) as f64;
        let first = rng.below(args.experts as u64) as usize;
        for j in 0..args.k {
            let e = (first + j * 97) % args.experts;
            let noise = rng.below(11) as f64 - 5.0;
            let total = ((quality + leniency[e] + noise) * 2.0).round().clamp(0.0, 200.0) / 2.0;
            let grade = match total {
                t if t >= 85.0 => Grade::A,
                t if t >= 75.0 => Grade::B,
                t if t >= 60.0 => Grade::C,
                _ => Grade::D,
            };
            sheets.push(Sheet { item: item.clone(), expert: format!("E{e:04}"), total, grade: Some(grade) });
        }
        requests.insert(item, (50 + rng.below(250) as i64) * 1_000_000);
    }
    (sheets, requests)
}

pub fn run(args: &Args, out: &Out) -> lixiang_core::Result<()> {
    let (sheets, requests) = synthetic(args);
    let rules = RoundRules::default();
    let budget = (args.items as i64 / 5) * 150 * 1_000_000;
    let mut times = Vec::new();
    let mut funded = 0;
    for _ in 0..args.runs.max(1) {
        let t0 = Instant::now();
        let agg = score::aggregate(&sheets, &rules);
        let ranking = score::rank(&agg, Method::ZMean); // ranks under all four methods (sensitivity)
        let line = score::funding_line(&ranking, &requests, budget);
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
        funded = line.funded.len();
    }
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    if out.json {
        let doc = serde_json::json!({
            "schema": "lixiang.bench.rank.v1",
            "items": args.items, "sheets": sheets.len(), "experts": args.experts, "seed": args.seed,
            "runs_ms": times, "median_ms": median, "funded": funded, "target_ms": 20.0,
        });
        crate::emit(&format!("{doc:#}\n"));
    } else {
        let runs: Vec<String> = times.iter().map(|t| format!("{t:.2}")).collect();
        crate::emit(&format!(
            "bench rank: {} sheets of {} items ({} experts, seed {}): aggregation + ranks under 4 methods + funding line\nruns: {} ms\nmedian: {median:.2} ms (target ≤ 20 ms; {:.2} × target); {funded} items above the funding line\n",
            sheets.len(), args.items, args.experts, args.seed, runs.join(", "), median / 20.0
        ));
    }
    Ok(())
}
