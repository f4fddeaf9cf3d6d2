//! Reading and checking a budget schema seed file (`seeds/budget/*.toml`, format in `seeds/README.md`).
//! A malformed file is refused as a whole, naming the file, the entry (`category equipment_purchase`,
//! `indirect`) and the field.

use super::{BudgetSchema, Category, ChallengeRule, CostKind, IndirectRule, Tier};
use crate::lang::Bilingual;
use crate::seed_toml::{parse_file, Node};
use crate::Result;

/// A code as files and packages carry it: lower-case ASCII letters, digits, `-` and `_`.
pub(crate) fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        && s.as_bytes()[0].is_ascii_lowercase()
}

/// Parses one schema file.
pub fn parse_schema(file: &str, text: &str) -> Result<BudgetSchema> {
    let root = parse_file(file, text)?;
    let top = Node::new(file, "(file)", &root);
    top.only(&[
        "code",
        "version",
        "name_zh",
        "name_en",
        "source",
        "equipment_detail_threshold_wan",
        "category",
        "indirect",
        "challenge",
    ])?;
    let code = top.text("code")?;
    if !is_code(&code) {
        return Err(top.err("code", "lower-case letters, digits, - and _ only, starting with a letter"));
    }
    let version = top.uint("version")?;
    if version == 0 {
        return Err(top.err("version", "versions count from 1"));
    }
    let name = Bilingual::new(top.text("name_zh")?, top.text("name_en")?);
    let source = top.text("source")?;
    let equipment_detail_threshold = top.wan("equipment_detail_threshold_wan")?;
    if equipment_detail_threshold.get() == 0 {
        return Err(top.err("equipment_detail_threshold_wan", "must be above 0"));
    }

    let mut categories: Vec<Category> = Vec::new();
    for (i, child) in top.nonempty_list("category")?.iter().enumerate() {
        let n = child.node();
        let code = n.text("code").map_err(|_| top.err(&format!("category[{i}].code"), "missing or not a string"))?;
        let entry = format!("category {code}");
        let n = Node::new(file, &entry, n.table);
        n.only(&["code", "name_zh", "name_en", "kind", "parent", "equipment", "equipment_purchase"])?;
        if !is_code(&code) {
            return Err(n.err("code", "lower-case letters, digits, - and _ only, starting with a letter"));
        }
        if categories.iter().any(|c| c.code == code) {
            return Err(n.err("code", "a second category with this code"));
        }
        let parent = n.opt_text("parent")?;
        let parent_cat = match &parent {
            Some(p) => Some(categories.iter().find(|c| &c.code == p).ok_or_else(|| {
                n.err("parent", format!("{p} is not a category listed above this one (parents come first)"))
            })?),
            None => None,
        };
        let kind = match (n.opt_text("kind")?.as_deref(), parent_cat) {
            (Some("direct"), _) => CostKind::Direct,
            (Some("indirect"), _) => CostKind::Indirect,
            (Some(other), _) => return Err(n.err("kind", format!("{other} is not direct or indirect"))),
            (None, Some(p)) => p.kind,
            (None, None) => return Err(n.err("kind", "missing: a top-level category is direct or indirect")),
        };
        if let Some(p) = parent_cat {
            if p.kind != kind {
                return Err(n.err("kind", format!("differs from its parent {}", p.code)));
            }
            if p.equipment {
                // A parent's flags would be ignored (only leaves hold amounts); refuse instead of ignoring.
                return Err(n.err("parent", format!("{} is marked equipment; mark its children instead", p.code)));
            }
        }
        let equipment = n.bool_or("equipment", false)?;
        let equipment_purchase = n.bool_or("equipment_purchase", false)?;
        if equipment_purchase && !equipment {
            return Err(n.err("equipment_purchase", "only an equipment category can be equipment purchase"));
        }
        if (equipment || equipment_purchase) && kind == CostKind::Indirect {
            return Err(n.err("equipment", "equipment is a direct cost"));
        }
        categories.push(Category {
            code,
            name: Bilingual::new(n.text("name_zh")?, n.text("name_en")?),
            kind,
            parent,
            equipment,
            equipment_purchase,
        });
    }
    let has_children = |code: &str| categories.iter().any(|c| c.parent.as_deref() == Some(code));
    for c in &categories {
        if c.equipment && has_children(&c.code) {
            let entry = format!("category {}", c.code);
            return Err(Node::new(file, &entry, &root).err("equipment", "only a category without children holds lines"));
        }
    }
    for (kind, word) in [(CostKind::Direct, "direct"), (CostKind::Indirect, "indirect")] {
        if !categories.iter().any(|c| c.kind == kind && !has_children(&c.code)) {
            return Err(top.err("category", format!("no {word} category to enter amounts on")));
        }
    }

    let ind = top.child("indirect")?;
    let ind_node = Node::new(file, "indirect", ind.node().table);
    ind_node.only(&["tiers", "pure_theory_percent"])?;
    let mut tiers: Vec<Tier> = Vec::new();
    let tier_list = ind_node.nonempty_list("tiers")?;
    let last = tier_list.len() - 1;
    for (i, t) in tier_list.iter().enumerate() {
        let t = t.node();
        t.only(&["up_to_wan", "rate_percent"])?;
        let rate_percent = t.uint("rate_percent")?;
        if rate_percent > 100 {
            return Err(t.err("rate_percent", "at most 100"));
        }
        let up_to = if t.has("up_to_wan") { Some(t.wan("up_to_wan")?) } else { None };
        match (i == last, up_to) {
            (true, Some(_)) => return Err(t.err("up_to_wan", "the last tier has no bound: it covers everything above")),
            (false, None) => return Err(t.err("up_to_wan", "missing: only the last tier is unbounded")),
            _ => {}
        }
        if let (Some(prev), Some(cur)) = (tiers.last().and_then(|p: &Tier| p.up_to), up_to) {
            if cur <= prev {
                return Err(t.err("up_to_wan", format!("must be above the previous tier's {}", prev.wan())));
            }
        }
        if up_to == Some(crate::money::Fen::ZERO) {
            return Err(t.err("up_to_wan", "must be above 0"));
        }
        tiers.push(Tier { up_to, rate_percent });
    }
    let pure_theory_percent = ind_node.opt_uint("pure_theory_percent")?;
    if let Some(p) = pure_theory_percent {
        let top_rate = tiers.iter().map(|t| t.rate_percent).max().unwrap_or(0);
        if p > 100 || p < top_rate {
            return Err(
                ind_node.err("pure_theory_percent", format!("must be between the top tier rate {top_rate} and 100"))
            );
        }
    }

    let challenge = match top.opt_child("challenge")? {
        None => ChallengeRule { fixed_funding: false, negative_list: Vec::new() },
        Some(ch) => {
            let c = Node::new(file, "challenge", ch.node().table);
            c.only(&["fixed_funding", "negative_list"])?;
            let mut negative_list = Vec::new();
            for item in c.list("negative_list")? {
                let item = item.node();
                item.only(&["zh", "en"])?;
                negative_list.push(Bilingual::new(item.text("zh")?, item.text("en")?));
            }
            ChallengeRule { fixed_funding: c.bool_or("fixed_funding", false)?, negative_list }
        }
    };

    Ok(BudgetSchema {
        code,
        version,
        name,
        source,
        categories,
        indirect: IndirectRule { tiers, pure_theory_percent },
        equipment_detail_threshold,
        challenge,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CoreError;

    fn place(e: CoreError) -> (String, String, String) {
        match e {
            CoreError::SeedMalformed { file, entry, field, .. } => (file, entry, field),
            other => panic!("expected a malformed seed, got {other:?}"),
        }
    }

    #[test]
    fn the_shipped_schemas_parse() {
        let all = super::super::embedded_schemas().unwrap();
        assert_eq!(all.len(), 2);
        for s in &all {
            assert!(s.categories.iter().any(|c| c.equipment_purchase), "{}", s.code);
        }
    }

    #[test]
    fn a_malformed_copy_is_refused_naming_file_entry_and_field() {
        let (file, text) = super::super::EMBEDDED_SCHEMAS[0];
        let cases = [
            (text.replacen("rate_percent = 25", "rate_percent = 125", 1), "indirect", "tiers[1].rate_percent"),
            (text.replacen("up_to_wan = 1000", "up_to_wan = 400", 1), "indirect", "tiers[1].up_to_wan"),
            (text.replacen("parent = \"direct\"", "parent = \"nowhere\"", 1), "category equipment", "parent"),
            (text.replacen("name_en = \"Labour\"", "name_en = \"\"", 1), "category labour", "name_en"),
            (
                text.replacen("equipment_detail_threshold_wan = 50", "equipment_detail_threshold_wan = -50", 1),
                "(file)",
                "equipment_detail_threshold_wan",
            ),
            (text.replacen("kind = \"indirect\"", "kind = \"overhead\"", 1), "category indirect", "kind"),
            (text.replacen("code = \"labour\"", "code = \"labour\"\ncolour = \"red\"", 1), "category labour", "colour"),
            (text.replacen("[indirect]", "[indirect", 1), "(file)", "(syntax)"),
        ];
        for (bad, entry, field) in cases {
            assert_ne!(bad, text, "the replacement must change the file ({entry} {field})");
            let e = parse_schema(file, &bad).unwrap_err();
            assert_eq!(place(e), (file.to_string(), entry.to_string(), field.to_string()));
        }
    }
}
