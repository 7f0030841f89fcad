//! Tools for rule writers: running the examples rules carry, and finding
//! the rules that came closest to yielding a relation in a sentence.

use crate::extract::{DocExtraction, Document, Extractor, Mention, Object};
use crate::pack::{Action, Pack, Rule};
use crate::pattern::{find_at, Input, Inst, Program};
use crate::text::{fold, Sentence};
use rustc_hash::FxHashSet as HashSet;

fn labels_of(ex: &DocExtraction, e: usize) -> Vec<String> {
    let mut v: Vec<String> = ex.entities[e].labels.iter().map(|(_, l)| fold(l)).collect();
    v.push(fold(&ex.entities[e].key));
    v
}

/// Runs every example of every rule, on every core; returns a message per
/// failure, in the order of the rules and their examples.
pub fn run_examples(pack: &Pack) -> Vec<String> {
    use rayon::prelude::*;
    let ex = Extractor::new(pack);
    let examples: Vec<(usize, &Rule, &crate::pack::Example)> = pack.rules.iter().enumerate().flat_map(|(me, rule)| rule.examples.iter().map(move |e| (me, rule, e))).collect();
    examples.par_iter().flat_map_iter(|&(me, rule, example)| example_failures(pack, &ex, me, rule, example)).collect()
}

/// The failures of one example of the rule numbered `me`.
fn example_failures(pack: &Pack, ex: &Extractor, me: usize, rule: &Rule, example: &crate::pack::Example) -> Vec<String> {
    let mut failures = Vec::new();
    let doc = Document { id: "example".into(), text: example.text.clone(), lang: rule.lang.clone(), ..Default::default() };
    let (out, trace) = ex.extract_traced(&doc);
    let mentions: Vec<(String, String)> =
        trace.sentences.iter().flat_map(|(s, ms)| ms.iter().map(move |m| (pack.types[m.ty].name.clone(), fold(&example.text[s.tokens[m.start].span.start..s.tokens[m.end - 1].span.end])))).collect();
    let facts: Vec<(Vec<String>, String, Vec<String>, &str)> = out
        .facts
        .iter()
        .map(|f| {
            let o = match &f.object {
                Object::Entity(e) => labels_of(&out, *e),
                Object::Date(d) => vec![d.to_string()],
            };
            (labels_of(&out, f.subject), pack.relations[f.relation].name.clone(), o, f.provenance.rule.as_str())
        })
        .collect();
    let shown = || {
        let v: Vec<String> = facts.iter().map(|(s, r, o, by)| format!("{} {r} {} [{by}]", s[0], o[0])).collect();
        if v.is_empty() {
            "nothing".to_string()
        } else {
            v.join("; ")
        }
    };
    let at = format!("{}:{}", rule.file.display(), example.line);
    if example.expect.is_empty() && example.reject.is_empty() {
        let own: Vec<_> = facts.iter().filter(|f| f.3 == rule.name).collect();
        if !own.is_empty() {
            failures.push(format!("example failed: {at}: rule `{}` should give nothing for\n  \"{}\"\n  got: {}", rule.name, example.text, shown()));
        }
        // A rule that only makes mentions yields one when it proposes it.
        let proposed = trace.firings.iter().filter(|f| f.rule == me).map(|f| f.mentions).sum::<usize>();
        if !rule.actions.iter().any(|a| matches!(a, Action::Emit { .. })) && proposed > 0 {
            let got: Vec<String> = mentions.iter().map(|(t, x)| format!("{t} \"{x}\"")).collect();
            failures.push(format!("example failed: {at}: rule `{}` should find no mention in\n  \"{}\"\n  found: {}", rule.name, example.text, got.join(", ")));
        }
        return failures;
    }
    // The fact the extraction gave whose labels hold the example's.
    let given = |s: &String, r: &str, o: &String| facts.iter().find(|f| f.0.contains(s) && f.1 == r && f.2.contains(o));
    let has_mention = |ty: &str, text: &str| mentions.iter().any(|(t, x)| t == ty && *x == fold(text));
    for (s, r, o) in &example.expect {
        if s == "mention" {
            if !has_mention(r, o) {
                let got: Vec<String> = mentions.iter().map(|(t, x)| format!("{t} \"{x}\"")).collect();
                failures.push(format!("example failed: {at}: rule `{}` should find the mention {r} \"{o}\" in\n  \"{}\"\n  found: {}", rule.name, example.text, got.join(", ")));
            }
            continue;
        }
        let (s, o) = (fold(s), fold(o));
        if given(&s, r, &o).is_none() {
            failures.push(format!("example failed: {at}: rule `{}` should give `{s} {r} {o}` for\n  \"{}\"\n  got: {}", rule.name, example.text, shown()));
        }
    }
    for (s, r, o) in &example.reject {
        if s == "mention" {
            if has_mention(r, o) {
                failures.push(format!("example failed: {at}: rule `{}` example says no mention {r} \"{o}\" in\n  \"{}\"\n  but the extraction found it", rule.name, example.text));
            }
            continue;
        }
        let (s, o) = (fold(s), fold(o));
        if let Some(f) = given(&s, r, &o) {
            failures.push(format!("example failed: {at}: rule `{}` example says no `{s} {r} {o}` for\n  \"{}\"\n  but rule `{}` gave it", rule.name, example.text, f.3));
        }
    }
    failures
}

fn emits(rule: &Rule, relation: usize) -> bool {
    rule.actions.iter().any(|a| matches!(a, Action::Emit { relation: r, .. } if *r == relation))
}

/// For each rule that emits `relation`: whether it matched, or which words
/// or mentions the sentence lacks, or how far its pattern got.
pub fn near_misses(pack: &Pack, relation: &str, s: &Sentence, mentions: &[Mention], text: &str, lang: &str) -> Vec<String> {
    let Some(rel) = pack.relation_id(relation) else {
        return vec![format!("no relation `{relation}` in the pack")];
    };
    let words: HashSet<&str> = s.tokens.iter().map(|t| t.norm.as_str()).collect();
    let mut by_start = crate::pattern::MentionIndex::default();
    crate::extract::index_mentions(&mut by_start, mentions, &s.tokens);
    let index = crate::pattern::WordIndex::new(&s.tokens);
    let input = Input { text, tokens: &s.tokens, mentions: &by_start, words: &index, start: crate::text::list_marker_len(&s.tokens) };
    let vocab = pack.words_named.words();
    let mut out = Vec::new();
    for rule in pack.rules.iter().filter(|r| emits(r, rel)) {
        let head = format!("{relation}: rule {} ({}:{})", rule.name, rule.file.display(), rule.line);
        if rule.lang.as_deref().is_some_and(|l| l != lang) {
            continue;
        }
        let program = rule.program_for(lang);
        let missing: Vec<String> = program
            .required_words
            .iter()
            .filter(|any| !any.iter().any(|w| words.contains(w.as_str())))
            .map(|any| match any.as_slice() {
                [w] => format!("`{w}`"),
                _ => format!("one of {}", any.iter().take(6).map(|w| format!("`{w}`")).collect::<Vec<_>>().join(", ") + if any.len() > 6 { ", …" } else { "" }),
            })
            .collect();
        if !missing.is_empty() {
            out.push(format!("{head}: the sentence lacks {}", missing.join(", ")));
            continue;
        }
        if find_at(program, &input, 0).is_some() {
            out.push(format!("{head}: matched"));
            continue;
        }
        let (pos, mut pcs) = match furthest(program, &input) {
            // No token matched: the look-behind before the first one may be
            // what stopped it, at a token the first element would take.
            (_, pcs) if pcs.is_empty() => look_behind_stop(program, &input).map_or((0, program.opening()), |(at, pc)| (at, vec![pc])),
            found => found,
        };
        let specific: Vec<usize> = pcs.iter().copied().filter(|&pc| !matches!(program.insts[pc], Inst::Token(crate::pattern::TokenPred::Any))).collect();
        if !specific.is_empty() {
            pcs = specific;
        }
        let mut wanted: Vec<String> = pcs
            .iter()
            .map(|&pc| {
                let what = match &program.insts[pc] {
                    Inst::Slot { types, .. } => {
                        let names: Vec<&str> = pack.types.iter().enumerate().filter(|(i, _)| types & (1u64 << i) != 0).map(|(_, t)| t.name.as_str()).collect();
                        format!("a mention of {}", names.join("|"))
                    }
                    Inst::Token(p) => describe(p, &vocab),
                    _ => "the end of the pattern".into(),
                };
                // A look-behind just before is part of what was wanted there.
                match pc.checked_sub(1).map(|b| &program.insts[b]) {
                    Some(Inst::Assert { pred, negate: false, ahead: false }) => format!("{what} right after {}", describe(pred, &vocab)),
                    Some(Inst::Assert { pred, negate: true, ahead: false }) => format!("{what} not right after {}", describe(pred, &vocab)),
                    _ => what,
                }
            })
            .collect();
        wanted.dedup();
        let at = s.tokens.get(pos).map_or("the end of the sentence".to_string(), |t| format!("\"{}\"", t.text(text)));
        out.push(format!("{head}: got furthest to token {pos} ({at}), where it wanted {}", wanted.join(" or ")));
    }
    out
}

fn describe(p: &crate::pattern::TokenPred, vocab: &[&str]) -> String {
    use crate::pattern::TokenPred;
    match p {
        TokenPred::Not(inner) => format!("a token other than {}", describe(inner, vocab)),
        TokenPred::AnyOf(preds) => preds.iter().map(|p| describe(p, vocab)).collect::<Vec<_>>().join(" or "),
        TokenPred::Word { id } => format!("the word `{}`", vocab.get(*id as usize).copied().unwrap_or("?")),
        TokenPred::Stem(w) => format!("a word starting with `{w}`"),
        TokenPred::Words { ids } => {
            let mut words: Vec<&str> = ids.iter().filter_map(|&id| vocab.get(id as usize).copied()).collect();
            words.sort_unstable();
            let shown: Vec<String> = words.iter().take(6).map(|w| format!("`{w}`")).collect();
            format!("one of {}{}", shown.join(", "), if words.len() > 6 { ", …" } else { "" })
        }
        TokenPred::Regex(re) => format!("a token matching /{}/", re.as_str().trim_start_matches("^(?:").trim_end_matches(")$")),
        TokenPred::Class(c) => format!("a token of class {c:?}"),
        TokenPred::Any => "any token".into(),
    }
}

/// The first token a pattern's first element takes but the look-behind
/// before that element refuses, and that element's instruction.
fn look_behind_stop(program: &Program, input: &Input) -> Option<(usize, usize)> {
    use crate::pattern::{looks, passes};
    program.opening().into_iter().find_map(|pc| {
        let (Inst::Token(first), Some(Inst::Assert { pred, negate, ahead: false })) = (&program.insts[pc], pc.checked_sub(1).map(|b| &program.insts[b])) else { return None };
        (0..input.tokens.len()).find(|&i| passes(first, &input.tokens[i], input.text) && !looks(pred, *negate, false, input, i)).map(|i| (i, pc))
    })
}

/// The furthest token position any start reaches, and the instructions
/// that failed there: the prefixes of the pattern that matched longest.
fn furthest(program: &Program, input: &Input) -> (usize, Vec<usize>) {
    let prefixes: Vec<(usize, Program)> = program.cuts().map(|cut| (cut, program.prefix_before(cut))).collect();
    let mut best: (usize, Vec<usize>) = (0, Vec::new());
    for start in 0..input.tokens.len() {
        for &(cut, ref prefix) in &prefixes {
            if let Some(m) = find_at(prefix, input, start).filter(|m| m.start() == start && m.end() > start) {
                if m.end() > best.0 {
                    best = (m.end(), vec![cut]);
                } else if m.end() == best.0 && !best.1.contains(&cut) {
                    best.1.push(cut);
                }
            }
        }
    }
    best.1.sort();
    best
}
