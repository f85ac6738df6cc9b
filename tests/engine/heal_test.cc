// Heal planning: priority order, stale members rebuilt in place, unrecoverable
// groups, spares that do not fit, capacity, read spreading, and the
// failure-domain invariant of every target over many random loss patterns.
#include "engine/heal.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/random.h"

namespace cairn {
namespace {

constexpr uint64_t kMb = 1'000'000;

// The seed for the randomised tests; printed so a failure can be replayed.
uint64_t test_seed() {
  static const uint64_t seed = [] {
    const char* env = std::getenv("CAIRN_TEST_SEED");
    uint64_t s = env != nullptr ? std::strtoull(env, nullptr, 0) : 0x4EA15EEDULL;
    std::cout << "heal_test seed=" << s << " (replay with CAIRN_TEST_SEED=" << s << ")\n";
    return s;
  }();
  return seed;
}

PoolSpec spec_of(Scheme scheme, GroupStrategy strategy,
                 FailureDomain domain = FailureDomain::kNode) {
  PoolSpec spec;
  spec.scheme = scheme;
  spec.strategy = strategy;
  spec.domain = domain;
  spec.member_slots_per_disk = 20;
  spec.seed = 7;
  return spec;
}

PoolMap map_of(const Topology& t, const PoolSpec& spec) {
  Result<PoolMap> map = initial_map(t, spec);
  EXPECT_TRUE(map.is_ok()) << map.status().message();
  return std::move(map).value();
}

std::vector<uint64_t> free_all(const Topology& t, uint64_t bytes) {
  return std::vector<uint64_t>(t.disk_id_bound(), bytes);
}

HealRequest request(const PoolMap& map, uint32_t group, uint64_t bytes,
                    std::vector<std::pair<uint32_t, MemberState>> changes) {
  HealRequest r{GroupId(group), std::vector<MemberState>(map.spec.scheme.width()), bytes, {}};
  for (auto [member, state] : changes) r.members[member] = state;
  return r;
}

std::vector<HealPlan> plan(const PoolMap& map, const Topology& t,
                           const std::vector<HealRequest>& requests,
                           const std::vector<uint64_t>& free) {
  Result<std::vector<HealPlan>> plans = plan_heals(map, t, requests, free);
  EXPECT_TRUE(plans.is_ok()) << plans.status().message();
  return plans.is_ok() ? std::move(plans).value() : std::vector<HealPlan>{};
}

constexpr MemberState kS = MemberState::kStale;
constexpr MemberState kL = MemberState::kLost;

// A request for every group with members on retired disks, those marked lost.
std::vector<HealRequest> lost_on_retired(const PoolMap& map, const Topology& t) {
  std::vector<HealRequest> requests;
  for (uint32_t g = 0; g < map.placement.groups.size(); ++g) {
    HealRequest r = request(map, g, kMb, {});
    for (uint32_t i = 0; i < r.members.size(); ++i)
      if (t.disk(map.group(GroupId(g)).members[i]).retired) r.members[i] = kL;
    if (std::count(r.members.begin(), r.members.end(), kL) > 0) requests.push_back(r);
  }
  return requests;
}

TEST(HealPlan, OrdersByRedundancyLeftThenBytesThenGroup) {
  Topology t = Topology::uniform(3, 66, 1, {});
  PoolMap map = map_of(t, spec_of(Scheme::erasure(8, 3), GroupStrategy::kFixed));
  ASSERT_EQ(map.placement.groups.size(), 6u);
  std::vector<HealRequest> requests = {
      request(map, 0, 100, {{0, kL}}),                           // 2 left
      request(map, 2, 10, {{1, kL}, {4, kL}}),                   // 1 left, small
      request(map, 4, 20, {{0, kS}, {9, kS}}),                   // 1 left, large
      request(map, 1, 5, {{0, kL}, {1, kL}, {2, kS}}),           // 0 left
      request(map, 3, 20, {{2, kS}, {3, kL}}),                   // 1 left, large
      request(map, 5, 1, {{0, kL}, {1, kL}, {2, kL}, {3, kL}}),  // lost
  };
  std::vector<HealPlan> plans = plan(map, t, requests, free_all(t, 0));
  std::vector<uint32_t> order;
  for (const HealPlan& p : plans) order.push_back(p.group.value);
  EXPECT_EQ(order, (std::vector<uint32_t>{5, 1, 3, 4, 2, 0}));
  ASSERT_EQ(plans.size(), 6u);
  EXPECT_EQ(plans[1].redundancy_left, 0u);
  EXPECT_EQ(plans[2].redundancy_left, 1u);
  EXPECT_EQ(plans[5].redundancy_left, 2u);
}

TEST(HealPlan, BeyondToleranceIsNotRecoverableAndCostsNothing) {
  Topology t = Topology::uniform(3, 12, 1, {});
  PoolMap map = map_of(t, spec_of(Scheme::erasure(8, 3), GroupStrategy::kFixed));
  std::vector<HealPlan> plans = plan(
      map, t, {request(map, 0, kMb, {{0, kL}, {3, kS}, {5, kL}, {7, kL}, {10, kL}})}, free_all(t, kMb));
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].health, GroupHealth::kLost);
  EXPECT_FALSE(plans[0].recoverable);
  EXPECT_EQ(plans[0].redundancy_left, 0u);
  EXPECT_TRUE(plans[0].targets.empty());
  EXPECT_TRUE(plans[0].source_members.empty());
  EXPECT_EQ(plans[0].read_bytes, 0u);
  EXPECT_EQ(plans[0].write_bytes, 0u);
  EXPECT_EQ(apply_heal(map, plans[0]).epoch(), map.epoch());
}

TEST(HealPlan, StaleMemberIsRebuiltInPlaceFromKHealthyMembers) {
  Topology t = Topology::uniform(4, 12, 2, {});
  PoolMap map = map_of(t, spec_of(Scheme::erasure(8, 3), GroupStrategy::kDeclustered));
  // No free space anywhere: an in-place rebuild needs none.
  std::vector<HealPlan> plans = plan(map, t, {request(map, 3, 2 * kMb, {{4, kS}})}, free_all(t, 0));
  ASSERT_EQ(plans.size(), 1u);
  const HealPlan& p = plans[0];
  EXPECT_TRUE(p.recoverable);
  EXPECT_EQ(p.redundancy_left, 2u);
  ASSERT_EQ(p.targets.size(), 1u);
  EXPECT_EQ(p.targets[0].member, 4u);
  EXPECT_TRUE(p.targets[0].in_place);
  EXPECT_EQ(p.targets[0].disk, map.group(GroupId(3)).members[4]);
  EXPECT_EQ(p.source_members.size(), 8u);
  EXPECT_EQ(std::count(p.source_members.begin(), p.source_members.end(), 4u), 0);
  EXPECT_EQ(p.read_bytes, 8 * 2 * kMb);
  EXPECT_EQ(p.write_bytes, 2 * kMb);
  EXPECT_EQ(apply_heal(map, p).epoch(), map.epoch());  // membership unchanged
}

// Beside a running rebuild of member 0, member 4 catches up: the skipped
// lost member gets no target and is never read, and the group's health still
// counts it (one redundancy left, not two).
TEST(HealPlan, SkippedMembersGetNoTargetAndAreNotRead) {
  Topology t = Topology::uniform(4, 12, 2, {});
  PoolMap map = map_of(t, spec_of(Scheme::erasure(8, 3), GroupStrategy::kDeclustered));
  HealRequest r = request(map, 3, kMb, {{0, kL}, {4, kS}});
  r.skip = std::vector<bool>(r.members.size(), false);
  r.skip[0] = true;
  std::vector<HealPlan> plans = plan(map, t, {r}, free_all(t, 10 * kMb));
  ASSERT_EQ(plans.size(), 1u);
  const HealPlan& p = plans[0];
  EXPECT_EQ(p.redundancy_left, 1u);
  ASSERT_EQ(p.targets.size(), 1u);
  EXPECT_EQ(p.targets[0].member, 4u);
  EXPECT_TRUE(p.targets[0].in_place);
  EXPECT_EQ(std::count(p.source_members.begin(), p.source_members.end(), 0u), 0);
  EXPECT_EQ(std::count(p.source_members.begin(), p.source_members.end(), 4u), 0);
  // A skip list of the wrong size is refused.
  r.skip.resize(3);
  EXPECT_FALSE(plan_heals(map, t, std::vector<HealRequest>{r}, free_all(t, 10 * kMb)).is_ok());
}

// m members lost and one stale: the writes the stale member missed are on
// fewer than k members and gone, but the older data is on the k healthy and
// stale members. The group heals its lost members from those; the stale
// member is a source, not rebuilt (nothing is left to catch it up from).
TEST(HealPlan, MLostAndOneStaleHealsTheLostMembersFromHealthyAndStale) {
  Topology t = Topology::uniform(3, 6, 2, {});
  PoolMap map = map_of(t, spec_of(Scheme::erasure(2, 2), GroupStrategy::kDeclustered));
  std::vector<HealPlan> plans =
      plan(map, t, {request(map, 0, kMb, {{0, kL}, {1, kS}, {3, kL}})}, free_all(t, 10 * kMb));
  ASSERT_EQ(plans.size(), 1u);
  const HealPlan& p = plans[0];
  EXPECT_EQ(p.health, GroupHealth::kMissedWritesLost);
  EXPECT_TRUE(p.recoverable);
  EXPECT_EQ(p.redundancy_left, 0u);
  EXPECT_EQ(p.source_members, (std::vector<uint32_t>{1, 2}));
  ASSERT_EQ(p.targets.size(), 2u);
  EXPECT_EQ(p.targets[0].member, 0u);
  EXPECT_EQ(p.targets[1].member, 3u);
  EXPECT_FALSE(p.targets[0].in_place);
  EXPECT_FALSE(p.targets[1].in_place);
  EXPECT_TRUE(p.unplaced_members.empty());
  EXPECT_EQ(p.read_bytes, 2 * kMb);
  EXPECT_EQ(p.write_bytes, 2 * kMb);
  PoolMap healed = apply_heal(map, p);
  EXPECT_EQ(healed.group(GroupId(0)).members[1], map.group(GroupId(0)).members[1]);
  EXPECT_NE(healed.group(GroupId(0)).members[0], map.group(GroupId(0)).members[0]);
}

// With no member lost, stale members beyond m leave nothing to rebuild: the
// plan is recoverable and empty (the caller writes the missed writes off).
TEST(HealPlan, StaleBeyondToleranceWithNothingLostPlansNoTarget) {
  Topology t = Topology::uniform(3, 12, 1, {});
  PoolMap map = map_of(t, spec_of(Scheme::erasure(2, 1), GroupStrategy::kFixed));
  std::vector<HealPlan> plans = plan(map, t, {request(map, 0, kMb, {{0, kS}, {2, kS}})}, free_all(t, kMb));
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].health, GroupHealth::kMissedWritesLost);
  EXPECT_TRUE(plans[0].recoverable);
  EXPECT_TRUE(plans[0].targets.empty());
  EXPECT_EQ(plans[0].read_bytes, 0u);
}

// Every target is decoded (or copied) at its own node: a rebuild pulls the
// sources to the target's node, a stale member catches up on its own.
TEST(HealPlan, DecodeNodeIsTheTargetsNode) {
  Topology t = Topology::uniform(3, 9, 2, {});
  PoolMap map = map_of(t, spec_of(Scheme::erasure(4, 2), GroupStrategy::kDeclustered));
  std::vector<HealPlan> plans =
      plan(map, t, {request(map, 1, kMb, {{0, kL}, {5, kS}})}, free_all(t, 10 * kMb));
  ASSERT_EQ(plans.size(), 1u);
  ASSERT_EQ(plans[0].targets.size(), 2u);
  const HealPlan::Target& moved = plans[0].targets[0];
  const HealPlan::Target& stale = plans[0].targets[1];
  EXPECT_FALSE(moved.in_place);
  EXPECT_EQ(moved.decode_node, t.disk(moved.disk).node);
  for (DiskId source : plans[0].source_disks) EXPECT_NE(moved.decode_node, t.disk(source).node);
  EXPECT_TRUE(stale.in_place);
  EXPECT_EQ(stale.decode_node, t.disk(map.group(GroupId(1)).members[5]).node);
}

TEST(HealPlan, ReplicaReadsOneMemberForAllTargets) {
  Topology t = Topology::uniform(3, 9, 2, {});
  PoolMap map = map_of(t, spec_of(Scheme::replica(3), GroupStrategy::kDeclustered));
  std::vector<HealPlan> plans =
      plan(map, t, {request(map, 0, kMb, {{0, kL}, {2, kS}})}, free_all(t, 10 * kMb));
  ASSERT_EQ(plans.size(), 1u);
  EXPECT_EQ(plans[0].source_members, (std::vector<uint32_t>{1}));
  EXPECT_EQ(plans[0].targets.size(), 2u);
  EXPECT_EQ(plans[0].read_bytes, kMb);
  EXPECT_EQ(plans[0].write_bytes, 2 * kMb);
}

// 11 racks of one disk each, plus a twelfth disk in rack 0: one ec:8+3 group
// across the racks and one spare that shares rack 0 with a member.
struct RackSpare {
  Topology t = Topology::uniform(11, 11, 1, {});
  PoolMap map;
  uint32_t rack0_member = 0;
  RackSpare() {
    std::vector<DiskModel> one(1);
    t.add_node(RackId(0), one);
    map = map_of(t, spec_of(Scheme::erasure(8, 3), GroupStrategy::kFixed, FailureDomain::kRack));
    const auto& members = map.group(GroupId(0)).members;
    while (t.disk(members[rack0_member]).rack != RackId(0)) ++rack0_member;
  }
};

TEST(HealPlan, FixedSpareInAUsedDomainIsNeverATarget) {
  RackSpare s;
  ASSERT_EQ(s.map.placement.spares.size(), 1u);
  uint32_t other = s.rack0_member == 0 ? 1 : 0;
  std::vector<HealPlan> plans =
      plan(s.map, s.t, {request(s.map, 0, kMb, {{other, kL}})}, free_all(s.t, 10 * kMb));
  EXPECT_TRUE(plans[0].targets.empty());
  EXPECT_EQ(plans[0].unplaced_members, (std::vector<uint32_t>{other}));
  EXPECT_EQ(plans[0].read_bytes, 0u);
  EXPECT_TRUE(plans[0].source_members.empty());
  // Once the rack-0 member is lost too, the spare may take that one only.
  plans = plan(s.map, s.t, {request(s.map, 0, kMb, {{other, kL}, {s.rack0_member, kL}})},
               free_all(s.t, 10 * kMb));
  ASSERT_EQ(plans[0].targets.size(), 1u);
  EXPECT_EQ(plans[0].targets[0].member, s.rack0_member);
  EXPECT_EQ(plans[0].targets[0].disk, s.map.placement.spares[0]);
  EXPECT_EQ(plans[0].unplaced_members, (std::vector<uint32_t>{other}));
}

TEST(HealPlan, FixedSpareWithoutRoomOrNoSpareLeavesTheMemberUnplaced) {
  RackSpare s;
  std::vector<uint64_t> free = free_all(s.t, 10 * kMb);
  free[s.map.placement.spares[0].value] = kMb - 1;
  std::vector<HealPlan> plans =
      plan(s.map, s.t, {request(s.map, 0, kMb, {{s.rack0_member, kL}})}, free);
  EXPECT_TRUE(plans[0].targets.empty());
  EXPECT_EQ(plans[0].unplaced_members, (std::vector<uint32_t>{s.rack0_member}));

  Topology exact = Topology::uniform(3, 22, 1, {});  // two groups, no spare
  PoolMap map = map_of(exact, spec_of(Scheme::erasure(8, 3), GroupStrategy::kFixed));
  ASSERT_TRUE(map.placement.spares.empty());
  plans = plan(map, exact, {request(map, 1, kMb, {{2, kL}})}, free_all(exact, 10 * kMb));
  EXPECT_EQ(plans[0].unplaced_members, (std::vector<uint32_t>{2}));
}

TEST(HealPlan, FixedSpareServesOneGroupOfTheBatch) {
  Topology t = Topology::uniform(3, 23, 1, {});  // two groups, one spare
  PoolMap map = map_of(t, spec_of(Scheme::erasure(8, 3), GroupStrategy::kFixed));
  ASSERT_EQ(map.placement.spares.size(), 1u);
  std::vector<HealPlan> plans =
      plan(map, t, {request(map, 0, kMb, {{1, kL}}), request(map, 1, kMb, {{1, kL}, {2, kS}})},
           free_all(t, 100 * kMb));
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[0].group, GroupId(1));  // less redundancy left: first pick
  EXPECT_EQ(plans[0].targets.size(), 2u);
  EXPECT_EQ(plans[1].unplaced_members, (std::vector<uint32_t>{1}));
  PoolMap healed = apply_heals(map, plans);
  EXPECT_TRUE(healed.placement.spares.empty());
  EXPECT_EQ(healed.group(GroupId(1)).members[1], map.placement.spares[0]);
  EXPECT_EQ(healed.epoch(), map.epoch() + 1);
}

TEST(HealPlan, DeclusteredTargetHasTheMostFreeSpaceAndCapacityHolds) {
  Topology t = Topology::uniform(4, 12, 2, {});
  PoolMap map = map_of(t, spec_of(Scheme::erasure(4, 2), GroupStrategy::kDeclustered));
  SplitMix64 rng(test_seed());
  std::vector<uint64_t> free(t.disk_id_bound());
  for (uint64_t& f : free) f = rng.below(3) * kMb;  // each disk takes 0, 1 or 2 members
  t.retire_node(NodeId(5));
  std::vector<HealRequest> requests = lost_on_retired(map, t);
  ASSERT_GT(requests.size(), 10u);
  std::vector<uint64_t> written(t.disk_id_bound(), 0);
  uint64_t unplaced = 0;
  for (const HealPlan& p : plan(map, t, requests, free)) {
    for (const HealPlan::Target& target : p.targets) written[target.disk.value] += kMb;
    unplaced += p.unplaced_members.size();
  }
  for (uint32_t d = 0; d < t.disk_id_bound(); ++d) EXPECT_LE(written[d], free[d]) << "disk " << d;
  EXPECT_GT(unplaced, 0u);  // the capacity really binds in this test

  // One group, one loss: the eligible disk with the most free space wins.
  std::vector<uint64_t> ramp(t.disk_id_bound());
  for (uint32_t d = 0; d < ramp.size(); ++d) ramp[d] = (1 + (d * 7) % 13) * kMb;
  HealPlan one = plan(map, t, {requests[0]}, ramp)[0];
  ASSERT_EQ(one.targets.size(), 1u);
  const Group& g = map.group(requests[0].group);
  std::set<uint32_t> used;
  for (uint32_t i = 0; i < g.members.size(); ++i)
    if (i != one.targets[0].member) used.insert(t.domain_of(g.members[i], FailureDomain::kNode));
  for (DiskId d : pool_disks(t, map.spec)) {
    if (used.count(t.domain_of(d, FailureDomain::kNode))) continue;
    EXPECT_LE(ramp[d.value], ramp[one.targets[0].disk.value]) << "disk " << d.value;
  }
}

TEST(HealPlan, DomainOfARetiredDiskIsFreeForOtherMembers) {
  // Member a's disk failed but is not retired yet (its node stays reserved);
  // member b's disk is retired, so b's node holds nothing of the group. The
  // only free space is on b's node: a may go there.
  Topology t = Topology::uniform(3, 9, 2, {});
  PoolMap map = map_of(t, spec_of(Scheme::erasure(4, 2), GroupStrategy::kDeclustered));
  const std::vector<DiskId>& members = map.group(GroupId(0)).members;
  DiskId gone = members[1];
  t.retire_disk(gone);
  std::vector<uint64_t> free = free_all(t, 0);
  for (DiskId d : t.node(t.disk(gone).node).disks) free[d.value] = kMb;
  std::vector<HealPlan> plans = plan(map, t, {request(map, 0, kMb, {{0, kL}, {1, kL}})}, free);
  ASSERT_EQ(plans[0].targets.size(), 1u);
  EXPECT_EQ(plans[0].targets[0].member, 0u);
  EXPECT_EQ(t.disk(plans[0].targets[0].disk).node, t.disk(gone).node);
  EXPECT_EQ(plans[0].unplaced_members, (std::vector<uint32_t>{1}));
}

TEST(HealPlan, SpreadsSourceReadsOverHealthyMembers) {
  Topology t = Topology::uniform(3, 9, 2, {});
  PoolMap map = map_of(t, spec_of(Scheme::replica(3), GroupStrategy::kDeclustered));
  std::vector<HealRequest> requests;
  for (uint32_t g = 0; g < map.placement.groups.size(); ++g)
    requests.push_back(request(map, g, kMb, {{2, kL}}));
  std::vector<uint64_t> load(t.disk_id_bound(), 0), naive(t.disk_id_bound(), 0);
  std::set<uint32_t> members_used;
  for (const HealPlan& p : plan(map, t, requests, free_all(t, 1000 * kMb))) {
    ASSERT_EQ(p.source_disks.size(), 1u);
    load[p.source_disks[0].value] += kMb;
    naive[map.group(p.group).members[0].value] += kMb;
    members_used.insert(p.source_members[0]);
  }
  EXPECT_EQ(members_used, (std::set<uint32_t>{0, 1}));
  EXPECT_LT(*std::max_element(load.begin(), load.end()),
            *std::max_element(naive.begin(), naive.end()));
}

TEST(HealPlan, RejectsMalformedRequests) {
  Topology t = Topology::uniform(3, 12, 1, {});
  PoolMap map = map_of(t, spec_of(Scheme::erasure(8, 3), GroupStrategy::kFixed));
  std::vector<uint64_t> free = free_all(t, kMb);
  HealRequest good = request(map, 0, kMb, {{0, kL}});
  HealRequest short_one = good;
  short_one.members.pop_back();
  HealRequest unknown = good;
  unknown.group = GroupId(9);
  std::vector<std::vector<HealRequest>> bad = {{short_one}, {unknown}, {good, good}};
  for (const auto& requests : bad)
    EXPECT_EQ(plan_heals(map, t, requests, free).status().code(), StatusCode::kInvalidArgument);
  std::vector<HealRequest> one = {good};
  EXPECT_EQ(plan_heals(map, t, one, std::vector<uint64_t>(free.begin(), free.begin() + 3)).status().code(),
            StatusCode::kInvalidArgument);
  t.retire_disk(map.group(GroupId(0)).members[1]);  // retired, yet called healthy
  EXPECT_EQ(plan_heals(map, t, one, free).status().code(), StatusCode::kInvalidArgument);
}

TEST(HealPlan, HealedMapHasNoViolationsAfterANodeIsLost) {
  for (GroupStrategy strategy : {GroupStrategy::kFixed, GroupStrategy::kDeclustered}) {
    SCOPED_TRACE(to_string(strategy));
    Topology t = Topology::uniform(4, 16, 2, {});
    PoolMap map = map_of(t, spec_of(Scheme::erasure(8, 3), strategy));
    t.retire_node(NodeId(0));
    std::vector<HealRequest> requests = lost_on_retired(map, t);
    ASSERT_GT(count_violations(map.placement, t, map.spec), 0u);
    std::vector<HealPlan> plans = plan(map, t, requests, free_all(t, 1000 * kMb));
    for (const HealPlan& p : plans) EXPECT_TRUE(p.unplaced_members.empty());
    PoolMap healed = apply_heals(map, plans);
    EXPECT_EQ(count_violations(healed.placement, t, healed.spec), 0u);
    EXPECT_EQ(healed.epoch(), map.epoch() + 1);
    EXPECT_EQ(healed.layout.slot_group, map.layout.slot_group);
  }
}

// ---- property: the failure-domain invariant over random loss patterns ----

struct Config {
  const char* name;
  uint32_t racks, nodes, disks_per_node;
  Scheme scheme;
  GroupStrategy strategy;
  FailureDomain domain;
};

// Checks one plan against its request and the rules in heal.h; adds the
// plan's writes to `charged` (by disk id) and spares it used to `spares_used`.
void check_plan(const PoolMap& map, const Topology& t, const HealRequest& r, const HealPlan& p,
                std::vector<uint64_t>& charged, std::set<DiskId>& spares_used) {
  const Scheme& scheme = map.spec.scheme;
  const std::vector<DiskId>& original = map.group(r.group).members;
  const auto lost = static_cast<uint32_t>(std::count(r.members.begin(), r.members.end(), kL));
  const auto stale = static_cast<uint32_t>(std::count(r.members.begin(), r.members.end(), kS));
  ASSERT_EQ(p.recoverable, lost <= scheme.m);
  if (!p.recoverable) {
    EXPECT_TRUE(p.targets.empty() && p.source_members.empty() && p.read_bytes == 0);
    return;
  }
  // Beyond m, stale members' missed writes are written off: they are read, not rebuilt.
  const bool stale_readable = lost + stale > scheme.m;
  EXPECT_EQ(p.targets.size() + p.unplaced_members.size(), stale_readable ? lost : lost + stale);
  std::vector<DiskId> after = original;
  for (const HealPlan::Target& target : p.targets) {
    ASSERT_NE(r.members[target.member], MemberState::kHealthy);
    EXPECT_EQ(target.in_place, r.members[target.member] == kS);
    EXPECT_EQ(target.decode_node, t.disk(target.disk).node);
    if (target.in_place) {
      EXPECT_EQ(target.disk, original[target.member]);
      continue;
    }
    EXPECT_FALSE(t.disk(target.disk).retired);
    EXPECT_EQ(std::count(original.begin(), original.end(), target.disk), 0);
    if (map.spec.strategy == GroupStrategy::kFixed) {
      EXPECT_EQ(std::count(map.placement.spares.begin(), map.placement.spares.end(), target.disk),
                1);
      EXPECT_TRUE(spares_used.insert(target.disk).second) << "spare used twice";
    }
    after[target.member] = target.disk;
    charged[target.disk.value] += r.member_bytes;
  }
  for (uint32_t m : p.unplaced_members) EXPECT_EQ(r.members[m], kL);
  std::set<uint32_t> domains;
  for (DiskId d : after) {
    if (t.disk(d).retired) continue;
    EXPECT_TRUE(domains.insert(t.domain_of(d, map.spec.domain)).second)
        << "group " << r.group.value << " has two members in one " << to_string(map.spec.domain);
  }
  uint64_t sources = p.targets.empty() ? 0 : scheme.data_members();
  ASSERT_EQ(p.source_members.size(), sources);
  for (size_t i = 0; i < p.source_members.size(); ++i) {
    MemberState source = r.members[p.source_members[i]];
    EXPECT_TRUE(source == MemberState::kHealthy || (stale_readable && source == kS));
    EXPECT_EQ(p.source_disks[i], original[p.source_members[i]]);
  }
  EXPECT_EQ(p.read_bytes, sources * r.member_bytes);
  EXPECT_EQ(p.write_bytes, p.targets.size() * r.member_bytes);
}

// A random loss pattern: some disks fail (half of them also retired, sometimes
// a whole node), some members go stale; free space from none to ample.
std::vector<HealRequest> random_losses(const PoolMap& map, Topology& t, SplitMix64& rng) {
  std::vector<DiskId> disks = pool_disks(t, map.spec);
  std::set<DiskId> failed;
  for (uint64_t n = 1 + rng.below(4); n > 0; --n) failed.insert(disks[rng.below(disks.size())]);
  if (rng.below(4) == 0) t.retire_node(t.disk(*failed.begin()).node);
  for (DiskId d : failed)
    if (rng.below(2) == 0) t.retire_disk(d);
  std::vector<HealRequest> requests;
  for (uint32_t g = 0; g < map.placement.groups.size(); ++g) {
    HealRequest r = request(map, g, kMb * (1 + rng.below(3)), {});
    const Group& group = map.group(GroupId(g));
    for (uint32_t i = 0; i < r.members.size(); ++i) {
      if (failed.count(group.members[i]) || t.disk(group.members[i]).retired)
        r.members[i] = kL;
      else if (rng.below(16) == 0)
        r.members[i] = kS;
    }
    if (std::count(r.members.begin(), r.members.end(), MemberState::kHealthy) <
        static_cast<std::ptrdiff_t>(r.members.size()))
      requests.push_back(r);
  }
  return requests;
}

TEST(HealPlan, PropertyTargetsNeverShareAFailureDomain) {
  const Config configs[] = {
      {"ec8+3 fixed node", 4, 16, 2, Scheme::erasure(8, 3), GroupStrategy::kFixed,
       FailureDomain::kNode},
      {"ec8+3 fixed rack", 12, 24, 1, Scheme::erasure(8, 3), GroupStrategy::kFixed,
       FailureDomain::kRack},
      {"replica3 fixed node", 3, 7, 2, Scheme::replica(3), GroupStrategy::kFixed,
       FailureDomain::kNode},
      {"ec8+3 declustered node", 4, 14, 2, Scheme::erasure(8, 3), GroupStrategy::kDeclustered,
       FailureDomain::kNode},
      {"ec8+3 declustered rack", 12, 13, 2, Scheme::erasure(8, 3), GroupStrategy::kDeclustered,
       FailureDomain::kRack},
      {"replica3 declustered node", 3, 9, 3, Scheme::replica(3), GroupStrategy::kDeclustered,
       FailureDomain::kNode},
      {"replica3 declustered disk", 1, 3, 4, Scheme::replica(3), GroupStrategy::kDeclustered,
       FailureDomain::kDisk},
  };
  for (const Config& c : configs) {
    Topology base = Topology::uniform(c.racks, c.nodes, c.disks_per_node, {});
    PoolMap map = map_of(base, spec_of(c.scheme, c.strategy, c.domain));
    uint64_t placed = 0, unplaced = 0;
    for (uint64_t i = 0; i < 60; ++i) {
      uint64_t seed = mix64(test_seed() + i);
      SCOPED_TRACE(std::string(c.name) + " loss seed " + std::to_string(seed));
      SplitMix64 rng(seed);
      Topology t = base;
      std::vector<HealRequest> requests = random_losses(map, t, rng);
      std::vector<uint64_t> free(t.disk_id_bound());
      bool scarce = rng.below(2) == 0;
      for (uint64_t& f : free) f = scarce ? rng.below(4) * kMb : 1000 * kMb;
      std::vector<HealPlan> plans = plan(map, t, requests, free);
      ASSERT_EQ(plans.size(), requests.size());
      std::vector<uint64_t> charged(t.disk_id_bound(), 0);
      std::set<DiskId> spares_used;
      for (const HealPlan& p : plans) {
        auto r = std::find_if(requests.begin(), requests.end(),
                              [&](const HealRequest& q) { return q.group == p.group; });
        ASSERT_NE(r, requests.end());
        check_plan(map, t, *r, p, charged, spares_used);
        placed += p.targets.size();
        unplaced += p.unplaced_members.size();
      }
      for (uint32_t d = 0; d < t.disk_id_bound(); ++d) EXPECT_LE(charged[d], free[d]);
      PoolMap healed = apply_heals(map, plans);
      uint32_t still_on_retired = 0;
      for (const Group& g : healed.placement.groups)
        still_on_retired += std::any_of(g.members.begin(), g.members.end(),
                                        [&](DiskId d) { return t.disk(d).retired; });
      EXPECT_EQ(count_violations(healed.placement, t, healed.spec), still_on_retired);
    }
    EXPECT_GT(placed, 0u) << c.name;
    EXPECT_GT(unplaced, 0u) << c.name;
  }
}

}  // namespace
}  // namespace cairn

namespace cairn {
namespace {

TEST(ReserveRunningTargets, FixedSparesAreExclusiveOtherDisksLoseTheBytes) {
  Topology t = Topology::uniform(4, 24, 12, DiskModel{});
  PoolSpec spec{Scheme::erasure(8, 3), FailureDomain::kNode, GroupStrategy::kFixed, DeviceClass::kHdd, 100, 1};
  auto map = initial_map(t, spec);
  ASSERT_TRUE(map);
  HealPlan running;
  running.member_bytes = 40;
  running.targets = {{2, DiskId(7), false, NodeId(0)}, {3, DiskId(9), true, NodeId(1)}};
  std::vector<uint64_t> free(t.disk_id_bound(), 100);
  reserve_running_targets(*map, std::span<const HealPlan>(&running, 1), free);
  EXPECT_EQ(free[7], 0u);    // a spare being written serves no one else
  EXPECT_EQ(free[9], 100u);  // in place: no new room taken
  PoolMap declustered = *map;
  declustered.spec.strategy = GroupStrategy::kDeclustered;
  std::fill(free.begin(), free.end(), 100);
  reserve_running_targets(declustered, std::span<const HealPlan>(&running, 1), free);
  EXPECT_EQ(free[7], 60u);
}

}  // namespace
}  // namespace cairn
