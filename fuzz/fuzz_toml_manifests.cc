// Fuzzes TOML parsing and pyproject / Pipfile dependency reading.
#include "common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mlops::fuzz::analyse_as("pyproject.toml", data, size);
  mlops::fuzz::analyse_as("Pipfile", data, size);
  return 0;
}
