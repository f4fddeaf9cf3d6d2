//! Reports officials file (issue 8): workbooks written with one shared style ([`workbook`]) and the
//! ranking of a round with every aggregation method ([`ranking`]), the recommendation and 公示 lists
//! ([`decisions`]); the plan dashboard ([`dashboard`]).

pub mod dashboard;
pub mod decisions;
pub mod ranking;
pub mod workbook;
