// Write-All-Read-One: quorum, targets and owed heals.
#include "engine/write_round.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

TEST(WriteRound, DefaultQuorums) {
  EXPECT_EQ(default_min_live(Scheme::replica(3)), 2U);
  EXPECT_EQ(default_min_live(Scheme::replica(1)), 1U);
  EXPECT_EQ(default_min_live(Scheme::erasure(4, 2)), 5U);
  EXPECT_EQ(default_min_live(Scheme::erasure(8, 3)), 9U);
  EXPECT_TRUE(check_min_live(Scheme::erasure(4, 2), 4).is_ok());
  EXPECT_FALSE(check_min_live(Scheme::erasure(4, 2), 3).is_ok());
  EXPECT_FALSE(check_min_live(Scheme::replica(3), 4).is_ok());
}

TEST(WriteRound, CoordinatorIsFirstLiveMember) {
  EXPECT_EQ(coordinator(FragmentSet(0b111), 3), 0U);
  EXPECT_EQ(coordinator(FragmentSet(0b110), 3), 1U);
  EXPECT_FALSE(coordinator(FragmentSet(0b1000), 3).has_value());
}

TEST(WriteRound, AllLiveAllAcked) {
  auto round = WriteRound::start(Scheme::erasure(4, 2), FragmentSet(0b111111),
                                 FragmentSet(0b111111), 5);
  ASSERT_TRUE(round.is_ok());
  EXPECT_EQ(round->targets(), FragmentSet(0b111111));
  for (uint32_t i = 0; i < 6; ++i) round->acked(i);
  EXPECT_TRUE(round->finished());
  EXPECT_TRUE(round->outcome().is_ok());
  EXPECT_TRUE(round->owed().empty());
}

TEST(WriteRound, DownMemberIsOwedAndWriteSucceeds) {
  auto round = WriteRound::start(Scheme::replica(3), FragmentSet(0b101), FragmentSet(0b111), 2);
  ASSERT_TRUE(round.is_ok());
  EXPECT_EQ(round->targets(), FragmentSet(0b101));
  round->acked(0);
  EXPECT_FALSE(round->finished());
  round->acked(2);
  ASSERT_TRUE(round->finished());
  EXPECT_TRUE(round->outcome().is_ok());
  EXPECT_EQ(round->owed(), FragmentSet(0b010));
}

TEST(WriteRound, RefusedBelowQuorum) {
  auto round = WriteRound::start(Scheme::erasure(4, 2), FragmentSet(0b001111),
                                 FragmentSet(0b111111), 5);
  ASSERT_FALSE(round.is_ok());
  EXPECT_EQ(round.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(round.status().message().find("only 4 of 6"), std::string::npos);
}

TEST(WriteRound, FailureDuringWriteCanSinkIt) {
  auto round = WriteRound::start(Scheme::erasure(4, 2), FragmentSet(0b111110),
                                 FragmentSet(0b111111), 5);
  ASSERT_TRUE(round.is_ok());
  for (uint32_t i = 1; i < 5; ++i) round->acked(i);
  round->failed(5);
  ASSERT_TRUE(round->finished());
  EXPECT_EQ(round->outcome().code(), StatusCode::kUnavailable);
  EXPECT_EQ(round->owed(), FragmentSet(0b100001));
}

TEST(WriteRound, SmallFileOnFewerMembersKeepsTheSameSlack) {
  // ec:4+2 stores a tiny file as 3 copies on members 0..2; one may be down.
  auto round = WriteRound::start(Scheme::erasure(4, 2), FragmentSet(0b111110),
                                 FragmentSet(0b000111), 5);
  ASSERT_TRUE(round.is_ok());
  EXPECT_EQ(round->targets(), FragmentSet(0b000110));
  EXPECT_EQ(round->required(), 2U);
  round->acked(1);
  round->acked(2);
  EXPECT_TRUE(round->outcome().is_ok());
  EXPECT_EQ(round->owed(), FragmentSet(0b000001));
}

}  // namespace
}  // namespace cairn
