// Practice scaffolds: what the code says about a project (frameworks, training entry points,
// logged metrics, data read, model hyperparameters) gathered from the Python and notebook facts,
// and what the repository holds (files, tests). Pure: reads only through the snapshot.
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string_view>

#include "analysers/notebook.h"
#include "analysers/python_analyser.h"
#include "fix/scaffold_parts.h"

namespace mlops::scaffold_detail {

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

namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

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

namespace {

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

}  // namespace

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

}  // namespace mlops::scaffold_detail
