#!/usr/bin/env bash
# Packages mlops-lint for release: a portable Linux tarball (the binary plus every shared library
# it needs beyond glibc, found through its $ORIGIN rpath), its sha256 file, and a Python wheel
# carrying the same files (packaging/mlops_lint_build.py).
#
#   scripts/package.sh                build-release/dist/{mlops-lint-V-linux-ARCH.tar.gz{,.sha256},
#                                     mlops_lint-V-py3-none-manylinux_*.whl}
#   scripts/package.sh --test         the same, then verify each in a clean place: ldd shows no
#                                     library outside glibc resolved from the system, the binaries
#                                     run with no LD_LIBRARY_PATH, the wheel installs offline into a
#                                     fresh venv, and `check` gives examples/ the expected exit codes
#   scripts/package.sh --stage DIR    only build and lay out DIR/bin, DIR/lib/mlops-lint (the wheel
#                                     backend's fallback when MLOPS_LINT_BINARY is not given)
#
# Environment: MLOPS_LINT_BUILD_DIR (default build-release), PYTHON (default python3).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${MLOPS_LINT_BUILD_DIR:-$root/build-release}"
python="${PYTHON:-python3}"
mode=package stage=""
case "${1:-}" in
  "") ;;
  --test) mode="test" ;;
  --stage)
    mode=stage stage="${2:?usage: scripts/package.sh --stage DIR}"
    # DIR is replaced: only a new or empty directory, never someone's files.
    if [ -e "$stage" ] && [ -n "$(ls -A "$stage" 2>/dev/null || echo x)" ]; then
      echo "package: --stage $stage: give a new or empty directory" >&2
      exit 2
    fi ;;
  *) echo "usage: scripts/package.sh [--test | --stage DIR]" >&2; exit 2 ;;
esac

version="$(head -n1 "$root/VERSION")"
arch="$(uname -m)"
log() { echo "package: $*" >&2; }

# glibc's own libraries: every distribution has them, and they must come from the system.
is_glibc() {
  case "$1" in
    linux-vdso.so.* | ld-linux*.so.* | libc.so.* | libm.so.* | libmvec.so.* | libpthread.so.* | \
      libdl.so.* | librt.so.* | libresolv.so.* | libutil.so.* | libanl.so.*) return 0 ;;
  esac
  return 1
}

build_binary() {
  local launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
  # The grammar tarball is fetched at configure time; reuse a copy another build dir already
  # fetched (configure still checks its sha512).
  local deps="$build/_deps/tree-sitter-python"
  if [ ! -e "$deps/package/src/parser.c" ]; then
    for t in "$root"/build*/_deps/tree-sitter-python/tree-sitter-python-*.tgz; do
      [ -f "$t" ] || continue
      mkdir -p "$deps" && cp -n "$t" "$deps/" && break
    done
  fi
  log "building a portable Release binary in $build"
  # -O2, as the tested default build: GCC 12's -O3 adds false -Wrestrict/-Wmaybe-uninitialized.
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS_RELEASE="-O2 -DNDEBUG" \
    -DCMAKE_C_FLAGS_RELEASE="-O2 -DNDEBUG" -DMLOPS_LINT_TESTS=OFF -DMLOPS_LINT_PORTABLE=ON "${launcher[@]}" >&2
  cmake --build "$build" --target mlops-lint >&2
}

# DIR/bin/mlops-lint (stripped) and DIR/lib/mlops-lint/ with every non-glibc library ldd resolves.
lay_out() {
  local dir="$1" name path
  rm -rf "$dir" && mkdir -p "$dir/bin" "$dir/lib/mlops-lint"
  cp "$build/mlops-lint" "$dir/bin/mlops-lint"
  strip --strip-unneeded "$dir/bin/mlops-lint"
  # One rpath entry, no empty one (which would mean the working directory), and DT_RPATH, which
  # also applies to the libraries' own dependencies.
  local rpath
  rpath="$(readelf -d "$dir/bin/mlops-lint" | sed -n 's/.*(RPATH).*\[\(.*\)\]$/\1/p')"
  # shellcheck disable=SC2016 # a literal $ORIGIN
  if [ "$rpath" != '$ORIGIN/../lib/mlops-lint' ] || readelf -d "$dir/bin/mlops-lint" | grep -q RUNPATH; then
    echo "package: the binary's rpath is '$rpath', expected \$ORIGIN/../lib/mlops-lint (configure with -DMLOPS_LINT_PORTABLE=ON)" >&2
    exit 1
  fi
  if ldd "$dir/bin/mlops-lint" | grep -q 'not found'; then
    ldd "$dir/bin/mlops-lint" >&2; echo "package: unresolved libraries" >&2; exit 1
  fi
  # Where each library comes from, resolved before any is copied beside the binary.
  local sources
  sources="$(ldd "$dir/bin/mlops-lint" | awk '$2 == "=>" && $3 ~ /^\// { print $1, $3 }')"
  while read -r name path; do
    is_glibc "$name" && continue
    cp -L "$path" "$dir/lib/mlops-lint/$name"
    chmod 0644 "$dir/lib/mlops-lint/$name"
  done <<< "$sources"
  third_party_notices "$dir" "$sources"
}

# Redistributed libraries come with their licences: the Debian copyright file of each package
# bundled, and which library came from which package version.
third_party_notices() {
  local dir="$1" sources="$2" notices="$1/share/doc/mlops-lint/third-party" lib path pkg
  mkdir -p "$notices"
  if ! command -v dpkg-query >/dev/null; then
    log "warning: no dpkg-query; add the bundled libraries' licences to $notices by hand"
    return 0
  fi
  echo "Libraries in lib/mlops-lint/, from these Debian packages (licences: <package>.copyright):" > "$notices/README"
  for lib in "$dir"/lib/mlops-lint/*; do
    path="$(awk -v n="$(basename "$lib")" '$1 == n { print $2 }' <<< "$sources")"
    pkg="$(dpkg-query -S "$path" 2>/dev/null || dpkg-query -S "$(readlink -f "$path")" 2>/dev/null)" || pkg=""
    pkg="${pkg%%:*}"
    if [ -z "$pkg" ]; then
      echo "package: no Debian package owns $path; its licence is not in $notices" >&2
      exit 1
    fi
    echo "$(basename "$lib") $pkg $(dpkg-query -W -f='${Version}' "$pkg")" >> "$notices/README"
    cp -L "/usr/share/doc/$pkg/copyright" "$notices/$pkg.copyright"
  done
}

# Fails unless every library ldd lists is glibc's or resolves inside the unpacked tree.
check_ldd() {
  local binary="$1" tree name path bad=0
  tree="$(readlink -f "$2")"
  log "ldd $binary"
  env -u LD_LIBRARY_PATH ldd "$binary" | sed 's/^/    /' >&2
  while read -r name path; do
    if is_glibc "$name"; then continue; fi
    case "$(readlink -f "$path")" in
      "$tree"/*) ;;
      *) echo "package: $name resolves to $path, outside $tree" >&2; bad=1 ;;
    esac
  done < <(env -u LD_LIBRARY_PATH ldd "$binary" | awk '$2 == "=>" { print $1, $3 }')
  return "$bad"
}

# Runs `check` on both examples with BINARY; neglected-project must exit 1, well-practiced 0.
check_examples() {
  local binary="$1" cache="$2" status
  [ "$("$binary" --version)" = "mlops-lint $version" ] || { echo "package: $binary --version is wrong" >&2; return 1; }
  set +e
  env -u LD_LIBRARY_PATH XDG_CACHE_HOME="$cache" "$binary" check --no-cache --quiet "$root/examples/neglected-project" >/dev/null
  status=$?
  set -e
  [ "$status" -eq 1 ] || { echo "package: $binary on examples/neglected-project exited $status, expected 1" >&2; return 1; }
  env -u LD_LIBRARY_PATH XDG_CACHE_HOME="$cache" "$binary" check --no-cache --quiet "$root/examples/well-practiced" >/dev/null ||
    { echo "package: $binary on examples/well-practiced failed" >&2; return 1; }
  log "$binary: examples/neglected-project exit 1, examples/well-practiced exit 0"
}

# Runs the tarball's binary where the system library directory holds glibc's libraries only, as on
# a distribution with none of ours installed: a private mount namespace (needs root; skipped
# otherwise) binds a directory of glibc's libraries over it.
check_isolated() {
  local binary="$1" scratch="$2" libdir status
  if ! unshare -m --propagation private true 2>/dev/null; then
    log "skipped the run without system libraries (unshare -m not permitted)"
    return 0
  fi
  libdir="$(dirname "$(ldd "$binary" | awk '$1 == "libc.so.6" { print $3 }')")"
  mkdir -p "$scratch/glibc-only"
  for lib in "$libdir"/*; do
    is_glibc "$(basename "$lib")" && cp -L "$lib" "$scratch/glibc-only/"
  done
  set +e
  # shellcheck disable=SC2016 # the inner shell expands its own arguments
  unshare -m --propagation private sh -c 'mount --bind "$1" "$2" && shift 2 && exec "$@"' sh \
    "$scratch/glibc-only" "$libdir" env -u LD_LIBRARY_PATH XDG_CACHE_HOME="$scratch/cache" \
    "$binary" check --no-cache --quiet "$root/examples/neglected-project" >/dev/null
  status=$?
  set -e
  [ "$status" -eq 1 ] || { echo "package: $binary without system libraries exited $status, expected 1" >&2; return 1; }
  log "$binary runs with only glibc's libraries in $libdir"
}

build_binary
if [ "$mode" = stage ]; then
  lay_out "$stage"
  exit 0
fi

dist="$build/dist"
base="mlops-lint-$version-linux-$arch"
rm -rf "$dist" && mkdir -p "$dist"
lay_out "$dist/$base"
cp "$root/LICENSE" "$root/README.md" "$dist/$base/"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || echo 315532800)}"
tar -C "$dist" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$SOURCE_DATE_EPOCH" \
  -czf "$dist/$base.tar.gz" "$base"
(cd "$dist" && sha256sum "$base.tar.gz" > "$base.tar.gz.sha256")
log "wrote $dist/$base.tar.gz"

# The wheel goes through pip and the PEP 517 backend, as `pip install .` would, offline.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$python" -m venv "$tmp/build-venv"
MLOPS_LINT_BINARY="$dist/$base/bin/mlops-lint" "$tmp/build-venv/bin/pip" wheel --quiet --no-index --no-deps \
  --wheel-dir "$dist" "$root" >&2
wheel="$(ls "$dist"/mlops_lint-"$version"-*.whl)"
log "wrote $wheel"
rm -rf "${dist:?}/$base"

[ "$mode" = test ] || exit 0

# Verify the tarball where it is unpacked, away from the build tree.
mkdir "$tmp/unpacked"
(cd "$dist" && sha256sum --quiet -c "$base.tar.gz.sha256")
tar -C "$tmp/unpacked" -xzf "$dist/$base.tar.gz"
tree="$tmp/unpacked/$base"
check_ldd "$tree/bin/mlops-lint" "$tree/lib/mlops-lint"
for lib in "$tree"/lib/mlops-lint/*; do
  grep -q "^$(basename "$lib") " "$tree/share/doc/mlops-lint/third-party/README" ||
    { echo "package: no licence notice for $(basename "$lib")" >&2; exit 1; }
done
check_examples "$tree/bin/mlops-lint" "$tmp/cache"
check_isolated "$tree/bin/mlops-lint" "$tmp"

# Verify the wheel in a fresh venv, offline.
"$python" -m venv "$tmp/venv"
"$tmp/venv/bin/pip" install --quiet --no-index "$wheel" >&2
check_ldd "$tmp/venv/bin/mlops-lint" "$tmp/venv/lib/mlops-lint"
check_examples "$tmp/venv/bin/mlops-lint" "$tmp/cache"
[ "$("$tmp/venv/bin/python" -m mlops_lint --version)" = "mlops-lint $version" ] ||
  { echo "package: python -m mlops_lint does not run the binary" >&2; exit 1; }
log "ok: tarball and wheel verified"
