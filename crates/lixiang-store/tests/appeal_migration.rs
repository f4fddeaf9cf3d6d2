//! Migration 0022 (formal decisions in sequence, appeals): a database written at version 21 with formal
//! decisions and received results upgrades keeping every row as the first decision on its version, and ends
//! with the fresh schema.

use lixiang_store::{Store, MIGRATIONS, SCHEMA_VERSION};
use rusqlite::Connection;
use std::path::Path;

fn schema_of(path: &Path) -> Vec<(String, String, String)> {
    let conn = Connection::open(path).unwrap();
    let mut stmt =
        conn.prepare("SELECT type, name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY type, name").unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(Result::unwrap).collect()
}

#[test]
fn a_version_21_database_keeps_every_formal_decision_and_result_through_0022() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.db");
    let conn = Connection::open(&old).unwrap();
    for m in MIGRATIONS.iter().filter(|m| m.version <= 21) {
        conn.execute_batch(m.sql).unwrap();
    }
    conn.pragma_update(None, "user_version", 21).unwrap();
    conn.execute_batch(
        r#"INSERT INTO formal_decision VALUES
             ('a', 1, '2027-ZX06-000001', 'return', '["缺少承诺书"]', '2027-04-01', '2027-03-20T01:00:00Z', 'p1'),
             ('a', 2, '2027-ZX06-000001', 'reject', '["逾期"]', NULL, '2027-04-05T01:00:00Z', 'p2'),
             ('b', 1, '2027-ZX06-000002', 'accept', '[]', NULL, '2027-03-21T01:00:00Z', 'p3');
           INSERT INTO formal_result VALUES
             ('c', 1, '2027-ZX06-000003', 'reject', '["x"]', NULL, '2027-03-22T01:00:00Z', 'p4', 'k', '2027-03-23T01:00:00Z');"#,
    )
    .unwrap();
    drop(conn);

    let mut store = Store::open(&old).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let a = store.read(|r| r.formal_decision_latest("a")).unwrap().unwrap();
    assert_eq!((a.version, a.seq, a.decision.as_str(), a.package_id.as_str()), (2, 1, "reject", "p2"));
    let mut all = store.read(|r| r.formal_decisions_latest()).unwrap();
    all.sort_by(|x, y| x.application_id.cmp(&y.application_id));
    assert_eq!(
        all.iter().map(|d| (d.application_id.as_str(), d.version, d.seq)).collect::<Vec<_>>(),
        [("a", 2, 1), ("b", 1, 1)]
    );
    assert_eq!(store.read(|r| r.formal_rejected_ids()).unwrap(), ["a"]);
    let c = store.read(|r| r.formal_result_latest("c")).unwrap().unwrap();
    assert_eq!((c.seq, c.sender_key_id.as_str(), c.received_at.as_str()), (1, "k", "2027-03-23T01:00:00Z"));
    assert!(store.read(|r| r.formal_appeals("a")).unwrap().is_empty());
    drop(store);
    let conn = Connection::open(&old).unwrap();
    let kept: u32 = conn.query_row("SELECT count(*) FROM formal_decision", [], |r| r.get(0)).unwrap();
    assert_eq!(kept, 3, "every decision kept, not only the newest");
    drop(conn);

    let fresh = dir.path().join("fresh.db");
    drop(Store::open(&fresh).unwrap());
    assert_eq!(schema_of(&old), schema_of(&fresh));
}
