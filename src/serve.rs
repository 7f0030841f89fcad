//! `textkg serve`: a SPARQL 1.1 Protocol endpoint over the store, laid out
//! as Oxigraph's server does (`/query`, `/update`), with a query page at `/`.
//! Read-only unless told otherwise; bodies, time and results are bounded; a
//! bad request gets a 4xx answer, never a crash.

use crate::export::{write_durable, STORE_FILE, UPDATED_STORE_FILE};
use crate::query::{evaluate, write_results, Limits, QueryError};
use oxigraph::io::RdfFormat;
use oxigraph::sparql::results::QueryResultsFormat;
use oxigraph::sparql::{CancellationToken, SparqlEvaluator};
use oxigraph::store::Store;
use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, Server};

#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub bind: String,
    /// Where the store file lives; updates are written back to it.
    pub store_dir: PathBuf,
    pub allow_update: bool,
    pub timeout: Duration,
    pub max_results: usize,
    pub max_body: usize,
    pub threads: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {bind}: {message}")]
    Bind { bind: String, message: String },
}

const PAGE: &str = include_str!("serve_page.html");

struct Reply {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
}

impl Reply {
    fn text(status: u16, msg: impl Into<String>) -> Reply {
        Reply { status, content_type: "text/plain; charset=utf-8", body: msg.into().into_bytes() }
    }
}

/// Serves until the process ends; `ready` gets the bound address.
pub fn serve(store: Store, opts: ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    let server = Server::http(&opts.bind).map_err(|e| ServeError::Bind { bind: opts.bind.clone(), message: e.to_string() })?;
    let addr = server.server_addr().to_ip().ok_or_else(|| ServeError::Bind { bind: opts.bind.clone(), message: "not an IP address".into() })?;
    ready(addr);
    let server = Arc::new(server);
    let persist = Arc::new(Mutex::new(()));
    let workers: Vec<_> = (0..opts.threads.max(1))
        .map(|_| {
            let (server, store, opts, persist) = (server.clone(), store.clone(), opts.clone(), persist.clone());
            std::thread::spawn(move || {
                while let Ok(mut req) = server.recv() {
                    let reply = handle(&mut req, &store, &opts, &persist);
                    let header = Header::from_bytes("Content-Type", reply.content_type).expect("static header");
                    let _ = req.respond(Response::from_data(reply.body).with_status_code(reply.status).with_header(header));
                }
            })
        })
        .collect();
    for w in workers {
        let _ = w.join();
    }
    Ok(())
}

fn handle(req: &mut Request, store: &Store, opts: &ServeOptions, persist: &Mutex<()>) -> Reply {
    let url = req.url().to_string();
    let (path, query_string) = url.split_once('?').unwrap_or((&url, ""));
    match (req.method(), path) {
        (Method::Get, "/") => Reply { status: 200, content_type: "text/html; charset=utf-8", body: PAGE.as_bytes().to_vec() },
        (Method::Get, "/query") => match param(query_string, "query") {
            Some(q) => run_query(store, &q, &accept(req), opts),
            None => Reply::text(400, "missing `query` parameter"),
        },
        (Method::Post, "/query") => match read_body(req, opts.max_body) {
            Ok((ct, body)) => match body_param(&ct, &body, "query", "application/sparql-query") {
                Some(q) => run_query(store, &q, &accept(req), opts),
                None => Reply::text(400, "expected `application/sparql-query` or a form with `query`"),
            },
            Err(r) => r,
        },
        (Method::Post, "/update") if !opts.allow_update => Reply::text(403, "updates are disabled: start the server with --allow-update"),
        (Method::Post, "/update") => match read_body(req, opts.max_body) {
            Ok((ct, body)) => match body_param(&ct, &body, "update", "application/sparql-update") {
                Some(u) => run_update(store, &u, opts, persist),
                None => Reply::text(400, "expected `application/sparql-update` or a form with `update`"),
            },
            Err(r) => r,
        },
        (_, "/" | "/query" | "/update") => Reply::text(405, "method not allowed"),
        _ => Reply::text(404, "not found: the endpoint is /query (and /update)"),
    }
}

fn param(query_string: &str, name: &str) -> Option<String> {
    form_urlencoded::parse(query_string.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

fn body_param(content_type: &str, body: &[u8], name: &str, direct: &str) -> Option<String> {
    let mime = content_type.split(';').next().unwrap_or("").trim();
    if mime == direct {
        return String::from_utf8(body.to_vec()).ok();
    }
    if mime == "application/x-www-form-urlencoded" {
        return form_urlencoded::parse(body).find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    }
    None
}

fn read_body(req: &mut Request, max: usize) -> Result<(String, Vec<u8>), Reply> {
    let ct = header(req, "Content-Type").unwrap_or_default();
    if req.body_length().is_some_and(|n| n > max) {
        return Err(Reply::text(413, format!("request body over {max} bytes")));
    }
    let mut body = Vec::new();
    match req.as_reader().take(max as u64 + 1).read_to_end(&mut body) {
        Ok(_) if body.len() > max => Err(Reply::text(413, format!("request body over {max} bytes"))),
        Ok(_) => Ok((ct, body)),
        Err(e) => Err(Reply::text(400, format!("cannot read the request body: {e}"))),
    }
}

fn header(req: &Request, name: &'static str) -> Option<String> {
    req.headers().iter().find(|h| h.field.equiv(name)).map(|h| h.value.as_str().to_string())
}

fn accept(req: &Request) -> String {
    header(req, "Accept").unwrap_or_default()
}

/// The formats a client asks for, by order of appearance in `Accept`.
fn negotiate(accept: &str) -> (QueryResultsFormat, &'static str, RdfFormat, &'static str) {
    let mut results = None;
    let mut graph = None;
    for mime in accept.split(',').map(|m| m.split(';').next().unwrap_or("").trim()) {
        let r = match mime {
            "application/sparql-results+json" | "application/json" => Some((QueryResultsFormat::Json, "application/sparql-results+json")),
            "application/sparql-results+xml" | "application/xml" => Some((QueryResultsFormat::Xml, "application/sparql-results+xml")),
            "text/csv" => Some((QueryResultsFormat::Csv, "text/csv; charset=utf-8")),
            "text/tab-separated-values" => Some((QueryResultsFormat::Tsv, "text/tab-separated-values; charset=utf-8")),
            _ => None,
        };
        let g = match mime {
            "text/turtle" => Some((RdfFormat::Turtle, "text/turtle; charset=utf-8")),
            "application/n-triples" => Some((RdfFormat::NTriples, "application/n-triples")),
            "application/rdf+xml" => Some((RdfFormat::RdfXml, "application/rdf+xml")),
            _ => None,
        };
        results = results.or(r);
        graph = graph.or(g);
    }
    let (rf, rct) = results.unwrap_or((QueryResultsFormat::Json, "application/sparql-results+json"));
    let (gf, gct) = graph.unwrap_or((RdfFormat::Turtle, "text/turtle; charset=utf-8"));
    (rf, rct, gf, gct)
}

/// Cancels a query when its time is up. One timer thread serves every
/// query: it sleeps until the nearest deadline and cancels what is due
/// (cancelling a query that has ended does nothing).
fn deadline(timeout: Duration) -> CancellationToken {
    static TIMER: std::sync::OnceLock<std::sync::mpsc::Sender<(std::time::Instant, CancellationToken)>> = std::sync::OnceLock::new();
    let timer = TIMER.get_or_init(|| {
        let (tx, rx) = std::sync::mpsc::channel::<(std::time::Instant, CancellationToken)>();
        std::thread::spawn(move || {
            let mut due: Vec<(std::time::Instant, CancellationToken)> = Vec::new();
            loop {
                let now = std::time::Instant::now();
                due.retain(|(at, token)| {
                    if *at <= now {
                        token.cancel();
                    }
                    *at > now
                });
                let next = due.iter().map(|(at, _)| *at).min();
                let got = match next {
                    Some(at) => rx.recv_timeout(at.saturating_duration_since(now)).map_err(|e| matches!(e, std::sync::mpsc::RecvTimeoutError::Disconnected)),
                    None => rx.recv().map_err(|_| true),
                };
                match got {
                    Ok(item) => due.push(item),
                    Err(true) => return,
                    Err(false) => {}
                }
            }
        });
        tx
    });
    let token = CancellationToken::new();
    let _ = timer.send((std::time::Instant::now() + timeout, token.clone()));
    token
}

/// Deeper nesting than this is refused before parsing: the parser recurses.
const MAX_NESTING: usize = 64;

fn nesting(text: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for c in text.chars() {
        match c {
            '{' | '(' | '[' => {
                depth += 1;
                max = max.max(depth);
            }
            '}' | ')' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

fn run_query(store: &Store, query: &str, accept: &str, opts: &ServeOptions) -> Reply {
    if nesting(query) > MAX_NESTING {
        return Reply::text(400, format!("query nested deeper than {MAX_NESTING} levels"));
    }
    let (rf, rct, gf, gct) = negotiate(accept);
    let limits = Limits { cancel: Some(deadline(opts.timeout)), max_results: Some(opts.max_results) };
    let results = match evaluate(store, query, &limits) {
        Ok(r) => r,
        Err(e) => return error_reply(e, opts),
    };
    let is_graph = matches!(results, oxigraph::sparql::QueryResults::Graph(_));
    let mut body = Vec::new();
    match write_results(results, rf, gf, &mut body, limits.max_results) {
        Ok(()) => Reply { status: 200, content_type: if is_graph { gct } else { rct }, body },
        Err(e) => error_reply(e, opts),
    }
}

fn error_reply(e: QueryError, opts: &ServeOptions) -> Reply {
    match e {
        QueryError::Syntax(m) => Reply::text(400, format!("invalid SPARQL: {m}")),
        QueryError::TooManyResults(n) => Reply::text(413, format!("more than {n} results: add a LIMIT")),
        QueryError::Evaluation(m) if m.contains("cancel") => Reply::text(503, format!("query cancelled after {:?}", opts.timeout)),
        other => Reply::text(500, other.to_string()),
    }
}

fn run_update(store: &Store, update: &str, opts: &ServeOptions, persist: &Mutex<()>) -> Reply {
    if nesting(update) > MAX_NESTING {
        return Reply::text(400, format!("update nested deeper than {MAX_NESTING} levels"));
    }
    let prepared = match SparqlEvaluator::new().parse_update(update) {
        Ok(u) => u,
        Err(e) => return Reply::text(400, format!("invalid SPARQL update: {e}")),
    };
    if let Err(e) = prepared.on_store(store).execute() {
        return Reply::text(400, format!("update failed: {e}"));
    }
    // Written back so that nothing updated is lost when the server stops.
    let _guard = persist.lock().unwrap_or_else(|p| p.into_inner());
    let dump = store.dump_to_writer(RdfFormat::NQuads, Vec::new());
    // As N-Quads: an update may hold any quads, which the store file of
    // `extract` (a graph) cannot. The store file goes once they are on
    // disk; until then, `open_store` takes the newer of the two.
    match dump.map_err(|e| e.to_string()).and_then(|b| write_durable(&opts.store_dir.join(UPDATED_STORE_FILE), &b).map_err(|e| e.to_string())) {
        Ok(()) => {
            let _ = std::fs::remove_file(opts.store_dir.join(STORE_FILE));
            Reply { status: 204, content_type: "text/plain", body: Vec::new() }
        }
        Err(e) => Reply::text(500, format!("update applied but not saved: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_cancel_only_what_is_due() {
        let soon = deadline(Duration::from_millis(30));
        let later = deadline(Duration::from_secs(60));
        let sooner = deadline(Duration::from_millis(10));
        std::thread::sleep(Duration::from_millis(300));
        assert!(soon.is_cancelled() && sooner.is_cancelled());
        assert!(!later.is_cancelled());
    }
}
