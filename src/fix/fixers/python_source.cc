// Python source lookups shared by the Python fixers (see python_source.h).
#include "fix/fixers/python_source.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "fix/edits.h"

extern "C" const TSLanguage* tree_sitter_python();

namespace mlops {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<PyIntConstant> find_int_constants(const PySource& src);

bool is_import(TSNode n) {
  return is_type(n, "import_statement") || is_type(n, "import_from_statement");
}

// Whether the tree under `root` nests deeper than `limit`: one cursor walk, no recursion.
bool deeper_than(TSNode root, int limit) {
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  int depth = 0;
  bool deep = false;
  for (;;) {
    if (depth > limit) {
      deep = true;
      break;
    }
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      ++depth;
      continue;
    }
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (depth == 0 || !ts_tree_cursor_goto_parent(&cursor)) {
        ts_tree_cursor_delete(&cursor);
        return false;
      }
      --depth;
    }
    if (depth == 0) break;
  }
  ts_tree_cursor_delete(&cursor);
  return deep;
}

// A module docstring: the first statement, an expression statement holding only a string.
bool is_docstring(TSNode n) {
  auto kids = code_children(n);
  return is_type(n, "expression_statement") && kids.size() == 1 && is_type(kids[0], "string");
}

}  // namespace

std::string_view node_type(TSNode n) {
  return ts_node_type(n);
}

bool is_type(TSNode n, std::string_view type) {
  return !ts_node_is_null(n) && node_type(n) == type;
}

std::vector<TSNode> all_children(TSNode n) {
  std::vector<TSNode> out;
  if (ts_node_is_null(n)) return out;
  TSTreeCursor cursor = ts_tree_cursor_new(n);
  for (bool more = ts_tree_cursor_goto_first_child(&cursor); more;
       more = ts_tree_cursor_goto_next_sibling(&cursor))
    out.push_back(ts_tree_cursor_current_node(&cursor));
  ts_tree_cursor_delete(&cursor);
  return out;
}

std::vector<TSNode> named_children(TSNode n) {
  std::vector<TSNode> out = all_children(n);
  std::erase_if(out, [](TSNode c) { return !ts_node_is_named(c); });
  return out;
}

std::vector<TSNode> code_children(TSNode n) {
  std::vector<TSNode> out = named_children(n);
  std::erase_if(out, [](TSNode c) { return is_type(c, "comment"); });
  return out;
}

std::shared_ptr<const PySource> PySource::parse(std::string_view bytes) {
  thread_local std::shared_ptr<const PySource> last;
  if (bytes.size() > kMaxFixPythonBytes) return nullptr;
  if (last && last->bytes() == bytes) return last->has_error() ? nullptr : last;
  auto parsed = std::make_shared<const PySource>(std::string(bytes));
  last = parsed;
  return parsed->has_error() ? nullptr : parsed;
}

PySource::PySource(std::string bytes) : bytes_(std::move(bytes)) {
  TSParser* parser = ts_parser_new();
  ts_parser_set_language(parser, tree_sitter_python());
  tree_ = ts_parser_parse_string(parser, nullptr, bytes_.data(), static_cast<uint32_t>(bytes_.size()));
  ts_parser_delete(parser);
  too_deep_ = tree_ && deeper_than(ts_tree_root_node(tree_), kMaxFixTreeDepth);
}

PySource::~PySource() {
  if (tree_) ts_tree_delete(tree_);
}

TSNode PySource::root() const {
  return ts_tree_root_node(tree_);
}

bool PySource::has_error() const {
  return !tree_ || too_deep_ || ts_node_has_error(root());
}

std::string_view PySource::text(TSNode n) const {
  uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
  if (b > bytes_.size() || a > b) return {};
  return std::string_view(bytes_).substr(a, b - a);
}

std::vector<TSNode> PySource::calls_at(size_t offset) const {
  std::vector<TSNode> out;
  if (offset >= bytes_.size()) return out;
  auto at = static_cast<uint32_t>(offset);
  for (TSNode n = ts_node_descendant_for_byte_range(root(), at, at); !ts_node_is_null(n);
       n = ts_node_parent(n)) {
    if (ts_node_start_byte(n) != at) break;
    if (is_type(n, "call")) out.push_back(n);
  }
  return out;
}

std::optional<std::string> PySource::module_name_for(std::string_view module, size_t before) const {
  for (TSNode stmt : code_children(root())) {
    if (!is_type(stmt, "import_statement") || ts_node_end_byte(stmt) > before) continue;
    for (TSNode name : code_children(stmt)) {
      if (is_type(name, "aliased_import")) {
        TSNode dotted = ts_node_child_by_field_name(name, "name", 4);
        TSNode alias = ts_node_child_by_field_name(name, "alias", 5);
        if (!ts_node_is_null(alias) && text(dotted) == module) return std::string(text(alias));
      } else if (is_type(name, "dotted_name")) {
        // `import torch.utils.data` binds `torch` as well.
        std::string_view t = text(name);
        if (t == module || (t.starts_with(module) && t.size() > module.size() && t[module.size()] == '.'))
          return std::string(module);
      }
    }
  }
  return std::nullopt;
}

PySource::Insertion PySource::import_insertion(std::string_view import_line) const {
  const std::string lb(line_break(bytes_));
  std::vector<TSNode> stmts = code_children(root());
  size_t i = 0;
  std::optional<TSNode> header;  // the last of the docstring and __future__ imports
  if (i < stmts.size() && is_docstring(stmts[i])) header = stmts[i++];
  while (i < stmts.size() && is_type(stmts[i], "future_import_statement")) header = stmts[i++];
  // A UTF-8 byte order mark stays the file's first bytes.
  const size_t bom = bytes_.starts_with("\xEF\xBB\xBF") ? 3 : 0;
  if (i < stmts.size()) {
    TSNode next = stmts[i];
    size_t start = std::max(bom, line_start(bytes_, ts_node_start_byte(next)));
    bool own_line = !header || start >= ts_node_end_byte(*header);
    if (own_line && (is_import(next) || !header)) return {start, std::string(import_line) + lb};
  }
  if (header) return {line_end(bytes_, ts_node_end_byte(*header)), lb + std::string(import_line)};
  // An empty module (comments only): at the end, on a line of its own.
  bool ends_with_break = !bytes_.empty() && bytes_.back() == '\n';
  return {bytes_.size(), (ends_with_break || bytes_.size() == bom ? "" : lb) + std::string(import_line) + lb};
}

std::optional<TSNode> enclosing_function(TSNode n) {
  // Only a body runs in the function's scope: default values and annotations are evaluated
  // where the function is defined.
  for (TSNode child = n, p = ts_node_parent(n); !ts_node_is_null(p); child = p, p = ts_node_parent(p))
    if (is_type(p, "function_definition") && ts_node_eq(child, ts_node_child_by_field_name(p, "body", 4)))
      return p;
  return std::nullopt;
}

std::vector<PyParameter> function_parameters(const PySource& src, TSNode function) {
  std::vector<PyParameter> out;
  TSNode params = ts_node_child_by_field_name(function, "parameters", 10);
  if (ts_node_is_null(params)) return out;
  for (TSNode p : code_children(params)) {
    if (is_type(p, "identifier")) {
      out.push_back({std::string(src.text(p)), std::nullopt});
    } else if (is_type(p, "typed_parameter")) {
      auto kids = code_children(p);
      if (!kids.empty() && is_type(kids[0], "identifier"))
        out.push_back({std::string(src.text(kids[0])), std::nullopt});
    } else if (is_type(p, "default_parameter") || is_type(p, "typed_default_parameter")) {
      TSNode name = ts_node_child_by_field_name(p, "name", 4);
      TSNode value = ts_node_child_by_field_name(p, "value", 5);
      if (is_type(name, "identifier"))
        out.push_back(
            {std::string(src.text(name)), ts_node_is_null(value) ? std::nullopt : std::optional(value)});
    }
  }
  return out;
}

bool assigns_locally(const PySource& src, TSNode function, std::string_view name) {
  // An iterative walk of the body; nested scopes are not entered (their names are their own).
  std::vector<TSNode> stack = {ts_node_child_by_field_name(function, "body", 4)};
  while (!stack.empty()) {
    TSNode n = stack.back();
    stack.pop_back();
    if (ts_node_is_null(n)) continue;
    std::string_view t = node_type(n);
    if (t == "function_definition" || t == "class_definition" || t == "lambda") continue;
    if (t == "assignment" || t == "augmented_assignment" || t == "for_statement" || t == "with_item" ||
        t == "named_expression" || t == "as_pattern") {
      // Any identifier in the target side binds: the left of =, the loop variable, `as` names.
      TSNode target = t == "named_expression"                 ? ts_node_child_by_field_name(n, "name", 4)
                      : t == "with_item" || t == "as_pattern" ? n
                                                              : ts_node_child_by_field_name(n, "left", 4);
      std::vector<TSNode> inner = {target};
      while (!inner.empty()) {
        TSNode m = inner.back();
        inner.pop_back();
        if (ts_node_is_null(m)) continue;
        if (is_type(m, "identifier") && src.text(m) == name) return true;
        if (is_type(m, "call") || is_type(m, "attribute") || is_type(m, "subscript")) continue;
        for (TSNode k : named_children(m)) inner.push_back(k);
      }
    }
    if (t == "import_statement" || t == "import_from_statement" || t == "global_statement" ||
        t == "nonlocal_statement") {
      // `import seed`, `global SEED`: leave such a name alone.
      std::vector<TSNode> inner = {n};
      while (!inner.empty()) {
        TSNode m = inner.back();
        inner.pop_back();
        if (is_type(m, "identifier") && src.text(m) == name) return true;
        for (TSNode k : named_children(m)) inner.push_back(k);
      }
    }
    for (TSNode k : named_children(n)) stack.push_back(k);
  }
  return false;
}

const std::vector<PyIntConstant>& PySource::module_int_constants() const {
  if (!int_constants_) int_constants_ = find_int_constants(*this);
  return *int_constants_;
}

namespace {

std::vector<PyIntConstant> find_int_constants(const PySource& src) {
  std::vector<PyIntConstant> found;
  std::map<std::string, int> assigned;  // name -> module-level assignments of any value
  for (TSNode stmt : code_children(src.root())) {
    if (!is_type(stmt, "expression_statement")) continue;
    for (TSNode a : code_children(stmt)) {
      // `A = B = 1` nests assignments on the right.
      for (TSNode n = a; is_type(n, "assignment") || is_type(n, "augmented_assignment");
           n = ts_node_child_by_field_name(n, "right", 5)) {
        TSNode left = ts_node_child_by_field_name(n, "left", 4);
        if (!is_type(left, "identifier")) continue;
        std::string name(src.text(left));
        ++assigned[name];
        if (!is_type(n, "assignment")) continue;
        TSNode right = ts_node_child_by_field_name(n, "right", 5);
        TSNode value = right;
        while (is_type(value, "assignment")) value = ts_node_child_by_field_name(value, "right", 5);
        if (is_type(value, "integer")) found.push_back({name, stmt});
      }
    }
  }
  // Assignments inside module-level blocks (if / try / for / with) count as assignments too.
  std::vector<TSNode> stack;
  for (TSNode stmt : code_children(src.root()))
    if (!is_type(stmt, "expression_statement") && !is_type(stmt, "function_definition") &&
        !is_type(stmt, "class_definition") && !is_type(stmt, "decorated_definition"))
      stack.push_back(stmt);
  while (!stack.empty()) {
    TSNode n = stack.back();
    stack.pop_back();
    std::string_view t = node_type(n);
    if (t == "function_definition" || t == "class_definition" || t == "lambda") continue;
    if (t == "assignment" || t == "augmented_assignment") {
      TSNode left = ts_node_child_by_field_name(n, "left", 4);
      if (is_type(left, "identifier")) ++assigned[std::string(src.text(left))];
    }
    for (TSNode k : named_children(n)) stack.push_back(k);
  }
  std::erase_if(found, [&](const PyIntConstant& k) { return assigned[k.name] != 1; });
  return found;
}

}  // namespace

bool looks_like_seed_name(std::string_view name) {
  std::string l = lower(name);
  if (l == "random_state") return true;
  if (l.find("seed") == std::string::npos || l.find("seeds") != std::string::npos) return false;
  return !l.starts_with("n_") && !l.starts_with("num_") && !l.starts_with("number_");
}

std::optional<std::string_view> plain_string_contents(const PySource& src, TSNode string_node) {
  if (!is_type(string_node, "string")) return std::nullopt;
  TSNode parent = ts_node_parent(string_node);
  if (is_type(parent, "concatenated_string")) return std::nullopt;
  std::string_view t = src.text(string_node);
  size_t p = 0;
  while (p < t.size() && std::isalpha(static_cast<unsigned char>(t[p]))) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(t[p])));
    if (c != 'r' && c != 'u') return std::nullopt;  // f-strings and bytes are not plain text
    ++p;
  }
  t.remove_prefix(p);
  for (std::string_view q : {"\"\"\"", "'''", "\"", "'"}) {
    if (t.size() >= 2 * q.size() && t.starts_with(q) && t.ends_with(q)) {
      std::string_view inner = t.substr(q.size(), t.size() - 2 * q.size());
      if (inner.find('\\') != std::string_view::npos) return std::nullopt;
      return inner;
    }
  }
  return std::nullopt;
}

std::optional<PyFinding> open_python_finding(const FixContext& context, const Finding& finding) {
  const Location& at = finding.where;
  if (!at.path.ends_with(".py") || at.line < 1 || at.column < 1) return std::nullopt;
  const std::string* bytes = context.read(at.path);
  if (!bytes) return std::nullopt;
  auto offset = offset_of(*bytes, at.line, at.column);
  if (!offset) return std::nullopt;
  auto src = PySource::parse(*bytes);
  if (!src) return std::nullopt;
  return PyFinding{bytes, *offset, std::move(src)};
}

}  // namespace mlops
