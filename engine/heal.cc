#include "engine/heal.h"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>
#include <numeric>
#include <set>
#include <string>

#include "engine/placement.h"

namespace cairn {
namespace {


// What earlier plans of the batch have taken. Reads and taken spares touch
// the disks the batch plans on, not the whole cluster, so they are hashed
// (looked up and inserted only, never iterated: no decision depends on their
// order).
struct Batch {
  std::vector<uint64_t> free_bytes;                  // by disk id, after the targets chosen so far
  std::unordered_map<uint32_t, uint64_t> read_bytes;  // disk id -> planned source reads
  std::unordered_set<uint32_t> spare_taken;           // disk ids (kFixed: a spare serves one member)
  uint64_t reads_of(DiskId d) const {
    auto it = read_bytes.find(d.value);
    return it == read_bytes.end() ? 0 : it->second;
  }
};

int64_t margin(const HealRequest& request, const Scheme& scheme) {
  return redundancy_margin(request.members, scheme);
}

std::string group_name(GroupId g) {
  return "group " + std::to_string(g.value);
}

Status check_request(const PoolMap& map, const Topology& topology, const HealRequest& r) {
  if (r.group.value >= map.placement.groups.size())
    return invalid_argument(group_name(r.group) + " is not in the pool map");
  const Group& group = map.group(r.group);
  if (group.retired) return invalid_argument(group_name(r.group) + " is retired");
  if (r.members.size() != group.members.size())
    return invalid_argument(group_name(r.group) + " has " + std::to_string(group.members.size()) +
                            " members; the request gives " + std::to_string(r.members.size()) +
                            " states");
  if (!r.skip.empty() && r.skip.size() != r.members.size())
    return invalid_argument(group_name(r.group) + ": skip gives " + std::to_string(r.skip.size()) +
                            " flags for " + std::to_string(r.members.size()) + " members");
  for (size_t i = 0; i < r.members.size(); ++i) {
    CAIRN_ASSERT(group.members[i].value < topology.disk_id_bound());
    if (r.members[i] != MemberState::kLost && topology.disk(group.members[i]).retired)
      return invalid_argument(group_name(r.group) + " member " + std::to_string(i) +
                              " is on retired disk " + std::to_string(group.members[i].value) +
                              " but not marked lost");
  }
  return Status::ok();
}

Status check_batch(const PoolMap& map, const Topology& topology,
                   std::span<const HealRequest> requests, std::span<const uint64_t> free_bytes) {
  if (free_bytes.size() < topology.disk_id_bound())
    return invalid_argument("free bytes cover " + std::to_string(free_bytes.size()) +
                            " disks; the topology has " + std::to_string(topology.disk_id_bound()));
  std::set<GroupId> seen;
  for (const HealRequest& r : requests) {
    if (Status s = check_request(map, topology, r); !s.is_ok()) return s;
    if (!seen.insert(r.group).second)
      return invalid_argument(group_name(r.group) + " is requested twice in one batch");
  }
  return Status::ok();
}

}  // namespace

std::vector<size_t> heal_priority_order(std::span<const HealRequest> requests, const Scheme& scheme) {
  std::vector<size_t> order(requests.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const HealRequest& x = requests[a];
    const HealRequest& y = requests[b];
    int64_t mx = margin(x, scheme), my = margin(y, scheme);
    if (mx != my) return mx < my;
    if (x.member_bytes != y.member_bytes) return x.member_bytes > y.member_bytes;
    return x.group < y.group;
  });
  return order;
}

namespace {

// Disks a lost member may move to: the pool's spares (kFixed) or its live disks.
std::vector<DiskId> candidate_disks(const PoolMap& map, const Topology& topology) {
  if (map.spec.strategy == GroupStrategy::kDeclustered) return pool_disks(topology, map.spec);
  std::vector<DiskId> out;
  for (DiskId d : map.placement.spares) {
    const DiskInfo& disk = topology.disk(d);
    if (!disk.retired && disk.model.device_class == map.spec.device_class) out.push_back(d);
  }
  return out;
}

// The disk that may hold member `member` of `members` (the group as it will be
// after this heal), or kNoDisk: choose_replacement over the candidates that
// are neither taken spares nor original members (a lost disk that is not yet
// retired keeps its domain reserved, and is never its own target).
DiskId pick_target(const PoolMap& map, const Topology& topology, GroupId group,
                   std::span<const DiskId> original, std::span<const DiskId> members,
                   uint32_t member, uint64_t bytes, std::span<const DiskId> candidates,
                   const Batch& batch) {
  std::vector<DiskId> open;
  for (DiskId d : candidates)
    if (!batch.spare_taken.contains(d.value) && std::find(original.begin(), original.end(), d) == original.end())
      open.push_back(d);
  return choose_replacement(topology, map.spec, group, members, member, open, batch.free_bytes, bytes);
}

// Chooses every target of `plan`, in member index order, and charges the batch.
void place_targets(const PoolMap& map, const Topology& topology, const HealRequest& request,
                   std::span<const DiskId> candidates, Batch& batch, HealPlan& plan) {
  const std::vector<DiskId>& original = map.group(request.group).members;
  std::vector<DiskId> members = original;
  bool exclusive = map.spec.strategy == GroupStrategy::kFixed;
  // In a kMissedWritesLost group a stale member has nothing left to catch up.
  bool rebuild_stale = plan.health != GroupHealth::kMissedWritesLost;
  for (uint32_t i = 0; i < members.size(); ++i) {
    if (!request.skip.empty() && request.skip[i]) continue;
    if (request.members[i] == MemberState::kStale) {
      if (rebuild_stale) plan.targets.push_back({i, members[i], true, topology.disk(members[i]).node});
      continue;
    }
    if (request.members[i] != MemberState::kLost) continue;
    DiskId to = pick_target(map, topology, request.group, original, members, i,
                            request.member_bytes, candidates, batch);
    if (to == kNoDisk) {
      plan.unplaced_members.push_back(i);
      continue;
    }
    members[i] = to;
    batch.free_bytes[to.value] -= request.member_bytes;
    if (exclusive) batch.spare_taken.insert(to.value);
    plan.targets.push_back({i, to, false, topology.disk(to).node});
  }
}

// Whether member state `s` can be read in a group of `health`.
bool readable_member(MemberState s, GroupHealth health) {
  return s == MemberState::kHealthy ||
         (s == MemberState::kStale && health == GroupHealth::kMissedWritesLost);
}

// Chooses the sources (1 or k readable members, least planned read load
// first) and charges their reads to the batch.
void pick_sources(const PoolMap& map, const HealRequest& request, Batch& batch, HealPlan& plan) {
  const std::vector<DiskId>& members = map.group(request.group).members;
  std::vector<uint32_t> healthy;
  std::vector<uint64_t> load(members.size(), 0);  // by member: reads planned on its disk
  for (uint32_t i = 0; i < members.size(); ++i) {
    if (!readable_member(request.members[i], plan.health)) continue;
    healthy.push_back(i);
    load[i] = batch.reads_of(members[i]);
  }
  std::stable_sort(healthy.begin(), healthy.end(),
                   [&](uint32_t a, uint32_t b) { return load[a] < load[b]; });
  uint32_t needed = map.spec.scheme.data_members();
  CAIRN_ASSERT(healthy.size() >= needed);
  healthy.resize(needed);
  std::sort(healthy.begin(), healthy.end());
  for (uint32_t i : healthy) {
    plan.source_members.push_back(i);
    plan.source_disks.push_back(members[i]);
    batch.read_bytes[members[i].value] += request.member_bytes;
  }
}

HealPlan plan_one(const PoolMap& map, const Topology& topology, const HealRequest& request,
                  std::span<const DiskId> candidates, Batch& batch) {
  const Scheme& scheme = map.spec.scheme;
  HealPlan plan;
  plan.group = request.group;
  plan.member_bytes = request.member_bytes;
  plan.health = group_health(request.members, scheme);
  plan.recoverable = readable(plan.health);
  int64_t left = margin(request, scheme);
  CAIRN_ASSERT(plan.recoverable == (left >= 0));
  if (!plan.recoverable) return plan;
  plan.redundancy_left = static_cast<uint32_t>(left);
  place_targets(map, topology, request, candidates, batch, plan);
  if (plan.targets.empty()) return plan;
  pick_sources(map, request, batch, plan);
  plan.read_bytes = uint64_t{scheme.data_members()} * request.member_bytes;
  plan.write_bytes = plan.targets.size() * request.member_bytes;
  return plan;
}

}  // namespace

Result<std::vector<HealPlan>> plan_heals(const PoolMap& map, const Topology& topology,
                                         std::span<const HealRequest> requests,
                                         std::vector<uint64_t> free_bytes_by_disk) {
  if (Status s = check_batch(map, topology, requests, free_bytes_by_disk); !s.is_ok()) return s;
  free_bytes_by_disk.resize(topology.disk_id_bound());
  Batch batch{std::move(free_bytes_by_disk), {}, {}};
  std::vector<DiskId> candidates = candidate_disks(map, topology);
  std::vector<HealPlan> plans;
  plans.reserve(requests.size());
  for (size_t r : heal_priority_order(requests, map.spec.scheme))
    plans.push_back(plan_one(map, topology, requests[r], candidates, batch));
  return plans;
}

void reserve_running_targets(const PoolMap& map, std::span<const HealPlan> running,
                             std::span<uint64_t> free_bytes_by_disk) {
  bool exclusive = map.spec.strategy == GroupStrategy::kFixed;
  for (const HealPlan& plan : running)
    for (const HealPlan::Target& t : plan.targets) {
      if (t.in_place) continue;
      uint64_t& free = free_bytes_by_disk[t.disk.value];
      free = exclusive ? 0 : free - std::min(free, plan.member_bytes);
    }
}

PoolMap apply_heals(PoolMap next, std::span<const HealPlan> plans) {
  bool changed = false;
  for (const HealPlan& plan : plans) {
    CAIRN_ASSERT(plan.group.value < next.placement.groups.size());
    CAIRN_ASSERT(plan.recoverable || plan.targets.empty());
    Group& group = next.placement.groups[plan.group.value];
    for (const HealPlan::Target& t : plan.targets) {
      CAIRN_ASSERT(t.member < group.members.size());
      if (t.in_place) {
        CAIRN_ASSERT(group.members[t.member] == t.disk);
        continue;
      }
      group.members[t.member] = t.disk;
      changed = true;
      if (next.spec.strategy != GroupStrategy::kFixed) continue;
      auto spare = std::find(next.placement.spares.begin(), next.placement.spares.end(), t.disk);
      CAIRN_ASSERT(spare != next.placement.spares.end());  // each spare serves once
      next.placement.spares.erase(spare);
    }
  }
  if (changed) ++next.layout.epoch;
  return next;
}

}  // namespace cairn
