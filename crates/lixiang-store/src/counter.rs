//! The counters a workspace hands out to other machines, and their floors (table `counter_floor`).
//!
//! Counter names: `submission_number:2027-ZX06-` (the office's 申报编号 per year and programme),
//! `expert_number` (the office's ZJ numbers), `review_return:PACKET` (an expert's return numbers per
//! packet), and `*` (the floor of every counter without a row of its own). The values are read from the
//! data that holds them; the floors are written by a restore (lixiang-core's `counters` module).

use crate::{Reader, Result, Writer};
use rusqlite::{params, OptionalExtension};
use std::collections::BTreeMap;

/// The floor of counters that have none of their own.
pub const COUNTER_DEFAULT: &str = "*";
/// The prefix of the 申报编号 counters (followed by the number's prefix, `2027-ZX06-`).
pub const COUNTER_SUBMISSION_NUMBER: &str = "submission_number:";
/// The office's expert numbers (`ZJ` and 6 digits).
pub const COUNTER_EXPERT_NUMBER: &str = "expert_number";
/// The prefix of an expert's return numbers for one packet (followed by the packet id).
pub const COUNTER_REVIEW_RETURN: &str = "review_return:";

impl Reader<'_> {
    /// The floor under `counter`: its own, or the default floor when higher (0 when neither is set).
    /// An allocator gives the larger of its data's maximum and this floor, plus one.
    pub fn counter_floor(&self, counter: &str) -> Result<u64> {
        let floor: Option<i64> = self
            .tx
            .prepare_cached("SELECT max(floor) FROM counter_floor WHERE counter IN (?1, ?2)")?
            .query_row(params![counter, COUNTER_DEFAULT], |r| r.get(0))
            .optional()?
            .flatten();
        Ok(floor.unwrap_or(0).max(0) as u64)
    }

    /// Every counter's current value: the highest value handed out (from the data) or its floor,
    /// whichever is higher, the default floor included. What a backup records.
    pub fn counters(&self) -> Result<BTreeMap<String, u64>> {
        let mut out = BTreeMap::new();
        let mut raise = |name: String, v: u64| {
            let e = out.entry(name).or_insert(0);
            *e = (*e).max(v);
        };
        let mut st = self.tx.prepare(
            "SELECT substr(number, 1, length(number) - 6), max(number) FROM submission_received
             WHERE length(number) > 6 GROUP BY 1",
        )?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (prefix, max) = row?;
            if let Ok(n) = max[prefix.len()..].parse::<u64>() {
                raise(format!("{COUNTER_SUBMISSION_NUMBER}{prefix}"), n);
            }
        }
        let expert: Option<String> = self.tx.query_row("SELECT max(number) FROM expert", [], |r| r.get(0))?;
        if let Some(n) = expert.and_then(|m| m.get(2..).and_then(|d| d.parse::<u64>().ok())) {
            raise(COUNTER_EXPERT_NUMBER.to_string(), n);
        }
        let mut st = self.tx.prepare("SELECT packet_id, max(seq) FROM review_return_sent GROUP BY packet_id")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (packet, seq) = row?;
            raise(format!("{COUNTER_REVIEW_RETURN}{packet}"), seq.max(0) as u64);
        }
        let mut st = self.tx.prepare("SELECT counter, floor FROM counter_floor")?;
        let rows = st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (name, floor) = row?;
            raise(name, floor.max(0) as u64);
        }
        Ok(out)
    }
}

impl Writer<'_> {
    /// Raises the floor under `counter` to `floor` (a floor never goes down).
    pub fn counter_floor_raise(&self, counter: &str, floor: u64) -> Result<()> {
        let floor = i64::try_from(floor).unwrap_or(i64::MAX);
        self.tx.execute(
            "INSERT INTO counter_floor (counter, floor) VALUES (?1, ?2)
             ON CONFLICT (counter) DO UPDATE SET floor = max(floor, excluded.floor)",
            params![counter, floor],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::{Store, Unaudited};

    #[test]
    fn a_floor_rises_never_falls_and_the_default_floor_covers_counters_without_their_own() {
        let tmp = tempfile::tempdir().unwrap();
        let mut s = Store::open(&tmp.path().join("db")).unwrap();
        assert_eq!(s.read(|r| r.counter_floor("expert_number")).unwrap(), 0);
        s.write_unaudited(Unaudited::Preference, |w| {
            w.counter_floor_raise("expert_number", 2000)?;
            w.counter_floor_raise("expert_number", 5)?;
            w.counter_floor_raise("*", 1000)
        })
        .unwrap();
        assert_eq!(s.read(|r| r.counter_floor("expert_number")).unwrap(), 2000);
        assert_eq!(s.read(|r| r.counter_floor("review_return:x")).unwrap(), 1000);
        let all = s.read(|r| r.counters()).unwrap();
        assert_eq!(all.get("expert_number"), Some(&2000));
        assert_eq!(all.get("*"), Some(&1000));

        // The expert numbers continue past the floor.
        let row = |id: &str| crate::ExpertRow {
            expert_id: id.into(),
            number: String::new(),
            name: "甲".into(),
            sort_key: "jia".into(),
            document_number: None,
            key_id: None,
            body: "{}".into(),
            created_at: "2027-01-01T00:00:00Z".into(),
            updated_at: "2027-01-01T00:00:00Z".into(),
        };
        let event = || crate::AuditEvent::new(crate::AuditAction::ExpertChange, "expert_pool", "test", "ab".repeat(32));
        assert_eq!(s.write(event(), |w| w.expert_insert(&row("e1"))).unwrap(), "ZJ002001");
        assert_eq!(s.write(event(), |w| w.expert_insert(&row("e2"))).unwrap(), "ZJ002002");
    }
}
