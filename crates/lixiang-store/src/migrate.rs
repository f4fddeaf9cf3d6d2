//! Forward-only schema migrations: `migrations/NNNN_name.sql`, applied in order, each together with
//! its `PRAGMA user_version` bump in one transaction, so a crash leaves the database at a whole version.
//! A database whose version is above the newest known one was written by a newer Lixiang and is refused.

use crate::{Result, StoreError};
use rusqlite::Connection;
use std::path::Path;

/// A migration: the schema version it brings the database to, its name, and its SQL.
pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Every migration in order. Append only: a released migration is never edited.
pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "0001_catalog", sql: include_str!("migrations/0001_catalog.sql") },
    Migration { version: 2, name: "0002_preference", sql: include_str!("migrations/0002_preference.sql") },
    Migration { version: 3, name: "0003_audit", sql: include_str!("migrations/0003_audit.sql") },
    Migration { version: 4, name: "0004_trust", sql: include_str!("migrations/0004_trust.sql") },
    Migration { version: 5, name: "0005_call", sql: include_str!("migrations/0005_call.sql") },
    Migration { version: 6, name: "0006_application", sql: include_str!("migrations/0006_application.sql") },
    Migration { version: 7, name: "0007_formal_check", sql: include_str!("migrations/0007_formal_check.sql") },
    Migration { version: 8, name: "0008_office_list", sql: include_str!("migrations/0008_office_list.sql") },
    Migration { version: 9, name: "0009_expert", sql: include_str!("migrations/0009_expert.sql") },
    Migration { version: 10, name: "0010_review", sql: include_str!("migrations/0010_review.sql") },
    Migration { version: 11, name: "0011_assignment_edit", sql: include_str!("migrations/0011_assignment_edit.sql") },
    Migration { version: 12, name: "0012_decision", sql: include_str!("migrations/0012_decision.sql") },
    Migration { version: 13, name: "0013_challenge", sql: include_str!("migrations/0013_challenge.sql") },
    Migration { version: 14, name: "0014_directed", sql: include_str!("migrations/0014_directed.sql") },
    Migration { version: 15, name: "0015_panel", sql: include_str!("migrations/0015_panel.sql") },
    Migration {
        version: 16,
        name: "0016_shortlist_percent",
        sql: include_str!("migrations/0016_shortlist_percent.sql"),
    },
    Migration {
        version: 17,
        name: "0017_assignment_settings",
        sql: include_str!("migrations/0017_assignment_settings.sql"),
    },
    Migration { version: 18, name: "0018_outgoing", sql: include_str!("migrations/0018_outgoing.sql") },
    Migration {
        version: 19,
        name: "0019_received_withdrawal",
        sql: include_str!("migrations/0019_received_withdrawal.sql"),
    },
    Migration { version: 20, name: "0020_counter_floor", sql: include_str!("migrations/0020_counter_floor.sql") },
    Migration {
        version: 21,
        name: "0021_office_list_final",
        sql: include_str!("migrations/0021_office_list_final.sql"),
    },
    Migration { version: 22, name: "0022_formal_appeal", sql: include_str!("migrations/0022_formal_appeal.sql") },
    Migration { version: 23, name: "0023_budget_schema", sql: include_str!("migrations/0023_budget_schema.sql") },
    Migration {
        version: 24,
        name: "0024_challenge_agreement",
        sql: include_str!("migrations/0024_challenge_agreement.sql"),
    },
    Migration { version: 25, name: "0025_appeal_answer", sql: include_str!("migrations/0025_appeal_answer.sql") },
    Migration {
        version: 26,
        name: "0026_appeal_answer_package",
        sql: include_str!("migrations/0026_appeal_answer_package.sql"),
    },
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS[MIGRATIONS.len() - 1].version;

pub(crate) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let found: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::NewerSchema { path: path.to_path_buf(), found, supported: SCHEMA_VERSION });
    }
    for m in MIGRATIONS.iter().filter(|m| m.version > found) {
        let fail = |source| StoreError::Migration { path: path.to_path_buf(), version: m.version, source };
        let tx = conn.transaction().map_err(fail)?;
        tx.execute_batch(m.sql).map_err(fail)?;
        tx.pragma_update(None, "user_version", m.version).map_err(fail)?;
        tx.commit().map_err(fail)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_consecutive_from_one() {
        for (i, m) in MIGRATIONS.iter().enumerate() {
            assert_eq!(m.version as usize, i + 1, "{}", m.name);
            assert!(m.name.starts_with(&format!("{:04}_", m.version)), "{}", m.name);
        }
    }
}
