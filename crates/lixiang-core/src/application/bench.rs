//! The office-side benchmarks behind `lixiang bench list` and `lixiang bench import`, over synthetic
//! data seeded in temporary workspaces, and the synthetic applications they (and the kill test) use.
//! Figures only, never pass/fail; the targets are printed beside them by the CLI.
//!
//! - [`bench_list`]: the office's list query alone ([`office_list`]) over `count` received
//!   applications — with a Chinese search word, with pinyin initials, a filter with a sort, and the
//!   whole list — median of `runs`.
//! - [`bench_import`]: `count` real submission packages of about `size_kb` KiB each (one attachment of
//!   random bytes), imported as a folder by an office ([`import::import_files`], as `lixiang package
//!   import DIR` does), against a baseline measured in the same run: verifying and decrypting the same
//!   files to nowhere (pass 1 and pass 2 of the package reader, the attachments hashed and dropped). The ratio is import throughput over baseline throughput.
//!
//! Everything synthetic is marked （示例） and built from made-up numbers with valid check characters.

use super::demo::synthetic_id_number;
use super::office::{self, office_list, ListFlag, ListQuery, SortKey};
use super::{desk, Application, ApplicationId, Attachment, RichText};
use crate::audit::record_sha256;
use crate::blobs::BlobStore;
use crate::call::{self, desk as calls, Call, CallStatus};
use crate::identity::{self, keybox::KdfParams, Role};
use crate::import::{self, Trust};
use crate::package::{self, AttachmentSink, Limits, SecretKeys};
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{AuditAction, AuditEvent, SubmissionRow};
use serde::Serialize;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

const TOPICS: &[&str] = &[
    "牦牛",
    "青稞",
    "藏药",
    "藏羊",
    "草地",
    "冰川",
    "湿地",
    "光伏",
    "地热",
    "储能",
    "唐卡",
    "文物",
    "矿产",
    "盐湖",
    "鼠疫",
    "包虫病",
    "高原病",
    "茶叶",
    "林下",
    "遥感",
    "数字",
    "智慧",
    "旅游",
    "水电",
    "风电",
    "土壤",
    "种质",
    "饲草",
    "雪灾",
];
const ACTIONS: &[&str] = &[
    "高效养殖",
    "新品种选育",
    "绿色种植",
    "病害防控",
    "资源调查",
    "监测预警",
    "关键技术",
    "集成示范",
    "产业化",
    "保护利用",
    "智能装备",
    "标准体系",
];
const PLACES: &[&str] = &["拉萨", "日喀则", "昌都", "林芝", "山南", "那曲", "阿里", "西藏"];
const UNITS: &[&str] =
    &["农牧科学院", "大学", "职业技术学院", "研究所", "科技有限公司", "人民医院", "藏医院", "生态站"];
const NAMES: &[&str] = &[
    "次仁多吉",
    "扎西",
    "卓玛",
    "格桑",
    "央金",
    "尼玛",
    "达瓦",
    "普布",
    "曾巴桑",
    "王磊",
    "李娜",
    "张伟",
    "单晓明",
    "解立新",
];

/// Deterministic pseudo-random numbers (xorshift), so that a seed gives the same dataset.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// `len` Han characters from the common block.
    pub fn han(&mut self, len: usize) -> String {
        (0..len).map(|_| char::from_u32(0x4E00 + (self.next_u64() % 0x5000) as u32).unwrap_or('字')).collect()
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next_u64() as u8).collect()
    }
}

/// Gives the demo application `app` the `k`-th synthetic identity: title, unit name, leader (name and
/// a valid synthetic ID number) and the three compared sections (`chars` random Han characters in all,
/// after a shared sentence, as real texts share stock phrases). Every 50th application copies the texts
/// of the one 25 before it, so that 查重 has pairs to find.
pub fn vary(app: &mut Application, k: usize, chars: usize) {
    let mut rng = Rng::new(k as u64 + 1);
    let topic = TOPICS[rng.below(TOPICS.len())];
    let action = ACTIONS[rng.below(ACTIONS.len())];
    let place = PLACES[rng.below(PLACES.len())];
    app.title = format!("{place}{topic}{action}研究与示范（示例{k}）");
    app.applicant.name = format!("{place}{}（示例）", UNITS[rng.below(UNITS.len())]);
    if let Some((i, m)) = app.leader() {
        let birth = m.birth_date;
        app.team[i].name = NAMES[rng.below(NAMES.len())].to_string();
        app.team[i].id_number = synthetic_id_number("540102", birth, (k % 997) as u16);
    }
    let source = if k % 50 == 49 { k - 25 } else { k };
    let mut text_rng = Rng::new(1_000_003 + source as u64);
    for (n, code) in super::duplicate::SECTIONS.iter().enumerate() {
        let part = text_rng.han(chars / 3);
        let stock = "本项目面向西藏自治区经济社会发展重大需求";
        app.sections.insert(code.to_string(), RichText::paragraph(format!("{stock}{n}{part}")));
    }
}

/// Adds an attachment of `bytes` (stored in the blob store) under the call's `other` rule, as a PDF.
pub fn attach(ws: &Workspace, app: &mut Application, name: &str, bytes: &[u8]) -> Result<()> {
    let blobs = BlobStore::new(ws.dir());
    let sha256 = blobs.put(bytes).map_err(|e| blobs.io_error(e))?;
    app.attachments.push(Attachment {
        rule: "other".into(),
        name: name.into(),
        sha256,
        size: bytes.len() as u64,
        media_type: "application/pdf".into(),
    });
    Ok(())
}

/// A file that sniffs as a PDF, `size` bytes long, random inside (so it does not compress).
pub fn pdf_bytes(rng: &mut Rng, size: usize) -> Vec<u8> {
    let mut b = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let tail = b"\n%%EOF\n";
    let body = size.saturating_sub(b.len() + tail.len());
    b.extend(rng.bytes(body));
    b.extend_from_slice(tail);
    b
}

/// The ZX06 demo call as published by `office`, 限项 of two per leader.
fn publish_demo_call(office: &mut Workspace) -> Result<Call> {
    let mut c = call::demo_calls()?
        .into_iter()
        .find(|c| c.programme == "ZX06")
        .ok_or_else(|| CoreError::NotFound { what: "demo call".into(), key: "ZX06".into() })?;
    c.status = CallStatus::Draft;
    c.eligibility.max_concurrent_projects = Some(2);
    calls::save_draft(office, &c)?;
    calls::publish(office, &c.code, c.opens_at)?;
    Ok(c)
}

fn io_err(what: &str) -> impl Fn(io::Error) -> CoreError + '_ {
    move |source| CoreError::WorkspaceIo { path: PathBuf::from(what), source }
}

/// One query's figure.
#[derive(Debug, Clone, Serialize)]
pub struct QueryFigure {
    pub label: String,
    pub median_ms: f64,
    pub rows: usize,
}

/// What [`bench_list`] measured.
#[derive(Debug, Clone, Serialize)]
pub struct ListBench {
    pub count: usize,
    pub seed_s: f64,
    pub runs: usize,
    pub search: String,
    pub queries: Vec<QueryFigure>,
}

/// Seeds `count` received applications straight into an office workspace (the rows and the index the
/// import writes, without the packages), then times the list query.
pub fn bench_list(count: usize, runs: usize, search: &str, keep: Option<&std::path::Path>) -> Result<ListBench> {
    // With `keep`, the seeded office workspace is left there (for measuring the window over it).
    let tmp = tempfile::tempdir().map_err(io_err("a temporary directory"))?;
    let dir = keep.map_or_else(|| tmp.path().join("office"), std::path::Path::to_path_buf);
    let mut ws = Workspace::open(&dir)?;
    let call = publish_demo_call(&mut ws)?;
    let cat = crate::catalog::get(&mut ws)?;
    let base = super::demo_application(&call);
    let t0 = Instant::now();
    let mut inputs = Vec::with_capacity(count);
    let received_at = call.opens_at.to_string();
    for k in 0..count {
        let mut app = base.clone();
        app.id = ApplicationId::new();
        // 1,200 characters: a set above the small-set size, as real sections are.
        vary(&mut app, k, 1200);
        let bytes = serde_json::to_vec(&app)
            .map_err(|e| CoreError::Validation { field: "application".into(), reason: e.to_string() })?;
        let sub = SubmissionRow {
            application_id: app.id.to_string(),
            version: 1,
            sha256: lixiang_store::sha256_hex(&bytes),
            bytes,
            call_id: call.id.to_string(),
            programme: call.programme.clone(),
            title: app.title.clone(),
            applicant_name: app.applicant.name.clone(),
            applicant_code: app.applicant.credit_code.clone(),
            sender_key_id: "bench".into(),
            package_id: uuid::Uuid::now_v7().to_string(),
            sealed_at: received_at.clone(),
            received_at: received_at.clone(),
            number: format!("{}-{}-{:06}", call.year, call.programme, k + 1),
        };
        let input = office::index_input(
            &sub,
            Some(&call),
            super::editor::schema_of(&call),
            Some(&app),
            &cat,
            office::OfficeStatus::Received,
        );
        inputs.push((sub, input));
    }
    let digest = record_sha256(&count).unwrap_or_default();
    let event = AuditEvent::new(AuditAction::Import, "bench", "synthetic received applications", digest);
    ws.store.write(event, |w| {
        let mut seen = office::SetsSeen::default();
        for (sub, input) in &inputs {
            w.submission_insert(sub)?;
            office::index_in(w, input, &mut seen)?;
        }
        Ok::<_, CoreError>(())
    })?;
    let seed_s = t0.elapsed().as_secs_f64();

    let initials = "xzmn".to_string();
    let queries = [
        (format!("search “{search}”"), ListQuery { search: Some(search.to_string()), ..ListQuery::default() }),
        (format!("pinyin initials “{initials}”"), ListQuery { search: Some(initials), ..ListQuery::default() }),
        (
            "call + flag duplicate, sort by title desc".into(),
            ListQuery {
                call: Some(call.code.clone()),
                flag: Some(ListFlag::Duplicate),
                sort: SortKey::Title,
                descending: true,
                ..ListQuery::default()
            },
        ),
        ("whole list, sort by received_at".into(), ListQuery { sort: SortKey::ReceivedAt, ..ListQuery::default() }),
        (
            "first page of 50, sort by unit".into(),
            ListQuery { sort: SortKey::Unit, limit: Some(50), ..ListQuery::default() },
        ),
    ];
    let mut figures = Vec::new();
    for (label, q) in queries {
        let mut times = Vec::with_capacity(runs.max(1));
        let mut rows = 0;
        for _ in 0..runs.max(1) {
            let t = Instant::now();
            let got = office_list(&mut ws, &q)?;
            times.push(t.elapsed().as_secs_f64() * 1e3);
            rows = got.len();
        }
        times.sort_by(f64::total_cmp);
        figures.push(QueryFigure { label, median_ms: times[times.len() / 2], rows });
    }
    Ok(ListBench { count, seed_s, runs: runs.max(1), search: search.to_string(), queries: figures })
}

/// Two parties and a published call, in a temporary directory: what the import benchmark and the kill
/// test need.
pub struct Exchange {
    pub dir: tempfile::TempDir,
    pub office: Workspace,
    pub office_keys: SecretKeys,
    pub applicant: Workspace,
    pub applicant_keys: SecretKeys,
    pub applicant_fingerprint: String,
    pub call: Call,
}

/// An office and an applicant (cheap test key derivation: these keys protect nothing), the ZX06 demo
/// call published by the office and imported by the applicant.
pub fn exchange() -> Result<Exchange> {
    let dir = tempfile::tempdir().map_err(io_err("a temporary directory"))?;
    let mut office = Workspace::open(&dir.path().join("office"))?;
    let o = identity::create(&mut office, Role::Office, "科技厅（示例）", "bench passphrase", KdfParams::FOR_TESTS)?;
    let mut applicant = Workspace::open(&dir.path().join("applicant"))?;
    let a = identity::create(&mut applicant, Role::Applicant, "示例研究院", "bench passphrase", KdfParams::FOR_TESTS)?;
    let call = publish_demo_call(&mut office)?;
    let call_pkg = dir.path().join("call.lxpkg");
    calls::export(&mut office, &o.keys, &call.code, &call_pkg)?;
    import::import_file(&mut applicant, &call_pkg, None, &Trust::Fingerprint(o.info.fingerprint), &Limits::default())?;
    Ok(Exchange {
        dir,
        office,
        office_keys: o.keys,
        applicant,
        applicant_keys: a.keys,
        applicant_fingerprint: a.info.fingerprint,
        call,
    })
}

impl Exchange {
    /// The applicant submits the `k`-th synthetic application with an attachment of `attachment_bytes`
    /// random bytes into the package file `out`; returns the application's id.
    pub fn submission(&mut self, k: usize, attachment_bytes: usize, out: &Path) -> Result<String> {
        let mut app = desk::new_demo_draft(&mut self.applicant, &self.call.code)?;
        app.id = ApplicationId::new();
        vary(&mut app, k, 1500);
        let mut rng = Rng::new(7_000_000 + k as u64);
        let file = pdf_bytes(&mut rng, attachment_bytes);
        attach(&self.applicant, &mut app, &format!("附件{k}.pdf"), &file)?;
        desk::save_draft(&mut self.applicant, &app)?;
        desk::submit(&mut self.applicant, &self.applicant_keys, &app.id.to_string(), self.call.opens_at, out)?;
        Ok(app.id.to_string())
    }
}

/// What [`bench_import`] measured. Rates are packages per second and MB/s (10⁶ bytes) of package files.
#[derive(Debug, Clone, Serialize)]
pub struct ImportBench {
    pub count: usize,
    pub file_bytes: u64,
    pub generate_s: f64,
    pub baseline_s: f64,
    pub baseline_packages_s: f64,
    pub baseline_mb_s: f64,
    pub import_s: f64,
    pub import_packages_s: f64,
    pub import_mb_s: f64,
    /// import throughput / baseline throughput (target ≥ 0.5).
    pub ratio: f64,
    /// Applications listed with a 查重 pair after the import (every 50th copies an earlier one).
    pub duplicates_flagged: usize,
}

/// The baseline's sink: attachments are hashed by the reader and written nowhere.
struct Nowhere;

impl AttachmentSink for Nowhere {
    type Writer = io::Sink;
    type Output = ();
    fn begin(&mut self, _meta: &package::AttachmentMeta) -> io::Result<io::Sink> {
        Ok(io::sink())
    }
    fn finish(&mut self, _writer: io::Sink, _meta: &package::AttachmentMeta) -> io::Result<()> {
        Ok(())
    }
    fn abort(&mut self, _writer: io::Sink) {}
    fn discard(&mut self, _output: ()) {}
}

/// `count` submissions of about `size_kb` KiB from the exchange's applicant, in `inbox`, in file order.
fn generate_submissions(ex: &mut Exchange, count: usize, size_kb: usize, inbox: &Path) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(inbox).map_err(io_err("inbox"))?;
    let mut files = Vec::with_capacity(count);
    // The application's JSON is about 25 KiB; the attachment makes up the rest.
    let attachment = (size_kb * 1024).saturating_sub(25 * 1024).max(1024);
    for k in 0..count {
        let file = inbox.join(format!("SUBMISSION-{k:06}.lxpkg"));
        ex.submission(k, attachment, &file)?;
        files.push(file);
    }
    Ok(files)
}

/// Where [`keep_import_setup`] left things: the office's workspace (passphrase "bench passphrase"), not
/// yet holding any submission, and the folder of submission packages to import into it.
#[derive(Debug, Clone, Serialize)]
pub struct KeptImport {
    pub office: PathBuf,
    pub inbox: PathBuf,
    pub count: usize,
}

/// Generates the import benchmark's submissions and leaves them, with the office that has not imported
/// them, in `dir` (new): for measuring an import in the window (tests/e2e/measure-import.mjs).
pub fn keep_import_setup(count: usize, size_kb: usize, dir: &Path) -> Result<KeptImport> {
    let mut ex = exchange()?;
    let inbox = ex.dir.path().join("inbox");
    generate_submissions(&mut ex, count, size_kb, &inbox)?;
    let Exchange { dir: tmp, office, applicant, .. } = ex;
    // The workspaces' databases are closed before their folder moves.
    drop((office, applicant));
    std::fs::rename(tmp.keep(), dir).map_err(io_err("the kept directory"))?;
    Ok(KeptImport { office: dir.join("office"), inbox: dir.join("inbox"), count })
}

/// Generates `count` submissions of about `size_kb` KiB and measures the baseline, then the import.
pub fn bench_import(count: usize, size_kb: usize) -> Result<ImportBench> {
    let mut ex = exchange()?;
    let inbox = ex.dir.path().join("inbox");
    let t0 = Instant::now();
    let files = generate_submissions(&mut ex, count, size_kb, &inbox)?;
    let generate_s = t0.elapsed().as_secs_f64();
    let mut file_bytes = 0u64;
    for f in &files {
        file_bytes += std::fs::metadata(f).map_err(io_err("a submission"))?.len();
    }
    let limits = Limits::default();

    let t = Instant::now();
    for f in &files {
        package::inspect(f, &limits)?;
        let opened = package::open(f, Some(&ex.office_keys), &mut Nowhere, &limits)?;
        std::hint::black_box(opened.payload.len());
    }
    let baseline_s = t.elapsed().as_secs_f64();

    // The office imports the folder as `lixiang package import DIR` does: every file verified and
    // decrypted as in the baseline, then staged, checked, indexed and committed.
    let trust = Trust::Fingerprint(ex.applicant_fingerprint.clone());
    let t = Instant::now();
    let mut refused = None;
    import::import_files(&mut ex.office, &files, Some(&ex.office_keys), &trust, &limits, |_, outcome| {
        if let Err(e) = outcome {
            refused.get_or_insert(e);
        }
    })?;
    let import_s = t.elapsed().as_secs_f64();
    if let Some(e) = refused {
        return Err(e);
    }
    let duplicates_flagged =
        office_list(&mut ex.office, &ListQuery { flag: Some(ListFlag::Duplicate), ..ListQuery::default() })?.len();
    let rate = |s: f64| if s > 0.0 { count as f64 / s } else { 0.0 };
    let mb = |s: f64| if s > 0.0 { file_bytes as f64 / 1e6 / s } else { 0.0 };
    Ok(ImportBench {
        count,
        file_bytes,
        generate_s,
        baseline_s,
        baseline_packages_s: rate(baseline_s),
        baseline_mb_s: mb(baseline_s),
        import_s,
        import_packages_s: rate(import_s),
        import_mb_s: mb(import_s),
        ratio: if import_s > 0.0 { baseline_s / import_s } else { 0.0 },
        duplicates_flagged,
    })
}
