//! The formal check as stored (migrations 0007 and 0022): the office's decisions on received versions, the
//! results an applicant received from the office, and the applicant's withdrawals. A version may carry
//! several decisions in sequence (`seq`, after a granted appeal, see `appeal.rs`); the newest counts.

use crate::{Reader, Result, Writer};
use rusqlite::{params, OptionalExtension, Row};

/// A formal-check decision on one version: as the office recorded it, or as the applicant received it
/// (then with the sender's key and the receipt time).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DecisionRow {
    pub application_id: String,
    pub version: u32,
    /// The decision's place on its version: 1, then one more after each granted appeal (migration 0022).
    pub seq: u32,
    pub number: String,
    /// `accept`, `return` or `reject`.
    pub decision: String,
    /// The reasons as a JSON array of strings.
    pub reasons: String,
    pub fix_by: Option<String>,
    pub decided_at: String,
    pub package_id: String,
    /// The office's key (received results only; empty on the office's own rows).
    pub sender_key_id: String,
    /// When the result was imported (received results only; empty on the office's own rows).
    pub received_at: String,
}

/// A withdrawal made by the applicant.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WithdrawalRow {
    pub application_id: String,
    pub version: u32,
    pub withdrawn_at: String,
    pub reason: String,
}

const DECISION_COLUMNS: &str =
    "application_id, version, seq, number, decision, reasons, fix_by, decided_at, package_id";

/// The newest decision per application that still stands: the highest (version, seq), unless an appeal
/// against it was granted (set aside: nothing stands until the officer decides again).
const STANDING_LATEST: &str = "SELECT application_id, version, seq, number, decision, reasons, fix_by, decided_at,
            package_id, NULL, NULL FROM formal_decision d
     WHERE NOT EXISTS (SELECT 1 FROM formal_decision e WHERE e.application_id = d.application_id
                       AND (e.version > d.version OR (e.version = d.version AND e.seq > d.seq)))
       AND NOT EXISTS (SELECT 1 FROM formal_appeal a WHERE a.application_id = d.application_id
                       AND a.version = d.version AND a.decision_seq = d.seq AND a.outcome = 'granted')";

fn decision_of(r: &Row) -> rusqlite::Result<DecisionRow> {
    Ok(DecisionRow {
        application_id: r.get(0)?,
        version: r.get(1)?,
        seq: r.get(2)?,
        number: r.get(3)?,
        decision: r.get(4)?,
        reasons: r.get(5)?,
        fix_by: r.get(6)?,
        decided_at: r.get(7)?,
        package_id: r.get(8)?,
        sender_key_id: r.get::<_, Option<String>>(9)?.unwrap_or_default(),
        received_at: r.get::<_, Option<String>>(10)?.unwrap_or_default(),
    })
}

impl Writer<'_> {
    /// Records the office's decision on a version (never replaced: the primary key refuses a second with
    /// the same `seq`).
    pub fn formal_decision_insert(&self, d: &DecisionRow) -> Result<()> {
        self.tx.execute(
            &format!("INSERT INTO formal_decision ({DECISION_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
            params![
                d.application_id,
                d.version,
                d.seq,
                d.number,
                d.decision,
                d.reasons,
                d.fix_by,
                d.decided_at,
                d.package_id
            ],
        )?;
        Ok(())
    }

    /// Records a result received from the office.
    pub fn formal_result_insert(&self, d: &DecisionRow) -> Result<()> {
        self.tx.execute(
            &format!(
                "INSERT INTO formal_result ({DECISION_COLUMNS}, sender_key_id, received_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
            ),
            params![
                d.application_id,
                d.version,
                d.seq,
                d.number,
                d.decision,
                d.reasons,
                d.fix_by,
                d.decided_at,
                d.package_id,
                d.sender_key_id,
                d.received_at
            ],
        )?;
        Ok(())
    }

    /// Records a withdrawal (once per application).
    pub fn application_withdrawal_insert(&self, w: &WithdrawalRow) -> Result<()> {
        self.tx.execute(
            "INSERT INTO application_withdrawal (application_id, version, withdrawn_at, reason) VALUES (?1, ?2, ?3, ?4)",
            params![w.application_id, w.version, w.withdrawn_at, w.reason],
        )?;
        Ok(())
    }
}

impl Reader<'_> {
    /// The office's newest decision on an application (highest version, then highest seq), set aside or not.
    pub fn formal_decision_latest(&self, application_id: &str) -> Result<Option<DecisionRow>> {
        Ok(self
            .tx
            .query_row(
                &format!(
                    "SELECT {DECISION_COLUMNS}, NULL, NULL FROM formal_decision WHERE application_id = ?1
                     ORDER BY version DESC, seq DESC LIMIT 1"
                ),
                [application_id],
                decision_of,
            )
            .optional()?)
    }

    /// Every decision the office made on an application, oldest first (by version, then seq): the history
    /// a granted appeal leaves behind (不予受理 set aside, then decided again on the same version).
    pub fn formal_decisions(&self, application_id: &str) -> Result<Vec<DecisionRow>> {
        let mut st = self.tx.prepare(&format!(
            "SELECT {DECISION_COLUMNS}, NULL, NULL FROM formal_decision WHERE application_id = ?1
             ORDER BY version, seq"
        ))?;
        let rows = st.query_map([application_id], decision_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The office's newest decision on each application it decided (one query, for the list), leaving out
    /// an application whose newest decision was set aside by a granted appeal (it is to be decided again).
    pub fn formal_decisions_latest(&self) -> Result<Vec<DecisionRow>> {
        let mut st = self.tx.prepare(STANDING_LATEST)?;
        let rows = st.query_map([], decision_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The ids of the applications the office did not accept (they hold no 限项 place): the newest
    /// decision that stands is a 不予受理 (one set aside on appeal no longer counts).
    pub fn formal_rejected_ids(&self) -> Result<Vec<String>> {
        let mut st =
            self.tx.prepare(&format!("SELECT application_id FROM ({STANDING_LATEST}) WHERE decision = 'reject'"))?;
        let rows = st.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The result for the newest version of an application received from the office.
    pub fn formal_result_latest(&self, application_id: &str) -> Result<Option<DecisionRow>> {
        Ok(self
            .tx
            .query_row(
                &format!(
                    "SELECT {DECISION_COLUMNS}, sender_key_id, received_at FROM formal_result
                     WHERE application_id = ?1 ORDER BY version DESC, seq DESC LIMIT 1"
                ),
                [application_id],
                decision_of,
            )
            .optional()?)
    }

    /// The applicant's withdrawal of an application, if any.
    pub fn application_withdrawal(&self, application_id: &str) -> Result<Option<WithdrawalRow>> {
        Ok(self
            .tx
            .query_row(
                "SELECT application_id, version, withdrawn_at, reason FROM application_withdrawal
                 WHERE application_id = ?1",
                [application_id],
                |r| {
                    Ok(WithdrawalRow {
                        application_id: r.get(0)?,
                        version: r.get(1)?,
                        withdrawn_at: r.get(2)?,
                        reason: r.get(3)?,
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

    fn row(version: u32, decision: &str) -> DecisionRow {
        DecisionRow {
            application_id: "a".into(),
            version,
            seq: 1,
            number: "2027-ZX06-000001".into(),
            decision: decision.into(),
            reasons: r#"["缺少附件"]"#.into(),
            fix_by: Some("2027-04-01".into()),
            decided_at: "2027-03-20T01:00:00Z".into(),
            package_id: format!("p{version}"),
            sender_key_id: String::new(),
            received_at: String::new(),
        }
    }

    #[test]
    fn one_decision_per_version_and_the_newest_is_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        let ev = || AuditEvent::new(AuditAction::FormalCheck, "formal_decision", "a", "0".repeat(64));
        store.write(ev(), |w| w.formal_decision_insert(&row(1, "return"))).unwrap();
        assert!(store.write(ev(), |w| w.formal_decision_insert(&row(1, "accept"))).is_err());
        store.write(ev(), |w| w.formal_decision_insert(&row(2, "reject"))).unwrap();
        let latest = store.read(|r| r.formal_decision_latest("a")).unwrap().unwrap();
        assert_eq!((latest.version, latest.decision.as_str()), (2, "reject"));
        assert_eq!(store.read(|r| r.formal_rejected_ids()).unwrap(), vec!["a".to_string()]);
        let all = store.read(|r| r.formal_decisions_latest()).unwrap();
        assert_eq!(all.iter().map(|d| d.version).collect::<Vec<_>>(), [2]);
        let bad = DecisionRow { reasons: "not json".into(), ..row(3, "accept") };
        assert!(store.write(ev(), |w| w.formal_decision_insert(&bad)).is_err());
    }
}
