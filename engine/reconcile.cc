#include "engine/reconcile.h"

#include <optional>

namespace cairn {
namespace {

bool same_copy(const MemberCopy& a, const MemberCopy& b) {
  return a.version == b.version && a.mtime_ns == b.mtime_ns && a.file_crc == b.file_crc &&
         a.tombstone == b.tombstone && a.file_bytes == b.file_bytes;
}

bool newer(const MemberCopy& a, const MemberCopy& b) { return newer_copy(a, b); }

uint32_t members_to_read(const Scheme& scheme, const MemberCopy& copy) {
  if (copy.tombstone || scheme.is_replica()) return 1;
  auto geometry = file_geometry(scheme, copy.file_bytes);
  CAIRN_ASSERT(geometry.is_ok());
  return geometry->form == StorageForm::kReplicated ? 1 : scheme.k;
}

FragmentSet holders_of(std::span<const MemberCopy> members, const MemberCopy& copy) {
  FragmentSet holders;
  for (uint32_t i = 0; i < members.size(); ++i) {
    if (members[i].state == MemberCopy::State::kPresent && same_copy(members[i], copy)) {
      holders.insert(i);
    }
  }
  return holders;
}

// The newest present copy strictly older than `bound` (or the newest of all).
std::optional<uint32_t> next_candidate(std::span<const MemberCopy> members,
                                       const MemberCopy* bound) {
  std::optional<uint32_t> best;
  for (uint32_t i = 0; i < members.size(); ++i) {
    const MemberCopy& c = members[i];
    if (c.state != MemberCopy::State::kPresent) continue;
    if (bound != nullptr && !newer(*bound, c)) continue;
    if (!best || newer(c, members[*best])) best = i;
  }
  return best;
}

}  // namespace

bool newer_copy(const MemberCopy& a, const MemberCopy& b) {
  if (a.version != b.version) return a.version > b.version;
  if (a.mtime_ns != b.mtime_ns) return a.mtime_ns > b.mtime_ns;
  if (a.file_crc != b.file_crc) return a.file_crc > b.file_crc;
  return a.tombstone && !b.tombstone;
}

FragmentSet members_used(const Scheme& scheme, uint64_t file_bytes, bool tombstone) {
  if (tombstone) return FragmentSet::first(scheme.width());
  auto geometry = file_geometry(scheme, file_bytes);
  CAIRN_ASSERT(geometry.is_ok());
  return FragmentSet::first(geometry->members_used);
}

ReconcilePlan plan_reconcile(const Scheme& scheme, std::span<const MemberCopy> members) {
  CAIRN_ASSERT(members.size() == scheme.width());
  ReconcilePlan plan;
  FragmentSet reachable;
  FragmentSet holding;  // members with any record or bytes
  for (uint32_t i = 0; i < members.size(); ++i) {
    if (members[i].state == MemberCopy::State::kUnreachable) {
      plan.unreachable.insert(i);
    } else {
      reachable.insert(i);
      if (members[i].state != MemberCopy::State::kAbsent) holding.insert(i);
    }
  }

  // Walk versions from the newest down to the first that can be read.
  const MemberCopy* bound = nullptr;
  std::optional<uint32_t> current;
  while (auto candidate = next_candidate(members, bound)) {
    const MemberCopy& copy = members[*candidate];
    if (holders_of(members, copy).size() >= members_to_read(scheme, copy)) {
      current = candidate;
      break;
    }
    // Unreadable here, but unreachable members may hold the rest of it.
    if (!plan.unreachable.empty()) {
      plan.outcome = ReconcilePlan::Outcome::kWaiting;
      return plan;
    }
    bound = &copy;
  }
  if (!current) {
    // Unreachable members would have made the walk wait, so all are here.
    if (holding.empty()) {
      plan.outcome = plan.unreachable.empty() ? ReconcilePlan::Outcome::kInSync
                                              : ReconcilePlan::Outcome::kWaiting;
    } else {
      plan.outcome = ReconcilePlan::Outcome::kUnreadable;
      plan.drop = holding;  // parts of versions no one can read: never acknowledged
    }
    return plan;
  }

  const MemberCopy& copy = members[*current];
  plan.current = *current;
  plan.sources = holders_of(members, copy);
  const FragmentSet used = members_used(scheme, copy.file_bytes, copy.tombstone);
  plan.targets = used & reachable & ~plan.sources;
  plan.drop = holding & ~used;
  if (!plan.targets.empty() || !plan.drop.empty()) {
    plan.outcome = ReconcilePlan::Outcome::kRepair;
  } else if (!plan.unreachable.empty()) {
    plan.outcome = ReconcilePlan::Outcome::kWaiting;
  }
  return plan;
}

}  // namespace cairn
