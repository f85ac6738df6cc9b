// Latent sector errors and the scrub that finds them, as the model sees them.
//
// A latent error spoils one member of one file on a disk without anyone
// noticing. The node's scrub finds it when its pass reads that place; a
// heal that needs the spoiled member before then — the group has no
// redundancy left, so every surviving member is read — cannot rebuild that
// file, which is lost. The scrub follows the engine's policy
// (engine/scrub.h): a node starts a pass `interval` after its last one
// ended (scrub_due), and paces it by the engine's rule under its scrub
// budget, a file costing its bytes plus an operation's worth
// (scrub_cost_bytes). Where in a pass an error's file lies is uniform: the
// pass order is by group, the error's group is any of them.
//
// The model does not charge the scrub's reads to the disks (the reference
// cluster's default budget, 50 MB/s a node, is a small share of them).
// Plain functions, no SimGrid.
#pragma once

#include <cstdint>

namespace cairn::sim {

// Seconds a node's pass takes over `files` files of `bytes` in all, under a
// scrub budget of `budget_bytes_per_s`, by the engine's pace rule.
double scrub_pass_s(double bytes, double files, double budget_bytes_per_s);

// When the scrub next reads `position` (in [0, 1) of a pass) at or after
// `now_s`, for a node whose passes last `pass_s`, each starting `interval_s`
// after the last ended, the first starting at `phase_s` (<= now_s).
double scrub_reaches_s(double now_s, double phase_s, double pass_s, double interval_s, double position);

struct LatentError {
  uint32_t disk = 0;
  uint32_t group = 0;
  uint32_t member = 0;
  double arrived_s = 0;
  double found_s = 0;   // when the scrub reads it
  bool settled = false;  // found, or its file lost, or its disk gone
};

}  // namespace cairn::sim
