//! textkg: rule-based knowledge-graph extraction from news text.
//!
//! The pipeline, one module a stage:
//! `text` (documents → sentences of tokens) → `gazetteer` and `pattern`
//! (mentions and matches) → `extract` (triples with provenance) → `graph`
//! (IRIs, the Oxigraph store, the petgraph graph) → `export` and `query`.

pub mod app;
pub mod check;
pub mod cli;
pub mod dump;
pub mod eval;
pub mod export;
pub mod extract;
pub mod gazetteer;
pub mod graph;
pub mod input;
pub mod pack;
pub mod pattern;
pub mod pipeline;
pub mod push;
pub mod query;
pub mod serve;
pub mod text;
