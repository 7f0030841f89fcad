//! Folding: the form every comparison of words uses, so that case, accents,
//! typographic apostrophes and ligatures never decide a match.

use unicode_normalization::UnicodeNormalization;

/// Lowercases, strips accents and maps typographic variants to ASCII ones.
///
/// ```
/// assert_eq!(textkg::text::fold("L’Œuvre de Géorgie"), "l'oeuvre de georgie");
/// ```
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return fold_ascii(s).collect();
    }
    fold_unicode(s)
}

/// [`fold`] into a string kept inline when short (a token's form).
pub fn fold_compact(s: &str) -> compact_str::CompactString {
    // Most tokens: ASCII words, where folding is lowercasing (no backquote,
    // no white space inside a token), done in place without a second
    // UTF-8 check.
    if s.is_ascii() {
        if !s.bytes().any(|b| b == b'`' || (b as char).is_whitespace()) {
            let mut folded = compact_str::CompactString::new(s);
            folded.as_mut_str().make_ascii_lowercase();
            return folded;
        }
        return fold_ascii(s).collect();
    }
    // Gathered on the stack, then copied once: a token with accents
    // allocates nothing either (inline up to 24 bytes).
    let mut buf = [0u8; 64];
    let mut len = 0;
    fold_chars(s, |part| {
        if let Some(room) = buf.get_mut(len..len + part.len()) {
            room.copy_from_slice(part.as_bytes());
        }
        len += part.len();
    });
    match buf.get(..len).map(std::str::from_utf8) {
        Some(Ok(folded)) => compact_str::CompactString::new(folded),
        _ => compact_str::CompactString::from(fold_unicode(s)),
    }
}

/// Most tokens: no accents to strip, nothing to decompose.
fn fold_ascii(s: &str) -> impl Iterator<Item = char> + '_ {
    s.bytes().map(|b| match b {
        b'`' => '\'',
        b if (b as char).is_whitespace() => ' ',
        b => b.to_ascii_lowercase() as char,
    })
}

fn fold_unicode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_chars(s, |part| out.push_str(part));
    out
}

/// Hands `push` the folding of each character of `s`. Characters fold one
/// at a time: decomposition is per character, and the combining marks whose
/// order it might change are all dropped. Latin letters (accented French
/// ones) and typographic punctuation (’ – …) come from tables made once, so
/// that folding them allocates nothing.
fn fold_chars(s: &str, mut push: impl FnMut(&str)) {
    fn table(chars: std::ops::Range<u32>) -> Vec<String> {
        chars.map(|c| char::from_u32(c).map(fold_char).unwrap_or_default()).collect()
    }
    static LATIN: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| table(0..LATIN_END));
    static PUNCTUATION: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| table(GENERAL_PUNCTUATION));
    for c in s.chars() {
        let code = c as u32;
        if let Some(folded) = LATIN.get(code as usize) {
            push(folded);
        } else if GENERAL_PUNCTUATION.contains(&code) {
            push(&PUNCTUATION[(code - GENERAL_PUNCTUATION.start) as usize]);
        } else {
            push(&fold_char(c));
        }
    }
}

/// The General Punctuation block: typographic quotes, dashes, the ellipsis.
const GENERAL_PUNCTUATION: std::ops::Range<u32> = 0x2000..0x2070;

/// The end of Latin Extended-B: the characters of the first folding table.
const LATIN_END: u32 = 0x250;

fn fold_char(c: char) -> String {
    let mut out = String::new();
    for c in std::iter::once(c).nfkd() {
        if unicode_normalization::char::is_combining_mark(c) {
            continue;
        }
        match c {
            '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{2032}' | '`' | '\u{00B4}' => out.push('\''),
            '\u{00AB}' | '\u{00BB}' | '\u{201C}' | '\u{201D}' | '\u{201E}' => out.push('"'),
            '\u{2010}'..='\u{2015}' | '\u{2212}' => out.push('-'),
            '\u{0153}' | '\u{0152}' => out.push_str("oe"),
            '\u{00E6}' | '\u{00C6}' => out.push_str("ae"),
            '\u{00DF}' => out.push_str("ss"),
            c if c.is_whitespace() => out.push(' '),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// True for the apostrophes texts use: straight, typographic and modifier.
pub fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}')
}

/// True for characters that join the parts of one word (hyphens excluded:
/// they are tokens of their own so that "NATO-EU" yields both names).
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_apostrophes() {
        assert_eq!(fold("Élysée"), "elysee");
        assert_eq!(fold("d’Afghanistan"), "d'afghanistan");
        assert_eq!(fold("« Œcuménique »"), "\" oecumenique \"");
        assert_eq!(fold("5\u{00A0}décembre"), "5 decembre");
        assert_eq!(fold("NATO–EU"), "nato-eu");
        // Longer than the stack buffer, and across its end.
        for n in [31, 32, 33, 70] {
            assert_eq!(fold_compact(&"Œ".repeat(n)), "oe".repeat(n));
        }
    }

    /// The whole-string folding the per-character one must equal.
    fn fold_whole(s: &str) -> String {
        let mut out = String::new();
        for c in s.nfkd() {
            if unicode_normalization::char::is_combining_mark(c) {
                continue;
            }
            out.push_str(&fold_char(c));
        }
        out
    }

    proptest::proptest! {
        // Folding a character at a time (and from the table) gives what
        // decomposing the whole string gives, combining marks included.
        #[test]
        fn per_character_folding_agrees_with_the_whole_string(s in "[\\x{0}-\\x{36F}\\x{1E00}-\\x{1EFF}\\x{2000}-\\x{206F}\\x{FB00}-\\x{FB06}a-zA-Z ]{0,24}") {
            proptest::prop_assert_eq!(fold_unicode(&s), fold_whole(&s));
            let compact = fold_compact(&s);
            proptest::prop_assert_eq!(compact.as_str(), fold_whole(&s));
        }

        // The ASCII shortcut must give what the full path gives.
        #[test]
        fn ascii_shortcut_agrees_with_unicode_path(s in "[ -~\t\n\r\x0b]{0,40}") {
            proptest::prop_assert_eq!(fold(&s), fold_unicode(&s));
            let compact = fold_compact(&s);
            proptest::prop_assert_eq!(compact.as_str(), fold_unicode(&s));
        }
    }
}
