//! The window's override of the 挂帅 choice over a real round: three applications to the demo bounty
//! call (ZX08), scored by experts on their own laptops; the call's revision 2 tightens a locked core
//! indicator so that the best-scored item falls below it. The automatic choice is the best item that
//! passes; the office may pick the other eligible item with a reason (recorded on the list, in the
//! audit chain and in the exported list), never the item below the core indicator.

use super::super::expert;
use super::super::office;
use super::super::tests::{full_draft, import, issue_all, world_full};
use super::*;
use crate::application::Quantity;
use crate::call::desk as calls;
use crate::import::Trust;
use crate::score::Grade;
use std::path::Path;

fn promise(app: &mut crate::application::Application, core: &str, value: &str) {
    app.indicators.iter_mut().find(|i| i.core_indicator.as_deref() == Some(core)).unwrap().target =
        Quantity::parse(value).unwrap();
}

#[test]
fn the_office_picks_another_eligible_team_with_a_reason_and_never_one_below_a_core_indicator() {
    let bounty = crate::call::demo_calls().unwrap().into_iter().find(|c| c.programme == "ZX08").unwrap();
    // I3 (energy use, ≤ 1.8): the first application promises exactly 1.8, the others 1.5.
    let mut w = world_full(
        |c| {
            *c = bounty.clone();
            c.status = crate::call::CallStatus::Draft;
        },
        |i, app| {
            if i > 0 {
                promise(app, "I3", "1.5");
            }
        },
    );
    let code = w.call.code.clone();
    // Scores: item 0 best, then item 2, then item 1.
    let share = |n: &str, numbers: &[String]| match numbers.iter().position(|x| x == n).unwrap() {
        0 => 0.9,
        1 => 0.6,
        _ => 0.75,
    };
    let packets = issue_all(&mut w, "packets");
    let numbers = w.numbers.clone();
    for (k, p) in packets.iter().enumerate() {
        let ret = w.path(&format!("ret-{k}.lxpkg"));
        let ofp = w.office.fp.clone();
        let e = w.expert(&p.expert_number);
        import(e, Path::new(&p.path), Trust::Fingerprint(ofp)).unwrap();
        let form = expert::held(&mut e.ws, &p.packet_id).unwrap().payload.form;
        for n in &p.items {
            expert::save_draft(&mut e.ws, &p.packet_id, n, &full_draft(&form, share(n, &numbers), Grade::B)).unwrap();
            expert::seal(&mut e.ws, &p.packet_id, n).unwrap();
        }
        expert::write_return(&mut e.ws, &e.keys, &p.packet_id, &ret).unwrap();
        import(&mut w.office, &ret, Trust::AskFirst).unwrap();
    }
    assert_eq!(office::round_sheets(&mut w.office.ws, &code, 1).unwrap().len(), 6);

    // Before revision 2 every item passes: the best-scored is the automatic choice.
    let before = choice(&mut w.office.ws, &code, Method::Mean).unwrap().unwrap();
    assert_eq!(before.automatic, vec![numbers[0].clone()]);
    assert!(before.selected.is_empty() && !before.overridden);

    // Revision 2 tightens I3 to ≤ 1.6: item 0 (1.8) is out, and the automatic choice moves to item 2.
    let mut rev = calls::revise(&mut w.office.ws, &code).unwrap();
    rev.core_indicators.iter_mut().find(|c| c.code == "I3").unwrap().target = 1.6;
    calls::save_draft(&mut w.office.ws, &rev).unwrap();
    calls::publish(&mut w.office.ws, &code, w.call.opens_at).unwrap();
    let c = choice(&mut w.office.ws, &code, Method::Mean).unwrap().unwrap();
    assert_eq!((c.seats, c.round), (1, 1));
    assert_eq!(c.automatic, vec![numbers[2].clone()]);
    let out = c.teams.iter().find(|t| t.number == numbers[0]).unwrap();
    assert!(!out.eligible && out.rank == 1);
    assert!(out.misses[0].zh.contains("I3"), "{:?}", out.misses);
    assert!(c.teams.iter().filter(|t| t.number != numbers[0]).all(|t| t.eligible && t.misses.is_empty()));

    let at = crate::calendar::Moment::parse("2027-06-01T09:00:00+08:00").unwrap();
    let pick = |w: &mut super::super::tests::World, n: &str, reason: &str| {
        override_selection(&mut w.office.ws, &code, Method::Mean, &[n.to_string()], reason, at)
    };
    // Never a team below a core indicator, whatever the reason; never without a reason.
    let err = pick(&mut w, &numbers[0], "评分最高").unwrap_err();
    assert_eq!(err.code(), "challenge.item_out", "{err}");
    let err = pick(&mut w, &numbers[1], "  ").unwrap_err();
    assert_eq!(err.code(), "challenge.reason_needed", "{err}");
    let err = override_selection(&mut w.office.ws, &code, Method::Mean, &[], "理由", at).unwrap_err();
    assert_eq!(err.code(), "challenge.choose_needed", "{err}");
    assert!(choice(&mut w.office.ws, &code, Method::Mean).unwrap().unwrap().selected.is_empty(), "nothing written");

    // The other eligible team, with the reason: recorded, shown, in the audit chain.
    let reason = "发榜方现场核验后认为该团队工程化条件更成熟";
    let c = pick(&mut w, &numbers[1], reason).unwrap();
    assert_eq!(c.selected, vec![numbers[1].clone()]);
    assert_eq!(c.automatic, vec![numbers[2].clone()]);
    assert!(c.overridden);
    assert_eq!(c.reason.as_deref(), Some(reason));
    let t = c.teams.iter().find(|t| t.number == numbers[1]).unwrap();
    assert!(t.selected && !t.automatic);
    let events = w.office.ws.store.read(|r| r.audit_events()).unwrap();
    let last = events.iter().rev().find(|e| e.record_id.ends_with("#1") && e.action == "decision").unwrap();
    let detail: serde_json::Value = serde_json::from_str(last.detail.as_deref().unwrap()).unwrap();
    assert_eq!((detail["overridden"].as_bool(), detail["reason"].as_str()), (Some(true), Some(reason)));

    // The recommendation list (what the 公示 and the exported list read): the line names the reason, the
    // displaced automatic choice says why it is not on the list.
    let list = crate::report::decisions::decision_list(&mut w.office.ws, &code, 1).unwrap();
    let line = list.items.iter().find(|i| i.number == numbers[1]).unwrap();
    assert_eq!(line.reason.as_deref(), Some(reason));
    let displaced = list.dropped.iter().find(|d| d.number == numbers[2]).unwrap();
    assert!(displaced.reason.contains("项目办改选") && displaced.reason.contains(reason), "{}", displaced.reason);
    let book = crate::report::decisions::recommendation_xlsx(&list, "2027-06-01T09:00:00Z").unwrap();
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(book)).unwrap();
    let cells: Vec<String> = book
        .worksheets()
        .into_iter()
        .flat_map(|(_, r)| r.cells().map(|(_, _, d)| d.to_string()).collect::<Vec<_>>())
        .collect();
    assert!(cells.iter().any(|c| c == reason), "the reason is in the exported list");
    assert!(cells.iter().any(|c| c.contains("项目办改选")), "the displaced choice is explained");

    // Back to the automatic choice: no reason needed, nothing overridden.
    let auto = challenge::select(
        &mut w.office.ws,
        &code,
        1,
        &SelectInput { method: Some(Method::Mean), ..Default::default() },
        at,
    )
    .unwrap();
    assert_eq!(auto.selected[0].number, numbers[2]);
    let c = choice(&mut w.office.ws, &code, Method::Mean).unwrap().unwrap();
    assert!(!c.overridden && c.reason.is_none());
}
