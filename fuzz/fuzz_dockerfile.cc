// Fuzzes Dockerfile reading (continuations, heredocs, exec form, FROM resolution) and its queries.
#include "analysers/dockerfile.h"
#include "common.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mlops::read_dockerfile(std::string_view(reinterpret_cast<const char*>(data), size));
  mlops::fuzz::analyse_as("Dockerfile", data, size);
  return 0;
}
