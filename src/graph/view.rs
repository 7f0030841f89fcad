//! Views of a knowledge graph: the neighbourhood of some entities, facts of
//! some relations, facts above a confidence.

use super::{KnowledgeGraph, Target};
use crate::pack::Pack;
use crate::text::fold;
use std::collections::{BTreeSet, VecDeque};

#[derive(Debug, Clone, Default)]
pub struct ViewOptions {
    /// Entities whose label or key matches (ignoring case and accents).
    pub focus: Vec<String>,
    pub depth: usize,
    /// Only these relations (all when empty).
    pub relations: Vec<String>,
    /// Only facts with a source of at least this confidence.
    pub min_confidence: Option<f64>,
}

/// Folded words, space-separated and padded, for whole-word containment.
fn words(s: &str) -> String {
    let w: Vec<String> = fold(s).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect();
    format!(" {} ", w.join(" "))
}

/// A node matches when the needle's words occur in its key, label or a name,
/// its gazetteer entry's names included (the graph keeps only those the
/// documents used; the RDF carries them all as alternative labels).
fn matches(kg: &KnowledgeGraph, pack: &Pack, n: usize, needle: &str) -> bool {
    let node = &kg.nodes[n];
    let needle = words(needle);
    let entry = pack.gazetteer.entry(&node.key).map(|e| &pack.gazetteer.entries[e]).filter(|e| e.ty == node.ty);
    let entry_names = entry.into_iter().flat_map(|e| e.labels.iter().map(|(_, l)| l));
    std::iter::once(&node.key).chain(node.labels.values()).chain(node.aliases.iter().map(|(_, a)| a)).chain(entry_names).any(|l| words(l).contains(&needle))
}

/// The subgraph the options select; node numbering is kept.
pub fn select(kg: &KnowledgeGraph, pack: &Pack, opts: &ViewOptions) -> KnowledgeGraph {
    let keep_fact = |f: &super::GraphFact| {
        (opts.relations.is_empty() || opts.relations.iter().any(|r| *r == pack.relations[f.relation].name)) && opts.min_confidence.is_none_or(|min| f.sources.iter().any(|(_, p)| p.confidence >= min))
    };
    let mut facts: Vec<super::GraphFact> = kg.facts.iter().filter(|f| keep_fact(f)).cloned().collect();
    if !opts.focus.is_empty() {
        let needles: Vec<&String> = opts.focus.iter().collect();
        let mut reached: BTreeSet<usize> = (0..kg.nodes.len()).filter(|&n| needles.iter().any(|x| matches(kg, pack, n, x))).collect();
        let mut queue: VecDeque<(usize, usize)> = reached.iter().map(|&n| (n, 0)).collect();
        while let Some((n, d)) = queue.pop_front() {
            if d >= opts.depth {
                continue;
            }
            for f in &facts {
                let other = match f.object {
                    Target::Node(o) if f.subject == n => Some(o),
                    Target::Node(o) if o == n => Some(f.subject),
                    _ => None,
                };
                if let Some(o) = other {
                    if reached.insert(o) {
                        queue.push_back((o, d + 1));
                    }
                }
            }
        }
        facts.retain(|f| {
            reached.contains(&f.subject)
                && match f.object {
                    Target::Date(_) => true,
                    Target::Node(o) => reached.contains(&o),
                }
        });
    }
    KnowledgeGraph { nodes: kg.nodes.clone(), facts, docs: kg.docs.clone() }
}
