// `init` (see init_command.h).
#include "cli/init_command.h"

#include <filesystem>
#include <iostream>

#include "cli/common.h"
#include "engine/engine.h"
#include "repo/snapshot.h"
#include "util/atomic_write.h"

namespace fs = std::filesystem;

namespace mlops::cli {

namespace {

// Writes `text` to root/name unless something is there (and --force is not given). The
// repository may be hostile: no symlink in it is followed, and --force replaces regular files only.
bool write_new_file(const fs::path& root, const std::string& name, const std::string& text, bool force) {
  fs::path p = root / name;
  WriteOptions options;
  options.repo_roots = {root.string()};
  options.create_parents = true;
  options.replace_existing = force;
  if (auto e = write_file_atomically(p.string(), text, options)) {
    std::cerr << "mlops-lint: " << e->message
              << (e->kind == WriteError::Kind::kExists ? " (use --force)" : "") << "\n";
    return false;
  }
  std::cout << "wrote " << p.string() << "\n";
  return true;
}

}  // namespace

int run_init_command(const InitArgs& a) {
  std::error_code ec;
  if (!fs::is_directory(a.path, ec)) {
    std::cerr << "mlops-lint: cannot read " << a.path << ": not a directory\n";
    return kExitError;
  }
  int status = kExitClean;
  RuleSet rules = load_builtin_or_exit(status);
  if (status) return status;
  std::string error;
  auto snapshot = open_snapshot(a.path, {}, error);
  if (!snapshot) {
    std::cerr << "mlops-lint: cannot read " << a.path << ": " << error << "\n";
    return kExitError;
  }
  CheckOptions opts;
  CheckResult result = run_check(*snapshot, rules, opts);
  bool serves = false, trains = false;
  for (const auto& p : result.projects) {
    auto get = [&](const char* c) {
      auto it = p.conditions.find(c);
      return it != p.conditions.end() && it->second;
    };
    serves = serves || get("serves_model");
    trains = trains || get("trains_models");
  }
  std::string profile = serves ? "production" : trains ? "team" : "research";
  std::string config =
      "# mlops-lint configuration: https://github.com/mlops-lint/mlops-lint#configuration\n"
      "# Detected: " +
      std::string(serves   ? "serves a model"
                  : trains ? "trains models"
                           : "no training code found") +
      ".\nprofile: " + profile +
      "\n# select: [ALL]\n# ignore: []\n# severity: {DAT003: error}\n# exclude: []\n"
      "# per-file-ignores: {\"notebooks/*.ipynb\": [DAT003]}\nfail-on: warning\n";
  bool ok = write_new_file(a.path, ".mlops-lint.yaml", config, a.force);
  if (a.pre_commit) {
    std::string hook =
        "# Add to .pre-commit-config.yaml (id mlops-lint-system runs the mlops-lint on PATH instead):\n"
        "repos:\n  - repo: https://github.com/mlops-lint/mlops-lint\n    rev: v" MLOPS_LINT_VERSION
        "\n"
        "    hooks:\n      - id: mlops-lint\n";
    if (fs::exists(fs::symlink_status(fs::path(a.path) / ".pre-commit-config.yaml", ec)) && !a.force)
      std::cout << hook;
    else
      ok = write_new_file(a.path, ".pre-commit-config.yaml", hook, a.force) && ok;
  }
  if (a.ci == "github") {
    ok = write_new_file(a.path, ".github/workflows/mlops-lint.yml",
                        "name: mlops-lint\non: [push, pull_request]\npermissions:\n  contents: read\n"
                        "  security-events: write\njobs:\n  mlops-lint:\n    runs-on: ubuntu-latest\n"
                        "    steps:\n      - uses: actions/checkout@v4\n      - uses: "
                        "mlops-lint/mlops-lint@v" MLOPS_LINT_VERSION "\n",
                        a.force) &&
         ok;
  } else if (a.ci == "gitlab") {
    ok = write_new_file(
             a.path, ".gitlab/mlops-lint.gitlab-ci.yml",
             "# Include from .gitlab-ci.yml:  include: [{local: .gitlab/mlops-lint.gitlab-ci.yml}]\n"
             "mlops-lint:\n  stage: test\n  script:\n"
             "    - mlops-lint check --format gitlab --output gl-code-quality-report.json --format text\n"
             "  artifacts:\n    when: always\n    reports:\n      codequality: gl-code-quality-report.json\n",
             a.force) &&
         ok;
  }
  return ok ? kExitClean : kExitError;
}

}  // namespace mlops::cli
