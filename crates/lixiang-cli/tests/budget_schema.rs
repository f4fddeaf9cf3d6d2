//! Call packages carry their budget schema, through the real `lixiang` binary across separate workspaces
//! exchanging the real package file: the office adds a schema no applicant's program ships, publishes a
//! call under it and exports it; the institute imports the call and its `application validate` computes
//! the indirect-cost cap from the carried schema. A third workspace holding another content under the same
//! code and version (from a second office's call) refuses the package with `budget.schema_conflict` and
//! writes nothing. Only an office adds schema files or makes calls. Asserts codes, statuses and figures,
//! never message text.

use assert_cmd::Command;
use lixiang_core::application::{demo_application_with, editor};
use lixiang_core::budget::{self, seed::parse_schema};
use lixiang_core::call::Call;
use serde_json::Value;
use std::path::Path;

fn lixiang(data_dir: &Path) -> Command {
    let mut c = Command::cargo_bin("lixiang").unwrap();
    c.arg("--data-dir").arg(data_dir).env_remove("LIXIANG_DATA_DIR").env_remove("LIXIANG_LANG");
    c
}

fn with_identity_env(data_dir: &Path) -> Command {
    let mut c = lixiang(data_dir);
    c.env("LIXIANG_PASSPHRASE", "correct horse battery staple").env("LIXIANG_KDF", "test");
    c
}

fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}

fn ok(out: std::process::Output) -> Value {
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    json_of(&out.stdout)
}

/// Exit status and error code of a refused command run with --json.
fn refused(out: std::process::Output) -> (Option<i32>, String) {
    let code = json_of(&out.stderr)["code"].as_str().unwrap_or_default().to_string();
    (out.status.code(), code)
}

const CENTRAL: &str = include_str!("../../../seeds/budget/central-2021.toml");

/// A schema no program ships: the central rules renamed `pilot-2027` with one flat indirect rate.
fn pilot(rate: u32) -> String {
    let s = CENTRAL.replacen("code = \"central-2021\"", "code = \"pilot-2027\"", 1).replacen(
        "tiers = [\n  { up_to_wan = 500, rate_percent = 30 },\n  { up_to_wan = 1000, rate_percent = 25 },\n  { rate_percent = 20 },\n]",
        &format!("tiers = [\n  {{ rate_percent = {rate} }},\n]"),
        1,
    );
    assert!(s.contains("pilot-2027") && s.contains(&format!("{{ rate_percent = {rate} }}")), "the seed file changed");
    s
}

fn init(dir: &Path, role: &str) -> Value {
    ok(with_identity_env(dir).args(["init", "--role", role, "--name", "单位", "--json"]).output().unwrap())
}

#[test]
fn the_call_package_carries_its_schema_and_the_applicant_caps_by_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (office, institute, other) =
        (tmp.path().join("office"), tmp.path().join("institute"), tmp.path().join("other"));
    let o = init(&office, "office");
    init(&institute, "applicant");
    init(&other, "applicant");
    let fp = o["fingerprint"].as_str().unwrap().to_string();

    // The office adds the pilot schema (5 % flat) and takes the ZX06 demo call onto it.
    let pilot_file = tmp.path().join("pilot-2027.toml");
    std::fs::write(&pilot_file, pilot(5)).unwrap();
    let added = ok(lixiang(&office).args(["budget", "import", "--json"]).arg(&pilot_file).output().unwrap());
    assert_eq!((added["code"].as_str(), added["added"].as_bool()), (Some("pilot-2027"), Some(true)));
    let again = ok(lixiang(&office).args(["budget", "import", "--json"]).arg(&pilot_file).output().unwrap());
    assert_eq!(again["added"], false, "the same file twice is held once");
    assert_eq!(again["sha256"], added["sha256"]);

    let (code, pkg) = publish_under(&office, "pilot-2027", &tmp.path().join("call.lxpkg"), None);

    // The institute's program ships no pilot-2027: the package brings it, stored with the call.
    let before = ok(lixiang(&institute).args(["budget", "list", "--json"]).output().unwrap());
    assert!(before["budget_schemas"].as_array().unwrap().iter().all(|s| s["code"] != "pilot-2027"));
    ok(lixiang(&institute)
        .args(["package", "import", "--json", "--trust-fingerprint", &fp])
        .arg(&pkg)
        .output()
        .unwrap());
    let after = ok(lixiang(&institute).args(["budget", "list", "--json"]).output().unwrap());
    let held = after["budget_schemas"].as_array().unwrap().iter().find(|s| s["code"] == "pilot-2027").cloned();
    let held = held.expect("the carried schema is held after the import");
    assert_eq!(held["sha256"], added["sha256"], "the same content as the office's");
    assert!(held["origin"].get("package").is_some(), "{held}");

    // The demo draft's budget (8 % indirect) is over the pilot's 5 % cap, computed from the carried rules.
    let id =
        ok(lixiang(&institute).args(["application", "new", "--demo", "--json", "--call", &code]).output().unwrap())
            ["id"]
            .as_str()
            .unwrap()
            .to_string();
    let checked = lixiang(&institute).args(["application", "validate", "--json", &id]).output().unwrap();
    assert_eq!(checked.status.code(), Some(3), "over the cap is an error");
    let report = json_of(&checked.stdout);
    let codes: Vec<&str> = report["problems"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"budget.indirect_over_cap"), "{codes:?}");
    assert!(!codes.contains(&"application.budget.schema_unknown"), "{codes:?}");
    assert_eq!(report["budget"]["indirect_over_cap"], true);

    // The expected cap, by the engine, under the pilot rules and under the central ones the call used to name.
    let call: Call =
        serde_json::from_value(ok(lixiang(&institute).args(["call", "show", &code]).output().unwrap())).unwrap();
    let pilot_schema = parse_schema("pilot-2027.toml", &pilot(5)).unwrap();
    let cap_under = |schema: &budget::BudgetSchema| {
        let app = demo_application_with(&call, Some(&pilot_schema));
        let t = budget::totals(schema, &app.budget);
        schema.indirect_cap(t.direct.fiscal, t.equipment_purchase.fiscal, call.budget.pure_theory).wan()
    };
    let central = editor::schema_of(&{
        let mut c = call.clone();
        c.budget.schema.code = "central-2021".into();
        c
    })
    .unwrap();
    assert_eq!(report["budget"]["indirect_cap"], cap_under(&pilot_schema).as_str());
    assert_ne!(cap_under(&pilot_schema), cap_under(central), "the two rules give different caps");

    // A third workspace received another pilot-2027 v1 (6 %), with a call of a second office: the first
    // office's package is refused, nothing written.
    let (second, other_file) = (tmp.path().join("second-office"), tmp.path().join("other-pilot.toml"));
    let fp2 = init(&second, "office")["fingerprint"].as_str().unwrap().to_string();
    std::fs::write(&other_file, pilot(6)).unwrap();
    let own = ok(lixiang(&second).args(["budget", "import", "--json"]).arg(&other_file).output().unwrap());
    assert_ne!(own["sha256"], added["sha256"]);
    let (_, pkg2) = publish_under(&second, "pilot-2027", &tmp.path().join("second-call.lxpkg"), Some("2027-ZX06-02"));
    ok(lixiang(&other).args(["package", "import", "--json", "--trust-fingerprint", &fp2]).arg(&pkg2).output().unwrap());
    let calls_before = ok(lixiang(&other).args(["call", "list", "--json"]).output().unwrap())["calls"].clone();
    let out =
        lixiang(&other).args(["package", "import", "--json", "--trust-fingerprint", &fp]).arg(&pkg).output().unwrap();
    assert_eq!(refused(out), (Some(3), "budget.schema_conflict".to_string()));
    let calls = ok(lixiang(&other).args(["call", "list", "--json"]).output().unwrap());
    assert_eq!(calls["calls"], calls_before, "no call written");
    let schemas = ok(lixiang(&other).args(["budget", "list", "--json"]).output().unwrap());
    let pilots: Vec<&Value> =
        schemas["budget_schemas"].as_array().unwrap().iter().filter(|s| s["code"] == "pilot-2027").collect();
    assert_eq!(pilots.len(), 1);
    assert_eq!(pilots[0]["sha256"], own["sha256"], "the content it held kept");
    // Not even the sender became a contact: the refused import left the workspace as it was.
    let contacts = lixiang(&other).args(["package", "import", "--json"]).arg(&pkg).output().unwrap();
    assert_eq!(refused(contacts).0, Some(5), "the office is still an unknown sender there");
    lixiang(&other).args(["audit", "verify"]).assert().success();
    lixiang(&institute).args(["audit", "verify"]).assert().success();

    // An office adding a conflicting schema by file is refused the same way.
    let out = lixiang(&office).args(["budget", "import", "--json"]).arg(&other_file).output().unwrap();
    assert_eq!(refused(out), (Some(3), "budget.schema_conflict".to_string()));
}

/// The ZX06 demo call, under the held schema `schema`, created, published and exported by `office` to
/// `out` (under the code `recode` when given): its code and the package.
fn publish_under(office: &Path, schema: &str, out: &Path, recode: Option<&str>) -> (String, std::path::PathBuf) {
    let code = ok(lixiang(office).args(["call", "create", "--demo", "ZX06", "--json"]).output().unwrap())["code"]
        .as_str()
        .unwrap()
        .to_string();
    let mut call = ok(lixiang(office).args(["call", "show", &code]).output().unwrap());
    call["budget"]["schema"]["code"] = schema.into();
    // A second office's call has an id of its own (`--demo` makes a fresh one) but, in its own fresh
    // workspace, the same first code: it takes another, so that only the schemas conflict where both land.
    let code = recode.map_or(code, str::to_string);
    call["code"] = code.clone().into();
    let call_file = out.with_extension("json");
    std::fs::write(&call_file, call.to_string()).unwrap();
    ok(lixiang(office).args(["call", "create", "--json", "--from"]).arg(&call_file).output().unwrap());
    ok(lixiang(office).args(["call", "publish", &code, "--json"]).output().unwrap());
    with_identity_env(office).args(["call", "export", &code, "--out"]).arg(out).assert().success();
    (code, out.to_path_buf())
}

#[test]
fn only_the_office_adds_budget_schemas_and_makes_calls() {
    let tmp = tempfile::tempdir().unwrap();
    let (institute, expert, bare) = (tmp.path().join("institute"), tmp.path().join("expert"), tmp.path().join("bare"));
    init(&institute, "applicant");
    init(&expert, "expert");
    let file = tmp.path().join("pilot-2027.toml");
    std::fs::write(&file, pilot(5)).unwrap();
    for dir in [&institute, &expert] {
        let before = ok(lixiang(dir).args(["budget", "list", "--json"]).output().unwrap());
        let out = lixiang(dir).args(["budget", "import", "--json"]).arg(&file).output().unwrap();
        assert_eq!(refused(out), (Some(4), "budget.office_only".to_string()));
        assert_eq!(ok(lixiang(dir).args(["budget", "list", "--json"]).output().unwrap()), before, "nothing added");
        let out = lixiang(dir).args(["call", "create", "--demo", "ZX06", "--json"]).output().unwrap();
        assert_eq!(refused(out), (Some(4), "calldesk.office_only".to_string()));
        let calls = ok(lixiang(dir).args(["call", "list", "--json"]).output().unwrap());
        assert_eq!(calls["calls"].as_array().unwrap().len(), 0, "no call written");
    }
    // A workspace with no identity yet is told to create one first.
    let out = lixiang(&bare).args(["budget", "import", "--json"]).arg(&file).output().unwrap();
    assert_eq!(refused(out).1, "identity.none");
}

#[test]
fn a_call_under_a_schema_not_held_is_not_published() {
    let tmp = tempfile::tempdir().unwrap();
    let office = tmp.path().join("office");
    init(&office, "office");
    let code = ok(lixiang(&office).args(["call", "create", "--demo", "ZX06", "--json"]).output().unwrap())["code"]
        .as_str()
        .unwrap()
        .to_string();
    let mut call = ok(lixiang(&office).args(["call", "show", &code]).output().unwrap());
    call["budget"]["schema"]["code"] = "nowhere-2027".into();
    let call_file = tmp.path().join("call.json");
    std::fs::write(&call_file, call.to_string()).unwrap();
    ok(lixiang(&office).args(["call", "create", "--json", "--from"]).arg(&call_file).output().unwrap());
    let out = lixiang(&office).args(["call", "publish", &code, "--json"]).output().unwrap();
    assert_eq!(refused(out), (Some(3), "call.refused".to_string()));
    let shown = ok(lixiang(&office).args(["call", "show", &code]).output().unwrap());
    assert_eq!(shown["status"]["state"], "draft", "still a draft");
}
