#!/usr/bin/env python3
"""Adds to rules/gazetteer/positions.tsv the French names of national
positions written with the country's long form: "ministre des Affaires
étrangères de la République de Moldavie" beside "… de la Moldavie".

For each position affiliated with a country, every French name that ends
with the country's usual name after "de", "de la", "du", "des" or "d'"
gets a copy with each long form of countries.tsv ("République de
Moldavie", "Royaume de Belgique"). Idempotent: run it again after editing
either file.
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


def rows(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        yield line.split("\t") if line and not line.startswith("#") else line


def main():
    countries = {}
    for r in rows(GAZ / "countries.tsv"):
        if isinstance(r, list) and len(r) > 4 and r[0] != "key":
            names = r[4].split("|")
            longs = [n for n in names if n.split(" ")[0] in ARTICLE]
            countries[r[0]] = ([n for n in names if n not in longs], longs)
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
        out.append("\t".join(r))
    (GAZ / "positions.tsv").write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{added} names added")


if __name__ == "__main__":
    main()
