// Lazily parsed views of one file: each format parsed at most once, its errors diagnosed once.
#include "analysers/parsed_file.h"

#include "analysers/lock_files.h"
#include "analysers/python_lexer.h"
#include "util/toml_guard.h"
#include "util/yaml_load.h"

namespace mlops {

ParsedFile::ParsedFile(const FileEntry& file, std::string_view bytes, FileFacts& facts, bool as_requirements)
    : file_(file),
      bytes_(bytes),
      facts_(facts),
      kind_(as_requirements ? ManifestKind::Requirements : manifest_kind(file.path)) {}

const NotebookCode* ParsedFile::notebook() {
  if (!notebook_done_) {
    notebook_done_ = true;
    NotebookResult nb = extract_notebook(bytes_);
    for (auto& note : nb.notes)
      facts_.diagnostics.push_back({{file_.path, note.line, 0}, std::move(note.message)});
    if (!nb.error.empty()) {
      facts_.diagnostics.push_back({{file_.path, nb.error_line, 0}, nb.error});
      facts_.unreadable = true;
    } else {
      notebook_ = std::move(nb.code);
    }
  }
  return notebook_ ? &*notebook_ : nullptr;
}

// Blanks the code cells of `nb` that do not parse on their own (their lines become spaces, so
// that line numbers stay): Jupyter runs none of such a cell, and in the joined source its error
// would make the parser misread the cells after it. Returns the blanked cells.
static std::vector<int> blank_broken_cells(NotebookCode& nb) {
  std::vector<int> blanked;
  size_t line = 0, offset = 0;  // index into nb.lines, and the byte offset where that line starts
  const std::string& src = nb.source;
  while (line < nb.lines.size() && offset <= src.size()) {
    const int cell = nb.lines[line].cell;
    const size_t begin = offset;
    while (line < nb.lines.size() && nb.lines[line].cell == cell && offset <= src.size()) {
      const size_t nl = src.find('\n', offset);
      offset = nl == std::string::npos ? src.size() + 1 : nl + 1;
      ++line;
    }
    const size_t end = std::min(offset, src.size());
    if (!python_parses(std::string_view(src).substr(begin, end - begin))) {
      for (size_t i = begin; i < end; ++i)
        if (nb.source[i] != '\n') nb.source[i] = ' ';
      blanked.push_back(cell);
    }
  }
  return blanked;
}

const PythonParse* ParsedFile::python_parse() {
  if (!parse_done_) {
    parse_done_ = true;
    if (file_.path.ends_with(".ipynb")) {
      if (notebook()) {
        parse_.emplace(notebook_->source);
        // Blanking keeps every byte offset, so the first parse stands when no cell is blanked
        // (its error comes from the joined source only).
        const std::vector<int> blanked =
            parse_->has_error() ? blank_broken_cells(*notebook_) : std::vector<int>{};
        if (!blanked.empty()) {
          parse_.reset();
          for (int cell : blanked) {
            int at = 1;
            for (const auto& c : notebook_->cells)
              if (c.cell == cell) at = c.file_line;
            facts_.diagnostics.push_back({{file_.path, at, 0, cell, 1},
                                          "Python syntax error in this cell; it was left out of the analysis "
                                          "(Jupyter runs none of a cell that does not parse)"});
          }
          parse_.emplace(notebook_->source);
        }
      }
    } else {
      parse_.emplace(bytes_);
    }
  }
  return parse_ ? &*parse_ : nullptr;
}

const PythonFacts* ParsedFile::python() {
  if (!python_done_) {
    python_done_ = true;
    const PythonParse* parse = python_parse();
    if (!parse) return nullptr;
    python_ = parse->facts(python_wanted_);
    if (python_->truncated_after > 0)
      diagnose(1, "analysis stopped after " + std::to_string(python_->truncated_after) +
                      " syntax nodes; findings in this file may be incomplete");
    if (python_->first_error_line > 0) {
      Match at = locate(python_->first_error_line, 1);
      facts_.diagnostics.push_back(
          {{file_.path, at.line, 0, at.cell, at.cell_line},
           "Python syntax error; the rest of the file was analysed as far as it could be read"});
    }
  }
  return python_ ? &*python_ : nullptr;
}

std::optional<std::string_view> ParsedFile::python_source() {
  if (!file_.path.ends_with(".ipynb")) return bytes_;
  if (const NotebookCode* nb = notebook()) return std::string_view(nb->source);
  return std::nullopt;
}

bool ParsedFile::scan_imports_only() {
  if (python_done_ || parse_done_ || file_.path.ends_with(".ipynb")) return false;
  auto imports = scan_python_imports(bytes_);
  if (!imports) return false;
  python_done_ = true;
  python_.emplace();
  python_->imports = std::move(*imports);
  return true;
}

void ParsedFile::diagnose(int line, std::string message) {
  facts_.diagnostics.push_back({{file_.path, line, 0}, std::move(message)});
}

Match ParsedFile::locate(int line, int column) const {
  if (!notebook_) return {line, column, 0, 0, {}};
  if (line < 1 || line > static_cast<int>(notebook_->lines.size())) return {1, 0, 0, 0, {}};
  const NotebookLine& nl = notebook_->lines[static_cast<size_t>(line - 1)];
  return {nl.file_line, 0, nl.cell, nl.cell_line, {}};
}

const std::vector<YAML::Node>* ParsedFile::yaml() {
  const auto* docs = yaml_quiet();
  if (!yaml_error_.empty()) {
    facts_.diagnostics.push_back({{file_.path, yaml_error_line_, yaml_error_column_}, yaml_error_});
    facts_.unreadable = true;
    yaml_error_.clear();  // reported once
  }
  return docs;
}

const std::vector<YAML::Node>* ParsedFile::yaml_quiet() {
  if (!yaml_done_) {
    yaml_done_ = true;
    YamlLoadResult loaded = load_yaml_documents(bytes_);
    if (loaded.error.empty()) {
      yaml_ = std::move(loaded.documents);
    } else {
      yaml_error_ = std::move(loaded.error);
      yaml_error_line_ = loaded.line;
      yaml_error_column_ = loaded.column;
    }
  }
  return yaml_ ? &*yaml_ : nullptr;
}

const toml::table* ParsedFile::toml() {
  if (!toml_done_) {
    toml_done_ = true;
    if (auto deep = check_toml_depth(bytes_)) {
      facts_.diagnostics.push_back({{file_.path, deep->line, 0}, std::move(deep->message)});
      facts_.unreadable = true;
      return nullptr;
    }
    try {
      toml_ = toml::parse(bytes_, file_.path);
    } catch (const toml::parse_error& err) {
      facts_.diagnostics.push_back({{file_.path, static_cast<int>(err.source().begin.line),
                                     static_cast<int>(err.source().begin.column)},
                                    "invalid TOML: " + std::string(err.description())});
      facts_.unreadable = true;
    }
  }
  return toml_ ? &*toml_ : nullptr;
}

const std::vector<Dependency>& ParsedFile::locks() {
  if (!locks_) {
    locks_.emplace();
    std::string error;
    switch (lock_kind(file_.path)) {
      case LockKind::TomlPackages:
        if (auto* t = toml()) *locks_ = read_toml_lock(*t, error);
        break;
      case LockKind::PipfileLock:
        *locks_ = read_pipfile_lock(bytes_, error);
        break;
      case LockKind::CondaLock:
      case LockKind::PixiLock:
        if (auto* docs = yaml()) *locks_ = read_yaml_lock(*docs, lock_kind(file_.path), error);
        break;
      case LockKind::RequirementsLock:
        *locks_ = read_requirements(bytes_);
        for (auto& d : *locks_) d.pinned = true;  // generated by the tool: exact by construction
        break;
      case LockKind::None:
        break;
    }
    if (!error.empty()) facts_.diagnostics.push_back({{file_.path, 1, 0}, error});
  }
  return *locks_;
}

const DockerfileResult& ParsedFile::dockerfile() {
  if (!dockerfile_) {
    dockerfile_ = read_dockerfile(bytes_);
    for (const auto& [line, problem] : dockerfile_->problems)
      facts_.diagnostics.push_back({{file_.path, line, 0}, problem});
  }
  return *dockerfile_;
}

std::optional<DfCode> ParsedFile::dataflow_code() {
  const PythonParse* parse = python_parse();
  if (!parse) return std::nullopt;
  return DfCode{parse, file_.path.ends_with(".ipynb") ? notebook() : nullptr};
}

const DfAnswers* ParsedFile::dataflow() {
  if (!dataflow_done_) {
    dataflow_done_ = true;
    if (auto code = dataflow_code()) dataflow_ = ml_questions(*code);
  }
  return dataflow_ ? &*dataflow_ : nullptr;
}

const std::vector<Dependency>& ParsedFile::deps() {
  if (!deps_) {
    deps_.emplace();
    switch (kind_) {
      case ManifestKind::Requirements:
        *deps_ = read_requirements(bytes_);
        break;
      case ManifestKind::Pyproject:
        if (auto* t = toml()) *deps_ = read_pyproject(*t);
        break;
      case ManifestKind::Pipfile:
        if (auto* t = toml()) *deps_ = read_pipfile(*t);
        break;
      case ManifestKind::CondaEnv:
        if (auto* docs = yaml())
          for (const auto& d : *docs) {
            auto more = read_conda_env(d);
            deps_->insert(deps_->end(), more.begin(), more.end());
          }
        break;
      case ManifestKind::SetupPy:
        *deps_ = read_setup_py(bytes_);
        break;
      case ManifestKind::SetupCfg:
        *deps_ = read_setup_cfg(bytes_);
        break;
      case ManifestKind::None:
        break;
    }
  }
  return *deps_;
}

}  // namespace mlops
