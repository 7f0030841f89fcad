//! The graph stage: documents' extractions merged into one knowledge graph
//! (nodes deduplicated by type and key, facts by their triple), then put in
//! an Oxigraph store and a petgraph graph.

pub mod digraph;
pub mod from_store;
pub mod iri;
pub mod names;
pub mod rdf;
pub mod snapshot;
pub mod view;

use crate::extract::dates::Date;
use crate::extract::{slug, DocExtraction, EventIdentity, Object, Provenance};
use crate::pack::Pack;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Node {
    pub ty: usize,
    pub key: String,
    pub iri: String,
    /// One label per language, the first seen.
    pub labels: BTreeMap<String, String>,
    /// Other names seen, (language, name), without the labels.
    pub aliases: std::collections::BTreeSet<(String, String)>,
    pub wikidata: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Target {
    Node(usize),
    Date(Date),
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct GraphFact {
    pub subject: usize,
    pub relation: usize,
    pub object: Target,
    /// Where it was read: (document id, provenance), in input order. The id
    /// is shared by all the sources of a document.
    pub sources: Vec<(std::sync::Arc<str>, Provenance)>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct DocSummary {
    pub id: String,
    pub lang: String,
    pub sentences: usize,
    pub mentions: usize,
    /// The document's metadata (title, date, source…), sorted by key: a
    /// boxed slice, since one is kept per document for the whole run.
    pub meta: Box<[(Box<str>, Box<str>)]>,
}

/// The merged graph, sorted: node order is by IRI, fact order by triple.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct KnowledgeGraph {
    pub nodes: Vec<Node>,
    pub facts: Vec<GraphFact>,
    pub docs: Vec<DocSummary>,
}

/// What the merge must know of the whole corpus before it takes the first
/// document: event identities and person-like names. It is small (the size
/// of the graph's entities), so a corpus can be read twice, once to gather
/// it and once to merge, without holding every extraction.
pub struct CorpusSummary {
    /// Distinct identities: the same meeting read in many documents is one.
    events: HashSet<EventIdentity>,
    names: names::NameIndex,
}

impl CorpusSummary {
    pub fn new(pack: &Pack) -> Self {
        CorpusSummary { events: Default::default(), names: names::NameIndex::new(pack) }
    }

    pub fn add(&mut self, pack: &Pack, ex: &DocExtraction) {
        for id in ex.entities.iter().filter_map(|e| e.event.as_ref()).filter(|id| !id.attrs.is_empty()) {
            if !self.events.contains(id) {
                self.events.insert(id.clone());
            }
        }
        self.names.add(pack, &ex.entities);
    }
}

/// Merges documents' extractions one at a time into a graph.
pub struct GraphBuilder<'a> {
    pack: &'a Pack,
    minter: &'a iri::Minter,
    event_keys: HashMap<EventIdentity, String>,
    roots: names::NameRoots,
    /// Labels that came from a shorter name ("Biden"): the full name's win.
    weak_labels: HashSet<(usize, String)>,
    index: HashMap<(usize, String), usize>,
    nodes: Vec<Node>,
    facts: HashMap<(usize, usize, Target), GraphFact>,
    fact_order: Vec<(usize, usize, Target)>,
    summaries: Vec<DocSummary>,
}

impl<'a> GraphBuilder<'a> {
    pub fn new(pack: &'a Pack, minter: &'a iri::Minter, summary: CorpusSummary) -> Self {
        let mut events: Vec<EventIdentity> = summary.events.into_iter().collect();
        events.sort();
        GraphBuilder {
            pack,
            minter,
            event_keys: event_keys(&events),
            roots: summary.names.roots(),
            weak_labels: Default::default(),
            index: HashMap::default(),
            nodes: Vec::new(),
            facts: HashMap::default(),
            fact_order: Vec::new(),
            summaries: Vec::new(),
        }
    }

    pub fn add(&mut self, mut ex: DocExtraction, meta: BTreeMap<String, String>) {
        let (pack, minter) = (self.pack, self.minter);
        // The document's entities are taken, not copied: a corpus merges
        // hundreds of thousands of them, so a key or a label is cloned only
        // when a node keeps it.
        let mut local = Vec::with_capacity(ex.entities.len());
        for e in std::mem::take(&mut ex.entities) {
            let own = (e.ty, e.key);
            let root = self.roots.get(&own);
            let rooted = root.is_some();
            let key = match e.event.as_ref().and_then(|id| self.event_keys.get(id)).or(root) {
                Some(k) => (e.ty, k.clone()),
                None => own,
            };
            let id = match self.index.get(&key) {
                Some(&id) => id,
                None => {
                    let iri = minter.entity(&pack.types[e.ty].name, &key.1);
                    self.nodes.push(Node { ty: e.ty, iri, key: key.1.clone(), labels: BTreeMap::new(), aliases: Default::default(), wikidata: e.wikidata });
                    self.index.insert(key, self.nodes.len() - 1);
                    self.nodes.len() - 1
                }
            };
            for (lang, label) in e.labels {
                let node = &mut self.nodes[id];
                match node.labels.get(&lang) {
                    None => {
                        if rooted {
                            self.weak_labels.insert((id, lang.clone()));
                        }
                        node.labels.insert(lang, label);
                    }
                    Some(_) if !rooted && self.weak_labels.remove(&(id, lang.clone())) => {
                        let old = node.labels.insert(lang.clone(), label).unwrap_or_default();
                        node.aliases.insert((lang, old));
                    }
                    Some(l) if rooted && *l != label => {
                        node.aliases.insert((lang, label));
                    }
                    Some(_) => {}
                }
            }
            self.nodes[id].aliases.extend(e.aliases);
            local.push(id);
        }
        let doc: std::sync::Arc<str> = ex.doc_id.as_str().into();
        for f in ex.facts {
            let (mut s, mut o) = (
                local[f.subject],
                match f.object {
                    Object::Entity(e) => Target::Node(local[e]),
                    Object::Date(d) => Target::Date(d),
                },
            );
            if pack.relations[f.relation].symmetric {
                if let Target::Node(on) = o {
                    if self.nodes[on].iri < self.nodes[s].iri {
                        (s, o) = (on, Target::Node(s));
                    }
                }
            }
            if o == Target::Node(s) {
                continue;
            }
            let k = (s, f.relation, o.clone());
            let order = &mut self.fact_order;
            let entry = self.facts.entry(k.clone()).or_insert_with(|| {
                order.push(k);
                GraphFact { subject: s, relation: f.relation, object: o, sources: Vec::new() }
            });
            // A symmetric fact read both ways by one match, or two mentions
            // of one node, give the same source twice: it is kept once, so
            // that facts.csv and the reified statements list each source once.
            // Both come from one sentence, and a document's facts come in
            // the order of its sentences: the search stops at another
            // sentence, or a document that repeats a fact a thousand times
            // would compare each source with all those before.
            let seen = entry.sources.iter().rev().take_while(|(d, p)| std::sync::Arc::ptr_eq(d, &doc) && p.sentence == f.provenance.sentence).any(|(_, p)| *p == f.provenance);
            if !seen {
                entry.sources.push((doc.clone(), f.provenance));
            }
        }
        let meta = meta.into_iter().map(|(k, v)| (k.into_boxed_str(), v.into_boxed_str())).collect();
        self.summaries.push(DocSummary { id: ex.doc_id, lang: ex.lang, sentences: ex.sentences, mentions: ex.mentions, meta });
    }

    /// The graph, sorted: nodes by IRI, facts by triple, documents by id.
    pub fn finish(self) -> KnowledgeGraph {
        let GraphBuilder { pack, nodes, mut facts, fact_order, mut summaries, .. } = self;
        let mut order: Vec<usize> = (0..nodes.len()).collect();
        order.sort_by(|&a, &b| nodes[a].iri.cmp(&nodes[b].iri));
        let mut renum = vec![0; nodes.len()];
        for (new, &old) in order.iter().enumerate() {
            renum[old] = new;
        }
        let mut taken: Vec<Option<Node>> = nodes.into_iter().map(Some).collect();
        let mut nodes: Vec<Node> = order.iter().filter_map(|&i| taken[i].take()).collect();
        // A listed entity is known by all the names its gazetteer entry
        // gives, whichever the documents used: a query or a linked store
        // finds "Foreign Minister of Indonesia" by any of them.
        for node in &mut nodes {
            if let Some(entry) = pack.gazetteer.entry(&node.key).map(|i| &pack.gazetteer.entries[i]).filter(|e| e.ty == node.ty) {
                node.aliases.extend(entry.labels.iter().cloned());
            }
        }
        for Node { labels, aliases, .. } in &mut nodes {
            aliases.retain(|(_, a)| !labels.values().any(|l| l == a));
        }
        let facts: Vec<GraphFact> = fact_order
            .into_iter()
            .map(|k| {
                let mut f = facts.remove(&k).unwrap();
                f.subject = renum[f.subject];
                if let Target::Node(o) = f.object {
                    f.object = Target::Node(renum[o]);
                }
                f
            })
            .collect();
        summaries.sort_by(|a, b| a.id.cmp(&b.id));
        let mut kg = KnowledgeGraph { nodes, facts, docs: summaries };
        kg.sort_facts(pack);
        kg
    }
}

impl KnowledgeGraph {
    /// Merges extractions held in memory. Events that share their kind and
    /// identifying values, or whose values are a subset of a fuller event's
    /// with the same date, become one node.
    pub fn build(pack: &Pack, minter: &iri::Minter, docs: Vec<(DocExtraction, BTreeMap<String, String>)>) -> KnowledgeGraph {
        let mut summary = CorpusSummary::new(pack);
        for (ex, _) in &docs {
            summary.add(pack, ex);
        }
        let mut builder = GraphBuilder::new(pack, minter, summary);
        for (ex, meta) in docs {
            builder.add(ex, meta);
        }
        builder.finish()
    }

    /// Nodes that take part in at least one fact.
    pub fn connected_nodes(&self) -> Vec<bool> {
        let mut used = vec![false; self.nodes.len()];
        for f in &self.facts {
            used[f.subject] = true;
            if let Target::Node(o) = f.object {
                used[o] = true;
            }
        }
        used
    }
}

impl KnowledgeGraph {
    /// Sorts the facts by triple: subject IRI, relation IRI, object (IRI or
    /// date), the order every way to a graph gives them.
    pub fn sort_facts(&mut self, pack: &Pack) {
        let nodes = &self.nodes;
        self.facts.sort_by(|a, b| {
            (&nodes[a.subject].iri, &pack.relations[a.relation].iri, target_key(nodes, &a.object)).cmp(&(&nodes[b.subject].iri, &pack.relations[b.relation].iri, target_key(nodes, &b.object)))
        });
    }
}

/// What a fact's object sorts by: its IRI (borrowed: a sort compares each
/// fact many times), or its date as written.
fn target_key<'n>(nodes: &'n [Node], t: &Target) -> std::borrow::Cow<'n, str> {
    match t {
        Target::Node(n) => nodes[*n].iri.as_str().into(),
        Target::Date(d) => d.to_string().into(),
    }
}

/// Corpus-wide keys of events: kind plus identifying values, for events with
/// a date. An event whose values are a strict subset of one fuller event's,
/// sharing its dates, takes that event's key. An undated event keeps the key
/// of its document.
fn event_keys(ids: &[EventIdentity]) -> HashMap<EventIdentity, String> {
    let is_date = |v: &str| Date::parse_iso(v).is_some() && v.len() == 10;
    let mut out = HashMap::default();
    for id in ids {
        let dates: Vec<&(String, String)> = id.attrs.iter().filter(|(_, v)| is_date(v)).collect();
        // Without a date, two documents' "summit of NATO" may be years apart:
        // such an event keeps its document-local key.
        if dates.is_empty() {
            continue;
        }
        let fuller: Vec<&EventIdentity> = ids
            .iter()
            .filter(|o| o.kind == id.kind && o.attrs.len() > id.attrs.len() && id.attrs.iter().all(|a| o.attrs.contains(a)))
            .filter(|o| o.attrs.iter().filter(|(_, v)| is_date(v)).count() == dates.len())
            .collect();
        let target = if fuller.len() == 1 { fuller[0] } else { id };
        let values: Vec<&str> = target.attrs.iter().map(|(_, v)| v.as_str()).collect();
        out.insert(id.clone(), slug(&format!("{}-{}", target.kind, values.join("-"))));
    }
    out
}
