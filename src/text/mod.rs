//! The text stage: documents in, sentences of tokens out.

mod fold;
mod sentences;
mod tokenize;

pub use fold::{fold, fold_compact};
pub use sentences::{list_marker_len, sentences, split_sentences, Sentence, Sentences};
pub use tokenize::{tokenize, Abbreviations, Token, TokenKind};

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
