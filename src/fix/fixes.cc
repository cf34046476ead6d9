// The fix stage: attaching fixes to findings, applying them in memory pass after pass, and the
// unified diff of what changed.
#include "fix/fixes.h"

#include <algorithm>
#include <atomic>
#include <memory>
#include <thread>
#include <unordered_map>

#include "analysers/secrets.h"
#include "fix/edits.h"
#include "fix/fixer.h"

namespace mlops {

namespace {

// Passes of check-then-fix: a fix can uncover or unblock another (two fixes on one span).
constexpr int kMaxFixPasses = 8;

std::string where_text(const Location& l) {
  return l.path + (l.line > 0 ? ":" + std::to_string(l.line) : std::string());
}

// The edits sorted and well-formed (inside the file, not overlapping): else the fixer erred.
bool well_formed(std::vector<TextEdit>& edits, const FixContext& context) {
  if (edits.empty()) return false;
  std::sort(edits.begin(), edits.end(), [](const TextEdit& a, const TextEdit& b) {
    return std::tie(a.path, a.start, a.end) < std::tie(b.path, b.start, b.end);
  });
  for (size_t i = 0; i < edits.size(); ++i) {
    const std::string* bytes = context.read(edits[i].path);
    if (!bytes || edits[i].start > edits[i].end || edits[i].end > bytes->size()) return false;
    if (i > 0 && edits[i - 1].path == edits[i].path && edits[i - 1].end > edits[i].start) return false;
  }
  return true;
}

bool overlaps(const TextEdit& a, const TextEdit& b) {
  if (a.start == a.end && b.start == b.end) return a.start == b.start;  // two insertions at one point
  if (a.start == a.end) return b.start <= a.start && a.start <= b.end;
  if (b.start == b.end) return a.start <= b.start && b.start <= a.end;
  return a.start < b.end && b.start < a.end;
}

// Runs fn(worker, i) for i in [0, n) on up to `threads` workers; each index gets exactly one call.
template <typename Fn>
void parallel_for(size_t n, unsigned threads, Fn fn) {
  if (threads <= 1) {
    for (size_t i = 0; i < n; ++i) fn(0u, i);
    return;
  }
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      for (size_t i = next++; i < n; i = next++) fn(t, i);
    });
  for (auto& th : pool) th.join();
}

}  // namespace

void attach_fixes(CheckResult& result, const Snapshot& snapshot, const RuleSet& rules, unsigned jobs) {
  if (!jobs) jobs = std::max(1u, std::thread::hardware_concurrency());
  // The findings a fixer may fix, then the fixers run in parallel (a notebook's outputs or a
  // Python file's tree per finding); each thread reads through its own context, results by index.
  std::vector<size_t> fixable;
  for (size_t i = 0; i < result.findings.size(); ++i) {
    const Finding& f = result.findings[i];
    const Rule* rule = f.suppressed ? nullptr : rules.find(f.rule_id);
    if (rule && !rule->fixer.empty() && find_fixer(rule->fixer)) fixable.push_back(i);
  }
  std::vector<std::optional<Fix>> found(fixable.size());
  const unsigned threads = static_cast<unsigned>(std::min<size_t>(jobs, fixable.size()));
  std::vector<std::unique_ptr<FixContext>> contexts;  // one per worker: its reads are cached
  for (unsigned t = 0; t < std::max(1u, threads); ++t)
    contexts.push_back(std::make_unique<FixContext>(snapshot, result, rules));
  parallel_for(fixable.size(), threads, [&](unsigned worker, size_t k) {
    const Finding& f = result.findings[fixable[k]];
    const Rule* rule = rules.find(f.rule_id);
    const FixerInfo* fixer = find_fixer(rule->fixer);
    FixContext& local = *contexts[worker];
    local.set_options(&rule->fix_options);
    std::optional<Fix> fix = fixer->fn(local, f);
    if (!fix || !well_formed(fix->edits, local)) return;
    if (fixer->applicability == Applicability::Unsafe) fix->applicability = Applicability::Unsafe;
    // A fix whose every edit writes what is already there changes nothing.
    bool changes = std::any_of(fix->edits.begin(), fix->edits.end(), [&](const TextEdit& e) {
      return local.read(e.path)->compare(e.start, e.end - e.start, e.replacement) != 0;
    });
    if (changes) found[k] = std::move(fix);
  });
  std::vector<std::pair<size_t, Fix>> fixes;
  for (size_t k = 0; k < fixable.size(); ++k)
    if (found[k]) fixes.emplace_back(fixable[k], std::move(*found[k]));
  // A fix must never write a secret into a report or a diff: one whose replacement holds a
  // credential (a fixer quoting the file's text back) is dropped.
  if (!fixes.empty()) {
    const SecretScanner scanner(rules.queries);
    std::erase_if(fixes, [&](const auto& f) {
      return std::any_of(f.second.edits.begin(), f.second.edits.end(),
                         [&](const TextEdit& e) { return !scanner.find(e.replacement).empty(); });
    });
  }

  // Each fixed file must still parse. Parsing is the cost (a large Python file, once per fix, made
  // hundreds of fixes take seconds): a file's fixes are first checked all together, and one by
  // one only when they overlap or the whole does not parse.
  std::map<std::string, std::vector<size_t>> by_file;  // path -> indexes into `fixes`
  for (size_t k = 0; k < fixes.size(); ++k)
    for (const auto& e : fixes[k].second.edits)
      if (auto& list = by_file[e.path]; list.empty() || list.back() != k) list.push_back(k);
  auto edits_in = [&](size_t k, const std::string& path) {
    std::vector<TextEdit> out;
    for (const auto& e : fixes[k].second.edits)
      if (e.path == path) out.push_back(e);
    return out;
  };
  std::vector<std::pair<std::string, std::vector<size_t>>> files(by_file.begin(), by_file.end());
  std::vector<std::vector<size_t>> broken_in(files.size());  // per file: the fixes that break it
  parallel_for(files.size(), std::min<unsigned>(threads, static_cast<unsigned>(files.size())),
               [&](unsigned worker, size_t n) {
                 const auto& [path, ks] = files[n];
                 const std::string& bytes = *contexts[worker]->read(path);
                 std::vector<TextEdit> all;
                 for (size_t k : ks) {
                   auto e = edits_in(k, path);
                   all.insert(all.end(), e.begin(), e.end());
                 }
                 std::sort(all.begin(), all.end());
                 all.erase(std::unique(all.begin(), all.end()), all.end());
                 bool disjoint = true;
                 for (size_t i = 1; i < all.size() && disjoint; ++i) disjoint = !overlaps(all[i - 1], all[i]);
                 if (disjoint && still_parses(path, bytes, apply_edits(bytes, all))) return;
                 for (size_t k : ks)
                   if (!still_parses(path, bytes, apply_edits(bytes, edits_in(k, path))))
                     broken_in[n].push_back(k);
               });
  std::vector<bool> broken(fixes.size(), false);
  std::vector<Diagnostic> dropped;
  for (size_t n = 0; n < files.size(); ++n)
    for (size_t k : broken_in[n]) {
      if (broken[k]) continue;
      broken[k] = true;
      const Finding& f = result.findings[fixes[k].first];
      dropped.push_back({f.where, "fix for " + f.rule_id + " at " + where_text(f.where) +
                                      " dropped: the fixed " + files[n].first + " would not parse"});
    }
  for (size_t k = 0; k < fixes.size(); ++k)
    if (!broken[k]) result.findings[fixes[k].first].fix = std::move(fixes[k].second);
  if (!dropped.empty()) {
    result.diagnostics.insert(result.diagnostics.end(), dropped.begin(), dropped.end());
    std::sort(result.diagnostics.begin(), result.diagnostics.end());
  }
}

OverlaySnapshot::OverlaySnapshot(const Snapshot& base, const std::map<std::string, std::string>& contents)
    : base_(base), contents_(contents), entries_(base.files()) {
  for (auto& e : entries_) {
    auto it = contents_.find(e.path);
    if (it == contents_.end()) continue;
    e.size = it->second.size();
    e.cache_key.clear();  // the cache knows the file's old content, not this one
  }
}

ReadResult OverlaySnapshot::read(const FileEntry& file, uint64_t limit) const {
  auto it = contents_.find(file.path);
  if (it == contents_.end()) {
    // The base snapshot checks its own entry (size, key), so hand it that one.
    const auto& base_files = base_.files();
    auto b = std::lower_bound(base_files.begin(), base_files.end(), file.path,
                              [](const FileEntry& e, const std::string& p) { return e.path < p; });
    if (b == base_files.end() || b->path != file.path) return {{}, "no such file"};
    return base_.read(*b, limit);
  }
  return {it->second.substr(0, limit), std::nullopt};
}

FixRun run_fixes(const Snapshot& snapshot, bool unsafe,
                 const std::function<CheckResult(const Snapshot&)>& check) {
  FixRun run;
  std::map<std::string, std::string> contents;
  for (int pass = 0;; ++pass) {
    OverlaySnapshot overlay(snapshot, contents);
    CheckResult result = check(overlay);
    if (pass == kMaxFixPasses) {
      run.result = std::move(result);
      break;
    }
    FixContext context(overlay, result, RuleSet{});
    std::map<std::string, std::vector<TextEdit>> chosen;
    size_t applied = 0;
    for (const auto& f : result.findings) {
      if (f.suppressed || !f.fix) continue;
      if (f.fix->applicability == Applicability::Unsafe && !unsafe) continue;
      bool conflict = false;
      std::vector<const TextEdit*> fresh;
      for (const auto& e : f.fix->edits) {
        auto& taken = chosen[e.path];
        if (std::find(taken.begin(), taken.end(), e) != taken.end()) continue;  // the same edit: once
        if (std::any_of(taken.begin(), taken.end(), [&](const TextEdit& t) { return overlaps(t, e); })) {
          conflict = true;
          break;
        }
        fresh.push_back(&e);
      }
      if (conflict) continue;  // the next pass, on the fixed text, may take it
      for (const TextEdit* e : fresh) chosen[e->path].push_back(*e);
      ++applied;
    }
    if (applied == 0) {
      run.result = std::move(result);
      break;
    }
    run.applied += applied;
    std::map<std::string, std::string> next = contents;
    for (auto& [path, edits] : chosen) {
      if (edits.empty()) continue;
      std::sort(edits.begin(), edits.end());
      const std::string* bytes = context.read(path);
      if (!bytes) continue;
      if (!run.original.count(path)) run.original[path] = *bytes;
      next[path] = apply_edits(*bytes, edits);
    }
    contents = std::move(next);
  }
  for (const auto& [path, bytes] : contents)
    if (run.original[path] != bytes) run.fixed[path] = bytes;
  std::erase_if(run.original, [&](const auto& kv) { return !run.fixed.count(kv.first); });
  return run;
}

// ---- unified diff -------------------------------------------------------------------------

namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> out;
  size_t at = 0;
  while (at < text.size()) {
    size_t nl = text.find('\n', at);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    out.push_back(text.substr(at, end - at));
    at = end;
  }
  return out;
}

enum class Op : char { Equal = ' ', Delete = '-', Insert = '+' };

struct LineOp {
  Op op;
  size_t a, b;  // line indexes in the old and new texts
};

// A line diff: patience anchors (lines unique on both sides, in increasing order), with Myers
// between them. A region where Myers would need more than kMaxMyersCost steps becomes one block
// of deletions and insertions: still a correct diff, if not a minimal one.
class LineDiff {
 public:
  LineDiff(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) : a_(a), b_(b) {}

  std::vector<LineOp> run() {
    diff(0, a_.size(), 0, b_.size(), 0);
    return std::move(ops_);
  }

 private:
  static constexpr long kMaxMyersCost = 1000;
  static constexpr int kMaxDepth = 64;

  void diff(size_t a0, size_t a1, size_t b0, size_t b1, int depth) {
    while (a0 < a1 && b0 < b1 && a_[a0] == b_[b0]) ops_.push_back({Op::Equal, a0++, b0++});
    size_t suffix = 0;
    while (a1 - suffix > a0 && b1 - suffix > b0 && a_[a1 - suffix - 1] == b_[b1 - suffix - 1]) ++suffix;
    a1 -= suffix;
    b1 -= suffix;
    bool both = a0 < a1 && b0 < b1;
    bool done = both && depth <= kMaxDepth && (anchored(a0, a1, b0, b1, depth) || myers(a0, a1, b0, b1));
    if (!done) {
      for (size_t i = a0; i < a1; ++i) ops_.push_back({Op::Delete, i, b0});
      for (size_t j = b0; j < b1; ++j) ops_.push_back({Op::Insert, a1, j});
    }
    for (size_t k = 0; k < suffix; ++k) ops_.push_back({Op::Equal, a1 + k, b1 + k});
  }

  // Splits the region at lines unique on both sides; false when there are none.
  bool anchored(size_t a0, size_t a1, size_t b0, size_t b1, int depth) {
    std::unordered_map<std::string_view, std::pair<int, size_t>> in_a, in_b;
    for (size_t i = a0; i < a1; ++i) {
      auto& c = in_a[a_[i]];
      ++c.first;
      c.second = i;
    }
    for (size_t j = b0; j < b1; ++j) {
      auto& c = in_b[b_[j]];
      ++c.first;
      c.second = j;
    }
    std::vector<std::pair<size_t, size_t>> unique;  // (a index, b index), by a
    for (size_t i = a0; i < a1; ++i) {
      auto ia = in_a.find(a_[i]);
      auto ib = in_b.find(a_[i]);
      if (ia->second.first == 1 && ib != in_b.end() && ib->second.first == 1)
        unique.emplace_back(i, ib->second.second);
    }
    if (unique.empty()) return false;
    // Longest increasing run of b indexes (patience sorting), O(n log n).
    std::vector<size_t> tails, prev(unique.size(), SIZE_MAX), tail_index;
    for (size_t k = 0; k < unique.size(); ++k) {
      size_t v = unique[k].second;
      auto it = std::lower_bound(tails.begin(), tails.end(), v);
      size_t pos = static_cast<size_t>(it - tails.begin());
      if (it == tails.end()) {
        tails.push_back(v);
        tail_index.push_back(k);
      } else {
        *it = v;
        tail_index[pos] = k;
      }
      if (pos > 0) prev[k] = tail_index[pos - 1];
    }
    std::vector<std::pair<size_t, size_t>> anchors;
    for (size_t k = tail_index.back(); k != SIZE_MAX; k = prev[k]) anchors.push_back(unique[k]);
    std::reverse(anchors.begin(), anchors.end());
    size_t pa = a0, pb = b0;
    for (const auto& [i, j] : anchors) {
      diff(pa, i, pb, j, depth + 1);
      ops_.push_back({Op::Equal, i, j});
      pa = i + 1;
      pb = j + 1;
    }
    diff(pa, a1, pb, b1, depth + 1);
    return true;
  }

  // Myers' O(ND) greedy diff of a region, with the trace kept for the walk back.
  bool myers(size_t a0, size_t a1, size_t b0, size_t b1) {
    const long n = static_cast<long>(a1 - a0), m = static_cast<long>(b1 - b0);
    const long max = std::min(n + m, kMaxMyersCost);
    std::vector<long> v(2 * static_cast<size_t>(max) + 2, 0);
    std::vector<std::vector<long>> trace;
    auto at = [&](long k) -> long& { return v[static_cast<size_t>(k + max + 1)]; };
    long found = -1;
    for (long d = 0; d <= max && found < 0; ++d) {
      trace.push_back(v);
      for (long k = -d; k <= d; k += 2) {
        long x = (k == -d || (k != d && at(k - 1) < at(k + 1))) ? at(k + 1) : at(k - 1) + 1;
        long y = x - k;
        while (x < n && y < m && a_[a0 + x] == b_[b0 + y]) ++x, ++y;
        at(k) = x;
        if (x >= n && y >= m) {
          found = d;
          break;
        }
      }
    }
    if (found < 0) return false;
    std::vector<LineOp> rev;
    long x = n, y = m;
    for (long d = found; d > 0; --d) {
      const auto& pv = trace[static_cast<size_t>(d)];
      auto pat = [&](long k) { return pv[static_cast<size_t>(k + max + 1)]; };
      long k = x - y;
      long pk = (k == -d || (k != d && pat(k - 1) < pat(k + 1))) ? k + 1 : k - 1;
      long px = pat(pk), py = px - pk;
      while (x > px && y > py) {
        --x, --y;
        rev.push_back({Op::Equal, a0 + x, b0 + y});
      }
      if (x == px) {
        --y;
        rev.push_back({Op::Insert, a0 + x, b0 + y});
      } else {
        --x;
        rev.push_back({Op::Delete, a0 + x, b0 + y});
      }
    }
    while (x > 0 && y > 0) {
      --x, --y;
      rev.push_back({Op::Equal, a0 + x, b0 + y});
    }
    ops_.insert(ops_.end(), rev.rbegin(), rev.rend());
    return true;
  }

  const std::vector<std::string_view>& a_;
  const std::vector<std::string_view>& b_;
  std::vector<LineOp> ops_;
};

std::string range(size_t start, size_t count) {
  // GNU style: an empty range names the line before it.
  std::string s = std::to_string(count == 0 ? start : start + 1);
  if (count != 1) s += "," + std::to_string(count);
  return s;
}

void emit_line(std::string& out, char prefix, std::string_view line) {
  out += prefix;
  out.append(line);
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

}  // namespace

std::string unified_diff(const std::map<std::string, std::string>& original,
                         const std::map<std::string, std::string>& fixed) {
  constexpr size_t kContext = 3;
  std::string out;
  for (const auto& [path, after] : fixed) {
    auto it = original.find(path);
    std::string_view before = it == original.end() ? std::string_view() : std::string_view(it->second);
    if (before == after) continue;
    auto a = split_lines(before), b = split_lines(after);
    std::vector<LineOp> ops = LineDiff(a, b).run();
    out += "--- a/" + path + "\n+++ b/" + path + "\n";
    size_t i = 0;
    while (i < ops.size()) {
      while (i < ops.size() && ops[i].op == Op::Equal) ++i;
      if (i == ops.size()) break;
      size_t first = i >= kContext ? i - kContext : 0;
      // Extend while the next change is within 2*context equal lines.
      size_t last = i;
      for (size_t j = i; j < ops.size(); ++j) {
        if (ops[j].op != Op::Equal) {
          last = j;
          continue;
        }
        if (j - last > 2 * kContext) break;
      }
      size_t end = std::min(ops.size(), last + kContext + 1);
      size_t a_start = ops[first].a, b_start = ops[first].b, a_count = 0, b_count = 0;
      for (size_t j = first; j < end; ++j) {
        if (ops[j].op != Op::Insert) ++a_count;
        if (ops[j].op != Op::Delete) ++b_count;
      }
      out += "@@ -" + range(a_start, a_count) + " +" + range(b_start, b_count) + " @@\n";
      for (size_t j = first; j < end; ++j) {
        const auto& op = ops[j];
        emit_line(out, static_cast<char>(op.op), op.op == Op::Insert ? b[op.b] : a[op.a]);
      }
      i = end;
    }
  }
  return out;
}

}  // namespace mlops
