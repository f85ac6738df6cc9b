#include "sim/map_changes.h"

#include <algorithm>

namespace cairn::sim {

bool change_may_apply(const ModelState& st, size_t heals_running) {
  if (heals_running > 0) return false;
  if (st.map.spec.strategy != GroupStrategy::kDeclustered) return true;
  return std::all_of(st.group_failed.begin(), st.group_failed.end(), [](uint32_t n) { return n == 0; });
}

Result<RebalancePlan> install_next_map(ModelState& st) {
  PoolMap from = st.map;
  Result<PoolMap> to = next_map(from, st.topology);
  if (!to) {
    st.map = admit_spares(std::move(st.map), st.topology);
    return to.status();
  }
  Result<RebalancePlan> plan =
      plan_rebalance(from, *to, st.topology, st.ledger.member_bytes_per_slot(from), kNoBudget);
  CAIRN_ASSERT(plan.is_ok());
  st.ledger.apply_rebalance(from, *to, *plan, st.topology);
  st.map = std::move(to).value();
  st.reindex();
  return plan;
}

}  // namespace cairn::sim
