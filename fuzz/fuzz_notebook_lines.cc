// Fuzzes the mapping of a notebook's code lines back to file lines, and checks what it promises:
// one entry per source line, file lines inside the file, cells in document order.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "analysers/notebook.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  mlops::NotebookResult r = mlops::extract_notebook(json);
  if (!r.error.empty()) return 0;
  const auto& code = r.code;
  const long file_lines = 1 + std::count(json.begin(), json.end(), '\n');
  if (static_cast<size_t>(std::count(code.source.begin(), code.source.end(), '\n')) != code.lines.size())
    std::abort();
  int last_cell = 0;
  for (const auto& l : code.lines) {
    if (l.file_line < 1 || l.file_line > file_lines || l.cell < last_cell || l.cell_line < 1) std::abort();
    last_cell = l.cell;
  }
  for (const auto& c : code.cells)
    if (c.file_line < 1 || c.file_line > file_lines) std::abort();
  return 0;
}
