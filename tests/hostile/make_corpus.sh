#!/usr/bin/env bash
# Builds the hostile-repository corpus of issue #11: one small repository per case under
# OUTDIR/<case>/, an OUTDIR/outside/ directory that the tool must never read (canary) or write
# (target.txt), and OUTDIR/.meta/ with what run.sh needs to judge the runs (the canary marker,
# the planted secrets). No network, no Python: bash, printf, perl, git, ln, mkfifo, head.
# Large inputs (200 MB line, 1.5 GB blob) only with HOSTILE_BIG=1; smaller stand-ins otherwise.
# Usage: make_corpus.sh OUTDIR   (OUTDIR must be empty or absent)
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
OUT=$1
mkdir -p "$OUT"
if [ -n "$(ls -A "$OUT")" ]; then
  echo "make_corpus: $OUT is not empty" >&2
  exit 2
fi
OUT=$(cd "$OUT" && pwd -P)
BIG=${HOSTILE_BIG:-0}

# Deterministic git: no user or system config, fixed identities and dates.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null HOME="$OUT/.meta/home"
export GIT_AUTHOR_NAME=hostile GIT_AUTHOR_EMAIL=hostile@example.invalid
export GIT_COMMITTER_NAME=hostile GIT_COMMITTER_EMAIL=hostile@example.invalid
export GIT_AUTHOR_DATE='2026-01-01T00:00:00Z' GIT_COMMITTER_DATE='2026-01-01T00:00:00Z'
mkdir -p "$OUT/.meta/home"

MARK=HOSTILE-CANARY-3b7e1f0a9c
printf '%s\n' "$MARK" > "$OUT/.meta/canary"

# ---- helpers ------------------------------------------------------------------------------
new_dir() { mkdir -p "$OUT/$1"; }
new_repo() {
  mkdir -p "$OUT/$1"
  git -C "$OUT/$1" init -q -b main
}
commit() {
  [ -e "$OUT/$1/.git" ] || git -C "$OUT/$1" init -q -b main
  git -C "$OUT/$1" add -A
  git -C "$OUT/$1" commit -q --allow-empty -m "${2:-corpus}"
}
# An ML project the rules apply to: a training script with one DAT003 finding.
ml_project() {
  local d=$OUT/$1
  mkdir -p "$d"
  printf '# Churn model\n\nTrain with `python train.py`.\n' > "$d/README.md"
  printf 'pandas==2.1.0\nscikit-learn==1.3.0\n' > "$d/requirements.txt"
  cat > "$d/train.py" <<'EOF'
import pandas as pd
from sklearn.model_selection import train_test_split

df = pd.read_csv("/home/alice/data/customers.csv")
X_train, X_test = train_test_split(df, test_size=0.2, random_state=0)
EOF
}
# A string of N characters cycling through SEED (deterministic filler for fake secrets).
fill() { perl -e 'print substr($ARGV[0] x (1 + int($ARGV[1] / length $ARGV[0])), 0, $ARGV[1])' "$2" "$1"; }

# ---- outside: must never be read or written ---------------------------------------------
O=$OUT/outside
mkdir -p "$O/rules" "$O/reqs"
printf 'canary %s: this file lives outside every scanned repository\n' "$MARK" > "$O/secret.txt"
printf 'target %s: must never be written\n' "$MARK" > "$O/target.txt"
cat > "$O/train.py" <<EOF
import pandas as pd
df = pd.read_csv("/home/$MARK/data.csv")
EOF
printf '%s: 1\n' "$MARK" > "$O/mlops-lint.yaml"
printf '[tool.mlops-lint]\n%s = 1\n' "$MARK" > "$O/pyproject.toml"
printf '# %s\n*.py\n*.md\n' "$MARK" > "$O/gitignore"
printf '# %s\n*.py filter=lfs diff=lfs merge=lfs -text\n' "$MARK" > "$O/gitattributes"
printf 'torch>=1.0  # %s\n' "$MARK" > "$O/reqs/base.txt"
cat > "$O/rules/HOS001.yaml" <<EOF
id: HOS001
name: outside-rule
practice: documentation
category: documentation
severity: error
kind: requirement
summary: never loaded
message: "rule loaded from outside the repository: $MARK"
rationale: "must not load"
remediation: "none"
check:
  not:
    file_exists: ["*"]
EOF

# ---- reads outside the repository (confined reads) ----------------------------------------
# A tracked directory replaced by a symlink to outside: the index still lists data/train.py.
ml_project symlink-dir-tracked
mkdir -p "$OUT/symlink-dir-tracked/data"
cp "$O/train.py" "$OUT/symlink-dir-tracked/data/train.py"
sed -i "s/$MARK/bob/" "$OUT/symlink-dir-tracked/data/train.py"
commit symlink-dir-tracked
rm -rf "$OUT/symlink-dir-tracked/data"
ln -s ../outside "$OUT/symlink-dir-tracked/data"

# The same without git: the directory walk must not follow it.
ml_project symlink-dir-plain
ln -s ../outside "$OUT/symlink-dir-plain/data"

# A committed symlink as a tracked file.
ml_project symlink-file-tracked
ln -s ../outside/train.py "$OUT/symlink-file-tracked/evil.py"
commit symlink-file-tracked

# Configuration, ignore and attribute files that are symlinks to outside.
ml_project symlink-config-yaml
ln -s ../outside/mlops-lint.yaml "$OUT/symlink-config-yaml/.mlops-lint.yaml"
commit symlink-config-yaml

ml_project symlink-pyproject
ln -s ../outside/pyproject.toml "$OUT/symlink-pyproject/pyproject.toml"
commit symlink-pyproject

ml_project symlink-gitignore
ln -s ../outside/gitignore "$OUT/symlink-gitignore/.gitignore"
commit symlink-gitignore
printf 'import pandas\np = "/home/carol/untracked.csv"\n' > "$OUT/symlink-gitignore/untracked.py"

ml_project symlink-gitignore-plain
ln -s ../outside/gitignore "$OUT/symlink-gitignore-plain/.gitignore"

ml_project symlink-gitattributes
ln -s ../outside/gitattributes "$OUT/symlink-gitattributes/.gitattributes"
commit symlink-gitattributes

# A requirements include through a directory symlink to outside.
ml_project symlink-requirements-include
printf -- '-r reqs/base.txt\npandas==2.1.0\n' > "$OUT/symlink-requirements-include/requirements.txt"
ln -s ../outside/reqs "$OUT/symlink-requirements-include/reqs"
commit symlink-requirements-include

# A rule file in the repository's own rules directory that is a symlink to outside.
ml_project symlink-rule-file
mkdir -p "$OUT/symlink-rule-file/lint-rules"
printf 'rules: [lint-rules]\n' > "$OUT/symlink-rule-file/.mlops-lint.yaml"
ln -s ../../outside/rules/HOS001.yaml "$OUT/symlink-rule-file/lint-rules/HOS001.yaml"
commit symlink-rule-file

# The rules directory itself a symlink to outside (a config error, exit 2 is fine).
ml_project symlink-rule-dir
printf 'rules: [lint-rules]\n' > "$OUT/symlink-rule-dir/.mlops-lint.yaml"
ln -s ../outside/rules "$OUT/symlink-rule-dir/lint-rules"
commit symlink-rule-dir

# ---- writes through symlinks ---------------------------------------------------------------
# A committed mlops-lint.sarif symlink; run.sh runs `check --output mlops-lint.sarif` inside.
ml_project sarif-output-symlink
ln -s ../outside/target.txt "$OUT/sarif-output-symlink/mlops-lint.sarif"
ln -s ../outside/target.txt "$OUT/sarif-output-symlink/baseline.json"
commit sarif-output-symlink

# init over symlinked config, hook and workflow files.
ml_project init-symlink
ln -s ../outside/target.txt "$OUT/init-symlink/.mlops-lint.yaml"
ln -s ../outside/target.txt "$OUT/init-symlink/.pre-commit-config.yaml"
mkdir -p "$OUT/init-symlink/.github/workflows"
ln -s ../../../outside/target.txt "$OUT/init-symlink/.github/workflows/mlops-lint.yml"
commit init-symlink

# generate-docs into a directory holding other Markdown files and a page that is a symlink.
new_dir generate-docs-dir
mkdir -p "$OUT/generate-docs-dir/docs"
printf '# Team notes\nkeep me\n' > "$OUT/generate-docs-dir/docs/notes.md"
printf '# Changelog\nkeep me\n' > "$OUT/generate-docs-dir/docs/CHANGELOG.md"
ln -s ../../outside/target.txt "$OUT/generate-docs-dir/docs/DAT001.md"

# ---- FIFOs: a scan must not block on them (created after every git command) ---------------
ml_project fifo-gitignore
commit fifo-gitignore
mkfifo "$OUT/fifo-gitignore/.gitignore"

ml_project fifo-gitattributes
commit fifo-gitattributes
mkfifo "$OUT/fifo-gitattributes/.gitattributes"

ml_project fifo-untracked-py
commit fifo-untracked-py
mkfifo "$OUT/fifo-untracked-py/feature.py"

ml_project fifo-tracked-replaced
commit fifo-tracked-replaced
rm "$OUT/fifo-tracked-replaced/train.py"
mkfifo "$OUT/fifo-tracked-replaced/train.py"

ml_project fifo-config
mkfifo "$OUT/fifo-config/.mlops-lint.yaml"

ml_project fifo-pyproject
mkfifo "$OUT/fifo-pyproject/pyproject.toml"

ml_project fifo-plain-dir
mkfifo "$OUT/fifo-plain-dir/.gitignore" "$OUT/fifo-plain-dir/.gitattributes" "$OUT/fifo-plain-dir/model.py"

# ---- crashes and hangs: depth and size -----------------------------------------------------
# Notebook outputs nested 100,000 deep.
ml_project notebook-deep-outputs
perl -e 'print q({"cells":[{"cell_type":"code","execution_count":1,"id":"a","metadata":{},),
  q("source":["import pandas as pd\n","df = pd.read_csv(\"/home/alice/d.csv\")"],),
  q("outputs":[{"output_type":"execute_result","execution_count":1,"metadata":{},"data":{"application/json":),
  "[" x 100000, "]" x 100000, q(}}]}],"metadata":{},"nbformat":4,"nbformat_minor":5}), "\n"' \
  > "$OUT/notebook-deep-outputs/explore.ipynb"
commit notebook-deep-outputs

# A ~10 MB notebook of 30,000 cells written in \u escapes, each with a finding: looking up
# where each cell starts must not rescan the file (the first cell holds the prefilter literal
# /home/, which the escapes hide).
ml_project notebook-uescapes
perl -e '
  my $pad = "\\u0041" x 12;
  my $enc = sub { join "", map { sprintf "\\u%04x", ord } split //, shift };
  my @cells = (q({"cell_type":"code","execution_count":1,"metadata":{},"outputs":[],"source":["import pandas as pd  # /home/\n"]}));
  for my $i (1 .. 30000) {
    my $p = $enc->("/home/alice/d$i.csv");
    push @cells, qq({"cell_type":"code","execution_count":null,"metadata":{},"outputs":[],"source":["p = \\"$p\\"  # $pad\\n"]});
  }
  print q({"cells":[), join(",\n", @cells), q(],"metadata":{},"nbformat":4,"nbformat_minor":5}), "\n"' \
  > "$OUT/notebook-uescapes/explore.ipynb"
commit notebook-uescapes

# pyproject.toml with a 50,000-segment dotted key.
ml_project pyproject-dotted-key
perl -e 'print "[project]\nname = \"x\"\n\n[tool.other]\n", join(".", ("a") x 50000), " = 1\n"' \
  > "$OUT/pyproject-dotted-key/pyproject.toml"
commit pyproject-dotted-key

# A valid pyproject.toml over 1 MiB without a [tool.mlops-lint] table: not an error.
ml_project pyproject-big-no-table
perl -e 'print "[project]\nname = \"big\"\ndependencies = [\"pandas==2.1.0\"]\n\n[tool.other]\n";
  for my $i (1 .. 30000) { print "key$i = \"", "x" x 30, "\"\n" }' > "$OUT/pyproject-big-no-table/pyproject.toml"
commit pyproject-big-no-table

# Python files of 100,000 chained calls and 100,000 applications.
ml_project python-chained-calls
perl -e 'print "import pandas as pd\nfrom sklearn.model_selection import train_test_split\n",
  "df = pd.read_csv(\"d.csv\")", ".b()" x 100000, "\n"' > "$OUT/python-chained-calls/chain.py"
commit python-chained-calls

ml_project python-applications
perl -e 'print "import pandas as pd\nfrom sklearn.model_selection import train_test_split\n",
  "x = train_test_split", "(1)" x 100000, "\n"' > "$OUT/python-applications/apply.py"
commit python-applications

# 10 MB of f(x) lines (just under the default 10 MiB read cap).
ml_project python-fx-lines
{ printf 'import pandas as pd\nfrom sklearn.model_selection import train_test_split\n'; perl -e 'print "f(x)\n" x 2000000'; } \
  > "$OUT/python-fx-lines/calls.py"
commit python-fx-lines

# YAML alias bombs ("billion laughs"): in the config, and in a CI workflow.
alias_bomb() {
  printf '  - &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
  local prev=a l
  for l in b c d e f g h i; do
    printf '  - &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n' $l $prev $prev $prev $prev $prev $prev $prev $prev $prev
    prev=$l
  done
}
ml_project yaml-bomb-config
{ printf 'exclude:\n'; alias_bomb; } > "$OUT/yaml-bomb-config/.mlops-lint.yaml"
commit yaml-bomb-config

ml_project yaml-bomb-workflow
mkdir -p "$OUT/yaml-bomb-workflow/.github/workflows"
{ printf 'name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: pytest\n    bomb:\n'; alias_bomb | sed 's/^/    /'; } \
  > "$OUT/yaml-bomb-workflow/.github/workflows/ci.yml"
commit yaml-bomb-workflow

# A repository rules directory of 10,000 content rules (each compiles its own RE2 pattern).
ml_project rules-10k
mkdir -p "$OUT/rules-10k/lint-rules"
printf 'rules: [lint-rules]\n' > "$OUT/rules-10k/.mlops-lint.yaml"
perl -e '
  my @p = qw(HA HB HC HD HE HF HG HH HI HJ);
  for my $i (0 .. 9999) {
    my $id = $p[int($i / 1000)] . sprintf("%03d", $i % 1000);
    open my $f, ">", "$ARGV[0]/$id.yaml" or die;
    print $f "id: $id\nname: generated-$i\npractice: documentation\ncategory: documentation\n",
      "severity: info\nkind: pattern\nsummary: generated rule $i\nmessage: \"generated $i {match}\"\n",
      "rationale: \"r\"\nremediation: \"r\"\ncheck:\n  content:\n    files: [\"*.py\"]\n",
      "    pattern: \x27(?:np|scipy)\\.load[a-z_]*\\((?P<arg>[^)]{0,200})\\)|token$i\x27\n";
  }' "$OUT/rules-10k/lint-rules"
commit rules-10k

# A repository config raising max-file-size, plus a file that is one huge line of calls (costly
# to parse: the tool's own read cap must hold). A plain directory: git would hash it for nothing.
ml_project max-file-size-raise
printf "max-file-size: 1GB\n" > "$OUT/max-file-size-raise/.mlops-lint.yaml"
if [ "$BIG" = 1 ]; then line_mb=200; else line_mb=40; fi
{ printf 'import pandas as pd\nfrom sklearn.model_selection import train_test_split\n'
  perl -e 'print "f(x);" x ($ARGV[0] * 1024 * 1024 / 5), "\n"' "$line_mb"; } > "$OUT/max-file-size-raise/big_line.py"

# audit: a .gitattributes blob that inflates hugely (the work tree copy stays small).
ml_project audit-gitattributes-bomb
commit audit-gitattributes-bomb
# By default 256 MB: run.sh then caps that run at 160 MiB, less than the inflated blob.
if [ "$BIG" = 1 ]; then bomb_mb=1536; else bomb_mb=256; fi
blob=$(head -c $((bomb_mb * 1024 * 1024)) /dev/zero | git -C "$OUT/audit-gitattributes-bomb" hash-object -w --stdin)
git -C "$OUT/audit-gitattributes-bomb" update-index --add --cacheinfo "100644,$blob,.gitattributes"
git -C "$OUT/audit-gitattributes-bomb" commit -q -m "huge .gitattributes"
printf '*.bin binary\n' > "$OUT/audit-gitattributes-bomb/.gitattributes"

# ---- state: cache and store (prepared by run.sh with the binary) --------------------------
ml_project cache-corrupt
commit cache-corrupt
ml_project store-states
commit store-states
ml_project kill-writes
commit kill-writes

# ---- output bytes: invalid UTF-8 and terminal escapes ---------------------------------------
ml_project utf8-bytes
# DAT004 quotes the call (RE2 patterns such as DAT003's match valid UTF-8 only).
split_call() { printf 'import pandas as pd\nfrom sklearn.model_selection import train_test_split\nX = train_test_split(df, "%s", test_size=0.2)\n' "$1"; }
split_call ok > "$OUT/utf8-bytes/load_$(printf '\377')bad.py"
split_call "$(printf 'caf\351\200 \377\376')" > "$OUT/utf8-bytes/content.py"
printf 'pandas==2.1.0\ntorch\377>=1.0\n' > "$OUT/utf8-bytes/requirements.txt"
commit utf8-bytes

ml_project utf8-bytes-plain
split_call ok > "$OUT/utf8-bytes-plain/load_$(printf '\377')bad.py"
split_call "$(printf 'caf\351\200 \377\376')" > "$OUT/utf8-bytes-plain/content.py"

ml_project escape-sequences
printf 'import pandas as pd\ndf = pd.read_csv("/home/alice/\033]0;pwned\007\033[2J\033[31mred.csv")\n' \
  > "$OUT/escape-sequences/esc_$(printf '\033')[31mred.py"
printf 'pandas==2.1.0\ntorch>=1.0 # \033[2J\033]8;;http://evil.invalid\007link\n' > "$OUT/escape-sequences/requirements.txt"
commit escape-sequences

# audit and merge over names that need escaping in HTML (run.sh also forges a merge input).
new_dir audit-html-names
ml_project "audit-html-names/repo\"><x-hostile onmouseover=alert(1)>"
commit "audit-html-names/repo\"><x-hostile onmouseover=alert(1)>"
ml_project "audit-html-names/repo-$(printf '\377\033[2J')"
commit "audit-html-names/repo-$(printf '\377\033[2J')"

# ---- secrets: none may appear in clear in any output, baseline or cache ---------------------
HF1="hf_$(fill 34 HostileTokenOneZ9)"
HF2="hf_$(fill 34 SecondHostileTokenQ7)"
WANDB="$(fill 40 9e1d3c5b7a2f)"
AKIA="AKIA$(fill 16 HOSTILE7Q2W4E6RT)"
AWS_SECRET="$(fill 40 hOsTiLe/SeCrEt+Key0)"
GHP="ghp_$(fill 36 HostileGitHubPat8K)"
URL_PASS="HostilePassw0rd$(fill 8 4242)"
SK="sk-proj-$(fill 40 HostileOpenAiKey3x)"
printf '%s\n' "$HF1" "$HF2" "$WANDB" "$AKIA" "$AWS_SECRET" "$GHP" "$URL_PASS" "$SK" > "$OUT/.meta/secrets"

ml_project secrets
cat > "$OUT/secrets/train.py" <<EOF
import os
import wandb
import pandas as pd
from sklearn.model_selection import train_test_split

tokens = ["$HF1", "$HF2"]
os.environ["WANDB_API_KEY"] = "$WANDB"; os.environ["OPENAI_API_KEY"] = "$SK"
AWS = {"id": "$AKIA", "aws_secret_access_key": "$AWS_SECRET"}
df = pd.read_csv("/home/alice/$HF2/data.csv")
X_train, X_test = train_test_split(df, test_size=0.2, token="$HF1")
EOF
cat > "$OUT/secrets/requirements.txt" <<EOF
pandas==2.1.0
git+https://user:$GHP@github.com/x/y
git+https://bob:$URL_PASS@gitlab.example.com/x/z.git
mylib @ git+https://oauth2:$GHP@gitlab.example.com/x/lib.git
EOF
printf 'AWS_ACCESS_KEY_ID=%s\naws_secret_access_key=%s\n' "$AKIA" "$AWS_SECRET" > "$OUT/secrets/deploy.env"
commit secrets

# ---- valid repositories that must not be refused -------------------------------------------
ml_project split-index
commit split-index
git -C "$OUT/split-index" update-index --split-index
printf 'import pandas\np = "/home/dave/x.csv"\n' > "$OUT/split-index/extra.py"
git -C "$OUT/split-index" add extra.py
git -C "$OUT/split-index" commit -q -m extra

ml_project sparse-index
mkdir -p "$OUT/sparse-index/src/pkg" "$OUT/sparse-index/docs"
printf 'x = 1\n' > "$OUT/sparse-index/src/pkg/a.py"
printf '# docs\n' > "$OUT/sparse-index/docs/index.md"
commit sparse-index
git -C "$OUT/sparse-index" sparse-checkout init --cone --sparse-index
git -C "$OUT/sparse-index" sparse-checkout set src

# An untracked directory 120 levels deep next to an untracked file with a finding.
ml_project deep-untracked
commit deep-untracked
deep=$OUT/deep-untracked/nest
for _ in $(seq 120); do deep=$deep/d; done
mkdir -p "$deep"
printf 'x = 1\n' > "$deep/leaf.py"
printf 'import pandas as pd\ndf = pd.read_csv("/home/erin/untracked_marker.csv")\n' > "$OUT/deep-untracked/sibling.py"

# A directory nobody may read (run.sh runs this case as an unprivileged user when root).
ml_project unreadable-dir
commit unreadable-dir
mkdir -p "$OUT/unreadable-dir/locked"
printf 'import pandas\np = "/home/frank/x.csv"\n' > "$OUT/unreadable-dir/locked/hidden.py"
chmod 000 "$OUT/unreadable-dir/locked"

ml_project unreadable-dir-plain
mkdir -p "$OUT/unreadable-dir-plain/locked"
printf 'import pandas\np = "/home/frank/x.csv"\n' > "$OUT/unreadable-dir-plain/locked/hidden.py"
chmod 000 "$OUT/unreadable-dir-plain/locked"

# A control case: an ordinary repository must pass every check of the suite.
ml_project plain-control
commit plain-control

echo "make_corpus: $(find "$OUT" -mindepth 1 -maxdepth 1 ! -name '.*' ! -name outside | wc -l) cases in $OUT"
