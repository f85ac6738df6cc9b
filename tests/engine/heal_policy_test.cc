// Heal policy: when a group is ready to heal and what it asks for, how a
// round's plans become jobs under the concurrency limit, and which disks
// offer room to heal targets.
#include "engine/heal_policy.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace cairn {
namespace {

constexpr MemberState kH = MemberState::kHealthy;
constexpr MemberState kS = MemberState::kStale;
constexpr MemberState kL = MemberState::kLost;

MemberView failed(uint64_t stored, bool detected = true) {
  MemberView m;
  m.failed = true;
  m.failure_detected = detected;
  m.stored_bytes = stored;
  return m;
}
MemberView stale(uint64_t missed) {
  MemberView m;
  m.stale = true;
  m.missed_bytes = missed;
  m.stored_bytes = 10 * missed;
  return m;
}

GroupView view(std::vector<MemberView> members, uint32_t group = 3) {
  return GroupView{GroupId(group), std::move(members), false, false};
}

TEST(HealRequest, FailedAndStaleMembersWithTheLargestBytes) {
  const Scheme ec = Scheme::erasure(2, 2);
  std::optional<HealRequest> r = heal_request(view({failed(500), {}, stale(700), failed(600)}), ec);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->group, GroupId(3));
  EXPECT_EQ(r->members, (std::vector<MemberState>{kL, kH, kS, kL}));
  EXPECT_EQ(r->member_bytes, 700u);
}

TEST(HealRequest, NotReadyWhileHealingDownUndetectedOrWhole) {
  const Scheme ec = Scheme::erasure(2, 1);
  GroupView healing = view({failed(5), {}, {}});
  healing.healing = true;
  EXPECT_FALSE(heal_request(healing, ec));
  MemberView down;
  down.on_down_node = true;
  EXPECT_FALSE(heal_request(view({failed(5), down, {}}), ec));
  EXPECT_FALSE(heal_request(view({failed(5), stale(3), failed(5, false)}), ec));
  EXPECT_FALSE(heal_request(view({{}, {}, {}}), ec));
  // Ready once all of it holds; an empty member still asks for one byte.
  std::optional<HealRequest> r = heal_request(view({failed(0), {}, {}}), ec);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->member_bytes, 1u);
}

// A rebuild that lasts months must not hold a stale member's catch-up: the
// stale member is asked for at once, the member being rebuilt is skipped
// (its state still counts for the group's health), and another lost member
// waits for the running rebuild.
TEST(HealRequest, StaleMembersCatchUpBesideARunningRebuild) {
  const Scheme ec = Scheme::erasure(2, 2);
  MemberView rebuilding = failed(900);
  rebuilding.healing = true;
  GroupView g = view({rebuilding, {}, stale(7), failed(800)});
  g.healing = true;
  std::optional<HealRequest> r = heal_request(g, ec);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->members, (std::vector<MemberState>{kL, kH, kS, kL}));
  EXPECT_EQ(r->skip, (std::vector<bool>{true, false, false, true}));
  EXPECT_EQ(r->member_bytes, 7u) << "only what the stale member missed moves now";
  // Its catch-up running too, nothing is left to ask for.
  g.members[2].healing = true;
  EXPECT_FALSE(heal_request(g, ec));
  // No heal running: nothing is skipped.
  std::optional<HealRequest> plain = heal_request(view({failed(900), {}, stale(7), {}}), ec);
  ASSERT_TRUE(plain);
  EXPECT_TRUE(plain->skip.empty());
}

TEST(HealPlan, OnlyATargetOnAnotherDiskRebuildsALostMember) {
  HealPlan catch_up;
  catch_up.targets = {{1, DiskId(4), true, NodeId(2)}, {3, DiskId(9), true, NodeId(5)}};
  EXPECT_FALSE(rebuilds_lost_member(catch_up));
  HealPlan rebuild = catch_up;
  rebuild.targets.push_back({0, DiskId(12), false, NodeId(6)});
  EXPECT_TRUE(rebuilds_lost_member(rebuild));
  EXPECT_FALSE(rebuilds_lost_member(HealPlan{}));
}

TEST(HealRequest, LostGroupIsRebuiltEmptyAtMostMMembersAtATime) {
  const Scheme ec = Scheme::erasure(2, 2);
  GroupView lost = view({failed(9), failed(9), {}, failed(9)});
  EXPECT_EQ(heal_request(lost, ec)->members, (std::vector<MemberState>{kL, kL, kH, kL}));
  lost.lost_rebuild_empty = true;
  std::optional<HealRequest> r = heal_request(lost, ec);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->members, (std::vector<MemberState>{kL, kL, kH, kH}));
  EXPECT_EQ(group_health(r->members, ec), GroupHealth::kDegraded);
  EXPECT_EQ(member_states(lost), (std::vector<MemberState>{kL, kL, kH, kL}));
}

TEST(HealRequests, ReadyOnesInOrderUpToTheLimit) {
  const Scheme r2 = Scheme::replica(2);
  std::vector<GroupView> views = {view({failed(1), {}}, 0), view({{}, {}}, 1), view({stale(2), {}}, 2),
                                  view({{}, failed(3)}, 3)};
  std::vector<HealRequest> all = heal_requests(views, r2, 10);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].group, GroupId(0));
  EXPECT_EQ(all[1].group, GroupId(2));
  EXPECT_EQ(all[2].group, GroupId(3));
  EXPECT_EQ(heal_requests(views, r2, 2).size(), 2u);
  EXPECT_TRUE(heal_requests(views, r2, 0).empty());
}

TEST(HealJobs, AllowedIsTheRoomLeft) {
  EXPECT_EQ(heal_jobs_allowed(0, 8), 8u);
  EXPECT_EQ(heal_jobs_allowed(5, 8), 3u);
  EXPECT_EQ(heal_jobs_allowed(8, 8), 0u);
  EXPECT_EQ(heal_jobs_allowed(9, 8), 0u);
}

// A replica pool across nodes.
PoolMap replica_map(const Topology& t, uint32_t copies, GroupStrategy strategy) {
  PoolSpec spec;
  spec.scheme = Scheme::replica(copies);
  spec.strategy = strategy;
  spec.domain = FailureDomain::kNode;
  spec.member_slots_per_disk = 4;
  Result<PoolMap> map = initial_map(t, spec);
  EXPECT_TRUE(map.is_ok()) << map.status().message();
  return std::move(map).value();
}

// Three groups of replica-2 on six nodes of one disk.
struct ThreeGroups {
  Topology t = Topology::uniform(1, 6, 1, DiskModel{});
  PoolMap map = replica_map(t, 2, GroupStrategy::kFixed);
  DiskId member(uint32_t g, uint32_t i) const { return map.group(GroupId(g)).members[i]; }
  HealPlan rebuild(uint32_t g, uint32_t i) const {
    HealPlan p;
    p.group = GroupId(g);
    p.targets = {{i, DiskId(99), false, NodeId(0)}};
    return p;
  }
  HealPlan catch_up(uint32_t g, uint32_t i) const {
    HealPlan p;
    p.group = GroupId(g);
    p.targets = {{i, member(g, i), true, t.disk(member(g, i)).node}};
    return p;
  }
};

TEST(HealJobs, OneJobPerFailedDiskOrReturningNodeInPlanOrder) {
  ThreeGroups f;
  ASSERT_EQ(f.map.placement.groups.size(), 3u);
  HealPlan mixed = f.catch_up(2, 0);
  mixed.targets.push_back(f.rebuild(2, 1).targets[0]);  // a failed disk wins over the node
  HealPlan empty;
  empty.group = GroupId(1);
  std::vector<HealPlan> plans = {f.catch_up(1, 0), f.rebuild(0, 1), empty, mixed};
  std::vector<HealJob> jobs = heal_jobs(plans, f.map, f.t, 8);
  ASSERT_EQ(jobs.size(), 3u);
  EXPECT_EQ(jobs[0].cause, HealJob::Cause::kReturningNode);
  EXPECT_EQ(jobs[0].node, f.t.disk(f.member(1, 0)).node);
  EXPECT_EQ(jobs[1].cause, HealJob::Cause::kFailedDisk);
  EXPECT_EQ(jobs[1].disk, f.member(0, 1));
  EXPECT_EQ(jobs[2].cause, HealJob::Cause::kFailedDisk);
  EXPECT_EQ(jobs[2].disk, f.member(2, 1));
  for (const HealJob& job : jobs) EXPECT_EQ(job.plans.size(), 1u);

  std::vector<HealJob> cut = heal_jobs(plans, f.map, f.t, 1);
  ASSERT_EQ(cut.size(), 1u);
  EXPECT_EQ(cut[0].cause, HealJob::Cause::kReturningNode);
  EXPECT_TRUE(heal_jobs(plans, f.map, f.t, 0).empty());
}

TEST(HealJobs, PlansOfOneCauseShareAJob) {
  ThreeGroups f;
  // Two plans whose lowest rebuilt disk is the same: one job, plan order kept.
  HealPlan a = f.rebuild(0, 1), b = f.rebuild(0, 1);
  b.group = GroupId(0);
  b.member_bytes = 7;
  std::vector<HealJob> jobs = heal_jobs({a, f.catch_up(1, 1), b}, f.map, f.t, 8);
  ASSERT_EQ(jobs.size(), 2u);
  ASSERT_EQ(jobs[0].plans.size(), 2u);
  EXPECT_EQ(jobs[0].plans[1].member_bytes, 7u);
}

TEST(HealFreeBytes, FixedPoolsOfferSparesOnlyAndNothingOnBadDisks) {
  Topology t = Topology::uniform(1, 4, 2, DiskModel{});
  PoolMap map = replica_map(t, 3, GroupStrategy::kFixed);
  ASSERT_EQ(map.placement.spares.size(), 2u);
  std::vector<DiskId> room = heal_room_disks(map, t);
  std::vector<DiskId> spares = map.placement.spares;
  std::sort(spares.begin(), spares.end());
  EXPECT_EQ(room, spares);
  const uint64_t capacity = t.disk(DiskId(0)).model.capacity_bytes;
  std::vector<DiskUse> use(room.size(), DiskUse{1000.5, false, false});
  std::vector<uint64_t> free = heal_free_bytes(map, t, use);
  ASSERT_EQ(free.size(), t.disk_id_bound());
  for (uint32_t d = 0; d < t.disk_id_bound(); ++d) {
    bool spare = std::count(room.begin(), room.end(), DiskId(d)) > 0;
    EXPECT_EQ(free[d], spare ? capacity - 1001 : 0u) << "disk " << d;
  }
  use[0].failed = true;
  use[1] = DiskUse{static_cast<double>(capacity) * 2, false, false};  // over full
  free = heal_free_bytes(map, t, use);
  EXPECT_EQ(free[room[0].value], 0u);
  EXPECT_EQ(free[room[1].value], 0u);
}

TEST(HealFreeBytes, DeclusteredPoolsOfferEveryLiveDisk) {
  Topology t = Topology::uniform(1, 4, 2, DiskModel{});
  PoolMap map = replica_map(t, 3, GroupStrategy::kDeclustered);
  const uint64_t capacity = t.disk(DiskId(0)).model.capacity_bytes;
  ASSERT_EQ(heal_room_disks(map, t).size(), t.disk_id_bound());
  std::vector<DiskUse> use(t.disk_id_bound());
  use[1].down = true;
  use[2].failed = true;
  t.retire_disk(DiskId(3));
  std::vector<uint64_t> free = heal_free_bytes(map, t, use);
  EXPECT_EQ(free[0], capacity);
  EXPECT_EQ(free[1], 0u);
  EXPECT_EQ(free[2], 0u);
  EXPECT_EQ(free[3], 0u);
  EXPECT_EQ(free[4], capacity);
}

}  // namespace
}  // namespace cairn
