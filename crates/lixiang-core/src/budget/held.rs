//! The budget schemas a workspace holds: those shipped in the program ([`super::embedded_schemas`]) and
//! those stored in the workspace (added by the office from a schema file, or received inside a call
//! package). A call names its schema by code and version; [`find`] is the one place that turns that name
//! into the rules every budget check and the editor's live cap use.
//!
//! A schema is versioned data: one (code, version) has one content for ever, identified by
//! [`content_sha256`]. A second content under a code and version already held (stored or shipped) is
//! refused ([`CoreError::BudgetSchemaConflict`]) wherever it comes from, so that an office and its
//! applicants can never compute a cap under two different rules that carry the same name.
//!
//! This module owns holding and resolving schemas; the arithmetic is [`super`]'s, the SQL the store's.

use super::{embedded_schemas, seed, BudgetSchema, CostKind, SchemaRef};
use crate::audit::record_sha256;
use crate::lang::Bilingual;
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{AuditAction, AuditEvent, BudgetSchemaRow};
use serde::Serialize;
use std::path::Path;

/// SHA-256 (hex) of the schema's canonical JSON (RFC 8785): the same on every machine for the same rules,
/// whatever the order or spacing of the file they were read from.
pub fn content_sha256(schema: &BudgetSchema) -> String {
    record_sha256(schema).expect("a budget schema serialises")
}

/// Where a held schema comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// Shipped in the program (`seeds/budget/`).
    Shipped,
    /// Added in this workspace from a schema file.
    Own,
    /// Received inside the call package with this id.
    Package(String),
}

impl Origin {
    fn of_row(origin: &str) -> Origin {
        if origin == "own" {
            Origin::Own
        } else {
            Origin::Package(origin.to_string())
        }
    }

    /// For messages: 程序自带 / 本机添加 / 随指南文件包 ….
    pub fn describe(&self) -> String {
        match self {
            Origin::Shipped => "程序自带 / shipped".into(),
            Origin::Own => "本机添加 / added here".into(),
            Origin::Package(id) => format!("随文件包 {id} 收到 / received with package {id}"),
        }
    }
}

/// A schema this workspace holds, with its hash and origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    pub schema: BudgetSchema,
    pub sha256: String,
    pub origin: Origin,
}

/// A held schema as `lixiang budget list` prints it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct HeldSummary {
    pub code: String,
    pub version: u32,
    pub name_zh: String,
    pub name_en: String,
    pub sha256: String,
    pub origin: Origin,
}

fn of_row(row: &BudgetSchemaRow) -> Result<Held> {
    let schema: BudgetSchema = serde_json::from_str(&row.body).map_err(|e| CoreError::Validation {
        field: format!("budget schema {} v{}", row.code, row.version),
        reason: format!("stored schema unreadable: {e}"),
    })?;
    Ok(Held { schema, sha256: row.sha256.clone(), origin: Origin::of_row(&row.origin) })
}

fn shipped(reference: &SchemaRef) -> Result<Option<Held>> {
    Ok(embedded_schemas()?.into_iter().find(|s| &s.reference() == reference).map(|schema| Held {
        sha256: content_sha256(&schema),
        schema,
        origin: Origin::Shipped,
    }))
}

/// The schema named `reference` as this workspace holds it: stored first (what this workspace's calls
/// were made or received under), else shipped. `None` when neither holds it.
pub fn find(ws: &mut Workspace, reference: &SchemaRef) -> Result<Option<Held>> {
    let row = ws.store.read(|r| r.budget_schema(&reference.code, reference.version))?;
    find_in(row, reference)
}

fn find_in(row: Option<BudgetSchemaRow>, reference: &SchemaRef) -> Result<Option<Held>> {
    match row {
        Some(row) => of_row(&row).map(Some),
        None => shipped(reference),
    }
}

/// Every schema held: shipped ones, then stored ones, each by code and version.
pub fn list(ws: &mut Workspace) -> Result<Vec<HeldSummary>> {
    let rows = ws.store.read(|r| r.budget_schemas())?;
    let mut out: Vec<Held> = embedded_schemas()?
        .into_iter()
        .map(|schema| Held { sha256: content_sha256(&schema), schema, origin: Origin::Shipped })
        .collect();
    for row in &rows {
        out.push(of_row(row)?);
    }
    Ok(out
        .into_iter()
        .map(|h| HeldSummary {
            code: h.schema.code.clone(),
            version: h.schema.version,
            name_zh: h.schema.name.zh.clone(),
            name_en: h.schema.name.en.clone(),
            sha256: h.sha256,
            origin: h.origin,
        })
        .collect())
}

/// One category of a held schema as the window lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct CategoryDetail {
    pub code: String,
    pub name: Bilingual,
    pub kind: CostKind,
    pub parent: Option<String>,
    /// Nesting below the roots (0 for 直接费用 / 间接费用), for indenting.
    pub depth: u32,
    /// Holds amounts (no children); a category with children is a subtotal.
    pub leaf: bool,
    pub equipment: bool,
    pub equipment_purchase: bool,
}

/// One tier of the indirect cap: the part of (direct − equipment purchase) from `from_wan` up to `up_to_wan`
/// (none for the last, unbounded tier) carries at most `rate_percent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct TierDetail {
    pub from_wan: String,
    pub up_to_wan: Option<String>,
    pub rate_percent: u32,
}

/// A held schema opened in the window: everything its budgets follow, amounts in 万元 as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct SchemaDetail {
    pub code: String,
    pub version: u32,
    pub name: Bilingual,
    pub source: String,
    pub sha256: String,
    pub origin: Origin,
    pub categories: Vec<CategoryDetail>,
    pub tiers: Vec<TierDetail>,
    pub pure_theory_percent: Option<u32>,
    pub equipment_detail_threshold_wan: String,
    /// 揭榜挂帅: the fiscal funding requested must equal the call's fixed funding.
    pub challenge_fixed_funding: bool,
    pub challenge_negative_list: Vec<Bilingual>,
}

impl SchemaDetail {
    fn of(h: Held) -> SchemaDetail {
        let s = &h.schema;
        let categories = s
            .categories
            .iter()
            .map(|c| CategoryDetail {
                code: c.code.clone(),
                name: c.name.clone(),
                kind: c.kind,
                parent: c.parent.clone(),
                depth: u32::try_from(s.lineage(&c.code).len().saturating_sub(1)).unwrap_or(u32::MAX),
                leaf: s.is_leaf(&c.code),
                equipment: c.equipment,
                equipment_purchase: c.equipment_purchase,
            })
            .collect();
        let mut from = super::Fen::ZERO;
        let mut tiers = Vec::new();
        for t in &s.indirect.tiers {
            tiers.push(TierDetail {
                from_wan: from.wan(),
                up_to_wan: t.up_to.map(|u| u.wan()),
                rate_percent: t.rate_percent,
            });
            from = t.up_to.unwrap_or(from);
        }
        SchemaDetail {
            code: s.code.clone(),
            version: s.version,
            name: s.name.clone(),
            source: s.source.clone(),
            categories,
            tiers,
            pure_theory_percent: s.indirect.pure_theory_percent,
            equipment_detail_threshold_wan: s.equipment_detail_threshold.wan(),
            challenge_fixed_funding: s.challenge.fixed_funding,
            challenge_negative_list: s.challenge.negative_list.clone(),
            sha256: h.sha256,
            origin: h.origin,
        }
    }
}

/// The schema `code` v`version` as this workspace holds it, opened for reading; [`CoreError::NotFound`]
/// when it holds no such schema.
pub fn detail(ws: &mut Workspace, code: &str, version: u32) -> Result<SchemaDetail> {
    let reference = SchemaRef { code: code.to_string(), version };
    find(ws, &reference)?
        .map(SchemaDetail::of)
        .ok_or_else(|| CoreError::NotFound {
            what: "经费预算规则 / budget schema".into(), key: reference.to_string()
        })
}

/// What to do with a schema that arrives (from a file or a package), decided against what is held.
pub(crate) enum Arrival {
    /// The same content is held already: nothing to write.
    Held,
    /// Not held: store this row.
    New(BudgetSchemaRow),
}

/// Decides what to do with `schema` arriving from `file` (named in messages) with `origin` (`own` or a
/// package id): refused when its code and version are held with another content.
pub(crate) fn arrive(held: Option<Held>, schema: &BudgetSchema, file: &str, origin: &str) -> Result<Arrival> {
    let sha256 = content_sha256(schema);
    match held {
        Some(h) if h.sha256 == sha256 => Ok(Arrival::Held),
        Some(h) => Err(CoreError::BudgetSchemaConflict {
            file: file.to_string(),
            schema: schema.reference().to_string(),
            incoming: sha256,
            held: h.sha256,
            held_from: h.origin.describe(),
        }),
        None => Ok(Arrival::New(BudgetSchemaRow {
            code: schema.code.clone(),
            version: schema.version,
            body: serde_json::to_string(schema).expect("a budget schema serialises"),
            sha256,
            origin: origin.to_string(),
            added_at: crate::identity::now(),
        })),
    }
}

/// What [`add_file`] did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Added {
    pub code: String,
    pub version: u32,
    pub sha256: String,
    /// False when the same schema was held already (nothing written).
    pub added: bool,
}

/// Adds the schema in `path` (the seed format of `seeds/budget/`, see `seeds/README.md`) to this
/// workspace, so the office can publish calls under it; audited. The same content twice is a no-op; another
/// content under a code and version held is refused with [`CoreError::BudgetSchemaConflict`].
pub fn add_file(ws: &mut Workspace, path: &Path) -> Result<Added> {
    let text =
        std::fs::read_to_string(path).map_err(|source| CoreError::WorkspaceIo { path: path.to_path_buf(), source })?;
    let file = path.display().to_string();
    let schema = seed::parse_schema(&file, &text)?;
    let held = find(ws, &schema.reference())?;
    let row = match arrive(held, &schema, &file, "own")? {
        Arrival::Held => {
            return Ok(Added {
                code: schema.code.clone(),
                version: schema.version,
                sha256: content_sha256(&schema),
                added: false,
            })
        }
        Arrival::New(row) => row,
    };
    let event = AuditEvent::new(
        AuditAction::Import,
        "budget_schema",
        format!("{}@v{}", row.code, row.version),
        row.sha256.clone(),
    );
    ws.store.write(event, |w| w.budget_schema_put(&row))?;
    Ok(Added { code: row.code, version: row.version, sha256: row.sha256, added: true })
}

/// The rules a schema read from JSON (a call package) must keep, as [`seed::parse_schema`] enforces them
/// on files: a valid code and version, parents listed before their children with the same kind, equipment
/// only on direct leaves, a direct and an indirect leaf, tiers rising with only the last unbounded, rates
/// at most 100 %. Returns what is wrong, for the package's refusal.
pub fn check_structure(s: &BudgetSchema) -> std::result::Result<(), String> {
    if !seed::is_code(&s.code) || s.version == 0 {
        return Err(format!("code {} / version {} not valid", s.code, s.version));
    }
    let mut seen: Vec<&super::Category> = Vec::new();
    for c in &s.categories {
        if !seed::is_code(&c.code) || seen.iter().any(|p| p.code == c.code) {
            return Err(format!("category {}: code not valid or repeated", c.code));
        }
        if let Some(p) = &c.parent {
            match seen.iter().find(|q| &q.code == p) {
                Some(q) if q.kind == c.kind && !q.equipment => {}
                _ => return Err(format!("category {}: parent {p} not listed above it, or of another kind", c.code)),
            }
        }
        if (c.equipment_purchase && !c.equipment) || (c.equipment && c.kind == CostKind::Indirect) {
            return Err(format!("category {}: equipment flags", c.code));
        }
        seen.push(c);
    }
    if s.categories.iter().any(|c| c.equipment && !s.is_leaf(&c.code)) {
        return Err("an equipment category has children".into());
    }
    for kind in [CostKind::Direct, CostKind::Indirect] {
        if !s.leaves().any(|c| c.kind == kind) {
            return Err(format!("no {kind:?} category to enter amounts on"));
        }
    }
    let tiers = &s.indirect.tiers;
    let Some(last) = tiers.last() else { return Err("indirect: no tiers".into()) };
    if last.up_to.is_some() || tiers[..tiers.len() - 1].iter().any(|t| t.up_to.is_none()) {
        return Err("indirect: only the last tier is unbounded".into());
    }
    let bounds: Vec<u64> = tiers.iter().filter_map(|t| t.up_to.map(|f| f.get())).collect();
    if bounds.first() == Some(&0) || bounds.windows(2).any(|w| w[1] <= w[0]) {
        return Err("indirect: tier bounds must rise from above 0".into());
    }
    if tiers.iter().any(|t| t.rate_percent > 100) || s.indirect.pure_theory_percent.is_some_and(|p| p > 100) {
        return Err("indirect: a rate above 100%".into());
    }
    if s.equipment_detail_threshold.get() == 0 {
        return Err("equipment_detail_threshold: must be above 0".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_schemas_keep_their_structure_and_a_broken_copy_does_not() {
        for s in embedded_schemas().unwrap() {
            check_structure(&s).unwrap();
            assert_eq!(content_sha256(&s).len(), 64);
        }
        let good = embedded_schemas().unwrap().remove(0);
        let mut rising = good.clone();
        rising.indirect.tiers.swap(0, 1);
        let mut orphan = good.clone();
        orphan.categories.swap(0, 1);
        let mut rate = good.clone();
        rate.indirect.tiers[0].rate_percent = 101;
        for bad in [rising, orphan, rate] {
            assert!(check_structure(&bad).is_err());
            assert_ne!(content_sha256(&bad), content_sha256(&good), "another content has another hash");
        }
    }

    #[test]
    fn a_schema_opens_with_its_tiers_threshold_and_origin_and_an_unknown_one_is_not_found() {
        let tmp = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(&tmp.path().join("ws")).unwrap();
        let central = detail(&mut ws, "central-2021", 1).unwrap();
        assert_eq!(central.origin, Origin::Shipped);
        let tiers: Vec<_> =
            central.tiers.iter().map(|t| (t.from_wan.as_str(), t.up_to_wan.as_deref(), t.rate_percent)).collect();
        assert_eq!(
            tiers,
            [("0.0000", Some("500.0000"), 30), ("500.0000", Some("1,000.0000"), 25), ("1,000.0000", None, 20)]
        );
        assert_eq!(central.equipment_detail_threshold_wan, "50.0000");
        let purchase = central.categories.iter().find(|c| c.code == "equipment_purchase").unwrap();
        assert_eq!((purchase.parent.as_deref(), purchase.depth, purchase.leaf), (Some("equipment"), 2, true));
        assert!(!central.categories.iter().find(|c| c.code == "direct").unwrap().leaf);

        let text = super::super::EMBEDDED_SCHEMAS[0]
            .1
            .replacen("code = \"central-2021\"", "code = \"pilot-2027\"", 1)
            .replacen("rate_percent = 30", "rate_percent = 17", 1);
        let file = tmp.path().join("pilot.toml");
        std::fs::write(&file, text).unwrap();
        assert!(matches!(detail(&mut ws, "pilot-2027", 1), Err(CoreError::NotFound { .. })));
        assert!(add_file(&mut ws, &file).unwrap().added);
        let pilot = detail(&mut ws, "pilot-2027", 1).unwrap();
        assert_eq!((pilot.origin, pilot.tiers[0].rate_percent), (Origin::Own, 17));
        assert_eq!(pilot.sha256, list(&mut ws).unwrap().iter().find(|s| s.code == "pilot-2027").unwrap().sha256);
    }
}
