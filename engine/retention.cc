#include "engine/retention.h"

#include <algorithm>
#include <cstdio>
#include <set>

namespace cairn {
namespace {

constexpr int64_t kNsPerS = 1'000'000'000;

bool covers(const RetentionPolicy& p, std::string_view path) { return path.starts_with(p.prefix); }

// "30 days", "2 h", "45 s": a duration for messages.
std::string duration_text(int64_t ns) {
  const int64_t s = ns / kNsPerS;
  if (s % 86400 == 0 && s > 0) return std::to_string(s / 86400) + " days";
  if (s % 3600 == 0 && s > 0) return std::to_string(s / 3600) + " h";
  if (ns % kNsPerS == 0) return std::to_string(s) + " s";
  return std::to_string(ns) + " ns";
}

// Days since 1970-01-01 to a civil date (H. Hinnant's algorithm).
void civil_from_days(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2 ? 1 : 0);
}

// The retention one policy gives the file at now.
Retention one_policy(const RetentionPolicy& p, const RetainedFile& f, int64_t now_ns) {
  Retention r;
  const auto written = static_cast<int64_t>(std::min<uint64_t>(f.version, INT64_MAX / 2));
  const int64_t commit = written + (f.committed ? 0 : p.auto_commit_ns);
  const int64_t until = commit + p.period_ns;
  if (now_ns >= commit && now_ns < until) {
    r.retained = true;
    r.mode = p.mode;
    r.until_ns = until;
    r.prefix = p.prefix;
  }
  return r;
}

// Compliance over governance, then the later time.
bool stronger(const Retention& a, const Retention& b) {
  if (a.retained != b.retained) return a.retained;
  if (a.mode != b.mode) return a.mode == RetentionMode::kCompliance;
  return a.until_ns > b.until_ns;
}

// Same version and content, and a stamp at least as strong: heal, rebuild,
// rebalance of the file already held.
bool same_version_again(const RetainedFile& current, const RetainedFile& incoming) {
  return incoming.present && incoming.version == current.version && incoming.tombstone == current.tombstone &&
         incoming.file_crc == current.file_crc && (incoming.committed || !current.committed) &&
         incoming.retain_until_ns >= current.retain_until_ns;
}

std::string what_change(const RetainedFile& current, const RetainedFile* incoming) {
  if (incoming == nullptr) return "removed";
  if (incoming->tombstone) return "deleted";
  if (incoming->version == current.version) return "stored again with a weaker retention";
  return "overwritten";
}

}  // namespace

const char* to_string(RetentionMode mode) {
  return mode == RetentionMode::kCompliance ? "compliance" : "governance";
}

Result<RetentionMode> parse_retention_mode(std::string_view text) {
  if (text == "compliance") return RetentionMode::kCompliance;
  if (text == "governance") return RetentionMode::kGovernance;
  return invalid_argument("retention mode '" + std::string(text) + "' is not compliance or governance");
}

Status check_policy(const RetentionPolicy& p) {
  if (p.prefix.empty() || p.prefix.front() != '/' || p.prefix.size() > 4096) {
    return invalid_argument("retention prefix '" + p.prefix + "' must start with '/' (at most 4096 bytes)");
  }
  for (char c : p.prefix) {
    if (static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\') {
      return invalid_argument("retention prefix '" + p.prefix + "' has a control character, a quote or a backslash");
    }
  }
  if (p.period_ns <= 0 || p.period_ns > kRetentionPeriodNsMax) {
    return invalid_argument("retention period of " + p.prefix + " must be more than 0 and at most 100 years");
  }
  if (p.auto_commit_ns < 0 || p.auto_commit_ns > kAutoCommitNsMax) {
    return invalid_argument("auto-commit delay of " + p.prefix + " must be between 0 and 366 days");
  }
  return Status::ok();
}

Status check_policies(std::span<const RetentionPolicy> policies) {
  if (policies.size() > kRetentionPoliciesMax) {
    return invalid_argument("more than " + std::to_string(kRetentionPoliciesMax) + " retention policies");
  }
  std::set<std::string_view> prefixes;
  for (const RetentionPolicy& p : policies) {
    if (Status st = check_policy(p); !st.is_ok()) return st;
    if (!prefixes.insert(p.prefix).second) return invalid_argument("two retention policies for " + p.prefix);
  }
  return Status::ok();
}

Retention retention_of(std::string_view path, const RetainedFile& file, std::span<const RetentionPolicy> policies,
                       int64_t now_ns) {
  Retention best;
  if (!file.present || file.tombstone) return best;
  for (const RetentionPolicy& p : policies) {
    if (!covers(p, path)) continue;
    Retention r = one_policy(p, file, now_ns);
    if (stronger(r, best)) best = std::move(r);
  }
  return best;
}

RetentionStamp retention_stamp(std::string_view path, std::span<const RetentionPolicy> policies, int64_t write_ns) {
  RetentionStamp stamp;
  for (const RetentionPolicy& p : policies) {
    if (!covers(p, path) || p.auto_commit_ns != 0) continue;
    stamp.committed = true;
    stamp.retain_until_ns = std::max(stamp.retain_until_ns, write_ns + p.period_ns);
  }
  return stamp;
}

Status retention_verdict(std::string_view path, const RetainedFile& current, const RetainedFile* incoming,
                         std::span<const RetentionPolicy> policies, int64_t now_ns) {
  const Retention r = retention_of(path, current, policies, now_ns);
  if (!r.retained) return Status::ok();
  if (incoming != nullptr && same_version_again(current, *incoming)) return Status::ok();
  return Status(StatusCode::kRetained, std::string(path) + " is under " + to_string(r.mode) + " retention (policy " +
                                           r.prefix + ") until " + utc_time_string(r.until_ns) +
                                           "; it cannot be " + what_change(current, incoming) + " before then");
}

Status policy_change_verdict(std::span<const RetentionPolicy> from, std::span<const RetentionPolicy> to,
                             bool governance_bypass, std::vector<std::string>* weakened) {
  std::vector<std::string> found;
  for (const RetentionPolicy& old : from) {
    auto it = std::find_if(to.begin(), to.end(), [&](const RetentionPolicy& p) { return p.prefix == old.prefix; });
    std::string how;
    if (it == to.end()) {
      how = "lifted";
    } else {
      if (it->period_ns < old.period_ns)
        how += "period " + duration_text(old.period_ns) + " -> " + duration_text(it->period_ns);
      if (it->auto_commit_ns > old.auto_commit_ns)
        how += std::string(how.empty() ? "" : ", ") + "auto-commit " + duration_text(old.auto_commit_ns) + " -> " +
               duration_text(it->auto_commit_ns);
      if (old.mode == RetentionMode::kCompliance && it->mode != RetentionMode::kCompliance)
        how += std::string(how.empty() ? "" : ", ") + "compliance -> governance";
    }
    if (how.empty()) continue;
    if (old.mode == RetentionMode::kCompliance) {
      return Status(StatusCode::kRetained, "compliance retention on " + old.prefix +
                                               " cannot be shortened or lifted by anyone (" + how + ")");
    }
    if (!governance_bypass) {
      return Status(StatusCode::kRetained, "governance retention on " + old.prefix + " would be weakened (" + how +
                                               "); an administrator must bypass governance explicitly");
    }
    found.push_back(old.prefix + ": " + how);
  }
  if (weakened != nullptr) *weakened = std::move(found);
  return Status::ok();
}

std::string utc_time_string(int64_t ns) {
  int64_t s = ns / kNsPerS;
  if (ns < 0 && ns % kNsPerS != 0) --s;
  int64_t days = s / 86400;
  int64_t rem = s % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  int64_t y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, &y, &m, &d);
  char out[48];
  std::snprintf(out, sizeof out, "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<long long>(y), m, d,
                static_cast<long long>(rem / 3600), static_cast<long long>(rem % 3600 / 60),
                static_cast<long long>(rem % 60));
  return out;
}

}  // namespace cairn
