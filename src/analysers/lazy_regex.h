// A rule's regular expression, compiled the first time a file is matched against it: start-up
// compiles none (a one-file run asks few of the rules' patterns). Shared read-only across threads.
#pragma once
#include <memory>
#include <string>

namespace re2 {
class RE2;
}

namespace mlops {

// A handle to one compiled-on-demand RE2 (options: no error logging). Copies share the object,
// so handles compare equal when they are the same expression object. Dereferencing compiles it
// (once, thread-safe); a pattern that does not compile yields an RE2 whose ok() is false, which
// matches nothing.
class Regex {
 public:
  Regex() = default;
  // Compiled at first use.
  static Regex lazy(std::string pattern);
  // Compiled now: for patterns whose errors must be reported at once (rules from a repository).
  static Regex compiled(std::string pattern);

  const re2::RE2& operator*() const;
  const re2::RE2* operator->() const { return &**this; }
  explicit operator bool() const { return state_ != nullptr; }
  bool operator==(const Regex& other) const { return state_ == other.state_; }
  const std::string& pattern() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace mlops
