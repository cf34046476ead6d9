// Content queries (RE2 over a file's lines) and the snippet and secret-masking helpers every
// answer function shares.
#include <algorithm>

#include "analysers/answer.h"
#include "analysers/secrets.h"

namespace mlops {
namespace {

// Text captured by a group whose name starts with `secret` (RE2 names must be unique: secret,
// secret2, ...) never leaves the analyser unmasked: not in findings, not in the cache. A few
// characters stay so a user can tell which key it was.
// At most `cap` bytes of the result are built: a match on a 10 MB line must not copy the line.
std::string mask_secret(std::string_view line, std::string_view secret, size_t cap) {
  size_t off = static_cast<size_t>(secret.data() - line.data());
  std::string out(line.substr(0, std::min(off, cap)));
  if (out.size() >= cap) return out;
  out += mask_token(secret);
  if (out.size() < cap) out += line.substr(off + secret.size(), cap - out.size());
  return out;
}

}  // namespace

std::string snippet(std::string_view s) {
  size_t a = s.find_first_not_of(" \t");
  if (a == std::string_view::npos) return {};
  s = s.substr(a);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s.substr(0, kMaxSnippetBytes));
}

void push(std::vector<Match>& out, Match m) {
  if (out.size() < kMaxMatchesPerQuery) out.push_back(std::move(m));
}

SecretGroups secret_groups(const RE2& re) {
  SecretGroups sg;
  for (const auto& [name, index] : re.NamedCapturingGroups())
    if (name.rfind("secret", 0) == 0) {
      sg.groups.push_back(index);
      sg.needed = std::max(sg.needed, index + 1);
    }
  return sg;
}

// The first secret group that took part in a match is a placeholder (`your-api-token`): the
// line shows where a credential goes, and holds none.
bool placeholder_secret(const SecretGroups& sg, const std::vector<re2::StringPiece>& subs) {
  for (int g : sg.groups) {
    const auto& piece = subs[static_cast<size_t>(g)];
    if (piece.data() != nullptr) return looks_like_placeholder(std::string_view(piece.data(), piece.size()));
  }
  return false;
}

// `text` with the first participating secret group masked, at most `cap` bytes of it.
std::string masked(std::string_view text, const SecretGroups& sg, const std::vector<re2::StringPiece>& subs,
                   size_t cap) {
  for (int g : sg.groups) {
    const auto& piece = subs[static_cast<size_t>(g)];
    if (piece.data() != nullptr) return mask_secret(text, std::string_view(piece.data(), piece.size()), cap);
  }
  return std::string(text.substr(0, cap));
}

void answer_content(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out) {
  const std::string_view bytes = parsed.bytes();
  const RE2& re = *q.regex;
  // One pass over the whole buffer rejects most files before any per-line work.
  if (!RE2::PartialMatch(bytes, re)) return;
  const SecretGroups sg = secret_groups(re);
  std::vector<re2::StringPiece> subs(static_cast<size_t>(sg.needed));
  int line = 0;
  size_t pos = 0;
  while (pos < bytes.size() && out.size() < kMaxMatchesPerQuery) {
    size_t nl = bytes.find('\n', pos);
    if (nl == std::string_view::npos) nl = bytes.size();
    std::string_view text = bytes.substr(pos, nl - pos);
    ++line;
    if (re.Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::UNANCHORED, subs.data(),
                 sg.needed) &&
        !placeholder_secret(sg, subs)) {
      int column = static_cast<int>(subs[0].data() - text.data()) + 1;
      push(out, {line, column, 0, 0, snippet(masked(text, sg, subs))});
    }
    pos = nl + 1;
  }
}

}  // namespace mlops
