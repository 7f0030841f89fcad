//! Compiled patterns: instructions of a Pike VM over tokens and mentions.

use regex::Regex;
use std::sync::{Arc, OnceLock};

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
    /// The token before the current position (`ahead`: at it) passes the
    /// test (`negate`: does not, or there is none); nothing is consumed.
    /// Boxed, so that an instruction takes 24 bytes, not 32.
    Assert {
        pred: Box<TokenPred>,
        negate: bool,
        ahead: bool,
    },
    /// A mention whose type is in `types` starts at the current position
    /// (`negate`: none does); nothing is consumed. `(?=[Person])`,
    /// `(?![Person])`.
    AssertMention {
        types: u64,
        form: u16,
        negate: bool,
    },
    Match,
}

// The shipped pack holds over 400,000 instructions: at 48 bytes each (a word's text
// and a regex inline) they were a quarter of a run's peak heap.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Inst>() == 24);

impl Inst {
    /// Whether the instruction consumes input (a token or a mention): where
    /// threads wait between positions.
    pub fn consumes(&self) -> bool {
        matches!(self, Inst::Token(_) | Inst::Slot { .. })
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum TokenPred {
    /// Any token the inner predicate rejects.
    Not(Box<TokenPred>),
    /// A token one of these passes (what `!(a|b)` negates).
    AnyOf(Box<[TokenPred]>),
    /// A word, by its number in the pack's [`Vocab`] (which gives its text
    /// back for messages).
    Word {
        id: u32,
    },
    Stem(Box<str>),
    /// One of several words, by their sorted numbers (`Vocab::words` gives
    /// their text back).
    Words {
        ids: Box<[u32]>,
    },
    /// Behind a pointer, as rare: inline, it made every test 40 bytes (see
    /// the size of [`Inst`]). Shared by every test of the same source.
    Regex(#[serde(with = "regex_source")] Arc<TokenRegex>),
    Class(TokenClass),
    Any,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
    /// No white space before it: the "-" and "han" of "Sung-han".
    Joined,
}

/// A token test's regular expression, compiled the first time a sentence
/// needs it. Building one costs some 200,000 instructions: the shipped
/// pack's 335 sources were 75 M of the 530 M instructions it took to read
/// the compiled pack back, paid by every run before its first document,
/// while a corpus in one language tries only some of them.
pub struct TokenRegex {
    source: Box<str>,
    /// `None` if the source does not compile, which a pack read from rule
    /// files never holds (it is an error there) and a compiled pack, written
    /// from such a pack, cannot either: such a test passes no token.
    compiled: OnceLock<Option<Regex>>,
}

impl TokenRegex {
    /// Compiled now: a rule file's regex is checked as the pack loads.
    pub fn new(source: &str) -> Result<Self, regex::Error> {
        let re = Regex::new(source)?;
        Ok(TokenRegex { source: source.into(), compiled: OnceLock::from(Some(re)) })
    }

    /// Compiled when first tried: the source of a pack that compiled.
    pub fn deferred(source: &str) -> Self {
        TokenRegex { source: source.into(), compiled: OnceLock::new() }
    }

    pub fn as_str(&self) -> &str {
        &self.source
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.compiled.get_or_init(|| Regex::new(&self.source).ok()).as_ref().is_some_and(|re| re.is_match(text))
    }
}

/// As a `Regex` shows itself, whether compiled yet or not: packs compare
/// by their debug form.
impl std::fmt::Debug for TokenRegex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Regex").field(&self.as_str()).finish()
    }
}

/// A regex kept as its source: a compiled pack (`pack::cache`) stores the
/// pattern, and reading it back compiles nothing (see [`TokenRegex`]).
mod regex_source {
    use super::TokenRegex;
    use std::sync::Arc;

    pub fn serialize<S: serde::Serializer>(re: &TokenRegex, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(re.as_str())
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Arc<TokenRegex>, D::Error> {
        let source: std::borrow::Cow<'de, str> = serde::Deserialize::deserialize(d)?;
        crate::pattern::compile::shared_regex(&source, |s| Ok(TokenRegex::deferred(s))).map_err(serde::de::Error::custom)
    }
}

impl TokenClass {
    pub const NAMES: [&'static str; 7] = ["Cap", "Upper", "Lower", "Num", "Punct", "Word", "Joined"];

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "Cap" => Self::Cap,
            "Upper" => Self::Upper,
            "Lower" => Self::Lower,
            "Num" => Self::Num,
            "Punct" => Self::Punct,
            "Word" => Self::Word,
            "Joined" => Self::Joined,
            _ => return None,
        })
    }
}

/// A compiled pattern.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
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
    /// The same for the tests right after those of `first`, when each of
    /// those consumes one token: every match passes both, so a match begins
    /// only where both sets allow. "(le|la|du) (ministre|président) …"
    /// begins at every « le », but only before a « ministre ».
    pub then: Option<Vec<(usize, usize)>>,
    /// The epsilon closures of the places a thread starts from (see
    /// `Closures`); empty until [`Program::with_closures`].
    pub closures: Closures,
}

/// Where a thread goes from an instruction without consuming anything,
/// worked out once per pattern: the VM then walks a list instead of
/// following every `Split`, `Jmp` and `Save` at every token.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Closures {
    /// Per instruction, its closure as an index into `spans`; [`NO_CLOSURE`]
    /// for an instruction no thread starts from, or whose closure is too
    /// large (the VM follows the instructions then). An index, not the
    /// range itself: the pack's 590,000 instructions share far fewer
    /// closures, and a range per instruction took 7 MB.
    of: Vec<u32>,
    /// Closures as ranges of `reach`.
    spans: Vec<(u32, u32)>,
    reach: Vec<Reach>,
    /// The capture slots `Save`d on the way to each reach, in order.
    saves: Vec<u16>,
}

/// A consuming instruction (or `Match`) reached without consuming, in
/// priority order, with what the way there does and needs.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct Reach {
    pub target: u32,
    /// Where its saves start in `Closures::saves`, and how many: a start
    /// and an end of 32 bits each would make a reach 20 bytes, not 16.
    saves_at: u32,
    saves_len: u16,
    /// The way passes `^` / `$`: it holds only at the first / last position.
    pub at_start: bool,
    pub at_end: bool,
    /// The word the target tests, when it tests one word ([`NO_WORD`]
    /// otherwise): most targets do, and the VM then compares the token's
    /// number without reading the instruction.
    pub word: u32,
}

/// In [`Reach::word`]: the target tests something else than one word.
pub const NO_WORD: u32 = u32::MAX;

impl Closures {
    /// The closure of instruction `pc`, if worked out.
    pub fn of(&self, pc: usize) -> Option<&[Reach]> {
        let (a, b) = *self.spans.get(*self.of.get(pc)? as usize)?;
        Some(&self.reach[a as usize..b as usize])
    }

    /// The capture slots a reach saves the position in, in order.
    pub fn saves(&self, r: &Reach) -> &[u16] {
        &self.saves[r.saves_at as usize..][..usize::from(r.saves_len)]
    }
}

#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Reach>() == 16);

/// In `Closures::of`: the instruction has no closure.
const NO_CLOSURE: u32 = u32::MAX;

/// Above this many reaches, an instruction's closure is left to the VM.
const MAX_REACH: usize = 256;

/// How many tokens of loose tests ("<Cap>", a regex, `~2`) the first set
/// looks past for a word or a mention that pins the start down.
const LOOKAHEAD: usize = 2;

impl TokenPred {
    /// Numbers its words in another vocabulary: `map[old] = new`.
    fn renumber(&mut self, map: &[u32]) {
        match self {
            TokenPred::Not(p) => p.renumber(map),
            TokenPred::AnyOf(ps) => ps.iter_mut().for_each(|p| p.renumber(map)),
            TokenPred::Word { id, .. } => *id = map[*id as usize],
            TokenPred::Words { ids, .. } => {
                ids.iter_mut().for_each(|id| *id = map[*id as usize]);
                ids.sort_unstable();
            }
            TokenPred::Stem(_) | TokenPred::Regex(_) | TokenPred::Class(_) | TokenPred::Any => {}
        }
    }
}

impl Program {
    /// Numbers its words in another vocabulary (`map[old] = new`): a
    /// program compiled with a vocabulary of its own joins the pack's.
    pub fn renumber(&mut self, map: &[u32]) {
        for inst in &mut self.insts {
            match inst {
                Inst::Token(pred) => pred.renumber(map),
                Inst::Assert { pred, .. } => pred.renumber(map),
                _ => {}
            }
        }
        for any in &mut self.required_ids {
            any.iter_mut().for_each(|id| *id = map[*id as usize]);
        }
        for r in self.closures.reach.iter_mut().filter(|r| r.word != NO_WORD) {
            r.word = map[r.word as usize];
        }
    }

    /// Computes [`Program::first`] and [`Program::then`].
    pub fn with_first_set(mut self) -> Self {
        self.first = self.starts(0, 0, LOOKAHEAD);
        self.then = self.first.as_deref().and_then(|first| self.next_set(first));
        self
    }

    /// The tests a match passes right after one of `first`'s, with their
    /// offsets; `None` when one of `first`'s is no single token (a mention's
    /// length is unknown), a match may end right after it, or one of the
    /// next tests passes at most tokens (it would narrow nothing down:
    /// testing every token for it cost more than it saved).
    fn next_set(&self, first: &[(usize, usize)]) -> Option<Vec<(usize, usize)>> {
        let mut next = Vec::new();
        for &(pc, offset) in first {
            if !matches!(self.insts[pc], Inst::Token(_)) {
                return None;
            }
            next.extend(self.starts(pc + 1, offset + 1, offset + 1 + LOOKAHEAD)?);
        }
        next.sort_unstable();
        next.dedup();
        next.iter().all(|&(q, _)| matches!(&self.insts[q], Inst::Token(pred) if pred.is_selective())).then_some(next)
    }

    /// Where [`Program::prefix_before`] can cut: the consuming instructions
    /// after the first one.
    pub fn cuts(&self) -> impl Iterator<Item = usize> + '_ {
        (1..self.insts.len()).filter(|&pc| self.insts[pc].consumes())
    }

    /// The pattern up to instruction `cut`, a consuming one: a match of it
    /// is a prefix of the pattern's that stops before `cut` (`explain` shows
    /// where the longest ones stop). Its closures are its own: those of the
    /// whole pattern lead to instructions it no longer has.
    pub fn prefix_before(&self, cut: usize) -> Program {
        let mut insts = self.insts[..cut].to_vec();
        insts.push(Inst::Save(1));
        insts.push(Inst::Match);
        // Ways that went past `cut` end the prefix there.
        for inst in &mut insts {
            match inst {
                Inst::Jmp(t) if *t > cut => *t = cut,
                Inst::Split(a, b) => {
                    *a = (*a).min(cut);
                    *b = (*b).min(cut);
                }
                _ => {}
            }
        }
        Program { insts, first: None, then: None, closures: Closures::default(), ..self.clone() }.with_closures()
    }

    /// Computes [`Program::closures`] for the places threads start from: the
    /// first instruction and each one after a token or a mention.
    pub fn with_closures(mut self) -> Self {
        let mut c = Closures { of: vec![NO_CLOSURE; self.insts.len()], ..Default::default() };
        let mut visited = vec![[0; 4]; self.insts.len()];
        // The branches of an alternation jump to one place: their closures
        // are that place's, worked out once.
        let mut done: Vec<Option<u32>> = vec![None; self.insts.len()];
        for pc in 0..self.insts.len() {
            let starts_thread = pc == 0 || self.insts[pc - 1].consumes();
            if !starts_thread {
                continue;
            }
            let mut to = pc;
            for _ in 0..self.insts.len() {
                match self.insts[to] {
                    Inst::Jmp(next) => to = next,
                    _ => break,
                }
            }
            c.of[pc] = *done[to].get_or_insert_with(|| match self.closure(to, to as u32 + 1, &mut visited, &mut c.reach, &mut c.saves) {
                Some(span) => {
                    c.spans.push(span);
                    c.spans.len() as u32 - 1
                }
                None => NO_CLOSURE,
            });
        }
        self.closures = c;
        self
    }

    /// Follows epsilon instructions from `pc` in the VM's priority order,
    /// appending what it reaches. An instruction reached twice is followed
    /// once, as the VM does at one position; but a way that passed `^` or `$`
    /// is told apart from one that did not, since it may fail where the
    /// other goes on. What it reaches twice the VM drops at the target.
    ///
    /// `visited` holds, per instruction and per anchors passed (none, `^`,
    /// `$`, both), the `stamp` of the last closure that reached it.
    fn closure(&self, pc: usize, stamp: u32, visited: &mut [[u32; 4]], reach: &mut Vec<Reach>, saves: &mut Vec<u16>) -> Option<(u32, u32)> {
        let (start, saves_start) = (reach.len(), saves.len());
        if self.follow(pc, stamp, visited, reach, saves).is_none() {
            reach.truncate(start);
            saves.truncate(saves_start);
            return None;
        }
        Some((start as u32, reach.len() as u32))
    }

    /// [`Program::closure`]'s walk, appending to `reach` and `saves`; `None`
    /// when the place gets no closure.
    fn follow(&self, pc: usize, stamp: u32, visited: &mut [[u32; 4]], reach: &mut Vec<Reach>, saves: &mut Vec<u16>) -> Option<()> {
        let start = reach.len();
        let mut stack: Vec<(usize, Vec<u16>, bool, bool)> = vec![(pc, Vec::new(), false, false)];
        while let Some((mut pc, mut path, mut at_start, mut at_end)) = stack.pop() {
            loop {
                let seen = &mut visited[pc][usize::from(at_start) | usize::from(at_end) << 1];
                if std::mem::replace(seen, stamp) == stamp {
                    break;
                }
                match &self.insts[pc] {
                    Inst::Jmp(to) => pc = *to,
                    Inst::Split(a, b) => {
                        stack.push((*b, path.clone(), at_start, at_end));
                        pc = *a;
                    }
                    Inst::Save(k) => {
                        path.push(*k as u16);
                        pc += 1;
                    }
                    Inst::AssertStart => {
                        at_start = true;
                        pc += 1;
                    }
                    Inst::AssertEnd => {
                        at_end = true;
                        pc += 1;
                    }
                    // Passes or fails by the token before (or after), not by
                    // where it starts: such a place has no closure, and
                    // threads follow its instructions one at a time.
                    Inst::Assert { .. } | Inst::AssertMention { .. } => return None,
                    Inst::Token(_) | Inst::Slot { .. } | Inst::Match => {
                        let saves_len = u16::try_from(path.len()).ok()?;
                        let word = match &self.insts[pc] {
                            Inst::Token(TokenPred::Word { id }) => *id,
                            _ => NO_WORD,
                        };
                        reach.push(Reach { target: pc as u32, saves_at: saves.len() as u32, saves_len, at_start, at_end, word });
                        saves.extend_from_slice(&path);
                        break;
                    }
                }
            }
            if reach.len() - start > MAX_REACH {
                return None;
            }
        }
        Some(())
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
                // A look-behind tests the token before the match: not where it begins.
                // A look-ahead only narrows where the match may begin.
                Inst::Save(_) | Inst::Assert { .. } | Inst::AssertMention { .. } => stack.push(pc + 1),
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
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Vocab {
    /// Keys inline up to 24 bytes: a token's lookup reads one place in
    /// memory, not a bucket and then the key's bytes elsewhere.
    ids: rustc_hash::FxHashMap<compact_str::CompactString, u32>,
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
        self.ids.insert(word.into(), next);
        next
    }

    /// The number of a word the pack names.
    pub fn get(&self, word: &str) -> Option<u32> {
        self.ids.get(word).copied()
    }

    /// The words, in the order they were numbered.
    pub fn words(&self) -> Vec<&str> {
        let mut words: Vec<(&str, u32)> = self.ids.iter().map(|(w, &id)| (w.as_str(), id)).collect();
        words.sort_unstable_by_key(|&(_, id)| id);
        words.into_iter().map(|(w, _)| w).collect()
    }

    /// Numbers the tokens of a sentence.
    pub fn assign(&self, tokens: &mut [crate::text::Token]) {
        for t in tokens {
            t.word = self.get(&t.norm).unwrap_or(Self::UNKNOWN);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regex_read_back_matches_as_the_one_compiled() {
        let compiled = TokenRegex::new("^(?:[0-9]{4})$").unwrap();
        let bytes = postcard::to_allocvec(&TokenPred::Regex(Arc::new(compiled))).unwrap();
        let Ok(TokenPred::Regex(read)) = postcard::from_bytes::<TokenPred>(&bytes) else { panic!("not a regex test") };
        assert_eq!(read.as_str(), "^(?:[0-9]{4})$");
        assert!(read.is_match("2024"));
        assert!(!read.is_match("20245"));
        // A source that does not compile (never written by a pack that
        // loaded) passes no token rather than failing the run.
        assert!(!TokenRegex::deferred("^(?:[0-9]$").is_match("1"));
        assert!(TokenRegex::new("^(?:[0-9]$").is_err());
    }
}
