// `cairn bench put|get`: files/s, MB/s and latency percentiles of a workload
// against the reference cluster, beside the same workload on a plain local
// directory measured in the same run — the ceiling the cluster is compared
// against (open, write, fsync, close per file; reads through the page cache).
// With --through DIR the same workload is also written (and read) as files
// in DIR — a `cairn mount` of the cluster — to compare the mount with the
// client library it is built on.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
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

// Runs op(i) for i in [0, files) on `threads` threads; op returns success.
template <class Op>
Measure measure(const std::string& name, uint32_t files, uint32_t threads, Op op) {
  std::vector<double> latency_ms(files, 0);
  std::atomic<uint32_t> next{0};
  std::atomic<uint64_t> ok{0}, failed{0};
  std::mutex print;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (uint32_t t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (uint32_t i; (i = next.fetch_add(1)) < files;) {
        const auto t0 = std::chrono::steady_clock::now();
        Status st = op(i);
        latency_ms[i] = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        if (st.is_ok()) {
          ok.fetch_add(1);
        } else if (failed.fetch_add(1) < 5) {
          std::lock_guard lock(print);
          std::cerr << name << ": file " << i << ": " << st.message() << "\n";
        }
      }
    });
  }
  for (auto& t : pool) t.join();
  Measure m{name, ok.load(), failed.load(),
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 0, 0};
  std::sort(latency_ms.begin(), latency_ms.end());
  if (files > 0) {
    m.p50_ms = latency_ms[files / 2];
    m.p99_ms = latency_ms[std::min<size_t>(files - 1, files * 99 / 100)];
  }
  return m;
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

void report(const BenchOptions& o, const std::string& verb, const std::string& scheme,
            const Measure& local, const Measure& cluster, const std::optional<Measure>& mount) {
  const double mb = static_cast<double>(o.size) / 1e6;
  if (o.json) {
    auto row = [&](const Measure& m) {
      return nlohmann::json{{"files_ok", m.ok},       {"files_failed", m.failed},
                            {"seconds", m.seconds},   {"files_per_s", m.files_per_s()},
                            {"mb_per_s", m.files_per_s() * mb}, {"p50_ms", m.p50_ms},
                            {"p99_ms", m.p99_ms}};
    };
    nlohmann::json out{{"workload", verb}, {"files", o.files}, {"size_bytes", o.size},
                       {"threads", o.threads}, {"seed", o.seed}, {"scheme", scheme},
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
            << " threads, seed " << o.seed << "\n";
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
    std::cout << "  mount/cluster       " << ratio(*mount, cluster) << "\n";
  }
}

int run(const BenchOptions& o, bool get) {
  const char* verb = get ? "get" : "put";
  auto client = open_client(std::string("bench ") + verb, o.cluster);
  if (!client) return 2;
  if (o.files == 0 || o.size == 0 || o.threads == 0 || o.threads > 256) {
    return usage_error(std::string("bench ") + verb, "--files, --size and --threads (≤ 256) must be positive");
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
  auto local_put = [&](uint32_t i) { return write_local(local_file(i), content(base, i)); };
  const fs::path through_dir =
      o.through.empty() ? fs::path() : fs::path(o.through) / ("bench-" + prefix.substr(std::string("/bench/").size()));
  if (!o.through.empty()) {
    fs::create_directory(through_dir, ec);
    if (ec) return usage_error(std::string("bench ") + verb, "cannot create " + through_dir.string() + ": " + ec.message());
  }
  auto through_file = [&](uint32_t i) { return through_dir / ("f" + std::to_string(i)); };
  auto cluster_put = [&](uint32_t i) {
    auto reply = client->put(remote(i), content(base, i), 0);
    return reply ? Status::ok() : reply.status();
  };
  std::cerr << "bench " << verb << ": local directory " << local_dir.string() << ", cluster "
            << map->pool.spec.scheme.to_string() << " under " << prefix << " …\n";
  Measure local = measure("local directory", o.files, o.threads, local_put);
  Measure cluster = measure("cluster " + map->pool.spec.scheme.to_string(), o.files, o.threads, cluster_put);
  std::optional<Measure> mount;
  if (!o.through.empty()) {
    std::cerr << "bench " << verb << ": through " << through_dir.string() << " …\n";
    mount = measure("through " + o.through, o.files, o.threads,
                    [&](uint32_t i) { return write_local(through_file(i), content(base, i)); });
  }
  if (get) {
    local = measure("local directory", o.files, o.threads,
                    [&](uint32_t i) { return read_local(local_file(i), o.size); });
    cluster = measure("cluster " + map->pool.spec.scheme.to_string(), o.files, o.threads, [&](uint32_t i) {
      auto file = client->get(remote(i));
      if (!file) return file.status();
      return file->data == content(base, i) ? Status::ok() : corrupt("content differs");
    });
    if (mount) {
      mount = measure("through " + o.through, o.files, o.threads,
                      [&](uint32_t i) { return read_local(through_file(i), o.size); });
    }
  }
  fs::remove_all(local_dir, ec);
  report(o, verb, map->pool.spec.scheme.to_string(), local, cluster, mount);
  return cluster.failed == 0 && (!mount || mount->failed == 0) ? 0 : 1;
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
    cmd->add_flag("--json", o->json, "JSON on stdout");
    add_cluster_option(cmd, &o->cluster);
    cmd->callback([o, exit_code, get] { *exit_code = run(*o, get); });
  }
}

}  // namespace cairn::cli
