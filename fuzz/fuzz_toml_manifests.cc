// Fuzzes TOML parsing, pyproject / Pipfile dependency reading and task-runner scripts (hatch,
// pdm, poe, taskipy, mise).
#include "common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mlops::fuzz::analyse_as("pyproject.toml", data, size);
  mlops::fuzz::analyse_as("Pipfile", data, size);
  mlops::fuzz::analyse_as("hatch.toml", data, size);
  mlops::fuzz::analyse_as("mise.toml", data, size);
  mlops::fuzz::analyse_as("poetry.lock", data, size);
  return 0;
}
