// Layout: the elastic hash that maps a file path to a redundancy group.
//
// path_hash() is XXH3-64 (xxHash 0.8, stable output since 0.8.0) of the path's
// bytes with seed 0, keeping the high 32 bits. The 32-bit hash space is cut
// into 2^slot_bits equal slots; the slot table names the group that owns each
// slot. A group's share of the hash space is its slot count / 2^slot_bits,
// sized by its weight (data-bearing capacity). Lookup is a hash and one table
// read: no metadata service and no I/O.
//
// next_layout() keeps every slot whose owner may keep it: it moves only slots
// of groups above their target to groups below theirs, so the hash space that
// changes owner is the least the new weights allow. Growing the table (more
// slot bits) splits each slot into equal halves with the same owner and moves
// nothing. The epoch increases with every change.
//
// Format (version kLayoutFormatVersion, pinned by golden vectors in
// tests/engine/layout_test.cc): hash as above; slot = (hash << slot_bits) >> 32.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "engine/ids.h"

namespace cairn {

inline constexpr uint32_t kLayoutFormatVersion = 1;
// Each group with weight gets at least this many slots, so slot rounding costs
// at most 1/128 (< 0.8 %) of a group's share.
inline constexpr uint32_t kMinSlotsPerGroup = 128;
inline constexpr uint32_t kMaxSlotBits = 24;  // 16 Mi slots, 64 MiB table

uint32_t path_hash(std::string_view path);

struct Layout {
  uint32_t format_version = kLayoutFormatVersion;
  uint64_t epoch = 0;
  uint32_t slot_bits = 0;
  std::vector<uint32_t> slot_group;  // GroupId value per slot; size 2^slot_bits

  uint32_t slot_count() const { return static_cast<uint32_t>(slot_group.size()); }
  uint32_t slot_of(uint32_t hash) const {
    return static_cast<uint32_t>((static_cast<uint64_t>(hash) << slot_bits) >> 32);
  }
  GroupId group_of_hash(uint32_t hash) const { return GroupId(slot_group[slot_of(hash)]); }
  GroupId lookup(std::string_view path) const { return group_of_hash(path_hash(path)); }
  // Slots owned by each group id below `group_bound`.
  std::vector<uint32_t> slots_per_group(uint32_t group_bound) const;
};

// A first layout for groups with these weights (index = GroupId value; weight
// 0 = owns nothing). At least one weight must be positive.
Layout make_layout(std::span<const double> group_weights);

// The layout for new weights (which may name more groups than `current`),
// moving as little of the hash space as the new weights allow. Epoch + 1.
Layout next_layout(const Layout& current, std::span<const double> group_weights);

// `layout` with group `from` giving every other one of its slots (in slot
// order) to `to`, which must own none yet. Moves no data when `to` has the same
// members as `from`; used to split declustered groups. Does not change epoch.
void split_group_slots(Layout& layout, GroupId from, GroupId to);

// Fraction of the hash space whose owner differs between two layouts.
double changed_hash_fraction(const Layout& a, const Layout& b);

}  // namespace cairn
