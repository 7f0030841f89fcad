//! The export stage: Turtle, N-Triples and TriG through Oxigraph's
//! serialisers, DOT through our own writer, and the store's dataset file.
//! Every file is written to a temporary name and renamed, so a crash never
//! leaves half a file.
//!
//! Files derived from the corpus are not flushed to disk before the rename:
//! a run can make them again, and on many short documents `fsync` of the
//! 600 MB dataset was a tenth of the run. What only the file holds (the
//! updates `serve` writes back) goes through [`write_durable`].

pub mod dot;

use crate::graph::iri::*;
use crate::graph::KnowledgeGraph;
use crate::pack::Pack;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{Quad, Triple};
use std::io::{self, Write};
use std::path::Path;

/// The store file `extract` writes, that `query`, `serve`, `dump` and
/// `push` open (see [`crate::graph::snapshot`]).
pub const STORE_FILE: &str = crate::graph::snapshot::SNAPSHOT_FILE;

/// The store as `serve --allow-update` leaves it, as N-Quads: opened
/// instead of [`STORE_FILE`] when it is the newer of the two.
pub const UPDATED_STORE_FILE: &str = "store.nq";

/// The dataset as N-Quads, written with `extract --nquads`.
pub const NQUADS_FILE: &str = "graph.nq";

/// Writes `bytes` to `path` atomically (temporary file, then rename).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |w| w.write_all(bytes))
}

/// Writes what `fill` writes to `path` atomically, streaming it to a
/// temporary file that is renamed once complete.
pub fn write_atomic_with(path: &Path, fill: impl FnOnce(&mut io::BufWriter<std::fs::File>) -> io::Result<()>) -> io::Result<()> {
    let tmp = temporary(path);
    {
        let mut w = io::BufWriter::new(std::fs::File::create(&tmp)?);
        fill(&mut w)?;
        w.into_inner().map_err(|e| e.into_error())?;
    }
    std::fs::rename(&tmp, path)
}

/// Writes `bytes` to `path` atomically and on disk before returning: the
/// file and then its folder are synced, so that a power cut after the call
/// leaves the new file, and one during it leaves the old one.
pub fn write_durable(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |w| {
        w.write_all(bytes)?;
        w.flush()?;
        w.get_ref().sync_all()
    })?;
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::File::open(folder)?.sync_all()
}

/// Where a file is written before it is renamed into place.
fn temporary(path: &Path) -> std::path::PathBuf {
    path.with_extension(format!("{}.tmp", path.extension().and_then(|e| e.to_str()).unwrap_or("")))
}

/// The dataset of a graph, generated anew for each file written from it.
#[derive(Clone, Copy)]
pub struct Dataset<'a> {
    pub kg: &'a KnowledgeGraph,
    pub pack: &'a Pack,
    pub minter: &'a Minter,
}

impl Dataset<'_> {
    /// Writes the dataset once in each of `files` (path, serialiser): the
    /// entities first, then the documents, in blocks whose quads are made
    /// and serialised on every core, one pass for all the files, and written
    /// in order. Each document is a graph of its own, so a block ends its
    /// last graph and the blocks join as they are: a file equals a serial
    /// one once the prefix lines each block's serialiser opens with are left
    /// out. Each file is written to a temporary name and renamed when whole.
    fn write_dataset_files(&self, files: &[(&Path, RdfSerializer)]) -> io::Result<()> {
        use crate::graph::rdf::{each_document_quad, each_entity_quad, in_document_blocks, sources_by_document};
        let mut outs: Vec<io::BufWriter<std::fs::File>> = files.iter().map(|(p, _)| std::fs::File::create(temporary(p)).map(io::BufWriter::new)).collect::<io::Result<_>>()?;
        let mut entities = 0;
        {
            let mut ser: Vec<_> = files.iter().zip(&mut outs).map(|((_, s), w)| s.clone().for_writer(w)).collect();
            each_entity_quad(self.kg, self.pack, self.minter, |q| {
                entities += 1;
                ser.iter_mut().try_for_each(|s| s.serialize_quad(&q))
            })?;
            ser.into_iter().try_for_each(|s| s.finish().map(drop))?;
        }
        // A serialiser declares its prefixes with its first quad: the
        // entities', or else the first block's.
        let mut declared = entities > 0;
        let sources = sources_by_document(self.kg);
        // A block's buffer starts at the size of the largest block so far:
        // grown from empty, its copies were a tenth of the writing.
        let largest: Vec<std::sync::atomic::AtomicUsize> = files.iter().map(|_| Default::default()).collect();
        let serialise = |block: &[crate::graph::DocSummary]| -> io::Result<Vec<Vec<u8>>> {
            use std::sync::atomic::Ordering::Relaxed;
            let mut ser: Vec<_> = files.iter().zip(&largest).map(|((_, s), n)| s.clone().for_writer(Vec::with_capacity(n.load(Relaxed)))).collect();
            for d in block {
                let read = sources.get(d.id.as_str()).map_or(&[][..], Vec::as_slice);
                each_document_quad(self.kg, self.pack, self.minter, d, read, |q| ser.iter_mut().try_for_each(|s| s.serialize_quad(q)))?;
            }
            let bufs: Vec<Vec<u8>> = ser.into_iter().map(|s| s.finish()).collect::<io::Result<_>>()?;
            for (b, n) in bufs.iter().zip(&largest) {
                n.fetch_max(b.len(), Relaxed);
            }
            Ok(bufs)
        };
        let write = |block: io::Result<Vec<Vec<u8>>>| -> io::Result<()> {
            for (w, b) in outs.iter_mut().zip(block?) {
                w.write_all(if declared { without_prefix_lines(&b) } else { &b })?;
            }
            declared = true;
            Ok(())
        };
        // Blocks are serialised on every core and written in order.
        in_document_blocks(&self.kg.docs, serialise, write)?;
        for (w, (path, _)) in outs.into_iter().zip(files) {
            w.into_inner().map_err(|e| e.into_error())?;
            std::fs::rename(temporary(path), path)?;
        }
        Ok(())
    }
}

/// A serialised block without the `@prefix` lines it opens with (the file
/// declared them before).
fn without_prefix_lines(mut block: &[u8]) -> &[u8] {
    while block.starts_with(b"@prefix ") {
        let end = block.iter().position(|&b| b == b'\n').map_or(block.len(), |k| k + 1);
        block = &block[end..];
    }
    block
}

fn prefixed(format: RdfFormat, pack: &Pack, base: &str) -> RdfSerializer {
    let mut s = RdfSerializer::from_format(format);
    let mut prefixes: Vec<(String, String)> = vec![
        ("rdf".into(), RDF_NS.into()),
        ("rdfs".into(), "http://www.w3.org/2000/01/rdf-schema#".into()),
        ("owl".into(), "http://www.w3.org/2002/07/owl#".into()),
        ("skos".into(), "http://www.w3.org/2004/02/skos/core#".into()),
        ("xsd".into(), XSD_NS.into()),
        ("wd".into(), WIKIDATA_ENTITY.into()),
        ("prov".into(), PROV_NS.into()),
        ("dcterms".into(), DCTERMS_NS.into()),
        ("tk".into(), TEXTKG_NS.into()),
        ("kg".into(), base.into()),
    ];
    // One prefix per entity type, so that IRIs read `country:georgia`.
    for t in &pack.types {
        let name = t.name.to_lowercase();
        if !t.iri.is_empty() && !prefixes.iter().any(|(n, _)| *n == name) && !pack.prefixes.iter().any(|(n, _)| *n == name) {
            prefixes.push((name.clone(), format!("{base}{}/", crate::graph::iri::encode(&name))));
        }
    }
    for (name, iri) in &pack.prefixes {
        if !prefixes.iter().any(|(n, _)| n == name) {
            prefixes.push((name.clone(), iri.clone()));
        }
    }
    for (name, iri) in prefixes {
        s = match s.clone().with_prefix(name, iri) {
            Ok(x) => x,
            Err(_) => s,
        };
    }
    s
}

pub fn triples_to_string(triples: &[Triple], format: RdfFormat, pack: &Pack, base: &str) -> io::Result<Vec<u8>> {
    write_triples(Vec::new(), triples, format, pack, base)
}

/// Serialises triples into `out` as they come, with the pack's prefixes.
pub fn write_triples<W: Write>(out: W, triples: &[Triple], format: RdfFormat, pack: &Pack, base: &str) -> io::Result<W> {
    let mut w = prefixed(format, pack, base).for_writer(out);
    for t in triples {
        w.serialize_triple(t)?;
    }
    w.finish()
}

pub fn quads_to_string(quads: &[Quad], format: RdfFormat, pack: &Pack, base: &str) -> io::Result<Vec<u8>> {
    let mut w = prefixed(format, pack, base).for_writer(Vec::new());
    for q in quads {
        w.serialize_quad(q)?;
    }
    w.finish()
}

/// Facts with their provenance as CSV: one row per fact and source. Written
/// as it goes: the file grows with the corpus, so it is never held whole.
pub fn write_facts_csv(out: impl Write, kg: &KnowledgeGraph, pack: &Pack) -> io::Result<()> {
    use std::fmt::Write as _;
    let mut w = csv::Writer::from_writer(out);
    w.write_record(["subject", "subject_label", "relation", "object", "object_label", "document", "sentence", "start", "end", "rule", "confidence"])?;
    let label = |n: usize| kg.nodes[n].labels.values().next().map_or("", String::as_str);
    // A row per source of a fact, hundreds of thousands in a large corpus:
    // text is borrowed and numbers go through one buffer, so that a row
    // allocates nothing.
    let mut buf = String::new();
    let mut formatted = |w: &mut csv::Writer<_>, value: std::fmt::Arguments| -> io::Result<()> {
        buf.clear();
        let _ = buf.write_fmt(value);
        Ok(w.write_field(&buf)?)
    };
    for f in &kg.facts {
        let date;
        let (object, object_label) = match &f.object {
            crate::graph::Target::Node(o) => (kg.nodes[*o].iri.as_str(), label(*o)),
            crate::graph::Target::Date(d) => {
                date = d.to_string();
                (date.as_str(), date.as_str())
            }
        };
        for (doc, p) in &f.sources {
            for field in [kg.nodes[f.subject].iri.as_str(), label(f.subject), pack.relations[f.relation].name.as_str(), object, object_label] {
                w.write_field(field)?;
            }
            w.write_field(&**doc)?;
            formatted(&mut w, format_args!("{}", p.sentence))?;
            formatted(&mut w, format_args!("{}", p.start))?;
            formatted(&mut w, format_args!("{}", p.end))?;
            w.write_field(&p.rule)?;
            formatted(&mut w, format_args!("{:.3}", p.confidence))?;
            w.write_record(None::<&[u8]>)?;
        }
    }
    w.flush()
}

/// Writes the dataset as N-Quads shards of at most `size` quads each into
/// `dir/shards/`, replacing earlier shards; returns how many were written.
pub fn write_shards(dir: &Path, data: Dataset, size: usize) -> io::Result<usize> {
    let shards = dir.join("shards");
    if shards.is_dir() {
        for e in std::fs::read_dir(&shards)? {
            let p = e?.path();
            if p.extension().is_some_and(|x| x == "nq") {
                std::fs::remove_file(p)?;
            }
        }
    }
    std::fs::create_dir_all(&shards)?;
    let size = size.max(1);
    let mut chunk = Vec::with_capacity(size.min(1 << 16));
    let mut n = 0;
    let flush = |chunk: &mut Vec<oxigraph::model::Quad>, n: &mut usize| -> io::Result<()> {
        *n += 1;
        write_atomic_with(&shards.join(format!("part-{:05}.nq", *n)), |w| {
            let mut s = RdfSerializer::from_format(RdfFormat::NQuads).for_writer(w);
            for q in chunk.drain(..) {
                s.serialize_quad(&q)?;
            }
            s.finish().map(|_| ())
        })
    };
    crate::graph::rdf::each_dataset_quad(data.kg, data.pack, data.minter, |q| {
        chunk.push(q.into_owned());
        if chunk.len() == size {
            flush(&mut chunk, &mut n)?;
        }
        Ok::<(), io::Error>(())
    })?;
    if !chunk.is_empty() {
        flush(&mut chunk, &mut n)?;
    }
    Ok(n)
}

/// The RocksDB store folder written beside the store file with the `rocksdb` feature.
pub const ROCKSDB_DIR: &str = "store.rocksdb";

/// Builds the RocksDB store in a fresh folder, then swaps it in, so that a
/// crash leaves either the old store or the new one.
#[cfg(feature = "rocksdb")]
fn write_rocksdb(dir: &Path, data: Dataset) -> io::Result<()> {
    let fresh = dir.join(format!("{ROCKSDB_DIR}.new"));
    let old = dir.join(format!("{ROCKSDB_DIR}.old"));
    let _ = std::fs::remove_dir_all(&fresh);
    {
        let store = oxigraph::store::Store::open(&fresh).map_err(io::Error::other)?;
        crate::graph::rdf::load_dataset(&store, data.kg, data.pack, data.minter).map_err(io::Error::other)?;
        store.flush().map_err(io::Error::other)?;
    }
    let _ = std::fs::remove_dir_all(&old);
    if dir.join(ROCKSDB_DIR).exists() {
        std::fs::rename(dir.join(ROCKSDB_DIR), &old)?;
    }
    std::fs::rename(&fresh, dir.join(ROCKSDB_DIR))?;
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

/// The TriG file of the dataset, written with `extract --trig`.
pub const TRIG_FILE: &str = "graph.trig";

/// The files that may hold the store or the dataset (every fact with its
/// provenance).
pub const DATASET_FILES: [&str; 4] = [STORE_FILE, UPDATED_STORE_FILE, NQUADS_FILE, TRIG_FILE];

/// Which of the store and the dataset's RDF files `write_all` writes. The
/// dataset is on many short documents 25 times the input, and its RDF
/// costs more to write than the extraction: the store file holds the
/// graph it is made from, and the RDF is written on request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DatasetFiles {
    /// The store file (and with the `rocksdb` feature, the RocksDB store).
    pub store: bool,
    /// graph.nq
    pub nquads: bool,
    /// graph.trig
    pub trig: bool,
}

impl DatasetFiles {
    /// The names of the files, in the order they are listed to the user.
    pub fn names(&self) -> Vec<&'static str> {
        [(self.store, STORE_FILE), (self.nquads, NQUADS_FILE), (self.trig, TRIG_FILE)].into_iter().filter(|(on, _)| *on).map(|(_, f)| f).collect()
    }
}

/// Writes graph.ttl, graph.nt, graph.jsonld, graph.dot and facts.csv, and
/// the store and dataset files `dataset` names. Those it does not write are
/// removed: left from an earlier run, they would describe another
/// extraction than the graph files beside them.
pub fn write_all(dir: &Path, triples: &[Triple], data: Dataset, base: &str, lang: &str, dataset: DatasetFiles) -> io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let (kg, pack) = (data.kg, data.pack);
    remove_dataset(dir, &dataset.names())?;
    // Each file is a task of its own, so that the files share the cores the
    // dataset (most of the bytes) leaves; the dataset's own blocks are
    // serialised in parallel too.
    let write_dataset = || -> io::Result<()> {
        let mut files = Vec::new();
        if dataset.nquads {
            files.push((dir.join(NQUADS_FILE), RdfSerializer::from_format(RdfFormat::NQuads)));
        }
        if dataset.trig {
            files.push((dir.join(TRIG_FILE), prefixed(RdfFormat::TriG, pack, base)));
        }
        if !files.is_empty() {
            data.write_dataset_files(&files.iter().map(|(p, s)| (p.as_path(), s.clone())).collect::<Vec<_>>())?;
        }
        Ok(())
    };
    let write_store = || -> io::Result<()> {
        if !dataset.store {
            return Ok(());
        }
        write_atomic_with(&dir.join(STORE_FILE), |w| crate::graph::snapshot::write(w, kg, pack, data.minter))?;
        #[cfg(feature = "rocksdb")]
        write_rocksdb(dir, data)?;
        Ok(())
    };
    let plain = |format: RdfFormat| move || write_atomic_with(&dir.join(format!("graph.{}", format.file_extension())), |w| write_triples(w, triples, format, pack, base).map(drop));
    let mut tasks: Vec<Box<dyn FnOnce() -> io::Result<()> + Send + '_>> = vec![
        Box::new(write_dataset),
        Box::new(write_store),
        Box::new(|| write_atomic_with(&dir.join("facts.csv"), |w| write_facts_csv(w, kg, pack))),
        Box::new(|| write_atomic(&dir.join("graph.dot"), dot::write_dot(kg, pack, base, lang).as_bytes())),
        Box::new(plain(RdfFormat::NTriples)),
        Box::new(plain(RdfFormat::Turtle)),
    ];
    if let Some(jsonld) = RdfFormat::from_extension("jsonld") {
        tasks.push(Box::new(plain(jsonld)));
    }
    use rayon::prelude::*;
    tasks.into_par_iter().try_for_each(|task| task())
}

/// Removes the store and dataset files of an output folder but those named
/// in `kept` (about to be rewritten); the RocksDB store goes with the store
/// file.
fn remove_dataset(dir: &Path, kept: &[&str]) -> io::Result<()> {
    let gone = |r: io::Result<()>| match r {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    };
    for f in DATASET_FILES.into_iter().filter(|f| !kept.contains(f)) {
        gone(std::fs::remove_file(dir.join(f)))?;
    }
    if !kept.contains(&STORE_FILE) {
        gone(std::fs::remove_dir_all(dir.join(ROCKSDB_DIR)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_durable_write_replaces_the_file_whole_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.nq");
        std::fs::write(&path, "old").unwrap();
        write_durable(&path, b"new content").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new content");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["store.nq"]);
        // A write that cannot be made is an error, not a silent loss.
        assert!(write_durable(&dir.path().join("missing/store.nq"), b"x").is_err());
    }
}
