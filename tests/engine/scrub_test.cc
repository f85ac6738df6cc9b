#include "engine/scrub.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

TEST(ScrubTest, DueAfterTheIntervalOrAtOnceWhenNeverScrubbed) {
  EXPECT_TRUE(scrub_due(0, false, 5, 100));
  EXPECT_FALSE(scrub_due(1000, true, 1099, 100));
  EXPECT_TRUE(scrub_due(1000, true, 1100, 100));
}

TEST(ScrubTest, OrderIsNeverScrubbedFirstThenOldestThenGroupId) {
  std::vector<GroupScrubState> groups = {
      {GroupId(4), true, 300}, {GroupId(1), true, 100}, {GroupId(7), false, 0},
      {GroupId(2), true, 100}, {GroupId(3), false, 999},
  };
  std::vector<GroupId> order = scrub_order(groups);
  std::vector<uint32_t> ids;
  for (GroupId g : order) ids.push_back(g.value);
  EXPECT_EQ(ids, (std::vector<uint32_t>{3, 7, 1, 2, 4}));
}

TEST(ScrubTest, PaceKeepsTheCostWithinTheBudget) {
  // 100 MB/s: 50 MB done after 0.2 s must wait 0.3 s more.
  EXPECT_EQ(scrub_wait_ns(100'000'000, 50'000'000, 200'000'000), 300'000'000);
  // Already slower than the budget: no wait.
  EXPECT_EQ(scrub_wait_ns(100'000'000, 50'000'000, 900'000'000), 0);
  EXPECT_EQ(scrub_wait_ns(kScrubUnpaced, 1ULL << 50, 0), 0);
}

TEST(ScrubTest, SmallFilesCostAnOperationEach) {
  EXPECT_EQ(scrub_cost_bytes(0), kScrubFileCostBytes);
  EXPECT_EQ(scrub_cost_bytes(1000), 1000 + kScrubFileCostBytes);
  // 1000 empty files at 64 MB/s (1000 × 64 KiB ≈ 65.5 MB) take about a second.
  EXPECT_NEAR(static_cast<double>(scrub_wait_ns(64'000'000, 1000 * scrub_cost_bytes(0), 0)) / 1e9, 1.024, 1e-6);
}

TEST(ScrubTest, TheLowestLiveMemberComparesTheGroup) {
  FragmentSet live = FragmentSet::first(6);
  EXPECT_TRUE(leads_group_comparison(live, 6, 0));
  EXPECT_FALSE(leads_group_comparison(live, 6, 1));
  live.erase(0);
  EXPECT_TRUE(leads_group_comparison(live, 6, 1));
  EXPECT_FALSE(leads_group_comparison(FragmentSet(), 6, 0));
}

TEST(ScrubTest, CorruptCopiesAreDroppedAndRepairedMissingOnesRepaired) {
  EXPECT_FALSE(scrub_action(ScrubFinding::kIntact).repair);
  EXPECT_FALSE(scrub_action(ScrubFinding::kIntact).report);
  for (ScrubFinding f : {ScrubFinding::kPayloadCorrupt, ScrubFinding::kRecordCorrupt}) {
    EXPECT_TRUE(scrub_action(f).drop_local) << to_string(f);
    EXPECT_TRUE(scrub_action(f).repair) << to_string(f);
  }
  for (ScrubFinding f : {ScrubFinding::kMemberMissing, ScrubFinding::kMembersDiffer}) {
    EXPECT_FALSE(scrub_action(f).drop_local) << to_string(f);
    EXPECT_TRUE(scrub_action(f).repair) << to_string(f);
    EXPECT_TRUE(scrub_action(f).report) << to_string(f);
  }
}

}  // namespace
}  // namespace cairn
