// The JSON span scanner: one iterative pass with an explicit stack of open containers, so hostile
// nesting costs memory bounded by max_depth, never stack frames.
#include "fix/json_spans.h"

#include <array>

#include "util/strings.h"

namespace mlops {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The four hex digits at t[i..i+4) as a code unit, or -1.
long hex4(std::string_view t, size_t i) {
  if (i + 4 > t.size()) return -1;
  long v = 0;
  for (size_t k = i; k < i + 4; ++k) {
    int h = hex_value(t[k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

// The length of the well-formed UTF-8 sequence at t[i] (RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF), or 0.
size_t utf8_length(std::string_view t, size_t i) {
  auto byte = [&](size_t k) { return k < t.size() ? static_cast<unsigned char>(t[k]) : 0u; };
  auto cont = [&](size_t k) { return (byte(k) & 0xC0u) == 0x80u; };
  const unsigned b0 = byte(i), b1 = byte(i + 1);
  if (b0 < 0x80) return 1;
  if (b0 >= 0xC2 && b0 <= 0xDF) return cont(i + 1) ? 2 : 0;
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    const unsigned lo = b0 == 0xE0 ? 0xA0 : 0x80, hi = b0 == 0xED ? 0x9F : 0xBF;
    return b1 >= lo && b1 <= hi && cont(i + 2) ? 3 : 0;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    const unsigned lo = b0 == 0xF0 ? 0x90 : 0x80, hi = b0 == 0xF4 ? 0x8F : 0xBF;
    return b1 >= lo && b1 <= hi && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

// Bytes a string's plain run goes on over: printable ASCII other than '"' and '\\'.
constexpr auto kPlainStringByte = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c) plain[static_cast<size_t>(c)] = c != '"' && c != '\\';
  return plain;
}();

// Reads the string token starting at t[i] == '"', leaving `i` just past its closing quote.
// Appends its decoded value to `decoded` when given. Returns an error message, or nullptr.
const char* read_string(std::string_view t, size_t& i, std::string* decoded) {
  ++i;
  while (true) {
    // Fast path: a run of plain ASCII (most of a notebook's bytes are base64 or text outputs).
    size_t run = i;
    while (run < t.size() && kPlainStringByte[static_cast<unsigned char>(t[run])]) ++run;
    if (decoded) decoded->append(t.substr(i, run - i));
    i = run;
    if (i >= t.size()) return "unterminated string";
    const char c = t[i];
    if (c == '"') {
      ++i;
      return nullptr;
    }
    if (static_cast<unsigned char>(c) < 0x20) return "control character in a string";
    if (c != '\\') {
      size_t len = utf8_length(t, i);
      if (len == 0) return "invalid UTF-8 in a string";
      if (decoded) decoded->append(t.substr(i, len));
      i += len;
      continue;
    }
    if (i + 1 >= t.size()) return "unterminated string";
    const char e = t[i + 1];
    char plain = 0;
    switch (e) {
      case '"':
        plain = '"';
        break;
      case '\\':
        plain = '\\';
        break;
      case '/':
        plain = '/';
        break;
      case 'b':
        plain = '\b';
        break;
      case 'f':
        plain = '\f';
        break;
      case 'n':
        plain = '\n';
        break;
      case 'r':
        plain = '\r';
        break;
      case 't':
        plain = '\t';
        break;
      case 'u':
        break;
      default:
        return "invalid escape in a string";
    }
    if (e != 'u') {
      if (decoded) *decoded += plain;
      i += 2;
      continue;
    }
    long unit = hex4(t, i + 2);
    if (unit < 0) return "invalid \\u escape in a string";
    i += 6;
    unsigned long cp = static_cast<unsigned long>(unit);
    if (unit >= 0xDC00 && unit <= 0xDFFF) return "unpaired surrogate in a \\u escape";
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      // A high surrogate must be followed by an escaped low one.
      long low = i + 1 < t.size() && t[i] == '\\' && t[i + 1] == 'u' ? hex4(t, i + 2) : -1;
      if (low < 0xDC00 || low > 0xDFFF) return "unpaired surrogate in a \\u escape";
      cp = 0x10000 + ((static_cast<unsigned long>(unit) - 0xD800) << 10) +
           (static_cast<unsigned long>(low) - 0xDC00);
      i += 6;
    }
    if (decoded) append_utf8(*decoded, static_cast<uint32_t>(cp));
  }
}

class Scanner {
 public:
  Scanner(std::string_view text, int record_depth, int max_depth)
      : t_(text), record_depth_(record_depth), max_depth_(max_depth) {}

  JsonScan run() {
    if (t_.starts_with("\xEF\xBB\xBF")) i_ = 3;  // a UTF-8 BOM, as nlohmann allows
    if (!scan()) out_.nodes.clear();
    return std::move(out_);
  }

 private:
  struct Frame {
    bool object = false;
    long node = -1;  // -1 when not recorded
    size_t count = 0;
    long last_child = -1;
  };

  bool fail(std::string message) {
    out_.error = std::move(message);
    out_.error_offset = i_;
    return false;
  }

  void skip_space() {
    while (i_ < t_.size() && is_space(t_[i_])) ++i_;
  }

  // Records a value of `kind` starting at i_ when it is shallow enough; its index or -1.
  long begin_value(JsonKind kind) {
    Frame* parent = stack_.empty() ? nullptr : &stack_.back();
    const size_t index = parent ? parent->count++ : 0;
    const int depth = static_cast<int>(stack_.size());
    if (depth > record_depth_) return -1;
    JsonNode n;
    n.kind = kind;
    n.start = i_;
    n.depth = depth;
    n.parent = parent ? parent->node : -1;
    n.key = std::move(key_);
    n.index = index;
    key_.clear();
    const long id = static_cast<long>(out_.nodes.size());
    out_.nodes.push_back(std::move(n));
    if (parent) {
      if (parent->last_child >= 0)
        out_.nodes[static_cast<size_t>(parent->last_child)].next_sibling = id;
      else
        out_.nodes[static_cast<size_t>(parent->node)].first_child = id;
      parent->last_child = id;
    }
    return id;
  }

  void end_value(long id) {
    if (id >= 0) out_.nodes[static_cast<size_t>(id)].end = i_;
  }

  // A member name and its colon; the name is decoded only when its value will be recorded.
  bool read_key() {
    if (i_ >= t_.size() || t_[i_] != '"') return fail("expected a member name in quotes");
    const bool record = static_cast<int>(stack_.size()) <= record_depth_;
    key_.clear();
    if (const char* error = read_string(t_, i_, record ? &key_ : nullptr)) return fail(error);
    skip_space();
    if (i_ >= t_.size() || t_[i_] != ':') return fail("expected ':' after a member name");
    ++i_;
    return true;
  }

  void close() {
    const Frame f = stack_.back();
    stack_.pop_back();
    ++i_;
    if (f.node >= 0) {
      out_.nodes[static_cast<size_t>(f.node)].end = i_;
      out_.nodes[static_cast<size_t>(f.node)].members = f.count;
    }
  }

  bool number() {
    if (t_[i_] == '-') ++i_;
    if (i_ >= t_.size() || !is_digit(t_[i_])) return fail("invalid number");
    if (t_[i_] == '0') {
      ++i_;
    } else {
      while (i_ < t_.size() && is_digit(t_[i_])) ++i_;
    }
    if (i_ < t_.size() && t_[i_] == '.') {
      ++i_;
      if (i_ >= t_.size() || !is_digit(t_[i_])) return fail("invalid number: no digit after '.'");
      while (i_ < t_.size() && is_digit(t_[i_])) ++i_;
    }
    if (i_ < t_.size() && (t_[i_] == 'e' || t_[i_] == 'E')) {
      ++i_;
      if (i_ < t_.size() && (t_[i_] == '+' || t_[i_] == '-')) ++i_;
      if (i_ >= t_.size() || !is_digit(t_[i_])) return fail("invalid number: no digit in the exponent");
      while (i_ < t_.size() && is_digit(t_[i_])) ++i_;
    }
    return true;
  }

  // One value at i_ (after whitespace): a scalar whole, or a container's opening (with the
  // openings of its first values, `[[[`, until a scalar or an empty container).
  bool value() {
    while (true) {
      if (i_ >= t_.size()) return fail("unexpected end of input: a value is missing");
      if (t_[i_] != '{' && t_[i_] != '[') return scalar();
      const char c = t_[i_];
      if (static_cast<int>(stack_.size()) >= max_depth_)
        return fail("JSON nested deeper than " + std::to_string(max_depth_) + " levels");
      const long id = begin_value(c == '{' ? JsonKind::Object : JsonKind::Array);
      stack_.push_back({c == '{', id, 0, -1});
      ++i_;
      skip_space();
      if (i_ < t_.size() && t_[i_] == (c == '{' ? '}' : ']')) {
        close();
        return true;
      }
      if (c == '{' && !read_key()) return false;
      skip_space();  // then the first member's value: a loop, not recursion
    }
  }

  bool scalar() {
    const char c = t_[i_];
    if (c == '"') {
      const long id = begin_value(JsonKind::String);
      if (const char* error = read_string(t_, i_, nullptr)) return fail(error);
      end_value(id);
      return true;
    }
    if (c == '-' || is_digit(c)) {
      const long id = begin_value(JsonKind::Number);
      if (!number()) return false;
      end_value(id);
      return true;
    }
    static constexpr struct {
      std::string_view word;
      JsonKind kind;
    } kLiterals[] = {{"true", JsonKind::True}, {"false", JsonKind::False}, {"null", JsonKind::Null}};
    for (const auto& lit : kLiterals) {
      if (t_.substr(i_).starts_with(lit.word)) {
        const long id = begin_value(lit.kind);
        i_ += lit.word.size();
        end_value(id);
        return true;
      }
    }
    return fail("unexpected character");
  }

  bool scan() {
    skip_space();
    if (!value()) return false;
    while (true) {
      skip_space();
      if (stack_.empty()) {
        if (i_ != t_.size()) return fail("unexpected characters after the JSON value");
        return true;
      }
      Frame& f = stack_.back();
      if (i_ >= t_.size())
        return fail(f.object ? "unexpected end of input: '}' is missing"
                             : "unexpected end of input: ']' is missing");
      if (t_[i_] == (f.object ? '}' : ']')) {
        close();
        continue;
      }
      if (t_[i_] != ',') return fail(f.object ? "expected ',' or '}'" : "expected ',' or ']'");
      ++i_;
      skip_space();
      if (f.object && !read_key()) return false;
      skip_space();
      if (!value()) return false;
    }
  }

  std::string_view t_;
  size_t i_ = 0;
  int record_depth_;
  int max_depth_;
  std::vector<Frame> stack_;
  std::string key_;  // the name of the member whose value comes next (when recorded)
  JsonScan out_;
};

}  // namespace

JsonScan scan_json(std::string_view text, int record_depth, int max_depth) {
  return Scanner(text, record_depth, max_depth).run();
}

std::optional<std::string> decode_json_string(std::string_view token) {
  if (token.empty() || token[0] != '"') return std::nullopt;
  std::string out;
  size_t i = 0;
  if (read_string(token, i, &out) || i != token.size()) return std::nullopt;
  return out;
}

std::vector<size_t> json_children(const JsonScan& scan, size_t node) {
  std::vector<size_t> out;
  if (node >= scan.nodes.size()) return out;
  for (long c = scan.nodes[node].first_child; c >= 0; c = scan.nodes[static_cast<size_t>(c)].next_sibling)
    out.push_back(static_cast<size_t>(c));
  return out;
}

std::vector<size_t> json_members(const JsonScan& scan, size_t node, std::string_view key) {
  std::vector<size_t> out;
  if (node >= scan.nodes.size() || scan.nodes[node].kind != JsonKind::Object) return out;
  for (long c = scan.nodes[node].first_child; c >= 0; c = scan.nodes[static_cast<size_t>(c)].next_sibling)
    if (scan.nodes[static_cast<size_t>(c)].key == key) out.push_back(static_cast<size_t>(c));
  return out;
}

}  // namespace mlops
