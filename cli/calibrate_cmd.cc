// `cairn lab calibrate`: checks the model against the lab. Measures what the
// model needs (each disk directory's bandwidth and operation rate, the
// storage network, a node's per-file costs on pilot labs), writes the lab as
// a scenario (DIR/calibrate/lab-scenario.yaml) with the rebuild and the
// growth as scripted events, predicts both with the model, then performs both
// on the lab and prints predicted, measured and their ratio.
//
// A prediction is the model's duration plus the fixed cost the empty pilot
// measured (map installs, listings, settling: what the model does not
// simulate); both are printed.
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli/cluster_common.h"
#include "cli/commands.h"
#include "cluster-ref/client/client.h"
#include "cluster-ref/lab/calibrate.h"
#include "cluster-ref/lab/lab.h"
#include "cluster-ref/lab/lab_lifecycle.h"
#include "cluster-ref/store/posix_file.h"
#include "engine/pool_map.h"
#include "engine/units.h"
#include "sim/scenario_yaml.h"
#include "sim/simulation.h"

namespace cairn::cli {
namespace fs = std::filesystem;
namespace {

struct Options {
  std::string dir;
  bool json = false;
  uint32_t pilot_files = 0;  // 0: half the lab's files, 100 to 1000
};

constexpr int kSteps = 6;
// When the scripted events happen in the lab's scenario: the rebuild first,
// the growth well after it has settled.
constexpr double kRebuildAtS = 60;
constexpr double kGrowAtS = 86400;

struct Figure {
  double model_s = 0;      // the simulation's duration
  double fixed_s = 0;      // the empty pilot's
  double measured_s = 0;
  uint64_t files = 0;      // the lab's
  double predicted() const { return model_s + fixed_s; }
  double ratio() const { return measured_s > 0 ? predicted() / measured_s : 0; }
};

std::string ms(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f ms", seconds * 1e3);
  return text;
}

// Up to kMaxFileSizeBuckets buckets of the lab's file sizes (equal counts,
// each at its mean size), shares summing to 1.
std::vector<sim::FileSizeBucket> size_buckets(std::vector<uint64_t> sizes) {
  std::sort(sizes.begin(), sizes.end());
  const size_t buckets = std::min(sizes.size(), sim::kMaxFileSizeBuckets);
  std::vector<sim::FileSizeBucket> out;
  for (size_t b = 0; b < buckets; ++b) {
    const size_t lo = b * sizes.size() / buckets, hi = (b + 1) * sizes.size() / buckets;
    double sum = 0;
    for (size_t i = lo; i < hi; ++i) sum += static_cast<double>(sizes[i]);
    const auto mean = static_cast<uint64_t>(std::llround(sum / static_cast<double>(hi - lo)));
    if (!out.empty() && out.back().bytes == mean) {
      out.back().file_fraction += static_cast<double>(hi - lo) / static_cast<double>(sizes.size());
      continue;
    }
    out.push_back({static_cast<double>(hi - lo) / static_cast<double>(sizes.size()), std::max<uint64_t>(mean, 1)});
  }
  double total = 0;
  for (const auto& b : out) total += b.file_fraction;
  for (auto& b : out) b.file_fraction /= total;
  return out;
}

// The first event of `kind` at or after `from_s`, and the last of `end_kind`
// after it (before `until_s`): the span of one piece of work in the model.
double span_s(const sim::RunResult& run, const std::string& start_kind, const std::string& end_kind,
              double from_s, double until_s) {
  double start = -1, end = -1;
  for (const auto& e : run.events) {
    if (e.time_s < from_s || e.time_s >= until_s) continue;
    if (start < 0 && e.kind == start_kind) start = e.time_s;
    if (start >= 0 && e.kind == end_kind) end = e.time_s;
  }
  return start >= 0 && end >= start ? end - start : -1;
}

int run(const Options& o) {
  const char* cmd = "lab calibrate";
  const fs::path dir = lab_folder(o.dir);
  auto say = [&](int step, const std::string& line) {
    std::cerr << "[" << step << "/" << kSteps << "] " << line << "\n";
  };
  auto map = load_cluster(dir / "cluster.yaml");
  if (!map) return usage_error(cmd, "no lab in " + dir.string() + ": " + map.status().message());
  std::vector<const NodeConfig*> nodes;
  for (const NodeConfig& n : map->config.nodes) {
    if (n.retired) continue;
    if (lab_pid(dir, n.id) == 0)
      return usage_error(cmd, "node " + std::to_string(n.id) + " of the lab in " + dir.string() +
                                  " is not running; `cairn lab start " + std::to_string(n.id) + "` first");
    nodes.push_back(&n);
  }
  if (nodes.size() < 2) return usage_error(cmd, "the lab needs at least 2 nodes in service");
  const uint32_t disks_per_node = static_cast<uint32_t>(nodes[0]->disks.size());
  auto client = Client::open(dir / "cluster.yaml");
  if (!client) return usage_error(cmd, client.status().message());
  auto listed = (*client)->list("/");
  if (!listed) return usage_error(cmd, "listing the lab's files: " + listed.status().message());
  std::vector<uint64_t> sizes;
  double stored = 0;
  for (const ListedFile& f : *listed) {
    sizes.push_back(f.record.file_bytes);
    stored += static_cast<double>(f.record.file_bytes);
  }
  if (sizes.empty())
    return usage_error(cmd, "the lab holds no files: store some first (`cairn put FOLDER /some/path/`), "
                            "so that the rebuild and the rebalance have something to move");
  const Scheme scheme = map->pool.spec.scheme;
  const double mean_file = stored / static_cast<double>(sizes.size());
  const double k = scheme.is_replica() ? 1.0 : scheme.k;
  const auto member_bytes = static_cast<uint64_t>(std::ceil(mean_file / k));

  // 1. disks
  say(1, "measuring " + std::to_string(nodes.size() * disks_per_node) + " disk folders (64 MiB, then 200 puts of " +
             human_bytes(static_cast<double>(member_bytes)) + " each) …");
  std::vector<DiskRates> disks;
  nlohmann::json disks_json = nlohmann::json::array();
  for (const NodeConfig* n : nodes)
    for (const DiskConfig& d : n->disks) {
      const fs::path scratch = fs::path(d.path).parent_path() / ("calibrate-disk-" + std::to_string(d.id));
      auto rates = measure_disk(scratch, member_bytes, 200);
      if (!rates) return std::cerr << "cairn " << cmd << ": error: " << rates.status().message() << "\n", 1;
      disks.push_back(*rates);
      disks_json.push_back({{"disk", d.id}, {"write_bytes_per_s", rates->write_bytes_per_s},
                            {"read_bytes_per_s", rates->read_bytes_per_s}, {"ops_per_s", rates->ops_per_s}});
    }
  DiskRates disk;  // the mean: the model has one disk model
  for (const DiskRates& r : disks) {
    disk.write_bytes_per_s += r.write_bytes_per_s / static_cast<double>(disks.size());
    disk.read_bytes_per_s += r.read_bytes_per_s / static_cast<double>(disks.size());
    disk.ops_per_s += r.ops_per_s / static_cast<double>(disks.size());
  }
  std::cerr << "      write " << human_bytes(disk.write_bytes_per_s) << "/s, read " << human_bytes(disk.read_bytes_per_s)
            << "/s, " << std::lround(disk.ops_per_s) << " ops/s (means)\n";

  // 2. network
  say(2, "measuring the storage network between node 0 and node 1 …");
  auto net = measure_network(nodes[0]->storage.host, nodes[1]->storage.host);
  if (!net) return std::cerr << "cairn " << cmd << ": error: " << net.status().message() << "\n", 1;
  std::cerr << "      " << human_bytes(net->bytes_per_s) << "/s, latency " << ms(net->latency_s) << "\n";

  // 3. pilots
  const DiskModel lab_disk = map->topology.disk(map->topology.live_disks().front()).model;
  const auto live = static_cast<uint32_t>(nodes.size());
  uint32_t increment = smallest_valid_increment(map->pool, map->topology, disks_per_node, lab_disk,
                                                kLabNodesMax - live);
  if (increment == 0) return usage_error(cmd, "the lab cannot grow by whole groups within " +
                                                   std::to_string(kLabNodesMax) + " nodes");
  const uint32_t pilot_files =
      o.pilot_files > 0 ? o.pilot_files
                        : std::clamp<uint32_t>(static_cast<uint32_t>(sizes.size() / 2), 100, 1000);
  LabSpec shape;
  shape.dir = dir / "calibrate";
  shape.nodes = live;
  shape.disks_per_node = disks_per_node;
  shape.scheme = scheme;
  shape.domain = map->pool.spec.domain;
  shape.strategy = map->pool.spec.strategy;
  shape.disk_capacity_bytes = lab_disk.capacity_bytes;
  shape.base_port = static_cast<uint16_t>(nodes[0]->client.port + 100);
  say(3, "pilot labs of " + std::to_string(live) + " nodes in " + shape.dir.string() + ": empty, then " +
             std::to_string(pilot_files) + " files; each rebuilds a disk and grows by " + std::to_string(increment) +
             " nodes …");
  auto pilots = measure_pilots(shape, increment, pilot_files, sizes, [](const std::string& line) {
    std::cerr << "      " << line << "\n";
  });
  if (!pilots) return std::cerr << "cairn " << cmd << ": error: pilot: " << pilots.status().message() << "\n", 1;
  std::cerr << "      put " << ms(pilots->put_file_s) << "/file; rebuild " << ms(pilots->heal_fixed_s) << " + "
            << ms(pilots->heal_file_s) << "/file; rebalance " << ms(pilots->move_fixed_s) << " + "
            << ms(pilots->move_file_s) << "/file per node\n";

  // 4. the lab as a scenario, and the model's predictions
  sim::Scenario s;
  s.name = "lab-" + map->config.name;
  s.description = "The lab in " + dir.string() + " as `cairn lab calibrate` measured it: " +
                  std::to_string(sizes.size()) + " files, a disk rebuilt, then " + std::to_string(increment) +
                  " nodes added.";
  s.cluster.racks = 1;
  s.cluster.initial_nodes = live;
  s.cluster.disks_per_node = disks_per_node;
  s.cluster.disk.capacity_bytes = lab_disk.capacity_bytes;
  s.cluster.disk.device_class = lab_disk.device_class;
  s.cluster.disk.read_bytes_per_s = static_cast<uint64_t>(disk.read_bytes_per_s);
  s.cluster.disk.write_bytes_per_s = static_cast<uint64_t>(disk.write_bytes_per_s);
  s.cluster.disk.ops_per_s = std::round(disk.ops_per_s);
  s.cluster.per_file.heal_s = pilots->heal_file_s;
  s.cluster.per_file.move_s = pilots->move_file_s;
  s.cluster.storage = {net->bytes_per_s, net->latency_s};
  s.cluster.client = s.cluster.storage;
  s.cluster.management = s.cluster.storage;
  s.pool.scheme = scheme;
  s.pool.domain = map->pool.spec.domain;
  s.pool.strategy = map->pool.spec.strategy;
  s.workload.initial_bytes = stored;
  s.workload.first_year_bytes = 0;
  s.workload.annual_growth = 0;
  s.workload.file_sizes = size_buckets(sizes);
  s.failures.disk.afr = 0;
  s.heal.detection_delay_s = 0;
  s.heal.replacement_delay_s = 0;
  s.heal.bytes_per_s_per_disk = 1e12;  // the cluster budgets per node only
  s.heal.bytes_per_s_per_node = static_cast<double>(map->config.heal_bytes_per_s);
  s.procurement.fill_threshold = 0.99;
  s.procurement.increment_nodes = increment;
  s.procurement.max_nodes = live + increment;
  s.procurement.rebalance_bytes_per_s = static_cast<double>(map->config.rebalance_bytes_per_s) * live;
  s.horizon_years = 1.0 / 12;
  // The pool's seed breaks the engine's ties when it forms groups: the lab's,
  // so that the model's groups (and spares) are the lab's.
  s.seed = map->pool.spec.seed;
  s.pool.member_slots_per_disk = map->pool.spec.member_slots_per_disk;
  sim::ScenarioEvent rebuild_event;
  rebuild_event.at_s = kRebuildAtS;
  rebuild_event.kind = sim::ScenarioEvent::Kind::kReplaceDisk;
  const auto [rebuild_node, rebuild_disk] = disk_to_rebuild(*map);
  rebuild_event.node = rebuild_node;
  rebuild_event.disk = rebuild_disk;
  sim::ScenarioEvent grow_event;
  grow_event.at_s = kGrowAtS;
  grow_event.kind = sim::ScenarioEvent::Kind::kAddNodes;
  grow_event.count = increment;
  s.events = {rebuild_event, grow_event};
  const fs::path scenario_file = shape.dir / "lab-scenario.yaml";
  {
    fs::create_directories(shape.dir);
    std::ofstream out(scenario_file);
    out << "# Written by `cairn lab calibrate` from the lab in " << dir.string() << ".\n"
        << "# Every rate below was measured in that run; the per-file costs on pilot labs.\n"
        << sim::to_yaml(s);
  }
  auto loaded = sim::load_scenario(scenario_file.string());
  if (!loaded) return std::cerr << "cairn " << cmd << ": error: " << loaded.status().message() << "\n", 1;
  say(4, "predicting with the model (" + scenario_file.string() + ") …");
  sim::RunResult run = sim::run_simulation(*loaded, {});
  Figure rebuild, rebalance;
  rebuild.model_s = span_s(run, "event", "heal_end", kRebuildAtS, kGrowAtS);
  rebalance.model_s = span_s(run, "rebalance_start", "rebalance_end", kGrowAtS, 1e300);
  rebuild.fixed_s = pilots->heal_fixed_s;
  rebalance.fixed_s = pilots->move_fixed_s;
  if (rebuild.model_s < 0 || rebalance.model_s < 0)
    return std::cerr << "cairn " << cmd << ": error: the model did not finish the "
                     << (rebuild.model_s < 0 ? "rebuild" : "rebalance") << " within its month\n",
           1;

  // 5. the lab
  LifecycleOptions lifecycle;
  lifecycle.progress = [](const std::string& line) { std::cerr << "      " << line << "\n"; };
  // Nothing left to write back from earlier work: the lab starts as the pilots did.
  if (Status st = posix::sync_filesystem(dir.string()); !st.is_ok())
    return std::cerr << "cairn " << cmd << ": error: " << st.message() << "\n", 1;
  say(5, "rebuilding node " + std::to_string(rebuild_node) + "'s disk " + std::to_string(rebuild_disk) +
             " on the lab …");
  auto rebuilt = lab_replace_disk(dir, rebuild_node, rebuild_disk, lifecycle);
  if (!rebuilt) return std::cerr << "cairn " << cmd << ": error: " << rebuilt.status().message() << "\n", 1;
  rebuild.measured_s = rebuilt->seconds;
  rebuild.files = rebuilt->files;
  say(6, "adding " + std::to_string(increment) + " nodes to the lab …");
  auto grown = lab_add_nodes(dir, increment, find_node_binary(), lifecycle);
  if (!grown) return std::cerr << "cairn " << cmd << ": error: " << grown.status().message() << "\n", 1;
  rebalance.measured_s = grown->seconds;
  rebalance.files = grown->files;

  auto figure_json = [](const Figure& f) {
    return nlohmann::json{{"predicted_s", f.predicted()}, {"model_s", f.model_s},       {"fixed_s", f.fixed_s},
                          {"measured_s", f.measured_s},   {"ratio", f.ratio()},         {"files", f.files}};
  };
  if (o.json) {
    nlohmann::json out{{"lab", dir.string()},
                       {"scenario", scenario_file.string()},
                       {"scheme", scheme.to_string()},
                       {"nodes", live},
                       {"files", sizes.size()},
                       {"bytes", stored},
                       {"disks", disks_json},
                       {"network", {{"bytes_per_s", net->bytes_per_s}, {"latency_s", net->latency_s}}},
                       {"pilot",
                        {{"files", pilot_files},
                         {"put_file_s", pilots->put_file_s},
                         {"heal_fixed_s", pilots->heal_fixed_s},
                         {"heal_file_s", pilots->heal_file_s},
                         {"move_fixed_s", pilots->move_fixed_s},
                         {"move_file_s", pilots->move_file_s}}},
                       {"rebuild", figure_json(rebuild)},
                       {"rebalance", figure_json(rebalance)}};
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::printf("lab %s: %s, %u nodes, %zu files, %s\n", dir.string().c_str(), scheme.to_string().c_str(), live,
              sizes.size(), human_bytes(stored).c_str());
  std::printf("%-10s %7s %12s %10s %12s %12s %7s\n", "work", "files", "predicted s", "(model s", "+ fixed s)",
              "measured s", "ratio");
  for (const auto& [name, f] : {std::pair{"rebuild", rebuild}, std::pair{"rebalance", rebalance}})
    std::printf("%-10s %7llu %12.2f %10.2f %12.2f %12.2f %7.2f\n", name, static_cast<unsigned long long>(f.files),
                f.predicted(), f.model_s, f.fixed_s, f.measured_s, f.ratio());
  std::printf("scenario: %s\n", scenario_file.string().c_str());
  return 0;
}

}  // namespace

void add_calibrate_command(CLI::App& lab, int* exit_code) {
  auto o = std::make_shared<Options>();
  CLI::App* cmd = lab.add_subcommand(
      "calibrate",
      "Measure the lab (disks, network, per-file costs on pilot labs), write it as a scenario, predict a disk "
      "rebuild and an add-node rebalance with the model, then perform both on the lab and print predicted, "
      "measured and their ratio. The lab grows by one increment.");
  cmd->add_option("--dir", o->dir, "lab folder (default: that of $CAIRN_CLUSTER, else ./cairn-lab)");
  cmd->add_option("--pilot-files", o->pilot_files, "files on the pilot lab (default: half the lab's, 100 to 1000)");
  cmd->add_flag("--json", o->json, "JSON on stdout (rebuild.predicted_s, rebuild.measured_s, rebuild.ratio, the same under rebalance)");
  cmd->callback([o, exit_code] { *exit_code = run(*o); });
}

}  // namespace cairn::cli
