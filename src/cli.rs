//! The command line. Doc comments here are the `--help` text.

use crate::query::ResultFormat;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Rule-based knowledge-graph extraction: news text in, RDF and a graph out.
///
/// Exit codes: 0 success; 1 a check failed, or some input was skipped
/// (extract) ; 2 an error (bad rules, unwritable output, bad query).
#[derive(Debug, Parser)]
#[command(name = "textkg", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Extract a knowledge graph from documents and write it to the output folder.
    Extract(ExtractArgs),
    /// Run a SPARQL 1.1 query over the store an extraction wrote.
    Query(QueryArgs),
    /// Validate the rule pack and run every example its rules carry.
    Check(CheckArgs),
    /// Show how a sentence or a file is read: tokens, mentions, rules, triples.
    Explain(ExplainArgs),
    /// What each rule costs over documents: how often its words woke it, how often it ran, its matches, facts and matching time.
    Profile(ProfileArgs),
    /// Score an extraction against gold annotations (precision, recall, F1).
    Eval(EvalArgs),
    /// Serve the store as a SPARQL 1.1 Protocol endpoint (/query, /update) with a query page at /.
    Serve(ServeArgs),
    /// Figures of the graph in a store: nodes and edges by type, components, central entities.
    Graph {
        #[command(subcommand)]
        command: GraphCommand,
    },
    /// Write a readable subgraph as DOT (stdout, or -o), optionally rendered by Graphviz.
    Dot(DotArgs),
    /// Send the store's graphs to a SPARQL store (Graph Store HTTP Protocol, PUT per graph: idempotent).
    Push(PushArgs),
    /// Write the store in an RDF format (stdout, or -o): the dataset as N-Quads or TriG, or triples.
    Dump(DumpArgs),
}

#[derive(Debug, clap::Args)]
pub struct DumpArgs {
    /// The folder an extraction wrote.
    #[arg(long, default_value = "output")]
    pub store: PathBuf,
    /// Turtle, N-Triples and RDF/XML hold triples (see --graph); N-Quads and TriG the whole dataset.
    #[arg(long, value_enum, default_value = "nq")]
    pub format: DumpFormat,
    /// With a triple format: one graph's IRI, or `default` for the default graph
    /// (without it: every graph's triples, each once).
    #[arg(long)]
    pub graph: Option<String>,
    /// A prefix for Turtle and TriG, as NAME=IRI; repeatable.
    #[arg(long)]
    pub prefix: Vec<String>,
    /// Output file, written whole or not at all (default: stdout).
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// No count on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DumpFormat {
    Ttl,
    Nt,
    Rdfxml,
    Nq,
    Trig,
}

impl DumpFormat {
    pub fn rdf_format(self) -> oxigraph::io::RdfFormat {
        use oxigraph::io::RdfFormat;
        match self {
            DumpFormat::Ttl => RdfFormat::Turtle,
            DumpFormat::Nt => RdfFormat::NTriples,
            DumpFormat::Rdfxml => RdfFormat::RdfXml,
            DumpFormat::Nq => RdfFormat::NQuads,
            DumpFormat::Trig => RdfFormat::TriG,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct PushArgs {
    /// Graph Store endpoint, e.g. http://localhost:7878/store (Oxigraph), http://host:3030/ds/data (Fuseki).
    #[arg(long)]
    pub endpoint: String,
    /// Put all triples in this one graph (default: one graph per document, as in the store).
    #[arg(long)]
    pub graph: Option<String>,
    /// user:password for HTTP basic authentication.
    #[arg(long)]
    pub user: Option<String>,
    /// The folder an extraction wrote.
    #[arg(long, default_value = "output")]
    pub store: PathBuf,
    #[arg(long, default_value = "rules")]
    pub rules: PathBuf,
    /// Most triples per request.
    #[arg(long, default_value_t = 50_000)]
    pub batch: usize,
}

#[derive(Debug, Subcommand)]
pub enum GraphCommand {
    /// Nodes and edges by type, connected components, most central entities.
    Stats(StoreArgs),
}

#[derive(Debug, clap::Args)]
pub struct StoreArgs {
    /// The folder an extraction wrote.
    #[arg(long, default_value = "output")]
    pub store: PathBuf,
    /// The rule pack that says which predicates are relations.
    #[arg(long, default_value = "rules")]
    pub rules: PathBuf,
    /// How many central entities to list.
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

#[derive(Debug, clap::Args)]
pub struct DotArgs {
    #[arg(long, default_value = "output")]
    pub store: PathBuf,
    #[arg(long, default_value = "rules")]
    pub rules: PathBuf,
    /// Entities to centre on (key, label or any other name); repeatable.
    #[arg(long)]
    pub focus: Vec<String>,
    /// How many steps away from the focus to go.
    #[arg(long, default_value_t = 1)]
    pub depth: usize,
    /// Only these relations; repeatable.
    #[arg(long)]
    pub relation: Vec<String>,
    /// Only facts stated with at least this confidence.
    #[arg(long)]
    pub min_confidence: Option<f64>,
    /// Group nodes in a box per document.
    #[arg(long, value_enum)]
    pub cluster_by: Option<ClusterBy>,
    /// Render with Graphviz instead of writing DOT.
    #[arg(long, value_enum)]
    pub render: Option<Render>,
    /// Output file (default: stdout).
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Language of the labels shown.
    #[arg(long, default_value = "en")]
    pub lang: String,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ClusterBy {
    Document,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Render {
    Svg,
    Png,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The folder an extraction wrote.
    #[arg(long, default_value = "output")]
    pub store: PathBuf,
    /// Address to listen on (loopback by default).
    #[arg(long, default_value = "127.0.0.1:7878")]
    pub bind: String,
    /// Accept SPARQL updates at /update (written back to the store file).
    #[arg(long)]
    pub allow_update: bool,
    /// Query time limit, in seconds.
    #[arg(long, default_value_t = 30)]
    pub timeout: u64,
    /// Most solutions or triples one query may return.
    #[arg(long, default_value_t = 100_000)]
    pub max_results: usize,
    /// Largest request body, in bytes.
    #[arg(long, default_value_t = 1 << 20)]
    pub max_body: usize,
}

#[derive(Debug, clap::Args)]
pub struct ExtractArgs {
    /// Files, folders (.txt, .md, recursively), JSON Lines files, or `-` for stdin.
    #[arg(default_value = "corpus")]
    pub inputs: Vec<PathBuf>,
    /// The rule pack folder.
    #[arg(long, default_value = "rules")]
    pub rules: PathBuf,
    /// The output folder.
    #[arg(long, default_value = "output")]
    pub out: PathBuf,
    /// Base IRI of the entities, documents and graphs minted.
    #[arg(long, default_value = crate::graph::iri::DEFAULT_BASE)]
    pub base: String,
    /// Language of every document (detected per document when absent).
    #[arg(long)]
    pub lang: Option<String>,
    /// Threads that extract, merge and write (default: all cores); 1 runs everything on one thread.
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// Stop at the first input that cannot be read.
    #[arg(long)]
    pub strict: bool,
    /// No summary on stderr.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Extract every document again, ignoring the extractions kept from the
    /// last run, and compile the rule pack again rather than read it from
    /// the cache ($TEXTKG_CACHE_DIR, else ~/.cache/textkg).
    #[arg(long)]
    pub no_cache: bool,
    /// Also write the dataset as N-Quads files of at most this many quads
    /// (output/shards/part-00001.nq, …), for a store's bulk loader.
    #[arg(long, conflicts_with = "no_store")]
    pub shard_size: Option<usize>,
    /// Also write the dataset (the facts with their provenance, a graph
    /// per document) as N-Quads, graph.nq. Without it, `textkg dump`
    /// writes the same from the store.
    #[arg(long, conflicts_with = "no_store")]
    pub nquads: bool,
    /// Also write the dataset as TriG, graph.trig, with the pack's prefixes.
    /// Without it, `textkg dump --format trig` writes the same from the store.
    #[arg(long, conflicts_with = "no_store")]
    pub trig: bool,
    /// Write the graph files only (Turtle, N-Triples, JSON-LD, DOT, CSV):
    /// no store. A store left by an earlier run is removed, so that `query`
    /// never answers from stale data.
    #[arg(long)]
    pub no_store: bool,
}

#[derive(Debug, clap::Args)]
pub struct QueryArgs {
    /// The query text (or use --file).
    pub query: Option<String>,
    /// Read the query from a file.
    #[arg(long, short = 'f')]
    pub file: Option<PathBuf>,
    /// The folder an extraction wrote.
    #[arg(long, default_value = "output")]
    pub store: PathBuf,
    /// Output format of SELECT and ASK results.
    #[arg(long, value_enum, default_value = "table")]
    pub format: ResultFormat,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The rule pack folder.
    #[arg(long, default_value = "rules")]
    pub rules: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct ProfileArgs {
    /// Inputs, as for extract.
    #[arg(default_value = "corpus")]
    pub inputs: Vec<PathBuf>,
    #[arg(long, default_value = "rules")]
    pub rules: PathBuf,
    #[arg(long)]
    pub lang: Option<String>,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,
    /// How many rules to list, the costliest first (0: all).
    #[arg(long, default_value_t = 25)]
    pub top: usize,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A sentence, or the path of a file.
    pub input: String,
    #[arg(long, default_value = "rules")]
    pub rules: PathBuf,
    #[arg(long)]
    pub lang: Option<String>,
    /// Also show, for this relation, the rules that came closest and where they failed.
    #[arg(long)]
    pub relation: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct EvalArgs {
    /// Gold folder (entities.tsv and triples.tsv).
    #[arg(long)]
    pub gold: PathBuf,
    /// Inputs, as for extract.
    #[arg(default_value = "corpus")]
    pub inputs: Vec<PathBuf>,
    #[arg(long, default_value = "rules")]
    pub rules: PathBuf,
    #[arg(long, default_value = crate::graph::iri::DEFAULT_BASE)]
    pub base: String,
    #[arg(long)]
    pub lang: Option<String>,
    /// List missed and spurious triples with the sentence they came from.
    #[arg(long)]
    pub show_errors: bool,
    /// Write each rule's measured precision to this file, for the pack's
    /// `confidence.tsv` (see rules/README.md).
    #[arg(long, value_name = "FILE")]
    pub write_confidence: Option<PathBuf>,
    /// Exit 1 when the micro F1 falls below this.
    #[arg(long)]
    pub min_f1: Option<f64>,
}
