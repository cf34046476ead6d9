#!/usr/bin/env bash
# Scaffolds a new rule: rules/<ID>-<name>.yaml plus fixtures/<ID>/bad and good repositories with
# expectation markers, ready to be filled in. It loads as written; its fixtures fail until the
# check and the fixtures say something real (run `mlops-lint test-rules rules`).
#
#   scripts/new-rule.sh ID name [pattern|requirement] [RULES_DIR]
#   scripts/new-rule.sh EVL002 test-set-never-evaluated pattern
set -euo pipefail

usage() { echo "usage: $0 ID name [pattern|requirement] [RULES_DIR]" >&2; exit 2; }
[ $# -ge 2 ] || usage
id="$1"; name="$2"; kind="${3:-pattern}"
dir="${4:-$(cd "$(dirname "$0")/.." && pwd)/rules}"
[[ "$id" =~ ^[A-Z]{2,4}[0-9]{3}$ ]] || { echo "ID must be 2-4 capital letters and 3 digits (e.g. DAT008)" >&2; exit 2; }
[[ "$name" =~ ^[a-z0-9]+(-[a-z0-9]+)*$ ]] || { echo "name must be kebab-case (e.g. split-without-seed)" >&2; exit 2; }
[[ "$kind" == pattern || "$kind" == requirement ]] || usage
[ -d "$dir" ] || { echo "no rule directory $dir" >&2; exit 2; }
# Codes are never reused, even when the rule they named was removed.
if compgen -G "$dir/$id-*.yaml" >/dev/null || [ -e "$dir/fixtures/$id" ]; then
  echo "$id is taken in $dir" >&2; exit 2
fi

# The practice most rules of the same family name; check it (docs/practices.md lists them all).
prefix="${id%%[0-9]*}"
practice="$(grep -h '^practice:' "$dir/$prefix"[0-9]*.yaml 2>/dev/null | awk '{print $2}' | sort | uniq -c | sort -rn | awk 'NR==1 {print $2}' || true)"
practice="${practice:-documentation}"

rule="$dir/$id-$name.yaml"
fixtures="$dir/fixtures/$id"
mkdir -p "$fixtures/bad" "$fixtures/good"

if [ "$kind" = pattern ]; then
  check='check:
  python_call:
    name: ["TODO.replace_me"]       # alias-resolved qualified name glob(s)
    prefilter: [replace_me]         # literals, as specific as the call (see docs/writing-rules.md)'
  message='"TODO: what is wrong with {match}, and what to do"'
  bad='import TODO

# ruleid: '"$id"'
TODO.replace_me()'
  good='import TODO

# ok: '"$id"'
TODO.something_else()'
else
  check='check:
  file_exists: ["TODO-evidence-file"]'
  message='"TODO: which practice is missing, and the first step to add it"'
  bad='# A project without the evidence '"$id"' looks for.'
  good='# A project with the evidence '"$id"' looks for (add the file the check names).'
fi

cat > "$rule" <<YAML
id: $id
name: $name
practice: $practice   # TODO check: one of the slugs in docs/practices.md
category: data   # TODO check: data, training, code, deployment, monitoring, documentation
severity: warning
kind: $kind
summary: TODO one line, phrased as the good state
message: $message
rationale: |
  TODO why the practice matters, in two or three sentences.
remediation: |
  TODO how to fix it.
examples:
  bad: |
    TODO
  good: |
    TODO
references: []
profiles: [research, team, production]
applies: ml_code
$check
YAML

printf '%s\n' "$bad" > "$fixtures/bad/train.py"
printf '%s\n' "$good" > "$fixtures/good/train.py"
echo "wrote $rule (practice $practice, guessed from the other $prefix rules: check it)"
echo "wrote $fixtures/bad/train.py and $fixtures/good/train.py"
echo "next: fill in the TODOs, then run: build/mlops-lint test-rules $dir && build/mlops-lint generate-docs docs/rules"
