// Fuzzes the intra-file data flow (analysers/dataflow.h): any bytes, as Python and, when they
// read as one, as a notebook (cells in execution order). Never a crash or a hang, whatever the
// nesting, unpacking or size; the questions and a spec with each kind of sink and an order.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "analysers/dataflow.h"
#include "analysers/notebook.h"
#include "analysers/python_analyser.h"

namespace {

const mlops::DataflowSpec& spec() {
  static const mlops::DataflowSpec s = [] {
    mlops::DataflowSpec out;
    out.sources = {{"data", {"pandas.read_*", "!*().*"}, mlops::DfOutputs::Result, true},
                   {"train", {"*split"}, mlops::DfOutputs::Even, false},
                   {"test", {"*split"}, mlops::DfOutputs::Odd, false}};
    out.sinks = {
        {"fit", {"*.fit", "*.fit_transform"}, mlops::DfWatch::Positionals, 0, true, {}},
        {"eval", {"*.score", "sklearn.metrics.*"}, mlops::DfWatch::Any, 0, true, {{"weights_only", "True"}}},
        {"self", {"*.to_csv"}, mlops::DfWatch::Receiver, 0, false, {}},
        {"second", {"*"}, mlops::DfWatch::Positional, 1, true, {}}};
    out.orders = {{"fit", "eval"}, {"second", "fit"}};
    out.barriers = {"*split"};
    out.propagators = mlops::default_propagators();
    out.inert = mlops::default_inert();
    return out;
  }();
  return s;
}

void questions(const mlops::DfCode& code) {
  mlops::analyse_dataflow(code, spec());
  mlops::ml_questions(code);
  // A rule's own sources and sinks (openers, `with ... as`, exempting keywords).
  static const mlops::DfTaint taint{{"requests.get", "*download*"},
                                    {"pickle.load*", "torch.load"},
                                    {"*.decode"},
                                    {{"weights_only", "True"}}};
  mlops::source_reaches_sink(code, taint);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view src(reinterpret_cast<const char*>(data), size);
  mlops::PythonParse parse(src);
  questions({&parse, nullptr});
  mlops::NotebookResult nb = mlops::extract_notebook(src);
  if (nb.error.empty()) {
    mlops::PythonParse cells(nb.code.source);
    questions({&cells, &nb.code});
  }
  return 0;
}
