// A cache of per-file facts keyed by content (git blob id or stat key) and the query set, so a
// second run, or another commit, only analyses files whose bytes changed.
#pragma once
#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/facts.h"

namespace mlops {

// The cache's schema: every field it stores, with its type and the names of enum values, plus a
// hand-kept semantics number (facts_cache.cc). The magic line that starts a cache file is
// derived from it, so a change to a stored fact changes the cache version.
const std::string& facts_cache_schema();
// "mlops-lint facts cache HASH\n" for a schema text; without one, for this build's schema.
std::string facts_cache_magic(std::string_view schema);
const std::string& facts_cache_magic();

class FactsCache {
 public:
  // `path` is the cache file; `ruleset_key` identifies the query set (facts depend on it).
  FactsCache(std::string path, std::string ruleset_key);
  // Loads the cache file; a missing, corrupt or foreign file just starts empty. Every entry
  // carries a checksum: a damaged one is dropped (a miss), never used. Memory stays within a small
  // multiple of the file size whatever its counts claim.
  void load();
  // Writes the entries used or added during this run (util/atomic_write: old file or new one).
  bool save(std::string& error) const;

  // Facts for `key` when the cached entry answered every query in `needed` (sorted).
  std::optional<FileFacts> get(const std::string& key, const std::vector<size_t>& needed) const;
  // Records the answers to `answered` (sorted), merged with what the entry already holds.
  void put(const std::string& key, const FileFacts& facts, const std::vector<size_t>& answered);

  // The default location: $XDG_CACHE_HOME/mlops-lint (or ~/.cache/mlops-lint), one file per root.
  static std::string default_path(const std::string& scanned_root);

 private:
  std::string path_;
  std::string ruleset_key_;
  mutable std::mutex mu_;
  struct Entry {
    // (query, its matches) for the queries that matched, by query index: sparse, so that no
    // count read from the file sizes an allocation beyond what the file's bytes can fill.
    std::vector<std::pair<uint32_t, std::vector<Match>>> groups;
    std::vector<Diagnostic> diagnostics;
    bool binary = false;
    bool unreadable = false;
    std::vector<size_t> answered;  // sorted query indexes the entry holds answers for
  };
  // A loaded entry: its payload, a view into bytes_, and the checksum it was stored with, which
  // is verified when a lookup first reaches it (on the analysis workers, only for the files the
  // run asks about). Lookups on several threads set the flags.
  struct Stored {
    std::string_view payload;
    uint64_t sum = 0;
    mutable std::atomic<char> verified{0};  // 0: not yet, 1: the checksum holds, 2: it does not
    mutable std::atomic<bool> used{false};  // hit in this run: saved again
  };
  static bool intact(const Stored& s);
  static FileFacts facts_for(const Entry& e, const std::vector<size_t>& needed);
  static std::optional<Entry> decode(std::string_view payload);
  std::string bytes_;  // the loaded file
  // Loaded entries by key (views into bytes_): only their flags change after load(), so
  // lookups need no lock.
  std::unordered_map<std::string_view, Stored> old_;
  std::unordered_map<std::string, Entry> fresh_;  // entries written in this run
};

}  // namespace mlops
