//! Reads a knowledge graph back from a store: nodes are the typed entities,
//! facts the triples whose predicate is one of the pack's relations, with
//! the provenance records the documents' graphs hold.

use super::iri::{RDFS_LABEL, RDF_NS, RDF_TYPE, TEXTKG_NS};
use super::{DocSummary, GraphFact, KnowledgeGraph, Node, Target};
use crate::extract::dates::Date;
use crate::extract::Provenance;
use crate::pack::Pack;
use oxigraph::model::{NamedOrBlankNode, Term};
use oxigraph::store::{StorageError, Store};
use std::collections::{BTreeMap, HashMap};

fn iri_of(t: &Term) -> Option<&str> {
    match t {
        Term::NamedNode(n) => Some(n.as_str()),
        _ => None,
    }
}

fn literal(t: &Term) -> Option<(&str, Option<&str>)> {
    match t {
        Term::Literal(l) => Some((l.value(), l.language())),
        _ => None,
    }
}

/// A reified statement read back: subject, predicate, object, provenance, document.
type StatementRecord = (Option<String>, Option<String>, Option<Term>, Provenance, Option<String>);

pub fn graph_from_store(store: &Store, pack: &Pack) -> Result<KnowledgeGraph, StorageError> {
    let class_to_type: HashMap<&str, usize> = pack.types.iter().enumerate().filter(|(_, t)| !t.iri.is_empty()).map(|(i, t)| (t.iri.as_str(), i)).collect();
    let rel_by_iri: HashMap<&str, usize> = pack.relations.iter().enumerate().map(|(i, r)| (r.iri.as_str(), i)).collect();
    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    let mut raw_facts = Vec::new();
    // Provenance statements, by their IRI.
    let mut statements: HashMap<String, StatementRecord> = HashMap::new();
    for quad in store.iter() {
        let q = quad?;
        let NamedOrBlankNode::NamedNode(s) = &q.subject else { continue };
        let (s, p) = (s.as_str(), q.predicate.as_str());
        if p == RDF_TYPE {
            if let Some(&ty) = iri_of(&q.object).and_then(|c| class_to_type.get(c)) {
                nodes.entry(s.to_string()).or_insert_with(|| Node {
                    ty,
                    key: s.rsplit('/').next().unwrap_or(s).to_string(),
                    iri: s.to_string(),
                    labels: BTreeMap::new(),
                    aliases: Default::default(),
                    wikidata: None,
                });
            }
        } else if let Some(&rel) = rel_by_iri.get(p) {
            raw_facts.push((s.to_string(), rel, q.object.clone()));
        } else if p.starts_with(RDF_NS) || p.starts_with(TEXTKG_NS) || p.ends_with("wasDerivedFrom") {
            let e = statements.entry(s.to_string()).or_insert_with(|| (None, None, None, Provenance { sentence: 0, start: 0, end: 0, rule: String::new(), confidence: 1.0 }, None));
            let local = p.rsplit(['#', '/']).next().unwrap_or("");
            let num = || literal(&q.object).and_then(|(v, _)| v.parse::<f64>().ok());
            match local {
                "subject" => e.0 = iri_of(&q.object).map(str::to_string),
                "predicate" => e.1 = iri_of(&q.object).map(str::to_string),
                "object" => e.2 = Some(q.object.clone()),
                "sentence" => e.3.sentence = num().unwrap_or(0.0) as usize,
                "start" => e.3.start = num().unwrap_or(0.0) as usize,
                "end" => e.3.end = num().unwrap_or(0.0) as usize,
                "confidence" => e.3.confidence = num().unwrap_or(1.0),
                "rule" => e.3.rule = literal(&q.object).map(|l| l.0.to_string()).unwrap_or_default(),
                "wasDerivedFrom" => e.4 = iri_of(&q.object).map(|d| d.rsplit('/').next().unwrap_or(d).to_string()),
                _ => {}
            }
        }
    }
    for quad in store.iter() {
        let q = quad?;
        let NamedOrBlankNode::NamedNode(s) = &q.subject else { continue };
        let Some(node) = nodes.get_mut(s.as_str()) else { continue };
        match q.predicate.as_str() {
            RDFS_LABEL => {
                if let Some((v, lang)) = literal(&q.object) {
                    node.labels.entry(lang.unwrap_or("").to_string()).or_insert_with(|| v.to_string());
                }
            }
            super::iri::OWL_SAME_AS => node.wikidata = iri_of(&q.object).map(|w| w.rsplit('/').next().unwrap_or(w).to_string()),
            // Other names, so that a view finds the node by any of them.
            super::iri::SKOS_ALT_LABEL => {
                if let Some((v, lang)) = literal(&q.object) {
                    node.aliases.insert((lang.unwrap_or("").to_string(), v.to_string()));
                }
            }
            _ => {}
        }
    }
    // An alternative name that is also a label is not kept twice.
    for node in nodes.values_mut() {
        let labels: Vec<String> = node.labels.values().cloned().collect();
        node.aliases.retain(|(_, a)| !labels.contains(a));
    }
    let index: HashMap<String, usize> = nodes.keys().enumerate().map(|(i, k)| (k.clone(), i)).collect();
    let mut facts: BTreeMap<(usize, usize, Target), GraphFact> = BTreeMap::new();
    let target = |o: &Term| -> Option<Target> {
        match o {
            Term::NamedNode(n) => index.get(n.as_str()).map(|&i| Target::Node(i)),
            Term::Literal(l) => Date::parse_iso(l.value()).map(Target::Date),
            _ => None,
        }
    };
    for (s, rel, o) in raw_facts {
        let (Some(&si), Some(t)) = (index.get(&s), target(&o)) else { continue };
        facts.entry((si, rel, t.clone())).or_insert_with(|| GraphFact { subject: si, relation: rel, object: t, sources: Vec::new() });
    }
    let mut docs: BTreeMap<String, DocSummary> = BTreeMap::new();
    for (_, (s, p, o, prov, doc)) in statements {
        let (Some(s), Some(p), Some(o)) = (s, p, o) else { continue };
        let (Some(&si), Some(&rel), Some(t)) = (index.get(&s), rel_by_iri.get(p.as_str()), target(&o)) else { continue };
        if let Some(f) = facts.get_mut(&(si, rel, t)) {
            let doc = doc.unwrap_or_default();
            docs.entry(doc.clone()).or_insert_with(|| DocSummary { id: doc.clone(), lang: String::new(), sentences: 0, mentions: 0, meta: Box::default() });
            f.sources.push((doc.into(), prov));
        }
    }
    let mut facts: Vec<GraphFact> = facts.into_values().collect();
    for f in &mut facts {
        f.sources.sort_by(|a, b| (&a.0, a.1.start).cmp(&(&b.0, b.1.start)));
    }
    let mut kg = KnowledgeGraph { nodes: nodes.into_values().collect(), facts, docs: docs.into_values().collect() };
    kg.sort_facts(pack);
    Ok(kg)
}
