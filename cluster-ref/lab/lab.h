// Lab: a reference cluster of local cairn-node processes for one machine —
// what `cairn lab up|down|kill|start` drives. Node i listens on its own
// loopback address 127.0.0.(10+i), with the client, storage and management
// networks on base_port, base_port+1 and base_port+2. The lab directory
// holds everything: cluster.yaml, cluster.secret (the cluster's secret, mode
// 0600; net/secret.h), node-<i>/ (state and disks), node-<i>.log and
// node-<i>.pid for the nodes running.
#pragma once
#include <filesystem>
#include <string>

#include "cluster-ref/map/cluster_file.h"
#include "engine/scheme.h"

namespace cairn {

inline constexpr uint32_t kLabNodesMax = 200;  // 127.0.0.10 .. 127.0.0.209

struct LabSpec {
  std::filesystem::path dir;
  uint32_t nodes = 6;
  uint32_t disks_per_node = 4;
  Scheme scheme = Scheme::erasure(4, 2);
  FailureDomain domain = FailureDomain::kNode;
  GroupStrategy strategy = GroupStrategy::kFixed;
  uint64_t disk_capacity_bytes = uint64_t{10} << 30;
  uint32_t min_live = 0;  // 0: the engine's default
  uint16_t base_port = 7400;
};

// The cluster file for a lab (absolute paths under spec.dir).
Result<ClusterConfig> lab_config(const LabSpec& spec);

// Writes DIR/cluster.yaml (and DIR/cluster.secret when there is none) and starts every node; waits until each answers on
// its management network (or fails naming the node and its log's last lines).
// kRefused when a lab is already running in DIR.
Status lab_up(const LabSpec& spec, const std::filesystem::path& node_binary);
// Stops every running node of the lab (SIGTERM, then SIGKILL after 5 s).
Status lab_down(const std::filesystem::path& dir);
// SIGKILL: a crash, for fault drills.
Status lab_kill(const std::filesystem::path& dir, uint32_t node);
// Starts a node of the lab's cluster file and waits until it answers (not
// until its peers see it: they may run an older map that lacks it).
Status lab_spawn(const std::filesystem::path& dir, uint32_t node, const std::filesystem::path& node_binary);
// Stops one node (SIGTERM, then SIGKILL after 5 s); ok when not running.
Status lab_stop(const std::filesystem::path& dir, uint32_t node);
// Starts a stopped node again and waits until it answers.
Status lab_start(const std::filesystem::path& dir, uint32_t node,
                 const std::filesystem::path& node_binary);
// The pid of a running node of the lab, 0 when it is not running.
int lab_pid(const std::filesystem::path& dir, uint32_t node);

// Where cairn-node is: $CAIRN_NODE, else beside the running executable, else
// in ../cluster-ref/ of the build tree, else "cairn-node" on PATH.
std::filesystem::path find_node_binary();

}  // namespace cairn
