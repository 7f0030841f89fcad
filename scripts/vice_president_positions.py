#!/usr/bin/env python3
"""Adds to rules/gazetteer/positions.tsv a vice-president for each country
of VICE_PRESIDENCIES whose president is listed: "Vice President of Costa
Rica", "Costa Rican Vice-President", « vice-présidente du Costa Rica ».
A vice-president signs, attends and chairs as often as a deputy prime
minister does, and without an entry of its own "Vice President of Ghana"
reads as the president's office (the president's name is inside it).

Each entry is made from the president's: every English name gets "Vice "
and "Vice-" before "President", every French one « vice- » before
« président(e) ». Names that are not a president's title ("chef de l'État
…") are left out. The key is the president's with `vice_` in front; the
country stays the same. Entries already there are left as they are.

Idempotent: run it again after editing positions.tsv.
"""
import re

from derived_positions import add_derived

# Countries whose constitution has (or, in the period the corpus covers,
# had) a vice-president of the republic. South Africa's is the "Deputy
# President", which the English names below give.
VICE_PRESIDENCIES = {
    "afghanistan", "angola", "argentina", "benin", "bolivia", "botswana", "brazil",
    "burundi", "china", "colombia", "costa_rica", "cote_d_ivoire", "cuba",
    "dominican_republic", "ecuador", "el_salvador", "equatorial_guinea", "gambia",
    "ghana", "guatemala", "guyana", "honduras", "india", "indonesia", "iran", "iraq",
    "kenya", "laos", "liberia", "malawi", "maldives", "myanmar", "namibia",
    "nicaragua", "nigeria", "panama", "paraguay", "peru", "philippines", "seychelles",
    "sierra_leone", "south_africa", "south_sudan", "suriname", "syria", "tanzania",
    "uganda", "uruguay", "venezuela", "vietnam", "yemen", "zambia", "zimbabwe",
    "united_arab_emirates", "mauritius", "gabon", "kiribati", "palau", "micronesia",
    "taiwan", "comoros",
}
EN_TITLE = re.compile(r"\bPresident\b")
FR_TITLE = re.compile(r"\bprésident(e)?\b")


def vice_en(name: str) -> list[str]:
    m = EN_TITLE.search(name)
    if not m:
        return []
    head, tail = name[: m.start()], name[m.start():]
    return [head + "Vice " + tail, head + "Vice-" + tail]


def vice_fr(name: str) -> list[str]:
    m = FR_TITLE.search(name)
    if not m or not name.startswith("présid"):
        return []
    return [name[: m.start()] + "vice-" + name[m.start():]]


def deputy_president_en(name: str) -> list[str]:
    m = EN_TITLE.search(name)
    return [name[: m.start()] + "Deputy " + name[m.start():]] if m else []


def derive(cols: list[str]) -> tuple[str, list[str], list[str]] | None:
    country = cols[0].removeprefix("president_of_")
    if country == cols[0] or country not in VICE_PRESIDENCIES:
        return None
    make_en = deputy_president_en if country == "south_africa" else vice_en
    en = [v for n in cols[3].split("|") if n for v in make_en(n)]
    fr = [v for n in cols[4].split("|") if n for v in vice_fr(n)]
    return "vice_" + cols[0], en, fr


def main() -> None:
    add_derived("vice-presidents", derive)

if __name__ == "__main__":
    main()
