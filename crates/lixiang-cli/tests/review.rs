//! The real `lixiang` binary through a whole review by files only: the office publishes a call, an
//! institute submits, the office accepts it, two experts send their key cards, the office assigns and
//! exports the packets, each expert imports theirs, scores, seals and writes a return, the office imports
//! the returns, sees the progress and ranks the round; the plan dashboard (`report dashboard`) follows the
//! item from review to approval. Codes, statuses and figures, never message text.
//! And on paper: the expert writes the packet's score-sheet template, fills it in (as Excel would) and
//! imports it sealed; a sheet with a bad cell is refused whole.

use assert_cmd::Command;
use lixiang_core::application::demo::{synthetic_credit_code, synthetic_id_number};
use lixiang_core::calendar::Date;
use serde_json::Value;
use std::path::Path;

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
            "青稞".into(),
        ];
        for (c, v) in cells.iter().enumerate() {
            ws.write_string(r as u32 + 1, c as u16, v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

/// A call's round up to the packets written: the office, the institute's one accepted application, two
/// experts with their key cards attached and assigned, and the office's packet files.
struct Round {
    tmp: tempfile::TempDir,
    office: std::path::PathBuf,
    experts: Vec<std::path::PathBuf>,
    code: String,
    number: String,
    ofp: String,
    packets: Vec<Value>,
    /// The institute's workspace and its application's id (it receives the results).
    institute: std::path::PathBuf,
    app_id: String,
}

impl Round {
    fn p(&self, n: &str) -> std::path::PathBuf {
        self.tmp.path().join(n)
    }

    /// The packet file of an expert (ZJ000001 …).
    fn path_of(&self, e: &str) -> String {
        self.packets.iter().find(|x| x["expert_number"] == e).unwrap()["path"].as_str().unwrap().to_string()
    }
}

fn round() -> Round {
    let tmp = tempfile::tempdir().unwrap();
    let p = |n: &str| tmp.path().join(n);
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
    let id = ok(lixiang(&institute).args(["application", "new", "--demo", "--json", "--call", &code]))["id"]
        .as_str()
        .unwrap()
        .to_string();
    ok(lixiang(&institute)
        .args(["application", "submit", &id, "--json", "--at", &opens_at, "--out"])
        .arg(p("sub.lxpkg")));
    ok(lixiang(&office)
        .args(["package", "import", "--trust-fingerprint", i["fingerprint"].as_str().unwrap()])
        .arg(p("sub.lxpkg")));
    let number = format!("{}-ZX06-000001", &code[..4]);
    ok(lixiang(&office)
        .args(["check", &number, "--decide", "accept", "--at", &opens_at, "--json", "--out"])
        .arg(p("res.lxpkg")));

    // Two experts with their own laptops send key cards; the office attaches them to the pool entries.
    write_pool(&p("pool.xlsx"));
    ok(lixiang(&office).args(["expert", "import", "--confirm", "--json"]).arg(p("pool.xlsx")));
    let mut experts = Vec::new();
    for (n, name) in [(1, "白玛"), (2, "蔡伦")] {
        let dir = p(&format!("expert-{n}"));
        let made = ok(lixiang(&dir).args(["init", "--role", "expert", "--name", name, "--json"]));
        let card = p(&format!("card-{n}.lxpkg"));
        ok(lixiang(&dir).args(["key", "export", "--out"]).arg(&card));
        ok(lixiang(&office)
            .args(["package", "import", "--trust-fingerprint", made["fingerprint"].as_str().unwrap()])
            .arg(&card));
        let key = ok(lixiang(&dir).args(["key", "show", "--json"]))["key_id"].as_str().unwrap().to_string();
        ok(lixiang(&office).args(["expert", "key", &format!("ZJ{n:06}"), "--key", &key]));
        experts.push(dir);
    }
    ok(lixiang(&office).args(["assign", "--call", &code, "--round", "1", "--per-item", "2", "--json"]));

    // Packets: one per expert, each only for its expert.
    std::fs::create_dir(p("packets")).unwrap();
    let written = ok(lixiang(&office)
        .args(["packet", "export", "--call", &code, "--round", "1", "--all", "--json", "--out-dir"])
        .arg(p("packets")));
    let packets = written["packets"].as_array().unwrap().clone();
    assert_eq!(packets.len(), 2);
    Round { tmp, office, experts, code, number, ofp, packets, institute, app_id: id }
}

#[test]
fn a_round_is_reviewed_by_files_only_and_ranked_from_the_sealed_sheets() {
    let r = round();
    let (office, experts, code, number, ofp) =
        (r.office.clone(), r.experts.clone(), r.code.clone(), r.number.clone(), r.ofp.clone());
    let p = |n: &str| r.p(n);
    let path_of = |e: &str| r.path_of(e);
    let wrong = lixiang(&experts[0])
        .args(["package", "import", "--json", "--trust-fingerprint", &ofp, &path_of("ZJ000002")])
        .output()
        .unwrap();
    assert_eq!(wrong.status.code(), Some(3));
    assert_eq!(serde_json::from_slice::<Value>(&wrong.stderr).unwrap()["code"], "package.not_addressed_to_me");

    let mut totals = Vec::new();
    for (k, dir) in experts.iter().enumerate() {
        let mine = path_of(&format!("ZJ{:06}", k + 1));
        ok(lixiang(dir).args(["package", "import", "--trust-fingerprint", &ofp, &mine]));
        let held = ok(lixiang(dir).args(["review", "list", "--json"]));
        let packet = held["packets"][0]["packet_id"].as_str().unwrap().to_string();
        let shown = ok(lixiang(dir).args(["review", "show", "--packet", &packet, "--json"]));
        assert_eq!(shown["sheets"][0]["number"], number.as_str());
        let criteria = shown["form"]["criteria"].as_array().unwrap().clone();
        // Seal refused while the sheet is incomplete (exit 3, each problem named).
        let early =
            lixiang(dir).args(["review", "seal", "--json", "--packet", &packet, "--item", &number]).output().unwrap();
        assert_eq!(early.status.code(), Some(3));
        let mut score = lixiang(dir);
        score.args(["review", "score", "--json", "--packet", &packet, "--item", &number]);
        let mut total = 0.0;
        for (ci, c) in criteria.iter().enumerate() {
            // Expert 1 gives 80% of each maximum, expert 2 60%, plus half a point on the first criterion.
            let max = c["weight"].as_f64().unwrap();
            let mut v = (max * if k == 0 { 0.8 } else { 0.6 }).floor();
            if ci == 0 && v + 0.5 <= max {
                v += 0.5;
            }
            total += v;
            score.args(["--score", &format!("{}={v}", c["id"].as_str().unwrap())]);
        }
        score.args(["--grade", "B", "--strengths", "路线清晰", "--weaknesses", "规模偏小"]);
        let st = ok(&mut score);
        assert_eq!(st["problems"].as_array().unwrap().len(), 0, "{st:#}");
        let sealed = ok(lixiang(dir).args(["review", "seal", "--json", "--packet", &packet, "--item", &number]));
        assert_eq!(sealed["receipt_sha256"].as_str().unwrap().len(), 64);
        #[cfg(feature = "pdf")]
        {
            let pdf = p(&format!("sheet-{k}.pdf"));
            let printed = ok(lixiang(dir)
                .args(["review", "print", "--json", "--packet", &packet, "--item", &number, "--out"])
                .arg(&pdf));
            assert!(printed["pages"].as_u64().unwrap() >= 1);
            assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
        }
        totals.push(total);
        let ret = p(&format!("return-{k}.lxpkg"));
        let r = ok(lixiang(dir).args(["review", "return", "--json", "--packet", &packet, "--out"]).arg(&ret));
        assert_eq!((r["seq"].as_u64(), r["sheets"].as_u64()), (Some(1), Some(1)));
        ok(lixiang(&office).args(["package", "import", "--json"]).arg(&ret));
        lixiang(dir).args(["audit", "verify"]).assert().success();
    }

    let progress = ok(lixiang(&office).args(["packet", "progress", "--call", &code, "--round", "1", "--json"]));
    assert_eq!((progress["sheets"].as_u64(), progress["expected"].as_u64()), (Some(2), Some(2)));
    assert_eq!(progress["items"][0]["outstanding"], 0);
    let ranked = ok(lixiang(&office).args(["rank", "--call", &code, "--round", "1", "--json"]));
    let item = &ranked["items"][0];
    assert_eq!((item["item"].as_str(), item["n"].as_u64()), (Some(number.as_str()), Some(2)));
    let mean = item["mean"].as_f64().unwrap();
    assert!((mean - (totals[0] + totals[1]) / 2.0).abs() < 1e-9, "{mean} vs {totals:?}");
    assert_eq!(ranked["items"][0]["grades"]["B"], 2);
    let book = p("ranking.xlsx");
    let written =
        ok(lixiang(&office).args(["report", "ranking", "--call", &code, "--round", "1", "--json", "--out"]).arg(&book));
    assert_eq!(written["kind"], "ranking");
    {
        use calamine::{Data, Reader, Xlsx};
        let mut wb: Xlsx<_> = calamine::open_workbook(&book).unwrap();
        let r = wb.worksheet_range("排名").unwrap();
        assert_eq!(r.get((1, 1)), Some(&Data::String(number.clone())));
        assert_eq!(r.get((1, 4)), Some(&Data::Float(mean)));
    }
    #[cfg(feature = "pdf")]
    {
        let report = p("ranking.pdf");
        let written = ok(lixiang(&office)
            .args(["report", "ranking", "--call", &code, "--round", "1", "--json", "--out"])
            .arg(&report));
        assert_eq!(written["format"], "pdf");
        assert!(std::fs::read(&report).unwrap().starts_with(b"%PDF"));
    }
    lixiang(&office).args(["audit", "verify"]).assert().success();
}

/// Copies an xlsx workbook (every sheet, every cell), setting the cells of Excel row `row` of 评分表
/// whose header `value` answers for.
fn fill_sheet(template: &Path, row: u32, value: impl Fn(&str) -> Option<Value>) -> Vec<u8> {
    use calamine::{Data, Reader};
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(template).unwrap();
    let mut out = rust_xlsxwriter::Workbook::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        let ws = out.add_worksheet();
        ws.set_name(&name).unwrap();
        let (Some((r0, c0)), Some((r1, c1))) = (range.start(), range.end()) else { continue };
        for r in r0..=r1 {
            for c in c0..=c1 {
                match range.get_value((r, c)) {
                    Some(Data::String(t)) => ws.write_string(r, c as u16, t).map(|_| ()).unwrap(),
                    Some(Data::Float(f)) => ws.write_number(r, c as u16, *f).map(|_| ()).unwrap(),
                    _ => {}
                }
                if name != "评分表" || r + 1 != row {
                    continue;
                }
                let header = match range.get_value((0, c)) {
                    Some(Data::String(h)) => h.clone(),
                    _ => continue,
                };
                match value(&header) {
                    Some(Value::Number(n)) => ws.write_number(r, c as u16, n.as_f64().unwrap()).map(|_| ()).unwrap(),
                    Some(Value::String(t)) => ws.write_string(r, c as u16, t).map(|_| ()).unwrap(),
                    _ => {}
                }
            }
        }
    }
    out.save_to_buffer().unwrap()
}

#[test]
fn a_paper_score_sheet_is_filled_in_imported_and_sealed() {
    let r = round();
    let dir = &r.experts[0];
    ok(lixiang(dir).args(["package", "import", "--trust-fingerprint", &r.ofp, &r.path_of("ZJ000001")]));
    let packet =
        ok(lixiang(dir).args(["review", "list", "--json"]))["packets"][0]["packet_id"].as_str().unwrap().to_string();
    let shown = ok(lixiang(dir).args(["review", "show", "--packet", &packet, "--json"]));
    let criteria = shown["form"]["criteria"].as_array().unwrap().clone();
    let template = r.p("评分表.xlsx");
    let t = ok(lixiang(dir).args(["scoresheet", "template", "--json", "--packet", &packet, "--out"]).arg(&template));
    assert_eq!(t["packet_id"], packet.as_str());

    // Excel row 2 is the one application; each criterion gets 80% of its maximum (whole points).
    let mut total = 0.0;
    let score = |header: &str| -> Option<f64> {
        let c = criteria.iter().find(|c| header.starts_with(&format!("{}（0–", c["name"]["zh"].as_str().unwrap())))?;
        Some((c["weight"].as_f64().unwrap() * 0.8).floor())
    };
    for c in &criteria {
        total += (c["weight"].as_f64().unwrap() * 0.8).floor();
    }
    let answer = |header: &str, over: bool| -> Option<Value> {
        if let Some(v) = score(header) {
            // The first criterion over its maximum when `over`.
            let first = header.starts_with(criteria[0]["name"]["zh"].as_str().unwrap());
            let v = if over && first { criteria[0]["weight"].as_f64().unwrap() + 1.0 } else { v };
            return Some(serde_json::json!(v));
        }
        match header {
            "申报编号" => Some(Value::String(r.number.clone())),
            "主要优点" => Some("技术路线清晰".into()),
            "主要不足与建议" => Some("示范规模偏小".into()),
            "总体评价（A/B/C/D）" => Some("B".into()),
            _ => None,
        }
    };

    // A bad cell: exit 3, the cell named in the JSON problems, and nothing written.
    let bad = r.p("bad.xlsx");
    std::fs::write(&bad, fill_sheet(&template, 2, |h| answer(h, true))).unwrap();
    let refused = lixiang(dir)
        .args(["scoresheet", "import", "--seal", "--json", "--packet", &packet])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(3));
    let err: Value = serde_json::from_slice(&refused.stderr).unwrap();
    assert_eq!(err["code"], "input.file_rejected");
    let problems = err["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{err:#}");
    assert_eq!(problems[0]["row"], 2);
    assert!(problems[0]["column"].as_str().unwrap().starts_with(criteria[0]["name"]["zh"].as_str().unwrap()));
    let still = ok(lixiang(dir).args(["review", "show", "--packet", &packet, "--json"]));
    assert_eq!(still["sheets"][0]["status"], "draft");
    assert_eq!(still["sheets"][0]["draft"], shown["sheets"][0]["draft"]);

    // The good sheet: imported and sealed in one go.
    let good = r.p("good.xlsx");
    std::fs::write(&good, fill_sheet(&template, 2, |h| answer(h, false))).unwrap();
    let imported = ok(lixiang(dir).args(["scoresheet", "import", "--seal", "--json", "--packet", &packet]).arg(&good));
    assert_eq!(imported["schema"], "lixiang.scoresheet_import.v1");
    let receipts = imported["receipts"].as_array().unwrap();
    assert_eq!(receipts.len(), 1);
    assert_eq!(receipts[0]["number"], r.number.as_str());
    assert_eq!(receipts[0]["total"].as_str().unwrap().parse::<f64>().unwrap(), total);
    let sealed = ok(lixiang(dir).args(["review", "show", "--packet", &packet, "--json"]));
    assert_eq!(sealed["sheets"][0]["status"], "sealed");
    assert_eq!(sealed["sheets"][0]["receipt_sha256"], receipts[0]["receipt_sha256"]);
    lixiang(dir).args(["audit", "verify"]).assert().success();
    // The sealed sheet goes back like one sealed on screen.
    ok(lixiang(dir).args(["review", "return", "--json", "--packet", &packet, "--out"]).arg(r.p("paper-return.lxpkg")));
    ok(lixiang(&r.office).args(["package", "import", "--json"]).arg(r.p("paper-return.lxpkg")));
    let progress = ok(lixiang(&r.office).args(["packet", "progress", "--call", &r.code, "--round", "1", "--json"]));
    assert_eq!(progress["sheets"].as_u64(), Some(1));
}

/// Every expert of the round scores its one item at 70% of each maximum with strengths of their own,
/// seals it and returns it; the office imports the returns.
fn score_all(r: &Round) {
    for (k, dir) in r.experts.iter().enumerate() {
        let mine = r.path_of(&format!("ZJ{:06}", k + 1));
        ok(lixiang(dir).args(["package", "import", "--trust-fingerprint", &r.ofp, &mine]));
        let held = ok(lixiang(dir).args(["review", "list", "--json"]));
        let packet = held["packets"][0]["packet_id"].as_str().unwrap().to_string();
        let shown = ok(lixiang(dir).args(["review", "show", "--packet", &packet, "--json"]));
        let mut score = lixiang(dir);
        score.args(["review", "score", "--json", "--packet", &packet, "--item", &r.number]);
        for c in shown["form"]["criteria"].as_array().unwrap() {
            let v = (c["weight"].as_f64().unwrap() * 0.7).floor();
            score.args(["--score", &format!("{}={v}", c["id"].as_str().unwrap())]);
        }
        let strengths = format!("意见{k}：技术路线清晰");
        score.args(["--grade", "B", "--strengths", &strengths, "--weaknesses", "示范规模偏小"]);
        ok(&mut score);
        ok(lixiang(dir).args(["review", "seal", "--json", "--packet", &packet, "--item", &r.number]));
        let ret = r.p(&format!("return-{k}.lxpkg"));
        ok(lixiang(dir).args(["review", "return", "--json", "--packet", &packet, "--out"]).arg(&ret));
        ok(lixiang(&r.office).args(["package", "import", "--json"]).arg(&ret));
    }
}

/// Runs a command expected to fail: its exit status and error code.
fn fails(c: &mut Command) -> (Option<i32>, String) {
    let out = c.output().unwrap();
    assert!(!out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    let err: Value = serde_json::from_slice(&out.stderr).unwrap_or(Value::Null);
    (out.status.code(), err["code"].as_str().unwrap_or_default().to_string())
}

#[test]
fn a_round_is_decided_through_the_notice_and_the_applicant_reads_the_result() {
    let r = round();
    score_all(&r);
    let (office, code, number) = (r.office.clone(), r.code.clone(), r.number.clone());
    // The plan dashboard while the round is scored: the item in review, nothing committed yet, the round's
    // two sheets in its distribution.
    let dash = |programme: &str| ok(lixiang(&office).args(["report", "dashboard", "--json", "--programme", programme]));
    let d = dash("ZX06");
    assert_eq!(d["schema"], "lixiang.report.dashboard.v1");
    let stage = |d: &Value, s: &str| {
        d["programmes"][0]["pipeline"].as_array().unwrap().iter().find(|c| c["stage"] == s).unwrap()["count"].clone()
    };
    assert_eq!((stage(&d, "in_review"), stage(&d, "funded")), (1.into(), 0.into()));
    assert_eq!(d["programmes"][0]["targets"][0]["committed"], 0.0);
    assert_eq!(d["rounds"][0]["sheets"], 2);
    assert_eq!(d["rounds"][0]["experts"].as_array().unwrap().len(), 2);
    let t0 = "2027-06-01T09:00:00+08:00";
    let decide = |args: &[&str]| {
        let mut c = lixiang(&office);
        c.arg("decide").args(args).args(["--json"]);
        c
    };
    let round = ["--call", code.as_str(), "--round", "1"];

    // A --drop without its --reason is refused as input; the list takes the one item within the line.
    let (status, _) = fails(decide(&["recommend", "--at", t0, "--drop", &number]).args(round));
    assert_eq!(status, Some(3));
    let list = ok(decide(&["recommend", "--at", t0]).args(round));
    assert_eq!(list["schema"], "lixiang.decide.recommendation.v1");
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        (list["items"][0]["number"].as_str(), list["items"][0]["basis"].as_str()),
        (Some(number.as_str()), Some("line"))
    );

    // The recommendation list as a workbook; the 公示 notice only once the 公示 has started.
    let report = |kind: &str, file: &Path| {
        let mut c = lixiang(&office);
        c.args(["report", kind, "--json", "--call", &code, "--round", "1", "--out"]).arg(file);
        c
    };
    let book = r.p("recommendation.xlsx");
    let written = ok(&mut report("recommendation", &book));
    assert_eq!((written["kind"].as_str(), written["items"].as_u64()), (Some("recommendation"), Some(1)));
    {
        use calamine::{Data, Reader, Xlsx};
        let mut wb: Xlsx<_> = calamine::open_workbook(&book).unwrap();
        let rows = wb.worksheet_range("推荐名单").unwrap();
        assert_eq!(rows.get((1, 1)), Some(&Data::String(number.clone())));
        assert_eq!(rows.get((1, 8)), Some(&Data::String("资助线内".into())));
    }
    let (status, err) = fails(&mut report("publicity", &r.p("notice.xlsx")));
    assert_eq!((status, err.as_str()), (Some(4), "decision.no_publicity"));
    let (status, _) = fails(&mut report("publicity", &r.p("notice.docx")));
    assert_eq!(status, Some(3), "an output that is neither .xlsx nor .pdf is refused as input");

    // The final decision before a 公示: a state conflict.
    let out_dir = r.p("results");
    std::fs::create_dir(&out_dir).unwrap();
    let out = out_dir.to_str().unwrap();
    let (status, err) = fails(decide(&["final", "--out-dir", out, "--at", "2027-06-09T09:00:00+08:00"]).args(round));
    assert_eq!((status, err.as_str()), (Some(4), "decision.no_publicity"));

    let p = ok(decide(&["publicity", "--start", "2027-06-02", "--days", "7", "--at", t0]).args(round));
    assert_eq!((p["starts_on"].as_str(), p["ends_on"].as_str()), (Some("2027-06-02"), Some("2027-06-08")));
    let o = ok(decide(&[
        "objection",
        "--item",
        &number,
        "--summary",
        "负责人在研项目超限",
        "--received-on",
        "2027-06-03",
        "--at",
        t0,
    ])
    .args(round));
    let id = o["id"].as_i64().unwrap().to_string();
    let notice = r.p("notice.xlsx");
    ok(&mut report("publicity", &notice));
    {
        use calamine::{Data, Reader, Xlsx};
        let mut wb: Xlsx<_> = calamine::open_workbook(&notice).unwrap();
        let rows = wb.worksheet_range("公示名单").unwrap();
        assert_eq!(rows.get((1, 1)), Some(&Data::String(number.clone())));
        let facts = wb.worksheet_range("说明").unwrap();
        assert_eq!(facts.get((2, 1)), Some(&Data::String("2027-06-02 至 2027-06-08（7 天）".into())));
    }
    #[cfg(feature = "pdf")]
    {
        let pdf = r.p("notice.pdf");
        let written = ok(&mut report("publicity", &pdf));
        assert_eq!(written["format"], "pdf");
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    }

    let (status, err) = fails(decide(&["final", "--out-dir", out, "--at", "2027-06-05T10:00:00+08:00"]).args(round));
    assert_eq!((status, err.as_str()), (Some(4), "decision.publicity_running"));
    let (status, err) = fails(decide(&["final", "--out-dir", out, "--at", "2027-06-09T09:00:00+08:00"]).args(round));
    assert_eq!((status, err.as_str()), (Some(4), "decision.objection_open"));
    let resolved =
        ok(&mut decide(&["resolve", "--objection", &id, "--dismissed", "--reason", "经核查未超限", "--at", t0]));
    assert_eq!(resolved["resolution"], "dismissed");
    let (status, err) = fails(&mut decide(&["resolve", "--objection", &id, "--upheld", "--reason", "改判"]));
    assert_eq!((status, err.as_str()), (Some(4), "decision.objection_resolved"));

    let decided = ok(decide(&["final", "--out-dir", out, "--at", "2027-06-09T09:00:00+08:00"]).args(round));
    let items = decided["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!((items[0]["number"].as_str(), items[0]["funded"].as_bool()), (Some(number.as_str()), Some(true)));
    let (status, err) = fails(decide(&["final", "--out-dir", out, "--at", "2027-06-10T09:00:00+08:00"]).args(round));
    assert_eq!((status, err.as_str()), (Some(4), "decision.already_final"));
    // The result packages written again into another folder: the same files, byte for byte.
    let again_dir = r.p("results-again");
    std::fs::create_dir(&again_dir).unwrap();
    let resent = ok(decide(&["resend", "--out-dir", again_dir.to_str().unwrap(), "--number", &number]).args(round));
    let first = Path::new(items[0]["path"].as_str().unwrap());
    let copy = Path::new(resent["items"][0]["path"].as_str().unwrap());
    assert_eq!(copy.file_name(), first.file_name());
    assert_eq!(std::fs::read(copy).unwrap(), std::fs::read(first).unwrap());
    let shown = ok(decide(&["show"]).args(round));
    assert_eq!(shown["finals"][0]["funded"], true);
    // Approved: the demo application's 2 new varieties (个) count towards ZX06-T1 (10–15个), still under.
    let d = dash("ZX06");
    assert_eq!((stage(&d, "in_review"), stage(&d, "funded")), (0.into(), 1.into()));
    let t1 = &d["programmes"][0]["targets"][0];
    assert_eq!(
        (t1["code"].as_str(), t1["committed"].as_f64(), t1["status"].as_str()),
        (Some("ZX06-T1"), Some(2.0), Some("under"))
    );
    assert_eq!(t1["contributions"][0]["number"].as_str(), Some(number.as_str()));
    assert_eq!(dash("ZX01")["programmes"][0]["approved"], 0);
    let text = lixiang(&office).args(["report", "dashboard", "--lang", "en"]).output().unwrap();
    assert!(text.status.success());
    assert!(String::from_utf8_lossy(&text.stdout).contains(&number), "the contributing project is listed");
    let (status, err) = fails(lixiang(&office).args(["report", "dashboard", "--json", "--programme", "ZX09"]));
    assert_eq!((status, err.as_str()), (Some(3), "not_found"));
    // The dashboard as PDF: only to a .pdf file (refused as input before anything is read otherwise).
    let (status, _) = fails(lixiang(&office).args(["report", "dashboard", "--json", "--out"]).arg(r.p("dash.xlsx")));
    assert_eq!(status, Some(3), "a dashboard is written as PDF only");
    assert!(!r.p("dash.xlsx").exists());
    #[cfg(feature = "pdf")]
    {
        let pdf = r.p("dashboard.pdf");
        let written =
            ok(lixiang(&office).args(["report", "dashboard", "--json", "--programme", "ZX06", "--out"]).arg(&pdf));
        assert_eq!((written["kind"].as_str(), written["format"].as_str()), (Some("dashboard"), Some("pdf")));
        assert_eq!((written["programmes"].as_u64(), written["approved"].as_u64()), (Some(1), Some(1)));
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    }
    lixiang(&office).args(["audit", "verify"]).assert().success();

    // The institute imports its result: 立项, the reason, both experts' comments and no expert's identity.
    let file = items[0]["path"].as_str().unwrap();
    ok(lixiang(&r.institute).args(["package", "import", file]));
    let st = ok(lixiang(&r.institute).args(["application", "status", &r.app_id, "--json"]));
    assert_eq!((st["state"].as_str(), st["state_zh"].as_str()), (Some("approved"), Some("立项")));
    let strengths: Vec<&str> =
        st["funding"]["comments"]["strengths"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(strengths, ["意见0：技术路线清晰", "意见1：技术路线清晰"]);
    let text = st.to_string();
    for id in ["ZJ000001", "ZJ000002", "白玛", "蔡伦"] {
        assert!(!text.contains(id), "{id} in {text}");
    }
}

#[test]
fn the_panel_round_takes_the_shortlist_and_records_a_vote() {
    let r = round();
    score_all(&r);
    let (office, code, number) = (r.office.clone(), r.code.clone(), r.number.clone());
    let t0 = "2027-05-20T09:00:00+08:00";
    let panel = |args: &[&str]| {
        let mut c = lixiang(&office);
        c.arg("panel").args(args).args(["--json", "--call", code.as_str(), "--round", "2"]);
        c
    };
    // Round 2 (会议评审) reviews the shortlist only, so its assignment waits for it.
    let (status, err) =
        fails(lixiang(&office).args(["assign", "--call", &code, "--round", "2", "--per-item", "2", "--json"]));
    assert_eq!((status, err.as_str()), (Some(4), "panel.shortlist_missing"));
    let preview = ok(&mut panel(&["shortlist", "--preview", "--percent", "200"]));
    let places = preview["places"].as_u64().unwrap();
    assert_eq!((preview["percent"].as_u64(), preview["cut"].as_u64()), (Some(200), Some(2 * places)));
    let (status, err) =
        fails(lixiang(&office).args(["assign", "--call", &code, "--round", "2", "--per-item", "2", "--json"]));
    assert_eq!((status, err.as_str()), (Some(4), "panel.shortlist_missing"), "a preview makes nothing");
    let list = ok(&mut panel(&["shortlist", "--at", t0]));
    assert_eq!(list["schema"], "lixiang.panel.shortlist.v1");
    assert_eq!(list["items"][0]["number"], number.as_str());
    ok(lixiang(&office).args(["assign", "--call", &code, "--round", "2", "--per-item", "2", "--json"]));
    let shown = ok(&mut panel(&["show"]));
    assert_eq!(shown["members"].as_array().unwrap().len(), 2);
    assert_eq!(shown["order"][0]["items"][0], number.as_str());
    let decide = |args: &[&str]| {
        let mut c = lixiang(&office);
        c.arg("decide").args(args).args(["--json", "--call", code.as_str(), "--round", "2"]);
        c
    };
    // No recommendation list from the vote round while its item has no vote.
    let (status, err) = fails(&mut decide(&["recommend", "--at", t0]));
    assert_eq!((status, err.as_str()), (Some(4), "panel.votes_missing"));
    // Two present, two votes needed; one yes of two is short of 2/3.
    let (status, err) =
        fails(&mut panel(&["vote", "--item", &number, "--present", "ZJ000001,ZJ000002", "--yes", "1", "--no", "0"]));
    assert_eq!((status, err.as_str()), (Some(3), "input.invalid"));
    let v = ok(&mut panel(&[
        "vote",
        "--item",
        &number,
        "--present",
        "ZJ000001,ZJ000002",
        "--yes",
        "1",
        "--no",
        "1",
        "--at",
        t0,
    ]));
    assert_eq!(v["vote"]["recommended"], false);
    let v = ok(&mut panel(&[
        "vote",
        "--item",
        &number,
        "--present",
        "ZJ000001,ZJ000002",
        "--yes",
        "2",
        "--no",
        "0",
        "--at",
        t0,
    ]));
    assert_eq!(v["vote"]["recommended"], true, "a vote recorded again replaces the first");
    let (status, err) = fails(&mut panel(&["shortlist"]));
    assert_eq!((status, err.as_str()), (Some(4), "panel.votes_recorded"));

    // The list of the vote round is read from the votes: the recommended item, basis `voted`, its tally.
    let list = ok(&mut decide(&["recommend", "--at", t0]));
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let line = &list["items"][0];
    assert_eq!((line["number"].as_str(), line["basis"].as_str()), (Some(number.as_str()), Some("voted")));
    assert_eq!((line["votes"]["yes"].as_u64(), line["votes"]["voters"].as_u64()), (Some(2), Some(2)));
    assert_eq!(line["rank"], 1, "its rank in round 1");
    let book = r.p("voted.xlsx");
    ok(lixiang(&office)
        .args(["report", "recommendation", "--json", "--call", &code, "--round", "2", "--out"])
        .arg(&book));
    {
        use calamine::{Data, Reader, Xlsx};
        let mut wb: Xlsx<_> = calamine::open_workbook(&book).unwrap();
        let rows = wb.worksheet_range("推荐名单").unwrap();
        assert_eq!(rows.get((1, 1)), Some(&Data::String(number.clone())));
        assert_eq!(rows.get((1, 8)), Some(&Data::String("会议评审表决通过".into())));
    }
    // Through the 公示 to the final decision and the applicant's result.
    ok(&mut decide(&["publicity", "--start", "2027-06-02", "--days", "7", "--at", t0]));
    let out_dir = r.p("results");
    std::fs::create_dir(&out_dir).unwrap();
    let out = out_dir.to_str().unwrap();
    let decided = ok(&mut decide(&["final", "--at", "2027-06-09T09:00:00+08:00", "--out-dir", out]));
    let items = decided["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!((items[0]["number"].as_str(), items[0]["funded"].as_bool()), (Some(number.as_str()), Some(true)));
    ok(lixiang(&r.institute).args(["package", "import", items[0]["path"].as_str().unwrap()]));
    let st = ok(lixiang(&r.institute).args(["application", "status", &r.app_id, "--json"]));
    assert_eq!(st["state"], "approved");
    assert_eq!(st["funding"]["rank"], 1);
    lixiang(&office).args(["audit", "verify"]).assert().success();
}

#[test]
fn a_demo_application_under_a_title_of_its_own_is_another_application() {
    let tmp = tempfile::tempdir().unwrap();
    let p = |n: &str| tmp.path().join(n);
    let (office, institute) = (p("office"), p("institute"));
    let o = ok(lixiang(&office).args(["init", "--role", "office", "--name", "科技厅", "--json"]));
    ok(lixiang(&institute).args(["init", "--role", "applicant", "--name", "农牧科学院", "--json"]));
    let code =
        ok(lixiang(&office).args(["call", "create", "--demo", "ZX06", "--json"]))["code"].as_str().unwrap().to_string();
    ok(lixiang(&office).args(["call", "publish", &code]));
    ok(lixiang(&office).args(["call", "export", &code, "--out"]).arg(p("call.lxpkg")));
    let ofp = o["fingerprint"].as_str().unwrap();
    ok(lixiang(&institute).args(["package", "import", "--trust-fingerprint", ofp]).arg(p("call.lxpkg")));
    let new = |title: Option<&str>| {
        let mut c = lixiang(&institute);
        c.args(["application", "new", "--demo", "--json", "--call", &code]);
        if let Some(t) = title {
            c.args(["--title", t]);
        }
        ok(&mut c)
    };
    let plain = new(None);
    let a = new(Some("牦牛良种繁育"));
    let b = new(Some("饲草轮作技术"));
    assert_eq!(a["title"], "牦牛良种繁育");
    let ids: std::collections::BTreeSet<&str> = [&plain, &a, &b].iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 3, "each title is an application of its own");
    assert_eq!(new(Some("牦牛良种繁育"))["id"], a["id"], "the same title is the same application");
    let listed = ok(lixiang(&institute).args(["application", "list", "--json"]));
    assert_eq!(listed["applications"].as_array().unwrap().len(), 3);
    // Still a UUID v7 (the version nibble untouched).
    assert_eq!(&a["id"].as_str().unwrap()[14..15], "7");
}
