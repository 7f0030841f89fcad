//! A Pike VM over a sentence's tokens and mentions: every thread advances one
//! token at a time, so a match costs O(tokens × instructions) whatever the
//! pattern, and the first thread to match (by priority) wins.

use super::program::{Inst, Program, TokenClass, TokenPred, NO_WORD};
use crate::text::{Token, TokenKind};
use std::collections::HashMap;

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

impl MentionAt {
    /// Whether a slot of these types and this form takes the mention.
    fn fits(&self, types: u64, form: u16) -> bool {
        self.type_bit & types != 0 && self.form == form
    }
}

/// A sentence's mentions by their first token, longest first, in one buffer
/// kept from phase to phase and sentence to sentence.
#[derive(Debug, Default)]
pub struct MentionIndex {
    /// Where the mentions starting at each token begin in `items`.
    offsets: Vec<u32>,
    items: Vec<(usize, MentionAt)>,
}

impl MentionIndex {
    /// Indexes `(first token, mention)` pairs of a sentence of `n` tokens;
    /// mentions starting at or after `n` are left out.
    pub fn set(&mut self, n: usize, mentions: impl IntoIterator<Item = (usize, MentionAt)>) {
        self.items.clear();
        self.items.extend(mentions.into_iter().filter(|(start, _)| *start < n));
        self.items.sort_unstable_by_key(|(start, m)| (*start, std::cmp::Reverse(m.end), m.id));
        self.offsets.clear();
        let mut k = 0;
        for p in 0..=n {
            self.offsets.push(k as u32);
            while k < self.items.len() && self.items[k].0 == p {
                k += 1;
            }
        }
        self.offsets.push(k as u32);
    }

    /// The mentions that start at token `p`.
    pub fn at(&self, p: usize) -> &[(usize, MentionAt)] {
        match (self.offsets.get(p), self.offsets.get(p + 1)) {
            (Some(&a), Some(&b)) => &self.items[a as usize..b as usize],
            _ => &[],
        }
    }
}

pub struct Input<'a> {
    pub text: &'a str,
    pub tokens: &'a [Token],
    /// Mentions by their first token, longest first.
    pub mentions: &'a MentionIndex,
    /// Where the pack's words occur.
    pub words: &'a WordIndex,
    /// Where `^` holds besides 0: after a list marker opening the sentence
    /// (`text::list_marker_len`).
    pub start: usize,
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
    /// The tokens named capture `c` covers, if it took part in the match.
    pub fn capture(&self, c: usize) -> Option<(usize, usize)> {
        Some((self.slots[2 + 2 * c]?, self.slots[3 + 2 * c]?))
    }
}

/// A binding of a thread: the variable, the mention, and the binding made
/// before it ([`NO_BIND`] for none), as an index into [`Cache::binds`].
/// Threads that split share the bindings made before, so a thread's
/// bindings are a list that grows at its head; an arena of them, emptied at
/// each search, spares an allocation per binding and a count per copy.
#[derive(Debug, Clone, Copy)]
struct BindNode {
    var: u16,
    mention: usize,
    next: u32,
}

const NO_BIND: u32 = u32::MAX;

const UNSET: u32 = u32::MAX;
/// Slot cells a search keeps before it drops the rows of dead threads.
const ROWS_KEPT: usize = 1 << 16;

/// A thread is copied at every step and at every split, so it is small: its
/// capture slots are a row of [`SlotRows`], shared until a `Save` writes,
/// and its bindings a list in [`Cache::binds`].
#[derive(Clone, Copy)]
struct Thread {
    pc: u32,
    /// Inside a mention until this token position.
    until: u32,
    /// Where the thread's row of capture slots starts in [`SlotRows`].
    row: u32,
    /// Its last binding in [`Cache::binds`], or [`NO_BIND`].
    binds: u32,
}

/// The capture slots of a search's threads, a row of `width` each. A row is
/// never changed once written: `Save` copies it, so threads that split
/// share a row until one of them saves.
#[derive(Default)]
struct SlotRows {
    width: usize,
    cells: Vec<u32>,
}

impl SlotRows {
    /// Starts a search with one row, every slot unset: row 0.
    fn reset(&mut self, width: usize) {
        self.width = width;
        self.cells.clear();
        self.cells.resize(width, UNSET);
    }

    fn row(&self, row: u32) -> &[u32] {
        &self.cells[row as usize..row as usize + self.width]
    }

    /// The row `row` with slot `k` set to `value`.
    fn with(&mut self, row: u32, k: usize, value: u32) -> u32 {
        if self.cells[row as usize + k] == value {
            return row;
        }
        let new = self.cells.len();
        self.cells.extend_from_within(row as usize..row as usize + self.width);
        self.cells[new + k] = value;
        new as u32
    }

    /// Keeps only the rows of `threads` (renumbered), so that a long search
    /// holds the rows of its live threads, not of every thread it ran.
    fn compact(&mut self, threads: &mut [Thread]) {
        let mut kept: Vec<u32> = Vec::with_capacity(self.width * (threads.len() + 1));
        kept.extend_from_slice(self.row(0));
        let mut moved: Vec<(u32, u32)> = Vec::new();
        for t in threads.iter_mut() {
            let new = match moved.iter().find(|(old, _)| *old == t.row) {
                Some(&(_, new)) => new,
                None => {
                    let new = kept.len() as u32;
                    kept.extend_from_slice(self.row(t.row));
                    moved.push((t.row, new));
                    new
                }
            };
            t.row = new;
        }
        self.cells = kept;
    }
}

/// The last token position a match can start at, given where each word
/// last occurs in the sentence and where each mention type last starts: a
/// match holds every required word and type, so it starts at or before the
/// last occurrence of each. `None` when one is missing: no match at all.
pub fn latest_start(prog: &Program, words: &WordIndex, last_type: &[usize; 64]) -> Option<usize> {
    let mut limit = usize::MAX;
    // Types first: a rule woken by its words (`extract::wake`) has them all,
    // so a missing type is what most often ends the test.
    for &mask in &prog.required_types {
        let mut last = None;
        let mut bits = mask;
        while bits != 0 {
            let t = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            if last_type[t] != usize::MAX {
                last = last.max(Some(last_type[t]));
            }
        }
        limit = limit.min(last?);
    }
    for any in &prog.required_ids {
        limit = limit.min(any.iter().filter_map(|&w| words.last(w)).max()?);
    }
    Some(limit)
}

/// Where the words the pack names occur in a sentence: the first and last
/// position of each word, and from each token the next one of the same
/// word, tell where a pattern's first word occurs and where a required word
/// last occurs. Made in one pass without sorting; reused from sentence to
/// sentence: a word's entry is stamped with the sentence.
#[derive(Debug, Default)]
pub struct WordIndex {
    /// Per word id: (sentence stamp, first position, last position).
    seen: Vec<(u32, u32, u32)>,
    /// Per token: the position of the next token of the same word, or `NONE`.
    next: Vec<u32>,
    /// The sentence's distinct words, in order of first occurrence.
    distinct: Vec<u32>,
    stamp: u32,
}

impl WordIndex {
    const NONE: u32 = u32::MAX;

    /// Indexes tokens numbered by the pack's vocabulary (`Vocab::assign`).
    pub fn new(tokens: &[Token]) -> Self {
        let mut index = WordIndex::default();
        index.set(tokens);
        index
    }

    /// Indexes the next sentence's tokens.
    pub fn set(&mut self, tokens: &[Token]) {
        self.stamp += 1;
        self.next.clear();
        self.next.resize(tokens.len(), Self::NONE);
        self.distinct.clear();
        for (k, t) in tokens.iter().enumerate().filter(|(_, t)| t.word != super::program::Vocab::UNKNOWN) {
            let (w, k) = (t.word as usize, k as u32);
            if w >= self.seen.len() {
                self.seen.resize(w + 1, (0, 0, 0));
            }
            let entry = &mut self.seen[w];
            if entry.0 == self.stamp {
                self.next[entry.2 as usize] = k;
                entry.2 = k;
            } else {
                *entry = (self.stamp, k, k);
                self.distinct.push(t.word);
            }
        }
    }

    /// The sentence's word numbers, each once.
    pub fn distinct(&self) -> impl Iterator<Item = u32> + '_ {
        self.distinct.iter().copied()
    }

    /// Positions of the tokens numbered `word`, in order.
    fn positions(&self, word: u32) -> impl Iterator<Item = usize> + '_ {
        let first = self.seen.get(word as usize).filter(|e| e.0 == self.stamp).map_or(Self::NONE, |e| e.1);
        std::iter::successors(Some(first).filter(|&k| k != Self::NONE), |&k| Some(self.next[k as usize]).filter(|&n| n != Self::NONE)).map(|k| k as usize)
    }

    fn last(&self, word: u32) -> Option<usize> {
        self.seen.get(word as usize).filter(|e| e.0 == self.stamp).map(|e| e.2 as usize)
    }
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
    if cache.seen.len() < prog.insts.len() {
        cache.seen.resize(prog.insts.len(), 0);
    }
    let mut starts = std::mem::take(&mut cache.starts);
    let open = !candidates(prog, input, limit, &mut starts, &mut cache.other_starts);
    while at <= input.tokens.len().min(limit) {
        let Some(m) = search(prog, input, at, limit, cache, (!open).then_some(&starts[..])) else { break };
        at = if m.end() > m.start() { m.end() } else { m.start() + 1 };
        out.push(m);
    }
    cache.starts = starts;
    out
}

/// The positions at or before `limit` where a match can begin (see
/// [`Program::first`] and [`Program::then`]), sorted; false when it can
/// begin anywhere. `other` is a buffer for the second set's.
fn candidates(prog: &Program, input: &Input, limit: usize, out: &mut Vec<usize>, other: &mut Vec<usize>) -> bool {
    let Some(first) = &prog.first else { return false };
    if !anchored(prog, first, input, limit, out) {
        return false;
    }
    if let Some(then) = &prog.then {
        if !out.is_empty() && anchored(prog, then, input, limit, other) {
            out.retain(|p| other.binary_search(p).is_ok());
        }
    }
    true
}

/// The positions at or before `limit` where a match can begin, given tests
/// it passes `offset` tokens after its start, `(pc, offset)`; sorted. False
/// when one of them is no test that pins a position down.
fn anchored(prog: &Program, set: &[(usize, usize)], input: &Input, limit: usize, out: &mut Vec<usize>) -> bool {
    out.clear();
    let n = input.tokens.len();
    for &(pc, offset) in set {
        // Where the instruction is tried: `offset` tokens after the start.
        let before = out.len();
        match &prog.insts[pc] {
            Inst::Token(TokenPred::Word { id, .. }) => out.extend(input.words.positions(*id)),
            Inst::Token(TokenPred::Words { ids, .. }) if ids.len() < n => ids.iter().for_each(|&id| out.extend(input.words.positions(id))),
            // A token test, often a regular expression: tried only where a
            // match may start.
            Inst::Token(pred) => {
                let last = limit.saturating_add(offset).saturating_add(1).min(n);
                out.extend((offset.min(last)..last).filter(|&p| test(pred, &input.tokens[p], input.text)))
            }
            Inst::Slot { types, form, .. } => {
                let hits = input.mentions.items.iter().filter(|(_, m)| m.fits(*types, *form));
                out.extend(hits.map(|&(p, _)| p))
            }
            Inst::AssertStart => {
                out.push(0);
                if input.start > 0 {
                    out.push(input.start);
                }
            }
            Inst::AssertEnd => out.push(n),
            _ => return false,
        }
        // The start of the match, `offset` tokens before; none before the sentence.
        if offset > 0 {
            let mut k = before;
            for i in before..out.len() {
                if let Some(start) = out[i].checked_sub(offset) {
                    out[k] = start;
                    k += 1;
                }
            }
            out.truncate(k);
        }
    }
    out.retain(|&p| p <= limit);
    out.sort_unstable();
    out.dedup();
    true
}

/// Buffers reused across searches, so that the hot loop does not allocate.
#[derive(Default)]
pub struct Cache {
    /// Stamp per instruction: `base` plus the position it was last added at.
    /// Stamps only grow, so no search needs to clear them.
    seen: Vec<usize>,
    /// The stamp of position 0 in the current search.
    base: usize,
    /// The first stamp no search has used.
    next: usize,
    /// Threads inside mentions already queued at this step: (pc, end).
    mention_seen: Vec<(usize, usize)>,
    stack: Vec<Thread>,
    clist: Vec<Thread>,
    nlist: Vec<Thread>,
    /// Candidate start positions of the current program.
    starts: Vec<usize>,
    /// Those its second set of tests allows (see [`Program::then`]).
    other_starts: Vec<usize>,
    rows: SlotRows,
    /// The bindings of the current search's threads.
    binds: Vec<BindNode>,
}

/// The leftmost match starting at or after `from`.
pub fn find_at(prog: &Program, input: &Input, from: usize) -> Option<Match> {
    let mut cache = Cache { seen: vec![0; prog.insts.len()], ..Default::default() };
    let mut starts = Vec::new();
    let open = !candidates(prog, input, usize::MAX, &mut starts, &mut Vec::new());
    search(prog, input, from, usize::MAX, &mut cache, (!open).then_some(&starts[..]))
}

/// The leftmost match starting at or after `from`, and at or before `limit`.
/// `starts` lists the positions where a match can begin (all, when `None`).
fn search(prog: &Program, input: &Input, from: usize, limit: usize, cache: &mut Cache, starts: Option<&[usize]>) -> Option<Match> {
    let n = input.tokens.len();
    cache.base = cache.next.max(1);
    cache.next = cache.base + n + 2;
    let mut clist = std::mem::take(&mut cache.clist);
    let mut nlist = std::mem::take(&mut cache.nlist);
    clist.clear();
    cache.rows.reset(prog.slots);
    cache.binds.clear();
    let lists = cache;
    let mut matched: Option<Match> = None;
    // The next candidate start, as an index into `starts`.
    let mut next_start = starts.map_or(0, |s| s.partition_point(|&q| q < from));
    let mut p = from;
    while p <= n {
        // Rows of dead threads pile up on one long line: keep the live ones.
        if lists.rows.cells.len() > ROWS_KEPT.max(64 * lists.rows.width * (clist.len() + 1)) {
            lists.rows.compact(&mut clist);
        }
        if lists.binds.len() > ROWS_KEPT.max(64 * (clist.len() + 1)) {
            compact_binds(&mut lists.binds, &mut clist);
        }
        if clist.is_empty() {
            if matched.is_some() || p > limit {
                break;
            }
            // No thread alive: jump to where the next match can begin.
            if let Some(s) = starts {
                match s.get(next_start) {
                    Some(&q) => p = p.max(q),
                    None => break,
                }
            }
        }
        let is_start = match starts {
            None => true,
            Some(s) => {
                while s.get(next_start).is_some_and(|&q| q < p) {
                    next_start += 1;
                }
                s.get(next_start) == Some(&p)
            }
        };
        if matched.is_none() && p <= limit && is_start {
            let seed = Thread { pc: 0, until: p as u32, row: 0, binds: NO_BIND };
            add(prog, input, &mut clist, lists, seed, p);
        }
        if clist.is_empty() {
            if matched.is_some() {
                break;
            }
            p += 1;
            continue;
        }
        nlist.clear();
        lists.mention_seen.clear();
        let next = p + 1;
        for t in clist.drain(..) {
            if t.until as usize > p {
                step_inside(prog, input, &mut nlist, lists, t, p);
                continue;
            }
            match &prog.insts[t.pc as usize] {
                // Tested when queued (`add`).
                Inst::Token(_) => add(prog, input, &mut nlist, lists, Thread { pc: t.pc + 1, until: next as u32, ..t }, next),
                Inst::Slot { types, form, var } => {
                    for (_, m) in input.mentions.at(p) {
                        if !m.fits(*types, *form) {
                            continue;
                        }
                        let binds = match var {
                            Some(v) => {
                                lists.binds.push(BindNode { var: *v, mention: m.id, next: t.binds });
                                (lists.binds.len() - 1) as u32
                            }
                            None => t.binds,
                        };
                        let th = Thread { pc: t.pc + 1, until: m.end as u32, row: t.row, binds };
                        step_inside(prog, input, &mut nlist, lists, th, p);
                    }
                }
                Inst::Match => {
                    matched = Some(to_match(t, &lists.rows, &lists.binds));
                    break; // lower-priority threads lose
                }
                _ => unreachable!("epsilon instructions are followed in add()"),
            }
        }
        std::mem::swap(&mut clist, &mut nlist);
        p += 1;
    }
    clist.clear();
    nlist.clear();
    lists.clist = clist;
    lists.nlist = nlist;
    matched
}

/// A thread inside a mention moves one token; it resumes when the mention ends.
fn step_inside(prog: &Program, input: &Input, nlist: &mut Vec<Thread>, lists: &mut Cache, t: Thread, p: usize) {
    let next = p + 1;
    if t.until as usize == next {
        add(prog, input, nlist, lists, t, next);
    } else if !lists.mention_seen.contains(&(t.pc as usize, t.until as usize)) {
        lists.mention_seen.push((t.pc as usize, t.until as usize));
        nlist.push(t);
    }
}

fn to_match(t: Thread, rows: &SlotRows, nodes: &[BindNode]) -> Match {
    let mut binds = Vec::new();
    let mut b = t.binds;
    while let Some(node) = nodes.get(b as usize) {
        binds.push((node.var, node.mention));
        b = node.next;
    }
    binds.reverse();
    Match { slots: rows.row(t.row).iter().map(|&s| (s != UNSET).then_some(s as usize)).collect(), binds }
}

/// Keeps only the bindings of `threads` (renumbered), so that a long search
/// holds those of its live threads, not of every thread it ran; lists the
/// threads share stay shared.
fn compact_binds(nodes: &mut Vec<BindNode>, threads: &mut [Thread]) {
    let mut kept: Vec<BindNode> = Vec::new();
    let mut moved: HashMap<u32, u32> = HashMap::new();
    for t in threads.iter_mut() {
        t.binds = keep_bind(nodes, t.binds, &mut kept, &mut moved);
    }
    *nodes = kept;
}

/// The index in `kept` of the binding `b` of `nodes`, copied there with
/// those before it unless it already is.
fn keep_bind(nodes: &[BindNode], b: u32, kept: &mut Vec<BindNode>, moved: &mut HashMap<u32, u32>) -> u32 {
    // The list from `b` back to the first binding already kept (or none).
    let mut chain = Vec::new();
    let mut at = b;
    let mut tail = NO_BIND;
    while at != NO_BIND {
        if let Some(&new) = moved.get(&at) {
            tail = new;
            break;
        }
        chain.push(at);
        at = nodes[at as usize].next;
    }
    for &old in chain.iter().rev() {
        kept.push(BindNode { next: tail, ..nodes[old as usize] });
        tail = (kept.len() - 1) as u32;
        moved.insert(old, tail);
    }
    tail
}

/// Follows epsilon instructions from `t` at position `p`, in priority order:
/// through the program's closure of `t.pc` when it has one, else
/// instruction by instruction, a thread going on down its first branch at
/// once while the second waits on the stack.
fn add(prog: &Program, input: &Input, list: &mut Vec<Thread>, lists: &mut Cache, t: Thread, p: usize) {
    let stamp = lists.base + p;
    if let Some(reach) = prog.closures.of(t.pc as usize) {
        let (first, last) = (p == 0 || p == input.start, p == input.tokens.len());
        for r in reach.iter().filter(|r| (first || !r.at_start) && (last || !r.at_end)) {
            let target = r.target as usize;
            if std::mem::replace(&mut lists.seen[target], stamp) == stamp {
                continue;
            }
            let steps = match r.word {
                NO_WORD => can_step(&prog.insts[target], input, p),
                word => input.tokens.get(p).is_some_and(|tok| tok.word == word),
            };
            if steps {
                let row = prog.closures.saves(r).iter().fold(t.row, |row, &k| lists.rows.with(row, k as usize, p as u32));
                list.push(Thread { pc: r.target, row, ..t });
            }
        }
        return;
    }
    let mut stack = std::mem::take(&mut lists.stack);
    stack.push(t);
    while let Some(mut t) = stack.pop() {
        loop {
            let pc = t.pc as usize;
            if lists.seen[pc] == stamp {
                break;
            }
            lists.seen[pc] = stamp;
            match &prog.insts[pc] {
                Inst::Jmp(to) => t.pc = *to as u32,
                Inst::Split(a, b) => {
                    stack.push(Thread { pc: *b as u32, ..t });
                    t.pc = *a as u32;
                }
                Inst::Save(k) => {
                    t.row = lists.rows.with(t.row, *k, p as u32);
                    t.pc += 1;
                }
                Inst::AssertStart if p == 0 || p == input.start => t.pc += 1,
                Inst::AssertEnd if p == input.tokens.len() => t.pc += 1,
                Inst::AssertStart | Inst::AssertEnd => break,
                Inst::Assert { pred, negate, ahead } => {
                    if !looks(pred, *negate, *ahead, input, p) {
                        break;
                    }
                    t.pc += 1;
                }
                Inst::AssertMention { types, form, negate } => {
                    if input.mentions.at(p).iter().any(|(_, m)| m.fits(*types, *form)) == *negate {
                        break;
                    }
                    t.pc += 1;
                }
                // A thread that cannot step at `p` is not queued at all: most
                // die here, and the step need not test them again.
                inst @ (Inst::Token(_) | Inst::Slot { .. } | Inst::Match) => {
                    if can_step(inst, input, p) {
                        list.push(t);
                    }
                    break;
                }
            }
        }
    }
    lists.stack = stack;
}

/// Whether a thread waiting at `inst` can go on at `p`: its token or a
/// mention of its type is there (a `Match` always can).
#[inline(always)]
fn can_step(inst: &Inst, input: &Input, p: usize) -> bool {
    match inst {
        Inst::Token(pred) => input.tokens.get(p).is_some_and(|tok| test(pred, tok, input.text)),
        Inst::Slot { types, form, .. } => input.mentions.at(p).iter().any(|(_, m)| m.fits(*types, *form)),
        _ => true,
    }
}

/// Whether a look-around holds at token `at`: the token before it (`ahead`:
/// the token at it) passes `pred` (with `negate`, it does not, or there is
/// none).
pub(crate) fn looks(pred: &TokenPred, negate: bool, ahead: bool, input: &Input, at: usize) -> bool {
    let q = if ahead { Some(at) } else { at.checked_sub(1) };
    let passes = q.and_then(|q| input.tokens.get(q)).is_some_and(|tok| test(pred, tok, input.text));
    passes != negate
}

/// Whether a token passes a predicate (`text` is the document's).
///
/// Inlined into the VM's step: most tests compare a word's number or a
/// flag, and a call per test (millions per megabyte) cost more than the
/// comparison. The recursive and regex tests stay out of line.
#[inline(always)]
pub(crate) fn test(pred: &TokenPred, tok: &Token, text: &str) -> bool {
    match pred {
        TokenPred::Word { id, .. } => tok.word == *id,
        TokenPred::Words { ids, .. } => ids.binary_search(&tok.word).is_ok(),
        TokenPred::Any => true,
        TokenPred::Class(c) => passes_class(*c, tok),
        _ => test_rare(pred, tok, text),
    }
}

#[inline(never)]
fn test_rare(pred: &TokenPred, tok: &Token, text: &str) -> bool {
    match pred {
        TokenPred::Not(inner) => !test(inner, tok, text),
        TokenPred::AnyOf(preds) => preds.iter().any(|p| test(p, tok, text)),
        TokenPred::Stem(w) => tok.norm.starts_with(&**w) && tok.kind == TokenKind::Word,
        TokenPred::Regex(re) => re.is_match(tok.text(text)),
        TokenPred::Word { .. } | TokenPred::Words { .. } | TokenPred::Any | TokenPred::Class(_) => test(pred, tok, text),
    }
}

#[inline(always)]
fn passes_class(c: TokenClass, tok: &Token) -> bool {
    match c {
        TokenClass::Cap => tok.cap,
        TokenClass::Upper => tok.upper && tok.kind == TokenKind::Word,
        TokenClass::Lower => tok.kind == TokenKind::Word && !tok.cap,
        TokenClass::Num => tok.kind == TokenKind::Number,
        TokenClass::Punct => tok.kind == TokenKind::Punct,
        TokenClass::Word => tok.kind == TokenKind::Word,
        TokenClass::Joined => !tok.space_before,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{tokenize, Abbreviations};

    fn numbered(text: &str, vocab: &crate::pattern::Vocab) -> Vec<Token> {
        let mut tokens = tokenize(text, 0..text.len(), &Abbreviations::default());
        vocab.assign(&mut tokens);
        tokens
    }

    #[test]
    fn compacting_bindings_keeps_each_live_threads_list_and_drops_the_rest() {
        // Two threads share a first binding; a dead thread's bindings lie between.
        let node = |var, mention, next| BindNode { var, mention, next };
        let mut nodes = vec![node(0, 10, NO_BIND), node(1, 99, NO_BIND), node(1, 11, 0), node(2, 12, 2), node(1, 13, 0)];
        let thread = |binds| Thread { pc: 0, until: 0, row: 0, binds };
        let mut threads = [thread(3), thread(4), thread(NO_BIND)];
        let rows = SlotRows { width: 0, cells: Vec::new() };
        let before: Vec<Match> = threads.iter().map(|&t| to_match(t, &rows, &nodes)).collect();
        compact_binds(&mut nodes, &mut threads);
        let after: Vec<Match> = threads.iter().map(|&t| to_match(t, &rows, &nodes)).collect();
        assert_eq!(before, after);
        assert_eq!(after[0].binds, [(0, 10), (1, 11), (2, 12)]);
        // The dead thread's binding is gone and the shared one kept once.
        assert_eq!(nodes.len(), 4);
        assert!(nodes.iter().all(|n| n.mention != 99));
    }

    #[test]
    fn a_word_index_reused_for_the_next_sentence_forgets_the_last_one() {
        let mut vocab = crate::pattern::Vocab::default();
        let (a, b, c) = (vocab.intern("a"), vocab.intern("b"), vocab.intern("c"));
        let mut index = WordIndex::new(&numbered("a b x a b a", &vocab));
        assert_eq!(index.positions(a).collect::<Vec<_>>(), [0, 3, 5]);
        assert_eq!(index.positions(b).collect::<Vec<_>>(), [1, 4]);
        assert_eq!(index.last(b), Some(4));
        assert_eq!(index.distinct().collect::<Vec<_>>(), [a, b]);
        index.set(&numbered("c a", &vocab));
        assert_eq!(index.positions(a).collect::<Vec<_>>(), [1]);
        assert_eq!(index.positions(b).count(), 0);
        assert_eq!(index.last(b), None);
        assert_eq!(index.last(c), Some(0));
        assert_eq!(index.distinct().collect::<Vec<_>>(), [c, a]);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use crate::pack::diag::Pos;
    use crate::pattern::{compile, parse::properties::Any, parse_pattern, Vocab};
    use crate::text::{tokenize, Abbreviations};
    use proptest::prelude::*;

    fn program(pattern: &str, vocab: &mut Vocab) -> Option<Program> {
        let chars: Vec<(char, Pos)> = pattern.chars().enumerate().map(|(i, c)| (c, Pos { line: 1, col: i + 1 })).collect();
        let node = parse_pattern(&chars, Pos { line: 1, col: chars.len() + 1 }, &Abbreviations::default()).ok()?;
        compile(&node, &Any, vocab, Pos { line: 1, col: 1 }).ok().map(|(p, _)| p)
    }

    /// A sentence of `words`, the tokens marked in `typed` being mentions of
    /// type 0, numbered by `vocab` (after the programs are compiled).
    struct Sentence {
        text: String,
        tokens: Vec<Token>,
        mentions: MentionIndex,
        words: WordIndex,
    }

    impl Sentence {
        fn new(words: &[String], typed: &[bool], vocab: &Vocab) -> Self {
            let text = words.join(" ");
            let mut tokens = tokenize(&text, 0..text.len(), &Abbreviations::default());
            let mut mentions = MentionIndex::default();
            mentions.set(tokens.len(), (0..tokens.len()).filter(|k| typed[*k]).map(|k| (k, MentionAt { id: k, end: k + 1, type_bit: 1, form: 0 })));
            vocab.assign(&mut tokens);
            let words = WordIndex::new(&tokens);
            Sentence { text, tokens, mentions, words }
        }

        fn input(&self) -> Input<'_> {
            Input { text: &self.text, tokens: &self.tokens, mentions: &self.mentions, words: &self.words, start: crate::text::list_marker_len(&self.tokens) }
        }
    }

    /// The (start, end) of every match of `p` in a sentence of these
    /// space-separated words, none of them a mention.
    fn spans(p: &Program, text: &str, vocab: &Vocab) -> Vec<(usize, usize)> {
        let words: Vec<String> = text.split(' ').map(String::from).collect();
        let sentence = Sentence::new(&words, &vec![false; words.len()], vocab);
        find_all(p, &sentence.input()).iter().map(|m| (m.start(), m.end())).collect()
    }

    #[test]
    fn a_look_behind_tests_the_token_before_and_consumes_nothing() {
        let mut vocab = Vocab::default();
        let not_after_a = program("(?<!a) b", &mut vocab).unwrap();
        let after_a = program("x:((?<=a) b c?)", &mut vocab).unwrap();
        // At the start of the sentence there is no token before: `(?<!a)` holds.
        assert_eq!(spans(&not_after_a, "b a b c b", &vocab), [(0, 1), (4, 5)]);
        assert_eq!(spans(&after_a, "b a b c b", &vocab), [(2, 4)]);
        assert!(program("(?<!a b) c", &mut vocab).is_none());
        assert!(program("(?<!a)* c", &mut vocab).is_none());
    }

    #[test]
    fn a_look_ahead_tests_the_token_after_and_the_match_ends_before_it() {
        let mut vocab = Vocab::default();
        let not_before_a = program("b (?!a)", &mut vocab).unwrap();
        let before_c = program("x:(a? b (?=c))", &mut vocab).unwrap();
        // At the end of the sentence there is no token after: `(?!a)` holds.
        assert_eq!(spans(&not_before_a, "b a b c a b", &vocab), [(2, 3), (5, 6)]);
        assert_eq!(spans(&before_c, "b a b c a b", &vocab), [(1, 3)]);
        assert!(program("(?=a)+ c", &mut vocab).is_none());
    }

    /// `(?![T])` holds where no mention of the type starts, `(?=[T])` where
    /// one does; neither takes the mention in.
    #[test]
    fn a_mention_look_ahead_tests_where_a_mention_starts_and_consumes_nothing() {
        let mut vocab = Vocab::default();
        let no_mention = program("a ((?![T]) _)+", &mut vocab).unwrap();
        let mention_next = program("a (?=[T])", &mut vocab).unwrap();
        let words: Vec<String> = "a b c d".split(' ').map(String::from).collect();
        // "c" opens a mention: the words before it go on, it does not.
        let sentence = Sentence::new(&words, &[false, false, true, false], &vocab);
        let found = |p: &Program| find_all(p, &sentence.input()).iter().map(|m| (m.start(), m.end())).collect::<Vec<_>>();
        assert_eq!(found(&no_mention), [(0, 2)]);
        assert!(found(&mention_next).is_empty());
        let sentence = Sentence::new(&words, &[false, true, false, false], &vocab);
        let found = |p: &Program| find_all(p, &sentence.input()).iter().map(|m| (m.start(), m.end())).collect::<Vec<_>>();
        assert_eq!(found(&mention_next), [(0, 1)]);
        assert!(found(&no_mention).is_empty());
    }

    #[test]
    fn a_match_begins_only_where_both_its_first_and_its_next_tests_pass() {
        let mut vocab = Vocab::default();
        let p = program("(a|b) c? d <Cap>", &mut vocab).unwrap();
        let words: Vec<String> = "a x b d Y a c d Z".split(' ').map(String::from).collect();
        let sentence = Sentence::new(&words, &[false; 9], &vocab);
        let (mut starts, mut other) = (Vec::new(), Vec::new());
        assert!(candidates(&p, &sentence.input(), usize::MAX, &mut starts, &mut other));
        // "a" at 0 and 5 and "b" at 2 pass the first test; only those with
        // "d" next, or "c d", may begin a match.
        assert_eq!(starts, [2, 5]);
        assert_eq!(spans(&p, "a x b d Y a c d Z", &vocab), [(2, 5), (5, 9)]);
        // After a mention, the next test's offset is unknown: no second set.
        assert!(program("[T x] d", &mut vocab).unwrap().then.is_none());
    }

    #[test]
    fn the_start_of_a_sentence_is_also_after_a_list_marker() {
        let mut vocab = Vocab::default();
        let p = program("^ a b", &mut vocab).unwrap();
        assert_eq!(spans(&p, "a b a b", &vocab), [(0, 2)]);
        assert_eq!(spans(&p, "( 5 ) a b", &vocab), [(3, 5)]);
        assert_eq!(spans(&p, "4 ) a b", &vocab), [(2, 4)]);
        assert_eq!(spans(&p, "\u{2022} a b", &vocab), [(1, 3)]);
        assert!(spans(&p, "x a b", &vocab).is_empty());
        assert!(spans(&p, "( 5 ) x a b", &vocab).is_empty());
    }

    #[test]
    fn a_negated_set_rejects_a_token_any_of_its_tests_passes() {
        let mut vocab = Vocab::default();
        let p = program("a !(b|/c+/|<Cap>){1,3} d", &mut vocab).unwrap();
        assert_eq!(spans(&p, "a x y d", &vocab), [(0, 4)]);
        assert!(spans(&p, "a b d", &vocab).is_empty());
        assert!(spans(&p, "a x ccc d", &vocab).is_empty());
        assert!(spans(&p, "a X d", &vocab).is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        // Candidate starts, the required words and types, and the start
        // limit only skip work: they find what seeding a thread at every
        // token finds.
        #[test]
        fn shortcuts_find_what_the_plain_vm_finds(
            pattern in "(\\^ )?((a|b|c|@w|~2|<Cap>|\\[T x\\]|\\(a \\| b\\)|c\\?|\\(\\?<!a\\)|\\(\\?<=<Cap>\\)|\\(\\?!b\\)|\\(\\?=<Cap>\\)|!\\(b\\|<Cap>\\)) ){1,4}(\\$)?",
            words in proptest::collection::vec("(a|b|c|d|A|B)", 0..12),
            typed in proptest::collection::vec(any::<bool>(), 12),
        ) {
            let mut vocab = Vocab::default();
            let Some(fast) = program(&pattern, &mut vocab) else { return Ok(()) };
            let plain = Program { first: None, then: None, ..fast.clone() };
            let sentence = Sentence::new(&words, &typed, &vocab);
            let input = sentence.input();
            let expected = find_all(&plain, &input);
            let mut last_type = [usize::MAX; 64];
            last_type[0] = (0..sentence.tokens.len()).filter(|&k| typed[k]).max().unwrap_or(usize::MAX);
            let got = match latest_start(&fast, &sentence.words, &last_type) {
                Some(limit) => find_all_with(&fast, &input, &mut Cache::default(), limit),
                None => Vec::new(),
            };
            prop_assert_eq!(got, expected);
        }

        // A program compiled with a vocabulary of its own, then renumbered
        // into a shared one (as pack loading compiles rules in parallel),
        // finds what the same program compiled with the shared one finds.
        #[test]
        fn a_renumbered_program_finds_what_it_found(
            pattern in "(\\^ )?((a|b|c|@w|~2|<Cap>|\\[T x\\]|\\(a \\| b\\)|c\\?|!a|\\(\\?<!b\\)) ){1,4}(\\$)?",
            earlier in "(c|d|e)( (b|x|y)){0,3}",
            words in proptest::collection::vec("(a|b|c|d|A|B)", 0..12),
            typed in proptest::collection::vec(any::<bool>(), 12),
        ) {
            // The shared vocabulary already numbers other words, in another order.
            let mut shared = Vocab::default();
            let Some(_) = program(&earlier, &mut shared) else { return Ok(()) };
            let mut with_shared = shared.clone();
            let Some(expected_program) = program(&pattern, &mut with_shared) else { return Ok(()) };
            let mut own = Vocab::default();
            let Some(mut renumbered) = program(&pattern, &mut own) else { return Ok(()) };
            let map: Vec<u32> = own.words().into_iter().map(|w| shared.intern(w)).collect();
            renumbered.renumber(&map);
            let sentence = Sentence::new(&words, &typed, &shared);
            prop_assert_eq!(find_all(&renumbered, &sentence.input()), find_all(&expected_program, &sentence.input()));
            prop_assert_eq!(&renumbered.required_ids, &expected_program.required_ids);
        }

        // The closures worked out when compiling lead where following the
        // instructions one by one leads: the same matches, the same captures.
        // So do those of the prefixes `explain` runs to find where a rule
        // failed, from every start (prefixes that kept the whole pattern's
        // closures once led to a `Save` and a panic).
        #[test]
        fn closures_find_what_following_the_instructions_finds(
            pattern in "(\\^ )?((a|b|<Cap>|\\[T x\\]|c\\?|\\(a \\| \\$\\)|\\(\\^ \\| b\\)|n:\\(a b\\?\\)|m:\\(c\\)\\*|\\(a\\?\\)\\+|\\(\\^ \\| c\\?\\)|\\(a\\? \\| \\$\\)|~2|\\(\\?<!b\\)|\\(\\?<=a\\)) ){1,4}(\\$)?",
            words in proptest::collection::vec("(a|b|c|d|A|B)", 0..12),
            typed in proptest::collection::vec(any::<bool>(), 12),
        ) {
            let mut vocab = Vocab::default();
            let Some(closed) = program(&pattern, &mut vocab) else { return Ok(()) };
            let open = |p: &Program| Program { closures: Default::default(), ..p.clone() };
            let sentence = Sentence::new(&words, &typed, &vocab);
            let input = sentence.input();
            prop_assert_eq!(find_all(&closed, &input), find_all(&open(&closed), &input));
            for cut in closed.cuts() {
                let prefix = closed.prefix_before(cut);
                for start in 0..=words.len() {
                    prop_assert_eq!(find_at(&prefix, &input, start), find_at(&open(&prefix), &input, start));
                }
            }
        }

        // A counted repetition compiles its element once and copies the
        // instructions: it finds what the repetition written out in full,
        // each element compiled on its own, finds.
        #[test]
        fn a_counted_repetition_finds_what_it_written_out_finds(
            atom in "(a|b c\\?|\\(a \\| b c\\)|~1 c|<Cap>|@w|\\[T x\\] b\\?|n:\\(b a\\?\\)|\\(a \\| b\\)\\+)",
            min in 0u32..3,
            extra in 0u32..3,
            lazy in any::<bool>(),
            words in proptest::collection::vec("(a|b|c|d|A|B)", 0..12),
            typed in proptest::collection::vec(any::<bool>(), 12),
        ) {
            prop_assume!(min + extra > 0);
            let q = if lazy { "?" } else { "" };
            let counted = format!("d? ({atom}){{{min},{}}}{q} c?", min + extra);
            let mut optional = String::new();
            for _ in 0..extra {
                optional = format!("(({atom}) {optional})?{q} ");
            }
            let written = format!("d? {}{optional}c?", format!("({atom}) ").repeat(min as usize));
            let mut vocab = Vocab::default();
            let (Some(copied), Some(compiled)) = (program(&counted, &mut vocab), program(&written, &mut vocab)) else { return Ok(()) };
            let sentence = Sentence::new(&words, &typed, &vocab);
            prop_assert_eq!(find_all(&copied, &sentence.input()), find_all(&compiled, &sentence.input()), "{} / {}", counted, written);
        }
    }
}
