//! Preferences of the person using a workspace (the UI language), as key–value rows.

use crate::{Reader, Result, Writer};
use rusqlite::OptionalExtension;

impl Writer<'_> {
    /// Sets a preference, replacing an earlier value.
    pub fn preference_set(&self, key: &str, value: &str) -> Result<()> {
        self.tx.execute(
            "INSERT INTO preference (key, value) VALUES (?1, ?2)
             ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [key, value],
        )?;
        Ok(())
    }
}

impl Reader<'_> {
    /// A preference's value, `None` when it was never set.
    pub fn preference(&self, key: &str) -> Result<Option<String>> {
        Ok(self.tx.query_row("SELECT value FROM preference WHERE key = ?1", [key], |r| r.get(0)).optional()?)
    }
}
