#!/usr/bin/env bash
# Installs the build and test dependencies on Debian 12. Safe to run again: only what is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libgit2-dev libyaml-cpp-dev libtomlplusplus-dev libspdlog-dev libfmt-dev
  libre2-dev nlohmann-json3-dev libcli11-dev libgtest-dev libgmock-dev
  libtree-sitter-dev nodejs npm ripgrep
  pre-commit python3-jsonschema time libsqlite3-dev chromium
)

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
