#include "engine/facts_cache.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/engine.h"
#include "repo/snapshot.h"
#include "rules/builtin/builtin_rules.h"
#include "rules/rule_loader.h"
#include "support/temp_dir.h"
#include "util/hash.h"
#include "util/read_file.h"

namespace mlops {
namespace {

namespace fs = std::filesystem;
using test_support::TempDir;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const fs::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes;
}

Match match(int line, const std::string& text) {
  Match m;
  m.line = line;
  m.column = 3;
  m.text = text;
  m.scope = 1;
  return m;
}

// Three entries of different shapes, answering queries 0..5.
std::map<std::string, FileFacts> sample_facts() {
  std::map<std::string, FileFacts> out;
  FileFacts a;
  a.query_matches.list(1) = {match(2, "read_csv('/home/x')"), match(9, "open('/data')")};
  a.query_matches.list(4) = {match(7, "import torch")};
  a.diagnostics = {{{"a.py", 3, 1}, "syntax error"}};
  out["b0123:a.py"] = a;
  FileFacts b;
  b.binary = true;
  out["b4567:model.bin"] = b;
  FileFacts c;
  c.unreadable = true;
  c.query_matches.list(5) = {match(1, "key: value"),
                             fact(FactKind::Command, 2, "pytest", "test", Runner::Make)};
  out["s89:c.yaml"] = c;
  return out;
}

const std::vector<size_t> kAll = {0, 1, 2, 3, 4, 5};

// What a cold analysis of kAll would have produced for these facts.
void expect_same(const FileFacts& got, const FileFacts& want, const std::string& what) {
  for (size_t q = 0; q < std::max(got.query_matches.size(), want.query_matches.size()); ++q) {
    std::vector<Match> none;
    const auto& g = q < got.query_matches.size() ? got.query_matches[q] : none;
    const auto& w = q < want.query_matches.size() ? want.query_matches[q] : none;
    EXPECT_EQ(g, w) << what << " query " << q;
  }
  EXPECT_EQ(got.diagnostics, want.diagnostics) << what;
  EXPECT_EQ(got.binary, want.binary) << what;
  EXPECT_EQ(got.unreadable, want.unreadable) << what;
}

TEST(FactsCache, RoundTripsEntriesAndAnswersOnlyTheQueriesAsked) {
  TempDir d;
  std::string path = (d.path() / "sub" / "cache.bin").string();
  auto facts = sample_facts();
  {
    FactsCache cache(path, "rules-1");
    cache.load();
    for (const auto& [key, f] : facts) cache.put(key, f, kAll);
    std::string error;
    ASSERT_TRUE(cache.save(error)) << error;
  }
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write);
  FactsCache cache(path, "rules-1");
  cache.load();
  for (const auto& [key, f] : facts) {
    auto got = cache.get(key, kAll);
    ASSERT_TRUE(got) << key;
    expect_same(*got, f, key);
  }
  // Only the asked queries come back, as from a cold analysis of those.
  auto some = cache.get("b0123:a.py", {1});
  ASSERT_TRUE(some);
  ASSERT_EQ(some->query_matches.size(), 2u);
  EXPECT_EQ(some->query_matches[1], facts["b0123:a.py"].query_matches[1]);
  EXPECT_FALSE(cache.get("b0123:a.py", {6}));  // never answered
  EXPECT_FALSE(cache.get("nope", {1}));
  // Another query set never reads these entries.
  FactsCache other(path, "rules-2");
  other.load();
  EXPECT_FALSE(other.get("b0123:a.py", {1}));
}

// A run writes back the old entries it used, as they were stored, and its new ones; entries it
// did not use are dropped. Writing an unchanged cache again gives the same bytes.
TEST(FactsCache, UsedEntriesAreWrittenBackUnchangedAndUnusedOnesDropped) {
  TempDir d;
  std::string path = (d.path() / "cache.bin").string();
  auto facts = sample_facts();
  ASSERT_GE(facts.size(), 2u);
  auto first = facts.begin(), second = std::next(first);
  std::string error;
  {
    FactsCache cache(path, "rules-1");
    cache.load();
    for (const auto& [key, f] : facts) cache.put(key, f, kAll);
    ASSERT_TRUE(cache.save(error)) << error;
  }
  std::string before = read_file_capped(path, 1 << 20).bytes;
  {
    FactsCache cache(path, "rules-1");
    cache.load();
    for (const auto& [key, f] : facts) ASSERT_TRUE(cache.get(key, kAll)) << key;
    ASSERT_TRUE(cache.save(error)) << error;
  }
  EXPECT_EQ(read_file_capped(path, 1 << 20).bytes, before);
  {
    FactsCache cache(path, "rules-1");
    cache.load();
    ASSERT_TRUE(cache.get(first->first, {1}));
    cache.put("bnew:c.py", second->second, kAll);
    ASSERT_TRUE(cache.save(error)) << error;
  }
  FactsCache cache(path, "rules-1");
  cache.load();
  auto kept = cache.get(first->first, kAll);
  ASSERT_TRUE(kept);
  expect_same(*kept, first->second, first->first);
  auto added = cache.get("bnew:c.py", kAll);
  ASSERT_TRUE(added);
  expect_same(*added, second->second, "bnew:c.py");
  EXPECT_FALSE(cache.get(second->first, kAll));  // not used by the run before: dropped
}

TEST(FactsCache, EveryFlippedByteGivesTheSameFactsOrAMiss) {
  TempDir d;
  fs::path path = d.path() / "cache.bin";
  auto facts = sample_facts();
  {
    FactsCache cache(path.string(), "rules-1");
    for (const auto& [key, f] : facts) cache.put(key, f, kAll);
    std::string error;
    ASSERT_TRUE(cache.save(error)) << error;
  }
  const std::string good = slurp(path);
  ASSERT_GT(good.size(), 100u);
  size_t misses = 0;
  const unsigned char flips[] = {0x01, 0x80, 0xff};
  for (size_t i = 0; i < good.size(); ++i) {
    {
      const unsigned char flip = flips[i % 3];
      std::string bad = good;
      bad[i] = static_cast<char>(bad[i] ^ flip);
      spit(path, bad);
      FactsCache cache(path.string(), "rules-1");
      cache.load();
      for (const auto& [key, f] : facts) {
        auto got = cache.get(key, kAll);
        if (!got) {
          ++misses;
          continue;
        }
        expect_same(*got, f, key + " with byte " + std::to_string(i) + " ^ " + std::to_string(flip));
      }
    }
  }
  // Every byte of the file is covered by a checksum: each flip costs at least one entry.
  EXPECT_GE(misses, good.size());
}

TEST(FactsCache, TruncatedFilesKeepOnlyWholeEntries) {
  TempDir d;
  fs::path path = d.path() / "cache.bin";
  auto facts = sample_facts();
  {
    FactsCache cache(path.string(), "k");
    for (const auto& [key, f] : facts) cache.put(key, f, kAll);
    std::string error;
    ASSERT_TRUE(cache.save(error)) << error;
  }
  const std::string good = slurp(path);
  // Every cut in the header, then a spread through the entries.
  for (size_t n = 0; n < good.size(); n += n < 128 ? 1 : 5) {
    spit(path, good.substr(0, n));
    FactsCache cache(path.string(), "k");
    cache.load();
    for (const auto& [key, f] : facts)
      if (auto got = cache.get(key, kAll)) expect_same(*got, f, key + " cut at " + std::to_string(n));
  }
}

// Every fact kind and every runner, with heads and values holding any bytes (the separators
// the old string encoding used among them), round-trips field for field.
TEST(FactsCacheCodec, RoundTripsEveryFactKind) {
  TempDir d;
  std::string path = (d.path() / "cache.bin").string();
  FileFacts f;
  auto& list = f.query_matches.list(0);
  for (int k = 0; k <= static_cast<int>(kLastFactKind); ++k)
    for (int r = 0; r <= static_cast<int>(kLastRunner); ++r) {
      std::string head = k % 2 ? "" : "scope\x1e" + std::to_string(r);
      Match m = fact(static_cast<FactKind>(k), k * 100 + r, "value\x1f\x1d" + std::to_string(k), head,
                     static_cast<Runner>(r), r % 3);
      m.cell = k;
      m.cell_line = r;
      m.scope = 7;
      list.push_back(m);
    }
  {
    FactsCache cache(path, "k");
    cache.put("key", f, {0});
    std::string error;
    ASSERT_TRUE(cache.save(error)) << error;
  }
  FactsCache cache(path, "k");
  cache.load();
  auto got = cache.get("key", {0});
  ASSERT_TRUE(got);
  ASSERT_EQ(got->query_matches[0].size(), list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const Match& g = got->query_matches[0][i];
    EXPECT_EQ(g, list[i]) << i;
    EXPECT_EQ(g.head(), list[i].head()) << i;
    EXPECT_EQ(g.value(), list[i].value()) << i;
  }
}

// A stored kind, runner or head past what the schema allows drops the entry (a miss).
TEST(FactsCacheCodec, OutOfRangeFieldsAreAMiss) {
  TempDir d;
  std::string path = (d.path() / "cache.bin").string();
  FileFacts f;
  f.query_matches.list(0) = {fact(FactKind::Command, 1, "pytest", "t", Runner::Make)};
  {
    FactsCache cache(path, "k");
    cache.put("key", f, {0});
    std::string error;
    ASSERT_TRUE(cache.save(error)) << error;
  }
  const std::string good = slurp(path);
  // The match's last four bytes before the diagnostics count: kind, runner, head_size.
  const size_t tail = good.size() - 4 - 4;
  auto with = [&](size_t at, std::string bytes) {
    std::string bad = good;
    bad.replace(at, bytes.size(), bytes);
    // Re-sign the entry so only the field check can refuse it. The one entry's payload follows
    // the magic, the header (key "k", count, body length), its sum, and the entry's length and sum.
    const size_t payload_at = facts_cache_magic().size() + (4 + 1) + 4 + 8 + 8 + 4 + 8;
    const std::string payload = bad.substr(payload_at);
    uint64_t sum = fnv1a64(payload);
    bad.replace(payload_at - 8, 8, std::string(reinterpret_cast<const char*>(&sum), 8));
    spit(path, bad);
    FactsCache cache(path, "k");
    cache.load();
    return cache.get("key", {0}).has_value();
  };
  EXPECT_TRUE(with(tail, std::string("\x01\x01", 2)));  // the same bytes, re-signed: a hit
  EXPECT_FALSE(with(tail, std::string(1, static_cast<char>(static_cast<int>(kLastFactKind) + 1))));
  EXPECT_FALSE(with(tail + 1, std::string(1, static_cast<char>(static_cast<int>(kLastRunner) + 1))));
  EXPECT_FALSE(with(tail + 2, std::string("\x40\x00", 2)));  // head longer than the text
}

// The cache version is a hash of the schema: every stored field with its type and the names of
// the enums' values. A file under another version is not read.
TEST(FactsCacheCodec, VersionFollowsTheSchema) {
  const std::string& schema = facts_cache_schema();
  for (const char* field : {"line:i32", "text:str", "scope:i32", "head_size:u16", "path:str", "message:str"})
    EXPECT_NE(schema.find(field), std::string::npos) << field;
  std::string kinds = "kind:u8{";
  for (int k = 0; k <= static_cast<int>(kLastFactKind); ++k)
    kinds += std::string(k ? "," : "") + fact_kind_name(static_cast<FactKind>(k));
  EXPECT_NE(schema.find(kinds + "}"), std::string::npos) << schema;
  EXPECT_NE(schema.find("runner:u8{,make,tox,"), std::string::npos) << schema;
  EXPECT_EQ(facts_cache_magic(), facts_cache_magic(schema));
  // Any change to the schema text gives another version.
  std::string renamed = schema;
  renamed.replace(renamed.find("head_size"), 9, "head_len_");
  EXPECT_NE(facts_cache_magic(renamed), facts_cache_magic());
  std::string reordered = schema;
  reordered.replace(reordered.find("ci-include,ci-template"), 22, "ci-template,ci-include");
  EXPECT_NE(facts_cache_magic(reordered), facts_cache_magic());
  EXPECT_TRUE(facts_cache_magic().starts_with("mlops-lint facts cache "));
  EXPECT_TRUE(facts_cache_magic().ends_with("\n"));

  // A cache saved under another schema's version is ignored, not misread.
  TempDir d;
  std::string path = (d.path() / "cache.bin").string();
  auto facts = sample_facts();
  {
    FactsCache cache(path, "k");
    for (const auto& [key, f] : facts) cache.put(key, f, kAll);
    std::string error;
    ASSERT_TRUE(cache.save(error)) << error;
  }
  std::string bytes = slurp(path);
  ASSERT_TRUE(bytes.starts_with(facts_cache_magic()));
  spit(path, facts_cache_magic(renamed) + bytes.substr(facts_cache_magic().size()));
  FactsCache old(path, "k");
  old.load();
  EXPECT_FALSE(old.get("b0123:a.py", {1}));
  spit(path, bytes);
  FactsCache same(path, "k");
  same.load();
  EXPECT_TRUE(same.get("b0123:a.py", {1}));
}

// Builds a cache file by hand, with valid checksums, around crafted entry payloads.
class Crafter {
 public:
  void u32(std::string& out, uint32_t v) { out.append(reinterpret_cast<const char*>(&v), 4); }
  void u64(std::string& out, uint64_t v) { out.append(reinterpret_cast<const char*>(&v), 8); }
  void str(std::string& out, const std::string& s) {
    u32(out, static_cast<uint32_t>(s.size()));
    out += s;
  }
  void entry(const std::string& payload) {
    u32(body_, static_cast<uint32_t>(payload.size()));
    u64(body_, fnv1a64(payload));
    body_ += payload;
    ++count_;
  }
  std::string file(const std::string& key) {
    std::string header;
    str(header, key);
    u32(header, count_);
    u64(header, body_.size());
    std::string out = facts_cache_magic() + header;
    u64(out, fnv1a64(header));
    return out + body_;
  }

 private:
  std::string body_;
  uint32_t count_ = 0;
};

long max_rss_kib() {
  struct rusage ru {};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss;
}

TEST(FactsCache, CraftedHugeCountsAreBoundedByTheFileSize) {
  TempDir d;
  fs::path path = d.path() / "cache.bin";
  Crafter c;
  auto payload = [&](const std::string& key, auto&& fill) {
    std::string p;
    c.str(p, key);
    fill(p);
    return p;
  };
  // A valid entry whose single match group sits at a huge query index: sparse in memory, and
  // a lookup of query 0 allocates nothing for it.
  std::string sparse = payload("sparse", [&](std::string& p) {
    c.u32(p, 2);  // answered: 0, 4000000000
    c.u32(p, 0);
    c.u32(p, 4000000000u);
    c.u32(p, 0);  // flags
    c.u32(p, 1);  // one group
    c.u32(p, 4000000000u);
    c.u32(p, 1);
    for (int i = 0; i < 4; ++i) c.u32(p, 1);
    c.str(p, "m");
    c.u32(p, 0);                // scope
    p += std::string(4, '\0');  // kind, runner (u8 each), head_size (u16)
    c.u32(p, 0);                // no diagnostics
  });
  c.entry(sparse);
  // Thousands of entries, each claiming billions of items of every kind.
  for (int i = 0; i < 5000; ++i) {
    c.entry(payload("answered" + std::to_string(i), [&](std::string& p) { c.u32(p, 0xffffffffu); }));
    c.entry(payload("groups" + std::to_string(i), [&](std::string& p) {
      c.u32(p, 0);
      c.u32(p, 0);
      c.u32(p, 0xffffffffu);
    }));
    c.entry(payload("matches" + std::to_string(i), [&](std::string& p) {
      c.u32(p, 1);
      c.u32(p, 7);
      c.u32(p, 0);
      c.u32(p, 1);
      c.u32(p, 7);
      c.u32(p, 0xffffffffu);
    }));
    c.entry(payload("diagnostics" + std::to_string(i), [&](std::string& p) {
      c.u32(p, 0);
      c.u32(p, 0);
      c.u32(p, 0);
      c.u32(p, 0xffffffffu);
    }));
    c.entry(payload("string" + std::to_string(i), [&](std::string& p) {
      c.u32(p, 0);
      c.u32(p, 0);
      c.u32(p, 0);
      c.u32(p, 1);
      c.u32(p, 0xfffffff0u);  // a path length far past the end
      p += std::string(32, '\0');
    }));
  }
  std::string file = c.file("k");
  ASSERT_LT(file.size(), 2u << 20);
  spit(path, file);
  long before = max_rss_kib();
  FactsCache cache(path.string(), "k");
  cache.load();
  // Peak memory, not time: the load may not grow the process by more than a few times the file.
  EXPECT_LT(max_rss_kib() - before, 64 * 1024);
  EXPECT_FALSE(cache.get("answered0", {}));
  EXPECT_FALSE(cache.get("groups0", {}));
  EXPECT_FALSE(cache.get("matches0", {}));
  EXPECT_FALSE(cache.get("diagnostics0", {}));
  EXPECT_FALSE(cache.get("string0", {}));
  auto got = cache.get("sparse", {0});
  ASSERT_TRUE(got);
  EXPECT_LE(got->query_matches.size(), 1u);
}

std::string summary(const CheckResult& r) {
  std::ostringstream s;
  for (const auto& f : r.findings)
    s << f.rule_id << " " << f.where.path << ":" << f.where.line << ":" << f.where.column << " " << f.message
      << " " << f.fingerprint << "\n";
  for (const auto& d : r.diagnostics)
    s << "diag " << d.where.path << ":" << d.where.line << " " << d.message << "\n";
  for (const auto& p : r.projects)
    for (const auto& res : p.results) {
      s << p.root << " " << res.rule_id << " " << to_string(res.outcome);
      for (const auto& e : res.evidence) s << " " << e.path << ":" << e.line;
      s << "\n";
    }
  return s.str();
}

TEST(FactsCache, ADamagedCacheNeverChangesFindings) {
  TempDir repo, cache_dir;
  repo.write("train.py",
             "import pandas as pd\nimport torch\nfrom sklearn.model_selection import train_test_split\n"
             "df = pd.read_csv('/home/alice/data.csv')\nX, y = train_test_split(df)\nprint(torch.rand(2))\n");
  repo.write("requirements.txt", "pandas\ntorch>=2\n");
  repo.write("config.yaml", "lr: [0.1\n");
  repo.write("README.md", "# A project\n");
  std::vector<Diagnostic> errors;
  RuleSet rules = load_rules({}, errors);
  ASSERT_TRUE(errors.empty());
  std::string error;
  auto snapshot = open_snapshot(repo.str(), {}, error);
  ASSERT_TRUE(snapshot) << error;
  CheckOptions cold_opts;
  cold_opts.jobs = 1;
  const std::string cold = summary(run_check(*snapshot, rules, cold_opts));
  fs::path path = cache_dir.path() / "cache.bin";
  {
    FactsCache cache(path.string(), ruleset_signature(rules));
    CheckOptions o = cold_opts;
    o.cache = &cache;
    ASSERT_EQ(summary(run_check(*snapshot, rules, o)), cold);
    ASSERT_TRUE(cache.save(error)) << error;
  }
  const std::string good = slurp(path);
  ASSERT_GT(good.size(), 64u);
  // A spread of positions through header and entries (a full sweep is the test above).
  size_t hits = 0;
  for (size_t i = 0; i < good.size(); i += std::max<size_t>(1, good.size() / 40)) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x10);
    spit(path, bad);
    FactsCache cache(path.string(), ruleset_signature(rules));
    cache.load();
    CheckOptions o = cold_opts;
    o.cache = &cache;
    CheckResult warm = run_check(*snapshot, rules, o);
    hits += warm.cache_hits;
    EXPECT_EQ(summary(warm), cold) << "byte " << i;
  }
  EXPECT_GT(hits, 0u);  // undamaged entries are still used
}

}  // namespace
}  // namespace mlops
