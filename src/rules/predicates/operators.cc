// The boolean operators of the rule language: any, all, not.
#include <yaml-cpp/yaml.h>

#include "rules/predicate.h"

namespace mlops {
namespace {

Expr children_of(PredicateParser& p, const YAML::Node& v, Expr::Op op, const char* name) {
  Expr e;
  e.op = op;
  if (!v.IsSequence() || v.size() == 0) {
    p.error(v, std::string("'") + name + "' takes a non-empty list of checks");
    return e;
  }
  for (const auto& c : v) e.children.push_back(p.expr(c));
  return e;
}

}  // namespace

// `any: [checks]`: some child holds; the matches of every holding child are collected.
Expr parse_any(PredicateParser& p, const YAML::Node& v) {
  return children_of(p, v, Expr::Op::Any, "any");
}

// `all: [checks]`: every child holds; their matches are collected.
Expr parse_all(PredicateParser& p, const YAML::Node& v) {
  return children_of(p, v, Expr::Op::All, "all");
}

// `not: check`: the child does not hold; contributes no matches.
Expr parse_not(PredicateParser& p, const YAML::Node& v) {
  Expr e;
  e.op = Expr::Op::Not;
  e.children.push_back(p.expr(v));
  return e;
}

}  // namespace mlops
