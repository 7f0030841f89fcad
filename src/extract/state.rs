//! What the extractor remembers across the sentences of one document:
//! entities seen, partial names, events and the last mention of each type.

use super::dates::Date;
use super::model::{Entity, EventIdentity, Fact, Object, Provenance};
use crate::pack::Pack;
use crate::text::fold;
use rustc_hash::FxHashMap as HashMap;

/// A `fallback` rule's fact about `main(T)` (the types in `mask`) whose
/// subject is not known yet.
#[derive(Debug)]
pub struct MainGuess {
    pub mask: u64,
    /// The rule's `priority`: among guesses, the higher stands.
    pub priority: i32,
    pub relation: usize,
    pub object: Object,
    pub provenance: Provenance,
}

/// The gazetteer attribute naming a person's family name where it does not
/// come last ("Yoon Suk Yeol": `surname=Yoon`).
pub const SURNAME: &str = "surname";

/// Title records a document keeps at least (see `DocState::titled_as`).
const TITLED_KEPT: usize = 256;

/// Most provenance records kept for one fact in one document.
pub const MAX_SOURCES: usize = 16;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Entity(usize),
    Date(Date),
}

#[derive(Debug)]
enum Ident {
    Gazetteer(usize),
    /// Folded words of the fullest name seen.
    Named(Vec<String>),
    Event(usize),
}

#[derive(Debug)]
struct DocEntity {
    ty: usize,
    ident: Ident,
    labels: Vec<(String, String)>,
    /// Other names the text used for it, (language, text).
    aliases: Vec<(String, String)>,
    /// Family names that stand for it alone, where they do not end its
    /// name (the gazetteer's `surname` attribute), folded.
    surnames: Vec<Vec<String>>,
    /// The [`name_words`] of its labels, then of its aliases: each person
    /// the text names is compared with every listed one the document has,
    /// and folding their names again each time was most of the
    /// allocations of a run. Emptied when a label or an alias is added.
    name_words: std::cell::OnceCell<Vec<Vec<String>>>,
}

impl DocEntity {
    fn new(ty: usize, ident: Ident, labels: Vec<(String, String)>, surnames: Vec<Vec<String>>) -> Self {
        DocEntity { ty, ident, labels, aliases: Vec::new(), surnames, name_words: Default::default() }
    }

    /// The words of each of its names, labels first (see [`name_words`]).
    fn names_words(&self) -> &[Vec<String>] {
        self.name_words.get_or_init(|| self.labels.iter().chain(&self.aliases).map(|(_, l)| name_words(l)).collect())
    }

    /// Adds a name the text used for it.
    fn add_alias(&mut self, lang: &str, text: String) {
        self.aliases.push((lang.to_string(), text));
        self.name_words.take();
    }
}

/// A rule's mention of an event, which [`DocState::event`] joins to an
/// event the document already has or makes a new one of.
#[derive(Clone, Copy, Debug)]
pub struct EventMention<'a> {
    pub ty: usize,
    /// Its kind, `family/narrower` ("summit/summit_for_democracy").
    pub kind: &'a str,
    /// The identifying relations the mention gives it, and their values.
    pub attrs: &'a [(usize, Value)],
    /// Values of events named before that a value of the mention lies
    /// inside (a city and its country, by the gazetteer): (value, outer).
    pub within: &'a [(Value, Value)],
    /// Values of events named before that lie inside a value of the
    /// mention (the city of a visit whose country a later mention names):
    /// (inner, value).
    pub around: &'a [(Value, Value)],
    /// Values the mention named with another of its values inside them
    /// ("at NATO Headquarters, in Brussels": Brussels), left out of `attrs`
    /// as saying nothing more of which event this is.
    pub implied: &'a [Value],
    pub label: &'a str,
    /// The number its name carries ("the 9th Trilateral Summit").
    pub ordinal: Option<u32>,
    pub lang: &'a str,
    /// The token where the mention starts in the sentence being read, past
    /// a word that makes it another event ("next" of "the next summit"), so
    /// that a rule that reads the name from the word after it finds the same
    /// place.
    pub at: usize,
    /// A new event whatever came before ("the previous summit").
    pub fresh: bool,
    /// Said in passing (`background yes`): no fallback of `last` or `main`.
    pub background: bool,
}

#[derive(Debug)]
struct EventState {
    kind: String,
    entity: usize,
    /// Only `background yes` rules named it: no fallback of `last` or
    /// `main` gives it.
    background: bool,
    /// The folded words of every name the text gave it, for `last(Event,cap)`.
    words: Vec<String>,
    /// Identifying relations and their values.
    attrs: Vec<(usize, Value)>,
    /// The number a name of it gave it ("the 9th Trilateral Summit",
    /// « le XVIIe Sommet »): two numbers are two events.
    ordinal: Option<u32>,
    /// The first and the last day of the dates the text gave it so far.
    days: Option<(i64, i64)>,
    /// Where the text last named it: the mentions counted before its
    /// sentence, and the token in the sentence.
    named_at: (usize, usize),
}

/// A name's folded tokens and its one entity (`None` once two share it).
type NameOwner = (Vec<String>, Option<usize>);

#[derive(Debug, Default)]
pub struct DocState {
    entities: Vec<DocEntity>,
    gazetteer: HashMap<usize, usize>,
    events: Vec<EventState>,
    /// The last entity mentioned, per type.
    pub last: HashMap<usize, usize>,
    /// Per type, the last sentence (its index) that named one, and the
    /// entities it named, in the order named.
    together: HashMap<usize, (usize, Vec<usize>)>,
    /// Mentions per entity in the sentences read so far, and the order of
    /// its first mention among the entities mentioned.
    counts: HashMap<usize, (usize, usize)>,
    /// How many times each fact was read in this document.
    fact_counts: HashMap<(usize, usize, Object), usize>,
    /// The title words the text gave with each mention of an entity of a
    /// type with titles ("secretary of state" for "Secretary of State
    /// Antony Blinken"), in the order read: `titled(…)` reads "the
    /// Secretary" as the latest one whose words hold its own.
    titled: Vec<(Vec<String>, usize)>,
    /// The last word of each name of several words that the document gave
    /// an entity of a type with partial names, and that entity; `None` once
    /// two entities end with the word.
    family_names: HashMap<String, Option<usize>>,
    /// Each such name of several words, whole, and its entity (`None` once
    /// two entities share it): the text may repeat it with nothing that
    /// marks it as a name ("… et s'est entretenu avec Ana Brnabić").
    full_names: HashMap<Vec<String>, Option<usize>>,
    /// The names of several words that rules gave entities of a type with
    /// `repeats_names`, as folded tokens, by their first token, and their
    /// entity (`None` once two entities share the name).
    repeated_names: HashMap<String, Vec<NameOwner>>,
    /// The acronyms the document defined in brackets after a name ("the
    /// League of Arab States (LAS)"), as written, and the entity named;
    /// `None` once two names got the same one.
    acronyms: HashMap<String, Option<usize>>,
    /// Facts of `fallback` rules with their rules' priorities, in the
    /// order made, held until the document is read (see
    /// [`DocState::settle_fallbacks`]).
    deferred: Vec<(i32, Fact)>,
    /// The first and last day among the deferred dates of each subject:
    /// `narrated_day` asks for every sentence, and a long document defers
    /// many facts.
    deferred_days: HashMap<usize, (i64, i64)>,
    /// Guesses of `fallback` rules about `main(T)` made before the text
    /// named any T (a dateline above the first sentence): their subject is
    /// the main T once the document is read.
    deferred_main: Vec<MainGuess>,
    /// The event the latest heading of the document named, alone: the
    /// section under "General Affairs Council" in a report of two
    /// Councils is about that Council, though the other was mentioned more.
    section: Option<usize>,
    /// The entities of the lines of their own near the top that name no
    /// event ("Senator the Hon Ann Lee, Minister for Foreign Affairs"), in
    /// the order read: the byline `first(…)` takes its entity from.
    bylines: Vec<Vec<usize>>,
    /// When each entity was last mentioned, counted in mentions.
    latest: HashMap<usize, usize>,
    clock: usize,
    /// The document's date, when known.
    pub today: Option<Date>,
}

/// Days after an event's start during which a document of that date is
/// taken to report it: the last day of a summit, or the day after.
const REPORTED_WITHIN_DAYS: i64 = 3;

impl DocState {
    /// The gazetteer entry of the entity, or of the listed entity the
    /// document also names with the same words: "Minister Joly" in a
    /// headline makes a named entity that "The Honourable Mélanie Joly"
    /// then completes, while "Mélanie Joly" alone is the listed one. Their
    /// attributes are the person's either way.
    pub fn entry_of(&self, entity: usize) -> Option<usize> {
        let e = &self.entities[entity];
        match &e.ident {
            Ident::Gazetteer(g) => Some(*g),
            Ident::Named(words) => self.entities.iter().find_map(|o| match o.ident {
                Ident::Gazetteer(g) if o.ty == e.ty && o.labels.iter().chain(&o.aliases).any(|(_, l)| folded_words(l) == *words) => Some(g),
                _ => None,
            }),
            Ident::Event(_) => None,
        }
    }

    /// A key for the entity, for templates (events: their kind). Other
    /// entities get a placeholder that [`resolve`](Self::resolve) and
    /// `finish` turn into their key: a key may still change ("Abe" in a
    /// headline becomes the listed "Shinzo Abe" below it), and an event kind
    /// made from it ("visit-{a}") must not change with it, or one visit
    /// becomes two.
    pub fn key(&self, entity: usize) -> String {
        match &self.entities[entity].ident {
            Ident::Event(i) => self.events[*i].kind.clone(),
            _ => format!("{KEY_OF}{entity}{KEY_OF}"),
        }
    }

    /// A template's text with the placeholders of [`key`](Self::key)
    /// replaced by the keys the entities have now.
    pub fn resolve(&self, pack: &Pack, text: &str) -> String {
        resolve_with(text, |e| self.key_now(pack, e))
    }

    /// The entity's key as known now: its entry's, its fullest name's, or
    /// (an event) its kind.
    fn key_now(&self, pack: &Pack, entity: usize) -> String {
        match &self.entities[entity].ident {
            Ident::Gazetteer(g) => pack.gazetteer.entries[*g].key.clone(),
            Ident::Named(words) => words.join("-"),
            Ident::Event(i) => self.events[*i].kind.clone(),
        }
    }

    pub fn ty(&self, entity: usize) -> usize {
        self.entities[entity].ty
    }

    /// The entity's label in `lang`, else its first label.
    pub fn label(&self, entity: usize, lang: &str) -> Option<&str> {
        let labels = &self.entities[entity].labels;
        labels.iter().find(|(l, _)| l == lang).or(labels.first()).map(|(_, text)| text.as_str())
    }

    fn add_label(&mut self, entity: usize, lang: &str, label: &str) {
        let e = &mut self.entities[entity];
        if !e.labels.iter().any(|(l, _)| l == lang) {
            e.labels.push((lang.to_string(), one_line(label).into_owned()));
            e.name_words.take();
        }
    }

    /// The entity of a gazetteer entry, labelled in the document's language.
    ///
    /// For a type with partial names, a name the document gave before the
    /// entry's ("Secretary Blinken's Meeting with …" in a headline, "Antony
    /// J. Blinken" in the text) becomes the entry's entity: one person,
    /// whichever name came first, as [`named`](Self::named) does for names
    /// the gazetteer does not list. `parents` as for `named`.
    pub fn gazetteer(&mut self, pack: &Pack, entry: usize, lang: &str, parents: &[String]) -> usize {
        let e = &pack.gazetteer.entries[entry];
        let id = match self.gazetteer.get(&entry) {
            Some(&id) => id,
            None => {
                let surnames: Vec<Vec<String>> = e.attrs.get(SURNAME).into_iter().flatten().map(|n| folded_words(n)).collect();
                // Most documents name no one before the gazetteer does: the
                // entry's names are read only when someone was.
                let someone_named = pack.types.get(e.ty).is_some_and(|t| t.partial_names) && self.entities.iter().any(|o| o.ty == e.ty && matches!(o.ident, Ident::Named(_)));
                let earlier = if someone_named {
                    let names: Vec<Vec<String>> = e.labels.iter().map(|(_, l)| name_words(l)).collect();
                    self.entities.iter().position(|o| {
                        o.ty == e.ty
                            && matches!(&o.ident, Ident::Named(w) if surnames.contains(w) || names.iter().any(|n| ends_name(n, w, parents) || holds_word(n, w, parents) || adds_lineage(n, w, parents)))
                    })
                } else {
                    None
                };
                let id = match earlier {
                    Some(i) => {
                        let o = &mut self.entities[i];
                        o.ident = Ident::Gazetteer(entry);
                        o.surnames = surnames;
                        // The name it had is one the text used; the label is the entry's.
                        let seen = std::mem::take(&mut o.labels);
                        o.aliases.extend(seen);
                        o.name_words.take();
                        i
                    }
                    None => {
                        self.entities.push(DocEntity::new(e.ty, Ident::Gazetteer(entry), Vec::new(), surnames));
                        self.entities.len() - 1
                    }
                };
                self.gazetteer.insert(entry, id);
                id
            }
        };
        let label = e.label(lang).or_else(|| e.labels.first().map(|(_, l)| l.as_str())).unwrap_or(&e.key);
        self.add_label(id, lang, label);
        id
    }

    /// How often the document has named the gazetteer entry in the sentences
    /// it finished (`None`: it never named the entry).
    pub fn names_entry(&self, entry: usize) -> Option<usize> {
        let id = self.gazetteer.get(&entry)?;
        Some(self.counts.get(id).map_or(0, |c| c.0))
    }

    /// Records a name the text used for an entity, when it is not its label.
    pub fn saw(&mut self, entity: usize, lang: &str, text: &str) {
        let text = one_line(text);
        let e = &mut self.entities[entity];
        if e.labels.iter().any(|(_, l)| *l == text) || e.aliases.iter().any(|(_, a)| *a == text) {
            return;
        }
        e.add_alias(lang, text.into_owned());
    }

    /// An entity known by its name. With `partial`, a name that ends another
    /// name of the same type seen in the document ("Stoltenberg", "Jens
    /// Stoltenberg") is the same entity, whichever came first.
    ///
    /// With `partial`, a name also refers to a gazetteer entity of its type
    /// whose label it ends ("Stoltenberg" after "Jens Stoltenberg" was found
    /// in the gazetteer), and initials between a first and a last name are
    /// left out ("Antony J. Blinken" is "Antony Blinken").
    ///
    /// `parents` are the words after which a name part names a parent
    /// ("bin"): such a part is not the name of the whole.
    pub fn named(&mut self, ty: usize, name: &str, partial: bool, lang: &str, parents: &[String]) -> usize {
        let name = &one_line(name);
        let words = if partial { name_words(name) } else { folded_words(name) };
        let (found, gazetteer) = self.name_holder(ty, &words, partial, parents);
        if let Some(i) = gazetteer.or_else(|| if found.is_none() && partial { self.bearer_of_word(ty, &words, parents) } else { None }) {
            self.saw(i, lang, name);
            return i;
        }
        let id = match found {
            Some(i) => {
                if let Ident::Named(w) = &mut self.entities[i].ident {
                    if words.len() > w.len() {
                        *w = words.clone();
                        for l in &mut self.entities[i].labels {
                            l.1 = name.to_string();
                        }
                        self.entities[i].name_words.take();
                    }
                }
                self.add_label(i, lang, name);
                i
            }
            None => {
                self.entities.push(DocEntity::new(ty, Ident::Named(words.clone()), vec![(lang.to_string(), name.to_string())], Vec::new()));
                self.entities.len() - 1
            }
        };
        if partial {
            self.gave_full_name(id, words);
        }
        id
    }

    /// Records a name of several words the text gave an entity of a type
    /// with partial names (its folded words, as [`name_words`] makes them):
    /// its last word alone, or the name again, stands for the entity later
    /// in the document ("Mogherini and Bishop held a bilateral meeting"
    /// after "Federica Mogherini" and "Julie Bishop"), unless another
    /// entity's name ends or is the same.
    pub fn gave_full_name(&mut self, id: usize, words: Vec<String>) {
        // Not a regnal or generational number: "Aquino" stands for "Benigno
        // Aquino III".
        let last = match words.as_slice() {
            [.., family, number] if words.len() >= 3 && regnal_number(number) => family,
            [_, .., last] => last,
            _ => return,
        };
        // A listed surname that does not come last ("Xi" of "Xi Jinping",
        // "Moon" of "Moon Jae-in") stands for the entity too.
        let listed = self.entities.get(id).map_or(&[][..], |e| e.surnames.as_slice()).iter().filter_map(|s| match s.as_slice() {
            [w] => Some(w),
            _ => None,
        });
        for family in std::iter::once(last).chain(listed) {
            let owner = self.family_names.entry(family.clone()).or_insert(Some(id));
            if *owner != Some(id) {
                *owner = None;
            }
        }
        let owner = self.full_names.entry(words).or_insert(Some(id));
        if *owner != Some(id) {
            *owner = None;
        }
    }

    /// The entity of the type this name (its words) is of in the document:
    /// one the text named with it, or one the gazetteer lists, of whose
    /// names it is the end (the second), whichever comes first.
    fn name_holder(&self, ty: usize, words: &[String], partial: bool, parents: &[String]) -> (Option<usize>, Option<usize>) {
        for (i, e) in self.entities.iter().enumerate() {
            if e.ty != ty {
                continue;
            }
            match &e.ident {
                Ident::Named(w) if *w == words || (partial && (ends_name(w, words, parents) || ends_name(words, w, parents) || holds_word(words, w, parents))) => return (Some(i), None),
                Ident::Gazetteer(_)
                    if partial
                        && (e.surnames.iter().any(|s| s == words)
                            || e.names_words().iter().any(|listed| ends_name(listed, words, parents) || adds_second_surname(listed, words) || adds_lineage(listed, words, parents))) =>
                {
                    return (None, Some(i))
                }
                _ => {}
            }
        }
        (None, None)
    }

    /// Whether the document already has an entity of the type this partial
    /// name (its words) stands for.
    pub fn finds_name(&self, ty: usize, words: &[String], parents: &[String]) -> bool {
        self.name_holder(ty, words, true, parents) != (None, None) || self.bearer_of_word(ty, words, parents).is_some()
    }

    /// The one entity of the type whose name, as the document gave it or as
    /// the gazetteer lists it, has this single word somewhere but at its end:
    /// "Foreign Minister Rodríguez" after "Bruno Rodríguez Parrilla", "Prime
    /// Minister Lee" after "Lee Hsien Loong".
    fn bearer_of_word(&self, ty: usize, words: &[String], parents: &[String]) -> Option<usize> {
        let [word] = words else { return None };
        let holds = |name: &[String]| has_own_word(name, word, parents, 0);
        let bears = |e: &DocEntity| match &e.ident {
            Ident::Named(w) => holds(w),
            Ident::Gazetteer(_) => e.names_words().iter().any(|n| holds(n)),
            Ident::Event(_) => false,
        };
        let mut bearers = self.entities.iter().enumerate().filter(|(_, e)| e.ty == ty && bears(e));
        match (bearers.next(), bearers.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    }

    /// Whether the document has named anyone in full yet: most sentences of
    /// most documents need not look for family names.
    pub fn knows_family_names(&self) -> bool {
        !self.family_names.is_empty()
    }

    /// The one entity whose full name, given earlier in the document, ends
    /// with this folded word ("Singh" after "Daleep Singh").
    pub fn family_name(&self, word: &str) -> Option<usize> {
        self.family_names.get(word).copied().flatten()
    }

    /// Whether some name of several words the document gave ends with this
    /// folded word (whether or not two entities share it).
    pub fn is_family_name(&self, word: &str) -> bool {
        self.family_names.contains_key(word)
    }

    /// Records a name of several words (its tokens' folded forms) that a
    /// rule gave an entity of a type with `repeats_names`.
    pub fn gave_name(&mut self, entity: usize, norms: Vec<String>) {
        let Some(first) = norms.first().cloned() else { return };
        let names = self.repeated_names.entry(first).or_default();
        match names.iter_mut().find(|(n, _)| *n == norms) {
            Some((_, owner)) if *owner != Some(entity) => *owner = None,
            Some(_) => {}
            None => names.push((norms, Some(entity))),
        }
    }

    /// The longest name recorded by [`DocState::gave_name`] that the tokens
    /// from `at` spell, its length and its one entity.
    pub fn name_at(&self, norms: &[&str], at: usize) -> Option<(usize, usize)> {
        let names = self.repeated_names.get(norms[at])?;
        let spelled = |n: &[String]| norms.len() - at >= n.len() && n.iter().zip(&norms[at..]).all(|(a, b)| a == b);
        let (n, owner) = names.iter().filter(|(n, _)| spelled(n)).max_by_key(|(n, _)| n.len())?;
        owner.map(|e| (n.len(), e))
    }

    /// Whether rules gave any name that may repeat (most documents' rules
    /// give none).
    pub fn knows_names(&self) -> bool {
        !self.repeated_names.is_empty()
    }

    /// Records an acronym the text defined for an entity.
    pub fn define_acronym(&mut self, acronym: &str, entity: usize) {
        let owner = self.acronyms.entry(acronym.to_string()).or_insert(Some(entity));
        if *owner != Some(entity) {
            *owner = None;
        }
    }

    /// The one entity the document defined this acronym for.
    pub fn acronym(&self, word: &str) -> Option<usize> {
        self.acronyms.get(word).copied().flatten()
    }

    /// Whether the document defined any acronym (most define none).
    pub fn knows_acronyms(&self) -> bool {
        !self.acronyms.is_empty()
    }

    /// The one entity the document earlier named with these words, whole
    /// (folded as [`name_words`] folds them).
    pub fn full_name(&self, words: &[String]) -> Option<usize> {
        self.full_names.get(words).copied().flatten()
    }

    /// The event of that kind this mention refers to: the latest one whose
    /// identifying values agree, or a new one. A mention with no
    /// identifying value ("the summit") also refers to the latest event of
    /// a narrower kind of its family (`summit/summit_for_democracy`, named
    /// earlier); a mention that has values, or a narrower kind, only to its
    /// own kind, so that "the NATO summit in Vilnius" and two summits named
    /// apart stay apart. A mention whose name carries a number (`ordinal`,
    /// see [`DateWords::ordinal`](super::dates::DateWords::ordinal)) joins no event given another number ("since the
    /// 8th Trilateral Summit, held in Chengdu" is not the 9th, in Seoul).
    /// "Latest" is the one the text named last (see [`EventMention::at`]); a
    /// `fresh` mention joins none but one read at its own place.
    pub fn event(&mut self, mention: &EventMention) -> usize {
        let EventMention { ty, kind, attrs, within, around, implied, label, ordinal, lang, fresh, background, at } = *mention;
        // A numbered mention joins an event of that number, or an unnumbered
        // one the text has not dated yet: "the Extraordinary Summit … held on
        // 23 June" is not "the 41st Ordinary SADC Summit" to be held in August.
        let dated = |ev: &EventState| ev.attrs.iter().any(|(_, v)| matches!(v, Value::Date(_)));
        let same_kind = |ev: &EventState| {
            (ev.kind == kind
                || (attrs.is_empty() && ev.kind.strip_prefix(kind).is_some_and(|rest| rest.starts_with('/')))
                // An event a headline named without its actor ("Official visit
                // of the President to Algeria") is the one the text goes on
                // to name with it ("the President, A, went to Algeria").
                // Not one the text dated already: "the EU summit of 6 October"
                // is no headline's summit of the EU and the Western Balkans.
                || (!dated(ev) && narrows(kind, &ev.kind)))
                && (ordinal.is_none() || ev.ordinal == ordinal || (ev.ordinal.is_none() && !dated(ev)))
        };
        // A relation may have several values (organised by France and
        // Germany): a mention joins an event whose values hold its own ("the
        // EU summit" joins "the EU-Canada summit"), not one it would widen
        // ("the ASEAN-US summit" is not the ASEAN summit, "the EU-ASEAN
        // meeting" not the EU-AU one). But a mention that names several
        // values names them all: "the Japan-China meeting" is not "the
        // Japan-China-ROK meeting" of that morning.
        let values = |list: &[(usize, Value)], r: usize| list.iter().filter(|(r2, _)| *r2 == r).map(|(_, v)| v.clone()).collect::<Vec<_>>();
        // A name that opens an event's name is that event, whatever kind it
        // reads as: "the current session of the Islamic Summit" is "the
        // Islamic Summit Conference of the OIC" the text named before.
        let words = folded_words(label);
        let opens_name = |ev: &EventState| words.len() >= 2 && ordinal.is_none() && ev.words.len() > words.len() && ev.words.starts_with(&words);
        // And a name of three words or more the text gave an event is that
        // event, whatever kind it reads as: "held its 41st session, the
        // "Sultan Qaboos and Sheikh Sabah Summit"," (an alias the session
        // takes) and the summit so named.
        let given_name = |ev: &EventState| {
            let e = &self.entities[ev.entity];
            words.len() >= 3 && ordinal.is_none() && e.labels.iter().chain(&e.aliases).any(|(_, n)| folded_words(n) == words)
        };
        // A value inside one the event has is no other: "the state visit to
        // Mexico" takes its visitor to Monterrey on its second day. Not a
        // dated mention: "on 5 December he went on to Mumbai" would give the
        // whole visit the stage's day.
        let undated = !attrs.iter().any(|(_, v)| matches!(v, Value::Date(_)));
        // And a value around one the event has is no other either: the visit
        // to Kyiv of the headline is the one "to Ukraine" of the body, dated
        // or not (its date must still agree).
        // But a stage dated on one of the days of an event the text dated
        // over several is that event: "Il s'est rendu le lendemain à Oran",
        // after the visit to Algeria of 25 to 27 August.
        let on_its_days = |ev: &EventState, v: &Value| matches!(v, Value::Date(d) if ev.days.is_some_and(|(a, b)| a < b && (a..=b).contains(&d.days())));
        let stage = |ev: &EventState| attrs.iter().all(|(_, v)| !matches!(v, Value::Date(_)) || on_its_days(ev, v));
        // A mention that gives a value with the one around it the event has
        // ("at NATO Headquarters, in Brussels", for the meeting "in
        // Brussels" of the headline) only says where in it: no stage, dated
        // or not, and no second value.
        let refines = |v: &Value, given: &[Value]| within.iter().any(|(w, outer)| w == v && (given.contains(outer) || implied.contains(outer)));
        let holds = |ev: &EventState, had: &[Value], given: &[Value], v: &Value| {
            had.contains(v)
                || on_its_days(ev, v)
                || ((undated || stage(ev) || refines(v, given)) && within.iter().any(|(w, outer)| w == v && had.contains(outer)))
                || around.iter().any(|(inner, outer)| outer == v && had.contains(inner))
        };
        let joins = |ev: &&EventState| {
            (same_kind(ev) || opens_name(ev) || given_name(ev))
                && ev.attrs.iter().all(|(r, _)| {
                    let (had, given) = (values(&ev.attrs, *r), values(attrs, *r));
                    let named = given.iter().filter(|v| !refines(v, &given)).count();
                    given.iter().all(|v| holds(ev, &had, &given, v)) && (named < 2 || had.len() == named)
                })
        };
        // The event of the kind the text named last, not the one a rule made
        // last: "the Summit" after "the SADC Summit … the decision of the
        // Double Troika Summit … the Summit approved" is the SADC one.
        // A numbered mention ("ce IVe Sommet") is first the event of that
        // number, though an unnumbered one ("le précédent sommet") was
        // named since.
        let numbered = |ev: &&EventState| ordinal.is_some() && ev.ordinal == ordinal;
        // A bare mention among events of several numbers ("the 9th Summit
        // … since the 8th Summit, held in Chengdu … the Summit adopted") is
        // the one the text is about, the most mentioned: a past one of the
        // series is named in passing.
        // A fresh mention is another event than those named before, but not
        // than the one another rule read at the same place of the sentence
        // ("the next Quad meeting" read whole by one rule and from "Quad" by
        // another: see `EventMention::at`).
        let here = |ev: &&EventState| ev.named_at == (self.clock, at);
        let candidates: Vec<&EventState> = if fresh { self.events.iter().filter(here).collect() } else { self.events.iter().filter(joins).collect() };
        let series = ordinal.is_none() && {
            let mut numbers = candidates.iter().filter_map(|ev| ev.ordinal);
            numbers.next().is_some_and(|first| numbers.any(|n| n != first))
        };
        let mentioned = |ev: &EventState| if series { self.counts.get(&ev.entity).map_or(0, |c| c.0) } else { 0 };
        // A bare mention ("the summit") among events of its kind is the one
        // held on the document's day before one dated another day, though
        // named since ("… where he had attended the NATO summit the day
        // before. The summit took place in two parts" is the day's summit).
        let today = |ev: &EventState| attrs.is_empty() && self.on_documents_day(ev);
        let found = candidates.iter().max_by_key(|ev| (numbered(ev), mentioned(ev), today(ev), ev.named_at)).map(|ev| ev.entity);
        let entity = match found {
            Some(entity) => entity,
            None => {
                let idx = self.events.len();
                self.entities.push(DocEntity::new(ty, Ident::Event(idx), Vec::new(), Vec::new()));
                let entity = self.entities.len() - 1;
                self.events.push(EventState { kind: kind.to_string(), entity, background, words: Vec::new(), attrs: Vec::new(), ordinal: None, days: None, named_at: (0, 0) });
                entity
            }
        };
        if let Some(idx) = self.event_index(entity) {
            let ev = &mut self.events[idx];
            ev.background &= background;
            ev.named_at = ev.named_at.max((self.clock, at));
            // The headline's visit without a visitor takes the kind that names
            // one, so that the text's next mentions of that visit find it.
            if narrows(kind, &ev.kind) {
                ev.kind = kind.to_string();
            }
            ev.ordinal = ev.ordinal.or(ordinal);
            for w in words {
                if !ev.words.contains(&w) {
                    ev.words.push(w);
                }
            }
            // Every value of a relation the event had none of.
            let known: Vec<usize> = ev.attrs.iter().map(|(r, _)| *r).collect();
            ev.attrs.extend(attrs.iter().filter(|(r, _)| !known.contains(r)).cloned());
        }
        self.add_label(entity, lang, label);
        // "the High-Level Cooperation Council (HLCC) between Greece and
        // Türkiye", "the 42nd General Assembly of the Organization of
        // American States (OAS)" are also written without their acronym.
        if let Some(plain) = without_acronym(label) {
            self.saw(entity, lang, &plain);
        }
        // Another name of the event ("meeting of NATO Foreign Ministers"
        // after "NATO Foreign Ministers' meeting", "bilateral talks") is
        // kept as an alias, so that it is found by either; not a bare "the
        // meeting" (two words of some length make a name), nor a name the
        // others already say all of ("the NGC meeting" after "the NGC
        // meeting of 20 November"), which could as well be another's.
        let long_words = label.split_whitespace().filter(|w| w.chars().count() > 3).count();
        if label.split_whitespace().count() >= 3 || long_words >= 2 {
            // A name the event already has adds nothing: no folding then.
            let e = &self.entities[entity];
            let line = one_line(label);
            if !e.labels.iter().chain(&e.aliases).any(|(_, n)| *n == line) {
                let known: Vec<String> = e.labels.iter().chain(&e.aliases).flat_map(|(_, n)| folded_words(n)).collect();
                if folded_words(label).iter().any(|w| !known.contains(w)) {
                    self.saw(entity, lang, label);
                }
            }
        }
        entity
    }

    /// Makes an entity the gazetteer lists an event of that kind in this
    /// document (a rule read the head of its name as one: "summit" in
    /// "Chicago Summit"), so that later mentions of the kind join it as
    /// they would an event the rules named; named at token `at`.
    pub fn adopt_event(&mut self, entity: usize, kind: &str, at: usize) {
        let idx = match self.event_index(entity) {
            Some(idx) => idx,
            None => {
                let words = self.entities[entity].labels.iter().chain(&self.entities[entity].aliases).flat_map(|(_, n)| folded_words(n)).collect();
                self.events.push(EventState { kind: kind.to_string(), entity, background: false, words, attrs: Vec::new(), ordinal: None, days: None, named_at: (0, 0) });
                self.events.len() - 1
            }
        };
        let ev = &mut self.events[idx];
        ev.named_at = ev.named_at.max((self.clock, at));
    }

    /// Every value of an identifying relation the events named so far have.
    pub fn event_values(&self) -> impl Iterator<Item = &Value> {
        self.events.iter().flat_map(|ev| ev.attrs.iter().map(|(_, v)| v))
    }

    /// The event state of an entity: an event the rules named, or one the
    /// gazetteer lists that a rule made an event of this document.
    fn event_index(&self, entity: usize) -> Option<usize> {
        match self.entities[entity].ident {
            Ident::Event(idx) => Some(idx),
            _ => self.events.iter().position(|ev| ev.entity == entity),
        }
    }

    /// Whether one more reading of this fact should be kept: the first
    /// [`MAX_SOURCES`] of each fact in a document are, so that a text that
    /// repeats itself a million times does not carry a million records.
    pub fn keep_fact(&mut self, subject: usize, relation: usize, object: &Object) -> bool {
        let n = self.fact_counts.entry((subject, relation, object.clone())).or_default();
        *n += 1;
        *n <= MAX_SOURCES
    }

    /// Holds a fact of a `fallback` rule of this priority until the
    /// document is read.
    pub fn defer(&mut self, priority: i32, fact: Fact) {
        if let Object::Date(d) = fact.object {
            let day = d.days();
            let span = self.deferred_days.entry(fact.subject).or_insert((day, day));
            *span = (span.0.min(day), span.1.max(day));
        }
        self.deferred.push((priority, fact));
    }

    /// Holds a guess of a `fallback` rule about `main(T)` made before any T
    /// was named, until the document is read.
    pub fn defer_main(&mut self, guess: MainGuess) {
        self.deferred_main.push(guess);
    }

    /// The facts of `fallback` rules that stand, added to `facts`: for a
    /// functional relation no other rule gives the subject a value of,
    /// those of the first fallback match that gives it one (a start and
    /// an end date from one reading, not one from each) and agrees with
    /// the values other rules gave it. A match that
    /// gives a value another rule gave something else in the same sentence
    /// stands for nothing: "the NATO Summit on June 14, and the COP26
    /// Summit" leaves June 14 to the NATO Summit. Their identifying values
    /// are recorded now, so that a guess never kept a later mention from
    /// joining the event.
    pub fn settle_fallbacks(&mut self, pack: &Pack, facts: &mut Vec<Fact>) {
        if !self.deferred_main.is_empty() {
            for guess in std::mem::take(&mut self.deferred_main) {
                let relation = &pack.relations[guess.relation];
                let Some(s) = self.main(guess.mask).filter(|&s| relation.subjects & (1u64 << self.ty(s)) != 0) else { continue };
                if guess.object != Object::Entity(s) {
                    self.deferred.push((guess.priority, Fact { subject: s, relation: guess.relation, object: guess.object, provenance: guess.provenance }));
                }
            }
        }
        if self.deferred.is_empty() {
            return;
        }
        // In the order the text gave them, the guesses of rules of a higher
        // priority first: the first match that gives a subject a value is
        // the one that stands, and a last resort (a dateline's date for the
        // event the document reports) gives way to a guess read nearer the
        // event, wherever the text has it.
        self.deferred.sort_by_key(|(priority, f)| (std::cmp::Reverse(*priority), f.provenance.sentence));
        let deferred: Vec<Fact> = std::mem::take(&mut self.deferred).into_iter().map(|(_, f)| f).collect();
        self.deferred_days.clear();
        // The facts of one match share its provenance: that tells the match.
        let made_by = |f: &Fact| (f.provenance.sentence, f.provenance.start, f.provenance.end, f.provenance.rule.clone());
        let functional = facts.iter().filter(|f| pack.relations[f.relation].functional);
        let stated: HashMap<(usize, usize), Object> = functional.clone().map(|f| ((f.subject, f.relation), f.object.clone())).collect();
        let taken: rustc_hash::FxHashSet<(usize, &Object)> = functional.map(|f| (f.provenance.sentence, &f.object)).collect();
        // A reading is spent when a value it gives was another's in its
        // sentence, or disagrees with what a rule stated of its subject: a
        // guess fills a relation the rules left open (the start of a visit
        // "that will continue until tomorrow") only beside what they said.
        let spent: rustc_hash::FxHashSet<_> =
            deferred.iter().filter(|f| taken.contains(&(f.provenance.sentence, &f.object)) || stated.get(&(f.subject, f.relation)).is_some_and(|o| *o != f.object)).map(made_by).collect();
        // A guess of a relation that is not functional (a place) stands
        // where no rule gave the subject a value of that relation.
        let given: rustc_hash::FxHashSet<(usize, usize)> = facts.iter().map(|f| (f.subject, f.relation)).collect();
        let mut chosen: HashMap<usize, _> = HashMap::default();
        for fact in deferred {
            let stands = if pack.relations[fact.relation].functional {
                let by = made_by(&fact);
                !stated.contains_key(&(fact.subject, fact.relation)) && !spent.contains(&by) && *chosen.entry(fact.subject).or_insert_with(|| by.clone()) == by
            } else {
                !given.contains(&(fact.subject, fact.relation))
            };
            if !stands {
                continue;
            }
            if pack.relations[fact.relation].identifies {
                let value = match &fact.object {
                    Object::Date(d) => Value::Date(*d),
                    Object::Entity(e) => Value::Entity(*e),
                };
                self.set_event_attr(fact.subject, fact.relation, value);
            }
            if self.keep_fact(fact.subject, fact.relation, &fact.object) {
                facts.push(fact);
            }
        }
    }

    /// Counts a mention of an entity in a finished sentence.
    pub fn mentioned(&mut self, entity: usize) {
        let next = self.counts.len();
        self.counts.entry(entity).or_insert((0, next)).0 += 1;
        self.clock += 1;
        self.latest.insert(entity, self.clock);
    }

    /// Whether the names the text gave the entity hold all of `words`: for
    /// an event, all its names together; for another entity, one of them
    /// ("the Council" is the Arctic Council, not the Secretariat).
    /// `heads` are the folded words that open a name's complement.
    pub fn named_with(&self, entity: usize, words: &[String], heads: &[String]) -> bool {
        let e = &self.entities[entity];
        match e.ident {
            Ident::Event(idx) => words.iter().all(|w| self.events[idx].words.contains(w)),
            _ => e.labels.iter().chain(&e.aliases).any(|(_, name)| {
                let name = folded_words(name);
                // The first word in the name's head, before any complement:
                // "the Union" names the "African Union", not the
                // "Commission of the African Union".
                let head = name.iter().position(|w| heads.contains(w)).unwrap_or(name.len());
                words.iter().all(|w| name.contains(w)) && words.first().is_none_or(|w| name[..head].contains(w))
            }),
        }
    }

    /// Whether the event began on the document's day, or the text dated it
    /// over days that hold it (a report dated 2 December on the summit of
    /// 1–2 December).
    fn on_documents_day(&self, ev: &EventState) -> bool {
        self.today.is_some_and(|t| {
            let day = t.days();
            ev.days.is_some_and(|(a, b)| (a..=b).contains(&day)) || ev.attrs.iter().any(|(_, v)| matches!(v, Value::Date(d) if d.days() == day))
        })
    }

    /// The entity of the types in `mask` mentioned last among those whose
    /// names hold all of `words`; but, as for a bare mention (see
    /// [`event`](Self::event)), an event held on the document's day before
    /// one dated another day, though named since: "Le sommet s'est déroulé
    /// en deux temps" after "… où il avait pris part la veille au sommet de
    /// l'OTAN" is the day's summit.
    pub fn last_named(&self, mask: u64, words: &[String], heads: &[String]) -> Option<usize> {
        let today = |e: usize| matches!(self.entities[e].ident, Ident::Event(idx) if self.on_documents_day(&self.events[idx]));
        self.latest.iter().filter(|(e, _)| mask & (1u64 << self.entities[**e].ty) != 0 && self.named_with(**e, words, heads)).max_by_key(|(e, t)| (today(**e), **t)).map(|(e, _)| *e)
    }

    /// The most mentioned entity among the types of `mask` (the first on a
    /// tie), unless a heading named the section's event.
    pub fn main(&self, mask: u64) -> Option<usize> {
        self.ranked(mask).first().copied()
    }

    /// The entity of the types in `mask` the document's byline names: the
    /// only one of the first line near the top that names one and no event.
    /// Without such a line, the one the document mentioned first. A title
    /// may name the guest first ("Meeting with State Councilor Wang Yi"),
    /// the byline under it the one who writes.
    pub fn first(&self, mask: u64) -> Option<usize> {
        let of_mask = |e: &&usize| mask & (1u64 << self.entities[**e].ty) != 0;
        if let Some(line) = self.bylines.iter().find(|line| line.iter().any(|e| of_mask(&e))) {
            let mut named = line.iter().filter(of_mask);
            if let (Some(&e), None) = (named.next(), named.next()) {
                return Some(e);
            }
        }
        self.counts.iter().filter(|(e, _)| mask & (1u64 << self.entities[**e].ty) != 0).min_by_key(|(_, (_, first))| *first).map(|(e, _)| *e)
    }

    /// The event the latest heading named, if of the types in `mask`.
    pub fn section(&self, mask: u64) -> Option<usize> {
        self.section.filter(|&e| mask & (1u64 << self.entities[e].ty) != 0)
    }

    /// A heading names the events of the sentence: the only one becomes
    /// the section's event if it is among those the heading opens with
    /// (`opening`: named before any word outside a name, as in "United
    /// States – Visit to Paris by A"); with none or several, or one the
    /// heading names as its topic ("Preparation of the June European
    /// Council", under the Council that prepared it), the section stays.
    /// One near the top that names no event may be a byline.
    pub fn heading(&mut self, entities: &[usize], opening: &[usize], near_top: bool) {
        let is_event = |e: &usize| matches!(self.entities[*e].ident, Ident::Event(_));
        if near_top && !entities.is_empty() && !entities.iter().any(is_event) {
            self.bylines.push(entities.to_vec());
        }
        let mut events = entities.iter().filter(|e| is_event(e));
        if let (Some(&e), None) = (events.next(), events.next()) {
            if opening.contains(&e) {
                self.section = Some(e);
            }
        }
    }

    /// The entities of the types in `mask`, the most mentioned first, and
    /// among equals the first the text mentioned: a readout's headline
    /// names its subject first ("Secretary Blinken's Meeting with Wang
    /// Yi"), whatever order the entities were made in.
    ///
    /// When an event began on the document's date or a few days before,
    /// the events still to come go last: a report dated 15 May is about
    /// the meeting of 14–15 May, not the summit it prepared, though its
    /// title names the summit too. (Without an event under way, an
    /// announcement's main event is the one to come.)
    pub fn ranked(&self, mask: u64) -> Vec<usize> {
        let mut ranked: Vec<(usize, (usize, usize))> = self.counts.iter().filter(|(e, _)| mask & (1u64 << self.entities[**e].ty) != 0 && !self.in_background(**e)).map(|(e, n)| (*e, *n)).collect();
        let reporting = ranked.iter().any(|&(e, _)| self.started_ago(e).is_some_and(|d| (0..=REPORTED_WITHIN_DAYS).contains(&d)));
        ranked.sort_by_key(|&(e, (n, first))| (Some(e) != self.section, reporting && self.started_ago(e).is_some_and(|d| d < 0), std::cmp::Reverse(n), first));
        ranked.into_iter().map(|(e, _)| e).collect()
    }

    /// For an event whose date the text gave, the days from its start to
    /// the document's date (negative for an event to come).
    fn started_ago(&self, entity: usize) -> Option<i64> {
        let (Some(today), Ident::Event(idx)) = (self.today, &self.entities[entity].ident) else { return None };
        self.events[*idx].attrs.iter().find_map(|(_, v)| match v {
            Value::Date(d) => Some(today.days() - d.days()),
            Value::Entity(_) => None,
        })
    }

    /// Records that sentence `sentence` names `entity`, of type `ty`
    /// (`lasts(T)`): a later sentence's first mention of the type starts a
    /// new list.
    pub fn named_in_sentence(&mut self, sentence: usize, ty: usize, entity: usize) {
        let (at, list) = self.together.entry(ty).or_insert((sentence, Vec::new()));
        if *at != sentence {
            *at = sentence;
            list.clear();
        }
        if !list.contains(&entity) {
            list.push(entity);
        }
    }

    /// The entity of a type in `mask` that the sentence before `sentence`
    /// named first, if it named one.
    pub fn opener(&self, mask: u64, sentence: usize) -> Option<usize> {
        (0..64).filter(|t| mask & (1u64 << t) != 0).find_map(|t| self.named_just_before(t, sentence).first().copied())
    }

    /// Whether the sentence before `sentence` named `entity`.
    pub fn named_before(&self, entity: usize, sentence: usize) -> bool {
        self.named_just_before(self.entities[entity].ty, sentence).contains(&entity)
    }

    /// The entities of type `ty` the sentence before `sentence` named.
    fn named_just_before(&self, ty: usize, sentence: usize) -> &[usize] {
        self.together.get(&ty).filter(|(at, _)| at + 1 == sentence).map_or(&[], |(_, list)| list.as_slice())
    }

    /// For each type in `mask`, the entities that the last sentence naming
    /// one of that type named, in the order named.
    pub fn last_named_together(&self, mask: u64) -> Vec<usize> {
        let mut out = Vec::new();
        for (_, list) in (0..64).filter(|t| mask & (1u64 << t) != 0).filter_map(|t| self.together.get(&t)) {
            for &e in list {
                if !out.contains(&e) {
                    out.push(e);
                }
            }
        }
        out
    }

    /// Records the title words a mention of `entity` came with. Only the
    /// latest `TITLED_KEPT` records are looked through: a bare title refers
    /// to someone named not long before, and a document of megabytes must
    /// not make each lookup read all its names.
    pub fn titled_as(&mut self, words: Vec<String>, entity: usize) {
        if !words.is_empty() {
            if self.titled.len() >= 2 * TITLED_KEPT {
                self.titled.drain(..TITLED_KEPT);
            }
            self.titled.push((words, entity));
        }
    }

    /// The entity of the types in `mask` last named with all of `words`;
    /// the main one of those types if it was so named too: "the Secretary
    /// General" of a NATO release is its own, though the UN's was named
    /// last. Else one named with those words and no other title word:
    /// « le ministre » is the minister of foreign affairs named before, not
    /// the « Premier ministre » named since. Never one of `named_here`, the
    /// entities the sentence names elsewhere: in "The Secretary-General met
    /// Mr. A, Secretary-General of the Arab League", the first is not A.
    pub fn titled(&self, mask: u64, words: &[String], named_here: &[usize]) -> Option<usize> {
        if words.is_empty() {
            return None;
        }
        let main = self.main(mask).filter(|m| !named_here.contains(m));
        let (mut last, mut exact, mut main_held) = (None, None, false);
        let candidates = self.titled.iter().rev().take(TITLED_KEPT).filter(|(had, e)| mask & (1u64 << self.entities[*e].ty) != 0 && !named_here.contains(e) && words.iter().all(|w| had.contains(w)));
        for (had, e) in candidates {
            last.get_or_insert(*e);
            if exact.is_none() && had.iter().all(|w| words.contains(w)) {
                exact = Some(*e);
            }
            main_held |= main == Some(*e);
        }
        let last = last?;
        Some(main.filter(|&m| m != last && main_held).or(exact).unwrap_or(last))
    }

    /// Records a date the text gave an event (its start, its end).
    pub fn dated(&mut self, entity: usize, date: Date) {
        if let Ident::Event(idx) = self.entities[entity].ident {
            let day = date.days();
            let days = &mut self.events[idx].days;
            *days = Some(days.map_or((day, day), |(a, b)| (a.min(day), b.max(day))));
        }
    }

    /// Whether the text dated the event, and none of `dates` falls in its
    /// days: a sentence "on 5 December" is not about the dialogue of 4
    /// December.
    pub fn dated_apart(&self, entity: usize, dates: &[Date]) -> bool {
        let Ident::Event(idx) = self.entities[entity].ident else { return false };
        self.events[idx].days.is_some_and(|(a, b)| !dates.is_empty() && dates.iter().all(|d| !(a..=b).contains(&d.days())))
    }

    /// The first day of the dated event the text named last, when `last`,
    /// the last date it gave, is an earlier day and none of its events':
    /// "On the same day, Minister A held …" after "… raised the launch on
    /// November 21" is the day of the meeting narrated, not of the launch
    /// recalled.
    pub fn narrated_day(&self, last: Option<Date>) -> Option<Date> {
        let last = last?.days();
        // The dates fallback rules gave count too, though kept back until
        // the document ends.
        let guessed = |ev: &EventState| self.deferred_days.get(&ev.entity).copied();
        let dated = self.events.iter().filter(|ev| !ev.background).filter_map(|ev| Some((ev.days.or_else(|| guessed(ev))?, ev.named_at)));
        if dated.clone().any(|((a, b), _)| (a..=b).contains(&last)) {
            return None;
        }
        // A recalled day is an earlier one; a later one goes on the story.
        dated.max_by_key(|(_, at)| *at).filter(|((a, _), _)| *a > last).map(|((a, _), _)| Date::from_days(a))
    }

    /// The latest event starting on that date.
    pub fn event_on(&self, date: Date) -> Option<usize> {
        self.events.iter().rev().find(|ev| !ev.background && ev.attrs.iter().any(|(_, v)| *v == Value::Date(date))).map(|ev| ev.entity)
    }

    /// Whether only `background yes` rules named the event. Only events the
    /// rules made can be (a listed event a rule adopts never is), so no
    /// search of the events: this runs for every mention of a sentence.
    pub fn in_background(&self, entity: usize) -> bool {
        matches!(self.entities[entity].ident, Ident::Event(idx) if self.events[idx].background)
    }

    /// Records an identifying value of an event, unless it has one already.
    pub fn set_event_attr(&mut self, entity: usize, relation: usize, value: Value) {
        if let Some(idx) = self.event_index(entity) {
            let ev = &mut self.events[idx];
            if !ev.attrs.iter().any(|(r, _)| *r == relation) {
                ev.attrs.push((relation, value));
            }
        }
    }

    /// Drops an identifying value of an event that the document showed to
    /// be a misreading (see `RelationDecl::agrees_with`).
    pub fn forget_event_attr(&mut self, entity: usize, relation: usize, value: &Value) {
        if let Some(idx) = self.event_index(entity) {
            self.events[idx].attrs.retain(|(r, v)| !(*r == relation && v == value));
        }
    }

    /// The entities with their keys: gazetteer keys, slugs of names, and for
    /// events an identity the graph stage turns into a key.
    pub fn finish(self, pack: &Pack, doc_id: &str) -> Vec<Entity> {
        // Events' keys come below, from the keys of the others.
        let mut keys: Vec<String> = (0..self.entities.len()).map(|e| if matches!(self.entities[e].ident, Ident::Event(_)) { String::new() } else { self.key_now(pack, e) }).collect();
        // A name without a capital is a description, not a name ("a free
        // trade agreement", « l'accord de protection des investissements »):
        // another document's "free trade agreement" is another agreement, so
        // it stays in its document, as an undated event does. « l'accord de
        // Paris » is a name.
        // But the one entity of the document whose name holds all its words
        // ("the Canada-Ukraine Free Trade Agreement" after "Canada and
        // Ukraine sign free trade agreement") is what it describes.
        let described = |l: &str| l.split(|c: char| c.is_whitespace() || c == '-').all(|w| !w.chars().next().is_some_and(char::is_uppercase));
        let is_described = |e: &DocEntity| matches!(e.ident, Ident::Named(_)) && e.labels.iter().all(|(_, l)| described(l));
        let mut described_by: Vec<usize> = (0..self.entities.len()).collect();
        let descriptions: Vec<usize> = (0..self.entities.len()).filter(|&k| is_described(&self.entities[k])).collect();
        // A short form of a listed name that a rule read as a name of its
        // own ("the new Council of Europe Convention on violence against
        // women" in a headline, above the convention's full name) is that
        // entry, when it is the one listed entity of the document whose name
        // holds all its words, and more.
        let short = |e: &DocEntity| matches!(&e.ident, Ident::Named(w) if w.len() >= 3) && !is_described(e) && pack.types.get(e.ty).is_some_and(|t| t.repeats_names);
        let shorts: Vec<usize> = (0..self.entities.len()).filter(|&k| short(&self.entities[k])).collect();
        // Most documents have none: the names are folded only when needed.
        let named: Vec<Vec<Vec<String>>> = match descriptions.is_empty() && shorts.is_empty() {
            true => Vec::new(),
            false => self.entities.iter().map(|e| e.labels.iter().chain(&e.aliases).map(|(_, l)| folded_words(l)).collect()).collect(),
        };
        // The one other entity of k's type, of an identity `fits` accepts,
        // one of whose names holds all these words (and more, with `longer`).
        let holder = |k: usize, words: &[String], longer: bool, fits: &dyn Fn(&DocEntity) -> bool| {
            let mut holders = self
                .entities
                .iter()
                .enumerate()
                .filter(|&(j, o)| j != k && o.ty == self.entities[k].ty && fits(o) && named[j].iter().any(|n| (!longer || n.len() > words.len()) && words.iter().all(|w| n.contains(w))));
            match (holders.next(), holders.next()) {
                (Some((j, _)), None) => Some(j),
                _ => None,
            }
        };
        for k in descriptions {
            let words = self.entities[k].labels.first().map(|(_, l)| folded_words(l)).unwrap_or_default();
            let found = if words.len() >= 2 { holder(k, &words, false, &|o| !matches!(o.ident, Ident::Event(_)) && !is_described(o)) } else { None };
            keys[k] = match found {
                // Its name becomes an alias: the node is named as the name
                // says, whichever the text gave first.
                Some(j) => {
                    described_by[k] = j;
                    keys[j].clone()
                }
                None => format!("{}-{}", keys[k], slug(doc_id)),
            };
        }
        for k in shorts {
            let Ident::Named(words) = &self.entities[k].ident else { continue };
            if let Some(j) = holder(k, words, true, &|o| matches!(o.ident, Ident::Gazetteer(_))) {
                described_by[k] = j;
                keys[k] = keys[j].clone();
            }
        }
        let value_key = |v: &Value, keys: &[String]| match v {
            Value::Entity(x) => keys[*x].clone(),
            Value::Date(d) => d.to_string(),
        };
        // Kinds with the keys of the entities they name (see `key`).
        let kinds: Vec<String> = self.events.iter().map(|ev| resolve_with(&ev.kind, |x| keys[x].clone())).collect();
        // A document-local key for events: kind, identifying values, document.
        for (k, e) in self.entities.iter().enumerate() {
            if let Ident::Event(i) = e.ident {
                let ev = &self.events[i];
                let kind = &kinds[i];
                let mut parts = vec![kind.clone()];
                for (_, v) in &ev.attrs {
                    let part = value_key(v, &keys);
                    // A value the kind or another value already names says
                    // nothing more ("meeting-united_states-asean", organised
                    // by both).
                    if !kind.split(['-', '/']).any(|k| k == part) && !parts.contains(&part) {
                        parts.push(part);
                    }
                }
                parts.push(doc_id.to_string());
                keys[k] = format!("{}-{i}", slug(&parts.join("-")));
            }
        }
        self.entities
            .iter()
            .enumerate()
            .map(|(i, e)| Entity {
                ty: e.ty,
                key: keys[i].clone(),
                labels: self.entities[described_by[i]].labels.clone(),
                aliases: if described_by[i] == i { e.aliases.clone() } else { e.aliases.iter().chain(&e.labels).cloned().collect() },
                wikidata: match e.ident {
                    Ident::Gazetteer(g) => pack.gazetteer.entries[g].wikidata.clone(),
                    _ => None,
                },
                listed: matches!(e.ident, Ident::Gazetteer(_)),
                event: match e.ident {
                    Ident::Event(idx) => {
                        let ev = &self.events[idx];
                        let mut attrs: Vec<(String, String)> = ev.attrs.iter().map(|(r, v)| (pack.relations[*r].name.clone(), value_key(v, &keys))).collect();
                        attrs.sort();
                        Some(EventIdentity { kind: kinds[idx].clone(), attrs })
                    }
                    _ => None,
                },
            })
            .collect()
    }
}

/// Marks the entity number that stands for an entity's key in an event
/// kind (see [`DocState::key`]); no text holds it.
const KEY_OF: char = '\u{1}';

/// `text` with each placeholder of an entity number replaced by `key`'s
/// value for it.
fn resolve_with(text: &str, key: impl Fn(usize) -> String) -> String {
    if !text.contains(KEY_OF) {
        return text.to_string();
    }
    let mut out = String::new();
    for (i, part) in text.split(KEY_OF).enumerate() {
        // Odd parts are entity numbers.
        match (i % 2 == 1).then(|| part.parse::<usize>().ok()).flatten() {
            Some(e) => out.push_str(&key(e)),
            None => out.push_str(part),
        }
    }
    out
}

/// A name with an acronym in brackets inside it or at its end, left out:
/// "Council (HLCC) between" → "Council between", "Assembly of the OAS
/// (OAS)" → "Assembly of the OAS". `None` when there is none.
pub(crate) fn without_acronym(name: &str) -> Option<String> {
    let open = name.find(" (")?;
    let close = open + name[open..].find(')')?;
    let inner = &name[open + 2..close];
    let acronym = !inner.is_empty() && inner.chars().all(|c| c.is_uppercase() || c.is_ascii_digit() || c == '-' || c == '+');
    let rest = &name[close + 1..];
    (acronym && (rest.is_empty() || rest.starts_with(' ') && rest.trim().chars().next().is_some_and(char::is_alphanumeric))).then(|| format!("{}{}", &name[..open], rest))
}

/// Text as a label: a line wrapped in the source ("Volodymyr\nZelenskyy")
/// is one line, with single spaces.
fn one_line(s: &str) -> std::borrow::Cow<'_, str> {
    // Most mentions are on one line already: no copy to compare them.
    let single = |(i, c): (usize, char)| !c.is_whitespace() || (c == ' ' && i > 0 && i + 1 < s.len() && s.as_bytes()[i + 1] != b' ');
    if s.char_indices().all(single) {
        return s.into();
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ").into()
}

/// Whether an event kind is `of` narrowed with `-` (`visit-{a}` narrows
/// `visit`): a mention of it names the actor an event of `of` left out.
fn narrows(kind: &str, of: &str) -> bool {
    kind.strip_prefix(of).is_some_and(|rest| rest.starts_with('-'))
}

fn folded_words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in name.split_whitespace() {
        // A hyphenated name is one word ("Sung-han", "Tae-Yong", "Jean-Yves"):
        // "Han" does not name "Kim Sung-han". Not after a particle of two
        // letters or less: "Sisi" names "Abdel Fattah al-Sisi".
        let chunk = chunk.trim_matches(|c: char| !c.is_alphanumeric());
        if chunk.split_once('-').is_some_and(|(a, b)| a.chars().count() > 2 && b.chars().next().is_some_and(char::is_alphabetic)) {
            out.push(fold(chunk));
        } else if chunk.is_ascii() {
            // Folding ASCII is lowercasing: the words split before it are
            // the same, with no folded copy of the whole chunk.
            out.extend(chunk.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_ascii_lowercase));
        } else {
            out.extend(fold(chunk).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string));
        }
    }
    out
}

/// The folded words of a person-like name, without initials after the
/// first word ("Joseph R. Biden" → joseph, biden), nor before it where two
/// words are left ("R.M. Marty M. Natalegawa" → marty, natalegawa).
pub fn name_words(name: &str) -> Vec<String> {
    let words = folded_words(name);
    if words.len() < 3 {
        return words;
    }
    let last = words.len() - 1;
    let mut kept: Vec<String> = words.iter().enumerate().filter(|&(i, w)| i == last || w.chars().count() > 1).map(|(_, w)| w.clone()).collect();
    // Only the family name left: the first initial stays with it ("A. Smith").
    if kept.len() < 2 {
        kept.insert(0, words[0].clone());
    }
    kept
}

/// Whether `short` ends the name `long`, as "Biden" ends "Joseph Biden":
/// `long`'s last words, unless the word before them is one of `parents`
/// ("Salman" names the father in "Mohammed bin Salman", not him).
pub fn ends_name(long: &[String], short: &[String], parents: &[String]) -> bool {
    long.ends_with(short) && (long.len() == short.len() || !parents.contains(&long[long.len() - short.len() - 1]))
}

/// Whether a text name is a listed name of two words or more with one more
/// word after it: the second surname of Spanish and Portuguese names
/// ("Ollanta Humala Tasso", "Evo Morales Ayma" for the listed "Ollanta
/// Humala", "Evo Morales"), which the gazetteer seldom gives.
fn adds_second_surname(listed: &[String], name: &[String]) -> bool {
    listed.len() >= 2 && name.len() == listed.len() + 1 && name.starts_with(listed)
}

/// Whether a text name is a listed name followed by more of the lineage:
/// "Faisal bin Farhan bin Abdullah" for the listed "Faisal bin Farhan", a
/// father's name after a parent word (`parents`).
fn adds_lineage(listed: &[String], name: &[String], parents: &[String]) -> bool {
    listed.len() >= 2 && name.len() > listed.len() + 1 && name.starts_with(listed) && parents.contains(&name[listed.len()])
}

/// Whether a name of several words has the single word of `short` after its
/// first, and not as a parent's name: a headline's "President Alvarado" is
/// the "Carlos Alvarado Quesada" the text names in full after it, as
/// "President Alvarado" after the full name is (see `bearer_of_word`).
fn holds_word(long: &[String], short: &[String], parents: &[String]) -> bool {
    let [word] = short else { return false };
    long.len() > 1 && has_own_word(long, word, parents, 1)
}

/// Whether a name has `word` at position `from` or after, and not as the
/// name of a parent in it ("Tariq" in "Khalid bin Tariq").
fn has_own_word(name: &[String], word: &str, parents: &[String], from: usize) -> bool {
    name.iter().enumerate().skip(from).any(|(i, w)| w == word && (i == 0 || !parents.contains(&name[i - 1])))
}

/// Whether a word of a name is a number in Roman numerals after it ("III"
/// in "Benigno Aquino III", "VI" in "Felipe VI"), of two letters at least.
pub fn regnal_number(word: &str) -> bool {
    word.len() > 1 && crate::text::roman_letters(word)
}

/// Lowercase ASCII letters, digits and dashes: the form keys take.
pub fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::{adds_lineage, adds_second_surname, ends_name, name_words, one_line, without_acronym, DocEntity, DocState, EventMention, Ident, Value};
    use crate::extract::dates::Date;

    /// A plain English mention of an event at the start of a sentence.
    fn ev<'a>(ty: usize, kind: &'a str, label: &'a str) -> EventMention<'a> {
        EventMention { ty, kind, attrs: &[], within: &[], around: &[], implied: &[], label, ordinal: None, lang: "en", at: 0, fresh: false, background: false }
    }

    /// The same, with the values (a place, a date) the text gives it.
    fn placed<'a>(kind: &'a str, label: &'a str, attrs: &'a [(usize, Value)]) -> EventMention<'a> {
        EventMention { attrs, ..ev(0, kind, label) }
    }

    /// The words of a title or a name as the state compares them.
    fn words(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn another_name_of_an_event_is_an_alias_unless_it_is_bare() {
        let mut st = DocState::default();
        let talks = st.event(&ev(0, "bilateral-meeting", "talks between Ann Lee and Paul Brown"));
        assert_eq!(st.event(&ev(0, "bilateral-meeting", "bilateral talks")), talks);
        assert_eq!(st.event(&ev(0, "bilateral-meeting", "the talks")), talks);
        let aliases: Vec<&str> = st.entities[talks].aliases.iter().map(|(_, a)| a.as_str()).collect();
        assert!(aliases.contains(&"bilateral talks"), "{aliases:?}");
        assert!(!aliases.contains(&"the talks"), "{aliases:?}");
    }

    #[test]
    fn a_lineage_after_a_listed_name_is_that_person() {
        let parents = words("bin bint ibn");
        assert!(adds_lineage(&words("faisal bin farhan"), &words("faisal bin farhan bin abdullah"), &parents));
        assert!(!adds_lineage(&words("faisal bin farhan"), &words("faisal bin farhan al saud"), &parents), "a family name is no parent's");
        assert!(!adds_lineage(&words("faisal bin farhan"), &words("faisal bin farhan bin"), &parents), "a parent word alone names no one");
        assert!(!adds_lineage(&words("faisal"), &words("faisal bin farhan"), &parents), "one listed word is too little");
    }

    #[test]
    fn a_second_surname_after_a_listed_name_is_that_person() {
        assert!(adds_second_surname(&words("ollanta humala"), &words("ollanta humala tasso")));
        // One word more only, after a listed name of two words or more.
        assert!(!adds_second_surname(&words("ollanta humala"), &words("ollanta humala tasso x")));
        assert!(!adds_second_surname(&words("lula"), &words("lula silva")));
        assert!(!adds_second_surname(&words("evo morales"), &words("juan evo morales")));
    }

    #[test]
    fn a_listed_surname_that_does_not_end_the_name_stands_for_the_person() {
        let mut st = DocState::default();
        st.entities.push(DocEntity::new(0, Ident::Gazetteer(3), Vec::new(), vec![words("xi")]));
        st.gave_full_name(0, words("xi jinping"));
        assert_eq!(st.family_name("xi"), Some(0), "the listed surname");
        assert_eq!(st.family_name("jinping"), Some(0), "the last word, as for any name");
    }

    #[test]
    fn a_regnal_number_is_no_family_name() {
        let mut st = DocState::default();
        st.gave_full_name(7, words("benigno aquino iii"));
        assert_eq!(st.family_name("aquino"), Some(7));
        assert_eq!(st.family_name("iii"), None);
        // A monarch's name of two words has no family name to give.
        st.gave_full_name(8, words("felipe vi"));
        assert_eq!(st.family_name("felipe"), None);
    }

    #[test]
    fn an_acronym_in_a_name_may_be_left_out() {
        assert_eq!(
            without_acronym("meeting of the High-Level Cooperation Council (HLCC) between Greece and Türkiye").as_deref(),
            Some("meeting of the High-Level Cooperation Council between Greece and Türkiye")
        );
        assert_eq!(
            without_acronym("42nd General Assembly of the Organization of American States (OAS)").as_deref(),
            Some("42nd General Assembly of the Organization of American States"),
            "at the end"
        );
        assert_eq!(without_acronym("summit (in Vilnius) of NATO"), None, "no acronym");
        assert_eq!(without_acronym("Council (HLCC)."), None, "nothing after but a dot");
    }

    #[test]
    fn a_listed_event_a_rule_reads_as_of_a_kind_is_joined_like_a_named_one() {
        let mut st = DocState::default();
        let (event_type, held_in) = (0, 0);
        // Stand-ins for a summit the gazetteer lists and two places.
        let chicago_summit = st.named(event_type, "Chicago Summit", false, "en", &[]);
        let (chicago, brussels) = (st.named(1, "Chicago", false, "en", &[]), st.named(1, "Brussels", false, "en", &[]));
        st.adopt_event(chicago_summit, "summit", 3);
        st.set_event_attr(chicago_summit, held_in, Value::Entity(chicago));
        assert_eq!(st.event(&ev(event_type, "summit", "the summit")), chicago_summit, "a bare mention joins it");
        assert_eq!(st.event(&placed("summit", "the summit in Chicago", &[(held_in, Value::Entity(chicago))])), chicago_summit);
        assert_ne!(st.event(&placed("summit", "the summit in Brussels", &[(held_in, Value::Entity(brussels))])), chicago_summit, "its place is known");
        // Adopting it again changes nothing.
        st.adopt_event(chicago_summit, "summit", 5);
        assert_eq!(st.events.iter().filter(|ev| ev.entity == chicago_summit).count(), 1);
    }

    #[test]
    fn a_bare_mention_joins_the_latest_event_of_a_narrower_kind() {
        let mut st = DocState::default();
        let (event_type, held_in) = (0, 0);
        let named = st.event(&ev(event_type, "summit/summit_for_democracy", "Summit for Democracy"));
        let other = st.event(&ev(event_type, "summit/summit_of_the_americas", "Summit of the Americas"));
        assert_ne!(named, other, "two summits named apart stay apart");
        assert_eq!(st.event(&ev(event_type, "summit", "the summit")), other, "a bare mention is the latest one named");
        // A mention with an identifying value keeps to its own kind.
        let place = st.event(&ev(event_type, "meeting", "a place stand-in"));
        let located = st.event(&placed("summit", "the summit in Vilnius", &[(held_in, Value::Entity(place))]));
        assert!(located != named && located != other);
        // And a narrower mention does not join the broader event.
        assert_ne!(st.event(&placed("summit/summit_for_democracy", "Summit for Democracy", &[(held_in, Value::Entity(place))])), located);
        // A new event ("the previous summit") joins none, though it could.
        let previous = st.event(&EventMention { fresh: true, at: 9, ..ev(event_type, "summit/summit_of_the_americas", "the previous Summit of the Americas") });
        assert!(previous != other && previous != named && previous != located);
        // But it is the one another rule read at the same place.
        assert_eq!(st.event(&EventMention { fresh: true, at: 9, ..ev(event_type, "summit", "Summit of the Americas") }), previous);
        assert_eq!(st.event(&ev(event_type, "summit/summit_of_the_americas", "the Summit of the Americas")), previous, "the latest of the kind");
    }

    #[test]
    fn a_name_that_opens_an_events_name_is_that_event_of_another_kind() {
        let mut st = DocState::default();
        let conference = st.event(&ev(0, "conference", "Islamic Summit Conference of the Organisation of Islamic Cooperation"));
        assert_eq!(st.event(&ev(0, "summit", "Islamic Summit")), conference);
        // Not a word of it alone, nor a name inside it that does not open it.
        assert_ne!(st.event(&ev(0, "summit", "Summit")), conference);
        assert_ne!(st.event(&ev(0, "meeting", "Islamic Cooperation")), conference);
    }

    #[test]
    fn a_name_the_text_gave_an_event_is_that_event_of_another_kind() {
        let mut st = DocState::default();
        let session = st.event(&ev(0, "session-gcc", "41st session"));
        st.saw(session, "en", "Sultan Qaboos and Sheikh Sabah Summit");
        assert_eq!(st.event(&ev(0, "summit", "Sultan Qaboos and Sheikh Sabah Summit")), session);
        // Not a part of that name, nor a name of two words.
        assert_ne!(st.event(&ev(0, "summit", "Sheikh Sabah Summit")), session);
        let retreat = st.event(&ev(0, "retreat", "leaders' retreat"));
        st.saw(retreat, "en", "Sunnylands Retreat");
        assert_ne!(st.event(&ev(0, "summit", "Sunnylands Retreat")), retreat);
    }

    #[test]
    fn a_bare_mention_joins_the_event_the_text_named_last_not_the_one_made_last() {
        let mut st = DocState::default();
        let sadc = st.event(&EventMention { at: 1, ..ev(0, "summit", "the SADC Summit") });
        st.mentioned(sadc);
        // "… the decision of the Double Troika Summit (token 4) …, the
        // Summit (token 9) approved": one rule read "the Summit" first.
        assert_eq!(st.event(&EventMention { at: 9, ..ev(0, "summit", "the Summit") }), sadc);
        let troika = st.event(&EventMention { at: 4, ..ev(0, "summit/double_troika", "Double Troika Summit") });
        assert_ne!(troika, sadc);
        st.mentioned(troika);
        st.mentioned(sadc);
        assert_eq!(st.event(&ev(0, "summit", "Summit")), sadc, "the next sentence's \"Summit\"");
        // A number names its event before recency does.
        let mut st = DocState::default();
        let fourth = st.event(&EventMention { ordinal: Some(4), lang: "fr", ..ev(0, "summit", "IVe Sommet") });
        st.mentioned(fourth);
        let previous = st.event(&EventMention { lang: "fr", fresh: true, ..ev(0, "summit", "le précédent sommet") });
        st.mentioned(previous);
        assert_eq!(st.event(&EventMention { ordinal: Some(4), lang: "fr", ..ev(0, "summit", "ce IVe Sommet") }), fourth);
        assert_eq!(st.event(&EventMention { lang: "fr", ..ev(0, "summit", "le sommet") }), fourth, "named last again");
        assert_ne!(fourth, previous);
    }

    #[test]
    fn the_main_entity_on_a_tie_is_the_first_the_text_mentioned() {
        let mut st = DocState::default();
        // Made in this order, mentioned in the other: "A met B" where B's
        // name came from the gazetteer before a rule made A's.
        let b = st.named(0, "Paul Brown", true, "en", &[]);
        let a = st.named(0, "Ann Lee", true, "en", &[]);
        st.mentioned(a);
        st.mentioned(b);
        assert_eq!(st.main(1), Some(a));
        st.mentioned(b);
        assert_eq!(st.main(1), Some(b), "the most mentioned first");
    }

    #[test]
    fn a_heading_makes_its_only_event_the_main_one() {
        let mut st = DocState::default();
        let fac = st.event(&ev(1, "council", "Foreign Affairs Council"));
        let gac = st.event(&ev(1, "council-general", "General Affairs Council"));
        for _ in 0..3 {
            st.mentioned(fac);
        }
        st.mentioned(gac);
        assert_eq!(st.main(2), Some(fac));
        st.heading(&[gac], &[gac], false);
        assert_eq!(st.main(2), Some(gac));
        // A heading that names both, or none, leaves the section as it was.
        st.heading(&[fac, gac], &[fac, gac], false);
        st.heading(&[], &[], false);
        assert_eq!(st.main(2), Some(gac));
        // So does one that names an event after other words: its topic.
        st.heading(&[fac], &[], false);
        assert_eq!(st.main(2), Some(gac));
    }

    #[test]
    fn a_background_event_is_no_fallback_of_main_or_of_a_date() {
        let mut st = DocState::default();
        let day = Date::new(2022, 10, 2).unwrap();
        let council = st.event(&ev(1, "council", "Foreign Affairs Council"));
        let election = st.event(&EventMention { attrs: &[(7, Value::Date(day))], background: true, ..ev(1, "election", "general elections of 2 October") });
        for _ in 0..3 {
            st.mentioned(election);
        }
        st.mentioned(council);
        assert_eq!(st.main(2), Some(council), "though mentioned more");
        assert_eq!(st.event_on(day), None, "though dated that day");
        // Named again by a rule in the foreground, it is an event like any other.
        assert_eq!(st.event(&ev(1, "election", "the elections")), election);
        assert_eq!(st.event_on(day), Some(election));
        assert_eq!(st.main(2), Some(election));
    }

    #[test]
    fn events_of_two_numbers_are_two_events() {
        let mut st = DocState::default();
        let ninth = st.event(&EventMention { ordinal: Some(9), ..ev(1, "summit", "9th Trilateral Summit") });
        assert_eq!(st.event(&ev(1, "summit", "The Summit")), ninth, "a bare mention joins the numbered one");
        let eighth = st.event(&EventMention { ordinal: Some(8), ..ev(1, "summit", "8th Trilateral Summit") });
        assert_ne!(eighth, ninth, "two numbers, two summits");
        assert_eq!(st.event(&EventMention { ordinal: Some(9), ..ev(1, "summit", "the 9th summit") }), ninth);
        // A bare mention after both: the one mentioned most.
        st.mentioned(ninth);
        st.mentioned(ninth);
        st.mentioned(eighth);
        assert_eq!(st.event(&ev(1, "summit", "the Summit")), ninth, "the series' most mentioned, not the last named");
    }

    #[test]
    fn the_first_entity_is_the_one_mentioned_first_however_often_others_are() {
        let mut st = DocState::default();
        let (person, place) = (2, 3);
        let byline = st.named(person, "Ann Lee", false, "en", &[]);
        let guest = st.named(person, "Paul Brown", false, "en", &[]);
        let city = st.named(place, "Beijing", false, "en", &[]);
        st.mentioned(city);
        st.mentioned(byline);
        for _ in 0..3 {
            st.mentioned(guest);
        }
        assert_eq!(st.first(1 << person), Some(byline));
        assert_eq!(st.main(1 << person), Some(guest));
        assert_eq!(st.first(1 << 5), None, "no entity of that type");
        // A byline under a title that named the guest first.
        st.heading(&[city], &[city], true);
        assert_eq!(st.first(1 << person), Some(byline), "a line without a person is no byline");
        st.heading(&[guest, city], &[guest, city], true);
        assert_eq!(st.first(1 << person), Some(guest));
        st.heading(&[byline], &[byline], true);
        assert_eq!(st.first(1 << person), Some(guest), "the first line that names one");
        let mut st2 = DocState::default();
        let (a, b) = (st2.named(person, "Ann Lee", false, "en", &[]), st2.named(person, "Paul Brown", false, "en", &[]));
        st2.mentioned(b);
        st2.mentioned(a);
        st2.heading(&[a, b], &[a, b], true);
        assert_eq!(st2.first(1 << person), Some(b), "a line of two persons names no one: the first mentioned");
    }

    #[test]
    fn a_bare_mention_joins_the_event_of_the_documents_day_before_one_named_since() {
        let date = |d| Value::Date(Date::new(2021, 6, d).unwrap());
        let mut st = DocState { today: Date::new(2021, 6, 16), ..DocState::default() };
        let geneva = st.event(&EventMention { attrs: &[(9, date(16))], ..ev(1, "summit", "Geneva summit") });
        let nato = st.event(&EventMention { attrs: &[(9, date(14))], ..ev(1, "summit", "NATO summit of the day before") });
        assert_ne!(geneva, nato);
        assert_eq!(st.event(&ev(1, "summit", "The summit")), geneva);
        assert_eq!(st.event(&EventMention { attrs: &[(9, date(14))], ..ev(1, "summit", "the summit of 14 June") }), nato, "a mention with values joins by them");
    }

    #[test]
    fn the_event_last_named_with_words_is_first_the_one_of_the_documents_day() {
        let date = |d| Value::Date(Date::new(2021, 6, d).unwrap());
        let mut st = DocState { today: Date::new(2021, 6, 16), ..DocState::default() };
        let geneva = st.event(&EventMention { attrs: &[(9, date(16))], ..ev(1, "summit", "Geneva summit") });
        st.mentioned(geneva);
        let nato = st.event(&EventMention { attrs: &[(9, date(14))], ..ev(1, "summit", "NATO summit") });
        st.mentioned(nato);
        assert_eq!(st.last_named(2, &words("summit"), &[]), Some(geneva), "the day's summit, though the other was named since");
        assert_eq!(st.last_named(2, &words("nato summit"), &[]), Some(nato));
        st.today = Date::new(2021, 6, 20);
        assert_eq!(st.last_named(2, &words("summit"), &[]), Some(nato), "on another day, the one named last");
        // A report dated on the second day of a summit held over two days.
        st.today = Date::new(2021, 6, 17);
        assert_eq!(st.last_named(2, &words("summit"), &[]), Some(nato));
        st.dated(geneva, Date::new(2021, 6, 17).unwrap());
        assert_eq!(st.last_named(2, &words("summit"), &[]), Some(geneva), "the day falls within its days");
    }

    #[test]
    fn a_stage_dated_on_one_of_a_visits_days_is_the_visit() {
        let (held_in, start) = (6, 9);
        let (algeria, oran, paris) = (Value::Entity(100), Value::Entity(101), Value::Entity(102));
        let day = |d| Value::Date(Date::new(2022, 8, d).unwrap());
        let stage = [(held_in, oran.clone()), (start, day(27))];
        let inside = [(oran.clone(), algeria.clone())];
        let mut one_day = DocState::default();
        let visit = one_day.event(&placed("visit", "visit to Algeria", &[(held_in, algeria.clone()), (start, day(25))]));
        assert_ne!(one_day.event(&EventMention { within: &inside, ..placed("visit", "went to Oran", &stage) }), visit, "a one-day visit has no other day");
        let mut st = DocState::default();
        let visit = st.event(&placed("visit", "visit to Algeria", &[(held_in, algeria.clone()), (start, day(25))]));
        st.dated(visit, Date::new(2022, 8, 25).unwrap());
        st.dated(visit, Date::new(2022, 8, 27).unwrap());
        assert_eq!(st.event(&EventMention { within: &inside, ..placed("visit", "went to Oran", &stage) }), visit, "Oran, on the visit's last day");
        let elsewhere = [(held_in, paris), (start, day(27))];
        assert_ne!(st.event(&placed("visit", "went to Paris", &elsewhere)), visit, "not a place outside the visit's");
        let later = [(held_in, oran), (start, day(29))];
        assert_ne!(st.event(&EventMention { within: &inside, ..placed("visit", "went to Oran", &later) }), visit, "not a day after it");
    }

    #[test]
    fn a_dated_meeting_at_a_venue_in_the_city_is_the_headlines_meeting_in_that_city() {
        let (held_in, start) = (6, 9);
        let (brussels, hq, paris) = (Value::Entity(100), Value::Entity(101), Value::Entity(102));
        let day = Value::Date(Date::new(2022, 1, 12).unwrap());
        let inside = [(hq.clone(), brussels.clone())];
        let mut st = DocState::default();
        let headline = st.event(&placed("meeting", "its first meeting", &[(held_in, brussels.clone())]));
        let venue = [(held_in, hq.clone()), (start, day.clone())];
        let city = [brussels.clone()];
        assert_eq!(st.event(&EventMention { within: &inside, implied: &city, ..placed("meeting", "met at NATO Headquarters, in Brussels", &venue) }), headline);
        let mut other = DocState::default();
        let headline = other.event(&placed("meeting", "its first meeting", &[(held_in, brussels.clone())]));
        let venue_alone = [(held_in, hq.clone()), (start, day.clone())];
        assert_ne!(other.event(&EventMention { within: &inside, ..placed("meeting", "met at NATO Headquarters", &venue_alone) }), headline, "a dated stage alone is no event of days");
        let two_cities = [(held_in, paris), (held_in, brussels), (start, day)];
        assert_ne!(other.event(&placed("meeting", "met in Paris and Brussels", &two_cities)), headline, "a second place is another meeting");
    }

    #[test]
    fn a_headlines_visit_without_its_visitor_is_the_one_the_text_names_with_him() {
        let (held_in, start) = (6, 9);
        let (algeria, oran) = (Value::Entity(100), Value::Entity(101));
        let day = |d| Value::Date(Date::new(2022, 8, d).unwrap());
        let mut st = DocState::default();
        let headline = st.event(&placed("visit", "Official visit of the President to Algeria", &[(held_in, algeria.clone())]));
        let named = st.event(&placed("visit-macron", "went to Algeria", &[(held_in, algeria.clone())]));
        assert_eq!(named, headline, "the headline's visit");
        st.set_event_attr(headline, start, day(25));
        st.dated(headline, Date::new(2022, 8, 25).unwrap());
        st.dated(headline, Date::new(2022, 8, 27).unwrap());
        let inside = [(oran.clone(), algeria.clone())];
        let stage = [(held_in, oran), (start, day(26))];
        assert_eq!(st.event(&EventMention { within: &inside, ..placed("visit-macron", "went on to Oran", &stage) }), headline, "its kind is now the visitor's");
        // Dated, an event is no headline's any more.
        let mut dated = DocState::default();
        let summit = dated.event(&placed("summit", "EU summit", &[(start, Value::Date(Date::new(2023, 10, 6).unwrap()))]));
        assert_ne!(dated.event(&ev(0, "summit-western-balkans", "EU-Western Balkans summit")), summit);
    }

    #[test]
    fn a_numbered_mention_joins_no_dated_event_without_a_number() {
        let mut st = DocState::default();
        let day = Value::Date(Date::new(2021, 6, 23).unwrap());
        let extraordinary = st.event(&ev(1, "summit", "Extraordinary Summit"));
        assert_eq!(st.event(&EventMention { ordinal: Some(40), ..ev(1, "summit", "the 40th Summit") }), extraordinary, "undated, it may be the 40th");
        let other = st.event(&ev(1, "meeting", "the Council meeting"));
        st.set_event_attr(other, 7, day);
        assert_ne!(st.event(&EventMention { ordinal: Some(41), ..ev(1, "meeting", "the 41st Ordinary meeting") }), other, "dated, it is not the 41st to come");
    }

    #[test]
    fn an_event_to_come_is_not_the_main_one_while_another_is_under_way() {
        let date = |m, d| Value::Date(Date::new(2025, m, d).unwrap());
        let at = |v: Value| [(9, v)];
        let mut st = DocState { today: Date::new(2025, 5, 15), ..DocState::default() };
        let summit = st.event(&EventMention { attrs: &at(date(6, 24)), ..ev(1, "summit", "NATO Summit in The Hague") });
        for _ in 0..3 {
            st.mentioned(summit);
        }
        assert_eq!(st.main(2), Some(summit), "an announcement is about the event to come");
        let past = st.event(&EventMention { attrs: &at(date(3, 1)), ..ev(1, "meeting", "the March meeting") });
        st.mentioned(past);
        assert_eq!(st.main(2), Some(summit), "an event long past is no report's subject");
        let ministerial = st.event(&EventMention { attrs: &at(date(5, 14)), ..ev(1, "ministerial", "informal meeting") });
        st.mentioned(ministerial);
        st.mentioned(ministerial);
        assert_eq!(st.main(2), Some(ministerial), "the report of 15 May is about the meeting of 14 May");
        // The summit goes last; the others keep their order by mentions.
        assert_eq!(st.ranked(2), [ministerial, past, summit]);
    }

    #[test]
    fn an_event_of_several_parties_is_not_joined_by_one_of_other_parties() {
        let org = |e: usize| (7, Value::Entity(e));
        let mut st = DocState::default();
        let (eu, au, asean) = (100, 101, 102);
        let eu_au = st.event(&EventMention { attrs: &[org(eu), org(au)], ..ev(1, "ministerial", "EU-AU Ministerial Meeting") });
        let eu_asean = st.event(&EventMention { attrs: &[org(eu), org(asean)], ..ev(1, "ministerial", "EU-ASEAN Ministerial Meeting") });
        assert_ne!(eu_au, eu_asean, "the values of neither hold those of the other");
        // One of the parties alone, or both again, is the same meeting.
        assert_eq!(st.event(&EventMention { attrs: &[org(asean)], ..ev(1, "ministerial", "the ministerial") }), eu_asean);
        assert_eq!(st.event(&EventMention { attrs: &[org(au), org(eu)], ..ev(1, "ministerial", "the EU-AU meeting") }), eu_au);
        // More parties than the event had make another meeting.
        let asean_summit = st.event(&EventMention { attrs: &[org(asean)], ..ev(1, "summit", "ASEAN Summit") });
        assert_ne!(st.event(&EventMention { attrs: &[org(asean), org(eu)], ..ev(1, "summit", "ASEAN-EU Summit") }), asean_summit);
        // Fewer parties, named all together, make another meeting too.
        let trilateral = st.event(&EventMention { attrs: &[org(eu), org(au), org(asean)], ..ev(1, "talks", "EU-AU-ASEAN talks") });
        assert_ne!(st.event(&EventMention { attrs: &[org(eu), org(au)], ..ev(1, "talks", "EU-AU talks") }), trilateral);
    }

    #[test]
    fn a_visit_named_by_its_city_is_the_one_a_later_mention_names_by_its_country() {
        let (held_in, start) = (3, 4);
        let day = Value::Date(Date::parse_iso("2022-05-30").unwrap());
        let (kyiv, ukraine, poland) = (Value::Entity(100), Value::Entity(101), Value::Entity(102));
        let mut st = DocState::default();
        let city = [(held_in, kyiv.clone()), (start, day.clone())];
        let visit = st.event(&placed("visit/a", "visit to Kyiv", &city));
        // Kyiv lies in Ukraine (the gazetteer says so; the caller finds it).
        let country = [(held_in, ukraine.clone()), (start, day.clone())];
        let around = [(kyiv.clone(), ukraine.clone())];
        assert_eq!(st.event(&EventMention { around: &around, ..placed("visit/a", "visit to Ukraine", &country) }), visit);
        // Without the gazetteer's word, or to another country, another visit.
        let other = [(held_in, poland), (start, day)];
        assert_ne!(st.event(&placed("visit/a", "visit to Poland", &other)), visit);
    }

    #[test]
    fn the_narrated_day_is_the_last_events_when_the_last_date_is_an_earlier_day_of_none() {
        let mut st = DocState::default();
        let meeting = st.event(&ev(1, "ministerial", "Foreign Ministers' Meeting"));
        assert_eq!(st.narrated_day(Date::new(2023, 11, 21)), None, "no dated event");
        st.dated(meeting, Date::new(2023, 11, 26).unwrap());
        assert_eq!(st.narrated_day(Date::new(2023, 11, 21)), Date::new(2023, 11, 26), "an earlier day, recalled");
        assert_eq!(st.narrated_day(Date::new(2023, 11, 26)), None, "the event's own day");
        assert_eq!(st.narrated_day(Date::new(2023, 11, 28)), None, "a later day goes on with the story");
    }

    #[test]
    fn an_event_dated_only_by_deferred_guesses_spans_their_days() {
        use crate::extract::model::{Fact, Object, Provenance};
        let mut st = DocState::default();
        let visit = st.event(&ev(1, "visit", "visit to Japan"));
        let guess = |day| Fact {
            subject: visit,
            relation: 0,
            object: Object::Date(Date::new(2023, 11, day).unwrap()),
            provenance: Provenance { sentence: 0, start: 0, end: 0, rule: "guess".into(), confidence: 1.0 },
        };
        st.defer(0, guess(26));
        st.defer(0, guess(24));
        assert_eq!(st.narrated_day(Date::new(2023, 11, 21)), Date::new(2023, 11, 24), "the first day guessed");
        assert_eq!(st.narrated_day(Date::new(2023, 11, 25)), None, "a day between the guesses is the event's own");
    }

    #[test]
    fn a_name_a_rule_gave_is_found_again_whole_and_longest_first() {
        let mut st = DocState::default();
        assert!(!st.knows_names());
        let norms = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        let fishing = st.named(1, "accord de peche", false, "fr", &[]);
        let fishing_plus = st.named(1, "accord de peche durable", false, "fr", &[]);
        st.gave_name(fishing, norms("accord de peche"));
        st.gave_name(fishing_plus, norms("accord de peche durable"));
        let text = ["l'", "accord", "de", "peche", "durable", "et", "l'", "accord", "de", "peche", "."];
        assert_eq!(st.name_at(&text, 1), Some((4, fishing_plus)), "the longest name spelled");
        assert_eq!(st.name_at(&text, 7), Some((3, fishing)));
        assert_eq!(st.name_at(&text, 8), None, "not from inside a name");
        assert_eq!(st.name_at(&text[..9], 7), None, "not a name cut short");
        // Two entities of one name: neither.
        st.gave_name(fishing_plus, norms("accord de peche"));
        assert_eq!(st.name_at(&text, 7), None);
    }

    #[test]
    fn the_event_last_named_with_words_is_found_by_them() {
        let mut st = DocState::default();
        let meeting = st.event(&ev(1, "ministerial", "meeting of NATO Foreign Ministers"));
        let summit = st.event(&ev(1, "summit", "NATO Summit"));
        st.mentioned(meeting);
        st.mentioned(summit);
        assert_eq!(st.last_named(2, &words("meeting"), &[]), Some(meeting));
        assert_eq!(st.last_named(2, &words("nato"), &[]), Some(summit), "the latest of those named so");
        assert_eq!(st.last_named(2, &words("conference"), &[]), None);
        // A later name of the same event counts too.
        st.event(&ev(1, "summit", "Warsaw meeting"));
        st.mentioned(summit);
        assert_eq!(st.last_named(2, &words("meeting"), &[]), Some(summit));
    }

    #[test]
    fn an_organisation_last_named_with_a_word_holds_it_in_one_name() {
        let mut st = DocState::default();
        let council = st.named(1, "Arctic Council", false, "en", &[]);
        let secretariat = st.named(1, "Nordic Secretariat", false, "en", &[]);
        st.mentioned(council);
        st.mentioned(secretariat);
        assert_eq!(st.last_named(2, &words("council"), &[]), Some(council), "not the organisation named last");
        assert_eq!(st.last_named(2, &words("nordic council"), &[]), None, "the words of one name, not of two");
    }

    #[test]
    fn an_organisation_named_with_a_word_has_it_before_its_complement() {
        let mut st = DocState::default();
        let heads = words("of de");
        let union = st.named(1, "African Union", false, "en", &[]);
        let commission = st.named(1, "Commission of the African Union", false, "en", &[]);
        st.mentioned(union);
        st.mentioned(commission);
        assert_eq!(st.last_named(2, &words("union"), &heads), Some(union), "not the commission named last");
        assert_eq!(st.last_named(2, &words("commission"), &heads), Some(commission));
        let lima = st.named(1, "Groupe de Lima", false, "fr", &[]);
        st.mentioned(lima);
        assert_eq!(st.last_named(2, &words("groupe"), &heads), Some(lima));
        assert_eq!(st.last_named(2, &words("lima"), &heads), None, "a complement names no body");
    }

    #[test]
    fn a_bare_title_is_the_one_last_named_with_it_or_the_main_one() {
        let mut st = DocState::default();
        let smith = st.named(0, "John Smith", true, "en", &[]);
        let brown = st.named(0, "Paul Brown", true, "en", &[]);
        let lee = st.named(0, "Ann Lee", true, "en", &[]);
        st.titled_as(words("secretary of state"), smith);
        st.titled_as(words("foreign minister"), brown);
        st.titled_as(words("prime minister"), lee);
        assert_eq!(st.titled(1, &words("secretary"), &[]), Some(smith));
        assert_eq!(st.titled(1, &words("foreign minister"), &[]), Some(brown));
        assert_eq!(st.titled(1, &words("minister"), &[]), Some(lee), "the latest");
        assert_eq!(st.titled(1, &words("president"), &[]), None);
        assert_eq!(st.titled(2, &words("secretary"), &[]), None, "another type");
        // Named with the title alone, before one with a longer title.
        let roy = st.named(0, "Anne Roy", true, "fr", &[]);
        st.titled_as(words("minister"), roy);
        st.titled_as(words("prime minister"), lee);
        assert_eq!(st.titled(1, &words("minister"), &[]), Some(roy), "the one named with the title alone");
        // The document's main person, when so named, over a later one.
        st.mentioned(brown);
        assert_eq!(st.titled(1, &words("minister"), &[]), Some(brown));
        // Not one the sentence names elsewhere: the next so named.
        assert_eq!(st.titled(1, &words("minister"), &[brown]), Some(roy));
        assert_eq!(st.titled(1, &words("secretary"), &[smith]), None);
    }

    #[test]
    fn a_family_name_before_the_full_name_is_that_person_wherever_it_stands_in_it() {
        let parents = ["bin".to_string()];
        let mut st = DocState::default();
        // A headline's "President Varga", then the text's double surname.
        let headline = st.named(0, "Varga", true, "en", &parents);
        let full = st.named(0, "Tomas Varga Molnar", true, "en", &parents);
        assert_eq!(full, headline);
        assert_eq!(st.label(full, "en"), Some("Tomas Varga Molnar"));
        assert_eq!(st.named(0, "Varga", true, "en", &parents), full, "and after it");
        // Not a given name, nor a parent's name.
        let tomas = st.named(0, "Tomas", true, "en", &parents);
        assert_ne!(st.named(0, "Tomas Brown", true, "en", &parents), tomas);
        let salman = st.named(0, "Salman", true, "en", &parents);
        assert_ne!(st.named(0, "Mohammed bin Salman Al Saud", true, "en", &parents), salman);
    }

    #[test]
    fn a_name_part_after_a_patronymic_word_is_the_parent() {
        let parents = ["bin".to_string()];
        let ends = |long: &str, short: &str| ends_name(&name_words(long), &name_words(short), &parents);
        assert!(ends("Joseph R. Biden", "Biden"));
        assert!(ends("Marty Natalegawa", "R.M. Marty M. Natalegawa"), "initials before the given name");
        assert!(ends("A. B. Smith", "A. Smith"), "one word left: the first initial stays");
        assert!(ends("Mohammed bin Salman Al Saud", "Al Saud"));
        assert!(!ends("Mohammed bin Salman", "Salman"));
        assert!(!ends("Salman bin Abdulaziz Al Saud", "Abdulaziz Al-Saud"));
        assert!(ends("Mohammed bin Salman", "Mohammed bin Salman"));
        assert!(!ends("Biden", "Joseph Biden"));
        // The lowercase half of a hyphenated given name is no surname.
        assert!(!ends("Kim Sung-han", "Han"));
        assert!(!ends("Kim Sung-Han", "Han"));
        assert!(ends("Abdel Fattah Al-Sisi", "Sisi"));
        assert!(ends("Kim Sung-han", "Sung-han"));
        assert!(ends("Abdel Fattah al-Sisi", "Sisi"));
        assert!(ends("Liz Sherwood-Randall", "Sherwood-Randall"));
        assert!(ends("Jean-Yves Le Drian", "Le Drian"));
    }

    #[test]
    fn one_line_joins_wrapped_text_with_single_spaces() {
        for (text, line) in [("Jens Stoltenberg", "Jens Stoltenberg"), ("Volodymyr\nZelenskyy", "Volodymyr Zelenskyy"), (" a  b ", "a b"), ("a\u{a0}b", "a b"), ("a \tb", "a b"), ("", "")] {
            assert_eq!(one_line(text), line);
        }
        assert!(matches!(one_line("NATO summit"), std::borrow::Cow::Borrowed(_)));
    }
}
