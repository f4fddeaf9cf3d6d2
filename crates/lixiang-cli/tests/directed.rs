//! The real `lixiang` binary through a 定向委托 by files only: the office publishes a call with two invited
//! units, each unit submits its implementation plan from its own laptop, the office accepts both, three
//! experts give 可行性论证 verdicts with opinions through packets and returns, the ranking is refused, the
//! office records the panel opinions, is refused selecting the plan rated 不通过, selects the other with a
//! reason and decides; each unit imports its result and reads the decision, the panel opinion and the
//! experts' opinions without their names. Codes, statuses and figures, never message text.

use assert_cmd::Command;
use lixiang_core::application::demo::{synthetic_credit_code, synthetic_id_number};
use lixiang_core::calendar::Date;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn lixiang(data_dir: &Path) -> Command {
    let mut c = Command::cargo_bin("lixiang").unwrap();
    c.arg("--data-dir").arg(data_dir).env_remove("LIXIANG_DATA_DIR").env_remove("LIXIANG_LANG");
    c.env("LIXIANG_PASSPHRASE", "correct horse battery staple").env("LIXIANG_KDF", "test");
    c
}

fn ok(c: &mut Command) -> Value {
    let out = c.output().unwrap();
    assert!(
        out.status.success(),
        "exit {:?}: {}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or(Value::Null)
}

/// Runs a command expected to fail: its exit status and error code.
fn fails(c: &mut Command) -> (Option<i32>, String) {
    let out = c.output().unwrap();
    assert!(!out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let err: Value = serde_json::from_slice(&out.stderr).unwrap_or(Value::Null);
    (out.status.code(), err["code"].as_str().unwrap_or_default().to_string())
}

const EXPERTS: [&str; 3] = ["白玛", "蔡伦", "次仁"];

fn write_pool(path: &Path) {
    let headers = [
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
    ];
    let divisions = ["510100", "110100", "310100"];
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("专家").unwrap();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, name) in EXPERTS.iter().enumerate() {
        let seq = 31 + r as u16;
        let cells = [
            name.to_string(),
            "居民身份证".into(),
            synthetic_id_number("540102", Date::new(1968, 3, 1).unwrap(), seq),
            format!("示例单位{seq}（示例）"),
            synthetic_credit_code(&format!("12{}MB{seq:07}", divisions[r])),
            "高校".into(),
            "正高".into(),
            "技术".into(),
            "2102030".into(),
            "乡村振兴".into(),
        ];
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

#[test]
fn a_directed_commission_with_two_invited_units_ends_in_one_approved_plan_each_unit_reads() {
    let tmp = tempfile::tempdir().unwrap();
    let p = |n: &str| tmp.path().join(n);
    let office = p("office");
    let o = ok(lixiang(&office).args(["init", "--role", "office", "--name", "科技厅", "--json"]));
    let ofp = o["fingerprint"].as_str().unwrap().to_string();

    // The ZX02 demo call, narrowed to two invited units, published and exported.
    let code =
        ok(lixiang(&office).args(["call", "create", "--demo", "ZX02", "--json"]))["code"].as_str().unwrap().to_string();
    let mut call = ok(lixiang(&office).args(["call", "show", &code]));
    assert_eq!(call["mode"]["kind"], "directed_commission");
    call["mode"]["units"].as_array_mut().unwrap().truncate(2);
    std::fs::write(p("call.json"), serde_json::to_vec(&call).unwrap()).unwrap();
    ok(lixiang(&office).args(["call", "create", "--json", "--from"]).arg(p("call.json")));
    assert_eq!(ok(lixiang(&office).args(["call", "show", &code]))["mode"]["units"].as_array().unwrap().len(), 2);
    ok(lixiang(&office).args(["call", "publish", &code]));
    ok(lixiang(&office).args(["call", "export", &code, "--out"]).arg(p("call.lxpkg")));

    // Each invited unit writes its plan on its own laptop; the office receives and accepts both.
    let mut units: Vec<(PathBuf, String, String)> = Vec::new();
    for k in 1..=2u32 {
        let dir = p(&format!("unit-{k}"));
        let made = ok(lixiang(&dir).args(["init", "--role", "applicant", "--name", &format!("受邀单位{k}"), "--json"]));
        ok(lixiang(&dir).args(["package", "import", "--trust-fingerprint", &ofp]).arg(p("call.lxpkg")));
        let opens_at = ok(lixiang(&dir).args(["call", "show", &code]))["opens_at"].as_str().unwrap().to_string();
        let unit = k.to_string();
        let id = ok(lixiang(&dir).args(["application", "new", "--demo", "--json", "--call", &code, "--unit", &unit]))
            ["id"]
            .as_str()
            .unwrap()
            .to_string();
        let sub = p(&format!("sub-{k}.lxpkg"));
        ok(lixiang(&dir).args(["application", "submit", &id, "--json", "--at", &opens_at, "--out"]).arg(&sub));
        ok(lixiang(&office)
            .args(["package", "import", "--trust-fingerprint", made["fingerprint"].as_str().unwrap()])
            .arg(&sub));
        let number = format!("{}-ZX02-{k:06}", &code[..4]);
        ok(lixiang(&office)
            .args(["check", &number, "--decide", "accept", "--at", &opens_at, "--json", "--out"])
            .arg(p(&format!("formal-{k}.lxpkg"))));
        units.push((dir, id, number));
    }
    let received = ok(lixiang(&office).args(["application", "received", "--call", &code, "--json"]));
    let codes: Vec<&str> =
        received["applications"].as_array().unwrap().iter().map(|a| a["unit_code"].as_str().unwrap()).collect();
    let invited: Vec<&str> =
        call["mode"]["units"].as_array().unwrap().iter().map(|u| u["credit_code"].as_str().unwrap()).collect();
    assert_eq!(codes, invited, "each invited unit applied once, in its own name");

    // Three experts, each with a laptop and a key card, assigned to both plans.
    write_pool(&p("pool.xlsx"));
    ok(lixiang(&office).args(["expert", "import", "--confirm", "--json"]).arg(p("pool.xlsx")));
    let mut experts = Vec::new();
    for (n, name) in EXPERTS.iter().enumerate() {
        let dir = p(&format!("expert-{}", n + 1));
        let made = ok(lixiang(&dir).args(["init", "--role", "expert", "--name", name, "--json"]));
        let card = p(&format!("card-{}.lxpkg", n + 1));
        ok(lixiang(&dir).args(["key", "export", "--out"]).arg(&card));
        ok(lixiang(&office)
            .args(["package", "import", "--trust-fingerprint", made["fingerprint"].as_str().unwrap()])
            .arg(&card));
        let key = ok(lixiang(&dir).args(["key", "show", "--json"]))["key_id"].as_str().unwrap().to_string();
        ok(lixiang(&office).args(["expert", "key", &format!("ZJ{:06}", n + 1), "--key", &key]));
        experts.push(dir);
    }
    ok(lixiang(&office).args(["assign", "--call", &code, "--round", "1", "--per-item", "3", "--json"]));
    std::fs::create_dir(p("packets")).unwrap();
    let written = ok(lixiang(&office)
        .args(["packet", "export", "--call", &code, "--round", "1", "--all", "--json", "--out-dir"])
        .arg(p("packets")));
    let packets = written["packets"].as_array().unwrap().clone();
    assert_eq!(packets.len(), 3);

    // The verdicts: plan 1 passes every item, except that the third expert wants the budget revised;
    // plan 2's technical route fails with two of the three experts.
    let (plan1, plan2) = (units[0].2.clone(), units[1].2.clone());
    for (k, dir) in experts.iter().enumerate() {
        let number = format!("ZJ{:06}", k + 1);
        let file = packets.iter().find(|x| x["expert_number"] == number.as_str()).unwrap()["path"].as_str().unwrap();
        ok(lixiang(dir).args(["package", "import", "--trust-fingerprint", &ofp, file]));
        let packet = ok(lixiang(dir).args(["review", "list", "--json"]))["packets"][0]["packet_id"]
            .as_str()
            .unwrap()
            .to_string();
        let shown = ok(lixiang(dir).args(["review", "show", "--packet", &packet, "--json"]));
        assert_eq!(
            (shown["form"]["kind"].as_str(), shown["form"]["scale"].as_str()),
            (Some("verdicts"), Some("feasibility"))
        );
        let items: Vec<String> =
            shown["form"]["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_string()).collect();
        for plan in [&plan1, &plan2] {
            let mut score = lixiang(dir);
            score.args(["review", "score", "--json", "--packet", &packet, "--item", plan]);
            for item in &items {
                let v = match (plan == &plan1, item.as_str()) {
                    (true, "budget") if k == 2 => "pass_after_revision",
                    (true, _) => "pass",
                    (false, "route") if k < 2 => "fail",
                    (false, _) => "pass",
                };
                score.args(["--verdict", &format!("{item}={v}")]);
            }
            score.args(["--opinion", &format!("论证意见{k}：{plan}")]);
            let st = ok(&mut score);
            assert_eq!(st["problems"].as_array().unwrap().len(), 0, "{st:#}");
            let sealed = ok(lixiang(dir).args(["review", "seal", "--json", "--packet", &packet, "--item", plan]));
            assert_eq!(sealed["receipt_sha256"].as_str().unwrap().len(), 64);
        }
        let ret = p(&format!("return-{k}.lxpkg"));
        ok(lixiang(dir).args(["review", "return", "--json", "--packet", &packet, "--out"]).arg(&ret));
        ok(lixiang(&office).args(["package", "import", "--json"]).arg(&ret));
    }

    // No ranking and no recommendation list for a directed call: a state refusal with its code.
    let (status, err) = fails(lixiang(&office).args(["rank", "--call", &code, "--round", "1", "--json"]));
    assert_eq!((status, err.as_str()), (Some(4), "directed.no_ranking"));
    let (status, err) =
        fails(lixiang(&office).args(["decide", "recommend", "--call", &code, "--round", "1", "--json"]));
    assert_eq!((status, err.as_str()), (Some(4), "directed.no_ranking"));

    // The consolidation: per item the count of each verdict, and every expert's opinion.
    let directed = |args: &[&str]| {
        let mut c = lixiang(&office);
        c.arg("directed").args(args).args(["--call", &code, "--json"]);
        c
    };
    let shown = ok(&mut directed(&["show"]));
    assert_eq!(shown["schema"], "lixiang.directed.consolidation.v1");
    assert_eq!((shown["round"].as_u64(), shown["designated"].as_bool()), (Some(1), Some(false)));
    let plans = shown["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 2);
    let count = |plan: usize, item: &str| {
        let c = plans[plan]["counts"].as_array().unwrap().iter().find(|c| c["item"] == item).unwrap().clone();
        (c["pass"].as_u64().unwrap(), c["pass_after_revision"].as_u64().unwrap(), c["fail"].as_u64().unwrap())
    };
    assert_eq!(count(0, "budget"), (2, 1, 0));
    assert_eq!(count(0, "route"), (3, 0, 0));
    assert_eq!(count(1, "route"), (1, 0, 2));
    assert_eq!(plans[1]["opinions"].as_array().unwrap().len(), 3);
    assert_eq!(plans[1]["opinions"][0]["expert_number"], "ZJ000001");

    // The panel opinions; 修改后通过 without its changes is refused as input.
    let (status, err) =
        fails(&mut directed(&["panel", "--item", &plan1, "--verdict", "pass_after_revision", "--opinion", "方案可行"]));
    assert_eq!((status, err.as_str()), (Some(3), "input.invalid"));
    ok(&mut directed(&[
        "panel",
        "--item",
        &plan1,
        "--verdict",
        "修改后通过",
        "--opinion",
        "目标明确，技术路线可行，团队具备实施能力",
        "--changes",
        "压缩设备购置费，补充示范村（镇）遴选标准",
    ]));
    ok(&mut directed(&[
        "panel",
        "--item",
        &plan2,
        "--verdict",
        "fail",
        "--opinion",
        "技术路线不成熟，示范内容与任务不符",
    ]));

    // Selecting the plan rated 不通过 is refused; the other is selected with a reason.
    let (status, err) = fails(&mut directed(&["select", "--item", &plan2, "--reason", "经费需求较低"]));
    assert_eq!((status, err.as_str()), (Some(4), "directed.plan_failed"));
    let selected = ok(&mut directed(&["select", "--item", &plan1, "--reason", "可行性论证修改后通过，示范基础扎实"]));
    assert_eq!(selected["selection"]["number"], plan1.as_str());

    // The decisions and the result packages.
    let out_dir = p("results");
    std::fs::create_dir(&out_dir).unwrap();
    let out = out_dir.to_str().unwrap();
    let decided = ok(&mut directed(&["final", "--at", "2027-06-01T09:00:00+08:00", "--out-dir", out]));
    assert_eq!(decided["schema"], "lixiang.directed.final.v1");
    let items = decided["items"].as_array().unwrap();
    let got: Vec<(&str, bool)> =
        items.iter().map(|i| (i["number"].as_str().unwrap(), i["funded"].as_bool().unwrap())).collect();
    assert_eq!(got, [(plan1.as_str(), true), (plan2.as_str(), false)]);
    let (status, err) = fails(&mut directed(&["final", "--out-dir", out]));
    assert_eq!((status, err.as_str()), (Some(4), "directed.decided"));
    lixiang(&office).args(["audit", "verify"]).assert().success();

    // Each unit imports its result: the decision, the panel's opinion, the experts' opinions, no names.
    for ((dir, id, number), item) in units.iter().zip(items) {
        assert_eq!(item["number"], number.as_str());
        ok(lixiang(dir).args(["package", "import", item["path"].as_str().unwrap()]));
        let st = ok(lixiang(dir).args(["application", "status", id, "--json"]));
        let f = &st["funding"];
        let fz = &f["feasibility"];
        let opinions: Vec<&str> =
            f["comments"]["opinions"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(opinions, (0..3).map(|k| format!("论证意见{k}：{number}")).collect::<Vec<_>>());
        if number == &plan1 {
            assert_eq!((st["state"].as_str(), st["state_zh"].as_str()), (Some("approved"), Some("立项")));
            assert_eq!(fz["panel_verdict"], "pass_after_revision");
            assert_eq!(fz["required_changes"], "压缩设备购置费，补充示范村（镇）遴选标准");
            assert_eq!(fz["selected"], true);
        } else {
            assert_eq!(st["state"], "not_approved");
            assert_eq!(fz["panel_verdict"], "fail");
            assert_eq!(fz["selected"], false);
            assert!(f["reason_zh"].as_str().unwrap().contains("技术路线不成熟"));
        }
        assert_eq!(fz["selection_reason"], "可行性论证修改后通过，示范基础扎实");
        let text = st.to_string();
        for who in ["ZJ000001", "ZJ000002", "ZJ000003"].iter().chain(EXPERTS.iter()) {
            assert!(!text.contains(who), "{who} in {text}");
        }
        lixiang(dir).args(["audit", "verify"]).assert().success();
    }
}
