// How serious a finding is. Rules declare it, configuration overrides it per rule, reports
// print it: it sits here, below all of them, so configuration need not depend on the rules.
#pragma once
#include <optional>
#include <string>

namespace mlops {

enum class Severity { Info = 0, Warning = 1, Error = 2 };

const char* to_string(Severity s);
std::optional<Severity> parse_severity(const std::string& s);

}  // namespace mlops
