//! The office's assignment settings of a call as stored (migration 0017): one JSON body per call, replaced on
//! each change. What the body means and which values are allowed is the core's (`assign::settings`).

use crate::{Reader, Result, Writer};
use rusqlite::{params, OptionalExtension};

impl Writer<'_> {
    /// Stores a call's settings, replacing earlier ones. Returns the body it replaced, if any.
    pub fn assignment_settings_put(&self, call_id: &str, body: &str, at: &str) -> Result<Option<String>> {
        let before = self.reader().assignment_settings(call_id)?;
        self.tx.execute(
            "INSERT INTO call_assignment_settings (call_id, body, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (call_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
            params![call_id, body, at],
        )?;
        Ok(before)
    }
}

impl Reader<'_> {
    /// A call's stored settings (the JSON body), or `None` when the office never set them.
    pub fn assignment_settings(&self, call_id: &str) -> Result<Option<String>> {
        Ok(self
            .tx
            .query_row("SELECT body FROM call_assignment_settings WHERE call_id = ?1", [call_id], |r| r.get(0))
            .optional()?)
    }
}

#[cfg(test)]
mod tests {
    use crate::{AuditAction, AuditEvent, Store};

    fn event() -> AuditEvent {
        AuditEvent::new(AuditAction::AssignmentChange, "call_assignment_settings", "test", "ab".repeat(32))
    }

    #[test]
    fn settings_are_replaced_and_must_be_a_json_object() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("w.sqlite3")).unwrap();
        assert_eq!(store.read(|r| r.assignment_settings("c")).unwrap(), None);
        let first = r#"{"collaboration_years":4}"#;
        assert_eq!(
            store.write(event(), |w| w.assignment_settings_put("c", first, "2027-03-01T00:00:00Z")).unwrap(),
            None
        );
        let before =
            store.write(event(), |w| w.assignment_settings_put("c", r#"{"collaboration_years":5}"#, "t")).unwrap();
        assert_eq!(before.as_deref(), Some(first));
        assert_eq!(
            store.read(|r| r.assignment_settings("c")).unwrap().as_deref(),
            Some(r#"{"collaboration_years":5}"#)
        );
        assert!(store.read(|r| r.assignment_settings("other")).unwrap().is_none(), "per call");
        assert!(store.write(event(), |w| w.assignment_settings_put("c", "[1]", "t")).is_err(), "an object only");
    }
}
