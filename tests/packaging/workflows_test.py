#!/usr/bin/env python3
"""Checks the Action and the workflows: no expression inside a run: script, nothing test-only
installed by the Action, and the Action's scripts behave (safe argument splitting, the SARIF and
annotation plan, the exit code). Runs the scripts with stub binaries; touches no network.

usage: workflows_test.py SOURCE_DIR
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import yaml

ROOT = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2]).resolve()
ACTION = ROOT / "action.yml"
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
# Files this project controls fully: no ${{ }} at all in their run: scripts.
STRICT = {ACTION, ROOT / ".github" / "workflows" / "release.yml"}
# Values a pull request can set: never inside any run: script.
UNTRUSTED = re.compile(r"\$\{\{\s*(inputs\.|github\.event|github\.head_ref)")
TEST_ONLY = {"libgtest-dev", "libgmock-dev", "chromium", "pre-commit", "python3-jsonschema", "ripgrep",
             "time", "python3-venv", "python3-yaml"}


def steps_of(path):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "runs" in doc:
        yield from doc["runs"].get("steps", [])
    for job in (doc.get("jobs") or {}).values():
        yield from job.get("steps", [])


def action_step(name):
    for step in steps_of(ACTION):
        if step.get("name") == name:
            return step
    raise AssertionError(f"action.yml has no step {name!r}")


class Expressions(unittest.TestCase):
    def test_no_untrusted_expression_in_any_run_script(self):
        self.assertTrue(WORKFLOWS)
        for path in [ACTION, *WORKFLOWS]:
            for step in steps_of(path):
                script = step.get("run")
                if script is None:
                    continue
                where = f"{path.relative_to(ROOT)}: step {step.get('name', script.splitlines()[0])!r}"
                self.assertIsNone(UNTRUSTED.search(script), f"{where} interpolates an untrusted value into the shell")
                if path in STRICT:
                    self.assertNotIn("${{", script, f"{where}: pass values through env:, not ${{{{ }}}}")

    def test_detector_catches_an_interpolation(self):
        # The check above must not pass vacuously.
        self.assertIsNotNone(UNTRUSTED.search('echo "${{ inputs.args }}"'))
        self.assertIsNotNone(UNTRUSTED.search("echo ${{github.event.pull_request.title}}"))

    def test_shellcheck_every_action_script(self):
        if not shutil.which("shellcheck"):
            self.skipTest("shellcheck not installed")
        for step in steps_of(ACTION):
            if "run" not in step:
                continue
            r = subprocess.run(["shellcheck", "-s", "bash", "-"], input=step["run"], text=True, capture_output=True)
            self.assertEqual(r.returncode, 0, f"step {step.get('name')!r}:\n{r.stdout}")

    def test_actionlint_if_installed(self):
        if not shutil.which("actionlint"):
            self.skipTest("actionlint is not packaged in Debian 12")
        r = subprocess.run(["actionlint", *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=ROOT)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)


class InstallsNothingTestOnly(unittest.TestCase):
    def test_action_installs_build_dependencies_only(self):
        text = ACTION.read_text(encoding="utf-8")
        calls = re.findall(r"scripts/setup\.sh[^\n]*", text)
        self.assertTrue(calls, "the source fallback should use scripts/setup.sh --build")
        for call in calls:
            self.assertIn("--build", call)
        self.assertNotRegex(text, r"apt-get install|pip install|npm install")

    def test_setup_build_set_has_no_test_package(self):
        text = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
        build = re.search(r"build_packages=\((.*?)\)", text, re.S)
        tests = re.search(r"test_packages=\((.*?)\)", text, re.S)
        self.assertIsNotNone(build)
        self.assertIsNotNone(tests)
        build_set, test_set = set(build.group(1).split()), set(tests.group(1).split())
        self.assertEqual(build_set & TEST_ONLY, set())
        self.assertIn("libgtest-dev", test_set)
        self.assertIn("chromium", test_set)


class ShippedFiles(unittest.TestCase):
    """The image, the GitLab template and the hooks agree with VERSION and with each other."""

    version = (ROOT / "VERSION").read_text().strip()

    def test_version_is_written_once(self):
        self.assertRegex(self.version, r"^\d+\.\d+\.\d+$")
        cmake = (ROOT / "CMakeLists.txt").read_text()
        self.assertIn('file(STRINGS "${CMAKE_CURRENT_SOURCE_DIR}/VERSION"', cmake)
        self.assertNotRegex(cmake, r"project\([^)]*VERSION \d")

    def test_gitlab_template_pins_this_version_of_the_image(self):
        doc = yaml.safe_load((ROOT / "examples" / "ci" / "gitlab-ci.yml").read_text())
        job = doc["mlops-lint"]
        self.assertEqual(job["image"]["name"], f"ghcr.io/mlops-lint/mlops-lint:{self.version}")
        self.assertEqual(job["image"]["entrypoint"], [""])
        self.assertNotIn("before_script", job, "no build in the pipeline")

    def test_runtime_image_has_no_compiler(self):
        stages = re.split(r"(?m)^FROM ", (ROOT / "Dockerfile").read_text())[1:]
        self.assertGreaterEqual(len(stages), 2, "multi-stage")
        self.assertIn("scripts/setup.sh --build", stages[0])
        runtime = stages[-1]
        self.assertRegex(runtime, r"COPY --from=build ")
        self.assertNotRegex(runtime, r"setup\.sh|apt-get|build-essential|cmake|gcc|g\+\+|clang")

    def test_hooks_take_options_in_args(self):
        hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
        self.assertEqual(hooks["mlops-lint"]["language"], "python")
        self.assertEqual(hooks["mlops-lint-system"]["language"], "system")
        for hook in hooks.values():
            self.assertFalse(hook["entry"].rstrip().endswith("--files"), "args: would be read as file names")
            self.assertTrue(hook["pass_filenames"])


class ActionScripts(unittest.TestCase):
    """Runs the Action's bash steps as the runner would, with a stub mlops-lint."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())
        self.output = self.tmp / "github_output"
        self.output.write_text("")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def run_step(self, name, env):
        script = action_step(name)["run"]
        full = {"PATH": os.environ["PATH"], "GITHUB_OUTPUT": str(self.output), "GITHUB_ACTION_PATH": str(ROOT),
                "RUNNER_TEMP": str(self.tmp), "RUNNER_OS": "Linux", "RUNNER_ARCH": "X64", **env}
        # As the runner runs `shell: bash`: bash --noprofile --norc -eo pipefail {0}.
        path = self.tmp / "step.sh"
        path.write_text(script)
        r = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(path)], env=full,
                           capture_output=True, text=True, cwd=self.tmp)
        outputs = dict(line.split("=", 1) for line in self.output.read_text().splitlines() if "=" in line)
        self.output.write_text("")
        return r, outputs

    def plan(self, **env):
        base = {"INPUT_VERSION": "", "INPUT_SARIF": "true", "INPUT_ANNOTATIONS": "auto", "INPUT_BINARY": "",
                "HEAD_REPO": "", "BASE_REPO": "team/models", "ACTION_REPO": "mlops-lint/mlops-lint"}
        return self.run_step("Plan", {**base, **env})

    def test_plan_reads_the_version_file(self):
        r, out = self.plan()
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(out["version"], (ROOT / "VERSION").read_text().strip())
        self.assertEqual(out["download"], "true")
        r, out = self.plan(INPUT_VERSION="v0.3.1")
        self.assertEqual(out["version"], "0.3.1")
        r, out = self.plan(INPUT_VERSION="source")
        self.assertEqual(out["download"], "false")

    def test_plan_refuses_a_version_that_is_not_one(self):
        r, _ = self.plan(INPUT_VERSION="0.2.0/../../evil")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("::error", r.stdout)

    def test_findings_show_once(self):
        r, out = self.plan(HEAD_REPO="team/models")  # a pull request from a branch of the same repository
        self.assertEqual((out["upload"], out["annotate"]), ("true", "false"))
        r, out = self.plan(INPUT_SARIF="false")
        self.assertEqual((out["upload"], out["annotate"]), ("false", "true"))
        r, out = self.plan(INPUT_ANNOTATIONS="always")
        self.assertEqual((out["upload"], out["annotate"]), ("true", "true"))
        r, out = self.plan(INPUT_ANNOTATIONS="never", INPUT_SARIF="false")
        self.assertEqual((out["upload"], out["annotate"]), ("false", "false"))

    def test_fork_pull_request_skips_the_upload_with_a_notice(self):
        r, out = self.plan(HEAD_REPO="stranger/models")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual((out["upload"], out["annotate"]), ("false", "true"))
        self.assertIn("::notice", r.stdout)

    def cached_release(self, corrupt):
        # A tarball as actions/cache restores it: the Download step verifies it, no network.
        import hashlib
        import tarfile
        version, name = "9.8.7", "mlops-lint-9.8.7-linux-x86_64"
        cache = self.tmp / "toolcache" / "mlops-lint" / version
        (self.tmp / name / "bin").mkdir(parents=True, exist_ok=True)
        (self.tmp / name / "bin" / "mlops-lint").write_text("#!/bin/sh\n")
        cache.mkdir(parents=True, exist_ok=True)
        with tarfile.open(cache / f"{name}.tar.gz", "w:gz") as tar:
            tar.add(self.tmp / name, arcname=name)
        digest = hashlib.sha256((cache / f"{name}.tar.gz").read_bytes()).hexdigest()
        if corrupt:
            digest = ("0" if digest[0] != "0" else "1") + digest[1:]
        (cache / f"{name}.tar.gz.sha256").write_text(f"{digest}  {name}.tar.gz\n")
        return self.run_step("Download the release", {"VERSION": version, "REPO": "mlops-lint/mlops-lint",
                                                      "RUNNER_TOOL_CACHE": str(self.tmp / "toolcache")})

    def test_download_verifies_the_checksum(self):
        r, out = self.cached_release(corrupt=False)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertEqual(out["ok"], "true")
        self.assertTrue(Path(out["binary"]).is_file())
        r, out = self.cached_release(corrupt=True)
        self.assertNotEqual(r.returncode, 0, "a tarball that does not match its checksum must fail the step")
        self.assertIn("sha256", r.stdout)
        self.assertNotIn("binary", out)

    def make_stub(self, status):
        # Records its arguments one per line and writes whatever --output files it is given.
        stub = self.tmp / "mlops-lint"
        stub.write_text(
            "#!/bin/bash\n"
            f'printf "%s\\n" "$@" > "{self.tmp}/argv"\n'
            'prev=""; for a in "$@"; do if [ "$prev" = --output ] && [ "$a" != - ]; then echo "::warning::x" > "$a"; fi; prev="$a"; done\n'
            "echo 'text report ::set-output name=x::injected'\n"
            f"exit {status}\n")
        stub.chmod(0o755)
        return stub

    def check(self, status=1, **env):
        base = {"MLOPS_LINT": str(self.make_stub(status)), "INPUT_PATH": "ml dir", "INPUT_ARGS": "",
                "INPUT_FAIL_ON": "", "UPLOAD": "false", "ANNOTATE": "true"}
        r, out = self.run_step("Check", {**base, **env})
        return r, out, (self.tmp / "argv").read_text().splitlines()

    def test_args_are_words_never_shell_code(self):
        hostile = '--profile production $(touch pwned) `touch pwned2`;touch pwned3\n--select "DAT*"'
        r, out, argv = self.check(INPUT_ARGS=hostile, INPUT_FAIL_ON="never")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertFalse(any(self.tmp.glob("pwned*")), "an argument ran as shell code")
        self.assertEqual(argv[:9], ["check", "--profile", "production", "$(touch", "pwned)", "`touch", "pwned2`;touch",
                                    "pwned3", "--select"])
        self.assertEqual(argv[9:12], ['"DAT*"', "--fail-on", "never"])
        # The path comes last, after --, as one argument even with a space or a leading dash.
        self.assertEqual(argv[-2:], ["--", "ml dir"])

    def test_exit_code_and_outputs(self):
        r, out, argv = self.check(status=1, UPLOAD="true", ANNOTATE="false")
        self.assertEqual(r.returncode, 1)
        self.assertEqual(out["exit-code"], "1")
        self.assertTrue(out["sarif"].endswith("mlops-lint.sarif"))
        self.assertIn("sarif", argv)
        self.assertNotIn("github", argv)
        r, out, argv = self.check(status=0, UPLOAD="false", ANNOTATE="true")
        self.assertEqual(r.returncode, 0)
        self.assertNotIn("sarif", out)
        self.assertIn("github", argv)
        self.assertIn("::warning::x", r.stdout, "annotations are printed after the report")

    def test_report_text_cannot_issue_workflow_commands(self):
        r, _, _ = self.check()
        lines = r.stdout.splitlines()
        stop = next(i for i, line in enumerate(lines) if line.startswith("::stop-commands::"))
        token = lines[stop].split("::")[2]
        report = next(i for i, line in enumerate(lines) if "::set-output" in line)
        resume = lines.index(f"::{token}::")
        self.assertLess(stop, report)
        self.assertLess(report, resume)
        self.assertGreaterEqual(len(token), 32)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], "-v"])
