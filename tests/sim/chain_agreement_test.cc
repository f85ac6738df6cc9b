// The simulator against the analytic Markov chain (sim/durability.h), run
// under the chain's assumptions: independent exponential disk failures, a
// fixed repair time, G independent fixed groups, nothing else happening.
//
// Setup of each scenario (built in code, checked by validate()):
// - constant AFR (exponential lifetimes), one year; no node outages, no node
//   losses, no purchases (max_nodes = initial_nodes), no growth;
// - `width` nodes of G disks each, domain node: form_fixed makes exactly G
//   groups, one member per node, no spares at the start;
// - a few megabytes of data in all, so a heal's transfer takes well under a
//   millisecond and a failed member is rebuilt `detection_delay` after the
//   failure: a deterministic repair time D. The chain gets μ = 1/D. Its
//   exponential repair and the model's fixed one give the same loss rate to
//   first order in (n − 1)·λD (0.02–0.14 here); a reference Monte Carlo of
//   the model's rule (20,000 runs a case) put the difference at 0.2–0.6
//   points of P(loss) (1–2 %), and 10,000-run simulations of three cases at
//   0.0–0.9 points: well inside the ±2-point interval of kRuns, not of many
//   more runs;
// - replacement disks arrive 60 s after a failure (long before detection)
//   and become the spares the heals write to, so no heal waits for a disk.
//
// Which repair assumption the model matches. ModelState::heal_requests()
// offers a group for healing only once every failed member has been
// detected. So when a second member of a group fails before the first is
// rebuilt, both are rebuilt together, detection_delay after the second
// failure: the first member's repair is put back, and the group sits at two
// failures for a full D, as in the serial chain (mean 1/μ in each degraded
// state), not about D/2 as with independent (parallel) rebuilds. (The other
// rule, one heal per group at a time, hardly acts here since heals take
// microseconds; with long transfers it too makes later failures of a group
// wait.) For m = 1 the two chains coincide; for m = 2 the model matches the
// serial chain, and the test checks that the parallel chain (about half the
// loss rate) falls outside the simulated interval.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "sim/durability.h"
#include "sim/model_state.h"
#include "sim/replicates.h"
#include "sim/results.h"
#include "sim/scenario.h"

namespace cairn::sim {
namespace {

struct ChainCase {
  const char* name;
  Scheme scheme;
  uint32_t groups;
  double afr;
  double repair_h;  // detection delay = repair time D
  uint64_t seed;
  uint32_t runs;
};

constexpr double kHorizonYears = 1.0;
// Runs per case: the 95 % interval is then about +-0.02 around P ~ 1/3.
constexpr uint32_t kRuns = 2000;

Scenario chain_scenario(const ChainCase& c) {
  Scenario s;
  s.name = std::string("chain-agreement-") + c.name;
  s.description = "the assumptions of the analytic chain: exponential failures, fixed repair time";
  s.seed = c.seed;
  s.horizon_years = kHorizonYears;
  s.cluster.racks = 1;
  s.cluster.initial_nodes = c.scheme.width();
  s.cluster.disks_per_node = c.groups;
  s.cluster.disk.capacity_bytes = 1'000'000'000'000ULL;  // 1 TB; holds a few MB
  s.pool.scheme = c.scheme;
  s.pool.domain = FailureDomain::kNode;
  s.pool.strategy = GroupStrategy::kFixed;
  s.workload.first_year_bytes = 4e6;
  s.workload.annual_growth = 0.0;
  s.workload.file_sizes = {FileSizeBucket{1.0, 100'000}};
  s.failures.disk.kind = DiskFailureModel::Kind::kConstant;
  s.failures.disk.afr = c.afr;
  s.failures.node_outages_per_node_year = 0.0;
  s.failures.node_losses_per_node_year = 0.0;
  s.heal.detection_delay_s = c.repair_h * 3600.0;
  s.heal.replacement_delay_s = 60.0;
  s.procurement.max_nodes = s.cluster.initial_nodes;
  return s;
}

GroupChain group_chain(const ChainCase& c, RepairModel repair) {
  return {c.scheme.width(), c.scheme.tolerated_losses(), failure_rate_per_h_from_afr(c.afr),
          1.0 / c.repair_h, repair};
}

// Runs the case, prints its figures, and returns the simulated interval with
// the chain's serial and parallel probabilities of any loss in the horizon.
struct Outcome {
  Estimate simulated;
  double serial = 0, parallel = 0;
};

// CAIRN_CHAIN_SEED=N adds N to every case's seed: a failure at the fixed
// seeds (one case in twenty misses at 95 %) is judged by re-running at others.
uint64_t seed_offset() {
  const char* env = std::getenv("CAIRN_CHAIN_SEED");
  return env ? std::strtoull(env, nullptr, 10) : 0;
}

Outcome run_case(ChainCase c) {
  c.seed += seed_offset();
  const Scenario s = chain_scenario(c);
  const Status valid = validate(s);
  EXPECT_TRUE(valid.is_ok()) << valid.message();
  {
    // The chain's G must be the model's: G groups of `width`, no spares yet.
    const ModelState state(s);
    EXPECT_EQ(state.map.placement.groups.size(), c.groups);
    EXPECT_TRUE(state.map.placement.spares.empty());
  }

  ReplicateOptions options;
  options.runs = c.runs;
  options.parallel = 2;
  const auto start = std::chrono::steady_clock::now();
  Result<std::vector<RunResult>> runs = run_replicates(s, options, nullptr);
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_TRUE(runs.is_ok()) << runs.status().message();
  if (!runs.is_ok()) return {};

  uint32_t lost = 0;
  double failures = 0;
  for (const RunResult& r : *runs) {
    lost += r.loss_events > 0;
    failures += r.disk_failures;
  }
  const double horizon_h = kHorizonYears * kHoursPerYear;
  Outcome out;
  out.simulated = proportion_interval(lost, c.runs);
  out.serial = loss_probability_of_groups(
      loss_probability(group_chain(c, RepairModel::kSerial), horizon_h), c.groups);
  out.parallel = loss_probability_of_groups(
      loss_probability(group_chain(c, RepairModel::kParallel), horizon_h), c.groups);
  const double lambda_d = failure_rate_per_h_from_afr(c.afr) * c.repair_h;
  std::printf(
      "%s x %u groups, AFR %.0f %%, repair %.0f h (lambda*D %.4f), 1 year: seed %llu, R %u\n"
      "  simulated P(loss) %.4f, 95 %% Wilson [%.4f, %.4f] (%u runs lost data; %.1f disk "
      "failures per run)\n"
      "  chain P(loss): serial %.4f, parallel %.4f    (%.1f s)\n",
      c.scheme.to_string().c_str(), c.groups, c.afr * 100, c.repair_h, lambda_d,
      static_cast<unsigned long long>(c.seed), c.runs, out.simulated.mean, out.simulated.low,
      out.simulated.high, lost, failures / c.runs, out.serial, out.parallel, wall_s);
  return out;
}

bool inside(double p, const Estimate& e) { return e.low <= p && p <= e.high; }

void expect_agreement(const ChainCase& c) {
  const Outcome o = run_case(c);
  if (c.scheme.tolerated_losses() == 1) {
    // m = 1: serial and parallel repair are the same chain.
    EXPECT_NEAR(o.serial, o.parallel, 1e-12);
  } else {
    // The model rebuilds a group's failed members together once the last is
    // detected: the serial chain; the parallel one is about half as likely.
    EXPECT_FALSE(inside(o.parallel, o.simulated))
        << "parallel chain " << o.parallel << " inside [" << o.simulated.low << ", "
        << o.simulated.high << "]: the model no longer heals a group's failures together";
  }
  EXPECT_TRUE(inside(o.serial, o.simulated))
      << "serial chain " << o.serial << " outside [" << o.simulated.low << ", " << o.simulated.high
      << "]";
}

// name, scheme, groups, AFR, repair time (h), seed, runs. Each is set for a
// probability of loss of about 1/3 over the year with lambda*D <= 0.03.
TEST(ChainAgreement, Replica2) {
  expect_agreement({"replica2", Scheme::replica(2), 24, 0.60, 100.0, 0xCA1A0001, kRuns});
}

TEST(ChainAgreement, Erasure4Plus1) {
  expect_agreement({"ec4+1", Scheme::erasure(4, 1), 8, 0.60, 40.0, 0xCA1A0002, kRuns});
}

TEST(ChainAgreement, Replica3SerialRepair) {
  // About 250 failures a run: half the runs of the other cases.
  expect_agreement({"replica3", Scheme::replica(3), 28, 0.95, 88.0, 0xCA1A0003, kRuns / 2});
}

TEST(ChainAgreement, Erasure4Plus2SerialRepair) {
  expect_agreement({"ec4+2", Scheme::erasure(4, 2), 4, 0.80, 150.0, 0xCA1A0004, kRuns});
}

// The mlec-sim layout (five 8+2 groups, 50 disks) at a far higher AFR.
TEST(ChainAgreement, Erasure8Plus2SerialRepair) {
  expect_agreement({"ec8+2", Scheme::erasure(8, 2), 5, 0.75, 63.0, 0xCA1A0005, kRuns});
}

}  // namespace
}  // namespace cairn::sim
