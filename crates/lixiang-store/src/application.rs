//! Applications as stored (migration 0006): drafts and sealed versions on the applicant's laptop, the
//! submissions received on the office's. Bodies are the core's JSON; version bytes are kept exactly.

use crate::{Reader, Result, Writer};
use rusqlite::{params, OptionalExtension, Row};

/// A sealed version as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRow {
    pub application_id: String,
    pub number: u32,
    pub sha256: String,
    pub bytes: Vec<u8>,
    pub sealed_at: String,
    pub package_id: Option<String>,
}

/// A submission the office received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionRow {
    pub application_id: String,
    pub version: u32,
    pub sha256: String,
    pub bytes: Vec<u8>,
    pub call_id: String,
    pub programme: String,
    pub title: String,
    pub applicant_name: String,
    pub applicant_code: String,
    pub sender_key_id: String,
    pub package_id: String,
    pub sealed_at: String,
    pub received_at: String,
    pub number: String,
}

fn version_of(r: &Row) -> rusqlite::Result<VersionRow> {
    Ok(VersionRow {
        application_id: r.get(0)?,
        number: r.get(1)?,
        sha256: r.get(2)?,
        bytes: r.get(3)?,
        sealed_at: r.get(4)?,
        package_id: r.get(5)?,
    })
}

const SUBMISSION_COLUMNS: &str = "application_id, version, sha256, bytes, call_id, programme, title, applicant_name, \
     applicant_code, sender_key_id, package_id, sealed_at, received_at, number";

fn submission_of(r: &Row) -> rusqlite::Result<SubmissionRow> {
    Ok(SubmissionRow {
        application_id: r.get(0)?,
        version: r.get(1)?,
        sha256: r.get(2)?,
        bytes: r.get(3)?,
        call_id: r.get(4)?,
        programme: r.get(5)?,
        title: r.get(6)?,
        applicant_name: r.get(7)?,
        applicant_code: r.get(8)?,
        sender_key_id: r.get(9)?,
        package_id: r.get(10)?,
        sealed_at: r.get(11)?,
        received_at: r.get(12)?,
        number: r.get(13)?,
    })
}

impl Writer<'_> {
    /// Saves a draft (replacing the previous save).
    pub fn application_draft_put(&self, id: &str, call_id: &str, title: &str, body: &str, at: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO application_draft (application_id, call_id, title, body, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(application_id) DO UPDATE SET
                call_id = excluded.call_id, title = excluded.title, body = excluded.body,
                updated_at = excluded.updated_at",
            params![id, call_id, title, body, at],
        )?;
        Ok(())
    }

    /// Records a sealed version (never replaced).
    pub fn application_version_insert(&self, v: &VersionRow) -> Result<()> {
        self.tx.execute(
            "INSERT INTO application_version (application_id, number, sha256, bytes, sealed_at, package_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![v.application_id, v.number, v.sha256, v.bytes, v.sealed_at, v.package_id],
        )?;
        Ok(())
    }

    /// Records a received submission.
    pub fn submission_insert(&self, s: &SubmissionRow) -> Result<()> {
        self.tx.execute(
            &format!(
                "INSERT INTO submission_received ({SUBMISSION_COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
            ),
            params![
                s.application_id,
                s.version,
                s.sha256,
                s.bytes,
                s.call_id,
                s.programme,
                s.title,
                s.applicant_name,
                s.applicant_code,
                s.sender_key_id,
                s.package_id,
                s.sealed_at,
                s.received_at,
                s.number
            ],
        )?;
        Ok(())
    }
}

impl Reader<'_> {
    /// A draft's JSON body.
    pub fn application_draft(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .tx
            .query_row("SELECT body FROM application_draft WHERE application_id = ?1", [id], |r| r.get(0))
            .optional()?)
    }

    /// Every draft: (id, call id, title, updated at).
    pub fn application_drafts(&self) -> Result<Vec<(String, String, String, String)>> {
        let mut st = self.tx.prepare(
            "SELECT application_id, call_id, title, updated_at FROM application_draft ORDER BY updated_at DESC",
        )?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The newest sealed version of an application.
    pub fn application_version_latest(&self, id: &str) -> Result<Option<VersionRow>> {
        Ok(self
            .tx
            .query_row(
                "SELECT application_id, number, sha256, bytes, sealed_at, package_id FROM application_version
                 WHERE application_id = ?1 ORDER BY number DESC LIMIT 1",
                [id],
                version_of,
            )
            .optional()?)
    }

    /// One sealed version of an application.
    pub fn application_version(&self, id: &str, number: u32) -> Result<Option<VersionRow>> {
        Ok(self
            .tx
            .query_row(
                "SELECT application_id, number, sha256, bytes, sealed_at, package_id FROM application_version
                 WHERE application_id = ?1 AND number = ?2",
                params![id, number],
                version_of,
            )
            .optional()?)
    }

    /// A received submission (one version of an application).
    pub fn submission(&self, application_id: &str, version: u32) -> Result<Option<SubmissionRow>> {
        Ok(self
            .tx
            .query_row(
                &format!(
                    "SELECT {SUBMISSION_COLUMNS} FROM submission_received WHERE application_id = ?1 AND version = ?2"
                ),
                params![application_id, version],
                submission_of,
            )
            .optional()?)
    }

    /// The newest version received of each application, by 申报编号.
    pub fn submissions_latest(&self) -> Result<Vec<SubmissionRow>> {
        let mut st = self.tx.prepare(&format!(
            "SELECT {SUBMISSION_COLUMNS} FROM submission_received s
             WHERE version = (SELECT max(version) FROM submission_received t WHERE t.application_id = s.application_id)
             ORDER BY number"
        ))?;
        let rows = st.query_map([], submission_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The newest version received of one application.
    pub fn submission_latest(&self, application_id: &str) -> Result<Option<SubmissionRow>> {
        Ok(self
            .tx
            .query_row(
                &format!(
                    "SELECT {SUBMISSION_COLUMNS} FROM submission_received WHERE application_id = ?1
                     ORDER BY version DESC LIMIT 1"
                ),
                [application_id],
                submission_of,
            )
            .optional()?)
    }

    /// The 申报编号 already given to an application, if any.
    pub fn submission_number(&self, application_id: &str) -> Result<Option<String>> {
        Ok(self
            .tx
            .query_row(
                "SELECT number FROM submission_received WHERE application_id = ?1 LIMIT 1",
                [application_id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The highest 申报编号 with this prefix (`2027-ZX06-`), to give the next one. Asked as a range of
    /// the number's index (from the prefix up to the prefix with its last character incremented), so
    /// that SQLite reads one index entry: `substr(number, …) = prefix` read every row, and an import
    /// asks this once per package.
    pub fn submission_number_max(&self, prefix: &str) -> Result<Option<String>> {
        let mut chars = prefix.chars();
        let upper = chars
            .next_back()
            .and_then(|last| char::from_u32(last as u32 + 1))
            .map(|n| format!("{}{n}", chars.as_str()));
        let Some(upper) = upper else {
            // An empty prefix, or one ending in the last code point: no upper bound to give.
            return Ok(self.tx.query_row(
                "SELECT max(number) FROM submission_received WHERE substr(number, 1, length(?1)) = ?1",
                [prefix],
                |r| r.get(0),
            )?);
        };
        Ok(self
            .tx
            .prepare_cached("SELECT max(number) FROM submission_received WHERE number >= ?1 AND number < ?2")?
            .query_row([prefix, upper.as_str()], |r| r.get(0))?)
    }
}
