#!/usr/bin/env bash
# Runs the fuzz targets from the seed corpus; new inputs go to a scratch directory, crashes to
# fuzz/artifacts/. Build first (see fuzz/CMakeLists.txt).
#   fuzz/run.sh [SECONDS] [TARGET[=SECONDS]...]
# SECONDS is the time per target (default 60); TARGETs (names without fuzz_) pick some targets,
# each with its own time if given: `fuzz/run.sh 5` runs every target for 5 s (as .ci/run may),
# `fuzz/run.sh 30 notebook toml_guard=10` two of them.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="${BUILD:-$here/../build-fuzz}"
seconds="${1:-60}"
[ $# -gt 0 ] && shift
declare -A wanted=()
for arg in "$@"; do
  if [[ "$arg" == *=* ]]; then wanted["${arg%%=*}"]="${arg#*=}"; else wanted["$arg"]="$seconds"; fi
done
# Depth bugs need inputs larger than libFuzzer's default: a 100,000-deep notebook is 200 KB.
declare -A max_len=([python]=1048576 [python_lexer]=262144 [dataflow]=1048576 [notebook]=1048576 [notebook_outputs]=1048576 [notebook_lines]=1048576
                    [toml_manifests]=1048576 [toml_guard]=1048576 [yaml_queries]=1048576 [config]=1048576)
# Targets that read another's seeds (the lexer reads the Python parser's).
declare -A corpus_of=([python_lexer]=python)
scratch="$(mktemp -d)"
# Known leaks in system libraries (see the file) are not findings.
export LSAN_OPTIONS="suppressions=$here/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
mkdir -p "$here/artifacts"
status=0
for target in "$build"/fuzz/fuzz_*; do
  name="$(basename "$target")"; name="${name#fuzz_}"
  time="$seconds"
  if [ ${#wanted[@]} -gt 0 ]; then
    [ -n "${wanted[$name]+x}" ] || continue
    time="${wanted[$name]}"
  fi
  corpus="$here/corpus/${corpus_of[$name]:-$name}"
  mkdir -p "$scratch/$name" "$corpus"
  echo "== $name (${time}s)"
  large=()  # full-size reproducers from make_seeds.py --large, when written
  [ -d "$here/corpus-large/$name" ] && large=("$here/corpus-large/$name")
  "$target" "$scratch/$name" "$corpus" "${large[@]}" -max_total_time="$time" -max_len="${max_len[$name]:-65536}" \
    -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$here/artifacts/$name-" -print_final_stats=1 2>&1 |
    grep -E "^(#[0-9]+ *DONE|stat::number_of_executed_units|stat::peak_rss|==[0-9]+==ERROR|SUMMARY|Test unit written)"
  # The fuzzer's own status (grep's says only whether a line matched): a crash fails the run.
  rc=("${PIPESTATUS[@]}")
  [ "${rc[0]}" -eq 0 ] || { echo "fuzz/run.sh: $name failed (exit ${rc[0]}); see fuzz/artifacts/$name-*"; status=1; }
done
rm -rf "$scratch"
exit $status
