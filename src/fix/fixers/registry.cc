// The fixer registry: one line per fixer. A fixer's function lives in its own file beside this one.
#include <algorithm>

#include "fix/fixer.h"

namespace mlops {

// Declarations of the fixers (each defined in fix/fixers/<name>.cc).
std::optional<Fix> fix_strip_outputs(const FixContext&, const Finding&);
std::optional<Fix> fix_pin_base_image(const FixContext&, const Finding&);
std::optional<Fix> fix_pin_from_lock(const FixContext&, const Finding&);
std::optional<Fix> fix_split_seed(const FixContext&, const Finding&);
std::optional<Fix> fix_env_credential(const FixContext&, const Finding&);

const std::vector<FixerInfo>& all_fixers() {
  static const std::vector<FixerInfo> fixers = [] {
    std::vector<FixerInfo> v = {
        // {name, applicability, summary, function},
        {"strip-outputs", Applicability::Safe, "clears notebook outputs and run counts", fix_strip_outputs},
        {"pin-base-image", Applicability::Safe,
         "tags python / python:latest with the declared Python (unsafe from a range's lower bound)",
         fix_pin_base_image},
        {"pin-from-lock", Applicability::Safe, "pins the version the project's lock resolves",
         fix_pin_from_lock},
        {"split-seed", Applicability::Unsafe, "adds a seed to a random split", fix_split_seed},
        {"env-credential", Applicability::Unsafe, "reads the credential from os.environ", fix_env_credential},
    };
    std::sort(v.begin(), v.end(), [](const FixerInfo& a, const FixerInfo& b) { return a.name < b.name; });
    return v;
  }();
  return fixers;
}

}  // namespace mlops
