//! The plan's catalog as stored: programmes (专栏19) with their targets, and the plan-level
//! indicators of 专栏1 with the table's footnotes. Seeds are parsed and checked in the core; this
//! module only persists and reads them back, keyed by their stable codes.

use crate::{Reader, Result, Writer};
use rusqlite::params;
use serde::{Deserialize, Serialize};

/// One 科技重大专项 of 专栏19.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Programme {
    /// Stable code, ZX01–ZX08 in the order of 专栏19.
    pub code: String,
    pub seq: u32,
    /// The plan's name, with 专项 (平安西藏专项).
    pub name: String,
    /// The name without 专项 (平安西藏).
    pub short_name: String,
    /// What the programme focuses on (重点开展 …).
    pub focus: String,
    /// Where in the plan it is printed.
    pub source: String,
    pub targets: Vec<ProgrammeTarget>,
}

/// A quantified target of a programme, e.g. 培育作物和畜牧新品种（系）10-15个.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct ProgrammeTarget {
    /// Stable code, `ZXnn-Tm`.
    pub code: String,
    pub seq: u32,
    pub indicator: String,
    /// A single printed number ("1家") has `min == max`.
    pub min: u32,
    pub max: u32,
    /// 项, 个 or 家.
    pub unit: String,
    /// The figure exactly as the plan prints it ("10-15个").
    pub printed: String,
}

/// One row of 专栏1, each figure kept as printed and parsed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct PlanIndicator {
    /// Stable code, P01–P08 in the order of 专栏1.
    pub code: String,
    pub seq: u32,
    /// The indicator's name without the unit in brackets.
    pub name: String,
    /// The unit printed in the indicator's heading, e.g. `%` in 研发经费投入年均增长率(%).
    pub unit: String,
    /// 预期性 or 约束性.
    pub attribute: String,
    /// The 2020 column (for some rows data of another year, see `year` and `note`).
    pub baseline: PlanIndicatorFigure,
    /// The 2025 column.
    pub target: PlanIndicatorFigure,
    /// The 年均/累计 column.
    pub change: PlanIndicatorChange,
}

/// A figure of 专栏1 as printed and as a number with its own unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct PlanIndicatorFigure {
    pub printed: String,
    pub value: f64,
    pub unit: String,
    /// The year the figure is for (row 5's 2020 column holds 2019 data).
    pub year: u32,
    /// The footnote that applies to this figure, if any.
    pub note: Option<String>,
}

/// The third figure of a 专栏1 row: a yearly average or a cumulative total over 2021–2025.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct PlanIndicatorChange {
    pub printed: String,
    pub value: f64,
    pub unit: String,
    pub kind: ChangeKind,
    pub comparator: Comparator,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// 年均: a yearly average.
    YearlyAverage,
    /// 累计 (printed in [ ]): the total over the 14th Five-Year period.
    Cumulative,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub enum Comparator {
    /// The figure is the expected value.
    #[serde(rename = "=")]
    Equal,
    /// Printed with ≥: the figure is a minimum.
    #[serde(rename = ">=")]
    AtLeast,
}

/// A footnote of the 专栏1 table, by its number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct PlanFootnote {
    pub seq: u32,
    /// The mark it explains in the table (`*`, `[]`).
    pub mark: String,
    pub text: String,
}

/// The whole catalog.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specta::Type)]
pub struct Catalog {
    pub programmes: Vec<Programme>,
    pub plan_indicators: Vec<PlanIndicator>,
    pub plan_footnotes: Vec<PlanFootnote>,
}

impl ChangeKind {
    fn as_sql(self) -> &'static str {
        match self {
            ChangeKind::YearlyAverage => "yearly_average",
            ChangeKind::Cumulative => "cumulative",
        }
    }
    fn from_sql(s: &str) -> rusqlite::Result<Self> {
        match s {
            "yearly_average" => Ok(ChangeKind::YearlyAverage),
            "cumulative" => Ok(ChangeKind::Cumulative),
            other => Err(bad_text("change_kind", other)),
        }
    }
}

impl Comparator {
    fn as_sql(self) -> &'static str {
        match self {
            Comparator::Equal => "=",
            Comparator::AtLeast => ">=",
        }
    }
    fn from_sql(s: &str) -> rusqlite::Result<Self> {
        match s {
            "=" => Ok(Comparator::Equal),
            ">=" => Ok(Comparator::AtLeast),
            other => Err(bad_text("change_comparator", other)),
        }
    }
}

fn bad_text(column: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("unexpected {column} value {value:?}").into(),
    )
}

impl Writer<'_> {
    /// Writes the catalog, replacing entries with the same codes. Writing the same catalog twice
    /// leaves the database unchanged, so seeding is idempotent.
    pub fn catalog_upsert(&self, catalog: &Catalog) -> Result<()> {
        let mut programme = self.tx.prepare_cached(
            "INSERT INTO programme (code, seq, name, short_name, focus, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT(code) DO UPDATE SET seq = excluded.seq, name = excluded.name,
               short_name = excluded.short_name, focus = excluded.focus, source = excluded.source",
        )?;
        let mut target = self.tx.prepare_cached(
            "INSERT INTO programme_target (code, programme_code, seq, indicator, min_value, max_value, unit, printed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT(code) DO UPDATE SET programme_code = excluded.programme_code, seq = excluded.seq,
               indicator = excluded.indicator, min_value = excluded.min_value, max_value = excluded.max_value,
               unit = excluded.unit, printed = excluded.printed",
        )?;
        for p in &catalog.programmes {
            programme.execute(params![p.code, p.seq, p.name, p.short_name, p.focus, p.source])?;
            for t in &p.targets {
                target.execute(params![t.code, p.code, t.seq, t.indicator, t.min, t.max, t.unit, t.printed])?;
            }
        }
        let mut indicator = self.tx.prepare_cached(
            "INSERT INTO plan_indicator (code, seq, name, unit, attribute,
               baseline_printed, baseline_value, baseline_unit, baseline_year, baseline_note,
               target_printed, target_value, target_unit, target_year, target_note,
               change_printed, change_value, change_unit, change_kind, change_comparator)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)
             ON CONFLICT(code) DO UPDATE SET seq = excluded.seq, name = excluded.name, unit = excluded.unit,
               attribute = excluded.attribute,
               baseline_printed = excluded.baseline_printed, baseline_value = excluded.baseline_value,
               baseline_unit = excluded.baseline_unit, baseline_year = excluded.baseline_year,
               baseline_note = excluded.baseline_note,
               target_printed = excluded.target_printed, target_value = excluded.target_value,
               target_unit = excluded.target_unit, target_year = excluded.target_year,
               target_note = excluded.target_note,
               change_printed = excluded.change_printed, change_value = excluded.change_value,
               change_unit = excluded.change_unit, change_kind = excluded.change_kind,
               change_comparator = excluded.change_comparator",
        )?;
        for i in &catalog.plan_indicators {
            indicator.execute(params![
                i.code,
                i.seq,
                i.name,
                i.unit,
                i.attribute,
                i.baseline.printed,
                i.baseline.value,
                i.baseline.unit,
                i.baseline.year,
                i.baseline.note,
                i.target.printed,
                i.target.value,
                i.target.unit,
                i.target.year,
                i.target.note,
                i.change.printed,
                i.change.value,
                i.change.unit,
                i.change.kind.as_sql(),
                i.change.comparator.as_sql(),
            ])?;
        }
        let mut footnote = self.tx.prepare_cached(
            "INSERT INTO plan_footnote (seq, mark, text) VALUES (?1, ?2, ?3)
             ON CONFLICT(seq) DO UPDATE SET mark = excluded.mark, text = excluded.text",
        )?;
        for f in &catalog.plan_footnotes {
            footnote.execute(params![f.seq, f.mark, f.text])?;
        }
        Ok(())
    }
}

impl Reader<'_> {
    /// The whole catalog in plan order.
    pub fn catalog(&self) -> Result<Catalog> {
        let mut targets_of = self.tx.prepare_cached(
            "SELECT code, seq, indicator, min_value, max_value, unit, printed
             FROM programme_target WHERE programme_code = ?1 ORDER BY seq",
        )?;
        let mut programmes = Vec::new();
        let mut stmt =
            self.tx.prepare_cached("SELECT code, seq, name, short_name, focus, source FROM programme ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let code: String = r.get(0)?;
            let targets = targets_of
                .query_map([&code], |t| {
                    Ok(ProgrammeTarget {
                        code: t.get(0)?,
                        seq: t.get(1)?,
                        indicator: t.get(2)?,
                        min: t.get(3)?,
                        max: t.get(4)?,
                        unit: t.get(5)?,
                        printed: t.get(6)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            programmes.push(Programme {
                code,
                seq: r.get(1)?,
                name: r.get(2)?,
                short_name: r.get(3)?,
                focus: r.get(4)?,
                source: r.get(5)?,
                targets,
            });
        }
        let plan_indicators = self
            .tx
            .prepare_cached(
                "SELECT code, seq, name, unit, attribute,
                   baseline_printed, baseline_value, baseline_unit, baseline_year, baseline_note,
                   target_printed, target_value, target_unit, target_year, target_note,
                   change_printed, change_value, change_unit, change_kind, change_comparator
                 FROM plan_indicator ORDER BY seq",
            )?
            .query_map([], |r| {
                Ok(PlanIndicator {
                    code: r.get(0)?,
                    seq: r.get(1)?,
                    name: r.get(2)?,
                    unit: r.get(3)?,
                    attribute: r.get(4)?,
                    baseline: PlanIndicatorFigure {
                        printed: r.get(5)?,
                        value: r.get(6)?,
                        unit: r.get(7)?,
                        year: r.get(8)?,
                        note: r.get(9)?,
                    },
                    target: PlanIndicatorFigure {
                        printed: r.get(10)?,
                        value: r.get(11)?,
                        unit: r.get(12)?,
                        year: r.get(13)?,
                        note: r.get(14)?,
                    },
                    change: PlanIndicatorChange {
                        printed: r.get(15)?,
                        value: r.get(16)?,
                        unit: r.get(17)?,
                        kind: ChangeKind::from_sql(&r.get::<_, String>(18)?)?,
                        comparator: Comparator::from_sql(&r.get::<_, String>(19)?)?,
                    },
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let plan_footnotes = self
            .tx
            .prepare_cached("SELECT seq, mark, text FROM plan_footnote ORDER BY seq")?
            .query_map([], |r| Ok(PlanFootnote { seq: r.get(0)?, mark: r.get(1)?, text: r.get(2)? }))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(Catalog { programmes, plan_indicators, plan_footnotes })
    }

    /// Whether any programme is stored yet (a workspace is seeded on first start).
    pub fn catalog_is_empty(&self) -> Result<bool> {
        Ok(self.tx.query_row("SELECT NOT EXISTS (SELECT 1 FROM programme)", [], |r| r.get(0))?)
    }
}
