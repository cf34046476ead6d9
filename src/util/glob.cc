// Iterative glob matcher: linear-ish backtracking over '*' and '**', no recursion blow-up.
#include "util/glob.h"

#include <algorithm>
#include <vector>

namespace mlops {
namespace {

// Matches one character class starting at glob[gi] == '['; returns false on no match and sets
// `end` to the index after the closing ']'. A '[' with no closing ']' matches itself literally.
bool match_class(std::string_view glob, size_t gi, char c, size_t& end, bool& valid) {
  size_t i = gi + 1;
  bool negate = false;
  if (i < glob.size() && (glob[i] == '!' || glob[i] == '^')) {
    negate = true;
    ++i;
  }
  bool matched = false;
  bool first = true;
  while (i < glob.size() && (glob[i] != ']' || first)) {
    first = false;
    char lo = glob[i];
    if (i + 2 < glob.size() && glob[i + 1] == '-' && glob[i + 2] != ']') {
      char hi = glob[i + 2];
      if (c >= lo && c <= hi) matched = true;
      i += 3;
    } else {
      if (c == lo) matched = true;
      ++i;
    }
  }
  if (i >= glob.size()) {
    valid = false;
    return false;
  }
  valid = true;
  end = i + 1;
  return matched != negate;
}

}  // namespace

bool glob_match_full(std::string_view glob, std::string_view text) {
  // Backtracking points for the most recent '*' and '**'. '**' may cross '/', '*' may not.
  size_t gi = 0, ti = 0;
  size_t star_g = std::string_view::npos, star_t = 0;
  size_t dstar_g = std::string_view::npos, dstar_t = 0;
  bool dstar_boundary = false;  // "**/" resumes only at the start of a path segment
  while (ti < text.size() || gi < glob.size()) {
    if (gi < glob.size()) {
      char g = glob[gi];
      if (g == '*') {
        if (gi + 1 < glob.size() && glob[gi + 1] == '*') {
          // '**/' may also match zero directories.
          size_t next = gi + 2;
          dstar_boundary = next < glob.size() && glob[next] == '/';
          if (dstar_boundary) ++next;
          dstar_g = next;
          dstar_t = ti;
          star_g = std::string_view::npos;
          gi = next;
          continue;
        }
        star_g = gi + 1;
        star_t = ti;
        gi = gi + 1;
        continue;
      }
      if (ti < text.size()) {
        char c = text[ti];
        if (g == '?' && c != '/') {
          ++gi;
          ++ti;
          continue;
        }
        if (g == '[') {
          size_t end = 0;
          bool valid = false;
          bool m = match_class(glob, gi, c, end, valid);
          if (valid) {
            if (m && c != '/') {
              gi = end;
              ++ti;
              continue;
            }
          } else if (c == '[') {
            ++gi;
            ++ti;
            continue;
          }
        } else if (g == '\\' && gi + 1 < glob.size()) {
          if (glob[gi + 1] == c) {
            gi += 2;
            ++ti;
            continue;
          }
        } else if (g == c) {
          ++gi;
          ++ti;
          continue;
        }
      }
    }
    // Mismatch: backtrack to the innermost star first.
    if (star_g != std::string_view::npos && star_t < text.size() && text[star_t] != '/') {
      ++star_t;
      gi = star_g;
      ti = star_t;
      continue;
    }
    if (dstar_g != std::string_view::npos && dstar_t < text.size()) {
      ++dstar_t;
      if (dstar_boundary) {
        while (dstar_t < text.size() && text[dstar_t - 1] != '/') ++dstar_t;
        if (text[dstar_t - 1] != '/') return false;
      }
      gi = dstar_g;
      ti = dstar_t;
      star_g = std::string_view::npos;
      continue;
    }
    return false;
  }
  return true;
}

bool glob_match(std::string_view glob, std::string_view path) {
  if (!glob.empty() && glob.front() == '/') return glob_match_full(glob.substr(1), path);
  if (glob.find('/') == std::string_view::npos) {
    size_t slash = path.rfind('/');
    std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
    return glob_match_full(glob, base);
  }
  return glob_match_full(glob, path);
}

namespace {

// In order, the last glob that matches decides (as in .gitignore).
template <typename Match>
bool last_match_decides(const std::vector<std::string>& globs, std::string_view text, Match match) {
  if (globs.empty()) return false;
  bool matched = globs.front().starts_with('!');
  for (const auto& g : globs) {
    bool negated = g.starts_with('!');
    if (matched == !negated) continue;  // this glob could not change the answer
    if (match(negated ? std::string_view(g).substr(1) : std::string_view(g), text)) matched = !negated;
  }
  return matched;
}

}  // namespace

bool matches_globs(const std::vector<std::string>& globs, std::string_view path) {
  return last_match_decides(globs, path, glob_match);
}

bool matches_names(const std::vector<std::string>& globs, std::string_view name) {
  return last_match_decides(globs, name, glob_match_full);
}

namespace {

bool plain(std::string_view s) {
  return s.find_first_of("*?[\\") == std::string_view::npos;
}

}  // namespace

GlobList::GlobList(const std::vector<std::string>& globs) {
  globs_.reserve(globs.size());
  for (const auto& raw : globs) {
    Glob g;
    g.negated = raw.starts_with('!');
    std::string_view s = raw;
    if (g.negated) s.remove_prefix(1);
    g.glob = std::string(s);
    // NAME as a literal or PREFIX*MIDDLE*...*SUFFIX (no '/', nothing special but '*').
    auto set_name = [&](std::string_view name) {
      if (name.empty() || name.find('/') != std::string_view::npos) return false;
      const size_t star = name.find('*');
      if (star == std::string_view::npos) {
        if (!plain(name)) return false;
        g.prefix = std::string(name);
        return true;
      }
      if (name.find("**") != std::string_view::npos) return false;  // may cross '/' after a directory
      const size_t last = name.rfind('*');
      std::string_view before = name.substr(0, star), after = name.substr(last + 1);
      if (!plain(before) || !plain(after)) return false;
      std::vector<std::string> middle;
      for (size_t at = star + 1; at < last;) {
        const size_t next = name.find('*', at);
        std::string_view part = name.substr(at, next - at);
        if (!plain(part)) return false;
        if (!part.empty()) middle.emplace_back(part);
        at = next + 1;
      }
      g.star = true;
      g.prefix = std::string(before);
      g.suffix = std::string(after);
      g.middle = std::move(middle);
      return true;
    };
    const bool anchored = s.starts_with('/');
    if (anchored) s.remove_prefix(1);
    if (!anchored && s.starts_with("**/") && s.find('/', 3) == std::string_view::npos) s.remove_prefix(3);
    if (s.find('/') == std::string_view::npos) {
      if (set_name(s)) g.shape = anchored ? Shape::InDir : Shape::Name;
    } else if (s.ends_with("/**")) {
      std::string_view dir = s.substr(0, s.size() - 3);
      if (!dir.empty() && plain(dir)) {
        g.shape = Shape::Under;
        g.dir = std::string(dir) + "/";
      } else if (!anchored && dir.starts_with("**/") && dir.size() > 3 && plain(dir.substr(3))) {
        g.shape = Shape::AnyUnder;
        g.dir = std::string(dir.substr(3)) + "/";
      }
    } else {
      const size_t slash = s.rfind('/');
      std::string_view dir = s.substr(0, slash), name = s.substr(slash + 1);
      if (!dir.empty() && plain(dir) && set_name(name)) {
        g.shape = Shape::InDir;
        g.dir = std::string(dir) + "/";
      } else if (dir.ends_with("/**") && dir.size() > 3 && plain(dir.substr(0, dir.size() - 3)) &&
                 set_name(name)) {
        g.shape = Shape::BelowDir;
        g.dir = std::string(dir.substr(0, dir.size() - 2));
      } else if (!anchored && dir.starts_with("**/") && dir.ends_with("/**") && dir.size() > 6 &&
                 plain(dir.substr(3, dir.size() - 6)) && set_name(name)) {
        g.shape = Shape::AnyBelowDir;
        g.dir = std::string(dir.substr(3, dir.size() - 6)) + "/";
      }
    }
    globs_.push_back(std::move(g));
  }
}

std::string_view path_extension(std::string_view path) {
  const size_t slash = path.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  const size_t dot = base.rfind('.');
  return dot == std::string_view::npos ? std::string_view() : base.substr(dot);
}

// The one extension a path matching `g` has, or nullopt when it may have any. The glob's last
// component matches the path's last one: '*' and '?' stop at '/', and '**' stands for whole
// components (then anything goes).
std::optional<std::string_view> GlobList::extension_of(const Glob& g) {
  std::string_view glob = g.glob;
  const size_t slash = glob.rfind('/');
  const std::string_view last = slash == std::string_view::npos ? glob : glob.substr(slash + 1);
  const size_t star = last.rfind('*');
  if (star == std::string_view::npos) {
    if (!plain(last)) return std::nullopt;
    return path_extension(last);  // the whole name
  }
  // ...*SUFFIX: the name ends with SUFFIX, so its last '.' is SUFFIX's when SUFFIX has one.
  const std::string_view suffix = last.substr(star + 1);
  if (!plain(suffix) || suffix.find('.') == std::string_view::npos) return std::nullopt;
  return path_extension(suffix);
}

std::optional<std::vector<std::string>> GlobList::extensions() const {
  std::vector<std::string> out;
  if (!globs_.empty() && globs_.front().negated) return std::nullopt;  // starts from every path
  for (const auto& g : globs_) {
    if (g.negated) continue;  // takes paths away only
    auto ext = extension_of(g);
    if (!ext) return std::nullopt;
    out.emplace_back(*ext);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::optional<bool> GlobList::answer_for_extension(std::string_view extension) const {
  if (globs_.empty()) return false;
  std::optional<bool> answer = globs_.front().negated;  // nullopt: the path decides
  for (const auto& g : globs_) {
    auto ext = extension_of(g);
    if (ext && *ext != extension) continue;  // matches no such path
    // `*.py` takes in (or `!*.py` out) every path ending ".py", whatever came before; `*` all.
    if (g.shape == Shape::Name && g.star && g.prefix.empty() && g.middle.empty() &&
        (g.suffix.empty() || g.suffix == extension)) {
      answer = !g.negated;
      continue;
    }
    // Matches some such paths: unless it leaves the answer as it is, the path decides.
    if (answer != !g.negated) answer.reset();
  }
  return answer;
}

bool GlobList::name_matches(const Glob& g, std::string_view name) {
  if (!g.star) return name == g.prefix;
  if (name.size() < g.prefix.size() + g.suffix.size() || !name.starts_with(g.prefix) ||
      !name.ends_with(g.suffix))
    return false;
  // `*config*.py`: each middle part, leftmost first, between the prefix and the suffix.
  const size_t end = name.size() - g.suffix.size();
  size_t at = g.prefix.size();
  for (const auto& part : g.middle) {
    at = name.find(part, at);
    if (at == std::string_view::npos || at + part.size() > end) return false;
    at += part.size();
  }
  return true;
}

bool GlobList::matches(std::string_view path) const {
  if (globs_.empty()) return false;
  const size_t slash = path.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  bool matched = globs_.front().negated;
  for (const auto& g : globs_) {
    if (matched == !g.negated) continue;  // this glob could not change the answer
    bool hit = false;
    switch (g.shape) {
      case Shape::Name:
        hit = name_matches(g, base);
        break;
      case Shape::InDir:
        // The path is DIR/ + a name with no further '/'.
        hit = path.starts_with(g.dir) && path.find('/', g.dir.size()) == std::string_view::npos &&
              name_matches(g, path.substr(g.dir.size()));
        break;
      case Shape::BelowDir:
        hit = path.starts_with(g.dir) && name_matches(g, base);
        break;
      case Shape::AnyBelowDir: {
        // "DIR/" at the start or right after a '/', within the directories; then the name.
        const size_t last = path.rfind('/');
        if (last == std::string_view::npos) break;
        const std::string_view dirs = path.substr(0, last + 1);
        for (size_t at = dirs.find(g.dir); at != std::string_view::npos; at = dirs.find(g.dir, at + 1))
          if (at == 0 || dirs[at - 1] == '/') {
            hit = name_matches(g, base);
            break;
          }
        break;
      }
      case Shape::Under:
        hit = path.starts_with(g.dir);
        break;
      case Shape::AnyUnder:
        // "DIR/" at the start or right after a '/'.
        for (size_t at = path.find(g.dir); at != std::string_view::npos; at = path.find(g.dir, at + 1))
          if (at == 0 || path[at - 1] == '/') {
            hit = true;
            break;
          }
        break;
      case Shape::General:
        hit = glob_match(g.glob, path);
        break;
    }
    if (hit) matched = !g.negated;
  }
  return matched;
}

}  // namespace mlops
