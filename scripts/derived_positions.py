"""What scripts/deputy_positions.py and scripts/vice_president_positions.py
share: adding to rules/gazetteer/positions.tsv an office made from another
one's entry, keeping its country (`affiliated_with=`), before the section of
titles several states use. Entries already there (edited by hand) stay.
"""
import pathlib
from typing import Callable, Optional

GAZ = pathlib.Path(__file__).resolve().parent.parent / "rules" / "gazetteer"

# From an entry's columns: the new key, its English and its French names;
# None for an entry it is not made from.
Derive = Callable[[list[str]], Optional[tuple[str, list[str], list[str]]]]


def add_derived(what: str, derive: Derive, short: Optional[Callable[[list[str]], list[str]]] = None, part_of: str = "") -> None:
    """`short` gives an entry's short names (`~…`, see rules/README.md),
    which stand for it only in a text that names `part_of`."""
    path = GAZ / "positions.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    keys = {line.split("\t", 1)[0] for line in lines if line and not line.startswith("#")}
    added = []
    for line in lines:
        if not line or line.startswith("#"):
            continue
        cols = line.split("\t")
        made = derive(cols)
        if made is None:
            continue
        key, en, fr = made
        if key in keys or not en:
            continue
        aliases = "|".join(dict.fromkeys("~" + n for n in short(cols))) if short else ""
        attrs = cols[7] if len(cols) > 7 else ""
        if aliases and part_of:
            attrs = ";".join(a for a in (attrs, "part_of=" + part_of) if a)
        # No Wikidata item: a deputy's office is seldom one.
        row = [key, "Position", "", "|".join(dict.fromkeys(en)), "|".join(dict.fromkeys(fr)), aliases, "", attrs]
        added.append("\t".join(row))
    if not added:
        return
    at = next((i for i, line in enumerate(lines) if line.startswith("# Titles several states use")), len(lines))
    lines[at:at] = added
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"positions.tsv: {len(added)} {what} added")
