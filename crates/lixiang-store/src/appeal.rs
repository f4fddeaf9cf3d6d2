//! Appeals (申诉) against the formal check's 不予受理 as stored: on the office's desktop (migration 0022)
//! one row per decision appealed against, written when the appeal is logged and completed once when it is
//! resolved; on the applicant's laptop (migration 0025) the office's answer as a result package carried it.

use crate::{Reader, Result, Writer};
use rusqlite::{params, OptionalExtension, Row};

/// An appeal against one formal decision (application, version, seq).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AppealRow {
    pub application_id: String,
    pub version: u32,
    /// The `seq` of the decision appealed against.
    pub decision_seq: u32,
    /// 申报编号.
    pub number: String,
    /// When the appeal reached the office (YYYY-MM-DD).
    pub received_on: String,
    /// Who appealed and how, as the officer typed it.
    pub appellant: String,
    pub body: String,
    pub logged_at: String,
    /// `upheld` or `granted` once resolved.
    pub outcome: Option<String>,
    pub reason: Option<String>,
    pub resolved_at: Option<String>,
    /// The result package that carried an upheld appeal's answer to the applicant (`outgoing_package`,
    /// migration 0026); `None` while open and when granted.
    pub answer_package_id: Option<String>,
}

const COLUMNS: &str = "application_id, version, decision_seq, number, received_on, appellant, body, logged_at,
     outcome, reason, resolved_at, answer_package_id";

fn appeal_of(r: &Row) -> rusqlite::Result<AppealRow> {
    Ok(AppealRow {
        application_id: r.get(0)?,
        version: r.get(1)?,
        decision_seq: r.get(2)?,
        number: r.get(3)?,
        received_on: r.get(4)?,
        appellant: r.get(5)?,
        body: r.get(6)?,
        logged_at: r.get(7)?,
        outcome: r.get(8)?,
        reason: r.get(9)?,
        resolved_at: r.get(10)?,
        answer_package_id: r.get(11)?,
    })
}

/// The office's answer to an appeal, as the applicant received it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AppealAnswerRow {
    pub application_id: String,
    pub version: u32,
    /// The `seq` of the decision appealed against.
    pub decision_seq: u32,
    pub number: String,
    /// `upheld` or `granted`.
    pub outcome: String,
    pub reason: String,
    pub received_on: String,
    pub resolved_at: String,
    pub package_id: String,
    pub sender_key_id: String,
    pub imported_at: String,
}

const ANSWER_COLUMNS: &str = "application_id, version, decision_seq, number, outcome, reason, received_on,
     resolved_at, package_id, sender_key_id, imported_at";

fn answer_of(r: &Row) -> rusqlite::Result<AppealAnswerRow> {
    Ok(AppealAnswerRow {
        application_id: r.get(0)?,
        version: r.get(1)?,
        decision_seq: r.get(2)?,
        number: r.get(3)?,
        outcome: r.get(4)?,
        reason: r.get(5)?,
        received_on: r.get(6)?,
        resolved_at: r.get(7)?,
        package_id: r.get(8)?,
        sender_key_id: r.get(9)?,
        imported_at: r.get(10)?,
    })
}

impl Writer<'_> {
    /// Records the office's answer to an appeal (the primary key refuses a second for the same decision).
    pub fn appeal_answer_insert(&self, a: &AppealAnswerRow) -> Result<()> {
        self.tx.execute(
            &format!(
                "INSERT INTO appeal_answer ({ANSWER_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
            ),
            params![
                a.application_id,
                a.version,
                a.decision_seq,
                a.number,
                a.outcome,
                a.reason,
                a.received_on,
                a.resolved_at,
                a.package_id,
                a.sender_key_id,
                a.imported_at
            ],
        )?;
        Ok(())
    }

    /// Logs an appeal (open: no outcome yet). The primary key refuses a second appeal on one decision.
    pub fn formal_appeal_insert(&self, a: &AppealRow) -> Result<()> {
        self.tx.execute(
            &format!(
                "INSERT INTO formal_appeal ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
            ),
            params![
                a.application_id,
                a.version,
                a.decision_seq,
                a.number,
                a.received_on,
                a.appellant,
                a.body,
                a.logged_at,
                a.outcome,
                a.reason,
                a.resolved_at,
                a.answer_package_id
            ],
        )?;
        Ok(())
    }

    /// Resolves an open appeal, with the package that carries its answer when upheld; returns whether one
    /// was open (a resolved appeal is never changed).
    #[allow(clippy::too_many_arguments)]
    pub fn formal_appeal_resolve(
        &self,
        application_id: &str,
        version: u32,
        decision_seq: u32,
        outcome: &str,
        reason: &str,
        resolved_at: &str,
        answer_package_id: Option<&str>,
    ) -> Result<bool> {
        let n = self.tx.execute(
            "UPDATE formal_appeal SET outcome = ?4, reason = ?5, resolved_at = ?6, answer_package_id = ?7
             WHERE application_id = ?1 AND version = ?2 AND decision_seq = ?3 AND outcome IS NULL",
            params![application_id, version, decision_seq, outcome, reason, resolved_at, answer_package_id],
        )?;
        Ok(n == 1)
    }
}

impl Reader<'_> {
    /// The office's answer to the appeal against one decision, as received here.
    pub fn appeal_answer(
        &self,
        application_id: &str,
        version: u32,
        decision_seq: u32,
    ) -> Result<Option<AppealAnswerRow>> {
        Ok(self
            .tx
            .query_row(
                &format!(
                    "SELECT {ANSWER_COLUMNS} FROM appeal_answer
                     WHERE application_id = ?1 AND version = ?2 AND decision_seq = ?3"
                ),
                params![application_id, version, decision_seq],
                answer_of,
            )
            .optional()?)
    }

    /// The newest answer to an appeal received for an application (highest version, then decision).
    pub fn appeal_answer_latest(&self, application_id: &str) -> Result<Option<AppealAnswerRow>> {
        Ok(self
            .tx
            .query_row(
                &format!(
                    "SELECT {ANSWER_COLUMNS} FROM appeal_answer WHERE application_id = ?1
                     ORDER BY version DESC, decision_seq DESC LIMIT 1"
                ),
                [application_id],
                answer_of,
            )
            .optional()?)
    }

    /// The appeal against one decision, if any.
    pub fn formal_appeal(&self, application_id: &str, version: u32, decision_seq: u32) -> Result<Option<AppealRow>> {
        Ok(self
            .tx
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM formal_appeal
                     WHERE application_id = ?1 AND version = ?2 AND decision_seq = ?3"
                ),
                params![application_id, version, decision_seq],
                appeal_of,
            )
            .optional()?)
    }

    /// Every appeal on an application, oldest first.
    pub fn formal_appeals(&self, application_id: &str) -> Result<Vec<AppealRow>> {
        let mut st = self.tx.prepare(&format!(
            "SELECT {COLUMNS} FROM formal_appeal WHERE application_id = ?1 ORDER BY version, decision_seq"
        ))?;
        let rows = st.query_map([application_id], appeal_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AuditAction, AuditEvent, DecisionRow, Store};

    fn decision(seq: u32, decision: &str) -> DecisionRow {
        DecisionRow {
            application_id: "a".into(),
            version: 1,
            seq,
            number: "2027-ZX06-000001".into(),
            decision: decision.into(),
            reasons: r#"["缺少承诺书"]"#.into(),
            fix_by: None,
            decided_at: "2027-03-20T01:00:00Z".into(),
            package_id: format!("p{seq}"),
            sender_key_id: String::new(),
            received_at: String::new(),
        }
    }

    fn appeal(seq: u32) -> AppealRow {
        AppealRow {
            application_id: "a".into(),
            version: 1,
            decision_seq: seq,
            number: "2027-ZX06-000001".into(),
            received_on: "2027-03-25".into(),
            appellant: "申报单位（来函）".into(),
            body: "承诺书已随附件提交".into(),
            logged_at: "2027-03-25T01:00:00Z".into(),
            outcome: None,
            reason: None,
            resolved_at: None,
            answer_package_id: None,
        }
    }

    #[test]
    fn a_granted_appeal_sets_the_decision_aside_until_the_version_is_decided_again() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        let ev = || AuditEvent::new(AuditAction::FormalCheck, "formal_appeal", "a#1", "0".repeat(64));
        store.write(ev(), |w| w.formal_decision_insert(&decision(1, "reject"))).unwrap();
        assert_eq!(store.read(|r| r.formal_rejected_ids()).unwrap(), ["a"]);
        // Only on a decision held, and once per decision.
        assert!(store.write(ev(), |w| w.formal_appeal_insert(&appeal(2))).is_err());
        store.write(ev(), |w| w.formal_appeal_insert(&appeal(1))).unwrap();
        assert!(store.write(ev(), |w| w.formal_appeal_insert(&appeal(1))).is_err());
        assert_eq!(store.read(|r| r.formal_decisions_latest()).unwrap().len(), 1, "an open appeal sets nothing aside");
        let granted = store
            .write(ev(), |w| {
                w.formal_appeal_resolve("a", 1, 1, "granted", "承诺书在附件中", "2027-03-26T01:00:00Z", None)
            })
            .unwrap();
        assert!(granted);
        let again =
            store.write(ev(), |w| w.formal_appeal_resolve("a", 1, 1, "upheld", "x", "2027-03-27T01:00:00Z", None));
        assert!(!again.unwrap(), "a resolved appeal is never changed");
        let held = store.read(|r| r.formal_appeal("a", 1, 1)).unwrap().unwrap();
        assert_eq!(held.outcome.as_deref(), Some("granted"));
        // Set aside: nothing stands, the application holds a 限项 place again.
        assert!(store.read(|r| r.formal_decisions_latest()).unwrap().is_empty());
        assert!(store.read(|r| r.formal_rejected_ids()).unwrap().is_empty());
        assert_eq!(store.read(|r| r.formal_decision_latest("a")).unwrap().unwrap().seq, 1);
        // Decided again: the second decision on the same version is the one that counts.
        store.write(ev(), |w| w.formal_decision_insert(&decision(2, "accept"))).unwrap();
        let latest = store.read(|r| r.formal_decision_latest("a")).unwrap().unwrap();
        assert_eq!((latest.seq, latest.decision.as_str()), (2, "accept"));
        let all = store.read(|r| r.formal_decisions_latest()).unwrap();
        assert_eq!(all.iter().map(|d| (d.seq, d.decision.as_str())).collect::<Vec<_>>(), [(2, "accept")]);
        assert_eq!(store.read(|r| r.formal_appeals("a")).unwrap().len(), 1);
    }
}
