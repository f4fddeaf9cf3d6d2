//! Finding characters that were laid out without a glyph.
//!
//! typst never reports these: when no font in the book covers a character it shapes the run with the
//! first font's `.notdef` glyph (glyph 0, an empty box) and carries on without a warning (verified in
//! typst-layout 0.14, `shape_tofus`). So after layout we walk every page's frames and collect each
//! glyph 0 with the characters it stands for and its page. This sees exactly what will be printed,
//! including text a template adds and characters a font lacks only in its bold face.

use lixiang_core::error::MissingGlyph;
use typst::layout::{Frame, FrameItem, PagedDocument};

/// Every character drawn as `.notdef`, once per page, in page order then code-point order.
pub(crate) fn missing(doc: &PagedDocument) -> Vec<MissingGlyph> {
    let mut found = Vec::new();
    for (i, page) in doc.pages.iter().enumerate() {
        walk(&page.frame, i + 1, &mut found);
    }
    found.sort();
    found.dedup();
    found
}

fn walk(frame: &Frame, page: usize, found: &mut Vec<MissingGlyph>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => walk(&g.frame, page, found),
            FrameItem::Text(t) => {
                for g in t.glyphs.iter().filter(|g| g.id == 0) {
                    let chars = t.text.get(g.range()).unwrap_or_default().chars();
                    // A space or a control character without a glyph draws nothing either way.
                    found.extend(
                        chars.filter(|c| !c.is_whitespace() && !c.is_control()).map(|ch| MissingGlyph { page, ch }),
                    );
                }
            }
            _ => {}
        }
    }
}
