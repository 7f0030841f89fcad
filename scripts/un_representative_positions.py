#!/usr/bin/env python3
"""Adds to rules/gazetteer/positions.tsv each state's Permanent
Representative to the United Nations: "Permanent Representative of Russia to
the United Nations", "Russian Permanent Representative to the UN",
« représentant permanent de la Russie auprès des Nations unies ». UN
meetings coverage names most speakers this way, and without an entry the
title is no office and its holder no one's.

Each entry is made from the state's minister of foreign affairs: the
English names "Minister of Foreign Affairs of X", "X's Foreign Minister"
and "Russian Foreign Minister" give the country's name, its possessive and
its adjective; the French « ministre des Affaires étrangères de la Russie »
and « ministre russe des Affaires étrangères » the same. The key is the
minister's with `permanent_representative_to_the_un_of_` in place of
`minister_of_foreign_affairs_of_`; the country (`affiliated_with=`) stays.
The titles without "to the United Nations" («
représentant permanent de la Russie ») are short names: they stand for the
office only in a text that names the United Nations (a NATO text's
"Permanent Representative of Germany" is to NATO). Entries already there
(edited by hand) are left as they are.

Idempotent: run it again after adding a minister.
"""
import re

from derived_positions import add_derived

PREFIX = "minister_of_foreign_affairs_of_"
EN_OF = re.compile(r"^Minister of Foreign Affairs of (.+)$")
EN_POSSESSIVE = re.compile(r"^(.+)'s Foreign Minister$")
EN_ADJECTIVE = re.compile(r"^(\S+(?: \S+)?) Foreign Minister$")
FR_OF = re.compile(r"^ministre des Affaires étrangères (d'|de |du |des )(.+)$")
FR_ADJECTIVE = re.compile(r"^ministre (\S+) des Affaires étrangères$")
UN_EN = ("to the United Nations", "to the UN")


def names_en(name: str) -> list[str]:
    if m := EN_OF.match(name):
        return [f"Permanent Representative of {m[1]} {un}" for un in UN_EN]
    if m := EN_POSSESSIVE.match(name):
        return [f"{m[1]}'s Permanent Representative {un}" for un in UN_EN]
    # "Russian Foreign Minister", not "Deputy Foreign Minister".
    if (m := EN_ADJECTIVE.match(name)) and "Deputy" not in m[1]:
        return [f"{m[1]} Permanent Representative {un}" for un in UN_EN]
    return []


def names_fr(name: str) -> list[str]:
    if m := FR_OF.match(name):
        of = m[1] + m[2]
        return [f"{who} {of} auprès {un}" for who in ("représentant permanent", "représentante permanente") for un in ("des Nations unies", "des Nations Unies", "de l'Organisation des Nations unies", "de l'ONU")]
    if m := FR_ADJECTIVE.match(name):
        return [f"{who} {m[1]} auprès {un}" for who in ("représentant permanent", "représentante permanente") for un in ("des Nations unies", "des Nations Unies", "de l'ONU")]
    return []


def short(cols: list[str]) -> list[str]:
    en = [f"Permanent Representative of {m[1]}" for name in cols[3].split("|") if (m := EN_OF.match(name))]
    fr = [f"{who} {m[1]}{m[2]}" for name in cols[4].split("|") if (m := FR_OF.match(name)) for who in ("représentant permanent", "représentante permanente")]
    return en + fr


def derive(cols: list[str]) -> tuple[str, list[str], list[str]] | None:
    if not cols[0].startswith(PREFIX):
        return None
    en = [n for name in cols[3].split("|") if name for n in names_en(name)]
    fr = [n for name in cols[4].split("|") if name for n in names_fr(name)]
    return "permanent_representative_to_the_un_of_" + cols[0][len(PREFIX):], en, fr


def main() -> None:
    add_derived("permanent representatives to the United Nations", derive, short, "united_nations")


if __name__ == "__main__":
    main()
