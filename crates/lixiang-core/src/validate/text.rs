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
///
/// The whitespace is removed between the compatibility decomposition and the composition (NFKC is
/// NFC of NFKD): removing it after composing could leave two combining marks side by side out of
/// canonical order, and a second pass would then change the text.
pub fn compact(text: &str) -> String {
    let decomposed: String = text.nfkd().filter(|c| !c.is_whitespace()).collect();
    decomposed.nfc().collect()
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
        // Removing a space between two combining marks must leave them in canonical order (found by the
        // property test below): compacting twice changes nothing.
        assert_eq!(compact("\u{301} \u{316}"), "\u{316}\u{301}");
        assert_eq!(compact(&compact("\u{301} \u{316}")), compact("\u{301} \u{316}"));
        // NFKC composes: e + combining acute is é.
        assert_eq!(normalize("e\u{301}"), "\u{e9}");
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Text mixing what people paste: full-width forms, ideographic and other spaces, line breaks,
    /// combining marks, Hangul jamo, CJK and Tibetan.
    fn pasted() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "a",
            "Z",
            "1",
            "１",
            "Ａ",
            "ｚ",
            " ",
            "\u{3000}",
            "\t",
            "\n",
            "\r\n",
            "\u{a0}",
            "\u{2028}",
            "\u{85}",
            "\u{301}",
            "\u{316}",
            "e",
            "\u{1100}",
            "\u{1161}",
            "\u{11a8}",
            "藏",
            "བོད",
            "ﬁ",
            "①",
            "㍻",
            "．",
            "，",
            "\u{fe0f}",
            "\u{200b}",
        ]);
        prop::collection::vec(pieces, 0..24).prop_map(|v| v.concat())
    }

    proptest! {
        #[test]
        fn normalisation_is_idempotent(s in pasted()) {
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once.clone());
            prop_assert_eq!(once.trim(), once.as_str());
            prop_assert!(!once.contains("  "));
            let c = compact(&s);
            prop_assert_eq!(compact(&c), c);
        }

        #[test]
        fn normalisation_is_idempotent_on_any_text(s in any::<String>()) {
            let once = normalize(&s);
            prop_assert_eq!(normalize(&once), once);
        }
    }
}
