#!/usr/bin/env bash
# Interleaved timings: each round runs every command once, in turn, and the median of each
# command over the rounds is printed. On a machine whose speed drifts (a VM with CPU steal),
# commands timed side by side in the same rounds compare better than medians taken minutes
# apart, as compare.sh takes them.
#
# Run bench/compare.sh first: this reuses the binary, the rule pack, the corpora and the
# gazetteer terms it left in BENCH_DIR.
#
# Environment (all optional):
#   BENCH_DIR  compare.sh's scratch folder (default: /tmp/textkg-bench)
#   ROUNDS     rounds (default: 5)
#   SHARED     the shared folder (default: ../shared relative to the repo)
set -euo pipefail
export LC_ALL=C

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SHARED=${SHARED:-$REPO/../shared}
BENCH_DIR=${BENCH_DIR:-/tmp/textkg-bench}
ROUNDS=${ROUNDS:-5}
TK=$BENCH_DIR/textkg
RULES=$BENCH_DIR/rules
CORP=$BENCH_DIR/corpora
TERMS=$CORP/gazetteer-terms.txt
LARGE=$SHARED/corpus/large/whitehouse-statements.jsonl
FR_TXT=$(ls "$CORP"/fr-*mb.txt 2>/dev/null | head -1)
FR_DOCS=$(ls "$CORP"/fr-*mb-docs.jsonl 2>/dev/null | head -1)
for f in "$TK" "$TERMS" "$LARGE" "$FR_TXT" "$FR_DOCS"; do
  [ -e "$f" ] || { echo "interleaved.sh: $f is missing: run bench/compare.sh first" >&2; exit 2; }
done
command -v rg >/dev/null || { echo "interleaved.sh: rg is missing" >&2; exit 2; }
OUT=$BENCH_DIR/interleaved-out
TIMES=$BENCH_DIR/logs/interleaved.txt
mkdir -p "$BENCH_DIR/logs"
: >"$TIMES"

# run LABEL CMD...: one timing of CMD, into $TIMES; the output folder is emptied first, so that
# textkg cannot reuse the extractions of the run before.
run() {
  local label=$1 t0 t1; shift
  rm -rf "$OUT"
  t0=$(date +%s.%N)
  # Exit code 1 is not a failure: textkg skipped some inputs (the White House JSONL has five
  # records without text), rg found no line.
  local rc=0
  "$@" >/dev/null 2>&1 || rc=$?
  if [ "$rc" -gt 1 ]; then echo "interleaved.sh: $label exited with $rc" >&2; fi
  t1=$(date +%s.%N)
  awk -v l="$label" -v a="$t0" -v b="$t1" 'BEGIN { printf "%s %.3f\n", l, b - a }' >>"$TIMES"
}
tk() { run "$1" "$TK" extract "$2" --rules "$RULES" --out "$OUT" -q "${@:3}"; }

for ((i = 1; i <= ROUNDS; i++)); do
  if [ -t 2 ]; then echo "interleaved.sh: round $i/$ROUNDS" >&2; fi
  run "rg, White House JSONL" rg -c -F -f "$TERMS" "$LARGE"
  tk "textkg --jobs 1 --no-store, White House JSONL" "$LARGE" --jobs 1 --no-store
  tk "textkg --jobs 2 --no-store, White House JSONL" "$LARGE" --jobs 2 --no-store
  tk "textkg --jobs 1, White House JSONL" "$LARGE" --jobs 1
  tk "textkg --jobs 2, White House JSONL" "$LARGE" --jobs 2
  run "rg, French documents (JSONL)" rg -c -F -f "$TERMS" "$FR_DOCS"
  tk "textkg --jobs 1 --no-store, French documents" "$FR_DOCS" --jobs 1 --no-store
  tk "textkg --jobs 2 --no-store, French documents" "$FR_DOCS" --jobs 2 --no-store
  tk "textkg --jobs 1, French documents" "$FR_DOCS" --jobs 1
  tk "textkg --jobs 2, French documents" "$FR_DOCS" --jobs 2
  run "rg, French .txt" rg -c -F -f "$TERMS" "$FR_TXT"
  tk "textkg --jobs 1 --no-store, French .txt" "$FR_TXT" --jobs 1 --no-store
  tk "textkg --jobs 2, French .txt" "$FR_TXT" --jobs 2
done

echo "interleaved timings, $ROUNDS rounds, $(date -u '+%Y-%m-%d %H:%M UTC'); wall seconds, median first"
echo
echo "| run | median | the runs |"
echo "|---|---|---|"
# Labels in the order they first ran; the median of an even count is the mean of the middle two.
awk '{ l = $0; sub(/ [^ ]+$/, "", l); if (!(l in n)) order[++k] = l; v[l, ++n[l]] = $NF }
     END {
       for (i = 1; i <= k; i++) {
         l = order[i]; m = n[l]; runs = ""
         for (j = 1; j <= m; j++) { s[j] = v[l, j]; runs = runs " " v[l, j] }
         for (a = 1; a <= m; a++) for (b = a + 1; b <= m; b++) if (s[b] < s[a]) { t = s[a]; s[a] = s[b]; s[b] = t }
         med = (m % 2) ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
         printf "| %s | %.3f |%s |\n", l, med, runs
       }
     }' "$TIMES"
rm -rf "$OUT"
