//! The discipline code list (GB/T 13745 学科分类与代码, the levels the eight programmes need), read from
//! `seeds/disciplines/gbt13745.toml`, and the default expertise match between an expert and an
//! application ([`MatchWeights::score`]), the score the assignment maximises.
//!
//! Codes have 3 (一级), 5 (二级) or 7 (三级) digits; a code's parent is its first 5 or 3 digits. The list is
//! checked when read: digits only, no duplicates, every parent listed above its children. Pure data and
//! functions: nothing here reads the database.

use crate::seed_toml::{parse_file, Node};
use crate::validate::normalize;
use crate::{CoreError, Result};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The shipped list: (file name as shown in messages, contents).
pub const EMBEDDED: (&str, &str) =
    ("seeds/disciplines/gbt13745.toml", include_str!("../../../seeds/disciplines/gbt13745.toml"));

/// One discipline of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Discipline {
    pub code: String,
    pub name: String,
}

/// The code list, by code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disciplines {
    pub source: String,
    by_code: BTreeMap<String, Discipline>,
}

/// The level of a code by its length: 1 (3 digits), 2 (5) or 3 (7); `None` for any other shape.
pub fn level(code: &str) -> Option<u8> {
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match code.len() {
        3 => Some(1),
        5 => Some(2),
        7 => Some(3),
        _ => None,
    }
}

/// The parent of a code (its first 5 or 3 digits); `None` for a first-level code or a malformed one.
pub fn parent(code: &str) -> Option<&str> {
    match level(code)? {
        3 => Some(&code[..5]),
        2 => Some(&code[..3]),
        _ => None,
    }
}

impl Disciplines {
    /// Parses and checks a list file; a malformed file is refused whole, naming the entry and field.
    pub fn parse(file: &str, text: &str) -> Result<Disciplines> {
        let table = parse_file(file, text)?;
        let root = Node::new(file, "(file)", &table);
        root.only(&["source", "discipline"])?;
        let source = root.text("source")?;
        let mut by_code: BTreeMap<String, Discipline> = BTreeMap::new();
        for (i, entry) in root.nonempty_list("discipline")?.iter().enumerate() {
            let node = entry.node();
            node.only(&["code", "name"])?;
            let code = node.text("code")?;
            let name = node.text("name")?;
            let bad = |reason: String| CoreError::SeedMalformed {
                file: file.to_string(),
                entry: format!("discipline[{i}] {code}"),
                field: "code".into(),
                reason,
            };
            if level(&code).is_none() {
                return Err(bad("a code has 3, 5 or 7 digits".into()));
            }
            if by_code.contains_key(&code) {
                return Err(bad("listed twice".into()));
            }
            // Parents first, so that a child never names a parent the list lacks.
            if let Some(p) = parent(&code) {
                if !by_code.contains_key(p) {
                    return Err(bad(format!("its parent {p} is not listed above it")));
                }
            }
            if name.trim().is_empty() {
                return Err(CoreError::SeedMalformed {
                    file: file.to_string(),
                    entry: format!("discipline[{i}] {code}"),
                    field: "name".into(),
                    reason: "empty".into(),
                });
            }
            by_code.insert(code.clone(), Discipline { code, name });
        }
        Ok(Disciplines { source, by_code })
    }

    pub fn get(&self, code: &str) -> Option<&Discipline> {
        self.by_code.get(code)
    }

    pub fn contains(&self, code: &str) -> bool {
        self.by_code.contains_key(code)
    }

    /// Every discipline in code order.
    pub fn all(&self) -> impl Iterator<Item = &Discipline> {
        self.by_code.values()
    }

    pub fn len(&self) -> usize {
        self.by_code.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_code.is_empty()
    }
}

/// The shipped list, parsed and checked.
pub fn embedded() -> Result<Disciplines> {
    Disciplines::parse(EMBEDDED.0, EMBEDDED.1)
}

/// The default match score of an (expert, application) pair, as integers (domain.md "Assignment"):
/// `same_code` for the same most specific code, `same_parent` for the same second-level code, `same_top`
/// for the same first level, 0 otherwise (the best over the expert's codes), plus `per_keyword` per
/// shared keyword up to `max_keywords`. Kept as data so a call can set its own; recorded with every run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct MatchWeights {
    pub same_code: u32,
    pub same_parent: u32,
    pub same_top: u32,
    pub per_keyword: u32,
    pub max_keywords: u32,
}

impl Default for MatchWeights {
    fn default() -> MatchWeights {
        MatchWeights { same_code: 10, same_parent: 6, same_top: 3, per_keyword: 1, max_keywords: 3 }
    }
}

/// How a keyword is compared: NFKC, lower case, without spaces (so `高原 医学` and `高原医学` agree).
fn keyword_key(k: &str) -> String {
    normalize(k).chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

impl MatchWeights {
    /// The discipline part for one pair of codes.
    pub fn code_score(&self, expert_code: &str, item_code: &str) -> u32 {
        if level(expert_code).is_none() || level(item_code).is_none() {
            return 0;
        }
        if expert_code == item_code {
            return self.same_code;
        }
        // Shared prefix at a level both codes reach: 5 digits is the same second-level discipline.
        let shared = |n: usize| expert_code.len() >= n && item_code.len() >= n && expert_code[..n] == item_code[..n];
        if shared(5) {
            self.same_parent
        } else if shared(3) {
            self.same_top
        } else {
            0
        }
    }

    /// The score of an expert (codes, keywords) for an item (code, keywords).
    pub fn score(
        &self,
        expert_codes: &[String],
        expert_keywords: &[String],
        item_code: &str,
        item_keywords: &[String],
    ) -> u32 {
        let codes = expert_codes.iter().map(|c| self.code_score(c, item_code)).max().unwrap_or(0);
        let mine: BTreeSet<String> = expert_keywords.iter().map(|k| keyword_key(k)).filter(|k| !k.is_empty()).collect();
        let theirs: BTreeSet<String> = item_keywords.iter().map(|k| keyword_key(k)).filter(|k| !k.is_empty()).collect();
        let shared = mine.intersection(&theirs).count() as u32;
        codes + self.per_keyword * shared.min(self.max_keywords)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_list_reads_and_covers_the_programmes() {
        let d = embedded().unwrap();
        assert!(d.len() > 150, "{}", d.len());
        assert!(d.source.contains("GB/T 13745"));
        assert_eq!(d.get("3602010").unwrap().name, "藏医药学");
        assert_eq!(parent("3602010"), Some("36020"));
        assert_eq!(parent("36020"), Some("360"));
        // The demo applications' codes are all in the list.
        for code in ["170", "210", "180", "320", "480", "520", "440"] {
            assert!(d.contains(code), "{code}");
        }
        // Every child's parent is there.
        for x in d.all() {
            if let Some(p) = parent(&x.code) {
                assert!(d.contains(p), "{}", x.code);
            }
        }
    }

    #[test]
    fn a_child_without_its_parent_is_refused() {
        let text = "source = \"t\"\n[[discipline]]\ncode = \"210\"\nname = \"农学\"\n[[discipline]]\ncode = \"2302010\"\nname = \"x\"\n";
        let e = Disciplines::parse("t.toml", text).unwrap_err();
        assert!(matches!(e, CoreError::SeedMalformed { ref entry, .. } if entry.contains("2302010")), "{e}");
        let twice = "source = \"t\"\n[[discipline]]\ncode = \"210\"\nname = \"a\"\n[[discipline]]\ncode = \"210\"\nname = \"b\"\n";
        assert!(Disciplines::parse("t.toml", twice).is_err());
        let shape = "source = \"t\"\n[[discipline]]\ncode = \"2101\"\nname = \"a\"\n";
        assert!(Disciplines::parse("t.toml", shape).is_err());
        let unknown = "source = \"t\"\n[[discipline]]\ncode = \"210\"\nname = \"a\"\nlevel = 1\n";
        assert!(Disciplines::parse("t.toml", unknown).is_err());
    }

    #[test]
    fn default_match_scores() {
        let w = MatchWeights::default();
        let s = |codes: &[&str], kw: &[&str], item: &str, ikw: &[&str]| {
            let codes: Vec<String> = codes.iter().map(|c| c.to_string()).collect();
            let kw: Vec<String> = kw.iter().map(|c| c.to_string()).collect();
            let ikw: Vec<String> = ikw.iter().map(|c| c.to_string()).collect();
            w.score(&codes, &kw, item, &ikw)
        };
        assert_eq!(s(&["3602010"], &[], "3602010", &[]), 10);
        assert_eq!(s(&["3602020"], &[], "3602010", &[]), 6, "same parent 36020");
        assert_eq!(s(&["36020"], &[], "3602010", &[]), 6, "the expert's code is the item's parent");
        assert_eq!(s(&["3601011"], &[], "3602010", &[]), 3, "same top level 360");
        assert_eq!(s(&["210"], &[], "210", &[]), 10, "same most specific code at the first level");
        assert_eq!(s(&["210"], &[], "2102030", &[]), 3);
        assert_eq!(s(&["230"], &[], "210", &[]), 0);
        // The best of the expert's codes counts, once.
        assert_eq!(s(&["230", "21020", "2102030"], &[], "2102030", &[]), 10);
        // Keywords: +1 each, at most 3, compared after normalisation.
        assert_eq!(s(&["230"], &["青稞", "高原 医学"], "210", &["高原医学", "青稞", "牦牛"]), 2);
        assert_eq!(s(&["210"], &["a", "b", "c", "d"], "210", &["A", "b", "c", "d"]), 13);
        let custom = MatchWeights { same_code: 5, same_parent: 2, same_top: 1, per_keyword: 2, max_keywords: 1 };
        let codes = vec!["21020".to_string()];
        assert_eq!(custom.score(&codes, &["x".into(), "y".into()], "2102030", &["x".into(), "y".into()]), 4);
    }
}
