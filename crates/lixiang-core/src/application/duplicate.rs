//! 查重 (duplicate filing), exactly as domain.md defines it: the text of 立项依据 + 研究内容与技术路线 + 创新点,
//! after NFKC and with whitespace and punctuation removed, is cut into its set of character 5-grams; the
//! similarity of two applications is |A∩B| / min(|A|, |B|); pairs at or above 0.40 are flagged.
//!
//! Pure functions only. A 5-gram is kept as a 64-bit FNV-1a hash of its UTF-8 bytes (stable across
//! versions and machines, since sets are stored): two different 5-grams share a hash with probability
//! 2⁻⁶⁴, so the similarity computed on hashes is the similarity of the texts. The office stores each
//! application's sorted hash set (see `office`), so a comparison is a merge of two sorted arrays.
//!
//! Finding the pairs without comparing every application of the year with every other: [`indexed`]
//! chooses the hashes an application puts into an inverted index — all of them when its set is small
//! (under [`SMALL_SET`]), else those divisible by [`SAMPLE_MOD`] — and [`must_compare`] says which
//! candidates found through it are compared exactly. A new small set is compared with every set of the
//! year. What this can miss is only a pair of two large sets (≥ 1024 5-grams, so sharing ≥ 410 of them when
//! flagged) of which fewer than [`MIN_SAMPLED_HITS`] shared 5-grams fall in the sample: for 410 shared the
//! chance is below 10⁻¹³ (binomial tail, p = 1/8), far below anything a person would notice.

use super::Application;
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// The sections compared, in this order (domain.md "Applications": 立项依据 + 研究内容与技术路线 + 创新点).
pub const SECTIONS: [&str; 3] = ["rationale", "content", "innovation"];

/// Pairs at or above this similarity are flagged (domain.md's default).
pub const DEFAULT_THRESHOLD: f64 = 0.40;

/// The length of a shingle in characters.
pub const GRAM: usize = 5;

/// Sets with fewer 5-grams than this are indexed whole and compared with every set of the year.
pub const SMALL_SET: usize = 1024;

/// A large set puts the hashes divisible by this into the inverted index.
pub const SAMPLE_MOD: u64 = 8;

/// A large candidate is compared exactly when at least this many sampled hashes are shared.
pub const MIN_SAMPLED_HITS: u32 = 10;

/// The text as compared: NFKC, then without whitespace and without punctuation (Unicode general
/// category P*). Case is kept: domain.md asks for NFKC and nothing more.
pub fn normalise(text: &str) -> Vec<char> {
    text.nfkc()
        .filter(|c| {
            !c.is_whitespace() && !c.is_control() && c.general_category_group() != GeneralCategoryGroup::Punctuation
        })
        .collect()
}

fn fnv1a(chars: &[char]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut buf = [0u8; 4];
    for c in chars {
        for b in c.encode_utf8(&mut buf).as_bytes() {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    h
}

/// The sorted, distinct hashes of the 5-grams of `text` (after [`normalise`]). A text of 1 to 4
/// characters is one gram on its own, so that two such texts are compared at all; an empty one has none.
pub fn shingles(text: &str) -> Vec<u64> {
    let chars = normalise(text);
    let mut out: Vec<u64> = if chars.len() < GRAM {
        if chars.is_empty() {
            Vec::new()
        } else {
            vec![fnv1a(&chars)]
        }
    } else {
        chars.windows(GRAM).map(fnv1a).collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// The text an application is compared on: its three sections in order, as plain text.
pub fn compared_text(app: &Application) -> String {
    let mut text = String::new();
    for code in SECTIONS {
        if let Some(section) = app.sections.get(code) {
            text.push_str(&section.plain_text());
        }
    }
    text
}

/// The shingle set of an application.
pub fn application_shingles(app: &Application) -> Vec<u64> {
    shingles(&compared_text(app))
}

/// How many hashes two sorted, distinct sets share.
pub fn shared(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// |A∩B| / min(|A|, |B|); 0 when either set is empty.
pub fn similarity_of(shared: usize, a_len: usize, b_len: usize) -> f64 {
    let min = a_len.min(b_len);
    if min == 0 {
        0.0
    } else {
        shared as f64 / min as f64
    }
}

/// The similarity of two sorted, distinct sets.
pub fn similarity(a: &[u64], b: &[u64]) -> f64 {
    similarity_of(shared(a, b), a.len(), b.len())
}

/// Reads a stored set (u64 little endian, 8 bytes each).
pub fn decode(blob: &[u8]) -> Vec<u64> {
    blob.chunks_exact(8).map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8]))).collect()
}

/// The hashes of `set` that go into the inverted index.
pub fn indexed(set: &[u64]) -> Vec<u64> {
    if set.len() < SMALL_SET {
        set.to_vec()
    } else {
        set.iter().copied().filter(|h| h % SAMPLE_MOD == 0).collect()
    }
}

/// Whether a new set of `new_len` must be compared with every set of the year instead of through the index.
pub fn needs_full_scan(new_len: usize) -> bool {
    new_len < SMALL_SET
}

/// What the inverted index tells about a candidate of `count` 5-grams found with `hits` shared indexed
/// hashes: `Some(shared)` when that is already the exact |A∩B| (the candidate is small, so every hash of
/// it is indexed and every hash of the new set was looked up), `None` when it must be compared exactly,
/// or it is not worth comparing (see [`must_compare`]).
pub fn exact_from_index(count: usize, hits: u32) -> Option<usize> {
    (count < SMALL_SET).then_some(hits as usize)
}

/// Whether a large candidate is compared exactly.
pub fn must_compare(count: usize, hits: u32) -> bool {
    count >= SMALL_SET && hits >= MIN_SAMPLED_HITS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_removes_whitespace_and_punctuation_after_nfkc() {
        let got: String = normalise("青藏 高原，牦牛。\n（ＡＢ）—“1２”\t").into_iter().collect();
        assert_eq!(got, "青藏高原牦牛AB12");
        // Symbols are not punctuation: ℃ becomes °C under NFKC and stays.
        let got: String = normalise("5 ℃").into_iter().collect();
        assert_eq!(got, "5°C");
    }

    #[test]
    fn five_grams_by_hand() {
        // abcdefg: abcde, bcdef, cdefg. cdefgh: cdefg, defgh. Shared: cdefg. 1 / min(3, 2) = 0.5.
        let a = shingles("abcdefg");
        let b = shingles("cdefgh");
        assert_eq!((a.len(), b.len()), (3, 2));
        assert_eq!(shared(&a, &b), 1);
        assert_eq!(similarity(&a, &b), 0.5);
        assert_eq!(similarity(&b, &a), 0.5, "symmetric");
        // Repeated 5-grams count once: aaaaaaa has the one gram aaaaa.
        assert_eq!(shingles("aaaaaaa").len(), 1);
        // Fewer than five characters: one gram; none for an empty text.
        assert_eq!(shingles("牦牛").len(), 1);
        assert!(shingles(" ，。 ").is_empty());
        assert_eq!(similarity(&shingles(""), &a), 0.0);
    }

    #[test]
    fn chinese_text_by_hand_and_the_threshold_is_inclusive() {
        // 青藏高原牦牛 (punctuation removed): 青藏高原牦, 藏高原牦牛 = 2 grams.
        let a = shingles("青藏高原，牦牛");
        assert_eq!(a, shingles("青藏高原牦牛"));
        assert_eq!(a.len(), 2);
        // A: 一二三四五六七八九 has 5 grams (一二三四五 … 五六七八九). B: 四五六七八九十百千 has 5 grams (四五六七八 …
        // 八九十百千). Shared: 四五六七八, 五六七八九 = 2. 2 / 5 = 0.4: flagged (≥ 0.40).
        let a = shingles("一二三四五六七八九");
        let b = shingles("四五六七八九十百千");
        assert_eq!((a.len(), b.len(), shared(&a, &b)), (5, 5, 2));
        assert!(similarity(&a, &b) >= DEFAULT_THRESHOLD);
        // One character less in common: 四五六七八 only. 1 / 5 = 0.2: not flagged.
        let c = shingles("五六七八九十百千万");
        assert_eq!(shared(&a, &c), 1);
        assert_eq!(similarity(&a, &c), 0.2);
        // The min in the denominator: a short text wholly inside a long one is 1.0.
        let long = shingles("甲乙丙丁戊己庚辛壬癸子丑寅卯");
        let inside = shingles("丙丁戊己庚辛");
        assert_eq!(similarity(&long, &inside), 1.0);
        // Full-width and spaced copies are the same text.
        assert_eq!(similarity(&shingles("ＡＢＣＤＥＦ"), &shingles("A B C D E F")), 1.0);
    }

    #[test]
    fn stored_sets_read_back_and_large_sets_index_a_sample() {
        let set = shingles(&"高原生态系统演变机制与关键技术集成示范研究".repeat(3));
        let mut blob = Vec::new();
        for h in &set {
            blob.extend_from_slice(&h.to_le_bytes());
        }
        assert_eq!(decode(&blob), set);
        assert_eq!(indexed(&set), set, "a small set is indexed whole");
        let big: Vec<u64> = (0..2048u64).map(|i| i * 3).collect();
        let sample = indexed(&big);
        assert!(sample.iter().all(|h| h % SAMPLE_MOD == 0));
        assert_eq!(sample.len(), big.iter().filter(|h| *h % SAMPLE_MOD == 0).count());
        assert_eq!(exact_from_index(10, 4), Some(4));
        assert_eq!(exact_from_index(SMALL_SET, 4), None);
        assert!(must_compare(SMALL_SET, MIN_SAMPLED_HITS) && !must_compare(SMALL_SET, MIN_SAMPLED_HITS - 1));
    }
}
