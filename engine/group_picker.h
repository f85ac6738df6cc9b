// Internal to placement: the greedy that fills groups from per-disk quotas.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/ids.h"
#include "engine/scheme.h"
#include "engine/topology.h"

namespace cairn::detail {

// Forms up to `max_groups` groups of `width` members from `quota[d]` member
// slots per disk id (0 = not eligible), each group in `width` distinct
// failure domains. Each group takes the `width` domains with the most quota
// left, and in each the disk with the most quota left (then the largest);
// ties are broken by keys derived from `seed`, re-drawn at every count, so
// equal domains are taken in a fresh order on each level. Taking the fullest
// domains first forms the most groups the quotas allow (it stops early only
// when fewer than `width` domains have quota left).
std::vector<std::vector<DiskId>> pick_groups(const Topology& topology, FailureDomain domain,
                                             std::span<const uint32_t> quota,
                                             uint32_t max_groups, uint32_t width,
                                             uint64_t seed);

}  // namespace cairn::detail
