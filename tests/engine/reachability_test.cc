// engine/reachability.h: which nodes a switch failure cuts off, dual-homed
// against single-homed.
#include "engine/reachability.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

// Two racks of three nodes (round-robin).
Topology two_racks() { return Topology::uniform(2, 6, 1, DiskModel{}); }

TEST(Reachability, DualHomedNodesSurviveOneSwitchOfTheirPair) {
  Topology t = two_racks();
  std::vector<bool> down(switch_count(t, 2), false);
  down[switch_id(RackId(0), 0, 2)] = true;
  std::vector<bool> reach = reachable_nodes(t, 2, down);
  for (uint32_t n = 0; n < 6; ++n) EXPECT_TRUE(reach[n]) << n;
  down[switch_id(RackId(0), 1, 2)] = true;  // both of rack 0's switches
  reach = reachable_nodes(t, 2, down);
  for (uint32_t n = 0; n < 6; ++n) EXPECT_EQ(reach[n], t.node(NodeId(n)).rack.value != 0) << n;
}

TEST(Reachability, SingleHomedNodesFallWithTheirSwitch) {
  Topology t = two_racks();
  std::vector<bool> down(switch_count(t, 1), false);
  down[switch_id(RackId(1), 0, 1)] = true;
  std::vector<bool> reach = reachable_nodes(t, 1, down);
  for (uint32_t n = 0; n < 6; ++n) EXPECT_EQ(reach[n], t.node(NodeId(n)).rack.value != 1) << n;
}

TEST(Reachability, RetiredNodesAreNotReachable) {
  Topology t = two_racks();
  t.retire_node(NodeId(3));
  std::vector<bool> reach = reachable_nodes(t, 2, std::vector<bool>(switch_count(t, 2), false));
  EXPECT_FALSE(reach[3]);
  EXPECT_TRUE(reach[2]);
}

}  // namespace
}  // namespace cairn
