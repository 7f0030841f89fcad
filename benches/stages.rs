//! Benchmarks of each stage, and of the matcher's linear time on one long
//! sentence-free line. Run: `cargo bench --bench stages`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::path::Path;
use textkg::extract::{Document, Extractor};
use textkg::graph::iri::Minter;
use textkg::graph::rdf::{dataset_quads, load_store, plain_triples};
use textkg::graph::KnowledgeGraph;
use textkg::pack::{load_pack, Pack};
use textkg::text::{split_sentences, Abbreviations};

fn pack() -> Pack {
    load_pack(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")).expect("shipped pack")
}

fn corpus() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let mut text = String::new();
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    for f in files {
        text.push_str(&std::fs::read_to_string(f).unwrap());
        text.push_str("\n\n");
    }
    text
}

fn stages(c: &mut Criterion) {
    let pack = pack();
    let text = corpus().repeat(20);
    let abbrev = Abbreviations::default();
    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("normalise+split", |b| b.iter(|| split_sentences(&textkg::text::normalize(&text), &abbrev)));
    let mut sentences = split_sentences(&text, &abbrev);
    // The gazetteer reads the pack's numbers of the tokens' words.
    sentences.iter_mut().for_each(|s| pack.words_named.assign(&mut s.tokens));
    g.bench_function("gazetteer", |b| b.iter(|| sentences.iter().map(|s| pack.gazetteer.find(&text, &s.tokens, &|_| None).len()).sum::<usize>()));
    let ex = Extractor::new(&pack);
    let doc = Document { id: "bench".into(), text: text.clone(), lang: Some("fr".into()), ..Default::default() };
    g.bench_function("extract (all stages to facts)", |b| b.iter(|| ex.extract(&doc).facts.len()));
    let minter = Minter::new("http://x.example/");
    let docs: Vec<_> = (0..50)
        .map(|i| {
            let mut out = ex.extract(&Document { id: format!("d{i}"), ..doc.clone() });
            out.doc_id = format!("d{i}");
            (out, Default::default())
        })
        .collect();
    g.bench_function("graph build (50 documents)", |b| b.iter(|| KnowledgeGraph::build(&pack, &minter, docs.clone()).facts.len()));
    let kg = KnowledgeGraph::build(&pack, &minter, docs);
    let quads = dataset_quads(&kg, &pack, &minter);
    let triples = plain_triples(&kg, &pack);
    g.bench_function("dot export", |b| b.iter(|| textkg::export::dot::write_dot(&kg, &pack, "http://x.example/", "fr").len()));
    g.finish();
    // Store load and Turtle export in triples per second, to set beside
    // pyoxigraph (`../shared/peers/rdf_bench.py`).
    let mut g = c.benchmark_group("rdf per triple");
    g.throughput(Throughput::Elements(triples.len() as u64));
    g.bench_function("turtle export", |b| b.iter(|| textkg::export::triples_to_string(&triples, oxigraph::io::RdfFormat::Turtle, &pack, "http://x.example/").unwrap().len()));
    g.throughput(Throughput::Elements(quads.len() as u64));
    g.bench_function("store load", |b| b.iter(|| load_store(&quads).unwrap().len().unwrap()));
    g.finish();
}

/// A rule with nested optional elements and gaps over one long line without
/// a sentence end: time grows linearly with the length.
fn linear_matching(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.rules"),
        "type T = <http://x/T>\nrelation r: T -> T\nwords stopwords@en = the\nrule nested\n  match (a (b ~3 (c ~2 d?)?)? ~4)+ [T x] ~5 e? ~5 [T y]\n  emit x r y\n",
    )
    .unwrap();
    let pack = load_pack(dir.path()).unwrap();
    let ex = Extractor::new(&pack);
    let mut g = c.benchmark_group("one line without sentence end");
    g.sample_size(10);
    for kb in [256usize, 512, 1024] {
        let unit = "a b x c y d a b c ";
        let text = unit.repeat(kb * 1024 / unit.len());
        g.throughput(Throughput::Bytes(text.len() as u64));
        let doc = Document { id: "long".into(), text, lang: Some("en".into()), ..Default::default() };
        g.bench_with_input(BenchmarkId::from_parameter(format!("{kb} KiB")), &doc, |b, doc| b.iter(|| ex.extract(doc).facts.len()));
    }
    g.finish();
}

criterion_group!(benches, stages, linear_matching);
criterion_main!(benches);
