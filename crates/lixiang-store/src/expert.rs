//! The expert pool and the assignment runs as stored (migration 0009). The profile is the core's JSON;
//! the columns beside it serve lookups (document number, key id) and the pool's order (sort key). The
//! rules (what a valid entry is, which duplicates merge) are the core's.

use crate::{Reader, Result, Writer};
use rusqlite::{params, OptionalExtension, Row};

/// One expert as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpertRow {
    pub expert_id: String,
    /// `ZJ000001` …
    pub number: String,
    pub name: String,
    pub sort_key: String,
    /// Normalised document number, `None` when the entry has none.
    pub document_number: Option<String>,
    pub key_id: Option<String>,
    /// The core's ExpertProfile as JSON.
    pub body: String,
    pub created_at: String,
    pub updated_at: String,
}

/// One assignment run as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentRunRow {
    pub run_id: String,
    pub call_id: String,
    /// 1-based position of the round in the call's review plan.
    pub round: u32,
    pub input_sha256: String,
    pub params: String,
    pub outcome: String,
    pub created_at: String,
}

const EXPERT_COLUMNS: &str = "expert_id, number, name, sort_key, document_number, key_id, body, created_at, updated_at";

fn expert_of(r: &Row) -> rusqlite::Result<ExpertRow> {
    Ok(ExpertRow {
        expert_id: r.get(0)?,
        number: r.get(1)?,
        name: r.get(2)?,
        sort_key: r.get(3)?,
        document_number: r.get(4)?,
        key_id: r.get(5)?,
        body: r.get(6)?,
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

impl Writer<'_> {
    /// Inserts a new expert with the next free number (`ZJ` and 6 digits), which it returns. The
    /// number is allocated in this transaction, so the CLI and the app never hand out the same one.
    /// Fails on a document number or key id already in the pool (the core checks first and says so).
    pub fn expert_insert(&self, e: &ExpertRow) -> Result<String> {
        let max: Option<String> = self.tx.query_row("SELECT MAX(number) FROM expert", [], |r| r.get(0))?;
        let held = max.and_then(|m| m.get(2..).and_then(|d| d.parse::<u64>().ok())).unwrap_or(0);
        // Past the floor a restore set, so numbers the lost machine gave after its backup are not reused.
        let next = held.max(self.reader().counter_floor(crate::COUNTER_EXPERT_NUMBER)?) + 1;
        let number = format!("ZJ{next:06}");
        self.tx.execute(
            &format!("INSERT INTO expert ({EXPERT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
            params![
                e.expert_id,
                number,
                e.name,
                e.sort_key,
                e.document_number,
                e.key_id,
                e.body,
                e.created_at,
                e.updated_at
            ],
        )?;
        Ok(number)
    }

    /// Replaces an expert's profile (name, sort key, document number, body); id, number, key card and
    /// creation time stay. Returns whether a row was updated.
    pub fn expert_update(&self, e: &ExpertRow) -> Result<bool> {
        let n = self.tx.execute(
            "UPDATE expert SET name = ?2, sort_key = ?3, document_number = ?4, body = ?5, updated_at = ?6
             WHERE expert_id = ?1",
            params![e.expert_id, e.name, e.sort_key, e.document_number, e.body, e.updated_at],
        )?;
        Ok(n == 1)
    }

    /// Attaches a key card (a contact's key id) to an expert. Returns whether a row was updated.
    pub fn expert_set_key(&self, expert_id: &str, key_id: &str, at: &str) -> Result<bool> {
        let n = self.tx.execute(
            "UPDATE expert SET key_id = ?2, updated_at = ?3 WHERE expert_id = ?1",
            params![expert_id, key_id, at],
        )?;
        Ok(n == 1)
    }

    pub fn assignment_run_insert(&self, r: &AssignmentRunRow) -> Result<()> {
        self.tx.execute(
            "INSERT INTO assignment_run (run_id, call_id, round, input_sha256, params, outcome, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![r.run_id, r.call_id, r.round, r.input_sha256, r.params, r.outcome, r.created_at],
        )?;
        Ok(())
    }
}

impl Reader<'_> {
    /// The whole pool in its order: sort key, then name, then number.
    pub fn experts(&self) -> Result<Vec<ExpertRow>> {
        let mut st =
            self.tx.prepare(&format!("SELECT {EXPERT_COLUMNS} FROM expert ORDER BY sort_key, name, number"))?;
        let rows = st.query_map([], expert_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// An expert by number (`ZJ000001`) or id.
    pub fn expert(&self, number_or_id: &str) -> Result<Option<ExpertRow>> {
        Ok(self
            .tx
            .query_row(
                &format!("SELECT {EXPERT_COLUMNS} FROM expert WHERE number = ?1 OR expert_id = ?1"),
                [number_or_id],
                expert_of,
            )
            .optional()?)
    }

    /// The expert with this normalised document number.
    pub fn expert_by_document(&self, document_number: &str) -> Result<Option<ExpertRow>> {
        Ok(self
            .tx
            .query_row(
                &format!("SELECT {EXPERT_COLUMNS} FROM expert WHERE document_number = ?1"),
                [document_number],
                expert_of,
            )
            .optional()?)
    }

    /// The expert a key card is attached to.
    pub fn expert_by_key(&self, key_id: &str) -> Result<Option<ExpertRow>> {
        Ok(self
            .tx
            .query_row(&format!("SELECT {EXPERT_COLUMNS} FROM expert WHERE key_id = ?1"), [key_id], expert_of)
            .optional()?)
    }

    /// The runs of a call's round, oldest first.
    pub fn assignment_runs(&self, call_id: &str, round: u32) -> Result<Vec<AssignmentRunRow>> {
        let mut st = self.tx.prepare(
            "SELECT run_id, call_id, round, input_sha256, params, outcome, created_at FROM assignment_run
             WHERE call_id = ?1 AND round = ?2 ORDER BY created_at, run_id",
        )?;
        let rows = st
            .query_map(params![call_id, round], |r| {
                Ok(AssignmentRunRow {
                    run_id: r.get(0)?,
                    call_id: r.get(1)?,
                    round: r.get(2)?,
                    input_sha256: r.get(3)?,
                    params: r.get(4)?,
                    outcome: r.get(5)?,
                    created_at: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use crate::{AuditAction, AuditEvent, Store, StoreError};

    fn row(id: &str, doc: Option<&str>) -> super::ExpertRow {
        super::ExpertRow {
            expert_id: id.into(),
            number: String::new(),
            name: "张三".into(),
            sort_key: "zhang san".into(),
            document_number: doc.map(str::to_string),
            key_id: None,
            body: "{}".into(),
            created_at: "2027-03-01T00:00:00Z".into(),
            updated_at: "2027-03-01T00:00:00Z".into(),
        }
    }

    fn event() -> AuditEvent {
        AuditEvent::new(AuditAction::ExpertChange, "expert_pool", "test", "ab".repeat(32))
    }

    #[test]
    fn numbers_are_allocated_in_order_and_documents_are_unique() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("w.sqlite3")).unwrap();
        let numbers = store
            .write(event(), |w| {
                Ok::<_, StoreError>(vec![
                    w.expert_insert(&row("a", Some("X1")))?,
                    w.expert_insert(&row("b", None))?,
                    w.expert_insert(&row("c", None))?,
                ])
            })
            .unwrap();
        assert_eq!(numbers, ["ZJ000001", "ZJ000002", "ZJ000003"]);
        // A second entry with the same document number is refused, and the whole transaction with it.
        let again = store.write(event(), |w| {
            w.expert_insert(&row("d", None))?;
            w.expert_insert(&row("e", Some("X1")))
        });
        assert!(again.is_err());
        let all = store.read(|r| r.experts()).unwrap();
        assert_eq!(all.len(), 3, "the rolled-back insert of d is gone too");
        assert_eq!(store.read(|r| r.expert("ZJ000001")).unwrap().unwrap().expert_id, "a");
        assert_eq!(store.read(|r| r.expert_by_document("X1")).unwrap().unwrap().number, "ZJ000001");
        store.write(event(), |w| w.expert_set_key("b", "0123456789abcdef", "2027-03-02T00:00:00Z")).unwrap();
        assert_eq!(store.read(|r| r.expert_by_key("0123456789abcdef")).unwrap().unwrap().number, "ZJ000002");
        // One key card belongs to one expert.
        assert!(store.write(event(), |w| w.expert_set_key("c", "0123456789abcdef", "x")).is_err());
    }
}
