//! The one place that mints IRIs. An entity's IRI depends only on the base,
//! its type and its key, so it is the same in every document and every run.

/// The vocabulary of textkg's own provenance terms.
pub const TEXTKG_NS: &str = "http://textkg.example/ns#";
/// The default base of minted IRIs (`--base` overrides it).
pub const DEFAULT_BASE: &str = "http://textkg.example/kg/";

pub const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
pub const RDF_NS: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
pub const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
pub const SKOS_ALT_LABEL: &str = "http://www.w3.org/2004/02/skos/core#altLabel";
pub const OWL_SAME_AS: &str = "http://www.w3.org/2002/07/owl#sameAs";
pub const XSD_NS: &str = "http://www.w3.org/2001/XMLSchema#";
pub const PROV_NS: &str = "http://www.w3.org/ns/prov#";
pub const DCTERMS_NS: &str = "http://purl.org/dc/terms/";
pub const WIKIDATA_ENTITY: &str = "http://www.wikidata.org/entity/";

#[derive(Debug, Clone)]
pub struct Minter {
    base: String,
}

impl Minter {
    pub fn new(base: &str) -> Self {
        Minter { base: base.to_string() }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// `{base}{type}/{key}`, with the type name lowercased.
    pub fn entity(&self, type_name: &str, key: &str) -> String {
        format!("{}{}/{}", self.base, encode(&type_name.to_lowercase()), encode(key))
    }

    pub fn document(&self, doc_id: &str) -> String {
        format!("{}doc/{}", self.base, encode(doc_id))
    }

    /// The named graph holding a document's facts.
    pub fn doc_graph(&self, doc_id: &str) -> String {
        format!("{}graph/{}", self.base, encode(doc_id))
    }

    /// A fact's provenance record inside its document's graph.
    pub fn statement(&self, doc_id: &str, n: usize) -> String {
        format!("{}graph/{}/fact/{}", self.base, encode(doc_id), n)
    }

    pub fn wikidata(qid: &str) -> String {
        format!("{WIKIDATA_ENTITY}{qid}")
    }
}

/// Percent-encodes all but unreserved characters, so any key is a valid IRI path segment.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mints_stable_encoded_iris() {
        let m = Minter::new("http://ex.org/kg/");
        assert_eq!(m.entity("Organization", "nato"), "http://ex.org/kg/organization/nato");
        assert_eq!(m.document("a b/é.txt"), "http://ex.org/kg/doc/a%20b%2F%C3%A9.txt");
    }
}
