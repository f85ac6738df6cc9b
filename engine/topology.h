// Topology: sites, racks, nodes and disks with capacities, device classes and
// bandwidths, and the failure domain each disk belongs to.
//
// A Topology is a value: placement functions take one and return new values,
// never keeping a reference. Ids are dense and never reused; retiring a node
// or disk marks it retired so that maps from before and after a change still
// name the same disks. Not thread-safe for mutation; const use is.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/ids.h"
#include "engine/scheme.h"

namespace cairn {

struct DiskModel {
  uint64_t capacity_bytes = 20'000'000'000'000ULL;  // 20 TB
  DeviceClass device_class = DeviceClass::kHdd;
  uint64_t read_bytes_per_s = 250'000'000;
  uint64_t write_bytes_per_s = 250'000'000;
  // Device operations per second (engine/store_ops.h says which operations
  // wait on the device); docs/REFERENCE.md: ~150 for a 7,200 rpm HDD.
  double ops_per_s = 150;
};

struct DiskInfo {
  DiskId id;
  NodeId node;
  RackId rack;
  DiskModel model;
  bool retired = false;
};

struct NodeInfo {
  NodeId id;
  RackId rack;
  std::vector<DiskId> disks;
  bool retired = false;
};

struct RackInfo {
  RackId id;
  SiteId site;
};

class Topology {
 public:
  // `racks` racks in one site, `nodes` nodes spread over them round-robin,
  // each with `disks_per_node` disks of `disk`.
  static Topology uniform(uint32_t racks, uint32_t nodes, uint32_t disks_per_node,
                          const DiskModel& disk);

  SiteId add_site();
  RackId add_rack(SiteId site);
  NodeId add_node(RackId rack, std::span<const DiskModel> disks);
  // Adds `count` nodes of identical disks, each to the rack with the fewest
  // live nodes (lowest id on ties), so racks stay even. Returns the new ids.
  std::vector<NodeId> add_nodes_spread(uint32_t count, uint32_t disks_per_node,
                                       const DiskModel& disk);
  // A new disk in `node` (e.g. the replacement for a failed one): a new id.
  DiskId add_disk(NodeId node, const DiskModel& model);
  void retire_node(NodeId node);
  void retire_disk(DiskId disk);

  const DiskInfo& disk(DiskId id) const { return disks_[id.value]; }
  const NodeInfo& node(NodeId id) const { return nodes_[id.value]; }
  const RackInfo& rack(RackId id) const { return racks_[id.value]; }
  uint32_t disk_id_bound() const { return static_cast<uint32_t>(disks_.size()); }
  uint32_t node_id_bound() const { return static_cast<uint32_t>(nodes_.size()); }
  uint32_t rack_count() const { return static_cast<uint32_t>(racks_.size()); }

  // The id of the failure domain `disk` lies in, at level `domain`: the disk's,
  // its node's or its rack's id value. Domain values of one level are unique.
  uint32_t domain_of(DiskId disk, FailureDomain domain) const;
  std::vector<DiskId> live_disks() const;
  std::vector<NodeId> live_nodes() const;
  uint32_t live_domain_count(FailureDomain domain) const;
  uint64_t live_capacity_bytes() const;

 private:
  std::vector<RackInfo> racks_;
  std::vector<NodeInfo> nodes_;
  std::vector<DiskInfo> disks_;
  uint32_t sites_ = 0;
};

}  // namespace cairn
