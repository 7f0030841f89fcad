//! SPARQL over the store an extraction wrote: the default graph is the union
//! of the named graphs, results come out as a table or a SPARQL results format.

use crate::export::{STORE_FILE, UPDATED_STORE_FILE};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{CancellationToken, QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("no store in {0}: run `textkg extract` first, without `--no-store` (looked for {STORE_FILE})")]
    NoStore(PathBuf),
    #[error("cannot load the store {path}: {message}")]
    Load { path: PathBuf, message: String },
    #[error("invalid SPARQL: {0}")]
    Syntax(String),
    #[error("query failed: {0}")]
    Evaluation(String),
    #[error("more than {0} results")]
    TooManyResults(usize),
    #[error(transparent)]
    Io(#[from] io::Error),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ResultFormat {
    Table,
    Csv,
    Tsv,
    Json,
    Xml,
}

impl ResultFormat {
    fn results_format(self) -> Option<QueryResultsFormat> {
        match self {
            ResultFormat::Csv => Some(QueryResultsFormat::Csv),
            ResultFormat::Tsv => Some(QueryResultsFormat::Tsv),
            ResultFormat::Json => Some(QueryResultsFormat::Json),
            ResultFormat::Xml => Some(QueryResultsFormat::Xml),
            ResultFormat::Table => None,
        }
    }
}

/// Opens the store of an output folder: with the `rocksdb` feature, its
/// RocksDB folder when there is one (read-only unless `writable`);
/// otherwise the dataset file, loaded into an in-memory store.
pub fn open_store_for(dir: &Path, writable: bool) -> Result<Store, QueryError> {
    #[cfg(feature = "rocksdb")]
    {
        let db = dir.join(crate::export::ROCKSDB_DIR);
        if db.is_dir() {
            let opened = if writable { Store::open(&db) } else { Store::open_read_only(&db) };
            return opened.map_err(|e| QueryError::Load { path: db, message: e.to_string() });
        }
    }
    let _ = writable;
    open_store(dir)
}

/// Which file holds the store of an output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreFile {
    /// The graph `extract` wrote (`store.bin`).
    Graph(PathBuf),
    /// The N-Quads `serve --allow-update` wrote back after it (`store.nq`).
    Updated(PathBuf),
}

/// The store file of an output folder: the one `extract` wrote, or the
/// N-Quads `serve --allow-update` wrote back, if that is newer.
pub fn store_file(dir: &Path) -> Result<StoreFile, QueryError> {
    let (path, updated) = (dir.join(STORE_FILE), dir.join(UPDATED_STORE_FILE));
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (modified(&path), modified(&updated)) {
        (None, None) => Err(QueryError::NoStore(dir.to_path_buf())),
        (Some(written), Some(changed)) if changed < written => Ok(StoreFile::Graph(path)),
        (Some(_), None) => Ok(StoreFile::Graph(path)),
        (_, Some(_)) => Ok(StoreFile::Updated(updated)),
    }
}

/// Opens the store of an output folder (see [`store_file`]) in memory.
pub fn open_store(dir: &Path) -> Result<Store, QueryError> {
    let file = store_file(dir)?;
    let (StoreFile::Graph(path) | StoreFile::Updated(path)) = &file;
    let load_err = |e: String| QueryError::Load { path: path.clone(), message: e };
    let store = Store::new().map_err(|e| load_err(e.to_string()))?;
    match &file {
        StoreFile::Updated(path) => crate::graph::rdf::bulk_load(&store, path).map_err(load_err)?,
        StoreFile::Graph(path) => {
            let snapshot = crate::graph::snapshot::read(path).map_err(|e| load_err(e.to_string()))?;
            snapshot.load_into(&store).map_err(|e| load_err(e.to_string()))?;
            // As with the store: the OS takes the graph back faster than dropping it.
            std::mem::forget(snapshot);
        }
    }
    Ok(store)
}

/// Limits of one query: cancellation (for time-outs) and a result count.
#[derive(Clone, Default)]
pub struct Limits {
    pub cancel: Option<CancellationToken>,
    pub max_results: Option<usize>,
}

/// Parses and evaluates a query; the default graph is the union of all graphs.
pub fn evaluate<'a>(store: &'a Store, query: &str, limits: &Limits) -> Result<QueryResults<'a>, QueryError> {
    let mut evaluator = SparqlEvaluator::new();
    if let Some(token) = &limits.cancel {
        evaluator = evaluator.with_cancellation_token(token.clone());
    }
    let mut prepared = evaluator.parse_query(query).map_err(|e| QueryError::Syntax(e.to_string()))?;
    prepared.dataset_mut().set_default_graph_as_union();
    prepared.on_store(store).execute().map_err(|e| QueryError::Evaluation(e.to_string()))
}

fn eval_err(e: impl std::fmt::Display) -> QueryError {
    QueryError::Evaluation(e.to_string())
}

/// Runs a query and writes its results. SELECT gives `format`; ASK gives
/// `true`/`false` (or the format's boolean); CONSTRUCT and DESCRIBE give Turtle.
pub fn run_query(store: &Store, query: &str, format: ResultFormat, out: &mut dyn Write) -> Result<(), QueryError> {
    let results = evaluate(store, query, &Limits::default())?;
    match (results, format.results_format()) {
        (QueryResults::Solutions(solutions), None) => {
            let vars = solutions.variables().to_vec();
            let mut rows = Vec::new();
            for s in solutions {
                let s = s.map_err(eval_err)?;
                rows.push(vars.iter().map(|v| s.get(v).map_or(String::new(), |t| t.to_string())).collect::<Vec<_>>());
            }
            write_table(out, &vars.iter().map(|v| v.as_str().to_string()).collect::<Vec<_>>(), &rows)?;
        }
        (QueryResults::Boolean(b), None) => writeln!(out, "{b}")?,
        (results, f) => write_results(results, f.unwrap_or(QueryResultsFormat::Json), RdfFormat::Turtle, out, None)?,
    }
    Ok(())
}

/// Serialises results: solutions and booleans in `results_format`, graphs
/// in `graph_format`; more than `max` solutions or triples is an error.
pub fn write_results(results: QueryResults, results_format: QueryResultsFormat, graph_format: RdfFormat, out: &mut dyn Write, max: Option<usize>) -> Result<(), QueryError> {
    let over = |n: usize| max.is_some_and(|m| n > m);
    match results {
        QueryResults::Solutions(solutions) => {
            let vars = solutions.variables().to_vec();
            let mut w = QueryResultsSerializer::from_format(results_format).serialize_solutions_to_writer(out, vars)?;
            for (n, s) in solutions.enumerate() {
                if over(n + 1) {
                    return Err(QueryError::TooManyResults(max.unwrap_or(0)));
                }
                w.serialize(s.map_err(eval_err)?.iter())?;
            }
            w.finish()?;
        }
        QueryResults::Boolean(b) => {
            QueryResultsSerializer::from_format(results_format).serialize_boolean_to_writer(out, b)?;
        }
        QueryResults::Graph(triples) => {
            let mut w = RdfSerializer::from_format(graph_format).for_writer(out);
            for (n, t) in triples.enumerate() {
                if over(n + 1) {
                    return Err(QueryError::TooManyResults(max.unwrap_or(0)));
                }
                w.serialize_triple(&t.map_err(eval_err)?)?;
            }
            w.finish()?;
        }
    }
    Ok(())
}

fn write_table(out: &mut dyn Write, head: &[String], rows: &[Vec<String>]) -> io::Result<()> {
    let mut widths: Vec<usize> = head.iter().map(|h| h.chars().count() + 1).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |out: &mut dyn Write, cells: Vec<String>| -> io::Result<()> {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(c, w)| format!("{c:<w$}")).collect();
        writeln!(out, "| {} |", padded.join(" | "))
    };
    line(out, head.iter().map(|h| format!("?{h}")).collect())?;
    writeln!(out, "|{}|", widths.iter().map(|w| "-".repeat(w + 2)).collect::<Vec<_>>().join("|"))?;
    for r in rows {
        line(out, r.clone())?;
    }
    writeln!(out, "{} row{}", rows.len(), if rows.len() == 1 { "" } else { "s" })
}
