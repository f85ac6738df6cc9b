#include "sim/durability.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/status.h"
#include "sim/failure_model.h"

namespace cairn::sim {
namespace {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

// Uniformization works on slices of the horizon short enough that the
// Poisson(q·τ) series needs ~100 terms and e^(−q·τ) cannot underflow; the
// slices are then joined by squaring.
constexpr double kSliceEvents = 32.0;
// Truncate the series where the Chernoff bound on its Poisson tail falls
// below e^−80 (~1e-35): far under any loss probability worth reporting.
constexpr double kLogTailBound = -80.0;

void check(const GroupChain& chain) {
  CAIRN_ASSERT(chain.disks > chain.tolerated_losses);
  CAIRN_ASSERT(chain.failure_rate_per_h > 0.0 && std::isfinite(chain.failure_rate_per_h));
  CAIRN_ASSERT(chain.repair_rate_per_h >= 0.0 && std::isfinite(chain.repair_rate_per_h));
}

double repair_rate_per_h_in(const GroupChain& chain, uint32_t failed) {
  if (failed == 0) return 0.0;
  return chain.repair == RepairModel::kSerial ? chain.repair_rate_per_h
                                              : failed * chain.repair_rate_per_h;
}

// Smallest K > mean such that the Chernoff bound on P(Poisson(mean) >= K),
// e^−mean·(e·mean / K)^K, is below e^kLogTailBound.
Index poisson_truncation(double mean) {
  double k = std::ceil(mean) + 1.0;
  while (-mean + k * (1.0 + std::log(mean / k)) > kLogTailBound) k += 1.0;
  return static_cast<Index>(k);
}

// exp(Q·t) for q·t <= kSliceEvents as Σ Poisson(k; q·t)·S^k with
// S = I + Q/q, q the largest exit rate. S (its diagonal 1 − exit/q >= 0 even
// after rounding), the weights and every partial sum are non-negative, so
// small entries keep their relative precision.
MatrixXd uniformized_exp(const MatrixXd& q_matrix, double exit_rate_max, double t) {
  const Index size = q_matrix.rows();
  const MatrixXd step = MatrixXd::Identity(size, size) + q_matrix / exit_rate_max;
  const double mean = exit_rate_max * t;
  MatrixXd power = MatrixXd::Identity(size, size);
  double weight = std::exp(-mean);
  MatrixXd sum = weight * power;
  const Index terms = poisson_truncation(mean);
  for (Index k = 1; k <= terms; ++k) {
    power = power * step;
    weight *= mean / static_cast<double>(k);
    sum += weight * power;
  }
  return sum;
}

}  // namespace

const char* to_string(RepairModel repair) {
  return repair == RepairModel::kSerial ? "serial" : "parallel";
}

double failure_rate_per_h_from_afr(double afr) {
  CAIRN_ASSERT(afr >= 0.0 && afr < 1.0);
  return hazard_per_year_from_afr(afr) / kHoursPerYear;
}

MatrixXd generator(const GroupChain& chain) {
  check(chain);
  const uint32_t m = chain.tolerated_losses;
  const Index size = static_cast<Index>(m) + 2;
  MatrixXd q = MatrixXd::Zero(size, size);
  for (uint32_t failed = 0; failed <= m; ++failed) {
    const Index i = static_cast<Index>(failed);
    q(i, i + 1) = (chain.disks - failed) * chain.failure_rate_per_h;
    if (failed > 0) q(i, i - 1) = repair_rate_per_h_in(chain, failed);
    q(i, i) = -(q(i, i + 1) + (failed > 0 ? q(i, i - 1) : 0.0));
  }
  return q;
}

// Solves the fundamental-matrix system (−T)·τ = 1 for τ_0 by Gaussian
// elimination in the GTH form (Grassmann, Taksar, Heyman 1985): states are
// eliminated from the last, and each pivot — the total rate out of a state —
// is summed from positive rates instead of being updated by subtraction.
// Every operation then adds, multiplies or divides positive numbers, so τ_0
// is accurate to a few ulps however stiff the chain (μ/λ ~ 1e6 here). Plain
// LU loses digits in proportion to MTTDL·μ: 1e-6 relative for an 8+3 group.
double mttdl_h(const GroupChain& chain) {
  const MatrixXd q = generator(chain);
  const Index transient = q.rows() - 1;
  MatrixXd rate_per_h = q.topLeftCorner(transient, transient);
  rate_per_h.diagonal().setZero();
  VectorXd to_loss_per_h = q.col(transient).head(transient);
  VectorXd time_h = VectorXd::Ones(transient);  // right-hand side: time held per visit
  for (Index k = transient - 1; k > 0; --k) {
    const double out_per_h = to_loss_per_h(k) + rate_per_h.row(k).head(k).sum();
    for (Index i = 0; i < k; ++i) {
      const double via_k = rate_per_h(i, k) / out_per_h;
      time_h(i) += via_k * time_h(k);
      to_loss_per_h(i) += via_k * to_loss_per_h(k);
      for (Index j = 0; j < k; ++j)
        if (j != i) rate_per_h(i, j) += via_k * rate_per_h(k, j);  // i -> k -> i drops out
    }
  }
  return time_h(0) / to_loss_per_h(0);
}

// Why uniformization and not Eigen's MatrixFunctions exp(): Padé
// scaling-and-squaring has signed intermediate terms and an error bounded
// relative to ‖Q·t‖ (~100 for a year of 2-day repairs), so a loss probability
// of 1e-11 keeps few correct digits. Here every operation adds or multiplies
// non-negative numbers, the truncation error is bounded explicitly, and the
// slices are joined by squaring (still non-negative), so the cost grows with
// log(q·t), not q·t. The tests compare both methods where Padé is accurate.
double loss_probability(const GroupChain& chain, double horizon_h) {
  CAIRN_ASSERT(horizon_h >= 0.0 && std::isfinite(horizon_h));
  const MatrixXd q = generator(chain);
  const Index lost = q.rows() - 1;
  if (horizon_h == 0.0) return 0.0;
  const double exit_rate_max = (-q.diagonal()).maxCoeff();
  const double events = exit_rate_max * horizon_h;
  const int squarings = events > kSliceEvents
                            ? static_cast<int>(std::ceil(std::log2(events / kSliceEvents)))
                            : 0;
  MatrixXd transition = uniformized_exp(q, exit_rate_max, std::ldexp(horizon_h, -squarings));
  for (int s = 0; s < squarings; ++s) transition = transition * transition;
  return std::min(transition(0, lost), 1.0);
}

double loss_probability_of_groups(double group_loss_probability, uint32_t groups) {
  CAIRN_ASSERT(group_loss_probability >= 0.0 && group_loss_probability <= 1.0);
  if (group_loss_probability == 1.0) return groups > 0 ? 1.0 : 0.0;
  return -std::expm1(groups * std::log1p(-group_loss_probability));
}

double nines(double loss_probability) {
  CAIRN_ASSERT(!std::isnan(loss_probability));
  if (loss_probability <= 0.0) return std::numeric_limits<double>::infinity();
  return -std::log10(loss_probability) + 0.0;
}

double raid5_mttdl_h(uint32_t disks, double failure_rate_per_h, double repair_rate_per_h) {
  CAIRN_ASSERT(disks >= 2 && failure_rate_per_h > 0.0);
  const double n = disks, lambda = failure_rate_per_h;
  return ((2.0 * n - 1.0) * lambda + repair_rate_per_h) / (n * (n - 1.0) * lambda * lambda);
}

DurabilityFigures durability_figures(const GroupChain& chain, uint32_t groups, double horizon_h) {
  DurabilityFigures figures;
  figures.repair = chain.repair;
  figures.mttdl_per_group_h = mttdl_h(chain);
  figures.group_loss_probability = loss_probability(chain, horizon_h);
  figures.loss_probability = loss_probability_of_groups(figures.group_loss_probability, groups);
  figures.nines = nines(figures.loss_probability);
  return figures;
}

}  // namespace cairn::sim
