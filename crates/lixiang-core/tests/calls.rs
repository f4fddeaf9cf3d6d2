//! Calls between workspaces through real package files: the office publishes and exports a call, an
//! applicant imports it; revisions arrive in any order, an older one after a newer is refused.

use lixiang_core::calendar::Moment;
use lixiang_core::call::{self, desk, CallStatus};
use lixiang_core::identity::{self, keybox::KdfParams, Role};
use lixiang_core::import::{self, ImportOutcome, Trust};
use lixiang_core::package::{Limits, SecretKeys};
use lixiang_core::{CoreError, Workspace};
use std::path::Path;

fn party(dir: &Path, role: Role) -> (Workspace, SecretKeys, String) {
    let mut ws = Workspace::open(dir).unwrap();
    let c = identity::create(&mut ws, role, "x", "passphrase!", KdfParams::FOR_TESTS).unwrap();
    (ws, c.keys, c.info.fingerprint)
}

fn at(s: &str) -> Moment {
    Moment::parse(s).unwrap()
}

#[test]
fn a_published_call_travels_to_applicants_and_revisions_never_go_backwards() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut office, keys, fp) = party(&tmp.path().join("office"), Role::Office);
    let (mut institute, _, _) = party(&tmp.path().join("institute"), Role::Applicant);
    let (mut late, _, _) = party(&tmp.path().join("late"), Role::Applicant);

    let mut demo = call::demo_calls().unwrap().into_iter().find(|c| c.programme == "ZX06").unwrap();
    demo.status = CallStatus::Draft;
    desk::save_draft(&mut office, &demo).unwrap();
    let r1 = tmp.path().join("call-r1.lxpkg");
    // A draft is not exported.
    assert_eq!(desk::export(&mut office, &keys, &demo.code, &r1).unwrap_err().code(), "call.refused");
    desk::publish(&mut office, &demo.code, at("2027-01-10T09:00:00+08:00")).unwrap();
    // Published means frozen.
    assert_eq!(desk::save_draft(&mut office, &demo).unwrap_err().code(), "call.refused");
    desk::export(&mut office, &keys, &demo.code, &r1).unwrap();

    let trust = Trust::Fingerprint(fp.clone());
    let outcome = import::import_file(&mut institute, &r1, None, &trust, &Limits::default()).unwrap();
    assert!(matches!(outcome, ImportOutcome::Imported { ref kind, .. } if kind == "call"));
    let got = desk::get(&mut institute, &demo.code).unwrap();
    assert_eq!(got.revision, 1);
    assert!(got.is_published());
    assert_eq!(got.title, demo.title);
    // The office, confirmed by its fingerprint, is now a contact: its next package needs no confirmation.
    let contacts = import::contacts(&mut institute).unwrap();
    assert_eq!(contacts.len(), 1);
    assert_eq!(contacts[0].trusted_how, "fingerprint");

    // Revision 2: a changed closing time.
    let mut r2_call = desk::revise(&mut office, &demo.code).unwrap();
    r2_call.places += 1;
    r2_call.funding_total =
        lixiang_core::money::Fen::new(r2_call.funding_total.get() + r2_call.funding_per_project.get());
    desk::save_draft(&mut office, &r2_call).unwrap();
    desk::publish(&mut office, &demo.code, at("2027-01-20T09:00:00+08:00")).unwrap();
    let r2 = tmp.path().join("call-r2.lxpkg");
    desk::export(&mut office, &keys, &demo.code, &r2).unwrap();
    import::import_file(&mut institute, &r2, None, &Trust::AskFirst, &Limits::default()).unwrap();
    assert_eq!(desk::get(&mut institute, &demo.code).unwrap().revision, 2);
    assert_eq!(desk::list(&mut institute).unwrap().len(), 1);

    // Another applicant gets revision 2 first; revision 1 afterwards is refused as superseded.
    import::import_file(&mut late, &r2, None, &trust, &Limits::default()).unwrap();
    let before = import::imported_count(&mut late).unwrap();
    let err = import::import_file(&mut late, &r1, None, &trust, &Limits::default()).unwrap_err();
    assert!(matches!(err, CoreError::Superseded { .. }), "{err:?}");
    assert_eq!(err.code(), "package.superseded");
    assert_eq!(import::imported_count(&mut late).unwrap(), before, "nothing written");
    assert_eq!(desk::get(&mut late, &demo.code).unwrap().revision, 2);
}
