#include "engine/pace.h"

#include <algorithm>

#include "engine/status.h"

namespace cairn {

uint64_t operation_cost_bytes(uint64_t payload_bytes) { return payload_bytes + kFileOperationCostBytes; }

int64_t pace_wait_ns(uint64_t budget_bytes_per_s, uint64_t cost_done_bytes, int64_t elapsed_ns) {
  CAIRN_ASSERT(budget_bytes_per_s > 0);
  if (budget_bytes_per_s == kUnpaced) return 0;
  // In long double so that a long run cannot overflow.
  const long double due_ns = static_cast<long double>(cost_done_bytes) * 1e9L /
                             static_cast<long double>(budget_bytes_per_s);
  const long double wait = due_ns - static_cast<long double>(std::max<int64_t>(elapsed_ns, 0));
  if (wait <= 0) return 0;
  return static_cast<int64_t>(std::min<long double>(wait, static_cast<long double>(INT64_MAX / 2)));
}

}  // namespace cairn
