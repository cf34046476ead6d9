// Fuzzes notebook extraction (JSON -> code cells with line mapping).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analysers/notebook.h"
#include "analysers/python_analyser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto nb = mlops::extract_notebook(std::string_view(reinterpret_cast<const char*>(data), size));
  if (nb.error.empty()) mlops::analyse_python(nb.code.source);
  return 0;
}
