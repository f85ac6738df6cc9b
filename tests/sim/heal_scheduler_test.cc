// The model's heal round over a plain ModelState (no SimGrid): a detected
// failure becomes one job for its disk, running heals hold their spares, and
// a finished heal moves the member and frees the failed disk.
#include "sim/heal_scheduler.h"

#include <gtest/gtest.h>

#include "sim/map_changes.h"
#include "tests/sim/small_pool_testing.h"

namespace cairn::sim {
namespace {

// Four nodes of two disks, ec:2+1 across nodes: two groups and two spares.
Scenario small() { return small_ec21_pool(4, 2); }

void fail(ModelState& st, DiskId d, bool detected) {
  st.disk_failed[d.value] = true;
  st.disk_detected[d.value] = detected;
  st.failed_disks.insert(d.value);
  st.reindex();
}

TEST(HealScheduler, DetectedFailureIsOneJobForItsDisk) {
  const Scenario s = small();
  ModelState st(s);
  ASSERT_EQ(st.map.placement.groups.size(), 2u);
  for (uint32_t g = 0; g < 2; ++g) st.ledger.add_files(st.map, GroupId(g), 1000, st.profile);
  const DiskId failed = st.map.group(GroupId(0)).members[1];
  fail(st, failed, false);
  EXPECT_TRUE(next_heal_round(st, {}, 8).empty()) << "undetected failures wait";
  st.disk_detected[failed.value] = true;
  EXPECT_TRUE(next_heal_round(st, {}, 0).empty()) << "no room, no job";

  std::vector<HealLaunch> round = next_heal_round(st, {}, 8);
  ASSERT_EQ(round.size(), 1u);
  EXPECT_EQ(round[0].job.cause, HealJob::Cause::kFailedDisk);
  EXPECT_EQ(round[0].job.disk, failed);
  ASSERT_EQ(round[0].job.plans.size(), 1u);
  const HealPlan& plan = round[0].job.plans[0];
  EXPECT_EQ(plan.group, GroupId(0));
  EXPECT_TRUE(st.group_in_heal[0]);
  EXPECT_DOUBLE_EQ(round[0].write_bytes, static_cast<double>(plan.write_bytes));
  EXPECT_FALSE(round[0].transfers.empty());
  EXPECT_TRUE(next_heal_round(st, {}, 8).empty()) << "a healing group is not planned twice";

  // The failed disk's members leave it once the heal finishes.
  std::vector<DiskId> vacated = apply_finished_heal(st, round[0].job.plans);
  EXPECT_EQ(vacated, std::vector<DiskId>{failed});
  EXPECT_FALSE(st.group_in_heal[0]);
  EXPECT_EQ(st.map.group(GroupId(0)).members[1], plan.targets[0].disk);
  EXPECT_TRUE(st.disk_members[failed.value].empty());
  EXPECT_EQ(st.group_failed[0], 0u);
  EXPECT_DOUBLE_EQ(st.ledger.disk_used_bytes(failed), 0.0);
}

TEST(HealScheduler, RunningHealsKeepTheirSparesAndReleaseFreesTheGroup) {
  const Scenario s = small();
  ModelState st(s);
  fail(st, st.map.group(GroupId(0)).members[0], true);
  std::vector<HealLaunch> first = next_heal_round(st, {}, 8);
  ASSERT_EQ(first.size(), 1u);
  const DiskId spare = first[0].job.plans[0].targets[0].disk;
  // A second failure in the other group while the first heal runs: its
  // target is not the spare being written.
  fail(st, st.map.group(GroupId(1)).members[0], true);
  std::vector<std::span<const HealPlan>> running = {first[0].job.plans};
  std::vector<HealLaunch> second = next_heal_round(st, running, 8);
  ASSERT_EQ(second.size(), 1u);
  const HealPlan& plan = second[0].job.plans[0];
  EXPECT_EQ(plan.group, GroupId(1));
  for (const HealPlan::Target& t : plan.targets) EXPECT_NE(t.disk, spare);
  release_heal(st, second[0].job.plans);
  EXPECT_FALSE(st.group_in_heal[1]);
}

TEST(MapChanges, WaitForHealsAndInstallTheNextMapAfterAPurchase) {
  const Scenario s = small();
  ModelState st(s);
  for (uint32_t g = 0; g < 2; ++g) st.ledger.add_files(st.map, GroupId(g), 1000, st.profile);
  const double logical = st.ledger.total_logical_bytes();
  EXPECT_FALSE(change_may_apply(st, 1));
  EXPECT_TRUE(change_may_apply(st, 0));
  st.topology.add_nodes_spread(3, s.cluster.disks_per_node, s.cluster.disk);
  st.fit();
  const uint64_t epoch = st.map.epoch();
  Result<RebalancePlan> plan = install_next_map(st);
  ASSERT_TRUE(plan) << plan.status().message();
  EXPECT_GT(st.map.epoch(), epoch);
  EXPECT_GT(st.map.placement.groups.size(), 2u);
  EXPECT_FALSE(plan->moves.empty());
  EXPECT_FALSE(plan->handoffs.empty());
  EXPECT_NEAR(st.ledger.total_logical_bytes(), logical, 1e-6 * logical);  // moved, not lost
  double on_new = 0;
  for (uint32_t g = 2; g < st.map.placement.groups.size(); ++g) on_new += st.ledger.files(GroupId(g));
  EXPECT_GT(on_new, 0.0);
}

TEST(MapChanges, DeclusteredPoolWaitsForFailedMembers) {
  Scenario s = small();
  s.pool.strategy = GroupStrategy::kDeclustered;
  s.pool.member_slots_per_disk = 4;
  ModelState st(s);
  EXPECT_TRUE(change_may_apply(st, 0));
  fail(st, DiskId(0), true);
  EXPECT_FALSE(change_may_apply(st, 0));
}

}  // namespace
}  // namespace cairn::sim
