// The lab's lifecycle commands — `cairn lab add-node`, `retire-node`,
// `replace-disk` — as an administrator's tool runs them on a real cluster:
// derive the next cluster map with the engine (next_map, plan_heals,
// apply_heals), write it as the lab's cluster file at the next epoch, install
// it on every running node (InstallMapRequest), wait while the nodes carry
// the plan out (a rebalance, a drain, a rebuild) under their budgets, then
// install the settled map (one epoch more: no migration, no heals) — the
// same decisions the model replays (DESIGN.md rules 2 and 5).
//
// Each refuses, naming the numbers, what the engine refuses (an increment
// that forms no whole group; a retirement the rest cannot hold), before
// anything changes.
#pragma once
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "engine/status.h"

namespace cairn {

struct LifecycleOptions {
  std::function<void(const std::string& line)> progress;  // about once a second; may be empty
  std::chrono::seconds timeout{3600};
};

struct LifecycleReport {
  uint64_t epoch_from = 0;
  uint64_t epoch_to = 0;  // the settled map's
  std::string what;       // "rebalance", "drain" or "rebuild"
  uint64_t files = 0;     // moved or rebuilt
  uint64_t bytes = 0;
  uint64_t bytes_planned = 0;  // rebalance and drain: the engine plan's bytes
  double seconds = 0;          // from the install to the last node done
  uint64_t budget_bytes_per_s = 0;  // per node
  std::string detail;               // e.g. "6 nodes added: 6-11"
};

Result<LifecycleReport> lab_add_nodes(const std::filesystem::path& dir, uint32_t count,
                                      const std::filesystem::path& node_binary, const LifecycleOptions& options);
Result<LifecycleReport> lab_retire_node(const std::filesystem::path& dir, uint32_t node,
                                        const LifecycleOptions& options);
// `disk`: the disk's position among the node's disks in service (its
// folder disk-<i> at first). The folder is emptied, as a swapped drive is.
Result<LifecycleReport> lab_replace_disk(const std::filesystem::path& dir, uint32_t node, uint32_t disk,
                                         const LifecycleOptions& options);

// Rebuilds the members of every disk a node reports failed where the
// engine's heal plan puts them (a fixed pool's spares; any disk with room in
// a declustered pool) and retires the failed disks. Refused, naming the
// group, when a member has no target: replace the disk instead.
Result<LifecycleReport> lab_heal_failed(const std::filesystem::path& dir, const LifecycleOptions& options);

}  // namespace cairn
