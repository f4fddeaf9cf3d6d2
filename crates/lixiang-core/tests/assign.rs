//! The assignment solver against independent checks: a rule checker written from the rules, brute
//! force on tiny instances (every rule), successive shortest paths on pure network instances up to
//! 150 × 60, row permutations, and the deficient-set explanations.

use lixiang_core::assign::synthetic::{generate, Shape, SplitMix64};
use lixiang_core::assign::{
    greedy, solve, solve_with, Assigned, Deficiency, Expert, Item, Need, Outcome, Pair, Pin, PinRule, Problem, Rules,
    SolveOptions,
};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

// ---------------------------------------------------------------------------------------------
// Independent checks

/// Every rule, checked from the problem as given (not the solver's canonical form). Returns the
/// breaches, empty when the assignment is valid.
fn breaches(p: &Problem, pairs: &[Assigned]) -> Vec<String> {
    let mut out = Vec::new();
    let item = |id: &str| p.items.iter().position(|x| x.id == id);
    let expert = |id: &str| p.experts.iter().position(|x| x.id == id);
    let allowed: BTreeMap<(usize, usize), u32> =
        p.pairs.iter().map(|x| ((x.item as usize, x.expert as usize), x.score)).collect();
    let mut panel: BTreeMap<usize, Vec<usize>> = (0..p.items.len()).map(|i| (i, Vec::new())).collect();
    let mut load = vec![0u32; p.experts.len()];
    for a in pairs {
        let (Some(i), Some(e)) = (item(&a.item), expert(&a.expert)) else {
            out.push(format!("unknown ids {a:?}"));
            continue;
        };
        match allowed.get(&(i, e)) {
            None => out.push(format!("conflict assigned: {} – {}", a.item, a.expert)),
            Some(&s) if s != a.score => out.push(format!("score of {} – {} is {s}, not {}", a.item, a.expert, a.score)),
            _ => {}
        }
        panel.entry(i).or_default().push(e);
        load[e] += 1;
    }
    for (e, &n) in load.iter().enumerate() {
        if n > p.experts[e].load_limit {
            out.push(format!("expert {} over load: {n} > {}", p.experts[e].id, p.experts[e].load_limit));
        }
    }
    for pin in &p.pinned {
        let (i, e) = (pin.item as usize, pin.expert as usize);
        if !panel.get(&i).is_some_and(|on| on.contains(&e)) {
            out.push(format!("pin {} – {} left out", p.items[i].id, p.experts[e].id));
        }
    }
    let r = &p.rules;
    for (&i, panel) in &panel {
        let id = &p.items[i].id;
        let distinct: BTreeSet<usize> = panel.iter().copied().collect();
        if panel.len() != r.per_item as usize || distinct.len() != panel.len() {
            out.push(format!(
                "item {id} has {} experts ({} distinct), not {}",
                panel.len(),
                distinct.len(),
                r.per_item
            ));
        }
        if r.one_per_unit {
            let mut units = BTreeSet::new();
            for &e in panel {
                if let Some(u) = &p.experts[e].unit {
                    if !units.insert(u.clone()) {
                        out.push(format!("item {id}: two experts of unit {u}"));
                    }
                }
            }
        }
        let outside = panel.iter().filter(|&&e| p.experts[e].outside_tibet).count() as u32;
        if outside < r.min_outside {
            out.push(format!("item {id}: {outside} 区外 experts < {}", r.min_outside));
        }
        if p.items[i].industry_share {
            let industry = panel.iter().filter(|&&e| p.experts[e].industry_user).count() as u32;
            if industry < r.industry_min {
                out.push(format!("item {id}: {industry} industry users < {}", r.industry_min));
            }
        }
    }
    out
}

fn panel_ok(p: &Problem, i: usize, panel: &[usize]) -> bool {
    let r = &p.rules;
    if r.one_per_unit {
        let mut units = BTreeSet::new();
        for &e in panel {
            if let Some(u) = &p.experts[e].unit {
                if !units.insert(u) {
                    return false;
                }
            }
        }
    }
    let outside = panel.iter().filter(|&&e| p.experts[e].outside_tibet).count() as u32;
    let industry = panel.iter().filter(|&&e| p.experts[e].industry_user).count() as u32;
    outside >= r.min_outside && (!p.items[i].industry_share || industry >= r.industry_min)
}

fn subsets(from: &[(usize, u32)], k: usize) -> Vec<Vec<(usize, u32)>> {
    if k == 0 {
        return vec![Vec::new()];
    }
    let mut out = Vec::new();
    for (n, &x) in from.iter().enumerate() {
        for mut rest in subsets(&from[n + 1..], k - 1) {
            rest.insert(0, x);
            out.push(rest);
        }
    }
    out
}

/// The best total score by enumerating every valid panel of every item (one that holds the item's
/// pinned experts); `None` when no assignment honours the rules.
fn brute_force(p: &Problem) -> Option<i64> {
    let k = p.rules.per_item as usize;
    let options: Vec<Vec<(Vec<usize>, i64)>> = (0..p.items.len())
        .map(|i| {
            let allowed: Vec<(usize, u32)> =
                p.pairs.iter().filter(|x| x.item as usize == i).map(|x| (x.expert as usize, x.score)).collect();
            let pinned: Vec<usize> =
                p.pinned.iter().filter(|x| x.item as usize == i).map(|x| x.expert as usize).collect();
            subsets(&allowed, k)
                .into_iter()
                .map(|s| (s.iter().map(|x| x.0).collect::<Vec<_>>(), s.iter().map(|x| x.1 as i64).sum()))
                .filter(|(panel, _)| panel_ok(p, i, panel) && pinned.iter().all(|e| panel.contains(e)))
                .collect()
        })
        .collect();
    fn go(options: &[Vec<(Vec<usize>, i64)>], at: usize, left: &mut Vec<u32>) -> Option<i64> {
        if at == options.len() {
            return Some(0);
        }
        let mut best = None;
        for (panel, score) in &options[at] {
            if panel.iter().any(|&e| left[e] == 0) {
                continue;
            }
            panel.iter().for_each(|&e| left[e] -= 1);
            if let Some(rest) = go(options, at + 1, left) {
                best = best.max(Some(score + rest));
            }
            panel.iter().for_each(|&e| left[e] += 1);
        }
        best
    }
    let mut left: Vec<u32> = p.experts.iter().map(|e| e.load_limit).collect();
    go(&options, 0, &mut left)
}

/// Min-cost max-flow by successive shortest paths (dense Dijkstra, costs made non-negative by an
/// offset per pair — every item takes exactly k pairs, so the offset is a constant). Only for
/// problems without composition rules. Returns the best score, `None` when some item stays short.
fn successive_shortest_paths(p: &Problem) -> Option<i64> {
    let (ni, ne) = (p.items.len(), p.experts.len());
    let k = p.rules.per_item as i64;
    let (s, t) = (ni + ne, ni + ne + 1);
    let n = ni + ne + 2;
    let max = p.pairs.iter().map(|x| x.score as i64).max().unwrap_or(0);
    // Residual graph as adjacency lists of edge ids; edge e and e ^ 1 are a pair.
    let mut to = Vec::new();
    let mut cap = Vec::new();
    let mut cost = Vec::new();
    let mut adj = vec![Vec::new(); n];
    let mut add = |a: usize, b: usize, c: i64, w: i64, adj: &mut Vec<Vec<usize>>| {
        adj[a].push(to.len());
        to.push(b);
        cap.push(c);
        cost.push(w);
        adj[b].push(to.len());
        to.push(a);
        cap.push(0);
        cost.push(-w);
    };
    for i in 0..ni {
        add(s, i, k, 0, &mut adj);
    }
    for x in &p.pairs {
        add(x.item as usize, ni + x.expert as usize, 1, max - x.score as i64, &mut adj);
    }
    for (e, x) in p.experts.iter().enumerate() {
        add(ni + e, t, x.load_limit as i64, 0, &mut adj);
    }
    let mut pot = vec![0i64; n];
    let mut flow = 0i64;
    let mut total = 0i64;
    loop {
        let mut dist = vec![i64::MAX; n];
        let mut prev = vec![usize::MAX; n];
        let mut done = vec![false; n];
        dist[s] = 0;
        loop {
            let u = (0..n).filter(|&u| !done[u] && dist[u] < i64::MAX).min_by_key(|&u| dist[u]);
            let Some(u) = u else { break };
            done[u] = true;
            for &e in &adj[u] {
                let v = to[e];
                if cap[e] > 0 {
                    let d = dist[u] + cost[e] + pot[u] - pot[v];
                    if d < dist[v] {
                        dist[v] = d;
                        prev[v] = e;
                    }
                }
            }
        }
        if dist[t] == i64::MAX {
            break;
        }
        for u in 0..n {
            if dist[u] < i64::MAX {
                pot[u] += dist[u];
            }
        }
        let mut v = t;
        while v != s {
            let e = prev[v];
            cap[e] -= 1;
            cap[e ^ 1] += 1;
            total += cost[e];
            v = to[e ^ 1];
        }
        flow += 1;
    }
    (flow == k * ni as i64).then(|| max * flow - total)
}

// ---------------------------------------------------------------------------------------------
// Instances

/// A random instance from a seed. Units have one region; scores 0–13 like the default match cost;
/// loads average about what the items need, so some instances are short and many are not.
fn random_problem(seed: u64, items: u32, experts: u32, k: u32, composition: bool) -> Problem {
    let need = (items * k).div_ceil(experts.max(1)) as u64;
    let mut rng = SplitMix64::new(seed);
    let units = (experts / 2).max(1) as u64;
    let unit_outside: Vec<bool> = (0..units).map(|_| rng.below(2) == 0).collect();
    let experts: Vec<Expert> = (0..experts)
        .map(|e| {
            let unit = (composition && rng.below(3) > 0).then(|| rng.below(units));
            Expert {
                id: format!("e{e:03}"),
                load_limit: if rng.below(10) == 0 { 0 } else { (1 + rng.below(3 * need)) as u32 },
                unit: unit.map(|u| format!("u{u}")),
                outside_tibet: unit.map_or(rng.below(2) == 0, |u| unit_outside[u as usize]),
                industry_user: rng.below(3) == 0,
            }
        })
        .collect();
    let items: Vec<Item> =
        (0..items).map(|i| Item { id: format!("a{i:03}"), industry_share: composition && rng.below(3) > 0 }).collect();
    let mut pairs = Vec::new();
    for i in 0..items.len() as u32 {
        for e in 0..experts.len() as u32 {
            if rng.below(5) > 0 {
                // 区外 experts match a little worse, so the rules bind and the search has work.
                let top = if composition && experts[e as usize].outside_tibet { 9 } else { 14 };
                pairs.push(Pair { item: i, expert: e, score: rng.below(top) as u32 });
            }
        }
    }
    let rules = if composition {
        Rules {
            per_item: k,
            one_per_unit: rng.below(4) > 0,
            min_outside: (rng.below(3) > 0) as u32,
            industry_min: rng.below(k as u64 + 1) as u32,
        }
    } else {
        Rules::plain(k)
    };
    Problem { items, experts, pairs, rules, pinned: Vec::new() }
}

/// A small instance where the rules compete: every item is 技术创新 and needs a 区外 expert and
/// industry users, while 区外 experts match worse — the network relaxation breaks the 区外 minimum and
/// the branch and bound has to work.
fn contested_problem(seed: u64, items: u32, experts: u32, k: u32) -> Problem {
    let mut rng = SplitMix64::new(seed);
    let experts: Vec<Expert> = (0..experts)
        .map(|e| {
            let outside = rng.below(2) == 0;
            Expert {
                id: format!("e{e:03}"),
                load_limit: 1 + rng.below(3) as u32,
                // Units of two, so some units mix industry users and others.
                unit: (rng.below(2) == 0).then(|| format!("u{}{}", e / 2, outside)),
                outside_tibet: outside,
                industry_user: rng.below(2) == 0,
            }
        })
        .collect();
    let items: Vec<Item> = (0..items).map(|i| Item { id: format!("a{i:03}"), industry_share: true }).collect();
    let mut pairs = Vec::new();
    for i in 0..items.len() as u32 {
        for (e, x) in experts.iter().enumerate() {
            if rng.below(6) > 0 {
                let score = if x.outside_tibet { rng.below(6) } else { 5 + rng.below(9) } as u32;
                pairs.push(Pair { item: i, expert: e as u32, score });
            }
        }
    }
    let rules = Rules { per_item: k, one_per_unit: true, min_outside: 1, industry_min: 1 + rng.below(k as u64) as u32 };
    Problem { items, experts, pairs, rules, pinned: Vec::new() }
}

/// The same problem with its items, experts and pairs in another order (indices remapped).
fn permuted(p: &Problem, seed: u64) -> Problem {
    let mut rng = SplitMix64::new(seed);
    let mut shuffle = |n: usize| {
        let mut v: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            v.swap(i, rng.below(i as u64 + 1) as usize);
        }
        v
    };
    let item_order = shuffle(p.items.len());
    let expert_order = shuffle(p.experts.len());
    let pair_order = shuffle(p.pairs.len());
    let mut item_at = vec![0u32; p.items.len()];
    for (new, &old) in item_order.iter().enumerate() {
        item_at[old] = new as u32;
    }
    let mut expert_at = vec![0u32; p.experts.len()];
    for (new, &old) in expert_order.iter().enumerate() {
        expert_at[old] = new as u32;
    }
    Problem {
        items: item_order.iter().map(|&i| p.items[i].clone()).collect(),
        experts: expert_order.iter().map(|&e| p.experts[e].clone()).collect(),
        pairs: pair_order
            .iter()
            .map(|&n| {
                let x = p.pairs[n];
                Pair { item: item_at[x.item as usize], expert: expert_at[x.expert as usize], score: x.score }
            })
            .collect(),
        rules: p.rules,
        pinned: p
            .pinned
            .iter()
            .map(|x| Pin { item: item_at[x.item as usize], expert: expert_at[x.expert as usize] })
            .collect(),
    }
}

/// `p` with up to `n` of its allowed pairs pinned, drawn from `seed` (duplicates drawn are skipped).
fn with_pins(mut p: Problem, seed: u64, n: u32) -> Problem {
    let mut rng = SplitMix64::new(seed);
    for _ in 0..n {
        if p.pairs.is_empty() {
            break;
        }
        let x = p.pairs[rng.below(p.pairs.len() as u64) as usize];
        let pin = Pin { item: x.item, expert: x.expert };
        if !p.pinned.contains(&pin) {
            p.pinned.push(pin);
        }
    }
    p
}

fn expert(id: &str, load: u32, outside: bool) -> Expert {
    Expert { id: id.into(), load_limit: load, unit: None, outside_tibet: outside, industry_user: false }
}

fn item(id: &str) -> Item {
    Item { id: id.into(), industry_share: false }
}

fn all_pairs(items: usize, experts: usize, score: impl Fn(usize, usize) -> u32) -> Vec<Pair> {
    (0..items)
        .flat_map(|i| (0..experts).map(move |e| (i, e)))
        .map(|(i, e)| Pair { item: i as u32, expert: e as u32, score: score(i, e) })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Properties

/// Options that start the simplex from `start` pairs per item (`None`: the default), so the pricing
/// that brings in the other pairs is exercised even on tiny instances.
fn starting_with(start: Option<u32>) -> SolveOptions {
    SolveOptions { start_pairs_per_item: start, ..SolveOptions::default() }
}

proptest! {
    /// Tiny instances with every rule: the solver's answer is valid, complete, and as good as the
    /// best found by enumeration; "infeasible" exactly when enumeration finds nothing.
    #[test]
    fn optimum_matches_brute_force_under_every_rule(
        seed in any::<u64>(), items in 1u32..=3, experts in 2u32..=7, k in 1u32..=3, plain in 0u32..4,
        start in prop::option::of(1u32..=3)
    ) {
        let p = random_problem(seed, items, experts, k, plain != 0);
        let expected = brute_force(&p);
        match solve_with(&p, &starting_with(start)).unwrap() {
            Outcome::Assigned(a) => {
                prop_assert_eq!(breaches(&p, &a.pairs), Vec::<String>::new());
                prop_assert_eq!(a.pairs.iter().map(|x| x.score as i64).sum::<i64>(), a.total_score);
                prop_assert!(a.optimal, "tiny instances are searched to the end: {:?}", a);
                prop_assert_eq!(Some(a.total_score), expected);
                prop_assert_eq!(a.bound, a.total_score);
            }
            Outcome::Infeasible(d) => prop_assert_eq!(expected, None, "solver said infeasible: {:?}", d),
            Outcome::Undecided { .. } => prop_assert!(false, "tiny instances are always decided"),
        }
    }

    /// Instances where the 区外 and industry rules compete: still exactly the enumerated optimum.
    #[test]
    fn contested_rules_are_searched_to_the_enumerated_optimum(
        seed in any::<u64>(), items in 1u32..=3, experts in 4u32..=7, k in 2u32..=3,
        start in prop::option::of(1u32..=3)
    ) {
        let p = contested_problem(seed, items, experts, k);
        let expected = brute_force(&p);
        match solve_with(&p, &starting_with(start)).unwrap() {
            Outcome::Assigned(a) => {
                prop_assert_eq!(breaches(&p, &a.pairs), Vec::<String>::new());
                prop_assert!(a.optimal);
                prop_assert_eq!(Some(a.total_score), expected);
            }
            Outcome::Infeasible(d) => prop_assert_eq!(expected, None, "solver said infeasible: {:?}", d),
            Outcome::Undecided { .. } => prop_assert!(false, "tiny instances are always decided"),
        }
    }

    /// Pinned pairs, under every rule: the answer keeps every pin, breaks no rule, and is the best
    /// of the assignments that keep the pins (enumerated); "infeasible" exactly when none exists —
    /// whether the pins clash on their own or leave too little for the rest. Any row order gives
    /// the same answer.
    #[test]
    fn pinned_optimum_matches_brute_force(
        seed in any::<u64>(), pin_seed in any::<u64>(), shuffle in any::<u64>(), items in 1u32..=3,
        experts in 2u32..=7, k in 1u32..=3, plain in 0u32..4, contested in any::<bool>(), pins in 1u32..=4,
        start in prop::option::of(1u32..=3)
    ) {
        let p = if contested {
            contested_problem(seed, items, experts.max(4), k.max(2))
        } else {
            random_problem(seed, items, experts, k, plain != 0)
        };
        let p = with_pins(p, pin_seed, pins);
        let expected = brute_force(&p);
        let answer = solve_with(&p, &starting_with(start)).unwrap();
        match &answer {
            Outcome::Assigned(a) => {
                prop_assert_eq!(breaches(&p, &a.pairs), Vec::<String>::new());
                prop_assert_eq!(a.pairs.iter().map(|x| x.score as i64).sum::<i64>(), a.total_score);
                prop_assert!(a.optimal, "tiny instances are searched to the end: {:?}", a);
                prop_assert_eq!(Some(a.total_score), expected);
            }
            Outcome::Infeasible(d) => prop_assert_eq!(expected, None, "solver said infeasible: {:?}", d),
            Outcome::Undecided { .. } => prop_assert!(false, "tiny instances are always decided"),
        }
        // Same options on both sides: the start only changes how many networks are solved.
        prop_assert_eq!(solve(&p).unwrap(), solve(&permuted(&p, shuffle)).unwrap());
        let g = greedy(&p).unwrap();
        for pin in &p.pinned {
            let (item, expert) = (&p.items[pin.item as usize].id, &p.experts[pin.expert as usize].id);
            prop_assert!(g.pairs.iter().any(|x| &x.item == item && &x.expert == expert), "greedy keeps pins too");
        }
    }

    /// Pure network instances up to 60 × 24: the optimum equals successive shortest paths'.
    #[test]
    fn pure_optimum_matches_successive_shortest_paths(
        seed in any::<u64>(), items in 1u32..=60, experts in 1u32..=24, k in 0u32..=4,
        start in prop::option::of(1u32..=3)
    ) {
        let p = random_problem(seed, items, experts, k, false);
        let expected = successive_shortest_paths(&p);
        match solve_with(&p, &starting_with(start)).unwrap() {
            Outcome::Assigned(a) => {
                prop_assert_eq!(breaches(&p, &a.pairs), Vec::<String>::new());
                prop_assert!(a.optimal && a.gap == 0 && a.networks_solved == 1);
                prop_assert_eq!(Some(a.total_score), expected);
            }
            Outcome::Infeasible(_) => prop_assert_eq!(expected, None),
            Outcome::Undecided { .. } => prop_assert!(false, "a pure network is always decided"),
        }
    }

    /// The same rows in any order give the same answer, assignment or explanation alike.
    #[test]
    fn permuting_rows_changes_nothing(
        seed in any::<u64>(), shuffle in any::<u64>(), items in 1u32..=25, experts in 1u32..=12,
        k in 1u32..=3, composition in any::<bool>()
    ) {
        let p = random_problem(seed, items, experts, k, composition);
        let q = permuted(&p, shuffle);
        prop_assert_eq!(solve(&p).unwrap(), solve(&q).unwrap());
        prop_assert_eq!(greedy(&p).unwrap(), greedy(&q).unwrap());
    }

    /// Medium instances with every rule: whatever the search budget, an assignment breaks no rule,
    /// its bound is an upper bound, and "optimal" means a zero gap.
    #[test]
    fn any_assignment_honours_every_rule(seed in any::<u64>(), budget in 1u32..=6) {
        let p = random_problem(seed, 30, 16, 3, true);
        match solve_with(&p, &SolveOptions { max_networks: Some(budget), ..SolveOptions::default() }).unwrap() {
            Outcome::Assigned(a) => {
                prop_assert_eq!(breaches(&p, &a.pairs), Vec::<String>::new());
                prop_assert!(a.bound >= a.total_score);
                prop_assert_eq!(a.optimal, a.gap == 0);
                prop_assert!(a.networks_solved <= budget.max(1));
            }
            Outcome::Undecided { networks_solved, .. } => prop_assert!(networks_solved <= budget),
            Outcome::Infeasible(_) => {}
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Examples

#[test]
fn pure_150_by_60_matches_successive_shortest_paths() {
    let mut p = random_problem(15_060, 150, 60, 3, false);
    // Loads large enough that the instance is feasible and the loads still bind.
    for (n, e) in p.experts.iter_mut().enumerate() {
        e.load_limit = 7 + (n % 3) as u32;
    }
    let expected = successive_shortest_paths(&p).expect("feasible by construction");
    let Outcome::Assigned(a) = solve(&p).unwrap() else { panic!("feasible by construction") };
    assert_eq!(breaches(&p, &a.pairs), Vec::<String>::new());
    assert_eq!(a.total_score, expected);
    assert!(a.optimal);
}

#[test]
fn a_single_short_item_is_named_alone() {
    // a1 may only be reviewed by e1 and e2 (three are needed); everyone else is fine.
    let experts: Vec<Expert> = (1..=5).map(|n| expert(&format!("e{n}"), 5, false)).collect();
    let items = vec![item("a0"), item("a1"), item("a2")];
    let pairs: Vec<Pair> = all_pairs(3, 5, |_, _| 5).into_iter().filter(|x| x.item != 1 || x.expert < 2).collect();
    let p = Problem { items, experts, pairs, rules: Rules::plain(3), pinned: Vec::new() };
    let Outcome::Infeasible(Deficiency::Items { items }) = solve(&p).unwrap() else { panic!("a1 is short") };
    assert_eq!(items.len(), 1);
    assert_eq!(
        (items[0].item.as_str(), items[0].need, items[0].required, items[0].available),
        ("a1", Need::Reviews, 3, 2)
    );
}

#[test]
fn a_set_short_only_together_is_explained_by_its_deficient_set() {
    // a0, a1, a2 may each use only x and y (load 1 each): alone each has its 2 experts, together
    // they need 6 reviews from 2 slots. b0 and b1 have their own experts and must not be blamed.
    let experts = vec![expert("x", 1, false), expert("y", 1, false), expert("z1", 5, false), expert("z2", 5, false)];
    let items = vec![item("a0"), item("a1"), item("a2"), item("b0"), item("b1")];
    let pairs: Vec<Pair> = all_pairs(5, 4, |i, e| (i + e) as u32)
        .into_iter()
        .filter(|x| if x.item < 3 { x.expert < 2 } else { x.expert >= 2 })
        .collect();
    let p = Problem { items, experts, pairs, rules: Rules::plain(2), pinned: Vec::new() };
    // Every item alone is feasible: the single-item check must not fire.
    let Outcome::Infeasible(Deficiency::Set(set)) = solve(&p).unwrap() else {
        panic!("the a-items are short together")
    };
    let names: Vec<&str> = set.items.iter().map(|x| x.item.as_str()).collect();
    assert_eq!(names, ["a0", "a1", "a2"]);
    assert!(set.items.iter().all(|x| x.need == Need::Reviews));
    assert_eq!((set.required, set.available), (6, 2));
    assert_eq!(set.experts, ["x", "y"]);
}

#[test]
fn too_few_outside_slots_for_a_set_is_explained_by_the_outside_rule() {
    // One 区外 expert with load 1 for two items that each need one.
    let experts = vec![expert("in1", 5, false), expert("in2", 5, false), expert("out", 1, true)];
    let items = vec![item("a0"), item("a1")];
    let p = Problem {
        items,
        experts,
        pairs: all_pairs(2, 3, |_, _| 3),
        rules: Rules { per_item: 2, one_per_unit: false, min_outside: 1, industry_min: 0 },
        pinned: Vec::new(),
    };
    let Outcome::Infeasible(Deficiency::Set(set)) = solve(&p).unwrap() else { panic!("one 区外 slot for two items") };
    assert!(set.items.iter().all(|x| x.need == Need::Outside), "{set:?}");
    assert_eq!(set.items.len(), 2);
    assert!(set.required > set.available);
    assert!(set.experts.contains(&"out".to_string()));
}

#[test]
fn industry_share_is_met_exactly_at_a_cost() {
    // Without the share, the two best experts (not industry users) would take the 技术创新 item.
    let mut experts = vec![expert("best1", 2, true), expert("best2", 2, false), expert("ind1", 2, false)];
    experts[2].industry_user = true;
    let items = vec![Item { id: "a0".into(), industry_share: true }, item("a1")];
    let scores = [[13, 12, 2], [1, 1, 1]];
    let p = Problem {
        items,
        experts,
        pairs: all_pairs(2, 3, |i, e| scores[i][e]),
        rules: Rules { per_item: 2, one_per_unit: true, min_outside: 1, industry_min: 1 },
        pinned: Vec::new(),
    };
    let Outcome::Assigned(a) = solve(&p).unwrap() else { panic!("feasible") };
    assert_eq!(breaches(&p, &a.pairs), Vec::<String>::new());
    assert_eq!(Some(a.total_score), brute_force(&p));
    assert!(a.optimal);
    let a0: Vec<&str> = a.pairs.iter().filter(|x| x.item == "a0").map(|x| x.expert.as_str()).collect();
    assert_eq!(a0, ["best1", "ind1"]);
}

#[test]
fn outside_and_industry_rules_that_only_collide_together_are_named() {
    // k = 2: a0 needs a 区外 expert and 2 industry users, but its only 区外 expert is not one.
    let mut experts = vec![expert("out", 3, true), expert("i1", 3, false), expert("i2", 3, false)];
    experts[1].industry_user = true;
    experts[2].industry_user = true;
    let p = Problem {
        items: vec![Item { id: "a0".into(), industry_share: true }],
        experts,
        pairs: all_pairs(1, 3, |_, _| 5),
        rules: Rules { per_item: 2, one_per_unit: false, min_outside: 1, industry_min: 2 },
        pinned: Vec::new(),
    };
    assert_eq!(brute_force(&p), None);
    let Outcome::Infeasible(Deficiency::Composition { items }) = solve(&p).unwrap() else { panic!("infeasible") };
    assert_eq!(items, ["a0"]);
}

#[test]
fn malformed_input_is_refused_with_the_field() {
    let base = Problem {
        items: vec![item("a0")],
        experts: vec![expert("e0", 1, false), expert("e1", 1, false)],
        pairs: all_pairs(1, 2, |_, _| 1),
        rules: Rules::plain(1),
        pinned: Vec::new(),
    };
    let field = |p: &Problem| match solve(p) {
        Err(lixiang_core::CoreError::Validation { field, .. }) => field,
        other => panic!("expected a validation error, got {other:?}"),
    };
    let mut p = base.clone();
    p.experts[1].id = "e0".into();
    assert_eq!(field(&p), "experts");
    let mut p = base.clone();
    p.pairs.push(p.pairs[0]);
    assert_eq!(field(&p), "pairs");
    let mut p = base.clone();
    p.pairs[0].expert = 9;
    assert_eq!(field(&p), "pairs");
    let mut p = base.clone();
    p.experts[0].unit = Some("U".into());
    p.experts[1].unit = Some("U".into());
    p.experts[1].outside_tibet = true;
    assert_eq!(field(&p), "experts");
    let mut p = base;
    p.rules.min_outside = 2;
    assert_eq!(field(&p), "rules.min_outside");
}

#[test]
fn synthetic_instance_with_rules_is_valid_and_beats_greedy() {
    let shape =
        Shape { items: 120, experts: 40, per_item: 5, load: 25, conflict_rate: 0.05, seed: 7, composition: true };
    let p = generate(&shape);
    assert_eq!(p, generate(&shape), "the generator is seeded");
    let Outcome::Assigned(a) = solve(&p).unwrap() else { panic!("the synthetic pool is ample") };
    assert_eq!(breaches(&p, &a.pairs), Vec::<String>::new());
    let g = greedy(&p).unwrap();
    if g.unfilled == 0 {
        assert_eq!(breaches(&p, &g.pairs), Vec::<String>::new());
        assert!(g.total_score <= a.bound);
    }
    assert!(a.total_score >= g.total_score || g.unfilled > 0 || !a.optimal);
}

#[test]
fn pins_that_break_a_rule_on_their_own_are_named() {
    // a0 needs 2 reviews; e0 and e1 are of one unit, e2 may take one item only.
    let mut experts: Vec<Expert> = (0..4).map(|e| expert(&format!("e{e}"), 3, e == 3)).collect();
    experts[0].unit = Some("u".into());
    experts[1].unit = Some("u".into());
    experts[2].load_limit = 1;
    let p = Problem {
        items: vec![item("a0"), item("a1")],
        experts,
        pairs: all_pairs(2, 4, |_, _| 1),
        rules: Rules { per_item: 2, one_per_unit: true, min_outside: 1, industry_min: 0 },
        pinned: vec![
            Pin { item: 0, expert: 0 },
            Pin { item: 0, expert: 1 },
            Pin { item: 0, expert: 2 },
            Pin { item: 1, expert: 2 },
        ],
    };
    let Outcome::Infeasible(Deficiency::Pinned { clashes }) = solve(&p).unwrap() else { panic!("pins clash") };
    type Found<'a> = (Option<&'a str>, PinRule, Vec<&'a str>, u32, u32);
    let found: Vec<Found> = clashes
        .iter()
        .map(|c| (c.item.as_deref(), c.rule, c.experts.iter().map(String::as_str).collect(), c.count, c.limit))
        .collect();
    assert_eq!(
        found,
        [
            (None, PinRule::Load, vec!["e2"], 2, 1),
            (Some("a0"), PinRule::PerItem, vec!["e0", "e1", "e2"], 3, 2),
            (Some("a0"), PinRule::OnePerUnit, vec!["e0", "e1"], 2, 1),
            // a1: e2 (区内) is pinned; one place is left and the 区外 e3 can take it, so no clash.
        ]
    );
    // Two 区内 pins fill a1's two places and leave none for the 区外 expert it needs.
    let p = Problem { pinned: vec![Pin { item: 1, expert: 1 }, Pin { item: 1, expert: 2 }], ..p };
    let Outcome::Infeasible(Deficiency::Pinned { clashes }) = solve(&p).unwrap() else { panic!("no 区外 place") };
    assert_eq!((clashes[0].rule, clashes[0].count, clashes[0].limit), (PinRule::Outside, 1, 0));
}

#[test]
fn a_pin_takes_its_unit_place_and_the_shortfall_counts_it() {
    // One item, k = 3; e0 (pinned) and e1 share a unit; only e2 is left besides them.
    let mut experts: Vec<Expert> = (0..3).map(|e| expert(&format!("e{e}"), 1, false)).collect();
    experts[0].unit = Some("u".into());
    experts[1].unit = Some("u".into());
    let p = Problem {
        items: vec![item("a0")],
        experts,
        pairs: all_pairs(1, 3, |_, e| 10 - e as u32),
        rules: Rules { per_item: 2, one_per_unit: true, min_outside: 0, industry_min: 0 },
        pinned: vec![Pin { item: 0, expert: 1 }],
    };
    // e0 scores best but shares the pinned e1's unit: the panel is e1 and e2.
    let Outcome::Assigned(a) = solve(&p).unwrap() else { panic!("feasible") };
    let panel: Vec<&str> = a.pairs.iter().map(|x| x.expert.as_str()).collect();
    assert_eq!(panel, ["e1", "e2"]);
    assert_eq!((a.total_score, a.bound), (9 + 8, 17));
    // With k = 3 the item is short: 3 needed, the pin and e2 available (e0's unit place is taken).
    let p = Problem { rules: Rules { per_item: 3, ..p.rules }, ..p };
    let Outcome::Infeasible(Deficiency::Items { items }) = solve(&p).unwrap() else { panic!("short") };
    assert_eq!((items[0].need, items[0].required, items[0].available), (Need::Reviews, 3, 2));
}

#[test]
fn a_pin_must_be_an_allowed_pair() {
    let p = Problem {
        items: vec![item("a0")],
        experts: vec![expert("e0", 1, false), expert("e1", 1, false)],
        pairs: vec![Pair { item: 0, expert: 0, score: 1 }],
        rules: Rules::plain(1),
        pinned: vec![Pin { item: 0, expert: 1 }],
    };
    assert!(solve(&p).is_err(), "a pin cannot bring back a conflict");
    let twice = Problem { pinned: vec![Pin { item: 0, expert: 0 }; 2], ..p };
    assert!(solve(&twice).is_err());
}
