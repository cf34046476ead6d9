// The `split-seed` fixer (DAT004): seeds a random data split where it is called. Scikit-learn
// splitters get `random_state=SEED`, torch's random_split gets
// `generator=torch.Generator().manual_seed(SEED)`. SEED is the project's seed when one is in
// scope (a `seed` / `random_state` parameter of the enclosing function, else a module-level seed
// constant holding an integer), else the rule's `seed` option (default 42). Unsafe: the split
// changes once. The generator is built with the name torch is imported as (`import torch as th`
// -> `th.Generator()`); a file that only does `from torch.utils.data import random_split` gets an
// `import torch` (torch is installed, and the name then exists: no NameError). Declines on
// notebooks, on files over 1 MB, on calls passing **kwargs (the seed may be in there) and on
// calls whose positional arguments may already reach the seed's position.
#include <algorithm>
#include <optional>
#include <string>

#include "fix/edits.h"
#include "fix/fixer.h"
#include "fix/fixers/python_source.h"

namespace mlops {

namespace {

struct Splitter {
  std::string_view name;
  bool torch;         // random_split: a generator, not random_state
  int seed_position;  // the seed's position among positional parameters; -1: keyword-only
};

// The splitters DAT004 names, by the last part of the callee. The positions are those of the
// libraries' older signatures (scikit-learn before keyword-only arguments; torch's generator).
constexpr Splitter kSplitters[] = {
    {"train_test_split", false, -1},  // *arrays: every positional argument is data
    {"KFold", false, 2},
    {"StratifiedKFold", false, 2},
    {"GroupKFold", false, 2},
    {"StratifiedGroupKFold", false, 2},
    {"ShuffleSplit", false, 3},
    {"StratifiedShuffleSplit", false, 3},
    {"GroupShuffleSplit", false, 3},
    {"RepeatedKFold", false, 2},
    {"RepeatedStratifiedKFold", false, 2},
    {"random_split", true, 2},
};

const Splitter* splitter_of(std::string_view callee) {
  size_t dot = callee.rfind('.');
  std::string_view last = dot == std::string_view::npos ? callee : callee.substr(dot + 1);
  for (const auto& s : kSplitters)
    if (s.name == last) return &s;
  return nullptr;
}

// The imported name behind a callee that is an alias (`from ... import train_test_split as tts`),
// else the callee itself.
std::string_view unaliased(const PySource& src, std::string_view callee) {
  for (TSNode stmt : code_children(src.root())) {
    if (!is_type(stmt, "import_from_statement")) continue;
    for (TSNode name : code_children(stmt))
      if (is_type(name, "aliased_import") &&
          src.text(ts_node_child_by_field_name(name, "alias", 5)) == callee)
        return src.text(ts_node_child_by_field_name(name, "name", 4));
  }
  return callee;
}

bool is_int_literal(const PySource& src, std::optional<TSNode> n) {
  return n && is_type(*n, "integer") && !src.text(*n).empty();
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.size() <= 18 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Whether a function between `call` and the module binds `name` itself (a parameter or a local),
// hiding the module-level constant of that name.
bool shadowed(const PySource& src, TSNode call, std::string_view name) {
  for (auto f = enclosing_function(call); f; f = enclosing_function(*f)) {
    for (const auto& p : function_parameters(src, *f))
      if (p.name == name) return true;
    if (assigns_locally(src, *f, name)) return true;
  }
  return false;
}

// The seed expression: a seed parameter of the enclosing function, a module-level seed constant
// in scope, or the rule's literal. nullopt: the code has a seed the fix cannot use safely.
std::optional<std::string> seed_expression(const PySource& src, TSNode call, bool torch,
                                           const FixContext& context) {
  auto function = enclosing_function(call);
  if (function) {
    for (const auto& p : function_parameters(src, *function)) {
      if (p.name != "seed" && p.name != "random_state" && p.name != "random_seed") continue;
      // manual_seed(None) raises: torch needs a parameter that is an integer unless passed one.
      if (torch && p.default_value && !is_int_literal(src, p.default_value)) return std::nullopt;
      return p.name;
    }
  }
  for (const auto& k : src.module_int_constants()) {
    if (!looks_like_seed_name(k.name)) continue;
    // At module level the constant must be assigned before the call runs.
    if (!function && ts_node_end_byte(k.statement) > ts_node_start_byte(call)) continue;
    if (shadowed(src, call, k.name)) continue;
    return k.name;
  }
  auto it = context.options().find("seed");
  std::string literal = it == context.options().end() ? "42" : it->second;
  if (!all_digits(literal)) return std::nullopt;  // an option that is not an integer: no guess
  return literal;
}

}  // namespace

std::optional<Fix> fix_split_seed(const FixContext& context, const Finding& finding) {
  const Location& at = finding.where;
  auto py = open_python_finding(context, finding);
  if (!py) return std::nullopt;
  const std::string* bytes = py->bytes;
  const std::optional<size_t> offset = py->offset;
  const auto& src = py->src;

  std::optional<TSNode> call;
  const Splitter* splitter = nullptr;
  for (TSNode c : src->calls_at(*offset)) {
    std::string_view callee = src->text(ts_node_child_by_field_name(c, "function", 8));
    splitter = splitter_of(callee);
    if (!splitter) splitter = splitter_of(unaliased(*src, callee));
    if (splitter) {
      call = c;
      break;
    }
  }
  if (!call) return std::nullopt;
  TSNode args = ts_node_child_by_field_name(*call, "arguments", 9);
  if (!is_type(args, "argument_list")) return std::nullopt;  // a generator argument: f(x for x in y)

  const std::string_view keyword = splitter->torch ? "generator" : "random_state";
  std::vector<TSNode> kids = code_children(args);
  int positional = 0;
  for (TSNode k : kids) {
    if (is_type(k, "dictionary_splat")) return std::nullopt;  // **kwargs may hold the seed
    if (is_type(k, "list_splat") && splitter->seed_position >= 0) return std::nullopt;
    if (is_type(k, "keyword_argument")) {
      if (src->text(ts_node_child_by_field_name(k, "name", 4)) == keyword) return std::nullopt;
    } else {
      ++positional;
    }
  }
  if (splitter->seed_position >= 0 && positional > splitter->seed_position) return std::nullopt;

  std::optional<std::string> seed = seed_expression(*src, *call, splitter->torch, context);
  if (!seed) return std::nullopt;

  std::vector<TextEdit> edits;
  std::string torch_name;
  bool imports_torch = false;
  if (splitter->torch) {
    size_t before = enclosing_function(*call) ? SIZE_MAX : ts_node_start_byte(*call);
    auto name = src->module_name_for("torch", before);
    if (name) {
      torch_name = *name;
    } else {
      // Only `from torch... import random_split`: torch itself is installed, so import it.
      torch_name = "torch";
      imports_torch = true;
      auto ins = src->import_insertion("import torch");
      edits.push_back(make_edit(at.path, *bytes, ins.offset, ins.offset, ins.text));
    }
  }
  const std::string argument =
      std::string(keyword) + "=" +
      (splitter->torch ? torch_name + ".Generator().manual_seed(" + *seed + ")" : *seed);

  const std::string_view text = *bytes;
  const std::string lb(line_break(text));
  if (kids.empty()) {
    size_t open = ts_node_start_byte(args) + 1;  // right after "("
    edits.push_back(make_edit(at.path, text, open, open, argument));
  } else {
    TSNode last = kids.back();
    size_t last_end = ts_node_end_byte(last);
    std::optional<TSNode> comma;
    std::vector<TSNode> tokens = all_children(args);
    TSNode close = tokens.back();
    if (!is_type(close, ")")) return std::nullopt;
    for (TSNode c : tokens)
      if (ts_node_start_byte(c) >= last_end && is_type(c, ",")) comma = c;
    size_t after = comma ? ts_node_end_byte(*comma) : last_end;
    size_t last_start = ts_node_start_byte(last);
    size_t last_line = line_start(text, last_start);
    bool own_line =
        text.substr(last_line, last_start - last_line).find_first_not_of(" \t") == std::string_view::npos;
    bool close_below = line_start(text, ts_node_start_byte(close)) > after;
    if (own_line && close_below) {
      // One argument per line: the seed goes on a line of its own, indented like the last one,
      // keeping the call's trailing-comma style.
      std::string indent(indentation(text, last_start));
      size_t eol = line_end(text, after);
      if (comma) {
        edits.push_back(make_edit(at.path, text, eol, eol, lb + indent + argument + ","));
      } else if (eol == last_end) {
        edits.push_back(make_edit(at.path, text, eol, eol, "," + lb + indent + argument));
      } else {
        edits.push_back(make_edit(at.path, text, last_end, last_end, ","));
        edits.push_back(make_edit(at.path, text, eol, eol, lb + indent + argument));
      }
    } else {
      edits.push_back(make_edit(at.path, text, last_end, last_end, ", " + argument));
    }
  }

  Fix fix;
  fix.applicability = Applicability::Unsafe;
  fix.message = "pass " + argument + " so the split is the same on every run (it changes once)";
  if (imports_torch) fix.message += ", and import torch";
  fix.edits = std::move(edits);
  return fix;
}

}  // namespace mlops
