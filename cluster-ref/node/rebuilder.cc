#include "cluster-ref/node/rebuilder.h"

#include <atomic>

#include "cluster-ref/net/log.h"
#include "engine/pace.h"

namespace cairn {

Status Rebuilder::list_group(const ClusterMap& map, const HealPlan& plan, std::map<std::string, uint64_t>& paths) {
  const std::vector<DiskId>& members = map.pool.group(plan.group).members;
  for (uint32_t m = 0; m < members.size(); ++m) {
    bool target = false;
    for (const HealPlan::Target& t : plan.targets) target = target || t.member == m;
    if (target) continue;
    auto listing = members_.list(members[m], plan.group);
    if (!listing) return listing.status();
    for (const auto& e : listing->entries) {
      uint64_t& bytes = paths[e.path];
      bytes = std::max<uint64_t>(bytes, e.record.payload_bytes);
    }
  }
  return Status::ok();
}

bool Rebuilder::run(const ClusterMap& map) {
  std::vector<const HealPlan*> mine;
  for (const HealPlan& plan : map.heals)
    for (const HealPlan::Target& t : plan.targets)
      if (members_.serves(t.disk)) {
        mine.push_back(&plan);
        break;
      }
  if (mine.empty()) return true;
  // What each plan must bring here, listed from the group's other members.
  std::vector<std::pair<const HealPlan*, std::map<std::string, uint64_t>>> work;
  uint64_t files = 0, bytes = 0;
  for (const HealPlan* plan : mine) {
    std::map<std::string, uint64_t> paths;
    if (Status st = list_group(map, *plan, paths); !st.is_ok()) {
      log::warn() << "rebuild of group " << plan->group.value << " waits: " << st.message();
      return false;
    }
    files += paths.size();
    for (const auto& [path, b] : paths) bytes += b;
    work.emplace_back(plan, std::move(paths));
  }
  begin(map.epoch(), files, bytes);
  std::atomic<uint64_t> waiting{0};
  for (const auto& [plan, paths] : work) {
    FragmentSet prefer;
    for (uint32_t m : plan->source_members) prefer.insert(m);
    std::vector<std::pair<std::string, uint64_t>> items(paths.begin(), paths.end());
    const bool finished = in_batches(map, items, [&](const std::pair<std::string, uint64_t>& item) {
      if (healer_.reconcile(item.first, prefer) == ReconcilePlan::Outcome::kWaiting) {
        waiting.fetch_add(1);
        return;
      }
      update([&](WorkProgress& p) {
        ++p.files_done;
        p.bytes_done += item.second;
      });
    });
    if (!finished) return false;
    log::info() << "rebuild of group " << plan->group.value << ": " << paths.size() << " files checked";
  }
  update([&](WorkProgress& p) { p.files_waiting = waiting.load(); });
  return waiting.load() == 0;
}

}  // namespace cairn
