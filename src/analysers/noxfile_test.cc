#include "analysers/noxfile.h"

#include <gtest/gtest.h>

#include <string>

namespace mlops {
namespace {

std::vector<std::pair<std::string, std::string>> scoped(const std::vector<CiCommand>& cmds) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& c : cmds) out.push_back({c.scope, c.command});
  return out;
}

TEST(Noxfile, SessionsAndTheirRunCommands) {
  auto cmds = nox_sessions(
      "import nox\n"
      "from nox import session\n\n"
      "@nox.session(python=['3.10', '3.11'])\n"
      "def tests(session):\n"
      "    session.install('-e', '.[test]')\n"
      "    session.run('pytest', '-q', *session.posargs, env={'X': '1'})\n\n"
      "@nox.session(name='lint', reuse_venv=True)\n"
      "def lint_it(s: nox.Session) -> None:\n"
      "    s.run(\"ruff\", \"check\", \".\")\n\n"
      "@session\n"
      "def docs(session):\n"
      "    if True:\n"
      "        session.run_always('sphinx-build', 'docs', 'out')\n\n"
      "def helper(session):\n"
      "    session.run('not', 'a', 'session')\n");
  EXPECT_EQ(scoped(cmds), (std::vector<std::pair<std::string, std::string>>{{"tests", "pytest -q"},
                                                                            {"lint", "ruff check ."},
                                                                            {"docs", "sphinx-build docs out"},
                                                                            {"", "pytest -q"},
                                                                            {"", "ruff check ."},
                                                                            {"", "sphinx-build docs out"}}));
  EXPECT_EQ(cmds[0].line, 7);
}

TEST(Noxfile, DefaultSessionsFromOptionsOrDefaultFalse) {
  auto literal = nox_sessions(
      "import nox\nnox.options.sessions = ['lint']\n"
      "@nox.session\ndef lint(session):\n    session.run('flake8')\n"
      "@nox.session\ndef tests(session):\n    session.run('pytest')\n");
  EXPECT_EQ(scoped(literal), (std::vector<std::pair<std::string, std::string>>{
                                 {"lint", "flake8"}, {"tests", "pytest"}, {"", "flake8"}}));
  auto opt_out = nox_sessions(
      "import nox\n@nox.session(default=False)\ndef release(session):\n    session.run('twine', 'upload')\n");
  EXPECT_EQ(scoped(opt_out), (std::vector<std::pair<std::string, std::string>>{{"release", "twine upload"}}));
}

TEST(Noxfile, HostileInput) {
  EXPECT_TRUE(nox_sessions("").empty());
  EXPECT_TRUE(nox_sessions("@nox.session\ndef broken(session:\n  session.run('pytest'\n").size() <= 2);
  std::string deep = "@nox.session\ndef t(session):\n    x = " + std::string(20000, '(') + "\n";
  nox_sessions(deep);
  nox_sessions(std::string("@nox.session\ndef t(session):\n    session.run('\xff\xfe')\n"));
  std::string many = "import nox\n@nox.session\ndef t(session):\n";
  for (int i = 0; i < 5000; ++i) many += "    session.run('pytest')\n";
  EXPECT_LE(nox_sessions(many).size(), 2000u);
}

}  // namespace
}  // namespace mlops
