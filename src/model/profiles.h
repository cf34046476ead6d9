// The profiles a run can check against (research, team, production): rules name the ones they
// belong to and configuration picks one, so the list sits below both.
#pragma once
#include <string>
#include <vector>

namespace mlops {

// In order of strictness.
const std::vector<std::string>& known_profiles();

}  // namespace mlops
