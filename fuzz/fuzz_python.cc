// Fuzzes the tree-sitter Python readers (the analyser and noxfile sessions): any bytes, never a
// crash or a hang. Every fact is collected, and raw tree-sitter queries (with each kind of text
// predicate) run over the parse.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "analysers/noxfile.h"
#include "analysers/python_analyser.h"

namespace {

const std::vector<std::shared_ptr<const mlops::PyTreeQuery>>& tree_queries() {
  static const auto queries = [] {
    std::vector<std::shared_ptr<const mlops::PyTreeQuery>> out;
    const char* sources[] = {
        "(call function: (attribute attribute: (identifier) @m (#eq? @m \"fit\"))) @call",
        "((identifier) @i (#match? @i \"^[A-Z_]+$\"))",
        "((_) @n (#not-match? @n \"x\"))",
        "(assignment left: (identifier) @l right: (identifier) @r (#not-eq? @l @r))",
        "(class_definition name: (identifier) @c superclasses: (argument_list (_)* @b) (#any-of? @c \"Net\" "
        "\"Model\"))",
        "(keyword_argument name: (identifier) @k value: [(true) (false) (none) (integer)] @v)",
    };
    for (const char* s : sources) {
      auto r = mlops::PyTreeQuery::compile(s, "");
      if (r.query) out.push_back(std::move(r.query));
    }
    return out;
  }();
  return queries;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view src(reinterpret_cast<const char*>(data), size);
  mlops::PythonParse parse(src);
  parse.facts(mlops::kPyAllFacts);
  parse.facts(0);
  for (const auto& q : tree_queries()) parse.run(*q, 200);
  mlops::nox_sessions(src);
  return 0;
}
