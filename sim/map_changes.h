// Map changes in the model: when a waiting topology change (a purchase, a
// declustered pool's replacement disk, a retirement) may be installed, and
// installing it.
// The engine gives the next map (next_map) and what moves (plan_rebalance);
// the model's ledger follows the plan. Plain data, no SimGrid: the
// simulation actor runs the plan's transfers as one budgeted job.
#pragma once

#include <cstddef>
#include <span>

#include "engine/rebalance.h"
#include "engine/status.h"
#include "sim/model_state.h"

namespace cairn::sim {

// A change waits while any heal runs (the engine must not plan heals against
// a map about to change) and, in a declustered pool, while a failed disk still
// holds members (next_map would move them as if they were healthy).
bool change_may_apply(const ModelState& state, size_t heals_running);

// Installs the engine's next map for the current topology: plans the
// rebalance over the ledger's per-slot bytes (no budget: the model installs a
// map whole), moves the ledger's accounts along the plan, replaces the map
// and reindexes. When next_map refuses, admits the topology's new disks as
// spares instead and returns the refusal.
Result<RebalancePlan> install_next_map(ModelState& state);

// A retirement also waits while a failed disk of a retiring node still holds
// members: a drain copies what is there, so its heal rebuilds them first.
bool retirement_may_apply(const ModelState& state, std::span<const NodeId> nodes,
                          size_t heals_running);

// Retires `nodes` from the topology (Topology::retire_node) and installs the
// engine's next map, which moves their members to other disks — the decision
// `cairn lab retire-node` takes (retire_node, next_map, plan_rebalance).
// When next_map refuses, nothing changes and the refusal is returned.
Result<RebalancePlan> retire_nodes(ModelState& state, std::span<const NodeId> nodes);

}  // namespace cairn::sim
