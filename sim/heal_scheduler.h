// Heal scheduling in the model: turns the model's state into the engine's
// heal rounds and applies finished heals back to it. Every decision — which
// groups are ready, where each heal reads and writes, how plans become jobs
// and how many run at once — is the engine's (heal.h, heal_policy.h); this
// file only feeds it the model's bookkeeping and records the outcome there.
// Plain data, no SimGrid: the simulation actor launches the jobs.
#pragma once

#include <set>
#include <span>
#include <vector>

#include "engine/heal_policy.h"
#include "sim/model_state.h"
#include "sim/transfers.h"

namespace cairn::sim {

// A heal job the engine formed, with the transfers that carry it out.
struct HealLaunch {
  HealJob job;
  TransferSet transfers;
  double write_bytes = 0;  // sum of the plans' write_bytes
};

// At most this many groups are planned in one round: the most urgent (the
// engine's heal_priority_order), at least kHealGroupsPerRoundMin and
// kHealGroupsPerJob for each job there is room to start. Planning a backlog
// that cannot start is thrown away work: with heals bound by operations a
// large pool's backlog reaches thousands of groups, and planning all of them
// at every heal's end made the 1,000-node case quadratic.
inline constexpr size_t kHealGroupsPerRound = 4096;
inline constexpr size_t kHealGroupsPerRoundMin = 256;
inline constexpr size_t kHealGroupsPerJob = 16;

// Plans one heal round: the ready groups' requests, free space less what
// the `running` heals write, plan_heals, then heal_jobs() for at most `room`
// jobs. Marks the launched plans' target members as healing in `state`, and
// their groups when a plan rebuilds a lost member (heal_policy.h). With
// `catch_up_only`, only plans that catch stale members up in place are
// launched: a map change is waiting, and a catch-up changes no membership
// while a rebuild would be planned against a map about to change — except
// rebuilds of the groups in `rebuild_anyway`, which the change waits for.
std::vector<HealLaunch> next_heal_round(ModelState& state,
                                        std::span<const std::span<const HealPlan>> running,
                                        size_t room, bool catch_up_only = false,
                                        const std::set<uint32_t>& rebuild_anyway = {});

// A heal job's plans completed: stale members caught up, lost members moved
// to their targets (ledger and index), the map updated by apply_heals, and a
// group fully rebuilt no longer counts as having lost data. Returns the disks
// members left, in plan order (the caller may retire the empty ones).
std::vector<DiskId> apply_finished_heal(ModelState& state, std::span<const HealPlan> plans);

// A heal job was cancelled: its groups may be planned again.
void release_heal(ModelState& state, std::span<const HealPlan> plans);

}  // namespace cairn::sim
