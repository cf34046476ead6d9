#!/usr/bin/env bash
# Records what a build prints on the bundled examples and on real repositories, in every check
# format and in audit JSON, so that a refactor can show its output is byte-identical:
#   scripts/compare-outputs.sh record OUT_DIR BINARY [REPO...]
#   scripts/compare-outputs.sh compare BEFORE_DIR AFTER_DIR
# The repositories default to the bundled examples; real ones are added as arguments. Runs use
# --no-cache and one job count, so the output depends only on the binary and the input.
set -euo pipefail
mode=${1:?record or compare}
case "$mode" in
record)
  out=${2:?output directory}
  bin=$(realpath "${3:?binary}")
  shift 3
  here=$(cd "$(dirname "$0")/.." && pwd)
  repos=("$here"/examples/*/ "$@")
  mkdir -p "$out"
  for repo in "${repos[@]}"; do
    repo=${repo%/}
    name=$(basename "$repo")
    for fmt in text json sarif github gitlab junit markdown; do
      (cd "$repo" && "$bin" check . --no-cache --color never --format "$fmt" >"$out/$name.$fmt" 2>"$out/$name.$fmt.stderr"; echo "exit $?" >>"$out/$name.$fmt.stderr") || true
    done
    (cd "$repo" && "$bin" check . --no-cache --profile production --format json >"$out/$name.production.json" 2>&1) || true
    "$bin" audit "$repo" --format json >"$out/$name.audit.json" 2>/dev/null || true
  done
  echo "recorded $(ls "$out" | wc -l) outputs in $out"
  ;;
compare)
  before=${2:?before directory}
  after=${3:?after directory}
  if diff -r "$before" "$after" >/dev/null; then
    echo "byte-identical: $(ls "$before" | wc -l) outputs"
  else
    diff -r "$before" "$after" | head -60
    exit 1
  fi
  ;;
*)
  echo "usage: $0 record OUT BINARY [REPO...] | compare BEFORE AFTER" >&2
  exit 2
  ;;
esac
