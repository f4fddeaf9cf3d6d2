//! Review packets and returns (domain.md "Scoring and aggregation", "Exchange packages and trust"): the
//! office issues each assigned expert a packet holding only that expert's items and the round's form
//! with its hash; the expert scores each item on a sheet, seals it (the receipt is the SHA-256 of the
//! sealed text) or declares a conflict, and sends the sealed sheets back in a signed return; the office
//! accepts a return only from the expert the packet went to, for the items of that packet, against the
//! same form hash.
//!
//! - [`issue`]: the office's side of packets (what goes in, blind rounds, export).
//! - [`sheet`]: what a sheet holds and the checks before sealing (pure).
//! - [`expert`]: the expert's laptop (import a packet, drafts, seal, declare a conflict, write a return,
//!   remove the contents afterwards).
//! - [`office`]: the office's side of returns (import, progress, the sheets the ranking reads).
//! - [`blind`]: what a blind round may show, and the scan for names and numbers that must not be there.
//! - [`reissue`]: a packet re-issued after the assignment changed supersedes the earlier one (issue
//!   numbers, the replacement on the laptop, returns against a superseded packet).
//! - [`reading`]: the expert opening an attachment of an item held for review, into memory only, checked
//!   against its hash.
//! - [`paper`]: the xlsx score-sheet template of a packet, and the all-or-nothing import of the typed sheet.
//! - [`challenge`]: 揭榜挂帅 — the core-indicator gate, the selection of the team(s), a race's milestone
//!   gates and tranche ledger, a bounty's acceptance and payouts.
//! - [`challenge_choice`]: the 挂帅 selection as the office window shows it and overrides it (the
//!   automatic choice, the eligible teams, the officer's pick with its reason).
//! - [`decision`]: the recommendation list, the 公示 with its objections, the final decisions and the
//!   funding results sent to the applicants.
//! - [`voted`]: the list and the final decisions of a 会议评审 vote round, read from the panel's votes.
//! - [`directed`]: 定向委托 — the 可行性论证 verdicts consolidated per plan, the panel opinion, the selection
//!   among invited units' passing plans, the decisions (no ranking).

pub mod blind;
pub mod challenge;
pub mod challenge_choice;
pub mod decision;
pub mod directed;
pub mod expert;
pub mod issue;
pub mod office;
pub mod panel;
pub mod paper;
pub mod reading;
pub mod reissue;
pub mod sheet;
pub mod view;
pub mod voted;

use crate::audit::record_sha256;
use crate::call::review::{Form, RoundKind};
use crate::lang::Bilingual;
use serde::{Deserialize, Serialize};

/// The format of packet, sheet and return payloads this version writes and the newest it reads.
pub const FORMAT: u16 = 1;

/// SHA-256 of the canonical JSON of a round's form: what a packet carries and a return names.
pub fn form_sha256(form: &Form) -> String {
    record_sha256(form).expect("a form serialises")
}

/// What a review packet carries (encrypted to its one expert, signed by the office).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PacketPayload {
    pub format: u16,
    /// The package id: one packet, one package.
    pub packet_id: String,
    pub call_id: String,
    pub call_code: String,
    pub call_title: Bilingual,
    pub programme: String,
    /// 1-based position of the round in the call's review plan, and its kind.
    pub round: u32,
    pub round_kind: RoundKind,
    pub blind: bool,
    /// The round's form, and [`form_sha256`] of it.
    pub form: Form,
    pub form_sha256: String,
    pub expert_number: String,
    pub expert_name: String,
    pub expert_key_id: String,
    pub issued_at: String,
    /// The packet's issue to its expert for this call and round: 1 for the first, 2 for the one
    /// re-issued after the assignment changed, … A newer issue supersedes the older on the expert's
    /// laptop ([`reissue`]). 0 in packets written before issues were numbered.
    #[serde(default)]
    pub issue: u32,
    /// Set on the expert's laptop only, once a newer issue replaced this packet: its packet id. An
    /// incoming packet carrying it is malformed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<String>,
    /// The names of the call's sections, so the expert's laptop shows them without the call.
    #[serde(default)]
    pub sections: Vec<SectionName>,
    pub items: Vec<PacketItem>,
}

/// A section's code and name, as the call has it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionName {
    pub code: String,
    pub name: Bilingual,
}

/// One application in a packet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PacketItem {
    /// 申报编号.
    pub number: String,
    pub application_id: String,
    pub version: u32,
    /// The version hash of the full application, whether or not the packet shows all of it.
    pub version_sha256: String,
    pub content: ItemContent,
}

/// What the expert may see of an application.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ItemContent {
    /// The sealed version's exact text (its SHA-256 is `version_sha256`) and its attachments, which
    /// travel as the package's attachments.
    Full { version: String },
    /// A blind round: only the parts the call marks reviewable-blind, no attachments.
    Blind(blind::BlindView),
    /// Removed from the expert's laptop after the review (the sheets and receipts stay).
    Removed,
}

/// What a return carries (encrypted to the office, signed by the expert): every sheet sealed so far
/// on one packet, exactly as sealed, and every conflict declared on it. A newer return (higher `seq`)
/// repeats the older ones' sheets, so the last return alone is the whole answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnPayload {
    pub format: u16,
    pub packet_id: String,
    pub call_id: String,
    pub round: u32,
    pub expert_number: String,
    pub form_sha256: String,
    pub seq: u32,
    /// The sealed sheets' exact texts (each one's SHA-256 is its receipt).
    pub sheets: Vec<String>,
    pub conflicts: Vec<DeclaredConflict>,
    pub sent_at: String,
}

/// A conflict of interest the expert declared on an item: the item left the packet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct DeclaredConflict {
    pub number: String,
    pub reason: String,
    pub declared_at: String,
}

fn refused(file: &str, code: &'static str, zh: String, en: String) -> crate::CoreError {
    crate::CoreError::ReviewRefused { file: file.to_string(), code, zh, en }
}

#[cfg(test)]
pub(crate) mod decision_tests;
#[cfg(test)]
pub(crate) mod tests;
