// The pin-from-lock fixer (DEP002, safe): pins an unpinned requirement to the one version the
// project's lock files, or its requirements compiled by pip-compile / uv, resolve for it
// (`numpy>=1.20` -> `numpy==1.26.4`), keeping extras, markers, comments, quoting and line breaks.
// Safe because the lock already installs that version; it declines when no lock names the
// package, locks disagree, or the locked version falls outside the requirement's own specifier.
#include "fix/fixers/pin_from_lock.h"

#include <re2/re2.h>

#include <toml++/toml.h>
#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>

#include "analysers/lock_files.h"
#include "analysers/manifests.h"
#include "fix/edits.h"
#include "util/toml_guard.h"
#include "util/yaml_load.h"

namespace mlops {
namespace {

std::string_view trim_view(std::string_view s) {
  size_t a = s.find_first_not_of(" \t");
  if (a == std::string_view::npos) return {};
  size_t b = s.find_last_not_of(" \t");
  return s.substr(a, b - a + 1);
}

bool to_long(const std::string& digits, long& out) {
  if (digits.empty() || digits.size() > 18) return false;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  return ec == std::errc() && p == digits.data() + digits.size();
}

// Local labels order segment by segment: numbers numerically and after any letters.
int compare_local(const std::string& a, const std::string& b) {
  if (a.empty() || b.empty()) return a.empty() == b.empty() ? 0 : (a.empty() ? -1 : 1);
  auto split = [](const std::string& s) {
    std::vector<std::string> out(1);
    for (char c : s)
      if (c == '.' || c == '-' || c == '_')
        out.emplace_back();
      else
        out.back() += c;
    return out;
  };
  auto sa = split(a), sb = split(b);
  for (size_t i = 0; i < std::min(sa.size(), sb.size()); ++i) {
    long na = 0, nb = 0;
    bool da = to_long(sa[i], na) && std::all_of(sa[i].begin(), sa[i].end(), ::isdigit);
    bool db = to_long(sb[i], nb) && std::all_of(sb[i].begin(), sb[i].end(), ::isdigit);
    if (da && db) {
      if (na != nb) return na < nb ? -1 : 1;
    } else if (da != db) {
      return da ? 1 : -1;
    } else if (sa[i] != sb[i]) {
      return sa[i] < sb[i] ? -1 : 1;
    }
  }
  return sa.size() == sb.size() ? 0 : (sa.size() < sb.size() ? -1 : 1);
}

bool same_release(const Pep440Version& a, const Pep440Version& b) {
  if (a.epoch != b.epoch) return false;
  for (size_t i = 0; i < std::max(a.release.size(), b.release.size()); ++i) {
    long x = i < a.release.size() ? a.release[i] : 0;
    long y = i < b.release.size() ? b.release[i] : 0;
    if (x != y) return false;
  }
  return true;
}

// Epoch and the first prefix.size() release numbers equal (`==1.4.*`).
bool release_prefix(const Pep440Version& v, long epoch, const std::vector<long>& prefix) {
  if (v.epoch != epoch) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if ((i < v.release.size() ? v.release[i] : 0) != prefix[i]) return false;
  return true;
}

bool is_pre(const Pep440Version& v) {
  return v.pre_kind >= 0 || v.dev >= 0;
}

// One clause (`>=1.2`, `==1.4.*`) against a candidate; nullopt when it cannot be read.
std::optional<bool> clause_holds(std::string_view op, std::string_view text, std::string_view candidate_text,
                                 const Pep440Version& candidate) {
  if (op == "===") {
    if (text.size() != candidate_text.size()) return false;
    for (size_t i = 0; i < text.size(); ++i)
      if (std::tolower(static_cast<unsigned char>(text[i])) !=
          std::tolower(static_cast<unsigned char>(candidate_text[i])))
        return false;
    return true;
  }
  bool wildcard = text.ends_with(".*");
  if (wildcard && op != "==" && op != "!=") return std::nullopt;
  auto spec = parse_pep440(wildcard ? text.substr(0, text.size() - 2) : text);
  if (!spec) return std::nullopt;
  Pep440Version pub = candidate;
  pub.local.clear();  // a candidate's local label is ignored unless the specifier names one
  if (wildcard) {
    if (spec->pre_kind >= 0 || spec->post >= 0 || spec->dev >= 0 || !spec->local.empty()) return std::nullopt;
    bool m = release_prefix(candidate, spec->epoch, spec->release);
    return op == "==" ? m : !m;
  }
  if (op == "==" || op == "!=") {
    bool m = compare_pep440(spec->local.empty() ? pub : candidate, *spec) == 0;
    return op == "==" ? m : !m;
  }
  if (!spec->local.empty()) return std::nullopt;  // ordered comparisons take no local label
  int c = compare_pep440(pub, *spec);
  if (op == "<=") return c <= 0;
  if (op == ">=") return c >= 0;
  if (op == "<") return c < 0 && !(!is_pre(*spec) && is_pre(pub) && same_release(pub, *spec));
  if (op == ">") return c > 0 && !(spec->post < 0 && pub.post >= 0 && same_release(pub, *spec));
  if (op == "~=") {
    if (spec->release.size() < 2) return std::nullopt;
    std::vector<long> prefix(spec->release.begin(), spec->release.end() - 1);
    return c >= 0 && release_prefix(pub, spec->epoch, prefix);
  }
  return std::nullopt;
}

// Where the parts of a PEP 508 requirement are: name (+ extras) ends at head_end, the version
// specifier is [spec_start, spec_end) (empty when absent: both at head_end), then a marker.
struct RequirementSpan {
  size_t head_end = 0, spec_start = 0, spec_end = 0;
};

std::optional<RequirementSpan> split_requirement(std::string_view req) {
  size_t i = 0;
  while (i < req.size() && (req[i] == ' ' || req[i] == '\t')) ++i;
  if (i == req.size() || !std::isalnum(static_cast<unsigned char>(req[i]))) return std::nullopt;
  while (i < req.size() && (std::isalnum(static_cast<unsigned char>(req[i])) || req[i] == '.' ||
                            req[i] == '_' || req[i] == '-'))
    ++i;
  RequirementSpan s;
  s.head_end = i;
  size_t j = i;
  while (j < req.size() && (req[j] == ' ' || req[j] == '\t')) ++j;
  if (j < req.size() && req[j] == '[') {
    size_t close = req.find(']', j);
    if (close == std::string_view::npos) return std::nullopt;
    s.head_end = close + 1;
  }
  size_t marker = std::min(req.find(';', s.head_end), req.size());
  std::string_view spec = req.substr(s.head_end, marker - s.head_end);
  size_t a = spec.find_first_not_of(" \t");
  if (a == std::string_view::npos) {
    s.spec_start = s.spec_end = s.head_end;
  } else {
    s.spec_start = s.head_end + a;
    s.spec_end = s.head_end + spec.find_last_not_of(" \t") + 1;
  }
  return s;
}

// The version a lock entry pins (`numpy==1.26.4`, maybe with a marker); empty when it names none.
std::string pinned_version(std::string_view spec) {
  auto s = split_requirement(spec);
  if (!s) return {};
  std::string_view v = spec.substr(s->spec_start, s->spec_end - s->spec_start);
  if (!v.starts_with("==") || v.starts_with("===")) return {};
  v = trim_view(v.substr(2));
  if (v.empty() || v.find_first_of(" \t,*") != std::string_view::npos) return {};
  return std::string(v);
}

// The packages a lock file pins; nullopt when it cannot be read (then nothing can be said).
std::optional<std::vector<Dependency>> read_lock(const std::string& path, const std::string& bytes) {
  std::string error;
  std::vector<Dependency> deps;
  try {
    switch (lock_kind(path)) {
      case LockKind::TomlPackages: {
        if (check_toml_depth(bytes)) return std::nullopt;
        toml::table root = toml::parse(bytes, path);
        deps = read_toml_lock(root, error);
        break;
      }
      case LockKind::PipfileLock:
        deps = read_pipfile_lock(bytes, error);
        break;
      case LockKind::CondaLock:
      case LockKind::PixiLock: {
        YamlLoadResult docs = load_yaml_documents(bytes);
        if (!docs.error.empty()) return std::nullopt;
        deps = read_yaml_lock(docs.documents, lock_kind(path), error);
        break;
      }
      case LockKind::RequirementsLock:
        deps = read_requirements(bytes);
        break;
      case LockKind::None:
        return deps;
    }
  } catch (const toml::parse_error&) {
    return std::nullopt;
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
  if (!error.empty()) return std::nullopt;
  return deps;
}

// Whether `text` can name package `name` (normalised) at all: lower case, -_. folded. A lock that
// cannot is not parsed (one finding per requirement would parse every lock again).
bool may_name(std::string_view text, const std::string& name) {
  std::string folded(text);
  for (char& c : folded)
    c = c == '_' || c == '.' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return folded.find(name) != std::string::npos;
}

struct LockedVersion {
  std::string version;
  std::string lock;  // the first lock naming it, for the message
};

// A requirements file pip-compile or `uv pip compile` wrote: a lock in all but name (every line
// pinned, the whole environment resolved). Known by the header those tools write.
bool is_compiled_requirements(std::string_view bytes) {
  size_t pos = 0;
  for (int n = 0; n < 50 && pos < bytes.size(); ++n) {
    size_t nl = std::min(bytes.find('\n', pos), bytes.size());
    std::string_view line = trim_view(bytes.substr(pos, nl - pos));
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line[0] != '#') return false;  // the header is over
    if (line.find("autogenerated by pip-compile") != std::string_view::npos ||
        line.find("autogenerated by uv via") != std::string_view::npos)
      return true;
  }
  return false;
}

// The one version the project's locks (lock files, and requirements files compiled by
// pip-compile / uv other than `finding_path`) resolve for `name`: nullopt when none names it, one
// names it without a version, or they name several (markers, platforms, disagreeing locks).
std::optional<LockedVersion> locked_version(const FixContext& context, const std::string& project,
                                            const std::string& name, const std::string& finding_path) {
  std::optional<LockedVersion> found;
  std::optional<Pep440Version> parsed;
  for (const auto& path : project_own_files(context, project)) {
    bool lock = lock_kind(path) != LockKind::None;
    if (!lock && (manifest_kind(path) != ManifestKind::Requirements || path == finding_path)) continue;
    const std::string* bytes = context.read(path);
    if (!bytes) {
      if (lock) return std::nullopt;  // an unreadable lock might disagree
      continue;
    }
    if (!lock && !is_compiled_requirements(*bytes)) continue;
    if (!may_name(*bytes, name)) continue;
    auto deps = lock ? read_lock(path, *bytes) : std::optional(read_requirements(*bytes));
    if (!deps) return std::nullopt;
    for (const auto& d : *deps) {
      if (d.name != name) continue;
      std::string version = pinned_version(d.spec);
      auto v = parse_pep440(version);
      if (!v) return std::nullopt;
      if (!found) {
        found = LockedVersion{version, path};
        parsed = v;
      } else if (compare_pep440(*parsed, *v) != 0 || parsed->local != v->local) {
        return std::nullopt;
      }
    }
  }
  return found;
}

}  // namespace

std::vector<std::string> project_own_files(const FixContext& context, const std::string& project) {
  std::vector<std::string> files = context.project_files(project);
  std::vector<std::string> nested;
  for (const auto& p : context.result().projects)
    if (p.root != project && p.root != "." && (project == "." || p.root.starts_with(project + "/")))
      nested.push_back(p.root + "/");
  std::erase_if(files, [&](const std::string& f) {
    return std::any_of(nested.begin(), nested.end(), [&](const std::string& n) { return f.starts_with(n); });
  });
  return files;
}

std::optional<Pep440Version> parse_pep440(std::string_view text) {
  std::string lower(trim_view(text));
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const RE2 kVersion(R"(v?(?:([0-9]+)!)?([0-9]+(?:\.[0-9]+)*))"
                            R"((?:[-_.]?(alpha|beta|preview|pre|a|b|c|rc)[-_.]?([0-9]*))?)"
                            R"((?:-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]*))?)"
                            R"((?:[-_.]?(dev)[-_.]?([0-9]*))?)"
                            R"((?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?)");
  std::string epoch, release, pre_kind, pre, post_implicit, post_kw, post, dev_kw, dev, local;
  if (!RE2::FullMatch(lower, kVersion, &epoch, &release, &pre_kind, &pre, &post_implicit, &post_kw, &post,
                      &dev_kw, &dev, &local))
    return std::nullopt;
  Pep440Version v;
  if (!epoch.empty() && !to_long(epoch, v.epoch)) return std::nullopt;
  for (size_t a = 0, b; a <= release.size(); a = b + 1) {
    b = release.find('.', a);
    if (b == std::string::npos) b = release.size();
    long n = 0;
    if (!to_long(release.substr(a, b - a), n)) return std::nullopt;
    v.release.push_back(n);
  }
  if (!pre_kind.empty()) {
    v.pre_kind = pre_kind == "a" || pre_kind == "alpha" ? 0 : pre_kind == "b" || pre_kind == "beta" ? 1 : 2;
    if (!pre.empty() && !to_long(pre, v.pre)) return std::nullopt;
  }
  if (!post_implicit.empty()) {
    if (!to_long(post_implicit, v.post)) return std::nullopt;
  } else if (!post_kw.empty()) {
    v.post = 0;
    if (!post.empty() && !to_long(post, v.post)) return std::nullopt;
  }
  if (!dev_kw.empty()) {
    v.dev = 0;
    if (!dev.empty() && !to_long(dev, v.dev)) return std::nullopt;
  }
  v.local = local;
  return v;
}

int compare_pep440(const Pep440Version& a, const Pep440Version& b) {
  if (a.epoch != b.epoch) return a.epoch < b.epoch ? -1 : 1;
  for (size_t i = 0; i < std::max(a.release.size(), b.release.size()); ++i) {
    long x = i < a.release.size() ? a.release[i] : 0;
    long y = i < b.release.size() ? b.release[i] : 0;
    if (x != y) return x < y ? -1 : 1;
  }
  // A bare dev release (1.0.dev1) sorts before the pre-releases of 1.0; a final after them.
  auto pre_key = [](const Pep440Version& v) {
    if (v.pre_kind < 0 && v.post < 0 && v.dev >= 0) return std::pair<int, long>{-1, 0};
    if (v.pre_kind < 0) return std::pair<int, long>{3, 0};
    return std::pair<int, long>{v.pre_kind, v.pre};
  };
  if (pre_key(a) != pre_key(b)) return pre_key(a) < pre_key(b) ? -1 : 1;
  if (a.post != b.post) return a.post < b.post ? -1 : 1;
  long da = a.dev < 0 ? std::numeric_limits<long>::max() : a.dev;
  long db = b.dev < 0 ? std::numeric_limits<long>::max() : b.dev;
  if (da != db) return da < db ? -1 : 1;
  return compare_local(a.local, b.local);
}

std::optional<bool> satisfies_specifier(std::string_view version, std::string_view specifier) {
  auto candidate = parse_pep440(version);
  if (!candidate) return std::nullopt;
  specifier = trim_view(specifier);
  if (specifier.empty()) return true;
  if (specifier.find_first_of("()") != std::string_view::npos) return std::nullopt;
  static const RE2 kClause(R"((~=|===|==|!=|<=|>=|<|>)\s*(\S+))");
  bool all = true;
  for (size_t a = 0, b; a <= specifier.size(); a = b + 1) {
    b = specifier.find(',', a);
    if (b == std::string_view::npos) b = specifier.size();
    std::string clause(trim_view(specifier.substr(a, b - a)));
    std::string op, text;
    if (!RE2::FullMatch(clause, kClause, &op, &text)) return std::nullopt;
    auto holds = clause_holds(op, text, trim_view(version), *candidate);
    if (!holds) return std::nullopt;
    all = all && *holds;
  }
  return all;
}

std::optional<std::string> pin_requirement(std::string_view requirement, std::string_view version) {
  auto s = split_requirement(requirement);
  if (!s) return std::nullopt;
  std::string_view spec = requirement.substr(s->spec_start, s->spec_end - s->spec_start);
  if (spec.starts_with("@") || spec.find("://") != std::string_view::npos) return std::nullopt;
  auto ok = satisfies_specifier(version, spec);
  if (!ok || !*ok) return std::nullopt;
  return std::string(requirement.substr(0, s->head_end)) + "==" + std::string(trim_view(version)) +
         std::string(requirement.substr(s->spec_end));
}

std::optional<Fix> fix_pin_from_lock(const FixContext& context, const Finding& finding) {
  if (finding.project_level || finding.where.line < 1 || finding.subject.empty()) return std::nullopt;
  const std::string& path = finding.where.path;
  const std::string* bytes = context.read(path);
  if (!bytes) return std::nullopt;
  const std::string& subject = finding.subject;
  std::string name = requirement_name(subject);
  if (name.empty()) return std::nullopt;

  auto start = offset_of(*bytes, finding.where.line, 0);
  if (!start) return std::nullopt;
  size_t end = line_end(*bytes, *start);
  std::string_view line(bytes->data() + *start, end - *start);

  // Where the requirement is on its line: a quoted string of pyproject.toml, or the start of a
  // requirements line (followed by nothing but a comment).
  size_t at = std::string_view::npos;
  ManifestKind kind = manifest_kind(path);
  if (kind == ManifestKind::Pyproject) {
    int count = 0;
    for (char q : {'"', '\''}) {
      std::string quoted = q + subject + q;
      for (size_t p = line.find(quoted); p != std::string_view::npos; p = line.find(quoted, p + 1)) {
        ++count;
        at = p + 1;
      }
    }
    if (count != 1) return std::nullopt;
  } else if (kind == ManifestKind::Requirements || kind == ManifestKind::None) {
    // None: a file pulled in by `-r` (base.in), read as requirements.
    if (!line.empty() && line.back() == '\\') return std::nullopt;  // continued on the next line
    size_t lead = line.find_first_not_of(" \t");
    if (lead == std::string_view::npos || line.substr(lead).substr(0, subject.size()) != subject)
      return std::nullopt;
    std::string_view rest = line.substr(lead + subject.size());
    std::string_view rest_trimmed = trim_view(rest);
    if (!rest_trimmed.empty() && (rest_trimmed[0] != '#' || (rest[0] != ' ' && rest[0] != '\t')))
      return std::nullopt;  // options (--hash ...) or a requirement cut short in the finding
    at = lead;
  } else {
    return std::nullopt;  // conda, Pipfile, setup.*: other syntaxes, not ours to rewrite
  }

  auto locked = locked_version(context, finding.project, name, path);
  if (!locked) return std::nullopt;
  auto pinned = pin_requirement(subject, locked->version);
  if (!pinned || *pinned == subject) return std::nullopt;

  Fix fix;
  fix.applicability = Applicability::Safe;
  fix.message = "pin " + name + " to " + locked->version + " (from " + locked->lock + ")";
  fix.edits.push_back(make_edit(path, *bytes, *start + at, *start + at + subject.size(), std::move(*pinned)));
  return fix;
}

}  // namespace mlops
