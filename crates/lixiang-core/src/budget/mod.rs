//! Budgets (经费预算): the rules as versioned data ([`BudgetSchema`], seeded from `seeds/budget/`), an
//! application's table of amounts ([`BudgetTable`]: categories × years, fiscal and self-raised, in fen),
//! every subtotal and total ([`totals`]), the indirect-cost cap ([`IndirectRule::cap`]) and the checks
//! people expect ([`check_budget`]).
//!
//! Rules are never constants of the code: a call names its schema by code and version, and an older
//! provincial schema with other categories and tiers is only another seed file. Which schemas a
//! workspace holds (shipped, added by the office, received with a call) is [`held`]'s. Amounts are [`Fen`], so a
//! negative or fractional amount cannot be written down. No floats anywhere.
//!
//! This module owns the arithmetic and the checks; storing tables is the store's, editing them the UI's.

pub mod check;
pub mod held;
pub mod seed;

pub use check::check_budget;

use crate::lang::Bilingual;
use crate::money::Fen;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The seed files of budget schemas shipped inside the program: (file name as shown in messages, contents).
pub const EMBEDDED_SCHEMAS: &[(&str, &str)] = &[
    ("seeds/budget/central-2021.toml", include_str!("../../../../seeds/budget/central-2021.toml")),
    ("seeds/budget/xizang-provincial-2017.toml", include_str!("../../../../seeds/budget/xizang-provincial-2017.toml")),
];

/// The budget schemas shipped with the program, parsed and checked.
pub fn embedded_schemas() -> crate::Result<Vec<BudgetSchema>> {
    EMBEDDED_SCHEMAS.iter().map(|(file, text)| seed::parse_schema(file, text)).collect()
}

/// How a call names the schema its budgets follow.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, specta::Type)]
pub struct SchemaRef {
    pub code: String,
    pub version: u32,
}

impl std::fmt::Display for SchemaRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} v{}", self.code, self.version)
    }
}

/// 直接费用 or 间接费用.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum CostKind {
    Direct,
    Indirect,
}

/// One row of the budget table. A category with children is a subtotal and holds no amounts of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Category {
    pub code: String,
    pub name: Bilingual,
    pub kind: CostKind,
    pub parent: Option<String>,
    /// Its lines are equipment: one of unit price at or above the schema's threshold needs a detailed estimate.
    pub equipment: bool,
    /// Deducted from the base of the indirect cap (设备购置费: purchase, not trial manufacture or rent).
    pub equipment_purchase: bool,
}

/// One tier of the indirect cap: the part of the base up to `up_to` (above the previous tier's bound)
/// may carry at most `rate_percent` of itself as indirect costs. The last tier has no bound.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tier {
    pub up_to: Option<Fen>,
    pub rate_percent: u32,
}

/// The indirect-cost cap: tiered on (direct − equipment purchase), with an optional flat rate for pure
/// theoretical basic research (数学等纯理论基础研究).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndirectRule {
    pub tiers: Vec<Tier>,
    pub pure_theory_percent: Option<u32>,
}

/// What a 揭榜挂帅 budget follows under this schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChallengeRule {
    /// The fiscal funding requested must equal the call's fixed funding (资助额度).
    pub fixed_funding: bool,
    /// What the funds may not be used for (负面清单); the applicant confirms it, no figure checks it.
    pub negative_list: Vec<Bilingual>,
}

/// A versioned set of budget rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetSchema {
    pub code: String,
    pub version: u32,
    pub name: Bilingual,
    /// Where the rules come from (the document and article), for people checking the seed.
    pub source: String,
    /// Categories in display order; a parent comes before its children.
    pub categories: Vec<Category>,
    pub indirect: IndirectRule,
    /// An equipment line of this unit price or more needs a detailed estimate (≥, not >).
    pub equipment_detail_threshold: Fen,
    pub challenge: ChallengeRule,
}

impl BudgetSchema {
    pub fn reference(&self) -> SchemaRef {
        SchemaRef { code: self.code.clone(), version: self.version }
    }

    pub fn category(&self, code: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.code == code)
    }

    pub fn children<'s>(&'s self, code: &'s str) -> impl Iterator<Item = &'s Category> + 's {
        self.categories.iter().filter(move |c| c.parent.as_deref() == Some(code))
    }

    /// A category without children: only these hold amounts.
    pub fn is_leaf(&self, code: &str) -> bool {
        self.children(code).next().is_none()
    }

    pub fn leaves(&self) -> impl Iterator<Item = &Category> {
        self.categories.iter().filter(|c| self.is_leaf(&c.code))
    }

    pub fn roots(&self) -> impl Iterator<Item = &Category> {
        self.categories.iter().filter(|c| c.parent.is_none())
    }

    /// `code` and every category above it, nearest first.
    pub fn lineage<'s>(&'s self, code: &'s str) -> Vec<&'s str> {
        let mut out = Vec::new();
        let mut cur = self.category(code);
        while let Some(c) = cur {
            // A seed is checked to list parents first, so this walk ends; the bound guards a hand-built schema.
            if out.len() > self.categories.len() {
                break;
            }
            out.push(c.code.as_str());
            cur = c.parent.as_deref().and_then(|p| self.category(p));
        }
        out
    }

    /// The indirect cap for a budget with `direct` costs of which `equipment_purchase` is 设备购置费.
    pub fn indirect_cap(&self, direct: Fen, equipment_purchase: Fen, pure_theory: bool) -> Fen {
        self.indirect.cap(direct.saturating_sub(equipment_purchase), pure_theory)
    }
}

impl IndirectRule {
    /// The most indirect costs allowed on `base` = direct − equipment purchase, in fen.
    ///
    /// Each tier contributes part × rate; the sum is kept exact in fen·percent (u128, no overflow for any
    /// u64 base) and divided by 100 once, rounding down. Down, because this is a ceiling set by the rules:
    /// rounding up would allow a fen more than the rules do, and rounding each tier separately could lose up
    /// to one fen per tier for no reason. The result is monotone non-decreasing in `base` (every part grows
    /// with the base and rates are non-negative) and never above base × the highest rate.
    pub fn cap(&self, base: Fen, pure_theory: bool) -> Fen {
        let base = u128::from(base.get());
        let mut lower = 0u128;
        let mut weighted = 0u128;
        for tier in &self.tiers {
            let upper = tier.up_to.map_or(u128::MAX, |f| u128::from(f.get()));
            if base > lower {
                let part = base.min(upper) - lower;
                weighted += part * u128::from(tier.rate_percent);
            }
            if upper == u128::MAX || base <= upper {
                break;
            }
            lower = upper;
        }
        if let (true, Some(p)) = (pure_theory, self.pure_theory_percent) {
            weighted = weighted.max(base * u128::from(p));
        }
        Fen::new(u64::try_from(weighted / 100).unwrap_or(u64::MAX))
    }

    /// The highest rate any part of the base can carry.
    pub fn top_rate_percent(&self, pure_theory: bool) -> u32 {
        let tiers = self.tiers.iter().map(|t| t.rate_percent).max().unwrap_or(0);
        match (pure_theory, self.pure_theory_percent) {
            (true, Some(p)) => tiers.max(p),
            _ => tiers,
        }
    }
}

/// An amount split by source: 财政资金 (fiscal) and 自筹资金 (self-raised).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Sources {
    pub fiscal: Fen,
    pub self_raised: Fen,
}

impl Sources {
    pub fn new(fiscal: Fen, self_raised: Fen) -> Sources {
        Sources { fiscal, self_raised }
    }

    pub fn total(self) -> Fen {
        self.fiscal + self.self_raised
    }
}

impl std::ops::Add for Sources {
    type Output = Sources;
    fn add(self, o: Sources) -> Sources {
        Sources { fiscal: self.fiscal + o.fiscal, self_raised: self.self_raised + o.self_raised }
    }
}

impl std::ops::AddAssign for Sources {
    fn add_assign(&mut self, o: Sources) {
        *self = *self + o;
    }
}

impl std::iter::Sum for Sources {
    fn sum<I: Iterator<Item = Sources>>(iter: I) -> Sources {
        iter.fold(Sources::default(), |a, b| a + b)
    }
}

/// One piece of equipment of an equipment category, with its detailed estimate (测算依据) when required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EquipmentLine {
    pub category: String,
    pub name: String,
    pub unit_price: Fen,
    pub quantity: u32,
    /// Specification, price sources and why it is needed; empty when not written.
    pub estimate: String,
}

impl EquipmentLine {
    pub fn amount(&self) -> Fen {
        Fen::new(self.unit_price.get().saturating_mul(u64::from(self.quantity)))
    }
}

/// An application's budget: amounts on the schema's leaf categories per year and source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetTable {
    pub schema: SchemaRef,
    /// The years shown as columns (the project period's years).
    pub years: Vec<i32>,
    /// category code → year → amounts. Only leaf categories hold amounts.
    pub lines: BTreeMap<String, BTreeMap<i32, Sources>>,
    /// The funding asked for in 基本信息, which the table's totals must equal.
    pub requested: Sources,
    pub equipment: Vec<EquipmentLine>,
}

impl BudgetTable {
    /// An empty table for `schema` over `years`.
    pub fn new(schema: &BudgetSchema, years: Vec<i32>) -> BudgetTable {
        BudgetTable {
            schema: schema.reference(),
            years,
            lines: BTreeMap::new(),
            requested: Sources::default(),
            equipment: Vec::new(),
        }
    }

    /// Sets the amounts of one cell.
    pub fn set(&mut self, category: &str, year: i32, amounts: Sources) {
        self.lines.entry(category.to_string()).or_default().insert(year, amounts);
    }

    pub fn get(&self, category: &str, year: i32) -> Sources {
        self.lines.get(category).and_then(|y| y.get(&year)).copied().unwrap_or_default()
    }
}

/// Every subtotal and total of a table. Computed only from the amounts on leaf categories the schema
/// knows; amounts elsewhere are reported by [`check_budget`] and left out here.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Totals {
    /// category (leaf or subtotal) → year → amounts.
    pub cells: BTreeMap<String, BTreeMap<i32, Sources>>,
    /// category (leaf or subtotal) → over all years.
    pub by_category: BTreeMap<String, Sources>,
    /// year → over all leaf categories.
    pub by_year: BTreeMap<i32, Sources>,
    pub direct: Sources,
    pub indirect: Sources,
    /// 设备购置费, the deduction from the indirect cap's base.
    pub equipment_purchase: Sources,
    pub grand: Sources,
}

impl Totals {
    pub fn cell(&self, category: &str, year: i32) -> Sources {
        self.cells.get(category).and_then(|y| y.get(&year)).copied().unwrap_or_default()
    }

    pub fn category(&self, code: &str) -> Sources {
        self.by_category.get(code).copied().unwrap_or_default()
    }

    pub fn year(&self, year: i32) -> Sources {
        self.by_year.get(&year).copied().unwrap_or_default()
    }
}

/// Subtotals per category (up the parent chain) and year, totals per category, year, kind and source,
/// and the grand total. Every category and every year of the table appear, with zeros where empty.
pub fn totals(schema: &BudgetSchema, table: &BudgetTable) -> Totals {
    let mut t = Totals::default();
    for c in &schema.categories {
        t.by_category.insert(c.code.clone(), Sources::default());
        let row = t.cells.entry(c.code.clone()).or_default();
        for &y in &table.years {
            row.insert(y, Sources::default());
        }
    }
    for &y in &table.years {
        t.by_year.insert(y, Sources::default());
    }
    for (code, years) in &table.lines {
        let Some(cat) = schema.category(code) else { continue };
        if !schema.is_leaf(code) {
            continue;
        }
        for (&year, &amounts) in years {
            for up in schema.lineage(code) {
                *t.cells.entry(up.to_string()).or_default().entry(year).or_default() += amounts;
                *t.by_category.entry(up.to_string()).or_default() += amounts;
            }
            *t.by_year.entry(year).or_default() += amounts;
            match cat.kind {
                CostKind::Direct => t.direct += amounts,
                CostKind::Indirect => t.indirect += amounts,
            }
            if cat.equipment_purchase {
                t.equipment_purchase += amounts;
            }
            t.grand += amounts;
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn central() -> BudgetSchema {
        embedded_schemas().unwrap().into_iter().find(|s| s.code == "central-2021").unwrap()
    }

    fn provincial() -> BudgetSchema {
        embedded_schemas().unwrap().into_iter().find(|s| s.code == "xizang-provincial-2017").unwrap()
    }

    const WAN: u64 = 1_000_000;

    /// Each boundary of the 2021 central tiers (30% up to 500 万元, 25% to 1000 万元, 20% above), in fen:
    /// 500 万元 = 500,000,000 fen.
    #[test]
    fn central_tier_boundaries() {
        let s = central();
        let cap = |base: u64| s.indirect.cap(Fen::new(base), false).get();
        assert_eq!(cap(0), 0);
        assert_eq!(cap(1), 0, "30% of 1 fen is 0.3 fen, rounded down");
        assert_eq!(cap(4), 1, "1.2 fen → 1");
        // 500 万元: 30% of all of it = 150 万元.
        assert_eq!(cap(500 * WAN), 150 * WAN);
        // One fen above: 150 万元 + 25% of 1 fen (0.25) → still 150 万元.
        assert_eq!(cap(500 * WAN + 1), 150 * WAN);
        assert_eq!(cap(500 * WAN + 4), 150 * WAN + 1);
        // 1000 万元: 150 + 25% of 500 = 150 + 125 = 275 万元.
        assert_eq!(cap(1000 * WAN), 275 * WAN);
        // One fen above: + 20% of 1 fen (0.2) → 275 万元; 5 fen above → +1 fen.
        assert_eq!(cap(1000 * WAN + 1), 275 * WAN);
        assert_eq!(cap(1000 * WAN + 5), 275 * WAN + 1);
        // 1200 万元: 275 + 20% of 200 = 315 万元.
        assert_eq!(cap(1200 * WAN), 315 * WAN);
        // Pure theory: a flat 60% (here above the tiers everywhere).
        assert_eq!(s.indirect.cap(Fen::new(1000 * WAN), true).get(), 600 * WAN);
        // The base is direct − equipment purchase.
        assert_eq!(s.indirect_cap(Fen::new(700 * WAN), Fen::new(200 * WAN), false).get(), 150 * WAN);
        assert_eq!(s.indirect_cap(Fen::new(100 * WAN), Fen::new(200 * WAN), false).get(), 0);
    }

    /// The older tiers (20% up to 500 万元, 15% to 1000 万元, 13% above).
    #[test]
    fn provincial_tier_boundaries() {
        let s = provincial();
        let cap = |base: u64| s.indirect.cap(Fen::new(base), false).get();
        assert_eq!(cap(500 * WAN), 100 * WAN);
        assert_eq!(cap(500 * WAN + 6), 100 * WAN, "15% of 6 fen is 0.9 fen");
        assert_eq!(cap(500 * WAN + 7), 100 * WAN + 1, "15% of 7 fen is 1.05 fen");
        assert_eq!(cap(1000 * WAN), 175 * WAN);
        assert_eq!(cap(1000 * WAN + 7), 175 * WAN, "13% of 7 fen is 0.91 fen");
        assert_eq!(cap(1000 * WAN + 8), 175 * WAN + 1);
        assert_eq!(cap(2000 * WAN), 305 * WAN);
        assert_eq!(s.indirect.cap(Fen::new(2000 * WAN), true), s.indirect.cap(Fen::new(2000 * WAN), false));
    }

    #[test]
    fn subtotals_follow_the_parent_chain() {
        let s = provincial();
        let mut t = BudgetTable::new(&s, vec![2027, 2028]);
        t.set("travel", 2027, Sources::new(Fen::from_wan_whole(2), Fen::from_wan_whole(1)));
        t.set("meeting", 2028, Sources::new(Fen::from_wan_whole(3), Fen::ZERO));
        t.set("equipment_purchase", 2027, Sources::new(Fen::from_wan_whole(40), Fen::ZERO));
        t.set("management", 2028, Sources::new(Fen::from_wan_whole(5), Fen::ZERO));
        let tot = totals(&s, &t);
        assert_eq!(tot.category("travel_meeting_intl").total(), Fen::from_wan_whole(6));
        assert_eq!(tot.cell("direct", 2027).fiscal, Fen::from_wan_whole(42));
        assert_eq!(tot.direct.total(), Fen::from_wan_whole(46));
        assert_eq!(tot.indirect.fiscal, Fen::from_wan_whole(5));
        assert_eq!(tot.equipment_purchase.fiscal, Fen::from_wan_whole(40));
        assert_eq!(tot.grand.total(), Fen::from_wan_whole(51));
        assert_eq!(tot.year(2028).total(), Fen::from_wan_whole(8));
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Parsed once: the property tests draw hundreds of tables.
    fn schemas() -> &'static [BudgetSchema] {
        static SCHEMAS: std::sync::OnceLock<Vec<BudgetSchema>> = std::sync::OnceLock::new();
        SCHEMAS.get_or_init(|| embedded_schemas().unwrap())
    }

    /// A table for schema `which` with up to 40 cells on any category (leaves, subtotals, unknown codes)
    /// and years 2026–2031, amounts up to 10 亿元 each.
    fn table() -> impl Strategy<Value = (usize, BudgetTable)> {
        (
            0usize..2,
            prop::collection::vec((0usize..40, 2026i32..2032, 0u64..100_000_000_000, 0u64..100_000_000_000), 0..40),
        )
            .prop_map(|(which, cells)| {
                let schema = &schemas()[which];
                let mut codes: Vec<String> = schema.categories.iter().map(|c| c.code.clone()).collect();
                codes.push("not_a_category".into());
                let mut t = BudgetTable::new(schema, vec![2027, 2028, 2029]);
                for (c, y, f, s) in cells {
                    t.set(&codes[c % codes.len()], y, Sources::new(Fen::new(f), Fen::new(s)));
                }
                (which, t)
            })
    }

    proptest! {
        /// Every way of summing agrees: cells, categories up the parent chain, years, kinds, sources and the
        /// grand total, against a sum computed here directly from the leaf cells.
        #[test]
        fn every_way_of_summing_agrees((which, table) in table()) {
            let schema = &schemas()[which];
            let t = totals(schema, &table);
            let leaf_cells: Vec<(&Category, i32, Sources)> = table
                .lines
                .iter()
                .filter_map(|(code, years)| schema.category(code).filter(|_| schema.is_leaf(code)).map(|c| (c, years)))
                .flat_map(|(c, years)| years.iter().map(move |(&y, &a)| (c, y, a)))
                .collect();
            let direct_sum: Sources = leaf_cells.iter().map(|x| x.2).sum();
            prop_assert_eq!(t.grand, direct_sum);
            prop_assert_eq!(t.grand.total(), t.grand.fiscal + t.grand.self_raised);
            prop_assert_eq!(t.by_year.values().copied().sum::<Sources>(), t.grand);
            prop_assert_eq!(schema.roots().map(|c| t.category(&c.code)).sum::<Sources>(), t.grand);
            prop_assert_eq!(schema.leaves().map(|c| t.category(&c.code)).sum::<Sources>(), t.grand);
            prop_assert_eq!(t.direct + t.indirect, t.grand);
            let purchase: Sources = leaf_cells.iter().filter(|x| x.0.equipment_purchase).map(|x| x.2).sum();
            prop_assert_eq!(t.equipment_purchase, purchase);
            for c in &schema.categories {
                // A row's total is the sum of its cells, and a subtotal's cells the sums of its children's.
                prop_assert_eq!(t.cells[&c.code].values().copied().sum::<Sources>(), t.category(&c.code));
                if !schema.is_leaf(&c.code) {
                    for y in t.cells[&c.code].keys() {
                        let children: Sources = schema.children(&c.code).map(|k| t.cell(&k.code, *y)).sum();
                        prop_assert_eq!(t.cell(&c.code, *y), children, "{} {}", c.code, y);
                    }
                }
            }
            for (y, v) in &t.by_year {
                prop_assert_eq!(schema.leaves().map(|c| t.cell(&c.code, *y)).sum::<Sources>(), *v);
            }
        }

        /// The cap never decreases as the base grows, and never exceeds base × the top rate.
        #[test]
        fn indirect_cap_is_monotone_and_bounded(
            which in 0usize..2,
            pure in any::<bool>(),
            a in 0u64..5_000_000_000_000,
            b in 0u64..5_000_000_000_000,
        ) {
            let schema = &schemas()[which];
            let (lo, hi) = (a.min(b), a.max(b));
            let (cap_lo, cap_hi) = (schema.indirect.cap(Fen::new(lo), pure), schema.indirect.cap(Fen::new(hi), pure));
            prop_assert!(cap_lo <= cap_hi, "cap({lo}) = {cap_lo:?} > cap({hi}) = {cap_hi:?}");
            let top = u128::from(schema.indirect.top_rate_percent(pure));
            prop_assert!(u128::from(cap_hi.get()) * 100 <= u128::from(hi) * top);
            // Next fen up never lowers it either (the tier boundaries included).
            prop_assert!(schema.indirect.cap(Fen::new(hi + 1), pure) >= cap_hi);
        }

        /// The same for any tier structure: increasing bounds, any rates.
        #[test]
        fn any_tiered_cap_is_monotone_and_bounded(
            bounds in prop::collection::btree_set(1u64..1_000_000_000_000, 0..5),
            rates in prop::collection::vec(0u32..=100, 6),
            a in 0u64..2_000_000_000_000,
            b in 0u64..2_000_000_000_000,
        ) {
            let mut tiers: Vec<Tier> =
                bounds.iter().zip(&rates).map(|(&u, &r)| Tier { up_to: Some(Fen::new(u)), rate_percent: r }).collect();
            tiers.push(Tier { up_to: None, rate_percent: rates[5] });
            let rule = IndirectRule { tiers, pure_theory_percent: None };
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(rule.cap(Fen::new(lo), false) <= rule.cap(Fen::new(hi), false));
            let top = u128::from(rule.top_rate_percent(false));
            prop_assert!(u128::from(rule.cap(Fen::new(hi), false).get()) * 100 <= u128::from(hi) * top);
        }
    }
}
