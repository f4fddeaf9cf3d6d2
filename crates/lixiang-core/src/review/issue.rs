//! The office issues review packets: for a call's round, each assigned expert gets one package,
//! encrypted to that expert's key card alone, holding only that expert's items (from the round's
//! current assignment: its newest run), the round's form and its hash, and for each item either the
//! sealed version and its attachments or, in a blind round, the blind view (see [`super::blind`]).
//!
//! A packet is refused before anything is written when the expert has no key card, when the round has
//! no assignment, or when a blind view would name the applicant.

use super::{blind, form_sha256, ItemContent, PacketItem, PacketPayload, FORMAT};
use crate::application::Application;
use crate::audit::record_sha256;
use crate::blobs::BlobStore;
use crate::call::review::{Form, Round};
use crate::call::{desk as calls, Call};
use crate::conflict::desk::call_applications;
use crate::expert::desk as experts;
use crate::identity;
use crate::package::{default_file_name, AttachmentSource, Kind, PublicKeys, SecretKeys};
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{AuditAction, AuditEvent, IssuedPacketRow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A packet written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct IssuedPacket {
    pub packet_id: String,
    pub expert_number: String,
    pub expert_name: String,
    pub items: Vec<String>,
    pub path: String,
    pub form_sha256: String,
    /// The packet's issue to this expert for the round (1, 2, …): a newer one supersedes the older.
    pub issue: u32,
}

/// Who gets a packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipients {
    /// One expert (`ZJ000001`), written to this file.
    Expert { number: String, out: PathBuf },
    /// Every expert of the assignment, each to `KIND-NUMBER-DATE.lxpkg` in this folder.
    All { out_dir: PathBuf },
}

fn bad(field: &str, zh: String, en: String) -> CoreError {
    CoreError::Validation { field: field.into(), reason: format!("{zh} / {en}") }
}

#[derive(Deserialize)]
struct StoredPair {
    item: String,
    expert: String,
}

/// The round (1-based) of a call, refused with the count when it has none.
pub fn round_of(call: &Call, round: u32) -> Result<&Round> {
    round.checked_sub(1).and_then(|i| call.review_plan.rounds.get(i as usize)).ok_or_else(|| {
        bad(
            "round",
            format!("指南 {} 没有第 {round} 轮评审（共 {} 轮）", call.code, call.review_plan.rounds.len()),
            format!("call {} has no round {round} (it has {})", call.code, call.review_plan.rounds.len()),
        )
    })
}

/// The current assignment of a round: expert number → item numbers, from the newest run.
pub fn current_assignment(ws: &mut Workspace, call: &Call, round: u32) -> Result<BTreeMap<String, Vec<String>>> {
    let runs = ws.store.read(|r| r.assignment_runs(&call.id.to_string(), round))?;
    let latest = runs.iter().max_by(|a, b| a.created_at.cmp(&b.created_at).then(a.run_id.cmp(&b.run_id)));
    let Some(run) = latest else {
        return Err(bad(
            "assignment",
            format!("指南 {} 第 {round} 轮还没有分配专家：请先运行分配", call.code),
            format!("call {} round {round} has no assignment yet: run the assignment first", call.code),
        ));
    };
    let v: serde_json::Value = serde_json::from_str(&run.outcome).map_err(|e| {
        bad("assignment", format!("分配记录无法读取：{e}"), format!("the assignment record is unreadable: {e}"))
    })?;
    if v["status"] != "assigned" {
        return Err(bad(
            "assignment",
            format!("指南 {} 第 {round} 轮最近一次分配没有得到结果（{}）", call.code, v["status"]),
            format!("the latest assignment of call {} round {round} found none ({})", call.code, v["status"]),
        ));
    }
    let pairs: Vec<StoredPair> = serde_json::from_value(v["pairs"].clone()).map_err(|e| {
        bad("assignment", format!("分配记录无法读取：{e}"), format!("the assignment record is unreadable: {e}"))
    })?;
    let mut by_expert: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for p in pairs {
        by_expert.entry(p.expert).or_default().push(p.item);
    }
    for items in by_expert.values_mut() {
        items.sort();
    }
    Ok(by_expert)
}

/// The form a packet carries: the round's, with a 验收 form's items filled from the call's core
/// indicators.
pub(crate) fn packet_form(call: &Call, round: &Round) -> Form {
    match &round.form {
        Form::Verdicts(v) if v.per_core_indicator => {
            let mut v = v.clone();
            v.items = call
                .core_indicators
                .iter()
                .map(|c| crate::call::review::VerdictItem { id: c.code.clone(), name: c.name.clone() })
                .collect();
            Form::Verdicts(v)
        }
        f => f.clone(),
    }
}

/// Issues the packets of a call's round.
pub fn export(
    ws: &mut Workspace,
    keys: &SecretKeys,
    call: &str,
    round: u32,
    recipients: &Recipients,
) -> Result<Vec<IssuedPacket>> {
    let call = calls::get(ws, call)?;
    let r = round_of(&call, round)?.clone();
    if matches!(r.form, Form::Vote) {
        return Err(bad(
            "round",
            format!("第 {round} 轮（{}）是会上投票，不发评审包", r.kind.name().zh),
            format!("round {round} ({}) is a vote at the meeting; it has no packets", r.kind.name().en),
        ));
    }
    let assignment = current_assignment(ws, &call, round)?;
    let wanted: Vec<(String, PathBuf)> = match recipients {
        Recipients::Expert { number, out } => {
            let e = experts::get(ws, number)?;
            if !assignment.contains_key(&e.number) {
                return Err(bad(
                    "expert",
                    format!("专家 {} 在第 {round} 轮没有分到申报书", e.number),
                    format!("expert {} has no item in round {round}", e.number),
                ));
            }
            let dir = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            if !dir.is_dir() {
                return Err(bad(
                    "out",
                    format!("文件夹 {} 不存在", dir.display()),
                    format!("the folder {} does not exist", dir.display()),
                ));
            }
            vec![(e.number, out.clone())]
        }
        Recipients::All { out_dir } => {
            if !out_dir.is_dir() {
                return Err(bad(
                    "out_dir",
                    format!("文件夹 {} 不存在", out_dir.display()),
                    format!("the folder {} does not exist", out_dir.display()),
                ));
            }
            assignment.keys().map(|n| (n.clone(), out_dir.clone())).collect()
        }
    };
    let apps: BTreeMap<String, (crate::conflict::desk::ItemRef, Application)> =
        call_applications(ws, &call.id.to_string())?.into_iter().map(|(i, a)| (i.number.clone(), (i, a))).collect();
    let versions = ws.store.read(|r| r.submissions_latest())?;
    let form = packet_form(&call, &r);
    let form_hash = form_sha256(&form);

    // Everything is checked for every expert before the first packet is written.
    let mut plans = Vec::new();
    for (number, target) in wanted {
        let e = experts::get(ws, &number)?;
        let key_id = e.key_id.clone().ok_or_else(|| {
            bad(
                "expert",
                format!("专家 {}（{}）还没有密钥卡：请先导入并关联其密钥卡", e.number, e.profile.name),
                format!("expert {} ({}) has no key card yet: import and attach it first", e.number, e.profile.name),
            )
        })?;
        let contact = ws
            .store
            .read(|r| r.contact(&key_id))?
            .ok_or_else(|| CoreError::NotFound { what: "contact / 联系人".into(), key: key_id.clone() })?;
        if let Some(at) = &contact.revoked_at {
            return Err(bad(
                "expert",
                format!("专家 {} 的密钥已于 {at} 吊销：请关联新的密钥卡", e.number),
                format!("expert {}'s key was revoked on {at}: attach a new key card", e.number),
            ));
        }
        let mut items = Vec::new();
        let mut blobs: Vec<(String, String, String)> = Vec::new();
        for n in &assignment[&number] {
            let (item, app) = apps.get(n).ok_or_else(|| {
                bad(
                    "assignment",
                    format!("分配中的申报书 {n} 已不在本指南的有效申报书中：请重新分配"),
                    format!("application {n} of the assignment is no longer a valid application of the call: re-run the assignment"),
                )
            })?;
            let v = versions.iter().find(|s| s.application_id == item.application_id).ok_or_else(|| {
                CoreError::NotFound { what: "application version / 申报书版本".into(), key: n.clone() }
            })?;
            let content = if r.blind {
                let view = blind::view(app, &call);
                if let Some(leak) = blind::leaks(&view, app).into_iter().next() {
                    return Err(bad(
                        "blind",
                        format!(
                            "盲评：申报书 {n} 的{}含有{}（“{}”），不能发给专家：请退回申报单位修改",
                            leak.part_zh, leak.identifier.what_zh, leak.identifier.text
                        ),
                        format!(
                            "blind review: {} of application {n} contains {} (“{}”) and cannot go to an expert: return it to the applicant",
                            leak.part_en, leak.identifier.what_en, leak.identifier.text
                        ),
                    ));
                }
                ItemContent::Blind(view)
            } else {
                for a in &app.attachments {
                    blobs.push((a.name.clone(), a.media_type.clone(), a.sha256.clone()));
                }
                ItemContent::Full {
                    version: String::from_utf8(v.bytes.clone()).map_err(|_| {
                        bad(
                            "application",
                            format!("申报书 {n} 的内容不是 UTF-8"),
                            format!("application {n} is not UTF-8"),
                        )
                    })?,
                }
            };
            items.push(PacketItem {
                number: n.clone(),
                application_id: item.application_id.clone(),
                version: v.version,
                version_sha256: v.sha256.clone(),
                content,
            });
        }
        plans.push((e, key_id, contact, items, blobs, target));
    }

    let mut out = Vec::new();
    for (e, key_id, contact, items, blobs, target) in plans {
        let package_id = uuid::Uuid::now_v7();
        let issued_at = identity::now();
        let numbers: Vec<String> = items.iter().map(|i| i.number.clone()).collect();
        let path = match recipients {
            Recipients::Expert { .. } => target,
            Recipients::All { .. } => target.join(default_file_name(
                &Kind::ReviewPacket,
                &format!("{}-R{round}-{}", call.code, e.number),
                &issued_at,
            )),
        };
        // The expert's n-th packet for this round; checked again where it is recorded.
        let issue = ws.store.read(|r| r.review_packets_issued_to(&call.id.to_string(), round, &e.number))? + 1;
        let payload = PacketPayload {
            format: FORMAT,
            packet_id: package_id.to_string(),
            call_id: call.id.to_string(),
            call_code: call.code.clone(),
            call_title: call.title.clone(),
            programme: call.programme.clone(),
            round,
            round_kind: r.kind,
            blind: r.blind,
            form: form.clone(),
            form_sha256: form_hash.clone(),
            expert_number: e.number.clone(),
            expert_name: e.profile.name.clone(),
            expert_key_id: key_id.clone(),
            issued_at: issued_at.clone(),
            issue,
            superseded_by: None,
            sections: call
                .sections
                .iter()
                .map(|s| super::SectionName { code: s.code.clone(), name: s.name.clone() })
                .collect(),
            items,
        };
        let row = IssuedPacketRow {
            packet_id: package_id.to_string(),
            call_id: call.id.to_string(),
            round,
            expert_number: e.number.clone(),
            expert_key_id: key_id.clone(),
            form_sha256: form_hash.clone(),
            items: serde_json::to_string(&numbers).expect("strings serialise"),
            issued_at: issued_at.clone(),
            file_name: path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default(),
        };
        let digest = record_sha256(&serde_json::json!({
            "packet_id": row.packet_id, "call_id": row.call_id, "round": round,
            "expert": row.expert_number, "form_sha256": row.form_sha256, "items": numbers, "issue": issue,
        }))
        .expect("a packet record serialises");
        let event = AuditEvent::new(AuditAction::PacketIssued, "review_packet", row.packet_id.clone(), digest)
            .with_detail(&serde_json::json!({
                "call": call.code, "round": round, "expert": e.number, "items": numbers.len(), "issue": issue,
            }));
        // Recorded first: the package carries the audit head that includes its own issue.
        ws.store.write(event, |w| super::reissue::record_issued(w, &row, issue))?;
        let store = BlobStore::new(ws.dir());
        let mut files = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        // Two applications often attach files of the same name (签字盖章页扫描件.pdf) with other contents;
        // a package refuses two attachments of one name, so the later ones take their hash as a prefix.
        // The expert's laptop finds attachments by hash, never by the name in the package.
        let mut names = std::collections::BTreeSet::new();
        for (name, media_type, sha) in &blobs {
            if !seen.insert(sha.clone()) {
                continue;
            }
            let name = if names.insert(name.to_lowercase()) {
                name.clone()
            } else {
                let unique = format!("{}-{name}", sha.get(..16).unwrap_or(sha));
                names.insert(unique.to_lowercase());
                unique
            };
            let p = store.path_of(sha);
            let f = std::fs::File::open(&p).map_err(|source| CoreError::WorkspaceIo { path: p.clone(), source })?;
            files.push((name, media_type.clone(), f));
        }
        let attachments: Vec<AttachmentSource> = files
            .iter_mut()
            .map(|(name, media_type, f)| AttachmentSource {
                name: name.clone(),
                media_type: media_type.clone(),
                content: f,
            })
            .collect();
        let bytes = serde_json::to_vec(&payload).expect("a packet serialises");
        let recipient = PublicKeys { signing: contact.signing_public, encryption: contact.encryption_public };
        identity::seal_outgoing(ws, keys, Kind::ReviewPacket, package_id, &[recipient], &bytes, attachments, &path)?;
        out.push(IssuedPacket {
            packet_id: package_id.to_string(),
            expert_number: e.number,
            expert_name: e.profile.name,
            items: numbers,
            path: path.display().to_string(),
            form_sha256: form_hash.clone(),
            issue,
        });
    }
    Ok(out)
}

/// Where a packet file goes by default inside `dir`.
pub fn default_path(dir: &Path, call_code: &str, round: u32, expert: &str) -> PathBuf {
    dir.join(default_file_name(&Kind::ReviewPacket, &format!("{call_code}-R{round}-{expert}"), &identity::now()))
}
