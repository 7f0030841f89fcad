//! The whole extraction, as a library call: inputs → extractions (in
//! parallel, in input order) → knowledge graph.

use crate::extract::{DocExtraction, Extractor};
use crate::graph::iri::Minter;
use crate::graph::KnowledgeGraph;
use crate::input::{InputError, Inputs};
use crate::pack::Pack;
use rayon::prelude::*;
use std::collections::BTreeMap;

#[derive(Debug, Default)]
pub struct RunStats {
    pub documents: usize,
    pub skipped: Vec<InputError>,
    pub sentences: usize,
    pub mentions: usize,
}

/// Documents are taken in batches so that a corpus is never read whole.
const BATCH: usize = 256;

/// Extracts every document of `inputs`. `on_progress` gets the number of
/// documents done; with `strict`, the first unreadable input stops the run.
pub fn extract_all(pack: &Pack, inputs: Inputs, lang: Option<&str>, strict: bool, mut on_progress: impl FnMut(usize)) -> (Vec<(DocExtraction, BTreeMap<String, String>)>, RunStats) {
    let extractor = Extractor::new(pack);
    let mut stats = RunStats::default();
    let mut out = Vec::new();
    let mut inputs = inputs.peekable();
    while inputs.peek().is_some() {
        let mut batch = Vec::new();
        for item in inputs.by_ref().take(BATCH) {
            match item {
                Ok(mut doc) => {
                    if let Some(l) = lang {
                        doc.lang = Some(l.to_string());
                    }
                    batch.push(doc);
                }
                Err(e) => {
                    stats.skipped.push(e);
                    if strict {
                        break;
                    }
                }
            }
        }
        let done: Vec<(DocExtraction, BTreeMap<String, String>)> = batch.into_par_iter().map(|d| (extractor.extract(&d), d.meta)).collect();
        for (ex, _) in &done {
            stats.documents += 1;
            stats.sentences += ex.sentences;
            stats.mentions += ex.mentions;
        }
        out.extend(done);
        on_progress(stats.documents);
        if strict && !stats.skipped.is_empty() {
            break;
        }
    }
    (out, stats)
}

pub fn build_graph(pack: &Pack, base: &str, docs: Vec<(DocExtraction, BTreeMap<String, String>)>) -> KnowledgeGraph {
    KnowledgeGraph::build(pack, &Minter::new(base), docs)
}
