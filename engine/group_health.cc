#include "engine/group_health.h"

#include "engine/status.h"

namespace cairn {

MemberCounts count_members(std::span<const MemberState> members) {
  MemberCounts c;
  for (MemberState s : members) {
    switch (s) {
      case MemberState::kHealthy: ++c.healthy; break;
      case MemberState::kStale: ++c.stale; break;
      case MemberState::kLost: ++c.lost; break;
    }
  }
  return c;
}

GroupHealth group_health(std::span<const MemberState> members, const Scheme& scheme) {
  CAIRN_ASSERT(members.size() == scheme.width());
  const MemberCounts c = count_members(members);
  const uint32_t m = scheme.tolerated_losses();
  if (c.lost > m) return GroupHealth::kLost;
  if (c.lost + c.stale > m) return GroupHealth::kMissedWritesLost;
  if (c.lost + c.stale > 0) return GroupHealth::kDegraded;
  return GroupHealth::kHealthy;
}

int64_t redundancy_margin(std::span<const MemberState> members, const Scheme& scheme) {
  const MemberCounts c = count_members(members);
  const int64_t m = scheme.tolerated_losses();
  if (group_health(members, scheme) == GroupHealth::kMissedWritesLost) return m - int64_t{c.lost};
  return m - int64_t{c.lost} - int64_t{c.stale};
}

const char* to_string(GroupHealth health) {
  switch (health) {
    case GroupHealth::kHealthy: return "healthy";
    case GroupHealth::kDegraded: return "degraded";
    case GroupHealth::kMissedWritesLost: return "missed writes lost";
    case GroupHealth::kLost: return "lost";
  }
  return "?";
}

}  // namespace cairn
