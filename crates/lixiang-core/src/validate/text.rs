//! Text normalisation for comparisons: what a person typed with full-width digits, ideographic spaces
//! or stray line breaks (pasted from Word or a PDF) must compare equal to the plain form.
//!
//! [`normalize`] is for names and titles (spaces between words stay, as one space); [`compact`] is for
//! codes and numbers, where no space means anything.

use unicode_normalization::UnicodeNormalization;

/// NFKC (which also turns full-width ASCII into half-width and U+3000 into a space), then trims and
/// collapses every run of whitespace into one space. Idempotent: `normalize(normalize(s)) == normalize(s)`.
pub fn normalize(text: &str) -> String {
    let nfkc: String = text.nfkc().collect();
    let mut out = String::with_capacity(nfkc.len());
    for word in nfkc.split(char::is_whitespace).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// NFKC with every whitespace character removed: for codes people type with spaces or copy from a
/// printed form (`９１５４ ０１００…`).
pub fn compact(text: &str) -> String {
    text.nfkc().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_and_spaces_become_plain() {
        assert_eq!(normalize("　西藏　大学\u{3000}\n"), "西藏 大学");
        assert_eq!(normalize("ＡＢＣ１２３"), "ABC123");
        assert_eq!(normalize("a \t\r\n b"), "a b");
        assert_eq!(normalize("   "), "");
        assert_eq!(compact(" ９１５４ ０１ "), "915401");
        // NFKC composes: e + combining acute is é.
        assert_eq!(normalize("e\u{301}"), "\u{e9}");
    }
}
