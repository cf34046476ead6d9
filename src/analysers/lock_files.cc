// Lock file readers.
#include "analysers/lock_files.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "util/glob.h"

namespace mlops {
namespace {

Dependency locked(std::string_view name, const std::string& version, int line) {
  Dependency d;
  d.name = normalise_package_name(name);
  d.spec = std::string(name) + (version.empty() ? "" : "==" + version);
  d.line = line;
  d.pinned = true;
  return d;
}

// The line where `"key"` first appears: nlohmann-json keeps no positions.
int line_of_key(std::string_view text, const std::string& key) {
  size_t at = text.find("\"" + key + "\"");
  if (at == std::string_view::npos) return 1;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

// `.../python-3.12.3-hab00c5b_0_cpython.conda` -> python, 3.12.3.
void split_conda_archive(const std::string& url, std::string& name, std::string& version) {
  std::string file = url.substr(url.rfind('/') + 1);
  for (const char* ext : {".conda", ".tar.bz2"})
    if (file.ends_with(ext)) file.resize(file.size() - std::string_view(ext).size());
  size_t build = file.rfind('-');
  if (build == std::string::npos || build == 0) return;
  size_t ver = file.rfind('-', build - 1);
  if (ver == std::string::npos || ver == 0) return;
  name = file.substr(0, ver);
  version = file.substr(ver + 1, build - ver - 1);
}

}  // namespace

LockKind lock_kind(std::string_view path) {
  size_t slash = path.rfind('/');
  std::string_view base = slash == std::string_view::npos ? path : path.substr(slash + 1);
  if (base == "poetry.lock" || base == "uv.lock" || base == "pdm.lock") return LockKind::TomlPackages;
  if (base == "Pipfile.lock") return LockKind::PipfileLock;
  if (base == "conda-lock.yml" || base == "conda-lock.yaml" || glob_match_full("*.conda-lock.y*ml", base))
    return LockKind::CondaLock;
  if (base == "pixi.lock") return LockKind::PixiLock;
  if (glob_match_full("requirements*.lock", base)) return LockKind::RequirementsLock;
  return LockKind::None;
}

std::vector<Dependency> read_toml_lock(const toml::table& root, std::string& error) {
  std::vector<Dependency> out;
  const toml::array* packages = root.get_as<toml::array>("package");
  if (!packages) {
    if (!root.contains("metadata") && !root.contains("version"))
      error = "no [[package]] entries: not a lock file";
    return out;
  }
  for (const auto& p : *packages) {
    const toml::table* t = p.as_table();
    if (!t) continue;
    auto name = (*t)["name"].value<std::string>();
    if (!name) continue;
    out.push_back(
        locked(*name, (*t)["version"].value_or(std::string()), static_cast<int>(t->source().begin.line)));
  }
  return out;
}

std::vector<Dependency> read_pipfile_lock(std::string_view text, std::string& error) {
  std::vector<Dependency> out;
  auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    error = "invalid JSON: not a Pipfile.lock";
    return out;
  }
  for (const char* section : {"default", "develop"}) {
    auto it = json.find(section);
    if (it == json.end() || !it->is_object()) continue;
    for (const auto& [name, entry] : it->items()) {
      std::string version;
      if (entry.is_object() && entry.contains("version") && entry["version"].is_string()) {
        version = entry["version"].get<std::string>();
        if (version.starts_with("==")) version = version.substr(2);
      }
      out.push_back(locked(name, version, line_of_key(text, name)));
    }
  }
  return out;
}

std::vector<Dependency> read_yaml_lock(const std::vector<YAML::Node>& docs, LockKind kind,
                                       std::string& error) {
  std::vector<Dependency> out;
  const char* list_key = kind == LockKind::CondaLock ? "package" : "packages";
  bool found = false;
  for (const auto& doc : docs) {
    if (!doc.IsMap() || !doc[list_key] || !doc[list_key].IsSequence()) continue;
    found = true;
    for (const auto& item : doc[list_key]) {
      if (!item.IsMap()) continue;
      std::string name = item["name"] && item["name"].IsScalar() ? item["name"].Scalar() : "";
      std::string version = item["version"] && item["version"].IsScalar() ? item["version"].Scalar() : "";
      // pixi.lock (v6) names conda packages only by their archive URL: name-version-build.conda.
      if (name.empty() && item["conda"] && item["conda"].IsScalar())
        split_conda_archive(item["conda"].Scalar(), name, version);
      if (!name.empty()) out.push_back(locked(name, version, item.Mark().line + 1));
    }
  }
  if (!found) error = std::string("no '") + list_key + "' list: not a lock file";
  return out;
}

}  // namespace mlops
