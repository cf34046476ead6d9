#!/usr/bin/env bash
# Runs clang-tidy (the checks in .clang-tidy, all of them errors) over the project's .cc files,
# with the compile commands of a build directory, in parallel, and caches each file's result.
#
#   scripts/clang-tidy.sh                 .cc files changed since the merge base of HEAD and
#                                         $CLANG_TIDY_BASE (default origin/main, else main), plus
#                                         uncommitted changes
#   scripts/clang-tidy.sh --base REF      the same with REF as the base
#   scripts/clang-tidy.sh --last N        .cc files changed by the last N commits (plus uncommitted)
#   scripts/clang-tidy.sh --all           every .cc file of src/ and tests/
#   scripts/clang-tidy.sh FILE...         these files
# Options: -j N (parallel jobs, default 2), --build DIR (default build; needs
# DIR/compile_commands.json: cmake -S . -B build writes it), --no-cache, --list (print the
# files that would be checked, each with the project headers it includes, and exit).
#
# A header change re-checks every file that includes it: a changed .h under src/ or tests/ adds
# the .cc files that include it (directly or through other project headers) to the set.
# Cache: DIR/clang-tidy-cache/, one entry per file keyed on the file's bytes, the bytes of every
# project header it includes (transitively), .clang-tidy and the clang-tidy version. A passing
# file is skipped on the next run; a failing one prints its stored diagnostics again.
# Time: --all is 107 files at ~5.6 CPU-seconds each (10 CPU-minutes measured), 5 minutes or more
# on 2 free cores (10 on a busy machine); a cached rerun takes seconds. So .ci/run, on a fresh
# clone, uses --last 20 (the CI checkout fetches 21 commits): every file only when .clang-tidy
# itself changed or the history is shallower than that.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd -P)

mode=base base="${CLANG_TIDY_BASE:-}" last=0 jobs=2 build=build use_cache=1 list_only=0
files=()
while [ $# -gt 0 ]; do
  case $1 in
    --all) mode=all ;;
    --base) mode=base base=${2:?--base needs a REF}; shift ;;
    --last) mode=last last=${2:?--last needs N}; shift ;;
    -j) jobs=${2:?-j needs N}; shift ;;
    -j*) jobs=${1#-j} ;;
    --build) build=${2:?--build needs DIR}; shift ;;
    --no-cache) use_cache=0 ;;
    --list) list_only=1 ;;
    -h | --help) sed -n '2,/^set -uo/p' "$0" | sed '$d'; exit 0 ;;
    -*) echo "clang-tidy.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) mode=files files+=("$1") ;;
  esac
  shift
done
case $jobs in '' | *[!0-9]* | 0) echo "clang-tidy.sh: -j needs a positive number" >&2; exit 2 ;; esac
case $last in '' | *[!0-9]*) echo "clang-tidy.sh: --last needs a number" >&2; exit 2 ;; esac

command -v clang-tidy >/dev/null 2>&1 || { echo "clang-tidy.sh: clang-tidy not found (scripts/setup.sh installs it)" >&2; exit 2; }
db="$build/compile_commands.json"
[ -f "$db" ] || { echo "clang-tidy.sh: $db not found: run cmake -S . -B $build first" >&2; exit 2; }

# The .cc files clang-tidy can check: those with a compile command, under src/ or tests/.
mapfile -t compiled < <(sed -n 's/^ *"file": "\(.*\)",\{0,1\}$/\1/p' "$db" | sed "s|^$ROOT/||" |
  grep -E '^(src|tests)/.*\.cc$' | sort -u)
[ ${#compiled[@]} -gt 0 ] || { echo "clang-tidy.sh: no src/ or tests/ files in $db" >&2; exit 2; }

# Project headers a file includes, transitively ("..." includes resolved beside the file, then
# against src/ and tests/, the include directories the build uses).
declare -A header_deps_memo
HDEPS=""
header_deps() {  # sets HDEPS to " a.h b.h ... " (no subshell, so the memo is shared)
  local f=$1 acc=" " inc dir cand h x
  if [ -n "${header_deps_memo[$f]+x}" ]; then
    HDEPS=${header_deps_memo[$f]}
    return
  fi
  header_deps_memo[$f]=" "  # breaks include cycles
  dir=$(dirname "$f")
  while IFS= read -r inc; do
    for cand in "$dir/$inc" "src/$inc" "tests/$inc"; do
      [ -f "$cand" ] || continue
      h=$(realpath --relative-to=. "$cand")
      case $acc in *" $h "*) ;; *)
        acc+="$h "
        header_deps "$h"
        for x in $HDEPS; do case $acc in *" $x "*) ;; *) acc+="$x " ;; esac; done ;;
      esac
      break
    done
  done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f")
  header_deps_memo[$f]=$acc
  HDEPS=$acc
}

# The commit the base/last modes diff against (in this shell, so a failure stops the script).
range_base=""
if [ "$mode" = last ]; then
  if ! range_base=$(git rev-parse -q --verify "HEAD~$last^{commit}" 2>/dev/null); then
    # Fewer than N commits here (a shallow clone, a young repository): what changed is unknown.
    echo "clang-tidy.sh: HEAD~$last is not in this clone: checking every file" >&2
    mode=all
  fi
elif [ "$mode" = base ]; then
  if [ -z "$base" ]; then
    if git rev-parse -q --verify origin/main >/dev/null; then base=origin/main; else base=main; fi
  fi
  range_base=$(git merge-base HEAD "$base") || { echo "clang-tidy.sh: no merge base of HEAD and $base" >&2; exit 2; }
fi

targets=()
case $mode in
  all) targets=("${compiled[@]}") ;;
  files)
    for f in "${files[@]}"; do
      rel=$(realpath --relative-to=. "$f" 2>/dev/null) || rel=$f
      if printf '%s\n' "${compiled[@]}" | grep -qxF "$rel"; then targets+=("$rel"); else echo "clang-tidy.sh: $f has no compile command in $db: skipped" >&2; fi
    done ;;
  base | last)
    # Committed in the range, plus staged and unstaged edits.
    mapfile -t changed < <({ git diff --name-only --diff-filter=d "$range_base" HEAD; git diff --name-only --diff-filter=d HEAD; } | sort -u)
    declare -A want
    changed_headers=" "
    for f in "${changed[@]}"; do
      case $f in
        *.cc) want[$f]=1 ;;
        *.h) changed_headers+="$f " ;;
        .clang-tidy) mode=all ;;  # new checks: every file
      esac
    done
    if [ "$mode" = all ]; then
      targets=("${compiled[@]}")
    else
      for f in "${compiled[@]}"; do
        if [ -n "${want[$f]+x}" ]; then targets+=("$f"); continue; fi
        if [ "$changed_headers" != " " ]; then
          header_deps "$f"
          for h in $HDEPS; do
            case $changed_headers in *" $h "*) targets+=("$f"); break ;; esac
          done
        fi
      done
    fi ;;
esac
# Only files that still exist and have a compile command.
kept=()
for f in "${targets[@]}"; do
  [ -f "$f" ] && printf '%s\n' "${compiled[@]}" | grep -qxF "$f" && kept+=("$f")
done
targets=("${kept[@]}")
if [ ${#targets[@]} -eq 0 ]; then
  echo "clang-tidy: no .cc files to check ($mode)"
  exit 0
fi

cache="$build/clang-tidy-cache"
mkdir -p "$cache"
tool_key=$( { clang-tidy --version; cat .clang-tidy; } | sha256sum | cut -c1-64)

# One work list line per file: FILE KEY (KEY: hash of the file, its project headers and the tool).
list="$cache/.work.$$"
trap 'rm -f "$list" "$list".*' EXIT
for f in "${targets[@]}"; do
  header_deps "$f"
  key=$( { echo "$tool_key"; for d in "$f" $HDEPS; do echo "$d"; cat "$d"; done; } | sha256sum | cut -c1-64)
  echo "$f $key"
done >"$list"

if [ "$list_only" = 1 ]; then
  for f in "${targets[@]}"; do header_deps "$f"; echo "$f:$HDEPS"; done
  exit 0
fi
echo "clang-tidy: ${#targets[@]} file(s) ($mode), -j$jobs"
start=$(date +%s)
export ROOT build cache use_cache
# Checks one file (or replays its cached result); prints diagnostics; exit 1 on any.
tidy_one() {
  local f=$1 key=$2 entry="$cache/$2" out status
  if [ "$use_cache" = 1 ] && [ -f "$entry.pass" ]; then return 0; fi
  if [ "$use_cache" = 1 ] && [ -f "$entry.fail" ]; then
    echo "== $f (cached result)"
    cat "$entry.fail"
    return 1
  fi
  out=$(clang-tidy -p "$build" --quiet "$f" 2>&1)
  status=$?
  # clang-tidy prints "N warnings generated." for warnings it suppressed (system headers): noise.
  out=$(printf '%s\n' "$out" | grep -v -E '^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$|^Suppressed [0-9]+ warnings|^Use -header-filter|^$')
  if [ "$status" -eq 0 ] && ! printf '%s' "$out" | grep -q -E '(warning|error):'; then
    [ "$use_cache" = 1 ] && : >"$entry.pass"
    return 0
  fi
  echo "== $f"
  printf '%s\n' "$out"
  [ "$use_cache" = 1 ] && printf '%s\n' "$out" >"$entry.fail"
  return 1
}
export -f tidy_one
xargs -P "$jobs" -L 1 bash -c 'tidy_one "$0" "$1"' <"$list"
status=$?
echo "clang-tidy: done in $(($(date +%s) - start)) s"
if [ "$status" -ne 0 ]; then
  echo "clang-tidy: violations above (checks and reasons: .clang-tidy)"
  exit 1
fi
echo "clang-tidy: clean"
