//! The real `lixiang` binary entering and editing single experts (`expert add`, `expert edit`) and setting a
//! call's industry-user definition (`assign settings --industry-categories/--industry-unit-types`), read back
//! by `expert list` and `assign settings` and used by `assign`. Exit codes, `--json` documents and the fields
//! named in refusals, never message prose.

mod support;

use assert_cmd::Command;
use lixiang_core::application::demo::{synthetic_credit_code, synthetic_id_number};
use lixiang_core::calendar::Date;
use lixiang_store::Store;
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

fn id(seq: u16) -> String {
    synthetic_id_number("540102", Date::new(1970, 5, 1).unwrap(), seq)
}

fn code(division: &str, seq: u16) -> String {
    synthetic_credit_code(&format!("12{division}MB{seq:07}"))
}

/// `--field 列名=值` arguments of a valid technical expert.
fn expert_fields(name: &str, seq: u16, division: &str, unit_type: &str) -> Vec<String> {
    let pairs = [
        ("姓名", name.to_string()),
        ("证件类型", "居民身份证".into()),
        ("证件号码", id(seq)),
        ("工作单位", format!("示例单位{seq}")),
        ("统一社会信用代码", code(division, seq)),
        ("单位类型", unit_type.into()),
        ("职称", "研究员".into()),
        ("职称级别", "正高".into()),
        ("专家类别", "技术".into()),
        ("学科代码", "2102030".into()),
    ];
    pairs.iter().flat_map(|(h, v)| ["--field".to_string(), format!("{h}={v}")]).collect()
}

fn experts(ws: &Path) -> Vec<Value> {
    let out = lixiang(ws).args(["expert", "list", "--json"]).output().unwrap();
    json_of(&out.stdout)["experts"].as_array().unwrap().clone()
}

fn audit_len(ws: &Path) -> usize {
    let mut store = Store::open(&ws.join("lixiang.db")).unwrap();
    store.read(|r| r.audit_events()).unwrap().len()
}

fn columns(report: &Value) -> Vec<String> {
    report["errors"].as_array().unwrap().iter().map(|e| e["column"].as_str().unwrap().to_string()).collect()
}

#[test]
fn expert_add_and_edit_by_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("office");

    // A good entry: written at once, numbered.
    let out = lixiang(&ws)
        .args(["expert", "add", "--json"])
        .args(expert_fields("张三", 1, "540100", "院所"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = json_of(&out.stdout);
    assert_eq!(doc["schema"], "lixiang.expert_entry.v1");
    assert_eq!(doc["report"]["status"], "imported");
    assert_eq!(doc["report"]["rows"][0]["number"], "ZJ000001");
    let list = experts(&ws);
    assert_eq!(list.len(), 1);
    assert_eq!((list[0]["unit"].as_str(), list[0]["region"].as_str()), (Some("示例单位1"), Some("inside")));

    // A bad entry: every problem with its field, exit 3, nothing written.
    let mut bad = expert_fields("李四", 2, "540100", "院所");
    for f in bad.iter_mut() {
        if f.starts_with("统一社会信用代码=") {
            *f = "统一社会信用代码=12540000ABCDEFGHIJ".into();
        }
        if f.starts_with("职称级别=") {
            *f = "职称级别=中级".into();
        }
    }
    let events = audit_len(&ws);
    let out = lixiang(&ws).args(["expert", "add", "--json"]).args(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let doc = json_of(&out.stdout);
    assert_eq!(doc["report"]["status"], "rejected");
    let mut cols = columns(&doc["report"]);
    cols.sort();
    assert_eq!(cols, ["统一社会信用代码", "职称级别"]);
    assert_eq!(json_of(&out.stderr)["code"], "input.invalid");
    let out = lixiang(&ws).args(["expert", "add"]).args(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let text = String::from_utf8_lossy(&out.stderr);
    assert!(text.contains("「统一社会信用代码」") && text.contains("「职称级别」"), "{text}");
    // A malformed or unknown field: exit 3 as well.
    assert_eq!(lixiang(&ws).args(["expert", "add", "--field", "姓名"]).output().unwrap().status.code(), Some(3));
    let out = lixiang(&ws).args(["expert", "add", "--field", "血型=A", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(experts(&ws).len(), 1);
    assert_eq!(audit_len(&ws), events);

    // Editing by number: two fields changed, listed old → new, read back by `expert list`.
    let out = lixiang(&ws)
        .args([
            "expert",
            "edit",
            "--id",
            "ZJ000001",
            "--field",
            "工作单位=西藏农牧科学院",
            "--field",
            "职称=教授级高级工程师",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = json_of(&out.stdout);
    assert_eq!(doc["schema"], "lixiang.expert_edit.v1");
    assert_eq!(doc["report"]["status"], "edited");
    let changed: Vec<(&str, &str, &str)> = doc["report"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["field"].as_str().unwrap(), c["old"].as_str().unwrap(), c["new"].as_str().unwrap()))
        .collect();
    assert_eq!(changed, [("工作单位", "示例单位1", "西藏农牧科学院"), ("职称", "研究员", "教授级高级工程师")]);
    let list = experts(&ws);
    assert_eq!(
        (list[0]["unit"].as_str(), list[0]["title"].as_str()),
        (Some("西藏农牧科学院"), Some("教授级高级工程师"))
    );
    assert_eq!(audit_len(&ws), events + 1, "one audit event");

    // By document number: a bad value refused under its field, nothing written; the document itself is fixed.
    let events = audit_len(&ws);
    let out = lixiang(&ws)
        .args(["expert", "edit", "--document", &id(1), "--field", "职称级别=中级", "--field", "关键词=牦牛", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(columns(&json_of(&out.stdout)["report"]), ["职称级别"]);
    let out = lixiang(&ws)
        .args(["expert", "edit", "--id", "ZJ000001", "--field", &format!("证件号码={}", id(5)), "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(columns(&json_of(&out.stdout)["report"]), ["证件号码"]);
    // The same values again: nothing to write, exit 0.
    let out = lixiang(&ws)
        .args(["expert", "edit", "--id", "ZJ000001", "--field", "工作单位=西藏农牧科学院", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(json_of(&out.stdout)["report"]["status"], "unchanged");
    assert_eq!(audit_len(&ws), events);
    assert_eq!(experts(&ws)[0]["keywords"], serde_json::json!([]), "the refused keyword was not written");
    // Neither --id nor --document, or an unknown document: refused.
    assert_eq!(lixiang(&ws).args(["expert", "edit", "--field", "职称=教授"]).output().unwrap().status.code(), Some(2));
    let out =
        lixiang(&ws).args(["expert", "edit", "--document", &id(9), "--field", "职称=教授", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(lixiang(&ws).args(["audit", "verify"]).output().unwrap().status.code(), Some(0));
}

#[test]
fn the_industry_user_definition_is_a_call_setting_the_assignment_follows() {
    let tmp = tempfile::tempdir().unwrap();
    let ws = tmp.path().join("office");
    support::init_office(&ws);
    let (call, _) = support::demo_call_with_received(&ws, 1);
    // One 区外 expert, and in 西藏 an institute, a hospital and an enterprise: with k = 2 the 技术创新 round takes
    // the 区外 expert and one industry user.
    for (name, seq, division, unit_type) in [
        ("甲", 1, "540100", "院所"),
        ("乙", 2, "510100", "高校"),
        ("丙", 3, "540100", "医疗"),
        ("丁", 4, "540100", "企业"),
    ] {
        let out =
            lixiang(&ws).args(["expert", "add"]).args(expert_fields(name, seq, division, unit_type)).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let assigned = || -> Vec<String> {
        let out = lixiang(&ws)
            .args(["assign", "--call", &call, "--round", "1", "--per-item", "2", "--json"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let mut on: Vec<String> = json_of(&out.stdout)["run"]["outcome"]["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["expert"].as_str().unwrap().to_string())
            .collect();
        on.sort();
        on
    };
    // The default: 产业 or 企业, so 丁 (ZJ000004).
    let shown = json_of(&lixiang(&ws).args(["assign", "settings", "--call", &call, "--json"]).output().unwrap().stdout);
    assert_eq!(
        shown["settings"]["industry_user"],
        serde_json::json!({ "categories": ["产业"], "unit_types": ["企业"] })
    );
    assert_eq!(assigned(), ["ZJ000002", "ZJ000004"]);

    // A value outside the template's choices, or a definition naming nothing: exit 3, nothing stored.
    let out = lixiang(&ws)
        .args(["assign", "settings", "--call", &call, "--industry-unit-types", "工厂", "--reason", "试", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(json_of(&out.stderr)["message"].as_str().unwrap().contains("industry_user.unit_types"));
    let out = lixiang(&ws)
        .args([
            "assign",
            "settings",
            "--call",
            &call,
            "--industry-categories",
            "none",
            "--industry-unit-types",
            "none",
            "--reason",
            "试",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));

    // Hospitals count instead: stored, read back, and the round now takes 丙 (ZJ000003).
    let out = lixiang(&ws)
        .args([
            "assign",
            "settings",
            "--call",
            &call,
            "--industry-categories",
            "产业",
            "--industry-unit-types",
            "医疗",
            "--reason",
            "本批项目面向医疗机构应用",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(json_of(&out.stdout)["replaced"]["industry_user"]["unit_types"], serde_json::json!(["企业"]));
    let shown = json_of(&lixiang(&ws).args(["assign", "settings", "--call", &call, "--json"]).output().unwrap().stdout);
    assert_eq!(
        shown["settings"]["industry_user"],
        serde_json::json!({ "categories": ["产业"], "unit_types": ["医疗"] })
    );
    let text = lixiang(&ws).args(["assign", "settings", "--call", &call]).output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("医疗"));
    assert_eq!(assigned(), ["ZJ000002", "ZJ000003"]);
}
