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
    /// Folded form (see [`fold`](super::fold)), the one patterns compare with. Inline
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
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Abbreviations(pub HashSet<String>);

/// Splits `text[range]` into tokens. English clitics ("'s", "n't") and French
/// elisions ("l'", "d'") become tokens of their own.
pub fn tokenize(text: &str, range: Range<usize>, abbrev: &Abbreviations) -> Vec<Token> {
    split::<true>(text, range, abbrev)
}

/// [`tokenize`]; `ASCII_WORDS` takes the short way for a plain ASCII word
/// (letters and digits followed by nothing that could extend it), the way
/// most tokens of running text go. Without it, every token goes the long
/// way, which the tests compare with.
fn split<const ASCII_WORDS: bool>(text: &str, range: Range<usize>, abbrev: &Abbreviations) -> Vec<Token> {
    // About one token in five bytes of running text.
    let mut tokens = Vec::with_capacity(range.len() / 5 + 1);
    let at = Cursor { text, end: range.end };
    let mut k = range.start;
    let mut space_before = true;
    while let Some(c) = at.char(k) {
        if ASCII_WORDS {
            if let Some((j, class)) = plain_ascii_word(&text.as_bytes()[..range.end], k) {
                let raw = &text[k..j];
                let case = AsciiCase::of(raw, class);
                let kind = if class & (UPPER | LOWER) == 0 { TokenKind::Number } else { TokenKind::Word };
                tokens.push(Token { norm: case.fold(raw), word: crate::pattern::Vocab::UNKNOWN, kind, cap: case.cap, upper: case.upper, space_before, span: k..j });
                space_before = false;
                k = j;
                continue;
            }
        }
        if c.is_whitespace() {
            space_before = true;
            k += c.len_utf8();
            continue;
        }
        let start = k;
        let mut j = k + c.len_utf8();
        let kind;
        if is_word_char(c) {
            j = at.word_end(j);
            // Decimals and thousands: 1.5, 2,5, 10 000 is left as two numbers.
            if matches!(at.byte(j), Some(b'.' | b',')) && at.byte(j + 1).is_some_and(|b| b.is_ascii_digit()) && text.as_bytes()[k..j].iter().all(u8::is_ascii_digit) {
                j += 1;
                while at.byte(j).is_some_and(|b| b.is_ascii_digit()) {
                    j += 1;
                }
            }
            if let Some(apostrophe) = at.char(j).filter(|&c| is_apostrophe(c)) {
                let next_at = j + apostrophe.len_utf8();
                let next = at.char(next_at);
                let after = next.and_then(|n| at.char(next_at + n.len_utf8()));
                let word = fold_compact(&text[start..j]);
                let clitic = matches!(next, Some('s' | 'S')) && !after.is_some_and(is_word_char);
                let negation = word.ends_with('n') && matches!(next, Some('t' | 'T')) && !after.is_some_and(is_word_char);
                if negation && text[start..j].chars().nth(1).is_some() {
                    // "didn't" → "did" + "n't". Counted in characters of the
                    // text, not of the folded word: "ŉ" folds to two.
                    j -= text[start..j].chars().next_back().map_or(0, char::len_utf8);
                } else if negation {
                    j = next_at + 1;
                } else if !clitic && next.is_some_and(is_word_char) {
                    j = next_at; // "l'OTAN" → "l'" + "OTAN"
                } else if !clitic && next.is_none_or(char::is_whitespace) && word.chars().count() <= 3 && word.chars().all(char::is_lowercase) {
                    j = next_at; // an elided word standing alone, as in word lists: "de l'"
                }
            } else if at.byte(j) == Some(b'.') {
                // Initials ("J.") and dotted acronyms ("U.S.") keep their dots;
                // so do the doubled capitals of plural honorifics (« LL.AA.RR. »,
                // Their Royal Highnesses), which no space cuts into sentences.
                let doubled = text[start..j].chars().count() <= 2 && text[start..j].chars().all(char::is_uppercase);
                let mut m = j;
                while let Some(letter) = at.char(m + 1).filter(|&l| at.byte(m) == Some(b'.') && l.is_alphabetic()) {
                    let mut end = m + 1 + letter.len_utf8();
                    if let Some(second) = at.char(end).filter(|&l| doubled && letter.is_uppercase() && l.is_uppercase()) {
                        end += second.len_utf8();
                    }
                    if at.byte(end) != Some(b'.') {
                        break;
                    }
                    m = end;
                }
                let single_upper = j == k + c.len_utf8() && c.is_uppercase();
                if m > j || single_upper || abbrev.0.contains(fold_compact(&text[start..j + 1]).as_str()) {
                    j = m + 1;
                }
            }
            let word = &text[start..j];
            kind = if word.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b',') { TokenKind::Number } else { TokenKind::Word };
        } else if is_apostrophe(c) && matches!(at.byte(j), Some(b's' | b'S' | b't' | b'T')) && !at.char(j + 1).is_some_and(is_word_char) {
            j += 1; // "'s"
            kind = TokenKind::Word;
        } else if c == '.' {
            while at.byte(j) == Some(b'.') {
                j += 1;
            }
            kind = TokenKind::Punct;
        } else {
            kind = TokenKind::Punct;
        }
        let raw = &text[start..j];
        let (norm, cap, upper) = match AsciiCase::read(raw) {
            Some(case) => (case.fold(raw), case.cap, case.upper),
            None => {
                let (cap, upper) = case_of(raw);
                (fold_compact(raw), cap, upper)
            }
        };
        tokens.push(Token { norm, word: crate::pattern::Vocab::UNKNOWN, kind, cap, upper, space_before, span: start..j });
        space_before = false;
        k = j;
    }
    tokens
}

/// Classes of ASCII bytes for the short way: letter or digit, and case.
const ALNUM: u8 = 1;
const UPPER: u8 = 2;
const LOWER: u8 = 4;
static ASCII_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = if c.is_ascii_uppercase() {
            ALNUM | UPPER
        } else if c.is_ascii_lowercase() {
            ALNUM | LOWER
        } else if c.is_ascii_digit() {
            ALNUM
        } else {
            0
        };
        b += 1;
    }
    table
};

/// The end of the ASCII letters and digits from `k` and the union of their
/// classes, when they make a token on their own: `None` when there are
/// none, or when what follows could extend the token the long way (a
/// decimal or abbreviation dot, a comma of a number, an apostrophe, any
/// non-ASCII character).
fn plain_ascii_word(bytes: &[u8], k: usize) -> Option<(usize, u8)> {
    let mut class = 0;
    let mut j = k;
    while let Some(&b) = bytes.get(j) {
        let c = ASCII_CLASS[usize::from(b)];
        if c & ALNUM == 0 {
            break;
        }
        class |= c;
        j += 1;
    }
    let extends = bytes.get(j).is_some_and(|&b| matches!(b, b'.' | b',' | b'\'') || !b.is_ascii());
    (j > k && !extends).then_some((j, class))
}

/// Reads the text being split at byte positions, ASCII without decoding.
struct Cursor<'t> {
    text: &'t str,
    end: usize,
}

impl Cursor<'_> {
    #[inline(always)]
    fn byte(&self, i: usize) -> Option<u8> {
        (i < self.end).then(|| self.text.as_bytes()[i])
    }

    /// The character starting at byte `i` (a character boundary).
    #[inline(always)]
    fn char(&self, i: usize) -> Option<char> {
        match self.byte(i)? {
            b if b.is_ascii() => Some(b as char),
            _ => self.text[i..self.end].chars().next(),
        }
    }

    /// Where the word characters from `i` on end.
    fn word_end(&self, mut i: usize) -> usize {
        let bytes = &self.text.as_bytes()[..self.end];
        loop {
            // ASCII letters and digits a byte at a time; any other character decoded.
            i += bytes.get(i..).map_or(0, |rest| rest.iter().take_while(|b| b.is_ascii_alphanumeric()).count());
            match self.char(i) {
                Some(c) if !c.is_ascii() && is_word_char(c) => i += c.len_utf8(),
                _ => return i,
            }
        }
    }
}

/// The case of a plain ASCII token, read in one pass over its bytes: most
/// tokens of running text are such, and reading their case and folding
/// them in passes of their own cost more than the rest of the split.
struct AsciiCase {
    cap: bool,
    upper: bool,
    /// Any uppercase letter: without one, the token is its own folding.
    any_upper: bool,
}

impl AsciiCase {
    /// `None` when the token is not ASCII or holds what folding maps to
    /// something else than its lowercase (a backquote, white space).
    fn read(raw: &str) -> Option<AsciiCase> {
        let (mut plain, mut class) = (true, 0);
        for &b in raw.as_bytes() {
            plain &= b.is_ascii() && b != b'`' && !matches!(b, b'\t'..=b'\r' | b' ');
            class |= ASCII_CLASS[usize::from(b)];
        }
        plain.then(|| AsciiCase::of(raw, class))
    }

    /// The case of an ASCII token whose bytes' classes make `class`.
    fn of(raw: &str, class: u8) -> AsciiCase {
        let cap = raw.as_bytes().first().is_some_and(|&b| ASCII_CLASS[usize::from(b)] & UPPER != 0);
        AsciiCase { cap, upper: class & UPPER != 0 && class & LOWER == 0, any_upper: class & UPPER != 0 }
    }

    /// [`fold_compact`] of the token read.
    #[inline]
    fn fold(&self, raw: &str) -> compact_str::CompactString {
        if !self.any_upper {
            return compact_str::CompactString::new(raw);
        }
        // Lowercased while copied, into the inline buffer's size: one pass,
        // no second borrow of the string to change it.
        let mut buf = [0u8; 24];
        match buf.get_mut(..raw.len()) {
            Some(dst) => {
                dst.iter_mut().zip(raw.as_bytes()).for_each(|(d, &b)| *d = b.to_ascii_lowercase());
                // ASCII in, ASCII out.
                compact_str::CompactString::from_utf8(dst).unwrap_or_default()
            }
            None => compact_str::CompactString::from(raw.to_ascii_lowercase()),
        }
    }
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
        assert_eq!(norms("de LL.AA.RR. le Grand-Duc"), ["de", "ll.aa.rr.", "le", "grand", "-", "duc"]);
        assert_eq!(norms("l'UE.Les"), ["l'", "ue", ".", "les"]);
    }

    #[test]
    fn a_letter_folding_to_two_characters_before_a_negation() {
        // "ŉ" folds to "'n": one character, so no "n't" is split off it.
        assert_eq!(norms("ŉ't x"), ["'n't", "x"]);
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

        #[test]
        fn the_short_way_for_ascii_words_splits_as_the_long_way(s in "[a-zA-Z0-9 .,'’`\n\u{a0}éÉ-]{0,40}") {
            let abbrev = Abbreviations(["m.", "dec."].iter().map(|s| s.to_string()).collect());
            proptest::prop_assert_eq!(split::<true>(&s, 0..s.len(), &abbrev), split::<false>(&s, 0..s.len(), &abbrev));
        }

        #[test]
        fn one_pass_ascii_case_agrees_with_the_character_path(s in "[\t-\r -~é]{0,30}") {
            match AsciiCase::read(&s) {
                Some(case) => {
                    let (norm, folded) = (case.fold(&s), crate::text::fold(&s));
                    proptest::prop_assert_eq!((norm.as_str(), case.cap, case.upper), (folded.as_str(), case_of(&s).0, case_of(&s).1));
                }
                None => proptest::prop_assert!(!s.is_ascii() || s.bytes().any(|b| b == b'`' || (b as char).is_whitespace())),
            }
        }
    }
}
