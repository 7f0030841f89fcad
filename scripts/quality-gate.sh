#!/usr/bin/env bash
# Extracts ../shared/corpus/{seeds,dev} with the shipped rules and fails when
# the scorer's micro F1 falls below the figures in quality.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${SHARED:-../shared}"
bin="${CARGO_TARGET_DIR:-target}/release/textkg"
[ -x "$bin" ] || cargo build --release
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
status=0
while read -r set min; do
  case "$set" in ''|'#'*) continue ;; esac
  "$bin" extract "$shared/corpus/$set" --rules rules --out "$tmp/$set" --quiet
  line=$(python3 "$shared/eval/score.py" "$tmp/$set/graph.nt" "$shared/gold/$set" | tail -1)
  f1=${line##* }
  if python3 -c "import sys; sys.exit(0 if float('$f1') >= float('$min') else 1)"; then
    echo "quality $set: $line (gate $min): ok"
  else
    echo "quality $set: $line is below the gate $min" >&2
    status=1
  fi
done < quality.tsv
exit $status
