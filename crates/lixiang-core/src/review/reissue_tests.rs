//! The whole trip of a re-issued packet across separate workspaces exchanging real package files: the
//! office assigns (3 items × 2 experts, 2 each), issues the packets, withdraws one pair and re-runs,
//! which moves one item off expert 1 and one off the expert who shared expert 1's kept item; the
//! experts import the newer issue over the older one, or the older after the newer.

use super::super::expert;
use super::super::issue::{self, Recipients};
use super::super::office;
use super::super::sheet::SheetDraft;
use super::super::tests::{full_draft, import, issue_all, world};
use super::super::ItemContent;
use crate::assign::desk::{self as assign, Options};
use crate::assign::edit::{change_pair, PairChange};
use crate::call::desk as calls;
use crate::conflict::ConflictSettings;
use crate::import::{ImportOutcome, Trust};
use crate::score::Grade;
use std::collections::BTreeSet;
use std::path::Path;

fn items_of(ws: &mut crate::workspace::Workspace, code: &str) -> std::collections::BTreeMap<String, Vec<String>> {
    let call = calls::get(ws, code).unwrap();
    issue::current_assignment(ws, &call, 1).unwrap()
}

#[test]
fn a_reissued_packet_replaces_the_older_one_and_an_older_one_is_refused_after_it() {
    let mut w = world(false);
    let code = w.call.code.clone();
    let ofp = w.office.fp.clone();
    let first = issue_all(&mut w, "issue-1");
    assert!(first.iter().all(|p| p.items.len() == 2));
    let before = items_of(&mut w.office.ws, &code);
    let e1 = "ZJ000001".to_string();
    let (x, y) = (before[&e1][0].clone(), before[&e1][1].clone());
    // The expert who shares expert 1's second item (y): after the change it loses one of its items.
    let eb = before.iter().find(|(e, items)| **e != e1 && items.contains(&y)).unwrap().0.clone();
    let ec = before.keys().find(|e| **e != e1 && **e != eb).unwrap().clone();
    let packet_of = |ps: &[issue::IssuedPacket], e: &str| ps.iter().find(|p| p.expert_number == e).unwrap().clone();
    let (p1_e1, p1_eb, p1_ec) = (packet_of(&first, &e1), packet_of(&first, &eb), packet_of(&first, &ec));

    // Expert 1 imports its first packet, seals y and returns it (the office accepts), drafts x.
    import(w.expert(&e1), Path::new(&p1_e1.path), Trust::Fingerprint(ofp.clone())).unwrap();
    let form = expert::held(&mut w.expert(&e1).ws, &p1_e1.packet_id).unwrap().payload.form;
    {
        let e = w.expert(&e1);
        expert::save_draft(&mut e.ws, &p1_e1.packet_id, &y, &full_draft(&form, 0.8, Grade::B)).unwrap();
        expert::seal(&mut e.ws, &p1_e1.packet_id, &y).unwrap();
        expert::save_draft(&mut e.ws, &p1_e1.packet_id, &x, &full_draft(&form, 0.5, Grade::C)).unwrap();
    }
    let r1 = w.path("r1.lxpkg");
    let e = w.expert(&e1);
    expert::write_return(&mut e.ws, &e.keys, &p1_e1.packet_id, &r1).unwrap();
    import(&mut w.office, &r1, Trust::AskFirst).unwrap();
    // Expert b imports its first packet too.
    import(w.expert(&eb), Path::new(&p1_eb.path), Trust::Fingerprint(ofp.clone())).unwrap();

    // The office takes x off expert 1 and re-runs: expert 1 now has y and the third item z.
    let s = ConflictSettings::default();
    change_pair(&mut w.office.ws, &code, 1, &e1, &x, PairChange::Remove, "专家时间冲突", &s).unwrap();
    let run = assign::run(
        &mut w.office.ws,
        &code,
        1,
        &Options { per_item: Some(2), max_load: Some(2), ..Options::default() },
    )
    .unwrap();
    assert!(matches!(run.outcome, crate::assign::Outcome::Assigned(_)), "{:?}", run.outcome);
    let after = items_of(&mut w.office.ws, &code);
    let z = w.numbers.iter().find(|n| **n != x && **n != y).unwrap().clone();
    let want: BTreeSet<String> = [y.clone(), z.clone()].into();
    assert_eq!(after[&e1], want.into_iter().collect::<Vec<_>>());
    let lost_b: Vec<String> = before[&eb].iter().filter(|n| !after[&eb].contains(n)).cloned().collect();
    let kept_b: Vec<String> = before[&eb].iter().filter(|n| after[&eb].contains(n)).cloned().collect();
    assert_eq!((lost_b.len(), kept_b.len()), (1, 1), "{before:?} → {after:?}");
    let second = issue_all(&mut w, "issue-2");
    let (p2_e1, p2_eb, p2_ec) = (packet_of(&second, &e1), packet_of(&second, &eb), packet_of(&second, &ec));

    // Expert b, still on its first packet, seals the item it lost and drafts the one it keeps; its return
    // against the superseded packet is refused for the lost item, and nothing of it is written.
    {
        let e = w.expert(&eb);
        expert::save_draft(&mut e.ws, &p1_eb.packet_id, &lost_b[0], &full_draft(&form, 0.7, Grade::B)).unwrap();
        expert::seal(&mut e.ws, &p1_eb.packet_id, &lost_b[0]).unwrap();
        expert::save_draft(&mut e.ws, &p1_eb.packet_id, &kept_b[0], &full_draft(&form, 0.6, Grade::B)).unwrap();
    }
    let rb = w.path("rb.lxpkg");
    let e = w.expert(&eb);
    expert::write_return(&mut e.ws, &e.keys, &p1_eb.packet_id, &rb).unwrap();
    let err = import(&mut w.office, &rb, Trust::AskFirst).unwrap_err();
    assert_eq!(err.code(), "review.item_no_longer_assigned", "{err}");
    let received = w.office.ws.store.read(|r| r.review_sheets_received_all(&w.call.id.to_string(), 1)).unwrap();
    assert!(!received.iter().any(|s| s.expert_number == eb), "nothing of the refused return is written");

    // The packets carry their issue numbers.
    let p2 = expert::held(&mut w.expert(&e1).ws, &p1_e1.packet_id).unwrap().payload;
    assert_eq!(p2.issue, 1);

    // Expert 1 imports the second issue: x leaves with its draft, y keeps its sealed sheet, z appears.
    let no = w.path("no.lxpkg");
    let out = import(w.expert(&e1), Path::new(&p2_e1.path), Trust::Fingerprint(ofp.clone())).unwrap();
    let ImportOutcome::Imported { summary_en, .. } = &out else { panic!("{out:?}") };
    assert!(summary_en.contains("replaces issue 1"), "{summary_en}");
    let e = w.expert(&e1);
    let listed = expert::packets(&mut e.ws).unwrap();
    assert_eq!(listed.iter().map(|p| p.packet_id.clone()).collect::<Vec<_>>(), vec![p2_e1.packet_id.clone()]);
    let new = expert::held(&mut e.ws, &p2_e1.packet_id).unwrap();
    assert_eq!(new.payload.issue, 2);
    assert_eq!(new.sheets.iter().map(|s| s.number.clone()).collect::<Vec<_>>(), after[&e1]);
    let y_state = expert::sheet_state(&mut e.ws, &p2_e1.packet_id, &y).unwrap();
    assert_eq!(y_state.status, "sealed");
    assert_eq!(expert::sheet_state(&mut e.ws, &p2_e1.packet_id, &z).unwrap().draft, SheetDraft::default());
    let old = expert::held(&mut e.ws, &p1_e1.packet_id).unwrap();
    assert_eq!(old.payload.superseded_by.as_deref(), Some(p2_e1.packet_id.as_str()));
    assert!(old.payload.items.iter().all(|i| matches!(i.content, ItemContent::Removed)), "x's contents left");
    assert!(old.row.contents_removed_at.is_some());
    assert!(!old.sheets.iter().any(|s| s.number == x), "x's draft left with it");
    // The sealed (and returned) sheet of y is never deleted: it stays with the packet it was sealed in.
    assert_eq!(old.sheets.iter().filter(|s| s.sealed.is_some()).count(), 1);
    assert_eq!(old.sheets.iter().find(|s| s.number == y).unwrap().receipt_sha256, y_state.receipt_sha256);
    let err = expert::write_return(&mut e.ws, &e.keys, &p1_e1.packet_id, &no).unwrap_err();
    assert_eq!(err.code(), "review.packet_superseded", "{err}");

    // Expert 1 scores z and returns from the second packet: y (sealed under the first) rides along.
    let r2 = w.path("r2.lxpkg");
    let e = w.expert(&e1);
    expert::save_draft(&mut e.ws, &p2_e1.packet_id, &z, &full_draft(&form, 0.9, Grade::A)).unwrap();
    expert::seal(&mut e.ws, &p2_e1.packet_id, &z).unwrap();
    let written = expert::write_return(&mut e.ws, &e.keys, &p2_e1.packet_id, &r2).unwrap();
    assert_eq!(written.sheets, 2);
    import(&mut w.office, &r2, Trust::AskFirst).unwrap();

    // Expert b imports its second issue: the kept item's draft moved over, the lost item's sealed
    // sheet stays (never deleted) with the superseded packet, which is no longer listed.
    import(w.expert(&eb), Path::new(&p2_eb.path), Trust::Fingerprint(ofp.clone())).unwrap();
    let e = w.expert(&eb);
    let kept = expert::sheet_state(&mut e.ws, &p2_eb.packet_id, &kept_b[0]).unwrap();
    assert_eq!(kept.status, "draft");
    assert_eq!(kept.draft, full_draft(&form, 0.6, Grade::B));
    assert!(expert::sheet_state(&mut e.ws, &p2_eb.packet_id, &lost_b[0]).is_err());
    let old_b = expert::held(&mut e.ws, &p1_eb.packet_id).unwrap();
    assert!(old_b.sheets.iter().any(|s| s.number == lost_b[0] && s.sealed.is_some()));
    assert_eq!(expert::packets(&mut e.ws).unwrap().len(), 1);

    // Expert c gets the second issue first; the first arriving after it is refused, nothing written.
    import(w.expert(&ec), Path::new(&p2_ec.path), Trust::Fingerprint(ofp.clone())).unwrap();
    let err = import(w.expert(&ec), Path::new(&p1_ec.path), Trust::Fingerprint(ofp.clone())).unwrap_err();
    assert_eq!(err.code(), "review.packet_superseded", "{err}");
    let e = w.expert(&ec);
    assert!(e.ws.store.read(|r| r.review_packet_held(&p1_ec.packet_id)).unwrap().is_none());
    assert_eq!(expert::packets(&mut e.ws).unwrap().len(), 1);

    // The office's progress follows the current assignment: expert 1 has both its sheets in.
    let progress = office::progress(&mut w.office.ws, &code, 1).unwrap();
    let p = progress.experts.iter().find(|p| p.expert_number == e1).unwrap();
    assert_eq!((p.assigned, p.sheets, p.outstanding, p.packets), (2, 2, 0, 2));
    // A single re-export names the next issue.
    let out = w.path("issue-3.lxpkg");
    let third = issue::export(
        &mut w.office.ws,
        &w.office.keys,
        &code,
        1,
        &Recipients::Expert { number: e1.clone(), out: out.clone() },
    )
    .unwrap();
    let issue3 = w.office.ws.store.read(|r| r.review_packet_issue_of(&third[0].packet_id)).unwrap();
    assert_eq!(issue3, Some(3));
}

/// A sheet the office already received for an item it then takes off that expert (a late conflict)
/// stops counting as soon as the re-issued packet without the item is recorded: not in the sheets the
/// ranking reads, nor the progress, nor the decisions; it stays held and is listed as set aside with
/// why. Totals are chosen whole (every criterion at its maximum: 100; at half of it: 50), so the mean
/// of the item goes from (100 + 50) / 2 = 75 with both sheets to 50 with the other expert's alone.
#[test]
fn a_sheet_received_for_an_item_taken_off_its_expert_no_longer_counts() {
    let mut w = world(false);
    let code = w.call.code.clone();
    let ofp = w.office.fp.clone();
    let first = issue_all(&mut w, "issue-1");
    let before = items_of(&mut w.office.ws, &code);
    let e1 = "ZJ000001".to_string();
    let x = before[&e1][0].clone();
    let other = before.iter().find(|(e, items)| **e != e1 && items.contains(&x)).unwrap().0.clone();
    let packet_of = |ps: &[issue::IssuedPacket], e: &str| ps.iter().find(|p| p.expert_number == e).unwrap().clone();

    // Both experts on x seal and return it: expert 1 at 100, the other at 50.
    for (e, share, grade) in [(&e1, 1.0, Grade::A), (&other, 0.5, Grade::C)] {
        let p = packet_of(&first, e);
        import(w.expert(e), Path::new(&p.path), Trust::Fingerprint(ofp.clone())).unwrap();
        let ex = w.expert(e);
        let form = expert::held(&mut ex.ws, &p.packet_id).unwrap().payload.form;
        expert::save_draft(&mut ex.ws, &p.packet_id, &x, &full_draft(&form, share, grade)).unwrap();
        expert::seal(&mut ex.ws, &p.packet_id, &x).unwrap();
        let r = w.path(&format!("r-{e}.lxpkg"));
        let ex = w.expert(e);
        expert::write_return(&mut ex.ws, &ex.keys, &p.packet_id, &r).unwrap();
        import(&mut w.office, &r, Trust::AskFirst).unwrap();
    }
    let stats_of_x = |w: &mut super::super::tests::World| {
        let input = office::round_input(&mut w.office.ws, &w.call.code.clone(), 1).unwrap();
        let agg = crate::score::aggregate(&input.sheets, &input.rules);
        let s = agg.items.iter().find(|s| s.item == x).unwrap();
        (s.n, s.mean)
    };
    assert_eq!(stats_of_x(&mut w), (2, 75.0));
    let progress = office::progress(&mut w.office.ws, &code, 1).unwrap();
    assert_eq!(progress.sheets, 2);
    assert!(progress.set_aside.is_empty());

    // The office takes x off expert 1 (a conflict learnt late), re-runs and re-issues.
    let s = ConflictSettings::default();
    change_pair(&mut w.office.ws, &code, 1, &e1, &x, PairChange::Remove, "回避：后来得知的合作关系", &s).unwrap();
    let run = assign::run(
        &mut w.office.ws,
        &code,
        1,
        &Options { per_item: Some(2), max_load: Some(2), ..Options::default() },
    )
    .unwrap();
    assert!(matches!(run.outcome, crate::assign::Outcome::Assigned(_)), "{:?}", run.outcome);
    assert!(!items_of(&mut w.office.ws, &code)[&e1].contains(&x));
    // Until the newer packet is issued, the sheet still counts: the packet is what the expert was asked.
    assert_eq!(stats_of_x(&mut w).0, 2);
    let second = issue_all(&mut w, "issue-2");
    assert!(!packet_of(&second, &e1).items.contains(&x));
    assert!(packet_of(&second, &other).items.contains(&x), "the other expert keeps x");

    // Now it counts nowhere: the ranking's sheets, the aggregation, the progress.
    assert_eq!(stats_of_x(&mut w), (1, 50.0));
    let sheets = office::round_sheets(&mut w.office.ws, &code, 1).unwrap();
    assert!(!sheets.iter().any(|s| s.item == x && s.expert == e1));
    let progress = office::progress(&mut w.office.ws, &code, 1).unwrap();
    assert_eq!(progress.sheets, 1);
    assert_eq!(progress.set_aside.len(), 1);
    let a = &progress.set_aside[0];
    assert_eq!((a.expert_number.as_str(), a.number.as_str(), a.newest_issue), (e1.as_str(), x.as_str(), 2));
    assert_eq!(a.newest_packet_id, packet_of(&second, &e1).packet_id);
    assert_eq!(a.removal_reason.as_deref(), Some("回避：后来得知的合作关系"));
    // It is still held (a sealed sheet never goes), and a repeated return carrying it is still taken.
    let all = w.office.ws.store.read(|r| r.review_sheets_received_all(&w.call.id.to_string(), 1)).unwrap();
    assert_eq!(all.iter().filter(|s| s.number == x).count(), 2);

    // Expert 1 imports the newer packet and returns from it: x's sheet stays behind on the laptop and
    // is still set aside at the office.
    let p2 = packet_of(&second, &e1);
    import(w.expert(&e1), Path::new(&p2.path), Trust::Fingerprint(ofp.clone())).unwrap();
    let r2 = w.path("r2.lxpkg");
    let ex = w.expert(&e1);
    let form = expert::held(&mut ex.ws, &p2.packet_id).unwrap().payload.form;
    let y = p2.items[0].clone();
    expert::save_draft(&mut ex.ws, &p2.packet_id, &y, &full_draft(&form, 0.5, Grade::C)).unwrap();
    expert::seal(&mut ex.ws, &p2.packet_id, &y).unwrap();
    let written = expert::write_return(&mut ex.ws, &ex.keys, &p2.packet_id, &r2).unwrap();
    assert_eq!(written.sheets, 1, "x's sealed sheet stayed with the superseded packet");
    import(&mut w.office, &r2, Trust::AskFirst).unwrap();
    assert_eq!(stats_of_x(&mut w), (1, 50.0));
    assert_eq!(office::progress(&mut w.office.ws, &code, 1).unwrap().set_aside.len(), 1);
}
