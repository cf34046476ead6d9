// Which files a query looks at: the per-extension answers the planner takes without the path.
#include "analysers/query.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mlops {
namespace {

TEST(QueryFiles, AnExtensionsAnswerIsEveryPathsAnswer) {
  const std::vector<std::string> paths = {"a.py",
                                          "x/nb.ipynb",
                                          "gui.pyw",
                                          "a.pyc",
                                          "c.yaml",
                                          "x/c.yml",
                                          "MLproject",
                                          "x/MLproject",
                                          "a.MLproject",
                                          "pyproject.toml",
                                          "Pipfile",
                                          "x/Pipfile",
                                          "Pipfile.lock",
                                          "requirements.txt",
                                          "x/requirements-dev.in",
                                          "setup.py",
                                          "setup.cfg",
                                          "environment.yml",
                                          "poetry.lock",
                                          "uv.lock",
                                          "Dockerfile",
                                          "Dockerfile.gpu",
                                          "x/app.dockerfile",
                                          ".gitlab-ci.yml",
                                          ".github/workflows/ci.yml",
                                          "Makefile",
                                          "tox.ini",
                                          ".pre-commit-config.yaml",
                                          "Jenkinsfile",
                                          "README.md",
                                          "noext",
                                          ".gitignore",
                                          "a.tar.gz",
                                          "dvc.yaml",
                                          "conda-lock.yml"};
  size_t decided = 0;
  for (int k = 0; k <= static_cast<int>(QueryKind::NotebookErrors); ++k) {
    FileQuery q;
    q.kind = static_cast<QueryKind>(k);
    for (const auto& p : paths) {
      if (auto answer = query_kind_answer_for_extension(q, path_extension(p))) {
        ++decided;
        EXPECT_EQ(query_applies_to(q, p), *answer) << "kind " << k << " path " << p;
      }
    }
  }
  EXPECT_GT(decided, paths.size() * 10);
  FileQuery yaml;
  yaml.kind = QueryKind::Yaml;
  EXPECT_EQ(query_kind_answer_for_extension(yaml, ".yml"), true);
  EXPECT_EQ(query_kind_answer_for_extension(yaml, ".py"), false);
  EXPECT_EQ(query_kind_answer_for_extension(yaml, ""), std::nullopt);  // MLproject
  FileQuery docker;
  docker.kind = QueryKind::DockerInstruction;
  EXPECT_EQ(query_kind_answer_for_extension(docker, ""), std::nullopt);
}

}  // namespace
}  // namespace mlops
