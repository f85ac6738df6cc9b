// PoolMap: everything a client needs to find a file of one pool — the pool's
// spec, its groups (placement) and its elastic hash layout — under one epoch
// (the layout's). A PoolMap is a value; next_map() derives the map for a
// changed topology and never edits the one it is given.
//
// The measures below are exact shares of the hash space, not samples: a
// group's share is its slot count over the table size, and each member of a
// group stores 1/width of the group's stored bytes (a k+m fragment, or one of
// N replicas), ignoring padding and metadata (see geometry.h for those).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "engine/layout.h"
#include "engine/placement.h"
#include "engine/topology.h"

namespace cairn {

struct PoolMap {
  PoolSpec spec;
  Placement placement;
  Layout layout;

  uint64_t epoch() const { return layout.epoch; }
  GroupId lookup(std::string_view path) const { return layout.lookup(path); }
  const Group& group(GroupId id) const { return placement.groups[id.value]; }
};

Result<PoolMap> initial_map(const Topology& topology, const PoolSpec& spec);

// The map after `topology` changed (disks or nodes added or retired). kFixed
// refuses increments that form no whole group and removals that break groups
// no spare can mend; kDeclustered first doubles its group count (by splitting
// every group in place, which moves nothing) while disks average fewer than
// 3/4 of member_slots_per_disk, then reassigns members.
Result<PoolMap> next_map(const PoolMap& current, const Topology& topology);

// kFixed: brings the spare list up to date with the topology — live pool
// disks in no group (e.g. a disk that replaced a failed one) join it as heal
// targets; retired disks leave it. No group or slot changes, so the epoch
// stays. kDeclustered: unchanged (new disks join through next_map).
// By value: a caller that owns the map moves it in.
PoolMap admit_spares(PoolMap map, const Topology& topology);
// The same when the caller knows the new disks: `fresh` (live pool disks in
// no group) join the spares, retired spares leave; costs O(spares), not
// O(disks), for a simulator replacing disks one at a time.
PoolMap admit_spares(PoolMap map, const Topology& topology, std::span<const DiskId> fresh);

// Hash-space share per group id (sums to 1).
std::vector<double> group_shares(const PoolMap& map);
// Share of all stored bytes held by each disk id (sums to 1).
std::vector<double> disk_shares(const PoolMap& map, const Topology& topology);
// Disks that hold data (members of live groups), in id order.
std::vector<DiskId> data_disks(const PoolMap& map);

// Bytes that change disk between two maps, as a fraction of all stored bytes.
// Erasure-coded members compare by fragment index; replicas as sets.
double moved_fraction(const PoolMap& from, const PoolMap& to);
// The least any placement could move: the larger of the data-bearing capacity
// that arrives (share of the new total) and that departs (share of the old).
double ideal_moved_fraction(const PoolMap& from, const Topology& from_topology,
                            const PoolMap& to, const Topology& to_topology);

// kFixed: the fewest nodes of `disks_per_node` × `disk`, added spread over the
// racks, for which next_map succeeds; 0 when none up to `max_nodes` does.
uint32_t smallest_valid_increment(const PoolMap& map, const Topology& topology,
                                  uint32_t disks_per_node, const DiskModel& disk,
                                  uint32_t max_nodes);

}  // namespace cairn
