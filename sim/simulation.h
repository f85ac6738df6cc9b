// Simulation: one run of a scenario over its horizon in SimGrid. The engine
// makes every placement, heal and rebalance decision; this model only makes
// time pass for the transfers those decisions ask for (DESIGN.md rules 1, 2).
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

// A fault at a fixed time, for tests that need one exact sequence of events;
// the scenario's random failure processes run beside it. A scripted outage
// lasts the scenario's node_outage_duration.
struct ScriptedFault {
  enum class Kind : uint8_t { kDiskFailure = 0, kNodeOutage = 1 };
  double at_s = 0;
  Kind kind = Kind::kDiskFailure;
  uint32_t id = 0;  // disk id or node id, by kind
};

inline constexpr size_t kMaxScriptedFaults = 1024;

struct SimOptions {
  bool file_by_file = false;  // ingest file by file (tests); default aggregated
  bool disk_detail = false;   // record RunResult::disk_months (disks x months rows)
  std::vector<ScriptedFault> faults;  // at most kMaxScriptedFaults
  // Called about once per simulated month with (month, months in horizon).
  std::function<void(uint32_t, uint32_t)> progress;
};

RunResult run_simulation(const Scenario& scenario, const SimOptions& options);

}  // namespace cairn::sim
