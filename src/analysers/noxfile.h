// noxfile.py -> the commands of its sessions, read statically (never executed) with tree-sitter.
#pragma once
#include <string_view>
#include <vector>

#include "analysers/ci_config.h"

namespace mlops {

// Each `session.run("pytest", "-q", ...)` of a `@nox.session` function as one command line
// (string arguments joined), scoped by the session's name; the commands of the sessions a bare
// `nox` runs (nox.options.sessions when set literally, else every session not marked
// `default=False`) are repeated under the scope "".
std::vector<CiCommand> nox_sessions(std::string_view source);

}  // namespace mlops
