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
  TransferSet s = heal_transfers(std::span<const HealPlan>(&plan, 1), t, 10.0);
  EXPECT_EQ(s.disk_read_bytes[DiskId(0)], 100.0);
  EXPECT_EQ(s.disk_write_bytes[DiskId(2)], 100.0);
  EXPECT_EQ(s.node_egress_bytes[NodeId(0)], 100.0);
  EXPECT_EQ(s.node_ingress_bytes[NodeId(2)], 100.0);
  EXPECT_EQ(s.node_ingress_bytes.count(NodeId(1)), 0u);
}

TEST(HealTransfers, DecodeElsewhereShipsTheRebuiltMemberToTheTarget) {
  Topology t = three_nodes();
  HealPlan plan = rebuild(NodeId(1));
  TransferSet s = heal_transfers(std::span<const HealPlan>(&plan, 1), t, 10.0);
  EXPECT_EQ(s.node_ingress_bytes[NodeId(1)], 100.0);  // the source's bytes, to decode
  EXPECT_EQ(s.node_egress_bytes[NodeId(1)], 100.0);   // the rebuilt member, onwards
  EXPECT_EQ(s.node_ingress_bytes[NodeId(2)], 100.0);
}

TEST(HealTransfers, CatchUpArrivesAtTheDecodeNodeOnly) {
  Topology t = three_nodes();
  HealPlan plan = rebuild(NodeId(2));
  plan.targets = {{1, DiskId(2), true, NodeId(2)}};
  TransferSet s = heal_transfers(std::span<const HealPlan>(&plan, 1), t, 10.0);
  EXPECT_TRUE(s.disk_read_bytes.empty());
  EXPECT_EQ(s.node_ingress_bytes[NodeId(2)], 100.0);
  EXPECT_TRUE(s.node_egress_bytes.empty());
}

// 100 member bytes at 10 bytes a file: 10 files, each costing the store's
// own operations (engine/store_ops.h) on the disk that does them.
TEST(HealTransfers, EveryFileCostsTheStoresOperations) {
  Topology t = three_nodes();
  HealPlan plan = rebuild(NodeId(2));
  TransferSet s = heal_transfers(std::span<const HealPlan>(&plan, 1), t, 10.0);
  EXPECT_DOUBLE_EQ(s.disk_read_ops[DiskId(0)], 10.0 * heal_source_ops().device_ops());
  EXPECT_DOUBLE_EQ(s.disk_read_ops[DiskId(0)], 20.0) << "a record read and a payload read per file";
  EXPECT_DOUBLE_EQ(s.disk_write_ops[DiskId(2)], 10.0 * heal_target_ops().device_writes());
  EXPECT_DOUBLE_EQ(s.disk_write_ops[DiskId(2)], 20.0) << "a put waits on a file flush and a directory flush";
  EXPECT_EQ(s.disk_write_ops.count(DiskId(0)), 0u);
  EXPECT_DOUBLE_EQ(s.node_files[NodeId(2)], 10.0) << "the rebuilding node handles every file";
  EXPECT_EQ(s.node_files.count(NodeId(0)), 0u);
}

TEST(RebalanceTransfers, AMoveReadsRemovesAndWritesEachFile) {
  Topology t = three_nodes();
  const DiskFlow flow{DiskId(0), DiskId(1), 300};
  TransferSet s = rebalance_transfers(std::span<const DiskFlow>(&flow, 1), t, 100.0);
  const StoreOps source = move_source_ops(), target = move_target_ops();
  EXPECT_DOUBLE_EQ(s.disk_read_ops[DiskId(0)], 3.0 * source.device_reads());
  EXPECT_DOUBLE_EQ(s.disk_write_ops[DiskId(0)], 3.0 * source.device_writes()) << "the source's unlink is flushed";
  EXPECT_DOUBLE_EQ(s.disk_read_ops[DiskId(1)], 3.0 * target.device_reads()) << "the target is asked for its record";
  EXPECT_DOUBLE_EQ(s.disk_write_ops[DiskId(1)], 3.0 * target.device_writes());
  EXPECT_DOUBLE_EQ(s.node_files[NodeId(0)], 3.0) << "the source's node sends each part";
  EXPECT_EQ(s.disk_read_bytes[DiskId(0)], 300.0);
}

}  // namespace
}  // namespace cairn::sim
