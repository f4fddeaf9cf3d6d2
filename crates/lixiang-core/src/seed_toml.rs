//! Reading a seed TOML file value by value while knowing where each value is, so that a malformed file
//! is refused with the file, the entry and the field path (`rounds[1].form.criteria[0].weight`) — the
//! same [`CoreError::SeedMalformed`] the catalog seeds give. Unknown fields are refused so that a typo
//! never drops data silently. Indices in paths count from 0, as in the records' JSON.
//!
//! Used by the budget, rubric and call seeds; the catalog's own reader predates it and is left alone.

use crate::calendar::{Date, Moment};
use crate::money::Fen;
use crate::{CoreError, Result};
use toml::{Table, Value};

/// Parses a whole file; a syntax error names the file and `(syntax)`.
pub(crate) fn parse_file(file: &str, text: &str) -> Result<Table> {
    text.parse::<Table>().map_err(|e| CoreError::SeedMalformed {
        file: file.to_string(),
        entry: "(file)".into(),
        field: "(syntax)".into(),
        reason: e.to_string().trim().replace('\n', " "),
    })
}

/// A table of a seed file with its place: the file, the entry it belongs to, and its path in the entry.
#[derive(Clone, Copy)]
pub(crate) struct Node<'a> {
    pub file: &'a str,
    pub entry: &'a str,
    pub path: &'a str,
    pub table: &'a Table,
}

/// An owned path for children, so that a `Node` can borrow it.
pub(crate) struct Child<'a> {
    file: &'a str,
    entry: &'a str,
    path: String,
    table: &'a Table,
}

impl<'a> Child<'a> {
    pub fn node(&self) -> Node<'_> {
        Node { file: self.file, entry: self.entry, path: &self.path, table: self.table }
    }
}

impl<'a> Node<'a> {
    pub fn new(file: &'a str, entry: &'a str, table: &'a Table) -> Node<'a> {
        Node { file, entry, path: "", table }
    }

    /// The full path of `field` under this node.
    pub fn at(&self, field: &str) -> String {
        if self.path.is_empty() {
            field.to_string()
        } else if field.starts_with('[') {
            format!("{}{field}", self.path)
        } else {
            format!("{}.{field}", self.path)
        }
    }

    /// The error for `field` under this node.
    pub fn err(&self, field: &str, reason: impl Into<String>) -> CoreError {
        CoreError::SeedMalformed {
            file: self.file.to_string(),
            entry: self.entry.to_string(),
            field: self.at(field),
            reason: reason.into(),
        }
    }

    pub fn only(&self, allowed: &[&str]) -> Result<()> {
        match self.table.keys().find(|k| !allowed.contains(&k.as_str())) {
            Some(k) => Err(self.err(k, format!("unknown field (allowed: {})", allowed.join(", ")))),
            None => Ok(()),
        }
    }

    pub fn has(&self, field: &str) -> bool {
        self.table.contains_key(field)
    }

    pub fn text(&self, field: &str) -> Result<String> {
        match self.table.get(field) {
            None => Err(self.err(field, "missing")),
            Some(Value::String(s)) if s.trim().is_empty() => Err(self.err(field, "empty")),
            Some(Value::String(s)) if s.trim() != s => Err(self.err(field, "leading or trailing whitespace")),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(self.err(field, "must be a string")),
        }
    }

    pub fn opt_text(&self, field: &str) -> Result<Option<String>> {
        if self.has(field) {
            self.text(field).map(Some)
        } else {
            Ok(None)
        }
    }

    /// A text that may be empty (English texts not yet written).
    pub fn text_or_empty(&self, field: &str) -> Result<String> {
        match self.table.get(field) {
            None => Ok(String::new()),
            Some(Value::String(s)) if s.trim() != s => Err(self.err(field, "leading or trailing whitespace")),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(self.err(field, "must be a string")),
        }
    }

    pub fn uint(&self, field: &str) -> Result<u32> {
        match self.table.get(field) {
            None => Err(self.err(field, "missing")),
            Some(Value::Integer(n)) if *n >= 0 && *n <= i64::from(u32::MAX) => Ok(*n as u32),
            Some(Value::Integer(_)) => Err(self.err(field, "out of range")),
            Some(_) => Err(self.err(field, "must be a whole number")),
        }
    }

    pub fn uint_or(&self, field: &str, default: u32) -> Result<u32> {
        if self.has(field) {
            self.uint(field)
        } else {
            Ok(default)
        }
    }

    pub fn opt_uint(&self, field: &str) -> Result<Option<u32>> {
        if self.has(field) {
            self.uint(field).map(Some)
        } else {
            Ok(None)
        }
    }

    pub fn int(&self, field: &str) -> Result<i32> {
        match self.table.get(field) {
            None => Err(self.err(field, "missing")),
            Some(Value::Integer(n)) => i32::try_from(*n).map_err(|_| self.err(field, "out of range")),
            Some(_) => Err(self.err(field, "must be a whole number")),
        }
    }

    pub fn u64(&self, field: &str) -> Result<u64> {
        match self.table.get(field) {
            None => Err(self.err(field, "missing")),
            Some(Value::Integer(n)) if *n >= 0 => Ok(*n as u64),
            Some(Value::Integer(_)) => Err(self.err(field, "must not be negative")),
            Some(_) => Err(self.err(field, "must be a whole number")),
        }
    }

    pub fn number(&self, field: &str) -> Result<f64> {
        match self.table.get(field) {
            None => Err(self.err(field, "missing")),
            Some(Value::Integer(n)) => Ok(*n as f64),
            Some(Value::Float(x)) if x.is_finite() => Ok(*x),
            Some(_) => Err(self.err(field, "must be a number")),
        }
    }

    pub fn bool_or(&self, field: &str, default: bool) -> Result<bool> {
        match self.table.get(field) {
            None => Ok(default),
            Some(Value::Boolean(b)) => Ok(*b),
            Some(_) => Err(self.err(field, "must be true or false")),
        }
    }

    /// An amount in 万元, written as a string (`"35.5"`, at most 4 decimals) or a whole number.
    pub fn wan(&self, field: &str) -> Result<Fen> {
        match self.table.get(field) {
            None => Err(self.err(field, "missing")),
            Some(Value::Integer(n)) if *n >= 0 => {
                Fen::parse_wan(&n.to_string()).map_err(|e| self.err(field, e.message(crate::Lang::En)))
            }
            Some(Value::String(s)) => Fen::parse_wan(s).map_err(|e| self.err(field, e.message(crate::Lang::En))),
            Some(_) => Err(self.err(field, "must be an amount in 万元: a whole number or a string such as \"35.5\"")),
        }
    }

    pub fn date(&self, field: &str) -> Result<Date> {
        let text = match self.table.get(field) {
            None => return Err(self.err(field, "missing")),
            Some(Value::Datetime(d)) => d.to_string(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(self.err(field, "must be a date YYYY-MM-DD")),
        };
        Date::parse(&text).ok_or_else(|| self.err(field, format!("{text} is not a date YYYY-MM-DD")))
    }

    pub fn opt_date(&self, field: &str) -> Result<Option<Date>> {
        if self.has(field) {
            self.date(field).map(Some)
        } else {
            Ok(None)
        }
    }

    /// A time with its offset: a TOML offset date-time (`2027-03-01T09:00:00+08:00`) or the same as a string.
    pub fn moment(&self, field: &str) -> Result<Moment> {
        let text = match self.table.get(field) {
            None => return Err(self.err(field, "missing")),
            Some(Value::Datetime(d)) => d.to_string(),
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(self.err(field, "must be a time with offset, such as 2027-03-01T09:00:00+08:00")),
        };
        Moment::parse(&text).ok_or_else(|| {
            self.err(
                field,
                format!("{text} is not a time with seconds and an offset, such as 2027-03-01T09:00:00+08:00"),
            )
        })
    }

    pub fn strings(&self, field: &str) -> Result<Vec<String>> {
        match self.table.get(field) {
            None => Ok(Vec::new()),
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, v)| match v {
                    Value::String(s) if !s.trim().is_empty() => Ok(s.clone()),
                    _ => Err(self.err(&format!("{field}[{i}]"), "must be a non-empty string")),
                })
                .collect(),
            Some(_) => Err(self.err(field, "must be an array of strings")),
        }
    }

    pub fn child(&self, field: &str) -> Result<Child<'a>> {
        match self.table.get(field) {
            None => Err(self.err(field, "missing")),
            Some(Value::Table(t)) => Ok(Child { file: self.file, entry: self.entry, path: self.at(field), table: t }),
            Some(_) => Err(self.err(field, "must be a table")),
        }
    }

    pub fn opt_child(&self, field: &str) -> Result<Option<Child<'a>>> {
        if self.has(field) {
            self.child(field).map(Some)
        } else {
            Ok(None)
        }
    }

    /// An array of tables (absent is empty); children's paths are `field[i]`.
    pub fn list(&self, field: &str) -> Result<Vec<Child<'a>>> {
        match self.table.get(field) {
            None => Ok(Vec::new()),
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let path = self.at(&format!("{field}[{i}]"));
                    match v {
                        Value::Table(t) => Ok(Child { file: self.file, entry: self.entry, path, table: t }),
                        _ => Err(self.err(&format!("{field}[{i}]"), "must be a table")),
                    }
                })
                .collect(),
            Some(_) => Err(self.err(field, "must be an array of tables")),
        }
    }

    /// Like [`Node::list`], refusing an empty or absent array.
    pub fn nonempty_list(&self, field: &str) -> Result<Vec<Child<'a>>> {
        let l = self.list(field)?;
        if l.is_empty() {
            return Err(self.err(field, "missing or empty"));
        }
        Ok(l)
    }
}
