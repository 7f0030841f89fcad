//! Reading documents: files, folders (recursively, `.txt` and `.md`), JSON
//! Lines (one document a line) and standard input. Documents are produced one
//! at a time, so a corpus is never held in memory whole; a bad source is
//! reported with its position and skipped.

use crate::extract::dates::Date;
use crate::extract::Document;
use crate::text::normalize;
use std::collections::{BTreeMap, HashSet, VecDeque};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum InputError {
    #[error("{path}: cannot read: {message}")]
    Unreadable { path: String, message: String },
    #[error("{path}: invalid UTF-8 at byte {offset}")]
    InvalidUtf8 { path: String, offset: usize },
    #[error("{path}: binary file (NUL byte at byte {offset})")]
    Binary { path: String, offset: usize },
    #[error("{path}: empty document")]
    Empty { path: String },
    #[error("{path}:{line}: {message}")]
    BadRecord { path: String, line: usize, message: String },
    #[error("{path}: in a language the rule pack has no rules for (it knows {known})")]
    UnknownLanguage { path: String, known: String },
}

enum Source {
    File { path: PathBuf, id: String },
    Jsonl { path: PathBuf, reader: Option<Box<dyn BufRead + Send>>, line: usize },
    Stdin,
}

/// An iterator of documents over the inputs given on the command line.
pub struct Inputs {
    queue: VecDeque<Source>,
    visited: HashSet<PathBuf>,
    pending_errors: VecDeque<InputError>,
}

const TEXT_EXTENSIONS: [&str; 2] = ["txt", "md"];

impl Inputs {
    pub fn new(paths: &[PathBuf]) -> Inputs {
        let mut inputs = Inputs { queue: VecDeque::new(), visited: HashSet::new(), pending_errors: VecDeque::new() };
        for p in paths {
            if p.as_os_str() == "-" {
                inputs.queue.push_back(Source::Stdin);
            } else if p.is_dir() {
                inputs.walk(p, p);
            } else {
                inputs.push_file(p, p.file_name().map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into_owned()));
            }
        }
        inputs
    }

    fn push_file(&mut self, path: &Path, id: String) {
        if path.extension().is_some_and(|e| e == "jsonl" || e == "ndjson") {
            self.queue.push_back(Source::Jsonl { path: path.to_path_buf(), reader: None, line: 0 });
        } else {
            self.queue.push_back(Source::File { path: path.to_path_buf(), id });
        }
    }

    /// Folders are read in sorted order; symbolic-link loops are cut.
    fn walk(&mut self, root: &Path, dir: &Path) {
        let canon = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if !self.visited.insert(canon) {
            return;
        }
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                self.pending_errors.push_back(InputError::Unreadable { path: dir.display().to_string(), message: e.to_string() });
                return;
            }
        };
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for p in paths {
            if p.is_dir() {
                self.walk(root, &p);
            } else if p.extension().and_then(|e| e.to_str()).is_some_and(|e| TEXT_EXTENSIONS.contains(&e) || e == "jsonl" || e == "ndjson") {
                let id = p.strip_prefix(root).unwrap_or(&p).to_string_lossy().into_owned();
                self.push_file(&p, id);
            }
        }
    }
}

/// Decodes bytes as text: UTF-8 (with or without BOM) or UTF-16 with a BOM.
pub fn decode(path: &str, bytes: &[u8]) -> Result<String, InputError> {
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]).or_else(|| bytes.strip_prefix(&[0xFE, 0xFF])) {
        let le = bytes[0] == 0xFF;
        let units: Vec<u16> = rest
            .chunks(2)
            .map(|c| {
                if c.len() == 2 {
                    if le {
                        u16::from_le_bytes([c[0], c[1]])
                    } else {
                        u16::from_be_bytes([c[0], c[1]])
                    }
                } else {
                    0xFFFD
                }
            })
            .collect();
        return Ok(String::from_utf16_lossy(&units));
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(InputError::Binary { path: path.into(), offset });
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(normalize(s)),
        Err(e) => Err(InputError::InvalidUtf8 { path: path.into(), offset: e.valid_up_to() }),
    }
}

fn document(id: String, text: String, path: &str) -> Result<Document, InputError> {
    if text.trim().is_empty() {
        return Err(InputError::Empty { path: path.into() });
    }
    Ok(Document { id, text, ..Default::default() })
}

/// One JSON Lines record: `id` and `text`, other fields kept as metadata.
pub fn parse_record(line: &str, path: &str, no: usize) -> Result<Document, InputError> {
    let bad = |message: String| InputError::BadRecord { path: path.into(), line: no, message };
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| bad(format!("invalid JSON at column {}: {e}", e.column())))?;
    let obj = value.as_object().ok_or_else(|| bad("expected a JSON object".into()))?;
    let text = obj.get("text").and_then(|t| t.as_str()).ok_or_else(|| bad("no string field `text`".into()))?;
    let id = match obj.get("id") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => return Err(bad("no field `id` (string or number)".into())),
    };
    let mut meta = BTreeMap::new();
    for (k, v) in obj {
        if k == "text" || k == "id" {
            continue;
        }
        meta.insert(k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_string));
    }
    let mut doc = document(id, normalize(text), &format!("{path}:{no}"))?;
    doc.date = meta.get("date").and_then(|d| Date::parse_iso(d));
    doc.lang = meta.get("lang").or_else(|| meta.get("language")).cloned();
    doc.meta = meta;
    Ok(doc)
}

impl Iterator for Inputs {
    type Item = Result<Document, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(e) = self.pending_errors.pop_front() {
            return Some(Err(e));
        }
        loop {
            let source = self.queue.front_mut()?;
            match source {
                Source::File { path, id } => {
                    let (path, id) = (path.clone(), id.clone());
                    self.queue.pop_front();
                    let name = path.display().to_string();
                    let bytes = match std::fs::read(&path) {
                        Ok(b) => b,
                        Err(e) => return Some(Err(InputError::Unreadable { path: name, message: e.to_string() })),
                    };
                    return Some(decode(&name, &bytes).and_then(|text| document(id, text, &name)));
                }
                Source::Stdin => {
                    self.queue.pop_front();
                    let mut bytes = Vec::new();
                    if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
                        return Some(Err(InputError::Unreadable { path: "<stdin>".into(), message: e.to_string() }));
                    }
                    return Some(decode("<stdin>", &bytes).and_then(|text| document("stdin".into(), text, "<stdin>")));
                }
                Source::Jsonl { path, reader, line } => {
                    let name = path.display().to_string();
                    if reader.is_none() {
                        match File::open(&*path) {
                            Ok(f) => *reader = Some(Box::new(BufReader::with_capacity(1 << 16, f))),
                            Err(e) => {
                                self.queue.pop_front();
                                return Some(Err(InputError::Unreadable { path: name, message: e.to_string() }));
                            }
                        }
                    }
                    let mut buf = Vec::new();
                    match reader.as_mut().unwrap().read_until(b'\n', &mut buf) {
                        Ok(0) => {
                            self.queue.pop_front();
                            continue;
                        }
                        Ok(_) => {
                            *line += 1;
                            let no = *line;
                            let text = match std::str::from_utf8(&buf) {
                                Ok(s) => s.trim(),
                                Err(e) => return Some(Err(InputError::BadRecord { path: name, line: no, message: format!("invalid UTF-8 at byte {}", e.valid_up_to()) })),
                            };
                            if text.is_empty() {
                                continue;
                            }
                            return Some(parse_record(text, &name, no));
                        }
                        Err(e) => {
                            self.queue.pop_front();
                            return Some(Err(InputError::Unreadable { path: name, message: e.to_string() }));
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_bom_utf16_and_reports_offsets() {
        assert_eq!(decode("a", b"\xEF\xBB\xBFhi\r\nthere").unwrap(), "hi\nthere");
        assert_eq!(decode("a", b"\xFF\xFEh\x00i\x00").unwrap(), "hi");
        assert_eq!(decode("a", b"ab\xFFcd"), Err(InputError::InvalidUtf8 { path: "a".into(), offset: 2 }));
        assert_eq!(decode("a", b"ab\x00cd"), Err(InputError::Binary { path: "a".into(), offset: 2 }));
    }

    #[test]
    fn reads_records_with_metadata() {
        let d = parse_record(r#"{"id": 7, "text": "Hello.", "date": "2021-03-04T10:00", "title": "T"}"#, "f", 1).unwrap();
        assert_eq!((d.id.as_str(), d.date.unwrap().to_string().as_str(), d.meta["title"].as_str()), ("7", "2021-03-04", "T"));
        assert!(matches!(parse_record("{broken", "f", 3), Err(InputError::BadRecord { line: 3, .. })));
        assert!(matches!(parse_record(r#"{"id": 1, "text": "  "}"#, "f", 2), Err(InputError::Empty { .. })));
    }
}
