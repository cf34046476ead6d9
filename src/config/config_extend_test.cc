// `extend:`: a base configuration inside the repository, merged under the extending one.
#include <gtest/gtest.h>

#include <filesystem>

#include "config/config.h"
#include "support/temp_dir.h"

namespace fs = std::filesystem;

namespace mlops {
namespace {

using mlops::test_support::TempDir;

std::string errors_of(const ConfigResult& r) {
  std::string out;
  for (const auto& e : r.errors)
    out += e.where.path + ":" + std::to_string(e.where.line) + ": " + e.message + "\n";
  return out;
}

TEST(ConfigExtend, BaseLiesUnderTheExtendingFile) {
  TempDir d;
  d.write("org/base.yaml",
          "profile: production\nignore: [DOC002]\nfail-on: error\nseverity: {DAT003: error}\n");
  d.write(".mlops-lint.yaml", "ignore: [DOC003]\nextend: org/base.yaml\n");
  ConfigResult r = load_config(d.str(), "", true);
  ASSERT_TRUE(r.errors.empty()) << errors_of(r);
  EXPECT_EQ(r.config.profile, "production");                                 // from the base
  EXPECT_EQ(r.config.selection.ignore, std::vector<std::string>{"DOC003"});  // replaced, though written first
  EXPECT_EQ(r.config.fail_on, "error");
  EXPECT_EQ(r.config.selection.severity.at("DAT003"), Severity::Error);
  EXPECT_EQ(r.config.source, (d.path() / ".mlops-lint.yaml").string());
  // Each value remembers the file and line that set it.
  EXPECT_EQ(r.config.origins.at("profile"), (d.path() / "org/base.yaml").string() + ":1");
  EXPECT_EQ(r.config.origins.at("ignore"), (d.path() / ".mlops-lint.yaml").string() + ":1");
}

TEST(ConfigExtend, ChainsAndTomlBases) {
  TempDir d;
  d.write("org/pyproject.toml", "[tool.mlops-lint]\nprofile = \"research\"\nexclude = [\"vendor/**\"]\n");
  d.write("org/team.yaml", "extend: pyproject.toml\nselect: [DAT]\n");  // relative to org/
  d.write(".mlops-lint.yaml", "extend: org/team.yaml\n");
  ConfigResult r = load_config(d.str(), "", true);
  ASSERT_TRUE(r.errors.empty()) << errors_of(r);
  EXPECT_EQ(r.config.profile, "research");
  EXPECT_EQ(r.config.exclude, std::vector<std::string>{"vendor/**"});
  EXPECT_EQ(r.config.selection.select, std::vector<std::string>{"DAT"});
}

TEST(ConfigExtend, PathsLeavingTheRepositoryAreErrors) {
  TempDir outside;
  outside.write("base.yaml", "profile: research\n");
  TempDir d;
  d.write(".mlops-lint.yaml", "extend: ../base.yaml\n");
  ConfigResult up = load_config(d.str(), "", true);
  EXPECT_NE(errors_of(up).find(".mlops-lint.yaml:1: 'extend' path '../base.yaml' is outside the repository"),
            std::string::npos)
      << errors_of(up);
  d.write(".mlops-lint.yaml", "extend: " + (outside.path() / "base.yaml").string() + "\n");
  EXPECT_NE(errors_of(load_config(d.str(), "", true)).find("outside the repository"), std::string::npos);
  // A symlink inside the repository that leads out is refused as well.
  fs::create_symlink(outside.path() / "base.yaml", d.path() / "base.yaml");
  d.write(".mlops-lint.yaml", "extend: base.yaml\n");
  ConfigResult link = load_config(d.str(), "", true);
  EXPECT_NE(errors_of(link).find("outside the repository"), std::string::npos) << errors_of(link);
  EXPECT_EQ(link.config.profile, "team");
}

TEST(ConfigExtend, CyclesMissingFilesAndWrongTypesAreErrors) {
  TempDir d;
  d.write("a.yaml", "extend: b.yaml\n");
  d.write("b.yaml", "extend: a.yaml\n");
  d.write(".mlops-lint.yaml", "extend: a.yaml\n");
  ConfigResult cycle = load_config(d.str(), "", true);
  EXPECT_NE(errors_of(cycle).find("'extend' cycle"), std::string::npos) << errors_of(cycle);
  d.write(".mlops-lint.yaml", "extend: .mlops-lint.yaml\n");
  EXPECT_NE(errors_of(load_config(d.str(), "", true)).find("'extend' cycle"), std::string::npos);
  d.write(".mlops-lint.yaml", "extend: nowhere.yaml\n");
  EXPECT_NE(errors_of(load_config(d.str(), "", true)).find("does not exist"), std::string::npos);
  fs::create_directories(d.path() / "dir.yaml");
  d.write(".mlops-lint.yaml", "extend: dir.yaml\n");
  EXPECT_NE(errors_of(load_config(d.str(), "", true)).find("is not a regular file"), std::string::npos);
  d.write(".mlops-lint.yaml", "extend: [a.yaml]\n");
  EXPECT_NE(errors_of(load_config(d.str(), "", true)).find("must be the path"), std::string::npos);
  // Errors inside the base name the base file.
  d.write("bad.yaml", "profile: nonsense\n");
  d.write(".mlops-lint.yaml", "extend: bad.yaml\n");
  ConfigResult bad = load_config(d.str(), "", true);
  EXPECT_NE(errors_of(bad).find("bad.yaml:1: 'profile' must be"), std::string::npos) << errors_of(bad);
}

}  // namespace
}  // namespace mlops
