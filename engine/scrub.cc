#include "engine/scrub.h"

#include <algorithm>

#include "engine/status.h"
#include "engine/write_round.h"

namespace cairn {

bool scrub_due(int64_t last_pass_end_ns, bool ever_scrubbed, int64_t now_ns, int64_t interval_ns) {
  CAIRN_ASSERT(interval_ns > 0);
  if (!ever_scrubbed) return true;
  return now_ns - last_pass_end_ns >= interval_ns;
}

std::vector<GroupId> scrub_order(std::span<const GroupScrubState> groups) {
  std::vector<GroupScrubState> sorted(groups.begin(), groups.end());
  std::sort(sorted.begin(), sorted.end(), [](const GroupScrubState& a, const GroupScrubState& b) {
    if (a.ever_scrubbed != b.ever_scrubbed) return !a.ever_scrubbed;
    if (a.ever_scrubbed && a.last_scrub_end_ns != b.last_scrub_end_ns)
      return a.last_scrub_end_ns < b.last_scrub_end_ns;
    return a.group < b.group;
  });
  std::vector<GroupId> out;
  out.reserve(sorted.size());
  for (const GroupScrubState& g : sorted) out.push_back(g.group);
  return out;
}

bool leads_group_comparison(FragmentSet live, uint32_t width, uint32_t member) {
  CAIRN_ASSERT(member < width);
  const std::optional<uint32_t> lead = coordinator(live, width);
  return lead.has_value() && *lead == member;
}

ScrubAction scrub_action(ScrubFinding finding) {
  switch (finding) {
    case ScrubFinding::kIntact: return {};
    case ScrubFinding::kPayloadCorrupt:
    case ScrubFinding::kRecordCorrupt: return {true, true, true};
    case ScrubFinding::kMemberMissing:
    case ScrubFinding::kMembersDiffer: return {false, true, true};
  }
  CAIRN_ASSERT(false);
  return {};
}

const char* to_string(ScrubFinding finding) {
  switch (finding) {
    case ScrubFinding::kIntact: return "intact";
    case ScrubFinding::kPayloadCorrupt: return "payload corrupt";
    case ScrubFinding::kRecordCorrupt: return "record corrupt";
    case ScrubFinding::kMemberMissing: return "member missing";
    case ScrubFinding::kMembersDiffer: return "members differ";
  }
  return "?";
}

}  // namespace cairn
