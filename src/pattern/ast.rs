//! The syntax tree of a pattern, as written in a rule's `match` line.

use crate::pack::diag::Pos;

#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Seq(Vec<Node>),
    Alt(Vec<Node>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
        greedy: bool,
    },
    /// `name:( … )`: the tokens matched, bound to `name`.
    Capture {
        name: String,
        node: Box<Node>,
    },
    /// One token.
    Token(TokenTest),
    /// `[Type|Type:form var]`: a mention starting here.
    Slot(Slot),
    /// `@name`: any entry of a word list.
    Lexicon {
        name: String,
        pos: Pos,
    },
    /// `&name`: the pattern a `pattern name = …` statement names. The pack
    /// loader puts it in place before anything else reads the rule.
    Include {
        name: String,
        pos: Pos,
    },
    /// `!x`: one token that x (a one-token element) does not match; x may be
    /// `(a|b)` of one-token elements, none of which the token then matches.
    Not {
        node: Box<Node>,
        pos: Pos,
    },
    /// `~N` / `~{m,n}`: between m and n tokens, as few as possible.
    Gap {
        min: u32,
        max: u32,
    },
    /// `^`, `$`
    Start,
    End,
    /// `(?<=x)`, `(?<!x)`: the token before the current position is (or is
    /// not) x, a one-token element; `ahead`, `(?=x)`, `(?!x)`: the token at
    /// it, so that the match ends before it. Nothing is consumed; the
    /// negated forms also hold at the start (end) of the sentence.
    Look {
        node: Box<Node>,
        negate: bool,
        ahead: bool,
        pos: Pos,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum TokenTest {
    /// A word compared after folding.
    Literal(String),
    /// `particip*`: a folded prefix.
    Stem(String),
    /// `/regex/`: the token's original text, matched whole.
    Regex { source: String, pos: Pos },
    /// `<Cap>` and friends.
    Class { name: String, pos: Pos },
    /// `_`
    Any,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    /// Empty for `[* x]`: any type.
    pub types: Vec<(String, Pos)>,
    /// `[Country:demonym c]`: which form of the name matched.
    pub form: Option<String>,
    pub var: Option<String>,
    pub pos: Pos,
}
