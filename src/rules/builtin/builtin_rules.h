// The built-in rules (rules/*.yaml), loaded at build time by src/rules/builtin/compile_rules.cc
// and compiled into the binary in the form of rules/rule_codec.h: start-up reads the loaded rules
// back instead of parsing their YAML. This library sits above the rest of rules/, which the
// build tool links.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "model/location.h"
#include "rules/rule.h"

namespace mlops {

// What RuleLoader::encode() gave for the built-in rules (RuleLoader::add_compiled reads it).
std::string_view builtin_rules();

// The built-in rules plus every *.yaml in `extra_dirs` (sorted, non-recursive).
// Read errors and schema errors go to `errors`.
RuleSet load_rules(const std::vector<std::string>& extra_dirs, std::vector<Diagnostic>& errors);

}  // namespace mlops
