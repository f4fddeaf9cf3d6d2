//! The workspace's identity: who this laptop speaks for (the programme office, an applicant institute,
//! an expert), with an Ed25519 signing key and an X25519 encryption key. The private halves are stored
//! only encrypted ([`keybox`]): under the person's passphrase and under a one-time recovery passphrase
//! shown once at creation. This module creates, unlocks, recovers and revokes identities, and writes the
//! two cards others import: the key card (public keys, signed) and the revocation card.

pub mod keybox;

use crate::audit::{record_sha256, seal_head, SealPurpose};
use crate::package::{self, AuditHead, Kind, Limits, PublicKeys, Seal, SecretKeys, SECRET_KEYS_LEN};
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use keybox::{KdfParams, KeyBox};
use lixiang_store::{AuditAction, AuditEvent, IdentityRow};
use serde::{Deserialize, Serialize};
use std::path::Path;
use zeroize::Zeroizing;

/// Whom a workspace speaks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 项目管理机构: publishes calls, receives applications, runs reviews.
    Office,
    /// 申报单位: prepares and submits applications.
    Applicant,
    /// 评审专家: scores what it is assigned.
    Expert,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Office => "office",
            Role::Applicant => "applicant",
            Role::Expert => "expert",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "office" => Some(Role::Office),
            "applicant" => Some(Role::Applicant),
            "expert" => Some(Role::Expert),
            _ => None,
        }
    }

    /// The role's name in the person's language.
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match self {
            Role::Office => lang.pick("项目管理机构", "programme office"),
            Role::Applicant => lang.pick("申报单位", "applicant institute"),
            Role::Expert => lang.pick("评审专家", "expert"),
        }
    }
}

/// What only the programme office does, each refused elsewhere with its own code
/// ([`CoreError::OfficeOnly`]). Checked where the person asks for it (the window's commands, the `lixiang`
/// commands), so the core's own functions stay usable by tests and by the imports that bring a published
/// call into an applicant's workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficeDuty {
    /// Making, editing, publishing, revising and exporting calls (指南 / 榜单).
    Calls,
    /// Adding a budget schema (经费预算规则) from a file: applicants and experts receive the schema a
    /// call follows inside its package.
    BudgetSchemas,
}

impl OfficeDuty {
    pub fn code(self) -> &'static str {
        match self {
            OfficeDuty::Calls => "calldesk.office_only",
            OfficeDuty::BudgetSchemas => "budget.office_only",
        }
    }

    /// What is refused, as a verb phrase.
    pub fn what(self, lang: crate::Lang) -> &'static str {
        match self {
            OfficeDuty::Calls => lang.pick("新建、修改、发布和导出指南", "create, edit, publish and export calls"),
            OfficeDuty::BudgetSchemas => lang.pick("添加经费预算规则", "add budget schemas"),
        }
    }

    /// What the person can do instead.
    pub fn instead(self, lang: crate::Lang) -> &'static str {
        match self {
            OfficeDuty::Calls => lang.pick(
                "请在项目办的工作区中操作（--data-dir 选择工作区）；申报单位导入项目办导出的指南文件包。",
                "Do it in the office's workspace (choose it with --data-dir); applicants import the call package the office exports.",
            ),
            OfficeDuty::BudgetSchemas => lang.pick(
                "指南所依据的预算规则随指南文件包一并收到，无需另行添加。",
                "The schema a call follows arrives with its call package; there is nothing to add by hand.",
            ),
        }
    }
}

/// Refuses unless this workspace speaks for the programme office: [`CoreError::OfficeOnly`] naming the
/// role it has, or [`CoreError::NoIdentity`] when it has none yet.
pub fn require_office(ws: &mut Workspace, duty: OfficeDuty) -> Result<()> {
    match info(ws)?.map(|i| i.role) {
        Some(Role::Office) => Ok(()),
        Some(role) => Err(CoreError::OfficeOnly { role, duty }),
        None => Err(CoreError::NoIdentity),
    }
}

/// The public face of the workspace's identity (no secrets): what `lixiang key show` prints.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type)]
pub struct IdentityInfo {
    pub role: Role,
    pub name: String,
    pub key_id: String,
    /// 6 groups of 5 digits, for a person to read out and compare.
    pub fingerprint: String,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// A new identity and the recovery passphrase to show once (it is stored nowhere in clear).
#[derive(Debug)]
pub struct Created {
    pub info: IdentityInfo,
    pub recovery_passphrase: Zeroizing<String>,
    pub keys: SecretKeys,
}

/// What a key card says: the holder's public keys, role and name. Signed by those keys (the package's
/// sender), so it proves possession; trust still needs a person to compare the fingerprint once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyCard {
    pub role: Role,
    pub name: String,
    pub key_id: String,
    #[serde(with = "hex32")]
    pub signing_public: [u8; 32],
    #[serde(with = "hex32")]
    pub encryption_public: [u8; 32],
    pub created_at: String,
}

/// What a revocation card says: this key is no longer to be trusted, from `revoked_at` on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revocation {
    pub key_id: String,
    pub revoked_at: String,
    pub reason: String,
}

/// The current time as RFC 3339 UTC, to the second.
pub(crate) fn now() -> String {
    lixiang_store::now_rfc3339_utc()
}

fn info_of(row: &IdentityRow) -> IdentityInfo {
    let public = PublicKeys { signing: row.signing_public, encryption: row.encryption_public };
    IdentityInfo {
        role: Role::parse(&row.role).unwrap_or(Role::Applicant),
        name: row.name.clone(),
        key_id: row.key_id.clone(),
        fingerprint: public.fingerprint(),
        created_at: row.created_at.clone(),
        revoked_at: row.revoked_at.clone(),
    }
}

/// The workspace's identity, `None` before `lixiang init --role … --name …` made one.
pub fn info(ws: &mut Workspace) -> Result<Option<IdentityInfo>> {
    Ok(ws.store.read(|r| r.identity())?.as_ref().map(info_of))
}

/// The Ed25519 public keys this workspace knows by key id: its own identity's and its contacts', for
/// checking signed audit-chain heads (`audit::verify`).
pub fn verifying_keys(ws: &mut Workspace) -> Result<std::collections::BTreeMap<String, ed25519_dalek::VerifyingKey>> {
    let (own, contacts) = ws.store.read(|r| Ok::<_, CoreError>((r.identity()?, r.contacts()?)))?;
    let mut keys = std::collections::BTreeMap::new();
    let pairs = own
        .map(|i| (i.key_id, i.signing_public))
        .into_iter()
        .chain(contacts.into_iter().map(|c| (c.key_id, c.signing_public)));
    for (key_id, public) in pairs {
        if let Ok(k) = ed25519_dalek::VerifyingKey::from_bytes(&public) {
            keys.insert(key_id, k);
        }
    }
    Ok(keys)
}

/// The identity's row, or [`CoreError::NoIdentity`].
fn row(ws: &mut Workspace) -> Result<IdentityRow> {
    ws.store.read(|r| r.identity())?.ok_or(CoreError::NoIdentity)
}

/// Creates the workspace's identity: fresh keys, boxed under `passphrase` and under a new recovery
/// passphrase (returned, to show once). Refused when the workspace already has one, or the name or
/// passphrase is unusable.
pub fn create(ws: &mut Workspace, role: Role, name: &str, passphrase: &str, kdf: KdfParams) -> Result<Created> {
    let name = name.trim();
    if name.is_empty() {
        return Err(CoreError::Validation {
            field: "name / 名称".into(),
            reason: "不能为空 / must not be empty".into(),
        });
    }
    check_passphrase(passphrase)?;
    if let Some(existing) = ws.store.read(|r| r.identity())? {
        return Err(CoreError::IdentityExists { key_id: existing.key_id });
    }
    let keys = SecretKeys::generate();
    let key_id = keys.key_id();
    let recovery = keybox::recovery_passphrase();
    let secret = keys.to_bytes();
    let secret_box = KeyBox::seal(secret.as_ref(), passphrase, &key_id, kdf);
    let recovery_box = KeyBox::seal(secret.as_ref(), &recovery, &key_id, kdf);
    let public = *keys.public();
    let row = IdentityRow {
        role: role.as_str().into(),
        name: name.into(),
        key_id: key_id.clone(),
        signing_public: public.signing,
        encryption_public: public.encryption,
        secret_box: serde_json::to_string(&secret_box).expect("a key box serialises"),
        recovery_box: serde_json::to_string(&recovery_box).expect("a key box serialises"),
        created_at: now(),
        revoked_at: None,
    };
    let info = info_of(&row);
    let digest =
        record_sha256(&info).map_err(|e| CoreError::Validation { field: "identity".into(), reason: e.to_string() })?;
    ws.store.set_actor_key_id(&key_id);
    ws.store.write(AuditEvent::new(AuditAction::IdentityCreated, "identity", key_id.clone(), digest), |w| {
        w.identity_insert(&row)
    })?;
    Ok(Created { info, recovery_passphrase: recovery, keys })
}

/// A passphrase must be at least 8 characters: short ones fall to guessing even through Argon2id.
fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < 8 {
        return Err(CoreError::Validation {
            field: "passphrase / 口令".into(),
            reason: "至少 8 个字符 / at least 8 characters".into(),
        });
    }
    Ok(())
}

fn keys_from(bytes: &[u8], key_id: &str) -> Result<SecretKeys> {
    let arr: &[u8; SECRET_KEYS_LEN] = bytes.try_into().map_err(|_| CoreError::KeyBoxUnreadable {
        reason: format!("{} bytes of key material (expected {SECRET_KEYS_LEN})", bytes.len()),
    })?;
    let keys = SecretKeys::from_bytes(arr);
    if keys.key_id() != key_id {
        return Err(CoreError::KeyBoxUnreadable { reason: "the boxed keys are not this identity's".into() });
    }
    Ok(keys)
}

pub(crate) fn open_box(json: &str, passphrase: &str, key_id: &str) -> Result<SecretKeys> {
    let b: KeyBox =
        serde_json::from_str(json).map_err(|e| CoreError::KeyBoxUnreadable { reason: format!("key box: {e}") })?;
    let bytes = b.open(passphrase, key_id).map_err(|e| match e {
        keybox::KeyBoxError::WrongPassphrase => CoreError::WrongPassphrase,
        keybox::KeyBoxError::Unreadable(reason) => CoreError::KeyBoxUnreadable { reason },
    })?;
    keys_from(&bytes, key_id)
}

/// Unlocks the identity's private keys with the passphrase. The keys stay in memory only as long as
/// the caller holds them (the app drops them after 30 idle minutes).
pub fn unlock(ws: &mut Workspace, passphrase: &str) -> Result<SecretKeys> {
    let row = row(ws)?;
    let keys = open_box(&row.secret_box, passphrase, &row.key_id)?;
    ws.store.set_actor_key_id(&row.key_id);
    Ok(keys)
}

/// Sets a new passphrase with the recovery passphrase (the person forgot theirs).
pub fn recover(ws: &mut Workspace, recovery: &str, new_passphrase: &str, kdf: KdfParams) -> Result<SecretKeys> {
    check_passphrase(new_passphrase)?;
    let row = row(ws)?;
    let keys = open_box(&row.recovery_box, &keybox::normalise_recovery(recovery), &row.key_id)?;
    let secret_box = KeyBox::seal(keys.to_bytes().as_ref(), new_passphrase, &row.key_id, kdf);
    let json = serde_json::to_string(&secret_box).expect("a key box serialises");
    ws.store.write_unaudited(lixiang_store::Unaudited::Preference, |w| w.identity_set_secret_box(&json))?;
    Ok(keys)
}

/// Changes the passphrase: the keys are unboxed with the current one and boxed again under the new
/// one (the recovery box stays). Refused, with nothing written, when `old` does not open the keys or
/// `new` is too short.
pub fn change_passphrase(ws: &mut Workspace, old: &str, new: &str, kdf: KdfParams) -> Result<SecretKeys> {
    check_passphrase(new)?;
    let row = row(ws)?;
    let keys = open_box(&row.secret_box, old, &row.key_id)?;
    let secret_box = KeyBox::seal(keys.to_bytes().as_ref(), new, &row.key_id, kdf);
    let json = serde_json::to_string(&secret_box).expect("a key box serialises");
    ws.store.write_unaudited(lixiang_store::Unaudited::Preference, |w| w.identity_set_secret_box(&json))?;
    ws.store.set_actor_key_id(&row.key_id);
    Ok(keys)
}

/// The key card of this workspace, as the payload of a `key_card` package.
pub fn key_card(ws: &mut Workspace) -> Result<KeyCard> {
    let row = row(ws)?;
    Ok(KeyCard {
        role: Role::parse(&row.role).unwrap_or(Role::Applicant),
        name: row.name,
        key_id: row.key_id,
        signing_public: row.signing_public,
        encryption_public: row.encryption_public,
        created_at: row.created_at,
    })
}

/// What an outgoing card was written as.
#[derive(Debug, Clone, Serialize)]
pub struct WrittenCard {
    pub path: String,
    pub package_id: String,
    pub file_sha256: String,
}

/// Seals a public (signed, not encrypted) package of this workspace to `out`, with the audit chain's
/// head signed into it.
pub(crate) fn seal_public(
    ws: &mut Workspace,
    keys: &SecretKeys,
    kind: Kind,
    payload: &[u8],
    out: &Path,
) -> Result<WrittenCard> {
    seal_outgoing(ws, keys, kind, uuid::Uuid::now_v7(), &[], payload, Vec::new(), out)
}

/// Seals an outgoing package of this workspace to `out`: signed, encrypted to `recipients` when there are
/// any (public otherwise), with the audit chain's head signed first and carried in the manifest — every
/// package that leaves the workspace goes through here, so none leaves without it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn seal_outgoing(
    ws: &mut Workspace,
    keys: &SecretKeys,
    kind: Kind,
    package_id: uuid::Uuid,
    recipients: &[PublicKeys],
    payload: &[u8],
    attachments: Vec<package::AttachmentSource<'_>>,
    out: &Path,
) -> Result<WrittenCard> {
    let head = seal_head(
        ws,
        &SealPurpose::Package { package_id: package_id.to_string() },
        keys.signing_key(),
        &keys.key_id(),
    )?;
    let seal = Seal {
        kind,
        sender: keys,
        recipients,
        confidential: !recipients.is_empty(),
        created_at: now(),
        package_id,
        audit_head: Some(AuditHead { seq: head.seq as u64, hash: head.hash }),
    };
    let sealed = package::seal(&seal, payload, attachments, out, &Limits::default())?;
    Ok(WrittenCard {
        path: out.display().to_string(),
        package_id: package_id.to_string(),
        file_sha256: sealed.file_sha256,
    })
}

/// Writes this workspace's key card to `out`.
pub fn export_key_card(ws: &mut Workspace, keys: &SecretKeys, out: &Path) -> Result<WrittenCard> {
    let card = key_card(ws)?;
    if card.key_id != keys.key_id() {
        return Err(CoreError::KeyBoxUnreadable { reason: "the unlocked keys are not this identity's".into() });
    }
    let payload = serde_json::to_vec(&card).expect("a key card serialises");
    seal_public(ws, keys, Kind::KeyCard, &payload, out)
}

/// Revokes this workspace's identity: marks it revoked here (audited) and writes the signed revocation
/// card to `out` for the others to import. Its packages are refused by them from then on.
pub fn revoke(ws: &mut Workspace, keys: &SecretKeys, reason: &str, out: &Path) -> Result<WrittenCard> {
    let row = row(ws)?;
    if row.key_id != keys.key_id() {
        return Err(CoreError::KeyBoxUnreadable { reason: "the unlocked keys are not this identity's".into() });
    }
    let revocation = Revocation { key_id: row.key_id.clone(), revoked_at: now(), reason: reason.trim().to_string() };
    let digest = record_sha256(&revocation)
        .map_err(|e| CoreError::Validation { field: "revocation".into(), reason: e.to_string() })?;
    let at = revocation.revoked_at.clone();
    ws.store.write(AuditEvent::new(AuditAction::KeyRevoked, "identity", row.key_id.clone(), digest), |w| {
        w.identity_set_revoked(&at)
    })?;
    let payload = serde_json::to_vec(&revocation).expect("a revocation serialises");
    seal_public(ws, keys, Kind::Revocation, &payload, out)
}

mod hex32 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8; 32], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<[u8; 32], D::Error> {
        let s = String::deserialize(d)?;
        let v = hex::decode(&s).map_err(serde::de::Error::custom)?;
        v.try_into().map_err(|_| serde::de::Error::custom("expected 32 bytes (64 hex characters)"))
    }
}
