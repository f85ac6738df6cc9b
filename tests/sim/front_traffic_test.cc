// The client and management networks (sim/front_traffic.h): a month's
// client traffic crosses the primary's client NIC as a SimGrid comm whose
// busy fraction matches a hand computation; a client NIC too slow for the
// ingest shows a busy fraction above 1 and an overload naming month and node;
// the management network is busy but barely.
#include <gtest/gtest.h>

#include "sim/front_traffic.h"
#include "sim/replicates.h"
#include "sim/scenario.h"

namespace cairn::sim {
namespace {

// Three nodes of one disk, replica:3 across nodes: one group, whose primary
// (member 0) takes every file. No failures, no growth, no purchase: each
// month of year 1 ingests first_year / 12 = 1 GB of 1 MB files.
Scenario one_group(double client_bytes_per_s, double read_fraction) {
  Scenario s;
  s.name = "front-traffic";
  s.horizon_years = 1;
  s.cluster.racks = 1;
  s.cluster.initial_nodes = 3;
  s.cluster.disks_per_node = 1;
  s.cluster.disk.capacity_bytes = 10'000'000'000'000;
  s.cluster.client = {client_bytes_per_s, 1e-3};
  s.pool.scheme = Scheme::replica(3);
  s.pool.domain = FailureDomain::kNode;
  s.workload.first_year_bytes = 12e9;
  s.workload.annual_growth = 0;
  s.workload.file_sizes = {FileSizeBucket{1.0, 1'000'000}};
  s.workload.read_fraction = read_fraction;
  s.failures.disk.afr = 0;
  s.procurement.max_nodes = 3;
  return s;
}

RunResult run(const Scenario& s) {
  EXPECT_TRUE(validate(s).is_ok()) << validate(s).message();
  auto runs = run_replicates(s, ReplicateOptions{1, 1, false}, nullptr);
  EXPECT_TRUE(runs) << runs.status().message();
  return runs ? runs->front() : RunResult{};
}

TEST(FrontTraffic, ClientBusyMatchesHandComputation) {
  // By hand, month 0: the primary's node receives 1 GB of ingest and, with
  // read_fraction 50 %, sends 1 GB of reads (1e9 x 0.5 / 0.5). Each crosses
  // its direction of a 1 MB/s client NIC alone: 1e-3 s latency +
  // 1e9 B / 1e6 B/s = 1000.001 s, over a month of 365.25 x 86400 / 12 =
  // 2,629,800 s: busy = 1000.001 / 2629800 = 3.8025e-4.
  RunResult r = run(one_group(1e6, 0.5));
  ASSERT_EQ(r.months.size(), 12u);
  const double expected = (1e-3 + 1e9 / 1e6) / kSecondsPerMonth;
  EXPECT_NEAR(expected, 3.8025e-4, 1e-8);
  for (const MonthRow& m : r.months) EXPECT_NEAR(m.client_busy_max, expected, expected * 1e-6) << m.month;
  EXPECT_NEAR(r.peak_client_busy, expected, expected * 1e-6);
  EXPECT_TRUE(r.client_overloads.empty());
}

TEST(FrontTraffic, ManagementIsBusyButBarely) {
  // A 1 KiB status reply every 10 s: 2629800 / 10 x 1024 = 269,291,520 B a
  // month over the default 1 Gb/s (1.25e8 B/s) with 0.1 ms latency:
  // 2.1543 s, busy 8.19e-7.
  Scenario s = one_group(1e6, 0.5);
  EXPECT_EQ(s.cluster.management.bytes_per_s, 1.25e8);  // the default: 1 Gb/s (DESIGN.md)
  RunResult r = run(s);
  const double expected = (1e-4 + kSecondsPerMonth / kStatusPeriodS * kStatusReplyBytes / 1.25e8) / kSecondsPerMonth;
  ASSERT_FALSE(r.months.empty());
  for (const MonthRow& m : r.months) {
    EXPECT_GT(m.management_busy_max, 0);
    EXPECT_LT(m.management_busy_max, 1e-5);
    EXPECT_NEAR(m.management_busy_max, expected, expected * 1e-3);
  }
}

TEST(FrontTraffic, TooSlowClientNicOverloads) {
  // 100 B/s: a month's 1 GB of ingest needs 1e7 s, about 3.8 months, and
  // each month's traffic then shares the NIC with what is left of earlier
  // months'.
  RunResult r = run(one_group(100, 0));
  ASSERT_EQ(r.months.size(), 12u);
  EXPECT_GT(r.months[0].client_busy_max, 1e9 / 100 / kSecondsPerMonth * 0.99);
  for (const MonthRow& m : r.months) EXPECT_GT(m.client_busy_max, 1) << m.month;
  ASSERT_EQ(r.client_overloads.size(), 12u);
  EXPECT_EQ(r.client_overloads[0].month, 0u);
  EXPECT_EQ(r.client_overloads[0].direction, "in");
  EXPECT_GT(r.client_overloads[0].busy, 1);
  EXPECT_EQ(r.peak_client_busy, std::max_element(r.months.begin(), r.months.end(), [](auto& a, auto& b) {
                                  return a.client_busy_max < b.client_busy_max;
                                })->client_busy_max);
  // The storage side is untouched: the same run with a fast client network
  // records the same events.
  RunResult fast = run(one_group(1e9, 0));
  ASSERT_EQ(fast.events.size(), r.events.size());
  for (size_t i = 0; i < r.events.size(); ++i) {
    EXPECT_EQ(fast.events[i].kind, r.events[i].kind);
    EXPECT_EQ(fast.events[i].time_s, r.events[i].time_s);
  }
}

TEST(FrontTraffic, ReadsFollowIngestByReadFraction) {
  std::vector<double> ingest = {4e9, 0, 1e9};
  std::vector<bool> up = {true, true, false};
  std::vector<NodeFrontBytes> t = front_bytes(ingest, up, reads_for(5e9, 0.75));
  ASSERT_EQ(t.size(), 2u);  // node 2 is down: no traffic this month
  EXPECT_EQ(t[0].node, 0u);
  EXPECT_DOUBLE_EQ(t[0].client_in, 4e9);
  EXPECT_DOUBLE_EQ(t[0].client_out, 12e9);  // 4e9 x 0.75 / 0.25
  EXPECT_EQ(t[1].node, 1u);
  EXPECT_EQ(t[1].client_in, 0);
  EXPECT_EQ(t[1].client_out, 0);
  EXPECT_DOUBLE_EQ(t[1].management, kSecondsPerMonth / kStatusPeriodS * kStatusReplyBytes);
}

// A tier that took nothing in this month still serves its reads, evenly.
TEST(FrontTraffic, ReadsWithoutIngestSpreadOverNodesUp) {
  std::vector<NodeFrontBytes> t = front_bytes({0, 0, 0}, {true, false, true}, 6e9);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_DOUBLE_EQ(t[0].client_out, 3e9);
  EXPECT_DOUBLE_EQ(t[1].client_out, 3e9);
}

}  // namespace
}  // namespace cairn::sim
