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
import re

from derived_positions import add_derived
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


def derive(cols: list[str]) -> tuple[str, list[str], list[str]] | None:
    if not cols[0].startswith(MINISTERS):
        return None
    en = [d for d in (deputy_en(n) for n in cols[3].split("|") if n) if d]
    fr = [d for d in (deputy_fr(n) for n in cols[4].split("|") if n) if d]
    return "deputy_" + cols[0], en, fr


def main() -> None:
    add_derived("deputy ministers", derive)

if __name__ == "__main__":
    main()
