#!/usr/bin/env bash
# Builds textkg with profile-guided optimisation: the `release-lto` build,
# instrumented, extracts a training corpus; its profile then guides a second
# `release-lto` build. On the White House JSONL this binary extracts 5–7 %
# faster than `release-lto` alone (BENCHMARKS.md, session 18); its output is
# the same.
#
#   scripts/build-pgo.sh             # prints the binary's path on stdout
#
# Environment (all optional):
#   CARGO_TARGET_DIR  the usual target folder; the two PGO builds go next to
#                     it ($CARGO_TARGET_DIR-pgo-gen and -pgo), since their
#                     RUSTFLAGS would otherwise rebuild every crate there
#   TRAIN        inputs of the training runs (default: ../shared/corpus/dev and
#                seeds when present, else the shipped corpus/); anything
#                `textkg extract` reads
#   LLVM_PROFDATA  the llvm-profdata to merge profiles with; by default the one
#                of rustc's LLVM major version (llvm-profdata-N, /usr/lib/llvm-N,
#                or rustup's llvm-tools). Run as root on Debian, the script installs
#                llvm-N with apt-get when none is found.
#
# Exit codes: 0 built; 2 no llvm-profdata of the right version, or a build failed.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
log() { if [ -t 2 ]; then printf 'build-pgo.sh: %s\n' "$*" >&2; fi; }
fail() { printf 'build-pgo.sh: %s\n' "$*" >&2; exit 2; }

# A profile is read only by the LLVM that wrote its format: rustc's major version.
major=$(rustc -vV | sed -n 's/^LLVM version: \([0-9]*\).*/\1/p')
[ -n "$major" ] || fail "cannot tell rustc's LLVM version (rustc -vV)"
profdata=${LLVM_PROFDATA:-}
if [ -z "$profdata" ]; then
  sysroot=$(rustc --print sysroot)
  host=$(rustc -vV | sed -n 's/^host: //p')
  for c in "llvm-profdata-$major" "/usr/lib/llvm-$major/bin/llvm-profdata" "$sysroot/lib/rustlib/$host/bin/llvm-profdata"; do
    if command -v "$c" >/dev/null 2>&1; then profdata=$(command -v "$c"); break; fi
  done
fi
# As compare.sh does for ripgrep: Debian ships every recent LLVM as llvm-N.
if [ -z "$profdata" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  log "installing llvm-$major for its llvm-profdata (apt-get)"
  { apt-get install -y "llvm-$major" || { apt-get update && apt-get install -y "llvm-$major"; }; } >&2 || true
  for c in "llvm-profdata-$major" "/usr/lib/llvm-$major/bin/llvm-profdata"; do
    if command -v "$c" >/dev/null 2>&1; then profdata=$(command -v "$c"); break; fi
  done
fi
[ -n "$profdata" ] || fail "no llvm-profdata for LLVM $major (rustc's): apt-get install llvm-$major, or rustup component add llvm-tools, or set LLVM_PROFDATA"

TARGET=${CARGO_TARGET_DIR:-target}
case $TARGET in /*) ;; *) TARGET=$REPO/$TARGET ;; esac
GEN=$TARGET-pgo-gen
USE=$TARGET-pgo
DATA=$GEN/profiles
if [ -z "${TRAIN:-}" ]; then
  if [ -d ../shared/corpus/dev ]; then TRAIN="../shared/corpus/dev ../shared/corpus/seeds"; else TRAIN=corpus; fi
fi

log "instrumented build in $GEN (cargo build --profile release-lto)"
RUSTFLAGS="-Cprofile-generate=$DATA" CARGO_TARGET_DIR=$GEN cargo build --profile release-lto --bin textkg -q || fail "the instrumented build failed"
# Build scripts ran instrumented too: only the training runs' profiles count.
rm -rf "$DATA"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
log "training on $TRAIN"
# Both thread counts and both outputs, so that every stage a run can take is seen.
# shellcheck disable=SC2086
for args in "--jobs 1" "--jobs 2" "--jobs 2 --no-store"; do
  rm -rf "$scratch/out"
  "$GEN/release-lto/textkg" extract --out "$scratch/out" -q $args $TRAIN || fail "the training run failed ($args)"
done
"$profdata" merge -o "$GEN/merged.profdata" "$DATA" || fail "$profdata could not merge the profiles"

log "optimised build in $USE"
RUSTFLAGS="-Cprofile-use=$GEN/merged.profdata" CARGO_TARGET_DIR=$USE cargo build --profile release-lto --bin textkg -q || fail "the optimised build failed"
echo "$USE/release-lto/textkg"
