//! Parser of the pattern syntax (see rules/README.md, "Patterns").

use super::ast::{Node, Slot, TokenTest};
use crate::pack::diag::Pos;
use crate::text::{fold, tokenize, Abbreviations};

/// A syntax error at a position of the pattern.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternError {
    pub pos: Pos,
    pub width: usize,
    pub message: String,
    pub help: Option<String>,
}

impl PatternError {
    pub fn new(pos: Pos, width: usize, message: impl Into<String>) -> Self {
        PatternError { pos, width, message: message.into(), help: None }
    }

    /// `&name` names no `pattern` statement.
    pub fn unknown_pattern(name: &str, pos: Pos) -> Self {
        PatternError::new(pos, name.chars().count() + 1, format!("unknown pattern `&{name}`"))
    }

    pub fn with_help(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }
}

/// Characters of the pattern with their positions in the rule file, so that
/// a pattern written over several lines still reports exact columns.
pub struct Parser<'a> {
    chars: &'a [(char, Pos)],
    at: usize,
    end_pos: Pos,
    /// The pack's abbreviations: a literal is the tokens text splits it into.
    abbrev: &'a Abbreviations,
}

const SPECIAL: &str = "()[]|{}\"/<>@&~^$?+*!";

/// The tokens text splits a bare word into: the tokenizer cuts at hyphens
/// ("co-chaired" is `co` `-` `chaired`), after an elision ("aujourd'hui"
/// is `aujourd'` `hui`) and before a dot that is not an abbreviation's of
/// `abbrev` (the pack's), so a word written with any of them stands for
/// that sequence, as it would quoted: "déc." is one token where the pack
/// lists it, and `déc` `.` where it does not.
pub fn word_tokens(w: &str, abbrev: &Abbreviations) -> Vec<String> {
    if !w.contains(['-', '\'', '’', '.']) || !w.chars().any(char::is_alphanumeric) {
        return vec![fold(w)];
    }
    tokenize(w, 0..w.len(), abbrev).into_iter().map(|t| t.norm.into()).collect()
}

/// A word, a stem, `@list`, `/regex/` or `<Class>`: an element that tests
/// one token, as `!` and look-arounds need.
fn is_one_token(node: &Node) -> bool {
    match node {
        Node::Token(_) | Node::Lexicon { .. } => true,
        Node::Seq(v) => v.len() == 1 && matches!(v[0], Node::Token(_)),
        _ => false,
    }
}

fn bare_word(w: &str, abbrev: &Abbreviations) -> Node {
    let mut items: Vec<Node> = word_tokens(w, abbrev).into_iter().map(|t| Node::Token(TokenTest::Literal(t))).collect();
    if items.len() == 1 {
        items.pop().unwrap()
    } else {
        Node::Seq(items)
    }
}

/// Parses a pattern; `abbrev` are the pack's abbreviations, which decide
/// how its literals split into tokens, as they decide for text.
pub fn parse_pattern(chars: &[(char, Pos)], end_pos: Pos, abbrev: &Abbreviations) -> Result<Node, PatternError> {
    let mut p = Parser { chars, at: 0, end_pos, abbrev };
    let node = p.alt()?;
    p.skip_ws();
    if let Some(&(c, ref pos)) = p.chars.get(p.at) {
        return Err(p.err_at(pos.clone(), 1, format!("unexpected `{c}`")));
    }
    if matches!(&node, Node::Seq(v) if v.is_empty()) {
        return Err(p.err_at(p.end_pos.clone(), 1, "empty pattern".into()));
    }
    Ok(node)
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).map(|&(c, _)| c)
    }

    fn pos(&self) -> Pos {
        self.chars.get(self.at).map_or(self.end_pos.clone(), |(_, p)| p.clone())
    }

    fn err_at(&self, pos: Pos, width: usize, message: String) -> PatternError {
        PatternError::new(pos, width, message)
    }

    fn err(&self, message: impl Into<String>) -> PatternError {
        self.err_at(self.pos(), 1, message.into())
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), PatternError> {
        if self.eat(c) {
            Ok(())
        } else {
            Err(self.err(format!("expected `{c}`")))
        }
    }

    fn alt(&mut self) -> Result<Node, PatternError> {
        let mut branches = vec![self.seq()?];
        while self.eat('|') {
            branches.push(self.seq()?);
        }
        // `(!a|b)` reads "a token other than a, or b": b adds nothing, so
        // the writer surely meant a token that is neither.
        if branches.iter().any(is_one_token) {
            if let Some(Node::Not { pos, .. }) = branches.iter().find(|b| matches!(b, Node::Not { .. })) {
                return Err(self.err_at(pos.clone(), 1, "`(!a|b)` is a token other than a, or b, which `!a` already takes in; for a token that is neither, write `!(a|b)`".into()));
            }
        }
        Ok(if branches.len() == 1 { branches.pop().unwrap() } else { Node::Alt(branches) })
    }

    fn seq(&mut self) -> Result<Node, PatternError> {
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            match self.peek() {
                None | Some(')' | '|') => break,
                _ => {
                    let atom = self.atom()?;
                    items.push(self.quantified(atom)?);
                }
            }
        }
        Ok(if items.len() == 1 { items.pop().unwrap() } else { Node::Seq(items) })
    }

    fn quantified(&mut self, atom: Node) -> Result<Node, PatternError> {
        let start = self.pos();
        let (min, max) = match self.peek() {
            Some('?') => (0, Some(1)),
            Some('*') => (0, None),
            Some('+') => (1, None),
            Some('{') => {
                self.at += 1;
                let (min, max) = self.bounds()?;
                self.at -= 1; // the loop below steps over the closing brace
                (min, max)
            }
            _ => return Ok(atom),
        };
        self.at += 1;
        if matches!(atom, Node::Start | Node::End | Node::Gap { .. } | Node::Look { .. }) {
            return Err(self.err_at(start, 1, "this element cannot be repeated".into()));
        }
        // As in regular expressions, a repeated capture would keep its last
        // repetition only: "Pied Piper Ltd." would give "Piper".
        if let (Node::Capture { name, .. }, true) = (&atom, max != Some(1)) {
            let mut e = self.err_at(start, 1, format!("`{name}:(…)` repeated would capture its last repetition only"));
            e.help = Some(format!("to capture them all, repeat inside the capture: `{name}:((…){{…}})`"));
            return Err(e);
        }
        let greedy = if self.peek() == Some('?') {
            self.at += 1;
            false
        } else {
            true
        };
        Ok(Node::Repeat { node: Box::new(atom), min, max, greedy })
    }

    /// `m}`, `m,}` or `m,n}` after an opening brace.
    fn bounds(&mut self) -> Result<(u32, Option<u32>), PatternError> {
        let min = self.number()?;
        let max = if self.eat(',') {
            self.skip_ws();
            if self.peek() == Some('}') {
                None
            } else {
                Some(self.number()?)
            }
        } else {
            Some(min)
        };
        self.expect('}')?;
        if max.is_some_and(|m| m < min) {
            return Err(self.err("the upper bound is below the lower bound"));
        }
        Ok((min, max))
    }

    fn number(&mut self) -> Result<u32, PatternError> {
        self.skip_ws();
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.at += 1;
        }
        let digits: String = self.chars[start..self.at].iter().map(|&(c, _)| c).collect();
        digits.parse().map_err(|_| self.err("expected a number"))
    }

    fn atom(&mut self) -> Result<Node, PatternError> {
        let pos = self.pos();
        let c = self.peek().unwrap();
        match c {
            '(' => {
                self.at += 1;
                let ahead: String = self.chars[self.at..].iter().take(3).map(|c| c.0).collect();
                // `(?<=x)`, `(?<!x)` test the token before; `(?=x)`, `(?!x)`
                // the token after, which the match then does not take in.
                let look = match ahead.as_str() {
                    "?<=" => Some((false, false, 3)),
                    "?<!" => Some((true, false, 3)),
                    _ if ahead.starts_with("?=") => Some((false, true, 2)),
                    _ if ahead.starts_with("?!") => Some((true, true, 2)),
                    _ => None,
                };
                if let Some((negate, forward, width)) = look {
                    let kind = if forward { "look-ahead" } else { "look-behind" };
                    self.at += width;
                    self.skip_ws();
                    if self.peek().is_none_or(|c| c == ')') {
                        return Err(self.err_at(pos, width + 1, format!("expected a word, a stem, `@list`, `/regex/` or `<Class>` in the {kind}")));
                    }
                    let inner = self.atom()?;
                    self.skip_ws();
                    self.expect(')')?;
                    // A look-ahead may also ask for a mention starting there,
                    // of a type, without taking it in or binding it.
                    let mention = matches!(&inner, Node::Slot(slot) if forward && slot.var.is_none());
                    let one_token = is_one_token(&inner) || matches!(inner, Node::Not { .. });
                    if !one_token && !mention {
                        let what = if forward {
                            "a word, a stem, `@list`, `/regex/`, `<Class>`, `!x` or a mention `[Type]` without a variable"
                        } else {
                            "a word, a stem, `@list`, `/regex/`, `<Class>` or `!x`"
                        };
                        return Err(self.err_at(pos, width + 1, format!("a {kind} tests one token: {what}")));
                    }
                    let node = Box::new(inner);
                    return Ok(Node::Look { node, negate, ahead: forward, pos });
                }
                let inner = self.alt()?;
                self.expect(')')?;
                Ok(inner)
            }
            '[' => self.slot(),
            '"' => self.quoted(),
            '/' => self.regex(),
            '<' => {
                self.at += 1;
                let name = self.word();
                self.expect('>')?;
                if name.is_empty() {
                    return Err(self.err_at(pos, 1, "expected a token class name".into()));
                }
                Ok(Node::Token(TokenTest::Class { name, pos }))
            }
            '@' => Ok(Node::Lexicon { name: self.sigil_name(&pos, "a word-list name after `@`")?, pos }),
            '&' => Ok(Node::Include { name: self.sigil_name(&pos, "a pattern name after `&`")?, pos }),
            '~' => {
                self.at += 1;
                let (min, max) = if self.peek() == Some('{') {
                    self.at += 1;
                    self.bounds()?
                } else {
                    (0, Some(self.number()?))
                };
                let max = max.ok_or_else(|| self.err_at(pos.clone(), 1, "a gap needs an upper bound".into()))?;
                Ok(Node::Gap { min, max })
            }
            '!' => {
                self.at += 1;
                if self.peek().is_none_or(|c| c.is_whitespace()) {
                    return Err(self.err_at(pos, 1, "expected a word, a stem, `@list`, `/regex/` or `<Class>` after `!`".into()));
                }
                let inner = self.atom()?;
                // `!(a|b)` is one token that none of a, b matches; without
                // the `!` outside, `(!a|b)` would read "not a, or b".
                let one_token = match &inner {
                    Node::Alt(branches) => branches.iter().all(is_one_token),
                    _ => is_one_token(&inner),
                };
                if one_token {
                    Ok(Node::Not { node: Box::new(inner), pos })
                } else {
                    Err(self.err_at(pos, 1, "`!` applies to one token: a word, a stem, `@list`, `/regex/`, `<Class>`, or `(a|b|…)` of these".into()))
                }
            }
            '^' => {
                self.at += 1;
                Ok(Node::Start)
            }
            '$' => {
                self.at += 1;
                Ok(Node::End)
            }
            c if SPECIAL.contains(c) => Err(self.err(format!("unexpected `{c}`"))),
            _ => {
                let start = self.pos();
                let w = self.word();
                // `prep:dans` reads as the three tokens "prep", ":", "dans",
                // which text never has: a capture needs its brackets.
                if let Some((name, rest)) =
                    w.split_once(':').filter(|(n, r)| n.starts_with(|c: char| c.is_alphabetic() || c == '_') && !r.is_empty() && n.chars().all(|c| c.is_alphanumeric() || c == '_'))
                {
                    let e = self.err_at(start, w.chars().count(), format!("`{w}` is one word with a colon in it, not a capture"));
                    return Err(e.with_help(Some(format!("to capture `{rest}` as `{name}`, bracket it: `{name}:({rest})`; to match a colon, quote it: `\"{w}\"`"))));
                }
                if self.peek() == Some(':') && self.chars.get(self.at + 1).map(|x| x.0) == Some('(') {
                    self.at += 2;
                    let inner = self.alt()?;
                    self.expect(')')?;
                    return Ok(Node::Capture { name: w, node: Box::new(inner) });
                }
                if w == "_" {
                    return Ok(Node::Token(TokenTest::Any));
                }
                if self.peek() == Some('*') && self.chars.get(self.at + 1).is_none_or(|x| x.0.is_whitespace() || ")|".contains(x.0)) {
                    self.at += 1;
                    return Ok(Node::Token(TokenTest::Stem(fold(&w))));
                }
                Ok(bare_word(&w, self.abbrev))
            }
        }
    }

    /// The name after a sigil (`@list`, `&pattern`); `wanted` says what
    /// was expected when there is none.
    fn sigil_name(&mut self, pos: &Pos, wanted: &str) -> Result<String, PatternError> {
        self.at += 1;
        let name = self.word();
        if name.is_empty() {
            return Err(self.err_at(pos.clone(), 1, format!("expected {wanted}")));
        }
        Ok(name)
    }

    /// A bare word: everything up to white space or a special character.
    fn word(&mut self) -> String {
        let mut w = String::new();
        while let Some(c) = self.peek() {
            if c.is_whitespace() || SPECIAL.contains(c) || (c == ':' && !w.is_empty() && self.chars.get(self.at + 1).map(|x| x.0) == Some('(')) {
                break;
            }
            w.push(c);
            self.at += 1;
        }
        w
    }

    fn quoted(&mut self) -> Result<Node, PatternError> {
        let pos = self.pos();
        self.at += 1;
        let mut s = String::new();
        loop {
            match self.peek() {
                None => return Err(self.err_at(pos, 1, "unterminated string".into())),
                Some('"') => break,
                Some('\\') if self.chars.get(self.at + 1).is_some() => {
                    self.at += 1;
                    s.push(self.peek().unwrap());
                }
                Some(c) => s.push(c),
            }
            self.at += 1;
        }
        self.at += 1;
        let toks = tokenize(&s, 0..s.len(), self.abbrev);
        if toks.is_empty() {
            return Err(self.err_at(pos, 2, "empty string".into()));
        }
        let mut items: Vec<Node> = toks.into_iter().map(|t| Node::Token(TokenTest::Literal(t.norm.into()))).collect();
        Ok(if items.len() == 1 { items.pop().unwrap() } else { Node::Seq(items) })
    }

    fn regex(&mut self) -> Result<Node, PatternError> {
        let pos = self.pos();
        self.at += 1;
        let mut s = String::new();
        loop {
            match self.peek() {
                None => return Err(self.err_at(pos, 1, "unterminated regex".into())),
                Some('/') => break,
                Some('\\') if self.chars.get(self.at + 1).map(|x| x.0) == Some('/') => {
                    self.at += 1;
                    s.push('/');
                }
                Some(c) => s.push(c),
            }
            self.at += 1;
        }
        self.at += 1;
        // A regex tests one token: a word of its alternation that text
        // splits into several ("high-level") would never match, silently.
        // An elided word ("qu'") is one token before the word it joins.
        let tokens = |w: &str| {
            if w.ends_with(['\'', '’']) {
                tokenize(&format!("{w}a"), 0..w.len() + 1, self.abbrev).len().saturating_sub(1)
            } else {
                tokenize(w, 0..w.len(), self.abbrev).len()
            }
        };
        let several = super::compile::regex_literals(&s).into_iter().flatten().find(|w| tokens(w) > 1);
        if let Some(word) = several {
            let help = format!("write it outside the regex, as \"{word}\" in an alternation: `(/…/ | \"{word}\")`");
            return Err(self.err_at(pos, s.chars().count() + 2, format!("`{word}` is more than one token, and a `/…/` regex tests one")).with_help(Some(help)));
        }
        Ok(Node::Token(TokenTest::Regex { source: s, pos }))
    }

    fn slot(&mut self) -> Result<Node, PatternError> {
        let pos = self.pos();
        self.at += 1;
        let mut types = Vec::new();
        self.skip_ws();
        if self.peek() == Some('*') {
            self.at += 1;
        } else {
            loop {
                self.skip_ws();
                let tpos = self.pos();
                let name = self.type_name();
                if name.is_empty() {
                    return Err(self.err("expected an entity type"));
                }
                types.push((name, tpos));
                if !self.eat('|') {
                    break;
                }
            }
        }
        let form = if self.peek() == Some(':') {
            self.at += 1;
            Some(self.type_name())
        } else {
            None
        };
        self.skip_ws();
        let var = if self.peek() == Some(']') { None } else { Some(self.type_name()) };
        if var.as_deref() == Some("") {
            return Err(self.err("expected a variable name or `]`"));
        }
        self.expect(']')?;
        Ok(Node::Slot(Slot { types, form, var, pos }))
    }

    fn type_name(&mut self) -> String {
        let mut w = String::new();
        while let Some(c) = self.peek() {
            if !(c.is_alphanumeric() || c == '_' || c == '-') {
                break;
            }
            w.push(c);
            self.at += 1;
        }
        w
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_word_with_hyphens_or_an_elision_is_the_tokens_text_splits_it_into() {
        let none = Abbreviations::default();
        assert_eq!(word_tokens("co-chaired", &none), ["co", "-", "chaired"]);
        assert_eq!(word_tokens("Porte-Parole", &none), ["porte", "-", "parole"]);
        assert_eq!(word_tokens("aujourd'hui", &none), ["aujourd'", "hui"]);
        assert_eq!(word_tokens("engine's", &none), ["engine", "'s"]);
        assert_eq!(word_tokens("n't", &none), ["n't"]);
        assert_eq!(word_tokens("d'", &none), ["d'"]);
        assert_eq!(word_tokens("-", &none), ["-"]);
        let Ok(Node::Seq(items)) = parse("co-chaired") else { panic!("a sequence") };
        assert_eq!(items.len(), 3);
    }

    #[test]
    fn a_dot_is_a_token_of_its_own_unless_the_pack_lists_the_abbreviation() {
        let pack = Abbreviations(["dec.", "inc."].map(String::from).into());
        assert_eq!(word_tokens("déc.", &Abbreviations::default()), ["dec", "."]);
        assert_eq!(word_tokens("Dec.", &pack), ["dec."]);
        // Initials and dotted acronyms keep their dots whatever the pack says, as in text.
        assert_eq!(word_tokens("U.S.", &Abbreviations::default()), ["u.s."]);
        assert_eq!(word_tokens("J.", &Abbreviations::default()), ["j."]);
        // Quoted, the same: "Acme Inc." is the three tokens text reads, not four.
        let quoted = |s: &str, ab: &Abbreviations| match parse_pattern(&chars(s), Pos { line: 1, col: s.chars().count() + 1 }, ab) {
            Ok(Node::Seq(items)) => items.len(),
            Ok(_) => 1,
            Err(e) => panic!("{e:?}"),
        };
        assert_eq!(quoted("\"Acme Inc. board\"", &pack), 3);
        assert_eq!(quoted("\"Acme Inc. board\"", &Abbreviations::default()), 4);
        assert_eq!(quoted("Inc.", &pack), 1);
    }

    #[test]
    fn a_capture_without_brackets_is_refused_with_the_way_to_write_it() {
        let e = parse("rendu prep:dans [Country]").expect_err("refused");
        assert_eq!((e.pos.col, e.width), (7, 9));
        assert!(e.message.contains("`prep:dans`") && e.help.as_deref().is_some_and(|h| h.contains("`prep:(dans)`")), "{e:?}");
        assert!(parse("rendu prep:(dans) [Country]").is_ok() && parse("\"prep:dans\"").is_ok());
        // Not a time of day, which is no capture's name.
        assert!(parse("at 10:30").is_ok());
    }

    #[test]
    fn a_capture_repeated_is_refused_with_the_way_to_write_it() {
        let e = parse("name:(<Cap>){1,2} Ltd.").expect_err("refused");
        assert_eq!(e.pos.col, 13);
        assert!(e.message.contains("last repetition") && e.help.as_deref().is_some_and(|h| h.contains("name:((…){…})")), "{e:?}");
        assert!(parse("name:(<Cap>)+").is_err());
        assert!(parse("name:((<Cap>){1,2}) Ltd.").is_ok() && parse("name:(<Cap>)? Ltd.").is_ok());
    }

    pub(crate) fn chars(s: &str) -> Vec<(char, Pos)> {
        s.chars().enumerate().map(|(i, c)| (c, Pos { line: 1, col: i + 1 })).collect()
    }

    fn parse(s: &str) -> Result<Node, PatternError> {
        parse_pattern(&chars(s), Pos { line: 1, col: s.chars().count() + 1 }, &Abbreviations::default())
    }

    #[test]
    fn a_regex_word_that_text_splits_into_several_tokens_is_refused() {
        let e = parse("a /special|high-level/ meeting").expect_err("refused");
        assert_eq!(e.pos.col, 3);
        assert!(e.message.contains("`high-level`") && e.help.as_deref().is_some_and(|h| h.contains("\"high-level\"")), "{e:?}");
        assert!(parse("(?<!/^(l'|de l')$/) Union").is_err());
        // An elided word is one token before the word it joins, and a
        // regex that spells out no words is not checked.
        assert!(parse("(?<!/^(qu'|lorsqu’)$/) il").is_ok());
        assert!(parse("/[a-z]+-day/ visit").is_ok());
    }

    #[test]
    fn parses_slots_words_and_quantifiers() {
        let n = parse("[Person s] ~3 particip* (à|\"au\")? [Event|Organization:name e]").unwrap();
        let Node::Seq(items) = n else { panic!() };
        assert_eq!(items.len(), 5);
        assert!(matches!(&items[0], Node::Slot(s) if s.var.as_deref() == Some("s")));
        assert_eq!(items[1], Node::Gap { min: 0, max: 3 });
        assert_eq!(items[2], Node::Token(TokenTest::Stem("particip".into())));
        assert!(matches!(&items[4], Node::Slot(s) if s.types.len() == 2 && s.form.as_deref() == Some("name")));
    }

    #[test]
    fn parses_negated_tokens() {
        let n = parse("!former President").unwrap();
        let Node::Seq(items) = n else { panic!() };
        assert!(matches!(&items[0], Node::Not { node, .. } if **node == Node::Token(TokenTest::Literal("former".into()))));
        assert!(matches!(parse("!@article").unwrap(), Node::Not { .. }));
        assert!(parse("!(a b)").is_err(), "`!` takes one token");
        assert!(parse("![Person]").is_err());
        assert!(parse("! a").is_err());
        assert!(matches!(parse("!(a|\".\"|/x+/|<Cap>)").unwrap(), Node::Not { node, .. } if matches!(*node, Node::Alt(ref v) if v.len() == 4)));
        assert!(parse("!(a|b c)").is_err(), "each alternative is one token");
        // `(!a|b)` is `!a` with a redundant branch: the writer meant `!(a|b)`.
        let e = parse("x (!a|b){0,3} y").unwrap_err();
        assert!(e.message.contains("!(a|b)"), "{}", e.message);
        assert!(parse("(!a b|c)").is_ok(), "a sequence that starts with `!` is no slip");
    }

    #[test]
    fn parses_captures_and_quoted_sequences() {
        let n = parse("M. name:(<Cap>{1,3}) \"l'OTAN\"").unwrap();
        let Node::Seq(items) = n else { panic!() };
        assert_eq!(items[0], Node::Token(TokenTest::Literal("m.".into())));
        assert!(matches!(&items[1], Node::Capture { name, .. } if name == "name"));
        assert!(matches!(&items[2], Node::Seq(v) if v.len() == 2));
    }

    #[test]
    fn reports_positions() {
        let e = parse("[Person s] (a | b").unwrap_err();
        assert_eq!((e.pos.col, e.message.as_str()), (18, "expected `)`"));
        let e = parse("[Person s] {2}").unwrap_err();
        assert_eq!(e.pos.col, 12);
        assert!(parse("\"abc").is_err());
        assert!(parse("~").is_err());
        assert!(parse("a{3,1}").is_err());
        let e = parse("met (?=(now | later))").unwrap_err();
        assert_eq!(e.pos.col, 5);
        assert!(e.message.contains("look-ahead tests one token"), "{}", e.message);
        assert!(matches!(parse("met (?!now)"), Ok(Node::Seq(v)) if matches!(v[1], Node::Look { negate: true, ahead: true, .. })));
        // A look-ahead may ask for a mention of a type, without binding it;
        // a look-behind may not.
        assert!(matches!(parse("(?![Person]) <Cap>"), Ok(Node::Seq(v)) if matches!(&v[0], Node::Look { node, .. } if matches!(node.as_ref(), Node::Slot(_)))));
        assert!(parse("(?![Person p]) <Cap>").unwrap_err().message.contains("without a variable"));
        assert!(parse("<Cap> (?<![Person])").is_err());
    }
}

#[cfg(test)]
pub(crate) mod properties {
    use super::*;
    use crate::pattern::{compile, Names};
    use proptest::prelude::*;

    /// Names for patterns in tests: one type `T`, one word list `@w`.
    pub(crate) struct Any;
    impl Names for Any {
        fn type_mask(&self, n: &str) -> Option<u64> {
            (n == "T").then_some(1)
        }
        fn type_names(&self) -> Vec<String> {
            vec!["T".into()]
        }
        fn form_id(&self, _: &str) -> Option<u16> {
            None
        }
        fn form_names(&self) -> Vec<String> {
            vec!["name".into()]
        }
        fn words(&self, n: &str) -> Option<Vec<Vec<String>>> {
            (n == "w").then(|| vec![vec!["a".into()], vec!["b".into(), "c".into()]])
        }
        fn word_list_names(&self) -> Vec<String> {
            vec!["w".into()]
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn never_panics_on_any_pattern(s in "[\\[\\]()|{}\"/<>@~^$?+*_:,0-9a-zA-Zé' T-]{0,40}") {
            let chars: Vec<(char, Pos)> = s.chars().enumerate().map(|(i, c)| (c, Pos { line: 1, col: i + 1 })).collect();
            if let Ok(node) = parse_pattern(&chars, Pos { line: 1, col: chars.len() + 1 }, &Abbreviations::default()) {
                let _ = compile(&node, &Any, &mut crate::pattern::Vocab::default(), Pos { line: 1, col: 1 });
            }
        }
    }
}
