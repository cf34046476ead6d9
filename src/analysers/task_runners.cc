// Reading task-runner scripts out of parsed TOML.
#include "analysers/task_runners.h"

#include <map>
#include <sstream>
#include <string>

#include "util/strings.h"

namespace mlops {
namespace {

constexpr size_t kMaxCommands = 2000;

struct Script {
  std::vector<std::pair<std::string, int>> commands;  // command line, file line
};
using Scripts = std::map<std::string, Script>;

int line_of(const toml::node& n) {
  return static_cast<int>(n.source().begin.line);
}

// A string, or an array of strings, as command lines.
void add_strings(const toml::node& n, Script& s) {
  if (auto str = n.value<std::string>()) {
    s.commands.push_back({trim(*str), line_of(n)});
  } else if (const toml::array* a = n.as_array()) {
    for (const auto& item : *a)
      if (auto str = item.value<std::string>()) s.commands.push_back({trim(*str), line_of(item)});
  }
}

// `first` of "first rest..." and of each `&&` / `;` segment.
std::vector<std::string> segment_heads(const std::string& cmd) {
  std::vector<std::string> out;
  std::istringstream ss(cmd);
  std::string w;
  bool head = true;
  std::vector<std::string> words;
  while (ss >> w) words.push_back(w);
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word == "&&" || word == ";" || word == "||") {
      head = true;
      continue;
    }
    if (head) {
      out.push_back(word);
      // `task other`, `poe other`, `pdm run other`, `hatch run other`: the word after the runner.
      size_t k = i + 1;
      if ((word == "pdm" || word == "hatch" || word == "mise") && k < words.size() &&
          (words[k] == "run" || (word == "mise" && words[k] == "r")))
        ++k;
      if ((word == "task" || word == "poe" || word == "pdm" || word == "hatch" || word == "mise") &&
          k < words.size())
        out.push_back(words[k]);
    }
    head = false;
  }
  return out;
}

// Each script's commands, with commands that name a sibling script followed one level.
void emit(const Scripts& scripts, Runner runner, const std::string& scope_prefix,
          std::vector<CiCommand>& out) {
  for (const auto& [name, script] : scripts) {
    for (const auto& [cmd, line] : script.commands) {
      if (out.size() >= kMaxCommands) return;
      out.push_back({scope_prefix + name, cmd, line, runner});
      for (const auto& head : segment_heads(cmd)) {
        auto it = scripts.find(head);
        if (it == scripts.end() || it->first == name) continue;
        for (const auto& [sub, sub_line] : it->second.commands)
          if (out.size() < kMaxCommands) out.push_back({scope_prefix + name, sub, sub_line, runner});
      }
    }
  }
}

const toml::table* table_at(const toml::table& doc, std::initializer_list<const char*> path) {
  const toml::table* t = &doc;
  for (const char* key : path) {
    const toml::node* n = t->get(key);
    t = n ? n->as_table() : nullptr;
    if (!t) return nullptr;
  }
  return t;
}

// [envs.<env>.scripts] tables under `envs`.
void hatch_envs(const toml::table* envs, std::vector<CiCommand>& out) {
  if (!envs) return;
  for (const auto& [env, node] : *envs) {
    const toml::table* t = node.as_table();
    const toml::node* scripts_node = t ? t->get("scripts") : nullptr;
    const toml::table* st = scripts_node ? scripts_node->as_table() : nullptr;
    if (!st) continue;
    Scripts scripts;
    for (const auto& [name, value] : *st) add_strings(value, scripts[std::string(name.str())]);
    emit(scripts, Runner::Hatch, std::string(env.str()) + ":", out);
  }
}

// [tool.pdm.scripts]: "cmd", {cmd = ...}, {shell = ...}, {composite = [...]}, {call = ...}.
void pdm_scripts(const toml::table* t, std::vector<CiCommand>& out) {
  if (!t) return;
  Scripts scripts;
  for (const auto& [key, value] : *t) {
    std::string name(key.str());
    if (name.starts_with("_")) continue;  // shared settings
    Script& s = scripts[name];
    if (const toml::table* spec = value.as_table()) {
      for (const char* field : {"cmd", "shell", "composite"})
        if (const toml::node* n = spec->get(field)) add_strings(*n, s);
      if (auto call = spec->get("call") ? spec->get("call")->value<std::string>() : std::nullopt)
        s.commands.push_back({"python -c 'call " + *call + "'", line_of(*spec->get("call"))});
    } else {
      add_strings(value, s);
    }
  }
  emit(scripts, Runner::Pdm, "", out);
}

// [tool.poe.tasks]: "cmd", [sequence], {cmd | shell | script | sequence | ref = ...}.
void poe_tasks(const toml::table* t, std::vector<CiCommand>& out) {
  if (!t) return;
  Scripts scripts;
  for (const auto& [key, value] : *t) {
    Script& s = scripts[std::string(key.str())];
    if (const toml::table* spec = value.as_table()) {
      for (const char* field : {"cmd", "shell", "sequence", "ref"})
        if (const toml::node* n = spec->get(field)) add_strings(*n, s);
      if (const toml::node* n = spec->get("script"))
        if (auto str = n->value<std::string>())
          s.commands.push_back({"python -c 'script " + *str + "'", line_of(*n)});
    } else {
      add_strings(value, s);
    }
  }
  emit(scripts, Runner::Poe, "", out);
}

// [tool.taskipy.tasks]: "cmd" or {cmd = ...}; pre_X and post_X run around X.
void taskipy_tasks(const toml::table* t, std::vector<CiCommand>& out) {
  if (!t) return;
  Scripts scripts;
  for (const auto& [key, value] : *t) {
    Script& s = scripts[std::string(key.str())];
    const toml::table* spec = value.as_table();
    const toml::node* cmd = spec ? spec->get("cmd") : &value;
    if (cmd) add_strings(*cmd, s);
  }
  for (auto& [name, s] : scripts)
    for (const char* hook : {"pre_", "post_"}) {
      auto it = scripts.find(hook + name);
      if (it != scripts.end() && &it->second != &s)
        for (const auto& c : it->second.commands) s.commands.push_back(c);
    }
  emit(scripts, Runner::Taskipy, "", out);
}

}  // namespace

std::vector<CiCommand> mise_tasks(const toml::table& doc) {
  std::vector<CiCommand> out;
  const toml::table* t = table_at(doc, {"tasks"});
  if (!t) return out;
  Scripts scripts;
  std::map<std::string, std::vector<std::string>> depends;
  for (const auto& [key, value] : *t) {
    const std::string name(key.str());
    Script& s = scripts[name];
    if (const toml::table* spec = value.as_table()) {
      if (const toml::node* run = spec->get("run")) add_strings(*run, s);
      if (const toml::node* deps = spec->get("depends")) {
        Script names;
        add_strings(*deps, names);
        for (const auto& [dep, line] : names.commands) depends[name].push_back(dep);
      }
    } else {
      add_strings(value, s);  // `lint = "ruff check ."`
    }
  }
  // A task's dependencies run before it: their commands are part of running it.
  for (const auto& [name, deps] : depends)
    for (const auto& dep : deps) {
      auto it = scripts.find(dep);
      if (it == scripts.end() || it->first == name) continue;
      for (const auto& c : it->second.commands) scripts[name].commands.push_back(c);
    }
  emit(scripts, Runner::Mise, "", out);
  return out;
}

std::vector<CiCommand> pyproject_scripts(const toml::table& doc) {
  std::vector<CiCommand> out;
  hatch_envs(table_at(doc, {"tool", "hatch", "envs"}), out);
  pdm_scripts(table_at(doc, {"tool", "pdm", "scripts"}), out);
  poe_tasks(table_at(doc, {"tool", "poe", "tasks"}), out);
  taskipy_tasks(table_at(doc, {"tool", "taskipy", "tasks"}), out);
  return out;
}

std::vector<CiCommand> hatch_toml_scripts(const toml::table& doc) {
  std::vector<CiCommand> out;
  hatch_envs(table_at(doc, {"envs"}), out);
  return out;
}

}  // namespace mlops
