// Static reading of noxfile.py: session functions and the commands they run.
#include "analysers/noxfile.h"

#include <tree_sitter/api.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <set>
#include <string>

extern "C" const TSLanguage* tree_sitter_python();

namespace mlops {
namespace {

constexpr size_t kMaxCommands = 2000;
constexpr size_t kMaxNodesPerSession = 200000;

struct ParserDeleter {
  void operator()(TSParser* p) const { ts_parser_delete(p); }
};
struct TreeDeleter {
  void operator()(TSTree* t) const { ts_tree_delete(t); }
};

struct Session {
  std::string name;
  bool is_default = true;
  std::vector<CiCommand> commands;
};

class NoxReader {
 public:
  explicit NoxReader(std::string_view src) : src_(src) {}

  void module(TSNode root) {
    for (TSNode c : named_children(root)) {
      std::string_view type = ts_node_type(c);
      if (type == "decorated_definition")
        decorated(c);
      else if (type == "expression_statement")
        options(c);
    }
  }

  std::vector<CiCommand> result() const {
    std::vector<CiCommand> out;
    for (const auto& s : sessions_) out.insert(out.end(), s.commands.begin(), s.commands.end());
    for (const auto& s : sessions_) {
      bool runs = default_names_ ? default_names_->count(s.name) > 0 : s.is_default;
      if (!runs) continue;
      for (CiCommand c : s.commands) {
        c.scope.clear();
        out.push_back(std::move(c));
      }
    }
    if (out.size() > kMaxCommands) out.resize(kMaxCommands);
    return out;
  }

 private:
  static std::vector<TSNode> named_children(TSNode n) {
    std::vector<TSNode> out;
    uint32_t count = ts_node_named_child_count(n);
    out.reserve(count);
    for (uint32_t i = 0; i < count; ++i) out.push_back(ts_node_named_child(n, i));
    return out;
  }

  std::string text(TSNode n) const {
    if (ts_node_is_null(n)) return {};
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    if (b > src_.size() || a > b) return {};
    return std::string(src_.substr(a, b - a));
  }

  // A string literal's contents (escapes as written); nullopt for anything else.
  std::optional<std::string> literal(TSNode n) const {
    if (ts_node_is_null(n) || std::string_view(ts_node_type(n)) != "string") return std::nullopt;
    uint32_t start = ts_node_start_byte(n), end = ts_node_end_byte(n);
    uint32_t count = ts_node_child_count(n);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode c = ts_node_child(n, i);
      std::string_view t = ts_node_type(c);
      if (t == "string_start") start = ts_node_end_byte(c);
      if (t == "string_end") end = ts_node_start_byte(c);
    }
    if (end > src_.size() || start > end) return std::nullopt;
    return std::string(src_.substr(start, end - start));
  }

  // `nox.options.sessions = ["lint", "tests"]`: the sessions a bare `nox` runs.
  void options(TSNode stmt) {
    for (TSNode a : named_children(stmt)) {
      if (std::string_view(ts_node_type(a)) != "assignment") continue;
      if (text(ts_node_child_by_field_name(a, "left", 4)) != "nox.options.sessions") continue;
      TSNode right = ts_node_child_by_field_name(a, "right", 5);
      std::string_view rt = ts_node_is_null(right) ? "" : ts_node_type(right);
      if (rt != "list" && rt != "tuple") continue;
      std::set<std::string> names;
      for (TSNode item : named_children(right))
        if (auto s = literal(item)) names.insert(*s);
      default_names_ = std::move(names);
    }
  }

  // `@nox.session`, `@session`, `@nox.session(name=..., default=False)` on a function.
  void decorated(TSNode n) {
    TSNode def = ts_node_child_by_field_name(n, "definition", 10);
    if (ts_node_is_null(def) || std::string_view(ts_node_type(def)) != "function_definition") return;
    std::optional<Session> session;
    for (TSNode d : named_children(n)) {
      if (std::string_view(ts_node_type(d)) != "decorator" || ts_node_named_child_count(d) == 0) continue;
      TSNode expr = ts_node_named_child(d, 0);
      TSNode args{};
      bool call = std::string_view(ts_node_type(expr)) == "call";
      if (call) {
        args = ts_node_child_by_field_name(expr, "arguments", 9);
        expr = ts_node_child_by_field_name(expr, "function", 8);
      }
      std::string callee = text(expr);
      if (callee != "nox.session" && callee != "session") continue;
      session.emplace();
      session->name = text(ts_node_child_by_field_name(def, "name", 4));
      if (call && !ts_node_is_null(args)) keywords(args, *session);
    }
    if (!session || session->name.empty()) return;
    body(def, *session);
    sessions_.push_back(std::move(*session));
  }

  void keywords(TSNode args, Session& s) const {
    for (TSNode a : named_children(args)) {
      if (std::string_view(ts_node_type(a)) != "keyword_argument") continue;
      std::string key = text(ts_node_child_by_field_name(a, "name", 4));
      TSNode value = ts_node_child_by_field_name(a, "value", 5);
      if (key == "name") {
        if (auto v = literal(value)) s.name = *v;
      } else if (key == "default") {
        s.is_default = text(value) != "False";
      }
    }
  }

  // The session's first parameter (usually `session`, maybe `s: nox.Session`).
  std::string session_param(TSNode def) const {
    TSNode params = ts_node_child_by_field_name(def, "parameters", 10);
    if (ts_node_is_null(params) || ts_node_named_child_count(params) == 0) return "session";
    TSNode first = ts_node_named_child(params, 0);
    std::string_view t = ts_node_type(first);
    if (t == "identifier") return text(first);
    if ((t == "typed_parameter" || t == "default_parameter" || t == "typed_default_parameter") &&
        ts_node_named_child_count(first) > 0)
      return text(ts_node_named_child(first, 0));
    return "session";
  }

  // Calls of `<param>.run(...)` / `<param>.run_always(...)` anywhere in the body.
  void body(TSNode def, Session& s) const {
    const std::string param = session_param(def);
    std::vector<TSNode> stack{ts_node_child_by_field_name(def, "body", 4)};
    size_t visited = 0;
    while (!stack.empty() && ++visited < kMaxNodesPerSession && s.commands.size() < kMaxCommands) {
      TSNode n = stack.back();
      stack.pop_back();
      if (ts_node_is_null(n)) continue;
      if (std::string_view(ts_node_type(n)) == "call") run_call(n, param, s);
      std::vector<TSNode> kids = named_children(n);
      stack.insert(stack.end(), kids.rbegin(), kids.rend());
    }
  }

  void run_call(TSNode call, const std::string& param, Session& s) const {
    TSNode fn = ts_node_child_by_field_name(call, "function", 8);
    if (ts_node_is_null(fn) || std::string_view(ts_node_type(fn)) != "attribute") return;
    if (text(ts_node_child_by_field_name(fn, "object", 6)) != param) return;
    std::string method = text(ts_node_child_by_field_name(fn, "attribute", 9));
    if (method != "run" && method != "run_always") return;  // install() is not a command to match
    std::string cmd;
    for (TSNode a : named_children(ts_node_child_by_field_name(call, "arguments", 9))) {
      // Keyword arguments (env=, external=) and computed arguments (*session.posargs) are not words.
      if (auto v = literal(a)) cmd += (cmd.empty() ? "" : " ") + *v;
    }
    if (cmd.empty()) return;
    if (cmd.size() > 2000) cmd.resize(2000);
    s.commands.push_back({s.name, cmd, static_cast<int>(ts_node_start_point(call).row) + 1, Runner::Nox});
  }

  std::string_view src_;
  std::vector<Session> sessions_;
  std::optional<std::set<std::string>> default_names_;
};

}  // namespace

std::vector<CiCommand> nox_sessions(std::string_view source) {
  std::unique_ptr<TSParser, ParserDeleter> parser(ts_parser_new());
  ts_parser_set_language(parser.get(), tree_sitter_python());
  std::unique_ptr<TSTree, TreeDeleter> tree(
      ts_parser_parse_string(parser.get(), nullptr, source.data(), static_cast<uint32_t>(source.size())));
  if (!tree) return {};
  NoxReader reader(source);
  reader.module(ts_tree_root_node(tree.get()));
  return reader.result();
}

}  // namespace mlops
