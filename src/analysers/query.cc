// File query helpers.
#include "analysers/query.h"

#include <algorithm>
#include <array>

#include "analysers/ci_config.h"
#include "analysers/dockerfile.h"
#include "analysers/lock_files.h"
#include "analysers/manifests.h"
#include "util/glob.h"

namespace mlops {
namespace {

// The extensions of Python sources and of YAML files, for whole paths and for extensions alone
// (query_kind_answer_for_extension): one list each.
constexpr std::array<std::string_view, 3> kPythonExtensions = {".py", ".ipynb", ".pyw"};
constexpr std::array<std::string_view, 2> kYamlExtensions = {".yaml", ".yml"};

template <size_t N>
bool ends_with_one_of(std::string_view path, const std::array<std::string_view, N>& suffixes) {
  return std::any_of(suffixes.begin(), suffixes.end(), [&](std::string_view s) { return path.ends_with(s); });
}

bool is_python_file(const std::string& path) {
  return ends_with_one_of(path, kPythonExtensions);
}

bool is_yaml_file(const std::string& path) {
  return ends_with_one_of(path, kYamlExtensions) || path.ends_with("MLproject");
}

// Length-prefixed ("3:abc"): no byte of an item can be taken for the end of it.
std::string field(const std::string& s) {
  return std::to_string(s.size()) + ":" + s;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += field(s);
  return out;
}

std::string join(const std::vector<std::pair<std::string, std::string>>& v) {
  std::string out;
  for (const auto& [k, val] : v) out += field(k) + field(val);
  return out;
}

std::string join(const std::vector<std::vector<PrefilterTerm>>& alternatives) {
  std::string out;
  for (const auto& alt : alternatives) {
    for (const auto& t : alt)
      out += std::to_string(t.literal) + ":" + std::to_string(static_cast<int>(t.mode)) + ",";
    out += ";";
  }
  return out;
}

}  // namespace

std::string FileQuery::fingerprint() const {
  return std::to_string(static_cast<int>(kind)) + "|" + join(globs) + "|" + field(pattern) + "|" +
         join(names) + "|" + join(key_path) + "|" + std::to_string(static_cast<int>(op)) + "|" +
         field(value) + "|" + join(has_keywords) + "|" + join(lacks_keywords) + "|" + join(prefilter) +
         (prefilter_words ? "|w" : "") + (prefilter_calls ? "|c" : "") + "|" + field(doc_kind) + "|" +
         join(keyword_values) + "|" + join(keyword_not_values) + "|" + join(bases) + "|" + join(doc_lacks) +
         "|" + join(beside) + (skip_env_arguments ? "|noenv" : "") + (skip_comparisons ? "|nocmp" : "") +
         (skip_suffixes ? "|nosuffix" : "") + (def_with_calls ? "|calls" : "") + (def_test ? "|test" : "") +
         (top_level ? "|top" : "") + "|" + field(capture) + "|" + std::to_string(min_output_bytes) +
         (main_only ? "|main" : "") + (versioned_only ? "|ver" : "") + "|q" +
         std::to_string(static_cast<int>(question)) + "|" + join(dataflow_sources) + "|" +
         join(dataflow_sinks) + "|" + join(dataflow_propagators) + "|" + join(prefilter_alternatives);
}

bool parses_python(QueryKind kind) {
  switch (kind) {
    case QueryKind::PythonImport:
    case QueryKind::PythonCall:
    case QueryKind::PythonString:
    case QueryKind::PythonDef:
    case QueryKind::PythonClass:
    case QueryKind::PythonAssign:
    case QueryKind::PythonQuery:
    case QueryKind::Dataflow:
      return true;
    default:
      return false;
  }
}

// The part of query_applies_to that does not depend on q.globs: the file kinds the query's
// kind reads.
static bool query_kind_applies_to(const FileQuery& q, const std::string& path) {
  if (parses_python(q.kind)) return is_python_file(path);
  switch (q.kind) {
    case QueryKind::Content:
      return true;
    case QueryKind::Yaml:
      return is_yaml_file(path);
    case QueryKind::Toml:
      return path.ends_with(".toml") || path.ends_with("Pipfile");
    case QueryKind::DependencyDeclared:
    case QueryKind::DependencyUnpinned:
      return manifest_kind(path) != ManifestKind::None;
    case QueryKind::DependencyLocked:
    case QueryKind::LockContents:
      return lock_kind(path) != LockKind::None;
    case QueryKind::RequirementIncludes:
      return manifest_kind(path) == ManifestKind::Requirements;
    case QueryKind::NotebookOutOfOrder:
    case QueryKind::NotebookOutputs:
    case QueryKind::NotebookErrors:
      return path.ends_with(".ipynb");
    case QueryKind::CiCommands:
      return is_ci_file(path);
    case QueryKind::BuildCommands:
      return is_build_file(path);
    case QueryKind::DockerInstruction:
    case QueryKind::DockerUnpinnedBase:
      return is_dockerfile(path);
    default:  // the Python kinds, answered above
      break;
  }
  return false;
}

std::optional<bool> query_kind_answer_for_extension(const FileQuery& q, std::string_view ext) {
  // A path ends with ".py" exactly when its extension is ".py"; one ending with a name such as
  // "MLproject" may have no extension, or one ending with it.
  auto one_of = [&](const auto& exts) { return std::find(exts.begin(), exts.end(), ext) != exts.end(); };
  auto ends_name = [&](std::string_view name) { return ext.empty() || ext.ends_with(name); };
  if (parses_python(q.kind)) return one_of(kPythonExtensions);
  switch (q.kind) {
    case QueryKind::Content:
      return true;
    case QueryKind::Yaml:
      if (one_of(kYamlExtensions)) return true;
      return ends_name("MLproject") ? std::nullopt : std::optional<bool>(false);
    case QueryKind::Toml:
      if (ext == ".toml") return true;
      return ends_name("Pipfile") ? std::nullopt : std::optional<bool>(false);
    case QueryKind::NotebookOutOfOrder:
    case QueryKind::NotebookOutputs:
    case QueryKind::NotebookErrors:
      return ext == ".ipynb";
    default:  // manifests, lock files, CI and build files, Dockerfiles: by name and directory
      return std::nullopt;
  }
}

bool query_applies_to(const FileQuery& q, const std::string& path) {
  if (!q.globs.empty() && !matches_globs(q.globs, path)) return false;
  return query_kind_applies_to(q, path);
}

bool query_applies_to(const FileQuery& q, const std::string& path, const GlobList& globs) {
  if (!globs.empty() && !globs.matches(path)) return false;
  return query_kind_applies_to(q, path);
}

}  // namespace mlops
