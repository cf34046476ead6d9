#include "analysers/ci_config.h"

#include <gtest/gtest.h>

#include "util/yaml_load.h"

namespace mlops {
namespace {

// Commands as text; GitLab directives shown as "[KIND] ..." (a template with its job's name).
std::vector<std::string> commands(const std::vector<CiCommand>& cmds) {
  std::vector<std::string> out;
  for (const auto& c : cmds) {
    if (c.kind == FactKind::Command)
      out.push_back(c.command);
    else if (c.kind == FactKind::CiTemplate)
      out.push_back(std::string("[") + fact_kind_name(c.kind) + " " + c.scope + "] " + c.command);
    else
      out.push_back(std::string("[") + fact_kind_name(c.kind) + "] " + c.command);
  }
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
      "on: push\n"                                   // 1
      "jobs:\n"                                      // 2
      "  test:\n"                                    // 3
      "    runs-on: ubuntu-latest\n"                 // 4
      "    steps:\n"                                 // 5
      "      - uses: actions/checkout@v4\n"          // 6
      "      - run: |\n"                             // 7
      "          pip install -r requirements.txt\n"  // 8
      "          # a comment\n"                      // 9
      "          pytest -q\n"                        // 10
      "      - uses: pre-commit/action@v3.0.1\n");   // 11
  ASSERT_EQ(commands(cmds),
            (std::vector<std::string>{"uses actions/checkout", "pip install -r requirements.txt", "pytest -q",
                                      "pre-commit run --all-files"}));
  EXPECT_EQ(cmds[1].line, 8);
  EXPECT_EQ(cmds[2].line, 10);
  EXPECT_EQ(cmds[3].line, 11);
}

TEST(CiConfig, GitlabAzureCircleAndBuildspecScripts) {
  EXPECT_EQ(commands(yaml_commands("test:\n  before_script: [pip install .]\n  script:\n    - pytest\n")),
            (std::vector<std::string>{"pip install .", "pytest"}));
  EXPECT_EQ(commands(yaml_commands("steps:\n  - script: make test\n  - bash: tox -e lint\n")),
            (std::vector<std::string>{"make test", "tox -e lint"}));
  EXPECT_EQ(
      commands(yaml_commands("jobs:\n  t:\n    steps:\n      - run:\n          command: nox -s tests\n")),
      (std::vector<std::string>{"nox -s tests"}));
  EXPECT_EQ(commands(yaml_commands("phases:\n  build:\n    commands:\n      - python -m pytest\n")),
            (std::vector<std::string>{"python -m pytest"}));
}

TEST(CiConfig, GithubWorkingDirectoryBecomesACd) {
  auto cmds = yaml_commands(
      "defaults:\n  run:\n    working-directory: svc\n"
      "jobs:\n  t:\n    steps:\n      - run: bash test.sh\n"
      "      - run: ./lint.sh\n        working-directory: tools\n"
      "      - run: pytest\n        working-directory: ${{ github.workspace }}\n");
  EXPECT_EQ(commands(cmds), (std::vector<std::string>{"cd svc && bash test.sh", "cd tools && ./lint.sh",
                                                      "cd svc && pytest"}));
  EXPECT_EQ(invocations(cmds[0].command)[0].scopes, (std::vector<std::string>{"svc/test.sh"}));
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
  auto cmds = tox_envs(
      "[tox]\nenvlist = py311, lint\n\n[testenv]\ncommands =\n    pytest {posargs}\n\n"
      "[testenv:lint]\ncommands = ruff check .\n");
  ASSERT_EQ(cmds.size(), 2u);
  EXPECT_EQ(cmds[0].scope, "*");
  EXPECT_EQ(cmds[0].command, "pytest {posargs}");
  EXPECT_EQ(cmds[1].scope, "lint");
  EXPECT_EQ(cmds[1].command, "ruff check .");
}

TEST(CiConfig, PrecommitHooks) {
  YamlLoadResult r = load_yaml_documents(
      "repos:\n  - repo: https://github.com/astral-sh/ruff-pre-commit\n    rev: v0.4.4\n    hooks:\n      - "
      "id: ruff\n"
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

std::vector<CiCommand> gitlab_all(const std::string& text) {
  YamlLoadResult r = load_yaml_documents(text);
  EXPECT_TRUE(r.error.empty()) << r.error;
  return gitlab_ci_commands(r.documents);
}

// Without the template directives (hidden jobs exported for jobs of other files).
std::vector<CiCommand> gitlab(const std::string& text) {
  std::vector<CiCommand> out;
  for (auto& c : gitlab_all(text))
    if (c.kind != FactKind::CiTemplate) out.push_back(std::move(c));
  return out;
}

TEST(CiConfig, GitlabFileKinds) {
  EXPECT_TRUE(is_gitlab_ci_file(".gitlab-ci.yml"));
  EXPECT_TRUE(is_gitlab_ci_file("ci/test.gitlab-ci.yml"));
  EXPECT_TRUE(is_gitlab_ci_file(".gitlab/ci/jobs/test.yml"));
  EXPECT_FALSE(is_gitlab_ci_file(".gitlab/ci/templates/python.yml"));
  EXPECT_FALSE(is_gitlab_ci_file(".github/workflows/ci.yml"));
  EXPECT_EQ(ci_file_kind("noxfile.py"), CiFileKind::Noxfile);
  EXPECT_EQ(ci_file_kind("pyproject.toml"), CiFileKind::Pyproject);
  EXPECT_EQ(ci_file_kind("hatch.toml"), CiFileKind::HatchToml);
  EXPECT_EQ(ci_file_kind("scripts/test.sh"), CiFileKind::Shell);
  EXPECT_EQ(ci_file_kind("ci/test.yml"), CiFileKind::YamlFragment);
  EXPECT_TRUE(is_build_file("scripts/test.bash"));
  EXPECT_FALSE(is_build_file(".gitlab-ci.yml"));
}

TEST(CiConfig, GitlabHiddenTemplatesCountOnlyThroughExtends) {
  auto unused = gitlab(".tests:\n  script: [pytest]\nlint:\n  script: [ruff check .]\n");
  EXPECT_EQ(commands(unused), (std::vector<std::string>{"ruff check ."}));
  auto used = gitlab(
      ".base:\n  before_script: [pip install .]\n.tests:\n  extends: .base\n  script: [pytest -q]\n"
      "unit:\n  extends: .tests\nother:\n  extends: [.base, .tests]\n  script: [echo own]\n"
      "both:\n  extends: [.tests, .base]\n");
  // `both`: the last template, .base, has no script; .tests gives it.
  EXPECT_EQ(commands(used), (std::vector<std::string>{"pip install .", "pytest -q", "pip install .",
                                                      "echo own", "pip install .", "pytest -q"}));
}

TEST(CiConfig, GitlabTemplatesAcrossFilesAreDirectives) {
  auto here =
      gitlab_all(".tests:\n  script: [pytest]\nunit:\n  extends: .tests\nother:\n  extends: [.elsewhere]\n");
  EXPECT_EQ(commands(here),
            (std::vector<std::string>{"[ci-template .tests] pytest", "pytest", "[ci-extends] .elsewhere"}));
  // A job with its own script needs nothing from an unknown template.
  EXPECT_EQ(commands(gitlab_all("job:\n  extends: .far\n  script: [make]\n")),
            (std::vector<std::string>{"make"}));
}

TEST(CiConfig, GitlabReferencesDefaultsAndIncludes) {
  auto cmds = gitlab(
      "include:\n  - local: ci/test.yml\n  - remote: https://example.com/x.yml\n  - 'ci/lint.yml'\n"
      "default:\n  before_script: [pip install -e .]\n"
      ".setup:\n  script: [make deps]\n"
      "job:\n  script:\n    - !reference [.setup, script]\n    - [nested one]\n    - pytest\n");
  EXPECT_EQ(commands(cmds),
            (std::vector<std::string>{"[ci-include] ci/test.yml", "gitlab-include https://example.com/x.yml",
                                      "[ci-include] ci/lint.yml", "pip install -e .", "make deps",
                                      "nested one", "pytest"}));
  auto elsewhere = gitlab(
      "include:\n  - project: ml/ci-templates\n    ref: v2\n    file: [/python/pytest.yml, "
      "/python/lint.yml]\n"
      "  - template: Python.gitlab-ci.yml\n  - component: $CI_SERVER_FQDN/ml/components/pytest@1.0\n"
      "  - project: ml/other\n");
  EXPECT_EQ(commands(elsewhere),
            (std::vector<std::string>{"gitlab-include ml/ci-templates/python/pytest.yml",
                                      "gitlab-include ml/ci-templates/python/lint.yml",
                                      "gitlab-include Python.gitlab-ci.yml",
                                      "gitlab-include $CI_SERVER_FQDN/ml/components/pytest@1.0"}));
  auto single = gitlab("include: {local: '/ci/x.yml'}\n");
  EXPECT_EQ(commands(single), (std::vector<std::string>{"[ci-include] /ci/x.yml"}));
}

TEST(CiConfig, GitlabExtendsCyclesAndDeepChainsEnd) {
  auto cycle = gitlab(".a:\n  extends: .b\n.b:\n  extends: .a\njob:\n  extends: .a\n");
  EXPECT_TRUE(cycle.empty());
  std::string chain;
  for (int i = 0; i < 200; ++i)
    chain += ".t" + std::to_string(i) + ":\n  extends: .t" + std::to_string(i + 1) + "\n";
  chain += ".t200:\n  script: [pytest]\njob:\n  extends: .t0\n";
  EXPECT_TRUE(gitlab(chain).empty());  // beyond GitLab's own depth limit
  std::string wide;
  for (int i = 0; i < 40; ++i) {
    wide += ".w" + std::to_string(i) + ":\n  extends: [";
    for (int j = 0; j < 40; ++j)
      wide += (j ? ", " : "") + std::string(".w") + std::to_string((i + j + 1) % 40);
    wide += "]\n";
  }
  wide += "job:\n  extends: .w0\n";
  EXPECT_TRUE(gitlab(wide).empty());  // 40^10 paths: the budget ends the walk
  auto self_ref = gitlab(".a:\n  script: [!reference [.a, script]]\njob:\n  extends: .a\n");
  EXPECT_TRUE(self_ref.empty());
}

TEST(CiConfig, YamlFragmentsGiveJobsAndEntrypoints) {
  YamlLoadResult r =
      load_yaml_documents("name: workloads\nentrypoint: bash deploy/jobs/run.sh\nmax_retries: 0\n");
  EXPECT_EQ(commands(yaml_fragment_commands(r.documents)),
            (std::vector<std::string>{"bash deploy/jobs/run.sh"}));
}

TEST(CiConfig, DvcPipelineStagesAreTheCommandsDvcReproRuns) {
  YamlLoadResult r = load_yaml_documents(
      "stages:\n  prepare:\n    cmd: python prep.py\n    deps: [prep.py]\n  test:\n    cmd: python -m "
      "pytest\n"
      "  eval:\n    wdir: eval\n    cmd:\n      - python score.py\n      - python report.py\n"
      "  per_fold:\n    foreach: [1, 2]\n    do:\n      cmd: python fold.py ${item}\n");
  EXPECT_EQ(commands(yaml_fragment_commands(r.documents)),
            (std::vector<std::string>{"python prep.py", "python -m pytest", "cd eval && python score.py",
                                      "cd eval && python report.py", "python fold.py ${item}"}));
  auto repro = invocations("dvc pull && dvc repro");
  ASSERT_EQ(repro.size(), 1u);
  EXPECT_EQ(repro[0].runner, Runner::CiYaml);
  EXPECT_EQ(repro[0].scopes, (std::vector<std::string>{"dvc.yaml"}));
  EXPECT_EQ(invocations("cd pipeline && dvc exp run")[0].scopes,
            (std::vector<std::string>{"pipeline/dvc.yaml"}));
  EXPECT_EQ(invocations("dvc repro ml/dvc.yaml")[0].scopes, (std::vector<std::string>{"ml/dvc.yaml"}));
  EXPECT_TRUE(invocations("dvc push").empty());
}

TEST(CiConfig, ShellScriptLines) {
  auto cmds = shell_script_commands(
      "#!/bin/bash\nset -e\n\n# run the tests\npython -m pytest \\\n  tests/ -q  # fast\n"
      "cat <<EOF > out.txt\npytest not a command\nEOF\necho 'a # b'\n");
  EXPECT_EQ(commands(cmds), (std::vector<std::string>{"set -e", "python -m pytest tests/ -q",
                                                      "cat <<EOF > out.txt", "echo 'a # b'"}));
  EXPECT_EQ(cmds[1].line, 5);
  std::string huge;
  for (int i = 0; i < 100000; ++i) huge += "echo \\\n";
  EXPECT_LE(shell_script_commands(huge).size(), 5000u);
  EXPECT_FALSE(shell_script_commands(std::string("echo \xff\xfe ok\n")).empty());  // bytes pass through
}

TEST(CiConfig, ExtensionlessScriptsNeedAShellShebang) {
  EXPECT_EQ(ci_file_kind("scripts/test"), CiFileKind::Shell);
  EXPECT_EQ(ci_file_kind("tools/ci/bin/check"), CiFileKind::Shell);
  EXPECT_EQ(ci_file_kind("LICENSE"), CiFileKind::None);
  EXPECT_EQ(ci_file_kind("src/test"), CiFileKind::None);
  EXPECT_EQ(ci_file_kind("scripts/Makefile"), CiFileKind::Makefile);
  EXPECT_TRUE(has_shell_shebang("#!/bin/sh\nset -e\n"));
  EXPECT_TRUE(has_shell_shebang("#!/usr/bin/env bash\n"));
  EXPECT_TRUE(has_shell_shebang("#! /bin/zsh -e\n"));
  EXPECT_FALSE(has_shell_shebang("#!/usr/bin/env python\n"));
  EXPECT_FALSE(has_shell_shebang("#!/usr/bin/fish\n"));
  EXPECT_FALSE(has_shell_shebang("echo hi\n#!/bin/sh\n"));
}

TEST(CiConfig, RepoPathsNeverEscapeTheRoot) {
  EXPECT_EQ(normalise_repo_path("./scripts/test.sh"), "scripts/test.sh");
  EXPECT_EQ(normalise_repo_path("ci/../scripts//x.sh"), "scripts/x.sh");
  EXPECT_EQ(normalise_repo_path("'quoted/x.sh'"), "quoted/x.sh");
  EXPECT_EQ(normalise_repo_path("$GITHUB_WORKSPACE/x.sh"), "x.sh");
  EXPECT_EQ(normalise_repo_path("x.sh", "sub/dir"), "sub/dir/x.sh");
  EXPECT_EQ(normalise_repo_path("../x.sh"), "");
  EXPECT_EQ(normalise_repo_path("a/../../x.sh"), "");
  EXPECT_EQ(normalise_repo_path("/etc/passwd"), "");
  EXPECT_EQ(normalise_repo_path("~/x.sh"), "");
  EXPECT_EQ(normalise_repo_path("$HOME/x.sh"), "");
  EXPECT_EQ(normalise_repo_path("../../x.sh", "a"), "");
  EXPECT_EQ(normalise_repo_path("."), "");
}

TEST(CiConfig, InvocationsOfNoxHatchTaskRunnersAndScripts) {
  auto nox = invocations("python -m nox -s tests-3.11 lint --no-venv");
  ASSERT_EQ(nox.size(), 1u);
  EXPECT_EQ(nox[0].runner, Runner::Nox);
  EXPECT_EQ(nox[0].scopes, (std::vector<std::string>{"tests-3.11", "lint"}));
  EXPECT_EQ(nox[0].fallback, (std::vector<std::string>{"tests"}));
  EXPECT_EQ(invocations("nox")[0].scopes, (std::vector<std::string>{""}));
  EXPECT_EQ(invocations("nox --session=docs")[0].scopes, (std::vector<std::string>{"docs"}));
  EXPECT_TRUE(invocations("nox -t ci")[0].scopes.empty());
  EXPECT_TRUE(invocations("pip install nox").empty());  // not where a command starts

  auto hatch = invocations("hatch run +py=3.11 test:unit");
  ASSERT_EQ(hatch.size(), 1u);
  EXPECT_EQ(hatch[0].runner, Runner::Hatch);
  EXPECT_EQ(hatch[0].scopes, (std::vector<std::string>{"test:unit"}));
  EXPECT_EQ(hatch[0].fallback, (std::vector<std::string>{"default:unit"}));
  EXPECT_EQ(invocations("hatch run cov")[0].scopes, (std::vector<std::string>{"default:cov"}));
  EXPECT_EQ(invocations("hatch test")[0].scopes[0], "hatch-test:run");
  EXPECT_TRUE(invocations("hatch build").empty());

  EXPECT_EQ(invocations("pdm run test")[0].runner, Runner::Pdm);
  EXPECT_EQ(invocations("poetry run poe -q check")[0].scopes, (std::vector<std::string>{"check"}));
  EXPECT_EQ(invocations("poetry run task test")[0].runner, Runner::Taskipy);

  auto sh = invocations("chmod +x ci/run.sh && bash -ex ./ci/run.sh arg; source env.sh");
  ASSERT_EQ(sh.size(), 2u);
  EXPECT_EQ(sh[0].scopes, (std::vector<std::string>{"ci/run.sh"}));
  EXPECT_EQ(sh[1].scopes, (std::vector<std::string>{"env.sh"}));
  EXPECT_EQ(invocations("./scripts/test.sh")[0].scopes, (std::vector<std::string>{"scripts/test.sh"}));
  EXPECT_EQ(invocations("scripts/test -x")[0].scopes, (std::vector<std::string>{"scripts/test"}));
  EXPECT_TRUE(invocations("python scripts/test").empty());  // not run directly
  EXPECT_TRUE(invocations("run").empty());
  EXPECT_TRUE(invocations("bash ../outside.sh").empty());
  EXPECT_TRUE(invocations("bash /etc/profile.sh").empty());
  EXPECT_TRUE(invocations("bash -c 'pytest'").empty());

  EXPECT_EQ(invocations("cd ci && bash run.sh")[0].scopes, (std::vector<std::string>{"ci/run.sh"}));
  EXPECT_EQ(invocations("cd a/b; cd ..; ./x.sh")[0].scopes, (std::vector<std::string>{"a/x.sh"}));
  EXPECT_EQ(invocations("cd a && cd .. && ./x.sh")[0].scopes, (std::vector<std::string>{"x.sh"}));
  EXPECT_TRUE(invocations("cd .. && bash x.sh").empty());  // outside the repository
  EXPECT_TRUE(invocations("cd $HOME && bash x.sh").empty());
  EXPECT_TRUE(invocations("cd && bash x.sh").empty());

  auto job = invocations("anyscale jobs submit deploy/jobs/workloads.yaml --wait");
  ASSERT_EQ(job.size(), 1u);
  EXPECT_EQ(job[0].runner, Runner::CiYaml);
  EXPECT_EQ(job[0].scopes, (std::vector<std::string>{"deploy/jobs/workloads.yaml"}));
}

TEST(CiConfig, LocalGithubActionsAreReadWhereTheyLive) {
  auto local = invocations("uses ./.github/actions/setup");
  ASSERT_EQ(local.size(), 1u);
  EXPECT_EQ(local[0].runner, Runner::CiYaml);
  EXPECT_EQ(local[0].scopes, (std::vector<std::string>{".github/actions/setup/action.yml",
                                                       ".github/actions/setup/action.yaml"}));
  EXPECT_TRUE(invocations("uses actions/checkout").empty());     // a published action: not in the repository
  EXPECT_TRUE(invocations("uses ./../outside/action").empty());  // never outside the repository
  EXPECT_EQ(ci_file_kind(".github/actions/setup/action.yml"), CiFileKind::GithubAction);
  EXPECT_EQ(ci_file_kind("action.yaml"), CiFileKind::GithubAction);
  EXPECT_FALSE(is_ci_file(".github/actions/setup/action.yml"));  // only when a workflow uses it
}

TEST(CiConfig, MiseRunInvokesATask) {
  auto inv = invocations("mise run --jobs 2 ci && mise r lint");
  ASSERT_EQ(inv.size(), 2u);
  EXPECT_EQ(inv[0].runner, Runner::Mise);
  EXPECT_EQ(inv[0].scopes, (std::vector<std::string>{"ci"}));
  EXPECT_EQ(inv[1].scopes, (std::vector<std::string>{"lint"}));
  EXPECT_EQ(ci_file_kind(".config/mise.toml"), CiFileKind::MiseToml);
  EXPECT_EQ(ci_file_kind(".mise.toml"), CiFileKind::MiseToml);
}

TEST(CiConfig, InstallsAreNotRuns) {
  EXPECT_EQ(without_installs("pip install pytest ruff && pytest -q"), "&& pytest -q");
  EXPECT_EQ(without_installs("python -m pip install -U pytest; python -m pytest"), "; python -m pytest");
  EXPECT_EQ(without_installs("uv pip install pytest"), "");
  EXPECT_EQ(without_installs("uv add --dev pytest"), "");
  EXPECT_EQ(without_installs("uv tool install ruff"), "");
  EXPECT_EQ(without_installs("sudo apt-get install -y behave"), "");
  EXPECT_EQ(without_installs("PIP_NO_CACHE_DIR=1 pip3 install tox"), "");
  EXPECT_EQ(without_installs("poetry add pytest | tee log"), "| tee log");
  // No install: the command as written, spacing included.
  EXPECT_EQ(without_installs("uv run  pytest"), "uv run  pytest");
  EXPECT_EQ(without_installs("pip list | grep pytest"), "pip list | grep pytest");
  EXPECT_EQ(without_installs("poetry install && poetry run pytest"), "&& poetry run pytest");
}

TEST(CiConfig, DuplicateJobKeysDoNotThrow) {
  // Found by fuzz_yaml_queries: the second `job` has no `extends:` of its own.
  auto cmds = gitlab("job:\n  extends: [.t]\njob:\n  image: python\n");
  // yaml-cpp keeps both entries; each reads as extending .t (the first definition's parents).
  ASSERT_EQ(cmds.size(), 2u);
  EXPECT_EQ(cmds[0].kind, FactKind::CiExtends);
  EXPECT_EQ(cmds[0].command, ".t");
  EXPECT_EQ(cmds[0].line, 2);
  EXPECT_EQ(cmds[1].line, 3);  // the key itself: this entry has no extends: line
}

TEST(CiConfig, HostileInputDoesNotHang) {
  std::string deep(5000, '[');
  YamlLoadResult r = load_yaml_documents("job:\n  script: " + deep + "\n");
  if (r.error.empty()) gitlab_ci_commands(r.documents);
  std::string words;
  for (int i = 0; i < 20000; ++i) words += "nox -s ";
  EXPECT_FALSE(invocations(words).empty());
  invocations(std::string("bash \xff\xfe.sh \x1e\x1f"));
}

}  // namespace
}  // namespace mlops
