"""Oxigraph's own speed at writing a dataset textkg wrote: loads STORE_NQ (textkg's
store.nq) into a pyoxigraph store in memory, then dumps it once as N-Quads and once as TriG
(with the prefixes of textkg's graph.trig beside it), the two files `textkg extract` writes
with its store. Prints one RESULT line; the rate counts each quad once, as textkg writes
each quad once into each file.

Usage: dataset_dump.py STORE_NQ OUT_DIR
"""

import os
import re
import sys
import time

import pyoxigraph as ox


def main() -> None:
    store_nq, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    prefixes = {}
    trig = os.path.join(os.path.dirname(store_nq), "graph.trig")
    if os.path.exists(trig):
        with open(trig, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"@prefix ([^:\s]*): <([^>]*)> \.", line)
                if not m:
                    break
                prefixes[m.group(1)] = m.group(2)
    store = ox.Store()
    store.bulk_load(path=store_nq, format=ox.RdfFormat.N_QUADS)
    quads = len(store)
    t0 = time.perf_counter()
    store.dump(os.path.join(out, "store.nq"), ox.RdfFormat.N_QUADS)
    t1 = time.perf_counter()
    store.dump(os.path.join(out, "graph.trig"), ox.RdfFormat.TRIG, prefixes=prefixes)
    t2 = time.perf_counter()
    print(
        f"RESULT quads={quads} nquads_s={t1 - t0:.3f} trig_s={t2 - t1:.3f} "
        f"dump_quads_per_s={int(quads / (t2 - t0))}"
    )


if __name__ == "__main__":
    main()
