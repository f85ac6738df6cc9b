// Simulation: one run of a scenario over its horizon in SimGrid. The engine
// makes every placement, heal and rebalance decision; this model only makes
// time pass for the transfers those decisions ask for (DESIGN.md rules 1, 2).
// The scenario's events (scenario_events.h) happen at their times, beside its
// random failure processes.
//
// SimGrid keeps one engine per process, so run_simulation() may be called
// once per process; run_replicates() (replicates.h) forks a child per run,
// which is how `cairn plan --runs` and the tests run several.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "sim/results.h"
#include "sim/scenario.h"

namespace cairn::sim {

struct SimOptions {
  bool file_by_file = false;  // ingest file by file (tests); default aggregated
  bool disk_detail = false;   // record RunResult::disk_months (disks x months rows)
  // Estimate the probability of group loss by conditioning (durability.md in
  // docs, RunResult::fatal_hazard): a random disk failure or node loss that
  // would lose a group's data does not happen; the hazard of such events is
  // integrated instead.
  bool condition_on_no_group_loss = false;
  // With it, importance sampling of the earlier failures: the disks of
  // groups that have lost members but still have redundancy fail this many
  // times as often; RunResult::log_likelihood_ratio undoes it. 1: none.
  double failure_bias = 1.0;
  // Called about once per simulated month with (month, months in horizon).
  std::function<void(uint32_t, uint32_t)> progress;
};

// One pool: a scenario without tiers (tiers.h runs those).
RunResult run_simulation(const Scenario& scenario, const SimOptions& options);

}  // namespace cairn::sim
