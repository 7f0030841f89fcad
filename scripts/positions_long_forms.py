#!/usr/bin/env python3
"""Adds to rules/gazetteer/positions.tsv the names of national positions
that follow from the country's names:

- in French, with the country's long form: "ministre des Affaires
  étrangères de la République de Moldavie" beside "… de la Moldavie". Every
  French name that ends with the country's usual name after "de", "de la",
  "du", "des" or "d'" gets a copy with each long form of countries.tsv
  ("République de Moldavie", "Royaume de Belgique");
- in English, with the country as a possessive: "Japan's Foreign Minister"
  beside "Foreign Minister of Japan". Every English name "TITLE of
  COUNTRY" gets "NAME's TITLE" for each English name of the country
  (press texts write "Türkiye's Foreign Minister" as often as "Turkey's");
- in English, with the country's long form: "Minister of Foreign Affairs of
  the Federative Republic of Brazil" beside "… of Brazil";
- in English, with each other short name of the country: "President of
  Burma" beside "President of Myanmar", "Foreign Minister of Turkey" beside
  "… of Türkiye" (a text and its gold use either).

Idempotent: run it again after editing either file.
"""
import pathlib
import re

GAZ = pathlib.Path(__file__).resolve().parent.parent / "rules" / "gazetteer"
# The article a long form takes after "de", by its first word.
ARTICLE = {
    "République": "de la ", "Principauté": "de la ", "Confédération": "de la ", "Fédération": "de la ",
    "Royaume": "du ", "Royaume-Uni": "du ", "Grand-Duché": "du ", "Sultanat": "du ", "Commonwealth": "du ",
    "État": "de l'", "États": "des ", "États-Unis": "des ", "République-Unie": "de la ",
}
PREPOSITIONS = ("de la ", "de l'", "du ", "des ", "de ", "d'")
# A country's long form in English cut in two by a title ("President of the
# Islamic Republic" of Afghanistan; "Minister of State" is a title), and the
# words of a long form as the country's name ("Argentine Republic", where
# "United Kingdom" is the usual name).
LONG_FORM = re.compile(r"\bof the\b.*\b(Republic|Kingdom|Federation|Emirates?|Commonwealth|Duchy|Principality|Sultanate|Confederation|Union|States?|Democratic)\b")
# An English long form of a country's name: "Republic of India", "Kingdom of
# Saudi Arabia", "Russian Federation", "State of Qatar".
EN_LONG = re.compile(r"\b(Republic|Federation|Commonwealth|Duchy|Principality|Sultanate|Confederation)\b|^(Kingdom|State|Emirate) of ")
LONG_COUNTRY = re.compile(r"\b(Republic|Federation|Commonwealth|Duchy|Principality|Sultanate|Confederation|Democratic)\b")


def rows(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        yield line.split("\t") if line and not line.startswith("#") else line


def main():
    countries, english = {}, {}
    for r in rows(GAZ / "countries.tsv"):
        if isinstance(r, list) and len(r) > 4 and r[0] != "key":
            names = r[4].split("|")
            longs = [n for n in names if n.split(" ")[0] in ARTICLE]
            countries[r[0]] = ([n for n in names if n not in longs], longs)
            english[r[0]] = [n for n in r[3].split("|") if n]
    out, added = [], 0
    for r in rows(GAZ / "positions.tsv"):
        if not isinstance(r, list) or len(r) < 8 or r[0] == "key":
            out.append(r if isinstance(r, str) else "\t".join(r))
            continue
        m = re.search(r"affiliated_with=(\w+)", r[7])
        shorts, longs = countries.get(m.group(1), ([], [])) if m else ([], [])
        names = [n for n in r[4].split("|") if n]
        titles = []
        for n in names:
            if any(n.endswith(long) for long in longs):
                continue
            for short in shorts:
                for p in PREPOSITIONS:
                    if n.endswith(" " + p + short):
                        title = n[: -len(p + short)].rstrip()
                        if title not in titles:
                            titles.append(title)
        for title in titles:
            for long in longs:
                name = f"{title} {ARTICLE[long.split(' ')[0]]}{long}"
                if name not in names:
                    names.append(name)
                    added += 1
        r[4] = "|".join(names)
        r[3], n_en = possessive_names(r[3], english.get(m.group(1), []) if m else [])
        added += n_en
        r[3], n_long = english_long_forms(r[3], english.get(m.group(1), []) if m else [])
        added += n_long
        r[3], n_short = english_short_forms(r[3], english.get(m.group(1), []) if m else [])
        added += n_short
        out.append("\t".join(r))
    (GAZ / "positions.tsv").write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{added} names added")


def titles_of(names, countries):
    """The TITLE of each English name "TITLE of COUNTRY" among `names`, in
    order and once each."""
    titles = []
    for n in names:
        for country in countries:
            for of in (" of the ", " of "):
                # Not a long form cut in two ("President of the Islamic
                # Republic" of Afghanistan).
                if n.endswith(of + country) and not LONG_FORM.search(n[: -len(of + country)]):
                    title = n[: -len(of + country)]
                    if title not in titles:
                        titles.append(title)
    return titles


def short_names(countries):
    """The short English names of a country: not "the …", not "Republic of
    …"."""
    return [c for c in countries if not (" of " in c or c.startswith("the ") or LONG_COUNTRY.search(c))]


def add_names(column, candidates):
    """The names of `column` with each name `candidates` makes of them that
    is not there yet; how many were added."""
    names = [n for n in column.split("|") if n]
    added = 0
    for name in list(candidates(names)):
        if name not in names:
            names.append(name)
            added += 1
    return "|".join(names), added


def possessive_names(column, countries):
    """The English names of a position with "COUNTRY's TITLE" added for each
    "TITLE of COUNTRY" and each short English name of the country; how many
    were added."""
    shorts = short_names(countries)
    # "the United States' Secretary of State"
    return add_names(column, lambda names: (f"{c}' {t}" if c.endswith("s") else f"{c}'s {t}" for t in titles_of(names, countries) for c in shorts))


def english_long_forms(column, countries):
    """The English names of a position with "TITLE of the LONG FORM" added
    for each "TITLE of COUNTRY" and each English long form of the country
    ("Minister of Foreign Affairs of the Federative Republic of Brazil",
    "President of the Russian Federation"); how many were added."""
    longs = [c for c in countries[1:] if EN_LONG.search(c)]
    others = [c for c in countries if c not in longs]
    return add_names(column, lambda names: (f"{t} of the {long}" for t in titles_of(names, others) for long in longs))


def english_short_forms(column, countries):
    """The English names of a position with "TITLE of NAME" added for each
    "TITLE of COUNTRY" and each other short English name of the country;
    how many were added."""
    shorts = short_names(countries)
    return add_names(column, lambda names: (f"{t} of {c}" for t in titles_of(names, shorts) for c in shorts))


if __name__ == "__main__":
    main()
