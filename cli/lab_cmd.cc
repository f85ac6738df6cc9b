// `cairn lab up|down|kill|start`: a reference cluster of local cairn-node
// processes on loopback addresses, for trying Cairn and for fault drills.
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cluster-ref/lab.h"
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
};

// --dir, else the folder of $CAIRN_CLUSTER, else ./cairn-lab.
fs::path lab_dir(const LabOptions& o) {
  if (!o.dir.empty()) return fs::absolute(o.dir);
  if (const char* env = std::getenv("CAIRN_CLUSTER"); env != nullptr && *env != '\0') {
    return fs::absolute(env).parent_path();
  }
  return fs::absolute("cairn-lab");
}

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

  CLI::App* start = lab->add_subcommand("start", "Start a stopped node again and wait until it serves");
  start->add_option("node", o->node, "node id")->required();
  start->add_option("--dir", o->dir, "lab folder (default: that of $CAIRN_CLUSTER, else ./cairn-lab)");
  start->callback([o, exit_code] {
    Status st = lab_start(lab_dir(*o), o->node, find_node_binary());
    *exit_code = st.is_ok() ? 0 : fail("start", st);
  });
}

}  // namespace cairn::cli
