// Secrets as a property of the text, not of one rule: every credential the rule set's secret
// patterns (capture groups named `secret...`) or the built-in formats (URL userinfo passwords,
// GitHub / GitLab / Slack / Hugging Face / AWS / OpenAI tokens) find is masked in every text that
// leaves the engine, whichever rule quotes it, and before anything is hashed or cached.
#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analysers/query.h"

namespace re2 {
class RE2;
}

namespace mlops {

// The one look of a masked secret: its first characters (at most 4, at most a quarter of it)
// then `****`, so a user can tell which key it was: "3f8a****".
std::string mask_token(std::string_view secret);

// A value written to be replaced, not a credential: `your-dagshub-token`, `<API_KEY>`,
// `changeme`, `xxxxxxxx`, `example-password` (as in `.env.example` files and docs).
bool looks_like_placeholder(std::string_view value);

// A byte range [begin, end) of a text that holds a secret.
struct SecretRange {
  size_t begin = 0, end = 0;
};

class SecretScanner {
 public:
  // Uses the secret groups of every regex in `queries` (plus the built-in formats).
  explicit SecretScanner(const std::vector<FileQuery>& queries);
  ~SecretScanner();
  SecretScanner(const SecretScanner&) = delete;
  SecretScanner& operator=(const SecretScanner&) = delete;

  // Every secret in `text`, line by line (rule patterns are written for one line), all matches
  // of every pattern; sorted, possibly overlapping.
  std::vector<SecretRange> find(std::string_view text) const;

  // `text` with each literal of `known` (the file's secrets, longest first) and each secret the
  // patterns find in it masked.
  std::string mask(std::string_view text, const std::vector<std::string>& known = {}) const;

 private:
  struct Pattern;
  std::vector<Pattern> patterns_;
};

// Literals shorter than this are masked only where a pattern finds them, not wherever they occur
// (a two-letter e-mail local part must not mask every "jo" in a report).
inline constexpr size_t kMinPropagatedSecret = 8;
// Longer ones too (keys are shorter; a megabyte "secret" would make every search slow).
inline constexpr size_t kMaxPropagatedSecret = 1024;

// Secrets of one file recorded and masked as literals; past this (a hostile file of tokens) the
// patterns alone mask, so the cost stays linear in the texts.
inline constexpr size_t kMaxSecretsPerFile = 256;

}  // namespace mlops
