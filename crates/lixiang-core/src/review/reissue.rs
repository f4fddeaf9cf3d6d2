//! A packet re-issued after the assignment changed (an item added or withdrawn) supersedes the earlier
//! one. This module owns the three places where that matters; it does not decide the assignment.
//!
//! - The office numbers each expert's packets per call and round (`issue` in the payload: 1, 2, …),
//!   counted in the transaction that records the packet, so two exports never share a number.
//! - The expert's laptop, importing a newer issue, replaces the older packet in the same transaction:
//!   items no longer assigned leave (their application contents and open drafts go), new items appear,
//!   the sheets of items still assigned move over as they are (drafts, and sealed sheets and declared
//!   conflicts when the form did not change). A sealed sheet is never deleted: it stays in the
//!   superseded packet, which keeps no application contents and is no longer listed. An older issue
//!   arriving after a newer one is refused (`review.packet_superseded`) and nothing is written.
//! - The office accepts a return against a superseded packet only for items still assigned in the
//!   newest one (`review.item_no_longer_assigned` otherwise, unless the office already holds that very
//!   sheet), and a return against the newest packet may carry sheets sealed under an earlier issue.

use super::{refused, ItemContent, PacketPayload};
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{IssuedPacketRow, Writer};
use std::collections::BTreeSet;

/// Records an issued packet under the issue number its payload carries. Refused, with nothing
/// written, when another export for the same expert and round was recorded since the number was
/// taken (export again).
pub(crate) fn record_issued(w: &Writer, row: &IssuedPacketRow, issue: u32) -> Result<()> {
    let before = w.review_packets_issued_to(&row.call_id, row.round, &row.expert_number)?;
    if before + 1 != issue {
        return Err(refused(
            &row.file_name,
            "review.packet_issue_taken",
            format!("专家 {} 的第 {issue} 版评审包刚由另一次导出发出：请重新导出", row.expert_number),
            format!(
                "issue {issue} of expert {}'s packet was just written by another export: export again",
                row.expert_number
            ),
        ));
    }
    w.review_packet_insert(row)?;
    Ok(())
}

/// Orders two packets for the same expert, call and round: by issue, then by time of issue (packets
/// written before issues were numbered carry 0).
fn newer(a: &PacketPayload, b: &PacketPayload) -> bool {
    (a.issue, a.issued_at.as_str()) > (b.issue, b.issued_at.as_str())
}

/// What importing a newer issue does to one older packet held on the laptop.
pub(crate) struct Replacement {
    old_packet_id: String,
    old_issue: u32,
    /// The older packet's payload as it stays: no application contents, the newer packet named.
    old_body: String,
    /// Items in both packets: their sheets move over.
    kept: Vec<String>,
    /// Items only in the older packet: their open drafts go.
    withdrawn: Vec<String>,
    /// Items only in the newer packet.
    added: Vec<String>,
    /// Whether sealed sheets and declared conflicts move too (the form is the same).
    same_form: bool,
    /// The attachments the older packet's items list: their files go once the newer packet is held,
    /// unless an item still readable lists them (a kept item's, in the newer packet).
    pub(crate) attachments: Vec<String>,
}

/// Checks an incoming packet against the packets already held from the same office for the same call
/// and round: refused when one of them is a newer issue; otherwise the replacements of the older
/// packets not yet superseded, written by [`replace`] in the import's transaction.
pub(crate) fn plan(ws: &mut Workspace, p: &PacketPayload, office_key_id: &str, file: &str) -> Result<Vec<Replacement>> {
    if p.superseded_by.is_some() {
        return Err(CoreError::Package {
            file: file.to_string(),
            source: crate::package::PackageError::malformed("a packet marked superseded".to_string()),
        });
    }
    let held = ws.store.read(|r| r.review_packets_held())?;
    let mut out = Vec::new();
    for h in held.iter().filter(|h| {
        h.call_id == p.call_id && h.round == p.round && h.office_key_id == office_key_id && h.packet_id != p.packet_id
    }) {
        let Ok(old) = serde_json::from_str::<PacketPayload>(&h.body) else { continue };
        if newer(&old, p) {
            return Err(refused(
                file,
                "review.packet_superseded",
                format!(
                    "评审包 {}（{} 第 {} 轮，第 {} 版，{} 发出）已被本机持有的第 {} 版（{}，{} 发出）取代：请导入项目办最新发出的评审包",
                    p.packet_id, p.call_code, p.round, p.issue, p.issued_at, old.issue, old.packet_id, old.issued_at
                ),
                format!(
                    "packet {} ({} round {}, issue {}, issued {}) is superseded by issue {} ({}, issued {}) already held: import the newest packet the office issued",
                    p.packet_id, p.call_code, p.round, p.issue, p.issued_at, old.issue, old.packet_id, old.issued_at
                ),
            ));
        }
        // Packets from before issue numbers keep the old way: both stay.
        if old.superseded_by.is_some() || (old.issue == 0 && p.issue == 0) {
            continue;
        }
        let new_items: BTreeSet<&str> = p.items.iter().map(|i| i.number.as_str()).collect();
        let old_items: BTreeSet<&str> = old.items.iter().map(|i| i.number.as_str()).collect();
        let mut body = old.clone();
        for item in &mut body.items {
            item.content = ItemContent::Removed;
        }
        body.superseded_by = Some(p.packet_id.clone());
        out.push(Replacement {
            old_packet_id: h.packet_id.clone(),
            old_issue: old.issue,
            old_body: serde_json::to_string(&body).expect("a packet serialises"),
            kept: old_items.intersection(&new_items).map(|s| s.to_string()).collect(),
            withdrawn: old_items.difference(&new_items).map(|s| s.to_string()).collect(),
            added: new_items.difference(&old_items).map(|s| s.to_string()).collect(),
            same_form: old.form_sha256 == p.form_sha256,
            attachments: super::expert::attachments_of(&old.items),
        });
    }
    Ok(out)
}

/// Applies the replacements inside the import's transaction, after the newer packet's row and empty
/// sheets were written.
pub(crate) fn replace(w: &Writer, new_packet_id: &str, plan: &[Replacement], at: &str) -> Result<()> {
    for r in plan {
        for n in &r.kept {
            w.review_sheet_carry(&r.old_packet_id, new_packet_id, n, r.same_form)?;
        }
        // Open drafts leave the older packet: moved above when kept, gone when withdrawn. Sealed sheets
        // and declared conflicts stay where they were made.
        for n in r.kept.iter().chain(&r.withdrawn) {
            w.review_sheet_drop_open(&r.old_packet_id, n)?;
        }
        w.review_packet_held_supersede(&r.old_packet_id, &r.old_body, at)?;
    }
    Ok(())
}

/// The import's summary of the replacements (Chinese, English).
pub(crate) fn summary(plan: &[Replacement]) -> (String, String) {
    let (mut zh, mut en) = (String::new(), String::new());
    for r in plan {
        zh.push_str(&format!(
            "；取代第 {} 版评审包：移出 {} 项{}，新增 {} 项，保留 {} 项",
            r.old_issue,
            r.withdrawn.len(),
            if r.withdrawn.is_empty() { String::new() } else { format!("（{}）", r.withdrawn.join("、")) },
            r.added.len(),
            r.kept.len()
        ));
        en.push_str(&format!(
            "; replaces issue {}: {} item(s) withdrawn{}, {} added, {} kept",
            r.old_issue,
            r.withdrawn.len(),
            if r.withdrawn.is_empty() { String::new() } else { format!(" ({})", r.withdrawn.join(", ")) },
            r.added.len(),
            r.kept.len()
        ));
    }
    (zh, en)
}

/// Refuses work on a packet a newer issue replaced (a return is written from the newest packet).
pub(crate) fn refuse_superseded(p: &PacketPayload, packet_id: &str) -> Result<()> {
    match &p.superseded_by {
        None => Ok(()),
        Some(newer) => Err(refused(
            packet_id,
            "review.packet_superseded",
            format!("评审包 {packet_id}（第 {} 版）已被新发的评审包 {newer} 取代：请在新评审包中评审并交回", p.issue),
            format!(
                "packet {packet_id} (issue {}) was replaced by the newer packet {newer}: review and return from that one",
                p.issue
            ),
        )),
    }
}

/// What the office allows a return against `packet` to carry, given the packets issued since.
pub(crate) struct ReturnScope {
    /// The newest packet issued to the same expert for the same round, when it is not `packet`.
    newest: Option<(IssuedPacketRow, BTreeSet<String>)>,
}

impl ReturnScope {
    pub(crate) fn of(ws: &mut Workspace, packet: &IssuedPacketRow) -> Result<ReturnScope> {
        let latest =
            ws.store.read(|r| r.review_packet_latest_to(&packet.call_id, packet.round, &packet.expert_number))?;
        let newest = latest.filter(|l| l.packet_id != packet.packet_id).map(|l| {
            let items: BTreeSet<String> = serde_json::from_str(&l.items).unwrap_or_default();
            (l, items)
        });
        Ok(ReturnScope { newest })
    }

    /// Refuses an item of a superseded packet that the newest packet no longer holds; `already_held`
    /// says whether the office holds this very sheet already (a return repeats the older ones).
    pub(crate) fn check_item(
        &self,
        file: &str,
        packet: &IssuedPacketRow,
        number: &str,
        already_held: bool,
    ) -> Result<()> {
        let Some((newest, items)) = &self.newest else { return Ok(()) };
        if items.contains(number) || already_held {
            return Ok(());
        }
        Err(refused(
            file,
            "review.item_no_longer_assigned",
            format!(
                "评审结果针对评审包 {} 中的申报书 {number}，但该评审包已被发给专家 {} 的新评审包 {} 取代，申报书 {number} 已不再分配给该专家：不予接收；请专家导入新评审包并从中交回",
                packet.packet_id, packet.expert_number, newest.packet_id
            ),
            format!(
                "the return answers application {number} of packet {}, which the newer packet {} to expert {} superseded, and {number} is no longer assigned to that expert: refused; the expert should import the newer packet and return from it",
                packet.packet_id, newest.packet_id, packet.expert_number
            ),
        ))
    }
}

/// Whether a sheet sealed under packet `sheet_packet` may travel in a return against `packet`: the same
/// packet, or an earlier packet issued to the same expert for the same call and round (its sheet moved
/// over when the newer packet replaced it).
pub(crate) fn sheet_packet_fits(ws: &mut Workspace, packet: &IssuedPacketRow, sheet_packet: &str) -> Result<bool> {
    if sheet_packet == packet.packet_id {
        return Ok(true);
    }
    let (earlier, issue_of_sheet, issue_of_packet) = ws.store.read(|r| {
        Ok::<_, CoreError>((
            r.review_packet_issued(sheet_packet)?,
            r.review_packet_issue_of(sheet_packet)?,
            r.review_packet_issue_of(&packet.packet_id)?,
        ))
    })?;
    Ok(earlier.is_some_and(|e| {
        e.call_id == packet.call_id && e.round == packet.round && e.expert_number == packet.expert_number
    }) && issue_of_sheet < issue_of_packet)
}

#[cfg(test)]
#[path = "reissue_tests.rs"]
mod tests;
