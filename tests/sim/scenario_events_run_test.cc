// Scenario events carried out by the model: each kind, on a small quiet pool
// (no random failure fires, no purchase is needed), recorded as "event" and
// followed by what it causes.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "sim/model_state.h"
#include "sim/replicates.h"
#include "tests/sim/small_pool_testing.h"

namespace cairn::sim {
namespace {

constexpr double kDayS = 86400.0;
constexpr double kEventS = 40 * kDayS;
constexpr double kDetectS = 300.0;

// `nodes` nodes of `disks` 1 TB disks, ec:2+1 across nodes, a quarter year
// of 1 GB a month in 1 MB files, nothing failing on its own.
Scenario quiet(uint32_t nodes, uint32_t disks) {
  Scenario s = small_ec21_pool(nodes, disks);
  s.name = "events";
  s.seed = 11;
  s.horizon_years = 0.25;
  s.workload.first_year_bytes = 12e9;
  s.workload.annual_growth = 0.0;
  s.workload.file_sizes = {FileSizeBucket{1.0, 1'000'000}};
  s.failures.disk.afr = 0.0;
  s.failures.node_outages_per_node_year = 0.0;
  s.failures.node_losses_per_node_year = 0.0;
  s.heal.detection_delay_s = kDetectS;
  s.heal.replacement_delay_s = 2 * kDayS;
  s.procurement.fill_threshold = 0.99;
  return s;
}

ScenarioEvent event(double at_s, ScenarioEvent::Kind kind) {
  ScenarioEvent e;
  e.at_s = at_s;
  e.kind = kind;
  return e;
}

RunResult run(const Scenario& s) {
  EXPECT_TRUE(validate(s).is_ok()) << validate(s).message();
  auto runs = run_replicates(s, ReplicateOptions{1, 1, false}, nullptr);
  EXPECT_TRUE(runs) << runs.status().message();
  return runs ? runs->front() : RunResult{};
}

// Index of the first event of `kind` at or after `from`; events.size() if none.
size_t find(const RunResult& r, const std::string& kind, size_t from = 0) {
  for (size_t i = from; i < r.events.size(); ++i)
    if (r.events[i].kind == kind) return i;
  return r.events.size();
}

size_t count(const RunResult& r, const std::string& kind) {
  return static_cast<size_t>(std::count_if(r.events.begin(), r.events.end(),
                                           [&](const Event& e) { return e.kind == kind; }));
}

uint32_t heals_completed(const RunResult& r) {
  uint32_t n = 0;
  for (const MonthRow& m : r.months) n += m.heals_completed;
  return n;
}

// The scenario event recorded at `kEventS` with `detail`, checked, and its index.
size_t expect_event(const RunResult& r, const std::string& detail) {
  size_t i = find(r, "event");
  EXPECT_LT(i, r.events.size()) << "no event recorded";
  if (i >= r.events.size()) return i;
  EXPECT_EQ(r.events[i].detail, detail);
  EXPECT_NEAR(r.events[i].time_s, kEventS, 1e-6);
  return i;
}

TEST(ScenarioEventsRun, FailDiskIsDetectedHealedAndReplaced) {
  Scenario s = quiet(4, 1);  // one group of three nodes and a spare
  const ModelState state(s);
  const DiskId member = state.map.group(GroupId(0)).members[1];
  const uint32_t node = state.topology.disk(member).node.value;
  ScenarioEvent fail = event(kEventS, ScenarioEvent::Kind::kFailDisk);
  fail.node = node;
  ScenarioEvent again = fail;  // before detection: the slot's disk has already failed
  again.at_s = kEventS + 60;
  s.events = {fail, again};
  const RunResult r = run(s);

  size_t i = expect_event(r, "fail_disk node " + std::to_string(node) + " disk 0");
  ASSERT_LT(i + 1, r.events.size());
  EXPECT_EQ(r.events[i + 1].kind, "disk_failure");
  EXPECT_EQ(r.events[i + 1].disk, static_cast<int64_t>(member.value));
  EXPECT_NEAR(r.events[i + 1].time_s, kEventS, 1e-6);
  size_t refused = find(r, "event_refused", i + 1);
  ASSERT_LT(refused, r.events.size());
  EXPECT_EQ(r.events[refused].detail, "the disk in slot 0 has already failed");
  size_t heal = find(r, "heal_start", i);
  ASSERT_LT(heal, r.events.size());
  EXPECT_NEAR(r.events[heal].time_s, kEventS + kDetectS, 1e-3);
  EXPECT_LT(find(r, "heal_end", heal), r.events.size());
  size_t replaced = find(r, "disk_replaced", i);
  ASSERT_LT(replaced, r.events.size());
  EXPECT_NEAR(r.events[replaced].time_s, kEventS + 2 * kDayS, 1e-3);
  EXPECT_EQ(r.disk_failures, 1u);
  EXPECT_EQ(heals_completed(r), 1u);
  EXPECT_EQ(r.months.back().degraded_groups, 0u);
  EXPECT_EQ(r.bytes_lost, 0.0);
}

TEST(ScenarioEventsRun, FailNodeIsAnOutageOfItsDurationThatOwesWrites) {
  Scenario s = quiet(4, 1);
  const ModelState state(s);
  const uint32_t node = state.topology.disk(state.map.group(GroupId(0)).members[0]).node.value;
  ScenarioEvent outage = event(kEventS, ScenarioEvent::Kind::kFailNode);
  outage.node = node;
  outage.duration_s = 2 * 3600.0;  // not the default (4 h)
  s.events = {outage};
  const RunResult r = run(s);

  size_t i = expect_event(r, "fail_node " + std::to_string(node) + " for 2 h");
  size_t start = find(r, "node_outage_start", i), end = find(r, "node_outage_end", i);
  ASSERT_LT(end, r.events.size());
  EXPECT_EQ(r.events[start].node, static_cast<int64_t>(node));
  EXPECT_NEAR(r.events[start].time_s, kEventS, 1e-6);
  EXPECT_NEAR(r.events[end].time_s, kEventS + 2 * 3600.0, 1e-3);
  // Two hours of a 1 GB month, of which each member stores about half (ec:2+1).
  const double expected = 2 * 3600.0 / kSecondsPerMonth * 1e9 / 2;
  EXPECT_NEAR(r.events[end].bytes, expected, 0.05 * expected);
  size_t heal = find(r, "heal_start", end);
  ASSERT_LT(heal, r.events.size());
  EXPECT_NE(r.events[heal].detail.find("owed writes"), std::string::npos) << r.events[heal].detail;
  EXPECT_EQ(r.disk_failures, 0u);
  EXPECT_EQ(r.bytes_lost, 0.0);
}

TEST(ScenarioEventsRun, LoseRackLosesEveryDiskOfItsNodesThenHeals) {
  Scenario s = quiet(6, 2);
  s.cluster.racks = 3;
  s.pool.domain = FailureDomain::kRack;  // a rack holds one member of each group
  const ModelState state(s);
  std::set<int64_t> rack_nodes, rack_disks;
  for (NodeId n : state.topology.live_nodes()) {
    if (state.topology.node(n).rack.value != 1) continue;
    rack_nodes.insert(n.value);
    for (DiskId d : state.topology.node(n).disks) rack_disks.insert(d.value);
  }
  ASSERT_EQ(rack_nodes.size(), 2u);
  ScenarioEvent lose = event(kEventS, ScenarioEvent::Kind::kLoseRack);
  lose.rack = 1;
  s.events = {lose};
  const RunResult r = run(s);

  expect_event(r, "lose_rack 1");
  std::set<int64_t> lost_nodes, failed_disks;
  for (const Event& e : r.events) {
    if (e.kind == "node_loss") lost_nodes.insert(e.node);
    if (e.kind == "disk_failure") {
      EXPECT_NEAR(e.time_s, kEventS, 1e-6);
      failed_disks.insert(e.disk);
    }
  }
  EXPECT_EQ(lost_nodes, rack_nodes);
  EXPECT_EQ(failed_disks, rack_disks);
  EXPECT_EQ(r.disk_failures, 4u);
  // One member of each group was lost: nothing is lost, and the replacements
  // in the rack's slots are rebuilt.
  EXPECT_EQ(r.bytes_lost, 0.0);
  EXPECT_EQ(count(r, "disk_replaced"), 4u);
  EXPECT_EQ(heals_completed(r), 4u);
  EXPECT_EQ(r.months.back().degraded_groups, 0u);
}

TEST(ScenarioEventsRun, LoseNodeHappensOnce) {
  Scenario s = quiet(4, 2);
  ScenarioEvent lose = event(kEventS, ScenarioEvent::Kind::kLoseNode);
  lose.node = 2;
  s.events = {lose};
  s.failures.node_losses_per_node_year = 1e-9;  // the random process runs, but never fires here
  const RunResult r = run(s);
  size_t i = expect_event(r, "lose_node 2");
  ASSERT_LT(i + 1, r.events.size());
  EXPECT_EQ(r.events[i + 1].kind, "node_loss");
  EXPECT_EQ(r.events[i + 1].node, 2);
  EXPECT_EQ(count(r, "node_loss"), 1u);
  EXPECT_EQ(r.disk_failures, 2u);
}

TEST(ScenarioEventsRun, AddNodesArriveAndTheMapRebalances) {
  Scenario s = quiet(3, 1);  // one group, no spare
  s.procurement.max_nodes = 6;
  ScenarioEvent add = event(kEventS, ScenarioEvent::Kind::kAddNodes);
  add.count = 3;
  s.events = {add};
  const RunResult r = run(s);

  size_t i = expect_event(r, "add_nodes 3");
  size_t arrival = find(r, "purchase_arrival", i);
  ASSERT_LT(arrival, r.events.size());
  EXPECT_EQ(r.events[arrival].node, 3);  // the first new node
  EXPECT_EQ(r.events[arrival].detail, "3 nodes, by a scenario event");
  size_t start = find(r, "rebalance_start", arrival);
  ASSERT_LT(start, r.events.size());
  EXPECT_NEAR(r.events[start].time_s, kEventS, 1e-6);
  EXPECT_GT(r.events[start].bytes, 0.0);
  EXPECT_LT(find(r, "rebalance_end", start), r.events.size());
  EXPECT_EQ(count(r, "purchase_order"), 0u);
  ASSERT_EQ(r.months.size(), 3u);
  EXPECT_EQ(r.months.front().nodes, 3u);
  EXPECT_EQ(r.months.back().nodes, 6u);
  EXPECT_EQ(r.nodes_bought_per_year.at(0), 3u);
  EXPECT_GT(r.months[1].rebalance_bytes, 0.0);
}

TEST(ScenarioEventsRun, RetireNodesDrainsThemThenTheyLeaveService) {
  Scenario s = quiet(5, 2);
  s.pool.strategy =
      GroupStrategy::kDeclustered;  // any node may leave: every disk is in many groups
  const ModelState state(s);
  const std::vector<DiskId> retired_disks = state.topology.node(NodeId(4)).disks;
  ScenarioEvent retire = event(kEventS, ScenarioEvent::Kind::kRetireNodes);
  retire.nodes = {4};
  s.events = {retire};
  const RunResult r = run(s);

  size_t i = expect_event(r, "retire_nodes 4");
  size_t start = find(r, "rebalance_start", i);
  ASSERT_LT(start, r.events.size());
  EXPECT_NEAR(r.events[start].time_s, kEventS, 1e-6);
  EXPECT_GT(r.events[start].bytes, 0.0) << "node 4 held nothing to drain";
  size_t end = find(r, "rebalance_end", start);
  ASSERT_LT(end, r.events.size());
  size_t gone = find(r, "node_retired", i);
  ASSERT_LT(gone, r.events.size());
  EXPECT_GT(gone, end) << "the node left service before its drain ended";
  EXPECT_EQ(r.events[gone].node, 4);
  EXPECT_EQ(count(r, "node_retired"), 1u);
  // Drained: nothing on its disks at the end, though ingest went on after.
  for (DiskId d : retired_disks) EXPECT_EQ(r.final_disk_used_bytes.at(d.value), 0.0) << d.value;
  double elsewhere = 0;
  for (double used : r.final_disk_used_bytes) elsewhere += used;
  EXPECT_GT(elsewhere, 0.0);
  ASSERT_EQ(r.months.size(), 3u);
  EXPECT_EQ(r.months.front().nodes, 5u);
  EXPECT_EQ(r.months.back().nodes, 4u);
  EXPECT_EQ(r.months.back().disks, 8u);
  EXPECT_EQ(r.bytes_lost, 0.0);
  EXPECT_EQ(r.months.back().degraded_groups, 0u);
}

TEST(ScenarioEventsRun, RetirementTheEngineRefusesLeavesTheNodeInService) {
  Scenario s = quiet(3, 1);  // one fixed group across all three nodes: nowhere to move a member
  ScenarioEvent retire = event(kEventS, ScenarioEvent::Kind::kRetireNodes);
  retire.nodes = {0};
  s.events = {retire};
  const RunResult r = run(s);
  size_t i = expect_event(r, "retire_nodes 0");
  size_t refused = find(r, "retire_refused", i);
  ASSERT_LT(refused, r.events.size());
  EXPECT_EQ(r.events[refused].node, 0);
  EXPECT_FALSE(r.events[refused].detail.empty());
  EXPECT_EQ(count(r, "node_retired"), 0u);
  EXPECT_EQ(count(r, "rebalance_start"), 0u);
  EXPECT_EQ(r.months.back().nodes, 3u);
}

TEST(ScenarioEventsRun, ReplaceDiskSwapsAtOnceThenRebuilds) {
  Scenario s = quiet(4, 1);
  const ModelState state(s);
  const DiskId member = state.map.group(GroupId(0)).members[2];
  ScenarioEvent swap = event(kEventS, ScenarioEvent::Kind::kReplaceDisk);
  swap.node = state.topology.disk(member).node.value;
  s.events = {swap};
  const RunResult r = run(s);

  size_t i = expect_event(r, "replace_disk node " + std::to_string(swap.node) + " disk 0");
  ASSERT_LT(i + 2, r.events.size());
  EXPECT_EQ(r.events[i + 1].kind, "disk_failure");
  EXPECT_EQ(r.events[i + 1].disk, static_cast<int64_t>(member.value));
  EXPECT_EQ(r.events[i + 2].kind, "disk_replaced");
  EXPECT_NEAR(r.events[i + 2].time_s, kEventS, 1e-6);
  EXPECT_EQ(r.events[i + 2].detail, "replaces disk " + std::to_string(member.value));
  EXPECT_EQ(count(r, "disk_replaced"), 1u);  // no second replacement after replacement_delay
  size_t heal = find(r, "heal_start", i);
  ASSERT_LT(heal, r.events.size());
  EXPECT_NEAR(r.events[heal].time_s, kEventS + kDetectS, 1e-3);
  EXPECT_LT(find(r, "heal_end", heal), r.events.size());
  EXPECT_EQ(heals_completed(r), 1u);
  EXPECT_EQ(r.months.back().degraded_groups, 0u);
  EXPECT_EQ(r.bytes_lost, 0.0);
}

}  // namespace
}  // namespace cairn::sim
