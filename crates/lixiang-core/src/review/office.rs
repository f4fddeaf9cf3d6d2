//! The office's side of returns: a return is accepted only from the expert its packet went to, only
//! for the items of that packet, only against the packet's form hash, and only when it is newer than
//! the returns already held for that packet; a sealed sheet never changes (a different sheet for the
//! same expert and item is refused). Then the progress of a round per expert and per item, and the
//! sheets the ranking reads: those that count, i.e. not the sheets of items a re-issued packet took off
//! their expert (held and listed as set aside, never aggregated; the store's `review_sheets_counted`).

use super::sheet::{marks_fit, SealedSheet};
use super::{refused, ReturnPayload, FORMAT};
use crate::call::desk as calls;
use crate::identity;
use crate::package::{self, Inspection};
use crate::score::{Grade, Sheet};
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{sha256_hex, IssuedPacketRow, ReceivedConflictRow, ReceivedSheetRow};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A return checked by the import pipeline, written in its transaction by [`receive`].
pub(crate) struct IncomingReturn {
    package_id: String,
    packet_id: String,
    seq: u32,
    sheets: Vec<ReceivedSheetRow>,
    conflicts: Vec<ReceivedConflictRow>,
    pub(crate) zh: String,
    pub(crate) en: String,
}

/// The office's handler for review returns, run by the import pipeline before its transaction.
pub(crate) fn check_import(
    ws: &mut Workspace,
    inspection: &Inspection,
    payload: &[u8],
    file: &str,
) -> Result<IncomingReturn> {
    let malformed =
        |what: String| CoreError::Package { file: file.to_string(), source: package::PackageError::malformed(what) };
    let r: ReturnPayload = serde_json::from_slice(payload).map_err(|e| malformed(format!("review return: {e}")))?;
    if r.format > FORMAT {
        return Err(refused(
            file,
            "review.newer_format",
            format!("评审结果格式为第 {} 版，本程序只能读到第 {FORMAT} 版：请升级立项", r.format),
            format!("the return is format {}; this program reads up to {FORMAT}: upgrade Lixiang", r.format),
        ));
    }
    let packet: IssuedPacketRow = ws.store.read(|rd| rd.review_packet_issued(&r.packet_id))?.ok_or_else(|| {
        refused(
            file,
            "review.packet_unknown",
            format!("评审结果针对的评审包 {} 不是本办公室发出的", r.packet_id),
            format!("the return answers packet {}, which this office did not issue", r.packet_id),
        )
    })?;
    let sender = inspection.manifest.sender.key_id.clone();
    if sender != packet.expert_key_id {
        return Err(refused(
            file,
            "review.not_from_assigned_expert",
            format!(
                "评审结果由密钥 {sender} 签名，而评审包 {} 是发给专家 {}（密钥 {}）的：不予接收",
                packet.packet_id, packet.expert_number, packet.expert_key_id
            ),
            format!(
                "the return is signed by key {sender}, but packet {} went to expert {} (key {}): refused",
                packet.packet_id, packet.expert_number, packet.expert_key_id
            ),
        ));
    }
    if r.call_id != packet.call_id || r.round != packet.round || r.expert_number != packet.expert_number {
        return Err(malformed("the return's call, round or expert is not its packet's".into()));
    }
    if r.form_sha256 != packet.form_sha256 {
        return Err(refused(
            file,
            "review.form_mismatch",
            format!(
                "评审结果按另一版评分表（{}）填写，评审包的评分表为 {}：不予接收",
                short(&r.form_sha256),
                short(&packet.form_sha256)
            ),
            format!(
                "the return was scored against another form ({}) than the packet's ({}): refused",
                short(&r.form_sha256),
                short(&packet.form_sha256)
            ),
        ));
    }
    let held_seq = ws.store.read(|rd| rd.review_return_latest_seq(&packet.packet_id))?;
    if r.seq <= held_seq {
        return Err(CoreError::Superseded {
            file: file.to_string(),
            what: format!("return {} / 第 {} 次交回", r.seq, r.seq),
            held: format!("return {held_seq} / 第 {held_seq} 次交回"),
        });
    }
    let items: Vec<String> = serde_json::from_str(&packet.items).unwrap_or_default();
    // A packet re-issued since: what this (older) packet may still answer.
    let scope = super::reissue::ReturnScope::of(ws, &packet)?;
    let call = calls::get(ws, &packet.call_id)?;
    // The sheets are checked against the form the packet carried: rebuilt from the call, and used only
    // when it still hashes the same (a later revision of the call does not change what was sent).
    let form = Some(super::issue::packet_form(&call, super::issue::round_of(&call, packet.round)?))
        .filter(|f| super::form_sha256(f) == packet.form_sha256);
    let held: BTreeMap<(String, String), String> = ws
        .store
        .read(|rd| rd.review_sheets_received_all(&packet.call_id, packet.round))?
        .into_iter()
        .map(|s| ((s.number, s.expert_number), s.receipt_sha256))
        .collect();
    let now = identity::now();
    let package_id = inspection.manifest.id.to_string();
    let mut sheets = Vec::new();
    let mut seen = BTreeSet::new();
    for text in &r.sheets {
        let s: SealedSheet = serde_json::from_str(text).map_err(|e| malformed(format!("score sheet: {e}")))?;
        if !items.contains(&s.number) {
            return Err(refused(
                file,
                "review.item_not_assigned",
                format!(
                    "评审结果含有申报书 {} 的评分表，但它不在发给专家 {} 的评审包中：不予接收",
                    s.number, packet.expert_number
                ),
                format!(
                    "the return holds a sheet for application {}, which is not in the packet of expert {}: refused",
                    s.number, packet.expert_number
                ),
            ));
        }
        if s.form_sha256 != packet.form_sha256 {
            return Err(refused(
                file,
                "review.form_mismatch",
                format!("申报书 {} 的评分表按另一版评分表填写：不予接收", s.number),
                format!("the sheet of application {} was scored against another form: refused", s.number),
            ));
        }
        if !super::reissue::sheet_packet_fits(ws, &packet, &s.packet_id)?
            || s.expert_number != packet.expert_number
            || s.call_id != packet.call_id
        {
            return Err(malformed(format!("the sheet of {} names another packet or expert", s.number)));
        }
        if let Some(form) = &form {
            marks_fit(form, &s.marks).map_err(|e| malformed(format!("the sheet of {}: {e}", s.number)))?;
        }
        if !seen.insert(s.number.clone()) {
            return Err(malformed(format!("two sheets for application {}", s.number)));
        }
        let receipt = sha256_hex(text.as_bytes());
        let already = held.get(&(s.number.clone(), s.expert_number.clone())) == Some(&receipt);
        scope.check_item(file, &packet, &s.number, already)?;
        if let Some(other) = held.get(&(s.number.clone(), s.expert_number.clone())) {
            if *other != receipt {
                return Err(refused(
                    file,
                    "review.sheet_changed",
                    format!("专家 {} 对申报书 {} 的评分表已收到另一份（回执 {}）：封存的评分表不能更改", s.expert_number, s.number, short(other)),
                    format!(
                        "another sheet of expert {} on application {} is already held (receipt {}): a sealed sheet cannot change",
                        s.expert_number,
                        s.number,
                        short(other)
                    ),
                ));
            }
        }
        sheets.push(ReceivedSheetRow {
            call_id: packet.call_id.clone(),
            round: packet.round,
            number: s.number.clone(),
            expert_number: s.expert_number.clone(),
            packet_id: packet.packet_id.clone(),
            receipt_sha256: receipt,
            body: text.clone(),
            total_half: s.total().map(|t| t.0),
            grade: s.grade().map(|g| format!("{g:?}")),
            sealed_at: s.sealed_at.clone(),
            package_id: package_id.clone(),
            received_at: now.clone(),
        });
    }
    let mut conflicts = Vec::new();
    for c in &r.conflicts {
        if !items.contains(&c.number) {
            return Err(refused(
                file,
                "review.item_not_assigned",
                format!("回避声明针对的申报书 {} 不在发给专家 {} 的评审包中", c.number, packet.expert_number),
                format!(
                    "the conflict names application {}, which is not in the packet of expert {}",
                    c.number, packet.expert_number
                ),
            ));
        }
        let repeated = ws
            .store
            .read(|rd| rd.review_conflicts_declared(&packet.call_id, packet.round))?
            .iter()
            .any(|h| h.number == c.number && h.expert_number == packet.expert_number);
        scope.check_item(file, &packet, &c.number, repeated)?;
        if seen.contains(&c.number) {
            return Err(malformed(format!("application {} is both scored and declared a conflict", c.number)));
        }
        conflicts.push(ReceivedConflictRow {
            call_id: packet.call_id.clone(),
            round: packet.round,
            number: c.number.clone(),
            expert_number: packet.expert_number.clone(),
            packet_id: packet.packet_id.clone(),
            reason: c.reason.clone(),
            declared_at: c.declared_at.clone(),
            package_id: package_id.clone(),
        });
    }
    let zh = format!(
        "专家 {} 交回 {} 第 {} 轮评审结果（第 {} 次）：{} 份评分表，{} 项回避",
        packet.expert_number,
        call.code,
        packet.round,
        r.seq,
        sheets.len(),
        conflicts.len()
    );
    let en = format!(
        "expert {} returned call {} round {} (return {}): {} sheet(s), {} conflict(s)",
        packet.expert_number,
        call.code,
        packet.round,
        r.seq,
        sheets.len(),
        conflicts.len()
    );
    Ok(IncomingReturn { package_id, packet_id: packet.packet_id, seq: r.seq, sheets, conflicts, zh, en })
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// Writes a checked return (inside the import's transaction).
pub(crate) fn receive(w: &lixiang_store::Writer, r: &IncomingReturn) -> Result<()> {
    w.review_return_insert(&r.package_id, &r.packet_id, r.seq, &identity::now())?;
    for s in &r.sheets {
        w.review_sheet_received_insert(s)?;
    }
    for c in &r.conflicts {
        w.review_conflict_declared_insert(c)?;
    }
    Ok(())
}

/// One expert's progress in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ExpertProgress {
    pub expert_number: String,
    pub assigned: u32,
    pub packets: u32,
    pub sheets: u32,
    pub conflicts: u32,
    pub outstanding: u32,
}

/// One item's progress in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ItemProgress {
    pub number: String,
    pub assigned: u32,
    pub sheets: u32,
    pub conflicts: u32,
    pub outstanding: u32,
}

/// A sheet the office received but does not count: the item was taken off its expert by a packet
/// issued since (the expert's newest packet for the round does not carry it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct SetAsideSheet {
    pub number: String,
    pub expert_number: String,
    pub receipt_sha256: String,
    pub received_at: String,
    /// The expert's newest packet for the round, without the item, and its issue number.
    pub newest_packet_id: String,
    pub newest_issue: u32,
    pub newest_issued_at: String,
    /// The officer's reason when the pair was removed by hand (and is still removed).
    pub removal_reason: Option<String>,
}

impl From<lixiang_store::SetAsideSheetRow> for SetAsideSheet {
    fn from(a: lixiang_store::SetAsideSheetRow) -> SetAsideSheet {
        SetAsideSheet {
            number: a.sheet.number,
            expert_number: a.sheet.expert_number,
            receipt_sha256: a.sheet.receipt_sha256,
            received_at: a.sheet.received_at,
            newest_packet_id: a.newest_packet_id,
            newest_issue: a.newest_issue,
            newest_issued_at: a.newest_issued_at,
            removal_reason: a.removal_reason,
        }
    }
}

/// The sheets of a call's round received but not counted (items taken off their expert since).
pub fn set_aside(ws: &mut Workspace, call: &str, round: u32) -> Result<Vec<SetAsideSheet>> {
    let call = calls::get(ws, call)?;
    super::issue::round_of(&call, round)?;
    let rows = ws.store.read(|r| r.review_sheets_set_aside(&call.id.to_string(), round))?;
    Ok(rows.into_iter().map(SetAsideSheet::from).collect())
}

/// The progress of returns in a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct Progress {
    pub call: String,
    pub round: u32,
    pub experts: Vec<ExpertProgress>,
    pub items: Vec<ItemProgress>,
    /// The sheets that count (see [`SetAsideSheet`] for those that do not).
    pub sheets: u32,
    pub expected: u32,
    /// Sheets received for items taken off their expert since: held, shown, never counted.
    pub set_aside: Vec<SetAsideSheet>,
}

/// Returns per expert and per item: what the current assignment asks, what the packets carried, what
/// came back and counts, and what came back but no longer counts.
pub fn progress(ws: &mut Workspace, call: &str, round: u32) -> Result<Progress> {
    let call = calls::get(ws, call)?;
    super::issue::round_of(&call, round)?;
    let assignment = super::issue::current_assignment(ws, &call, round)?;
    let id = call.id.to_string();
    let (packets, sheets, conflicts, set_aside) = ws.store.read(|r| {
        Ok::<_, CoreError>((
            r.review_packets_issued(&id, round)?,
            r.review_sheets_counted(&id, round)?,
            r.review_conflicts_declared(&id, round)?,
            r.review_sheets_set_aside(&id, round)?,
        ))
    })?;
    let done: BTreeSet<(String, String)> = sheets.iter().map(|s| (s.expert_number.clone(), s.number.clone())).collect();
    let declared: BTreeSet<(String, String)> =
        conflicts.iter().map(|c| (c.expert_number.clone(), c.number.clone())).collect();
    let mut experts = Vec::new();
    let mut items: BTreeMap<String, ItemProgress> = BTreeMap::new();
    for (expert, numbers) in &assignment {
        let mut p = ExpertProgress {
            expert_number: expert.clone(),
            assigned: numbers.len() as u32,
            packets: packets.iter().filter(|k| &k.expert_number == expert).count() as u32,
            sheets: 0,
            conflicts: 0,
            outstanding: 0,
        };
        for n in numbers {
            let key = (expert.clone(), n.clone());
            let it = items.entry(n.clone()).or_insert_with(|| ItemProgress {
                number: n.clone(),
                assigned: 0,
                sheets: 0,
                conflicts: 0,
                outstanding: 0,
            });
            it.assigned += 1;
            if done.contains(&key) {
                p.sheets += 1;
                it.sheets += 1;
            } else if declared.contains(&key) {
                p.conflicts += 1;
                it.conflicts += 1;
            } else {
                p.outstanding += 1;
                it.outstanding += 1;
            }
        }
        experts.push(p);
    }
    let expected = experts.iter().map(|e| e.assigned).sum();
    Ok(Progress {
        call: call.code,
        round,
        experts,
        items: items.into_values().collect(),
        sheets: sheets.len() as u32,
        expected,
        set_aside: set_aside.into_iter().map(SetAsideSheet::from).collect(),
    })
}

/// The sealed sheets of a round as the aggregation reads them (scored forms): only those that count.
pub fn round_sheets(ws: &mut Workspace, call: &str, round: u32) -> Result<Vec<Sheet>> {
    let call = calls::get(ws, call)?;
    super::issue::round_of(&call, round)?;
    let rows = ws.store.read(|r| r.review_sheets_counted(&call.id.to_string(), round))?;
    Ok(rows
        .into_iter()
        .filter_map(|s| {
            Some(Sheet {
                item: s.number,
                expert: s.expert_number,
                total: f64::from(s.total_half?) / 2.0,
                grade: s.grade.as_deref().and_then(Grade::parse),
            })
        })
        .collect())
}

/// What ranking a call's round needs from the workspace: the sheets, the round's rules (the call's
/// method is the mean unless the officer picks another), each item's requested fiscal funding in fen,
/// and the call's total funding in fen.
pub struct RoundInput {
    pub call: String,
    pub sheets: Vec<Sheet>,
    pub rules: crate::score::RoundRules,
    pub requests_fen: BTreeMap<String, i64>,
    pub budget_fen: i64,
}

/// Reads a call's round for ranking.
pub fn round_input(ws: &mut Workspace, call: &str, round: u32) -> Result<RoundInput> {
    // A 定向委托 call is never ranked: every ranking, funding line and recommendation list reads this.
    super::directed::refuse_ranking(&calls::get(ws, call)?)?;
    let sheets = round_sheets(ws, call, round)?;
    let call = calls::get(ws, call)?;
    let r = super::issue::round_of(&call, round)?;
    let rules = crate::score::RoundRules {
        method: crate::score::Method::Mean,
        trimming: r.trimming,
        trim_min_sheets: r.trimming_min as usize,
        non_consensus_spread: f64::from(r.non_consensus),
    };
    let requests_fen = crate::conflict::desk::call_applications(ws, &call.id.to_string())?
        .into_iter()
        .map(|(i, a)| (i.number, i64::try_from(a.budget.requested.fiscal.get()).unwrap_or(i64::MAX)))
        .collect();
    Ok(RoundInput {
        call: call.code.clone(),
        sheets,
        rules,
        requests_fen,
        budget_fen: i64::try_from(call.funding_total.get()).unwrap_or(i64::MAX),
    })
}
