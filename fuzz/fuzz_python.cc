// Fuzzes the tree-sitter Python readers (the analyser and noxfile sessions): any bytes, never a
// crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analysers/noxfile.h"
#include "analysers/python_analyser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  mlops::analyse_python(text);
  mlops::nox_sessions(text);
  return 0;
}
