// The lazily parsed views of one file (notebook cells, Python, YAML, TOML, manifests, locks,
// Dockerfile) that the answer functions share: each format is parsed at most once per file, on
// first use, and its parse errors become the file's diagnostics.
#pragma once
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "analysers/dataflow.h"
#include "analysers/dockerfile.h"
#include "analysers/manifests.h"
#include "analysers/notebook.h"
#include "analysers/python_analyser.h"
#include "model/facts.h"
#include "repo/snapshot.h"

namespace mlops {

class ParsedFile {
 public:
  // `as_requirements`: read the file as a requirements file whatever its name.
  ParsedFile(const FileEntry& file, std::string_view bytes, FileFacts& facts, bool as_requirements);

  const FileEntry& file() const { return file_; }
  std::string_view bytes() const { return bytes_; }
  ManifestKind kind() const { return kind_; }

  // The notebook's code cells (without parsing their Python), or nullptr when unreadable.
  const NotebookCode* notebook();

  // Which of the optional Python facts the file's queries need; set before the first python().
  void want_python(unsigned bits) { python_wanted_ |= bits; }
  // The file's Python (a notebook's code cells), parsed once for facts and raw queries.
  const PythonParse* python_parse();
  const PythonFacts* python();
  // The Python source facts come from: a .py file's bytes, a notebook's code cells; nullopt for a
  // notebook that cannot be read.
  std::optional<std::string_view> python_source();
  // For a file only import queries ask about: its imports read by the import scanner instead of a
  // parse (python() then holds only them). False, changing nothing, when the scanner is unsure or
  // the file is a notebook.
  bool scan_imports_only();
  // Maps a line of the analysed Python source to the file (identity except for notebooks).
  Match locate(int line, int column) const;

  const std::vector<YAML::Node>* yaml();
  // Parses without reporting an error (for files whose YAML is only a guess).
  const std::vector<YAML::Node>* yaml_quiet();
  const toml::table* toml();
  // The packages a lock file pins; a lock that does not parse is diagnosed and pins nothing.
  const std::vector<Dependency>& locks();
  // The dependencies the file declares as a manifest of kind().
  const std::vector<Dependency>& deps();
  const DockerfileResult& dockerfile();
  // The data-flow questions' answers over the file's Python (a notebook as one program), computed
  // once for every Dataflow query of the file; nullptr when there is no Python.
  const DfAnswers* dataflow();
  // What a data-flow analysis of the file reads; nullopt when there is no Python.
  std::optional<DfCode> dataflow_code();

  void diagnose(int line, std::string message);

 private:
  const FileEntry& file_;
  std::string_view bytes_;
  FileFacts& facts_;
  ManifestKind kind_;
  bool python_done_ = false, parse_done_ = false, notebook_done_ = false, yaml_done_ = false,
       toml_done_ = false;
  unsigned python_wanted_ = 0;
  std::optional<PythonParse> parse_;
  std::optional<PythonFacts> python_;
  std::optional<NotebookCode> notebook_;
  std::optional<std::vector<YAML::Node>> yaml_;
  std::string yaml_error_;
  int yaml_error_line_ = 0, yaml_error_column_ = 0;
  std::optional<toml::table> toml_;
  std::optional<std::vector<Dependency>> deps_;
  std::optional<DockerfileResult> dockerfile_;
  bool dataflow_done_ = false;
  std::optional<DfAnswers> dataflow_;
  std::optional<std::vector<Dependency>> locks_;
};

}  // namespace mlops
