// The analytic durability model: published cases (REFERENCE.md, "Durability:
// cases a model must reproduce"), and cross-checks of each computation against
// an independent one (closed forms, the birth-death recursion, Eigen's Padé
// matrix exponential where it is accurate).
#include "sim/durability.h"
#include "sim/results.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <unsupported/Eigen/MatrixFunctions>

namespace cairn::sim {
namespace {

constexpr RepairModel kBoth[] = {RepairModel::kSerial, RepairModel::kParallel};

GroupChain chain(uint32_t k, uint32_t m, double afr, double repair_time_h, RepairModel repair) {
  return {k + m, m, failure_rate_per_h_from_afr(afr), 1.0 / repair_time_h, repair};
}

// MTTDL of a birth-death chain by its first-passage recursion: the mean time
// to go from i to i + 1 failed is t_i = (1 + repair_i·t_(i−1)) / failure_i.
double birth_death_mttdl_h(const GroupChain& c) {
  double total_h = 0, previous_h = 0;
  for (uint32_t i = 0; i <= c.tolerated_losses; ++i) {
    const double failure = (c.disks - i) * c.failure_rate_per_h;
    const double repair = i == 0 ? 0
                          : c.repair == RepairModel::kSerial ? c.repair_rate_per_h
                                                             : i * c.repair_rate_per_h;
    previous_h = (1 + repair * previous_h) / failure;
    total_h += previous_h;
  }
  return total_h;
}

TEST(Durability, Raid5ClosedFormMatchesTheChain) {
  const double raid5_h = raid5_mttdl_h(8, 1e-5, 1.0 / 24);
  EXPECT_NEAR(raid5_h, 7'467'261.9, 0.05);
  for (RepairModel repair : kBoth) {
    const GroupChain c{8, 1, 1e-5, 1.0 / 24, repair};  // m = 1: serial = parallel
    EXPECT_NEAR(mttdl_h(c), raid5_h, 1e-6 * raid5_h) << to_string(repair);
  }
}

TEST(Durability, MlecSim8Plus2SerialNines) {
  // 5 groups × 10 disks of 20 TB, heal at 100 MB/s, one year.
  const double repair_time_h = 20e12 / 100e6 / 3600;
  const double afrs[] = {0.02, 0.04, 0.08};
  const double published_serial_nines[] = {5.93, 5.02, 4.09};
  for (int i = 0; i < 3; ++i) {
    const DurabilityFigures serial =
        durability_figures(chain(8, 2, afrs[i], repair_time_h, RepairModel::kSerial), 5, kHoursPerYear);
    const DurabilityFigures parallel =
        durability_figures(chain(8, 2, afrs[i], repair_time_h, RepairModel::kParallel), 5, kHoursPerYear);
    std::printf("mlec-sim 8+2, AFR %.0f %%: serial %.4f nines, parallel %.4f nines\n",
                afrs[i] * 100, serial.nines, parallel.nines);
    EXPECT_NEAR(serial.nines, published_serial_nines[i], 0.01);
    EXPECT_GT(parallel.nines, serial.nines);
    EXPECT_GT(parallel.mttdl_per_group_h, serial.mttdl_per_group_h);
  }
}

TEST(Durability, Backblaze17Plus3PerYear) {
  // "Per year": the probability that one group, healthy at the start, loses
  // data within one year (8766 h). 1 y / MTTDL would overstate it by 4-6 %:
  // a healthy group needs a few repair times (~3 × 156 h of the 8766) to
  // reach the degraded states from which it can be lost.
  const double repair_time_h = 6.5 * 24;
  const double serial =
      loss_probability(chain(17, 3, 0.00405, repair_time_h, RepairModel::kSerial), kHoursPerYear);
  const double parallel =
      loss_probability(chain(17, 3, 0.00405, repair_time_h, RepairModel::kParallel), kHoursPerYear);
  std::printf("Backblaze 17+3: serial %.4g/yr, parallel %.4g/yr\n", serial, parallel);
  EXPECT_NEAR(serial, 1.67e-10, 0.02 * 1.67e-10);
  EXPECT_NEAR(parallel, 2.84e-11, 0.02 * 2.84e-11);
}

TEST(Durability, FundamentalMatrixMatchesBirthDeathRecursion) {
  const uint32_t schemes[][2] = {{1, 2}, {4, 2}, {8, 3}, {17, 3}, {10, 4}, {20, 12}};
  for (const auto& km : schemes)
    for (RepairModel repair : kBoth) {
      const GroupChain c = chain(km[0], km[1], 0.01, 48, repair);
      const double expected_h = birth_death_mttdl_h(c);
      EXPECT_NEAR(mttdl_h(c), expected_h, 1e-12 * expected_h)
          << km[0] << "+" << km[1] << " " << to_string(repair);
    }
}

TEST(Durability, GeneratorRowsAndRepairAssumptions) {
  for (RepairModel repair : kBoth) {
    const Eigen::MatrixXd q = generator(GroupChain{10, 2, 1e-5, 0.1, repair});
    ASSERT_EQ(q.rows(), 4);
    for (Eigen::Index i = 0; i < q.rows(); ++i) EXPECT_NEAR(q.row(i).sum(), 0.0, 1e-16);
    EXPECT_DOUBLE_EQ(q(0, 1), 10 * 1e-5);
    EXPECT_DOUBLE_EQ(q(2, 3), 8 * 1e-5);
    EXPECT_DOUBLE_EQ(q(2, 1), repair == RepairModel::kSerial ? 0.1 : 0.2);
    EXPECT_EQ(q.row(3).norm(), 0.0);  // data loss absorbs
  }
}

TEST(Durability, NoRedundancyIsExactlyExponential) {
  // m = 0: lost at the first of n failures, p = 1 − exp(−nλT).
  const GroupChain c{6, 0, 2e-6, 0.5, RepairModel::kSerial};
  const double expected = -std::expm1(-6 * 2e-6 * kHoursPerYear);
  EXPECT_NEAR(loss_probability(c, kHoursPerYear), expected, 1e-12 * expected);
  EXPECT_NEAR(mttdl_h(c), 1 / (6 * 2e-6), 1e-6);
}

TEST(Durability, UniformizationMatchesPadeWhereItIsAccurate) {
  // Loss probabilities of 1e-1..1e-4, and horizons long enough to need
  // many squarings (q·T up to ~1e5).
  struct Case { uint32_t k, m; double afr, repair_time_h, horizon_h; };
  const Case cases[] = {{4, 2, 0.5, 200, 2000}, {8, 2, 0.3, 24, 30 * kHoursPerYear},
                        {6, 3, 0.6, 1, 15 * kHoursPerYear}, {2, 1, 0.1, 10, 100}};
  for (const Case& x : cases)
    for (RepairModel repair : kBoth) {
      const GroupChain c = chain(x.k, x.m, x.afr, x.repair_time_h, repair);
      const Eigen::MatrixXd pade = (generator(c) * x.horizon_h).exp();
      const double expected = pade(0, c.tolerated_losses + 1);
      EXPECT_NEAR(loss_probability(c, x.horizon_h), expected, 1e-7 * expected)
          << x.k << "+" << x.m << " " << to_string(repair);
    }
}

TEST(Durability, LongHorizonApproachesMttdlRate) {
  // Far past the repair time the loss rate settles to ~1 / MTTDL.
  const GroupChain c = chain(8, 2, 0.05, 48, RepairModel::kSerial);
  const double horizon_h = 1e3 * kHoursPerYear;
  const double p = loss_probability(c, horizon_h);
  EXPECT_NEAR(-std::log1p(-p), horizon_h / mttdl_h(c), 0.01 * horizon_h / mttdl_h(c));
  EXPECT_EQ(loss_probability(c, 0.0), 0.0);
  EXPECT_NEAR(loss_probability(chain(2, 1, 0.9, 1e4, RepairModel::kSerial), 1e6), 1.0, 1e-12);
}

TEST(Durability, GroupsAndNines) {
  EXPECT_DOUBLE_EQ(loss_probability_of_groups(0.5, 2), 0.75);
  EXPECT_DOUBLE_EQ(loss_probability_of_groups(0.3, 1), 0.3);
  EXPECT_EQ(loss_probability_of_groups(0.3, 0), 0.0);
  // Tiny p: 1 − (1 − p)^G computed naively would lose most digits.
  EXPECT_NEAR(loss_probability_of_groups(1e-15, 5), 5e-15, 1e-25);
  EXPECT_DOUBLE_EQ(nines(1e-6), 6.0);
  EXPECT_TRUE(std::isinf(nines(0.0)));
  // A t interval's low end may fall below 0: no loss, +infinity.
  EXPECT_TRUE(std::isinf(nines(-1e-9)));
  // A certain loss is 0 nines, printed "0.00", not "-0.00".
  EXPECT_FALSE(std::signbit(nines(1.0)));
}

TEST(Durability, EstimateInNinesSwapsItsEnds) {
  const Estimate in_nines = nines_of(Estimate{1e-3, -1e-4, 1e-2});
  EXPECT_DOUBLE_EQ(in_nines.mean, 3.0);
  EXPECT_DOUBLE_EQ(in_nines.low, 2.0);  // more loss, fewer nines
  EXPECT_TRUE(std::isinf(in_nines.high));
  EXPECT_EQ(nines_text(in_nines.mean), "3.00");
  EXPECT_EQ(nines_text(in_nines.high), "unbounded");
  // JSON writes the infinite end as null.
  EXPECT_EQ(to_json(in_nines).dump(), R"({"high95":null,"low95":2.0,"mean":3.0})");
}

}  // namespace
}  // namespace cairn::sim
