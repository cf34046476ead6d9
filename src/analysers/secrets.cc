// Secret detection and masking shared by the analyser (before facts are cached) and the engine
// (before findings are fingerprinted and reported).
#include "analysers/secrets.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <mutex>

namespace mlops {

// A pattern's secret groups, found when a text first passes its prefilter: finding them compiles
// the pattern, which most runs never need.
// (Not answer.h's SecretGroups: two classes of one name break the one-definition rule.)
struct LazySecretGroups {
  std::once_flag once;
  std::vector<int> groups;  // capture groups named secret*
  int needed = 1;           // submatches to capture so every secret group is seen
};

// A literal a text must hold for a pattern to match it, followed by at least `run` characters
// of a token ([A-Za-z0-9_-]): `hf_` starts both a token and `hf_device_map`, which is no reason to
// search a file for tokens.
struct SecretLiteral {
  std::string text;
  size_t run = 0;
};

struct SecretScanner::Pattern {
  Regex re;
  std::shared_ptr<LazySecretGroups> groups;
  std::vector<SecretLiteral> prefilter;  // one must occur for the pattern to match
};

namespace {

// Credentials that say what they are, wherever they appear. Each prefix is also a prefilter
// literal: most texts hold none, and are then not searched at all.
constexpr const char* kTokenPattern =
    R"(\b(?P<secret>gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}|glpat-[A-Za-z0-9_-]{20,}|)"
    R"(xox[abposr]-[A-Za-z0-9-]{10,}|hf_[A-Za-z0-9]{30,}|(?:AKIA|ASIA)[0-9A-Z]{16}|sk-(?:proj-)?[A-Za-z0-9_-]{32,}))";
// Each with the shortest token the pattern accepts after it.
const std::vector<SecretLiteral> kTokenPrefilter = {
    {"ghp_", 36},   {"gho_", 36}, {"ghu_", 36}, {"ghs_", 36}, {"ghr_", 36}, {"github_pat_", 22},
    {"glpat-", 20}, {"xox", 12},  {"hf_", 30},  {"AKIA", 16}, {"ASIA", 16}, {"sk-", 32}};

// Passwords in URL userinfo (`git+https://user:ghp_...@github.com/...`, `https://user:pass@host`)
// and tokens standing alone there. A `$` or `{` first is a variable reference, not a secret.
constexpr const char* kUrlPattern =
    R"([A-Za-z][A-Za-z0-9+.-]*://[^/?#@\s:]*:(?P<secret>[^/?#@\s${][^/?#@\s]*)@)"
    R"(|://(?P<secret2>[^/?#@\s:${][^/?#@\s:]{15,})@)";
const std::vector<SecretLiteral> kUrlPrefilter = {{"://", 0}};

bool token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
}

// Some occurrence of the literal is followed by a long enough token.
bool holds(std::string_view text, const SecretLiteral& lit) {
  for (size_t pos = text.find(lit.text); pos != std::string_view::npos; pos = text.find(lit.text, pos + 1)) {
    size_t end = pos + lit.text.size(), n = 0;
    while (n < lit.run && end + n < text.size() && token_char(text[end + n])) ++n;
    if (n >= lit.run) return true;
  }
  return false;
}

bool secret_groups(const RE2& re, std::vector<int>& groups, int& needed) {
  for (const auto& [name, index] : re.NamedCapturingGroups())
    if (name.rfind("secret", 0) == 0) {
      groups.push_back(index);
      needed = std::max(needed, index + 1);
    }
  return !groups.empty();
}

// Every match of `re` in `line` (the text of the match, as rule patterns expect one line, `^`
// included), as ranges of the text it starts at offset `base` of.
void matches_in_line(const RE2& re, const std::vector<int>& groups, int needed, std::string_view line,
                     size_t base, std::vector<SecretRange>& out) {
  std::vector<re2::StringPiece> subs(static_cast<size_t>(needed));
  re2::StringPiece whole(line.data(), line.size());
  size_t pos = 0;
  while (pos <= line.size() && re.Match(whole, pos, line.size(), RE2::UNANCHORED, subs.data(), needed)) {
    for (int g : groups) {
      const auto& piece = subs[static_cast<size_t>(g)];
      if (piece.data() == nullptr || piece.empty()) continue;
      size_t b = base + static_cast<size_t>(piece.data() - line.data());
      out.push_back({b, b + piece.size()});
    }
    size_t end = static_cast<size_t>(subs[0].data() - line.data()) + subs[0].size();
    pos = std::max(end, pos + 1);
  }
}

}  // namespace

bool looks_like_placeholder(std::string_view value) {
  std::string lower(value);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  static constexpr std::string_view kWords[] = {"your",    "<",     "changeme",    "change_me", "change-me",
                                                "example", "dummy", "placeholder", "replace",   "redacted"};
  for (std::string_view w : kWords)
    if (lower.find(w) != std::string::npos) return true;
  // One character repeated (`xxxxxxxxxxxxxxxx`, `****************`).
  return !lower.empty() && lower.find_first_not_of(lower[0]) == std::string::npos;
}

std::string mask_token(std::string_view secret) {
  return std::string(secret.substr(0, std::min<size_t>(4, secret.size() / 4))) + "****";
}

SecretScanner::SecretScanner(const std::vector<FileQuery>& queries) {
  static const Regex tokens = Regex::lazy(kTokenPattern);
  static const Regex urls = Regex::lazy(kUrlPattern);
  for (const auto& [re, prefilter] : {std::pair{tokens, &kTokenPrefilter}, std::pair{urls, &kUrlPrefilter}})
    patterns_.push_back({re, std::make_shared<LazySecretGroups>(), *prefilter});
  for (const auto& q : queries) {
    // Only a pattern with a group named secret* masks anything; one whose text cannot hold such
    // a group is not compiled here (rule patterns are compiled when first used).
    if (!q.regex || q.regex.pattern().find("<secret") == std::string::npos) continue;
    if (std::any_of(patterns_.begin(), patterns_.end(), [&](const Pattern& p) { return p.re == q.regex; }))
      continue;
    std::vector<SecretLiteral> literals;
    for (const auto& lit : q.prefilter) literals.push_back({lit, 0});
    patterns_.push_back({q.regex, std::make_shared<LazySecretGroups>(), std::move(literals)});
  }
}

SecretScanner::~SecretScanner() = default;

std::vector<SecretRange> SecretScanner::find(std::string_view text) const {
  std::vector<SecretRange> out;
  for (const auto& p : patterns_) {
    if (!p.prefilter.empty() && std::none_of(p.prefilter.begin(), p.prefilter.end(),
                                             [&](const SecretLiteral& lit) { return holds(text, lit); }))
      continue;
    LazySecretGroups& g = *p.groups;
    std::call_once(g.once, [&] {
      if (p.re->ok()) secret_groups(*p.re, g.groups, g.needed);
    });
    if (g.groups.empty()) continue;  // no group named secret*: the pattern masks nothing
    // One pass over the whole text rejects most before any per-line work.
    if (!RE2::PartialMatch(re2::StringPiece(text.data(), text.size()), *p.re)) continue;
    for (size_t begin = 0; begin <= text.size();) {
      size_t nl = text.find('\n', begin);
      if (nl == std::string_view::npos) nl = text.size();
      matches_in_line(*p.re, g.groups, g.needed, text.substr(begin, nl - begin), begin, out);
      begin = nl + 1;
    }
  }
  std::sort(out.begin(), out.end(), [](const SecretRange& a, const SecretRange& b) {
    return a.begin < b.begin || (a.begin == b.begin && a.end > b.end);
  });
  // A token inside a URL password is found by both patterns: one range.
  out.erase(std::unique(out.begin(), out.end(),
                        [](const SecretRange& a, const SecretRange& b) {
                          return a.begin == b.begin && a.end == b.end;
                        }),
            out.end());
  return out;
}

std::string SecretScanner::mask(std::string_view text, const std::vector<std::string>& known) const {
  std::vector<SecretRange> ranges = find(text);
  for (const auto& k : known) {
    if (k.size() < kMinPropagatedSecret || k.size() > kMaxPropagatedSecret) continue;
    for (size_t at = text.find(k); at != std::string_view::npos; at = text.find(k, at + k.size()))
      ranges.push_back({at, at + k.size()});
    // A snippet cut short may end inside a secret: it then ends with a prefix of it, whose last
    // characters occur in the secret where the cut is. The longest such prefix is masked; a few
    // tries only, so a run of one repeated character cannot make this quadratic.
    size_t limit = std::min(text.size(), k.size() - 1);
    if (limit < kMinPropagatedSecret) continue;
    std::string_view tail = text.substr(text.size() - kMinPropagatedSecret);
    int tries = 16;
    for (size_t at = k.rfind(tail, limit - tail.size()); at != std::string::npos && tries-- > 0;
         at = at == 0 ? std::string::npos : k.rfind(tail, at - 1)) {
      size_t n = at + tail.size();
      if (text.substr(text.size() - n) == std::string_view(k).substr(0, n)) {
        ranges.push_back({text.size() - n, text.size()});
        break;
      }
    }
  }
  if (ranges.empty()) return std::string(text);
  std::sort(ranges.begin(), ranges.end(), [](const SecretRange& a, const SecretRange& b) {
    return a.begin < b.begin || (a.begin == b.begin && a.end > b.end);
  });
  // Overlapping secrets (a token inside a URL password) are masked as one.
  std::string out;
  size_t done = 0;
  for (size_t i = 0; i < ranges.size();) {
    size_t b = ranges[i].begin, e = ranges[i].end;
    for (++i; i < ranges.size() && ranges[i].begin < e; ++i) e = std::max(e, ranges[i].end);
    out += text.substr(done, b - done);
    out += mask_token(text.substr(b, e - b));
    done = e;
  }
  out += text.substr(done);
  return out;
}

}  // namespace mlops
