//! Expert assignment (专家分配) as a pure function: which experts review which items (applications).
//!
//! Owns the solver — its input ([`Problem`]), its rules ([`Rules`]), its answers ([`Outcome`]) — and a
//! greedy baseline for comparison. It must not touch storage, the clock or randomness: the same
//! problem, with its rows in any order, always gives the same answer, so a run can be replayed from
//! its stored input.
//!
//! # Model
//! Every item needs `per_item` (k) reviews from distinct experts; expert e takes at most
//! `load_limit` items (already reduced by the yearly cap). A pair missing from [`Problem::pairs`] is a
//! conflict and is never assigned. We *maximise* the total match score; the flow network carries cost
//! = −score, so its minimum cost is the negated maximum score. Composition rules:
//! - one expert per unit on an item: an intermediate node per (item, unit) with capacity 1;
//! - at least `min_outside` 区外 experts per item: a lower bound on the arc into the item's 区外
//!   group (standard transformation: the bound moves into node supplies);
//! - at least `industry_min` industry-user experts on each 技术创新 item (`industry_share`).
//!
//! The first two keep the problem a min-cost flow, solved exactly by the network simplex in `flow`.
//! The simplex starts from a few pairs per item (the best ones, overall and per group); every other
//! pair is then priced against the optimal potentials and brought in while one could improve the
//! flow, so the optimum is proven over all pairs while the networks solved stay small (a pricing,
//! or column-generation, argument; see `solve_node`).
//! The industry share together with the 区外 bound is not laminar (an expert is in both groups or in
//! one), so on those items the network keeps the industry bound exactly and relaxes the 区外 bound;
//! a depth-first branch and bound then fixes, per violated item, how many of its 区外 reviews come
//! from industry users (each choice is again a network). On those items a unit with both industry
//! users and others gets one unit node per side, and two of its experts on one item are branched on
//! the same way (no industry user of the unit there, or no other). A dive that fixes every
//! violation at once finds a first complete assignment; the search is bounded by a deterministic
//! budget of networks solved; the answer carries the best proven bound (the largest bound of the
//! unexplored branches), and `optimal` only when the gap is zero.
//!
//! # Pinned pairs
//! A pair the officer pinned ([`Problem::pinned`]) is in every assignment returned. It is not
//! handed to the network with a large bonus (that would only make it likely, and would distort the
//! score and the bound); it is taken out of the problem before solving, and the rest is solved as
//! the *residual* problem. For item i with pinned experts P_i, and expert e pinned to p_e items:
//! - item i needs k − |P_i| more reviews, max(0, m − 区外(P_i)) more 区外 experts and, on a 技术创新
//!   item, max(0, q − industry(P_i)) more industry users ("at least" rules, so what the pins already
//!   give counts);
//! - expert e may take `load_limit − p_e` more items;
//! - the pinned pairs leave the item's row, and under one-per-unit so do the pairs of every other
//!   expert of a pinned expert's unit (that unit's place on the item is taken).
//!
//! A full assignment that contains the pins is exactly the pins plus a residual assignment (each
//! rule above is equivalent to the original rule given the pins), and its score is the pins' score
//! plus the residual's, so the residual optimum plus the pins is the optimum among assignments that
//! keep the pins; the bound shifts by the same constant. Pins that break a rule on their own (more
//! than k on an item, two of one unit, more than an expert's load, or leaving too few places for the
//! 区外 or industry minimum) make the input infeasible with [`Deficiency::Pinned`] naming them; any
//! other shortage is explained on the residual problem as without pins (single items are reported
//! with the pinned reviews counted on both sides; a deficient set counts the reviews still open).
//! A removed pair is simply not an allowed pair: the caller leaves it out of [`Problem::pairs`].
//!
//! Ties between equally good assignments are broken by the canonical order (items and experts
//! sorted by id), never by a hash map or by input order.
//!
//! When no assignment exists the answer is a [`Deficiency`]: items that are short on their own, else
//! a set found as the source side of a minimum cut (Hall's condition: these items need R reviews;
//! the experts who could serve them have S < R slots).

pub mod desk;
pub mod edit;
mod flow;
pub mod settings;
pub mod synthetic;

use crate::{CoreError, Result};
use flow::{artificial_cost, min_cost_flow, min_cut_source_side, Network};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The largest match score accepted for one pair; keeps every sum far inside `i64`.
pub const MAX_SCORE: u32 = 1_000_000;

/// An item to review (an application in a round).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// Stable id (a UUID, or the 申报编号); unique within a problem; fixes the canonical order.
    pub id: String,
    /// A 技术创新 item: it needs [`Rules::industry_min`] industry-user experts.
    pub industry_share: bool,
}

/// An expert who may review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Expert {
    /// Stable id; unique within a problem.
    pub id: String,
    /// Items this expert may still take in this round (the round's limit L, already reduced by the
    /// yearly cap minus reviews done). 0 means the expert takes none.
    pub load_limit: u32,
    /// The expert's unit, by a stable key (the unit's credit code); `None` counts as a unit of one.
    /// All experts of one unit must agree on `outside_tibet` (region is a property of the unit).
    pub unit: Option<String>,
    /// 区外: the expert works outside the Tibet Autonomous Region.
    pub outside_tibet: bool,
    /// An industry-user expert (category 产业 or unit type 企业, or as the call defines it).
    pub industry_user: bool,
}

/// An allowed (item, expert) pair with its match score. Pairs not listed are conflicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Pair {
    /// Index into [`Problem::items`].
    pub item: u32,
    /// Index into [`Problem::experts`].
    pub expert: u32,
    /// Match score, higher is better, at most [`MAX_SCORE`].
    pub score: u32,
}

/// Panel-composition rules and the number of reviews per item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rules {
    /// k: reviews each item needs, from k distinct experts.
    pub per_item: u32,
    /// At most one expert per unit on an item.
    pub one_per_unit: bool,
    /// At least this many 区外 experts on every item (≤ `per_item`).
    pub min_outside: u32,
    /// At least this many industry-user experts on every 技术创新 item (≤ `per_item`).
    pub industry_min: u32,
}

impl Rules {
    /// Only k reviews per item: no composition rules.
    pub fn plain(per_item: u32) -> Rules {
        Rules { per_item, one_per_unit: false, min_outside: 0, industry_min: 0 }
    }

    /// The domain's default composition: one per unit, at least one 区外 expert, and ⌈k/3⌉
    /// industry-user experts on 技术创新 items.
    pub fn standard(per_item: u32) -> Rules {
        Rules { per_item, one_per_unit: true, min_outside: 1.min(per_item), industry_min: per_item.div_ceil(3) }
    }
}

/// The input of [`solve`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub items: Vec<Item>,
    pub experts: Vec<Expert>,
    pub pairs: Vec<Pair>,
    pub rules: Rules,
    /// Pairs fixed by hand: each must also be in `pairs` (it takes its score from there), and every
    /// assignment returned contains it. Left out of the serialised input when empty, so a problem
    /// without pins hashes as it did before pins existed.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub pinned: Vec<Pin>,
}

/// A pair fixed by hand (indices as in [`Pair`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Pin {
    /// Index into [`Problem::items`].
    pub item: u32,
    /// Index into [`Problem::experts`].
    pub expert: u32,
}

/// How hard [`solve_with`] may search when the industry share breaks the network structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SolveOptions {
    /// Networks (min-cost flows) the branch and bound may solve, the first included. `None` picks a
    /// budget from the instance size (10 million ÷ allowed pairs, between 8 and 200 networks), so the
    /// answer never depends on the machine's speed.
    pub max_networks: Option<u32>,
    /// Pairs per item the simplex starts from before pricing brings in the others (default 3k + 5).
    /// A tuning knob only: every value gives the same optimum, since pricing proves it over all pairs.
    pub start_pairs_per_item: Option<u32>,
}

/// One expert on one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assigned {
    pub item: String,
    pub expert: String,
    pub score: u32,
}

/// A complete assignment that honours every rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Assignment {
    /// Sorted by item id, then expert id; exactly k per item.
    pub pairs: Vec<Assigned>,
    /// Σ score of `pairs` (maximised).
    pub total_score: i64,
    /// Proven upper bound on the total score of any assignment that honours every rule.
    pub bound: i64,
    /// `bound − total_score` (≥ 0).
    pub gap: i64,
    /// True only when `gap` is zero, i.e. the assignment is proven optimal.
    pub optimal: bool,
    /// Min-cost-flow networks solved (1 when the rules keep the problem a network).
    pub networks_solved: u32,
}

/// Which requirement is short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    /// The k reviews themselves.
    Reviews,
    /// The 区外 experts.
    Outside,
    /// The industry-user experts of a 技术创新 item.
    Industry,
}

/// One item that cannot be served even alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shortfall {
    pub item: String,
    pub need: Need,
    /// Reviews (of that kind) the item needs.
    pub required: u32,
    /// Distinct experts (distinct units under one-per-unit) with load left who could give them.
    pub available: u32,
}

/// An item's share of a deficient set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemNeed {
    pub item: String,
    /// The requirement that puts the item in the set (Reviews when its k reviews do).
    pub need: Need,
    /// Reviews this item contributes to the set's `required`.
    pub required: u32,
}

/// A set of items whose needs exceed what the experts who could serve them can give (a violated
/// Hall condition), read off a minimum cut of the flow network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeficientSet {
    /// Sorted by item id.
    pub items: Vec<ItemNeed>,
    /// R: reviews these items need.
    pub required: u64,
    /// S < R: the slots left for them by the experts who could serve them (loads, one per unit,
    /// and the groups the rules impose all counted).
    pub available: u64,
    /// The experts who could serve them, sorted by id.
    pub experts: Vec<String>,
}

/// The rule that pinned pairs break on their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PinRule {
    /// More pinned experts on the item (`count`) than it has reviews (`limit` = k).
    PerItem,
    /// `count` pinned experts of one unit on the item (`limit` = 1).
    OnePerUnit,
    /// The item still needs `count` 区外 experts, but the pins leave only `limit` places.
    Outside,
    /// The 技术创新 item still needs `count` industry users, but the pins leave only `limit` places.
    Industry,
    /// The expert is pinned to `count` items and may take only `limit`.
    Load,
}

/// Pinned pairs that break a rule before any other expert is chosen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PinClash {
    /// The item; `None` for [`PinRule::Load`], which concerns one expert across items.
    pub item: Option<String>,
    pub rule: PinRule,
    /// The pinned experts involved, sorted by id.
    pub experts: Vec<String>,
    pub count: u32,
    pub limit: u32,
}

/// Why no assignment exists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Deficiency {
    /// The pinned pairs break a rule on their own (sorted by item, then rule).
    Pinned { clashes: Vec<PinClash> },
    /// Each of these items is short on its own (sorted by item id, then need).
    Items { items: Vec<Shortfall> },
    /// Every item alone can be served, but this set cannot.
    Set(DeficientSet),
    /// Each rule can be met on its own, but not together on these 技术创新 items (the 区外 and the
    /// industry-user requirements compete for the same few experts).
    Composition { items: Vec<String> },
}

/// The answer of [`solve`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Outcome {
    Assigned(Assignment),
    Infeasible(Deficiency),
    /// The search budget ran out before any assignment honouring every rule was found, and none
    /// was proven impossible. `bound` caps the total score of any assignment.
    Undecided {
        bound: i64,
        networks_solved: u32,
    },
}

/// Solves `problem` with the default search budget. See [`solve_with`].
pub fn solve(problem: &Problem) -> Result<Outcome> {
    solve_with(problem, &SolveOptions::default())
}

/// Assigns experts to items, maximising the total match score under every rule.
///
/// Errors (`CoreError::Validation`) only for malformed input: duplicate ids, a pair naming an item or
/// expert that does not exist or listed twice, a score above [`MAX_SCORE`], rule counts above k, or
/// one unit with experts both inside and outside Tibet. An input with no solution is not an error: it
/// gives [`Outcome::Infeasible`].
pub fn solve_with(problem: &Problem, options: &SolveOptions) -> Result<Outcome> {
    let c = Canon::new(problem)?;
    let r = problem.rules;
    if !c.clashes.is_empty() {
        return Ok(Outcome::Infeasible(Deficiency::Pinned { clashes: c.clashes.clone() }));
    }
    let short = single_shortfalls(&c, &r);
    if !short.is_empty() {
        return Ok(Outcome::Infeasible(Deficiency::Items { items: short }));
    }
    let root = Spec::root(c.items.len());
    let limit = options
        .max_networks
        .unwrap_or_else(|| (10_000_000 / c.adj_expert.len().max(1) as u64).clamp(8, 200) as u32)
        .max(1);
    let per_item = options.start_pairs_per_item.map_or(3 * r.per_item as usize + 5, |n| n as usize);
    let mut candidates = vec![false; c.adj_expert.len()];
    seed_candidates(&c, &root, per_item, &mut candidates);
    let mut networks = 1u32;
    let Some(root_sol) = solve_node(&c, &r, &root, &mut candidates) else {
        let deficiency = explain(&c, &r, &root).unwrap_or(Deficiency::Composition { items: Vec::new() });
        return Ok(Outcome::Infeasible(deficiency));
    };
    let root_violations = violations(&c, &r, &root, &root_sol.chosen);
    if root_violations.is_empty() {
        return Ok(Outcome::Assigned(c.assignment(&root_sol, root_sol.score, networks)));
    }

    // Dive: fix every violation at once, re-solve, repeat — a quick complete assignment whose score
    // lets the exact search below prune.
    let mut incumbent: Option<NodeSolution> = None;
    let mut spec = root.clone();
    let mut dive_violations = root_violations.clone();
    let mut last = None::<NodeSolution>;
    while networks < limit {
        let basis = last.as_ref().unwrap_or(&root_sol);
        if last.is_none() {
            dive_modes(&c, &r, &mut spec, basis);
        }
        for v in &dive_violations {
            dive_fix(&c, &mut spec, v, basis);
        }
        networks += 1;
        seed_candidates(&c, &spec, per_item, &mut candidates);
        let Some(sol) = solve_node(&c, &r, &spec, &mut candidates) else { break };
        dive_violations = violations(&c, &r, &spec, &sol.chosen);
        if dive_violations.is_empty() {
            incumbent = Some(sol);
            break;
        }
        last = Some(sol);
    }

    // Depth-first branch and bound from the root; each open node carries its parent's bound.
    let mut open: Vec<(i64, Spec)> = Vec::new();
    push_children(&c, &root, &root_violations[0], root_sol.score, &mut open);
    while let Some((bound, spec)) = open.pop() {
        if incumbent.as_ref().is_some_and(|s| s.score >= bound) {
            continue;
        }
        if networks >= limit {
            open.push((bound, spec));
            break;
        }
        networks += 1;
        seed_candidates(&c, &spec, per_item, &mut candidates);
        let Some(sol) = solve_node(&c, &r, &spec, &mut candidates) else { continue };
        if incumbent.as_ref().is_some_and(|s| s.score >= sol.score) {
            continue;
        }
        let vs = violations(&c, &r, &spec, &sol.chosen);
        match vs.first() {
            None => incumbent = Some(sol),
            Some(v) => push_children(&c, &spec, v, sol.score, &mut open),
        }
    }
    let best = incumbent.as_ref().map(|s| s.score);
    let open_bound = open.iter().map(|(b, _)| *b).filter(|b| best.is_none_or(|s| *b > s)).max();
    match incumbent {
        Some(sol) => {
            let bound = open_bound.unwrap_or(sol.score).max(sol.score);
            Ok(Outcome::Assigned(c.assignment(&sol, bound, networks)))
        }
        None => match open_bound {
            Some(bound) => Ok(Outcome::Undecided { bound: bound + c.pinned_score, networks_solved: networks }),
            None => {
                // Proven impossible. The network that keeps 区外 exact and drops the industry share
                // on 技术创新 items may show a deficient set of its own; otherwise the two rules only
                // collide together.
                let relaxed = Spec { relax_industry: true, ..Spec::root(c.items.len()) };
                if let Some(deficiency) = explain(&c, &r, &relaxed) {
                    return Ok(Outcome::Infeasible(deficiency));
                }
                let mut items: Vec<String> = root_violations
                    .iter()
                    .filter_map(|v| match v {
                        Violation::Outside(i) => Some(c.item_id(*i).to_string()),
                        Violation::Unit(..) => None,
                    })
                    .collect();
                items.dedup();
                Ok(Outcome::Infeasible(Deficiency::Composition { items }))
            }
        },
    }
}

/// The problem in canonical order: items and experts sorted by id, each item's allowed experts in a
/// compressed row (sorted by expert), units numbered by their sorted keys. With pins, it is the
/// residual problem (module doc): rows, loads and the per-item needs below are what is left.
struct Canon<'p> {
    p: &'p Problem,
    /// Canonical item → index in `p.items`.
    items: Vec<u32>,
    /// Canonical expert → index in `p.experts`.
    experts: Vec<u32>,
    load: Vec<u32>,
    outside: Vec<bool>,
    industry: Vec<bool>,
    /// Unit number per canonical expert; experts without a unit get a number of their own.
    unit: Vec<u32>,
    unit_count: usize,
    /// Per canonical item: reviews still needed (k less its pins).
    k: Vec<u32>,
    /// Per canonical item: 区外 experts still needed.
    m: Vec<u32>,
    /// Per canonical item: industry users still needed; 0 on items without an industry share, so
    /// `q[i] > 0` is what makes an item 技术创新 for the search.
    q: Vec<u32>,
    /// The pinned pairs (canonical item, canonical expert, score), sorted; not in the rows.
    pinned: Vec<(u32, u32, u32)>,
    /// Per canonical item: what its pins already give (reviews, 区外, industry users).
    pinned_gives: Vec<[u32; 3]>,
    pinned_score: i64,
    /// Rules the pins break on their own.
    clashes: Vec<PinClash>,
    /// Item i's allowed experts are `adj_expert[start[i]..start[i + 1]]`.
    start: Vec<usize>,
    adj_expert: Vec<u32>,
    adj_score: Vec<u32>,
    /// Artificial-arc cost safe for the network over every pair (see [`flow::artificial_cost`]).
    art_cost: i64,
}

fn invalid(field: &str, reason: String) -> CoreError {
    CoreError::Validation { field: field.into(), reason }
}

impl<'p> Canon<'p> {
    fn new(p: &'p Problem) -> Result<Canon<'p>> {
        let r = &p.rules;
        if r.min_outside > r.per_item {
            return Err(invalid("rules.min_outside", format!("{} exceeds k = {}", r.min_outside, r.per_item)));
        }
        if r.industry_min > r.per_item {
            return Err(invalid("rules.industry_min", format!("{} exceeds k = {}", r.industry_min, r.per_item)));
        }
        let mut items: Vec<u32> = (0..p.items.len() as u32).collect();
        items.sort_unstable_by(|&a, &b| p.items[a as usize].id.cmp(&p.items[b as usize].id));
        if let Some(w) = items.windows(2).find(|w| p.items[w[0] as usize].id == p.items[w[1] as usize].id) {
            return Err(invalid("items", format!("duplicate item id {}", p.items[w[0] as usize].id)));
        }
        let mut experts: Vec<u32> = (0..p.experts.len() as u32).collect();
        experts.sort_unstable_by(|&a, &b| p.experts[a as usize].id.cmp(&p.experts[b as usize].id));
        if let Some(w) = experts.windows(2).find(|w| p.experts[w[0] as usize].id == p.experts[w[1] as usize].id) {
            return Err(invalid("experts", format!("duplicate expert id {}", p.experts[w[0] as usize].id)));
        }
        let mut item_rank = vec![0u32; items.len()];
        for (rank, &i) in items.iter().enumerate() {
            item_rank[i as usize] = rank as u32;
        }
        let mut expert_rank = vec![0u32; experts.len()];
        for (rank, &e) in experts.iter().enumerate() {
            expert_rank[e as usize] = rank as u32;
        }

        // Units by sorted key; the region of a unit is checked to be one.
        let keys: BTreeSet<&str> = p.experts.iter().filter_map(|e| e.unit.as_deref()).collect();
        let key_no: BTreeMap<&str, u32> = keys.iter().enumerate().map(|(n, k)| (*k, n as u32)).collect();
        let mut region: BTreeMap<&str, (bool, &str)> = BTreeMap::new();
        let mut unit = Vec::with_capacity(experts.len());
        for (rank, &e) in experts.iter().enumerate() {
            let x = &p.experts[e as usize];
            match x.unit.as_deref() {
                Some(k) => {
                    let (out, first) = *region.entry(k).or_insert((x.outside_tibet, &x.id));
                    if out != x.outside_tibet {
                        return Err(invalid(
                            "experts",
                            format!(
                                "unit {k}: experts {first} and {} disagree on 区内/区外; a unit has one region",
                                x.id
                            ),
                        ));
                    }
                    unit.push(key_no[k]);
                }
                None => unit.push((keys.len() + rank) as u32),
            }
        }
        let unit_count = keys.len() + experts.len();

        // Pairs: bucket by canonical item, then sort each bucket by canonical expert.
        let mut start = vec![0usize; items.len() + 1];
        for (n, pr) in p.pairs.iter().enumerate() {
            if pr.item as usize >= items.len() || pr.expert as usize >= experts.len() {
                return Err(invalid(
                    "pairs",
                    format!("row {n}: item {} or expert {} does not exist", pr.item, pr.expert),
                ));
            }
            if pr.score > MAX_SCORE {
                return Err(invalid("pairs", format!("row {n}: score {} exceeds {MAX_SCORE}", pr.score)));
            }
            start[item_rank[pr.item as usize] as usize + 1] += 1;
        }
        for i in 0..items.len() {
            start[i + 1] += start[i];
        }
        let mut fill = start.clone();
        let mut packed = vec![(0u32, 0u32); p.pairs.len()];
        for pr in &p.pairs {
            let i = item_rank[pr.item as usize] as usize;
            packed[fill[i]] = (expert_rank[pr.expert as usize], pr.score);
            fill[i] += 1;
        }
        for i in 0..items.len() {
            let row = &mut packed[start[i]..start[i + 1]];
            row.sort_unstable();
            if let Some(w) = row.windows(2).find(|w| w[0].0 == w[1].0) {
                return Err(invalid(
                    "pairs",
                    format!(
                        "item {} and expert {} are paired twice",
                        p.items[items[i] as usize].id, p.experts[experts[w[0].0 as usize] as usize].id
                    ),
                ));
            }
        }
        let residual = Residual::new(p, &items, &experts, &item_rank, &expert_rank, &unit, &start, &packed)?;
        let (start, packed) = residual.rows(r, &unit, &start, packed);
        let max_score = packed.iter().map(|x| x.1).max().unwrap_or(0) as i64;
        // Nodes of the largest network: experts, sink, four per item, one unit node per pair at most.
        let art_cost = artificial_cost(experts.len() + 1 + 4 * items.len() + packed.len(), max_score);
        let (adj_expert, adj_score) = packed.into_iter().unzip();
        Ok(Canon {
            art_cost,
            p,
            load: residual.load,
            outside: experts.iter().map(|&e| p.experts[e as usize].outside_tibet).collect(),
            industry: experts.iter().map(|&e| p.experts[e as usize].industry_user).collect(),
            k: residual.k,
            m: residual.m,
            q: residual.q,
            pinned_score: residual.pinned.iter().map(|x| x.2 as i64).sum(),
            pinned: residual.pinned,
            pinned_gives: residual.gives,
            clashes: residual.clashes,
            unit,
            unit_count,
            items,
            experts,
            start,
            adj_expert,
            adj_score,
        })
    }

    fn item_id(&self, i: u32) -> &str {
        &self.p.items[self.items[i as usize] as usize].id
    }

    fn expert_id(&self, e: u32) -> &str {
        &self.p.experts[self.experts[e as usize] as usize].id
    }

    /// The item owning CSR position `pos`.
    fn item_of(&self, pos: usize) -> u32 {
        (self.start.partition_point(|&s| s <= pos) - 1) as u32
    }

    /// The full assignment of a residual solution: its pairs and the pins, in canonical order; the
    /// pins' score added to the total and to the bound (`bound` is the residual problem's).
    fn assignment(&self, sol: &NodeSolution, bound: i64, networks: u32) -> Assignment {
        let mut chosen: Vec<(u32, u32, u32)> = sol
            .chosen
            .iter()
            .map(|&pos| (self.item_of(pos as usize), self.adj_expert[pos as usize], self.adj_score[pos as usize]))
            .chain(self.pinned.iter().copied())
            .collect();
        chosen.sort_unstable();
        let pairs = chosen
            .into_iter()
            .map(|(i, e, score)| Assigned {
                item: self.item_id(i).to_string(),
                expert: self.expert_id(e).to_string(),
                score,
            })
            .collect();
        let (total, bound) = (sol.score + self.pinned_score, bound + self.pinned_score);
        Assignment {
            pairs,
            total_score: total,
            bound,
            gap: bound - total,
            optimal: bound == total,
            networks_solved: networks,
        }
    }
}

/// What the pins take out of the problem (module doc, "Pinned pairs"), in canonical indices.
struct Residual {
    k: Vec<u32>,
    m: Vec<u32>,
    q: Vec<u32>,
    load: Vec<u32>,
    pinned: Vec<(u32, u32, u32)>,
    gives: Vec<[u32; 3]>,
    clashes: Vec<PinClash>,
}

impl Residual {
    /// Checks the pins (each an allowed pair, none twice) and takes them out of the needs and loads.
    #[allow(clippy::too_many_arguments)]
    fn new(
        p: &Problem,
        items: &[u32],
        experts: &[u32],
        item_rank: &[u32],
        expert_rank: &[u32],
        unit: &[u32],
        start: &[usize],
        packed: &[(u32, u32)],
    ) -> Result<Residual> {
        let r = &p.rules;
        let item_id = |i: u32| p.items[items[i as usize] as usize].id.as_str();
        let expert_id = |e: u32| p.experts[experts[e as usize] as usize].id.as_str();
        let mut pins: Vec<(u32, u32)> = Vec::with_capacity(p.pinned.len());
        for (n, pin) in p.pinned.iter().enumerate() {
            if pin.item as usize >= items.len() || pin.expert as usize >= experts.len() {
                return Err(invalid(
                    "pinned",
                    format!("row {n}: item {} or expert {} does not exist", pin.item, pin.expert),
                ));
            }
            pins.push((item_rank[pin.item as usize], expert_rank[pin.expert as usize]));
        }
        pins.sort_unstable();
        if let Some(w) = pins.windows(2).find(|w| w[0] == w[1]) {
            return Err(invalid(
                "pinned",
                format!("item {} and expert {} are pinned twice", item_id(w[0].0), expert_id(w[0].1)),
            ));
        }
        let mut pinned = Vec::with_capacity(pins.len());
        for &(i, e) in &pins {
            let row = &packed[start[i as usize]..start[i as usize + 1]];
            let Ok(n) = row.binary_search_by_key(&e, |x| x.0) else {
                return Err(invalid(
                    "pinned",
                    format!("item {} and expert {}: only an allowed pair can be pinned", item_id(i), expert_id(e)),
                ));
            };
            pinned.push((i, e, row[n].1));
        }
        let x = |e: u32| &p.experts[experts[e as usize] as usize];
        let n = items.len();
        let mut out = Residual {
            k: vec![r.per_item; n],
            m: vec![r.min_outside; n],
            q: items.iter().map(|&i| if p.items[i as usize].industry_share { r.industry_min } else { 0 }).collect(),
            load: experts.iter().map(|&e| p.experts[e as usize].load_limit).collect(),
            gives: vec![[0; 3]; n],
            pinned: Vec::new(),
            clashes: Vec::new(),
        };
        let mut clash = |item: Option<u32>, rule, mut on: Vec<u32>, count, limit| {
            on.sort_unstable();
            out.clashes.push(PinClash {
                item: item.map(|i| item_id(i).to_string()),
                rule,
                experts: on.into_iter().map(|e| expert_id(e).to_string()).collect(),
                count,
                limit,
            });
        };
        let mut pins_of = vec![0u32; experts.len()];
        for group in pinned.chunk_by(|a, b| a.0 == b.0) {
            let i = group[0].0;
            let on: Vec<u32> = group.iter().map(|g| g.1).collect();
            let gives = [
                on.len() as u32,
                on.iter().filter(|&&e| x(e).outside_tibet).count() as u32,
                on.iter().filter(|&&e| x(e).industry_user).count() as u32,
            ];
            let (k, m, q) = (out.k[i as usize], out.m[i as usize], out.q[i as usize]);
            if gives[0] > k {
                clash(Some(i), PinRule::PerItem, on.clone(), gives[0], k);
            } else {
                let open = k - gives[0];
                if m.saturating_sub(gives[1]) > open {
                    clash(Some(i), PinRule::Outside, on.clone(), m - gives[1], open);
                }
                if q.saturating_sub(gives[2]) > open {
                    clash(Some(i), PinRule::Industry, on.clone(), q - gives[2], open);
                }
            }
            if r.one_per_unit {
                let mut by_unit: Vec<(u32, u32)> = on.iter().map(|&e| (unit[e as usize], e)).collect();
                by_unit.sort_unstable();
                for same in by_unit.chunk_by(|a, b| a.0 == b.0).filter(|s| s.len() > 1) {
                    clash(Some(i), PinRule::OnePerUnit, same.iter().map(|s| s.1).collect(), same.len() as u32, 1);
                }
            }
            for &e in &on {
                pins_of[e as usize] += 1;
            }
            out.gives[i as usize] = gives;
            out.k[i as usize] = k.saturating_sub(gives[0]);
            out.m[i as usize] = m.saturating_sub(gives[1]);
            out.q[i as usize] = q.saturating_sub(gives[2]);
        }
        for (e, &n) in pins_of.iter().enumerate() {
            let limit = out.load[e];
            if n > limit {
                clash(None, PinRule::Load, vec![e as u32], n, limit);
            }
            out.load[e] = limit.saturating_sub(n);
        }
        out.clashes.sort_by(|a, b| (&a.item, a.rule, &a.experts).cmp(&(&b.item, b.rule, &b.experts)));
        out.pinned = pinned;
        Ok(out)
    }

    /// The rows without the pinned pairs, without the other experts of a pinned expert's unit (under
    /// one-per-unit), and empty for an item its pins fill.
    fn rows(&self, r: &Rules, unit: &[u32], start: &[usize], packed: Vec<(u32, u32)>) -> (Vec<usize>, Vec<(u32, u32)>) {
        if self.pinned.is_empty() {
            return (start.to_vec(), packed);
        }
        let mut new_start = Vec::with_capacity(start.len());
        let mut kept = Vec::with_capacity(packed.len());
        new_start.push(0);
        let mut at = 0;
        for i in 0..start.len() - 1 {
            let from = at;
            while at < self.pinned.len() && self.pinned[at].0 == i as u32 {
                at += 1;
            }
            let pins = &self.pinned[from..at];
            let taken = |e: u32| {
                pins.iter().any(|&(_, f, _)| f == e || (r.one_per_unit && unit[f as usize] == unit[e as usize]))
            };
            if self.k[i] > 0 {
                kept.extend(packed[start[i]..start[i + 1]].iter().filter(|x| !taken(x.0)));
            }
            new_start.push(kept.len());
        }
        (new_start, kept)
    }
}

/// Items short on their own: fewer usable experts (distinct units under one-per-unit) than k, 区外
/// experts than the 区外 minimum, or industry users than the share.
fn single_shortfalls(c: &Canon, r: &Rules) -> Vec<Shortfall> {
    let mut out = Vec::new();
    let mut seen = vec![u32::MAX; c.unit_count * 3];
    for i in 0..c.items.len() {
        let (mut all, mut outside, mut industry) = (0u32, 0u32, 0u32);
        for pos in c.start[i]..c.start[i + 1] {
            let e = c.adj_expert[pos] as usize;
            if c.load[e] == 0 {
                continue;
            }
            // Under one-per-unit a unit counts once per kind; otherwise each expert counts.
            let key = c.unit[e] as usize;
            let mut count = |slot: usize, n: &mut u32| {
                if !r.one_per_unit || seen[key * 3 + slot] != i as u32 {
                    seen[key * 3 + slot] = i as u32;
                    *n += 1;
                }
            };
            count(0, &mut all);
            if c.outside[e] {
                count(1, &mut outside);
            }
            if c.industry[e] {
                count(2, &mut industry);
            }
        }
        let id = c.item_id(i as u32);
        // The pins' share is counted on both sides, so the figures are the item's whole panel.
        let gives = c.pinned_gives[i];
        let mut short = |need, required: u32, available: u32, pinned: u32| {
            if available < required {
                out.push(Shortfall {
                    item: id.to_string(),
                    need,
                    required: required + pinned,
                    available: available + pinned,
                });
            }
        };
        short(Need::Reviews, c.k[i], all, gives[0]);
        short(Need::Outside, c.m[i], outside, gives[1]);
        short(Need::Industry, c.q[i], industry, gives[2]);
    }
    out
}

/// How item i's 区外 minimum is split between industry users and others once branched on; only
/// meaningful on 技术创新 items under both an industry share and a 区外 minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Not branched: the 区外 minimum is relaxed on this item.
    Unset,
    /// `j` of the 区外 reviews come from industry users, the rest from other experts.
    Split(u32),
}

/// A node of the search: the restrictions that make its network.
#[derive(Debug, Clone)]
struct Spec {
    modes: Vec<Mode>,
    /// (item, unit, industry side) whose experts may not serve that item: the branch on a unit with
    /// both industry users and others, which the network splits by side.
    forbidden: BTreeSet<(u32, u32, bool)>,
    /// Drop the industry share altogether (only to explain an infeasible input).
    relax_industry: bool,
}

impl Spec {
    fn root(items: usize) -> Spec {
        Spec { modes: vec![Mode::Unset; items], forbidden: BTreeSet::new(), relax_industry: false }
    }
}

/// What a network node stands for, to explain a cut.
#[derive(Debug, Clone, Copy)]
enum Role {
    Expert,
    Sink,
    Item(u32),
    Group(u32, Need),
    Unit,
}

/// The leaf groups item i has under a search node. Slots: 0 the root (experts no group claims), 1
/// the industry group on 技术创新 items or else the 区外 group, 2 区外 industry users, 3 区外 others.
#[derive(Debug, Clone, Copy)]
struct Layout {
    innovation: bool,
    has: [bool; 4],
}

impl Layout {
    fn of(c: &Canon, spec: &Spec, i: usize) -> Layout {
        let innovation = c.q[i] > 0 && !spec.relax_industry;
        let mut has = [true, false, false, false];
        if innovation {
            has[1] = true;
            if let Mode::Split(j) = spec.modes[i] {
                has[2] = j > 0;
                has[3] = c.m[i] > j;
            }
        } else {
            has[1] = c.m[i] > 0;
        }
        Layout { innovation, has }
    }

    /// The slot expert e hangs from.
    fn slot(&self, c: &Canon, e: usize) -> usize {
        if self.innovation {
            match (c.industry[e], c.outside[e]) {
                (true, true) if self.has[2] => 2,
                (true, _) => 1,
                (false, true) if self.has[3] => 3,
                (false, _) => 0,
            }
        } else if c.outside[e] && self.has[1] {
            1
        } else {
            0
        }
    }
}

/// Whether expert e may serve item i at this search node.
fn usable(c: &Canon, forbidden: &[(u32, bool)], e: usize) -> bool {
    c.load[e] > 0 && (forbidden.is_empty() || !forbidden.contains(&(c.unit[e], c.industry[e])))
}

/// The (unit, industry side) pairs barred from item i at this node.
fn forbidden_at(spec: &Spec, i: usize) -> Vec<(u32, bool)> {
    if spec.forbidden.is_empty() {
        return Vec::new();
    }
    spec.forbidden.range((i as u32, 0, false)..=(i as u32, u32::MAX, true)).map(|&(_, u, s)| (u, s)).collect()
}

struct Built {
    net: Network,
    roles: Vec<Role>,
    /// Arc carrying each CSR position (pair), or `NO_ARC` when the pair is not in the network.
    pair_arc: Vec<u32>,
    /// Per item, the node of each leaf slot (`NO_NODE` when the item has no such group).
    leaves: Vec<[u32; 4]>,
    /// Unit nodes by `unit_key(item, unit, slot)`, sorted.
    unit_nodes: Vec<(u64, u32)>,
}

const NO_ARC: u32 = u32::MAX;
const NO_NODE: u32 = u32::MAX;

fn unit_key(i: usize, unit: u32, slot: usize) -> u64 {
    ((i as u64) << 34) | ((unit as u64) << 2) | slot as u64
}

/// Builds the min-cost-flow network of a search node over the pairs flagged in `pairs` (all of
/// them, or the candidates — see [`solve_node`]).
///
/// Nodes: experts, the sink, then per item a root with supply k and its group nodes. A group with a
/// lower bound l takes supply l from its parent (standard transformation), so its arc from the
/// parent has capacity k − l. Leaves (the groups experts hang from) are: the root; 区外 (regular
/// items with a 区外 minimum); on 技术创新 items the industry group, and below it or beside it the
/// 区外 group the mode asks for. Under one-per-unit, two or more experts of one unit under one leaf
/// go through a unit node of capacity 1.
fn build(c: &Canon, r: &Rules, spec: &Spec, pairs: &[bool]) -> Built {
    let ne = c.experts.len();
    let items = c.items.len();
    let mut net = Network::with_capacity(ne + 1 + 2 * items, ne + 2 * items + pairs.len().min(64 * items));
    let mut roles = Vec::with_capacity(ne + 1 + 2 * items);
    for _ in 0..ne {
        net.add_node(0);
        roles.push(Role::Expert);
    }
    let sink = net.add_node(0);
    roles.push(Role::Sink);
    for e in 0..ne {
        if c.load[e] > 0 {
            net.add_arc(e as u32, sink, c.load[e] as i64, 0);
        }
    }
    let mut pair_arc = vec![NO_ARC; c.adj_expert.len()];
    let mut leaves = vec![[NO_NODE; 4]; items];
    let mut unit_nodes: Vec<(u64, u32)> = Vec::new();
    // Per (unit, leaf slot): experts of this item counted, and the unit node once made.
    let mut count = vec![0u32; c.unit_count * 4];
    let mut unit_node = vec![NO_NODE; c.unit_count * 4];
    let mut touched: Vec<usize> = Vec::new();
    let mut total = 0i64;
    for (i, leaf) in leaves.iter_mut().enumerate() {
        let (k, m, q) = (c.k[i] as i64, c.m[i] as i64, c.q[i] as i64);
        if k == 0 {
            continue;
        }
        let group = |net: &mut Network, roles: &mut Vec<Role>, parent: u32, lb: i64, need: Need| {
            let g = net.add_node(lb);
            roles.push(Role::Group(i as u32, need));
            net.supply[parent as usize] -= lb;
            net.add_arc(parent, g, k - lb, 0);
            g
        };
        let lay = Layout::of(c, spec, i);
        let root = net.add_node(k);
        roles.push(Role::Item(i as u32));
        total += k;
        leaf[0] = root;
        if lay.innovation {
            leaf[1] = group(&mut net, &mut roles, root, q, Need::Industry);
            if let Mode::Split(j) = spec.modes[i] {
                let j = j as i64;
                if j > 0 {
                    leaf[2] = group(&mut net, &mut roles, leaf[1], j, Need::Outside);
                }
                if m - j > 0 {
                    leaf[3] = group(&mut net, &mut roles, root, m - j, Need::Outside);
                }
            }
        } else if m > 0 {
            leaf[1] = group(&mut net, &mut roles, root, m, Need::Outside);
        }
        let forbidden = forbidden_at(spec, i);
        let range = c.start[i]..c.start[i + 1];
        if r.one_per_unit {
            for pos in range.clone() {
                let e = c.adj_expert[pos] as usize;
                if pairs[pos] && usable(c, &forbidden, e) {
                    let key = c.unit[e] as usize * 4 + lay.slot(c, e);
                    if count[key] == 0 {
                        touched.push(key);
                    }
                    count[key] += 1;
                }
            }
        }
        for pos in range {
            let e = c.adj_expert[pos] as usize;
            if !pairs[pos] || !usable(c, &forbidden, e) {
                continue;
            }
            let slot = lay.slot(c, e);
            let mut from = leaf[slot];
            if r.one_per_unit {
                let key = c.unit[e] as usize * 4 + slot;
                if count[key] >= 2 {
                    if unit_node[key] == NO_NODE {
                        unit_node[key] = net.add_node(0);
                        roles.push(Role::Unit);
                        net.add_arc(from, unit_node[key], 1, 0);
                        unit_nodes.push((unit_key(i, c.unit[e], slot), unit_node[key]));
                    }
                    from = unit_node[key];
                }
            }
            pair_arc[pos] = net.add_arc(from, e as u32, 1, -(c.adj_score[pos] as i64)) as u32;
        }
        for key in touched.drain(..) {
            count[key] = 0;
            unit_node[key] = NO_NODE;
        }
    }
    net.supply[sink as usize] = -total;
    unit_nodes.sort_unstable();
    Built { net, roles, pair_arc, leaves, unit_nodes }
}

/// A search node's optimum: the chosen CSR positions (sorted) and their total score.
struct NodeSolution {
    chosen: Vec<u32>,
    score: i64,
}

/// The pairs each item starts with when no earlier network chose them: its best `per_item` pairs
/// overall and the best k + 2 of each group its layout has, so lower bounds can be met at once.
/// The order (score, then expert) is total, so the choice is deterministic.
fn seed_candidates(c: &Canon, spec: &Spec, per_item: usize, pairs: &mut [bool]) {
    let mut ranked: Vec<(std::cmp::Reverse<u32>, usize)> = Vec::new();
    for i in 0..c.items.len() {
        let lay = Layout::of(c, spec, i);
        ranked.clear();
        ranked.extend((c.start[i]..c.start[i + 1]).map(|p| (std::cmp::Reverse(c.adj_score[p]), p)));
        if ranked.len() > per_item {
            ranked.sort_unstable();
        }
        let mut per_slot = [0usize; 4];
        for (n, &(_, pos)) in ranked.iter().enumerate() {
            let slot = lay.slot(c, c.adj_expert[pos] as usize);
            if n < per_item || (slot > 0 && per_slot[slot] < c.k[i] as usize + 2) {
                per_slot[slot] += 1;
                pairs[pos] = true;
            }
        }
    }
}

/// Solves a search node exactly, by pricing: the network is built over the candidate pairs only;
/// every other pair is priced against its optimal potentials (as an arc from its unit node, or from
/// its leaf when the unit has no node yet — the potential a new unit node would take); pairs with
/// a negative reduced cost become candidates and the network is solved again. When none is left,
/// the potentials extend to a dual solution of the whole network, so the flow is optimal for it.
/// `candidates` only grows, and later nodes start from it. `None` when the node has no feasible
/// assignment.
fn solve_node(c: &Canon, r: &Rules, spec: &Spec, candidates: &mut [bool]) -> Option<NodeSolution> {
    loop {
        let built = build(c, r, spec, candidates);
        let sol = min_cost_flow(&built.net, c.art_cost);
        let mut added = 0usize;
        for i in 0..c.items.len() {
            let lay = Layout::of(c, spec, i);
            let forbidden = forbidden_at(spec, i);
            let lo = c.start[i];
            for (pos, candidate) in candidates[lo..c.start[i + 1]].iter_mut().enumerate().map(|(o, x)| (lo + o, x)) {
                let e = c.adj_expert[pos] as usize;
                if *candidate || !usable(c, &forbidden, e) {
                    continue;
                }
                let slot = lay.slot(c, e);
                let mut from = built.leaves[i][slot];
                if r.one_per_unit {
                    let key = unit_key(i, c.unit[e], slot);
                    if let Ok(n) = built.unit_nodes.binary_search_by_key(&key, |&(k, _)| k) {
                        from = built.unit_nodes[n].1;
                    }
                }
                if from == NO_NODE {
                    continue;
                }
                if -(c.adj_score[pos] as i64) + sol.pi[from as usize] - sol.pi[e] < 0 {
                    *candidate = true;
                    added += 1;
                }
            }
        }
        if added > 0 {
            continue;
        }
        if !sol.feasible {
            return None;
        }
        let chosen: Vec<u32> = built
            .pair_arc
            .iter()
            .enumerate()
            .filter(|&(_, &a)| a != NO_ARC && sol.flow[a as usize] > 0)
            .map(|(pos, _)| pos as u32)
            .collect();
        return Some(NodeSolution { chosen, score: -sol.cost });
    }
}

/// A rule the relaxed network of a node may break.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Violation {
    /// A 技术创新 item not yet branched has fewer 区外 experts than the minimum.
    Outside(u32),
    /// Two experts of one unit (one an industry user, one not) on a 技术创新 item.
    Unit(u32, u32),
}

/// The broken rules of a node's solution, in canonical item order.
fn violations(c: &Canon, r: &Rules, spec: &Spec, chosen: &[u32]) -> Vec<Violation> {
    let mut out = Vec::new();
    if spec.relax_industry || c.q.iter().all(|&q| q == 0) {
        return out;
    }
    let mut at = 0;
    for i in 0..c.items.len() {
        let end = c.start[i + 1];
        let from = at;
        while at < chosen.len() && (chosen[at] as usize) < end {
            at += 1;
        }
        if c.q[i] == 0 {
            continue;
        }
        let mine = &chosen[from..at];
        if c.m[i] > 0 && spec.modes[i] == Mode::Unset {
            let outside = mine.iter().filter(|&&p| c.outside[c.adj_expert[p as usize] as usize]).count();
            if (outside as u32) < c.m[i] {
                out.push(Violation::Outside(i as u32));
            }
        }
        if r.one_per_unit {
            let mut units: Vec<u32> = mine.iter().map(|&p| c.unit[c.adj_expert[p as usize] as usize]).collect();
            units.sort_unstable();
            if let Some(w) = units.windows(2).find(|w| w[0] == w[1]) {
                out.push(Violation::Unit(i as u32, w[0]));
            }
        }
    }
    out
}

/// The children of a node that breaks `v`: together they keep every assignment that honours the
/// rules. Pushed so that the more promising child is popped first.
fn push_children(c: &Canon, spec: &Spec, v: &Violation, bound: i64, open: &mut Vec<(i64, Spec)>) {
    let mut kids = Vec::new();
    match *v {
        Violation::Outside(i) => {
            // Any valid panel has some j ≤ m of its 区外 reviews from industry users and m − j from
            // others, so the m + 1 splits cover it.
            let preferred = preferred_split(c, spec, i);
            for j in (0..=c.m[i as usize]).filter(|&j| j != preferred).chain([preferred]) {
                let mut s = spec.clone();
                s.modes[i as usize] = Mode::Split(j);
                kids.push(s);
            }
        }
        Violation::Unit(i, u) => {
            // One per unit: either no industry user of the unit serves the item, or no other.
            for side in [true, false] {
                let mut s = spec.clone();
                s.forbidden.insert((i, u, side));
                kids.push(s);
            }
        }
    }
    open.extend(kids.into_iter().map(|s| (bound, s)));
}

/// The split whose best usable 区外 expert scores higher: all 区外 reviews from industry users
/// (j = m) or none (j = 0); ties go to others, since the share already draws on industry users.
fn preferred_split(c: &Canon, spec: &Spec, i: u32) -> u32 {
    let i = i as usize;
    let mut best = [None::<u32>; 2];
    for pos in c.start[i]..c.start[i + 1] {
        let e = c.adj_expert[pos] as usize;
        let side = c.industry[e];
        if c.load[e] == 0 || !c.outside[e] || spec.forbidden.contains(&(i as u32, c.unit[e], side)) {
            continue;
        }
        let b = &mut best[side as usize];
        *b = Some(b.map_or(c.adj_score[pos], |s| s.max(c.adj_score[pos])));
    }
    if best[1] > best[0] {
        c.m[i]
    } else {
        0
    }
}

/// The dive's first step: fix the split of every 技术创新 item still unset, the way its panel in
/// `basis` already meets it where it does (so that panel stays allowed), else the preferred split —
/// later rounds then cannot break the 区外 minimum anywhere.
fn dive_modes(c: &Canon, r: &Rules, spec: &mut Spec, basis: &NodeSolution) {
    if r.min_outside == 0 || r.industry_min == 0 {
        return;
    }
    let mut at = 0;
    for i in 0..c.items.len() {
        let from = at;
        while at < basis.chosen.len() && (basis.chosen[at] as usize) < c.start[i + 1] {
            at += 1;
        }
        if c.q[i] == 0 || spec.modes[i] != Mode::Unset {
            continue;
        }
        let (mut industry, mut other) = (0u32, 0u32);
        for &p in &basis.chosen[from..at] {
            let e = c.adj_expert[p as usize] as usize;
            if c.outside[e] {
                if c.industry[e] {
                    industry += 1;
                } else {
                    other += 1;
                }
            }
        }
        let j = if industry + other >= c.m[i] { industry.min(c.m[i]) } else { preferred_split(c, spec, i as u32) };
        spec.modes[i] = Mode::Split(j);
    }
}

/// The dive's choice for one violation: the preferred split, or keep the unit's better expert.
fn dive_fix(c: &Canon, spec: &mut Spec, v: &Violation, basis: &NodeSolution) {
    match *v {
        Violation::Outside(i) => {
            let j = preferred_split(c, spec, i);
            spec.modes[i as usize] = Mode::Split(j);
        }
        Violation::Unit(i, u) => {
            let (from, to) = (c.start[i as usize], c.start[i as usize + 1]);
            let keep = basis
                .chosen
                .iter()
                .map(|&p| p as usize)
                .filter(|&p| p >= from && p < to && c.unit[c.adj_expert[p] as usize] == u)
                .max_by_key(|&p| (c.adj_score[p], c.industry[c.adj_expert[p] as usize]))
                .map(|p| c.industry[c.adj_expert[p] as usize])
                .unwrap_or(true);
            spec.forbidden.insert((i, u, !keep));
        }
    }
}

/// Explains why a search node's network (over every pair) has no feasible flow, by the smallest
/// source side of a minimum cut: the items whose nodes are on it need R reviews, and the arcs
/// leaving it — expert loads, single pairs, unit and group capacities — give S < R. `None` when the
/// network is feasible after all.
fn explain(c: &Canon, r: &Rules, spec: &Spec) -> Option<Deficiency> {
    let built = build(c, r, spec, &vec![true; c.adj_expert.len()]);
    let side = min_cut_source_side(&built.net)?;
    let net = &built.net;
    let mut required = 0u64;
    let mut per_item: BTreeMap<u32, (Need, u64)> = BTreeMap::new();
    for (v, &inside) in side.iter().enumerate() {
        if !inside || net.supply[v] <= 0 {
            continue;
        }
        let b = net.supply[v] as u64;
        required += b;
        let (i, need) = match built.roles[v] {
            Role::Item(i) => (i, Need::Reviews),
            Role::Group(i, need) => (i, need),
            Role::Expert | Role::Sink | Role::Unit => continue,
        };
        let entry = per_item.entry(i).or_insert((need, 0));
        entry.0 = entry.0.min(need);
        entry.1 += b;
    }
    let ne = c.experts.len();
    let mut available = 0u64;
    let mut experts: BTreeSet<u32> = (0..ne as u32).filter(|&e| side[e as usize]).collect();
    for a in 0..net.arc_count() {
        let (s, t) = (net.source[a] as usize, net.target[a] as usize);
        if side[s] && !side[t] {
            available += net.cap[a] as u64;
            if t < ne {
                experts.insert(t as u32);
            }
        }
    }
    Some(Deficiency::Set(DeficientSet {
        items: per_item
            .into_iter()
            .map(|(i, (need, n))| ItemNeed { item: c.item_id(i).to_string(), need, required: n as u32 })
            .collect(),
        required,
        available,
        experts: experts.into_iter().map(|e| c.expert_id(e).to_string()).collect(),
    }))
}

/// A greedy assignment for comparison: items in id order, each taking the best-scoring usable
/// experts with load left (the 区外 and industry minimums first when the rules ask for them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Greedy {
    pub pairs: Vec<Assigned>,
    pub total_score: i64,
    /// Reviews it could not fill (0 when every item got k experts and every rule held).
    pub unfilled: u64,
}

/// A greedy pass: fill up to this many experts that pass the test.
type Pass = (u32, fn(&Canon, usize) -> bool);

/// Runs the greedy baseline on `problem` (same validation as [`solve`]).
pub fn greedy(problem: &Problem) -> Result<Greedy> {
    let c = Canon::new(problem)?;
    let r = problem.rules;
    let mut left = c.load.clone();
    let mut pairs = Vec::new();
    let mut total = 0i64;
    let mut unfilled = 0u64;
    for i in 0..c.items.len() {
        let mut row: Vec<usize> = (c.start[i]..c.start[i + 1]).collect();
        row.sort_by_key(|&p| (std::cmp::Reverse(c.adj_score[p]), c.adj_expert[p]));
        let mut taken: Vec<usize> = Vec::new();
        let (k, m, q) = (c.k[i], c.m[i], c.q[i]);
        let passes: [Pass; 3] = [(m, |c, e| c.outside[e]), (q, |c, e| c.industry[e]), (k, |_, _| true)];
        for (want, fits) in passes {
            for &p in &row {
                let have = taken.iter().filter(|&&t| fits(&c, c.adj_expert[t] as usize)).count() as u32;
                if have >= want || taken.len() as u32 >= k {
                    break;
                }
                let e = c.adj_expert[p] as usize;
                let clash = taken.iter().any(|&t| {
                    let f = c.adj_expert[t] as usize;
                    f == e || (r.one_per_unit && c.unit[f] == c.unit[e])
                });
                if left[e] > 0 && fits(&c, e) && !clash {
                    taken.push(p);
                    left[e] -= 1;
                }
            }
        }
        let q_ok = taken.iter().filter(|&&t| c.industry[c.adj_expert[t] as usize]).count() as u32 >= q;
        let m_ok = taken.iter().filter(|&&t| c.outside[c.adj_expert[t] as usize]).count() as u32 >= m;
        unfilled += (k as usize - taken.len()) as u64 + u64::from(!q_ok) + u64::from(!m_ok);
        // The item's pins join its panel; their needs were already taken out of k, m and q.
        let mut panel: Vec<(u32, u32)> = taken.iter().map(|&p| (c.adj_expert[p], c.adj_score[p])).collect();
        panel.extend(c.pinned.iter().filter(|x| x.0 == i as u32).map(|x| (x.1, x.2)));
        panel.sort_unstable();
        for (e, score) in panel {
            total += score as i64;
            pairs.push(Assigned { item: c.item_id(i as u32).to_string(), expert: c.expert_id(e).to_string(), score });
        }
    }
    // Pins that break a rule on their own leave the greedy panel as incomplete as the solver says.
    unfilled += c.clashes.len() as u64;
    Ok(Greedy { pairs, total_score: total, unfilled })
}
