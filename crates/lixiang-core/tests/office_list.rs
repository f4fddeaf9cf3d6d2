//! The office's application list, search and 查重 across two workspaces exchanging real package files: the
//! office publishes the ZX06 demo call (限项 of one per leader), the institute files applications, the
//! office imports them and finds them by filter, sort, Chinese substring (two-character words) and pinyin
//! initials; a copied application is flagged by 查重 in the list and in the formal report, with the other's
//! 申报编号 and its similarity; long texts go through the sampled index; a decision changes the status in
//! the list; the index is rebuilt when the workspace opens without it.

// Expected lists read best as `[a.clone(), b.clone()]`, one-element lists included.
#![allow(clippy::cloned_ref_to_slice_refs)]

use lixiang_core::application::demo::synthetic_id_number;
use lixiang_core::application::formal::{self, Decision, DecisionInput};
use lixiang_core::application::office::{self, ListFlag, ListQuery, ListRow, OfficeStatus, SortKey};
use lixiang_core::application::{desk, duplicate, Application, ApplicationId, RichText};
use lixiang_core::calendar::Moment;
use lixiang_core::call::{self, desk as calls, Call, CallStatus};
use lixiang_core::identity::{self, keybox::KdfParams, Role};
use lixiang_core::import::{self, Trust};
use lixiang_core::package::{Limits, SecretKeys};
use lixiang_core::Workspace;
use std::path::{Path, PathBuf};

fn party(dir: &Path, role: Role, name: &str) -> (Workspace, SecretKeys, String) {
    let mut ws = Workspace::open(dir).unwrap();
    let c = identity::create(&mut ws, role, name, "passphrase!", KdfParams::FOR_TESTS).unwrap();
    (ws, c.keys, c.info.fingerprint)
}

struct World {
    tmp: tempfile::TempDir,
    office: Workspace,
    office_keys: SecretKeys,
    institute: Workspace,
    inst_keys: SecretKeys,
    inst_fp: String,
    call: Call,
    during: Moment,
    files: usize,
}

fn world() -> World {
    let tmp = tempfile::tempdir().unwrap();
    let (mut office, office_keys, office_fp) = party(&tmp.path().join("office"), Role::Office, "科技厅");
    let (mut institute, inst_keys, inst_fp) = party(&tmp.path().join("institute"), Role::Applicant, "农牧科学院");
    let mut demo = call::demo_calls().unwrap().into_iter().find(|c| c.programme == "ZX06").unwrap();
    demo.status = CallStatus::Draft;
    demo.eligibility.max_concurrent_projects = Some(1);
    calls::save_draft(&mut office, &demo).unwrap();
    calls::publish(&mut office, &demo.code, demo.opens_at).unwrap();
    let call_pkg = tmp.path().join("call.lxpkg");
    calls::export(&mut office, &office_keys, &demo.code, &call_pkg).unwrap();
    import::import_file(&mut institute, &call_pkg, None, &Trust::Fingerprint(office_fp), &Limits::default()).unwrap();
    let during = demo.opens_at;
    World { tmp, office, office_keys, institute, inst_keys, inst_fp, call: demo, during, files: 0 }
}

/// Pseudo-random Han characters (deterministic per seed), for long texts that share nothing by chance.
fn han_text(seed: u64, len: usize) -> String {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            char::from_u32(0x4E00 + (x % 0x5000) as u32).unwrap()
        })
        .collect()
}

impl World {
    /// The institute files a new application made from the demo draft by `edit`; the office imports it.
    /// Returns the 申报编号.
    fn file(&mut self, edit: impl FnOnce(&mut Application)) -> String {
        let mut app = desk::new_demo_draft(&mut self.institute, &self.call.code).unwrap();
        app.id = ApplicationId::new();
        edit(&mut app);
        desk::save_draft(&mut self.institute, &app).unwrap();
        self.files += 1;
        let sub: PathBuf = self.tmp.path().join(format!("sub-{}.lxpkg", self.files));
        desk::submit(&mut self.institute, &self.inst_keys, &app.id.to_string(), self.during, &sub).unwrap();
        import::import_file(
            &mut self.office,
            &sub,
            Some(&self.office_keys),
            &Trust::Fingerprint(self.inst_fp.clone()),
            &Limits::default(),
        )
        .unwrap();
        let listed = office::office_list(&mut self.office, &ListQuery::default()).unwrap();
        listed.into_iter().find(|r| r.application_id == app.id.to_string()).unwrap().number
    }

    fn list(&mut self, q: ListQuery) -> Vec<ListRow> {
        office::office_list(&mut self.office, &q).unwrap()
    }

    fn numbers(&mut self, q: ListQuery) -> Vec<String> {
        self.list(q).into_iter().map(|r| r.number).collect()
    }
}

fn search(text: &str) -> ListQuery {
    ListQuery { search: Some(text.into()), ..ListQuery::default() }
}

fn other_leader(app: &mut Application, name: &str, seq: u16) {
    let (i, m) = app.leader().unwrap();
    let birth = m.birth_date;
    app.team[i].name = name.into();
    app.team[i].id_number = synthetic_id_number("540102", birth, seq);
}

fn own_text(app: &mut Application, seed: u64) {
    for (k, code) in duplicate::SECTIONS.iter().enumerate() {
        app.sections.insert(code.to_string(), RichText::paragraph(han_text(seed * 10 + k as u64, 300)));
    }
}

#[test]
fn the_office_finds_applications_by_filter_sort_chinese_and_pinyin_and_sees_duplicates() {
    let mut w = world();
    // A: the demo application. B: a copy of it under another title (same leader, same text).
    let a = w.file(|_| {});
    let b = w.file(|app| app.title = "高原特色农产品加工关键技术（示例）".into());
    // C: its own leader, unit name, title and text.
    let c = w.file(|app| {
        app.title = "牦牛高效养殖与现代农牧业示范".into();
        app.applicant.name = "那曲市畜牧研究所（示例）".into();
        other_leader(app, "曾巴桑", 301);
        own_text(app, 7);
    });
    let all = w.numbers(ListQuery::default());
    assert_eq!(all, [a.clone(), b.clone(), c.clone()], "sorted by 申报编号 by default");

    // Chinese substrings, two characters included; every word must match.
    assert_eq!(w.numbers(search("牦牛")), [c.clone()]);
    assert_eq!(w.numbers(search("那曲")), [c.clone()]);
    assert_eq!(w.numbers(search("曾巴")), [c.clone()], "the leader's name");
    assert_eq!(w.numbers(search("牦牛 示例")), [c.clone()]);
    assert!(w.numbers(search("牦牛 加工")).is_empty());
    assert_eq!(w.numbers(search(&c[c.len() - 6..])), [c.clone()], "the 申报编号's sequence");
    // Full-width input is the same text.
    assert_eq!(w.numbers(search("ＺＸ０６")).len(), 3);
    // Pinyin initials: 现代农牧 in C's title, 高原特色 in B's, 西藏 (藏 read zang) in A's and B's unit.
    assert_eq!(w.numbers(search("xdnm")), [c.clone()]);
    assert_eq!(w.numbers(search("gyts")), [b.clone()]);
    assert_eq!(w.numbers(search("XZGY")), [a.clone(), b.clone()], "upper case too");
    assert!(w.numbers(search("xdnx")).is_empty());

    // Sort by title (pinyin) both ways; by unit.
    let asc = w.numbers(ListQuery { sort: SortKey::Title, ..ListQuery::default() });
    let desc = w.numbers(ListQuery { sort: SortKey::Title, descending: true, ..ListQuery::default() });
    assert_eq!(asc, [a.clone(), b.clone(), c.clone()], "高产 gao chan < 高原 gao yuan < 牦牛 mao niu");
    assert_eq!(desc, asc.iter().rev().cloned().collect::<Vec<_>>());
    let by_unit = w.numbers(ListQuery { sort: SortKey::Unit, ..ListQuery::default() });
    assert_eq!(by_unit[0], c, "na… before xi…");

    // Filters: call, unit, flags.
    let code = w.call.code.clone();
    assert_eq!(w.numbers(ListQuery { call: Some(code), ..ListQuery::default() }).len(), 3);
    assert!(w.numbers(ListQuery { call: Some("2027-ZX01-01".into()), ..ListQuery::default() }).is_empty());
    assert_eq!(w.numbers(ListQuery { unit: Some("那曲".into()), ..ListQuery::default() }), [c.clone()]);
    let dup = w.list(ListQuery { flag: Some(ListFlag::Duplicate), ..ListQuery::default() });
    assert_eq!(dup.iter().map(|r| r.number.clone()).collect::<Vec<_>>(), [a.clone(), b.clone()]);
    let hit = dup[0].duplicate.clone().unwrap();
    assert_eq!((hit.number.as_str(), hit.similarity), (b.as_str(), 1.0), "the same three sections");
    assert_eq!(dup[1].duplicate.as_ref().unwrap().number, a);
    let over = w.list(ListQuery { flag: Some(ListFlag::OverLimit), ..ListQuery::default() });
    assert_eq!(over.iter().map(|r| r.number.clone()).collect::<Vec<_>>(), [a.clone(), b.clone()]);
    assert_eq!((over[0].leader_applications, over[0].leader_limit), (2, Some(1)));
    let row_c = w.list(search("牦牛")).remove(0);
    assert!(row_c.duplicate.is_none() && !row_c.over_limit && !row_c.late);
    assert_eq!((row_c.leader.as_str(), row_c.status), ("曾巴桑", OfficeStatus::Received));
    assert!(w.numbers(ListQuery { flag: Some(ListFlag::Late), ..ListQuery::default() }).is_empty());
    // Paging.
    let page = w.numbers(ListQuery { limit: Some(1), offset: 1, ..ListQuery::default() });
    assert_eq!(page, [b.clone()]);

    // The formal report of B names A and the similarity.
    let report = formal::formal_check(&mut w.office, &b, w.during).unwrap();
    assert_eq!(report.duplicates.len(), 1);
    assert_eq!((report.duplicates[0].number.as_str(), report.duplicates[0].similarity), (a.as_str(), 1.0));
    let p = report.problems.iter().find(|p| p.code == "formal.duplicate").unwrap();
    assert!(p.zh.contains(&a) && p.zh.contains("100.0%"), "{}", p.zh);
    let report_c = formal::formal_check(&mut w.office, &c, w.during).unwrap();
    assert!(report_c.duplicates.is_empty() && report_c.problems.iter().all(|p| p.code != "formal.duplicate"));

    // A decision shows in the list at once; refusing B lifts A's 限项 flag (B no longer holds a place).
    let out = w.tmp.path().join("result.lxpkg");
    let reject = DecisionInput { decision: Decision::Reject, reasons: vec!["重复申报".into()], fix_by: None };
    formal::decide(&mut w.office, &w.office_keys, &b, &reject, w.during, &out).unwrap();
    let refused = w.numbers(ListQuery { status: Some(OfficeStatus::NotAccepted), ..ListQuery::default() });
    assert_eq!(refused, [b.clone()]);
    assert!(w.numbers(ListQuery { flag: Some(ListFlag::OverLimit), ..ListQuery::default() }).is_empty());
    let by_status = w.numbers(ListQuery { sort: SortKey::Status, ..ListQuery::default() });
    assert_eq!(by_status, [b.clone(), a.clone(), c.clone()], "not_accepted < received, then by 申报编号");

    // Rebuilt when the workspace opens without its index (a workspace from before migration 0008).
    let before = w.list(ListQuery::default());
    let db = w.office.database_path().to_path_buf();
    let dir = w.office.dir().to_path_buf();
    drop(std::mem::replace(&mut w.office, Workspace::open(&w.tmp.path().join("scratch")).unwrap()));
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch("DELETE FROM application_index; DELETE FROM duplicate_pair; DELETE FROM application_shingles;")
        .unwrap();
    drop(conn);
    w.office = Workspace::open(&dir).unwrap();
    assert_eq!(w.list(ListQuery::default()), before);
}

#[test]
fn long_texts_are_paired_through_the_sampled_index_exactly() {
    let mut w = world();
    let base = han_text(1, 3000);
    let d = w.file(|app| {
        for code in duplicate::SECTIONS {
            app.sections.insert(code.into(), RichText::paragraph(""));
        }
        app.sections.insert("content".into(), RichText::paragraph(base.clone()));
        app.sections.insert("rationale".into(), RichText::paragraph("本项目立项依据（示例）"));
        app.sections.insert("innovation".into(), RichText::paragraph("创新点（示例）"));
    });
    // E: half of D's text and 1,500 characters of its own. F: all its own.
    let half: String = base.chars().take(1500).collect();
    let e_text = format!("{half}{}", han_text(2, 1500));
    let e = w.file(|app| {
        other_leader(app, "扎西", 302);
        app.sections.insert("content".into(), RichText::paragraph(e_text.clone()));
    });
    let f = w.file(|app| {
        other_leader(app, "卓玛", 303);
        own_text(app, 3);
        app.sections.insert("content".into(), RichText::paragraph(han_text(9, 3000)));
    });
    // The similarity the list shows is the exact one, computed here from the texts.
    let text_of = |w: &mut World, n: &str| {
        let id = w.list(search(n)).remove(0).application_id;
        let report = formal::formal_check(&mut w.office, &id, w.during).unwrap();
        (report, id)
    };
    let (rd, _) = text_of(&mut w, &d);
    let mut app_d = desk::new_demo_draft(&mut w.institute, &w.call.code).unwrap();
    app_d.sections.insert("content".into(), RichText::paragraph(base.clone()));
    app_d.sections.insert("rationale".into(), RichText::paragraph("本项目立项依据（示例）"));
    app_d.sections.insert("innovation".into(), RichText::paragraph("创新点（示例）"));
    let mut app_e = desk::new_demo_draft(&mut w.institute, &w.call.code).unwrap();
    app_e.sections.insert("content".into(), RichText::paragraph(e_text.clone()));
    let (sd, se) = (duplicate::application_shingles(&app_d), duplicate::application_shingles(&app_e));
    assert!(sd.len() >= duplicate::SMALL_SET && se.len() >= duplicate::SMALL_SET, "both go through the sample");
    let expected = duplicate::similarity(&sd, &se);
    assert!(expected > duplicate::DEFAULT_THRESHOLD && expected < 0.6, "{expected}");
    assert_eq!(rd.duplicates.len(), 1, "{:?}", rd.duplicates);
    assert_eq!((rd.duplicates[0].number.as_str(), rd.duplicates[0].similarity), (e.as_str(), expected));
    let (rf, _) = text_of(&mut w, &f);
    assert!(rf.duplicates.is_empty(), "{:?}", rf.duplicates);
    let flagged = w.numbers(ListQuery { flag: Some(ListFlag::Duplicate), ..ListQuery::default() });
    assert_eq!(flagged, [d, e]);
}
