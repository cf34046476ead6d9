// Facts cache stored as one binary file per scanned root.
//
// Layout (little-endian as written by this machine; a foreign file fails its checksums):
//   magic line
//   header: ruleset key (u32 length + bytes), entry count (u32), body length (u64)
//   u64 FNV-1a of the header
//   entries: u32 payload length, u64 FNV-1a of the payload, payload
// A damaged header drops the whole file; a damaged entry drops that entry only. FNV-1a changes
// with any single changed byte (each step is a bijection of the state), so a flipped byte inside
// a payload is always caught.
#include "engine/facts_cache.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <sstream>
#include <string_view>
#include <unordered_map>

#include "util/atomic_write.h"
#include "util/hash.h"
#include "util/read_file.h"

namespace mlops {
namespace {

// v7: facts are stored with secrets masked (v6 and older may hold them in clear).
constexpr char kMagic[] = "mlops-lint facts cache v7\n";
// Loading costs a few times the file size in memory; a real cache is a few MiB.
constexpr uint64_t kMaxCacheFileSize = 64ull << 20;

// Smallest encoded size of each repeated item: counts are checked against the bytes left before
// anything is allocated for them.
constexpr size_t kMinAnswered = 4;
constexpr size_t kMinGroup = 8;
constexpr size_t kMinMatch = 6 * 4;
constexpr size_t kMinDiagnostic = 6 * 4;

// A compact binary encoding: JSON parsing dominated warm runs on large repositories.
class Writer {
 public:
  void u32(uint32_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void u64(uint64_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
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
  size_t left() const { return in_.size() - pos_; }
  size_t pos() const { return pos_; }
  void fail() { ok_ = false; }
  uint32_t u32() { return fixed<uint32_t>(); }
  uint64_t u64() { return fixed<uint64_t>(); }
  int i32() { return static_cast<int>(u32()); }
  std::string str() {
    std::string_view v = bytes(u32());
    return std::string(v);
  }
  std::string_view bytes(uint64_t n) {
    if (!ok_ || n > left()) {
      ok_ = false;
      return {};
    }
    std::string_view v = in_.substr(pos_, static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return v;
  }
  // Whether `count` items of at least `each` bytes can still follow; fails the reader if not.
  bool room_for(uint64_t count, size_t each) {
    if (ok_ && count <= left() / each) return true;
    ok_ = false;
    return false;
  }

 private:
  template <typename T>
  T fixed() {
    T v = 0;
    if (!ok_ || sizeof v > left()) {
      ok_ = false;
      return 0;
    }
    std::memcpy(&v, in_.data() + pos_, sizeof v);
    pos_ += sizeof v;
    return v;
  }

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
  // A missing, damaged or foreign cache is not the user's problem: it is rebuilt from the files.
  FileRead file = read_file_capped(path_, kMaxCacheFileSize);
  if (!file.ok()) return;
  std::string_view view(file.bytes);
  if (!view.starts_with(kMagic)) return;
  Reader r(view.substr(sizeof kMagic - 1));
  const size_t header_start = r.pos();
  std::string key = r.str();
  uint32_t count = r.u32();
  r.u64();  // body length: entries check themselves, so a short body only loses its tail
  std::string_view header = view.substr(sizeof kMagic - 1 + header_start, r.pos() - header_start);
  uint64_t header_sum = r.u64();
  if (!r.ok() || header_sum != fnv1a64(header) || key != ruleset_key_) return;

  std::unordered_map<std::string, Entry> entries;
  for (uint32_t e = 0; e < count && !r.done(); ++e) {
    uint32_t length = r.u32();
    uint64_t sum = r.u64();
    std::string_view payload = r.bytes(length);
    if (!r.ok()) break;  // truncated: nothing after this can be framed
    if (fnv1a64(payload) != sum) continue;
    Reader p(payload);
    std::string entry_key = p.str();
    Entry entry;
    uint32_t na = p.u32();
    if (p.room_for(na, kMinAnswered)) {
      entry.answered.reserve(na);
      for (uint32_t k = 0; k < na && p.ok(); ++k) {
        uint32_t q = p.u32();
        if (!entry.answered.empty() && q <= entry.answered.back()) p.fail();  // must be sorted, unique
        entry.answered.push_back(q);
      }
    }
    uint32_t flags = p.u32();
    if (flags > 3) p.fail();
    entry.binary = flags & 1;
    entry.unreadable = flags & 2;
    uint32_t groups = p.u32();
    if (p.room_for(groups, kMinGroup)) entry.groups.reserve(groups);
    for (uint32_t g = 0; g < groups && p.ok(); ++g) {
      uint32_t q = p.u32(), n = p.u32();
      // Groups come in query order and only for queries the entry answered.
      if ((!entry.groups.empty() && q <= entry.groups.back().first) ||
          !std::binary_search(entry.answered.begin(), entry.answered.end(), q) || n == 0 ||
          !p.room_for(n, kMinMatch)) {
        p.fail();
        break;
      }
      std::vector<Match> matches;
      matches.reserve(n);
      for (uint32_t m = 0; m < n && p.ok(); ++m) {
        Match match;
        match.line = p.i32();
        match.column = p.i32();
        match.cell = p.i32();
        match.cell_line = p.i32();
        match.text = p.str();
        match.scope = p.i32();
        matches.push_back(std::move(match));
      }
      entry.groups.emplace_back(q, std::move(matches));
    }
    uint32_t nd = p.u32();
    if (p.room_for(nd, kMinDiagnostic)) {
      entry.diagnostics.reserve(nd);
      for (uint32_t d = 0; d < nd && p.ok(); ++d) {
        Location where = read_location(p);
        entry.diagnostics.push_back({std::move(where), p.str()});
      }
    }
    if (p.ok() && p.done()) entries.insert_or_assign(std::move(entry_key), std::move(entry));
  }
  old_ = std::move(entries);
}

bool FactsCache::save(std::string& error) const {
  Writer body;
  uint32_t count = 0;
  {
    std::lock_guard lock(mu_);
    if (fresh_.empty() && used_.size() == old_.size()) return true;  // nothing changed
    // Sorted keys: the same cache content always gives the same bytes.
    std::vector<const std::pair<const std::string, Entry>*> sorted;
    for (const auto& kv : fresh_) sorted.push_back(&kv);
    for (const auto& key : used_)
      if (!fresh_.count(key)) sorted.push_back(&*old_.find(key));
    std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
    count = static_cast<uint32_t>(sorted.size());
    for (const auto* kv : sorted) {
      const Entry& e = kv->second;
      Writer w;
      w.str(kv->first);
      w.u32(static_cast<uint32_t>(e.answered.size()));
      for (size_t q : e.answered) w.u32(static_cast<uint32_t>(q));
      w.u32((e.binary ? 1u : 0u) | (e.unreadable ? 2u : 0u));
      w.u32(static_cast<uint32_t>(e.groups.size()));
      for (const auto& [q, matches] : e.groups) {
        w.u32(q);
        w.u32(static_cast<uint32_t>(matches.size()));
        for (const auto& m : matches) {
          w.i32(m.line);
          w.i32(m.column);
          w.i32(m.cell);
          w.i32(m.cell_line);
          w.str(m.text);
          w.i32(m.scope);
        }
      }
      w.u32(static_cast<uint32_t>(e.diagnostics.size()));
      for (const auto& d : e.diagnostics) {
        write_location(w, d.where);
        w.str(d.message);
      }
      body.u32(static_cast<uint32_t>(w.data().size()));
      body.u64(fnv1a64(w.data()));
      body.data() += w.data();
    }
  }
  Writer header;
  header.str(ruleset_key_);
  header.u32(count);
  header.u64(body.data().size());
  std::string out = kMagic;
  out += header.data();
  Writer sum;
  sum.u64(fnv1a64(header.data()));
  out += sum.data();
  out += body.data();
  WriteOptions options;
  options.create_parents = true;
  options.new_file_mode = 0600;  // matched snippets may quote secrets: the user's eyes only
  if (auto e = write_file_atomically(path_, out, options)) {
    error = "cannot write cache file: " + e->message;
    return false;
  }
  return true;
}

// The facts a cold analysis of `needed` would give: only the answers to those queries, so that a
// hit never differs from a miss.
FileFacts FactsCache::facts_for(const Entry& e, const std::vector<size_t>& needed) {
  FileFacts f;
  f.binary = e.binary;
  f.unreadable = e.unreadable;
  f.diagnostics = e.diagnostics;
  auto want = needed.begin();
  for (const auto& [q, matches] : e.groups) {
    want = std::lower_bound(want, needed.end(), static_cast<size_t>(q));
    if (want == needed.end()) break;
    if (*want != q) continue;
    f.query_matches.list(q) = matches;
  }
  return f;
}

std::optional<FileFacts> FactsCache::get(const std::string& key, const std::vector<size_t>& needed) const {
  auto covers = [&](const Entry& e) {
    return std::includes(e.answered.begin(), e.answered.end(), needed.begin(), needed.end());
  };
  auto it = old_.find(key);
  if (it != old_.end() && covers(it->second)) {
    std::lock_guard lock(mu_);
    used_.insert(key);
    return facts_for(it->second, needed);
  }
  // Entries written earlier in this run (another commit of the same repository, in an audit).
  std::lock_guard lock(mu_);
  auto fresh = fresh_.find(key);
  if (fresh != fresh_.end() && covers(fresh->second)) return facts_for(fresh->second, needed);
  return std::nullopt;
}

void FactsCache::put(const std::string& key, const FileFacts& facts, const std::vector<size_t>& answered) {
  std::lock_guard lock(mu_);
  auto [it, created] = fresh_.try_emplace(key);
  Entry& e = it->second;
  if (created) {
    if (auto old = old_.find(key); old != old_.end()) e = old->second;
  }
  for (size_t q : answered) {
    auto pos = std::lower_bound(e.groups.begin(), e.groups.end(), q,
                                [](const auto& g, size_t v) { return g.first < v; });
    bool have = pos != e.groups.end() && pos->first == q;
    const bool matched = q < facts.query_matches.size() && !facts.query_matches[q].empty();
    if (matched && have)
      pos->second = facts.query_matches[q];
    else if (matched)
      e.groups.insert(pos, {static_cast<uint32_t>(q), facts.query_matches[q]});
    else if (have)
      e.groups.erase(pos);
  }
  for (const auto& d : facts.diagnostics)
    if (std::find(e.diagnostics.begin(), e.diagnostics.end(), d) == e.diagnostics.end())
      e.diagnostics.push_back(d);
  std::sort(e.diagnostics.begin(), e.diagnostics.end());
  e.binary = facts.binary;
  e.unreadable = e.unreadable || facts.unreadable;
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
