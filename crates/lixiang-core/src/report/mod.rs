//! Reports officials file (issue 8): workbooks written with one shared style ([`workbook`]) and the
//! ranking of a round with every aggregation method ([`ranking`]).

pub mod ranking;
pub mod workbook;
