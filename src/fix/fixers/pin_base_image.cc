// The pin-base-image fixer (DPL002, safe): tags an untagged or `latest` official Python base image
// with the Python version the project declares (`FROM python` -> `FROM python:3.11`). The image's
// digest is unknowable offline, so only this tag is ours to add; other images, variables, digests
// and projects without (or with conflicting) declarations are left alone.
#include "fix/fixers/pin_base_image.h"

#include <re2/re2.h>

#include <toml++/toml.h>
#include <algorithm>
#include <set>
#include <sstream>

#include "analysers/dockerfile.h"
#include "fix/edits.h"
#include "fix/fixers/pin_from_lock.h"
#include "util/toml_guard.h"

namespace mlops {
namespace {

std::string_view trim_view(std::string_view s) {
  size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string_view::npos) return {};
  size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

std::string root_file(const std::string& project, const char* name) {
  return project == "." ? std::string(name) : project + "/" + name;
}

// A declaration read from one file: exact (a version the project runs) or a range.
struct Declaration {
  bool exact = false;
  std::string text;  // the version or range as written
  std::string minor;
  std::string source;
};

// `.python-version`: one version per line (pyenv may list several; they must agree).
bool read_python_version_file(std::string_view bytes, const std::string& path,
                              std::vector<Declaration>& out) {
  std::istringstream in{std::string(bytes)};
  std::string raw;
  bool any = false;
  while (std::getline(in, raw)) {
    std::string_view l = trim_view(std::string_view(raw).substr(0, raw.find('#')));
    if (l.empty()) continue;
    auto minor = python_minor_of_version(l);
    if (!minor) return false;
    out.push_back({true, std::string(l), *minor, path});
    any = true;
  }
  return any;
}

// `[options] python_requires = >=3.10` of a setup.cfg; "" when it has none.
std::optional<std::string> setup_cfg_python_requires(std::string_view bytes) {
  std::istringstream in{std::string(bytes)};
  std::string raw, section;
  while (std::getline(in, raw)) {
    std::string_view l = trim_view(raw);
    if (l.empty() || l[0] == '#' || l[0] == ';') continue;
    if (l.front() == '[' && l.back() == ']') {
      section = std::string(trim_view(l.substr(1, l.size() - 2)));
      continue;
    }
    if (section != "options") continue;
    size_t eq = l.find_first_of("=:");
    if (eq == std::string_view::npos || trim_view(l.substr(0, eq)) != "python_requires") continue;
    std::string_view value = trim_view(l.substr(eq + 1));
    if (value.empty()) return std::nullopt;  // continued on the next lines: not read
    return std::string(value);
  }
  return std::string();
}

// A range as PEP 440 specifiers: Poetry's `^3.10` is `>=3.10,<4`, `~3.10` is `>=3.10,<3.11`, a
// bare `3.10` or `=3.10` is `==3.10`.
std::optional<std::string> pep440_range(std::string_view range) {
  static const RE2 kPoetry(R"((\^|~|=)?\s*([0-9]+)(?:\.([0-9]+))?(?:\.[0-9]+)?)");
  std::string out;
  for (size_t a = 0, b; a <= range.size(); a = b + 1) {
    b = range.find(',', a);
    if (b == std::string_view::npos) b = range.size();
    std::string clause(trim_view(range.substr(a, b - a)));
    std::string op, major, minor;
    if (!out.empty()) out += ",";
    if (!RE2::FullMatch(clause, kPoetry, &op, &major, &minor)) {
      out += clause;  // already PEP 440
      continue;
    }
    std::string version = clause.substr(op.size());
    long x = std::stol(major.substr(0, 6)), y = minor.empty() ? 0 : std::stol(minor.substr(0, 6));
    if (op == "^")
      out += ">=" + version + ",<" + std::to_string(x + 1);
    else if (op == "~" && minor.empty())
      out += ">=" + version + ",<" + std::to_string(x + 1);
    else if (op == "~")
      out += ">=" + version + ",<" + std::to_string(x) + "." + std::to_string(y + 1);
    else
      out += "==" + std::string(trim_view(version));
  }
  return out;
}

}  // namespace

std::optional<std::string> python_minor_of_version(std::string_view version) {
  static const RE2 kVersion(R"(([0-9]+)\.([0-9]+)(?:\.[0-9]+)?)");
  std::string major, minor;
  if (!RE2::FullMatch(trim_view(version), kVersion, &major, &minor)) return std::nullopt;
  if (major.size() > 3 || minor.size() > 3) return std::nullopt;
  return major + "." + minor;
}

std::optional<std::string> python_minor_of_range(std::string_view range) {
  range = trim_view(range);
  if (range.empty() || range.find('|') != std::string_view::npos) return std::nullopt;
  static const RE2 kClause(R"((>=|===|==|~=|!=|<=|<|>|\^|~|=)?\s*([0-9][0-9.]*(?:\.\*)?))");
  std::optional<std::string> lower;
  for (size_t a = 0, b; a <= range.size(); a = b + 1) {
    b = range.find(',', a);
    if (b == std::string_view::npos) b = range.size();
    std::string clause(trim_view(range.substr(a, b - a)));
    std::string op, version;
    if (!RE2::FullMatch(clause, kClause, &op, &version)) return std::nullopt;
    if (op == "<" || op == "<=" || op == "!=") continue;  // upper bounds and exclusions
    if (op == ">") return std::nullopt;                   // `>3.9` starts at no X.Y of its own
    if (version.ends_with(".*")) {
      if (op != "==") return std::nullopt;
      version.resize(version.size() - 2);
    }
    auto minor = python_minor_of_version(version);
    if (!minor || lower) return std::nullopt;  // no minor version, or two lower bounds
    lower = minor;
  }
  return lower;
}

std::optional<DeclaredPython> declared_python(const FixContext& context, const std::string& project) {
  std::vector<Declaration> found;
  if (const std::string* b = context.read(root_file(project, ".python-version")))
    if (!read_python_version_file(*b, root_file(project, ".python-version"), found)) return std::nullopt;
  if (const std::string* b = context.read(root_file(project, "runtime.txt"))) {
    std::string_view text = trim_view(std::string_view(*b).substr(0, b->find('\n')));
    if (text.starts_with("python-")) {  // Heroku's runtime.txt; other runtimes are not Python's
      auto minor = python_minor_of_version(text.substr(7));
      if (!minor) return std::nullopt;
      found.push_back({true, std::string(text.substr(7)), *minor, root_file(project, "runtime.txt")});
    }
  }
  if (const std::string* b = context.read(root_file(project, "pyproject.toml"))) {
    if (check_toml_depth(*b)) return std::nullopt;
    try {
      toml::table root = toml::parse(*b, root_file(project, "pyproject.toml"));
      for (auto node :
           {root["project"]["requires-python"], root["tool"]["poetry"]["dependencies"]["python"]}) {
        if (!node) continue;
        auto text = node.value<std::string>();
        if (!text) return std::nullopt;
        auto minor = python_minor_of_range(*text);
        if (!minor) return std::nullopt;
        found.push_back({false, *text, *minor, root_file(project, "pyproject.toml")});
      }
    } catch (const toml::parse_error&) {
      return std::nullopt;
    }
  }
  if (const std::string* b = context.read(root_file(project, "setup.cfg"))) {
    auto text = setup_cfg_python_requires(*b);
    if (!text) return std::nullopt;
    if (!text->empty()) {
      auto minor = python_minor_of_range(*text);
      if (!minor) return std::nullopt;
      found.push_back({false, *text, *minor, root_file(project, "setup.cfg")});
    }
  }

  std::set<std::string> exact, lower;
  for (const auto& d : found) (d.exact ? exact : lower).insert(d.minor);
  if (exact.size() > 1) return std::nullopt;
  if (exact.size() == 1) {
    // The version the project runs, as long as every declared range admits it.
    for (const auto& e : found)
      for (const auto& d : found) {
        if (!e.exact || d.exact) continue;
        auto range = pep440_range(d.text);
        auto ok = range ? satisfies_specifier(e.text, *range) : std::nullopt;
        if (!ok || !*ok) return std::nullopt;
      }
    for (const auto& d : found)
      if (d.exact) return DeclaredPython{d.minor, d.source, true};
  }
  if (lower.size() != 1) return std::nullopt;
  // `==3.11.*` names the version as surely as .python-version does.
  bool pinned = std::all_of(found.begin(), found.end(), [](const auto& d) {
    size_t at = d.text.find_first_not_of(" \t");
    return at != std::string::npos && d.text.compare(at, 2, "==") == 0;
  });
  return DeclaredPython{found.front().minor, found.front().source, pinned};
}

std::optional<std::string> retag_python_from(std::string_view line, std::string_view minor) {
  static const RE2 kFrom(R"((?i)(\s*from\s+(?:--\S+\s+)*)(\S+)((?:\s+as\s+\S+)?\s*))");
  std::string head, image, tail;
  if (!RE2::FullMatch(line, kFrom, &head, &image, &tail)) return std::nullopt;
  if (image.find_first_of("$@") != std::string::npos) return std::nullopt;  // variables, digests
  size_t slash = image.rfind('/');
  size_t colon = image.find(':', slash == std::string::npos ? 0 : slash);
  std::string repository = image.substr(0, colon);
  std::string tag = colon == std::string::npos ? "" : image.substr(colon + 1);
  static const std::set<std::string> kPython = {"python", "library/python", "docker.io/python",
                                                "docker.io/library/python"};
  if (!kPython.count(repository) || (!tag.empty() && tag != "latest")) return std::nullopt;
  return head + repository + ":" + std::string(minor) + tail;
}

std::optional<Fix> fix_pin_base_image(const FixContext& context, const Finding& finding) {
  if (finding.project_level || finding.where.line < 1) return std::nullopt;
  const std::string& path = finding.where.path;
  const std::string* bytes = context.read(path);
  if (!bytes) return std::nullopt;
  // The line must be where the Dockerfile reader sees an unpinned FROM (not a heredoc's text).
  DockerfileResult docker = read_dockerfile(*bytes);
  bool from_here = false;
  for (const auto& ins : docker.instructions)
    if (ins.line == finding.where.line && ins.keyword == "FROM" && !ins.base_image.empty() &&
        !ins.base_pinned)
      from_here = true;
  if (!from_here) return std::nullopt;

  auto start = offset_of(*bytes, finding.where.line, 0);
  if (!start) return std::nullopt;
  if (*start == 0 && bytes->starts_with("\xEF\xBB\xBF")) *start = 3;  // the BOM stays
  size_t end = line_end(*bytes, *start);
  std::string_view line(bytes->data() + *start, end - *start);
  // Only the official Python image: other images need no look at the declarations.
  if (!retag_python_from(line, "3")) return std::nullopt;
  auto declared = declared_python(context, finding.project);
  if (!declared) return std::nullopt;
  auto fixed = retag_python_from(line, declared->minor);
  if (!fixed) return std::nullopt;

  Fix fix;
  // A range's lower bound may be older than the Python `latest` builds with today: unsafe.
  fix.applicability = declared->exact ? Applicability::Safe : Applicability::Unsafe;
  fix.message = "tag the base image python:" + declared->minor + " (the Python version " + declared->source +
                (declared->exact ? " declares)" : " allows at least)");
  fix.edits.push_back(make_edit(path, *bytes, *start, end, std::move(*fixed)));
  return fix;
}

}  // namespace mlops
