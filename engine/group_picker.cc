#include "engine/group_picker.h"

#include <map>
#include <queue>
#include <tuple>

#include "engine/random.h"
#include "engine/status.h"

namespace cairn::detail {
namespace {

// (quota left, capacity, tie key, disk id value)
using DiskEntry = std::tuple<uint32_t, uint64_t, uint64_t, uint32_t>;
// (quota left, tie key, domain index)
using DomainEntry = std::tuple<uint64_t, uint64_t, uint32_t>;

struct DomainState {
  uint32_t value = 0;  // the domain's id value (disk, node or rack id)
  uint64_t left = 0;   // quota left over all its disks
  std::priority_queue<DiskEntry> disks;
};

constexpr uint64_t kDiskSalt = 0x6469736bULL;  // "disk"

DiskEntry disk_entry(const Topology& topology, uint64_t seed, uint32_t disk, uint32_t left) {
  return {left, topology.disk(DiskId(disk)).model.capacity_bytes,
          tie_key(seed ^ kDiskSalt, disk, left), disk};
}

}  // namespace

std::vector<std::vector<DiskId>> pick_groups(const Topology& topology, FailureDomain domain,
                                             std::span<const uint32_t> quota,
                                             uint32_t max_groups, uint32_t width,
                                             uint64_t seed) {
  std::vector<DomainState> domains;
  std::map<uint32_t, uint32_t> index_of;  // ordered: the result must not depend on hashing
  for (uint32_t d = 0; d < quota.size(); ++d) {
    if (quota[d] == 0) continue;
    uint32_t value = topology.domain_of(DiskId(d), domain);
    auto [it, fresh] = index_of.try_emplace(value, static_cast<uint32_t>(domains.size()));
    if (fresh) domains.push_back({value, 0, {}});
    DomainState& state = domains[it->second];
    state.left += quota[d];
    state.disks.push(disk_entry(topology, seed, d, quota[d]));
  }
  std::priority_queue<DomainEntry> heap;
  for (uint32_t i = 0; i < domains.size(); ++i)
    heap.emplace(domains[i].left, tie_key(seed, domains[i].value, domains[i].left), i);

  std::vector<std::vector<DiskId>> groups;
  std::vector<uint32_t> taken;
  while (groups.size() < max_groups && heap.size() >= width) {
    taken.clear();
    for (uint32_t i = 0; i < width; ++i) {
      taken.push_back(std::get<2>(heap.top()));
      heap.pop();
    }
    std::vector<DiskId>& group = groups.emplace_back();
    for (uint32_t i : taken) {
      DomainState& state = domains[i];
      auto [left, capacity, key, disk] = state.disks.top();
      state.disks.pop();
      group.push_back(DiskId(disk));
      if (left > 1) state.disks.push(disk_entry(topology, seed, disk, left - 1));
      if (--state.left > 0) heap.emplace(state.left, tie_key(seed, state.value, state.left), i);
    }
  }
  return groups;
}

}  // namespace cairn::detail
