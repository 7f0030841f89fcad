//! The rule pack: declarations, word lists, gazetteer and rules, loaded from
//! a folder of `.rules` files (the language is specified in rules/README.md).

pub mod cache;
pub mod diag;
mod lines;
mod load;

use crate::gazetteer::Gazetteer;
use crate::pattern::{Bindings, Program};
use std::collections::BTreeMap;
use std::path::PathBuf;

pub use diag::{Diagnostic, Pos};
pub use load::load_pack;

/// Every error of every file of a pack.
#[derive(Debug, thiserror::Error)]
#[error("{}", .0.iter().map(|d| d.to_string()).collect::<Vec<_>>().join("\n\n"))]
pub struct PackError(pub Vec<Diagnostic>);

/// Name of the built-in mention type of dates.
pub const DATE_TYPE: &str = "Date";

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct TypeDecl {
    pub name: String,
    /// The class IRI; empty for the built-in `Date`.
    pub iri: String,
    pub shape: Option<String>,
    pub color: Option<String>,
    /// A mention of part of a name ("Stoltenberg") refers to the full name
    /// seen earlier in the document ("Jens Stoltenberg").
    pub partial_names: bool,
    /// Mentions of this type are events, created by `event` actions.
    pub event: bool,
    /// A name of several words that a rule gave an entity of this type,
    /// written again later in the document, is a mention of it: « l'accord
    /// de libre-échange » that a signing named is the subject of « L'accord
    /// de libre-échange et l'accord de … ont été signés par A ». And a name
    /// of three words or more that a rule gave is the one listed entity of
    /// the document whose longer name holds all its words (a headline's
    /// short form of a convention's full name).
    #[serde(default)]
    pub repeats_names: bool,
    /// The word list whose entries a name of this type drops from its start
    /// when it becomes an entity, as it drops honorifics: with `titles
    /// person_title`, "President Biden" is the person "Biden".
    pub titles: Option<String>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Objects {
    Entities(u64),
    /// An `xsd:date` literal.
    Date,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct RelationDecl {
    pub name: String,
    pub iri: String,
    pub subjects: u64,
    pub objects: Objects,
    pub symmetric: bool,
    /// Part of the identity of the event it describes (organiser, date…).
    pub identifies: bool,
    /// One value per subject in a document: the first the text states
    /// (a later, conflicting start date is dropped).
    pub functional: bool,
    /// `excludes r`: no triple (s, this, o) where the document also states
    /// (s, r, o): a minister does not "discuss" or "support" their own country.
    /// `excludes inverse r`: none where it states (o, r, s): a meeting does not
    /// "discuss" a country that attended it. `excludes inverse r then q`:
    /// none where it states (x, r, s) and (x, q, o) for some x: nor the
    /// country of one who attended it.
    pub excludes: Vec<Exclusion>,
    /// `implies r`: every triple (s, this, o) is also (s, r, o), as an
    /// annotation guide may ask ("a partner of NATO" cooperates with it).
    #[serde(default)]
    pub implies: Vec<usize>,
    /// `known_from attr`: for exclusions, (s, this, o) also holds where the
    /// gazetteer lists o under s's attribute `attr` (a person's `country`):
    /// a prime minister does not discuss his country though the text never
    /// says whose prime minister he is.
    #[serde(default)]
    pub known_from: Vec<String>,
    /// `only_from attr`: where the gazetteer lists an entity under the
    /// subject's attribute `attr`, no other entity of that entity's type is
    /// an object: a Belgian minister named under a title Luxembourg's
    /// minister shares (« ministre des Affaires étrangères et européennes »)
    /// is not Luxembourg's.
    #[serde(default)]
    pub only_from: Vec<String>,
    /// `agrees_with attr`: among the objects one match gives a subject, an
    /// object of the type of an entity the gazetteer lists under another
    /// object's attribute `attr` must be one so listed: "meet in
    /// Reykjavík, Russian Federation takes over" is not held in Russia
    /// (Reykjavík's `country` is Iceland), "in Paris and Berlin, Germany"
    /// is held in Germany (Berlin's).
    #[serde(default)]
    pub agrees_with: Vec<String>,
}

/// A relation whose statement rules a triple out (see [`RelationDecl::excludes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Exclusion {
    pub relation: usize,
    /// The excluding triple runs the other way: (o, r, s).
    pub inverse: bool,
    /// A second step from what the first reaches: (x, then, o).
    #[serde(default)]
    pub then: Option<usize>,
}

/// A value in an action: what a variable, attribute or reference yields.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Term {
    /// A variable bound by the pattern (or by an `event` action).
    Var(u16),
    /// `x.name`: an attribute of the entity or date bound to `x`.
    Attr(u16, String),
    /// `last(Type)`: the nearest earlier mention of that type in the document.
    Last(u64),
    /// `lasts(Type)`: every entity of that type named in the nearest earlier
    /// stretch that names any: those of the sentence before the match, else
    /// those of the last sentence that named one ("The agreements were
    /// signed by …" after "signed a trade agreement and an investment
    /// agreement").
    Lasts(u64),
    /// `main(Type)`: the entity of that type the document has mentioned most
    /// so far (the first of those, on a tie): what the text is about.
    Main(u64),
    /// `pronoun(Type)`: what a sentence's pronoun subject stands for:
    /// `main(Type)`, unless the sentence names that entity elsewhere; then
    /// the entity of that type the sentence before named first, if another.
    /// "He was received by B" after "A travelled to Astana" is A in a
    /// readout whose headline names B.
    Pronoun(u64),
    /// `first(Type)`: the entity of that type the document mentioned first:
    /// the "I" of a minister's release is the one its byline names.
    First(u64),
    /// `titled(Type,cap)`: the entity of that type the document last named
    /// with the title words the capture holds ("the Secretary" → the one
    /// named "Secretary of State Antony Blinken" or "Antony Blinken,
    /// Secretary of State"); the type's `titles` list tells title words.
    Titled { mask: u64, capture: usize },
    /// `last(Type,cap)`: the entity of that type the document last named
    /// with all the words the capture holds ("the meeting" → the latest
    /// event one of whose names has "meeting", not a summit named since);
    /// as `last(Type)` when none was.
    LastNamed { mask: u64, capture: usize },
    /// `named(Type,cap)`: as `last(Type,cap)`, but nothing when no entity
    /// of that type was named with those words: « ce groupe réunit A, B »
    /// names no members of the last organisation whatever its name.
    Named { mask: u64, capture: usize },
    /// `main(Type,cap)`: as `main(Type)` among the entities of that type
    /// named with all the words the capture holds ("the meeting, chaired
    /// by …" → the main event one of whose names has "meeting", not the
    /// summit it was held at); as `main(Type)` when none was.
    MainNamed { mask: u64, capture: usize },
    /// `within(Type,x)`: the entities of that type the text names inside the
    /// mention bound to `x` ("the agreement between A and B" → A and B): by
    /// a name, not a form, and not inside another name there.
    Within { mask: u64, var: u16 },
    /// `key:name`: the gazetteer entry with that key.
    Const(usize),
    /// `key:president_of_{c}`: the entry whose key the template gives once
    /// each `{x}` is replaced by the key of x's entity; nothing if none.
    KeyTemplate(Vec<TemplatePart>),
    /// `subject(relation,t)`: whoever the document last said stands in that
    /// relation to what the term t denotes ("the Secretary General" → the
    /// person holding the post); with `subjects(…)`, every one of them ("the
    /// leaders" → everyone who attended the meeting). For a symmetric
    /// relation, either side. With `object(relation,t)` / `objects(…)`, the
    /// other way: what t was said to stand in that relation to ("his
    /// counterpart thanked him" → the country he is affiliated with).
    Related { relation: usize, of: Box<Term>, all: bool, object: bool },
    /// `either(a,b)`: the values of `a`, or those of `b` when `a` has none.
    /// « Les deux dirigeants ont évoqué … » is the meeting's topic when the
    /// text made the meeting an event, the two persons' when it did not.
    Either(Box<Term>, Box<Term>),
    /// `both(a,b)`: the values of `a` and of `b`, or none when either has
    /// none. "The ministers discussed Haiti" is the two who met when the
    /// person the text is about met someone, and no one's when the text
    /// reports a meeting of many that its person only attended.
    Both(Box<Term>, Box<Term>),
    /// `only(Type,t)`: the values of `t` of that type. "Our countries remain
    /// steadfast in their support" is the countries among those who attended,
    /// not their leaders.
    Only { mask: u64, of: Box<Term> },
    /// `t.day_before`, `t.day_after`: the dates of a term, a variable's
    /// (`d.day_before`) or another's (`main(Date).day_after`), moved by that
    /// many days. "A has arrived in Burma for a two-day visit" under a
    /// dateline ends the day after it.
    Shifted(Box<Term>, i8),
}

/// A piece of a key template: literal text, or the key of a variable's entity.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum TemplatePart {
    Text(String),
    Var(u16),
    /// `{x.attr}`: the key the attribute of x's gazetteer entry names
    /// (`key:prime_minister_of_{s.country}`); keys and kinds only.
    Attr(u16, String),
    /// `{a+b}`: the keys of these variables' entities in sorted order,
    /// joined by `-`, so that "Singapore-Malaysia" and "Malaysia-Singapore"
    /// give one kind (keys and kinds only).
    Unordered(Vec<u16>),
    /// A capture's text as a key: folded words joined by `_`
    /// ("Climate Action" → `climate_action`).
    Capture(usize),
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum Action {
    Emit {
        subject: Term,
        relation: usize,
        object: Term,
        /// `emit … respectively`: the values of variables bound several
        /// times, as many times each, go in pairs, in text order ("the
        /// German and Romanian counterparts, A and B": A is German, B
        /// Romanian), not in every combination.
        respectively: bool,
    },
    /// `mention Type from capture`: a new entity named by the captured text.
    MentionFrom { ty: usize, capture: usize },
    /// `mention Type = term [from capture]`: the whole match (or the
    /// capture) becomes a mention of the term's entity (a variable,
    /// `subject(relation,x)`, `key:name`…).
    MentionOf { ty: usize, term: Term, capture: Option<usize> },
    /// `event e kind [new] [from capture] [label "template"] [alias "template"]…`: an event mention
    /// over the whole match (or the capture), bound to e. `{x}` in the kind
    /// is replaced by the key of x's entity ("meeting-{body}"). The event's
    /// label is the mention's text, or the template with each `{x}` replaced
    /// by the label of x's entity ("meeting of {a} and {b}").
    Event {
        var: u16,
        ty: usize,
        kind: Vec<TemplatePart>,
        capture: Option<usize>,
        label: Option<Vec<TemplatePart>>,
        /// `alias "template"`, as many as given: other names sources give
        /// such an event ("{a}'s visit to {p}"), filled as the label is.
        aliases: Vec<Vec<TemplatePart>>,
        /// `new`: an event other than those the document named before,
        /// whatever its kind ("the previous meeting was held in Tokyo").
        fresh: bool,
    },
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Example {
    pub text: String,
    /// (subject label, relation, object label); empty (and no `reject`):
    /// the rule yields nothing.
    pub expect: Vec<(String, String, String)>,
    /// `not S relation O`: triples the extraction must not yield, whichever
    /// rule would give them.
    #[serde(default)]
    pub reject: Vec<(String, String, String)>,
    pub line: usize,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Rule {
    pub name: String,
    pub file: PathBuf,
    pub line: usize,
    pub lang: Option<String>,
    pub phase: i32,
    pub priority: i32,
    pub confidence: f64,
    /// A match with a word of the `negation` list inside it asserts nothing.
    pub negatable: bool,
    /// Its `mention … from` may give a name another type than the one it
    /// already has (`retypes yes`): « à Luxembourg » is the city.
    pub retypes: bool,
    /// Its facts of functional relations stand only for a subject that no
    /// other rule gives one in the document (`fallback yes`): "the ceremony
    /// … today" dates an event that nothing else dates, and no more.
    pub fallback: bool,
    /// The events its `event` actions make are in the background
    /// (`background yes`): an election a meeting discussed is no meeting,
    /// so `last(Event)` and `main(Event)` never fall back to it (a date
    /// of the sentence pointing to it, the last or most mentioned event).
    pub background: bool,
    /// The program, with every language's entries of the word lists its
    /// pattern names.
    pub program: Program,
    /// For a rule of no language whose lists differ by language, a program
    /// per language, with that language's entries.
    pub programs: Vec<(String, Program)>,
    pub bindings: Bindings,
    pub actions: Vec<Action>,
    pub examples: Vec<Example>,
    /// Order of the rule in the pack (files sorted by path, then lines).
    pub order: usize,
}

impl Rule {
    /// The program that reads documents in `lang`.
    pub fn program_for(&self, lang: &str) -> &Program {
        self.programs.iter().find(|(l, _)| l == lang).map_or(&self.program, |(_, p)| p)
    }
}

/// A word list: entries of folded tokens; an entry may have `/` variants.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct WordList {
    pub entries: Vec<Vec<Vec<String>>>,
}

impl WordList {
    /// Every variant of every entry.
    pub fn all(&self) -> impl Iterator<Item = &Vec<String>> {
        self.entries.iter().flatten()
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Pack {
    pub root: PathBuf,
    pub prefixes: Vec<(String, String)>,
    pub types: Vec<TypeDecl>,
    pub relations: Vec<RelationDecl>,
    /// Keyed by `name` or `name@lang`.
    pub words: BTreeMap<String, WordList>,
    pub gazetteer: Gazetteer,
    /// Sorted by (phase, order).
    pub rules: Vec<Rule>,
    /// Name forms of the gazetteer: 0 is `name`, then the extra columns.
    pub forms: Vec<String>,
    /// The words the pack names, numbered: the rules' patterns' first, as
    /// they compile, then the gazetteer's and the word lists'.
    pub words_named: crate::pattern::Vocab,
    /// The `abbreviations` word list, read before every other statement:
    /// it decides how text, names and the pack's own literals split into
    /// tokens.
    pub abbreviations: crate::text::Abbreviations,
    /// Every file the pack was read from, with the hash of its content:
    /// its `.rules` files, the tables its `gazetteer` lines name, and its
    /// confidence file (`None`: not there). A compiled pack holds while
    /// they do (`cache`), and extractions made with it (`fingerprint`).
    pub inputs: Vec<(PathBuf, Option<u64>)>,
}

impl Pack {
    /// Drops what only extraction reads (the rules, the word lists and the
    /// gazetteer's automaton), keeping the schema and the gazetteer's
    /// entries that merging and export read. The pack matches nothing after.
    pub fn drop_matchers(&mut self) {
        self.rules = Vec::new();
        self.words = BTreeMap::new();
        self.words_named = Default::default();
        self.gazetteer.drop_matcher();
    }

    pub fn type_id(&self, name: &str) -> Option<usize> {
        self.types.iter().position(|t| t.name == name)
    }

    pub fn relation_id(&self, name: &str) -> Option<usize> {
        self.relations.iter().position(|r| r.name == name)
    }

    /// A word list for a language, falling back to the language-free one.
    pub fn word_list(&self, name: &str, lang: Option<&str>) -> Option<&WordList> {
        lang.and_then(|l| self.words.get(&format!("{name}@{l}"))).or_else(|| self.words.get(name))
    }

    /// Every language's list called `name` (`name`, `name@en`, `name@fr`…).
    pub fn word_lists(&self, name: &str) -> impl Iterator<Item = &WordList> + '_ {
        let name = name.to_string();
        self.words.iter().filter(move |(k, _)| k.split('@').next() == Some(name.as_str())).map(|(_, l)| l)
    }

    /// The names of the word lists, without their languages.
    pub fn word_list_names(&self) -> Vec<String> {
        self.words.keys().map(|k| k.split('@').next().unwrap_or(k).to_string()).collect()
    }

    /// Languages the pack knows: those with a `stopwords@lang` list.
    pub fn languages(&self) -> Vec<String> {
        self.words.keys().filter_map(|k| k.strip_prefix("stopwords@").map(str::to_string)).collect()
    }

    pub fn date_type(&self) -> Option<usize> {
        self.type_id(DATE_TYPE)
    }

    /// What the pack was made from, as one number: its files (named from
    /// the pack folder, so that a moved pack keeps it), their contents and
    /// the engine's version. A changed pack invalidates cached extractions.
    pub fn fingerprint(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for (path, hash) in &self.inputs {
            h.update(path.strip_prefix(&self.root).unwrap_or(path).to_string_lossy().as_bytes());
            h.update(&hash.map_or([0xff; 9], |x| {
                let mut b = [0; 9];
                b[1..].copy_from_slice(&x.to_le_bytes());
                b
            }));
        }
        h.update(env!("CARGO_PKG_VERSION").as_bytes());
        h.digest()
    }
}
