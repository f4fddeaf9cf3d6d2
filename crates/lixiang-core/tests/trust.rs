//! Trust between workspaces, through real files: identities, key cards and revocations sealed by one
//! workspace and imported by another; trust on first use; every refusal writes nothing.

use lixiang_core::identity::{self, keybox::KdfParams, Role};
use lixiang_core::import::{self, ImportOutcome, Trust};
use lixiang_core::package::{self, Kind, Limits, PublicKeys, Seal, SecretKeys};
use lixiang_core::{audit, CoreError, Workspace};
use std::path::{Path, PathBuf};

const PASS: &str = "correct horse battery staple";

struct Party {
    _tmp: tempfile::TempDir,
    ws: Workspace,
    keys: SecretKeys,
    fingerprint: String,
    dir: PathBuf,
}

fn party(role: Role, name: &str) -> Party {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let mut ws = Workspace::open(&dir.join("ws")).unwrap();
    let created = identity::create(&mut ws, role, name, PASS, KdfParams::FOR_TESTS).unwrap();
    Party { _tmp: tmp, ws, keys: created.keys, fingerprint: created.info.fingerprint, dir }
}

/// What a refused import must leave unchanged: packages, contacts, audit events.
fn state(ws: &mut Workspace) -> (u64, usize, i64) {
    let events = audit::verify(ws, |_| None).unwrap().events;
    (import::imported_count(ws).unwrap(), import::contacts(ws).unwrap().len(), events)
}

fn key_card(p: &mut Party) -> PathBuf {
    let out = p.dir.join(format!("key-{}.lxpkg", uuid::Uuid::now_v7()));
    identity::export_key_card(&mut p.ws, &p.keys, &out).unwrap();
    out
}

fn import(ws: &mut Workspace, file: &Path, trust: &Trust) -> lixiang_core::Result<ImportOutcome> {
    import::import_file(ws, file, None, trust, &Limits::default())
}

#[test]
fn an_identity_is_created_once_and_unlocked_only_with_its_passphrases() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ws = Workspace::open(tmp.path()).unwrap();
    assert!(identity::info(&mut ws).unwrap().is_none());
    assert!(matches!(identity::unlock(&mut ws, PASS), Err(CoreError::NoIdentity)));
    let created = identity::create(&mut ws, Role::Expert, " 次仁卓玛 ", PASS, KdfParams::FOR_TESTS).unwrap();
    let info = identity::info(&mut ws).unwrap().unwrap();
    assert_eq!(info.name, "次仁卓玛");
    assert_eq!(info.role, Role::Expert);
    assert_eq!(info.key_id, created.keys.key_id());
    assert_eq!(info.key_id.len(), 16);
    let groups: Vec<&str> = info.fingerprint.split(' ').collect();
    assert_eq!(groups.len(), 6);
    assert!(groups.iter().all(|g| g.len() == 5 && g.bytes().all(|b| b.is_ascii_digit())));

    let again = identity::create(&mut ws, Role::Office, "x", PASS, KdfParams::FOR_TESTS);
    assert!(matches!(again, Err(CoreError::IdentityExists { .. })));
    assert_eq!(identity::unlock(&mut ws, PASS).unwrap().key_id(), info.key_id);
    assert!(matches!(identity::unlock(&mut ws, "wrong passphrase"), Err(CoreError::WrongPassphrase)));

    // The recovery passphrase, as retyped by hand (lower case, spaces), sets a new passphrase.
    let typed = created.recovery_passphrase.to_lowercase().replace('-', " ");
    let keys = identity::recover(&mut ws, &typed, "a brand new passphrase", KdfParams::FOR_TESTS).unwrap();
    assert_eq!(keys.key_id(), info.key_id);
    assert!(matches!(identity::unlock(&mut ws, PASS), Err(CoreError::WrongPassphrase)));
    assert_eq!(identity::unlock(&mut ws, "a brand new passphrase").unwrap().key_id(), info.key_id);

    // A change of passphrase needs the current one and a new one of 8 characters; nothing changes
    // when refused. The recovery passphrase still works afterwards.
    let wrong = identity::change_passphrase(&mut ws, "not it at all", "another passphrase", KdfParams::FOR_TESTS);
    assert!(matches!(wrong, Err(CoreError::WrongPassphrase)));
    let short = identity::change_passphrase(&mut ws, "a brand new passphrase", "short", KdfParams::FOR_TESTS);
    assert!(matches!(short, Err(CoreError::Validation { .. })));
    assert!(identity::unlock(&mut ws, "a brand new passphrase").is_ok(), "unchanged after the refusals");
    let keys = identity::change_passphrase(&mut ws, "a brand new passphrase", "拉萨的第三个口令", KdfParams::FOR_TESTS)
        .unwrap();
    assert_eq!(keys.key_id(), info.key_id);
    assert!(matches!(identity::unlock(&mut ws, "a brand new passphrase"), Err(CoreError::WrongPassphrase)));
    assert_eq!(identity::unlock(&mut ws, "拉萨的第三个口令").unwrap().key_id(), info.key_id);
    assert!(identity::recover(&mut ws, &typed, "after the change 1", KdfParams::FOR_TESTS).is_ok());
    // Creating it was audited, and the chain is intact.
    assert!(audit::verify(&mut ws, |_| None).unwrap().is_intact());
}

#[test]
fn a_key_card_is_imported_only_after_its_fingerprint_is_confirmed_and_only_once() {
    let mut office = party(Role::Office, "西藏自治区科学技术厅");
    let mut institute = party(Role::Applicant, "西藏自治区农牧科学院");
    let card = key_card(&mut office);
    let before = state(&mut institute.ws);

    match import(&mut institute.ws, &card, &Trust::AskFirst) {
        Err(CoreError::TrustNeeded { fingerprint, key_id, .. }) => {
            assert_eq!(fingerprint, office.fingerprint);
            assert_eq!(key_id, office.keys.key_id());
        }
        other => panic!("expected TrustNeeded, got {other:?}"),
    }
    assert_eq!(state(&mut institute.ws), before, "nothing written before the person confirms");

    let wrong = Trust::Fingerprint("00000 00000 00000 00000 00000 00000".into());
    assert!(matches!(import(&mut institute.ws, &card, &wrong), Err(CoreError::FingerprintMismatch { .. })));
    assert_eq!(state(&mut institute.ws), before);

    // Digits compared by phone may be typed without the spaces.
    let typed = Trust::Fingerprint(office.fingerprint.replace(' ', ""));
    let first = import(&mut institute.ws, &card, &typed).unwrap();
    assert!(matches!(first, ImportOutcome::Imported { ref kind, .. } if kind == "key_card"));
    let contacts = import::contacts(&mut institute.ws).unwrap();
    assert_eq!(contacts.len(), 1);
    assert_eq!(contacts[0].name.as_deref(), Some("西藏自治区科学技术厅"));
    assert_eq!(contacts[0].trusted_how, "fingerprint");
    let after = state(&mut institute.ws);
    assert_eq!(after, (before.0 + 1, before.1 + 1, before.2 + 1), "one package, one contact, one audit event");

    // The same file again: reported, nothing written.
    let second = import(&mut institute.ws, &card, &Trust::AskFirst).unwrap();
    assert!(matches!(second, ImportOutcome::AlreadyImported { .. }));
    assert_eq!(state(&mut institute.ws), after);
    // A later card from the now-known sender needs no confirmation.
    let newer = key_card(&mut office);
    assert!(matches!(import(&mut institute.ws, &newer, &Trust::AskFirst).unwrap(), ImportOutcome::Imported { .. }));
    assert!(audit::verify(&mut institute.ws, |_| None).unwrap().is_intact());
}

#[test]
fn every_flipped_byte_of_a_key_card_is_refused_and_writes_nothing() {
    let mut office = party(Role::Office, "科技厅");
    let mut expert = party(Role::Expert, "专家");
    let card = key_card(&mut office);
    let bytes = std::fs::read(&card).unwrap();
    assert!(bytes.len() <= 2048, "a small package: {} bytes", bytes.len());
    let before = state(&mut expert.ws);
    let damaged = expert.dir.join("damaged.lxpkg");
    let trust = Trust::Fingerprint(office.fingerprint.clone());
    for i in 0..bytes.len() {
        let mut copy = bytes.clone();
        copy[i] ^= 0x01;
        std::fs::write(&damaged, &copy).unwrap();
        let r = import(&mut expert.ws, &damaged, &trust);
        assert!(r.is_err(), "byte {i} flipped was accepted");
    }
    // Truncated at a sample of lengths.
    for len in (0..bytes.len()).step_by(7) {
        std::fs::write(&damaged, &bytes[..len]).unwrap();
        assert!(import(&mut expert.ws, &damaged, &trust).is_err(), "truncated to {len} bytes was accepted");
    }
    assert_eq!(state(&mut expert.ws), before);
    assert_eq!(std::fs::read_dir(expert.ws.dir().join("blobs").join(".staging")).map(|d| d.count()).unwrap_or(0), 0);
}

/// Seals a public package of `kind` by `keys` with a chosen id and payload (a sender's tool, or a forger).
fn seal_public(keys: &SecretKeys, kind: Kind, id: uuid::Uuid, payload: &[u8], out: &Path) {
    let seal = Seal {
        kind,
        sender: keys,
        recipients: &[],
        confidential: false,
        created_at: "2027-03-01T08:00:00Z".into(),
        package_id: id,
        audit_head: None,
    };
    package::seal(&seal, payload, Vec::new(), out, &Limits::default()).unwrap();
}

#[test]
fn a_reused_package_id_with_other_bytes_is_refused() {
    let mut office = party(Role::Office, "科技厅");
    let mut institute = party(Role::Applicant, "研究所");
    let card = identity::key_card(&mut office.ws).unwrap();
    let id = uuid::Uuid::now_v7();
    let a = office.dir.join("a.lxpkg");
    let b = office.dir.join("b.lxpkg");
    seal_public(&office.keys, Kind::KeyCard, id, &serde_json::to_vec(&card).unwrap(), &a);
    let mut other = card.clone();
    other.name = "科技厅（新名称）".into();
    seal_public(&office.keys, Kind::KeyCard, id, &serde_json::to_vec(&other).unwrap(), &b);
    let trust = Trust::Fingerprint(office.fingerprint.clone());
    import(&mut institute.ws, &a, &trust).unwrap();
    let before = state(&mut institute.ws);
    let err = import(&mut institute.ws, &b, &trust).unwrap_err();
    assert_eq!(err.code(), "package.id_reused");
    assert_eq!(state(&mut institute.ws), before);
}

#[test]
fn a_kind_without_a_handler_and_a_package_for_someone_else_are_refused_with_their_codes() {
    let office = party(Role::Office, "科技厅");
    let mut institute = party(Role::Applicant, "研究所");
    let other = party(Role::Applicant, "另一个研究所");
    let before = state(&mut institute.ws);

    // A backup is restored into a new directory, never imported: it stands here for any kind without a handler.
    let call = office.dir.join("backup.lxpkg");
    seal_public(&office.keys, Kind::Backup, uuid::Uuid::now_v7(), b"{}", &call);
    let err = import(&mut institute.ws, &call, &Trust::Fingerprint(office.fingerprint.clone())).unwrap_err();
    assert_eq!(err.code(), "package.no_handler");

    let result = office.dir.join("result.lxpkg");
    let to: [PublicKeys; 1] = [*other.keys.public()];
    let seal = Seal {
        kind: Kind::Result,
        sender: &office.keys,
        recipients: &to,
        confidential: true,
        created_at: "2027-03-01T08:00:00Z".into(),
        package_id: uuid::Uuid::now_v7(),
        audit_head: None,
    };
    package::seal(&seal, b"{\"decision\":\"accepted\"}", Vec::new(), &result, &Limits::default()).unwrap();
    let err =
        import::import_file(&mut institute.ws, &result, Some(&institute.keys), &Trust::AskFirst, &Limits::default())
            .unwrap_err();
    assert_eq!(err.code(), "package.not_addressed_to_me");
    assert_eq!(state(&mut institute.ws), before);
}

#[test]
fn a_revoked_key_is_refused_afterwards_whatever_order_the_cards_arrive_in() {
    let mut office = party(Role::Office, "科技厅");
    let mut institute = party(Role::Applicant, "研究所");
    let mut late = party(Role::Expert, "后来的专家");
    let card = key_card(&mut office);
    let trust = Trust::Fingerprint(office.fingerprint.clone());
    import(&mut institute.ws, &card, &trust).unwrap();

    let revocation = office.dir.join("revocation.lxpkg");
    identity::revoke(&mut office.ws, &office.keys, "laptop lost", &revocation).unwrap();
    assert!(identity::info(&mut office.ws).unwrap().unwrap().revoked_at.is_some());
    import(&mut institute.ws, &revocation, &Trust::AskFirst).unwrap();
    let contact = &import::contacts(&mut institute.ws).unwrap()[0];
    assert!(contact.revoked_at.is_some());

    // Anything the revoked key signs from then on is refused.
    let next = office.dir.join("next.lxpkg");
    identity::export_key_card(&mut office.ws, &office.keys, &next).unwrap();
    assert_eq!(import(&mut institute.ws, &next, &trust).unwrap_err().code(), "package.sender_revoked");

    // Order-free: the revocation first, then the older key card: the contact is revoked all the same.
    import(&mut late.ws, &revocation, &Trust::AskFirst).unwrap();
    import(&mut late.ws, &card, &trust).unwrap();
    let contact = &import::contacts(&mut late.ws).unwrap()[0];
    assert!(contact.revoked_at.is_some(), "a revocation that came first still holds");
}

#[test]
fn outgoing_cards_sign_the_audit_head_and_verify_checks_the_signature() {
    let mut office = party(Role::Office, "科技厅");
    let card = key_card(&mut office);
    let inspected = package::inspect(&card, &Limits::default()).unwrap();
    let head = inspected.manifest.audit_head.expect("the card carries the signed audit head");
    assert_eq!(head.seq, 1, "the identity's creation is event 1");
    let keys = identity::verifying_keys(&mut office.ws).unwrap();
    let report = audit::verify(&mut office.ws, |id| keys.get(id).copied()).unwrap();
    assert!(report.is_intact());
    assert_eq!(report.seals, 1);
    assert_eq!(report.seals_verified, 1);
}

#[test]
fn only_an_office_workspace_passes_the_office_gate_and_the_refusal_names_the_role_and_the_duty() {
    use identity::OfficeDuty;
    let mut office = party(Role::Office, "科技厅");
    identity::require_office(&mut office.ws, OfficeDuty::Calls).unwrap();
    identity::require_office(&mut office.ws, OfficeDuty::BudgetSchemas).unwrap();
    for role in [Role::Applicant, Role::Expert] {
        let mut p = party(role, "他方");
        for (duty, code) in
            [(OfficeDuty::Calls, "calldesk.office_only"), (OfficeDuty::BudgetSchemas, "budget.office_only")]
        {
            let e = identity::require_office(&mut p.ws, duty).unwrap_err();
            assert!(matches!(e, CoreError::OfficeOnly { role: r, duty: d } if r == role && d == duty), "{e:?}");
            assert_eq!(e.code(), code);
            assert!(e.message(lixiang_core::Lang::Zh).contains(role.label(lixiang_core::Lang::Zh)));
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let mut bare = Workspace::open(&tmp.path().join("ws")).unwrap();
    let e = identity::require_office(&mut bare, OfficeDuty::Calls).unwrap_err();
    assert!(matches!(e, CoreError::NoIdentity), "{e:?}");
}
