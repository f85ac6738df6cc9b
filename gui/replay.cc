#include "gui/replay.h"

#include <algorithm>
#include <map>

namespace cairn::gui {
namespace {

SlotState slot_state(const sim::DiskMonth& d) {
  switch (d.state) {
    case sim::DiskState::kHealthy: return d.installed_in_month ? SlotState::kNew : SlotState::kHealthy;
    case sim::DiskState::kDown: return SlotState::kDown;
    case sim::DiskState::kFailed: return SlotState::kFailed;
    case sim::DiskState::kHealing: return SlotState::kHealing;
    case sim::DiskState::kRetired: return SlotState::kRetired;
  }
  return SlotState::kHealthy;
}

// Which of several disks in one slot this month the slot shows: a failed or
// healing disk first (the event worth seeing), then one in service, then a
// retired one.
int rank(SlotState s) {
  switch (s) {
    case SlotState::kFailed: return 5;
    case SlotState::kHealing: return 4;
    case SlotState::kDown: return 3;
    case SlotState::kNew: return 2;
    case SlotState::kHealthy: return 1;
    case SlotState::kRetired: return 0;
  }
  return 0;
}

}  // namespace

const char* to_string(SlotState state) {
  switch (state) {
    case SlotState::kHealthy: return "healthy";
    case SlotState::kNew: return "new";
    case SlotState::kDown: return "node down";
    case SlotState::kFailed: return "failed";
    case SlotState::kHealing: return "healing";
    case SlotState::kRetired: return "retired";
  }
  return "?";
}

const SlotView* ReplayState::find_disk(uint32_t disk) const {
  for (const RackView& r : racks)
    for (const NodeView& n : r.nodes)
      for (const SlotView& s : n.cells)
        if (std::find(s.disks.begin(), s.disks.end(), disk) != s.disks.end()) return &s;
  return nullptr;
}

uint32_t ReplayState::nodes() const {
  uint32_t n = 0;
  for (const RackView& r : racks) n += static_cast<uint32_t>(r.nodes.size());
  return n;
}

uint32_t replay_months(const RunData& run) { return static_cast<uint32_t>(run.months.size()); }

ReplayState replay_state(const RunData& run, uint32_t month) {
  ReplayState state;
  if (run.months.empty()) return state;
  state.month = std::min(month, replay_months(run) - 1);
  // disks.csv is written month by month: find this month's rows.
  auto first = std::lower_bound(run.disks.begin(), run.disks.end(), state.month,
                                [](const sim::DiskMonth& d, uint32_t m) { return d.month < m; });
  std::map<uint32_t, std::map<uint32_t, std::map<uint32_t, SlotView>>> grid;  // rack -> node -> slot
  for (auto it = first; it != run.disks.end() && it->month == state.month; ++it) {
    SlotView& slot = grid[it->rack][it->node][it->slot];
    SlotState s = slot_state(*it);
    slot.disks.push_back(it->disk);
    slot.failed_in_month = slot.failed_in_month || it->failed_in_month;
    if (slot.disk < 0 || rank(s) > rank(slot.state)) {
      slot.disk = it->disk;
      slot.state = s;
      slot.fill = it->capacity_bytes > 0 ? it->used_bytes / it->capacity_bytes : 0;
    }
  }
  for (auto& [rack, nodes] : grid) {
    RackView rv{rack, {}};
    for (auto& [node, by_slot] : nodes) {
      NodeView nv{node, {}};
      for (auto& [index, slot] : by_slot) {
        if (nv.cells.size() <= index) nv.cells.resize(index + 1);
        ++state.count[static_cast<int>(slot.state)];
        nv.cells[index] = std::move(slot);
      }
      rv.nodes.push_back(std::move(nv));
    }
    state.racks.push_back(std::move(rv));
  }
  for (const sim::Event& e : run.events)
    if (month_of(e.time_s) == state.month) state.events.push_back(e);
  return state;
}

}  // namespace cairn::gui
