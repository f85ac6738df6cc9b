#include "sim/model_state.h"

#include <algorithm>
#include <cmath>

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

double ModelState::member_bytes_per_file() const {
  double sum = 0;
  for (double b : profile.stored_bytes) sum += b;
  return profile.stored_bytes.empty() ? 1.0 : std::max(1.0, sum / static_cast<double>(profile.stored_bytes.size()));
}

double ModelState::raw_capacity_bytes() const {
  double c = 0;
  for (DiskId d : topology.live_disks())
    if (!disk_failed[d.value]) c += static_cast<double>(topology.disk(d).model.capacity_bytes);
  return c;
}

std::vector<uint64_t> ModelState::free_bytes() const {
  std::vector<DiskUse> room;
  for (DiskId d : heal_room_disks(map, topology))
    room.push_back({ledger.disk_used_bytes(d), disk_failed[d.value], node_down[topology.disk(d).node.value]});
  return heal_free_bytes(map, topology, room);
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

namespace {

uint64_t whole_bytes(double bytes) { return static_cast<uint64_t>(std::llround(bytes)); }

}  // namespace

GroupView ModelState::group_view(uint32_t g) const {
  const Group& group = map.placement.groups[g];
  GroupView view{GroupId(g), std::vector<MemberView>(group.members.size()), group_lost_data[g],
                 group_in_heal[g]};
  for (uint32_t i = 0; i < group.members.size(); ++i) {
    uint32_t d = group.members[i].value;
    MemberView& member = view.members[i];
    member.failed = disk_failed[d];
    member.failure_detected = disk_detected[d];
    member.on_down_node = node_down[topology.disk(group.members[i]).node.value];
    member.stored_bytes = whole_bytes(ledger.member_stored_bytes(GroupId(g), i));
    member.healing = members_in_heal.contains({g, i});
    auto stale = stale_bytes.find({g, i});
    member.stale = stale != stale_bytes.end();
    if (member.stale) member.missed_bytes = whole_bytes(stale->second);
  }
  return view;
}

std::vector<HealRequest> ModelState::heal_requests(size_t limit) const {
  std::vector<HealRequest> out;
  for (uint32_t g : heal_candidates()) {
    if (out.size() >= limit) break;
    if (map.placement.groups[g].retired) continue;
    if (std::optional<HealRequest> r = heal_request(group_view(g), map.spec.scheme))
      out.push_back(std::move(*r));
  }
  return out;
}

std::optional<ModelState::Loss> ModelState::settle_group(uint32_t g) {
  const GroupView view = group_view(g);
  const Scheme& scheme = map.spec.scheme;
  const GroupHealth health = group_health(member_states(view), scheme);
  if (health != GroupHealth::kLost && health != GroupHealth::kMissedWritesLost) return std::nullopt;
  // Files the stale members missed (their bytes over a file's member bytes);
  // several stale members are taken to have missed different writes.
  double missed_files = 0;
  for (uint32_t i = 0; i < view.members.size(); ++i) {
    auto stale = stale_bytes.find({g, i});
    if (stale == stale_bytes.end()) continue;
    if (profile.stored_bytes[i] > 0) missed_files += stale->second / profile.stored_bytes[i];
    stale_bytes.erase(stale);
  }
  const uint32_t lost = count_members(member_states(view)).lost;
  if (health == GroupHealth::kLost) {
    if (group_lost_data[g]) return std::nullopt;
    group_lost_data[g] = true;
    auto [files, bytes] = ledger.lose_group(map, GroupId(g));
    return Loss{g, files, bytes,
                std::to_string(lost) + " members failed, " +
                    std::to_string(scheme.tolerated_losses()) + " tolerated"};
  }
  const double held = ledger.files(GroupId(g));
  if (held <= 0 || missed_files <= 0) return std::nullopt;
  auto [files, bytes] = ledger.lose_share(map, GroupId(g), std::min(1.0, missed_files / held));
  return Loss{g, files, bytes,
              "writes missed by stale members (" + std::to_string(lost) + " members failed, " +
                  std::to_string(scheme.tolerated_losses()) + " tolerated)"};
}

void ModelState::note_member_moved(uint32_t g, uint32_t member, DiskId from, DiskId to) {
  ledger.move_member(GroupId(g), member, from, to);
  auto& list = disk_members[from.value];
  std::erase(list, std::pair<uint32_t, uint32_t>{g, member});
  disk_members[to.value].push_back({g, member});
  if (disk_failed[from.value]) --group_failed[g];
}

}  // namespace cairn::sim
