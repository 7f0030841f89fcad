//! The whole extraction, as a library call: inputs → extractions (in
//! parallel, in input order) → knowledge graph.

use crate::extract::{DocExtraction, Document, Extractor};
use crate::graph::iri::Minter;
use crate::graph::KnowledgeGraph;
use crate::input::{InputError, Inputs};
use crate::pack::Pack;
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Extractions of an earlier run, reused for documents whose content and
/// rule pack have not changed: a re-run redoes only what changed, and its
/// output equals a fresh full run's because the graph is always rebuilt from
/// the per-document extractions.
#[derive(Debug, Default)]
pub struct ExtractionCache {
    pub pack: u64,
    docs: std::collections::HashMap<String, CachedDoc>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct CachedDoc {
    id: String,
    hash: u64,
    meta: BTreeMap<String, String>,
    extraction: DocExtraction,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct CacheHeader {
    format: u32,
    pack: u64,
}

pub const CACHE_FILE: &str = "extractions.jsonl";
const CACHE_FORMAT: u32 = 1;

impl ExtractionCache {
    /// The cache in an output folder, if it was made with the same pack.
    pub fn load(dir: &std::path::Path, pack: u64) -> ExtractionCache {
        let mut cache = ExtractionCache { pack, docs: Default::default() };
        let Ok(text) = std::fs::read_to_string(dir.join(CACHE_FILE)) else { return cache };
        let mut lines = text.lines();
        let header: Option<CacheHeader> = lines.next().and_then(|l| serde_json::from_str(l).ok());
        if header.is_none_or(|h| h.format != CACHE_FORMAT || h.pack != pack) {
            return cache;
        }
        for line in lines {
            if let Ok(d) = serde_json::from_str::<CachedDoc>(line) {
                cache.docs.insert(d.id.clone(), d);
            }
        }
        cache
    }

    pub fn to_bytes(&self, docs: &[(DocExtraction, BTreeMap<String, String>)], hashes: &[u64]) -> Vec<u8> {
        let mut out = serde_json::to_string(&CacheHeader { format: CACHE_FORMAT, pack: self.pack }).unwrap_or_default();
        out.push('\n');
        for ((ex, meta), hash) in docs.iter().zip(hashes) {
            let d = CachedDoc { id: ex.doc_id.clone(), hash: *hash, meta: meta.clone(), extraction: ex.clone() };
            if let Ok(line) = serde_json::to_string(&d) {
                out.push_str(&line);
                out.push('\n');
            }
        }
        out.into_bytes()
    }
}

/// What identifies a document's content for the cache.
pub fn document_hash(doc: &Document) -> u64 {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    for part in [doc.id.as_str(), doc.text.as_str(), doc.lang.as_deref().unwrap_or("")] {
        h.update(part.as_bytes());
        h.update(&[0]);
    }
    for (k, v) in &doc.meta {
        h.update(k.as_bytes());
        h.update(&[0]);
        h.update(v.as_bytes());
        h.update(&[0]);
    }
    h.digest()
}

/// A document's extraction with the document's metadata.
pub type Extracted = (DocExtraction, BTreeMap<String, String>);

#[derive(Debug, Default)]
pub struct RunStats {
    /// Documents whose extraction came from the cache.
    pub reused: usize,
    /// Content hashes, in the order of the extractions returned.
    pub hashes: Vec<u64>,
    pub documents: usize,
    pub skipped: Vec<InputError>,
    pub sentences: usize,
    pub mentions: usize,
}

/// Documents are taken in batches so that a corpus is never read whole.
const BATCH: usize = 256;

/// Extracts every document of `inputs`. `on_progress` gets the number of
/// documents done; with `strict`, the first unreadable input stops the run.
pub fn extract_all(pack: &Pack, inputs: Inputs, lang: Option<&str>, strict: bool, cache: Option<&ExtractionCache>, mut on_progress: impl FnMut(usize)) -> (Vec<Extracted>, RunStats) {
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
        let done: Vec<(DocExtraction, BTreeMap<String, String>, u64, bool)> = batch
            .into_par_iter()
            .map(|d| {
                let hash = document_hash(&d);
                match cache.and_then(|c| c.docs.get(&d.id)).filter(|c| c.hash == hash) {
                    Some(c) => (c.extraction.clone(), d.meta, hash, true),
                    None => (extractor.extract(&d), d.meta, hash, false),
                }
            })
            .collect();
        let known = pack.languages().join(", ");
        let done: Vec<(DocExtraction, BTreeMap<String, String>)> = done
            .into_iter()
            .filter_map(|(ex, meta, hash, reused)| {
                if ex.unknown_language {
                    stats.skipped.push(InputError::UnknownLanguage { path: ex.doc_id, known: known.clone() });
                    return None;
                }
                stats.hashes.push(hash);
                stats.reused += usize::from(reused);
                Some((ex, meta))
            })
            .collect();
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

#[cfg(test)]
mod properties {
    use crate::extract::{Document, Extractor};
    use crate::graph::iri::Minter;
    use crate::graph::rdf::dataset_quads;
    use crate::graph::KnowledgeGraph;
    use crate::pack::load_pack;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn pack() -> &'static crate::pack::Pack {
        static PACK: OnceLock<crate::pack::Pack> = OnceLock::new();
        PACK.get_or_init(|| load_pack(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")).expect("shipped pack"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Arbitrary bytes through the whole pipeline: no panic, spans inside
        /// the text, and the dataset re-parses as N-Quads.
        #[test]
        fn arbitrary_documents_never_break_the_pipeline(bytes in proptest::collection::vec(any::<u8>(), 0..400), words in proptest::collection::vec(prop_oneof![
            Just("l'OTAN"), Just("a participé à la réunion ministérielle"), Just("M. Jean Dupont"), Just("les 5 et 6 décembre 2017"),
            Just("NATO"), Just(","), Just("et"), Just("."), Just("\n"), Just("Géorgie"), Just("signée par"), Just("met"), Just("on 5-6 May")
        ], 0..40)) {
            let text = match crate::input::decode("p", &bytes) { Ok(t) => t, Err(_) => String::from_utf8_lossy(&bytes).into_owned() };
            let text = format!("{text} {}", words.join(" "));
            let ex = Extractor::new(pack());
            let out = ex.extract(&Document { id: "p".into(), text: text.clone(), ..Default::default() });
            let nchars = text.chars().count();
            for f in &out.facts {
                prop_assert!(f.provenance.start <= f.provenance.end && f.provenance.end <= nchars);
            }
            let minter = Minter::new("http://x.example/");
            let kg = KnowledgeGraph::build(pack(), &minter, vec![(out, Default::default())]);
            let quads = dataset_quads(&kg, pack(), &minter);
            let nq = crate::export::quads_to_string(&quads, oxigraph::io::RdfFormat::NQuads, pack(), "http://x.example/").unwrap();
            let parsed = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NQuads).for_slice(&nq).collect::<Result<Vec<_>, _>>();
            prop_assert!(parsed.is_ok(), "{:?}", parsed.err());
        }
    }
}
