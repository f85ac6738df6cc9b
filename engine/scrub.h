// Scrub policy: how a node checks what its disks hold against silent
// corruption and against its group's other members — in which order, at what
// pace, who compares a group's members, and what each finding triggers. The
// reference cluster's scrubber follows it; the model's latent-error process
// is to follow the same rule (DESIGN.md rule 2). Pure functions, no clock:
// time arrives as nanosecond values.
//
// Rules (the contract the tests pin):
// - Due: a node starts a pass when `interval_ns` has passed since its last
//   pass ended (a node that never scrubbed is due at once), or on request.
// - Order: a pass visits the groups the node holds members of, the longest
//   unscrubbed first (never scrubbed before any scrubbed), ties by group id.
//   Within a group, the member's files go in the store's path order.
// - Pace: engine/pace.h's rule under the node's scrub budget, from the
//   pass's start: a file costs its payload bytes plus an operation's worth.
//   kScrubUnpaced never waits (`cairn scrub --now`).
// - Comparison: one member node per group lists every member and compares
//   the listings — the node of the lowest live member (the write
//   coordinator rule, engine/write_round.h), so each group is compared once
//   per pass, not once per member.
// - Findings: a payload or record that fails its checksum is dropped from
//   the disk (only if it is still the copy that was read, so a newer write
//   is never lost) and its path repaired from the good members; a path that
//   a member lacks or holds at an older version is repaired; an intact,
//   agreeing file needs nothing. Every finding but kIntact is counted and
//   reported.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

#include "engine/codec.h"
#include "engine/ids.h"
#include "engine/pace.h"

namespace cairn {

inline constexpr uint64_t kScrubFileCostBytes = kFileOperationCostBytes;
inline constexpr uint64_t kScrubUnpaced = kUnpaced;

bool scrub_due(int64_t last_pass_end_ns, bool ever_scrubbed, int64_t now_ns, int64_t interval_ns);

struct GroupScrubState {
  GroupId group;
  bool ever_scrubbed = false;
  int64_t last_scrub_end_ns = 0;  // when a pass last finished the group
};

// The groups in the order a pass visits them.
std::vector<GroupId> scrub_order(std::span<const GroupScrubState> groups);

// What one file costs the pass's budget (pace.h).
inline uint64_t scrub_cost_bytes(uint64_t payload_bytes) { return operation_cost_bytes(payload_bytes); }
// How long to wait before the next file (pace.h).
inline int64_t scrub_wait_ns(uint64_t budget_bytes_per_s, uint64_t cost_done_bytes, int64_t elapsed_ns) {
  return pace_wait_ns(budget_bytes_per_s, cost_done_bytes, elapsed_ns);
}

// Whether member `member` of a group whose live members are `live` compares
// the group's members in this pass (it is the lowest live member).
bool leads_group_comparison(FragmentSet live, uint32_t width, uint32_t member);

enum class ScrubFinding : uint8_t {
  kIntact,          // payload and record pass their checks
  kPayloadCorrupt,  // the payload's length or CRC differs from its record
  kRecordCorrupt,   // the record fails its checks, or a data file has none
  kMemberMissing,   // another member holds the path; this one holds nothing
  kMembersDiffer,   // members hold different versions (or one is older)
};

struct ScrubAction {
  bool drop_local = false;  // remove the bad copy (if still the one read)
  bool repair = false;      // heal the path from the good members
  bool report = false;      // count it in the pass's findings
};

ScrubAction scrub_action(ScrubFinding finding);

const char* to_string(ScrubFinding finding);

}  // namespace cairn
