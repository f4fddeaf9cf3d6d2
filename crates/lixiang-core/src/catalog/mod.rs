//! The plan's catalog: the eight 科技重大专项 of 专栏19 with their quantified targets, and the eight
//! plan-level indicators of 专栏1. The data is in `seeds/catalog/` (compiled into the program) and is
//! checked by [`seed`] when loaded; the records themselves are the store's.

pub mod seed;

pub use lixiang_store::{
    Catalog, ChangeKind, Comparator, PlanFootnote, PlanIndicator, PlanIndicatorChange, PlanIndicatorFigure, Programme,
    ProgrammeTarget,
};

use crate::{Result, Workspace};
use lixiang_store::Unaudited;

/// The catalog seed files shipped inside the program: (file name as shown in messages, contents).
pub const EMBEDDED_PROGRAMMES: (&str, &str) =
    ("seeds/catalog/programmes.toml", include_str!("../../../../seeds/catalog/programmes.toml"));
pub const EMBEDDED_PLAN_INDICATORS: (&str, &str) =
    ("seeds/catalog/plan_indicators.toml", include_str!("../../../../seeds/catalog/plan_indicators.toml"));

/// The catalog shipped with the program, parsed and checked.
pub fn embedded() -> Result<Catalog> {
    seed::parse_catalog(EMBEDDED_PROGRAMMES, EMBEDDED_PLAN_INDICATORS)
}

/// Writes `catalog` into the workspace in one transaction. Idempotent: entries are keyed by their
/// stable codes, so loading the same seeds again changes nothing.
pub fn load(ws: &mut Workspace, catalog: &Catalog) -> Result<()> {
    ws.store.write_unaudited(Unaudited::CatalogSeed, |w| Ok(w.catalog_upsert(catalog)?))
}

/// The catalog as the workspace holds it, in plan order.
pub fn get(ws: &mut Workspace) -> Result<Catalog> {
    ws.store.read(|r| Ok(r.catalog()?))
}
