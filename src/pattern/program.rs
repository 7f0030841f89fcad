//! Compiled patterns: instructions of a Pike VM over tokens and mentions.

use regex::Regex;
use rustc_hash::FxHashSet as HashSet;

#[derive(Debug, Clone)]
pub enum Inst {
    /// Consume one token that passes the test.
    Token(TokenPred),
    /// Consume a whole mention starting here whose type is in `types`.
    Slot {
        types: u64,
        form: u16,
        var: Option<u16>,
    },
    /// Try `.0` first, then `.1`.
    Split(usize, usize),
    Jmp(usize),
    /// Record the current token position in capture slot `.0`.
    Save(usize),
    AssertStart,
    AssertEnd,
    Match,
}

#[derive(Debug, Clone)]
pub enum TokenPred {
    /// Any token the inner predicate rejects.
    Not(Box<TokenPred>),
    /// A word, by its number in the pack's [`Vocab`] (the text for messages).
    Word {
        id: u32,
        text: Box<str>,
    },
    Stem(Box<str>),
    /// One of several words, by their sorted numbers.
    Words {
        ids: Box<[u32]>,
        words: HashSet<String>,
    },
    Regex(Regex),
    Class(TokenClass),
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenClass {
    /// Starts with an uppercase letter.
    Cap,
    /// A word whose letters are all uppercase.
    Upper,
    /// Starts with a lowercase letter.
    Lower,
    Num,
    Punct,
    Word,
}

impl TokenClass {
    pub const NAMES: [&'static str; 6] = ["Cap", "Upper", "Lower", "Num", "Punct", "Word"];

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "Cap" => Self::Cap,
            "Upper" => Self::Upper,
            "Lower" => Self::Lower,
            "Num" => Self::Num,
            "Punct" => Self::Punct,
            "Word" => Self::Word,
            _ => return None,
        })
    }
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct Program {
    pub insts: Vec<Inst>,
    /// Capture slots: 0 and 1 hold the whole match, then two per named capture.
    pub slots: usize,
    /// Words every match contains (folded), to reject sentences cheaply:
    /// each requirement is met by any one of its words.
    pub required_words: Vec<Vec<String>>,
    /// The same, by the words' numbers in the pack's [`Vocab`].
    pub required_ids: Vec<Box<[u32]>>,
    /// Type masks every match needs a mention of.
    pub required_types: Vec<u64>,
    /// Where a match can begin: instructions that test a token or a mention
    /// and the number of tokens a match has before them, `(pc, offset)`.
    /// The VM starts threads only `offset` tokens before where one passes.
    /// `None` when a match can begin anywhere.
    pub first: Option<Vec<(usize, usize)>>,
}

/// How many tokens of loose tests ("<Cap>", a regex, `~2`) the first set
/// looks past for a word or a mention that pins the start down.
const LOOKAHEAD: usize = 2;

impl Program {
    /// Computes [`Program::first`].
    pub fn with_first_set(mut self) -> Self {
        self.first = self.starts(0, 0, LOOKAHEAD);
        self
    }

    /// The consuming instructions a match can begin with (an `explain`
    /// answer: what a rule wanted where it got nowhere).
    pub fn opening(&self) -> Vec<usize> {
        self.starts(0, 0, 0).unwrap_or_default().into_iter().map(|(pc, _)| pc).collect()
    }

    /// The consuming instructions reachable from `pc` without consuming
    /// anything, each with `offset`; `None` when a match can end (or begin
    /// anywhere) there. A loose test is looked past, up to `depth` tokens
    /// from the start, when every way on from it soon reaches a word, a
    /// mention or an anchor: those pass at fewer tokens.
    fn starts(&self, pc: usize, offset: usize, depth: usize) -> Option<Vec<(usize, usize)>> {
        let mut seen = vec![false; self.insts.len()];
        let mut stack = vec![pc];
        let mut first = Vec::new();
        while let Some(pc) = stack.pop() {
            if std::mem::replace(&mut seen[pc], true) {
                continue;
            }
            match &self.insts[pc] {
                Inst::Jmp(t) => stack.push(*t),
                Inst::Split(a, b) => stack.extend([*a, *b]),
                Inst::Save(_) => stack.push(pc + 1),
                Inst::Match => return None,
                Inst::Token(pred) if !pred.is_selective() => {
                    let after = (offset < depth).then(|| self.starts(pc + 1, offset + 1, depth)).flatten();
                    match after {
                        Some(next) if next.iter().all(|&(q, _)| self.is_selective(q)) => first.extend(next),
                        // `Any` passes everywhere: a match can begin anywhere.
                        _ if matches!(pred, TokenPred::Any) => return None,
                        _ => first.push((pc, offset)),
                    }
                }
                Inst::Token(_) | Inst::Slot { .. } | Inst::AssertStart | Inst::AssertEnd => first.push((pc, offset)),
            }
        }
        Some(first)
    }

    /// Whether instruction `pc` passes at few positions of a sentence.
    fn is_selective(&self, pc: usize) -> bool {
        match &self.insts[pc] {
            Inst::Token(pred) => pred.is_selective(),
            _ => true,
        }
    }
}

impl TokenPred {
    /// A word or a few: a test that passes at few tokens of a sentence.
    fn is_selective(&self) -> bool {
        matches!(self, TokenPred::Word { .. } | TokenPred::Words { .. })
    }
}

/// The words a pack names, numbered, so that the VM, the gazetteer and the
/// date reader compare a token's number instead of its text.
#[derive(Debug, Clone, Default)]
pub struct Vocab {
    ids: rustc_hash::FxHashMap<String, u32>,
}

impl Vocab {
    /// The id of a token whose word the pack does not name.
    pub const UNKNOWN: u32 = u32::MAX;

    pub fn intern(&mut self, word: &str) -> u32 {
        // Looked up first: most words of a pack are interned many times.
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let next = self.ids.len() as u32;
        self.ids.insert(word.to_owned(), next);
        next
    }

    /// The number of a word the pack names.
    pub fn get(&self, word: &str) -> Option<u32> {
        self.ids.get(word).copied()
    }

    /// Numbers the tokens of a sentence.
    pub fn assign(&self, tokens: &mut [crate::text::Token]) {
        for t in tokens {
            t.word = self.get(&t.norm).unwrap_or(Self::UNKNOWN);
        }
    }
}
