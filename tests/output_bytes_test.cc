// End-to-end tests of the real binary on hostile bytes and secrets: a file name and content with
// invalid UTF-8 and terminal escapes give valid output in every format; a token quoted by any
// rule, a second token on a line and URL credentials stay masked in reports, baseline and cache.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "support/process.h"
#include "support/temp_dir.h"
#include "support/xml_check.h"
#include "util/escape.h"

namespace fs = std::filesystem;

namespace {

using Proc = mlops::test_support::CommandResult;

// Runs `cmd`, capturing stdout, and stderr too when `with_stderr` (both reach a terminal).
Proc run(const std::string& cmd, bool with_stderr = true) {
  return mlops::test_support::run_shell(cmd + (with_stderr ? " 2>&1" : " 2>/dev/null"));
}

std::string lint() {
  return std::string(MLOPS_BINARY) + " ";
}

std::string read(const fs::path& p) {
  return mlops::test_support::read_file(p);
}

using mlops::test_support::quote;

using mlops::test_support::TempDir;

const std::string kHostileName = "data\xFF\x1b[31m\x07.py";

// DAT003 quotes a path with terminal escapes and markup; SEC001 quotes a line with bytes that
// are not UTF-8; the file name has both.
void write_hostile_repo(const TempDir& t) {
  t.write(kHostileName,
          "import pandas as pd\n"
          "df = pd.read_csv('/home/alice/x\x1b]0;owned\x07<b>|`y`.csv')\n"
          "WANDB_API_KEY = \"9b1d0c7e5a3f2e8d6c4b2a0918273645fedcba98\"  # \xFF\xC0\xAF \x1b[2J\n");
}

const char* kSelect = " --select DAT003,SEC001 ";

TEST(OutputBytes, JsonSarifGitlabAreValidJsonOnInvalidUtf8) {
  TempDir t;
  write_hostile_repo(t);
  for (const char* format : {"json", "sarif", "gitlab"}) {
    Proc r =
        run(lint() + "check --no-cache" + std::string(kSelect) + "--format " + format + " " + quote(t.str()),
            false);
    EXPECT_EQ(r.status, 1) << format << r.out;
    nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << format << ": " << r.out;
    EXPECT_NE(r.out.find("DAT003"), std::string::npos) << format;
  }
  Proc r = run(lint() + "check --no-cache" + std::string(kSelect) + "--format json " + quote(t.str()), false);
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_FALSE(j["findings"].empty());
  EXPECT_EQ(j["findings"][0]["path_bytes"], mlops::percent_encode(kHostileName));
}

TEST(OutputBytes, JunitIsWellFormedXmlOnInvalidUtf8) {
  TempDir t;
  write_hostile_repo(t);
  Proc r =
      run(lint() + "check --no-cache" + std::string(kSelect) + "--format junit " + quote(t.str()), false);
  EXPECT_EQ(r.status, 1);
  std::string error;
  EXPECT_TRUE(mlops::testing::xml_well_formed(r.out, error)) << error;
}

TEST(OutputBytes, TerminalAndAnnotationsGetNoRawEscapes) {
  TempDir t;
  write_hostile_repo(t);
  for (const char* format : {"text", "github", "markdown"}) {
    Proc r =
        run(lint() + "check --no-cache" + std::string(kSelect) + "--format " + format + " " + quote(t.str()));
    EXPECT_EQ(r.status, 1) << format;
    EXPECT_EQ(r.out.find('\x1b'), std::string::npos) << format << ": " << r.out;
    EXPECT_EQ(r.out.find('\x07'), std::string::npos) << format;
    EXPECT_TRUE(mlops::valid_utf8(r.out)) << format;
  }
}

TEST(OutputBytes, AuditJsonAndHtmlHoldOnInvalidUtf8) {
  TempDir t;
  write_hostile_repo(t);
  Proc j = run(lint() + "audit --no-cache --format json " + quote(t.str()), false);
  EXPECT_EQ(j.status, 0) << j.out;
  EXPECT_FALSE(nlohmann::json::parse(j.out, nullptr, false).is_discarded()) << j.out;
  Proc h = run(lint() + "audit --no-cache --format html " + quote(t.str()), false);
  EXPECT_EQ(h.status, 0);
  EXPECT_TRUE(mlops::valid_utf8(h.out));
}

TEST(OutputBytes, SecretsAreMaskedWhicheverRuleQuotesThemAndInBaselineAndCache) {
  TempDir t;
  const std::string key1 = "9b1d0c7e5a3f2e8d6c4b2a0918273645fedcba98";
  const std::string key2 = "0123456789abcdef0123456789abcdef01234567";
  const std::string ghp = "ghp_" + std::string("Zq8xW2vN5mR7tY1uI3oP6aS9dF4gH0jK2lC5");
  const std::string hf = "hf_" + std::string("AbCdEfGhIjKlMnOpQrStUvWxYz01234567");
  // Two keys on one line; a token inside a path another rule (DAT003) quotes; URL credentials
  // in a requirement another rule (DEP002) quotes.
  t.write("train.py", "import wandb\nWANDB_API_KEY = \"" + key1 + "\"; WANDB_API_KEY = \"" + key2 +
                          "\"\nimport pandas as pd\ndf = pd.read_csv('/home/alice/" + hf + "/x.csv')\n");
  t.write("requirements.txt", "pandas\ngit+https://bot:" + ghp + "@github.com/org/pkg.git#egg=pkg\n");
  std::string cache = (t.path() / "cache").string();
  auto leaks = [&](const std::string& text) {
    for (const auto& s : {key1, key2, ghp, hf})
      if (text.find(s) != std::string::npos || text.find(s.substr(6)) != std::string::npos) return s;
    return std::string();
  };
  fs::path repo = t.path() / "repo";
  fs::create_directories(repo);
  fs::rename(t.path() / "train.py", repo / "train.py");
  fs::rename(t.path() / "requirements.txt", repo / "requirements.txt");
  bool quoted_path = false;
  for (const char* format : {"text", "json", "sarif", "github", "gitlab", "junit", "markdown"}) {
    Proc r = run("XDG_CACHE_HOME=" + cache + " " + lint() + "check --format " + format + " " + repo.string());
    EXPECT_EQ(r.status, 1) << format;
    EXPECT_EQ(leaks(r.out), "") << format << " leaks a secret:\n" << r.out;
    quoted_path = quoted_path || r.out.find("/home/alice/hf_") != std::string::npos;
  }
  EXPECT_TRUE(quoted_path) << "DAT003 should quote the masked path";
  fs::path base = t.path() / "baseline.json";
  run("XDG_CACHE_HOME=" + cache + " " + lint() + "check --write-baseline " + base.string() + " " +
      repo.string());
  ASSERT_TRUE(fs::exists(base));
  EXPECT_EQ(leaks(read(base)), "") << read(base);
  // The warm run (facts from the cache) masks the same way, so the baseline still holds.
  Proc warm = run("XDG_CACHE_HOME=" + cache + " " + lint() + "check --baseline " + base.string() + " " +
                  repo.string());
  EXPECT_EQ(warm.status, 0) << warm.out;
  for (const auto& e : fs::recursive_directory_iterator(cache))
    if (e.is_regular_file()) {
      EXPECT_EQ(leaks(read(e.path())), "") << "the cache holds a secret";
    }
}

TEST(OutputBytes, ASecretInAFileNameIsMaskedInPaths) {
  TempDir t;
  const std::string ghp = "ghp_" + std::string("Zq8xW2vN5mR7tY1uI3oP6aS9dF4gH0jK2lC5");
  t.write("tokens/" + ghp + "-prep.py", "import pandas as pd\ndf = pd.read_csv('/home/alice/data/x.csv')\n");
  for (const char* format : {"text", "json", "sarif", "github", "gitlab", "junit", "markdown"}) {
    Proc r =
        run(lint() + "check --no-cache --select DAT003 --format " + format + " " + quote(t.str()), false);
    EXPECT_EQ(r.status, 1) << format << r.out;
    EXPECT_EQ(r.out.find(ghp.substr(4)), std::string::npos) << format << " leaks the token:\n" << r.out;
    // SARIF locations are URIs: the mask is percent-encoded there.
    std::string masked = std::string(format) == "sarif" ? "ghp_%2A%2A%2A%2A-prep.py" : "ghp_****-prep.py";
    EXPECT_NE(r.out.find(masked), std::string::npos) << format << ":\n" << r.out;
  }
}

}  // namespace
