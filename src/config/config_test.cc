#include "config/config.h"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "support/temp_dir.h"

namespace fs = std::filesystem;

namespace mlops {
namespace {

using mlops::test_support::TempDir;

bool has_error(const ConfigResult& r, const std::string& path, int line, const std::string& text) {
  for (const auto& e : r.errors)
    if (e.where.path == path && (line == 0 || e.where.line == line) &&
        e.message.find(text) != std::string::npos)
      return true;
  return false;
}

std::string dump(const ConfigResult& r) {
  std::string out;
  for (const auto& e : r.errors)
    out += e.where.path + ":" + std::to_string(e.where.line) + ": " + e.message + "\n";
  return out;
}

TEST(Config, ParseSize) {
  EXPECT_EQ(parse_size("1048576"), 1048576u);
  EXPECT_EQ(parse_size("512KB"), 512u * 1024);
  EXPECT_EQ(parse_size("10MB"), 10u * 1024 * 1024);
  EXPECT_EQ(parse_size("2GB"), 2ull * 1024 * 1024 * 1024);
  EXPECT_EQ(parse_size("100B"), 100u);
  EXPECT_EQ(parse_size("0"), 0u);
  EXPECT_FALSE(parse_size(""));
  EXPECT_FALSE(parse_size("MB"));
  EXPECT_FALSE(parse_size("10 MB"));
  EXPECT_FALSE(parse_size("1.5MB"));
  EXPECT_FALSE(parse_size("-1"));
  EXPECT_FALSE(parse_size("ten"));
  EXPECT_FALSE(parse_size("10TB"));
}

TEST(Config, ParseSizeRejectsOverflow) {
  EXPECT_FALSE(parse_size("999999999999GB"));
  EXPECT_FALSE(parse_size("99999999999999999999"));
  EXPECT_EQ(parse_size("999999999999"), 999999999999ull);
}

TEST(Config, AllYamlKeys) {
  TempDir root;
  fs::create_directories(root.path() / "my-rules");
  ConfigResult r = parse_yaml_config(".mlops-lint.yaml",
                                     "select: [DAT, TST001]\n"
                                     "extend-select: [CI]\n"
                                     "ignore: [DAT002]\n"
                                     "severity: {DAT003: error, TST001: info}\n"
                                     "exclude: [\"vendor/**\", \"*.tmp\"]\n"
                                     "profile: production\n"
                                     "rules: [my-rules]\n"
                                     "max-file-size: 2MB\n"
                                     "large-file-threshold: 512KB\n"
                                     "fail-on: error\n"
                                     "per-file-ignores:\n"
                                     "  \"notebooks/*.ipynb\": [DAT003]\n"
                                     "  \"*.lock\": DEP001\n",
                                     root.str());
  ASSERT_TRUE(r.errors.empty()) << dump(r);
  const Config& c = r.config;
  EXPECT_EQ(c.source, ".mlops-lint.yaml");
  EXPECT_EQ(c.selection.select, (std::vector<std::string>{"DAT", "TST001"}));
  EXPECT_EQ(c.selection.extend_select, (std::vector<std::string>{"CI"}));
  EXPECT_EQ(c.selection.ignore, (std::vector<std::string>{"DAT002"}));
  EXPECT_EQ(c.selection.severity.at("DAT003"), Severity::Error);
  EXPECT_EQ(c.selection.severity.at("TST001"), Severity::Info);
  EXPECT_EQ(c.exclude, (std::vector<std::string>{"vendor/**", "*.tmp"}));
  EXPECT_EQ(c.profile, "production");
  ASSERT_EQ(c.rule_dirs.size(), 1u);
  EXPECT_EQ(fs::path(c.rule_dirs[0]), fs::canonical(root.path() / "my-rules"));
  EXPECT_EQ(c.max_file_size, 2u * 1024 * 1024);
  EXPECT_EQ(c.large_file_threshold, 512u * 1024);
  EXPECT_EQ(c.fail_on, "error");
  ASSERT_EQ(c.per_file_ignores.size(), 2u);
  EXPECT_EQ(c.per_file_ignores[0].first, "notebooks/*.ipynb");
  EXPECT_EQ(c.per_file_ignores[0].second, (std::vector<std::string>{"DAT003"}));
  EXPECT_EQ(c.per_file_ignores[1].second, (std::vector<std::string>{"DEP001"}));
}

TEST(Config, EmptyYamlMeansDefaults) {
  ConfigResult r = parse_yaml_config("c.yaml", "", "/tmp");
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.config.profile, "team");
  EXPECT_FALSE(r.config.fail_on);
  ConfigResult comments = parse_yaml_config("c.yaml", "# nothing\n", "/tmp");
  EXPECT_TRUE(comments.errors.empty());
}

TEST(Config, UnknownKeyWithFileAndLine) {
  ConfigResult r = parse_yaml_config(".mlops-lint.yaml", "profile: team\n\nselct: [DAT]\n", "/tmp");
  EXPECT_TRUE(has_error(r, ".mlops-lint.yaml", 3, "unknown key 'selct'")) << dump(r);
}

TEST(Config, WrongTypes) {
  ConfigResult r = parse_yaml_config("c.yaml",
                                     "select: {a: b}\n"
                                     "ignore: [[DAT]]\n"
                                     "severity: [DAT003]\n"
                                     "profile: [team]\n"
                                     "max-file-size: huge\n"
                                     "large-file-threshold: 0\n"
                                     "fail-on: sometimes\n"
                                     "per-file-ignores: [x]\n",
                                     "/tmp");
  EXPECT_TRUE(has_error(r, "c.yaml", 1, "'select' must be a list of strings")) << dump(r);
  EXPECT_TRUE(has_error(r, "c.yaml", 2, "'ignore' must be a list of strings")) << dump(r);
  EXPECT_TRUE(has_error(r, "c.yaml", 3, "'severity' must map")) << dump(r);
  EXPECT_TRUE(has_error(r, "c.yaml", 4, "'profile' must be one of")) << dump(r);
  EXPECT_TRUE(has_error(r, "c.yaml", 5, "'max-file-size' must be a size")) << dump(r);
  EXPECT_TRUE(has_error(r, "c.yaml", 6, "'large-file-threshold' must be a size")) << dump(r);
  EXPECT_TRUE(has_error(r, "c.yaml", 7, "'fail-on' must be")) << dump(r);
  EXPECT_TRUE(has_error(r, "c.yaml", 8, "'per-file-ignores' must map")) << dump(r);
}

TEST(Config, SeverityValuesValidated) {
  ConfigResult r = parse_yaml_config("c.yaml", "severity:\n  DAT003: loud\n", "/tmp");
  EXPECT_TRUE(has_error(r, "c.yaml", 2, "severity of DAT003")) << dump(r);
}

TEST(Config, ProfileValidation) {
  for (const char* p : {"research", "team", "production"}) {
    ConfigResult r = parse_yaml_config("c.yaml", std::string("profile: ") + p + "\n", "/tmp");
    EXPECT_TRUE(r.errors.empty()) << dump(r);
    EXPECT_EQ(r.config.profile, p);
  }
  ConfigResult bad = parse_yaml_config("c.yaml", "profile: enterprise\n", "/tmp");
  EXPECT_TRUE(has_error(bad, "c.yaml", 1, "'profile' must be one of")) << dump(bad);
}

TEST(Config, TopLevelMustBeMap) {
  ConfigResult r = parse_yaml_config("c.yaml", "- a\n- b\n", "/tmp");
  EXPECT_FALSE(r.errors.empty());
  ConfigResult s = parse_yaml_config("c.yaml", "just text\n", "/tmp");
  EXPECT_FALSE(s.errors.empty());
}

TEST(Config, InvalidYamlHasLine) {
  ConfigResult r = parse_yaml_config("c.yaml", "select: [DAT\nignore: x\n", "/tmp");
  ASSERT_FALSE(r.errors.empty());
  EXPECT_NE(r.errors[0].message.find("invalid YAML"), std::string::npos);
  EXPECT_GE(r.errors[0].where.line, 1);
}

TEST(Config, RuleDirectoryOutsideRootRejected) {
  TempDir outside;
  TempDir root;
  fs::create_directories(root.path() / "inside");
  ConfigResult up = parse_yaml_config("c.yaml", "rules: [../]\n", root.str());
  EXPECT_TRUE(has_error(up, "c.yaml", 1, "outside the repository")) << dump(up);
  ConfigResult abs = parse_yaml_config("c.yaml", "rules: [\"" + outside.str() + "\"]\n", root.str());
  EXPECT_TRUE(has_error(abs, "c.yaml", 1, "outside the repository")) << dump(abs);
  ConfigResult dotdot = parse_yaml_config("c.yaml", "rules: [inside/../../x]\n", root.str());
  EXPECT_TRUE(has_error(dotdot, "c.yaml", 1, "outside the repository")) << dump(dotdot);
  ConfigResult missing = parse_yaml_config("c.yaml", "rules: [nope]\n", root.str());
  EXPECT_TRUE(has_error(missing, "c.yaml", 1, "does not exist")) << dump(missing);
  ConfigResult ok = parse_yaml_config("c.yaml", "rules: inside\n", root.str());
  EXPECT_TRUE(ok.errors.empty()) << dump(ok);
  ConfigResult abs_inside =
      parse_yaml_config("c.yaml", "rules: [\"" + (root.path() / "inside").string() + "\"]\n", root.str());
  EXPECT_TRUE(abs_inside.errors.empty()) << dump(abs_inside);
}

TEST(Config, RuleDirectorySymlinkOutsideRootRejected) {
  TempDir outside;
  outside.write("evil.yaml", "id: X\n");
  TempDir root;
  fs::create_directory_symlink(outside.path(), root.path() / "rules-link");
  fs::create_directories(root.path() / "real");
  fs::create_directory_symlink(root.path() / "real", root.path() / "inner-link");
  ConfigResult r = parse_yaml_config("c.yaml", "rules: [rules-link]\n", root.str());
  EXPECT_TRUE(has_error(r, "c.yaml", 1, "outside the repository")) << dump(r);
  EXPECT_TRUE(r.config.rule_dirs.empty());
  ConfigResult inner = parse_yaml_config("c.yaml", "rules: [inner-link]\n", root.str());
  EXPECT_TRUE(inner.errors.empty()) << dump(inner);
}

TEST(Config, PyprojectTable) {
  TempDir root;
  bool found = false;
  ConfigResult r =
      parse_pyproject_config("pyproject.toml",
                             "[project]\nname = \"x\"\n\n"
                             "[tool.mlops-lint]\n"
                             "select = [\"DAT\"]\n"
                             "ignore = [\"DAT002\"]\n"
                             "profile = \"research\"\n"
                             "max-file-size = 1048576\n"
                             "large-file-threshold = \"5MB\"\n"
                             "fail-on = \"never\"\n"
                             "exclude = [\"data/**\"]\n"
                             "\n[tool.mlops-lint.severity]\nDAT003 = \"error\"\n"
                             "\n[tool.mlops-lint.per-file-ignores]\n\"*.ipynb\" = [\"DAT003\"]\n",
                             root.str(), found);
  EXPECT_TRUE(found);
  ASSERT_TRUE(r.errors.empty()) << dump(r);
  EXPECT_EQ(r.config.selection.select, (std::vector<std::string>{"DAT"}));
  EXPECT_EQ(r.config.selection.ignore, (std::vector<std::string>{"DAT002"}));
  EXPECT_EQ(r.config.profile, "research");
  EXPECT_EQ(r.config.max_file_size, 1048576u);
  EXPECT_EQ(r.config.large_file_threshold, 5u * 1024 * 1024);
  EXPECT_EQ(r.config.fail_on, "never");
  EXPECT_EQ(r.config.exclude, (std::vector<std::string>{"data/**"}));
  EXPECT_EQ(r.config.selection.severity.at("DAT003"), Severity::Error);
  ASSERT_EQ(r.config.per_file_ignores.size(), 1u);
}

TEST(Config, PyprojectUnknownKeyAndTypes) {
  bool found = false;
  ConfigResult r = parse_pyproject_config("pyproject.toml",
                                          "[tool.mlops-lint]\n"
                                          "profile = \"team\"\n"
                                          "colour = true\n"
                                          "fail-on = 3\n"
                                          "select = 5\n",
                                          "/tmp", found);
  EXPECT_TRUE(found);
  EXPECT_TRUE(has_error(r, "pyproject.toml", 3, "unknown key 'colour'")) << dump(r);
  EXPECT_TRUE(has_error(r, "pyproject.toml", 4, "'fail-on' must be")) << dump(r);
  EXPECT_TRUE(has_error(r, "pyproject.toml", 5, "'select' must be a list")) << dump(r);
}

TEST(Config, PyprojectWithoutTable) {
  bool found = true;
  ConfigResult r = parse_pyproject_config("pyproject.toml", "[project]\nname = \"x\"\n", "/tmp", found);
  EXPECT_FALSE(found);
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.config.profile, "team");
}

TEST(Config, PyprojectInvalidToml) {
  bool found = false;
  ConfigResult r = parse_pyproject_config("pyproject.toml", "[tool.mlops-lint\n", "/tmp", found);
  EXPECT_TRUE(found);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].message.find("invalid TOML"), std::string::npos);
}

TEST(Config, LoadConfigDiscovery) {
  TempDir root;
  ConfigResult none = load_config(root.str(), "", true);
  EXPECT_TRUE(none.errors.empty());
  EXPECT_TRUE(none.config.source.empty());

  root.write("pyproject.toml", "[tool.mlops-lint]\nprofile = \"research\"\n");
  ConfigResult py = load_config(root.str(), "", true);
  EXPECT_TRUE(py.errors.empty()) << dump(py);
  EXPECT_EQ(py.config.profile, "research");

  root.write(".mlops-lint.yaml", "profile: production\n");
  ConfigResult yaml = load_config(root.str(), "", true);
  EXPECT_EQ(yaml.config.profile, "production");
  EXPECT_NE(yaml.config.source.find(".mlops-lint.yaml"), std::string::npos);

  ConfigResult off = load_config(root.str(), "", false);
  EXPECT_EQ(off.config.profile, "team");

  root.write("other.yaml", "profile: research\n");
  ConfigResult expl = load_config(root.str(), (root.path() / "other.yaml").string(), true);
  EXPECT_EQ(expl.config.profile, "research");

  ConfigResult missing = load_config(root.str(), (root.path() / "missing.yaml").string(), true);
  EXPECT_FALSE(missing.errors.empty());
}

TEST(Config, BrokenPyprojectWithoutOurTableIsNotFatal) {
  TempDir root;
  root.write("pyproject.toml", "[project\nname = \"x\"\n");
  ConfigResult r = load_config(root.str(), "", true);
  EXPECT_TRUE(r.errors.empty()) << dump(r);
}

bool has_warning(const ConfigResult& r, const std::string& path, const std::string& text) {
  for (const auto& e : r.warnings)
    if (e.where.path == path && e.message.find(text) != std::string::npos) return true;
  return false;
}

TEST(Config, DiscoveredConfigSymlinkedOutsideTheRootIsAnError) {
  TempDir outside;
  outside.write("evil.yaml", "profile: research\n");
  TempDir root;
  fs::create_symlink(outside.path() / "evil.yaml", root.path() / ".mlops-lint.yaml");
  ConfigResult r = load_config(root.str(), "", true);
  std::string p = (root.path() / ".mlops-lint.yaml").string();
  EXPECT_TRUE(has_error(r, p, 0, "symlink points outside the repository; not followed")) << dump(r);
  EXPECT_EQ(r.config.profile, "team");  // nothing of the outside file was applied
}

TEST(Config, DiscoveredConfigSymlinkedInsideTheRootIsRead) {
  TempDir root;
  root.write("conf/lint.yaml", "profile: production\n");
  fs::create_symlink("conf/lint.yaml", root.path() / ".mlops-lint.yml");
  ConfigResult r = load_config(root.str(), "", true);
  EXPECT_TRUE(r.errors.empty()) << dump(r);
  EXPECT_EQ(r.config.profile, "production");
}

TEST(Config, DirectoriesNamedLikeConfigFilesAreNotConfigs) {
  TempDir root;
  fs::create_directories(root.path() / ".mlops-lint.yaml");
  fs::create_directories(root.path() / "pyproject.toml");
  root.write(".mlops-lint.yml", "profile: research\n");
  ConfigResult r = load_config(root.str(), "", true);
  EXPECT_TRUE(r.errors.empty()) << dump(r);
  EXPECT_TRUE(r.warnings.empty());
  EXPECT_EQ(r.config.profile, "research");
}

TEST(Config, DiscoveredConfigThatIsAFifoDoesNotBlock) {
  TempDir root;
  ASSERT_EQ(::mkfifo((root.path() / ".mlops-lint.yaml").c_str(), 0644), 0);
  ConfigResult r = load_config(root.str(), "", true);
  EXPECT_TRUE(has_error(r, (root.path() / ".mlops-lint.yaml").string(), 0, "not a regular file (FIFO)"))
      << dump(r);
}

TEST(Config, PyprojectSymlinkedOutsideIsAWarningAndDefaultsApply) {
  TempDir outside;
  outside.write("pyproject.toml", "[tool.mlops-lint]\nprofile = \"research\"\n");
  TempDir root;
  fs::create_symlink(outside.path() / "pyproject.toml", root.path() / "pyproject.toml");
  ConfigResult r = load_config(root.str(), "", true);
  EXPECT_TRUE(r.errors.empty()) << dump(r);
  EXPECT_TRUE(has_warning(r, (root.path() / "pyproject.toml").string(), "outside the repository"));
  EXPECT_EQ(r.config.profile, "team");
}

TEST(Config, OversizedPyprojectIsAWarningNotAnError) {
  TempDir root;
  root.write("pyproject.toml", "[project]\nname = \"x\"\n# " + std::string(1100 * 1024, 'x') + "\n");
  ConfigResult r = load_config(root.str(), "", true);
  EXPECT_TRUE(r.errors.empty()) << dump(r);
  EXPECT_TRUE(has_warning(r, (root.path() / "pyproject.toml").string(),
                          "pyproject.toml larger than 1 MiB: its [tool.mlops-lint] table is not read"));
  EXPECT_EQ(r.config.profile, "team");
}

TEST(Config, ExplicitConfigOutsideTheRootIsTrusted) {
  TempDir elsewhere;
  elsewhere.write("team.yaml", "profile: research\n");
  TempDir root;
  fs::create_symlink(elsewhere.path() / "team.yaml", root.path() / "link.yaml");
  ConfigResult r = load_config(root.str(), (root.path() / "link.yaml").string(), true);
  EXPECT_TRUE(r.errors.empty()) << dump(r);
  EXPECT_EQ(r.config.profile, "research");
}

TEST(Config, MaxFileSizeCannotExceedTheHardLimit) {
  ConfigResult big = parse_yaml_config("c.yaml", "max-file-size: 1GB\n", "/tmp");
  EXPECT_TRUE(big.errors.empty()) << dump(big);
  EXPECT_EQ(big.config.max_file_size, kHardMaxFileSize);
  EXPECT_TRUE(has_warning(big, "c.yaml", "above the hard limit of 16 MiB"));
  ConfigResult small = parse_yaml_config("c.yaml", "max-file-size: 2MB\n", "/tmp");
  EXPECT_EQ(small.config.max_file_size, 2u * 1024 * 1024);
  EXPECT_TRUE(small.warnings.empty());
  bool found = false;
  ConfigResult py = parse_pyproject_config("pyproject.toml", "[tool.mlops-lint]\nmax-file-size = \"200MB\"\n",
                                           "/tmp", found);
  EXPECT_EQ(py.config.max_file_size, kHardMaxFileSize);
}

}  // namespace
}  // namespace mlops
