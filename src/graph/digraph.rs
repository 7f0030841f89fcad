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

/// Betweenness centrality of each node of the undirected view (Brandes'
/// algorithm; petgraph has no implementation of it), by graph node index.
pub fn betweenness(g: &DiGraph<usize, usize>) -> Vec<f64> {
    let n = g.node_count();
    let adj: Vec<Vec<usize>> = g.node_indices().map(|v| g.neighbors_undirected(v).map(|w| w.index()).collect()).collect();
    let mut cb = vec![0.0; n];
    for s in 0..n {
        let mut stack = Vec::new();
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut sigma = vec![0.0f64; n];
        let mut dist = vec![-1i64; n];
        sigma[s] = 1.0;
        dist[s] = 0;
        let mut queue = std::collections::VecDeque::from([s]);
        while let Some(v) = queue.pop_front() {
            stack.push(v);
            for &w in &adj[v] {
                if dist[w] < 0 {
                    dist[w] = dist[v] + 1;
                    queue.push_back(w);
                }
                if dist[w] == dist[v] + 1 {
                    sigma[w] += sigma[v];
                    preds[w].push(v);
                }
            }
        }
        let mut delta = vec![0.0; n];
        while let Some(w) = stack.pop() {
            for &v in &preds[w] {
                delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
            }
            if w != s {
                cb[w] += delta[w];
            }
        }
    }
    // Each undirected path was counted from both ends.
    cb.iter().map(|c| c / 2.0).collect()
}

pub fn figures(kg: &KnowledgeGraph, top: usize) -> GraphFigures {
    let g = to_digraph(kg);
    let mut degrees: Vec<(usize, usize)> = g.node_indices().map(|n| (g[n], g.neighbors_undirected(n).count())).collect();
    degrees.sort_by(|a, b| b.1.cmp(&a.1).then(kg.nodes[a.0].iri.cmp(&kg.nodes[b.0].iri)));
    degrees.truncate(top);
    GraphFigures { nodes: g.node_count(), edges: g.edge_count(), components: connected_components(&g), most_connected: degrees }
}
