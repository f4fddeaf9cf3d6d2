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

#[test]
fn a_signed_agreement_holds_its_team_on_the_selection_until_annulled_and_dates_the_public_notice() {
    let mut w = scored_bounty();
    let code = w.call.code.clone();
    let n = w.numbers.clone();
    let at = Moment::parse("2027-06-01T09:00:00+08:00").unwrap();
    let input = |number: &str, no: &str| AgreementInput {
        number: number.to_string(),
        agreement_no: no.into(),
        signed_on: Date::parse("2027-06-03").unwrap(),
        funding: None,
        file_name: "任务书.pdf".into(),
        file: b"%PDF-1.7\n% signed\n".to_vec(),
    };
    select(&mut w.office.ws, &code, 1, &SelectInput::default(), at).unwrap();
    record_agreement(&mut w.office.ws, &code, &input(&n[0], "RWS-A"), at).unwrap();
    assert_eq!(agreement_events(&mut w), 1);

    // Selecting another team would leave out the one the 发榜方 signed with: refused naming it and its
    // agreement; the selection stays as it was.
    let other =
        SelectInput { choose: vec![n[2].clone()], reason: Some("专家组复议".into()), ..Default::default() };
    let err = select(&mut w.office.ws, &code, 1, &other, at).unwrap_err();
    assert_eq!(err.code(), "challenge.selection_drops_agreement", "{err}");
    assert!(err.to_string().contains(&n[0]) && err.to_string().contains("RWS-A"), "{err}");
    let p = panel(&mut w.office.ws, &code).unwrap().unwrap();
    assert_eq!(p.selected, vec![n[0].clone()]);

    // The 公示 may not start before the agreement was signed (2027-06-03).
    let err =
        decision::start_publicity(&mut w.office.ws, &code, 1, Date::parse("2027-06-02").unwrap(), 7, at).unwrap_err();
    assert_eq!(err.code(), "challenge.publicity_before_agreement", "{err}");
    assert!(err.to_string().contains("2027-06-02") && err.to_string().contains("2027-06-03"), "{err}");

    // Annulling needs a reason and an agreement to annul; nothing is written until both are there.
    let err = annul_agreement(&mut w.office.ws, &code, &n[0], "  ", at).unwrap_err();
    assert!(matches!(err, CoreError::Validation { ref field, .. } if field == "reason"), "{err}");
    let err = annul_agreement(&mut w.office.ws, &code, &n[1], "登记错误", at).unwrap_err();
    assert_eq!(err.code(), "challenge.agreement_none", "{err}");
    assert_eq!(agreements(&mut w.office.ws, &code).unwrap().len(), 1);
    assert_eq!(agreement_events(&mut w), 1);

    // Annulled: the row goes, the audit chain keeps it with the reason; now the other team may be
    // selected, signed with, and announced.
    let gone = annul_agreement(&mut w.office.ws, &code, &n[0], "发榜方与团队协商解除", at).unwrap();
    assert_eq!(gone.agreement_no, "RWS-A");
    assert!(agreements(&mut w.office.ws, &code).unwrap().is_empty());
    let events = w.office.ws.store.read(|r| r.audit_events()).unwrap();
    let last = events.iter().rfind(|e| e.record_kind == "challenge_agreement").unwrap();
    let detail = last.detail.clone().unwrap_or_default();
    assert!(detail.contains("发榜方与团队协商解除") && detail.contains("\"annulled\":true"), "{detail}");
    select(&mut w.office.ws, &code, 1, &other, at).unwrap();
    record_agreement(&mut w.office.ws, &code, &input(&n[2], "RWS-C"), at).unwrap();
    decision::start_publicity(&mut w.office.ws, &code, 1, Date::parse("2027-06-03").unwrap(), 7, at).unwrap();

    // Once the 公示 has started the agreement stands.
    let err = annul_agreement(&mut w.office.ws, &code, &n[2], "迟到的理由", at).unwrap_err();
    assert_eq!(err.code(), "challenge.agreement_frozen", "{err}");
    assert_eq!(agreements(&mut w.office.ws, &code).unwrap().len(), 1);
}
