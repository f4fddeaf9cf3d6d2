//! Restricted rich text for the long sections of an application (立项依据, 研究内容与技术路线 …): a small
//! typed block model — paragraphs, lists, simple tables and images by attachment hash — whose text runs
//! carry only bold, italic and super- or subscript. No HTML: what Word pastes is mapped onto these blocks
//! by the UI, and anything else (fonts, colours, nested tables) is dropped there, so that what experts and
//! the printed 申报书 show is exactly what was sealed.
//!
//! Length is counted as characters without whitespace (字符数，不计空格), the count Word shows and calls
//! set their limits in.

use serde::{Deserialize, Serialize};

/// A long section's content.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
pub struct RichText {
    pub blocks: Vec<Block>,
}

/// One block of a section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case", tag = "type")]
pub enum Block {
    Paragraph {
        spans: Vec<Span>,
    },
    /// A bulleted (or numbered) list; each item is one line of text.
    List {
        ordered: bool,
        items: Vec<Vec<Span>>,
    },
    /// A simple table: rows of cells of text, every row with the same number of cells, no merged cells.
    Table {
        rows: Vec<Vec<Vec<Span>>>,
    },
    /// A figure: an attachment of the application named by its SHA-256, with a caption.
    Image {
        sha256: String,
        caption: Vec<Span>,
    },
}

/// Vertical position of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum Script {
    #[default]
    Normal,
    /// 上标 (m², 10⁶).
    Super,
    /// 下标 (CO₂).
    Sub,
}

impl Script {
    fn is_normal(&self) -> bool {
        *self == Script::Normal
    }
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// A run of text with its marks. Unset marks are left out of the JSON, so that one run has one form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, specta::Type)]
pub struct Span {
    pub text: String,
    #[serde(default, skip_serializing_if = "is_false")]
    pub bold: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    pub italic: bool,
    #[serde(default, skip_serializing_if = "Script::is_normal")]
    pub script: Script,
}

impl Span {
    pub fn plain(text: impl Into<String>) -> Span {
        Span { text: text.into(), bold: false, italic: false, script: Script::Normal }
    }

    pub fn bold(text: impl Into<String>) -> Span {
        Span { bold: true, ..Span::plain(text) }
    }

    pub fn italic(text: impl Into<String>) -> Span {
        Span { italic: true, ..Span::plain(text) }
    }

    pub fn superscript(text: impl Into<String>) -> Span {
        Span { script: Script::Super, ..Span::plain(text) }
    }

    pub fn subscript(text: impl Into<String>) -> Span {
        Span { script: Script::Sub, ..Span::plain(text) }
    }
}

fn spans_text(spans: &[Span], out: &mut String) {
    for s in spans {
        out.push_str(&s.text);
    }
}

impl RichText {
    /// One paragraph of plain text.
    pub fn paragraph(text: impl Into<String>) -> RichText {
        RichText { blocks: vec![Block::Paragraph { spans: vec![Span::plain(text)] }] }
    }

    /// Every run of text in reading order (captions and cells included).
    pub fn spans(&self) -> impl Iterator<Item = &Span> {
        self.blocks.iter().flat_map(|b| -> Box<dyn Iterator<Item = &Span>> {
            match b {
                Block::Paragraph { spans } => Box::new(spans.iter()),
                Block::List { items, .. } => Box::new(items.iter().flatten()),
                Block::Table { rows } => Box::new(rows.iter().flatten().flatten()),
                Block::Image { caption, .. } => Box::new(caption.iter()),
            }
        })
    }

    /// Characters without whitespace: what the call's length limit counts.
    pub fn char_count(&self) -> usize {
        self.spans().map(|s| s.text.chars().filter(|c| !c.is_whitespace()).count()).sum()
    }

    /// Nothing to read and no figure.
    pub fn is_empty(&self) -> bool {
        self.char_count() == 0 && !self.blocks.iter().any(|b| matches!(b, Block::Image { .. }))
    }

    /// The hashes of the figures.
    pub fn images(&self) -> impl Iterator<Item = &str> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Image { sha256, .. } => Some(sha256.as_str()),
            _ => None,
        })
    }

    /// The text without marks, one line per paragraph, list item or table row (cells separated by a
    /// tab): for comparing versions and for 查重.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        for b in &self.blocks {
            match b {
                Block::Paragraph { spans } => {
                    spans_text(spans, &mut out);
                    out.push('\n');
                }
                Block::List { items, .. } => {
                    for item in items {
                        spans_text(item, &mut out);
                        out.push('\n');
                    }
                }
                Block::Table { rows } => {
                    for row in rows {
                        for (i, cell) in row.iter().enumerate() {
                            if i > 0 {
                                out.push('\t');
                            }
                            spans_text(cell, &mut out);
                        }
                        out.push('\n');
                    }
                }
                Block::Image { caption, .. } => {
                    spans_text(caption, &mut out);
                    out.push('\n');
                }
            }
        }
        out
    }

    /// Index of the first table whose rows do not all have the same number of cells.
    pub fn ragged_table(&self) -> Option<usize> {
        self.blocks.iter().position(|b| match b {
            Block::Table { rows } => rows.iter().any(|r| r.len() != rows[0].len()),
            _ => false,
        })
    }

    /// The first control character (a line break or tab inside a run, or a stray format code from a
    /// paste): runs hold one line; paragraphs and list items are the line breaks.
    pub fn control_char(&self) -> Option<char> {
        self.spans().flat_map(|s| s.text.chars()).find(|c| c.is_control())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_without_whitespace_across_every_block() {
        let t = RichText {
            blocks: vec![
                Block::Paragraph { spans: vec![Span::plain("年产量 "), Span::bold("400"), Span::plain(" kg")] },
                Block::List { ordered: false, items: vec![vec![Span::plain("CO"), Span::subscript("2")]] },
                Block::Table {
                    rows: vec![vec![vec![Span::plain("指标")], vec![Span::plain("m")]], vec![vec![], vec![]]],
                },
                Block::Image { sha256: "ab".repeat(32), caption: vec![Span::italic("图 1")] },
            ],
        };
        // 年产量400kg = 8, CO2 = 3, 指标m = 3, 图1 = 2.
        assert_eq!(t.char_count(), 16);
        assert_eq!(t.plain_text(), "年产量 400 kg\nCO2\n指标\tm\n\t\n图 1\n");
        assert_eq!(t.ragged_table(), None);
        assert!(!t.is_empty());
        assert!(RichText::paragraph("  \u{3000}").is_empty());
        assert_eq!(RichText::paragraph("a\nb").control_char(), Some('\n'));
    }

    #[test]
    fn unset_marks_are_left_out_of_the_json() {
        let json = serde_json::to_string(&Span::plain("x")).unwrap();
        assert_eq!(json, r#"{"text":"x"}"#);
        let json = serde_json::to_string(&Span::superscript("2")).unwrap();
        assert_eq!(json, r#"{"text":"2","script":"super"}"#);
        let back: Span = serde_json::from_str(r#"{"text":"x","bold":false}"#).unwrap();
        assert_eq!(back, Span::plain("x"));
    }
}
