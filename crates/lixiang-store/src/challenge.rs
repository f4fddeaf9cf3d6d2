//! 揭榜挂帅 after the selection, as stored (migrations 0013 and 0024): each selected team's agreement; a race's milestone results, gate decisions and
//! the amendments merges make; a bounty's acceptances and payouts. Rules (what may be recorded when, the
//! tranche ledger computed from these rows) live in `lixiang-core::review::challenge`; this module only
//! reads and writes rows.

use crate::{Reader, Result, Writer};
use rusqlite::{params, Row};

/// A team's result at a milestone, from its report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct MilestoneResultRow {
    pub call_id: String,
    pub milestone: String,
    pub number: String,
    pub report_sha256: String,
    pub report_name: String,
    /// A JSON object: core indicator code → achieved value.
    pub achieved: String,
    pub note: String,
    pub recorded_at: String,
}

/// The agreement (任务书/协议) the 发榜方 signed with a selected team (migration 0024).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AgreementRow {
    pub call_id: String,
    pub number: String,
    pub agreement_no: String,
    pub signed_on: String,
    pub funding_fen: i64,
    pub file_sha256: String,
    pub file_name: String,
    pub file_size: i64,
    pub recorded_at: String,
}

/// A milestone gate, decided.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GateRow {
    pub call_id: String,
    pub milestone: String,
    pub reason: String,
    pub decided_at: String,
}

/// What a gate decided for one team.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GateDecisionRow {
    pub call_id: String,
    pub milestone: String,
    pub number: String,
    /// `continue`, `terminate`, `merge` or `increase`.
    pub decision: String,
    /// For `merge`: the team joined.
    pub into_number: Option<String>,
    pub amount_fen: i64,
}

/// The amendment a merge makes: members of `from_number` added to `number`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AmendmentRow {
    /// The office's own id (0 before it is inserted).
    pub id: i64,
    pub call_id: String,
    pub milestone: String,
    pub number: String,
    pub from_number: String,
    /// A JSON array of the members added.
    pub members: String,
    pub reason: String,
    pub recorded_at: String,
}

/// A bounty's acceptance of the winning team.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AcceptanceRow {
    /// The office's own id (0 before it is inserted).
    pub id: i64,
    pub call_id: String,
    pub number: String,
    /// A JSON object: core indicator code → `met` / `not_met`.
    pub verdicts: String,
    /// A JSON array of the supporting files.
    pub files: String,
    pub all_met: bool,
    pub note: String,
    pub recorded_at: String,
}

/// A part of a bounty paid.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PayoutRow {
    pub call_id: String,
    /// The part's position in the bounty's split, from 0.
    pub part: u32,
    pub number: String,
    pub label: String,
    /// `agreement` or `acceptance`.
    pub due: String,
    pub percent: u32,
    pub amount_fen: i64,
    pub acceptance_id: Option<i64>,
    pub paid_on: String,
    pub recorded_at: String,
}

const RESULT: &str = "call_id, milestone, number, report_sha256, report_name, achieved, note, recorded_at";

fn result_of(r: &Row) -> rusqlite::Result<MilestoneResultRow> {
    Ok(MilestoneResultRow {
        call_id: r.get(0)?,
        milestone: r.get(1)?,
        number: r.get(2)?,
        report_sha256: r.get(3)?,
        report_name: r.get(4)?,
        achieved: r.get(5)?,
        note: r.get(6)?,
        recorded_at: r.get(7)?,
    })
}

const AGREEMENT: &str =
    "call_id, number, agreement_no, signed_on, funding_fen, file_sha256, file_name, file_size, recorded_at";

fn agreement_of(r: &Row) -> rusqlite::Result<AgreementRow> {
    Ok(AgreementRow {
        call_id: r.get(0)?,
        number: r.get(1)?,
        agreement_no: r.get(2)?,
        signed_on: r.get(3)?,
        funding_fen: r.get(4)?,
        file_sha256: r.get(5)?,
        file_name: r.get(6)?,
        file_size: r.get(7)?,
        recorded_at: r.get(8)?,
    })
}

const ACCEPTANCE: &str = "id, call_id, number, verdicts, files, all_met, note, recorded_at";

fn acceptance_of(r: &Row) -> rusqlite::Result<AcceptanceRow> {
    Ok(AcceptanceRow {
        id: r.get(0)?,
        call_id: r.get(1)?,
        number: r.get(2)?,
        verdicts: r.get(3)?,
        files: r.get(4)?,
        all_met: r.get(5)?,
        note: r.get(6)?,
        recorded_at: r.get(7)?,
    })
}

const PAYOUT: &str = "call_id, part, number, label, due, percent, amount_fen, acceptance_id, paid_on, recorded_at";

fn payout_of(r: &Row) -> rusqlite::Result<PayoutRow> {
    Ok(PayoutRow {
        call_id: r.get(0)?,
        part: r.get(1)?,
        number: r.get(2)?,
        label: r.get(3)?,
        due: r.get(4)?,
        percent: r.get(5)?,
        amount_fen: r.get(6)?,
        acceptance_id: r.get(7)?,
        paid_on: r.get(8)?,
        recorded_at: r.get(9)?,
    })
}

impl Writer<'_> {
    /// Removes a team's agreement (its annulment before the 公示; the audit event written in the same
    /// transaction keeps the row and the reason). Returns whether there was one.
    pub fn agreement_delete(&self, call_id: &str, number: &str) -> Result<bool> {
        let n = self
            .tx
            .execute("DELETE FROM challenge_agreement WHERE call_id = ?1 AND number = ?2", params![call_id, number])?;
        Ok(n > 0)
    }

    /// Records a team's agreement; a second one for the same team and call is refused by the key.
    pub fn agreement_insert(&self, a: &AgreementRow) -> Result<()> {
        self.tx.execute(
            &format!("INSERT INTO challenge_agreement ({AGREEMENT}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
            params![
                a.call_id,
                a.number,
                a.agreement_no,
                a.signed_on,
                a.funding_fen,
                a.file_sha256,
                a.file_name,
                a.file_size,
                a.recorded_at
            ],
        )?;
        Ok(())
    }

    /// Records a team's milestone result, replacing one held (the core allows that only before the gate).
    pub fn milestone_result_put(&self, m: &MilestoneResultRow) -> Result<()> {
        self.tx.execute(
            &format!(
                "INSERT OR REPLACE INTO challenge_milestone_result ({RESULT}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
            ),
            params![
                m.call_id,
                m.milestone,
                m.number,
                m.report_sha256,
                m.report_name,
                m.achieved,
                m.note,
                m.recorded_at
            ],
        )?;
        Ok(())
    }

    /// Records a gate and its decisions (once: the primary key refuses a second).
    pub fn gate_insert(&self, g: &GateRow, decisions: &[GateDecisionRow]) -> Result<()> {
        self.tx.execute(
            "INSERT INTO challenge_gate (call_id, milestone, reason, decided_at) VALUES (?1, ?2, ?3, ?4)",
            params![g.call_id, g.milestone, g.reason, g.decided_at],
        )?;
        for d in decisions {
            self.tx.execute(
                "INSERT INTO challenge_gate_decision (call_id, milestone, number, decision, into_number, amount_fen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![d.call_id, d.milestone, d.number, d.decision, d.into_number, d.amount_fen],
            )?;
        }
        Ok(())
    }

    /// Records a merge's amendment; returns its id.
    pub fn amendment_insert(&self, a: &AmendmentRow) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO challenge_amendment (call_id, milestone, number, from_number, members, reason, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![a.call_id, a.milestone, a.number, a.from_number, a.members, a.reason, a.recorded_at],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Records an acceptance; returns its id.
    pub fn acceptance_insert(&self, a: &AcceptanceRow) -> Result<i64> {
        self.tx.execute(
            "INSERT INTO challenge_acceptance (call_id, number, verdicts, files, all_met, note, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![a.call_id, a.number, a.verdicts, a.files, a.all_met, a.note, a.recorded_at],
        )?;
        Ok(self.tx.last_insert_rowid())
    }

    /// Records a part of a bounty paid (once: the primary key refuses a second).
    pub fn payout_insert(&self, p: &PayoutRow) -> Result<()> {
        self.tx.execute(
            &format!("INSERT INTO challenge_payout ({PAYOUT}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
            params![
                p.call_id,
                p.part,
                p.number,
                p.label,
                p.due,
                p.percent,
                p.amount_fen,
                p.acceptance_id,
                p.paid_on,
                p.recorded_at
            ],
        )?;
        Ok(())
    }
}

impl Reader<'_> {
    /// A call's recorded agreements, by 申报编号.
    pub fn agreements(&self, call_id: &str) -> Result<Vec<AgreementRow>> {
        let mut st = self
            .tx
            .prepare(&format!("SELECT {AGREEMENT} FROM challenge_agreement WHERE call_id = ?1 ORDER BY number"))?;
        let rows = st.query_map([call_id], agreement_of)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// A call's milestone results, by milestone and 申报编号.
    pub fn milestone_results(&self, call_id: &str) -> Result<Vec<MilestoneResultRow>> {
        let mut st = self.tx.prepare(&format!(
            "SELECT {RESULT} FROM challenge_milestone_result WHERE call_id = ?1 ORDER BY milestone, number"
        ))?;
        let rows = st.query_map([call_id], result_of)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// A call's gates decided, in the order they were decided.
    pub fn gates(&self, call_id: &str) -> Result<Vec<GateRow>> {
        let mut st = self.tx.prepare(
            "SELECT call_id, milestone, reason, decided_at FROM challenge_gate WHERE call_id = ?1 ORDER BY rowid",
        )?;
        let rows = st
            .query_map([call_id], |r| {
                Ok(GateRow { call_id: r.get(0)?, milestone: r.get(1)?, reason: r.get(2)?, decided_at: r.get(3)? })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The per-team decisions of a call's gates.
    pub fn gate_decisions(&self, call_id: &str) -> Result<Vec<GateDecisionRow>> {
        let mut st = self.tx.prepare(
            "SELECT call_id, milestone, number, decision, into_number, amount_fen FROM challenge_gate_decision
             WHERE call_id = ?1 ORDER BY milestone, number",
        )?;
        let rows = st
            .query_map([call_id], |r| {
                Ok(GateDecisionRow {
                    call_id: r.get(0)?,
                    milestone: r.get(1)?,
                    number: r.get(2)?,
                    decision: r.get(3)?,
                    into_number: r.get(4)?,
                    amount_fen: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// A call's amendments, in the order they were made.
    pub fn amendments(&self, call_id: &str) -> Result<Vec<AmendmentRow>> {
        let mut st = self.tx.prepare(
            "SELECT id, call_id, milestone, number, from_number, members, reason, recorded_at
             FROM challenge_amendment WHERE call_id = ?1 ORDER BY id",
        )?;
        let rows = st
            .query_map([call_id], |r| {
                Ok(AmendmentRow {
                    id: r.get(0)?,
                    call_id: r.get(1)?,
                    milestone: r.get(2)?,
                    number: r.get(3)?,
                    from_number: r.get(4)?,
                    members: r.get(5)?,
                    reason: r.get(6)?,
                    recorded_at: r.get(7)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// A call's acceptances, in the order they were recorded.
    pub fn acceptances(&self, call_id: &str) -> Result<Vec<AcceptanceRow>> {
        let mut st = self
            .tx
            .prepare(&format!("SELECT {ACCEPTANCE} FROM challenge_acceptance WHERE call_id = ?1 ORDER BY id"))?;
        let rows = st.query_map([call_id], acceptance_of)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// A call's payouts, by part.
    pub fn payouts(&self, call_id: &str) -> Result<Vec<PayoutRow>> {
        let mut st =
            self.tx.prepare(&format!("SELECT {PAYOUT} FROM challenge_payout WHERE call_id = ?1 ORDER BY part"))?;
        let rows = st.query_map([call_id], payout_of)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{AuditAction, AuditEvent, Store};

    fn ev() -> AuditEvent {
        AuditEvent::new(AuditAction::Decision, "test", "c#1", "0".repeat(64))
    }

    #[test]
    fn a_gate_is_decided_once_and_a_merge_needs_its_team() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("t.db")).unwrap();
        let gate =
            GateRow { call_id: "c".into(), milestone: "M1".into(), reason: "考核".into(), decided_at: "t".into() };
        let d = |n: &str, decision: &str, into: Option<&str>| GateDecisionRow {
            call_id: "c".into(),
            milestone: "M1".into(),
            number: n.into(),
            decision: decision.into(),
            into_number: into.map(String::from),
            amount_fen: 0,
        };
        s.write(ev(), |w| w.gate_insert(&gate, &[d("A", "continue", None), d("B", "merge", Some("A"))])).unwrap();
        assert!(s.write(ev(), |w| w.gate_insert(&gate, &[])).is_err(), "a second gate at M1");
        let other = GateRow { milestone: "M2".into(), ..gate.clone() };
        let mut bad = d("B", "merge", None);
        bad.milestone = "M2".into();
        assert!(s.write(ev(), |w| w.gate_insert(&other, &[bad])).is_err(), "a merge into no team");
        // The failed write rolled back whole: no M2 gate.
        let gates = s.read(|r| r.gates("c")).unwrap();
        assert_eq!(gates.len(), 1);
        assert_eq!(s.read(|r| r.gate_decisions("c")).unwrap().len(), 2);
    }

    #[test]
    fn a_payout_is_recorded_once_and_an_acceptance_part_names_its_acceptance() {
        let dir = tempfile::tempdir().unwrap();
        let mut s = Store::open(&dir.path().join("t.db")).unwrap();
        let a = AcceptanceRow {
            id: 0,
            call_id: "c".into(),
            number: "N".into(),
            verdicts: r#"{"I1":"met"}"#.into(),
            files: "[]".into(),
            all_met: true,
            note: String::new(),
            recorded_at: "t".into(),
        };
        let id = s.write(ev(), |w| w.acceptance_insert(&a)).unwrap();
        let p = PayoutRow {
            call_id: "c".into(),
            part: 0,
            number: "N".into(),
            label: "揭榜团队".into(),
            due: "acceptance".into(),
            percent: 70,
            amount_fen: 7,
            acceptance_id: Some(id),
            paid_on: "2029-01-01".into(),
            recorded_at: "t".into(),
        };
        s.write(ev(), |w| w.payout_insert(&p)).unwrap();
        assert!(s.write(ev(), |w| w.payout_insert(&p)).is_err(), "paid twice");
        let orphan = PayoutRow { part: 1, acceptance_id: None, ..p.clone() };
        assert!(s.write(ev(), |w| w.payout_insert(&orphan)).is_err(), "an acceptance part without its acceptance");
        assert_eq!(s.read(|r| r.payouts("c")).unwrap(), vec![p]);
        assert_eq!(s.read(|r| r.acceptances("c")).unwrap()[0].id, id);
    }
}
