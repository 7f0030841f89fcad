"""Oxigraph's own speed on a dataset textkg made: bulk-loads DATASET_NQ (the N-Quads of
`textkg dump --format nq`) into a pyoxigraph store in memory, then dumps it as N-Quads.
Prints one RESULT line with both rates (in-process, each quad counted once).

Usage: dataset_dump.py DATASET_NQ OUT_DIR
"""

import os
import sys
import time

import pyoxigraph as ox


def main() -> None:
    dataset_nq, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    store = ox.Store()
    t0 = time.perf_counter()
    store.bulk_load(path=dataset_nq, format=ox.RdfFormat.N_QUADS)
    t1 = time.perf_counter()
    quads = len(store)
    t2 = time.perf_counter()
    store.dump(os.path.join(out, "dataset.nq"), ox.RdfFormat.N_QUADS)
    t3 = time.perf_counter()
    print(
        f"RESULT quads={quads} load_s={t1 - t0:.3f} dump_s={t3 - t2:.3f} "
        f"load_quads_per_s={int(quads / (t1 - t0))} dump_quads_per_s={int(quads / (t3 - t2))}"
    )


if __name__ == "__main__":
    main()
