//! Scoring: the statistics over the sealed score sheets of one round, ranking with its tie-break,
//! the sensitivity table and the funding line (domain.md "Scoring and aggregation").
//!
//! [`aggregate`] holds the pure functions: they take a table of sheets and the round's rules and
//! never touch a database, so the same code ranks a call's round and a what-if score-sheet file
//! ([`sheet_file`]).

pub mod aggregate;
pub mod sheet_file;

pub use aggregate::{
    aggregate, funding_line, rank, Aggregation, FundingLine, Grade, ItemStats, Method, NonConsensus, RankedItem,
    RoundRules, Sheet,
};
