// Notebook queries: executed cells out of document order, committed outputs over a size, error
// outputs.
#include "analysers/answer.h"

namespace mlops {

// Executed cells whose execution counts do not rise in document order: the saved outputs came
// from a different order than a reader (or "Run all") would use.
void answer_out_of_order(const FileQuery& /*q*/, ParsedFile& parsed, std::vector<Match>& out) {
  const NotebookCode* code = parsed.notebook();
  if (!code) return;
  const NotebookCode& nb = *code;
  int highest = -1, highest_cell = 0;
  for (const auto& c : nb.cells) {
    if (c.execution_count < 0) continue;
    if (c.execution_count < highest) {
      push(out, {c.file_line, 0, c.cell, 1,
                 "cell " + std::to_string(c.cell) + " ran as [" + std::to_string(c.execution_count) +
                     "] after cell " + std::to_string(highest_cell) + " ran as [" + std::to_string(highest) +
                     "]"});
      return;
    }
    highest = c.execution_count;
    highest_cell = c.cell;
  }
}

void answer_outputs(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out) {
  const NotebookCode* code = parsed.notebook();
  if (!code) return;
  const NotebookCode& nb = *code;
  size_t total = 0;
  const NotebookCell* largest = nullptr;
  for (const auto& c : nb.cells) {
    total += c.output_bytes;
    if (c.output_bytes > 0 && (!largest || c.output_bytes > largest->output_bytes)) largest = &c;
  }
  if (!largest || total < q.min_output_bytes) return;
  push(out, {largest->file_line, 0, largest->cell, 1,
             std::to_string(total / 1024) + " KiB of outputs (cell " + std::to_string(largest->cell) + ": " +
                 std::to_string(largest->output_bytes / 1024) + " KiB)"});
}

// Every code cell saved with a traceback: the notebook does not run as committed (or ran in a
// state a reader cannot reproduce).
void answer_error_outputs(const FileQuery& /*q*/, ParsedFile& parsed, std::vector<Match>& out) {
  const NotebookCode* code = parsed.notebook();
  if (!code) return;
  for (const auto& c : code->cells)
    if (!c.error_name.empty())
      push(out, {c.file_line, 0, c.cell, 1, "cell " + std::to_string(c.cell) + " raised " + c.error_name});
}

}  // namespace mlops
