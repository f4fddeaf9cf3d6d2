//! The expert reading an attachment across separate workspaces exchanging real package files: what may
//! be read (the newest packet held, the item in it and not declared a conflict, its contents still
//! there, the attachment listed) and the bytes checked against their hash.

use super::super::expert;
use super::super::issue;
use super::super::tests::{full_draft, import, issue_all, world, World};
use super::read_attachment;
use crate::assign::desk::{self as assign, Options};
use crate::assign::edit::{change_pair, PairChange};
use crate::blobs::BlobStore;
use crate::call::desk as calls;
use crate::conflict::ConflictSettings;
use crate::import::Trust;
use crate::score::Grade;
use crate::CoreError;
use std::path::Path;

/// The expert's packets imported; the first packet and its items.
fn imported(w: &mut World) -> Vec<issue::IssuedPacket> {
    let packets = issue_all(w, "packets");
    let ofp = w.office.fp.clone();
    for p in &packets {
        import(w.expert(&p.expert_number), Path::new(&p.path), Trust::Fingerprint(ofp.clone())).unwrap();
    }
    packets
}

/// The attachments (name, SHA-256) an item of a held packet lists.
fn listed(w: &mut World, expert_number: &str, packet_id: &str, number: &str) -> Vec<(String, String)> {
    let r = super::super::view::item_reading(&mut w.expert(expert_number).ws, packet_id, number).unwrap();
    r.attachments.into_iter().map(|a| (a.name, a.sha256)).collect()
}

/// The refusal's code, after checking that it names the item (and, once the listing is known, the
/// attachment).
fn refused(e: CoreError, number: &str, attachment: Option<&str>) -> &'static str {
    let code = e.code();
    let CoreError::AttachmentUnreadable { number: n, attachment: a, .. } = &e else { panic!("{e:?}") };
    assert_eq!(n, number);
    if let Some(name) = attachment {
        assert_eq!(a, name);
    }
    assert!(e.message(crate::Lang::Zh).contains(number), "{}", e.message(crate::Lang::Zh));
    code
}

#[test]
fn an_attachment_is_read_from_memory_checked_against_its_hash_only_while_its_item_is_held() {
    let mut w = world(false);
    let packets = imported(&mut w);
    let p = packets[0].clone();
    let (x, y) = (p.items[0].clone(), p.items[1].clone());
    let e = p.expert_number.clone();
    let atts = listed(&mut w, &e, &p.packet_id, &x);
    assert!(!atts.is_empty());
    let (name, sha) = atts[0].clone();

    // The happy path: the listed file's bytes, verified, named as the application lists them.
    let got = read_attachment(&mut w.expert(&e).ws, &p.packet_id, &x, &sha).unwrap();
    assert_eq!((got.name.as_str(), got.sha256.as_str()), (name.as_str(), sha.as_str()));
    assert_eq!(lixiang_store::sha256_hex(&got.bytes), sha);
    let blob = BlobStore::new(w.expert(&e).ws.dir()).path_of(&sha);
    assert_eq!(std::fs::read(&blob).unwrap(), got.bytes);

    // A packet not held, an item not in it, an attachment it does not list.
    let err = read_attachment(&mut w.expert(&e).ws, "0190aaaa-0000-7000-8000-000000000000", &x, &sha).unwrap_err();
    assert_eq!(refused(err, &x, None), "reading.packet_not_held");
    let other = w.numbers.iter().find(|n| !p.items.contains(n)).unwrap().clone();
    let err = read_attachment(&mut w.expert(&e).ws, &p.packet_id, &other, &sha).unwrap_err();
    assert_eq!(refused(err, &other, None), "reading.item_not_in_packet");
    let unlisted = lixiang_store::sha256_hex(b"not an attachment of the application");
    let err = read_attachment(&mut w.expert(&e).ws, &p.packet_id, &x, &unlisted).unwrap_err();
    assert_eq!(refused(err, &x, None), "reading.attachment_not_listed");

    // The file gone from the blob store, then damaged: refused, naming the attachment; never shown.
    let aside = blob.with_extension("aside");
    std::fs::rename(&blob, &aside).unwrap();
    let err = read_attachment(&mut w.expert(&e).ws, &p.packet_id, &x, &sha).unwrap_err();
    assert_eq!(refused(err, &x, Some(&name)), "reading.attachment_missing");
    std::fs::write(&blob, b"%PDF-1.4 tampered").unwrap();
    let err = read_attachment(&mut w.expert(&e).ws, &p.packet_id, &x, &sha).unwrap_err();
    assert_eq!(err.kind(), crate::error::ErrorKind::Failure);
    assert_eq!(refused(err, &x, Some(&name)), "reading.attachment_damaged");
    std::fs::rename(&aside, &blob).unwrap();
    assert!(read_attachment(&mut w.expert(&e).ws, &p.packet_id, &x, &sha).is_ok());

    // A conflict declared on y: y left the packet and its attachments are no longer read.
    let y_sha = listed(&mut w, &e, &p.packet_id, &y)[0].1.clone();
    assert!(read_attachment(&mut w.expert(&e).ws, &p.packet_id, &y, &y_sha).is_ok());
    expert::declare_conflict(&mut w.expert(&e).ws, &p.packet_id, &y, "与申报单位有合作关系").unwrap();
    let err = read_attachment(&mut w.expert(&e).ws, &p.packet_id, &y, &y_sha).unwrap_err();
    assert_eq!(refused(err, &y, None), "reading.item_withdrawn");
    // Nor is its text: the reading pane gets the withdrawal, not the application.
    let r = super::super::view::item_reading(&mut w.expert(&e).ws, &p.packet_id, &y).unwrap();
    assert!(r.withdrawn);
    assert!(r.title.is_empty() && r.sections.is_empty() && r.attachments.is_empty() && r.applicant.is_none());
    assert!(!super::super::view::item_reading(&mut w.expert(&e).ws, &p.packet_id, &x).unwrap().withdrawn);

    // x sealed and returned, the contents removed: nothing of them is read any more.
    let ex = w.expert(&e);
    let form = expert::held(&mut ex.ws, &p.packet_id).unwrap().payload.form;
    expert::save_draft(&mut ex.ws, &p.packet_id, &x, &full_draft(&form, 0.8, Grade::B)).unwrap();
    expert::seal(&mut ex.ws, &p.packet_id, &x).unwrap();
    let out = w.path("return.lxpkg");
    let ex = w.expert(&e);
    expert::write_return(&mut ex.ws, &ex.keys, &p.packet_id, &out).unwrap();
    expert::remove_contents(&mut ex.ws, &p.packet_id).unwrap();
    let err = read_attachment(&mut w.expert(&e).ws, &p.packet_id, &x, &sha).unwrap_err();
    assert_eq!(refused(err, &x, None), "reading.contents_removed");
}

#[test]
fn a_blind_round_carries_no_attachment_to_read() {
    let mut w = world(true);
    let packets = imported(&mut w);
    let p = &packets[0];
    let e = p.expert_number.clone();
    let any = lixiang_store::sha256_hex(b"any");
    let err = read_attachment(&mut w.expert(&e).ws, &p.packet_id, &p.items[0], &any).unwrap_err();
    assert_eq!(refused(err, &p.items[0], None), "reading.blind_round");
}

#[test]
fn an_item_taken_off_by_a_reissued_packet_is_no_longer_read_and_a_kept_one_is_read_from_the_newer_packet() {
    let mut w = world(false);
    let code = w.call.code.clone();
    let ofp = w.office.fp.clone();
    let first = issue_all(&mut w, "issue-1");
    let e1 = "ZJ000001".to_string();
    let p1 = first.iter().find(|p| p.expert_number == e1).unwrap().clone();
    import(w.expert(&e1), Path::new(&p1.path), Trust::Fingerprint(ofp.clone())).unwrap();
    let (x, y) = (p1.items[0].clone(), p1.items[1].clone());
    let x_sha = listed(&mut w, &e1, &p1.packet_id, &x)[0].1.clone();
    let y_sha = listed(&mut w, &e1, &p1.packet_id, &y)[0].1.clone();

    // The office takes x off expert 1 and issues again.
    let s = ConflictSettings::default();
    change_pair(&mut w.office.ws, &code, 1, &e1, &x, PairChange::Remove, "专家时间冲突", &s).unwrap();
    let opts = Options { per_item: Some(2), max_load: Some(2), ..Options::default() };
    assign::run(&mut w.office.ws, &code, 1, &opts).unwrap();
    let after = {
        let call = calls::get(&mut w.office.ws, &code).unwrap();
        issue::current_assignment(&mut w.office.ws, &call, 1).unwrap()
    };
    assert!(!after[&e1].contains(&x) && after[&e1].contains(&y), "{after:?}");
    let second = issue_all(&mut w, "issue-2");
    let p2 = second.iter().find(|p| p.expert_number == e1).unwrap().clone();
    import(w.expert(&e1), Path::new(&p2.path), Trust::Fingerprint(ofp)).unwrap();

    let ws = &mut w.expert(&e1).ws;
    let err = read_attachment(ws, &p1.packet_id, &y, &y_sha).unwrap_err();
    assert_eq!(refused(err, &y, None), "reading.packet_superseded");
    let err = read_attachment(ws, &p2.packet_id, &x, &x_sha).unwrap_err();
    assert_eq!(refused(err, &x, None), "reading.item_not_in_packet");
    let got = read_attachment(ws, &p2.packet_id, &y, &y_sha).unwrap();
    assert_eq!(lixiang_store::sha256_hex(&got.bytes), y_sha);
}

/// The world where each application's first attachment is a file of its own (the others are the demo's,
/// the same in every application): returns it with each application's own attachment hash, by number.
/// The own files keep the demo's name: one packet then carries two attachments of the same name with
/// other contents, as real applications do (签字盖章页扫描件.pdf).
fn world_own_files() -> (World, std::collections::BTreeMap<String, String>) {
    let w = super::super::tests::world_files(
        |_| {},
        |i, app, dir| {
            let bytes = format!("%PDF-1.4\n% 申报书 {i} 自己的附件\n%%EOF\n").into_bytes();
            let sha = BlobStore::new(dir).put(&bytes).unwrap();
            app.attachments[0].sha256 = sha;
            app.attachments[0].size = bytes.len() as u64;
        },
    );
    let mut own = std::collections::BTreeMap::new();
    for (i, n) in w.numbers.iter().enumerate() {
        own.insert(
            n.clone(),
            lixiang_store::sha256_hex(format!("%PDF-1.4\n% 申报书 {i} 自己的附件\n%%EOF\n").as_bytes()),
        );
    }
    (w, own)
}

fn has_blob(w: &mut World, expert_number: &str, sha: &str) -> bool {
    BlobStore::new(w.expert(expert_number).ws.dir()).contains(sha)
}

#[test]
fn a_conflict_declared_deletes_the_attachments_no_readable_item_still_lists() {
    let (mut w, own) = world_own_files();
    let packets = imported(&mut w);
    let p = packets[0].clone();
    let e = p.expert_number.clone();
    let (x, y) = (p.items[0].clone(), p.items[1].clone());
    let shared: Vec<String> =
        listed(&mut w, &e, &p.packet_id, &y).into_iter().map(|(_, s)| s).filter(|s| *s != own[&y]).collect();
    assert!(!shared.is_empty());
    assert!(has_blob(&mut w, &e, &own[&x]) && has_blob(&mut w, &e, &own[&y]));

    // y leaves the packet: its own file goes, the files x lists too stay, and x is still read.
    expert::declare_conflict(&mut w.expert(&e).ws, &p.packet_id, &y, "与申报单位有合作关系").unwrap();
    assert!(!has_blob(&mut w, &e, &own[&y]), "the withdrawn item's own attachment is deleted");
    assert!(has_blob(&mut w, &e, &own[&x]));
    assert!(shared.iter().all(|s| has_blob(&mut w, &e, s)), "attachments x lists too stay");
    assert!(read_attachment(&mut w.expert(&e).ws, &p.packet_id, &x, &shared[0]).is_ok());

    // x leaves as well: nothing on this laptop may be read any more, and no attachment is left.
    expert::declare_conflict(&mut w.expert(&e).ws, &p.packet_id, &x, "同一课题组").unwrap();
    assert!(BlobStore::new(w.expert(&e).ws.dir()).list().unwrap().is_empty());
}

#[test]
fn a_reissued_packet_deletes_the_attachments_of_the_items_it_took_off() {
    let (mut w, own) = world_own_files();
    let code = w.call.code.clone();
    let ofp = w.office.fp.clone();
    let first = issue_all(&mut w, "issue-1");
    let e1 = "ZJ000001".to_string();
    let p1 = first.iter().find(|p| p.expert_number == e1).unwrap().clone();
    import(w.expert(&e1), Path::new(&p1.path), Trust::Fingerprint(ofp.clone())).unwrap();
    let (x, y) = (p1.items[0].clone(), p1.items[1].clone());
    let z = w.numbers.iter().find(|n| **n != x && **n != y).unwrap().clone();
    assert!(has_blob(&mut w, &e1, &own[&x]) && !has_blob(&mut w, &e1, &own[&z]));

    let s = ConflictSettings::default();
    change_pair(&mut w.office.ws, &code, 1, &e1, &x, PairChange::Remove, "专家时间冲突", &s).unwrap();
    let opts = Options { per_item: Some(2), max_load: Some(2), ..Options::default() };
    assign::run(&mut w.office.ws, &code, 1, &opts).unwrap();
    let second = issue_all(&mut w, "issue-2");
    let p2 = second.iter().find(|p| p.expert_number == e1).unwrap().clone();
    let held: std::collections::BTreeSet<&String> = p2.items.iter().collect();
    assert_eq!(held, [&y, &z].into_iter().collect(), "x off, z on");
    import(w.expert(&e1), Path::new(&p2.path), Trust::Fingerprint(ofp)).unwrap();

    // x was taken off: its own file left the laptop with it; y (kept) and z (new) are read.
    assert!(!has_blob(&mut w, &e1, &own[&x]), "the attachment of the item taken off is deleted");
    assert!(has_blob(&mut w, &e1, &own[&y]) && has_blob(&mut w, &e1, &own[&z]));
    let ws = &mut w.expert(&e1).ws;
    assert!(read_attachment(ws, &p2.packet_id, &y, &own[&y]).is_ok());
    assert!(read_attachment(ws, &p2.packet_id, &z, &own[&z]).is_ok());
}
