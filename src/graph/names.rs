//! One node per person across documents. Inside a document, "Biden" after
//! "Joseph R. Biden" is already one entity; across documents, a text that
//! only says "President Biden" yields an entity keyed `biden`. Such a name
//! joins the one fuller name of its type in the corpus that it ends
//! ("joseph biden"), or a gazetteer entry with that name; when two fuller
//! names end with it ("Joe Biden", "Hunter Biden"), it stays apart, unless
//! exactly one of them is a gazetteer entry: the well-known one wins, or,
//! among several entries, the one that a text of the corpus names.

use crate::extract::{ends_name, name_words, Entity};
use crate::pack::Pack;
use rustc_hash::FxHashMap as HashMap;
use std::collections::{BTreeMap, BTreeSet};

/// (type, key) of a named entity → the key of the entity it joins.
pub type NameRoots = HashMap<(usize, String), String>;

#[derive(Default)]
struct Known {
    listed: bool,
    /// Named by some document of the corpus, not only by the gazetteer.
    seen: bool,
    /// Every form of the name, as folded words without initials.
    names: BTreeSet<Vec<String>>,
}

/// Collects the names of every entity of a type with `partial_names`.
#[derive(Default)]
pub struct NameIndex {
    known: BTreeMap<(usize, String), Known>,
    /// The pack's `patronymic` words: a name part after one names a parent.
    parents: Vec<String>,
}

impl NameIndex {
    /// Starts with every name of the gazetteer's entries, so that "Fule" in a
    /// document joins the listed "Štefan Füle" even where no text of the
    /// corpus gives the full name.
    pub fn new(pack: &Pack) -> Self {
        let mut index = NameIndex { parents: crate::extract::patronymics(pack), ..Default::default() };
        for e in pack.gazetteer.entries.iter().filter(|e| pack.types[e.ty].partial_names) {
            let k = index.known.entry((e.ty, e.key.clone())).or_default();
            k.listed = true;
            k.names.extend(e.labels.iter().map(|(_, l)| name_words(l)));
            k.names.extend(e.attrs.get(crate::extract::SURNAME).into_iter().flatten().map(|n| name_words(n)));
        }
        index
    }

    pub fn add(&mut self, pack: &Pack, entities: &[Entity]) {
        for e in entities.iter().filter(|e| e.event.is_none() && pack.types[e.ty].partial_names) {
            let k = self.known.entry((e.ty, e.key.clone())).or_default();
            k.listed |= e.listed;
            k.seen = true;
            if !e.listed {
                k.names.insert(e.key.split('-').map(str::to_string).collect());
            }
            for (_, name) in e.labels.iter().chain(&e.aliases) {
                k.names.insert(name_words(name));
            }
        }
    }

    /// Where each rule-named entity goes: the single fullest name that ends
    /// with its own. Gazetteer entries never move.
    pub fn roots(&self) -> NameRoots {
        let mut by_last: HashMap<(usize, &str), Vec<&(usize, String)>> = HashMap::default();
        for (id, k) in &self.known {
            let lasts: BTreeSet<&str> = k.names.iter().filter_map(|n| n.last().map(String::as_str)).collect();
            for last in lasts {
                by_last.entry((id.0, last)).or_default().push(id);
            }
        }
        let mut out = NameRoots::default();
        for (id, k) in &self.known {
            if k.listed {
                continue;
            }
            let own: Vec<String> = id.1.split('-').map(str::to_string).collect();
            let Some(last) = own.last() else { continue };
            let ends = |other: &Known| other.names.iter().any(|n| ends_name(n, &own, &self.parents) && (n.len() > own.len() || other.listed));
            let candidates: Vec<&(usize, String)> = by_last.get(&(id.0, last.as_str())).into_iter().flatten().copied().filter(|c| *c != id && ends(&self.known[*c])).collect();
            // The fullest names among the candidates: listed ones, and those
            // no other candidate extends.
            let extended = |c: &(usize, String)| {
                let words: Vec<String> = c.1.split('-').map(str::to_string).collect();
                candidates.iter().any(|o| **o != *c && self.known[*o].names.iter().any(|n| n.len() > words.len() && ends_name(n, &words, &self.parents)))
            };
            let fullest: Vec<&&(usize, String)> = candidates.iter().filter(|c| self.known[**c].listed || !extended(c)).collect();
            // One listed person against names only some text gave: the listed
            // one ("President Yoon" is Yoon Suk Yeol, not a Stephanie Yoon).
            // Among several listed ones, the one the corpus names: "Vice
            // President Harris" is Kamala Harris where a text names her, not
            // a Timothy Harris that only the gazetteer knows.
            let listed: Vec<&&(usize, String)> = fullest.iter().copied().filter(|c| self.known[**c].listed).collect();
            let seen: Vec<&&(usize, String)> = listed.iter().copied().filter(|c| self.known[**c].seen).collect();
            let fullest = match (listed.len(), seen.len()) {
                (1, _) => listed,
                (_, 1) => seen,
                _ => fullest,
            };
            if let [only] = fullest.as_slice() {
                out.insert(id.clone(), only.1.clone());
            }
        }
        out
    }
}
