// Replicates: R independent runs of one scenario, each in its own process
// (SimGrid keeps one engine per process), `parallel` at a time, with seeds
// derived from the scenario's: run 0 uses the seed itself, run i > 0 uses
// replicate_seed(seed, i), so any run can be reproduced alone with --seed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sim/results.h"
#include "sim/scenario.h"
#include "sim/simulation.h"

namespace cairn::sim {

uint64_t replicate_seed(uint64_t seed, uint32_t run);

// Forks a child that runs `body` and hands what it returns (a run's JSON) to
// the parent through a pipe; an empty return makes the child exit with 4.
// The parent reads `fd` to its end and waits for `pid`.
struct Forked {
  int pid = -1;
  int fd = -1;
};
Result<Forked> fork_child(const std::function<std::string()>& body);

struct ReplicateOptions {
  uint32_t runs = 1;
  uint32_t parallel = 2;
  bool file_by_file = false;
  bool month_progress = false;  // run 0 prints its progress on stderr for people as it goes
  bool progress_lines = false;  // run 0 prints "month k/N" lines on stderr, for tools
  bool disk_detail = false;     // run 0 records RunResult::disk_months
  bool condition_on_no_group_loss = false;  // SimOptions::condition_on_no_group_loss
  double failure_bias = 1.0;                // SimOptions::failure_bias
};

// Runs every replicate; `done(k, runs)` is called as each finishes. The first
// failure stops the batch and is returned.
Result<std::vector<RunResult>> run_replicates(const Scenario& scenario, const ReplicateOptions& options,
                                              const std::function<void(uint32_t, uint32_t)>& done);

}  // namespace cairn::sim
