// `cairn bench put|get`: files/s, MB/s and latency percentiles of a workload
// against the reference cluster, beside the same workload on a plain local
// directory measured in the same run — the ceiling the cluster is compared
// against (open, write, fsync, close per file; reads through the page cache).
// With --through DIR the same workload is also written (and read) as files
// in DIR — a `cairn mount` of the cluster — to compare the mount with the
// client library it is built on.
//
// The paths take turns: the workload is cut into --rounds rounds, each path
// writing (or reading) its share of a round in turn, the order reversed
// every other round. The disks slow as a run writes gigabytes (the
// hypervisor's cache fills, the file systems fill), so a path measured
// wholly after another would pay for the other's bytes; alternating order
// spreads that drift over every path alike, and the per-round ratios show
// how much it moves.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "cli/cluster_common.h"
#include "cli/commands.h"
#include "engine/random.h"

namespace cairn::cli {
namespace fs = std::filesystem;
namespace {

struct BenchOptions {
  std::string cluster;
  uint32_t files = 1000;
  uint64_t size = 262'144;
  uint32_t threads = 4;
  uint64_t seed = 1;
  std::string baseline_dir;
  std::string through;  // a folder (the mount) to write through too
  uint32_t rounds = 6;
  bool json = false;
};

struct Measure {
  std::string name;
  uint64_t ok = 0;
  uint64_t failed = 0;
  double seconds = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double files_per_s() const { return seconds > 0 ? static_cast<double>(ok) / seconds : 0; }
};

// File i's content: one seeded random buffer with i written over its first
// bytes, so every file differs and generating them costs nothing measurable.
std::vector<std::byte> content(const std::vector<std::byte>& base, uint32_t i) {
  std::vector<std::byte> out = base;
  std::memcpy(out.data(), &i, std::min(out.size(), sizeof i));
  return out;
}

// One way the workload goes (the local directory, the client library, the
// mount): op(i) stores or reads file i and returns success.
struct Path {
  std::string key;   // its name in JSON
  std::string name;  // its name in the table
  std::function<Status(uint32_t)> op;
};

// A path's totals over the rounds so far.
struct Tally {
  uint64_t ok = 0;
  uint64_t failed = 0;
  double seconds = 0;
  std::vector<double> latency_ms;

  Measure summary(const std::string& name) const {
    Measure m{name, ok, failed, seconds, 0, 0};
    std::vector<double> sorted = latency_ms;
    std::sort(sorted.begin(), sorted.end());
    if (!sorted.empty()) {
      m.p50_ms = sorted[sorted.size() / 2];
      m.p99_ms = sorted[std::min<size_t>(sorted.size() - 1, sorted.size() * 99 / 100)];
    }
    return m;
  }
};

// Runs path.op(i) for i in [begin, end) on `threads` threads into `tally`;
// returns the round's files/s.
double run_round(const Path& path, uint32_t begin, uint32_t end, uint32_t threads, Tally& tally) {
  const uint32_t files = end - begin;
  std::vector<double> latency_ms(files, 0);
  std::atomic<uint32_t> next{begin};
  std::atomic<uint64_t> ok{0}, failed{0};
  std::mutex print;
  const uint64_t failed_before = tally.failed;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (uint32_t t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (uint32_t i; (i = next.fetch_add(1)) < end;) {
        const auto t0 = std::chrono::steady_clock::now();
        Status st = path.op(i);
        latency_ms[i - begin] =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (st.is_ok()) {
          ok.fetch_add(1);
        } else if (failed_before + failed.fetch_add(1) < 5) {
          std::lock_guard lock(print);
          std::cerr << path.name << ": file " << i << ": " << st.message() << "\n";
        }
      }
    });
  }
  for (auto& t : pool) t.join();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  tally.ok += ok.load();
  tally.failed += failed.load();
  tally.seconds += seconds;
  tally.latency_ms.insert(tally.latency_ms.end(), latency_ms.begin(), latency_ms.end());
  return seconds > 0 ? static_cast<double>(ok.load()) / seconds : 0;
}

// One round's files/s of each path, in the order they ran.
struct Round {
  uint32_t files = 0;
  std::vector<std::pair<std::string, double>> files_per_s;  // path key -> files/s
};

// The workload of `files` files over `paths`, in `rounds` rounds of
// alternating order; progress on stderr.
std::vector<Measure> run_rounds(const std::string& verb, const std::vector<Path>& paths, uint32_t files,
                                uint32_t threads, uint32_t rounds, std::vector<Round>* per_round) {
  std::vector<Tally> tallies(paths.size());
  for (uint32_t r = 0; r < rounds; ++r) {
    const auto begin = static_cast<uint32_t>(uint64_t{files} * r / rounds);
    const auto end = static_cast<uint32_t>(uint64_t{files} * (r + 1) / rounds);
    Round round{end - begin, {}};
    std::cerr << "bench " << verb << ": round " << (r + 1) << "/" << rounds << " (" << round.files << " files):";
    for (size_t k = 0; k < paths.size(); ++k) {
      const size_t p = r % 2 == 0 ? k : paths.size() - 1 - k;
      const double rate = run_round(paths[p], begin, end, threads, tallies[p]);
      round.files_per_s.emplace_back(paths[p].key, rate);
      std::cerr << " " << paths[p].key << " " << std::fixed << std::setprecision(1) << rate << " files/s"
                << (k + 1 < paths.size() ? "," : "\n");
    }
    per_round->push_back(std::move(round));
  }
  std::vector<Measure> out;
  for (size_t p = 0; p < paths.size(); ++p) out.push_back(tallies[p].summary(paths[p].name));
  return out;
}

Status read_local(const fs::path& file, size_t size) {
  std::vector<std::byte> buffer(size);
  const int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status(StatusCode::kIoError, "open " + file.string());
  const bool ok = ::read(fd, buffer.data(), size) == static_cast<ssize_t>(size);
  ::close(fd);
  return ok ? Status::ok() : Status(StatusCode::kIoError, "read " + file.string());
}

double ratio(const Measure& a, const Measure& b) { return b.files_per_s() > 0 ? a.files_per_s() / b.files_per_s() : 0; }

// files/s of `key` over that of `over` in one round (0 when either is absent).
double round_ratio(const Round& round, const std::string& key, const std::string& over) {
  double a = 0, b = 0;
  for (const auto& [k, rate] : round.files_per_s) {
    if (k == key) a = rate;
    if (k == over) b = rate;
  }
  return b > 0 ? a / b : 0;
}

void report(const BenchOptions& o, const std::string& verb, const std::string& scheme, const Measure& local,
            const Measure& cluster, const std::optional<Measure>& mount, const std::vector<Round>& rounds) {
  const double mb = static_cast<double>(o.size) / 1e6;
  if (o.json) {
    auto row = [&](const Measure& m) {
      return nlohmann::json{{"files_ok", m.ok},       {"files_failed", m.failed},
                            {"seconds", m.seconds},   {"files_per_s", m.files_per_s()},
                            {"mb_per_s", m.files_per_s() * mb}, {"p50_ms", m.p50_ms},
                            {"p99_ms", m.p99_ms}};
    };
    nlohmann::json per_round = nlohmann::json::array();
    for (const Round& r : rounds) {
      nlohmann::json entry{{"files", r.files}, {"order", nlohmann::json::array()}, {"files_per_s", nlohmann::json::object()}};
      for (const auto& [key, rate] : r.files_per_s) {
        entry["order"].push_back(key);
        entry["files_per_s"][key] = rate;
      }
      if (mount) entry["mount_over_cluster"] = round_ratio(r, "mount", "cluster");
      per_round.push_back(std::move(entry));
    }
    nlohmann::json out{{"workload", verb}, {"files", o.files}, {"size_bytes", o.size},
                       {"threads", o.threads}, {"seed", o.seed}, {"scheme", scheme},
                       {"rounds", o.rounds}, {"per_round", std::move(per_round)},
                       {"local_directory", row(local)}, {"cluster", row(cluster)},
                       {"cluster_over_local", ratio(cluster, local)}};
    if (mount) {
      out["mount"] = row(*mount);
      out["mount_over_local"] = ratio(*mount, local);
      out["mount_over_cluster"] = ratio(*mount, cluster);
    }
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::cout << "bench " << verb << ": " << o.files << " files x " << o.size << " B, " << o.threads
            << " threads, seed " << o.seed << ", " << o.rounds << " round" << (o.rounds == 1 ? "" : "s")
            << " in alternating order\n";
  std::cout << "                      files/s      MB/s    p50 ms    p99 ms   failed\n" << std::fixed;
  std::vector<const Measure*> rows{&local, &cluster};
  if (mount) rows.push_back(&*mount);
  for (const Measure* m : rows) {
    std::cout << "  " << std::left << std::setw(18) << m->name << std::right << std::setprecision(1)
              << std::setw(9) << m->files_per_s() << std::setw(10) << m->files_per_s() * mb
              << std::setprecision(2) << std::setw(10) << m->p50_ms << std::setw(10) << m->p99_ms
              << std::setw(9) << m->failed << "\n";
  }
  std::cout << "  cluster/local       " << std::setprecision(3) << ratio(cluster, local) << "\n";
  if (mount) {
    std::cout << "  mount/local         " << ratio(*mount, local) << "\n";
    std::cout << "  mount/cluster       " << ratio(*mount, cluster);
    if (rounds.size() > 1) {
      std::cout << "   (by round:" << std::setprecision(2);
      for (const Round& r : rounds) std::cout << " " << round_ratio(r, "mount", "cluster");
      std::cout << ")";
    }
    std::cout << "\n";
  }
}

int run(const BenchOptions& o, bool get) {
  const char* verb = get ? "get" : "put";
  auto client = open_client(std::string("bench ") + verb, o.cluster);
  if (!client) return 2;
  if (o.files == 0 || o.size == 0 || o.threads == 0 || o.threads > 256) {
    return usage_error(std::string("bench ") + verb, "--files, --size and --threads (≤ 256) must be positive");
  }
  if (o.rounds == 0 || o.rounds > o.files) {
    return usage_error(std::string("bench ") + verb, "--rounds must be between 1 and --files");
  }
  auto map = client->map();
  std::vector<std::byte> base(o.size);
  SplitMix64 rng(o.seed);
  for (auto& b : base) b = static_cast<std::byte>(rng.next());
  const fs::path local_dir = o.baseline_dir.empty()
                                 ? fs::path(map->config.nodes[0].state_dir).parent_path().parent_path() /
                                       ("bench-baseline-" + std::to_string(::getpid()))
                                 : fs::path(o.baseline_dir);
  std::error_code ec;
  if (!o.through.empty() && !fs::is_directory(o.through, ec)) {
    return usage_error(std::string("bench ") + verb, "--through " + o.through + ": not a folder");
  }
  fs::create_directories(local_dir, ec);
  if (ec) return usage_error(std::string("bench ") + verb, "cannot create " + local_dir.string());
  const std::string prefix = "/bench/" + std::to_string(::getpid()) + "-" +
                             std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  auto local_file = [&](uint32_t i) { return local_dir / ("f" + std::to_string(i)); };
  auto remote = [&](uint32_t i) { return prefix + "/f" + std::to_string(i); };
  const fs::path through_dir =
      o.through.empty() ? fs::path() : fs::path(o.through) / ("bench-" + prefix.substr(std::string("/bench/").size()));
  if (!o.through.empty()) {
    fs::create_directory(through_dir, ec);
    if (ec) return usage_error(std::string("bench ") + verb, "cannot create " + through_dir.string() + ": " + ec.message());
  }
  auto through_file = [&](uint32_t i) { return through_dir / ("f" + std::to_string(i)); };
  const std::string scheme = map->pool.spec.scheme.to_string();
  std::vector<Path> puts{
      {"local_directory", "local directory", [&](uint32_t i) { return write_local(local_file(i), content(base, i)); }},
      {"cluster", "cluster " + scheme,
       [&](uint32_t i) {
         auto reply = client->put(remote(i), content(base, i), 0);
         return reply ? Status::ok() : reply.status();
       }}};
  std::vector<Path> gets{
      {"local_directory", "local directory", [&](uint32_t i) { return read_local(local_file(i), o.size); }},
      {"cluster", "cluster " + scheme, [&](uint32_t i) {
         auto file = client->get(remote(i));
         if (!file) return file.status();
         return file->data == content(base, i) ? Status::ok() : corrupt("content differs");
       }}};
  if (!o.through.empty()) {
    puts.push_back({"mount", "through " + o.through,
                    [&](uint32_t i) { return write_local(through_file(i), content(base, i)); }});
    gets.push_back({"mount", "through " + o.through, [&](uint32_t i) { return read_local(through_file(i), o.size); }});
  }
  std::cerr << "bench " << verb << ": local directory " << local_dir.string() << ", cluster " << scheme << " under "
            << prefix << (o.through.empty() ? "" : ", through " + through_dir.string()) << " …\n";
  std::vector<Round> rounds;
  std::vector<Measure> measured = run_rounds("put", puts, o.files, o.threads, o.rounds, &rounds);
  if (get) {
    rounds.clear();
    measured = run_rounds("get", gets, o.files, o.threads, o.rounds, &rounds);
  }
  fs::remove_all(local_dir, ec);
  std::optional<Measure> mount;
  if (measured.size() > 2) mount = measured[2];
  report(o, verb, scheme, measured[0], measured[1], mount, rounds);
  return measured[1].failed == 0 && (!mount || mount->failed == 0) ? 0 : 1;
}

}  // namespace

void add_cluster_bench_commands(CLI::App& bench, int* exit_code) {
  for (const bool get : {false, true}) {
    auto o = std::make_shared<BenchOptions>();
    CLI::App* cmd = bench.add_subcommand(
        get ? "get" : "put",
        get ? "Read files back from the reference cluster, beside a local directory"
            : "Store files in the reference cluster, beside a local directory with fsync");
    cmd->add_option("--files", o->files, "number of files")->capture_default_str();
    cmd->add_option("--size", o->size, "bytes per file")->capture_default_str();
    cmd->add_option("--threads", o->threads, "client threads")->capture_default_str();
    cmd->add_option("--seed", o->seed, "seed of the file contents")->capture_default_str();
    cmd->add_option("--baseline-dir", o->baseline_dir,
                    "local directory for the ceiling (default: beside the lab's nodes; removed after)");
    cmd->add_option("--through", o->through,
                    "also write (and read) the workload as files in this folder — a `cairn mount` of the "
                    "cluster — and report it against the client and the local directory");
    cmd->add_option("--rounds", o->rounds,
                    "cut the workload into this many rounds in which the paths take turns, the order reversed "
                    "every other round, so that a disk slowing during the run weighs on every path alike")
        ->capture_default_str();
    cmd->add_flag("--json", o->json, "JSON on stdout");
    add_cluster_option(cmd, &o->cluster);
    cmd->callback([o, exit_code, get] { *exit_code = run(*o, get); });
  }
}

}  // namespace cairn::cli
