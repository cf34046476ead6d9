#include "analysers/lock_files.h"

#include <gtest/gtest.h>

#include "util/yaml_load.h"

namespace mlops {
namespace {

std::vector<std::string> names(const std::vector<Dependency>& deps) {
  std::vector<std::string> out;
  for (const auto& d : deps) out.push_back(d.spec);
  return out;
}

TEST(LockFiles, Kinds) {
  EXPECT_EQ(lock_kind("poetry.lock"), LockKind::TomlPackages);
  EXPECT_EQ(lock_kind("svc/uv.lock"), LockKind::TomlPackages);
  EXPECT_EQ(lock_kind("pdm.lock"), LockKind::TomlPackages);
  EXPECT_EQ(lock_kind("Pipfile.lock"), LockKind::PipfileLock);
  EXPECT_EQ(lock_kind("env/linux.conda-lock.yml"), LockKind::CondaLock);
  EXPECT_EQ(lock_kind("pixi.lock"), LockKind::PixiLock);
  EXPECT_EQ(lock_kind("requirements-dev.lock"), LockKind::RequirementsLock);
  EXPECT_EQ(lock_kind("package-lock.json"), LockKind::None);
  EXPECT_EQ(lock_kind("poetry.lock.bak"), LockKind::None);
}

TEST(LockFiles, TomlLocksListTheirPackagesWithLines) {
  std::string error;
  auto deps = read_toml_lock(
      toml::parse("# @generated\n\n[[package]]\nname = \"Scikit_Learn\"\nversion = \"1.5.0\"\n\n"
                  "[[package]]\nname = \"churn\"\nsource = { editable = \".\" }\n\n"
                  "[metadata]\nlock-version = \"2.0\"\n"),
      error);
  EXPECT_TRUE(error.empty());
  EXPECT_EQ(names(deps), (std::vector<std::string>{"Scikit_Learn==1.5.0", "churn"}));
  EXPECT_EQ(deps[0].name, "scikit-learn");
  EXPECT_EQ(deps[0].line, 3);
  EXPECT_TRUE(deps[0].pinned);
  // An empty lock pins nothing; a TOML file that is no lock says so.
  EXPECT_TRUE(read_toml_lock(toml::parse("version = 1\n"), error).empty());
  EXPECT_TRUE(error.empty());
  read_toml_lock(toml::parse("[tool.other]\nx = 1\n"), error);
  EXPECT_NE(error.find("not a lock file"), std::string::npos);
}

TEST(LockFiles, PipfileLock) {
  std::string text = R"({"_meta": {"hash": {"sha256": "x"}},
 "default": {"torch": {"hashes": ["sha256:a"], "version": "==2.3.0"}},
 "develop": {"pytest": {"version": "==8.2.2"}, "local": {"path": "."}}})";
  std::string error;
  auto deps = read_pipfile_lock(text, error);
  EXPECT_TRUE(error.empty());
  EXPECT_EQ(names(deps), (std::vector<std::string>{"torch==2.3.0", "local", "pytest==8.2.2"}));
  EXPECT_EQ(deps[0].line, 2);
  EXPECT_TRUE(read_pipfile_lock("{\"default\": [", error).empty());
  EXPECT_NE(error.find("invalid JSON"), std::string::npos);
}

TEST(LockFiles, CondaLockAndPixi) {
  std::string error;
  auto conda = load_yaml_documents(
      "version: 1\npackage:\n  - name: numpy\n    version: 1.26.4\n    manager: conda\n"
      "  - name: torch\n    version: 2.3.0\n    manager: pip\n");
  auto deps = read_yaml_lock(conda.documents, LockKind::CondaLock, error);
  EXPECT_EQ(names(deps), (std::vector<std::string>{"numpy==1.26.4", "torch==2.3.0"}));
  EXPECT_EQ(deps[1].line, 6);
  auto pixi = load_yaml_documents(
      "version: 6\npackages:\n"
      "- conda: https://conda.anaconda.org/conda-forge/linux-64/python-3.12.3-hab00c5b_0_cpython.conda\n"
      "  sha256: abc\n"
      "- pypi: https://files.pythonhosted.org/packages/x/numpy-1.26.4.whl\n  name: numpy\n  version: "
      "1.26.4\n");
  deps = read_yaml_lock(pixi.documents, LockKind::PixiLock, error);
  EXPECT_EQ(names(deps), (std::vector<std::string>{"python==3.12.3", "numpy==1.26.4"}));
  auto other = load_yaml_documents("name: env\ndependencies: [numpy]\n");
  error.clear();
  EXPECT_TRUE(read_yaml_lock(other.documents, LockKind::CondaLock, error).empty());
  EXPECT_NE(error.find("not a lock file"), std::string::npos);
}

TEST(LockFiles, HostileInputPinsNothingAndNeverThrows) {
  std::string error;
  EXPECT_TRUE(read_pipfile_lock(std::string(1 << 16, '['), error).empty());
  EXPECT_TRUE(read_pipfile_lock(std::string("{\"default\": {\"\xff\xfe\": 1}}"), error).size() <= 1);
  auto deep = load_yaml_documents("package: " + std::string(200, '[') + std::string(200, ']') + "\n");
  EXPECT_TRUE(read_yaml_lock(deep.documents, LockKind::CondaLock, error).empty());
  toml::table weird = toml::parse("package = 3\n");
  EXPECT_TRUE(read_toml_lock(weird, error).empty());
}

}  // namespace
}  // namespace mlops
