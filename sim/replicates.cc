#include "sim/replicates.h"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "engine/random.h"
#include "sim/tiers.h"

namespace cairn::sim {
namespace {

constexpr uint64_t kReplicateStream = 0x7265706cULL;  // "repl"

struct Child {
  pid_t pid = -1;
  int fd = -1;
  uint32_t run = 0;
  std::string output;
};

Result<Child> spawn(const Scenario& scenario, uint32_t run, const ReplicateOptions& ro) {
  Result<Forked> child = fork_child([&]() -> std::string {
    Scenario s = scenario;
    s.seed = replicate_seed(scenario.seed, run);
    SimOptions options;
    options.file_by_file = ro.file_by_file;
    options.disk_detail = ro.disk_detail && run == 0;
    options.condition_on_no_group_loss = ro.condition_on_no_group_loss;
    options.failure_bias = ro.failure_bias;
    if (ro.progress_lines && run == 0) {
      options.progress = [](uint32_t month, uint32_t months) {
        std::fprintf(stderr, "month %u/%u\n", month, months);
        std::fflush(stderr);
      };
    }
    if (ro.month_progress && !ro.progress_lines && run == 0) {
      // A live counter on a terminal; a line per simulated year otherwise.
      bool tty = isatty(STDERR_FILENO) != 0;
      options.progress = [tty](uint32_t month, uint32_t months) {
        if (tty) {
          std::fprintf(stderr, "\r  simulating month %u/%u", month, months);
          if (month == months) std::fprintf(stderr, "\n");
        } else if (month % 12 == 0 || month == months) {
          std::fprintf(stderr, "  simulated %u of %u months\n", month, months);
        }
      };
    }
    Result<RunResult> result = run_archive(s, options);
    if (!result) {
      std::fprintf(stderr, "%s\n", result.status().message().c_str());
      return {};
    }
    return to_json(*result, run == 0).dump();
  });
  if (!child) return child.status();
  return Child{child->pid, child->fd, run, {}};
}

// Reads what the children have written; returns the index of one whose pipe
// closed (its run ended), or -1 on a poll error.
int drain(std::vector<Child>& children) {
  std::vector<pollfd> fds;
  for (const Child& c : children) fds.push_back({c.fd, POLLIN, 0});
  if (poll(fds.data(), fds.size(), -1) < 0) return -1;
  for (size_t i = 0; i < children.size(); ++i) {
    if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
    char buf[65536];
    ssize_t n = read(children[i].fd, buf, sizeof buf);
    if (n > 0) {
      children[i].output.append(buf, static_cast<size_t>(n));
      continue;
    }
    return static_cast<int>(i);
  }
  return static_cast<int>(children.size());
}

}  // namespace

Result<Forked> fork_child(const std::function<std::string()>& body) {
  int fds[2];
  if (pipe(fds) != 0) return Status(StatusCode::kInvalidArgument, "pipe() failed");
  pid_t pid = fork();
  if (pid < 0) return Status(StatusCode::kInvalidArgument, "fork() failed");
  if (pid == 0) {
    close(fds[0]);
    const std::string text = body();
    if (text.empty()) _exit(4);
    for (size_t done = 0; done < text.size();) {
      ssize_t n = write(fds[1], text.data() + done, text.size() - done);
      if (n <= 0) _exit(3);
      done += static_cast<size_t>(n);
    }
    _exit(0);
  }
  close(fds[1]);
  return Forked{pid, fds[0]};
}

uint64_t replicate_seed(uint64_t seed, uint32_t run) {
  return run == 0 ? seed : tie_key(seed, kReplicateStream, run);
}

Result<std::vector<RunResult>> run_replicates(const Scenario& scenario, const ReplicateOptions& ro,
                                              const std::function<void(uint32_t, uint32_t)>& done) {
  const uint32_t runs = ro.runs, parallel = ro.parallel;
  std::vector<RunResult> results(runs);
  std::vector<Child> children;
  uint32_t next = 0, finished = 0;
  while (finished < runs) {
    while (next < runs && children.size() < std::max(1u, parallel)) {
      Result<Child> child = spawn(scenario, next++, ro);
      if (!child) return child.status();
      children.push_back(std::move(child).value());
    }
    int i = drain(children);
    if (i < 0) return Status(StatusCode::kInvalidArgument, "poll() failed");
    if (static_cast<size_t>(i) >= children.size()) continue;
    Child c = std::move(children[static_cast<size_t>(i)]);
    children.erase(children.begin() + i);
    close(c.fd);
    int status = 0;
    waitpid(c.pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || c.output.empty()) {
      for (Child& other : children) kill(other.pid, SIGTERM), waitpid(other.pid, nullptr, 0);
      return Status(StatusCode::kInvalidArgument,
                    "run " + std::to_string(c.run) + " (seed " +
                        std::to_string(replicate_seed(scenario.seed, c.run)) + ") failed");
    }
    results[c.run] = run_result_from_json(nlohmann::json::parse(c.output));
    ++finished;
    if (done) done(finished, runs);
  }
  return results;
}

}  // namespace cairn::sim
