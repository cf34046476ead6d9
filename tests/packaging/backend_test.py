#!/usr/bin/env python3
"""Checks the in-tree PEP 517 backend (packaging/mlops_lint_build.py) without compiling: wheels
built around a stand-in binary carry it as a script, bundle a portable tree's libraries, have a
valid RECORD, and install offline into a fresh venv; the sdist holds what a build needs.

usage: backend_test.py SOURCE_DIR
"""

import base64
import csv
import hashlib
import importlib
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import unittest
import zipfile
from pathlib import Path

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]).resolve()
sys.path.insert(0, str(ROOT / "packaging"))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
backend = importlib.import_module("mlops_lint_build")
VERSION = (ROOT / "VERSION").read_text().strip()
STAND_IN = "#!/bin/sh\necho \"mlops-lint stand-in $*\"\n"


class Backend(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.saved = os.environ.get("MLOPS_LINT_BINARY")

    def tearDown(self):
        if self.saved is None:
            os.environ.pop("MLOPS_LINT_BINARY", None)
        else:
            os.environ["MLOPS_LINT_BINARY"] = self.saved
        subprocess.run(["rm", "-rf", str(self.tmp)], check=True)

    def stand_in(self, portable):
        tree = self.tmp / "tree"
        (tree / "bin").mkdir(parents=True)
        binary = tree / "bin" / "mlops-lint"
        binary.write_text(STAND_IN)
        binary.chmod(0o755)
        if portable:
            (tree / "lib" / "mlops-lint").mkdir(parents=True)
            (tree / "lib" / "mlops-lint" / "libexample.so.1").write_bytes(b"\x7fELF not really")
            (tree / "share" / "doc" / "mlops-lint" / "third-party").mkdir(parents=True)
            (tree / "share" / "doc" / "mlops-lint" / "third-party" / "libexample1.copyright").write_text("MIT\n")
        os.environ["MLOPS_LINT_BINARY"] = str(binary)
        return binary

    def build(self):
        out = self.tmp / "dist"
        out.mkdir(exist_ok=True)
        name = backend.build_wheel(str(out))
        return out / name

    def test_hooks_need_nothing(self):
        self.assertEqual(backend.get_requires_for_build_wheel(), [])
        self.assertEqual(backend.get_requires_for_build_sdist(), [])

    def test_portable_wheel_bundles_the_libraries(self):
        self.stand_in(portable=True)
        wheel = self.build()
        self.assertRegex(wheel.name, rf"^mlops_lint-{VERSION}-py3-none-manylinux_\d+_\d+_\w+\.whl$")
        with zipfile.ZipFile(wheel) as z:
            names = set(z.namelist())
            script = z.getinfo(f"mlops_lint-{VERSION}.data/scripts/mlops-lint")
            self.assertEqual((script.external_attr >> 16) & 0o777, 0o755)
            self.assertEqual(z.read(script).decode(), STAND_IN)
            self.assertIn(f"mlops_lint-{VERSION}.data/data/lib/mlops-lint/libexample.so.1", names)
            self.assertIn("mlops_lint/__main__.py", names)
            self.assertIn(f"mlops_lint-{VERSION}.data/data/share/doc/mlops-lint/third-party/libexample1.copyright", names)
            metadata = z.read(f"mlops_lint-{VERSION}.dist-info/METADATA").decode()
            self.assertIn(f"\nVersion: {VERSION}\n", metadata)
            self.assertIn("Root-Is-Purelib: false", z.read(f"mlops_lint-{VERSION}.dist-info/WHEEL").decode())
            # RECORD lists every other entry with its sha256 and size.
            rows = list(csv.reader(io.StringIO(z.read(f"mlops_lint-{VERSION}.dist-info/RECORD").decode())))
            recorded = {row[0]: row for row in rows}
            self.assertEqual(set(recorded), names)
            for name in names - {f"mlops_lint-{VERSION}.dist-info/RECORD"}:
                data = z.read(name)
                digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                self.assertEqual(recorded[name][1:], [f"sha256={digest}", str(len(data))], name)

    def test_a_lone_binary_is_tagged_for_this_platform_only(self):
        self.stand_in(portable=False)
        wheel = self.build()
        self.assertNotIn("manylinux", wheel.name)
        with zipfile.ZipFile(wheel) as z:
            self.assertFalse([n for n in z.namelist() if "/data/lib/" in n])

    def test_wheel_installs_offline_and_runs_from_bin(self):
        self.stand_in(portable=True)
        wheel = self.build()
        venv = self.tmp / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "--no-index", str(wheel)], check=True,
                       env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"})
        self.assertTrue((venv / "lib" / "mlops-lint" / "libexample.so.1").is_file(),
                        "libraries land where the binary's $ORIGIN/../lib/mlops-lint rpath looks")
        out = subprocess.run([str(venv / "bin" / "mlops-lint"), "--version"], capture_output=True, text=True)
        self.assertEqual(out.stdout.strip(), "mlops-lint stand-in --version")
        out = subprocess.run([str(venv / "bin" / "python"), "-m", "mlops_lint", "check", "x"], capture_output=True,
                             text=True)
        self.assertEqual(out.stdout.strip(), "mlops-lint stand-in check x", out.stderr)

    def test_a_missing_binary_is_a_clear_error(self):
        os.environ["MLOPS_LINT_BINARY"] = str(self.tmp / "nope")
        with self.assertRaisesRegex(RuntimeError, "MLOPS_LINT_BINARY"):
            self.build()

    def test_sdist_holds_what_a_build_needs(self):
        name = backend.build_sdist(str(self.tmp))
        self.assertEqual(name, f"mlops_lint-{VERSION}.tar.gz")
        with tarfile.open(self.tmp / name) as tar:
            names = set(tar.getnames())
        base = f"mlops_lint-{VERSION}"
        for needed in ["pyproject.toml", "VERSION", "packaging/mlops_lint_build.py", "scripts/package.sh",
                       "CMakeLists.txt", "PKG-INFO"]:
            self.assertIn(f"{base}/{needed}", names)
        self.assertFalse([n for n in names if n.count("/") and n.split("/")[1].startswith("build")], "build trees")


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
