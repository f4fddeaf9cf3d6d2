//! The audit chain as the domain sees it: checking it from the first event to the last and against
//! its signed heads ([`verify`]), signing its head when a package or a backup leaves the workspace
//! ([`seal_head`]), and the record digest every audited change carries ([`record_sha256`]).
//!
//! Appending events is not here: the store appends an event in the transaction of the change it
//! records (`Store::write(event, |w| …)`), so the core cannot change state without one. The format of
//! the chain and of a signed head (what is hashed, what is signed) is documented in the store
//! (`lixiang_store::AuditEntry`, `HeadSeal::signed_message`), where it is written.
//!
//! What verification can tell: a hash chain alone shows a row edited, a row removed from the start or
//! the middle, and rows moved; removing the newest rows leaves a shorter chain that is still whole, and
//! only a signed head naming a later event reveals it. Heads are signed at every outgoing package and
//! backup, so what left the laptop is covered; events after the newest signed head are reported as not
//! yet covered.

pub use lixiang_store::{AuditAction, AuditEntry, AuditEvent, AuditHead, HeadSeal, GENESIS_HASH};

use crate::{CoreError, Lang, Result, Workspace};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use lixiang_store::{canonical_json, chain_hash, now_rfc3339_utc, sha256_hex, Unaudited};
use serde::Serialize;

/// SHA-256 (lowercase hex) of the canonical JSON (RFC 8785) of `record`: the `record_sha256` of the
/// audit event that records a change to it. Errors only for a record serde cannot turn into JSON
/// (a map with non-string keys).
pub fn record_sha256<T: Serialize + ?Sized>(record: &T) -> Result<String, serde_json::Error> {
    Ok(sha256_hex(canonical_json(&serde_json::to_value(record)?).as_bytes()))
}

/// Why a head was signed, stored as the seal's `purpose`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealPurpose {
    /// An outgoing package, by its package id.
    Package { package_id: String },
    /// A backup of the workspace.
    Backup,
}

impl SealPurpose {
    /// `package:<package id>` or `backup`.
    pub fn as_text(&self) -> String {
        match self {
            SealPurpose::Package { package_id } => format!("package:{package_id}"),
            SealPurpose::Backup => "backup".to_string(),
        }
    }
}

/// Signs the current head of the chain with `signer` (whose key id is `signer_key_id`) and records the
/// seal. Appends no event: the head stays where it was signed. The returned seal is what a package or
/// a backup carries, so that its reader can check that no event up to `seq` was removed.
pub fn seal_head(
    ws: &mut Workspace,
    purpose: &SealPurpose,
    signer: &SigningKey,
    signer_key_id: &str,
) -> Result<HeadSeal> {
    ws.store.write_unaudited(Unaudited::HeadSeal, |w| {
        let head = w.reader().audit_head()?;
        let mut seal = HeadSeal {
            id: 0,
            seq: head.seq,
            hash: head.hash,
            signature: Vec::new(),
            signer_key_id: signer_key_id.to_string(),
            signed_at: now_rfc3339_utc(),
            purpose: purpose.as_text(),
        };
        seal.signature = signer.sign(&seal.signed_message()).to_bytes().to_vec();
        seal.id = w.audit_seal_insert(&seal)?;
        Ok::<_, CoreError>(seal)
    })
}

/// Whether `seal` carries a valid Ed25519 signature by `key` over its signed message.
pub fn seal_signature_is_valid(seal: &HeadSeal, key: &VerifyingKey) -> bool {
    Signature::from_slice(&seal.signature).is_ok_and(|sig| key.verify_strict(&seal.signed_message(), &sig).is_ok())
}

/// The kind of the first broken link. Stable snake_case names (`edited`, `tail_missing` …) in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    /// The row's fields no longer hash to its stored hash under any position: its content was changed.
    Edited,
    /// The chain does not start at event 1: the oldest events were removed.
    FirstMissing,
    /// A gap in the sequence: the event at `seq` was removed.
    Missing,
    /// The row is intact but not in its place: it hashes only under another `seq` (`written_as`), or
    /// its `prev_hash` is not the previous row's hash (rows swapped, replaced, or re-hashed one by one).
    Moved,
    /// A signed head names an event beyond the end of the chain: the newest events were removed.
    TailMissing,
    /// The chain's hash at a signed head's `seq` is not the signed one: the chain was rewritten after it.
    SealMismatch,
    /// A signed head's signature does not verify with its signer's key: the seal was changed or forged.
    SealInvalid,
}

impl BreakKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BreakKind::Edited => "edited",
            BreakKind::FirstMissing => "first_missing",
            BreakKind::Missing => "missing",
            BreakKind::Moved => "moved",
            BreakKind::TailMissing => "tail_missing",
            BreakKind::SealMismatch => "seal_mismatch",
            BreakKind::SealInvalid => "seal_invalid",
        }
    }
}

/// The signed head a break was found through (without its signature bytes).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SealRef {
    pub id: i64,
    pub seq: i64,
    pub signer_key_id: String,
    pub signed_at: String,
    pub purpose: String,
}

impl From<&HeadSeal> for SealRef {
    fn from(s: &HeadSeal) -> SealRef {
        SealRef {
            id: s.id,
            seq: s.seq,
            signer_key_id: s.signer_key_id.clone(),
            signed_at: s.signed_at.clone(),
            purpose: s.purpose.clone(),
        }
    }
}

/// The first broken link of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditBreak {
    /// The event where the chain breaks: the edited, missing or moved one, the first removed one of a
    /// missing tail, or the head a bad seal names.
    pub seq: i64,
    pub kind: BreakKind,
    /// For [`BreakKind::Moved`]: the position the row was written at, when its hash tells.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written_as: Option<i64>,
    /// For the seal kinds: the seal that shows the break.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seal: Option<SealRef>,
    /// The last event the database holds (0 for none).
    pub chain_end: i64,
}

impl AuditBreak {
    /// What broke, where, and what it means, in the person's language (without the advice; see
    /// [`CoreError::AuditChainBroken`]).
    pub fn message(&self, lang: Lang) -> String {
        let seq = self.seq;
        let end = self.chain_end;
        let seal = self.seal.as_ref();
        let (sealed_seq, signed_at, purpose) =
            seal.map(|s| (s.seq, s.signed_at.as_str(), s.purpose.as_str())).unwrap_or((seq, "", ""));
        match (self.kind, lang) {
            (BreakKind::Edited, Lang::Zh) => {
                format!("第 {seq} 条审计事件被改动过：它的内容与记录的哈希不再相符（类型：edited）。")
            }
            (BreakKind::Edited, Lang::En) => {
                format!("Audit event {seq} was edited: its contents no longer match its recorded hash (kind: edited).")
            }
            (BreakKind::FirstMissing, Lang::Zh) => {
                "第 1 条审计事件缺失：审计链的开头被删除了（类型：first_missing）。".to_string()
            }
            (BreakKind::FirstMissing, Lang::En) => {
                "Audit event 1 is missing: the start of the chain was deleted (kind: first_missing).".to_string()
            }
            (BreakKind::Missing, Lang::Zh) => format!(
                "第 {seq} 条审计事件缺失：链在第 {} 条之后断开，其间的事件被删除了（类型：missing）。",
                seq - 1
            ),
            (BreakKind::Missing, Lang::En) => format!(
                "Audit event {seq} is missing: the chain breaks after event {}, and events there were deleted (kind: missing).",
                seq - 1
            ),
            (BreakKind::Moved, Lang::Zh) => match self.written_as {
                Some(orig) => format!("第 {seq} 条审计事件被挪动过：它原本是第 {orig} 条（类型：moved）。"),
                None => format!(
                    "第 {seq} 条审计事件与前一条不相连：事件被调换、替换或逐条重算过哈希（类型：moved）。"
                ),
            },
            (BreakKind::Moved, Lang::En) => match self.written_as {
                Some(orig) => format!("Audit event {seq} was moved: it was written as event {orig} (kind: moved)."),
                None => format!(
                    "Audit event {seq} does not link to the one before it: events were swapped, replaced or re-hashed one by one (kind: moved)."
                ),
            },
            (BreakKind::TailMissing, Lang::Zh) => format!(
                "审计链末尾缺失：{signed_at} 签名（用途 {purpose}）的链头到第 {sealed_seq} 条，但数据库只到第 {end} 条；从第 {seq} 条起的事件被删除了（类型：tail_missing）。"
            ),
            (BreakKind::TailMissing, Lang::En) => format!(
                "The end of the audit chain is missing: the head signed on {signed_at} (for {purpose}) reaches event {sealed_seq}, but the database ends at event {end}; the events from {seq} on were deleted (kind: tail_missing)."
            ),
            (BreakKind::SealMismatch, Lang::Zh) => format!(
                "第 {seq} 条审计事件与 {signed_at} 签名（用途 {purpose}）时的不同：审计链在签名之后被改写了（类型：seal_mismatch）。"
            ),
            (BreakKind::SealMismatch, Lang::En) => format!(
                "Audit event {seq} differs from the one signed on {signed_at} (for {purpose}): the chain was rewritten after it was signed (kind: seal_mismatch)."
            ),
            (BreakKind::SealInvalid, Lang::Zh) => format!(
                "{signed_at} 对第 {seq} 条链头的签名（用途 {purpose}）无效：签名记录被改动或伪造过（类型：seal_invalid）。"
            ),
            (BreakKind::SealInvalid, Lang::En) => format!(
                "The signature of the head at event {seq}, made on {signed_at} (for {purpose}), is invalid: the seal was changed or forged (kind: seal_invalid)."
            ),
        }
    }
}

/// Something a person should know that does not break the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuditWarning {
    /// The chain has events but no head was ever signed: removing its newest events would go unseen.
    NoSignedHead { events: i64 },
    /// Events after the newest signed head, not yet covered by any signature.
    Unsealed { from_seq: i64, to_seq: i64 },
    /// A seal whose signer's key this workspace does not know, so its signature was not checked (its
    /// head was still compared with the chain).
    SignerUnknown { seal_id: i64, seq: i64, signer_key_id: String },
}

impl AuditWarning {
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (AuditWarning::NoSignedHead { events }, Lang::Zh) => format!(
                "审计链的 {events} 条事件尚无签名覆盖：发出数据包或备份时会签名链头；在那之前，删除最新的事件在本机无法察觉。"
            ),
            (AuditWarning::NoSignedHead { events }, Lang::En) => format!(
                "None of the {events} audit events is covered by a signature yet: the head is signed when a package or a backup is made; until then, deleting the newest events cannot be detected here."
            ),
            (AuditWarning::Unsealed { from_seq, to_seq }, Lang::Zh) => format!(
                "第 {from_seq}–{to_seq} 条事件在最后一次签名之后，尚无签名覆盖（下次发出数据包或备份时签名）。"
            ),
            (AuditWarning::Unsealed { from_seq, to_seq }, Lang::En) => format!(
                "Events {from_seq}–{to_seq} came after the newest signed head and are not covered by a signature yet (the next package or backup signs them)."
            ),
            (AuditWarning::SignerUnknown { seal_id, seq, signer_key_id }, Lang::Zh) => format!(
                "第 {seal_id} 个链头签名（到第 {seq} 条，签名者 {signer_key_id}）无法核验签名：本工作区没有该签名者的公钥；其链头已与审计链比对。"
            ),
            (AuditWarning::SignerUnknown { seal_id, seq, signer_key_id }, Lang::En) => format!(
                "Signed head #{seal_id} (up to event {seq}, signer {signer_key_id}) could not have its signature checked: this workspace does not hold the signer's public key; its head was still compared with the chain."
            ),
        }
    }
}

/// The outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    /// Rows in the event table.
    pub events: i64,
    /// The newest row's `(seq, hash)`.
    pub head: AuditHead,
    /// Signed heads recorded, and how many of them had their signature checked and found valid.
    pub seals: usize,
    pub seals_verified: usize,
    /// The highest event covered by a seal that is not invalid; `None` when no head was signed.
    pub last_sealed_seq: Option<i64>,
    /// The first broken link; `None` when the chain is intact.
    pub first_break: Option<AuditBreak>,
    pub warnings: Vec<AuditWarning>,
}

impl AuditReport {
    pub fn is_intact(&self) -> bool {
        self.first_break.is_none()
    }
}

/// Walks the chain from event 1 and then checks every signed head, reporting the first broken link.
///
/// `key_of` gives the Ed25519 public key of a signer by key id; a seal whose signer it does not know
/// has its signature left unchecked (warning [`AuditWarning::SignerUnknown`]) but its head still compared
/// with the chain. Errors only when the database cannot be read; a broken chain is a report, not an error
/// (see [`AuditReport::into_result`] for callers that want one).
pub fn verify(ws: &mut Workspace, key_of: impl Fn(&str) -> Option<VerifyingKey>) -> Result<AuditReport> {
    let (entries, seals) = ws.store.read(|r| Ok::<_, CoreError>((r.audit_events()?, r.audit_seals()?)))?;
    Ok(judge(&entries, &seals, key_of))
}

impl AuditReport {
    /// `Ok(self)` when intact, else [`CoreError::AuditChainBroken`] naming `ws`'s database.
    pub fn into_result(self, ws: &Workspace) -> Result<AuditReport> {
        match &self.first_break {
            None => Ok(self),
            Some(b) => Err(CoreError::AuditChainBroken {
                database: ws.database_path().to_path_buf(),
                first_break: Box::new(b.clone()),
            }),
        }
    }
}

/// The judgement of [`verify`] over rows already read, in `seq` order for events and `id` order for seals.
pub fn judge(entries: &[AuditEntry], seals: &[HeadSeal], key_of: impl Fn(&str) -> Option<VerifyingKey>) -> AuditReport {
    let chain_end = entries.last().map_or(0, |e| e.seq);
    let head = entries.last().map_or_else(
        || AuditHead { seq: 0, hash: GENESIS_HASH.to_string() },
        |e| AuditHead { seq: e.seq, hash: e.hash.clone() },
    );
    let mut report = AuditReport {
        events: entries.len() as i64,
        head,
        seals: seals.len(),
        seals_verified: 0,
        last_sealed_seq: None,
        first_break: None,
        warnings: Vec::new(),
    };
    let brk = |seq, kind| AuditBreak { seq, kind, written_as: None, seal: None, chain_end };

    let mut prev_hash = GENESIS_HASH;
    for (i, e) in entries.iter().enumerate() {
        let expected = i as i64 + 1;
        if e.seq != expected {
            // Rows are read in seq order and seq is the primary key, so a mismatch is a gap.
            let kind = if expected == 1 { BreakKind::FirstMissing } else { BreakKind::Missing };
            report.first_break = Some(brk(expected, kind));
            return report;
        }
        if e.computed_hash() != e.hash {
            // Tell a row moved to another position (it still hashes under its original seq) from an
            // edited one. The search is linear, and runs only for the first broken row.
            let max = chain_end.max(entries.len() as i64) + 1;
            let written_as =
                (1..=max).find(|&s| s != e.seq && chain_hash(&e.prev_hash, &e.canonical_json_as(s)) == e.hash);
            report.first_break = Some(match written_as {
                Some(orig) => AuditBreak { written_as: Some(orig), ..brk(e.seq, BreakKind::Moved) },
                None => brk(e.seq, BreakKind::Edited),
            });
            return report;
        }
        if e.prev_hash != prev_hash {
            report.first_break = Some(brk(e.seq, BreakKind::Moved));
            return report;
        }
        prev_hash = &e.hash;
    }

    // The chain is whole from 1 to chain_end; now compare it with what was signed, lowest head first.
    let mut order: Vec<&HeadSeal> = seals.iter().collect();
    order.sort_by_key(|s| (s.seq, s.id));
    for s in order {
        let seal_break = |seq, kind| AuditBreak { seal: Some(SealRef::from(s)), ..brk(seq, kind) };
        match key_of(&s.signer_key_id) {
            Some(key) if seal_signature_is_valid(s, &key) => report.seals_verified += 1,
            Some(_) => {
                report.first_break = Some(seal_break(s.seq, BreakKind::SealInvalid));
                return report;
            }
            None => report.warnings.push(AuditWarning::SignerUnknown {
                seal_id: s.id,
                seq: s.seq,
                signer_key_id: s.signer_key_id.clone(),
            }),
        }
        if s.seq > chain_end {
            report.first_break = Some(seal_break(chain_end + 1, BreakKind::TailMissing));
            return report;
        }
        // Seq 0 names the empty chain; a negative seq (the table's CHECK forbids it) cannot match anything.
        let hash_there = match s.seq {
            0 => Some(GENESIS_HASH),
            n => usize::try_from(n - 1).ok().map(|i| entries[i].hash.as_str()),
        };
        if hash_there != Some(s.hash.as_str()) {
            report.first_break = Some(seal_break(s.seq.max(0), BreakKind::SealMismatch));
            return report;
        }
        report.last_sealed_seq = Some(report.last_sealed_seq.map_or(s.seq, |m| m.max(s.seq)));
    }

    match report.last_sealed_seq {
        None if chain_end > 0 => report.warnings.push(AuditWarning::NoSignedHead { events: chain_end }),
        Some(m) if m < chain_end => report.warnings.push(AuditWarning::Unsealed { from_seq: m + 1, to_seq: chain_end }),
        _ => {}
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use rusqlite::Connection;

    fn key(n: u8) -> SigningKey {
        SigningKey::from_bytes(&[n; 32])
    }

    /// A workspace with `n` audited changes, and a direct connection to its file for tampering.
    fn workspace_with_events(n: u32) -> (tempfile::TempDir, Workspace, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(dir.path()).unwrap();
        append(&mut ws, n);
        let conn = Connection::open(ws.database_path()).unwrap();
        (dir, ws, conn)
    }

    fn append(ws: &mut Workspace, n: u32) {
        for _ in 0..n {
            let next = ws.store.read(|r| r.audit_head()).unwrap().seq + 1;
            let record = serde_json::json!({"number": format!("2027-ZX06-{next:06}"), "status": "submitted"});
            let event = AuditEvent::new(
                AuditAction::Submit,
                "application",
                format!("2027-ZX06-{next:06}"),
                record_sha256(&record).unwrap(),
            );
            ws.store.write(event, |w| w.preference_set("last", &next.to_string())).unwrap();
        }
    }

    /// What an attacker with the file does first: remove the triggers that make the log append-only.
    fn drop_triggers(conn: &Connection) {
        conn.execute_batch(
            "DROP TRIGGER audit_event_no_update; DROP TRIGGER audit_event_no_delete;
             DROP TRIGGER audit_head_seal_no_update; DROP TRIGGER audit_head_seal_no_delete;",
        )
        .unwrap();
    }

    fn lookup(k: &SigningKey) -> impl Fn(&str) -> Option<VerifyingKey> {
        let vk = k.verifying_key();
        move |id| (id == "office").then_some(vk)
    }

    fn first_break(ws: &mut Workspace, k: &SigningKey) -> (i64, BreakKind, Option<i64>) {
        let b = verify(ws, lookup(k)).unwrap().first_break.expect("a break is reported");
        (b.seq, b.kind, b.written_as)
    }

    #[test]
    fn an_untouched_chain_is_intact_and_says_what_is_not_yet_signed() {
        let k = key(1);
        let dir = tempfile::tempdir().unwrap();
        let mut ws = Workspace::open(dir.path()).unwrap();
        let r = verify(&mut ws, lookup(&k)).unwrap();
        assert!(r.is_intact());
        assert_eq!((r.events, r.head.seq, r.last_sealed_seq), (0, 0, None));
        assert!(r.warnings.is_empty(), "an empty chain has nothing to sign: {:?}", r.warnings);

        append(&mut ws, 3);
        let r = verify(&mut ws, lookup(&k)).unwrap();
        assert!(r.is_intact());
        assert_eq!(r.warnings, [AuditWarning::NoSignedHead { events: 3 }]);

        let seal = seal_head(&mut ws, &SealPurpose::Backup, &k, "office").unwrap();
        assert_eq!((seal.seq, seal.purpose.as_str(), seal.signature.len()), (3, "backup", 64));
        assert!(seal_signature_is_valid(&seal, &k.verifying_key()));
        let r = verify(&mut ws, lookup(&k)).unwrap();
        assert!(r.is_intact());
        assert_eq!((r.last_sealed_seq, r.seals, r.seals_verified), (Some(3), 1, 1));
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);

        append(&mut ws, 2);
        let r = verify(&mut ws, lookup(&k)).unwrap();
        assert!(r.is_intact());
        assert_eq!(r.warnings, [AuditWarning::Unsealed { from_seq: 4, to_seq: 5 }]);

        // Without the signer's key the seal is not checked, and the report says so; the chain is intact.
        let r = verify(&mut ws, |_| None).unwrap();
        assert!(r.is_intact());
        assert_eq!(r.seals_verified, 0);
        assert!(r.warnings.contains(&AuditWarning::SignerUnknown {
            seal_id: seal.id,
            seq: 3,
            signer_key_id: "office".into()
        }));
    }

    #[test]
    fn an_edited_row_is_found_at_its_seq() {
        let (_d, mut ws, conn) = workspace_with_events(5);
        drop_triggers(&conn);
        conn.execute("UPDATE audit_event SET record_id = '2027-ZX06-000099' WHERE seq = 3", []).unwrap();
        assert_eq!(first_break(&mut ws, &key(1)), (3, BreakKind::Edited, None));
    }

    #[test]
    fn an_edited_row_whose_hash_was_recomputed_breaks_the_link_after_it() {
        let (_d, mut ws, conn) = workspace_with_events(5);
        drop_triggers(&conn);
        let mut e = ws.store.read(|r| r.audit_events()).unwrap().remove(1);
        e.record_id = "forged".into();
        conn.execute(
            "UPDATE audit_event SET record_id = ?1, hash = ?2 WHERE seq = 2",
            [&e.record_id, &e.computed_hash()],
        )
        .unwrap();
        assert_eq!(first_break(&mut ws, &key(1)), (3, BreakKind::Moved, None));
    }

    #[test]
    fn a_deleted_first_row_is_reported_as_the_first_event_missing() {
        let (_d, mut ws, conn) = workspace_with_events(4);
        drop_triggers(&conn);
        conn.execute("DELETE FROM audit_event WHERE seq = 1", []).unwrap();
        assert_eq!(first_break(&mut ws, &key(1)), (1, BreakKind::FirstMissing, None));
    }

    #[test]
    fn a_deleted_middle_row_is_found_at_its_seq() {
        let (_d, mut ws, conn) = workspace_with_events(5);
        drop_triggers(&conn);
        conn.execute("DELETE FROM audit_event WHERE seq = 3", []).unwrap();
        assert_eq!(first_break(&mut ws, &key(1)), (3, BreakKind::Missing, None));
    }

    #[test]
    fn a_deleted_last_row_is_found_through_a_signed_head_and_only_so() {
        let k = key(1);
        let (_d, mut ws, conn) = workspace_with_events(5);
        drop_triggers(&conn);
        // Unsigned, a shorter chain is still a whole chain: this is why heads are signed.
        conn.execute("DELETE FROM audit_event WHERE seq = 5", []).unwrap();
        assert!(verify(&mut ws, lookup(&k)).unwrap().is_intact());

        append(&mut ws, 1);
        seal_head(
            &mut ws,
            &SealPurpose::Package { package_id: "0190f1d2-0000-7000-8000-000000000001".into() },
            &k,
            "office",
        )
        .unwrap();
        conn.execute("DELETE FROM audit_event WHERE seq = 5", []).unwrap();
        let r = verify(&mut ws, lookup(&k)).unwrap();
        let b = r.first_break.unwrap();
        assert_eq!((b.seq, b.kind, b.chain_end), (5, BreakKind::TailMissing, 4));
        assert_eq!(b.seal.unwrap().purpose, "package:0190f1d2-0000-7000-8000-000000000001");
        // The signer's key is not needed to see a missing tail.
        assert_eq!(verify(&mut ws, |_| None).unwrap().first_break.unwrap().kind, BreakKind::TailMissing);
    }

    #[test]
    fn a_tail_replaced_after_a_signed_head_is_found() {
        let k = key(1);
        let (_d, mut ws, conn) = workspace_with_events(3);
        seal_head(&mut ws, &SealPurpose::Backup, &k, "office").unwrap();
        drop_triggers(&conn);
        conn.execute("DELETE FROM audit_event WHERE seq = 3", []).unwrap();
        // A different event 3, appended through the store as if nothing had happened.
        let other = AuditEvent::new(AuditAction::Withdraw, "application", "2027-ZX06-000003", "cd".repeat(32));
        ws.store.write(other, |_| Ok::<_, CoreError>(())).unwrap();
        append(&mut ws, 1);
        assert_eq!(ws.store.read(|r| r.audit_head()).unwrap().seq, 4);
        assert_eq!(first_break(&mut ws, &k), (3, BreakKind::SealMismatch, None));
    }

    #[test]
    fn swapped_rows_are_reported_as_moved_at_the_first_of_them() {
        let (_d, mut ws, conn) = workspace_with_events(5);
        drop_triggers(&conn);
        conn.execute_batch(
            "UPDATE audit_event SET seq = 1000 WHERE seq = 2;
             UPDATE audit_event SET seq = 2 WHERE seq = 4;
             UPDATE audit_event SET seq = 4 WHERE seq = 1000;",
        )
        .unwrap();
        assert_eq!(first_break(&mut ws, &key(1)), (2, BreakKind::Moved, Some(4)));
    }

    #[test]
    fn a_seal_with_a_wrong_signature_is_reported() {
        let k = key(1);
        let (_d, mut ws, _conn) = workspace_with_events(2);
        // Signed by another key than the one the workspace knows for "office".
        seal_head(&mut ws, &SealPurpose::Backup, &key(2), "office").unwrap();
        assert_eq!(first_break(&mut ws, &k), (2, BreakKind::SealInvalid, None));

        let (_d, mut ws, conn2) = workspace_with_events(2);
        seal_head(&mut ws, &SealPurpose::Backup, &k, "office").unwrap();
        assert!(verify(&mut ws, lookup(&k)).unwrap().is_intact());
        drop_triggers(&conn2);
        conn2.execute("UPDATE audit_head_seal SET purpose = 'package:other'", []).unwrap();
        assert_eq!(first_break(&mut ws, &k), (2, BreakKind::SealInvalid, None));
    }

    #[test]
    fn a_broken_chain_becomes_a_state_conflict_naming_the_database_and_the_seq() {
        let (_d, mut ws, conn) = workspace_with_events(3);
        drop_triggers(&conn);
        conn.execute("DELETE FROM audit_event WHERE seq = 2", []).unwrap();
        let report = verify(&mut ws, |_| None).unwrap();
        let err = report.into_result(&ws).unwrap_err();
        assert_eq!((err.code(), err.kind()), ("audit.chain_broken", ErrorKind::StateConflict));
        let zh = err.message(Lang::Zh);
        assert!(zh.contains("第 2 条") && zh.contains(&ws.database_path().display().to_string()), "{zh}");
        assert!(err.message(Lang::En).contains("event 2"));
    }

    #[test]
    fn the_record_digest_is_the_sha256_of_its_canonical_json() {
        let a = record_sha256(&serde_json::json!({"b": 2, "a": "申报"})).unwrap();
        let b = record_sha256(&serde_json::json!({"a": "申报", "b": 2})).unwrap();
        assert_eq!(a, b, "key order does not change the digest");
        assert_eq!(a, lixiang_store::sha256_hex(r#"{"a":"申报","b":2}"#.as_bytes()));
    }
}
