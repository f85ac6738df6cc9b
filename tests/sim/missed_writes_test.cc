// A group with m members failed and one member stale (its node was down while
// the other failed): the writes the stale member missed are counted lost, and
// the group then heals its failed member from the healthy and stale members.
// Before group_health() such a group was neither healed nor counted lost.
// The faults are scenario events (Scenario::events); no random failure fires.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "sim/model_state.h"
#include "sim/replicates.h"
#include "tests/sim/small_pool_testing.h"

namespace cairn::sim {
namespace {

constexpr double kDayS = 86400.0;

// Four nodes of one disk, ec:2+1 across nodes: one group and one spare.
Scenario one_group() {
  Scenario s = small_ec21_pool(4, 1);
  s.name = "missed-writes";
  s.seed = 7;
  s.horizon_years = 0.25;
  s.workload.first_year_bytes = 12e9;  // 1 GB a month
  s.workload.annual_growth = 0.0;
  s.workload.file_sizes = {FileSizeBucket{1.0, 1'000'000}};
  s.failures.disk.afr = 0.0;
  s.failures.node_outages_per_node_year = 0.0;
  s.failures.node_outage_duration_s = 6 * 3600.0;
  s.failures.node_losses_per_node_year = 0.0;
  s.heal.detection_delay_s = 300.0;
  s.heal.replacement_delay_s = 2 * kDayS;
  s.procurement.fill_threshold = 0.99;
  return s;
}

struct FaultRun {
  RunResult result;
  DiskId failed, stale;
};

// Member 0's node goes down; an hour later member 1's disk fails; the outage
// ends five hours after that, leaving member 0 stale beside the failure.
// A fail_disk event for disk `d` of the initial topology, by its node and slot.
ScenarioEvent fail_disk(const ModelState& state, double at_s, DiskId d) {
  ScenarioEvent e;
  e.at_s = at_s;
  e.kind = ScenarioEvent::Kind::kFailDisk;
  e.node = state.topology.disk(d).node.value;
  e.disk = state.disk_slot[d.value];
  return e;
}

// A fail_node event (an outage of failures.node_outage_duration) for the node of `d`.
ScenarioEvent fail_node_of(const ModelState& state, double at_s, DiskId d) {
  ScenarioEvent e;
  e.at_s = at_s;
  e.kind = ScenarioEvent::Kind::kFailNode;
  e.node = state.topology.disk(d).node.value;
  return e;
}

FaultRun run_stale_beside_failure() {
  Scenario s = one_group();
  const ModelState state(s);
  EXPECT_EQ(state.map.placement.groups.size(), 1u);
  const Group& group = state.map.group(GroupId(0));
  FaultRun run;
  run.stale = group.members[0];
  run.failed = group.members[1];
  const double outage_s = 40 * kDayS;
  s.events = {fail_node_of(state, outage_s, run.stale),
              fail_disk(state, outage_s + 3600.0, run.failed)};
  EXPECT_TRUE(validate(s).is_ok()) << validate(s).message();
  ReplicateOptions options{1, 1, false};
  auto runs = run_replicates(s, options, nullptr);
  EXPECT_TRUE(runs) << runs.status().message();
  if (runs) run.result = runs->front();
  return run;
}

TEST(MissedWrites, StaleBesideMFailedLosesTheMissedWritesThenHeals) {
  const FaultRun run = run_stale_beside_failure();
  const RunResult& r = run.result;
  ASSERT_EQ(r.loss_events, 1u);
  auto loss = std::find_if(r.events.begin(), r.events.end(),
                           [](const Event& e) { return e.kind == "data_loss"; });
  ASSERT_NE(loss, r.events.end());
  EXPECT_EQ(loss->group, 0);
  EXPECT_NE(loss->detail.find("writes missed by stale members"), std::string::npos) << loss->detail;
  // Six hours of a 1 GB month in 1 MB files: about 8 files, not the group.
  const double expected_files = 6 * 3600.0 / kSecondsPerMonth * 1000.0;
  EXPECT_NEAR(loss->files, expected_files, 0.01 * expected_files);
  EXPECT_NEAR(r.files_lost, loss->files, 1e-9);
  EXPECT_NEAR(r.bytes_lost, loss->files * 1e6, 1e-3 * loss->files * 1e6);

  // After the loss the failed member is rebuilt (a heal ends, the failed disk
  // is retired) and the group is whole at the end.
  auto healed = std::find_if(loss, r.events.end(), [](const Event& e) { return e.kind == "heal_end"; });
  EXPECT_NE(healed, r.events.end()) << "the group was never healed";
  uint32_t completed = 0;
  for (const MonthRow& m : r.months) completed += m.heals_completed;
  EXPECT_EQ(completed, 1u);
  ASSERT_FALSE(r.months.empty());
  EXPECT_EQ(r.months.back().degraded_groups, 0u);
  EXPECT_EQ(r.months.back().bytes_lost, r.bytes_lost);
}

// The same faults in the other order lose nothing: the outage starts after the
// failed member has been rebuilt, so its end only owes a catch-up.
TEST(MissedWrites, OutageAfterTheHealLosesNothing) {
  Scenario s = one_group();
  const ModelState state(s);
  const Group& group = state.map.group(GroupId(0));
  s.events = {fail_disk(state, 40 * kDayS, group.members[1]),
              fail_node_of(state, 41 * kDayS, group.members[0])};
  ASSERT_TRUE(validate(s).is_ok()) << validate(s).message();
  ReplicateOptions options{1, 1, false};
  auto runs = run_replicates(s, options, nullptr);
  ASSERT_TRUE(runs) << runs.status().message();
  const RunResult& r = runs->front();
  EXPECT_EQ(r.loss_events, 0u);
  EXPECT_EQ(r.bytes_lost, 0.0);
  EXPECT_EQ(r.months.back().degraded_groups, 0u);
}

}  // namespace
}  // namespace cairn::sim
