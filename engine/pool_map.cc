#include "engine/pool_map.h"

#include <algorithm>
#include <set>

namespace cairn {
namespace {

// kDeclustered: split every group in two (same members, half the slots each)
// while the disks average fewer than 3/4 of the member slots asked for.
void split_while_sparse(PoolMap& map, const Topology& topology) {
  uint64_t disks = pool_disks(topology, map.spec).size();
  uint64_t width = map.spec.scheme.width();
  auto& groups = map.placement.groups;
  while (4 * groups.size() * width < 3 * disks * map.spec.member_slots_per_disk &&
         groups.size() * 2 * kMinSlotsPerGroup <= (uint64_t{1} << kMaxSlotBits)) {
    uint32_t count = static_cast<uint32_t>(groups.size());
    for (uint32_t g = 0; g < count; ++g) {
      groups.push_back(groups[g]);
      split_group_slots(map.layout, GroupId(g), GroupId(count + g));
    }
  }
}

uint32_t moved_members(const Group& a, const Group& b, bool replica) {
  if (replica) {
    std::set<DiskId> before(a.members.begin(), a.members.end());
    uint32_t moved = 0;
    for (DiskId d : b.members) moved += !before.count(d);
    return moved;
  }
  uint32_t moved = 0;
  for (size_t i = 0; i < a.members.size(); ++i) moved += a.members[i] != b.members[i];
  return moved;
}

double capacity_of(const std::vector<DiskId>& disks, const Topology& topology) {
  double c = 0;
  for (DiskId d : disks) c += static_cast<double>(topology.disk(d).model.capacity_bytes);
  return c;
}

}  // namespace

Result<PoolMap> initial_map(const Topology& topology, const PoolSpec& spec) {
  Result<Placement> placement = spec.strategy == GroupStrategy::kFixed
                                    ? form_fixed(topology, spec)
                                    : form_declustered(topology, spec);
  if (!placement) return placement.status();
  PoolMap map{spec, std::move(placement).value(), {}};
  map.layout = make_layout(group_weights(map.placement, topology, spec));
  map.layout.epoch = 1;
  return map;
}

Result<PoolMap> next_map(const PoolMap& current, const Topology& topology) {
  PoolMap next = current;
  Result<Placement> placement = current.placement;
  if (current.spec.strategy == GroupStrategy::kFixed) {
    placement = next_fixed(current.placement, topology, current.spec);
  } else {
    split_while_sparse(next, topology);
    placement = rebalance_declustered(next.placement, topology, current.spec);
  }
  if (!placement) return placement.status();
  next.placement = std::move(placement).value();
  next.layout = next_layout(next.layout, group_weights(next.placement, topology, next.spec));
  return next;
}

PoolMap admit_spares(PoolMap next, const Topology& topology) {
  if (next.spec.strategy != GroupStrategy::kFixed) return next;
  std::vector<DiskId>& spares = next.placement.spares;
  std::erase_if(spares, [&](DiskId d) { return topology.disk(d).retired; });
  std::vector<bool> known(topology.disk_id_bound(), false);
  for (DiskId d : spares) known[d.value] = true;
  for (const Group& g : next.placement.groups)
    if (!g.retired)
      for (DiskId d : g.members) known[d.value] = true;
  for (DiskId d : pool_disks(topology, next.spec))
    if (!known[d.value]) spares.push_back(d);
  std::sort(spares.begin(), spares.end());
  return next;
}

PoolMap admit_spares(PoolMap next, const Topology& topology, std::span<const DiskId> fresh) {
  if (next.spec.strategy != GroupStrategy::kFixed) return next;
  std::vector<DiskId>& spares = next.placement.spares;
  std::erase_if(spares, [&](DiskId d) { return topology.disk(d).retired; });
  for (DiskId d : fresh) {
    const DiskInfo& disk = topology.disk(d);
    CAIRN_ASSERT(!disk.retired);
    if (disk.model.device_class != next.spec.device_class) continue;
    if (std::find(spares.begin(), spares.end(), d) == spares.end()) spares.push_back(d);
  }
  std::sort(spares.begin(), spares.end());
  return next;
}

std::vector<double> group_shares(const PoolMap& map) {
  uint32_t bound = static_cast<uint32_t>(map.placement.groups.size());
  std::vector<uint32_t> slots = map.layout.slots_per_group(bound);
  std::vector<double> shares(bound);
  for (uint32_t g = 0; g < bound; ++g)
    shares[g] = static_cast<double>(slots[g]) / map.layout.slot_count();
  return shares;
}

std::vector<double> disk_shares(const PoolMap& map, const Topology& topology) {
  std::vector<double> out(topology.disk_id_bound(), 0.0);
  std::vector<double> shares = group_shares(map);
  double width = map.spec.scheme.width();
  for (size_t g = 0; g < shares.size(); ++g)
    for (DiskId d : map.placement.groups[g].members) out[d.value] += shares[g] / width;
  return out;
}

std::vector<DiskId> data_disks(const PoolMap& map) {
  std::vector<bool> member;
  for (const Group& g : map.placement.groups) {
    if (g.retired) continue;
    for (DiskId d : g.members) {
      if (member.size() <= d.value) member.resize(d.value + 1, false);
      member[d.value] = true;
    }
  }
  std::vector<DiskId> out;
  for (uint32_t d = 0; d < member.size(); ++d)
    if (member[d]) out.push_back(DiskId(d));
  return out;
}

double moved_fraction(const PoolMap& from, const PoolMap& to) {
  const Layout& a = from.layout;
  const Layout& b = to.layout;
  bool replica = from.spec.scheme.is_replica();
  double width = from.spec.scheme.width();
  // Slots are compared at the finer table's resolution; a coarse slot stands
  // for 2^shift fine ones.
  uint32_t bits = std::max(a.slot_bits, b.slot_bits);
  uint32_t shift_a = bits - a.slot_bits, shift_b = bits - b.slot_bits;
  // Most slots keep their group; count those members once per group.
  const auto& ga_groups = from.placement.groups;
  const auto& gb_groups = to.placement.groups;
  std::vector<uint32_t> moved_in_place(std::min(ga_groups.size(), gb_groups.size()));
  for (size_t g = 0; g < moved_in_place.size(); ++g)
    moved_in_place[g] = moved_members(ga_groups[g], gb_groups[g], replica);
  uint64_t moved = 0;
  for (uint64_t s = 0; s < (uint64_t{1} << bits); ++s) {
    uint32_t ga = a.slot_group[s >> shift_a], gb = b.slot_group[s >> shift_b];
    moved += ga == gb ? moved_in_place[ga] : moved_members(ga_groups[ga], gb_groups[gb], replica);
  }
  return static_cast<double>(moved) / (width * static_cast<double>(uint64_t{1} << bits));
}

double ideal_moved_fraction(const PoolMap& from, const Topology& from_topology,
                            const PoolMap& to, const Topology& to_topology) {
  std::vector<DiskId> before = data_disks(from), after = data_disks(to);
  std::vector<DiskId> arrived, departed;
  std::set_difference(after.begin(), after.end(), before.begin(), before.end(),
                      std::back_inserter(arrived));
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(),
                      std::back_inserter(departed));
  double after_total = capacity_of(after, to_topology);
  double before_total = capacity_of(before, from_topology);
  double in = after_total > 0 ? capacity_of(arrived, to_topology) / after_total : 0.0;
  double out = before_total > 0 ? capacity_of(departed, from_topology) / before_total : 0.0;
  return std::max(in, out);
}

uint32_t smallest_valid_increment(const PoolMap& map, const Topology& topology,
                                  uint32_t disks_per_node, const DiskModel& disk,
                                  uint32_t max_nodes) {
  for (uint32_t k = 1; k <= max_nodes; ++k) {
    Topology grown = topology;
    grown.add_nodes_spread(k, disks_per_node, disk);
    if (next_map(map, grown)) return k;
  }
  return 0;
}

}  // namespace cairn
