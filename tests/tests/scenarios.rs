//! Scenario tests: whole journeys through the same functions the CLI and the shell call, on
//! temp-directory workspaces.

#[path = "fixtures/catalog_fixture.rs"]
mod catalog_fixture;

use lixiang_core::catalog::{self, ChangeKind, Comparator};
use lixiang_core::{preference, CoreError, Lang, Workspace};
use rusqlite::Connection;
use std::path::Path;

/// Every row of every table, as text, to compare a database before and after.
fn dump(db: &Path) -> Vec<String> {
    let conn = Connection::open(db).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\" ORDER BY 1")).unwrap();
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                let cells: Vec<String> = (0..n).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect();
                Ok(format!("{t}: {}", cells.join(" | ")))
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
    }
    out
}

#[test]
fn a_new_workspace_holds_the_catalog_exactly_as_the_plan_prints_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open(&dir.path().join("ws")).unwrap();
    assert!(ws.was_created());
    let cat = catalog::get(&mut ws).unwrap();

    // 专栏19: the programmes, in order, with names and short names.
    let names: Vec<(&str, &str, &str)> =
        cat.programmes.iter().map(|p| (p.code.as_str(), p.name.as_str(), p.short_name.as_str())).collect();
    assert_eq!(names, catalog_fixture::PROGRAMMES);
    for p in &cat.programmes {
        assert!(p.focus.starts_with("重点开展") || p.focus.contains("重点开展"), "{}: {}", p.code, p.focus);
    }

    // Every quantified target, compared with the hand-typed fixture.
    let targets: Vec<(&str, &str, u32, u32, &str)> = cat
        .programmes
        .iter()
        .flat_map(|p| p.targets.iter())
        .map(|t| (t.code.as_str(), t.indicator.as_str(), t.min, t.max, t.unit.as_str()))
        .collect();
    assert_eq!(targets.len(), 24);
    assert_eq!(targets, catalog_fixture::TARGETS);

    // 专栏1: every figure as printed and parsed, with its unit, year and kind.
    assert_eq!(cat.plan_indicators.len(), 8);
    for (got, want) in cat.plan_indicators.iter().zip(catalog_fixture::PLAN_INDICATORS) {
        let f = want;
        assert_eq!(
            (got.code.as_str(), got.name.as_str(), got.unit.as_str(), got.attribute.as_str()),
            (f.code, f.name, f.unit, "预期性")
        );
        assert_eq!(
            (got.baseline.printed.as_str(), got.baseline.value, got.baseline.unit.as_str(), got.baseline.year),
            f.baseline,
            "{} baseline",
            f.code
        );
        assert_eq!(
            (got.target.printed.as_str(), got.target.value, got.target.unit.as_str(), got.target.year),
            f.target,
            "{} target",
            f.code
        );
        let kind = if f.cumulative { ChangeKind::Cumulative } else { ChangeKind::YearlyAverage };
        let cmp = if f.at_least { Comparator::AtLeast } else { Comparator::Equal };
        assert_eq!(
            (
                got.change.printed.as_str(),
                got.change.value,
                got.change.unit.as_str(),
                got.change.kind,
                got.change.comparator
            ),
            (f.change.0, f.change.1, f.change.2, kind, cmp),
            "{} change",
            f.code
        );
    }
    // Row 5's first figure is 2019 data, and says so.
    let p05 = &cat.plan_indicators[4];
    assert_eq!(p05.baseline.note.as_deref(), Some("*为2019年数据"));
    assert!(cat.plan_indicators.iter().filter(|i| i.code != "P05").all(|i| i.baseline.note.is_none()));
    let notes: Vec<(&str, &str)> = cat.plan_footnotes.iter().map(|f| (f.mark.as_str(), f.text.as_str())).collect();
    assert_eq!(notes, [("*", "*为2019年数据"), ("[]", "[]内为“十四五”时期累计数")]);
}

#[test]
fn opening_and_seeding_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ws_dir = dir.path().join("ws");
    let db = {
        let ws = Workspace::open(&ws_dir).unwrap();
        ws.database_path().to_path_buf()
    };
    let first = dump(&db);
    {
        let mut ws = Workspace::open(&ws_dir).unwrap();
        assert!(!ws.was_created());
        let shipped = catalog::embedded().unwrap();
        catalog::load(&mut ws, &shipped).unwrap();
        catalog::load(&mut ws, &shipped).unwrap();
    }
    assert_eq!(first, dump(&db));
    assert_eq!(first.iter().filter(|r| r.starts_with("programme_target:")).count(), 24);
}

#[test]
fn a_malformed_seed_file_is_refused_naming_it_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open(&dir.path().join("ws")).unwrap();
    let db = ws.database_path().to_path_buf();
    let before = dump(&db);

    let (name, text) = catalog::EMBEDDED_PROGRAMMES;
    let broken = text.replace("min = 10, max = 15", "min = 15, max = 10");
    let err = catalog::seed::parse_catalog(("my-seeds/programmes.toml", &broken), catalog::EMBEDDED_PLAN_INDICATORS)
        .unwrap_err();
    match &err {
        CoreError::SeedMalformed { file, entry, field, .. } => {
            assert_eq!(
                (file.as_str(), entry.as_str(), field.as_str()),
                ("my-seeds/programmes.toml", "target ZX06-T1", "max")
            );
        }
        other => panic!("expected SeedMalformed, got {other:?}"),
    }
    assert!(err.message(Lang::Zh).contains("my-seeds/programmes.toml"));
    assert_eq!(err.code(), "seed.malformed");
    assert_ne!(name, "my-seeds/programmes.toml");

    // A catalog that is valid in form but breaks the database's rules is rolled back whole.
    let mut bad = catalog::embedded().unwrap();
    bad.programmes[7].targets[1].min = 9; // min above max: the CHECK constraint refuses it
    bad.programmes[0].name = "改名专项".into(); // written before the failing row, must not stay
    assert!(catalog::load(&mut ws, &bad).is_err());
    assert_eq!(before, dump(&db));
}

#[test]
fn the_language_is_remembered_per_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let a = dir.path().join("a");
    {
        let mut ws = Workspace::open(&a).unwrap();
        assert_eq!(preference::language(&mut ws).unwrap(), Lang::Zh);
        preference::set_language(&mut ws, Lang::En).unwrap();
    }
    let mut ws = Workspace::open(&a).unwrap();
    assert_eq!(preference::language(&mut ws).unwrap(), Lang::En);
    let mut other = Workspace::open(&dir.path().join("b")).unwrap();
    assert_eq!(preference::language(&mut other).unwrap(), Lang::Zh);
}

#[test]
fn a_path_that_is_a_file_is_not_taken_for_a_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, "x").unwrap();
    let err = Workspace::open(&file).err().expect("refused");
    assert_eq!(err.code(), "workspace.io");
    assert!(err.message(Lang::Zh).contains("not-a-dir"));
}
