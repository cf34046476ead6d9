#include "analysers/task_runners.h"

#include <gtest/gtest.h>

#include <string>

namespace mlops {
namespace {

using Scoped = std::vector<std::tuple<Runner, std::string, std::string>>;

Scoped scoped(const std::vector<CiCommand>& cmds) {
  Scoped out;
  for (const auto& c : cmds) out.push_back({c.runner, c.scope, c.command});
  return out;
}

TEST(TaskRunners, HatchScriptsFollowSiblingScriptsOneLevel) {
  auto doc = toml::parse(
      "[tool.hatch.envs.default.scripts]\n"
      "test = 'pytest {args:tests}'\n"
      "cov = ['test --cov', 'coverage report']\n"
      "[tool.hatch.envs.lint.scripts]\n"
      "all = ['ruff check .', 'mypy src']\n");
  EXPECT_EQ(scoped(pyproject_scripts(doc)), (Scoped{
                                                {Runner::Hatch, "default:cov", "test --cov"},
                                                {Runner::Hatch, "default:cov", "pytest {args:tests}"},
                                                {Runner::Hatch, "default:cov", "coverage report"},
                                                {Runner::Hatch, "default:test", "pytest {args:tests}"},
                                                {Runner::Hatch, "lint:all", "ruff check ."},
                                                {Runner::Hatch, "lint:all", "mypy src"},
                                            }));
  auto hatch = toml::parse("[envs.test.scripts]\nunit = 'pytest -m unit'\n");
  EXPECT_EQ(scoped(hatch_toml_scripts(hatch)), (Scoped{{Runner::Hatch, "test:unit", "pytest -m unit"}}));
}

TEST(TaskRunners, PdmPoeAndTaskipy) {
  auto doc = toml::parse(
      "[tool.pdm.scripts]\n_.env_file = '.env'\nlint = 'ruff check .'\n"
      "test = {cmd = 'pytest -q'}\nall = {composite = ['lint', 'test']}\n"
      "[tool.poe.tasks]\ncheck = ['lint', 'unit']\nlint = 'ruff check'\nunit = {shell = 'pytest tests'}\n"
      "[tool.taskipy.tasks]\ntest = 'pytest'\npre_test = 'task lint'\nlint = {cmd = 'flake8', help = 'x'}\n");
  Scoped got = scoped(pyproject_scripts(doc));
  auto has = [&](Runner r, const std::string& scope, const std::string& cmd) {
    return std::find(got.begin(), got.end(), std::make_tuple(r, scope, cmd)) != got.end();
  };
  EXPECT_TRUE(has(Runner::Pdm, "all", "pytest -q"));
  EXPECT_TRUE(has(Runner::Pdm, "lint", "ruff check ."));
  EXPECT_FALSE(has(Runner::Pdm, "_", ".env"));
  EXPECT_TRUE(has(Runner::Poe, "check", "pytest tests"));
  EXPECT_TRUE(has(Runner::Poe, "unit", "pytest tests"));
  EXPECT_TRUE(has(Runner::Taskipy, "test", "pytest"));
  EXPECT_TRUE(has(Runner::Taskipy, "test", "flake8"));  // pre_test runs `task lint`
  EXPECT_FALSE(has(Runner::Taskipy, "lint", "pytest"));
}

TEST(TaskRunners, MiseTasksWithDependsAndSiblingRuns) {
  auto doc = toml::parse(
      "[tasks]\n"
      "fmt = 'ruff format --check .'\n"
      "[tasks.unit]\n"
      "run = ['uv run pytest -q']\n"
      "[tasks.ci]\n"
      "depends = ['fmt']\n"
      "run = 'mise run unit'\n"
      "[tasks.odd]\n"
      "depends = 'fmt'\n"
      "run = 3\n");
  EXPECT_EQ(scoped(mise_tasks(doc)), (Scoped{
                                         {Runner::Mise, "ci", "mise run unit"},
                                         {Runner::Mise, "ci", "uv run pytest -q"},
                                         {Runner::Mise, "ci", "ruff format --check ."},
                                         {Runner::Mise, "fmt", "ruff format --check ."},
                                         {Runner::Mise, "odd", "ruff format --check ."},
                                         {Runner::Mise, "unit", "uv run pytest -q"},
                                     }));
  EXPECT_TRUE(mise_tasks(toml::parse("tasks = 'x'\n")).empty());
}

TEST(TaskRunners, OddShapesAreIgnored) {
  auto doc = toml::parse(
      "[tool.hatch.envs]\ndefault = 3\n[tool.hatch.envs.x]\nscripts = 'not a table'\n"
      "[tool.pdm]\nscripts = [1, 2]\n[tool.poe.tasks]\na = 1\nb = {sequence = [1, 'a']}\n"
      "[tool.taskipy.tasks]\nt = 'task t'\n");
  auto cmds = pyproject_scripts(doc);
  for (const auto& c : cmds) EXPECT_FALSE(c.command.empty() && c.scope.empty());
  EXPECT_LE(cmds.size(), 4u);
}

}  // namespace
}  // namespace mlops
