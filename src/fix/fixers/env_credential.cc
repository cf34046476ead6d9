// The `env-credential` fixer (SEC001): in a .py file, replaces a string literal that is exactly a
// credential with `os.environ["NAME"]` and imports os when the file does not. NAME is the name
// the value is assigned to, passed as or stored under when that reads like an environment
// variable, else the standard variable of the credential's kind (HF_TOKEN, WANDB_API_KEY, ...).
// A credential given as the fallback of `os.getenv("NAME", ...)` is dropped instead.
// Unsafe: the program now needs the variable set. The key stays in the git history, so the fix
// message, like the finding, says to revoke it. Declines on notebooks and other files, f-strings,
// concatenations, private-key blocks, and on values written into the environment
// (`os.environ["X"] = "..."`: reading X there would read itself).
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>

#include "fix/edits.h"
#include "fix/fixer.h"
#include "fix/fixers/python_source.h"

namespace mlops {

namespace {

constexpr std::string_view kKnownNames[] = {
    "AWS_ACCESS_KEY_ID",      "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",      "CLEARML_API_SECRET_KEY",
    "COMET_API_KEY",          "HF_TOKEN",
    "HUGGING_FACE_HUB_TOKEN", "MLFLOW_TRACKING_PASSWORD",
    "MLFLOW_TRACKING_TOKEN",  "NEPTUNE_API_TOKEN",
    "OPENAI_API_KEY",         "WANDB_API_KEY",
};
// Names whose value SEC001 recognises by the name alone (any token of 16+ characters).
constexpr std::string_view kTokenNames[] = {"MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN",
                                            "NEPTUNE_API_TOKEN", "COMET_API_KEY", "CLEARML_API_SECRET_KEY"};

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool all_of_chars(std::string_view s, std::string_view extra) {
  return std::all_of(s.begin(), s.end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || extra.find(c) != std::string_view::npos;
  });
}

bool is_hex40(std::string_view s) {
  return s.size() == 40 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// What the literal is used as: the name it is assigned to / passed as / stored under, and the
// callee it is an argument of.
struct Use {
  std::string name;    // identifier, keyword, attribute or subscript/dict key ("" when none)
  std::string callee;  // the call it is an argument of ("" when none)
};

// Whether an expression writes to or reads from the environment itself.
bool is_environment(std::string_view expr) {
  return expr == "os.environ" || expr == "environ" || expr.starts_with("os.environ.") ||
         expr.starts_with("environ.") || expr == "os.putenv" || expr == "putenv" || expr == "os.getenv" ||
         expr == "getenv";
}

// The use of a literal, or nullopt for a place the fix does not handle (or must not: a value
// stored into os.environ).
std::optional<Use> use_of(const PySource& src, TSNode literal) {
  for (TSNode n = ts_node_parent(literal); !ts_node_is_null(n); n = ts_node_parent(n)) {
    if (is_type(n, "call") && is_environment(src.text(ts_node_child_by_field_name(n, "function", 8))))
      return std::nullopt;
    if (is_type(n, "expression_statement") || is_type(n, "block") || is_type(n, "module")) break;
  }
  TSNode parent = ts_node_parent(literal);
  auto same = [&](TSNode a) { return !ts_node_is_null(a) && ts_node_eq(a, literal); };
  auto key_of = [&](TSNode key) -> std::optional<std::string> {
    if (auto s = plain_string_contents(src, key)) return std::string(*s);
    return std::nullopt;
  };
  Use use;
  if (is_type(parent, "assignment")) {
    if (!same(ts_node_child_by_field_name(parent, "right", 5))) return std::nullopt;
    TSNode left = ts_node_child_by_field_name(parent, "left", 4);
    if (is_type(left, "identifier")) {
      use.name = src.text(left);
    } else if (is_type(left, "attribute")) {
      use.name = src.text(ts_node_child_by_field_name(left, "attribute", 9));
    } else if (is_type(left, "subscript")) {
      if (is_environment(src.text(ts_node_child_by_field_name(left, "value", 5)))) return std::nullopt;
      auto key = key_of(ts_node_child_by_field_name(left, "subscript", 9));
      if (!key) return std::nullopt;
      use.name = *key;
    } else {
      return std::nullopt;  // tuple targets and the like
    }
  } else if (is_type(parent, "keyword_argument")) {
    if (!same(ts_node_child_by_field_name(parent, "value", 5))) return std::nullopt;
    use.name = src.text(ts_node_child_by_field_name(parent, "name", 4));
    TSNode call = ts_node_parent(ts_node_parent(parent));
    if (is_type(call, "call")) use.callee = src.text(ts_node_child_by_field_name(call, "function", 8));
  } else if (is_type(parent, "pair")) {
    if (!same(ts_node_child_by_field_name(parent, "value", 5))) return std::nullopt;
    auto key = key_of(ts_node_child_by_field_name(parent, "key", 3));
    if (!key) return std::nullopt;
    use.name = *key;
  } else if (is_type(parent, "argument_list")) {
    TSNode call = ts_node_parent(parent);
    if (!is_type(call, "call")) return std::nullopt;
    use.callee = src.text(ts_node_child_by_field_name(call, "function", 8));
  } else if (is_type(parent, "default_parameter") || is_type(parent, "typed_default_parameter")) {
    if (!same(ts_node_child_by_field_name(parent, "value", 5))) return std::nullopt;
    use.name = src.text(ts_node_child_by_field_name(parent, "name", 4));
  } else {
    return std::nullopt;
  }
  return use;
}

// `os.getenv("NAME", "<credential>")` / `os.environ.get(...)`: the environment is already read
// and the credential is the fallback. The fix drops the fallback (the call then returns None when
// NAME is unset). The first argument and the variable's name, when `literal` is such a fallback.
struct EnvDefault {
  TSNode name_argument;
  std::string name;
};
std::optional<EnvDefault> env_default(const PySource& src, TSNode literal) {
  TSNode args = ts_node_parent(literal);
  TSNode call = ts_node_parent(args);
  if (!is_type(args, "argument_list") || !is_type(call, "call")) return std::nullopt;
  std::string_view callee = src.text(ts_node_child_by_field_name(call, "function", 8));
  if (callee != "os.getenv" && callee != "getenv" && callee != "os.environ.get" && callee != "environ.get")
    return std::nullopt;
  std::vector<TSNode> kids = code_children(args);
  if (kids.size() != 2 || !ts_node_eq(kids[1], literal)) return std::nullopt;
  auto name = plain_string_contents(src, kids[0]);
  // A variable's name (it goes into the fix message), not some other text.
  if (!name || name->empty() || name->size() > 64 || !all_of_chars(*name, "_")) return std::nullopt;
  // Comments between the two arguments would go with the deleted text.
  size_t from = ts_node_end_byte(kids[0]), to = ts_node_start_byte(literal);
  if (src.bytes().substr(from, to - from).find('#') != std::string::npos) return std::nullopt;
  return EnvDefault{kids[0], std::string(*name)};
}

// The standard environment variable for a credential, from its shape and use; nullopt when the
// literal is not one SEC001 recognises as a whole value.
std::optional<std::string> standard_name(std::string_view value, const Use& use) {
  const std::string name = upper(use.name);
  if (value.starts_with("hf_") && value.size() >= 37 && value.size() <= 43 && all_of_chars(value, "_"))
    return "HF_TOKEN";
  if ((value.starts_with("AKIA") || value.starts_with("ASIA")) && value.size() == 20 &&
      std::all_of(value.begin(), value.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || std::isupper(static_cast<unsigned char>(c));
      }))
    return "AWS_ACCESS_KEY_ID";
  if (value.starts_with("sk-") && value.size() >= 35 && all_of_chars(value, "_-")) return "OPENAI_API_KEY";
  if (is_hex40(value)) {
    bool wandb = name.find("WANDB") != std::string::npos ||
                 (use.name == "key" && (use.callee == "login" || use.callee.ends_with(".login")));
    if (wandb) return "WANDB_API_KEY";
  }
  if (name == "AWS_SECRET_ACCESS_KEY" && value.size() == 40 && all_of_chars(value, "/+")) return name;
  for (std::string_view known : kTokenNames)
    if (name == known && value.size() >= 16 && all_of_chars(value, "_-.=")) return name;
  return std::nullopt;
}

// The variable to read: the use's own name when it reads as an environment variable (upper case
// with an underscore, or a known one in any case), else the standard one.
std::string variable_name(const Use& use, const std::string& standard) {
  std::string name = upper(use.name);
  for (std::string_view known : kKnownNames)
    if (name == known) return name;
  bool env_like = use.name.size() >= 3 && use.name.find('_') != std::string::npos &&
                  std::isupper(static_cast<unsigned char>(use.name[0])) &&
                  std::all_of(use.name.begin(), use.name.end(), [](char c) {
                    return std::isupper(static_cast<unsigned char>(c)) ||
                           std::isdigit(static_cast<unsigned char>(c)) || c == '_';
                  });
  return env_like ? use.name : standard;
}

// The string literals starting on the line [begin, end), in document order.
void strings_on_line(TSNode n, size_t begin, size_t end, std::vector<TSNode>& out) {
  if (ts_node_end_byte(n) <= begin || ts_node_start_byte(n) >= end) return;
  if (is_type(n, "string")) {
    if (ts_node_start_byte(n) >= begin) out.push_back(n);
    return;
  }
  for (TSNode c : named_children(n)) strings_on_line(c, begin, end, out);
}

}  // namespace

std::optional<Fix> fix_env_credential(const FixContext& context, const Finding& finding) {
  const Location& at = finding.where;
  auto py = open_python_finding(context, finding);
  if (!py) return std::nullopt;
  const std::string* bytes = py->bytes;
  const std::optional<size_t> offset = py->offset;
  const auto& src = py->src;
  const std::string_view text = *bytes;

  // The finding's match starts at the credential or at the name before it: the literal is the
  // first string on the line ending after that point whose whole value is a credential.
  std::vector<TSNode> strings;
  strings_on_line(src->root(), line_start(text, *offset), line_end(text, *offset), strings);
  std::optional<TSNode> literal;
  std::optional<Use> use;
  std::string standard;
  for (TSNode s : strings) {
    if (ts_node_end_byte(s) <= *offset) continue;
    auto value = plain_string_contents(*src, s);
    if (!value) continue;
    Use u;
    auto fallback = env_default(*src, s);
    if (fallback)
      u.name = fallback->name;
    else if (auto found = use_of(*src, s))
      u = *found;
    auto name = standard_name(*value, u);
    if (!name) continue;
    if (fallback) {
      Fix fix;
      fix.applicability = Applicability::Unsafe;
      fix.message = "drop the hard-coded fallback: read " + fallback->name +
                    " from the environment only; revoke the committed key: it stays in the git history";
      fix.edits.push_back(
          make_edit(at.path, text, ts_node_end_byte(fallback->name_argument), ts_node_end_byte(s), ""));
      return fix;
    }
    // The first credential after the match is the finding's: fixed only where its use is clear.
    if (!use_of(*src, s)) return std::nullopt;
    literal = s;
    use = u;
    standard = *name;
    break;
  }
  if (!literal) return std::nullopt;

  const std::string variable = variable_name(*use, standard);
  std::vector<TextEdit> edits;
  size_t before = enclosing_function(*literal) ? SIZE_MAX : ts_node_start_byte(*literal);
  std::string os_name;
  if (auto name = src->module_name_for("os", before)) {
    os_name = *name;
  } else {
    os_name = "os";
    auto ins = src->import_insertion("import os");
    edits.push_back(make_edit(at.path, text, ins.offset, ins.offset, ins.text));
  }
  edits.push_back(make_edit(at.path, text, ts_node_start_byte(*literal), ts_node_end_byte(*literal),
                            os_name + ".environ[\"" + variable + "\"]"));

  Fix fix;
  fix.applicability = Applicability::Unsafe;
  fix.message = "read the credential from the environment variable " + variable +
                " (set it outside the code); revoke the committed key: it stays in the git history";
  fix.edits = std::move(edits);
  return fix;
}

}  // namespace mlops
