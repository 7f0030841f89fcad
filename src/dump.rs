//! Dumps a store in an RDF format through Oxigraph's serialisers, streaming:
//! the whole dataset (N-Quads, TriG), or one graph or the union of all
//! graphs as triples (Turtle, N-Triples, RDF/XML).

use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphNameRef, NamedNode, Triple};
use oxigraph::store::Store;
use std::io::Write;

#[derive(Debug, thiserror::Error)]
pub enum DumpError {
    #[error("--graph {0} is not an IRI (nor `default`)")]
    GraphName(String),
    #[error("{0} writes the whole dataset: --graph goes with a triple format (Turtle, N-Triples, RDF/XML)")]
    GraphForDataset(&'static str),
    #[error("--prefix {0}: expected NAME=IRI with a valid IRI")]
    Prefix(String),
    #[error("cannot read the store: {0}")]
    Store(String),
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Which triples a triple format gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Graphs {
    /// Every graph's triples, each once: what `query` sees as its default graph.
    Union,
    /// The store's default graph.
    Default,
    Named(NamedNode),
}

impl Graphs {
    /// `None` is the union; `default` the default graph; else a graph IRI.
    pub fn parse(arg: Option<&str>) -> Result<Graphs, DumpError> {
        match arg {
            None => Ok(Graphs::Union),
            Some("default") => Ok(Graphs::Default),
            Some(iri) => NamedNode::new(iri.trim_start_matches('<').trim_end_matches('>')).map(Graphs::Named).map_err(|_| DumpError::GraphName(iri.to_string())),
        }
    }
}

/// The serialiser of `format` with prefixes given as `NAME=IRI`.
pub fn serializer(format: RdfFormat, prefixes: &[String]) -> Result<RdfSerializer, DumpError> {
    let mut s = RdfSerializer::from_format(format);
    for p in prefixes {
        let (name, iri) = p.split_once('=').ok_or_else(|| DumpError::Prefix(p.clone()))?;
        s = s.with_prefix(name, iri).map_err(|_| DumpError::Prefix(p.clone()))?;
    }
    Ok(s)
}

/// Writes the store with `serializer`; returns the number of triples or quads.
pub fn dump(store: &Store, serializer: RdfSerializer, graphs: &Graphs, out: impl Write) -> Result<usize, DumpError> {
    let format = serializer.format();
    let mut w = serializer.for_writer(out);
    let store_err = |e: oxigraph::store::StorageError| DumpError::Store(e.to_string());
    let mut n = 0;
    if format.supports_datasets() {
        if *graphs != Graphs::Union {
            return Err(DumpError::GraphForDataset(format.name()));
        }
        for q in store.iter() {
            w.serialize_quad(&q.map_err(store_err)?)?;
            n += 1;
        }
    } else {
        let one = match graphs {
            Graphs::Union => None,
            Graphs::Default => Some(GraphNameRef::DefaultGraph),
            Graphs::Named(g) => Some(GraphNameRef::NamedNode(g.as_ref())),
        };
        // A triple stated in several graphs is written once; the set is only
        // needed when there are several graphs to read.
        let several = one.is_none() && store.named_graphs().take(2).count() + usize::from(!is_default_empty(store)?) > 1;
        let mut seen = std::collections::HashSet::<Triple>::new();
        for q in store.quads_for_pattern(None, None, None, one) {
            let t = Triple::from(q.map_err(store_err)?);
            if several && !seen.insert(t.clone()) {
                continue;
            }
            w.serialize_triple(&t)?;
            n += 1;
        }
    }
    w.finish()?;
    Ok(n)
}

fn is_default_empty(store: &Store) -> Result<bool, DumpError> {
    match store.quads_for_pattern(None, None, None, Some(GraphNameRef::DefaultGraph)).next() {
        None => Ok(true),
        Some(Ok(_)) => Ok(false),
        Some(Err(e)) => Err(DumpError::Store(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{GraphName, Literal, Quad};

    fn store() -> Store {
        let s = Store::new().unwrap();
        let (a, p) = (NamedNode::new("http://e/a").unwrap(), NamedNode::new("http://e/p").unwrap());
        let g1 = GraphName::NamedNode(NamedNode::new("http://e/g1").unwrap());
        let g2 = GraphName::NamedNode(NamedNode::new("http://e/g2").unwrap());
        s.insert(&Quad::new(a.clone(), p.clone(), Literal::from("x"), g1.clone())).unwrap();
        s.insert(&Quad::new(a.clone(), p.clone(), Literal::from("x"), g2)).unwrap();
        s.insert(&Quad::new(a, p, Literal::from("y"), g1)).unwrap();
        s
    }

    fn text(format: RdfFormat, graphs: Graphs) -> (usize, String) {
        let mut out = Vec::new();
        let n = dump(&store(), RdfSerializer::from_format(format), &graphs, &mut out).unwrap();
        (n, String::from_utf8(out).unwrap())
    }

    #[test]
    fn the_union_writes_a_triple_stated_in_two_graphs_once() {
        let (n, nt) = text(RdfFormat::NTriples, Graphs::Union);
        assert_eq!(n, 2);
        assert_eq!(nt.lines().filter(|l| l.contains("\"x\"")).count(), 1, "{nt}");
    }

    #[test]
    fn one_graph_or_the_whole_dataset() {
        let (n, _) = text(RdfFormat::NTriples, Graphs::parse(Some("http://e/g2")).unwrap());
        assert_eq!(n, 1);
        assert_eq!(text(RdfFormat::NTriples, Graphs::Default).0, 0);
        let (n, nq) = text(RdfFormat::NQuads, Graphs::Union);
        assert_eq!(n, 3);
        assert!(nq.contains("<http://e/g2>"), "{nq}");
        assert!(matches!(dump(&store(), RdfFormat::TriG.into(), &Graphs::Default, Vec::new()), Err(DumpError::GraphForDataset(_))));
        assert!(matches!(Graphs::parse(Some("not an iri")), Err(DumpError::GraphName(_))));
    }

    #[test]
    fn prefixes_shorten_turtle() {
        let s = serializer(RdfFormat::Turtle, &["e=http://e/".into()]).unwrap();
        let mut out = Vec::new();
        dump(&store(), s, &Graphs::Union, &mut out).unwrap();
        let ttl = String::from_utf8(out).unwrap();
        assert!(ttl.starts_with("@prefix e: <http://e/> .") && ttl.contains("e:a e:p"), "{ttl}");
        assert!(matches!(serializer(RdfFormat::Turtle, &["e".into()]), Err(DumpError::Prefix(_))));
    }
}
