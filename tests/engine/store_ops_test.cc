// Store operations: the device operations each piece of background work
// costs per file, which the model charges and the store's tests pin.
#include "engine/store_ops.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

TEST(StoreOps, APutWaitsOnAFileAndADirectoryFlush) {
  const StoreOps put = member_put_ops();
  EXPECT_EQ(put[StoreOp::kFsync], 1U);
  EXPECT_EQ(put[StoreOp::kSyncDir], 1U);
  EXPECT_EQ(put.device_ops(), 2U) << "a put waits on two flushes whatever its size";
}

TEST(StoreOps, AReadSeeksForTheInodeAndTheData) {
  EXPECT_EQ(member_stat_ops().device_ops(), 1U);
  EXPECT_EQ(member_absent_stat_ops().device_ops(), 0U) << "an absent path is answered from the directory cache";
  EXPECT_EQ(member_read_ops().device_ops(), 2U);
}

TEST(StoreOps, BackgroundWorkComposesTheStoresCalls) {
  EXPECT_EQ(heal_source_ops(), member_stat_ops() + member_read_ops());
  EXPECT_EQ(heal_source_ops().device_ops(), 3U);
  EXPECT_EQ(heal_target_ops().device_ops(), 2U);
  EXPECT_EQ(move_source_ops().device_ops(), member_read_ops().device_ops() + member_remove_ops().device_ops());
  EXPECT_EQ(move_source_ops().device_ops(), 5U);
  EXPECT_EQ(move_target_ops().device_ops(), 3U);
  EXPECT_EQ(ingest_member_ops(), member_put_ops());
}

TEST(StoreOps, OnlyFlushesAndColdReadsWaitOnTheDevice) {
  for (size_t i = 0; i < kStoreOpKinds; ++i) {
    const auto op = static_cast<StoreOp>(i);
    const bool expected = op == StoreOp::kFsync || op == StoreOp::kSyncDir || op == StoreOp::kGetAttr ||
                          op == StoreOp::kRead;
    EXPECT_EQ(waits_on_device(op), expected) << store_op_name(op);
    EXPECT_NE(store_op_name(op), "?");
  }
  StoreOps sum = member_put_ops();
  sum += member_read_ops();
  EXPECT_EQ(sum.device_ops(), 4U);
}

}  // namespace
}  // namespace cairn
