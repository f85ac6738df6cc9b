// Group health: whether a redundancy group still holds its data, given the
// state of each of its members. The single recoverability rule that heal
// planning (heal.h), the simulator's loss accounting and the reference
// cluster's healer all apply. Pure: a function of its arguments only.
//
// A write reaches every member that is up when it is made (Write-All-Read-One).
// A stale member missed some writes; a lost member has nothing. With m the
// scheme's tolerated losses:
// - kHealthy: every member is healthy.
// - kDegraded: lost + stale <= m. Every write is on at least k live members;
//   a heal restores every member, stale ones in place.
// - kMissedWritesLost: lost <= m < lost + stale. The writes the stale members
//   missed exist on fewer than k members and are lost; the older data is still
//   on at least k healthy or stale members, which serve as heal sources for
//   the lost members. The stale members then count as healthy: what they
//   missed cannot be rebuilt.
// - kLost: lost > m. The group's data is gone; it can only be rebuilt empty.
#pragma once

#include <cstdint>
#include <span>

#include "engine/scheme.h"

namespace cairn {

enum class MemberState : uint8_t {
  kHealthy = 0,  // holds current data; readable
  kStale = 1,    // the disk is alive but missed writes: rebuilt in place
  kLost = 2,     // the disk is gone or failed: rebuilt on another disk
};

enum class GroupHealth : uint8_t {
  kHealthy = 0,
  kDegraded = 1,
  kMissedWritesLost = 2,
  kLost = 3,
};

struct MemberCounts {
  uint32_t healthy = 0;
  uint32_t stale = 0;
  uint32_t lost = 0;
};

MemberCounts count_members(std::span<const MemberState> members);

// The members' states say which case of the header comment holds. `members`
// has one entry per member of the group (asserted: scheme.width()).
GroupHealth group_health(std::span<const MemberState> members, const Scheme& scheme);

// How many more members the group may lose once healed as far as it can be:
// m − (lost + stale) when kHealthy or kDegraded, m − lost when
// kMissedWritesLost (the stale members' older data is what remains), and
// negative when kLost. Heal priority sorts by it, smallest first.
int64_t redundancy_margin(std::span<const MemberState> members, const Scheme& scheme);

// How many more of its members the group may lose at once before its data is
// lost (group_health() kLost): m + 1 − lost, and 0 once it is kLost. A stale
// member that fails counts like a healthy one. The simulator's rare-event
// estimator calls a failure, node loss or rack loss "fatal" when it takes at
// least this many of a group's remaining members.
uint32_t losses_until_data_loss(const MemberCounts& counts, const Scheme& scheme);

// True when the group's current data, or what is left of it, can be read:
// every state but kLost.
inline bool readable(GroupHealth health) { return health != GroupHealth::kLost; }

const char* to_string(GroupHealth health);

}  // namespace cairn
