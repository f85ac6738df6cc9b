#include "engine/topology.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

TEST(Topology, UniformSpreadsNodesRoundRobin) {
  Topology t = Topology::uniform(4, 10, 3, DiskModel{});
  EXPECT_EQ(t.live_nodes().size(), 10u);
  EXPECT_EQ(t.live_disks().size(), 30u);
  EXPECT_EQ(t.live_domain_count(FailureDomain::kRack), 4u);
  EXPECT_EQ(t.live_domain_count(FailureDomain::kNode), 10u);
  EXPECT_EQ(t.live_domain_count(FailureDomain::kDisk), 30u);
  EXPECT_EQ(t.node(NodeId(5)).rack, RackId(1));
  DiskId d = t.node(NodeId(5)).disks[2];
  EXPECT_EQ(t.domain_of(d, FailureDomain::kNode), 5u);
  EXPECT_EQ(t.domain_of(d, FailureDomain::kRack), 1u);
  EXPECT_EQ(t.domain_of(d, FailureDomain::kDisk), d.value);
}

TEST(Topology, AddNodesSpreadFillsTheEmptiestRacks) {
  Topology t = Topology::uniform(4, 10, 2, DiskModel{});  // racks hold 3,3,2,2
  auto added = t.add_nodes_spread(6, 2, DiskModel{});
  ASSERT_EQ(added.size(), 6u);
  std::vector<int> per_rack(4, 0);
  for (NodeId n : t.live_nodes()) ++per_rack[t.node(n).rack.value];
  EXPECT_EQ(per_rack, (std::vector<int>{4, 4, 4, 4}));
}

TEST(Topology, RetiredNodesLeaveCountsButKeepIds) {
  Topology t = Topology::uniform(2, 4, 5, DiskModel{});
  uint64_t before = t.live_capacity_bytes();
  t.retire_node(NodeId(1));
  EXPECT_TRUE(t.disk(t.node(NodeId(1)).disks[0]).retired);
  EXPECT_EQ(t.live_disks().size(), 15u);
  EXPECT_EQ(t.disk_id_bound(), 20u);
  EXPECT_EQ(t.live_capacity_bytes(), before / 4 * 3);
}

}  // namespace
}  // namespace cairn
