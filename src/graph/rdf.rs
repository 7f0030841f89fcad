//! The knowledge graph as RDF: the plain triples (entities and facts) and
//! the dataset with provenance (a named graph per document, the entities'
//! descriptions in a graph of their own), loaded into an Oxigraph store.

use super::iri::*;
use super::{DocSummary, KnowledgeGraph, Target};
use crate::pack::Pack;
use oxigraph::model::vocab::{rdf, xsd};
use oxigraph::model::{GraphName, GraphNameRef, Literal, LiteralRef, NamedNode, NamedNodeRef, Quad, QuadRef, Term, TermRef, Triple};
use oxigraph::store::{StorageError, Store};

/// What the RDF of a graph takes from the rule pack: the IRIs of its
/// classes and relations, by index. A store file keeps them, so that the
/// dataset is made again from it without the pack.
pub trait Schema {
    /// The class of entity type `ty`; empty when the type has none.
    fn class_iri(&self, ty: usize) -> &str;
    fn relation_iri(&self, relation: usize) -> &str;
}

impl Schema for Pack {
    fn class_iri(&self, ty: usize) -> &str {
        &self.types[ty].iri
    }

    fn relation_iri(&self, relation: usize) -> &str {
        &self.relations[relation].iri
    }
}

fn nn(iri: impl Into<String>) -> NamedNode {
    NamedNode::new_unchecked(iri)
}

fn tk(local: &str) -> NamedNode {
    nn(format!("{TEXTKG_NS}{local}"))
}

/// The name of the graph holding entity descriptions (types, labels, links).
pub fn entities_graph(minter: &Minter) -> NamedNode {
    nn(format!("{}graph/entities", minter.base()))
}

/// Types, labels and Wikidata links of every node.
pub fn entity_triples(kg: &KnowledgeGraph, schema: &(impl Schema + ?Sized)) -> Vec<Triple> {
    let mut out = Vec::new();
    for n in &kg.nodes {
        let s = nn(&n.iri);
        let class = schema.class_iri(n.ty);
        if !class.is_empty() {
            out.push(Triple::new(s.clone(), nn(RDF_TYPE), nn(class)));
        }
        for (lang, label) in &n.labels {
            let lit = Literal::new_language_tagged_literal(label, lang).unwrap_or_else(|_| Literal::new_simple_literal(label));
            out.push(Triple::new(s.clone(), nn(RDFS_LABEL), lit));
        }
        for (lang, alias) in &n.aliases {
            let lit = Literal::new_language_tagged_literal(alias, lang).unwrap_or_else(|_| Literal::new_simple_literal(alias));
            out.push(Triple::new(s.clone(), nn(SKOS_ALT_LABEL), lit));
        }
        if let Some(q) = &n.wikidata {
            out.push(Triple::new(s.clone(), nn(OWL_SAME_AS), nn(Minter::wikidata(q))));
        }
    }
    out
}

fn fact_triple(kg: &KnowledgeGraph, schema: &(impl Schema + ?Sized), f: &super::GraphFact) -> Triple {
    let object: Term = match &f.object {
        Target::Node(o) => nn(&kg.nodes[*o].iri).into(),
        Target::Date(d) => Literal::new_typed_literal(d.to_string(), xsd::DATE).into(),
    };
    Triple::new(nn(&kg.nodes[f.subject].iri), nn(schema.relation_iri(f.relation)), object)
}

/// The plain graph: entity descriptions and facts, no provenance.
pub fn plain_triples(kg: &KnowledgeGraph, schema: &(impl Schema + ?Sized)) -> Vec<Triple> {
    let mut out = entity_triples(kg, schema);
    out.extend(kg.facts.iter().map(|f| fact_triple(kg, schema, f)));
    // One block per subject in Turtle; the order within a subject is kept.
    out.sort_by_cached_key(|t| t.subject.to_string());
    out
}

/// Every quad of the dataset: entity descriptions in their graph, and per
/// document its facts, its metadata and one reified statement per fact read
/// there (sentence, character span, rule, confidence).
pub fn dataset_quads(kg: &KnowledgeGraph, schema: &(impl Schema + ?Sized), minter: &Minter) -> Vec<Quad> {
    let mut out = Vec::new();
    each_dataset_quad(kg, schema, minter, |q| {
        out.push(q.into_owned());
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {});
    out
}

/// The dataset's quads handed one at a time to `f`, a document at a time,
/// in the order of [`dataset_quads`]: writers stream it without the whole
/// dataset in memory (it grows with the corpus, the graph does not).
pub fn each_dataset_quad<E>(kg: &KnowledgeGraph, schema: &(impl Schema + ?Sized), minter: &Minter, mut f: impl FnMut(QuadRef<'_>) -> Result<(), E>) -> Result<(), E> {
    each_entity_quad(kg, schema, minter, |q| f(q.as_ref()))?;
    let sources = sources_by_document(kg);
    for d in &kg.docs {
        each_document_quad(kg, schema, minter, d, sources.get(d.id.as_str()).map_or(&[][..], Vec::as_slice), &mut f)?;
    }
    Ok(())
}

/// The first part of the dataset: the entities' descriptions, in their graph.
pub fn each_entity_quad<E>(kg: &KnowledgeGraph, schema: &(impl Schema + ?Sized), minter: &Minter, mut f: impl FnMut(Quad) -> Result<(), E>) -> Result<(), E> {
    let eg = GraphName::NamedNode(entities_graph(minter));
    for t in entity_triples(kg, schema) {
        f(t.in_graph(eg.clone()))?;
    }
    Ok(())
}

/// Per document, the (fact, source) pairs read there, in fact order.
pub fn sources_by_document(kg: &KnowledgeGraph) -> std::collections::HashMap<&str, Vec<(u32, u32)>> {
    let mut per_doc: std::collections::HashMap<&str, Vec<(u32, u32)>> = Default::default();
    for (i, fact) in kg.facts.iter().enumerate() {
        for (j, (doc, _)) in fact.sources.iter().enumerate() {
            per_doc.entry(doc.as_ref()).or_default().push((i as u32, j as u32));
        }
    }
    per_doc
}

/// The fixed IRIs of the provenance records, made once: the dataset has
/// about ten quads per fact and source, each naming one of them.
struct ProvenanceTerms {
    document: NamedNode,
    identifier: NamedNode,
    language: NamedNode,
    statement: NamedNode,
    subject: NamedNode,
    predicate: NamedNode,
    object: NamedNode,
    derived_from: NamedNode,
    sentence: NamedNode,
    start: NamedNode,
    end: NamedNode,
    rule: NamedNode,
    confidence: NamedNode,
}

static PROVENANCE: std::sync::LazyLock<ProvenanceTerms> = std::sync::LazyLock::new(|| ProvenanceTerms {
    document: tk("Document"),
    identifier: nn(format!("{DCTERMS_NS}identifier")),
    language: nn(format!("{DCTERMS_NS}language")),
    statement: nn(format!("{RDF_NS}Statement")),
    subject: nn(format!("{RDF_NS}subject")),
    predicate: nn(format!("{RDF_NS}predicate")),
    object: nn(format!("{RDF_NS}object")),
    derived_from: nn(format!("{PROV_NS}wasDerivedFrom")),
    sentence: tk("sentence"),
    start: tk("start"),
    end: tk("end"),
    rule: tk("rule"),
    confidence: tk("confidence"),
});

/// The rest of the dataset, a document at a time: its graph, with its
/// metadata, its facts and their reified statements; `sources` is the
/// document's entry of [`sources_by_document`]. Quads are lent, not made:
/// a writer serialises them as they come.
pub fn each_document_quad<E>(
    kg: &KnowledgeGraph,
    schema: &(impl Schema + ?Sized),
    minter: &Minter,
    d: &DocSummary,
    sources: &[(u32, u32)],
    mut f: impl FnMut(QuadRef<'_>) -> Result<(), E>,
) -> Result<(), E> {
    use std::fmt::Write;
    let p = &*PROVENANCE;
    let (graph, doc) = (minter.doc_graph(&d.id), minter.document(&d.id));
    let g = GraphNameRef::NamedNode(NamedNodeRef::new_unchecked(&graph));
    let doc = NamedNodeRef::new_unchecked(&doc);
    let mut q = |s: NamedNodeRef<'_>, p: NamedNodeRef<'_>, o: TermRef<'_>| f(QuadRef::new(s, p, o, g));
    q(doc, rdf::TYPE, p.document.as_ref().into())?;
    q(doc, p.identifier.as_ref(), LiteralRef::new_simple_literal(&d.id).into())?;
    q(doc, p.language.as_ref(), LiteralRef::new_simple_literal(&d.lang).into())?;
    for (k, v) in &d.meta {
        let property = match &**k {
            "title" | "date" | "source" | "creator" => nn(format!("{DCTERMS_NS}{k}")),
            _ => tk(&crate::graph::iri::encode(k)),
        };
        q(doc, property.as_ref(), LiteralRef::new_simple_literal(v).into())?;
    }
    // A fact's sources in one document are consecutive: its triple is
    // written once, then reified once per source.
    let (mut date, mut number) = (String::new(), String::new());
    let mut last = None;
    for (n, &(i, j)) in sources.iter().enumerate() {
        let fact = &kg.facts[i as usize];
        let prov = &fact.sources[j as usize].1;
        let subject = NamedNodeRef::new_unchecked(&kg.nodes[fact.subject].iri);
        let relation = NamedNodeRef::new_unchecked(schema.relation_iri(fact.relation));
        let object: TermRef<'_> = match &fact.object {
            Target::Node(o) => NamedNodeRef::new_unchecked(&kg.nodes[*o].iri).into(),
            Target::Date(day) => {
                date.clear();
                let _ = write!(date, "{day}");
                LiteralRef::new_typed_literal(&date, xsd::DATE).into()
            }
        };
        if last.replace(i) != Some(i) {
            q(subject, relation, object)?;
        }
        let statement = minter.statement(&d.id, n);
        let st = NamedNodeRef::new_unchecked(&statement);
        q(st, rdf::TYPE, p.statement.as_ref().into())?;
        q(st, p.subject.as_ref(), subject.into())?;
        q(st, p.predicate.as_ref(), relation.into())?;
        q(st, p.object.as_ref(), object)?;
        q(st, p.derived_from.as_ref(), doc.into())?;
        for (property, value) in [(&p.sentence, prov.sentence), (&p.start, prov.start), (&p.end, prov.end)] {
            number.clear();
            let _ = write!(number, "{value}");
            q(st, property.as_ref(), LiteralRef::new_typed_literal(&number, xsd::INTEGER).into())?;
        }
        q(st, p.rule.as_ref(), LiteralRef::new_simple_literal(&prov.rule).into())?;
        number.clear();
        canonical_decimal(&mut number, prov.confidence);
        q(st, p.confidence.as_ref(), LiteralRef::new_typed_literal(&number, xsd::DECIMAL).into())?;
    }
    Ok(())
}

/// `value` to three decimals, written by Oxigraph's xsd:decimal in its
/// canonical form ("0.93", not "0.930"): the form a store gives back, so
/// that a dump of the store equals the file it was loaded from.
fn canonical_decimal(out: &mut String, value: f64) {
    use std::fmt::Write as _;
    match oxsdatatypes::Decimal::new((value * 1000.0).round() as i128, 3) {
        Ok(d) => write!(out, "{d}"),
        Err(_) => write!(out, "{value}"),
    }
    .unwrap_or_default();
}

/// Loads an N-Quads file textkg wrote (the store `serve --allow-update`
/// writes back) into a store with Oxigraph's bulk loader, without holding
/// the quads. The file is
/// split and parsed on every core, and read leniently: IRIs are not
/// validated again, since textkg validated them when it wrote the file.
pub fn bulk_load(store: &Store, nquads: &std::path::Path) -> Result<(), String> {
    let parser = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NQuads).lenient();
    // The loader parses on half its threads and inserts on the rest.
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    let mut loader = store.bulk_loader().with_num_threads(2 * cores.max(2));
    loader.parallel_load_from_file(parser, nquads).map_err(|e| e.to_string())?;
    loader.commit().map_err(|e| e.to_string())
}

/// Loads the dataset of a graph into `store` with Oxigraph's bulk loader,
/// without writing it out and parsing it back. Quads are made a window of
/// documents at a time on every core while the loader inserts the window
/// before: memory holds two windows, not the dataset.
pub fn load_dataset(store: &Store, kg: &KnowledgeGraph, schema: &(impl Schema + Sync + ?Sized), minter: &Minter) -> Result<(), StorageError> {
    let mut loader = store.bulk_loader();
    let mut entities = Vec::new();
    each_entity_quad(kg, schema, minter, |q| {
        entities.push(q);
        Ok::<(), StorageError>(())
    })?;
    loader.load_quads(entities)?;
    let sources = sources_by_document(kg);
    let make = |block: &[DocSummary]| {
        let mut out: Vec<Quad> = Vec::new();
        for d in block {
            let read = sources.get(d.id.as_str()).map_or(&[][..], Vec::as_slice);
            each_document_quad(kg, schema, minter, d, read, |q| {
                out.push(q.into_owned());
                Ok::<(), std::convert::Infallible>(())
            })
            .unwrap_or_else(|never| match never {});
        }
        out
    };
    in_document_blocks(&kg.docs, make, |quads| loader.load_quads(quads))?;
    loader.commit()
}

/// Runs `make` on the documents a block at a time, on every core, and hands
/// what it made to `consume` in document order: a window of blocks is made
/// while the window before is consumed, so that memory holds two windows,
/// not the dataset.
pub fn in_document_blocks<T: Send, E: Send>(docs: &[DocSummary], make: impl Fn(&[DocSummary]) -> T + Sync, mut consume: impl FnMut(T) -> Result<(), E> + Send) -> Result<(), E> {
    use rayon::prelude::*;
    const BLOCK: usize = 64;
    let mut pending: Vec<T> = Vec::new();
    for window in docs.chunks(BLOCK * 2 * rayon::current_num_threads()) {
        let (done, next) = rayon::join(|| std::mem::take(&mut pending).into_iter().try_for_each(&mut consume), || window.par_chunks(BLOCK).map(&make).collect());
        done?;
        pending = next;
    }
    pending.into_iter().try_for_each(consume)
}

/// An in-memory store holding the dataset.
pub fn load_store(quads: &[Quad]) -> Result<Store, StorageError> {
    let store = Store::new()?;
    store.extend(quads.iter().cloned())?;
    Ok(store)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_confidence_is_written_as_a_store_gives_it_back() {
        let store = Store::new().unwrap();
        let graph = NamedNode::new("http://x.example/g").unwrap();
        for value in [0.93, 0.930_000_1, 1.0, 0.5, 0.0, -0.0, 0.125, 0.9999, 0.0004] {
            let mut written = String::new();
            canonical_decimal(&mut written, value);
            let literal = Literal::new_typed_literal(written.clone(), xsd::DECIMAL);
            let quad = Quad::new(graph.clone(), graph.clone(), literal, graph.clone());
            store.clear().unwrap();
            store.insert(&quad).unwrap();
            let back = store.iter().next().unwrap().unwrap();
            assert_eq!(back.object.to_string(), quad.object.to_string(), "{value} written as {written}");
        }
    }
}
