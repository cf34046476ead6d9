// posix_spawnp of git with pipes read through poll, so neither a large stdout nor a chatty stderr
// can deadlock the two processes.
#include "repo/git_cli.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>  // NOLINT(modernize-deprecated-headers): POSIX kill() is declared here, not in <csignal>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

extern char** environ;

namespace mlops {
namespace {

constexpr size_t kMaxStderr = 4096;
// ls-files of a million-entry index takes a few seconds; silence this long means a hang.
constexpr int kTimeoutMs = 30000;

// The caller's environment without GIT_* variables (GIT_DIR, GIT_INDEX_FILE... would make git read
// another repository than libgit2 found), plus what keeps git quiet, local and lock-free.
std::vector<std::string> git_environment() {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view v(*e);
    if (v.starts_with("GIT_") || v.starts_with("PAGER=")) continue;
    env.emplace_back(v);
  }
  for (const char* v : {"GIT_OPTIONAL_LOCKS=0", "GIT_TERMINAL_PROMPT=0", "GIT_NO_LAZY_FETCH=1",
                        "GIT_PAGER=cat", "PAGER=cat", "GIT_ASKPASS=", "SSH_ASKPASS="})
    env.emplace_back(v);
  return env;
}

}  // namespace

GitCliResult run_git(const std::string& dir, const std::vector<std::string>& args, uint64_t out_cap,
                     const std::vector<std::string>& extra_env) {
  GitCliResult r;
  std::vector<std::string> argv = {"git",
                                   "--no-pager",
                                   "--no-optional-locks",
                                   "-c",
                                   "core.fsmonitor=false",
                                   "-c",
                                   "core.untrackedCache=false",
                                   "-c",
                                   "core.hooksPath=/dev/null",
                                   "-C",
                                   dir};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<char*> cargv;
  for (auto& a : argv) cargv.push_back(a.data());
  cargv.push_back(nullptr);
  std::vector<std::string> env = git_environment();
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> cenv;
  for (auto& e : env) cenv.push_back(e.data());
  cenv.push_back(nullptr);

  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    r.error = std::string("cannot run git: ") + std::strerror(errno);
    return r;
  }
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    r.error = std::string("cannot run git: ") + std::strerror(errno);
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return r;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], STDERR_FILENO);
  pid_t pid = 0;
  int rc = ::posix_spawnp(&pid, "git", &actions, nullptr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (rc != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    r.error = rc == ENOENT ? "the git command-line tool is not on PATH"
                           : std::string("cannot run git: ") + std::strerror(rc);
    return r;
  }
  r.ran = true;

  bool too_much = false, timed_out = false;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0 && !too_much) {
    int n = ::poll(fds, 2, kTimeoutMs);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (n == 0) {  // silent for that long: something is wrong (a FIFO in .git, a lock...)
      timed_out = true;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      if (i == 0) {
        if (r.out.size() + static_cast<size_t>(got) > out_cap)
          too_much = true;
        else
          r.out.append(buf, static_cast<size_t>(got));
      } else if (r.err.size() < kMaxStderr) {
        r.err.append(buf, std::min(static_cast<size_t>(got), kMaxStderr - r.err.size()));
      }
    }
  }
  if (too_much || timed_out) ::kill(pid, SIGKILL);
  for (auto& f : fds)
    if (f.fd >= 0) ::close(f.fd);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out) {
    r.error = "git gave no output for " + std::to_string(kTimeoutMs / 1000) + " s; stopped";
    r.out.clear();
    return r;
  }
  if (too_much) {
    r.error = "git output larger than " + std::to_string(out_cap >> 20) + " MiB";
    r.out.clear();
    return r;
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
  if (r.exit_code != 0) {
    std::string first = r.err.substr(0, r.err.find('\n'));
    r.error = "git exited with status " + std::to_string(r.exit_code) + (first.empty() ? "" : ": " + first);
  }
  return r;
}

namespace {

// Copies `from` to `to` (a regular file, at most `cap` bytes): false when it cannot.
bool copy_capped(const std::string& from, const std::string& to, uint64_t cap) {
  int in = ::open(from.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (in < 0) return false;
  struct stat st {};
  bool ok = ::fstat(in, &st) == 0 && S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) <= cap;
  int out = ok ? ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600) : -1;
  ok = out >= 0;
  char buf[65536];
  while (ok) {
    ssize_t n = ::read(in, buf, sizeof buf);
    if (n == 0) break;
    ok = n > 0 && ::write(out, buf, static_cast<size_t>(n)) == n;
  }
  if (out >= 0) ::close(out);
  ::close(in);
  return ok;
}

}  // namespace

GitCliResult git_ls_files_read_only(const std::string& git_dir, const std::string& common_dir,
                                    uint64_t out_cap) {
  GitCliResult r;
  const char* tmp_root = std::getenv("TMPDIR");
  std::string tmpl = std::string(tmp_root && *tmp_root ? tmp_root : "/tmp") + "/mlops-lint-index.XXXXXX";
  std::vector<char> buf(tmpl.begin(), tmpl.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) {
    r.error = std::string("cannot make a scratch directory: ") + std::strerror(errno);
    return r;
  }
  const std::string scratch = buf.data();
  std::vector<std::string> made;  // files to remove, then the directories
  bool ok = true;
  auto write_small = [&](const std::string& name, const std::string& text) {
    std::string p = scratch + "/" + name;
    int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    ok = ok && fd >= 0 && ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
    if (fd >= 0) ::close(fd), made.push_back(p);
  };
  write_small("HEAD", "ref: refs/heads/mlops-lint-scratch\n");
  // A sparse index is listed as it is (`--sparse`: directories outside the cone stay one entry,
  // never expanded): expanding it makes git rewrite tree objects, freshening their timestamps in
  // the real object store. Git keeps the index sparse only when the config says so.
  write_small("config", "[core]\n\trepositoryformatversion = 1\n[extensions]\n\tworktreeConfig = true\n");
  write_small("config.worktree",
              "[core]\n\tsparseCheckout = true\n\tsparseCheckoutCone = true\n[index]\n\tsparse = true\n");
  for (const char* d : {"refs", "objects", "info"})
    ok = ok && ::mkdir((scratch + "/" + d).c_str(), 0700) == 0;
  // The index and the shared indexes it may name; the sizes of both are bounded by the cap.
  std::string base = git_dir.ends_with("/") ? git_dir : git_dir + "/";
  if (ok && copy_capped(base + "index", scratch + "/index", out_cap))
    made.push_back(scratch + "/index");
  else
    ok = false;
  if (ok && copy_capped(base + "info/sparse-checkout", scratch + "/info/sparse-checkout", 1 << 20))
    made.push_back(scratch + "/info/sparse-checkout");
  if (DIR* d = ok ? ::opendir(base.c_str()) : nullptr) {
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (!name.starts_with("sharedindex.")) continue;
      if (copy_capped(base + name, scratch + "/" + name, out_cap)) made.push_back(scratch + "/" + name);
    }
    ::closedir(d);
  }
  if (ok) {
    std::string objects = (common_dir.ends_with("/") ? common_dir : common_dir + "/") + "objects";
    r = run_git(scratch, {"ls-files", "-z", "--stage", "--debug", "--sparse"}, out_cap,
                {"GIT_DIR=" + scratch, "GIT_OBJECT_DIRECTORY=" + objects});
  } else {
    r.error = "cannot copy the index to a scratch directory";
  }
  for (const auto& f : made) ::unlink(f.c_str());
  for (const char* d : {"/refs", "/objects", "/info", ""}) ::rmdir((scratch + d).c_str());
  // git may have left files of its own (a refreshed shared index is the same file): clear them.
  if (DIR* d = ::opendir(scratch.c_str())) {
    while (dirent* e = ::readdir(d))
      if (std::string(e->d_name) != "." && std::string(e->d_name) != "..")
        ::unlink((scratch + "/" + e->d_name).c_str());
    ::closedir(d);
    ::rmdir(scratch.c_str());
  }
  return r;
}

}  // namespace mlops
