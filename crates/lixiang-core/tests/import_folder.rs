//! The office's import of a folder of submissions (`import_files`, in batches) against the same files
//! imported one by one (`import_file`) into a copy of the same workspace: the same outcome for every file
//! (a file copied under a second name, a damaged file, two versions of one application in one batch, more
//! files than one batch holds), the same list — 申报编号, versions, 查重 pairs, problems — and numbers given
//! in file order without a gap. Importing the folder again writes nothing; the audit chain verifies; no
//! staged file is left behind and every attachment is in the blob store.

use lixiang_core::application::bench::{self, Exchange};
use lixiang_core::application::desk;
use lixiang_core::application::office::{office_list, ListQuery, ListRow, SortKey};
use lixiang_core::blobs::BlobStore;
use lixiang_core::calendar::{Moment, SHANGHAI_OFFSET_MINUTES};
use lixiang_core::import::{self, ImportOutcome, Trust};
use lixiang_core::package::Limits;
use lixiang_core::Workspace;
use std::path::{Path, PathBuf};

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

/// What an outcome says, without times: `imported`, `already` or the error's code.
fn kind_of(outcome: &lixiang_core::Result<ImportOutcome>) -> String {
    match outcome {
        Ok(ImportOutcome::Imported { .. }) => "imported".into(),
        Ok(ImportOutcome::AlreadyImported { .. }) => "already".into(),
        Err(e) => e.code().to_string(),
    }
}

/// A list row without its receipt time (which differs between two imports).
fn comparable(rows: Vec<ListRow>) -> Vec<String> {
    rows.into_iter()
        .map(|r| {
            format!(
                "{} {} v{} {} dup={:?} leader={}/{:?} errors={} warnings={} late={}",
                r.number,
                r.application_id,
                r.version,
                r.title,
                r.duplicate.map(|d| (d.number, d.similarity)),
                r.leader_applications,
                r.leader_limit,
                r.errors,
                r.warnings,
                r.late
            )
        })
        .collect()
}

/// The inbox: 135 submissions (more than two batches of 64, so that a batch is written while the next
/// is read), the 50th and the 100th copying the texts of the 25th and the 75th (two 查重 pairs), a
/// second version of the 3rd right after it, the 4th again under another name, a damaged copy of the
/// 6th. Returns the files in name order.
const APPLICATIONS: usize = 135;

fn inbox(ex: &mut Exchange) -> Vec<PathBuf> {
    let inbox = ex.dir.path().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let mut ids = Vec::new();
    for k in 0..APPLICATIONS {
        // bench::vary copies the texts of application k − 25 into every k ≡ 49 (mod 50).
        let file = inbox.join(format!("SUBMISSION-{k:03}.lxpkg"));
        ids.push(ex.submission(k, 8 * 1024 + k, &file).unwrap());
    }
    let mut app = desk::get_draft(&mut ex.applicant, &ids[2]).unwrap();
    app.title.push_str("（修改稿）");
    desk::save_draft(&mut ex.applicant, &app).unwrap();
    let later = Moment::new(ex.call.opens_at.local_date(), 23, 0, 0, SHANGHAI_OFFSET_MINUTES).unwrap();
    desk::submit(&mut ex.applicant, &ex.applicant_keys, &ids[2], later, &inbox.join("SUBMISSION-002z-v2.lxpkg"))
        .unwrap();
    std::fs::copy(inbox.join("SUBMISSION-003.lxpkg"), inbox.join("SUBMISSION-003z-again.lxpkg")).unwrap();
    let mut damaged = std::fs::read(inbox.join("SUBMISSION-005.lxpkg")).unwrap();
    let at = damaged.len() / 2;
    damaged[at] ^= 0x40;
    std::fs::write(inbox.join("SUBMISSION-005z-damaged.lxpkg"), damaged).unwrap();
    import::collect_files(&[inbox]).unwrap()
}

#[test]
fn a_folder_imports_in_batches_as_one_by_one_and_numbers_in_file_order() {
    let mut ex = bench::exchange().unwrap();
    let files = inbox(&mut ex);
    assert_eq!(files.len(), APPLICATIONS + 3);
    let keys = ex.office_keys.clone();
    let trust = Trust::Fingerprint(ex.applicant_fingerprint.clone());
    let limits = Limits::default();
    // Closing the workspace checkpoints its WAL: the copies below are the whole database.
    let office_dir = ex.office.dir().to_path_buf();
    drop(std::mem::replace(&mut ex.office, Workspace::open(&ex.dir.path().join("scratch")).unwrap()));
    let (one_dir, folder_dir) = (ex.dir.path().join("one-by-one"), ex.dir.path().join("folder"));
    copy_dir(&office_dir, &one_dir);
    copy_dir(&office_dir, &folder_dir);

    let mut one = Workspace::open(&one_dir).unwrap();
    let one_outcomes: Vec<String> =
        files.iter().map(|f| kind_of(&import::import_file(&mut one, f, Some(&keys), &trust, &limits))).collect();

    let mut folder = Workspace::open(&folder_dir).unwrap();
    let mut reported = Vec::new();
    let mut outcomes = Vec::new();
    let mut progress = Vec::new();
    import::import_files_reading(
        &mut folder,
        &files,
        Some(&keys),
        &trust,
        &limits,
        |p| progress.push(p),
        |f, o| {
            reported.push(f.to_path_buf());
            outcomes.push(kind_of(&o));
        },
    )
    .unwrap();
    assert_eq!(reported, files, "one report per file, in order");
    // Progress by the file read and by the package written, never going back; the writing of a batch
    // is reported while later files are read, and every package that reached a batch (all but the
    // damaged file) is reported written.
    assert!(progress.windows(2).all(|w| w[0].read <= w[1].read && w[0].written <= w[1].written), "{progress:?}");
    assert!(progress.iter().any(|p| p.written > 0 && p.read < 2 * 64), "{progress:?}");
    assert_eq!(progress.last().map(|p| (p.read, p.written)), Some((files.len(), files.len() - 1)));
    assert_eq!(outcomes, one_outcomes);
    let name = |f: &PathBuf| f.file_name().unwrap().to_string_lossy().into_owned();
    let of = |n: &str| outcomes[files.iter().position(|f| name(f) == n).unwrap()].clone();
    assert_eq!(of("SUBMISSION-003z-again.lxpkg"), "already");
    assert!(of("SUBMISSION-005z-damaged.lxpkg").starts_with("package."), "{}", of("SUBMISSION-005z-damaged.lxpkg"));
    assert_eq!(outcomes.iter().filter(|o| *o == "imported").count(), APPLICATIONS + 1);

    let by_number = ListQuery { sort: SortKey::Number, ..ListQuery::default() };
    let list = office_list(&mut folder, &by_number).unwrap();
    assert_eq!(comparable(list.clone()), comparable(office_list(&mut one, &by_number).unwrap()));
    // 135 applications (the second version keeps the first's number), numbered 1 … 135 in file order.
    let numbers: Vec<&str> = list.iter().map(|r| r.number.as_str()).collect();
    let expected: Vec<String> =
        (1..=APPLICATIONS).map(|n| format!("{}-{}-{n:06}", ex.call.year, ex.call.programme)).collect();
    assert_eq!(numbers, expected);
    let v2 = list.iter().find(|r| r.title.ends_with("（修改稿）")).unwrap();
    assert_eq!((v2.version, v2.number.as_str()), (2, expected[2].as_str()));
    let flagged: Vec<&ListRow> = list.iter().filter(|r| r.duplicate.is_some()).collect();
    assert_eq!(flagged.len(), 4, "the two copies and their originals");
    for r in &flagged {
        let other = &r.duplicate.as_ref().unwrap().number;
        assert!(flagged.iter().any(|f| &f.number == other && f.duplicate.as_ref().unwrap().number == r.number));
    }

    let blobs = BlobStore::new(folder.dir());
    assert_eq!(std::fs::read_dir(blobs.staging_dir().unwrap()).unwrap().count(), 0, "nothing left staged");
    // Every attachment the institute sent is in the office's store, byte for byte.
    let sent = BlobStore::new(ex.applicant.dir()).list().unwrap();
    assert!(sent.len() > APPLICATIONS);
    for sha in &sent {
        assert_eq!(&lixiang_store::sha256_hex(&std::fs::read(blobs.path_of(sha)).unwrap()), sha);
    }
    let report = lixiang_core::audit::verify(&mut folder, |_| None).unwrap();
    assert!(report.is_intact());

    // Again: nothing is written.
    let mut again = Vec::new();
    import::import_files(&mut folder, &files, Some(&keys), &trust, &limits, |_, o| again.push(kind_of(&o))).unwrap();
    assert!(again.iter().all(|o| o == "already" || o.starts_with("package.")), "{again:?}");
    assert_eq!(lixiang_core::audit::verify(&mut folder, |_| None).unwrap().events, report.events);
}
