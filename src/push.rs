//! `textkg push`: sends the store's graphs to another SPARQL store through
//! the SPARQL 1.1 Graph Store HTTP Protocol. Each graph is sent with PUT,
//! which replaces it: pushing twice leaves the same data, never duplicates.

use crate::export::quads_to_string;
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphName, GraphNameRef, Quad};
use oxigraph::store::Store;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct PushOptions {
    /// The Graph Store endpoint, e.g. `http://localhost:7878/store`.
    pub endpoint: String,
    /// Put everything in this one graph instead of one graph per document.
    pub graph: Option<String>,
    /// `user:password` for HTTP basic authentication.
    pub user: Option<String>,
    /// Most triples per request; a graph larger than this is sent as a PUT
    /// and then POSTs (appends).
    pub batch: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum PushError {
    #[error("cannot read the store: {0}")]
    Store(String),
    #[error("{method} {url}: {message}")]
    Http { method: &'static str, url: String, message: String },
}

#[derive(Debug, Default)]
pub struct PushReport {
    pub graphs: usize,
    pub triples: usize,
    pub requests: usize,
}

fn base64(s: &str) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let b = s.as_bytes();
    let mut out = String::new();
    for chunk in b.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &x)| n | (x as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(T[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn encode_component(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub fn push(store: &Store, pack: &crate::pack::Pack, opts: &PushOptions) -> Result<PushReport, PushError> {
    let mut graphs: BTreeMap<String, Vec<Quad>> = BTreeMap::new();
    for q in store.iter() {
        let q = q.map_err(|e| PushError::Store(e.to_string()))?;
        let name = match (&opts.graph, &q.graph_name) {
            (Some(g), _) => g.clone(),
            (None, GraphName::NamedNode(n)) => n.as_str().to_string(),
            (None, _) => String::new(),
        };
        graphs.entry(name).or_default().push(q);
    }
    let agent = ureq::AgentBuilder::new().timeout(std::time::Duration::from_secs(120)).build();
    let mut report = PushReport::default();
    for (name, quads) in graphs {
        report.graphs += 1;
        let target = if name.is_empty() { "default".to_string() } else { format!("graph={}", encode_component(&name)) };
        let sep = if opts.endpoint.contains('?') { '&' } else { '?' };
        let url = format!("{}{sep}{target}", opts.endpoint);
        for (i, chunk) in quads.chunks(opts.batch.max(1)).enumerate() {
            let triples: Vec<Quad> = chunk.iter().map(|q| Quad::new(q.subject.clone(), q.predicate.clone(), q.object.clone(), GraphNameRef::DefaultGraph)).collect();
            let body = quads_to_string(&triples, RdfFormat::NTriples, pack, "").map_err(|e| PushError::Store(e.to_string()))?;
            let method = if i == 0 { "PUT" } else { "POST" };
            let mut req = agent.request(method, &url).set("Content-Type", "application/n-triples");
            if let Some(user) = &opts.user {
                req = req.set("Authorization", &format!("Basic {}", base64(user)));
            }
            req.send_bytes(&body).map_err(|e| PushError::Http { method, url: url.clone(), message: e.to_string() })?;
            report.requests += 1;
            report.triples += chunk.len();
        }
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_basic_credentials() {
        assert_eq!(super::base64("user:pass"), "dXNlcjpwYXNz");
        assert_eq!(super::base64("a"), "YQ==");
    }
}
