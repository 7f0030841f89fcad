#!/usr/bin/env python3
"""Adds to each national office of rules/gazetteer/positions.tsv the names
sources write with the country's abbreviation: "Foreign Minister of the
UAE", "President of the DRC", « président de la RDC », « ministre des
Affaires étrangères des EAU ». The offices are generated from the
countries' full names, so without these a title with the abbreviation
names no office, and the person after it holds none.

Each name that contains the full name is written again with the
abbreviation, the article before it kept ("of the …", « de la … », « des
… »). Only abbreviations that sources put after an article are used: not
"PNG" or "FYROM". The new names go to the `aliases` column; those already
there are kept.

Idempotent: run it again after editing positions.tsv.
"""
import pathlib

GAZ = pathlib.Path(__file__).resolve().parent.parent / "rules" / "gazetteer"

# (full name, abbreviation) as the names of an office write them: in
# English after "of the", in French after the article « la » or « des ».
ENGLISH = [
    ("of the United Arab Emirates", "of the UAE"),
    ("of the United Kingdom", "of the UK"),
    ("of the United States", "of the US"),
    ("of the United States", "of the U.S."),
    ("of the Democratic Republic of the Congo", "of the DRC"),
    ("of the People's Republic of China", "of the PRC"),
    ("of the Democratic People's Republic of Korea", "of the DPRK"),
    ("of the Republic of Korea", "of the ROK"),
    ("of the Central African Republic", "of the CAR"),
]
FRENCH = [
    ("des Émirats arabes unis", "des EAU"),
    ("de la République démocratique du Congo", "de la RDC"),
    ("de la République centrafricaine", "de la RCA"),
    ("de la République populaire de Chine", "de la RPC"),
    ("de la République populaire démocratique de Corée", "de la RPDC"),
]


def abbreviated(names: list[str], pairs: list[tuple[str, str]]) -> list[str]:
    out = []
    for name in names:
        for full, short in pairs:
            if name.endswith(full):
                out.append(name[: -len(full)] + short)
    return out


def main() -> None:
    path = GAZ / "positions.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    changed = 0
    for i, line in enumerate(lines):
        if not line or line.startswith("#") or line.startswith("key\t"):
            continue
        cols = line.split("\t")
        if len(cols) < 6 or cols[1] != "Position":
            continue
        names = [n for col in cols[3:6] for n in col.split("|") if n and not n.startswith("~")]
        new = abbreviated(names, ENGLISH) + abbreviated(names, FRENCH)
        have = set(names)
        new = [n for n in dict.fromkeys(new) if n not in have]
        if not new:
            continue
        cols[5] = "|".join(a for a in [cols[5]] + new if a)
        lines[i] = "\t".join(cols)
        changed += 1
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"positions.tsv: abbreviated country names added to {changed} offices")


if __name__ == "__main__":
    main()
