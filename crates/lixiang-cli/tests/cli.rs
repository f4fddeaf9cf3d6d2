//! Tests of the real `lixiang` binary on temp data directories: exit codes, `--json` documents,
//! and the workspace each command acts on. They assert codes and statuses, never message text.

mod support;

use assert_cmd::Command;
use serde_json::Value;
use std::path::Path;

fn lixiang(data_dir: &Path) -> Command {
    let mut c = Command::cargo_bin("lixiang").unwrap();
    c.arg("--data-dir").arg(data_dir).env_remove("LIXIANG_DATA_DIR").env_remove("LIXIANG_LANG");
    c
}

fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(out)))
}

#[test]
fn init_creates_and_seeds_the_workspace_and_says_where() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("new-ws");
    let out = lixiang(&dir).args(["init", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = json_of(&out.stdout);
    assert_eq!(doc["schema"], "lixiang.init.v1");
    assert_eq!(doc["created"], true);
    assert_eq!(doc["programmes"], 8);
    assert_eq!(doc["targets"], 24);
    assert_eq!(doc["plan_indicators"], 8);
    assert_eq!(Path::new(doc["dir"].as_str().unwrap()), dir);
    assert!(dir.join("lixiang.db").is_file());

    // A second init keeps the workspace and says it already existed.
    let again = json_of(&lixiang(&dir).args(["init", "--json"]).output().unwrap().stdout);
    assert_eq!(again["created"], false);

    // Without --json the sentence names the directory.
    let out = lixiang(&dir).arg("init").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(dir.to_str().unwrap()));
}

#[test]
fn catalog_json_carries_every_target_and_plan_indicator() {
    let tmp = tempfile::tempdir().unwrap();
    let out = lixiang(tmp.path()).args(["catalog", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = json_of(&out.stdout);
    assert_eq!(doc["schema"], "lixiang.catalog.v1");
    let programmes = doc["programmes"].as_array().unwrap();
    assert_eq!(programmes.len(), 8);
    let targets: Vec<&Value> = programmes.iter().flat_map(|p| p["targets"].as_array().unwrap()).collect();
    assert_eq!(targets.len(), 24);
    let zx06 = &programmes[5];
    assert_eq!(zx06["name"], "现代农牧业专项");
    let t1 = &zx06["targets"][0];
    assert_eq!((t1["min"].as_u64(), t1["max"].as_u64(), t1["unit"].as_str()), (Some(10), Some(15), Some("个")));
    assert_eq!(t1["printed"], "10-15个");
    let indicators = doc["plan_indicators"].as_array().unwrap();
    assert_eq!(indicators.len(), 8);
    assert_eq!(indicators[0]["baseline"]["printed"], "4.4亿元");
    assert_eq!(indicators[0]["change"]["unit"], "%");
    assert_eq!(indicators[0]["change"]["kind"], "yearly_average");
    assert_eq!(indicators[4]["baseline"]["year"], 2019);
    assert_eq!(doc["plan_footnotes"].as_array().unwrap().len(), 2);
}

#[test]
fn catalog_prints_a_table_in_chinese_or_english() {
    let tmp = tempfile::tempdir().unwrap();
    let zh = lixiang(tmp.path()).arg("catalog").output().unwrap();
    assert!(zh.status.success());
    let zh = String::from_utf8(zh.stdout).unwrap();
    for code in ["ZX01", "ZX08", "ZX06-T4", "P01", "P08"] {
        assert!(zh.contains(code), "{code} missing from the table");
    }
    let en = lixiang(tmp.path()).args(["--lang", "en", "catalog"]).output().unwrap();
    assert!(en.status.success());
    assert_ne!(zh, String::from_utf8(en.stdout).unwrap(), "--lang en changes the headings");
}

#[test]
fn the_data_dir_comes_from_the_environment_when_not_given() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("from-env");
    let out =
        Command::cargo_bin("lixiang").unwrap().env("LIXIANG_DATA_DIR", &dir).args(["init", "--json"]).output().unwrap();
    assert!(out.status.success());
    assert!(dir.join("lixiang.db").is_file());

    // --data-dir wins over the environment.
    let other = tmp.path().join("from-flag");
    let out = Command::cargo_bin("lixiang")
        .unwrap()
        .env("LIXIANG_DATA_DIR", &dir)
        .arg("--data-dir")
        .arg(&other)
        .arg("init")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(other.join("lixiang.db").is_file());
}

#[test]
fn the_default_workspace_is_under_xdg_data_home() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::cargo_bin("lixiang")
        .unwrap()
        .env_remove("LIXIANG_DATA_DIR")
        .env("XDG_DATA_HOME", tmp.path())
        .args(["init", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(tmp.path().join("lixiang/default/lixiang.db").is_file());
}

#[test]
fn a_database_from_a_newer_version_is_refused_with_exit_4() {
    let tmp = tempfile::tempdir().unwrap();
    make_newer_database(tmp.path());
    let out = lixiang(tmp.path()).args(["catalog", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    let err = json_of(&out.stderr);
    assert_eq!(err["code"], "store.newer_schema");
    assert!(err["message"].as_str().unwrap().len() > 10);
    assert!(out.stdout.is_empty());
}

/// Makes a database whose `user_version` is far ahead, by writing the SQLite header by hand
/// (the CLI crate does not link rusqlite itself): offset 60 holds the user version.
fn make_newer_database(dir: &Path) {
    let out = Command::cargo_bin("lixiang").unwrap().arg("--data-dir").arg(dir).arg("init").output().unwrap();
    assert!(out.status.success());
    let db = dir.join("lixiang.db");
    // The last connection to close checkpoints the WAL into the main file; any leftovers are stale.
    for ext in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("lixiang.db{ext}")));
    }
    let mut bytes = std::fs::read(&db).unwrap();
    bytes[60..64].copy_from_slice(&999u32.to_be_bytes());
    std::fs::write(&db, bytes).unwrap();
}

#[test]
fn usage_errors_exit_2_and_help_is_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    assert_eq!(lixiang(tmp.path()).arg("no-such-command").output().unwrap().status.code(), Some(2));
    assert_eq!(lixiang(tmp.path()).args(["--lang", "fr", "catalog"]).output().unwrap().status.code(), Some(2));
    for args in [vec!["--help"], vec!["init", "--help"], vec!["catalog", "--help"], vec!["audit", "verify", "--help"]] {
        let out = lixiang(tmp.path()).args(&args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(!out.stdout.is_empty());
    }
    assert!(!tmp.path().join("lixiang.db").exists(), "help and usage errors create nothing");
}

#[test]
fn a_data_dir_that_is_a_file_is_refused_with_a_message() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let out = lixiang(&file).args(["catalog", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_of(&out.stderr)["code"], "workspace.io");
}

#[test]
fn rank_orders_a_sheet_file_with_its_sensitivity_table_and_funding_line() {
    let tmp = tempfile::tempdir().unwrap();
    let sheets = tmp.path().join("sheets.csv");
    // Mean: 000002 = 87 (two A), 000001 = 82 (A, B, D), 000003 = 69.75.
    std::fs::write(
        &sheets,
        "item,expert,total,grade\n2027-ZX06-000001,E1,91,A\n2027-ZX06-000001,E2,85,B\n2027-ZX06-000001,E3,70,D\n\
         2027-ZX06-000002,E1,88,A\n2027-ZX06-000002,E2,86,A\n2027-ZX06-000003,E3,60,C\n2027-ZX06-000003,E1,79.5,B\n",
    )
    .unwrap();
    let requests = tmp.path().join("requests.csv");
    std::fs::write(
        &requests,
        "申报编号,申请财政经费（万元）\n2027-ZX06-000001,120\n2027-ZX06-000002,80.5\n2027-ZX06-000003,50\n",
    )
    .unwrap();
    let out = Command::cargo_bin("lixiang")
        .unwrap()
        .args(["rank", "--json", "--budget", "150"])
        .arg("--sheets")
        .arg(&sheets)
        .arg("--requests")
        .arg(&requests)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = json_of(&out.stdout);
    assert_eq!(doc["schema"], "lixiang.rank.v1");
    let order: Vec<&str> = doc["items"].as_array().unwrap().iter().map(|i| i["item"].as_str().unwrap()).collect();
    assert_eq!(order, ["2027-ZX06-000002", "2027-ZX06-000001", "2027-ZX06-000003"]);
    let second = &doc["items"][1];
    assert_eq!(second["mean"], 82.0);
    assert_eq!(second["median"], 85.0);
    assert_eq!(second["grades"]["D"], 1);
    assert_eq!(second["non_consensus"].as_array().unwrap().len(), 2);
    assert_eq!(second["ranks_by_method"]["median"], 2);
    // 150 万元: 000002 (80.5) fits, 000001 (120) does not: the walk stops there.
    assert_eq!(doc["funding"]["funded"], serde_json::json!(["2027-ZX06-000002"]));
    assert_eq!(doc["funding"]["first_unfunded"], "2027-ZX06-000001");
    assert_eq!(doc["funding"]["remaining_fen"], 69_500_000);
}

#[test]
fn rank_refuses_a_sheet_file_with_bad_rows_naming_each() {
    let tmp = tempfile::tempdir().unwrap();
    let sheets = tmp.path().join("bad.csv");
    std::fs::write(&sheets, "item,expert,total,grade\nX,E1,101,A\nX,E2,80,Q\nY,,80,B\n").unwrap();
    let out =
        Command::cargo_bin("lixiang").unwrap().args(["rank", "--json", "--sheets"]).arg(&sheets).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = json_of(&out.stderr);
    assert_eq!(err["code"], "input.file_rejected");
    let at: Vec<(u64, &str)> = err["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["row"].as_u64().unwrap(), p["column"].as_str().unwrap()))
        .collect();
    assert_eq!(at, [(2, "total"), (3, "grade"), (4, "expert")]);
    assert!(out.stdout.is_empty());
}

#[cfg(feature = "pdf")]
#[test]
fn catalog_pdf_writes_the_engines_document_and_says_where() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let file = tmp.path().join("目录.pdf");
    // 2026-05-01 10:00 in Beijing: a fixed creation time makes the file reproducible.
    let epoch = 1_777_600_800;
    let out = lixiang(&ws)
        .args(["catalog", "--json", "--pdf"])
        .arg(&file)
        .env("SOURCE_DATE_EPOCH", epoch.to_string())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = json_of(&out.stdout);
    assert_eq!(doc["schema"], "lixiang.catalog_pdf.v1");
    assert_eq!(Path::new(doc["path"].as_str().unwrap()), file.canonicalize().unwrap());
    let written = std::fs::read(&file).unwrap();
    assert_eq!(doc["bytes"].as_u64(), Some(written.len() as u64));

    // Byte for byte what the engine makes from the same catalog and time: the desktop app calls the
    // same function, so the window and the command print the same document.
    let cat = lixiang_core::catalog::embedded().unwrap();
    let opts =
        lixiang_pdf::RenderOptions { lang: lixiang_core::Lang::Zh, created: lixiang_pdf::Created::from_unix(epoch) };
    let expected = lixiang_pdf::catalog::render(&cat, &opts).unwrap();
    assert_eq!(doc["pages"].as_u64(), Some(expected.pages as u64));
    assert!(written == expected.bytes, "the CLI's PDF differs from the engine's");

    // Without --json the sentence names the file.
    let out = lixiang(&ws).args(["catalog", "--pdf"]).arg(&file).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(file.canonicalize().unwrap().to_str().unwrap()));
}

#[cfg(feature = "pdf")]
#[test]
fn catalog_pdf_into_a_missing_folder_fails_with_a_code() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("no-such-folder").join("catalog.pdf");
    let out = lixiang(&tmp.path().join("ws")).args(["catalog", "--json", "--pdf"]).arg(&file).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = json_of(&out.stderr);
    assert_eq!(err["code"], "file.write_failed");
    assert!(!file.exists());
}

#[cfg(feature = "pdf")]
#[test]
fn application_print_and_call_print_write_the_engines_documents() {
    use lixiang_pdf::application::Part;
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let epoch = "1777600800";
    // The call and the draft in one workspace, to print both: it speaks for the office, which alone makes
    // calls (a draft application needs no role).
    support::init_office(&ws);
    let saved = json_of(&lixiang(&ws).args(["call", "create", "--demo", "ZX06", "--json"]).output().unwrap().stdout);
    let code = saved["code"].as_str().unwrap().to_string();
    let made = json_of(
        &lixiang(&ws).args(["application", "new", "--demo", "--json", "--call", &code]).output().unwrap().stdout,
    );
    let id = made["id"].as_str().unwrap().to_string();

    let (full, pledge, call_file) =
        (tmp.path().join("申报书.pdf"), tmp.path().join("承诺书.pdf"), tmp.path().join("指南.pdf"));
    let out = lixiang(&ws)
        .args(["application", "print", &id, "--json", "--out"])
        .arg(&full)
        .env("SOURCE_DATE_EPOCH", epoch)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = json_of(&out.stdout);
    assert_eq!(doc["schema"], "lixiang.application_pdf.v1");
    assert_eq!(Path::new(doc["path"].as_str().unwrap()), full.canonicalize().unwrap());
    assert!(doc["version"].is_null(), "the draft was printed");
    let out = lixiang(&ws)
        .args(["application", "print", &id, "--pledge-only", "--json", "--out"])
        .arg(&pledge)
        .env("SOURCE_DATE_EPOCH", epoch)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let pledge_doc = json_of(&out.stdout);
    assert!(pledge_doc["pages"].as_u64().unwrap() < doc["pages"].as_u64().unwrap());
    let out = lixiang(&ws)
        .args(["call", "print", &code, "--json", "--out"])
        .arg(&call_file)
        .env("SOURCE_DATE_EPOCH", epoch)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json_of(&out.stdout)["schema"], "lixiang.call_pdf.v1");

    // Byte for byte what the engine makes from the same workspace and time: the desktop calls the same
    // functions.
    let mut w = lixiang_core::Workspace::open(&ws).unwrap();
    let opts = lixiang_pdf::RenderOptions {
        lang: lixiang_core::Lang::Zh,
        created: lixiang_pdf::Created::from_unix(epoch.parse().unwrap()),
    };
    let mut expect = |part| lixiang_pdf::application::application_pdf(&mut w, &id, None, part, &opts).unwrap();
    let (e_full, e_pledge) = (expect(Part::Full), expect(Part::PledgeOnly));
    assert!(std::fs::read(&full).unwrap() == e_full.bytes, "the CLI's 申报书 differs from the engine's");
    assert!(std::fs::read(&pledge).unwrap() == e_pledge.bytes, "the CLI's 承诺书 differs from the engine's");
    let e_call = lixiang_pdf::call::call_pdf(&mut w, &code, &opts).unwrap();
    assert!(std::fs::read(&call_file).unwrap() == e_call.bytes, "the CLI's 指南 differs from the engine's");
    drop(w);

    // No sealed version yet, an unknown application: refused with exit 3 and nothing written.
    let none = tmp.path().join("none.pdf");
    for args in
        [vec!["application", "print", id.as_str(), "--version", "1"], vec!["application", "print", "2027-ZX06-999999"]]
    {
        let out = lixiang(&ws).args(&args).arg("--json").arg("--out").arg(&none).output().unwrap();
        assert_eq!(out.status.code(), Some(3), "{args:?}");
        assert_eq!(json_of(&out.stderr)["code"], "not_found");
    }
    assert!(!none.exists());
}

#[test]
fn audit_verify_on_a_fresh_workspace_is_intact_with_no_events() {
    let tmp = tempfile::tempdir().unwrap();
    let out = lixiang(tmp.path()).args(["audit", "verify", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = json_of(&out.stdout);
    assert_eq!(doc["schema"], "lixiang.audit_verify.v1");
    assert_eq!(doc["intact"], true);
    assert_eq!(doc["events"], 0);
    assert!(doc["first_break"].is_null());
    assert_eq!(doc["warnings"].as_array().unwrap().len(), 0);

    let out = lixiang(tmp.path()).args(["audit", "verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains('0'));
}

#[test]
fn audit_verify_names_the_first_broken_link_of_a_tampered_database_with_exit_4() {
    use lixiang_store::{AuditAction, AuditEvent, Store, StoreError};
    let tmp = tempfile::tempdir().unwrap();
    assert!(lixiang(tmp.path()).arg("init").output().unwrap().status.success());
    let db = tmp.path().join("lixiang.db");
    let mut store = Store::open(&db).unwrap();
    for n in 1..=3 {
        let event = AuditEvent::new(AuditAction::Submit, "application", format!("2027-ZX06-{n:06}"), "ab".repeat(32));
        store.write(event, |_| Ok::<_, StoreError>(())).unwrap();
    }
    drop(store);

    let out = lixiang(tmp.path()).args(["audit", "verify", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = json_of(&out.stdout);
    assert_eq!((doc["intact"].as_bool(), doc["events"].as_i64()), (Some(true), Some(3)));
    assert_eq!(doc["warnings"][0]["kind"], "no_signed_head", "nothing was signed yet: {doc}");

    // Normal SQL cannot change the log; an attacker drops the trigger first.
    let conn = rusqlite::Connection::open(&db).unwrap();
    let sql = "UPDATE audit_event SET record_id = 'forged' WHERE seq = 2";
    assert!(conn.execute(sql, []).unwrap_err().to_string().contains("append-only"));
    conn.execute_batch("DROP TRIGGER audit_event_no_update").unwrap();
    conn.execute(sql, []).unwrap();
    drop(conn);

    let out = lixiang(tmp.path()).args(["audit", "verify", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    let doc = json_of(&out.stdout);
    assert_eq!(doc["intact"], false);
    assert_eq!(doc["events"], 3);
    assert_eq!((doc["first_break"]["seq"].as_i64(), doc["first_break"]["kind"].as_str()), (Some(2), Some("edited")));
    assert!(doc["warnings"].is_array());
    assert_eq!(json_of(&out.stderr)["code"], "audit.chain_broken");

    let out = lixiang(tmp.path()).args(["audit", "verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("第 2 条"), "the message names the event");
    let out = lixiang(tmp.path()).args(["--lang", "en", "audit", "verify"]).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("event 2"));
}

/// `lixiang` on `data_dir` with a passphrase from the environment and cheap Argon2 parameters.
fn with_identity_env(data_dir: &Path) -> Command {
    let mut c = lixiang(data_dir);
    c.env("LIXIANG_PASSPHRASE", "correct horse battery staple").env("LIXIANG_KDF", "test");
    c
}

#[test]
fn init_with_a_role_creates_one_identity_and_key_commands_need_it() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("office");
    // Signing without an identity says so (exit 4).
    let out = with_identity_env(&ws).args(["key", "export", "--out"]).arg(tmp.path().join("k.lxpkg")).output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("identity.none"));

    let out = with_identity_env(&ws).args(["init", "--role", "office", "--name", "科技厅", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = json_of(&out.stdout);
    assert_eq!(doc["role"], "office");
    let recovery = doc["recovery_passphrase"].as_str().unwrap();
    assert_eq!(recovery.split('-').count(), 6);
    // The recovery passphrase is shown once and stored nowhere in clear.
    let db = std::fs::read(ws.join("lixiang.db")).unwrap();
    assert!(!db.windows(recovery.len()).any(|w| w == recovery.as_bytes()));

    let again = with_identity_env(&ws).args(["init", "--role", "office", "--name", "x"]).output().unwrap();
    assert_eq!(again.status.code(), Some(4), "a second identity is refused");
    let shown = json_of(&lixiang(&ws).args(["key", "show", "--json"]).output().unwrap().stdout);
    assert_eq!(shown["key_id"], doc["key_id"]);
    assert_eq!(shown["fingerprint"], doc["fingerprint"]);

    let bad = lixiang(&ws)
        .env("LIXIANG_PASSPHRASE", "not the passphrase")
        .args(["key", "export", "--out"])
        .arg(tmp.path().join("k.lxpkg"))
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(3), "a wrong passphrase is refused");
    assert!(!tmp.path().join("k.lxpkg").exists());
}

#[test]
fn package_import_asks_for_the_fingerprint_first_then_imports_once() {
    let tmp = tempfile::tempdir().unwrap();
    let (office, institute) = (tmp.path().join("office"), tmp.path().join("institute"));
    let card = tmp.path().join("office-key.lxpkg");
    let made = json_of(
        &with_identity_env(&office)
            .args(["init", "--role", "office", "--name", "科技厅", "--json"])
            .output()
            .unwrap()
            .stdout,
    );
    with_identity_env(&institute).args(["init", "--role", "applicant", "--name", "研究所"]).assert().success();
    with_identity_env(&office).args(["key", "export", "--out"]).arg(&card).assert().success();

    let inspected =
        json_of(&lixiang(&institute).args(["package", "inspect", "--json"]).arg(&card).output().unwrap().stdout);
    assert_eq!(inspected["kind"], "key_card");
    assert_eq!(inspected["sender_fingerprint"], made["fingerprint"]);
    assert_eq!(inspected["confidential"], false);

    let unknown = lixiang(&institute).args(["package", "import", "--json"]).arg(&card).output().unwrap();
    assert_eq!(unknown.status.code(), Some(5), "first contact needs a confirmed fingerprint");
    assert_eq!(json_of(&unknown.stderr)["code"], "package.sender_unknown");
    let wrong = lixiang(&institute)
        .args(["package", "import", "--trust-fingerprint", "12345 12345 12345 12345 12345 12345"])
        .arg(&card)
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(3));
    let fp = made["fingerprint"].as_str().unwrap();
    let ok = lixiang(&institute)
        .args(["package", "import", "--json", "--trust-fingerprint", fp])
        .arg(&card)
        .output()
        .unwrap();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    assert_eq!(json_of(&ok.stdout)["results"][0]["outcome"], "imported");
    // A directory works too; the card already imported is reported and nothing is written.
    let dir_import = lixiang(&institute).args(["package", "import", "--json"]).arg(tmp.path()).output().unwrap();
    assert!(dir_import.status.success(), "{}", String::from_utf8_lossy(&dir_import.stderr));
    let doc = json_of(&dir_import.stdout);
    assert_eq!(doc["results"][0]["outcome"], "already_imported");
    assert_eq!(doc["imported"], 0);

    // A damaged copy is refused (exit 3) before anyone is asked to confirm.
    let mut bytes = std::fs::read(&card).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x80;
    let damaged = tmp.path().join("damaged.bin");
    std::fs::write(&damaged, &bytes).unwrap();
    let out = lixiang(&institute).args(["package", "import"]).arg(&damaged).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    lixiang(&institute).args(["audit", "verify"]).assert().success();
}

#[test]
fn backup_and_restore_round_trip_and_restore_refuses_a_non_empty_target() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    with_identity_env(&ws).args(["init", "--role", "expert", "--name", "专家"]).assert().success();
    let file = tmp.path().join("backup.lxpkg");
    let out = with_identity_env(&ws).args(["backup", "--json", "--out"]).arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json_of(&out.stdout)["schema"], "lixiang.backup.v1");
    let inspected = json_of(&lixiang(&ws).args(["package", "inspect", "--json"]).arg(&file).output().unwrap().stdout);
    assert_eq!(inspected["kind"], "backup");

    let to = tmp.path().join("restored");
    // The wrong passphrase: its own code, exit 3, nothing written.
    let wrong = lixiang(&ws)
        .env("LIXIANG_PASSPHRASE", "not the passphrase")
        .args(["restore", "--json"])
        .arg(&file)
        .arg("--to")
        .arg(&to)
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("backup.wrong_passphrase"),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
    assert!(!to.exists());
    let out = with_identity_env(&ws).args(["restore", "--json"]).arg(&file).arg("--to").arg(&to).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(json_of(&out.stdout)["counters"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["counter"] == "*" && c["floor"] == 2000));
    let shown = json_of(&lixiang(&to).args(["key", "show", "--json"]).output().unwrap().stdout);
    assert_eq!(shown["name"], "专家");
    lixiang(&to).args(["audit", "verify"]).assert().success();

    let again = with_identity_env(&ws).args(["restore"]).arg(&file).arg("--to").arg(&to).output().unwrap();
    assert_eq!(again.status.code(), Some(3), "restore never overwrites a workspace");
}

#[test]
fn call_create_publish_export_and_import_by_an_applicant() {
    let tmp = tempfile::tempdir().unwrap();
    let (office, institute) = (tmp.path().join("office"), tmp.path().join("institute"));
    let made = json_of(
        &with_identity_env(&office)
            .args(["init", "--role", "office", "--name", "科技厅", "--json"])
            .output()
            .unwrap()
            .stdout,
    );
    with_identity_env(&institute).args(["init", "--role", "applicant", "--name", "研究所"]).assert().success();
    let saved =
        json_of(&lixiang(&office).args(["call", "create", "--demo", "ZX05", "--json"]).output().unwrap().stdout);
    let code = saved["code"].as_str().unwrap().to_string();
    assert_eq!(saved["published"], false);
    let pkg = tmp.path().join("call.lxpkg");
    let draft_export = with_identity_env(&office).args(["call", "export", &code, "--out"]).arg(&pkg).output().unwrap();
    assert_eq!(draft_export.status.code(), Some(3), "a draft is not exported");
    let published = json_of(&lixiang(&office).args(["call", "publish", &code, "--json"]).output().unwrap().stdout);
    assert_eq!(published["published"], true);
    let again = lixiang(&office).args(["call", "publish", &code]).output().unwrap();
    assert_eq!(again.status.code(), Some(3), "a published call is frozen");
    with_identity_env(&office).args(["call", "export", &code, "--out"]).arg(&pkg).assert().success();

    let fp = made["fingerprint"].as_str().unwrap();
    lixiang(&institute).args(["package", "import", "--trust-fingerprint", fp]).arg(&pkg).assert().success();
    let listed = json_of(&lixiang(&institute).args(["call", "list", "--json"]).output().unwrap().stdout);
    assert_eq!(listed["calls"][0]["code"], code.as_str());
    assert_eq!(listed["calls"][0]["published"], true);
    let shown = json_of(&lixiang(&institute).args(["call", "show", &code]).output().unwrap().stdout);
    assert_eq!(shown["programme"], "ZX05");
    lixiang(&institute).args(["audit", "verify"]).assert().success();
    lixiang(&office).args(["audit", "verify"]).assert().success();
}

/// `call create --demo` makes a call of its own each time, as the window's 从示例新建 does: a fresh id and
/// the first free code, so a second one does not overwrite the first (nor share its id with another
/// office's demo call).
#[test]
fn call_create_demo_twice_makes_two_drafts_with_ids_of_their_own() {
    let tmp = tempfile::tempdir().unwrap();
    let office = tmp.path().join("office");
    with_identity_env(&office).args(["init", "--role", "office", "--name", "科技厅"]).assert().success();
    let create =
        || json_of(&lixiang(&office).args(["call", "create", "--demo", "zx06", "--json"]).output().unwrap().stdout);
    let (first, second) = (create(), create());
    assert_eq!((first["code"].as_str(), second["code"].as_str()), (Some("2027-ZX06-01"), Some("2027-ZX06-02")));
    assert_ne!(first["id"], second["id"]);
    let demo = lixiang_core::call::demo_calls().unwrap().into_iter().find(|c| c.programme == "ZX06").unwrap();
    assert_ne!(first["id"].as_str(), Some(demo.id.to_string().as_str()), "not the shipped demo's id");
    let listed = json_of(&lixiang(&office).args(["call", "list", "--json"]).output().unwrap().stdout);
    assert_eq!(listed["calls"].as_array().unwrap().len(), 2);
    let out = lixiang(&office).args(["call", "create", "--demo", "ZX99", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn an_application_goes_from_the_institute_to_the_office_by_files_only() {
    let tmp = tempfile::tempdir().unwrap();
    let (office, institute) = (tmp.path().join("office"), tmp.path().join("institute"));
    let o = json_of(
        &with_identity_env(&office)
            .args(["init", "--role", "office", "--name", "科技厅", "--json"])
            .output()
            .unwrap()
            .stdout,
    );
    let i = json_of(
        &with_identity_env(&institute)
            .args(["init", "--role", "applicant", "--name", "农牧科学院", "--json"])
            .output()
            .unwrap()
            .stdout,
    );
    let code = json_of(&lixiang(&office).args(["call", "create", "--demo", "ZX06", "--json"]).output().unwrap().stdout)
        ["code"]
        .as_str()
        .unwrap()
        .to_string();
    lixiang(&office).args(["call", "publish", &code]).assert().success();
    let call_pkg = tmp.path().join("call.lxpkg");
    with_identity_env(&office).args(["call", "export", &code, "--out"]).arg(&call_pkg).assert().success();
    lixiang(&institute)
        .args(["package", "import", "--trust-fingerprint", o["fingerprint"].as_str().unwrap()])
        .arg(&call_pkg)
        .assert()
        .success();
    let opens_at = json_of(&lixiang(&institute).args(["call", "show", &code]).output().unwrap().stdout)["opens_at"]
        .as_str()
        .unwrap()
        .to_string();

    let id = json_of(
        &lixiang(&institute).args(["application", "new", "--demo", "--json", "--call", &code]).output().unwrap().stdout,
    )["id"]
        .as_str()
        .unwrap()
        .to_string();
    let checked = lixiang(&institute).args(["application", "validate", "--json", &id]).output().unwrap();
    assert!(checked.status.success(), "{}", String::from_utf8_lossy(&checked.stdout));
    let late = with_identity_env(&institute)
        .args(["application", "submit", &id, "--at", "2099-01-01T00:00:00+08:00", "--out"])
        .arg(tmp.path().join("late.lxpkg"))
        .output()
        .unwrap();
    assert_eq!(late.status.code(), Some(3), "a late submission is refused");
    let sub = tmp.path().join("submission.lxpkg");
    let submitted = json_of(
        &with_identity_env(&institute)
            .args(["application", "submit", &id, "--json", "--at", &opens_at, "--out"])
            .arg(&sub)
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(submitted["version"], 1);

    let first = with_identity_env(&office).args(["package", "import"]).arg(&sub).output().unwrap();
    assert_eq!(first.status.code(), Some(5), "first contact with the institute");
    with_identity_env(&office)
        .args(["package", "import", "--trust-fingerprint", i["fingerprint"].as_str().unwrap()])
        .arg(&sub)
        .assert()
        .success();
    let received = json_of(&lixiang(&office).args(["application", "received", "--json"]).output().unwrap().stdout);
    let got = &received["applications"][0];
    assert!(got["number"].as_str().unwrap().ends_with("-ZX06-000001"));
    assert_eq!(got["sha256"], submitted["sha256"]);
    assert_eq!((got["status"].as_str(), got["late"].as_bool()), (Some("received"), Some(false)));
    // The office's list: a two-character word of the title, pinyin initials (青稞新品种), filters.
    let listed = |args: &[&str]| {
        let out = lixiang(&office).args(["application", "received", "--json"]).args(args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        json_of(&out.stdout)["applications"].as_array().unwrap().len()
    };
    assert_eq!(listed(&["--search", "青稞"]), 1);
    assert_eq!(listed(&["--search", "qkxpz"]), 1);
    assert_eq!(listed(&["--search", "牦牛"]), 0);
    assert_eq!(listed(&["--call", &code, "--status", "received", "--sort", "title", "--desc"]), 1);
    assert_eq!(listed(&["--status", "accepted"]), 0);
    assert_eq!(listed(&["--flag", "late"]), 0);
    let bad = lixiang(&office).args(["application", "received", "--sort", "colour"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2), "an unknown column is a usage error");
    lixiang(&office).args(["audit", "verify"]).assert().success();

    // The formal check: the rule report, then the decision as a result package for the institute.
    let number = got["number"].as_str().unwrap().to_string();
    let report = lixiang(&office).args(["check", &number, "--json", "--at", &opens_at]).output().unwrap();
    assert!(report.status.success(), "{}", String::from_utf8_lossy(&report.stderr));
    let report = json_of(&report.stdout);
    assert_eq!((report["schema"].as_str(), report["errors"].as_u64()), (Some("lixiang.formal_check.v1"), Some(0)));
    assert_eq!(report["limits"][0]["scope"], "leader");
    assert_eq!(report["decidable"], true);
    let result = tmp.path().join("result.lxpkg");
    let no_reason = with_identity_env(&office)
        .args(["check", &number, "--decide", "return", "--fix-by", &opens_at[..10], "--at", &opens_at, "--out"])
        .arg(&result)
        .output()
        .unwrap();
    assert_eq!(no_reason.status.code(), Some(3), "a return needs a reason");
    assert!(!result.exists());
    let decided = with_identity_env(&office)
        .args(["check", &number, "--decide", "return", "--reason", "缺少单位公章", "--fix-by", &opens_at[..10]])
        .args(["--at", &opens_at, "--json", "--out"])
        .arg(&result)
        .output()
        .unwrap();
    assert!(decided.status.success(), "{}", String::from_utf8_lossy(&decided.stderr));
    assert_eq!(json_of(&decided.stdout)["decision"], "return");
    let again = with_identity_env(&office)
        .args(["check", &number, "--decide", "accept", "--json", "--out"])
        .arg(tmp.path().join("again.lxpkg"))
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(4));
    assert_eq!(json_of(&again.stderr)["code"], "formal.already_decided");
    // The recorded result written again: the same bytes as the first copy.
    let resent = tmp.path().join("result-again.lxpkg");
    let r = with_identity_env(&office)
        .args(["check", &number, "--resend", "--json", "--out"])
        .arg(&resent)
        .output()
        .unwrap();
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
    assert_eq!(json_of(&r.stdout)["schema"], "lixiang.result_resent.v1");
    assert_eq!(std::fs::read(&resent).unwrap(), std::fs::read(&result).unwrap());
    let none = with_identity_env(&office)
        .args(["check", "2099-ZX06-999999", "--resend", "--json", "--out"])
        .arg(tmp.path().join("none.lxpkg"))
        .output()
        .unwrap();
    assert_eq!(json_of(&none.stderr)["code"], "not_found");

    // The institute imports the result and sees its 申报编号 and the reason.
    with_identity_env(&institute).args(["package", "import"]).arg(&result).assert().success();
    let status = json_of(&lixiang(&institute).args(["application", "status", &id, "--json"]).output().unwrap().stdout);
    assert_eq!(status["state"], "returned");
    assert_eq!(status["number"].as_str(), Some(number.as_str()));
    assert_eq!(status["result"]["reasons"][0], "缺少单位公章");
    let text = lixiang(&institute).args(["application", "status", &id]).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains(&number) && text.contains("退回修改"), "{text}");

    // Withdrawn before the deadline: no further submission, and the notice tells the office.
    let notice = tmp.path().join("withdrawal.lxpkg");
    let w = with_identity_env(&institute)
        .args(["application", "withdraw", &id, "--reason", "团队调整", "--at", &opens_at, "--json", "--out"])
        .arg(&notice)
        .output()
        .unwrap();
    assert!(w.status.success(), "{}", String::from_utf8_lossy(&w.stderr));
    assert_eq!(json_of(&w.stdout)["notice"]["path"].as_str(), Some(notice.to_str().unwrap()));
    with_identity_env(&office).args(["package", "import"]).arg(&notice).assert().success();
    let listed =
        lixiang(&office).args(["application", "received", "--status", "withdrawn", "--json"]).output().unwrap();
    let listed = json_of(&listed.stdout);
    assert_eq!(listed["applications"][0]["number"].as_str(), Some(number.as_str()), "{listed:#}");
    let late = with_identity_env(&office)
        .args(["check", &number, "--decide", "accept", "--json", "--out"])
        .arg(tmp.path().join("after-withdrawal.lxpkg"))
        .output()
        .unwrap();
    assert_eq!((late.status.code(), json_of(&late.stderr)["code"].as_str()), (Some(4), Some("application.withdrawn")));
    let resubmit = with_identity_env(&institute)
        .args(["application", "submit", &id, "--json", "--at", &opens_at, "--out"])
        .arg(tmp.path().join("again-sub.lxpkg"))
        .output()
        .unwrap();
    assert_eq!(resubmit.status.code(), Some(4));
    assert_eq!(json_of(&resubmit.stderr)["code"], "application.withdrawn");
    for ws in [&office, &institute] {
        lixiang(ws).args(["audit", "verify"]).assert().success();
    }
}

#[test]
fn a_folder_import_goes_on_past_a_refused_file_and_says_so_in_its_exit_status() {
    let tmp = tempfile::tempdir().unwrap();
    let inbox = tmp.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let mut fingerprints = Vec::new();
    for name in ["a", "b"] {
        let ws = tmp.path().join(name);
        let made = json_of(
            &with_identity_env(&ws)
                .args(["init", "--role", "expert", "--name", name, "--json"])
                .output()
                .unwrap()
                .stdout,
        );
        fingerprints.push(made["fingerprint"].as_str().unwrap().to_string());
        with_identity_env(&ws)
            .args(["key", "export", "--out"])
            .arg(inbox.join(format!("{name}.lxpkg")))
            .assert()
            .success();
    }
    let office = tmp.path().join("office");
    with_identity_env(&office).args(["init", "--role", "office", "--name", "科技厅"]).assert().success();

    // The fingerprint confirmed is a's: a is imported, b (another sender) is refused, and the batch goes on.
    let out = lixiang(&office)
        .args(["package", "import", "--json", "--trust-fingerprint", &fingerprints[0]])
        .arg(&inbox)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = json_of(&out.stdout);
    assert_eq!((doc["imported"].as_u64(), doc["refused"].as_u64()), (Some(1), Some(1)));
    let refused: Vec<&Value> =
        doc["results"].as_array().unwrap().iter().filter(|r| r["outcome"] == "refused").collect();
    assert_eq!(refused[0]["code"], "package.fingerprint_mismatch");
    assert!(refused[0]["file"].as_str().unwrap().ends_with("b.lxpkg"));

    // Again without a fingerprint: a is already imported, b needs confirmation — exit 5.
    let out = lixiang(&office).args(["package", "import", "--json"]).arg(&inbox).output().unwrap();
    assert_eq!(out.status.code(), Some(5));
    let doc = json_of(&out.stdout);
    assert_eq!(doc["results"][0]["outcome"], "already_imported");
    assert_eq!(json_of(&out.stderr)["code"], "package.import_incomplete");
}

#[test]
fn key_recover_sets_a_new_passphrase_with_the_recovery_passphrase() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let made = json_of(
        &with_identity_env(&ws).args(["init", "--role", "expert", "--name", "专家", "--json"]).output().unwrap().stdout,
    );
    let recovery = made["recovery_passphrase"].as_str().unwrap().to_lowercase();
    let wrong = lixiang(&ws)
        .env("LIXIANG_RECOVERY", "00000-00000-00000-00000-00000-00000")
        .env("LIXIANG_PASSPHRASE", "a new passphrase")
        .args(["key", "recover"])
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(3), "a wrong recovery passphrase is refused");
    lixiang(&ws)
        .env("LIXIANG_RECOVERY", &recovery)
        .env("LIXIANG_PASSPHRASE", "a new passphrase")
        .env("LIXIANG_KDF", "test")
        .args(["key", "recover"])
        .assert()
        .success();
    let old =
        with_identity_env(&ws).args(["key", "export", "--out"]).arg(tmp.path().join("k1.lxpkg")).output().unwrap();
    assert_eq!(old.status.code(), Some(3), "the old passphrase no longer unlocks");
    lixiang(&ws)
        .env("LIXIANG_PASSPHRASE", "a new passphrase")
        .args(["key", "export", "--out"])
        .arg(tmp.path().join("k2.lxpkg"))
        .assert()
        .success();
}

#[test]
fn key_passphrase_changes_the_passphrase_with_the_current_one() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("ws");
    let made = json_of(
        &with_identity_env(&ws)
            .args(["init", "--role", "office", "--name", "科技厅", "--json"])
            .output()
            .unwrap()
            .stdout,
    );
    let key_id = made["key_id"].as_str().unwrap().to_string();
    let db_before = std::fs::read(ws.join("lixiang.db")).unwrap();
    // A wrong current passphrase is refused (exit 3) and a short new one named; neither writes anything.
    let wrong = lixiang(&ws)
        .env("LIXIANG_PASSPHRASE", "not the passphrase")
        .env("LIXIANG_NEW_PASSPHRASE", "another good passphrase")
        .args(["key", "passphrase", "--json"])
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(3), "{}", String::from_utf8_lossy(&wrong.stderr));
    let short = with_identity_env(&ws)
        .env("LIXIANG_NEW_PASSPHRASE", "short")
        .args(["key", "passphrase", "--json"])
        .output()
        .unwrap();
    assert_ne!(short.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&short.stderr).contains("passphrase"), "the field is named");
    // Without the new passphrase and without a terminal, the variable to set is named.
    let unasked = with_identity_env(&ws).args(["key", "passphrase"]).output().unwrap();
    assert_ne!(unasked.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&unasked.stderr).contains("LIXIANG_NEW_PASSPHRASE"));
    assert_eq!(std::fs::read(ws.join("lixiang.db")).unwrap(), db_before, "nothing written by a refusal");

    let changed = with_identity_env(&ws)
        .env("LIXIANG_NEW_PASSPHRASE", "another good passphrase")
        .args(["key", "passphrase", "--json"])
        .output()
        .unwrap();
    assert!(changed.status.success(), "{}", String::from_utf8_lossy(&changed.stderr));
    assert_eq!(json_of(&changed.stdout)["key_id"], key_id.as_str());
    let old =
        with_identity_env(&ws).args(["key", "export", "--out"]).arg(tmp.path().join("k1.lxpkg")).output().unwrap();
    assert_eq!(old.status.code(), Some(3), "the old passphrase no longer unlocks");
    lixiang(&ws)
        .env("LIXIANG_PASSPHRASE", "another good passphrase")
        .args(["key", "export", "--out"])
        .arg(tmp.path().join("k2.lxpkg"))
        .assert()
        .success();
    // The recovery passphrase shown at init still works after the change.
    lixiang(&ws)
        .env("LIXIANG_RECOVERY", made["recovery_passphrase"].as_str().unwrap())
        .env("LIXIANG_PASSPHRASE", "a third passphrase")
        .env("LIXIANG_KDF", "test")
        .args(["key", "recover"])
        .assert()
        .success();
}

#[test]
fn the_office_benchmarks_run_small_and_report_their_figures() {
    let tmp = tempfile::tempdir().unwrap();
    let bench = |args: &[&str]| {
        let out = lixiang(tmp.path()).arg("bench").args(args).arg("--json").output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        json_of(&out.stdout)
    };
    let v = bench(&["validate", "--runs", "3"]);
    assert_eq!(v["schema"], "lixiang.bench.validate.v1");
    assert!(v["median_ms"].as_f64().unwrap() > 0.0);

    // 60 applications: the 50th copies the 25th's texts, so 查重 flags one pair.
    let l = bench(&["list", "--count", "60", "--runs", "2", "--search", "牦牛"]);
    assert_eq!((l["schema"].as_str(), l["count"].as_u64()), (Some("lixiang.bench.list.v1"), Some(60)));
    let queries = l["queries"].as_array().unwrap();
    assert_eq!(queries.len(), 5);
    assert_eq!(queries[2]["rows"], 2, "the planted pair: {queries:?}");
    assert_eq!(queries[3]["rows"], 60, "the whole list");
    assert_eq!(queries[4]["rows"], 50, "one page");
    assert!(queries.iter().all(|q| q["median_ms"].as_f64().unwrap() > 0.0));

    let i = bench(&["import", "--count", "3", "--size-kb", "64"]);
    assert_eq!((i["schema"].as_str(), i["count"].as_u64()), (Some("lixiang.bench.import.v1"), Some(3)));
    assert!(i["file_bytes"].as_u64().unwrap() > 3 * 50_000);
    assert!(i["import_packages_s"].as_f64().unwrap() > 0.0 && i["ratio"].as_f64().unwrap() > 0.0);
}
