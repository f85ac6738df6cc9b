// A month's ingest over a plain ModelState (no SimGrid): the ledger gains the
// month's bytes, the loads add up to what was written, and growth applies
// per whole year.
#include "sim/ingest.h"

#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "tests/sim/small_pool_testing.h"

namespace cairn::sim {
namespace {

double sum(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0); }

Scenario growing() {
  Scenario s = small_ec21_pool(4, 2);
  s.workload.first_year_bytes = 12e9;
  s.workload.annual_growth = 0.5;
  s.workload.file_sizes = {FileSizeBucket{1.0, 1'000'000}};
  return s;
}

TEST(Ingest, MonthBytesGrowPerWholeYear) {
  const Scenario s = growing();
  EXPECT_DOUBLE_EQ(month_ingest_bytes(s.workload, 0), 1e9);
  EXPECT_DOUBLE_EQ(month_ingest_bytes(s.workload, 11), 1e9);
  EXPECT_DOUBLE_EQ(month_ingest_bytes(s.workload, 12), 1.5e9);
}

TEST(Ingest, AggregatedMonthChargesTheLedgerAndLoadsAddUp) {
  const Scenario s = growing();
  ModelState st(s);
  MonthIngest in = ingest_month(st, 0, false);
  EXPECT_NEAR(st.ledger.total_logical_bytes(), 1e9, 1e-3);
  EXPECT_NEAR(sum(in.group_files), 1e9 / st.profile.file_bytes, 1e-9);
  EXPECT_NEAR(sum(in.client_in_bytes), 1e9, 1e-3);
  EXPECT_NEAR(in.allocated_bytes, st.ledger.total_used_bytes(), 1e-3);
  EXPECT_NEAR(sum(in.disk_bytes_per_s) * kSecondsPerMonth, in.allocated_bytes, 1e-3);
  ASSERT_EQ(in.node_bytes_per_s.size(), st.topology.node_id_bound());
  // ec:2+1 across nodes: the primary forwards two of three fragments.
  EXPECT_GT(sum(in.node_bytes_per_s), 0.0);
}

TEST(Ingest, FileByFileCountsWholeFiles) {
  const Scenario s = growing();
  ModelState st(s);
  MonthIngest in = ingest_month(st, 0, true);
  EXPECT_DOUBLE_EQ(sum(in.group_files), 1000.0);
  for (double files : in.group_files) EXPECT_EQ(files, std::floor(files));
  EXPECT_NEAR(st.ledger.total_logical_bytes(), 1e9, 1e-3);
}

}  // namespace
}  // namespace cairn::sim
