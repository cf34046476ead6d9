// `--add-suppressions`: where a suppression comment can go in each kind of file, and the edits
// that put one there. A comment is only written where it is certainly a comment: never inside a
// multi-line string, a YAML block scalar, a here-document or after a line continuation.
// It stays one file (~580 lines): the per-syntax checks of where a comment is safe serve only the
// planner below, and splitting them off would export a dozen internal helpers for little gain.
#include "fix/suppressions.h"

#include <re2/re2.h>
#include <tree_sitter/api.h>

#include <toml++/toml.h>
#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include "analysers/dockerfile.h"
#include "analysers/manifests.h"
#include "fix/edits.h"
#include "fix/fixer.h"
#include "rules/rule.h"
#include "util/escape.h"
#include "util/toml_guard.h"
#include "util/yaml_load.h"

extern "C" const TSLanguage* tree_sitter_python();

namespace mlops {

namespace {

// The file syntaxes that take a `#` line comment; None: notebooks, JSON, lock files, anything
// else (per-file-ignores in the config cover those).
enum class Syntax { None, Python, Yaml, Toml, Requirements, Dockerfile, Shell, Ini, Env };

std::string base_name(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

Syntax syntax_of(const std::string& path) {
  const std::string base = base_name(path);
  auto ends = [&](std::string_view s) { return base.size() > s.size() && base.ends_with(s); };
  if (ends(".py") || ends(".pyi") || ends(".pyw")) return Syntax::Python;
  if (ends(".yaml") || ends(".yml") || ends(".dvc")) return Syntax::Yaml;
  if (ends(".toml") || base == "Pipfile") return Syntax::Toml;
  if (manifest_kind(path) == ManifestKind::Requirements) return Syntax::Requirements;
  if (is_dockerfile(path)) return Syntax::Dockerfile;
  if (ends(".sh") || ends(".bash")) return Syntax::Shell;
  if (ends(".cfg") || ends(".ini")) return Syntax::Ini;
  if (base == ".env" || base.starts_with(".env.") || ends(".env")) return Syntax::Env;
  return Syntax::None;
}

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// When the comments of a file together change what it says, each is tried alone, up to this
// many (a parse of the file each); beyond it the file's findings are all declined.
constexpr size_t kMaxSeparateChecks = 64;

// Line starts of a file (1-based lines: line L starts at starts[L - 1]).
class Lines {
 public:
  explicit Lines(std::string_view bytes) : bytes_(bytes) {
    starts_.push_back(0);
    for (size_t i = 0; i < bytes.size(); ++i)
      if (bytes[i] == '\n') starts_.push_back(i + 1);
    // A final line break ends the last line; it does not start another.
    if (!bytes.empty() && bytes.back() == '\n') starts_.pop_back();
    if (bytes.empty()) starts_.clear();
  }
  int count() const { return static_cast<int>(starts_.size()); }
  // Where a line's text starts (after a BOM on line 1).
  size_t start(int line) const {
    size_t s = starts_[static_cast<size_t>(line - 1)];
    return s == 0 && bytes_.starts_with(kBom) ? kBom.size() : s;
  }
  // The line's text without its line break.
  std::string_view text(int line) const {
    size_t s = start(line);
    return bytes_.substr(s, line_end(bytes_, s) - s);
  }

 private:
  std::string_view bytes_;
  std::vector<size_t> starts_;
};

bool ends_with_continuation(std::string_view text, char escape = '\\') {
  size_t n = 0;
  while (n < text.size() && text[text.size() - 1 - n] == escape) ++n;
  return n % 2 == 1;
}

// Shell scripts, .env files and Dockerfiles: which lines start outside a quoted string, a
// here-document and a continued line. A conservative reading (no `$(...)` nesting, no `case`
// patterns): it may refuse a line that could hold a comment, never the reverse.
std::vector<bool> shell_clean_starts(const Lines& lines, bool dockerfile) {
  char escape = '\\';
  if (dockerfile) {
    // Parser directives at the top can make the backtick the escape character.
    static const RE2 kEscape(R"(^#\s*escape\s*=\s*(\S))");
    for (int l = 1; l <= lines.count(); ++l) {
      std::string_view t = lines.text(l);
      if (!t.starts_with('#')) break;
      std::string c;
      if (RE2::PartialMatch(re2::StringPiece(t.data(), t.size()), kEscape, &c)) escape = c[0];
    }
  }
  static const RE2 kHeredoc(R"(^<<(-?)\s*["']?([A-Za-z_][A-Za-z0-9_]*)["']?)");
  std::vector<bool> clean(static_cast<size_t>(lines.count()) + 1, false);
  bool in_single = false, in_double = false, continued = false;
  std::vector<std::pair<std::string, bool>> heredocs;  // pending: tag, strip leading tabs
  size_t heredoc = 0;                                  // index of the open one + 1
  for (int l = 1; l <= lines.count(); ++l) {
    std::string_view t = lines.text(l);
    clean[static_cast<size_t>(l)] = !in_single && !in_double && !continued && heredoc == 0;
    if (heredoc > 0) {
      std::string_view body = t;
      if (heredocs[heredoc - 1].second)
        while (body.starts_with('\t')) body.remove_prefix(1);
      if (body == heredocs[heredoc - 1].first) heredoc = heredoc < heredocs.size() ? heredoc + 1 : 0;
      if (heredoc == 0) heredocs.clear();
      continue;
    }
    size_t first = t.find_first_not_of(" \t");
    // Docker drops comment lines before joining continued ones.
    if (dockerfile && !in_single && !in_double && first != std::string_view::npos && t[first] == '#')
      continue;
    size_t code_end = t.size();  // where a comment starts
    for (size_t j = 0; j < t.size(); ++j) {
      char c = t[j];
      if (in_single) {
        if (c == '\'') in_single = false;
        continue;
      }
      if (c == escape) {
        ++j;
        continue;
      }
      if (in_double) {
        if (c == '"') in_double = false;
        continue;
      }
      if (c == '\'') {
        in_single = true;
      } else if (c == '"') {
        in_double = true;
      } else if (c == '#' && (j == 0 || t[j - 1] == ' ' || t[j - 1] == '\t')) {
        code_end = j;
        break;
      } else if (t.substr(j).starts_with("<<<")) {
        j += 2;  // a here-string, not a here-document
      } else if (c == '<') {
        std::string strip, tag;
        re2::StringPiece rest(t.data() + j, t.size() - j);
        if (RE2::PartialMatch(rest, kHeredoc, &strip, &tag)) heredocs.emplace_back(tag, !strip.empty());
      }
    }
    // A backslash ending a comment continues nothing. Docker joins continued lines before any
    // shell reads quotes, so there a quote does not hide the escape.
    continued = (dockerfile || !in_single) && code_end == t.size() && ends_with_continuation(t, escape);
    // A Dockerfile instruction ends at its line unless continued: quotes do not span lines.
    if (dockerfile && !continued) in_single = in_double = false;
    if (!continued && !heredocs.empty()) heredoc = 1;
  }
  return clean;
}

// YAML: which lines are the content of a `|` or `>` block scalar (a comment there would be
// text). Reads headers textually and errs towards "inside"; comparing the parsed documents with
// and without the comments catches anything this misses.
std::vector<bool> yaml_block_scalar_lines(const Lines& lines) {
  static const RE2 kHeader(R"((?:^|\s)[|>][-+0-9]*\s*(?:#.*)?$)");
  std::vector<bool> inside(static_cast<size_t>(lines.count()) + 1, false);
  long parent = -1;  // indentation of the open block scalar's header line, -1 when none
  for (int l = 1; l <= lines.count(); ++l) {
    std::string_view t = lines.text(l);
    size_t first = t.find_first_not_of(" \t");
    if (parent >= 0) {
      if (first == std::string_view::npos || static_cast<long>(first) > parent) {
        inside[static_cast<size_t>(l)] = true;
        continue;
      }
      parent = -1;
    }
    if (first == std::string_view::npos || t[first] == '#') continue;
    if (RE2::PartialMatch(re2::StringPiece(t.data(), t.size()), kHeader)) parent = static_cast<long>(first);
  }
  return inside;
}

// Python: a line can hold a comment above it when its start is not inside a string (or a part
// tree-sitter could not parse) and the line before does not continue onto it.
struct PythonTree {
  std::unique_ptr<TSParser, decltype(&ts_parser_delete)> parser{ts_parser_new(), ts_parser_delete};
  std::unique_ptr<TSTree, decltype(&ts_tree_delete)> tree{nullptr, ts_tree_delete};
  explicit PythonTree(std::string_view source) {
    ts_parser_set_language(parser.get(), tree_sitter_python());
    tree.reset(
        ts_parser_parse_string(parser.get(), nullptr, source.data(), static_cast<uint32_t>(source.size())));
  }
  bool ok() const { return tree != nullptr; }
  TSNode root() const { return ts_tree_root_node(tree.get()); }
};

bool python_line_ok(const PythonTree& tree, const Lines& lines, int line) {
  if (line > 1 && ends_with_continuation(lines.text(line - 1))) return false;
  const auto s = static_cast<uint32_t>(lines.start(line));
  for (TSNode n = ts_node_descendant_for_byte_range(tree.root(), s, s); !ts_node_is_null(n);
       n = ts_node_parent(n)) {
    std::string_view type = ts_node_type(n);
    if (type == "ERROR") return false;
    if ((type == "string" || type == "string_content") && ts_node_start_byte(n) < s &&
        s < ts_node_end_byte(n))
      return false;
  }
  return true;
}

// The parsed content of a YAML or TOML file, for comparing a file with and without the comments:
// a comment never changes what the file says, so any difference means one landed in a value.
std::optional<std::string> yaml_content(std::string_view text) {
  YamlLoadResult r = load_yaml_documents(text);
  if (!r.error.empty()) return std::nullopt;
  std::string out;
  try {
    for (const auto& doc : r.documents) {
      YAML::Emitter e;
      e << doc;
      if (!e.good()) return std::nullopt;
      out += e.c_str();
      out += "\n---\n";
    }
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return out;
}

std::optional<toml::table> toml_content(std::string_view text) {
  if (check_toml_depth(text)) return std::nullopt;
  try {
    return toml::parse(text);
  } catch (const toml::parse_error&) {
    return std::nullopt;
  }
}

// Whether `fixed` says what `original` said (YAML, TOML) or still parses with each inserted
// comment read as a comment (Python). `comments`: offsets in `fixed` where a `#` was written.
bool same_meaning(Syntax syntax, std::string_view original, std::string_view fixed,
                  const std::vector<size_t>& comments) {
  if (syntax == Syntax::Yaml) {
    auto before = yaml_content(original);
    return before && yaml_content(fixed) == before;
  }
  if (syntax == Syntax::Toml) {
    auto before = toml_content(original);
    auto after = toml_content(fixed);
    return before && after && *before == *after;
  }
  if (syntax == Syntax::Python) {
    if (!still_parses("x.py", original, fixed)) return false;
    PythonTree tree(fixed);
    if (!tree.ok()) return false;
    for (size_t at : comments) {
      const auto a = static_cast<uint32_t>(at);
      TSNode n = ts_node_descendant_for_byte_range(tree.root(), a, a + 1);
      if (ts_node_is_null(n) || std::string_view(ts_node_type(n)) != "comment" || ts_node_start_byte(n) != a)
        return false;
    }
  }
  return true;
}

// An existing suppression comment line: `# mlops-lint: ignore[...] ...` and nothing before it.
struct ExistingComment {
  size_t codes_start = 0, codes_end = 0;  // the text between the brackets, in the file
  std::vector<std::string> codes;
};

std::optional<ExistingComment> comment_line(const Lines& lines, int line) {
  static const RE2 re(kSuppressionPattern);
  std::string_view t = lines.text(line);
  re2::StringPiece text(t.data(), t.size()), codes;
  if (!RE2::PartialMatch(text, re, &codes)) return std::nullopt;
  size_t at = t.find("mlops-lint:");
  std::string_view before = t.substr(0, at);
  while (!before.empty() && (before.back() == ' ' || before.back() == '\t')) before.remove_suffix(1);
  size_t first = before.find_first_not_of(" \t");
  if (first == std::string_view::npos || before.substr(first) != "#") return std::nullopt;
  ExistingComment c;
  c.codes_start = lines.start(line) + static_cast<size_t>(codes.data() - t.data());
  c.codes_end = c.codes_start + codes.size();
  size_t pos = 0;
  std::string_view list(codes.data(), codes.size());
  while (pos <= list.size()) {
    size_t comma = std::min(list.find(',', pos), list.size());
    std::string code(list.substr(pos, comma - pos));
    code.erase(0, code.find_first_not_of(' '));
    code.erase(code.find_last_not_of(' ') + 1);
    if (!code.empty()) c.codes.push_back(code);
    pos = comma + 1;
  }
  return c;
}

std::string join(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& id : ids) out += (out.empty() ? "" : ", ") + id;
  return out;
}

// Where the ids of one line go: a new comment line above `line`, or the comment line `line`.
struct Target {
  bool extend = false;
  int line = 0;
  std::set<std::string> ids;
  std::vector<const Finding*> findings;
};

struct FilePlan {
  std::vector<TextEdit> edits;
  std::vector<size_t> comment_offsets;  // in the fixed file: where each new `#` is
};

FilePlan edits_for(const std::string& path, std::string_view bytes, const Lines& lines,
                   const std::vector<const Target*>& targets, const std::string& reason) {
  FilePlan plan;
  const std::string_view lb = line_break(bytes);
  long shift = 0;
  for (const Target* t : targets) {
    if (t->extend) {
      auto c = *comment_line(lines, t->line);
      std::string list(bytes.substr(c.codes_start, c.codes_end - c.codes_start));
      list.erase(list.find_last_not_of(' ') + 1);
      std::vector<std::string> added;
      for (const auto& id : t->ids)
        if (std::find(c.codes.begin(), c.codes.end(), id) == c.codes.end()) added.push_back(id);
      std::string codes = list.empty() ? join(added) : list + ", " + join(added);
      TextEdit e = make_edit(path, bytes, c.codes_start, c.codes_end, codes);
      shift += static_cast<long>(e.replacement.size()) - static_cast<long>(e.end - e.start);
      plan.edits.push_back(std::move(e));
      continue;
    }
    size_t at = lines.start(t->line);
    std::string indent(indentation(bytes, at));
    std::string comment = indent + "# mlops-lint: ignore[" +
                          join(std::vector<std::string>(t->ids.begin(), t->ids.end())) + "] " + reason +
                          std::string(lb);
    plan.comment_offsets.push_back(static_cast<size_t>(static_cast<long>(at) + shift) + indent.size());
    shift += static_cast<long>(comment.size());
    plan.edits.push_back(make_edit(path, bytes, at, at, std::move(comment)));
  }
  return plan;
}

void decline(SuppressionPlan& plan, const Finding& f, const std::string& why) {
  ++plan.not_suppressible;
  plan.declined.push_back({f.where, f.rule_id + " not suppressed: " + why});
}

void plan_file(SuppressionPlan& plan, const std::string& path, const std::vector<const Finding*>& findings,
               const FixContext& files, const std::string& reason) {
  const Syntax syntax = syntax_of(path);
  if (syntax == Syntax::None) {
    for (const Finding* f : findings)
      decline(plan, *f, "this kind of file cannot hold a comment; use per-file-ignores in the config");
    return;
  }
  const std::string* bytes = files.read(path);
  if (!bytes) {
    for (const Finding* f : findings) decline(plan, *f, "the file could not be read");
    return;
  }
  const Lines lines(*bytes);
  std::unique_ptr<PythonTree> tree;
  if (syntax == Syntax::Python) tree = std::make_unique<PythonTree>(*bytes);
  std::vector<bool> yaml_block;
  if (syntax == Syntax::Yaml) yaml_block = yaml_block_scalar_lines(lines);
  std::vector<bool> shell_clean;
  if (syntax == Syntax::Shell || syntax == Syntax::Env || syntax == Syntax::Dockerfile)
    shell_clean = shell_clean_starts(lines, syntax == Syntax::Dockerfile);

  // Lines whose place is fixed: a `#!` line must stay first, a Python coding declaration within
  // the first two lines, Dockerfile parser directives before any other comment.
  static const RE2 kCoding(R"(^[ \t\f]*#.*?coding[:=])");
  static const RE2 kDirective(R"(^#\s*[A-Za-z]+\s*=)");
  auto pinned = [&](int line) {
    if (line == 1 && lines.text(1).starts_with("#!")) return true;
    if (syntax == Syntax::Python && line <= 2) {
      for (int l = line; l <= std::min(2, lines.count()); ++l) {
        std::string_view c = lines.text(l);
        if (RE2::PartialMatch(re2::StringPiece(c.data(), c.size()), kCoding)) return true;
      }
    }
    if (syntax == Syntax::Dockerfile) {
      for (int l = 1; l <= line; ++l) {
        std::string_view d = lines.text(l);
        if (!RE2::PartialMatch(re2::StringPiece(d.data(), d.size()), kDirective)) return false;
      }
      return true;
    }
    return false;
  };
  // Whether a comment line can sit right above `line` (or `line` itself is one).
  auto line_ok = [&](int line) {
    if (pinned(line)) return false;
    switch (syntax) {
      case Syntax::Python:
        return tree->ok() && python_line_ok(*tree, lines, line);
      case Syntax::Requirements:
        return line == 1 || !ends_with_continuation(lines.text(line - 1));
      case Syntax::Shell:
      case Syntax::Env:
      case Syntax::Dockerfile:
        return static_cast<bool>(shell_clean[static_cast<size_t>(line)]);
      case Syntax::Yaml:
        return !yaml_block[static_cast<size_t>(line)];
      default:
        return true;  // TOML and ini files: TOML is checked by comparing the parsed contents
    }
  };

  static const RE2 kId("[A-Za-z0-9_]+");
  std::map<std::pair<int, bool>, Target> targets;
  for (const Finding* f : findings) {
    const int line = f->where.line;
    if (line < 1 || line > lines.count()) {
      decline(plan, *f, "its line is not in the file");
      continue;
    }
    if (!RE2::FullMatch(f->rule_id, kId)) {
      decline(plan, *f, "its rule id cannot be written in a suppression");
      continue;
    }
    // An existing suppression comment line above (or the finding's own line being one) takes
    // the id: one comment per line, not two.
    std::optional<std::pair<int, bool>> key;
    bool named = false;
    for (int candidate : {line - 1, line}) {
      if (candidate < 1) continue;
      auto c = comment_line(lines, candidate);
      if (!c || !line_ok(candidate)) continue;
      named = std::find(c->codes.begin(), c->codes.end(), f->rule_id) != c->codes.end();
      if (!named) key = std::make_pair(candidate, true);
      break;
    }
    if (named) {
      // Only when inline suppressions were turned off for this check: another comment would
      // not help.
      decline(plan, *f, "a suppression comment already names it (inline suppressions are off?)");
      continue;
    }
    if (!key && line_ok(line)) key = std::make_pair(line, false);
    if (!key) {
      decline(plan, *f,
              "line " + std::to_string(line) +
                  " continues a multi-line string, block, here-document or continued line; suppress it "
                  "by hand or in the config");
      continue;
    }
    Target& t = targets[*key];
    t.line = key->first;
    t.extend = key->second;
    t.ids.insert(f->rule_id);
    t.findings.push_back(f);
  }
  // Sorted by position: an extended comment line L comes after a line inserted above L.
  std::vector<const Target*> order;
  for (const auto& [key, t] : targets) order.push_back(&t);
  std::sort(order.begin(), order.end(), [&](const Target* a, const Target* b) {
    return std::make_pair(a->line, a->extend) < std::make_pair(b->line, b->extend);
  });

  auto fits = [&](const std::vector<const Target*>& chosen) {
    FilePlan p = edits_for(path, *bytes, lines, chosen, reason);
    return same_meaning(syntax, *bytes, apply_edits(*bytes, p.edits), p.comment_offsets);
  };
  std::vector<const Target*> kept = order;
  if (!order.empty() && !fits(order)) {
    // Find the comments that change the file's meaning one by one (a parse each, so only for a
    // bounded number of them), keep the others.
    kept.clear();
    if (order.size() <= kMaxSeparateChecks)
      for (const Target* t : order)
        if (fits({t})) kept.push_back(t);
    if (!kept.empty() && !fits(kept)) kept.clear();
  }
  for (const Target* t : order) {
    bool ok = std::find(kept.begin(), kept.end(), t) != kept.end();
    for (const Finding* f : t->findings) {
      if (ok)
        ++plan.suppressible;
      else
        decline(plan, *f,
                "a comment above line " + std::to_string(f->where.line) +
                    " would change what the file says (inside a multi-line string or block scalar), "
                    "or the file does not parse");
    }
  }
  FilePlan p = edits_for(path, *bytes, lines, kept, reason);
  plan.edits.insert(plan.edits.end(), p.edits.begin(), p.edits.end());
}

std::string trim_blanks(std::string s) {
  size_t a = s.find_first_not_of(' ');
  if (a == std::string::npos) return {};
  return s.substr(a, s.find_last_not_of(' ') - a + 1);
}

}  // namespace

std::optional<std::string> suppression_reason(const std::string& reason, std::string& error) {
  if (reason.find_first_of("\r\n") != std::string::npos) {
    error = "the suppression reason must be one line";
    return std::nullopt;
  }
  std::string s = sanitize_utf8(reason);
  // Control characters (C0, DEL, C1) and bidirectional overrides become spaces: the reason is
  // written into source files people review.
  std::string clean;
  for (size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      clean += ' ';
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
      clean += ' ';
      ++i;
    } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               static_cast<unsigned char>(s[i + 2]) >= 0xAA && static_cast<unsigned char>(s[i + 2]) <= 0xAE) {
      clean += ' ';
      i += 2;
    } else if (c == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x81 &&
               static_cast<unsigned char>(s[i + 2]) >= 0xA6 && static_cast<unsigned char>(s[i + 2]) <= 0xA9) {
      clean += ' ';
      i += 2;
    } else {
      clean += s[i];
    }
  }
  clean = trim_blanks(clean);
  if (clean.empty()) {
    error = "a suppression needs a reason: --add-suppressions \"why these findings are accepted\"";
    return std::nullopt;
  }
  // The reason must read back as written (the suppression pattern drops a leading '-' or ':' and
  // a trailing '-->' or '*/'; reports drop a trailing quote).
  static const RE2 re(kSuppressionPattern);
  std::string codes, back;
  if (!RE2::PartialMatch("# mlops-lint: ignore[ABC001] " + clean, re, &codes, &back) ||
      trim_blanks(back) != clean || clean.ends_with('"')) {
    error = "the suppression reason cannot start with '-' or ':' or end with '-->', '*/' or a quote";
    return std::nullopt;
  }
  return clean;
}

SuppressionPlan suppression_edits(const CheckResult& result, const Snapshot& snapshot,
                                  const std::string& reason) {
  SuppressionPlan plan;
  std::optional<std::string> written = suppression_reason(reason, plan.error);
  if (!written) return plan;
  std::map<std::string, std::vector<const Finding*>> by_path;
  for (const auto& f : result.findings)
    if (!f.suppressed && !f.project_level) by_path[f.where.path].push_back(&f);
  const RuleSet no_rules;
  const FixContext files(snapshot, result, no_rules);
  for (const auto& [path, findings] : by_path) plan_file(plan, path, findings, files, *written);
  std::sort(plan.edits.begin(), plan.edits.end(), [](const TextEdit& a, const TextEdit& b) {
    return std::tie(a.path, a.start, a.end) < std::tie(b.path, b.start, b.end);
  });
  std::sort(plan.declined.begin(), plan.declined.end());
  return plan;
}

}  // namespace mlops
