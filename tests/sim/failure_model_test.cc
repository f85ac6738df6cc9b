// Failure-time sampling against the analytic distributions. Every statistical
// check uses the fixed seed printed by the test and a tolerance of 5 standard
// errors, so a correct sampler passes with certainty at this seed and a wrong
// distribution (a mean off by more than ~1 %) fails.
#include "sim/failure_model.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

namespace cairn::sim {
namespace {

constexpr uint64_t kSeed = 20261125;
constexpr int kSamples = 200'000;
constexpr double kSigmas = 5.0;

DiskFailureModel constant(double afr) {
  DiskFailureModel m;
  m.kind = DiskFailureModel::Kind::kConstant;
  m.afr = afr;
  return m;
}

DiskFailureModel by_age(std::vector<double> afr_by_age_year) {
  DiskFailureModel m;
  m.kind = DiskFailureModel::Kind::kByAge;
  m.afr_by_age_year = std::move(afr_by_age_year);
  return m;
}

DiskFailureModel weibull(double shape, double scale_years) {
  DiskFailureModel m;
  m.kind = DiskFailureModel::Kind::kWeibull;
  m.weibull_shape = shape;
  m.weibull_scale_years = scale_years;
  return m;
}

// kSamples times to failure, in years, for disks of age age_years.
std::vector<double> draw_years(const DiskFailureModel& model, double age_years) {
  std::printf("failure_model_test: seed %" PRIu64 ", %d samples\n", kSeed, kSamples);
  SplitMix64 rng(kSeed);
  std::vector<double> years;
  years.reserve(kSamples);
  for (int i = 0; i < kSamples; ++i)
    years.push_back(sample_time_to_failure_s(model, age_years * kSecondsPerYear, rng) /
                    kSecondsPerYear);
  return years;
}

double fraction_in(const std::vector<double>& years, double from, double to) {
  const auto n = std::count_if(years.begin(), years.end(),
                               [&](double y) { return y >= from && y < to; });
  return static_cast<double>(n) / static_cast<double>(years.size());
}

double mean_of(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

// A sample fraction against probability p, within kSigmas binomial errors.
void expect_fraction(double observed, double p) {
  const double sigma = std::sqrt(p * (1 - p) / kSamples);
  EXPECT_NEAR(observed, p, kSigmas * sigma + 1e-12) << "expected probability " << p;
}

// A sample mean against the analytic mean and standard deviation.
void expect_mean(const std::vector<double>& years, double mean, double sd) {
  EXPECT_NEAR(mean_of(years), mean, kSigmas * sd / std::sqrt(double{kSamples}));
}

TEST(FailureModel, ConstantAfrIsTheOneYearFailureProbability) {
  const double afr = 0.05, lambda_per_year = -std::log(1 - afr);
  const std::vector<double> years = draw_years(constant(afr), 0.0);
  expect_fraction(fraction_in(years, 0, 1), afr);
  expect_fraction(fraction_in(years, 0, std::log(2.0) / lambda_per_year), 0.5);  // median
  expect_mean(years, 1 / lambda_per_year, 1 / lambda_per_year);
}

TEST(FailureModel, ConstantIsMemoryless) {
  SplitMix64 young(kSeed), old(kSeed);
  for (int i = 0; i < 100; ++i)
    EXPECT_EQ(sample_time_to_failure_s(constant(0.02), 0.0, young),
              sample_time_to_failure_s(constant(0.02), 12 * kSecondsPerYear, old));
}

TEST(FailureModel, ByAgeFollowsTheTableYearByYear) {
  const std::vector<double> years = draw_years(by_age({0.05, 0.01, 0.03}), 0.0);
  expect_fraction(fraction_in(years, 0, 1), 0.05);
  expect_fraction(fraction_in(years, 1, 2), 0.95 * 0.01);
  expect_fraction(fraction_in(years, 2, 3), 0.95 * 0.99 * 0.03);
  // After the table ends its last AFR holds.
  expect_fraction(fraction_in(years, 5, 6), 0.95 * 0.99 * std::pow(0.97, 3) * 0.03);
}

TEST(FailureModel, ByAgeIsConditionalOnTheCurrentAge) {
  // Half-way through year 1: half a year at AFR 1 %, then year 2 at 3 %.
  const std::vector<double> years = draw_years(by_age({0.05, 0.01, 0.03}), 1.5);
  expect_fraction(fraction_in(years, 0, 0.5), 1 - std::sqrt(0.99));
  expect_fraction(fraction_in(years, 0.5, 1.5), std::sqrt(0.99) * 0.03);
  // Past the table: exponential at the last AFR.
  const std::vector<double> late = draw_years(by_age({0.05, 0.01, 0.03}), 10.0);
  const double lambda_per_year = -std::log(0.97);
  expect_mean(late, 1 / lambda_per_year, 1 / lambda_per_year);
}

TEST(FailureModel, ByAgeWithAFinalZeroAfrNeverFailsAfterwards) {
  const std::vector<double> years = draw_years(by_age({0.10, 0.0}), 0.0);
  expect_fraction(fraction_in(years, 0, 1), 0.10);
  const double never = static_cast<double>(std::count(years.begin(), years.end(),
                                                      std::numeric_limits<double>::infinity()));
  expect_fraction(never / kSamples, 0.90);
  SplitMix64 rng(kSeed);
  EXPECT_EQ(sample_time_to_failure_s(by_age({0.10, 0.0}), 2 * kSecondsPerYear, rng),
            std::numeric_limits<double>::infinity());
}

TEST(FailureModel, WeibullMeanAndConditionalMedian) {
  // shape 2, scale 10 y: mean 10·Γ(1.5), sd 10·sqrt(1 − Γ(1.5)²).
  const double mean = 10 * std::tgamma(1.5), sd = 10 * std::sqrt(1 - std::pow(std::tgamma(1.5), 2));
  expect_mean(draw_years(weibull(2, 10), 0.0), mean, sd);
  // Alive at 5 y: P(T <= t) = 1 − exp(−((5 + t)/10)² + 0.25), median below.
  const double median_years = 10 * std::sqrt(0.25 + std::log(2.0)) - 5;
  expect_fraction(fraction_in(draw_years(weibull(2, 10), 5.0), 0, median_years), 0.5);
}

TEST(FailureModel, WeibullShapeOneIsTheConstantModel) {
  const double scale_years = 40;
  SplitMix64 a(kSeed), b(kSeed);
  for (int i = 0; i < 100; ++i) {
    const double w = sample_time_to_failure_s(weibull(1, scale_years), 3 * kSecondsPerYear, a);
    const double c = sample_time_to_failure_s(constant(-std::expm1(-1 / scale_years)), 0, b);
    EXPECT_NEAR(w, c, 1e-9 * c);
  }
}

TEST(FailureModel, WeibullKeepsPrecisionForOldDisks) {
  // 40-year-old disk, steep wear-out: the remaining life is small against the
  // age and must still satisfy H(age + t) − H(age) = E.
  SplitMix64 rng(kSeed), replay(kSeed);
  const double t_years = sample_time_to_failure_s(weibull(5, 10), 40 * kSecondsPerYear, rng) /
                         kSecondsPerYear;
  const double e = -std::log1p(-replay.uniform());
  EXPECT_GT(t_years, 0);
  EXPECT_NEAR(std::pow((40 + t_years) / 10, 5) - std::pow(4.0, 5), e, 1e-6 * e);
}

TEST(FailureModel, ExponentialHelperForNodeEvents) {
  std::printf("failure_model_test: seed %" PRIu64 ", %d samples\n", kSeed, kSamples);
  SplitMix64 rng(kSeed);
  std::vector<double> years;
  for (int i = 0; i < kSamples; ++i) years.push_back(sample_exponential_s(2.0, rng) / kSecondsPerYear);
  expect_mean(years, 0.5, 0.5);
  EXPECT_EQ(sample_exponential_s(0.0, rng), std::numeric_limits<double>::infinity());
}

TEST(FailureModel, AnnualFailureRateAtAge) {
  EXPECT_DOUBLE_EQ(annual_failure_rate_at(constant(0.015), 7.0), 0.015);
  const DiskFailureModel table = by_age({0.05, 0.01, 0.03});
  EXPECT_DOUBLE_EQ(annual_failure_rate_at(table, 0.5), 0.05);
  EXPECT_DOUBLE_EQ(annual_failure_rate_at(table, 1.0), 0.01);
  EXPECT_DOUBLE_EQ(annual_failure_rate_at(table, 9.0), 0.03);
  EXPECT_NEAR(annual_failure_rate_at(weibull(1, 50), 20.0), -std::expm1(-1.0 / 50), 1e-15);
  EXPECT_DOUBLE_EQ(annual_failure_rate_at(weibull(2, 10), 5.0), 1 - std::exp(-(0.36 - 0.25)));
}

TEST(FailureModel, DeterministicFromTheSeedOneDrawPerSample) {
  SplitMix64 a(kSeed), b(kSeed), other(kSeed + 1), counter(kSeed);
  const DiskFailureModel models[] = {constant(0.02), by_age({0.05, 0.01}), weibull(1.5, 20)};
  for (const DiskFailureModel& m : models) {
    const double x = sample_time_to_failure_s(m, 2 * kSecondsPerYear, a);
    EXPECT_EQ(x, sample_time_to_failure_s(m, 2 * kSecondsPerYear, b));
    EXPECT_NE(x, sample_time_to_failure_s(m, 2 * kSecondsPerYear, other));
    counter.next();
  }
  EXPECT_EQ(a.next(), counter.next());  // each sample consumed exactly one draw
}

TEST(FailureModel, GoldenDrawsAtTheSeed) {
  // Pins the inverse-CDF mapping and the stream: a change here changes every
  // simulation run from a recorded seed. Exp(1) = −ln(1 − U) via log1p.
  SplitMix64 rng(kSeed), replay(kSeed);
  const double lambda_per_year = -std::log1p(-0.05);
  const double first = sample_time_to_failure_s(constant(0.05), 0, rng);
  const double second = sample_time_to_failure_s(constant(0.05), 0, rng);
  std::printf("failure_model_test: seed %" PRIu64 " first draws %.17g s, %.17g s\n", kSeed, first,
              second);
  EXPECT_DOUBLE_EQ(first, -std::log1p(-replay.uniform()) / lambda_per_year * kSecondsPerYear);
  EXPECT_DOUBLE_EQ(second, -std::log1p(-replay.uniform()) / lambda_per_year * kSecondsPerYear);
  EXPECT_DOUBLE_EQ(first, 524238375.85940725);
  EXPECT_DOUBLE_EQ(second, 110463909.19978976);
}

}  // namespace
}  // namespace cairn::sim
