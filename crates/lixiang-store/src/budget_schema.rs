//! Budget schemas a workspace holds besides the shipped ones (migration 0023): one row per (code, version),
//! the body as the core's JSON with its SHA-256. Whether a second content may take a code and version is the
//! core's decision (it never may); the primary key is the last guard.

use crate::{Reader, Result, Writer};
use rusqlite::{params, OptionalExtension, Row};

/// One budget schema as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetSchemaRow {
    pub code: String,
    pub version: u32,
    pub sha256: String,
    pub body: String,
    /// `own`, or the id of the call package it arrived in.
    pub origin: String,
    pub added_at: String,
}

const COLUMNS: &str = "code, version, sha256, body, origin, added_at";

fn row_of(r: &Row) -> rusqlite::Result<BudgetSchemaRow> {
    Ok(BudgetSchemaRow {
        code: r.get(0)?,
        version: r.get(1)?,
        sha256: r.get(2)?,
        body: r.get(3)?,
        origin: r.get(4)?,
        added_at: r.get(5)?,
    })
}

impl Writer<'_> {
    /// Stores a schema. A row with the same code, version and hash is left as it is (the first origin
    /// stays); one with the same code and version but another hash fails on the primary key.
    pub fn budget_schema_put(&self, s: &BudgetSchemaRow) -> Result<()> {
        self.tx.execute(
            &format!(
                "INSERT INTO budget_schema ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(code, version) DO NOTHING"
            ),
            params![s.code, s.version, s.sha256, s.body, s.origin, s.added_at],
        )?;
        // Nothing was inserted when the code and version are held: fine for the same content, an error otherwise.
        let held: String = self.tx.query_row(
            "SELECT sha256 FROM budget_schema WHERE code = ?1 AND version = ?2",
            params![s.code, s.version],
            |r| r.get(0),
        )?;
        if held != s.sha256 {
            return Err(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY),
                Some(format!("budget_schema {} v{} is held with another content", s.code, s.version)),
            )
            .into());
        }
        Ok(())
    }
}

impl Reader<'_> {
    /// One schema by code and version.
    pub fn budget_schema(&self, code: &str, version: u32) -> Result<Option<BudgetSchemaRow>> {
        Ok(self
            .tx
            .query_row(
                &format!("SELECT {COLUMNS} FROM budget_schema WHERE code = ?1 AND version = ?2"),
                params![code, version],
                row_of,
            )
            .optional()?)
    }

    /// Every stored schema, by code then version.
    pub fn budget_schemas(&self) -> Result<Vec<BudgetSchemaRow>> {
        let mut stmt = self.tx.prepare(&format!("SELECT {COLUMNS} FROM budget_schema ORDER BY code, version"))?;
        let rows = stmt.query_map([], row_of)?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use crate::{BudgetSchemaRow, Store, Unaudited};

    fn row(sha: char) -> BudgetSchemaRow {
        BudgetSchemaRow {
            code: "pilot-2027".into(),
            version: 1,
            sha256: sha.to_string().repeat(64),
            body: "{}".into(),
            origin: "own".into(),
            added_at: "2027-01-01T00:00:00Z".into(),
        }
    }

    #[test]
    fn the_same_content_twice_is_one_row_and_another_content_fails() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("db")).unwrap();
        store.write_unaudited(Unaudited::Draft, |w| w.budget_schema_put(&row('a'))).unwrap();
        let mut again = row('a');
        again.origin = "another".into();
        store.write_unaudited(Unaudited::Draft, |w| w.budget_schema_put(&again)).unwrap();
        let held = store.read(|r| r.budget_schemas()).unwrap();
        assert_eq!(held, vec![row('a')], "the first origin stays");
        assert!(store.write_unaudited(Unaudited::Draft, |w| w.budget_schema_put(&row('b'))).is_err());
        assert_eq!(store.read(|r| r.budget_schema("pilot-2027", 1)).unwrap(), Some(row('a')));
        assert_eq!(store.read(|r| r.budget_schema("pilot-2027", 2)).unwrap(), None);
    }
}
