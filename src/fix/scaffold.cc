// Practice scaffolds: what the code says about a project (frameworks, training entry points,
// logged metrics, data read, model hyperparameters, data files, manifests, tests), gathered from
// the Python and notebook facts, and the starting-point files built from it. Pure: reads only
// through the snapshot, writes nothing.
#include "fix/scaffold.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "analysers/notebook.h"
#include "analysers/python_analyser.h"

namespace mlops {
namespace {

// Bounds: a scaffold is a starting point, so a huge repository gets a partial (and said so) one.
constexpr uint64_t kMaxSourceBytes = 2ull << 20;
constexpr size_t kMaxSourceFiles = 3000;
constexpr size_t kMaxListed = 50;
constexpr size_t kMaxEntryPoints = 5;

const std::vector<std::string> kScaffoldable = {"CFG001", "CI001", "CI002", "DOC002", "DOC003", "LNT001"};

// Last '/'-separated component.
std::string_view base_name(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string extension(std::string_view path) {
  std::string_view name = base_name(path);
  size_t dot = name.rfind('.');
  return dot == std::string_view::npos || dot == 0 ? std::string() : lower(name.substr(dot + 1));
}

// First component of a dotted name, and the last.
std::string_view head(std::string_view name) {
  return name.substr(0, name.find('.'));
}
std::string_view tail(std::string_view name) {
  size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

// Path relative to the scanned root of a file at project-relative `rel`.
std::string in_project(const std::string& project, const std::string& rel) {
  return project.empty() || project == "." ? rel : project + "/" + rel;
}

// --- Reading arguments out of a call's one-line text ----------------------------------------

bool is_ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// A Python string literal starting at s[i] (with an optional prefix such as r, b, f, rb). On
// success `i` moves past it; `plain` is false for f-strings (their value is computed at run time)
// and triple-quoted strings.
std::optional<std::string> read_string(std::string_view s, size_t& i, bool& plain) {
  size_t j = i;
  plain = true;
  while (j < s.size() && j - i < 2 && std::isalpha(static_cast<unsigned char>(s[j]))) {
    char c = static_cast<char>(std::tolower(static_cast<unsigned char>(s[j])));
    if (c != 'r' && c != 'b' && c != 'f' && c != 'u') return std::nullopt;
    if (c == 'f') plain = false;
    ++j;
  }
  if (j >= s.size() || (s[j] != '"' && s[j] != '\'')) return std::nullopt;
  char q = s[j];
  bool triple = s.substr(j, 3) == std::string(3, q);
  // The call text has newlines turned into spaces: a triple-quoted value is not what the code says.
  if (triple) plain = false;
  size_t start = j + (triple ? 3 : 1);
  std::string value;
  for (size_t k = start; k < s.size(); ++k) {
    if (s[k] == '\\' && k + 1 < s.size()) {
      value += s.substr(k, 2);
      ++k;
      continue;
    }
    if (s[k] == q && (!triple || s.substr(k, 3) == std::string(3, q))) {
      i = k + (triple ? 3 : 1);
      return value;
    }
    value += s[k];
  }
  return std::nullopt;
}

void skip_space(std::string_view s, size_t& i) {
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
}

// Where the arguments of the call in `text` start (just after its first '(' that follows the
// callee), or npos.
size_t arguments_start(std::string_view text) {
  size_t open = text.find('(');
  return open == std::string_view::npos ? open : open + 1;
}

// A path built from literals at text[i]: `Path("data") / "x.csv"` (pathlib.Path too) or
// `os.path.join("data", "x.csv")`, joined with '/'.
std::optional<std::string> literal_path_expression(std::string_view text, size_t& i) {
  size_t j = i;
  bool join = false;
  for (std::string_view opener : {"os.path.join(", "pathlib.Path(", "Path("}) {
    if (text.substr(j, opener.size()) == opener) {
      join = opener == "os.path.join(";
      j += opener.size();
      break;
    }
    if (opener == "Path(") return std::nullopt;
  }
  std::string path;
  for (bool first = true;; first = false) {
    skip_space(text, j);
    if (!first) {
      if (j < text.size() && text[j] == ')') break;
      if (!join || j >= text.size() || text[j] != ',') return std::nullopt;
      ++j;
      skip_space(text, j);
    }
    bool plain = true;
    auto part = read_string(text, j, plain);
    if (!part || !plain) return std::nullopt;
    path += (path.empty() ? "" : "/") + *part;
  }
  ++j;  // ')'
  // `/ "part"` after a Path(...).
  for (;;) {
    size_t k = j;
    skip_space(text, k);
    if (join || k >= text.size() || text[k] != '/') break;
    ++k;
    skip_space(text, k);
    bool plain = true;
    auto part = read_string(text, k, plain);
    if (!part || !plain) return std::nullopt;
    path += "/" + *part;
    j = k;
  }
  i = j;
  return path;
}

// The first positional argument when it is a plain string literal, or a path joined from them.
std::optional<std::string> first_string_argument(std::string_view text, size_t* after = nullptr) {
  size_t i = arguments_start(text);
  if (i == std::string_view::npos) return std::nullopt;
  skip_space(text, i);
  bool plain = true;
  auto v = read_string(text, i, plain);
  if (!v) {
    if (!plain) return std::nullopt;
    v = literal_path_expression(text, i);
  }
  if (!v || !plain) return std::nullopt;
  if (after) *after = i;
  return v;
}

// The first positional argument when it is a bare name (`DATA_PATH`).
std::optional<std::string> first_name_argument(std::string_view text) {
  size_t i = arguments_start(text);
  if (i == std::string_view::npos) return std::nullopt;
  skip_space(text, i);
  size_t start = i;
  while (i < text.size() && is_ident_char(text[i])) ++i;
  if (i == start || std::isdigit(static_cast<unsigned char>(text[start]))) return std::nullopt;
  size_t end = i;
  skip_space(text, i);
  if (i >= text.size() || (text[i] != ',' && text[i] != ')')) return std::nullopt;
  return std::string(text.substr(start, end - start));
}

// The plain-string keys of a dict literal starting at text[i] ('{'), in order.
std::vector<std::string> dict_keys(std::string_view text, size_t i) {
  std::vector<std::string> keys;
  if (i >= text.size() || text[i] != '{') return keys;
  int depth = 0;
  bool expect_key = true;
  for (++i; i < text.size();) {
    char c = text[i];
    bool plain = true;
    size_t j = i;
    if (c == '"' || c == '\'' || std::isalpha(static_cast<unsigned char>(c))) {
      if (auto v = read_string(text, j, plain)) {
        if (depth == 0 && expect_key) {
          size_t k = j;
          skip_space(text, k);
          if (k < text.size() && text[k] == ':' && plain && !v->empty()) keys.push_back(*v);
        }
        if (depth == 0) expect_key = false;
        i = j;
        continue;
      }
      // A name, not a literal; or a string cut off where the call text was capped: move on.
      size_t start = i;
      while (i < text.size() && is_ident_char(text[i])) ++i;
      if (i == start) ++i;
      if (depth == 0) expect_key = false;
      continue;
    }
    if (c == '(' || c == '[' || c == '{') {
      ++depth;
    } else if (c == ')' || c == ']' || c == '}') {
      if (depth == 0) break;
      --depth;
    } else if (c == ',' && depth == 0) {
      expect_key = true;
    } else if (!std::isspace(static_cast<unsigned char>(c)) && depth == 0) {
      expect_key = false;
    }
    ++i;
  }
  return keys;
}

// The plain string literals in the list passed as `keyword=[...]`.
std::vector<std::string> list_keyword_strings(std::string_view text, std::string_view keyword) {
  std::vector<std::string> out;
  for (size_t at = text.find(keyword); at != std::string_view::npos; at = text.find(keyword, at + 1)) {
    if (at > 0 && is_ident_char(text[at - 1])) continue;
    size_t i = at + keyword.size();
    skip_space(text, i);
    if (i >= text.size() || text[i] != '=') continue;
    ++i;
    skip_space(text, i);
    if (i >= text.size() || (text[i] != '[' && text[i] != '(')) continue;
    char close = text[i] == '[' ? ']' : ')';
    for (++i; i < text.size() && text[i] != close;) {
      bool plain = true;
      if (auto v = read_string(text, i, plain)) {
        if (plain) out.push_back(*v);
        continue;
      }
      ++i;
    }
    break;
  }
  return out;
}

// True when `keyword=` in the call text is followed by a string literal (PyCall::literals gives
// strings by their contents, so "5" and 5 look the same there).
bool keyword_is_string(std::string_view text, std::string_view keyword) {
  for (size_t at = text.find(keyword); at != std::string_view::npos; at = text.find(keyword, at + 1)) {
    if (at > 0 && is_ident_char(text[at - 1])) continue;
    size_t i = at + keyword.size();
    skip_space(text, i);
    if (i >= text.size() || text[i] != '=' || (i + 1 < text.size() && text[i + 1] == '=')) continue;
    ++i;
    skip_space(text, i);
    bool plain = true;
    return read_string(text, i, plain).has_value();
  }
  return false;
}

// --- What the code says ---------------------------------------------------------------------

struct Seen {
  std::string value;
  std::string where;  // "train.py:13"
};

struct ModelCall {
  std::string group;       // model, training, optimizer
  std::string class_name;  // RandomForestClassifier
  std::string where;
  std::vector<std::pair<std::string, std::string>> params;  // keyword, YAML value
};

struct CodeFacts {
  std::set<std::string> frameworks;
  std::vector<std::string> entry_points;
  std::map<std::string, std::string> metrics;     // name -> first place seen
  std::map<std::string, std::string> data_reads;  // literal path -> first place seen
  std::vector<ModelCall> models;                  // in file order
  std::set<std::string> model_classes;
  size_t files_read = 0;
  bool truncated = false;  // more source files than kMaxSourceFiles
};

const std::map<std::string, std::string>& framework_names() {
  static const std::map<std::string, std::string> names = {
      {"catboost", "CatBoost"},
      {"flax", "Flax"},
      {"jax", "JAX"},
      {"keras", "Keras"},
      {"lightgbm", "LightGBM"},
      {"lightning", "PyTorch Lightning"},
      {"pytorch_lightning", "PyTorch Lightning"},
      {"sklearn", "scikit-learn"},
      {"statsmodels", "statsmodels"},
      {"tensorflow", "TensorFlow"},
      {"torch", "PyTorch"},
      {"transformers", "Hugging Face Transformers"},
      {"xgboost", "XGBoost"},
  };
  return names;
}

const std::set<std::string>& metric_words() {
  static const std::set<std::string> words = {
      "accuracy",  "auc",        "bleu",       "f1",           "f1_score", "loss",
      "mae",       "mse",        "perplexity", "precision",    "r2",       "r2_score",
      "recall",    "rmse",       "roc_auc",    "rouge",        "test_acc", "test_accuracy",
      "test_loss", "train_loss", "val_acc",    "val_accuracy", "val_loss"};
  return words;
}

// Extensions of data files (a data card lists them; a read of one is a data path).
const std::set<std::string>& data_extensions() {
  static const std::set<std::string> exts = {"arrow",    "avro",      "csv", "feather", "h5",  "hdf5",
                                             "jsonl",    "ndjson",    "npy", "npz",     "orc", "parquet",
                                             "tfrecord", "tfrecords", "tsv", "xls",     "xlsx"};
  return exts;
}

// Model files are not data, whatever directory they sit in.
const std::set<std::string>& model_extensions() {
  static const std::set<std::string> exts = {"bin", "ckpt", "joblib", "keras",       "onnx",  "pb",
                                             "pkl", "pt",   "pth",    "safetensors", "pickle"};
  return exts;
}

bool under_data_dir(std::string_view path) {
  for (std::string_view dir : {"data/", "datasets/", "dataset/"})
    if (path.starts_with(dir) || path.find("/" + std::string(dir)) != std::string_view::npos) return true;
  return false;
}

// Calls whose first argument names data to read: pandas/polars readers and dataset loaders take
// anything; generic open/load only a path that looks like data.
bool reader_takes_anything(std::string_view last) {
  return (last.starts_with("read_") && last != "read_text" && last != "read_bytes") ||
         last == "load_dataset" || last == "scan_csv" || last == "scan_parquet" || last == "read_csv_auto";
}
bool generic_loader(std::string_view last) {
  return last == "open" || last == "load" || last == "loadtxt" || last == "genfromtxt" ||
         last == "fromfile" || last == "imread";
}

bool looks_like_data(std::string_view path) {
  std::string ext = extension(path);
  if (model_extensions().count(ext)) return false;
  return data_extensions().count(ext) || under_data_dir(path);
}

// sklearn modules whose classes transform or split data rather than learn a model.
bool sklearn_model_module(std::string_view name) {
  for (std::string_view skip : {"sklearn.preprocessing", "sklearn.model_selection", "sklearn.pipeline",
                                "sklearn.compose", "sklearn.impute", "sklearn.feature_extraction",
                                "sklearn.feature_selection", "sklearn.metrics", "sklearn.datasets"})
    if (name.starts_with(skip)) return false;
  return true;
}

// Which params.yaml group a constructor's literals go in, or "" when it is not a model
// constructor.
std::string model_group(std::string_view name) {
  std::string_view last = tail(name);
  if (last.empty() || !std::isupper(static_cast<unsigned char>(last[0]))) return {};
  std::string_view root = head(name);
  if (name == "transformers.TrainingArguments" || name == "transformers.Seq2SeqTrainingArguments")
    return "training";
  if (name.starts_with("torch.optim.") && name.find(".lr_scheduler.") == std::string_view::npos)
    return "optimizer";
  if (root == "sklearn" && sklearn_model_module(name)) return "model";
  if (root == "xgboost" || root == "lightgbm" || root == "catboost") return "model";
  return {};
}

// A literal as YAML: numbers and booleans as such, anything else as a single-quoted string.
std::string yaml_scalar(const std::string& value, bool is_string) {
  if (!is_string) {
    if (value == "True") return "true";
    if (value == "False") return "false";
    if (value == "None") return "null";
    std::string digits;
    for (char c : value)
      if (c != '_') digits += c;
    bool number = !digits.empty();
    bool seen_digit = false;
    for (size_t i = 0; i < digits.size() && number; ++i) {
      char c = digits[i];
      if (std::isdigit(static_cast<unsigned char>(c))) {
        seen_digit = true;
      } else if (!((c == '-' || c == '+') && (i == 0 || digits[i - 1] == 'e' || digits[i - 1] == 'E')) &&
                 c != '.' && c != 'e' && c != 'E') {
        number = false;
      }
    }
    if (number && seen_digit) {
      // PyYAML (YAML 1.1) reads 1e-5 as a string: give the exponent form a dot and a sign.
      size_t e = digits.find_first_of("eE");
      if (e == std::string::npos) return digits;
      std::string mantissa = digits.substr(0, e), exponent = digits.substr(e + 1);
      if (mantissa.find('.') == std::string::npos) mantissa += ".0";
      if (!exponent.empty() && exponent[0] != '-' && exponent[0] != '+') exponent = "+" + exponent;
      return mantissa + "e" + exponent;
    }
  }
  std::string out = "'";
  for (char c : value) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string snake_case(std::string_view name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (std::isupper(static_cast<unsigned char>(c))) {
      bool boundary =
          i > 0 && (std::islower(static_cast<unsigned char>(name[i - 1])) ||
                    (i + 1 < name.size() && std::islower(static_cast<unsigned char>(name[i + 1])) &&
                     std::isupper(static_cast<unsigned char>(name[i - 1]))));
      if (boundary) out += '_';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out;
}

bool is_test_file(std::string_view path) {
  std::string_view name = base_name(path);
  if (!name.ends_with(".py")) return false;
  if (name.starts_with("test_") || name.ends_with("_test.py")) return true;
  return path.starts_with("tests/") || path.find("/tests/") != std::string_view::npos;
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

void note(std::map<std::string, std::string>& into, const std::string& key, const std::string& where) {
  // A name with control characters (a triple-quoted literal) would break the Markdown it goes in.
  if (!key.empty() && !has_control(key))
    into.emplace(key, where);  // keeps the first place (files come sorted)
}

// One Python source (a .py file or a notebook's code cells): what it imports, trains, logs, reads.
void scan_source(const std::string& path, std::string_view source, bool notebook,
                 const std::vector<NotebookLine>* lines, CodeFacts& facts,
                 std::vector<std::pair<std::string, bool>>& candidates) {
  PythonFacts py = analyse_python(source);
  auto where = [&](int line) {
    if (notebook && lines && line >= 1 && static_cast<size_t>(line) <= lines->size())
      return path + " cell " + std::to_string((*lines)[line - 1].cell);
    return path + ":" + std::to_string(line);
  };
  bool imports_framework = false, imports_lightning = false;
  for (const auto& imp : py.imports) {
    std::string root(head(imp.module));
    auto it = framework_names().find(root);
    if (it == framework_names().end()) continue;
    facts.frameworks.insert(it->second);
    imports_framework = true;
    imports_lightning = imports_lightning || root == "lightning" || root == "pytorch_lightning";
  }
  // Model classes defined here: subclasses of the frameworks' model bases.
  static const std::set<std::string> model_bases = {"torch.nn.Module",
                                                    "lightning.LightningModule",
                                                    "lightning.pytorch.LightningModule",
                                                    "pytorch_lightning.LightningModule",
                                                    "tensorflow.keras.Model",
                                                    "keras.Model",
                                                    "flax.linen.Module",
                                                    "transformers.PreTrainedModel"};
  for (const auto& c : py.classes)
    for (const auto& b : c.bases)
      if (model_bases.count(b)) facts.model_classes.insert(c.name);
  std::map<std::string, std::string> constants;  // module-level NAME = "literal"
  for (const auto& a : py.assigns)
    if (a.literal) constants.emplace(a.name, a.value);

  bool trains = false;
  for (const auto& call : py.calls) {
    std::string_view name = call.name;
    std::string_view last = tail(name);
    const std::string& text = call.full_text;
    if (last == "fit" || last == "fit_generator" || last == "train" || last == "backward" ||
        last == "train_on_batch" || last == "partial_fit" ||
        (last == "step" && name.find("optim") != std::string_view::npos))  // a hand-written loop
      trains = true;

    // Metrics: trackers' log calls, Keras compile(metrics=[...]), printed metric names.
    if (last == "log_metric" || last == "add_scalar" || (last == "log" && imports_lightning)) {
      if (auto key = first_string_argument(text)) note(facts.metrics, *key, where(call.line));
    }
    if (last == "log_metrics" || last == "log" || last == "log_dict") {
      size_t i = arguments_start(text);
      if (i != std::string_view::npos) {
        skip_space(text, i);
        for (const auto& key : dict_keys(text, i)) note(facts.metrics, key, where(call.line));
      }
    }
    if (last == "compile")
      for (const auto& m : list_keyword_strings(text, "metrics")) note(facts.metrics, m, where(call.line));
    if (name == "print") {
      std::string low = lower(text);
      std::string word;
      for (size_t i = 0; i <= low.size(); ++i) {
        if (i < low.size() && is_ident_char(low[i])) {
          word += low[i];
          continue;
        }
        if (metric_words().count(word)) note(facts.metrics, word, where(call.line));
        word.clear();
      }
    }

    // Data the code reads.
    if (reader_takes_anything(last) || generic_loader(last)) {
      size_t after = 0;
      std::optional<std::string> path_arg = first_string_argument(text, &after);
      if (!path_arg)
        if (auto n = first_name_argument(text))
          if (auto it = constants.find(*n); it != constants.end()) path_arg = it->second;
      if (path_arg && last == "open") {
        // open(path, "w") writes; only reads count.
        size_t i = after;
        skip_space(text, i);
        std::string mode;
        if (i < text.size() && text[i] == ',') {
          ++i;
          skip_space(text, i);
          bool plain = true;
          if (auto m = read_string(text, i, plain)) mode = *m;
        }
        for (const auto& [k, v] : call.literals)
          if (k == "mode") mode = v;
        if (mode.find_first_of("wax") != std::string::npos) path_arg.reset();
      }
      if (path_arg && !path_arg->empty() && (reader_takes_anything(last) || looks_like_data(*path_arg)))
        note(facts.data_reads, *path_arg, where(call.line));
    }

    // Model constructors with literal keyword arguments (the params.yaml candidates).
    std::string group = model_group(name);
    if (!group.empty()) {
      std::string cls(last);
      if (group == "model") facts.model_classes.insert(cls);
      ModelCall m{group, cls, where(call.line), {}};
      for (const auto& [k, v] : call.literals)
        if (!has_control(v)) m.params.emplace_back(k, yaml_scalar(v, keyword_is_string(text, k)));
      if (!m.params.empty()) facts.models.push_back(std::move(m));
    }
  }
  bool main_guard =
      source.find("__name__") != std::string_view::npos && source.find("__main__") != std::string_view::npos;
  if (!notebook && imports_framework && (trains || main_guard)) candidates.emplace_back(path, trains);
}

CodeFacts gather(const Snapshot& snapshot, const std::string& project) {
  CodeFacts facts;
  std::vector<std::pair<std::string, bool>> candidates;  // entry point, calls fit/train
  std::string prefix = project == "." ? "" : project + "/";
  for (const auto& f : snapshot.files()) {
    if (!f.path.starts_with(prefix) || f.oversized || f.lfs_pointer || f.size > kMaxSourceBytes) continue;
    bool py = f.path.ends_with(".py"), nb = f.path.ends_with(".ipynb");
    if ((!py && !nb) || is_test_file(f.path)) continue;
    if (facts.files_read >= kMaxSourceFiles) {
      facts.truncated = true;
      break;
    }
    ReadResult r = snapshot.read(f, kMaxSourceBytes);
    if (r.error) continue;
    ++facts.files_read;
    std::string rel = f.path.substr(prefix.size());
    if (py) {
      scan_source(rel, r.bytes, false, nullptr, facts, candidates);
    } else {
      NotebookResult n = extract_notebook(r.bytes);
      if (n.error.empty()) scan_source(rel, n.code.source, true, &n.code.lines, facts, candidates);
    }
  }
  // Prefer train*.py; among those (or all, when none is so named) the ones that call fit/train.
  std::vector<std::pair<std::string, bool>> preferred;
  for (const auto& c : candidates)
    if (base_name(c.first).starts_with("train")) preferred.push_back(c);
  if (preferred.empty()) preferred = candidates;
  bool any_trains = std::any_of(preferred.begin(), preferred.end(), [](const auto& c) { return c.second; });
  for (const auto& [path, trains] : preferred)
    if ((trains || !any_trains) && facts.entry_points.size() < kMaxEntryPoints)
      facts.entry_points.push_back(path);
  std::sort(facts.entry_points.begin(), facts.entry_points.end());
  return facts;
}

// --- What the repository holds --------------------------------------------------------------

struct RepoFacts {
  std::set<std::string> files;  // project-relative paths
  std::map<std::string, const FileEntry*> entries;
  bool git = false;
  bool has_tests = false;
};

RepoFacts list_repo(const Snapshot& snapshot, const std::string& project) {
  RepoFacts r;
  r.git = snapshot.kind() == "git";
  std::string prefix = project == "." ? "" : project + "/";
  for (const auto& f : snapshot.files()) {
    if (!f.path.starts_with(prefix)) continue;
    std::string rel = f.path.substr(prefix.size());
    r.files.insert(rel);
    r.entries[rel] = &f;
    if (is_test_file(rel)) r.has_tests = true;
  }
  return r;
}

std::string human_size(uint64_t bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double v = static_cast<double>(bytes);
  size_t u = 0;
  while (v >= 1024 && u + 1 < std::size(units)) {
    v /= 1024;
    ++u;
  }
  if (u == 0) return std::to_string(bytes) + " B";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
  return buf;
}

// A Markdown code span that survives backticks in the text.
std::string code_span(const std::string& s) {
  std::string ticks = s.find('`') == std::string::npos ? "`" : "``";
  return ticks + (ticks.size() > 1 ? " " : "") + s + (ticks.size() > 1 ? " " : "") + ticks;
}

std::string title_name(const ScaffoldRequest& req) {
  return req.project_name.empty() ? "project" : req.project_name;
}

// --- The files ------------------------------------------------------------------------------

ScaffoldFile model_card(const CodeFacts& code, const ScaffoldRequest& req, bool data_card_too) {
  ScaffoldFile f{"MODEL_CARD.md", "", "DOC002", {}, ""};
  std::string s = "# Model card: " + title_name(req) + "\n\n";
  s += "<!-- Started by `mlops-lint fix --scaffold DOC002`. The facts below were read from the code: check\n"
       "     them. Every TODO needs someone who knows the model. -->\n\n";
  s += "## Model details\n\n";
  std::string frameworks;
  for (const auto& fw : code.frameworks) frameworks += (frameworks.empty() ? "" : ", ") + fw;
  s += "- Framework(s): " + (frameworks.empty() ? "TODO: none found in the imports" : frameworks) + "\n";
  if (!code.model_classes.empty()) {
    std::string models;
    for (const auto& m : code.model_classes) models += (models.empty() ? "" : ", ") + code_span(m);
    s += "- Model class(es): " + models + "\n";
  }
  if (code.entry_points.empty()) {
    s += "- Training entry point: TODO: no script that imports a framework and trains was found\n";
    f.still_to_fill.push_back("the training entry point (none found)");
  } else {
    s += "- Training entry point(s):";
    for (const auto& e : code.entry_points) s += " " + code_span("python " + e);
    s += "\n";
  }
  s += "- TODO: version, owners, date, licence, where the trained model is stored\n\n";
  s += "## Intended use\n\nTODO: what the model is for, who uses it, and uses it is not meant for.\n\n";
  s += "## Training data\n\n";
  if (code.data_reads.empty()) {
    s += "- TODO: no data path found in the code; say what the model is trained on\n";
    f.still_to_fill.push_back("the training data (no data path found in the code)");
  } else {
    s += "Read by the code:\n\n";
    size_t n = 0;
    for (const auto& [path, where] : code.data_reads) {
      if (n++ == kMaxListed) {
        s += "- ... and " + std::to_string(code.data_reads.size() - kMaxListed) + " more\n";
        break;
      }
      s += "- " + code_span(path) + " (" + where + ")\n";
    }
  }
  if (data_card_too) s += "\nSee DATA_CARD.md.\n";
  s += "\nTODO: time range, size, how it was split into training, validation and test data.\n\n";
  s += "## Metrics\n\n";
  if (code.metrics.empty()) {
    s += "- TODO: no logged metric found in the code; name the metrics and why they fit the use\n";
    f.still_to_fill.push_back("the metrics (none found logged in the code)");
  } else {
    s += "Logged or printed by the code:\n\n";
    for (const auto& [name, where] : code.metrics) s += "- " + code_span(name) + " (" + where + ")\n";
    s += "\nTODO: the values the released model reaches, and the threshold it must meet.\n";
  }
  s += "\n## Evaluation data\n\nTODO: which data the metrics were measured on and how it differs from the "
       "training data.\n\n";
  s += "## Limitations\n\nTODO: where the model is known to fail or was not tested (populations, time "
       "ranges, input ranges).\n\n";
  s += "## Ethical considerations\n\nTODO: affected people, fairness checks done, personal data, risks "
       "of misuse.\n";
  f.contents = std::move(s);
  f.still_to_fill.insert(f.still_to_fill.end(),
                         {"intended use", "metric values and thresholds", "evaluation data", "limitations",
                          "ethical considerations", "version, owners and licence"});
  return f;
}

ScaffoldFile data_card(const RepoFacts& repo, const CodeFacts& code, const ScaffoldRequest& req) {
  ScaffoldFile f{"DATA_CARD.md", "", "DOC003", {}, ""};
  // Data files and how each is versioned; a .dvc file stands for the data it tracks.
  std::map<std::string, std::pair<std::string, std::string>> data;  // path -> size, versioning
  for (const auto& rel : repo.files) {
    if (has_control(rel)) continue;  // a file name with a newline would break the table
    if (rel.ends_with(".dvc") && base_name(rel) != ".dvc") {
      std::string target = rel.substr(0, rel.size() - 4);
      data[target] = {"", "DVC (" + code_span(rel) + ")"};
    }
  }
  for (const auto& rel : repo.files) {
    if (rel.starts_with(".") || rel.find("/.") != std::string::npos || has_control(rel))
      continue;  // .dvc/ ...
    if (is_test_file(rel) || rel.starts_with("tests/")) continue;
    std::string ext = extension(rel);
    std::string_view name = base_name(rel);
    bool candidate = data_extensions().count(ext) ||
                     (under_data_dir(rel) && !model_extensions().count(ext) && ext != "dvc" && ext != "md" &&
                      ext != "py" && !lower(name).starts_with("readme"));
    if (!candidate || data.count(rel)) continue;
    const FileEntry* e = repo.entries.at(rel);
    std::string how = e->lfs_pointer || e->lfs_tracked ? "Git LFS"
                      : e->tracked                     ? "git"
                      : repo.git                       ? "not tracked: untracked in git"
                                                       : "not tracked: no git repository";
    data[rel] = {human_size(e->size), how};
  }
  std::string s = "# Data card: " + title_name(req) + "\n\n";
  s += "<!-- Started by `mlops-lint fix --scaffold DOC003`. The file list was read from the repository: "
       "check it.\n     Every TODO needs someone who knows the data. -->\n\n";
  s += "## Files\n\n";
  if (data.empty()) {
    s += "TODO: no data file found in the repository; say where the data lives (bucket, database, DVC "
         "remote) and how it is versioned.\n";
    f.still_to_fill.push_back("where the data lives (no data file found)");
  } else {
    s += "| file | size | versioned with |\n|---|---|---|\n";
    size_t n = 0;
    for (const auto& [path, info] : data) {
      if (n++ == kMaxListed) {
        s += "\n... and " + std::to_string(data.size() - kMaxListed) + " more.\n";
        break;
      }
      std::string cell = code_span(path);
      for (size_t at = cell.find('|'); at != std::string::npos; at = cell.find('|', at + 2))
        cell.insert(at, "\\");
      s += "| " + cell + " | " + (info.first.empty() ? "-" : info.first) + " | " + info.second + " |\n";
    }
  }
  if (!code.data_reads.empty()) {
    s += "\nPaths the code reads:";
    size_t n = 0;
    for (const auto& [path, where] : code.data_reads) {
      if (n++ == kMaxListed) break;
      s += " " + code_span(path);
    }
    s += "\n";
  }
  s +=
      "\n## Source\n\nTODO: where the data comes from (system, vendor, public dataset and its URL), the time "
      "range it covers, and who owns it.\n\n";
  s += "## Licence and terms of use\n\nTODO: the licence or agreement that allows this use, and consent "
       "where people are concerned.\n\n";
  s += "## Collection and preprocessing\n\nTODO: how the data was collected, filtered, labelled and "
       "cleaned, and by which code.\n\n";
  s += "## Splits\n\nTODO: how training, validation and test data are separated (by time, by user, at "
       "random with a seed) and their sizes.\n\n";
  s += "## Personal and sensitive data\n\nTODO: which fields identify people or are sensitive, and how "
       "they are protected.\n\n";
  s += "## Known gaps and biases\n\nTODO: who or what is under-represented, known label noise, drift.\n";
  f.contents = std::move(s);
  f.still_to_fill.insert(f.still_to_fill.end(), {"source", "licence", "collection and preprocessing",
                                                 "splits", "personal data", "known gaps and biases"});
  return f;
}

// "3.11" from text that declares a Python version after `key` (">=3.9", "^3.10", "3.11.4").
std::optional<std::string> version_after(std::string_view text, std::string_view key) {
  size_t at = text.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  size_t end = text.find('\n', at);
  std::string_view line =
      text.substr(at + key.size(), end == std::string_view::npos ? end : end - at - key.size());
  for (size_t i = 0; i + 2 < line.size(); ++i) {
    if (line[i] != '3' || line[i + 1] != '.' || !std::isdigit(static_cast<unsigned char>(line[i + 2])))
      continue;
    if (i > 0 && (std::isdigit(static_cast<unsigned char>(line[i - 1])) || line[i - 1] == '.')) continue;
    size_t j = i + 2;
    while (j < line.size() && std::isdigit(static_cast<unsigned char>(line[j]))) ++j;
    return std::string(line.substr(i, j - i));
  }
  return std::nullopt;
}

std::optional<std::string> read_small(const Snapshot& snapshot, const RepoFacts& repo,
                                      const std::string& rel) {
  auto it = repo.entries.find(rel);
  if (it == repo.entries.end() || it->second->oversized) return std::nullopt;
  ReadResult r = snapshot.read(*it->second, 1 << 20);
  if (r.error) return std::nullopt;
  return r.bytes;
}

// The Python version the project declares, and where.
std::optional<std::pair<std::string, std::string>> declared_python(const Snapshot& snapshot,
                                                                   const RepoFacts& repo) {
  const std::vector<std::pair<std::string, std::string>> sources = {
      {".python-version", ""},          {"pyproject.toml", "requires-python"},
      {"pyproject.toml", "python ="},   {"setup.py", "python_requires"},
      {"setup.cfg", "python_requires"}, {"environment.yml", "python="},
      {"environment.yaml", "python="},  {"runtime.txt", "python-"}};
  for (const auto& [file, key] : sources) {
    auto text = read_small(snapshot, repo, file);
    if (!text) continue;
    if (auto v = version_after(*text, key)) return std::make_pair(*v, file);
  }
  return std::nullopt;
}

ScaffoldFile ci_file(const Snapshot& snapshot, const RepoFacts& repo, const ScaffoldRequest& req,
                     const std::string& rule_id, bool ci_exists) {
  bool gitlab = req.ci == CiProvider::GitLab;
  ScaffoldFile f{gitlab      ? ".gitlab-ci.yml"
                 : ci_exists ? ".github/workflows/tests.yml"
                             : ".github/workflows/ci.yml",
                 "",
                 rule_id,
                 {},
                 ""};
  if (!req.at_repository_root || (req.project != "." && !req.project.empty())) {
    f.skip_reason = "CI configuration belongs at the root of the git repository; run `fix --scaffold` there";
    f.still_to_fill.push_back(
        "a CI job at the repository root that installs this project and runs its tests");
    return f;
  }
  std::vector<std::string> install = {"python -m pip install --upgrade pip"};
  std::vector<std::string> todo_comments;
  for (const auto& rel : repo.files)
    if (rel.find('/') == std::string::npos && rel.starts_with("requirements") && rel.ends_with(".txt"))
      install.push_back("pip install -r " + rel);
  bool package = false;
  if (auto py = read_small(snapshot, repo, "pyproject.toml"))
    package = py->find("[project]") != std::string::npos || py->find("[tool.poetry]") != std::string::npos;
  package = package || repo.files.count("setup.py") || repo.files.count("setup.cfg");
  if (package) install.push_back("pip install .");
  bool conda = repo.files.count("environment.yml") || repo.files.count("environment.yaml");
  if (install.size() == 1) {
    if (conda) {
      todo_comments.push_back(
          "TODO: the dependencies are in a conda environment file: install it\n#   (e.g. with "
          "conda-incubator/setup-miniconda) instead of pip");
      f.still_to_fill.push_back("installing the conda environment (environment.yml) in CI");
    } else {
      todo_comments.push_back(
          "TODO: no dependency manifest found (requirements.txt, pyproject.toml):\n#   "
          "declare the dependencies and install them here");
      f.still_to_fill.push_back("installing the dependencies (no manifest found)");
    }
  }
  std::vector<std::string> test_steps;
  if (repo.has_tests) {
    install.push_back("pip install pytest");
    test_steps.push_back("python -m pytest");
  } else {
    todo_comments.push_back(
        "TODO: no tests found: add tests (tests/test_*.py) and run them here with\n#   "
        "`python -m pytest` instead of only compiling the sources");
    test_steps.push_back("python -m compileall -q .");
    f.still_to_fill.push_back(
        "tests: none found, so CI only compiles the code; add tests and a "
        "`python -m pytest` step (CI002 counts once tests exist)");
  }
  std::string version = "3.11";
  if (auto declared = declared_python(snapshot, repo)) {
    version = declared->first;
  } else {
    f.still_to_fill.push_back("the Python version: 3.11 assumed, none is declared");
  }

  std::string s = "# CI for " + title_name(req) + ", started by `mlops-lint fix --scaffold " + rule_id +
                  "`.\n# It installs the declared dependencies and runs the tests on every push and " +
                  (gitlab ? "merge request" : "pull request") + ".\n# Review it before committing.\n";
  for (const auto& t : todo_comments) s += "# " + t + "\n";
  if (gitlab) {
    s += "test:\n  image: python:" + version + "\n  script:\n";
    for (const auto& c : install) s += "    - " + c + "\n";
    for (const auto& c : test_steps) s += "    - " + c + "\n";
  } else {
    s += "name: " + std::string(ci_exists ? "tests" : "ci") +
         "\non:\n  push:\n  pull_request:\npermissions:\n  contents: read\njobs:\n  test:\n"
         "    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
         "      - uses: actions/setup-python@v5\n        with:\n          python-version: \"" +
         version + "\"\n      - name: Install dependencies\n        run: |\n";
    for (const auto& c : install) s += "          " + c + "\n";
    s += "      - name: Run tests\n        run: |\n";
    for (const auto& c : test_steps) s += "          " + c + "\n";
  }
  f.contents = std::move(s);
  return f;
}

ScaffoldFile pre_commit_file(const ScaffoldRequest& req) {
  ScaffoldFile f{".pre-commit-config.yaml", "", "LNT001", {}, ""};
  std::string version = req.tool_version.empty() ? "0.2.0" : req.tool_version;
  f.contents =
      "# pre-commit hooks, started by `mlops-lint fix --scaffold LNT001`. Run `pre-commit install` once;\n"
      "# the hooks then run on every commit (`pre-commit run --all-files` runs them now). Run\n"
      "# `pre-commit autoupdate` to move to the latest revisions. Add `- id: ruff-format` to format too.\n"
      "repos:\n"
      "  - repo: https://github.com/astral-sh/ruff-pre-commit\n"
      "    rev: v0.6.9\n"
      "    hooks:\n"
      "      - id: ruff\n"
      "  - repo: https://github.com/mlops-lint/mlops-lint\n"
      "    rev: v" +
      version +
      "\n"
      "    hooks:\n"
      "      - id: mlops-lint\n";
  f.still_to_fill = {"run `pre-commit install` (and `pre-commit autoupdate` for the latest revisions)",
                     "ruff settings, if the defaults do not suit: [tool.ruff] in pyproject.toml"};
  return f;
}

ScaffoldFile params_file(const CodeFacts& code) {
  ScaffoldFile f{"params.yaml", "", "CFG001", {}, ""};
  std::string s =
      "# Hyperparameters found as literals in the code, started by `mlops-lint fix --scaffold CFG001`.\n"
      "# NOT WIRED IN YET: the code still uses its own literals. Load this file in training (e.g.\n"
      "# `params = yaml.safe_load(open(\"params.yaml\"))`) and pass each group to its constructor.\n";
  // One group per kind when there is one constructor of that kind, else a key per constructor.
  std::map<std::string, size_t> per_group;
  for (const auto& m : code.models) ++per_group[m.group];
  std::set<std::string> used;
  for (const auto& m : code.models) {
    std::string key = per_group[m.group] == 1 ? m.group : m.group + "_" + snake_case(m.class_name);
    std::string unique = key;
    for (int n = 2; used.count(unique); ++n) unique = key + "_" + std::to_string(n);
    used.insert(unique);
    s += "\n# " + m.class_name + " at " + m.where + "\n" + unique + ":\n";
    for (const auto& [k, v] : m.params) s += "  " + k + ": " + v + "\n";
  }
  if (code.models.empty()) {
    s += "\n# TODO: no model constructor with literal keyword arguments was found; list the\n"
         "# hyperparameters here.\nmodel: {}\n";
    f.still_to_fill.push_back("the hyperparameters (no literal constructor arguments found)");
  }
  f.contents = std::move(s);
  f.still_to_fill.push_back("read params.yaml in the training code and pass its values (not wired in yet)");
  return f;
}

const RuleResult* find_result(const CheckResult& result, const std::string& project, const std::string& id) {
  for (const auto& p : result.projects) {
    if (p.root != project) continue;
    for (const auto& r : p.results)
      if (r.rule_id == id) return &r;
  }
  return nullptr;
}

}  // namespace

const std::vector<std::string>& scaffoldable_rules() {
  return kScaffoldable;
}

std::vector<ScaffoldFile> plan_scaffolds(const Snapshot& snapshot, const CheckResult& result,
                                         const RuleSet& rules, const ScaffoldRequest& request) {
  const std::string project = request.project.empty() ? "." : request.project;
  std::set<std::string> wanted;
  if (request.missing) {
    for (const auto& id : kScaffoldable)
      if (const RuleResult* r = find_result(result, project, id); r && r->outcome == Outcome::Fail)
        wanted.insert(id);
  } else {
    for (const auto& id : request.ids)
      if (std::find(kScaffoldable.begin(), kScaffoldable.end(), id) != kScaffoldable.end()) wanted.insert(id);
  }
  // A rule the loaded rule set lacks has no outcome to report on: nothing to scaffold for it.
  for (auto it = wanted.begin(); it != wanted.end();) it = rules.find(*it) ? std::next(it) : wanted.erase(it);
  if (wanted.empty()) return {};

  RepoFacts repo = list_repo(snapshot, project);
  CodeFacts code;
  if (wanted.count("DOC002") || wanted.count("DOC003") || wanted.count("CFG001"))
    code = gather(snapshot, project);

  std::vector<ScaffoldFile> out;
  if (wanted.count("DOC002")) out.push_back(model_card(code, request, wanted.count("DOC003") > 0));
  if (wanted.count("DOC003")) out.push_back(data_card(repo, code, request));
  if (wanted.count("CI001") || wanted.count("CI002")) {
    // CI001 asks for CI; CI002 alone (CI exists but runs no tests) gets a workflow beside it.
    const RuleResult* ci = find_result(result, project, "CI001");
    bool ci_exists = !wanted.count("CI001") && ci && ci->outcome == Outcome::Pass;
    out.push_back(ci_file(snapshot, repo, request, wanted.count("CI001") ? "CI001" : "CI002", ci_exists));
  }
  if (wanted.count("LNT001")) out.push_back(pre_commit_file(request));
  if (wanted.count("CFG001")) out.push_back(params_file(code));

  for (auto& f : out) {
    if (code.truncated)
      f.still_to_fill.push_back("only the first " + std::to_string(kMaxSourceFiles) +
                                " source files were read: check the lists");
    if (f.skip_reason.empty() && repo.files.count(f.path)) {
      f.skip_reason = "already exists; not overwritten";
      if (f.rule_id == "CI002" || (f.rule_id == "CI001" && request.ci == CiProvider::GitLab))
        f.still_to_fill = {"add a job that runs `python -m pytest` to " + f.path};
      else
        f.still_to_fill.clear();
    }
    if (!f.skip_reason.empty()) f.contents.clear();
    f.path = in_project(project, f.path);
  }
  return out;
}

}  // namespace mlops
