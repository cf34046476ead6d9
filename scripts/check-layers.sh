#!/usr/bin/env bash
# Checks the layering of src/: each folder may include only folders below it in LAYERS (the
# same order as the libraries of src/CMakeLists.txt, lowest first). The build catches a wrong
# call between libraries at link time, but not an include of a header-only type (an inline
# function, a struct), so this script is the guard for those. Unit tests beside the code
# (*_test.cc) are held to the same order: a test that needs a higher layer belongs there.
#
#   scripts/check-layers.sh [REPO_ROOT]     exit 0 when clean; 1 with one line per violation
#
# A violation reads `src/config/config.h:10: config includes engine (engine/selection.h)`.
# A src/ folder missing from LAYERS is an error too: a new folder must be given its place.
# Includes of folders that are not src/ folders (tests' "support/...") are not checked.
set -euo pipefail

LAYERS="util model repo config analysers rules engine fix report audit testing cli"

root="${1:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root"

# Every top-level folder of src/ must have a place in the order.
status=0
for dir in src/*/; do
  name="$(basename "$dir")"
  case " $LAYERS " in
    *" $name "*) ;;
    *)
      echo "src/$name: folder not in the layer order (add it to LAYERS in scripts/check-layers.sh and src/CMakeLists.txt)"
      status=1
      ;;
  esac
done

# One grep over the tree, one awk: well under a second.
includes="$(grep -rnE --include='*.h' --include='*.cc' '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[A-Za-z0-9_]+/' src || true)"
if ! awk -v layers="$LAYERS" '
    BEGIN {
      n = split(layers, order, " ")
      for (i = 1; i <= n; i++) rank[order[i]] = i
      bad = 0
    }
    {
      # grep -n output: src/FOLDER/.../file:LINE:#include "TARGET/..."
      first = index($0, ":")
      file = substr($0, 1, first - 1)
      rest = substr($0, first + 1)
      second = index(rest, ":")
      line = substr(rest, 1, second - 1)
      text = substr(rest, second + 1)
      split(file, parts, "/")
      from = parts[2]
      q = index(text, "\"")
      target = substr(text, q + 1)
      target = substr(target, 1, index(target, "\"") - 1)
      to = substr(target, 1, index(target, "/") - 1)
      if (!(to in rank) || !(from in rank) || to == from) next
      if (rank[to] > rank[from]) {
        printf "%s:%s: %s includes %s (%s), which is above it\n", file, line, from, to, target
        bad = 1
      }
    }
    END { exit bad }
  ' <<<"$includes"; then
  status=1
fi

if [ "$status" -ne 0 ]; then
  echo "layer order (lowest first): $LAYERS" >&2
fi
exit "$status"
