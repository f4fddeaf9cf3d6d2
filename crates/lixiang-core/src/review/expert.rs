//! The expert's laptop: packets received, one sheet per item (the draft saved as it is typed, then
//! sealed once), conflicts declared, returns written for the office, and the removal of the
//! application contents after the review (the sheets and receipts stay).

use super::sheet::{self, Checked, SealedSheet, SheetDraft};
use super::{refused, DeclaredConflict, ItemContent, PacketPayload, ReturnPayload, FORMAT};
use crate::audit::record_sha256;
use crate::call::review::HalfPoints;
use crate::identity;
use crate::package::{self, Inspection, Kind, PublicKeys, SecretKeys};
use crate::validate::Problem;
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{sha256_hex, AuditAction, AuditEvent, HeldPacketRow, ReturnSentRow, SheetRow, Unaudited};
use serde::Serialize;
use std::path::Path;

/// A packet checked by the import pipeline, written in its transaction by [`receive`].
pub(crate) struct IncomingPacket {
    row: HeldPacketRow,
    numbers: Vec<String>,
    /// The older issues of this packet held here, which it replaces.
    replaces: Vec<super::reissue::Replacement>,
    /// The attachments of the packets it replaces: deleted after the import commits, unless an item
    /// may still be read for them ([`prune_attachments`]).
    pub(crate) released: Vec<String>,
    pub(crate) zh: String,
    pub(crate) en: String,
}

/// The expert's handler for review packets, run by the import pipeline before its transaction.
pub(crate) fn check_import(
    ws: &mut Workspace,
    inspection: &Inspection,
    payload: &[u8],
    attachment_hashes: &[String],
    file: &str,
) -> Result<IncomingPacket> {
    let malformed =
        |what: String| CoreError::Package { file: file.to_string(), source: package::PackageError::malformed(what) };
    let format: u16 = serde_json::from_slice::<serde_json::Value>(payload)
        .ok()
        .and_then(|v| v["format"].as_u64())
        .and_then(|f| u16::try_from(f).ok())
        .ok_or_else(|| malformed("review packet payload: no format".into()))?;
    if format > FORMAT {
        return Err(refused(
            file,
            "review.newer_format",
            format!("评审包格式为第 {format} 版，本程序只能读到第 {FORMAT} 版：请升级立项"),
            format!("the packet is format {format}; this program reads up to {FORMAT}: upgrade Lixiang"),
        ));
    }
    let p: PacketPayload = serde_json::from_slice(payload).map_err(|e| malformed(format!("review packet: {e}")))?;
    if p.packet_id != inspection.manifest.id.to_string() {
        return Err(malformed("the packet id is not the package id".into()));
    }
    let me = identity::info(ws)?.ok_or(CoreError::NoIdentity)?;
    if p.expert_key_id != me.key_id {
        return Err(refused(
            file,
            "review.packet_not_for_me",
            format!(
                "评审包是发给专家 {}（密钥 {}）的，不是本机身份（密钥 {}）",
                p.expert_name, p.expert_key_id, me.key_id
            ),
            format!(
                "the packet is for expert {} (key {}), not this workspace's identity (key {})",
                p.expert_name, p.expert_key_id, me.key_id
            ),
        ));
    }
    if super::form_sha256(&p.form) != p.form_sha256 {
        return Err(malformed("the form does not match its hash".into()));
    }
    for item in &p.items {
        match &item.content {
            ItemContent::Full { version } => {
                if sha256_hex(version.as_bytes()) != item.version_sha256 {
                    return Err(malformed(format!("application {}: the content does not match its hash", item.number)));
                }
                let app: crate::application::Application = serde_json::from_str(version)
                    .map_err(|e| malformed(format!("application {}: {e}", item.number)))?;
                if let Some(a) = app.attachments.iter().find(|a| !attachment_hashes.contains(&a.sha256)) {
                    return Err(malformed(format!(
                        "application {}: the attachment “{}” is listed but not in the package",
                        item.number, a.name
                    )));
                }
            }
            ItemContent::Blind(_) => {}
            ItemContent::Removed => return Err(malformed(format!("application {} has no content", item.number))),
        }
    }
    let sender = inspection.manifest.sender.key_id.clone();
    // A re-issued packet replaces the older issues; an older issue after a newer one is refused.
    let replaces = super::reissue::plan(ws, &p, &sender, file)?;
    let numbers: Vec<String> = p.items.iter().map(|i| i.number.clone()).collect();
    let row = HeldPacketRow {
        packet_id: p.packet_id.clone(),
        call_id: p.call_id.clone(),
        call_code: p.call_code.clone(),
        round: p.round,
        office_key_id: sender,
        form_sha256: p.form_sha256.clone(),
        body: String::from_utf8(payload.to_vec()).map_err(|_| malformed("the packet is not UTF-8".into()))?,
        received_at: identity::now(),
        contents_removed_at: None,
    };
    let blind = if p.blind { "（盲评）" } else { "" };
    let zh = format!(
        "评审包：{} 第 {} 轮{}{blind}，{} 项申报书待评",
        p.call_code,
        p.round,
        p.round_kind.name().zh,
        numbers.len()
    );
    let en = format!(
        "review packet: {} round {} ({}{}), {} application(s) to review",
        p.call_code,
        p.round,
        p.round_kind.name().en,
        if p.blind { ", blind" } else { "" },
        numbers.len()
    );
    let (more_zh, more_en) = super::reissue::summary(&replaces);
    let released = replaces.iter().flat_map(|r| r.attachments.iter().cloned()).collect();
    Ok(IncomingPacket { row, numbers, replaces, released, zh: zh + &more_zh, en: en + &more_en })
}

/// Writes a checked packet (inside the import's transaction).
pub(crate) fn receive(w: &lixiang_store::Writer, p: &IncomingPacket) -> Result<()> {
    w.review_packet_held_insert(&p.row, &p.numbers)?;
    super::reissue::replace(w, &p.row.packet_id, &p.replaces, &p.row.received_at)?;
    Ok(())
}

/// A packet as the expert's list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct PacketSummary {
    pub packet_id: String,
    pub call_code: String,
    pub call_title_zh: String,
    pub call_title_en: String,
    pub round: u32,
    pub round_kind_zh: String,
    pub round_kind_en: String,
    pub blind: bool,
    pub issued_at: String,
    /// The packet's issue (1, 2, …; 0 before issues were numbered): a newer one replaced the older here.
    pub issue: u32,
    pub received_at: String,
    pub items: u32,
    pub sealed: u32,
    pub conflicts: u32,
    /// Returns written so far.
    pub returns: u32,
    /// Sealed sheets or declared conflicts not in any return yet.
    pub unsent: u32,
    pub contents_removed_at: Option<String>,
}

/// A packet and its sheets, parsed.
pub struct HeldPacket {
    pub row: HeldPacketRow,
    pub payload: PacketPayload,
    pub sheets: Vec<SheetRow>,
}

fn not_found(what: &str, key: &str) -> CoreError {
    CoreError::NotFound { what: what.into(), key: key.into() }
}

/// One held packet with its sheets.
pub fn held(ws: &mut Workspace, packet_id: &str) -> Result<HeldPacket> {
    let (row, sheets) =
        ws.store.read(|r| Ok::<_, CoreError>((r.review_packet_held(packet_id)?, r.review_sheets(packet_id)?)))?;
    let row = row.ok_or_else(|| not_found("review packet / 评审包", packet_id))?;
    let payload: PacketPayload = serde_json::from_str(&row.body).map_err(|e| CoreError::Validation {
        field: format!("packet {packet_id}"),
        reason: format!("stored packet unreadable: {e}"),
    })?;
    Ok(HeldPacket { row, payload, sheets })
}

fn summary(h: &HeldPacket, returns: &[ReturnSentRow]) -> PacketSummary {
    let sealed = h.sheets.iter().filter(|s| s.sealed.is_some()).count() as u32;
    let conflicts = h.sheets.iter().filter(|s| s.conflict_reason.is_some()).count() as u32;
    let last_sent = returns.last().map(|r| r.sent_at.as_str()).unwrap_or("");
    let unsent = h
        .sheets
        .iter()
        .filter(|s| {
            s.sealed_at.as_deref().or(s.conflict_at.as_deref()).is_some_and(|at| returns.is_empty() || at > last_sent)
        })
        .count() as u32;
    PacketSummary {
        packet_id: h.row.packet_id.clone(),
        call_code: h.payload.call_code.clone(),
        call_title_zh: h.payload.call_title.zh.clone(),
        call_title_en: h.payload.call_title.en.clone(),
        round: h.payload.round,
        round_kind_zh: h.payload.round_kind.name().zh,
        round_kind_en: h.payload.round_kind.name().en,
        blind: h.payload.blind,
        issued_at: h.payload.issued_at.clone(),
        issue: h.payload.issue,
        received_at: h.row.received_at.clone(),
        items: h.sheets.len() as u32,
        sealed,
        conflicts,
        returns: returns.len() as u32,
        unsent,
        contents_removed_at: h.row.contents_removed_at.clone(),
    }
}

/// The packets this expert holds, newest first.
pub fn packets(ws: &mut Workspace) -> Result<Vec<PacketSummary>> {
    let rows = ws.store.read(|r| r.review_packets_held())?;
    let mut out = Vec::new();
    for row in rows {
        let h = held(ws, &row.packet_id)?;
        if h.payload.superseded_by.is_some() {
            continue;
        }
        let returns = ws.store.read(|r| r.review_returns_sent(&row.packet_id))?;
        out.push(summary(&h, &returns));
    }
    Ok(out)
}

/// Where a sheet stands, for the scoring screen: the draft, its problems, the running total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct SheetState {
    pub packet_id: String,
    pub number: String,
    pub draft: SheetDraft,
    pub problems: Vec<Problem>,
    /// The sum of the scores typed so far, as text (`87.5`).
    pub total: Option<String>,
    pub needs_grade_confirmation: bool,
    /// `draft`, `sealed` or `conflict`.
    pub status: String,
    pub receipt_sha256: Option<String>,
    pub sealed_at: Option<String>,
    pub conflict_reason: Option<String>,
}

fn sheet_row<'a>(h: &'a HeldPacket, number: &str) -> Result<&'a SheetRow> {
    h.sheets
        .iter()
        .find(|s| s.number == number)
        .ok_or_else(|| not_found("item of the packet / 评审包中的申报书", &format!("{} {number}", h.row.packet_id)))
}

fn state_of(h: &HeldPacket, s: &SheetRow) -> SheetState {
    let draft: SheetDraft = serde_json::from_str(&s.draft).unwrap_or_default();
    let checked: Checked = sheet::check(&h.payload.form, &draft);
    let status = if s.sealed.is_some() {
        "sealed"
    } else if s.conflict_reason.is_some() {
        "conflict"
    } else {
        "draft"
    };
    SheetState {
        packet_id: s.packet_id.clone(),
        number: s.number.clone(),
        draft,
        problems: if status == "draft" { checked.problems } else { Vec::new() },
        total: checked.total.map(|t| t.to_string()),
        needs_grade_confirmation: checked.needs_grade_confirmation,
        status: status.into(),
        receipt_sha256: s.receipt_sha256.clone(),
        sealed_at: s.sealed_at.clone(),
        conflict_reason: s.conflict_reason.clone(),
    }
}

/// One sheet's state.
pub fn sheet_state(ws: &mut Workspace, packet_id: &str, number: &str) -> Result<SheetState> {
    let h = held(ws, packet_id)?;
    let s = sheet_row(&h, number)?;
    Ok(state_of(&h, s))
}

fn closed(number: &str, s: &SheetRow) -> Option<CoreError> {
    let (zh, en) = if s.sealed.is_some() {
        ("已封存，不能再修改", "is sealed and cannot change")
    } else if s.conflict_reason.is_some() {
        ("已声明回避，不再评审", "was declared a conflict and is no longer reviewed")
    } else {
        return None;
    };
    Some(CoreError::Validation {
        field: format!("sheet {number}"),
        reason: format!("申报书 {number} 的评分表{zh} / the sheet of application {number} {en}"),
    })
}

/// Saves a draft as typed (not audited: drafts are not state transitions) and returns its check.
pub fn save_draft(ws: &mut Workspace, packet_id: &str, number: &str, draft: &SheetDraft) -> Result<SheetState> {
    let h = held(ws, packet_id)?;
    let s = sheet_row(&h, number)?;
    if let Some(e) = closed(number, s) {
        return Err(e);
    }
    let text = serde_json::to_string(draft).expect("a draft serialises");
    let at = identity::now();
    ws.store.write_unaudited(Unaudited::Draft, |w| w.review_sheet_save_draft(packet_id, number, &text, &at))?;
    sheet_state(ws, packet_id, number)
}

/// A sheet sealed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct SealedReceipt {
    pub number: String,
    pub receipt_sha256: String,
    pub sealed_at: String,
    pub total: Option<String>,
}

/// Seals a sheet: refused with every problem (each naming its field) while the draft has any. The
/// sealed text is written once; its SHA-256 is the receipt.
pub fn seal(ws: &mut Workspace, packet_id: &str, number: &str) -> Result<SealedReceipt> {
    let h = held(ws, packet_id)?;
    let s = sheet_row(&h, number)?;
    if let Some(e) = closed(number, s) {
        return Err(e);
    }
    let draft: SheetDraft = serde_json::from_str(&s.draft).unwrap_or_default();
    let checked = sheet::check(&h.payload.form, &draft);
    let Some(marks) = checked.marks else {
        return Err(CoreError::ApplicationRefused {
            application: format!("{number} (评分表 / score sheet)"),
            problems: checked.problems,
        });
    };
    let sealing = Sealing::new(&h, number, marks, identity::now());
    let event = sealing.event(&h);
    ws.store.write(event, |w| sealing.write(w))?;
    Ok(sealing.receipt())
}

/// A sheet about to be sealed: the sealed text and its receipt, made once here so that typing and a
/// paper sheet ([`super::paper`]) seal the very same way.
pub(crate) struct Sealing {
    packet_id: String,
    number: String,
    sealed: SealedSheet,
    text: String,
    receipt: String,
}

impl Sealing {
    pub(crate) fn new(h: &HeldPacket, number: &str, marks: sheet::Marks, sealed_at: String) -> Sealing {
        let sealed = SealedSheet {
            format: FORMAT,
            packet_id: h.row.packet_id.clone(),
            call_id: h.payload.call_id.clone(),
            round: h.payload.round,
            number: number.to_string(),
            expert_number: h.payload.expert_number.clone(),
            expert_key_id: h.payload.expert_key_id.clone(),
            form_sha256: h.payload.form_sha256.clone(),
            marks,
            sealed_at,
        };
        let text = serde_json::to_string(&sealed).expect("a sheet serialises");
        let receipt = sha256_hex(text.as_bytes());
        Sealing { packet_id: h.row.packet_id.clone(), number: number.to_string(), sealed, text, receipt }
    }

    /// The audit event of the seal.
    pub(crate) fn event(&self, h: &HeldPacket) -> AuditEvent {
        AuditEvent::new(
            AuditAction::Seal,
            "score_sheet",
            format!("{}#{}", self.packet_id, self.number),
            self.receipt.clone(),
        )
        .with_detail(
            &serde_json::json!({ "call": h.payload.call_code, "round": h.payload.round, "number": self.number }),
        )
    }

    /// Writes the sealed text; fails (so the transaction rolls back) when the sheet was sealed or
    /// declared a conflict meanwhile.
    pub(crate) fn write(&self, w: &lixiang_store::Writer) -> Result<()> {
        let n =
            w.review_sheet_seal(&self.packet_id, &self.number, &self.text, &self.receipt, &self.sealed.sealed_at)?;
        if n != 1 {
            return Err(CoreError::Validation {
                field: format!("sheet {}", self.number),
                reason: "申报书的评分表已封存或已回避 / the sheet was sealed or declared a conflict meanwhile".into(),
            });
        }
        Ok(())
    }

    pub(crate) fn receipt(&self) -> SealedReceipt {
        SealedReceipt {
            number: self.number.clone(),
            receipt_sha256: self.receipt.clone(),
            sealed_at: self.sealed.sealed_at.clone(),
            total: self.sealed.total().map(|t: HalfPoints| t.to_string()),
        }
    }
}

/// Declares a conflict of interest on an item: it leaves the packet (audited; the office learns of
/// it with the next return), and its attachments are deleted from the blob store unless another item
/// still needs them.
pub fn declare_conflict(ws: &mut Workspace, packet_id: &str, number: &str, reason: &str) -> Result<SheetState> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(CoreError::Validation {
            field: "reason".into(),
            reason: "请写明回避的理由 / give the reason for the conflict".into(),
        });
    }
    let h = held(ws, packet_id)?;
    let s = sheet_row(&h, number)?;
    if let Some(e) = closed(number, s) {
        return Err(e);
    }
    let at = identity::now();
    let digest =
        record_sha256(&serde_json::json!({ "packet_id": packet_id, "number": number, "reason": reason, "at": at }))
            .expect("serialises");
    let event = AuditEvent::new(AuditAction::ConflictDeclared, "score_sheet", format!("{packet_id}#{number}"), digest)
        .with_detail(&serde_json::json!({ "number": number, "reason": reason }));
    ws.store.write(event, |w| w.review_sheet_declare_conflict(packet_id, number, reason, &at))?;
    // The item left the packet: its attachments go unless another item still lists them.
    prune_attachments(ws, attachments_of(h.payload.items.iter().filter(|i| i.number == number)));
    sheet_state(ws, packet_id, number)
}

/// A return written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct ReturnWritten {
    pub packet_id: String,
    pub seq: u32,
    pub sheets: u32,
    pub conflicts: u32,
    pub path: String,
    pub package_id: String,
}

/// Writes a return for the office: every sheet sealed and every conflict declared on the packet so
/// far, signed by this expert and encrypted to the office that issued the packet.
pub fn write_return(ws: &mut Workspace, keys: &SecretKeys, packet_id: &str, out: &Path) -> Result<ReturnWritten> {
    let h = held(ws, packet_id)?;
    super::reissue::refuse_superseded(&h.payload, packet_id)?;
    let sheets: Vec<String> = h.sheets.iter().filter_map(|s| s.sealed.clone()).collect();
    let conflicts: Vec<DeclaredConflict> = h
        .sheets
        .iter()
        .filter_map(|s| {
            Some(DeclaredConflict {
                number: s.number.clone(),
                reason: s.conflict_reason.clone()?,
                declared_at: s.conflict_at.clone().unwrap_or_default(),
            })
        })
        .collect();
    if sheets.is_empty() && conflicts.is_empty() {
        return Err(CoreError::Validation {
            field: "packet".into(),
            reason: "还没有封存的评分表或回避声明，没有可以交回的内容 / nothing is sealed or declared yet: there is nothing to return".into(),
        });
    }
    let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        return Err(CoreError::Validation {
            field: out.display().to_string(),
            reason: format!("目录 {} 不存在 / the folder {} does not exist", dir.display(), dir.display()),
        });
    }
    let office = ws
        .store
        .read(|r| r.contact(&h.row.office_key_id))?
        .ok_or_else(|| not_found("contact / 联系人", &h.row.office_key_id))?;
    let office_keys = PublicKeys { signing: office.signing_public, encryption: office.encryption_public };
    // Past the floor a restore set (crate::counters): the office refuses a return not newer than the
    // last it holds, which may be one this laptop sent after its backup.
    let seq = ws.store.read(|r| {
        let last = r.review_returns_sent(packet_id)?.last().map_or(0, |r| u64::from(r.seq));
        let floor = r.counter_floor(&format!("{}{packet_id}", lixiang_store::COUNTER_REVIEW_RETURN))?;
        Ok::<_, CoreError>(u32::try_from(last.max(floor) + 1).unwrap_or(u32::MAX))
    })?;
    let package_id = uuid::Uuid::now_v7();
    let sent_at = identity::now();
    let payload = ReturnPayload {
        format: FORMAT,
        packet_id: packet_id.to_string(),
        call_id: h.payload.call_id.clone(),
        round: h.payload.round,
        expert_number: h.payload.expert_number.clone(),
        form_sha256: h.payload.form_sha256.clone(),
        seq,
        sheets: sheets.clone(),
        conflicts: conflicts.clone(),
        sent_at: sent_at.clone(),
    };
    let row = ReturnSentRow { packet_id: packet_id.to_string(), seq, package_id: package_id.to_string(), sent_at };
    let digest = record_sha256(&payload).expect("a return serialises");
    let event = AuditEvent::new(AuditAction::ReturnWritten, "review_return", package_id.to_string(), digest).with_detail(
        &serde_json::json!({ "packet_id": packet_id, "seq": seq, "sheets": sheets.len(), "conflicts": conflicts.len() }),
    );
    ws.store.write(event, |w| w.review_return_sent_insert(&row))?;
    let bytes = serde_json::to_vec(&payload).expect("a return serialises");
    identity::seal_outgoing(ws, keys, Kind::ReviewReturn, package_id, &[office_keys], &bytes, Vec::new(), out)?;
    Ok(ReturnWritten {
        packet_id: packet_id.to_string(),
        seq,
        sheets: sheets.len() as u32,
        conflicts: conflicts.len() as u32,
        path: out.display().to_string(),
        package_id: package_id.to_string(),
    })
}

/// Removes the application contents of a packet from this laptop once every item is sealed or
/// declared and returned: the packet keeps its form and item numbers, the sheets and receipts stay,
/// and attachments no other item may still be read for are deleted from the blob store.
pub fn remove_contents(ws: &mut Workspace, packet_id: &str) -> Result<u32> {
    let mut h = held(ws, packet_id)?;
    if h.row.contents_removed_at.is_some() {
        return Ok(0);
    }
    let returns = ws.store.read(|r| r.review_returns_sent(packet_id))?;
    let s = summary(&h, &returns);
    if s.sealed + s.conflicts < s.items || s.unsent > 0 {
        return Err(CoreError::Validation {
            field: "packet".into(),
            reason: format!(
                "还有 {} 项未封存、{} 项未交回：全部交回后才能删除申报书内容 / {} item(s) not sealed and {} not returned yet: remove the contents after returning everything",
                s.items - s.sealed - s.conflicts,
                s.unsent,
                s.items - s.sealed - s.conflicts,
                s.unsent
            ),
        });
    }
    let blobs = attachments_of(&h.payload.items);
    for item in &mut h.payload.items {
        item.content = ItemContent::Removed;
    }
    let body = serde_json::to_string(&h.payload).expect("a packet serialises");
    let at = identity::now();
    let event = AuditEvent::new(
        AuditAction::ContentsRemoved,
        "review_packet",
        packet_id.to_string(),
        sha256_hex(body.as_bytes()),
    )
    .with_detail(&serde_json::json!({ "items": h.payload.items.len() }));
    ws.store.write(event, |w| w.review_packet_remove_contents(packet_id, &body, &at))?;
    Ok(prune_attachments(ws, blobs))
}

/// The attachments (SHA-256) of a packet's items, as their sealed versions list them (none for blind or
/// removed contents).
pub(crate) fn attachments_of<'a>(items: impl IntoIterator<Item = &'a super::PacketItem>) -> Vec<String> {
    let mut out = Vec::new();
    for item in items {
        if let ItemContent::Full { version } = &item.content {
            if let Ok(app) = serde_json::from_str::<crate::application::Application>(version) {
                out.extend(app.attachments.into_iter().map(|a| a.sha256));
            }
        }
    }
    out
}

/// The attachments some item may still be read for: listed by an item of a held packet that is the
/// newest issue, still has its contents, and was not declared a conflict (what
/// [`super::reading::read_attachment`] allows).
fn still_readable(ws: &mut Workspace) -> Result<std::collections::BTreeSet<String>> {
    let mut still = std::collections::BTreeSet::new();
    for row in ws.store.read(|r| r.review_packets_held())? {
        let Ok(p) = serde_json::from_str::<PacketPayload>(&row.body) else { continue };
        if p.superseded_by.is_some() {
            continue;
        }
        let sheets = ws.store.read(|r| r.review_sheets(&row.packet_id))?;
        let withdrawn = |n: &str| sheets.iter().any(|s| s.number == n && s.conflict_reason.is_some());
        still.extend(attachments_of(p.items.iter().filter(|i| !withdrawn(&i.number))));
    }
    Ok(still)
}

/// Deletes from the blob store the attachments among `candidates` that no item may be read for any
/// more (its conflict declared, its contents removed, its packet replaced by one without it): decrypted
/// application material leaves the laptop as soon as it is not needed. Called after the transaction
/// that released them committed, so a rollback never leaves a readable item without its file. Returns
/// the number of files deleted.
///
/// Never fails: the state change it follows has committed, and a file it could not check or delete only
/// stays where it was. Only an expert's workspace is pruned: elsewhere the same blob may be an
/// application's own attachment, which packets know nothing of.
pub(crate) fn prune_attachments(ws: &mut Workspace, candidates: Vec<String>) -> u32 {
    if candidates.is_empty() || !matches!(identity::info(ws), Ok(Some(me)) if me.role == identity::Role::Expert) {
        return 0;
    }
    let Ok(still) = still_readable(ws) else { return 0 };
    let store = crate::blobs::BlobStore::new(ws.dir());
    let mut removed = 0;
    let unique: std::collections::BTreeSet<String> = candidates.into_iter().collect();
    for sha in unique.into_iter().filter(|b| !still.contains(b)) {
        if std::fs::remove_file(store.path_of(&sha)).is_ok() {
            removed += 1;
        }
    }
    removed
}
