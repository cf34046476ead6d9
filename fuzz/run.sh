#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 60) from the seed corpus; new inputs go to a
# scratch directory, crashes to fuzz/artifacts/. Build first (see fuzz/CMakeLists.txt).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${BUILD:-$here/../build-fuzz}"
seconds="${1:-60}"
scratch="$(mktemp -d)"
# Known leaks in system libraries (see the file) are not findings.
export LSAN_OPTIONS="suppressions=$here/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
mkdir -p "$here/artifacts"
status=0
for target in "$build"/fuzz/fuzz_*; do
  name="$(basename "$target")"; name="${name#fuzz_}"
  mkdir -p "$scratch/$name"
  echo "== $name (${seconds}s)"
  "$target" "$scratch/$name" "$here/corpus/$name" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=2048 -artifact_prefix="$here/artifacts/$name-" -print_final_stats=1 2>&1 |
    grep -E "^(#[0-9]+ *DONE|stat::number_of_executed_units|stat::peak_rss|==[0-9]+==ERROR|SUMMARY|Test unit written)" || true
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
done
rm -rf "$scratch"
exit $status
