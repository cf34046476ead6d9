#!/usr/bin/env bash
# Installs the Debian 12 packages mlops-lint needs. Safe to run again: only what is missing.
#   scripts/setup.sh           everything: build, tests, benchmarks (what the README commands use)
#   scripts/setup.sh --build   only what building needs (the Action's fallback, the image builder)
set -euo pipefail

# Building: the compiler, the libraries, and npm, which fetches the pinned tree-sitter grammar
# at configure time (cmake/TreeSitterPython.cmake).
build_packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libgit2-dev libyaml-cpp-dev libtomlplusplus-dev libspdlog-dev libfmt-dev
  libre2-dev nlohmann-json3-dev libcli11-dev libtree-sitter-dev libsqlite3-dev
  nodejs npm
)
# Testing only: GoogleTest, the tools the tests drive, the browser for the HTML screenshot test,
# and what .ci/run uses: clang-format, clang-tidy, clang with its fuzzer runtime, strace for the
# hostile suite's read tracing, xmllint for the JUnit schema.
test_packages=(
  libgtest-dev libgmock-dev ripgrep pre-commit python3-jsonschema python3-venv python3-yaml time chromium
  clang-format clang-tidy clang libclang-rt-14-dev strace libxml2-utils
)

case "${1:-}" in
  --build) packages=("${build_packages[@]}") ;;
  "") packages=("${build_packages[@]}" "${test_packages[@]}") ;;
  *) echo "usage: scripts/setup.sh [--build]" >&2; exit 2 ;;
esac

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm may come from outside Debian (e.g. a preinstalled Node.js); accept any working npm.
if command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
filtered=()
for p in "${missing[@]}"; do [ -n "$p" ] && filtered+=("$p"); done

if [ ${#filtered[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: installing ${filtered[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${filtered[@]}"
else
  echo "setup: all Debian packages present"
fi
