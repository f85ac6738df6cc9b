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
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/heal.h"
#include "engine/heal_policy.h"
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
  std::vector<bool> group_in_heal;        // a heal that rebuilds a lost member runs
  std::set<std::pair<uint32_t, uint32_t>> members_in_heal;  // (group, member) a running heal writes
  std::vector<bool> group_lost_data;      // lost since its last full heal
  std::vector<bool> node_down;            // transient outage
  std::map<std::pair<uint32_t, uint32_t>, double> stale_bytes;  // (group, member) -> bytes missed
  // Logical bytes written and not yet expired, losses not deducted: what
  // each month's expiry is a share of (ingest.h).
  double held_bytes = 0;

  // Sizes every per-disk and per-group vector after the topology or map grew.
  void fit();
  // Rebuilds disk_members and group_failed from the map (after next_map).
  void reindex();
  bool group_on_down_node(uint32_t g) const;
  bool group_degraded(uint32_t g) const;
  double data_bearing_capacity_bytes() const;
  double raw_capacity_bytes() const;
  // What one file stores on a member, on average over members and sizes:
  // a plan's member bytes over this is its files (transfers.h).
  double member_bytes_per_file() const;
  // The engine's heal_free_bytes() over the ledger's disk use.
  std::vector<uint64_t> free_bytes() const;
  std::vector<uint32_t> heal_candidates() const;
  // Group `g` as the engine's heal policy sees it.
  GroupView group_view(uint32_t g) const;
  // The engine's heal_requests() over the candidates' views, in group id
  // order (most urgent first being plan_heals' job); `limit` caps the batch.
  std::vector<HealRequest> heal_requests(size_t limit) const;

  // What settle_group() wrote off.
  struct Loss {
    uint32_t group = 0;
    double files = 0;
    double bytes = 0;  // logical
    std::string detail;
  };
  // Applies group_health() to `g` after one of its members failed or went
  // stale. kLost (first time): the group's data is lost; kMissedWritesLost:
  // the writes its stale members missed are lost (their files leave the
  // ledger). Either way its stale entries are forgotten, so the group heals
  // its lost members from what remains. Returns what was lost, if anything.
  std::optional<Loss> settle_group(uint32_t g);
  // Member `member` of `g` moved from `from` to `to` (a heal target).
  void note_member_moved(uint32_t g, uint32_t member, DiskId from, DiskId to);
};

}  // namespace cairn::sim
