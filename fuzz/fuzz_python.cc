// Fuzzes the tree-sitter Python analyser: any bytes, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analysers/python_analyser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  mlops::analyse_python(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
