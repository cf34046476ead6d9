// Lock files -> the packages they pin: poetry.lock, uv.lock, pdm.lock (TOML `[[package]]`),
// Pipfile.lock (JSON), conda-lock.yml (YAML `package:` list), pixi.lock and rye's
// requirements*.lock. A lock that does not parse or lists nothing pins nothing.
#pragma once
#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "analysers/manifests.h"

namespace mlops {

enum class LockKind { None, TomlPackages, PipfileLock, CondaLock, PixiLock, RequirementsLock };

LockKind lock_kind(std::string_view path);

// Each reader gives the locked packages (pinned, names PEP 503-normalised); `error` is set when
// the document is not a lock file of that kind.
std::vector<Dependency> read_toml_lock(const toml::table& root, std::string& error);
std::vector<Dependency> read_pipfile_lock(std::string_view text, std::string& error);
std::vector<Dependency> read_yaml_lock(const std::vector<YAML::Node>& docs, LockKind kind,
                                       std::string& error);

}  // namespace mlops
