//! Loads a pack folder: every `.rules` file (sorted by path), then the
//! gazetteer tables they name, then compiles the rules. Every error of every
//! file is collected before giving up.

use super::diag::{suggest, Diagnostic, Pos};
use super::lines::{blocks, words, Block, Line};
use super::*;
use crate::gazetteer::{read_table, Entry, Gazetteer, Name};
use crate::pattern::{ast::Node, compile, parse_pattern, Names};
use crate::text::{fold, tokenize, Abbreviations};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The word list of the words that keep their final dot.
const ABBREVIATIONS: &str = "abbreviations";

/// Loads and compiles the pack in `root` (a folder, or a single `.rules` file).
pub fn load_pack(root: &Path) -> Result<Pack, PackError> {
    let mut l = Loader::default();
    let files = rule_files(root).map_err(|e| PackError(vec![Diagnostic::of_file(root.to_path_buf(), format!("cannot read the rule pack: {e}"))]))?;
    if files.is_empty() {
        return Err(PackError(vec![Diagnostic::of_file(root.to_path_buf(), "no `.rules` file in the rule pack".into())]));
    }
    // Each file read and cut into blocks on the pool: a character of a
    // block keeps its position, so the blocks of a pack weigh megabytes.
    let read: Vec<_> = {
        use rayon::prelude::*;
        files.par_iter().map(|f| std::fs::read_to_string(f).map(|src| (blocks(&src), src))).collect()
    };
    let mut parsed = Vec::new();
    for (f, r) in files.iter().zip(read) {
        match r {
            Ok((bl, src)) => {
                l.inputs.push((f.clone(), Some(content_hash(src.as_bytes()))));
                l.sources.insert(f.clone(), src.lines().map(str::to_string).collect());
                parsed.push((f.clone(), bl));
            }
            Err(e) => l.diags.push(Diagnostic::of_file(f.clone(), format!("cannot read: {e}"))),
        }
    }
    // The abbreviations first, then the other declarations, so that a rule
    // may use a type declared in a later file.
    let is_abbreviations = |b: &Block| words_name(b).as_deref() == Some(ABBREVIATIONS);
    for (f, bl) in &parsed {
        for b in bl.iter().filter(|b| is_abbreviations(b)) {
            l.word_list(f, b);
        }
    }
    l.pack.abbreviations = l.abbreviations();
    let mut rule_blocks = Vec::new();
    for (f, bl) in parsed {
        for b in bl.into_iter().filter(|b| !is_abbreviations(b)) {
            l.declaration(&f, b, &mut rule_blocks);
        }
    }
    if l.pack.date_type().is_none() && l.pack.types.len() < 64 {
        l.pack.types.push(TypeDecl { name: DATE_TYPE.into(), iri: String::new(), shape: None, color: None, partial_names: false, event: false, repeats_names: false, titles: None });
    }
    for (list, f, pos) in std::mem::take(&mut l.pending_titles) {
        if l.pack.word_lists(&list).next().is_none() {
            let names = l.pack.word_list_names();
            let help = suggest(&list, names.iter().map(String::as_str));
            l.error(&f, pos, list.chars().count(), format!("unknown word list `{list}`"), help);
        }
    }
    for (f, b) in std::mem::take(&mut l.pending_relations) {
        l.relation(&f, &b);
    }
    for (rel, excluded, inverse, then, f, pos) in std::mem::take(&mut l.pending_excludes) {
        // A relation left out for errors in its declaration (reported
        // there) excludes nothing.
        let Some(r) = l.pack.relation_id(&rel) else { continue };
        let x = l.relation_ref(&f, &excluded, pos, excluded.chars().count());
        let then = match then {
            Some((name, pos)) => match l.relation_ref(&f, &name, pos, name.chars().count()) {
                Some(q) => Some(q),
                None => continue,
            },
            None => None,
        };
        if let Some(x) = x {
            l.pack.relations[r].excludes.push(crate::pack::Exclusion { relation: x, inverse, then });
        }
    }
    for (rel, implied, f, pos) in std::mem::take(&mut l.pending_implies) {
        l.implies(&rel, &implied, &f, pos);
    }
    // The gazetteer tables are read while the rules are (neither needs the
    // other); the patterns, which name the tables' forms, compile after.
    let files = std::mem::take(&mut l.gazetteer_files);
    let (types, forms, abbrev) = (l.pack.types.clone(), l.pack.forms.clone(), l.pack.abbreviations.clone());
    let (tables, parsed) =
        rayon::join(|| read_tables(files, &types, forms, &abbrev), || rule_blocks.into_iter().enumerate().map(|(order, (file, b))| l.parse_rule(file, b, order)).collect::<Vec<_>>());
    l.add_tables(tables);
    l.check_patterns();
    l.rules(parsed);
    l.number_words();
    let measured = if root.is_dir() { l.confidences(&root.join(CONFIDENCE_FILE)) } else { Default::default() };
    if !l.diags.is_empty() {
        return Err(PackError(l.diags));
    }
    let mut pack = l.pack;
    pack.root = root.to_path_buf();
    pack.inputs = l.inputs;
    pack.rules.sort_by_key(|r| (r.phase, r.order));
    let prior = measured.get("*").copied().unwrap_or(1.0);
    for r in &mut pack.rules {
        if r.confidence.is_nan() {
            r.confidence = measured.get(&r.name).copied().unwrap_or(prior);
        }
    }
    Ok(pack)
}

/// The file of measured rule confidences in a pack folder, written by
/// `textkg eval --write-confidence`.
pub const CONFIDENCE_FILE: &str = "confidence.tsv";

impl Loader {
    /// `rule<TAB>confidence…` lines; `*` is the confidence of rules the
    /// measure did not see fire. Rules no longer in the pack are ignored, so
    /// a renamed rule only falls back to the prior until the next measure.
    fn confidences(&mut self, path: &Path) -> std::collections::HashMap<String, f64> {
        let mut out = std::collections::HashMap::new();
        let Ok(text) = std::fs::read_to_string(path) else {
            self.inputs.push((path.to_path_buf(), None));
            return out;
        };
        self.inputs.push((path.to_path_buf(), Some(content_hash(text.as_bytes()))));
        self.sources.insert(path.to_path_buf(), text.lines().map(str::to_string).collect());
        for (i, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.trim().is_empty() {
                continue;
            }
            let mut fields = line.split('\t');
            let name = fields.next().unwrap_or_default();
            match fields.next().map(|c| c.trim().parse::<f64>()) {
                Some(Ok(c)) if (0.0..=1.0).contains(&c) => {
                    out.insert(name.to_string(), c);
                }
                _ => {
                    let col = name.chars().count() + 2;
                    self.error(path, Pos { line: i + 1, col }, 1, "expected `rule<TAB>confidence`, a number between 0 and 1".into(), None);
                }
            }
        }
        out
    }
}

/// The hash of a file's content, as `Pack::inputs` records it.
pub(super) fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

pub(super) fn rule_files(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    if root.is_file() {
        return Ok(vec![root.to_path_buf()]);
    }
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rules") {
                out.push(path);
            }
        }
    }
    out.sort();
    Ok(out)
}

struct Loader {
    pack: Pack,
    diags: Vec<Diagnostic>,
    sources: HashMap<PathBuf, Vec<String>>,
    /// Every file read, with the hash of its content (see `Pack::inputs`).
    inputs: Vec<(PathBuf, Option<u64>)>,
    vocab: String,
    gazetteer_files: Vec<(PathBuf, PathBuf, Pos)>,
    pending_relations: Vec<(PathBuf, Block)>,
    /// `excludes` properties, resolved once every relation is declared:
    /// (relation, excluded relation, `inverse`, file, position).
    pending_excludes: Vec<(String, String, bool, Option<(String, Pos)>, PathBuf, Pos)>,
    /// `implies` properties, resolved the same way: (relation, implied
    /// relation, file, position).
    pending_implies: Vec<(String, String, PathBuf, Pos)>,
    /// Types' `titles` lists, checked once every word list is declared:
    /// (list, file, position).
    pending_titles: Vec<(String, PathBuf, Pos)>,
    /// `pattern name = …` statements: the pattern, its file and position.
    patterns: HashMap<String, (Node, PathBuf, Pos)>,
}

impl Default for Loader {
    fn default() -> Self {
        let mut forms = vec!["name".to_string()];
        forms.shrink_to_fit();
        Loader {
            pack: Pack {
                root: PathBuf::new(),
                prefixes: Vec::new(),
                types: Vec::new(),
                relations: Vec::new(),
                words: BTreeMap::new(),
                gazetteer: Gazetteer::default(),
                rules: Vec::new(),
                forms,
                words_named: Default::default(),
                abbreviations: Default::default(),
                inputs: Vec::new(),
            },
            diags: Vec::new(),
            sources: HashMap::new(),
            inputs: Vec::new(),
            vocab: "http://textkg.example/ontology#".into(),
            gazetteer_files: Vec::new(),
            pending_relations: Vec::new(),
            pending_excludes: Vec::new(),
            pending_implies: Vec::new(),
            pending_titles: Vec::new(),
            patterns: HashMap::new(),
        }
    }
}

/// The name of the list a `words` statement declares, if the block is one.
fn words_name(b: &Block) -> Option<String> {
    let head = text_of(&b.head.chars);
    let rest = head.strip_prefix("words")?.strip_prefix(char::is_whitespace)?;
    Some(rest.split('=').next()?.trim().to_string())
}

/// A statement's characters after its keyword, its indented lines joined
/// to its first by a space (`words` and `pattern` run over several lines).
fn after_keyword(b: &Block, keyword: &str) -> Vec<(char, Pos)> {
    let mut chars = b.head.chars[keyword.len()..].to_vec();
    for p in &b.props {
        chars.push((' ', p.pos()));
        chars.extend(p.chars.iter().cloned());
    }
    chars
}

/// The position just after the last of `chars` (`empty` when there are
/// none): where a pattern that stops short is reported.
fn end_of(chars: &[(char, Pos)], empty: Pos) -> Pos {
    chars.last().map(|c| Pos { line: c.1.line, col: c.1.col + 1 }).unwrap_or(empty)
}

fn text_of(chars: &[(char, Pos)]) -> String {
    chars.iter().map(|c| c.0).collect()
}

impl Loader {
    fn error(&mut self, file: &Path, pos: Pos, width: usize, message: String, help: Option<String>) {
        let d = self.diagnostic(file, pos, width, message, help);
        self.diags.push(d);
    }

    fn diagnostic(&self, file: &Path, pos: Pos, width: usize, message: String, help: Option<String>) -> Diagnostic {
        let source_line = self.sources.get(file).and_then(|lines| lines.get(pos.line.wrapping_sub(1))).cloned().unwrap_or_default();
        Diagnostic { file: file.to_path_buf(), pos, width, message, source_line, help }
    }

    fn declaration(&mut self, file: &Path, b: Block, rules: &mut Vec<(PathBuf, Block)>) {
        let head = text_of(&b.head.chars);
        let keyword = head.split_whitespace().next().unwrap_or("");
        match keyword {
            "prefix" => self.prefix(file, &b.head),
            "vocab" => {
                let w = head["vocab".len()..].trim().to_string();
                if let Some(iri) = self.expand(file, &w, b.head.pos()) {
                    self.vocab = iri;
                }
            }
            "type" => self.type_decl(file, &b),
            "relation" => self.pending_relations.push((file.to_path_buf(), b)),
            "words" => self.word_list(file, &b),
            "pattern" => self.pattern_decl(file, &b),
            "gazetteer" => self.gazetteer_decl(file, &b.head),
            "rule" => rules.push((file.to_path_buf(), b)),
            _ => {
                let kws = ["prefix", "vocab", "type", "relation", "words", "pattern", "gazetteer", "rule"];
                let help = suggest(keyword, kws);
                self.error(file, b.head.pos(), keyword.chars().count(), format!("unknown statement `{keyword}`"), help);
            }
        }
    }

    fn expand(&mut self, file: &Path, w: &str, pos: Pos) -> Option<String> {
        if let Some(iri) = w.strip_prefix('<').and_then(|s| s.strip_suffix('>')) {
            return Some(iri.to_string());
        }
        if let Some((p, local)) = w.split_once(':') {
            if let Some((_, ns)) = self.pack.prefixes.iter().find(|(n, _)| n == p) {
                return Some(format!("{ns}{local}"));
            }
            let names: Vec<&str> = self.pack.prefixes.iter().map(|(n, _)| n.as_str()).collect();
            let help = suggest(p, names);
            self.error(file, pos, p.chars().count(), format!("unknown prefix `{p}`"), help);
            return None;
        }
        self.error(file, pos, w.chars().count().max(1), format!("expected an IRI `<…>` or a prefixed name, found `{w}`"), None);
        None
    }

    fn prefix(&mut self, file: &Path, line: &Line) {
        let text = text_of(&line.chars);
        let rest = text["prefix".len()..].trim();
        let parsed = rest.split_once('=').or_else(|| rest.split_once(": ")).map(|(n, i)| (n.trim().trim_end_matches(':'), i.trim()));
        match parsed {
            Some((name, iri)) if iri.starts_with('<') && iri.ends_with('>') && !name.is_empty() => {
                self.pack.prefixes.push((name.to_string(), iri[1..iri.len() - 1].to_string()));
            }
            _ => self.error(file, line.pos(), text.chars().count(), "expected `prefix NAME = <IRI>`".into(), None),
        }
    }

    fn type_decl(&mut self, file: &Path, b: &Block) {
        let text = text_of(&b.head.chars);
        let rest = text["type".len()..].trim();
        let Some((name, iri)) = rest.split_once('=').map(|(n, i)| (n.trim(), i.trim())) else {
            self.error(file, b.head.pos(), text.chars().count(), "expected `type Name = class-IRI`".into(), None);
            return;
        };
        let Some(iri) = self.expand(file, iri, b.head.pos()) else { return };
        if self.pack.types.iter().any(|t| t.name == name) {
            self.error(file, b.head.pos(), text.chars().count(), format!("type `{name}` is declared twice"), None);
            return;
        }
        if self.pack.types.len() >= 63 {
            self.error(file, b.head.pos(), 4, "a pack declares at most 63 types".into(), None);
            return;
        }
        let mut t = TypeDecl { name: name.to_string(), iri, shape: None, color: None, partial_names: false, event: false, repeats_names: false, titles: None };
        for p in &b.props {
            let ws = words(&p.chars).unwrap_or_default();
            match (ws.first().map(|w| w.0.as_str()), ws.get(1)) {
                (Some("shape"), Some(v)) => t.shape = Some(v.0.clone()),
                (Some("color"), Some(v)) => t.color = Some(v.0.clone()),
                (Some("partial_names"), None) => t.partial_names = true,
                (Some("event"), None) => t.event = true,
                (Some("repeats_names"), None) => t.repeats_names = true,
                (Some("titles"), Some(v)) => {
                    // Checked once every word list is declared: lists may come in later files.
                    self.pending_titles.push((v.0.clone(), file.to_path_buf(), v.1.clone()));
                    t.titles = Some(v.0.clone());
                }
                (k, _) => {
                    let k = k.unwrap_or("").to_string();
                    let help = suggest(&k, ["shape", "color", "partial_names", "event", "repeats_names", "titles"]);
                    self.error(file, p.pos(), k.chars().count().max(1), format!("unknown type property `{k}`"), help);
                }
            }
        }
        self.pack.types.push(t);
    }

    fn type_mask(&mut self, file: &Path, list: &[(char, Pos)]) -> Option<u64> {
        let mut mask = 0;
        let mut ok = true;
        for part in split_on(list, '|') {
            let name = text_of(&part).trim().to_string();
            let pos = part.iter().find(|c| !c.0.is_whitespace()).map_or(Pos { line: 0, col: 0 }, |c| c.1.clone());
            match self.pack.type_id(&name) {
                Some(i) => mask |= 1u64 << i,
                None => {
                    let names: Vec<String> = self.pack.types.iter().map(|t| t.name.clone()).collect();
                    let help = suggest(&name, names.iter().map(String::as_str));
                    self.error(file, pos, name.chars().count().max(1), format!("unknown entity type `{name}`"), help);
                    ok = false;
                }
            }
        }
        ok.then_some(mask)
    }

    fn relation(&mut self, file: &Path, b: &Block) {
        let chars = &b.head.chars["relation".len()..];
        let text = text_of(chars);
        let usage = "expected `relation name: Type | Type -> Type | date`";
        let (Some(colon), Some(arrow)) = (text.find(':'), text.find("->")) else {
            self.error(file, b.head.pos(), text_of(&b.head.chars).chars().count(), usage.into(), None);
            return;
        };
        let cidx = text[..colon].chars().count();
        let aidx = text[..arrow].chars().count();
        let name = text[..colon].trim().to_string();
        if cidx > aidx || name.is_empty() {
            self.error(file, b.head.pos(), text_of(&b.head.chars).chars().count(), usage.into(), None);
            return;
        }
        let subjects = self.type_mask(file, &chars[cidx + 1..aidx]);
        let obj_chars = &chars[aidx + 2..];
        let objects = if text_of(obj_chars).trim() == "date" { Some(Objects::Date) } else { self.type_mask(file, obj_chars).map(Objects::Entities) };
        let mut rel = RelationDecl {
            iri: format!("{}{}", self.vocab, name),
            name: name.clone(),
            subjects: subjects.unwrap_or(0),
            objects: objects.clone().unwrap_or(Objects::Entities(0)),
            symmetric: false,
            identifies: false,
            functional: false,
            excludes: Vec::new(),
            implies: Vec::new(),
            known_from: Vec::new(),
            only_from: Vec::new(),
            agrees_with: Vec::new(),
        };
        for p in &b.props {
            let ws = words(&p.chars).unwrap_or_default();
            match (ws.first().map(|w| w.0.as_str()), ws.get(1)) {
                (Some("symmetric"), None) => rel.symmetric = true,
                (Some("identifies"), None) => rel.identifies = true,
                (Some("functional"), None) => rel.functional = true,
                (Some("excludes"), Some(_)) => {
                    // `excludes [inverse] r [then q]`
                    let inverse = ws[1].0 == "inverse";
                    let rest = &ws[1 + usize::from(inverse)..];
                    match rest {
                        [r] => self.pending_excludes.push((name.clone(), r.0.clone(), inverse, None, file.to_path_buf(), r.1.clone())),
                        [r, t, q] if t.0 == "then" => self.pending_excludes.push((name.clone(), r.0.clone(), inverse, Some((q.0.clone(), q.1.clone())), file.to_path_buf(), r.1.clone())),
                        _ => self.error(file, p.pos(), p.chars.len().max(1), "expected `excludes [inverse] RELATION [then RELATION]`".to_string(), None),
                    }
                }
                (Some("implies"), Some(v)) if ws.len() == 2 => self.pending_implies.push((name.clone(), v.0.clone(), file.to_path_buf(), v.1.clone())),
                (Some("known_from"), Some(v)) if ws.len() == 2 => rel.known_from.push(v.0.clone()),
                (Some("only_from"), Some(v)) if ws.len() == 2 => rel.only_from.push(v.0.clone()),
                (Some("agrees_with"), Some(v)) if ws.len() == 2 => rel.agrees_with.push(v.0.clone()),
                (Some("iri"), Some(v)) => {
                    if let Some(iri) = self.expand(file, &v.0, v.1.clone()) {
                        rel.iri = iri;
                    }
                }
                (k, _) => {
                    let k = k.unwrap_or("").to_string();
                    let help = suggest(&k, ["symmetric", "identifies", "functional", "excludes", "implies", "known_from", "only_from", "agrees_with", "iri"]);
                    self.error(file, p.pos(), k.chars().count().max(1), format!("unknown relation property `{k}`"), help);
                }
            }
        }
        if self.pack.relation_id(&name).is_some() {
            self.error(file, b.head.pos(), text_of(&b.head.chars).chars().count(), format!("relation `{name}` is declared twice"), None);
        } else if subjects.is_some() && objects.is_some() {
            self.pack.relations.push(rel);
        }
    }

    /// `relation r … implies q`: q must take every subject and object r
    /// takes, or some implied triples could not be stated.
    fn implies(&mut self, rel: &str, implied: &str, file: &Path, pos: Pos) {
        let Some(r) = self.pack.relation_id(rel) else { return };
        let Some(q) = self.relation_ref(file, implied, pos.clone(), implied.chars().count()) else { return };
        let (from, to) = (&self.pack.relations[r], &self.pack.relations[q]);
        let fits = from.subjects & !to.subjects == 0
            && match (&from.objects, &to.objects) {
                (Objects::Entities(a), Objects::Entities(b)) => a & !b == 0,
                (Objects::Date, Objects::Date) => true,
                _ => false,
            };
        if fits && r != q {
            self.pack.relations[r].implies.push(q);
        } else {
            let why = if r == q { "a relation cannot imply itself".to_string() } else { format!("`{implied}` does not take every subject and object `{rel}` takes") };
            self.error(file, pos, implied.chars().count(), why, None);
        }
    }

    fn word_list(&mut self, file: &Path, b: &Block) {
        let chars = after_keyword(b, "words");
        let text = text_of(&chars);
        let Some(eq) = text.find('=') else {
            self.error(file, b.head.pos(), 5, "expected `words name[@lang] = word word \"two words\" …`".into(), None);
            return;
        };
        let name = text[..eq].trim().to_string();
        let eq_chars = text[..eq].chars().count();
        let ws = match words(&chars[eq_chars + 1..]) {
            Ok(ws) => ws,
            Err(pos) => {
                self.error(file, pos, 1, "unterminated string".into(), None);
                return;
            }
        };
        let abbrev = &self.pack.abbreviations;
        // The abbreviations themselves are words with their dot, whole.
        let whole = name == ABBREVIATIONS;
        let list = self.pack.words.entry(name).or_default();
        for (w, _, quoted) in ws {
            let variants = if quoted { vec![w.as_str()] } else { w.split('/').collect() };
            let entry: Vec<Vec<String>> = variants
                .into_iter()
                .filter(|v| !v.is_empty())
                .map(|v| {
                    if whole {
                        return vec![fold(v)];
                    }
                    if !quoted {
                        return crate::pattern::word_tokens(v, abbrev);
                    }
                    let toks = tokenize(v, 0..v.len(), abbrev);
                    if toks.len() <= 1 {
                        vec![fold(v)]
                    } else {
                        toks.into_iter().map(|t| t.norm.into()).collect()
                    }
                })
                .collect();
            list.entries.push(entry);
        }
    }

    /// `pattern name = …`: a part of patterns that rules include as `&name`.
    fn pattern_decl(&mut self, file: &Path, b: &Block) {
        let chars = after_keyword(b, "pattern");
        let text = text_of(&chars);
        let usage = "expected `pattern name = …` (a name of one word)";
        let Some(eq) = text.find('=') else {
            self.error(file, b.head.pos(), 7, usage.into(), None);
            return;
        };
        let name = text[..eq].trim();
        if name.is_empty() || name.contains(char::is_whitespace) {
            self.error(file, b.head.pos(), 7, usage.into(), None);
            return;
        }
        let end = end_of(&chars, b.head.pos());
        match parse_pattern(&chars[text[..eq].chars().count() + 1..], end, &self.pack.abbreviations) {
            Ok(node) => {
                if self.patterns.contains_key(name) {
                    self.error(file, b.head.pos(), 7, format!("pattern `{name}` is declared twice"), None);
                } else {
                    self.patterns.insert(name.to_string(), (node, file.to_path_buf(), b.head.pos()));
                }
            }
            Err(e) => self.error(file, e.pos, e.width, e.message, e.help),
        }
    }

    /// Checks every named pattern once all are declared, with its own file:
    /// what it includes, and its word lists. One that fails is emptied, so
    /// that the rules including it do not report its error again.
    fn check_patterns(&mut self) {
        let mut names: Vec<String> = self.patterns.keys().cloned().collect();
        names.sort();
        for name in names {
            let (node, file, pos) = self.patterns[&name].clone();
            let errors = match self.include_patterns(node, 1) {
                Ok(full) => compile_rule(&self.pack, &full, &pos, None).main.err().unwrap_or_default(),
                Err(e) => vec![e],
            };
            if !errors.is_empty() {
                for e in errors {
                    self.error(&file, e.pos, e.width, e.message, e.help);
                }
                self.patterns.get_mut(&name).unwrap().0 = Node::Seq(Vec::new());
            }
        }
    }

    /// `node` with every `&name` replaced by its pattern, itself expanded;
    /// `depth` counts the patterns being expanded, to stop one that includes
    /// itself.
    fn include_patterns(&self, node: Node, depth: usize) -> Result<Node, crate::pattern::PatternError> {
        use crate::pattern::PatternError;
        let all = |v: Vec<Node>| v.into_iter().map(|n| self.include_patterns(n, depth)).collect::<Result<Vec<_>, _>>();
        Ok(match node {
            Node::Include { name, pos } => {
                let Some((inner, _, _)) = self.patterns.get(&name) else {
                    let help = suggest(&name, self.patterns.keys().map(String::as_str));
                    return Err(PatternError::unknown_pattern(&name, pos).with_help(help));
                };
                if depth > 8 {
                    return Err(PatternError::new(pos, name.chars().count() + 1, format!("pattern `&{name}` includes itself")));
                }
                self.include_patterns(inner.clone(), depth + 1)?
            }
            Node::Seq(v) => Node::Seq(all(v)?),
            Node::Alt(v) => Node::Alt(all(v)?),
            Node::Repeat { node, min, max, greedy } => Node::Repeat { node: Box::new(self.include_patterns(*node, depth)?), min, max, greedy },
            Node::Capture { name, node } => Node::Capture { name, node: Box::new(self.include_patterns(*node, depth)?) },
            other => other,
        })
    }

    fn gazetteer_decl(&mut self, file: &Path, line: &Line) {
        let ws = words(&line.chars).unwrap_or_default();
        match ws.get(1) {
            Some((path, pos, true)) if ws.len() == 2 => {
                let full = file.parent().unwrap_or(Path::new(".")).join(path);
                self.gazetteer_files.push((file.to_path_buf(), full, pos.clone()));
            }
            _ => self.error(file, line.pos(), 9, "expected `gazetteer \"path/to/table.tsv\"`".into(), None),
        }
    }

    fn abbreviations(&self) -> Abbreviations {
        Abbreviations(self.pack.words.get(ABBREVIATIONS).map(|l| l.all().flatten().cloned().collect()).unwrap_or_default())
    }

    /// Takes in the tables read by [`read_tables`]: their lines (for the
    /// errors' source lines), then their errors, in the order found.
    fn add_tables(&mut self, tables: Tables) {
        self.sources.extend(tables.sources);
        self.inputs.extend(tables.inputs);
        for (file, pos, width, message, help) in tables.errors {
            self.error(&file, pos, width, message, help);
        }
        self.pack.gazetteer = tables.gazetteer;
        self.pack.forms = tables.forms;
    }

    /// Numbers the gazetteer's words and the word lists' after the patterns'
    /// (which are numbered as rules compile), so that a token's number is
    /// all the gazetteer and the date reader need to look at.
    fn number_words(&mut self) {
        let vocab = &mut self.pack.words_named;
        self.pack.gazetteer.build(vocab);
        for list in self.pack.words.values() {
            for word in list.all().flatten() {
                vocab.intern(word);
            }
        }
    }

    /// Compiles the rules' patterns on every core (each numbering its
    /// words on its own), then numbers their words in the pack's vocabulary
    /// and finishes the rules in order: the pack, its numbering and its
    /// errors are those of compiling one rule after the other.
    fn rules(&mut self, mut parsed: Vec<ParsedRule>) {
        use rayon::prelude::*;
        // Facts, `explain` and `profile` name the rule that made them: two
        // rules of one name could not be told apart.
        let mut first: HashMap<String, (PathBuf, Pos)> = HashMap::new();
        for r in &mut parsed {
            let pos = r.head.pos();
            if r.name.is_empty() {
                continue;
            }
            match first.get(&r.name) {
                Some((file, at)) => {
                    let help = format!("first declared at {}:{}:{}", file.display(), at.line, at.col);
                    let d = self.diagnostic(&r.file, pos, text_of(&r.head.chars).chars().count(), format!("rule `{}` is declared twice", r.name), Some(help));
                    r.diags.push(d);
                }
                None => {
                    first.insert(r.name.clone(), (r.file.clone(), pos));
                }
            }
        }
        // The named patterns a rule includes are put in place first (after
        // check_patterns, so that a faulty one is reported once, where it
        // is written).
        for r in &mut parsed {
            if let Some((node, pos)) = r.draft.pattern.take() {
                match self.include_patterns(node, 0) {
                    Ok(node) => r.draft.pattern = Some((node, pos)),
                    Err(e) => r.diags.push(self.diagnostic(&r.file, e.pos, e.width, e.message, e.help)),
                }
            }
        }
        let pack = &self.pack;
        let compiled: Vec<Option<CompiledRule>> = parsed.par_iter().map(|r| r.draft.pattern.as_ref().map(|(pattern, pos)| compile_rule(pack, pattern, pos, r.draft.lang.as_deref()))).collect();
        for (rule, compiled) in parsed.into_iter().zip(compiled) {
            self.finish_rule(rule, compiled);
        }
    }

    /// A rule's name and properties, its pattern parsed (none without a
    /// name). Errors are kept with the rule, to come before those of
    /// compiling it.
    fn parse_rule(&mut self, file: PathBuf, b: Block, order: usize) -> ParsedRule {
        let outer = std::mem::take(&mut self.diags);
        let head = text_of(&b.head.chars);
        let name = head["rule".len()..].trim().to_string();
        let mut draft = RuleDraft::default();
        let named = !name.is_empty() && !name.contains(char::is_whitespace);
        if !named {
            self.error(&file, b.head.pos(), head.chars().count(), "expected `rule name` (one word)".into(), None);
        } else {
            for p in &b.props {
                self.rule_prop(&file, p, &mut draft);
            }
            if draft.pattern.is_none() && !draft.match_failed {
                self.error(&file, b.head.pos(), head.chars().count(), format!("rule `{name}` has no `match`"), None);
            }
        }
        let diags = std::mem::replace(&mut self.diags, outer);
        // The properties' characters (each with its position) are dropped
        // here, not kept through compiling: they are most of a pack's size.
        ParsedRule { file, head: b.head, order, name, draft, diags }
    }

    /// Numbers a compiled rule's words in the pack's vocabulary, reads its
    /// actions and adds it to the pack; its errors follow those of reading it.
    fn finish_rule(&mut self, mut rule: ParsedRule, compiled: Option<CompiledRule>) {
        self.diags.append(&mut rule.diags);
        let (file, head_line) = (rule.file.as_path(), &rule.head);
        let (Some(compiled), Some((pattern, _))) = (compiled, rule.draft.pattern.take()) else { return };
        let map: Vec<u32> = compiled.vocab.words().into_iter().map(|w| self.pack.words_named.intern(w)).collect();
        let (mut program, mut bindings) = match compiled.main {
            Ok(x) => x,
            Err(errors) => {
                for e in errors {
                    self.error(file, e.pos, e.width, e.message, e.help);
                }
                return;
            }
        };
        program.renumber(&map);
        let mut programs = compiled.by_language;
        for (_, p) in &mut programs {
            p.renumber(&map);
        }
        let var_types = slot_types(&pattern, &self.pack);
        let mut var_masks: Vec<u64> = bindings.vars.iter().map(|v| var_types.get(v).copied().unwrap_or(u64::MAX)).collect();
        let mut actions = Vec::new();
        let mut failed = false;
        for (kind, line) in std::mem::take(&mut rule.draft.actions) {
            match self.action(file, &kind, &line, &mut bindings, &mut var_masks) {
                Some(a) => actions.push(a),
                None => failed = true,
            }
        }
        if failed {
            return;
        }
        let head = text_of(&head_line.chars);
        if actions.is_empty() {
            self.error(file, head_line.pos(), head.chars().count(), format!("rule `{}` has no action (`emit`, `mention` or `event`)", rule.name), None);
            return;
        }
        let draft = rule.draft;
        self.pack.rules.push(Rule {
            name: rule.name,
            file: rule.file.clone(),
            line: head_line.no,
            lang: draft.lang,
            phase: draft.phase,
            priority: draft.priority,
            confidence: draft.confidence.unwrap_or(f64::NAN),
            negatable: draft.negatable,
            retypes: draft.retypes,
            fallback: draft.fallback,
            background: draft.background,
            program,
            programs,
            bindings,
            actions,
            examples: draft.examples,
            order: rule.order,
        });
    }

    fn rule_prop(&mut self, file: &Path, p: &Line, rule: &mut RuleDraft) {
        let text = text_of(&p.chars);
        let (kw, rest) = text.split_once(char::is_whitespace).unwrap_or((text.as_str(), ""));
        let kw_len = kw.chars().count();
        let rest_chars: Vec<(char, Pos)> = p.chars[kw_len..].to_vec();
        let rest = rest.trim();
        let number = |loader: &mut Self, what: &str| -> Option<f64> {
            let v = rest.parse::<f64>().ok();
            if v.is_none() {
                loader.error(file, p.pos(), text.chars().count(), format!("`{what}` takes a number"), None);
            }
            v
        };
        match kw {
            "lang" => {
                let langs = self.pack.languages();
                if !langs.iter().any(|l| l == rest) {
                    let help = suggest(rest, langs.iter().map(String::as_str)).or(Some(format!("declare `words stopwords@{rest} = …` to add the language")));
                    let pos = rest_chars.iter().find(|c| !c.0.is_whitespace()).map_or(p.pos(), |c| c.1.clone());
                    self.error(file, pos, rest.chars().count().max(1), format!("unknown language `{rest}`"), help);
                }
                rule.lang = Some(rest.to_string());
            }
            "phase" => rule.phase = number(self, "phase").unwrap_or(0.0) as i32,
            "priority" => rule.priority = number(self, "priority").unwrap_or(0.0) as i32,
            "confidence" => {
                let c = number(self, "confidence").unwrap_or(1.0);
                if !(0.0..=1.0).contains(&c) {
                    self.error(file, p.pos(), text.chars().count(), "confidence is between 0 and 1".into(), None);
                }
                rule.confidence = Some(c);
            }
            "negatable" => rule.negatable = rest != "no",
            "retypes" => rule.retypes = rest == "yes",
            "fallback" => rule.fallback = rest == "yes",
            "background" => rule.background = rest == "yes",
            "match" => {
                let end = end_of(&p.chars, p.pos());
                match parse_pattern(&rest_chars, end, &self.pack.abbreviations) {
                    Ok(node) => rule.pattern = Some((node, p.pos())),
                    Err(e) => {
                        rule.match_failed = true;
                        self.error(file, e.pos, e.width, e.message, e.help);
                    }
                }
            }
            "emit" | "mention" | "event" => rule.actions.push((kw.to_string(), p.clone())),
            "example" => match parse_example(&rest_chars, p.no) {
                Ok(ex) => rule.examples.push(ex),
                Err((pos, msg)) => self.error(file, pos, 1, msg, None),
            },
            _ => {
                let kws = ["lang", "phase", "priority", "confidence", "negatable", "retypes", "fallback", "background", "match", "emit", "mention", "event", "example"];
                let help = suggest(kw, kws);
                self.error(file, p.pos(), kw_len, format!("unknown rule property `{kw}`"), help);
            }
        }
    }

    fn action(&mut self, file: &Path, kind: &str, line: &Line, b: &mut crate::pattern::Bindings, masks: &mut Vec<u64>) -> Option<Action> {
        // `subject(rel, x)` is one term: drop the blanks inside its parentheses.
        let mut chars = line.chars.clone();
        let mut depth = 0;
        let mut i = 0;
        while i < chars.len() {
            match chars[i].0 {
                '(' => depth += 1,
                ')' => depth -= 1,
                c if c.is_whitespace() && depth > 0 => {
                    chars.remove(i);
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        let ws = words(&chars).ok()?;
        let args: Vec<(String, Pos)> = ws.into_iter().skip(1).map(|(w, p, _)| (w, p)).collect();
        let all = text_of(&line.chars).chars().count();
        match kind {
            "emit" => {
                let respectively = args.len() == 4 && args[3].0 == "respectively";
                if args.len() != 3 && !respectively {
                    self.error(file, line.pos(), all, "expected `emit subject relation object [respectively]`".into(), None);
                    return None;
                }
                let relation = self.relation_ref(file, &args[1].0, args[1].1.clone(), args[1].0.chars().count())?;
                let (subject, smask) = self.term(file, &args[0], b, masks)?;
                let (object, omask) = self.term(file, &args[2], b, masks)?;
                let rel = &self.pack.relations[relation];
                let date_bit = self.pack.date_type().map_or(0, |d| 1u64 << d);
                let obj_ok = match rel.objects {
                    Objects::Date => omask & date_bit != 0,
                    Objects::Entities(m) => omask & m != 0,
                };
                if smask & rel.subjects == 0 || !obj_ok {
                    let which = if smask & rel.subjects == 0 { &args[0] } else { &args[2] };
                    let msg = format!("`{}` can never be of a type that `{}` accepts here", which.0, rel.name);
                    self.error(file, which.1.clone(), which.0.chars().count(), msg, None);
                    return None;
                }
                Some(Action::Emit { subject, relation, object, respectively })
            }
            "mention" => {
                // mention Type from capture | mention Type = term [from capture]
                let of = args.len() >= 3 && args[1].0 == "=";
                if !(args.len() == 3 && (args[1].0 == "from" || of) || args.len() == 5 && of && args[3].0 == "from") {
                    self.error(file, line.pos(), all, "expected `mention Type from capture` or `mention Type = term [from capture]`".into(), None);
                    return None;
                }
                let ty = self.type_ref(file, &args[0])?;
                let capture = |l: &mut Self, arg: &(String, Pos)| {
                    let c = b.capture(&arg.0);
                    if c.is_none() {
                        let help = suggest(&arg.0, b.captures.iter().map(String::as_str));
                        l.error(file, arg.1.clone(), arg.0.chars().count(), format!("no capture `{}` in the pattern", arg.0), help);
                    }
                    c
                };
                if !of {
                    return capture(self, &args[2]).map(|capture| Action::MentionFrom { ty, capture });
                }
                let (term, _) = self.term(file, &args[2], b, masks)?;
                let capture = match args.get(4) {
                    Some(arg) => Some(capture(self, arg)?),
                    None => None,
                };
                Some(Action::MentionOf { ty, term, capture })
            }
            _ => {
                // event var kind [new] [from capture] [label "template"] [alias "template"]…
                let usage = "expected `event variable kind [new] [from capture] [label \"template\"] [alias \"template\"]…`";
                let fresh = args.get(2).is_some_and(|(k, _)| k == "new");
                let mut options: Vec<(&str, &(String, Pos))> = Vec::new();
                for pair in args.get(2 + usize::from(fresh)..).unwrap_or_default().chunks(2) {
                    match pair {
                        [(k, _), v] if (k == "from" || k == "label") && !options.iter().any(|(o, _)| o == k) => options.push((k.as_str(), v)),
                        [(k, _), v] if k == "alias" => options.push((k.as_str(), v)),
                        _ => {
                            self.error(file, line.pos(), all, usage.into(), None);
                            return None;
                        }
                    }
                }
                if args.len() < 2 {
                    self.error(file, line.pos(), all, usage.into(), None);
                    return None;
                }
                let label = match options.iter().find(|(k, _)| *k == "label") {
                    Some((_, (text, pos))) => Some(self.template(file, text, pos, b, false)?),
                    None => None,
                };
                let mut aliases = Vec::new();
                for (_, (text, pos)) in options.iter().filter(|(k, _)| *k == "alias") {
                    aliases.push(self.template(file, text, pos, b, false)?);
                }
                let capture = match options.iter().find(|(k, _)| *k == "from").map(|(_, v)| *v) {
                    None => None,
                    Some((name, pos)) => match b.capture(name) {
                        Some(c) => Some(c),
                        None => {
                            let help = suggest(name, b.captures.iter().map(String::as_str));
                            self.error(file, pos.clone(), name.chars().count(), format!("no capture `{name}` in the pattern"), help);
                            return None;
                        }
                    },
                };
                let kind = self.template(file, &args[1].0, &args[1].1, b, true)?;
                let Some(ty) = self.pack.types.iter().position(|t| t.event) else {
                    self.error(file, line.pos(), 5, "no type is declared with the `event` property".into(), None);
                    return None;
                };
                if b.var(&args[0].0).is_some() {
                    self.error(file, args[0].1.clone(), args[0].0.chars().count(), format!("variable `{}` is already bound by the pattern", args[0].0), None);
                    return None;
                }
                b.vars.push(args[0].0.clone());
                masks.push(1u64 << ty);
                Some(Action::Event { var: (b.vars.len() - 1) as u16, ty, kind, capture, label, aliases, fresh })
            }
        }
    }

    fn type_ref(&mut self, file: &Path, (name, pos): &(String, Pos)) -> Option<usize> {
        let r = self.pack.type_id(name);
        if r.is_none() {
            let names: Vec<String> = self.pack.types.iter().map(|t| t.name.clone()).collect();
            let help = suggest(name, names.iter().map(String::as_str));
            self.error(file, pos.clone(), name.chars().count(), format!("unknown entity type `{name}`"), help);
        }
        r
    }

    /// The relation named `name`, or an error `width` characters wide at
    /// `pos` with the nearest relation's name as help.
    fn relation_ref(&mut self, file: &Path, name: &str, pos: Pos, width: usize) -> Option<usize> {
        let r = self.pack.relation_id(name);
        if r.is_none() {
            let names: Vec<String> = self.pack.relations.iter().map(|r| r.name.clone()).collect();
            let help = suggest(name, names.iter().map(String::as_str));
            self.error(file, pos, width, format!("unknown relation `{name}`"), help);
        }
        r
    }

    fn var_ref(&mut self, file: &Path, (name, pos): &(String, Pos), b: &crate::pattern::Bindings) -> Option<u16> {
        let r = b.var(name);
        if r.is_none() {
            let help = suggest(name, b.vars.iter().map(String::as_str));
            self.error(file, pos.clone(), name.chars().count(), format!("unknown variable `{name}`"), help);
        }
        r
    }

    /// Text with `{x}` holes for the keys of variables' entities, or for
    /// the text of captures; with `attrs`, also `{x.attr}` holes for the
    /// key an attribute of x's entry names and `{x+y}` holes for several
    /// keys in sorted order (a label shows names, not keys, but for
    /// `{x.surname}`, the family name of x's label).
    fn template(&mut self, file: &Path, text: &str, pos: &Pos, b: &crate::pattern::Bindings, attrs: bool) -> Option<Vec<TemplatePart>> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else { break };
            parts.push(TemplatePart::Text(rest[..open].to_string()));
            let name = &rest[open + 1..close];
            match (b.capture(name).filter(|_| b.var(name).is_none()), name.split_once('.')) {
                (None, _) if attrs && name.contains('+') => {
                    let vars: Option<Vec<u16>> = name.split('+').map(|v| self.var_ref(file, &(v.trim().to_string(), pos.clone()), b)).collect();
                    parts.push(TemplatePart::Unordered(vars?));
                }
                (Some(c), _) => parts.push(TemplatePart::Capture(c)),
                (None, Some((var, attr))) if attrs || attr == crate::extract::SURNAME => parts.push(TemplatePart::Attr(self.var_ref(file, &(var.to_string(), pos.clone()), b)?, attr.to_string())),
                (None, Some(_)) => {
                    self.error(file, pos.clone(), text.chars().count(), format!("`{{{name}}}`: a label names entities by their labels, not by an attribute's key"), None);
                    return None;
                }
                (None, None) => parts.push(TemplatePart::Var(self.var_ref(file, &(name.to_string(), pos.clone()), b)?)),
            }
            rest = &rest[close + 1..];
        }
        parts.push(TemplatePart::Text(rest.to_string()));
        Some(parts)
    }

    /// A term and the types it may have.
    fn term(&mut self, file: &Path, arg: &(String, Pos), b: &crate::pattern::Bindings, masks: &[u64]) -> Option<(Term, u64)> {
        let (w, pos) = arg;
        // The day before or after each date a term gives, a variable's
        // (`d.day_after`) or another term's (`main(Date).day_after`).
        for (suffix, days) in [(".day_after", 1), (".day_before", -1)] {
            if let Some(inner) = w.strip_suffix(suffix) {
                let (of, mask) = self.term(file, &(inner.to_string(), pos.clone()), b, masks)?;
                let date = self.pack.date_type().map(|d| 1u64 << d).unwrap_or(0);
                if mask & date == 0 {
                    self.error(file, pos.clone(), w.chars().count(), format!("`{inner}` names no dates to move by a day"), None);
                    return None;
                }
                return Some((Term::Shifted(Box::new(of), days), date));
            }
        }
        // `last(T)`, `main(T)`, and with a capture `last(T,cap)`, `main(T,cap)`,
        // `named(T,cap)` (which needs one).
        for prefix in ["last(", "main(", "named("] {
            let Some(inner) = w.strip_prefix(prefix).and_then(|s| s.strip_suffix(')')) else { continue };
            let (ty, cap) = match inner.split_once(',') {
                Some((ty, cap)) => (ty, Some(cap)),
                None => (inner, None),
            };
            let mask = 1u64 << self.type_ref(file, &(ty.to_string(), pos.clone()))?;
            let term = match (prefix, cap.map(|cap| (cap, b.capture(cap)))) {
                ("named(", None) => {
                    self.error(file, pos.clone(), w.chars().count(), "expected `named(Type,capture)`".to_string(), None);
                    return None;
                }
                ("main(", None) => Term::Main(mask),
                (_, None) => Term::Last(mask),
                ("main(", Some((_, Some(capture)))) => Term::MainNamed { mask, capture },
                ("named(", Some((_, Some(capture)))) => Term::Named { mask, capture },
                (_, Some((_, Some(capture)))) => Term::LastNamed { mask, capture },
                (_, Some((cap, None))) => {
                    self.error(file, pos.clone(), w.chars().count(), format!("no capture `{cap}` in the pattern"), None);
                    return None;
                }
            };
            return Some((term, mask));
        }
        if let Some(inner) = w.strip_prefix("within(").and_then(|s| s.strip_suffix(')')) {
            let Some((ty, var)) = inner.split_once(',') else {
                self.error(file, pos.clone(), w.chars().count(), "expected `within(Type,variable)`".to_string(), None);
                return None;
            };
            let mask = 1u64 << self.type_ref(file, &(ty.to_string(), pos.clone()))?;
            let var = self.var_ref(file, &(var.to_string(), pos.clone()), b)?;
            return Some((Term::Within { mask, var }, mask));
        }
        for (prefix, make) in [("lasts(", Term::Lasts as fn(u64) -> Term), ("pronoun(", Term::Pronoun), ("first(", Term::First)] {
            if let Some(ty) = w.strip_prefix(prefix).and_then(|s| s.strip_suffix(')')) {
                let mask = 1u64 << self.type_ref(file, &(ty.to_string(), pos.clone()))?;
                return Some((make(mask), mask));
            }
        }
        if let Some(inner) = w.strip_prefix("titled(").and_then(|s| s.strip_suffix(')')) {
            let Some((ty, cap)) = inner.split_once(',') else {
                self.error(file, pos.clone(), w.chars().count(), "expected `titled(Type,capture)`".to_string(), None);
                return None;
            };
            let ty = self.type_ref(file, &(ty.to_string(), pos.clone()))?;
            if self.pack.types[ty].titles.is_none() {
                self.error(file, pos.clone(), w.chars().count(), format!("`{}` has no `titles` list to tell title words by", self.pack.types[ty].name), None);
                return None;
            }
            let Some(capture) = b.capture(cap) else {
                self.error(file, pos.clone(), w.chars().count(), format!("no capture `{cap}` in the pattern"), None);
                return None;
            };
            return Some((Term::Titled { mask: 1u64 << ty, capture }, 1u64 << ty));
        }
        if let Some(template) = w.strip_prefix("key:").filter(|k| k.contains('{')) {
            return Some((Term::KeyTemplate(self.template(file, template, pos, b, true)?), u64::MAX));
        }
        if let Some(key) = w.strip_prefix("key:") {
            return match self.pack.gazetteer.entry(key) {
                Some(e) => Some((Term::Const(e), 1u64 << self.pack.gazetteer.entries[e].ty)),
                None => {
                    let keys = self.pack.gazetteer.entries.iter().map(|e| e.key.as_str());
                    let help = suggest(key, keys);
                    self.error(file, pos.clone(), w.chars().count(), format!("no gazetteer entry with key `{key}`"), help);
                    None
                }
            };
        }
        if let Some(inner) = w.strip_prefix("only(").and_then(|s| s.strip_suffix(')')) {
            let Some((ty, of)) = inner.split_once(',') else {
                self.error(file, pos.clone(), w.chars().count(), "expected `only(Type,term)`".to_string(), None);
                return None;
            };
            let mask = 1u64 << self.type_ref(file, &(ty.to_string(), pos.clone()))?;
            let (of, inner_mask) = self.term(file, &(of.to_string(), pos.clone()), b, masks)?;
            return Some((Term::Only { mask, of: Box::new(of) }, mask & inner_mask));
        }
        let pair = ["either", "both"].into_iter().find_map(|name| Some((name, w.strip_prefix(name)?.strip_prefix('(')?.strip_suffix(')')?)));
        if let Some((name, inner)) = pair {
            let Some(at) = top_level_comma(inner) else {
                self.error(file, pos.clone(), w.chars().count(), format!("expected `{name}(term,term)`"), None);
                return None;
            };
            let (first, m1) = self.term(file, &(inner[..at].to_string(), pos.clone()), b, masks)?;
            let (second, m2) = self.term(file, &(inner[at + 1..].to_string(), pos.clone()), b, masks)?;
            let (first, second) = (Box::new(first), Box::new(second));
            let term = if name == "both" { Term::Both(first, second) } else { Term::Either(first, second) };
            return Some((term, m1 | m2));
        }
        let related = [("subject(", false, false), ("subjects(", true, false), ("object(", false, true), ("objects(", true, true)]
            .into_iter()
            .find_map(|(prefix, all, object)| w.strip_prefix(prefix).map(|s| (s, all, object)));
        if let Some((inner, all, object)) = related.and_then(|(s, all, object)| s.strip_suffix(')').map(|s| (s, all, object))) {
            let Some((rel, of)) = inner.split_once(',') else {
                let name = if object { "object" } else { "subject" };
                self.error(file, pos.clone(), w.chars().count(), format!("expected `{name}(relation,term)`"), None);
                return None;
            };
            let r = self.relation_ref(file, rel, pos.clone(), w.chars().count())?;
            let decl = &self.pack.relations[r];
            let mask = match (object, &decl.objects) {
                (false, _) => decl.subjects,
                (true, Objects::Entities(m)) => *m,
                (true, Objects::Date) => {
                    self.error(file, pos.clone(), w.chars().count(), format!("`{rel}` has dates for objects: `object(…)` names entities"), None);
                    return None;
                }
            };
            let (of, _) = self.term(file, &(of.to_string(), pos.clone()), b, masks)?;
            return Some((Term::Related { relation: r, of: Box::new(of), all, object }, mask));
        }
        if let Some((v, attr)) = w.split_once('.') {
            let var = self.var_ref(file, &(v.to_string(), pos.clone()), b)?;
            let date = self.pack.date_type().map(|d| 1u64 << d).unwrap_or(0);
            // A date's parts are dates; an entity's attribute can be of any type.
            let mask = if masks[var as usize] == date { date } else { u64::MAX };
            return Some((Term::Attr(var, attr.to_string()), mask));
        }
        let var = self.var_ref(file, arg, b)?;
        Some((Term::Var(var), masks[var as usize]))
    }
}

/// The gazetteer tables of a pack, read apart from the loader: the lines of
/// each table, and the errors as `(file, position, width, message, help)`.
struct Tables {
    gazetteer: Gazetteer,
    forms: Vec<String>,
    sources: Vec<(PathBuf, Vec<String>)>,
    inputs: Vec<(PathBuf, Option<u64>)>,
    errors: Vec<(PathBuf, Pos, usize, String, Option<String>)>,
}

/// Reads the tables that `gazetteer` lines name (declaring file, table,
/// position of the line), in order, for entities of `types`; a table column
/// that is no language or known column is a name form, added to `forms`.
fn read_tables(files: Vec<(PathBuf, PathBuf, Pos)>, types: &[TypeDecl], mut forms: Vec<String>, abbrev: &Abbreviations) -> Tables {
    use rayon::prelude::*;
    // Each table is read and its names tokenized on every core; the entries
    // then go into the gazetteer in order (the first of a key wins).
    let read: Vec<_> = files
        .into_par_iter()
        .map(|(decl_file, path, pos)| {
            let src = std::fs::read_to_string(&path);
            let (rows, errors) = src.as_deref().map(read_table).unwrap_or_default();
            let names: Vec<Vec<Option<Name>>> = rows.par_iter().map(|row| row.labels.iter().chain(&row.forms).flat_map(|(_, ns)| ns).map(|n| Name::read(n, abbrev)).collect()).collect();
            (decl_file, path, pos, src, rows, errors, names)
        })
        .collect();
    let mut gaz = Gazetteer::default();
    let (mut sources, mut inputs, mut errors) = (Vec::new(), Vec::new(), Vec::new());
    for (decl_file, path, pos, src, rows, table_errors, names) in read {
        let src = match src {
            Ok(s) => s,
            Err(e) => {
                errors.push((decl_file, pos, path.to_string_lossy().chars().count() + 2, format!("cannot read gazetteer `{}`: {e}", path.display()), None));
                continue;
            }
        };
        inputs.push((path.clone(), Some(content_hash(src.as_bytes()))));
        sources.push((path.clone(), src.lines().map(str::to_string).collect()));
        for e in table_errors {
            errors.push((path.clone(), Pos { line: e.line, col: e.col }, 1, e.message, None));
        }
        for (row, names) in rows.into_iter().zip(names) {
            let Some(ty) = types.iter().position(|t| t.name == row.ty) else {
                let help = suggest(&row.ty, types.iter().map(|t| t.name.as_str()));
                errors.push((path.clone(), Pos { line: row.line, col: row.ty_col }, row.ty.chars().count().max(1), format!("unknown entity type `{}`", row.ty), help));
                continue;
            };
            // A label is the name form 0, as are aliases; another column is a
            // form of its own.
            let mut ids = Vec::new();
            let mut labels = Vec::new();
            for (lang, ns) in &row.labels {
                labels.extend(ns.iter().map(|n| (lang.clone(), Name::text(n).to_string())));
                ids.extend(ns.iter().map(|_| 0u16));
            }
            for (form, ns) in &row.forms {
                let id = match form.as_str() {
                    "aliases" => 0,
                    _ => forms.iter().position(|f| f == form).unwrap_or_else(|| {
                        forms.push(form.clone());
                        forms.len() - 1
                    }) as u16,
                };
                ids.extend(ns.iter().map(|_| id));
            }
            let names = names.into_iter().zip(ids).filter_map(|(n, id)| n.map(|n| (n, id))).collect();
            let mut attrs = row.attrs;
            if types[ty].partial_names && !attrs.contains_key(crate::extract::SURNAME) {
                let family = first_surnames(row.labels.iter().chain(row.forms.iter().filter(|(f, _)| f == "aliases")).flat_map(|(_, ns)| ns));
                if !family.is_empty() {
                    attrs.insert(crate::extract::SURNAME.to_string(), family);
                }
            }
            let entry = Entry { key: row.key.clone(), ty, wikidata: row.wikidata.clone(), labels, attrs };
            if !gaz.add_read(entry, names) {
                errors.push((path.clone(), Pos { line: row.line, col: 1 }, row.key.chars().count(), format!("key `{}` is used twice in the gazetteer", row.key), None));
            }
        }
    }
    Tables { gazetteer: gaz, forms, sources, inputs, errors }
}

/// The family names a person's names show where one of them stops before
/// the end of another: "Bruno Rodríguez" beside "Bruno Rodríguez Parrilla"
/// says that "Rodríguez" alone is he, as Spanish names go (the second
/// surname is dropped, not the first). Not a name's father ("Tamim bin
/// Hamad", after a lowercase particle) nor a regnal number ("Abdullah II").
fn first_surnames<'a>(names: impl Iterator<Item = &'a String> + Clone) -> Vec<String> {
    let words = |n: &'a String| n.split_whitespace().collect::<Vec<_>>();
    let regnal = |w: &str| crate::text::roman_letters(w) && !w.contains(char::is_lowercase);
    let mut out: Vec<String> = Vec::new();
    for short in names.clone().map(words).filter(|w| w.len() >= 2) {
        let longer = names.clone().map(words).any(|long| long.len() > short.len() && long[..short.len()].iter().zip(&short).all(|(a, b)| a.to_lowercase() == b.to_lowercase()));
        let (last, before) = (short[short.len() - 1], short[short.len() - 2]);
        let family = !regnal(last) && !before.starts_with(char::is_lowercase);
        if longer && family && !out.iter().any(|o| o.to_lowercase() == last.to_lowercase()) {
            out.push(last.to_string());
        }
    }
    out
}

/// A rule read, before its pattern is compiled.
struct ParsedRule {
    file: PathBuf,
    head: Line,
    order: usize,
    name: String,
    draft: RuleDraft,
    diags: Vec<Diagnostic>,
}

/// A rule's programs, their words numbered in a vocabulary of their own.
struct CompiledRule {
    main: Result<(crate::pattern::Program, crate::pattern::Bindings), Vec<crate::pattern::PatternError>>,
    by_language: Vec<(String, crate::pattern::Program)>,
    vocab: crate::pattern::Vocab,
}

/// Compiles a rule's pattern; a rule of no language whose word lists differ
/// by language also gets a program per language, so that it reads each
/// document with its language's lists (an English name's middle initial
/// "M." is no French honorific).
fn compile_rule(pack: &Pack, pattern: &Node, pos: &Pos, lang: Option<&str>) -> CompiledRule {
    let mut vocab = crate::pattern::Vocab::default();
    let names = PackNames::new(pack, lang.map(str::to_string));
    let main = compile(pattern, &names, &mut vocab, pos.clone());
    let mut by_language = Vec::new();
    if lang.is_none() && names.by_language.get() && main.is_ok() {
        for l in pack.languages() {
            if let Ok((program, _)) = compile(pattern, &PackNames::reading(pack, &l), &mut vocab, pos.clone()) {
                by_language.push((l, program));
            }
        }
    }
    CompiledRule { main, by_language, vocab }
}

#[derive(Default)]
struct RuleDraft {
    lang: Option<String>,
    phase: i32,
    priority: i32,
    /// Declared; else measured (confidence.tsv); else 1.
    confidence: Option<f64>,
    negatable: bool,
    retypes: bool,
    fallback: bool,
    background: bool,
    pattern: Option<(Node, Pos)>,
    /// A `match` line was there but did not parse (already reported).
    match_failed: bool,
    actions: Vec<(String, Line)>,
    examples: Vec<Example>,
}

impl RuleDraft {
    fn default() -> Self {
        RuleDraft {
            lang: None,
            phase: 0,
            priority: 0,
            confidence: None,
            negatable: true,
            retypes: false,
            fallback: false,
            background: false,
            pattern: None,
            match_failed: false,
            actions: Vec::new(),
            examples: Vec::new(),
        }
    }
}

/// `"sentence" => "S" relation "O"; not "S" relation "O"; …` or
/// `"sentence" => nothing`.
fn parse_example(chars: &[(char, Pos)], line: usize) -> Result<Example, (Pos, String)> {
    let ws = words(chars).map_err(|p| (p, "unterminated string".to_string()))?;
    let first = chars.iter().find(|c| !c.0.is_whitespace()).map_or(Pos { line, col: 1 }, |c| c.1.clone());
    let usage = "expected `example \"sentence\" => \"subject\" relation \"object\"; not \"subject\" relation \"object\"; …` or `=> nothing`";
    let (Some((text, _, true)), Some((arrow, apos, false))) = (ws.first(), ws.get(1)) else {
        return Err((first, usage.into()));
    };
    if arrow != "=>" {
        return Err((apos.clone(), usage.into()));
    }
    let rest: Vec<&(String, Pos, bool)> = ws[2..].iter().collect();
    if rest.len() == 1 && rest[0].0 == "nothing" && !rest[0].2 {
        return Ok(Example { text: text.clone(), expect: Vec::new(), reject: Vec::new(), line });
    }
    let (mut expect, mut reject) = (Vec::new(), Vec::new());
    let mut cur: Vec<String> = Vec::new();
    // Whether the triple being read began with an unquoted `not`.
    let mut negated = false;
    let mut close = |cur: &mut Vec<String>, negated: &mut bool| {
        let triple = (cur[0].clone(), cur[1].clone(), cur[2].clone());
        if std::mem::take(negated) {
            reject.push(triple)
        } else {
            expect.push(triple)
        }
        cur.clear();
    };
    for (w, pos, quoted) in rest {
        let (w, end) = match w.strip_suffix(';') {
            Some(s) if !quoted => (s.to_string(), true),
            _ if w == ";" && !quoted => (String::new(), true),
            _ => (w.clone(), false),
        };
        if cur.is_empty() && !negated && !quoted && w == "not" && !end {
            negated = true;
            continue;
        }
        if !w.is_empty() {
            cur.push(w);
        }
        if end || cur.len() > 3 {
            if cur.len() != 3 {
                return Err((pos.clone(), usage.into()));
            }
            close(&mut cur, &mut negated);
        }
    }
    match cur.len() {
        0 if !negated => {}
        3 => close(&mut cur, &mut negated),
        _ => return Err((ws.last().unwrap().1.clone(), usage.into())),
    }
    if expect.is_empty() && reject.is_empty() {
        return Err((first, usage.into()));
    }
    Ok(Example { text: text.clone(), expect, reject, line })
}

fn split_on(chars: &[(char, Pos)], sep: char) -> Vec<Vec<(char, Pos)>> {
    chars.split(|c| c.0 == sep).map(<[_]>::to_vec).collect()
}

/// The type mask each pattern variable can take, from its slots.
fn slot_types(node: &Node, pack: &Pack) -> HashMap<String, u64> {
    let mut out = HashMap::new();
    fn walk(node: &Node, pack: &Pack, out: &mut HashMap<String, u64>) {
        match node {
            Node::Seq(v) | Node::Alt(v) => v.iter().for_each(|n| walk(n, pack, out)),
            Node::Repeat { node, .. } | Node::Capture { node, .. } => walk(node, pack, out),
            Node::Slot(s) => {
                if let Some(var) = &s.var {
                    let mask = if s.types.is_empty() { u64::MAX } else { s.types.iter().filter_map(|(t, _)| pack.type_id(t)).fold(0, |m, i| m | 1u64 << i) };
                    *out.entry(var.clone()).or_insert(0) |= mask;
                }
            }
            _ => {}
        }
    }
    walk(node, pack, &mut out);
    out
}

struct PackNames<'a> {
    pack: &'a Pack,
    lang: Option<String>,
    /// For the program of one language of a rule of no language: a list
    /// with no entries for the language gives every language's.
    any_language: bool,
    /// Set when a list the pattern names differs by language: a rule of
    /// no language then gets a program per language.
    by_language: std::cell::Cell<bool>,
}

impl<'a> PackNames<'a> {
    /// The names a rule of `lang` sees.
    fn new(pack: &'a Pack, lang: Option<String>) -> Self {
        PackNames { pack, lang, any_language: false, by_language: std::cell::Cell::new(false) }
    }

    /// The names a rule of no language sees in a document in `lang`.
    fn reading(pack: &'a Pack, lang: &str) -> Self {
        PackNames { any_language: true, ..PackNames::new(pack, Some(lang.to_string())) }
    }
}

impl Names for PackNames<'_> {
    fn type_mask(&self, name: &str) -> Option<u64> {
        self.pack.type_id(name).map(|i| 1u64 << i)
    }
    fn type_names(&self) -> Vec<String> {
        self.pack.types.iter().map(|t| t.name.clone()).collect()
    }
    fn form_id(&self, name: &str) -> Option<u16> {
        self.pack.forms.iter().position(|f| f == name).map(|i| i as u16)
    }
    fn form_names(&self) -> Vec<String> {
        self.pack.forms.clone()
    }
    /// A list in the rule's language (or the language-free one); without
    /// a language every language's entries.
    fn words(&self, name: &str) -> Option<Vec<Vec<String>>> {
        if let Some(lang) = &self.lang {
            let list = self.pack.word_list(name, Some(lang)).map(|l| l.all().cloned().collect());
            if list.is_some() || !self.any_language {
                return list;
            }
        }
        let lists: Vec<&WordList> = self.pack.word_lists(name).collect();
        if lists.len() > 1 {
            self.by_language.set(true);
        }
        (!lists.is_empty()).then(|| lists.iter().flat_map(|l| l.all().cloned()).collect())
    }
    fn word_list_names(&self) -> Vec<String> {
        self.pack.word_list_names()
    }
}

/// The byte offset of the first comma of `s` outside parentheses:
/// `either(object(attended,x),y)` splits after `object(attended,x)`.
fn top_level_comma(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    fn line() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("type T = <http://x/T>".to_string()),
            Just("  event".to_string()),
            Just("relation r: T -> T".to_string()),
            Just("words w@en = a b \"c d\"".to_string()),
            Just("words stopwords@en = the".to_string()),
            Just("rule r1".to_string()),
            Just("  lang en".to_string()),
            Just("  phase 2".to_string()),
            Just("  emit x r y".to_string()),
            Just("  event e k from n".to_string()),
            Just("  example \"a b\" => \"a\" r \"b\"".to_string()),
            "  match [\\[\\]()|{}\"/<>@&~^$?+*_:a-zT xy-]{0,30}",
            "pattern [pq]? = [\\[\\]()|\"<>@&~^$?+*_a-zT xy-]{0,20}",
            Just("pattern p = a &p".to_string()),
            Just("  match &p [T x] &q".to_string()),
            "[ -~]{0,30}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn the_loader_never_panics(lines in proptest::collection::vec(line(), 0..12)) {
            let dir = tempfile::tempdir().unwrap();
            std::fs::write(dir.path().join("p.rules"), lines.join("\n")).unwrap();
            if let Err(e) = load_pack(dir.path()) {
                for d in &e.0 {
                    prop_assert!(d.pos.line >= 1 && d.pos.line <= lines.len().max(1) + 1, "{d}");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rule_name_declared_twice_is_an_error_at_the_second() {
        let dir = tempfile::tempdir().unwrap();
        let text = "type Person = <http://x/Person>\nrelation knows: Person -> Person\n\nrule r1\n  match [Person a] knows [Person b]\n  emit a knows b\n\nrule r1\n  match [Person a] met [Person b]\n  emit a knows b\n";
        std::fs::write(dir.path().join("p.rules"), text).unwrap();
        let errors = load_pack(dir.path()).unwrap_err().0;
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].pos.line, errors[0].pos.col), (8, 1));
        assert!(errors[0].message.contains("rule `r1` is declared twice"), "{}", errors[0].message);
        assert!(errors[0].help.as_deref().is_some_and(|h| h.ends_with("p.rules:4:1")), "{:?}", errors[0].help);
    }

    /// The pack of one rule file with this text.
    fn load(text: &str) -> Result<Pack, PackError> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("p.rules"), text).unwrap();
        load_pack(dir.path())
    }

    #[test]
    fn a_relation_implies_only_one_that_takes_its_subjects_and_objects() {
        let head = "type Person = <http://x/Person>\ntype Firm = <http://x/Firm>\n";
        let pack = load(&format!("{head}relation runs: Person -> Firm\n  implies works_for\nrelation works_for: Person -> Firm\n")).unwrap();
        let (runs, works) = (pack.relation_id("runs").unwrap(), pack.relation_id("works_for").unwrap());
        assert_eq!(pack.relations[runs].implies, vec![works]);
        assert!(pack.relations[works].implies.is_empty());
        let errors = load(&format!("{head}relation runs: Person -> Firm\n  implies knows\nrelation knows: Person -> Person\n")).unwrap_err().0;
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].pos.line, errors[0].pos.col), (4, 11));
        assert!(errors[0].message.contains("`knows` does not take every subject and object `runs` takes"), "{}", errors[0].message);
        let errors = load(&format!("{head}relation runs: Person -> Firm\n  implies work_for\nrelation works_for: Person -> Firm\n")).unwrap_err().0;
        assert!(errors[0].message.contains("unknown relation `work_for`") && errors[0].help.as_deref().is_some_and(|h| h.contains("works_for")), "{errors:?}");
    }

    #[test]
    fn an_exclusion_may_take_two_steps_and_names_each_relation() {
        let head = "type Person = <http://x/Person>\ntype Firm = <http://x/Firm>\nrelation works_for: Person -> Firm\nrelation knows: Person -> Person\n";
        let pack = load(&format!("{head}relation sues: Person -> Firm\n  excludes inverse knows then works_for\n")).unwrap();
        let (sues, knows, works) = (pack.relation_id("sues").unwrap(), pack.relation_id("knows").unwrap(), pack.relation_id("works_for").unwrap());
        assert_eq!(pack.relations[sues].excludes, vec![crate::pack::Exclusion { relation: knows, inverse: true, then: Some(works) }]);
        let errors = load(&format!("{head}relation sues: Person -> Firm\n  excludes knows then work_for\n")).unwrap_err().0;
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!((errors[0].pos.line, errors[0].pos.col), (6, 23));
        assert!(errors[0].message.contains("unknown relation `work_for`"), "{errors:?}");
        let errors = load(&format!("{head}relation sues: Person -> Firm\n  excludes knows works_for\n")).unwrap_err().0;
        assert!(errors[0].message.contains("expected `excludes [inverse] RELATION [then RELATION]`"), "{errors:?}");
    }

    #[test]
    fn a_name_that_stops_before_a_second_surname_gives_the_first() {
        let names = |ns: &[&str]| ns.iter().map(|n| n.to_string()).collect::<Vec<_>>();
        let family = |ns: &[&str]| first_surnames(names(ns).iter());
        assert_eq!(family(&["Bruno Rodríguez Parrilla", "Bruno Rodríguez", "Bruno Rodriguez"]), vec!["Rodríguez"]);
        assert!(family(&["Tamim bin Hamad Al Thani", "Tamim bin Hamad"]).is_empty());
        assert!(family(&["Abdullah II bin Al-Hussein", "Abdullah II"]).is_empty());
        assert!(family(&["Jean Asselborn"]).is_empty());
    }
}
