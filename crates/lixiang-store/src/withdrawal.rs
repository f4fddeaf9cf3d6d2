//! Withdrawal notices the office received, as stored (migration 0019). What a notice must be to be accepted
//! is the core's (`application::withdrawal`).

use crate::{Reader, Result, Writer};
use rusqlite::{params, OptionalExtension};

/// An applicant's withdrawal as the office received it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReceivedWithdrawalRow {
    pub application_id: String,
    pub number: String,
    pub version: u32,
    pub reason: String,
    pub withdrawn_at: String,
    pub received_at: String,
    pub sender_key_id: String,
    pub package_id: String,
}

impl Writer<'_> {
    /// Records a received withdrawal; a second notice of an application already withdrawn changes nothing.
    /// Returns whether it was new.
    pub fn received_withdrawal_insert(&self, w: &ReceivedWithdrawalRow) -> Result<bool> {
        let n = self.tx.execute(
            "INSERT INTO received_withdrawal (application_id, number, version, reason, withdrawn_at, received_at,
                 sender_key_id, package_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (application_id) DO NOTHING",
            params![
                w.application_id,
                w.number,
                w.version,
                w.reason,
                w.withdrawn_at,
                w.received_at,
                w.sender_key_id,
                w.package_id
            ],
        )?;
        Ok(n == 1)
    }
}

impl Reader<'_> {
    /// The withdrawal the office received for an application, if any.
    pub fn received_withdrawal(&self, application_id: &str) -> Result<Option<ReceivedWithdrawalRow>> {
        Ok(self
            .tx
            .query_row(
                "SELECT application_id, number, version, reason, withdrawn_at, received_at, sender_key_id, package_id
                 FROM received_withdrawal WHERE application_id = ?1",
                [application_id],
                |r| {
                    Ok(ReceivedWithdrawalRow {
                        application_id: r.get(0)?,
                        number: r.get(1)?,
                        version: r.get(2)?,
                        reason: r.get(3)?,
                        withdrawn_at: r.get(4)?,
                        received_at: r.get(5)?,
                        sender_key_id: r.get(6)?,
                        package_id: r.get(7)?,
                    })
                },
            )
            .optional()?)
    }
}
