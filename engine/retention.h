// WORM retention: may this request change this file now? One verdict over
// the file's current record, the retention policies that cover its path and
// the node's compliance time (a clock that never runs backwards), asked by
// every node for every request that would change what a disk holds — the
// coordinator before a put or delete, and each member before it stores or
// forgets a part, so that a raw frame sent straight to a member is refused
// too. Pure functions: time arrives as nanoseconds since the UNIX epoch.
//
// Rules (the contract the tests pin):
// - A policy covers every archive path its prefix is a string prefix of
//   ("/ct/" covers "/ct/2026/a.dcm"). Several may cover a path: the file is
//   held by each, and the strongest wins (compliance over governance, then
//   the later retain-until time). Adding a policy therefore never weakens
//   another.
// - A file is written at its version (the coordinator's compliance time,
//   in ns). It is committed when written if a covering policy commits at
//   close (auto-commit 0; the record's committed flag says so), else
//   `auto_commit_ns` later. From its commit it is retained for `period_ns`.
//   A tombstone is not retained (a deleted file is gone; a new write of its
//   path is a create).
// - While retained, a file cannot be overwritten, deleted, or forgotten by a
//   member, and its part cannot be stored again with a weaker stamp. Storing
//   the same version again with the same content and an equal or stronger
//   stamp is allowed: that is heal, rebuild and rebalance of a file, which
//   must keep working.
// - Policies change only forward: a compliance policy can never be removed,
//   shortened, delayed (a longer auto-commit) or turned into governance; a
//   governance policy can be, only with the administrator's explicit bypass
//   (the node logs it). Lengthening and adding are always allowed.
//
// Retention follows the policy, not the record's stamp: the record's
// committed flag fixes the commit moment and its retain-until time is shown
// to people, but a lifted governance policy frees its files at once, and a
// compliance policy cannot be lifted at all.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"

namespace cairn {

enum class RetentionMode : uint8_t { kGovernance = 0, kCompliance = 1 };
const char* to_string(RetentionMode mode);
Result<RetentionMode> parse_retention_mode(std::string_view text);

inline constexpr int64_t kRetentionPeriodNsMax = int64_t{100} * 366 * 86400 * 1'000'000'000;  // a century
inline constexpr int64_t kAutoCommitNsMax = int64_t{366} * 86400 * 1'000'000'000;             // a year
inline constexpr size_t kRetentionPoliciesMax = 1024;

struct RetentionPolicy {
  std::string prefix;          // an archive path prefix, starting with '/'
  int64_t period_ns = 0;       // how long a committed file is retained, > 0
  int64_t auto_commit_ns = 0;  // 0: committed when written (closed)
  RetentionMode mode = RetentionMode::kGovernance;
  bool operator==(const RetentionPolicy&) const = default;
};

// kInvalidArgument naming the field: a prefix that does not start with '/'
// or is longer than 4096 bytes, a period outside (0, a century], an
// auto-commit outside [0, a year]; for a set, also two policies of one prefix
// or more than kRetentionPoliciesMax.
Status check_policy(const RetentionPolicy& policy);
Status check_policies(std::span<const RetentionPolicy> policies);

// What the verdict reads from a file's current record on a disk (or, for the
// request, from the record it would store).
struct RetainedFile {
  bool present = false;  // false: the disk holds nothing for the path
  bool tombstone = false;
  bool committed = false;
  uint64_t version = 0;  // the write's time, ns
  int64_t retain_until_ns = 0;
  uint32_t file_crc = 0;
};

struct Retention {
  bool retained = false;
  RetentionMode mode = RetentionMode::kGovernance;
  int64_t until_ns = 0;          // retained until (exclusive)
  std::string prefix;            // the policy that holds it
};

// The file's retention at `now_ns` under the policies covering `path`.
Retention retention_of(std::string_view path, const RetainedFile& file, std::span<const RetentionPolicy> policies,
                       int64_t now_ns);

// The stamp a write of `path` at `write_ns` carries in its record: committed
// when a covering policy commits at close, and then the retain-until time of
// the longest such policy (0 otherwise).
struct RetentionStamp {
  bool committed = false;
  int64_t retain_until_ns = 0;
};
RetentionStamp retention_stamp(std::string_view path, std::span<const RetentionPolicy> policies, int64_t write_ns);

// THE verdict: may `current` (what the disk holds for `path`) be replaced by
// `incoming` (null: forgotten) at `now_ns`? ok, or kRetained with a message
// naming the path, the mode, the policy and the retain-until time (UTC).
Status retention_verdict(std::string_view path, const RetainedFile& current, const RetainedFile* incoming,
                         std::span<const RetentionPolicy> policies, int64_t now_ns);

// May the policy set `from` become `to`? ok when nothing is weakened, or
// when only governance policies are and `governance_bypass` is set; then
// `*weakened` (when given) lists each weakened policy for the node's log
// ("/ct/: period 30 days -> 1 day", "/ct/: lifted"). kRetained naming the
// policy when a compliance policy would be weakened, or a governance one
// without the bypass.
Status policy_change_verdict(std::span<const RetentionPolicy> from, std::span<const RetentionPolicy> to,
                             bool governance_bypass, std::vector<std::string>* weakened = nullptr);

// "2026-12-05T09:30:00Z": a UTC time for messages, from ns since the epoch.
std::string utc_time_string(int64_t ns);

}  // namespace cairn
