// DESIGN.md rule 4: the model aggregates (a month's files spread over the
// groups by their exact share of the hash space) but never invents, so a
// small scenario simulated file by file (each file's path looked up in the
// engine's layout) must agree with the aggregated run.
//
// scenarios/lossy-smoke.yaml is run both ways (each run forks its own
// process: SimGrid keeps one engine per process). Failure, outage and node
// loss times come from per-disk and per-node seeded streams that ingest does
// not touch, so both runs see the same history: the same failures, purchases
// and losses at the same times. Only where the files land differs, by the
// sampling noise of hashing real paths, and the tolerances below are that
// noise, derived next to each check.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include "sim/ledger.h"
#include "sim/replicates.h"
#include "sim/scenario_yaml.h"

namespace cairn::sim {
namespace {

// Tolerances in standard deviations of the sampling noise.
constexpr double kSigmas = 5.0;
// Mean squared z-score over all disks; see expect_per_disk_bytes_agree.
constexpr double kMeanSquareZMax = 3.0;

// Events whose time and place do not depend on how many bytes a group holds:
// failure, outage and loss draws, replacements (failure + fixed delay),
// purchases (decided on month boundaries) and data losses (a second failure
// while the first is not healed).
bool structural(const std::string& kind) {
  for (const char* k : {"disk_failure", "disk_replaced", "node_loss", "node_outage_start", "node_outage_end",
                        "purchase_order", "purchase_arrival", "data_loss"})
    if (kind == k) return true;
  return false;
}

using Key = std::tuple<double, std::string, int64_t, int64_t, int64_t>;  // time, kind, node, disk, group

std::vector<Key> structural_events(const RunResult& r) {
  std::vector<Key> out;
  for (const Event& e : r.events)
    if (structural(e.kind)) out.emplace_back(e.time_s, e.kind, e.node, e.disk, e.group);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<const Event*> losses(const RunResult& r) {
  std::vector<const Event*> out;
  for (const Event& e : r.events)
    if (e.kind == "data_loss") out.push_back(&e);
  return out;
}

// Both runs of the scenario, made once: a file-by-file run takes seconds,
// and ctest runs each TEST in its own process.
struct Runs {
  Scenario scenario;
  RunResult aggregated, file_by_file;
  MemberProfile profile;  // what one file costs each member
  double months = 0;
};

// The comparison means something only if the scenario exercises what it
// compares: failures, purchases (rebalances) and losses.
void expect_losses_and_growth(const Runs& r) {
  EXPECT_EQ(r.aggregated.months.size(), 36u);
  EXPECT_GE(r.aggregated.loss_events, 2u);
  EXPECT_GT(r.aggregated.final_nodes, r.scenario.cluster.initial_nodes);
  EXPECT_GT(r.aggregated.disk_failures, 20u);
}

void expect_same_history(const Runs& r) {
  std::vector<Key> a = structural_events(r.aggregated), f = structural_events(r.file_by_file);
  ASSERT_EQ(a.size(), f.size()) << "the runs' histories diverged";
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_NEAR(std::get<0>(a[i]), std::get<0>(f[i]), 1e-6) << "event " << i << " " << std::get<1>(a[i]);
    EXPECT_EQ(std::get<1>(a[i]), std::get<1>(f[i])) << "event " << i;
    EXPECT_EQ(std::get<2>(a[i]), std::get<2>(f[i])) << "event " << i << " node";
    EXPECT_EQ(std::get<3>(a[i]), std::get<3>(f[i])) << "event " << i << " disk";
    EXPECT_EQ(std::get<4>(a[i]), std::get<4>(f[i])) << "event " << i << " group";
  }
  EXPECT_EQ(r.aggregated.loss_events, r.file_by_file.loss_events);
  EXPECT_EQ(r.aggregated.disk_failures, r.file_by_file.disk_failures);
  EXPECT_EQ(r.aggregated.final_nodes, r.file_by_file.final_nodes);
}

// Per disk. A disk's bytes are a (file count) x (allocated bytes a per file
// and member). File by file, each month's n files fall into groups as a
// multinomial sample of the layout's shares; rebalances then carry fixed
// fractions of a group's files elsewhere, and losses zero a group. The count
// on a disk is therefore a sum of multinomial counts with weights in [0, 1],
// whose variance is at most its mean (N Σ w²p − N (Σ wp)² ≤ N Σ wp). The
// aggregated run is that mean, so sigma_d = sqrt(aggregated_d / a) files,
// i.e. sqrt(a x aggregated_d) bytes, and the tolerance is 5 sigma_d plus the
// rounding of each month's file count to a whole number (half a file a
// month). Beyond the per-disk bound, the mean of z^2 over all disks must stay
// below 3 (its expectation is at most 1; disks of one group move together,
// so about a third of the disks are independent): a bias that stays inside
// every disk's 5 sigma still shows there.
void expect_per_disk_bytes_agree(const Runs& r) {
  const std::vector<double>& a = r.aggregated.final_disk_used_bytes;
  const std::vector<double>& f = r.file_by_file.final_disk_used_bytes;
  ASSERT_EQ(a.size(), f.size());
  const MemberProfile& p = r.profile;
  const double per_file = *std::max_element(p.allocated_bytes.begin(), p.allocated_bytes.end());
  const double rounding = 0.5 * r.months * per_file;
  double sum_z2 = 0, max_abs_z = 0, max_rel = 0;
  size_t holding = 0, differing = 0;
  for (size_t d = 0; d < a.size(); ++d) {
    // A disk emptied by moves can keep a floating-point residue of a byte's
    // fraction, of either sign: that is empty too.
    if (std::abs(a[d]) < 1.0) {
      EXPECT_LE(f[d], rounding) << "disk " << d << " is empty in the aggregated run";
      continue;
    }
    ++holding;
    const double sigma = std::sqrt(per_file * a[d]);
    const double z = (f[d] - a[d]) / sigma;
    EXPECT_LE(std::abs(f[d] - a[d]), kSigmas * sigma + rounding)
        << "disk " << d << ": aggregated " << a[d] << " B, file by file " << f[d] << " B, z " << z;
    sum_z2 += z * z;
    max_abs_z = std::max(max_abs_z, std::abs(z));
    max_rel = std::max(max_rel, std::abs(f[d] - a[d]) / a[d]);
    differing += f[d] != a[d];
  }
  ASSERT_GT(holding, 0u);
  const double mean_z2 = sum_z2 / static_cast<double>(holding);
  EXPECT_LE(mean_z2, kMeanSquareZMax);
  // File by file must really sample: identical bytes everywhere would mean
  // the file-by-file path did not run.
  EXPECT_GT(differing, holding / 2);
  std::printf("per disk: %zu disks holding data, max |z| %.2f, mean z^2 %.2f, max relative difference %.2e "
              "(a = %.0f B per file and member)\n",
              holding, max_abs_z, mean_z2, max_rel, per_file);
}

// Totals are not sampled: the same bytes are ingested (up to rounding each
// month's file count to whole files), and every lost file takes its whole
// allocation with it. So logical bytes stored + lost, and allocated bytes on
// all disks + the allocation of the files lost, agree to within half a file
// a month.
void expect_totals_agree(const Runs& r) {
  const MemberProfile& p = r.profile;
  double per_file_all_members = 0;
  for (double b : p.allocated_bytes) per_file_all_members += b;
  auto logical = [](const RunResult& run) { return run.months.back().used_tb * 1e12 + run.bytes_lost; };
  auto allocated = [&](const RunResult& run) {
    double sum = 0;
    for (double b : run.final_disk_used_bytes) sum += b;
    return sum + run.files_lost * per_file_all_members;
  };
  const double logical_a = logical(r.aggregated), logical_f = logical(r.file_by_file);
  const double allocated_a = allocated(r.aggregated), allocated_f = allocated(r.file_by_file);
  EXPECT_NEAR(logical_f, logical_a, 0.5 * r.months * p.file_bytes + 1e-12 * logical_a);
  EXPECT_NEAR(allocated_f, allocated_a, 0.5 * r.months * per_file_all_members + 1e-12 * allocated_a);
  std::printf("totals: logical stored + lost %.6e B vs %.6e B (diff %.3g B); allocated + lost allocation "
              "%.6e B vs %.6e B (diff %.3g B)\n",
              logical_a, logical_f, logical_f - logical_a, allocated_a, allocated_f, allocated_f - allocated_a);
}

// Each loss takes a group's files: file by file that count is sampled, with
// variance at most its mean (the per-disk argument), so files lost agree to
// within 5 sqrt(files) (+1 for monthly rounding), bytes to that x file size.
void expect_bytes_lost_agree(const Runs& r) {
  std::vector<const Event*> a = losses(r.aggregated), f = losses(r.file_by_file);
  ASSERT_EQ(a.size(), f.size());
  ASSERT_FALSE(a.empty());
  const double file_bytes = r.profile.file_bytes;
  double variance_files = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_NEAR(a[i]->time_s, f[i]->time_s, 1e-6) << "loss " << i;
    EXPECT_EQ(a[i]->group, f[i]->group) << "loss " << i;
    const double tol_files = kSigmas * std::sqrt(a[i]->files) + 1;
    EXPECT_NEAR(f[i]->files, a[i]->files, tol_files) << "loss " << i;
    EXPECT_NEAR(f[i]->bytes, a[i]->bytes, tol_files * file_bytes) << "loss " << i;
    variance_files += a[i]->files;
    std::printf("loss %zu at day %.3f, group %lld: %.0f files aggregated, %.0f file by file (z %.2f)\n", i,
                a[i]->time_s / 86400, static_cast<long long>(a[i]->group), a[i]->files, f[i]->files,
                (f[i]->files - a[i]->files) / std::sqrt(a[i]->files));
  }
  const double tol_total = (kSigmas * std::sqrt(variance_files) + static_cast<double>(a.size())) * file_bytes;
  EXPECT_NEAR(r.file_by_file.bytes_lost, r.aggregated.bytes_lost, tol_total);
  std::printf("bytes lost: %.6e aggregated, %.6e file by file, tolerance %.3e\n", r.aggregated.bytes_lost,
              r.file_by_file.bytes_lost, tol_total);
}

TEST(FileByFile, AgreesWithAggregatedRun) {
  Runs r;
  Result<Scenario> loaded = load_scenario(std::string(CAIRN_SOURCE_DIR) + "/scenarios/lossy-smoke.yaml");
  ASSERT_TRUE(loaded) << loaded.status().message();
  r.scenario = *loaded;
  // The noise bounds assume one file size: every file costs each member the
  // same allocated bytes.
  ASSERT_EQ(r.scenario.workload.file_sizes.size(), 1u);
  r.profile = file_profile(r.scenario.pool.scheme, r.scenario.workload.file_sizes[0].bytes);
  auto aggregated = run_replicates(r.scenario, ReplicateOptions{1, 2, false}, nullptr);
  ASSERT_TRUE(aggregated) << aggregated.status().message();
  auto file_by_file = run_replicates(r.scenario, ReplicateOptions{1, 2, true}, nullptr);
  ASSERT_TRUE(file_by_file) << file_by_file.status().message();
  r.aggregated = aggregated->front();
  r.file_by_file = file_by_file->front();
  r.months = static_cast<double>(r.aggregated.months.size());
  std::printf("aggregated run %.2f s, file-by-file run %.2f s (cairn plan scenarios/lossy-smoke.yaml "
              "[--file-by-file])\n",
              r.aggregated.wall_s, r.file_by_file.wall_s);
  {
    SCOPED_TRACE("the scenario loses data and grows");
    expect_losses_and_growth(r);
  }
  {
    SCOPED_TRACE("same history of failures, purchases and losses");
    expect_same_history(r);
  }
  {
    SCOPED_TRACE("per-disk bytes within sampling noise");
    expect_per_disk_bytes_agree(r);
  }
  {
    SCOPED_TRACE("totals agree tightly");
    expect_totals_agree(r);
  }
  {
    SCOPED_TRACE("bytes lost within sampling noise");
    expect_bytes_lost_agree(r);
  }
}

}  // namespace
}  // namespace cairn::sim
