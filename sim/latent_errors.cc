#include "sim/latent_errors.h"

#include <algorithm>
#include <cmath>

#include "engine/scrub.h"

namespace cairn::sim {

double scrub_pass_s(double bytes, double files, double budget_bytes_per_s) {
  if (files <= 0 || bytes <= 0) return 0;
  const double per_file = static_cast<double>(scrub_cost_bytes(static_cast<uint64_t>(std::llround(bytes / files))));
  const double cost = per_file * files;
  if (cost >= 9e18) return cost / budget_bytes_per_s;  // beyond the engine's integer range
  return static_cast<double>(scrub_wait_ns(static_cast<uint64_t>(std::llround(budget_bytes_per_s)),
                                           static_cast<uint64_t>(cost), 0)) / 1e9;
}

double scrub_reaches_s(double now_s, double phase_s, double pass_s, double interval_s, double position) {
  const double period = pass_s + interval_s;
  if (period <= 0) return now_s;  // scrubbing without pause and taking no time: found at once
  const double cycle = phase_s + std::floor(std::max(0.0, now_s - phase_s) / period) * period;
  const double at = cycle + position * pass_s;
  return at >= now_s ? at : at + period;
}

}  // namespace cairn::sim
