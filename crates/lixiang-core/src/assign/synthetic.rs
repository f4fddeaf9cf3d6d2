//! Seeded synthetic assignment problems, for `lixiang bench assign` and for tests.
//!
//! Owns only the generator and its small PRNG (SplitMix64, so no dependency and the same stream on
//! every platform); it must not be used for real calls. Scores follow the domain's default match
//! cost: 10 for the same most specific discipline code, 6 for the same parent, 3 for the same top
//! level, 0 otherwise, plus 1 per shared keyword up to 3 — on a made-up code tree of 8 top levels ×
//! 4 parents × 5 codes, with 24 keywords per top level.

use super::{Expert, Item, Pair, Problem, Rules};

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast, and good enough for test data.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0), by multiply-shift: no modulo bias worth noticing at these sizes.
    pub fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// True with probability `per_million` / 1,000,000.
    pub fn chance(&mut self, per_million: u32) -> bool {
        self.below(1_000_000) < per_million as u64
    }
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shape {
    pub items: u32,
    pub experts: u32,
    /// k.
    pub per_item: u32,
    /// L for every expert.
    pub load: u32,
    /// Share of (item, expert) pairs that are hard conflicts, 0.0–1.0.
    pub conflict_rate: f64,
    pub seed: u64,
    /// Units (about 2.4 experts each), 区外 units (60 %), 企业 units (25 %) and 产业 experts
    /// elsewhere (10 %), 30 % 技术创新 items, and [`Rules::standard`]; otherwise [`Rules::plain`].
    pub composition: bool,
}

const TOPS: u64 = 8;
const PARENTS: u64 = 4;
const CODES: u64 = 5;
const WORDS: u64 = 24;

/// A discipline code as (top, parent, code) and a keyword set (bits of a 192-word vocabulary).
#[derive(Clone, Copy)]
struct Profile {
    code: (u64, u64, u64),
    words: [u64; 3],
}

fn profile(rng: &mut SplitMix64, keywords: u32) -> Profile {
    let code = (rng.below(TOPS), rng.below(PARENTS), rng.below(CODES));
    let mut words = [0u64; 3];
    for _ in 0..keywords {
        let w = code.0 * WORDS + rng.below(WORDS);
        words[(w / 64) as usize] |= 1 << (w % 64);
    }
    Profile { code, words }
}

fn score(a: &Profile, b: &Profile) -> u32 {
    let level = if a.code == b.code {
        10
    } else if (a.code.0, a.code.1) == (b.code.0, b.code.1) {
        6
    } else if a.code.0 == b.code.0 {
        3
    } else {
        0
    };
    let shared: u32 = a.words.iter().zip(&b.words).map(|(x, y)| (x & y).count_ones()).sum();
    level + shared.min(3)
}

/// Generates the problem `shape` describes; the same shape always gives the same problem.
pub fn generate(shape: &Shape) -> Problem {
    let mut rng = SplitMix64::new(shape.seed);
    let items: Vec<(Item, Profile)> = (0..shape.items)
        .map(|i| {
            let p = profile(&mut rng, 4);
            let innovation = shape.composition && rng.chance(300_000);
            (Item { id: format!("A{i:06}"), industry_share: innovation }, p)
        })
        .collect();
    let mut experts: Vec<(Expert, Profile)> = Vec::with_capacity(shape.experts as usize);
    let mut unit_no = 0u32;
    while experts.len() < shape.experts as usize {
        let size = if shape.composition {
            match rng.below(100) {
                0..=49 => 1,
                50..=69 => 2,
                70..=84 => 3,
                _ => 4 + rng.below(5),
            }
        } else {
            1
        };
        let outside = rng.chance(600_000);
        let enterprise = rng.chance(250_000);
        for _ in 0..size {
            if experts.len() >= shape.experts as usize {
                break;
            }
            let n = experts.len();
            let p = profile(&mut rng, 6);
            let industry = enterprise || rng.chance(100_000);
            let expert = if shape.composition {
                Expert {
                    id: format!("E{n:05}"),
                    load_limit: shape.load,
                    unit: Some(format!("U{unit_no:05}")),
                    outside_tibet: outside,
                    industry_user: industry,
                }
            } else {
                Expert {
                    id: format!("E{n:05}"),
                    load_limit: shape.load,
                    unit: None,
                    outside_tibet: false,
                    industry_user: false,
                }
            };
            experts.push((expert, p));
        }
        unit_no += 1;
    }
    let conflict = (shape.conflict_rate.clamp(0.0, 1.0) * 1_000_000.0).round() as u32;
    let mut pairs = Vec::with_capacity(
        (shape.items as f64 * shape.experts as f64 * (1.0 - shape.conflict_rate.clamp(0.0, 1.0))) as usize + 16,
    );
    for (i, (_, ip)) in items.iter().enumerate() {
        for (e, (_, ep)) in experts.iter().enumerate() {
            if rng.chance(conflict) {
                continue;
            }
            pairs.push(Pair { item: i as u32, expert: e as u32, score: score(ip, ep) });
        }
    }
    let rules = if shape.composition { Rules::standard(shape.per_item) } else { Rules::plain(shape.per_item) };
    Problem {
        items: items.into_iter().map(|(x, _)| x).collect(),
        experts: experts.into_iter().map(|(x, _)| x).collect(),
        pairs,
        rules,
        pinned: Vec::new(),
    }
}
