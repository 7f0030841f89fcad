#!/usr/bin/env python3
"""Adds to rules/gazetteer/positions.tsv the feminine French titles the table
lacks: « cheffe du gouvernement tunisien » beside « chef du gouvernement
tunisien », « cheffe de la diplomatie … », « cheffe de l'État … ». Press
texts write both since the 2010s (« la cheffe du gouvernement, Najla Bouden
Romdhane »); the masculine-only table missed every one of them.

Idempotent: run it again after editing the table.
"""
import pathlib

GAZ = pathlib.Path(__file__).resolve().parent.parent / "rules" / "gazetteer"
# Masculine openings and their feminine forms; the rest of the name agrees
# with the body or the country ("du gouvernement tunisien"), not the holder.
FEMININE = {"chef ": "cheffe "}


def main():
    path = GAZ / "positions.tsv"
    out, added = [], 0
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if line.startswith("#") or len(cols) < 5 or cols[0] == "key":
            out.append(line)
            continue
        names = [n for n in cols[4].split("|") if n]
        for name in list(names):
            for masculine, feminine in FEMININE.items():
                if name.startswith(masculine):
                    form = feminine + name[len(masculine):]
                    if form not in names:
                        names.append(form)
                        added += 1
        cols[4] = "|".join(names)
        out.append("\t".join(cols))
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{added} names added")


if __name__ == "__main__":
    main()
