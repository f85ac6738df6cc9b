// Heal transfers follow the plan's decode node: sources flow to it, and the
// rebuilt member from it to the target's node when the two differ.
#include "sim/transfers.h"

#include <gtest/gtest.h>

namespace cairn::sim {
namespace {

// Three nodes of one disk each: disk d sits on node d.
Topology three_nodes() { return Topology::uniform(1, 3, 1, DiskModel{}); }

HealPlan rebuild(NodeId decode) {
  HealPlan plan;
  plan.member_bytes = 100;
  plan.source_members = {0};
  plan.source_disks = {DiskId(0)};
  plan.targets = {{1, DiskId(2), false, decode}};
  return plan;
}

TEST(HealTransfers, SourcesFlowToTheTargetsDecodeNode) {
  Topology t = three_nodes();
  HealPlan plan = rebuild(NodeId(2));
  TransferSet s = heal_transfers(std::span<const HealPlan>(&plan, 1), t);
  EXPECT_EQ(s.disk_read_bytes[DiskId(0)], 100.0);
  EXPECT_EQ(s.disk_write_bytes[DiskId(2)], 100.0);
  EXPECT_EQ(s.node_egress_bytes[NodeId(0)], 100.0);
  EXPECT_EQ(s.node_ingress_bytes[NodeId(2)], 100.0);
  EXPECT_EQ(s.node_ingress_bytes.count(NodeId(1)), 0u);
}

TEST(HealTransfers, DecodeElsewhereShipsTheRebuiltMemberToTheTarget) {
  Topology t = three_nodes();
  HealPlan plan = rebuild(NodeId(1));
  TransferSet s = heal_transfers(std::span<const HealPlan>(&plan, 1), t);
  EXPECT_EQ(s.node_ingress_bytes[NodeId(1)], 100.0);  // the source's bytes, to decode
  EXPECT_EQ(s.node_egress_bytes[NodeId(1)], 100.0);   // the rebuilt member, onwards
  EXPECT_EQ(s.node_ingress_bytes[NodeId(2)], 100.0);
}

TEST(HealTransfers, CatchUpArrivesAtTheDecodeNodeOnly) {
  Topology t = three_nodes();
  HealPlan plan = rebuild(NodeId(2));
  plan.targets = {{1, DiskId(2), true, NodeId(2)}};
  TransferSet s = heal_transfers(std::span<const HealPlan>(&plan, 1), t);
  EXPECT_TRUE(s.disk_read_bytes.empty());
  EXPECT_EQ(s.node_ingress_bytes[NodeId(2)], 100.0);
  EXPECT_TRUE(s.node_egress_bytes.empty());
}

}  // namespace
}  // namespace cairn::sim
