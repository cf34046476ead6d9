// Facts cache stored as one JSON file per scanned root.
#include "engine/facts_cache.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "util/hash.h"

namespace mlops {
namespace {

constexpr int kFormatVersion = 1;
constexpr uintmax_t kMaxCacheFileSize = 512ull * 1024 * 1024;

nlohmann::json to_json(const FileFacts& f) {
  nlohmann::json q = nlohmann::json::object();
  for (size_t i = 0; i < f.query_matches.size(); ++i) {
    if (f.query_matches[i].empty()) continue;
    nlohmann::json ms = nlohmann::json::array();
    for (const auto& m : f.query_matches[i])
      ms.push_back({m.line, m.column, m.cell, m.cell_line, m.text});
    q[std::to_string(i)] = std::move(ms);
  }
  nlohmann::json d = nlohmann::json::array();
  for (const auto& diag : f.diagnostics)
    d.push_back({diag.where.path, diag.where.line, diag.where.column, diag.where.cell,
                 diag.where.cell_line, diag.message});
  return {{"n", f.query_matches.size()}, {"q", std::move(q)}, {"d", std::move(d)}, {"b", f.binary}, {"u", f.unreadable}};
}

FileFacts from_json(const nlohmann::json& j) {
  FileFacts f;
  f.query_matches.resize(j.at("n").get<size_t>());
  for (const auto& [k, ms] : j.at("q").items()) {
    size_t i = std::stoul(k);
    if (i >= f.query_matches.size()) throw std::out_of_range("query index");
    for (const auto& m : ms)
      f.query_matches[i].push_back({m.at(0).get<int>(), m.at(1).get<int>(), m.at(2).get<int>(),
                                    m.at(3).get<int>(), m.at(4).get<std::string>()});
  }
  for (const auto& d : j.at("d"))
    f.diagnostics.push_back({{d.at(0).get<std::string>(), d.at(1).get<int>(), d.at(2).get<int>(),
                              d.at(3).get<int>(), d.at(4).get<int>()},
                             d.at(5).get<std::string>()});
  f.binary = j.at("b").get<bool>();
  f.unreadable = j.at("u").get<bool>();
  return f;
}

}  // namespace

FactsCache::FactsCache(std::string path, std::string ruleset_key)
    : path_(std::move(path)), ruleset_key_(std::move(ruleset_key)) {}

void FactsCache::load() {
  std::error_code ec;
  auto size = std::filesystem::file_size(path_, ec);
  if (ec || size > kMaxCacheFileSize) return;
  std::ifstream in(path_, std::ios::binary);
  try {
    nlohmann::json j = nlohmann::json::parse(in);
    if (j.at("version").get<int>() != kFormatVersion || j.at("ruleset").get<std::string>() != ruleset_key_)
      return;
    for (const auto& [k, v] : j.at("entries").items())
      old_.emplace(k, Entry{from_json(v), v.at("a").get<std::vector<size_t>>()});
  } catch (const std::exception&) {
    // A corrupt cache is not an error for the user: it is rebuilt from the files.
    old_.clear();
  }
}

bool FactsCache::save(std::string& error) const {
  nlohmann::json entries = nlohmann::json::object();
  {
    std::lock_guard lock(mu_);
    for (const auto& [k, v] : used_) {
      nlohmann::json e = to_json(v.facts);
      e["a"] = v.answered;
      entries[k] = std::move(e);
    }
  }
  nlohmann::json j = {{"version", kFormatVersion}, {"ruleset", ruleset_key_}, {"entries", entries}};
  std::error_code ec;
  std::filesystem::path p(path_);
  std::filesystem::create_directories(p.parent_path(), ec);
  std::string tmp = path_ + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) {
      error = "cannot write cache file " + tmp;
      return false;
    }
    out << j.dump();
    if (!out) {
      error = "cannot write cache file " + tmp;
      return false;
    }
  }
  std::filesystem::rename(tmp, p, ec);
  if (ec) {
    error = "cannot replace cache file " + path_ + ": " + ec.message();
    std::filesystem::remove(tmp, ec);
    return false;
  }
  return true;
}

std::optional<FileFacts> FactsCache::get(const std::string& key, const std::vector<size_t>& needed) const {
  std::lock_guard lock(mu_);
  auto it = used_.find(key);
  if (it == used_.end()) {
    auto old = old_.find(key);
    if (old == old_.end()) return std::nullopt;
    it = used_.emplace(key, old->second).first;
  }
  const auto& answered = it->second.answered;
  if (!std::includes(answered.begin(), answered.end(), needed.begin(), needed.end())) return std::nullopt;
  return it->second.facts;
}

void FactsCache::put(const std::string& key, const FileFacts& facts, const std::vector<size_t>& answered) {
  std::lock_guard lock(mu_);
  auto [it, fresh] = used_.try_emplace(key);
  Entry& e = it->second;
  if (fresh) {
    if (auto old = old_.find(key); old != old_.end()) e = old->second;
  }
  if (e.facts.query_matches.size() < facts.query_matches.size())
    e.facts.query_matches.resize(facts.query_matches.size());
  for (size_t q : answered)
    if (q < facts.query_matches.size()) e.facts.query_matches[q] = facts.query_matches[q];
  for (const auto& d : facts.diagnostics)
    if (std::find(e.facts.diagnostics.begin(), e.facts.diagnostics.end(), d) == e.facts.diagnostics.end())
      e.facts.diagnostics.push_back(d);
  std::sort(e.facts.diagnostics.begin(), e.facts.diagnostics.end());
  e.facts.binary = facts.binary;
  e.facts.unreadable = e.facts.unreadable || facts.unreadable;
  std::vector<size_t> merged;
  std::set_union(e.answered.begin(), e.answered.end(), answered.begin(), answered.end(),
                 std::back_inserter(merged));
  e.answered = std::move(merged);
}

std::string FactsCache::default_path(const std::string& scanned_root) {
  std::filesystem::path base;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) base = xdg;
  else if (const char* home = std::getenv("HOME"); home && *home) base = std::filesystem::path(home) / ".cache";
  else base = std::filesystem::temp_directory_path();
  std::error_code ec;
  std::string canon = std::filesystem::weakly_canonical(scanned_root, ec).string();
  std::ostringstream name;
  name << hex64(fnv1a64(canon)) << ".json";
  return (base / "mlops-lint" / name.str()).string();
}

}  // namespace mlops
