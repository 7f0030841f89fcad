//! The extract stage: a document's sentences, the pack's gazetteer and rules
//! in, entities and facts with provenance out. Nothing here knows a store.

pub mod dates;
mod model;
mod state;
mod wake;

pub use model::{DocExtraction, Document, Entity, EventIdentity, Fact, Object, Provenance};
pub use state::{ends_name, name_words, slug, SURNAME};

use crate::pack::{Action, Exclusion, Objects, Pack, Rule, TemplatePart, Term};
use crate::pattern::{find_all_with, latest_start, Cache, Input, Match, MentionAt, MentionIndex, WordIndex};
use crate::text::{fold, sentences_with, Sentence, Token};
use dates::{find_dates, Anchor, Date, DateMention, DateWords};
use rustc_hash::FxHashMap as HashMap;
use rustc_hash::FxHashSet as HashSet;
use state::{DocState, EventMention, MainGuess, Value};
use wake::{RuleSet, Seen, Triggers};

/// Documents longer than this are read as sections of about this size (see
/// `Extractor::extract`): a thousand press releases. (A quarter of that
/// let the cores finish closer together, but a 20 MB document then took a
/// third more memory and more time on one core.)
const SECTION_BYTES: usize = 1 << 20;
/// How many opening sentences (or tokens, whichever comes first) decide a
/// document's language and year.
const PREFIX_SENTENCES: usize = 200;
const PREFIX_TOKENS: usize = 5_000;

/// A mention in a sentence: tokens `start..end`.
#[derive(Debug, Clone)]
pub struct Mention {
    pub start: usize,
    pub end: usize,
    pub ty: usize,
    pub form: u16,
    pub value: MentionValue,
}

#[derive(Debug, Clone)]
pub enum MentionValue {
    Entity(usize),
    Date(DateMention),
    /// A name found by a rule, resolved to an entity only if the mention is kept.
    Name(String),
}

/// What one rule match did, for `explain`.
#[derive(Debug, Clone)]
pub struct Firing {
    pub rule: usize,
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
    pub negated: bool,
    pub facts: usize,
    /// The mentions it proposed (kept or not, once the phase's are merged).
    pub mentions: usize,
}

/// A match that lost a conflict to another rule's (see `resolve_conflicts`),
/// for `explain`: why a rule that matched said nothing.
#[derive(Debug, Clone)]
pub struct Beaten {
    pub rule: usize,
    /// The rule whose match won.
    pub by: usize,
    pub sentence: usize,
    pub start: usize,
    pub end: usize,
}

/// A trace of the extraction of one document, for `explain`.
#[derive(Debug, Default)]
pub struct Trace {
    pub sentences: Vec<(Sentence, Vec<Mention>)>,
    pub firings: Vec<Firing>,
    pub beaten: Vec<Beaten>,
}

/// The buffers of [`Extractor::run`] a thread keeps between documents.
#[derive(Default)]
struct Scratch {
    vm: Cache,
    words: WordIndex,
    seen: Seen,
    mentions: MentionIndex,
    awake: RuleSet,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

pub struct Extractor<'p> {
    pack: &'p Pack,
    /// The languages with stop words (at most 64).
    languages: Vec<String>,
    /// By word number (`Vocab`): the bits of the languages it is a stop word of.
    stopwords: Vec<u64>,
    dates: HashMap<String, DateWords>,
    negation: HashMap<String, HashSet<String>>,
    /// Per language, the words that join the last item of a list (`and`):
    /// a label template's own ("{a} and {b}") writes a list out with it.
    and: HashMap<String, HashSet<String>>,
    /// Per language, the letters after a name that are no part of it
    /// (`postnominal`: "MP", "T.D."): a person's mention takes them in.
    postnominals: HashMap<String, HashSet<String>>,
    /// Per language, the folded `ordinal_word`s ("eighth", « huitième »):
    /// one right before an event's name is part of a name sources give it.
    ordinal_words: HashMap<String, HashSet<String>>,
    /// The `title_glue` words of each language: what may stand between a
    /// title and the name after it ("Secretary of State Antony Blinken").
    /// With the list, another lowercase word ends the title ("Secretary
    /// General meets President Trump": no "Secretary" for Trump).
    title_glue: HashMap<String, Option<HashSet<String>>>,
    /// The `relative` words of each language ("which", « auquel »): past
    /// one, the sentence may name again the person a bare title is.
    relatives: HashMap<String, HashSet<String>>,
    /// Folded words of each honorific, per language: dropped from the start
    /// of names, so that "Mme Mogherini" and "Mogherini" are one name.
    honorifics: HashMap<String, Vec<Vec<String>>>,
    /// The words after which a name part names a parent (`patronymic`).
    parents: Vec<String>,
    /// The words that may come before a family name's last word and belong
    /// to it (`surname_particle`: "Le" Drian, "von der" Leyen), folded.
    surname_particles: Vec<String>,
    /// The `sentence_opener` words of every language, folded: a dotted
    /// acronym before one of them with a capital ends a sentence.
    sentence_openers: std::collections::HashSet<String>,
    /// The words that open a name's complement (`complement_head`: "of",
    /// « de »), folded: `named(T,w)` is what a name with `w` as its head
    /// names, not one with `w` after them ("the Union" is no "Commission
    /// of the African Union").
    complement_heads: Vec<String>,
    /// The lower-case words that join the parts of a name (`name_joiner`):
    /// a mention after one ends a longer name, whose acronym is not its own.
    joiners: Vec<String>,
    /// Per type, the folded words of its `titles` entries per language:
    /// dropped from the start of its names like honorifics.
    titles: Vec<HashMap<String, Vec<Vec<String>>>>,
    /// The same titles' words, one set per type and language: what
    /// `titled(…)` reads a mention's title words with.
    title_words: Vec<HashMap<String, HashSet<String>>>,
    date_ty: Option<usize>,
    /// The first relation that identifies an event by a date (its start).
    date_identity: Option<usize>,
    /// Per language of the pack, what wakes the rules that read it: its
    /// own and those of no language.
    triggers: HashMap<String, Triggers>,
    /// The rules of each phase: ranges of the pack's rules, sorted by phase.
    phases: Vec<std::ops::Range<usize>>,
    /// What each rule claims (see [`claims`]), made once: conflicts are
    /// settled for every match of every sentence.
    claims: Vec<Claims>,
    /// What each rule cost so far, when asked for (`with_costs`).
    costs: Option<std::sync::Mutex<Vec<RuleCost>>>,
    /// Documents longer than this are read in sections (see `extract`).
    section_bytes: usize,
    /// Of each type with partial names, the listed entry each family name
    /// belongs to (`None`: to several): "President Saakashvili" in a text
    /// that never gives the first name is the one the gazetteer lists.
    listed_family_names: HashMap<(usize, String), Option<usize>>,
}

/// What one rule cost over the documents extracted (`textkg profile`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RuleCost {
    /// Sentences whose words woke the rule.
    pub woken: u64,
    /// Sentences it ran on: the woken ones that hold every word and mention
    /// type a match needs.
    pub run: u64,
    pub matches: u64,
    /// Time in the Pike VM.
    pub nanos: u64,
}

impl RuleCost {
    fn add(&mut self, other: &RuleCost) {
        self.woken += other.woken;
        self.run += other.run;
        self.matches += other.matches;
        self.nanos += other.nanos;
    }
}

impl<'p> Extractor<'p> {
    pub fn new(pack: &'p Pack) -> Self {
        let flat = |name: &str, lang: &str| -> HashSet<String> { pack.word_list(name, Some(lang)).map(|l| l.all().map(|v| v.join(" ")).collect()).unwrap_or_default() };
        let langs = pack.languages();
        let stopwords = stopword_bits(pack, &langs);
        let common = common_token_bits(pack, &langs);
        let titles: Vec<HashMap<String, Vec<Vec<String>>>> =
            pack.types.iter().map(|t| t.titles.as_ref().map(|list| langs.iter().map(|l| (l.clone(), folded_entries(pack, list, l))).collect()).unwrap_or_default()).collect();
        let triggers = langs.iter().enumerate().map(|(k, l)| (l.clone(), Triggers::new(&pack.rules, &rules_in(pack, l), l, |w| stopword_of(&stopwords, w, k) || stopword_of(&common, w, k)))).collect();
        Extractor {
            pack,
            stopwords,
            languages: langs.iter().take(64).cloned().collect(),
            dates: langs.iter().map(|l| (l.clone(), DateWords::for_lang(pack, Some(l)))).collect(),
            negation: langs.iter().map(|l| (l.clone(), flat("negation", l))).collect(),
            and: langs.iter().map(|l| (l.clone(), flat("and", l))).collect(),
            postnominals: langs.iter().map(|l| (l.clone(), flat("postnominal", l))).collect(),
            // The words of the ordinals, not the hyphen of « dix-septième »: a
            // dash before a name is no ordinal of it.
            ordinal_words: langs.iter().map(|l| (l.clone(), folded_entries(pack, "ordinal_word", l).into_iter().flatten().filter(|w| w.chars().any(char::is_alphanumeric)).collect())).collect(),
            title_glue: langs.iter().map(|l| (l.clone(), pack.word_list("title_glue", Some(l)).map(|_| flat("title_glue", l)))).collect(),
            relatives: langs.iter().map(|l| (l.clone(), flat("relative", l))).collect(),
            honorifics: langs.iter().map(|l| (l.clone(), folded_entries(pack, "honorific", l))).collect(),
            parents: patronymics(pack),
            joiners: folded_words_of(pack, "name_joiner"),
            surname_particles: folded_words_of(pack, "surname_particle"),
            sentence_openers: folded_words_of(pack, "sentence_opener").into_iter().collect(),
            complement_heads: folded_words_of(pack, "complement_head"),
            title_words: titles.iter().map(|by_lang| by_lang.iter().map(|(l, t)| (l.clone(), t.iter().flatten().cloned().collect())).collect()).collect(),
            titles,
            date_ty: pack.date_type(),
            date_identity: pack.relations.iter().position(|r| r.identifies && matches!(r.objects, Objects::Date)),
            triggers,
            phases: pack
                .rules
                .chunk_by(|a, b| a.phase == b.phase)
                .scan(0, |start, c| {
                    *start += c.len();
                    Some(*start - c.len()..*start)
                })
                .collect(),
            claims: pack.rules.iter().map(claims).collect(),
            costs: None,
            section_bytes: SECTION_BYTES,
            listed_family_names: listed_family_names(pack),
        }
    }

    /// Counts and times each rule's runs from now on (see [`Extractor::costs`]).
    pub fn with_costs(mut self) -> Self {
        self.costs = Some(std::sync::Mutex::new(vec![RuleCost::default(); self.pack.rules.len()]));
        self
    }

    /// Reads documents longer than `bytes` in sections of about that size
    /// (the default is [`SECTION_BYTES`]).
    pub fn with_sections_of(mut self, bytes: usize) -> Self {
        self.section_bytes = bytes;
        self
    }

    /// What each rule (by index in the pack) cost in the documents
    /// extracted so far; empty unless made [`Extractor::with_costs`].
    pub fn costs(&self) -> Vec<RuleCost> {
        self.costs.as_ref().map(|c| c.lock().unwrap_or_else(|e| e.into_inner()).clone()).unwrap_or_default()
    }

    pub fn pack(&self) -> &Pack {
        self.pack
    }

    /// The language of a text: the pack language whose stop words it uses
    /// most. `None` when a text of some length uses almost none of them: a
    /// language the pack has no rules for. Tokens must be numbered by the
    /// pack (`Vocab::assign`).
    pub fn detect_language(&self, sentences: &[Sentence]) -> Option<String> {
        let mut words = 0;
        let mut counts = vec![0usize; self.languages.len()];
        for t in sentences.iter().flat_map(|s| &s.tokens) {
            words += usize::from(t.kind == crate::text::TokenKind::Word);
            let mut bits = self.stopwords.get(t.word as usize).copied().unwrap_or(0);
            while bits != 0 {
                counts[bits.trailing_zeros() as usize] += 1;
                bits &= bits - 1;
            }
        }
        let mut best = (0usize, self.languages.first().cloned().unwrap_or_else(|| "und".into()));
        for (lang, &n) in self.languages.iter().zip(&counts) {
            if n > best.0 {
                best = (n, lang.clone());
            }
        }
        // Running text has a stop word every few words; under 1 in 20 is not the language.
        (words < 30 || best.0 * 20 >= words).then_some(best.1)
    }

    /// A document's entities and facts. A document longer than
    /// [`SECTION_BYTES`] (or the size [`Extractor::with_sections_of`] gave),
    /// such as a corpus saved as one file, is read as sections cut at
    /// paragraph breaks, on every core: each is a discourse of its own (the
    /// names, events and narrated days it knows), in the language and with
    /// the date its first section gives the whole document. Its facts keep
    /// the document's offsets and sentence numbers.
    pub fn extract(&self, doc: &Document) -> DocExtraction {
        use rayon::prelude::*;
        if doc.text.len() <= self.section_bytes {
            return self.run_on(doc, self.sentence_stream(&doc.text), None);
        }
        let ranges = crate::text::sections(&doc.text, self.section_bytes);
        let head = opening_sentences(&mut self.sentence_stream(&doc.text[ranges[0].clone()]));
        let Some((lang, date)) = self.opening(doc, &head) else {
            return DocExtraction { doc_id: doc.id.clone(), unknown_language: true, ..Default::default() };
        };
        let parts: Vec<DocExtraction> = ranges
            .par_iter()
            .enumerate()
            .map(|(k, range)| {
                // Its own name for the keys of what stays in a section
                // (undated events), which other sections do not join.
                let id = if k == 0 { doc.id.clone() } else { format!("{}#{}", doc.id, k + 1) };
                let section = Document { id, text: doc.text[range.clone()].to_string(), lang: Some(lang.clone()), date, meta: Default::default() };
                self.run_on(&section, self.sentence_stream(&section.text), None)
            })
            .collect();
        let mut out = join_sections(&doc.id, &doc.text, &ranges, parts);
        out.lang = lang;
        let entities = &out.entities;
        let entry_of = |e: usize| entities.get(e).filter(|x| x.listed).and_then(|x| self.pack.gazetteer.entry(&x.key));
        self.settle_document(&mut out.facts, entry_of);
        out
    }

    /// The trace of a document read whole, in one section, as `explain`
    /// shows it.
    pub fn extract_traced(&self, doc: &Document) -> (DocExtraction, Trace) {
        let mut trace = Trace::default();
        let ex = self.run_on(doc, self.sentence_stream(&doc.text), Some(&mut trace));
        (ex, trace)
    }

    /// A document's sentences, tokenized, their tokens numbered by the pack.
    fn sentence_stream<'a>(&'a self, text: &'a str) -> impl Iterator<Item = Sentence> + 'a {
        let vocab = &self.pack.words_named;
        sentences_with(text, &self.pack.abbreviations, &self.sentence_openers).map(|mut s| {
            vocab.assign(&mut s.tokens);
            s
        })
    }

    /// A document's language and date from its opening sentences (`None`
    /// in no language of the pack): its metadata's, else the language whose
    /// stop words it uses and the first full date (a dateline).
    fn opening(&self, doc: &Document, head: &[Sentence]) -> Option<(String, Option<Date>)> {
        let lang = doc.lang.clone().or_else(|| self.detect_language(head))?;
        let no_dates = DateWords::default();
        let date_words = self.dates.get(&lang).unwrap_or(&no_dates);
        let date = doc.date.or_else(|| {
            // Sentences are dated only as far as needed: most documents stop at the first.
            let mut found = head.iter().map(|s| (s, find_dates(&s.tokens, date_words, None, Anchor::default()))).filter(|(_, d)| !d.is_empty());
            let first = found.next()?;
            if first.1[0].last.is_none() {
                return dates::dateline(&first.1);
            }
            // A title that dates the event it reports over several days
            // ("State Visit … (November 14-21, 2016)") is not the day of the
            // release: a date on a line of its own below it is.
            let own_line = |(s, d): &(&Sentence, Vec<DateMention>)| d.len() == 1 && d[0].last.is_none() && s.tokens.len() <= DATELINE_TOKENS;
            dates::dateline(&found.find(own_line).unwrap_or(first).1)
        });
        Some((lang, date))
    }

    /// What is known once a whole document is read: the facts a relation
    /// excludes ("Kuleba … Ukrainian Foreign Minister" may come after
    /// "supports Ukraine"), and the first value of a functional relation.
    /// Returns the facts dropped for disagreeing with another object of
    /// their match (`agrees_with`), whose values an event's identity must
    /// lose too.
    fn settle_document(&self, facts: &mut Vec<Fact>, entry_of: impl Fn(usize) -> Option<usize>) -> Vec<Fact> {
        // The gazetteer entries of a fact's subject and object, when both are listed.
        let listed_pair = |s: usize, o: &Object| match o {
            Object::Entity(o) => entry_of(s).zip(entry_of(*o)),
            Object::Date(_) => None,
        };
        // Whether an entry lists, under one of `attrs`, an entry that passes
        // `test`. The entries an attribute names are looked up once per
        // entry: a long document asks for the same person's at every fact.
        let entries = &self.pack.gazetteer.entries;
        let under = std::cell::RefCell::new(HashMap::<(usize, &str), Vec<usize>>::default());
        let lists = |s: usize, attrs: &'p [String], test: &dyn Fn(usize) -> bool| {
            let mut under = under.borrow_mut();
            attrs.iter().any(|a| {
                let named = under.entry((s, a.as_str())).or_insert_with(|| entries[s].attrs.get(a).into_iter().flatten().filter_map(|k| self.pack.gazetteer.entry(k)).collect());
                named.iter().any(|&e| test(e))
            })
        };
        if self.pack.relations.iter().any(|r| !r.excludes.is_empty()) {
            // What the gazetteer lists of an entity, for a relation that is
            // `known_from` an attribute (see RelationDecl::known_from).
            let listed = |s: usize, r: usize, o: &Object| {
                let attrs = &self.pack.relations[r].known_from;
                !attrs.is_empty() && listed_pair(s, o).is_some_and(|(s, o)| lists(s, attrs, &|e| e == o))
            };
            let stated: HashSet<(usize, usize, Object)> = facts.iter().map(|f| (f.subject, f.relation, f.object.clone())).collect();
            // For two-step exclusions: what each entity stands in a relation
            // to, and what stands in it to each entity.
            let mut forward: HashMap<(usize, usize), Vec<usize>> = HashMap::default();
            let mut backward: HashMap<(usize, usize), Vec<usize>> = HashMap::default();
            if self.pack.relations.iter().any(|r| r.excludes.iter().any(|x| x.then.is_some())) {
                for f in facts.iter() {
                    if let Object::Entity(o) = f.object {
                        forward.entry((f.subject, f.relation)).or_default().push(o);
                        backward.entry((o, f.relation)).or_default().push(f.subject);
                    }
                }
            }
            let says = |s: usize, x: &Exclusion, o: &Object| match (x.then, x.inverse, o) {
                (Some(q), inverse, _) => {
                    let firsts = if inverse { backward.get(&(s, x.relation)) } else { forward.get(&(s, x.relation)) };
                    firsts.is_some_and(|xs| xs.iter().any(|&m| stated.contains(&(m, q, o.clone())) || listed(m, q, o)))
                }
                (None, false, _) => stated.contains(&(s, x.relation, o.clone())) || listed(s, x.relation, o),
                (None, true, Object::Entity(o)) => stated.contains(&(*o, x.relation, Object::Entity(s))),
                (None, true, _) => false,
            };
            facts.retain(|f| !self.pack.relations[f.relation].excludes.iter().any(|x| says(f.subject, x, &f.object)));
        }
        if self.pack.relations.iter().any(|r| !r.only_from.is_empty()) {
            // The entities the gazetteer lists under the subject's attribute
            // leave no room for others of their type.
            let ruled_out = |f: &Fact| {
                let attrs = &self.pack.relations[f.relation].only_from;
                !attrs.is_empty() && listed_pair(f.subject, &f.object).is_some_and(|(s, o)| lists(s, attrs, &|e| e != o && entries[e].ty == entries[o].ty))
            };
            facts.retain(|f| !ruled_out(f));
        }
        // A match's objects that the others' attributes rule out (see
        // `RelationDecl::agrees_with`), found before any is dropped.
        let agrees = |f: &Fact| !self.pack.relations[f.relation].agrees_with.is_empty();
        let disagreeing: Vec<bool> = if facts.iter().any(agrees) {
            // The object's entry: the subject (an event) need not be listed.
            let listed = |o: &Object| if let Object::Entity(o) = o { entry_of(*o) } else { None };
            fn one_match(f: &Fact) -> (usize, usize, usize, usize, usize, &str) {
                (f.subject, f.relation, f.provenance.sentence, f.provenance.start, f.provenance.end, f.provenance.rule.as_str())
            }
            let mut given: HashMap<_, Vec<usize>> = HashMap::default();
            for f in facts.iter().filter(|f| agrees(f)) {
                if let Some(o) = listed(&f.object) {
                    given.entry(one_match(f)).or_default().push(o);
                }
            }
            let ruled_out = |f: &Fact| {
                let Some(o) = listed(&f.object).filter(|_| agrees(f)) else { return false };
                let attrs = &self.pack.relations[f.relation].agrees_with;
                let others = given.get(&one_match(f)).map_or(&[][..], Vec::as_slice);
                others.iter().any(|&p| lists(p, attrs, &|e| entries[e].ty == entries[o].ty)) && !others.iter().any(|&p| lists(p, attrs, &|e| e == o))
            };
            facts.iter().map(ruled_out).collect()
        } else {
            Vec::new()
        };
        let mut dropped = Vec::new();
        if disagreeing.contains(&true) {
            let mut flags = disagreeing.into_iter();
            let kept;
            (dropped, kept) = std::mem::take(facts).into_iter().partition(|_| flags.next().unwrap_or(false));
            *facts = kept;
        }
        if self.pack.relations.iter().any(|r| r.functional) {
            keep_first_values(facts, |r| self.pack.relations[r].functional);
        }
        dropped
    }

    fn run_on(&self, doc: &Document, mut stream: impl Iterator<Item = Sentence>, mut trace: Option<&mut Trace>) -> DocExtraction {
        // The language and the year come from the opening sentences; the
        // rest is read as it comes.
        let head = opening_sentences(&mut stream);
        let Some((lang, doc_date)) = self.opening(doc, &head) else {
            return DocExtraction { doc_id: doc.id.clone(), unknown_language: true, ..Default::default() };
        };
        let no_dates = DateWords::default();
        let date_words = self.dates.get(&lang).unwrap_or(&no_dates);
        let doc_year = doc_date.map(|d| d.year);
        let mut anchor = Anchor { document: doc_date, last: None, event: None };
        let mut last_opens = false;
        let mut st = DocState::default();
        st.today = doc_date;
        let mut out = DocExtraction { doc_id: doc.id.clone(), lang: lang.clone(), ..Default::default() };
        let mut facts = Vec::new();
        let chars = CharIndex::new(&doc.text);
        // Buffers sized by the pack (word numbers, instructions, rules), kept
        // by the thread from document to document rather than made and
        // zeroed again for each short document.
        let mut scratch = SCRATCH.with(std::cell::RefCell::take);
        let Scratch { vm: vm_cache, words, seen, mentions: mention_index, awake } = &mut scratch;
        // `--lang` may name a language the pack has no rules of its own for.
        let triggers = match self.triggers.get(&lang) {
            Some(t) => std::borrow::Cow::Borrowed(t),
            None => std::borrow::Cow::Owned(Triggers::new(&self.pack.rules, &rules_in(self.pack, &lang), &lang, |_| false)),
        };
        // This document's rule costs, added to the extractor's at the end.
        let mut costs = self.costs.as_ref().map(|_| vec![RuleCost::default(); self.pack.rules.len()]);
        for sentence in head.into_iter().chain(stream) {
            out.sentences += 1;
            // A date that opens its sentence ("On 7 May, …") is a day the
            // text narrates; one inside it ("raised the launch on November
            // 21 of a missile") may be one it recalls.
            anchor.event = if last_opens { None } else { st.narrated_day(anchor.last) };
            let mut mentions = self.base_mentions(&doc.text, &sentence, &mut st, &lang, date_words, doc_year, anchor);
            let before = anchor;
            if let Some((d, start)) = mentions.iter().rev().find_map(|m| match &m.value {
                MentionValue::Date(d) if !date_words.after_deadline(&sentence.tokens, m.start) => Some((d.last.unwrap_or(d.first), m.start)),
                _ => None,
            }) {
                anchor.last = Some(d);
                last_opens = start <= 1;
            }
            let mut ctx = SentenceCtx { doc, lang: &lang, sentence: &sentence, chars: &chars, anchor: before };
            // Where each word last occurs: a rule needing a word cannot
            // start a match after it.
            words.set(&sentence.tokens);
            triggers.wake(words.distinct(), seen, awake);
            let rules = &self.pack.rules;
            // Where the last mention of each type starts, kept up to date as
            // phases add mentions (they only ever add): a rule needing a
            // type cannot start a match after it.
            let mut last_type = [usize::MAX; 64];
            let list_start = crate::text::list_marker_len(&sentence.tokens);
            let mut typed = 0;
            // The types of those mentions, a bit each.
            let mut present = 0u64;
            for &std::ops::Range { start: i, end } in &self.phases {
                // Most sentences wake no rule of most phases.
                if awake.range(i, end).next().is_none() {
                    continue;
                }
                let mut added = Vec::new();
                let mut found: Vec<(usize, Match)> = Vec::new();
                for x in &mentions[typed..] {
                    let t = &mut last_type[x.ty];
                    *t = if *t == usize::MAX { x.start } else { (*t).max(x.start) };
                    present |= 1 << x.ty;
                }
                typed = mentions.len();
                // Indexed once a rule of the phase has all it needs.
                let mut indexed = false;
                for r in awake.range(i, end) {
                    if let Some(c) = costs.as_mut() {
                        c[r].woken += 1;
                    }
                    if !triggers.has_types(r, present) {
                        continue;
                    }
                    let program = rules[r].program_for(&lang);
                    let Some(limit) = latest_start(program, words, &last_type) else { continue };
                    if !std::mem::replace(&mut indexed, true) {
                        index_mentions(mention_index, &mentions, &sentence.tokens);
                    }
                    let input = Input { text: &doc.text, tokens: &sentence.tokens, mentions: mention_index, words, start: list_start };
                    let started = costs.is_some().then(std::time::Instant::now);
                    let matches = find_all_with(program, &input, vm_cache, limit);
                    if let (Some(c), Some(t)) = (costs.as_mut(), started) {
                        c[r].run += 1;
                        c[r].matches += matches.len() as u64;
                        c[r].nanos += t.elapsed().as_nanos() as u64;
                    }
                    found.extend(matches.into_iter().map(|m| (r, m)));
                }
                let (kept, lost) = resolve_conflicts(rules, &self.claims, found);
                let tracing = trace.is_some();
                let mut barren = Vec::new();
                // Applies a match; whether it said anything.
                let mut fire = |r: usize, m: &Match| {
                    let before = (facts.len(), added.len());
                    let negated = self.apply(&rules[r], m, &mut mentions, &mut added, &mut st, &mut facts, &mut ctx);
                    if let Some(t) = trace.as_deref_mut() {
                        t.firings.push(Firing { rule: r, sentence: sentence.index, start: m.start(), end: m.end(), negated, facts: facts.len() - before.0, mentions: added.len() - before.1 });
                    }
                    negated || rules[r].fallback || facts.len() > before.0 || added.len() > before.1
                };
                for (i, (r, m)) in kept.iter().enumerate() {
                    if !fire(*r, m) {
                        barren.push(i);
                    }
                }
                // Only what a winner that spoke beat: the others get a second
                // chance below, and show as firings if they take it.
                let beaten: Vec<Beaten> = if tracing {
                    lost.iter()
                        .filter_map(|(r, m)| {
                            let (_, (by, _)) = kept.iter().enumerate().find(|(i, k)| !barren.contains(i) && conflict(&self.claims, k, (*r, m)))?;
                            Some(Beaten { rule: *r, by: *by, sentence: sentence.index, start: m.start(), end: m.end() })
                        })
                        .collect()
                } else {
                    Vec::new()
                };
                // A winner that said nothing (its terms named no one) does
                // not silence the readings it beat: "la conférence sur la
                // Libye s'est tenue à Paris" read as the document's meeting,
                // which is not yet known, leaves the place to the conference.
                if !barren.is_empty() && !lost.is_empty() {
                    for (r, m) in second_chance(rules, &self.claims, &kept, &barren, lost) {
                        fire(r, &m);
                    }
                }
                if let Some(t) = trace.as_deref_mut() {
                    t.beaten.extend(beaten);
                }
                let kept = merge_mentions(&mut mentions, added);
                for id in kept {
                    if let MentionValue::Name(name) = &mentions[id].value {
                        let ty = mentions[id].ty;
                        let name = self.bare_name(name, ty, &lang);
                        let partial = self.pack.types[ty].partial_names;
                        let entity = match self.listed_by_family_name(ty, name, partial, &st) {
                            Some(entry) => {
                                let entity = st.gazetteer(self.pack, entry, &lang, &self.parents);
                                st.saw(entity, &lang, name);
                                entity
                            }
                            None => st.named(ty, name, partial, &lang, &self.parents),
                        };
                        mentions[id].value = MentionValue::Entity(entity);
                        if self.pack.types[ty].repeats_names {
                            let toks = &sentence.tokens[mentions[id].start..mentions[id].end];
                            if toks.iter().filter(|t| t.kind == crate::text::TokenKind::Word).count() >= 2 {
                                st.gave_name(entity, toks.iter().map(|t| t.norm.to_string()).collect());
                            }
                        }
                    }
                }
            }
            mentions.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
            // Persons have no acronyms; dates are no entities.
            define_acronyms(&doc.text, &sentence.tokens, &mentions, &self.joiners, |ty| Some(ty) == self.date_ty || self.pack.types[ty].partial_names, |ty| self.pack.types[ty].event, &mut st);
            // An entity counts once per sentence for `main`: "President
            // Gustavo Petro" is one mention, though rules read it twice.
            let mut counted = Vec::new();
            // A name inside a longer one of its type ("Abraham Accords" in
            // "the Abraham Accords Peace Agreement") is not the one the text
            // named last: the longer one is.
            // By type, as `last_type` (types are bits of a u64).
            let mut outer = [None::<(usize, usize)>; 64];
            for m in &mentions {
                if let MentionValue::Entity(e) = m.value {
                    let inside = outer[m.ty].is_some_and(|(start, end)| start <= m.start && m.end <= end);
                    if !st.in_background(e) && !inside {
                        st.last.insert(m.ty, e);
                        outer[m.ty] = Some((m.start, m.end));
                    }
                    st.named_in_sentence(sentence.index, m.ty, e);
                    if !counted.contains(&e) {
                        counted.push(e);
                        st.mentioned(e);
                    }
                    if let Some(titles) = self.title_words.get(m.ty).and_then(|t| t.get(&lang)).filter(|t| !t.is_empty()) {
                        let glue = self.title_glue.get(&lang).and_then(Option::as_ref);
                        st.titled_as(titles_around(titles, glue, &sentence.tokens, &mentions, m), e);
                    }
                }
            }
            if is_heading(&doc.text, &sentence) {
                // What the heading names before its first word outside a
                // name (past a list's number or mark, and dashes).
                let named = |k: usize| mentions.iter().any(|m| m.start <= k && k < m.end && matches!(m.value, MentionValue::Entity(_)));
                let free = (0..sentence.tokens.len()).find(|&k| sentence.tokens[k].kind == crate::text::TokenKind::Word && !named(k)).unwrap_or(sentence.tokens.len());
                let opening: Vec<usize> = mentions
                    .iter()
                    .filter(|m| m.start < free)
                    .filter_map(|m| match m.value {
                        MentionValue::Entity(e) => Some(e),
                        _ => None,
                    })
                    .collect();
                st.heading(&counted, &opening, sentence.index <= BYLINE_WITHIN);
            }
            out.mentions += mentions.len();
            if let Some(t) = trace.as_deref_mut() {
                t.sentences.push((sentence.clone(), mentions));
            }
        }
        st.settle_fallbacks(self.pack, &mut facts);
        // Before exclusions, which then apply to the implied triples too.
        let implied: Vec<Fact> = facts.iter().flat_map(|f| self.pack.relations[f.relation].implies.iter().map(move |&r| Fact { relation: r, ..f.clone() })).collect();
        facts.extend(implied);
        for f in self.settle_document(&mut facts, |e| st.entry_of(e)) {
            if let Object::Entity(o) = f.object {
                st.forget_event_attr(f.subject, f.relation, &Value::Entity(o));
            }
        }
        SCRATCH.with(|c| c.replace(scratch));
        if let (Some(total), Some(costs)) = (&self.costs, costs) {
            let mut total = total.lock().unwrap_or_else(|e| e.into_inner());
            total.iter_mut().zip(&costs).for_each(|(t, c)| t.add(c));
        }
        out.facts = facts;
        out.entities = st.finish(self.pack, &doc.id);
        out
    }

    /// The listed entry a name of one word stands for, when the document
    /// named no one by it yet and the gazetteer lists one entity of the type
    /// with that family name (and no more).
    fn listed_by_family_name(&self, ty: usize, name: &str, partial: bool, st: &DocState) -> Option<usize> {
        if !partial {
            return None;
        }
        let words = name_words(name);
        let [word] = words.as_slice() else { return None };
        if st.finds_name(ty, &words, &self.parents) {
            return None;
        }
        self.listed_family_names.get(&(ty, word.clone())).copied().flatten()
    }

    /// Where an ordinal right before token `a` starts: an ordinal word
    /// ("eighth", « huitième »), or one the language's date words read as a
    /// number written as one word ("17th", « XIIe », « cinquante-deuxième »,
    /// whose hyphen makes three tokens).
    fn ordinal_before(&self, tokens: &[Token], a: usize, text: &str, lang: &str) -> Option<usize> {
        let written = self.dates.get(lang).and_then(|words| {
            (1..=a.min(3)).rev().map(|k| a - k).find(|&start| {
                let one_word = tokens[start + 1..a].iter().all(|t| !t.space_before);
                one_word && tokens[start].kind != crate::text::TokenKind::Punct && words.ordinal(&text[tokens[start].span.start..tokens[a - 1].span.end]).is_some()
            })
        });
        written.or_else(|| (a > 0 && self.ordinal_words.get(lang).is_some_and(|o| o.contains(tokens[a - 1].norm.as_str()))).then(|| a - 1))
    }

    /// Where an event's name ends before the place it gives: "U.S.-Pacific
    /// Islands Forum Leaders' Meeting in Port Moresby" is also known as the
    /// "U.S.-Pacific Islands Forum Leaders' Meeting", which sources write
    /// alone. The name up to a lower-case word, then a mention ending the
    /// name of an entity that is neither a person (a type with partial
    /// names: "meeting with President A" says who met) nor another event.
    /// Only a name of three words or more: "G20 Summit" or "NATO Summit"
    /// alone would be every year's, and the place says which one it is.
    fn name_before_place(&self, tokens: &[Token], mentions: &[Mention], (a, b): (usize, usize), event_ty: usize) -> Option<usize> {
        let word = |t: &Token| t.kind == crate::text::TokenKind::Word;
        let place = mentions.iter().find(|x| x.end == b && x.start > a + 1 && x.ty != event_ty && Some(x.ty) != self.date_ty && !self.pack.types[x.ty].partial_names)?;
        let (joint, last) = (&tokens[place.start - 1], &tokens[place.start - 2]);
        let words = tokens[a..place.start - 1].iter().filter(|t| word(t)).count();
        (word(joint) && !joint.cap && last.cap && words >= 3).then_some(place.start - 1)
    }

    /// Where a name that runs on past a person's name into the title set
    /// off after it ends without that title: "Entretien du Président de la
    /// République avec M. Xi Jinping, Président de la République populaire
    /// de Chine" is also "… avec M. Xi Jinping", as sources name it.
    fn name_before_apposition(&self, tokens: &[Token], mentions: &[Mention], (a, b): (usize, usize)) -> Option<usize> {
        let person = mentions.iter().find(|x| a < x.start && x.end + 1 < b && self.pack.types[x.ty].partial_names && tokens[x.end].norm == ",")?;
        let words = tokens[a..person.end].iter().filter(|t| t.kind == crate::text::TokenKind::Word).count();
        (words >= 3).then_some(person.end)
    }

    /// A name without the honorifics, and the titles of its type (`titles`),
    /// it opens with, unless nothing is left.
    fn bare_name<'a>(&self, name: &'a str, ty: usize, lang: &str) -> &'a str {
        let none = Vec::new();
        let honorifics = self.honorifics.get(lang).unwrap_or(&none);
        let titles = self.titles.get(ty).and_then(|t| t.get(lang)).unwrap_or(&none);
        if honorifics.is_empty() && titles.is_empty() {
            return name;
        }
        // The name's words, each folded once, and where each one starts.
        let mut words = Vec::new();
        let mut rest = name.trim_start();
        while !rest.is_empty() {
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            words.push((name.len() - rest.len(), fold(&rest[..end])));
            rest = rest[end..].trim_start();
        }
        let mut stripped = 0;
        'strip: loop {
            for h in honorifics.iter().chain(titles) {
                let rest = &words[stripped..];
                if !h.is_empty() && h.len() < rest.len() && h.iter().zip(rest).all(|(hw, (_, w))| hw == w) {
                    stripped += h.len();
                    continue 'strip;
                }
            }
            return words.get(stripped).map_or(name.trim_start(), |&(start, _)| &name[start..]);
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn base_mentions(&self, text: &str, s: &Sentence, st: &mut DocState, lang: &str, dw: &DateWords, year: Option<i32>, anchor: Anchor) -> Vec<Mention> {
        let found = self.pack.gazetteer.find(text, &s.tokens, &|entry| st.names_entry(entry));
        let mut out: Vec<Mention> = found
            .into_iter()
            .map(|g| {
                let entity = st.gazetteer(self.pack, g.entry, lang, &self.parents);
                let ty = self.pack.gazetteer.entries[g.entry].ty;
                if g.form == 0 {
                    let surface = &text[s.tokens[g.start].span.start..s.tokens[g.end - 1].span.end];
                    st.saw(entity, lang, surface);
                    // A listed person's family name alone is them, as for
                    // one the text named: the gazetteer holds full names.
                    if self.pack.types[ty].partial_names {
                        st.gave_full_name(entity, name_words(surface));
                    }
                }
                // "David Cameron MP", "Enda Kenny T.D.": the letters after a
                // person's name belong to the mention, not to what follows.
                let end = if self.pack.types[ty].partial_names { self.past_postnominals(&s.tokens, g.end, lang) } else { g.end };
                Mention { start: g.start, end, ty, form: g.form, value: MentionValue::Entity(entity) }
            })
            .collect();
        if let Some(ty) = self.date_ty {
            for d in find_dates(&s.tokens, dw, year, anchor) {
                if out.iter().all(|m| m.end <= d.start || m.start >= d.end) {
                    out.push(Mention { start: d.start, end: d.end, ty, form: 0, value: MentionValue::Date(d) });
                }
            }
        }
        // A family name alone, once the document gave the full name: "Singh
        // met with …" after "Daleep Singh was in New Delhi". Only a
        // capitalised word that stands apart from other capitalised words,
        // so that it is not part of another name ("Manmohan Singh").
        if st.knows_family_names() {
            let cap_word = |t: &Token| t.kind == crate::text::TokenKind::Word && t.cap;
            let toks = &s.tokens;
            // A particle joined by a hyphen opens the family name after it:
            // "Foreign Minister al-Jubeir" after "Adel al-Jubeir".
            // The hyphen first: most words have none after them.
            let particle_at = |k: usize| {
                toks.get(k + 1).is_some_and(|h| !h.space_before && h.norm == "-")
                    && toks.get(k + 2).is_some_and(|w| cap_word(w) && !w.space_before)
                    && !toks[k].cap
                    && self.surname_particles.iter().any(|p| p == toks[k].norm.as_str())
            };
            let particle_before = |i: usize| i >= 2 && particle_at(i - 2);
            for (i, t) in toks.iter().enumerate() {
                if !cap_word(t) || t.upper {
                    continue;
                }
                let start = if particle_before(i) { i - 2 } else { i };
                if start > 0 && (!toks[start].space_before || cap_word(&toks[start - 1])) {
                    continue;
                }
                if toks.get(i + 1).is_some_and(|n| cap_word(n) || (!n.space_before && n.norm == "-")) || out.iter().any(|m| m.start <= i && start < m.end) {
                    continue;
                }
                if let Some(e) = st.family_name(&t.norm) {
                    out.push(Mention { start, end: i + 1, ty: st.ty(e), form: 0, value: MentionValue::Entity(e) });
                }
            }
            // A full name again, with nothing around it that makes it a
            // name: a run of capitalised words that the document named
            // someone by, after title words of that person's type, if any
            // ("Prime Minister Ana Brnabić"; "Ravi Daleep Singh" is not
            // "Daleep Singh"). The sentence's first word is capitalised
            // whatever it is ("Later Daleep Singh spoke").
            let titled = |e: usize, from: usize, to: usize| {
                let titles = self.title_words.get(st.ty(e)).and_then(|t| t.get(lang));
                toks[from..to].iter().enumerate().all(|(k, t)| (from + k == 0) || titles.is_some_and(|w| w.contains(t.norm.as_str())))
            };
            let mut i = 0;
            while i < toks.len() {
                let joined = |k: usize| k > i && !toks[k].space_before && (toks[k].norm == "-" || (cap_word(&toks[k]) && toks[k - 1].norm == "-"));
                let mut end = i;
                while end < toks.len() && (cap_word(&toks[end]) || joined(end) || particle_at(end)) {
                    end += 1;
                }
                // Every full name ends with a family name the document gave.
                // A listed name of another type is that person's family
                // name after their title: "Minister Birmingham" after
                // "Senator the Hon Simon Birmingham" is no English city.
                let overlaps = |m: &Mention| m.start < end && i < m.end;
                if end - i >= 2 && st.is_family_name(&toks[end - 1].norm) {
                    let starts = if out.iter().any(overlaps) { i + 1..end } else { i..end - 1 };
                    let found = starts.filter(|&a| cap_word(&toks[a]) || particle_at(a)).find_map(|a| {
                        let words = name_words(&text[toks[a].span.start..toks[end - 1].span.end]);
                        let inside = |m: &Mention| !overlaps(m) || (a <= m.start && m.end <= end);
                        let family_alone = a + 1 == end || (a + 3 == end && particle_at(a));
                        let named = st.full_name(&words).or_else(|| if family_alone && a > i { st.family_name(&toks[end - 1].norm) } else { None });
                        named.filter(|&e| titled(e, i, a) && out.iter().all(inside)).map(|e| (a, e))
                    });
                    if let Some((a, e)) = found {
                        out.retain(|m| !overlaps(m));
                        out.push(Mention { start: a, end, ty: st.ty(e), form: 0, value: MentionValue::Entity(e) });
                    }
                }
                i = end.max(i + 1);
            }
        }
        // A name a rule gave, again: what read it as a name (« a signé un
        // accord de pêche ») need not be around it now.
        if st.knows_names() {
            let norms: Vec<&str> = s.tokens.iter().map(|t| t.norm.as_str()).collect();
            let mut i = 0;
            while i < norms.len() {
                // Not across the edge of a name read already, but around one.
                let found = st.name_at(&norms, i).filter(|&(n, _)| out.iter().all(|m| m.end <= i || m.start >= i + n || (i <= m.start && m.end <= i + n)));
                match found {
                    Some((n, e)) => {
                        out.push(Mention { start: i, end: i + n, ty: st.ty(e), form: 0, value: MentionValue::Entity(e) });
                        i += n;
                    }
                    None => i += 1,
                }
            }
        }
        // An acronym the document defined ("the League of Arab States
        // (LAS)"), written as defined, where nothing else was read: "the
        // fifth EU-LAS Ministerial Meeting".
        if st.knows_acronyms() {
            for (i, t) in s.tokens.iter().enumerate() {
                if !t.upper || out.iter().any(|m| m.start <= i && i < m.end) {
                    continue;
                }
                if let Some(e) = st.acronym(&text[t.span.clone()]) {
                    out.push(Mention { start: i, end: i + 1, ty: st.ty(e), form: 0, value: MentionValue::Entity(e) });
                }
            }
        }
        out.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        out
    }

    /// Whether a token is postnominal letters ("MP", "T.D.") in `lang`.
    fn postnominal(&self, t: &Token, lang: &str) -> bool {
        self.postnominals.get(lang).is_some_and(|p| p.contains(t.norm.as_str()))
    }

    /// Where a name that ends at `end` ends with the postnominal letters
    /// that follow it.
    fn past_postnominals(&self, tokens: &[Token], mut end: usize, lang: &str) -> usize {
        while tokens.get(end).is_some_and(|t| t.space_before && self.postnominal(t, lang)) {
            end += 1;
        }
        end
    }

    /// The entities a gazetteer entry's attribute `attr` names.
    fn listed_attr(&self, entry: usize, attr: &str, st: &mut DocState, lang: &str) -> Vec<Value> {
        let keys = self.pack.gazetteer.entries[entry].attrs.get(attr).cloned().unwrap_or_default();
        keys.iter().filter_map(|k| self.pack.gazetteer.entry(k)).map(|target| Value::Entity(st.gazetteer(self.pack, target, lang, &self.parents))).collect()
    }

    /// The attribute `attr` of a name the gazetteer does not know, when a
    /// relation has that name: that of a known name of its type inside it
    /// ("Director-General of the FAO of the United Nations" is the FAO's, as
    /// the listed "Director-General of the FAO" is), else the first entity
    /// named inside it that the relation may point to ("Head of the
    /// Commonwealth", an office a rule made, is the Commonwealth's). Not an
    /// event's: "the President's Meeting with President B of Argentina" was
    /// not held in Argentina.
    fn named_inside(&self, attr: &str, outer: &Mention, mentions: &[Mention], st: &mut DocState, lang: &str) -> Vec<Value> {
        let Some(&Objects::Entities(mask)) = self.pack.relation_id(attr).map(|r| &self.pack.relations[r].objects) else { return Vec::new() };
        if self.pack.types[outer.ty].event {
            return Vec::new();
        }
        let mut inside: Vec<&Mention> = mentions.iter().filter(|x| x.start >= outer.start && x.end <= outer.end && (x.start, x.end) != (outer.start, outer.end)).collect();
        inside.sort_by_key(|x| x.start);
        // Only a name says whose: another form, such as a bare title
        // ("Secretary General", listed as NATO's), says nothing of whose
        // "BIMSTEC Secretary General" is.
        // And a body named right after a listed title that names none says
        // whose it is: « haut représentant de l'Union africaine pour le Mali »
        // is the African Union's, though « haut représentant » alone is
        // listed as the EU's. Not "Director-General of the FAO of the United
        // Nations", whose office names its body.
        let bodies = || inside.iter().filter(|x| mask & (1u64 << x.ty) != 0);
        let named_after = |office: &Mention| {
            let names_one = office.end - office.start > 3 || bodies().any(|x| x.start >= office.start && x.end <= office.end);
            let after = bodies().find(|x| x.start >= office.end && x.start <= office.end + 3);
            after.filter(|_| !names_one).and_then(|x| mention_value(x))
        };
        let known = inside.iter().filter(|x| x.ty == outer.ty && x.form == 0).find_map(|x| match x.value {
            MentionValue::Entity(e) => st.entry_of(e).map(|entry| self.listed_attr(entry, attr, st, lang)).filter(|v| !v.is_empty()).map(|listed| match named_after(x) {
                Some(body) if !listed.contains(&body) => vec![body],
                _ => listed,
            }),
            _ => None,
        });
        known.unwrap_or_else(|| bodies().find_map(|x| mention_value(x)).into_iter().collect())
    }

    /// The family name of an entity: its entry's `surname` where the
    /// gazetteer gives one ("Xi" of "Xi Jinping"), else the last word of its
    /// label with the particles before it (`surname_particle`: "Le Drian",
    /// "von der Leyen"); none for a name of one word.
    fn surname(&self, st: &DocState, entity: usize, lang: &str) -> Option<String> {
        let listed = st.entry_of(entity).and_then(|i| self.pack.gazetteer.entries[i].attrs.get(SURNAME)).and_then(|v| v.first());
        if let Some(given) = listed {
            return Some(given.clone());
        }
        let mut words: Vec<&str> = st.label(entity, lang)?.split_whitespace().collect();
        // A regnal or generational number is no family name (as in
        // `gave_full_name`): "Aquino" of "Benigno Aquino III"; a name of
        // two words with one has none ("Charles III's visit").
        if words.last().is_some_and(|w| state::regnal_number(w) && !w.chars().any(char::is_lowercase)) {
            match words.len() {
                2 => return Some(words.join(" ")),
                n if n > 2 => words.truncate(n - 1),
                _ => {}
            }
        }
        let mut start = words.len().checked_sub(1).filter(|&last| last > 0)?;
        while start > 1 && self.surname_particles.contains(&fold(words[start - 1])) {
            start -= 1;
        }
        Some(words[start..].join(" "))
    }

    /// Whether relation `r` identifies an event by an entity of type `ty`.
    fn identifies_with(&self, r: usize, ty: usize) -> bool {
        let relation = &self.pack.relations[r];
        relation.identifies && matches!(relation.objects, Objects::Entities(mask) if mask & (1u64 << ty) != 0)
    }

    /// Whether the gazetteer entry of `from` names the entry of `to` in one
    /// of its attributes (a place's `country=`, an office's `affiliated_with=`).
    fn points_to(&self, st: &DocState, from: &Value, to: &Value) -> bool {
        let (Value::Entity(from), Value::Entity(to)) = (from, to) else { return false };
        let (Some(f), Some(t)) = (st.entry_of(*from), st.entry_of(*to)) else { return false };
        let target = &self.pack.gazetteer.entries[t].key;
        self.pack.gazetteer.entries[f].attrs.values().any(|keys| keys.contains(target))
    }

    /// Runs a rule's actions on a match; returns whether it was negated.
    #[allow(clippy::too_many_arguments)]
    fn apply(&self, rule: &Rule, m: &Match, mentions: &mut Vec<Mention>, added: &mut Vec<(Mention, (i32, usize))>, st: &mut DocState, facts: &mut Vec<Fact>, ctx: &mut SentenceCtx) -> bool {
        let tokens = &ctx.sentence.tokens;
        let negated = rule.negatable && self.negation.get(ctx.lang).is_some_and(|neg| asserts_negation(&tokens[m.start()..m.end()], neg));
        let mut vars: Vec<Vec<usize>> = vec![Vec::new(); rule.bindings.vars.len()];
        for &(v, id) in &m.binds {
            if !vars[v as usize].contains(&id) {
                vars[v as usize].push(id);
            }
        }
        let span_text = |a: usize, b: usize| &ctx.doc.text[tokens[a].span.start..tokens[b - 1].span.end];
        let rank = (rule.priority, usize::MAX - rule.order);
        for action in &rule.actions {
            match action {
                Action::Event { var, ty, kind, capture, label, aliases, fresh } => {
                    let mut attrs = Vec::new();
                    for a in &rule.actions {
                        if let Action::Emit { subject: Term::Var(s), relation, object, .. } = a {
                            if s == var && self.pack.relations[*relation].identifies {
                                for v in self.values(object, &vars, mentions, m, st, ctx, facts) {
                                    if !attrs.contains(&(*relation, v.clone())) {
                                        attrs.push((*relation, v));
                                    }
                                }
                            }
                        }
                    }
                    // "met in Oslo, Norway": a value that another value of the
                    // same mention points to in the gazetteer (Oslo's
                    // `country=norway`) says nothing more of which event this
                    // is, so it does not keep the mention from joining "the
                    // meeting in Oslo" named before.
                    let implied: Vec<Value> = attrs.iter().filter(|(_, v)| attrs.iter().any(|(_, u)| u != v && self.points_to(st, u, v))).map(|(_, v)| v.clone()).collect();
                    attrs.retain(|(_, v)| !implied.contains(v));
                    // "lors du sommet extraordinaire de Kigali, le 21 mars 2018":
                    // a date set off by a comma right after the name is the
                    // event's, though the rule that reads it runs later; so it
                    // already says which event this is, and the mention does not
                    // join the summit of another day the text named before.
                    // Not after "prior to the summit, on 27 July", which dates
                    // what follows.
                    let (name_start, name_end) = span_of(m, *capture);
                    let date_words = self.dates.get(ctx.lang);
                    let apart = date_words.is_some_and(|w| w.apart_before(tokens, name_start));
                    // A clause of holding dates the event whatever comes
                    // before it: "ten months after the summit held in Yaoundé
                    // on 23 December 2016".
                    if let Some(r) = self.date_identity.filter(|r| !attrs.iter().any(|(r2, _)| r2 == r)) {
                        let held = date_words.and_then(|w| date_held_on(tokens, mentions, name_end, w));
                        if let Some(d) = held.or_else(|| if apart { None } else { date_set_off_after(tokens, mentions, name_end) }) {
                            attrs.push((r, Value::Date(d)));
                        }
                    }
                    // So does its place: "the Canada-EU Summit held in Prague
                    // on May 6, 2009" is not the summit in Brussels the text
                    // reports, though that one has no date yet. Not a place
                    // inside one an event has ("held at the Chancellery"
                    // after "the meeting in Berlin"), nor a value two
                    // relations could hold.
                    if let Some(place) = date_words.and_then(|w| place_held_in(tokens, mentions, name_end, w)) {
                        let relations: Vec<usize> = (0..self.pack.relations.len()).filter(|&r| self.identifies_with(r, place.ty)).collect();
                        if let ([r], MentionValue::Entity(e)) = (relations.as_slice(), &place.value) {
                            let v = Value::Entity(*e);
                            let inside = st.event_values().any(|outer| self.points_to(st, &v, outer));
                            if !inside && !attrs.iter().any(|(r2, _)| r2 == r) {
                                attrs.push((*r, v));
                            }
                        }
                    }
                    // An event named by a capture the match left empty is not
                    // named: "… and the meeting in Istanbul" may not follow.
                    if capture.is_some_and(|c| m.capture(c).is_none_or(|(a, b)| b <= a)) {
                        continue;
                    }
                    let (a, b) = span_of(m, *capture);
                    // An event named across the edge of another name ("Summit in
                    // Glasgow" over "COP26 Summit") is a misreading; the comma an
                    // apposition's mention takes in ("le premier ministre
                    // japonais, Fumio Kishida,") is no part of the name.
                    let crosses = |x: &Mention| {
                        let (s, e) = without_punct_edges(tokens, (x.start, x.end));
                        s < b && a < e && !(a <= s && e <= b) && !(s <= a && b <= e)
                    };
                    if mentions.iter().any(crosses) {
                        continue;
                    }
                    // A name already read as another type ("the Pacific Islands
                    // Forum", an organisation) is no event, as for `mention`; nor is
                    // a part of a longer name of another type ("The Hague Summit
                    // Declaration" names a document, not a second summit).
                    if !rule.retypes && mentions.iter().any(|x| x.start <= a && b <= x.end && x.ty != *ty) {
                        continue;
                    }
                    // The head of a longer event name ("sommet" in « sommet de
                    // l'OTAN à Chicago », a name the gazetteer knows) names that
                    // event, not a second one; and it gives that event its kind,
                    // so that a later « le sommet » joins it.
                    let kind = self.fill(kind, &vars, mentions, st, m, ctx).unwrap_or_default();
                    let named = |x: &&Mention| x.ty == *ty && x.start == a && b <= x.end;
                    if let Some(MentionValue::Entity(entity)) = mentions.iter().find(named).map(|x| x.value.clone()) {
                        st.adopt_event(entity, &kind, a);
                        mentions.push(Mention { start: a, end: b, ty: *ty, form: 0, value: MentionValue::Entity(entity) });
                        vars[*var as usize] = vec![mentions.len() - 1];
                        continue;
                    }
                    // The text's own words for what the templates name by the
                    // table's label ("réunion du Groupe de contact sur la
                    // défense de l'Ukraine" where the table says « pour la
                    // défense »): readers look the event up by them.
                    let written = |t: &Vec<TemplatePart>| fill_written(t, &vars, mentions, m, ctx, |ty| !self.pack.types[ty].partial_names);
                    let written: Vec<String> = label.iter().chain(aliases.iter()).filter_map(written).collect();
                    let no_and = HashSet::default();
                    let and = self.and.get(ctx.lang).unwrap_or(&no_and);
                    let label = label.as_ref().and_then(|t| fill_label(t, &vars, mentions, st, m, ctx, and, |e| self.surname(st, e, ctx.lang)));
                    // The mention's values inside, and around, those of events
                    // named before (by the gazetteer's attributes).
                    let (mut within, mut around): (Vec<(Value, Value)>, Vec<(Value, Value)>) = (Vec::new(), Vec::new());
                    for (_, v) in &attrs {
                        for u in st.event_values() {
                            if self.points_to(st, v, u) {
                                within.push((v.clone(), u.clone()));
                            }
                            if self.points_to(st, u, v) {
                                around.push((u.clone(), v.clone()));
                            }
                        }
                    }
                    let entity = st.event(&EventMention {
                        ty: *ty,
                        kind: &kind,
                        attrs: &attrs,
                        within: &within,
                        implied: &implied,
                        around: &around,
                        label: label.as_deref().unwrap_or(span_text(a, b)),
                        ordinal: self.dates.get(ctx.lang).and_then(|w| w.ordinal(span_text(a, b))),
                        lang: ctx.lang,
                        at: date_words.map_or(a, |w| w.past_other_event_word(tokens, a, b)),
                        fresh: *fresh || date_words.is_some_and(|w| w.another_event_before(tokens, name_start)),
                        background: rule.background,
                    });
                    if label.is_none() {
                        if let Some(end) = self.name_before_place(tokens, mentions, (a, b), *ty) {
                            st.saw(entity, ctx.lang, span_text(a, end));
                        }
                        if let Some(end) = self.name_before_apposition(tokens, mentions, (a, b)) {
                            st.saw(entity, ctx.lang, span_text(a, end));
                        }
                        // "the eighth Ministerial Meeting of the Arctic Council",
                        // « la XIIe Réunion de haut niveau », « la
                        // cinquante-deuxième session ordinaire »: the ordinal no
                        // rule takes into the name is in the one sources give it.
                        if let Some(start) = self.ordinal_before(tokens, a, ctx.doc.text.as_str(), ctx.lang) {
                            let numbered = span_text(start, b);
                            st.saw(entity, ctx.lang, numbered);
                            if let Some(plain) = state::without_acronym(numbered) {
                                st.saw(entity, ctx.lang, &plain);
                            }
                        }
                    }
                    let names = aliases.iter().filter_map(|t| fill_label(t, &vars, mentions, st, m, ctx, and, |e| self.surname(st, e, ctx.lang)));
                    for alias in names.collect::<Vec<_>>().into_iter().chain(written) {
                        st.saw(entity, ctx.lang, &alias);
                    }
                    mentions.push(Mention { start: a, end: b, ty: *ty, form: 0, value: MentionValue::Entity(entity) });
                    vars[*var as usize] = vec![mentions.len() - 1];
                    added.push((mentions.last().unwrap().clone(), rank));
                }
                Action::MentionFrom { ty, capture } => {
                    let Some((a, mut b)) = m.capture(*capture) else { continue };
                    // An office's name does not run into the listed person
                    // who ends it: "le Premier ministre du Canada Justin
                    // Trudeau" names the office up to "Canada".
                    if !self.pack.types[*ty].partial_names {
                        let person_tail = |x: &Mention| x.end == b && a < x.start && self.pack.types[x.ty].partial_names && matches!(x.value, MentionValue::Entity(_));
                        if let Some(start) = mentions.iter().filter(|x| person_tail(x)).map(|x| x.start).min() {
                            b = start;
                        }
                    }
                    if b <= a {
                        continue;
                    }
                    // A person's name is without the letters after it ("Enda
                    // Kenny T.D."), the mention with them.
                    let (mut named_end, mut b) = (b, b);
                    if self.pack.types[*ty].partial_names {
                        while named_end > a + 1 && self.postnominal(&tokens[named_end - 1], ctx.lang) {
                            named_end -= 1;
                        }
                        b = self.past_postnominals(tokens, b, ctx.lang);
                    }
                    // A name already read as another type ("the United Kingdom, the
                    // Secretary General" is no person) keeps it, unless the rule
                    // says it retypes names.
                    if !rule.retypes && mentions.iter().any(|x| x.start == a && x.end == b && x.ty != *ty) {
                        continue;
                    }
                    // Nor is a person's name that is lowercase particles before
                    // a name of another type: « ambassadeur de France » names
                    // no person "de France".
                    let particles_before = |x: &Mention| x.end == b && a < x.start && tokens[a..x.start].iter().all(|t| t.kind == crate::text::TokenKind::Word && !t.cap);
                    if self.pack.types[*ty].partial_names && mentions.iter().any(|x| x.ty != *ty && particles_before(x)) {
                        continue;
                    }
                    // Nor is a person's name that runs from a name of another
                    // type into one of this type that is known ("… of Vietnam
                    // Nguyen Phu Trong": a country, then a person the gazetteer
                    // knows). An office may: "BIMSTEC Secretary General".
                    let known_tail = |x: &Mention| self.pack.types[*ty].partial_names && x.ty == *ty && x.end == b && a < x.start && matches!(x.value, MentionValue::Entity(_));
                    if let Some(tail) = mentions.iter().find(|x| known_tail(x)) {
                        if mentions.iter().any(|y| y.start == a && y.ty != *ty && y.end <= tail.start) {
                            continue;
                        }
                    }
                    // A name the sentence already has, as this type, is no news, and
                    // one that cuts across a name it has is dropped (`merge_mentions`):
                    // a match that says only that leaves the readings it beat free.
                    if mentions.iter().any(|x| (x.start == a && x.end == b && x.ty == *ty) || cuts_across(x, a, b)) {
                        continue;
                    }
                    added.push((Mention { start: a, end: b, ty: *ty, form: 0, value: MentionValue::Name(span_text(a, named_end).to_string()) }, rank));
                }
                Action::MentionOf { ty, term, capture } => {
                    let target = self.values(term, &vars, mentions, m, st, ctx, facts).into_iter().find_map(|v| match v {
                        Value::Entity(e) if st.ty(e) == *ty => Some(e),
                        _ => None,
                    });
                    if let Some(e) = target {
                        let (start, end) = without_open_end(tokens, span_of(m, *capture));
                        added.push((Mention { start, end, ty: *ty, form: 0, value: MentionValue::Entity(e) }, rank));
                    }
                }
                Action::Emit { subject, relation, object, respectively } => {
                    if negated {
                        continue;
                    }
                    if !*respectively {
                        let subjects = self.values(subject, &vars, mentions, m, st, ctx, facts);
                        let objects = self.values(object, &vars, mentions, m, st, ctx, facts);
                        // A guess about the document's main event, made before
                        // the text named one (a dateline above the first
                        // sentence), is about the event it comes to report.
                        if let (true, true, Term::Main(mask)) = (rule.fallback, subjects.is_empty(), subject) {
                            for o in &objects {
                                if let Some(object) = self.as_object(*relation, o, st) {
                                    st.defer_main(MainGuess { mask: *mask, priority: rule.priority, relation: *relation, object, provenance: ctx.provenance(rule, m) });
                                }
                            }
                            continue;
                        }
                        self.emit_all(rule, *relation, &subjects, &objects, m, st, facts, ctx);
                        continue;
                    }
                    for vars in pairings(subject, object, &vars) {
                        let subjects = self.values(subject, &vars, mentions, m, st, ctx, facts);
                        let objects = self.values(object, &vars, mentions, m, st, ctx, facts);
                        self.emit_all(rule, *relation, &subjects, &objects, m, st, facts, ctx);
                    }
                }
            }
        }
        negated
    }

    /// A value as an object of the relation, when it can be one.
    fn as_object(&self, relation: usize, o: &Value, st: &DocState) -> Option<Object> {
        match (o, &self.pack.relations[relation].objects) {
            (Value::Date(d), Objects::Date) => Some(Object::Date(*d)),
            (Value::Entity(e), Objects::Entities(mask)) if mask & (1u64 << st.ty(*e)) != 0 => Some(Object::Entity(*e)),
            _ => None,
        }
    }

    /// The facts of `emit` for these values of its subject and object.
    #[allow(clippy::too_many_arguments)]
    fn emit_all(&self, rule: &Rule, relation: usize, subjects: &[Value], objects: &[Value], m: &Match, st: &mut DocState, facts: &mut Vec<Fact>, ctx: &SentenceCtx) {
        let rel = &self.pack.relations[relation];
        for s in subjects {
            let Value::Entity(s) = *s else { continue };
            if rel.subjects & (1u64 << st.ty(s)) == 0 {
                continue;
            }
            for o in objects {
                let Some(object) = self.as_object(relation, o, st).filter(|object| *object != Object::Entity(s)) else { continue };
                if rule.fallback {
                    st.defer(rule.priority, Fact { subject: s, relation, object, provenance: ctx.provenance(rule, m) });
                    continue;
                }
                if rel.identifies {
                    st.set_event_attr(s, relation, o.clone());
                }
                if st.keep_fact(s, relation, &object) {
                    if let Object::Date(d) = object {
                        st.dated(s, d);
                    }
                    facts.push(Fact { subject: s, relation, object, provenance: ctx.provenance(rule, m) });
                }
            }
        }
    }

    /// A template with each `{x}` replaced by the key of x's entity; `None`
    /// when a variable has no entity.
    fn fill(&self, template: &[TemplatePart], vars: &[Vec<usize>], mentions: &[Mention], st: &DocState, m: &Match, ctx: &SentenceCtx) -> Option<String> {
        let capture = |a: usize, b: usize| {
            let words: Vec<&str> = ctx.sentence.tokens[a..b].iter().map(|t| t.norm.as_str()).filter(|w| w.chars().any(char::is_alphanumeric)).collect();
            (!words.is_empty()).then(|| slug(&words.join(" ")).replace('-', "_"))
        };
        let var = |v: u16, attr: Option<&str>| match (vars[v as usize].first().map(|&id| &mentions[id].value), attr) {
            (Some(MentionValue::Entity(e)), None) => Some(st.key(*e)),
            (Some(MentionValue::Entity(e)), Some(attr)) => st.entry_of(*e).and_then(|entry| self.pack.gazetteer.entries[entry].attrs.get(attr)?.first().cloned()),
            _ => None,
        };
        render(template, m, capture, var)
    }

    /// What a term denotes in a match: entities or dates, possibly several
    /// (a variable bound in a repetition, a list-valued attribute).
    #[allow(clippy::too_many_arguments)]
    fn values(&self, term: &Term, vars: &[Vec<usize>], mentions: &[Mention], m: &Match, st: &mut DocState, ctx: &SentenceCtx, facts: &[Fact]) -> Vec<Value> {
        match term {
            Term::Const(entry) => vec![Value::Entity(st.gazetteer(self.pack, *entry, ctx.lang, &self.parents))],
            Term::KeyTemplate(template) => {
                // One entry per binding of a variable the template reads that
                // the match bound several times: "agreements with A and B" are
                // the agreement with A and the one with B.
                let mut read = Vec::new();
                term_vars(term, &mut read);
                let each: Vec<Vec<Vec<usize>>> = match read.iter().copied().find(|&v| vars[v as usize].len() > 1) {
                    Some(v) => (0..vars[v as usize].len()).map(|i| nth_binding(vars, &[v], i)).collect(),
                    None => vec![vars.to_vec()],
                };
                let mut out = Vec::new();
                for vars in &each {
                    let entry = self.fill(template, vars, mentions, st, m, ctx).and_then(|key| self.pack.gazetteer.entry(&st.resolve(self.pack, &key)));
                    if let Some(e) = entry {
                        let value = Value::Entity(st.gazetteer(self.pack, e, ctx.lang, &self.parents));
                        if !out.contains(&value) {
                            out.push(value);
                        }
                    }
                }
                out
            }
            Term::Related { relation, of, all, object } => {
                let symmetric = self.pack.relations[*relation].symmetric;
                // What a fact relates `e` to: the other side, when `e` is on
                // the side the term asks about.
                let other = |e: usize, f: &Fact| match f.object {
                    _ if f.relation != *relation => None,
                    Object::Entity(o) if !*object && o == e => Some(f.subject),
                    Object::Entity(o) if *object && f.subject == e => Some(o),
                    Object::Entity(o) if symmetric && f.subject == e => Some(o),
                    Object::Entity(o) if symmetric && o == e => Some(f.subject),
                    _ => None,
                };
                let related = |e: usize| facts.iter().any(|f| other(e, f).is_some());
                let mut of_values = self.values(of, vars, mentions, m, st, ctx, facts);
                // `main(T)` stands for the main T that the relation reaches: when
                // the most mentioned one has no such fact (a summit named in
                // passing, in the title and again), the next one that has.
                if let Term::Main(mask) = **of {
                    if !of_values.iter().any(|v| matches!(v, Value::Entity(e) if related(*e))) {
                        if let Some(e) = st.ranked(mask).into_iter().find(|&e| related(e)) {
                            of_values = vec![Value::Entity(e)];
                        }
                    }
                }
                let mut out = Vec::new();
                for v in of_values {
                    let Value::Entity(e) = v else { continue };
                    let found = facts.iter().rev().filter_map(|f| other(e, f));
                    let found: Vec<usize> = if *all { found.collect() } else { found.take(1).collect() };
                    // Earliest first, as the text named them.
                    for s in found.into_iter().rev() {
                        if !out.contains(&Value::Entity(s)) {
                            out.push(Value::Entity(s));
                        }
                    }
                }
                out
            }
            Term::Only { mask, of } => {
                let mut values = self.values(of, vars, mentions, m, st, ctx, facts);
                values.retain(|v| matches!(v, Value::Entity(e) if mask & (1u64 << st.ty(*e)) != 0));
                values
            }
            Term::Either(first, second) => {
                let values = self.values(first, vars, mentions, m, st, ctx, facts);
                if values.is_empty() {
                    self.values(second, vars, mentions, m, st, ctx, facts)
                } else {
                    values
                }
            }
            Term::Both(first, second) => {
                let mut values = self.values(first, vars, mentions, m, st, ctx, facts);
                if values.is_empty() {
                    return values;
                }
                let others = self.values(second, vars, mentions, m, st, ctx, facts);
                if others.is_empty() {
                    return others;
                }
                for v in others {
                    if !values.contains(&v) {
                        values.push(v);
                    }
                }
                values
            }
            Term::Titled { mask, capture } => {
                let Some((a, b)) = m.capture(*capture) else { return Vec::new() };
                let titles: Vec<&HashSet<String>> = (0..64).filter(|t| mask & (1u64 << t) != 0).filter_map(|t| self.title_words.get(t)?.get(ctx.lang)).collect();
                let words: Vec<String> = ctx.sentence.tokens[a..b].iter().map(|t| t.norm.as_str()).filter(|w| titles.iter().any(|t| t.contains(*w))).map(str::to_string).collect();
                if words.is_empty() {
                    return Vec::new();
                }
                // Who the title's own clause names is someone else; a
                // relative clause after it may name the same person again
                // ("The Secretary General and the President discussed the
                // Summit, to which President Zelenskyy has been invited").
                let tokens = &ctx.sentence.tokens;
                let relatives = self.relatives.get(ctx.lang);
                let clause_end = (m.end()..tokens.len()).find(|&i| relatives.is_some_and(|r| r.contains(tokens[i].norm.as_str()))).unwrap_or(tokens.len());
                let named_here: Vec<usize> = mentions
                    .iter()
                    .filter(|x| x.end <= m.start() || (x.start >= m.end() && x.start < clause_end))
                    .filter_map(|x| match x.value {
                        MentionValue::Entity(e) => Some(e),
                        _ => None,
                    })
                    .collect();
                st.titled(*mask, &words, &named_here).map(Value::Entity).into_iter().collect()
            }
            Term::Var(v) => vars[*v as usize].iter().filter_map(|&id| mention_value(&mentions[id])).collect(),
            Term::Within { mask, var } => {
                let mut out: Vec<Value> = Vec::new();
                for &id in &vars[*var as usize] {
                    let (start, end) = (mentions[id].start, mentions[id].end);
                    let within = |i: usize| i != id && mentions[i].start >= start && mentions[i].end <= end;
                    // Only the outermost names: "the Revolutionary Armed Forces of
                    // Colombia" inside an agreement's name is a party, Colombia not.
                    let nested = |i: usize| {
                        let x = &mentions[i];
                        (0..mentions.len()).any(|j| j != i && within(j) && mentions[j].start <= x.start && x.end <= mentions[j].end && mentions[j].end - mentions[j].start > x.end - x.start)
                    };
                    // A form ("Colombian") is no name of the party, as `[Country]` does not see it.
                    let inside = (0..mentions.len()).filter(|&i| within(i) && mentions[i].form == 0 && mask & (1u64 << mentions[i].ty) != 0 && !nested(i));
                    for v in inside.filter_map(|i| mention_value(&mentions[i])) {
                        if !out.contains(&v) {
                            out.push(v);
                        }
                    }
                }
                out
            }
            Term::Attr(v, path) => {
                // `x.a.b`: the attribute `b` of each entity `x.a` names
                // (`s.secretary_general.affiliated_with`: the body of the
                // office a person's entry gives).
                let mut steps = path.split('.');
                let name = steps.next().unwrap_or_default();
                let mut out = Vec::new();
                for &id in &vars[*v as usize] {
                    match &mentions[id].value {
                        MentionValue::Date(d) => match name {
                            "start" => out.push(Value::Date(d.first)),
                            "end" => out.extend(d.last.map(Value::Date)),
                            _ => {}
                        },
                        MentionValue::Name(_) => out.extend(self.named_inside(name, &mentions[id], mentions, st, ctx.lang)),
                        MentionValue::Entity(e) => match st.entry_of(*e) {
                            Some(entry) => out.extend(self.listed_attr(entry, name, st, ctx.lang)),
                            None => out.extend(self.named_inside(name, &mentions[id], mentions, st, ctx.lang)),
                        },
                    }
                }
                for step in steps {
                    let entries: Vec<usize> = out.iter().filter_map(|v| if let Value::Entity(e) = v { st.entry_of(*e) } else { None }).collect();
                    out = Vec::new();
                    for entry in entries {
                        for v in self.listed_attr(entry, step, st, ctx.lang) {
                            if !out.contains(&v) {
                                out.push(v);
                            }
                        }
                    }
                }
                out
            }
            Term::Named { mask, capture } | Term::LastNamed { mask, capture } | Term::MainNamed { mask, capture } => {
                let main = matches!(term, Term::MainNamed { .. });
                let words = capture_words(m, *capture, &ctx.sentence.tokens);
                let here = mentions
                    .iter()
                    .filter(|x| !words.is_empty() && x.end <= m.start() && mask & (1u64 << x.ty) != 0)
                    .filter(|x| matches!(x.value, MentionValue::Entity(e) if st.named_with(e, &words, &self.complement_heads)))
                    .max_by_key(|x| x.end);
                if let Some(x) = here {
                    return mention_value(x).into_iter().collect();
                }
                let named = match words.is_empty() {
                    true => None,
                    false if main => st.ranked(*mask).into_iter().find(|&e| st.named_with(e, &words, &self.complement_heads)),
                    false => st.last_named(*mask, &words, &self.complement_heads),
                };
                // `named(…)` has no fallback: no entity so named, no value.
                match (named, term) {
                    (Some(e), _) => vec![Value::Entity(e)],
                    (None, Term::Named { .. }) => Vec::new(),
                    (None, _) if main => self.values(&Term::Main(*mask), vars, mentions, m, st, ctx, facts),
                    (None, _) => self.values(&Term::Last(*mask), vars, mentions, m, st, ctx, facts),
                }
            }
            Term::Lasts(mask) => {
                let mut out: Vec<Value> = Vec::new();
                for x in mentions.iter().filter(|x| x.end <= m.start() && mask & (1u64 << x.ty) != 0) {
                    if let Some(v) = mention_value(x).filter(|v| !out.contains(v)) {
                        out.push(v);
                    }
                }
                if out.is_empty() {
                    out = st.last_named_together(*mask).into_iter().map(Value::Entity).collect();
                }
                out
            }
            Term::First(mask) => st.first(*mask).map(Value::Entity).into_iter().collect(),
            Term::Shifted(of, days) => self
                .values(of, vars, mentions, m, st, ctx, facts)
                .into_iter()
                .filter_map(|v| match v {
                    Value::Date(d) => Some(Value::Date(d.plus_days(i64::from(*days)))),
                    _ => None,
                })
                .collect(),
            Term::Pronoun(mask) => {
                let main = st.main(*mask);
                let named_here = |e: usize| mentions.iter().any(|x| (x.end <= m.start() || x.start >= m.end()) && matches!(x.value, MentionValue::Entity(v) if v == e));
                // A pronoun after a sentence about someone else is that one:
                // "… Zarif went to Biarritz. He met A" is Zarif, though the
                // report is mostly about its host.
                let pronoun = match main {
                    Some(e) if named_here(e) => st.opener(*mask, ctx.sentence.index).filter(|&o| o != e),
                    Some(e) if !st.named_before(e, ctx.sentence.index) => st.opener(*mask, ctx.sentence.index).or(main),
                    _ => main,
                };
                pronoun.map(Value::Entity).into_iter().collect()
            }
            Term::Last(mask) | Term::Main(mask) => {
                // The nearest earlier mention in the sentence, else an event the
                // sentence's dates point to (those given before the match ends: a
                // later date is another clause's), else the last one in the
                // document (`last`) or the one it mentions most (`main`).
                let here = mentions.iter().filter(|x| x.end <= m.start() && mask & (1u64 << x.ty) != 0).max_by_key(|x| x.end);
                if let Some(x) = here {
                    return mention_value(x).into_iter().collect();
                }
                // Under a heading that named the section's event, `main` is
                // that event whatever the dates: "the Commission's reports of
                // 22 April" under "General Affairs Council" are not the
                // Foreign Affairs Council of 22 April.
                let sectioned = matches!(term, Term::Main(_)) && st.section(*mask).is_some();
                // A date inside a name of the type sought that the match binds
                // (after its first token) says which one that is, not when the
                // clause happens: "Ministers discussed the European Council of
                // 14 and 15 December" is not said at that Council.
                let named_by = |x: &Mention| {
                    m.binds
                        .iter()
                        .map(|&(_, id)| &mentions[id])
                        .any(|y| mask & (1u64 << y.ty) != 0 && m.start() < y.start && y.start <= x.start && x.end <= y.end && (y.start, y.end) != (x.start, x.end))
                };
                let dated = mentions.iter().filter(|x| !sectioned && x.start < m.end()).find_map(|x| match &x.value {
                    MentionValue::Date(d) if !named_by(x) => st.event_on(d.first).filter(|&e| mask & (1u64 << st.ty(e)) != 0),
                    _ => None,
                });
                if let Some(e) = dated {
                    return vec![Value::Entity(e)];
                }
                // Dates are not entities: the last one is the last date the
                // text gave, the main one the document's own date.
                if self.date_ty.is_some_and(|d| mask & (1u64 << d) != 0) {
                    let date = match term {
                        Term::Main(_) => ctx.anchor.document,
                        _ => ctx.anchor.last,
                    };
                    return date.map(Value::Date).into_iter().collect();
                }
                let fallback = match term {
                    Term::Main(_) => st.main(*mask),
                    // Not an event the text dated apart from the date a
                    // sentence opens on: « Le 5 décembre, le premier ministre
                    // a rencontré … » is not about the dialogue of 4 December.
                    // (A date further in may be a clause's: « qui exerce
                    // depuis le 1er juillet la présidence ».)
                    _ => (0..64).filter(|t| mask & (1u64 << t) != 0).find_map(|t| st.last.get(&t).copied()).filter(|&e| {
                        let dates: Vec<_> = mentions
                            .iter()
                            .filter(|x| x.start <= OPENING_DATE_AT && x.start < m.end())
                            .filter_map(|x| match &x.value {
                                MentionValue::Date(d) => Some(d.first),
                                _ => None,
                            })
                            .collect();
                        !st.dated_apart(e, &dates)
                    }),
                };
                fallback.map(Value::Entity).into_iter().collect()
            }
        }
    }
}

/// Whether a negation word lies in the match outside the asides it sets off
/// with commas: « A, dont le pays n'est **pas** membre, assistait au sommet »
/// and "B, who had not been invited, attended" assert their verbs.
fn asserts_negation(tokens: &[Token], negation: &HashSet<String>) -> bool {
    let (first, last) = (tokens.iter().position(|t| t.norm == ","), tokens.iter().rposition(|t| t.norm == ","));
    let aside = |i: usize| first.is_some_and(|a| a < i) && last.is_some_and(|b| i < b);
    tokens.iter().enumerate().any(|(i, t)| negation.contains(t.norm.as_str()) && !aside(i))
}

/// The words (not punctuation) a capture of the match covers, folded.
fn capture_words(m: &Match, capture: usize, tokens: &[crate::text::Token]) -> Vec<String> {
    m.capture(capture).map(|(a, b)| tokens[a..b].iter().filter(|t| t.kind == crate::text::TokenKind::Word).map(|t| t.norm.to_string()).collect()).unwrap_or_default()
}

/// The last token at which a date may start and still be the date a
/// sentence opens on ("On 5 December", « Ce lundi (4 mars) »).
const OPENING_DATE_AT: usize = 2;

/// How many sentences from the top a byline may come: after a title, a
/// kind of release, a dateline ("Media release", "Senator the Hon Ann Lee,
/// Minister for Foreign Affairs", "8 July 2022").
const BYLINE_WITHIN: usize = 6;

/// Whether the sentence is a heading: a line of its own that does not end
/// like a sentence. The document's first line, its title, is one too: a
/// title that opens with an event ("General Affairs Council" above a
/// minister's report) names what the text is about, and one that names an
/// event in passing does not open with it.
fn is_heading(text: &str, sentence: &Sentence) -> bool {
    // Only the white space next to the sentence is read: a document of one
    // long line must not be scanned again for each of its sentences.
    let ends = sentence.tokens.last().is_some_and(|t| matches!(t.text(text), "." | "!" | "?" | ":" | ";") || t.text(text).ends_with('.'));
    !ends && at_line_edge(text[..sentence.span.start].chars().rev()) && at_line_edge(text[sentence.span.end..].chars())
}

/// Whether only white space lies between here and a line break (or the
/// text's edge), read in the direction `chars` goes.
fn at_line_edge(mut chars: impl Iterator<Item = char>) -> bool {
    chars.find(|&c| c == '\n' || !c.is_whitespace()).is_none_or(|c| c == '\n')
}

/// The title words a mention comes with: in it ("German Foreign Minister
/// Annalena Baerbock"), just before it ("Secretary of State Antony
/// Blinken", « le ministre des Affaires étrangères Jean Asselborn »), in
/// an apposition after it ("Antony Blinken, Secretary of State,"), or in a
/// title alone that opens the clause before it ("The Prime Minister, Dr.
/// Manmohan Singh,"). Up to
/// six tokens each way, and never past punctuation or a mention of another
/// entity with titles: in "President A hosted Prime Minister B", B is no
/// president. With a `title_glue` list, nor past a lowercase word outside it
/// before the name.
fn titles_around(titles: &HashSet<String>, glue: Option<&HashSet<String>>, tokens: &[crate::text::Token], mentions: &[Mention], m: &Mention) -> Vec<String> {
    const REACH: usize = 6;
    let MentionValue::Entity(e) = m.value else { return Vec::new() };
    let other = |j: usize| mentions.iter().any(|x| x.ty == m.ty && x.start <= j && j < x.end && !matches!(x.value, MentionValue::Entity(o) if o == e));
    // A hyphen inside a word ("Secretary-General") joins its title words.
    let inner_hyphen = |j: usize| tokens[j].norm == "-" && !tokens[j].space_before && tokens.get(j + 1).is_some_and(|t| !t.space_before);
    let stops = |j: usize| (tokens[j].kind == crate::text::TokenKind::Punct && !inner_hyphen(j)) || other(j);
    // Before the name only: a lowercase word neither title nor glue is a
    // verb or the like between two phrases.
    let unglued = |j: usize| {
        let t = &tokens[j];
        glue.is_some_and(|g| t.kind == crate::text::TokenKind::Word && !t.cap && !titles.contains(t.norm.as_str()) && !g.contains(t.norm.as_str()))
    };
    let mut words: Vec<String> = Vec::new();
    let mut take = |j: usize| {
        let w = tokens[j].norm.as_str();
        if titles.contains(w) && !words.iter().any(|x| x == w) {
            words.push(w.to_string());
        }
    };
    (m.start..m.end).for_each(&mut take);
    for j in (m.start.saturating_sub(REACH)..m.start).rev().take_while(|&j| !stops(j) && !unglued(j)) {
        take(j);
    }
    if tokens.get(m.end).is_some_and(|t| t.norm == ",") {
        for j in (m.end + 1..tokens.len().min(m.end + 1 + REACH)).take_while(|&j| !stops(j)) {
            take(j);
        }
    }
    // Or a title set off before it that opens the clause ("The Prime
    // Minister, Dr. Manmohan Singh, …"): words of titles and glue only, so
    // that "… met Prime Minister A, B" does not give B the title.
    if m.start >= 2 && tokens[m.start - 1].norm == "," {
        let end = m.start - 1;
        let from = (end.saturating_sub(REACH)..end).rev().take_while(|&j| !stops(j)).last().unwrap_or(end);
        let opens = from == 0 || tokens[from - 1].kind == crate::text::TokenKind::Punct;
        let title_or_glue = |j: usize| titles.contains(tokens[j].norm.as_str()) || glue.is_some_and(|g| g.contains(tokens[j].norm.as_str()));
        let pure = (from..end).all(title_or_glue);
        if opens && pure {
            (from..end).for_each(&mut take);
        } else if let Some(g) = glue {
            // Or a title the clause leads up to, opened by a glue word
            // ("My right hon. Friend the Foreign Secretary, Boris Johnson,"):
            // the run of title and glue words right before the comma.
            let run = (from..end).rev().take_while(|&j| title_or_glue(j)).last().unwrap_or(end);
            let titled = (run..end).any(|j| titles.contains(tokens[j].norm.as_str()));
            if run < end && g.contains(tokens[run].norm.as_str()) && titled {
                (run..end).for_each(&mut take);
            }
        }
    }
    words
}

/// The tokens a capture of the match covers, or the whole match when there
/// is no capture or it matched nothing.
fn span_of(m: &Match, capture: Option<usize>) -> (usize, usize) {
    match capture.and_then(|c| m.capture(c)) {
        Some((a, b)) if b > a => (a, b),
        _ => (m.start(), m.end()),
    }
}

/// The span less the opening brackets and semicolons it ends with: a rule
/// that names its whole match ("A, minister of X (" up to where the name can
/// end) would otherwise swallow the bracket a longer pattern needs next ("…
/// (Paris, 26 September)"), or the semicolon that separates the items of a
/// list ("A, Japan's Foreign Minister; B, …"). A closing comma stays: rules
/// read "A, minister of X, travelled" as a mention and its verb.
fn without_open_end(tokens: &[crate::text::Token], (a, mut b): (usize, usize)) -> (usize, usize) {
    while b > a + 1 && tokens[b - 1].kind == crate::text::TokenKind::Punct && matches!(tokens[b - 1].norm.as_str(), "(" | "[" | ";") {
        b -= 1;
    }
    (a, b)
}

/// The acronyms a sentence defines: an all-capitals word in brackets right
/// after the mention of an entity ("the League of Arab States (LAS)"),
/// itself no mention; of the innermost name that ends there (not the
/// summit "between the European Union and the League of Arab States"), not
/// of a type `skip` leaves out, and not inside a longer name unless that is
/// an event's (`is_event`).
fn define_acronyms(text: &str, tokens: &[crate::text::Token], mentions: &[Mention], joiners: &[String], skip: impl Fn(usize) -> bool, is_event: impl Fn(usize) -> bool, st: &mut DocState) {
    for m in mentions {
        // The bracket first: most mentions have none after them, and the
        // tests below walk the sentence's mentions again.
        let (Some(open), Some(word), Some(close)) = (tokens.get(m.end), tokens.get(m.end + 1), tokens.get(m.end + 2)) else { continue };
        if open.norm != "(" || close.norm != ")" || !word.upper {
            continue;
        }
        let MentionValue::Entity(e) = m.value else { continue };
        let acronym = &text[word.span.clone()];
        if skip(m.ty) || st.ty(e) != m.ty || acronym.chars().count() < 2 {
            continue;
        }
        // An event a rule named over the bracket ("the NATO-ICI Regional
        // Centre" opened) leaves the acronym to the name before it.
        let inner_or_covered = mentions.iter().any(|x| (x.end == m.end && x.start > m.start) || (x.start <= m.end + 1 && m.end + 1 < x.end && !is_event(x.ty)));
        // "Front populaire de libération du Tigray (TPLF)": a mention that a
        // joining word (`name_joiner`) ties to capitalised words before it
        // ends a longer name, which the acronym's letters spell, not the
        // mention's.
        let capitalised = tokens[m.start..m.end].iter().filter(|t| t.cap).count();
        let joined = m.start >= 2 && tokens[m.start].cap && joiners.iter().any(|j| *j == tokens[m.start - 1].norm) && tokens[..m.start - 1].iter().rev().take(4).any(|t| t.cap);
        let tail_of_longer = joined && acronym.chars().count() > capitalised + 1;
        if !inner_or_covered && !tail_of_longer {
            st.define_acronym(acronym, e);
        }
    }
}

/// The first day of a date that follows token `end` after a comma and at
/// most one word without a capital (", le 21 mars 2018", ", on 21 March").
fn date_set_off_after(tokens: &[crate::text::Token], mentions: &[Mention], end: usize) -> Option<dates::Date> {
    if tokens.get(end).is_none_or(|t| t.kind != crate::text::TokenKind::Punct || t.norm != ",") {
        return None;
    }
    mentions.iter().find_map(|x| match &x.value {
        MentionValue::Date(d) if (end + 1..=end + 2).contains(&x.start) && tokens[end + 1..x.start].iter().all(|t| t.kind == crate::text::TokenKind::Word && !t.cap) => Some(d.first),
        _ => None,
    })
}

/// The date of a clause of holding right after an event's name: "held in
/// Yaoundé on 23 December 2016", « tenu à Yaoundé le 23 décembre 2016 » (a
/// `held_on` word, then at most eight tokens of one clause).
fn date_held_on(tokens: &[crate::text::Token], mentions: &[Mention], end: usize, words: &DateWords) -> Option<dates::Date> {
    let at = if tokens.get(end).is_some_and(|t| t.norm == ",") { end + 1 } else { end };
    if !tokens.get(at).is_some_and(|t| words.opens_held_clause(t)) {
        return None;
    }
    let date = mentions
        .iter()
        .filter(|x| x.start > at && x.start <= at + 9)
        .filter_map(|x| if let MentionValue::Date(d) = &x.value { Some((x.start, d.first)) } else { None })
        .min_by_key(|(start, _)| *start)?;
    let one_clause = tokens[at + 1..date.0].iter().all(|t| t.kind == crate::text::TokenKind::Word || t.norm == "-" || t.norm == "'");
    one_clause.then_some(date.1)
}

/// The entity a clause of holding right after an event's name puts it in:
/// "held in Prague on …", « tenue à Prague le … » (a `held_on` word, then
/// at most two words before the mention).
fn place_held_in<'m>(tokens: &[crate::text::Token], mentions: &'m [Mention], end: usize, words: &DateWords) -> Option<&'m Mention> {
    let at = if tokens.get(end).is_some_and(|t| t.norm == ",") { end + 1 } else { end };
    if !tokens.get(at).is_some_and(|t| words.opens_held_clause(t)) {
        return None;
    }
    let place = mentions.iter().filter(|x| x.start > at + 1 && x.start <= at + 3 && matches!(x.value, MentionValue::Entity(_))).min_by_key(|x| (x.start, std::cmp::Reverse(x.end)))?;
    tokens[at + 1..place.start].iter().all(|t| t.kind == crate::text::TokenKind::Word && !t.cap).then_some(place)
}

/// A span without the punctuation at either end.
fn without_punct_edges(tokens: &[crate::text::Token], (mut a, mut b): (usize, usize)) -> (usize, usize) {
    let punct = |i: usize| tokens[i].kind == crate::text::TokenKind::Punct;
    while b > a + 1 && punct(b - 1) {
        b -= 1;
    }
    while b > a + 1 && punct(a) {
        a += 1;
    }
    (a, b)
}

fn mention_value(m: &Mention) -> Option<Value> {
    match &m.value {
        MentionValue::Entity(e) => Some(Value::Entity(*e)),
        MentionValue::Date(d) => Some(Value::Date(d.first)),
        MentionValue::Name(_) => None,
    }
}

/// What a rule may claim over the span it matches: the relations it emits
/// and the types of mentions it makes, each with the pattern's variables it
/// needs. A match claims only what its bindings let it say: `emit e held_in
/// p` with no place matched does not take the place from another rule.
struct Claim {
    relation: bool,
    id: usize,
    needs: Vec<u16>,
}

type Claims = Vec<Claim>;

fn claims(rule: &Rule) -> Claims {
    // Variables an `event` action binds are bound whenever the rule fires.
    let events: Vec<u16> = rule.actions.iter().filter_map(|a| if let Action::Event { var, .. } = a { Some(*var) } else { None }).collect();
    rule.actions
        .iter()
        .map(|a| match a {
            Action::Emit { subject, relation, object, .. } => {
                let mut needs = Vec::new();
                term_vars(subject, &mut needs);
                term_vars(object, &mut needs);
                needs.retain(|v| !events.contains(v));
                Claim { relation: true, id: *relation, needs }
            }
            Action::MentionFrom { ty, .. } | Action::MentionOf { ty, .. } | Action::Event { ty, .. } => Claim { relation: false, id: *ty, needs: Vec::new() },
        })
        .collect()
}

/// The bindings an `emit … respectively` reads its values under: one set
/// per position, where every variable of its terms that is bound several
/// times is bound as many times ("the German and Romanian counterparts, A
/// and B" gives (German, A) and (Romanian, B)); all of them at once, as
/// without `respectively`, when at most one variable is bound several
/// times; none when two are bound different numbers of times.
fn pairings(subject: &Term, object: &Term, vars: &[Vec<usize>]) -> Vec<Vec<Vec<usize>>> {
    let (mut read_by_subject, mut read_by_object) = (Vec::new(), Vec::new());
    term_vars(subject, &mut read_by_subject);
    term_vars(object, &mut read_by_object);
    let mut used: Vec<u16> = read_by_subject.iter().chain(&read_by_object).copied().filter(|&v| vars[v as usize].len() > 1).collect();
    used.sort_unstable();
    used.dedup();
    let n = used.first().map_or(0, |&v| vars[v as usize].len());
    // One list read on both sides pairs with itself: "agreements with A
    // and B, which A and B signed" gives A its own and B its own.
    let both = |v: &u16| read_by_subject.contains(v) && read_by_object.contains(v);
    if used.len() < 2 && !used.first().is_some_and(both) {
        return vec![vars.to_vec()];
    }
    // Lists of other lengths do not say which goes with which: "the
    // delegations of A, B and C were headed by D, E and F", where the
    // pack did not read F as a name, pairs no one.
    if used.iter().any(|&v| vars[v as usize].len() != n) {
        return Vec::new();
    }
    (0..n).map(|i| nth_binding(vars, &used, i)).collect()
}

/// The bindings with each of the listed variables bound to its `i`-th
/// value only.
fn nth_binding(vars: &[Vec<usize>], listed: &[u16], i: usize) -> Vec<Vec<usize>> {
    let mut one = vars.to_vec();
    for &v in listed {
        one[v as usize] = vec![vars[v as usize][i]];
    }
    one
}

/// The pattern variables a term reads directly (`x`, `x.attr`, `{x}` in a
/// key template, and those of the term a `subject(…)` reads).
fn term_vars(term: &Term, out: &mut Vec<u16>) {
    match term {
        Term::Var(v) | Term::Attr(v, _) | Term::Within { var: v, .. } => out.push(*v),
        Term::KeyTemplate(parts) => {
            for p in parts {
                match p {
                    TemplatePart::Var(v) | TemplatePart::Attr(v, _) => out.push(*v),
                    TemplatePart::Unordered(vs) => out.extend(vs),
                    TemplatePart::Text(_) | TemplatePart::Capture(_) => {}
                }
            }
        }
        Term::Related { of, .. } | Term::Only { of, .. } | Term::Shifted(of, _) => term_vars(of, out),
        Term::Either(first, second) | Term::Both(first, second) => {
            term_vars(first, out);
            term_vars(second, out);
        }
        Term::Last(_)
        | Term::Lasts(_)
        | Term::Main(_)
        | Term::Pronoun(_)
        | Term::First(_)
        | Term::Named { .. }
        | Term::Titled { .. }
        | Term::LastNamed { .. }
        | Term::MainNamed { .. }
        | Term::Const(_) => {}
    }
}

/// Whether the match binds every variable the claim needs.
fn live(claim: &Claim, m: &Match) -> bool {
    claim.needs.iter().all(|v| m.binds.iter().any(|(b, _)| b == v))
}

/// A rule's match: the rule's index and what it matched.
type RuleMatch = (usize, Match);

/// Among a phase's matches, two that overlap and claim the same relation or
/// mention type conflict: a rule that reads wins over a `fallback` one that
/// guesses, then the longest wins, then the higher priority, then the rule
/// that comes first. Winners are returned in rule order, then text order;
/// the matches that lost too, in the order of preference.
fn resolve_conflicts(rules: &[Rule], claims: &[Claims], mut found: Vec<RuleMatch>) -> (Vec<RuleMatch>, Vec<RuleMatch>) {
    if found.len() < 2 {
        return (found, Vec::new());
    }
    found.sort_by_key(|(r, m)| (rules[*r].fallback, std::cmp::Reverse(m.end() - m.start()), std::cmp::Reverse(rules[*r].priority), rules[*r].order, m.start()));
    let mut kept: Vec<RuleMatch> = Vec::new();
    let mut lost = Vec::new();
    for (r, m) in found {
        if kept.iter().any(|k| conflict(claims, k, (r, &m))) {
            lost.push((r, m));
        } else {
            kept.push((r, m));
        }
    }
    kept.sort_by_key(|(r, m)| (rules[*r].order, m.start()));
    (kept, lost)
}

/// Two matches of different rules that overlap and claim the same relation
/// or mention type.
fn conflict(claims: &[Claims], (r, m): &RuleMatch, (r2, m2): (usize, &Match)) -> bool {
    *r != r2 && m2.start() < m.end() && m.start() < m2.end() && claims[r2].iter().filter(|c| live(c, m2)).any(|c2| claims[*r].iter().any(|c| c.relation == c2.relation && c.id == c2.id && live(c, m)))
}

/// The matches that lost only to winners that said nothing (`barren`, their
/// indices in `kept`), and that do not conflict with one another: in rule
/// order, then text order.
fn second_chance(rules: &[Rule], claims: &[Claims], kept: &[RuleMatch], barren: &[usize], lost: Vec<RuleMatch>) -> Vec<RuleMatch> {
    let mut again: Vec<RuleMatch> = Vec::new();
    for (r, m) in lost {
        let beaten = kept.iter().enumerate().any(|(i, k)| !barren.contains(&i) && conflict(claims, k, (r, &m)));
        if !beaten && !again.iter().any(|k| conflict(claims, k, (r, &m))) {
            again.push((r, m));
        }
    }
    again.sort_by_key(|(r, m)| (rules[*r].order, m.start()));
    again
}

/// An event's label from its template: each `{x}` is the label of x's
/// entities (a list when x holds several, see [`with_lists`]), each
/// `{x.surname}` their family names (`surname`), each `{capture}` the
/// captured text; `None` when a variable is unbound. `and`: the words of
/// the `and` list of the document's language.
#[allow(clippy::too_many_arguments)]
fn fill_label(
    template: &[TemplatePart],
    vars: &[Vec<usize>],
    mentions: &[Mention],
    st: &DocState,
    m: &Match,
    ctx: &SentenceCtx,
    and: &HashSet<String>,
    surname: impl Fn(usize) -> Option<String>,
) -> Option<String> {
    let capture = |a: usize, b: usize| tokens_text(ctx, a, b);
    // The loader keeps attributes out of labels, but for the surname.
    let labels = |v: u16, attr: Option<&str>| -> Vec<String> {
        vars[v as usize]
            .iter()
            .filter_map(|&id| match &mentions[id].value {
                MentionValue::Entity(e) if attr.is_some() => surname(*e),
                MentionValue::Entity(e) => st.label(*e, ctx.lang).map(str::to_string),
                _ => None,
            })
            .collect()
    };
    let var = |v: u16, attr: Option<&str>| Some(labels(v, attr).join(", ")).filter(|l| !l.is_empty());
    render(&with_lists(template, and, |v| labels(v, None)), m, capture, var)
}

/// The template with each variable that holds several entities right
/// after a word of the `and` list between two variables written out as a
/// list that takes the word: "meeting between {a} and {b}" with two guests
/// is "meeting between A, B and C", as sources name it, not "A and B, C"
/// (whatever the language's word; "visit of {a} to {p}" keeps its words).
fn with_lists(template: &[TemplatePart], and: &HashSet<String>, labels: impl Fn(u16) -> Vec<String>) -> Vec<TemplatePart> {
    let is_var = |p: &TemplatePart| matches!(p, TemplatePart::Var(_) | TemplatePart::Attr(..));
    let mut out = template.to_vec();
    for (i, w) in template.windows(3).enumerate() {
        let (first, TemplatePart::Text(between), TemplatePart::Var(v)) = (&w[0], &w[1], &w[2]) else { continue };
        let Some(word) = conjunction(between, and).filter(|_| is_var(first)) else { continue };
        let items = labels(*v);
        if let Some((last, before)) = items.split_last().filter(|(_, before)| !before.is_empty()) {
            out[i + 1] = TemplatePart::Text(", ".into());
            out[i + 2] = TemplatePart::Text(format!("{} {word} {last}", before.join(", ")));
        }
    }
    out
}

/// The word of the `and` list that `text` is, with a space on each side.
fn conjunction<'t>(text: &'t str, and: &HashSet<String>) -> Option<&'t str> {
    let word = text.strip_prefix(' ')?.strip_suffix(' ')?;
    (word.chars().all(char::is_alphabetic) && and.contains(word)).then_some(word)
}

/// A label template filled with the words the text used for each mention
/// its variables hold, when all are of types `written_as` accepts (not a
/// person's, whose mention holds titles); `None` for a template without a
/// variable, or when a part renders to nothing.
fn fill_written(template: &[TemplatePart], vars: &[Vec<usize>], mentions: &[Mention], m: &Match, ctx: &SentenceCtx, written_as: impl Fn(usize) -> bool) -> Option<String> {
    if !template.iter().any(|p| matches!(p, TemplatePart::Var(_))) {
        return None;
    }
    let text = |a: usize, b: usize| tokens_text(ctx, a, b);
    let var = |v: u16, attr: Option<&str>| {
        let ids = &vars[v as usize];
        if attr.is_some() || ids.is_empty() || !ids.iter().all(|&id| written_as(mentions[id].ty)) {
            return None;
        }
        let words: Vec<String> = ids.iter().filter_map(|&id| text(mentions[id].start, mentions[id].end)).collect();
        (words.len() == ids.len()).then(|| words.join(", "))
    };
    render(template, m, text, var)
}

/// The text of the sentence's tokens `a..b`, as written.
fn tokens_text(ctx: &SentenceCtx, a: usize, b: usize) -> Option<String> {
    let toks = &ctx.sentence.tokens;
    Some(ctx.doc.text[toks.get(a)?.span.start..toks.get(b.checked_sub(1)?)?.span.end].to_string())
}

/// A template's text with each capture and variable rendered as given (as a
/// key, as a label); `None` when one of them renders to nothing.
fn render(template: &[TemplatePart], m: &Match, capture: impl Fn(usize, usize) -> Option<String>, var: impl Fn(u16, Option<&str>) -> Option<String>) -> Option<String> {
    let mut out = String::new();
    for part in template {
        match part {
            TemplatePart::Text(t) => out.push_str(t),
            TemplatePart::Capture(c) => {
                let (a, b) = m.capture(*c)?;
                out.push_str(&capture(a, b)?);
            }
            TemplatePart::Var(v) => out.push_str(&var(*v, None)?),
            TemplatePart::Attr(v, attr) => out.push_str(&var(*v, Some(attr))?),
            TemplatePart::Unordered(vs) => {
                let mut keys = vs.iter().map(|v| var(*v, None)).collect::<Option<Vec<String>>>()?;
                keys.sort_unstable();
                out.push_str(&keys.join("-"));
            }
        }
    }
    Some(out)
}

/// Family names of the listed entities of types with partial names: the
/// `surname` attribute where the entry gives one, else the last word of each
/// of its names of two words or more; a family name several entries share
/// names none of them.
fn listed_family_names(pack: &Pack) -> HashMap<(usize, String), Option<usize>> {
    // The last word of `name_words(name)`, when it has two words or more:
    // only the last chunk of the name is folded (a run folds every listed
    // name once, here and in the graph's name index).
    let family_name = |name: &str| -> Option<String> {
        // A regnal or generational number after the name ("Benigno Aquino
        // III") is no family name: the word before it is.
        let name = name.trim_end();
        let name = match name.rsplit_once(char::is_whitespace) {
            Some((rest, last)) if state::regnal_number(last) && rest.trim().contains(char::is_whitespace) => rest.trim_end(),
            _ => name,
        };
        let mut chunks = name.rsplitn(2, char::is_whitespace);
        let mut last = name_words(chunks.next()?);
        let several = chunks.next().is_some_and(|rest| rest.chars().any(char::is_alphanumeric)) || last.len() >= 2;
        several.then(|| last.pop()).flatten()
    };
    let mut out: HashMap<(usize, String), Option<usize>> = HashMap::default();
    for (i, e) in pack.gazetteer.entries.iter().enumerate() {
        if !pack.types.get(e.ty).is_some_and(|t| t.partial_names) {
            continue;
        }
        let surnames: Vec<String> = match e.attrs.get(SURNAME) {
            Some(given) => given.iter().flat_map(|n| name_words(n).pop()).collect(),
            None => e.labels.iter().filter_map(|(_, l)| family_name(l)).collect(),
        };
        for word in surnames {
            let owner = out.entry((e.ty, word)).or_insert(Some(i));
            if *owner != Some(i) {
                *owner = None;
            }
        }
    }
    out
}

/// The words of the pack's `patronymic` list (every language), folded:
/// after them a name part names a parent.
pub fn patronymics(pack: &Pack) -> Vec<String> {
    folded_words_of(pack, "patronymic")
}

/// The words of a word list of every language, folded.
fn folded_words_of(pack: &Pack, list: &str) -> Vec<String> {
    pack.word_lists(list).flat_map(|l| l.all().flatten().map(|w| fold(w))).collect()
}

/// The entries of a word list in a language, each a list of folded words.
fn folded_entries(pack: &Pack, list: &str, lang: &str) -> Vec<Vec<String>> {
    pack.word_list(list, Some(lang)).map(|w| w.all().map(|v| v.iter().map(|x| fold(x)).collect()).collect()).unwrap_or_default()
}

/// The rules that read a language: its own and those of no language.
fn rules_in(pack: &Pack, lang: &str) -> RuleSet {
    let mut set = RuleSet::new(pack.rules.len());
    for (r, rule) in pack.rules.iter().enumerate() {
        if rule.lang.as_deref().is_none_or(|l| l == lang) {
            set.insert(r);
        }
    }
    set
}

/// By word number, the languages (bits, in the order of `langs`) whose
/// stop words include the word.
fn stopword_bits(pack: &Pack, langs: &[String]) -> Vec<u64> {
    list_bits(pack, "stopwords", langs)
}

/// [`stopword_bits`] of the `common_tokens` lists: tokens nearly every
/// sentence has (the comma), which wake no rule while it needs another
/// word, as stop words do, but are no sign of a language. A comma was in
/// 56 % of the White House sentences and in a group of 204 rules: 58 % of
/// the postings waking went through.
fn common_token_bits(pack: &Pack, langs: &[String]) -> Vec<u64> {
    list_bits(pack, "common_tokens", langs)
}

/// By word number, the languages whose list `name` holds the word.
fn list_bits(pack: &Pack, name: &str, langs: &[String]) -> Vec<u64> {
    let mut bits = Vec::new();
    for (k, lang) in langs.iter().take(64).enumerate() {
        let Some(list) = pack.word_list(name, Some(lang)) else { continue };
        // Words of one token: longer entries never match one.
        for id in list.all().filter(|v| v.len() == 1).filter_map(|v| pack.words_named.get(&v[0])) {
            if bits.len() <= id as usize {
                bits.resize(id as usize + 1, 0);
            }
            bits[id as usize] |= 1u64 << k;
        }
    }
    bits
}

/// Whether word number `w` is in the list of the language at `k`, in the
/// bits of [`list_bits`].
fn stopword_of(bits: &[u64], w: u32, k: usize) -> bool {
    k < 64 && bits.get(w as usize).is_some_and(|b| b & (1 << k) != 0)
}

/// The VM's view of a sentence's mentions. A mention whose last token is a
/// comma ("Albanian Prime Minister Edi Rama," closing an apposition) is also
/// offered without it, so that the comma still separates what follows:
/// `[Person s] "," [Person s]` reads a list of such names, as
/// `[Person s] said` reads "The President, A, said".
pub fn index_mentions(index: &mut MentionIndex, mentions: &[Mention], tokens: &[Token]) {
    let at = |id: usize, m: &Mention, end: usize| (m.start, MentionAt { id, end, type_bit: 1u64 << m.ty, form: m.form });
    let comma_ended = |m: &Mention| m.end > m.start + 1 && tokens.get(m.end - 1).is_some_and(|t| t.norm == ",");
    let shortened = mentions.iter().enumerate().filter(|(_, m)| comma_ended(m)).map(|(id, m)| at(id, m, m.end - 1));
    index.set(tokens.len(), mentions.iter().enumerate().map(|(id, m)| at(id, m, m.end)).chain(shortened));
}

/// Whether a new mention of tokens `start..end` overlaps `x` without
/// containing it.
fn cuts_across(x: &Mention, start: usize, end: usize) -> bool {
    x.start < end && start < x.end && !(start <= x.start && x.end <= end)
}

/// Adds a phase's new mentions. One that cuts across an earlier mention
/// (overlapping it without containing it) is dropped; among new ones that
/// overlap, the longest wins, then the highest priority, then the rule that
/// comes first in the pack.
/// Returns the indices of the mentions added.
fn merge_mentions(mentions: &mut Vec<Mention>, mut added: Vec<(Mention, (i32, usize))>) -> Vec<usize> {
    added.sort_by_key(|(m, rank)| (std::cmp::Reverse(m.end - m.start), std::cmp::Reverse(*rank), m.start));
    let mut kept: Vec<Mention> = Vec::new();
    for (m, _) in added {
        let cuts = |x: &Mention| cuts_across(x, m.start, m.end);
        let overlaps = kept.iter().any(|k| k.start < m.end && m.start < k.end && !(k.start <= m.start && m.end <= k.end && k.ty != m.ty));
        let duplicate = mentions.iter().any(|x| x.start == m.start && x.end == m.end && x.ty == m.ty);
        if !overlaps && !duplicate && !mentions.iter().any(cuts) {
            kept.push(m);
        }
    }
    // New mentions go after the old ones: bound indices stay valid.
    let first = mentions.len();
    mentions.extend(kept);
    (first..mentions.len()).collect()
}

struct SentenceCtx<'a> {
    doc: &'a Document,
    lang: &'a str,
    sentence: &'a Sentence,
    chars: &'a CharIndex<'a>,
    /// The document's date and the last date of the sentences before.
    anchor: Anchor,
}

impl SentenceCtx<'_> {
    fn provenance(&self, rule: &Rule, m: &Match) -> Provenance {
        let toks: &[Token] = &self.sentence.tokens;
        let (a, b) = (m.start().min(toks.len().saturating_sub(1)), m.end().max(1));
        Provenance {
            sentence: self.sentence.index,
            start: self.chars.char_offset(toks[a].span.start),
            end: self.chars.char_offset(toks[b - 1].span.end),
            rule: rule.name.clone(),
            confidence: rule.confidence,
        }
    }
}

/// Byte offsets to character offsets, without rescanning the text each time.
struct CharIndex<'t> {
    /// Byte offset of every 64th character, made when a first fact needs
    /// it: most documents of a large corpus yield none.
    marks: std::cell::OnceCell<Vec<usize>>,
    text: &'t str,
}

impl<'t> CharIndex<'t> {
    fn new(text: &'t str) -> Self {
        CharIndex { marks: std::cell::OnceCell::new(), text }
    }

    fn char_offset(&self, byte: usize) -> usize {
        let marks = self.marks.get_or_init(|| self.text.char_indices().step_by(64).map(|(b, _)| b).collect());
        let k = marks.partition_point(|&b| b <= byte).saturating_sub(1);
        let base = marks.get(k).copied().unwrap_or(0);
        k * 64 + self.text[base..byte.min(self.text.len())].chars().count()
    }
}

/// The most tokens of a line that gives a release its date ("New Delhi,
/// November 15, 2016", "Berne, 16.03.2022 –").
const DATELINE_TOKENS: usize = 12;

/// The sentences that decide a document's language and date.
fn opening_sentences(stream: &mut impl Iterator<Item = Sentence>) -> Vec<Sentence> {
    let mut head: Vec<Sentence> = Vec::new();
    let mut tokens = 0;
    while head.len() < PREFIX_SENTENCES && tokens < PREFIX_TOKENS {
        let Some(s) = stream.next() else { break };
        tokens += s.tokens.len();
        head.push(s);
    }
    head
}

/// The extractions of a document's sections (`ranges` of `text`, in order)
/// as one: an entity the sections share is one entity, and the facts'
/// offsets and sentence numbers are the document's.
fn join_sections(id: &str, text: &str, ranges: &[std::ops::Range<usize>], parts: Vec<DocExtraction>) -> DocExtraction {
    let mut out = DocExtraction { doc_id: id.to_string(), ..Default::default() };
    let mut index: HashMap<(usize, String), usize> = HashMap::default();
    let (mut chars, mut counted) = (0, 0);
    for (range, part) in ranges.iter().zip(parts) {
        chars += text[counted..range.start].chars().count();
        counted = range.start;
        let at: Vec<usize> = part
            .entities
            .into_iter()
            .map(|e| match index.get(&(e.ty, e.key.clone())) {
                Some(&k) => {
                    // The sections share the document's language: another
                    // section's label of the entity is another of its names.
                    let kept = &mut out.entities[k];
                    for name in e.labels.into_iter().chain(e.aliases) {
                        if !kept.labels.contains(&name) && !kept.aliases.contains(&name) {
                            kept.aliases.push(name);
                        }
                    }
                    k
                }
                None => {
                    index.insert((e.ty, e.key.clone()), out.entities.len());
                    out.entities.push(e);
                    out.entities.len() - 1
                }
            })
            .collect();
        out.facts.extend(part.facts.into_iter().map(|mut f| {
            f.subject = at[f.subject];
            if let Object::Entity(o) = &mut f.object {
                *o = at[*o];
            }
            f.provenance.sentence += out.sentences;
            f.provenance.start += chars;
            f.provenance.end += chars;
            f
        }));
        out.sentences += part.sentences;
        out.mentions += part.mentions;
    }
    out
}

/// A functional relation keeps the first value the text gives: a heading's
/// "July 18-19" over a later "today" read from the wrong day. A day is less
/// than a span, though: when one match later gives the subject two dates of
/// functional relations (a span, "held on 29 and 30 November") and the
/// first value given is a day within it, the span's own value wins
/// ("MADRID, 30 November – The Council today decided …" is its last day).
fn keep_first_values(facts: &mut Vec<Fact>, is_functional: impl Fn(usize) -> bool) {
    let functional = |f: &Fact| is_functional(f.relation);
    let date = |f: &Fact| match f.object {
        Object::Date(d) => Some(d),
        Object::Entity(_) => None,
    };
    // The dates each match gave, by match: a span is two functional dates
    // (its first and last day) that one match gave one subject.
    fn match_of(f: &Fact) -> (usize, usize, usize, usize, &str) {
        let p = &f.provenance;
        (f.subject, p.sentence, p.start, p.end, &p.rule)
    }
    let mut by_match: HashMap<_, Vec<(usize, Date)>> = HashMap::default();
    for f in facts.iter().filter(|f| functional(f)) {
        if let Some(d) = date(f) {
            by_match.entry(match_of(f)).or_default().push((f.relation, d));
        }
    }
    // (subject, relation) → the span a match gave it the first day of.
    let mut spans: HashMap<(usize, usize), (Date, Date)> = HashMap::default();
    for f in facts.iter().filter(|f| functional(f)) {
        let Some(first) = date(f) else { continue };
        if let Some(&(_, last)) = by_match[&match_of(f)].iter().find(|(r, d)| *r != f.relation && *d > first) {
            spans.entry((f.subject, f.relation)).or_insert((first, last));
        }
    }
    let mut kept: HashMap<(usize, usize), Object> = HashMap::default();
    for f in facts.iter().filter(|f| functional(f)) {
        kept.entry((f.subject, f.relation)).or_insert_with(|| match (date(f), spans.get(&(f.subject, f.relation))) {
            (Some(day), Some(&(first, last))) if first < day && day <= last => Object::Date(first),
            _ => f.object.clone(),
        });
    }
    facts.retain(|f| !functional(f) || kept[&(f.subject, f.relation)] == f.object);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pack made of one rule file (and the tables it names), for tests of
    /// the engine that the shipped pack does not isolate.
    fn pack_of(rules: &str, tables: &[(&str, &str)]) -> (tempfile::TempDir, Pack) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("pack.rules"), rules).unwrap();
        for (name, text) in tables {
            std::fs::write(dir.path().join(name), text).unwrap();
        }
        let pack = crate::pack::load_pack(dir.path()).expect("test pack");
        (dir, pack)
    }

    /// The (subject, object) labels of the entity facts of the relations
    /// `keep` accepts, in the order extracted.
    fn labelled_pairs(ex: &DocExtraction, keep: impl Fn(usize) -> bool) -> Vec<(String, String)> {
        let label = |e: usize| ex.entities[e].labels.first().map(|(_, l)| l.clone()).unwrap_or_default();
        ex.facts
            .iter()
            .filter(|f| keep(f.relation))
            .filter_map(|f| match f.object {
                Object::Entity(o) => Some((label(f.subject), label(o))),
                _ => None,
            })
            .collect()
    }

    /// Paragraphs that say nothing of each other read the same in sections
    /// as whole: the same facts at the same offsets and sentence numbers,
    /// and each entity once.
    #[test]
    fn a_document_read_in_sections_keeps_its_offsets_and_its_entities_once() {
        let pack = crate::pack::load_pack(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")).expect("shipped pack");
        let text = "On 6 May 2019 – « là » – NATO and the European Union agreed to cooperate on cyber defence.\n\n\
            The United States and Georgia signed the Charter on Strategic Partnership in Washington.\n\n\
            On 7 May 2019 – « ici » – NATO and the African Union agreed to cooperate on maritime security.\n";
        let doc = Document { id: "d".into(), text: text.into(), ..Default::default() };
        let read = |ex: &DocExtraction| {
            let key = |e: usize| (ex.entities[e].ty, ex.entities[e].key.clone());
            let mut facts: Vec<_> = ex
                .facts
                .iter()
                .map(|f| {
                    let object = match &f.object {
                        Object::Entity(e) => format!("{:?}", key(*e)),
                        Object::Date(d) => d.to_string(),
                    };
                    (key(f.subject), f.relation, object, f.provenance.sentence, f.provenance.start, f.provenance.end)
                })
                .collect();
            facts.sort();
            facts
        };
        let whole = Extractor::new(&pack).extract(&doc);
        let parts = Extractor::new(&pack).with_sections_of(150).extract(&doc);
        assert_eq!(crate::text::sections(text, 150).len(), 3);
        assert!(read(&whole).len() >= 4, "{:?}", read(&whole));
        assert_eq!(read(&parts), read(&whole));
        assert_eq!(parts.sentences, whole.sentences);
        let mut keys: Vec<_> = parts.entities.iter().map(|e| (e.ty, &e.key)).collect();
        let n = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), n, "an entity of two sections is one");
        let last = parts.facts.iter().max_by_key(|f| f.provenance.start).unwrap();
        let chars: String = text.chars().skip(last.provenance.start).take(last.provenance.end - last.provenance.start).collect();
        assert!(chars.contains("African Union"), "{chars}");
    }

    /// `main(Event)` in a sentence whose only date is inside the event the
    /// match names is the document's meeting, not that event: "Ministers
    /// discussed the Council of 14 and 15 December" is no talk of that
    /// Council with itself.
    #[test]
    fn a_date_inside_the_name_a_match_reads_points_to_no_event() {
        let (_dir, pack) = pack_of(
            r#"vocab <http://example.org/v#>
type Event = <http://example.org/v#Event>
  event
relation discussed: Event -> Event
relation start_date: Event -> date
  identifies
  functional
words stopwords@en = the of and on in
words months@en = January February March April May June July August September October November December
words date_range@en = and
rule assembly_met
  lang en
  match name:(Assembly) met on [Date d]
  event e meeting from name
  emit e start_date d.start
rule council_of
  lang en
  match Council of [Date d]
  event e council
  emit e start_date d.start
rule ministers_discussed
  lang en
  phase 1
  match Ministers discussed the [Event o]
  emit main(Event) discussed o
"#,
            &[],
        );
        let text = "The Assembly met on 12 December 2017. Ministers discussed the Council of 14 and 15 December.";
        let doc = Document { id: "d".into(), text: text.into(), ..Default::default() };
        let ex = Extractor::new(&pack).extract(&doc);
        let discussed = pack.relation_id("discussed").expect("discussed");
        let talks = labelled_pairs(&ex, |r| r == discussed);
        assert_eq!(talks, vec![("Assembly".to_string(), "Council of 14 and 15 December".to_string())]);
    }

    /// A label template's own conjunction writes a list out with it; other
    /// words between variables do not ("visit of {a} to {p}").
    #[test]
    fn a_list_after_the_templates_conjunction_takes_it() {
        use TemplatePart::{Text, Var};
        let and: HashSet<String> = ["and", "et", ","].into_iter().map(String::from).collect();
        let written = |template: &[TemplatePart], lists: &[&[&str]]| {
            let template = with_lists(template, &and, |v| lists[v as usize].iter().map(|s| s.to_string()).collect());
            render(&template, &Match { slots: Vec::new(), binds: Vec::new() }, |_, _| None, |v, _| Some(lists[v as usize].join(", "))).unwrap()
        };
        let meeting = [Text("meeting between ".into()), Var(0), Text(" and ".into()), Var(1)];
        assert_eq!(written(&meeting, &[&["A"], &["B", "C", "D"]]), "meeting between A, B, C and D");
        assert_eq!(written(&meeting, &[&["A"], &["B"]]), "meeting between A and B");
        let reunion = [Text("réunion entre ".into()), Var(0), Text(" et ".into()), Var(1), Text(" à Paris".into())];
        assert_eq!(written(&reunion, &[&["A"], &["B", "C"]]), "réunion entre A, B et C à Paris");
        let visit = [Text("visit of ".into()), Var(0), Text(" to ".into()), Var(1)];
        assert_eq!(written(&visit, &[&["A"], &["B", "C"]]), "visit of A to B, C");
    }

    /// An ordinal before an event's name that no rule took into it, spelled
    /// out, written with a suffix, in Roman numerals or as a compound, is in
    /// another name of the event; a word that only looks like one is not.
    #[test]
    fn an_ordinal_before_an_events_name_gives_it_another_name() {
        let (_dir, pack) = pack_of(
            r#"vocab <http://example.org/v#>
type Event = <http://example.org/v#Event>
  event
words stopwords@fr = le la les de du des et
words day_suffix@fr = e er ème
words ordinal_word@fr = premier/première deuxième troisième
words ordinal_tens@fr = vingt trente quarante cinquante
rule named_meeting
  lang fr
  match (la|le) (!Réunion){0,3} name:(Réunion de haut niveau (<Cap>)+)
  event ev meeting from name
"#,
            &[],
        );
        let ex = Extractor::new(&pack);
        let names = |text: &str| {
            let doc = Document { id: "d".into(), text: text.into(), lang: Some("fr".into()), ..Default::default() };
            let out = ex.extract(&doc);
            let e = out.entities.first().expect("the meeting");
            e.labels.iter().chain(&e.aliases).map(|(_, n)| n.clone()).collect::<Vec<_>>()
        };
        for (ordinal, text) in [
            ("XIIe", "Ils ont tenu la XIIe Réunion de haut niveau Espagne Maroc."),
            ("12e", "Ils ont tenu la 12e Réunion de haut niveau Espagne Maroc."),
            ("troisième", "Ils ont tenu la troisième Réunion de haut niveau Espagne Maroc."),
            ("cinquante-deuxième", "Ils ont tenu la cinquante-deuxième Réunion de haut niveau Espagne Maroc."),
        ] {
            assert!(names(text).contains(&format!("{ordinal} Réunion de haut niveau Espagne Maroc")), "{ordinal}: {:?}", names(text));
        }
        assert_eq!(names("Ils ont tenu la nouvelle Réunion de haut niveau Espagne Maroc."), vec!["Réunion de haut niveau Espagne Maroc".to_string()]);
        assert!(!names("Ils ont tenu la trente-Réunion de haut niveau Espagne Maroc.").iter().any(|n| n.starts_with("trente")));
    }

    /// A common token (`common_tokens`) wakes no rule that needs another
    /// word, yet the rule still needs it to match; and it tells no language.
    #[test]
    fn a_common_token_is_still_needed_but_tells_no_language() {
        let (_dir, pack) = pack_of(
            r#"vocab <http://example.org/v#>
type Company = <http://example.org/v#Company>
relation acquired: Company -> Company
words stopwords@en = the of and
words common_tokens = ,
gazetteer "g.tsv"
rule acquired_comma
  lang en
  match [Company a] , which acquired [Company b]
  emit a acquired b
"#,
            &[("g.tsv", "key\ttype\twikidata\ten\taliases\tattrs\nacme\tCompany\t\tAcme\t\t\nglobex\tCompany\t\tGlobex\t\t\n")],
        );
        let langs = pack.languages();
        let comma = pack.words_named.get(",").expect("a word of the pack");
        assert!(stopword_of(&common_token_bits(&pack, &langs), comma, 0));
        assert!(!stopword_of(&stopword_bits(&pack, &langs), comma, 0));
        let acquired = pack.relation_id("acquired").expect("acquired");
        let pairs = |text: &str| {
            let doc = Document { id: "d".into(), text: text.into(), lang: Some("en".into()), ..Default::default() };
            labelled_pairs(&Extractor::new(&pack).extract(&doc), |r| r == acquired)
        };
        assert_eq!(pairs("Acme, which acquired Globex, grew."), vec![("Acme".to_string(), "Globex".to_string())]);
        assert!(pairs("Acme which acquired Globex grew.").is_empty());
    }

    /// A relation `known_from` an attribute excludes what the gazetteer
    /// lists of the subject, though the text never states it.
    #[test]
    fn an_exclusion_reads_a_relation_the_gazetteer_lists() {
        let (_dir, pack) = pack_of(
            r#"vocab <http://example.org/v#>
type Person = <http://example.org/v#Person>
  partial_names
type Country = <http://example.org/v#Country>
relation affiliated_with: Person -> Country
  known_from country
relation discussed: Person -> Country
  excludes affiliated_with
words stopwords@en = the and with
gazetteer "g.tsv"
rule discussed
  lang en
  match [Person s] discussed [Country c]
  emit s discussed c
"#,
            &[("g.tsv", "key\ttype\twikidata\ten\taliases\tattrs\nann_lee\tPerson\t\tAnn Lee\t\tcountry=ruritania\nruritania\tCountry\t\tRuritania\t\t\nfreedonia\tCountry\t\tFreedonia\t\t\n")],
        );
        let doc = Document { id: "d".into(), text: "Ann Lee discussed Ruritania. Ann Lee discussed Freedonia.".into(), ..Default::default() };
        let ex = Extractor::new(&pack).extract(&doc);
        let topics: Vec<&str> = ex.facts.iter().filter_map(|f| if let Object::Entity(o) = f.object { Some(ex.entities[o].key.as_str()) } else { None }).collect();
        // Her own country, by the table, though the text never says it.
        assert_eq!(topics, ["freedonia"]);
    }

    /// A relation `only_from` an attribute keeps, among the objects of the
    /// attribute's type, only the one the gazetteer lists: a title shared
    /// by two countries' ministers gives the person no other country.
    #[test]
    fn a_relation_only_from_an_attribute_drops_other_objects_of_its_type() {
        let (_dir, pack) = pack_of(
            r#"vocab <http://example.org/v#>
type Person = <http://example.org/v#Person>
  partial_names
type Country = <http://example.org/v#Country>
type Org = <http://example.org/v#Org>
relation affiliated_with: Person -> Country | Org
  only_from country
words stopwords@en = the and with
gazetteer "g.tsv"
rule of
  lang en
  match [Person s] of [Country|Org c]
  emit s affiliated_with c
"#,
            &[("g.tsv", "key\ttype\twikidata\ten\taliases\tattrs\nann_lee\tPerson\t\tAnn Lee\t\tcountry=ruritania\nruritania\tCountry\t\tRuritania\t\t\nfreedonia\tCountry\t\tFreedonia\t\t\nleague\tOrg\t\tLeague\t\t\n")],
        );
        let doc = Document { id: "d".into(), text: "Ann Lee of Freedonia spoke. Ann Lee of Ruritania spoke. Ann Lee of League spoke.".into(), ..Default::default() };
        let ex = Extractor::new(&pack).extract(&doc);
        let mut objects: Vec<&str> = ex.facts.iter().filter_map(|f| if let Object::Entity(o) = f.object { Some(ex.entities[o].key.as_str()) } else { None }).collect();
        objects.sort();
        // Not Freedonia, a country other than hers; an organisation stays.
        assert_eq!(objects, ["league", "ruritania"]);
    }

    /// A key template over a list names one entry per name listed, and an
    /// `emit … respectively` that reads the list on both sides pairs each
    /// name with its own entry.
    #[test]
    fn a_key_template_over_a_list_gives_each_name_its_own_entry() {
        let (_dir, pack) = pack_of(
            r#"vocab <http://example.org/v#>
type Org = <http://example.org/v#Org>
type Country = <http://example.org/v#Country>
type Doc = <http://example.org/v#Doc>
relation signed: Org | Country -> Doc
words stopwords@en = the and with
gazetteer "g.tsv"
rule agreements
  lang en
  match [Org s] signed agreements with [Country c] (and [Country c])*
  emit s signed key:pact_{c} respectively
  emit c signed key:pact_{c} respectively
"#,
            &[(
                "g.tsv",
                "key\ttype\twikidata\ten\taliases\tattrs\nunion\tOrg\t\tUnion\t\t\nruritania\tCountry\t\tRuritania\t\t\nfreedonia\tCountry\t\tFreedonia\t\t\npact_ruritania\tDoc\t\tRuritania Pact\t\t\npact_freedonia\tDoc\t\tFreedonia Pact\t\t\n",
            )],
        );
        let doc = Document { id: "d".into(), text: "The Union signed agreements with Ruritania and Freedonia.".into(), ..Default::default() };
        let ex = Extractor::new(&pack).extract(&doc);
        let mut signed = labelled_pairs(&ex, |_| true);
        signed.sort();
        signed.dedup();
        let want = [("Freedonia", "Freedonia Pact"), ("Ruritania", "Ruritania Pact"), ("Union", "Freedonia Pact"), ("Union", "Ruritania Pact")];
        assert_eq!(signed, want.map(|(a, b)| (a.to_string(), b.to_string())));
    }

    /// "Today" is the day of the line under a title that dates the visit it
    /// reports over several days, not the visit's first day.
    #[test]
    fn a_date_line_under_a_title_spanning_days_dates_the_release() {
        let pack = crate::pack::load_pack(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules")).expect("shipped pack");
        let start_dates = |text: &str| {
            let doc = Document { id: "d".into(), text: text.into(), ..Default::default() };
            let ex = Extractor::new(&pack).extract(&doc);
            let start = pack.relation_id("start_date").expect("start_date");
            let mut days: Vec<String> = ex.facts.iter().filter(|f| f.relation == start).filter_map(|f| if let Object::Date(d) = &f.object { Some(d.to_string()) } else { None }).collect();
            days.sort();
            days
        };
        let body = "Prime Minister Paul Brown held talks with President John Smith at Hyderabad House, New Delhi, today.\n";
        let dated = format!("State Visit of the President of Ruritania to India (November 14-21, 2016)\n\nNovember 15, 2016\n\n{body}");
        assert!(start_dates(&dated).contains(&"2016-11-15".to_string()), "{:?}", start_dates(&dated));
        assert!(!start_dates(&dated).contains(&"2016-11-14".to_string()));
        // With no such line, the title's first day is all there is.
        let undated = format!("State Visit of the President of Ruritania to India (November 14-21, 2016)\n\n{body}");
        assert!(start_dates(&undated).contains(&"2016-11-14".to_string()), "{:?}", start_dates(&undated));
    }

    #[test]
    fn respectively_pairs_lists_of_one_length_and_no_others() {
        let (s, c) = (Term::Var(0), Term::Var(1));
        // "her German and Romanian counterparts, A and B": (German, A), (Romanian, B)
        let even = pairings(&s, &c, &[vec![10, 11], vec![20, 21]]);
        assert_eq!(even, vec![vec![vec![10], vec![20]], vec![vec![11], vec![21]]]);
        // one side bound once: every value of the other goes with it
        let one = pairings(&s, &c, &[vec![10, 11], vec![20]]);
        assert_eq!(one, vec![vec![vec![10, 11], vec![20]]]);
        // three countries, two persons: which goes with which is not known
        assert!(pairings(&s, &c, &[vec![10, 11], vec![20, 21, 22]]).is_empty());
    }

    #[test]
    fn a_span_that_holds_the_first_day_given_wins_over_it() {
        let (start, end, place) = (0, 1, 2);
        let day = |d| Object::Date(Date { year: 2007, month: 11, day: d });
        let fact = |relation, object, rule: &str, at| Fact { subject: 7, relation, object, provenance: Provenance { sentence: at, start: at, end: at + 1, rule: rule.into(), confidence: 1.0 } };
        let run = |mut facts: Vec<Fact>| {
            keep_first_values(&mut facts, |r| r != place);
            facts.iter().map(|f| (f.relation, f.object.clone())).collect::<Vec<_>>()
        };
        // "30 November – The Council today decided"; "held on 29 and 30 November"
        let facts = vec![fact(start, day(30), "today", 0), fact(place, Object::Entity(3), "in", 0), fact(start, day(29), "held", 1), fact(end, day(30), "held", 1)];
        assert_eq!(run(facts), vec![(place, Object::Entity(3)), (start, day(29)), (end, day(30))]);
        // a day outside the span keeps its place: the first value stands
        let facts = vec![fact(start, day(27), "today", 0), fact(start, day(29), "held", 1), fact(end, day(30), "held", 1)];
        assert_eq!(run(facts), vec![(start, day(27)), (end, day(30))]);
        // two dates from different matches are no span
        let facts = vec![fact(start, day(30), "today", 0), fact(start, day(29), "held", 1), fact(end, day(30), "ended", 2)];
        assert_eq!(run(facts), vec![(start, day(30)), (end, day(30))]);
    }
}
