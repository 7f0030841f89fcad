//! SPARQL over the store an extraction wrote: the default graph is the union
//! of the named graphs, results come out as a table or a SPARQL results format.

use crate::export::STORE_FILE;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{QueryResults, SparqlEvaluator};
use oxigraph::store::Store;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("no store in {0}: run `textkg extract` first (looked for {STORE_FILE})")]
    NoStore(PathBuf),
    #[error("cannot load the store {path}: {message}")]
    Load { path: PathBuf, message: String },
    #[error("invalid SPARQL: {0}")]
    Syntax(String),
    #[error("query failed: {0}")]
    Evaluation(String),
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

/// Opens the dataset file of an output folder in an in-memory store.
pub fn open_store(dir: &Path) -> Result<Store, QueryError> {
    let path = dir.join(STORE_FILE);
    let file = std::fs::File::open(&path).map_err(|_| QueryError::NoStore(dir.to_path_buf()))?;
    let load_err = |e: String| QueryError::Load { path: path.clone(), message: e };
    let store = Store::new().map_err(|e| load_err(e.to_string()))?;
    let mut loader = store.bulk_loader();
    loader.load_from_reader(RdfFormat::NQuads, io::BufReader::new(file)).map_err(|e| load_err(e.to_string()))?;
    loader.commit().map_err(|e| load_err(e.to_string()))?;
    Ok(store)
}

/// Runs a query and writes its results. SELECT gives `format`; ASK gives
/// `true`/`false` (or the format's boolean); CONSTRUCT and DESCRIBE give Turtle.
pub fn run_query(store: &Store, query: &str, format: ResultFormat, out: &mut dyn Write) -> Result<(), QueryError> {
    let mut prepared = SparqlEvaluator::new().parse_query(query).map_err(|e| QueryError::Syntax(e.to_string()))?;
    prepared.dataset_mut().set_default_graph_as_union();
    let results = prepared.on_store(store).execute().map_err(|e| QueryError::Evaluation(e.to_string()))?;
    let eval = |e: &dyn std::fmt::Display| QueryError::Evaluation(e.to_string());
    let results_format = match format {
        ResultFormat::Csv => Some(QueryResultsFormat::Csv),
        ResultFormat::Tsv => Some(QueryResultsFormat::Tsv),
        ResultFormat::Json => Some(QueryResultsFormat::Json),
        ResultFormat::Xml => Some(QueryResultsFormat::Xml),
        ResultFormat::Table => None,
    };
    match results {
        QueryResults::Solutions(solutions) => {
            let vars = solutions.variables().to_vec();
            match results_format {
                Some(f) => {
                    let mut w = QueryResultsSerializer::from_format(f).serialize_solutions_to_writer(out, vars)?;
                    for s in solutions {
                        let s = s.map_err(|e| eval(&e))?;
                        w.serialize(s.iter())?;
                    }
                    w.finish()?;
                }
                None => {
                    let mut rows = Vec::new();
                    for s in solutions {
                        let s = s.map_err(|e| eval(&e))?;
                        rows.push(vars.iter().map(|v| s.get(v).map_or(String::new(), |t| t.to_string())).collect::<Vec<_>>());
                    }
                    write_table(out, &vars.iter().map(|v| v.as_str().to_string()).collect::<Vec<_>>(), &rows)?;
                }
            }
        }
        QueryResults::Boolean(b) => match results_format {
            Some(f) => {
                QueryResultsSerializer::from_format(f).serialize_boolean_to_writer(out, b)?;
            }
            None => writeln!(out, "{b}")?,
        },
        QueryResults::Graph(triples) => {
            let mut w = RdfSerializer::from_format(RdfFormat::Turtle).for_writer(out);
            for t in triples {
                w.serialize_triple(&t.map_err(|e| eval(&e))?)?;
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
