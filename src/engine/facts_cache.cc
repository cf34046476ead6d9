// Facts cache stored as one JSON file per scanned root.
#include "engine/facts_cache.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <string_view>
#include <unordered_map>

#include "util/hash.h"

namespace mlops {
namespace {

constexpr char kMagic[] = "mlops-lint facts cache v5\n";
constexpr uintmax_t kMaxCacheFileSize = 512ull * 1024 * 1024;

// A compact binary encoding: JSON parsing dominated warm runs on large repositories.
class Writer {
 public:
  void u32(uint32_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void i32(int v) { u32(static_cast<uint32_t>(v)); }
  void str(const std::string& s) {
    u32(static_cast<uint32_t>(s.size()));
    out_ += s;
  }
  std::string& data() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return pos_ >= in_.size(); }
  uint32_t u32() {
    uint32_t v = 0;
    if (pos_ + sizeof v > in_.size()) {
      ok_ = false;
      return 0;
    }
    std::memcpy(&v, in_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }
  int i32() { return static_cast<int>(u32()); }
  std::string str() {
    uint32_t n = u32();
    if (!ok_ || pos_ + n > in_.size()) {
      ok_ = false;
      return {};
    }
    std::string s(in_.substr(pos_, n));
    pos_ += n;
    return s;
  }

 private:
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

void write_location(Writer& w, const Location& l) {
  w.str(l.path);
  w.i32(l.line);
  w.i32(l.column);
  w.i32(l.cell);
  w.i32(l.cell_line);
}

Location read_location(Reader& r) {
  Location l;
  l.path = r.str();
  l.line = r.i32();
  l.column = r.i32();
  l.cell = r.i32();
  l.cell_line = r.i32();
  return l;
}

}  // namespace

FactsCache::FactsCache(std::string path, std::string ruleset_key)
    : path_(std::move(path)), ruleset_key_(std::move(ruleset_key)) {}

void FactsCache::load() {
  std::error_code ec;
  auto size = std::filesystem::file_size(path_, ec);
  if (ec || size > kMaxCacheFileSize) return;
  std::ifstream in(path_, std::ios::binary);
  std::string data(static_cast<size_t>(size), '\0');
  in.read(data.data(), static_cast<std::streamsize>(size));
  data.resize(static_cast<size_t>(in.gcount()));
  std::string_view view(data);
  if (!view.starts_with(kMagic)) return;
  Reader r(view.substr(sizeof kMagic - 1));
  if (r.str() != ruleset_key_) return;
  // A corrupt or truncated cache is not the user's problem: it is rebuilt from the files.
  std::unordered_map<std::string, Entry> entries;
  uint32_t count = r.u32();
  for (uint32_t e = 0; e < count && r.ok(); ++e) {
    std::string key = r.str();
    Entry entry;
    uint32_t na = r.u32();
    for (uint32_t k = 0; k < na && r.ok(); ++k) entry.answered.push_back(r.u32());
    FileFacts& f = entry.facts;
    uint32_t flags = r.u32();
    f.binary = flags & 1;
    f.unreadable = flags & 2;
    uint32_t nq = r.u32();
    if (nq > 100000) return;
    f.query_matches.resize(nq);
    uint32_t groups = r.u32();
    for (uint32_t g = 0; g < groups && r.ok(); ++g) {
      uint32_t q = r.u32(), n = r.u32();
      if (q >= nq) return;
      for (uint32_t m = 0; m < n && r.ok(); ++m) {
        Match match;
        match.line = r.i32();
        match.column = r.i32();
        match.cell = r.i32();
        match.cell_line = r.i32();
        match.text = r.str();
        match.scope = r.i32();
        f.query_matches[q].push_back(std::move(match));
      }
    }
    uint32_t nd = r.u32();
    for (uint32_t d = 0; d < nd && r.ok(); ++d) {
      Location where = read_location(r);
      f.diagnostics.push_back({std::move(where), r.str()});
    }
    if (r.ok()) entries.emplace(std::move(key), std::move(entry));
  }
  if (r.ok()) old_ = std::move(entries);
}

bool FactsCache::save(std::string& error) const {
  Writer w;
  {
    std::lock_guard lock(mu_);
    if (fresh_.empty() && used_.size() == old_.size()) return true;  // nothing changed
    w.data() = kMagic;
    w.str(ruleset_key_);
    // Sorted keys: the same cache content always gives the same bytes.
    std::vector<const std::pair<const std::string, Entry>*> sorted;
    for (const auto& kv : fresh_) sorted.push_back(&kv);
    for (const auto& key : used_)
      if (!fresh_.count(key)) sorted.push_back(&*old_.find(key));
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
    w.u32(static_cast<uint32_t>(sorted.size()));
    for (const auto* kv : sorted) {
      const Entry& e = kv->second;
      w.str(kv->first);
      w.u32(static_cast<uint32_t>(e.answered.size()));
      for (size_t q : e.answered) w.u32(static_cast<uint32_t>(q));
      w.u32((e.facts.binary ? 1u : 0u) | (e.facts.unreadable ? 2u : 0u));
      w.u32(static_cast<uint32_t>(e.facts.query_matches.size()));
      uint32_t groups = 0;
      for (const auto& g : e.facts.query_matches) groups += g.empty() ? 0 : 1;
      w.u32(groups);
      for (size_t q = 0; q < e.facts.query_matches.size(); ++q) {
        const auto& g = e.facts.query_matches[q];
        if (g.empty()) continue;
        w.u32(static_cast<uint32_t>(q));
        w.u32(static_cast<uint32_t>(g.size()));
        for (const auto& m : g) {
          w.i32(m.line);
          w.i32(m.column);
          w.i32(m.cell);
          w.i32(m.cell_line);
          w.str(m.text);
          w.i32(m.scope);
        }
      }
      w.u32(static_cast<uint32_t>(e.facts.diagnostics.size()));
      for (const auto& d : e.facts.diagnostics) {
        write_location(w, d.where);
        w.str(d.message);
      }
    }
  }
  std::error_code ec;
  std::filesystem::path p(path_);
  std::filesystem::create_directories(p.parent_path(), ec);
  std::string tmp = path_ + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << w.data();
    if (!out) {
      error = "cannot write cache file " + tmp;
      std::filesystem::remove(tmp, ec);
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
  auto covers = [&](const Entry& e) {
    return std::includes(e.answered.begin(), e.answered.end(), needed.begin(), needed.end());
  };
  auto it = old_.find(key);
  if (it != old_.end() && covers(it->second)) {
    std::lock_guard lock(mu_);
    used_.insert(key);
    return it->second.facts;
  }
  // Entries written earlier in this run (another commit of the same repository, in an audit).
  std::lock_guard lock(mu_);
  auto fresh = fresh_.find(key);
  if (fresh != fresh_.end() && covers(fresh->second)) return fresh->second.facts;
  return std::nullopt;
}

void FactsCache::put(const std::string& key, const FileFacts& facts, const std::vector<size_t>& answered) {
  std::lock_guard lock(mu_);
  auto [it, created] = fresh_.try_emplace(key);
  Entry& e = it->second;
  if (created) {
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
  while (!e.facts.query_matches.empty() && e.facts.query_matches.back().empty())
    e.facts.query_matches.pop_back();
  std::vector<size_t> merged;
  std::set_union(e.answered.begin(), e.answered.end(), answered.begin(), answered.end(),
                 std::back_inserter(merged));
  e.answered = std::move(merged);
}

std::string FactsCache::default_path(const std::string& scanned_root) {
  std::filesystem::path base;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg)
    base = xdg;
  else if (const char* home = std::getenv("HOME"); home && *home)
    base = std::filesystem::path(home) / ".cache";
  else
    base = std::filesystem::temp_directory_path();
  std::error_code ec;
  std::string canon = std::filesystem::weakly_canonical(scanned_root, ec).string();
  std::ostringstream name;
  name << hex64(fnv1a64(canon)) << ".bin";
  return (base / "mlops-lint" / name.str()).string();
}

}  // namespace mlops
