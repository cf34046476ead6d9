// Facts cache stored as one binary file per scanned root.
//
// Layout (little-endian as written by this machine; a foreign file fails its checksums):
//   magic line: "mlops-lint facts cache " + a hash of the schema (see the codec below) + "\n"
//   header: ruleset key (u32 length + bytes), entry count (u32), body length (u64)
//   u64 FNV-1a of the header
//   entries: u32 payload length, u64 FNV-1a of the payload, payload
// A damaged header drops the whole file; a damaged entry drops that entry only. FNV-1a changes
// with any single changed byte (each step is a bijection of the state), so a flipped byte inside
// a payload is always caught.
// It stays one file (~520 lines): the layout above, the codec that writes and reads it and the
// load/save that verify it change together; split, one format's halves would live apart.
#include "engine/facts_cache.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iterator>
#include <sstream>
#include <string_view>
#include <unordered_map>

#include "analysers/ci_config.h"
#include "util/atomic_write.h"
#include "util/hash.h"
#include "util/read_file.h"

namespace mlops {
namespace {

// Loading costs a few times the file size in memory; a real cache is a few MiB.
constexpr uint64_t kMaxCacheFileSize = 64ull << 20;

// Smallest encoded size of the framing's repeated items: counts are checked against the bytes
// left before anything is allocated for them (a match's and a diagnostic's: min_size() below).
constexpr size_t kMinAnswered = 4;
constexpr size_t kMinGroup = 8;

// A compact binary encoding: JSON parsing dominated warm runs on large repositories.
class Writer {
 public:
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u16(uint16_t v) { out_.append(reinterpret_cast<const char*>(&v), sizeof v); }
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
  uint8_t u8() { return fixed<uint8_t>(); }
  uint16_t u16() { return fixed<uint16_t>(); }
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

// The codec: the one place facts are turned into bytes and back. Each stored struct lists its
// fields once, in a visit_*() function; the same list writes them (WriteField), reads them
// (ReadField), gives their smallest encoded size (MinSize) and describes them (Describe). The
// description, with the names of the enums' values, is the cache schema, and the magic line
// carries a hash of it: a field added, removed, retyped or reordered, or an enum value renamed,
// added or moved, changes the cache version, so an old cache is never read as the new layout.
// What the schema cannot see is guarded twice: a static_assert below fails the build when a
// struct gains a member the visit function does not list, and kSemantics is bumped by hand when
// the meaning of stored text changes with the same layout.
//
// kSemantics 7: facts are stored with secrets masked (older caches may hold them in clear).
// kSemantics 8: python_import matches carry the enclosing function's scope (was always 0).
// kSemantics 9: YAML fragments give the commands of DVC pipeline stages (dvc.yaml `cmd`).
// kSemantics 10: Dockerfile variants named by a suffix (Dockerfile-prediction) are Dockerfiles.
constexpr int kSemantics = 10;
// The framing around the structs (see the top of this file and load() / save()).
constexpr char kFraming[] =
    "entry{key:str answered:u32[] flags:u32 groups:{query:u32 matches:Match[]}[] "
    "diagnostics:Diagnostic[]}";

template <class IO, class M>
constexpr void visit_match(IO& io, M& m) {
  io("line", m.line);
  io("column", m.column);
  io("cell", m.cell);
  io("cell_line", m.cell_line);
  io("text", m.text);
  io("scope", m.scope);
  io("kind", m.kind);
  io("runner", m.runner);
  io("head_size", m.head_size);
}

template <class IO, class L>
constexpr void visit_location(IO& io, L& l) {
  io("path", l.path);
  io("line", l.line);
  io("column", l.column);
  io("cell", l.cell);
  io("cell_line", l.cell_line);
  io("shared", l.shared);
}

template <class IO, class D>
constexpr void visit_diagnostic(IO& io, D& d) {
  visit_location(io, d.where);  // `where`, flattened
  io("message", d.message);
}

// The number of members of an aggregate: the most initialisers T{...} accepts.
struct AnyField {
  template <class T>
  operator T() const;  // never defined: only asked about in requires-expressions
};
template <class T, class... A>
constexpr size_t member_count() {
  if constexpr (requires { T{A{}..., AnyField{}}; })
    return member_count<T, A..., AnyField>();
  else
    return sizeof...(A);
}

struct CountFields {
  size_t n = 0;
  template <class T>
  constexpr void operator()(const char*, const T&) {
    ++n;
  }
};
template <class T, class Visit>
constexpr size_t fields_listed(Visit visit) {
  T t{};
  CountFields c;
  visit(c, t);
  return c.n;
}
// A member missing from a visit function would be silently dropped by the cache: not built.
// clang 14 cannot construct libstdc++ 12's std::string in a constant expression, so the check
// is g++'s (the compiler every build of the tool uses; clang builds only fuzz and clang-tidy).
#if !defined(__clang__)
static_assert(fields_listed<Match>([](auto& io, auto& m) { visit_match(io, m); }) == member_count<Match>(),
              "a Match member is not in visit_match (the cache would drop it)");
static_assert(fields_listed<Location>([](auto& io, auto& l) { visit_location(io, l); }) ==
                  member_count<Location>(),
              "a Location member is not in visit_location");
#endif
static_assert(member_count<Diagnostic>() == 2, "a Diagnostic member is not in visit_diagnostic");

struct WriteField {
  Writer& w;
  void operator()(const char*, int v) { w.i32(v); }
  void operator()(const char*, const std::string& v) { w.str(v); }
  void operator()(const char*, FactKind v) { w.u8(static_cast<uint8_t>(v)); }
  void operator()(const char*, Runner v) { w.u8(static_cast<uint8_t>(v)); }
  void operator()(const char*, uint16_t v) { w.u16(v); }
  void operator()(const char*, bool v) { w.u8(v ? 1 : 0); }
};

struct ReadField {
  Reader& r;
  void operator()(const char*, int& v) { v = r.i32(); }
  void operator()(const char*, std::string& v) { v = r.str(); }
  void operator()(const char*, FactKind& v) {
    uint8_t k = r.u8();
    if (k > static_cast<uint8_t>(kLastFactKind)) r.fail();
    v = static_cast<FactKind>(k);
  }
  void operator()(const char*, Runner& v) {
    uint8_t k = r.u8();
    if (k > static_cast<uint8_t>(kLastRunner)) r.fail();
    v = static_cast<Runner>(k);
  }
  void operator()(const char*, uint16_t& v) { v = r.u16(); }
  void operator()(const char*, bool& v) {
    uint8_t b = r.u8();
    if (b > 1) r.fail();
    v = b == 1;
  }
};

struct MinSize {
  size_t n = 0;
  void operator()(const char*, int) { n += 4; }
  void operator()(const char*, const std::string&) { n += 4; }
  void operator()(const char*, FactKind) { n += 1; }
  void operator()(const char*, Runner) { n += 1; }
  void operator()(const char*, uint16_t) { n += 2; }
  void operator()(const char*, bool) { n += 1; }
};

struct Describe {
  std::string& out;
  void operator()(const char* name, int) { field(name, "i32"); }
  void operator()(const char* name, const std::string&) { field(name, "str"); }
  void operator()(const char* name, FactKind) {
    std::string values;
    for (int k = 0; k <= static_cast<int>(kLastFactKind); ++k)
      values += std::string(k ? "," : "") + fact_kind_name(static_cast<FactKind>(k));
    field(name, "u8{" + values + "}");
  }
  void operator()(const char* name, Runner) {
    std::string values;
    for (int k = 0; k <= static_cast<int>(kLastRunner); ++k)
      values += std::string(k ? "," : "") + runner_name(static_cast<Runner>(k));
    field(name, "u8{" + values + "}");
  }
  void operator()(const char* name, uint16_t) { field(name, "u16"); }
  void operator()(const char* name, bool) { field(name, "u8{false,true}"); }
  void field(const char* name, const std::string& type) { out += std::string(name) + ":" + type + " "; }
};

size_t min_match_size() {
  static const size_t n = [] {
    MinSize s;
    const Match m{};
    visit_match(s, m);
    return s.n;
  }();
  return n;
}

size_t min_diagnostic_size() {
  static const size_t n = [] {
    MinSize s;
    const Diagnostic diag{};
    visit_diagnostic(s, diag);
    return s.n;
  }();
  return n;
}

void write_match(Writer& w, const Match& m) {
  WriteField io{w};
  visit_match(io, m);
}

// A match as stored, or a failed reader when its fields do not make a fact.
Match read_match(Reader& r) {
  Match m;
  ReadField io{r};
  visit_match(io, m);
  if (m.head_size > m.text.size()) r.fail();
  return m;
}

void write_diagnostic(Writer& w, const Diagnostic& d) {
  WriteField io{w};
  visit_diagnostic(io, d);
}

Diagnostic read_diagnostic(Reader& r) {
  Diagnostic d;
  ReadField io{r};
  visit_diagnostic(io, d);
  return d;
}

}  // namespace

const std::string& facts_cache_schema() {
  static const std::string schema = [] {
    std::string out = "semantics:" + std::to_string(kSemantics) + "\n" + kFraming + "\nMatch{ ";
    Describe d{out};
    const Match m{};
    visit_match(d, m);
    out += "}\nDiagnostic{ ";
    const Diagnostic diag{};
    visit_diagnostic(d, diag);
    return out + "}\n";
  }();
  return schema;
}

std::string facts_cache_magic(std::string_view schema) {
  return "mlops-lint facts cache " + hex64(fnv1a64(schema)) + "\n";
}

const std::string& facts_cache_magic() {
  static const std::string magic = facts_cache_magic(facts_cache_schema());
  return magic;
}

FactsCache::FactsCache(std::string path, std::string ruleset_key)
    : path_(std::move(path)), ruleset_key_(std::move(ruleset_key)) {}

void FactsCache::load() {
  // A missing, damaged or foreign cache is not the user's problem: it is rebuilt from the files.
  FileRead file = read_file_capped(path_, kMaxCacheFileSize);
  if (!file.ok()) return;
  // The entries are views into the loaded bytes, kept as long as the cache.
  bytes_ = std::move(file.bytes);
  std::string_view view(bytes_);
  const std::string& magic = facts_cache_magic();
  if (!view.starts_with(magic)) return;
  Reader r(view.substr(magic.size()));
  const size_t header_start = r.pos();
  std::string key = r.str();
  uint32_t count = r.u32();
  r.u64();  // body length: entries check themselves, so a short body only loses its tail
  std::string_view header = view.substr(magic.size() + header_start, r.pos() - header_start);
  uint64_t header_sum = r.u64();
  if (!r.ok() || header_sum != fnv1a64(header) || key != ruleset_key_) return;

  // Entries are framed here; their checksums are verified and their contents decoded when a
  // lookup asks for them (on the analysis workers, and only for the files the run asks about).
  // A damaged entry is a miss then; its key, read here, only decides which entry it would be.
  old_.clear();
  for (uint32_t e = 0; e < count && !r.done(); ++e) {
    uint32_t length = r.u32();
    uint64_t sum = r.u64();
    std::string_view payload = r.bytes(length);
    if (!r.ok()) break;  // truncated: nothing after this can be framed
    Reader p(payload);
    uint32_t key_length = p.u32();
    std::string_view entry_key = p.bytes(key_length);
    if (!p.ok()) continue;
    Stored& stored = old_[entry_key];  // a later entry with the same key replaces an earlier one
    stored.payload = payload;
    stored.sum = sum;
  }
}

bool FactsCache::intact(const Stored& s) {
  char v = s.verified.load(std::memory_order_relaxed);
  if (v == 0) {
    v = fnv1a64(s.payload) == s.sum ? 1 : 2;
    s.verified.store(v, std::memory_order_relaxed);
  }
  return v == 1;
}

// The entry a stored payload holds, when it decodes whole; nullopt for a malformed one (its
// checksum was right, so only a forged file has one): a miss, never partial facts.
std::optional<FactsCache::Entry> FactsCache::decode(std::string_view payload) {
  Reader p(payload);
  p.bytes(p.u32());  // the key, read by load()
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
        !p.room_for(n, min_match_size())) {
      p.fail();
      break;
    }
    std::vector<Match> matches;
    matches.reserve(n);
    for (uint32_t m = 0; m < n && p.ok(); ++m) matches.push_back(read_match(p));
    entry.groups.emplace_back(q, std::move(matches));
  }
  uint32_t nd = p.u32();
  if (p.room_for(nd, min_diagnostic_size())) {
    entry.diagnostics.reserve(nd);
    for (uint32_t d = 0; d < nd && p.ok(); ++d) entry.diagnostics.push_back(read_diagnostic(p));
  }
  if (!p.ok() || !p.done()) return std::nullopt;
  return entry;
}

bool FactsCache::save(std::string& error) const {
  Writer body;
  uint32_t count = 0;
  {
    std::lock_guard lock(mu_);
    size_t used = 0;
    for (const auto& [key, stored] : old_) used += stored.used ? 1 : 0;
    if (fresh_.empty() && used == old_.size()) return true;  // nothing changed
    // Sorted keys: the same cache content always gives the same bytes. An old entry is written
    // back as it was stored (it decoded whole when it was used).
    struct Out {
      std::string_view key;
      const Entry* fresh;
      const Stored* stored;
    };
    std::vector<Out> sorted;
    for (const auto& [key, e] : fresh_) sorted.push_back({key, &e, nullptr});
    for (const auto& [key, stored] : old_)
      if (stored.used && !fresh_.count(std::string(key))) sorted.push_back({key, nullptr, &stored});
    std::sort(sorted.begin(), sorted.end(), [](const Out& a, const Out& b) { return a.key < b.key; });
    count = static_cast<uint32_t>(sorted.size());
    for (const Out& o : sorted) {
      if (o.stored != nullptr) {
        body.u32(static_cast<uint32_t>(o.stored->payload.size()));
        body.u64(o.stored->sum);
        body.data() += o.stored->payload;
        continue;
      }
      const Entry& e = *o.fresh;
      Writer w;
      w.str(std::string(o.key));
      w.u32(static_cast<uint32_t>(e.answered.size()));
      for (size_t q : e.answered) w.u32(static_cast<uint32_t>(q));
      w.u32((e.binary ? 1u : 0u) | (e.unreadable ? 2u : 0u));
      w.u32(static_cast<uint32_t>(e.groups.size()));
      for (const auto& [q, matches] : e.groups) {
        w.u32(q);
        w.u32(static_cast<uint32_t>(matches.size()));
        for (const auto& m : matches) write_match(w, m);
      }
      w.u32(static_cast<uint32_t>(e.diagnostics.size()));
      for (const auto& d : e.diagnostics) write_diagnostic(w, d);
      body.u32(static_cast<uint32_t>(w.data().size()));
      body.u64(fnv1a64(w.data()));
      body.data() += w.data();
    }
  }
  Writer header;
  header.str(ruleset_key_);
  header.u32(count);
  header.u64(body.data().size());
  std::string out = facts_cache_magic();
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
  if (it != old_.end() && intact(it->second)) {
    std::optional<Entry> e = decode(it->second.payload);
    if (e && covers(*e)) {
      it->second.used = true;
      return facts_for(*e, needed);
    }
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
    if (auto old = old_.find(key); old != old_.end() && intact(old->second))
      if (auto decoded = decode(old->second.payload)) e = std::move(*decoded);
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
