//! Tokens with byte spans into the original text.

use super::fold::{fold_compact, is_apostrophe, is_word_char};
use std::collections::HashSet;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte span in the document text.
    pub span: Range<usize>,
    /// Folded form (see [`fold`]), the one patterns compare with. Inline
    /// up to 24 bytes: a sentence's tokens cost no allocation each.
    pub norm: compact_str::CompactString,
    /// The rule pack's number for `norm` (`pattern::Vocab`), set before
    /// patterns run; `Vocab::UNKNOWN` for a word the pack does not name.
    pub word: u32,
    pub kind: TokenKind,
    /// First character is an uppercase letter.
    pub cap: bool,
    /// Every letter is uppercase (acronyms).
    pub upper: bool,
    /// Whitespace (or the start of the text) precedes the token.
    pub space_before: bool,
}

impl Token {
    pub fn text<'t>(&self, doc: &'t str) -> &'t str {
        &doc[self.span.clone()]
    }
}

/// Words that keep their final dot ("M.", "Dr.", "Dec."), folded, with the dot.
#[derive(Debug, Default, Clone)]
pub struct Abbreviations(pub HashSet<String>);

/// Splits `text[range]` into tokens. English clitics ("'s", "n't") and French
/// elisions ("l'", "d'") become tokens of their own.
pub fn tokenize(text: &str, range: Range<usize>, abbrev: &Abbreviations) -> Vec<Token> {
    thread_local! {
        // The characters of the text being split, kept from call to call:
        // a block is tokenized once and its characters dropped.
        static CHARS: std::cell::RefCell<Vec<(usize, char)>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    CHARS.with_borrow_mut(|chars| {
        chars.clear();
        chars.extend(text[range.clone()].char_indices().map(|(i, c)| (i + range.start, c)));
        split(text, range.end, chars, abbrev)
    })
}

fn split(text: &str, end: usize, chars: &[(usize, char)], abbrev: &Abbreviations) -> Vec<Token> {
    // About one token in five bytes of running text.
    let mut tokens = Vec::with_capacity(chars.len() / 5 + 1);
    let end_of = |k: usize| chars.get(k).map_or(end, |&(i, _)| i);
    let mut k = 0;
    let mut space_before = true;
    while k < chars.len() {
        let (start, c) = chars[k];
        if c.is_whitespace() {
            space_before = true;
            k += 1;
            continue;
        }
        let mut j = k + 1;
        let kind;
        if is_word_char(c) {
            while j < chars.len() && is_word_char(chars[j].1) {
                j += 1;
            }
            // Decimals and thousands: 1.5, 2,5, 10 000 is left as two numbers.
            while j + 1 < chars.len() && matches!(chars[j].1, '.' | ',') && chars[j + 1].1.is_ascii_digit() && chars[k..j].iter().all(|&(_, c)| c.is_ascii_digit()) {
                j += 1;
                while j < chars.len() && chars[j].1.is_ascii_digit() {
                    j += 1;
                }
            }
            if j < chars.len() && is_apostrophe(chars[j].1) {
                let next = chars.get(j + 1).map(|&(_, c)| c);
                let after = chars.get(j + 2).map(|&(_, c)| c);
                let word = fold_compact(&text[start..end_of(j)]);
                let clitic = matches!(next, Some('s' | 'S')) && !after.is_some_and(is_word_char);
                let negation = word.ends_with('n') && matches!(next, Some('t' | 'T')) && !after.is_some_and(is_word_char);
                if negation && word.len() > 1 {
                    j -= 1; // "didn't" → "did" + "n't"
                } else if negation {
                    j += 2;
                } else if !clitic && next.is_some_and(is_word_char) {
                    j += 1; // "l'OTAN" → "l'" + "OTAN"
                } else if !clitic && next.is_none_or(char::is_whitespace) && word.chars().count() <= 3 && word.chars().all(char::is_lowercase) {
                    j += 1; // an elided word standing alone, as in word lists: "de l'"
                }
            } else if j < chars.len() && chars[j].1 == '.' {
                // Initials ("J.") and dotted acronyms ("U.S.") keep their dots.
                let mut m = j;
                while m + 2 < chars.len() && chars[m].1 == '.' && chars[m + 1].1.is_alphabetic() && chars[m + 2].1 == '.' {
                    m += 2;
                }
                let single_upper = j == k + 1 && c.is_uppercase();
                let with_dot = fold_compact(&text[start..end_of(j + 1)]);
                if m > j || single_upper || abbrev.0.contains(with_dot.as_str()) {
                    j = m + 1;
                }
            }
            let word = &text[start..end_of(j)];
            kind = if word.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') { TokenKind::Number } else { TokenKind::Word };
        } else if is_apostrophe(c) && matches!(chars.get(j), Some((_, 's' | 'S' | 't' | 'T'))) && !chars.get(j + 1).is_some_and(|&(_, c)| is_word_char(c)) {
            j += 1; // "'s"
            kind = TokenKind::Word;
        } else if c == '.' {
            while j < chars.len() && chars[j].1 == '.' {
                j += 1;
            }
            kind = TokenKind::Punct;
        } else {
            kind = TokenKind::Punct;
        }
        let span = start..end_of(j);
        let raw = &text[span.clone()];
        let (cap, upper) = case_of(raw);
        tokens.push(Token { norm: fold_compact(raw), word: crate::pattern::Vocab::UNKNOWN, kind, cap, upper, space_before, span });
        space_before = false;
        k = j;
    }
    tokens
}

/// Whether a token starts with an uppercase letter, and whether it has
/// letters and all are uppercase (an acronym).
fn case_of(raw: &str) -> (bool, bool) {
    if raw.is_ascii() {
        let b = raw.as_bytes();
        let has_letter = b.iter().any(u8::is_ascii_alphabetic);
        return (b.first().is_some_and(u8::is_ascii_uppercase), has_letter && !b.iter().any(u8::is_ascii_lowercase));
    }
    let letters = || raw.chars().filter(|c| c.is_alphabetic());
    (raw.chars().next().is_some_and(char::is_uppercase), letters().next().is_some() && letters().all(char::is_uppercase))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn norms(s: &str) -> Vec<String> {
        let abbrev = Abbreviations(["m.", "dec."].iter().map(|s| s.to_string()).collect());
        tokenize(s, 0..s.len(), &abbrev).into_iter().map(|t| t.norm.into()).collect()
    }

    #[test]
    fn splits_elision_and_possessive() {
        assert_eq!(norms("de l’OTAN"), ["de", "l'", "otan"]);
        assert_eq!(norms("NATO's role"), ["nato", "'s", "role"]);
        assert_eq!(norms("did not, didn't"), ["did", "not", ",", "did", "n't"]);
        assert_eq!(norms("Allies' view"), ["allies", "'", "view"]);
        assert_eq!(norms("de l'"), ["de", "l'"]);
    }

    #[test]
    fn keeps_abbreviations_initials_and_decimals() {
        assert_eq!(norms("M. Jens Stoltenberg"), ["m.", "jens", "stoltenberg"]);
        assert_eq!(norms("the U.S. and J. Smith"), ["the", "u.s.", "and", "j.", "smith"]);
        assert_eq!(norms("04 Dec. 2017 at 1.5 and 2,5."), ["04", "dec.", "2017", "at", "1.5", "and", "2,5", "."]);
        assert_eq!(norms("NATO-EU"), ["nato", "-", "eu"]);
    }

    #[test]
    fn spans_slice_the_original_text() {
        let s = "Le 5\u{a0}décembre, l’Alliance…";
        for t in tokenize(s, 0..s.len(), &Abbreviations::default()) {
            assert!(!s[t.span.clone()].trim().is_empty());
        }
    }

    proptest::proptest! {
        // The ASCII shortcut must give what the character path gives.
        #[test]
        fn ascii_case_agrees_with_the_character_path(s in "[ -~]{0,12}") {
            let letters = || s.chars().filter(|c| c.is_alphabetic());
            let expected = (s.chars().next().is_some_and(char::is_uppercase), letters().next().is_some() && letters().all(char::is_uppercase));
            proptest::prop_assert_eq!(case_of(&s), expected);
        }
    }
}
