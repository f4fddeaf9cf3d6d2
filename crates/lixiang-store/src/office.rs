//! The office's list of received applications as stored (migration 0008): one index row per application
//! (its newest version received) with everything the list filters, sorts and searches on, the 查重 shingle
//! sets, and the pairs found at or above the threshold. All of it is derived from audited records; the
//! core computes the rows (normalised text, pinyin, shingles) and writes them in the same transaction as
//! the import or the decision they follow. This module only stores and queries them, and owns the format
//! of the pinyin-initials column together with the SQL function that matches it.

use crate::{Reader, Result, Writer};
use rusqlite::functions::FunctionFlags;
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Row};

/// One row of the office's list as the core computed it.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexRow {
    pub application_id: String,
    pub version: u32,
    /// The core's index format; rows of another format are reported stale.
    pub format: u32,
    pub number: String,
    pub call_id: String,
    pub call_code: String,
    pub year: i32,
    pub programme: String,
    pub title: String,
    pub unit_name: String,
    pub unit_code: String,
    pub unit_search: String,
    pub leader_name: String,
    pub leader_key: String,
    pub leader_limit: Option<u32>,
    /// `received`, `accepted`, `returned`, `not_accepted` or `withdrawn`.
    pub status: String,
    pub received_at: String,
    pub late: bool,
    pub errors: u32,
    pub warnings: u32,
    pub title_sort: String,
    pub unit_sort: String,
    pub leader_sort: String,
    pub haystack: String,
    /// See [`initials_match`] for the format.
    pub initials: String,
}

/// A 查重 shingle set as read back, borrowed from the row being scanned.
pub struct ShingleRef<'a> {
    pub application_id: &'a str,
    pub pre_application: Option<&'a str>,
    /// Sorted distinct u64 hashes, 8 bytes each, little endian.
    pub hashes: &'a [u8],
}

/// A 查重 shingle set to write.
pub struct ShingleSet<'a> {
    pub application_id: &'a str,
    pub version: u32,
    pub year: i32,
    pub pre_application: Option<&'a str>,
    /// Sorted and distinct.
    pub hashes: &'a [u64],
}

/// Rows inserted, or hashes looked up, by one statement of the 查重 index.
const ROWS_PER_STATEMENT: usize = 64;

/// A stored 查重 set without its hashes: what deciding whether to compare it needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShingleMeta {
    /// Its row id, which the inverted index refers to.
    pub id: i64,
    pub application_id: String,
    pub pre_application: Option<String>,
    /// The size of its whole set.
    pub count: u32,
}

/// The other side of a 查重 pair.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateOf {
    pub application_id: String,
    pub number: String,
    pub similarity: f64,
    pub shared: u32,
}

/// A pair to record for one application.
#[derive(Debug, Clone, PartialEq)]
pub struct PairRow {
    pub other: String,
    pub similarity: f64,
    pub shared: u32,
}

/// The columns the list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    Number,
    Title,
    Unit,
    Leader,
    Call,
    Programme,
    Status,
    ReceivedAt,
    Problems,
    Similarity,
}

impl SortColumn {
    fn sql(self) -> &'static str {
        match self {
            SortColumn::Number => "number",
            SortColumn::Title => "title_sort, title",
            SortColumn::Unit => "unit_sort, unit_name",
            SortColumn::Leader => "leader_sort, leader_name",
            SortColumn::Call => "call_code",
            SortColumn::Programme => "programme",
            SortColumn::Status => "status",
            SortColumn::ReceivedAt => "received_at",
            SortColumn::Problems => "errors, warnings",
            SortColumn::Similarity => "coalesce(dup_similarity, -1)",
        }
    }
}

/// The flags the list can be narrowed to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagFilter {
    Late,
    Duplicate,
    OverLimit,
    Problems,
}

/// One search word, already normalised by the core (NFKC, lower case, no whitespace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchTerm {
    pub text: String,
    /// Also match it against the pinyin initials (the word is ASCII letters and digits).
    pub initials: bool,
}

/// What the list query selects; every part is optional and they combine with AND.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListFilter {
    /// A call's id or code.
    pub call: Option<String>,
    pub status: Option<String>,
    /// Part of the unit's name (normalised like the search), or its credit code.
    pub unit: Option<String>,
    pub flag: Option<FlagFilter>,
    pub terms: Vec<SearchTerm>,
    pub sort: SortColumn,
    pub descending: bool,
    pub limit: Option<u32>,
    pub offset: u32,
}

/// A row of the list with the flags that depend on other applications, computed by the query.
#[derive(Debug, Clone, PartialEq)]
pub struct ListRecord {
    pub application_id: String,
    pub number: String,
    pub version: u32,
    /// The SHA-256 of that version.
    pub sha256: String,
    pub call_id: String,
    pub call_code: String,
    pub programme: String,
    pub title: String,
    pub unit_name: String,
    pub unit_code: String,
    pub leader_name: String,
    pub status: String,
    pub received_at: String,
    pub late: bool,
    pub errors: u32,
    pub warnings: u32,
    /// How many applications of the call the leader has here (not counting those not accepted or withdrawn).
    pub leader_count: u32,
    pub leader_limit: Option<u32>,
    /// The highest 查重 similarity with another application, and that application's 申报编号.
    pub duplicate_similarity: Option<f64>,
    pub duplicate_with: Option<String>,
}

const INDEX_COLUMNS: &str = "application_id, version, format, number, call_id, call_code, year, programme, title, \
     unit_name, unit_code, unit_search, leader_name, leader_key, leader_limit, status, received_at, late, errors, warnings, \
     title_sort, unit_sort, leader_sort, haystack, initials";

/// The name of the SQL function that matches pinyin initials (registered on every connection the store
/// opens): `lx_initials_match(initials, word)`.
pub const INITIALS_MATCH_FN: &str = "lx_initials_match";

/// Registers [`INITIALS_MATCH_FN`] on `conn`.
pub(crate) fn register_functions(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        INITIALS_MATCH_FN,
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let initials = ctx.get_raw(0).as_str().unwrap_or("");
            let word = ctx.get_raw(1).as_str().unwrap_or("");
            Ok(initials_match(initials, word))
        },
    )
}

/// Writes the initials column from the per-field slots: fields are separated by `|`; a slot (one
/// character of the text) is the one letter or digit it may start with, or `[…]` holding every one when
/// a polyphonic character has several (藏 is `[cz]`: 西藏 and 储藏). Characters with no initial are left
/// out by the caller.
pub fn encode_initials(fields: &[Vec<Vec<char>>]) -> String {
    let mut out = String::new();
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push('|');
        }
        for slot in field {
            match slot.as_slice() {
                [] => {}
                [one] => out.push(*one),
                many => {
                    out.push('[');
                    out.extend(many.iter());
                    out.push(']');
                }
            }
        }
    }
    out
}

fn slot_bit(c: char) -> u64 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        _ => 0,
    }
}

/// Whether `word` (ASCII letters and digits, lower case) is a run of consecutive slots of one field of
/// `initials` (the format of [`encode_initials`]): `xdnm` matches 现代农牧业 in any field.
pub fn initials_match(initials: &str, word: &str) -> bool {
    let want: Vec<u64> = word.chars().map(slot_bit).collect();
    if want.is_empty() || want.contains(&0) {
        return false;
    }
    let mut slots: Vec<u64> = Vec::with_capacity(64);
    for field in initials.split('|') {
        slots.clear();
        let mut chars = field.chars();
        while let Some(c) = chars.next() {
            if c == '[' {
                let mut mask = 0;
                for d in chars.by_ref() {
                    if d == ']' {
                        break;
                    }
                    mask |= slot_bit(d);
                }
                slots.push(mask);
            } else {
                slots.push(slot_bit(c));
            }
        }
        if slots.len() >= want.len()
            && slots.windows(want.len()).any(|w| w.iter().zip(&want).all(|(slot, bit)| slot & bit != 0))
        {
            return true;
        }
    }
    false
}

fn record_of(r: &Row) -> rusqlite::Result<ListRecord> {
    Ok(ListRecord {
        application_id: r.get("application_id")?,
        number: r.get("number")?,
        version: r.get("version")?,
        sha256: r.get("sha256")?,
        call_id: r.get("call_id")?,
        call_code: r.get("call_code")?,
        programme: r.get("programme")?,
        title: r.get("title")?,
        unit_name: r.get("unit_name")?,
        unit_code: r.get("unit_code")?,
        leader_name: r.get("leader_name")?,
        status: r.get("status")?,
        received_at: r.get("received_at")?,
        late: r.get("late")?,
        errors: r.get("errors")?,
        warnings: r.get("warnings")?,
        leader_count: r.get("leader_count")?,
        leader_limit: r.get("leader_limit")?,
        duplicate_similarity: r.get("dup_similarity")?,
        duplicate_with: r.get("dup_with")?,
    })
}

impl Writer<'_> {
    /// Writes (or replaces) an application's index row.
    pub fn application_index_put(&self, row: &IndexRow) -> Result<()> {
        self.tx.execute(
            &format!(
                "INSERT OR REPLACE INTO application_index ({INDEX_COLUMNS})
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20,
                         ?21, ?22, ?23, ?24, ?25)"
            ),
            params![
                row.application_id,
                row.version,
                row.format,
                row.number,
                row.call_id,
                row.call_code,
                row.year,
                row.programme,
                row.title,
                row.unit_name,
                row.unit_code,
                row.unit_search,
                row.leader_name,
                row.leader_key,
                row.leader_limit,
                row.status,
                row.received_at,
                row.late,
                row.errors,
                row.warnings,
                row.title_sort,
                row.unit_sort,
                row.leader_sort,
                row.haystack,
                row.initials
            ],
        )?;
        Ok(())
    }

    /// Sets the status of an indexed application (after a formal decision). Returns whether a row was there.
    pub fn application_index_set_status(&self, application_id: &str, status: &str) -> Result<bool> {
        let n = self.tx.execute(
            "UPDATE application_index SET status = ?2 WHERE application_id = ?1",
            params![application_id, status],
        )?;
        Ok(n == 1)
    }

    /// Writes (or replaces) an application's shingle set (`hashes` sorted and distinct) and puts `indexed`
    /// (a subset the core chose) into the inverted index of its year, replacing what the previous version
    /// put there. Returns the set's row id (a new one: the old row is deleted).
    pub fn application_shingles_put(&self, set: &ShingleSet<'_>, indexed: &[u64]) -> Result<i64> {
        let mut blob = Vec::with_capacity(set.hashes.len() * 8);
        for h in set.hashes {
            blob.extend_from_slice(&h.to_le_bytes());
        }
        // Deleting the old row cascades to its index entries.
        self.tx.execute("DELETE FROM application_shingles WHERE application_id = ?1", [set.application_id])?;
        self.tx.execute(
            "INSERT INTO application_shingles (application_id, version, year, pre_application, count, hashes)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![set.application_id, set.version, set.year, set.pre_application, set.hashes.len() as i64, blob],
        )?;
        let app = self.tx.last_insert_rowid();
        // Many rows per statement: a set puts a few hundred hashes here, and stepping one statement per
        // row cost more than the B-tree inserts themselves.
        let mut many = self.tx.prepare_cached(&format!(
            "INSERT OR IGNORE INTO shingle_sample (year, hash, app) VALUES {}",
            (0..ROWS_PER_STATEMENT).map(|i| format!("(?1, ?{}, ?2)", i + 3)).collect::<Vec<_>>().join(", ")
        ))?;
        let mut chunks = indexed.chunks_exact(ROWS_PER_STATEMENT);
        for chunk in chunks.by_ref() {
            many.raw_bind_parameter(1, set.year)?;
            many.raw_bind_parameter(2, app)?;
            for (i, h) in chunk.iter().enumerate() {
                // Stored as the i64 with the same bits: SQLite integers are signed.
                many.raw_bind_parameter(i + 3, *h as i64)?;
            }
            many.raw_execute()?;
        }
        let mut one =
            self.tx.prepare_cached("INSERT OR IGNORE INTO shingle_sample (year, hash, app) VALUES (?1, ?2, ?3)")?;
        for h in chunks.remainder() {
            one.execute(params![set.year, *h as i64, app])?;
        }
        Ok(app)
    }

    /// Replaces every 查重 pair of `application_id` with `pairs`.
    pub fn duplicate_pairs_replace(&self, application_id: &str, pairs: &[PairRow]) -> Result<()> {
        self.tx.execute("DELETE FROM duplicate_pair WHERE a = ?1 OR b = ?1", [application_id])?;
        let mut st =
            self.tx.prepare("INSERT INTO duplicate_pair (a, b, similarity, shared) VALUES (?1, ?2, ?3, ?4)")?;
        for p in pairs {
            let (a, b) = if application_id < p.other.as_str() {
                (application_id, p.other.as_str())
            } else {
                (p.other.as_str(), application_id)
            };
            st.execute(params![a, b, p.similarity, p.shared])?;
        }
        Ok(())
    }
}

/// The conditions on `application_index i` of a list filter (call, status, unit, search terms), with
/// their parameters appended to `args`: shared by the list and its count.
fn base_conditions(f: &ListFilter, args: &mut Vec<Value>) -> Vec<String> {
    let mut arg = |v: Value| {
        args.push(v);
        format!("?{}", args.len())
    };
    let mut base = vec!["1 = 1".to_string()];
    if let Some(call) = &f.call {
        let p = arg(Value::Text(call.clone()));
        base.push(format!("(i.call_id = {p} OR i.call_code = {p})"));
    }
    if let Some(status) = &f.status {
        base.push(format!("i.status = {}", arg(Value::Text(status.clone()))));
    }
    if let Some(unit) = &f.unit {
        let p = arg(Value::Text(unit.clone()));
        base.push(format!("(instr(i.unit_search, {p}) > 0 OR upper(i.unit_code) = upper({p}))"));
    }
    for t in &f.terms {
        let p = arg(Value::Text(t.text.clone()));
        if t.initials {
            base.push(format!("(instr(i.haystack, {p}) > 0 OR {INITIALS_MATCH_FN}(i.initials, {p}))"));
        } else {
            base.push(format!("instr(i.haystack, {p}) > 0"));
        }
    }
    base
}

impl Reader<'_> {
    /// The applications whose newest version received has no index row, or one about an older version
    /// or of another index format than `format`: what the core must (re)index.
    pub fn application_index_stale(&self, format: u32) -> Result<Vec<String>> {
        let mut st = self.tx.prepare(
            "SELECT s.application_id FROM submission_received s
             LEFT JOIN application_index i ON i.application_id = s.application_id
             WHERE s.version = (SELECT max(version) FROM submission_received t WHERE t.application_id = s.application_id)
               AND (i.application_id IS NULL OR i.version <> s.version OR i.format <> ?1
                    OR NOT EXISTS (SELECT 1 FROM application_shingles h
                                   WHERE h.application_id = s.application_id AND h.version = s.version))
             ORDER BY s.received_at, s.number",
        )?;
        let rows = st.query_map([format], |r| r.get(0))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// How many applications the index holds.
    pub fn application_index_count(&self) -> Result<u64> {
        Ok(self.tx.query_row("SELECT count(*) FROM application_index", [], |r| r.get::<_, i64>(0))? as u64)
    }

    /// The index row of one application.
    pub fn application_index_status(&self, application_id: &str) -> Result<Option<String>> {
        Ok(self
            .tx
            .query_row("SELECT status FROM application_index WHERE application_id = ?1", [application_id], |r| r.get(0))
            .optional()?)
    }

    /// Calls `f` with every shingle set of `year` but `except`'s, one row at a time (nothing is collected,
    /// so scanning thousands of sets keeps one in memory).
    pub fn application_shingles_of_year(
        &self,
        year: i32,
        except: &str,
        mut f: impl FnMut(ShingleRef<'_>),
    ) -> Result<()> {
        let mut st = self.tx.prepare_cached(
            "SELECT application_id, pre_application, hashes FROM application_shingles
             WHERE year = ?1 AND application_id <> ?2",
        )?;
        let mut rows = st.query(params![year, except])?;
        while let Some(r) = rows.next()? {
            let sql = rusqlite::Error::from;
            let id = r.get_ref(0)?.as_str().map_err(sql)?;
            let pre = r.get_ref(1)?.as_str_or_null().map_err(sql)?;
            let hashes = r.get_ref(2)?.as_blob().map_err(sql)?;
            f(ShingleRef { application_id: id, pre_application: pre, hashes });
        }
        Ok(())
    }

    /// How many of `hashes` each set of `year` holds among its indexed entries, by set row id.
    pub fn shingle_hits(&self, year: i32, hashes: &[u64]) -> Result<std::collections::HashMap<i64, u32>> {
        let mut hits: std::collections::HashMap<i64, u32> = std::collections::HashMap::new();
        // Many hashes per statement, as in application_shingles_put. `hashes` are distinct; the last
        // chunk is filled up with its own last hash, which `IN` counts once.
        let mut st = self.tx.prepare_cached(&format!(
            "SELECT app FROM shingle_sample WHERE year = ?1 AND hash IN ({})",
            (0..ROWS_PER_STATEMENT).map(|i| format!("?{}", i + 2)).collect::<Vec<_>>().join(", ")
        ))?;
        for chunk in hashes.chunks(ROWS_PER_STATEMENT) {
            st.raw_bind_parameter(1, year)?;
            for i in 0..ROWS_PER_STATEMENT {
                let h = chunk.get(i).or(chunk.last()).copied().unwrap_or_default();
                st.raw_bind_parameter(i + 2, h as i64)?;
            }
            let mut rows = st.raw_query();
            while let Some(r) = rows.next()? {
                *hits.entry(r.get(0)?).or_default() += 1;
            }
        }
        Ok(hits)
    }

    /// Every stored set of `year`, without its hashes. One pass over the table: the import of a batch
    /// reads it once instead of looking up each candidate of each package (stock phrases make every
    /// set of the year a candidate).
    pub fn application_shingles_meta(&self, year: i32) -> Result<Vec<ShingleMeta>> {
        let mut st = self.tx.prepare_cached(
            "SELECT id, application_id, pre_application, count FROM application_shingles WHERE year = ?1",
        )?;
        let rows = st
            .query_map([year], |r| {
                Ok(ShingleMeta {
                    id: r.get(0)?,
                    application_id: r.get(1)?,
                    pre_application: r.get(2)?,
                    count: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The whole shingle set of one application (sorted u64, little endian), if it has one.
    pub fn application_shingles_blob(&self, application_id: &str) -> Result<Option<Vec<u8>>> {
        Ok(self
            .tx
            .query_row("SELECT hashes FROM application_shingles WHERE application_id = ?1", [application_id], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// The 查重 pairs of one application with the other side's 申报编号, most similar first.
    pub fn duplicate_pairs_of(&self, application_id: &str) -> Result<Vec<DuplicateOf>> {
        let mut st = self.tx.prepare(
            "SELECT o.application_id, o.number, p.similarity, p.shared FROM duplicate_pair p
             JOIN application_index o ON o.application_id = CASE WHEN p.a = ?1 THEN p.b ELSE p.a END
             WHERE p.a = ?1 OR p.b = ?1
             ORDER BY p.similarity DESC, o.number",
        )?;
        let rows = st
            .query_map([application_id], |r| {
                Ok(DuplicateOf {
                    application_id: r.get(0)?,
                    number: r.get(1)?,
                    similarity: r.get(2)?,
                    shared: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// The office's list: filtered, searched and sorted in SQL over the index, with the flags that depend
    /// on other applications (限项 count, best 查重 pair) computed by the same query.
    pub fn office_list(&self, f: &ListFilter) -> Result<Vec<ListRecord>> {
        let mut args: Vec<Value> = Vec::new();
        let base = base_conditions(f, &mut args);
        let mut arg = |v: Value| {
            args.push(v);
            format!("?{}", args.len())
        };
        let flag = match f.flag {
            None => "1 = 1",
            Some(FlagFilter::Late) => "late = 1",
            Some(FlagFilter::Duplicate) => "dup_similarity IS NOT NULL",
            Some(FlagFilter::OverLimit) => "leader_limit IS NOT NULL AND leader_count > leader_limit",
            Some(FlagFilter::Problems) => "errors > 0",
        };
        let dir = if f.descending { "DESC" } else { "ASC" };
        let order: Vec<String> = f.sort.sql().split(", ").map(|c| format!("{c} {dir}")).collect();
        let limit = match f.limit {
            Some(n) => {
                format!("LIMIT {} OFFSET {}", arg(Value::Integer(n.into())), arg(Value::Integer(f.offset.into())))
            }
            None if f.offset > 0 => format!("LIMIT -1 OFFSET {}", arg(Value::Integer(f.offset.into()))),
            None => String::new(),
        };
        let sql = format!(
            "WITH rows AS (
               SELECT i.*,
                 (SELECT s.sha256 FROM submission_received s
                   WHERE s.application_id = i.application_id AND s.version = i.version) AS sha256,
                 (SELECT count(*) FROM application_index j
                   WHERE j.call_id = i.call_id AND j.leader_key = i.leader_key AND i.leader_key <> ''
                     AND j.status NOT IN ('not_accepted', 'withdrawn')) AS leader_count,
                 (SELECT max(p.similarity) FROM duplicate_pair p
                   WHERE p.a = i.application_id OR p.b = i.application_id) AS dup_similarity,
                 (SELECT o.number FROM duplicate_pair p
                   JOIN application_index o ON o.application_id = CASE WHEN p.a = i.application_id THEN p.b ELSE p.a END
                   WHERE p.a = i.application_id OR p.b = i.application_id
                   ORDER BY p.similarity DESC, o.number LIMIT 1) AS dup_with
               FROM application_index i
               WHERE {}
             )
             SELECT * FROM rows WHERE {flag} ORDER BY {}, number ASC {limit}",
            base.join(" AND "),
            order.join(", ")
        );
        let mut st = self.tx.prepare(&sql)?;
        let rows =
            st.query_map(rusqlite::params_from_iter(args.iter()), record_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }

    /// How many rows [`Self::office_list`] gives for `f` without its limit and offset: the window shows
    /// the count while it fetches the rows a page at a time. Without a flag this is the index alone (the
    /// per-row figures a flag filters on are computed only when one is asked for).
    pub fn office_count(&self, f: &ListFilter) -> Result<u32> {
        let mut args: Vec<Value> = Vec::new();
        let mut base = base_conditions(f, &mut args);
        let flag = match f.flag {
            None => None,
            Some(FlagFilter::Late) => Some("i.late = 1"),
            Some(FlagFilter::Duplicate) => {
                Some("EXISTS (SELECT 1 FROM duplicate_pair p WHERE p.a = i.application_id OR p.b = i.application_id)")
            }
            Some(FlagFilter::OverLimit) => Some(
                "i.leader_limit IS NOT NULL AND i.leader_key <> '' AND (SELECT count(*) FROM application_index j
                   WHERE j.call_id = i.call_id AND j.leader_key = i.leader_key
                     AND j.status NOT IN ('not_accepted', 'withdrawn')) > i.leader_limit",
            ),
            Some(FlagFilter::Problems) => Some("i.errors > 0"),
        };
        base.extend(flag.map(str::to_string));
        let sql = format!("SELECT count(*) FROM application_index i WHERE {}", base.join(" AND "));
        let n: i64 = self.tx.query_row(&sql, rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
        Ok(n as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_match_runs_of_one_field_with_every_reading() {
        // 西藏牦牛 | 次仁
        let enc = encode_initials(&[vec![vec!['x'], vec!['c', 'z'], vec!['m'], vec!['n']], vec![vec!['c'], vec!['r']]]);
        assert_eq!(enc, "x[cz]mn|cr");
        assert!(initials_match(&enc, "xz"));
        assert!(initials_match(&enc, "xc"));
        assert!(initials_match(&enc, "zmn"));
        assert!(initials_match(&enc, "cr"));
        assert!(!initials_match(&enc, "nc"), "no match across two fields");
        assert!(!initials_match(&enc, "xm"), "slots are consecutive");
        assert!(!initials_match(&enc, ""));
        assert!(!initials_match(&enc, "x-"));
        assert!(initials_match("5g[jz]z", "5gj"));
    }
}
