//! Lixiang's domain and use cases, with no Tauri and no SQL: the CLI and the desktop shell both
//! call these functions, and the store crate does the persisting.
//!
//! - [`audit`]: verifying the hash-chained audit log and signing its head.
//! - [`call`]: calls (指南 / 榜单) with their modes, revisions and review plans, and [`validate_call`](call::validate_call).
//! - [`application`]: applications (申报书) — the model, their checks, sealed versions and comparison, demo data.
//! - [`budget`]: budget schemas as versioned data, tables, totals, the indirect cap and [`check_budget`](budget::check_budget).
//! - [`validate`]: credit codes, ID numbers, text normalisation, and the [`Problem`](validate::Problem) checks report.
//! - [`calendar`]: dates and moments with their UTC offset.
//! - [`assign`]: expert assignment as a pure function (exact min-cost flow, composition rules, deficient sets).
//! - [`conflict`]: conflicts of interest (回避) between experts and a call's applications, hard/soft/possible.
//! - [`expert`]: the expert pool (专家库) — model, pinyin sort key, xlsx template and import, key cards.
//! - [`discipline`]: the GB/T 13745 discipline codes from `seeds/` and the default match score.
//! - [`catalog`]: the plan's eight programmes, their targets and the 专栏1 indicators, seeded from `seeds/`.
//! - [`workspace`]: finding, creating, opening and seeding a workspace directory.
//! - [`preference`]: what the person using a workspace chose (the UI language).
//! - [`score`]: aggregation of sealed score sheets, ranking, sensitivity and the funding line.
//! - [`identity`]: the workspace's own keys (created, unlocked, recovered, revoked) and its cards.
//! - [`import`]: the import pipeline for packages (verify, trust on first use, one transaction).
//! - [`backup`]: a whole workspace as one signed file, and restoring it into a new directory.
//! - [`backup_schedule`]: the daily automatic backup: when it is due, file names, which to prune.
//! - [`blobs`]: the content-addressed attachment store.
//! - [`package`]: sealing and opening `.lxpkg` exchange packages (signed, encrypted, streamed).
//! - [`money`]: amounts in fen, typed in 万元.
//! - [`error`]: the one error type of the core, with stable codes and bilingual messages.

pub mod application;
pub mod assign;
pub mod audit;
pub mod backup;
pub mod backup_schedule;
pub mod blobs;
pub mod budget;
pub mod calendar;
pub mod call;
pub mod catalog;
pub mod conflict;
pub mod counters;
pub mod discipline;
pub mod error;
pub mod expert;
pub mod identity;
pub mod import;
pub mod lang;
pub mod money;
pub mod outgoing;
pub mod package;
pub mod preference;
pub mod report;
pub mod review;
pub mod score;
mod seed_toml;
pub mod validate;
pub mod workspace;

pub use error::CoreError;
pub use lang::Lang;
pub use workspace::Workspace;

pub type Result<T, E = CoreError> = std::result::Result<T, E>;
