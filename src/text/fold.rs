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
    fold_unicode(s).into()
}

/// Most tokens: no accents to strip, nothing to decompose.
fn fold_ascii(s: &str) -> impl Iterator<Item = char> + '_ {
    s.bytes().map(|b| fold_ascii_byte(b) as char)
}

fn fold_ascii_byte(b: u8) -> u8 {
    match b {
        b'`' => b'\'',
        b if (b as char).is_whitespace() => b' ',
        b => b.to_ascii_lowercase(),
    }
}

fn fold_unicode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfkd() {
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
    }

    proptest::proptest! {
        // The ASCII shortcut must give what the full path gives.
        #[test]
        fn ascii_shortcut_agrees_with_unicode_path(s in "[ -~\t\n\r\x0b]{0,40}") {
            proptest::prop_assert_eq!(fold(&s), fold_unicode(&s));
            let compact = fold_compact(&s);
            proptest::prop_assert_eq!(compact.as_str(), fold_unicode(&s));
        }
    }
}
