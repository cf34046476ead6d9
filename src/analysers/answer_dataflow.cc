// The data-flow questions (analysers/dataflow.h) as a file query: one finding per answer, at the
// call the question reports (the fit, or the split whose test part is never evaluated).
#include "analysers/answer.h"

namespace mlops {

void answer_dataflow(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out) {
  const DfAnswers* answers = parsed.dataflow();
  if (!answers) return;
  const DfAnswer& answer = q.question == DataflowQuestion::FitBeforeSplit ? answers->fit_before_split
                           : q.question == DataflowQuestion::TestSplitNotEvaluated
                               ? answers->test_split_not_evaluated
                               : answers->test_split_fitted;
  for (const auto& f : answer.findings) {
    Match m;
    m.line = f.at.line;
    m.column = f.at.column;
    m.cell = f.at.cell;
    m.cell_line = f.at.cell_line;
    m.text = snippet(f.text);
    push(out, std::move(m));
  }
  if (answer.truncated)
    parsed.diagnose(1,
                    "data flow stopped early (" + answer.note + "); findings in this file may be incomplete");
}

}  // namespace mlops
