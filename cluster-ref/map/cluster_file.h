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
//
// Format 2 (what this build writes; it reads both) adds what a cluster that
// lives needs: every disk names its id (`{id: 7, path: ..., capacity: ...}`;
// ids are never reused, a node lists its disks in id order), nodes and disks
// may be `retired: true` (kept so that ids stay stable), a `budget` for heal
// and rebalance, and the pool map itself as the engine last made it (`map`,
// and during a rebalance or drain the `migration` source map, and the
// `heals` in progress; see map_section.h). Without `map` the first map is
// derived with the engine's initial_map, as in format 1. A new epoch of the
// file is a new cluster map: `cairn lab` makes it with the engine and
// installs it on every node (InstallMapRequest), which persists it in its
// state directory.
// Format 3 is format 2 with the WORM retention policies every node enforces
// (engine/retention.h), written only when there are policies (a file without
// them stays format 2, byte for byte):
//
//   retention:
//     - {prefix: /ct/, period: 2592000 s, auto_commit: 0 s, mode: compliance}
//
// They travel with the map because every node must judge a request by the
// same policies: `cairn retention set` writes the next epoch and installs it
// on every node, and a node refuses a map that weakens them (a governance
// bypass comes through its own request, see node.h).
// Format 4 is format 3 with the snapshots every node preserves versions for
// (engine/snapshot.h), written only when there are snapshots (a file without
// them stays format 3 or 2, byte for byte):
//
//   snapshots:
//     - {name: "before-upgrade", prefix: "/ct/", created: 1764930000000000000, cut: 1764930001000000000}
//
// (`created` in ns since the UNIX epoch; `cut` a version, which is a time
// in ns too). `cairn snapshot create` and `delete` write the next epoch and
// install it on every node.
// Errors name the file, line, column and key.
#pragma once
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cluster-ref/map/map_section.h"
#include "engine/heal.h"
#include "engine/placement.h"
#include "engine/pool_map.h"
#include "engine/rebalance.h"
#include "engine/retention.h"
#include "engine/snapshot.h"
#include "engine/status.h"
#include "engine/topology.h"

namespace cairn {

inline constexpr uint32_t kClusterFileFormat = 2;  // written without retention; 1, 2 and 3 are read
inline constexpr uint32_t kClusterFileFormatRetention = 3;  // written when there are retention policies
inline constexpr uint32_t kClusterFileFormatSnapshots = 4;  // written when there are snapshots; read too
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
  uint32_t id = 0;  // format 1: assigned in file order
  std::string path;
  uint64_t capacity_bytes = 0;
  bool retired = false;
};

struct NodeConfig {
  uint32_t id = 0;
  uint32_t rack = 0;
  Endpoint client;
  Endpoint storage;
  Endpoint management;
  std::string state_dir;
  std::vector<DiskConfig> disks;
  bool retired = false;
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
  uint64_t heal_bytes_per_s = 200'000'000;       // rebuilds written by one node
  uint64_t rebalance_bytes_per_s = 100'000'000;  // moves sent by one node
  std::vector<NodeConfig> nodes;
  uint32_t format = kClusterFileFormat;
  std::optional<MapSection> map;        // format 2: the pool map; absent: initial_map
  std::optional<MapSection> migration;  // format 2: the map data is moving from
  std::vector<HealPlan> heals;          // format 2: rebuilds in progress
  std::vector<RetentionPolicy> retention;  // format 3: WORM policies, in prefix order
  std::vector<Snapshot> snapshots;         // format 4: in name order
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
  // While data moves (a rebalance after growth, a drain before retirement):
  // the map it moves from. Readers that find nothing at a path's new place
  // look there; writers number versions above what it holds.
  std::optional<PoolMap> previous;
  uint64_t previous_epoch = 0;
  std::vector<HealPlan> heals;  // rebuilds in progress (targets to fill)
  uint64_t epoch() const { return config.epoch; }
  NodeId node_of(DiskId disk) const { return topology.disk(disk).node; }
  const NodeConfig& node(NodeId id) const { return config.nodes[id.value]; }
  // The disk's index among its node's disks (its directory).
  uint32_t disk_index(DiskId disk) const;
  const DiskConfig& disk_config(DiskId disk) const { return node(node_of(disk)).disks[disk_index(disk)]; }
  // The path's data still moves in the migration (the mover owns it until
  // the settled map: heal and group comparison leave it alone).
  bool moving(std::string_view path) const {
    return previous && !path_moves(*previous, pool, path).members.empty();
  }
};

// The cluster file for the map `pool` over `topology` at `epoch`, keeping
// `base`'s name, pool spec, timing and budgets and its nodes' addresses and
// disk paths; `disk_paths` names the directories of disks `base` does not
// know (by disk id), `new_nodes` the nodes it does not know (their disks
// come from the topology). `previous` and `heals` as in ClusterMap.
struct MapChange {
  const Topology* topology = nullptr;
  const PoolMap* pool = nullptr;
  const PoolMap* previous = nullptr;  // a migration source, or null
  uint64_t previous_epoch = 0;
  std::vector<HealPlan> heals;
  std::vector<NodeConfig> new_nodes;             // ids continue base's
  std::vector<std::pair<uint32_t, std::string>> new_disk_paths;  // disk id, path
};
Result<ClusterConfig> next_config(const ClusterConfig& base, uint64_t epoch, const MapChange& change);
Result<ClusterMap> build_map(std::string yaml_text, std::string_view source);
// Reads and builds; kIoError when the file cannot be read.
Result<ClusterMap> load_cluster(const std::filesystem::path& file);

}  // namespace cairn
