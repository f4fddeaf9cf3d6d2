//! The officer's hand on an assignment as stored (migration 0011): soft conflicts overridden for a call
//! (`conflict_override`) and pairs pinned or removed for a round (`assignment_pair_edit`). Only the current
//! state lives here; the history is the audit chain's. Which pairs may be overridden or pinned is the core's
//! rule, not this module's.

use crate::{Reader, Result, Writer};
use rusqlite::params;

/// A soft conflict the officer allowed, with the reason given.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConflictOverrideRow {
    pub call_id: String,
    /// 申报编号.
    pub application: String,
    /// Expert number (`ZJ000001`).
    pub expert: String,
    pub reason: String,
    /// The soft reason codes overridden, as a JSON array (`["soft.collaboration"]`).
    pub codes: String,
    pub created_at: String,
}

/// A pair of a round pinned (`kind` = `pin`) or removed (`remove`) by hand.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PairEditRow {
    pub call_id: String,
    pub round: u32,
    /// 申报编号.
    pub application: String,
    /// Expert number (`ZJ000001`).
    pub expert: String,
    pub kind: String,
    /// May be empty for a pin or a removal (the audit event records it either way).
    pub reason: String,
    pub created_at: String,
}

impl Writer<'_> {
    /// Records an override, replacing an earlier one of the same pair (its reason and codes).
    pub fn conflict_override_put(&self, o: &ConflictOverrideRow) -> Result<()> {
        self.tx.execute(
            "INSERT INTO conflict_override (call_id, application, expert, reason, codes, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)
             ON CONFLICT (call_id, application, expert)
             DO UPDATE SET reason = excluded.reason, codes = excluded.codes, created_at = excluded.created_at",
            params![o.call_id, o.application, o.expert, o.reason, o.codes, o.created_at],
        )?;
        Ok(())
    }

    /// Deletes a pair's override (the officer withdraws it). Returns the row deleted, if there was one.
    pub fn conflict_override_delete(
        &self,
        call_id: &str,
        application: &str,
        expert: &str,
    ) -> Result<Option<ConflictOverrideRow>> {
        let held = self
            .reader()
            .conflict_overrides(call_id)?
            .into_iter()
            .find(|o| o.application == application && o.expert == expert);
        if held.is_some() {
            self.tx.execute(
                "DELETE FROM conflict_override WHERE call_id = ?1 AND application = ?2 AND expert = ?3",
                params![call_id, application, expert],
            )?;
        }
        Ok(held)
    }

    /// Pins or removes a pair, replacing its earlier state. Returns the kind it replaced, if any.
    pub fn pair_edit_put(&self, e: &PairEditRow) -> Result<Option<String>> {
        let before = self.reader().pair_edit(&e.call_id, e.round, &e.application, &e.expert)?.map(|p| p.kind);
        self.tx.execute(
            "INSERT INTO assignment_pair_edit (call_id, round, application, expert, kind, reason, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
             ON CONFLICT (call_id, round, application, expert)
             DO UPDATE SET kind = excluded.kind, reason = excluded.reason, created_at = excluded.created_at",
            params![e.call_id, e.round, e.application, e.expert, e.kind, e.reason, e.created_at],
        )?;
        Ok(before)
    }

    /// Deletes the pair's edit when it is of `kind` (unpin a pin, restore a removal). Returns whether
    /// one was deleted.
    pub fn pair_edit_delete(
        &self,
        call_id: &str,
        round: u32,
        application: &str,
        expert: &str,
        kind: &str,
    ) -> Result<bool> {
        let n = self.tx.execute(
            "DELETE FROM assignment_pair_edit
             WHERE call_id = ?1 AND round = ?2 AND application = ?3 AND expert = ?4 AND kind = ?5",
            params![call_id, round, application, expert, kind],
        )?;
        Ok(n == 1)
    }
}

fn pair_edit_of(r: &rusqlite::Row) -> rusqlite::Result<PairEditRow> {
    Ok(PairEditRow {
        call_id: r.get(0)?,
        round: r.get(1)?,
        application: r.get(2)?,
        expert: r.get(3)?,
        kind: r.get(4)?,
        reason: r.get(5)?,
        created_at: r.get(6)?,
    })
}

const PAIR_EDIT_COLUMNS: &str = "call_id, round, application, expert, kind, reason, created_at";

impl Reader<'_> {
    /// The overrides of a call, by application then expert.
    pub fn conflict_overrides(&self, call_id: &str) -> Result<Vec<ConflictOverrideRow>> {
        let mut st = self.tx.prepare(
            "SELECT call_id, application, expert, reason, codes, created_at FROM conflict_override
             WHERE call_id = ?1 ORDER BY application, expert",
        )?;
        let rows = st
            .query_map([call_id], |r| {
                Ok(ConflictOverrideRow {
                    call_id: r.get(0)?,
                    application: r.get(1)?,
                    expert: r.get(2)?,
                    reason: r.get(3)?,
                    codes: r.get(4)?,
                    created_at: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The pins and removals of a call's round, by application then expert.
    pub fn pair_edits(&self, call_id: &str, round: u32) -> Result<Vec<PairEditRow>> {
        let mut st = self.tx.prepare(&format!(
            "SELECT {PAIR_EDIT_COLUMNS} FROM assignment_pair_edit
             WHERE call_id = ?1 AND round = ?2 ORDER BY application, expert"
        ))?;
        let rows = st.query_map(params![call_id, round], pair_edit_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The rounds of a call in which a pair is pinned, ascending.
    pub fn pair_pinned_rounds(&self, call_id: &str, application: &str, expert: &str) -> Result<Vec<u32>> {
        let mut st = self.tx.prepare(
            "SELECT round FROM assignment_pair_edit
             WHERE call_id = ?1 AND application = ?2 AND expert = ?3 AND kind = 'pin' ORDER BY round",
        )?;
        let rows = st
            .query_map(params![call_id, application, expert], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<u32>>>()?;
        Ok(rows)
    }

    /// One pair's edit in a round, if any.
    pub fn pair_edit(&self, call_id: &str, round: u32, application: &str, expert: &str) -> Result<Option<PairEditRow>> {
        use rusqlite::OptionalExtension;
        Ok(self
            .tx
            .query_row(
                &format!(
                    "SELECT {PAIR_EDIT_COLUMNS} FROM assignment_pair_edit
                     WHERE call_id = ?1 AND round = ?2 AND application = ?3 AND expert = ?4"
                ),
                params![call_id, round, application, expert],
                pair_edit_of,
            )
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use super::{ConflictOverrideRow, PairEditRow};
    use crate::{AuditAction, AuditEvent, Store};

    fn event() -> AuditEvent {
        AuditEvent::new(AuditAction::AssignmentChange, "assignment_pair", "test", "ab".repeat(32))
    }

    fn edit(expert: &str, kind: &str) -> PairEditRow {
        PairEditRow {
            call_id: "c".into(),
            round: 1,
            application: "2027-ZX06-000001".into(),
            expert: expert.into(),
            kind: kind.into(),
            reason: String::new(),
            created_at: "2027-03-01T00:00:00Z".into(),
        }
    }

    #[test]
    fn a_pair_has_one_state_and_unpinning_needs_a_pin() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("w.sqlite3")).unwrap();
        assert_eq!(store.write(event(), |w| w.pair_edit_put(&edit("ZJ000001", "remove"))).unwrap(), None);
        // Pinning the removed pair replaces the removal.
        let before = store.write(event(), |w| w.pair_edit_put(&edit("ZJ000001", "pin"))).unwrap();
        assert_eq!(before.as_deref(), Some("remove"));
        store.write(event(), |w| w.pair_edit_put(&edit("ZJ000002", "remove"))).unwrap();
        let edits = store.read(|r| r.pair_edits("c", 1)).unwrap();
        let kinds: Vec<(&str, &str)> = edits.iter().map(|e| (e.expert.as_str(), e.kind.as_str())).collect();
        assert_eq!(kinds, [("ZJ000001", "pin"), ("ZJ000002", "remove")]);
        assert!(store.read(|r| r.pair_edits("c", 2)).unwrap().is_empty(), "rounds are apart");
        // Restoring a pin is not unpinning it.
        let app = "2027-ZX06-000001";
        assert!(!store.write(event(), |w| w.pair_edit_delete("c", 1, app, "ZJ000001", "remove")).unwrap());
        assert!(store.write(event(), |w| w.pair_edit_delete("c", 1, app, "ZJ000001", "pin")).unwrap());
        assert_eq!(store.read(|r| r.pair_edits("c", 1)).unwrap().len(), 1);
        assert!(store.write(event(), |w| w.pair_edit_put(&edit("ZJ000003", "keep"))).is_err(), "pin or remove only");
    }

    #[test]
    fn an_override_needs_a_reason_and_replaces_the_earlier_one() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("w.sqlite3")).unwrap();
        let mut o = ConflictOverrideRow {
            call_id: "c".into(),
            application: "2027-ZX06-000001".into(),
            expert: "ZJ000001".into(),
            reason: "  ".into(),
            codes: r#"["soft.collaboration"]"#.into(),
            created_at: "2027-03-01T00:00:00Z".into(),
        };
        assert!(store.write(event(), |w| w.conflict_override_put(&o)).is_err(), "a blank reason");
        o.reason = "唯一熟悉该领域的区外专家".into();
        store.write(event(), |w| w.conflict_override_put(&o)).unwrap();
        o.reason = "another reason".into();
        store.write(event(), |w| w.conflict_override_put(&o)).unwrap();
        let all = store.read(|r| r.conflict_overrides("c")).unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].reason, "another reason");
        o.codes = "{}".into();
        assert!(store.write(event(), |w| w.conflict_override_put(&o)).is_err(), "codes are an array");
        // Withdrawn: the row goes and is handed back; a second withdrawal finds nothing.
        let gone = store.write(event(), |w| w.conflict_override_delete("c", &o.application, "ZJ000001")).unwrap();
        assert_eq!(gone.map(|g| g.reason).as_deref(), Some("another reason"));
        assert!(store.read(|r| r.conflict_overrides("c")).unwrap().is_empty());
        assert_eq!(
            store.write(event(), |w| w.conflict_override_delete("c", &o.application, "ZJ000001")).unwrap(),
            None
        );
    }

    #[test]
    fn the_rounds_a_pair_is_pinned_in() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("w.sqlite3")).unwrap();
        let app = "2027-ZX06-000001";
        store.write(event(), |w| w.pair_edit_put(&PairEditRow { round: 2, ..edit("ZJ000001", "pin") })).unwrap();
        store.write(event(), |w| w.pair_edit_put(&edit("ZJ000001", "pin"))).unwrap();
        store.write(event(), |w| w.pair_edit_put(&PairEditRow { round: 3, ..edit("ZJ000001", "remove") })).unwrap();
        store.write(event(), |w| w.pair_edit_put(&edit("ZJ000002", "pin"))).unwrap();
        assert_eq!(store.read(|r| r.pair_pinned_rounds("c", app, "ZJ000001")).unwrap(), [1, 2]);
        assert!(store.read(|r| r.pair_pinned_rounds("c", app, "ZJ000009")).unwrap().is_empty());
    }
}
