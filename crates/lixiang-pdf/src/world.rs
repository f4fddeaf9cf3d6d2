//! typst's view of one document: a closed, in-memory world.
//!
//! Owns: the [`typst::World`] implementation. Its files are the templates compiled into the program
//! (`templates/*.typ`, by `include_str!`), one generated main file, one `data.json` and the job's
//! binary files (an application's figures, read by the caller from the blob store); its fonts are
//! [`crate::fonts::FontSet`]; its clock is the document's creation time. Nothing is read from disk
//! or the network while a document is laid out: a `#import "@preview/…"` or any other path is
//! "not found", so a template can never depend on what happens to be on the machine.

use crate::fonts::FontSet;
use crate::time::Created;
use std::sync::{Arc, LazyLock};
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, Source, VirtualPath};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

/// The templates shipped in the program, by their virtual path (what `#import` names).
pub(crate) const TEMPLATES: &[(&str, &str)] = &[
    ("/templates/base.typ", include_str!("../templates/base.typ")),
    ("/templates/catalog.typ", include_str!("../templates/catalog.typ")),
    ("/templates/text.typ", include_str!("../templates/text.typ")),
    ("/templates/richtext.typ", include_str!("../templates/richtext.typ")),
    ("/templates/parts.typ", include_str!("../templates/parts.typ")),
    ("/templates/application.typ", include_str!("../templates/application.typ")),
    ("/templates/call.typ", include_str!("../templates/call.typ")),
    ("/templates/dashboard.typ", include_str!("../templates/dashboard.typ")),
    ("/templates/decisions.typ", include_str!("../templates/decisions.typ")),
    ("/templates/ranking.typ", include_str!("../templates/ranking.typ")),
    ("/templates/sheet.typ", include_str!("../templates/sheet.typ")),
];

/// The virtual path of the data file every template reads with `json(…)`.
pub(crate) const DATA_PATH: &str = "/data.json";
const MAIN_PATH: &str = "/main.typ";

/// The standard library is the same for every document; building it once saves a few milliseconds
/// per print and lets typst's memoisation reuse work across prints.
static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

pub(crate) struct DocWorld {
    main: Source,
    templates: Vec<Source>,
    data: Bytes,
    /// The job's binary files (figures) by file id.
    files: Vec<(FileId, Bytes)>,
    fonts: Arc<FontSet>,
    today: Option<Datetime>,
}

impl DocWorld {
    /// A world whose main file is `main_source`, whose `/data.json` holds `data`, and which serves
    /// `files` (copied: a world is short-lived and typst wants owned bytes) at their paths.
    pub(crate) fn new(
        main_source: String,
        data: Vec<u8>,
        files: &crate::Files,
        fonts: Arc<FontSet>,
        created: Created,
    ) -> DocWorld {
        let main = Source::new(id(MAIN_PATH), main_source);
        let templates = TEMPLATES.iter().map(|(path, text)| Source::new(id(path), text.to_string())).collect();
        let files = files.0.iter().map(|(path, bytes)| (id(path), Bytes::new(bytes.clone()))).collect();
        DocWorld { main, templates, data: Bytes::new(data), files, fonts, today: created.to_typst() }
    }

    /// The file and line of a byte offset, for error messages (`/templates/catalog.typ:12`).
    pub(crate) fn locate(&self, span: typst::syntax::Span) -> Option<String> {
        let source = self.source(span.id()?).ok()?;
        let range = source.range(span)?;
        let line = source.lines().byte_to_line(range.start)? + 1;
        Some(format!("{}:{line}", source.id().vpath().as_rootless_path().display()))
    }
}

fn id(path: &str) -> FileId {
    FileId::new(None, VirtualPath::new(path))
}

impl World for DocWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.fonts.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            return Ok(self.main.clone());
        }
        self.templates
            .iter()
            .find(|s| s.id() == id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().as_rootless_path().into()))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id.package().is_none() && id.vpath() == &VirtualPath::new(DATA_PATH) {
            return Ok(self.data.clone());
        }
        if let Some((_, bytes)) = self.files.iter().find(|(f, _)| *f == id) {
            return Ok(bytes.clone());
        }
        self.source(id).map(|s| Bytes::from_string(s.text().to_string()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.fonts.get(index).cloned()
    }

    /// The creation date, not the machine's clock: a document made twice from the same data and
    /// the same time is the same file.
    fn today(&self, _offset: Option<i64>) -> Option<Datetime> {
        self.today
    }
}
