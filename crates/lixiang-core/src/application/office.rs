//! The office's list of received applications (申报书列表): one row per application — its newest version
//! received — with 申报编号, title, applicant unit, leader, call, programme, status, receipt time and the
//! flags an officer scans for (late, 查重 hit, 限项 exceeded, problems), filtered, sorted and searched in
//! Chinese: substrings of title, unit, leader and 申报编号 (two-character words such as 牦牛 included) and
//! pinyin initials (`xdnm` finds 现代农牧…, every reading of a polyphonic character counts: `xz` finds 西藏).
//!
//! The list reads an index (migration 0008) instead of the sealed versions, so that it stays fast with
//! thousands of rows: the index row, the 查重 shingle set and the pairs it forms are written in the same
//! transaction as the submission import ([`index_in`]) and the status in the same transaction as the
//! formal decision. [`reindex`] rebuilds rows that are missing, stale or of an older format when the
//! workspace opens (a workspace that received applications before this index existed). The 限项 count and
//! the best 查重 pair are computed by the list query itself, so they follow every later arrival.
//!
//! This module must not decide anything: statuses come from formal-check decisions, problems from
//! [`formal_check_rules`](super::formal_check_rules), similarities from [`super::duplicate`].

use super::duplicate;
use super::formal::{leader_key, Decision};
use super::{formal_check_rules_with, Application, ApplicationId, SealedVersion};
use crate::calendar::Moment;
use crate::call::Call;
use crate::catalog::Catalog;
use crate::validate::Severity;
use crate::workspace::Workspace;
use crate::{CoreError, Result};
use lixiang_store::{IndexRow, PairRow, ShingleSet, SubmissionRow, Unaudited, Writer};
use pinyin::ToPinyinMulti;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// The format of index rows this build writes; rows of another format are rebuilt at opening. Bump it
/// when what a row holds or how it is computed changes. 2: the status of a decided application is its
/// final decision (立项 / 不予立项), so rows written before are rebuilt with it.
pub const INDEX_FORMAT: u32 = 2;

/// Where an application stands at the office (the office's side of formal.rs's states).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum OfficeStatus {
    /// 待审查: received, no decision on this version yet (a returned application's fixed version too).
    Received,
    /// 形式审查通过.
    Accepted,
    /// 退回修改 (waiting for a fixed version).
    Returned,
    /// 不予受理.
    NotAccepted,
    /// 已撤回: the applicant's withdrawal notice arrived (application/withdrawal.rs); it outranks every decision.
    Withdrawn,
    /// 立项: the final decision of its round funds it (set in the final decision's transaction).
    Funded,
    /// 不予立项: the final decision of its round does not fund it.
    NotFunded,
}

impl OfficeStatus {
    pub const ALL: [OfficeStatus; 7] = [
        OfficeStatus::Received,
        OfficeStatus::Accepted,
        OfficeStatus::Returned,
        OfficeStatus::NotAccepted,
        OfficeStatus::Withdrawn,
        OfficeStatus::Funded,
        OfficeStatus::NotFunded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OfficeStatus::Received => "received",
            OfficeStatus::Accepted => "accepted",
            OfficeStatus::Returned => "returned",
            OfficeStatus::NotAccepted => "not_accepted",
            OfficeStatus::Withdrawn => "withdrawn",
            OfficeStatus::Funded => "funded",
            OfficeStatus::NotFunded => "not_funded",
        }
    }

    pub fn parse(text: &str) -> Option<OfficeStatus> {
        OfficeStatus::ALL.into_iter().find(|s| s.as_str() == text)
    }

    pub fn zh(self) -> &'static str {
        match self {
            OfficeStatus::Received => "待审查",
            OfficeStatus::Accepted => "形式审查通过",
            OfficeStatus::Returned => "退回修改",
            OfficeStatus::NotAccepted => "不予受理",
            OfficeStatus::Withdrawn => "已撤回",
            OfficeStatus::Funded => "立项",
            OfficeStatus::NotFunded => "不予立项",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            OfficeStatus::Received => "received",
            OfficeStatus::Accepted => "accepted",
            OfficeStatus::Returned => "returned",
            OfficeStatus::NotAccepted => "not accepted",
            OfficeStatus::Withdrawn => "withdrawn",
            OfficeStatus::Funded => "funded",
            OfficeStatus::NotFunded => "not funded",
        }
    }

    /// The status a final decision gives (立项 / 不予立项).
    pub fn of_final(funded: bool) -> OfficeStatus {
        if funded {
            OfficeStatus::Funded
        } else {
            OfficeStatus::NotFunded
        }
    }

    /// The status a decision on the newest version gives.
    pub fn of_decision(d: Decision) -> OfficeStatus {
        match d {
            Decision::Accept => OfficeStatus::Accepted,
            Decision::Return => OfficeStatus::Returned,
            Decision::Reject => OfficeStatus::NotAccepted,
        }
    }
}

/// A flag the list can be narrowed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum ListFlag {
    /// Received after the call's closing time.
    Late,
    /// A 查重 pair at or above the threshold with another application of the same year.
    Duplicate,
    /// The leader has more applications in the call than its 限项.
    OverLimit,
    /// The formal-check rules found an error at receipt.
    Problems,
}

impl ListFlag {
    pub fn parse(text: &str) -> Option<ListFlag> {
        match text {
            "late" => Some(ListFlag::Late),
            "duplicate" => Some(ListFlag::Duplicate),
            "over_limit" => Some(ListFlag::OverLimit),
            "problems" => Some(ListFlag::Problems),
            _ => None,
        }
    }
}

/// The column the list is sorted by (then by 申报编号).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    #[default]
    Number,
    /// By pinyin, as people expect Chinese to sort.
    Title,
    Unit,
    Leader,
    Call,
    Programme,
    Status,
    ReceivedAt,
    /// Errors, then warnings.
    Problems,
    /// The highest 查重 similarity.
    Similarity,
}

impl SortKey {
    pub fn parse(text: &str) -> Option<SortKey> {
        Some(match text {
            "number" => SortKey::Number,
            "title" => SortKey::Title,
            "unit" => SortKey::Unit,
            "leader" => SortKey::Leader,
            "call" => SortKey::Call,
            "programme" => SortKey::Programme,
            "status" => SortKey::Status,
            "received_at" | "received" => SortKey::ReceivedAt,
            "problems" => SortKey::Problems,
            "similarity" | "duplicate" => SortKey::Similarity,
            _ => return None,
        })
    }

    fn column(self) -> lixiang_store::SortColumn {
        use lixiang_store::SortColumn as C;
        match self {
            SortKey::Number => C::Number,
            SortKey::Title => C::Title,
            SortKey::Unit => C::Unit,
            SortKey::Leader => C::Leader,
            SortKey::Call => C::Call,
            SortKey::Programme => C::Programme,
            SortKey::Status => C::Status,
            SortKey::ReceivedAt => C::ReceivedAt,
            SortKey::Problems => C::Problems,
            SortKey::Similarity => C::Similarity,
        }
    }
}

/// What the officer asks the list for. Every part is optional; they combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(default)]
pub struct ListQuery {
    /// A call's code (`2027-ZX06-01`) or id.
    pub call: Option<String>,
    pub status: Option<OfficeStatus>,
    /// Part of the applicant unit's name, or its 统一社会信用代码.
    pub unit: Option<String>,
    pub flag: Option<ListFlag>,
    /// Words separated by spaces, all of which must match: a substring of the 申报编号, title, unit or
    /// leader, or (ASCII letters and digits) the pinyin initials of the title, unit or leader.
    pub search: Option<String>,
    pub sort: SortKey,
    pub descending: bool,
    /// At most this many rows (for a window that shows a page), from `offset`.
    pub limit: Option<u32>,
    pub offset: u32,
}

/// The best 查重 pair of an application.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct DuplicateHit {
    /// The other application's 申报编号.
    pub number: String,
    /// |A∩B| / min(|A|, |B|), 0 … 1.
    pub similarity: f64,
}

/// One row of the office's list.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ListRow {
    pub number: String,
    pub application_id: String,
    /// The newest version received, and its SHA-256.
    pub version: u32,
    pub sha256: String,
    pub title: String,
    pub unit: String,
    pub unit_code: String,
    pub leader: String,
    pub call_id: String,
    pub call_code: String,
    pub programme: String,
    pub status: OfficeStatus,
    pub received_at: String,
    pub late: bool,
    /// The most similar other application at or above the threshold, if any.
    pub duplicate: Option<DuplicateHit>,
    /// The leader's applications in the call (those not refused), this one included.
    pub leader_applications: u32,
    /// The call's 限项 for the leader, if it sets one.
    pub leader_limit: Option<u32>,
    pub over_limit: bool,
    /// Errors and warnings of the formal-check rules at receipt.
    pub errors: u32,
    pub warnings: u32,
}

/// Normalised for searching: NFKC, lower case, no whitespace.
pub fn search_form(text: &str) -> String {
    text.nfkc().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

/// The initial letters a character may be read with: itself for ASCII letters and digits, every
/// reading's first letter for a Han character, nothing for anything else.
fn initial_slot(c: char) -> Vec<char> {
    if c.is_ascii_alphanumeric() {
        return vec![c.to_ascii_lowercase()];
    }
    let mut out: Vec<char> = match c.to_pinyin_multi() {
        Some(multi) => multi.into_iter().filter_map(|p| p.first_letter().chars().next()).collect(),
        None => Vec::new(),
    };
    out.sort_unstable();
    out.dedup();
    out
}

fn initials_field(text: &str) -> Vec<Vec<char>> {
    text.nfkc().map(initial_slot).filter(|s| !s.is_empty()).collect()
}

/// A sort key: the first reading of each Han character in plain pinyin, other characters as they are
/// (lower case), so that 阿… sorts before 藏… and ASCII titles sort among them.
pub fn sort_key(text: &str) -> String {
    let mut out = String::new();
    for c in text.nfkc() {
        match c.to_pinyin_multi() {
            Some(multi) => {
                out.push_str(multi.get(0).plain());
                out.push(' ');
            }
            None if c.is_whitespace() => {}
            None => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// Everything the index needs about one received version, computed before the write transaction.
#[derive(Debug, Clone)]
pub struct IndexInput {
    pub row: IndexRow,
    pub year: i32,
    pub pre_application: Option<String>,
    pub shingles: Vec<u64>,
}

/// Computes the index row and the 查重 set of a received version. `call` and `app` are `None` only when
/// they cannot be read (then the row still lists the application with what the submission row holds).
pub fn index_input(
    sub: &SubmissionRow,
    call: Option<&Call>,
    schema: Option<&crate::budget::BudgetSchema>,
    app: Option<&Application>,
    catalog: &Catalog,
    status: OfficeStatus,
) -> IndexInput {
    let received = Moment::parse(&sub.received_at);
    let (mut errors, mut warnings) = (0u32, 0u32);
    if let (Some(call), Some(received), Some(id)) = (call, received, ApplicationId::parse(&sub.application_id)) {
        let version = SealedVersion {
            application_id: id,
            number: sub.version,
            sealed_at: Moment::parse(&sub.sealed_at).unwrap_or(received),
            bytes: sub.bytes.clone(),
            sha256: sub.sha256.clone(),
        };
        for p in formal_check_rules_with(call, schema, &version, catalog, received) {
            match p.severity {
                Severity::Error => errors += 1,
                _ => warnings += 1,
            }
        }
    }
    let late = match (call, received) {
        (Some(c), Some(r)) => r > c.closes_at,
        _ => false,
    };
    let leader_name = app.and_then(|a| a.leader()).map(|(_, m)| m.name.clone()).unwrap_or_default();
    let year = call.map(|c| c.year).unwrap_or_else(|| sub.number.get(..4).and_then(|y| y.parse().ok()).unwrap_or(0));
    let haystack = haystack(&sub.number, &sub.title, &sub.applicant_name, &leader_name);
    let initials = lixiang_store::encode_initials(&[
        initials_field(&sub.title),
        initials_field(&sub.applicant_name),
        initials_field(&leader_name),
    ]);
    let row = IndexRow {
        application_id: sub.application_id.clone(),
        version: sub.version,
        format: INDEX_FORMAT,
        number: sub.number.clone(),
        call_id: sub.call_id.clone(),
        call_code: call.map(|c| c.code.clone()).unwrap_or_else(|| sub.call_id.clone()),
        year,
        programme: sub.programme.clone(),
        title: sub.title.clone(),
        unit_name: sub.applicant_name.clone(),
        unit_code: crate::validate::compact(&sub.applicant_code).to_uppercase(),
        unit_search: search_form(&sub.applicant_name),
        leader_key: app.and_then(leader_key).unwrap_or_default(),
        leader_name,
        leader_limit: call.and_then(|c| c.eligibility.max_concurrent_projects),
        status: status.as_str().to_string(),
        received_at: sub.received_at.clone(),
        late,
        errors,
        warnings,
        title_sort: sort_key(&sub.title),
        unit_sort: sort_key(&sub.applicant_name),
        leader_sort: String::new(),
        haystack,
        initials,
    };
    let row = IndexRow { leader_sort: sort_key(&row.leader_name), ..row };
    IndexInput {
        row,
        year,
        pre_application: app.and_then(|a| a.pre_application).map(|p| p.to_string()),
        shingles: app.map(duplicate::application_shingles).unwrap_or_default(),
    }
}

/// Whether two applications are a pre-application and its full application (expected to be similar).
fn stages_of_one(id: &str, pre: Option<&str>, other: &str, other_pre: Option<&str>) -> bool {
    pre == Some(other) || other_pre == Some(id)
}

impl IndexInput {
    /// Gives the row its 申报编号, which the import allocates inside its transaction (after this input
    /// was computed), and the search text that includes it.
    pub fn set_number(&mut self, number: &str) {
        self.row.number = number.to_string();
        self.row.haystack = haystack(&self.row.number, &self.row.title, &self.row.unit_name, &self.row.leader_name);
    }
}

/// The search text of a row: the fields normalised, joined by U+001F so that no match spans two.
fn haystack(number: &str, title: &str, unit: &str, leader: &str) -> String {
    [number, title, unit, leader].map(search_form).join("\u{1f}")
}

/// The stored 查重 sets of each year without their hashes, as one write transaction sees them: read
/// once, then kept up to date by [`index_in`] as it writes. Finding a new set's candidates looks each
/// of them up here instead of in the database, and phrases every application shares (「本项目面向…」)
/// make every set of the year a candidate: one query per candidate per import grew with the year.
/// Valid only inside the transaction it was filled in (another process may write between two).
#[derive(Debug, Default)]
pub struct SetsSeen {
    years: HashMap<i32, YearSets>,
}

#[derive(Debug, Default)]
struct YearSets {
    by_row: HashMap<i64, lixiang_store::ShingleMeta>,
    /// How many of them are small (indexed whole).
    small: usize,
}

impl YearSets {
    fn insert(&mut self, meta: lixiang_store::ShingleMeta) {
        if duplicate::needs_full_scan(meta.count as usize) {
            self.small += 1;
        }
        self.by_row.insert(meta.id, meta);
    }

    fn remove_application(&mut self, application_id: &str) {
        let gone: Vec<i64> =
            self.by_row.iter().filter(|(_, m)| m.application_id == application_id).map(|(id, _)| *id).collect();
        for id in gone {
            if let Some(m) = self.by_row.remove(&id) {
                if duplicate::needs_full_scan(m.count as usize) {
                    self.small -= 1;
                }
            }
        }
    }
}

impl SetsSeen {
    fn year(&mut self, r: &lixiang_store::Reader<'_>, year: i32) -> lixiang_store::Result<&YearSets> {
        Ok(match self.years.entry(year) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let mut sets = YearSets::default();
                for m in r.application_shingles_meta(year)? {
                    sets.insert(m);
                }
                e.insert(sets)
            }
        })
    }

    /// After `application_shingles_put` replaced an application's set (its old row, of any year, is gone).
    fn replaced(&mut self, year: i32, meta: lixiang_store::ShingleMeta) {
        for sets in self.years.values_mut() {
            sets.remove_application(&meta.application_id);
        }
        if let Some(sets) = self.years.get_mut(&year) {
            sets.insert(meta);
        }
    }
}

/// The 查重 pairs of a new set with the sets of its year already stored (inside the write transaction,
/// so that two imports never miss each other).
fn pairs_in(w: &Writer<'_>, input: &IndexInput, seen: &mut SetsSeen) -> lixiang_store::Result<Vec<PairRow>> {
    let id = input.row.application_id.as_str();
    let pre = input.pre_application.as_deref();
    let set = &input.shingles;
    let mut pairs = Vec::new();
    if set.is_empty() {
        return Ok(pairs);
    }
    let r = w.reader();
    let mut consider = |other: &str, other_pre: Option<&str>, shared: usize, other_len: usize| {
        let similarity = duplicate::similarity_of(shared, set.len(), other_len);
        if similarity >= duplicate::DEFAULT_THRESHOLD && !stages_of_one(id, pre, other, other_pre) {
            pairs.push(PairRow { other: other.to_string(), similarity, shared: shared as u32 });
        }
    };
    if duplicate::needs_full_scan(set.len()) {
        r.application_shingles_of_year(input.year, id, |s| {
            let other = duplicate::decode(s.hashes);
            consider(s.application_id, s.pre_application, duplicate::shared(set, &other), other.len());
        })?;
    } else {
        let sets = seen.year(&r, input.year)?;
        // A hash outside the sample is in the index only for a small set. With none in the year (real
        // applications are long), looking up the sample alone gives the very same hits, eight times
        // fewer lookups.
        let hits = if sets.small == 0 {
            r.shingle_hits(input.year, &duplicate::indexed(set))?
        } else {
            r.shingle_hits(input.year, set)?
        };
        let mut candidates: Vec<(&lixiang_store::ShingleMeta, u32)> = hits
            .iter()
            .filter_map(|(row, n)| sets.by_row.get(row).map(|m| (m, *n)))
            .filter(|(m, _)| m.application_id != id)
            .collect();
        // Every row the index names is in `sets` (both are read in this transaction, and kept together
        // by index_in); the order is the ids', as the pairs were found before.
        candidates.sort_by(|a, b| a.0.application_id.cmp(&b.0.application_id));
        for (c, hits) in candidates {
            let count = c.count as usize;
            if let Some(shared) = duplicate::exact_from_index(count, hits) {
                consider(&c.application_id, c.pre_application.as_deref(), shared, count);
            } else if duplicate::must_compare(count, hits) {
                if let Some(blob) = r.application_shingles_blob(&c.application_id)? {
                    let other = duplicate::decode(&blob);
                    consider(
                        &c.application_id,
                        c.pre_application.as_deref(),
                        duplicate::shared(set, &other),
                        other.len(),
                    );
                }
            }
        }
    }
    Ok(pairs)
}

/// Writes an application's index row, its 查重 set and its pairs, inside the caller's transaction (the
/// submission import's, or the rebuild's). `seen` belongs to that transaction: pass the same one to
/// every call in it.
pub fn index_in(w: &Writer<'_>, input: &IndexInput, seen: &mut SetsSeen) -> lixiang_store::Result<()> {
    let pairs = pairs_in(w, input, seen)?;
    w.application_index_put(&input.row)?;
    let set = ShingleSet {
        application_id: &input.row.application_id,
        version: input.row.version,
        year: input.year,
        pre_application: input.pre_application.as_deref(),
        hashes: &input.shingles,
    };
    let row = w.application_shingles_put(&set, &duplicate::indexed(&input.shingles))?;
    seen.replaced(
        input.year,
        lixiang_store::ShingleMeta {
            id: row,
            application_id: input.row.application_id.clone(),
            pre_application: input.pre_application.clone(),
            count: input.shingles.len() as u32,
        },
    );
    w.duplicate_pairs_replace(&input.row.application_id, &pairs)
}

/// Rebuilds the index rows that are missing, stale or of an older format (one transaction). Returns how
/// many were written. Run when the workspace opens; a workspace that received nothing does one query.
pub fn reindex(ws: &mut Workspace) -> Result<usize> {
    let stale = ws.store.read(|r| r.application_index_stale(INDEX_FORMAT))?;
    if stale.is_empty() {
        return Ok(0);
    }
    let cat = crate::catalog::get(ws)?;
    let decisions = ws.store.read(|r| r.formal_decisions_latest())?;
    type CallAndSchema = (Option<Call>, Option<crate::budget::BudgetSchema>);
    let mut calls: std::collections::HashMap<String, CallAndSchema> = std::collections::HashMap::new();
    let mut inputs = Vec::with_capacity(stale.len());
    for id in &stale {
        let Some(sub) = ws.store.read(|r| r.submission_latest(id))? else { continue };
        if !calls.contains_key(&sub.call_id) {
            let call = crate::call::desk::get(ws, &sub.call_id).ok();
            let schema = match &call {
                Some(c) => super::desk::schema_of(ws, c)?,
                None => None,
            };
            calls.insert(sub.call_id.clone(), (call, schema));
        }
        let (call, schema) = calls.get(&sub.call_id).map(|(c, s)| (c.as_ref(), s.as_ref())).unwrap_or((None, None));
        let app: Option<Application> = serde_json::from_slice(&sub.bytes).ok();
        // A final decision outranks the formal check's: a decided application reads 立项 / 不予立项.
        let (finally, withdrawn) = ws.store.read(|r| {
            Ok::<_, CoreError>((r.final_funded(&sub.application_id)?, r.received_withdrawal(&sub.application_id)?))
        })?;
        // A withdrawal the office received ends the application's way, whatever was decided before it.
        let status = match (withdrawn, finally) {
            (Some(_), _) => OfficeStatus::Withdrawn,
            (None, Some(funded)) => OfficeStatus::of_final(funded),
            (None, None) => decisions
                .iter()
                .find(|d| d.application_id == sub.application_id && d.version == sub.version)
                .and_then(|d| Decision::parse(&d.decision))
                .map(OfficeStatus::of_decision)
                .unwrap_or(OfficeStatus::Received),
        };
        inputs.push(index_input(&sub, call, schema, app.as_ref(), &cat, status));
    }
    ws.store.write_unaudited(Unaudited::DerivedIndex, |w| {
        let mut seen = SetsSeen::default();
        for input in &inputs {
            index_in(w, input, &mut seen)?;
        }
        Ok::<_, CoreError>(())
    })?;
    Ok(inputs.len())
}

fn filter_of(q: &ListQuery) -> lixiang_store::ListFilter {
    let terms = q
        .search
        .as_deref()
        .unwrap_or("")
        .split_whitespace()
        .map(search_form)
        .filter(|t| !t.is_empty())
        .map(|t| lixiang_store::SearchTerm { initials: t.chars().all(|c| c.is_ascii_alphanumeric()), text: t })
        .collect();
    let nonempty = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(String::from);
    lixiang_store::ListFilter {
        call: nonempty(&q.call),
        status: q.status.map(|s| s.as_str().to_string()),
        unit: nonempty(&q.unit).map(|u| search_form(&u)),
        flag: q.flag.map(|f| match f {
            ListFlag::Late => lixiang_store::FlagFilter::Late,
            ListFlag::Duplicate => lixiang_store::FlagFilter::Duplicate,
            ListFlag::OverLimit => lixiang_store::FlagFilter::OverLimit,
            ListFlag::Problems => lixiang_store::FlagFilter::Problems,
        }),
        terms,
        sort: q.sort.column(),
        descending: q.descending,
        limit: q.limit,
        offset: q.offset,
    }
}

/// The office's list of received applications for `query`. Reads the index only.
pub fn office_list(ws: &mut Workspace, query: &ListQuery) -> Result<Vec<ListRow>> {
    let filter = filter_of(query);
    let records = ws.store.read(|r| r.office_list(&filter))?;
    Ok(records.into_iter().map(list_row).collect())
}

/// A page of the office's list: the rows `query`'s limit and offset select, and how many rows the whole
/// filtered list has. The window fetches a page as someone types (a few milliseconds even over thousands
/// of applications) and the next ones as the table is scrolled to its end.
#[derive(Debug, Clone, PartialEq, Serialize, specta::Type)]
pub struct ListPage {
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<ListRow>,
}

/// [`office_list`] with the count of the whole filtered list, read in one transaction.
pub fn office_page(ws: &mut Workspace, query: &ListQuery) -> Result<ListPage> {
    let filter = filter_of(query);
    let (records, total) =
        ws.store.read(|r| Ok::<_, CoreError>((r.office_list(&filter)?, r.office_count(&filter)?)))?;
    Ok(ListPage { total, offset: query.offset, rows: records.into_iter().map(list_row).collect() })
}

fn list_row(r: lixiang_store::ListRecord) -> ListRow {
    ListRow {
        status: OfficeStatus::parse(&r.status).unwrap_or(OfficeStatus::Received),
        duplicate: match (r.duplicate_similarity, r.duplicate_with) {
            (Some(similarity), Some(number)) => Some(DuplicateHit { number, similarity }),
            _ => None,
        },
        over_limit: r.leader_limit.is_some_and(|l| r.leader_count > l),
        leader_applications: r.leader_count,
        leader_limit: r.leader_limit,
        number: r.number,
        application_id: r.application_id,
        version: r.version,
        sha256: r.sha256,
        title: r.title,
        unit: r.unit_name,
        unit_code: r.unit_code,
        leader: r.leader_name,
        call_id: r.call_id,
        call_code: r.call_code,
        programme: r.programme,
        received_at: r.received_at,
        late: r.late,
        errors: r.errors,
        warnings: r.warnings,
    }
}

/// The 查重 pairs of one application (by id), most similar first: (申报编号, similarity).
pub fn duplicates_of(ws: &mut Workspace, application_id: &str) -> Result<Vec<DuplicateHit>> {
    Ok(ws
        .store
        .read(|r| r.duplicate_pairs_of(application_id))?
        .into_iter()
        .map(|d| DuplicateHit { number: d.number, similarity: d.similarity })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_the_lists_slice_and_counts_the_whole_filtered_list_under_every_filter() {
        let dir = tempfile::tempdir().unwrap();
        let keep = dir.path().join("office");
        crate::application::bench::bench_list(60, 1, "牦牛", Some(&keep)).unwrap();
        let mut ws = Workspace::open(&keep).unwrap();
        let mut queries = vec![
            ListQuery::default(),
            ListQuery { search: Some("牦牛".into()), ..ListQuery::default() },
            ListQuery { search: Some("xzmn".into()), sort: SortKey::Title, descending: true, ..ListQuery::default() },
            ListQuery { status: Some(OfficeStatus::Accepted), ..ListQuery::default() },
        ];
        for flag in [ListFlag::Late, ListFlag::Duplicate, ListFlag::OverLimit, ListFlag::Problems] {
            queries.push(ListQuery { flag: Some(flag), ..ListQuery::default() });
        }
        let mut sizes = Vec::new();
        for q in queries {
            let all = office_list(&mut ws, &q).unwrap();
            let page = office_page(&mut ws, &ListQuery { limit: Some(7), offset: 3, ..q.clone() }).unwrap();
            assert_eq!(page.total as usize, all.len(), "{q:?}");
            assert_eq!(page.offset, 3);
            assert_eq!(page.rows, all.iter().skip(3).take(7).cloned().collect::<Vec<_>>(), "{q:?}");
            sizes.push(all.len());
        }
        // The filters do filter here (60 seeded, the search a part of them, 查重 pairs among them), so the
        // counts above are not all of one number.
        assert_eq!(sizes[0], 60);
        assert!(sizes[1] > 0 && sizes[1] < 60, "{sizes:?}");
        assert!(sizes[5] > 0 && sizes[5] < 60, "duplicates: {sizes:?}");
    }

    #[test]
    fn initials_keep_every_reading_and_skip_punctuation() {
        assert_eq!(initials_field("西藏"), vec![vec!['x'], vec!['c', 'z']]);
        let enc = lixiang_store::encode_initials(&[initials_field("现代农牧业（示例）5G")]);
        assert!(lixiang_store::initials_match(&enc, "xdnm"));
        assert!(lixiang_store::initials_match(&enc, "sl5g"));
        assert!(!lixiang_store::initials_match(&enc, "xdnx"));
        let tibet = lixiang_store::encode_initials(&[initials_field("西藏牦牛")]);
        assert!(lixiang_store::initials_match(&tibet, "xzmn"), "{tibet}");
    }

    #[test]
    fn search_form_and_sort_key() {
        assert_eq!(search_form(" 牦牛 ＡＢ　c "), "牦牛abc");
        assert!(sort_key("阿里") < sort_key("藏药"), "{} {}", sort_key("阿里"), sort_key("藏药"));
        assert!(sort_key("牦牛") < sort_key("西藏"));
    }
}
