// Placement helpers shared by both strategies, and the kFixed strategy.
#include "engine/placement.h"

#include <algorithm>
#include <set>
#include <string>

#include "engine/group_picker.h"
#include "engine/random.h"

namespace cairn {
namespace {

std::string domain_plural(FailureDomain d) { return std::string(to_string(d)) + "s"; }

bool is_pool_disk(const Topology& topology, const PoolSpec& spec, DiskId d) {
  const DiskInfo& disk = topology.disk(d);
  return !disk.retired && disk.model.device_class == spec.device_class;
}

uint32_t count_domains(const Topology& topology, FailureDomain domain,
                       const std::vector<DiskId>& disks) {
  std::set<uint32_t> seen;
  for (DiskId d : disks) seen.insert(topology.domain_of(d, domain));
  return static_cast<uint32_t>(seen.size());
}

// Forms whole groups from `candidates` (one member slot each); the rest are
// returned in `leftover`.
std::vector<Group> form_from(const Topology& topology, const PoolSpec& spec,
                             const std::vector<DiskId>& candidates, uint64_t salt,
                             std::vector<DiskId>& leftover) {
  std::vector<uint32_t> quota(topology.disk_id_bound(), 0);
  for (DiskId d : candidates) quota[d.value] = 1;
  auto picked = detail::pick_groups(topology, spec.domain, quota, UINT32_MAX,
                                    spec.scheme.width(), mix64(spec.seed ^ salt));
  std::vector<Group> groups;
  for (auto& members : picked) {
    for (DiskId d : members) quota[d.value] = 0;
    groups.push_back({std::move(members), false});
  }
  for (DiskId d : candidates)
    if (quota[d.value] == 1) leftover.push_back(d);
  return groups;
}

// Replaces members on retired disks with spares (choose_replacement, free
// bytes = capacity: spares hold nothing). Groups whose members all left
// retire. Returns the number of groups that could not be repaired; on a
// non-zero return `groups` and `spares` are half-changed and must be dropped.
uint32_t substitute_spares(std::vector<Group>& groups, std::vector<DiskId>& spares,
                           const Topology& topology, const PoolSpec& spec) {
  std::vector<uint64_t> free(topology.disk_id_bound(), 0);
  for (DiskId d : spares) free[d.value] = topology.disk(d).model.capacity_bytes;
  uint32_t unrepaired = 0;
  for (uint32_t g = 0; g < groups.size(); ++g) {
    Group& group = groups[g];
    if (group.retired) continue;
    bool all_gone = std::all_of(group.members.begin(), group.members.end(),
                                [&](DiskId d) { return topology.disk(d).retired; });
    if (all_gone) {
      group.retired = true;
      continue;
    }
    for (uint32_t i = 0; i < group.members.size(); ++i) {
      if (!topology.disk(group.members[i]).retired) continue;
      DiskId spare = choose_replacement(topology, spec, GroupId(g), group.members, i, spares, free, 0);
      if (spare == kNoDisk) {
        ++unrepaired;
        break;
      }
      group.members[i] = spare;
      std::erase(spares, spare);
    }
  }
  return unrepaired;
}

}  // namespace

DiskId choose_replacement(const Topology& topology, const PoolSpec& spec, GroupId group,
                          std::span<const DiskId> members, uint32_t member,
                          std::span<const DiskId> candidates, std::span<const uint64_t> free_bytes,
                          uint64_t bytes) {
  constexpr uint64_t kReplaceSalt = 0x6865616cULL;  // "heal"
  std::set<uint32_t> used;
  for (uint32_t i = 0; i < members.size(); ++i)
    if (i != member && !topology.disk(members[i]).retired)
      used.insert(topology.domain_of(members[i], spec.domain));
  DiskId best = kNoDisk;
  uint64_t best_free = 0, best_key = 0;
  for (DiskId d : candidates) {
    uint64_t free = free_bytes[d.value];
    if (topology.disk(d).retired || free < bytes) continue;
    if (std::find(members.begin(), members.end(), d) != members.end()) continue;
    if (used.count(topology.domain_of(d, spec.domain))) continue;
    uint64_t key = tie_key(spec.seed ^ kReplaceSalt, d.value, group.value);
    if (best == kNoDisk || free > best_free || (free == best_free && key > best_key)) {
      best = d;
      best_free = free;
      best_key = key;
    }
  }
  return best;
}

Status check_domains(const Topology& topology, const PoolSpec& spec) {
  std::vector<DiskId> disks = pool_disks(topology, spec);
  uint32_t domains = count_domains(topology, spec.domain, disks);
  if (domains >= spec.scheme.width()) return Status::ok();
  return unsatisfiable(spec.scheme.to_string() + " needs " + std::to_string(spec.scheme.width()) +
                       " disks in distinct " + domain_plural(spec.domain) + "; the " +
                       to_string(spec.device_class) + " disks span only " + std::to_string(domains) +
                       " " + domain_plural(spec.domain) + " (" + std::to_string(disks.size()) +
                       " disks)");
}

std::vector<DiskId> pool_disks(const Topology& topology, const PoolSpec& spec) {
  std::vector<DiskId> out;
  for (DiskId d : topology.live_disks())
    if (is_pool_disk(topology, spec, d)) out.push_back(d);
  return out;
}

std::vector<double> group_weights(const Placement& placement, const Topology& topology,
                                  const PoolSpec& spec) {
  std::vector<double> weights;
  weights.reserve(placement.groups.size());
  for (const Group& g : placement.groups) {
    if (g.retired) {
      weights.push_back(0.0);
    } else if (spec.strategy == GroupStrategy::kDeclustered) {
      weights.push_back(1.0);
    } else {
      uint64_t smallest = UINT64_MAX;
      for (DiskId d : g.members)
        smallest = std::min(smallest, topology.disk(d).model.capacity_bytes);
      weights.push_back(static_cast<double>(smallest));
    }
  }
  return weights;
}

uint32_t count_violations(const Placement& placement, const Topology& topology,
                          const PoolSpec& spec) {
  uint32_t bad = 0;
  for (const Group& g : placement.groups) {
    if (g.retired) continue;
    std::set<uint32_t> domains;
    bool ok = g.members.size() == spec.scheme.width();
    for (DiskId d : g.members) {
      ok = ok && !topology.disk(d).retired && domains.insert(topology.domain_of(d, spec.domain)).second;
    }
    bad += !ok;
  }
  return bad;
}

Result<Placement> form_fixed(const Topology& topology, const PoolSpec& spec) {
  if (Status s = check_domains(topology, spec); !s.is_ok()) return s;
  std::vector<DiskId> disks = pool_disks(topology, spec);
  Placement placement;
  placement.groups = form_from(topology, spec, disks, 0, placement.spares);
  CAIRN_ASSERT(!placement.groups.empty());
  return placement;
}

Result<Placement> next_fixed(const Placement& current, const Topology& topology,
                             const PoolSpec& spec) {
  Placement next = current;
  std::erase_if(next.spares, [&](DiskId d) { return !is_pool_disk(topology, spec, d); });
  uint32_t unrepaired = substitute_spares(next.groups, next.spares, topology, spec);
  bool fresh_substituted = false;
  if (unrepaired > 0) {
    // A change that retires disks and adds others at once (a hardware
    // refresh) may mend the groups it breaks with the new disks; tried only
    // when the spares alone cannot, so that a change the spares mend keeps
    // the choice it always had.
    std::set<DiskId> known(current.spares.begin(), current.spares.end());
    for (const Group& g : current.groups) known.insert(g.members.begin(), g.members.end());
    Placement retry = current;
    std::erase_if(retry.spares, [&](DiskId d) { return !is_pool_disk(topology, spec, d); });
    for (DiskId d : pool_disks(topology, spec))
      if (!known.count(d)) retry.spares.push_back(d);
    std::sort(retry.spares.begin(), retry.spares.end());
    if (substitute_spares(retry.groups, retry.spares, topology, spec) == 0) {
      // The unused new disks are fresh again: they form groups below or stay spares.
      std::erase_if(retry.spares, [&](DiskId d) { return !known.count(d); });
      next = std::move(retry);
      unrepaired = 0;
      fresh_substituted = true;
    }
  }
  if (unrepaired > 0) {
    return refused("the change takes members from " + std::to_string(unrepaired) +
                   " fixed " + spec.scheme.to_string() +
                   " groups that no spare in another " + to_string(spec.domain) +
                   " can replace; fixed groups leave whole (remove every member of a group) "
                   "or need a spare per lost member");
  }
  std::set<DiskId> known(next.spares.begin(), next.spares.end());
  for (const Group& g : next.groups)
    known.insert(g.members.begin(), g.members.end());
  std::vector<DiskId> fresh;
  for (DiskId d : pool_disks(topology, spec))
    if (!known.count(d)) fresh.push_back(d);
  if (fresh.empty()) return next;
  std::vector<DiskId> leftover;
  std::vector<Group> added = form_from(topology, spec, fresh, next.groups.size(), leftover);
  if (added.empty() && fresh_substituted) {
    // Some new disks replaced retiring members; the rest cannot form a
    // group of their own and wait as spares.
    next.spares.insert(next.spares.end(), fresh.begin(), fresh.end());
    std::sort(next.spares.begin(), next.spares.end());
    return next;
  }
  if (added.empty()) {
    return refused("the " + std::to_string(fresh.size()) + " new disks span " +
                   std::to_string(count_domains(topology, spec.domain, fresh)) + " " +
                   domain_plural(spec.domain) + "; a fixed " + spec.scheme.to_string() +
                   " group needs " + std::to_string(spec.scheme.width()) +
                   " new disks in distinct " + domain_plural(spec.domain));
  }
  next.groups.insert(next.groups.end(), added.begin(), added.end());
  next.spares.insert(next.spares.end(), leftover.begin(), leftover.end());
  std::sort(next.spares.begin(), next.spares.end());
  return next;
}

}  // namespace cairn
