#include "engine/heal_policy.h"

#include <algorithm>
#include <map>

namespace cairn {

std::vector<MemberState> member_states(const GroupView& view) {
  std::vector<MemberState> out(view.members.size(), MemberState::kHealthy);
  for (size_t i = 0; i < view.members.size(); ++i) {
    if (view.members[i].failed) out[i] = MemberState::kLost;
    else if (view.members[i].stale) out[i] = MemberState::kStale;
  }
  return out;
}

bool rebuilds_lost_member(const HealPlan& plan) {
  return std::any_of(plan.targets.begin(), plan.targets.end(), [](const HealPlan::Target& t) { return !t.in_place; });
}

std::optional<HealRequest> heal_request(const GroupView& view, const Scheme& scheme) {
  CAIRN_ASSERT(view.members.size() == scheme.width());
  for (const MemberView& member : view.members)
    if (member.on_down_node) return std::nullopt;
  const uint32_t m = scheme.tolerated_losses();
  const size_t width = view.members.size();
  HealRequest r{view.group, std::vector<MemberState>(width, MemberState::kHealthy), 0,
                std::vector<bool>(width, false)};
  bool any = false, skips = false;
  uint32_t marked_lost = 0;
  uint64_t bytes = 0;
  for (uint32_t i = 0; i < width; ++i) {
    const MemberView& member = view.members[i];
    if (member.failed) {
      if (!member.failure_detected) return std::nullopt;
      if (view.lost_rebuild_empty && marked_lost == m) continue;
      r.members[i] = MemberState::kLost;
      ++marked_lost;
      if (member.healing || view.healing) {
        r.skip[i] = skips = true;
        continue;
      }
      bytes = std::max(bytes, member.stored_bytes);
      any = true;
    } else if (member.stale) {
      r.members[i] = MemberState::kStale;
      if (member.healing) {
        r.skip[i] = skips = true;
        continue;
      }
      bytes = std::max(bytes, member.missed_bytes);
      any = true;
    }
  }
  if (!any) return std::nullopt;
  if (!skips) r.skip.clear();
  r.member_bytes = std::max<uint64_t>(1, bytes);
  return r;
}

std::vector<HealRequest> heal_requests(std::span<const GroupView> views, const Scheme& scheme,
                                       size_t limit) {
  std::vector<HealRequest> out;
  for (const GroupView& view : views) {
    if (out.size() >= limit) break;
    if (std::optional<HealRequest> r = heal_request(view, scheme)) out.push_back(std::move(*r));
  }
  return out;
}

size_t heal_jobs_allowed(size_t running, size_t max_concurrent) {
  return running >= max_concurrent ? 0 : max_concurrent - running;
}

namespace {

// A cause as one sortable key: disk ids below 2^32, nodes above.
constexpr uint64_t kNodeCause = uint64_t{1} << 32;

uint64_t cause_of(const HealPlan& plan, const PoolMap& map, const Topology& topology) {
  uint64_t cause = UINT64_MAX;
  for (const HealPlan::Target& t : plan.targets) {
    uint64_t c = t.in_place ? kNodeCause + topology.disk(t.disk).node.value
                            : map.group(plan.group).members[t.member].value;
    cause = std::min(cause, c);
  }
  return cause;
}

HealJob job_for(uint64_t cause) {
  HealJob job;
  if (cause >= kNodeCause) {
    job.cause = HealJob::Cause::kReturningNode;
    job.node = NodeId(static_cast<uint32_t>(cause - kNodeCause));
  } else {
    job.cause = HealJob::Cause::kFailedDisk;
    job.disk = DiskId(static_cast<uint32_t>(cause));
  }
  return job;
}

}  // namespace

std::vector<HealJob> heal_jobs(std::vector<HealPlan> plans, const PoolMap& map,
                               const Topology& topology, size_t jobs_max) {
  std::map<uint64_t, size_t> index;  // cause -> position in `jobs`
  std::vector<HealJob> jobs;
  for (HealPlan& plan : plans) {
    if (plan.targets.empty()) continue;
    uint64_t cause = cause_of(plan, map, topology);
    auto [it, fresh] = index.try_emplace(cause, jobs.size());
    if (fresh) {
      if (jobs.size() >= jobs_max) {
        index.erase(it);
        continue;
      }
      jobs.push_back(job_for(cause));
    }
    jobs[it->second].plans.push_back(std::move(plan));
  }
  return jobs;
}

std::vector<DiskId> heal_room_disks(const PoolMap& map, const Topology& topology) {
  if (map.spec.strategy == GroupStrategy::kFixed) {
    std::vector<DiskId> spares = map.placement.spares;
    std::sort(spares.begin(), spares.end());
    return spares;
  }
  std::vector<DiskId> all(topology.disk_id_bound());
  for (uint32_t id = 0; id < all.size(); ++id) all[id] = DiskId(id);
  return all;
}

std::vector<uint64_t> heal_free_bytes(const PoolMap& map, const Topology& topology,
                                      std::span<const DiskUse> room) {
  const std::vector<DiskId> disks = heal_room_disks(map, topology);
  CAIRN_ASSERT(room.size() == disks.size());
  std::vector<uint64_t> free(topology.disk_id_bound(), 0);
  for (size_t i = 0; i < disks.size(); ++i) {
    const DiskId d = disks[i];
    const DiskInfo& info = topology.disk(d);
    const DiskUse& use = room[i];
    if (info.retired || use.failed || use.down) continue;
    double left = static_cast<double>(info.model.capacity_bytes) - use.used_bytes;
    free[d.value] = left > 0 ? static_cast<uint64_t>(left) : 0;
  }
  return free;
}

}  // namespace cairn
