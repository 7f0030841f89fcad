//! Sentence segmentation. Lines are segments of their own (headlines,
//! datelines, bullets), unless the next line continues in lowercase, or is a
//! list item after a line that ends in a colon; inside a line, sentences end
//! at `.`, `!`, `?` or `…` before an uppercase word.

use super::tokenize::{tokenize, Abbreviations, Token, TokenKind};
use std::ops::Range;

#[derive(Debug, Clone)]
pub struct Sentence {
    /// Position of the sentence in its document, from 0.
    pub index: usize,
    /// Byte span in the document text.
    pub span: Range<usize>,
    pub tokens: Vec<Token>,
}

/// Splits a document into sentences.
pub fn split_sentences(text: &str, abbrev: &Abbreviations) -> Vec<Sentence> {
    sentences(text, abbrev).collect()
}

/// The sentences of a document, tokenized one block (a line, at most
/// `MAX_BLOCK` bytes) at a time: memory does not grow with the document.
pub fn sentences<'a>(text: &'a str, abbrev: &'a Abbreviations) -> Sentences<'a> {
    Sentences { text, abbrev, openers: None, blocks: blocks(text).into_iter(), pending: std::collections::VecDeque::new(), next_index: 0 }
}

/// The same, where a dotted acronym ("D.C.", "U.S.") ends a sentence when
/// one of `openers` (folded: "the", "he") follows it with a capital: "met
/// him in Washington, D.C. The Secretary congratulated him" is two.
pub fn sentences_with<'a>(text: &'a str, abbrev: &'a Abbreviations, openers: &'a std::collections::HashSet<String>) -> Sentences<'a> {
    Sentences { openers: Some(openers), ..sentences(text, abbrev) }
}

pub struct Sentences<'a> {
    text: &'a str,
    abbrev: &'a Abbreviations,
    openers: Option<&'a std::collections::HashSet<String>>,
    blocks: std::vec::IntoIter<Range<usize>>,
    pending: std::collections::VecDeque<Sentence>,
    next_index: usize,
}

impl Iterator for Sentences<'_> {
    type Item = Sentence;

    fn next(&mut self) -> Option<Sentence> {
        while self.pending.is_empty() {
            let block = self.blocks.next()?;
            let text = self.text;
            let mut tokens = tokenize(text, block, self.abbrev);
            // Sentence lengths first (they cover every token), then the tokens cut into them.
            let mut lengths = Vec::new();
            let mut start = 0;
            for i in 0..tokens.len() {
                if i + 1 < tokens.len() && !ends_sentence(text, &tokens, i) && !acronym_ends_sentence(text, &tokens, i, self.openers) {
                    continue;
                }
                let mut end = i + 1;
                while end < tokens.len() && is_closing(text, &tokens[end]) && end == i + 1 {
                    end += 1;
                }
                if end <= start {
                    continue;
                }
                lengths.push(end - start);
                start = end;
            }
            // Cut from the end, so that the first sentence keeps the block's
            // vector: a block of one sentence (a headline, a short
            // paragraph) is not copied at all.
            let mut cut: Vec<Vec<Token>> = Vec::with_capacity(lengths.len());
            for &len in lengths.iter().skip(1).rev() {
                cut.push(tokens.split_off(tokens.len() - len));
            }
            if !lengths.is_empty() {
                cut.push(tokens);
            }
            for toks in cut.into_iter().rev() {
                let span = toks[0].span.start..toks[toks.len() - 1].span.end;
                self.pending.push_back(Sentence { index: self.next_index, span, tokens: toks });
                self.next_index += 1;
            }
        }
        self.pending.pop_front()
    }
}

/// How many tokens a list marker opening a sentence takes ("(5)", "4)",
/// "(iv)", "a)", "•", "-"), 0 when there is none or nothing follows it: a
/// rule anchored at the start of a sentence (`^`) also matches after it, as
/// numbered paragraphs of communiqués and readouts begin so.
pub fn list_marker_len(tokens: &[Token]) -> usize {
    // A number of three digits at most, a letter, or a small roman numeral.
    let roman = |w: &str| w.len() <= 4 && super::roman_letters(w);
    let item = |t: &Token| match t.kind {
        TokenKind::Number => t.norm.len() <= 3,
        TokenKind::Word => t.norm.len() == 1 || roman(&t.norm),
        TokenKind::Punct => false,
    };
    let punct = |t: &Token, p: &str| t.kind == TokenKind::Punct && t.norm == p;
    let len = match tokens {
        [open, n, close, ..] if punct(open, "(") && item(n) && punct(close, ")") => 3,
        [n, close, ..] if item(n) && punct(close, ")") => 2,
        [b, ..] if b.kind == TokenKind::Punct && matches!(b.norm.as_str(), "\u{2022}" | "-" | "\u{2013}" | "\u{2014}" | "*" | "\u{25aa}" | "\u{25ba}") => 1,
        _ => 0,
    };
    if len < tokens.len() {
        len
    } else {
        0
    }
}

fn ends_sentence(text: &str, tokens: &[Token], i: usize) -> bool {
    let t = &tokens[i];
    let terminal = t.kind == TokenKind::Punct && matches!(t.norm.as_str(), "." | "!" | "?" | "..." | "\u{2026}" | "?!");
    if !terminal {
        return false;
    }
    let mut j = i + 1;
    while j < tokens.len() && is_closing(text, &tokens[j]) {
        j += 1;
    }
    match tokens.get(j) {
        None => true,
        // "17.06.2008": a number right after the dot goes on the date.
        Some(next) if j == i + 1 && next.kind == TokenKind::Number && !next.space_before => false,
        // "19 May. 2016", as NATO writes its dates: a day, a capitalised
        // word with a dot, and a year are one date.
        Some(next) if j == i + 1 && is_day_month_dot_year(tokens, i, next) => false,
        Some(next) => next.cap || next.kind == TokenKind::Number || is_opening(next),
    }
}

/// Whether token `i` is a dotted acronym ("D.C.", two dots or more, its
/// last its own) followed by a sentence opener with a capital.
fn acronym_ends_sentence(text: &str, tokens: &[Token], i: usize, openers: Option<&std::collections::HashSet<String>>) -> bool {
    let Some(openers) = openers else { return false };
    let word = &text[tokens[i].span.clone()];
    let acronym = tokens[i].kind == TokenKind::Word && word.ends_with('.') && word.matches('.').count() >= 2;
    acronym && tokens.get(i + 1).is_some_and(|next| next.cap && next.space_before && openers.contains(next.norm.as_str()))
}

/// Whether the dot at `i` closes "DAY Word." and `next` is a year.
fn is_day_month_dot_year(tokens: &[Token], i: usize, next: &Token) -> bool {
    let number = |t: &Token, digits: std::ops::RangeInclusive<usize>| t.kind == TokenKind::Number && digits.contains(&t.norm.len()) && t.norm.bytes().all(|b| b.is_ascii_digit());
    i >= 2 && !tokens[i].space_before && tokens[i - 1].kind == TokenKind::Word && tokens[i - 1].cap && number(&tokens[i - 2], 1..=2) && number(next, 4..=4)
}

fn is_closing(text: &str, t: &Token) -> bool {
    match t.text(text) {
        "\u{bb}" | "\u{201d}" | ")" => true,
        "\"" | "'" | "\u{2019}" => !t.space_before,
        _ => false,
    }
}

fn is_opening(t: &Token) -> bool {
    t.kind == TokenKind::Punct && matches!(t.norm.as_str(), "\"" | "(" | "-" | "\u{2022}")
}

/// Lines of text, joined where a line was wrapped: when the next one starts
/// in lowercase, or, in a text wrapped at a fixed width, when the line runs
/// to about that width ("Prime Minister Benjamin" / "Netanyahu met…").
fn blocks(text: &str) -> Vec<Range<usize>> {
    let lines = line_spans(text);
    let width = wrap_width(text, &lines);
    let mut out: Vec<Range<usize>> = Vec::new();
    // Whether the line before can go on, and whether it ran to the width.
    let mut joinable = false;
    let mut full = false;
    // Whether the line before ends in a colon, and whether it was a list
    // item joined to such a line: « Les pays partenaires étaient représentés
    // par : » and the "- A, président de … ;" lines after it are one
    // sentence, as they would be in running text.
    let mut after_colon = false;
    let mut listing = false;
    for line in lines {
        let start = line.start;
        let content = text[line].trim_end_matches('\r');
        let trimmed = content.trim_start();
        if trimmed.trim().is_empty() {
            joinable = false;
            listing = false;
            continue;
        }
        let lead = content.len() - trimmed.len();
        let range = start + lead..start + content.len();
        let lower = trimmed.chars().next().is_some_and(char::is_lowercase);
        let bullet = is_bullet(trimmed);
        match out.last_mut() {
            Some(last) if (after_colon || listing) && bullet => last.end = range.end,
            Some(last) if joinable && (lower || full) && !bullet => last.end = range.end,
            _ => out.push(range),
        }
        listing = (after_colon || listing) && bullet;
        after_colon = trimmed.trim_end().ends_with(':');
        joinable = true;
        full = width.is_some_and(|w| content.trim_end().chars().count() + WRAP_SLACK >= w);
    }
    out.into_iter().flat_map(|r| cap(text, r)).collect()
}

/// A list item's line: a bullet, or a Markdown "-" or "*" and a space.
fn is_bullet(line: &str) -> bool {
    line.starts_with('\u{2022}') || line.starts_with("- ") || line.starts_with("* ")
}

/// The span of each line of `text`, without its `\n`, as [`str::lines`]
/// cuts them (a final line break ends the last line, it does not open an
/// empty one). One vectorised pass: most lines of news text are short, and
/// finding each line break in a search of its own cost more than the rest
/// of the segmentation.
fn line_spans(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for nl in memchr::memchr_iter(b'\n', text.as_bytes()) {
        out.push(start..nl);
        start = nl + 1;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// How far short of the width a wrapped line may end (the next word did not fit).
const WRAP_SLACK: usize = 16;

/// The longest line a text wrapped at a fixed width has.
const MAX_WRAP: usize = 100;

/// The width a text is wrapped at, if it is: about the longest of the
/// lines of at most 100 characters that go on to another line, with at
/// least half of them within a few characters of it. Longer lines (links, table
/// rows: up to one in four of those that go on) leave a wrapped text
/// wrapped, and so do short lines that go on (a list, an address): with
/// either counted against it, a release with three Markdown links or a
/// list of participants had the line breaks of its prose end sentences,
/// cutting names in two ("Prime Minister Andrew" / "Holness").
fn wrap_width(text: &str, lines: &[Range<usize>]) -> Option<usize> {
    // Most texts are ASCII, where a line's characters are its bytes: one
    // test of the whole text instead of counting every line's characters.
    let ascii = text.is_ascii();
    let lines: Vec<usize> = lines.iter().map(|l| text[l.clone()].trim_end()).map(|l| if ascii { l.len() } else { l.chars().count() }).collect();
    let followed: Vec<usize> = lines.windows(2).filter(|w| w[0] > 0 && w[1] > 0).map(|w| w[0]).collect();
    let long = followed.iter().filter(|&&n| n > MAX_WRAP).count();
    if long * 4 > followed.len() {
        return None;
    }
    // The width: nine lines in ten that go on are no longer. The longest
    // line would be an odd one out (a line that ran over, a list item).
    let mut short: Vec<usize> = followed.into_iter().filter(|&n| n <= MAX_WRAP).collect();
    short.sort_unstable();
    let width = *short.get((short.len().checked_sub(1)?) * 9 / 10)?;
    if width < 40 {
        return None;
    }
    let near = short.iter().filter(|&&n| n + WRAP_SLACK >= width).count();
    (near >= 3 && near * 2 >= short.len()).then_some(width)
}

/// The longest block tokenized at once. A longer one (a megabyte on one
/// line, say) is cut at white space, so memory stays bounded by this size.
pub const MAX_BLOCK: usize = 64 * 1024;

fn cap(text: &str, r: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = r.start;
    while r.end - start > MAX_BLOCK {
        let mut cut = start + MAX_BLOCK;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let cut = text[start..cut].rfind(char::is_whitespace).map_or(cut, |w| start + w + 1);
        out.push(start..cut);
        start = cut;
    }
    out.push(start..r.end);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_marker_opens_a_sentence_only_when_words_follow() {
        let marker = |line: &str| list_marker_len(&split_sentences(line, &Abbreviations::default())[0].tokens);
        assert_eq!(marker("(5) Climate change: the leaders met."), 3);
        assert_eq!(marker("(iv) The ministers met."), 3);
        assert_eq!(marker("4) The ministers met."), 2);
        assert_eq!(marker("b) The ministers met."), 2);
        assert_eq!(marker("\u{2022} The ministers met."), 1);
        assert_eq!(marker("- The ministers met."), 1);
        assert_eq!(marker("The ministers met (5)."), 0);
        assert_eq!(marker("(2019) The ministers met."), 0);
        assert_eq!(marker("(5)"), 0);
    }

    fn split(s: &str) -> Vec<&str> {
        let abbrev = Abbreviations(["m.", "dr.", "dec."].iter().map(|s| s.to_string()).collect());
        split_sentences(s, &abbrev).into_iter().map(|x| &s[x.span]).collect()
    }

    #[test]
    fn a_dotted_acronym_ends_a_sentence_before_an_opener() {
        let openers: std::collections::HashSet<String> = ["the", "he"].map(String::from).into();
        let s = "He met him in Washington, D.C. The Secretary thanked the U.S. President.";
        let abbrev = Abbreviations::default();
        let got: Vec<&str> = sentences_with(s, &abbrev, &openers).map(|x| &s[x.span]).collect();
        assert_eq!(got, ["He met him in Washington, D.C.", "The Secretary thanked the U.S. President."]);
        assert_eq!(sentences(s, &abbrev).count(), 1, "without openers, as before");
    }

    #[test]
    fn does_not_split_at_abbreviations_initials_decimals() {
        assert_eq!(split("M. Jens Stoltenberg a parlé. Le Dr. Who aussi. J. R. Smith paid 1.5 dollars."), ["M. Jens Stoltenberg a parlé.", "Le Dr. Who aussi.", "J. R. Smith paid 1.5 dollars."]);
        assert_eq!(split("The U.S. and France met on 4 Dec. 2017 in Paris."), ["The U.S. and France met on 4 Dec. 2017 in Paris."]);
        assert_eq!(split("Visite d'État de LL.AA.RR. le Grand-Duc et la Grande-Duchesse au Japon"), ["Visite d'État de LL.AA.RR. le Grand-Duc et la Grande-Duchesse au Japon"]);
        assert_eq!(split("Publié le 17.06.2008. 2009 sera mieux."), ["Publié le 17.06.2008.", "2009 sera mieux."]);
        assert_eq!(split("19 May. 2016 - Ministers met. They met in May. 2016 was a good year."), ["19 May. 2016 - Ministers met.", "They met in May.", "2016 was a good year."]);
    }

    #[test]
    fn a_list_after_a_colon_is_one_sentence_with_its_lead() {
        let text = "Les pays partenaires étaient représentés par :\n- Paul Durand, président de l'Arménie ;\n- Jean Martin, président de l'Ukraine.\n\n- Another list\nA line.";
        let got = split(text);
        assert_eq!(got[0], "Les pays partenaires étaient représentés par :\n- Paul Durand, président de l'Arménie ;\n- Jean Martin, président de l'Ukraine.");
        assert_eq!(&got[1..], ["- Another list", "A line."]);
    }

    #[test]
    fn lines_are_segments_unless_wrapped() {
        assert_eq!(split("Headline here\r\n\r\n  • 04 Dec. 2017 -\nBody one. Body\ncontinues here."), ["Headline here", "• 04 Dec. 2017 -", "Body one.", "Body\ncontinues here."]);
    }

    #[test]
    fn joins_lines_of_a_text_wrapped_at_a_fixed_width() {
        let text = "Headline of the release\n\nPresident Smith met Prime Minister Benjamin\nNetanyahu of Israel today in Washington. They discussed\nthe situation in the region and the reforms of the\nPalestinian Authority.\n\n\u{2022} A bullet\n\u{2022} Another bullet\n- Ann Lee, Minister of Foreign Affairs\n- Paul Brown";
        assert_eq!(
            split(text),
            [
                "Headline of the release",
                "President Smith met Prime Minister Benjamin\nNetanyahu of Israel today in Washington.",
                "They discussed\nthe situation in the region and the reforms of the\nPalestinian Authority.",
                "\u{2022} A bullet",
                "\u{2022} Another bullet",
                "- Ann Lee, Minister of Foreign Affairs",
                "- Paul Brown"
            ]
        );
        // Unwrapped text: each line stands alone unless it goes on in lowercase.
        assert_eq!(split("Short line\nAnother line\nA third line here"), ["Short line", "Another line", "A third line here"]);
    }

    #[test]
    fn a_long_line_leaves_a_wrapped_text_wrapped() {
        let wrapped = "The ministerial meeting took place in Leuven on 4 and 5 April. It was\nco-chaired by Commission Executive Vice President Margrethe\nVestager and by Secretary of State Antony Blinken, who spoke of the\nsituation in the region and of the reforms of the institutions.\nThe partners agreed on a common statement on the fair use of AI in\nelections and in the public sector and on the next steps of the work.";
        let link = format!("Read more: https://example.org/{}\n\n", "a".repeat(150));
        let text = format!("{link}{wrapped}");
        let sentences = split(&text);
        assert!(sentences.iter().any(|s| s.contains("Margrethe\nVestager")), "{sentences:?}");
        // Links inside the prose, and a list of short lines after it.
        let link = |d: &str| format!("On [{d}](https://example.org/track/click?u={}), the leaders met.\n", "a".repeat(90));
        let text = format!("{wrapped}\n{}{}{}\nParticipants:\nAnn Lee\nPaul Brown\nJohn Smith\nMary Jones\n", link("March 30"), link("April 29"), link("June 9"));
        let sentences = split(&text);
        assert!(sentences.iter().any(|s| s.contains("Margrethe\nVestager")), "{sentences:?}");
        // Mostly long lines: not a text wrapped at a width.
        let long = format!("{}\n", "Word ".repeat(30)).repeat(5) + "Short line\nAnother line";
        assert_eq!(wrap_width(&long, &line_spans(&long)), None);
    }

    #[test]
    fn cuts_very_long_lines() {
        let line = "mot ".repeat(50_000);
        let parts = blocks(&line);
        assert!(parts.len() >= 3 && parts.iter().all(|r| r.len() <= MAX_BLOCK));
        assert_eq!(parts.first().unwrap().start, 0);
        assert_eq!(parts.last().unwrap().end, line.len());
        assert!(parts.windows(2).all(|w| w[0].end == w[1].start));
    }

    #[test]
    fn keeps_closing_quotes() {
        assert_eq!(split("Il a dit « oui. » Puis non."), ["Il a dit « oui. »", "Puis non."]);
        assert_eq!(split("He said \"yes.\" Then left."), ["He said \"yes.\"", "Then left."]);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn line_spans_cut_as_str_lines_does(s in "(\\PC|[\n\r ])*") {
            let spans: Vec<&str> = line_spans(&s).into_iter().map(|r| s[r].trim_end_matches('\r')).collect();
            // Both uses trim a line's carriage returns.
            let lines: Vec<&str> = s.lines().map(|l| l.trim_end_matches('\r')).collect();
            prop_assert_eq!(spans, lines);
        }

        #[test]
        fn spans_slice_the_text_at_char_boundaries(s in "(\\PC|[.!?\n\r'’«» -])*") {
            let abbrev = Abbreviations(["m.".to_string()].into_iter().collect());
            for sent in split_sentences(&s, &abbrev) {
                prop_assert!(s.is_char_boundary(sent.span.start) && s.is_char_boundary(sent.span.end));
                for t in &sent.tokens {
                    prop_assert!(t.span.start < t.span.end);
                    prop_assert!(!s[t.span.clone()].trim().is_empty());
                    prop_assert!(sent.span.start <= t.span.start && t.span.end <= sent.span.end);
                }
            }
        }
    }
}
