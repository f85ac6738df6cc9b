#include "cli/sweep_run.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

extern char** environ;

namespace cairn::cli {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

constexpr int kSweepFormat = 1;

double now_s() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

json plan_json(const SweepSpec& spec) {
  json set = json::array(), axes = json::array(), variants = json::array();
  for (const SweepAxis& a : spec.set) set.push_back({{"key", a.key}, {"value", a.values[0]}});
  for (const SweepAxis& a : spec.grid) axes.push_back({{"key", a.key}, {"values", a.values}});
  for (const Variant& v : spec.variants) variants.push_back({{"id", v.id}, {"values", v.values}});
  const SlurmSpec& s = spec.slurm;
  json plan = {{"cairn_sweep", kSweepFormat},
          {"engine_version", CAIRN_ENGINE_VERSION},
          {"name", spec.name},
          {"scenario_file", spec.scenario_file},
          {"scenario_xxh64", spec.scenario_xxh64},
          {"base_seed", spec.base_seed},
          {"seed_given", spec.seed_given},
          {"replicates", spec.replicates},
          {"set", set},
          {"axes", axes},
          {"variants", variants},
          {"slurm",
           {{"partition", s.partition}, {"time", s.time}, {"mem", s.mem}, {"account", s.account},
            {"cpus_per_task", s.cpus_per_task}, {"max_array_size", s.max_array_size}, {"extra", s.extra}}}};
  // Only when asked, so that folders of sweeps without durability resume as before.
  if (spec.nines) plan["nines"] = {{"bias", spec.bias}};
  return plan;
}

// What must agree for a folder to be resumed: everything that decides a
// task's result (not where the scenario was read from, nor Slurm settings).
json identity(json plan) {
  plan.erase("scenario_file");
  plan.erase("slurm");
  return plan;
}

std::string quoted(const std::string& s) { return json(s).dump(); }

// Runs argv with stdout and stderr into `log`; the exit status, or -1.
int spawn_and_wait(const std::vector<std::string>& args, const fs::path& log) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addclose(&actions, STDIN_FILENO);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

}  // namespace

int sweep_error(int code, const std::string& message) {
  std::fprintf(stderr, "cairn sweep: error: %s\n", message.c_str());
  return code;
}

std::string shell_quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string number_text(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string seconds_text(double s) {
  char buf[32];
  if (s < 120) std::snprintf(buf, sizeof buf, "%.1f s", s);
  else if (s < 7200) std::snprintf(buf, sizeof buf, "%.1f min", s / 60);
  else std::snprintf(buf, sizeof buf, "%.1f h", s / 3600);
  return buf;
}

std::string self_executable() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("cairn") : exe.string();
}

Status prepare_sweep_dir(const SweepSpec& spec, const fs::path& dir) {
  std::error_code ec;
  const json plan = plan_json(spec);
  const fs::path plan_file = dir / "sweep.json";
  if (fs::exists(plan_file, ec)) {
    json old;
    try {
      old = json::parse(std::ifstream(plan_file));
    } catch (const json::exception&) {
      return Status(StatusCode::kInvalidArgument, plan_file.string() + " is not a sweep plan; choose another --out");
    }
    if (identity(old) != identity(plan))
      return Status(StatusCode::kInvalidArgument,
                    dir.string() + " holds another sweep (" + old.value("name", "?") + ", scenario " +
                        old.value("scenario_xxh64", "?") + "); choose another --out or remove it");
  } else if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    return Status(StatusCode::kInvalidArgument, dir.string() + " exists and holds no sweep; choose another --out");
  }
  fs::create_directories(dir / "variants", ec);
  fs::create_directories(dir / "tasks", ec);
  if (ec) return Status(StatusCode::kIoError, "cannot create " + dir.string() + ": " + ec.message());
  for (const Variant& v : spec.variants) {
    std::string label;
    for (size_t a = 0; a < spec.grid.size(); ++a)
      label += (a ? ", " : "") + spec.grid[a].key + " = " + v.values[a];
    std::ofstream out(dir / "variants" / (v.id + ".yaml"));
    out << "# Variant " << v.id << " of sweep " << spec.name << ": " << (label.empty() ? "the scenario" : label)
        << "\n# (written by cairn sweep from scenario " << spec.scenario_xxh64 << ")\n"
        << v.scenario_yaml;
    if (!out) return Status(StatusCode::kIoError, "cannot write into " + (dir / "variants").string());
  }
  std::ofstream out(plan_file);
  out << plan.dump(2) << "\n";
  if (!out) return Status(StatusCode::kIoError, "cannot write " + plan_file.string());
  return Status();
}

Result<SweepSpec> load_sweep_dir(const fs::path& dir) {
  const fs::path plan_file = dir / "sweep.json";
  std::ifstream in(plan_file);
  if (!in) return Status(StatusCode::kNotFound, "no sweep in " + dir.string() + " (no sweep.json)");
  try {
    const json j = json::parse(in);
    if (j.at("cairn_sweep").get<int>() != kSweepFormat)
      return Status(StatusCode::kInvalidArgument, plan_file.string() + ": unknown sweep format");
    SweepSpec spec;
    spec.name = j.at("name");
    spec.scenario_file = j.at("scenario_file");
    spec.scenario_xxh64 = j.at("scenario_xxh64");
    spec.base_seed = j.at("base_seed");
    spec.seed_given = j.at("seed_given");
    spec.replicates = j.at("replicates");
    if (j.contains("nines")) spec.nines = true, spec.bias = j.at("nines").at("bias");
    for (const json& s : j.at("set")) spec.set.push_back({s.at("key"), {s.at("value")}});
    for (const json& a : j.at("axes")) spec.grid.push_back({a.at("key"), a.at("values")});
    for (const json& v : j.at("variants")) spec.variants.push_back({v.at("id"), v.at("values"), {}});
    const json& s = j.at("slurm");
    spec.slurm = {s.at("partition"), s.at("time"), s.at("mem"), s.at("account"), s.at("cpus_per_task"),
                  s.at("max_array_size"), s.at("extra")};
    if (spec.replicates == 0 || spec.variants.empty())
      return Status(StatusCode::kInvalidArgument, plan_file.string() + ": no tasks");
    return spec;
  } catch (const json::exception& e) {
    return Status(StatusCode::kInvalidArgument, plan_file.string() + ": " + e.what());
  }
}

fs::path task_dir(const fs::path& dir, const SweepTask& task) { return dir / "tasks" / task.id; }

bool task_done(const fs::path& dir, const SweepTask& task) {
  std::error_code ec;
  return fs::is_regular_file(task_dir(dir, task) / "summary.json", ec);
}

std::vector<size_t> pending_tasks(const fs::path& dir, const SweepSpec& spec) {
  std::vector<size_t> out;
  for (size_t i = 0; i < spec.task_count(); ++i)
    if (!task_done(dir, sweep_task(spec, i))) out.push_back(i);
  return out;
}

int run_task(const fs::path& dir, const SweepSpec& spec, size_t index, bool quiet) {
  if (index >= spec.task_count())
    return sweep_error(2, "task " + std::to_string(index) + " does not exist: the sweep in " + dir.string() +
                              " has tasks 0 to " + std::to_string(spec.task_count() - 1));
  const SweepTask task = sweep_task(spec, index);
  const fs::path final_dir = task_dir(dir, task), tmp = final_dir.string() + ".tmp",
                 log = final_dir.string() + ".log";
  if (task_done(dir, task)) {
    if (!quiet) std::printf("task %zu %s: done already\n", index, task.id.c_str());
    return 0;
  }
  std::error_code ec;
  fs::remove_all(tmp, ec);
  const double start = now_s();
  const std::string variant = (dir / "variants" / (spec.variants[task.variant].id + ".yaml")).string();
  std::vector<std::string> args = {self_executable(), "plan", variant, "--seed", std::to_string(task.seed), "--runs",
                                   "1", "--jobs", "1", "--quiet", "--out", tmp.string()};
  if (spec.nines) {
    char bias[32];
    std::snprintf(bias, sizeof bias, "%.17g", spec.bias);
    args.insert(args.end(), {"--nines", "--bias", bias});
  }
  const int rc = spawn_and_wait(args, log);
  if (rc != 0 || !fs::is_regular_file(tmp / "summary.json", ec)) {
    std::fprintf(stderr, "cairn sweep: task %zu %s (seed %llu) failed (exit %d); see %s\n", index, task.id.c_str(),
                 static_cast<unsigned long long>(task.seed), rc, log.c_str());
    return 1;
  }
  fs::remove_all(final_dir, ec);
  fs::rename(tmp, final_dir, ec);
  if (ec) return sweep_error(1, "cannot move " + tmp.string() + " into place: " + ec.message());
  if (!quiet)
    std::printf("task %zu %s: seed %llu, done in %s\n", index, task.id.c_str(),
                static_cast<unsigned long long>(task.seed), seconds_text(now_s() - start).c_str());
  return 0;
}

int run_local(const fs::path& dir, const SweepSpec& spec, unsigned jobs, bool merge) {
  const std::vector<size_t> pending = pending_tasks(dir, spec);
  const size_t total = spec.task_count(), done_before = total - pending.size();
  jobs = std::max(1u, jobs);
  std::fprintf(stderr, "cairn sweep: %s: %zu variants x %u replicates = %zu tasks%s, %u at a time, in %s\n",
               spec.name.c_str(), spec.variants.size(), spec.replicates, total,
               done_before ? (", " + std::to_string(done_before) + " done already").c_str() : "",
               static_cast<unsigned>(std::min<size_t>(jobs, std::max<size_t>(1, pending.size()))), dir.c_str());
  std::fflush(stderr);
  const bool tty = isatty(STDERR_FILENO) != 0;
  const double start = now_s();
  std::map<pid_t, size_t> running;
  std::vector<size_t> failed;
  size_t next = 0, finished = 0;
  while (finished < pending.size()) {
    while (next < pending.size() && running.size() < jobs) {
      std::fflush(nullptr);
      const pid_t pid = fork();
      if (pid < 0) return sweep_error(1, "fork() failed");
      if (pid == 0) _exit(run_task(dir, spec, pending[next], true));
      running[pid] = pending[next++];
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      return sweep_error(1, "waitpid() failed");
    }
    auto it = running.find(pid);
    if (it == running.end()) continue;
    const size_t index = it->second;
    running.erase(it);
    ++finished;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) failed.push_back(index);
    const double elapsed = now_s() - start,
                 left = elapsed / static_cast<double>(finished) * static_cast<double>(pending.size() - finished);
    const std::string id = sweep_task(spec, index).id;
    if (tty) {
      std::fprintf(stderr, "\r  tasks finished %zu/%zu%s, %s elapsed, about %s left   ", done_before + finished, total,
                   failed.empty() ? "" : (" (" + std::to_string(failed.size()) + " failed)").c_str(),
                   seconds_text(elapsed).c_str(), seconds_text(left).c_str());
      if (finished == pending.size()) std::fprintf(stderr, "\n");
    } else {
      std::fprintf(stderr, "  [%zu/%zu] %s %s, %s elapsed\n", done_before + finished, total, id.c_str(),
                   failed.empty() || failed.back() != index ? "done" : "FAILED", seconds_text(elapsed).c_str());
    }
  }
  std::fprintf(stderr, "cairn sweep: %zu tasks ran in %s\n", pending.size(), seconds_text(now_s() - start).c_str());
  if (!failed.empty()) {
    std::string list;
    for (size_t i = 0; i < failed.size() && i < 10; ++i) list += (i ? ", " : "") + std::to_string(failed[i]);
    return sweep_error(1, std::to_string(failed.size()) + " task(s) failed (" + list + (failed.size() > 10 ? ", ..." : "") +
                              "); their logs are " + (dir / "tasks").string() +
                              "/ID.log; run the sweep again to run only what is missing, or one task with: cairn sweep "
                              "task " + quoted(dir.string()) + " INDEX");
  }
  return merge ? merge_sweep(dir) : 0;
}

}  // namespace cairn::cli
