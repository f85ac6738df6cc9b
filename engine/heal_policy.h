// Heal policy: which degraded groups are ready to heal now, how the plans of
// one round are grouped into heal jobs and how many jobs may run at once, and
// how much room each disk offers heal targets. The simulator and the
// reference cluster's healer both ask these questions; plan_heals (heal.h)
// then answers where each heal reads and writes. Pure: no clock, no I/O; the
// caller describes what it observed as plain values.
//
// Rules (the contract the tests pin):
// - Ready: a group is requested when no member is on a node in a transient
//   outage (its writes would be missed again), every failed member's failure
//   has been detected, and some failed or stale member is not being healed.
//   Failed members are kLost, stale ones kStale, the rest kHealthy.
// - Beside a running heal: a member a running heal rebuilds or catches up is
//   skipped (HealRequest::skip); while a heal that rebuilds a lost member
//   runs, the group's other lost members wait for it too (their targets must
//   keep the failure domains of the group as it will be), but its stale
//   members catch up at once — as the cluster's healer replays owed writes
//   while a rebuild runs. Otherwise a stale member would wait out a rebuild
//   that can last months, and outages would pile up into missed-writes loss.
// - A group whose data is already lost is rebuilt empty at most m members at
//   a time (the first m failed members by index); the others stay kHealthy
//   so that plan_heals sees a recoverable group and rebuilds it.
// - While a map change waits, only plans that catch stale members up in place
//   start (no rebuilds_lost_member()): a rebuild would be planned against a
//   map about to change, a catch-up changes no membership.
// - member_bytes: the largest of the lost members' stored bytes and the
//   stale members' missed bytes, over the members not skipped, at least 1.
// - Jobs: one per cause, so that a later failure cancels only the heals that
//   touched its disk: a plan rebuilding a failed disk's member belongs to
//   that disk (the lowest such disk id), a plan that only catches stale
//   members up belongs to their node (the lowest). Disk causes sort before
//   node causes. Jobs come in the order of their first plan (plans are
//   most urgent first), at most `jobs_max` of them; plans without targets
//   belong to no job.
// - Free bytes: a fixed pool heals onto its spares only, a declustered pool
//   onto any disk; 0 on retired, failed or down disks and on every disk a
//   fixed pool does not list as a spare.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "engine/heal.h"
#include "engine/pool_map.h"
#include "engine/topology.h"

namespace cairn {

// One member of a group, as its caller observed it.
struct MemberView {
  bool failed = false;            // its disk failed: the member is lost
  bool failure_detected = false;  // the failure has been noticed (failed only)
  bool on_down_node = false;      // its node is in a transient outage
  bool stale = false;             // alive but owes writes it missed
  bool healing = false;           // a running heal rebuilds or catches up this member
  uint64_t missed_bytes = 0;      // stale only: member bytes it missed
  uint64_t stored_bytes = 0;      // member bytes it stores (or stored)
};

struct GroupView {
  GroupId group;
  std::vector<MemberView> members;  // by member index
  bool lost_rebuild_empty = false;  // its data is already lost: rebuilt empty
  bool healing = false;             // a running heal rebuilds a lost member of the group
};

// kLost for failed members, kStale for stale ones, kHealthy otherwise: the
// states group_health() judges the group by.
std::vector<MemberState> member_states(const GroupView& view);

// Whether `plan` rebuilds a lost member on another disk (a target not in
// place), rather than only catching stale members up: such a plan makes the
// group's other lost members wait (GroupView::healing) and waits itself for
// a pending map change.
bool rebuilds_lost_member(const HealPlan& plan);

// The group's heal request when it is ready (rules above), else nullopt.
std::optional<HealRequest> heal_request(const GroupView& view, const Scheme& scheme);

// heal_request() of each view in order, the ready ones only, at most `limit`.
std::vector<HealRequest> heal_requests(std::span<const GroupView> views, const Scheme& scheme,
                                       size_t limit);

struct HealJob {
  enum class Cause : uint8_t { kFailedDisk = 0, kReturningNode = 1 };
  Cause cause = Cause::kFailedDisk;
  DiskId disk;  // kFailedDisk: the disk whose members the job rebuilds
  NodeId node;  // kReturningNode: the node whose members catch up
  std::vector<HealPlan> plans;  // most urgent first, as given
};

// How many more heal jobs may start while `running` run: 0 when full.
size_t heal_jobs_allowed(size_t running, size_t max_concurrent);

// The plans of one plan_heals call on `map`, grouped into at most `jobs_max`
// jobs by cause (rules above). Plans of the causes left out are dropped: the
// caller requests their groups again in a later round.
std::vector<HealJob> heal_jobs(std::vector<HealPlan> plans, const PoolMap& map,
                               const Topology& topology, size_t jobs_max);

// One disk, as its caller observed it. Used bytes may be fractional: the
// simulator's ledger spreads files over groups by their share of the hash.
struct DiskUse {
  double used_bytes = 0;
  bool failed = false;
  bool down = false;  // on a node in a transient outage
};

// The disks heal targets may take room on, in id order: a fixed pool's
// spares, or every disk id of a declustered pool.
std::vector<DiskId> heal_room_disks(const PoolMap& map, const Topology& topology);

// Free bytes for heal targets by disk id (plan_heals' free_bytes_by_disk),
// 0 on every disk not in heal_room_disks(). `room` describes the disks of
// heal_room_disks(map, topology), in that order (asserted by count): a large
// fixed pool has few spares among many disks.
std::vector<uint64_t> heal_free_bytes(const PoolMap& map, const Topology& topology,
                                      std::span<const DiskUse> room);

}  // namespace cairn
