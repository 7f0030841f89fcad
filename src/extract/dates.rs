//! Dates, ranges and lists of days ("les 5 et 6 décembre 2017", "5-6 December
//! 2017", "March 23-24, 2021", "19/01/2015"), read with the pack's word lists
//! `months`, `weekdays` and `date_range` for the sentence's language.
//!
//! Relative dates ("yesterday", « le lendemain », "on Monday") are read when
//! the document has a date to count from: see [`Anchor`].

use crate::pack::Pack;
use crate::pattern::Vocab;
use crate::text::{fold, Token, TokenKind};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
        ((1..=12).contains(&month) && day >= 1 && day <= days[month as usize - 1]).then_some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    pub fn days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        Date { year: (yoe + era * 400 + i64::from(month <= 2)) as i32, month, day }
    }

    pub fn plus_days(self, n: i64) -> Date {
        Date::from_days(self.days() + n)
    }

    /// 0 for Monday … 6 for Sunday.
    pub fn weekday(self) -> usize {
        (self.days() + 3).rem_euclid(7) as usize
    }

    /// Parses `YYYY-MM-DD` (and ignores a time after it).
    pub fn parse_iso(s: &str) -> Option<Date> {
        let s = s.get(..10)?;
        let mut it = s.split('-');
        let (y, m, d) = (it.next()?.parse().ok()?, it.next()?.parse().ok()?, it.next()?.parse().ok()?);
        Date::new(y, m, d)
    }
}

/// A date or a span of days found in a sentence: tokens `start..end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMention {
    pub start: usize,
    pub end: usize,
    pub first: Date,
    /// The last day, for spans of several days.
    pub last: Option<Date>,
}

/// The word lists a language's dates are read with, as the pack declares
/// them; [`DateLists::number`] makes the [`DateWords`] that read them.
#[derive(Debug, Default, Clone)]
struct DateLists {
    months: rustc_hash::FxHashMap<String, u32>,
    weekdays: Vec<String>,
    range: Vec<String>,
    articles: Vec<String>,
    day_suffixes: Vec<String>,
    spelled_ordinals: rustc_hash::FxHashMap<String, u32>,
    ordinal_tens: rustc_hash::FxHashMap<String, u32>,
    ambiguous_ordinals: Option<rustc_hash::FxHashSet<String>>,
    from_document: Vec<(Vec<String>, i64)>,
    from_last: Vec<(Vec<String>, i64)>,
    year_shift: Vec<(Vec<String>, i64)>,
    deadline: Vec<Vec<String>>,
    other_clock: Vec<Vec<String>>,
    time_apart: Vec<String>,
    held_on: Vec<String>,
    other_event: Vec<String>,
    past: Vec<String>,
    coming: Vec<String>,
}

/// The date word lists of a language by word number, compared with tokens'
/// numbers rather than their strings: a sentence's every "the" may begin
/// "the next day". A variant of several tokens, which no token's word
/// equals, is left out (months) or gets `NO_WORD`.
#[derive(Debug, Default, Clone)]
pub struct DateWords {
    months: rustc_hash::FxHashMap<u32, u32>,
    weekdays: Vec<u32>,
    range: Vec<u32>,
    /// The `article` list: « le mercredi 13 et le jeudi 14 mai » joins two
    /// days with an article before the second.
    articles: Vec<u32>,
    /// What may follow a day's number ("1er", "5th").
    day_suffixes: Vec<String>,
    /// Ordinals written out, folded, and their values ("ninth": 9).
    spelled_ordinals: rustc_hash::FxHashMap<String, u32>,
    /// The tens that open a compound ordinal, folded, and their values
    /// ("forty" of "Forty-Fifth": 40).
    ordinal_tens: rustc_hash::FxHashMap<String, u32>,
    /// The `ordinal_not_number` words, folded: written out in lower case
    /// they number nothing ("the first summit in four years"). Without the
    /// list, the first and second ordinals.
    ambiguous_ordinals: Option<rustc_hash::FxHashSet<String>>,
    /// Words for a day counted from the document's date: (words, offset).
    from_document: Vec<(Vec<u32>, i64)>,
    /// Words for a day counted from the last date read: (words, offset).
    from_last: Vec<(Vec<u32>, i64)>,
    /// Words that move the year of a sentence's dates without one: (words,
    /// years). "Last year, Canada hosted the summit on 8 and 9 June."
    year_shift: Vec<(Vec<u32>, i64)>,
    /// The `deadline` word sequences ("by", "until"): a date right after one
    /// is a limit, not a day the text narrates.
    deadline: Vec<Vec<u32>>,
    /// The `other_clock` word sequences ("Japan time"): a date in brackets
    /// with one after it is the day on the clock of the office writing,
    /// not where the event took place.
    other_clock: Vec<Vec<u32>>,
    /// The `time_apart` words ("before", « avant »): a date set off after an
    /// event's name with one of these just before the name dates what
    /// follows, not the event ("prior to the summit, on 27 July").
    time_apart: Vec<u32>,
    /// The `held_on` words ("held", « tenu »): the date of a clause they open
    /// right after an event's name says which event it is ("the summit held
    /// in Yaoundé on 23 December 2016").
    held_on: Vec<u32>,
    /// The `other_event` words ("since", "next", « prochain »): an event's
    /// name right after one (an article may stand between) is of another
    /// event than those named before ("since the meeting in Tokyo", « le
    /// prochain sommet »), which the mention does not join.
    other_event: Vec<u32>,
    /// Their first words: a sentence's tokens are tested against these with
    /// a bit each, not compared with every entry.
    year_starts: fixedbitset::FixedBitSet,
    /// Words next to a date without a year that put it before the document's
    /// date (« le 25 novembre dernier ») or after it (« le 3 mai prochain »).
    past: Vec<u32>,
    coming: Vec<u32>,
    /// Numbers of the words a date can begin with besides a day's digits
    /// (months, weekdays, relative dates' first words): most tokens are
    /// passed over on this test alone, a bit test rather than a hash.
    starts: fixedbitset::FixedBitSet,
    /// Numbers of the words a relative date can begin with (weekdays,
    /// relative dates' first words): the many numbers among the tokens
    /// that may begin a date are passed over without comparing them with
    /// every relative date.
    relative_starts: fixedbitset::FixedBitSet,
}

/// A number no token has: neither a word of the pack's nor `Vocab::UNKNOWN`.
const NO_WORD: u32 = u32::MAX - 1;

/// What relative dates count from: the document's date, and the last date
/// the text gave before this sentence.
#[derive(Debug, Clone, Copy, Default)]
pub struct Anchor {
    pub document: Option<Date>,
    pub last: Option<Date>,
    /// The day of the event the text narrates, when the last date it gave
    /// is no event's (see `DocState::narrated_day`): "the same day" is then
    /// that event's.
    pub event: Option<Date>,
}

impl DateLists {
    fn for_lang(pack: &Pack, lang: Option<&str>) -> DateLists {
        let mut w = DateLists::default();
        if let Some(list) = pack.word_list("months", lang) {
            for (i, entry) in list.entries.iter().enumerate() {
                for variant in entry {
                    w.months.insert(variant.join(" "), i as u32 + 1);
                }
            }
        }
        let flat = |name: &str| pack.word_list(name, lang).map(|l| l.all().map(|v| v.join(" ")).collect()).unwrap_or_default();
        w.weekdays = flat("weekdays");
        w.range = flat("date_range");
        w.articles = flat("article");
        w.day_suffixes = flat("day_suffix");
        if let Some(list) = pack.word_list("ordinal_word", lang) {
            for (i, entry) in list.entries.iter().enumerate() {
                for variant in entry {
                    w.spelled_ordinals.insert(fold(&variant.join(" ")), i as u32 + 1);
                }
            }
        }
        // `ordinal_tens`: twenty, thirty, … from 20 on; an entry's first
        // word opens compounds ("forty-fifth"), the others are ordinals of
        // their own ("fortieth").
        if let Some(list) = pack.word_list("ordinal_tens", lang) {
            for (i, entry) in list.entries.iter().enumerate() {
                let value = 20 + 10 * i as u32;
                for (j, variant) in entry.iter().enumerate() {
                    let word = fold(&variant.join(" "));
                    match j {
                        0 => w.ordinal_tens.insert(word, value),
                        _ => w.spelled_ordinals.insert(word, value),
                    };
                }
            }
        }
        w.ambiguous_ordinals = pack.word_list("ordinal_not_number", lang).map(|l| l.all().map(|v| fold(&v.join(" "))).collect());
        let entries = |name: &str, offset: i64| -> Vec<(Vec<String>, i64)> { pack.word_list(name, lang).map(|l| l.all().map(|v| (v.clone(), offset)).collect()).unwrap_or_default() };
        w.from_document = [("today", 0), ("yesterday", -1), ("tomorrow", 1)].iter().flat_map(|(n, o)| entries(n, *o)).collect();
        w.from_last = [("next_day", 1), ("previous_day", -1), ("same_day", 0)].iter().flat_map(|(n, o)| entries(n, *o)).collect();
        w.year_shift = [("previous_year", -1), ("next_year", 1)].iter().flat_map(|(n, o)| entries(n, *o)).collect();
        let sequences = |name: &str| pack.word_list(name, lang).map(|l| l.all().cloned().collect()).unwrap_or_default();
        w.deadline = sequences("deadline");
        w.other_clock = sequences("other_clock");
        w.time_apart = flat("time_apart");
        w.held_on = flat("held_on");
        w.other_event = flat("other_event");
        w.past = flat("past_date");
        w.coming = flat("coming_date");
        // Longest first, so that "the day before yesterday" is not read as "yesterday".
        w.from_document.sort_by_key(|(v, _)| std::cmp::Reverse(v.len()));
        w.from_last.sort_by_key(|(v, _)| std::cmp::Reverse(v.len()));
        w
    }

    /// The lists by number; tokens must be numbered by `vocab`.
    fn number(&self, vocab: &Vocab) -> DateWords {
        let id = |w: &String| vocab.get(w).unwrap_or(NO_WORD);
        let ids = |list: &[(Vec<String>, i64)]| -> Vec<(Vec<u32>, i64)> { list.iter().map(|(v, n)| (v.iter().map(id).collect(), *n)).collect() };
        // Sequences with a word no token has can never match: left out.
        let sequences = |list: &[Vec<String>]| -> Vec<Vec<u32>> { list.iter().map(|v| v.iter().map(id).collect::<Vec<u32>>()).filter(|v| !v.is_empty() && !v.contains(&NO_WORD)).collect() };
        let mut w = DateWords {
            months: self.months.iter().filter_map(|(word, &m)| Some((vocab.get(word)?, m))).collect(),
            weekdays: self.weekdays.iter().map(id).collect(),
            range: self.range.iter().map(id).collect(),
            articles: self.articles.iter().map(id).collect(),
            day_suffixes: self.day_suffixes.clone(),
            spelled_ordinals: self.spelled_ordinals.clone(),
            ordinal_tens: self.ordinal_tens.clone(),
            ambiguous_ordinals: self.ambiguous_ordinals.clone(),
            from_document: ids(&self.from_document),
            from_last: ids(&self.from_last),
            year_shift: ids(&self.year_shift).into_iter().filter(|(v, _)| !v.is_empty() && !v.contains(&NO_WORD)).collect(),
            deadline: sequences(&self.deadline),
            other_clock: sequences(&self.other_clock),
            time_apart: self.time_apart.iter().map(id).collect(),
            held_on: self.held_on.iter().map(id).collect(),
            other_event: self.other_event.iter().map(id).collect(),
            past: self.past.iter().map(id).collect(),
            coming: self.coming.iter().map(id).collect(),
            ..Default::default()
        };
        let relative: Vec<u32> = w.weekdays.iter().chain(w.from_document.iter().chain(&w.from_last).filter_map(|(v, _)| v.first())).copied().filter(|&i| i != NO_WORD).collect();
        w.relative_starts = relative.iter().map(|&i| i as usize).collect();
        w.year_starts = w.year_shift.iter().map(|(v, _)| v[0] as usize).collect();
        w.starts = w.months.keys().chain(&relative).map(|&i| i as usize).collect();
        w
    }
}

impl DateWords {
    pub fn for_lang(pack: &Pack, lang: Option<&str>) -> DateWords {
        DateLists::for_lang(pack, lang).number(&pack.words_named)
    }

    fn may_begin(&self, t: &Token) -> bool {
        t.norm.as_bytes().first().is_some_and(u8::is_ascii_digit) || self.starts.contains(t.word as usize)
    }

    /// Where a sentence's words move the year of the dates next to them
    /// that give none, and by how many years: « l'an dernier » -1, "next
    /// year" +1.
    fn year_shifts(&self, tokens: &[Token]) -> Vec<(usize, usize, i64)> {
        if self.year_shift.is_empty() {
            return Vec::new();
        }
        (0..tokens.len())
            .filter(|&i| self.year_starts.contains(tokens[i].word as usize))
            .filter_map(|i| self.year_shift.iter().find(|(v, _)| words_at(tokens, i, v)).map(|(v, n)| (i, i + v.len(), *n)))
            .collect()
    }

    /// Whether a `deadline` word sequence ends right before token `start`:
    /// "a peace agreement by August 17" does not make "earlier in the day"
    /// of the next sentence 17 August.
    pub fn after_deadline(&self, tokens: &[Token], start: usize) -> bool {
        self.deadline.iter().any(|v| start >= v.len() && words_at(tokens, start - v.len(), v))
    }

    /// Whether a date sits in brackets that give it on another clock: the
    /// "January 13" of "On January 12 (local time; January 13, Japan
    /// time)". An `other_clock` sequence after the date, before the bracket
    /// closes, in brackets opened before it.
    fn on_other_clock(&self, tokens: &[Token], m: &DateMention) -> bool {
        if self.other_clock.is_empty() {
            return false;
        }
        let opened = tokens[..m.start].iter().rev().take(BRACKET_REACH).map(|t| t.norm.as_str()).find(|w| matches!(*w, "(" | ")")) == Some("(");
        opened && (m.end..tokens.len().min(m.end + BRACKET_REACH)).take_while(|&i| tokens[i].norm != ")").any(|i| self.other_clock.iter().any(|v| words_at(tokens, i, v)))
    }

    /// Whether a `time_apart` word is among the three tokens before `start`.
    pub fn apart_before(&self, tokens: &[Token], start: usize) -> bool {
        tokens[start.saturating_sub(3)..start].iter().any(|t| self.time_apart.contains(&t.word))
    }

    /// Whether an `other_event` word stands right before token `start`, or
    /// before an article there: "since the Quad Foreign Ministers' Meeting".
    pub fn another_event_before(&self, tokens: &[Token], start: usize) -> bool {
        let other = |i: usize| self.other_event.contains(&tokens[i].word);
        match start {
            0 => false,
            1 => other(0),
            _ => other(start - 1) || (self.articles.contains(&tokens[start - 1].word) && other(start - 2)),
        }
    }

    /// Where a name that opens with an `other_event` word starts without
    /// it: "Quad" of "next Quad meeting"; `start` for any other name.
    pub fn past_other_event_word(&self, tokens: &[Token], start: usize, end: usize) -> usize {
        if start + 1 < end && self.other_event.contains(&tokens[start].word) {
            start + 1
        } else {
            start
        }
    }

    /// Whether the token opens a clause of holding (`held_on`).
    pub fn opens_held_clause(&self, t: &Token) -> bool {
        self.held_on.contains(&t.word)
    }

    fn month(&self, t: &Token) -> Option<u32> {
        self.months.get(&t.word).copied()
    }

    fn is_weekday(&self, t: &Token) -> bool {
        self.weekdays.contains(&t.word)
    }

    fn is_range(&self, t: &Token) -> bool {
        self.range.contains(&t.word)
    }

    /// The day of the month a token gives: its number, bare or with one of
    /// the language's suffixes.
    fn day(&self, t: &Token) -> Option<u32> {
        let digits = &t.norm[..t.norm.bytes().position(|b| !b.is_ascii_digit()).unwrap_or(t.norm.len())];
        let suffix = &t.norm[digits.len()..];
        let ok = !digits.is_empty() && digits.len() <= 2 && (suffix.is_empty() || self.day_suffixes.iter().any(|x| x == suffix));
        ok.then(|| digits.parse().ok()).flatten().filter(|d| (1..=31).contains(d))
    }

    /// The number a name gives what it names, written with digits or Roman
    /// numerals and one of the language's ordinal endings (its day suffixes:
    /// "9th", "1er", « 27e », « XVIIe »): the first one in the name. A
    /// numeral of one letter worth more than ten (L, C) is a word's capital
    /// (« Le », « Ce »), not a 50th or a 100th.
    ///
    /// Or an ordinal written out (the `ordinal_word` list, in order: "the
    /// Ninth Trilateral Summit"), alone rather than the end of a compound
    /// ("Fifty-First"), and capitalised unless past the second: "the first
    /// summit in four years" and "a second meeting" number nothing.
    pub fn ordinal(&self, name: &str) -> Option<u32> {
        let spelled = name.split_whitespace().find_map(|w| {
            let w = w.trim_matches(|c: char| !c.is_alphanumeric());
            let folded = fold(w);
            let Some(&n) = self.spelled_ordinals.get(&folded) else {
                return self.compound_ordinal(&folded);
            };
            let ambiguous = self.ambiguous_ordinals.as_ref().map_or(n <= 2, |set| set.contains(&folded));
            (!ambiguous || w.starts_with(char::is_uppercase)).then_some(n)
        });
        spelled.or_else(|| self.written_ordinal(name)).or_else(|| leading_roman(name))
    }

    /// "forty-fifth" (45), « soixante-dix-septième » (77), « vingt-et-unième »
    /// (21, past one joining word): tens, then an ordinal below twenty.
    fn compound_ordinal(&self, folded: &str) -> Option<u32> {
        let (tens, rest) = folded.split_once('-')?;
        let tens = *self.ordinal_tens.get(tens)?;
        let units = |rest: &str| self.spelled_ordinals.get(rest).copied().filter(|&n| n < 20);
        let n = units(rest).or_else(|| units(rest.split_once('-')?.1))?;
        Some(tens + n)
    }

    fn written_ordinal(&self, name: &str) -> Option<u32> {
        let is_suffix = |rest: &str| !rest.is_empty() && self.day_suffixes.iter().any(|x| *x == fold(rest));
        name.split(|c: char| !c.is_alphanumeric()).find_map(|w| {
            let digits = w.len() - w.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let roman = w.len() - w.trim_start_matches(|c: char| "IVXLC".contains(c)).len();
            if digits > 0 && is_suffix(&w[digits..]) {
                w[..digits].parse().ok().filter(|&n: &u32| n > 0)
            } else if roman > 0 && is_suffix(&w[roman..]) {
                roman_value(&w[..roman]).filter(|&n| roman > 1 || n <= 10)
            } else {
                None
            }
        })
    }
}

/// A Roman numeral without an ending that opens a name before a capitalised
/// word, as Spanish and Portuguese number summits ("VIII Summit of the
/// Pacific Alliance"): of two letters at least, or V or X, since "I" is a
/// word and a lone L or C a capital.
fn leading_roman(name: &str) -> Option<u32> {
    let mut words = name.split_whitespace();
    let (first, next) = (words.next()?, words.next()?);
    let numeral = first != "I" && first.chars().all(|c| c.is_ascii_uppercase()) && crate::text::roman_letters(first);
    (numeral && next.starts_with(char::is_uppercase)).then(|| roman_value(first)).flatten()
}

/// The value of a Roman numeral, if it is one written the usual way.
fn roman_value(s: &str) -> Option<u32> {
    let digit = |c: char| match c {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        _ => 0,
    };
    let values: Vec<u32> = s.chars().map(digit).collect();
    let total = values.iter().enumerate().fold(0i64, |sum, (i, &v)| if values.get(i + 1).is_some_and(|&next| next > v) { sum - i64::from(v) } else { sum + i64::from(v) });
    u32::try_from(total).ok().filter(|&n| n > 0 && n < 200)
}

/// Whether the tokens from `i` on are numbered `words`, in order.
fn words_at(tokens: &[Token], i: usize, words: &[u32]) -> bool {
    words.iter().enumerate().all(|(k, &word)| tokens.get(i + k).is_some_and(|t| t.word == word))
}

fn year(t: &Token) -> Option<i32> {
    (t.kind == TokenKind::Number && t.norm.len() == 4).then(|| t.norm.parse().ok()).flatten().filter(|y| (1800..=2200).contains(y))
}

/// Finds the dates of a sentence; `default_year` completes dates without one,
/// and `anchor` resolves relative ones.
pub fn find_dates(tokens: &[Token], words: &DateWords, default_year: Option<i32>, mut anchor: Anchor) -> Vec<DateMention> {
    let mut out: Vec<DateMention> = Vec::new();
    // "Last year, Canada hosted …" moves every date of its sentence; "in
    // August last year", « l'an prochain, le 3 mai » inside one only the
    // date right before or just after the words, not "his visit on 17 and
    // 18 January, his first since taking office in August last year".
    let shifts = words.year_shifts(tokens);
    let shift_of = |m: &DateMention| {
        let near = |&&(a, b, _): &&(usize, usize, i64)| a <= 1 || (a >= m.end && a - m.end <= 1) || (m.start >= b && m.start - b <= 3);
        shifts.iter().find(near).map_or(0, |&(_, _, n)| n as i32)
    };
    let mut i = 0;
    // Where the last date read ends, if it was a relative one.
    let mut relative_end = None;
    // The last year the sentence gave, in a date or after a month, and the
    // day it points to (the month's first for "July 2022"). A date without
    // a year after it is read in that year when that puts it nearer this
    // day than the document's year puts it to the document's date: « en
    // juillet 2022, elle avait accueilli … la conférence, les 4 et 5
    // juillet » in a text of June 2024; "signed on 3 March 2019 and
    // ratified on 5 April". Not "the first forum in December 2021 … the
    // 2nd Forum on August 31" in a text of September 2022.
    let mut given: Option<Date> = None;
    while i < tokens.len() {
        if let (Some(month), Some(y)) = (words.month(&tokens[i]), tokens.get(i + 1).and_then(year)) {
            given = Date::new(y, month, 1).or(given);
        }
        if !words.may_begin(&tokens[i]) {
            i += 1;
            continue;
        }
        // A day without a year is read even when the document gives none,
        // since a span may give it ("30 November and 1 December 2023");
        // `NO_YEAR` marks it until then.
        let read = |fill: i32| {
            let m = numeric(tokens, i).or_else(|| day_first(tokens, i, words, Some(fill))).or_else(|| month_first(tokens, i, words, Some(fill)));
            m.map(|m| across_months(tokens, m, words, Some(fill)))
        };
        let mut absolute = read(default_year.unwrap_or(NO_YEAR));
        let explicit = |m: &DateMention| tokens[m.start..m.end].iter().rev().find_map(year);
        if let (Some(m), Some(y)) = (&absolute, default_year) {
            let shift = shift_of(m);
            if shift != 0 && explicit(m).is_none() {
                absolute = read(y.saturating_add(shift)).or(absolute);
            }
        }
        let beside = |m: &DateMention, list: &[u32]| [tokens.get(m.end), m.start.checked_sub(1).and_then(|k| tokens.get(k))].into_iter().flatten().any(|t| list.contains(&t.word));
        // « le 25 novembre dernier » in a text of January 2023 is of 2022.
        if let (Some(m), Some(doc)) = (&absolute, anchor.document) {
            if explicit(m).is_none() && m.first.year != NO_YEAR {
                // Without such a word, a day more than eight months from the
                // document's date in its year is the one of the year beside:
                // "the Council on 9 December" in a report of 8 January 2020
                // met in December 2019.
                let far = m.first.year == doc.year && shift_of(m) == 0 && (m.first.days() - doc.days()).abs() > FAR_FROM_DOCUMENT_DAYS;
                let year = match () {
                    _ if beside(m, &words.past) && m.first > doc => Some(m.first.year - 1),
                    _ if beside(m, &words.coming) && m.first < doc => Some(m.first.year + 1),
                    _ if far && m.first > doc => Some(m.first.year - 1),
                    _ if far => Some(m.first.year + 1),
                    _ => None,
                };
                if let Some(y) = year {
                    absolute = read(y).or(absolute);
                }
            }
        }
        // A date that « dernier » or « prochain » reads from the document's
        // date keeps that year: « depuis novembre 2008 … le sommet qui se
        // tiendra les 19 et 20 novembre prochains » in a text of July 2010.
        let from_document = |m: &DateMention| anchor.document.is_some() && (beside(m, &words.past) || beside(m, &words.coming));
        if let (Some(m), Some(day)) = (&absolute, given) {
            if explicit(m).is_none() && m.first.year != day.year && !from_document(m) {
                let alt = read(day.year).filter(|alt| {
                    let off = |a: Date, b: Date| (a.days() - b.days()).abs();
                    m.first.year == NO_YEAR || anchor.document.is_none_or(|doc| off(alt.first, day) < off(m.first, doc))
                });
                absolute = alt.or(absolute);
            }
        }
        let absolute = absolute.filter(|m| m.first.year != NO_YEAR);
        // « La veille, le 13 décembre, … », "The day before, 13 December,
        // …": a date set off right after a relative one says which day it
        // is; the relative one, read from another date, takes its days.
        if let (Some(m), Some(end)) = (&absolute, relative_end) {
            if m.start > end && m.start - end <= 2 && tokens[end].norm == "," {
                if let Some(r) = out.last_mut() {
                    (r.first, r.last) = (m.first, m.last);
                }
            }
        }
        relative_end = None;
        let is_absolute = absolute.is_some();
        if let Some(m) = absolute.as_ref().filter(|m| explicit(m).is_some()) {
            given = Some(m.last.unwrap_or(m.first));
        }
        if let Some(m) = absolute.or_else(|| relative(tokens, i, words, anchor)) {
            if !is_absolute {
                relative_end = Some(m.end);
            }
            i = m.end;
            // "on 10 December and … the following day": a date earlier in
            // the sentence is the last one the text gave.
            if !words.on_other_clock(tokens, &m) {
                anchor.last = Some(m.last.unwrap_or(m.first));
                out.push(m);
            }
        } else {
            i += 1;
        }
    }
    out
}

/// How many tokens from a date `on_other_clock` looks for its brackets.
const BRACKET_REACH: usize = 8;

/// The year of a date whose text gives none, where the document gives none
/// either (no date is read in it).
const NO_YEAR: i32 = 0;

/// How far from the document's date, in days, a day without a year may lie
/// in the document's year before the year beside is taken: eight months, as
/// a text of May may look ahead to a summit of November, but one of January
/// reports on December.
const FAR_FROM_DOCUMENT_DAYS: i64 = 243;

/// How far from the document's date the last date given may be for "in the
/// afternoon" to be its day: further, it is a date the text recalls.
const NARRATED_DAYS: i64 = 31;

/// The longest span of days one mention may cover across a month's end.
const MAX_SPAN_DAYS: i64 = 31;

/// "30 November and 1 December 2023", « du 30 novembre au 2 décembre 2023 »:
/// a day without a year joined by a range word to a date right after it is
/// the first day of one span, in the year of the second (or the one before,
/// over a new year). Commas join lists, not spans, and are left alone.
fn across_months(tokens: &[Token], first: DateMention, words: &DateWords, default_year: Option<i32>) -> DateMention {
    let joined = tokens.get(first.end).is_some_and(|t| t.norm != "," && words.is_range(t));
    if !joined || first.last.is_some() || tokens[first.start..first.end].iter().any(|t| year(t).is_some()) {
        return first;
    }
    let Some(second) = day_first(tokens, first.end + 1, words, default_year).or_else(|| month_first(tokens, first.end + 1, words, default_year)) else {
        return first;
    };
    if second.first.year == NO_YEAR {
        return first;
    }
    let end = second.last.unwrap_or(second.first);
    let start = [second.first.year, second.first.year - 1].into_iter().filter_map(|y| Date::new(y, first.first.month, first.first.day)).find(|d| *d < second.first);
    match start {
        Some(start) if end.days() - start.days() <= MAX_SPAN_DAYS => DateMention { start: first.start, end: second.end, first: start, last: Some(end) },
        _ => first,
    }
}

/// "today", « la veille », or a weekday on its own: the day of that name
/// nearest the document's date (the earlier one when two are as near), as
/// press texts speak of the days around their own.
fn relative(tokens: &[Token], i: usize, w: &DateWords, anchor: Anchor) -> Option<DateMention> {
    if !w.relative_starts.contains(tokens.get(i)?.word as usize) {
        return None;
    }
    // "In the afternoon" is a day the text narrates, not one it recalls: a
    // last date more than a month from the document's ("the treaty signed
    // on 22 January 1963") gives way to the document's.
    let same_day = match (anchor.last, anchor.document) {
        _ if anchor.event.is_some() => anchor.event,
        (Some(last), Some(doc)) if (last.days() - doc.days()).abs() > NARRATED_DAYS => Some(doc),
        (last, doc) => last.or(doc),
    };
    let hit = |list: &[(Vec<u32>, i64)], from: Option<Date>, same: Option<Date>| {
        // Without a date to count from, the lists are not read at all.
        from.or(same)?;
        let (v, n) = list.iter().find(|(v, _)| !v.is_empty() && words_at(tokens, i, v))?;
        // Offset 0 among the days counted from the last date is `same_day`.
        let from = if *n == 0 { same } else { from }?;
        Some((DateMention { start: i, end: i + v.len(), first: from.plus_days(*n), last: None }, *n))
    };
    // The list may hold variants; only a list of seven names is a week.
    let weekday = |t: Option<&Token>| if w.weekdays.len() == 7 { t.and_then(|t| w.weekdays.iter().position(|&d| d == t.word)) } else { None };
    if let Some((m, _)) = hit(&w.from_document, anchor.document, anchor.document) {
        return Some(m);
    }
    // "the previous day" after a date the text recalls ("the decision of 6
    // December") counts from the day it narrates, as "the same day" does;
    // unless the weekday set after it ("le lendemain, mercredi") is that of
    // the day after the last date, or the document's.
    let from_last = anchor.event.or(anchor.last).or(anchor.document);
    if let Some((mut m, n)) = hit(&w.from_last, from_last, same_day) {
        let after = if tokens.get(m.end).is_some_and(|t| t.norm == ",") { m.end + 1 } else { m.end };
        if let Some(day) = weekday(tokens.get(after)).filter(|&d| d != m.first.weekday()) {
            if let Some(first) = [anchor.last, anchor.document].into_iter().flatten().map(|from| from.plus_days(n)).find(|d| d.weekday() == day) {
                m.first = first;
            }
        }
        return Some(m);
    }
    let doc = anchor.document?;
    let named = weekday(tokens.get(i))?;
    let ahead = (named + 7 - doc.weekday()) % 7;
    let offset = if ahead <= 3 { ahead as i64 } else { ahead as i64 - 7 };
    Some(DateMention { start: i, end: i + 1, first: doc.plus_days(offset), last: None })
}

/// `19/01/2015`, `2015-01-19`, `17.06.2008`, `19.1.2024` or `2015.10.13` (which the tokenizer reads as
/// the decimal `17.06`, a dot and the year), and `(08.12.21)` with a year
/// of two digits, in brackets only (as a French ministry dates its
/// headlines), where nothing else of that shape is likely.
fn numeric(tokens: &[Token], i: usize) -> Option<DateMention> {
    let t = |k: usize| tokens.get(i + k).map(|t| t.norm.as_str());
    let n = |s: &str| s.parse::<u32>().ok();
    if let (Some((d, m)), Some("."), Some(y)) = (t(0)?.split_once('.'), t(1), t(2)) {
        let spaced = tokens.get(i + 1).is_some_and(|t| t.space_before) || tokens.get(i + 2).is_some_and(|t| t.space_before);
        // Year first: `2015.10.13`.
        if d.len() == 4 && m.len() == 2 && y.len() == 2 && !spaced {
            let date = Date::new(d.parse().ok()?, n(m)?, n(y)?)?;
            return Some(DateMention { start: i, end: i + 3, first: date, last: None });
        }
        let bracketed = i > 0 && tokens[i - 1].norm == "(" && t(3) == Some(")");
        let year = match y.len() {
            4 => y.parse().ok()?,
            2 if bracketed => 2000 + y.parse::<i32>().ok()?,
            _ => return None,
        };
        // A month of one digit only with the year in full, as Finnish
        // ministries write it ("19.1.2024 14.20"): "3.5" alone is a number.
        if spaced || !(m.len() == 2 || (m.len() == 1 && y.len() == 4)) || d.len() > 2 {
            return None;
        }
        let date = Date::new(year, n(m)?, n(d)?)?;
        return Some(DateMention { start: i, end: i + 3, first: date, last: None });
    }
    let sep = t(1)?;
    if !matches!(sep, "/" | "-") || t(3)? != sep {
        return None;
    }
    // Numbers glued to a path or a file name ("…-rights-11-15-2021.pdf") are
    // no date of the text.
    if i > 0 && !tokens[i].space_before && matches!(tokens[i - 1].norm.as_str(), "-" | "/" | "_") {
        return None;
    }
    let (a, b, c) = (t(0)?, t(2)?, t(4)?);
    // Day first ("04-10-2016" in a European Parliament release, "04/10/2016"),
    // unless only month first can be a date ("12/25/2019").
    let spaced = tokens[i + 1..i + 5].iter().any(|t| t.space_before);
    let date = if a.len() == 4 {
        Date::new(a.parse().ok()?, n(b)?, n(c)?)
    } else if c.len() == 4 && !spaced {
        let year = c.parse().ok()?;
        Date::new(year, n(b)?, n(a)?).or_else(|| Date::new(year, n(a)?, n(b)?))
    } else {
        None
    }?;
    Some(DateMention { start: i, end: i + 5, first: date, last: None })
}

/// `[weekday] D ((,|and|-) [weekday] D)* Month [Year]`.
fn day_first(tokens: &[Token], i: usize, w: &DateWords, default_year: Option<i32>) -> Option<DateMention> {
    let mut k = i;
    let skip_weekday = |k: &mut usize| {
        if tokens.get(*k).is_some_and(|t| w.is_weekday(t)) {
            *k += 1;
        }
    };
    skip_weekday(&mut k);
    let first = w.day(tokens.get(k)?)?;
    let mut last = first;
    k += 1;
    loop {
        let mut j = k;
        let mut joined = false;
        while tokens.get(j).is_some_and(|t| t.norm == "," || w.is_range(t)) {
            j += 1;
            joined = true;
        }
        if !joined {
            break;
        }
        // « et le jeudi 14 »: an article only before a weekday.
        if tokens.get(j).is_some_and(|t| w.articles.contains(&t.word)) && tokens.get(j + 1).is_some_and(|t| w.is_weekday(t)) {
            j += 1;
        }
        skip_weekday(&mut j);
        match tokens.get(j).and_then(|t| w.day(t)) {
            Some(d) if tokens.get(j + 1).is_some_and(|t| w.month(t).is_some() || w.is_range(t) || t.norm == ",") => {
                last = d;
                k = j + 1;
            }
            _ => break,
        }
    }
    let month = w.month(tokens.get(k)?)?;
    k += 1;
    // "14 June, 2017", a dateline's comma before the year; "19 May. 2016",
    // NATO's dot after every month.
    let comma = usize::from(tokens.get(k).is_some_and(|t| t.norm == "," || (t.norm == "." && !t.space_before)) && tokens.get(k + 1).and_then(year).is_some());
    let year = match tokens.get(k + comma).and_then(year) {
        Some(y) => {
            k += comma + 1;
            y
        }
        None => default_year?,
    };
    mention(i, k, year, month, first, last)
}

/// `Month D[-D][,] [Year]` (English order).
fn month_first(tokens: &[Token], i: usize, w: &DateWords, default_year: Option<i32>) -> Option<DateMention> {
    let month = w.month(tokens.get(i)?)?;
    let mut k = i + 1;
    let first = w.day(tokens.get(k)?)?;
    let mut last = first;
    k += 1;
    while tokens.get(k).is_some_and(|t| w.is_range(t)) {
        match tokens.get(k + 1).and_then(|t| w.day(t)) {
            Some(d) => {
                last = d;
                k += 2;
            }
            None => break,
        }
    }
    let comma = tokens.get(k).is_some_and(|t| t.norm == ",");
    let y = tokens.get(k + usize::from(comma)).and_then(year);
    let year = match y {
        Some(y) => {
            k += 1 + usize::from(comma);
            y
        }
        None => default_year?,
    };
    mention(i, k, year, month, first, last)
}

/// The mention of the days `first` to `last` of a month (the first and
/// last of a list: "5, 6 and 7 December" spans three days).
fn mention(start: usize, end: usize, year: i32, month: u32, first: u32, last: u32) -> Option<DateMention> {
    let first = Date::new(year, month, first)?;
    let last = Date::new(year, month, last).filter(|l| *l > first);
    Some(DateMention { start, end, first, last })
}

/// The date a document's first dated sentence gives it: its first full
/// date, unless the sentence also names one over a year later. That one is
/// the date of the news, the first a date the news recalls ("on the 60th
/// anniversary of the treaty signed on 22 January 1963, … met on 22 January
/// 2023").
pub fn dateline(dates: &[DateMention]) -> Option<Date> {
    let first = dates.first()?.first;
    let year_later = Date { year: first.year + 1, ..first };
    Some(dates.iter().map(|d| d.first).find(|d| *d > year_later).unwrap_or(first))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{tokenize, Abbreviations};

    fn words() -> DateLists {
        let mut w = DateLists::default();
        for (i, m) in ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre"].iter().enumerate() {
            w.months.insert(m.to_string(), i as u32 + 1);
        }
        for (i, m) in ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"].iter().enumerate() {
            w.months.insert(m.to_string(), i as u32 + 1);
        }
        w.months.insert("dec.".into(), 12);
        w.day_suffixes = vec!["er".into(), "th".into()];
        w.weekdays = vec!["mardi".into(), "mercredi".into(), "monday".into()];
        w.range = ["et", "au", "-", "and", "to"].iter().map(|s| s.to_string()).collect();
        w.articles = ["le", "the"].iter().map(|s| s.to_string()).collect();
        w
    }

    #[test]
    fn ordinals_take_the_languages_day_suffixes() {
        let fr = DateWords { day_suffixes: ["er", "e", "re", "ere", "eme"].map(String::from).to_vec(), ..Default::default() };
        let en = DateWords { day_suffixes: ["st", "nd", "rd", "th"].map(String::from).to_vec(), ..Default::default() };
        assert_eq!(en.ordinal("the 9th Korea-Japan-China Trilateral Summit"), Some(9));
        assert_eq!(fr.ordinal("le XVIIe Sommet de la Francophonie"), Some(17));
        assert_eq!(fr.ordinal("le 27e sommet franco-espagnol"), Some(27));
        assert_eq!(fr.ordinal("la 2ème réunion"), Some(2), "endings compared folded");
        assert_eq!(en.ordinal("the 1st EU-CELAC summit"), Some(1));
        assert_eq!(en.ordinal("the G7 Summit in 2024"), None, "no ordinal ending");
        assert_eq!(en.ordinal("Vice President's visit"), None, "a word, not a numeral");
        assert_eq!(fr.ordinal("Le sommet de Ce pays"), None, "« Le », « Ce » are words");
        assert_eq!(en.ordinal("the 10km race"), None, "no ordinal ending");
        assert_eq!(fr.ordinal("la Ve République"), Some(5));
        assert_eq!(en.ordinal("le 27e sommet"), None, "another language's ending");
        assert_eq!(en.ordinal("VIII Summit of the Pacific Alliance"), Some(8), "a bare numeral opening a name");
        assert_eq!(en.ordinal("XXV Ibero-American Summit"), Some(25));
        assert_eq!(en.ordinal("I Summit"), None, "a word");
        assert_eq!(en.ordinal("II summit"), None, "not before a name");
        assert_eq!(en.ordinal("Summit II"), None, "not opening the name");
    }

    #[test]
    fn ordinals_written_out_count_alone_and_past_the_second_or_capitalised() {
        let spelled = [("first", 1), ("second", 2), ("ninth", 9), ("neuvieme", 9)].map(|(w, n)| (w.to_string(), n)).into_iter().collect();
        let en = DateWords { day_suffixes: vec!["th".into()], spelled_ordinals: spelled, ..Default::default() };
        assert_eq!(en.ordinal("Joint Declaration of the Ninth Trilateral Summit"), Some(9));
        assert_eq!(en.ordinal("the ninth summit"), Some(9));
        assert_eq!(en.ordinal("le neuvième sommet"), Some(9), "compared folded");
        assert_eq!(en.ordinal("the first Trilateral Summit in four years"), None, "a lowercase first or second numbers nothing");
        assert_eq!(en.ordinal("the First Summit"), Some(1));
        assert_eq!(en.ordinal("the Fifty-First Leaders Meeting"), None, "the end of a compound, when the pack names no tens");
    }

    #[test]
    fn compound_ordinals_add_the_tens_the_pack_names() {
        let spelled = [("first", 1), ("fifth", 5), ("unieme", 1), ("dix-septieme", 17), ("twentieth", 20)].map(|(w, n)| (w.to_string(), n)).into_iter().collect();
        let tens = [("forty", 40), ("vingt", 20), ("soixante", 60)].map(|(w, n)| (w.to_string(), n)).into_iter().collect();
        let w = DateWords { spelled_ordinals: spelled, ordinal_tens: tens, ..Default::default() };
        assert_eq!(w.ordinal("the Forty-Fifth Pacific Islands Forum"), Some(45));
        assert_eq!(w.ordinal("the Forty-First Leaders Meeting"), Some(41), "a first ending a compound is a number");
        assert_eq!(w.ordinal("le vingt-et-unième sommet"), Some(21), "past one joining word");
        assert_eq!(w.ordinal("la soixante-dix-septième session"), Some(77));
        assert_eq!(w.ordinal("the Forty-Twentieth Summit"), None, "units below twenty only");
        assert_eq!(w.ordinal("the Sixty-Nations Summit"), None);
    }

    #[test]
    fn a_pack_names_the_ordinals_that_number_nothing_in_lower_case() {
        let spelled = [("premiere", 1), ("deuxieme", 2), ("second", 2)].map(|(w, n)| (w.to_string(), n)).into_iter().collect();
        let ambiguous = ["premiere", "second"].map(str::to_string).into_iter().collect();
        let fr = DateWords { spelled_ordinals: spelled, ambiguous_ordinals: Some(ambiguous), ..Default::default() };
        assert_eq!(fr.ordinal("la deuxième session du CIHN"), Some(2), "« deuxième » is only a number");
        assert_eq!(fr.ordinal("le second sommet"), None);
        assert_eq!(fr.ordinal("la première session"), None);
    }

    #[test]
    fn another_event_word_marks_the_name_after_it_or_after_an_article() {
        let abbrev = Abbreviations::default();
        let lists = DateLists { articles: vec!["the".into()], other_event: vec!["since".into(), "next".into()], ..Default::default() };
        let (toks, w) = numbered("our first meeting since the Quad meeting and the next summit", lists, &abbrev);
        let at = |word: &str| toks.iter().position(|t| t.norm == word).unwrap();
        assert!(w.another_event_before(&toks, at("quad")), "an article between");
        assert!(w.another_event_before(&toks, at("summit")), "right before");
        assert!(!w.another_event_before(&toks, at("meeting")), "« first » is no such word");
        assert!(!w.another_event_before(&toks, 0));
        let next = at("next");
        assert_eq!(w.past_other_event_word(&toks, next, next + 2), at("summit"), "a name opening with one starts after it");
        assert_eq!(w.past_other_event_word(&toks, next, next + 1), next, "not a name of that word alone");
        assert_eq!(w.past_other_event_word(&toks, at("quad"), at("quad") + 2), at("quad"));
    }

    /// A text's tokens, numbered as a pack with `w`'s words would number
    /// them, and `w` ready to read them.
    fn numbered(s: &str, w: DateLists, abbrev: &Abbreviations) -> (Vec<Token>, DateWords) {
        let mut vocab = Vocab::default();
        let relative = w.from_document.iter().chain(&w.from_last).chain(&w.year_shift).flat_map(|(v, _)| v);
        for word in w.months.keys().chain(&w.weekdays).chain(&w.range).chain(&w.articles).chain(relative).chain(&w.past).chain(&w.coming).chain(&w.other_event).chain(w.other_clock.iter().flatten()) {
            vocab.intern(word);
        }
        let mut toks = tokenize(s, 0..s.len(), abbrev);
        vocab.assign(&mut toks);
        (toks, w.number(&vocab))
    }

    fn dates(s: &str, year: Option<i32>) -> Vec<String> {
        let abbrev = Abbreviations(["dec."].iter().map(|s| s.to_string()).collect());
        let (toks, w) = numbered(s, words(), &abbrev);
        find_dates(&toks, &w, year, Anchor::default())
            .into_iter()
            .map(|d| match d.last {
                Some(l) => format!("{}..{}", d.first, l),
                None => d.first.to_string(),
            })
            .collect()
    }

    #[test]
    fn a_dateline_is_the_news_not_a_date_it_recalls() {
        let abbrev = Abbreviations::default();
        let dateline_of = |s: &str| {
            let (toks, w) = numbered(s, words(), &abbrev);
            dateline(&find_dates(&toks, &w, None, Anchor::default())).map(|d| d.to_string())
        };
        assert_eq!(dateline_of("On the anniversary of the treaty signed on 22 January 1963, they met on 22 January 2023."), Some("2023-01-22".into()));
        assert_eq!(dateline_of("They met on 5 December 2017 and will meet again on 1 March 2018."), Some("2017-12-05".into()));
        assert_eq!(dateline_of("They met."), None);
    }

    #[test]
    fn a_date_given_on_another_clock_is_not_read() {
        let mut lists = words();
        lists.other_clock = vec![vec!["japan".into(), "time".into()]];
        let read = |s: &str| {
            let (toks, w) = numbered(s, lists.clone(), &Abbreviations::default());
            find_dates(&toks, &w, Some(2023), Anchor::default()).into_iter().map(|d| d.first.to_string()).collect::<Vec<_>>()
        };
        assert_eq!(read("On January 12 (local time; January 13, Japan time), the minister chaired the debate."), ["2023-01-12"]);
        assert_eq!(read("On January 13, Japan time, the minister left."), ["2023-01-13"], "not in brackets");
        assert_eq!(read("On January 12 (January 13 in Tokyo), they met. Japan time is ahead."), ["2023-01-12", "2023-01-13"], "the words after the brackets close");
    }

    #[test]
    fn a_span_may_cross_the_end_of_a_month_or_a_year() {
        assert_eq!(dates("They met on 30 November and 1 December 2023.", None), ["2023-11-30..2023-12-01"]);
        assert_eq!(dates("Du 30 décembre au 2 janvier 2024.", None), ["2023-12-30..2024-01-02"]);
        assert_eq!(dates("On May 30 to June 2, 2022.", None), ["2022-05-30..2022-06-02"]);
        // A list, two dates a season apart, and a first date with its year stay apart.
        assert_eq!(dates("On 30 November, 1 December 2023.", Some(2023)), ["2023-11-30", "2023-12-01"]);
        assert_eq!(dates("On 30 November, 1 December 2023.", None), ["2023-12-01"]);
        assert_eq!(dates("On 3 May and 10 June 2022.", Some(2022)), ["2022-05-03", "2022-06-10"]);
        assert_eq!(dates("On 30 November 2023 and 1 December 2023.", None), ["2023-11-30", "2023-12-01"]);
        assert_eq!(dates("19 May. 2016 - Ministers met.", None), ["2016-05-19"], "NATO's dot after the month");
        // Without a year anywhere, no date at all (not one in the year before year 0).
        assert_eq!(dates("Du 30 décembre au 2 janvier.", None), Vec::<String>::new());
    }

    #[test]
    fn a_date_without_a_year_takes_the_sentences_year_when_that_puts_it_nearer() {
        let in_text_of = |s: &str, doc: Date| {
            let (toks, w) = numbered(s, words(), &Abbreviations::default());
            let anchor = Anchor { document: Some(doc), ..Anchor::default() };
            find_dates(&toks, &w, Some(doc.year), anchor).into_iter().map(|d| d.first.to_string()).collect::<Vec<_>>()
        };
        let june_2024 = Date::new(2024, 6, 14).unwrap();
        assert_eq!(in_text_of("In July 2022, Switzerland hosted the conference on 4 July.", june_2024), ["2022-07-04"]);
        assert_eq!(in_text_of("The treaty was signed on 3 March 2019 and ratified on 5 April.", june_2024), ["2019-03-03", "2019-04-05"]);
        // The document's year puts the date nearer the document's day.
        let september_2022 = Date::new(2022, 9, 12).unwrap();
        assert_eq!(in_text_of("The first forum met in December 2021 and the second on 31 August.", september_2022), ["2022-08-31"]);
        // A year given after the date is no year of it.
        assert_eq!(in_text_of("They met on 4 July, as they had in July 2022.", june_2024), ["2024-07-04"]);
        // A day more than eight months away is in the year beside, nearer.
        let january_2020 = Date::new(2020, 1, 8).unwrap();
        assert_eq!(in_text_of("The Council met on 9 December.", january_2020), ["2019-12-09"]);
        let december_2023 = Date::new(2023, 12, 15).unwrap();
        assert_eq!(in_text_of("The summit opens on 10 January.", december_2023), ["2024-01-10"]);
        assert_eq!(in_text_of("The summit opened on 10 July.", december_2023), ["2023-07-10"], "eight months or less: the document's year");
        let may_2024 = Date::new(2024, 5, 3).unwrap();
        assert_eq!(in_text_of("They prepared the summit of 18 November.", may_2024), ["2024-11-18"]);
    }

    #[test]
    fn counts_days_and_weekdays() {
        let d = Date::new(2019, 2, 15).unwrap();
        assert_eq!(d.weekday(), 4, "15 February 2019 was a Friday");
        assert_eq!(d.plus_days(14).to_string(), "2019-03-01");
        assert_eq!(Date::new(2024, 2, 28).unwrap().plus_days(1).to_string(), "2024-02-29");
        assert_eq!(Date::new(2023, 12, 31).unwrap().plus_days(1).to_string(), "2024-01-01");
        assert_eq!(Date::new(1969, 12, 31).unwrap().plus_days(-365).to_string(), "1968-12-31");
    }

    #[test]
    fn reads_relative_dates_from_the_document_date() {
        let mut w = words();
        w.weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].iter().map(|s| s.to_string()).collect();
        w.from_document = vec![(vec!["yesterday".into()], -1)];
        w.from_last = vec![(vec!["the".into(), "next".into(), "day".into()], 1)];
        let read = |s: &str, anchor: Anchor| -> Vec<String> {
            let (toks, w) = numbered(s, w.clone(), &Abbreviations::default());
            find_dates(&toks, &w, None, anchor).into_iter().map(|d| d.first.to_string()).collect()
        };
        // Wednesday 6 December 2023.
        let wed = Anchor { document: Date::new(2023, 12, 6), last: None, event: None };
        assert_eq!(read("They met yesterday.", wed), ["2023-12-05"]);
        assert_eq!(read("They met on Monday and will meet on Friday.", wed), ["2023-12-04", "2023-12-08"]);
        assert_eq!(read("They met on Wednesday.", wed), ["2023-12-06"]);
        let after = Anchor { document: Date::new(2023, 12, 6), last: Date::new(2023, 11, 30), event: None };
        assert_eq!(read("The next day, they left.", after), ["2023-12-01"]);
        assert_eq!(read("They met on 10 December 2012 and again the next day.", after), ["2012-12-10", "2012-12-11"], "from a date earlier in the sentence");
        assert!(read("They met yesterday.", Anchor::default()).is_empty(), "no document date, no relative date");
        assert_eq!(read("The next day, 3 December 2023, they left.", after), ["2023-12-03", "2023-12-03"], "a date set off after a relative one says which day it is");
        assert_eq!(read("The next day 3 December 2023 they left.", after), ["2023-12-01", "2023-12-03"], "not set off: two dates");
        w.from_last.push((vec!["in".into(), "the".into(), "afternoon".into()], 0));
        let (toks, w) = numbered("In the afternoon, they met.", w, &Abbreviations::default());
        let same: Vec<String> = find_dates(&toks, &w, None, after).into_iter().map(|d| d.first.to_string()).collect();
        assert_eq!(same, ["2023-11-30"], "the same day as the last date given");
        let recalled = Anchor { document: Date::new(2023, 12, 6), last: Date::new(1963, 1, 22), event: None };
        let same: Vec<String> = find_dates(&toks, &w, None, recalled).into_iter().map(|d| d.first.to_string()).collect();
        assert_eq!(same, ["2023-12-06"], "a date the text recalls is no day it narrates");
    }

    #[test]
    fn a_day_counted_from_the_last_date_counts_from_the_day_narrated_when_that_date_was_recalled() {
        let mut w = words();
        w.from_last = vec![(vec!["the".into(), "previous".into(), "day".into()], -1)];
        let (toks, w) = numbered("A meeting held the previous day prepared the documents.", w, &Abbreviations::default());
        let read = |anchor: Anchor| -> Vec<String> { find_dates(&toks, &w, None, anchor).into_iter().map(|d| d.first.to_string()).collect() };
        // The last date given, 6 December, was the decision the summit of 13 December answered.
        let recalled = Anchor { document: Date::new(2017, 12, 13), last: Date::new(2017, 12, 6), event: Date::new(2017, 12, 13) };
        assert_eq!(read(recalled), ["2017-12-12"]);
        let narrated = Anchor { event: None, ..recalled };
        assert_eq!(read(narrated), ["2017-12-05"], "from the last date when the text narrates it");
    }

    #[test]
    fn a_weekday_set_after_a_counted_day_says_which_date_it_counts_from() {
        let mut w = words();
        w.weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"].iter().map(|s| s.to_string()).collect();
        w.from_last = vec![(vec!["the".into(), "next".into(), "day".into()], 1)];
        let read = |s: &str, anchor: Anchor| -> Vec<String> {
            let (toks, w) = numbered(s, w.clone(), &Abbreviations::default());
            find_dates(&toks, &w, None, anchor).into_iter().map(|d| d.first.to_string()).collect()
        };
        // Written on Wednesday 16 June 2021 of a summit that day; the text
        // last gave Tuesday 15 June, the eve, which it narrates.
        let eve = Anchor { document: Date::new(2021, 6, 16), last: Date::new(2021, 6, 15), event: Date::new(2021, 6, 16) };
        assert_eq!(read("The next day, Wednesday, he received the other president.", eve)[0], "2021-06-16", "the day after the last date is the Wednesday");
        assert_eq!(read("The next day, Thursday, he left.", eve)[0], "2021-06-17", "the day after the event's when that is the weekday named");
        assert_eq!(read("The next day he left.", eve)[0], "2021-06-17", "no weekday: the day after the event's");
    }

    #[test]
    fn last_year_and_next_year_move_the_year_a_date_lacks() {
        let mut w = words();
        w.year_shift = vec![(vec!["last".into(), "year".into()], -1), (vec!["l'".into(), "an".into(), "prochain".into()], 1)];
        let read = |s: &str| -> Vec<String> {
            let (toks, w) = numbered(s, w.clone(), &Abbreviations::default());
            find_dates(&toks, &w, Some(2019), Anchor::default()).into_iter().map(|d| d.first.to_string()).collect()
        };
        assert_eq!(read("Last year, Canada hosted the summit on 8 and 9 June."), ["2018-06-08"]);
        assert_eq!(read("Le sommet aura lieu l'an prochain, le 3 mai."), ["2020-05-03"]);
        assert_eq!(read("Last year, on 8 June 2017, they met."), ["2017-06-08"], "a year the text gives stays");
        assert_eq!(read("They met on 8 June."), ["2019-06-08"]);
        assert_eq!(read("He visits on 17 and 18 January, his first visit since he took office in August last year."), ["2019-01-17"], "not a date away from the words");
        assert_eq!(read("They met in Paris on 8 June last year."), ["2018-06-08"]);
    }

    #[test]
    fn a_past_or_coming_word_puts_a_yearless_date_before_or_after_the_document() {
        let mut w = words();
        w.past = vec!["dernier".into()];
        w.coming = vec!["prochain".into()];
        let read = |s: &str| -> Vec<String> {
            let (toks, w) = numbered(s, w.clone(), &Abbreviations::default());
            let anchor = Anchor { document: Date::new(2023, 1, 22), last: None, event: None };
            find_dates(&toks, &w, Some(2023), anchor).into_iter().map(|d| d.first.to_string()).collect()
        };
        assert_eq!(read("Elle était à Berlin le 25 novembre dernier."), ["2022-11-25"]);
        assert_eq!(read("Il viendra le 10 janvier prochain."), ["2024-01-10"]);
        assert_eq!(read("Il est venu le 10 janvier dernier."), ["2023-01-10"], "already before the document's date");
        assert_eq!(read("Aidé depuis mars 2020, il viendra le 10 mars prochain."), ["2023-03-10"], "read from the document's date, not from the year the sentence gave");
        // Without the word, the nearer of the two years.
        assert_eq!(read("Elle était à Berlin le 25 novembre."), ["2022-11-25"]);
        assert_eq!(read("Elle était à Berlin le 25 août."), ["2023-08-25"]);
    }

    #[test]
    fn reads_ranges_and_lists() {
        assert_eq!(dates("les 5 et 6 décembre 2017 à Bruxelles", None), ["2017-12-05..2017-12-06"]);
        assert_eq!(dates("14 June, 2017", None), ["2017-06-14"], "a dateline's comma before the year");
        assert_eq!(dates("ces mardi 5 et mercredi 6 décembre 2017", None), ["2017-12-05..2017-12-06"]);
        assert_eq!(dates("le mardi 5 et le mercredi 6 décembre 2017", None), ["2017-12-05..2017-12-06"]);
        assert_eq!(dates("le 5 et le 6 décembre 2017", None), ["2017-12-06"], "an article only before a weekday");
        assert_eq!(dates("du 11 au 12 juillet 2018", None), ["2018-07-11..2018-07-12"]);
        assert_eq!(dates("on 5-6 December 2017", None), ["2017-12-05..2017-12-06"]);
        assert_eq!(dates("on March 23-24, 2021 and 1er mai 2020", None), ["2021-03-23..2021-03-24", "2020-05-01"]);
        assert_eq!(dates("04 Dec. 2017 -", None), ["2017-12-04"]);
        assert_eq!(dates("Date: 19/01/2015", None), ["2015-01-19"]);
        assert_eq!(dates("Communiqué de presse - Session plénière - 04-10-2016 - 13:15", None), ["2016-10-04"]);
        assert_eq!(dates("Released 12/25/2019", None), ["2019-12-25"], "only month first is a date");
        assert_eq!(dates("pages 4 - 10 - 2016", None), Vec::<String>::new(), "spaced numbers are no date");
        assert_eq!(dates("(files/mou-rights-11-15-2021.pdf)", None), Vec::<String>::new(), "part of a file name");
        assert_eq!(dates("Publié le 17.06.2008", None), ["2008-06-17"]);
        assert_eq!(dates("Press release 21/2024\n19.1.2024 14.20", None), ["2024-01-19"], "a month of one digit");
        assert!(dates("Déplacement à Alger (8.1.21)", None).is_empty(), "not with a year of two digits");
        assert_eq!(dates("President's News - 2015.10.13", None), ["2015-10-13"], "year first");
        assert!(dates("a rate of 2015.10 . 13", None).is_empty());
        assert!(dates("a rate of 17.06. 2008 was", None).is_empty(), "a decimal, a full stop and a number");
        assert_eq!(dates("17.6.2008", None), ["2008-06-17"]);
        assert!(dates("17.6.08", None).is_empty());
        assert_eq!(dates("Déplacement à Alger (08.12.21)", None), ["2021-12-08"]);
        assert!(dates("version 08.12.21 of the text", None).is_empty(), "two digits of year only in brackets");
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_spans_stay_inside(items in proptest::collection::vec(proptest::prop_oneof![
            proptest::strategy::Just("5"), proptest::strategy::Just("31"), proptest::strategy::Just("et"), proptest::strategy::Just("-"),
            proptest::strategy::Just("décembre"), proptest::strategy::Just("2017"), proptest::strategy::Just("/"), proptest::strategy::Just("mardi"),
            proptest::strategy::Just("March"), proptest::strategy::Just(","), proptest::strategy::Just("0"), proptest::strategy::Just("99999")
        ], 0..30)) {
            let s = items.join(" ");
            let (toks, w) = numbered(&s, words(), &Abbreviations::default());
            for d in find_dates(&toks, &w, Some(2020), Anchor::default()) {
                proptest::prop_assert!(d.start < d.end && d.end <= toks.len());
                proptest::prop_assert!(d.last.is_none_or(|l| l > d.first));
            }
        }
    }

    #[test]
    fn completes_the_year_or_gives_up() {
        assert_eq!(dates("on 5 and 6 December in Brussels", Some(2017)), ["2017-12-05..2017-12-06"]);
        assert!(dates("on 5 and 6 December in Brussels", None).is_empty());
        assert!(dates("31 février 2017, 2016, mai 2018", None).is_empty());
    }
}
