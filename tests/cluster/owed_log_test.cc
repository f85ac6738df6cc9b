// OwedLog: the durable list of paths owing a heal.
#include "cluster-ref/node/owed_log.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

namespace cairn {
namespace {

class OwedLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/cairn-owed-XXXXXX";
    dir_ = mkdtemp(pattern);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(OwedLogTest, EntriesSurviveReopening) {
  {
    auto log = OwedLog::open(dir_);
    ASSERT_TRUE(log.is_ok()) << log.status().message();
    ASSERT_TRUE((*log)->add("/b/2").is_ok());
    ASSERT_TRUE((*log)->add("/a/1").is_ok());
    ASSERT_TRUE((*log)->add("/a/1").is_ok());  // once per path
    EXPECT_EQ((*log)->size(), 2U);
  }
  auto again = OwedLog::open(dir_);
  ASSERT_TRUE(again.is_ok());
  auto entries = (*again)->entries();
  ASSERT_EQ(entries.size(), 2U);
  EXPECT_EQ(entries[0].path, "/a/1");  // in path order
  EXPECT_EQ(entries[1].path, "/b/2");
}

TEST_F(OwedLogTest, AnEntryAddedAgainDuringAHealStays) {
  auto log = OwedLog::open(dir_);
  ASSERT_TRUE(log.is_ok());
  ASSERT_TRUE((*log)->add("/x").is_ok());
  const OwedLog::Entry seen = (*log)->entries()[0];
  ASSERT_TRUE((*log)->add("/x").is_ok());  // a write failed again meanwhile
  ASSERT_TRUE((*log)->remove(seen).is_ok());
  EXPECT_EQ((*log)->size(), 1U);
  ASSERT_TRUE((*log)->remove((*log)->entries()[0]).is_ok());
  EXPECT_EQ((*log)->size(), 0U);
  auto reopened = OwedLog::open(dir_);
  ASSERT_TRUE(reopened.is_ok());
  EXPECT_EQ((*reopened)->size(), 0U);  // removed from disk too
}

}  // namespace
}  // namespace cairn
