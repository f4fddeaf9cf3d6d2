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

#[test]
fn a_batch_keeps_each_change_with_its_event_and_drops_a_failed_one_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("lixiang.db")).unwrap();
    let outcomes: Vec<bool> = store
        .write_batch(|b| {
            let mut out = Vec::new();
            out.push(b.write_with_event(|w| w.preference_set("a", "1").map(|()| ((), event(1)))).is_ok());
            // Fails after writing: its change and its event are both rolled back, the batch goes on.
            out.push(
                b.write_with_event(|w| {
                    w.preference_set("b", "2")?;
                    Err::<((), AuditEvent), _>(StoreError::Sqlite(rusqlite::Error::InvalidQuery))
                })
                .is_ok(),
            );
            // An event that cannot be appended undoes its own change only.
            let bad = AuditEvent::new(AuditAction::Submit, "application", "A1", "not a sha-256");
            out.push(b.write_with_event(|w| w.preference_set("c", "3").map(|()| ((), bad))).is_ok());
            // A later change sees the earlier kept ones.
            assert_eq!(b.reader().preference("a").unwrap().as_deref(), Some("1"));
            out.push(b.write_with_event(|w| w.preference_set("d", "4").map(|()| ((), event(4)))).is_ok());
            Ok::<_, StoreError>(out)
        })
        .unwrap();
    assert_eq!(outcomes, [true, false, false, true]);
    let got = |store: &mut Store, k: &str| store.read(|r| r.preference(k)).unwrap();
    assert_eq!(got(&mut store, "a").as_deref(), Some("1"));
    assert_eq!((got(&mut store, "b"), got(&mut store, "c")), (None, None));
    assert_eq!(got(&mut store, "d").as_deref(), Some("4"));
    // The chain has the two kept events, linked, without a gap.
    let events = store.read(|r| r.audit_events()).unwrap();
    assert_eq!(events.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(events[1].prev_hash, events[0].hash);
    assert_eq!(events[1].record_id, "2027-ZX06-000004");

    // A batch whose closure fails keeps nothing, not even the changes whose savepoints were released.
    let r: Result<(), StoreError> = store.write_batch(|b| {
        b.write_with_event(|w| w.preference_set("e", "5").map(|()| ((), event(5))))?;
        Err(StoreError::Sqlite(rusqlite::Error::InvalidQuery))
    });
    assert!(r.is_err());
    assert_eq!(got(&mut store, "e"), None);
    assert_eq!(store.read(|r| r.audit_events()).unwrap().len(), 2);
}

#[test]
fn the_highest_number_of_a_prefix_is_found_by_a_range_of_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lixiang.db");
    let mut store = Store::open(&path).unwrap();
    let numbers = ["2027-ZX06-000001", "2027-ZX06-000007", "2027-ZX061000009", "2027-ZX07-000009", "2026-ZX06-000003"];
    store
        .write(event(1), |w| {
            for (k, number) in numbers.iter().enumerate() {
                w.submission_insert(&lixiang_store::SubmissionRow {
                    application_id: format!("app-{k}"),
                    version: 1,
                    sha256: format!("{k:064x}"),
                    bytes: b"{}".to_vec(),
                    call_id: "call".into(),
                    programme: "ZX06".into(),
                    title: "标题".into(),
                    applicant_name: "单位".into(),
                    applicant_code: "code".into(),
                    sender_key_id: "key".into(),
                    package_id: format!("package-{k}"),
                    sealed_at: "2027-03-01T00:00:00Z".into(),
                    received_at: "2027-03-01T00:00:00Z".into(),
                    number: number.to_string(),
                })?;
            }
            Ok::<_, StoreError>(())
        })
        .unwrap();
    let mut max = |prefix: &str| store.read(|r| r.submission_number_max(prefix)).unwrap();
    assert_eq!(max("2027-ZX06-").as_deref(), Some("2027-ZX06-000007"));
    assert_eq!(max("2027-ZX07-").as_deref(), Some("2027-ZX07-000009"));
    assert_eq!(max("2026-ZX06-").as_deref(), Some("2026-ZX06-000003"));
    assert_eq!(max("2028-ZX06-"), None);
    assert_eq!(max("").as_deref(), Some("2027-ZX07-000009"));
    // SQLite answers from the number's index, not by reading every row.
    let conn = Connection::open(&path).unwrap();
    let plan: Vec<String> = conn
        .prepare("EXPLAIN QUERY PLAN SELECT max(number) FROM submission_received WHERE number >= ?1 AND number < ?2")
        .unwrap()
        .query_map(["2027-ZX06-", "2027-ZX06."], |r| r.get(3))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(plan.iter().any(|p| p.contains("USING COVERING INDEX submission_received_number")), "{plan:?}");
}

#[test]
fn the_duplicate_index_counts_each_shared_hash_once_across_statements() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("lixiang.db")).unwrap();
    // 150 hashes: two statements of 64 rows and 22 rows one by one; the top bit set on some (stored as
    // negative i64).
    let a: Vec<u64> = (0..150u64).map(|i| i * 7 + if i % 2 == 0 { 1 << 63 } else { 0 }).collect();
    let b: Vec<u64> = (100..230u64).map(|i| i * 7 + if i % 2 == 0 { 1 << 63 } else { 0 }).collect();
    let (mut a_sorted, mut b_sorted) = (a.clone(), b.clone());
    a_sorted.sort_unstable();
    b_sorted.sort_unstable();
    let (ra, rb) = store
        .write_unaudited(Unaudited::DerivedIndex, |w| {
            let put = |id: &str, hashes: &[u64], year: i32| {
                let set =
                    lixiang_store::ShingleSet { application_id: id, version: 1, year, pre_application: None, hashes };
                w.application_shingles_put(&set, hashes)
            };
            let ra = put("a", &a_sorted, 2027)?;
            let rb = put("b", &b_sorted, 2027)?;
            put("other-year", &a_sorted, 2026)?;
            Ok::<_, StoreError>((ra, rb))
        })
        .unwrap();
    let meta = store.read(|r| r.application_shingles_meta(2027)).unwrap();
    assert_eq!(
        meta.iter().map(|m| (m.id, m.application_id.as_str(), m.count)).collect::<Vec<_>>(),
        [(ra, "a", 150), (rb, "b", 130)]
    );
    // 130 hashes asked (the last chunk padded): a holds 50 of them, b all 130; the other year none.
    let hits = store.read(|r| r.shingle_hits(2027, &b_sorted)).unwrap();
    assert_eq!((hits.get(&ra).copied(), hits.get(&rb).copied(), hits.len()), (Some(50), Some(130), 2));
    // One hash alone, and none.
    let one = store.read(|r| r.shingle_hits(2027, &a_sorted[..1])).unwrap();
    assert_eq!(one.get(&ra).copied(), Some(1));
    assert!(store.read(|r| r.shingle_hits(2027, &[])).unwrap().is_empty());
}

#[test]
fn a_sealed_score_sheet_can_neither_change_nor_go() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("w.sqlite3")).unwrap();
    let held = lixiang_store::HeldPacketRow {
        packet_id: "p1".into(),
        call_id: "c1".into(),
        call_code: "2027-ZX06-01".into(),
        round: 1,
        office_key_id: "0123456789abcdef".into(),
        form_sha256: "a".repeat(64),
        body: "{}".into(),
        received_at: "2027-03-01T00:00:00Z".into(),
        contents_removed_at: None,
    };
    store.write(event(1), |w| w.review_packet_held_insert(&held, &["2027-ZX06-000001".to_string()])).unwrap();
    let sealed = store
        .write(event(2), |w| {
            w.review_sheet_seal("p1", "2027-ZX06-000001", "{\"x\":1}", &"b".repeat(64), "2027-03-02T00:00:00Z")
        })
        .unwrap();
    assert_eq!(sealed, 1);
    // Through the store's own methods: a second seal or a draft save touches nothing or is refused.
    let again =
        store.write(event(3), |w| w.review_sheet_seal("p1", "2027-ZX06-000001", "{}", &"c".repeat(64), "x")).unwrap();
    assert_eq!(again, 0);
    assert!(store
        .write_unaudited(Unaudited::Draft, |w| w.review_sheet_save_draft("p1", "2027-ZX06-000001", "{}", "x"))
        .is_err());
    // And behind the program's back: the triggers refuse.
    let conn = rusqlite::Connection::open(dir.path().join("w.sqlite3")).unwrap();
    let err = conn.execute("UPDATE review_sheet SET sealed = '{}' WHERE packet_id = 'p1'", []).unwrap_err();
    assert!(err.to_string().contains("sealed score sheet cannot change"), "{err}");
    let err = conn.execute("DELETE FROM review_sheet WHERE packet_id = 'p1'", []).unwrap_err();
    assert!(err.to_string().contains("cannot be deleted"), "{err}");
    let row = store.read(|r| r.review_sheet("p1", "2027-ZX06-000001")).unwrap().unwrap();
    assert_eq!(row.sealed.as_deref(), Some("{\"x\":1}"));
}

#[test]
fn drafts_saved_at_once_touch_only_open_sheets_and_roll_back_together() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("w.sqlite3")).unwrap();
    let held = lixiang_store::HeldPacketRow {
        packet_id: "p1".into(),
        call_id: "c1".into(),
        call_code: "2027-ZX06-01".into(),
        round: 1,
        office_key_id: "0123456789abcdef".into(),
        form_sha256: "a".repeat(64),
        body: "{}".into(),
        received_at: "2027-03-01T00:00:00Z".into(),
        contents_removed_at: None,
    };
    let numbers: Vec<String> = (1..=3).map(|i| format!("2027-ZX06-00000{i}")).collect();
    store.write(event(1), |w| w.review_packet_held_insert(&held, &numbers)).unwrap();
    store.write(event(2), |w| w.review_sheet_seal("p1", &numbers[2], "{\"x\":1}", &"b".repeat(64), "t")).unwrap();
    let draft = |n: &String| (n.clone(), format!("{{\"strengths\":\"{n}\"}}"));
    let drafts = |r: &mut Store| -> Vec<String> {
        r.read(|r| r.review_sheets("p1")).unwrap().into_iter().map(|s| s.draft).collect()
    };
    let before = drafts(&mut store);

    // A sealed sheet among them is not touched, and counted out: the caller fails, nothing stays.
    let all: Vec<(String, String)> = numbers.iter().map(draft).collect();
    let err = store
        .write_unaudited(Unaudited::Draft, |w| {
            let n = w.review_sheet_save_drafts("p1", &all, "2027-03-03T00:00:00Z")?;
            if n != all.len() {
                return Err(StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows));
            }
            Ok(n)
        })
        .unwrap_err();
    assert!(matches!(err, StoreError::Sqlite(_)));
    assert_eq!(drafts(&mut store), before, "rolled back together");

    // The open ones alone: both saved in one go.
    let open = &all[..2];
    let n = store.write_unaudited(Unaudited::Draft, |w| w.review_sheet_save_drafts("p1", open, "t2")).unwrap();
    assert_eq!(n, 2);
    let after = drafts(&mut store);
    assert_eq!(&after[..2], [open[0].1.clone(), open[1].1.clone()]);
    assert_eq!(after[2], before[2]);
}

/// The one read of received sheets for aggregation counts a sheet only while its item is in the newest
/// packet issued to its expert for the round; the others are held and listed as set aside, with the
/// packet that left the item out and the officer's reason when the pair was removed by hand.
#[test]
fn a_sheet_counts_only_while_its_item_is_in_its_experts_newest_packet() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("w.sqlite3")).unwrap();
    let (a, b, c) = ("2027-ZX06-000001", "2027-ZX06-000002", "2027-ZX06-000003");
    let packet = |id: &str, call: &str, expert: &str, items: &[&str], at: &str| lixiang_store::IssuedPacketRow {
        packet_id: id.into(),
        call_id: call.into(),
        round: 1,
        expert_number: expert.into(),
        expert_key_id: "0123456789abcdef".into(),
        form_sha256: "a".repeat(64),
        items: serde_json::to_string(items).unwrap(),
        issued_at: at.into(),
        file_name: format!("{id}.lxpkg"),
    };
    let sheet =
        |call: &str, number: &str, expert: &str, packet: &str, total_half: u32| lixiang_store::ReceivedSheetRow {
            call_id: call.into(),
            round: 1,
            number: number.into(),
            expert_number: expert.into(),
            packet_id: packet.into(),
            receipt_sha256: format!("{total_half:064x}"),
            body: "{}".into(),
            total_half: Some(total_half),
            grade: Some("B".into()),
            sealed_at: "2027-03-02T00:00:00Z".into(),
            package_id: format!("ret-{packet}"),
            received_at: "2027-03-03T00:00:00Z".into(),
        };
    store
        .write(event(1), |w| {
            w.review_packet_insert(&packet("p1", "c1", "ZJ000001", &[a, b], "2027-03-01T00:00:00Z"))?;
            w.review_packet_insert(&packet("q1", "c1", "ZJ000002", &[a, b], "2027-03-01T00:00:00Z"))?;
            // Another call where expert 1 still holds a: no effect across calls.
            w.review_packet_insert(&packet("o1", "c2", "ZJ000001", &[a], "2027-03-01T00:00:00Z"))?;
            w.review_sheet_received_insert(&sheet("c1", a, "ZJ000001", "p1", 200))?;
            w.review_sheet_received_insert(&sheet("c1", b, "ZJ000001", "p1", 160))?;
            w.review_sheet_received_insert(&sheet("c1", a, "ZJ000002", "q1", 100))?;
            w.review_sheet_received_insert(&sheet("c2", a, "ZJ000001", "o1", 120))
        })
        .unwrap();
    let counted = |s: &mut Store, call: &str| -> Vec<(String, String)> {
        s.read(|r| r.review_sheets_counted(call, 1)).unwrap().into_iter().map(|s| (s.number, s.expert_number)).collect()
    };
    let pair = |n: &str, e: &str| (n.to_string(), e.to_string());
    assert_eq!(counted(&mut store, "c1"), vec![pair(a, "ZJ000001"), pair(a, "ZJ000002"), pair(b, "ZJ000001")]);
    assert!(store.read(|r| r.review_sheets_set_aside("c1", 1)).unwrap().is_empty());

    // Expert 1's second packet leaves a out (removed by hand with a reason) and adds c.
    store
        .write(event(2), |w| {
            w.pair_edit_put(&lixiang_store::PairEditRow {
                call_id: "c1".into(),
                round: 1,
                application: a.into(),
                expert: "ZJ000001".into(),
                kind: "remove".into(),
                reason: "后来得知的合作关系".into(),
                created_at: "2027-03-04T00:00:00Z".into(),
            })?;
            w.review_packet_insert(&packet("p2", "c1", "ZJ000001", &[b, c], "2027-03-04T00:00:00Z"))
        })
        .unwrap();
    assert_eq!(counted(&mut store, "c1"), vec![pair(a, "ZJ000002"), pair(b, "ZJ000001")]);
    assert_eq!(counted(&mut store, "c2"), vec![pair(a, "ZJ000001")], "another call is untouched");
    let aside = store.read(|r| r.review_sheets_set_aside("c1", 1)).unwrap();
    assert_eq!(aside.len(), 1);
    assert_eq!((aside[0].sheet.number.as_str(), aside[0].sheet.expert_number.as_str()), (a, "ZJ000001"));
    assert_eq!((aside[0].newest_packet_id.as_str(), aside[0].newest_issue), ("p2", 2));
    assert_eq!(aside[0].removal_reason.as_deref(), Some("后来得知的合作关系"));
    // Held all the same: the import's check of a sealed sheet that may never change reads them all.
    assert_eq!(store.read(|r| r.review_sheets_received_all("c1", 1)).unwrap().len(), 3);

    // A third packet gives a back to expert 1: its sheet counts again.
    store
        .write(event(3), |w| w.review_packet_insert(&packet("p3", "c1", "ZJ000001", &[a, b], "2027-03-05T00:00:00Z")))
        .unwrap();
    assert_eq!(counted(&mut store, "c1").len(), 3);
    assert!(store.read(|r| r.review_sheets_set_aside("c1", 1)).unwrap().is_empty());
}
