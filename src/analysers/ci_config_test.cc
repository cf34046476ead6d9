#include "analysers/ci_config.h"

#include <gtest/gtest.h>

#include "util/yaml_load.h"

namespace mlops {
namespace {

std::vector<std::string> commands(const std::vector<CiCommand>& cmds) {
  std::vector<std::string> out;
  for (const auto& c : cmds) out.push_back(c.command);
  return out;
}

std::vector<CiCommand> yaml_commands(const std::string& text) {
  YamlLoadResult r = load_yaml_documents(text);
  EXPECT_TRUE(r.error.empty()) << r.error;
  return yaml_ci_commands(r.documents);
}

TEST(CiConfig, FileKinds) {
  EXPECT_EQ(ci_file_kind(".github/workflows/ci.yml"), CiFileKind::Yaml);
  EXPECT_EQ(ci_file_kind(".gitlab-ci.yml"), CiFileKind::Yaml);
  EXPECT_EQ(ci_file_kind("azure-pipelines.yml"), CiFileKind::Yaml);
  EXPECT_EQ(ci_file_kind(".pipelines/train-ci.yml"), CiFileKind::Yaml);
  EXPECT_EQ(ci_file_kind(".circleci/config.yml"), CiFileKind::Yaml);
  EXPECT_EQ(ci_file_kind("buildspec.yml"), CiFileKind::Yaml);
  EXPECT_EQ(ci_file_kind("Jenkinsfile"), CiFileKind::Jenkinsfile);
  EXPECT_EQ(ci_file_kind("Makefile"), CiFileKind::Makefile);
  EXPECT_EQ(ci_file_kind("tox.ini"), CiFileKind::Tox);
  EXPECT_EQ(ci_file_kind(".pre-commit-config.yaml"), CiFileKind::PreCommit);
  EXPECT_EQ(ci_file_kind("configs/train.yml"), CiFileKind::YamlFragment);
  EXPECT_EQ(ci_file_kind("train.py"), CiFileKind::None);
}

TEST(CiConfig, GithubActionsRunBlocksGiveOneCommandPerLineWithItsLine) {
  auto cmds = yaml_commands(
      "on: push\n"                        // 1
      "jobs:\n"                           // 2
      "  test:\n"                         // 3
      "    runs-on: ubuntu-latest\n"      // 4
      "    steps:\n"                      // 5
      "      - uses: actions/checkout@v4\n"  // 6
      "      - run: |\n"                  // 7
      "          pip install -r requirements.txt\n"  // 8
      "          # a comment\n"           // 9
      "          pytest -q\n"             // 10
      "      - uses: pre-commit/action@v3.0.1\n");  // 11
  ASSERT_EQ(commands(cmds), (std::vector<std::string>{"uses actions/checkout", "pip install -r requirements.txt",
                                                      "pytest -q", "pre-commit run --all-files"}));
  EXPECT_EQ(cmds[1].line, 8);
  EXPECT_EQ(cmds[2].line, 10);
  EXPECT_EQ(cmds[3].line, 11);
}

TEST(CiConfig, GitlabAzureCircleAndBuildspecScripts) {
  EXPECT_EQ(commands(yaml_commands("test:\n  before_script: [pip install .]\n  script:\n    - pytest\n")),
            (std::vector<std::string>{"pip install .", "pytest"}));
  EXPECT_EQ(commands(yaml_commands("steps:\n  - script: make test\n  - bash: tox -e lint\n")),
            (std::vector<std::string>{"make test", "tox -e lint"}));
  EXPECT_EQ(commands(yaml_commands("jobs:\n  t:\n    steps:\n      - run:\n          command: nox -s tests\n")),
            (std::vector<std::string>{"nox -s tests"}));
  EXPECT_EQ(commands(yaml_commands("phases:\n  build:\n    commands:\n      - python -m pytest\n")),
            (std::vector<std::string>{"python -m pytest"}));
}

TEST(CiConfig, JenkinsfileShellSteps) {
  auto cmds = jenkinsfile_commands(
      "pipeline {\n  stages {\n    stage('t') { steps { sh 'pytest -q' } }\n"
      "    stage('l') { steps { sh '''\n      make lint\n      make docs\n    ''' } }\n  }\n}\n");
  EXPECT_EQ(commands(cmds), (std::vector<std::string>{"pytest -q", "make lint", "make docs"}));
  EXPECT_EQ(cmds[1].line, 5);
}

TEST(CiConfig, MakefileTargetsAndRecipes) {
  auto cmds = makefile_targets(
      "PY := python\n\nall: test\n\ntest: lint\n\t@$(PY) -m pytest tests/\n\nlint:\n\t-ruff check .\n"
      ".PHONY: all test lint\n");
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& c : cmds)
    if (!c.command.empty()) got.push_back({c.scope, c.command});
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{{"test", "$(PY) -m pytest tests/"},
                                                                   {"lint", "ruff check ."}}));
  EXPECT_EQ(cmds.front().scope, "all");  // the default target comes first
}

TEST(CiConfig, ToxEnvironments) {
  auto cmds = tox_envs("[tox]\nenvlist = py311, lint\n\n[testenv]\ncommands =\n    pytest {posargs}\n\n"
                       "[testenv:lint]\ncommands = ruff check .\n");
  ASSERT_EQ(cmds.size(), 2u);
  EXPECT_EQ(cmds[0].scope, "*");
  EXPECT_EQ(cmds[0].command, "pytest {posargs}");
  EXPECT_EQ(cmds[1].scope, "lint");
  EXPECT_EQ(cmds[1].command, "ruff check .");
}

TEST(CiConfig, PrecommitHooks) {
  YamlLoadResult r = load_yaml_documents(
      "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.4.4\n    hooks:\n      - id: ruff\n"
      "  - repo: local\n    hooks:\n      - id: tests\n        entry: pytest -q\n        language: system\n");
  auto cmds = precommit_hooks(r.documents);
  EXPECT_EQ(commands(cmds), (std::vector<std::string>{"ruff", "tests pytest -q"}));
}

TEST(CiConfig, InvocationsOneLevelDown) {
  auto make = invocations("cd src && make -C sub test lint");
  ASSERT_EQ(make.size(), 1u);
  EXPECT_EQ(make[0].runner, Runner::Make);
  EXPECT_EQ(make[0].scopes, (std::vector<std::string>{"test", "lint"}));
  auto tox = invocations("tox -e py311,lint");
  ASSERT_EQ(tox.size(), 1u);
  EXPECT_EQ(tox[0].scopes, (std::vector<std::string>{"py311", "lint"}));
  auto pc = invocations("pre-commit run --all-files");
  ASSERT_EQ(pc.size(), 1u);
  EXPECT_EQ(pc[0].runner, Runner::PreCommit);
  EXPECT_TRUE(pc[0].scopes.empty());
  EXPECT_TRUE(invocations("python -m pytest").empty());
}

}  // namespace
}  // namespace mlops
