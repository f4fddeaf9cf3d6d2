//! The appeal (申诉) against 不予受理 through the real `lixiang` binary, across an office and an institute
//! workspace exchanging real package files: refused, appealed, granted, accepted on the same version; the
//! institute imports both results and shows the newest with the granted appeal's answer, a second copy is
//! already imported. Upheld: the answer is written with --out (required) and the institute shows 维持原决定
//! with the reason, the refusal unchanged. Refusals exit 4 with their codes; bad input exits 3. Asserts
//! codes and statuses, not message text.

use assert_cmd::Command;
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

#[test]
fn a_refusal_appealed_granted_and_accepted_reaches_the_institute_by_files() {
    let tmp = tempfile::tempdir().unwrap();
    let (office, institute) = (tmp.path().join("office"), tmp.path().join("institute"));
    let o = ok(with_identity_env(&office)
        .args(["init", "--role", "office", "--name", "科技厅", "--json"])
        .output()
        .unwrap());
    let i = ok(with_identity_env(&institute)
        .args(["init", "--role", "applicant", "--name", "农牧科学院", "--json"])
        .output()
        .unwrap());
    let code = ok(lixiang(&office).args(["call", "create", "--demo", "ZX06", "--json"]).output().unwrap())["code"]
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
    let opens_at = ok(lixiang(&institute).args(["call", "show", &code]).output().unwrap())["opens_at"]
        .as_str()
        .unwrap()
        .to_string();
    let day = &opens_at[..10];
    let id =
        ok(lixiang(&institute).args(["application", "new", "--demo", "--json", "--call", &code]).output().unwrap())
            ["id"]
            .as_str()
            .unwrap()
            .to_string();
    let sub = tmp.path().join("submission.lxpkg");
    with_identity_env(&institute)
        .args(["application", "submit", &id, "--json", "--at", &opens_at, "--out"])
        .arg(&sub)
        .assert()
        .success();
    with_identity_env(&office)
        .args(["package", "import", "--trust-fingerprint", i["fingerprint"].as_str().unwrap()])
        .arg(&sub)
        .assert()
        .success();
    let received = ok(lixiang(&office).args(["application", "received", "--json"]).output().unwrap());
    let number = received["applications"][0]["number"].as_str().unwrap().to_string();
    let status_in_list = || {
        let listed = ok(lixiang(&office).args(["application", "received", "--json"]).output().unwrap());
        listed["applications"][0]["status"].as_str().unwrap().to_string()
    };
    let check = |args: &[&str]| {
        with_identity_env(&office).args(["check", &number, "--json", "--at", &opens_at]).args(args).output().unwrap()
    };

    // Nothing decided yet: nothing to appeal.
    let early = check(&["--appeal", "--received", day, "--from", "申报单位来函", "--text", "请复核"]);
    assert_eq!(refused(early), (Some(4), "appeal.not_decided".into()));

    // 不予受理, written as the first result package.
    let result1 = tmp.path().join("result-1.lxpkg");
    let rejected =
        ok(check(&["--decide", "reject", "--reason", "缺少盖章的承诺书", "--out", result1.to_str().unwrap()]));
    assert_eq!(rejected["decision"], "reject");
    assert_eq!(status_in_list(), "not_accepted");
    let report = ok(check(&[]));
    assert_eq!((report["appealable"].as_bool(), report["decidable"].as_bool()), (Some(true), Some(false)));

    // The appeal: bad input exits 3, then logged; a second one is refused.
    let no_date = check(&["--appeal", "--received", "04/01", "--from", "申报单位来函", "--text", "请复核"]);
    assert_eq!(refused(no_date), (Some(3), "input.invalid".into()));
    let usage = check(&["--appeal", "--from", "申报单位来函"]).status.code();
    assert_eq!(usage, Some(2), "--appeal needs --received, --from and --text");
    // Received before the refusal was decided (the decision is dated --at, the call's opening day).
    let before_decision = check(&["--appeal", "--received", "2020-01-01", "--from", "来函", "--text", "请复核"]);
    assert_eq!(refused(before_decision), (Some(3), "appeal.received_before_decision".into()));
    assert_eq!(ok(check(&[]))["appeal"], Value::Null, "nothing logged");
    let logged = ok(check(&[
        "--appeal",
        "--received",
        day,
        "--from",
        "申报单位来函（挂号信）",
        "--text",
        "承诺书已作为附件提交",
    ]));
    assert_eq!(logged["schema"], "lixiang.formal_appeal.v1");
    assert_eq!((logged["number"].as_str(), logged["outcome"].is_null()), (Some(number.as_str()), true));
    let second = check(&["--appeal", "--received", day, "--from", "同上", "--text", "再次申诉"]);
    assert_eq!(refused(second), (Some(4), "appeal.already_open".into()));
    let report = ok(check(&[]));
    assert_eq!(report["appeal"]["appellant"], "申报单位来函（挂号信）");
    let text = with_identity_env(&office).args(["check", &number, "--at", &opens_at]).output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("申诉"), "the report shows the appeal");
    let blocked = check(&["--decide", "accept", "--out", tmp.path().join("x.lxpkg").to_str().unwrap()]);
    assert_eq!(refused(blocked), (Some(4), "formal.already_decided".into()));

    // Granted: the refusal is set aside, the list shows the application received again.
    let bad = check(&["--appeal-resolve", "maybe", "--reason", "x"]);
    assert_eq!(refused(bad), (Some(3), "input.invalid".into()));
    let no_reason = check(&["--appeal-resolve", "granted"]);
    assert_eq!(refused(no_reason), (Some(3), "input.invalid".into()));
    // A granted appeal has no package of its own: the decision made again carries the answer.
    let with_file =
        check(&["--appeal-resolve", "granted", "--reason", "x", "--out", tmp.path().join("g.lxpkg").to_str().unwrap()]);
    assert_eq!(refused(with_file), (Some(4), "appeal.granted_no_file".into()));
    assert!(!tmp.path().join("g.lxpkg").exists());
    let granted = ok(check(&["--appeal-resolve", "granted", "--reason", "承诺书在附件第 3 项中"]));
    assert_eq!(
        (granted["outcome"].as_str(), granted["reason"].as_str()),
        (Some("granted"), Some("承诺书在附件第 3 项中"))
    );
    assert_eq!(status_in_list(), "received");
    let twice = check(&["--appeal-resolve", "upheld", "--reason", "再议"]);
    assert_eq!(refused(twice), (Some(4), "appeal.already_resolved".into()));
    let report = ok(check(&[]));
    assert_eq!(report["decidable"], true);

    // Decided again on the same version: a new result package.
    let result2 = tmp.path().join("result-2.lxpkg");
    let accepted = ok(check(&["--decide", "accept", "--out", result2.to_str().unwrap()]));
    assert_eq!((accepted["decision"].as_str(), accepted["version"].as_u64()), (Some("accept"), Some(1)));
    assert_eq!(status_in_list(), "accepted");
    let report = ok(check(&[]));
    assert_eq!(
        (report["decision"]["seq"].as_u64(), report["decision"]["after_appeal"].as_bool()),
        (Some(2), Some(true))
    );
    // The whole way in the report: decision 1 不予受理 with its granted appeal, then decision 2 受理.
    let history = &report["history"];
    assert_eq!(history.as_array().map(Vec::len), Some(1), "{history}");
    assert_eq!(history[0]["version"], 1);
    let steps = history[0]["steps"].as_array().unwrap();
    assert_eq!(steps.len(), 2);
    assert_eq!(
        (steps[0]["decision"]["seq"].as_u64(), steps[0]["decision"]["decision"].as_str()),
        (Some(1), Some("reject"))
    );
    assert_eq!(steps[0]["appeal"]["outcome"], "granted");
    assert_eq!(steps[0]["appeal"]["appellant"], "申报单位来函（挂号信）");
    assert_eq!(
        (steps[1]["decision"]["seq"].as_u64(), steps[1]["decision"]["decision"].as_str()),
        (Some(2), Some("accept"))
    );
    assert!(steps[1]["appeal"].is_null());
    assert!(report["appeal"].is_null(), "decision 2 itself was not appealed");
    let text = with_identity_env(&office).args(["--lang", "en", "check", &number, "--at", &opens_at]).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    let (d1, appeal_at, d2) =
        (text.find("decision 1").unwrap(), text.find("Appeal:").unwrap(), text.find("decision 2").unwrap());
    assert!(d1 < appeal_at && appeal_at < d2, "in order: {text}");
    let against_accept = check(&["--appeal", "--received", day, "--from", "来函", "--text", "请复核"]);
    assert_eq!(refused(against_accept), (Some(4), "appeal.not_rejected".into()));
    let resent = tmp.path().join("resent.lxpkg");
    ok(check(&["--resend", "--out", resent.to_str().unwrap()]));
    assert_eq!(std::fs::read(&resent).unwrap(), std::fs::read(&result2).unwrap(), "the newest result is resent");

    // The institute: the refusal, then the decision after the appeal supersedes it; a copy is already imported.
    let import =
        |file: &Path| with_identity_env(&institute).args(["package", "import", "--json"]).arg(file).output().unwrap();
    assert_eq!(ok(import(&result1))["imported"], 1);
    let status = || ok(lixiang(&institute).args(["application", "status", &id, "--json"]).output().unwrap());
    assert_eq!(status()["state"], "not_accepted");
    assert_eq!(ok(import(&result2))["imported"], 1);
    let st = status();
    assert_eq!((st["state"].as_str(), st["after_appeal"].as_bool()), (Some("accepted"), Some(true)));
    assert_eq!(
        (st["appeal"]["outcome"].as_str(), st["appeal"]["reason"].as_str()),
        (Some("granted"), Some("承诺书在附件第 3 项中"))
    );
    assert_eq!((st["result"]["seq"].as_u64(), st["result"]["version"].as_u64()), (Some(2), Some(1)));
    let copy = tmp.path().join("copy-of-result-2.lxpkg");
    std::fs::copy(&result2, &copy).unwrap();
    let again = ok(import(&copy));
    assert_eq!(
        (again["imported"].as_u64(), again["results"][0]["outcome"].as_str()),
        (Some(0), Some("already_imported"))
    );
    let text = lixiang(&institute).args(["--lang", "en", "application", "status", &id]).output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("after an appeal"));

    for ws in [&office, &institute] {
        lixiang(ws).args(["audit", "verify"]).assert().success();
    }
}

#[test]
fn an_upheld_appeal_leaves_the_refusal_standing() {
    let tmp = tempfile::tempdir().unwrap();
    let (office, institute) = (tmp.path().join("office"), tmp.path().join("institute"));
    let o = ok(with_identity_env(&office)
        .args(["init", "--role", "office", "--name", "科技厅", "--json"])
        .output()
        .unwrap());
    let i = ok(with_identity_env(&institute)
        .args(["init", "--role", "applicant", "--name", "农牧科学院", "--json"])
        .output()
        .unwrap());
    let code = ok(lixiang(&office).args(["call", "create", "--demo", "ZX06", "--json"]).output().unwrap())["code"]
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
    let opens_at = ok(lixiang(&institute).args(["call", "show", &code]).output().unwrap())["opens_at"]
        .as_str()
        .unwrap()
        .to_string();
    let id =
        ok(lixiang(&institute).args(["application", "new", "--demo", "--json", "--call", &code]).output().unwrap())
            ["id"]
            .as_str()
            .unwrap()
            .to_string();
    let sub = tmp.path().join("submission.lxpkg");
    with_identity_env(&institute)
        .args(["application", "submit", &id, "--at", &opens_at, "--out"])
        .arg(&sub)
        .assert()
        .success();
    with_identity_env(&office)
        .args(["package", "import", "--trust-fingerprint", i["fingerprint"].as_str().unwrap()])
        .arg(&sub)
        .assert()
        .success();
    let received = ok(lixiang(&office).args(["application", "received", "--json"]).output().unwrap());
    let number = received["applications"][0]["number"].as_str().unwrap().to_string();
    let check = |args: &[&str]| {
        with_identity_env(&office).args(["check", &number, "--json", "--at", &opens_at]).args(args).output().unwrap()
    };
    let result = tmp.path().join("result.lxpkg");
    ok(check(&["--decide", "reject", "--reason", "不在支持范围内", "--out", result.to_str().unwrap()]));
    ok(check(&["--appeal", "--received", &opens_at[..10], "--from", "项目负责人当面递交", "--text", "属于支持方向"]));
    // Upheld without --out: refused (the answer must reach the applicant), nothing written.
    let no_out = check(&["--appeal-resolve", "upheld", "--reason", "不属于本专项支持方向"]);
    assert_eq!(refused(no_out), (Some(4), "appeal.answer_needs_file".into()));
    assert!(ok(check(&[]))["appeal"]["outcome"].is_null(), "still open");
    let answer = tmp.path().join("answer.lxpkg");
    let upheld = ok(check(&[
        "--appeal-resolve",
        "upheld",
        "--reason",
        "不属于本专项支持方向",
        "--out",
        answer.to_str().unwrap(),
    ]));
    assert_eq!(upheld["outcome"], "upheld");
    assert_eq!(upheld["package"]["path"].as_str(), answer.to_str());
    assert!(answer.is_file());
    let listed = ok(lixiang(&office).args(["application", "received", "--json"]).output().unwrap());
    assert_eq!(listed["applications"][0]["status"], "not_accepted");
    let report = ok(check(&[]));
    assert_eq!((report["decidable"].as_bool(), report["appealable"].as_bool()), (Some(false), Some(false)));
    let again = check(&["--appeal", "--received", &opens_at[..10], "--from", "来函", "--text", "再次申诉"]);
    assert_eq!(refused(again), (Some(4), "appeal.already_resolved".into()));

    // The institute imports the refusal, then the answer: the refusal stands, with 维持原决定 and the reason.
    let import =
        |file: &Path| with_identity_env(&institute).args(["package", "import", "--json"]).arg(file).output().unwrap();
    assert_eq!(ok(import(&result))["imported"], 1);
    assert_eq!(ok(import(&answer))["imported"], 1);
    let st = ok(lixiang(&institute).args(["application", "status", &id, "--json"]).output().unwrap());
    assert_eq!((st["state"].as_str(), st["after_appeal"].as_bool()), (Some("not_accepted"), Some(false)));
    assert_eq!((st["result"]["seq"].as_u64(), st["result"]["decision"].as_str()), (Some(1), Some("reject")));
    assert_eq!(
        (st["appeal"]["outcome"].as_str(), st["appeal"]["reason"].as_str()),
        (Some("upheld"), Some("不属于本专项支持方向"))
    );
    let text = lixiang(&institute).args(["application", "status", &id]).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    assert!(text.contains("申诉结果：维持原决定（不属于本专项支持方向）"), "{text}");
    // Twice: already imported.
    let copy = tmp.path().join("copy-of-answer.lxpkg");
    std::fs::copy(&answer, &copy).unwrap();
    assert_eq!(ok(import(&copy))["results"][0]["outcome"], "already_imported");
    for ws in [&office, &institute] {
        lixiang(ws).args(["audit", "verify"]).assert().success();
    }
}
