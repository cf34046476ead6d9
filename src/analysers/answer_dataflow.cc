// The data-flow questions (analysers/dataflow.h) as a file query: one finding per answer, at the
// call the question reports (the fit, the evaluation, the sink, or the split whose test part is
// never evaluated).
#include "analysers/answer.h"

namespace mlops {

namespace {

const DfAnswer* ml_answer(const DfAnswers& answers, DataflowQuestion q) {
  switch (q) {
    case DataflowQuestion::FitBeforeSplit:
      return &answers.fit_before_split;
    case DataflowQuestion::TestSplitNotEvaluated:
      return &answers.test_split_not_evaluated;
    case DataflowQuestion::TestSplitFitted:
      return &answers.test_split_fitted;
    case DataflowQuestion::EvaluatedOnTrainSplit:
      return &answers.evaluated_on_train_split;
    case DataflowQuestion::TestSplitSteersTraining:
      return &answers.test_split_steers_training;
    case DataflowQuestion::SourceToSink:
      break;
  }
  return nullptr;
}

}  // namespace

void answer_dataflow(const FileQuery& q, ParsedFile& parsed, std::vector<Match>& out) {
  // The ML questions share one cached run per file; a rule's own sources and sinks run alone.
  std::optional<DfAnswer> own;
  const DfAnswer* answer = nullptr;
  if (q.question == DataflowQuestion::SourceToSink) {
    std::optional<DfCode> code = parsed.dataflow_code();
    if (!code) return;
    own = source_reaches_sink(
        *code, DfTaint{q.dataflow_sources, q.dataflow_sinks, q.dataflow_propagators, q.keyword_not_values});
    answer = &*own;
  } else {
    const DfAnswers* answers = parsed.dataflow();
    if (!answers) return;
    answer = ml_answer(*answers, q.question);
  }
  if (!answer) return;
  for (const auto& f : answer->findings) {
    Match m;
    m.line = f.at.line;
    m.column = f.at.column;
    m.cell = f.at.cell;
    m.cell_line = f.at.cell_line;
    m.text = snippet(f.text);
    push(out, std::move(m));
  }
  if (answer->truncated)
    parsed.diagnose(
        1, "data flow stopped early (" + answer->note + "); findings in this file may be incomplete");
}

}  // namespace mlops
