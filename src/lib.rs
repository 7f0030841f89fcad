//! textkg: rule-based knowledge-graph extraction from news text.
//!
//! The pipeline, one module a stage:
//! `text` (documents → sentences of tokens) → `gazetteer` and `pattern`
//! (mentions and matches) → `extract` (triples with provenance) → `graph`
//! (IRIs, the Oxigraph store, the petgraph graph) → `export` and `query`.

pub mod gazetteer;
pub mod pack;
pub mod pattern;
pub mod text;
pub mod extract;
pub mod graph;
pub mod export;
pub mod input;
pub mod query;
pub mod dump;
pub mod cli;
pub mod pipeline;
pub mod app;
pub mod check;
pub mod eval;
pub mod serve;
pub mod push;
