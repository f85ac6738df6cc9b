// The ledger follows a rebalance plan: a handoff carries its share of the old
// group's files and bytes to the new group, also when no byte changes disk,
// and per-disk use follows the new members.
#include "sim/ledger.h"

#include <gtest/gtest.h>

#include "engine/layout.h"

namespace cairn::sim {
namespace {

// Two ec:2+1 groups on disks {0, 1, 2}; group 0 owns every slot at first.
// The ledger holds 100 files of 1 MB in group 0.
struct SplitCase {
  Topology t = Topology::uniform(1, 6, 1, DiskModel{});
  PoolMap from;
  Ledger ledger;
  MemberProfile p;
  SplitCase() {
    from.spec.scheme = Scheme::erasure(2, 1);
    from.spec.strategy = GroupStrategy::kDeclustered;
    Group g{{DiskId(0), DiskId(1), DiskId(2)}, false};
    from.placement.groups = {g, g};
    std::vector<double> weights = {1.0, 0.0};
    from.layout = make_layout(weights);
    ledger.fit(from, t);
    p = file_profile(from.spec.scheme, 1'000'000);
    ledger.add_files(from, GroupId(0), 100, p);
  }
};

TEST(Ledger, RebalanceHandsFilesOverEvenWithoutMovingBytes) {
  SplitCase c;
  Ledger& ledger = c.ledger;
  const MemberProfile& p = c.p;
  const double used0 = ledger.disk_used_bytes(DiskId(0));

  PoolMap to = c.from;
  split_group_slots(to.layout, GroupId(0), GroupId(1));
  Result<RebalancePlan> plan =
      plan_rebalance(c.from, to, c.t, ledger.member_bytes_per_slot(c.from), kNoBudget);
  ASSERT_TRUE(plan.is_ok());
  EXPECT_TRUE(plan->moves.empty());
  ledger.apply_rebalance(c.from, to, *plan, c.t);
  EXPECT_DOUBLE_EQ(ledger.files(GroupId(0)), 50);
  EXPECT_DOUBLE_EQ(ledger.files(GroupId(1)), 50);
  EXPECT_DOUBLE_EQ(ledger.member_stored_bytes(GroupId(1), 2), 50 * p.stored_bytes[2]);
  EXPECT_DOUBLE_EQ(ledger.disk_used_bytes(DiskId(0)), used0);  // the same disks hold them
}

TEST(Ledger, RebalanceMovesDiskUseToTheNewMembers) {
  SplitCase c;
  Ledger& ledger = c.ledger;
  const MemberProfile& p = c.p;
  PoolMap to = c.from;
  to.placement.groups[1].members = {DiskId(3), DiskId(4), DiskId(5)};
  split_group_slots(to.layout, GroupId(0), GroupId(1));
  std::vector<uint64_t> per_slot = ledger.member_bytes_per_slot(c.from);
  ASSERT_EQ(per_slot.size(), c.from.layout.slot_count());
  Result<RebalancePlan> plan = plan_rebalance(c.from, to, c.t, per_slot, kNoBudget);
  ASSERT_TRUE(plan.is_ok());
  EXPECT_FALSE(plan->moves.empty());
  ledger.apply_rebalance(c.from, to, *plan, c.t);
  EXPECT_DOUBLE_EQ(ledger.disk_used_bytes(DiskId(3)), 50 * p.allocated_bytes[0]);
  EXPECT_DOUBLE_EQ(ledger.disk_used_bytes(DiskId(0)), 50 * p.allocated_bytes[0]);
  EXPECT_DOUBLE_EQ(ledger.total_logical_bytes(), 100 * p.file_bytes);
}

TEST(Ledger, LoseShareTakesEvenlyAndWholeGroupsExactly) {
  SplitCase c;
  Ledger& ledger = c.ledger;
  const MemberProfile& p = c.p;
  auto [files, bytes] = ledger.lose_share(c.from, GroupId(0), 0.25);
  EXPECT_DOUBLE_EQ(files, 25);
  EXPECT_DOUBLE_EQ(bytes, 25 * p.file_bytes);
  EXPECT_DOUBLE_EQ(ledger.files(GroupId(0)), 75);
  EXPECT_DOUBLE_EQ(ledger.disk_used_bytes(DiskId(1)), 75 * p.allocated_bytes[1]);
  ledger.lose_group(c.from, GroupId(0));
  EXPECT_EQ(ledger.files(GroupId(0)), 0.0);
  EXPECT_EQ(ledger.member_stored_bytes(GroupId(0), 0), 0.0);
}

}  // namespace
}  // namespace cairn::sim
