#!/usr/bin/env python3
"""Adds to rules/gazetteer/positions.tsv a deputy for each national minister
of foreign affairs and of defence: "Deputy Foreign Minister of Russia",
"Russian Deputy Foreign Minister", « vice-ministre russe des Affaires
étrangères ». Deputy ministers lead delegations and sign texts as often as
ministers do, and without their own entry the minister's name inside
theirs ("Deputy Minister of Foreign Affairs of Russia") reads them as the
minister.

Each deputy entry is made from its minister's entry: every English name
gets "Deputy" before its title word ("Minister", "Secretary"), every French
one « vice- » before « ministre ». The key is the minister's with
`deputy_` in front; the country stays the same. Entries already there
(edited by hand) are left as they are.

Idempotent: run it again after editing positions.tsv, then
`scripts/positions_long_forms.py` if new country forms were added.
"""
import pathlib
import re

GAZ = pathlib.Path(__file__).resolve().parent.parent / "rules" / "gazetteer"
MINISTERS = ("minister_of_foreign_affairs_of_", "minister_of_defence_of_")
# The first title word of an English name, where "Deputy" goes: "Russian
# Foreign Minister" -> "Russian Deputy Foreign Minister", "Minister of
# Defence of X" -> "Deputy Minister of Defence of X".
EN_TITLE = re.compile(r"\b(Foreign|Defence|Defense|Minister|Secretary)\b")
FR_TITLE = re.compile(r"\bministre\b")


def deputy_en(name: str) -> str | None:
    # The US Secretary of State is no "Deputy Secretary of State" of the
    # same form everywhere; names without a title word are left out.
    m = EN_TITLE.search(name)
    return name[: m.start()] + "Deputy " + name[m.start():] if m else None


def deputy_fr(name: str) -> str | None:
    if name.startswith("chef de la diplomatie"):
        return None
    m = FR_TITLE.search(name)
    return name[: m.start()] + "vice-" + name[m.start():] if m else None


def main() -> None:
    path = GAZ / "positions.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    keys = {line.split("\t", 1)[0] for line in lines if line and not line.startswith("#")}
    added = []
    for line in lines:
        cols = line.split("\t")
        if not line or line.startswith("#") or not cols[0].startswith(MINISTERS):
            continue
        key = "deputy_" + cols[0]
        if key in keys:
            continue
        en = [d for d in (deputy_en(n) for n in cols[3].split("|") if n) if d]
        fr = [d for d in (deputy_fr(n) for n in cols[4].split("|") if n) if d]
        if not en:
            continue
        # No Wikidata item: the office of a deputy is seldom one.
        row = [key, "Position", "", "|".join(dict.fromkeys(en)), "|".join(dict.fromkeys(fr)), "", "", cols[7] if len(cols) > 7 else ""]
        added.append("\t".join(row))
    if not added:
        return
    # Before the section of titles several states share, with the national ones.
    at = next((i for i, line in enumerate(lines) if line.startswith("# Titles several states use")), len(lines))
    lines[at:at] = added
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"positions.tsv: {len(added)} deputy ministers added")


if __name__ == "__main__":
    main()
