//! The gazetteer: entities the pack names, matched in one pass of an
//! Aho-Corasick automaton over a sentence's folded tokens.

mod table;

use crate::text::{tokenize, Abbreviations, Token};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use std::collections::BTreeMap;

pub use table::{read_table, TableError};

/// One entity of the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub ty: usize,
    pub wikidata: Option<String>,
    /// (language, label); the first of each language is the preferred one.
    pub labels: Vec<(String, String)>,
    /// name=value|value pairs: facts and pointers to other entries.
    pub attrs: BTreeMap<String, Vec<String>>,
}

impl Entry {
    pub fn label(&self, lang: &str) -> Option<&str> {
        self.labels.iter().find(|(l, _)| l == lang).map(|(_, s)| s.as_str())
    }
}

/// A surface form of an entry, as the automaton knows it.
#[derive(Debug, Clone)]
struct Surface {
    entry: usize,
    form: u16,
    /// Forms without lowercase letters ("US", "UN") must match their case.
    exact: Option<Vec<String>>,
    tokens: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    pub entries: Vec<Entry>,
    by_key: BTreeMap<String, usize>,
    surfaces: Vec<Surface>,
    patterns: Vec<String>,
    automaton: Option<AhoCorasick>,
}

/// A gazetteer match: tokens `start..end` of the sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GazMatch {
    pub start: usize,
    pub end: usize,
    pub entry: usize,
    pub form: u16,
}

impl Gazetteer {
    pub fn entry(&self, key: &str) -> Option<usize> {
        self.by_key.get(key).copied()
    }

    /// Adds an entry and its surface forms; `false` if the key exists already.
    pub fn add(&mut self, entry: Entry, forms: &[(String, u16)], abbrev: &Abbreviations) -> bool {
        if self.by_key.contains_key(&entry.key) {
            return false;
        }
        let id = self.entries.len();
        self.by_key.insert(entry.key.clone(), id);
        self.entries.push(entry);
        for (surface, form) in forms {
            let toks = tokenize(surface, 0..surface.len(), abbrev);
            if toks.is_empty() {
                continue;
            }
            let exact = (!surface.chars().any(char::is_lowercase))
                .then(|| toks.iter().map(|t| t.text(surface).to_string()).collect());
            self.patterns.push(join_norms(&toks));
            self.surfaces.push(Surface { entry: id, form: *form, exact, tokens: toks.len() });
        }
        true
    }

    /// Builds the automaton; call once all entries are added.
    pub fn build(&mut self) {
        self.automaton = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&self.patterns)
            .ok();
    }

    /// Matches in a sentence, leftmost-longest and without overlaps; for a
    /// form shared by several entries, the first entry loaded wins.
    pub fn find(&self, text: &str, tokens: &[Token]) -> Vec<GazMatch> {
        let Some(ac) = &self.automaton else { return Vec::new() };
        let mut hay = String::new();
        let mut starts = Vec::with_capacity(tokens.len());
        for t in tokens {
            if !hay.is_empty() {
                hay.push(' ');
            }
            starts.push(hay.len());
            hay.push_str(&t.norm);
        }
        let mut cands: Vec<GazMatch> = Vec::new();
        for m in ac.find_overlapping_iter(&hay) {
            let Ok(start) = starts.binary_search(&m.start()) else { continue };
            if m.end() < hay.len() && hay.as_bytes()[m.end()] != b' ' {
                continue;
            }
            let s = &self.surfaces[m.pattern().as_usize()];
            let end = start + s.tokens;
            if let Some(exact) = &s.exact {
                if !tokens[start..end].iter().zip(exact).all(|(t, e)| t.text(text) == e) {
                    continue;
                }
            }
            cands.push(GazMatch { start, end, entry: s.entry, form: s.form });
        }
        cands.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end), c.entry, c.form));
        let mut out: Vec<GazMatch> = Vec::new();
        for c in cands {
            if out.last().is_none_or(|l| c.start >= l.end) {
                out.push(c);
            }
        }
        out
    }
}

fn join_norms(toks: &[Token]) -> String {
    toks.iter().map(|t| t.norm.as_str()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::split_sentences;

    fn gaz() -> Gazetteer {
        let mut g = Gazetteer::default();
        let ab = Abbreviations::default();
        let e = |key: &str| Entry { key: key.into(), ty: 0, wikidata: None, labels: vec![], attrs: BTreeMap::new() };
        g.add(e("nato"), &[("NATO".into(), 0), ("OTAN".into(), 0), ("l'Alliance".into(), 0)], &ab);
        g.add(e("ngc"), &[("Commission OTAN-Géorgie".into(), 0)], &ab);
        g.add(e("georgia"), &[("Géorgie".into(), 0), ("géorgien".into(), 1)], &ab);
        g.add(e("us"), &[("US".into(), 0)], &ab);
        g.build();
        g
    }

    fn keys(text: &str) -> Vec<String> {
        let g = gaz();
        let s = &split_sentences(text, &Abbreviations::default())[0];
        g.find(text, &s.tokens).iter().map(|m| g.entries[m.entry].key.clone()).collect()
    }

    #[test]
    fn matches_longest_through_elision_case_and_accents() {
        assert_eq!(keys("la commission otan-georgie et l’Alliance"), ["ngc", "nato"]);
        assert_eq!(keys("de l'OTAN, NATO's"), ["nato", "nato"]);
        assert_eq!(keys("le ministre géorgien"), ["georgia"]);
    }

    #[test]
    fn acronyms_match_their_case_only() {
        assert_eq!(keys("the US and us"), ["us"]);
        assert!(keys("Natonal thing").is_empty());
    }
}
