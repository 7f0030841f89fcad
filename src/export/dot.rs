//! Graphviz DOT, written by us so that it is deterministic and stable: node
//! ids derived from IRIs, escaped labels, sorted output, shapes and colours
//! from the pack's type declarations.

use crate::extract::dates::Date;
use crate::graph::{KnowledgeGraph, Target};
use crate::pack::Pack;
use std::fmt::Write;

const PALETTE: [&str; 8] = ["#a6cee3", "#b2df8a", "#fdbf6f", "#cab2d6", "#fb9a99", "#ffff99", "#d9d9d9", "#8dd3c7"];

/// Above this many nodes, `dot` takes minutes: the file asks for `sfdp`.
pub const LARGE_GRAPH: usize = 300;

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A DOT id from an IRI: the part after the base, quoted.
fn node_id(iri: &str, base: &str) -> String {
    format!("\"{}\"", escape(iri.strip_prefix(base).unwrap_or(iri)))
}

/// The label shown for a node, escaped: preferred language first, then the
/// dates of an event on a line of their own.
fn label(kg: &KnowledgeGraph, n: usize, lang: &str, dates: &[Vec<Date>]) -> String {
    let node = &kg.nodes[n];
    let name = escape(node.labels.get(lang).or_else(|| node.labels.values().next()).unwrap_or(&node.key));
    let mut dates: Vec<String> = dates[n].iter().map(Date::to_string).collect();
    dates.sort();
    if dates.is_empty() {
        name
    } else {
        format!("{name}\\n{}", dates.join(" – "))
    }
}

/// The dates each node is the subject of, gathered in one pass over the facts.
fn dates_by_subject(kg: &KnowledgeGraph) -> Vec<Vec<Date>> {
    let mut dates = vec![Vec::new(); kg.nodes.len()];
    for f in &kg.facts {
        if let Target::Date(d) = f.object {
            dates[f.subject].push(d);
        }
    }
    dates
}

pub fn write_dot(kg: &KnowledgeGraph, pack: &Pack, base: &str, lang: &str) -> String {
    write_dot_clustered(kg, pack, base, lang, false)
}

/// The first document (by id) that states a fact about each node.
fn home_documents(kg: &KnowledgeGraph) -> Vec<Option<&str>> {
    let mut home: Vec<Option<&str>> = vec![None; kg.nodes.len()];
    for f in &kg.facts {
        let Some(doc) = f.sources.iter().map(|(d, _)| d.as_ref()).min() else { continue };
        let mut set = |n: usize| {
            if home[n].is_none_or(|h| doc < h) {
                home[n] = Some(doc);
            }
        };
        set(f.subject);
        if let Target::Node(o) = f.object {
            set(o);
        }
    }
    home
}

/// With `cluster_by_document`, each node sits in a box for the first
/// document that states a fact about it.
pub fn write_dot_clustered(kg: &KnowledgeGraph, pack: &Pack, base: &str, lang: &str, cluster_by_document: bool) -> String {
    let used = kg.connected_nodes();
    let mut has_edge = vec![false; kg.nodes.len()];
    for f in &kg.facts {
        if let Target::Node(o) = f.object {
            has_edge[f.subject] = true;
            has_edge[o] = true;
        }
    }
    let count = has_edge.iter().filter(|b| **b).count();
    let mut out = String::new();
    out.push_str("digraph textkg {\n");
    if count > LARGE_GRAPH {
        let _ = writeln!(out, "  // {count} nodes: render with `sfdp -Tsvg`, or draw a focused view");
        out.push_str("  layout=sfdp; overlap=prism; outputorder=edgesfirst;\n");
    } else {
        out.push_str("  rankdir=LR;\n");
    }
    out.push_str("  node [style=filled, fontname=\"Helvetica\", fontsize=10];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=8, color=\"#555555\"];\n");
    let home = if cluster_by_document { home_documents(kg) } else { vec![None; kg.nodes.len()] };
    let dates = dates_by_subject(kg);
    let mut groups: std::collections::BTreeMap<Option<&str>, Vec<usize>> = Default::default();
    for i in 0..kg.nodes.len() {
        if used[i] && has_edge[i] {
            groups.entry(home[i]).or_default().push(i);
        }
    }
    for (k, (doc, members)) in groups.iter().enumerate() {
        let indent = if doc.is_some() { "    " } else { "  " };
        if let Some(d) = doc {
            let _ = writeln!(out, "  subgraph cluster_{k} {{\n    label=\"{}\"; style=rounded; color=\"#999999\";", escape(d));
        }
        for &i in members {
            let node = &kg.nodes[i];
            let t = &pack.types[node.ty];
            let shape = t.shape.as_deref().unwrap_or("ellipse");
            let color = t.color.clone().unwrap_or_else(|| PALETTE[node.ty % PALETTE.len()].to_string());
            let l = label(kg, i, lang, &dates);
            let _ = writeln!(out, "{indent}{} [label=\"{l}\", shape={shape}, fillcolor=\"{}\", tooltip=\"{}\"];", node_id(&node.iri, base), escape(&color), escape(&t.name));
        }
        if doc.is_some() {
            out.push_str("  }\n");
        }
    }
    for f in &kg.facts {
        if let Target::Node(o) = f.object {
            let rel = &pack.relations[f.relation];
            let dir = if rel.symmetric { ", dir=both" } else { "" };
            let _ = writeln!(out, "  {} -> {} [label=\"{}\"{dir}];", node_id(&kg.nodes[f.subject].iri, base), node_id(&kg.nodes[o].iri, base), escape(&rel.name));
        }
    }
    out.push_str("}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_quotes_and_newlines() {
        assert_eq!(escape("a \"b\" \\ c\nd"), "a \\\"b\\\" \\\\ c d");
        assert_eq!(node_id("http://x/kg/person/a", "http://x/kg/"), "\"person/a\"");
    }
}
