//! Dates, ranges and lists of days ("les 5 et 6 décembre 2017", "5-6 December
//! 2017", "March 23-24, 2021", "19/01/2015"), read with the pack's word lists
//! `months`, `weekdays` and `date_range` for the sentence's language.

use crate::pack::Pack;
use crate::text::{Token, TokenKind};
use std::collections::HashMap;
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

/// The word lists a language's dates are read with.
#[derive(Debug, Default, Clone)]
pub struct DateWords {
    months: HashMap<String, u32>,
    weekdays: Vec<String>,
    range: Vec<String>,
}

impl DateWords {
    pub fn for_lang(pack: &Pack, lang: Option<&str>) -> DateWords {
        let mut w = DateWords::default();
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
        w
    }

    fn month(&self, t: &Token) -> Option<u32> {
        self.months.get(&t.norm).copied()
    }
}

fn day(t: &Token) -> Option<u32> {
    let digits: String = t.norm.chars().take_while(char::is_ascii_digit).collect();
    let suffix = &t.norm[digits.len()..];
    let ok = !digits.is_empty() && digits.len() <= 2 && matches!(suffix, "" | "er" | "st" | "nd" | "rd" | "th" | "e");
    ok.then(|| digits.parse().ok()).flatten().filter(|d| (1..=31).contains(d))
}

fn year(t: &Token) -> Option<i32> {
    (t.kind == TokenKind::Number && t.norm.len() == 4).then(|| t.norm.parse().ok()).flatten().filter(|y| (1800..=2200).contains(y))
}

/// Finds the dates of a sentence; `default_year` completes dates without one.
pub fn find_dates(tokens: &[Token], words: &DateWords, default_year: Option<i32>) -> Vec<DateMention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let Some(m) = numeric(tokens, i).or_else(|| day_first(tokens, i, words, default_year)).or_else(|| month_first(tokens, i, words, default_year)) {
            i = m.end;
            out.push(m);
        } else {
            i += 1;
        }
    }
    out
}

/// `19/01/2015`, `2015-01-19`.
fn numeric(tokens: &[Token], i: usize) -> Option<DateMention> {
    let t = |k: usize| tokens.get(i + k).map(|t| t.norm.as_str());
    let sep = t(1)?;
    if !matches!(sep, "/" | "-") || t(3)? != sep {
        return None;
    }
    let (a, b, c) = (t(0)?, t(2)?, t(4)?);
    let n = |s: &str| s.parse::<u32>().ok();
    let date = if a.len() == 4 {
        Date::new(a.parse().ok()?, n(b)?, n(c)?)
    } else if c.len() == 4 && sep == "/" {
        Date::new(c.parse().ok()?, n(b)?, n(a)?)
    } else {
        None
    }?;
    Some(DateMention { start: i, end: i + 5, first: date, last: None })
}

/// `[weekday] D ((,|and|-) [weekday] D)* Month [Year]`.
fn day_first(tokens: &[Token], i: usize, w: &DateWords, default_year: Option<i32>) -> Option<DateMention> {
    let mut k = i;
    let skip_weekday = |k: &mut usize| {
        if tokens.get(*k).is_some_and(|t| w.weekdays.contains(&t.norm)) {
            *k += 1;
        }
    };
    skip_weekday(&mut k);
    let mut days = vec![day(tokens.get(k)?)?];
    k += 1;
    loop {
        let mut j = k;
        let mut joined = false;
        while tokens.get(j).is_some_and(|t| t.norm == "," || w.range.contains(&t.norm)) {
            j += 1;
            joined = true;
        }
        if !joined {
            break;
        }
        skip_weekday(&mut j);
        match tokens.get(j).and_then(day) {
            Some(d) if tokens.get(j + 1).is_some_and(|t| w.month(t).is_some() || w.range.contains(&t.norm) || t.norm == ",") => {
                days.push(d);
                k = j + 1;
            }
            _ => break,
        }
    }
    let month = w.month(tokens.get(k)?)?;
    k += 1;
    let year = match tokens.get(k).and_then(year) {
        Some(y) => {
            k += 1;
            y
        }
        None => default_year?,
    };
    mention(i, k, year, month, &days)
}

/// `Month D[-D][,] [Year]` (English order).
fn month_first(tokens: &[Token], i: usize, w: &DateWords, default_year: Option<i32>) -> Option<DateMention> {
    let month = w.month(tokens.get(i)?)?;
    let mut k = i + 1;
    let mut days = vec![day(tokens.get(k)?)?];
    k += 1;
    while tokens.get(k).is_some_and(|t| w.range.contains(&t.norm)) {
        match tokens.get(k + 1).and_then(day) {
            Some(d) => {
                days.push(d);
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
    mention(i, k, year, month, &days)
}

fn mention(start: usize, end: usize, year: i32, month: u32, days: &[u32]) -> Option<DateMention> {
    let first = Date::new(year, month, days[0])?;
    let last = days.last().and_then(|&d| Date::new(year, month, d)).filter(|l| *l > first);
    Some(DateMention { start, end, first, last })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{tokenize, Abbreviations};

    fn words() -> DateWords {
        let mut w = DateWords::default();
        for (i, m) in ["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre"].iter().enumerate() {
            w.months.insert(m.to_string(), i as u32 + 1);
        }
        for (i, m) in ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"].iter().enumerate() {
            w.months.insert(m.to_string(), i as u32 + 1);
        }
        w.months.insert("dec.".into(), 12);
        w.weekdays = vec!["mardi".into(), "mercredi".into(), "monday".into()];
        w.range = ["et", "au", "-", "and", "to"].iter().map(|s| s.to_string()).collect();
        w
    }

    fn dates(s: &str, year: Option<i32>) -> Vec<String> {
        let abbrev = Abbreviations(["dec."].iter().map(|s| s.to_string()).collect());
        let toks = tokenize(s, 0..s.len(), &abbrev);
        find_dates(&toks, &words(), year)
            .into_iter()
            .map(|d| match d.last {
                Some(l) => format!("{}..{}", d.first, l),
                None => d.first.to_string(),
            })
            .collect()
    }

    #[test]
    fn reads_ranges_and_lists() {
        assert_eq!(dates("les 5 et 6 décembre 2017 à Bruxelles", None), ["2017-12-05..2017-12-06"]);
        assert_eq!(dates("ces mardi 5 et mercredi 6 décembre 2017", None), ["2017-12-05..2017-12-06"]);
        assert_eq!(dates("du 11 au 12 juillet 2018", None), ["2018-07-11..2018-07-12"]);
        assert_eq!(dates("on 5-6 December 2017", None), ["2017-12-05..2017-12-06"]);
        assert_eq!(dates("on March 23-24, 2021 and 1er mai 2020", None), ["2021-03-23..2021-03-24", "2020-05-01"]);
        assert_eq!(dates("04 Dec. 2017 -", None), ["2017-12-04"]);
        assert_eq!(dates("Date: 19/01/2015", None), ["2015-01-19"]);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_spans_stay_inside(items in proptest::collection::vec(proptest::prop_oneof![
            proptest::strategy::Just("5"), proptest::strategy::Just("31"), proptest::strategy::Just("et"), proptest::strategy::Just("-"),
            proptest::strategy::Just("décembre"), proptest::strategy::Just("2017"), proptest::strategy::Just("/"), proptest::strategy::Just("mardi"),
            proptest::strategy::Just("March"), proptest::strategy::Just(","), proptest::strategy::Just("0"), proptest::strategy::Just("99999")
        ], 0..30)) {
            let s = items.join(" ");
            let toks = tokenize(&s, 0..s.len(), &Abbreviations::default());
            for d in find_dates(&toks, &words(), Some(2020)) {
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
