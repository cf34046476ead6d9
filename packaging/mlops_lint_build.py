"""PEP 517 build backend for the mlops-lint wheel and sdist; needs nothing beyond Python itself.

pyproject.toml names it with `requires = []` and `backend-path = ["packaging"]`, so `pip install .`
and pre-commit's `language: python` hook build offline, with no package index.

The wheel carries the native binary as a script (`mlops_lint-V.data/scripts/mlops-lint`, which pip
installs into the environment's bin/, as ruff does: no Python between the user and the binary).
For a portable build, the shared libraries it was linked against go to
`mlops_lint-V.data/data/lib/mlops-lint/`, installed as <prefix>/lib/mlops-lint/, the directory the
binary's `$ORIGIN/../lib/mlops-lint` rpath names.

Where the binary comes from:
  MLOPS_LINT_BINARY=PATH  use this binary. If it sits in a bin/ directory with lib/mlops-lint/
                          beside it (the layout `scripts/package.sh --stage` writes), those
                          libraries are bundled and the wheel is tagged manylinux; otherwise the
                          binary alone is shipped, tagged for this platform only.
  unset                   build it: `scripts/package.sh --stage` (cmake, Release, portable). That
                          needs the build dependencies (`scripts/setup.sh --build`) and minutes.
"""

import base64
import hashlib
import io
import os
import platform
import stat
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = "mlops_lint"  # the distribution name normalised for file names
PACKAGE_DIR = Path(__file__).resolve().parent / "mlops_lint"
# Reproducible archives: SOURCE_DATE_EPOCH when given, else the earliest time zip can store.
EPOCH = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))


def _version() -> str:
    return (ROOT / "VERSION").read_text(encoding="utf-8").strip()


def _metadata() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return (
        "Metadata-Version: 2.1\n"
        "Name: mlops-lint\n"
        f"Version: {_version()}\n"
        "Summary: A fast, native linter for machine-learning projects' lifecycle practices\n"
        "Project-URL: Source, https://github.com/mlops-lint/mlops-lint\n"
        "License: Apache-2.0\n"
        "Requires-Python: >=3.8\n"
        "Description-Content-Type: text/markdown\n"
        "\n" + readme
    )


def _glibc_tag(machine: str) -> str:
    # The binary needs at most the glibc it was built against.
    libc = os.confstr("CS_GNU_LIBC_VERSION") if hasattr(os, "confstr") else None
    if not libc or not libc.startswith("glibc "):
        return sysconfig.get_platform().replace("-", "_").replace(".", "_")
    major, minor = libc.split()[1].split(".")[:2]
    return f"manylinux_{major}_{minor}_{machine}"


def _binary_and_libs(work: Path):
    """The binary to ship and the directory of libraries to bundle (or None)."""
    given = os.environ.get("MLOPS_LINT_BINARY")
    if given:
        binary = Path(given).resolve()
        if not binary.is_file() or not os.access(binary, os.X_OK):
            raise RuntimeError(f"MLOPS_LINT_BINARY={given} is not an executable file")
    else:
        stage = work / "stage"
        print("mlops_lint_build: no MLOPS_LINT_BINARY given, building with scripts/package.sh --stage",
              file=sys.stderr)
        subprocess.run(["bash", str(ROOT / "scripts" / "package.sh"), "--stage", str(stage)], check=True,
                       stdout=sys.stderr)
        binary = stage / "bin" / "mlops-lint"
    libs = binary.parent.parent / "lib" / "mlops-lint"
    if binary.parent.name == "bin" and libs.is_dir():
        return binary, libs
    return binary, None


class _Wheel:
    """A wheel being written: entries plus the RECORD of their hashes."""

    def __init__(self, path: Path):
        self.zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED)
        self.records = []

    def add(self, arcname: str, data: bytes, executable: bool = False) -> None:
        info = zipfile.ZipInfo(arcname, date_time=_zip_time())
        # pip sets the executable bit only for entries marked as regular files with x bits.
        info.external_attr = (stat.S_IFREG | (0o755 if executable else 0o644)) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        self.zip.writestr(info, data)
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        self.records.append(f"{arcname},sha256={digest},{len(data)}")

    def close(self, record_name: str) -> None:
        record = "\n".join(self.records + [f"{record_name},,"]) + "\n"
        info = zipfile.ZipInfo(record_name, date_time=_zip_time())
        info.external_attr = (stat.S_IFREG | 0o644) << 16
        self.zip.writestr(info, record, compress_type=zipfile.ZIP_DEFLATED)
        self.zip.close()


def _zip_time():
    return time.gmtime(max(EPOCH, 315532800))[:6]


# PEP 517 hooks ----------------------------------------------------------------------------------

def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    version = _version()
    machine = platform.machine()
    with tempfile.TemporaryDirectory() as tmp:
        binary, libs = _binary_and_libs(Path(tmp))
        tag = "py3-none-" + (_glibc_tag(machine) if libs else
                             sysconfig.get_platform().replace("-", "_").replace(".", "_"))
        filename = f"{NAME}-{version}-{tag}.whl"
        data, dist_info = f"{NAME}-{version}.data", f"{NAME}-{version}.dist-info"
        wheel = _Wheel(Path(wheel_directory) / filename)
        for source in sorted(PACKAGE_DIR.glob("*.py")):
            wheel.add(f"mlops_lint/{source.name}", source.read_bytes())
        wheel.add(f"{data}/scripts/mlops-lint", binary.read_bytes(), executable=True)
        if libs:
            for lib in sorted(libs.iterdir()):
                wheel.add(f"{data}/data/lib/mlops-lint/{lib.name}", lib.read_bytes())
            # The bundled libraries' licences (share/doc/mlops-lint/third-party/).
            tree = libs.parent.parent
            for doc in sorted((tree / "share").rglob("*")):
                if doc.is_file():
                    wheel.add(f"{data}/data/{doc.relative_to(tree).as_posix()}", doc.read_bytes())
        wheel.add(f"{dist_info}/METADATA", _metadata().encode())
        wheel.add(f"{dist_info}/WHEEL",
                  f"Wheel-Version: 1.0\nGenerator: mlops_lint_build\nRoot-Is-Purelib: false\nTag: {tag}\n".encode())
        wheel.add(f"{dist_info}/licenses/LICENSE", (ROOT / "LICENSE").read_bytes())
        wheel.close(f"{dist_info}/RECORD")
    return filename


def _source_files():
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z"], check=True, capture_output=True).stdout
        return [f for f in out.decode().split("\0") if f and (ROOT / f).is_file()]
    except (OSError, subprocess.CalledProcessError):
        # Not a git checkout (e.g. an unpacked sdist): everything but build output.
        skip = {".git", "dist"}
        return sorted(str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
                      if p.is_file() and not p.is_symlink() and p.relative_to(ROOT).parts[0] not in skip
                      and not p.relative_to(ROOT).parts[0].startswith("build"))


def build_sdist(sdist_directory, config_settings=None):
    base = f"{NAME}-{_version()}"
    filename = f"{base}.tar.gz"

    def normalise(info):
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        info.mtime = EPOCH
        return info

    with tarfile.open(Path(sdist_directory) / filename, "w:gz", format=tarfile.PAX_FORMAT) as tar:
        for rel in _source_files():
            tar.add(ROOT / rel, arcname=f"{base}/{rel}", recursive=False, filter=normalise)
        pkg_info = _metadata().encode()
        info = normalise(tarfile.TarInfo(f"{base}/PKG-INFO"))
        info.size, info.mode = len(pkg_info), 0o644
        tar.addfile(info, io.BytesIO(pkg_info))
    return filename
