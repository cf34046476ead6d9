// Fuzzes the walk over a notebook's outputs: the input becomes the outputs of a code cell, so
// deep and odd JSON reaches the depth check and the measurement of outputs directly.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "analysers/notebook.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string nb = "{\"cells\":[{\"cell_type\":\"code\",\"execution_count\":1,\"metadata\":{},\"outputs\":[";
  nb.append(reinterpret_cast<const char*>(data), size);
  nb += "],\"source\":[\"x = 1\\n\"]}],\"metadata\":{},\"nbformat\":4,\"nbformat_minor\":5}";
  mlops::extract_notebook(nb);
  return 0;
}
