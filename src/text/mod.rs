//! The text stage: documents in, sentences of tokens out.

mod fold;
mod sections;
mod sentences;
mod tokenize;

pub use fold::{fold, fold_compact};
pub use sections::sections;
pub use sentences::{list_marker_len, sentences, sentences_with, split_sentences, Sentence, Sentences};
pub use tokenize::{tokenize, Abbreviations, Token, TokenKind};

/// Whether a word is made of the letters of small Roman numerals (I, V, X,
/// in either case): a list marker « iii) », a regnal number "Felipe VI", a
/// summit's number "VIII Summit". Callers bound the length.
pub fn roman_letters(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| matches!(c.to_ascii_lowercase(), 'i' | 'v' | 'x'))
}

/// Strips a BOM and makes line ends `\n`, so that spans are stable whatever
/// the platform that wrote the file. Other characters are kept as they are:
/// folding happens per token.
pub fn normalize(raw: &str) -> String {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    if raw.contains('\r') {
        raw.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        raw.to_string()
    }
}
