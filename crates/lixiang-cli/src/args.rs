//! What the office's commands share to read their arguments and write their answers: the ranking
//! method, a `--at` time, the workspace, a refusal of bad input in the user's language, and a JSON
//! document with its schema.

use lixiang_core::calendar::Moment;
use lixiang_core::score::Method;
use lixiang_core::{workspace, CoreError, Lang, Workspace};
use std::path::Path;

/// `--method`: mean, median, trimmed_mean or z_mean.
pub fn parse_method(s: &str) -> Result<Method, String> {
    Method::parse(s).ok_or_else(|| format!("unknown method {s:?}: use mean, median, trimmed_mean or z_mean"))
}

/// Bad input in `field`, said in `lang`.
pub fn bad(field: &str, lang: Lang, zh: &str, en: &str) -> CoreError {
    CoreError::Validation { field: field.into(), reason: lang.pick(zh, en).into() }
}

/// `--at` (RFC 3339 with its offset), or now.
pub fn moment(at: Option<&str>, lang: Lang) -> lixiang_core::Result<Moment> {
    match at {
        Some(t) => Moment::parse(t).ok_or_else(|| {
            bad("--at", lang, "应为带时区的时间，如 2027-03-01T09:00:00+08:00", "expected a time with offset")
        }),
        None => Ok(Moment::now_utc()),
    }
}

/// The workspace of `--data-dir` (or its default).
pub fn open(data_dir: Option<&Path>) -> lixiang_core::Result<Workspace> {
    Workspace::open(&workspace::resolve_dir(data_dir)?)
}

/// Prints `value` as one JSON document with its `schema`; a value that is not an object goes under `items`.
pub fn emit_json(schema: &str, value: impl serde::Serialize) {
    let mut doc = serde_json::to_value(value).expect("serialises");
    if doc.is_object() {
        doc["schema"] = schema.into();
    } else {
        doc = serde_json::json!({ "schema": schema, "items": doc });
    }
    crate::emit(&format!("{doc:#}\n"));
}
