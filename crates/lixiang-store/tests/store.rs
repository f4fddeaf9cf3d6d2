//! Store tests on temp database files: migrations (fresh, upgrade of a frozen older schema, newer
//! refused), PRAGMAs, all-or-nothing writes, and the append-only audit chain.

use lixiang_store::{AuditAction, AuditEvent, HeadSeal, Store, StoreError, Unaudited, GENESIS_HASH, SCHEMA_VERSION};
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
    for t in [
        "audit_event",
        "audit_head_seal",
        "plan_footnote",
        "plan_indicator",
        "preference",
        "programme",
        "programme_target",
    ] {
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
    store.write_unaudited(Unaudited::Preference, |w| w.preference_set("ui.language", "en")).unwrap();
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
    let r: Result<(), StoreError> = store.write_unaudited(Unaudited::Preference, |w| {
        w.preference_set("a", "1")?;
        w.preference_set("b", "2")?;
        Err(StoreError::Sqlite(rusqlite::Error::InvalidQuery))
    });
    assert!(r.is_err());
    assert_eq!(store.read(|r| r.preference("a")).unwrap(), None);
    assert_eq!(store.read(|r| r.preference("b")).unwrap(), None);
    store.write_unaudited(Unaudited::Preference, |w| w.preference_set("a", "1")).unwrap();
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

fn event(n: u32) -> AuditEvent {
    AuditEvent::new(AuditAction::Submit, "application", format!("2027-ZX06-{n:06}"), format!("{n:064x}"))
}

#[test]
fn audited_writes_append_a_linked_event_and_unaudited_ones_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("lixiang.db")).unwrap();
    assert_eq!(store.read(|r| r.audit_head()).unwrap().seq, 0);
    assert_eq!(store.read(|r| r.audit_head()).unwrap().hash, GENESIS_HASH);

    store.write(event(1), |w| w.preference_set("x", "1")).unwrap();
    store.set_actor_key_id("key-of-the-office");
    store
        .write(event(2).with_detail(&serde_json::json!({"reason": "迟交\n", "by": 1})), |w| {
            w.preference_set("x", "2")
        })
        .unwrap();
    // An id known only inside the transaction goes into the event through write_with_event.
    let got: String = store
        .write_with_event(|w| {
            w.preference_set("x", "3")?;
            let id = w.reader().preference("x")?.unwrap();
            Ok::<_, StoreError>((
                id.clone(),
                AuditEvent::new(AuditAction::Decision, "application", id, "ab".repeat(32)),
            ))
        })
        .unwrap();
    assert_eq!(got, "3");
    store.write_unaudited(Unaudited::Preference, |w| w.preference_set("x", "4")).unwrap();

    let events = store.read(|r| r.audit_events()).unwrap();
    assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3], "the unaudited write added no event");
    assert_eq!(events[0].prev_hash, GENESIS_HASH);
    for pair in events.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
    }
    for e in &events {
        assert_eq!(e.computed_hash(), e.hash);
        assert_eq!(e.at.len(), "2027-03-01T08:00:00Z".len());
    }
    assert_eq!((events[0].actor_key_id.as_str(), events[1].actor_key_id.as_str()), ("", "key-of-the-office"));
    assert_eq!(events[1].detail.as_deref(), Some(r#"{"by":1,"reason":"迟交\n"}"#));
    assert_eq!((events[2].action.as_str(), events[2].record_id.as_str()), ("decision", "3"));
    let head = store.read(|r| r.audit_head()).unwrap();
    assert_eq!((head.seq, head.hash), (3, events[2].hash.clone()));
}

#[test]
fn a_write_that_fails_appends_no_event_and_a_bad_event_undoes_the_write() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("lixiang.db")).unwrap();
    let r: Result<(), StoreError> = store.write(event(1), |w| {
        w.preference_set("a", "1")?;
        Err(StoreError::Sqlite(rusqlite::Error::InvalidQuery))
    });
    assert!(r.is_err());
    let r: Result<(), StoreError> = store.write_with_event(|_| Err(StoreError::Sqlite(rusqlite::Error::InvalidQuery)));
    assert!(r.is_err());
    assert!(store.read(|r| r.audit_events()).unwrap().is_empty());
    assert_eq!(store.read(|r| r.preference("a")).unwrap(), None);

    // The event is part of the transaction: when it cannot be appended, the change is not kept either.
    let bad = AuditEvent::new(AuditAction::Submit, "application", "A1", "not a sha-256");
    assert!(store.write(bad, |w| w.preference_set("a", "1")).is_err());
    assert_eq!(store.read(|r| r.preference("a")).unwrap(), None);
    assert!(store.read(|r| r.audit_events()).unwrap().is_empty());

    store.write(event(1), |w| w.preference_set("a", "1")).unwrap();
    assert_eq!(store.read(|r| r.audit_events()).unwrap().len(), 1);
}

#[test]
fn the_audit_tables_refuse_update_and_delete() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lixiang.db");
    let mut store = Store::open(&path).unwrap();
    store.write(event(1), |_| Ok::<_, StoreError>(())).unwrap();
    store.write(event(2), |_| Ok::<_, StoreError>(())).unwrap();
    let head = store.read(|r| r.audit_head()).unwrap();
    let seal = HeadSeal {
        id: 0,
        seq: head.seq,
        hash: head.hash,
        signature: vec![7; 64],
        signer_key_id: "k".into(),
        signed_at: "2027-03-01T08:00:00Z".into(),
        purpose: "backup".into(),
    };
    let id = store.write_unaudited(Unaudited::HeadSeal, |w| w.audit_seal_insert(&seal)).unwrap();
    let latest = store.read(|r| r.audit_latest_seal()).unwrap().unwrap();
    assert_eq!(latest, HeadSeal { id, ..seal });
    drop(store);

    let conn = Connection::open(&path).unwrap();
    for sql in [
        "UPDATE audit_event SET record_id = 'forged' WHERE seq = 1",
        "DELETE FROM audit_event WHERE seq = 2",
        "DELETE FROM audit_event",
        "UPDATE audit_head_seal SET seq = 1",
        "DELETE FROM audit_head_seal",
    ] {
        let err = conn.execute(sql, []).expect_err(sql).to_string();
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    let n: i64 =
        conn.query_row("SELECT count(*) FROM audit_event WHERE record_id != 'forged'", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 2);
}
