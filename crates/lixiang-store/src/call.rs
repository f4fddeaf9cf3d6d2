//! Calls as stored (migration 0005): one row per revision, the body as the core's JSON.

use crate::{Reader, Result, Writer};
use rusqlite::{params, OptionalExtension, Row};

/// One revision of a call as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRow {
    pub call_id: String,
    pub revision: u32,
    pub code: String,
    pub programme: String,
    /// `draft` or `published`.
    pub status: String,
    pub body: String,
    /// `own`, or the package id it was imported from.
    pub origin: String,
    pub sender_key_id: String,
    pub updated_at: String,
}

const COLUMNS: &str = "call_id, revision, code, programme, status, body, origin, sender_key_id, updated_at";

fn row_of(r: &Row) -> rusqlite::Result<CallRow> {
    Ok(CallRow {
        call_id: r.get(0)?,
        revision: r.get(1)?,
        code: r.get(2)?,
        programme: r.get(3)?,
        status: r.get(4)?,
        body: r.get(5)?,
        origin: r.get(6)?,
        sender_key_id: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

impl Writer<'_> {
    /// Inserts a revision, or replaces it while it is still a draft (a published revision is frozen:
    /// replacing one fails, and the core never asks).
    pub fn call_revision_put(&self, c: &CallRow) -> Result<()> {
        self.tx.execute(
            &format!(
                "INSERT INTO call_revision ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT(call_id, revision) DO UPDATE SET
                    code = excluded.code, programme = excluded.programme, status = excluded.status,
                    body = excluded.body, updated_at = excluded.updated_at
                 WHERE call_revision.status = 'draft'"
            ),
            params![
                c.call_id,
                c.revision,
                c.code,
                c.programme,
                c.status,
                c.body,
                c.origin,
                c.sender_key_id,
                c.updated_at
            ],
        )?;
        Ok(())
    }
}

impl Reader<'_> {
    /// The newest revision of a call, by id.
    pub fn call_latest(&self, call_id: &str) -> Result<Option<CallRow>> {
        Ok(self
            .tx
            .query_row(
                &format!("SELECT {COLUMNS} FROM call_revision WHERE call_id = ?1 ORDER BY revision DESC LIMIT 1"),
                [call_id],
                row_of,
            )
            .optional()?)
    }

    /// One revision of a call.
    pub fn call_revision(&self, call_id: &str, revision: u32) -> Result<Option<CallRow>> {
        Ok(self
            .tx
            .query_row(
                &format!("SELECT {COLUMNS} FROM call_revision WHERE call_id = ?1 AND revision = ?2"),
                params![call_id, revision],
                row_of,
            )
            .optional()?)
    }

    /// The call ids whose code is `code` (codes are unique per office, but two offices may clash).
    pub fn call_ids_by_code(&self, code: &str) -> Result<Vec<String>> {
        let mut st = self.tx.prepare("SELECT DISTINCT call_id FROM call_revision WHERE code = ?1 ORDER BY call_id")?;
        let ids = st.query_map([code], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
        Ok(ids)
    }

    /// The newest revision of every call, by code.
    pub fn calls_latest(&self) -> Result<Vec<CallRow>> {
        let mut st = self.tx.prepare(&format!(
            "SELECT {COLUMNS} FROM call_revision c
             WHERE revision = (SELECT max(revision) FROM call_revision d WHERE d.call_id = c.call_id)
             ORDER BY code, call_id"
        ))?;
        let rows = st.query_map([], row_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}
