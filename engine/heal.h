// Heal planning: for one batch of degraded groups of a pool, which members to
// read, where to rebuild each missing member, and what that costs in bytes.
//
// The real heal daemon and the simulator both execute these plans; neither
// decides anything itself. All functions are pure: the same map, topology,
// requests and free space give the same plans on every platform.
//
// Rules (the contract the tests pin):
// - Recoverability is group_health() (group_health.h). A kLost group is not
//   recoverable: its plan says so and reads and writes nothing. In a
//   kMissedWritesLost group the writes its stale members missed are gone:
//   those members are readable (their older data is the group's data now)
//   and are not rebuilt; only its kLost members are. Otherwise a member is
//   readable only when kHealthy.
// - Priority: groups with the least redundancy left (redundancy_margin())
//   first, then larger member_bytes, then lower group id. Plans come back in
//   that order, and earlier plans take free space and read load first.
// - Sources: the readable members whose disks carry the least read load
//   planned so far in this batch (ties by member index): one for a replica
//   group (one read feeds every target), k for an erasure-coded group (one
//   decode rebuilds every missing fragment). Chosen only when the plan has a
//   target.
// - Decode: each target's sources are read to, and decoded or copied at, the
//   target's own node (Target::decode_node): a rebuild on another node pulls
//   the k source members there; a stale member catches up on its own node.
// - Targets: a kStale member of a kDegraded group is rebuilt in place on its
//   own disk (its space is already held there, so free space is not checked).
//   A kLost member goes to a disk in a failure domain no other member of the
//   group will use after the heal, not already in the group, with free bytes
//   >= member_bytes after the targets already chosen in this batch: a spare
//   of the pool (kFixed; a spare serves one member of one group) or any live
//   pool disk (kDeclustered). The largest free space wins, ties by a key
//   seeded from the pool's seed. When no disk qualifies the member is listed
//   in unplaced_members and keeps its disk in the map: the caller waits for a
//   replacement; a target never weakens the failure domain.
// - read_bytes = member_bytes (replica) or k × member_bytes (erasure code) when
//   there is a target, else 0; write_bytes = targets × member_bytes.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/group_health.h"
#include "engine/ids.h"
#include "engine/pool_map.h"
#include "engine/status.h"
#include "engine/topology.h"

namespace cairn {

// One degraded group, as the caller sees it.
struct HealRequest {
  GroupId group;
  std::vector<MemberState> members;  // by member index; size = the scheme's width
  uint64_t member_bytes = 0;         // bytes each member of the group stores
  // By member index, or empty for none: members this request leaves alone
  // (a running heal of the group already rebuilds them, or they wait for
  // it): their state counts for the group's health, they are never read,
  // and they get no target here.
  std::vector<bool> skip;
};

struct HealPlan {
  struct Target {
    uint32_t member = 0;    // the member index rebuilt
    DiskId disk;            // the disk it is written to
    bool in_place = false;  // true: the member's own (stale) disk
    NodeId decode_node;     // where the sources are read to and decoded or copied
  };

  GroupId group;
  GroupHealth health = GroupHealth::kHealthy;  // group_health() of the request
  bool recoverable = false;                    // readable(health)
  uint32_t redundancy_left = 0;            // redundancy_margin(); 0 if not recoverable
  uint64_t member_bytes = 0;               // as requested
  std::vector<uint32_t> source_members;    // in member index order
  std::vector<DiskId> source_disks;        // parallel to source_members
  std::vector<Target> targets;             // in member index order
  std::vector<uint32_t> unplaced_members;  // kLost members no disk could take
  uint64_t read_bytes = 0;
  uint64_t write_bytes = 0;
};

// Plans a batch. `free_bytes_by_disk` is indexed by disk id and covers every
// disk id of `topology`; taken by value because the batch charges its targets
// to it (a caller that built it for this call moves it in). Returns kInvalidArgument when a request names an
// unknown, retired or repeated group, has the wrong member count, or marks a
// member on a retired disk as healthy or stale; or when free space is missing.
Result<std::vector<HealPlan>> plan_heals(const PoolMap& map, const Topology& topology,
                                         std::span<const HealRequest> requests,
                                         std::vector<uint64_t> free_bytes_by_disk);

// The indices of `requests` in the priority order above (least redundancy
// left, then larger member_bytes, then lower group id): what plan_heals
// plans first. A caller that can start only a few heals plans the most
// urgent requests, not a backlog it would throw away.
std::vector<size_t> heal_priority_order(std::span<const HealRequest> requests, const Scheme& scheme);

// `map` after the plans ran: each kLost member that has a target now sits on
// the target disk (kFixed: that disk leaves the spare list). Unplaced members
// keep their disks. The layout's slots are unchanged (no data moves); its
// epoch increases by one when any membership changed. The plans must come from
// one plan_heals call on `map` (asserted). kDeclustered: member counts per disk
// may drift from their quotas; the next next_map() reassignment restores them.
// Charges heals already running against `free_bytes_by_disk` before a new
// batch is planned: a fixed pool's spare serves one member at a time, so a
// spare being written has no room left; any other target loses the member
// bytes being written to it. Both the simulator and the real heal daemon
// plan new batches while others run.
void reserve_running_targets(const PoolMap& map, std::span<const HealPlan> running,
                             std::span<uint64_t> free_bytes_by_disk);

// Takes the map by value: callers that own it move it in and avoid copying
// the slot table.
PoolMap apply_heals(PoolMap map, std::span<const HealPlan> plans);
inline PoolMap apply_heal(PoolMap map, const HealPlan& plan) {
  return apply_heals(std::move(map), std::span<const HealPlan>(&plan, 1));
}

}  // namespace cairn
