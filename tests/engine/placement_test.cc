#include "engine/placement.h"

#include <gtest/gtest.h>

#include <set>

#include "engine/pool_map.h"
#include "engine/random.h"

namespace cairn {
namespace {

PoolSpec spec_of(const char* scheme, FailureDomain domain, GroupStrategy strategy,
                 uint64_t seed = 1) {
  return {*Scheme::parse(scheme), domain, strategy, DeviceClass::kHdd, 100, seed};
}

// Golden: the groups of a small fixed pool are part of the format (a cluster
// must find its files after a restart with the same inputs).
TEST(Placement, FixedGolden) {
  Topology t = Topology::uniform(3, 12, 2, DiskModel{});
  auto p = form_fixed(t, spec_of("ec:4+2", FailureDomain::kNode, GroupStrategy::kFixed, 7));
  ASSERT_TRUE(p);
  const std::vector<std::vector<uint32_t>> golden = {
      {23, 2, 17, 5, 12, 0}, {6, 20, 15, 19, 9, 10}, {8, 18, 1, 4, 7, 3}, {22, 14, 16, 21, 13, 11}};
  ASSERT_EQ(p->groups.size(), golden.size());
  for (size_t g = 0; g < golden.size(); ++g) {
    std::vector<uint32_t> members;
    for (DiskId d : p->groups[g].members) members.push_back(d.value);
    EXPECT_EQ(members, golden[g]) << "group " << g;
  }
  EXPECT_TRUE(p->spares.empty());
}

TEST(Placement, DeclusteredGolden) {
  Topology t = Topology::uniform(3, 12, 2, DiskModel{});
  PoolSpec spec = spec_of("ec:4+2", FailureDomain::kNode, GroupStrategy::kDeclustered, 7);
  spec.member_slots_per_disk = 6;
  auto p = form_declustered(t, spec);
  ASSERT_TRUE(p);
  ASSERT_EQ(p->groups.size(), 24u);
  const std::vector<std::vector<uint32_t>> golden = {
      {3, 19, 14, 10, 17, 6}, {4, 22, 9, 12, 1, 21}, {18, 11, 0, 8, 7, 13}};
  for (size_t g = 0; g < golden.size(); ++g) {
    std::vector<uint32_t> members;
    for (DiskId d : p->groups[g].members) members.push_back(d.value);
    EXPECT_EQ(members, golden[g]) << "group " << g;
  }
}

TEST(Placement, FixedLeavesSparesAndUsesEachDiskOnce) {
  Topology t = Topology::uniform(4, 24, 12, DiskModel{});
  auto p = form_fixed(t, spec_of("ec:8+3", FailureDomain::kNode, GroupStrategy::kFixed));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->groups.size(), 26u);  // 288 disks / 11 = 26, remainder 2
  EXPECT_EQ(p->spares.size(), 2u);
  std::set<DiskId> seen(p->spares.begin(), p->spares.end());
  for (const Group& g : p->groups)
    for (DiskId d : g.members) EXPECT_TRUE(seen.insert(d).second) << "disk used twice";
  EXPECT_EQ(seen.size(), 288u);
  EXPECT_EQ(count_violations(*p, t, spec_of("ec:8+3", FailureDomain::kNode, GroupStrategy::kFixed)), 0u);
}

TEST(Placement, UnsatisfiableNamesTheNumbers) {
  Topology t = Topology::uniform(3, 9, 4, DiskModel{});
  for (GroupStrategy s : {GroupStrategy::kFixed, GroupStrategy::kDeclustered}) {
    auto map = initial_map(t, spec_of("ec:8+3", FailureDomain::kNode, s));
    ASSERT_FALSE(map);
    EXPECT_EQ(map.status().code(), StatusCode::kUnsatisfiable);
    const std::string& m = map.status().message();
    EXPECT_NE(m.find("ec:8+3 needs 11"), std::string::npos) << m;
    EXPECT_NE(m.find("only 9 nodes"), std::string::npos) << m;
  }
  auto racks = initial_map(t, spec_of("replica:4", FailureDomain::kRack, GroupStrategy::kFixed));
  ASSERT_FALSE(racks);
  EXPECT_NE(racks.status().message().find("only 3 racks"), std::string::npos);
}

// Property: no group ever has two members in one failure domain, across
// random topologies, schemes, domains and strategies.
TEST(Placement, FailureDomainInvariantProperty) {
  const uint64_t seed = 424242;
  std::cout << "seed " << seed << "\n";
  SplitMix64 rng(seed);
  const char* schemes[] = {"replica:2", "replica:3", "ec:4+2", "ec:8+3", "ec:10+4"};
  for (int trial = 0; trial < 60; ++trial) {
    uint32_t racks = 2 + static_cast<uint32_t>(rng.below(14));
    uint32_t nodes = racks + static_cast<uint32_t>(rng.below(40));
    uint32_t disks = 1 + static_cast<uint32_t>(rng.below(12));
    auto domain = static_cast<FailureDomain>(rng.below(3));
    auto strategy = static_cast<GroupStrategy>(rng.below(2));
    const char* scheme = schemes[rng.below(5)];
    Topology t = Topology::uniform(racks, nodes, disks, DiskModel{});
    PoolSpec spec = spec_of(scheme, domain, strategy, rng.next());
    spec.member_slots_per_disk = 20;
    SCOPED_TRACE(testing::Message() << "trial " << trial << " " << scheme << " " << to_string(domain)
                                    << " " << to_string(strategy) << " racks " << racks
                                    << " nodes " << nodes << " disks " << disks);
    auto map = initial_map(t, spec);
    if (t.live_domain_count(domain) < spec.scheme.width()) {
      EXPECT_FALSE(map);
      continue;
    }
    ASSERT_TRUE(map) << map.status().message();
    EXPECT_EQ(count_violations(map->placement, t, spec), 0u);
    Topology grown = t;
    grown.add_nodes_spread(1 + static_cast<uint32_t>(rng.below(12)), disks, DiskModel{});
    auto next = next_map(*map, grown);
    if (next) EXPECT_EQ(count_violations(next->placement, grown, spec), 0u);
    else EXPECT_EQ(strategy, GroupStrategy::kFixed) << next.status().message();
  }
}

// Disks of different sizes receive data in proportion to their capacity.
TEST(Placement, DeclusteredLoadFollowsCapacity) {
  Topology t;
  SiteId site = t.add_site();
  for (int r = 0; r < 4; ++r) t.add_rack(site);
  DiskModel small, large;
  small.capacity_bytes = 10'000'000'000'000ULL;
  large.capacity_bytes = 20'000'000'000'000ULL;
  for (uint32_t n = 0; n < 24; ++n) {
    std::vector<DiskModel> disks(12, n % 3 == 0 ? large : small);
    disks[0] = large;
    t.add_node(RackId(n % 4), disks);
  }
  PoolSpec spec = spec_of("ec:8+3", FailureDomain::kNode, GroupStrategy::kDeclustered);
  auto map = initial_map(t, spec);
  ASSERT_TRUE(map);
  auto share = disk_shares(*map, t);
  double cap_total = static_cast<double>(t.live_capacity_bytes());
  for (DiskId d : t.live_disks()) {
    double fair = static_cast<double>(t.disk(d).model.capacity_bytes) / cap_total;
    EXPECT_NEAR(share[d.value] / fair, 1.0, 0.03) << "disk " << d.value;
  }
}

// A domain holding more than 1/width of the capacity can only be used up to
// one member per group: the quotas cap it rather than break the domain rule.
TEST(Placement, DeclusteredCapsAnOversizedDomain) {
  Topology t;
  SiteId site = t.add_site();
  t.add_rack(site);
  DiskModel big;
  big.capacity_bytes = 100'000'000'000'000ULL;
  t.add_node(RackId(0), std::vector<DiskModel>(4, big));
  for (int n = 0; n < 5; ++n) t.add_node(RackId(0), std::vector<DiskModel>(4, DiskModel{}));
  PoolSpec spec = spec_of("replica:3", FailureDomain::kNode, GroupStrategy::kDeclustered);
  spec.member_slots_per_disk = 30;
  auto map = initial_map(t, spec);
  ASSERT_TRUE(map);
  EXPECT_EQ(count_violations(map->placement, t, spec), 0u);
  uint32_t on_big = 0;
  for (const Group& g : map->placement.groups)
    for (DiskId d : g.members) on_big += t.disk(d).node == NodeId(0);
  EXPECT_EQ(on_big, map->placement.groups.size());  // one member of every group
}

TEST(Placement, SameSeedSamePlacementOtherSeedOther) {
  Topology t = Topology::uniform(4, 16, 6, DiskModel{});
  auto a = initial_map(t, spec_of("ec:4+2", FailureDomain::kNode, GroupStrategy::kDeclustered, 5));
  auto b = initial_map(t, spec_of("ec:4+2", FailureDomain::kNode, GroupStrategy::kDeclustered, 5));
  auto c = initial_map(t, spec_of("ec:4+2", FailureDomain::kNode, GroupStrategy::kDeclustered, 6));
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(a->layout.slot_group, b->layout.slot_group);
  bool same = true;
  for (size_t g = 0; g < a->placement.groups.size(); ++g)
    same = same && a->placement.groups[g].members == c->placement.groups[g].members;
  EXPECT_FALSE(same);
}

}  // namespace
}  // namespace cairn

namespace cairn {
namespace {

TEST(Placement, ChooseReplacementKeepsDomainsAndPrefersFreeSpace) {
  Topology t = Topology::uniform(1, 4, 2, DiskModel{});  // disks 0..7, node = id / 2
  PoolSpec spec{Scheme::replica(3), FailureDomain::kNode, GroupStrategy::kFixed, DeviceClass::kHdd, 100, 1};
  std::vector<DiskId> members = {DiskId(0), DiskId(2), DiskId(4)};
  std::vector<uint64_t> free(8, 100);
  free[7] = 200;
  std::vector<DiskId> all = {DiskId(1), DiskId(3), DiskId(5), DiskId(6), DiskId(7)};
  // Member 2 (node 2) leaves: nodes 0 and 1 are taken, so only node 2's and 3's disks fit.
  EXPECT_EQ(choose_replacement(t, spec, GroupId(0), members, 2, all, free, 50), DiskId(7));
  free[7] = 10;  // too small for 50 bytes
  DiskId pick = choose_replacement(t, spec, GroupId(0), members, 2, all, free, 50);
  EXPECT_TRUE(pick == DiskId(5) || pick == DiskId(6));
  std::vector<DiskId> same_nodes = {DiskId(1), DiskId(3)};
  EXPECT_EQ(choose_replacement(t, spec, GroupId(0), members, 2, same_nodes, free, 0), kNoDisk);
}

}  // namespace
}  // namespace cairn
