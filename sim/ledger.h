// Ledger: where the archive's bytes are, per group member and per disk, as
// the model ingests files, heals, rebalances and loses groups.
//
// Aggregated (the default): a month's files are spread over the groups by
// their exact share of the hash space, each file costing every member the
// average of the geometry over the scenario's file-size distribution.
// File by file: each file is looked up by its path and costed by its own
// size. Both use the engine's layout and fragment geometry (DESIGN.md rule
// 4); tests check that they agree. Plain data, no SimGrid.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/pool_map.h"
#include "engine/rebalance.h"
#include "sim/scenario.h"

namespace cairn::sim {

// What one file costs each member, on average over the file-size buckets.
struct MemberProfile {
  std::vector<double> stored_bytes;     // by member index: payload + padding + record
  std::vector<double> allocated_bytes;  // by member index: whole disk blocks
  double file_bytes = 0;                // logical bytes per file
};
MemberProfile average_profile(const Scenario& scenario);
MemberProfile file_profile(const Scheme& scheme, uint64_t file_bytes);

class Ledger {
 public:
  // Sizes for the map's groups and the topology's disk ids; keeps contents.
  void fit(const PoolMap& map, const Topology& topology);

  // Adds `files` files of `profile` to group `g` (fractions allowed when
  // aggregated), charging its members' disks.
  void add_files(const PoolMap& map, GroupId g, double files, const MemberProfile& profile);
  // Member `member` of `g` now lives on `to` instead of `from`: its bytes move.
  void move_member(GroupId g, uint32_t member, DiskId from, DiskId to);
  // What each member stores per slot of map.layout, for plan_rebalance: a
  // group's mean member bytes split evenly over its slots (the name hash is
  // uniform, so its files spread evenly). A cluster counts its real files
  // per slot instead; this spreading is the model's aggregation.
  std::vector<uint64_t> member_bytes_per_slot(const PoolMap& map) const;
  // The map changed from `from` to `to` (the same groups, maybe more) and
  // `plan` is plan_rebalance(from, to, ...) with no budget: each of the plan's
  // handoffs carries its slots' share of the old group's files and bytes to
  // the new group (a group's slots hold equal shares); then per-disk use
  // follows `to`'s members, as the plan's member moves do (in allocated
  // bytes, which the plan does not count).
  void apply_rebalance(const PoolMap& from, const PoolMap& to, const RebalancePlan& plan,
                       const Topology& topology);
  // Group `g` lost its data: returns {files, logical bytes} lost; zeroes it.
  std::pair<double, double> lose_group(const PoolMap& map, GroupId g) { return lose_share(map, g, 1.0); }
  // Group `g` lost `share` (in [0, 1]) of its files, taken evenly from every
  // member: returns {files, logical bytes} lost.
  std::pair<double, double> lose_share(const PoolMap& map, GroupId g, double share);

  double files(GroupId g) const { return files_[g.value]; }
  double logical_bytes(GroupId g) const { return logical_[g.value]; }
  double member_stored_bytes(GroupId g, uint32_t member) const {
    return stored_[g.value * width_ + member];
  }
  double disk_used_bytes(DiskId d) const { return used_[d.value]; }
  double total_logical_bytes() const;
  double total_used_bytes() const;
  uint32_t width() const { return width_; }

 private:
  void recompute_disk_use(const PoolMap& map);

  uint32_t width_ = 0;
  std::vector<double> files_, logical_;  // by group
  std::vector<double> stored_, allocated_;  // by group * width + member
  std::vector<double> used_;              // allocated bytes by disk id
};

}  // namespace cairn::sim
