//! Re-issued review packets, as stored (no table of their own). On the office's side the issue number
//! of a packet is its place among the packets issued to the same expert for the same call and round,
//! in the order they were recorded (`rowid`: rows of `review_packet` are never deleted, so the order
//! never changes). On the expert's side a newer issue takes over the older packet's sheets inside the
//! import's transaction. What may be replaced, and what a return may still carry, is the core's
//! (`review::reissue`).

use crate::review::{issued_of, IssuedPacketRow, ISSUED};
use crate::{Reader, Result, Writer};
use rusqlite::{params, Connection, OptionalExtension};

fn issued_count(c: &Connection, call_id: &str, round: u32, expert_number: &str) -> Result<u32> {
    Ok(c.query_row(
        "SELECT COUNT(*) FROM review_packet WHERE call_id = ?1 AND round = ?2 AND expert_number = ?3",
        params![call_id, round, expert_number],
        |r| r.get(0),
    )?)
}

impl Reader<'_> {
    /// How many packets were issued to an expert for a call's round so far.
    pub fn review_packets_issued_to(&self, call_id: &str, round: u32, expert_number: &str) -> Result<u32> {
        issued_count(self.tx, call_id, round, expert_number)
    }

    /// The packet issued last to an expert for a call's round.
    pub fn review_packet_latest_to(
        &self,
        call_id: &str,
        round: u32,
        expert_number: &str,
    ) -> Result<Option<IssuedPacketRow>> {
        Ok(self
            .tx
            .query_row(
                &format!(
                    "SELECT {ISSUED} FROM review_packet WHERE call_id = ?1 AND round = ?2 AND expert_number = ?3
                     ORDER BY rowid DESC LIMIT 1"
                ),
                params![call_id, round, expert_number],
                issued_of,
            )
            .optional()?)
    }

    /// The issue number of an issued packet (1 for the first to its expert in its round), if issued here.
    pub fn review_packet_issue_of(&self, packet_id: &str) -> Result<Option<u32>> {
        Ok(self
            .tx
            .query_row(
                "SELECT (SELECT COUNT(*) FROM review_packet q
                         WHERE q.call_id = p.call_id AND q.round = p.round AND q.expert_number = p.expert_number
                           AND q.rowid <= p.rowid)
                 FROM review_packet p WHERE p.packet_id = ?1",
                [packet_id],
                |r| r.get(0),
            )
            .optional()?)
    }
}

impl Writer<'_> {
    /// [`Reader::review_packets_issued_to`] inside a write: the issue number a packet is about to take is
    /// checked again in the transaction that records it.
    pub fn review_packets_issued_to(&self, call_id: &str, round: u32, expert_number: &str) -> Result<u32> {
        issued_count(self.tx, call_id, round, expert_number)
    }

    /// Copies the sheet of item `number` from the `old` held packet onto the (new, empty) sheet of the
    /// same item in the `new` one: the draft, and when `with_closed` also a sealed text with its receipt
    /// or a declared conflict. Returns 1 when copied. The old sheet stays (a sealed one may never go).
    pub fn review_sheet_carry(&self, old: &str, new: &str, number: &str, with_closed: bool) -> Result<usize> {
        Ok(self.tx.execute(
            "UPDATE review_sheet
             SET (draft, sealed, receipt_sha256, sealed_at, conflict_reason, conflict_at, updated_at) =
                 (SELECT o.draft, o.sealed, o.receipt_sha256, o.sealed_at, o.conflict_reason, o.conflict_at,
                         o.updated_at
                  FROM review_sheet o WHERE o.packet_id = ?1 AND o.number = ?3)
             WHERE packet_id = ?2 AND number = ?3 AND sealed IS NULL
               AND EXISTS (SELECT 1 FROM review_sheet o WHERE o.packet_id = ?1 AND o.number = ?3
                           AND (?4 OR (o.sealed IS NULL AND o.conflict_reason IS NULL)))",
            params![old, new, number, with_closed],
        )?)
    }

    /// Deletes a sheet that is still an open draft (neither sealed nor declared a conflict). Returns 1
    /// when deleted.
    pub fn review_sheet_drop_open(&self, packet_id: &str, number: &str) -> Result<usize> {
        Ok(self.tx.execute(
            "DELETE FROM review_sheet
             WHERE packet_id = ?1 AND number = ?2 AND sealed IS NULL AND conflict_reason IS NULL",
            params![packet_id, number],
        )?)
    }

    /// Replaces a held packet's body by the superseded one (no application contents, the newer packet
    /// named) and notes when its contents left.
    pub fn review_packet_held_supersede(&self, packet_id: &str, body: &str, at: &str) -> Result<usize> {
        Ok(self.tx.execute(
            "UPDATE review_packet_held SET body = ?2, contents_removed_at = COALESCE(contents_removed_at, ?3)
             WHERE packet_id = ?1",
            params![packet_id, body, at],
        )?)
    }
}
