// The cluster file: the YAML that names a reference cluster's nodes (their
// client, storage and management addresses, state directory and disks) and
// its pool. Every node and every client derives the same topology and pool
// map from it with the engine (build_map), so the file's text *is* the
// cluster map that nodes serve to clients (MapReply), under its epoch.
//
// Format 1 (scenarios-style units for capacities):
//
//   cairn_cluster: 1
//   name: lab
//   epoch: 1
//   pool: {scheme: "ec:4+2", domain: node, strategy: fixed, min_live: 5, seed: 0}
//   timing: {heal_interval: 1 s, peer_timeout: 2 s, scrub_interval: 7 days}
//   budget: {scrub: 50 MB/s}          # optional; per node
//   nodes:
//     - id: 0
//       rack: 0
//       client: 127.0.0.11:7400
//       storage: 127.0.0.11:7401
//       management: 127.0.0.11:7402
//       state_dir: /srv/cairn/node0
//       disks:
//         - {path: /srv/cairn/node0/disk0, capacity: 2 TB}
//
// Node ids are 0..n-1 in file order; disk ids are assigned in file order
// (node 0's disks first), which is how every reader agrees on them.
// Errors name the file, line, column and key.
#pragma once
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "engine/placement.h"
#include "engine/pool_map.h"
#include "engine/status.h"
#include "engine/topology.h"

namespace cairn {

inline constexpr uint32_t kClusterFileFormat = 1;
inline constexpr uint32_t kClusterNodesMax = 1024;
inline constexpr uint32_t kDisksPerNodeMax = 256;

struct Endpoint {
  std::string host;  // an IPv4 address
  uint16_t port = 0;
  std::string to_string() const { return host + ":" + std::to_string(port); }
  bool operator==(const Endpoint&) const = default;
};
Result<Endpoint> parse_endpoint(std::string_view text);

struct DiskConfig {
  std::string path;
  uint64_t capacity_bytes = 0;
};

struct NodeConfig {
  uint32_t id = 0;
  uint32_t rack = 0;
  Endpoint client;
  Endpoint storage;
  Endpoint management;
  std::string state_dir;
  std::vector<DiskConfig> disks;
};

struct ClusterConfig {
  std::string name = "cairn";
  uint64_t epoch = 1;
  PoolSpec pool;
  uint32_t min_live = 0;  // 0 in the file: the engine's default_min_live
  uint32_t heal_interval_ms = 1000;
  uint32_t peer_timeout_ms = 2000;
  uint64_t scrub_interval_s = 7 * 24 * 3600;  // a node starts a scrub pass this long after its last
  // Background work's pace on each node, bytes per second (engine/scrub.h
  // charges a file its bytes plus an operation's worth).
  uint64_t scrub_bytes_per_s = 50'000'000;
  std::vector<NodeConfig> nodes;
};

// `source` names the text in messages (a file name).
Result<ClusterConfig> parse_cluster(std::string_view yaml_text, std::string_view source);
std::string to_yaml(const ClusterConfig& config);

// What every participant derives from the file.
struct ClusterMap {
  ClusterConfig config;
  std::string yaml;  // the text it came from, served to clients as the map
  Topology topology;
  PoolMap pool;
  uint64_t epoch() const { return config.epoch; }
  NodeId node_of(DiskId disk) const { return topology.disk(disk).node; }
  const NodeConfig& node(NodeId id) const { return config.nodes[id.value]; }
  // The disk's index among its node's disks (its directory).
  uint32_t disk_index(DiskId disk) const;
};
Result<ClusterMap> build_map(std::string yaml_text, std::string_view source);
// Reads and builds; kIoError when the file cannot be read.
Result<ClusterMap> load_cluster(const std::filesystem::path& file);

}  // namespace cairn
