//! Result packages the office writes to applicants, as stored (migration 0018): the payload recorded with the
//! decision, and the sealed file's hash once it is kept in the blob store. What is kept and when it is written
//! again is the core's (`outgoing`).

use crate::{Reader, Result, Writer};
use rusqlite::{params, OptionalExtension, Row};

/// One result package the office wrote (or is about to write).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OutgoingRow {
    pub package_id: String,
    pub kind: String,
    /// `formal` or `funding`.
    pub stage: String,
    pub application_id: String,
    pub number: String,
    pub recipient_key_id: String,
    pub file_name: String,
    #[serde(skip)]
    pub payload: Vec<u8>,
    /// The sealed file in the blob store; `None` until it was sealed.
    pub file_sha256: Option<String>,
    pub created_at: String,
}

const COLUMNS: &str = "package_id, kind, stage, application_id, number, recipient_key_id, file_name, payload, \
                       file_sha256, created_at";

fn row_of(r: &Row<'_>) -> rusqlite::Result<OutgoingRow> {
    Ok(OutgoingRow {
        package_id: r.get(0)?,
        kind: r.get(1)?,
        stage: r.get(2)?,
        application_id: r.get(3)?,
        number: r.get(4)?,
        recipient_key_id: r.get(5)?,
        file_name: r.get(6)?,
        payload: r.get(7)?,
        file_sha256: r.get(8)?,
        created_at: r.get(9)?,
    })
}

impl Writer<'_> {
    /// Records a result package about to be sealed (in the transaction of the decision it carries).
    pub fn outgoing_insert(&self, row: &OutgoingRow) -> Result<()> {
        self.tx.execute(
            &format!("INSERT INTO outgoing_package ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
            params![
                row.package_id,
                row.kind,
                row.stage,
                row.application_id,
                row.number,
                row.recipient_key_id,
                row.file_name,
                row.payload,
                row.file_sha256,
                row.created_at
            ],
        )?;
        Ok(())
    }

    /// Notes that the sealed file of a package is kept in the blob store under `sha256`. Set once: a kept
    /// file is never replaced (its bytes may already be with the applicant).
    pub fn outgoing_set_file(&self, package_id: &str, sha256: &str) -> Result<()> {
        self.tx.execute(
            "UPDATE outgoing_package SET file_sha256 = ?2 WHERE package_id = ?1 AND file_sha256 IS NULL",
            params![package_id, sha256],
        )?;
        Ok(())
    }
}

impl Reader<'_> {
    /// One recorded result package.
    pub fn outgoing(&self, package_id: &str) -> Result<Option<OutgoingRow>> {
        Ok(self
            .tx
            .query_row(&format!("SELECT {COLUMNS} FROM outgoing_package WHERE package_id = ?1"), [package_id], row_of)
            .optional()?)
    }

    /// The result packages of one 申报编号 and stage, newest first.
    pub fn outgoing_of_number(&self, number: &str, stage: &str) -> Result<Vec<OutgoingRow>> {
        let mut st = self.tx.prepare(&format!(
            "SELECT {COLUMNS} FROM outgoing_package WHERE number = ?1 AND stage = ?2
             ORDER BY created_at DESC, package_id DESC"
        ))?;
        let rows = st.query_map(params![number, stage], row_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::OutgoingRow;
    use crate::{AuditAction, AuditEvent, Store, Unaudited};

    fn row(id: &str, at: &str) -> OutgoingRow {
        OutgoingRow {
            package_id: id.into(),
            kind: "result".into(),
            stage: "formal".into(),
            application_id: "app-1".into(),
            number: "2027-ZX06-000001".into(),
            recipient_key_id: "0123456789abcdef".into(),
            file_name: "result-1.lxpkg".into(),
            payload: b"{\"format\":1}".to_vec(),
            file_sha256: None,
            created_at: at.into(),
        }
    }

    #[test]
    fn a_kept_file_is_set_once_and_packages_are_found_by_number() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("t.sqlite")).unwrap();
        let ev = AuditEvent::new(AuditAction::FormalCheck, "formal_decision", "app-1#1", "ab".repeat(32));
        store.write(ev, |w| w.outgoing_insert(&row("p1", "2027-01-01T00:00:00Z"))).unwrap();
        let ev = AuditEvent::new(AuditAction::FormalCheck, "formal_decision", "app-1#2", "cd".repeat(32));
        store.write(ev, |w| w.outgoing_insert(&row("p2", "2027-02-01T00:00:00Z"))).unwrap();
        store.write_unaudited(Unaudited::OutgoingFile, |w| w.outgoing_set_file("p1", "aa")).unwrap();
        // A second set does not replace the kept file.
        store.write_unaudited(Unaudited::OutgoingFile, |w| w.outgoing_set_file("p1", "bb")).unwrap();
        let p1 = store.read(|r| r.outgoing("p1")).unwrap().unwrap();
        assert_eq!(p1.file_sha256.as_deref(), Some("aa"));
        assert_eq!(p1.payload, b"{\"format\":1}");
        let all = store.read(|r| r.outgoing_of_number("2027-ZX06-000001", "formal")).unwrap();
        assert_eq!(all.iter().map(|r| r.package_id.as_str()).collect::<Vec<_>>(), ["p2", "p1"]);
        assert!(store.read(|r| r.outgoing_of_number("2027-ZX06-000001", "funding")).unwrap().is_empty());
        assert!(store.read(|r| r.outgoing("p3")).unwrap().is_none());
    }
}
