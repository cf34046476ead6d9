// Fuzzes requirements.txt parsing.
#include <string_view>

#include "analysers/manifests.h"
#include "common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mlops::read_requirements(std::string_view(reinterpret_cast<const char*>(data), size));
  mlops::fuzz::analyse_as("requirements-dev.txt", data, size);
  mlops::fuzz::analyse_as("Pipfile.lock", data, size);
  return 0;
}
