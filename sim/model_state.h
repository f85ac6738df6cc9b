// ModelState: the cluster as the model sees it — the engine's topology and
// pool map, the ledger of bytes, and what the model knows that the engine's
// values do not: which disks have failed, which nodes are down, which
// members missed writes, and which group members live on each disk.
//
// A failed disk stays live in the engine's topology until every member it
// held has been healed elsewhere, so the engine never plans around a disk it
// still lists in a group; then it is retired. Plain data, no SimGrid.
#pragma once

#include <map>
#include <set>
#include <utility>
#include <vector>

#include "engine/heal.h"
#include "engine/pool_map.h"
#include "sim/ledger.h"
#include "sim/scenario.h"

namespace cairn::sim {

struct ModelState {
  explicit ModelState(const Scenario& scenario);

  const Scenario& scenario;
  Topology topology;
  PoolMap map;
  Ledger ledger;
  MemberProfile profile;

  std::vector<bool> disk_failed;          // by disk id; until retired
  std::set<uint32_t> failed_disks;        // the same, as a set of ids
  std::vector<bool> disk_detected;        // failure noticed: heals may start
  std::vector<double> disk_failed_at_s;
  std::vector<uint32_t> disk_slot;        // position on its node (SimGrid disk)
  std::vector<std::vector<std::pair<uint32_t, uint32_t>>> disk_members;  // (group, member)
  std::vector<uint32_t> group_failed;     // members on failed disks
  std::vector<bool> group_in_heal;
  std::vector<bool> group_lost_data;      // lost since its last full heal
  std::vector<bool> node_down;            // transient outage
  std::map<std::pair<uint32_t, uint32_t>, double> stale_bytes;  // (group, member) -> bytes missed

  // Sizes every per-disk and per-group vector after the topology or map grew.
  void fit();
  // Rebuilds disk_members and group_failed from the map (after next_map).
  void reindex();
  bool group_on_down_node(uint32_t g) const;
  bool group_degraded(uint32_t g) const;
  double data_bearing_capacity_bytes() const;
  double raw_capacity_bytes() const;
  // Free bytes per disk id for heal targets (a fixed pool's spares, or any
  // disk of a declustered pool): 0 on failed, retired or down disks and on
  // disks that cannot be targets.
  std::vector<uint64_t> free_bytes() const;
  std::vector<uint32_t> heal_candidates() const;
  // The heal requests for groups ready to heal (failures detected, no member
  // on a down node, not already healing), most urgent first being the
  // engine's job; `limit` caps the batch.
  std::vector<HealRequest> heal_requests(size_t limit) const;
  // Member `member` of `g` moved from `from` to `to` (a heal target).
  void note_member_moved(uint32_t g, uint32_t member, DiskId from, DiskId to);
};

}  // namespace cairn::sim
