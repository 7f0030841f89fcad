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
///
/// Only an index is held (document id → content hash and place in the file);
/// an extraction is read back from the file when its document comes.
#[derive(Debug, Default)]
pub struct ExtractionCache {
    pub pack: u64,
    file: Option<std::fs::File>,
    docs: std::collections::HashMap<String, (u64, u64, usize)>,
}

/// A record of the cache file: written from borrowed values, read back owned.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct CacheLine<S, M, E> {
    id: S,
    hash: u64,
    meta: M,
    extraction: E,
}

type CachedDoc = CacheLine<String, BTreeMap<String, String>, DocExtraction>;

/// The fields a record opens with, all the index needs.
#[derive(serde::Deserialize)]
struct CachedKey {
    id: String,
    hash: u64,
}

/// The cache file is binary: the run writes every extraction to it and
/// reads it back for the merge, and JSON made a tenth of the work of a run
/// on short documents. It opens with `MAGIC`, the format and the pack's
/// fingerprint (little-endian u32 and u64); then each record is its length
/// (little-endian u32) and a `CacheLine` in postcard.
pub const CACHE_FILE: &str = "extractions.bin";
/// The cache file of earlier versions, removed when found.
pub const OLD_CACHE_FILE: &str = "extractions.jsonl";
const MAGIC: &[u8; 16] = b"textkg-extracted";
const CACHE_FORMAT: u32 = 3;
const HEADER_LEN: u64 = MAGIC.len() as u64 + 12;

/// Reads the next record of a cache file into `buf`; false at the end of
/// the file. A record cut short (a crash while writing) is an error.
fn next_record(reader: &mut impl std::io::Read, buf: &mut Vec<u8>) -> std::io::Result<bool> {
    let mut len = [0u8; 4];
    match reader.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => return Ok(false),
        Err(e) => return Err(e),
    }
    buf.clear();
    let len = u32::from_le_bytes(len) as u64;
    std::io::Read::read_to_end(&mut std::io::Read::take(reader, len), buf)?;
    if buf.len() as u64 != len {
        return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "an extraction record is cut short"));
    }
    Ok(true)
}

impl ExtractionCache {
    /// The cache in an output folder, if it was made with the same pack.
    pub fn load(dir: &std::path::Path, pack: u64) -> ExtractionCache {
        use std::io::Read;
        let mut cache = ExtractionCache { pack, ..Default::default() };
        let Ok(file) = std::fs::File::open(dir.join(CACHE_FILE)) else { return cache };
        let mut reader = std::io::BufReader::new(&file);
        let mut header = [0u8; HEADER_LEN as usize];
        if reader.read_exact(&mut header).is_err() || header[..MAGIC.len()] != MAGIC[..] {
            return cache;
        }
        let (format, fingerprint) = header[MAGIC.len()..].split_at(4);
        if u32::from_le_bytes(format.try_into().unwrap()) != CACHE_FORMAT || u64::from_le_bytes(fingerprint.try_into().unwrap()) != pack {
            return cache;
        }
        let mut offset = HEADER_LEN;
        let mut record = Vec::new();
        while let Ok(true) = next_record(&mut reader, &mut record) {
            if let Ok((k, _)) = postcard::take_from_bytes::<CachedKey>(&record) {
                cache.docs.insert(k.id, (k.hash, offset + 4, record.len()));
            }
            offset += 4 + record.len() as u64;
        }
        cache.file = Some(file);
        cache
    }

    /// The earlier extraction of a document whose content hash is `hash`.
    fn get(&self, id: &str, hash: u64) -> Option<DocExtraction> {
        use std::os::unix::fs::FileExt;
        let &(h, offset, len) = self.docs.get(id)?;
        if h != hash {
            return None;
        }
        let mut buf = vec![0; len];
        self.file.as_ref()?.read_exact_at(&mut buf, offset).ok()?;
        postcard::from_bytes::<CachedDoc>(&buf).ok().map(|d| d.extraction)
    }
}

/// Writes a cache file a document at a time, and reads it back in order:
/// the run's extractions live on disk between extraction and merge.
pub struct CacheWriter {
    path: std::path::PathBuf,
    out: std::io::BufWriter<std::fs::File>,
    /// The record being written, kept from one to the next.
    buf: Vec<u8>,
}

impl CacheWriter {
    pub fn create(path: &std::path::Path, pack: u64) -> std::io::Result<CacheWriter> {
        use std::io::Write;
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        out.write_all(MAGIC)?;
        out.write_all(&CACHE_FORMAT.to_le_bytes())?;
        out.write_all(&pack.to_le_bytes())?;
        Ok(CacheWriter { path: path.to_path_buf(), out, buf: Vec::new() })
    }

    pub fn push(&mut self, ex: &DocExtraction, meta: &BTreeMap<String, String>, hash: u64) -> std::io::Result<()> {
        use std::io::Write;
        let line = CacheLine { id: &*ex.doc_id, hash, meta, extraction: ex };
        let buf = postcard::to_extend(&line, std::mem::take(&mut self.buf)).map_err(std::io::Error::other)?;
        let len = u32::try_from(buf.len()).map_err(|_| std::io::Error::other(format!("the extraction of {} is over 4 GiB", ex.doc_id)))?;
        self.out.write_all(&len.to_le_bytes())?;
        self.out.write_all(&buf)?;
        self.buf = buf;
        self.buf.clear();
        Ok(())
    }

    /// Flushes the file and hands its extractions back to `take`, in the
    /// order written. Records are parsed a batch at a time on every core
    /// while `take` has the batch before: the merge it does is the one
    /// serial stage left.
    pub fn read_back(self, mut take: impl FnMut(Extracted) + Send) -> std::io::Result<()> {
        use std::io::Seek;
        // No fsync: this process reads the file back at once, and a file
        // lost in a crash is only a cache to rebuild.
        self.out.into_inner().map_err(|e| e.into_error())?;
        let mut reader = std::io::BufReader::new(std::fs::File::open(&self.path)?);
        reader.seek(std::io::SeekFrom::Start(HEADER_LEN))?;
        let parse = |r: Vec<u8>| -> std::io::Result<Extracted> {
            let d: CachedDoc = postcard::from_bytes(&r).map_err(std::io::Error::other)?;
            Ok((d.extraction, d.meta))
        };
        let mut pending: Vec<std::io::Result<Extracted>> = Vec::new();
        loop {
            let mut batch = Vec::with_capacity(BATCH);
            let mut record = Vec::new();
            while batch.len() < BATCH && next_record(&mut reader, &mut record)? {
                batch.push(std::mem::take(&mut record));
            }
            if batch.is_empty() && pending.is_empty() {
                return Ok(());
            }
            let (taken, parsed) = rayon::join(|| pending.drain(..).try_for_each(|e| e.map(&mut take)), || batch.into_par_iter().map(parse).collect());
            taken?;
            pending = parsed;
        }
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
    pub documents: usize,
    pub skipped: Vec<InputError>,
    pub sentences: usize,
    pub mentions: usize,
}

/// Documents are taken in batches so that a corpus is never read whole.
const BATCH: usize = 256;

/// Extracts every document of `inputs` and hands each extraction, in input
/// order, to `sink` with its metadata and content hash; none is kept.
/// `on_progress` gets the number of documents done; with `strict`, the first
/// unreadable input stops the run.
pub fn extract_each(
    extractor: &Extractor,
    inputs: Inputs,
    lang: Option<&str>,
    strict: bool,
    cache: Option<&ExtractionCache>,
    mut on_progress: impl FnMut(usize),
    mut sink: impl FnMut(DocExtraction, BTreeMap<String, String>, u64) + Send,
) -> RunStats {
    let mut stats = RunStats::default();
    let known = extractor.pack().languages().join(", ");
    // A batch extracted on every core, in input order; the documents whose
    // language the pack lacks are counted as skipped.
    let mut extract = |(batch, errors): Batch, stats: &mut RunStats| -> Vec<(DocExtraction, BTreeMap<String, String>, u64)> {
        stats.skipped.extend(errors);
        let done: Vec<(DocExtraction, BTreeMap<String, String>, u64, bool)> = batch
            .into_par_iter()
            .map(|d| {
                let hash = document_hash(&d);
                match cache.and_then(|c| c.get(&d.id, hash)) {
                    Some(ex) => (ex, d.meta, hash, true),
                    None => (extractor.extract(&d), d.meta, hash, false),
                }
            })
            .collect();
        let mut kept = Vec::with_capacity(done.len());
        for (ex, meta, hash, reused) in done {
            if ex.unknown_language {
                stats.skipped.push(InputError::UnknownLanguage { path: ex.doc_id, known: known.clone() });
                continue;
            }
            stats.reused += usize::from(reused);
            stats.documents += 1;
            stats.sentences += ex.sentences;
            stats.mentions += ex.mentions;
            kept.push((ex, meta, hash));
        }
        on_progress(stats.documents);
        kept
    };
    let mut inputs = inputs;
    // `--jobs 1` is one thread: a run allowed one core uses one.
    if rayon::current_num_threads() == 1 {
        while let Some(batch) = next_batch(&mut inputs, lang, strict) {
            for (ex, meta, hash) in extract(batch, &mut stats) {
                sink(ex, meta, hash);
            }
            if strict && !stats.skipped.is_empty() {
                break;
            }
        }
        return stats;
    }
    // Otherwise three stages in their own threads: reading a batch,
    // extracting the one before (on every core), handing the one before
    // that to the sink; so that reading and writing never leave the cores
    // idle.
    std::thread::scope(|scope| {
        let (batches_tx, batches) = std::sync::mpsc::sync_channel::<Batch>(1);
        let (done_tx, done_rx) = std::sync::mpsc::sync_channel::<Vec<(DocExtraction, BTreeMap<String, String>, u64)>>(1);
        scope.spawn(move || {
            while let Some(batch) = next_batch(&mut inputs, lang, strict) {
                let failed = strict && !batch.1.is_empty();
                if batches_tx.send(batch).is_err() || failed {
                    break;
                }
            }
        });
        let writer = scope.spawn(move || {
            for done in done_rx {
                for (ex, meta, hash) in done {
                    sink(ex, meta, hash);
                }
            }
        });
        for batch in batches {
            if done_tx.send(extract(batch, &mut stats)).is_err() {
                break;
            }
            if strict && !stats.skipped.is_empty() {
                break;
            }
        }
        drop(done_tx);
        let _ = writer.join();
    });
    stats
}

/// Documents and the inputs that could not be read, in input order.
type Batch = (Vec<Document>, Vec<InputError>);

/// The next [`BATCH`] documents; with `strict`, the batch ends at the first
/// input that cannot be read. `None` once the inputs are exhausted.
fn next_batch(inputs: &mut Inputs, lang: Option<&str>, strict: bool) -> Option<Batch> {
    let (mut batch, mut errors) = (Vec::new(), Vec::new());
    for item in inputs.by_ref().take(BATCH) {
        match item {
            Ok(mut doc) => {
                if let Some(l) = lang {
                    doc.lang = Some(l.to_string());
                }
                batch.push(doc);
            }
            Err(e) => {
                errors.push(e);
                if strict {
                    break;
                }
            }
        }
    }
    (!batch.is_empty() || !errors.is_empty()).then_some((batch, errors))
}

/// How a run reads its inputs.
pub struct RunOptions<'a> {
    /// Forces every document's language.
    pub lang: Option<&'a str>,
    /// Stop at the first input that cannot be read.
    pub strict: bool,
    /// Extractions of an earlier run to reuse.
    pub cache: Option<&'a ExtractionCache>,
    /// What the new cache file is keyed by (pack and engine).
    pub fingerprint: u64,
}

/// What a run made besides the graph: the facts each rule made, and the
/// language of the first document.
pub struct RunFacts {
    pub fired: BTreeMap<String, usize>,
    pub lang: String,
}

/// The first pass of a run: each extraction goes to the cache file `part`
/// as it is made, and only what the merge needs of the whole corpus (event
/// identities, names) stays in memory. [`Extractions::merge`] is the second
/// pass. The caller puts `part` in place as the cache once its outputs are
/// written.
pub fn extract_run(pack: &Pack, inputs: Inputs, run: &RunOptions, part: &std::path::Path, on_progress: impl FnMut(usize)) -> std::io::Result<Extractions> {
    let mut writer = CacheWriter::create(part, run.fingerprint)?;
    let mut write_error = None;
    let mut summary = crate::graph::CorpusSummary::new(pack);
    let mut fired: BTreeMap<String, usize> = BTreeMap::new();
    let mut lang = None;
    let stats = extract_each(&Extractor::new(pack), inputs, run.lang, run.strict, run.cache, on_progress, |ex, meta, hash| {
        for f in &ex.facts {
            // Counted by name without a copy of it per fact: a rule's name is
            // allocated once, the first time it fires.
            match fired.get_mut(f.provenance.rule.as_str()) {
                Some(n) => *n += 1,
                None => {
                    fired.insert(f.provenance.rule.clone(), 1);
                }
            }
        }
        lang.get_or_insert_with(|| ex.lang.clone());
        summary.add(pack, &ex);
        if let Err(e) = writer.push(&ex, &meta, hash) {
            write_error.get_or_insert(e);
        }
    });
    if let Some(e) = write_error {
        return Err(e);
    }
    Ok(Extractions { writer, summary, stats, facts: RunFacts { fired, lang: lang.unwrap_or_else(|| "en".into()) } })
}

/// A run's extractions, on disk, between extraction and merge.
pub struct Extractions {
    writer: CacheWriter,
    summary: crate::graph::CorpusSummary,
    stats: RunStats,
    facts: RunFacts,
}

impl Extractions {
    /// The second pass: the graph, merged from the file. It needs only the
    /// pack's schema and gazetteer entries, so the caller may have dropped
    /// the matchers ([`Pack::drop_matchers`]) by now.
    pub fn merge(self, pack: &Pack, minter: &Minter) -> std::io::Result<(KnowledgeGraph, RunStats, RunFacts)> {
        let mut builder = crate::graph::GraphBuilder::new(pack, minter, self.summary);
        self.writer.read_back(|(ex, meta)| builder.add(ex, meta))?;
        Ok((builder.finish(), self.stats, self.facts))
    }
}

/// [`extract_each`], keeping every extraction: for small corpora and tests.
pub fn extract_all(pack: &Pack, inputs: Inputs, lang: Option<&str>, strict: bool, cache: Option<&ExtractionCache>, on_progress: impl FnMut(usize)) -> (Vec<Extracted>, RunStats) {
    let mut out = Vec::new();
    let stats = extract_each(&Extractor::new(pack), inputs, lang, strict, cache, on_progress, |ex, meta, _| out.push((ex, meta)));
    (out, stats)
}

pub fn build_graph(pack: &Pack, base: &str, docs: Vec<(DocExtraction, BTreeMap<String, String>)>) -> KnowledgeGraph {
    KnowledgeGraph::build(pack, &Minter::new(base), docs)
}

#[cfg(test)]
mod cache_file {
    use super::*;

    fn extraction(id: &str, sentences: usize) -> DocExtraction {
        DocExtraction { doc_id: id.into(), lang: "fr".into(), sentences, ..Default::default() }
    }

    #[test]
    fn records_come_back_in_order_and_a_cut_file_keeps_its_whole_records() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(CACHE_FILE);
        let mut w = CacheWriter::create(&path, 7).unwrap();
        let meta = BTreeMap::from([("title".to_string(), "T".to_string())]);
        for (k, id) in ["a", "b", "c"].iter().enumerate() {
            w.push(&extraction(id, k), &meta, 100 + k as u64).unwrap();
        }
        let mut back = Vec::new();
        w.read_back(|(ex, m)| back.push((ex.doc_id, ex.sentences, m))).unwrap();
        assert_eq!(back, [("a".into(), 0, meta.clone()), ("b".into(), 1, meta.clone()), ("c".into(), 2, meta.clone())]);

        let cache = ExtractionCache::load(dir.path(), 7);
        assert_eq!(cache.get("b", 101).map(|e| e.sentences), Some(1));
        assert!(cache.get("b", 999).is_none(), "another content hash");
        assert!(ExtractionCache::load(dir.path(), 8).get("b", 101).is_none(), "another pack");

        // A crash in the last record: the index keeps the two before it,
        // and reading the file back is an error, not a shorter corpus.
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() - 3]).unwrap();
        let cache = ExtractionCache::load(dir.path(), 7);
        assert!(cache.get("a", 100).is_some() && cache.get("b", 101).is_some() && cache.get("c", 102).is_none());
        let cut = CacheWriter { path: path.clone(), out: std::io::BufWriter::new(std::fs::OpenOptions::new().append(true).open(&path).unwrap()), buf: Vec::new() };
        let err = cut.read_back(|_| {}).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::UnexpectedEof);
    }
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

    /// The run drops the pack's matchers between extraction and merge: the
    /// merge and the dataset must read nothing of what goes.
    #[test]
    fn a_pack_without_its_matchers_merges_and_exports_the_same_dataset() {
        let texts = [
            "BRUXELLES, le 5 décembre 2017 – M. Jean Dupont a participé à la réunion des ministres des Affaires étrangères de l'OTAN, présidée par le Secrétaire général.",
            "On 6 May 2019, NATO and the European Union agreed to cooperate on cyber defence, and Georgia joined the talks in Brussels.",
        ];
        let docs: Vec<_> =
            texts.iter().enumerate().map(|(i, t)| (Extractor::new(pack()).extract(&Document { id: format!("d{i}"), text: t.to_string(), ..Default::default() }), Default::default())).collect();
        let minter = Minter::new("http://x.example/");
        let nquads = |p: &crate::pack::Pack| {
            let kg = KnowledgeGraph::build(p, &minter, docs.clone());
            crate::export::quads_to_string(&dataset_quads(&kg, p, &minter), oxigraph::io::RdfFormat::NQuads, p, "http://x.example/").unwrap()
        };
        let mut schema_only = pack().clone();
        schema_only.drop_matchers();
        assert!(schema_only.rules.is_empty());
        let (full, merged) = (String::from_utf8(nquads(pack())).unwrap(), String::from_utf8(nquads(&schema_only)).unwrap());
        assert!(full.contains("owl#sameAs") && full.contains("Georgia"), "{full}");
        assert_eq!(full, merged);
    }

    /// A symmetric fact a match reads both ways is one source; the same
    /// fact read again in another sentence is another.
    #[test]
    fn a_fact_keeps_one_source_per_match_and_one_per_sentence() {
        let text = "NATO and the European Union agreed to cooperate on cyber defence. NATO and the European Union agreed to cooperate on hybrid threats.";
        let out = Extractor::new(pack()).extract(&Document { id: "d".into(), text: text.into(), ..Default::default() });
        let kg = KnowledgeGraph::build(pack(), &Minter::new("http://x.example/"), vec![(out, Default::default())]);
        let coop = pack().relation_id("cooperates_with").expect("cooperates_with");
        let sources: Vec<usize> = kg.facts.iter().filter(|f| f.relation == coop).flat_map(|f| f.sources.iter().map(|(_, p)| p.sentence)).collect();
        assert_eq!(sources, [0, 1], "{:?}", kg.facts.iter().filter(|f| f.relation == coop).collect::<Vec<_>>());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Arbitrary bytes through the whole pipeline: no panic, spans inside
        /// the text, and the dataset re-parses as N-Quads.
        #[test]
        fn arbitrary_documents_never_break_the_pipeline(bytes in proptest::collection::vec(any::<u8>(), 0..400), words in proptest::collection::vec(prop_oneof![
            Just("l'OTAN"), Just("a participé à la réunion ministérielle"), Just("M. Jean Dupont"), Just("les 5 et 6 décembre 2017"),
            Just("NATO"), Just(","), Just("et"), Just("."), Just("\n"), Just("Géorgie"), Just("signée par"), Just("met"), Just("on 5-6 May"),
            // Characters whose folding changes their length or count.
            Just("ŉ't"), Just("İstanbul"), Just("ﬁnance"), Just("Straße"), Just("ǅ"), Just("\u{301}"), Just("l’"), Just("’s"), Just("n’t"),
            Just("U.S."), Just("J."), Just("…"), Just("\u{a0}"), Just("« »"), Just("1.5")
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
