#include "engine/retention.h"

#include <gtest/gtest.h>

namespace cairn {
namespace {

constexpr int64_t kS = 1'000'000'000;
constexpr int64_t kDay = 86400 * kS;
constexpr int64_t kT0 = int64_t{1'780'000'000} * kS;  // 2026-05-28

RetentionPolicy policy(std::string prefix, int64_t period_ns, RetentionMode mode, int64_t auto_commit_ns = 0) {
  return RetentionPolicy{std::move(prefix), period_ns, auto_commit_ns, mode};
}

RetainedFile file_at(int64_t written_ns, bool committed = true, uint32_t crc = 7) {
  const auto stamp = committed ? written_ns + 30 * kDay : 0;
  return RetainedFile{true, false, committed, static_cast<uint64_t>(written_ns), stamp, crc};
}

RetainedFile tombstone_at(int64_t written_ns) {
  return RetainedFile{true, true, false, static_cast<uint64_t>(written_ns), 0, 0};
}

const std::vector<RetentionPolicy> kCompliance30 = {policy("/ct/", 30 * kDay, RetentionMode::kCompliance)};

TEST(Retention, OverwriteDeleteAndRemoveAreRefusedWhileRetained) {
  const RetainedFile current = file_at(kT0);
  const RetainedFile newer = file_at(kT0 + kS, true, 8);
  const RetainedFile gone = tombstone_at(kT0 + kS);
  const int64_t now = kT0 + kDay;
  for (const RetainedFile* incoming : {&newer, &gone, static_cast<const RetainedFile*>(nullptr)}) {
    const Status st = retention_verdict("/ct/a.dcm", current, incoming, kCompliance30, now);
    EXPECT_EQ(st.code(), StatusCode::kRetained) << st.message();
  }
  const Status st = retention_verdict("/ct/a.dcm", current, &newer, kCompliance30, now);
  EXPECT_NE(st.message().find("compliance retention (policy /ct/) until 2026-06-27T"), std::string::npos)
      << st.message();
  EXPECT_NE(st.message().find("overwritten"), std::string::npos) << st.message();
  EXPECT_NE(retention_verdict("/ct/a.dcm", current, &gone, kCompliance30, now).message().find("deleted"),
            std::string::npos);
}

TEST(Retention, AllowedOutsideThePrefixAfterThePeriodAndForCreates) {
  const RetainedFile current = file_at(kT0);
  const RetainedFile newer = file_at(kT0 + kS, true, 8);
  EXPECT_TRUE(retention_verdict("/mr/a.dcm", current, &newer, kCompliance30, kT0 + kDay).is_ok());
  EXPECT_TRUE(retention_verdict("/ct/a.dcm", current, &newer, kCompliance30, kT0 + 30 * kDay).is_ok());
  EXPECT_FALSE(retention_verdict("/ct/a.dcm", current, &newer, kCompliance30, kT0 + 30 * kDay - 1).is_ok());
  EXPECT_TRUE(retention_verdict("/ct/a.dcm", RetainedFile{}, &newer, kCompliance30, kT0).is_ok());
  // A deleted path is gone: writing it again is a create.
  EXPECT_TRUE(retention_verdict("/ct/a.dcm", tombstone_at(kT0), &newer, kCompliance30, kT0 + kS).is_ok());
  EXPECT_TRUE(retention_verdict("/ct/a.dcm", current, &newer, {}, kT0 + kS).is_ok());
}

TEST(Retention, TheSameVersionMayBeStoredAgainButNotWeakened) {
  const RetainedFile current = file_at(kT0);
  RetainedFile again = current;  // heal, rebuild, rebalance
  EXPECT_TRUE(retention_verdict("/ct/a", current, &again, kCompliance30, kT0 + kS).is_ok());
  again.retain_until_ns += kDay;  // a stronger stamp is fine
  EXPECT_TRUE(retention_verdict("/ct/a", current, &again, kCompliance30, kT0 + kS).is_ok());
  RetainedFile shorter = current;
  shorter.retain_until_ns -= kS;
  EXPECT_EQ(retention_verdict("/ct/a", current, &shorter, kCompliance30, kT0 + kS).code(), StatusCode::kRetained);
  RetainedFile uncommitted = current;
  uncommitted.committed = false;
  EXPECT_EQ(retention_verdict("/ct/a", current, &uncommitted, kCompliance30, kT0 + kS).code(),
            StatusCode::kRetained);
  RetainedFile other_bytes = current;
  other_bytes.file_crc ^= 1;
  EXPECT_EQ(retention_verdict("/ct/a", current, &other_bytes, kCompliance30, kT0 + kS).code(),
            StatusCode::kRetained);
}

TEST(Retention, AutoCommitLeavesAWindowThenRetainsFromTheCommit) {
  const std::vector<RetentionPolicy> p = {policy("/ct/", 10 * kDay, RetentionMode::kGovernance, kDay)};
  const RetainedFile current = file_at(kT0, /*committed=*/false);
  const RetainedFile newer = file_at(kT0 + kS, false, 8);
  EXPECT_TRUE(retention_verdict("/ct/a", current, &newer, p, kT0 + kDay - 1).is_ok());
  EXPECT_FALSE(retention_verdict("/ct/a", current, &newer, p, kT0 + kDay).is_ok());
  EXPECT_FALSE(retention_verdict("/ct/a", current, &newer, p, kT0 + 11 * kDay - 1).is_ok());
  EXPECT_TRUE(retention_verdict("/ct/a", current, &newer, p, kT0 + 11 * kDay).is_ok());
  // Committed at close (the record says so): no window.
  EXPECT_FALSE(retention_verdict("/ct/a", file_at(kT0), &newer, p, kT0 + 1).is_ok());
}

TEST(Retention, TheStrongestCoveringPolicyHolds) {
  const std::vector<RetentionPolicy> p = {policy("/", 1 * kDay, RetentionMode::kGovernance),
                                          policy("/ct/", 5 * kDay, RetentionMode::kCompliance),
                                          policy("/ct/x/", 2 * kDay, RetentionMode::kGovernance)};
  const Retention r = retention_of("/ct/x/a", file_at(kT0), p, kT0 + 3 * kDay);
  EXPECT_TRUE(r.retained);
  EXPECT_EQ(r.mode, RetentionMode::kCompliance);
  EXPECT_EQ(r.prefix, "/ct/");
  EXPECT_EQ(r.until_ns, kT0 + 5 * kDay);
  EXPECT_EQ(retention_of("/ct/x/a", file_at(kT0), p, kT0 + 1).mode, RetentionMode::kCompliance);
  EXPECT_FALSE(retention_of("/mr/a", file_at(kT0), p, kT0 + 2 * kDay).retained);
}

TEST(Retention, StampCommitsAtCloseWithTheLongestPeriod) {
  const std::vector<RetentionPolicy> p = {policy("/ct/", 5 * kDay, RetentionMode::kGovernance),
                                          policy("/ct/a", 7 * kDay, RetentionMode::kCompliance),
                                          policy("/ct/ab", 9 * kDay, RetentionMode::kCompliance, kDay)};
  const RetentionStamp s = retention_stamp("/ct/abc", p, kT0);
  EXPECT_TRUE(s.committed);
  EXPECT_EQ(s.retain_until_ns, kT0 + 7 * kDay);
  EXPECT_FALSE(retention_stamp("/mr/abc", p, kT0).committed);
  EXPECT_EQ(retention_stamp("/mr/abc", p, kT0).retain_until_ns, 0);
}

TEST(Retention, CompliancePoliciesNeverWeaken) {
  const std::vector<RetentionPolicy> from = kCompliance30;
  std::vector<RetentionPolicy> shorter = {policy("/ct/", 29 * kDay, RetentionMode::kCompliance)};
  std::vector<RetentionPolicy> governance = {policy("/ct/", 30 * kDay, RetentionMode::kGovernance)};
  std::vector<RetentionPolicy> delayed = {policy("/ct/", 30 * kDay, RetentionMode::kCompliance, kS)};
  for (const auto* to : {&shorter, &governance, &delayed}) {
    for (bool bypass : {false, true}) {
      const Status st = policy_change_verdict(from, *to, bypass);
      EXPECT_EQ(st.code(), StatusCode::kRetained) << st.message();
      EXPECT_NE(st.message().find("compliance retention on /ct/ cannot be shortened or lifted"), std::string::npos);
    }
  }
  EXPECT_EQ(policy_change_verdict(from, {}, true).code(), StatusCode::kRetained);
  std::vector<RetentionPolicy> longer = {policy("/ct/", 31 * kDay, RetentionMode::kCompliance),
                                         policy("/mr/", kDay, RetentionMode::kGovernance)};
  EXPECT_TRUE(policy_change_verdict(from, longer, false).is_ok());
  EXPECT_TRUE(policy_change_verdict({}, from, false).is_ok());
}

TEST(Retention, GovernanceWeakensOnlyWithTheBypassAndSaysHow) {
  const std::vector<RetentionPolicy> from = {policy("/ct/", 30 * kDay, RetentionMode::kGovernance)};
  const std::vector<RetentionPolicy> shorter = {policy("/ct/", kDay, RetentionMode::kGovernance)};
  const Status refused = policy_change_verdict(from, {}, false);
  EXPECT_EQ(refused.code(), StatusCode::kRetained);
  EXPECT_NE(refused.message().find("bypass governance"), std::string::npos) << refused.message();
  std::vector<std::string> weakened;
  EXPECT_TRUE(policy_change_verdict(from, {}, true, &weakened).is_ok());
  EXPECT_EQ(weakened, std::vector<std::string>{"/ct/: lifted"});
  EXPECT_TRUE(policy_change_verdict(from, shorter, true, &weakened).is_ok());
  EXPECT_EQ(weakened, std::vector<std::string>{"/ct/: period 30 days -> 1 days"});
  EXPECT_EQ(policy_change_verdict(from, shorter, false).code(), StatusCode::kRetained);
  // A lifted governance policy frees its files at once.
  const RetainedFile current = file_at(kT0);
  const RetainedFile newer = file_at(kT0 + kS, true, 8);
  EXPECT_FALSE(retention_verdict("/ct/a", current, &newer, from, kT0 + kDay).is_ok());
  EXPECT_TRUE(retention_verdict("/ct/a", current, &newer, {}, kT0 + kDay).is_ok());
}

TEST(Retention, PoliciesAreChecked) {
  EXPECT_TRUE(check_policy(policy("/ct/", kDay, RetentionMode::kCompliance)).is_ok());
  EXPECT_FALSE(check_policy(policy("ct/", kDay, RetentionMode::kCompliance)).is_ok());
  EXPECT_FALSE(check_policy(policy("/ct/", 0, RetentionMode::kCompliance)).is_ok());
  EXPECT_FALSE(check_policy(policy("/ct/", kDay, RetentionMode::kCompliance, -1)).is_ok());
  EXPECT_FALSE(check_policy(policy("/ct/", kRetentionPeriodNsMax + 1, RetentionMode::kCompliance)).is_ok());
  const std::vector<RetentionPolicy> twice = {policy("/ct/", kDay, RetentionMode::kCompliance),
                                              policy("/ct/", 2 * kDay, RetentionMode::kGovernance)};
  EXPECT_FALSE(check_policies(twice).is_ok());
  EXPECT_EQ(parse_retention_mode("compliance").value(), RetentionMode::kCompliance);
  EXPECT_FALSE(parse_retention_mode("strict").is_ok());
}

TEST(Retention, UtcTimes) {
  EXPECT_EQ(utc_time_string(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(utc_time_string(kT0), "2026-05-28T20:26:40Z");
  EXPECT_EQ(utc_time_string(int64_t{951'782'400} * kS), "2000-02-29T00:00:00Z");
}

}  // namespace
}  // namespace cairn
