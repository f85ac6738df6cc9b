// Tiers: a tiered archive (Scenario::tiers) run as one simulation per tier
// and merged into one result. The tiers share no hardware, and what passes
// between them — data reaching a tier's age limit — is fixed by the
// workload, so each tier is a scenario of its own (tier_scenario): the
// younger tier reads the data out and deletes it ("tier_move" events), the
// older one ingests it. A tier's losses do not reduce what the next one
// receives (the model moves what was written, not what survived).
#pragma once

#include <vector>

#include "sim/results.h"
#include "sim/scenario.h"
#include "sim/simulation.h"

namespace cairn::sim {

// One result for the archive from one per tier, in tier order: monthly
// figures and costs add up (peaks and the slowest heal take the maximum);
// events are merged in time order, each detail prefixed with "[tier] ", and
// node and disk ids are offset so that they name one machine across tiers
// (tier i's node ids follow node_slots() of the tiers before it, its disk
// ids the disk ids of the tiers before it).
RunResult merge_tiers(const Scenario& scenario, std::vector<RunResult> tiers);

// run_simulation() for any scenario: a tiered one runs each tier in a child
// process (SimGrid keeps one engine per process) and merges them; one pool
// runs here. The progress callback sees each tier's months in turn.
Result<RunResult> run_archive(const Scenario& scenario, const SimOptions& options);

}  // namespace cairn::sim
