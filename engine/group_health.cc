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

namespace {

GroupHealth health_of(const MemberCounts& c, uint32_t m) {
  if (c.lost > m) return GroupHealth::kLost;
  if (c.lost + c.stale > m) return GroupHealth::kMissedWritesLost;
  if (c.lost + c.stale > 0) return GroupHealth::kDegraded;
  return GroupHealth::kHealthy;
}

}  // namespace

GroupHealth group_health(std::span<const MemberState> members, const Scheme& scheme) {
  CAIRN_ASSERT(members.size() == scheme.width());
  return health_of(count_members(members), scheme.tolerated_losses());
}

int64_t redundancy_margin(std::span<const MemberState> members, const Scheme& scheme) {
  CAIRN_ASSERT(members.size() == scheme.width());
  const MemberCounts c = count_members(members);
  const int64_t m = scheme.tolerated_losses();
  if (health_of(c, scheme.tolerated_losses()) == GroupHealth::kMissedWritesLost) return m - int64_t{c.lost};
  return m - int64_t{c.lost} - int64_t{c.stale};
}

uint32_t losses_until_data_loss(const MemberCounts& counts, const Scheme& scheme) {
  const uint32_t m = scheme.tolerated_losses();
  return counts.lost > m ? 0 : m + 1 - counts.lost;
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
