#include "sim/heal_scheduler.h"

#include <algorithm>
#include <cstdint>

namespace cairn::sim {

namespace {

// What a running plan writes: its targets' members are being healed, and a
// plan that rebuilds a lost member makes the group's other lost members wait
// (heal_policy.h). A plan of stale members only leaves the group open.
void mark_healing(ModelState& st, const HealPlan& plan, bool running) {
  const uint32_t g = plan.group.value;
  for (const HealPlan::Target& t : plan.targets) {
    if (running)
      st.members_in_heal.insert({g, t.member});
    else
      st.members_in_heal.erase({g, t.member});
  }
  if (rebuilds_lost_member(plan)) st.group_in_heal[g] = running;
}

}  // namespace

std::vector<HealLaunch> next_heal_round(ModelState& st,
                                        std::span<const std::span<const HealPlan>> running,
                                        size_t room, bool catch_up_only,
                                        const std::set<uint32_t>& rebuild_anyway) {
  if (room == 0) return {};
  std::vector<HealRequest> requests = st.heal_requests(SIZE_MAX);
  if (requests.empty()) return {};
  const size_t keep = std::min(kHealGroupsPerRound, std::max(kHealGroupsPerRoundMin, room * kHealGroupsPerJob));
  if (requests.size() > keep) {
    std::vector<HealRequest> urgent;
    urgent.reserve(keep);
    for (size_t i : heal_priority_order(requests, st.map.spec.scheme)) {
      urgent.push_back(std::move(requests[i]));
      if (urgent.size() == keep) break;
    }
    requests = std::move(urgent);
  }
  std::vector<uint64_t> free = st.free_bytes();
  for (std::span<const HealPlan> plans : running) reserve_running_targets(st.map, plans, free);
  Result<std::vector<HealPlan>> plans = plan_heals(st.map, st.topology, requests, std::move(free));
  CAIRN_ASSERT(plans.is_ok());
  if (catch_up_only)
    std::erase_if(*plans, [&](const HealPlan& p) { return rebuilds_lost_member(p) && !rebuild_anyway.count(p.group.value); });
  std::vector<HealLaunch> out;
  for (HealJob& job : heal_jobs(std::move(plans).value(), st.map, st.topology, room)) {
    HealLaunch launch;
    for (const HealPlan& plan : job.plans) {
      mark_healing(st, plan, true);
      launch.write_bytes += static_cast<double>(plan.write_bytes);
    }
    launch.transfers = heal_transfers(job.plans, st.topology, st.member_bytes_per_file());
    launch.job = std::move(job);
    out.push_back(std::move(launch));
  }
  return out;
}

std::vector<DiskId> apply_finished_heal(ModelState& st, std::span<const HealPlan> plans) {
  std::vector<DiskId> vacated;
  for (const HealPlan& plan : plans) {
    uint32_t g = plan.group.value;
    mark_healing(st, plan, false);
    for (const HealPlan::Target& t : plan.targets) {
      if (t.in_place) {
        st.stale_bytes.erase({g, t.member});
        continue;
      }
      DiskId from = st.map.group(plan.group).members[t.member];
      st.note_member_moved(g, t.member, from, t.disk);
      vacated.push_back(from);
    }
    if (st.group_failed[g] == 0) st.group_lost_data[g] = false;
  }
  st.map = apply_heals(std::move(st.map), plans);
  return vacated;
}

void release_heal(ModelState& st, std::span<const HealPlan> plans) {
  for (const HealPlan& plan : plans) mark_healing(st, plan, false);
}

}  // namespace cairn::sim
