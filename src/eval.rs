//! Scoring against gold annotations, with the same matching as
//! `shared/eval/score.py`: nodes map to gold entities by Wikidata link, then
//! by label, then (events) by start date; relations compare by name; the
//! score is over the distinct triples of the whole corpus.

use crate::graph::{KnowledgeGraph, Target};
use crate::pack::Pack;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::Write;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

#[derive(Debug, thiserror::Error)]
pub enum GoldError {
    #[error("cannot read {path}: {message}")]
    Read { path: String, message: String },
    #[error("{path}:{line}: {message}")]
    Bad { path: String, line: usize, message: String },
}

#[derive(Debug, Clone)]
pub struct GoldEntity {
    pub key: String,
    pub ty: String,
    pub wikidata: String,
    pub date: String,
    pub aliases: Vec<String>,
}

/// (subject key, relation, object key or date), symmetric ones ordered.
pub type GoldTriple = (String, String, String);

#[derive(Debug, Clone)]
pub struct Gold {
    pub entities: BTreeMap<String, GoldEntity>,
    pub triples: BTreeSet<GoldTriple>,
    /// The documents each gold triple is annotated in.
    pub docs: HashMap<GoldTriple, Vec<String>>,
}

/// Rows of a TSV file as (line number, column → value).
type Rows = Vec<(usize, HashMap<String, String>)>;

fn read_tsv(path: &Path) -> Result<Rows, GoldError> {
    let text = std::fs::read_to_string(path).map_err(|e| GoldError::Read { path: path.display().to_string(), message: e.to_string() })?;
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let Some((_, head)) = lines.next() else { return Ok(Vec::new()) };
    let head: Vec<&str> = head.split('\t').collect();
    Ok(lines
        .map(|(i, l)| {
            let fields: Vec<&str> = l.split('\t').collect();
            (i + 1, head.iter().enumerate().map(|(k, h)| (h.to_string(), fields.get(k).unwrap_or(&"").to_string())).collect())
        })
        .collect())
}

/// Relations whose object is a date literal, and symmetric relations, as the
/// pack declares them.
fn relation_kinds(pack: &Pack) -> (HashSet<String>, HashSet<String>) {
    let dates = pack.relations.iter().filter(|r| r.objects == crate::pack::Objects::Date).map(|r| r.name.clone()).collect();
    let sym = pack.relations.iter().filter(|r| r.symmetric).map(|r| r.name.clone()).collect();
    (dates, sym)
}

fn canonical(s: &str, r: &str, o: &str, sym: &HashSet<String>) -> GoldTriple {
    if sym.contains(r) && o < s {
        (o.to_string(), r.to_string(), s.to_string())
    } else {
        (s.to_string(), r.to_string(), o.to_string())
    }
}

impl Gold {
    pub fn load(dir: &Path) -> Result<Gold, GoldError> {
        let mut entities = BTreeMap::new();
        for (_, row) in read_tsv(&dir.join("entities.tsv"))? {
            let get = |k: &str| row.get(k).cloned().unwrap_or_default();
            entities
                .insert(get("key"), GoldEntity { key: get("key"), ty: get("type"), wikidata: get("wikidata"), date: get("date"), aliases: get("aliases").split('|').map(str::to_string).collect() });
        }
        let path = dir.join("triples.tsv");
        let mut raw = Vec::new();
        for (line, row) in read_tsv(&path)? {
            let get = |k: &str| row.get(k).cloned().unwrap_or_default();
            raw.push((line, get("doc"), get("subject"), get("relation"), get("object")));
        }
        for (line, _, s, _, _) in &raw {
            if !entities.contains_key(s) {
                return Err(GoldError::Bad { path: path.display().to_string(), line: *line, message: format!("unknown entity key `{s}`") });
            }
        }
        Ok(Gold { entities, triples: BTreeSet::new(), docs: HashMap::new() }.with_triples(raw))
    }

    fn with_triples(mut self, raw: Vec<(usize, String, String, String, String)>) -> Gold {
        // Symmetry is applied when scoring, with the pack's declarations.
        for (_, doc, s, r, o) in raw {
            let t = (s, r, o);
            self.docs.entry(t.clone()).or_default().push(doc);
            self.triples.insert(t);
        }
        self
    }
}

/// score.py's `norm`: fold, drop a leading article, keep words.
pub fn norm(text: &str) -> String {
    let t: String = text.replace('\u{2019}', "'").nfkd().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).collect::<String>().to_lowercase();
    let t = t.trim();
    let t = ["l'", "d'", "le ", "la ", "les ", "the "].iter().find_map(|p| t.strip_prefix(p)).unwrap_or(t);
    t.split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit())).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Maps graph nodes to gold entity keys, as score.py does.
pub fn map_nodes(kg: &KnowledgeGraph, pack: &Pack, gold: &Gold) -> Vec<Option<String>> {
    let mut by_qid = HashMap::new();
    let mut by_alias: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut by_date: HashMap<String, BTreeSet<String>> = HashMap::new();
    for (k, e) in &gold.entities {
        if !e.wikidata.is_empty() {
            by_qid.insert(e.wikidata.clone(), k.clone());
        }
        for a in &e.aliases {
            let n = norm(a);
            if !n.is_empty() {
                by_alias.entry(n).or_default().insert(k.clone());
            }
        }
        if e.ty == "Event" && !e.date.is_empty() {
            by_date.entry(e.date.clone()).or_default().insert(k.clone());
        }
    }
    let (date_rels, _) = relation_kinds(pack);
    let start_rel = "start_date";
    let year_re = regex::Regex::new(r"\b(?:19|20)\d\d\b").unwrap();
    kg.nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let labels: BTreeSet<String> = node.labels.values().chain(node.aliases.iter().map(|(_, a)| a)).map(|l| norm(l)).collect();
            let dates: BTreeSet<String> = kg
                .facts
                .iter()
                .filter(|f| f.subject == i && pack.relations[f.relation].name == start_rel && date_rels.contains(start_rel))
                .filter_map(|f| match f.object {
                    Target::Date(d) => Some(d.to_string()),
                    _ => None,
                })
                .collect();
            let mut found: BTreeSet<String> = node.wikidata.iter().filter_map(|q| by_qid.get(q).cloned()).collect();
            if found.is_empty() {
                found = labels.iter().filter_map(|l| by_alias.get(l)).flatten().cloned().collect();
            }
            let event_keys: BTreeSet<String> = dates.iter().filter_map(|d| by_date.get(d)).flatten().cloned().collect();
            if !event_keys.is_empty() {
                let narrowed: BTreeSet<String> = found.intersection(&event_keys).cloned().collect();
                found = if !narrowed.is_empty() {
                    narrowed
                } else if event_keys.len() == 1 {
                    event_keys
                } else {
                    found
                };
            } else if !dates.is_empty() {
                found.retain(|k| gold.entities[k].date.is_empty());
            }
            let ty_name = pack.types[node.ty].iri.rsplit(['/', '#']).next().unwrap_or("").to_string();
            if found.len() > 1 {
                let typed: BTreeSet<String> = found.iter().filter(|k| gold.entities[*k].ty == ty_name).cloned().collect();
                if !typed.is_empty() {
                    found = typed;
                }
            }
            let mut years: BTreeSet<String> = dates.iter().map(|d| d[..4].to_string()).collect();
            for l in &labels {
                years.extend(year_re.find_iter(l).map(|m| m.as_str().to_string()));
            }
            if found.len() > 1 && !years.is_empty() {
                let same: BTreeSet<String> = found.iter().filter(|k| years.iter().any(|y| k.contains(y.as_str()))).cloned().collect();
                if !same.is_empty() {
                    found = same;
                }
            }
            found.into_iter().next()
        })
        .collect()
}

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Prf {
    pub tp: usize,
    pub predicted: usize,
    pub gold: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

fn prf(tp: usize, predicted: usize, gold: usize) -> Prf {
    let p = if predicted > 0 { tp as f64 / predicted as f64 } else { 0.0 };
    let r = if gold > 0 { tp as f64 / gold as f64 } else { 0.0 };
    let f = if p + r > 0.0 { 2.0 * p * r / (p + r) } else { 0.0 };
    let round = |x: f64| (x * 1000.0).round() / 1000.0;
    Prf { tp, predicted, gold, precision: round(p), recall: round(r), f1: round(f) }
}

#[derive(Debug, Clone)]
pub struct Report {
    pub micro: Prf,
    pub relations: BTreeMap<String, Prf>,
    /// Precision of each rule: (true positives, predicted).
    pub rules: BTreeMap<String, Prf>,
    pub missed: Vec<(GoldTriple, Vec<String>)>,
    /// Spurious triples with where they came from (document: sentence span).
    pub spurious: Vec<(GoldTriple, Vec<String>)>,
    pub split: BTreeMap<String, usize>,
}

pub fn score(kg: &KnowledgeGraph, pack: &Pack, gold: &Gold) -> Report {
    let (date_rels, sym) = relation_kinds(pack);
    let mapping = map_nodes(kg, pack, gold);
    let gold_set: BTreeSet<GoldTriple> = gold.triples.iter().map(|(s, r, o)| canonical(s, r, o, &sym)).collect();
    let mut predicted: BTreeMap<GoldTriple, Vec<(String, String)>> = BTreeMap::new();
    for f in &kg.facts {
        let r = &pack.relations[f.relation].name;
        let s = mapping[f.subject].clone().unwrap_or_else(|| kg.nodes[f.subject].iri.clone());
        let o = match &f.object {
            Target::Date(d) if date_rels.contains(r) => d.to_string(),
            Target::Date(d) => d.to_string(),
            Target::Node(n) => mapping[*n].clone().unwrap_or_else(|| kg.nodes[*n].iri.clone()),
        };
        let t = canonical(&s, r, &o, &sym);
        let e = predicted.entry(t).or_default();
        for (doc, p) in &f.sources {
            e.push((p.rule.clone(), format!("{doc}: sentence {} chars {}..{}", p.sentence, p.start, p.end)));
        }
    }
    let pred_set: BTreeSet<GoldTriple> = predicted.keys().cloned().collect();
    let mut relations = BTreeMap::new();
    for r in &pack.relations {
        let g = gold_set.iter().filter(|t| t.1 == r.name).count();
        let p = pred_set.iter().filter(|t| t.1 == r.name).count();
        let tp = gold_set.iter().filter(|t| t.1 == r.name && pred_set.contains(*t)).count();
        if g + p > 0 {
            relations.insert(r.name.clone(), prf(tp, p, g));
        }
    }
    let mut rule_counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (t, sources) in &predicted {
        let rules: BTreeSet<&String> = sources.iter().map(|(r, _)| r).collect();
        for r in rules {
            let c = rule_counts.entry(r.clone()).or_default();
            c.1 += 1;
            if gold_set.contains(t) {
                c.0 += 1;
            }
        }
    }
    let rules = rule_counts.into_iter().map(|(r, (tp, p))| (r, prf(tp, p, 0))).collect();
    let mut nodes_per_key: BTreeMap<String, usize> = BTreeMap::new();
    for k in mapping.iter().flatten() {
        *nodes_per_key.entry(k.clone()).or_default() += 1;
    }
    Report {
        micro: prf(gold_set.intersection(&pred_set).count(), pred_set.len(), gold_set.len()),
        relations,
        rules,
        missed: gold_set.difference(&pred_set).map(|t| (t.clone(), gold.docs.get(t).cloned().unwrap_or_default())).collect(),
        spurious: pred_set.difference(&gold_set).map(|t| (t.clone(), predicted[t].iter().map(|(r, w)| format!("{w} [{r}]")).collect())).collect(),
        split: nodes_per_key.into_iter().filter(|(_, n)| *n > 1).collect(),
    }
}

/// How many triples the prior counts for in a rule's measured confidence.
const PRIOR_WEIGHT: f64 = 4.0;

impl Report {
    /// The pack's `confidence.tsv`: each rule's precision, drawn towards the
    /// micro precision as if it had made `PRIOR_WEIGHT` more triples at that
    /// rate, so that a rule right 2 times out of 2 is not given 1; `*`, the
    /// micro precision itself, stands for rules that did not fire.
    pub fn confidences(&self, made_by: &str) -> String {
        let prior = self.micro.precision;
        let mut s = String::new();
        let _ = writeln!(s, "# Measured rule confidences, written by `{made_by} --write-confidence …`.");
        let _ = writeln!(s, "# confidence = (tp + {PRIOR_WEIGHT} x prior) / (predicted + {PRIOR_WEIGHT}); prior = micro precision; `*`: rules not seen firing.");
        let _ = writeln!(s, "# rule\tconfidence\ttp\tpredicted");
        let _ = writeln!(s, "*\t{prior:.3}\t{}\t{}", self.micro.tp, self.micro.predicted);
        for (rule, p) in &self.rules {
            let c = (p.tp as f64 + PRIOR_WEIGHT * prior) / (p.predicted as f64 + PRIOR_WEIGHT);
            let _ = writeln!(s, "{rule}\t{c:.3}\t{}\t{}", p.tp, p.predicted);
        }
        s
    }

    pub fn render(&self, show_errors: bool) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{:<16} {:>6} {:>6} {:>6} {:>4} {:>5} {:>5}", "relation", "P", "R", "F1", "tp", "pred", "gold");
        for (r, m) in &self.relations {
            let _ = writeln!(s, "{r:<16} {:>6} {:>6} {:>6} {:>4} {:>5} {:>5}", m.precision, m.recall, m.f1, m.tp, m.predicted, m.gold);
        }
        let _ = writeln!(s, "\n{:<32} {:>6} {:>4} {:>5}", "rule", "P", "tp", "pred");
        for (r, m) in &self.rules {
            let _ = writeln!(s, "{r:<32} {:>6} {:>4} {:>5}", m.precision, m.tp, m.predicted);
        }
        let _ = writeln!(s, "\ngold entities split into several nodes: {}", self.split.len());
        if show_errors {
            for (key, nodes) in &self.split {
                let _ = writeln!(s, "split    {key} ({nodes} nodes)");
            }
            for (t, docs) in &self.missed {
                let _ = writeln!(s, "missed   {} {} {}   ({})", t.0, t.1, t.2, docs.join(", "));
            }
            for (t, wh) in &self.spurious {
                let _ = writeln!(s, "spurious {} {} {}   ({})", t.0, t.1, t.2, wh.join("; "));
            }
        }
        let _ = writeln!(s, "micro P {} R {} F1 {}", self.micro.precision, self.micro.recall, self.micro.f1);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn norm_matches_the_scorer() {
        assert_eq!(norm("l’Alliance"), "alliance");
        assert_eq!(norm("The NATO-Georgia Commission"), "nato georgia commission");
        assert_eq!(norm("Réunion des ministres"), "reunion des ministres");
    }
}
