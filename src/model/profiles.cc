// The profile names (see profiles.h).
#include "model/profiles.h"

namespace mlops {

const std::vector<std::string>& known_profiles() {
  static const std::vector<std::string> profiles = {"research", "team", "production"};
  return profiles;
}

}  // namespace mlops
