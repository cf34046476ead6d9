// A small Python lexer: string literals and the import statements at line starts, without a
// tree-sitter parse. Whatever it cannot read with certainty it reports as such (the caller then
// parses): it only ever saves work, it never decides alone what a file contains.
#include "analysers/python_lexer.h"

#include <algorithm>
#include <iterator>
#include <string>

namespace mlops {
namespace {

// Imports are scanned only in files well below the syntax-tree walk's budgets (its node and
// call limits, its chunking of large files), so that both always see the same statements.
constexpr size_t kMaxScannedBytes = 256 * 1024;

bool is_ident_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' || u >= 0x80;
}

// A string prefix (r, u, b, f, br, rb, fr, rf; any case); `fstring` says whether it makes one.
bool string_prefix(std::string_view id, bool& fstring) {
  if (id.empty() || id.size() > 2) return false;
  std::string lower(id);
  for (char& c : lower) c = static_cast<char>(c | 0x20);
  static constexpr std::string_view kPrefixes[] = {"r", "u", "b", "f", "br", "rb", "fr", "rf"};
  if (std::find(std::begin(kPrefixes), std::end(kPrefixes), lower) == std::end(kPrefixes)) return false;
  fstring = lower.find('f') != std::string::npos;
  return true;
}

struct Token {
  enum Kind { Name, Op, String, Newline } kind;
  size_t begin, end;
  int line, column;  // 1-based; the column counts bytes, as the syntax tree's does
  int indent;        // a logical line's first token: the bytes of whitespace before it
};

class Lexer {
 public:
  Lexer(std::string_view src, const std::function<bool(std::string_view)>* on_string)
      : src_(src), on_string_(on_string) {}

  // Tokens of the whole source; false when it could not be lexed with certainty (or the string
  // visitor asked to stop).
  bool run() {
    // A UTF-8 byte-order mark: skipped, though columns count its bytes (as the tree's do).
    if (src_.starts_with("\xEF\xBB\xBF")) pos_ = bom_ = 3;
    while (pos_ < src_.size()) {
      const char c = src_[pos_];
      if (c == '\n') {
        newline();
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
        ++pos_;
        continue;
      }
      if (c == '#') {
        while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
        continue;
      }
      if (c == '\\') {  // an explicit line join
        if (pos_ + 1 < src_.size() && src_[pos_ + 1] == '\n') {
          pos_ += 2;
          ++line_;
          line_start_ = pos_;
          continue;
        }
        if (pos_ + 2 < src_.size() && src_[pos_ + 1] == '\r' && src_[pos_ + 2] == '\n') {
          pos_ += 3;
          ++line_;
          line_start_ = pos_;
          continue;
        }
        return false;
      }
      if (c == '"' || c == '\'') {
        if (!string(pos_, pos_, false)) return false;
        continue;
      }
      if (is_ident_char(c)) {
        size_t begin = 0;
        const Word w = identifier_or_string(begin);
        if (w == Word::Failed) return false;
        if (w == Word::Name) push(Token::Name, begin, pos_);
        continue;
      }
      if (c == '(' || c == '[' || c == '{') {
        brackets_.push_back(c);
      } else if (c == ')' || c == ']' || c == '}') {
        const char open = c == ')' ? '(' : c == ']' ? '[' : '{';
        if (brackets_.empty() || brackets_.back() != open) return false;
        brackets_.pop_back();
      }
      push(Token::Op, pos_, pos_ + 1);
      ++pos_;
    }
    if (!brackets_.empty()) return false;
    if (!tokens_.empty() && tokens_.back().kind != Token::Newline) push(Token::Newline, pos_, pos_);
    return true;
  }

  const std::vector<Token>& tokens() const { return tokens_; }
  // Leading whitespace of a logical line that holds a tab or a form feed: indentation the
  // scanner does not compare.
  bool odd_indentation() const { return odd_indentation_; }
  std::string_view text(const Token& t) const { return src_.substr(t.begin, t.end - t.begin); }

 private:
  void newline() {
    ++pos_;
    if (brackets_.empty() && !tokens_.empty() && tokens_.back().kind != Token::Newline)
      push(Token::Newline, pos_ - 1, pos_ - 1);
    ++line_;
    line_start_ = pos_;
  }

  void push(Token::Kind kind, size_t begin, size_t end) { push(kind, begin, end, line_, line_start_); }
  // A token of `line`, which starts at byte `line_start`.
  void push(Token::Kind kind, size_t begin, size_t end, int line, size_t line_start) {
    const bool first = tokens_.empty() || tokens_.back().kind == Token::Newline;
    if (first && kind != Token::Newline) {
      for (size_t i = line_start; i < begin; ++i)
        if (src_[i] == '\t' || src_[i] == '\f') odd_indentation_ = true;
    }
    const int column = static_cast<int>(begin - line_start) + 1;
    tokens_.push_back({kind, begin, end, line, column, column - 1 - (line == 1 ? bom_ : 0)});
  }

  // The identifier at pos_, or the string literal it prefixes (`rb'...'`), consumed; `begin` is
  // where it starts.
  enum class Word { Name, String, Failed };
  Word identifier_or_string(size_t& begin) {
    begin = pos_;
    while (pos_ < src_.size() && is_ident_char(src_[pos_])) ++pos_;
    bool fstring = false;
    if (pos_ < src_.size() && (src_[pos_] == '"' || src_[pos_] == '\'') &&
        string_prefix(src_.substr(begin, pos_ - begin), fstring))
      return string(begin, pos_, fstring) ? Word::String : Word::Failed;
    return Word::Name;
  }

  // A string literal whose quote is at pos_ (its prefix started at `begin`). An f-string's
  // interpolations are skipped, and the strings inside them visited in turn. A raw string needs
  // no case of its own: its backslash too keeps the next quote from ending it.
  bool string(size_t begin, size_t quote_at, bool fstring) {
    const int line = line_;
    const size_t line_start = line_start_;
    const char q = src_[quote_at];
    const bool triple = quote_at + 2 < src_.size() && src_[quote_at + 1] == q && src_[quote_at + 2] == q;
    const size_t inner = quote_at + (triple ? 3 : 1);  // the contents' first byte
    pos_ = inner;
    std::string joined;  // an f-string's literal parts
    bool escaped_braces = false;
    size_t part = pos_;
    while (true) {
      if (pos_ >= src_.size()) return false;  // unterminated
      const char c = src_[pos_];
      if (c == '\\') {
        if (pos_ + 1 < src_.size() && src_[pos_ + 1] == '\n') ++line_, line_start_ = pos_ + 2;
        pos_ += 2;
        continue;
      }
      if (c == '\n') {
        if (!triple) return false;
        ++pos_;
        ++line_;
        line_start_ = pos_;
        continue;
      }
      if (c == q && (!triple || (pos_ + 2 < src_.size() && src_[pos_ + 1] == q && src_[pos_ + 2] == q)))
        break;
      if (fstring && (c == '{' || c == '}')) {
        if (pos_ + 1 < src_.size() && src_[pos_ + 1] == c) {
          escaped_braces = true;
          pos_ += 2;
          continue;
        }
        if (c == '}') return false;  // a lone closing brace: not valid
        joined.append(src_.substr(part, pos_ - part));
        if (!interpolation()) return false;
        part = pos_;
        continue;
      }
      ++pos_;
    }
    const size_t end = pos_;
    pos_ += triple ? 3 : 1;
    push(Token::String, begin, pos_, line, line_start);
    if (!on_string_) return true;
    if (!fstring) return (*on_string_)(src_.substr(inner, end - inner));
    joined.append(src_.substr(part, end - part));
    if (!(*on_string_)(joined)) return false;
    // With no literal part the tree's walk takes the whole text between the quotes.
    if ((joined.empty() || escaped_braces) && !(*on_string_)(src_.substr(inner, end - inner))) return false;
    if (!escaped_braces) return true;
    // `{{` may stand in the tree's text for one brace or two: both spellings are offered.
    std::string single;
    for (size_t i = 0; i < joined.size(); ++i) {
      single += joined[i];
      if ((joined[i] == '{' || joined[i] == '}') && i + 1 < joined.size() && joined[i + 1] == joined[i]) ++i;
    }
    return (*on_string_)(single);
  }

  // An f-string's `{...}` at pos_: skipped to its closing brace, nested brackets and strings
  // followed (a format spec's own `{width}` nests like a bracket).
  bool interpolation() {
    ++pos_;
    int depth = 0;
    while (pos_ < src_.size()) {
      const char c = src_[pos_];
      if (c == '"' || c == '\'') {
        const size_t saved_tokens = tokens_.size();
        if (!string(pos_, pos_, false)) return false;
        tokens_.resize(saved_tokens);
        continue;
      }
      if (is_ident_char(c)) {
        const size_t saved_tokens = tokens_.size();
        size_t begin = 0;
        if (identifier_or_string(begin) == Word::Failed) return false;
        tokens_.resize(saved_tokens);
        continue;
      }
      if (c == '\n') {
        ++line_;
        line_start_ = pos_ + 1;
      } else if (c == '#' || c == '\\') {
        return false;  // comments and backslashes inside interpolations: not followed
      } else if (c == '(' || c == '[' || c == '{') {
        ++depth;
      } else if (c == ')' || c == ']' || c == '}') {
        if (depth == 0) {
          if (c != '}') return false;
          ++pos_;
          return true;
        }
        --depth;
      }
      ++pos_;
    }
    return false;
  }

  std::string_view src_;
  const std::function<bool(std::string_view)>* on_string_;
  size_t pos_ = 0, line_start_ = 0;
  int line_ = 1, bom_ = 0;
  std::vector<char> brackets_;
  std::vector<Token> tokens_;
  bool odd_indentation_ = false;
};

// One import statement from tokens [i, end) (its logical line, or up to a `;`), appended to
// `out` with the scope given. False when the statement is not one the scanner reads.
class ImportReader {
 public:
  ImportReader(const Lexer& lx, const std::vector<Token>& t, size_t i, size_t end)
      : lx_(lx), t_(t), i_(i), end_(end) {}

  bool read(int scope, std::vector<PyImport>& out) {
    const Token& first = t_[i_];
    if (lx_.text(first) == "import") {
      ++i_;
      while (true) {
        const Token* at = nullptr;
        std::string mod;
        if (!dotted(mod, at)) return false;
        if (is_name("as")) {
          ++i_;
          if (!name()) return false;
        }
        out.push_back({mod, at->line, at->column, scope});
        if (i_ == end_) return true;
        if (!is_op(',')) return false;
        ++i_;
      }
    }
    // from m import a, b as c / (a, b) / *
    ++i_;
    if (i_ < end_ && t_[i_].kind == Token::Op && lx_.text(t_[i_]) == ".") return relative();
    std::string mod;
    const Token* mod_at = nullptr;
    if (!dotted(mod, mod_at) || !is_name("import")) return false;
    ++i_;
    // The tree has its own statement for `from __future__ import ...`, which the walk skips.
    std::vector<PyImport> ignored;
    std::vector<PyImport>& into = mod == "__future__" ? ignored : out;
    if (is_op('*')) {
      ++i_;
      if (i_ != end_) return false;
      into.push_back({mod, first.line, first.column, scope});
      return true;
    }
    const bool paren = is_op('(');
    if (paren) ++i_;
    bool any = false;
    while (true) {
      if (paren && is_op(')') && any) {
        ++i_;
        return i_ == end_;
      }
      const Token* at = nullptr;
      std::string name_text;
      if (!dotted(name_text, at) || name_text.find('.') != std::string::npos) return false;
      if (is_name("as")) {
        ++i_;
        if (!name()) return false;
      }
      into.push_back({mod + "." + name_text, at->line, at->column, scope});
      any = true;
      if (!paren && i_ == end_) return true;
      if (!is_op(',')) {
        if (paren && is_op(')')) continue;
        return false;
      }
      ++i_;
      if (!paren && i_ == end_) return false;  // `from m import a,` is a syntax error
    }
  }

 private:
  // `from . import x` / `from ..m import x`: valid, and of no interest (see the header).
  bool relative() {
    for (; i_ < end_; ++i_)
      if (t_[i_].kind != Token::Name && t_[i_].kind != Token::Op) return false;
    return true;
  }
  bool is_op(char c) const {
    return i_ < end_ && t_[i_].kind == Token::Op && lx_.text(t_[i_]) == std::string_view(&c, 1);
  }
  bool is_name(std::string_view s) const {
    return i_ < end_ && t_[i_].kind == Token::Name && lx_.text(t_[i_]) == s;
  }
  bool name() {
    if (i_ >= end_ || t_[i_].kind != Token::Name || keyword(lx_.text(t_[i_]))) return false;
    ++i_;
    return true;
  }
  static bool keyword(std::string_view s) { return s == "import" || s == "as" || s == "from"; }
  // a.b.c written without spaces (the tree's text of a dotted name would keep them).
  bool dotted(std::string& out, const Token*& at) {
    if (i_ >= end_ || t_[i_].kind != Token::Name || keyword(lx_.text(t_[i_]))) return false;
    at = &t_[i_];
    out = std::string(lx_.text(t_[i_]));
    size_t last_end = t_[i_].end;
    ++i_;
    while (i_ + 1 < end_ && t_[i_].kind == Token::Op && lx_.text(t_[i_]) == ".") {
      const Token& next = t_[i_ + 1];
      if (t_[i_].begin != last_end || next.kind != Token::Name || next.begin != t_[i_].end) return false;
      out += ".";
      out += lx_.text(next);
      last_end = next.end;
      i_ += 2;
    }
    return !(i_ < end_ && t_[i_].kind == Token::Op && lx_.text(t_[i_]) == ".");
  }

  const Lexer& lx_;
  const std::vector<Token>& t_;
  size_t i_, end_;
};

}  // namespace

bool each_python_string(std::string_view source, const std::function<bool(std::string_view)>& visit) {
  Lexer lx(source, &visit);
  return lx.run();
}

std::optional<std::vector<PyImport>> scan_python_imports(std::string_view source) {
  if (source.size() > kMaxScannedBytes) return std::nullopt;
  Lexer lx(source, nullptr);
  if (!lx.run() || lx.odd_indentation()) return std::nullopt;
  const auto& t = lx.tokens();
  std::vector<PyImport> out;
  // Open function and class bodies: (indentation of the header, the def's line or 0 for a class).
  std::vector<std::pair<int, int>> blocks;
  size_t i = 0;
  while (i < t.size()) {
    size_t eol = i;
    while (t[eol].kind != Token::Newline) ++eol;  // run() ends every line with a Newline
    const int indent = t[i].indent;
    while (!blocks.empty() && blocks.back().first >= indent) blocks.pop_back();
    int scope = 0;
    for (auto it = blocks.rbegin(); it != blocks.rend(); ++it)
      if (it->second > 0) {
        scope = it->second;
        break;
      }
    // Statements of the line, split at `;`; every `import` keyword must be read by one of them.
    size_t s = i;
    for (size_t k = i; k <= eol; ++k) {
      if (k < eol && !(t[k].kind == Token::Op && lx.text(t[k]) == ";")) continue;
      if (s < k) {
        const std::string_view head = lx.text(t[s]);
        if (t[s].kind == Token::Name && (head == "import" || head == "from")) {
          if (!ImportReader(lx, t, s, k).read(scope, out)) return std::nullopt;
        } else {
          for (size_t m = s; m < k; ++m)
            if (t[m].kind == Token::Name && lx.text(t[m]) == "import") return std::nullopt;
        }
      }
      s = k + 1;
    }
    // A def or class header opens a body (one on the header's own line closes with it).
    size_t h = i;
    if (t[h].kind == Token::Name && lx.text(t[h]) == "async" && h + 1 < eol) ++h;
    if (t[h].kind == Token::Name && (lx.text(t[h]) == "def" || lx.text(t[h]) == "class")) {
      blocks.emplace_back(indent, lx.text(t[h]) == "def" ? t[i].line : 0);
    }
    i = eol + 1;
  }
  return out;
}

}  // namespace mlops
