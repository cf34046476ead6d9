// Which rules a run reports and at what severity, as configured (`select`, `extend-select`,
// `ignore`, `severity`) or given on the command line. Data only: engine/selection.h applies it.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "model/severity.h"

namespace mlops {

struct Selection {
  std::vector<std::string> select;         // empty: ALL
  std::vector<std::string> extend_select;  // added to select
  std::vector<std::string> ignore;
  std::map<std::string, Severity> severity;  // rule id -> severity
};

}  // namespace mlops
