//! Review packets, score sheets and returns as stored (migration 0010). The office side: packets issued,
//! returns and sheets received, conflicts declared. The expert side: packets held, one sheet per item
//! (draft, then sealed), returns written. The rules (who may return what, what a sheet must hold) are
//! the core's; a sealed sheet is kept final by triggers.

use crate::{Reader, Result, Writer};
use rusqlite::{params, OptionalExtension, Row};

/// A packet the office issued to one expert.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedPacketRow {
    pub packet_id: String,
    pub call_id: String,
    pub round: u32,
    pub expert_number: String,
    pub expert_key_id: String,
    pub form_sha256: String,
    /// JSON array of the 申报编号 in the packet.
    pub items: String,
    pub issued_at: String,
    pub file_name: String,
}

/// A sealed sheet the office received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedSheetRow {
    pub call_id: String,
    pub round: u32,
    pub number: String,
    pub expert_number: String,
    pub packet_id: String,
    pub receipt_sha256: String,
    /// The sheet exactly as sealed.
    pub body: String,
    pub total_half: Option<u32>,
    pub grade: Option<String>,
    pub sealed_at: String,
    pub package_id: String,
    pub received_at: String,
}

/// A sheet the office received and holds but does not count: its item is not in the newest packet
/// issued to its expert for the round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SetAsideSheetRow {
    pub sheet: ReceivedSheetRow,
    /// The expert's newest packet for the round, which does not carry the item.
    pub newest_packet_id: String,
    /// Its issue number (1 for the first packet to the expert in the round).
    pub newest_issue: u32,
    pub newest_issued_at: String,
    /// The officer's reason when the pair was removed by hand and is still removed.
    pub removal_reason: Option<String>,
}

/// A conflict an expert declared, as the office received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedConflictRow {
    pub call_id: String,
    pub round: u32,
    pub number: String,
    pub expert_number: String,
    pub packet_id: String,
    pub reason: String,
    pub declared_at: String,
    pub package_id: String,
}

fn conflict_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<ReceivedConflictRow> {
    Ok(ReceivedConflictRow {
        call_id: r.get(0)?,
        round: r.get(1)?,
        number: r.get(2)?,
        expert_number: r.get(3)?,
        packet_id: r.get(4)?,
        reason: r.get(5)?,
        declared_at: r.get(6)?,
        package_id: r.get(7)?,
    })
}

/// A packet an expert holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldPacketRow {
    pub packet_id: String,
    pub call_id: String,
    pub call_code: String,
    pub round: u32,
    pub office_key_id: String,
    pub form_sha256: String,
    /// The packet's payload as received (without the application contents once they were removed).
    pub body: String,
    pub received_at: String,
    pub contents_removed_at: Option<String>,
}

/// An expert's sheet for one item of a packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    pub packet_id: String,
    pub number: String,
    /// The draft as typed (JSON).
    pub draft: String,
    /// The sealed text, once sealed; never changed afterwards.
    pub sealed: Option<String>,
    pub receipt_sha256: Option<String>,
    pub sealed_at: Option<String>,
    pub conflict_reason: Option<String>,
    pub conflict_at: Option<String>,
    pub updated_at: String,
}

/// A return an expert wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnSentRow {
    pub packet_id: String,
    pub seq: u32,
    pub package_id: String,
    pub sent_at: String,
}

/// The newest packet issued to each expert for a call's round (`?1`, `?2`), with its issue number:
/// `rowid` orders the packets as they were recorded (rows of `review_packet` are never deleted).
const NEWEST: &str = "WITH newest AS (
    SELECT p.expert_number, p.packet_id, p.items, p.issued_at,
           (SELECT COUNT(*) FROM review_packet q
            WHERE q.call_id = p.call_id AND q.round = p.round AND q.expert_number = p.expert_number) AS issue
    FROM review_packet p
    WHERE p.call_id = ?1 AND p.round = ?2
      AND p.rowid = (SELECT MAX(q.rowid) FROM review_packet q
                     WHERE q.call_id = p.call_id AND q.round = p.round AND q.expert_number = p.expert_number))";

pub(crate) const ISSUED: &str =
    "packet_id, call_id, round, expert_number, expert_key_id, form_sha256, items, issued_at, file_name";
const RECEIVED: &str = "call_id, round, number, expert_number, packet_id, receipt_sha256, body, total_half, grade, \
                        sealed_at, package_id, received_at";
const HELD: &str =
    "packet_id, call_id, call_code, round, office_key_id, form_sha256, body, received_at, contents_removed_at";
const SHEET: &str =
    "packet_id, number, draft, sealed, receipt_sha256, sealed_at, conflict_reason, conflict_at, updated_at";

pub(crate) fn issued_of(r: &Row) -> rusqlite::Result<IssuedPacketRow> {
    Ok(IssuedPacketRow {
        packet_id: r.get(0)?,
        call_id: r.get(1)?,
        round: r.get(2)?,
        expert_number: r.get(3)?,
        expert_key_id: r.get(4)?,
        form_sha256: r.get(5)?,
        items: r.get(6)?,
        issued_at: r.get(7)?,
        file_name: r.get(8)?,
    })
}

fn received_of(r: &Row) -> rusqlite::Result<ReceivedSheetRow> {
    Ok(ReceivedSheetRow {
        call_id: r.get(0)?,
        round: r.get(1)?,
        number: r.get(2)?,
        expert_number: r.get(3)?,
        packet_id: r.get(4)?,
        receipt_sha256: r.get(5)?,
        body: r.get(6)?,
        total_half: r.get(7)?,
        grade: r.get(8)?,
        sealed_at: r.get(9)?,
        package_id: r.get(10)?,
        received_at: r.get(11)?,
    })
}

fn held_of(r: &Row) -> rusqlite::Result<HeldPacketRow> {
    Ok(HeldPacketRow {
        packet_id: r.get(0)?,
        call_id: r.get(1)?,
        call_code: r.get(2)?,
        round: r.get(3)?,
        office_key_id: r.get(4)?,
        form_sha256: r.get(5)?,
        body: r.get(6)?,
        received_at: r.get(7)?,
        contents_removed_at: r.get(8)?,
    })
}

fn sheet_of(r: &Row) -> rusqlite::Result<SheetRow> {
    Ok(SheetRow {
        packet_id: r.get(0)?,
        number: r.get(1)?,
        draft: r.get(2)?,
        sealed: r.get(3)?,
        receipt_sha256: r.get(4)?,
        sealed_at: r.get(5)?,
        conflict_reason: r.get(6)?,
        conflict_at: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

impl Writer<'_> {
    /// Records a packet the office issued.
    pub fn review_packet_insert(&self, p: &IssuedPacketRow) -> Result<()> {
        self.tx.execute(
            &format!("INSERT INTO review_packet ({ISSUED}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
            params![
                p.packet_id,
                p.call_id,
                p.round,
                p.expert_number,
                p.expert_key_id,
                p.form_sha256,
                p.items,
                p.issued_at,
                p.file_name
            ],
        )?;
        Ok(())
    }

    /// Records an imported return.
    pub fn review_return_insert(&self, package_id: &str, packet_id: &str, seq: u32, received_at: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO review_return (package_id, packet_id, seq, received_at) VALUES (?1, ?2, ?3, ?4)",
            params![package_id, packet_id, seq, received_at],
        )?;
        Ok(())
    }

    /// Records a received sheet; a sheet already held with the same receipt is left as it is (a newer
    /// return repeats the sheets of the older ones). The core refuses a different sheet for the same
    /// expert and item before this is called.
    pub fn review_sheet_received_insert(&self, s: &ReceivedSheetRow) -> Result<()> {
        self.tx.execute(
            &format!(
                "INSERT INTO review_sheet_received ({RECEIVED}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                 ON CONFLICT (call_id, round, number, expert_number) DO NOTHING"
            ),
            params![
                s.call_id,
                s.round,
                s.number,
                s.expert_number,
                s.packet_id,
                s.receipt_sha256,
                s.body,
                s.total_half,
                s.grade,
                s.sealed_at,
                s.package_id,
                s.received_at
            ],
        )?;
        Ok(())
    }

    /// Records a conflict an expert declared (kept once).
    pub fn review_conflict_declared_insert(&self, c: &ReceivedConflictRow) -> Result<()> {
        self.tx.execute(
            "INSERT INTO review_conflict_declared
                 (call_id, round, number, expert_number, packet_id, reason, declared_at, package_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (call_id, round, number, expert_number) DO NOTHING",
            params![c.call_id, c.round, c.number, c.expert_number, c.packet_id, c.reason, c.declared_at, c.package_id],
        )?;
        Ok(())
    }

    /// Records a packet received by an expert, with an empty draft sheet for each of its items.
    pub fn review_packet_held_insert(&self, p: &HeldPacketRow, numbers: &[String]) -> Result<()> {
        self.tx.execute(
            &format!("INSERT INTO review_packet_held ({HELD}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
            params![
                p.packet_id,
                p.call_id,
                p.call_code,
                p.round,
                p.office_key_id,
                p.form_sha256,
                p.body,
                p.received_at,
                p.contents_removed_at
            ],
        )?;
        for n in numbers {
            self.tx.execute(
                "INSERT INTO review_sheet (packet_id, number, draft, updated_at) VALUES (?1, ?2, '{}', ?3)",
                params![p.packet_id, n, p.received_at],
            )?;
        }
        Ok(())
    }

    /// Saves a draft sheet (refused by a trigger once the sheet is sealed).
    pub fn review_sheet_save_draft(&self, packet_id: &str, number: &str, draft: &str, at: &str) -> Result<usize> {
        Ok(self.tx.execute(
            "UPDATE review_sheet SET draft = ?3, updated_at = ?4 WHERE packet_id = ?1 AND number = ?2",
            params![packet_id, number, draft, at],
        )?)
    }

    /// Saves the drafts of several sheets of one packet at once (a typed paper score sheet), each given
    /// as (申报编号, draft JSON). Only sheets neither sealed nor declared a conflict are touched, and the
    /// count of those is returned: the caller compares it with `drafts.len()` and fails the transaction
    /// when a sheet was closed meanwhile, so that a paper sheet is never half imported.
    pub fn review_sheet_save_drafts(&self, packet_id: &str, drafts: &[(String, String)], at: &str) -> Result<usize> {
        let mut st = self.tx.prepare_cached(
            "UPDATE review_sheet SET draft = ?3, updated_at = ?4
             WHERE packet_id = ?1 AND number = ?2 AND sealed IS NULL AND conflict_reason IS NULL",
        )?;
        let mut n = 0;
        for (number, draft) in drafts {
            n += st.execute(params![packet_id, number, draft, at])?;
        }
        Ok(n)
    }

    /// Seals a sheet: the exact text and its receipt, written once.
    pub fn review_sheet_seal(
        &self,
        packet_id: &str,
        number: &str,
        sealed: &str,
        receipt: &str,
        at: &str,
    ) -> Result<usize> {
        Ok(self.tx.execute(
            "UPDATE review_sheet SET sealed = ?3, receipt_sha256 = ?4, sealed_at = ?5, updated_at = ?5
             WHERE packet_id = ?1 AND number = ?2 AND sealed IS NULL AND conflict_reason IS NULL",
            params![packet_id, number, sealed, receipt, at],
        )?)
    }

    /// Declares a conflict on an item: it leaves the packet (its sheet is never sealed).
    pub fn review_sheet_declare_conflict(
        &self,
        packet_id: &str,
        number: &str,
        reason: &str,
        at: &str,
    ) -> Result<usize> {
        Ok(self.tx.execute(
            "UPDATE review_sheet SET conflict_reason = ?3, conflict_at = ?4, updated_at = ?4
             WHERE packet_id = ?1 AND number = ?2 AND sealed IS NULL AND conflict_reason IS NULL",
            params![packet_id, number, reason, at],
        )?)
    }

    /// Records a return written by the expert.
    pub fn review_return_sent_insert(&self, r: &ReturnSentRow) -> Result<()> {
        self.tx.execute(
            "INSERT INTO review_return_sent (packet_id, seq, package_id, sent_at) VALUES (?1, ?2, ?3, ?4)",
            params![r.packet_id, r.seq, r.package_id, r.sent_at],
        )?;
        Ok(())
    }

    /// Replaces a held packet's body by one without the application contents, and notes when.
    pub fn review_packet_remove_contents(&self, packet_id: &str, body: &str, at: &str) -> Result<usize> {
        Ok(self.tx.execute(
            "UPDATE review_packet_held SET body = ?2, contents_removed_at = ?3
             WHERE packet_id = ?1 AND contents_removed_at IS NULL",
            params![packet_id, body, at],
        )?)
    }
}

impl Reader<'_> {
    /// The packets issued for a call's round, oldest first.
    pub fn review_packets_issued(&self, call_id: &str, round: u32) -> Result<Vec<IssuedPacketRow>> {
        let mut st = self.tx.prepare(&format!(
            "SELECT {ISSUED} FROM review_packet WHERE call_id = ?1 AND round = ?2 ORDER BY issued_at, packet_id"
        ))?;
        let rows = st.query_map(params![call_id, round], issued_of)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// One issued packet.
    pub fn review_packet_issued(&self, packet_id: &str) -> Result<Option<IssuedPacketRow>> {
        Ok(self
            .tx
            .query_row(&format!("SELECT {ISSUED} FROM review_packet WHERE packet_id = ?1"), [packet_id], issued_of)
            .optional()?)
    }

    /// The highest return number imported for a packet (0 when none).
    pub fn review_return_latest_seq(&self, packet_id: &str) -> Result<u32> {
        Ok(self.tx.query_row(
            "SELECT COALESCE(MAX(seq), 0) FROM review_return WHERE packet_id = ?1",
            [packet_id],
            |r| r.get(0),
        )?)
    }

    /// Every sheet received for a call's round, counted or not, by item and expert: what the office
    /// holds (a return repeating a held sheet, a sealed sheet that may never change). Anything that
    /// aggregates reads [`Reader::review_sheets_counted`] instead.
    pub fn review_sheets_received_all(&self, call_id: &str, round: u32) -> Result<Vec<ReceivedSheetRow>> {
        let mut st = self.tx.prepare(&format!(
            "SELECT {RECEIVED} FROM review_sheet_received WHERE call_id = ?1 AND round = ?2
             ORDER BY number, expert_number"
        ))?;
        let rows = st.query_map(params![call_id, round], received_of)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The sheets of a call's round that count, by item and expert: those whose item is still in the
    /// newest packet issued to their expert for the round. A sheet received for an item the office took
    /// off that expert since (a re-issued packet without it: a late conflict, a withdrawn pair) is kept
    /// but counts nowhere — not in the ranking, the sensitivity table, the funding line, the progress,
    /// the decisions or the results; [`Reader::review_sheets_set_aside`] lists those. The one read of
    /// the sheet table for aggregation, so that no reader can forget the rule.
    pub fn review_sheets_counted(&self, call_id: &str, round: u32) -> Result<Vec<ReceivedSheetRow>> {
        let cols = RECEIVED.split(", ").map(|c| format!("s.{c}")).collect::<Vec<_>>().join(", ");
        let mut st = self.tx.prepare_cached(&format!(
            "{NEWEST}
             SELECT {cols} FROM review_sheet_received s JOIN newest n ON n.expert_number = s.expert_number
             WHERE s.call_id = ?1 AND s.round = ?2
               AND EXISTS (SELECT 1 FROM json_each(n.items) j WHERE j.value = s.number)
             ORDER BY s.number, s.expert_number"
        ))?;
        let rows = st.query_map(params![call_id, round], received_of)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The sheets of a call's round received but not counted (see [`Reader::review_sheets_counted`]),
    /// each with the newest packet that left its item out and, when the officer removed the pair by
    /// hand, the reason given.
    pub fn review_sheets_set_aside(&self, call_id: &str, round: u32) -> Result<Vec<SetAsideSheetRow>> {
        let cols = RECEIVED.split(", ").map(|c| format!("s.{c}")).collect::<Vec<_>>().join(", ");
        let mut st = self.tx.prepare_cached(&format!(
            "{NEWEST}
             SELECT {cols}, n.packet_id, n.issue, n.issued_at, e.reason
             FROM review_sheet_received s JOIN newest n ON n.expert_number = s.expert_number
             LEFT JOIN assignment_pair_edit e
                    ON e.call_id = s.call_id AND e.round = s.round AND e.application = s.number
                   AND e.expert = s.expert_number AND e.kind = 'remove'
             WHERE s.call_id = ?1 AND s.round = ?2
               AND NOT EXISTS (SELECT 1 FROM json_each(n.items) j WHERE j.value = s.number)
             ORDER BY s.number, s.expert_number"
        ))?;
        let rows = st
            .query_map(params![call_id, round], |r| {
                Ok(SetAsideSheetRow {
                    sheet: received_of(r)?,
                    newest_packet_id: r.get(12)?,
                    newest_issue: r.get(13)?,
                    newest_issued_at: r.get(14)?,
                    removal_reason: r.get(15)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The conflicts declared in any round of a call, by round, item and expert.
    pub fn review_conflicts_declared_in_call(&self, call_id: &str) -> Result<Vec<ReceivedConflictRow>> {
        let mut st = self.tx.prepare(
            "SELECT call_id, round, number, expert_number, packet_id, reason, declared_at, package_id
             FROM review_conflict_declared WHERE call_id = ?1 ORDER BY round, number, expert_number",
        )?;
        let rows = st.query_map(params![call_id], conflict_of)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The conflicts declared in a call's round.
    pub fn review_conflicts_declared(&self, call_id: &str, round: u32) -> Result<Vec<ReceivedConflictRow>> {
        let mut st = self.tx.prepare(
            "SELECT call_id, round, number, expert_number, packet_id, reason, declared_at, package_id
             FROM review_conflict_declared WHERE call_id = ?1 AND round = ?2 ORDER BY number, expert_number",
        )?;
        let rows = st.query_map(params![call_id, round], conflict_of)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The packets this expert holds, newest first.
    pub fn review_packets_held(&self) -> Result<Vec<HeldPacketRow>> {
        let mut st =
            self.tx.prepare(&format!("SELECT {HELD} FROM review_packet_held ORDER BY received_at DESC, packet_id"))?;
        let rows = st.query_map([], held_of)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// One held packet.
    pub fn review_packet_held(&self, packet_id: &str) -> Result<Option<HeldPacketRow>> {
        Ok(self
            .tx
            .query_row(&format!("SELECT {HELD} FROM review_packet_held WHERE packet_id = ?1"), [packet_id], held_of)
            .optional()?)
    }

    /// The sheets of a held packet, by item number.
    pub fn review_sheets(&self, packet_id: &str) -> Result<Vec<SheetRow>> {
        let mut st =
            self.tx.prepare(&format!("SELECT {SHEET} FROM review_sheet WHERE packet_id = ?1 ORDER BY number"))?;
        let rows = st.query_map([packet_id], sheet_of)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// One sheet.
    pub fn review_sheet(&self, packet_id: &str, number: &str) -> Result<Option<SheetRow>> {
        Ok(self
            .tx
            .query_row(
                &format!("SELECT {SHEET} FROM review_sheet WHERE packet_id = ?1 AND number = ?2"),
                [packet_id, number],
                sheet_of,
            )
            .optional()?)
    }

    /// The returns written for a packet, by number.
    pub fn review_returns_sent(&self, packet_id: &str) -> Result<Vec<ReturnSentRow>> {
        let mut st = self.tx.prepare(
            "SELECT packet_id, seq, package_id, sent_at FROM review_return_sent WHERE packet_id = ?1 ORDER BY seq",
        )?;
        let rows = st
            .query_map([packet_id], |r| {
                Ok(ReturnSentRow { packet_id: r.get(0)?, seq: r.get(1)?, package_id: r.get(2)?, sent_at: r.get(3)? })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
