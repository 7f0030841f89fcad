//! A Pike VM over a sentence's tokens and mentions: every thread advances one
//! token at a time, so a match costs O(tokens × instructions) whatever the
//! pattern, and the first thread to match (by priority) wins.

use super::program::{Inst, Program, TokenClass, TokenPred};
use crate::text::{Token, TokenKind};
use std::rc::Rc;

/// A mention as the VM sees it.
#[derive(Debug, Clone, Copy)]
pub struct MentionAt {
    /// Index in the caller's mention list.
    pub id: usize,
    /// Token index one past the mention's last token.
    pub end: usize,
    /// The bit of the mention's type.
    pub type_bit: u64,
    pub form: u16,
}

pub struct Input<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    /// Mentions by their first token, longest first.
    pub starts: &'a [Vec<MentionAt>],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Token positions of the capture slots (0/1: the whole match).
    pub slots: Vec<Option<usize>>,
    /// (variable, mention id), in the order of the pattern.
    pub binds: Vec<(u16, usize)>,
}

impl Match {
    pub fn start(&self) -> usize {
        self.slots[0].unwrap_or(0)
    }
    pub fn end(&self) -> usize {
        self.slots[1].unwrap_or(0)
    }
}

#[derive(Debug)]
struct BindNode {
    var: u16,
    mention: usize,
    next: Binds,
}
type Binds = Option<Rc<BindNode>>;

/// Capture slots kept inline: most patterns have at most three captures,
/// and a thread is copied at every step, so they must not allocate.
type Slots = smallvec::SmallVec<[u32; 8]>;
const UNSET: u32 = u32::MAX;

#[derive(Clone)]
struct Thread {
    pc: usize,
    /// Inside a mention until this token position.
    until: usize,
    slots: Slots,
    binds: Binds,
}

/// The last token position a match can start at, given where each word
/// last occurs in the sentence and where each mention type last starts: a
/// match holds every required word and type, so it starts at or before the
/// last occurrence of each. `None` when one is missing: no match at all.
pub fn latest_start(prog: &Program, last_word: &rustc_hash::FxHashMap<&str, usize>, last_type: &[usize; 64]) -> Option<usize> {
    let mut limit = usize::MAX;
    for w in &prog.required_words {
        limit = limit.min(*last_word.get(w.as_str())?);
    }
    for &mask in &prog.required_types {
        let last = (0..64).filter(|t| mask & (1u64 << t) != 0 && last_type[*t] != usize::MAX).map(|t| last_type[t]).max()?;
        limit = limit.min(last);
    }
    Some(limit)
}

/// All non-overlapping matches, left to right.
pub fn find_all(prog: &Program, input: &Input) -> Vec<Match> {
    find_all_with(prog, input, &mut Cache::default(), usize::MAX)
}

/// [`find_all`] with buffers kept from earlier calls (of any program), for
/// matches that start at or before `limit` (see [`latest_start`]).
pub fn find_all_with(prog: &Program, input: &Input, cache: &mut Cache, limit: usize) -> Vec<Match> {
    let mut out = Vec::new();
    let mut at = 0;
    cache.seen.clear();
    cache.seen.resize(prog.insts.len(), usize::MAX);
    while at <= input.tokens.len().min(limit) {
        let Some(m) = search(prog, input, at, limit, cache) else { break };
        at = if m.end() > m.start() { m.end() } else { m.start() + 1 };
        out.push(m);
    }
    out
}

/// Buffers reused across searches, so that the hot loop does not allocate.
#[derive(Default)]
pub struct Cache {
    /// Generation stamp per instruction: the position it was last added at.
    seen: Vec<usize>,
    /// Threads inside mentions already queued at this step: (pc, end).
    mention_seen: Vec<(usize, usize)>,
    stack: Vec<Thread>,
    clist: Vec<Thread>,
    nlist: Vec<Thread>,
}

/// The leftmost match starting at or after `from`.
pub fn find_at(prog: &Program, input: &Input, from: usize) -> Option<Match> {
    let mut cache = Cache { seen: vec![usize::MAX; prog.insts.len()], ..Default::default() };
    search(prog, input, from, usize::MAX, &mut cache)
}

/// The leftmost match starting at or after `from`, and at or before `limit`.
fn search(prog: &Program, input: &Input, from: usize, limit: usize, cache: &mut Cache) -> Option<Match> {
    let n = input.tokens.len();
    cache.seen.iter_mut().for_each(|s| *s = usize::MAX);
    let mut clist = std::mem::take(&mut cache.clist);
    let mut nlist = std::mem::take(&mut cache.nlist);
    clist.clear();
    let lists = cache;
    let mut matched: Option<Match> = None;
    for p in from..=n {
        if clist.is_empty() && (matched.is_some() || p > limit) {
            break;
        }
        if matched.is_none() && p <= limit && may_start(prog, input, p) {
            let seed = Thread { pc: 0, until: p, slots: smallvec::smallvec![UNSET; prog.slots], binds: None };
            add(prog, input, &mut clist, lists, seed, p);
        }
        if clist.is_empty() {
            if matched.is_some() {
                break;
            }
            continue;
        }
        nlist.clear();
        lists.mention_seen.clear();
        let next = p + 1;
        for t in clist.drain(..) {
            if t.until > p {
                step_inside(prog, input, &mut nlist, lists, t, p);
                continue;
            }
            match &prog.insts[t.pc] {
                Inst::Token(pred) => {
                    if p < n && test(pred, &input.tokens[p], input.text) {
                        add(prog, input, &mut nlist, lists, Thread { pc: t.pc + 1, until: next, ..t }, next);
                    }
                }
                Inst::Slot { types, form, var } => {
                    for m in input.starts.get(p).into_iter().flatten() {
                        if m.type_bit & types == 0 || m.form != *form {
                            continue;
                        }
                        let binds = match var {
                            Some(v) => Some(Rc::new(BindNode { var: *v, mention: m.id, next: t.binds.clone() })),
                            None => t.binds.clone(),
                        };
                        let th = Thread { pc: t.pc + 1, until: m.end, slots: t.slots.clone(), binds };
                        step_inside(prog, input, &mut nlist, lists, th, p);
                    }
                }
                Inst::Match => {
                    matched = Some(to_match(t));
                    break; // lower-priority threads lose
                }
                _ => unreachable!("epsilon instructions are followed in add()"),
            }
        }
        std::mem::swap(&mut clist, &mut nlist);
    }
    clist.clear();
    nlist.clear();
    lists.clist = clist;
    lists.nlist = nlist;
    matched
}

/// Whether a match can begin at token `p` (see [`Program::first`]).
fn may_start(prog: &Program, input: &Input, p: usize) -> bool {
    let Some(first) = &prog.first else { return true };
    first.iter().any(|&pc| match &prog.insts[pc] {
        Inst::Token(pred) => input.tokens.get(p).is_some_and(|t| test(pred, t, input.text)),
        Inst::Slot { types, form, .. } => input.starts.get(p).is_some_and(|ms| ms.iter().any(|m| m.type_bit & types != 0 && m.form == *form)),
        _ => true,
    })
}

/// A thread inside a mention moves one token; it resumes when the mention ends.
fn step_inside(prog: &Program, input: &Input, nlist: &mut Vec<Thread>, lists: &mut Cache, t: Thread, p: usize) {
    let next = p + 1;
    if t.until == next {
        add(prog, input, nlist, lists, t, next);
    } else if !lists.mention_seen.contains(&(t.pc, t.until)) {
        lists.mention_seen.push((t.pc, t.until));
        nlist.push(t);
    }
}

fn to_match(t: Thread) -> Match {
    let mut binds = Vec::new();
    let mut b = &t.binds;
    while let Some(node) = b {
        binds.push((node.var, node.mention));
        b = &node.next;
    }
    binds.reverse();
    Match { slots: t.slots.iter().map(|&s| (s != UNSET).then_some(s as usize)).collect(), binds }
}

/// Follows epsilon instructions from `t` at position `p`, in priority order.
fn add(prog: &Program, input: &Input, list: &mut Vec<Thread>, lists: &mut Cache, t: Thread, p: usize) {
    let mut stack = std::mem::take(&mut lists.stack);
    stack.push(t);
    while let Some(mut t) = stack.pop() {
        if lists.seen[t.pc] == p {
            continue;
        }
        lists.seen[t.pc] = p;
        match &prog.insts[t.pc] {
            Inst::Jmp(to) => {
                t.pc = *to;
                stack.push(t);
            }
            Inst::Split(a, b) => {
                let (a, b) = (*a, *b);
                stack.push(Thread { pc: b, ..t.clone() });
                stack.push(Thread { pc: a, ..t });
            }
            Inst::Save(k) => {
                t.slots[*k] = p as u32;
                t.pc += 1;
                stack.push(t);
            }
            Inst::AssertStart => {
                if p == 0 {
                    t.pc += 1;
                    stack.push(t);
                }
            }
            Inst::AssertEnd => {
                if p == input.tokens.len() {
                    t.pc += 1;
                    stack.push(t);
                }
            }
            _ => list.push(t),
        }
    }
    lists.stack = stack;
}

fn test(pred: &TokenPred, tok: &Token, text: &str) -> bool {
    match pred {
        TokenPred::Not(inner) => !test(inner, tok, text),
        TokenPred::Literal(w) => *tok.norm == **w,
        TokenPred::Stem(w) => tok.norm.starts_with(&**w) && tok.kind == TokenKind::Word,
        TokenPred::Set(set) => set.contains(&tok.norm),
        TokenPred::Regex(re) => re.is_match(tok.text(text)),
        TokenPred::Any => true,
        TokenPred::Class(c) => match c {
            TokenClass::Cap => tok.cap,
            TokenClass::Upper => tok.upper && tok.kind == TokenKind::Word,
            TokenClass::Lower => tok.kind == TokenKind::Word && !tok.cap,
            TokenClass::Num => tok.kind == TokenKind::Number,
            TokenClass::Punct => tok.kind == TokenKind::Punct,
            TokenClass::Word => tok.kind == TokenKind::Word,
        },
    }
}
