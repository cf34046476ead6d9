// The analysis scheduler: files in chunks in path order, each chunk on the worker threads, the
// facts landing at each file's index; then requirements files' includes and the filter-only
// queries of a second pass.
#include "engine/scheduler.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "analysers/file_analyser.h"
#include "analysers/manifests.h"
#include "analysers/requirement_graph.h"
#include "engine/evaluator.h"
#include "engine/query_plan.h"
#include "util/hash.h"

namespace mlops::engine {

namespace {

// Files pulled in by `-r` / `-c` from requirements files are requirements files whatever their
// names (`-r base.in`, `-c constraints.txt`): read here as such, following includes up to a depth,
// each file once per set of queries (so include cycles end). `-r` files answer the dependency
// queries that apply to the file including them; `-c` files only list their pins, since
// constraints install nothing. Uncached: such files are few and small.
void analyse_included(const Snapshot& snapshot, const RuleSet& rules, const Layout& layout,
                      const std::vector<bool>& used, const CheckOptions& options,
                      std::vector<FileFacts>& facts) {
  const size_t inc = rules.includes_query;
  if (inc >= used.size() || !used[inc]) return;
  constexpr int kMaxDepth = 8;
  constexpr size_t kMaxIncluded = 1000;
  const auto& files = snapshot.files();
  std::vector<std::pair<size_t, int>> queue;  // file, depth
  for (size_t i = 0; i < files.size(); ++i)
    if (inc < facts[i].query_matches.size() && !facts[i].query_matches[inc].empty()) queue.push_back({i, 0});
  std::map<size_t, std::set<size_t>> answered;  // included file -> queries answered for it
  for (size_t next = 0; next < queue.size() && answered.size() < kMaxIncluded; ++next) {
    auto [from, depth] = queue[next];
    if (depth >= kMaxDepth || inc >= facts[from].query_matches.size()) continue;
    const std::vector<Match> refs = facts[from].query_matches[inc];
    for (const auto& m : refs) {
      auto ref = include_ref(m);
      auto path = ref ? resolve_repo_path(files[from].path, ref->second) : std::nullopt;
      auto found = path ? find_file(files, *path) : std::nullopt;
      if (!found) continue;
      const size_t to = *found;
      const FileEntry& fe = files[to];
      if (manifest_kind(fe.path) == ManifestKind::Requirements) continue;  // read as one already
      std::set<size_t>& done = answered[to];
      std::vector<size_t> needed;
      if (!done.count(inc)) needed.push_back(inc);
      if (!ref->first)
        for (size_t q = 0; q < rules.queries.size(); ++q) {
          QueryKind k = rules.queries[q].kind;
          if (used[q] && !done.count(q) &&
              (k == QueryKind::DependencyDeclared || k == QueryKind::DependencyUnpinned) &&
              query_applies_to(rules.queries[q], layout.rel[from]))
            needed.push_back(q);
        }
      if (needed.empty()) continue;
      // Oversized files are noted by the first pass, which lists every text file.
      if (fe.oversized || fe.lfs_pointer) continue;
      ReadResult rr = snapshot.read(fe, options.max_file_size);
      if (rr.error) {
        facts[to].diagnostics.push_back(
            {{fe.path, 0, 0}, "cannot read: " + *rr.error + " (pulled in by " + files[from].path + ")"});
        done.insert(needed.begin(), needed.end());
        continue;
      }
      FileFacts more = analyse_file(fe, rr.bytes, rules.queries, needed, nullptr, true);
      facts[to].diagnostics.insert(facts[to].diagnostics.end(), more.diagnostics.begin(),
                                   more.diagnostics.end());
      auto& qm = facts[to].query_matches;
      for (size_t q : needed) {
        if (!more.query_matches[q].empty()) qm.list(q) = std::move(more.query_matches.list(q));
        done.insert(q);
      }
      queue.push_back({to, depth + 1});
    }
  }
}

// Chunks start small so that a project's first matches end the search early, then grow.
constexpr size_t kFirstChunk = 16, kMaxChunk = 4096;

// One analysis of a snapshot: its passes, and what they share (the worker threads, the cache,
// the read notes and counts).
class Scheduler {
 public:
  Scheduler(const Snapshot& snapshot, const RuleSet& rules, const Layout& layout, const CheckOptions& options,
            std::vector<FileFacts>& facts)
      : snapshot_(snapshot),
        files_(snapshot.files()),
        rules_(rules),
        layout_(layout),
        options_(options),
        facts_(facts),
        own_prefilters_(options.prefilters ? nullptr : std::make_unique<PrefilterIndex>(rules.queries)),
        prefilters_(options.prefilters ? *options.prefilters : *own_prefilters_),
        jobs_(options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency())),
        notes_(files_.size()),
        todo_(files_.size()),
        asked_(rules.queries.size(), 0) {}

  void first_pass(QueryPlan& plan, std::vector<FileExistsCache>& file_caches);
  std::vector<std::vector<size_t>> second_pass(const QueryPlan& plan);
  void report_query_counts(const QueryPlan& plan, const std::vector<std::vector<size_t>>& second) const;
  void collect(CheckResult& result) const;

 private:
  void analyse_cached(size_t i, const std::vector<size_t>& needed, FileFacts& into);
  void parallel(size_t begin, size_t end, size_t busy, const std::function<void(size_t)>& fn) const;
  void settle_grown(QueryPlan& plan, size_t start, size_t end, std::vector<FileExistsCache>& file_caches);

  const Snapshot& snapshot_;
  const std::vector<FileEntry>& files_;
  const RuleSet& rules_;
  const Layout& layout_;
  const CheckOptions& options_;
  std::vector<FileFacts>& facts_;
  const std::unique_ptr<PrefilterIndex> own_prefilters_;
  const PrefilterIndex& prefilters_;
  const unsigned jobs_;
  std::atomic<size_t> analysed_{0}, hits_{0};
  std::vector<std::vector<Diagnostic>> notes_;
  std::vector<std::vector<size_t>> todo_;  // freed once the file's chunk is analysed
  std::vector<size_t> asked_;              // files asked each query (for debugging)
  // Per project and query: whether a file of the project analysed so far has a match.
  std::vector<std::vector<char>> matched_;
};

// Reads and analyses file i for `needed`, through the cache; the answers land in `into`.
void Scheduler::analyse_cached(size_t i, const std::vector<size_t>& needed, FileFacts& into) {
  const FileEntry& fe = files_[i];
  if (fe.oversized) {
    notes_[i].push_back({{fe.path, 0, 0},
                         "skipped: larger than the " + std::to_string(options_.max_file_size) +
                             "-byte read limit (max-file-size)"});
    return;
  }
  if (fe.lfs_pointer) return;  // the content lives in LFS, not here
  std::string key;
  if (options_.cache && !fe.cache_key.empty()) {
    key = fe.cache_key + ":" + hex64(fnv1a64(layout_.rel[i]));
    if (auto cached = options_.cache->get(key, needed)) {
      into = std::move(*cached);
      ++hits_;
      return;
    }
  }
  ReadResult rr = snapshot_.read(fe, options_.max_file_size);
  if (rr.error) {
    notes_[i].push_back({{fe.path, 0, 0}, "cannot read: " + *rr.error});
    return;
  }
  into = analyse_file(fe, rr.bytes, rules_.queries, needed, &prefilters_);
  ++analysed_;
  if (!key.empty()) options_.cache->put(key, into, needed);
}

// Runs `fn` over the indexes in [begin, end) on the worker threads; results land by index.
void Scheduler::parallel(size_t begin, size_t end, size_t busy, const std::function<void(size_t)>& fn) const {
  std::atomic<size_t> next{begin};
  auto worker = [&] {
    for (size_t i = next++; i < end; i = next++) fn(i);
  };
  unsigned n = static_cast<unsigned>(std::min<size_t>(jobs_, std::max<size_t>(1, busy)));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < n; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
}

// The first pass, chunk by chunk: each chunk's files are asked the queries still open for
// their projects, and what the chunk found settles owners before the next one.
void Scheduler::first_pass(QueryPlan& plan, std::vector<FileExistsCache>& file_caches) {
  size_t chunk = kFirstChunk;
  for (size_t start = 0; start < files_.size(); start += chunk, chunk = std::min(chunk * 2, kMaxChunk)) {
    const size_t end = std::min(files_.size(), start + chunk);
    // Planning reads what settle_grown() decided after the chunk before; each worker plans the
    // files it analyses.
    parallel(start, end, end - start, [&](size_t i) {
      todo_[i] = plan.first_pass(i);
      if (!todo_[i].empty()) analyse_cached(i, todo_[i], facts_[i]);
    });
    for (size_t i = start; i < end; ++i) {
      for (size_t q : todo_[i]) ++asked_[q];
      std::vector<size_t>().swap(todo_[i]);
    }
    if (end == files_.size()) break;
    settle_grown(plan, start, end, file_caches);
  }
}

// Owners only change when matches arrive: after the first chunk (which also settles what file
// names alone decide), re-evaluate only the projects the chunk [start, end) found something in.
void Scheduler::settle_grown(QueryPlan& plan, size_t start, size_t end,
                             std::vector<FileExistsCache>& file_caches) {
  std::vector<char> grew(layout_.projects.size(), start == 0 ? 1 : 0);
  for (size_t i = start; i < end; ++i) {
    if (!facts_[i].query_matches.empty())
      for (size_t p : plan.projects_of(i)) grew[p] = 1;
  }
  if (matched_.empty()) matched_.assign(layout_.projects.size(), std::vector<char>(rules_.queries.size(), 0));
  for (size_t p = 0; p < layout_.projects.size(); ++p) {
    // The chunk's files of this project (its file list is sorted), into the project's table.
    const std::vector<size_t>& pf = layout_.projects[p].files;
    for (auto it = std::lower_bound(pf.begin(), pf.end(), start); it != pf.end() && *it < end; ++it)
      for (const auto& [q, list] : facts_[*it].query_matches.lists())
        if (!list.empty() && q < matched_[p].size()) matched_[p][q] = 1;
  }
  for (size_t p = 0; p < layout_.projects.size(); ++p) {
    if (!grew[p]) continue;
    Evaluator ev(rules_, files_, facts_, layout_, layout_.projects[p], options_.large_file_threshold,
                 &file_caches[p]);
    ev.set_tags(&snapshot_.tags());
    ev.set_matched_queries(&matched_[p]);
    plan.settle(p, ev);
  }
}

// Second pass: the filter-only queries, where the plan asks them; returns what each file was asked.
std::vector<std::vector<size_t>> Scheduler::second_pass(const QueryPlan& plan) {
  std::vector<std::vector<size_t>> second = plan.second_pass(facts_);
  size_t busy = 0;
  for (const auto& s : second) busy += s.empty() ? 0 : 1;
  std::vector<FileFacts> more(files_.size());
  parallel(0, files_.size(), busy, [&](size_t i) {
    if (!second[i].empty()) analyse_cached(i, second[i], more[i]);
  });
  for (size_t i = 0; i < files_.size(); ++i) {
    if (second[i].empty()) continue;
    auto& qm = facts_[i].query_matches;
    for (size_t q : second[i])
      if (!more[i].query_matches[q].empty()) qm.list(q) = std::move(more[i].query_matches.list(q));
    // A file only filters asked about was not analysed before: its notes count.
    facts_[i].diagnostics.insert(facts_[i].diagnostics.end(), more[i].diagnostics.begin(),
                                 more[i].diagnostics.end());
  }
  return second;
}

// MLOPS_LINT_DEBUG_QUERIES: how many files each query was asked of, on stderr.
void Scheduler::report_query_counts(const QueryPlan& plan,
                                    const std::vector<std::vector<size_t>>& second) const {
  if (!std::getenv("MLOPS_LINT_DEBUG_QUERIES")) return;
  std::vector<size_t> counts = asked_;
  for (const auto& t : second)
    for (size_t q : t) ++counts[q];
  for (size_t q = 0; q < rules_.queries.size(); ++q)
    std::fprintf(stderr, "query %zu (%s): %zu files, deferred %d\n", q,
                 rules_.queries[q].fingerprint().c_str(), counts[q], static_cast<int>(plan.deferred(q)));
}

// The suppression comments, read notes and analysis diagnostics, and the counts, into the result.
void Scheduler::collect(CheckResult& result) const {
  for (size_t i = 0; i < files_.size(); ++i) {
    if (rules_.suppression_query < facts_[i].query_matches.size() &&
        !facts_[i].query_matches[rules_.suppression_query].empty())
      result.suppression_comments[files_[i].path] = facts_[i].query_matches[rules_.suppression_query];
    result.diagnostics.insert(result.diagnostics.end(), notes_[i].begin(), notes_[i].end());
    result.diagnostics.insert(result.diagnostics.end(), facts_[i].diagnostics.begin(),
                              facts_[i].diagnostics.end());
  }
  result.files_analysed = analysed_;
  result.cache_hits = hits_;
}

}  // namespace

// Analyses every file some query needs. Files go in fixed-size chunks in path order, each chunk
// in parallel; results land at the file's index and short-circuit decisions are only taken
// between chunks, so the outcome does not depend on thread scheduling.
void analyse_files(const Snapshot& snapshot, const RuleSet& rules, const Layout& layout,
                   const std::vector<bool>& global_needed, const std::set<size_t>& only_files,
                   const CheckOptions& options, std::vector<FileFacts>& facts, CheckResult& result,
                   std::vector<FileExistsCache>& file_caches) {
  facts.assign(snapshot.files().size(), FileFacts{});
  file_caches = std::vector<FileExistsCache>(layout.projects.size());
  QueryPlan plan(rules, layout, global_needed, only_files);
  Scheduler scheduler(snapshot, rules, layout, options, facts);
  scheduler.first_pass(plan, file_caches);
  analyse_included(snapshot, rules, layout, plan.used(), options, facts);
  const auto second = scheduler.second_pass(plan);
  scheduler.report_query_counts(plan, second);
  scheduler.collect(result);
}

}  // namespace mlops::engine
