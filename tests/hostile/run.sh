#!/usr/bin/env bash
# The hostile-repository suite of issue #11: builds the corpus (make_corpus.sh) and runs
# mlops-lint over every case, checking each run for: no crash or sanitizer report, no hang
# (HOSTILE_TIMEOUT, default 60 s), peak RSS under 1 GiB, exit code as documented, valid
# JSON/XML/HTML, no raw control byte, no canary from outside/ and no planted secret in any output,
# baseline or cache, outside/ unchanged, and (under strace) no file opened under outside/.
# Prints PASS / FAIL per case; exits 1 if any case fails.
#
# Usage: run.sh BINARY [OUTDIR]
#   OUTDIR (default: a temporary directory) receives the corpus and the run logs; it must be
#   empty, absent, or a previous run's directory. It is removed after a passing run unless
#   HOSTILE_KEEP=1. Environment: HOSTILE_BIG=1 (200 MB line, 1.5 GB blob), HOSTILE_CASES="a b"
#   (only these cases), HOSTILE_TIMEOUT=SECONDS, HOSTILE_STRACE=0 (no read tracing),
#   HOSTILE_VMEM_KIB (address-space limit per run, default 4 GiB; 0: none; off under ASan).
set -uo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 BINARY [OUTDIR]" >&2
  exit 2
fi
BIN=$(realpath "$1") || exit 2
[ -x "$BIN" ] || { echo "run.sh: $1 is not executable" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd -P)
TIMEOUT=${HOSTILE_TIMEOUT:-60}
BIG=${HOSTILE_BIG:-0}
RSS_CAP_KIB=$((1024 * 1024))

if [ $# -eq 2 ]; then
  OUT=$2
  if [ -e "$OUT/.meta/canary" ]; then
    chmod -R u+rwx "$OUT" 2>/dev/null
    rm -rf "$OUT"
  fi
else
  OUT=$(mktemp -d "${TMPDIR:-/tmp}/mlops-hostile.XXXXXX")
fi
mkdir -p "$OUT"
if ! "$HERE/make_corpus.sh" "$OUT" > "$OUT.corpus.log" 2>&1; then
  cat "$OUT.corpus.log" >&2
  echo "run.sh: make_corpus.sh failed" >&2
  exit 2
fi
rm -f "$OUT.corpus.log"
OUT=$(cd "$OUT" && pwd -P)
# The unreadable-directory cases run the tool as `nobody`: the corpus must be reachable for it
# (mktemp makes 0700 directories), so that only the planted directories are unreadable.
chmod a+rx "$OUT"
MARK=$(cat "$OUT/.meta/canary")
mapfile -t SECRETS < "$OUT/.meta/secrets"
RUNS=$OUT/.runs
mkdir -p "$RUNS"
cp -a "$OUT/outside" "$OUT/.meta/outside.orig"

# Optional tools: strace (read tracing, fault injection), python3 (output validation), time.
USE_STRACE=0
# A container without ptrace rights has strace but cannot use it.
if [ "${HOSTILE_STRACE:-1}" != 0 ] && strace -f -qq -o /dev/null true >/dev/null 2>&1; then USE_STRACE=1; fi
USE_PY=0
command -v python3 >/dev/null 2>&1 && USE_PY=1
TIME_BIN=/usr/bin/time
[ -x "$TIME_BIN" ] || TIME_BIN=""
VMEM=${HOSTILE_VMEM_KIB:-$((4 * 1024 * 1024))}
if LC_ALL=C grep -qa __asan_init "$BIN"; then VMEM=0; fi
AS_NOBODY=()
if [ "$(id -u)" = 0 ] && setpriv --reuid=65534 --regid=65534 --clear-groups -- true >/dev/null 2>&1; then
  AS_NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
fi
echo "hostile suite: corpus $OUT; strace $([ $USE_STRACE = 1 ] && echo on || echo off);" \
  "validation $([ $USE_PY = 1 ] && echo python3 || echo off); timeout ${TIMEOUT}s; HOSTILE_BIG=$BIG"

# ---- helpers ------------------------------------------------------------------------------
fingerprint() {  # a digest of a tree's names, types, sizes, modes and mtimes (never opens a FIFO)
  find "$1" -printf '%P|%y|%s|%m|%T@\n' 2>/dev/null | LC_ALL=C sort | md5sum | cut -d' ' -f1
}
outside_digest() {
  { find "$OUT/outside" -printf '%P|%y|%s|%m\n' | LC_ALL=C sort
    find "$OUT/outside" -type f -exec md5sum {} + | LC_ALL=C sort; } | md5sum | cut -d' ' -f1
}
OUTSIDE_DIGEST=$(outside_digest)

CASE="" CASE_DIR="" W="" CASE_FAILS=()
fail() { CASE_FAILS+=("$1"); }

# tool LABEL [-C DIR] [-e "CODES"] [-O STDOUT_FMT] [-o FMT=FILE]... [-s STATE]... [-m KIB] [-w] [-u] [-d CMD] -- ARGS...
#   -e allowed exit codes (default "0 1 2"); -o an output file and its format (json, xml, html,
#   text); -s a file or directory to search for secrets and the canary too (baselines, caches);
#   -w the run may change the case directory; -u run as an unprivileged user; -d the command as
#   shown in failures.
#   Sets RC, R (the run's directory).
tool() {
  local label=$1 cwd=$CASE_DIR codes="0 1 2" stdout_fmt=text cap=$RSS_CAP_KIB may_write=0 as_user=0 display=""
  local -a outs=() states=()
  shift
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    case $1 in
      -C) cwd=$2; shift ;;
      -e) codes=$2; shift ;;
      -O) stdout_fmt=$2; shift ;;
      -o) outs+=("$2"); shift ;;
      -s) states+=("$2"); shift ;;
      -m) cap=$2; shift ;;
      -w) may_write=1 ;;
      -u) as_user=1 ;;
      -d) display=$2; shift ;;
    esac
    shift
  done
  shift
  R=$RUNS/$CASE/$label
  mkdir -p "$R"
  [ $as_user = 1 ] && chown 65534:65534 "$R"
  local cmd="[$label] ${display:-mlops-lint $*}"
  local before
  before=$(fingerprint "$CASE_DIR")
  local -a prefix=()
  [ $USE_STRACE = 1 ] && prefix+=(strace -f -qq -y --seccomp-bpf -e "trace=open,openat,openat2,creat" -e status=successful -o "$R/strace.log")
  prefix+=(timeout -k 5 "$TIMEOUT")
  [ -n "$TIME_BIN" ] && prefix+=("$TIME_BIN" -f %M -o "$R/rss")
  [ $as_user = 1 ] && prefix+=("${AS_NOBODY[@]}")
  (
    cd "$cwd" || exit 2
    [ "$VMEM" != 0 ] && ulimit -v "$VMEM"
    exec env -i PATH=/usr/local/bin:/usr/bin:/bin HOME="$W/home" XDG_CACHE_HOME="$W/cache" LANG=C.UTF-8 TERM=dumb \
      "${prefix[@]}" "$BIN" "$@" > "$R/stdout" 2> "$R/stderr"
  )
  RC=$?
  local why=""
  # Exit status: documented codes only; a signal or the timeout is a crash or a hang.
  if [ $RC -eq 124 ] || { [ $RC -eq 137 ] && ! grep -q 'terminated by signal' "$R/rss" 2>/dev/null; }; then
    why="hang: still running after ${TIMEOUT}s"
  elif [ $RC -gt 128 ]; then
    why="crash: killed by signal $((RC - 128))"
    [ $((RC - 128)) -eq 6 ] && [ "$VMEM" != 0 ] && why+=" (abort; address space limited to $((VMEM / 1024)) MiB)"
  elif [[ " $codes " != *" $RC "* ]]; then
    why="exit code $RC, expected one of {$codes}: $(head -c 300 "$R/stderr" | tr '\n' ' ')"
  fi
  [ -n "$why" ] && fail "$cmd -> $why"
  if LC_ALL=C grep -qaE 'ERROR: (Address|Leak|Memory|Thread|UndefinedBehavior)Sanitizer|runtime error:' "$R/stderr"; then
    fail "$cmd -> sanitizer report on stderr"
  fi
  if [ -s "$R/rss" ]; then
    local rss
    rss=$(tail -n 1 "$R/rss")
    if [[ $rss =~ ^[0-9]+$ ]] && [ "$rss" -ge "$cap" ]; then
      fail "$cmd -> peak RSS $((rss / 1024)) MiB >= $((cap / 1024)) MiB"
    fi
  fi
  # Outputs: validity, control bytes, canary, secrets.
  local -a files=("stdout=$R/stdout" "stderr=$R/stderr") validate=()
  [ "$stdout_fmt" != text ] && validate+=("$stdout_fmt=$R/stdout")
  local o f fmt missing=""
  for o in "${outs[@]}"; do
    fmt=${o%%=*} f=${o#*=}
    if [ -f "$f" ]; then
      files+=("$(basename "$f")=$f")
      validate+=("$fmt=$f")
    else
      missing+="${missing:+, }$(basename "$f")"
    fi
  done
  [ -n "$missing" ] && [ -z "$why" ] && [ "$RC" != 2 ] && fail "$cmd -> not written: $missing"
  if [ $USE_PY = 1 ] && [ ${#validate[@]} -gt 0 ]; then
    local problems
    problems=$(python3 "$HERE/validate.py" "${validate[@]}" 2>&1 | sort -u | head -n 5 | sed "s|$R/||g")
    [ -n "$problems" ] && fail "$cmd -> invalid output (exit $RC): $(echo "$problems" | tr '\n' ';')"
  fi
  local entry name canary_in=""
  for entry in "${files[@]}"; do
    name=${entry%%=*} f=${entry#*=}
    if LC_ALL=C grep -qaP '[\x00-\x08\x0b-\x1f\x7f]' "$f"; then
      fail "$cmd -> raw control byte in $name: $(LC_ALL=C grep -naP '[\x00-\x08\x0b-\x1f\x7f]' "$f" | head -n 1 | cut -c1-120 | cat -v)"
    fi
    grep -qaF "$MARK" "$f" && canary_in+="${canary_in:+, }$name"
  done
  # A secret counts as in clear when anything past its first 8 characters shows.
  local s leaks="" where
  for s in "${SECRETS[@]}"; do
    where=""
    for entry in "${files[@]}"; do
      name=${entry%%=*} f=${entry#*=}
      grep -qaF "${s:8}" "$f" && where+="${where:+, }$name"
    done
    for f in "${states[@]}"; do
      [ -e "$f" ] && grep -rqaF "${s:8}" "$f" && where+="${where:+, }$(basename "$f")"
    done
    [ -n "$where" ] && leaks+="${leaks:+; }${s:0:8}... in $where"
  done
  [ -n "$leaks" ] && fail "$cmd -> secrets in clear: $leaks"
  for f in "${states[@]}"; do
    [ -e "$f" ] && grep -rqaF "$MARK" "$f" && canary_in+="${canary_in:+, }$(basename "$f")"
  done
  [ -n "$canary_in" ] && fail "$cmd -> canary from outside/ in $canary_in"
  # Nothing opened, written or changed outside the repository.
  if [ $USE_STRACE = 1 ] && [ -f "$R/strace.log" ]; then
    local hit
    hit=$(grep -aF -e "<$OUT/outside/" -e "<$OUT/outside>" "$R/strace.log" | head -n 1)
    [ -n "$hit" ] && fail "$cmd -> opened outside the repository: $(echo "$hit" | sed 's/^[0-9]* //' | cut -c1-200)"
  fi
  if [ "$(outside_digest)" != "$OUTSIDE_DIGEST" ]; then
    fail "$cmd -> wrote outside the repository (outside/ changed)"
    rm -rf "$OUT/outside" && cp -a "$OUT/.meta/outside.orig" "$OUT/outside"
  fi
  if [ $may_write = 0 ] && [ "$(fingerprint "$CASE_DIR")" != "$before" ]; then
    fail "$cmd -> changed the scanned repository"
  fi
  return 0
}

# Every check format in one run: text on stdout, the others to files.
check_formats() {
  local label=$1
  shift
  local r=$RUNS/$CASE/$label
  tool "$label" -o "json=$r/report.json" -o "json=$r/report.sarif" -o "text=$r/github.txt" \
    -o "json=$r/gitlab.json" -o "xml=$r/junit.xml" -o "text=$r/report.md" -s "$W/cache" \
    -d "mlops-lint check $CASE --format json,sarif,github,gitlab,junit,markdown,text (one run)" "$@" -- \
    check "$CASE_DIR" --format json --output "$r/report.json" --format sarif --output "$r/report.sarif" \
    --format github --output "$r/github.txt" --format gitlab --output "$r/gitlab.json" \
    --format junit --output "$r/junit.xml" --format markdown --output "$r/report.md" --format text
}

# Each format on its own (one format's failure does not hide another's), stdout only.
check_each_format() {
  local f fmt
  for f in text:text json:json sarif:json github:text gitlab:json junit:xml markdown:text; do
    fmt=${f#*:}
    tool "check-${f%%:*}" -O "$fmt" -s "$W/cache" "$@" -- check "$CASE_DIR" --format "${f%%:*}"
  done
}

audit_formats() {
  tool audit-json -O json -e "0 1" -s "$W/cache" -- audit "$CASE_DIR" --format json
  tool audit-html -O html -e "0 1" -s "$W/cache" -- audit "$CASE_DIR" --format html
}

expect_in_output() {  # LABEL TEXT WHAT: the run's stdout or stderr must mention TEXT
  cat "$RUNS/$CASE/$1/stdout" "$RUNS/$CASE/$1/stderr" 2>/dev/null | grep -qaF -- "$2" || fail "[$1] mlops-lint check $CASE -> $3"
}

# ---- cases: default is every format in one run ---------------------------------------------
default_case() { check_formats check; }

case_audit-gitattributes-bomb() {
  check_formats check
  local cap=$RSS_CAP_KIB
  # The default blob is 256 MB: an audit that inflates it whole would exceed 160 MiB.
  [ "$BIG" != 1 ] && cap=$((160 * 1024))
  tool audit-json -O json -m "$cap" -s "$W/cache" -- audit "$CASE_DIR" --format json
}

case_sarif-output-symlink() {
  tool output-into-symlink -w -- check . --format sarif --output mlops-lint.sarif
  tool write-baseline-into-symlink -w -- check . --write-baseline baseline.json
}

case_init-symlink() {
  tool init -w -- init .
  tool init-force -w -- init . --force --pre-commit --ci github
}

case_generate-docs-dir() {
  # The planted DAT001.md symlink is refused (exit 2: not every page could be written); the
  # other pages are written and nothing else in the directory is touched.
  tool generate-docs -w -e 2 -- generate-docs docs
  local f
  for f in notes.md CHANGELOG.md; do
    grep -q 'keep me' "$CASE_DIR/docs/$f" 2>/dev/null || fail "mlops-lint generate-docs docs -> deleted or replaced docs/$f"
  done
  [ -f "$CASE_DIR/docs/DAT003.md" ] || fail "mlops-lint generate-docs docs -> wrote no rule pages"
}

# Valid repositories: never refused (exit 0 or 1), untracked files still listed.
case_split-index() {
  check_formats check -e "0 1"
  expect_in_output check /home/dave/x.csv "the finding in extra.py, committed after --split-index, is not reported"
}
case_sparse-index() { check_formats check -e "0 1"; }
case_pyproject-big-no-table() { check_formats check -e "0 1"; }
case_deep-untracked() {
  check_formats check -e "0 1"
  expect_in_output check untracked_marker.csv "the finding in untracked sibling.py, beside a 120-level untracked directory, is not reported"
}
unreadable() {
  if [ ${#AS_NOBODY[@]} -eq 0 ] && [ "$(id -u)" = 0 ]; then
    echo "  note: $CASE not testable as root without setpriv"
    return
  fi
  if [ ${#AS_NOBODY[@]} -gt 0 ]; then
    chown -R 65534:65534 "$CASE_DIR" "$W"
    check_formats check -e "0 1" -u
  else
    check_formats check -e "0 1"
  fi
  expect_in_output check locked "no diagnostic names the unreadable directory locked/"
}
case_unreadable-dir() { unreadable; }
case_unreadable-dir-plain() { unreadable; }

# Bytes that need escaping: every format alone, audits too.
# Valid repositories with unusual bytes: exit 0 or 1, never "could not run".
case_utf8-bytes() { check_formats check -e "0 1"; check_each_format -e "0 1"; audit_formats; }
case_utf8-bytes-plain() { check_formats check -e "0 1"; check_each_format -e "0 1"; }
case_escape-sequences() { check_formats check -e "0 1"; check_each_format -e "0 1"; audit_formats; }
case_plain-control() { check_formats check -e 1; audit_formats; }

case_secrets() {
  check_formats check -e "0 1"
  check_each_format -e "0 1"
  tool write-baseline -e "0 1" -s "$W/cache" -s "$W/baseline.json" -- check "$CASE_DIR" --write-baseline "$W/baseline.json"
  tool statistics -- check "$CASE_DIR" --statistics
  audit_formats
}

# Audit and merge: names and forged statuses must be escaped in HTML.
case_audit-html-names() {
  audit_formats
  tool audit-store -o "json=$W/audit.json" -- audit "$CASE_DIR" --format json --output "$W/audit.json" --store "$W/names.db"
  tool report-html -O html -- report --store "$W/names.db" --format html
  if [ -f "$W/audit.json" ]; then
    # A shard report from an untrusted job: a practice status that breaks out of an attribute.
    perl -pe 's/"(present|missing|partial|not_applicable)"/"$1\\"><x-hostile onmouseover=alert(1)>"/' \
      "$W/audit.json" > "$W/forged.json"
    grep -q x-hostile "$W/forged.json" || fail "could not forge a practice status in audit JSON"
    tool merge-html -O html -- merge "$W/forged.json" --format html
    tool merge-json -O json -- merge "$W/forged.json" --format json
  fi
}

# A corrupted, truncated, flipped or crafted cache changes no finding and costs no memory.
case_cache-corrupt() {
  tool cold -e 1 -- check "$CASE_DIR" --format text --quiet
  local ref=$RUNS/$CASE/cold/stdout cache
  cache=$(find "$W/cache" -type f 2>/dev/null | head -n 1)
  if [ -z "$cache" ]; then
    fail "check -> no cache file written under XDG_CACHE_HOME"
    return
  fi
  cp "$cache" "$W/cache.good"
  same() {  # the run's findings are the cold run's
    cmp -s "$ref" "$RUNS/$CASE/$1/stdout" || fail "mlops-lint check (cache $2) -> findings differ from the cold run"
  }
  LC_ALL=C perl -pe 's/alice/alicf/g' "$W/cache.good" > "$cache"
  cmp -s "$cache" "$W/cache.good" && fail "cache does not hold the finding's text (nothing to flip)"
  tool flipped -e 1 -- check "$CASE_DIR" --format text --quiet
  same flipped "with a flipped byte"
  head -c $(($(stat -c %s "$W/cache.good") / 2)) "$W/cache.good" > "$cache"
  tool truncated -e 1 -- check "$CASE_DIR" --format text --quiet
  same truncated "truncated to half"
  { head -c 64 "$W/cache.good"; head -c 65536 /dev/zero | tr '\0' '\377'; } > "$cache"
  tool garbage -e 1 -- check "$CASE_DIR" --format text --quiet
  same garbage "overwritten with 0xff"
  # Version 5 layout: magic line, ruleset key, entry count, then entries; each entry claiming
  # 100,000 query slots made 57 KB allocate gigabytes. Other layouts must reject it as well.
  local magic='mlops-lint facts cache v5'
  if [ "$(head -c ${#magic} "$W/cache.good")" = "$magic" ]; then
    perl -e '
      local $/; open my $f, "<:raw", $ARGV[0] or die; my $d = <$f>;
      my $m = length("mlops-lint facts cache v5\n");
      my $klen = unpack("V", substr($d, $m, 4));
      my $out = substr($d, 0, $m + 4 + $klen) . pack("V", 3000);
      for my $i (1 .. 3000) { my $k = "k$i"; $out .= pack("V", length $k) . $k . pack("V*", 0, 0, 100000, 0, 0) }
      binmode STDOUT; print $out' "$W/cache.good" > "$cache"
    tool crafted-counts -e 1 -- check "$CASE_DIR" --format text --quiet
    same crafted-counts "with crafted counts"
  else
    echo "  note: cache layout is not v5; crafted-count cache not built"
  fi
}

# Stores that are not databases, are locked, corrupted or missing: exit 2, nothing created.
case_store-states() {
  printf 'this is not a database\n' > "$W/text.db"
  tool audit-text-store -e 2 -w -- audit "$CASE_DIR" --store "$W/text.db"
  tool report-text-store -e 2 -- report --store "$W/text.db"
  tool report-missing-store -e 2 -- report --store "$W/missing.db"
  [ -e "$W/missing.db" ] && fail "mlops-lint report --store missing.db -> created the store"
  tool audit-good-store -e "0 1" -- audit "$CASE_DIR" --store "$W/good.db"
  tool report-good-store -e 0 -O json -- report --store "$W/good.db" --format json
  if [ -f "$W/good.db" ]; then
    cp "$W/good.db" "$W/corrupt.db"
    local size
    size=$(stat -c %s "$W/corrupt.db")
    perl -e 'open my $f, "+<:raw", $ARGV[0] or die; seek $f, 100, 0; print $f "\xa5" x ($ARGV[1] - 100)' "$W/corrupt.db" "$size"
    tool report-corrupt-store -e 2 -- report --store "$W/corrupt.db" --format json
    head -c $((size / 2)) "$W/good.db" > "$W/truncated.db"
    tool report-truncated-store -e 2 -- report --store "$W/truncated.db" --format json
  fi
  if [ $USE_PY = 1 ] && [ -f "$W/good.db" ]; then
    cp "$W/good.db" "$W/locked.db"
    python3 -c 'import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))' "$W/locked.db" $((TIMEOUT + 10)) > "$W/locker.out" &
    local locker=$!
    for _ in $(seq 50); do grep -q locked "$W/locker.out" 2>/dev/null && break; sleep 0.1; done
    tool audit-locked-store -e 2 -- audit "$CASE_DIR" --store "$W/locked.db"
    tool report-locked-store -e "0 2" -- report --store "$W/locked.db"
    kill "$locker" 2>/dev/null
    wait "$locker" 2>/dev/null
  fi
}

# Killing the tool while it writes leaves the old file or the new one, never a torn one.
old_or_new() {  # FILE OLD_COPY WHAT: the file is the old bytes or a complete new JSON document
  if cmp -s "$1" "$2"; then return 0; fi
  if [ ! -s "$1" ]; then fail "$3 -> left an empty file"; return; fi
  if [ $USE_PY = 1 ] && ! python3 -c 'import json,sys; json.load(open(sys.argv[1], "rb"))' "$1" 2>/dev/null; then
    fail "$3 -> left a torn file ($(stat -c %s "$1") bytes, not valid JSON)"
  fi
}
kill_at_first_write() {  # TARGET LABEL ARGS...: SIGKILL when the tool first writes to TARGET
  local target=$1 label=$2
  shift 2
  mkdir -p "$RUNS/$CASE/$label"
  # The outer subshell takes bash's "Killed" notice: the kill is the point here.
  ( ( cd "$CASE_DIR" && exec env -i PATH=/usr/bin:/bin HOME="$W/home" XDG_CACHE_HOME="$W/cache" \
      timeout -k 5 "$TIMEOUT" strace -f -qq -o /dev/null -P "$target" \
      -e trace=write,writev,pwrite64,pwritev,ftruncate -e inject=write,writev,pwrite64,pwritev,ftruncate:signal=KILL \
      "$BIN" "$@" > "$RUNS/$CASE/$label/stdout" 2> "$RUNS/$CASE/$label/stderr" ); true ) 2>/dev/null
}
kill_after() {  # SECONDS LABEL ARGS...: SIGKILL the tool after SECONDS
  local delay=$1 label=$2 pid
  shift 2
  mkdir -p "$RUNS/$CASE/$label"
  ( cd "$CASE_DIR" && exec env -i PATH=/usr/bin:/bin HOME="$W/home" XDG_CACHE_HOME="$W/cache" \
      "$BIN" "$@" > "$RUNS/$CASE/$label/stdout" 2> "$RUNS/$CASE/$label/stderr" ) &
  pid=$!
  sleep "$delay"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}
case_kill-writes() {
  local what d
  # Baseline and --output: old content, then a kill at the first write and at several moments.
  for what in baseline output; do
    printf '{"old": true}\n' > "$W/$what.old"
    local -a args
    if [ $what = baseline ]; then args=(check . --no-cache --write-baseline "$W/$what.json")
    else args=(check . --no-cache --format json --output "$W/$what.json"); fi
    if [ $USE_STRACE = 1 ]; then
      cp "$W/$what.old" "$W/$what.json"
      kill_at_first_write "$W/$what.json" "$what-kill-at-write" "${args[@]}"
      old_or_new "$W/$what.json" "$W/$what.old" "mlops-lint ${args[*]} (SIGKILL at its first write)"
    fi
    for d in 0.05 0.1 0.2 0.4; do
      cp "$W/$what.old" "$W/$what.json"
      kill_after "$d" "$what-kill-$d" "${args[@]}"
      old_or_new "$W/$what.json" "$W/$what.old" "mlops-lint ${args[*]} (SIGKILL after ${d}s)"
    done
  done
  # Cache: a complete cache, then a kill at the first write of the next one.
  if [ $USE_STRACE = 1 ]; then
    tool warm -e 1 -- check . --quiet
    local cache
    cache=$(find "$W/cache" -type f 2>/dev/null | head -n 1)
    if [ -n "$cache" ]; then
      cp "$cache" "$W/cache.old"
      printf '\nimport numpy\n' >> "$CASE_DIR/train.py"  # a changed file: the cache is rewritten
      kill_at_first_write "$cache" cache-kill-at-write check . --quiet
      if ! cmp -s "$cache" "$W/cache.old"; then
        [ -s "$cache" ] || fail "mlops-lint check (SIGKILL at the cache's first write) -> left an empty cache"
      fi
      git -C "$CASE_DIR" checkout -q -- train.py
    fi
    # Store: a kill at its first write leaves a store that still reports.
    tool store-first -e "0 1" -- audit . --store "$W/kill.db"
    kill_at_first_write "$W/kill.db" store-kill-at-write audit . --store "$W/kill.db"
    tool store-after-kill -e 0 -O json -- report --store "$W/kill.db" --format json
  fi
}

# ---- main -----------------------------------------------------------------------------------
mapfile -t ALL_CASES < <(find "$OUT" -mindepth 1 -maxdepth 1 -type d ! -name '.*' ! -name outside -printf '%f\n' | LC_ALL=C sort)
if [ -n "${HOSTILE_CASES:-}" ]; then read -r -a CASES <<< "$HOSTILE_CASES"; else CASES=("${ALL_CASES[@]}"); fi

failed=0
for CASE in "${CASES[@]}"; do
  CASE_DIR=$OUT/$CASE
  if [ ! -d "$CASE_DIR" ]; then echo "FAIL $CASE: no such case"; failed=$((failed + 1)); continue; fi
  W=$RUNS/$CASE/.work
  mkdir -p "$W/home" "$W/cache"
  CASE_FAILS=()
  start=$SECONDS
  if declare -F "case_$CASE" >/dev/null; then "case_$CASE"; else default_case; fi
  if [ ${#CASE_FAILS[@]} -eq 0 ]; then
    echo "PASS $CASE ($((SECONDS - start))s)"
  else
    failed=$((failed + 1))
    echo "FAIL $CASE ($((SECONDS - start))s)"
    for f in "${CASE_FAILS[@]}"; do echo "     $f" | sed "s|$OUT/||g"; done
  fi
done

echo "hostile suite: $(( ${#CASES[@]} - failed )) of ${#CASES[@]} cases passed"
if [ $failed -gt 0 ]; then
  echo "hostile suite: logs and corpus kept in $OUT"
  exit 1
fi
if [ "${HOSTILE_KEEP:-0}" != 1 ]; then chmod -R u+rwx "$OUT" 2>/dev/null; rm -rf "$OUT"; fi
exit 0
