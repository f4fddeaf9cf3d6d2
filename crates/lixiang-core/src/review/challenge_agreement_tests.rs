//! The agreement (任务书/协议) with the selected team before the 公示, over a real round: three
//! applications to the demo bounty call (ZX08) scored by experts on their own laptops, the best selected.
//! Every refusal leaves nothing written; the recorded agreement keeps its scan in the blob store, is one
//! audit event, and lets the 公示 start, which was refused naming the team before.

use super::super::decision;
use super::super::expert;
use super::super::tests::{full_draft, import, issue_all, world_full, World};
use super::*;
use crate::import::Trust;
use crate::score::Grade;
use std::path::Path;

fn scored_bounty() -> World {
    let bounty = crate::call::demo_calls().unwrap().into_iter().find(|c| c.programme == "ZX08").unwrap();
    let mut w = world_full(
        |c| {
            *c = bounty.clone();
            c.status = crate::call::CallStatus::Draft;
        },
        |_, _| {},
    );
    let packets = issue_all(&mut w, "packets");
    let numbers = w.numbers.clone();
    for (k, p) in packets.iter().enumerate() {
        let ret = w.path(&format!("ret-{k}.lxpkg"));
        let ofp = w.office.fp.clone();
        let e = w.expert(&p.expert_number);
        import(e, Path::new(&p.path), Trust::Fingerprint(ofp)).unwrap();
        let form = expert::held(&mut e.ws, &p.packet_id).unwrap().payload.form;
        for n in &p.items {
            // Item 0 best, then item 2, then item 1.
            let share = match numbers.iter().position(|x| x == n).unwrap() {
                0 => 0.9,
                1 => 0.6,
                _ => 0.75,
            };
            expert::save_draft(&mut e.ws, &p.packet_id, n, &full_draft(&form, share, Grade::B)).unwrap();
            expert::seal(&mut e.ws, &p.packet_id, n).unwrap();
        }
        expert::write_return(&mut e.ws, &e.keys, &p.packet_id, &ret).unwrap();
        import(&mut w.office, &ret, Trust::AskFirst).unwrap();
    }
    w
}

fn agreement_events(w: &mut World) -> usize {
    let events = w.office.ws.store.read(|r| r.audit_events()).unwrap();
    events.iter().filter(|e| e.record_kind == "challenge_agreement").count()
}

#[test]
fn the_public_notice_waits_for_the_agreement_of_the_selected_team_which_is_checked_and_recorded_once() {
    let mut w = scored_bounty();
    let code = w.call.code.clone();
    let n = w.numbers.clone();
    let at = Moment::parse("2027-06-01T09:00:00+08:00").unwrap();
    let pdf = b"%PDF-1.7\n% signed agreement scan\n".to_vec();
    let input = |number: &str| AgreementInput {
        number: number.to_string(),
        agreement_no: "RWS-2027-ZX08-001".into(),
        signed_on: Date::parse("2027-06-03").unwrap(),
        funding: None,
        file_name: "任务书.pdf".into(),
        file: pdf.clone(),
    };

    // Before the selection there is nothing to sign.
    let err = record_agreement(&mut w.office.ws, &code, &input(&n[0]), at).unwrap_err();
    assert_eq!(err.code(), "challenge.agreement_no_selection", "{err}");

    let sel = select(&mut w.office.ws, &code, 1, &SelectInput::default(), at).unwrap();
    assert_eq!(sel.selected[0].number, n[0]);

    // The 公示 cannot start: the message names the team still without an agreement.
    let starts = Date::parse("2027-06-05").unwrap();
    let err = decision::start_publicity(&mut w.office.ws, &code, 1, starts, 7, at).unwrap_err();
    assert_eq!(err.code(), "challenge.agreement_missing", "{err}");
    assert!(err.to_string().contains(&n[0]), "{err}");
    let p = panel(&mut w.office.ws, &code).unwrap().unwrap();
    assert_eq!(p.agreements_missing, vec![n[0].clone()]);
    assert!(p.agreements.is_empty());
    let fixed = agreed_funding(&calls::get(&mut w.office.ws, &code).unwrap()).unwrap();
    assert_eq!(p.agreement_funding_wan, fixed.wan());

    // Refusals, each with its own code, naming the team; nothing is written.
    let err = record_agreement(&mut w.office.ws, &code, &input(&n[1]), at).unwrap_err();
    assert_eq!(err.code(), "challenge.agreement_not_selected", "{err}");
    assert!(err.to_string().contains(&n[1]) && err.to_string().contains(&n[0]), "{err}");

    let early = AgreementInput { signed_on: Date::parse("2027-05-31").unwrap(), ..input(&n[0]) };
    let err = record_agreement(&mut w.office.ws, &code, &early, at).unwrap_err();
    assert_eq!(err.code(), "challenge.agreement_before_selection", "{err}");
    assert!(err.to_string().contains("2027-05-31") && err.to_string().contains("2027-06-01"), "{err}");

    let none = AgreementInput { file: Vec::new(), ..input(&n[0]) };
    let err = record_agreement(&mut w.office.ws, &code, &none, at).unwrap_err();
    assert_eq!(err.code(), "challenge.agreement_no_file", "{err}");

    let docx =
        AgreementInput { file_name: "任务书.docx".into(), file: b"PK\x03\x04 not a pdf".to_vec(), ..input(&n[0]) };
    let err = record_agreement(&mut w.office.ws, &code, &docx, at).unwrap_err();
    assert_eq!(err.code(), "challenge.agreement_not_pdf", "{err}");
    assert!(err.to_string().contains("任务书.docx"), "{err}");

    let other = Fen::parse_wan("1").unwrap();
    let wrong = AgreementInput { funding: Some(other), ..input(&n[0]) };
    let err = record_agreement(&mut w.office.ws, &code, &wrong, at).unwrap_err();
    assert_eq!(err.code(), "challenge.agreement_funding", "{err}");
    assert!(err.to_string().contains(&other.wan()) && err.to_string().contains(&fixed.wan()), "{err}");
    assert!(agreements(&mut w.office.ws, &code).unwrap().is_empty(), "nothing written");
    assert_eq!(agreement_events(&mut w), 0);

    // Recorded with the call's funding given explicitly: the scan in the blob store, one audit event.
    let recorded = at;
    let a =
        record_agreement(&mut w.office.ws, &code, &AgreementInput { funding: Some(fixed), ..input(&n[0]) }, recorded)
            .unwrap();
    assert_eq!(
        (a.number.as_str(), a.agreement_no.as_str(), a.signed_on.as_str()),
        (n[0].as_str(), "RWS-2027-ZX08-001", "2027-06-03")
    );
    assert_eq!(a.funding_wan, fixed.wan());
    let blob = BlobStore::new(w.office.ws.dir()).path_of(&a.file_sha256);
    assert_eq!(std::fs::read(blob).unwrap(), pdf);
    assert_eq!(agreement_events(&mut w), 1);

    // Once only.
    let err = record_agreement(&mut w.office.ws, &code, &input(&n[0]), at).unwrap_err();
    assert_eq!(err.code(), "challenge.agreement_recorded", "{err}");
    assert!(err.to_string().contains("RWS-2027-ZX08-001"), "{err}");
    assert_eq!(agreement_events(&mut w), 1);

    let p = panel(&mut w.office.ws, &code).unwrap().unwrap();
    assert!(p.agreements_missing.is_empty());
    assert_eq!(p.agreements, vec![a]);
    decision::start_publicity(&mut w.office.ws, &code, 1, starts, 7, at).unwrap();
}
