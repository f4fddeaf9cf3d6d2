//! Packets and returns across separate workspaces exchanging real package files: an office with a
//! published call, an institute that submits three applications, three experts with their own
//! identities whose key cards the office attached; the office assigns, issues packets, the experts
//! score, seal and return; the office accepts only what it should.

use super::expert::{self, SheetState};
use super::issue::{self, Recipients};
use super::office;
use super::sheet::{SealedSheet, SheetDraft};
use super::*;
use crate::application::formal::{self, Decision, DecisionInput};
use crate::application::{desk, ApplicationId};
use crate::assign::desk::{self as assign, Options};
use crate::call::review::Form;
use crate::call::{self, desk as calls, Call, CallStatus};
use crate::expert::desk::{attach_key, import as import_pool, ImportStatus};
use crate::expert::tests::today;
use crate::expert::xlsx::tests::{id, sheet_bytes};
use crate::identity::{self, keybox::KdfParams, Role};
use crate::import::{self, ImportOutcome, Trust};
use crate::package::{Kind, Limits, PublicKeys, SecretKeys};
use crate::score::Grade;
use crate::workspace::Workspace;
use std::path::{Path, PathBuf};

pub(crate) struct Party {
    pub(crate) ws: Workspace,
    pub(crate) keys: SecretKeys,
    pub(crate) fp: String,
}

fn party(dir: &Path, role: Role, name: &str) -> Party {
    let mut ws = Workspace::open(dir).unwrap();
    let c = identity::create(&mut ws, role, name, "passphrase!", KdfParams::FOR_TESTS).unwrap();
    Party { ws, keys: c.keys, fp: c.info.fingerprint }
}

pub(crate) fn import(p: &mut Party, file: &Path, trust: Trust) -> crate::Result<ImportOutcome> {
    import::import_file(&mut p.ws, file, Some(&p.keys), &trust, &Limits::default())
}

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

/// A pool row for an expert outside Tibet (so that any two of them make a valid panel).
fn pool_row(name: &'static str, seq: u16) -> Vec<(&'static str, &'static str)> {
    let division = "510100";
    vec![
        ("姓名", name),
        ("证件类型", "居民身份证"),
        ("证件号码", leak(id(seq))),
        ("工作单位", leak(format!("示例单位{seq}（示例）"))),
        ("统一社会信用代码", leak(crate::application::demo::synthetic_credit_code(&format!("12{division}MB{seq:07}")))),
        ("单位类型", "企业"),
        ("职称级别", "正高"),
        ("专家类别", "技术"),
        ("学科代码", "210"),
        ("关键词", "青稞"),
        ("申报关系", ""),
    ]
}

pub(crate) struct World {
    pub(crate) tmp: tempfile::TempDir,
    pub(crate) office: Party,
    /// The institute that submitted the applications (it receives the results).
    pub(crate) institute: Party,
    pub(crate) experts: Vec<Party>,
    pub(crate) call: Call,
    pub(crate) numbers: Vec<String>,
}

impl World {
    pub(crate) fn path(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// The expert party whose pool entry is `number` (`ZJ000001` is the first, …).
    pub(crate) fn expert(&mut self, number: &str) -> &mut Party {
        let i: usize = number[2..].parse::<usize>().unwrap() - 1;
        &mut self.experts[i]
    }
}

/// The world up to an assignment of round 1 with k = 2 over three accepted applications.
pub(crate) fn world(blind: bool) -> World {
    world_with(|c| c.review_plan.rounds[0].blind = blind)
}

/// The same world with the demo call changed by `edit` before it is published (another form, …).
pub(crate) fn world_with(edit: impl FnOnce(&mut Call)) -> World {
    world_full(edit, |_, _| {})
}

/// The same world with each application changed by `edit_app` (its index, the draft) before it is
/// submitted.
pub(crate) fn world_full(
    edit: impl FnOnce(&mut Call),
    edit_app: impl Fn(usize, &mut crate::application::Application),
) -> World {
    world_files(edit, |i, app, _| edit_app(i, app))
}

/// [`world_full`] with the institute's workspace directory given to `edit_app` too, to store files an
/// application should attach (each application's own attachment, …).
pub(crate) fn world_files(
    edit: impl FnOnce(&mut Call),
    edit_app: impl Fn(usize, &mut crate::application::Application, &Path),
) -> World {
    let tmp = tempfile::tempdir().unwrap();
    let mut office = party(&tmp.path().join("office"), Role::Office, "科技厅");
    let mut inst = party(&tmp.path().join("institute"), Role::Applicant, "农牧科学院");
    let mut demo = call::demo_calls().unwrap().into_iter().find(|c| c.programme == "ZX06").unwrap();
    demo.status = CallStatus::Draft;
    edit(&mut demo);
    calls::save_draft(&mut office.ws, &demo).unwrap();
    calls::publish(&mut office.ws, &demo.code, demo.opens_at).unwrap();
    let call_pkg = tmp.path().join("call.lxpkg");
    calls::export(&mut office.ws, &office.keys, &demo.code, &call_pkg).unwrap();
    import(&mut inst, &call_pkg, Trust::Fingerprint(office.fp.clone())).unwrap();

    let mut numbers = Vec::new();
    for i in 0..3 {
        let mut app = desk::new_demo_draft(&mut inst.ws, &demo.code).unwrap();
        app.id = ApplicationId::new();
        app.title = format!("青稞示范项目 {i}");
        edit_app(i, &mut app, inst.ws.dir());
        desk::save_draft(&mut inst.ws, &app).unwrap();
        let sub = tmp.path().join(format!("sub-{i}.lxpkg"));
        desk::submit(&mut inst.ws, &inst.keys, &app.id.to_string(), demo.opens_at, &sub).unwrap();
        import(&mut office, &sub, Trust::Fingerprint(inst.fp.clone())).unwrap();
        let number = format!("{}-{}-{:06}", demo.year, demo.programme, i + 1);
        let accept = DecisionInput { decision: Decision::Accept, reasons: vec![], fix_by: None };
        formal::decide(
            &mut office.ws,
            &office.keys,
            &number,
            &accept,
            demo.opens_at,
            &tmp.path().join(format!("res-{i}.lxpkg")),
        )
        .unwrap();
        numbers.push(number);
    }

    let rows = vec![pool_row("甲", 11), pool_row("乙", 12), pool_row("丙", 13)];
    let r = import_pool(&mut office.ws, "pool.xlsx", &sheet_bytes(&rows), today(), false, true).unwrap();
    assert_eq!(r.status, ImportStatus::Imported, "{:?}", r.errors);
    let mut experts = Vec::new();
    for (i, name) in ["甲", "乙", "丙"].into_iter().enumerate() {
        let mut e = party(&tmp.path().join(format!("expert-{i}")), Role::Expert, name);
        let card = tmp.path().join(format!("card-{i}.lxpkg"));
        identity::export_key_card(&mut e.ws, &e.keys, &card).unwrap();
        import(&mut office, &card, Trust::Fingerprint(e.fp.clone())).unwrap();
        let key_id = identity::info(&mut e.ws).unwrap().unwrap().key_id;
        attach_key(&mut office.ws, &format!("ZJ{:06}", i + 1), &key_id).unwrap();
        experts.push(e);
    }
    let run = assign::run(
        &mut office.ws,
        &demo.code,
        1,
        &Options { per_item: Some(2), max_load: Some(2), ..Options::default() },
    )
    .unwrap();
    assert!(matches!(run.outcome, crate::assign::Outcome::Assigned(_)), "{:?}", run.outcome);
    World { tmp, office, institute: inst, experts, call: demo, numbers }
}

/// A complete draft for a scored form: every criterion at `share` of its maximum (rounded to 0.5).
pub(crate) fn full_draft(form: &Form, share: f64, grade: Grade) -> SheetDraft {
    let Form::Scored(rubric) = form else { panic!("a scored form") };
    let mut d = SheetDraft {
        strengths: "技术路线清晰".into(),
        weaknesses: "示范规模偏小".into(),
        grade: Some(grade),
        ..SheetDraft::default()
    };
    for c in &rubric.criteria {
        let halves = (f64::from(c.weight) * share * 2.0).round() / 2.0;
        d.scores.insert(c.id.clone(), format!("{halves}"));
    }
    d
}

pub(crate) fn issue_all(w: &mut World, dir: &str) -> Vec<issue::IssuedPacket> {
    let out = w.path(dir);
    std::fs::create_dir_all(&out).unwrap();
    let call = w.call.code.clone();
    issue::export(&mut w.office.ws, &w.office.keys, &call, 1, &Recipients::All { out_dir: out }).unwrap()
}

#[test]
fn packets_hold_only_the_experts_items_and_returns_come_back_into_the_ranking() {
    let mut w = world(false);
    let assignment = {
        let call = calls::get(&mut w.office.ws, &w.call.code).unwrap();
        issue::current_assignment(&mut w.office.ws, &call, 1).unwrap()
    };
    let packets = issue_all(&mut w, "packets");
    assert_eq!(packets.len(), assignment.len());
    let office_fp = w.office.fp.clone();

    // A packet is for its expert only: another expert's laptop cannot open it.
    let (first, second) = (&packets[0], &packets[1]);
    let err = import(w.expert(&second.expert_number), Path::new(&first.path), Trust::Fingerprint(office_fp.clone()))
        .unwrap_err();
    assert_eq!(err.code(), "package.not_addressed_to_me", "{err}");

    for p in &packets {
        let e = w.expert(&p.expert_number);
        let out = import(e, Path::new(&p.path), Trust::Fingerprint(office_fp.clone())).unwrap();
        assert!(matches!(out, ImportOutcome::Imported { ref kind, .. } if kind == "review_packet"));
        // Exactly the assigned items, with the full sealed versions (this round is not blind).
        let held = expert::held(&mut e.ws, &p.packet_id).unwrap();
        let numbers: Vec<String> = held.payload.items.iter().map(|i| i.number.clone()).collect();
        assert_eq!(numbers, assignment[&p.expert_number]);
        assert_eq!(p.items, numbers);
        for item in &held.payload.items {
            let ItemContent::Full { version } = &item.content else { panic!("full content") };
            assert_eq!(lixiang_store::sha256_hex(version.as_bytes()), item.version_sha256);
        }
        // The attachments of the applications arrived in the expert's blob store.
        let ItemContent::Full { version } = &held.payload.items[0].content else { unreachable!() };
        let app: crate::application::Application = serde_json::from_str(version).unwrap();
        assert!(!app.attachments.is_empty());
        for a in &app.attachments {
            assert!(crate::blobs::BlobStore::new(e.ws.dir()).path_of(&a.sha256).is_file());
        }
    }

    // Each expert scores every item; the first declares a conflict on its last item instead.
    let mut totals = std::collections::BTreeMap::new();
    for (pi, p) in packets.iter().enumerate() {
        let e = w.expert(&p.expert_number);
        let held = expert::held(&mut e.ws, &p.packet_id).unwrap();
        let form = held.payload.form.clone();
        for (ii, n) in p.items.iter().enumerate() {
            if pi == 0 && ii + 1 == p.items.len() {
                let st = expert::declare_conflict(&mut e.ws, &p.packet_id, n, "与项目负责人同一课题组").unwrap();
                assert_eq!(st.status, "conflict");
                continue;
            }
            let share = 0.6 + 0.1 * (pi + ii) as f64;
            let st: SheetState =
                expert::save_draft(&mut e.ws, &p.packet_id, n, &full_draft(&form, share, Grade::B)).unwrap();
            assert!(st.problems.is_empty(), "{:?}", st.problems);
            let receipt = expert::seal(&mut e.ws, &p.packet_id, n).unwrap();
            // The receipt is the SHA-256 of the sealed text, which never changes afterwards.
            let row = e.ws.store.read(|r| r.review_sheet(&p.packet_id, n)).unwrap().unwrap();
            assert_eq!(lixiang_store::sha256_hex(row.sealed.as_ref().unwrap().as_bytes()), receipt.receipt_sha256);
            let err = expert::save_draft(&mut e.ws, &p.packet_id, n, &SheetDraft::default()).unwrap_err();
            assert_eq!(err.code(), "input.invalid");
            totals.insert((n.clone(), p.expert_number.clone()), receipt.total.unwrap());
        }
        let ret = w.path(&format!("return-{pi}.lxpkg"));
        let e = w.expert(&p.expert_number);
        let written = expert::write_return(&mut e.ws, &e.keys, &p.packet_id, &ret).unwrap();
        assert_eq!(written.seq, 1);
        let out = import(&mut w.office, &ret, Trust::AskFirst).unwrap();
        assert!(matches!(out, ImportOutcome::Imported { ref kind, .. } if kind == "review_return"), "{out:?}");
    }

    // Progress per expert and item; the sheets feed the aggregation with their totals.
    let progress = office::progress(&mut w.office.ws, &w.call.code, 1).unwrap();
    assert_eq!(progress.expected, 6);
    assert_eq!(progress.sheets, 5);
    let first_expert = progress.experts.iter().find(|e| e.expert_number == packets[0].expert_number).unwrap();
    assert_eq!((first_expert.conflicts, first_expert.outstanding), (1, 0));
    assert_eq!(progress.items.iter().map(|i| i.sheets + i.conflicts).sum::<u32>(), 6);
    let sheets = office::round_sheets(&mut w.office.ws, &w.call.code, 1).unwrap();
    assert_eq!(sheets.len(), 5);
    for s in &sheets {
        assert_eq!(format!("{}", s.total), totals[&(s.item.clone(), s.expert.clone())]);
        assert_eq!(s.grade, Some(Grade::B));
    }
    let agg = crate::score::aggregate(&sheets, &crate::score::RoundRules::default());
    assert_eq!(agg.items.len(), 3);

    // The declared conflict reaches the conflict list (issue 6 "declared") and binds like a hard one:
    // the pair cannot be pinned, nor overridden, in any round of the call.
    let (item, who) = (packets[0].items.last().unwrap().clone(), packets[0].expert_number.clone());
    let settings = crate::conflict::ConflictSettings::default();
    let listed = crate::conflict::desk::for_call(&mut w.office.ws, &w.call.code, &settings).unwrap().conflicts;
    let declared: Vec<_> = listed.iter().filter(|c| c.severity == crate::conflict::Severity::Declared).collect();
    assert_eq!(declared.len(), 1, "{listed:?}");
    assert_eq!((declared[0].application.as_str(), declared[0].expert.as_str()), (item.as_str(), who.as_str()));
    assert_eq!(declared[0].code, "declared.by_expert");
    assert!(declared[0].detail_zh.contains("与项目负责人同一课题组"), "{}", declared[0].detail_zh);
    let err = crate::assign::edit::change_pair(
        &mut w.office.ws,
        &w.call.code,
        1,
        &who,
        &item,
        crate::assign::edit::PairChange::Pin,
        "专家熟悉该领域",
        &settings,
    )
    .unwrap_err();
    assert_eq!(err.code(), "assign.hard_conflict", "{err}");
    let again = crate::assign::desk::run(
        &mut w.office.ws,
        &w.call.code,
        1,
        &crate::assign::desk::Options { per_item: Some(2), max_load: Some(3), ..Default::default() },
    )
    .unwrap();
    let crate::assign::Outcome::Assigned(a) = &again.outcome else { panic!("{:?}", again.outcome) };
    assert!(!a.pairs.iter().any(|p| p.item == item && p.expert == who), "a declared pair is never assigned again");

    // The ranking workbook (issue 8's export), read back: the numbers are the aggregation's, the
    // 申报编号 cells are text, every method's rank is in the sensitivity sheet.
    use calamine::{Data, Reader, Xlsx};
    let bytes = crate::report::ranking::ranking_xlsx(
        &mut w.office.ws,
        &w.call.code,
        1,
        crate::score::Method::Mean,
        "2027-04-01T00:00:00Z",
    )
    .unwrap();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), vec!["排名", "敏感性", "说明"]);
    let ranking = book.worksheet_range("排名").unwrap();
    assert_eq!(ranking.get((0, 1)), Some(&Data::String("申报编号".into())));
    assert_eq!(ranking.height(), 4, "the header and three items");
    let rules = office::round_input(&mut w.office.ws, &w.call.code, 1).unwrap().rules;
    let agg = crate::score::aggregate(&sheets, &rules);
    for r in 1..4 {
        let Some(Data::String(number)) = ranking.get((r, 1)) else {
            panic!("申报编号 is text: {:?}", ranking.get((r, 1)))
        };
        let stats = agg.items.iter().find(|s| &s.item == number).unwrap();
        assert_eq!(ranking.get((r, 4)), Some(&Data::Float(stats.mean)), "mean of {number}");
        assert_eq!(ranking.get((r, 3)), Some(&Data::Float(stats.n as f64)));
        assert_eq!(ranking.get((r, 0)), Some(&Data::Float(r as f64)), "ranked in order");
    }
    let sens = book.worksheet_range("敏感性").unwrap();
    assert_eq!(sens.height(), 4);
    assert_eq!(sens.get((0, 4)), Some(&Data::String("z 分均值名次".into())));

    // Afterwards the expert removes the application contents: the attachments leave the laptop, the
    // sheets and receipts stay, and the packet still lists its items.
    let p = packets[1].clone();
    let e = w.expert(&p.expert_number);
    let before = walk(&e.ws.dir().join("blobs")).len();
    assert!(before > 0);
    let removed = expert::remove_contents(&mut e.ws, &p.packet_id).unwrap();
    assert_eq!(removed as usize, before);
    assert!(walk(&e.ws.dir().join("blobs")).is_empty());
    let held = expert::held(&mut e.ws, &p.packet_id).unwrap();
    assert!(held.payload.items.iter().all(|i| matches!(i.content, ItemContent::Removed)));
    assert!(held.sheets.iter().all(|s| s.receipt_sha256.is_some()));
    let summary = expert::packets(&mut e.ws).unwrap();
    assert!(summary[0].contents_removed_at.is_some() && summary[0].sealed == p.items.len() as u32);
}

/// Seals a return payload with `keys` for the office (for forgeries the real program never writes).
fn seal_return(from: &mut Party, office: &PublicKeys, payload: &ReturnPayload, out: &Path) {
    let bytes = serde_json::to_vec(payload).unwrap();
    identity::seal_outgoing(
        &mut from.ws,
        &from.keys,
        Kind::ReviewReturn,
        uuid::Uuid::now_v7(),
        &[*office],
        &bytes,
        Vec::new(),
        out,
    )
    .unwrap();
}

#[test]
fn returns_from_the_wrong_expert_for_unassigned_items_or_another_form_are_refused() {
    let mut w = world(false);
    let packets = issue_all(&mut w, "packets");
    let office_fp = w.office.fp.clone();
    // The expert with the fewest items, so that some application is outside the packet.
    let p = packets.iter().min_by_key(|q| q.items.len()).unwrap().clone();
    assert!(p.items.len() < w.numbers.len());
    let other = packets.iter().find(|q| q.expert_number != p.expert_number).unwrap().clone();
    let e = w.expert(&p.expert_number);
    import(e, Path::new(&p.path), Trust::Fingerprint(office_fp.clone())).unwrap();
    let held = expert::held(&mut e.ws, &p.packet_id).unwrap();
    let n = p.items[0].clone();
    expert::save_draft(&mut e.ws, &p.packet_id, &n, &full_draft(&held.payload.form, 0.8, Grade::A)).unwrap();
    expert::seal(&mut e.ws, &p.packet_id, &n).unwrap();
    let good = w.path("good.lxpkg");
    let e = w.expert(&p.expert_number);
    expert::write_return(&mut e.ws, &e.keys, &p.packet_id, &good).unwrap();
    let payload: ReturnPayload = {
        let held = w.expert(&p.expert_number).ws.store.read(|r| r.review_sheets(&p.packet_id)).unwrap();
        ReturnPayload {
            format: FORMAT,
            packet_id: p.packet_id.clone(),
            call_id: w.call.id.to_string(),
            round: 1,
            expert_number: p.expert_number.clone(),
            form_sha256: p.form_sha256.clone(),
            seq: 2,
            sheets: held.iter().filter_map(|s| s.sealed.clone()).collect(),
            conflicts: vec![],
            sent_at: identity::now(),
        }
    };
    let office_pub = {
        let c = w.office.ws.store.read(|r| r.identity()).unwrap().unwrap();
        PublicKeys { signing: c.signing_public, encryption: c.encryption_public }
    };
    let office_count = |w: &mut World| {
        w.office.ws.store.read(|r| r.review_sheets_received_all(&w.call.id.to_string(), 1)).unwrap().len()
    };

    // Signed by another expert (who holds a key card the office trusts): refused.
    let forged = w.path("forged.lxpkg");
    seal_return(w.expert(&other.expert_number), &office_pub, &payload, &forged);
    let err = import(&mut w.office, &forged, Trust::AskFirst).unwrap_err();
    assert_eq!(err.code(), "review.not_from_assigned_expert", "{err}");

    // A sheet for an item outside the packet: refused.
    {
        let stranger = w.numbers.iter().find(|n| !p.items.contains(n)).cloned().unwrap();
        let mut sheet: SealedSheet = serde_json::from_str(&payload.sheets[0]).unwrap();
        sheet.number = stranger;
        let mut bad = payload.clone();
        bad.sheets = vec![serde_json::to_string(&sheet).unwrap()];
        let f = w.path("unassigned.lxpkg");
        seal_return(w.expert(&p.expert_number), &office_pub, &bad, &f);
        let err = import(&mut w.office, &f, Trust::AskFirst).unwrap_err();
        assert_eq!(err.code(), "review.item_not_assigned", "{err}");
    }

    // Scored against another form: refused.
    let mut bad = payload.clone();
    bad.form_sha256 = "0".repeat(64);
    let f = w.path("other-form.lxpkg");
    seal_return(w.expert(&p.expert_number), &office_pub, &bad, &f);
    let err = import(&mut w.office, &f, Trust::AskFirst).unwrap_err();
    assert_eq!(err.code(), "review.form_mismatch", "{err}");
    assert_eq!(office_count(&mut w), 0, "nothing of a refused return is written");

    // The good return, then an older one, then a changed sheet under a newer number.
    import(&mut w.office, &good, Trust::AskFirst).unwrap();
    assert_eq!(office_count(&mut w), 1);
    let mut old = payload.clone();
    old.seq = 1;
    let f = w.path("old.lxpkg");
    seal_return(w.expert(&p.expert_number), &office_pub, &old, &f);
    let err = import(&mut w.office, &f, Trust::AskFirst).unwrap_err();
    assert_eq!(err.code(), "package.superseded", "{err}");
    let mut changed: SealedSheet = serde_json::from_str(&payload.sheets[0]).unwrap();
    changed.sealed_at = "2030-01-01T00:00:00Z".into();
    let mut bad = payload.clone();
    bad.seq = 3;
    bad.sheets = vec![serde_json::to_string(&changed).unwrap()];
    let f = w.path("changed.lxpkg");
    seal_return(w.expert(&p.expert_number), &office_pub, &bad, &f);
    let err = import(&mut w.office, &f, Trust::AskFirst).unwrap_err();
    assert_eq!(err.code(), "review.sheet_changed", "{err}");
    // The same sheets again under a newer number are fine (a later return repeats the earlier ones).
    let f = w.path("again.lxpkg");
    seal_return(w.expert(&p.expert_number), &office_pub, &payload, &f);
    import(&mut w.office, &f, Trust::AskFirst).unwrap();
    assert_eq!(office_count(&mut w), 1);
}

#[test]
fn a_blind_packet_names_no_applicant_and_a_blind_section_that_does_is_refused() {
    let mut w = world(true);
    let packets = issue_all(&mut w, "packets");
    let office_fp = w.office.fp.clone();
    // What the office holds of the applications: every identifying string.
    let apps: Vec<crate::application::Application> =
        crate::conflict::desk::call_applications(&mut w.office.ws, &w.call.id.to_string())
            .unwrap()
            .into_iter()
            .map(|(_, a)| a)
            .collect();
    let ids: Vec<blind::Identifier> = apps.iter().flat_map(blind::identifiers).collect();
    assert!(
        ids.iter().any(|i| i.what_en.contains("credit code")) && ids.iter().any(|i| i.what_en.contains("document"))
    );
    for p in &packets {
        let e = w.expert(&p.expert_number);
        import(e, Path::new(&p.path), Trust::Fingerprint(office_fp.clone())).unwrap();
        let held = expert::held(&mut e.ws, &p.packet_id).unwrap();
        assert!(held.payload.blind);
        for item in &held.payload.items {
            assert!(matches!(item.content, ItemContent::Blind(_)));
        }
        // The decrypted payload, as stored on the expert's laptop, holds none of them.
        let hits = blind::find_identifiers(&held.row.body, &ids);
        assert!(hits.is_empty(), "{hits:?}");
        // And no attachment came with it.
        let blobs = e.ws.dir().join("blobs");
        let files = walk(&blobs);
        assert!(files.is_empty(), "{files:?}");
    }

    // A blind-reviewable section naming the leader: the office's packet is refused, naming the item.
    let mut app = apps[0].clone();
    let leader = app.leader().unwrap().1.name.clone();
    let section = app.sections.keys().find(|k| *k == "rationale").cloned().unwrap();
    app.sections.insert(section, crate::application::RichText::paragraph(format!("本项目由{leader}团队完成")));
    let view = blind::view(&app, &w.call);
    let leaks = blind::leaks(&view, &app);
    assert_eq!(leaks.len(), 1, "{leaks:?}");
    assert!(leaks[0].part_zh.contains("rationale") && leaks[0].identifier.text == leader);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

#[test]
fn a_sheet_is_sealed_only_complete_and_consistent() {
    let form = crate::call::review::default_plan(
        crate::call::Category::TechInnovation,
        &crate::call::Mode::OpenCompetition { two_stage: false },
        &crate::call::review::embedded_templates().unwrap(),
    )
    .unwrap()
    .rounds[0]
        .form
        .clone();
    let Form::Scored(rubric) = &form else { panic!("scored") };
    let empty = sheet::check(&form, &SheetDraft::default());
    let codes: Vec<&str> = empty.problems.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes.iter().filter(|c| **c == "sheet.score_missing").count(), rubric.criteria.len());
    assert!(codes.contains(&"sheet.grade_missing") && codes.contains(&"sheet.strengths_missing"));
    assert!(empty.marks.is_none());

    let c0 = &rubric.criteria[0];
    let mut d = full_draft(&form, 1.0, Grade::D);
    // Over the maximum, a step of 0.25, not a number: each named on its criterion.
    d.scores.insert(c0.id.clone(), format!("{}", c0.weight + 1));
    let field = format!("scores.{}", c0.id);
    let over = sheet::check(&form, &d);
    assert!(over.problems.iter().any(|p| p.code == "sheet.score_over_max" && p.field == field));
    d.scores.insert(c0.id.clone(), "3.25".into());
    assert!(sheet::check(&form, &d).problems.iter().any(|p| p.code == "sheet.score_invalid" && p.field == field));
    d.scores.insert(c0.id.clone(), format!("{}", c0.weight));
    // Full marks with D: the consistency prompt; confirmed, it seals with the confirmation recorded.
    let c = sheet::check(&form, &d);
    assert!(c.needs_grade_confirmation && c.problems.len() == 1 && c.problems[0].code == "sheet.grade_inconsistent");
    d.grade_confirmed = true;
    let c = sheet::check(&form, &d);
    assert!(c.problems.is_empty());
    assert!(
        matches!(c.marks, Some(sheet::Marks::Scored { grade_confirmed: true, total, .. }) if total == crate::call::review::HalfPoints::whole(100))
    );
    // Full-width digits and a half point parse.
    assert_eq!(sheet::parse_points("７．５"), Some(crate::call::review::HalfPoints(15)));
    assert_eq!(sheet::parse_points("7.50"), Some(crate::call::review::HalfPoints(15)));
    assert_eq!(sheet::parse_points("-1"), None);
}
