// Configuration discovery, parsing and validation.
#include "config/config.h"
#include "model/profiles.h"
#include "util/confined_fs.h"
#include "util/read_file.h"
#include "util/repo_path.h"
#include "util/toml_guard.h"
#include "util/yaml_load.h"

#include <sys/stat.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <toml++/toml.h>

namespace fs = std::filesystem;

namespace mlops {
namespace {

const std::vector<std::string>& known_keys() {
  static const std::vector<std::string> keys = {
      "select",        "extend-select",        "ignore",  "severity",         "exclude", "profile", "rules",
      "max-file-size", "large-file-threshold", "fail-on", "per-file-ignores", "extend"};
  return keys;
}

// A value from either format, reduced to what the config needs: strings, lists, maps.
struct Value {
  enum class Type { String, Int, List, Map, Other } type = Type::Other;
  std::string text;
  std::vector<std::string> keys;  // Map: keys[i] names list[i]
  std::vector<Value> list;        // List items, or Map values
  int line = 0;
};

// `budget` counts the values built: aliases make a small file a huge tree, and each value costs
// memory. At zero the rest is left out (the caller reports it).
Value from_yaml(const YAML::Node& n, size_t& budget, int depth = 0) {
  Value v;
  v.line = n.Mark().line + 1;
  if (depth > 8 || budget == 0) return v;
  --budget;
  if (n.IsScalar()) {
    v.type = Value::Type::String;
    v.text = n.Scalar();
  } else if (n.IsSequence()) {
    v.type = Value::Type::List;
    for (const auto& i : n) v.list.push_back(from_yaml(i, budget, depth + 1));
  } else if (n.IsMap()) {
    v.type = Value::Type::Map;
    for (auto it = n.begin(); it != n.end(); ++it) {
      Value child = from_yaml(it->second, budget, depth + 1);
      child.line = it->first.Mark().line + 1;
      v.keys.push_back(it->first.Scalar());
      v.list.push_back(std::move(child));
    }
  }
  return v;
}

Value from_toml(const toml::node& n, int depth = 0) {
  Value v;
  v.line = static_cast<int>(n.source().begin.line);
  if (depth > 8) return v;
  if (auto s = n.value<std::string>()) {
    v.type = Value::Type::String;
    v.text = *s;
  } else if (auto i = n.value<int64_t>()) {
    v.type = Value::Type::Int;
    v.text = std::to_string(*i);
  } else if (const auto* a = n.as_array()) {
    v.type = Value::Type::List;
    for (const auto& i : *a) v.list.push_back(from_toml(i, depth + 1));
  } else if (const auto* t = n.as_table()) {
    v.type = Value::Type::Map;
    for (const auto& [k, c] : *t) {
      v.keys.emplace_back(k.str());
      v.list.push_back(from_toml(c, depth + 1));
    }
  }
  return v;
}

void extend_config(ConfigResult& out, const std::string& from, const std::string& root, const Value& v);

class Builder {
 public:
  Builder(const std::string& path, const std::string& root, ConfigResult& out)
      : path_(path), root_(root), out_(out) {
    out_.config.source = path;
  }

  void error(int line, const std::string& message) { out_.errors.push_back({{path_, line, 0}, message}); }

  std::vector<std::string> string_list(const std::string& key, const Value& v) {
    std::vector<std::string> out;
    if (v.type == Value::Type::String) return {v.text};
    if (v.type != Value::Type::List) {
      error(v.line, "'" + key + "' must be a list of strings");
      return out;
    }
    for (const auto& i : v.list) {
      if (i.type == Value::Type::String)
        out.push_back(i.text);
      else
        error(i.line, "'" + key + "' must be a list of strings");
    }
    return out;
  }

  void apply(const Value& top) {
    if (top.type != Value::Type::Map) {
      error(top.line, "the configuration must be a map of settings");
      return;
    }
    Config& c = out_.config;
    // The base configuration lies under every key of this file, whatever their order.
    for (size_t i = 0; i < top.keys.size(); ++i)
      if (top.keys[i] == "extend") extend_config(out_, path_, root_, top.list[i]);
    for (size_t i = 0; i < top.keys.size(); ++i) {
      const std::string& key = top.keys[i];
      const Value& v = top.list[i];
      if (std::find(known_keys().begin(), known_keys().end(), key) == known_keys().end()) {
        error(v.line, "unknown key '" + key + "'");
        continue;
      }
      c.origins[key] = path_ + ":" + std::to_string(v.line);
      if (key == "select") {
        c.selection.select = string_list(key, v);
      } else if (key == "extend-select") {
        c.selection.extend_select = string_list(key, v);
      } else if (key == "ignore") {
        c.selection.ignore = string_list(key, v);
      } else if (key == "exclude") {
        c.exclude = string_list(key, v);
      } else if (key == "severity") {
        if (v.type != Value::Type::Map) {
          error(v.line, "'severity' must map rule ids to error, warning or info");
          continue;
        }
        for (size_t j = 0; j < v.keys.size(); ++j) {
          const std::string& id = v.keys[j];
          const Value& sv = v.list[j];
          auto sev = sv.type == Value::Type::String ? parse_severity(sv.text) : std::nullopt;
          if (!sev)
            error(sv.line, "severity of " + id + " must be error, warning or info");
          else
            c.selection.severity[id] = *sev;
        }
      } else if (key == "profile") {
        const auto& ps = known_profiles();
        if (v.type != Value::Type::String || std::find(ps.begin(), ps.end(), v.text) == ps.end())
          error(v.line, "'profile' must be one of research, team, production");
        else
          c.profile = v.text;
      } else if (key == "fail-on") {
        if (v.type != Value::Type::String ||
            (v.text != "error" && v.text != "warning" && v.text != "info" && v.text != "never"))
          error(v.line, "'fail-on' must be error, warning, info or never");
        else
          c.fail_on = v.text;
      } else if (key == "max-file-size" || key == "large-file-threshold") {
        auto size =
            v.type == Value::Type::String || v.type == Value::Type::Int ? parse_size(v.text) : std::nullopt;
        if (!size || *size == 0) {
          error(v.line, "'" + key + "' must be a size such as 10MB");
        } else if (key == "max-file-size" && *size > kHardMaxFileSize) {
          // A repository must not raise the tool's own safety limit; the command line may.
          out_.warnings.push_back({{path_, v.line, 0},
                                   "'max-file-size' above the hard limit of " +
                                       std::to_string(kHardMaxFileSize >> 20) +
                                       " MiB; the hard limit applies (--max-file-size can raise it)"});
          c.max_file_size = kHardMaxFileSize;
        } else {
          (key == "max-file-size" ? c.max_file_size : c.large_file_threshold) = *size;
        }
      } else if (key == "per-file-ignores") {
        if (v.type != Value::Type::Map) {
          error(v.line, "'per-file-ignores' must map path globs to lists of rule codes");
          continue;
        }
        for (size_t j = 0; j < v.keys.size(); ++j)
          c.per_file_ignores.push_back({v.keys[j], string_list(key, v.list[j])});
      } else if (key == "rules") {
        for (const auto& dir : string_list(key, v)) add_rule_dir(dir, v.line);
      }
    }
  }

 private:
  // Rule directories come from the repository's own config, which may be hostile: they must
  // resolve (symlinks included) to a directory inside the scanned root.
  void add_rule_dir(const std::string& dir, int line) {
    std::error_code ec;
    fs::path root = fs::weakly_canonical(root_, ec);
    fs::path p = fs::path(dir).is_absolute() ? fs::path(dir) : fs::path(root_) / dir;
    fs::path canon = fs::weakly_canonical(p, ec);
    auto rel = canon.lexically_relative(root);
    if (ec || rel.empty() || *rel.begin() == "..") {
      error(line, "rule directory '" + dir + "' is outside the repository");
      return;
    }
    if (!fs::is_directory(canon, ec)) {
      error(line, "rule directory '" + dir + "' does not exist");
      return;
    }
    out_.config.rule_dirs.push_back(canon.string());
  }

  std::string path_, root_;
  ConfigResult& out_;
};

std::optional<std::string> read_capped(const std::string& path, std::string& error) {
  FileRead r = read_file_capped(path, kMaxConfigSize);
  if (r.ok()) return std::move(r.bytes);
  error = r.error.starts_with("larger") ? "configuration file " + r.error : r.error;
  return std::nullopt;
}

std::string display_path(const std::string& root, const std::string& name) {
  return (fs::path(root) / name).lexically_normal().string();
}

// `extend: path`: a base configuration (an organisation's defaults) merged under this one: each
// key this file sets replaces the base's value (`rules` and `per-file-ignores` add to it). The
// path is relative to the extending file, must stay inside the repository (symlinks included)
// and may name a .yaml file or a pyproject-style .toml; a file extending itself again is a cycle.
void extend_config(ConfigResult& out, const std::string& from, const std::string& root, const Value& v) {
  // The files being extended, outermost first: loading is single-threaded and recursive.
  thread_local std::vector<std::string> chain;
  constexpr size_t kMaxDepth = 16;
  auto fail = [&](const std::string& message) { out.errors.push_back({{from, v.line, 0}, message}); };
  if (v.type != Value::Type::String) return fail("'extend' must be the path of a configuration file");
  std::error_code ec;
  fs::path canon_root = fs::weakly_canonical(root, ec);
  fs::path from_canon = fs::weakly_canonical(from, ec);
  fs::path from_dir = from_canon.parent_path().lexically_relative(canon_root);
  std::string base_dir =
      from_dir.empty() || *from_dir.begin() == ".." || from_dir == "." ? "" : from_dir.generic_string();
  std::string rel = join_repo_path(base_dir, v.text);
  fs::path target = canon_root / rel;
  fs::path canon = fs::weakly_canonical(target, ec);
  fs::path inside = canon.lexically_relative(canon_root);
  if (rel.empty() || ec || inside.empty() || *inside.begin() == "..")
    return fail("'extend' path '" + v.text + "' is outside the repository");
  if (!fs::exists(canon, ec)) return fail("'extend' file '" + v.text + "' does not exist");
  if (!fs::is_regular_file(canon, ec)) return fail("'extend' path '" + v.text + "' is not a regular file");
  chain.push_back(from_canon.string());
  struct Pop {
    ~Pop() { chain.pop_back(); }
  } pop;
  if (std::find(chain.begin(), chain.end(), canon.string()) != chain.end())
    return fail("'extend' cycle: " + v.text + " extends this file again");
  if (chain.size() > kMaxDepth)
    return fail("'extend' chain deeper than " + std::to_string(kMaxDepth) + " files");
  std::string error;
  auto text = read_capped(canon.string(), error);
  if (!text) return fail("'extend' file '" + v.text + "': " + error);
  std::string shown = display_path(root, rel);
  ConfigResult base;
  if (rel.ends_with(".toml")) {
    bool found = false;
    base = parse_pyproject_config(shown, *text, root, found);
    if (!found) return fail("'extend' file '" + v.text + "' has no [tool.mlops-lint] table");
  } else {
    base = parse_yaml_config(shown, *text, root);
  }
  out.errors.insert(out.errors.end(), base.errors.begin(), base.errors.end());
  std::string source = out.config.source;
  out.config = std::move(base.config);
  out.config.source = source;
}

}  // namespace

ConfigResult parse_yaml_config(const std::string& path, const std::string& text, const std::string& root) {
  ConfigResult out;
  Builder b(path, root, out);
  // Bounded loading: an alias bomb or deep nesting is refused before any walk.
  YamlLoadResult loaded = load_yaml_documents(text);
  if (!loaded.error.empty()) {
    out.errors.push_back({{path, loaded.line, loaded.column}, loaded.error});
    return out;
  }
  YAML::Node n = loaded.documents.empty() ? YAML::Node() : loaded.documents.front();
  if (n.IsNull()) return out;  // an empty file means defaults
  size_t budget = kMaxConfigValues;
  Value top = from_yaml(n, budget);
  if (budget == 0) {
    b.error(1, "configuration holds more than " + std::to_string(kMaxConfigValues) + " values; not read");
    return out;
  }
  b.apply(top);
  return out;
}

ConfigResult parse_pyproject_config(const std::string& path, const std::string& text, const std::string& root,
                                    bool& found) {
  ConfigResult out;
  found = false;
  toml::table table;
  if (auto deep = check_toml_depth(text)) {
    // Refused like a syntax error: a repository's broken pyproject.toml is its own problem.
    out.errors.push_back({{path, deep->line, 0}, "invalid TOML: " + deep->message});
    found = true;
    return out;
  }
  try {
    table = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    out.errors.push_back({{path, static_cast<int>(e.source().begin.line), 0},
                          "invalid TOML: " + std::string(e.description())});
    found = true;
    return out;
  }
  const toml::node* section = table.at_path("tool.mlops-lint").node();
  if (!section) return out;
  found = true;
  Builder b(path, root, out);
  b.apply(from_toml(*section));
  return out;
}

ConfigResult load_config(const std::string& root, const std::string& explicit_path, bool discover) {
  std::string error;
  if (!explicit_path.empty()) {
    auto text = read_capped(explicit_path, error);
    if (!text) return {{}, {{{explicit_path, 0, 0}, error}}, {}};
    if (explicit_path.ends_with(".toml")) {
      bool found = false;
      ConfigResult r = parse_pyproject_config(explicit_path, *text, root, found);
      if (!found) r.errors.push_back({{explicit_path, 0, 0}, "no [tool.mlops-lint] table"});
      return r;
    }
    return parse_yaml_config(explicit_path, *text, root);
  }
  if (!discover) return {};
  // The scanned repository is untrusted: its files are read only through the confined layer.
  ConfinedRoot confined(root);
  if (!confined.ok()) return {{}, {{{root, 0, 0}, confined.error()}}, {}};
  for (const char* name : {".mlops-lint.yaml", ".mlops-lint.yml"}) {
    std::string p = display_path(root, name);
    // Absent, or a directory of that name: not a configuration file, as before.
    ConfinedStat st = confined.stat(name, Symlinks::kFollowInside);
    if (st.error == ConfinedError::kNotFound || (st.ok() && st.mode == S_IFDIR)) continue;
    ConfinedRead r = confined.read(name, kMaxConfigSize, Symlinks::kFollowInside);
    if (!r.ok()) {
      std::string why = r.error == ConfinedError::kTooLarge ? "configuration file " + r.message : r.message;
      return {{}, {{{p, 0, 0}, why}}, {}};
    }
    return parse_yaml_config(p, r.bytes, root);
  }
  std::string py = display_path(root, "pyproject.toml");
  ConfinedStat st = confined.stat("pyproject.toml", Symlinks::kFollowInside);
  if (st.error == ConfinedError::kNotFound || (st.ok() && st.mode == S_IFDIR)) return {};
  ConfinedRead r = confined.read("pyproject.toml", kMaxConfigSize, Symlinks::kFollowInside, true);
  if (!r.ok()) return {{}, {}, {{{py, 0, 0}, r.message + "; its [tool.mlops-lint] table is not read"}}};
  if (r.truncated) {
    // Big generated pyproject files exist; a cut TOML cannot be parsed, so only say it.
    return {{},
            {},
            {{{py, 0, 0},
              "pyproject.toml larger than " + std::to_string(kMaxConfigSize >> 20) +
                  " MiB: its [tool.mlops-lint] table is not read"}}};
  }
  bool found = false;
  ConfigResult result = parse_pyproject_config(py, r.bytes, root, found);
  // A broken pyproject.toml is the project's problem, reported as a diagnostic by the scan;
  // it only stops the run when it holds our table.
  if (found && result.errors.size() == 1 && result.errors[0].message.starts_with("invalid TOML")) return {};
  if (found) return result;
  return {};
}

}  // namespace mlops
