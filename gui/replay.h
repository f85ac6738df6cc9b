// Replay: the cluster at the end of one simulated month, as the planner's
// cluster view draws it — racks, their nodes, each node's disk slots — built
// only from the run's own outputs (disks.csv and events.csv), never from a
// second model. Pure functions over RunData; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "gui/run_results.h"

namespace cairn::gui {

// What a slot shows. kNew: installed this month (bought or replaced) and
// healthy. kRetired: its disk failed and was emptied by a heal, and no
// replacement is in the slot yet.
enum class SlotState : uint8_t { kHealthy, kNew, kDown, kFailed, kHealing, kRetired };
const char* to_string(SlotState state);

struct SlotView {
  int64_t disk = -1;       // the disk the slot shows
  SlotState state = SlotState::kHealthy;
  double fill = 0;         // used / capacity of that disk
  bool failed_in_month = false;  // some disk of this slot failed this month
  std::vector<uint32_t> disks;   // every disk in the slot this month
};

struct NodeView {
  uint32_t node = 0;
  std::vector<SlotView> cells;  // by slot index
};

struct RackView {
  uint32_t rack = 0;
  std::vector<NodeView> nodes;  // by node id
};

struct ReplayState {
  uint32_t month = 0;
  std::vector<RackView> racks;  // by rack id; only racks with nodes
  uint32_t count[6] = {};       // slots per SlotState
  std::vector<sim::Event> events;  // the run's events during the month

  const SlotView* find_disk(uint32_t disk) const;
  uint32_t nodes() const;
};

// The cluster at the end of `month` (0-based; clamped to the run).
ReplayState replay_state(const RunData& run, uint32_t month);

// Months in the run (the slider's range).
uint32_t replay_months(const RunData& run);

}  // namespace cairn::gui
