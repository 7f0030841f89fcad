//! Compiles a pattern's syntax tree to a [`Program`]: names of types, word
//! lists and classes are resolved here, and every unknown one is reported.

use super::ast::{Node, Slot, TokenTest};
use super::parse::PatternError;
use super::program::{Inst, Program, TokenClass, TokenPred, TokenRegex, Vocab};
use crate::pack::diag::suggest;
use std::sync::Arc;

/// What a pattern may name, as declared by the pack.
pub trait Names {
    fn type_mask(&self, name: &str) -> Option<u64>;
    fn type_names(&self) -> Vec<String>;
    fn form_id(&self, name: &str) -> Option<u16>;
    fn form_names(&self) -> Vec<String>;
    /// Entries of a word list, each a sequence of folded tokens.
    fn words(&self, name: &str) -> Option<Vec<Vec<String>>>;
    fn word_list_names(&self) -> Vec<String>;
}

/// Variables and captures a pattern binds, in order of appearance.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Bindings {
    pub vars: Vec<String>,
    pub captures: Vec<String>,
}

impl Bindings {
    pub fn var(&self, name: &str) -> Option<u16> {
        self.vars.iter().position(|v| v == name).map(|i| i as u16)
    }
    pub fn capture(&self, name: &str) -> Option<usize> {
        self.captures.iter().position(|v| v == name)
    }
}

const MAX_REPEAT: u32 = 64;

/// Compiles a pattern. Words become numbers of `vocab`, the pack's shared
/// vocabulary, which tokens carry once [`Vocab::assign`] has numbered them.
pub fn compile(node: &Node, names: &dyn Names, vocab: &mut Vocab, pos: crate::pack::diag::Pos) -> Result<(Program, Bindings), Vec<PatternError>> {
    let mut c = Compiler { insts: Vec::new(), pos, names, vocab, errors: Vec::new(), bindings: Bindings::default() };
    collect_bindings(node, &mut c.bindings);
    c.insts.push(Inst::Save(0));
    c.node(node);
    c.insts.push(Inst::Save(1));
    c.insts.push(Inst::Match);
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    let mut needs = Needs::default();
    required(node, names, &stop_words(names), &mut needs);
    let slots = 2 + 2 * c.bindings.captures.len();
    let required_ids = needs.words.iter().map(|any| any.iter().map(|w| c.vocab.intern(w)).collect()).collect();
    let program = Program { insts: c.insts, slots, required_words: needs.words, required_ids, required_types: needs.types, first: None, then: None, closures: Default::default() };
    Ok((program.with_first_set().with_closures(), c.bindings))
}

fn collect_bindings(node: &Node, b: &mut Bindings) {
    match node {
        Node::Seq(v) | Node::Alt(v) => v.iter().for_each(|n| collect_bindings(n, b)),
        Node::Repeat { node, .. } => collect_bindings(node, b),
        Node::Capture { name, node } => {
            if !b.captures.contains(name) {
                b.captures.push(name.clone());
            }
            collect_bindings(node, b);
        }
        Node::Slot(Slot { var: Some(v), .. }) if !b.vars.contains(v) => b.vars.push(v.clone()),
        _ => {}
    }
}

/// A disjunction of more words than this is not worth testing.
const MAX_ALTERNATIVES: usize = 64;

/// What every match holds: words (for each requirement, at least one of
/// its words) and mentions (for each mask, a mention of one of its types).
#[derive(Default)]
struct Needs {
    words: Vec<Vec<String>>,
    types: Vec<u64>,
}

/// The requirements of a pattern, so that sentences lacking them are
/// rejected without running it. An alternation requires one of what its
/// branches require: `(soutient|appuie)` needs `soutient` or `appuie`.
fn required(node: &Node, names: &dyn Names, stop: &rustc_hash::FxHashSet<String>, needs: &mut Needs) {
    match node {
        Node::Seq(v) => v.iter().for_each(|n| required(n, names, stop, needs)),
        Node::Repeat { node, min, .. } if *min > 0 => required(node, names, stop, needs),
        Node::Capture { node, .. } => required(node, names, stop, needs),
        Node::Token(TokenTest::Literal(w)) => needs.words.push(vec![w.clone()]),
        Node::Token(TokenTest::Regex { source, .. }) => {
            if let Some(words) = regex_words(source).filter(|w| w.len() <= MAX_ALTERNATIVES) {
                needs.words.push(words);
            }
        }
        Node::Lexicon { name, .. } => {
            let entries = names.words(name).unwrap_or_default();
            // Any word of an entry is required by it. The rarest wakes the
            // rule in fewest sentences: not a stop word, then the longest
            // ("the hon ." needs "hon").
            let rarity = |w: &&String| (!stop.contains(w.as_str()), w.chars().count());
            let mut keys: Vec<String> = entries.iter().filter_map(|e| e.iter().rev().max_by_key(rarity).cloned()).collect();
            keys.sort();
            keys.dedup();
            if !entries.is_empty() && entries.iter().all(|e| !e.is_empty()) && keys.len() <= MAX_ALTERNATIVES {
                needs.words.push(keys);
            }
        }
        Node::Slot(slot) if !slot.types.is_empty() => {
            let mask = slot.types.iter().filter_map(|(t, _)| names.type_mask(t)).fold(0, |a, b| a | b);
            needs.types.push(mask);
        }
        Node::Alt(branches) => {
            let each: Vec<Needs> = branches
                .iter()
                .map(|b| {
                    let mut n = Needs::default();
                    required(b, names, stop, &mut n);
                    n
                })
                .collect();
            // Per branch, its requirement likeliest rare: one without stop
            // words (a stop word wakes nothing, so a group holding one
            // wakes the rule everywhere: "the" before "signed"), then the
            // narrowest, then of longer words; the alternation needs one
            // of them.
            // Punctuation counts as a stop word: a branch that needs ","
            // would wake the rule in nearly every sentence.
            let common = |x: &str| stop.contains(x) || !x.chars().any(char::is_alphanumeric);
            let words: Option<Vec<String>> = each.iter().try_fold(Vec::new(), |mut acc, n| {
                let stops = |w: &Vec<String>| w.iter().filter(|x| common(x.as_str())).count();
                let shortest = |w: &Vec<String>| w.iter().map(|x| x.chars().count()).min().unwrap_or(0);
                acc.extend(n.words.iter().min_by_key(|w| (stops(w) > 0, w.len(), stops(w), std::cmp::Reverse(shortest(w))))?.iter().cloned());
                Some(acc)
            });
            if let Some(mut words) = words {
                words.sort();
                words.dedup();
                if words.len() <= MAX_ALTERNATIVES {
                    needs.words.push(words);
                }
            }
            if let Some(mask) = each.iter().try_fold(0u64, |acc, n| Some(acc | *n.types.iter().min_by_key(|m| m.count_ones())?)) {
                needs.types.push(mask);
            }
            // What every branch needs, the alternation needs whole: with
            // two branches that each name a person and a position, a
            // sentence with no position wakes neither.
            if let Some((first, rest)) = each.split_first() {
                needs.types.extend(first.types.iter().filter(|m| rest.iter().all(|n| n.types.contains(m))));
                let telling = |w: &&Vec<String>| !w.iter().any(|x| common(x.as_str())) && !needs.words.contains(*w);
                let shared: Vec<Vec<String>> = first.words.iter().filter(|w| rest.iter().all(|n| n.words.contains(w))).filter(telling).cloned().collect();
                needs.words.extend(shared);
            }
        }
        _ => {}
    }
}

/// The words a whole-token regex matches, folded, when it matches only
/// words it spells out (`/ministre|président/`): a token it matches folds to
/// one of them, so the rule can wait for those words like for a list.
fn regex_words(source: &str) -> Option<Vec<String>> {
    let mut words: Vec<String> = regex_literals(source)?.iter().map(|w| crate::text::fold(w)).collect();
    words.sort();
    words.dedup();
    (!words.is_empty() && words.iter().all(|w| !w.is_empty())).then_some(words)
}

/// The strings a regex matches, as written, when it spells out all of them.
pub(super) fn regex_literals(source: &str) -> Option<Vec<String>> {
    let hir = regex_syntax::Parser::new().parse(source).ok()?;
    let literals = regex_syntax::hir::literal::Extractor::new().extract(&hir);
    if !literals.is_exact() {
        return None;
    }
    literals.literals()?.iter().map(|l| String::from_utf8(l.as_bytes().to_vec()).ok()).collect()
}

/// The pack's stop words (the `stopwords` lists, a pack convention): the
/// words of a requirement least able to tell sentences apart.
fn stop_words(names: &dyn Names) -> rustc_hash::FxHashSet<String> {
    names.words("stopwords").unwrap_or_default().into_iter().filter(|e| e.len() == 1).flatten().collect()
}

/// `source` as a regex a whole token must match.
fn whole_token_regex(source: &str) -> Result<Arc<TokenRegex>, regex::Error> {
    // Checked here, where an error can point at the rule.
    shared_regex(&format!("^(?:{source})$"), TokenRegex::new)
}

/// The regex of this source, made by `make` unless another rule made it
/// before. Packs repeat a regex in many rules (through word lists, named
/// patterns and copies), and compiling one costs some 200,000
/// instructions, so each source is compiled at most once per process,
/// whether a rule file or a compiled pack (`pack::cache`) gives it. Shared whole,
/// not cloned: a `Regex` clone shares the program but not the matching
/// caches, which each clone grew in each thread (2,200 tests share 290
/// sources in the shipped pack).
pub(crate) fn shared_regex(source: &str, make: impl FnOnce(&str) -> Result<TokenRegex, regex::Error>) -> Result<Arc<TokenRegex>, regex::Error> {
    static SHARED: std::sync::LazyLock<std::sync::Mutex<rustc_hash::FxHashMap<String, Arc<TokenRegex>>>> = std::sync::LazyLock::new(Default::default);
    let mut shared = SHARED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(re) = shared.get(source) {
        return Ok(re.clone());
    }
    let re = Arc::new(make(source)?);
    shared.insert(source.to_string(), re.clone());
    Ok(re)
}

struct Compiler<'a> {
    insts: Vec<Inst>,
    /// Where the pattern starts, for errors with no better place.
    pos: crate::pack::diag::Pos,
    names: &'a dyn Names,
    vocab: &'a mut Vocab,
    errors: Vec<PatternError>,
    bindings: Bindings,
}

impl Compiler<'_> {
    fn push(&mut self, inst: Inst) -> usize {
        self.insts.push(inst);
        self.insts.len() - 1
    }

    fn patch_split(&mut self, at: usize, a: usize, b: usize) {
        self.insts[at] = Inst::Split(a, b);
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::Seq(items) => items.iter().for_each(|n| self.node(n)),
            Node::Alt(branches) => self.alt(branches),
            Node::Repeat { node, min, max, greedy } => self.repeat(node, *min, *max, *greedy),
            Node::Capture { name, node } => {
                let k = self.bindings.capture(name).unwrap();
                self.push(Inst::Save(2 + 2 * k));
                self.node(node);
                self.push(Inst::Save(3 + 2 * k));
            }
            Node::Token(test) => {
                if let Some(pred) = self.token_pred(test) {
                    self.push(Inst::Token(pred));
                }
            }
            Node::Slot(slot) => self.slot(slot),
            Node::Lexicon { name, pos } => match self.names.words(name) {
                Some(entries) => self.words(&entries),
                None => {
                    let help = suggest(name, self.names.word_list_names().iter().map(String::as_str));
                    let e = PatternError::new(pos.clone(), name.chars().count() + 1, format!("unknown word list `@{name}`"));
                    self.errors.push(e.with_help(help));
                }
            },
            // The pack loader replaces every `&name` by its pattern; one
            // left here had no pattern to name.
            Node::Include { name, pos } => self.errors.push(PatternError::unknown_pattern(name, pos.clone())),
            Node::Not { node, pos } => {
                if let Some(pred) = self.one_token(node, pos) {
                    self.push(Inst::Token(TokenPred::Not(Box::new(pred))));
                }
            }
            Node::Look { node, negate, ahead: true, .. } if matches!(node.as_ref(), Node::Slot(_)) => {
                let Node::Slot(slot) = node.as_ref() else { unreachable!() };
                let (types, form) = self.slot_test(slot);
                self.push(Inst::AssertMention { types, form, negate: *negate });
            }
            Node::Look { node, negate, ahead, pos } => {
                let pred = match node.as_ref() {
                    Node::Not { node, pos } => self.one_token(node, pos).map(|p| TokenPred::Not(Box::new(p))),
                    _ => self.one_token(node, pos),
                };
                if let Some(pred) = pred {
                    self.push(Inst::Assert { pred: Box::new(pred), negate: *negate, ahead: *ahead });
                }
            }
            Node::Gap { min, max } => {
                for _ in 0..*min {
                    self.push(Inst::Token(TokenPred::Any));
                }
                let mut holes = Vec::new();
                for _ in *min..*max {
                    holes.push(self.push(Inst::Jmp(0)));
                    self.push(Inst::Token(TokenPred::Any));
                }
                let end = self.insts.len();
                for h in holes {
                    self.patch_split(h, end, h + 1);
                }
            }
            Node::Start => {
                self.push(Inst::AssertStart);
            }
            Node::End => {
                self.push(Inst::AssertEnd);
            }
        }
    }

    /// The test of a one-token element (`!x`'s and a look-behind's operand).
    fn one_token(&mut self, node: &Node, pos: &crate::pack::diag::Pos) -> Option<TokenPred> {
        match node {
            // `!(a|b)`: words become one set; other tests are tried in turn.
            Node::Alt(branches) => {
                let preds: Vec<TokenPred> = branches.iter().map(|b| self.one_token(b, pos)).collect::<Option<_>>()?;
                let mut ids = Vec::new();
                let mut others = Vec::new();
                for p in preds {
                    match p {
                        TokenPred::Word { id, .. } => ids.push(id),
                        TokenPred::Words { ids: more } => ids.extend(more.iter().copied()),
                        p => others.push(p),
                    }
                }
                if !ids.is_empty() {
                    ids.sort_unstable();
                    ids.dedup();
                    others.push(TokenPred::Words { ids: ids.into() });
                }
                Some(if others.len() == 1 { others.pop().unwrap() } else { TokenPred::AnyOf(others.into()) })
            }
            Node::Token(test) => self.token_pred(test),
            Node::Seq(v) => match v.as_slice() {
                [Node::Token(test)] => self.token_pred(test),
                _ => None,
            },
            Node::Lexicon { name, .. } => match self.names.words(name) {
                Some(entries) if entries.iter().all(|e| e.len() == 1) => Some(self.word_set(entries.into_iter().map(|mut e| e.remove(0)).collect())),
                Some(_) => {
                    self.errors.push(PatternError::new(pos.clone(), name.chars().count() + 2, format!("`@{name}` has entries of several words; `!`, look-behinds and look-aheads test one token")));
                    None
                }
                None => {
                    self.node(node);
                    None
                }
            },
            _ => None,
        }
    }

    fn alt(&mut self, branches: &[Node]) {
        let mut jumps = Vec::new();
        for (i, b) in branches.iter().enumerate() {
            if i + 1 < branches.len() {
                let split = self.push(Inst::Jmp(0));
                self.node(b);
                jumps.push(self.push(Inst::Jmp(0)));
                let next = self.insts.len();
                self.patch_split(split, split + 1, next);
            } else {
                self.node(b);
            }
        }
        let end = self.insts.len();
        for j in jumps {
            self.insts[j] = Inst::Jmp(end);
        }
    }

    fn repeat(&mut self, node: &Node, min: u32, max: Option<u32>, greedy: bool) {
        if min > MAX_REPEAT || max.is_some_and(|m| m > MAX_REPEAT) {
            self.errors.push(PatternError::new(self.pos.clone(), 1, format!("repetition bounds above {MAX_REPEAT}")));
            return;
        }
        let mut first = None;
        for _ in 0..min {
            self.node_again(node, &mut first);
        }
        let order = |a: usize, b: usize| if greedy { (a, b) } else { (b, a) };
        match max {
            None => {
                let split = self.push(Inst::Jmp(0));
                self.node_again(node, &mut first);
                self.push(Inst::Jmp(split));
                let end = self.insts.len();
                let (a, b) = order(split + 1, end);
                self.patch_split(split, a, b);
            }
            Some(max) => {
                let mut holes = Vec::new();
                for _ in min..max {
                    holes.push(self.push(Inst::Jmp(0)));
                    self.node_again(node, &mut first);
                }
                let end = self.insts.len();
                for h in holes {
                    let (a, b) = order(h + 1, end);
                    self.patch_split(h, a, b);
                }
            }
        }
    }

    /// `node` once more in a repetition: compiled the first time (its
    /// instructions' span kept in `first`), then a copy of those
    /// instructions with their jumps moved. Compiling `(!@list){0,20}` twenty
    /// times made sets of the list twenty times, and reported its errors so.
    fn node_again(&mut self, node: &Node, first: &mut Option<(usize, usize)>) {
        let Some((start, end)) = *first else {
            let start = self.insts.len();
            self.node(node);
            *first = Some((start, self.insts.len()));
            return;
        };
        let shift = self.insts.len() - start;
        // A jump inside the span, or to its end, moves with the copy.
        let moved = |to: usize| if (start..=end).contains(&to) { to + shift } else { to };
        for i in start..end {
            let inst = match &self.insts[i] {
                Inst::Split(a, b) => Inst::Split(moved(*a), moved(*b)),
                Inst::Jmp(a) => Inst::Jmp(moved(*a)),
                other => other.clone(),
            };
            self.insts.push(inst);
        }
    }

    fn words(&mut self, entries: &[Vec<String>]) {
        let single: rustc_hash::FxHashSet<String> = entries.iter().filter(|e| e.len() == 1).map(|e| e[0].clone()).collect();
        let multi: Vec<Node> = entries.iter().filter(|e| e.len() > 1).map(|e| Node::Seq(e.iter().map(|w| Node::Token(TokenTest::Literal(w.clone()))).collect())).collect();
        let single = self.word_set(single);
        if multi.is_empty() {
            self.push(Inst::Token(single));
            return;
        }
        let split = self.push(Inst::Jmp(0));
        self.alt(&multi);
        let jump = self.push(Inst::Jmp(0));
        let set = self.push(Inst::Token(single));
        let end = self.insts.len();
        self.patch_split(split, split + 1, set);
        self.insts[jump] = Inst::Jmp(end);
    }

    /// One of several words, by their numbers (sorted, for binary search).
    fn word_set(&mut self, words: rustc_hash::FxHashSet<String>) -> TokenPred {
        let mut ids: Vec<u32> = words.iter().map(|w| self.vocab.intern(w)).collect();
        ids.sort_unstable();
        TokenPred::Words { ids: ids.into() }
    }

    fn token_pred(&mut self, test: &TokenTest) -> Option<TokenPred> {
        Some(match test {
            TokenTest::Literal(w) => TokenPred::Word { id: self.vocab.intern(w) },
            TokenTest::Stem(w) => TokenPred::Stem(w.as_str().into()),
            TokenTest::Any => TokenPred::Any,
            TokenTest::Regex { source, pos } => match whole_token_regex(source) {
                Ok(re) => TokenPred::Regex(re),
                Err(e) => {
                    let msg = e.to_string();
                    let last = msg.lines().last().unwrap_or("").trim().to_string();
                    self.errors.push(PatternError::new(pos.clone(), source.chars().count() + 2, format!("invalid regex: {last}")));
                    return None;
                }
            },
            TokenTest::Class { name, pos } => match TokenClass::from_name(name) {
                Some(c) => TokenPred::Class(c),
                None => {
                    let e = PatternError::new(pos.clone(), name.chars().count() + 2, format!("unknown token class `<{name}>`"));
                    self.errors.push(e.with_help(suggest(name, TokenClass::NAMES)));
                    return None;
                }
            },
        })
    }

    fn slot(&mut self, slot: &Slot) {
        let (types, form) = self.slot_test(slot);
        let var = slot.var.as_deref().and_then(|v| self.bindings.var(v));
        self.push(Inst::Slot { types, form, var });
    }

    /// The types and name form a slot accepts, its errors reported.
    fn slot_test(&mut self, slot: &Slot) -> (u64, u16) {
        let mut mask = 0u64;
        for (name, pos) in &slot.types {
            match self.names.type_mask(name) {
                Some(m) => mask |= m,
                None => {
                    let help = suggest(name, self.names.type_names().iter().map(String::as_str));
                    let e = PatternError::new(pos.clone(), name.chars().count(), format!("unknown entity type `{name}`"));
                    self.errors.push(e.with_help(help));
                }
            }
        }
        if slot.types.is_empty() {
            mask = u64::MAX;
        }
        let form = match &slot.form {
            None => 0,
            Some(f) => match self.names.form_id(f) {
                Some(id) => id,
                None => {
                    let help = suggest(f, self.names.form_names().iter().map(String::as_str));
                    let e = PatternError::new(slot.pos.clone(), 1, format!("unknown name form `{f}`"));
                    self.errors.push(e.with_help(help));
                    0
                }
            },
        };
        (mask, form)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::diag::Pos;
    use crate::pattern::parse_pattern;

    /// Two entity types, a word list of honorifics (one of several
    /// words), and stop words.
    struct Honorifics;
    impl Names for Honorifics {
        fn type_mask(&self, name: &str) -> Option<u64> {
            ["Person", "Position"].iter().position(|t| *t == name).map(|i| 1 << i)
        }
        fn type_names(&self) -> Vec<String> {
            vec!["Person".into(), "Position".into()]
        }
        fn form_id(&self, _: &str) -> Option<u16> {
            None
        }
        fn form_names(&self) -> Vec<String> {
            Vec::new()
        }
        fn words(&self, name: &str) -> Option<Vec<Vec<String>>> {
            let entries: &[&[&str]] = match name {
                "honorific" => &[&["mr."], &["the", "hon", "."]],
                "stopwords" => &[&["the"], &["of"]],
                _ => return None,
            };
            Some(entries.iter().map(|e| e.iter().map(|w| w.to_string()).collect()).collect())
        }
        fn word_list_names(&self) -> Vec<String> {
            vec!["honorific".into(), "stopwords".into()]
        }
    }

    fn compiled(pattern: &str) -> Program {
        let chars: Vec<(char, Pos)> = pattern.chars().enumerate().map(|(i, c)| (c, Pos { line: 1, col: i + 1 })).collect();
        let node = parse_pattern(&chars, Pos { line: 1, col: chars.len() + 1 }, &crate::text::Abbreviations::default()).unwrap();
        compile(&node, &Honorifics, &mut Vocab::default(), Pos { line: 1, col: 1 }).unwrap().0
    }

    fn required_words(pattern: &str) -> Vec<Vec<String>> {
        compiled(pattern).required_words
    }

    #[test]
    fn a_requirement_names_the_rarest_word_of_each_entry_or_branch() {
        // "the hon ." wakes on "hon", not on the stop word "the".
        assert_eq!(required_words("@honorific <Cap>"), [["hon", "mr."]]);
        // Of two single-word needs of a branch, the one that is no stop word.
        assert_eq!(required_words("(of minister | envoy) <Cap>"), [["envoy", "minister"]]);
        // A branch's narrower need that holds a stop word gives way to a
        // wider one without: "the" would wake the rule everywhere.
        assert_eq!(required_words("(signed | sign) the <Cap> | signs the <Upper>"), [["sign", "signed", "signs"]]);
        // Punctuation is as common as a stop word: the branch needs "member".
        assert_eq!(required_words("<Cap> \",\" (member | members) <Cap> | <Cap> members <Cap>"), [["member", "members"]]);
        // Each word every branch needs, the alternation needs as well.
        assert_eq!(required_words("special envoy <Cap> | envoy special <Upper>"), [["special"], ["envoy"]]);
    }

    #[test]
    fn a_mention_type_every_branch_needs_is_needed() {
        let types = compiled("[Person s] \",\" the [Position p] | [Person s] \",\" [Position p] \".\"").required_types;
        // Each branch's narrowest need (a person), then what both need whole.
        assert!(types.contains(&1) && types.contains(&2), "{types:?}");
    }

    #[test]
    fn a_regex_spelling_out_its_words_requires_one_of_them_folded() {
        assert_eq!(required_words("/ministre|Président|(?i:envoy)/ <Cap>"), [["envoy", "ministre", "president"]]);
        // Open-ended or empty-matching regexes require nothing.
        assert!(required_words("/[A-Z][a-z]+/ <Cap>").is_empty());
        assert_eq!(required_words("/minist(re|er)s?/"), [["minister", "ministers", "ministre", "ministres"]]);
        assert!(required_words("/(ministre)?/ <Cap>").is_empty());
    }
}
