//! The expert opening an attachment of an application in a held packet (issue 7: "reads the
//! application and its PDFs inside the app, from memory; no decrypted file written outside the
//! workspace"). This module owns the one read of an attachment's bytes for review: which item may
//! still be read, the look-up in the blob store and the check of the bytes against the SHA-256 the
//! sealed application lists. It writes nothing, anywhere: the bytes go to the caller's memory only
//! (the window renders them), never to a temporary or exported file.
//!
//! An attachment is readable only while the packet is held and is the newest issue, the item is in it
//! and not declared a conflict, its contents were not removed, and the attachment is one the item's
//! sealed version lists. Every refusal is an [`CoreError::AttachmentUnreadable`] naming the item and
//! the attachment, with a stable `reading.*` code.

use super::ItemContent;
use crate::application::Application;
use crate::blobs::BlobStore;
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::sha256_hex;

/// An attachment's bytes, verified, with what the window shows beside them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentBytes {
    pub name: String,
    pub media_type: String,
    pub sha256: String,
    pub bytes: Vec<u8>,
}

/// The refusal of one attachment of one item.
fn refusal(number: &str, attachment: &str, code: &'static str, zh: String, en: String) -> CoreError {
    CoreError::AttachmentUnreadable { number: number.into(), attachment: attachment.into(), code, zh, en }
}

/// Reads the attachment `sha256` of item `number` in the held packet `packet_id` into memory, checked
/// against its hash.
///
/// Refused (`CoreError::AttachmentUnreadable`) with these codes:
/// - `reading.packet_not_held`: no such packet on this laptop;
/// - `reading.packet_superseded`: a re-issued packet replaced it (read from the newer one, which holds
///   the item if it is still assigned);
/// - `reading.item_not_in_packet`: the packet does not hold the item;
/// - `reading.item_withdrawn`: the expert declared a conflict on the item, which left the packet;
/// - `reading.contents_removed`: the application contents were removed from this laptop;
/// - `reading.blind_round`: a blind round carries no attachments;
/// - `reading.attachment_not_listed`: the item's sealed version lists no attachment with this hash;
/// - `reading.attachment_missing`: the file is not in the workspace's blob store;
/// - `reading.attachment_damaged`: the file's bytes no longer match the hash.
pub fn read_attachment(ws: &mut Workspace, packet_id: &str, number: &str, sha256: &str) -> Result<AttachmentBytes> {
    // Until the item's listing names it, the attachment is known by its hash only.
    let short = sha256.get(..16).unwrap_or(sha256);
    let (row, sheet) = ws
        .store
        .read(|r| Ok::<_, CoreError>((r.review_packet_held(packet_id)?, r.review_sheet(packet_id, number)?)))?;
    let Some(row) = row else {
        return Err(refusal(
            number,
            short,
            "reading.packet_not_held",
            format!("本机没有评审包 {packet_id}：请先导入项目办发来的评审包"),
            format!("packet {packet_id} is not held here: import the packet the office sent"),
        ));
    };
    let payload: super::PacketPayload = serde_json::from_str(&row.body).map_err(|e| CoreError::Validation {
        field: format!("packet {packet_id}"),
        reason: format!("stored packet unreadable: {e}"),
    })?;
    if let Some(newer) = &payload.superseded_by {
        return Err(refusal(
            number,
            short,
            "reading.packet_superseded",
            format!("评审包 {packet_id} 已被新发的评审包 {newer} 取代：请在新评审包中阅读（申报书若已不再分配给您，则不能再阅读）"),
            format!(
                "packet {packet_id} was replaced by the newer packet {newer}: read it there (an application no longer assigned to you cannot be read)"
            ),
        ));
    }
    let (Some(item), Some(sheet)) = (payload.items.iter().find(|i| i.number == number), sheet) else {
        return Err(refusal(
            number,
            short,
            "reading.item_not_in_packet",
            format!("评审包 {packet_id} 中没有申报书 {number}"),
            format!("packet {packet_id} holds no application {number}"),
        ));
    };
    if sheet.conflict_reason.is_some() {
        return Err(refusal(
            number,
            short,
            "reading.item_withdrawn",
            format!("您已对申报书 {number} 声明回避，它已移出评审包，不再阅读"),
            format!("you declared a conflict on application {number}: it left the packet and is no longer read"),
        ));
    }
    let version = match &item.content {
        ItemContent::Full { version } => version,
        ItemContent::Removed => {
            return Err(refusal(
                number,
                short,
                "reading.contents_removed",
                format!(
                    "评审包 {packet_id} 的申报书内容已于 {} 从本机删除（评分表和回执仍在）",
                    row.contents_removed_at.as_deref().unwrap_or("此前")
                ),
                format!(
                    "the application contents of packet {packet_id} were removed from this laptop{} (the sheets and receipts stay)",
                    row.contents_removed_at.as_deref().map(|at| format!(" on {at}")).unwrap_or_default()
                ),
            ))
        }
        ItemContent::Blind(_) => {
            return Err(refusal(
                number,
                short,
                "reading.blind_round",
                "盲评轮次的评审包不带附件".into(),
                "a blind round's packet carries no attachments".into(),
            ))
        }
    };
    let app: Application = serde_json::from_str(version).map_err(|e| CoreError::Validation {
        field: format!("application {number}"),
        reason: format!("stored content unreadable: {e}"),
    })?;
    let Some(listed) = app.attachments.iter().find(|a| a.sha256 == sha256) else {
        return Err(refusal(
            number,
            short,
            "reading.attachment_not_listed",
            format!("申报书 {number} 的附件清单中没有 SHA-256 为 {sha256} 的附件"),
            format!("application {number} lists no attachment with SHA-256 {sha256}"),
        ));
    };
    let blobs = BlobStore::new(ws.dir());
    let path = blobs.path_of(&listed.sha256);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(refusal(
                number,
                &listed.name,
                "reading.attachment_missing",
                format!("工作区中找不到该附件的文件（{}）：请重新导入评审包 {packet_id}", path.display()),
                format!("its file ({}) is not in the workspace: import packet {packet_id} again", path.display()),
            ))
        }
        Err(e) => return Err(blobs.io_error(e)),
    };
    // Reading re-hashes (architecture.md "Data"): a damaged file is never shown as the application's.
    let actual = sha256_hex(&bytes);
    if actual != listed.sha256 {
        return Err(refusal(
            number,
            &listed.name,
            "reading.attachment_damaged",
            format!(
                "文件 {} 已损坏（SHA-256 为 {actual}，应为 {}）：请重新导入评审包 {packet_id}",
                path.display(),
                listed.sha256
            ),
            format!(
                "the file {} is damaged (SHA-256 {actual}, expected {}): import packet {packet_id} again",
                path.display(),
                listed.sha256
            ),
        ));
    }
    Ok(AttachmentBytes {
        name: listed.name.clone(),
        media_type: listed.media_type.clone(),
        sha256: listed.sha256.clone(),
        bytes,
    })
}

#[cfg(test)]
#[path = "reading_tests.rs"]
mod tests;
