// `cairn bench lifecycle`: the reference cluster's rebuild and rebalance
// rates on a lab of its own — a disk replaced and rebuilt, then whole groups
// of nodes added and rebalanced — each beside its budget and beside what the
// lab's own disk does with the same files in the same run (create, write,
// fsync per file into a local directory), and the rebalance's bytes beside
// the engine plan's. A benchmark, not a test: the figures are printed, never
// asserted (the machine is shared).
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/cluster_common.h"
#include "cli/commands.h"
#include "cluster-ref/client/client.h"
#include "cluster-ref/lab/calibrate.h"
#include "cluster-ref/lab/lab.h"
#include "cluster-ref/lab/lab_lifecycle.h"
#include "engine/pool_map.h"
#include "engine/units.h"

namespace cairn::cli {
namespace fs = std::filesystem;
namespace {

struct Options {
  std::string scheme = "replica:3";
  uint32_t nodes = 6;
  uint32_t files = 2000;
  uint64_t size = 262'144;
  uint32_t threads = 4;
  uint16_t base_port = 7700;
  std::string dir;
  bool json = false;
};

struct Row {
  std::string work;
  uint64_t files = 0;
  uint64_t bytes = 0;
  double seconds = 0;
  uint64_t budget = 0;
  uint64_t planned = 0;
  double mb_per_s() const { return seconds > 0 ? static_cast<double>(bytes) / seconds / 1e6 : 0; }
  double files_per_s() const { return seconds > 0 ? static_cast<double>(files) / seconds : 0; }
};

// The lab's disk with the same files: create, write, fsync per file.
Row disk_baseline(const fs::path& dir, uint64_t size, uint32_t files) {
  fs::create_directories(dir);
  const auto start = std::chrono::steady_clock::now();
  Row row{"local directory (fsync per file)"};
  for (uint32_t i = 0; i < files; ++i) {
    const auto data = calibration_file(size, i);
    if (write_local(dir / ("f" + std::to_string(i)), data).is_ok()) {
      ++row.files;
      row.bytes += data.size();
    }
  }
  row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fs::remove_all(dir);
  return row;
}

Row row_of(const LifecycleReport& r) {
  return {r.what, r.files, r.bytes, r.seconds, r.budget_bytes_per_s, r.bytes_planned};
}

int run(const Options& o) {
  auto scheme = Scheme::parse(o.scheme);
  if (!scheme) return usage_error("bench lifecycle", scheme.status().message());
  LabSpec spec;
  char pattern[] = "/tmp/cairn-bench-lifecycle-XXXXXX";
  spec.dir = o.dir.empty() ? fs::path(mkdtemp(pattern)) : fs::absolute(o.dir);
  spec.nodes = o.nodes;
  spec.disks_per_node = 1;
  spec.scheme = *scheme;
  spec.base_port = o.base_port;
  spec.disk_capacity_bytes = uint64_t{20} << 30;
  std::cerr << "lab of " << o.nodes << " nodes (" << scheme->to_string() << ") in " << spec.dir.string() << "\n";
  if (Status st = lab_up(spec, find_node_binary()); !st.is_ok()) {
    std::cerr << "cairn bench lifecycle: error: " << st.message() << "\n";
    return 1;
  }
  auto cleanup = [&] {
    lab_down(spec.dir);
    if (o.dir.empty()) fs::remove_all(spec.dir);
  };
  auto client = Client::open(spec.dir / "cluster.yaml");
  if (!client) return cleanup(), std::cerr << "cairn bench lifecycle: error: " << client.status().message() << "\n", 1;
  std::cerr << "storing " << o.files << " files of " << o.size << " bytes …\n";
  std::atomic<uint32_t> next{0};
  std::vector<std::thread> writers;
  for (uint32_t t = 0; t < o.threads; ++t)
    writers.emplace_back([&] {
      for (uint32_t i; (i = next.fetch_add(1)) < o.files;)
        (void)(*client)->put("/bench/lifecycle/IM-" + std::to_string(i) + ".dcm", calibration_file(o.size, i), 0);
    });
  for (auto& w : writers) w.join();
  LifecycleOptions options;
  options.progress = [&](const std::string& line) {
    if (!o.json) std::cerr << "  " << line << "\n";
  };
  std::vector<Row> rows;
  // What one disk of the lab holds — the rebuild's size, its parts' size —
  // written locally: a copy per file for replicas, a fragment (1/k) for a code.
  const uint32_t per_disk = std::max<uint32_t>(
      1, static_cast<uint32_t>(static_cast<double>(o.files) * scheme->width() / o.nodes));
  const uint64_t part = scheme->is_replica() ? o.size : (o.size + scheme->k - 1) / scheme->k;
  rows.push_back(disk_baseline(spec.dir / "baseline", part, per_disk));
  std::cerr << "replacing node 1's disk …\n";
  auto rebuilt = lab_replace_disk(spec.dir, 1, 0, options);
  if (!rebuilt) return cleanup(), std::cerr << "cairn bench lifecycle: error: " << rebuilt.status().message() << "\n", 1;
  rows.push_back(row_of(*rebuilt));
  auto map = load_cluster(spec.dir / "cluster.yaml");
  if (!map) return cleanup(), 1;
  const DiskModel disk = map->topology.disk(map->topology.live_disks().front()).model;
  uint32_t count = smallest_valid_increment(map->pool, map->topology, 1, disk, kLabNodesMax - o.nodes);
  if (count == 0) count = o.nodes;
  std::cerr << "adding " << count << " nodes …\n";
  auto grown = lab_add_nodes(spec.dir, count, find_node_binary(), options);
  if (!grown) return cleanup(), std::cerr << "cairn bench lifecycle: error: " << grown.status().message() << "\n", 1;
  rows.push_back(row_of(*grown));
  cleanup();

  const Row& base = rows[0];
  if (o.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const Row& r : rows) {
      out.push_back({{"work", r.work}, {"files", r.files}, {"bytes", r.bytes}, {"seconds", r.seconds},
                     {"mb_per_s", r.mb_per_s()}, {"files_per_s", r.files_per_s()},
                     {"budget_mb_per_s_per_node", static_cast<double>(r.budget) / 1e6},
                     {"over_local_directory", base.mb_per_s() > 0 ? r.mb_per_s() / base.mb_per_s() : 0},
                     {"bytes_over_plan", r.planned > 0 ? static_cast<double>(r.bytes) / static_cast<double>(r.planned) : 0}});
    }
    std::cout << nlohmann::json{{"scheme", scheme->to_string()}, {"nodes", o.nodes}, {"files", o.files},
                                {"file_bytes", o.size}, {"rows", out}}
                     .dump(2)
              << "\n";
    return 0;
  }
  const std::string title = "work, " + scheme->to_string();
  std::printf("%-34s %7s %9s %8s %8s %8s %12s %8s %7s\n", title.c_str(), "files", "MB", "s", "MB/s", "files/s",
              "budget/node", "x local", "x plan");
  for (const Row& r : rows) {
    std::printf("%-34s %7llu %9.1f %8.2f %8.1f %8.0f %12s %8.2f %7s\n", r.work.c_str(),
                static_cast<unsigned long long>(r.files), static_cast<double>(r.bytes) / 1e6, r.seconds, r.mb_per_s(),
                r.files_per_s(), r.budget > 0 ? (human_bytes(static_cast<double>(r.budget)) + "/s").c_str() : "-",
                base.mb_per_s() > 0 ? r.mb_per_s() / base.mb_per_s() : 0.0,
                r.planned > 0 ? std::to_string(static_cast<double>(r.bytes) / static_cast<double>(r.planned)).substr(0, 5).c_str() : "-");
  }
  return 0;
}

}  // namespace

void add_lifecycle_bench_command(CLI::App& bench, int* exit_code) {
  auto o = std::make_shared<Options>();
  CLI::App* cmd = bench.add_subcommand(
      "lifecycle", "Rebuild of a replaced disk and rebalance of an add-node on a lab of its own, beside the "
                   "budgets and the local disk's own rate in the same run");
  cmd->add_option("--scheme", o->scheme, "replica:N or ec:K+M")->capture_default_str();
  cmd->add_option("--nodes", o->nodes, "lab nodes before growth (one disk each)")->capture_default_str();
  cmd->add_option("--files", o->files, "files stored before the drills")->capture_default_str();
  cmd->add_option("--size", o->size, "bytes per file")->capture_default_str();
  cmd->add_option("--threads", o->threads, "client threads storing them")->capture_default_str();
  cmd->add_option("--base-port", o->base_port, "the lab's client port (storage +1, management +2)")->capture_default_str();
  cmd->add_option("--dir", o->dir, "lab folder (default: a temporary folder, removed after)");
  cmd->add_flag("--json", o->json, "JSON on stdout");
  cmd->callback([o, exit_code] { *exit_code = run(*o); });
}

}  // namespace cairn::cli
