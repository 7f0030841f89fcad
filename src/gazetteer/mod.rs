//! The gazetteer: entities the pack names, matched by a trie over the pack's
//! word numbers. A name begins and ends on token boundaries, so the walk
//! starts at each token and needs no failure links: most tokens end it at
//! the root, with one array lookup, since the tokenizer already gave every
//! token its word's number (`pattern::Vocab`).

mod table;

use crate::pattern::Vocab;
use crate::text::{tokenize, Abbreviations, Token};
use std::collections::BTreeMap;

pub use table::{read_table, TableError};

/// One entity of the gazetteer.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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

/// A surface form of an entry, as the trie knows it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Surface {
    entry: usize,
    form: u16,
    /// Forms without lowercase letters ("US", "UN") must match their case.
    exact: Option<Vec<String>>,
    /// A short name ("Permanent Council" for the OSCE's): it stands for the
    /// entry only where the document names what the entry is part of.
    short: bool,
}

/// The attribute that names what an entry is part of, for short names.
pub const PART_OF: &str = "part_of";

/// A name of an entry, tokenized: its folded words, and its words as
/// written when it has no lowercase letter (it must then match that case).
///
/// The words are inline strings: names are tokenized on every core and
/// their words dropped on one, where a heap string each cost more to free
/// than to make.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Name {
    words: Vec<compact_str::CompactString>,
    exact: Option<Vec<String>>,
    short: bool,
}

impl Name {
    /// `None` for a name with no token. A name written `~Permanent Council`
    /// is a short name (see [`Surface`]); one written `=Malé` matches only
    /// as written, case and accents, since its folded form is a common
    /// word ("male").
    pub fn read(surface: &str, abbrev: &Abbreviations) -> Option<Name> {
        let (surface, short, as_written) = Name::markers(surface);
        let toks = tokenize(surface, 0..surface.len(), abbrev);
        if toks.is_empty() {
            return None;
        }
        let exact = (as_written || !surface.chars().any(char::is_lowercase)).then(|| toks.iter().filter(|t| t.norm != "-").map(|t| t.text(surface).to_string()).collect());
        // Not `into_iter().collect()`: that would keep the tokens' larger
        // buffer for the words, and a pack holds tens of thousands of names.
        // Without its hyphens (the words and the exact forms): sources write
        // « ouest-africaine » and « Ouest Africaine », "Timor-Leste" and
        // "Timor Leste" (see `find`).
        let mut words = Vec::with_capacity(toks.len());
        words.extend(toks.into_iter().map(|t| t.norm).filter(|w| w != "-"));
        if words.is_empty() {
            return None;
        }
        Some(Name { words, exact, short })
    }

    /// The name a gazetteer cell writes, without its markers (`~`, `=`).
    pub fn text(surface: &str) -> &str {
        Name::markers(surface).0
    }

    /// A cell's name and whether it is short (`~`) or matches only as
    /// written (`=`).
    fn markers(surface: &str) -> (&str, bool, bool) {
        let (surface, short) = surface.strip_prefix('~').map_or((surface, false), |rest| (rest, true));
        let (surface, as_written) = surface.strip_prefix('=').map_or((surface, false), |rest| (rest, true));
        (surface, short, as_written)
    }
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct Gazetteer {
    pub entries: Vec<Entry>,
    by_key: BTreeMap<String, usize>,
    surfaces: Vec<Surface>,
    /// Each surface's folded words, until the trie is built.
    pending: Vec<Vec<compact_str::CompactString>>,
    trie: Trie,
}

/// Word-number trie of the surfaces: node 0 is the root, whose children are
/// a dense table by word number; other nodes keep theirs sorted.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Trie {
    root: Vec<u32>,
    nodes: Vec<Node>,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Node {
    children: Vec<(u32, u32)>,
    /// Surfaces that end here, in the order they were added.
    ends: Vec<u32>,
}

impl Trie {
    const NONE: u32 = u32::MAX;

    fn child(&self, node: u32, word: u32) -> Option<u32> {
        if node == 0 {
            return self.root.get(word as usize).copied().filter(|&n| n != Self::NONE);
        }
        let kids = &self.nodes[node as usize].children;
        kids.binary_search_by_key(&word, |&(w, _)| w).ok().map(|k| kids[k].1)
    }

    fn insert(&mut self, words: &[u32], surface: u32) {
        if self.nodes.is_empty() {
            self.nodes.push(Node::default());
        }
        let mut node = 0u32;
        for &w in words {
            node = match self.child(node, w) {
                Some(n) => n,
                None => {
                    let n = self.nodes.len() as u32;
                    self.nodes.push(Node::default());
                    if node == 0 {
                        if self.root.len() <= w as usize {
                            self.root.resize(w as usize + 1, Self::NONE);
                        }
                        self.root[w as usize] = n;
                    } else {
                        let kids = &mut self.nodes[node as usize].children;
                        let at = kids.partition_point(|&(x, _)| x < w);
                        kids.insert(at, (w, n));
                    }
                    n
                }
            };
        }
        self.nodes[node as usize].ends.push(surface);
    }
}

/// A gazetteer match: tokens `start..end` of the sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GazMatch {
    pub start: usize,
    pub end: usize,
    pub entry: usize,
    pub form: u16,
}

impl Gazetteer {
    /// Keeps the entries and their keys; the surfaces and the trie go.
    pub fn drop_matcher(&mut self) {
        self.surfaces = Vec::new();
        self.pending = Vec::new();
        self.trie = Trie::default();
    }

    pub fn entry(&self, key: &str) -> Option<usize> {
        self.by_key.get(key).copied()
    }

    /// Adds an entry and its surface forms; `false` if the key exists already.
    pub fn add(&mut self, entry: Entry, forms: &[(String, u16)], abbrev: &Abbreviations) -> bool {
        let names = forms.iter().filter_map(|(surface, form)| Name::read(surface, abbrev).map(|n| (n, *form))).collect();
        self.add_read(entry, names)
    }

    /// [`add`](Self::add) with names already read (tokenized), which can be
    /// done for many entries at once, apart from the gazetteer.
    pub fn add_read(&mut self, entry: Entry, names: Vec<(Name, u16)>) -> bool {
        if self.by_key.contains_key(&entry.key) {
            return false;
        }
        let id = self.entries.len();
        self.by_key.insert(entry.key.clone(), id);
        self.entries.push(entry);
        for (name, form) in names {
            self.pending.push(name.words);
            self.surfaces.push(Surface { entry: id, form, exact: name.exact, short: name.short });
        }
        true
    }

    /// Numbers the surfaces' words in the pack's vocabulary and builds the
    /// trie; call once all entries are added. Tokens given to [`find`] must
    /// be numbered by the same vocabulary (`Vocab::assign`).
    ///
    /// [`find`]: Gazetteer::find
    pub fn build(&mut self, vocab: &mut Vocab) {
        let pending = std::mem::take(&mut self.pending);
        // Sized once (a node per word at most): a pack's names make tens of
        // thousands of nodes, and growing the table as they came copied it
        // over and over.
        self.trie.nodes.reserve(pending.iter().map(Vec::len).sum::<usize>() + 1);
        for (k, words) in pending.iter().enumerate() {
            let ids: Vec<u32> = words.iter().map(|w| vocab.intern(w)).collect();
            self.trie.insert(&ids, k as u32);
        }
        // Names share their first words: the table reserved is far larger
        // than the nodes made, and it lives as long as the pack.
        self.trie.nodes.shrink_to_fit();
    }

    /// Matches in a sentence, leftmost-longest and without overlaps; for a
    /// form shared by several entries, the first entry loaded wins. A short
    /// name counts only where the document or the sentence names an entry
    /// the short name's entry is part of: `named` tells how often the
    /// document did (`None`: never). Of several entries with that short
    /// name, the one whose whole the document named most is meant: "the
    /// Parliamentary Assembly" of a Council of Europe text is its own.
    pub fn find(&self, text: &str, tokens: &[Token], named: &dyn Fn(usize) -> Option<usize>) -> Vec<GazMatch> {
        let mut cands: Vec<GazMatch> = Vec::new();
        if self.trie.nodes.is_empty() {
            return cands;
        }
        let mut shorts: Vec<GazMatch> = Vec::new();
        // A hyphen inside a name is passed over, in the text as in the
        // names (which are stored without): « ouest africaine » is
        // « ouest-africaine »; so is a middle initial the name lacks
        // ("Tommy E. Remengesau" is "Tommy Remengesau"). Tested at every
        // step, by the folded form's bytes (an initial folds to a letter
        // and a dot).
        let skipped = |t: &Token| match t.norm.as_bytes() {
            [b'-'] => true,
            [_, b'.'] => t.cap,
            _ => false,
        };
        // From one start, the path through the trie; an initial the trie
        // also has a child for is read both ways ("Tommy E. Remengesau" is
        // "Tommy Remengesau" though the gazetteer also lists "Tommy E.
        // Remengesau Jr."): the other way waits in `forks`, with the node
        // it stays at and the tokens passed over (a bit each, by offset
        // from the start) for the exact-form test.
        let mut forks: Vec<(usize, u32, u64)> = Vec::new();
        for start in 0..tokens.len() {
            let (mut from, mut node, mut passed) = (start, 0u32, 0u64);
            loop {
                let mut end = from;
                while end < tokens.len() && end - start < 64 {
                    let t = &tokens[end];
                    let Some(next) = self.trie.child(node, t.word) else {
                        if end > start && skipped(t) {
                            passed |= 1u64 << (end - start);
                            end += 1;
                            continue;
                        }
                        break;
                    };
                    if end > start && skipped(t) && forks.len() < 8 {
                        forks.push((end + 1, node, passed | 1u64 << (end - start)));
                    }
                    node = next;
                    for &k in &self.trie.nodes[node as usize].ends {
                        let s = &self.surfaces[k as usize];
                        if let Some(exact) = &s.exact {
                            let read = tokens[start..=end].iter().enumerate().filter(|(i, _)| passed & (1u64 << i) == 0);
                            if !read.zip(exact).all(|((_, t), e)| t.text(text) == e) {
                                continue;
                            }
                        }
                        let m = GazMatch { start, end: end + 1, entry: s.entry, form: s.form };
                        if s.short {
                            shorts.push(m);
                        } else {
                            cands.push(m);
                        }
                    }
                    end += 1;
                }
                let Some(fork) = forks.pop() else { break };
                (from, node, passed) = fork;
            }
        }
        if !shorts.is_empty() {
            let in_sentence: Vec<usize> = cands.iter().map(|c| c.entry).collect();
            // The entry itself counts as a whole: a short name stands for an
            // entry the document named in full ("le Congo" after « la
            // République du Congo »), the one it named most among several.
            let parents = |entry: usize| self.entries[entry].attrs.get(PART_OF).into_iter().flatten().filter_map(|k| self.entry(k)).chain(std::iter::once(entry));
            // How much the document named the whole so far, the sentence counting once.
            let weight = |m: &GazMatch| parents(m.entry).map(|p| named(p).map_or(0, |n| n + 1) + usize::from(in_sentence.contains(&p))).filter(|&w| w > 0).max();
            let mut best: Vec<(GazMatch, usize)> = Vec::new();
            for m in shorts {
                let Some(w) = weight(&m) else { continue };
                match best.iter_mut().find(|(b, _)| b.start == m.start && b.end == m.end) {
                    Some(b) if w > b.1 => *b = (m, w),
                    Some(_) => {}
                    None => best.push((m, w)),
                }
            }
            cands.extend(best.into_iter().map(|(m, _)| m));
        }
        cands.sort_by_key(|c| (c.start, std::cmp::Reverse(c.end), c.entry, c.form));
        // A name led by a lower-case word (« l'Alliance », "the Alliance")
        // yields to a longer one that starts after that word: « l'Alliance
        // des États du Sahel » is the Alliance of Sahel States, not NATO.
        // The candidates are sorted by start, the longest first: the first
        // one starting after the word is the longest there.
        let longest_from = |start: usize| cands.get(cands.partition_point(|d| d.start < start)).filter(|d| d.start == start).map(|d| d.end);
        // Only a name it overlaps: a lower-case demonym of one word (« les
        // présidents nigérien Mahamadou Issoufou ») keeps its place before
        // the name that follows it.
        let yields = |c: &GazMatch| c.end > c.start + 1 && tokens[c.start].text(text).starts_with(|ch: char| ch.is_lowercase()) && longest_from(c.start + 1).is_some_and(|end| end > c.end);
        let mut out: Vec<GazMatch> = Vec::new();
        for c in &cands {
            if out.last().is_none_or(|l| c.start >= l.end) && !yields(c) {
                out.push(*c);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::split_sentences;

    fn gaz() -> (Gazetteer, Vocab) {
        let mut g = Gazetteer::default();
        let ab = Abbreviations::default();
        let e = |key: &str| Entry { key: key.into(), ty: 0, wikidata: None, labels: vec![], attrs: BTreeMap::new() };
        g.add(e("nato"), &[("NATO".into(), 0), ("OTAN".into(), 0), ("l'Alliance".into(), 0)], &ab);
        g.add(e("ngc"), &[("Commission OTAN-Géorgie".into(), 0)], &ab);
        g.add(e("georgia"), &[("Géorgie".into(), 0), ("géorgien".into(), 1)], &ab);
        g.add(e("us"), &[("US".into(), 0)], &ab);
        g.add(e("aes"), &[("Alliance des États du Sahel".into(), 0)], &ab);
        let mut pc = e("osce_pc");
        pc.attrs.insert(PART_OF.into(), vec!["osce".into()]);
        g.add(pc, &[("OSCE Permanent Council".into(), 0), ("~Permanent Council".into(), 0)], &ab);
        g.add(e("osce"), &[("OSCE".into(), 0)], &ab);
        g.add(e("remengesau"), &[("Tommy Remengesau".into(), 0), ("Tommy E. Remengesau Jr.".into(), 0)], &ab);
        let mut vocab = Vocab::default();
        g.build(&mut vocab);
        (g, vocab)
    }

    fn keys(text: &str) -> Vec<String> {
        let (g, vocab) = gaz();
        keys_in(&g, &vocab, text, &|_| None)
    }

    /// The keys of the entries `g` finds in the text's first sentence.
    fn keys_in(g: &Gazetteer, vocab: &Vocab, text: &str, named: &dyn Fn(usize) -> Option<usize>) -> Vec<String> {
        let mut s = split_sentences(text, &Abbreviations::default()).remove(0);
        vocab.assign(&mut s.tokens);
        g.find(text, &s.tokens, named).iter().map(|m| g.entries[m.entry].key.clone()).collect()
    }

    #[test]
    fn matches_longest_through_elision_case_and_accents() {
        assert_eq!(keys("la commission otan-georgie et l’Alliance"), ["ngc", "nato"]);
        assert_eq!(keys("de l'OTAN, NATO's"), ["nato", "nato"]);
        assert_eq!(keys("le ministre géorgien"), ["georgia"]);
    }

    #[test]
    fn a_hyphen_in_a_name_may_be_a_space_and_a_space_a_hyphen() {
        assert_eq!(keys("la commission OTAN Géorgie"), ["ngc"]);
        assert_eq!(keys("l'Alliance des États-du-Sahel"), ["aes"]);
        assert_eq!(keys("-US"), ["us"], "a hyphen before a name is no part of it");
    }

    #[test]
    fn a_middle_initial_the_name_lacks_is_passed_over() {
        assert_eq!(keys("President Tommy E. Remengesau spoke"), ["remengesau"], "though a longer name goes on from the initial");
        assert_eq!(keys("Tommy E. Remengesau Jr. spoke"), ["remengesau"]);
        assert!(keys("Tommy E. spoke").is_empty(), "an initial ends no name");
    }

    #[test]
    fn a_name_led_by_an_article_yields_to_a_longer_one_after_it() {
        assert_eq!(keys("le sommet de l'Alliance des États du Sahel"), ["aes"]);
        assert_eq!(keys("le sommet de l'Alliance à Vilnius"), ["nato"]);
        assert_eq!(keys("les ministres géorgien Commission OTAN-Géorgie"), ["georgia", "ngc"], "a one-word name overlaps nothing after it");
    }

    #[test]
    fn short_names_need_what_they_are_part_of() {
        assert!(keys("A special meeting of the Permanent Council opened.").is_empty());
        assert_eq!(keys("The OSCE met in the Permanent Council."), ["osce", "osce_pc"]);
    }

    #[test]
    fn a_short_name_stands_for_the_entry_the_document_named_in_full() {
        let mut g = Gazetteer::default();
        let ab = Abbreviations::default();
        let e = |key: &str| Entry { key: key.into(), ty: 0, wikidata: None, labels: vec![], attrs: BTreeMap::new() };
        g.add(e("roc"), &[("République du Congo".into(), 0), ("~Congo".into(), 0)], &ab);
        g.add(e("drc"), &[("République démocratique du Congo".into(), 0), ("~Congo".into(), 0)], &ab);
        let mut vocab = Vocab::default();
        g.build(&mut vocab);
        let find = |text: &str, named: &dyn Fn(usize) -> Option<usize>| keys_in(&g, &vocab, text, named);
        assert!(find("la coopération avec le Congo", &|_| None).is_empty(), "named nowhere: neither");
        assert_eq!(find("la coopération avec le Congo", &|e| (e == 1).then_some(2)), ["drc"]);
        assert_eq!(find("la République du Congo et le Congo", &|_| None), ["roc", "roc"]);
    }

    #[test]
    fn a_name_written_with_an_equals_sign_matches_as_written() {
        let mut g = Gazetteer::default();
        let ab = Abbreviations::default();
        g.add(Entry { key: "male".into(), ty: 0, wikidata: None, labels: vec![], attrs: BTreeMap::new() }, &[("=Malé".into(), 0)], &ab);
        let mut vocab = Vocab::default();
        g.build(&mut vocab);
        let found = |text: &str| keys_in(&g, &vocab, text, &|_| None).len();
        assert_eq!(found("He visited Malé today."), 1);
        assert_eq!(found("a male and a female"), 0);
        assert_eq!(found("He visited Male today."), 0);
    }

    #[test]
    fn acronyms_match_their_case_only() {
        assert_eq!(keys("the US and us"), ["us"]);
        assert!(keys("Natonal thing").is_empty());
    }
}
