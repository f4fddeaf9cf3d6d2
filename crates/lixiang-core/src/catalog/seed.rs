//! Reading and checking the catalog seed files (format in `seeds/README.md`).
//!
//! A seed is data a person transcribed from the plan, so every entry is checked against the rules
//! that the printed plan obeys — codes in order, units the plan uses, the printed figure agreeing with
//! the parsed numbers — and a malformed file is refused as a whole, naming the file, the entry and
//! the field. Unknown fields are refused too, so that a typo never silently drops data.

use super::{
    Catalog, ChangeKind, Comparator, PlanFootnote, PlanIndicator, PlanIndicatorChange, PlanIndicatorFigure, Programme,
    ProgrammeTarget,
};
use crate::{CoreError, Result};
use toml::{Table, Value};

/// The units the quantified targets of 专栏19 are counted in.
pub const TARGET_UNITS: &[&str] = &["项", "个", "家"];
/// The attribute column of 专栏1.
pub const INDICATOR_ATTRIBUTES: &[&str] = &["预期性", "约束性"];

/// Parses both catalog files, given as (file name, contents).
pub fn parse_catalog(programmes: (&str, &str), plan_indicators: (&str, &str)) -> Result<Catalog> {
    let programmes = parse_programmes(programmes.0, programmes.1)?;
    let (plan_indicators, plan_footnotes) = parse_plan_indicators(plan_indicators.0, plan_indicators.1)?;
    Ok(Catalog { programmes, plan_indicators, plan_footnotes })
}

/// Where in a file a value is: used to build the error that names file, entry and field.
struct Ctx<'a> {
    file: &'a str,
    entry: String,
}

impl Ctx<'_> {
    fn err(&self, field: &str, reason: impl Into<String>) -> CoreError {
        CoreError::SeedMalformed {
            file: self.file.to_string(),
            entry: self.entry.clone(),
            field: field.to_string(),
            reason: reason.into(),
        }
    }

    fn only_fields(&self, t: &Table, allowed: &[&str]) -> Result<()> {
        match t.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(k) => Err(self.err(k, format!("unknown field (allowed: {})", allowed.join(", ")))),
            None => Ok(()),
        }
    }

    fn text(&self, t: &Table, field: &str) -> Result<String> {
        match t.get(field) {
            None => Err(self.err(field, "missing")),
            Some(Value::String(s)) if s.trim().is_empty() => Err(self.err(field, "empty")),
            Some(Value::String(s)) if s.trim() != s => Err(self.err(field, "leading or trailing whitespace")),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(self.err(field, "must be a string")),
        }
    }

    fn opt_text(&self, t: &Table, field: &str) -> Result<Option<String>> {
        if t.contains_key(field) {
            self.text(t, field).map(Some)
        } else {
            Ok(None)
        }
    }

    fn count(&self, t: &Table, field: &str) -> Result<u32> {
        match t.get(field) {
            None => Err(self.err(field, "missing")),
            Some(Value::Integer(n)) if *n >= 0 && *n <= i64::from(u32::MAX) => Ok(*n as u32),
            Some(Value::Integer(_)) => Err(self.err(field, "out of range")),
            Some(_) => Err(self.err(field, "must be a whole number")),
        }
    }

    fn number(&self, t: &Table, field: &str) -> Result<f64> {
        match t.get(field) {
            None => Err(self.err(field, "missing")),
            Some(Value::Integer(n)) => Ok(*n as f64),
            Some(Value::Float(x)) if x.is_finite() => Ok(*x),
            Some(_) => Err(self.err(field, "must be a number")),
        }
    }

    fn table<'t>(&self, t: &'t Table, field: &str) -> Result<&'t Table> {
        match t.get(field) {
            None => Err(self.err(field, "missing")),
            Some(Value::Table(inner)) => Ok(inner),
            Some(_) => Err(self.err(field, "must be a table")),
        }
    }

    fn array<'t>(&self, t: &'t Table, field: &str) -> Result<&'t Vec<Value>> {
        match t.get(field) {
            None => Err(self.err(field, "missing")),
            Some(Value::Array(a)) if a.is_empty() => Err(self.err(field, "empty")),
            Some(Value::Array(a)) => Ok(a),
            Some(_) => Err(self.err(field, "must be an array")),
        }
    }
}

fn parse_file(file: &str, text: &str) -> Result<Table> {
    text.parse::<Table>().map_err(|e| CoreError::SeedMalformed {
        file: file.to_string(),
        entry: "(file)".into(),
        field: "(syntax)".into(),
        reason: e.to_string().trim().replace('\n', " "),
    })
}

fn entries<'t>(file: &str, root: &'t Table, key: &str) -> Result<Vec<&'t Table>> {
    let top = Ctx { file, entry: "(file)".into() };
    top.array(root, key)?
        .iter()
        .enumerate()
        .map(|(i, v)| v.as_table().ok_or_else(|| top.err(&format!("{key}[{}]", i + 1), "must be a table")))
        .collect()
}

/// Parses `programmes.toml`: the programmes of 专栏19 in order, each with its targets.
pub fn parse_programmes(file: &str, text: &str) -> Result<Vec<Programme>> {
    let root = parse_file(file, text)?;
    Ctx { file, entry: "(file)".into() }.only_fields(&root, &["programme"])?;
    let mut programmes = Vec::new();
    for (i, t) in entries(file, &root, "programme")?.into_iter().enumerate() {
        let seq = i as u32 + 1;
        let expected_code = format!("ZX{seq:02}");
        let ctx = Ctx { file, entry: format!("programme[{seq}]") };
        ctx.only_fields(t, &["code", "name", "short_name", "source", "focus", "targets"])?;
        let code = ctx.text(t, "code")?;
        let ctx = Ctx { file, entry: format!("programme {code}") };
        if code != expected_code {
            return Err(ctx.err("code", format!("expected {expected_code}: codes follow the order of 专栏19")));
        }
        let name = ctx.text(t, "name")?;
        let short_name = ctx.text(t, "short_name")?;
        if !name.ends_with("专项") {
            return Err(ctx.err("name", "a programme's name ends with 专项"));
        }
        if format!("{short_name}专项") != name {
            return Err(
                ctx.err("short_name", format!("must be the name without 专项 ({})", name.trim_end_matches("专项")))
            );
        }
        let source = ctx.text(t, "source")?;
        let focus = ctx.text(t, "focus")?;
        let mut targets = Vec::new();
        for (j, v) in ctx.array(t, "targets")?.iter().enumerate() {
            let tseq = j as u32 + 1;
            let Some(tt) = v.as_table() else {
                return Err(ctx.err(&format!("targets[{tseq}]"), "must be a table"));
            };
            targets.push(parse_target(file, &code, tseq, tt)?);
        }
        programmes.push(Programme { code, seq, name, short_name, focus, source, targets });
    }
    Ok(programmes)
}

fn parse_target(file: &str, programme: &str, seq: u32, t: &Table) -> Result<ProgrammeTarget> {
    let ctx = Ctx { file, entry: format!("programme {programme} target[{seq}]") };
    ctx.only_fields(t, &["code", "indicator", "min", "max", "unit", "printed"])?;
    let code = ctx.text(t, "code")?;
    let ctx = Ctx { file, entry: format!("target {code}") };
    let expected = format!("{programme}-T{seq}");
    if code != expected {
        return Err(ctx.err("code", format!("expected {expected}: targets are numbered in printed order")));
    }
    let indicator = ctx.text(t, "indicator")?;
    let min = ctx.count(t, "min")?;
    let max = ctx.count(t, "max")?;
    if min == 0 {
        return Err(ctx.err("min", "must be at least 1"));
    }
    if min > max {
        return Err(ctx.err("max", format!("{max} is below min {min}")));
    }
    let unit = ctx.text(t, "unit")?;
    if !TARGET_UNITS.contains(&unit.as_str()) {
        return Err(ctx.err("unit", format!("{unit} is not one of {}", TARGET_UNITS.join(" "))));
    }
    let printed = ctx.text(t, "printed")?;
    // The printed figure and the parsed numbers must tell the same story: "10-15个" or "1 家".
    let compact: String = printed.chars().filter(|c| !c.is_whitespace()).collect();
    let expected = if min == max { format!("{min}{unit}") } else { format!("{min}-{max}{unit}") };
    if compact != expected {
        return Err(ctx.err("printed", format!("{printed:?} does not agree with min, max and unit ({expected})")));
    }
    Ok(ProgrammeTarget { code, seq, indicator, min, max, unit, printed })
}

/// Parses `plan_indicators.toml`: the rows of 专栏1 in order, and the table's footnotes.
pub fn parse_plan_indicators(file: &str, text: &str) -> Result<(Vec<PlanIndicator>, Vec<PlanFootnote>)> {
    let root = parse_file(file, text)?;
    Ctx { file, entry: "(file)".into() }.only_fields(&root, &["indicator", "footnotes"])?;
    let mut footnotes = Vec::new();
    for (i, t) in entries(file, &root, "footnotes")?.into_iter().enumerate() {
        let ctx = Ctx { file, entry: format!("footnotes[{}]", i + 1) };
        ctx.only_fields(t, &["seq", "mark", "text"])?;
        let seq = ctx.count(t, "seq")?;
        if seq != i as u32 + 1 {
            return Err(ctx.err("seq", format!("expected {}", i + 1)));
        }
        footnotes.push(PlanFootnote { seq, mark: ctx.text(t, "mark")?, text: ctx.text(t, "text")? });
    }
    let mut indicators = Vec::new();
    for (i, t) in entries(file, &root, "indicator")?.into_iter().enumerate() {
        let seq = i as u32 + 1;
        let ctx = Ctx { file, entry: format!("indicator[{seq}]") };
        ctx.only_fields(t, &["code", "name", "unit", "attribute", "baseline", "target", "change"])?;
        let code = ctx.text(t, "code")?;
        let ctx = Ctx { file, entry: format!("indicator {code}") };
        let expected = format!("P{seq:02}");
        if code != expected {
            return Err(ctx.err("code", format!("expected {expected}: codes follow the rows of 专栏1")));
        }
        let name = ctx.text(t, "name")?;
        let unit = ctx.text(t, "unit")?;
        let attribute = ctx.text(t, "attribute")?;
        if !INDICATOR_ATTRIBUTES.contains(&attribute.as_str()) {
            return Err(ctx.err("attribute", format!("{attribute} is not one of {}", INDICATOR_ATTRIBUTES.join(" "))));
        }
        let baseline = parse_figure(&ctx, t, "baseline", &footnotes)?;
        let target = parse_figure(&ctx, t, "target", &footnotes)?;
        let change = parse_change(&ctx, t)?;
        indicators.push(PlanIndicator { code, seq, name, unit, attribute, baseline, target, change });
    }
    Ok((indicators, footnotes))
}

fn parse_figure(ctx: &Ctx, row: &Table, field: &str, footnotes: &[PlanFootnote]) -> Result<PlanIndicatorFigure> {
    let t = ctx.table(row, field)?;
    let sub = |f: &str| format!("{field}.{f}");
    let inner = Ctx { file: ctx.file, entry: ctx.entry.clone() };
    if let Some(k) = t.keys().find(|k| !["printed", "value", "unit", "year", "note"].contains(&k.as_str())) {
        return Err(inner.err(&sub(k), "unknown field (allowed: printed, value, unit, year, note)"));
    }
    let printed = inner.text(t, "printed").map_err(|e| rename_field(e, &sub("printed")))?;
    let value = inner.number(t, "value").map_err(|e| rename_field(e, &sub("value")))?;
    let unit = inner.text(t, "unit").map_err(|e| rename_field(e, &sub("unit")))?;
    let year = inner.count(t, "year").map_err(|e| rename_field(e, &sub("year")))?;
    let note = inner.opt_text(t, "note").map_err(|e| rename_field(e, &sub("note")))?;
    if !(2000..=2100).contains(&year) {
        return Err(inner.err(&sub("year"), format!("{year} is not a plausible year")));
    }
    // A footnote mark in the printed figure must come with that footnote's text, and only then.
    let mark_note = if printed.ends_with('*') {
        let f = footnotes.iter().find(|f| f.mark == "*");
        Some(f.ok_or_else(|| inner.err(&sub("printed"), "carries the mark * but the file has no footnote for it"))?)
    } else {
        None
    };
    match (&note, mark_note) {
        (None, Some(f)) => {
            return Err(inner.err(&sub("note"), format!("missing: the figure carries the mark {}", f.mark)))
        }
        (Some(n), Some(f)) if *n != f.text => {
            return Err(inner.err(&sub("note"), format!("must be the footnote's text {:?}", f.text)))
        }
        (Some(_), None) => return Err(inner.err(&sub("note"), "the printed figure carries no footnote mark")),
        _ => {}
    }
    let number = printed.trim_end_matches('*').trim_end_matches(unit.as_str());
    check_number(&inner, &sub("printed"), &printed, number, value)?;
    Ok(PlanIndicatorFigure { printed, value, unit, year, note })
}

fn parse_change(ctx: &Ctx, row: &Table) -> Result<PlanIndicatorChange> {
    let t = ctx.table(row, "change")?;
    let sub = |f: &str| format!("change.{f}");
    if let Some(k) = t.keys().find(|k| !["printed", "value", "unit", "kind", "comparator"].contains(&k.as_str())) {
        return Err(ctx.err(&sub(k), "unknown field (allowed: printed, value, unit, kind, comparator)"));
    }
    let printed = ctx.text(t, "printed").map_err(|e| rename_field(e, &sub("printed")))?;
    let value = ctx.number(t, "value").map_err(|e| rename_field(e, &sub("value")))?;
    let unit = ctx.text(t, "unit").map_err(|e| rename_field(e, &sub("unit")))?;
    let kind = match ctx.text(t, "kind").map_err(|e| rename_field(e, &sub("kind")))?.as_str() {
        "yearly_average" => ChangeKind::YearlyAverage,
        "cumulative" => ChangeKind::Cumulative,
        other => return Err(ctx.err(&sub("kind"), format!("{other} is not yearly_average or cumulative"))),
    };
    let comparator = match ctx.text(t, "comparator").map_err(|e| rename_field(e, &sub("comparator")))?.as_str() {
        "=" => Comparator::Equal,
        ">=" => Comparator::AtLeast,
        other => return Err(ctx.err(&sub("comparator"), format!("{other} is not = or >="))),
    };
    // In 专栏1 a cumulative figure is printed in [ ] and a minimum with ≥; the parsed fields must agree.
    let bracketed = printed.starts_with('[') && printed.ends_with(']');
    if bracketed != (kind == ChangeKind::Cumulative) {
        return Err(
            ctx.err(&sub("kind"), format!("{printed:?} is printed {} [ ]", if bracketed { "in" } else { "without" }))
        );
    }
    let at_least = printed.starts_with('≥');
    if at_least != (comparator == Comparator::AtLeast) {
        return Err(ctx.err(
            &sub("comparator"),
            format!("{printed:?} is printed {} ≥", if at_least { "with" } else { "without" }),
        ));
    }
    let number = printed.trim_start_matches('[').trim_end_matches(']').trim_start_matches('≥');
    check_number(ctx, &sub("printed"), &printed, number, value)?;
    Ok(PlanIndicatorChange { printed, value, unit, kind, comparator })
}

fn check_number(ctx: &Ctx, field: &str, printed: &str, number: &str, value: f64) -> Result<()> {
    match number.trim().parse::<f64>() {
        Ok(n) if n == value => Ok(()),
        Ok(n) => Err(ctx.err(field, format!("{printed:?} reads {n}, but value is {value}"))),
        Err(_) => Err(ctx.err(field, format!("{printed:?} is not a number with an optional unit or mark"))),
    }
}

fn rename_field(e: CoreError, field: &str) -> CoreError {
    match e {
        CoreError::SeedMalformed { file, entry, reason, .. } => {
            CoreError::SeedMalformed { file, entry, field: field.to_string(), reason }
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(e: CoreError) -> (String, String, String) {
        match e {
            CoreError::SeedMalformed { file, entry, field, .. } => (file, entry, field),
            other => panic!("expected a malformed seed, got {other:?}"),
        }
    }

    const ONE: &str = r#"
[[programme]]
code = "ZX01"
name = "平安西藏专项"
short_name = "平安西藏"
source = "专栏19 第1项"
focus = "重点开展……"
targets = [ { code = "ZX01-T1", indicator = "打造技术创新中心", min = 1, max = 2, unit = "家", printed = "1-2 家" } ]
"#;

    #[test]
    fn a_well_formed_programme_parses() {
        let p = parse_programmes("p.toml", ONE).unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].targets[0].min, 1);
        assert_eq!(p[0].targets[0].max, 2);
    }

    #[test]
    fn each_kind_of_damage_names_the_file_entry_and_field() {
        let cases = [
            (ONE.replace("\"ZX01\"", "\"ZX02\""), "programme ZX02", "code"),
            (ONE.replace("min = 1, max = 2", "min = 3, max = 2"), "target ZX01-T1", "max"),
            (ONE.replace("unit = \"家\"", "unit = \"台\""), "target ZX01-T1", "unit"),
            (ONE.replace("\"1-2 家\"", "\"1-3 家\""), "target ZX01-T1", "printed"),
            (ONE.replace("short_name = \"平安西藏\"", "short_name = \"平安\""), "programme ZX01", "short_name"),
            (ONE.replace("focus = \"重点开展……\"", "focus = \"\""), "programme ZX01", "focus"),
            (ONE.replace("focus =", "focuss ="), "programme[1]", "focuss"),
            (ONE.replace("min = 1,", "min = \"1\","), "target ZX01-T1", "min"),
            (ONE.replace("\"ZX01-T1\"", "\"ZX01-T2\""), "target ZX01-T2", "code"),
            (ONE.replace("[[programme]]", "[[programme]"), "(file)", "(syntax)"),
        ];
        for (text, entry, field) in cases {
            let e = parse_programmes("seeds/x.toml", &text).unwrap_err();
            assert_eq!(field_of(e), ("seeds/x.toml".into(), entry.into(), field.into()), "{text}");
        }
    }

    const ROW: &str = r#"
footnotes = [ { seq = 1, mark = "*", text = "*为2019年数据" } ]
[[indicator]]
code = "P01"
name = "研发人员全时当量"
unit = "人年"
attribute = "预期性"
baseline = { printed = "1751*", value = 1751, unit = "人年", year = 2019, note = "*为2019年数据" }
target = { printed = "7.1亿元", value = 7.1, unit = "亿元", year = 2025 }
change = { printed = "[2449]", value = 2449, unit = "人年", kind = "cumulative", comparator = "=" }
"#;

    #[test]
    fn a_well_formed_indicator_parses() {
        let (rows, notes) = parse_plan_indicators("i.toml", ROW).unwrap();
        assert_eq!(rows[0].baseline.year, 2019);
        assert_eq!(rows[0].target.value, 7.1);
        assert_eq!(rows[0].change.kind, ChangeKind::Cumulative);
        assert_eq!(notes.len(), 1);
    }

    #[test]
    fn indicator_damage_is_named() {
        let cases = [
            (ROW.replace("value = 7.1,", "value = 7.2,"), "target.printed"),
            (ROW.replace(", note = \"*为2019年数据\"", ""), "baseline.note"),
            (ROW.replace("kind = \"cumulative\"", "kind = \"yearly_average\""), "change.kind"),
            (ROW.replace("comparator = \"=\"", "comparator = \">=\""), "change.comparator"),
            (ROW.replace("attribute = \"预期性\"", "attribute = \"约定性\""), "attribute"),
            (ROW.replace("year = 2025", "year = 25"), "target.year"),
            (ROW.replace("year = 2025", "yaer = 2025"), "target.yaer"),
        ];
        for (text, field) in cases {
            let e = parse_plan_indicators("i.toml", &text).unwrap_err();
            assert_eq!(field_of(e), ("i.toml".into(), "indicator P01".into(), field.into()), "{text}");
        }
    }
}
