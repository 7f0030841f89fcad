//! The store file: the knowledge graph `extract` built, with the base IRI
//! and the IRIs it takes from the rule pack, in a compact binary form.
//! `query`, `serve`, `dump`, `push` and `graph stats` make the dataset from
//! it and load it into Oxigraph's in-memory store, without the pack.
//!
//! The dataset itself (a provenance record per fact and source) is on many
//! short documents 25 times the size of the input: written as N-Quads by
//! every run, it cost more than the extraction, and parsing it back was
//! most of the time `query` took to open it. The graph it is made from is
//! a tenth of that size. The RDF files stay on request (`extract --nquads`,
//! `--trig`, or `textkg dump`).
//!
//! Format: `MAGIC`, the format version (little-endian u32), then the
//! postcard encoding of the snapshot.

use super::iri::Minter;
use super::rdf::Schema;
use super::KnowledgeGraph;
use oxigraph::store::{StorageError, Store};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The store file in an output folder.
pub const SNAPSHOT_FILE: &str = "store.bin";
const MAGIC: &[u8; 12] = b"textkg-store";
const FORMAT: u32 = 1;

/// What the file holds: written from borrowed values, read back owned.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored<S, K> {
    base: S,
    classes: Vec<S>,
    relations: Vec<S>,
    kg: K,
}

/// A knowledge graph read back from a store file, with the IRIs that make
/// its RDF.
pub struct Snapshot {
    pub base: String,
    classes: Vec<String>,
    relations: Vec<String>,
    pub kg: KnowledgeGraph,
}

impl Schema for Snapshot {
    fn class_iri(&self, ty: usize) -> &str {
        self.classes.get(ty).map_or("", String::as_str)
    }

    fn relation_iri(&self, relation: usize) -> &str {
        self.relations.get(relation).map_or("", String::as_str)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SnapshotError {
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path} is not a store file of this version of textkg ({reason}): run `textkg extract` again")]
    Format { path: PathBuf, reason: String },
}

/// The IRIs of a pack's classes and relations, by index: what a store file
/// keeps of the pack.
fn iris_of(pack: &crate::pack::Pack) -> (Vec<&str>, Vec<&str>) {
    (pack.types.iter().map(|t| t.iri.as_str()).collect(), pack.relations.iter().map(|r| r.iri.as_str()).collect())
}

/// Writes the store file of `kg` to `out`.
pub fn write(out: &mut impl Write, kg: &KnowledgeGraph, pack: &crate::pack::Pack, minter: &Minter) -> io::Result<()> {
    out.write_all(MAGIC)?;
    out.write_all(&FORMAT.to_le_bytes())?;
    let (classes, relations) = iris_of(pack);
    let stored = Stored { base: minter.base(), classes, relations, kg };
    postcard::to_io(&stored, out).map_err(io::Error::other)?;
    Ok(())
}

/// Reads a store file.
pub fn read(path: &Path) -> Result<Snapshot, SnapshotError> {
    let bytes = std::fs::read(path).map_err(|source| SnapshotError::Io { path: path.to_path_buf(), source })?;
    let bad = |reason: &str| SnapshotError::Format { path: path.to_path_buf(), reason: reason.into() };
    let body = bytes.strip_prefix(&MAGIC[..]).ok_or_else(|| bad("it does not open as one"))?;
    let (format, body) = body.split_at_checked(4).ok_or_else(|| bad("it is cut short"))?;
    if u32::from_le_bytes(format.try_into().unwrap_or_default()) != FORMAT {
        return Err(bad("another format"));
    }
    let s: Stored<String, KnowledgeGraph> = postcard::from_bytes(body).map_err(|e| bad(&e.to_string()))?;
    let nodes = s.kg.nodes.len();
    let in_graph = |o: &super::Target| match o {
        super::Target::Node(o) => *o < nodes,
        super::Target::Date(_) => true,
    };
    let fits = s.kg.nodes.iter().all(|n| n.ty < s.classes.len()) && s.kg.facts.iter().all(|f| f.relation < s.relations.len() && f.subject < nodes && in_graph(&f.object));
    if !fits {
        return Err(bad("a fact or an entity points outside the graph"));
    }
    Ok(Snapshot { base: s.base, classes: s.classes, relations: s.relations, kg: s.kg })
}

impl Snapshot {
    /// The graph, when its classes and relations are those of `pack` (the
    /// pack it was extracted with): its indices then hold for the pack.
    pub fn graph_for(self, pack: &crate::pack::Pack) -> Option<KnowledgeGraph> {
        let (classes, relations) = iris_of(pack);
        (self.classes == classes && self.relations == relations).then_some(self.kg)
    }

    /// Loads the dataset into `store` (see [`super::rdf::load_dataset`]).
    pub fn load_into(&self, store: &Store) -> Result<(), StorageError> {
        super::rdf::load_dataset(store, &self.kg, self, &Minter::new(&self.base))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack() -> crate::pack::Pack {
        crate::pack::load_pack(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packs/company")).unwrap()
    }

    fn graph(pack: &crate::pack::Pack) -> KnowledgeGraph {
        let doc = crate::extract::Document { id: "d1".into(), text: "Acme's CEO Jane Doe spoke.".into(), lang: Some("en".into()), ..Default::default() };
        let out = crate::extract::Extractor::new(pack).extract(&doc);
        let kg = KnowledgeGraph::build(pack, &Minter::new("http://example.org/kg/"), vec![(out, Default::default())]);
        assert!(!kg.facts.is_empty(), "the test pack reads a fact");
        kg
    }

    #[test]
    fn a_store_file_gives_back_the_dataset_the_pack_makes() {
        let pack = pack();
        let kg = graph(&pack);
        let minter = Minter::new("http://example.org/kg/");
        let mut bytes = Vec::new();
        write(&mut bytes, &kg, &pack, &minter).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SNAPSHOT_FILE);
        std::fs::write(&path, &bytes).unwrap();
        let snapshot = read(&path).unwrap();
        let sorted = |mut q: Vec<oxigraph::model::Quad>| {
            q.sort_by_cached_key(|q| q.to_string());
            q
        };
        let made = sorted(crate::graph::rdf::dataset_quads(&kg, &pack, &minter));
        assert_eq!(sorted(crate::graph::rdf::dataset_quads(&snapshot.kg, &snapshot, &Minter::new(&snapshot.base))), made);
        let store = Store::new().unwrap();
        snapshot.load_into(&store).unwrap();
        assert_eq!(sorted(store.iter().collect::<Result<_, _>>().unwrap()), made);
        // Loaded from the pack, as `extract` fills a RocksDB store.
        let store = Store::new().unwrap();
        crate::graph::rdf::load_dataset(&store, &kg, &pack, &minter).unwrap();
        assert_eq!(sorted(store.iter().collect::<Result<_, _>>().unwrap()), made);
    }

    #[test]
    fn a_damaged_store_file_is_an_error_that_names_it() {
        let pack = pack();
        let mut bytes = Vec::new();
        write(&mut bytes, &graph(&pack), &pack, &Minter::new("http://example.org/kg/")).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(SNAPSHOT_FILE);
        for damaged in [&bytes[..bytes.len() / 2], &bytes[..10], b"N-Quads, not a store file".as_slice(), &[]] {
            std::fs::write(&path, damaged).unwrap();
            let e = read(&path).err().expect("a damaged file is refused").to_string();
            assert!(e.contains("store.bin") && e.contains("textkg extract"), "{e}");
        }
        let e = read(&dir.path().join("missing.bin")).err().unwrap().to_string();
        assert!(e.contains("cannot read") && e.contains("missing.bin"), "{e}");
    }
}
