#!/usr/bin/env python3
"""Runs the pre-commit hooks of .pre-commit-hooks.yaml with the real `pre-commit`, offline, from a
local hook repository holding this checkout's packaging files: the `system` hook with the built
binary on PATH, and the `python` hook with no mlops-lint on PATH (pre-commit pip-installs the
package through the in-tree backend; MLOPS_LINT_BINARY spares it the compile). Also checks
`check FILE...` (files as positional arguments) directly.

usage: precommit_test.py SOURCE_DIR MLOPS_LINT_BINARY
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ROOT = Path(sys.argv[1]).resolve()
BINARY = Path(sys.argv[2]).resolve()
GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main",
       "-c", "commit.gpgsign=false"]
# What pre-commit needs to install the package from a clone: the hooks, the backend, the metadata.
HOOK_REPO_FILES = [".pre-commit-hooks.yaml", "pyproject.toml", "packaging", "VERSION", "README.md", "LICENSE",
                   "scripts"]


def git(cwd, *args):
    subprocess.run([*GIT, *args], cwd=cwd, check=True, capture_output=True)


class PreCommit(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not shutil.which("pre-commit"):
            raise unittest.SkipTest("pre-commit not installed (scripts/setup.sh installs it)")
        cls.tmp = Path(tempfile.mkdtemp())
        hooks = cls.tmp / "hooks"
        hooks.mkdir()
        for name in HOOK_REPO_FILES:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, hooks / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, hooks / name)
        git(hooks, "init", "-q")
        git(hooks, "add", "-A")
        git(hooks, "commit", "-qm", "hooks")
        cls.hooks = hooks
        cls.rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hooks, capture_output=True, text=True,
                                 check=True).stdout.strip()
        # Offline: no package index for pip, no network for anyone.
        cls.env = {**os.environ, "PRE_COMMIT_HOME": str(cls.tmp / "pc-home"), "XDG_CACHE_HOME": str(cls.tmp / "cache"),
                   "PIP_NO_INDEX": "1", "PIP_DISABLE_PIP_VERSION_CHECK": "1", "NO_COLOR": "1"}
        cls.env.pop("LD_LIBRARY_PATH", None)
        path = [d for d in os.environ["PATH"].split(os.pathsep) if d and not (Path(d) / "mlops-lint").exists()]
        cls.path_without = os.pathsep.join(path)
        cls.path_with = os.pathsep.join([str(BINARY.parent), *path])

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def repo(self, example, hook, args=None):
        repo = Path(tempfile.mkdtemp(dir=self.tmp))
        shutil.copytree(ROOT / "examples" / example, repo, dirs_exist_ok=True)
        config = f"repos:\n  - repo: {self.hooks}\n    rev: {self.rev}\n    hooks:\n      - id: {hook}\n"
        if args is not None:
            config += f"        args: {args}\n"
        (repo / ".pre-commit-config.yaml").write_text(config)
        git(repo, "init", "-q")
        git(repo, "add", "-A")
        return repo

    def pre_commit(self, repo, path, extra_env=None, verbose=False):
        env = {**self.env, "PATH": path, **(extra_env or {})}
        # --verbose shows a passing hook's output too (pre-commit hides it otherwise).
        return subprocess.run(["pre-commit", "run", "--color", "never", *(["--verbose"] if verbose else [])], cwd=repo,
                              env=env, capture_output=True, text=True, timeout=600)

    def test_system_hook_blocks_the_neglected_example_and_passes_the_good_one(self):
        bad = self.pre_commit(self.repo("neglected-project", "mlops-lint-system"), self.path_with)
        self.assertEqual(bad.returncode, 1, bad.stdout + bad.stderr)
        self.assertIn("DAT003", bad.stdout)
        good = self.pre_commit(self.repo("well-practiced", "mlops-lint-system"), self.path_with)
        self.assertEqual(good.returncode, 0, good.stdout + good.stderr)

    def test_args_are_options_not_file_names(self):
        repo = self.repo("neglected-project", "mlops-lint-system", args="[--fail-on, never]")
        r = self.pre_commit(repo, self.path_with, verbose=True)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("DAT003", r.stdout, "findings are still shown; they only no longer fail the commit")
        repo = self.repo("neglected-project", "mlops-lint-system", args="[--select, DEP002]")
        r = self.pre_commit(repo, self.path_with)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("DEP002", r.stdout)
        self.assertNotIn("DAT003", r.stdout)

    def test_python_hook_installs_the_package_with_no_binary_on_path(self):
        self.assertIsNone(shutil.which("mlops-lint", path=self.path_without))
        extra = {"MLOPS_LINT_BINARY": str(BINARY)}
        bad = self.pre_commit(self.repo("neglected-project", "mlops-lint"), self.path_without, extra)
        self.assertEqual(bad.returncode, 1, bad.stdout + bad.stderr)
        self.assertIn("DAT003", bad.stdout)
        never = self.pre_commit(self.repo("neglected-project", "mlops-lint", args="[--fail-on, never]"),
                                self.path_without, extra)
        self.assertEqual(never.returncode, 0, never.stdout + never.stderr)


class PositionalFiles(unittest.TestCase):
    """`check a.py b.py` is `check --files a.py b.py` in the repository around the working directory."""

    def run_check(self, cwd, *args):
        env = {**os.environ, "XDG_CACHE_HOME": str(cwd / ".." / "cache"), "NO_COLOR": "1"}
        return subprocess.run([str(BINARY), "check", "--no-cache", "--quiet", *args], cwd=cwd, env=env,
                              capture_output=True, text=True, timeout=120)

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.repo = self.tmp / "repo"
        shutil.copytree(ROOT / "examples" / "neglected-project", self.repo)
        git(self.repo, "init", "-q")
        git(self.repo, "add", "-A")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_files_as_positionals_match_files_option(self):
        files = sorted(p.name for p in self.repo.glob("*.py"))
        self.assertGreaterEqual(len(files), 1)
        positional = self.run_check(self.repo, "--format", "json", *files)
        option = self.run_check(self.repo, "--format", "json", "--files", *files)
        self.assertEqual(positional.returncode, option.returncode, positional.stderr)
        self.assertEqual(positional.stdout, option.stdout)
        self.assertIn(files[0], positional.stdout)

    def test_one_file_from_a_subdirectory_finds_the_repository(self):
        sub = self.repo / "sub"
        sub.mkdir()
        (sub / "job.py").write_text('open("/home/alice/data.csv")\n')
        git(self.repo, "add", "-A")
        r = self.run_check(sub, "--select", "DAT003", "job.py")
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("sub/job.py", r.stdout)

    def test_a_single_directory_is_still_the_path(self):
        whole = self.run_check(self.tmp, "repo")
        self.assertEqual(whole.returncode, 1, whole.stderr)
        self.assertIn("TST001", whole.stdout)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
