#!/usr/bin/env bash
# Side-by-side benchmark: textkg vs the Python peer (spaCy rules), ripgrep and pyoxigraph.
# One run on one machine; results go to stdout, progress to stderr (only on a terminal).
# It is a measurement, not a test: it exits 0 even when targets are missed
# (non-zero only when textkg itself cannot be built).
#
# Environment (all optional):
#   SHARED       the shared folder (default: ../shared relative to the repo)
#   BENCH_DIR    scratch folder for corpora, outputs and logs (default: /tmp/textkg-bench)
#   CARGO_TARGET_DIR  honoured when building and locating the binary
#   PROFILE      the cargo profile measured (default: release-lto, the build for large corpora;
#                `release` is the README's)
#   PGO          1 (default): measure the release-lto build optimised with a profile of
#                extracting the dev and seed documents (scripts/build-pgo.sh; needs the
#                llvm-profdata of rustc's LLVM, which it installs as llvm-N with apt-get when run
#                as root, and falls back to
#                PROFILE's build with a note without it); 0: PROFILE's build
#   RUNS         repetitions of the short measurements, median reported (default: 3)
#   FR_MB        size of the repeated French corpus in MB (default: 20)
#   BIG_COPIES   copies of the 35 MB JSONL in the memory-check corpus (default: 10)
#   PEER_MAX_MB  run the Python peer on a prefix of this many MB (default: 0 = whole corpus)
#   N_TRIPLES    size of the synthetic store (default: 1000000)
#   VENV         the peer's virtualenv (default: ~/.cache/textkg-bench/venv)
#   SKIP_PEER=1  skip the Python peer;  SKIP_BIG=1  skip the 350 MB memory check
#   ROCKSDB=1    also time loading into RocksDB against pyoxigraph on disk: builds textkg with
#                the rocksdb feature in ROCKSDB_TARGET_DIR (default: the target dir + -rocksdb;
#                libclang needed, 20+ minutes of C++ the first time; built `--release` whatever
#                PROFILE says: loading is Oxigraph's and RocksDB's code, and a second profile
#                would build RocksDB's C++ again)
set -euo pipefail
export LC_ALL=C

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SHARED:-$REPO/../shared}
SHARED=$(cd "$SHARED" && pwd) || { echo "compare.sh: SHARED folder not found: $SHARED" >&2; exit 2; }
BENCH_DIR=${BENCH_DIR:-/tmp/textkg-bench}
RUNS=${RUNS:-3}
PROFILE=${PROFILE:-release-lto}
FR_MB=${FR_MB:-20}
BIG_COPIES=${BIG_COPIES:-10}
PEER_MAX_MB=${PEER_MAX_MB:-0}
N_TRIPLES=${N_TRIPLES:-1000000}
VENV=${VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/textkg-bench/venv}
PEERS=$SHARED/peers
LARGE=$SHARED/corpus/large/whitehouse-statements.jsonl
DEV=$SHARED/corpus/dev

mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
LOGS=$BENCH_DIR/logs
CORP=$BENCH_DIR/corpora
OUTS=$BENCH_DIR/out
mkdir -p "$LOGS" "$CORP" "$OUTS"

# ---------------------------------------------------------------------------------------------
# helpers
progress() { if [ -t 2 ]; then printf 'compare.sh: %s\n' "$*" >&2; fi; }
note()     { printf 'compare.sh: %s\n' "$*" >&2; NOTES+=("$*"); }
NOTES=()
fsize()    { stat -c %s "$1"; }
mb()       { awk -v b="$1" 'BEGIN { printf "%.2f", b / 1e6 }'; }
div()      { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
ge()       { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "n/a" && a + 0 >= b + 0) }'; }
le()       { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "n/a" && a + 0 <= b + 0) }'; }
verdict()  { if [ "$2" = n/a ]; then echo "NOT MEASURED"; elif "$@"; then echo MET; else echo MISSED; fi; }
x()        { if [ "$1" = n/a ]; then echo n/a; else echo "${1}x"; fi; }
median()   { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "n/a"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# bench LABEL N CMD...: run CMD N times under /usr/bin/time -v, stdout/stderr to $LOGS/LABEL.*.
# When BENCH_FRESH names a path, it is removed before every run.
# Sets WALL[LABEL] (median wall seconds), CPU[LABEL] (median user + system seconds),
# RSS[LABEL] (max peak RSS, MB), RC[LABEL] (last exit code).
declare -A WALL CPU RSS RC
bench() {
  local label=$1 n=$2; shift 2
  local i t0 t1 rc walls="" cpus="" rss=0 r
  for ((i = 1; i <= n; i++)); do
    progress "$label (run $i/$n)"
    if [ -n "${BENCH_FRESH:-}" ]; then rm -rf "$BENCH_FRESH"; fi   # e.g. an output folder textkg would reuse as a cache
    t0=$(date +%s.%N)
    set +e
    /usr/bin/time -v -o "$LOGS/$label.time" "$@" >"$LOGS/$label.out" 2>"$LOGS/$label.err"
    rc=$?
    set -e
    t1=$(date +%s.%N)
    walls+=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')$'\n'
    cpus+=$(awk -F: '/(User|System) time \(seconds\)/ { t += $2 } END { printf "%.2f", t }' "$LOGS/$label.time")$'\n'
    r=$(awk -F: '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }' "$LOGS/$label.time")
    rss=$(awk -v a="$rss" -v b="${r:-0}" 'BEGIN { print (b > a ? b : a) }')
  done
  WALL[$label]=$(printf '%s' "$walls" | median)
  CPU[$label]=$(printf '%s' "$cpus" | median)
  RSS[$label]=$rss
  RC[$label]=$rc
}

# ---------------------------------------------------------------------------------------------
# 1. build textkg; snapshot the binary and the rule pack (others may rebuild while we measure)
[ -x /usr/bin/time ] || { echo "compare.sh: /usr/bin/time is missing (apt-get install -y time)" >&2; exit 2; }
[ -f "$LARGE" ] || { echo "compare.sh: large corpus not found: $LARGE (set SHARED)" >&2; exit 2; }
progress "building textkg (cargo build --profile $PROFILE, log in $LOGS/cargo-build.log)"
if ! (cd "$REPO" && cargo build --profile "$PROFILE" --bins --example store_load >"$LOGS/cargo-build.log" 2>&1); then
  echo "compare.sh: cargo build --profile $PROFILE failed; last lines of $LOGS/cargo-build.log:" >&2
  tail -20 "$LOGS/cargo-build.log" >&2
  exit 1
fi
TARGET=${CARGO_TARGET_DIR:-target}
case $TARGET in /*) ;; *) TARGET=$REPO/$TARGET ;; esac
cp "$TARGET/$PROFILE/textkg" "$BENCH_DIR/textkg"
BUILD="cargo profile $PROFILE"
if [ "${PGO:-1}" = 1 ]; then
  progress "building with profile-guided optimisation (scripts/build-pgo.sh, log in $LOGS/build-pgo.log)"
  # Trained on the dev and seed documents: the White House corpus is not among them (the
  # French corpus repeats the dev documents, so its figure is a trained one).
  if pgo=$(cd "$REPO" && TRAIN="$SHARED/corpus/dev $SHARED/corpus/seeds" scripts/build-pgo.sh 2>"$LOGS/build-pgo.log"); then
    cp "$pgo" "$BENCH_DIR/textkg"
    BUILD="cargo profile release-lto with PGO, trained on the dev and seed documents"
  else
    note "the PGO build failed (see $LOGS/build-pgo.log): measuring the $PROFILE build"
  fi
fi
cp "$TARGET/$PROFILE/examples/store_load" "$BENCH_DIR/store_load"
TK=$BENCH_DIR/textkg
TK_LOADER=$BENCH_DIR/store_load
TK_LOADER_DISK=""
if [ "${ROCKSDB:-0}" = 1 ]; then
  ROCKSDB_TARGET_DIR=${ROCKSDB_TARGET_DIR:-$TARGET-rocksdb}
  progress "building the rocksdb feature in $ROCKSDB_TARGET_DIR (log in $LOGS/cargo-build-rocksdb.log)"
  if (cd "$REPO" && CARGO_TARGET_DIR=$ROCKSDB_TARGET_DIR cargo build --release --features rocksdb --example store_load >"$LOGS/cargo-build-rocksdb.log" 2>&1); then
    cp "$ROCKSDB_TARGET_DIR/release/examples/store_load" "$BENCH_DIR/store_load_rocksdb"
    TK_LOADER_DISK=$BENCH_DIR/store_load_rocksdb
  else
    note "the rocksdb build failed (see $LOGS/cargo-build-rocksdb.log): RocksDB loading not measured"
  fi
fi
rm -rf "$BENCH_DIR/rules" && cp -r "$REPO/rules" "$BENCH_DIR/rules"
RULES=$BENCH_DIR/rules
TK_VERSION="$("$TK" --version 2>/dev/null || echo textkg) ($BUILD)"

# ---------------------------------------------------------------------------------------------
# 2. corpora
progress "preparing corpora in $CORP"
FR=$CORP/fr-${FR_MB}mb.txt
if [ ! -s "$FR" ]; then
  shopt -s nullglob
  frdocs=("$DEV"/*.fr.txt)
  shopt -u nullglob
  [ ${#frdocs[@]} -gt 0 ] || { echo "compare.sh: no French dev documents in $DEV" >&2; exit 2; }
  : >"$FR.tmp"
  target_bytes=$((FR_MB * 1000000))
  while [ "$(fsize "$FR.tmp")" -lt "$target_bytes" ]; do
    for f in "${frdocs[@]}"; do cat "$f"; printf '\n\n'; done >>"$FR.tmp"
  done
  mv "$FR.tmp" "$FR"
fi
# the same repetitions as separate documents (JSON Lines, distinct ids): what a corpus of
# French press texts is, and what --jobs spreads over the cores
FRDOCS=$CORP/fr-${FR_MB}mb-docs.jsonl
if [ ! -s "$FRDOCS" ]; then
  python3 - "$DEV" "$FR_MB" "$FRDOCS" <<'PY'
import glob, json, os, sys
dev, mb, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
docs = [(os.path.basename(f), open(f, encoding="utf-8").read()) for f in sorted(glob.glob(dev + "/*.fr.txt"))]
size, copy = 0, 0
with open(out + ".tmp", "w", encoding="utf-8") as w:
    while size < mb * 1000000:
        for name, text in docs:
            line = json.dumps({"id": f"{name}-{copy}", "text": text}, ensure_ascii=False) + "\n"
            w.write(line)
            size += len(line.encode("utf-8"))
        copy += 1
os.rename(out + ".tmp", out)
PY
fi

LARGE_TXT=$CORP/whitehouse-statements.txt
if [ ! -s "$LARGE_TXT" ]; then
  python3 - "$LARGE" "$LARGE_TXT.tmp" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f, open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in f:
        if line.strip():
            t = json.loads(line).get("text") or ""
            out.write(t.strip() + "\n\n")
PY
  mv "$LARGE_TXT.tmp" "$LARGE_TXT"
fi

BIG=$CORP/whitehouse-x${BIG_COPIES}.jsonl
if [ "${SKIP_BIG:-0}" != 1 ] && [ ! -s "$BIG" ]; then
  progress "generating the ${BIG_COPIES}x JSONL corpus"
  if grep -qv '^{"id": "' "$LARGE"; then
    python3 - "$LARGE" "$BIG.tmp" "$BIG_COPIES" <<'PY'
import json, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
with open(dst, "w", encoding="utf-8") as out:
    for k in range(1, n + 1):
        with open(src, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    d = json.loads(line); d["id"] = f"copy{k}-{d.get('id', '')}"
                    out.write(json.dumps(d, ensure_ascii=False) + "\n")
PY
  else
    : >"$BIG.tmp"
    for ((k = 1; k <= BIG_COPIES; k++)); do sed "s/^{\"id\": \"/{\"id\": \"copy$k-/" "$LARGE" >>"$BIG.tmp"; done
  fi
  mv "$BIG.tmp" "$BIG"
fi

PEER_FR=$FR PEER_LARGE=$LARGE_TXT
if [ "$PEER_MAX_MB" != 0 ]; then
  # a prefix cut at a paragraph boundary
  for v in PEER_FR PEER_LARGE; do
    src=${!v}; dst=$CORP/$(basename "$src" .txt)-prefix${PEER_MAX_MB}mb.txt
    # (the last, possibly cut, paragraph is dropped)
    head -c $((PEER_MAX_MB * 1000000)) "$src" | awk 'BEGIN { RS = ""; ORS = "\n\n" } NR > 1 { print prev } { prev = $0 }' >"$dst"
    printf -v "$v" '%s' "$dst"
  done
fi

# the gazetteer names: columns en, fr, aliases, demonyms of every table, one per line
TERMS=$CORP/gazetteer-terms.txt
for f in "$RULES"/gazetteer/*.tsv; do
  awk -F'\t' '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == "en" || $i == "fr" || $i == "aliases" || $i == "demonyms") c[i] = 1; next }
    /^#/ || NF == 0 { next }
    { for (i in c) { n = split($i, a, "|"); for (j = 1; j <= n; j++) { gsub(/^ +| +$/, "", a[j]); if (a[j] != "") print a[j] } } }' "$f"
done | sort -u >"$TERMS"

SZ_LARGE=$(fsize "$LARGE"); SZ_LARGE_TXT=$(fsize "$LARGE_TXT"); SZ_FR=$(fsize "$FR"); SZ_FRDOCS=$(fsize "$FRDOCS")
SZ_PEER_FR=$(fsize "$PEER_FR"); SZ_PEER_LARGE=$(fsize "$PEER_LARGE")
SZ_BIG=0; [ -s "$BIG" ] && SZ_BIG=$(fsize "$BIG")
for f in "$LARGE" "$FR" "$LARGE_TXT"; do cat "$f" >/dev/null; done   # warm the page cache
# The compiled pack (README: kept between runs), made once here as a user's first run makes
# it; every timed run reads it back. The first run of a pack compiles it: 0.04 s more.
export TEXTKG_CACHE_DIR=$BENCH_DIR/pack-cache
printf '{"id": "warm-up", "text": "Warm-up."}\n' >"$CORP/warm-up.jsonl"
rm -rf "$OUTS/warm-up"; "$TK" extract "$CORP/warm-up.jsonl" --rules "$RULES" --out "$OUTS/warm-up" --quiet >/dev/null 2>&1 || true

# ---------------------------------------------------------------------------------------------
# 3. textkg extract, --jobs 1 and 2
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
tk_extract() { # label runs input jobs [extra args]
  # a fresh output folder for every run: textkg reuses extractions.bin from a previous run there
  local label=$1 runs=$2 input=$3 jobs=$4; shift 4
  BENCH_FRESH=$OUTS/$label bench "$label" "$runs" "$TK" extract "$input" --rules "$RULES" --out "$OUTS/$label" --jobs "$jobs" --quiet "$@"
  if [ "${RC[$label]}" -gt 1 ]; then note "$label: textkg extract exited ${RC[$label]} (see $LOGS/$label.err)"; fi
}
# with the store (the default: graph files and the store file store.bin), then without it (--no-store:
# the graph files only), interleaved so that drift in the machine's speed hits both alike
for c in large fr frdocs; do
  case $c in large) in=$LARGE ;; fr) in=$FR ;; frdocs) in=$FRDOCS ;; esac
  for j in 1 2; do
    tk_extract tk_${c}_j$j "$RUNS" "$in" $j
    tk_extract tk_${c}_j${j}_ns "$RUNS" "$in" $j --no-store
  done
done
if [ "${SKIP_BIG:-0}" != 1 ]; then
  cat "$BIG" >/dev/null
  tk_extract tk_big_j1 1 "$BIG" 1
  tk_extract tk_big_j2 1 "$BIG" 2
fi

# ---------------------------------------------------------------------------------------------
# 5. ripgrep, the single-pass limit
RG=$(command -v rg || true)
if [ -z "$RG" ]; then
  progress "installing ripgrep"
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y ripgrep >"$LOGS/apt-ripgrep.log" 2>&1 ||
      { apt-get update >>"$LOGS/apt-ripgrep.log" 2>&1 && apt-get install -y ripgrep >>"$LOGS/apt-ripgrep.log" 2>&1; } || true
  fi
  RG=$(command -v rg || true)
fi
if [ -n "$RG" ]; then
  bench rg_large "$RUNS" "$RG" -c -F -f "$TERMS" "$LARGE"
  bench rg_fr "$RUNS" "$RG" -c -F -f "$TERMS" "$FR"
  bench rg_frdocs "$RUNS" "$RG" -c -F -f "$TERMS" "$FRDOCS"
else
  note "ripgrep not available and could not be installed: rg step skipped"
fi

# ---------------------------------------------------------------------------------------------
# 4. the Python peer, in a cached virtualenv
PY=""
if [ "${SKIP_PEER:-0}" = 1 ]; then
  note "SKIP_PEER=1: Python peer and pyoxigraph skipped"
else
  REQ=$PEERS/requirements.txt
  want=$(sha256sum "$REQ" | cut -d' ' -f1)
  if [ -x "$VENV/bin/python" ] && [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" = "$want" ]; then
    PY=$VENV/bin/python
  else
    progress "creating the peer virtualenv in $VENV (pip install -r $REQ)"
    rm -rf "$VENV"; mkdir -p "$(dirname "$VENV")"
    if python3 -m venv "$VENV" >"$LOGS/venv.log" 2>&1 &&
      "$VENV/bin/pip" install -r "$REQ" >>"$LOGS/venv.log" 2>&1; then
      echo "$want" >"$VENV/.requirements.sha256"
      PY=$VENV/bin/python
    else
      note "could not create the peer virtualenv (see $LOGS/venv.log): Python peer and pyoxigraph skipped"
    fi
  fi
fi
if [ -n "$PY" ]; then
  for c in fr large; do
    if [ $c = fr ]; then in=$PEER_FR; else in=$PEER_LARGE; fi
    cat "$in" >/dev/null
    bench peer_$c 1 "$PY" "$PEERS/spacy_rules_pipeline.py" "$in" --no-rdf
    # and with its RDF (rdflib Turtle with a provenance node per triple, networkx DOT): what
    # textkg with its store does
    bench peer_${c}_rdf 1 "$PY" "$PEERS/spacy_rules_pipeline.py" "$in" --provenance \
      --out-ttl "$OUTS/peer_$c.ttl" --out-dot "$OUTS/peer_$c.dot"
    for l in peer_$c peer_${c}_rdf; do
      if [ "${RC[$l]}" != 0 ]; then
        note "peer run $l exited ${RC[$l]} (see $LOGS/$l.err)"; unset "WALL[$l]"
      fi
    done
  done
fi

# ---------------------------------------------------------------------------------------------
# 6. store loading: ~1M synthetic triples, pyoxigraph in memory vs textkg query startup
NT=$CORP/synth-$N_TRIPLES.nt
[ -s "$NT" ] || python3 "$PEERS/gen_synth_nt.py" "$N_TRIPLES" "$NT" >"$LOGS/gen_synth_nt.log" 2>&1
NT_TRIPLES=$(wc -l <"$NT")
OX_LOAD="" OX_BULK=""
if [ -n "$PY" ]; then
  cat "$NT" >/dev/null
  for m in ox-load-mem ox-bulk-mem; do
    bench "$m" 1 "$PY" "$PEERS/rdf_bench.py" "$m" "$NT"
    r=$(sed -n 's/.*triples_per_s=\([0-9_]*\).*/\1/p' "$LOGS/$m.out" | tr -d _)
    [ -n "$r" ] || note "$m printed no rate (see $LOGS/$m.err)"
    if [ $m = ox-load-mem ]; then OX_LOAD=$r; else OX_BULK=$r; fi
  done
fi
STORE=$OUTS/store-synth
mkdir -p "$STORE" "$OUTS/store-empty"
cp "$NT" "$STORE/store.nq"
: >"$OUTS/store-empty/store.nq"
bench tk_store "$RUNS" "$TK" query --store "$STORE" 'ASK {}'
bench tk_store_empty "$RUNS" "$TK" query --store "$OUTS/store-empty" 'ASK {}'
[ "${RC[tk_store]}" = 0 ] || note "textkg query on the synthetic store exited ${RC[tk_store]} (see $LOGS/tk_store.err)"
# in-process rates, as pyoxigraph's are: RESULT lines
rate_of() { sed -n 's/.*triples_per_s=\([0-9_]*\).*/\1/p' "$LOGS/$1.out" | tr -d _ | head -1; }
bench tk_load_mem 1 "$TK_LOADER" "$NT"
TK_LOAD_MEM=$(rate_of tk_load_mem)
OX_LOAD_DISK="" OX_BULK_DISK="" TK_LOAD_DISK=""
if [ -n "$TK_LOADER_DISK" ]; then
  bench tk_load_disk 1 "$TK_LOADER_DISK" "$NT" "$OUTS/rocksdb-textkg"
  TK_LOAD_DISK=$(rate_of tk_load_disk)
  if [ -n "$PY" ]; then
    for m in ox-load-disk ox-bulk-disk; do
      bench "$m" 1 "$PY" "$PEERS/rdf_bench.py" "$m" "$NT" "$OUTS/rocksdb-$m"
    done
    OX_LOAD_DISK=$(rate_of ox-load-disk) OX_BULK_DISK=$(rate_of ox-bulk-disk)
  fi
  rm -rf "$OUTS"/rocksdb-*
fi
# Turtle export of the same triples, with the prefixes rdf_bench.py gives pyoxigraph
TTL_PREFIXES=(--prefix ex=http://example.org/kg/ --prefix rel=http://example.org/kg/rel/
  --prefix rdf=http://www.w3.org/1999/02/22-rdf-syntax-ns# --prefix xsd=http://www.w3.org/2001/XMLSchema#)
bench tk_dump_ttl "$RUNS" "$TK" dump --store "$STORE" --format ttl --graph default "${TTL_PREFIXES[@]}" -o "$OUTS/synth-textkg.ttl"
TK_DUMP=$(sed -n 's/.* in \([0-9.]*\)s (\([0-9]*\) per second.*/\2/p' "$LOGS/tk_dump_ttl.err")
OX_DUMP=""
if [ -n "$PY" ]; then
  bench ox-ttl 1 "$PY" "$PEERS/rdf_bench.py" ox-ttl "$NT" "$OUTS/synth-pyoxigraph.ttl"
  OX_DUMP=$(sed -n 's/.*dump_triples_per_s=\([0-9_]*\).*/\1/p' "$LOGS/ox-ttl.out" | tr -d _)
fi

# The dataset of the French documents (a provenance record per fact and source: most of the
# store). textkg's store file holds the graph it is made from; `query` makes the quads and loads
# them when it opens it. Timed: opening that store (`query ASK {}`, whole process), and writing
# the dataset as N-Quads (`dump`, its own count and time); against pyoxigraph bulk-loading the same
# N-Quads into memory and dumping them as N-Quads (in-process).
OX_DS_LOAD="" OX_DS_DUMP="" DS_QUADS="" TK_DS_DUMP=""
DS_STORE=$OUTS/tk_frdocs_j1
DS_NQ=$OUTS/frdocs-dataset.nq
if [ -s "$DS_STORE/store.bin" ]; then
  bench tk_open_frdocs "$RUNS" "$TK" query --store "$DS_STORE" "ASK {}"
  bench tk_dump_frdocs "$RUNS" "$TK" dump --store "$DS_STORE" --format nq -o "$DS_NQ"
  TK_DS_DUMP=$(sed -n 's/.* in \([0-9.]*\)s (\([0-9]*\) per second.*/\2/p' "$LOGS/tk_dump_frdocs.err")
  DS_QUADS=$(wc -l <"$DS_NQ")
  if [ -n "$PY" ]; then
    bench ox-dataset 1 "$PY" "$REPO/bench/dataset_dump.py" "$DS_NQ" "$OUTS/ox-dataset"
    OX_DS_LOAD=$(sed -n 's/.*load_quads_per_s=\([0-9]*\).*/\1/p' "$LOGS/ox-dataset.out")
    OX_DS_DUMP=$(sed -n 's/.*dump_quads_per_s=\([0-9]*\).*/\1/p' "$LOGS/ox-dataset.out")
    [ -n "$OX_DS_DUMP" ] || note "ox-dataset printed no rate (see $LOGS/ox-dataset.err)"
    rm -rf "$OUTS/ox-dataset"
  fi
else
  note "no store file from the French documents' run: the dataset was not measured"
fi

# ---------------------------------------------------------------------------------------------
# 7. report
mbps() { # bytes label
  if [ -n "${WALL[$2]:-}" ]; then div "$(mb "$1")" "${WALL[$2]}"; else echo n/a; fi
}
row() { printf '| %-64s | %8s | %8s | %8s | %8s | %11s |\n' "$@"; }
cell() { echo "${1:-n/a}"; }

echo "textkg side-by-side benchmark — $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
echo "load average (1/5/15 min) before the measurements: $LOAD_START, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$TK_VERSION; wall time is the median of $RUNS runs for textkg and rg, 1 run for the 350 MB corpus, the peer and pyoxigraph; MB = 10^6 bytes"
echo
row "run" "input MB" "wall s" "CPU s" "MB/s" "peak RSS MB"
row "$(printf '%064d' 0 | tr 0 -)" "--------" "--------" "--------" "--------" "-----------"
for c in large fr frdocs big; do
  case $c in
    large) sz=$SZ_LARGE; name="whitehouse JSONL (35 MB)" ;;
    fr) sz=$SZ_FR; name="French dev repeated (${FR_MB} MB, one .txt)" ;;
    frdocs) sz=$SZ_FRDOCS; name="French dev repeated, separate docs (JSONL)" ;;
    big) sz=$SZ_BIG; name="whitehouse JSONL x$BIG_COPIES" ;;
  esac
  for j in 1 2; do
    for v in "" _ns; do
      l=tk_${c}_j$j$v
      [ -n "${WALL[$l]:-}" ] || continue
      flag=""; [ -n "$v" ] && flag=" --no-store"
      row "textkg extract --jobs $j$flag, $name" "$(mb "$sz")" "${WALL[$l]}" "${CPU[$l]}" "$(mbps "$sz" "$l")" "${RSS[$l]}"
    done
  done
done
if [ -n "$PY" ]; then
  pre=""; [ "$PEER_MAX_MB" != 0 ] && pre=" (${PEER_MAX_MB} MB prefix)"
  for c in fr large; do
    if [ $c = fr ]; then sz=$SZ_PEER_FR name="French"; else sz=$SZ_PEER_LARGE name="whitehouse text"; fi
    [ -n "${WALL[peer_$c]:-}" ] && row "spaCy peer --no-rdf, $name$pre" "$(mb "$sz")" "${WALL[peer_$c]}" "${CPU[peer_$c]}" "$(mbps "$sz" peer_$c)" "${RSS[peer_$c]}"
    [ -n "${WALL[peer_${c}_rdf]:-}" ] && row "spaCy peer with RDF --provenance, $name$pre" "$(mb "$sz")" "${WALL[peer_${c}_rdf]}" "${CPU[peer_${c}_rdf]}" "$(mbps "$sz" peer_${c}_rdf)" "${RSS[peer_${c}_rdf]}"
  done
fi
if [ -n "$RG" ]; then
  row "rg -c -F -f terms ($(wc -l <"$TERMS") names), whitehouse JSONL" "$(mb "$SZ_LARGE")" "${WALL[rg_large]}" "${CPU[rg_large]}" "$(mbps "$SZ_LARGE" rg_large)" "${RSS[rg_large]}"
  row "rg -c -F -f terms, French" "$(mb "$SZ_FR")" "${WALL[rg_fr]}" "${CPU[rg_fr]}" "$(mbps "$SZ_FR" rg_fr)" "${RSS[rg_fr]}"
  row "rg -c -F -f terms, French separate docs (JSONL)" "$(mb "$SZ_FRDOCS")" "${WALL[rg_frdocs]}" "${CPU[rg_frdocs]}" "$(mbps "$SZ_FRDOCS" rg_frdocs)" "${RSS[rg_frdocs]}"
fi
echo
echo "Store loading, $NT_TRIPLES synthetic triples ($(mb "$(fsize "$NT")") MB N-Triples):"
TK_LOAD=$(awk -v n="$NT_TRIPLES" -v t="${WALL[tk_store]}" 'BEGIN { printf "%.0f", n / t }')
printf '  textkg query --store (the N-Triples as store.nq) ASK {}: %s s whole process, %s triples/s, peak RSS %s MB (empty store: %s s)\n' \
  "${WALL[tk_store]}" "$TK_LOAD" "${RSS[tk_store]}" "${WALL[tk_store_empty]}"
[ -n "$OX_LOAD" ] && printf '  pyoxigraph Store().load() in memory:    %s triples/s (in-process, RESULT line), peak RSS %s MB\n' "$OX_LOAD" "${RSS[ox-load-mem]}"
[ -n "$OX_BULK" ] && printf '  pyoxigraph Store().bulk_load() in memory: %s triples/s (in-process), peak RSS %s MB\n' "$OX_BULK" "${RSS[ox-bulk-mem]}"
printf '  textkg loader in memory (examples/store_load, in-process): %s triples/s, peak RSS %s MB\n' "$(cell "$TK_LOAD_MEM")" "${RSS[tk_load_mem]}"
if [ -n "$TK_LOADER_DISK" ]; then
  printf '  textkg loader into RocksDB (in-process): %s triples/s; pyoxigraph on disk: load() %s, bulk_load() %s triples/s\n' \
    "$(cell "$TK_LOAD_DISK")" "$(cell "$OX_LOAD_DISK")" "$(cell "$OX_BULK_DISK")"
fi
echo "Turtle export of the same triples (same prefixes):"
printf '  textkg dump --format ttl: %s triples/s (its own count and time, store loading excluded)\n' "$(cell "$TK_DUMP")"
[ -n "$OX_DUMP" ] && printf '  pyoxigraph Store.dump() Turtle: %s triples/s (in-process)\n' "$OX_DUMP"
if [ -n "$DS_QUADS" ]; then
  DS_OPEN=$(awk -v q="$DS_QUADS" -v s="${WALL[tk_open_frdocs]}" 'BEGIN { printf "%.0f", q / s }')
  echo "The dataset of the French documents ($DS_QUADS quads, made from the $(mb "$(fsize "$DS_STORE/store.bin")") MB store file):"
  printf '  textkg query --store ASK {}: %s s whole process, %s quads/s, peak RSS %s MB\n' "${WALL[tk_open_frdocs]}" "$DS_OPEN" "${RSS[tk_open_frdocs]}"
  printf '  textkg dump --format nq: %s quads/s (its own count and time, store loading excluded), %s MB\n' "$(cell "$TK_DS_DUMP")" "$(mb "$(fsize "$DS_NQ")")"
  printf '  pyoxigraph bulk_load() of that N-Quads in memory: %s quads/s; Store.dump() as N-Quads: %s quads/s (in-process)\n' "$(cell "$OX_DS_LOAD")" "$(cell "$OX_DS_DUMP")"
fi

# ratios and targets
echo
echo "Ratios and targets (extraction judged with --jobs 2, the default on a 2-core machine; --jobs 1 in brackets):"
target() { printf '  %-72s %-10s %s\n' "$1" "$2" "$3"; }
# throughput ratio on the same text (the peer reads the texts, textkg the JSONL that holds
# them), like for like: textkg --no-store against the peer's --no-rdf, and textkg with its
# store against the peer with its RDF
spacy_ratio() { # textkg-label peer-label textkg-text-bytes peer-bytes
  if [ -n "${WALL[$1]:-}" ] && [ -n "${WALL[$2]:-}" ]; then
    div "$(div "$3" "${WALL[$1]}")" "$(div "$4" "${WALL[$2]}")"
  else echo n/a; fi
}
for c in fr large; do
  if [ $c = fr ]; then tsz=$SZ_FR psz=$SZ_PEER_FR; else tsz=$SZ_LARGE_TXT psz=$SZ_PEER_LARGE; fi
  for v in _ns ""; do
    if [ -n "$v" ]; then peer=peer_$c what="--no-store / peer --no-rdf"; else peer=peer_${c}_rdf what="with store / peer with RDF"; fi
    r1=$(spacy_ratio tk_${c}_j1$v $peer "$tsz" "$psz"); r2=$(spacy_ratio tk_${c}_j2$v $peer "$tsz" "$psz")
    target "textkg/spaCy throughput, $c, $what (--jobs 2; 1: $(x "$r1"))" "$(x "$r2")" "$(verdict ge "$r2" 100) (>= 100x)"
  done
done
if [ -n "$RG" ]; then
  for c in large fr frdocs; do
    for v in _ns ""; do
      what="--no-store"; [ -n "$v" ] || what="with store"
      r1=$(div "${WALL[tk_${c}_j1$v]}" "${WALL[rg_$c]}"); r2=$(div "${WALL[tk_${c}_j2$v]}" "${WALL[rg_$c]}")
      target "textkg time / rg time, $c, $what (--jobs 2; --jobs 1: $(x "$r1"))" "$(x "$r2")" "$(verdict le "$r2" 5) (<= 5x)"
    done
  done
else
  target "textkg time / rg time" "n/a" "NOT MEASURED (no rg)"
fi
for c in large fr frdocs big; do
  for v in "" _ns; do
    [ -n "${WALL[tk_${c}_j1$v]:-}" ] || continue
    what=""; [ -n "$v" ] && what=" --no-store"
    s=$(div "${WALL[tk_${c}_j1$v]}" "${WALL[tk_${c}_j2$v]}")
    target "--jobs 2 speedup over --jobs 1, $c$what" "$(x "$s")" "$(verdict ge "$s" 1.8) (>= 1.8x)"
  done
done
nt_lines() { if [ -f "$OUTS/$1/graph.nt" ]; then wc -l <"$OUTS/$1/graph.nt"; else echo 0; fi; }
for j in 1 2; do
  r35=${RSS[tk_large_j$j]}
  target "peak RSS on 35 MB, --jobs $j" "${r35} MB" "$(verdict le "$r35" 150) (<= 150 MB)"
  if [ -n "${WALL[tk_big_j$j]:-}" ]; then
    # "not beyond what the graph needs": memory may grow with the graph, not with the input
    g=$(div "${RSS[tk_big_j$j]}" "$r35")
    kg=$(div "$(nt_lines tk_big_j$j)" "$(nt_lines tk_large_j$j)")
    target "peak RSS growth 35 MB -> x$BIG_COPIES, --jobs $j (${r35} -> ${RSS[tk_big_j$j]} MB; graph.nt grows $(x "$kg"), input ${BIG_COPIES}x)" "$(x "$g")" "$(verdict le "$g" "$kg") (<= the graph's growth)"
  fi
done
l1=n/a l2=n/a
[ -n "$OX_LOAD" ] && l1=$(div "$TK_LOAD" "$OX_LOAD")
[ -n "$OX_BULK" ] && l2=$(div "$TK_LOAD" "$OX_BULK")
target "store load rate / pyoxigraph load() (bulk_load: $(x "$l2"))" "$(x "$l1")" "$(verdict ge "$l1" 0.9) (>= 0.9x)"
m1=n/a m2=n/a
[ -n "$OX_LOAD" ] && [ -n "$TK_LOAD_MEM" ] && m1=$(div "$TK_LOAD_MEM" "$OX_LOAD")
[ -n "$OX_BULK" ] && [ -n "$TK_LOAD_MEM" ] && m2=$(div "$TK_LOAD_MEM" "$OX_BULK")
target "in-process load rate in memory / pyoxigraph load() (bulk_load: $(x "$m2"))" "$(x "$m1")" "$(verdict ge "$m1" 0.9) (>= 0.9x)"
d1=n/a d2=n/a
[ -n "$OX_LOAD_DISK" ] && [ -n "$TK_LOAD_DISK" ] && d1=$(div "$TK_LOAD_DISK" "$OX_LOAD_DISK")
[ -n "$OX_BULK_DISK" ] && [ -n "$TK_LOAD_DISK" ] && d2=$(div "$TK_LOAD_DISK" "$OX_BULK_DISK")
target "RocksDB load rate / pyoxigraph on disk bulk_load() (load(): $(x "$d1"))" "$(x "$d2")" "$(verdict ge "$d2" 0.9) (>= 0.9x; ROCKSDB=1 to measure)"
t1=n/a
[ -n "$OX_DUMP" ] && [ -n "$TK_DUMP" ] && t1=$(div "$TK_DUMP" "$OX_DUMP")
target "Turtle export rate / pyoxigraph Store.dump()" "$(x "$t1")" "$(verdict ge "$t1" 0.9) (>= 0.9x)"
# the dataset of the French documents: opening the store against pyoxigraph loading its N-Quads,
# and writing the N-Quads against pyoxigraph's dump
o1=n/a o2=n/a
[ -n "$OX_DS_LOAD" ] && [ -n "$DS_QUADS" ] && o1=$(div "$DS_OPEN" "$OX_DS_LOAD")
[ -n "$OX_DS_DUMP" ] && [ -n "$TK_DS_DUMP" ] && o2=$(div "$TK_DS_DUMP" "$OX_DS_DUMP")
target "opening the frdocs store (quads/s, whole process) / pyoxigraph bulk_load() of its N-Quads" "$(x "$o1")" "$(verdict ge "$o1" 0.9) (>= 0.9x)"
target "frdocs dataset as N-Quads: textkg dump / pyoxigraph Store.dump()" "$(x "$o2")" "$(verdict ge "$o2" 0.9) (>= 0.9x)"
if [ ${#NOTES[@]} -gt 0 ]; then
  echo
  echo "Notes:"
  for n in "${NOTES[@]}"; do echo "  - $n"; done
fi
echo
echo "Logs and outputs: $BENCH_DIR"
exit 0
