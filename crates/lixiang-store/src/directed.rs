//! 定向委托 (directed commission) as stored (migration 0014): the panel's consolidated opinion on each plan
//! of a 可行性论证 round, and the office's selection among the invited units' passing plans. Rules (what
//! may be recorded when) live in `lixiang-core::review::directed`; this module only reads and writes rows.

use crate::{Reader, Result, Writer};
use rusqlite::{params, OptionalExtension, Row};

/// The panel's consolidated opinion on one plan.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
pub struct PanelRow {
    pub call_id: String,
    pub round: u32,
    /// 申报编号 of the plan.
    pub number: String,
    /// `pass`, `pass_after_revision` or `fail`.
    pub verdict: String,
    pub opinion: String,
    /// The changes required (修改后通过 only).
    pub changes: Option<String>,
    /// How many sealed sheets it consolidated, and the SHA-256 over their receipts.
    pub sheets: u32,
    pub sheets_sha256: String,
    /// The experts not heard when the officer went on without them (a JSON array of expert numbers), and why.
    pub awaited: String,
    pub proceed_reason: Option<String>,
    pub recorded_at: String,
}

/// The plan the office selected among the invited units' passing plans.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
pub struct SelectionRow {
    pub call_id: String,
    pub round: u32,
    pub number: String,
    pub reason: String,
    pub selected_at: String,
}

const PANEL: &str =
    "call_id, round, number, verdict, opinion, changes, sheets, sheets_sha256, awaited, proceed_reason, recorded_at";

fn panel_of(r: &Row) -> rusqlite::Result<PanelRow> {
    Ok(PanelRow {
        call_id: r.get(0)?,
        round: r.get(1)?,
        number: r.get(2)?,
        verdict: r.get(3)?,
        opinion: r.get(4)?,
        changes: r.get(5)?,
        sheets: r.get(6)?,
        sheets_sha256: r.get(7)?,
        awaited: r.get(8)?,
        proceed_reason: r.get(9)?,
        recorded_at: r.get(10)?,
    })
}

impl Writer<'_> {
    /// Records (or replaces) the panel opinion on a plan. An update in place rather than a delete and
    /// insert, so that a selection naming the plan never loses its parent row.
    pub fn directed_panel_put(&self, p: &PanelRow) -> Result<()> {
        self.tx.execute(
            &format!(
                "INSERT INTO directed_panel ({PANEL}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (call_id, round, number) DO UPDATE SET verdict = excluded.verdict,
                 opinion = excluded.opinion, changes = excluded.changes, sheets = excluded.sheets,
                 sheets_sha256 = excluded.sheets_sha256, awaited = excluded.awaited,
                 proceed_reason = excluded.proceed_reason, recorded_at = excluded.recorded_at"
            ),
            params![
                p.call_id,
                p.round,
                p.number,
                p.verdict,
                p.opinion,
                p.changes,
                p.sheets,
                p.sheets_sha256,
                p.awaited,
                p.proceed_reason,
                p.recorded_at
            ],
        )?;
        Ok(())
    }

    /// Records (or replaces) the selection of a round.
    pub fn directed_selection_put(&self, s: &SelectionRow) -> Result<()> {
        self.tx.execute(
            "INSERT INTO directed_selection (call_id, round, number, reason, selected_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (call_id, round) DO UPDATE SET number = excluded.number, reason = excluded.reason,
             selected_at = excluded.selected_at",
            params![s.call_id, s.round, s.number, s.reason, s.selected_at],
        )?;
        Ok(())
    }
}

impl Reader<'_> {
    /// The panel opinions of a round, by 申报编号.
    pub fn directed_panels(&self, call_id: &str, round: u32) -> Result<Vec<PanelRow>> {
        let mut st = self.tx.prepare(&format!(
            "SELECT {PANEL} FROM directed_panel WHERE call_id = ?1 AND round = ?2 ORDER BY number"
        ))?;
        let rows = st.query_map(params![call_id, round], panel_of)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The selection of a round, if made.
    pub fn directed_selection(&self, call_id: &str, round: u32) -> Result<Option<SelectionRow>> {
        Ok(self
            .tx
            .query_row(
                "SELECT call_id, round, number, reason, selected_at FROM directed_selection
                 WHERE call_id = ?1 AND round = ?2",
                params![call_id, round],
                |r| {
                    Ok(SelectionRow {
                        call_id: r.get(0)?,
                        round: r.get(1)?,
                        number: r.get(2)?,
                        reason: r.get(3)?,
                        selected_at: r.get(4)?,
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
        AuditEvent::new(AuditAction::Decision, "panel_opinion", "c#1", "0".repeat(64))
    }

    fn panel(number: &str, verdict: &str, changes: Option<&str>) -> PanelRow {
        PanelRow {
            call_id: "c".into(),
            round: 1,
            number: number.into(),
            verdict: verdict.into(),
            opinion: "目标明确，路线可行".into(),
            changes: changes.map(str::to_string),
            sheets: 3,
            sheets_sha256: "h".into(),
            awaited: "[]".into(),
            proceed_reason: None,
            recorded_at: "t".into(),
        }
    }

    #[test]
    fn panel_opinions_keep_their_changes_rule_and_a_selection_needs_its_plan() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db.sqlite")).unwrap();
        // 修改后通过 without its changes, and 通过 with changes: both refused by the schema.
        assert!(store.write(ev(), |w| w.directed_panel_put(&panel("A", "pass_after_revision", None))).is_err());
        assert!(store.write(ev(), |w| w.directed_panel_put(&panel("A", "pass", Some("补充")))).is_err());
        assert!(store.write(ev(), |w| w.directed_panel_put(&panel("A", "maybe", None))).is_err());
        let sel = SelectionRow {
            call_id: "c".into(),
            round: 1,
            number: "A".into(),
            reason: "基础更好".into(),
            selected_at: "t".into(),
        };
        assert!(store.write(ev(), |w| w.directed_selection_put(&sel)).is_err(), "no panel opinion on A yet");

        // Going on without an expert needs the reason.
        let without = PanelRow { awaited: r#"["ZJ000002"]"#.into(), ..panel("A", "pass", None) };
        assert!(store.write(ev(), |w| w.directed_panel_put(&without)).is_err());
        let with = PanelRow { proceed_reason: Some("专家因病无法论证".into()), ..without };
        store.write(ev(), |w| w.directed_panel_put(&with)).unwrap();

        store.write(ev(), |w| w.directed_panel_put(&panel("A", "pass_after_revision", Some("压缩预算")))).unwrap();
        store.write(ev(), |w| w.directed_panel_put(&panel("B", "fail", None))).unwrap();
        store.write(ev(), |w| w.directed_selection_put(&sel)).unwrap();
        // Replaced in place: the selection still finds its plan.
        store.write(ev(), |w| w.directed_panel_put(&panel("A", "pass", None))).unwrap();
        let held = store.read(|r| r.directed_panels("c", 1)).unwrap();
        assert_eq!(
            held.iter().map(|p| (p.number.as_str(), p.verdict.as_str())).collect::<Vec<_>>(),
            [("A", "pass"), ("B", "fail")]
        );
        assert_eq!(held[0].changes, None);
        let other = SelectionRow { number: "B".into(), reason: "改选".into(), ..sel.clone() };
        store.write(ev(), |w| w.directed_selection_put(&other)).unwrap();
        assert_eq!(store.read(|r| r.directed_selection("c", 1)).unwrap(), Some(other));
        assert_eq!(store.read(|r| r.directed_selection("c", 2)).unwrap(), None);
        assert!(store.write(ev(), |w| w.directed_selection_put(&SelectionRow { reason: " ".into(), ..sel })).is_err());
    }
}
