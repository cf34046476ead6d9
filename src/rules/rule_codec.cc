// The compiled rule set's binary form: every field of the rule model in declaration order. The
// static_asserts below fail when a field is added to a struct it writes, so that the field is
// not silently dropped from the built-in rules.
#include "rules/rule_codec.h"

#include "analysers/python_analyser.h"
#include "rules/evaluation.h"
#include "rules/predicate.h"

namespace mlops {
namespace {

// Bumped with any change to the layout below (a blob is only ever read by the build that wrote
// it; this catches a stale generated file).
constexpr std::string_view kMagic = "mlops-lint rules 1\n";
// Checks nest at most 64 deep when loaded (rules/predicate.cc); a deeper blob is damaged.
constexpr int kMaxDepth = 128;

#if defined(__x86_64__) && defined(__GLIBCXX__)
// A new field in one of these must be written and read here (then update the size).
static_assert(sizeof(FileQuery) == 600, "FileQuery changed: encode the new field in rule_codec.cc");
static_assert(sizeof(Expr) == 96, "Expr changed: encode the new field in rule_codec.cc");
static_assert(sizeof(Rule) == 744, "Rule changed: encode the new field in rule_codec.cc");
static_assert(sizeof(RuleSet) == 112, "RuleSet changed: encode the new field in rule_codec.cc");
#endif

template <class E>
void put_enum(RuleWriter& w, E e) {
  w.u64(static_cast<uint64_t>(e));
}
// An enumerator up to `last` (the enum's last one).
template <class E>
E get_enum(RuleReader& r, E last) {
  const uint64_t v = r.u64();
  if (v > static_cast<uint64_t>(last)) {
    r.fail();
    return E{};
  }
  return static_cast<E>(v);
}

void put_pairs(RuleWriter& w, const std::vector<std::pair<std::string, std::string>>& v) {
  w.u64(v.size());
  for (const auto& [a, b] : v) {
    w.str(a);
    w.str(b);
  }
}
std::vector<std::pair<std::string, std::string>> get_pairs(RuleReader& r) {
  std::vector<std::pair<std::string, std::string>> v(r.count());
  for (auto& [a, b] : v) {
    a = r.str();
    b = r.str();
  }
  return v;
}

void put_query(RuleWriter& w, const FileQuery& q) {
  put_enum(w, q.kind);
  w.strings(q.globs);
  w.str(q.pattern);
  w.strings(q.names);
  w.regex(q.regex);
  w.strings(q.key_path);
  put_enum(w, q.op);
  w.str(q.value);
  w.str(q.doc_kind);
  w.strings(q.doc_lacks);
  put_pairs(w, q.beside);
  w.u64(q.beside_regexes.size());
  for (const auto& re : q.beside_regexes) w.regex(re);
  w.strings(q.has_keywords);
  w.strings(q.lacks_keywords);
  put_pairs(w, q.keyword_values);
  put_pairs(w, q.keyword_not_values);
  w.u64(q.skip_env_arguments);
  w.u64(q.skip_comparisons);
  w.u64(q.skip_suffixes);
  w.u64(q.top_level);
  w.u64(q.def_with_calls);
  w.u64(q.def_test);
  w.strings(q.bases);
  w.str(q.capture);
  w.u64(q.tree_query != nullptr);
  if (q.tree_query) {
    w.str(q.tree_query->source());
    w.str(q.tree_query->capture());
  }
  w.u64(q.min_output_bytes);
  put_enum(w, q.question);
  w.strings(q.dataflow_sources);
  w.strings(q.dataflow_sinks);
  w.strings(q.dataflow_propagators);
  w.u64(q.main_only);
  w.u64(q.versioned_only);
  w.strings(q.prefilter);
  w.u64(q.prefilter_words);
  w.u64(q.prefilter_calls);
  w.u64(q.prefilter_alternatives.size());
  for (const auto& alternative : q.prefilter_alternatives) {
    w.u64(alternative.size());
    for (const PrefilterTerm& t : alternative) {
      w.u64(t.literal);
      put_enum(w, t.mode);
    }
  }
}

FileQuery get_query(RuleReader& r) {
  FileQuery q;
  q.kind = get_enum(r, QueryKind::NotebookErrors);
  q.globs = r.strings();
  q.pattern = r.str();
  q.names = r.strings();
  q.regex = r.regex();
  q.key_path = r.strings();
  q.op = get_enum(r, ValueOp::Matches);
  q.value = r.str();
  q.doc_kind = r.str();
  q.doc_lacks = r.strings();
  q.beside = get_pairs(r);
  q.beside_regexes.resize(r.count());
  for (auto& re : q.beside_regexes) re = r.regex();
  q.has_keywords = r.strings();
  q.lacks_keywords = r.strings();
  q.keyword_values = get_pairs(r);
  q.keyword_not_values = get_pairs(r);
  q.skip_env_arguments = r.flag();
  q.skip_comparisons = r.flag();
  q.skip_suffixes = r.flag();
  q.top_level = r.flag();
  q.def_with_calls = r.flag();
  q.def_test = r.flag();
  q.bases = r.strings();
  q.capture = r.str();
  if (r.flag()) {
    std::string source = r.str();
    std::string capture = r.str();
    q.tree_query = PyTreeQuery::lazy(std::move(source), std::move(capture));
  }
  q.min_output_bytes = r.u64();
  q.question = get_enum(r, DataflowQuestion::SourceToSink);
  q.dataflow_sources = r.strings();
  q.dataflow_sinks = r.strings();
  q.dataflow_propagators = r.strings();
  q.main_only = r.flag();
  q.versioned_only = r.flag();
  q.prefilter = r.strings();
  q.prefilter_words = r.flag();
  q.prefilter_calls = r.flag();
  q.prefilter_alternatives.resize(r.count());
  for (auto& alternative : q.prefilter_alternatives) {
    alternative.resize(r.count());
    for (PrefilterTerm& t : alternative) {
      t.literal = r.index(q.prefilter.size());
      t.mode = get_enum(r, LiteralMode::CallSuffix);
    }
  }
  return q;
}

void put_expr(RuleWriter& w, const Expr& e) {
  put_enum(w, e.op);
  w.u64(e.children.size());
  for (const Expr& c : e.children) put_expr(w, c);
  w.u64(e.query);
  w.str(e.condition);
  put_enum(w, e.scope);
  w.u64(e.negated);
  w.u64(e.project != nullptr);
  if (e.project) {
    w.str(e.project->predicate_name());
    e.project->encode(w);
  }
}

Expr get_expr(RuleReader& r, const RuleSet& set, int depth) {
  Expr e;
  if (depth > kMaxDepth) {
    r.fail();
    return e;
  }
  e.op = get_enum(r, Expr::Op::Project);
  e.children.resize(r.count());
  for (Expr& c : e.children) {
    c = get_expr(r, set, depth + 1);
    if (!r.ok()) return e;
  }
  e.query = r.u64();
  if (e.op == Expr::Op::Query && e.query >= set.queries.size()) r.fail();
  e.condition = r.str();
  e.scope = get_enum(r, Expr::Scope::Project);
  e.negated = r.flag();
  if (r.flag()) {
    const PredicateInfo* info = find_predicate(r.str());
    if (!info || !info->decode) {
      r.fail();
      return e;
    }
    e.project = info->decode(r, set);
    if (!e.project) r.fail();
  }
  if (e.op == Expr::Op::Project && !e.project) r.fail();
  return e;
}

void put_rule(RuleWriter& w, const Rule& rule) {
  w.str(rule.id);
  w.str(rule.name);
  w.str(rule.practice);
  w.str(rule.category);
  put_enum(w, rule.severity);
  put_enum(w, rule.kind);
  w.str(rule.summary);
  w.str(rule.message);
  w.str(rule.rationale);
  w.str(rule.remediation);
  w.str(rule.bad_example);
  w.str(rule.good_example);
  w.strings(rule.references);
  w.u64(rule.applies.has_value());
  if (rule.applies) put_expr(w, *rule.applies);
  put_expr(w, rule.check);
  w.strings(rule.requires_rules);
  w.u64(rule.essential);
  w.strings(rule.anchor);
  w.strings(rule.profiles);
  w.str(rule.source);
  w.str(rule.fixer);
  w.u64(rule.fix_options.size());
  for (const auto& [k, v] : rule.fix_options) {
    w.str(k);
    w.str(v);
  }
}

Rule get_rule(RuleReader& r, const RuleSet& set) {
  Rule rule;
  rule.id = r.str();
  rule.name = r.str();
  rule.practice = r.str();
  rule.category = r.str();
  rule.severity = get_enum(r, Severity::Error);
  rule.kind = get_enum(r, RuleKind::Pattern);
  rule.summary = r.str();
  rule.message = r.str();
  rule.rationale = r.str();
  rule.remediation = r.str();
  rule.bad_example = r.str();
  rule.good_example = r.str();
  rule.references = r.strings();
  if (r.flag()) rule.applies = get_expr(r, set, 0);
  rule.check = get_expr(r, set, 0);
  rule.requires_rules = r.strings();
  rule.essential = r.flag();
  rule.anchor = r.strings();
  rule.profiles = r.strings();
  rule.source = r.str();
  rule.fixer = r.str();
  for (size_t n = r.count(), i = 0; i < n && r.ok(); ++i) {
    std::string k = r.str();
    rule.fix_options[k] = r.str();
  }
  return rule;
}

}  // namespace

void RuleWriter::u64(uint64_t v) {
  while (v >= 0x80) {
    out_ += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out_ += static_cast<char>(v);
}

void RuleWriter::str(std::string_view s) {
  u64(s.size());
  out_.append(s);
}

void RuleWriter::strings(const std::vector<std::string>& v) {
  u64(v.size());
  for (const auto& s : v) str(s);
}

void RuleWriter::regex(const Regex& r) {
  u64(r ? 1 : 0);
  if (r) str(r.pattern());
}

uint64_t RuleReader::u64() {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (pos_ >= in_.size()) {
      ok_ = false;
      return 0;
    }
    const auto byte = static_cast<unsigned char>(in_[pos_++]);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return v;
  }
  ok_ = false;
  return 0;
}

size_t RuleReader::count() {
  const uint64_t n = u64();
  if (n > in_.size() - pos_) {
    ok_ = false;
    return 0;
  }
  return static_cast<size_t>(n);
}

size_t RuleReader::index(size_t size) {
  const uint64_t i = u64();
  if (i >= size) {
    ok_ = false;
    return 0;
  }
  return static_cast<size_t>(i);
}

std::string RuleReader::str() {
  const size_t n = count();
  std::string s(in_.substr(pos_, n));
  pos_ += n;
  return s;
}

std::vector<std::string> RuleReader::strings() {
  std::vector<std::string> v(count());
  for (auto& s : v) s = str();
  return v;
}

Regex RuleReader::regex() {
  if (!flag()) return {};
  return Regex::lazy(str());
}

std::string encode_rules(const RuleSet& set, const std::map<std::string, std::string>& condition_sources) {
  RuleWriter w;
  w.str(kMagic);
  w.u64(set.queries.size());
  for (const FileQuery& q : set.queries) put_query(w, q);
  w.u64(set.conditions.size());
  for (const auto& [name, e] : set.conditions) {
    w.str(name);
    auto source = condition_sources.find(name);
    w.str(source != condition_sources.end() ? source->second : std::string());
    put_expr(w, e);
  }
  w.u64(set.rules.size());
  for (const Rule& r : set.rules) put_rule(w, r);
  return w.bytes();
}

std::optional<CompiledRules> decode_rules(std::string_view bytes) {
  RuleReader r(bytes);
  if (r.str() != kMagic || !r.ok()) return std::nullopt;
  CompiledRules out;
  RuleSet& set = out.set;
  set.queries.resize(r.count());
  for (FileQuery& q : set.queries) {
    q = get_query(r);
    if (!r.ok()) return std::nullopt;
  }
  for (size_t n = r.count(), i = 0; i < n; ++i) {
    std::string name = r.str();
    std::string source = r.str();
    Expr e = get_expr(r, set, 0);
    if (!r.ok()) return std::nullopt;
    out.condition_sources[name] = std::move(source);
    set.conditions[std::move(name)] = std::move(e);
  }
  set.rules.resize(r.count());
  for (Rule& rule : set.rules) {
    rule = get_rule(r, set);
    if (!r.ok()) return std::nullopt;
  }
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return out;
}

}  // namespace mlops
