//! The queries of the plan dashboard (issue 8): read-only views across every call the office holds — the
//! final decisions of every round, the items on any recommendation list, and the items that went out for
//! review. The tables are other modules' (decision, review); this module only reads them, so that the
//! dashboard loads its portfolio in one read transaction without a query per call and round.

use crate::{FinalRow, Reader, Result};

impl Reader<'_> {
    /// Every final decision the office recorded, by call, round and 申报编号.
    pub fn finals_all(&self) -> Result<Vec<FinalRow>> {
        let mut st = self.tx.prepare(
            "SELECT call_id, round, number, application_id, version, funded, amount_fen, reason, rank, decided_at,
             package_id FROM decision_final ORDER BY call_id, round, number",
        )?;
        let rows = st
            .query_map([], |r| {
                Ok(FinalRow {
                    call_id: r.get(0)?,
                    round: r.get(1)?,
                    number: r.get(2)?,
                    application_id: r.get(3)?,
                    version: r.get(4)?,
                    funded: r.get(5)?,
                    amount_fen: r.get(6)?,
                    reason: r.get(7)?,
                    rank: r.get(8)?,
                    decided_at: r.get(9)?,
                    package_id: r.get(10)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// (call id, 申报编号) of every item on any round's recommendation list, sorted and distinct.
    pub fn recommended_items_all(&self) -> Result<Vec<(String, String)>> {
        let mut st = self.tx.prepare(
            "SELECT DISTINCT r.call_id, json_extract(j.value, '$.number') AS number
             FROM decision_recommendation r, json_each(r.items) j
             WHERE number IS NOT NULL ORDER BY r.call_id, number",
        )?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// (call id, 申报编号) of every item that went out in a review packet or came back on a sheet, in any
    /// round, sorted and distinct.
    pub fn reviewed_items_all(&self) -> Result<Vec<(String, String)>> {
        let mut st = self.tx.prepare(
            "SELECT call_id, number FROM (
                 SELECT p.call_id AS call_id, j.value AS number FROM review_packet p, json_each(p.items) j
                 UNION SELECT call_id, number FROM review_sheet_received)
             ORDER BY call_id, number",
        )?;
        let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use crate::{AuditAction, AuditEvent, FinalRow, RecommendationRow, Store};

    fn ev() -> AuditEvent {
        AuditEvent::new(AuditAction::Decision, "decision", "c#1", "0".repeat(64))
    }

    #[test]
    fn finals_and_recommended_items_are_read_across_calls() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        let f = |call: &str, number: &str, funded: bool| FinalRow {
            call_id: call.into(),
            round: 1,
            number: number.into(),
            application_id: format!("a-{number}"),
            version: 1,
            funded,
            amount_fen: 100,
            reason: "r".into(),
            rank: Some(1),
            decided_at: "t".into(),
            package_id: "p".into(),
        };
        store.write(ev(), |w| w.final_insert(&f("c2", "2027-ZX02-000001", false))).unwrap();
        store.write(ev(), |w| w.final_insert(&f("c1", "2027-ZX01-000002", true))).unwrap();
        let held = store.read(|r| r.finals_all()).unwrap();
        assert_eq!(
            held.iter().map(|f| (f.call_id.as_str(), f.funded)).collect::<Vec<_>>(),
            [("c1", true), ("c2", false)]
        );

        let rec = RecommendationRow {
            call_id: "c1".into(),
            round: 1,
            method: "mean".into(),
            ranking_sha256: "h".into(),
            items: r#"[{"number":"2027-ZX01-000002"},{"number":"2027-ZX01-000001"}]"#.into(),
            dropped: "[]".into(),
            made_at: "t".into(),
        };
        store.write(ev(), |w| w.recommendation_put(&rec)).unwrap();
        store.write(ev(), |w| w.recommendation_put(&RecommendationRow { round: 2, ..rec.clone() })).unwrap();
        assert_eq!(
            store.read(|r| r.recommended_items_all()).unwrap(),
            [("c1".to_string(), "2027-ZX01-000001".to_string()), ("c1".into(), "2027-ZX01-000002".into())]
        );
        assert!(store.read(|r| r.reviewed_items_all()).unwrap().is_empty());
    }
}
