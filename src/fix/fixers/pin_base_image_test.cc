// Tests of the pin-base-image fixer: reading declared Python versions, retagging FROM lines, and
// whole fixes on in-memory repositories.
#include "fix/fixers/pin_base_image.h"

#include <gtest/gtest.h>

#include "fix/edits.h"
#include "repo/memory_snapshot.h"

namespace mlops {
namespace {

using Files = std::map<std::string, std::string>;

struct Context {
  explicit Context(Files files, std::vector<std::string> projects = {"."}) : snapshot(std::move(files)) {
    for (const auto& p : projects) result.projects.push_back(ProjectReport{p, {}, "application", {}, {}, {}});
  }
  MemorySnapshot snapshot;
  CheckResult result;
  RuleSet rules;
  FixContext context{snapshot, result, rules};
};

std::optional<std::string> declared(Files files, const std::string& project = ".") {
  Context c(std::move(files));
  auto d = declared_python(c.context, project);
  return d ? std::optional<std::string>(d->minor) : std::nullopt;
}

std::optional<std::string> fix_at(const Files& files, const std::string& path, int line,
                                  const std::string& project = ".", std::string* message = nullptr) {
  Context c(files, project == "." ? std::vector<std::string>{"."} : std::vector<std::string>{".", project});
  Finding f;
  f.rule_id = "DPL002";
  f.where = {path, line, 1, 0, 0};
  f.project = project;
  f.subject = "FROM python";
  auto fix = fix_pin_base_image(c.context, f);
  if (!fix) return std::nullopt;
  EXPECT_EQ(fix->applicability, Applicability::Safe);
  if (message) *message = fix->message;
  return apply_edits(files.at(path), fix->edits);
}

TEST(PinBaseImage, ReadsVersionsAndRanges) {
  EXPECT_EQ(python_minor_of_version("3.11"), "3.11");
  EXPECT_EQ(python_minor_of_version(" 3.11.4 "), "3.11");
  EXPECT_FALSE(python_minor_of_version("3"));
  EXPECT_FALSE(python_minor_of_version("pypy3.10"));
  EXPECT_FALSE(python_minor_of_version("system"));
  EXPECT_FALSE(python_minor_of_version("3.12t"));

  EXPECT_EQ(python_minor_of_range(">=3.10"), "3.10");
  EXPECT_EQ(python_minor_of_range(">=3.10.2"), "3.10");
  EXPECT_EQ(python_minor_of_range(">=3.10,<3.13"), "3.10");
  EXPECT_EQ(python_minor_of_range("<3.13, >= 3.9"), "3.9");
  EXPECT_EQ(python_minor_of_range("==3.11.*"), "3.11");
  EXPECT_EQ(python_minor_of_range("==3.11"), "3.11");
  EXPECT_EQ(python_minor_of_range("~=3.10"), "3.10");
  EXPECT_EQ(python_minor_of_range("^3.10"), "3.10");
  EXPECT_EQ(python_minor_of_range("~3.10"), "3.10");
  EXPECT_EQ(python_minor_of_range("3.11"), "3.11");
  EXPECT_EQ(python_minor_of_range(">=3.10,!=3.10.1"), "3.10");
  EXPECT_FALSE(python_minor_of_range("<3.13"));         // no lower bound
  EXPECT_FALSE(python_minor_of_range(">3.9"));          // 3.9 or 3.10? not ours to guess
  EXPECT_FALSE(python_minor_of_range(">=3"));           // no minor version
  EXPECT_FALSE(python_minor_of_range(">=3.8,>=3.10"));  // two lower bounds
  EXPECT_FALSE(python_minor_of_range("^3.9 || ^3.11"));
  EXPECT_FALSE(python_minor_of_range("==3.*"));
  EXPECT_FALSE(python_minor_of_range(""));
}

TEST(PinBaseImage, FindsTheProjectsDeclaration) {
  EXPECT_EQ(declared({{".python-version", "3.11.4\n"}}), "3.11");
  EXPECT_EQ(declared({{".python-version", "# pyenv\n3.12\n"}}), "3.12");
  EXPECT_EQ(declared({{"runtime.txt", "python-3.10.14\n"}}), "3.10");
  EXPECT_EQ(declared({{"pyproject.toml", "[project]\nname = \"x\"\nrequires-python = \">=3.10\"\n"}}),
            "3.10");
  EXPECT_EQ(declared({{"pyproject.toml", "[tool.poetry.dependencies]\npython = \"^3.11\"\n"}}), "3.11");
  EXPECT_EQ(declared({{"setup.cfg", "[metadata]\nname = x\n[options]\npython_requires = >=3.9\n"}}), "3.9");
  // An exact version inside every declared range wins over the ranges' lower bounds.
  EXPECT_EQ(declared({{".python-version", "3.12\n"},
                      {"pyproject.toml", "[project]\nrequires-python = \">=3.10,<3.13\"\n"},
                      {"setup.cfg", "[options]\npython_requires = >=3.9\n"}}),
            "3.12");
  EXPECT_EQ(declared({{".python-version", "3.12\n"},
                      {"pyproject.toml", "[tool.poetry.dependencies]\npython = \"^3.10\"\n"}}),
            "3.12");
  EXPECT_EQ(declared({{"runtime.txt", "python-3.11.9\n"}, {".python-version", "3.11\n"}}), "3.11");
  // The exact version as written is checked against the range (3.11.4 is in >=3.11.2).
  EXPECT_EQ(declared({{".python-version", "3.11.4\n"},
                      {"pyproject.toml", "[project]\nrequires-python = \">=3.11.2\"\n"}}),
            "3.11");
  // Ranges that agree on where they start.
  EXPECT_EQ(declared({{"pyproject.toml", "[project]\nrequires-python = \">=3.10\"\n"},
                      {"setup.cfg", "[options]\npython_requires = >=3.10, <4\n"}}),
            "3.10");
  // A sub-project reads its own root.
  EXPECT_EQ(declared({{".python-version", "3.9\n"}, {"svc/.python-version", "3.12\n"}}, "svc"), "3.12");
}

TEST(PinBaseImage, DeclinesUnclearDeclarations) {
  EXPECT_FALSE(declared({}));
  EXPECT_FALSE(declared({{"pyproject.toml", "[project]\nname = \"x\"\n"}}));
  EXPECT_FALSE(declared({{".python-version", "3.11\n3.12\n"}}));
  EXPECT_FALSE(declared({{".python-version", "pypy3.10\n"}}));
  EXPECT_FALSE(declared({{".python-version", "3.11\n"}, {"runtime.txt", "python-3.12.1\n"}}));
  EXPECT_FALSE(declared({{".python-version", "3.12\n"},
                         {"pyproject.toml", "[project]\nrequires-python = \">=3.10,<3.12\"\n"}}));
  EXPECT_FALSE(declared({{".python-version", "3.12\n"},
                         {"pyproject.toml", "[tool.poetry.dependencies]\npython = \"~3.10\"\n"}}));
  EXPECT_FALSE(declared({{"pyproject.toml", "[project]\nrequires-python = \">=3.10\"\n"},
                         {"setup.cfg", "[options]\npython_requires = >=3.9\n"}}));
  EXPECT_FALSE(declared({{"pyproject.toml", "[project]\nrequires-python = \">=3.10\n"}}));  // broken TOML
  EXPECT_FALSE(declared({{"pyproject.toml", "[project]\nrequires-python = 3\n"}}));
  EXPECT_FALSE(declared({{"setup.cfg", "[options]\npython_requires =\n    >=3.10\n"}}));
  // A runtime.txt that is not Heroku's Python line is no declaration.
  EXPECT_FALSE(declared({{"runtime.txt", "java-17\n"}}));
}

TEST(PinBaseImage, RetagsOnlyThePythonImage) {
  EXPECT_EQ(retag_python_from("FROM python", "3.11"), "FROM python:3.11");
  EXPECT_EQ(retag_python_from("FROM python:latest", "3.11"), "FROM python:3.11");
  EXPECT_EQ(retag_python_from("  from   docker.io/library/python  AS  build ", "3.11"),
            "  from   docker.io/library/python:3.11  AS  build ");
  EXPECT_EQ(retag_python_from("FROM --platform=$BUILDPLATFORM library/python:latest as deps", "3.10"),
            "FROM --platform=$BUILDPLATFORM library/python:3.10 as deps");
  EXPECT_EQ(retag_python_from("FROM docker.io/python", "3.12"), "FROM docker.io/python:3.12");
  EXPECT_FALSE(retag_python_from("FROM python:3.9", "3.11"));
  EXPECT_FALSE(retag_python_from("FROM python:slim", "3.11"));
  EXPECT_FALSE(retag_python_from("FROM python@sha256:5f4a", "3.11"));
  EXPECT_FALSE(retag_python_from("FROM ${BASE}", "3.11"));
  EXPECT_FALSE(retag_python_from("FROM python:${PY}", "3.11"));
  EXPECT_FALSE(retag_python_from("FROM pytorch/pytorch:latest", "3.11"));
  EXPECT_FALSE(retag_python_from("FROM ghcr.io/acme/python", "3.11"));
  EXPECT_FALSE(retag_python_from("FROM python \\", "3.11"));
  EXPECT_FALSE(retag_python_from("RUN python", "3.11"));
}

TEST(PinBaseImage, FixesTheFindingsLine) {
  Files files = {{".python-version", "3.11\n"},
                 {"docker/Dockerfile", "# serving\r\nFROM python:latest AS app\r\nCOPY . .\r\n"}};
  std::string message;
  EXPECT_EQ(fix_at(files, "docker/Dockerfile", 2, ".", &message),
            "# serving\r\nFROM python:3.11 AS app\r\nCOPY . .\r\n");
  EXPECT_EQ(message, "tag the base image python:3.11 (the Python version .python-version declares)");
  // Not a FROM the Dockerfile reader sees there (a comment line), and no line at all.
  EXPECT_FALSE(fix_at(files, "docker/Dockerfile", 1));
  EXPECT_FALSE(fix_at(files, "docker/Dockerfile", 9));
  // A heredoc body that looks like a FROM line is not an instruction.
  Files heredoc = {{".python-version", "3.11\n"},
                   {"Dockerfile", "FROM python:3.11\nRUN <<EOF cat > x\nFROM python\nEOF\n"}};
  EXPECT_FALSE(fix_at(heredoc, "Dockerfile", 3));
  // The sub-project's own declaration.
  Files sub = {
      {".python-version", "3.9\n"}, {"svc/.python-version", "3.12\n"}, {"svc/Dockerfile", "FROM python\n"}};
  EXPECT_EQ(fix_at(sub, "svc/Dockerfile", 1, "svc"), "FROM python:3.12\n");
  // Undeclared.
  EXPECT_FALSE(fix_at({{"Dockerfile", "FROM python\n"}}, "Dockerfile", 1));
}

TEST(PinBaseImage, SurvivesHostileDeclarations) {
  std::string deep = "[project]\nrequires-python = " + std::string(5000, '[') + "\n";
  std::string binary(
      "3.1\0\xff\xfe"
      "1\n",
      8);
  for (const Files& files : std::vector<Files>{
           {{"pyproject.toml", deep}, {"Dockerfile", "FROM python\n"}},
           {{".python-version", binary}, {"Dockerfile", "FROM python\n"}},
           {{"setup.cfg", std::string(100000, '[')}, {"Dockerfile", "FROM python\n"}},
           {{".python-version", "3.11\n"}, {"Dockerfile", "FROM " + std::string(100000, 'p') + "\n"}},
           {{".python-version", "99999999999999999999.1\n"}, {"Dockerfile", "FROM python\n"}},
           {{".python-version", "3.11\n"},
            {"Dockerfile", std::string("\xff\xfe"
                                       "FROM python\n")}},
       })
    EXPECT_FALSE(fix_at(files, "Dockerfile", 1));
}

}  // namespace
}  // namespace mlops
