// WorkProgress: how far one kind of background work (a rebuild, a
// rebalance) has come on a node for the map it belongs to — what `cairn
// status` shows as done / total with a rate and an ETA. A plain value;
// the worker that owns it guards it.
#pragma once
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>

namespace cairn {

struct WorkProgress {
  uint64_t epoch = 0;    // the cluster map epoch the work belongs to
  bool active = false;   // that map gives this node work of this kind
  bool done = true;      // all of it is done (true when there is none)
  uint64_t files_total = 0;
  uint64_t files_done = 0;
  uint64_t bytes_total = 0;
  uint64_t bytes_done = 0;
  uint64_t files_waiting = 0;  // could not be done yet (a member unreachable); retried
  std::chrono::steady_clock::time_point started{};
  std::chrono::steady_clock::time_point finished{};

  nlohmann::json to_json() const {
    const auto end = done && active ? finished : std::chrono::steady_clock::now();
    const double elapsed = active ? std::chrono::duration<double>(end - started).count() : 0.0;
    const double rate = elapsed > 0 ? static_cast<double>(bytes_done) / elapsed : 0.0;
    const double files_rate = elapsed > 0 ? static_cast<double>(files_done) / elapsed : 0.0;
    const double left = bytes_total > bytes_done ? static_cast<double>(bytes_total - bytes_done) : 0.0;
    return {{"epoch", epoch},
            {"active", active},
            {"done", done},
            {"files_total", files_total},
            {"files_done", files_done},
            {"bytes_total", bytes_total},
            {"bytes_done", bytes_done},
            {"files_waiting", files_waiting},
            {"elapsed_s", elapsed},
            {"bytes_per_s", rate},
            {"files_per_s", files_rate},
            {"eta_s", done ? 0.0 : (rate > 0 ? left / rate : -1.0)}};
  }
};

}  // namespace cairn
