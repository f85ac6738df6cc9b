// The recoverability rule: every case of group_health() and the margin that
// heal priority sorts by, at the boundaries of m.
#include "engine/group_health.h"

#include <gtest/gtest.h>

#include <vector>

namespace cairn {
namespace {

constexpr MemberState kH = MemberState::kHealthy;
constexpr MemberState kS = MemberState::kStale;
constexpr MemberState kL = MemberState::kLost;

GroupHealth health(const std::vector<MemberState>& members, const Scheme& scheme) {
  return group_health(members, scheme);
}

TEST(GroupHealth, EachCaseAtTheBoundariesOfM) {
  const Scheme ec = Scheme::erasure(2, 2);
  EXPECT_EQ(health({kH, kH, kH, kH}, ec), GroupHealth::kHealthy);
  EXPECT_EQ(health({kS, kH, kH, kH}, ec), GroupHealth::kDegraded);
  EXPECT_EQ(health({kL, kS, kH, kH}, ec), GroupHealth::kDegraded);   // lost + stale = m
  EXPECT_EQ(health({kL, kL, kH, kH}, ec), GroupHealth::kDegraded);   // lost = m
  EXPECT_EQ(health({kL, kL, kS, kH}, ec), GroupHealth::kMissedWritesLost);  // m lost, one stale
  EXPECT_EQ(health({kS, kS, kS, kH}, ec), GroupHealth::kMissedWritesLost);  // stale alone beyond m
  EXPECT_EQ(health({kL, kL, kL, kH}, ec), GroupHealth::kLost);
  EXPECT_EQ(health({kL, kL, kL, kS}, ec), GroupHealth::kLost);
}

TEST(GroupHealth, ReplicasToleranceIsWidthMinusOne) {
  const Scheme r3 = Scheme::replica(3);
  EXPECT_EQ(health({kL, kL, kH}, r3), GroupHealth::kDegraded);
  EXPECT_EQ(health({kL, kL, kS}, r3), GroupHealth::kMissedWritesLost);
  EXPECT_EQ(health({kL, kL, kL}, r3), GroupHealth::kLost);
}

TEST(GroupHealth, MarginCountsStaleOnlyWhileTheirWritesAreRecoverable) {
  const Scheme ec = Scheme::erasure(8, 3);
  std::vector<MemberState> members(11, kH);
  EXPECT_EQ(redundancy_margin(members, ec), 3);
  members[0] = kS;
  EXPECT_EQ(redundancy_margin(members, ec), 2);
  members[1] = kL;
  members[2] = kL;
  EXPECT_EQ(redundancy_margin(members, ec), 0);
  members[3] = kS;  // now kMissedWritesLost: only the lost members count
  EXPECT_EQ(redundancy_margin(members, ec), 1);
  members[4] = kL;
  members[5] = kL;
  EXPECT_EQ(redundancy_margin(members, ec), -3);  // kLost: negative
  EXPECT_FALSE(readable(group_health(members, ec)));
}

// Losing exactly losses_until_data_loss() more members, whatever state they
// were in, is what makes group_health() say kLost; one fewer never does.
TEST(GroupHealth, LossesUntilDataLossIsTheSmallestSetThatLosesTheGroup) {
  for (const Scheme& scheme : {Scheme::erasure(8, 3), Scheme::erasure(2, 2), Scheme::replica(3)}) {
    for (uint32_t lost = 0; lost <= scheme.width(); ++lost) {
      for (uint32_t stale = 0; lost + stale <= scheme.width(); ++stale) {
        std::vector<MemberState> members(scheme.width(), kH);
        for (uint32_t i = 0; i < lost; ++i) members[i] = kL;
        for (uint32_t i = lost; i < lost + stale; ++i) members[i] = kS;
        const uint32_t until = losses_until_data_loss(count_members(members), scheme);
        if (group_health(members, scheme) == GroupHealth::kLost) {
          EXPECT_EQ(until, 0u);
          continue;
        }
        ASSERT_GE(until, 1u);
        ASSERT_LE(lost + until, scheme.width());
        std::vector<MemberState> fewer = members, enough = members;
        // Take the stale members first, then healthy ones: the state does not matter.
        for (uint32_t i = lost; i < lost + until - 1; ++i) fewer[i] = kL;
        for (uint32_t i = lost; i < lost + until; ++i) enough[i] = kL;
        EXPECT_NE(group_health(fewer, scheme), GroupHealth::kLost) << scheme.to_string() << " lost " << lost;
        EXPECT_EQ(group_health(enough, scheme), GroupHealth::kLost) << scheme.to_string() << " lost " << lost;
      }
    }
  }
}

TEST(GroupHealth, CountsAndNames) {
  MemberCounts c = count_members(std::vector<MemberState>{kH, kS, kL, kL});
  EXPECT_EQ(c.healthy, 1u);
  EXPECT_EQ(c.stale, 1u);
  EXPECT_EQ(c.lost, 2u);
  EXPECT_STREQ(to_string(GroupHealth::kMissedWritesLost), "missed writes lost");
}

}  // namespace
}  // namespace cairn
