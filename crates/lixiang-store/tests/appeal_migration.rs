//! Migration 0022 (formal decisions in sequence, appeals): a database written at version 21 with formal
//! decisions and received results upgrades keeping every row as the first decision on its version, and ends
//! with the fresh schema. Migration 0026 (an upheld appeal's answer package linked from the appeal): a
//! database written at version 25 links each upheld appeal to the formal result package that carries its
//! answer, and no other.

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

#[test]
fn a_version_25_database_links_each_upheld_appeal_to_its_answer_package_through_0026() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.db");
    let conn = Connection::open(&old).unwrap();
    for m in MIGRATIONS.iter().filter(|m| m.version <= 25) {
        conn.execute_batch(m.sql).unwrap();
    }
    conn.pragma_update(None, "user_version", 25).unwrap();
    // Application a: refused, appeal upheld; its formal packages are the refusal's own (no appeal part) and
    // the answer (the same version and decision, with one). Application b: refused, appeal granted, decided
    // again. Application c: refused, appeal open.
    let payload = |app: &str, seq: u32, appeal: bool| {
        let part = if appeal { r#"{"decision_seq":1,"outcome":"upheld","reason":"维持"}"# } else { "null" };
        format!(r#"{{"format":1,"application_id":"{app}","version":1,"seq":{seq},"appeal":{part}}}"#)
    };
    let decision = "INSERT INTO formal_decision (application_id, version, seq, number, decision, reasons, fix_by,
        decided_at, package_id) VALUES (?1, 1, ?2, ?3, ?4, '[]', NULL, '2027-03-20T01:00:00Z', ?5)";
    let appeal = "INSERT INTO formal_appeal (application_id, version, decision_seq, number, received_on, appellant,
        body, logged_at, outcome, reason, resolved_at) VALUES (?1, 1, 1, ?2, '2027-03-21', '来函', '申诉',
        '2027-03-21T01:00:00Z', ?3, ?4, ?5)";
    let outgoing = "INSERT INTO outgoing_package (package_id, kind, stage, application_id, number, recipient_key_id,
        file_name, payload, file_sha256, created_at) VALUES (?1, 'result', 'formal', ?2, ?3, 'k', ?4, ?5, ?6, ?7)";
    for (app, number) in [("a", "N1"), ("b", "N2"), ("c", "N3")] {
        conn.execute(decision, rusqlite::params![app, 1, number, "reject", format!("{app}-p1")]).unwrap();
        let file = format!("result-{number}.lxpkg");
        let own = payload(app, 1, false).into_bytes();
        conn.execute(
            outgoing,
            rusqlite::params![format!("{app}-p1"), app, number, file, own, "h1", "2027-03-20T01:00:00Z"],
        )
        .unwrap();
    }
    let answer = payload("a", 1, true).into_bytes();
    conn.execute(
        outgoing,
        rusqlite::params!["a-answer", "a", "N1", "answer-N1.lxpkg", answer, "h2", "2027-03-22T01:00:00Z"],
    )
    .unwrap();
    conn.execute(appeal, rusqlite::params!["a", "N1", "upheld", "维持", "2027-03-22T01:00:00Z"]).unwrap();
    conn.execute(appeal, rusqlite::params!["b", "N2", "granted", "成立", "2027-03-22T01:00:00Z"]).unwrap();
    conn.execute(appeal, rusqlite::params!["c", "N3", None::<String>, None::<String>, None::<String>]).unwrap();
    conn.execute(decision, rusqlite::params!["b", 2, "N2", "accept", "b-p2"]).unwrap();
    let after = payload("b", 2, false).into_bytes();
    conn.execute(
        outgoing,
        rusqlite::params!["b-p2", "b", "N2", "result-N2-2.lxpkg", after, "h3", "2027-03-23T01:00:00Z"],
    )
    .unwrap();
    drop(conn);

    let mut store = Store::open(&old).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let linked =
        |store: &mut Store, app: &str| store.read(|r| r.formal_appeals(app)).unwrap()[0].answer_package_id.clone();
    assert_eq!(linked(&mut store, "a").as_deref(), Some("a-answer"), "the upheld appeal names its answer");
    assert_eq!(linked(&mut store, "b"), None, "a granted appeal has no answer package of its own");
    assert_eq!(linked(&mut store, "c"), None, "an open appeal has none yet");
    drop(store);

    let fresh = dir.path().join("fresh.db");
    drop(Store::open(&fresh).unwrap());
    assert_eq!(schema_of(&old), schema_of(&fresh));
}
