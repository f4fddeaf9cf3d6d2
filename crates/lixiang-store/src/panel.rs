//! 会议评审 rows (migrations 0015, 0016): the shortlist a round takes from the round before it, and the panel's votes per item.
//! The rules (who may vote, what recommends, when a shortlist may be made again) are the core's
//! (`lixiang_core::review::panel`).

use crate::{Reader, Result, Writer};
use rusqlite::{params, OptionalExtension, Row};

/// A round's shortlist as recorded.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ShortlistRow {
    pub call_id: String,
    pub round: u32,
    pub method: String,
    /// JSON array of the items.
    pub items: String,
    pub made_at: String,
    /// The percent of the places it was made at, when the officer chose another than the plan's
    /// (migration 0016); `None`: the plan's.
    pub percent: Option<u32>,
}

/// The panel's vote on one item.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PanelVoteRow {
    pub call_id: String,
    pub round: u32,
    pub number: String,
    /// JSON array of the expert numbers present.
    pub present: String,
    /// JSON array of the expert numbers who stepped out for a conflict.
    pub stepped_out: String,
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    pub recommended: bool,
    pub recorded_at: String,
}

fn vote_of(r: &Row) -> rusqlite::Result<PanelVoteRow> {
    Ok(PanelVoteRow {
        call_id: r.get(0)?,
        round: r.get(1)?,
        number: r.get(2)?,
        present: r.get(3)?,
        stepped_out: r.get(4)?,
        yes: r.get(5)?,
        no: r.get(6)?,
        abstain: r.get(7)?,
        recommended: r.get(8)?,
        recorded_at: r.get(9)?,
    })
}

const VOTE: &str = "call_id, round, number, present, stepped_out, yes, no, abstain, recommended, recorded_at";

impl Writer<'_> {
    /// Records a round's shortlist, replacing the one held.
    pub fn shortlist_put(&self, s: &ShortlistRow) -> Result<()> {
        self.tx.execute(
            "INSERT OR REPLACE INTO review_shortlist (call_id, round, method, items, made_at, percent)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![s.call_id, s.round, s.method, s.items, s.made_at, s.percent],
        )?;
        Ok(())
    }

    /// Records the panel's vote on an item, replacing an earlier record of it (the audit chain keeps both).
    pub fn panel_vote_put(&self, v: &PanelVoteRow) -> Result<()> {
        self.tx.execute(
            &format!("INSERT OR REPLACE INTO panel_vote ({VOTE}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
            params![
                v.call_id,
                v.round,
                v.number,
                v.present,
                v.stepped_out,
                v.yes,
                v.no,
                v.abstain,
                v.recommended,
                v.recorded_at
            ],
        )?;
        Ok(())
    }
}

impl Reader<'_> {
    /// A round's shortlist, if made.
    pub fn shortlist(&self, call_id: &str, round: u32) -> Result<Option<ShortlistRow>> {
        Ok(self
            .tx
            .query_row(
                "SELECT call_id, round, method, items, made_at, percent FROM review_shortlist
                 WHERE call_id = ?1 AND round = ?2",
                params![call_id, round],
                |r| {
                    Ok(ShortlistRow {
                        call_id: r.get(0)?,
                        round: r.get(1)?,
                        method: r.get(2)?,
                        items: r.get(3)?,
                        made_at: r.get(4)?,
                        percent: r.get(5)?,
                    })
                },
            )
            .optional()?)
    }

    /// The votes recorded in a round, by 申报编号.
    pub fn panel_votes(&self, call_id: &str, round: u32) -> Result<Vec<PanelVoteRow>> {
        let mut st = self
            .tx
            .prepare(&format!("SELECT {VOTE} FROM panel_vote WHERE call_id = ?1 AND round = ?2 ORDER BY number"))?;
        let rows = st.query_map(params![call_id, round], vote_of)?.collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
