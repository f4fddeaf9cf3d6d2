//! The PDF engine's error type. Each variant says what to do; the CLI and the desktop shell turn it
//! into [`lixiang_core::CoreError`] (which holds the stable codes and the bilingual messages) through
//! the `From` impl below, so both report a failed print the same way.

use lixiang_core::error::MissingGlyph;
use lixiang_core::CoreError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// A face the templates use is not installed (or not below any searched directory).
    #[error("font {family} not found (files {files:?}, package {package}; searched {searched:?})")]
    FontMissing { family: String, files: Vec<String>, package: String, searched: Vec<PathBuf> },

    /// A font file was found but could not be read, or holds no face of the wanted family.
    #[error("font file {path}: {reason}")]
    FontUnreadable { path: PathBuf, reason: String },

    /// The document holds characters no loaded font covers; `document` is its title as printed.
    #[error("{document}: {} character(s) without a glyph", glyphs.len())]
    MissingGlyphs { document: String, glyphs: Vec<MissingGlyph> },

    /// A template did not compile or produced warnings: a defect of the program.
    #[error("template {template}: {reason}")]
    Template { template: String, reason: String },

    /// The PDF could not be written to the chosen file.
    #[error("cannot write {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
}

impl From<PdfError> for CoreError {
    fn from(e: PdfError) -> CoreError {
        match e {
            PdfError::FontMissing { family, files, package, searched } => {
                CoreError::FontMissing { family, files, package, searched }
            }
            PdfError::FontUnreadable { path, reason } => CoreError::FontUnreadable { path, reason },
            PdfError::MissingGlyphs { document, glyphs } => CoreError::MissingGlyphs { document, glyphs },
            PdfError::Template { template, reason } => CoreError::DocumentTemplate { document: template, reason },
            PdfError::Write { path, source } => CoreError::FileWrite { path, source },
        }
    }
}
