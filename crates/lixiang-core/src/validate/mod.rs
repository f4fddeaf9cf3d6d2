//! Checks of what people type and of the records they build: the identifiers of units and persons
//! ([`credit_code`], [`id_number`]), the text normalisation that comparisons use ([`text`]), and
//! [`Problem`], the one shape in which every consistency check of the core (a call, a budget …)
//! reports what is wrong.
//!
//! Nothing here reads a database or a clock: "today" is passed in.

pub mod credit_code;
pub mod id_number;
pub mod text;

pub use credit_code::{CreditCode, CreditCodeError};
pub use id_number::{IdNumber, IdNumberError};
pub use text::{compact, normalize};

use crate::Lang;
use serde::{Deserialize, Serialize};

/// How much a problem matters: an error blocks (publishing a call, sealing an application); a warning
/// is shown and may be accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// One thing wrong with a record, named so that a person can find and fix it.
///
/// `field` is a path into the record as its JSON shows it, with indices from 0
/// (`review_plan.rounds[1].form.criteria[2].weight`, `lines[equipment_purchase][2027].fiscal`), so
/// the UI can put the message beside the input. `code` is stable and dotted (`call.funding_over_total`);
/// the UI and tests branch on it, never on the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Problem {
    pub code: String,
    pub field: String,
    pub severity: Severity,
    pub zh: String,
    pub en: String,
}

impl Problem {
    pub fn error(code: &str, field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Problem {
        Problem { code: code.into(), field: field.into(), severity: Severity::Error, zh: zh.into(), en: en.into() }
    }

    pub fn warning(code: &str, field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Problem {
        Problem { code: code.into(), field: field.into(), severity: Severity::Warning, zh: zh.into(), en: en.into() }
    }

    /// The text in `lang`, without the field (the UI shows the field by the input).
    pub fn message(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "[{}] {}: {}", self.code, self.field, self.en)
    }
}

/// Whether any of `problems` blocks.
pub fn has_errors(problems: &[Problem]) -> bool {
    problems.iter().any(Problem::is_error)
}
