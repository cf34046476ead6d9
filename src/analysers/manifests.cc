// Dependency manifest readers.
#include "analysers/manifests.h"

#include <re2/re2.h>
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <sstream>

#include "util/glob.h"
#include "util/repo_path.h"
#include "util/strings.h"

namespace mlops {
namespace {

// A direct reference (URL) is pinned when it names immutable content: a commit, a hash, a
// versioned archive, or a version tag (`@v1.2.0`); a bare repository URL or a branch is not.
bool reference_is_immutable(std::string_view ref) {
  static const RE2 kCommit(R"(@[0-9a-f]{40}(#.*)?$)");
  static const RE2 kImmutable(
      R"((#sha(256|384|512)=|\.whl(#.*)?$|[-_]\d+(\.\d+)+\.(tar\.gz|zip)(#.*)?$|[^@\s]@v?\d+(\.\d+)+(#.*)?$))");
  re2::StringPiece piece(ref.data(), ref.size());
  return RE2::PartialMatch(piece, kCommit) || RE2::PartialMatch(piece, kImmutable);
}

// A bare version-control requirement (`git+https://host/org/peft.git`): named by its `#egg=`
// fragment, else by the repository name.
bool parse_bare_url(std::string_view text, Dependency& dep) {
  static const RE2 kEgg(R"(#egg=([A-Za-z0-9._-]+))");
  static const RE2 kLast(R"(/([A-Za-z0-9._-]+?)(?:\.git)?(?:@[^/#]*)?(?:#.*)?$)");
  std::string name;
  re2::StringPiece piece(text.data(), text.size());
  if (!RE2::PartialMatch(piece, kEgg, &name) && !RE2::PartialMatch(piece, kLast, &name)) return false;
  dep.name = normalise_package_name(name);
  dep.pinned = reference_is_immutable(text);
  return true;
}

// PEP 508 requirement -> (name, pinned). Returns false when the line names no package.
bool parse_pep508(std::string_view req, Dependency& dep) {
  static const RE2 kName(R"(^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$)");
  std::string name, extras, rest;
  if (!RE2::FullMatch(req, kName, &name, &extras, &rest)) return false;
  dep.name = normalise_package_name(name);
  std::string spec = rest.substr(0, rest.find(';'));
  spec = trim(spec);
  dep.bare = spec.empty();
  if (spec.starts_with("@")) {
    dep.pinned = reference_is_immutable(spec);
  } else {
    static const RE2 kExact(R"(^\(?\s*===?\s*[^\s,*;]+\s*\)?$)");
    dep.pinned = RE2::FullMatch(spec, kExact);
  }
  return true;
}

}  // namespace

std::vector<Dependency> read_requirements(std::string_view bytes) {
  std::vector<Dependency> deps;
  std::istringstream in{std::string(bytes)};
  std::string raw;
  int line = 0;
  std::string pending;  // continuation lines ending in a backslash
  int pending_line = 0;
  while (std::getline(in, raw)) {
    ++line;
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    if (pending.empty()) pending_line = line;
    if (!raw.empty() && raw.back() == '\\') {
      raw.pop_back();
      pending += raw + " ";
      continue;
    }
    std::string text = pending + raw;
    pending.clear();
    size_t hash = text.find(" #");
    if (text.starts_with("#")) hash = 0;
    if (hash != std::string::npos) text = text.substr(0, hash);
    // --hash options follow the requirement on the same logical line.
    bool hashed = text.find("--hash") != std::string::npos;
    text = trim(text.substr(0, text.find(" --")));
    if (text.empty() || text[0] == '-') continue;  // options, -r/-c includes, -e editables
    Dependency d;
    static const RE2 kNamedReference(R"(^[A-Za-z0-9][A-Za-z0-9._-]*\s*(\[[^\]]*\])?\s*@)");
    bool bare_url = text.find("://") != std::string::npos && !RE2::PartialMatch(text, kNamedReference);
    // A bare version-control URL installs whatever the branch holds: it must be reported (as a
    // dependency, unpinned unless it names a commit or tag). A bare archive URL names one file.
    static const RE2 kVcs(R"(^(git|hg|svn|bzr)\+)");
    if (bare_url && !RE2::PartialMatch(text, kVcs)) continue;
    if (!(bare_url ? parse_bare_url(text, d) : parse_pep508(text, d))) continue;
    d.spec = text;
    d.line = pending_line;
    d.pinned = d.pinned || hashed;
    deps.push_back(std::move(d));
  }
  return deps;
}

namespace {

int toml_line(const toml::node& n) {
  return static_cast<int>(n.source().begin.line);
}

void add_pep508_array(const toml::node* arr, std::vector<Dependency>& deps) {
  if (arr == nullptr || !arr->is_array()) return;
  for (const toml::node& el : *arr->as_array()) {
    auto s = el.value<std::string>();
    if (!s) continue;
    Dependency d;
    if (!parse_pep508(*s, d)) continue;
    d.spec = *s;
    d.line = toml_line(el);
    deps.push_back(std::move(d));
  }
}

// Poetry / Pipfile tables: name = "version" or { version = "...", ... }.
void add_version_table(const toml::node* tbl, std::vector<Dependency>& deps, bool pipfile) {
  if (tbl == nullptr || !tbl->is_table()) return;
  static const RE2 kExactVersion(R"(^\s*(==\s*)?[0-9][0-9A-Za-z.+!-]*\s*$)");
  for (const auto& [key, value] : *tbl->as_table()) {
    std::string name(key.str());
    if (name == "python") continue;
    Dependency d;
    d.name = normalise_package_name(name);
    d.line = toml_line(value);
    std::string version;
    if (auto s = value.value<std::string>()) {
      version = *s;
    } else if (const toml::table* t = value.as_table()) {
      if (auto v = (*t)["version"].value<std::string>())
        version = *v;
      else if ((*t)["rev"] || (*t)["tag"])
        version = "==git";  // a fixed git revision or tag
      else if ((*t)["path"])
        continue;  // local package
    }
    d.spec = name + " " + version;
    d.bare = trim(version).empty() || trim(version) == "*";
    if (version == "==git")
      d.pinned = true;
    else if (pipfile)
      d.pinned = version.starts_with("==") && version.find('*') == std::string::npos;
    else
      d.pinned = RE2::FullMatch(version, kExactVersion);
    deps.push_back(std::move(d));
  }
}

void add_conda_entry(const YAML::Node& n, bool pip, std::vector<Dependency>& deps) {
  if (!n.IsScalar()) return;
  std::string s = n.Scalar();
  Dependency d;
  d.line = n.Mark().line + 1;
  d.spec = s;
  if (pip) {
    if (!parse_pep508(s, d)) return;
  } else {
    // conda match spec: name[=version[=build]] or name==version, maybe channel::name
    static const RE2 kConda(R"(^(?:[^:\s]+::)?([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*)$)");
    std::string name, rest;
    if (!RE2::FullMatch(s, kConda, &name, &rest)) return;
    if (name == "python" || name == "pip") return;
    d.name = normalise_package_name(name);
    static const RE2 kExact(R"(^==?\s*[0-9][^\s*,|<>]*$)");
    d.pinned = RE2::FullMatch(trim(rest), kExact);
  }
  deps.push_back(std::move(d));
}

}  // namespace

std::string normalise_package_name(std::string_view name) {
  std::string out;
  bool sep = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      sep = true;
      continue;
    }
    if (sep && !out.empty()) out += '-';
    sep = false;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

ManifestKind manifest_kind(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (base == "pyproject.toml") return ManifestKind::Pyproject;
  if (base == "Pipfile") return ManifestKind::Pipfile;
  if (base == "setup.py") return ManifestKind::SetupPy;
  if (base == "setup.cfg") return ManifestKind::SetupCfg;
  // Every pattern below ends in `ml`, `.txt` or `.in`: most paths (every `.py`) stop here.
  if (!base.ends_with("ml") && !base.ends_with(".txt") && !base.ends_with(".in")) return ManifestKind::None;
  // Conda files named for their use too (`gpu_environment.yml`, `tpu-environment.yaml`); one
  // without a top-level `dependencies:` list declares nothing (read_conda_env).
  if (glob_match_full("*environment*.y*ml", base) || glob_match_full("conda*.y*ml", base))
    return ManifestKind::CondaEnv;
  if (glob_match_full("*requirements*.txt", base) || glob_match_full("*requirements*.in", base) ||
      glob_match("requirements/*.txt", path) || glob_match("**/requirements/*.txt", path))
    return ManifestKind::Requirements;
  return ManifestKind::None;
}

std::vector<RequirementInclude> read_requirement_includes(std::string_view bytes) {
  static const RE2 kShort(R"(^(-[rc])\s*([^\s#]+))");
  static const RE2 kLong(R"(^--(requirement|constraint)(?:\s*=\s*|\s+)([^\s#]+))");
  std::vector<RequirementInclude> out;
  int line = 0;
  size_t pos = 0;
  while (pos < bytes.size()) {
    size_t nl = bytes.find('\n', pos);
    if (nl == std::string_view::npos) nl = bytes.size();
    std::string text = trim(std::string(bytes.substr(pos, nl - pos)));
    pos = nl + 1;
    ++line;
    std::string flag, ref;
    if (RE2::PartialMatch(text, kShort, &flag, &ref)) {
      out.push_back({flag == "-c", ref, line});
    } else if (RE2::PartialMatch(text, kLong, &flag, &ref)) {
      out.push_back({flag == "constraint", ref, line});
    }
  }
  return out;
}

std::string requirement_name(std::string_view spec) {
  auto deps = read_requirements(spec.substr(0, spec.find('\n')));
  return deps.empty() ? std::string() : deps.front().name;
}

std::optional<std::string> resolve_repo_path(std::string_view from, std::string_view ref) {
  // pip reads URLs too, and Windows paths: a URL or a drive letter names nothing here.
  if (ref.find(':') != std::string_view::npos) return std::nullopt;
  std::string r(ref);
  std::replace(r.begin(), r.end(), '\\', '/');
  size_t slash = from.rfind('/');
  std::string path =
      join_repo_path(slash == std::string_view::npos ? std::string_view() : from.substr(0, slash), r);
  if (path.empty()) return std::nullopt;
  return path;
}

std::vector<Dependency> read_setup_py(std::string_view source) {
  std::vector<Dependency> deps;
  // Only literal lists are read, written in the call or bound once to a module-level name
  // (`REQUIRED = [...]` ... `install_requires=REQUIRED`): a list built by code is not knowable
  // without running it.
  static const RE2 kStart(R"((install_requires|extras_require|tests_require)\s*=\s*)");
  static const RE2 kName(R"(^([A-Za-z_]\w*)\s*[,)\n])");

  // Reads the literal starting at `at` (after `key=`); returns how many bytes it spans.
  auto scan_literal = [&](std::string_view rest, bool optional) -> size_t {
    // Scan to the end of the literal: strings are requirements; stop at the bracket that closes.
    int depth = 0;
    size_t i = 0;
    const char* base = rest.data();
    for (; i < rest.size(); ++i) {
      char c = base[i];
      if (c == '[' || c == '{' || c == '(')
        ++depth;
      else if (c == ']' || c == '}' || c == ')') {
        if (--depth <= 0) break;
      } else if ((c == '"' || c == '\'') && depth > 0) {
        size_t end = std::string_view(base + i + 1, rest.size() - i - 1).find(c);
        if (end == std::string_view::npos) break;
        std::string_view lit(base + i + 1, end);
        bool is_key = false;
        size_t after = i + 2 + end;
        while (after < rest.size() && (base[after] == ' ' || base[after] == '\t')) ++after;
        if (after < rest.size() && base[after] == ':') is_key = true;  // an extras_require key
        // Only a plain element is a requirement: not a subscript (`deps["torch"]`, looked up in a
        // table built by code) nor an operand (`"torch" + version`, `"x{}".format(v)`).
        size_t before = i;
        while (before > 0 && std::isspace(static_cast<unsigned char>(base[before - 1]))) --before;
        bool subscript = false;
        if (before > 0 && base[before - 1] == '[') {
          size_t b = before - 1;
          while (b > 0 && (base[b - 1] == ' ' || base[b - 1] == '\t')) --b;
          const char p = b > 0 ? base[b - 1] : ' ';
          subscript = std::isalnum(static_cast<unsigned char>(p)) || p == '_' || p == ']' || p == ')';
        }
        const bool element = after >= rest.size() || std::strchr(",])}:\n#", base[after]) != nullptr;
        if (!is_key && !subscript && element && lit.find('\n') == std::string_view::npos) {
          Dependency dep;
          if (parse_pep508(lit, dep)) {
            dep.spec = std::string(lit);
            dep.optional = optional;
            dep.line = 1 + static_cast<int>(std::count(source.data(), base + i, '\n'));
            deps.push_back(std::move(dep));
          }
        }
        i += end + 1;
      } else if (depth == 0 && !std::isspace(static_cast<unsigned char>(c))) {
        break;  // not a literal (a variable or a call)
      }
    }
    return i;
  };

  re2::StringPiece rest(source.data(), source.size());
  std::string key, name;
  while (RE2::FindAndConsume(&rest, kStart, &key)) {
    const bool optional = key != "install_requires";  // extras and test requirements
    if (RE2::PartialMatch(rest, kName, &name) && name != "install_requires" && name != "extras_require" &&
        name != "tests_require") {
      // A name bound exactly once at module level (column 0) to a literal.
      const RE2 assign("(?m)^" + RE2::QuoteMeta(name) + R"(\s*=\s*)");
      re2::StringPiece scan(source.data(), source.size());
      std::optional<std::string_view> value;
      int bindings = 0;
      while (RE2::FindAndConsume(&scan, assign)) {
        ++bindings;
        value = std::string_view(scan.data(), scan.size());
      }
      if (bindings == 1) scan_literal(*value, optional);
      rest.remove_prefix(name.size());
      continue;
    }
    rest.remove_prefix(
        std::min(scan_literal(std::string_view(rest.data(), rest.size()), optional), rest.size()));
  }
  return deps;
}

std::vector<Dependency> read_setup_cfg(std::string_view text) {
  std::vector<Dependency> deps;
  std::istringstream in{std::string(text)};
  std::string raw, section;
  bool in_list = false, key_is_install_requires = false;
  int line = 0;
  while (std::getline(in, raw)) {
    ++line;
    std::string l = trim(raw);
    if (l.empty() || l[0] == '#' || l[0] == ';') continue;
    if (l.front() == '[' && l.back() == ']') {
      section = l.substr(1, l.size() - 2);
      in_list = false;
      continue;
    }
    bool continuation = raw[0] == ' ' || raw[0] == '\t';
    if (!continuation) {
      size_t eq = l.find('=');
      std::string key = eq == std::string::npos ? "" : trim(l.substr(0, eq));
      in_list = (section == "options" && (key == "install_requires" || key == "tests_require")) ||
                section == "options.extras_require";
      key_is_install_requires = key == "install_requires";
      if (!in_list) continue;
      l = trim(l.substr(eq + 1));
      if (l.empty()) continue;
    } else if (!in_list) {
      continue;
    }
    Dependency dep;
    if (parse_pep508(l, dep)) {
      dep.spec = l;
      dep.line = line;
      dep.optional = !(section == "options" && key_is_install_requires);
      deps.push_back(std::move(dep));
    }
  }
  return deps;
}

bool is_packaging_metadata(ManifestKind kind) {
  return kind == ManifestKind::Pyproject || kind == ManifestKind::SetupPy || kind == ManifestKind::SetupCfg;
}

std::vector<const Dependency*> unpinned_in_metadata(const std::vector<Dependency>& deps) {
  size_t required = 0, pinned = 0, bare = 0;
  for (const auto& d : deps)
    if (!d.optional) {
      ++required;
      pinned += d.pinned ? 1 : 0;
      bare += d.bare ? 1 : 0;
    }
  const bool project_pins = 2 * pinned > required;
  const bool no_version_anywhere = required > 0 && bare == required;
  std::vector<const Dependency*> out;
  for (const auto& d : deps)
    if (!d.optional && !d.pinned && (project_pins || no_version_anywhere)) out.push_back(&d);
  return out;
}

std::optional<std::string> utf16_manifest_as_utf8(std::string_view bytes) {
  if (bytes.size() < 2) return std::nullopt;
  const auto b0 = static_cast<unsigned char>(bytes[0]), b1 = static_cast<unsigned char>(bytes[1]);
  bool little;
  if (b0 == 0xFF && b1 == 0xFE)
    little = true;
  else if (b0 == 0xFE && b1 == 0xFF)
    little = false;
  else
    return std::nullopt;
  auto unit = [&](size_t i) -> uint32_t {
    const auto lo = static_cast<unsigned char>(bytes[little ? i : i + 1]);
    const auto hi = static_cast<unsigned char>(bytes[little ? i + 1 : i]);
    return static_cast<uint32_t>(hi) << 8 | lo;
  };
  std::string out;
  out.reserve(bytes.size() / 2);
  for (size_t i = 2; i + 1 < bytes.size(); i += 2) {
    uint32_t cp = unit(i);
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < bytes.size()) {
      const uint32_t low = unit(i + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        i += 2;
      } else {
        cp = 0xFFFD;  // a lone surrogate
      }
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
      cp = 0xFFFD;
    } else if (cp == 0) {
      cp = 0xFFFD;  // keeps the text free of NUL bytes, which mark binary files
    }
    append_utf8(out, cp);
  }
  return out;
}

std::string pyproject_name(const toml::table& root) {
  auto name = root.at_path("project.name").value<std::string>();
  if (!name) name = root.at_path("tool.poetry.name").value<std::string>();
  return name ? normalise_package_name(*name) : std::string();
}

std::vector<Dependency> read_pyproject(const toml::table& root) {
  std::vector<Dependency> deps;
  auto optional = [&](size_t from) {
    for (size_t i = from; i < deps.size(); ++i) deps[i].optional = true;
  };
  add_pep508_array(root.at_path("project.dependencies").node(), deps);
  size_t first_optional = deps.size();
  if (auto* opt = root.at_path("project.optional-dependencies").as_table())
    for (const auto& [k, v] : *opt) add_pep508_array(&v, deps);
  if (auto* groups = root.get_as<toml::table>("dependency-groups"))
    for (const auto& [k, v] : *groups) add_pep508_array(&v, deps);
  optional(first_optional);
  add_version_table(root.at_path("tool.poetry.dependencies").node(), deps, false);
  first_optional = deps.size();
  add_version_table(root.at_path("tool.poetry.dev-dependencies").node(), deps, false);
  if (auto* groups = root.at_path("tool.poetry.group").as_table())
    for (const auto& [k, v] : *groups)
      if (auto* g = v.as_table()) add_version_table(g->get("dependencies"), deps, false);
  if (auto* pdm = root.at_path("tool.pdm.dev-dependencies").as_table())
    for (const auto& [k, v] : *pdm) add_pep508_array(&v, deps);
  optional(first_optional);
  std::string self = pyproject_name(root);
  if (!self.empty()) std::erase_if(deps, [&](const Dependency& d) { return d.name == self; });
  return deps;
}

std::vector<Dependency> read_pipfile(const toml::table& root) {
  std::vector<Dependency> deps;
  add_version_table(root.get("packages"), deps, true);
  size_t first_dev = deps.size();
  add_version_table(root.get("dev-packages"), deps, true);
  for (size_t i = first_dev; i < deps.size(); ++i) deps[i].optional = true;
  return deps;
}

std::vector<Dependency> read_conda_env(const YAML::Node& doc) {
  std::vector<Dependency> deps;
  YAML::Node list = doc.IsMap() ? doc["dependencies"] : YAML::Node();
  if (!list || !list.IsSequence()) return deps;
  for (const auto& item : list) {
    if (item.IsMap() && item["pip"] && item["pip"].IsSequence()) {
      for (const auto& p : item["pip"]) add_conda_entry(p, true, deps);
    } else {
      add_conda_entry(item, false, deps);
    }
  }
  return deps;
}

}  // namespace mlops
