//! What several CLI test files share: making a workspace speak for the programme office, which alone
//! makes calls (`calldesk.office_only` otherwise).

use assert_cmd::Command;
use std::path::Path;

/// Creates the office identity of the workspace at `dir` (test passphrase, fast key derivation).
pub fn init_office(dir: &Path) {
    let out = Command::cargo_bin("lixiang")
        .unwrap()
        .arg("--data-dir")
        .arg(dir)
        .env_remove("LIXIANG_DATA_DIR")
        .env_remove("LIXIANG_LANG")
        .args(["init", "--role", "office", "--name", "科技厅"])
        .env("LIXIANG_PASSPHRASE", "correct horse battery staple")
        .env("LIXIANG_KDF", "test")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}
