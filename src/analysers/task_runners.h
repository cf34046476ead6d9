// Task runners configured in TOML: hatch environment scripts (pyproject.toml
// [tool.hatch.envs.<env>.scripts], hatch.toml [envs.<env>.scripts]), pdm scripts, poethepoet
// tasks, taskipy tasks and mise tasks -> what `hatch run env:script`, `pdm run X`, `poe X`,
// `task X`, `mise run X` run.
#pragma once
#include <vector>

#include <toml++/toml.h>

#include "analysers/ci_config.h"

namespace mlops {

// Scripts of an already parsed pyproject.toml. Scopes: hatch "env:script", the others the task
// name; CiCommand::runner says which tool. A script that names another script of the same
// table (hatch, pdm composite, poe sequence / ref, `task other`) is followed one level.
std::vector<CiCommand> pyproject_scripts(const toml::table& doc);
// Scripts of hatch.toml (the same tables without the `tool.hatch` prefix).
std::vector<CiCommand> hatch_toml_scripts(const toml::table& doc);
// mise tasks (mise.toml / .mise.toml [tasks.NAME] `run`, string or list, with the commands of its
// `depends`; or `[tasks] NAME = "cmd"`) -> what `mise run NAME` runs.
std::vector<CiCommand> mise_tasks(const toml::table& doc);

}  // namespace mlops
