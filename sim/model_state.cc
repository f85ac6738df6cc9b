#include "sim/model_state.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace cairn::sim {

ModelState::ModelState(const Scenario& s)
    : scenario(s),
      topology(Topology::uniform(s.cluster.racks, s.cluster.initial_nodes, s.cluster.disks_per_node,
                                 s.cluster.disk)),
      map(*initial_map(topology, s.pool_spec())),
      profile(average_profile(s)) {
  fit();
  for (uint32_t d = 0; d < topology.disk_id_bound(); ++d) disk_slot[d] = d % s.cluster.disks_per_node;
  reindex();
}

void ModelState::fit() {
  size_t disks = topology.disk_id_bound(), groups = map.placement.groups.size();
  ledger.fit(map, topology);
  disk_failed.resize(disks, false);
  disk_detected.resize(disks, false);
  disk_failed_at_s.resize(disks, 0.0);
  disk_slot.resize(disks, 0);
  disk_members.resize(disks);
  group_failed.resize(groups, 0);
  group_in_heal.resize(groups, false);
  group_lost_data.resize(groups, false);
  node_down.resize(topology.node_id_bound(), false);
}

void ModelState::reindex() {
  fit();
  for (auto& v : disk_members) v.clear();
  std::fill(group_failed.begin(), group_failed.end(), 0);
  for (uint32_t g = 0; g < map.placement.groups.size(); ++g) {
    const Group& group = map.placement.groups[g];
    if (group.retired) continue;
    for (uint32_t i = 0; i < group.members.size(); ++i) {
      disk_members[group.members[i].value].push_back({g, i});
      group_failed[g] += disk_failed[group.members[i].value];
    }
  }
}

bool ModelState::group_on_down_node(uint32_t g) const {
  for (DiskId d : map.placement.groups[g].members)
    if (node_down[topology.disk(d).node.value]) return true;
  return false;
}

bool ModelState::group_degraded(uint32_t g) const {
  return group_failed[g] > 0 || group_on_down_node(g);
}

double ModelState::data_bearing_capacity_bytes() const {
  double c = 0;
  for (DiskId d : data_disks(map))
    if (!disk_failed[d.value]) c += static_cast<double>(topology.disk(d).model.capacity_bytes);
  return c;
}

double ModelState::raw_capacity_bytes() const {
  double c = 0;
  for (DiskId d : topology.live_disks())
    if (!disk_failed[d.value]) c += static_cast<double>(topology.disk(d).model.capacity_bytes);
  return c;
}

std::vector<uint64_t> ModelState::free_bytes() const {
  std::vector<uint64_t> free(topology.disk_id_bound(), 0);
  // A fixed pool heals onto spares only: no other disk's room is asked for.
  std::vector<uint32_t> ids;
  if (map.spec.strategy == GroupStrategy::kFixed) {
    for (DiskId d : map.placement.spares) ids.push_back(d.value);
  } else {
    ids.resize(topology.disk_id_bound());
    std::iota(ids.begin(), ids.end(), 0u);
  }
  for (uint32_t id : ids) {
    DiskId d(id);
    const DiskInfo& info = topology.disk(d);
    if (info.retired || disk_failed[id] || node_down[info.node.value]) continue;
    double left = static_cast<double>(info.model.capacity_bytes) - ledger.disk_used_bytes(d);
    free[d.value] = left > 0 ? static_cast<uint64_t>(left) : 0;
  }
  return free;
}

// Groups that may need a heal: those with a member on a failed disk or a
// member owed writes, in id order. Cheaper than visiting every group.
std::vector<uint32_t> ModelState::heal_candidates() const {
  std::vector<uint32_t> out;
  for (uint32_t d : failed_disks)
    for (auto [g, member] : disk_members[d]) out.push_back(g);
  for (const auto& [key, bytes] : stale_bytes) out.push_back(key.first);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<HealRequest> ModelState::heal_requests(size_t limit) const {
  std::vector<HealRequest> out;
  const uint32_t m = map.spec.scheme.tolerated_losses();
  for (uint32_t g : heal_candidates()) {
    if (out.size() >= limit) break;
    const Group& group = map.placement.groups[g];
    if (group.retired || group_in_heal[g] || group_on_down_node(g)) continue;
    HealRequest r{GroupId(g), std::vector<MemberState>(group.members.size(), MemberState::kHealthy), 0};
    bool ready = true, any = false;
    uint32_t marked_lost = 0;
    double bytes = 0;
    for (uint32_t i = 0; i < group.members.size(); ++i) {
      uint32_t d = group.members[i].value;
      auto stale = stale_bytes.find({g, i});
      if (disk_failed[d]) {
        ready = ready && disk_detected[d];
        // A group whose data is already lost is rebuilt empty, at most m
        // members at a time, so the engine can plan it.
        if (group_lost_data[g] && marked_lost == m) continue;
        r.members[i] = MemberState::kLost;
        ++marked_lost;
        bytes = std::max(bytes, ledger.member_stored_bytes(GroupId(g), i));
        any = true;
      } else if (stale != stale_bytes.end()) {
        r.members[i] = MemberState::kStale;
        bytes = std::max(bytes, stale->second);
        any = true;
      }
    }
    if (!any || !ready) continue;
    r.member_bytes = std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(bytes)));
    out.push_back(std::move(r));
  }
  return out;
}

void ModelState::note_member_moved(uint32_t g, uint32_t member, DiskId from, DiskId to) {
  ledger.move_member(GroupId(g), member, from, to);
  auto& list = disk_members[from.value];
  std::erase(list, std::pair<uint32_t, uint32_t>{g, member});
  disk_members[to.value].push_back({g, member});
  if (disk_failed[from.value]) --group_failed[g];
}

}  // namespace cairn::sim
