//! Aggregation over one round's sealed sheets, exactly as domain.md defines it.
//!
//! Per item: n; mean; median (mean of the two middle values when n is even); sample SD (n − 1,
//! none when n < 2); the trimmed mean (one highest and one lowest dropped when trimming is on and
//! n ≥ the threshold, else the mean); the z-mean — the mean over the item's sheets of (S − μₑ)/σₑ with
//! μₑ, σₑ (population SD) over expert e's sheets in the round, falling back to the round's μ and σ for
//! an expert with fewer than 3 sheets or σₑ = 0 — also on the 100-point scale as μ + σ·z̄; and the
//! non-consensus flag (max − min ≥ the threshold, or grades spanning A and D).
//!
//! Everything is computed in f64 and ranked on unrounded values; ties are broken by more A grades,
//! then the higher median, then the lower 申报编号. Inputs are sorted first, so the row order of the
//! sheets never changes a result.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An expert's overall grade: A 优先支持 / B 支持 / C 可支持 / D 不支持.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, specta::Type)]
pub enum Grade {
    A,
    B,
    C,
    D,
}

impl Grade {
    pub fn parse(s: &str) -> Option<Grade> {
        match s.trim() {
            "A" | "a" | "Ａ" => Some(Grade::A),
            "B" | "b" | "Ｂ" => Some(Grade::B),
            "C" | "c" | "Ｃ" => Some(Grade::C),
            "D" | "d" | "Ｄ" => Some(Grade::D),
            _ => None,
        }
    }
}

/// One sealed score sheet: an expert's total for an item, and the grade.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sheet {
    /// The item's 申报编号 (people's number; also the last tie-break).
    pub item: String,
    /// The expert's number or id.
    pub expert: String,
    /// The sum of the criterion scores, 0 … 100.
    pub total: f64,
    pub grade: Option<Grade>,
}

/// How the round ranks its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Mean,
    Median,
    TrimmedMean,
    ZMean,
}

impl Method {
    pub const ALL: [Method; 4] = [Method::Mean, Method::Median, Method::TrimmedMean, Method::ZMean];

    pub fn parse(s: &str) -> Option<Method> {
        match s {
            "mean" => Some(Method::Mean),
            "median" => Some(Method::Median),
            "trimmed_mean" | "trimmed" => Some(Method::TrimmedMean),
            "z_mean" | "z" => Some(Method::ZMean),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Method::Mean => "mean",
            Method::Median => "median",
            Method::TrimmedMean => "trimmed_mean",
            Method::ZMean => "z_mean",
        }
    }
}

/// The round's aggregation rules (call data; defaults from domain.md).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundRules {
    pub method: Method,
    /// Trim one highest and one lowest score …
    pub trimming: bool,
    /// … when an item has at least this many sheets.
    pub trim_min_sheets: usize,
    /// Non-consensus when max − min reaches this many points.
    pub non_consensus_spread: f64,
}

impl Default for RoundRules {
    fn default() -> Self {
        RoundRules { method: Method::Mean, trimming: true, trim_min_sheets: 5, non_consensus_spread: 20.0 }
    }
}

/// Why an item is flagged 非共识.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NonConsensus {
    /// max − min reached the call's threshold.
    Spread,
    /// Some expert gave A and another D.
    GradesAandD,
}

/// The statistics of one item over its sheets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemStats {
    pub item: String,
    pub n: usize,
    pub mean: f64,
    pub median: f64,
    /// Sample standard deviation (n − 1); `None` when n < 2 (shown as "—").
    pub sd: Option<f64>,
    pub trimmed_mean: f64,
    /// Whether the trimmed mean dropped two sheets (else it equals the mean).
    pub trimmed: bool,
    /// z̄: the mean of the item's standardised scores.
    pub z_mean: f64,
    /// z̄ on the 100-point scale: μ_round + σ_round · z̄.
    pub z_scaled: f64,
    pub min: f64,
    pub max: f64,
    /// Count of grades A, B, C, D.
    pub grades: [usize; 4],
    pub non_consensus: Vec<NonConsensus>,
}

impl ItemStats {
    pub fn value(&self, method: Method) -> f64 {
        match method {
            Method::Mean => self.mean,
            Method::Median => self.median,
            Method::TrimmedMean => self.trimmed_mean,
            Method::ZMean => self.z_mean,
        }
    }
}

/// The result of aggregating a round: items in 申报编号 order, and the round's μ and σ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Aggregation {
    pub items: Vec<ItemStats>,
    pub round_mean: f64,
    /// Population SD over every sheet of the round.
    pub round_sd: f64,
    /// Experts whose z-scores used the round's μ and σ (fewer than 3 sheets, or σₑ = 0).
    pub fallback_experts: Vec<String>,
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

fn population_sd(xs: &[f64], mu: f64) -> f64 {
    (xs.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / xs.len() as f64).sqrt()
}

/// Median of sorted values.
fn median_sorted(xs: &[f64]) -> f64 {
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

/// Aggregates one round's sheets. Items without sheets do not appear. The order of `sheets` does
/// not matter.
pub fn aggregate(sheets: &[Sheet], rules: &RoundRules) -> Aggregation {
    if sheets.is_empty() {
        return Aggregation { items: vec![], round_mean: 0.0, round_sd: 0.0, fallback_experts: vec![] };
    }
    // Sorting makes every sum below run in the same order whatever the input order was, so the
    // floating-point results (and thus exact ties) do not depend on it.
    let mut sorted: Vec<&Sheet> = sheets.iter().collect();
    sorted.sort_by(|a, b| {
        (a.item.as_str(), a.expert.as_str())
            .cmp(&(b.item.as_str(), b.expert.as_str()))
            .then(a.total.total_cmp(&b.total))
    });
    let all: Vec<f64> = sorted.iter().map(|s| s.total).collect();
    let round_mean = mean(&all);
    let round_sd = population_sd(&all, round_mean);

    let mut by_expert: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for s in &sorted {
        by_expert.entry(s.expert.as_str()).or_default().push(s.total);
    }
    let mut fallback_experts = Vec::new();
    let expert_norm: BTreeMap<&str, (f64, f64)> = by_expert
        .iter()
        .map(|(e, xs)| {
            let mu = mean(xs);
            let sd = population_sd(xs, mu);
            if xs.len() < 3 || sd == 0.0 {
                fallback_experts.push(e.to_string());
                (*e, (round_mean, round_sd))
            } else {
                (*e, (mu, sd))
            }
        })
        .collect();

    let mut items = Vec::new();
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j < sorted.len() && sorted[j].item == sorted[i].item {
            j += 1;
        }
        items.push(item_stats(&sorted[i..j], &expert_norm, round_mean, round_sd, rules));
        i = j;
    }
    Aggregation { items, round_mean, round_sd, fallback_experts }
}

fn item_stats(
    sheets: &[&Sheet],
    expert_norm: &BTreeMap<&str, (f64, f64)>,
    round_mean: f64,
    round_sd: f64,
    rules: &RoundRules,
) -> ItemStats {
    let mut xs: Vec<f64> = sheets.iter().map(|s| s.total).collect();
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    let mu = mean(&xs);
    let sd = (n >= 2).then(|| (xs.iter().map(|x| (x - mu).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt());
    let trimmed = rules.trimming && n >= rules.trim_min_sheets.max(3);
    let trimmed_mean = if trimmed { mean(&xs[1..n - 1]) } else { mu };
    let z_mean = sheets
        .iter()
        .map(|s| {
            let (m, sd) = expert_norm[s.expert.as_str()];
            if sd == 0.0 {
                0.0
            } else {
                (s.total - m) / sd
            }
        })
        .sum::<f64>()
        / n as f64;
    let mut grades = [0usize; 4];
    for g in sheets.iter().filter_map(|s| s.grade) {
        grades[g as usize] += 1;
    }
    let (min, max) = (xs[0], xs[n - 1]);
    let mut non_consensus = Vec::new();
    if max - min >= rules.non_consensus_spread {
        non_consensus.push(NonConsensus::Spread);
    }
    if grades[Grade::A as usize] > 0 && grades[Grade::D as usize] > 0 {
        non_consensus.push(NonConsensus::GradesAandD);
    }
    ItemStats {
        item: sheets[0].item.clone(),
        n,
        mean: mu,
        median: median_sorted(&xs),
        sd,
        trimmed_mean,
        trimmed,
        z_mean,
        z_scaled: round_mean + round_sd * z_mean,
        min,
        max,
        grades,
        non_consensus,
    }
}

/// An item's place in the ranking by one method, with its places under every method beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankedItem {
    pub rank: usize,
    pub item: String,
    pub value: f64,
    /// The item's rank under each method, in [`Method::ALL`] order (the sensitivity table).
    pub ranks_by_method: [usize; 4],
}

/// The order of `stats` by `method`: the value descending, then more A grades, then the higher
/// median, then the lower 申报编号.
fn order(stats: &[ItemStats], method: Method) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..stats.len()).collect();
    idx.sort_by(|&a, &b| {
        let (x, y) = (&stats[a], &stats[b]);
        y.value(method)
            .total_cmp(&x.value(method))
            .then(y.grades[0].cmp(&x.grades[0]))
            .then(y.median.total_cmp(&x.median))
            .then(x.item.cmp(&y.item))
    });
    idx
}

/// Ranks the aggregated items by `method`, with the sensitivity table (each item's rank under every
/// method). Ranks are 1-based and unique (ties are broken as domain.md says).
pub fn rank(agg: &Aggregation, method: Method) -> Vec<RankedItem> {
    let stats = &agg.items;
    let mut ranks = vec![[0usize; 4]; stats.len()];
    for (m, method_m) in Method::ALL.iter().enumerate() {
        for (r, &i) in order(stats, *method_m).iter().enumerate() {
            ranks[i][m] = r + 1;
        }
    }
    order(stats, method)
        .into_iter()
        .enumerate()
        .map(|(r, i)| RankedItem {
            rank: r + 1,
            item: stats[i].item.clone(),
            value: stats[i].value(method),
            ranks_by_method: ranks[i],
        })
        .collect()
}

/// Where the money runs out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FundingLine {
    /// Items above the line, in ranking order.
    pub funded: Vec<String>,
    /// The first item whose request did not fit; the walk stops there.
    pub first_unfunded: Option<String>,
    pub budget_fen: i64,
    pub used_fen: i64,
    pub remaining_fen: i64,
}

/// Walks the ranking and takes each item while the remaining budget covers its requested fiscal
/// funding; stops at the first that does not fit (the officer may then fill below the line
/// explicitly). An item without a known request stops the walk too: nothing is funded on a guess.
pub fn funding_line(ranking: &[RankedItem], requested_fen: &BTreeMap<String, i64>, budget_fen: i64) -> FundingLine {
    let mut remaining = budget_fen;
    let mut funded = Vec::new();
    let mut first_unfunded = None;
    for r in ranking {
        match requested_fen.get(&r.item) {
            Some(&need) if need <= remaining => {
                remaining -= need;
                funded.push(r.item.clone());
            }
            _ => {
                first_unfunded = Some(r.item.clone());
                break;
            }
        }
    }
    FundingLine { funded, first_unfunded, budget_fen, used_fen: budget_fen - remaining, remaining_fen: remaining }
}

#[cfg(test)]
mod tests {
    //! Hand-computed cases: every expected number below was worked out on paper from the sheets.
    use super::*;

    fn sheet(item: &str, expert: &str, total: f64, grade: Option<Grade>) -> Sheet {
        Sheet { item: item.into(), expert: expert.into(), total, grade }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    fn stats_of<'a>(agg: &'a Aggregation, item: &str) -> &'a ItemStats {
        agg.items.iter().find(|s| s.item == item).unwrap()
    }

    #[test]
    fn trimmed_mean_with_five_sheets_drops_the_highest_and_the_lowest() {
        // 60 70 80 90 100 → drop 60 and 100 → (70 + 80 + 90) / 3 = 80; mean 80; median 80.
        let sheets: Vec<Sheet> = [60.0, 100.0, 80.0, 70.0, 90.0]
            .iter()
            .enumerate()
            .map(|(i, &t)| sheet("X", &format!("E{i}"), t, None))
            .collect();
        let s = &aggregate(&sheets, &RoundRules::default()).items[0];
        assert!(s.trimmed);
        assert!(close(s.trimmed_mean, 80.0));
        // Skewed: 50 80 82 84 99 → trimmed (80+82+84)/3 = 82, mean 395/5 = 79.
        let sheets: Vec<Sheet> = [50.0, 80.0, 82.0, 84.0, 99.0]
            .iter()
            .enumerate()
            .map(|(i, &t)| sheet("Y", &format!("E{i}"), t, None))
            .collect();
        let s = &aggregate(&sheets, &RoundRules::default()).items[0];
        assert!(close(s.trimmed_mean, 82.0));
        assert!(close(s.mean, 79.0));
        assert!(close(s.median, 82.0));
    }

    #[test]
    fn with_four_sheets_below_the_threshold_the_trimmed_mean_is_the_mean() {
        // 70 75 85 90: n = 4 < 5 → no trimming; mean 80; even-n median (75 + 85) / 2 = 80.
        let sheets: Vec<Sheet> =
            [90.0, 70.0, 85.0, 75.0].iter().enumerate().map(|(i, &t)| sheet("X", &format!("E{i}"), t, None)).collect();
        let s = &aggregate(&sheets, &RoundRules::default()).items[0];
        assert!(!s.trimmed);
        assert!(close(s.trimmed_mean, 80.0));
        assert!(close(s.median, 80.0));
        // Sample SD: deviations −10 −5 5 10 → squares 100 25 25 100 = 250 / 3 → √83.33… = 9.1287…
        assert!(close(s.sd.unwrap(), (250.0f64 / 3.0).sqrt()));
        // With the threshold lowered to 4, n = 4 trims: (75 + 85) / 2 = 80 (drops 70 and 90).
        let rules = RoundRules { trim_min_sheets: 4, ..RoundRules::default() };
        let s = &aggregate(&sheets, &rules).items[0];
        assert!(s.trimmed);
        assert!(close(s.trimmed_mean, 80.0));
        // Trimming off: never trims.
        let rules = RoundRules { trimming: false, trim_min_sheets: 4, ..RoundRules::default() };
        assert!(!aggregate(&sheets, &rules).items[0].trimmed);
    }

    #[test]
    fn an_even_number_of_sheets_takes_the_mean_of_the_two_middle_values_and_one_sheet_has_no_sd() {
        let sheets = vec![sheet("X", "E1", 61.0, None), sheet("X", "E2", 70.5, None), sheet("Y", "E1", 88.0, None)];
        let agg = aggregate(&sheets, &RoundRules::default());
        assert!(close(stats_of(&agg, "X").median, 65.75));
        assert_eq!(stats_of(&agg, "Y").sd, None);
        assert!(close(stats_of(&agg, "X").sd.unwrap(), (2.0 * 4.75f64.powi(2)).sqrt()));
    }

    /// Lenient expert L gives 91, 93, 95 (μ = 93, σ = √(8/3)); harsh expert H gives 75, 65, 55
    /// (μ = 65, σ = √(200/3)). A is L's weakest item (z = −1.22), D is H's best (z = +1.22).
    #[test]
    fn z_scores_correct_a_lenient_expert_so_an_item_of_the_harsh_expert_rises() {
        let sheets = vec![
            sheet("A", "L", 91.0, None), // L's lowest: z = −1.2247
            sheet("B", "L", 93.0, None),
            sheet("C", "L", 95.0, None),
            sheet("D", "H", 75.0, None), // H's highest: z = +1.2247
            sheet("E", "H", 65.0, None),
            sheet("F", "H", 55.0, None),
        ];
        let agg = aggregate(&sheets, &RoundRules::default());
        // By the mean, A (91) is far above D (75)…
        let by_mean = rank(&agg, Method::Mean);
        let pos = |r: &[RankedItem], item: &str| r.iter().find(|x| x.item == item).unwrap().rank;
        assert!(pos(&by_mean, "A") < pos(&by_mean, "D"));
        // …but A was the lenient expert's weakest item and D the harsh expert's best: z corrects it.
        let by_z = rank(&agg, Method::ZMean);
        assert!(pos(&by_z, "D") < pos(&by_z, "A"));
        let sd3 = (8.0f64 / 3.0).sqrt(); // σ of 91, 93, 95 (population)
        assert!(close(stats_of(&agg, "A").z_mean, -2.0 / sd3));
        assert!(close(stats_of(&agg, "D").z_mean, 10.0 / (200.0f64 / 3.0).sqrt()));
        // The 100-point scale: μ_round + σ_round · z̄.
        let d = stats_of(&agg, "D");
        assert!(close(d.z_scaled, agg.round_mean + agg.round_sd * d.z_mean));
        assert!(agg.fallback_experts.is_empty());
        // The sensitivity table shows both places side by side.
        let a = by_z.iter().find(|x| x.item == "A").unwrap();
        assert_eq!(a.ranks_by_method[0], pos(&by_mean, "A"));
        assert_eq!(a.ranks_by_method[3], pos(&by_z, "A"));
    }

    #[test]
    fn an_expert_with_two_sheets_falls_back_to_the_rounds_mean_and_sd() {
        // Round: E1 gives 80 and 60 (only two sheets → fallback); E2 gives 70, 70, 100 on three items.
        let sheets = vec![
            sheet("X", "E1", 80.0, None),
            sheet("Y", "E1", 60.0, None),
            sheet("X", "E2", 70.0, None),
            sheet("Y", "E2", 70.0, None),
            sheet("Z", "E2", 100.0, None),
        ];
        let agg = aggregate(&sheets, &RoundRules::default());
        assert_eq!(agg.fallback_experts, vec!["E1".to_string()]);
        // Round μ = 380 / 5 = 76; σ = √((16 + 256 + 36 + 36 + 576) / 5) = √184.
        assert!(close(agg.round_mean, 76.0));
        assert!(close(agg.round_sd, 184.0f64.sqrt()));
        // E2: μ = 80, σ = √((100 + 100 + 400) / 3) = √200.
        // X: E1 (80 − 76)/√184, E2 (70 − 80)/√200 → mean of the two.
        let x = stats_of(&agg, "X");
        let want = ((80.0 - 76.0) / 184.0f64.sqrt() + (70.0 - 80.0) / 200.0f64.sqrt()) / 2.0;
        assert!(close(x.z_mean, want), "{} vs {want}", x.z_mean);
    }

    #[test]
    fn an_expert_who_gave_every_item_the_same_score_falls_back_too() {
        let sheets = vec![
            sheet("X", "E1", 80.0, None),
            sheet("Y", "E1", 80.0, None),
            sheet("Z", "E1", 80.0, None),
            sheet("X", "E2", 60.0, None),
        ];
        let agg = aggregate(&sheets, &RoundRules::default());
        assert!(agg.fallback_experts.contains(&"E1".to_string()));
        assert!(agg.items.iter().all(|s| s.z_mean.is_finite()));
    }

    #[test]
    fn ties_are_broken_by_more_a_grades_then_the_higher_median_then_the_lower_number() {
        use Grade::*;
        // 1. Same mean 80; P has two A grades, Q one → P first.
        let sheets = vec![
            sheet("2027-ZX01-000002", "E1", 80.0, Some(A)),
            sheet("2027-ZX01-000002", "E2", 80.0, Some(A)),
            sheet("2027-ZX01-000001", "E1", 80.0, Some(A)),
            sheet("2027-ZX01-000001", "E2", 80.0, Some(B)),
        ];
        let r = rank(&aggregate(&sheets, &RoundRules::default()), Method::Mean);
        assert_eq!(r[0].item, "2027-ZX01-000002");
        // 2. Same mean 80 and same A count; higher median first: 70/80/90 (median 80) vs 60/90/90 (median 90).
        let sheets = vec![
            sheet("2027-ZX01-000001", "E1", 70.0, Some(B)),
            sheet("2027-ZX01-000001", "E2", 80.0, Some(B)),
            sheet("2027-ZX01-000001", "E3", 90.0, Some(A)),
            sheet("2027-ZX01-000002", "E1", 60.0, Some(C)),
            sheet("2027-ZX01-000002", "E2", 90.0, Some(A)),
            sheet("2027-ZX01-000002", "E3", 90.0, Some(B)),
        ];
        let r = rank(&aggregate(&sheets, &RoundRules::default()), Method::Mean);
        assert_eq!(r[0].item, "2027-ZX01-000002");
        // 3. Everything equal: the lower 申报编号 first.
        let sheets =
            vec![sheet("2027-ZX01-000009", "E1", 80.0, Some(B)), sheet("2027-ZX01-000003", "E2", 80.0, Some(B))];
        let r = rank(&aggregate(&sheets, &RoundRules::default()), Method::Mean);
        assert_eq!((r[0].item.as_str(), r[0].rank, r[1].rank), ("2027-ZX01-000003", 1, 2));
    }

    #[test]
    fn a_wide_spread_or_grades_spanning_a_and_d_flag_non_consensus() {
        use Grade::*;
        let sheets = vec![
            sheet("W", "E1", 90.0, Some(A)),
            sheet("W", "E2", 70.0, Some(B)), // 90 − 70 = 20 ≥ 20 → spread
            sheet("G", "E1", 80.0, Some(A)),
            sheet("G", "E2", 75.0, Some(D)), // A and D
            sheet("N", "E1", 80.0, Some(A)),
            sheet("N", "E2", 60.5, Some(B)), // 19.5 < 20, no D
        ];
        let agg = aggregate(&sheets, &RoundRules::default());
        assert_eq!(stats_of(&agg, "W").non_consensus, vec![NonConsensus::Spread]);
        assert_eq!(stats_of(&agg, "G").non_consensus, vec![NonConsensus::GradesAandD]);
        assert!(stats_of(&agg, "N").non_consensus.is_empty());
    }

    #[test]
    fn the_funding_line_stops_at_the_first_item_that_does_not_fit() {
        let ranking: Vec<RankedItem> = ["A", "B", "C", "D"]
            .iter()
            .enumerate()
            .map(|(i, item)| RankedItem { rank: i + 1, item: item.to_string(), value: 0.0, ranks_by_method: [0; 4] })
            .collect();
        // Budget 100 万元; A 40, B 50, C 20 (does not fit: 10 left), D 5 (would fit, but the walk stopped).
        let wan = 1_000_000i64;
        let requested: BTreeMap<String, i64> =
            [("A", 40), ("B", 50), ("C", 20), ("D", 5)].iter().map(|(k, v)| (k.to_string(), v * wan)).collect();
        let line = funding_line(&ranking, &requested, 100 * wan);
        assert_eq!(line.funded, vec!["A", "B"]);
        assert_eq!(line.first_unfunded.as_deref(), Some("C"));
        assert_eq!((line.used_fen, line.remaining_fen), (90 * wan, 10 * wan));
        // Exactly fitting is taken.
        let line = funding_line(&ranking, &requested, 110 * wan);
        assert_eq!(line.funded, vec!["A", "B", "C"]);
        assert_eq!(line.first_unfunded.as_deref(), Some("D"));
    }

    #[test]
    fn the_row_order_of_the_sheets_changes_nothing() {
        let mut sheets = Vec::new();
        for i in 0..7 {
            for e in 0..5 {
                let t = ((i * 37 + e * 53) % 41) as f64 + 55.0 + if e == 2 { 0.5 } else { 0.0 };
                sheets.push(sheet(&format!("I{i}"), &format!("E{}", (i + e) % 6), t, None));
            }
        }
        let a = aggregate(&sheets, &RoundRules::default());
        sheets.reverse();
        sheets.swap(3, 17);
        let b = aggregate(&sheets, &RoundRules::default());
        assert_eq!(a, b);
        for m in Method::ALL {
            assert_eq!(rank(&a, m), rank(&b, m));
        }
    }
}
