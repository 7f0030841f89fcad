//! Which rules a sentence can wake. A rule whose pattern needs words (one of
//! each group of `Program::required_ids`) is tried only in sentences that
//! hold them all, so a sentence costs a lookup per distinct word, not a
//! test per rule. Groups of stop words are left out (see [`Triggers::new`]):
//! waking is a filter, and the VM still decides whether a rule matches.

use crate::pack::Rule;

/// A set of rules, by their index in the pack.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleSet(Vec<u64>);

impl RuleSet {
    pub fn new(rules: usize) -> Self {
        RuleSet(vec![0; rules.div_ceil(64)])
    }

    pub fn insert(&mut self, rule: usize) {
        self.0[rule / 64] |= 1 << (rule % 64);
    }

    pub fn contains(&self, rule: usize) -> bool {
        self.0.get(rule / 64).is_some_and(|b| b & (1 << (rule % 64)) != 0)
    }

    /// The rules of the set in `from..to`, in order.
    pub fn range(&self, from: usize, to: usize) -> impl Iterator<Item = usize> + '_ {
        (from / 64..to.div_ceil(64))
            .flat_map(move |b| {
                let mut bits = self.0[b];
                std::iter::from_fn(move || {
                    let k = bits.trailing_zeros() as usize;
                    bits &= bits.wrapping_sub(1);
                    (k < 64).then_some(b * 64 + k)
                })
            })
            .filter(move |&r| from <= r && r < to)
    }
}

/// The words that wake each rule of a set (the rules of one language: a
/// sentence never looks at another language's rules).
#[derive(Debug, Clone, Default)]
pub struct Triggers {
    /// By word number `w`, `postings[starts[w]..starts[w + 1]]`: (rule, bit
    /// of the rule's group, how many groups the rule has) for each group of
    /// words a rule needs one of that holds this word. One flat array, not a
    /// vector per word: a sentence looks up every distinct word it has, with
    /// no pointer to follow, and the count spares a lookup per rule.
    starts: Vec<u32>,
    postings: Vec<(u32, u8, u8)>,
    /// How many rules the triggers were made for.
    rules: usize,
    /// Rules that need no particular word: tried in every sentence.
    always: RuleSet,
    /// Per rule, the mention types it needs (see [`TypeGate`]): most woken
    /// rules wait for a type the sentence lacks, and this tells it from a
    /// few bytes in one array rather than from the rule's program.
    gates: Vec<TypeGate>,
    /// The masks of the gates' groups of several types.
    any_of: Vec<u64>,
}

/// The mention types a rule needs: every type of `all`, and one of each
/// mask of `any_of[from..to]`.
#[derive(Debug, Clone, Copy, Default)]
struct TypeGate {
    all: u64,
    from: u32,
    to: u32,
}

impl Triggers {
    /// The triggers of the rules of `allowed`, among the pack's `rules`,
    /// for documents in `lang`. `common` tells the words of nearly every
    /// sentence (the language's stop words): a group holding one filters
    /// almost nothing, and its postings were most of those a sentence went
    /// through, so a rule is not woken by it while it has another group.
    pub fn new(rules: &[Rule], allowed: &RuleSet, lang: &str, common: impl Fn(u32) -> bool) -> Self {
        let mut t = Triggers { starts: Vec::new(), postings: Vec::new(), rules: rules.len(), always: RuleSet::new(rules.len()), gates: vec![TypeGate::default(); rules.len()], any_of: Vec::new() };
        let mut by_word: Vec<(u32, u32, u8, u8)> = Vec::new();
        for (r, rule) in rules.iter().enumerate().filter(|(r, _)| allowed.contains(*r)) {
            let program = rule.program_for(lang);
            let gate = &mut t.gates[r];
            gate.from = t.any_of.len() as u32;
            for &mask in &program.required_types {
                if mask.is_power_of_two() {
                    gate.all |= mask;
                } else {
                    t.any_of.push(mask);
                }
            }
            gate.to = t.any_of.len() as u32;
            // A rule needing more than 64 groups is woken by its first 64:
            // waking too often costs time, never a match.
            let required = &program.required_ids;
            let is_common = |g: &[u32]| g.iter().any(|&w| common(w));
            let all_common = required.iter().all(|g| is_common(g));
            let groups: Vec<&[u32]> = required.iter().map(|g| &g[..]).filter(|g| all_common || !is_common(g)).collect();
            let groups = &groups[..groups.len().min(64)];
            if groups.is_empty() {
                t.always.insert(r);
                continue;
            }
            for (g, group) in groups.iter().enumerate() {
                by_word.extend(group.iter().map(|&w| (w, r as u32, g as u8, groups.len() as u8)));
            }
        }
        by_word.sort_unstable();
        let words = by_word.last().map_or(0, |&(w, ..)| w as usize + 1);
        t.starts = Vec::with_capacity(words + 1);
        t.postings = by_word.iter().map(|&(_, r, g, n)| (r, g, n)).collect();
        let mut at = 0;
        for w in 0..=words {
            while by_word.get(at).is_some_and(|&(v, ..)| (v as usize) < w) {
                at += 1;
            }
            t.starts.push(at as u32);
        }
        t
    }

    /// Whether a sentence whose mentions have the types of `present` (a bit
    /// per type) has every type rule `r` needs: the rule cannot match
    /// otherwise.
    pub fn has_types(&self, r: usize, present: u64) -> bool {
        let gate = self.gates[r];
        gate.all & !present == 0 && self.any_of[gate.from as usize..gate.to as usize].iter().all(|&m| m & present != 0)
    }

    /// The (rule, group bit, groups) postings word number `w` stands in.
    fn postings(&self, w: u32) -> &[(u32, u8, u8)] {
        let w = w as usize;
        match (self.starts.get(w), self.starts.get(w + 1)) {
            (Some(&a), Some(&b)) => &self.postings[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The rules whose needed words a sentence holds, into `out`; `words`
    /// are the sentence's distinct word numbers.
    pub fn wake(&self, words: impl Iterator<Item = u32>, seen: &mut Seen, out: &mut RuleSet) {
        out.0.clear();
        out.0.extend_from_slice(&self.always.0);
        seen.next(self.rules);
        for w in words {
            for &(r, g, n) in self.postings(w) {
                let r = r as usize;
                let mask = seen.groups(r);
                *mask |= 1 << g;
                if *mask == u64::MAX >> (64 - n) {
                    out.insert(r);
                }
            }
        }
    }
}

/// Which groups of each rule a sentence has shown so far, kept from one
/// sentence to the next: a stamp tells stale masks from this sentence's.
#[derive(Debug, Default)]
pub struct Seen {
    stamp: u32,
    masks: Vec<(u32, u64)>,
}

impl Seen {
    fn next(&mut self, rules: usize) {
        self.stamp += 1;
        self.masks.resize(rules, (0, 0));
    }

    fn groups(&mut self, rule: usize) -> &mut u64 {
        let (stamp, mask) = &mut self.masks[rule];
        if *stamp != self.stamp {
            *stamp = self.stamp;
            *mask = 0;
        }
        mask
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::WordIndex;
    use crate::text::{tokenize, Abbreviations};

    /// The names of the rules of the company test pack a text wakes, among
    /// the rules `allowed` names (all when empty).
    fn woken_among(text: &str, allowed: &[&str]) -> Vec<String> {
        woken_with(text, allowed, false)
    }

    /// [`woken_among`], the pack's stop words taken as common words when
    /// `stop_words_common`.
    fn woken_with(text: &str, allowed: &[&str], stop_words_common: bool) -> Vec<String> {
        let pack = crate::pack::load_pack(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packs/company")).unwrap();
        let mut tokens = tokenize(text, 0..text.len(), &Abbreviations::default());
        pack.words_named.assign(&mut tokens);
        let mut set = RuleSet::new(pack.rules.len());
        (0..pack.rules.len()).filter(|&r| allowed.is_empty() || allowed.contains(&pack.rules[r].name.as_str())).for_each(|r| set.insert(r));
        let (mut seen, mut out) = (Seen::default(), RuleSet::default());
        let stop: Vec<u32> = pack.word_list("stopwords", Some("en")).unwrap().all().filter_map(|v| pack.words_named.get(&v[0])).collect();
        let triggers = Triggers::new(&pack.rules, &set, "en", |w| stop_words_common && stop.contains(&w));
        triggers.wake(WordIndex::new(&tokens).distinct(), &mut seen, &mut out);
        out.range(0, pack.rules.len()).map(|r| pack.rules[r].name.clone()).collect()
    }

    fn woken(text: &str) -> Vec<String> {
        woken_among(text, &[])
    }

    #[test]
    fn a_rule_wakes_when_every_word_group_it_needs_is_there() {
        let bought = woken("Acme bought Globex.");
        assert!(bought.contains(&"acquired_active".to_string()), "{bought:?}");
        assert!(!bought.contains(&"ceo_apposition".to_string()), "no comma, no CEO: {bought:?}");
        let ceo = woken("Jane Doe, the chief executive of Acme, spoke.");
        assert!(ceo.contains(&"ceo_apposition".to_string()), "{ceo:?}");
        assert!(!ceo.contains(&"acquired_active".to_string()), "{ceo:?}");
        // Half the words a rule needs do not wake it.
        assert!(!woken("Jane Doe, of Acme").contains(&"ceo_apposition".to_string()));
    }

    #[test]
    fn a_group_of_common_words_wakes_nothing_while_the_rule_needs_another() {
        // ceo_apposition needs ",", a CEO word and one of "of"/"at" ("of" is a stop word).
        let text = "Jane Doe, the chief executive, spoke.";
        assert!(woken_with(text, &[], true).contains(&"ceo_apposition".to_string()));
        assert!(!woken_with(text, &[], false).contains(&"ceo_apposition".to_string()));
        // Its other groups still filter.
        assert!(!woken_with("Jane Doe of Acme spoke.", &[], true).contains(&"ceo_apposition".to_string()));
    }

    #[test]
    fn only_the_rules_of_the_set_wake() {
        let text = "Jane Doe, the chief executive of Acme, said Acme bought Globex.";
        assert_eq!(woken_among(text, &["acquired_active"]), ["acquired_active"]);
        assert!(woken_among(text, &["headquartered"]).is_empty());
    }

    #[test]
    fn a_range_lists_the_members_inside_it_in_order() {
        let mut s = RuleSet::new(200);
        for r in [0, 5, 63, 64, 130, 199] {
            s.insert(r);
        }
        assert_eq!(s.range(0, 200).collect::<Vec<_>>(), [0, 5, 63, 64, 130, 199]);
        assert_eq!(s.range(5, 130).collect::<Vec<_>>(), [5, 63, 64]);
        assert_eq!(s.range(64, 65).collect::<Vec<_>>(), [64]);
        assert!(s.range(6, 63).next().is_none());
    }
}
