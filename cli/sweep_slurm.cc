// `cairn sweep SWEEP --slurm`: the pending tasks of a sweep as Slurm job
// arrays (sbatch --array), one array task per variant x replicate, each
// running `cairn sweep task DIR INDEX` — the function a local run uses — on
// a node that sees DIR. Arrays hold at most slurm.max_array_size indices
// (Slurm's MaxArraySize), so a larger sweep is submitted as several arrays
// whose tasks add an offset to SLURM_ARRAY_TASK_ID. With --wait, it follows
// the arrays with squeue until they end, then merges.
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "cli/sweep_run.h"

extern char** environ;

namespace cairn::cli {
namespace fs = std::filesystem;

namespace {

struct Captured {
  int status = -1;  // exit status, -1 when it could not run
  std::string out, err;
};

// Runs argv (found on PATH) and collects what it prints.
Captured capture(const std::vector<std::string>& args) {
  Captured c;
  int out[2], err[2];
  if (pipe(out) != 0) return c;
  if (pipe(err) != 0) {
    close(out[0]), close(out[1]);
    return c;
  }
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  posix_spawn_file_actions_addclose(&actions, err[0]);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]), close(err[1]);
  if (rc != 0) {
    close(out[0]), close(err[0]);
    c.err = std::string(args[0]) + ": not found";
    return c;
  }
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  for (int open = 2; open > 0;) {
    if (poll(fds, 2, -1) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP))) continue;
      char buf[4096];
      const ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) (i ? c.err : c.out).append(buf, static_cast<size_t>(n));
      else close(fds[i].fd), fds[i].fd = -1, --open;
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  c.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  return c;
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\r')) s.pop_back();
  return s;
}

// "0-5,7,9-12" for sorted indices.
std::string ranges(const std::vector<size_t>& sorted) {
  std::string out;
  for (size_t i = 0; i < sorted.size();) {
    size_t j = i;
    while (j + 1 < sorted.size() && sorted[j + 1] == sorted[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(sorted[i]);
    if (j > i) {
      out += '-';
      out += std::to_string(sorted[j]);
    }
    i = j + 1;
  }
  return out;
}

Status write_script(const fs::path& script, const fs::path& dir, const SweepSpec& spec) {
  const SlurmSpec& s = spec.slurm;
  std::ofstream out(script);
  out << "#!/bin/bash\n"
      << "#SBATCH --job-name=cairn-sweep-" << spec.name << "\n"
      << "#SBATCH --output=" << (dir / "slurm" / "logs" / "%A_%a.out").string() << "\n"
      << "#SBATCH --chdir=" << dir.string() << "\n"
      << "#SBATCH --ntasks=1\n"
      << "#SBATCH --cpus-per-task=" << s.cpus_per_task << "\n";
  if (!s.partition.empty()) out << "#SBATCH --partition=" << s.partition << "\n";
  if (!s.time.empty()) out << "#SBATCH --time=" << s.time << "\n";
  if (!s.mem.empty()) out << "#SBATCH --mem=" << s.mem << "\n";
  if (!s.account.empty()) out << "#SBATCH --account=" << s.account << "\n";
  for (const std::string& e : s.extra) out << "#SBATCH " << e << "\n";
  out << "#\n"
      << "# Written by `cairn sweep --slurm` for the sweep " << spec.name << " (scenario XXH64 "
      << spec.scenario_xxh64 << "):\n"
      << "# " << spec.variants.size() << " variants x " << spec.replicates << " replicates = " << spec.task_count()
      << " tasks. Array task i runs task CAIRN_SWEEP_OFFSET + i: one\n"
      << "# `cairn plan` of its variant with its own seed (sweep.json), its results into tasks/.\n"
      << "# A lost task reruns identically:  cairn sweep task DIR INDEX\n"
      << "# When every task has ended:       cairn sweep merge DIR\n"
      << "exec " << shell_quoted(self_executable()) << " sweep task " << shell_quoted(dir.string())
      << " \"$(( ${CAIRN_SWEEP_OFFSET:-0} + SLURM_ARRAY_TASK_ID ))\"\n";
  if (!out) return Status(StatusCode::kIoError, "cannot write " + script.string());
  fs::permissions(script, fs::perms::owner_all | fs::perms::group_read | fs::perms::others_read);
  return Status();
}

// Follows the jobs until squeue no longer lists them; progress on stderr.
int wait_for(const std::vector<std::string>& jobs, const fs::path& dir, const SweepSpec& spec) {
  std::string list;
  for (const std::string& j : jobs) list += (list.empty() ? "" : ",") + j;
  const auto start = std::chrono::steady_clock::now();
  size_t shown = SIZE_MAX;
  for (int failures = 0;;) {
    const size_t done = spec.task_count() - pending_tasks(dir, spec).size();
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (done != shown) {
      std::fprintf(stderr, "  tasks with results %zu/%zu, %s since submission\n", done, spec.task_count(),
                   seconds_text(elapsed).c_str());
      shown = done;
    }
    const Captured q = capture({"squeue", "-h", "-j", list, "-o", "%i %T"});
    if (q.status == 0 && trim(q.out).empty()) break;
    if (q.status != 0 && q.err.find("Invalid job id") != std::string::npos) break;
    if (q.status != 0 && ++failures >= 5)
      return sweep_error(1, "squeue failed 5 times: " + trim(q.err) + "; merge later with: cairn sweep merge " +
                                dir.string());
    if (q.status == 0) failures = 0;
    std::this_thread::sleep_for(std::chrono::seconds(2));
  }
  return 0;
}

}  // namespace

int run_slurm(const fs::path& rel_dir, const SweepSpec& spec, bool wait, bool dry_run) {
  const fs::path dir = fs::absolute(rel_dir).lexically_normal();
  const std::vector<size_t> pending = pending_tasks(dir, spec);
  std::error_code ec;
  fs::create_directories(dir / "slurm" / "logs", ec);
  const fs::path script = dir / "slurm" / "sweep.sbatch";
  if (Status st = write_script(script, dir, spec); !st.is_ok()) return sweep_error(1, st.message());
  std::fprintf(stderr, "cairn sweep: %s: %zu variants x %u replicates = %zu tasks, %zu to run on Slurm; script %s\n",
               spec.name.c_str(), spec.variants.size(), spec.replicates, spec.task_count(), pending.size(),
               script.c_str());
  if (pending.empty()) {
    std::fprintf(stderr, "cairn sweep: every task has results\n");
    return dry_run ? 0 : merge_sweep(dir);
  }
  const size_t chunk = spec.slurm.max_array_size;
  std::vector<std::string> jobs;
  for (size_t first = 0; first < pending.size();) {
    const size_t offset = pending[first] / chunk * chunk;
    std::vector<size_t> indices;
    for (; first < pending.size() && pending[first] < offset + chunk; ++first) indices.push_back(pending[first] - offset);
    const std::vector<std::string> args = {"sbatch", "--parsable", "--array=" + ranges(indices),
                                           "--export=ALL,CAIRN_SWEEP_OFFSET=" + std::to_string(offset), script.string()};
    if (dry_run) {
      std::string line;
      for (const std::string& a : args) line += (line.empty() ? "" : " ") + a;
      std::printf("%s\n", line.c_str());
      continue;
    }
    const Captured c = capture(args);
    if (c.status != 0)
      return sweep_error(1, "sbatch failed (exit " + std::to_string(c.status) + "): " + trim(c.err) +
                                (jobs.empty() ? "" : "; jobs already submitted: " + jobs.front() + "..."));
    const std::string id = trim(c.out.substr(0, c.out.find(';')));
    jobs.push_back(id);
    std::fprintf(stderr, "cairn sweep: submitted job array %s: %zu tasks (indices %zu + %s)\n", id.c_str(),
                 indices.size(), offset, ranges(indices).c_str());
  }
  if (dry_run) return 0;
  if (!wait) {
    std::printf("submitted %zu Slurm job array(s) for %zu tasks: %s\nwhen they have ended: cairn sweep merge %s\n",
                jobs.size(), pending.size(), jobs.front().c_str(), dir.c_str());
    return 0;
  }
  if (int rc = wait_for(jobs, dir, spec); rc != 0) return rc;
  return merge_sweep(dir);
}

}  // namespace cairn::cli
