//! Restores across separate workspaces exchanging real package files: the restored office and the
//! restored expert hand out numbers past everything the lost machine may have handed out.

use crate::application::{desk, ApplicationId};
use crate::backup;
use crate::identity;
use crate::import::Trust;
use crate::review::expert;
use crate::review::tests::{full_draft, import, issue_all, world, Party};
use crate::score::Grade;
use crate::workspace::Workspace;
use std::path::Path;

/// Opens a restored workspace as a party (the same identity, unlocked with its passphrase).
fn restored(dir: &Path, fp: &str) -> Party {
    let mut ws = Workspace::open(dir).unwrap();
    let keys = identity::unlock(&mut ws, "passphrase!").unwrap();
    Party { ws, keys, fp: fp.to_string() }
}

fn restore(file: &Path, to: &Path) -> backup::Restored {
    backup::restore(file, to, "passphrase!").unwrap()
}

/// The institute submits one more application of the world's call, sealed for the office.
fn submit_another(w: &mut crate::review::tests::World, title: &str, file: &str) -> std::path::PathBuf {
    let mut app = desk::new_demo_draft(&mut w.institute.ws, &w.call.code).unwrap();
    app.id = ApplicationId::new();
    app.title = title.into();
    desk::save_draft(&mut w.institute.ws, &app).unwrap();
    let sub = w.path(file);
    desk::submit(&mut w.institute.ws, &w.institute.keys, &app.id.to_string(), w.call.opens_at, &sub).unwrap();
    sub
}

#[test]
fn a_restored_office_numbers_new_submissions_past_the_backup_and_the_gap() {
    let mut w = world(false);
    let year = w.call.year;
    let file = w.path("office-backup.lxpkg");
    backup::backup(&mut w.office.ws, &w.office.keys, &file).unwrap();
    // Encrypted: no application title or 申报编号 of the office's database is readable in the file.
    let bytes = std::fs::read(&file).unwrap();
    for needle in ["青稞示范项目 0".to_string(), format!("{year}-ZX06-000001")] {
        assert!(!bytes.windows(needle.len()).any(|w| w == needle.as_bytes()), "{needle} readable in the backup");
    }

    // After the backup the (soon lost) office numbers one more submission.
    let lost = submit_another(&mut w, "备份之后收到的申报书", "sub-after.lxpkg");
    import(&mut w.office, &lost, Trust::AskFirst).unwrap();
    assert_eq!(crate::application::desk::received(&mut w.office.ws).unwrap().len(), 4);
    assert!(crate::application::desk::received(&mut w.office.ws)
        .unwrap()
        .iter()
        .any(|r| r.number == format!("{year}-ZX06-000004")));

    let to = w.path("office-restored");
    let r = restore(&file, &to);
    let moved = r.counters.iter().find(|c| c.counter == format!("submission_number:{year}-ZX06-")).unwrap();
    assert_eq!((moved.recorded, moved.floor), (3, 2000), "{:?}", r.counters);
    assert!(r.counters.iter().any(|c| c.counter == "expert_number" && c.recorded == 3 && c.floor == 2000));
    assert!(r.counters.iter().any(|c| c.counter == "*" && c.floor == 2000));
    let mut office = restored(&to, &w.office.fp);

    // A new submission, and the one the lost office had numbered 000004: neither reuses a number the
    // lost machine may have given.
    let next = submit_another(&mut w, "恢复之后的新申报书", "sub-new.lxpkg");
    import(&mut office, &next, Trust::AskFirst).unwrap();
    import(&mut office, &lost, Trust::AskFirst).unwrap();
    let mut numbers: Vec<String> =
        crate::application::desk::received(&mut office.ws).unwrap().into_iter().map(|r| r.number).collect();
    numbers.sort();
    let expected: Vec<String> =
        ["000001", "000002", "000003", "002001", "002002"].iter().map(|n| format!("{year}-ZX06-{n}")).collect();
    assert_eq!(numbers, expected);

    // The restore event records the rule and each counter's recorded value and new floor.
    let events = office.ws.store.read(|r| r.audit_events()).unwrap();
    let restore_event = events.iter().rev().find(|e| e.action == "restore").expect("a restore event");
    let detail: serde_json::Value = serde_json::from_str(restore_event.detail.as_deref().unwrap()).unwrap();
    assert!(detail["counter_rule"].as_str().unwrap().contains("1000"), "{detail}");
    assert!(detail["counters"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["counter"] == "expert_number" && c["floor"] == 2000));
    assert!(crate::audit::verify(&mut office.ws, |_| None).unwrap().is_intact());
}

#[test]
fn an_expert_restored_from_an_older_backup_writes_a_return_the_office_accepts() {
    let mut w = world(false);
    let packets = issue_all(&mut w, "packets");
    let p = packets[0].clone();
    let office_fp = w.office.fp.clone();
    let file = w.path("expert-backup.lxpkg");
    let e = w.expert(&p.expert_number);
    import(e, Path::new(&p.path), Trust::Fingerprint(office_fp)).unwrap();
    let form = expert::held(&mut e.ws, &p.packet_id).unwrap().payload.form.clone();
    for n in &p.items {
        expert::save_draft(&mut e.ws, &p.packet_id, n, &full_draft(&form, 0.8, Grade::A)).unwrap();
        expert::seal(&mut e.ws, &p.packet_id, n).unwrap();
    }
    let expert_fp = e.fp.clone();
    backup::backup(&mut e.ws, &e.keys, &file).unwrap();

    // After the backup the laptop sent its return; the office holds it. Then the laptop is lost.
    let first = w.path("return-1.lxpkg");
    let e = w.expert(&p.expert_number);
    assert_eq!(expert::write_return(&mut e.ws, &e.keys, &p.packet_id, &first).unwrap().seq, 1);
    import(&mut w.office, &first, Trust::AskFirst).unwrap();

    let to = w.path("expert-restored");
    restore(&file, &to);
    let mut back = restored(&to, &expert_fp);
    let again = w.path("return-again.lxpkg");
    let written = expert::write_return(&mut back.ws, &back.keys, &p.packet_id, &again).unwrap();
    assert_eq!(written.seq, 2001, "the restore epoch: past anything the office could have seen");
    let out = import(&mut w.office, &again, Trust::AskFirst).unwrap();
    assert!(matches!(out, crate::import::ImportOutcome::Imported { .. }), "{out:?}");
    let held = w.office.ws.store.read(|r| r.review_return_latest_seq(&p.packet_id)).unwrap();
    assert_eq!(held, 2001);
}
