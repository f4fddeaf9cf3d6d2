//! What several CLI test files share: making a workspace speak for the programme office, which alone
//! makes calls (`calldesk.office_only` otherwise), and giving it a call with applications received.

use assert_cmd::Command;
use std::path::Path;

/// `lixiang --data-dir DIR ARGS…` with the office's test passphrase and fast key derivation: its output,
/// which must be a success.
fn run_ok(dir: &Path, args: &[&str]) -> Vec<u8> {
    let out = Command::cargo_bin("lixiang")
        .unwrap()
        .arg("--data-dir")
        .arg(dir)
        .env_remove("LIXIANG_DATA_DIR")
        .env_remove("LIXIANG_LANG")
        .env("LIXIANG_PASSPHRASE", "correct horse battery staple")
        .env("LIXIANG_KDF", "test")
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// Creates the office identity of the workspace at `dir` (test passphrase, fast key derivation).
pub fn init_office(dir: &Path) {
    run_ok(dir, &["init", "--role", "office", "--name", "科技厅"]);
}

/// Creates the ZX06 demo call as a draft on the office's desk at `dir` (`call create --demo`) and puts `n`
/// demo applications of it into the database as received and accepted at formal check, as the package
/// import and the formal check would. The call's code and the first application.
#[allow(dead_code)] // not every test file that shares this module receives applications
pub fn demo_call_with_received(dir: &Path, n: usize) -> (String, lixiang_core::application::Application) {
    use lixiang_store::{AuditAction, AuditEvent, DecisionRow, Store, SubmissionRow};
    let lixiang = |args: &[&str]| run_ok(dir, args);
    let made: serde_json::Value =
        serde_json::from_slice(&lixiang(&["call", "create", "--demo", "ZX06", "--json"])).unwrap();
    let code = made["code"].as_str().unwrap().to_string();
    let call: lixiang_core::call::Call = serde_json::from_slice(&lixiang(&["call", "show", &code])).unwrap();
    let mut store = Store::open(&dir.join("lixiang.db")).unwrap();
    let mut first = None;
    for i in 0..n {
        let mut app = lixiang_core::application::demo_application(&call);
        app.id = lixiang_core::application::ApplicationId::new();
        let bytes = serde_json::to_vec(&app).unwrap();
        let number = format!("2027-ZX06-{:06}", i + 1);
        let sub = SubmissionRow {
            application_id: app.id.to_string(),
            version: 1,
            sha256: lixiang_store::sha256_hex(&bytes),
            bytes,
            call_id: call.id.to_string(),
            programme: "ZX06".into(),
            title: app.title.clone(),
            applicant_name: app.applicant.name.clone(),
            applicant_code: app.applicant.credit_code.clone(),
            sender_key_id: "0000000000000000".into(),
            package_id: format!("p{i}"),
            sealed_at: "2027-01-10T00:00:00Z".into(),
            received_at: "2027-01-11T00:00:00Z".into(),
            number: number.clone(),
        };
        let decision = DecisionRow {
            application_id: app.id.to_string(),
            version: 1,
            seq: 1,
            number: number.clone(),
            decision: "accept".into(),
            reasons: "[]".into(),
            fix_by: None,
            decided_at: "2027-01-20T00:00:00Z".into(),
            package_id: format!("r{i}"),
            sender_key_id: String::new(),
            received_at: String::new(),
        };
        store
            .write(AuditEvent::new(AuditAction::FormalCheck, "application", number, "ab".repeat(32)), |w| {
                w.submission_insert(&sub)?;
                w.formal_decision_insert(&decision)
            })
            .unwrap();
        first.get_or_insert(app);
    }
    (code, first.expect("at least one application"))
}
