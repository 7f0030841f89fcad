//! The knowledge graph as a petgraph graph: entities as nodes, facts between
//! entities as edges, for the DOT export and graph figures.

use super::{KnowledgeGraph, Target};
use petgraph::algo::connected_components;
use petgraph::graph::{DiGraph, NodeIndex};

/// Node weights are indices into `KnowledgeGraph::nodes`; edge weights are
/// relation ids. Only nodes that take part in a fact are included.
pub fn to_digraph(kg: &KnowledgeGraph) -> DiGraph<usize, usize> {
    let mut g = DiGraph::new();
    let used = kg.connected_nodes();
    let mut idx: Vec<Option<NodeIndex>> = vec![None; kg.nodes.len()];
    for (i, u) in used.iter().enumerate() {
        if *u {
            idx[i] = Some(g.add_node(i));
        }
    }
    for f in &kg.facts {
        if let Target::Node(o) = f.object {
            g.add_edge(idx[f.subject].unwrap(), idx[o].unwrap(), f.relation);
        }
    }
    g
}

#[derive(Debug, Clone, PartialEq)]
pub struct GraphFigures {
    pub nodes: usize,
    pub edges: usize,
    pub components: usize,
    /// (node index into `KnowledgeGraph::nodes`, degree), most connected first.
    pub most_connected: Vec<(usize, usize)>,
}

pub fn figures(kg: &KnowledgeGraph, top: usize) -> GraphFigures {
    let g = to_digraph(kg);
    let mut degrees: Vec<(usize, usize)> = g
        .node_indices()
        .map(|n| (g[n], g.neighbors_undirected(n).count()))
        .collect();
    degrees.sort_by(|a, b| b.1.cmp(&a.1).then(kg.nodes[a.0].iri.cmp(&kg.nodes[b.0].iri)));
    degrees.truncate(top);
    GraphFigures { nodes: g.node_count(), edges: g.edge_count(), components: connected_components(&g), most_connected: degrees }
}
