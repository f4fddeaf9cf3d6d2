//! The real `lixiang` binary on the expert pool, conflicts and assignment: exit codes and `--json`
//! documents, on xlsx files written here with rust_xlsxwriter. Codes and statuses, never message text.

mod support;

use assert_cmd::Command;
use lixiang_core::application::demo::{synthetic_credit_code, synthetic_id_number};
use lixiang_core::calendar::Date;
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

const HEADERS: [&str; 11] = [
    "姓名",
    "证件类型",
    "证件号码",
    "工作单位",
    "统一社会信用代码",
    "单位类型",
    "职称级别",
    "专家类别",
    "学科代码",
    "关键词",
    "申报关系",
];

fn id(seq: u16) -> String {
    synthetic_id_number("540102", Date::new(1970, 5, 1).unwrap(), seq)
}

/// One row: name, document, unit division, unit type; the rest valid.
fn row(name: &str, seq: u16, division: &str, unit_type: &str) -> Vec<String> {
    vec![
        name.into(),
        "居民身份证".into(),
        id(seq),
        format!("示例单位{seq}（示例）"),
        synthetic_credit_code(&format!("12{division}MB{seq:07}")),
        unit_type.into(),
        "正高".into(),
        "技术".into(),
        "2102030".into(),
        "青稞".into(),
        String::new(),
    ]
}

fn write_xlsx(path: &Path, rows: &[Vec<String>]) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("专家").unwrap();
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, cells) in rows.iter().enumerate() {
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

fn pool_rows() -> Vec<Vec<String>> {
    vec![
        row("曾国藩", 1, "540100", "院所"),
        row("白玛", 2, "510100", "企业"),
        row("单增", 3, "540100", "企业"),
        row("蔡伦", 4, "110100", "高校"),
        row("李娜", 5, "540100", "高校"),
    ]
}

#[test]
fn expert_template_import_and_list() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("office");
    let template = tmp.path().join("模板.xlsx");
    let out = lixiang(&ws).args(["expert", "template", "--json", "--out"]).arg(&template).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json_of(&out.stdout)["schema"], "lixiang.expert_template.v1");
    assert_eq!(&std::fs::read(&template).unwrap()[..2], b"PK", "an xlsx (zip) file");
    // The empty template reads back: no expert in it, which is refused (exit 3).
    let out = lixiang(&ws).args(["expert", "import", "--json"]).arg(&template).output().unwrap();
    assert_eq!(out.status.code(), Some(3));

    // A bad file: three broken rows, each reported; nothing imported even with --confirm.
    let bad = tmp.path().join("bad.xlsx");
    let mut rows = pool_rows();
    rows[1][2] = "540102197005010010".into(); // check digit
    rows[2][6] = "中级".into(); // technical expert below 副高
    rows[4][2] = rows[0][2].clone(); // duplicate of row 2
    write_xlsx(&bad, &rows);
    let out = lixiang(&ws).args(["expert", "import", "--confirm", "--json"]).arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let report = json_of(&out.stdout);
    assert_eq!(report["report"]["status"], "rejected");
    let bad_rows: Vec<u64> =
        report["report"]["errors"].as_array().unwrap().iter().map(|p| p["row"].as_u64().unwrap()).collect();
    assert_eq!(bad_rows, [3, 4, 6]);
    let err = json_of(&out.stderr);
    assert_eq!(err["code"], "input.file_rejected");
    assert_eq!(err["problems"].as_array().unwrap().len(), 3);
    let list = json_of(&lixiang(&ws).args(["expert", "list", "--json"]).output().unwrap().stdout);
    assert_eq!(list["experts"].as_array().unwrap().len(), 0);

    // A good file: a report and exit 5 without --confirm, nothing written; imported with it.
    let good = tmp.path().join("good.xlsx");
    write_xlsx(&good, &pool_rows());
    let out = lixiang(&ws).args(["expert", "import", "--json"]).arg(&good).output().unwrap();
    assert_eq!(out.status.code(), Some(5));
    assert_eq!(json_of(&out.stdout)["report"]["status"], "needs_confirmation");
    assert_eq!(json_of(&out.stderr)["code"], "import.confirmation_needed");
    let out = lixiang(&ws).args(["expert", "import", "--confirm", "--json"]).arg(&good).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json_of(&out.stdout)["report"]["status"], "imported");

    // In pinyin order, every one marked as lacking a key card.
    let list = json_of(&lixiang(&ws).args(["expert", "list", "--json"]).output().unwrap().stdout);
    let names: Vec<&str> = list["experts"].as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["白玛", "蔡伦", "单增", "李娜", "曾国藩"]);
    assert_eq!(list["without_key_card"].as_array().unwrap().len(), 5);
    assert_eq!(list["experts"][0]["region"], "outside");
    assert_eq!(list["experts"][0]["industry_user"], true);

    // The same file again: every row is a duplicate, refused unless --update.
    let out = lixiang(&ws).args(["expert", "import", "--confirm", "--json"]).arg(&good).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let out = lixiang(&ws).args(["expert", "import", "--confirm", "--update", "--json"]).arg(&good).output().unwrap();
    assert!(out.status.success());
    assert_eq!(json_of(&out.stdout)["report"]["rows"][0]["action"], "update");

    // A key card that is not in the workspace's contacts is refused with not_found.
    let out = lixiang(&ws).args(["expert", "key", "ZJ000001", "--key", "0123456789abcdef", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(json_of(&out.stderr)["code"], "not_found");
}

#[test]
fn conflicts_and_assign_for_a_call() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("office");
    support::init_office(&ws);
    let (call, app) = support::demo_call_with_received(&ws, 2);
    // The pool, plus the applicant unit's own expert (hard) and a namesake of the leader without a
    // document number (possible only).
    let mut rows = pool_rows();
    let mut same_unit = row("同单位", 6, "540100", "院所");
    same_unit[4] = app.applicant.credit_code.clone();
    rows.push(same_unit);
    let mut namesake = row(&app.leader().unwrap().1.name, 7, "510100", "高校");
    namesake[1] = String::new();
    namesake[2] = String::new();
    rows.push(namesake);
    let file = tmp.path().join("pool.xlsx");
    write_xlsx(&file, &rows);
    let out = lixiang(&ws).args(["expert", "import", "--confirm", "--json"]).arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));

    let out = lixiang(&ws).args(["conflicts", "--call", &call, "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = json_of(&out.stdout);
    assert_eq!(doc["schema"], "lixiang.conflicts.v1");
    let conflicts = doc["result"]["conflicts"].as_array().unwrap();
    let of = |sev: &str| -> Vec<(&str, &str)> {
        conflicts
            .iter()
            .filter(|c| c["severity"] == sev)
            .map(|c| (c["expert"].as_str().unwrap(), c["code"].as_str().unwrap()))
            .collect()
    };
    assert_eq!(of("hard"), [("ZJ000006", "hard.same_unit"), ("ZJ000006", "hard.same_unit")]);
    // The namesake: the leader's name in each application, and in the other (competing) application.
    assert_eq!(of("possible"), vec![("ZJ000007", "possible.name_only"); 4]);
    assert!(of("soft").is_empty());
    let out = lixiang(&ws).args(["conflicts", "--call", &call, "--years", "9"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "the collaboration window is 3–5 years");

    let out =
        lixiang(&ws).args(["assign", "--call", &call, "--round", "1", "--per-item", "3", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = json_of(&out.stdout);
    assert_eq!(doc["schema"], "lixiang.assignment.v1");
    let run = &doc["run"];
    assert_eq!(run["outcome"]["status"], "assigned");
    assert_eq!(run["outcome"]["optimal"], true);
    let pairs = run["outcome"]["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 6);
    assert!(pairs.iter().all(|p| p["expert"] != "ZJ000006"), "the hard conflict is never assigned");
    assert_eq!(run["input_sha256"].as_str().unwrap().len(), 64);

    // The run is in the audit chain, which still verifies.
    let out = lixiang(&ws).args(["audit", "verify", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));

    // Asking for more experts per item than the pool can give: recorded, exit 3.
    let out =
        lixiang(&ws).args(["assign", "--call", &call, "--round", "1", "--per-item", "7", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(json_of(&out.stdout)["run"]["outcome"]["status"], "infeasible");
}

#[test]
fn assign_by_hand_override_pin_remove_and_re_solve() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("office");
    support::init_office(&ws);
    let (call, app) = support::demo_call_with_received(&ws, 2);
    let leader = app.leader().unwrap().1.clone();
    // ZJ000006 works at the applicant unit (hard); ZJ000007 collaborated with the leader last year (soft).
    let mut rows = pool_rows();
    let mut same_unit = row("同单位", 6, "510100", "院所");
    same_unit[4] = app.applicant.credit_code.clone();
    rows.push(same_unit);
    let mut collaborator = row("合作者", 7, "510100", "高校");
    collaborator[10] = format!("合作:{}:2026:{}", leader.name, leader.id_number);
    rows.push(collaborator);
    let file = tmp.path().join("pool.xlsx");
    write_xlsx(&file, &rows);
    let out = lixiang(&ws).args(["expert", "import", "--confirm", "--json"]).arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let item = "2027-ZX06-000001";
    let pair = |verb: &str, expert: &str| {
        let mut c = lixiang(&ws);
        c.args(["assign", verb, "--call", &call, "--round", "1", "--expert", expert, "--item", item, "--json"]);
        c.output().unwrap()
    };
    let override_ = |expert: &str, reason: &str| {
        let mut c = lixiang(&ws);
        c.args(["assign", "override", "--call", &call, "--expert", expert, "--item", item, "--reason", reason]);
        c.arg("--json").output().unwrap()
    };

    // A hard conflict is refused (3); a soft one cannot be pinned before an override (5); an
    // override needs a reason (3).
    let out = override_("ZJ000006", "唯一专家");
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(json_of(&out.stderr)["code"], "assign.hard_conflict");
    let out = pair("pin", "ZJ000006");
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(json_of(&out.stderr)["code"], "assign.hard_conflict");
    let out = pair("pin", "ZJ000007");
    assert_eq!(out.status.code(), Some(5));
    assert_eq!(json_of(&out.stderr)["code"], "assign.override_needed");
    assert_eq!(override_("ZJ000007", " ").status.code(), Some(3));

    let out = override_("ZJ000007", "该方向仅此一位区外专家");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = json_of(&out.stdout);
    assert_eq!(doc["schema"], "lixiang.conflict_override.v1");
    assert_eq!(doc["override"]["codes"][0], "soft.collaboration");
    let out = pair("pin", "ZJ000007");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json_of(&out.stdout)["schema"], "lixiang.assignment_pair_change.v1");
    assert!(pair("remove", "ZJ000001").status.success());

    let out =
        lixiang(&ws).args(["assign", "--call", &call, "--round", "1", "--per-item", "3", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let run = &json_of(&out.stdout)["run"];
    let on = |item: &str| -> Vec<String> {
        run["outcome"]["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["item"] == item)
            .map(|p| p["expert"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(on(item).contains(&"ZJ000007".to_string()), "the pin is kept: {:?}", on(item));
    assert!(!on(item).contains(&"ZJ000001".to_string()), "the removed pair is out");
    assert!(!on(item).contains(&"ZJ000006".to_string()) && !on("2027-ZX06-000002").contains(&"ZJ000006".to_string()));
    assert!(!on("2027-ZX06-000002").contains(&"ZJ000007".to_string()), "overrides are per pair");
    assert_eq!(run["params"]["pinned"][0]["expert"], "ZJ000007");
    assert_eq!(run["params"]["removed"][0]["expert"], "ZJ000001");

    // Unpinning twice: the second finds no pin (3). The chain still verifies.
    assert!(pair("unpin", "ZJ000007").status.success());
    let out = pair("unpin", "ZJ000007");
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(json_of(&out.stderr)["code"], "not_found");

    // The override withdrawn: the next run leaves the collaborator off the item again; a second withdrawal finds
    // nothing (3).
    let withdraw = || {
        let mut c = lixiang(&ws);
        c.args(["assign", "withdraw", "--call", &call, "--expert", "ZJ000007", "--item", item]);
        c.args(["--reason", "合作关系经核实，不宜评审", "--json"]).output().unwrap()
    };
    let out = withdraw();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json_of(&out.stdout)["schema"], "lixiang.conflict_override_withdrawn.v1");
    let out =
        lixiang(&ws).args(["assign", "--call", &call, "--round", "1", "--per-item", "3", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let run = &json_of(&out.stdout)["run"];
    let pairs = run["outcome"]["pairs"].as_array().unwrap();
    assert!(!pairs.iter().any(|p| p["item"] == item && p["expert"] == "ZJ000007"), "withdrawn: excluded again");
    assert_eq!(run["params"]["overridden"].as_array().map(Vec::len), Some(0));
    let out = withdraw();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(json_of(&out.stderr)["code"], "not_found");

    // The call's assignment settings: the defaults shown; bad values refused by field; set with a reason, they
    // are what the conflict listing and the next run use without any flag.
    let settings = |extra: &[&str]| {
        let mut c = lixiang(&ws);
        c.args(["assign", "settings", "--call", &call, "--json"]).args(extra);
        c.output().unwrap()
    };
    let out = settings(&[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = json_of(&out.stdout);
    assert_eq!(doc["schema"], "lixiang.assignment_settings.v1");
    assert_eq!(
        (doc["settings"]["collaboration_years"].as_u64(), doc["settings"]["weights"]["same_code"].as_u64()),
        (Some(3), Some(10))
    );
    let out = settings(&["--years", "7", "--reason", "试试"]);
    assert_eq!(out.status.code(), Some(3));
    let refusal = json_of(&out.stderr);
    assert_eq!(refusal["code"], "input.invalid");
    assert!(refusal["message"].as_str().unwrap().starts_with("collaboration_years："), "{refusal}");
    let out = settings(&["--years", "5"]);
    assert_eq!(out.status.code(), Some(3), "a change needs a reason");
    let out = settings(&["--years", "5", "--max-load", "2", "--weights", "10,6,3,2,3", "--reason", "本批按五年回避"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json_of(&out.stdout)["replaced"]["collaboration_years"], 3);
    let out = lixiang(&ws).args(["conflicts", "--call", &call, "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json_of(&out.stdout)["result"]["settings"]["collaboration_years"], 5);
    let out =
        lixiang(&ws).args(["assign", "--call", &call, "--round", "1", "--per-item", "3", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let params = &json_of(&out.stdout)["run"]["params"];
    assert_eq!((params["conflicts"]["collaboration_years"].as_u64(), params["max_load"].as_u64()), (Some(5), Some(2)));
    assert_eq!(params["weights"]["per_keyword"], 2);

    let out = lixiang(&ws).args(["audit", "verify", "--json"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    for verb in ["override", "withdraw", "settings", "pin", "unpin", "remove", "restore"] {
        assert!(lixiang(&ws).args(["assign", verb, "--help"]).output().unwrap().status.success());
    }
}
