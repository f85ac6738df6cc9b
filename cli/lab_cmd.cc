// `cairn lab up|down|kill|start`: a reference cluster of local cairn-node
// processes on loopback addresses, for trying Cairn and for fault drills.
#include <chrono>
#include <cstdlib>
#include <functional>
#include <nlohmann/json.hpp>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cluster-ref/lab/lab.h"
#include "cluster-ref/lab/lab_lifecycle.h"
#include "cli/cluster_common.h"
#include "engine/units.h"

namespace cairn::cli {
namespace fs = std::filesystem;
namespace {

struct LabOptions {
  std::string dir;
  uint32_t nodes = 6;
  uint32_t disks_per_node = 4;
  std::string scheme = "ec:4+2";
  std::string domain = "node";
  std::string strategy = "fixed";
  std::string disk_capacity = "10 GiB";
  uint32_t min_live = 0;
  uint16_t base_port = 7400;
  uint32_t node = 0;
  uint32_t disk = 0;
  uint32_t count = 1;
  std::string timeout = "1 h";
  bool json = false;
};

fs::path lab_dir(const LabOptions& o) { return lab_folder(o.dir); }

int fail(const char* command, const Status& st) {
  std::cerr << "cairn lab " << command << ": error: " << st.message() << "\n";
  return st.code() == StatusCode::kInvalidArgument ? 2 : 1;
}

int do_up(const LabOptions& o) {
  LabSpec spec;
  spec.dir = lab_dir(o);
  spec.nodes = o.nodes;
  spec.disks_per_node = o.disks_per_node;
  spec.min_live = o.min_live;
  spec.base_port = o.base_port;
  auto scheme = Scheme::parse(o.scheme);
  if (!scheme) return fail("up", scheme.status());
  spec.scheme = *scheme;
  auto domain = parse_failure_domain(o.domain);
  if (!domain) return fail("up", domain.status());
  spec.domain = *domain;
  auto strategy = parse_group_strategy(o.strategy);
  if (!strategy) return fail("up", strategy.status());
  spec.strategy = *strategy;
  auto capacity = parse_size_bytes(o.disk_capacity);
  if (!capacity) return fail("up", capacity.status());
  spec.disk_capacity_bytes = static_cast<uint64_t>(*capacity);
  std::cerr << "starting " << spec.nodes << " nodes (" << spec.scheme.to_string() << ") in "
            << spec.dir.string() << " …\n";
  if (Status st = lab_up(spec, find_node_binary()); !st.is_ok()) return fail("up", st);
  std::cout << "lab up: " << spec.nodes << " nodes on 127.0.0.10-" << (9 + spec.nodes)
            << ", ports " << spec.base_port << "-" << (spec.base_port + 2) << "\n";
  std::cout << "export CAIRN_CLUSTER=" << (spec.dir / "cluster.yaml").string() << "\n";
  return 0;
}

// Runs one lifecycle command: progress on stderr, the report on stdout.
int lifecycle(const char* command, const LabOptions& o,
              const std::function<Result<LifecycleReport>(const LifecycleOptions&)>& run) {
  auto timeout_s = parse_duration_s(o.timeout);
  if (!timeout_s) return usage_error(std::string("lab ") + command, "--timeout: " + timeout_s.status().message());
  LifecycleOptions options;
  options.timeout = std::chrono::seconds(static_cast<int64_t>(*timeout_s));
  options.progress = [&](const std::string& line) { std::cerr << line << "\n"; };
  auto report = run(options);
  if (!report) return fail(command, report.status());
  const double rate = report->seconds > 0 ? static_cast<double>(report->bytes) / report->seconds : 0;
  const double files_rate = report->seconds > 0 ? static_cast<double>(report->files) / report->seconds : 0;
  if (o.json) {
    nlohmann::json j = {{"command", command},
                        {"epoch_from", report->epoch_from},
                        {"epoch_to", report->epoch_to},
                        {"work", report->what},
                        {"files", report->files},
                        {"bytes", report->bytes},
                        {"bytes_planned", report->bytes_planned},
                        {"seconds", report->seconds},
                        {"bytes_per_s", rate},
                        {"files_per_s", files_rate},
                        {"budget_bytes_per_s_per_node", report->budget_bytes_per_s},
                        {"detail", report->detail}};
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << command << ": " << report->detail << "\n";
  std::cout << report->what << ": " << report->files << " files, " << human_bytes(static_cast<double>(report->bytes))
            << " in " << human_seconds(report->seconds) << " (" << human_bytes(rate) << "/s, "
            << static_cast<uint64_t>(files_rate) << " files/s; budget " << human_bytes(static_cast<double>(report->budget_bytes_per_s))
            << "/s per node)\n";
  if (report->bytes_planned > 0) {
    std::cout << "moved " << human_bytes(static_cast<double>(report->bytes)) << " of the engine plan's "
              << human_bytes(static_cast<double>(report->bytes_planned)) << " ("
              << static_cast<double>(report->bytes) / static_cast<double>(report->bytes_planned) << "×)\n";
  }
  std::cout << "map epoch " << report->epoch_from << " -> " << report->epoch_to << " (settled)\n";
  return 0;
}

}  // namespace

void add_lab_command(CLI::App& app, int* exit_code) {
  auto o = std::make_shared<LabOptions>();
  CLI::App* lab = app.add_subcommand("lab", "Run a reference cluster of local cairn-node processes");
  lab->require_subcommand(1);

  CLI::App* up = lab->add_subcommand("up", "Write DIR/cluster.yaml, start the nodes, wait until they serve");
  up->add_option("--nodes", o->nodes, "cairn-node processes (127.0.0.10, .11, …)")->capture_default_str();
  up->add_option("--disks-per-node", o->disks_per_node, "disks (folders) per node")->capture_default_str();
  up->add_option("--scheme", o->scheme, "replica:N or ec:K+M")->capture_default_str();
  up->add_option("--domain", o->domain, "failure domain of group members: disk or node")->capture_default_str();
  up->add_option("--strategy", o->strategy, "group formation: fixed or declustered")->capture_default_str();
  up->add_option("--disk-capacity", o->disk_capacity, "capacity of each disk")->capture_default_str();
  up->add_option("--min-live", o->min_live, "members a group needs up to take writes (default: engine's)");
  up->add_option("--base-port", o->base_port, "client port; storage +1, management +2")->capture_default_str();
  up->add_option("--dir", o->dir, "lab folder (default: ./cairn-lab)");
  up->callback([o, exit_code] { *exit_code = do_up(*o); });

  CLI::App* down = lab->add_subcommand("down", "Stop every node of the lab (its data stays)");
  down->add_option("--dir", o->dir, "lab folder (default: that of $CAIRN_CLUSTER, else ./cairn-lab)");
  down->callback([o, exit_code] {
    Status st = lab_down(lab_dir(*o));
    *exit_code = st.is_ok() ? 0 : fail("down", st);
  });

  CLI::App* kill = lab->add_subcommand("kill", "Kill one node with SIGKILL, as a crash would");
  kill->add_option("node", o->node, "node id")->required();
  kill->add_option("--dir", o->dir, "lab folder (default: that of $CAIRN_CLUSTER, else ./cairn-lab)");
  kill->callback([o, exit_code] {
    Status st = lab_kill(lab_dir(*o), o->node);
    *exit_code = st.is_ok() ? 0 : fail("kill", st);
  });

  const char* kDirHelp = "lab folder (default: that of $CAIRN_CLUSTER, else ./cairn-lab)";
  CLI::App* add = lab->add_subcommand(
      "add-node", "Start new nodes, install the engine's next map on every node, wait while the cluster "
                  "rebalances onto them under budget.rebalance (reads and writes go on), then settle");
  add->add_option("--count", o->count, "nodes to add (a fixed pool needs whole groups)")->capture_default_str();
  add->add_option("--timeout", o->timeout, "give up waiting after this long (the work goes on)")->capture_default_str();
  add->add_flag("--json", o->json, "the report as JSON on stdout");
  add->add_option("--dir", o->dir, kDirHelp);
  add->callback([o, exit_code] {
    *exit_code = lifecycle("add-node", *o, [&](const LifecycleOptions& options) {
      return lab_add_nodes(lab_dir(*o), o->count, find_node_binary(), options);
    });
  });
  CLI::App* retire = lab->add_subcommand(
      "retire-node", "Drain a node by the engine's plan (its data moves to the others), then stop it and "
                     "remove it from the map; refused when the rest cannot hold the data or the failure domains");
  retire->add_option("node", o->node, "node id")->required();
  retire->add_option("--timeout", o->timeout, "give up waiting after this long (the work goes on)")->capture_default_str();
  retire->add_flag("--json", o->json, "the report as JSON on stdout");
  retire->add_option("--dir", o->dir, kDirHelp);
  retire->callback([o, exit_code] {
    *exit_code = lifecycle("retire-node", *o, [&](const LifecycleOptions& options) {
      return lab_retire_node(lab_dir(*o), o->node, options);
    });
  });
  CLI::App* replace = lab->add_subcommand(
      "replace-disk", "Swap a node's disk for an empty one and rebuild every member it held from the rest of "
                      "its group by the engine's heal plan, under budget.heal");
  replace->add_option("node", o->node, "node id")->required();
  replace->add_option("disk", o->disk, "the disk's position among the node's disks in service (0, 1, …)")->required();
  replace->add_option("--timeout", o->timeout, "give up waiting after this long (the work goes on)")->capture_default_str();
  replace->add_flag("--json", o->json, "the report as JSON on stdout");
  replace->add_option("--dir", o->dir, kDirHelp);
  replace->callback([o, exit_code] {
    *exit_code = lifecycle("replace-disk", *o, [&](const LifecycleOptions& options) {
      return lab_replace_disk(lab_dir(*o), o->node, o->disk, options);
    });
  });
  CLI::App* heal = lab->add_subcommand(
      "heal", "Rebuild the members of every disk a node reports failed where the engine's heal plan puts them "
              "(a fixed pool's spares), under budget.heal, and retire the failed disks");
  heal->add_option("--timeout", o->timeout, "give up waiting after this long (the work goes on)")->capture_default_str();
  heal->add_flag("--json", o->json, "the report as JSON on stdout");
  heal->add_option("--dir", o->dir, kDirHelp);
  heal->callback([o, exit_code] {
    *exit_code = lifecycle("heal", *o, [&](const LifecycleOptions& options) { return lab_heal_failed(lab_dir(*o), options); });
  });
  CLI::App* start = lab->add_subcommand("start", "Start a stopped node again and wait until it serves");
  start->add_option("node", o->node, "node id")->required();
  start->add_option("--dir", o->dir, "lab folder (default: that of $CAIRN_CLUSTER, else ./cairn-lab)");
  start->callback([o, exit_code] {
    Status st = lab_start(lab_dir(*o), o->node, find_node_binary());
    *exit_code = st.is_ok() ? 0 : fail("start", st);
  });
}

}  // namespace cairn::cli
