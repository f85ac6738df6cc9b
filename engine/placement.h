// Placement: which disks form each redundancy group of a pool.
//
// Two formation strategies (see DESIGN.md "Redundancy groups"):
// - kFixed: disjoint groups, each disk in at most one group, as GlusterFS forms
//   replica and disperse sets. Capacity changes come in whole groups; disks
//   left over are spares (heal targets), reported, not silently unused.
// - kDeclustered: every disk is a member of about `member_slots_per_disk`
//   groups, with member counts per disk in proportion to capacity, as Ceph
//   spreads placement groups; any increment works.
// In both, no two members of a group share the pool's failure domain; when
// the topology cannot give every group `width` distinct domains the functions
// return kUnsatisfiable naming the numbers, never a weaker placement.
//
// Member i of a group stores fragment i (erasure code) or a replica; member 0
// is the group's primary. Group ids are dense and never reused: a group that
// leaves is marked retired. All functions are pure.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/ids.h"
#include "engine/scheme.h"
#include "engine/status.h"
#include "engine/topology.h"

namespace cairn {

struct PoolSpec {
  Scheme scheme = Scheme::erasure(8, 3);
  FailureDomain domain = FailureDomain::kNode;
  GroupStrategy strategy = GroupStrategy::kFixed;
  DeviceClass device_class = DeviceClass::kHdd;  // the pool uses only these disks
  uint32_t member_slots_per_disk = 100;          // declustered: groups per disk
  uint64_t seed = 0;                             // tie-breaks; part of the map
};

struct Group {
  std::vector<DiskId> members;
  bool retired = false;
};

struct Placement {
  std::vector<Group> groups;   // index = GroupId value
  std::vector<DiskId> spares;  // kFixed: live disks in no group
};

// Live disks of the pool's device class, in id order.
std::vector<DiskId> pool_disks(const Topology& topology, const PoolSpec& spec);

// kUnsatisfiable, naming the numbers, when the pool's disks span fewer failure
// domains than the scheme's width; ok otherwise. Both strategies call it.
Status check_domains(const Topology& topology, const PoolSpec& spec);

// The capacity weight of a group for the layout: its smallest member's
// capacity for kFixed (larger members cannot hold more than the smallest);
// 1 for kDeclustered (balance comes from member counts); 0 when retired.
std::vector<double> group_weights(const Placement& placement, const Topology& topology,
                                  const PoolSpec& spec);

// Groups whose live members share a failure domain, or that have a member on
// a retired disk. Must be 0 for every placement these functions return.
uint32_t count_violations(const Placement& placement, const Topology& topology,
                          const PoolSpec& spec);

// The disk that should take member `member` of a group whose members are (or
// will be, after this change) `members`: among `candidates`, a live disk not
// in the group, in a failure domain no other live member uses, with at least
// `bytes` in `free_bytes` (by disk id); the one with the most free bytes, ties
// broken by a key from the pool seed. DiskId(UINT32_MAX) when none fits. The
// one rule for every replacement: fixed-pool removals and heals both use it.
DiskId choose_replacement(const Topology& topology, const PoolSpec& spec, GroupId group,
                          std::span<const DiskId> members, uint32_t member,
                          std::span<const DiskId> candidates, std::span<const uint64_t> free_bytes,
                          uint64_t bytes);
inline constexpr DiskId kNoDisk{UINT32_MAX};

// kFixed. The first placement of a pool.
Result<Placement> form_fixed(const Topology& topology, const PoolSpec& spec);
// kFixed. After a topology change: groups that lost every member retire; a
// group that lost some members takes spares in allowed domains in their place
// (refused when no spare fits); disks new to the pool form whole new groups
// among themselves (refused when they form none), the rest become spares.
Result<Placement> next_fixed(const Placement& current, const Topology& topology,
                             const PoolSpec& spec);

// kDeclustered. Member slots per disk for `group_count` groups: in proportion
// to capacity, no failure domain above `group_count` in total.
std::vector<uint32_t> declustered_quotas(const Topology& topology, const PoolSpec& spec,
                                         uint32_t group_count);
// kDeclustered. The first placement of a pool: enough groups for about
// member_slots_per_disk member slots on each disk.
Result<Placement> form_declustered(const Topology& topology, const PoolSpec& spec);
// kDeclustered. Reassigns members so that every disk meets its quota: members
// on retired disks move first, then members leave disks above quota for disks
// below it. Each reassignment moves one member's data; no other data moves.
Result<Placement> rebalance_declustered(const Placement& current, const Topology& topology,
                                        const PoolSpec& spec);

}  // namespace cairn
