// Analytic durability of redundancy groups: the continuous-time Markov chain
// that the simulator must agree with when run under the same assumptions, and
// the figures of `cairn durability`.
//
// Model. One group of n = k + m disks that tolerates m losses. Disks fail
// independently at λ per disk-hour; a failed disk is repaired (rebuilt onto a
// replacement) after an exponential time of mean 1/μ. State i = number of
// failed disks, 0..m; state m + 1 (a loss of data) absorbs. From state i a
// failure happens at (n − i)·λ, a repair completes at
//   kSerial:   μ     (one repair at a time per group),
//   kParallel: i·μ   (every failed disk rebuilds concurrently, each at μ).
// Groups are independent. Time starts with every disk healthy. Real clusters
// lie between the two repair assumptions; every figure is labelled with one.
//
// Units: hours (rates per hour). A year is 8766 h (365.25 days), and an AFR
// becomes λ = −ln(1 − AFR) / 8766 per hour, as in REFERENCE.md.
//
// All functions are pure; preconditions (n > m, λ > 0, μ >= 0, horizon >= 0)
// are checked with CAIRN_ASSERT — callers validate user input first.
#pragma once

#include <Eigen/Dense>
#include <cstdint>

namespace cairn::sim {

inline constexpr double kHoursPerYear = 8766.0;

enum class RepairModel { kSerial, kParallel };
const char* to_string(RepairModel repair);  // "serial" / "parallel"

struct GroupChain {
  uint32_t disks = 10;              // n = k + m
  uint32_t tolerated_losses = 2;    // m
  double failure_rate_per_h = 0.0;  // λ, per disk
  double repair_rate_per_h = 0.0;   // μ = 1 / mean repair time
  RepairModel repair = RepairModel::kSerial;
};

// λ per disk-hour for an AFR given as a fraction in [0, 1).
double failure_rate_per_h_from_afr(double afr);

// The (m + 2) × (m + 2) generator Q: Q(i, j) is the rate from state i to j,
// rows sum to zero, the last state (data lost) absorbs.
Eigen::MatrixXd generator(const GroupChain& chain);

// Mean time to data loss from the all-healthy state, in hours: the first
// entry of (−T)⁻¹·1, T the transient block of Q (the fundamental matrix times
// a column of ones), solved without cancellation (see durability.cc).
double mttdl_h(const GroupChain& chain);

// Probability that one group loses data within horizon_h, starting healthy:
// entry (0, m + 1) of exp(Q·horizon_h), by uniformization (see durability.cc
// for why not Padé). Sums only non-negative terms, so a probability of 1e-15
// is as precise, relatively, as one of 0.1.
double loss_probability(const GroupChain& chain, double horizon_h);

// 1 − (1 − p)^groups for independent groups, without cancellation for tiny p.
double loss_probability_of_groups(double group_loss_probability, uint32_t groups);

// −log10(p): 6 nines is p = 1e-6. +infinity for p ≤ 0 (no loss: a mean
// over runs that met no fatal hazard, or a t interval's low end below 0); a
// certain loss is 0 nines, not −0.
double nines(double loss_probability);

// Closed-form MTTDL of a RAID-5 set (n disks, one loss tolerated) with one
// repair at a time: ((2n − 1)λ + μ) / (n(n − 1)λ²). The serial and parallel
// chains coincide for m = 1, so it cross-checks both.
double raid5_mttdl_h(uint32_t disks, double failure_rate_per_h, double repair_rate_per_h);

// The figures of one repair assumption for `groups` independent groups.
struct DurabilityFigures {
  RepairModel repair = RepairModel::kSerial;
  double mttdl_per_group_h = 0.0;
  double group_loss_probability = 0.0;  // one group within the horizon
  double loss_probability = 0.0;        // any group within the horizon
  double nines = 0.0;                   // of loss_probability
};
DurabilityFigures durability_figures(const GroupChain& chain, uint32_t groups, double horizon_h);

}  // namespace cairn::sim
