#!/usr/bin/env bash
# Golden-file tests (issue #12): every `check --format` and every `audit --format` on fixed
# inputs, compared byte for byte with tests/golden/expected/, so that any change to what users
# see is a visible diff in review. See tests/golden/README.md.
#
# Usage: run.sh BINARY
#   UPDATE_GOLDEN=1 run.sh BINARY   rewrite tests/golden/expected/ from this binary's output
#   (through ctest: UPDATE_GOLDEN=1 ctest --test-dir build -R golden)
#
# Inputs are copied to a temporary directory outside any git work tree (the history input is a
# git repository built there with pinned dates), so the results depend on the fixture bytes only
# (not on this repository's git state, a discovered config or a cache).
# The one value normalised is the tool version (VERSION), written as @VERSION@, so a release
# bump does not touch the goldens; nothing else in these outputs varies between runs.
set -uo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 BINARY" >&2
  exit 2
fi
BIN=$(realpath "$1") || exit 2
[ -x "$BIN" ] || { echo "run.sh: $1 is not executable" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd -P)
SRC=$(cd "$HERE/../.." && pwd -P)
EXPECTED="$HERE/expected"
UPDATE=${UPDATE_GOLDEN:-0}

VERSION=$(head -n 1 "$SRC/VERSION")
# The version as a sed pattern (its dots literal).
VERSION_RE=$(printf '%s' "$VERSION" | sed 's/[.[\*^$/]/\\&/g')

WORK=$(mktemp -d "${TMPDIR:-/tmp}/mlops-golden.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cp -R "$HERE/repo" "$WORK/fixture"
cp -R "$SRC/examples/neglected-project" "$WORK/neglected-project"
mkdir -p "$WORK/actual" "$WORK/home"

# A third input with history, for the audit's trend charts: the fixture committed in two steps
# with pinned authors and dates (so the commit ids are fixed too), outside any user git config.
make_history() (
  local repo="$WORK/history"
  export HOME="$WORK/home" GIT_CONFIG_NOSYSTEM=1 TZ=UTC GIT_AUTHOR_NAME=golden GIT_AUTHOR_EMAIL=golden@example.com \
    GIT_COMMITTER_NAME=golden GIT_COMMITTER_EMAIL=golden@example.com
  commit() { GIT_AUTHOR_DATE="$1" GIT_COMMITTER_DATE="$1" git -C "$repo" -c commit.gpgsign=false commit -q -m "$2"; }
  cp -R "$HERE/repo" "$repo" && git -C "$repo" -c init.defaultBranch=main init -q &&
    git -C "$repo" add README.md requirements.txt && commit 2026-01-05T12:00:00Z "docs and requirements" &&
    git -C "$repo" add -A && commit 2026-02-05T12:00:00Z "training code"
)
if ! make_history >"$WORK/history.log" 2>&1; then
  cat "$WORK/history.log"
  echo "run.sh: could not build the history input (git)" >&2
  exit 2
fi

failures=0
produced=()

# golden NAME EXPECTED_STATUS ARGS...: runs the binary in $WORK with ARGS, checks its exit status,
# and compares its normalised stdout with expected/NAME (or writes it there when updating).
golden() {
  local name=$1 want=$2
  shift 2
  produced+=("$name")
  local out="$WORK/actual/$name" err="$WORK/actual/$name.stderr" status
  # A fixed environment: no colour variables, no user cache or config, one locale.
  (cd "$WORK" && env -u NO_COLOR -u FORCE_COLOR HOME="$WORK/home" XDG_CACHE_HOME="$WORK/home/cache" \
    XDG_CONFIG_HOME="$WORK/home/config" LC_ALL=C.UTF-8 "$BIN" "$@" >"$out.raw" 2>"$err" </dev/null)
  status=$?
  sed "s/$VERSION_RE/@VERSION@/g" "$out.raw" >"$out"
  if [ "$status" -ne "$want" ]; then
    echo "FAIL $name: exit status $status, expected $want (mlops-lint $*)"
    sed 's/^/  stderr: /' "$err" | head -n 20
    failures=$((failures + 1))
    return
  fi
  if [ "$UPDATE" = 1 ]; then
    if ! cmp -s "$out" "$EXPECTED/$name"; then
      cp "$out" "$EXPECTED/$name"
      echo "UPDATED $name"
    fi
    return
  fi
  if [ ! -f "$EXPECTED/$name" ]; then
    echo "FAIL $name: no expected file tests/golden/expected/$name (mlops-lint $*)"
    failures=$((failures + 1))
  elif ! cmp -s "$EXPECTED/$name" "$out"; then
    echo "FAIL $name: output differs from tests/golden/expected/$name (mlops-lint $*)"
    diff -u --label "expected/$name" --label "actual/$name" "$EXPECTED/$name" "$out" | head -n 400
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

mkdir -p "$EXPECTED"

# check: every report format on both inputs. Both have findings, so exit 1.
for input in fixture neglected-project; do
  for format in text json sarif github gitlab junit markdown; do
    case $format in
      text | github) ext=txt ;;
      json | sarif | gitlab) ext=json ;;
      junit) ext=xml ;;
      markdown) ext=md ;;
    esac
    golden "check-$input.$format.$ext" 1 check --no-cache --no-config --color never --format "$format" "$input"
  done
done
# The summary modes of the text format.
golden "check-fixture.statistics.txt" 1 check --no-cache --no-config --color never --statistics fixture
golden "check-fixture.quiet.txt" 1 check --no-cache --no-config --color never --quiet fixture

# audit: every format over both inputs (plain directories: no commit, no date in the output).
for format in table json csv markdown html; do
  case $format in
    table) ext=txt ;;
    markdown) ext=md ;;
    *) ext=$format ;;
  esac
  golden "audit.$format.$ext" 0 audit --no-cache --quiet --format "$format" fixture neglected-project
done

# The fixture's token is reported (SEC001) but must be masked everywhere, whatever the goldens say.
if grep -l "Qm7xT2vLp9KdR4sWz8YbN3cJf6HgA1eUoV" "$WORK"/actual/* >/dev/null 2>&1; then
  echo "FAIL the fixture's secret appears unmasked in: $(grep -l "Qm7xT2vLp9KdR4sWz8YbN3cJf6HgA1eUoV" "$WORK"/actual/* | xargs -n1 basename | tr '\n' ' ')"
  failures=$((failures + 1))
fi

# audit --history: scores per commit, dates and commit ids (pinned above), the HTML trend charts.
for format in table json csv markdown html; do
  case $format in
    table) ext=txt ;;
    markdown) ext=md ;;
    *) ext=$format ;;
  esac
  golden "audit-history.$format.$ext" 0 audit --no-cache --quiet --history 2 --format "$format" history
done

# Expected files that no case produces any more: stale, so removed on update and an error otherwise.
for f in "$EXPECTED"/*; do
  [ -e "$f" ] || continue
  base=$(basename "$f")
  keep=0
  for p in "${produced[@]}"; do [ "$p" = "$base" ] && keep=1 && break; done
  if [ "$keep" = 0 ]; then
    if [ "$UPDATE" = 1 ]; then
      rm -f "$f"
      echo "REMOVED $base"
    else
      echo "FAIL stale expected file tests/golden/expected/$base (no case produces it)"
      failures=$((failures + 1))
    fi
  fi
done

if [ "$failures" -ne 0 ]; then
  echo
  echo "$failures golden file(s) differ. If the change is intended, rewrite them and review the diff:"
  echo "  UPDATE_GOLDEN=1 ctest --test-dir build -R golden   (or: UPDATE_GOLDEN=1 tests/golden/run.sh build/mlops-lint)"
  echo "  git diff tests/golden/expected/"
  exit 1
fi
echo "golden: ${#produced[@]} outputs match"
