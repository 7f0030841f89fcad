//! What extraction produces: entities of a document and facts about them,
//! each fact with its provenance. No IRIs here: `graph` mints them.

use super::dates::Date;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A document as the pipeline reads it.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Stable identifier (file name, or the `id` of a JSON Lines record).
    pub id: String,
    pub text: String,
    /// Set by the user or the input; detected when `None`.
    pub lang: Option<String>,
    /// The document's date, when the input gives one (JSON Lines `date`).
    pub date: Option<Date>,
    pub meta: BTreeMap<String, String>,
}

/// An entity of the graph, identified by its type and a key that is the same
/// in every document and every run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    pub ty: usize,
    pub key: String,
    /// (language, label): one per language the entity was seen in.
    pub labels: Vec<(String, String)>,
    /// Other names seen in the text, (language, name): `skos:altLabel`.
    pub aliases: Vec<(String, String)>,
    pub wikidata: Option<String>,
    /// Found in the gazetteer (its key is the table's), not named by a rule.
    #[serde(default)]
    pub listed: bool,
    /// For events: what identifies them across documents.
    pub event: Option<EventIdentity>,
}

/// An event's kind and identifying values (relation name, value key), sorted.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EventIdentity {
    pub kind: String,
    pub attrs: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Object {
    /// Index into [`DocExtraction::entities`].
    Entity(usize),
    Date(Date),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provenance {
    pub sentence: usize,
    /// Character offsets of the match in the document text.
    pub start: usize,
    pub end: usize,
    pub rule: String,
    pub confidence: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    pub subject: usize,
    pub relation: usize,
    pub object: Object,
    pub provenance: Provenance,
}

/// Everything extracted from one document.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DocExtraction {
    pub doc_id: String,
    pub lang: String,
    pub sentences: usize,
    pub mentions: usize,
    pub entities: Vec<Entity>,
    pub facts: Vec<Fact>,
    /// The text is in none of the pack's languages: nothing was extracted.
    #[serde(default)]
    pub unknown_language: bool,
}
