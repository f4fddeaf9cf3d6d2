//! Store tests on temp database files: migrations (fresh, upgrade of a frozen older schema, newer
//! refused), PRAGMAs, and all-or-nothing writes.

use lixiang_store::{Store, StoreError, SCHEMA_VERSION};
use rusqlite::Connection;
use std::path::Path;

/// The schema as SQLite reports it, in a stable order, for comparing two databases.
fn schema_of(path: &Path) -> Vec<(String, String, String)> {
    let conn = Connection::open(path).unwrap();
    let mut stmt =
        conn.prepare("SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY type, name").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn a_fresh_database_gets_every_migration_and_the_pragmas() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lixiang.db");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    const { assert!(SCHEMA_VERSION >= 2, "the upgrade test below needs at least two migrations") };
    drop(store);
    let conn = Connection::open(&path).unwrap();
    let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
    let names: Vec<String> = schema_of(&path).into_iter().filter(|s| s.0 == "table").map(|s| s.1).collect();
    for t in ["plan_footnote", "plan_indicator", "preference", "programme", "programme_target"] {
        assert!(names.contains(&t.to_string()), "missing table {t}: {names:?}");
    }
}

#[test]
fn a_frozen_version_1_database_upgrades_to_the_fresh_schema_and_keeps_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.db");
    let conn = Connection::open(&old).unwrap();
    conn.execute_batch(include_str!("fixtures/schema_v1.sql")).unwrap();
    drop(conn);

    let mut store = Store::open(&old).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let cat = store.read(|r| r.catalog()).unwrap();
    assert_eq!(cat.programmes.len(), 1);
    assert_eq!(cat.programmes[0].targets[0].printed, "10-15个");
    // The upgrade added what version 2 brought, and it works.
    store.write(|w| w.preference_set("ui.language", "en")).unwrap();
    drop(store);

    let fresh = dir.path().join("fresh.db");
    drop(Store::open(&fresh).unwrap());
    assert_eq!(schema_of(&old), schema_of(&fresh));
}

#[test]
fn a_database_from_a_newer_version_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch("CREATE TABLE future (x); PRAGMA user_version = 999;").unwrap();
    drop(conn);
    let before = std::fs::read(&path).unwrap();

    match Store::open(&path) {
        Err(StoreError::NewerSchema { found, supported, .. }) => {
            assert_eq!(found, 999);
            assert_eq!(supported, SCHEMA_VERSION);
        }
        Err(other) => panic!("expected NewerSchema, got {other}"),
        Ok(_) => panic!("a newer database was opened"),
    }
    let conn = Connection::open(&path).unwrap();
    let v: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(v, 999);
    let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).unwrap();
    assert_eq!(tables, 1, "nothing may be created in a newer database");
    drop(conn);
    assert_eq!(before.len(), std::fs::read(&path).unwrap().len());
}

#[test]
fn a_write_that_fails_half_way_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("lixiang.db")).unwrap();
    let r: Result<(), StoreError> = store.write(|w| {
        w.preference_set("a", "1")?;
        w.preference_set("b", "2")?;
        Err(StoreError::Sqlite(rusqlite::Error::InvalidQuery))
    });
    assert!(r.is_err());
    assert_eq!(store.read(|r| r.preference("a")).unwrap(), None);
    assert_eq!(store.read(|r| r.preference("b")).unwrap(), None);
    store.write(|w| w.preference_set("a", "1")).unwrap();
    assert_eq!(store.read(|r| r.preference("a")).unwrap().as_deref(), Some("1"));
}

#[test]
fn a_file_that_is_not_a_database_is_refused_with_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lixiang.db");
    std::fs::write(&path, b"this is a text file, not SQLite, and long enough to have a header............").unwrap();
    let err = Store::open(&path).err().expect("refused");
    assert!(err.to_string().contains("lixiang.db"), "{err}");
}
