// Tests of secret detection and masking: every occurrence, URL credentials, other rules' texts.
#include "analysers/secrets.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include "analysers/file_analyser.h"

namespace mlops {
namespace {

FileQuery content(const std::string& pattern, std::vector<std::string> prefilter = {}) {
  FileQuery q;
  q.kind = QueryKind::Content;
  q.pattern = pattern;
  q.regex = mlops::Regex::compiled(pattern);
  q.prefilter = std::move(prefilter);
  return q;
}

const std::string kGhp = "ghp_" + std::string(36, 'A');
const std::string kHex = "9b1d0c7e5a3f2e8d6c4b2a0918273645fedcba98";

TEST(Secrets, MaskTokenKeepsAQuarterAtMostFourCharacters) {
  EXPECT_EQ(mask_token(kHex), "9b1d****");
  EXPECT_EQ(mask_token("abcdefgh"), "ab****");
  EXPECT_EQ(mask_token("ab"), "****");
}

TEST(Secrets, BuiltinFormatsAndUrlCredentialsAreMaskedEverywhereInAText) {
  SecretScanner s(std::vector<FileQuery>{});
  std::string two = "a=" + kGhp + " b=" + kGhp;
  EXPECT_EQ(s.mask(two), "a=ghp_**** b=ghp_****");
  EXPECT_EQ(s.mask("git+https://user:" + kGhp + "@github.com/org/repo.git"),
            "git+https://user:ghp_****@github.com/org/repo.git");
  EXPECT_EQ(s.mask("https://admin:hunter2secret@db.example/x"), "https://admin:hun****@db.example/x");
  EXPECT_EQ(s.mask("https://" + kGhp + "@github.com/x"), "https://ghp_****@github.com/x");
  // Variable references, plain URLs and ssh users are not secrets.
  EXPECT_EQ(s.mask("https://user:${TOKEN}@host/x"), "https://user:${TOKEN}@host/x");
  EXPECT_EQ(s.mask("https://github.com/org/repo"), "https://github.com/org/repo");
  EXPECT_EQ(s.mask("ssh://git@github.com/org/repo"), "ssh://git@github.com/org/repo");
  // Masking is stable: a masked text is not masked again differently.
  EXPECT_EQ(s.mask(s.mask(two)), s.mask(two));
}

TEST(Secrets, RulePatternsFindEveryMatchOnALine) {
  std::vector<FileQuery> qs = {content(R"(KEY=(?P<secret>[0-9a-f]{40}))", {"KEY"})};
  SecretScanner s(qs);
  std::string line = "KEY=" + kHex + " KEY=" + std::string(40, 'e');
  auto found = s.find(line);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(s.mask(line), "KEY=9b1d**** KEY=eeee****");
}

TEST(Secrets, KnownLiteralsAreMaskedWithoutTheirContext) {
  SecretScanner s(std::vector<FileQuery>{});
  EXPECT_EQ(s.mask("login(" + kHex + ")", {kHex}), "login(9b1d****)");
  // A snippet cut inside a secret.
  EXPECT_EQ(s.mask("login(" + kHex.substr(0, 20), {kHex}), "login(9b1d****");
  // Too short to propagate: a two-letter e-mail local part does not mask every "jo".
  EXPECT_EQ(s.mask("join the jo club", {"jo"}), "join the jo club");
}

FileFacts analyse(const std::string& path, const std::string& bytes, const std::vector<FileQuery>& qs) {
  FileEntry e;
  e.path = path;
  e.size = bytes.size();
  std::vector<size_t> all;
  for (size_t i = 0; i < qs.size(); ++i) all.push_back(i);
  return analyse_file(e, bytes, qs, all);
}

TEST(Secrets, FactsRecordSpansAndEveryQueryTextIsMasked) {
  // Query 0 is the secret rule, query 1 another rule that quotes the same line.
  std::vector<FileQuery> qs = {content(R"(WANDB_API_KEY\s*=\s*"(?P<secret>[0-9a-f]{40}))", {"WANDB_API_KEY"}),
                               content(R"(print\(.*\))")};
  std::string second(40, 'c');
  std::string bytes = "x = 1\nWANDB_API_KEY = \"" + kHex + "\"; WANDB_API_KEY = \"" + second +
                      "\"\nprint(\"" + kHex + "\")\n";
  FileFacts f = analyse("train.py", bytes, qs);
  ASSERT_EQ(f.secrets.size(), 2u);
  EXPECT_EQ(f.secrets[0], (SecretSpan{2, 18, 40}));
  EXPECT_EQ(f.secrets[1].line, 2);
  ASSERT_EQ(f.query_matches.size(), 2u);
  for (const auto& [q, group] : f.query_matches.lists())
    for (const auto& m : group) {
      EXPECT_EQ(m.text.find(kHex), std::string::npos) << m.text;
      EXPECT_EQ(m.text.find(second), std::string::npos) << m.text;
    }
  EXPECT_EQ(f.query_matches[1][0].text, "print(\"9b1d****\")");
}

TEST(Secrets, RequirementUrlCredentialsAreMaskedInDependencySnippets) {
  FileQuery q;
  q.kind = QueryKind::DependencyUnpinned;
  std::string bytes = "numpy\ngit+https://user:" + kGhp + "@github.com/org/pkg.git#egg=pkg\n";
  FileFacts f = analyse("requirements.txt", bytes, {q});
  ASSERT_FALSE(f.query_matches.empty());
  bool saw_url = false;
  for (const auto& m : f.query_matches[0]) {
    EXPECT_EQ(m.text.find(kGhp), std::string::npos) << m.text;
    saw_url = saw_url || m.text.find("ghp_****@github.com") != std::string::npos;
  }
  EXPECT_TRUE(saw_url);
  EXPECT_EQ(f.secrets.size(), 1u);
}

TEST(Secrets, AFileOfTokensIsBoundedAndStillMasked) {
  // Thousands of distinct tokens, each quoted by a query: spans and literals stop at the cap, the
  // patterns still mask every text.
  std::string bytes;
  for (int i = 0; i < 5000; ++i)
    bytes += "t = 'ghp_" + std::to_string(100000 + i) + std::string(30, 'x') + "'\n";
  FileFacts f = analyse("tokens.py", bytes, {content(R"(t = .*)")});
  EXPECT_EQ(f.secrets.size(), kMaxSecretsPerFile);
  ASSERT_FALSE(f.query_matches.empty());
  for (const auto& m : f.query_matches[0]) EXPECT_EQ(m.text, "t = 'ghp_****'");
}

TEST(Secrets, RepetitiveSecretsAndTextsStayLinear) {
  SecretScanner s(std::vector<FileQuery>{});
  std::string long_secret(kMaxPropagatedSecret, 'a');
  std::string text = "x=" + std::string(kMaxPropagatedSecret / 2, 'a');
  // The text ends with a prefix of the secret: masked from where the secret starts at the latest.
  std::string masked = s.mask(text, {long_secret});
  EXPECT_EQ(masked.find(std::string(16, 'a')), std::string::npos) << masked.substr(0, 40);
}

TEST(Secrets, PlaceholdersAreNoCredentials) {
  EXPECT_TRUE(looks_like_placeholder("your-dagshub-token"));
  EXPECT_TRUE(looks_like_placeholder("<YOUR_API_KEY_HERE>"));
  EXPECT_TRUE(looks_like_placeholder("CHANGEME_BEFORE_DEPLOYING"));
  EXPECT_TRUE(looks_like_placeholder("xxxxxxxxxxxxxxxxxxxx"));
  EXPECT_TRUE(looks_like_placeholder("example-password-123"));
  EXPECT_FALSE(looks_like_placeholder("9f3b2c7d1e8a4f6b0c5d"));
  EXPECT_FALSE(looks_like_placeholder("s3cr3t-Passw0rd-2024"));
  EXPECT_FALSE(looks_like_placeholder(""));
}

}  // namespace
}  // namespace mlops
