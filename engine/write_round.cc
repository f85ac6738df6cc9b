#include "engine/write_round.h"

#include <algorithm>
#include <string>

namespace cairn {

uint32_t default_min_live(const Scheme& scheme) {
  if (scheme.is_replica()) return std::min(2U, scheme.width());
  return std::min(scheme.k + 1, scheme.width());
}

Status check_min_live(const Scheme& scheme, uint32_t min_live) {
  const uint32_t least = scheme.is_replica() ? 1 : scheme.k;
  if (min_live < least || min_live > scheme.width()) {
    return invalid_argument("min_live " + std::to_string(min_live) + " for " + scheme.to_string() +
                            " must be between " + std::to_string(least) + " and " +
                            std::to_string(scheme.width()));
  }
  return Status::ok();
}

bool takes_writes(uint32_t live_members, uint32_t min_live) { return live_members >= min_live; }

std::optional<uint32_t> coordinator(FragmentSet live, uint32_t width) {
  for (uint32_t i = 0; i < width; ++i) {
    if (live.contains(i)) return i;
  }
  return std::nullopt;
}

Result<WriteRound> WriteRound::start(const Scheme& scheme, FragmentSet live, FragmentSet used,
                                     uint32_t min_live) {
  CAIRN_ASSERT(check_min_live(scheme, min_live).is_ok());
  const FragmentSet all = FragmentSet::first(scheme.width());
  live = live & all;
  used = used & all;
  CAIRN_ASSERT(!used.empty());
  if (!takes_writes(live.size(), min_live)) {
    return unavailable("only " + std::to_string(live.size()) + " of " +
                       std::to_string(scheme.width()) + " members are up; " + scheme.to_string() +
                       " takes writes with at least " + std::to_string(min_live));
  }
  WriteRound round;
  round.used_ = used;
  round.targets_ = live & used;
  const uint32_t slack = scheme.width() - min_live;
  round.required_ = used.size() > slack ? used.size() - slack : 1;
  return round;
}

void WriteRound::acked(uint32_t member) {
  CAIRN_ASSERT(targets_.contains(member) && !failed_.contains(member));
  written_.insert(member);
}

void WriteRound::failed(uint32_t member) {
  CAIRN_ASSERT(targets_.contains(member) && !written_.contains(member));
  failed_.insert(member);
}

Status WriteRound::outcome() const {
  CAIRN_ASSERT(finished());
  if (written_.size() >= required_) return Status::ok();
  return unavailable("only " + std::to_string(written_.size()) + " of " +
                     std::to_string(used_.size()) + " members stored the file durably; " +
                     std::to_string(required_) + " are required");
}

}  // namespace cairn
