// tree-sitter walk over a Python syntax tree, collecting imports, calls and strings.
#include "analysers/python_analyser.h"

#include <tree_sitter/api.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <memory>

extern "C" const TSLanguage* tree_sitter_python();

namespace mlops {
namespace {

struct ParserDeleter {
  void operator()(TSParser* p) const { ts_parser_delete(p); }
};
struct TreeDeleter {
  void operator()(TSTree* t) const { ts_tree_delete(t); }
};

class Walker {
 public:
  Walker(std::string_view src, PythonFacts& out) : src_(src), out_(out) {}

  void run(TSNode root) {
    // Explicit stack: deeply nested input must not overflow the C++ stack.
    std::vector<TSNode> stack{root};
    std::vector<std::pair<size_t, uint32_t>> enclosing;  // function index, end byte
    while (!stack.empty()) {
      TSNode n = stack.back();
      stack.pop_back();
      std::string_view type = ts_node_type(n);
      // Nodes come in document order: functions that ended before this node are closed.
      while (!enclosing.empty() && enclosing.back().second <= ts_node_start_byte(n)) enclosing.pop_back();
      PyFunction* fn = enclosing.empty() ? nullptr : &out_.functions[enclosing.back().first];
      if (type == "function_definition") {
        TSNode name = ts_node_child_by_field_name(n, "name", 4);
        if (!ts_node_is_null(name)) {
          out_.functions.push_back({text(name), line(n), col(n), 0, 0});
          enclosing.push_back({out_.functions.size() - 1, ts_node_end_byte(n)});
        }
      } else if (fn && type == "call") {
        ++fn->calls;
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
        string_literal(n);
      } else if (type == "call") {
        call(n);
      } else if (type == "assignment") {
        assignment(n);
      }
      std::vector<TSNode> kids = children(n);
      stack.insert(stack.end(), kids.rbegin(), kids.rend());
    }
  }

 private:
  static std::vector<TSNode> children(TSNode n) {
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

  std::string text(TSNode n) const {
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    if (b > src_.size() || a > b) return {};
    return std::string(src_.substr(a, b - a));
  }
  static int line(TSNode n) { return static_cast<int>(ts_node_start_point(n).row) + 1; }
  static int col(TSNode n) { return static_cast<int>(ts_node_start_point(n).column) + 1; }

  void note_error(TSNode n) {
    int l = line(n);
    if (out_.first_error_line == 0 || l < out_.first_error_line) out_.first_error_line = l;
  }

  void import_statement(TSNode n) {
    // import a.b, c as d
    for (TSNode c : children(n)) {
      if (!ts_node_is_named(c)) continue;
      std::string_view t = ts_node_type(c);
      if (t == "dotted_name") {
        std::string mod = text(c);
        out_.imports.push_back({mod, line(c), col(c)});
        // `import a.b` binds `a`; attribute access a.b.f then resolves to itself.
        std::string head = mod.substr(0, mod.find('.'));
        aliases_[head] = head;
      } else if (t == "aliased_import") {
        TSNode name = ts_node_child_by_field_name(c, "name", 4);
        TSNode alias = ts_node_child_by_field_name(c, "alias", 5);
        std::string mod = text(name);
        out_.imports.push_back({mod, line(c), col(c)});
        if (!ts_node_is_null(alias)) aliases_[text(alias)] = mod;
      }
    }
  }

  void import_from(TSNode n) {
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
        out_.imports.push_back({mod, line(n), col(n)});
        any_name = true;
        continue;
      } else {
        continue;
      }
      any_name = true;
      std::string qual = mod.empty() ? name : (relative ? mod + name : mod + "." + name);
      out_.imports.push_back({qual, line(c), col(c)});
      if (!relative) aliases_[local] = qual;
    }
    if (!any_name && !mod.empty()) out_.imports.push_back({mod, line(n), col(n)});
  }

  void string_literal(TSNode n) {
    // Concatenate the string_content children (0.21 grammar); f-string interpolations are left out.
    std::string value;
    bool found = false;
    for (TSNode c : children(n)) {
      if (std::string_view(ts_node_type(c)) == "string_content") {
        value += text(c);
        found = true;
      }
    }
    if (!found) {
      // Older grammars: strip the quotes from the whole literal.
      std::string t = text(n);
      size_t a = t.find_first_of("\"'");
      size_t b = t.find_last_of("\"'");
      if (a != std::string::npos && b != std::string::npos && b > a) {
        size_t q = 1;
        while (a + q < b && t[a + q] == t[a]) ++q;
        if (q == 3 || q == 1) value = t.substr(a + q, b + 1 - q - (a + q));
      }
    }
    out_.strings.push_back({std::move(value), line(n), col(n)});
  }

  // Resolves `a.b.c` through the import aliases: the head is replaced by what it names.
  std::string resolve(const std::string& dotted) const {
    size_t dot = dotted.find('.');
    std::string head = dotted.substr(0, dot);
    auto it = aliases_.find(head);
    if (it == aliases_.end()) return {};
    return dot == std::string::npos ? it->second : it->second + dotted.substr(dot);
  }

  static bool is_dotted(const std::string& s) {
    if (s.empty()) return false;
    for (char c : s)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) return false;
    return true;
  }

  // The qualified name of a callee: `np.random.seed` -> numpy.random.seed, and through calls
  // and subscripts `LogisticRegression().fit` -> sklearn.linear_model.LogisticRegression().fit,
  // `models[0].fit` -> models[].fit. Empty for expressions that name nothing (lambdas, ...).
  std::string callee_name(TSNode n, int depth = 0) const {
    if (ts_node_is_null(n) || depth > 32) return {};
    std::string_view type = ts_node_type(n);
    std::string t = text(n);
    if (is_dotted(t)) {
      std::string r = resolve(t);
      return r.empty() ? t : r;  // unresolved: keep as written (builtins, locals, methods)
    }
    if (type == "attribute") {
      std::string base = callee_name(ts_node_child_by_field_name(n, "object", 6), depth + 1);
      TSNode attr = ts_node_child_by_field_name(n, "attribute", 9);
      if (base.empty() || ts_node_is_null(attr)) return {};
      return base + "." + text(attr);
    }
    if (type == "call") {
      std::string base = callee_name(ts_node_child_by_field_name(n, "function", 8), depth + 1);
      return base.empty() ? std::string() : base + "()";
    }
    if (type == "subscript") {
      std::string base = callee_name(ts_node_child_by_field_name(n, "value", 5), depth + 1);
      return base.empty() ? std::string() : base + "[]";
    }
    return {};
  }

  void call(TSNode n) {
    TSNode fn = ts_node_child_by_field_name(n, "function", 8);
    if (ts_node_is_null(fn)) return;
    std::string name = callee_name(fn);
    if (name.empty()) return;
    PyCall c;
    c.name = std::move(name);
    c.line = line(n);
    c.column = col(n);
    TSNode args = ts_node_child_by_field_name(n, "arguments", 9);
    if (!ts_node_is_null(args)) {
      for (TSNode a : children(args)) {
        std::string_view t = ts_node_type(a);
        if (t == "keyword_argument") {
          c.keywords.push_back(text(ts_node_child_by_field_name(a, "name", 4)));
        } else if (t == "dictionary_splat") {
          c.keywords.push_back("**");  // unknown keywords: callers treat "lacks" as unknowable
        }
      }
    }
    std::string t = text(n);
    std::string full = t.substr(0, 2000);
    std::replace(full.begin(), full.end(), '\n', ' ');
    c.full_text = std::move(full);
    t = t.substr(0, t.find('\n'));
    c.text = t.size() > 200 ? t.substr(0, 200) : t;
    out_.calls.push_back(std::move(c));
  }

  // `x = mod.func(...)`: x now names the result of a known call, so x.method resolves to
  // mod.func().method — written "mod.func().method" so rules can ask for it.
  void assignment(TSNode n) {
    TSNode left = ts_node_child_by_field_name(n, "left", 4);
    TSNode right = ts_node_child_by_field_name(n, "right", 5);
    if (ts_node_is_null(left) || ts_node_is_null(right)) return;
    if (std::string_view(ts_node_type(left)) != "identifier") return;
    if (std::string_view(ts_node_type(right)) != "call") return;
    TSNode fn = ts_node_child_by_field_name(right, "function", 8);
    std::string callee = text(fn);
    std::string resolved = callee_name(fn);
    // Only names that resolved through an import say something about the object.
    size_t head_end = 0;
    while (head_end < callee.size() &&
           (std::isalnum(static_cast<unsigned char>(callee[head_end])) || callee[head_end] == '_'))
      ++head_end;
    if (resolved.empty() || !aliases_.contains(callee.substr(0, head_end))) return;
    aliases_[text(left)] = resolved + "()";
  }

  std::string_view src_;
  PythonFacts& out_;
  std::map<std::string, std::string> aliases_;
};

}  // namespace

PythonFacts analyse_python(std::string_view source) {
  PythonFacts facts;
  std::unique_ptr<TSParser, ParserDeleter> parser(ts_parser_new());
  ts_parser_set_language(parser.get(), tree_sitter_python());
  std::unique_ptr<TSTree, TreeDeleter> tree(
      ts_parser_parse_string(parser.get(), nullptr, source.data(), static_cast<uint32_t>(source.size())));
  if (!tree) return facts;
  Walker(source, facts).run(ts_tree_root_node(tree.get()));
  return facts;
}

}  // namespace mlops
