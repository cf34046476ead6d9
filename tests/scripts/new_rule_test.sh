#!/usr/bin/env bash
# scripts/new-rule.sh scaffolds a rule that loads (test-rules runs it: exit 1, its fixtures still
# to fill in, never 2) and refuses a code already taken.
set -euo pipefail
bin="$1"
root="$(cd "$(dirname "$0")/../.." && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/rules"
"$root/scripts/new-rule.sh" XYZ001 scaffolded-rule pattern "$tmp/rules" >/dev/null
"$root/scripts/new-rule.sh" XYZ002 scaffolded-requirement requirement "$tmp/rules" >/dev/null
for f in XYZ001-scaffolded-rule.yaml fixtures/XYZ001/bad/train.py fixtures/XYZ001/good/train.py \
         XYZ002-scaffolded-requirement.yaml; do
  [ -f "$tmp/rules/$f" ] || { echo "missing $f"; exit 1; }
done
set +e
"$bin" test-rules "$tmp/rules" >"$tmp/out" 2>&1
status=$?
set -e
[ "$status" -eq 1 ] || { echo "test-rules on the scaffold: exit $status, want 1"; cat "$tmp/out"; exit 1; }
grep -q "^2 rules" "$tmp/out" || { echo "the scaffolded rules did not load"; cat "$tmp/out"; exit 1; }
if "$root/scripts/new-rule.sh" XYZ001 again pattern "$tmp/rules" 2>/dev/null; then echo "a taken code was reused"; exit 1; fi
if "$root/scripts/new-rule.sh" bad-id again pattern "$tmp/rules" 2>/dev/null; then echo "a malformed code was accepted"; exit 1; fi
echo "new-rule.sh: ok"
