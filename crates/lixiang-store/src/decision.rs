//! Funding decisions as stored (migration 0012): the office's recommendation list of a round, its 公示
//! with the objection log, the final decision per item; and the funding results an applicant received.
//! Rules (what may be recorded when) live in `lixiang-core::review::decision`; this module only reads and
//! writes rows.

use crate::{Reader, Result, Writer};
use rusqlite::{params, OptionalExtension, Row};

/// The recommendation list of a round with its inputs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecommendationRow {
    pub call_id: String,
    pub round: u32,
    pub method: String,
    pub ranking_sha256: String,
    /// The items recommended, as a JSON array.
    pub items: String,
    /// The items dropped from above the line, as a JSON array.
    pub dropped: String,
    pub made_at: String,
}

/// The 公示 of a round.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PublicityRow {
    pub call_id: String,
    pub round: u32,
    /// YYYY-MM-DD, the first day.
    pub starts_on: String,
    /// YYYY-MM-DD, the last day.
    pub ends_on: String,
    pub days: u32,
    pub started_at: String,
}

/// An objection received during a 公示, and its resolution once made.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ObjectionRow {
    /// The office's own id (0 before it is inserted).
    pub id: i64,
    pub call_id: String,
    pub round: u32,
    pub number: String,
    pub received_on: String,
    pub summary: String,
    pub recorded_at: String,
    /// `upheld` or `dismissed`.
    pub resolution: Option<String>,
    pub resolution_reason: Option<String>,
    pub resolved_at: Option<String>,
}

/// The final decision on one item of a round.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FinalRow {
    pub call_id: String,
    pub round: u32,
    pub number: String,
    pub application_id: String,
    pub version: u32,
    pub funded: bool,
    pub amount_fen: i64,
    pub reason: String,
    pub rank: Option<u32>,
    pub decided_at: String,
    pub package_id: String,
}

/// A funding result as the applicant received it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FundingResultRow {
    pub application_id: String,
    pub version: u32,
    pub number: String,
    pub funded: bool,
    /// The decrypted payload, exactly as it came.
    pub body: String,
    pub decided_at: String,
    pub package_id: String,
    pub sender_key_id: String,
    pub received_at: String,
}

const OBJECTION: &str = "id, call_id, round, number, received_on, summary, recorded_at, resolution, \
                         resolution_reason, resolved_at";

fn objection_of(r: &Row) -> rusqlite::Result<ObjectionRow> {
    Ok(ObjectionRow {
        id: r.get(0)?,
        call_id: r.get(1)?,
        round: r.get(2)?,
        number: r.get(3)?,
        received_on: r.get(4)?,
        summary: r.get(5)?,
        recorded_at: r.get(6)?,
        resolution: r.get(7)?,
        resolution_reason: r.get(8)?,
        resolved_at: r.get(9)?,
    })
}

const FINAL: &str =
    "call_id, round, number, application_id, version, funded, amount_fen, reason, rank, decided_at, package_id";

fn final_of(r: &Row) -> rusqlite::Result<FinalRow> {
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
}

impl Writer<'_> {
    /// Records a round's recommendation list, replacing the one held (the core allows that only before
    /// the round's 公示 starts).
    pub fn recommendation_put(&self, r: &RecommendationRow) -> Result<()> {
        self.tx.execute(
            "INSERT OR REPLACE INTO decision_recommendation
             (call_id, round, method, ranking_sha256, items, dropped, made_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![r.call_id, r.round, r.method, r.ranking_sha256, r.items, r.dropped, r.made_at],
        )?;
        Ok(())
    }

    /// Starts a round's 公示 (once: the primary key refuses a second).
    pub fn publicity_insert(&self, p: &PublicityRow) -> Result<()> {
        self.tx.execute(
            "INSERT INTO decision_publicity (call_id, round, starts_on, ends_on, days, started_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![p.call_id, p.round, p.starts_on, p.ends_on, p.days, p.started_at],
        )?;
        Ok(())
    }

    /// Logs an objection (unresolved); returns its id.
    pub fn objection_insert(&self, o: &ObjectionRow) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO decision_objection (call_id, round, number, received_on, summary, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![o.call_id, o.round, o.number, o.received_on, o.summary, o.recorded_at],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Resolves an unresolved objection; returns whether one was (false: unknown or resolved already).
    pub fn objection_resolve(&self, id: i64, resolution: &str, reason: &str, at: &str) -> Result<bool> {
        let n = self.tx.execute(
            "UPDATE decision_objection SET resolution = ?2, resolution_reason = ?3, resolved_at = ?4
             WHERE id = ?1 AND resolution IS NULL",
            params![id, resolution, reason, at],
        )?;
        Ok(n == 1)
    }

    /// Records the final decision on an item (never replaced).
    pub fn final_insert(&self, f: &FinalRow) -> Result<()> {
        self.tx.execute(
            &format!("INSERT INTO decision_final ({FINAL}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
            params![
                f.call_id,
                f.round,
                f.number,
                f.application_id,
                f.version,
                f.funded,
                f.amount_fen,
                f.reason,
                f.rank,
                f.decided_at,
                f.package_id
            ],
        )?;
        Ok(())
    }

    /// Records a funding result received from the office (once per application).
    pub fn funding_result_insert(&self, r: &FundingResultRow) -> Result<()> {
        self.tx.execute(
            "INSERT INTO funding_result (application_id, version, number, funded, body, decided_at, package_id,
             sender_key_id, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                r.application_id,
                r.version,
                r.number,
                r.funded,
                r.body,
                r.decided_at,
                r.package_id,
                r.sender_key_id,
                r.received_at
            ],
        )?;
        Ok(())
    }
}

impl Reader<'_> {
    /// A round's recommendation list, if made.
    pub fn recommendation(&self, call_id: &str, round: u32) -> Result<Option<RecommendationRow>> {
        Ok(self
            .tx
            .query_row(
                "SELECT call_id, round, method, ranking_sha256, items, dropped, made_at FROM decision_recommendation
                 WHERE call_id = ?1 AND round = ?2",
                params![call_id, round],
                |r| {
                    Ok(RecommendationRow {
                        call_id: r.get(0)?,
                        round: r.get(1)?,
                        method: r.get(2)?,
                        ranking_sha256: r.get(3)?,
                        items: r.get(4)?,
                        dropped: r.get(5)?,
                        made_at: r.get(6)?,
                    })
                },
            )
            .optional()?)
    }

    /// A round's 公示, if started.
    pub fn publicity(&self, call_id: &str, round: u32) -> Result<Option<PublicityRow>> {
        Ok(self
            .tx
            .query_row(
                "SELECT call_id, round, starts_on, ends_on, days, started_at FROM decision_publicity
                 WHERE call_id = ?1 AND round = ?2",
                params![call_id, round],
                |r| {
                    Ok(PublicityRow {
                        call_id: r.get(0)?,
                        round: r.get(1)?,
                        starts_on: r.get(2)?,
                        ends_on: r.get(3)?,
                        days: r.get(4)?,
                        started_at: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    /// The objections of a round's 公示, in the order they were logged.
    pub fn objections(&self, call_id: &str, round: u32) -> Result<Vec<ObjectionRow>> {
        let mut st = self.tx.prepare(&format!(
            "SELECT {OBJECTION} FROM decision_objection WHERE call_id = ?1 AND round = ?2 ORDER BY id"
        ))?;
        let rows = st.query_map(params![call_id, round], objection_of)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// One objection by id.
    pub fn objection(&self, id: i64) -> Result<Option<ObjectionRow>> {
        Ok(self
            .tx
            .query_row(&format!("SELECT {OBJECTION} FROM decision_objection WHERE id = ?1"), [id], objection_of)
            .optional()?)
    }

    /// The final decisions of a round, by 申报编号.
    pub fn finals(&self, call_id: &str, round: u32) -> Result<Vec<FinalRow>> {
        let mut st = self.tx.prepare(&format!(
            "SELECT {FINAL} FROM decision_final WHERE call_id = ?1 AND round = ?2 ORDER BY number"
        ))?;
        let rows = st.query_map(params![call_id, round], final_of)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Whether the newest final decision on an application funds it; `None` before any (the office's
    /// list shows a decided application as 立项 / 不予立项).
    pub fn final_funded(&self, application_id: &str) -> Result<Option<bool>> {
        Ok(self
            .tx
            .query_row(
                "SELECT funded FROM decision_final WHERE application_id = ?1 ORDER BY decided_at DESC, round DESC LIMIT 1",
                [application_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The funding result received for an application, if any.
    pub fn funding_result(&self, application_id: &str) -> Result<Option<FundingResultRow>> {
        Ok(self
            .tx
            .query_row(
                "SELECT application_id, version, number, funded, body, decided_at, package_id, sender_key_id,
                 received_at FROM funding_result WHERE application_id = ?1",
                [application_id],
                |r| {
                    Ok(FundingResultRow {
                        application_id: r.get(0)?,
                        version: r.get(1)?,
                        number: r.get(2)?,
                        funded: r.get(3)?,
                        body: r.get(4)?,
                        decided_at: r.get(5)?,
                        package_id: r.get(6)?,
                        sender_key_id: r.get(7)?,
                        received_at: r.get(8)?,
                    })
                },
            )
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AuditAction, AuditEvent, Store};

    fn ev() -> AuditEvent {
        AuditEvent::new(AuditAction::Decision, "decision", "c#1", "0".repeat(64))
    }

    fn publicity() -> PublicityRow {
        PublicityRow {
            call_id: "c".into(),
            round: 1,
            starts_on: "2027-06-01".into(),
            ends_on: "2027-06-07".into(),
            days: 7,
            started_at: "2027-06-01T00:00:00Z".into(),
        }
    }

    fn objection() -> ObjectionRow {
        ObjectionRow {
            id: 0,
            call_id: "c".into(),
            round: 1,
            number: "2027-ZX06-000001".into(),
            received_on: "2027-06-02".into(),
            summary: "负责人在研项目超限".into(),
            recorded_at: "2027-06-02T01:00:00Z".into(),
            resolution: None,
            resolution_reason: None,
            resolved_at: None,
        }
    }

    #[test]
    fn a_publicity_once_objections_resolved_once_and_finals_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        // An objection needs its 公示.
        assert!(store.write(ev(), |w| w.objection_insert(&objection())).is_err());
        store.write(ev(), |w| w.publicity_insert(&publicity())).unwrap();
        assert!(store.write(ev(), |w| w.publicity_insert(&publicity())).is_err(), "one 公示 per round");
        let bad = PublicityRow { ends_on: "2027-05-01".into(), ..publicity() };
        assert!(store.write(ev(), |w| w.publicity_insert(&PublicityRow { round: 2, ..bad })).is_err());
        let id = store.write(ev(), |w| w.objection_insert(&objection())).unwrap();
        assert!(store.write(ev(), |w| w.objection_resolve(id, "upheld", "属实", "t")).unwrap());
        assert!(!store.write(ev(), |w| w.objection_resolve(id, "dismissed", "x", "t")).unwrap());
        let held = store.read(|r| r.objections("c", 1)).unwrap();
        assert_eq!(held.len(), 1);
        assert_eq!(
            (held[0].resolution.as_deref(), held[0].resolution_reason.as_deref()),
            (Some("upheld"), Some("属实"))
        );
        assert!(store.write(ev(), |w| w.objection_resolve(id + 1, "upheld", "x", "t")).is_ok_and(|done| !done));

        let f = FinalRow {
            call_id: "c".into(),
            round: 1,
            number: "2027-ZX06-000001".into(),
            application_id: "a".into(),
            version: 1,
            funded: true,
            amount_fen: 100,
            reason: "列入推荐名单".into(),
            rank: Some(1),
            decided_at: "t".into(),
            package_id: "p".into(),
        };
        store.write(ev(), |w| w.final_insert(&f)).unwrap();
        assert!(store.write(ev(), |w| w.final_insert(&FinalRow { funded: false, ..f.clone() })).is_err());
        // The office's list reads the final decision of an application (none for another).
        assert_eq!(store.read(|r| r.final_funded("a")).unwrap(), Some(true));
        assert_eq!(store.read(|r| r.final_funded("b")).unwrap(), None);
        assert_eq!(store.read(|r| r.finals("c", 1)).unwrap(), vec![f]);

        let rec = RecommendationRow {
            call_id: "c".into(),
            round: 1,
            method: "mean".into(),
            ranking_sha256: "h".into(),
            items: "[]".into(),
            dropped: "[]".into(),
            made_at: "t".into(),
        };
        store.write(ev(), |w| w.recommendation_put(&rec)).unwrap();
        store
            .write(ev(), |w| w.recommendation_put(&RecommendationRow { method: "median".into(), ..rec.clone() }))
            .unwrap();
        assert_eq!(store.read(|r| r.recommendation("c", 1)).unwrap().unwrap().method, "median");
        assert!(store.write(ev(), |w| w.recommendation_put(&RecommendationRow { items: "{".into(), ..rec })).is_err());
    }
}
