//! 揭榜挂帅 with the real `lixiang` binary, across separate workspaces exchanging real package files:
//! - a 赛马 race: four institutes submit, one against the first revision of the 榜单 whose 单机容量 target
//!   the office then raises, so that item is shown out of the core-indicator gate even though it ranks
//!   first; three teams are selected, pass the 公示 and the final decision (the out item's institute reads
//!   why in its result package), report at two milestones and go through two gates (continue, merge with a
//!   raise, terminate; then an increase) to one winner, with the tranche ledger checked at each step;
//! - a 悬赏 bounty: one team selected and funded, 验收 with a verdict per core indicator and a supporting
//!   file (a first acceptance not met pays nothing), then the reward paid in its parts.
//!
//! Codes, statuses and figures, never message text.

use assert_cmd::Command;
use lixiang_core::application::demo::{synthetic_credit_code, synthetic_id_number};
use lixiang_core::application::{desk, ApplicationId};
use lixiang_core::calendar::Date;
use lixiang_core::Workspace;
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

/// Runs a command expected to fail: its exit status, error code and everything it wrote to stderr.
fn fails_saying(c: &mut Command) -> (Option<i32>, String, String) {
    let out = c.output().unwrap();
    assert!(!out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let text = String::from_utf8_lossy(&out.stderr).into_owned();
    let err: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
    (out.status.code(), err["code"].as_str().unwrap_or_default().to_string(), text)
}

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
    let rows = [("白玛", 21, "510100", "企业"), ("蔡伦", 22, "110100", "高校")];
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("专家").unwrap();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, (name, seq, division, unit_type)) in rows.iter().enumerate() {
        let cells = [
            name.to_string(),
            "居民身份证".into(),
            synthetic_id_number("540102", Date::new(1970, 5, 1).unwrap(), *seq),
            format!("示例单位{seq}（示例）"),
            synthetic_credit_code(&format!("12{division}MB{seq:07}")),
            unit_type.to_string(),
            "正高".into(),
            "技术".into(),
            "2102030".into(),
            "风电".into(),
        ];
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

struct Office {
    tmp: tempfile::TempDir,
    dir: PathBuf,
    fp: String,
    code: String,
    opens_at: String,
}

impl Office {
    fn p(&self, n: &str) -> PathBuf {
        self.tmp.path().join(n)
    }
}

/// The office publishes the demo 榜单 of `programme` and writes its call package `call.lxpkg`.
fn office(programme: &str) -> Office {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("office");
    let o = ok(lixiang(&dir).args(["init", "--role", "office", "--name", "科技厅", "--json"]));
    let code =
        ok(lixiang(&dir).args(["call", "create", "--demo", programme, "--json"]))["code"].as_str().unwrap().to_string();
    ok(lixiang(&dir).args(["call", "publish", &code]));
    ok(lixiang(&dir).args(["call", "export", &code, "--out"]).arg(tmp.path().join("call.lxpkg")));
    let opens_at = ok(lixiang(&dir).args(["call", "show", &code]))["opens_at"].as_str().unwrap().to_string();
    Office { fp: o["fingerprint"].as_str().unwrap().to_string(), tmp, dir, code, opens_at }
}

/// An institute of its own imports `call_pkg`, makes a draft (the demo content under an id and title of
/// its own: the demo filler gives every workspace the same id), submits it; the office imports it and
/// accepts it at the formal check. Returns the institute's workspace and the application id.
fn submit(o: &Office, name: &str, call_pkg: &Path, number: &str, title: &str) -> (PathBuf, String) {
    let dir = o.p(name);
    let i = ok(lixiang(&dir).args(["init", "--role", "applicant", "--name", name, "--json"]));
    ok(lixiang(&dir).args(["package", "import", "--trust-fingerprint", &o.fp]).arg(call_pkg));
    let id = {
        let mut ws = Workspace::open(&dir).unwrap();
        let mut app = desk::new_demo_draft(&mut ws, &o.code).unwrap();
        app.id = ApplicationId::new();
        app.title = title.to_string();
        desk::save_draft(&mut ws, &app).unwrap();
        app.id.to_string()
    };
    let sub = o.p(&format!("sub-{name}.lxpkg"));
    ok(lixiang(&dir).args(["application", "submit", &id, "--json", "--at", &o.opens_at, "--out"]).arg(&sub));
    ok(lixiang(&o.dir)
        .args(["package", "import", "--trust-fingerprint", i["fingerprint"].as_str().unwrap()])
        .arg(&sub));
    ok(lixiang(&o.dir)
        .args(["check", number, "--decide", "accept", "--at", &o.opens_at, "--json", "--out"])
        .arg(o.p(&format!("res-{name}.lxpkg"))));
    (dir, id)
}

/// Two experts with key cards review round 1: every expert scores every item at `share(number)` of each
/// criterion's maximum; the office imports the returns.
fn review(o: &Office, items: usize, share: impl Fn(&str) -> f64) {
    write_pool(&o.p("pool.xlsx"));
    ok(lixiang(&o.dir).args(["expert", "import", "--confirm", "--json"]).arg(o.p("pool.xlsx")));
    let mut experts = Vec::new();
    for (n, name) in [(1, "白玛"), (2, "蔡伦")] {
        let dir = o.p(&format!("expert-{n}"));
        let made = ok(lixiang(&dir).args(["init", "--role", "expert", "--name", name, "--json"]));
        let card = o.p(&format!("card-{n}.lxpkg"));
        ok(lixiang(&dir).args(["key", "export", "--out"]).arg(&card));
        ok(lixiang(&o.dir)
            .args(["package", "import", "--trust-fingerprint", made["fingerprint"].as_str().unwrap()])
            .arg(&card));
        let key = ok(lixiang(&dir).args(["key", "show", "--json"]))["key_id"].as_str().unwrap().to_string();
        ok(lixiang(&o.dir).args(["expert", "key", &format!("ZJ{n:06}"), "--key", &key]));
        experts.push(dir);
    }
    let load = items.to_string();
    ok(lixiang(&o.dir).args([
        "assign",
        "--call",
        &o.code,
        "--round",
        "1",
        "--per-item",
        "2",
        "--max-load",
        &load,
        "--json",
    ]));
    std::fs::create_dir(o.p("packets")).unwrap();
    let written = ok(lixiang(&o.dir)
        .args(["packet", "export", "--call", &o.code, "--round", "1", "--all", "--json", "--out-dir"])
        .arg(o.p("packets")));
    for p in written["packets"].as_array().unwrap() {
        let k: usize = p["expert_number"].as_str().unwrap()[2..].parse().unwrap();
        let dir = &experts[k - 1];
        ok(lixiang(dir).args(["package", "import", "--trust-fingerprint", &o.fp, p["path"].as_str().unwrap()]));
        let held = ok(lixiang(dir).args(["review", "list", "--json"]));
        let packet = held["packets"][0]["packet_id"].as_str().unwrap().to_string();
        let shown = ok(lixiang(dir).args(["review", "show", "--packet", &packet, "--json"]));
        let sheets = shown["sheets"].as_array().unwrap();
        assert_eq!(sheets.len(), items);
        for s in sheets {
            let number = s["number"].as_str().unwrap();
            let mut score = lixiang(dir);
            score.args(["review", "score", "--json", "--packet", &packet, "--item", number]);
            for c in shown["form"]["criteria"].as_array().unwrap() {
                let v = (c["weight"].as_f64().unwrap() * share(number)).floor();
                score.args(["--score", &format!("{}={v}", c["id"].as_str().unwrap())]);
            }
            score.args(["--grade", "B", "--strengths", "技术路线清晰", "--weaknesses", "验证规模偏小"]);
            ok(&mut score);
            ok(lixiang(dir).args(["review", "seal", "--json", "--packet", &packet, "--item", number]));
        }
        let ret = o.p(&format!("return-{k}.lxpkg"));
        ok(lixiang(dir).args(["review", "return", "--json", "--packet", &packet, "--out"]).arg(&ret));
        ok(lixiang(&o.dir).args(["package", "import", "--json"]).arg(&ret));
    }
}

/// Records the signed agreement (任务书) of every selected team still without one, with the call's funding.
fn sign_agreements(o: &Office) {
    let shown = ok(lixiang(&o.dir).args(["milestone", "show", "--json", "--call", o.code.as_str()]));
    let scan = o.p("任务书-签字盖章.pdf");
    std::fs::write(&scan, b"%PDF-1.4 signed agreement").unwrap();
    for (k, n) in shown["agreements_missing"].as_array().unwrap().iter().enumerate() {
        let v = ok(lixiang(&o.dir)
            .args(["decide", "agreement", "--json", "--call", o.code.as_str(), "--item", n.as_str().unwrap()])
            .args(["--number", &format!("RWS-{k}"), "--signed", "2027-06-01", "--file"])
            .arg(&scan)
            .args(["--at", "2027-06-01T15:00:00+08:00"]));
        assert_eq!(v["schema"], "lixiang.decide.agreement.v1");
    }
}

/// The selection goes through the agreements and the 公示 to the final decision; returns the final items.
fn notice_and_decide(o: &Office) -> Vec<Value> {
    sign_agreements(o);
    let round = ["--call", o.code.as_str(), "--round", "1", "--json"];
    ok(lixiang(&o.dir).args(["decide", "publicity", "--start", "2027-06-02", "--days", "7"]).args(round));
    let out_dir = o.p("results");
    std::fs::create_dir(&out_dir).unwrap();
    let decided = ok(lixiang(&o.dir)
        .args(["decide", "final", "--at", "2027-06-09T09:00:00+08:00", "--out-dir"])
        .arg(&out_dir)
        .args(round));
    decided["items"].as_array().unwrap().clone()
}

fn wan(fen: &Value) -> i64 {
    fen.as_i64().unwrap() / 1_000_000
}

#[test]
fn a_race_of_three_teams_goes_through_two_gates_to_one_winner_and_the_item_below_a_core_indicator_is_out() {
    let o = office("ZX05");
    let code = o.code.clone();
    let num = |k: u32| format!("{}-ZX05-{k:06}", &code[..4]);
    // The first institute submits against revision 1 (单机容量 ≥ 3 MW, its promise: 3 MW).
    let (early, _) = submit(&o, "early", &o.p("call.lxpkg"), &num(1), "早期方案：3 兆瓦机组");

    // The office raises the locked 单机容量 target to 3.5 MW in revision 2 and publishes it.
    ok(lixiang(&o.dir).args(["call", "revise", &code]));
    let mut rev = ok(lixiang(&o.dir).args(["call", "show", &code]));
    assert_eq!(rev["revision"], 2);
    let i2 = rev["core_indicators"].as_array_mut().unwrap().iter_mut().find(|c| c["code"] == "I2").unwrap();
    i2["target"] = serde_json::json!(3.5);
    std::fs::write(o.p("rev2.json"), rev.to_string()).unwrap();
    ok(lixiang(&o.dir).args(["call", "create", "--json", "--from"]).arg(o.p("rev2.json")));
    ok(lixiang(&o.dir).args(["call", "publish", &code]));
    ok(lixiang(&o.dir).args(["call", "export", &code, "--out"]).arg(o.p("call-r2.lxpkg")));

    // Three teams answer revision 2 (3.5 MW).
    let r2 = o.p("call-r2.lxpkg");
    submit(&o, "team-a", &r2, &num(2), "甲团队：高海拔 3.5 兆瓦机组");
    submit(&o, "team-b", &r2, &num(3), "乙团队：高原型 3.5 兆瓦机组");
    submit(&o, "team-c", &r2, &num(4), "丙团队：抗寒 3.5 兆瓦机组");
    // The early item is scored best: the gate, not the ranking, keeps it out.
    let shares = [(num(1), 0.9), (num(2), 0.8), (num(3), 0.7), (num(4), 0.6)];
    review(&o, 4, |n| shares.iter().find(|(x, _)| x == n).unwrap().1);

    let decide = |args: &[&str]| {
        let mut c = lixiang(&o.dir);
        c.arg("decide").args(args).args(["--call", code.as_str(), "--json"]);
        c
    };
    let at = "2027-06-01T09:00:00+08:00";
    // The funding line is not how a challenge selects.
    let (status, err) = fails(&mut decide(&["recommend", "--round", "1", "--at", at]));
    assert_eq!((status, err.as_str()), (Some(4), "decision.challenge_selects"));

    // The preview shows the item out with the indicator, its promise, the target and the direction.
    let preview = ok(&mut decide(&["select", "--round", "1", "--preview"]));
    assert_eq!(preview["schema"], "lixiang.decide.selection.v1");
    assert_eq!(preview["recorded"], false);
    let out = preview["gate"]["out"].as_array().unwrap();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0]["number"], num(1).as_str());
    let miss = &out[0]["misses"][0];
    assert_eq!(
        (miss["indicator"].as_str(), miss["promised"].as_str(), miss["target"].as_str(), miss["direction"].as_str()),
        (Some("I2"), Some("3 MW"), Some("3.5"), Some("≥"))
    );
    let picked: Vec<&str> =
        preview["selected"].as_array().unwrap().iter().map(|s| s["number"].as_str().unwrap()).collect();
    assert_eq!(picked, [num(2), num(3), num(4)]);
    assert_eq!(wan(&preview["first_tranche_fen"]), 300);
    // Named by the officer, the item out is still refused; so is a choice without a reason.
    let (status, err) =
        fails(&mut decide(&["select", "--round", "1", "--choose", &num(1), "--reason", "排名第一", "--at", at]));
    assert_eq!((status, err.as_str()), (Some(4), "challenge.item_out"));
    let (status, _) = fails(&mut decide(&["select", "--round", "1", "--choose", &num(2), "--at", at]));
    assert_eq!(status, Some(3));
    let sel = ok(&mut decide(&["select", "--round", "1", "--at", at]));
    assert_eq!(sel["recorded"], true);
    // Nothing of the race before the final decision.
    let report = o.p("M1-报告.pdf");
    std::fs::write(&report, b"%PDF-1.4 milestone report").unwrap();
    let record = |m: &str, team: &str, values: &[&str]| {
        let mut c = lixiang(&o.dir);
        c.args(["milestone", "record", "--json", "--call", &code, "--milestone", m, "--team", team, "--report"])
            .arg(&report)
            .args(["--at", "2028-07-01T09:00:00+08:00"]);
        for v in values {
            c.args(["--value", v]);
        }
        c
    };
    let (status, err) = fails(&mut record("M1", &num(2), &["I1=4600", "I2=3.6"]));
    assert_eq!((status, err.as_str()), (Some(4), "challenge.not_decided"));

    // The 公示 waits for the agreement (任务书) of every selected team; the refusal names them.
    let publicity = || {
        let mut c = decide(&["publicity", "--round", "1", "--start", "2027-06-02", "--days", "7"]);
        c.args(["--at", at]);
        c
    };
    let (status, err, text) = fails_saying(&mut publicity());
    assert_eq!((status, err.as_str()), (Some(4), "challenge.agreement_missing"));
    assert!([num(2), num(3), num(4)].iter().all(|n| text.contains(n.as_str())), "{text}");
    let scan = o.p("任务书.pdf");
    std::fs::write(&scan, b"%PDF-1.4 signed agreement of team a").unwrap();
    let not_pdf = o.p("任务书.docx");
    std::fs::write(&not_pdf, b"PK\x03\x04 a word file").unwrap();
    let agree = |team: &str, signed: &str, file: &Path, funding: &str| {
        let mut c = decide(&["agreement", "--item", team, "--number", "RWS-2027-001", "--signed", signed]);
        c.arg("--file").arg(file).args(["--funding", funding, "--at", "2027-06-01T15:00:00+08:00"]);
        c
    };
    let (status, err, text) = fails_saying(&mut agree(&num(2), "2027-06-01", &scan, "500"));
    assert_eq!((status, err.as_str()), (Some(4), "challenge.agreement_funding"));
    assert!(text.contains("500") && text.contains("300"), "both amounts are named: {text}");
    let (status, err) = fails(&mut agree(&num(1), "2027-06-01", &scan, "300"));
    assert_eq!((status, err.as_str()), (Some(4), "challenge.agreement_not_selected"));
    let (status, err) = fails(&mut agree(&num(2), "2027-05-30", &scan, "300"));
    assert_eq!((status, err.as_str()), (Some(4), "challenge.agreement_before_selection"));
    let (status, err) = fails(&mut agree(&num(2), "2027-06-01", &not_pdf, "300"));
    assert_eq!((status, err.as_str()), (Some(4), "challenge.agreement_not_pdf"));
    let a = ok(&mut agree(&num(2), "2027-06-01", &scan, "300"));
    assert_eq!((a["number"].as_str(), a["funding_wan"].as_str()), (Some(num(2).as_str()), Some("300.0000")));
    assert_eq!(a["file_sha256"].as_str().unwrap().len(), 64);
    let (status, err) = fails(&mut agree(&num(2), "2027-06-01", &scan, "300"));
    assert_eq!((status, err.as_str()), (Some(4), "challenge.agreement_recorded"));
    // An agreement recorded wrongly is annulled with a reason (kept in the audit chain), then recorded again.
    let annul = |team: &str| {
        let mut c = decide(&["agreement-annul", "--item", team, "--reason", "扫描件有误，重新登记"]);
        c.args(["--at", "2027-06-01T16:00:00+08:00"]);
        c
    };
    let (status, err) = fails(&mut annul(&num(3)));
    assert_eq!((status, err.as_str()), (Some(4), "challenge.agreement_none"));
    let gone = ok(&mut annul(&num(2)));
    assert_eq!(gone["agreement_no"], "RWS-2027-001");
    ok(&mut agree(&num(2), "2027-06-01", &scan, "300"));
    // Still refused, now naming only the two teams left; `milestone show` lists the recorded one.
    let (_, err, text) = fails_saying(&mut publicity());
    assert_eq!(err, "challenge.agreement_missing");
    assert!(!text.contains(num(2).as_str()) && text.contains(num(3).as_str()), "{text}");
    let shown = ok(lixiang(&o.dir).args(["milestone", "show", "--json", "--call", code.as_str()]));
    assert_eq!(shown["agreements"][0]["agreement_no"], "RWS-2027-001");
    assert_eq!(shown["agreements_missing"], serde_json::json!([num(3), num(4)]));

    // 公示 and final decision: the three teams are funded, the item out is not, and its institute reads why.
    let finals = notice_and_decide(&o);
    let funded: Vec<&str> =
        finals.iter().filter(|f| f["funded"] == true).map(|f| f["number"].as_str().unwrap()).collect();
    assert_eq!(funded, [num(2), num(3), num(4)]);
    let early_result = finals.iter().find(|f| f["number"] == num(1).as_str()).unwrap();
    assert_eq!(early_result["funded"], false);
    assert!(early_result["reason_zh"].as_str().unwrap().contains("I2"));
    ok(lixiang(&early).args(["package", "import", early_result["path"].as_str().unwrap()]));

    let milestone = |args: &[&str]| {
        let mut c = lixiang(&o.dir);
        c.arg("milestone").args(args).args(["--call", code.as_str(), "--json"]);
        c
    };
    let show = ok(&mut milestone(&["show"]));
    assert_eq!(show["schema"], "lixiang.milestone.show.v1");
    let race = &show["race"]["state"];
    assert_eq!((wan(&race["released_fen"]), wan(&race["planned_fen"]), wan(&race["cap_fen"])), (900, 2100, 1600));
    assert_eq!(race["next"], "M1");
    assert_eq!(show["gate"]["out"][0]["number"], num(1).as_str());

    // M1: the gate waits for every team's result, in milestone order, with every indicator examined.
    let gate_at = ["--at", "2028-07-10T09:00:00+08:00"];
    let (status, err) =
        fails(milestone(&["gate", "--milestone", "M1", "--continue", &num(2), "--reason", "考核"]).args(gate_at));
    assert_eq!((status, err.as_str()), (Some(4), "challenge.results_missing"));
    let (status, err) = fails(&mut record("M2", &num(2), &["I1=4600", "I2=3.6", "I3=96"]));
    assert_eq!((status, err.as_str()), (Some(4), "challenge.gate_out_of_order"));
    let (status, _) = fails(&mut record("M1", &num(2), &["I1=4600"]));
    assert_eq!(status, Some(3), "I2 is examined at M1 too");
    let r = ok(&mut record("M1", &num(2), &["I1=4600", "I2=3.6"]));
    assert_eq!(r["report_sha256"].as_str().unwrap().len(), 64);
    assert!(r["achieved"].as_array().unwrap().iter().all(|a| a["met"] == true));
    ok(&mut record("M1", &num(3), &["I1=4550", "I2=3.5"]));
    let r = ok(&mut record("M1", &num(4), &["I1=4300", "I2=3.5"]));
    assert_eq!(r["achieved"][0]["met"], false, "4300 m is below 4500 m");

    // Two teams going on would owe more than the call holds: refused, nothing written.
    let (status, err) = fails(
        milestone(&["gate", "--milestone", "M1", "--continue", &num(2), "--continue", &num(3), "--terminate", &num(4)])
            .args(["--reason", "两队继续"])
            .args(gate_at),
    );
    assert_eq!((status, err.as_str()), (Some(4), "challenge.over_budget"));
    // A continues, B merges into A with 50 万元, C (below the altitude) stops.
    let merge = format!("{}={}:50", num(3), num(2));
    let g1 =
        ok(milestone(&["gate", "--milestone", "M1", "--continue", &num(2), "--merge", &merge, "--terminate", &num(4)])
            .args(["--reason", "乙团队技术并入甲团队；丙团队适用海拔未达到"])
            .args(gate_at));
    assert_eq!(g1["schema"], "lixiang.milestone.race.v1");
    let s = &g1["state"];
    assert_eq!((wan(&s["released_fen"]), wan(&s["cap_fen"]), s["next"].as_str()), (1250, 1650, Some("M2")));
    let team = |s: &Value, n: &str| s["teams"].as_array().unwrap().iter().find(|t| t["number"] == n).unwrap().clone();
    let (a, b, c) = (team(s, &num(2)), team(s, &num(3)), team(s, &num(4)));
    assert_eq!((a["status"].as_str(), wan(&a["released_fen"]), wan(&a["planned_fen"])), (Some("running"), 650, 400));
    assert_eq!(
        (b["status"].as_str(), b["into"].as_str(), wan(&b["cancelled_fen"])),
        (Some("merged"), Some(num(2).as_str()), 700)
    );
    assert_eq!(
        (c["status"].as_str(), wan(&c["released_fen"]), wan(&c["cancelled_fen"])),
        (Some("terminated"), 300, 700)
    );
    let amendment = &g1["amendments"][0];
    assert_eq!(
        (amendment["number"].as_str(), amendment["from"].as_str()),
        (Some(num(2).as_str()), Some(num(3).as_str()))
    );
    assert!(!amendment["members"].as_array().unwrap().is_empty(), "B's members join A");

    // M2: a stopped team reports no more; A, with more money, finishes and wins.
    let (status, err) = fails(&mut record("M2", &num(4), &["I1=4500", "I2=3.5", "I3=95"]));
    assert_eq!((status, err.as_str()), (Some(4), "challenge.team_not_running"));
    ok(&mut record("M2", &num(2), &["I1=4620", "I2=3.6", "I3=96.5"]));
    let increase = format!("{}=20", num(2));
    let g2 = ok(milestone(&[
        "gate",
        "--milestone",
        "M2",
        "--increase",
        &increase,
        "--reason",
        "并网运行达标，追加验证经费",
    ])
    .args(["--at", "2029-07-10T09:00:00+08:00"]));
    let s = &g2["state"];
    assert_eq!(s["winners"], serde_json::json!([num(2)]));
    assert_eq!(s["next"], Value::Null);
    let a = team(s, &num(2));
    assert_eq!((a["status"].as_str(), wan(&a["released_fen"]), wan(&a["increases_fen"])), (Some("finished"), 1070, 70));
    // Released: three first tranches, A's two milestone tranches and the 70 万元 of increases; planned: none.
    assert_eq!((wan(&s["released_fen"]), wan(&s["cancelled_fen"]), wan(&s["planned_fen"])), (1670, 1400, 0));
    assert_eq!(wan(&s["cap_fen"]), 1670);
    let (status, err) =
        fails(milestone(&["gate", "--milestone", "M2", "--continue", &num(2), "--reason", "再次"]).args(gate_at));
    assert_eq!((status, err.as_str()), (Some(4), "challenge.gate_decided"));
    assert_eq!(ok(&mut milestone(&["show"]))["race"]["gates"].as_array().unwrap().len(), 2);
    lixiang(&o.dir).args(["audit", "verify"]).assert().success();
}

#[test]
fn a_bounty_is_paid_only_after_an_acceptance_finds_every_core_indicator_met() {
    let o = office("ZX08");
    let code = o.code.clone();
    let number = format!("{}-ZX08-000001", &code[..4]);
    let (institute, app_id) = submit(&o, "team", &o.p("call.lxpkg"), &number, "盐湖提锂中试");
    review(&o, 1, |_| 0.8);
    let decide = |args: &[&str]| {
        let mut c = lixiang(&o.dir);
        c.arg("decide").args(args).args(["--call", code.as_str(), "--json"]);
        c
    };
    let sel = ok(&mut decide(&["select", "--round", "1", "--at", "2027-06-01T09:00:00+08:00"]));
    assert_eq!(
        (sel["contest"].as_str(), sel["selected"][0]["number"].as_str()),
        (Some("bounty"), Some(number.as_str()))
    );
    assert_eq!(sel["agreement_parts"].as_array().unwrap().len(), 0, "the demo pays nothing at the agreement");
    let (status, err) = fails(&mut decide(&["payout", "--paid-on", "2029-12-01"]));
    assert_eq!((status, err.as_str()), (Some(4), "challenge.not_decided"));

    let finals = notice_and_decide(&o);
    assert_eq!(finals[0]["funded"], true);
    ok(lixiang(&institute).args(["package", "import", finals[0]["path"].as_str().unwrap()]));
    let st = ok(lixiang(&institute).args(["application", "status", &app_id, "--json"]));
    assert_eq!(st["state"], "approved");

    // No acceptance yet: nothing is due.
    let (status, err) = fails(&mut decide(&["payout", "--paid-on", "2029-12-01"]));
    assert_eq!((status, err.as_str()), (Some(4), "challenge.nothing_due"));
    let file = o.p("检测报告.pdf");
    std::fs::write(&file, b"%PDF-1.4 test report").unwrap();
    let accept = |verdicts: &[&str], with_file: bool| {
        let mut c = decide(&["accept", "--at", "2029-11-20T09:00:00+08:00"]);
        for v in verdicts {
            c.args(["--verdict", v]);
        }
        if with_file {
            c.arg("--file").arg(&file);
        }
        c
    };
    // Every core indicator needs a verdict, and the verdicts need supporting files.
    assert_eq!(fails(&mut accept(&["I1=met", "I2=met"], true)).0, Some(3));
    assert_eq!(fails(&mut accept(&["I1=met", "I2=met", "I3=met"], false)).0, Some(3));
    // One indicator not met: recorded, but the reward waits.
    let first = ok(&mut accept(&["I1=met", "I2=达到", "I3=not_met"], true));
    assert_eq!(first["schema"], "lixiang.decide.bounty.v1");
    assert_eq!(first["acceptances"][0]["all_met"], false);
    assert_eq!(first["acceptances"][0]["files"][0]["sha256"].as_str().unwrap().len(), 64);
    let (status, err) = fails(&mut decide(&["payout", "--paid-on", "2029-12-01"]));
    assert_eq!((status, err.as_str()), (Some(4), "challenge.nothing_due"));
    // The re-test meets every indicator: both parts (70% and 30% of 300 万元) are paid, once.
    let second = ok(&mut accept(&["I1=met", "I2=met", "I3=met"], true));
    assert_eq!(second["acceptances"][1]["all_met"], true);
    assert!(second["parts"].as_array().unwrap().iter().all(|p| p["state"] == "due"));
    let paid = ok(&mut decide(&["payout", "--paid-on", "2029-12-01"]));
    let amounts: Vec<i64> = paid["parts"].as_array().unwrap().iter().map(|p| wan(&p["amount_fen"])).collect();
    assert_eq!(amounts, [210, 90]);
    assert!(paid["parts"].as_array().unwrap().iter().all(|p| p["state"] == "paid"));
    assert_eq!((wan(&paid["paid_fen"]), wan(&paid["reward_fen"])), (300, 300));
    let (status, err) = fails(&mut decide(&["payout", "--paid-on", "2029-12-02"]));
    assert_eq!((status, err.as_str()), (Some(4), "challenge.nothing_due"));
    let (status, err) = fails(&mut accept(&["I1=met", "I2=met", "I3=met"], true));
    assert_eq!((status, err.as_str()), (Some(4), "challenge.accepted_already"));
    let show = ok(lixiang(&o.dir).args(["milestone", "show", "--call", &code, "--json"]));
    assert_eq!(show["bounty"]["winner"], number.as_str());
    lixiang(&o.dir).args(["audit", "verify"]).assert().success();
}
