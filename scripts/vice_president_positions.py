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
import pathlib
import re

GAZ = pathlib.Path(__file__).resolve().parent.parent / "rules" / "gazetteer"

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


def main() -> None:
    path = GAZ / "positions.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    keys = {line.split("\t", 1)[0] for line in lines if line and not line.startswith("#")}
    added = []
    for line in lines:
        cols = line.split("\t")
        if not line or line.startswith("#") or not cols[0].startswith("president_of_"):
            continue
        country = cols[0][len("president_of_"):]
        key = "vice_" + cols[0]
        if country not in VICE_PRESIDENCIES or key in keys:
            continue
        make_en = deputy_president_en if country == "south_africa" else vice_en
        en = [v for n in cols[3].split("|") if n for v in make_en(n)]
        fr = [v for n in cols[4].split("|") if n for v in vice_fr(n)]
        if not en:
            continue
        row = [key, "Position", "", "|".join(dict.fromkeys(en)), "|".join(dict.fromkeys(fr)), "", "", cols[7] if len(cols) > 7 else ""]
        added.append("\t".join(row))
    if not added:
        return
    at = next((i for i, line in enumerate(lines) if line.startswith("# Titles several states use")), len(lines))
    lines[at:at] = added
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"positions.tsv: {len(added)} vice-presidents added")


if __name__ == "__main__":
    main()
