#include "sim/map_changes.h"

#include <algorithm>

namespace cairn::sim {

bool change_may_apply(const ModelState& st, size_t heals_running) {
  if (heals_running > 0) return false;
  if (st.map.spec.strategy != GroupStrategy::kDeclustered) return true;
  return std::all_of(st.group_failed.begin(), st.group_failed.end(), [](uint32_t n) { return n == 0; });
}

namespace {

// Installs `to`, the engine's next map for st.topology: plans the rebalance
// over the ledger's per-slot bytes, moves the ledger's accounts along it,
// replaces the map and reindexes.
RebalancePlan install(ModelState& st, PoolMap to) {
  PoolMap from = st.map;
  Result<RebalancePlan> plan =
      plan_rebalance(from, to, st.topology, st.ledger.member_bytes_per_slot(from), kNoBudget);
  CAIRN_ASSERT(plan.is_ok());
  st.ledger.apply_rebalance(from, to, *plan, st.topology);
  st.map = std::move(to);
  st.reindex();
  return std::move(plan).value();
}

}  // namespace

Result<RebalancePlan> install_next_map(ModelState& st) {
  Result<PoolMap> to = next_map(st.map, st.topology);
  if (!to) {
    st.map = admit_spares(std::move(st.map), st.topology);
    return to.status();
  }
  return install(st, std::move(to).value());
}

bool retirement_may_apply(const ModelState& st, std::span<const NodeId> nodes,
                          size_t heals_running) {
  if (!change_may_apply(st, heals_running)) return false;
  for (NodeId n : nodes)
    for (DiskId d : st.topology.node(n).disks)
      if (st.disk_failed[d.value] && !st.disk_members[d.value].empty()) return false;
  return true;
}

Result<RebalancePlan> retire_nodes(ModelState& st, std::span<const NodeId> nodes) {
  Topology retired = st.topology;
  for (NodeId n : nodes) retired.retire_node(n);
  Result<PoolMap> to = next_map(st.map, retired);
  if (!to) return to.status();
  st.topology = std::move(retired);
  return install(st, std::move(to).value());
}

}  // namespace cairn::sim
