// Jupyter notebooks -> Python source of the code cells, with a map back to cell and line.
#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace mlops {

struct NotebookLine {
  int cell = 0;       // 1-based index among all cells
  int cell_line = 0;  // 1-based line in the cell
  int file_line = 0;  // best-effort line in the .ipynb file (where the source string sits)
};

struct NotebookCell {
  int cell = 0;              // 1-based index among all cells
  int file_line = 0;         // line of its first source line in the .ipynb file
  int execution_count = -1;  // -1: never executed
  size_t output_bytes = 0;   // size of its committed outputs, as JSON
  std::string error_name;    // the exception of its first error output (a traceback), if any
};

struct NotebookCode {
  // Code cells joined; magics and shell lines blanked (and, once ParsedFile::python_parse has
  // run, the cells that do not parse on their own).
  std::string source;
  std::vector<NotebookLine> lines;  // lines[i] describes line i+1 of `source`
  std::vector<NotebookCell> cells;  // code cells, in document order
};

// Something the reader left out of a readable notebook (outputs nested too deep to measure).
struct NotebookNote {
  int line = 0;
  std::string message;
};

struct NotebookResult {
  NotebookCode code;
  std::string error;  // non-empty when the notebook could not be read
  int error_line = 0;
  std::vector<NotebookNote> notes;
};

// Linear in the size of `json` whatever it holds (escapes, nesting): outputs nested deeper than
// kMaxJsonDepth are not measured and get a note instead.
NotebookResult extract_notebook(std::string_view json);

}  // namespace mlops
