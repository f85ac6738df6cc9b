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
  EXPECT_EQ(heal_source_ops().device_ops(), 2U) << "the stat brings the inode in; the read finds it cached";
  EXPECT_EQ(heal_target_ops().device_ops(), 2U);
  EXPECT_EQ(move_source_ops().device_ops(), 3U) << "record once, payload, the unlink's directory flush";
  EXPECT_EQ(move_target_ops().device_ops(), 3U);
  EXPECT_EQ(ingest_member_ops(), member_put_ops());
}

TEST(StoreOps, OneRecordReadPerPathWaitsOnTheDevice) {
  const StoreOps remove = member_remove_ops();
  EXPECT_EQ(remove[StoreOp::kGetAttr], 2U) << "the store reads the record twice";
  EXPECT_EQ(remove.device_reads(), 1U) << "the second finds the inode cached";
  EXPECT_EQ(remove.device_writes(), 1U);
  EXPECT_EQ(member_put_ops().device_reads(), 0U);
  EXPECT_EQ(member_put_ops().device_writes(), 2U);
}

TEST(StoreOps, OnlyFlushesAndColdReadsWaitOnTheDevice) {
  for (size_t i = 0; i < kStoreOpKinds; ++i) {
    const auto op = static_cast<StoreOp>(i);
    const bool expected = op == StoreOp::kFsync || op == StoreOp::kSyncDir || op == StoreOp::kGetAttr ||
                          op == StoreOp::kRead;
    StoreOps one;
    one[op] = 1;
    EXPECT_EQ(one.device_ops(), expected ? 1U : 0U) << store_op_name(op);
    EXPECT_NE(store_op_name(op), "?");
  }
  StoreOps sum = member_put_ops();
  sum += member_read_ops();
  EXPECT_EQ(sum.device_ops(), 4U);
  StoreOps flushes;
  flushes[StoreOp::kFsync] = 3;
  flushes[StoreOp::kUnlink] = 5;
  EXPECT_EQ(flushes.device_ops(), 3U) << "unlinks reach the device with the next flush";
}

}  // namespace
}  // namespace cairn
