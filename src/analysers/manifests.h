// Dependency manifests -> declared packages: requirements*.txt, pyproject.toml (PEP 621, Poetry,
// PDM), environment.yml (conda, with its pip: list) and Pipfile. Names are PEP 503-normalised.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include <toml++/toml.h>

namespace mlops {

struct Dependency {
  std::string name;  // normalised: lower case, runs of -_. become '-'
  std::string spec;  // the requirement as written (one line)
  int line = 0;
  bool pinned = false;    // exactly one version (==, ===, a commit, a conda build)
  bool optional = false;  // an extra, a dependency group or a dev dependency (locks may leave these out)
  bool bare = false;      // no version constraint at all (`torch`, Poetry's "*")
};

enum class ManifestKind { None, Requirements, Pyproject, CondaEnv, Pipfile, SetupPy, SetupCfg };

ManifestKind manifest_kind(std::string_view path);

// Readers take documents already parsed by the file analyser: each file is parsed once.
std::vector<Dependency> read_requirements(std::string_view bytes);
// A project's own extras (`all = ["pkg[aws,io]"]` in pkg's pyproject) are not dependencies.
std::vector<Dependency> read_pyproject(const toml::table& root);
// The project's name ([project] or [tool.poetry]), normalised; empty when it has none.
std::string pyproject_name(const toml::table& root);
std::vector<Dependency> read_pipfile(const toml::table& root);
std::vector<Dependency> read_conda_env(const YAML::Node& doc);
// setup.py is read statically (never executed): string literals of `install_requires=[...]`
// and `extras_require={...: [...]}`; setup.cfg: [options] install_requires and extras_require.
std::vector<Dependency> read_setup_py(std::string_view source);
std::vector<Dependency> read_setup_cfg(std::string_view text);

std::string normalise_package_name(std::string_view name);

// Packaging metadata (pyproject.toml, setup.py, setup.cfg) states what a package works with, so
// ranges are its norm, and a bare name beside ranged ones (`torchvision` next to `torch>=2.4`)
// a library's choice. A required (non-optional) requirement there is unpinned when no required
// one names a version at all (the list fixes nothing, not even a floor), or when most are pinned
// exactly and this one is not (the project pins, and left this one open). Optional extras and
// dev groups are left alone.
bool is_packaging_metadata(ManifestKind kind);
std::vector<const Dependency*> unpinned_in_metadata(const std::vector<Dependency>& deps);

// A manifest saved as UTF-16 (a BOM, as PowerShell's `pip freeze > requirements.txt` writes it):
// its text as UTF-8, line for line; nullopt when the bytes have no UTF-16 BOM. pip reads such
// files, so they declare requirements like any other.
std::optional<std::string> utf16_manifest_as_utf8(std::string_view bytes);

// `-r FILE` / `--requirement FILE` and `-c FILE` / `--constraint FILE` lines of a requirements file.
struct RequirementInclude {
  bool constraint = false;
  std::string ref;  // as written
  int line = 0;
};
std::vector<RequirementInclude> read_requirement_includes(std::string_view bytes);

// The normalised package a requirement line names, as read_requirements reads it ("" if none).
std::string requirement_name(std::string_view spec);

// `ref`, written in the repository file `from`, as a repository path: relative to from's
// directory and normalised. nullopt for absolute paths, URLs, and paths that leave the repository.
std::optional<std::string> resolve_repo_path(std::string_view from, std::string_view ref);

}  // namespace mlops
