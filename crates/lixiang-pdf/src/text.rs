//! A plain document: a title and paragraphs of text, for notices and pledges (承诺书) and for checking
//! that a piece of text can be printed at all (rare characters, Tibetan). Owns its data for
//! `templates/text.typ`.

use crate::{meta, Job, Pdf, PdfError, RenderOptions};
use serde_json::json;

/// A title and its paragraphs, printed as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextDocument {
    pub title: String,
    pub paragraphs: Vec<String>,
}

/// The document's job: what typst is given.
pub fn job(doc: &TextDocument, opts: &RenderOptions) -> Job {
    let data = json!({
        "meta": meta(&doc.title, "立项 Lixiang", opts),
        "paragraphs": doc.paragraphs,
    });
    Job {
        kind: "text",
        title: doc.title.clone(),
        main: Job::main_source("text", "text-document"),
        data,
        files: Default::default(),
    }
}

/// The document as PDF. Errors as [`crate::render`].
pub fn render(doc: &TextDocument, opts: &RenderOptions) -> Result<Pdf, PdfError> {
    crate::render(&job(doc, opts), opts.created)
}
