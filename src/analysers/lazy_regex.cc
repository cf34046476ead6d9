#include "analysers/lazy_regex.h"

#include <re2/re2.h>

#include <mutex>

namespace mlops {

struct Regex::State {
  explicit State(std::string p) : pattern(std::move(p)) {}
  void compile() {
    std::call_once(once, [this] {
      RE2::Options opts;
      opts.set_log_errors(false);
      re = std::make_unique<const RE2>(pattern, opts);
    });
  }
  std::string pattern;
  std::once_flag once;
  std::unique_ptr<const RE2> re;
};

Regex Regex::lazy(std::string pattern) {
  Regex r;
  r.state_ = std::make_shared<State>(std::move(pattern));
  return r;
}

Regex Regex::compiled(std::string pattern) {
  Regex r = lazy(std::move(pattern));
  r.state_->compile();
  return r;
}

const RE2& Regex::operator*() const {
  state_->compile();
  return *state_->re;
}

const std::string& Regex::pattern() const {
  return state_->pattern;
}

}  // namespace mlops
