// The conditioned estimator of group loss (SimOptions::condition_on_no_group_loss)
// against the analytic chain at 5 to 8 nines, where plain replicates see
// nothing, and against plain replicates where both can run.
//
// Scenarios as chain_agreement_test.cc builds them: constant AFR, a fixed
// repair time D (detection_delay; heals take microseconds), G groups of one
// member per node, one year, nothing else. With m = 1 the chain's exponential
// repair and the model's fixed one differ only at second order in λD (< 1e-4
// here).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "sim/durability.h"
#include "sim/replicates.h"
#include "sim/results.h"

namespace cairn::sim {
namespace {

Scenario chain_like(Scheme scheme, uint32_t groups, double afr, double repair_h, uint64_t seed) {
  Scenario s;
  s.name = "estimator";
  s.seed = seed;
  s.horizon_years = 1.0;
  s.cluster.racks = 1;
  s.cluster.initial_nodes = scheme.width();
  s.cluster.disks_per_node = groups;
  s.cluster.disk.capacity_bytes = 1'000'000'000'000ULL;
  s.pool.scheme = scheme;
  s.pool.domain = FailureDomain::kNode;
  s.pool.strategy = GroupStrategy::kFixed;
  s.workload.first_year_bytes = 4e6;
  s.workload.annual_growth = 0.0;
  s.workload.file_sizes = {FileSizeBucket{1.0, 100'000}};
  s.failures.disk.afr = afr;
  s.heal.detection_delay_s = repair_h * 3600.0;
  s.heal.replacement_delay_s = 60.0;
  s.procurement.max_nodes = s.cluster.initial_nodes;
  return s;
}

double chain_p(const Scenario& s, double repair_h) {
  GroupChain chain{s.pool.scheme.width(), s.pool.scheme.tolerated_losses(),
                   failure_rate_per_h_from_afr(s.failures.disk.afr), 1.0 / repair_h, RepairModel::kSerial};
  return loss_probability_of_groups(loss_probability(chain, kHoursPerYear),
                                    s.cluster.disks_per_node);
}

struct Batch {
  Estimate conditioned;  // mean of 1 - exp(-Lambda)
  uint32_t plain_losses = 0;
  double suppressed = 0;
};

Batch run(const Scenario& s, uint32_t runs, bool condition, double bias = 1.0) {
  ReplicateOptions o;
  o.runs = runs;
  o.condition_on_no_group_loss = condition;
  o.failure_bias = bias;
  auto r = run_replicates(s, o, nullptr);
  EXPECT_TRUE(r) << r.status().message();
  Batch out;
  if (!r) return out;
  std::vector<double> p;
  for (const RunResult& x : *r) {
    p.push_back(std::exp(x.log_likelihood_ratio) * -std::expm1(-x.fatal_hazard));
    out.plain_losses += x.loss_events > 0;
    out.suppressed += x.suppressed_failures;
  }
  out.conditioned = mean_interval(p);
  return out;
}

void expect_contains_chain(const Scenario& s, double repair_h, uint32_t runs, double width_factor = 1.5,
                           double bias = 1.0) {
  const double chain = chain_p(s, repair_h);
  const Batch r = run(s, runs, true, bias);
  std::printf("%s x %u groups, AFR %.2f %%, repair %.3f h, bias %g, seed %llu, %u runs: chain %.3g (%.2f nines); "
              "estimate %.3g [%.3g, %.3g] (%.2f nines)\n",
              s.pool.scheme.to_string().c_str(), s.cluster.disks_per_node, s.failures.disk.afr * 100, repair_h, bias,
              static_cast<unsigned long long>(s.seed), runs, chain, -std::log10(chain), r.conditioned.mean,
              r.conditioned.low, r.conditioned.high, -std::log10(r.conditioned.mean));
  EXPECT_EQ(r.plain_losses, 0u);  // conditioned runs never lose a group
  EXPECT_LE(r.conditioned.low, chain);
  EXPECT_GE(r.conditioned.high, chain);
  // An interval worth having: within width_factor of the estimate (1.5: +-0.18 nines).
  EXPECT_LT(r.conditioned.high, width_factor * r.conditioned.mean);
}

TEST(DurabilityEstimator, ContainsTheChainAtFiveNines) {
  expect_contains_chain(chain_like(Scheme::replica(2), 50, 0.02, 1.0, 41), 1.0, 300);
}

TEST(DurabilityEstimator, ContainsTheChainAtSevenAndAHalfNines) {
  expect_contains_chain(chain_like(Scheme::replica(2), 50, 0.004, 1.0 / 6, 42), 1.0 / 6, 600);
}

// Most runs see no failure at all here; those that do carry the estimate.
TEST(DurabilityEstimator, ContainsTheChainNearNineNines) {
  expect_contains_chain(chain_like(Scheme::replica(2), 200, 0.0005, 1.0 / 6, 45), 1.0 / 6, 800, 2.0);
}

TEST(DurabilityEstimator, ContainsTheChainForErasureCodeAtSixNines) {
  expect_contains_chain(chain_like(Scheme::erasure(4, 1), 20, 0.01, 4.0, 43), 4.0, 300);
}

// mlec-sim's case (REFERENCE "Durability"): 50 disks in five 8+2 groups, 20 TB
// rebuilt at 100 MB/s — a fixed repair of 200,000 s (55.6 h) — one year.
// Published: simulation 5.88 / 4.94 / 4.01 nines at AFR 2 / 4 / 8 %, serial
// chain 5.93 / 5.02 / 4.09. Two tolerated losses: the first failure of a
// group is biased x100, the last conditioned.
TEST(DurabilityEstimator, ReproducesMlecSimEightPlusTwoWithFailureBiasing) {
  expect_contains_chain(chain_like(Scheme::erasure(8, 2), 5, 0.02, 200000.0 / 3600, 46), 200000.0 / 3600, 400, 1.5,
                        100);
}

TEST(DurabilityEstimator, BiasingLeavesTheEstimateUnbiasedAtEightNines) {
  expect_contains_chain(chain_like(Scheme::erasure(4, 2), 20, 0.01, 12, 47), 12, 400, 1.5, 3000);
}

// Where losses are common, plain replicates and the estimator agree.
TEST(DurabilityEstimator, MatchesPlainReplicatesWhereBothCanRun) {
  const double repair_h = 240;
  const Scenario s = chain_like(Scheme::replica(2), 20, 0.4, repair_h, 44);
  const Batch plain = run(s, 400, false), conditioned = run(s, 400, true);
  const Estimate p = proportion_interval(plain.plain_losses, 400);
  std::printf("plain %.3f [%.3f, %.3f]; conditioned %.3f [%.3f, %.3f]; chain %.3f\n", p.mean, p.low, p.high,
              conditioned.conditioned.mean, conditioned.conditioned.low, conditioned.conditioned.high,
              chain_p(s, repair_h));
  EXPECT_GT(plain.plain_losses, 40u);
  EXPECT_LE(p.low, conditioned.conditioned.high);
  EXPECT_GE(p.high, conditioned.conditioned.low);
  EXPECT_GT(conditioned.suppressed, 0);
  // The estimator is the tighter of the two.
  EXPECT_LT(conditioned.conditioned.high - conditioned.conditioned.low, p.high - p.low);
}

// Permanent rack events enter the estimator's hazard too. With one rack every
// group has both replicas in it, so each rack loss is fatal: every
// conditioned run's Λ is the rack's rate × the horizon, and the estimate is
// 1 − exp(−r) exactly; plain replicates, which lose the rack for real, agree.
TEST(DurabilityEstimator, FatalRackLossesAreConditionedAndMatchPlainReplicates) {
  Scenario s = chain_like(Scheme::replica(2), 10, 1e-6, 1.0, 48);
  s.failures.rack_events_per_rack_year = 0.3;
  s.failures.rack_event_permanent = 1.0;
  const Batch plain = run(s, 200, false), conditioned = run(s, 200, true);
  const Estimate p = proportion_interval(plain.plain_losses, 200);
  const double exact = -std::expm1(-0.3);
  std::printf("rack losses, seed %llu: exact %.4f; plain %.3f [%.3f, %.3f]; conditioned %.4f [%.4f, %.4f]\n",
              static_cast<unsigned long long>(s.seed), exact, p.mean, p.low, p.high, conditioned.conditioned.mean,
              conditioned.conditioned.low, conditioned.conditioned.high);
  EXPECT_NEAR(conditioned.conditioned.mean, exact, 1e-4);
  EXPECT_EQ(conditioned.plain_losses, 0u);
  EXPECT_GT(conditioned.suppressed, 0);
  EXPECT_LE(p.low, exact);
  EXPECT_GE(p.high, exact);
}

// Replicas in different racks (three racks, one node each): a rack loss is
// fatal only to groups whose other replica's disk has failed and is not yet
// rebuilt, and one that is not fatal leaves its groups on one replica while
// they are rebuilt on the third rack. Both lower the nines below the
// disks-only estimate.
TEST(DurabilityEstimator, RackLossesInDegradedStretchesLowerTheNines) {
  Scenario s = chain_like(Scheme::replica(2), 50, 0.02, 24.0, 49);
  s.cluster.racks = 3;
  s.cluster.initial_nodes = 3;
  s.procurement.max_nodes = 3;
  s.pool.domain = FailureDomain::kRack;
  const Batch without = run(s, 150, true);
  s.failures.rack_events_per_rack_year = 0.5;
  s.failures.rack_event_permanent = 1.0;
  const Batch with = run(s, 150, true);
  std::printf("seed %llu: disks only %.3g [%.3g, %.3g] (%.2f nines); with rack losses %.3g [%.3g, %.3g] (%.2f nines)\n",
              static_cast<unsigned long long>(s.seed), without.conditioned.mean, without.conditioned.low,
              without.conditioned.high, -std::log10(without.conditioned.mean), with.conditioned.mean,
              with.conditioned.low, with.conditioned.high, -std::log10(with.conditioned.mean));
  EXPECT_GT(with.conditioned.low, without.conditioned.high);
  EXPECT_EQ(with.plain_losses, 0u);
}

}  // namespace
}  // namespace cairn::sim
