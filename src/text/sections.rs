//! Long texts cut into sections that are read one by one: a section is a
//! unit of work of its own (on any core) and of discourse (names, events,
//! dates the text narrates), so that neither time nor memory depends on how
//! long one document is.

use std::ops::Range;

/// Byte ranges that cover `text` in order, each at most `max` bytes where
/// the text allows it, and of about the same size, so that the cores that
/// read them finish together: the fewest sections of `max` bytes, evened
/// out. A section ends at the last paragraph break of the second half of
/// its window, where no sentence runs on; failing that at the last line
/// break, then after the last full stop, then at the last white space; a
/// text with none of these is cut at a character boundary.
pub fn sections(text: &str, max: usize) -> Vec<Range<usize>> {
    let max = max.max(2);
    let size = text.len().div_ceil(text.len().div_ceil(max).max(1)).max(2);
    let mut out = Vec::new();
    let mut start = 0;
    while text.len() - start > max {
        let end = floor_boundary(text, start + size);
        let from = floor_boundary(text, start + size / 2);
        let window = &text[from..end];
        let cut = window
            .rfind("\n\n")
            .map(|i| i + 2)
            .or_else(|| window.rfind('\n').map(|i| i + 1))
            .or_else(|| window.rfind(". ").map(|i| i + 2))
            .or_else(|| window.char_indices().rev().find(|(_, c)| c.is_whitespace()).map(|(i, c)| i + c.len_utf8()))
            .map_or(end, |i| from + i);
        // A window of one character (max smaller than it) still moves on.
        let cut = if cut > start { cut } else { ceil_boundary(text, start + 1) };
        out.push(start..cut);
        start = cut;
    }
    if start < text.len() || out.is_empty() {
        out.push(start..text.len());
    }
    out
}

fn floor_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(text: &str, max: usize) -> Vec<&str> {
        let ranges = sections(text, max);
        assert_eq!(ranges.first().map(|r| r.start), Some(0));
        assert_eq!(ranges.last().map(|r| r.end), Some(text.len()));
        assert!(ranges.windows(2).all(|w| w[0].end == w[1].start), "{ranges:?}");
        ranges.into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn a_short_text_is_one_section() {
        assert_eq!(cut("One sentence. Two.", 100), ["One sentence. Two."]);
        assert_eq!(cut("", 100), [""]);
    }

    #[test]
    fn sections_end_at_paragraph_breaks_before_line_breaks_and_sentences() {
        assert_eq!(cut("Aaaa aaaa aaaa aaaa.\n\nBbbb.\nCccc dddd eeee.", 30), ["Aaaa aaaa aaaa aaaa.\n\n", "Bbbb.\nCccc dddd eeee."]);
        assert_eq!(cut("Aaaa aaaa.\nBbbb. Cccc.", 16), ["Aaaa aaaa.\n", "Bbbb. Cccc."]);
        assert_eq!(cut("Aaaa bbbb. Cccc dddd eeee.", 16), ["Aaaa bbbb. ", "Cccc dddd eeee."]);
        assert_eq!(cut("Aaaa bbbb cccc dddd", 12), ["Aaaa bbbb ", "cccc dddd"]);
    }

    /// Ten paragraphs in sections of at most 300 bytes: five of 200, not
    /// three of 300 and a short one that a core would read alone.
    #[test]
    fn sections_are_about_equal_in_size() {
        let paragraph = format!("{}.\n\n", "x".repeat(97));
        let text = paragraph.repeat(10);
        let sizes: Vec<usize> = cut(&text, 300).iter().map(|s| s.len()).collect();
        assert_eq!(sizes, [200, 200, 200, 200, 200]);
    }

    proptest::proptest! {
        /// Any text and bound: the sections cover the text in order, on
        /// character boundaries, none empty, none longer than the bound
        /// (but for one character that alone exceeds it).
        #[test]
        fn sections_cover_any_text_within_the_bound(text in "(\\PC|\n| ){0,200}", max in 1usize..40) {
            let ranges = sections(&text, max);
            proptest::prop_assert_eq!(ranges.first().map(|r| r.start), Some(0));
            proptest::prop_assert_eq!(ranges.last().map(|r| r.end), Some(text.len()));
            for w in ranges.windows(2) {
                proptest::prop_assert_eq!(w[0].end, w[1].start);
            }
            for r in &ranges {
                proptest::prop_assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                proptest::prop_assert!(!r.is_empty() || text.is_empty());
                proptest::prop_assert!(r.len() <= max.max(2) || text[r.clone()].chars().count() == 1, "{r:?} of {max}");
            }
        }
    }

    #[test]
    fn a_text_without_breaks_is_cut_between_characters() {
        let text = "é".repeat(10);
        let parts = cut(&text, 5);
        assert!(parts.iter().all(|p| p.len() <= 5 && !p.is_empty()), "{parts:?}");
        assert_eq!(parts.concat(), text);
        assert_eq!(cut("ééé", 1).concat(), "ééé");
    }
}
