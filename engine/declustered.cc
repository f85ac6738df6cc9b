// The kDeclustered placement strategy: many groups per disk, member counts per
// disk in proportion to capacity.
#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>
#include <string>

#include "engine/group_picker.h"
#include "engine/placement.h"
#include "engine/random.h"

namespace cairn {
namespace {

constexpr uint64_t kMoveSalt = 0x6d6f7665ULL;  // "move"

// Largest-remainder apportionment of `total` over `weights`, no share above
// `cap`. Shares of capped entries are settled first (water-filling).
std::vector<uint32_t> apportion(uint64_t total, const std::vector<double>& weights, uint64_t cap) {
  size_t n = weights.size();
  std::vector<double> exact(n, 0.0);
  std::vector<bool> capped(n, false);
  double left = static_cast<double>(total);
  for (bool again = true; again;) {
    again = false;
    double free_weight = 0;
    for (size_t i = 0; i < n; ++i)
      if (!capped[i]) free_weight += weights[i];
    for (size_t i = 0; i < n; ++i) {
      if (capped[i]) continue;
      exact[i] = free_weight > 0 ? left * weights[i] / free_weight : 0.0;
      if (exact[i] > static_cast<double>(cap)) {
        capped[i] = true;
        exact[i] = static_cast<double>(cap);
        left -= static_cast<double>(cap);
        again = true;
      }
    }
  }
  std::vector<uint32_t> out(n);
  uint64_t sum = 0;
  for (size_t i = 0; i < n; ++i) sum += out[i] = static_cast<uint32_t>(std::floor(exact[i]));
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return exact[a] - std::floor(exact[a]) > exact[b] - std::floor(exact[b]);
  });
  for (size_t i : order) {
    if (sum >= total) break;
    if (out[i] < cap) ++out[i], ++sum;
  }
  return out;
}

struct Balance {
  std::vector<uint32_t> quota;     // by disk id
  std::vector<int64_t> assigned;   // by disk id
  int64_t deficit(DiskId d) const { return int64_t{quota[d.value]} - assigned[d.value]; }
};

// The allowed disk (its domain unused by the group's other members) with the
// largest deficit; `only_under` restricts the choice to disks below quota.
DiskId best_receiver(const Group& group, size_t member, const std::vector<DiskId>& candidates,
                     const Balance& balance, const Topology& topology, const PoolSpec& spec,
                     uint64_t key_seed, bool only_under) {
  std::set<uint32_t> used;
  for (size_t i = 0; i < group.members.size(); ++i)
    if (i != member && !topology.disk(group.members[i]).retired)
      used.insert(topology.domain_of(group.members[i], spec.domain));
  DiskId best(UINT32_MAX);
  int64_t best_deficit = INT64_MIN;
  uint64_t best_key = 0;
  for (DiskId d : candidates) {
    int64_t deficit = balance.deficit(d);
    if (only_under && deficit <= 0) continue;
    if (used.count(topology.domain_of(d, spec.domain))) continue;
    uint64_t key = tie_key(key_seed, d.value);
    if (deficit > best_deficit || (deficit == best_deficit && key > best_key)) {
      best = d;
      best_deficit = deficit;
      best_key = key;
    }
  }
  return best;
}

// Moves members from disks above quota to disks below it, group by group in
// a seeded order, until no move is possible. Returns the moves made.
uint64_t drain_overloaded(std::vector<Group>& groups, Balance& balance,
                          const std::vector<DiskId>& disks, const Topology& topology,
                          const PoolSpec& spec) {
  std::vector<uint32_t> order(groups.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return tie_key(spec.seed ^ kMoveSalt, a) < tie_key(spec.seed ^ kMoveSalt, b);
  });
  uint64_t moves = 0;
  for (bool progress = true; progress;) {
    progress = false;
    std::vector<DiskId> under;
    for (DiskId d : disks)
      if (balance.deficit(d) > 0) under.push_back(d);
    if (under.empty()) break;
    for (uint32_t g : order) {
      Group& group = groups[g];
      for (size_t i = 0; i < group.members.size(); ++i) {
        DiskId from = group.members[i];
        if (balance.deficit(from) >= 0) continue;
        DiskId to = best_receiver(group, i, under, balance, topology, spec,
                                  mix64(spec.seed ^ g), true);
        if (to.value == UINT32_MAX) continue;
        group.members[i] = to;
        --balance.assigned[from.value];
        ++balance.assigned[to.value];
        ++moves;
        progress = true;
      }
    }
  }
  return moves;
}

}  // namespace

std::vector<uint32_t> declustered_quotas(const Topology& topology, const PoolSpec& spec,
                                         uint32_t group_count) {
  std::vector<DiskId> disks = pool_disks(topology, spec);
  std::map<uint32_t, std::vector<DiskId>> by_domain;  // ordered: deterministic
  for (DiskId d : disks) by_domain[topology.domain_of(d, spec.domain)].push_back(d);
  std::vector<double> domain_capacity;
  for (const auto& [value, members] : by_domain) {
    double c = 0;
    for (DiskId d : members) c += static_cast<double>(topology.disk(d).model.capacity_bytes);
    domain_capacity.push_back(c);
  }
  uint64_t total = uint64_t{group_count} * spec.scheme.width();
  std::vector<uint32_t> domain_quota = apportion(total, domain_capacity, group_count);
  std::vector<uint32_t> quota(topology.disk_id_bound(), 0);
  size_t i = 0;
  for (const auto& [value, members] : by_domain) {
    std::vector<double> capacity;
    for (DiskId d : members) capacity.push_back(static_cast<double>(topology.disk(d).model.capacity_bytes));
    std::vector<uint32_t> per_disk = apportion(domain_quota[i++], capacity, UINT32_MAX);
    for (size_t j = 0; j < members.size(); ++j) quota[members[j].value] = per_disk[j];
  }
  return quota;
}

Result<Placement> form_declustered(const Topology& topology, const PoolSpec& spec) {
  if (Status s = check_domains(topology, spec); !s.is_ok()) return s;
  std::vector<DiskId> disks = pool_disks(topology, spec);
  uint32_t width = spec.scheme.width();
  uint64_t wanted = (uint64_t{disks.size()} * spec.member_slots_per_disk + width / 2) / width;
  uint32_t group_count = static_cast<uint32_t>(std::max<uint64_t>(1, wanted));
  std::vector<uint32_t> quota = declustered_quotas(topology, spec, group_count);
  auto picked = detail::pick_groups(topology, spec.domain, quota, group_count, width, spec.seed);
  CAIRN_ASSERT(picked.size() == group_count);  // quotas are capped per domain
  Placement placement;
  for (auto& members : picked) placement.groups.push_back({std::move(members), false});
  return placement;
}

Result<Placement> rebalance_declustered(const Placement& current, const Topology& topology,
                                        const PoolSpec& spec) {
  if (Status s = check_domains(topology, spec); !s.is_ok()) return s;
  std::vector<DiskId> disks = pool_disks(topology, spec);
  Placement next = current;
  uint32_t group_count = static_cast<uint32_t>(next.groups.size());
  Balance balance{declustered_quotas(topology, spec, group_count),
                  std::vector<int64_t>(topology.disk_id_bound(), 0)};
  for (const Group& g : next.groups)
    for (DiskId d : g.members)
      if (!topology.disk(d).retired) ++balance.assigned[d.value];
  // Members on retired disks move first: their data must move in any case.
  for (uint32_t g = 0; g < group_count; ++g) {
    Group& group = next.groups[g];
    for (size_t i = 0; i < group.members.size(); ++i) {
      if (!topology.disk(group.members[i]).retired) continue;
      uint64_t key_seed = mix64(spec.seed ^ g);
      DiskId to = best_receiver(group, i, disks, balance, topology, spec, key_seed, true);
      if (to.value == UINT32_MAX)
        to = best_receiver(group, i, disks, balance, topology, spec, key_seed, false);
      CAIRN_ASSERT(to.value != UINT32_MAX);  // at least `width` domains exist
      group.members[i] = to;
      ++balance.assigned[to.value];
    }
  }
  drain_overloaded(next.groups, balance, disks, topology, spec);
  return next;
}

}  // namespace cairn
