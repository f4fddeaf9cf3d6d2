//! The budget schema a call package carries, on the receiving side: a package of the older format 1
//! (schema by code only) is imported when the schema is held and refused when not; a carried schema that
//! does not match its hash or is not the one the call names is refused as malformed. Each refusal writes
//! nothing. Packages are sealed here with the crate's own sealing, as an older build would have.

use super::desk::{self, CallPackage, CarriedSchema};
use super::{demo_calls, Call, CallStatus};
use crate::budget::held;
use crate::calendar::Moment;
use crate::identity::{self, keybox::KdfParams, Role};
use crate::import::{self, Trust};
use crate::package::{Kind, Limits, SecretKeys};
use crate::{catalog, CoreError, Workspace};
use std::path::Path;

fn party(dir: &Path, role: Role) -> (Workspace, SecretKeys, String) {
    let mut ws = Workspace::open(dir).unwrap();
    let c = identity::create(&mut ws, role, "x", "passphrase!", KdfParams::FOR_TESTS).unwrap();
    (ws, c.keys, c.info.fingerprint)
}

fn published(schema_code: &str) -> Call {
    let mut call = demo_calls().unwrap().into_iter().find(|c| c.programme == "ZX06").unwrap();
    call.budget.schema.code = schema_code.into();
    call.status = CallStatus::Published { at: Moment::parse("2027-01-10T09:00:00+08:00").unwrap() };
    call
}

fn seal(office: &mut Workspace, keys: &SecretKeys, pkg: &CallPackage, out: &Path) {
    let programme = catalog::get(office).unwrap().programmes.into_iter().find(|p| p.code == "ZX06").unwrap();
    let pkg = CallPackage { programme, ..pkg.clone() };
    identity::seal_public(office, keys, Kind::Call, &serde_json::to_vec(&pkg).unwrap(), out).unwrap();
}

fn pilot() -> crate::budget::BudgetSchema {
    let text = crate::budget::EMBEDDED_SCHEMAS[0].1.replacen("code = \"central-2021\"", "code = \"pilot-2027\"", 1);
    crate::budget::seed::parse_schema("pilot.toml", &text.replacen("rate_percent = 30", "rate_percent = 7", 1)).unwrap()
}

#[test]
fn an_older_package_without_the_schema_imports_only_when_the_schema_is_held() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut office, keys, fp) = party(&tmp.path().join("office"), Role::Office);
    let (mut institute, _, _) = party(&tmp.path().join("institute"), Role::Applicant);
    let trust = Trust::Fingerprint(fp);
    let programme = catalog::get(&mut office).unwrap().programmes.remove(0);

    // Format 1 naming the shipped central schema: held by every build, so imported as before.
    let shipped = published("central-2021");
    let old = CallPackage { format: 1, call: shipped.clone(), programme: programme.clone(), budget_schema: None };
    let file = tmp.path().join("old-central.lxpkg");
    seal(&mut office, &keys, &old, &file);
    import::import_file(&mut institute, &file, None, &trust, &Limits::default()).unwrap();
    assert_eq!(desk::get(&mut institute, &shipped.code).unwrap().budget.schema.code, "central-2021");

    // Format 1 naming a schema the institute does not hold: refused, nothing written.
    let mut other = published("pilot-2027");
    other.id = super::CallId::new();
    other.code = "2027-ZX06-77".into();
    let old = CallPackage { format: 1, call: other.clone(), programme: programme.clone(), budget_schema: None };
    let file = tmp.path().join("old-pilot.lxpkg");
    seal(&mut office, &keys, &old, &file);
    let before = import::imported_count(&mut institute).unwrap();
    let err = import::import_file(&mut institute, &file, None, &Trust::AskFirst, &Limits::default()).unwrap_err();
    assert!(matches!(err, CoreError::BudgetSchemaMissing { .. }), "{err:?}");
    assert_eq!(err.code(), "package.budget_schema_missing");
    assert_eq!(import::imported_count(&mut institute).unwrap(), before);
    assert!(desk::get(&mut institute, &other.code).is_err(), "the call is not stored");

    // The same call with its schema carried (format 2): imported, and the schema held from then on.
    let schema = pilot();
    let carried = CarriedSchema { sha256: held::content_sha256(&schema), schema: schema.clone() };
    let new = CallPackage { format: 2, call: other.clone(), programme, budget_schema: Some(carried.clone()) };
    let file = tmp.path().join("new-pilot.lxpkg");
    seal(&mut office, &keys, &new, &file);
    import::import_file(&mut institute, &file, None, &Trust::AskFirst, &Limits::default()).unwrap();
    let got = held::find(&mut institute, &other.budget.schema).unwrap().unwrap();
    assert_eq!((got.schema, got.sha256), (schema, carried.sha256));
}

#[test]
fn a_carried_schema_off_its_hash_or_not_the_calls_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (mut office, keys, fp) = party(&tmp.path().join("office"), Role::Office);
    let (mut institute, _, _) = party(&tmp.path().join("institute"), Role::Applicant);
    let trust = Trust::Fingerprint(fp);
    let programme = catalog::get(&mut office).unwrap().programmes.remove(0);
    let schema = pilot();

    let mut edited = schema.clone();
    edited.indirect.tiers[0].rate_percent = 99;
    let off_hash = CarriedSchema { sha256: held::content_sha256(&schema), schema: edited };
    // Consistent with its own hash, but not the schema the call names.
    let mut renamed = schema.clone();
    renamed.code = "other-2027".into();
    let other_schema = CarriedSchema { sha256: held::content_sha256(&renamed), schema: renamed };
    for (name, carried) in [("off-hash", off_hash), ("other", other_schema)] {
        let pkg = CallPackage {
            format: 2,
            call: published("pilot-2027"),
            programme: programme.clone(),
            budget_schema: Some(carried),
        };
        let file = tmp.path().join(format!("{name}.lxpkg"));
        seal(&mut office, &keys, &pkg, &file);
        let err = import::import_file(&mut institute, &file, None, &trust, &Limits::default()).unwrap_err();
        assert!(matches!(err, CoreError::Package { .. }), "{name}: {err:?}");
        assert!(held::find(&mut institute, &schema.reference()).unwrap().is_none(), "{name}: nothing held");
        assert!(desk::list(&mut institute).unwrap().is_empty(), "{name}: no call");
    }
}
