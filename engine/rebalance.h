// Rebalance planning: which member data moves between disks when a pool goes
// from one map to the next (a layout change, new or retired disks), in which
// order, and how much of it fits one bandwidth budget.
//
// The reference cluster migrates the planned slots; the simulator models the
// same plan as a few large disk-to-disk flows (flows_by_disk_pair), never one
// activity per slot. All functions are pure.
//
// Rules (the contract the tests pin):
// - Slots are compared at the finer of the two layouts' resolutions
//   (plan.slot_bits). The group owning a fine slot in `from` hands its data to
//   the group owning it in `to` (often the same group with new members).
// - A member moves when its disk changes. Erasure-coded members compare by
//   index (fragment i must sit on the new group's member i). Replicas compare
//   as sets: a replica on a disk that stays in the group does not move; the
//   departing disks (in the old group's member order) are matched to the
//   arriving disks (in the new group's member order), and MemberMove::member
//   is the arriving disk's index in the new group.
// - Bytes: member_bytes_per_slot[s] is what each member stores for slot s of
//   `from.layout`. When `to` has more slot bits, a from-slot's bytes split
//   evenly over its 2^Δ sub-slots (the name hash is uniform, so files spread
//   evenly); the remainder goes one byte each to the lowest sub-slots, so no
//   byte is lost or invented. A slot move's bytes = moved members × member
//   bytes. Slots whose move would carry no bytes produce no move.
// - Order: moves that evacuate a retired disk of `to_topology` first (that data
//   must move in any case), then larger bytes, then lower slot index.
// - Budget: whole moves are taken in that order while the running total stays
//   within budget_bytes; the first move that would exceed it and every move
//   after it are deferred (counted, not listed), so an evacuation is never
//   overtaken by an optional move.
// - Handoffs: every (from group, to group) pair that some fine slots change
//   owner between, with how many, sorted by from then to group: whether or
//   not any member data changes disk (a declustered group split hands slots
//   to a group on the same disks, and no byte moves), and not cut by the
//   budget (ownership changes when the map is installed). Whoever keeps
//   account of which group holds which files follows these.
// With equal bytes per slot and no budget, bytes_planned equals
// moved_fraction(from, to) × all member bytes stored (pool_map.h).
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "engine/ids.h"
#include "engine/pool_map.h"
#include "engine/status.h"
#include "engine/topology.h"

namespace cairn {

struct MemberMove {
  uint32_t member = 0;  // member index in the destination group
  DiskId from;
  DiskId to;
};

struct SlotMove {
  uint32_t slot = 0;  // at RebalancePlan::slot_bits resolution
  GroupId from_group;
  GroupId to_group;
  std::vector<MemberMove> members;
  uint64_t bytes = 0;      // members.size() × member bytes of this slot
  bool evacuates = false;  // a member leaves a retired disk
};

struct GroupHandoff {
  GroupId from_group;
  GroupId to_group;
  uint64_t slots = 0;  // at RebalancePlan::slot_bits resolution
};

struct RebalancePlan {
  uint32_t slot_bits = 0;       // the finer of the two layouts'
  std::vector<SlotMove> moves;  // in execution order, within the budget
  std::vector<GroupHandoff> handoffs;  // every owner change, by (from, to) group
  uint64_t bytes_planned = 0;   // sum of moves' bytes
  uint64_t bytes_deferred = 0;  // bytes of the moves left for a later round
  uint64_t moves_deferred = 0;
};

inline constexpr uint64_t kNoBudget = UINT64_MAX;

// Plans the moves from `from` to `to` (same pool: same scheme and width).
// `member_bytes_per_slot` has one entry per slot of from.layout. Returns
// kInvalidArgument when the schemes differ or the byte table has the wrong size.
Result<RebalancePlan> plan_rebalance(const PoolMap& from, const PoolMap& to,
                                     const Topology& to_topology,
                                     std::span<const uint64_t> member_bytes_per_slot,
                                     uint64_t budget_bytes);

// One file's share of a rebalance: the group its data leaves and the one it
// joins, and the member moves plan_rebalance makes for its slot (the same
// rule: erasure-coded members by index, replicas as sets). Empty `members`:
// the path's data stays where it is. The reference cluster's mover and its
// readers use it file by file; the simulator uses the plan's slot moves.
struct PathMoves {
  GroupId from_group;
  GroupId to_group;
  std::vector<MemberMove> members;
};
PathMoves path_moves(const PoolMap& from, const PoolMap& to, std::string_view path);

struct DiskFlow {
  DiskId from;
  DiskId to;
  uint64_t bytes = 0;
};

// The plan's moves summed per (from disk, to disk) pair, sorted by from then to.
// The flows' bytes sum to plan.bytes_planned.
std::vector<DiskFlow> flows_by_disk_pair(const RebalancePlan& plan);

}  // namespace cairn
