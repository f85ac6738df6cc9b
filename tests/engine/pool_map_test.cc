#include "engine/pool_map.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>

namespace cairn {
namespace {

PoolSpec spec_of(const char* scheme, FailureDomain domain, GroupStrategy strategy,
                 uint64_t seed = 1) {
  return {*Scheme::parse(scheme), domain, strategy, DeviceClass::kHdd, 100, seed};
}

// Fullest data disk per unit of capacity over the mean.
double disk_max_over_mean(const PoolMap& map, const Topology& t) {
  auto share = disk_shares(map, t);
  auto disks = data_disks(map);
  double cap = 0;
  for (DiskId d : disks) cap += static_cast<double>(t.disk(d).model.capacity_bytes);
  double worst = 0;
  for (DiskId d : disks)
    worst = std::max(worst, share[d.value] * cap / static_cast<double>(t.disk(d).model.capacity_bytes));
  return worst;
}

TEST(PoolMap, GoldenLookups) {
  Topology t = Topology::uniform(3, 12, 2, DiskModel{});
  auto map = initial_map(t, spec_of("ec:4+2", FailureDomain::kNode, GroupStrategy::kFixed, 7));
  ASSERT_TRUE(map);
  EXPECT_EQ(map->layout.slot_bits, 9u);
  EXPECT_EQ(map->epoch(), 1u);
  EXPECT_EQ(map->lookup("a").value, 3u);
  EXPECT_EQ(map->lookup("/2026/11/25/CT/1.2.840.113619.2.55.3.604688119/1/IM-0001.dcm").value, 0u);
  EXPECT_EQ(map->lookup("IM-0001.dcm").value, 3u);
  EXPECT_EQ(map->lookup("/archive/MR/study-42/series-3/IM-0999.dcm").value, 3u);
}

TEST(PoolMap, DeclusteredGoldenSlotTable) {
  Topology t = Topology::uniform(3, 12, 2, DiskModel{});
  PoolSpec spec = spec_of("ec:4+2", FailureDomain::kNode, GroupStrategy::kDeclustered, 7);
  spec.member_slots_per_disk = 6;
  auto map = initial_map(t, spec);
  ASSERT_TRUE(map);
  EXPECT_EQ(map->layout.slot_bits, 12u);
  uint64_t digest = 0;
  for (uint32_t g : map->layout.slot_group) digest = digest * 1000003u + g;
  EXPECT_EQ(digest, 14323295653570222808ULL);
}

struct Change {
  const char* scheme;
  FailureDomain domain;
  GroupStrategy strategy;
  uint32_t racks, nodes, disks, add, remove;
};

// The targets: fullest group (and disk) <= 1.02 x mean, movement
// <= 1.05 x ideal, zero violations, for expansions and removals.
TEST(PoolMap, ChangesMeetBalanceAndMovementTargets) {
  const Change changes[] = {
      {"ec:8+3", FailureDomain::kNode, GroupStrategy::kFixed, 4, 24, 12, 11, 0},
      {"ec:8+3", FailureDomain::kNode, GroupStrategy::kDeclustered, 4, 24, 12, 2, 0},
      {"ec:8+3", FailureDomain::kNode, GroupStrategy::kDeclustered, 4, 24, 12, 0, 2},
      {"ec:4+2", FailureDomain::kRack, GroupStrategy::kDeclustered, 6, 30, 12, 6, 0},
      {"ec:4+2", FailureDomain::kRack, GroupStrategy::kDeclustered, 8, 40, 6, 0, 5},
      {"replica:3", FailureDomain::kNode, GroupStrategy::kFixed, 3, 12, 8, 3, 0},
      {"replica:3", FailureDomain::kNode, GroupStrategy::kDeclustered, 3, 12, 8, 1, 0},
      {"replica:3", FailureDomain::kRack, GroupStrategy::kDeclustered, 4, 16, 8, 0, 1},
      {"ec:10+4", FailureDomain::kDisk, GroupStrategy::kDeclustered, 2, 4, 24, 1, 0},
      {"ec:10+4", FailureDomain::kNode, GroupStrategy::kFixed, 4, 16, 10, 14, 0},
  };
  for (const Change& c : changes) {
    SCOPED_TRACE(testing::Message() << c.scheme << " " << to_string(c.domain) << " "
                                    << to_string(c.strategy) << " +" << c.add << " -" << c.remove);
    Topology t = Topology::uniform(c.racks, c.nodes, c.disks, DiskModel{});
    PoolSpec spec = spec_of(c.scheme, c.domain, c.strategy);
    auto before = initial_map(t, spec);
    ASSERT_TRUE(before) << before.status().message();
    Topology changed = t;
    changed.add_nodes_spread(c.add, c.disks, DiskModel{});
    for (uint32_t i = 0; i < c.remove; ++i) changed.retire_node(NodeId(c.nodes - 1 - i));
    auto after = next_map(*before, changed);
    ASSERT_TRUE(after) << after.status().message();
    EXPECT_EQ(after->epoch(), before->epoch() + 1);
    EXPECT_EQ(count_violations(after->placement, changed, spec), 0u);
    EXPECT_LE(disk_max_over_mean(*before, t), 1.02);
    EXPECT_LE(disk_max_over_mean(*after, changed), 1.02);
    double moved = moved_fraction(*before, *after);
    double ideal = ideal_moved_fraction(*before, t, *after, changed);
    EXPECT_GT(ideal, 0.0);
    EXPECT_LE(moved, 1.05 * ideal) << "moved " << moved << " ideal " << ideal;
    EXPECT_GE(moved, 0.95 * ideal) << "moved " << moved << " ideal " << ideal;
  }
}

TEST(PoolMap, FixedRefusesPartialIncrementAndNamesTheSmallest) {
  Topology t = Topology::uniform(4, 24, 12, DiskModel{});
  auto map = initial_map(t, spec_of("ec:8+3", FailureDomain::kNode, GroupStrategy::kFixed));
  ASSERT_TRUE(map);
  Topology grown = t;
  grown.add_nodes_spread(2, 12, DiskModel{});
  auto next = next_map(*map, grown);
  ASSERT_FALSE(next);
  EXPECT_EQ(next.status().code(), StatusCode::kRefused);
  EXPECT_NE(next.status().message().find("span 2 nodes"), std::string::npos);
  EXPECT_EQ(smallest_valid_increment(*map, t, 12, DiskModel{}, 30), 11u);
  // One disk on each of 11 nodes is a whole group too.
  Topology one_each = t;
  one_each.add_nodes_spread(11, 1, DiskModel{});
  auto grown_one = next_map(*map, one_each);
  ASSERT_TRUE(grown_one);
  EXPECT_EQ(grown_one->placement.groups.size(), map->placement.groups.size() + 1);
}

TEST(PoolMap, FixedRemovalOfWholeGroupsMovesTheIdeal) {
  Topology t = Topology::uniform(4, 24, 12, DiskModel{});
  auto map = initial_map(t, spec_of("ec:8+3", FailureDomain::kNode, GroupStrategy::kFixed));
  ASSERT_TRUE(map);
  Topology grown = t;
  auto added = grown.add_nodes_spread(11, 12, DiskModel{});
  auto bigger = next_map(*map, grown);
  ASSERT_TRUE(bigger);
  Topology shrunk = grown;
  for (NodeId n : added) shrunk.retire_node(n);
  auto smaller = next_map(*bigger, shrunk);
  ASSERT_TRUE(smaller) << smaller.status().message();
  double moved = moved_fraction(*bigger, *smaller);
  double ideal = ideal_moved_fraction(*bigger, grown, *smaller, shrunk);
  EXPECT_NEAR(moved, ideal, 0.01);
  EXPECT_EQ(count_violations(smaller->placement, shrunk, smaller->spec), 0u);
  // Removing one node of the original cluster breaks groups no spare can mend.
  Topology broken = t;
  broken.retire_node(NodeId(0));
  auto refused_map = next_map(*map, broken);
  ASSERT_FALSE(refused_map);
  EXPECT_EQ(refused_map.status().code(), StatusCode::kRefused);
}

TEST(PoolMap, FixedSpareReplacesARemovedDisk) {
  Topology t = Topology::uniform(4, 24, 12, DiskModel{});
  auto map = initial_map(t, spec_of("ec:8+3", FailureDomain::kNode, GroupStrategy::kFixed));
  ASSERT_TRUE(map);
  ASSERT_EQ(map->placement.spares.size(), 2u);
  DiskId victim = map->placement.groups[0].members[0];
  Topology changed = t;
  changed.retire_disk(victim);
  auto next = next_map(*map, changed);
  ASSERT_TRUE(next) << next.status().message();
  EXPECT_EQ(next->placement.spares.size(), 1u);
  EXPECT_NE(next->placement.groups[0].members[0], victim);
  EXPECT_EQ(count_violations(next->placement, changed, next->spec), 0u);
  EXPECT_NEAR(moved_fraction(*map, *next), 1.0 / 286, 1e-3);
}

TEST(PoolMap, DeclusteredSplitsGroupsWhenDisksGrowSparse) {
  Topology t = Topology::uniform(4, 12, 12, DiskModel{});
  PoolSpec spec = spec_of("ec:4+2", FailureDomain::kNode, GroupStrategy::kDeclustered);
  auto map = initial_map(t, spec);
  ASSERT_TRUE(map);
  size_t groups = map->placement.groups.size();
  Topology grown = t;
  grown.add_nodes_spread(12, 12, DiskModel{});  // doubles the disks
  auto next = next_map(*map, grown);
  ASSERT_TRUE(next);
  EXPECT_EQ(next->placement.groups.size(), 2 * groups);
  double moved = moved_fraction(*map, *next);
  double ideal = ideal_moved_fraction(*map, t, *next, grown);
  EXPECT_NEAR(ideal, 0.5, 1e-9);
  EXPECT_LE(moved, 1.05 * ideal);
  EXPECT_LE(disk_max_over_mean(*next, grown), 1.02);
}

}  // namespace
}  // namespace cairn

namespace cairn {
namespace {

TEST(PoolMap, AdmitSparesTakesReplacementDisksAsHealTargets) {
  Topology t = Topology::uniform(4, 24, 12, DiskModel{});
  auto map = initial_map(t, PoolSpec{Scheme::erasure(8, 3), FailureDomain::kNode,
                                     GroupStrategy::kFixed, DeviceClass::kHdd, 100, 1});
  ASSERT_TRUE(map);
  DiskId failed = map->placement.groups[3].members[2];
  Topology changed = t;
  changed.retire_disk(failed);
  DiskId fresh = changed.add_disk(changed.disk(failed).node, DiskModel{});
  PoolMap admitted = admit_spares(*map, changed);
  EXPECT_EQ(admitted.placement.spares.size(), map->placement.spares.size() + 1);
  EXPECT_TRUE(std::count(admitted.placement.spares.begin(), admitted.placement.spares.end(), fresh));
  EXPECT_EQ(admitted.epoch(), map->epoch());
  EXPECT_EQ(admitted.layout.slot_group, map->layout.slot_group);
}

}  // namespace
}  // namespace cairn

namespace cairn {
namespace {

TEST(PoolMap, AdmitSparesWithKnownDisksMatchesTheFullScan) {
  Topology t = Topology::uniform(4, 24, 12, DiskModel{});
  auto map = initial_map(t, PoolSpec{Scheme::erasure(8, 3), FailureDomain::kNode,
                                     GroupStrategy::kFixed, DeviceClass::kHdd, 100, 1});
  ASSERT_TRUE(map);
  Topology changed = t;
  DiskId spare = map->placement.spares[0];
  changed.retire_disk(spare);  // a spare fails and leaves
  DiskId failed = map->placement.groups[5].members[1];
  changed.retire_disk(failed);
  DiskId fresh = changed.add_disk(changed.disk(failed).node, DiskModel{});
  PoolMap full = admit_spares(*map, changed);
  PoolMap known = admit_spares(*map, changed, std::span<const DiskId>(&fresh, 1));
  EXPECT_EQ(full.placement.spares, known.placement.spares);
  EXPECT_FALSE(std::count(known.placement.spares.begin(), known.placement.spares.end(), spare));
}

}  // namespace
}  // namespace cairn
