//! The real `lixiang` binary across separate workspace dirs exchanging real package files: the office
//! re-issues the packets of a round after taking one pair out of the assignment; the experts' laptops
//! replace the older packet with the newer (a withdrawn item leaves with its draft, a kept item keeps
//! its sealed sheet or its draft, a new item appears), an older packet after the newer is refused, and
//! the office refuses a return against the superseded packet for an item no longer assigned. Codes,
//! statuses and figures, never message text.

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
    let rows = [("白玛", 21, "510100", "企业"), ("蔡伦", 22, "110100", "企业"), ("陈景", 23, "310100", "企业")];
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
            "青稞".into(),
        ];
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

fn items(p: &Value) -> Vec<String> {
    p["items"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
}

/// The packet of expert `e` among those `packet export --json` wrote.
fn packet_of<'a>(packets: &'a Value, e: &str) -> &'a Value {
    packets["packets"].as_array().unwrap().iter().find(|p| p["expert_number"] == e).unwrap()
}

/// Types a sheet through `review score`: every criterion at `share` of its maximum, or only the first
/// one (a draft) when `complete` is false.
fn score(dir: &Path, packet: &str, item: &str, share: f64, complete: bool) -> Value {
    let shown = ok(lixiang(dir).args(["review", "show", "--packet", packet, "--json"]));
    let mut c = lixiang(dir);
    c.args(["review", "score", "--json", "--packet", packet, "--item", item]);
    for (i, k) in shown["form"]["criteria"].as_array().unwrap().iter().enumerate() {
        if complete || i == 0 {
            let v = (k["weight"].as_f64().unwrap() * share).floor();
            c.args(["--score", &format!("{}={v}", k["id"].as_str().unwrap())]);
        }
    }
    if complete {
        c.args(["--grade", "B", "--strengths", "路线清晰", "--weaknesses", "规模偏小"]);
    }
    ok(&mut c)
}

fn sheet<'a>(shown: &'a Value, item: &str) -> Option<&'a Value> {
    shown["sheets"].as_array().unwrap().iter().find(|s| s["number"] == item)
}

/// An office with a published call, three applications accepted at formal check and three experts on
/// their own laptops whose keys the office holds.
struct World {
    office: PathBuf,
    code: String,
    /// The office's fingerprint.
    ofp: String,
    numbers: Vec<String>,
    laptops: Vec<PathBuf>,
}

impl World {
    fn laptop(&self, e: &str) -> PathBuf {
        self.laptops[e[2..].parse::<usize>().unwrap() - 1].clone()
    }

    /// Assigns round 1 again: two experts per item, two items per expert.
    fn assign(&self) -> Value {
        ok(lixiang(&self.office).args([
            "assign",
            "--call",
            &self.code,
            "--round",
            "1",
            "--per-item",
            "2",
            "--max-load",
            "2",
            "--json",
        ]))
    }

    /// Exports every assigned expert's packet into a new folder `dir`.
    fn export(&self, dir: &Path) -> Value {
        std::fs::create_dir(dir).unwrap();
        ok(lixiang(&self.office)
            .args(["packet", "export", "--call", &self.code, "--round", "1", "--all", "--json", "--out-dir"])
            .arg(dir))
    }
}

fn world(root: &Path) -> World {
    let p = |n: &str| root.join(n);
    let (office, institute) = (p("office"), p("institute"));
    let o = ok(lixiang(&office).args(["init", "--role", "office", "--name", "科技厅", "--json"]));
    let i = ok(lixiang(&institute).args(["init", "--role", "applicant", "--name", "农牧科学院", "--json"]));
    let code =
        ok(lixiang(&office).args(["call", "create", "--demo", "ZX06", "--json"]))["code"].as_str().unwrap().to_string();
    ok(lixiang(&office).args(["call", "publish", &code]));
    ok(lixiang(&office).args(["call", "export", &code, "--out"]).arg(p("call.lxpkg")));
    let ofp = o["fingerprint"].as_str().unwrap().to_string();
    ok(lixiang(&institute).args(["package", "import", "--trust-fingerprint", &ofp]).arg(p("call.lxpkg")));
    let opens_at = ok(lixiang(&institute).args(["call", "show", &code]))["opens_at"].as_str().unwrap().to_string();

    // Three applications, each accepted at formal check.
    let mut numbers = Vec::new();
    for (k, title) in ["青稞良种繁育", "牦牛冷链物流", "高原饲草轮作"].iter().enumerate() {
        let id =
            ok(lixiang(&institute).args(["application", "new", "--demo", "--json", "--call", &code, "--title", title]))
                ["id"]
                .as_str()
                .unwrap()
                .to_string();
        let sub = p(&format!("sub-{k}.lxpkg"));
        ok(lixiang(&institute).args(["application", "submit", &id, "--json", "--at", &opens_at, "--out"]).arg(&sub));
        ok(lixiang(&office)
            .args(["package", "import", "--trust-fingerprint", i["fingerprint"].as_str().unwrap()])
            .arg(&sub));
        let number = format!("{}-ZX06-{:06}", &code[..4], k + 1);
        ok(lixiang(&office)
            .args(["check", &number, "--decide", "accept", "--at", &opens_at, "--json", "--out"])
            .arg(p(&format!("res-{k}.lxpkg"))));
        numbers.push(number);
    }

    // Three experts on their own laptops.
    write_pool(&p("pool.xlsx"));
    ok(lixiang(&office).args(["expert", "import", "--confirm", "--json"]).arg(p("pool.xlsx")));
    let mut laptops: Vec<PathBuf> = Vec::new();
    for (n, name) in [(1, "白玛"), (2, "蔡伦"), (3, "陈景")] {
        let dir = p(&format!("expert-{n}"));
        let made = ok(lixiang(&dir).args(["init", "--role", "expert", "--name", name, "--json"]));
        let card = p(&format!("card-{n}.lxpkg"));
        ok(lixiang(&dir).args(["key", "export", "--out"]).arg(&card));
        ok(lixiang(&office)
            .args(["package", "import", "--trust-fingerprint", made["fingerprint"].as_str().unwrap()])
            .arg(&card));
        let key = ok(lixiang(&dir).args(["key", "show", "--json"]))["key_id"].as_str().unwrap().to_string();
        ok(lixiang(&office).args(["expert", "key", &format!("ZJ{n:06}"), "--key", &key]));
        laptops.push(dir);
    }
    World { office, code, ofp, numbers, laptops }
}

#[test]
fn a_reissued_packet_replaces_the_older_one_and_the_older_one_is_refused_after_it() {
    let tmp = tempfile::tempdir().unwrap();
    let p = |n: &str| tmp.path().join(n);
    let w = world(tmp.path());
    let (office, code, ofp, numbers) = (w.office.clone(), w.code.clone(), w.ofp.clone(), w.numbers.clone());
    let laptop = |e: &str| w.laptop(e);
    w.assign();
    let first = w.export(&p("issue-1"));
    assert!(first["packets"].as_array().unwrap().iter().all(|x| x["issue"] == 1 && items(x).len() == 2));
    let e1 = "ZJ000001";
    let p1 = packet_of(&first, e1).clone();
    let (x, y) = (items(&p1)[0].clone(), items(&p1)[1].clone());
    let z = numbers.iter().find(|n| **n != x && **n != y).unwrap().clone();
    let eb = first["packets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["expert_number"] != e1 && items(q).contains(&y))
        .unwrap()["expert_number"]
        .as_str()
        .unwrap()
        .to_string();
    let ec = ["ZJ000002", "ZJ000003"].into_iter().find(|e| *e != eb).unwrap().to_string();
    let path = |v: &Value| v["path"].as_str().unwrap().to_string();
    let id = |v: &Value| v["packet_id"].as_str().unwrap().to_string();

    // Expert 1 seals y and returns it; then types a draft of x.
    let d1 = laptop(e1);
    ok(lixiang(&d1).args(["package", "import", "--trust-fingerprint", &ofp, &path(&p1)]));
    score(&d1, &id(&p1), &y, 0.8, true);
    ok(lixiang(&d1).args(["review", "seal", "--json", "--packet", &id(&p1), "--item", &y]));
    ok(lixiang(&d1).args(["review", "return", "--json", "--packet", &id(&p1), "--out"]).arg(p("r1.lxpkg")));
    ok(lixiang(&office).args(["package", "import", "--json"]).arg(p("r1.lxpkg")));
    score(&d1, &id(&p1), &x, 0.5, false);
    // Expert b holds its first packet too.
    let db = laptop(&eb);
    let p1b = packet_of(&first, &eb).clone();
    ok(lixiang(&db).args(["package", "import", "--trust-fingerprint", &ofp, &path(&p1b)]));

    // The office takes x off expert 1 and re-runs; the second issue goes out.
    ok(lixiang(&office).args([
        "assign",
        "remove",
        "--call",
        &code,
        "--round",
        "1",
        "--expert",
        e1,
        "--item",
        &x,
        "--reason",
        "专家时间冲突",
    ]));
    w.assign();
    let second = w.export(&p("issue-2"));
    let p2 = packet_of(&second, e1).clone();
    assert_eq!(p2["issue"], 2);
    let mut want = vec![y.clone(), z.clone()];
    want.sort();
    assert_eq!(items(&p2), want);
    let p2b = packet_of(&second, &eb).clone();
    let lost: Vec<String> = items(&p1b).into_iter().filter(|n| !items(&p2b).contains(n)).collect();
    let kept: Vec<String> = items(&p1b).into_iter().filter(|n| items(&p2b).contains(n)).collect();
    assert_eq!((lost.len(), kept.len()), (1, 1));

    // Expert b, still on the first packet, seals the item it lost: its return is refused.
    score(&db, &id(&p1b), &lost[0], 0.7, true);
    ok(lixiang(&db).args(["review", "seal", "--json", "--packet", &id(&p1b), "--item", &lost[0]]));
    score(&db, &id(&p1b), &kept[0], 0.6, false);
    ok(lixiang(&db).args(["review", "return", "--json", "--packet", &id(&p1b), "--out"]).arg(p("rb.lxpkg")));
    let (status, code_) = fails(lixiang(&office).args(["package", "import", "--json"]).arg(p("rb.lxpkg")));
    assert_eq!((status, code_.as_str()), (Some(3), "review.item_no_longer_assigned"));

    // Expert 1 imports the second issue: one packet listed, x gone, y still sealed, z new.
    ok(lixiang(&d1).args(["package", "import", "--trust-fingerprint", &ofp, &path(&p2)]));
    let listed = ok(lixiang(&d1).args(["review", "list", "--json"]));
    let listed = listed["packets"].as_array().unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0]["packet_id"].as_str(), listed[0]["issue"].as_u64()), (Some(id(&p2).as_str()), Some(2)));
    let shown = ok(lixiang(&d1).args(["review", "show", "--packet", &id(&p2), "--json"]));
    assert_eq!(shown["issue"], 2);
    assert!(sheet(&shown, &x).is_none());
    assert_eq!(sheet(&shown, &y).unwrap()["status"], "sealed");
    assert_eq!(sheet(&shown, &z).unwrap()["status"], "draft");
    let old = ok(lixiang(&d1).args(["review", "show", "--packet", &id(&p1), "--json"]));
    assert_eq!(old["superseded_by"], id(&p2).as_str());
    assert!(sheet(&old, &x).is_none(), "the withdrawn item's draft left the laptop");
    assert_eq!(sheet(&old, &y).unwrap()["status"], "sealed", "a sealed sheet stays");
    let (status, code_) =
        fails(lixiang(&d1).args(["review", "return", "--json", "--packet", &id(&p1), "--out"]).arg(p("no.lxpkg")));
    assert_eq!((status, code_.as_str()), (Some(3), "review.packet_superseded"));

    // Expert b imports its second issue: the kept item's draft came along.
    ok(lixiang(&db).args(["package", "import", "--trust-fingerprint", &ofp, &path(&p2b)]));
    let shown_b = ok(lixiang(&db).args(["review", "show", "--packet", &id(&p2b), "--json"]));
    let k = sheet(&shown_b, &kept[0]).unwrap();
    assert_eq!(k["status"], "draft");
    assert_eq!(k["draft"]["scores"].as_object().unwrap().len(), 1, "{k:#}");
    assert!(sheet(&shown_b, &lost[0]).is_none());

    // Expert c receives the second issue first; the first after it is refused.
    let dc = laptop(&ec);
    ok(lixiang(&dc).args(["package", "import", "--trust-fingerprint", &ofp, &path(packet_of(&second, &ec))]));
    let (status, code_) = fails(lixiang(&dc).args([
        "package",
        "import",
        "--json",
        "--trust-fingerprint",
        &ofp,
        &path(packet_of(&first, &ec)),
    ]));
    assert_eq!((status, code_.as_str()), (Some(3), "review.packet_superseded"));
    assert_eq!(ok(lixiang(&dc).args(["review", "list", "--json"]))["packets"].as_array().unwrap().len(), 1);

    // Expert 1 seals z and returns from the second packet (y rides along); the office takes it.
    score(&d1, &id(&p2), &z, 0.9, true);
    ok(lixiang(&d1).args(["review", "seal", "--json", "--packet", &id(&p2), "--item", &z]));
    let r = ok(lixiang(&d1).args(["review", "return", "--json", "--packet", &id(&p2), "--out"]).arg(p("r2.lxpkg")));
    assert_eq!(r["sheets"], 2);
    ok(lixiang(&office).args(["package", "import", "--json"]).arg(p("r2.lxpkg")));
    let progress = ok(lixiang(&office).args(["packet", "progress", "--call", &code, "--round", "1", "--json"]));
    let mine = progress["experts"].as_array().unwrap().iter().find(|e| e["expert_number"] == e1).unwrap();
    assert_eq!((mine["sheets"].as_u64(), mine["outstanding"].as_u64()), (Some(2), Some(0)));
    for dir in [&office, &d1, &db, &dc] {
        lixiang(dir).args(["audit", "verify"]).assert().success();
    }
}

/// The rank's figures of one item: (n, mean).
fn ranked(office: &Path, code: &str, item: &str) -> (u64, f64) {
    let r = ok(lixiang(office).args(["rank", "--call", code, "--round", "1", "--json"]));
    let it = r["items"].as_array().unwrap().iter().find(|i| i["item"] == item).unwrap();
    (it["n"].as_u64().unwrap(), it["mean"].as_f64().unwrap())
}

/// A sheet the office already received for an item it then takes off that expert (a conflict learnt
/// late) no longer counts once the re-issued packet without the item is written: `rank` drops it from
/// n and the mean, the progress counts it out and lists it as set aside with why.
#[test]
fn a_sheet_received_for_an_item_taken_off_its_expert_no_longer_counts_in_the_ranking() {
    let tmp = tempfile::tempdir().unwrap();
    let p = |n: &str| tmp.path().join(n);
    let w = world(tmp.path());
    w.assign();
    let first = w.export(&p("issue-1"));
    let e1 = "ZJ000001";
    let x = items(packet_of(&first, e1))[0].clone();
    let other = first["packets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["expert_number"] != e1 && items(q).contains(&x))
        .unwrap()["expert_number"]
        .as_str()
        .unwrap()
        .to_string();

    // Expert 1 scores x at every criterion's maximum (100), the other expert at 60 % of each maximum,
    // rounded down per criterion as `score` types it; both seal and return, the office imports.
    let mut weights = Vec::new();
    for (e, share) in [(e1, 1.0), (other.as_str(), 0.6)] {
        let dir = w.laptop(e);
        let packet = packet_of(&first, e);
        let id = packet["packet_id"].as_str().unwrap();
        ok(lixiang(&dir).args(["package", "import", "--trust-fingerprint", &w.ofp, packet["path"].as_str().unwrap()]));
        let shown = ok(lixiang(&dir).args(["review", "show", "--packet", id, "--json"]));
        weights = shown["form"]["criteria"].as_array().unwrap().iter().map(|k| k["weight"].as_f64().unwrap()).collect();
        score(&dir, id, &x, share, true);
        ok(lixiang(&dir).args(["review", "seal", "--json", "--packet", id, "--item", &x]));
        let r = p(&format!("return-{e}.lxpkg"));
        ok(lixiang(&dir).args(["review", "return", "--json", "--packet", id, "--out"]).arg(&r));
        ok(lixiang(&w.office).args(["package", "import", "--json"]).arg(&r));
    }
    let full: f64 = weights.iter().sum();
    let sixty: f64 = weights.iter().map(|k| (k * 0.6).floor()).sum();
    assert_eq!(full, 100.0);
    assert_eq!(ranked(&w.office, &w.code, &x), (2, (full + sixty) / 2.0));

    // The office takes x off expert 1, re-runs and re-issues: x is no longer in expert 1's packet.
    ok(lixiang(&w.office).args([
        "assign",
        "remove",
        "--call",
        &w.code,
        "--round",
        "1",
        "--expert",
        e1,
        "--item",
        &x,
        "--reason",
        "回避：合作关系",
    ]));
    w.assign();
    // Re-running alone changes nothing the expert was asked: the sheet counts until the packet goes.
    assert_eq!(ranked(&w.office, &w.code, &x).0, 2);
    let second = w.export(&p("issue-2"));
    assert!(!items(packet_of(&second, e1)).contains(&x));
    assert!(items(packet_of(&second, &other)).contains(&x));

    // Now expert 1's sheet on x counts nowhere: n drops to 1 and the mean is the other's total.
    assert_eq!(ranked(&w.office, &w.code, &x), (1, sixty));
    let r = ok(lixiang(&w.office).args(["rank", "--call", &w.code, "--round", "1", "--json"]));
    let aside = r["set_aside"].as_array().unwrap();
    assert_eq!(aside.len(), 1);
    assert_eq!((aside[0]["expert_number"].as_str(), aside[0]["number"].as_str()), (Some(e1), Some(x.as_str())));
    assert_eq!(aside[0]["newest_issue"], 2);
    assert_eq!(aside[0]["removal_reason"], "回避：合作关系");
    let progress = ok(lixiang(&w.office).args(["packet", "progress", "--call", &w.code, "--round", "1", "--json"]));
    assert_eq!(progress["sheets"], 1);
    assert_eq!(progress["set_aside"].as_array().unwrap().len(), 1);
    let mine = progress["experts"].as_array().unwrap().iter().find(|e| e["expert_number"] == e1).unwrap();
    assert_eq!(mine["sheets"], 0);
    // The text output names it too.
    let text = lixiang(&w.office).args(["--lang", "en", "rank", "--call", &w.code, "--round", "1"]).output().unwrap();
    assert!(text.status.success());
    assert_eq!(String::from_utf8_lossy(&text.stdout).matches(x.as_str()).count(), 2, "ranked once, set aside once");
    lixiang(&w.office).args(["audit", "verify"]).assert().success();
}
