// Latent sector errors and the scrub (sim/latent_errors.h): when the scrub
// reaches an error, that its pace is the engine's, and what a scrub interval
// buys — the same failures and errors lose fewer files when the scrub comes
// round more often.
#include <gtest/gtest.h>

#include <cstdio>

#include "engine/scrub.h"
#include "sim/latent_errors.h"
#include "sim/replicates.h"
#include "tests/sim/small_pool_testing.h"

namespace cairn::sim {
namespace {

TEST(Scrub, ReachesAPlaceInThisPassOrTheNext) {
  // Passes of 10 s every 100 s after the last ended: starting at 5, 115, 225, ...
  EXPECT_DOUBLE_EQ(scrub_reaches_s(6, 5, 10, 100, 0.5), 10);    // later in the pass under way
  EXPECT_DOUBLE_EQ(scrub_reaches_s(12, 5, 10, 100, 0.5), 120);  // already read: the next pass
  EXPECT_DOUBLE_EQ(scrub_reaches_s(50, 5, 10, 100, 0.0), 115);  // between passes
  EXPECT_DOUBLE_EQ(scrub_reaches_s(230, 5, 10, 100, 0.9), 234);
}

TEST(Scrub, PassTakesTheEnginesPace) {
  // 1000 files of 1 MB at 10 MB/s: each costs its bytes plus an operation's worth.
  const double per_file = static_cast<double>(scrub_cost_bytes(1'000'000));
  EXPECT_GT(per_file, 1e6);
  EXPECT_NEAR(scrub_pass_s(1e9, 1000, 10e6), per_file * 1000 / 10e6, 1e-6);
  EXPECT_EQ(scrub_pass_s(0, 0, 10e6), 0);
}

Scenario latent_case(double scrub_interval_s) {
  Scenario s = small_ec21_pool(4, 2);
  s.horizon_years = 3;
  s.workload.first_year_bytes = 1e12;
  s.workload.annual_growth = 0;
  s.workload.file_sizes = {FileSizeBucket{1.0, 1'000'000}};
  s.failures.disk.afr = 0.2;
  s.failures.latent_errors_per_disk_year = 50;
  s.heal.bytes_per_s_per_disk = 2e6;  // slow heals: long windows without redundancy
  s.heal.scrub_interval_s = scrub_interval_s;
  s.heal.scrub_bytes_per_s_per_node = 5e6;
  s.seed = 2;
  return s;
}

double files_lost_to_latent(const Scenario& s, uint32_t runs, uint32_t* arisen, uint32_t* found) {
  ReplicateOptions options;
  options.runs = runs;
  auto r = run_replicates(s, options, nullptr);
  EXPECT_TRUE(r) << r.status().message();
  double lost = 0;
  *arisen = *found = 0;
  if (!r) return 0;
  for (const RunResult& run : *r) {
    lost += run.latent_files_lost;
    *arisen += run.latent_errors;
    *found += run.latent_found;
    EXPECT_LE(run.latent_files_lost, run.files_lost);
  }
  return lost;
}

TEST(LatentErrors, AShorterScrubIntervalLosesFewerFiles) {
  std::printf("seed %llu, 8 runs each\n", static_cast<unsigned long long>(latent_case(0).seed));
  uint32_t arisen_often = 0, found_often = 0, arisen_rarely = 0, found_rarely = 0;
  const double often = files_lost_to_latent(latent_case(86400.0), 8, &arisen_often, &found_often);
  const double rarely = files_lost_to_latent(latent_case(180 * 86400.0), 8, &arisen_rarely, &found_rarely);
  std::printf("scrub every day: %u errors, %u found, %.0f files lost; every 180 days: %u, %u, %.0f\n", arisen_often,
              found_often, often, arisen_rarely, found_rarely, rarely);
  EXPECT_EQ(arisen_often, arisen_rarely);  // the same errors arise (their own streams)
  EXPECT_GT(arisen_often, 1000u);
  EXPECT_GT(found_often, found_rarely);
  EXPECT_GT(rarely, 0);
  EXPECT_LT(often, 0.8 * rarely);
}

TEST(LatentErrors, WithoutDiskFailuresTheScrubFindsThemAllAndNothingIsLost) {
  Scenario s = latent_case(7 * 86400.0);
  s.failures.disk.afr = 0;
  uint32_t arisen = 0, found = 0;
  EXPECT_EQ(files_lost_to_latent(s, 1, &arisen, &found), 0);
  EXPECT_GT(arisen, 300u);
  // All but those arising in the last pass and interval before the horizon.
  EXPECT_GT(found, arisen * 9 / 10);
}

}  // namespace
}  // namespace cairn::sim
