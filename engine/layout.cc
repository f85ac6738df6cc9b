#include "engine/layout.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "engine/status.h"

namespace cairn {
namespace {

constexpr uint32_t kNoGroup = std::numeric_limits<uint32_t>::max();

// Smallest slot_bits >= `at_least` giving every weighted group
// kMinSlotsPerGroup slots, capped at kMaxSlotBits.
uint32_t choose_slot_bits(std::span<const double> weights, uint32_t at_least) {
  double total = 0, smallest = std::numeric_limits<double>::infinity();
  for (double w : weights) {
    CAIRN_ASSERT(w >= 0 && std::isfinite(w));
    if (w > 0) {
      total += w;
      smallest = std::min(smallest, w);
    }
  }
  CAIRN_ASSERT(total > 0);
  double needed = kMinSlotsPerGroup * total / smallest;
  uint32_t bits = at_least;
  while (bits < kMaxSlotBits && static_cast<double>(uint64_t{1} << bits) < needed) ++bits;
  return bits;
}

void grow_table(Layout& layout, uint32_t bits) {
  if (bits <= layout.slot_bits) return;
  uint32_t factor_log2 = bits - layout.slot_bits;
  std::vector<uint32_t> grown(size_t{1} << bits);
  for (size_t i = 0; i < grown.size(); ++i) grown[i] = layout.slot_group[i >> factor_log2];
  layout.slot_group = std::move(grown);
  layout.slot_bits = bits;
}

// Final slot count per group: each within [floor, ceil] of its exact target,
// as close to its current count as the total allows (fewest slots move).
std::vector<uint32_t> quotas(std::span<const double> weights, std::span<const uint32_t> counts,
                             uint32_t slots) {
  size_t n = std::max(weights.size(), counts.size());
  double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<double> target(n, 0.0);
  std::vector<uint32_t> lo(n, 0), hi(n, 0), q(n, 0);
  int64_t sum = 0;
  for (size_t g = 0; g < n; ++g) {
    double w = g < weights.size() ? weights[g] : 0.0;
    uint32_t c = g < counts.size() ? counts[g] : 0;
    target[g] = slots * w / total;
    lo[g] = static_cast<uint32_t>(std::floor(target[g]));
    hi[g] = static_cast<uint32_t>(std::ceil(target[g]));
    q[g] = std::clamp(c, lo[g], hi[g]);
    sum += q[g];
  }
  // Settle the rounding: raise (or lower) the groups whose exact target is
  // closest to the next integer; each step moves exactly one slot either way.
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  auto frac = [&](size_t g) { return target[g] - lo[g]; };
  if (sum < slots) {
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return frac(a) > frac(b); });
    for (size_t g : order) {
      if (sum == slots) break;
      if (q[g] < hi[g]) ++q[g], ++sum;
    }
  } else if (sum > slots) {
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return frac(a) < frac(b); });
    for (size_t g : order) {
      if (sum == slots) break;
      if (q[g] > lo[g]) --q[g], --sum;
    }
  }
  CAIRN_ASSERT(sum == slots);
  return q;
}

// Frees each donor's surplus (its lowest-numbered slots) and hands the freed
// and unowned slots, in slot order, to the groups below quota, in id order.
void reassign(Layout& layout, std::span<const uint32_t> quota) {
  std::vector<uint32_t> have = layout.slots_per_group(static_cast<uint32_t>(quota.size()));
  std::vector<uint32_t> pool;
  for (uint32_t s = 0; s < layout.slot_count(); ++s) {
    uint32_t& owner = layout.slot_group[s];
    if (owner != kNoGroup && have[owner] > quota[owner]) {
      --have[owner];
      owner = kNoGroup;
    }
    if (owner == kNoGroup) pool.push_back(s);
  }
  size_t next = 0;
  for (uint32_t g = 0; g < quota.size(); ++g) {
    for (; have[g] < quota[g]; ++have[g]) {
      CAIRN_ASSERT(next < pool.size());
      layout.slot_group[pool[next++]] = g;
    }
  }
  CAIRN_ASSERT(next == pool.size());
}

}  // namespace

uint32_t path_hash(std::string_view path) {
  return static_cast<uint32_t>(XXH3_64bits(path.data(), path.size()) >> 32);
}

std::vector<uint32_t> Layout::slots_per_group(uint32_t group_bound) const {
  std::vector<uint32_t> counts(group_bound, 0);
  for (uint32_t g : slot_group)
    if (g != kNoGroup) {
      CAIRN_ASSERT(g < group_bound);
      ++counts[g];
    }
  return counts;
}

Layout make_layout(std::span<const double> group_weights) {
  Layout layout;
  uint32_t bits = choose_slot_bits(group_weights, 0);
  layout.slot_bits = bits;
  layout.slot_group.assign(size_t{1} << bits, kNoGroup);
  std::vector<uint32_t> none(group_weights.size(), 0);
  reassign(layout, quotas(group_weights, none, layout.slot_count()));
  return layout;
}

Layout next_layout(const Layout& current, std::span<const double> group_weights) {
  Layout next = current;
  grow_table(next, choose_slot_bits(group_weights, current.slot_bits));
  uint32_t bound = static_cast<uint32_t>(group_weights.size());
  for (uint32_t g : next.slot_group) bound = std::max(bound, g + 1);
  std::vector<uint32_t> counts = next.slots_per_group(bound);
  reassign(next, quotas(group_weights, counts, next.slot_count()));
  ++next.epoch;
  return next;
}

void split_group_slots(Layout& layout, GroupId from, GroupId to) {
  bool give = false;
  for (uint32_t& owner : layout.slot_group) {
    CAIRN_ASSERT(owner != to.value);
    if (owner != from.value) continue;
    if (give) owner = to.value;
    give = !give;
  }
}

double changed_hash_fraction(const Layout& a, const Layout& b) {
  const Layout& fine = a.slot_bits >= b.slot_bits ? a : b;
  const Layout& coarse = a.slot_bits >= b.slot_bits ? b : a;
  uint32_t shift = fine.slot_bits - coarse.slot_bits;
  uint64_t changed = 0;
  for (size_t i = 0; i < fine.slot_group.size(); ++i)
    changed += fine.slot_group[i] != coarse.slot_group[i >> shift];
  return static_cast<double>(changed) / static_cast<double>(fine.slot_group.size());
}

}  // namespace cairn
