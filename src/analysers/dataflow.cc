// Intra-file data flow over tree-sitter-python trees: statements in execution order per scope,
// values tracked per name, flows from sources to sinks, and the three questions rules ask.
#include "analysers/dataflow.h"

#include <tree_sitter/api.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <numeric>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "analysers/python_names.h"
#include "util/glob.h"
#include "util/limits.h"

extern "C" const TSLanguage* tree_sitter_python();

namespace mlops {
namespace {

constexpr uint32_t kNone = UINT32_MAX;

// A tracked value: which source sites it comes from, which values it was derived from (for
// "reached K, then C") and the names it went through.
struct Value {
  std::vector<uint32_t> origins;                // indexes in DataflowResult::origins
  std::vector<uint32_t> ancestry;               // value ids, itself first, nearest next
  std::vector<std::vector<std::string>> paths;  // per origin (same order): the names it went through
  uint32_t view_of = kNone;  // `x[...]` / `x.attr`: the value of x (a fit on part of x fits on x's data)
  bool bound = false;        // held by a name (else a temporary of the statement being read)
  // The result of `obj.transform(...)` / `obj.fit_transform(...)`: obj's name (interned), so a
  // leak can be tied to the object that was fitted.
  uint32_t made_by = kNone;
};

// One scope's names: module level, a function body or a class body.
struct Scope {
  std::unordered_map<std::string, uint32_t> env;
  std::unordered_set<std::string> untracked;  // global / nonlocal names: bound elsewhere
  std::vector<std::string> loop_bound;        // names bound inside the loops open now
  // The held-out index of a cross-validation loop (`for tr, va in kf.split(X)`: va): rows picked
  // with it are that fold's validation rows, not training data.
  std::unordered_set<std::string> fold_held_out;
  int loops = 0;
  int line = 0;  // first line of the function or class; 0 at module level
};

bool is(TSNode n, std::string_view type) {
  return !ts_node_is_null(n) && type == ts_node_type(n);
}

TSNode field(TSNode n, const char* name) {
  return ts_node_child_by_field_name(n, name, static_cast<uint32_t>(std::char_traits<char>::length(name)));
}

std::vector<TSNode> named_children(TSNode n) {
  std::vector<TSNode> out;
  uint32_t count = ts_node_named_child_count(n);
  out.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    TSNode c = ts_node_named_child(n, i);
    if (!is(c, "comment")) out.push_back(c);
  }
  return out;
}

bool is_pattern(TSNode n) {
  return is(n, "pattern_list") || is(n, "tuple_pattern") || is(n, "list_pattern") || is(n, "tuple") ||
         is(n, "list") || is(n, "expression_list");
}

class Analysis {
 public:
  Analysis(std::string_view src, const DataflowSpec& spec, DataflowResult& out,
           const std::vector<NotebookLine>* lines)
      : src_(src), spec_(spec), out_(out), lines_(lines), names_(src), marks_(spec.orders.size()) {}

  // One tree (the file's, or a chunk's: module statements continue from the previous chunk).
  // Returns false once a budget stopped the analysis.
  bool run_tree(TSNode root) {
    run_scope(root, module_);
    // Function and class bodies, each with names of its own.
    while (!pending_.empty() && !stopped_) {
      TSNode def = pending_.back();
      pending_.pop_back();
      Scope scope;
      scope.line = line(def);
      TSNode body = field(def, "body");
      if (!ts_node_is_null(body)) run_scope(body, scope);
    }
    pending_.clear();
    defs_.clear();  // its nodes belong to this tree, which a chunked parse frees after it
    return !stopped_;
  }

 private:
  // ---- Budgets ------------------------------------------------------------------------

  bool tick() {
    if (stopped_) return false;
    if (++nodes_ > kMaxPythonNodesVisited) {
      limit("stopped after " + std::to_string(kMaxPythonNodesVisited) + " syntax nodes");
      stopped_ = true;
      return false;
    }
    return true;
  }

  void limit(const std::string& what) {
    out_.truncated = true;
    if (out_.note.find(what) == std::string::npos) out_.note += (out_.note.empty() ? "" : "; ") + what;
  }

  // ---- Positions and text ---------------------------------------------------------------

  static int line(TSNode n) { return static_cast<int>(ts_node_start_point(n).row) + 1; }

  DfLocation location(TSNode n) const {
    int l = line(n);
    if (!lines_) return {l, static_cast<int>(ts_node_start_point(n).column) + 1, 0, 0};
    if (l < 1 || l > static_cast<int>(lines_->size())) return {1, 0, 0, 0};
    const NotebookLine& nl = (*lines_)[static_cast<size_t>(l - 1)];
    return {nl.file_line, 0, nl.cell, nl.cell_line};
  }

  std::string_view view(TSNode n) const {
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    if (b > src_.size() || a > b) return {};
    return src_.substr(a, b - a);
  }

  // See DfOrigin::twin. A call longer than 4 KiB is no one's twin.
  uint64_t twin_key(TSNode n) const {
    std::string_view t = view(n);
    if (t.size() > 4096 || t.find("random_state") == std::string_view::npos) return 0;
    std::string compact;
    for (char c : t)
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\\') compact += c;
    return std::hash<std::string>{}(compact) | 1;  // never 0
  }

  std::string first_line(TSNode n) const {
    std::string_view t = view(n);
    return std::string(t.substr(0, std::min(t.find('\n'), kMaxSnippetBytes)));
  }

  // ---- Values -------------------------------------------------------------------------

  bool tracked(uint32_t v) const { return v != kNone; }

  // A new value derived from `inputs` (untracked ones ignored); kNone when none is tracked.
  uint32_t derive(std::initializer_list<uint32_t> inputs) { return derive(std::vector<uint32_t>(inputs)); }
  uint32_t derive(const std::vector<uint32_t>& inputs) {
    const Value* first = nullptr;
    for (uint32_t v : inputs)
      if (tracked(v)) {
        first = &values_[v];
        break;
      }
    if (!first) return kNone;
    if (values_.size() >= kMaxDfValues) {
      limit("more than " + std::to_string(kMaxDfValues) + " tracked values");
      return kNone;
    }
    Value nv;
    const uint32_t id = static_cast<uint32_t>(values_.size());
    nv.ancestry.push_back(id);
    for (uint32_t v : inputs) {
      if (!tracked(v)) continue;
      const Value& in = values_[v];

      for (size_t i = 0; i < in.origins.size(); ++i)
        if (nv.origins.size() < kMaxDfOrigins &&
            std::find(nv.origins.begin(), nv.origins.end(), in.origins[i]) == nv.origins.end()) {
          nv.origins.push_back(in.origins[i]);
          nv.paths.push_back(in.paths[i]);
        }
    }
    // Nearest ancestors first: each input, then theirs in turn.
    for (size_t depth = 0; depth < kMaxDfAncestors && nv.ancestry.size() < kMaxDfAncestors; ++depth) {
      bool any = false;
      for (uint32_t v : inputs) {
        if (!tracked(v)) continue;
        const auto& anc = values_[v].ancestry;
        if (depth >= anc.size()) continue;
        any = true;
        if (nv.ancestry.size() < kMaxDfAncestors &&
            std::find(nv.ancestry.begin(), nv.ancestry.end(), anc[depth]) == nv.ancestry.end())
          nv.ancestry.push_back(anc[depth]);
      }
      if (!any) break;
    }
    values_.push_back(std::move(nv));
    return id;
  }

  uint32_t fresh_origin_value(uint32_t origin) {
    if (values_.size() >= kMaxDfValues) {
      limit("more than " + std::to_string(kMaxDfValues) + " tracked values");
      return kNone;
    }
    Value v;
    v.origins.push_back(origin);
    v.paths.emplace_back();
    v.ancestry.push_back(static_cast<uint32_t>(values_.size()));
    values_.push_back(std::move(v));
    return static_cast<uint32_t>(values_.size() - 1);
  }

  uint32_t new_origin(size_t source, TSNode call, uint32_t site) {
    // One origin per (call site, source): the parts of one split share it.
    auto known = origin_of_.find({site, source});
    if (known != origin_of_.end()) return known->second;
    DfOrigin o;
    o.label = spec_.sources[source].label;
    o.at = location(call);
    o.text = first_line(call);
    o.twin = twin_key(call);
    o.scope = scope_->line;
    o.site = site;
    o.step = step_;
    out_.origins.push_back(std::move(o));
    origin_of_[{site, source}] = static_cast<uint32_t>(out_.origins.size() - 1);
    return static_cast<uint32_t>(out_.origins.size() - 1);
  }

  // Does `v` carry a source's odd (held-out) parts?
  bool held_out_value(uint32_t v) const {
    const auto& os = values_[v].origins;
    return std::any_of(os.begin(), os.end(), [&](uint32_t o) { return output_of(o) == DfOutputs::Odd; });
  }

  void escape(uint32_t v) {
    if (!tracked(v)) return;
    for (uint32_t o : values_[v].origins) out_.origins[o].escaped = true;
  }

  uint32_t lookup(std::string_view name) const {
    auto it = scope_->env.find(std::string(name));
    return it == scope_->env.end() ? kNone : it->second;
  }

  void kill(const std::string& name) {
    ++generation_[name];  // a fitted object of this name is another one from here on
    scope_->env.erase(name);
    scope_->fold_held_out.erase(name);
    if (scope_->loops > 0) scope_->loop_bound.push_back(name);
  }

  void bind(const std::string& name, uint32_t v) {
    if (!tracked(v) || scope_->untracked.contains(name)) {
      kill(name);
      return;
    }
    if (scope_->env.size() >= kMaxDfNamesPerScope && !scope_->env.contains(name)) {
      limit("more than " + std::to_string(kMaxDfNamesPerScope) + " tracked names in a scope");
      return;
    }
    // A temporary of this statement becomes the name's value; a value a name holds already is
    // copied, so that each name has its own path.
    ++generation_[name];
    uint32_t nv = v >= statement_values_ && !values_[v].bound ? v : derive({v});
    if (!tracked(nv)) {
      kill(name);
      return;
    }
    for (auto& path : values_[nv].paths)
      if (path.size() < kMaxDfPath && (path.empty() || path.back() != name)) path.push_back(name);
    values_[nv].bound = true;
    scope_->env[name] = nv;
    if (scope_->loops > 0) scope_->loop_bound.push_back(name);
  }

  // Every identifier under `n` (iteratively): names a construct binds that is not modelled.
  template <typename F>
  void each_identifier(TSNode n, F f) {
    std::vector<TSNode> stack{n};
    while (!stack.empty() && tick()) {
      TSNode c = stack.back();
      stack.pop_back();
      if (is(c, "identifier")) {
        f(c);
        continue;
      }
      uint32_t count = ts_node_named_child_count(c);
      for (uint32_t i = count; i > 0; --i) stack.push_back(ts_node_named_child(c, i - 1));
    }
  }

  void kill_names_in(TSNode n) {
    each_identifier(n, [&](TSNode id) { kill(std::string(view(id))); });
  }

  // A construct the analysis does not follow: any tracked value read in it escapes.
  void opaque(TSNode n) {
    each_identifier(n, [&](TSNode id) { escape(lookup(view(id))); });
  }

  // ---- Statements ---------------------------------------------------------------------

  struct Item {
    TSNode node;
    bool loop_end = false;
    size_t mark = 0;  // loop_end: scope.loop_bound size when the loop began
  };

  void run_scope(TSNode block, Scope& scope) {
    Scope* saved = scope_;
    scope_ = &scope;
    std::vector<Item> stack;
    push_block(stack, block);
    while (!stack.empty() && tick()) {
      Item it = stack.back();
      stack.pop_back();
      if (it.loop_end) {
        // Names a loop rebinds hold a different value each time round: not tracked after it.
        std::vector<std::string> bound(scope_->loop_bound.begin() + static_cast<std::ptrdiff_t>(it.mark),
                                       scope_->loop_bound.end());
        scope_->loop_bound.resize(it.mark);
        --scope_->loops;
        for (const auto& n : bound) kill(n);
        continue;
      }
      statement(it.node, stack);
    }
    scope_ = saved;
  }

  static void push_block(std::vector<Item>& stack, TSNode block) {
    if (ts_node_is_null(block)) return;
    std::vector<TSNode> kids = named_children(block);
    for (auto k = kids.rbegin(); k != kids.rend(); ++k) stack.push_back({*k});
  }

  void loop(TSNode n, std::vector<Item>& stack, TSNode body) {
    TSNode alternative = field(n, "alternative");
    if (!ts_node_is_null(alternative)) stack.push_back({alternative});
    stack.push_back({n, true, scope_->loop_bound.size()});
    ++scope_->loops;
    push_block(stack, body);
  }

  void statement(TSNode n, std::vector<Item>& stack) {
    ++step_;
    statement_values_ = values_.size();
    std::string_view t = ts_node_type(n);
    if (t == "expression_statement") {
      for (TSNode c : named_children(n)) {
        if (is(c, "assignment"))
          assignment(c);
        else if (is(c, "augmented_assignment"))
          augmented(c);
        else
          eval(c, 0);
      }
    } else if (t == "module" || t == "block" || t == "else_clause" || t == "finally_clause" ||
               t == "try_statement") {
      // In order: a try's body, its handlers, else and finally.
      push_block(stack, n);
    } else if (t == "except_clause" || t == "except_group_clause") {
      for (TSNode c : named_children(n))
        if (is(c, "block"))
          push_block(stack, c);
        else
          kill_names_in(c);  // `except E as e`: e is something else now
    } else if (t == "if_statement" || t == "elif_clause") {
      eval(field(n, "condition"), 0);
      // Branches run one after another in this model: a later branch's binding wins.
      std::vector<Item> parts;
      for (TSNode c : named_children(n))
        if (is(c, "block") || is(c, "elif_clause") || is(c, "else_clause")) parts.push_back({c});
      for (auto p = parts.rbegin(); p != parts.rend(); ++p) stack.push_back(*p);
    } else if (t == "for_statement") {
      escape(eval(field(n, "right"), 0));  // iterating a value: its items are not followed
      kill_names_in(field(n, "left"));
      loop(n, stack, field(n, "body"));
      kill_names_in(field(n, "left"));  // recorded as bound in the loop
      TSNode held = fold_index(field(n, "left"), field(n, "right"));
      if (!ts_node_is_null(held)) scope_->fold_held_out.insert(std::string(view(held)));
    } else if (t == "while_statement") {
      eval(field(n, "condition"), 0);
      loop(n, stack, field(n, "body"));
    } else if (t == "with_statement") {
      for (TSNode c : named_children(n)) {
        if (is(c, "block")) {
          push_block(stack, c);
        } else if (is(c, "with_clause")) {
          for (TSNode item : named_children(c)) with_item(item);
        }
      }
    } else if (t == "function_definition" || t == "class_definition") {
      TSNode name = field(n, "name");
      if (!ts_node_is_null(name)) {
        kill(std::string(view(name)));
        // A class of the file: its instances' calls resolve to it. A home-made sklearn
        // transformer (deriving from TransformerMixin) is preprocessing, not a model.
        if (t == "class_definition") {
          TSNode bases = field(n, "superclasses");
          const bool transformer =
              !ts_node_is_null(bases) && view(bases).find("TransformerMixin") != std::string_view::npos;
          names_.local_class(std::string(view(name)),
                             transformer ? "sklearn.base.TransformerMixin." + std::string(view(name)) : "");
        }
        // A module-level function may read the module's names when it is called.
        if (scope_ == &module_ && t == "function_definition" && defs_.size() < kMaxKindCache)
          defs_[std::string(view(name))] = field(n, "body");
      }
      pending_.push_back(n);
    } else if (t == "decorated_definition") {
      TSNode def = field(n, "definition");
      if (!ts_node_is_null(def)) stack.push_back({def});
    } else if (t == "return_statement") {
      for (TSNode c : named_children(n)) escape(eval(c, 0));
    } else if (t == "delete_statement") {
      kill_names_in(n);
    } else if (t == "global_statement" || t == "nonlocal_statement") {
      each_identifier(n, [&](TSNode id) {
        std::string name(view(id));
        kill(name);
        scope_->untracked.insert(name);
      });
    } else if (t == "import_statement") {
      names_.import_statement(n, nullptr);
    } else if (t == "import_from_statement") {
      names_.import_from(n, nullptr);
    } else if (t == "raise_statement" || t == "assert_statement" || t == "print_statement" ||
               t == "exec_statement") {
      for (TSNode c : named_children(n)) eval(c, 0);
    } else if (t == "pass_statement" || t == "break_statement" || t == "continue_statement" ||
               t == "future_import_statement" || t == "comment") {
      // Nothing flows.
    } else {
      // match, type aliases, syntax errors: what they read escapes, what they bind is dropped.
      opaque(n);
      kill_names_in(n);
    }
  }

  // `for tr, va in cv.split(X)` / `for k, (tr, va) in enumerate(cv.split(X))`: the name of the
  // held-out index (va), or null. Any `.split` method of an object that is not a string.
  TSNode fold_index(TSNode left, TSNode right) {
    if (is(right, "call") && names_.callee_name(field(right, "function")) == "enumerate") {
      TSNode args = field(right, "arguments");
      std::vector<TSNode> a = is(args, "argument_list") ? named_children(args) : std::vector<TSNode>{};
      std::vector<TSNode> l = is_pattern(left) ? named_children(left) : std::vector<TSNode>{};
      if (a.size() != 1 || l.size() != 2) return {};
      right = a[0];
      left = l[1];
    }
    if (!is(right, "call") || !is_pattern(left)) return {};
    TSNode fn = field(right, "function");
    if (!is(fn, "attribute") || view(field(fn, "attribute")) != "split") return {};
    TSNode object = field(fn, "object");
    if (is(object, "string") || is(object, "concatenated_string")) return {};
    if (names_.callee_name(fn).starts_with("numpy.")) return {};  // np.split: chunks, not folds
    std::vector<TSNode> parts = named_children(left);
    if (parts.size() != 2 || !is(parts[1], "identifier")) return {};
    return parts[1];
  }

  // Does `n` read a cross-validation loop's held-out index?
  bool reads_fold_held_out(TSNode n) {
    if (scope_->fold_held_out.empty()) return false;
    bool found = false;
    each_identifier(
        n, [&](TSNode id) { found = found || scope_->fold_held_out.contains(std::string(view(id))); });
    return found;
  }

  void with_item(TSNode item) {
    TSNode value = field(item, "value");
    if (ts_node_is_null(value)) return;
    if (is(value, "as_pattern")) {
      std::vector<TSNode> kids = named_children(value);
      uint32_t v = kids.empty() ? kNone : eval(kids[0], 0);
      TSNode alias = field(value, "alias");
      // `with open(path) as f`: f holds what the opener derived from path (an opener is a
      // propagator); any other name or pattern is not followed.
      TSNode target = ts_node_is_null(alias) || ts_node_named_child_count(alias) != 1
                          ? TSNode{}
                          : ts_node_named_child(alias, 0);
      if (!ts_node_is_null(target) && is(target, "identifier") && tracked(v)) {
        bind(std::string(view(target)), v);
      } else {
        escape(v);
        if (!ts_node_is_null(alias)) kill_names_in(alias);
      }
    } else {
      escape(eval(value, 0));
    }
  }

  // ---- Assignments ----------------------------------------------------------------------

  void assignment(TSNode n) {
    names_.assignment(n);  // as the facts walk does: x = mod.f(...) names mod.f()
    std::vector<TSNode> targets{field(n, "left")};
    TSNode right = field(n, "right");
    if (is(targets[0], "identifier") && !spec_.learning_steps.empty()) {
      std::string target(view(targets[0]));
      if (auto c = step_container(right))
        step_containers_[target] = std::move(*c);
      else
        step_containers_.erase(target);
    }
    if (ts_node_is_null(right)) return;          // `x: int`
    while (is(right, "assignment") && tick()) {  // a = b = value
      targets.push_back(field(right, "left"));
      right = field(right, "right");
      if (ts_node_is_null(right)) return;
    }
    if (targets.size() == 1 && is_pattern(targets[0])) {
      unpack(targets[0], right);
      return;
    }
    // `X[rows, j] = model.predict(...)`: the call's result fills in values (see filling_in).
    const bool into_subscript =
        std::all_of(targets.begin(), targets.end(), [](TSNode t) { return is(t, "subscript"); });
    subscript_call_ = into_subscript && is(right, "call") ? right : TSNode{};
    uint32_t v = eval(right, 0);
    subscript_call_ = TSNode{};
    for (TSNode target : targets) store(target, v);
  }

  void store(TSNode target, uint32_t v) {
    if (ts_node_is_null(target)) return;
    if (is(target, "identifier")) {
      bind(std::string(view(target)), v);
    } else if (is(target, "subscript")) {
      // `df["c"] = value`: df now holds value's data too (a column written into it).
      TSNode object = field(target, "value");
      for (TSNode c : named_children(target))
        if (!ts_node_eq(c, object)) eval(c, 1);
      if (is(object, "identifier")) {
        uint32_t base = lookup(view(object));
        if (tracked(v) || tracked(base)) bind(std::string(view(object)), derive({base, v}));
      } else {
        escape(v);
      }
    } else if (is_pattern(target)) {
      // `a, b = value` in a chain: each part is derived from the whole.
      for (TSNode c : named_children(target)) {
        if (is(c, "identifier"))
          bind(std::string(view(c)), v);
        else
          kill_names_in(c);
      }
    } else {
      // `self.x = value`, and anything else: stored where locals are not followed.
      escape(v);
      if (!is(target, "attribute")) kill_names_in(target);
    }
  }

  void unpack(TSNode pattern, TSNode right) {
    std::vector<TSNode> targets = named_children(pattern);
    bool plain = targets.size() <= kMaxDfTargets;
    for (TSNode t : targets)
      if (!is(t, "identifier") && !is(t, "subscript") && !is(t, "attribute")) plain = false;
    if (!plain) {
      // Star-unpacking, nested patterns, huge tuples: positions are not followed.
      if (targets.size() > kMaxDfTargets) limit("an unpacking wider than " + std::to_string(kMaxDfTargets));
      escape(eval(right, 0));
      kill_names_in(pattern);
      return;
    }
    // Element-wise `a, b = x, y`.
    if (is(right, "expression_list") || is(right, "tuple") || is(right, "list")) {
      std::vector<TSNode> parts = named_children(right);
      bool splat = std::any_of(parts.begin(), parts.end(), [](TSNode p) { return is(p, "list_splat"); });
      if (parts.size() == targets.size() && !splat) {
        std::vector<uint32_t> vs;
        for (TSNode p : parts) vs.push_back(eval(p, 1));
        for (size_t i = 0; i < targets.size(); ++i) store(targets[i], vs[i]);
        return;
      }
    }
    // A call whose parts are sources by position (train_test_split: train, test, train, test).
    if (is(right, "call")) {
      std::string name = names_.callee_name(field(right, "function"));
      std::vector<size_t> positional;
      for (size_t s = 0; s < spec_.sources.size(); ++s)
        if (spec_.sources[s].outputs != DfOutputs::Result && kind(name).source[s]) positional.push_back(s);
      if (!positional.empty()) {
        barrier_held_out_ = kNone;
        uint32_t whole = eval(right, 0);
        const uint32_t site = next_site_++;
        // Splitting a held-out part again (`X_valid, X_test = split(X_test)`): every part is
        // held out, none is training data, and each carries the held-out part it came from.
        const uint32_t carried = barrier_held_out_;
        const uint32_t parent = barrier_parent_;
        const uint32_t inputs = barrier_inputs_;
        barrier_held_out_ = kNone;
        barrier_parent_ = kNone;
        barrier_inputs_ = kNone;
        // A split one side of which is thrown away (`_, X_small, _, y_small = split(X, y)`,
        // `X_grid, X_not_used = split(X)`) takes a subsample: what is kept is the data it came
        // from, neither a train nor a held-out part.
        bool even_dropped = targets.size() >= 2, odd_dropped = targets.size() >= 2;
        for (size_t i = 0; i < targets.size(); ++i)
          (i % 2 == 0 ? even_dropped : odd_dropped) &= discarded(targets[i]);
        // So is a split that keeps a twentieth or less to train on (`test_size=0.99`): the rest is
        // no test set but the sample's remainder.
        if (!even_dropped && !odd_dropped && targets.size() >= 2 && keeps_a_sliver(right)) {
          for (size_t i = 0; i < targets.size(); ++i)
            if (i % 2 == 0)
              store(targets[i], inputs);
            else
              kill_names_in(targets[i]);
          return;
        }
        if (even_dropped || odd_dropped) {
          for (TSNode t : targets)
            if (!discarded(t)) store(t, inputs);
          return;
        }
        const bool held_out = tracked(carried);
        for (size_t i = 0; i < targets.size(); ++i) {
          std::vector<uint32_t> parts{whole, carried};
          // `_` is a part thrown away on purpose: no source there.
          if (!(is(targets[i], "identifier") && view(targets[i]) == "_")) {
            for (size_t s : positional) {
              bool odd = i % 2 == 1 || held_out;
              if ((spec_.sources[s].outputs == DfOutputs::Odd) == odd) {
                const uint32_t o = new_origin(s, right, site);
                out_.origins[o].parent_site = parent;
                parts.push_back(fresh_origin_value(o));
              }
            }
          }
          store(targets[i], merge(parts));
        }
        return;
      }
    }
    // A container held in a name (`a, b, c, d = parts`): which position holds what is not
    // known (the parts of a split packed in a list), so no target is followed.
    if (is(right, "identifier") || is(right, "attribute") || is(right, "subscript")) {
      escape(eval(right, 0));
      kill_names_in(pattern);
      return;
    }
    uint32_t v = eval(right, 0);
    for (TSNode t : targets) store(t, v);
  }

  // A split call given `test_size` of 0.95 or more, or `train_size` of 0.05 or less, as literals
  // (0.9 is still a split: courses hold out 90 % to train fast on the rest).
  bool keeps_a_sliver(TSNode call) const {
    TSNode args = field(call, "arguments");
    if (!is(args, "argument_list")) return false;
    for (TSNode a : named_children(args)) {
      if (!is(a, "keyword_argument")) continue;
      const std::string_view key = view(field(a, "name"));
      TSNode value = field(a, "value");
      if (!is(value, "float")) continue;
      const double v = std::strtod(std::string(view(value)).c_str(), nullptr);
      if ((key == "test_size" && v >= 0.95 && v < 1.0) || (key == "train_size" && v > 0.0 && v <= 0.05))
        return true;
    }
    return false;
  }

  // A target named to be thrown away: `_`, or a name saying so (`X_not_used`, `x_discard`).
  bool discarded(TSNode t) const {
    if (!is(t, "identifier")) return false;
    std::string n(view(t));
    if (n == "_") return true;
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    for (const char* w :
         {"not_use", "notuse", "unused", "discard", "ignore", "throwaway", "do_not", "dont_use"})
      if (n.find(w) != std::string::npos) return true;
    return false;
  }

  // A value holding all of `parts` (one tracked part is returned as is).
  uint32_t merge(const std::vector<uint32_t>& parts) {
    size_t n = static_cast<size_t>(
        std::count_if(parts.begin(), parts.end(), [&](uint32_t v) { return tracked(v); }));
    if (n == 0) return kNone;
    if (n == 1) return *std::find_if(parts.begin(), parts.end(), [&](uint32_t v) { return tracked(v); });
    return derive(parts);
  }

  void augmented(TSNode n) {
    TSNode left = field(n, "left");
    uint32_t v = eval(field(n, "right"), 0);
    if (is(left, "identifier")) {
      uint32_t old = lookup(view(left));
      if (tracked(old) || tracked(v)) bind(std::string(view(left)), derive({old, v}));
    } else {
      store(left, v);
    }
  }

  // ---- Expressions ----------------------------------------------------------------------

  // The value of expression `n` (kNone: nothing tracked), recording the sinks its calls reach.
  uint32_t eval(TSNode n, int depth) {
    if (ts_node_is_null(n) || !tick()) return kNone;
    if (depth > kMaxDfExprDepth) {
      opaque(n);
      return kNone;
    }
    std::string_view t = ts_node_type(n);
    if (t == "identifier") return lookup(view(n));
    if (t == "call") return call(n, depth);
    if (t == "attribute") {
      uint32_t base = eval(field(n, "object"), depth + 1);
      return view_of(base);
    }
    if (t == "subscript") {
      TSNode object = field(n, "value");
      // `np.c_[a, b]` / `np.r_[a, b]` stack their "indexes": those are the data.
      if (is(object, "attribute")) {
        const std::string stacker = names_.callee_name(object);
        if (stacker == "numpy.c_" || stacker == "numpy.r_") {
          std::vector<uint32_t> parts;
          for (TSNode c : named_children(n))
            if (!ts_node_eq(c, object)) parts.push_back(eval(c, depth + 1));
          return merge(parts);
        }
      }
      uint32_t base = eval(object, depth + 1);
      bool fold_rows = false;
      for (TSNode c : named_children(n))
        if (!ts_node_eq(c, object)) {
          eval(c, depth + 1);  // an index or mask: read, not kept
          fold_rows = fold_rows || reads_fold_held_out(c);
        }
      // A cross-validation fold's validation rows: held out from that fold's fit, so neither
      // training data nor the split's test part. Not followed.
      if (fold_rows) return kNone;
      return view_of(base);
    }
    if (t == "named_expression") {
      uint32_t v = eval(field(n, "value"), depth + 1);
      TSNode name = field(n, "name");
      if (!ts_node_is_null(name)) bind(std::string(view(name)), v);
      return v;
    }
    if (t == "string" || t == "concatenated_string") {
      // f-strings: interpolations are expressions of this scope (`f"{accuracy_score(y, p)}"`).
      std::vector<TSNode> stack{n};
      while (!stack.empty() && tick()) {
        TSNode c = stack.back();
        stack.pop_back();
        if (is(c, "interpolation")) {
          TSNode e = field(c, "expression");
          if (ts_node_is_null(e) && ts_node_named_child_count(c) > 0) e = ts_node_named_child(c, 0);
          escape(eval(e, depth + 1));
          continue;
        }
        if (is(c, "string") || is(c, "concatenated_string"))
          for (TSNode k : named_children(c)) stack.push_back(k);
      }
      return kNone;
    }
    if (t == "integer" || t == "float" || t == "true" || t == "false" || t == "none" || t == "ellipsis")
      return kNone;
    if (t == "parenthesized_expression" || t == "binary_operator" || t == "boolean_operator" ||
        t == "comparison_operator" || t == "unary_operator" || t == "not_operator" ||
        t == "conditional_expression" || t == "tuple" || t == "list" || t == "set" ||
        t == "expression_list" || t == "list_splat" || t == "dictionary" || t == "pair" || t == "await" ||
        t == "slice") {
      std::vector<uint32_t> parts;
      for (TSNode c : named_children(n)) parts.push_back(eval(c, depth + 1));
      return merge(parts);
    }
    // Lambdas, comprehensions (names of their own), anything unknown: not followed.
    opaque(n);
    return kNone;
  }

  uint32_t view_of(uint32_t base) {
    uint32_t v = derive({base});
    if (tracked(v)) values_[v].view_of = base;
    return v;
  }

  // What the spec says of a callee name; names repeat, and matching a long name against every
  // glob costs more than the rest of the call, so each distinct name is matched once.
  struct Kind {
    std::vector<bool> sink, source;
    bool inert = false, barrier = false, propagator = false, filling_in = false;
  };

  const Kind& kind(const std::string& name) {
    auto it = kinds_.find(name);
    if (it != kinds_.end()) return it->second;
    if (kinds_.size() >= kMaxKindCache) kinds_.clear();
    Kind k;
    for (const auto& sink : spec_.sinks) k.sink.push_back(matches_names(sink.calls, name));
    for (const auto& source : spec_.sources) k.source.push_back(matches_names(source.calls, name));
    k.inert = matches_names(spec_.inert, name);
    k.barrier = matches_names(spec_.barriers, name);
    k.propagator = matches_names(spec_.propagators, name);
    k.filling_in = matches_names(spec_.filling_in, name);
    return kinds_.emplace(name, std::move(k)).first->second;
  }

  struct Arg {
    int position = -1;  // -1: keyword or splat
    uint32_t value = kNone;
    bool consumed = false;
    std::string_view keyword{};  // the keyword argument's name, if one
  };

  uint32_t call(TSNode n, int depth) {
    TSNode fn = field(n, "function");
    TSNode args = field(n, "arguments");
    std::string name = names_.callee_name(fn);
    uint32_t receiver = kNone;
    bool method = is(fn, "attribute");
    if (method && !spec_.learning_steps.empty()) {
      // A container of learning steps fitted: named so that sinks can tell it (step_container).
      const std::string_view verb = view(field(fn, "attribute"));
      TSNode object = field(fn, "object");
      std::optional<StepContainer> c;
      if ((verb == "fit" || verb == "fit_transform") && is(object, "identifier")) {
        if (auto it = step_containers_.find(std::string(view(object))); it != step_containers_.end())
          c = it->second;
      } else if (verb == "fit" || verb == "fit_transform") {
        c = step_container(object);  // nullopt unless a container call
      }
      if (c && (c->fit_learns || verb == "fit_transform"))
        name = c->name + "(fitted-steps)." + std::string(verb);
    }
    if (method)
      receiver = eval(field(fn, "object"), depth + 1);
    else if (!is(fn, "identifier"))
      escape(eval(fn, depth + 1));
    std::vector<Arg> argv;
    std::vector<std::pair<std::string_view, std::string_view>> keywords;  // as written
    if (is(args, "argument_list")) {
      int position = 0;
      for (TSNode a : named_children(args)) {
        if (is(a, "keyword_argument")) {
          keywords.emplace_back(view(field(a, "name")), view(field(a, "value")));
          argv.push_back({-1, eval(field(a, "value"), depth + 1), false, view(field(a, "name"))});
        } else if (is(a, "list_splat") || is(a, "dictionary_splat")) {
          argv.push_back({-1, eval(a, depth + 1)});
        } else {
          argv.push_back({position++, eval(a, depth + 1)});
        }
      }
    } else if (!ts_node_is_null(args)) {
      opaque(args);  // f(x for x in xs)
    }
    if (name.empty()) {
      for (const Arg& a : argv) escape(a.value);
      escape(receiver);
      return kNone;
    }

    if (!method && is(fn, "identifier")) {
      // Calling a function of this file that reads module-level names (`def report():
      // print(mean_absolute_error(y_test, rf.predict(X_test)))`): what those names hold goes
      // where the analysis does not follow (function bodies are scopes of their own).
      auto def = defs_.find(std::string(view(fn)));
      if (def != defs_.end() && !ts_node_is_null(def->second))
        each_identifier(def->second, [&](TSNode id) {
          auto m = module_.env.find(std::string(view(id)));
          if (m != module_.env.end()) escape(m->second);
        });
    }
    if (!method && (name == "exec" || name == "eval")) {
      // Code in a string may read any name: whatever is tracked may be evaluated there.
      for (const auto& [n2, v] : scope_->env) escape(v);
      for (const auto& [n2, v] : module_.env) escape(v);
    }
    const Kind k = kind(name);
    filling_in_ = k.filling_in && !ts_node_is_null(subscript_call_) && ts_node_eq(n, subscript_call_);
    // The receiver's name, when it is one (`scaler.fit(X)`): what a fit taught it.
    const uint32_t object =
        method && is(field(fn, "object"), "identifier") ? intern(view(field(fn, "object"))) : kNone;
    call_object_ = object;
    pending_marks_.clear();
    const std::vector<bool> beside = held_out_beside_train(argv);
    bool trains = false, scores = false;
    for (size_t s = 0; s < spec_.sinks.size(); ++s) {
      if (!k.sink[s] || excepted(spec_.sinks[s], keywords)) continue;
      trains = trains || spec_.sinks[s].trains;
      scores = scores || (spec_.sinks[s].consumes && spec_.sinks[s].watch == DfWatch::Any);
    }
    if (trains) {
      auto scored = std::find_if(spec_.sinks.begin(), spec_.sinks.end(),
                                 [&](const DfSink& e) { return e.name == spec_.scored_beside_train; });
      for (size_t i = 0; i < argv.size() && scored != spec_.sinks.end(); ++i)
        if (beside[i]) {
          hit(static_cast<size_t>(scored - spec_.sinks.begin()), argv[i].value, n);
          argv[i].consumed = argv[i].consumed || scored->consumes;
        }
    }
    for (size_t s = 0; s < spec_.sinks.size(); ++s) {
      const DfSink& sink = spec_.sinks[s];
      if (!k.sink[s] || excepted(sink, keywords)) continue;
      if (sink.watch == DfWatch::Receiver) {
        hit(s, receiver, n);
        continue;
      }
      for (Arg& a : argv) {
        bool watched = sink.watch == DfWatch::Any ||
                       (sink.watch == DfWatch::Positionals && a.position >= 0) ||
                       (sink.watch == DfWatch::Keywords && a.position < 0) ||
                       (sink.watch == DfWatch::Positional && a.position == sink.position);
        if (!watched || !tracked(a.value) || (sink.trains && beside[static_cast<size_t>(&a - argv.data())]))
          continue;
        if (sink.watch == DfWatch::Keywords && !sink.keywords.empty() &&
            std::find(sink.keywords.begin(), sink.keywords.end(), a.keyword) == sink.keywords.end())
          continue;
        hit(s, a.value, n);
        a.consumed = a.consumed || sink.consumes;
      }
    }

    uint32_t result = kNone;
    if (k.inert) {
      result = kNone;
    } else if (k.barrier) {
      result = kNone;  // a different thing now; its arguments are consumed
      // What it splits when that is a held-out part itself (see unpack).
      std::vector<uint32_t> held;
      for (const Arg& a : argv)
        if (tracked(a.value) && held_out_value(a.value)) held.push_back(a.value);
      barrier_held_out_ = held.empty() ? kNone : derive(held);
      std::vector<uint32_t> inputs;
      for (const Arg& a : argv)
        if (a.position >= 0) inputs.push_back(a.value);
      barrier_inputs_ = merge(inputs);
      barrier_parent_ = kNone;
      for (const Arg& a : argv)
        if (tracked(a.value))
          for (uint32_t o : values_[a.value].origins)
            if (barrier_parent_ == kNone && output_of(o) == DfOutputs::Even)
              barrier_parent_ = out_.origins[o].site;
    } else if (k.propagator || (method && tracked(receiver))) {
      note_other_score(k, scores, argv);
      // An evaluation's result (`m.predict(X_val)`, `m.score(X, y)`) is about what it was given:
      // the model's own training data is not in its predictions of other rows.
      std::vector<uint32_t> parts{scores ? kNone : receiver};
      for (const Arg& a : argv) parts.push_back(a.value);
      result = derive(parts);
      if (tracked(result) && name.ends_with("transform") && object != kNone) values_[result].made_by = object;
    } else {
      note_other_score(k, scores, argv);
      // A call whose effect is unknown: what it receives is not followed.
      for (const Arg& a : argv)
        if (!a.consumed) escape(a.value);
    }
    // Marks made by this call's sinks learn the call's result (a fit_transform's output).
    for (const auto& [k2, w] : pending_marks_) {
      auto m = marks_[k2].find(w);
      if (m != marks_[k2].end() && !m->second.empty()) m->second.back().output = result;
    }
    pending_marks_.clear();
    const bool plain_function = !method && is(fn, "identifier") && !k.inert && !k.barrier && !k.propagator &&
                                std::none_of(k.sink.begin(), k.sink.end(), [](bool b) { return b; });
    for (size_t s = 0; s < spec_.sources.size(); ++s) {
      if (spec_.sources[s].outputs != DfOutputs::Result) continue;
      if (!k.source[s] && !(spec_.sources[s].plain_functions && plain_function)) continue;
      uint32_t v = fresh_origin_value(new_origin(s, n, next_site_++));
      result = tracked(result) ? derive({v, result}) : v;
    }
    return result;
  }

  // Which positional arguments are a split's held-out part while another positional argument
  // is the train part of that same split.
  std::vector<bool> held_out_beside_train(const std::vector<Arg>& argv) const {
    std::vector<bool> out(argv.size(), false);
    if (spec_.scored_beside_train.empty()) return out;
    std::set<uint32_t> train_sites;
    for (const Arg& a : argv)
      if (a.position >= 0 && tracked(a.value))
        for (uint32_t o : values_[a.value].origins)
          if (output_of(o) == DfOutputs::Even) train_sites.insert(out_.origins[o].site);
    if (train_sites.empty()) return out;
    for (size_t i = 0; i < argv.size(); ++i) {
      if (argv[i].position < 0 || !tracked(argv[i].value)) continue;
      bool train = false, held = false;
      for (uint32_t o : values_[argv[i].value].origins) {
        const DfOutputs w = output_of(o);
        train = train || w == DfOutputs::Even;
        held = held || (w == DfOutputs::Odd && train_sites.contains(out_.origins[o].site));
      }
      out[i] = held && !train;
    }
    return out;
  }

  DfOutputs output_of(uint32_t origin) const {
    for (const auto& src : spec_.sources)
      if (src.label == out_.origins[origin].label) return src.outputs;
    return DfOutputs::Result;
  }

  // A score or metric (not a prediction) of data that is no split's part (`accuracy_score(y_test,
  // pred)` with y_test from a dataset's own test set): the file measures a model on other data.
  void note_other_score(const Kind& k, bool scores, const std::vector<Arg>& argv) {
    if (!scores || k.propagator) return;
    for (const Arg& a : argv)
      if (tracked(a.value))
        for (uint32_t o : values_[a.value].origins)
          if (output_of(o) != DfOutputs::Result) return;
    if (out_.other_scores.size() < 256) out_.other_scores.emplace_back(step_, scope_->line);
  }

  static bool excepted(const DfSink& sink,
                       const std::vector<std::pair<std::string_view, std::string_view>>& keywords) {
    for (const auto& [key, literal] : sink.unless_keywords)
      for (const auto& [k, v] : keywords)
        if (k == key && v == literal) return true;
    return false;
  }

  // ---- Sinks and order --------------------------------------------------------------------

  void hit(size_t sink, uint32_t v, TSNode call) {
    if (!tracked(v)) return;
    const uint32_t at = ts_node_start_byte(call);
    size_t first_flow = SIZE_MAX;
    for (size_t i = 0; i < values_[v].origins.size(); ++i) {
      const uint32_t o = values_[v].origins[i];
      if (!seen_.insert({o, sink, at}).second) {
        if (first_flow == SIZE_MAX) first_flow = flow_at_[{o, sink, at}];
        continue;
      }
      if (out_.flows.size() >= kMaxDfFlows) {
        limit("more than " + std::to_string(kMaxDfFlows) + " flows");
        return;
      }
      DfFlow f;
      f.label = out_.origins[o].label;
      f.sink = spec_.sinks[sink].name;
      f.source_at = out_.origins[o].at;
      f.source_text = out_.origins[o].text;
      f.sink_at = location(call);
      f.sink_text = first_line(call);
      f.path = values_[v].paths[i];
      f.step = step_;
      f.scope = scope_->line;
      f.origin = o;
      f.filled_in = filling_in_;
      flow_at_[{o, sink, at}] = out_.flows.size();
      if (first_flow == SIZE_MAX) first_flow = out_.flows.size();
      out_.flows.push_back(std::move(f));
    }
    if (first_flow == SIZE_MAX) return;
    const std::string& name = spec_.sinks[sink].name;
    for (size_t k = 0; k < spec_.orders.size(); ++k) {
      const DfOrder& order = spec_.orders[k];
      if (order.then == name) {
        // Did this value, or one it was derived from, reach `first` earlier?
        for (uint32_t a : values_[v].ancestry) {
          auto marks = marks_[k].find(a);
          if (marks == marks_[k].end()) continue;
          for (const Mark& m : marks->second) {
            if (m.at == at) continue;
            // What was learnt reaches the split only through that fit's output or a `transform`
            // of the object fitted: a scaler or PCA fitted for a plot, or a fit on some columns
            // never written back, leaks nothing into the split data.
            if (!carries(v, m)) continue;
            // Every fit the value descends from (a scaler, then a selector on its output).
            if (ordered_.insert({k, m.flow, first_flow}).second)
              out_.order_hits.push_back({k, out_.flows[m.flow], out_.flows[first_flow]});
          }
        }
      }
      if (order.first == name) {
        // The value and what it is a part of (a fit on df[cols] learned from df's rows).
        uint32_t w = v;
        // Each fit of a value is a mark of its own (the same frame scaled twice, by two objects).
        for (int i = 0; i < kMaxDfExprDepth && tracked(w); ++i, w = values_[w].view_of) {
          std::vector<Mark>& marks = marks_[k][w];
          if (marks.size() >= kMaxMarksPerValue ||
              std::any_of(marks.begin(), marks.end(), [&](const Mark& m) { return m.at == at; }))
            continue;
          marks.push_back(Mark{first_flow, at, kNone, call_object_});
          pending_marks_.emplace_back(k, w);
        }
      }
    }
  }

  std::string_view src_;
  const DataflowSpec& spec_;
  DataflowResult& out_;
  const std::vector<NotebookLine>* lines_;
  PyNames names_;
  std::vector<Value> values_;
  Scope module_;
  Scope* scope_ = &module_;
  std::vector<TSNode> pending_;
  size_t nodes_ = 0;
  bool stopped_ = false;
  uint64_t step_ = 0;
  size_t statement_values_ = 0;  // values_.size() when the current statement began
  uint32_t next_site_ = 0;
  std::map<std::pair<uint32_t, size_t>, uint32_t> origin_of_;
  static constexpr size_t kMaxKindCache = 4096;
  std::unordered_map<std::string, Kind> kinds_;            // (site, source) -> origin
  std::set<std::tuple<uint32_t, size_t, uint32_t>> seen_;  // (origin, sink, call)
  std::map<std::tuple<uint32_t, size_t, uint32_t>, size_t> flow_at_;
  // Per order: value that reached `first` -> its flow, the call's start byte, and whether the
  // value is a frame only part of which was passed.
  struct Mark {
    size_t flow = 0;
    uint32_t at = 0;
    uint32_t output = kNone;  // the fitting call's result (a fit_transform's output)
    uint32_t object = kNone;  // the fitted object's interned name (`scaler.fit(X)`)
  };
  static constexpr size_t kMaxMarksPerValue = 8;
  std::vector<std::unordered_map<uint32_t, std::vector<Mark>>> marks_;
  uint32_t barrier_held_out_ = kNone;  // the held-out inputs of the last barrier call, for unpack
  uint32_t barrier_parent_ = kNone;    // the site whose train part the last barrier call split
  uint32_t barrier_inputs_ = kNone;    // what the last barrier call was given (a subsample keeps it)
  TSNode subscript_call_{};            // the call an assignment writes into a subscript, if any
  bool filling_in_ = false;            // the call being read fills in values (spec.filling_in)
  uint32_t call_object_ = kNone;       // the receiver name of the call being read
  std::vector<std::pair<size_t, uint32_t>> pending_marks_;  // marks this call made: (order, value)
  std::unordered_map<std::string, uint32_t> interned_;
  // Names bound to a container of learning steps (spec.step_containers / transform_pipelines):
  // the container's qualified name and whether its `fit` is renamed too.
  struct StepContainer {
    std::string name;
    bool fit_learns = false;
  };
  std::unordered_map<std::string, StepContainer> step_containers_;

  // `ColumnTransformer([("num", num_pipe, cols)])` where a step (here num_pipe) learns from the
  // rows it is fitted on; nullopt for any other call.
  std::optional<StepContainer> step_container(TSNode call) {
    if (spec_.learning_steps.empty() || !is(call, "call")) return std::nullopt;
    const std::string name = names_.callee_name(field(call, "function"));
    StepContainer c{name, matches_names(spec_.step_containers, name)};
    if (!c.fit_learns && !matches_names(spec_.transform_pipelines, name)) return std::nullopt;
    std::vector<TSNode> stack{field(call, "arguments")};
    for (size_t seen = 0; !stack.empty() && seen < kMaxStepNodes && tick(); ++seen) {
      TSNode n = stack.back();
      stack.pop_back();
      if (ts_node_is_null(n)) continue;
      if (is(n, "call") && matches_names(spec_.learning_steps, names_.callee_name(field(n, "function"))))
        return c;
      if (is(n, "identifier") && step_containers_.contains(std::string(view(n)))) return c;
      for (TSNode child : named_children(n)) stack.push_back(child);
    }
    return std::nullopt;
  }
  static constexpr size_t kMaxStepNodes = 2000;

  // A name as it is bound now: `ss = StandardScaler()` twice makes two objects named ss.
  uint32_t intern(std::string_view name) {
    std::string key(name);
    auto g = generation_.find(key);
    key += '#' + std::to_string(g == generation_.end() ? 0 : g->second);
    auto it = interned_.find(key);
    if (it != interned_.end()) return it->second;
    if (interned_.size() >= kMaxKindCache) return kNone;
    const auto id = static_cast<uint32_t>(interned_.size());
    interned_.emplace(std::move(key), id);
    return id;
  }
  std::unordered_map<std::string, uint64_t> generation_;  // rebindings per name
  std::unordered_map<std::string, TSNode> defs_;          // module-level functions: name -> body

  // Does `v` carry what the fit of `m` learnt: is it, or was it derived from, that fit's output
  // or a transform by the fitted object?
  bool carries(uint32_t v, const Mark& m) const {
    for (uint32_t b : values_[v].ancestry)
      if ((m.output != kNone && b == m.output) || (m.object != kNone && values_[b].made_by == m.object))
        return true;
    return false;
  }
  std::set<std::tuple<size_t, size_t, size_t>> ordered_;
};

// The notebook's cells in execution order when every code cell has a count and they differ
// from document order: the reordered source and its line map. Nothing when document order holds.
struct Reordered {
  std::string source;
  std::vector<NotebookLine> lines;
};

std::optional<Reordered> execution_order(const NotebookCode& nb) {
  if (nb.cells.empty()) return std::nullopt;
  for (const auto& c : nb.cells)
    if (c.execution_count < 0) return std::nullopt;
  std::vector<size_t> order(nb.cells.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return nb.cells[a].execution_count < nb.cells[b].execution_count;
  });
  if (std::is_sorted(order.begin(), order.end())) return std::nullopt;
  // Each code cell's lines, as [begin, end) byte ranges of nb.source.
  std::unordered_map<int, std::vector<std::pair<size_t, size_t>>> cell_lines;
  size_t at = 0;
  for (size_t i = 0; i < nb.lines.size() && at <= nb.source.size(); ++i) {
    size_t end = nb.source.find('\n', at);
    end = end == std::string::npos ? nb.source.size() : end + 1;
    cell_lines[nb.lines[i].cell].push_back({at, end});
    at = end;
  }
  Reordered r;
  r.source.reserve(nb.source.size());
  for (size_t i : order) {
    const int cell = nb.cells[i].cell;
    auto it = cell_lines.find(cell);
    if (it == cell_lines.end()) continue;
    int k = 0;
    for (auto [a, b] : it->second) {
      r.source.append(nb.source, a, b - a);
      r.lines.push_back({cell, ++k, 0});
    }
  }
  // File lines come from the original map, by (cell, line in cell).
  std::map<std::pair<int, int>, int> file_line;
  for (const auto& l : nb.lines) file_line[{l.cell, l.cell_line}] = l.file_line;
  for (auto& l : r.lines) l.file_line = file_line[{l.cell, l.cell_line}];
  return r;
}

void run(const PythonParse& parse, std::string_view src, const DataflowSpec& spec, DataflowResult& out,
         const std::vector<NotebookLine>* lines) {
  Analysis a(src, spec, out, lines);
  parse.each_syntax_tree([&](const TSTree* tree) { return a.run_tree(ts_tree_root_node(tree)); });
}

}  // namespace

const std::vector<std::string>& default_propagators() {
  static const std::vector<std::string> v = {
      "*.fit_transform", "*.transform", "*.inverse_transform", "*.predict", "*.predict_proba",
      "*.decision_function", "pandas.concat", "pandas.merge", "pandas.get_dummies", "pandas.DataFrame",
      "pandas.Series", "numpy.array", "numpy.asarray", "numpy.concatenate", "numpy.vstack", "numpy.hstack",
      "numpy.stack", "numpy.squeeze", "numpy.log1p", "numpy.log", "torch.tensor", "torch.from_numpy",
      "torch.as_tensor", "*.drop", "*.copy", "*.dropna", "*.fillna", "*.merge", "*.join", "*.astype",
      "*.reshape", "*.to_numpy", "*.ravel", "*.flatten", "*.reset_index",
      // imblearn's resamplers return the rows they were given, and more.
      "*.fit_resample", "*.fit_sample"};
  return v;
}

const std::vector<std::string>& default_inert() {
  static const std::vector<std::string> v = {"len",           "print",     "type",
                                             "isinstance",    "id",        "repr",
                                             "str",           "display",   "IPython.display.display",
                                             "pprint.pprint", "logging.*", "logger.*",
                                             "log.*"};
  return v;
}

DataflowResult analyse_dataflow(const DfCode& code, const DataflowSpec& spec) {
  DataflowResult out;
  if (!code.parse) return out;
  if (spec.sources.size() > kMaxDfSources) {
    out.truncated = true;
    out.note = "more than " + std::to_string(kMaxDfSources) + " sources";
    return out;
  }
  if (code.notebook) {
    if (auto r = execution_order(*code.notebook)) {
      PythonParse reordered(r->source);
      run(reordered, r->source, spec, out, &r->lines);
    } else {
      run(*code.parse, code.notebook->source, spec, out, &code.notebook->lines);
    }
  } else {
    run(*code.parse, code.parse->source(), spec, out, nullptr);
  }
  return out;
}

// ---- Questions ----------------------------------------------------------------------------

DfCalls DfCalls::defaults() {
  DfCalls c;
  // `*` matches across calls too: the last glob keeps `pandas.read_*` off `df.drop` when df
  // is known as pandas.read_csv() (pandas.read_csv().drop).
  c.data_sources = {"pandas.read_*",
                    "polars.read_*",
                    "numpy.load",
                    "numpy.loadtxt",
                    "numpy.genfromtxt",
                    "sklearn.datasets.load_*",
                    "sklearn.datasets.fetch_*",
                    "sklearn.datasets.make_*",
                    "!*().*"};
  c.splits = {"sklearn.model_selection.train_test_split", "sklearn.cross_validation.train_test_split"};
  for (const char* m :
       {"sklearn.preprocessing", "sklearn.impute", "sklearn.feature_selection", "sklearn.decomposition",
        "sklearn.feature_extraction", "sklearn.feature_extraction.text"})
    for (const char* f : {"fit", "fit_transform"}) c.preprocess_fits.push_back(std::string(m) + ".*()." + f);
  // Target-side encoders learn only the set of classes, stateless transformers nothing, and
  // category encoders only the categories: not a leak of the test rows' statistics.
  for (const char* e : {"LabelEncoder", "LabelBinarizer", "MultiLabelBinarizer", "PolynomialFeatures",
                        "Normalizer", "FunctionTransformer", "Binarizer", "OneHotEncoder", "OrdinalEncoder"})
    c.preprocess_fits.push_back(std::string("!sklearn.preprocessing.") + e + "().*");
  for (const char* e : {"HashingVectorizer", "CountVectorizer", "DictVectorizer"})
    c.preprocess_fits.push_back(std::string("!sklearn.feature_extraction.*") + e + "().*");
  // Oversampling before the split: synthetic (SMOTE) or duplicated rows of one sample land on
  // both sides of it. Undersampling only drops rows: no leak, so left out.
  for (const char* m : {"imblearn.over_sampling", "imblearn.combine"})
    for (const char* f : {"fit_resample", "fit_sample"})
      c.preprocess_fits.push_back(std::string(m) + ".*()." + f);
  // A ColumnTransformer or a transformer-only pipeline fitted whole learns from every row its
  // scaler, imputer or selector sees (docs/dataflow.md): its steps are the constructors whose
  // fit is a preprocessing fit above.
  c.step_containers = {"sklearn.compose.ColumnTransformer", "sklearn.compose.make_column_transformer",
                       "sklearn.pipeline.FeatureUnion", "sklearn.pipeline.make_union"};
  c.transform_pipelines = {"sklearn.pipeline.Pipeline", "sklearn.pipeline.make_pipeline"};
  for (const auto& f : c.preprocess_fits) {
    const bool negated = f.starts_with('!');
    if (f.ends_with("().fit")) c.learning_steps.push_back(f.substr(0, f.size() - 6));
    if (negated && f.ends_with("().*")) c.learning_steps.push_back(f.substr(0, f.size() - 4));
  }
  for (const char* f : {"fit", "fit_transform"})
    c.preprocess_fits.push_back(std::string("*(fitted-steps).") + f);
  // A held-out estimate computed on a part: its own folds score the model.
  c.cross_validations = {"sklearn.model_selection.cross_val_score", "sklearn.model_selection.cross_validate",
                         "sklearn.model_selection.cross_val_predict"};
  c.evaluations = {"*.score", "*.evaluate", "*.predict", "*.predict_proba", "*.predict_log_proba",
                   "*.decision_function", "sklearn.metrics.*",
                   // Distances and kernels between rows are no score.
                   "!sklearn.metrics.pairwise*"};
  // Not eli5's PermutationImportance(model).fit(X_val, y_val): it scores a fitted model. Nor a
  // calibration (`CalibratedClassifierCV(model, cv="prefit").fit(X_val, y_val)`): fitted on a
  // held-out part by design.
  // Nor an explainer's fit (alibi's counterfactual and anchor explainers, shap, lime): it learns
  // how to explain a fitted model, on whatever data it is shown.
  // Nor a stateless transformer's fit (PolynomialFeatures learns only the number of columns):
  // fitting it on a test part learns nothing from the test rows.
  c.fits = {"*.fit",        "*.fit_transform", "*.fit_predict", "*.partial_fit",          "*.fit_resample",
            "*.fit_sample", "!eli5.*",         "!alibi.*",      "!sklearn.calibration.*", "!shap.*",
            "!lime.*"};
  for (const char* e : {"PolynomialFeatures", "FunctionTransformer", "Normalizer", "Binarizer"})
    c.fits.push_back(std::string("!sklearn.preprocessing.") + e + "().*");
  for (const char* e : {"HashingVectorizer", "FeatureHasher"})
    c.fits.push_back(std::string("!sklearn.feature_extraction.*") + e + "().*");
  // Nor Keras' ImageDataGenerator: its fit learns featurewise statistics only when the
  // constructor asks for them (featurewise_center, featurewise_std_normalization,
  // zca_whitening), which a call's name does not carry; augmentation-only generators fitted on
  // every part are the common case, so the generator is left out (docs/rules/EVL003.md).
  c.fits.emplace_back("!*ImageDataGenerator().*");
  // A model, not a preprocessing step, a decomposition or a clustering.
  c.model_fits = {
      "*.fit", "*.partial_fit", "*.fit_generator", "*.train_on_batch", "!eli5.*", "!sklearn.preprocessing.*",
      "!sklearn.impute.*", "!sklearn.feature_selection.*", "!sklearn.decomposition.*",
      "!sklearn.feature_extraction.*", "!sklearn.cluster.*", "!sklearn.manifold.*", "!sklearn.mixture.*",
      "!sklearn.neighbors.NearestNeighbors().*", "!sklearn.compose.ColumnTransformer().*",
      "!sklearn.compose.make_column_transformer().*", "!*(fitted-steps).*",
      // Preprocessing classes of any library, by what their name says they are.
      "!*Selector().*", "!*Imputer().*", "!*Scaler().*", "!*Discretiser().*", "!*Discretizer().*",
      "!*Vectorizer().*", "!*Binarizer().*", "!*Normalizer().*", "!*Preprocessor().*", "!*PreProcessor().*",
      "!*Preprocessing().*", "!*PreProcessing().*", "!sklearn.base.TransformerMixin.*",
      // Preprocessing, resampling and explanation libraries: no model either.
      "!feature_engine.*", "!category_encoders.*", "!sklearn_pandas.*", "!imblearn.over_sampling.*",
      "!imblearn.under_sampling.*", "!imblearn.combine.*", "!umap.*", "!alibi.*", "!shap.*", "!lime.*",
      "!*ImageDataGenerator().*"};
  c.propagators = default_propagators();
  return c;
}

namespace {

// One spec for the three questions: each question reads its part of one run.
DataflowSpec questions_spec(const DfCalls& calls) {
  DataflowSpec s;
  // The project's own loaders (`df = load_data()`) return the data too: a plain function's
  // result is data (the leak still needs it fitted, then split).
  s.sources = {{"data", calls.data_sources, DfOutputs::Result, true},
               {"train", calls.splits, DfOutputs::Even, false},
               {"test", calls.splits, DfOutputs::Odd, false}};
  // Only an evaluation uses a value up: a test part that goes into a fit or a split still
  // escapes as far as "never evaluated" is concerned, as it would with no such sink.
  s.sinks = {
      {"preprocess", calls.preprocess_fits, DfWatch::Positionals, 0, false, {}, true},
      {"split", calls.splits, DfWatch::Positionals, 0, false, {}},
      {"fit", calls.fits, DfWatch::Positionals, 0, false, {}, true},
      {"model_fit", calls.model_fits, DfWatch::Positionals, 0, false, {}, true},
      {"eval", calls.evaluations, DfWatch::Any, 0, true, {}},
      // Recorded, not consumed: what a cross-validation is given still escapes as before.
      {"cv", calls.cross_validations, DfWatch::Positionals, 0, false, {}},
      // `fit(..., validation_data=(X_test, y_test))`, `eval_set=[...]`: scored every epoch.
      {"eval", calls.fits, DfWatch::Keywords, 0, true, {}},
      // ... and so steering the fit: early stopping, the best epoch (recorded, not consumed). The
      // keywords `fit` takes for it (scikit-learn-style boosters, Keras); `xgboost.train`'s
      // `evals=` gets a DMatrix, which the analysis does not follow.
      {"validate", calls.fits, DfWatch::Keywords, 0, false, {}, false, {"eval_set", "validation_data"}}};
  s.scored_beside_train = "eval";
  s.filling_in = {"*.predict", "*.predict_proba"};
  s.orders = {{"preprocess", "split"}};
  s.barriers = calls.splits;
  s.propagators = calls.propagators;
  s.inert = default_inert();
  s.step_containers = calls.step_containers;
  s.transform_pipelines = calls.transform_pipelines;
  s.learning_steps = calls.learning_steps;
  return s;
}

DfAnswer leak_answer(const DataflowResult& r) {
  DfAnswer a{{}, r.truncated, r.note};
  std::set<std::pair<int, int>> seen;
  for (const auto& h : r.order_hits) {
    if (h.first.label != "data" || h.then.label != "data") continue;
    if (seen.insert({h.first.sink_at.line, h.first.sink_at.column}).second)
      a.findings.push_back(
          {h.first.sink_at, h.first.sink_text, h.then.sink_at, h.then.sink_text, h.first.path});
  }
  return a;
}

// What happened to the parts of each split: the first flows of its train part into a fit and
// an evaluation, and whether a test part was evaluated or escaped.
struct SplitUse {
  std::map<uint32_t, const DfFlow*> train_fitted, train_evaluated;
  std::map<uint32_t, uint64_t> test_evaluated;  // site -> step of the first evaluation
  std::set<uint32_t> test_escaped;
  std::set<uint32_t> train_cross_validated;  // sites whose train part a cross-validation scores
};

SplitUse split_use(const DataflowResult& r) {
  SplitUse u;
  for (const auto& f : r.flows) {
    const DfOrigin& o = r.origins[f.origin];
    if (f.sink == "eval" && o.label == "train" && !f.filled_in) u.train_evaluated.try_emplace(o.site, &f);
    if (f.sink == "cv" && o.label == "train") u.train_cross_validated.insert(o.site);
    if (f.sink == "model_fit" && o.label == "train") u.train_fitted.try_emplace(o.site, &f);
    if (f.sink == "eval" && o.label == "test") u.test_evaluated.try_emplace(o.site, f.step);
  }
  for (const auto& o : r.origins)
    if (o.label == "test" && o.escaped) u.test_escaped.insert(o.site);
  return u;
}

// The split sites whose test part is certainly never evaluated: not evaluated, not escaped.
std::vector<const DfOrigin*> unevaluated_tests(const DataflowResult& r, const SplitUse& u) {
  std::vector<const DfOrigin*> out;
  std::set<uint32_t> seen;
  for (const auto& o : r.origins)
    if (o.label == "test" && !u.test_escaped.contains(o.site) && !u.test_evaluated.contains(o.site) &&
        seen.insert(o.site).second)
      out.push_back(&o);
  return out;
}

// Is `site` a split of an earlier split's train part (`X_train, X_val = split(X_train)`) whose
// outer test part was scored? Then the model has its held-out score, if not on the inner split.
bool outer_scored(const DataflowResult& r, const SplitUse& u, uint32_t site) {
  std::map<uint32_t, uint32_t> parent;
  for (const auto& o : r.origins) parent.emplace(o.site, o.parent_site);
  for (int i = 0; i < 16 && site != UINT32_MAX; ++i) {
    auto p = parent.find(site);
    site = p == parent.end() ? UINT32_MAX : p->second;
    if (site != UINT32_MAX && u.test_evaluated.contains(site)) return true;
  }
  return false;
}

// Is a model scored on data of its own (a dataset's own test set) after the split `o`, in its
// scope, and before the next split?
// Was the test part of a twin of split `o` (the same seeded split written before, in the same
// scope) evaluated before `o`? Then `o` repeats a scored split (to refit and look at a model),
// it holds out no second test set. A twin scored only later scores another model.
bool twin_scored(const DataflowResult& r, const SplitUse& u, const DfOrigin& o) {
  if (o.twin == 0) return false;
  return std::any_of(r.origins.begin(), r.origins.end(), [&](const DfOrigin& t) {
    if (t.twin != o.twin || t.site == o.site || t.scope != o.scope || t.step >= o.step) return false;
    auto scored = u.test_evaluated.find(t.site);
    return scored != u.test_evaluated.end() && scored->second < o.step;
  });
}

bool scored_other_data(const DataflowResult& r, const DfOrigin& split) {
  uint64_t next = UINT64_MAX;
  for (const auto& o : r.origins)
    if ((o.label == "train" || o.label == "test") && o.step > split.step) next = std::min(next, o.step);
  return std::any_of(r.other_scores.begin(), r.other_scores.end(), [&](const std::pair<uint64_t, int>& s) {
    return s.second == split.scope && s.first > split.step && s.first < next;
  });
}

DfAnswer unevaluated_answer(const DataflowResult& r) {
  DfAnswer a{{}, r.truncated, r.note};
  if (r.truncated) return a;  // unsure: silent
  const SplitUse u = split_use(r);
  for (const DfOrigin* o : unevaluated_tests(r, u)) {
    auto fit = u.train_fitted.find(o->site);
    if (fit == u.train_fitted.end() || u.train_evaluated.contains(o->site) || outer_scored(r, u, o->site) ||
        scored_other_data(r, *o) || twin_scored(r, u, *o))
      continue;
    a.findings.push_back({o->at, o->text, fit->second->sink_at, fit->second->sink_text, {}});
  }
  return a;
}

DfAnswer train_evaluated_answer(const DataflowResult& r) {
  DfAnswer a{{}, r.truncated, r.note};
  if (r.truncated) return a;
  const SplitUse u = split_use(r);
  std::map<uint32_t, const DfOrigin*> held_out;  // site -> its test part, never evaluated
  // A train part also cross-validated, or a model scored on other data (a dataset's own test set)
  // after the split: the training score is reported beside a held-out one.
  for (const DfOrigin* o : unevaluated_tests(r, u))
    if (!u.train_cross_validated.contains(o->site) && !scored_other_data(r, *o)) held_out.emplace(o->site, o);
  // Every evaluation of such a train part, once a line (`accuracy_score(y_train, m.predict(X_train))`
  // is one score).
  std::set<std::pair<int, int>> lines;
  for (const auto& f : r.flows) {
    const DfOrigin& o = r.origins[f.origin];
    if (f.sink != "eval" || o.label != "train" || f.filled_in || outer_scored(r, u, o.site)) continue;
    auto test = held_out.find(o.site);
    if (test == held_out.end() || !lines.insert({f.sink_at.line, f.sink_at.cell_line}).second) continue;
    a.findings.push_back({f.sink_at, f.sink_text, test->second->at, test->second->text, f.path});
  }
  return a;
}

DfAnswer fitted_answer(const DataflowResult& r) {
  DfAnswer a{{}, r.truncated, r.note};
  const SplitUse u = split_use(r);
  std::set<std::pair<int, int>> seen;
  for (const auto& f : r.flows) {
    if (f.sink != "fit" || f.label != "test") continue;
    const uint32_t site = r.origins[f.origin].site;
    // Each part fitted on and the other scored (two-fold cross-validation by hand): no part is
    // a held-out test set.
    if (u.train_evaluated.contains(site) && u.test_evaluated.contains(site)) continue;
    // Scored on the held-out part first, then refitted on everything: the usual last step.
    auto evaluated = u.test_evaluated.find(site);
    if (evaluated != u.test_evaluated.end() && evaluated->second < f.step) continue;
    if (seen.insert({f.sink_at.line, f.sink_at.column}).second)
      a.findings.push_back({f.sink_at, f.sink_text, f.source_at, f.source_text, f.path});
  }
  return a;
}

}  // namespace

DfAnswer fit_before_split(const DfCode& code, const DfCalls& calls) {
  return leak_answer(analyse_dataflow(code, questions_spec(calls)));
}

DfAnswer test_split_not_evaluated(const DfCode& code, const DfCalls& calls) {
  return unevaluated_answer(analyse_dataflow(code, questions_spec(calls)));
}

DfAnswer test_split_fitted(const DfCode& code, const DfCalls& calls) {
  return fitted_answer(analyse_dataflow(code, questions_spec(calls)));
}

DfAnswer evaluated_on_train_split(const DfCode& code, const DfCalls& calls) {
  return train_evaluated_answer(analyse_dataflow(code, questions_spec(calls)));
}

namespace {

// Keeps the findings of `a` that `b` has too (same place): a claim that must hold either way.
void keep_common(DfAnswer& a, const DfAnswer& b) {
  std::erase_if(a.findings, [&](const DfFinding& f) {
    return std::none_of(b.findings.begin(), b.findings.end(), [&](const DfFinding& g) {
      return g.at.line == f.at.line && g.at.cell == f.at.cell && g.at.cell_line == f.at.cell_line;
    });
  });
}

}  // namespace

// A top-level split's held-out part given to a fit as its validation data (`eval_set=`,
// `validation_data=`: early stopping, the best epoch) and also scored at another call: the score
// reported for held-out data was chosen on it. A split of a train part (a validation split) is
// meant for that; a held-out part only used to validate is a validation set by another name.
DfAnswer steered_answer(const DataflowResult& r) {
  DfAnswer a{{}, r.truncated, r.note};
  std::set<std::pair<int, int>> validations;  // where each validating fit is
  for (const auto& f : r.flows)
    if (f.sink == "validate") validations.insert({f.sink_at.line, f.sink_at.column});
  std::set<uint32_t> scored;  // test sites scored at a call that is no validating fit
  for (const auto& f : r.flows)
    if (f.sink == "eval" && f.label == "test" && !f.filled_in &&
        !validations.contains({f.sink_at.line, f.sink_at.column}))
      scored.insert(r.origins[f.origin].site);
  // A part named a validation set (`X_val`, `X_valid_preproc`, `dev_df`) is scored as one: its
  // score is the validation score, not a held-out claim.
  auto validation_named = [](const std::vector<std::string>& names) {
    return std::any_of(names.begin(), names.end(), [](const std::string& name) {
      std::string token;
      for (size_t i = 0; i <= name.size(); ++i) {
        const char c =
            i < name.size() ? static_cast<char>(std::tolower(static_cast<unsigned char>(name[i]))) : '_';
        if (std::isalpha(static_cast<unsigned char>(c))) {
          token += c;
          continue;
        }
        if (token.starts_with("val") || token == "dev") return true;
        token.clear();
      }
      return false;
    });
  };
  std::set<std::pair<int, int>> seen;
  for (const auto& f : r.flows) {
    if (f.sink != "validate" || f.label != "test" || validation_named(f.path)) continue;
    const DfOrigin& o = r.origins[f.origin];
    if (o.parent_site != UINT32_MAX || !scored.contains(o.site)) continue;
    if (seen.insert({f.sink_at.line, f.sink_at.column}).second)
      a.findings.push_back({f.sink_at, f.sink_text, f.source_at, f.source_text, f.path});
  }
  return a;
}

DfAnswers ml_questions(const DfCode& code, const DfCalls& calls) {
  DataflowResult r = analyse_dataflow(code, questions_spec(calls));
  DfAnswers out{leak_answer(r), unevaluated_answer(r), fitted_answer(r), train_evaluated_answer(r),
                steered_answer(r)};
  // A notebook whose execution counts order the cells differently was partly re-run: a cell
  // that scored the test part may have run in an earlier session. "Never evaluated" is claimed
  // only when it holds in document order too.
  if (code.notebook && execution_order(*code.notebook)) {
    DataflowResult doc;
    run(*code.parse, code.notebook->source, questions_spec(calls), doc, &code.notebook->lines);
    keep_common(out.test_split_not_evaluated, unevaluated_answer(doc));
    keep_common(out.evaluated_on_train_split, train_evaluated_answer(doc));
  }
  return out;
}

DfAnswer source_reaches_sink(const DfCode& code, const DfTaint& taint) {
  DataflowSpec s;
  s.sources = {{"source", taint.sources, DfOutputs::Result, false}};
  DfSink sink{"sink", taint.sinks, DfWatch::Any, 0, true, {}};
  sink.unless_keywords = taint.sink_unless_keywords;
  s.sinks = {std::move(sink)};
  s.propagators = default_propagators();
  for (const char* opener :
       {"open", "io.open", "io.BytesIO", "io.StringIO", "gzip.open", "bz2.open", "lzma.open", "tarfile.open",
        "zipfile.ZipFile", "os.path.join", "os.path.abspath", "os.path.expanduser", "pathlib.Path",
        "pathlib.PurePath", "str", "*.read", "*.open", "*.joinpath"})
    s.propagators.emplace_back(opener);
  s.propagators.insert(s.propagators.end(), taint.propagators.begin(), taint.propagators.end());
  s.inert = default_inert();
  // `str` is inert for the ML questions (printing a shape) but carries a path here.
  std::erase(s.inert, std::string("str"));
  const DataflowResult r = analyse_dataflow(code, s);
  DfAnswer a{{}, r.truncated, r.note};
  std::set<std::pair<int, int>> seen;
  for (const auto& f : r.flows)
    if (seen.insert({f.sink_at.line, f.sink_at.column}).second)
      a.findings.push_back({f.sink_at, f.sink_text, f.source_at, f.source_text, f.path});
  return a;
}

}  // namespace mlops
