// A small fixed ec:2+1 pool across nodes, one rack of 1 TB disks, for model
// tests that set up the rest themselves.
#pragma once

#include "sim/scenario.h"

namespace cairn::sim {

inline Scenario small_ec21_pool(uint32_t nodes, uint32_t disks_per_node) {
  Scenario s;
  s.cluster.racks = 1;
  s.cluster.initial_nodes = nodes;
  s.cluster.disks_per_node = disks_per_node;
  s.cluster.disk.capacity_bytes = 1'000'000'000'000ULL;
  s.pool.scheme = Scheme::erasure(2, 1);
  s.pool.domain = FailureDomain::kNode;
  s.pool.strategy = GroupStrategy::kFixed;
  s.procurement.max_nodes = nodes;
  return s;
}

}  // namespace cairn::sim
