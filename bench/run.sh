#!/usr/bin/env bash
# Benchmark and speed guard: mlops-lint against ripgrep on synthetic ML repositories.
#
#   bench/run.sh [--quick] [--record] [BINARY] [FILES]   (defaults: build/mlops-lint, 20000)
#
# Generates a repository of FILES Python files (~6 KB each) plus notebooks, configs and
# manifests, and a monorepo made of copies of the bundled examples, then prints median wall
# times side by side: a cold full scan (no cache) against `rg` searching the same tree for the
# rules' key literals, a cached re-scan, `check --files` on 5 files (the pre-commit case), peak
# memory, the whole run on a one-file project (start-up) against `rg` searching that file, and 50
# commits of history against one scan.
#
# The guard: each ratio (to rg, or to one scan for history) is compared with the one recorded in
# bench/baseline.json for the same mode ("full" or "quick"); a ratio more than BENCH_TOLERANCE
# (default 0.25, i.e. 25%) above its recorded value fails the run (exit 1). --record writes the
# measured ratios as the new baseline for the mode. Ratios, not times, so that the machine's speed
# cancels out; a shared machine still adds noise, which is why .ci/run's quick run uses a wider
# tolerance (an over-broad prefilter costs 3x or more, far above it).
# Like a real code base, most files import libraries but few (2%) train or split data: those
# calls are what rules must parse files for (about 1.5 ms per 6 KB file with tree-sitter).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
mode=full
record=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) mode=quick; shift ;;
    --record) record=1; shift ;;
    *) break ;;
  esac
done
bin="$(realpath "${1:-$here/../build/mlops-lint}")"
if [ "$mode" = quick ]; then nfiles="${2:-3000}"; runs=3; hist_files=500; hist_commits=20
else nfiles="${2:-20000}"; runs=5; hist_files=2000; hist_commits=50; fi
tolerance="${BENCH_TOLERANCE:-0.25}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
repo="$work/repo"
export XDG_CACHE_HOME="$work/cache"

command -v rg >/dev/null || { echo "bench needs ripgrep (rg)"; exit 2; }

generate() {  # generate N ROOT
mkdir -p "$2"
awk -v n="$1" -v root="$2" 'BEGIN {
  srand(7)
  libs[0] = "import numpy as np\nimport pandas as pd\nfrom sklearn.model_selection import train_test_split\nfrom sklearn.linear_model import LogisticRegression\n"
  libs[1] = "import torch\nimport torch.nn as nn\nfrom torch.utils.data import DataLoader, random_split\n"
  libs[2] = "import os\nimport json\nimport logging\nfrom pathlib import Path\n"
  libs[3] = "import mlflow\nimport yaml\nfrom typing import Any, Dict\n"
  for (i = 0; i < n; i++) {
    d = sprintf("%s/pkg%03d/mod%02d", root, int(i / 100), int(i % 100 / 10))
    if (!(d in made)) { system("mkdir -p " d); made[d] = 1 }
    f = sprintf("%s/file%05d.py", d, i)
    printf "\"\"\"Module %d of the synthetic project.\"\"\"\n%s\n", i, libs[i % 4] > f
    for (k = 0; k < 18; k++) {
      printf "\ndef step_%d_%d(data, config):\n", i, k > f
      printf "    \"\"\"Transforms the batch for stage %d.\"\"\"\n", k > f
      printf "    values = [x * %d for x in data if x is not None]\n", k + 1 > f
      printf "    total = sum(values) / max(len(values), 1)\n" > f
      printf "    logging.info(\"stage %d mean %%s\", total)\n", k > f
      printf "    return {\"mean\": total, \"count\": len(values), \"name\": \"step_%d\"}\n", k > f
    }
    if (i % 50 == 0) printf "\nX_train, X_test = train_test_split(np.arange(10), test_size=0.2, random_state=0)\nLogisticRegression().fit(X_train.reshape(-1, 1), X_train > 4)\n" > f
    if (i % 97 == 0) printf "\nDATA = \"/home/alice/data/raw_%d.csv\"\n", i > f
    close(f)
  }
  for (j = 0; j < 200; j++) {
    f = sprintf("%s/notebooks/nb%03d.ipynb", root, j)
    if (j == 0) system("mkdir -p " root "/notebooks " root "/configs")
    printf "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": [{\"cell_type\": \"code\", \"metadata\": {}, \"execution_count\": 1, \"outputs\": [], \"source\": [\"import pandas as pd\\n\", \"df = pd.read_csv(\\\"data.csv\\\")\\n\", \"df.describe()\"]}]}\n" > f
    close(f)
  }
  for (j = 0; j < 100; j++) {
    f = sprintf("%s/configs/exp%03d.yaml", root, j)
    printf "experiment: exp%d\nmodel:\n  name: logreg\n  C: %d\ntrain:\n  epochs: 10\n  seed: 42\n", j, j > f
    close(f)
  }
  print "pandas==2.2.2\nscikit-learn==1.5.0\ntorch==2.3.0\nmlflow==2.13.0" > (root "/requirements.txt")
  print "[project]\nname = \"synthetic\"\nversion = \"0.1.0\"\n[tool.ruff]\nline-length = 100" > (root "/pyproject.toml")
  print "# Synthetic project\n\nUsage: run the pipeline." > (root "/README.md")
}'
}
echo "generating $nfiles Python files in $repo ..."
generate "$nfiles" "$repo"
size=$(du -sm "$repo" | cut -f1)
count=$(find "$repo" -type f | wc -l)
echo "repository: $count files, ${size} MB"

# Median wall time of a command over N runs (output discarded), in units of DIV nanoseconds.
median_of() {
  local n=$1 div=$2 times=()
  shift 2
  for _ in $(seq "$n"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / div )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (n + 1) / 2 ))p"
}
# In ms over $runs runs.
median_ms() { median_of "$runs" 1000000 "$@"; }

peak_kb() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }

literals='import sklearn|from sklearn|import torch|train_test_split|random_split|mlflow|wandb|/home/|/Users/|\.fit\(|random_state|manual_seed'
rg_ms=$(median_ms rg -c -e "$literals" "$repo")
cold_ms=$(median_ms "$bin" check --no-cache --exit-zero --quiet "$repo")
"$bin" check --exit-zero --quiet "$repo" >/dev/null 2>&1 || true   # fill the cache
warm_ms=$(median_ms "$bin" check --exit-zero --quiet "$repo")
five=("$repo"/pkg000/mod00/file0000{0,1,2,3,4}.py)
files_ms=$(median_ms "$bin" check --exit-zero --quiet "$repo" --files "${five[@]}")
cold_rss=$(peak_kb "$bin" check --no-cache --exit-zero --quiet "$repo" || echo "?")
warm_rss=$(peak_kb "$bin" check --exit-zero --quiet "$repo" || echo "?")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# A monorepo built from the bundled examples: many small projects, each with manifests, CI-less
# configs, notebooks and a README, as a team's repository of several services looks.
mono="$work/mono"
mkdir -p "$mono"
nmono=$(( nfiles / 40 ))
for k in $(seq 1 "$nmono"); do
  for ex in "$here"/../examples/*/; do
    name="$(basename "$ex")"
    [ -f "$ex/README.md" ] || continue
    mkdir -p "$mono/p$k-$name" && cp -R "$ex". "$mono/p$k-$name/"
  done
done
mono_count=$(find "$mono" -type f | wc -l)
mono_rg_ms=$(median_ms rg -c -e "$literals" "$mono")
mono_cold_ms=$(median_ms "$bin" check --no-cache --exit-zero --quiet "$mono")
"$bin" check --exit-zero --quiet "$mono" >/dev/null 2>&1 || true
mono_warm_ms=$(median_ms "$bin" check --exit-zero --quiet "$mono")

# Start-up: a one-file project, the whole run, against rg searching it: milliseconds are too coarse
# here, so microseconds over more runs.
median_us() { median_of 21 1000 "$@"; }
tiny="$work/tiny"
mkdir -p "$tiny" && printf 'import numpy as np\n' > "$tiny/a.py"
tiny_us=$(median_us "$bin" check --no-cache --exit-zero --quiet "$tiny")
tiny_rg_us=$(median_us rg -c -e "$literals" "$tiny")
tiny_ms=$(( tiny_us / 1000 ))

printf '\n%-40s %10s %10s\n' "measurement (median of $runs)" "ms" "vs rg"
printf '%-40s %10s %10s\n' "rg (key literals), $count files" "$rg_ms" "1.00"
printf '%-40s %10s %10s\n' "cold scan (--no-cache)" "$cold_ms" "$(ratio "$cold_ms" "$rg_ms")"
printf '%-40s %10s %10s\n' "cached re-scan" "$warm_ms" "$(ratio "$warm_ms" "$rg_ms")"
printf '%-40s %10s %10s\n' "--files (5 files)" "$files_ms" "$(ratio "$files_ms" "$rg_ms")"
printf '%-40s %10s %10s\n' "rg, monorepo of examples ($mono_count files)" "$mono_rg_ms" "1.00"
printf '%-40s %10s %10s\n' "monorepo cold scan" "$mono_cold_ms" "$(ratio "$mono_cold_ms" "$mono_rg_ms")"
printf '%-40s %10s %10s\n' "monorepo cached re-scan" "$mono_warm_ms" "$(ratio "$mono_warm_ms" "$mono_rg_ms")"
printf '%-40s %10s %10s\n' "one-file project, whole run" "$tiny_ms" "$(ratio "$tiny_us" "$tiny_rg_us")"
printf '\npeak RSS: cold %s MB, cached %s MB\n' "$(( ${cold_rss:-0} / 1024 ))" "$(( ${warm_rss:-0} / 1024 ))"
echo "targets: cold <= 2x rg, cached <= 1x rg, --files <= 30 ms, start-up <= 10 ms, RSS <= 200 MB at 100k files"

# History: commits of a mid-sized repository, each changing 3 files, scored from git objects with
# the blob-id cache, against one cold scan of the same repository.
hist="$work/history"
generate "$hist_files" "$hist"
git_c() { git -C "$hist" -c user.name=bench -c user.email=bench@example.com -c commit.gpgsign=false "$@" >/dev/null; }
git_c init -q
git_c add -A
git_c commit -qm "commit 0"
for c in $(seq 1 $(( hist_commits - 1 ))); do
  for k in 1 2 3; do echo "# change $c.$k" >> "$hist/pkg000/mod0$k/file000$k$((c % 10)).py"; done
  git_c add -A
  git_c commit -qm "commit $c"
done
t0=$(date +%s%N); "$bin" audit --no-cache --format json "$hist" >/dev/null; t1=$(date +%s%N)
export XDG_CACHE_HOME="$work/cache-history"
t2=$(date +%s%N); "$bin" audit --history "$hist_commits" --format json "$hist" >/dev/null; t3=$(date +%s%N)
one=$(( (t1 - t0) / 1000000 )); many=$(( (t3 - t2) / 1000000 ))
printf '\nhistory: one scan %s ms, %s commits %s ms (%s x one scan; target <= 5x for 50)\n' \
  "$one" "$hist_commits" "$many" "$(ratio "$many" "$one")"

# The guard.
measured=$(cat <<JSON
{"cold": $(ratio "$cold_ms" "$rg_ms"), "cached": $(ratio "$warm_ms" "$rg_ms"), "files": $(ratio "$files_ms" "$rg_ms"),
 "mono_cold": $(ratio "$mono_cold_ms" "$mono_rg_ms"), "mono_cached": $(ratio "$mono_warm_ms" "$mono_rg_ms"),
 "history": $(ratio "$many" "$one"), "rss_mb": $(( ${cold_rss:-0} / 1024 )),
 "startup": $(ratio "$tiny_us" "$tiny_rg_us")}
JSON
)
baseline="$here/baseline.json"
if [ "$record" = 1 ]; then
  python3 - "$baseline" "$mode" "$measured" <<'PY'
import json, sys, os
path, mode, measured = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
data = json.load(open(path)) if os.path.exists(path) else {}
data[mode] = measured
tmp = path + ".tmp"
with open(tmp, "w") as f:
    json.dump(data, f, indent=2, sort_keys=True)
    f.write("\n")
os.replace(tmp, path)
PY
  echo "recorded the $mode ratios in $baseline"
  exit 0
fi
[ -f "$baseline" ] || { echo "no $baseline: nothing to compare (run with --record)"; exit 0; }
python3 - "$baseline" "$mode" "$measured" "$tolerance" <<'PY'
import json, sys
base = json.load(open(sys.argv[1])).get(sys.argv[2])
measured, tolerance = json.loads(sys.argv[3]), float(sys.argv[4])
if not base:
    print(f"no {sys.argv[2]} baseline recorded; nothing to compare")
    sys.exit(0)
failed = []
for key, was in sorted(base.items()):
    now = measured.get(key)
    if now is None or was <= 0:
        continue
    verdict = "REGRESSED" if now > was * (1 + tolerance) else "ok"
    print(f"  {key:12} baseline {was:8.2f}  now {now:8.2f}  {verdict}")
    if verdict != "ok":
        failed.append(key)
if failed:
    print(f"speed guard: {', '.join(failed)} regressed by more than {tolerance:.0%} against bench/baseline.json")
    sys.exit(1)
print(f"speed guard: every ratio within {tolerance:.0%} of bench/baseline.json")
PY
