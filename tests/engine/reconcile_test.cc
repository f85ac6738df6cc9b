// Reconcile: the current copy across a group's members and the repair plan.
#include "engine/reconcile.h"
#include "engine/write_round.h"

#include <gtest/gtest.h>

#include <vector>

namespace cairn {
namespace {

using State = MemberCopy::State;
using Outcome = ReconcilePlan::Outcome;

MemberCopy copy(uint64_t version, uint64_t bytes = 1 << 20, uint32_t crc = 7) {
  MemberCopy c;
  c.state = State::kPresent;
  c.version = version;
  c.mtime_ns = 100;
  c.file_crc = crc;
  c.file_bytes = bytes;
  return c;
}
MemberCopy absent() { return {}; }
MemberCopy unreachable() {
  MemberCopy c;
  c.state = State::kUnreachable;
  return c;
}

TEST(Reconcile, AllEqualIsInSync) {
  std::vector<MemberCopy> m(3, copy(5));
  EXPECT_EQ(plan_reconcile(Scheme::replica(3), m).outcome, Outcome::kInSync);
  EXPECT_EQ(plan_reconcile(Scheme::replica(3), std::vector<MemberCopy>(3)).outcome,
            Outcome::kInSync);
}

TEST(Reconcile, ReturningReplicaGetsTheNewerCopy) {
  std::vector<MemberCopy> m = {copy(5), copy(4), copy(5)};
  auto plan = plan_reconcile(Scheme::replica(3), m);
  EXPECT_EQ(plan.outcome, Outcome::kRepair);
  EXPECT_EQ(plan.sources, FragmentSet(0b101));
  EXPECT_EQ(plan.targets, FragmentSet(0b010));
  m[1] = absent();
  EXPECT_EQ(plan_reconcile(Scheme::replica(3), m).targets, FragmentSet(0b010));
}

TEST(Reconcile, TiesBreakByTimeThenChecksumAlike) {
  std::vector<MemberCopy> m = {copy(5, 100, 1), copy(5, 100, 9), absent()};
  auto plan = plan_reconcile(Scheme::replica(3), m);
  EXPECT_EQ(plan.current, 1U);
  EXPECT_EQ(plan.targets, FragmentSet(0b101));
  m[0].mtime_ns = 200;
  EXPECT_EQ(plan_reconcile(Scheme::replica(3), m).current, 0U);
}

TEST(Reconcile, ErasureNeedsKFragmentsOfOneVersion) {
  const Scheme ec = Scheme::erasure(4, 2);
  // Version 6 reached 3 members (never acknowledged); version 5 is on the other 3 only.
  std::vector<MemberCopy> m = {copy(6), copy(6), copy(6), copy(5), copy(5), copy(5)};
  auto plan = plan_reconcile(ec, m);
  EXPECT_EQ(plan.outcome, Outcome::kUnreadable);
  EXPECT_EQ(plan.drop, FragmentSet(0b111111));

  m[3] = copy(6);  // now 4 fragments of version 6: readable, heal the rest
  plan = plan_reconcile(ec, m);
  EXPECT_EQ(plan.outcome, Outcome::kRepair);
  EXPECT_EQ(plan.sources, FragmentSet(0b001111));
  EXPECT_EQ(plan.targets, FragmentSet(0b110000));
}

TEST(Reconcile, WaitsWhileAnUnreachableMemberCouldCompleteAVersion) {
  const Scheme ec = Scheme::erasure(4, 2);
  std::vector<MemberCopy> m = {copy(6), copy(6), copy(6), unreachable(), copy(5), copy(5)};
  EXPECT_EQ(plan_reconcile(ec, m).outcome, Outcome::kWaiting);
  // A readable current copy is repaired on reachable members even so.
  m = {copy(6), copy(6), copy(6), copy(6), absent(), unreachable()};
  auto plan = plan_reconcile(ec, m);
  EXPECT_EQ(plan.outcome, Outcome::kRepair);
  EXPECT_EQ(plan.targets, FragmentSet(0b010000));
  EXPECT_EQ(plan.unreachable, FragmentSet(0b100000));
  m[4] = copy(6);
  EXPECT_EQ(plan_reconcile(ec, m).outcome, Outcome::kWaiting);
}

TEST(Reconcile, CorruptMemberIsRewritten) {
  std::vector<MemberCopy> m = {copy(5), copy(5), copy(5)};
  m[2].state = State::kCorrupt;
  auto plan = plan_reconcile(Scheme::replica(3), m);
  EXPECT_EQ(plan.targets, FragmentSet(0b100));
}

TEST(Reconcile, TombstoneWinsAndCoversEveryMember) {
  const Scheme ec = Scheme::erasure(4, 2);
  MemberCopy tomb = copy(9, 0);
  tomb.tombstone = true;
  std::vector<MemberCopy> m = {tomb, copy(5), copy(5), copy(5), copy(5), copy(5)};
  auto plan = plan_reconcile(ec, m);
  EXPECT_EQ(plan.outcome, Outcome::kRepair);
  EXPECT_EQ(plan.targets, FragmentSet(0b111110));
}

TEST(Reconcile, SmallFileOnlyOnItsUsedMembers) {
  // ec:4+2 keeps a 1 KiB file as 3 copies on members 0..2 (engine/geometry.h).
  const Scheme ec = Scheme::erasure(4, 2);
  EXPECT_EQ(members_used(ec, 1024, false), FragmentSet(0b000111));
  std::vector<MemberCopy> m = {copy(3, 1024), absent(), absent(), absent(), absent(), copy(2)};
  auto plan = plan_reconcile(ec, m);
  EXPECT_EQ(plan.outcome, Outcome::kRepair);
  EXPECT_EQ(plan.targets, FragmentSet(0b000110));
  EXPECT_EQ(plan.drop, FragmentSet(0b100000));
}

}  // namespace
}  // namespace cairn

namespace cairn {
namespace {

TEST(NewerCopy, VersionThenTimeThenChecksumThenTombstone) {
  MemberCopy a{MemberCopy::State::kPresent, 5, 100, 7, 10, false};
  MemberCopy b = a;
  EXPECT_FALSE(newer_copy(a, b));
  b.version = 4;
  EXPECT_TRUE(newer_copy(a, b));
  b = a;
  b.mtime_ns = 200;
  EXPECT_TRUE(newer_copy(b, a));
  b = a;
  b.file_crc = 8;
  EXPECT_TRUE(newer_copy(b, a));
  b = a;
  b.tombstone = true;
  EXPECT_TRUE(newer_copy(b, a));
}

TEST(TakesWrites, AtLeastMinLiveMembers) {
  EXPECT_TRUE(takes_writes(5, 5));
  EXPECT_FALSE(takes_writes(4, 5));
}

}  // namespace
}  // namespace cairn
