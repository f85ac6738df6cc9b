// The model's disks pay per operation and its nodes per file: a heal or a
// rebalance of N small files takes what the store's operation list
// (engine/store_ops.h) and the per-file work say, not what the bytes alone
// say; and each node's per-file work runs on that node, beside the others.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine/store_ops.h"
#include "sim/simulation.h"
#include "tests/sim/small_pool_testing.h"

namespace cairn::sim {
namespace {

constexpr double kFileBytes = 100'000;
constexpr double kFiles = 3000;

// Disks and network far faster than their operations, no failures but the
// scripted ones, budgets out of the way.
Scenario fast_bytes_slow_ops(uint32_t nodes, Scheme scheme, double ops_per_s) {
  Scenario s = small_ec21_pool(nodes, 1);
  s.pool.scheme = scheme;
  s.cluster.disk.read_bytes_per_s = 100'000'000'000ULL;
  s.cluster.disk.write_bytes_per_s = 100'000'000'000ULL;
  s.cluster.disk.ops_per_s = ops_per_s;
  s.cluster.storage = {1e12, 0};
  s.workload.initial_bytes = kFiles * kFileBytes;
  s.workload.first_year_bytes = 0;
  s.workload.annual_growth = 0;
  s.workload.file_sizes = {FileSizeBucket{1.0, static_cast<uint64_t>(kFileBytes)}};
  s.failures.disk.afr = 0;
  s.heal.detection_delay_s = 0;
  s.heal.replacement_delay_s = 0;
  s.heal.bytes_per_s_per_disk = 1e12;
  s.heal.bytes_per_s_per_node = 1e12;
  s.procurement.rebalance_bytes_per_s = 1e12;
  s.horizon_years = 1.0 / 12;
  s.seed = 7;
  return s;
}

// A minute in, node 0's disk is swapped for an empty one and rebuilt.
Scenario replacing_node_0s_disk(Scenario s) {
  ScenarioEvent replace;
  replace.at_s = 60;
  replace.kind = ScenarioEvent::Kind::kReplaceDisk;
  replace.node = 0;
  s.events = {replace};
  return s;
}

const Event* first(const RunResult& run, const std::string& kind) {
  for (const Event& e : run.events)
    if (e.kind == kind) return &e;
  return nullptr;
}

// replica:3 on three nodes and a spare node: one group holds every file.
// Rebuilding the member of node 0 reads each file's record and copy on one
// source (heal_source_ops: a record read and a payload read) and flushes it
// twice on the target: two device operations a file on each side.
TEST(OperationCost, AHealOfSmallFilesTakesItsSourcesOperations) {
  RunResult run = run_simulation(replacing_node_0s_disk(fast_bytes_slow_ops(4, Scheme::replica(3), 100)), {});
  const Event* start = first(run, "heal_start");
  const Event* end = first(run, "heal_end");
  ASSERT_NE(start, nullptr);
  ASSERT_NE(end, nullptr);
  const double expected_s = kFiles * heal_source_ops().device_ops() / 100.0;
  EXPECT_NEAR(end->time_s - start->time_s, expected_s, expected_s * 0.02)
      << "3000 files at 100 ops/s: the bytes alone would take " << kFiles * kFileBytes / 1e11 << " s";
}

// Without the operations (a disk that does a billion a second) the same heal
// takes what its bytes take: milliseconds. (SimGrid runs once per process,
// so this is a test of its own.)
TEST(OperationCost, WithoutOperationsTheHealTakesItsBytes) {
  RunResult run = run_simulation(replacing_node_0s_disk(fast_bytes_slow_ops(4, Scheme::replica(3), 1e9)), {});
  ASSERT_NE(first(run, "heal_end"), nullptr);
  EXPECT_LT(first(run, "heal_end")->time_s - first(run, "heal_start")->time_s, 0.05);
}

// Members of a group under a long rebuild miss writes in outages, one node
// after another (nodes 1-3: two of them hold members, one the spare). Each
// catches up as soon as its node returns, beside the rebuild (the cluster's
// healer replays owed writes so): no outage waits for the rebuild, and the
// outages never pile up into more stale members than the group tolerates.
TEST(OperationCost, StaleMembersCatchUpBesideALongRebuild) {
  Scenario s = replacing_node_0s_disk(fast_bytes_slow_ops(4, Scheme::replica(3), 100));
  s.workload.first_year_bytes = 1e12;  // writes go on, so the outages owe some
  for (uint32_t node = 1; node <= 3; ++node) {
    ScenarioEvent outage;
    outage.at_s = 50 + 20.0 * node;  // 70, 90, 110 s; back 5 s later
    outage.kind = ScenarioEvent::Kind::kFailNode;
    outage.node = node;
    outage.duration_s = 5;
    s.events.push_back(outage);
  }
  RunResult run = run_simulation(s, {});
  double rebuild_end = -1;
  std::vector<double> catch_ups;
  for (const Event& e : run.events) {
    if (e.kind == "heal_start" && e.detail.find("owed writes") != std::string::npos) catch_ups.push_back(e.time_s);
    if (e.kind == "heal_end" && e.bytes > 1e9 && rebuild_end < 0) rebuild_end = e.time_s;
    EXPECT_NE(e.kind, "data_loss") << e.detail;
  }
  ASSERT_GT(rebuild_end, 200) << "the rebuild lasts long past the outages";
  ASSERT_EQ(catch_ups.size(), 2u) << "two of nodes 1-3 hold a member";
  for (double t : catch_ups) {
    EXPECT_TRUE(std::abs(t - 75) < 1 || std::abs(t - 95) < 1 || std::abs(t - 115) < 1)
        << "a catch-up at " << t << " s, not when a node came back";
    EXPECT_LT(t, rebuild_end);
  }
}

// Growth moves parts off every old node at once: each node's per-file work
// runs on its own host, so the rebalance takes the busiest node's share,
// not the sum.
TEST(OperationCost, NodesDoTheirPerFileWorkSideBySide) {
  Scenario s = fast_bytes_slow_ops(6, Scheme::replica(3), 1e9);
  s.procurement.max_nodes = 9;
  s.cluster.per_file.move_s = 0.01;
  ScenarioEvent grow;
  grow.at_s = 60;
  grow.kind = ScenarioEvent::Kind::kAddNodes;
  grow.count = 3;
  s.events = {grow};
  RunResult run = run_simulation(s, {});
  const Event* start = first(run, "rebalance_start");
  const Event* end = first(run, "rebalance_end");
  ASSERT_NE(start, nullptr);
  ASSERT_NE(end, nullptr);
  const double parts = start->bytes / (kFileBytes + 64);  // each part: the file and its record
  const double took = end->time_s - start->time_s;
  EXPECT_GT(took, parts / 6 * 0.01 * 0.9) << "six old nodes share " << parts << " parts";
  EXPECT_LT(took, parts / 6 * 0.01 * 1.5) << "one node's share, not all " << parts << " parts in a row";
}

}  // namespace
}  // namespace cairn::sim
