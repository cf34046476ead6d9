// tree-sitter walk over a Python syntax tree, collecting imports, calls, strings, definitions
// and module-level assignments; and raw tree-sitter queries with their text predicates.
#include "analysers/python_analyser.h"

#include <re2/re2.h>
#include <tree_sitter/api.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "analysers/python_names.h"
#include "util/limits.h"

extern "C" const TSLanguage* tree_sitter_python();

namespace mlops {
namespace {

struct ParserDeleter {
  void operator()(TSParser* p) const { ts_parser_delete(p); }
};

std::vector<TSNode> children(TSNode n) {
  std::vector<TSNode> out;
  out.reserve(ts_node_child_count(n));
  TSTreeCursor cursor = ts_tree_cursor_new(n);
  if (ts_tree_cursor_goto_first_child(&cursor)) {
    do {
      out.push_back(ts_tree_cursor_current_node(&cursor));
    } while (ts_tree_cursor_goto_next_sibling(&cursor));
  }
  ts_tree_cursor_delete(&cursor);
  return out;
}

int line(TSNode n) {
  return static_cast<int>(ts_node_start_point(n).row) + 1;
}
int col(TSNode n) {
  return static_cast<int>(ts_node_start_point(n).column) + 1;
}

}  // namespace

// ---- Import aliases and qualified callee names -------------------------------------------

void PyNames::import_statement(TSNode n, std::vector<PyImport>* imports) {
  // import a.b, c as d
  for (TSNode c : children(n)) {
    if (!ts_node_is_named(c)) continue;
    std::string_view t = ts_node_type(c);
    if (t == "dotted_name") {
      std::string mod = text(c);
      if (imports) imports->push_back({mod, line(c), col(c)});
      // `import a.b` binds `a`; attribute access a.b.f then resolves to itself.
      std::string head = mod.substr(0, mod.find('.'));
      aliases_[head] = head;
    } else if (t == "aliased_import") {
      TSNode name = ts_node_child_by_field_name(c, "name", 4);
      TSNode alias = ts_node_child_by_field_name(c, "alias", 5);
      std::string mod = text(name);
      if (imports) imports->push_back({mod, line(c), col(c)});
      if (!ts_node_is_null(alias)) aliases_[text(alias)] = mod;
    }
  }
}

void PyNames::import_from(TSNode n, std::vector<PyImport>* imports) {
  TSNode module = ts_node_child_by_field_name(n, "module_name", 11);
  std::string mod = ts_node_is_null(module) ? "" : text(module);
  bool relative = !mod.empty() && mod[0] == '.';
  bool any_name = false;
  for (TSNode c : children(n)) {
    if (!ts_node_is_named(c)) continue;
    if (!ts_node_is_null(module) && ts_node_eq(c, module)) continue;
    std::string_view t = ts_node_type(c);
    std::string name, local;
    if (t == "dotted_name") {
      name = local = text(c);
    } else if (t == "aliased_import") {
      name = text(ts_node_child_by_field_name(c, "name", 4));
      local = text(ts_node_child_by_field_name(c, "alias", 5));
    } else if (t == "wildcard_import") {
      if (imports) imports->push_back({mod, line(n), col(n)});
      any_name = true;
      continue;
    } else {
      continue;
    }
    any_name = true;
    std::string qual = mod.empty() ? name : (relative ? mod + name : mod + "." + name);
    if (imports) imports->push_back({qual, line(c), col(c)});
    if (!relative) aliases_[local] = qual;
  }
  if (imports && !any_name && !mod.empty()) imports->push_back({mod, line(n), col(n)});
}

// Resolves `a.b.c` through the import aliases: the head is replaced by what it names.
std::string PyNames::resolve(const std::string& dotted) const {
  size_t dot = dotted.find('.');
  std::string head = dotted.substr(0, dot);
  auto it = aliases_.find(head);
  if (it == aliases_.end()) return {};
  return dot == std::string::npos ? it->second : it->second + dotted.substr(dot);
}

bool PyNames::is_dotted(std::string_view s) {
  if (s.empty() || s.size() > kMaxNameBytes) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) return false;
  return true;
}

// The qualified name of a callee: `np.random.seed` -> numpy.random.seed, and through calls
// and subscripts `LogisticRegression().fit` -> sklearn.linear_model.LogisticRegression().fit,
// `models[0].fit` -> models[].fit. Empty for expressions that name nothing (lambdas, ...).
std::string PyNames::callee_name(TSNode n, int depth) const {
  if (ts_node_is_null(n) || depth > 32) return {};
  std::string_view type = ts_node_type(n);
  std::string_view t = view(n);
  if (is_dotted(t)) {
    std::string r = resolve(std::string(t));
    return r.empty() ? std::string(t) : r;  // unresolved: keep as written (builtins, locals, methods)
  }
  // Each level adds a bounded suffix, and a name past kMaxNameBytes is given up: so naming the
  // calls of a long chain costs no more than the chain itself.
  std::string name;
  if (type == "attribute") {
    std::string base = callee_name(ts_node_child_by_field_name(n, "object", 6), depth + 1);
    TSNode attr = ts_node_child_by_field_name(n, "attribute", 9);
    if (base.empty() || ts_node_is_null(attr)) return {};
    name = base + "." + std::string(view(attr).substr(0, kMaxNameBytes));
  } else if (type == "call") {
    std::string base = callee_name(ts_node_child_by_field_name(n, "function", 8), depth + 1);
    if (!base.empty()) name = base + "()";
  } else if (type == "subscript") {
    std::string base = callee_name(ts_node_child_by_field_name(n, "value", 5), depth + 1);
    if (!base.empty()) name = base + "[]";
  }
  return name.size() > kMaxNameBytes ? std::string() : name;
}

// `x = mod.func(...)`: x now names the result of a known call, so x.method resolves to
// mod.func().method — written "mod.func().method" so rules can ask for it. `x = mod.attr`
// makes x another name for mod.attr.
void PyNames::assignment(TSNode n) {
  TSNode left = ts_node_child_by_field_name(n, "left", 4);
  TSNode right = ts_node_child_by_field_name(n, "right", 5);
  if (ts_node_is_null(left) || ts_node_is_null(right)) return;
  if (std::string_view(ts_node_type(left)) != "identifier") return;
  // `mnist = tf.keras.datasets.mnist`: x names a module or attribute of an import, so
  // x.load_data resolves to tensorflow.keras.datasets.mnist.load_data.
  if (std::string_view(ts_node_type(right)) == "attribute" && is_dotted(view(right))) {
    std::string resolved = resolve(text(right));
    if (!resolved.empty() && resolved.size() <= kMaxNameBytes) aliases_[text(left)] = resolved;
    return;
  }
  if (std::string_view(ts_node_type(right)) != "call") return;
  TSNode fn = ts_node_child_by_field_name(right, "function", 8);
  std::string_view callee = view(fn);
  std::string resolved = callee_name(fn);
  // Only names that resolved through an import say something about the object.
  size_t head_end = 0;
  while (head_end < callee.size() &&
         (std::isalnum(static_cast<unsigned char>(callee[head_end])) || callee[head_end] == '_'))
    ++head_end;
  if (resolved.empty() || !aliases_.contains(std::string(callee.substr(0, head_end)))) return;
  // `v1 = v0.copy()`, `v2 = v1.copy()`, ...: each alias would be longer than the last, and
  // 20,000 such lines would take gigabytes. Names past kMaxNameBytes are given up, as callee_name does.
  if (resolved.size() + 2 > kMaxNameBytes) return;
  aliases_[text(left)] = resolved + "()";
}

void PyNames::local_class(const std::string& name, const std::string& qualified) {
  if (name.size() + qualified.size() + 2 > kMaxNameBytes) return;
  aliases_[name] = qualified.empty() ? name : qualified;
}

namespace {

class Walker {
 public:
  Walker(std::string_view src, PythonFacts& out, unsigned wanted)
      : src_(src), out_(out), wanted_(wanted), names_(src) {}

  void run(TSNode root) {
    // Explicit stack: deeply nested input must not overflow the C++ stack.
    std::vector<TSNode> stack{root};
    while (!stack.empty()) {
      // A per-file budget (over all chunks): whatever the walk does per node, a hostile file
      // cannot make it endless.
      if (out_.truncated_after > 0) return;
      if (++visited_ > kMaxPythonNodesVisited || out_.calls.size() >= kMaxPythonCallsPerFile) {
        out_.truncated_after = visited_ - 1;
        return;
      }
      TSNode n = stack.back();
      stack.pop_back();
      std::string_view type = ts_node_type(n);
      // Nodes come in document order: scopes that ended before this node are closed.
      while (!scopes_.empty() && scopes_.back().end <= ts_node_start_byte(n)) scopes_.pop_back();
      PyFunction* fn = innermost_function();
      if (type == "function_definition") {
        function_definition(n);
      } else if (type == "class_definition") {
        class_definition(n);
      } else if (fn && type == "call") {
        if (!is_assertion_helper(n)) ++fn->calls;
      } else if (fn && type == "assert_statement") {
        ++fn->asserts;
      }
      if (std::strcmp(ts_node_type(n), "ERROR") == 0 || ts_node_is_missing(n)) note_error(n);
      if (type == "comment") continue;
      if (type == "import_statement") {
        import_statement(n);
        continue;
      }
      if (type == "import_from_statement") {
        import_from(n);
        continue;
      }
      if (type == "string") {
        if (wanted_ & kPyStrings) string_literal(n);
      } else if (type == "call") {
        call(n);
      } else if (type == "assignment") {
        assignment(n);
        if ((wanted_ & kPyAssigns) && scopes_.empty()) module_assignment(n);
      }
      std::vector<TSNode> kids = children(n);
      stack.insert(stack.end(), kids.rbegin(), kids.rend());
    }
  }

 private:
  std::string text(TSNode n) const { return std::string(view(n)); }
  // Not copied: a node can be most of the file, and nested nodes would copy it again each.
  std::string_view view(TSNode n) const {
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    if (b > src_.size() || a > b) return {};
    return src_.substr(a, b - a);
  }

  // A function or class whose body the walk is in.
  struct Scope {
    bool is_class = false;
    size_t function = 0;      // index in out_.functions (functions)
    bool test_class = false;  // classes: a test runner collects its test* methods
    uint32_t end = 0;
  };

  // unittest's `self.assertTrue(True)` checks but calls no code: a placeholder test like `assert True`.
  bool is_assertion_helper(TSNode call) const {
    TSNode fn = ts_node_child_by_field_name(call, "function", 8);
    if (ts_node_is_null(fn) || std::string_view(ts_node_type(fn)) != "attribute") return false;
    uint32_t a = ts_node_start_byte(fn), b = ts_node_end_byte(fn);
    if (b > src_.size() || a > b) return false;
    std::string_view callee = src_.substr(a, b - a);  // not copied: callees can be long chains
    return callee.starts_with("self.assert") || callee == "self.fail";
  }

  PyFunction* innermost_function() {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it)
      if (!it->is_class) return &out_.functions[it->function];
    return nullptr;
  }

  void function_definition(TSNode n) {
    TSNode name = ts_node_child_by_field_name(n, "name", 4);
    if (ts_node_is_null(name)) return;
    PyFunction f{text(name), line(n), col(n), 0, 0, false};
    // Module-level test functions and test methods of test classes; not helpers nested in them.
    bool collected = scopes_.empty() || (scopes_.back().is_class && scopes_.back().test_class);
    f.test = collected && f.name.starts_with("test");
    out_.functions.push_back(std::move(f));
    scopes_.push_back({false, out_.functions.size() - 1, false, ts_node_end_byte(n)});
  }

  void class_definition(TSNode n) {
    TSNode name = ts_node_child_by_field_name(n, "name", 4);
    if (ts_node_is_null(name)) return;
    PyClass c{text(name), {}, line(n), col(n)};
    TSNode supers = ts_node_child_by_field_name(n, "superclasses", 12);
    if (!ts_node_is_null(supers)) {
      for (TSNode b : children(supers)) {
        if (!ts_node_is_named(b) || std::string_view(ts_node_type(b)) == "keyword_argument" ||
            std::string_view(ts_node_type(b)) == "comment")
          continue;
        // `Generic[T]`, `nn.Module` subscripted for typing: the class derives from the value.
        if (std::string_view(ts_node_type(b)) == "subscript") b = ts_node_child_by_field_name(b, "value", 5);
        std::string base = callee_name(b);
        if (!base.empty()) c.bases.push_back(std::move(base));
      }
    }
    // Test runners collect classes at module level (or nested in a collected class), not in functions.
    bool collected = scopes_.empty() || (scopes_.back().is_class && scopes_.back().test_class);
    bool test_class = collected && (c.name.starts_with("Test") ||
                                    std::any_of(c.bases.begin(), c.bases.end(), [](const std::string& b) {
                                      return b.ends_with("TestCase");
                                    }));
    scopes_.push_back({true, 0, test_class, ts_node_end_byte(n)});
    if (wanted_ & kPyClasses) out_.classes.push_back(std::move(c));
  }

  // The contents of a string literal without its quotes (f-string interpolations left out).
  std::string string_contents(TSNode n) const {
    std::string value;
    bool found = false;
    for (TSNode c : children(n)) {
      if (std::string_view(ts_node_type(c)) == "string_content") {
        value += text(c);
        found = true;
      }
    }
    if (found) return value;
    // An empty literal, or older grammars: strip the quotes from the whole literal.
    std::string t = text(n);
    size_t a = t.find_first_of("\"'");
    size_t b = t.find_last_of("\"'");
    if (a != std::string::npos && b != std::string::npos && b > a) {
      size_t q = 1;
      while (a + q < b && t[a + q] == t[a]) ++q;
      if (q == 3 || q == 1) value = t.substr(a + q, b + 1 - q - (a + q));
    }
    return value;
  }

  // The value of a simple literal: a number (possibly signed), True / False / None, or a string
  // without interpolations. Nothing for any other expression.
  std::optional<std::string> literal_value(TSNode n) const {
    if (ts_node_is_null(n)) return std::nullopt;
    std::string_view type = ts_node_type(n);
    if (type == "integer" || type == "float" || type == "true" || type == "false" || type == "none")
      return text(n);
    if (type == "unary_operator") {
      TSNode arg = ts_node_child_by_field_name(n, "argument", 8);
      TSNode op = ts_node_child_by_field_name(n, "operator", 8);
      if (ts_node_is_null(arg) || ts_node_is_null(op)) return std::nullopt;
      std::string_view at = ts_node_type(arg), ot = ts_node_type(op);
      if ((at == "integer" || at == "float") && (ot == "-" || ot == "+"))
        return (ot == "-" ? "-" : "") + text(arg);
      return std::nullopt;
    }
    if (type == "string") {
      for (TSNode c : children(n))
        if (std::string_view(ts_node_type(c)) == "interpolation") return std::nullopt;
      return string_contents(n);
    }
    return std::nullopt;
  }

  // `NAME = value` outside functions and classes (chains: each target is its own assignment node).
  void module_assignment(TSNode n) {
    TSNode left = ts_node_child_by_field_name(n, "left", 4);
    TSNode right = ts_node_child_by_field_name(n, "right", 5);
    if (ts_node_is_null(left) || ts_node_is_null(right)) return;
    if (std::string_view(ts_node_type(left)) != "identifier") return;
    while (std::string_view(ts_node_type(right)) == "assignment") {
      TSNode next = ts_node_child_by_field_name(right, "right", 5);
      if (ts_node_is_null(next)) return;
      right = next;
    }
    PyAssign a{text(left), {}, false, line(n), col(n)};
    if (auto lit = literal_value(right)) {
      a.value = std::move(*lit);
      a.literal = true;
    } else {
      a.value = one_line(view(right), kMaxCallTextBytes);
    }
    out_.assigns.push_back(std::move(a));
  }

  static std::string one_line(std::string_view v, size_t max) {
    std::string t(v.substr(0, max));
    std::replace(t.begin(), t.end(), '\n', ' ');
    std::replace(t.begin(), t.end(), '\r', ' ');
    return t;
  }

  void note_error(TSNode n) {
    int l = line(n);
    if (out_.first_error_line == 0 || l < out_.first_error_line) out_.first_error_line = l;
  }

  void import_statement(TSNode n) {
    const size_t first = out_.imports.size();
    names_.import_statement(n, &out_.imports);
    scope_imports(first);
  }
  void import_from(TSNode n) {
    const size_t first = out_.imports.size();
    names_.import_from(n, &out_.imports);
    scope_imports(first);
  }
  // Imports inside a function (a pipeline component's own imports) belong to that function.
  void scope_imports(size_t first) {
    if (const PyFunction* fn = innermost_function())
      for (size_t i = first; i < out_.imports.size(); ++i) out_.imports[i].scope = fn->line;
  }

  void string_literal(TSNode n) {
    PyString s{string_contents(n), line(n), col(n), false};
    TSNode args = ts_node_parent(n);
    s.compared = !ts_node_is_null(args) && std::string_view(ts_node_type(args)) == "comparison_operator";
    s.suffix = appended(n) || starts_interpolated(n);
    // A command-line option's `help=` text describes a value; nothing reads it as one.
    if (!ts_node_is_null(args) && std::string_view(ts_node_type(args)) == "keyword_argument") {
      TSNode key = ts_node_child_by_field_name(args, "name", 4);
      s.compared = s.compared || (!ts_node_is_null(key) && text(key) == "help");
    }
    if (!ts_node_is_null(args) && std::string_view(ts_node_type(args)) == "argument_list") {
      TSNode call = ts_node_parent(args);
      TSNode fn = ts_node_is_null(call) ? call : ts_node_child_by_field_name(call, "function", 8);
      if (!ts_node_is_null(fn)) {
        const std::string callee = callee_name(fn);
        s.env_argument =
            callee == "os.getenv" || callee == "os.environ.get" || callee == "os.environ.setdefault";
        // The text a string method looks for (`path.replace("/home/alice/", "../")`,
        // `p.startswith("/mnt/")`) is matched against, like a comparison's operand.
        s.compared = s.compared || searched_for(fn, args, n);
      }
    }
    out_.strings.push_back(std::move(s));
  }

  // An f-string that starts with an interpolation (`f"{os.getcwd()}/media/{name}"`): its text
  // is appended to a value.
  static bool starts_interpolated(TSNode n) {
    const uint32_t count = ts_node_child_count(n);
    for (uint32_t i = 0; i < count; ++i) {
      std::string_view type = ts_node_type(ts_node_child(n, i));
      if (type == "string_start") continue;
      return type == "interpolation";
    }
    return false;
  }
  // `n` is the first argument of a string method that searches for it.
  bool searched_for(TSNode fn, TSNode args, TSNode n) const {
    if (std::string_view(ts_node_type(fn)) != "attribute" || !ts_node_eq(ts_node_named_child(args, 0), n))
      return false;
    TSNode attr = ts_node_child_by_field_name(fn, "attribute", 9);
    if (ts_node_is_null(attr)) return false;
    static const std::set<std::string, std::less<>> kSearch = {
        "replace",      "startswith",   "endswith", "find",   "rfind",     "index",
        "rindex",       "count",        "split",    "rsplit", "partition", "rpartition",
        "removeprefix", "removesuffix", "strip",    "lstrip", "rstrip"};
    return kSearch.count(text(attr)) > 0;
  }
  // `n` is the right operand of `+`, itself or once %-formatted (`out + "/ckpt/%08d.pth" % i`).
  static bool appended(TSNode n) {
    TSNode parent = ts_node_parent(n);
    if (is_binary(parent, "%") && ts_node_eq(ts_node_child_by_field_name(parent, "left", 4), n)) {
      n = parent;
      parent = ts_node_parent(n);
    }
    return is_binary(parent, "+") && ts_node_eq(ts_node_child_by_field_name(parent, "right", 5), n);
  }
  static bool is_binary(TSNode n, std::string_view op) {
    if (ts_node_is_null(n) || std::string_view(ts_node_type(n)) != "binary_operator") return false;
    TSNode o = ts_node_child_by_field_name(n, "operator", 8);
    return !ts_node_is_null(o) && std::string_view(ts_node_type(o)) == op;
  }

  std::string callee_name(TSNode n) const { return names_.callee_name(n); }

  void call(TSNode n) {
    TSNode fn = ts_node_child_by_field_name(n, "function", 8);
    if (ts_node_is_null(fn)) return;
    std::string name = callee_name(fn);
    if (name.empty()) return;
    PyCall c;
    c.name = std::move(name);
    c.line = line(n);
    c.column = col(n);
    if (const PyFunction* fn = innermost_function()) c.scope = fn->line;
    TSNode args = ts_node_child_by_field_name(n, "arguments", 9);
    if (!ts_node_is_null(args)) {
      for (TSNode a : children(args)) {
        std::string_view t = ts_node_type(a);
        if (t == "keyword_argument") {
          c.keywords.push_back(text(ts_node_child_by_field_name(a, "name", 4)));
          if (wanted_ & kPyKeywordValues)
            if (auto v = literal_value(ts_node_child_by_field_name(a, "value", 5)))
              c.literals.emplace_back(c.keywords.back(), std::move(*v));
        } else if (t == "dictionary_splat") {
          c.keywords.push_back("**");  // unknown keywords: callers treat "lacks" as unknowable
        }
      }
    }
    std::string_view t = view(n);
    c.full_text = one_line(t, kMaxCallTextBytes);
    t = t.substr(0, std::min(t.find('\n'), kMaxSnippetBytes));
    c.text = std::string(t);
    out_.calls.push_back(std::move(c));
  }

  void assignment(TSNode n) { names_.assignment(n); }

  std::string_view src_;
  PythonFacts& out_;
  unsigned wanted_;
  PyNames names_;
  std::vector<Scope> scopes_;
  size_t visited_ = 0;
};

// Offsets where the source is cut into chunks of about `chunk` bytes for parsing, each at the
// start of a top-level statement: a line at column 0 outside brackets, strings and backslash
// continuations, that does not continue a compound statement (else, elif, except, finally) or
// follow a decorator.
// tree-sitter's tree costs up to ~200 bytes per source byte, so a 10 MB file parsed whole takes
// 2 GB; parsed a chunk at a time it takes what one chunk does.
std::vector<uint32_t> chunk_starts(std::string_view src, size_t chunk) {
  std::vector<uint32_t> starts{0};
  int depth = 0;
  size_t i = 0, line_start = 0;
  auto continues_compound = [&](size_t at) {
    for (std::string_view kw : {"else", "elif", "except", "finally"})
      if (src.substr(at, kw.size()) == kw &&
          (at + kw.size() >= src.size() ||
           !(std::isalnum(static_cast<unsigned char>(src[at + kw.size()])) || src[at + kw.size()] == '_')))
        return true;
    return false;
  };
  while (i < src.size()) {
    const char c = src[i];
    if (c == '#') {
      while (i < src.size() && src[i] != '\n') ++i;
      continue;
    }
    if (c == '"' || c == '\'') {
      const bool triple = src.substr(i, 3) == std::string(3, c);
      i += triple ? 3 : 1;
      while (i < src.size()) {
        if (src[i] == '\\') {
          i += 2;
        } else if (!triple && src[i] == '\n') {
          break;  // unterminated: the parser reports it
        } else if (src[i] == c && (!triple || src.substr(i, 3) == std::string(3, c))) {
          i += triple ? 3 : 1;
          break;
        } else {
          ++i;
        }
      }
      continue;
    }
    if (c == '(' || c == '[' || c == '{')
      ++depth;
    else if ((c == ')' || c == ']' || c == '}') && depth > 0)
      --depth;
    else if (c == '\\')
      ++i;  // a continuation: the next line goes on with this statement
    else if (c == '\n' && depth == 0 && i + 1 < src.size() && i + 1 - starts.back() >= chunk) {
      const char next = src[i + 1];
      // Not between a decorator and what it decorates either.
      if (next != ' ' && next != '\t' && next != '\n' && next != '\r' && next != '#' &&
          src[line_start] != '@' && !continues_compound(i + 1))
        starts.push_back(static_cast<uint32_t>(i + 1));
    }
    if (c == '\n') line_start = i + 1;
    ++i;
  }
  return starts;
}

}  // namespace

// ---- Raw tree-sitter queries -------------------------------------------------------------

namespace {

// One text predicate of a pattern: `(#eq? @a "x")`, `(#eq? @a @b)`, `(#match? @a "re")`, ...
struct TextPredicate {
  enum class Op { Eq, AnyOf, Match } op = Op::Eq;
  bool negated = false;
  uint32_t capture = 0;
  std::optional<uint32_t> other;     // Eq against another capture
  std::vector<std::string> strings;  // Eq / AnyOf operands
  std::shared_ptr<const RE2> regex;  // Match
};

const char* query_error_name(TSQueryError e) {
  switch (e) {
    case TSQueryErrorSyntax:
      return "syntax error";
    case TSQueryErrorNodeType:
      return "unknown node type";
    case TSQueryErrorField:
      return "unknown field";
    case TSQueryErrorCapture:
      return "unknown capture";
    case TSQueryErrorStructure:
      return "impossible pattern structure";
    case TSQueryErrorLanguage:
      return "language version mismatch";
    case TSQueryErrorNone:
      break;
  }
  return "error";
}

}  // namespace

struct PyTreeQuery::Compiled {
  TSQuery* query = nullptr;
  uint32_t capture = 0;
  std::vector<std::vector<TextPredicate>> predicates;  // per pattern
  // When every pattern is one node (of a type in `roots`) whose match needs a captured node that
  // is always there to be one of a few strings (`#eq?` / `#any-of?`), a match holds one of these
  // strings: only the nodes of those types around their occurrences are queried, not the whole
  // tree. Empty: the whole tree is.
  std::vector<std::string> anchors;
  std::set<std::string, std::less<>> roots;
  ~Compiled() {
    if (query) ts_query_delete(query);
  }
};

PyTreeQuery::PyTreeQuery(std::string source, std::string capture)
    : source_(std::move(source)), capture_(std::move(capture)) {}
PyTreeQuery::~PyTreeQuery() = default;

namespace {

std::string step_string(const TSQuery* q, const TSQueryPredicateStep& s) {
  uint32_t len = 0;
  const char* v = s.type == TSQueryPredicateStepTypeString
                      ? ts_query_string_value_for_id(q, s.value_id, &len)
                      : ts_query_capture_name_for_id(q, s.value_id, &len);
  return std::string(v, len);
}

// Parses one predicate (steps up to a Done step) into `out`; an error message when unsupported.
std::string parse_predicate(const TSQuery* q, const TSQueryPredicateStep* steps, size_t n,
                            TextPredicate& out) {
  if (n == 0 || steps[0].type != TSQueryPredicateStepTypeString)
    return "a predicate must start with its name";
  std::string name = step_string(q, steps[0]);
  out.negated = name.starts_with("not-");
  std::string base = out.negated ? name.substr(4) : name;
  static const std::pair<const char*, TextPredicate::Op> kOps[] = {{"eq?", TextPredicate::Op::Eq},
                                                                   {"any-of?", TextPredicate::Op::AnyOf},
                                                                   {"match?", TextPredicate::Op::Match}};
  auto op = std::find_if(std::begin(kOps), std::end(kOps), [&](const auto& o) { return base == o.first; });
  if (op == std::end(kOps))
    return "unsupported predicate #" + name +
           " (supported: #eq?, #not-eq?, #match?, #not-match?, #any-of?, #not-any-of?)";
  out.op = op->second;
  if (n < 3 || steps[1].type != TSQueryPredicateStepTypeCapture)
    return "#" + name + " takes a capture and " +
           (out.op == TextPredicate::Op::AnyOf ? "strings" : "one value");
  out.capture = steps[1].value_id;
  if (out.op != TextPredicate::Op::AnyOf && n != 3) return "#" + name + " takes exactly two arguments";
  for (size_t i = 2; i < n; ++i) {
    if (steps[i].type == TSQueryPredicateStepTypeCapture) {
      if (out.op != TextPredicate::Op::Eq) return "#" + name + " compares with strings, not captures";
      out.other = steps[i].value_id;
    } else {
      out.strings.push_back(step_string(q, steps[i]));
    }
  }
  if (out.op == TextPredicate::Op::Match) {
    RE2::Options opts;
    opts.set_log_errors(false);
    auto re = std::make_shared<RE2>(out.strings[0], opts);
    if (!re->ok())
      return "#" + name + ": invalid regular expression '" + out.strings[0] + "': " + re->error();
    out.regex = std::move(re);
  }
  return {};
}

}  // namespace

namespace {

// The compiled query, or null and `error`.
std::unique_ptr<PyTreeQuery::Compiled> compile_query(std::string_view source, std::string_view capture,
                                                     std::string& error);

}  // namespace

PyTreeQuery::Result PyTreeQuery::compile(std::string_view source, std::string_view capture) {
  auto q = std::make_shared<PyTreeQuery>(std::string(source), std::string(capture));
  if (!q->compiled()) return {nullptr, q->error_};
  return {std::move(q), {}};
}

std::shared_ptr<const PyTreeQuery> PyTreeQuery::lazy(std::string source, std::string capture) {
  return std::make_shared<const PyTreeQuery>(std::move(source), std::move(capture));
}

const PyTreeQuery::Compiled* PyTreeQuery::compiled() const {
  std::call_once(once_, [this] { c_ = compile_query(source_, capture_, error_); });
  return c_.get();
}

namespace {

// The node type a pattern's text starts with, when the pattern is that one node: `(call ...)`,
// `((call ...) @c (#eq? ...))`. Nothing for an alternation, a wildcard, or a grouping of sibling
// nodes (`((comment) (function_definition))`), whose matches need not lie within one node.
// Past the parenthesis that closes one opened before `i` (strings and comments skipped); npos when
// none does.
size_t past_close(std::string_view text, size_t i) {
  size_t open = 1;
  bool in_string = false;
  for (; i < text.size(); ++i) {
    const char ch = text[i];
    if (in_string) {
      if (ch == '\\')
        ++i;
      else if (ch == '"')
        in_string = false;
    } else if (ch == '"') {
      in_string = true;
    } else if (ch == ';') {
      while (i < text.size() && text[i] != '\n') ++i;
    } else if (ch == '(') {
      ++open;
    } else if (ch == ')' && --open == 0) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

std::optional<std::string> pattern_root_type(std::string_view text) {
  size_t i = 0, open = 0;
  auto space = [&] {
    while (i < text.size() && (std::isspace(static_cast<unsigned char>(text[i])) || text[i] == ';')) {
      if (text[i] == ';')  // a comment, to the end of the line
        while (i < text.size() && text[i] != '\n') ++i;
      else
        ++i;
    }
  };
  for (space(); i < text.size() && text[i] == '('; space()) {
    ++i;
    ++open;
  }
  const size_t name = i;
  while (i < text.size() && (std::islower(static_cast<unsigned char>(text[i])) || text[i] == '_')) ++i;
  if (open == 0 || i == name || text.substr(name, i - name) == "_") return std::nullopt;
  std::string type(text.substr(name, i - name));
  i = past_close(text, i);  // the node's own
  --open;
  // The rest of the pattern (inside `open` enclosing groups) must be captures, predicates `(#...)`
  // and the groups' closing parentheses; anything else (a sibling node, a quantifier: `(comment)+`
  // matches a run of siblings) is not one node.
  while (i < text.size()) {
    space();
    if (i >= text.size()) break;
    const char ch = text[i];
    if (ch == ')') {
      if (open == 0) return std::nullopt;
      --open;
      ++i;
    } else if (ch == '@') {
      ++i;
      while (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_' ||
                                 text[i] == '.' || text[i] == '-'))
        ++i;
    } else if (ch == '(' && i + 1 < text.size() && text[i + 1] == '#') {
      i = past_close(text, i + 1);
    } else {
      return std::nullopt;
    }
  }
  if (i == std::string_view::npos) return std::nullopt;  // unbalanced
  return type;
}

void find_anchors(std::string_view source, PyTreeQuery::Compiled& c) {
  const uint32_t patterns = ts_query_pattern_count(c.query);
  std::set<std::string> anchors;
  std::set<std::string, std::less<>> roots;
  for (uint32_t p = 0; p < patterns; ++p) {
    const uint32_t start = ts_query_start_byte_for_pattern(c.query, p);
    const uint32_t end = p + 1 < patterns ? ts_query_start_byte_for_pattern(c.query, p + 1)
                                          : static_cast<uint32_t>(source.size());
    if (start > end || end > source.size()) return;
    auto root = pattern_root_type(source.substr(start, end - start));
    if (!root) return;
    const TextPredicate* anchor = nullptr;
    for (const auto& pred : c.predicates[p]) {
      if (pred.negated || pred.other || pred.op == TextPredicate::Op::Match || pred.strings.empty()) continue;
      if (std::any_of(pred.strings.begin(), pred.strings.end(),
                      [](const std::string& a) { return a.empty(); }))
        continue;
      // An optional capture that matched nothing passes its predicates: only one always there.
      const TSQuantifier q = ts_query_capture_quantifier_for_id(c.query, p, pred.capture);
      if (q != TSQuantifierOne && q != TSQuantifierOneOrMore) continue;
      anchor = &pred;
      break;
    }
    if (!anchor) return;
    anchors.insert(anchor->strings.begin(), anchor->strings.end());
    roots.insert(std::move(*root));
  }
  if (patterns == 0) return;
  c.anchors.assign(anchors.begin(), anchors.end());
  c.roots = std::move(roots);
}

std::unique_ptr<PyTreeQuery::Compiled> compile_query(std::string_view source, std::string_view capture,
                                                     std::string& error) {
  using Compiled = PyTreeQuery::Compiled;
  auto fail = [&](std::string message) {
    error = std::move(message);
    return std::unique_ptr<Compiled>();
  };
  if (source.empty()) return fail("python_query needs a query");
  if (source.size() > kMaxTreeQueryBytes)
    return fail("python_query is longer than " + std::to_string(kMaxTreeQueryBytes) + " bytes");
  uint32_t offset = 0;
  TSQueryError err = TSQueryErrorNone;
  auto c = std::make_unique<Compiled>();
  c->query =
      ts_query_new(tree_sitter_python(), source.data(), static_cast<uint32_t>(source.size()), &offset, &err);
  if (!c->query) {
    std::string near(source.substr(std::min<size_t>(offset, source.size()), 20));
    return fail("python_query does not compile: " + std::string(query_error_name(err)) + " at offset " +
                std::to_string(offset) + (near.empty() ? "" : " (near '" + near + "')"));
  }
  uint32_t captures = ts_query_capture_count(c->query);
  if (captures == 0) return fail("python_query needs a capture (@name) to report");
  if (capture.empty()) {
    c->capture = 0;
  } else {
    bool found = false;
    for (uint32_t i = 0; i < captures && !found; ++i) {
      uint32_t len = 0;
      const char* nm = ts_query_capture_name_for_id(c->query, i, &len);
      if (std::string_view(nm, len) == capture) {
        c->capture = i;
        found = true;
      }
    }
    if (!found) return fail("python_query has no capture @" + std::string(capture));
  }
  uint32_t patterns = ts_query_pattern_count(c->query);
  c->predicates.resize(patterns);
  for (uint32_t p = 0; p < patterns; ++p) {
    uint32_t count = 0;
    const TSQueryPredicateStep* steps = ts_query_predicates_for_pattern(c->query, p, &count);
    size_t begin = 0;
    for (size_t i = 0; i < count; ++i) {
      if (steps[i].type != TSQueryPredicateStepTypeDone) continue;
      TextPredicate pred;
      std::string why = parse_predicate(c->query, steps + begin, i - begin, pred);
      if (!why.empty()) return fail("python_query: " + why);
      c->predicates[p].push_back(std::move(pred));
      begin = i + 1;
    }
  }
  find_anchors(source, *c);
  return c;
}

std::string_view node_text(std::string_view src, TSNode n) {
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  if (b > src.size() || a > b) return {};
  return src.substr(a, b - a);
}

// Every node the match captured under `capture` satisfies `test` (vacuously true when none did,
// as in tree-sitter's own bindings: an optional capture that matched nothing does not reject).
template <typename F>
bool all_captured(const TSQueryMatch& m, uint32_t capture, F test) {
  for (uint16_t i = 0; i < m.capture_count; ++i)
    if (m.captures[i].index == capture && !test(m.captures[i].node)) return false;
  return true;
}

std::optional<TSNode> first_captured(const TSQueryMatch& m, uint32_t capture) {
  for (uint16_t i = 0; i < m.capture_count; ++i)
    if (m.captures[i].index == capture) return m.captures[i].node;
  return std::nullopt;
}

// #match? sees at most this much of a node's text, and a file's matches at most kRegexBudget bytes
// in all: `(_) @n (#match? @n ...)` on deeply nested input would otherwise rescan the file per node.
constexpr size_t kRegexInputCap = 16 * 1024;
constexpr size_t kRegexBudget = 64 * 1024 * 1024;

bool predicate_holds(const TextPredicate& p, const TSQueryMatch& m, std::string_view src, size_t& budget) {
  if (p.other) {
    auto a = first_captured(m, p.capture), b = first_captured(m, *p.other);
    if (!a || !b) return true;
    return (node_text(src, *a) == node_text(src, *b)) != p.negated;
  }
  return all_captured(m, p.capture, [&](TSNode n) {
    std::string_view t = node_text(src, n);
    bool hit = false;
    switch (p.op) {
      case TextPredicate::Op::Eq:
      case TextPredicate::Op::AnyOf:
        hit = std::find(p.strings.begin(), p.strings.end(), t) != p.strings.end();
        break;
      case TextPredicate::Op::Match:
        t = t.substr(0, kRegexInputCap);
        budget -= std::min(budget, t.size());
        hit = RE2::PartialMatch(re2::StringPiece(t.data(), t.size()), *p.regex);
        break;
    }
    return hit != p.negated;
  });
}

struct CursorDeleter {
  void operator()(TSQueryCursor* c) const { ts_query_cursor_delete(c); }
};

// In-progress matches a cursor may track at once: patterns with many alternatives or wildcards
// would otherwise grow without bound on large files.
constexpr uint32_t kCursorMatchLimit = 1024;

}  // namespace

namespace {

// Whether the tree under `root` nests deeper than `limit`; iterative, stops once it does.
bool tree_deeper_than(TSNode root, uint32_t limit) {
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  uint32_t depth = 0;
  bool deep = false;
  while (!deep) {
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      deep = ++depth > limit;
      continue;
    }
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (depth == 0 || !ts_tree_cursor_goto_parent(&cursor)) {
        ts_tree_cursor_delete(&cursor);
        return false;
      }
      --depth;
    }
  }
  ts_tree_cursor_delete(&cursor);
  return true;
}

// Where the anchors occur in source[begin, end), in order.
std::vector<uint32_t> anchor_occurrences(std::string_view source, const std::vector<std::string>& anchors,
                                         uint32_t begin, uint32_t end) {
  std::vector<uint32_t> out;
  end = std::min<uint32_t>(end, static_cast<uint32_t>(source.size()));
  if (begin >= end) return out;
  const std::string_view range = source.substr(begin, end - begin);
  for (const auto& a : anchors)
    for (size_t at = range.find(a); at != std::string_view::npos; at = range.find(a, at + 1))
      out.push_back(begin + static_cast<uint32_t>(at));
  std::sort(out.begin(), out.end());
  return out;
}

// The outermost node under `root` (itself included) that holds the byte at `at` and is of one of
// `types`.
std::optional<TSNode> outermost_of_types(TSNode root, uint32_t at,
                                         const std::set<std::string, std::less<>>& types) {
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  std::optional<TSNode> found;
  for (;;) {
    TSNode n = ts_tree_cursor_current_node(&cursor);
    if (types.count(std::string_view(ts_node_type(n)))) {
      found = n;
      break;
    }
    // Down to the child holding the byte (tree-sitter's goto_first_child_for_byte may stop at a
    // child ending right at it).
    if (!ts_tree_cursor_goto_first_child(&cursor)) break;
    bool inside = false;
    do {
      const TSNode child = ts_tree_cursor_current_node(&cursor);
      if (ts_node_start_byte(child) > at) break;  // in a gap between children
      inside = ts_node_end_byte(child) > at;
    } while (!inside && ts_tree_cursor_goto_next_sibling(&cursor));
    if (!inside) break;
  }
  ts_tree_cursor_delete(&cursor);
  return found;
}

}  // namespace

PythonParse::PythonParse(std::string_view source) : source_(source) {
  if (source.size() > kPythonChunkBytes) {
    // Parsed chunk by chunk when used: see chunk_starts.
    chunks_ = chunk_starts(source, kPythonChunkBytes);
    if (chunks_.size() > 1) return;
    chunks_.clear();
  }
  std::unique_ptr<TSParser, ParserDeleter> parser(ts_parser_new());
  ts_parser_set_language(parser.get(), tree_sitter_python());
  tree_ = ts_parser_parse_string(parser.get(), nullptr, source.data(), static_cast<uint32_t>(source.size()));
}

PythonParse::~PythonParse() {
  if (tree_) ts_tree_delete(tree_);
}

bool PythonParse::has_error() const {
  return tree_ && ts_node_has_error(ts_tree_root_node(tree_));
}

bool python_parses(std::string_view source) {
  std::unique_ptr<TSParser, ParserDeleter> parser(ts_parser_new());
  ts_parser_set_language(parser.get(), tree_sitter_python());
  TSTree* tree =
      ts_parser_parse_string(parser.get(), nullptr, source.data(), static_cast<uint32_t>(source.size()));
  if (!tree) return false;
  const bool ok = !ts_node_has_error(ts_tree_root_node(tree));
  ts_tree_delete(tree);
  return ok;
}

template <typename F>
void PythonParse::each_tree(F visit) const {
  if (tree_) {
    visit(ts_tree_root_node(tree_));
    return;
  }
  std::unique_ptr<TSParser, ParserDeleter> parser(ts_parser_new());
  ts_parser_set_language(parser.get(), tree_sitter_python());
  TSPoint at{0, 0};
  for (size_t i = 0; i < chunks_.size(); ++i) {
    uint32_t begin = chunks_[i];
    uint32_t end = i + 1 < chunks_.size() ? chunks_[i + 1] : static_cast<uint32_t>(source_.size());
    TSPoint end_point = at;
    end_point.row += static_cast<uint32_t>(std::count(source_.begin() + begin, source_.begin() + end, '\n'));
    // Chunks start and end at line starts; the range keeps positions those of the whole file.
    TSRange range{at, end_point, begin, end};
    ts_parser_set_included_ranges(parser.get(), &range, 1);
    TSTree* tree =
        ts_parser_parse_string(parser.get(), nullptr, source_.data(), static_cast<uint32_t>(source_.size()));
    ts_parser_reset(parser.get());
    bool more = true;
    if (tree) {
      more = visit(ts_tree_root_node(tree));
      ts_tree_delete(tree);
    }
    if (!more) return;  // the visitor's budget ran out: the other chunks need no parse
    at = end_point;
  }
}

void PythonParse::each_syntax_tree(const std::function<bool(const TSTree*)>& visit) const {
  if (tree_) {
    visit(tree_);
    return;
  }
  each_tree([&](TSNode root) { return visit(root.tree); });
}

PythonFacts PythonParse::facts(unsigned wanted) const {
  PythonFacts facts;
  Walker walker(source_, facts, wanted);  // one walker: imports of one chunk resolve in the next
  each_tree([&](TSNode root) {
    walker.run(root);
    return facts.truncated_after == 0;
  });
  return facts;
}

PyQueryResult PythonParse::run(const PyTreeQuery& q, size_t max_matches) const {
  PyQueryResult out;
  const PyTreeQuery::Compiled* compiled = q.compiled();
  if (!compiled) return out;
  const PyTreeQuery::Compiled& c = *compiled;
  size_t examined = 0, regex_budget = kRegexBudget;
  std::vector<std::pair<uint32_t, PyQueryMatch>> found;  // by start byte
  each_tree([&](TSNode root) {
    // tree-sitter's query cursor slows down with depth (70 s over a 100,000-deep call chain):
    // such a tree is not queried, and the result says it is incomplete.
    // A chunk is parsed afresh for each query; the whole file's tree is checked once.
    if (tree_ && !too_deep_) too_deep_ = tree_deeper_than(root, kMaxTreeQueryDepth);
    if (tree_ ? *too_deep_ : tree_deeper_than(root, kMaxTreeQueryDepth)) {
      out.truncated = true;
      return false;
    }
    std::unique_ptr<TSQueryCursor, CursorDeleter> cursor(ts_query_cursor_new());
    ts_query_cursor_set_match_limit(cursor.get(), kCursorMatchLimit);
    auto query = [&](TSNode at) {
      ts_query_cursor_exec(cursor.get(), c.query, at);
      TSQueryMatch m;
      while (ts_query_cursor_next_match(cursor.get(), &m)) {
        if (++examined > kMaxTreeQueryMatchesExamined || regex_budget == 0) {
          out.truncated = true;
          break;
        }
        if (m.pattern_index >= c.predicates.size()) continue;
        const auto& preds = c.predicates[m.pattern_index];
        if (!std::all_of(preds.begin(), preds.end(), [&](const TextPredicate& p) {
              return predicate_holds(p, m, source_, regex_budget);
            }))
          continue;
        auto node = first_captured(m, c.capture);
        if (!node) continue;
        std::string_view t = node_text(source_, *node);
        t = t.substr(0, std::min(t.find('\n'), size_t{200}));
        PyQueryMatch pm{static_cast<int>(ts_node_start_point(*node).row) + 1,
                        static_cast<int>(ts_node_start_point(*node).column) + 1, std::string(t)};
        found.emplace_back(ts_node_start_byte(*node), std::move(pm));
      }
      return !out.truncated;
    };
    if (c.anchors.empty()) return query(root);
    // A match is a node of a root type holding an anchor's occurrence: the outermost such node
    // around each occurrence holds every match there. Matches found twice are dropped below.
    uint32_t queried_end = 0;  // the last queried node's end: occurrences inside it are done
    for (uint32_t at :
         anchor_occurrences(source_, c.anchors, ts_node_start_byte(root), ts_node_end_byte(root))) {
      if (at < queried_end) continue;
      std::optional<TSNode> outer = outermost_of_types(root, at, c.roots);
      if (!outer) continue;
      queried_end = ts_node_end_byte(*outer);
      if (!query(*outer)) return false;
    }
    return true;
  });
  // Matches finish out of document order; two patterns may report the same node.
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.text < b.second.text;
  });
  for (size_t i = 0; i < found.size() && out.matches.size() < max_matches; ++i) {
    if (i > 0 && found[i].first == found[i - 1].first && found[i].second.text == found[i - 1].second.text)
      continue;
    out.matches.push_back(std::move(found[i].second));
  }
  return out;
}

PythonFacts analyse_python(std::string_view source, unsigned wanted) {
  return PythonParse(source).facts(wanted);
}

}  // namespace mlops
