// The pin-from-lock fixer (DEP002): its version and requirement handling, exposed for unit tests.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fix/fixer.h"

namespace mlops {

// A PEP 440 version, enough to order versions and evaluate specifiers.
struct Pep440Version {
  long epoch = 0;
  std::vector<long> release;
  int pre_kind = -1;  // -1 none, 0 a, 1 b, 2 rc
  long pre = 0;
  long post = -1;  // -1: no post-release
  long dev = -1;   // -1: no dev-release
  std::string local;
};

// nullopt when `text` is not a PEP 440 version (then nothing is said about it).
std::optional<Pep440Version> parse_pep440(std::string_view text);
// <0, 0, >0 as a orders before, equal to, after b (PEP 440 ordering; trailing zeros ignored).
int compare_pep440(const Pep440Version& a, const Pep440Version& b);
// Whether `version` satisfies the specifier set `specifier` (">=1.2,<2", "~=1.4", "" = any);
// nullopt when either cannot be read (the caller then declines).
std::optional<bool> satisfies_specifier(std::string_view version, std::string_view specifier);

// `requirement` (one PEP 508 requirement, as written) with its version specifier replaced by
// `==version`, keeping name, extras and marker; nullopt for URL references, unreadable
// specifiers and specifiers `version` does not satisfy.
std::optional<std::string> pin_requirement(std::string_view requirement, std::string_view version);

// The files of `project` that belong to no project nested in it (sorted).
std::vector<std::string> project_own_files(const FixContext& context, const std::string& project);

std::optional<Fix> fix_pin_from_lock(const FixContext& context, const Finding& finding);

}  // namespace mlops
