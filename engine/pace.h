// Pace: how background work — heal, rebalance, scrub — stays within a
// node's bandwidth budget while clients are served. The one rule the
// reference cluster's healer, mover and scrubber follow (and the model's
// budgets mean).
//
// Work is charged its payload bytes plus kFileOperationCostBytes per file:
// opening, creating, syncing and naming a small file costs a disk about as
// much as reading that many bytes, so a budget also bounds the file rate
// (64 KiB per file: ~760 files/s at 50 MB/s). Before each file the worker
// waits until the work charged since it began fits budget × elapsed time.
// Pure functions; time arrives as nanoseconds.
#pragma once
#include <cstddef>
#include <cstdint>

namespace cairn {

inline constexpr uint64_t kFileOperationCostBytes = 64 * 1024;
inline constexpr uint64_t kUnpaced = UINT64_MAX;
// Files a worker has in flight at once: each costs a few round trips, so one
// at a time would leave disks and network idle.
inline constexpr size_t kFilesInFlight = 8;

// What one file of `payload_bytes` costs the budget.
uint64_t operation_cost_bytes(uint64_t payload_bytes);

// How long to wait before the next file so that `cost_done_bytes` charged
// since the work began `elapsed_ns` ago stays within `budget_bytes_per_s`;
// 0 when it already does, or when the budget is kUnpaced.
int64_t pace_wait_ns(uint64_t budget_bytes_per_s, uint64_t cost_done_bytes, int64_t elapsed_ns);

}  // namespace cairn
