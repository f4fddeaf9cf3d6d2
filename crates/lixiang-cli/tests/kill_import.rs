//! The office's import survives `kill -9`: the real `lixiang package import` process is killed at
//! seeded random instants while it imports a ~20 MB submission. After each kill the database passes
//! `PRAGMA integrity_check`, the submission is wholly present (its rows — submission, imported package,
//! audit event, list index, 查重 set — and every attachment blob, byte for byte) or wholly absent, and
//! importing the file again completes. Each run starts from a copy of the office's workspace as it was
//! before the import.
//!
//! `LIXIANG_KILL_SEED` replays a run (the seed is printed); `LIXIANG_KILL_RUNS` (default 50) trades
//! coverage for time. Here because the test needs the binary Cargo builds for this crate
//! (`CARGO_BIN_EXE_lixiang`): a test elsewhere could only guess its path and might run a stale one.
//! Linux-only: it sends SIGKILL (`Child::kill`) and copies a live workspace directory.

#![cfg(target_os = "linux")]

use lixiang_core::application::bench::{self, Rng};
use rusqlite::Connection;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const PASSPHRASE: &str = "bench passphrase";

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn import_cmd(ws: &Path, file: &Path, fingerprint: &str) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_lixiang"));
    c.arg("--data-dir")
        .arg(ws)
        .args(["package", "import", "--json", "--trust-fingerprint", fingerprint])
        .arg(file)
        .env("LIXIANG_PASSPHRASE", PASSPHRASE)
        .env_remove("LIXIANG_DATA_DIR")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    c
}

/// What the office's database holds of the submission: the number of rows in each table that records
/// it, and whether every attachment blob it references is there with its content.
#[derive(Debug, PartialEq, Eq)]
struct Held {
    submission: i64,
    package: i64,
    audit: i64,
    index: i64,
    shingles: i64,
    blobs_ok: bool,
}

fn held(ws: &Path, application_id: &str, package_id: &str) -> Held {
    let conn = Connection::open(ws.join("lixiang.db")).unwrap();
    let check: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    let count = |sql: &str, key: &str| -> i64 { conn.query_row(sql, [key], |r| r.get(0)).unwrap() };
    let submission = count("SELECT count(*) FROM submission_received WHERE application_id = ?1", application_id);
    let mut blobs_ok = true;
    if submission > 0 {
        let bytes: Vec<u8> = conn
            .query_row("SELECT bytes FROM submission_received WHERE application_id = ?1", [application_id], |r| {
                r.get(0)
            })
            .unwrap();
        let app: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        for a in app["attachments"].as_array().unwrap() {
            let sha = a["sha256"].as_str().unwrap();
            let blob = std::fs::read(ws.join("blobs").join(sha)).unwrap_or_default();
            blobs_ok &= lixiang_store::sha256_hex(&blob) == sha;
        }
    }
    Held {
        submission,
        package: count("SELECT count(*) FROM imported_package WHERE package_id = ?1", package_id),
        audit: count("SELECT count(*) FROM audit_event WHERE action = 'import' AND record_id = ?1", package_id),
        index: count("SELECT count(*) FROM application_index WHERE application_id = ?1", application_id),
        shingles: count("SELECT count(*) FROM application_shingles WHERE application_id = ?1", application_id),
        blobs_ok,
    }
}

fn all(n: i64) -> Held {
    Held { submission: n, package: n, audit: n, index: n, shingles: n, blobs_ok: true }
}

#[test]
fn a_killed_import_leaves_the_submission_wholly_present_or_absent_and_can_be_redone() {
    let seed: u64 = std::env::var("LIXIANG_KILL_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
    });
    let runs: usize = std::env::var("LIXIANG_KILL_RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(50);
    println!("kill test: seed {seed} (LIXIANG_KILL_SEED={seed} replays it), {runs} runs");
    let started = Instant::now();

    let mut ex = bench::exchange().unwrap();
    let sub = ex.dir.path().join("SUBMISSION-20MB.lxpkg");
    let application_id = ex.submission(0, 20 << 20, &sub).unwrap();
    let size = std::fs::metadata(&sub).unwrap().len();
    assert!(size > 20_000_000, "{size}");
    let inspection = lixiang_core::package::inspect(&sub, &Default::default()).unwrap();
    let package_id = inspection.manifest.id.to_string();
    let fingerprint = ex.applicant_fingerprint.clone();
    let office_dir = ex.office.dir().to_path_buf();
    // Closing the workspace checkpoints its WAL: the copy below is the whole database.
    drop(std::mem::replace(&mut ex.office, lixiang_core::Workspace::open(&ex.dir.path().join("scratch")).unwrap()));
    let pristine: PathBuf = ex.dir.path().join("office-before");
    copy_dir(&office_dir, &pristine);
    assert_eq!(held(&pristine, &application_id, &package_id), all(0));

    // How long one whole import takes here: the kills fall within 1.2 times that.
    let work = ex.dir.path().join("office-run");
    copy_dir(&pristine, &work);
    let t = Instant::now();
    assert!(import_cmd(&work, &sub, &fingerprint).status().unwrap().success());
    let whole = t.elapsed();
    assert_eq!(held(&work, &application_id, &package_id), all(1));
    println!("kill test: one import of {:.1} MB takes {:.0} ms", size as f64 / 1e6, whole.as_secs_f64() * 1e3);

    let mut rng = Rng::new(seed);
    let (mut present, mut absent) = (0, 0);
    for run in 0..runs {
        std::fs::remove_dir_all(&work).unwrap();
        copy_dir(&pristine, &work);
        let delay = Duration::from_micros(rng.next_u64() % (whole.as_micros() as u64 * 6 / 5).max(1));
        let mut child = import_cmd(&work, &sub, &fingerprint).spawn().unwrap();
        std::thread::sleep(delay);
        let _ = child.kill(); // SIGKILL; the process may have finished already
        let status = child.wait().unwrap();
        let after = held(&work, &application_id, &package_id);
        if after == all(1) {
            present += 1;
        } else {
            assert_eq!(after, all(0), "run {run} (killed after {delay:?}, {status}): partly written");
            absent += 1;
        }
        // Importing again completes (or says it was already imported) and leaves it wholly present.
        assert!(import_cmd(&work, &sub, &fingerprint).status().unwrap().success(), "run {run}: re-import failed");
        assert_eq!(held(&work, &application_id, &package_id), all(1), "run {run}: after re-import");
    }
    // The workspace opens, its audit chain is intact and the list shows the application.
    let mut ws = lixiang_core::Workspace::open(&work).unwrap();
    assert!(lixiang_core::audit::verify(&mut ws, |_| None).unwrap().is_intact());
    let list = lixiang_core::application::office::office_list(&mut ws, &Default::default()).unwrap();
    assert_eq!(list.len(), 1);
    println!(
        "kill test: {runs} kills, {absent} left it absent, {present} present; {:.1} s in all",
        started.elapsed().as_secs_f64()
    );
    if runs >= 20 {
        assert!(absent > 0, "no kill landed during the import: the test would prove nothing");
    }
}
