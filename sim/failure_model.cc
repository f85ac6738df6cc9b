#include "sim/failure_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace cairn::sim {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// Exp(1) by inversion: −ln(1 − U) with U uniform in [0, 1), so the draw is
// finite and >= 0. Every sampler below spends exactly one such draw.
double unit_exponential(SplitMix64& rng) { return -std::log1p(-rng.uniform()); }

// Index of the AFR table entry in force at age_years: the year of life it
// falls in, or the last entry once the table has ended.
size_t by_age_index(const std::vector<double>& afr_by_age_year, double age_years) {
  const double last = static_cast<double>(afr_by_age_year.size() - 1);
  return static_cast<size_t>(std::min(std::floor(age_years), last));
}

// Years until the cumulative hazard, counted from age_years, reaches
// `hazard` (a unit-exponential draw), with piecewise-constant hazard per
// year of life. Inverts H(age + t) − H(age) = hazard segment by segment.
double by_age_years_to_failure(const std::vector<double>& afr_by_age_year, double age_years,
                               double hazard) {
  CAIRN_ASSERT(!afr_by_age_year.empty());
  size_t year = by_age_index(afr_by_age_year, age_years);
  double elapsed_years = 0.0;
  double now_years = age_years;
  for (;;) {
    const double rate_per_year = hazard_per_year_from_afr(afr_by_age_year[year]);
    const bool last = year + 1 == afr_by_age_year.size();
    const double span_years = static_cast<double>(year + 1) - now_years;
    if (last || hazard <= rate_per_year * span_years) {
      // A zero rate ends here only on the endless last span: no failure ever.
      if (rate_per_year == 0.0) return hazard == 0.0 ? elapsed_years : kInfinity;
      return elapsed_years + hazard / rate_per_year;
    }
    hazard -= rate_per_year * span_years;
    elapsed_years += span_years;
    now_years = static_cast<double>(year + 1);
    ++year;
  }
}

// Weibull: H(a) = (a / scale)^shape. Solves H(age + t) = H(age) + hazard in
// the form age·((1 + hazard / H(age))^(1/shape) − 1), which keeps its
// precision when t is small against an old disk's age.
double weibull_years_to_failure(double shape, double scale_years, double age_years,
                                double hazard) {
  CAIRN_ASSERT(shape > 0.0 && scale_years > 0.0);
  const double h_age = std::pow(age_years / scale_years, shape);
  if (h_age == 0.0) return scale_years * std::pow(hazard, 1.0 / shape) - age_years;
  return age_years * std::expm1(std::log1p(hazard / h_age) / shape);
}

}  // namespace

double hazard_per_year_from_afr(double afr) {
  CAIRN_ASSERT(afr >= 0.0 && afr <= 1.0);
  return -std::log1p(-afr);
}

double sample_exponential_s(double rate_per_year, SplitMix64& rng) {
  CAIRN_ASSERT(rate_per_year >= 0.0);
  const double hazard = unit_exponential(rng);
  if (rate_per_year == 0.0) return kInfinity;
  return hazard / rate_per_year * kSecondsPerYear;
}

double sample_time_to_failure_s(const DiskFailureModel& model, double age_s, SplitMix64& rng) {
  CAIRN_ASSERT(age_s >= 0.0);
  const double age_years = age_s / kSecondsPerYear;
  switch (model.kind) {
    case DiskFailureModel::Kind::kConstant:
      return sample_exponential_s(hazard_per_year_from_afr(model.afr), rng);
    case DiskFailureModel::Kind::kByAge:
      return by_age_years_to_failure(model.afr_by_age_year, age_years, unit_exponential(rng)) *
             kSecondsPerYear;
    case DiskFailureModel::Kind::kWeibull:
      return weibull_years_to_failure(model.weibull_shape, model.weibull_scale_years, age_years,
                                      unit_exponential(rng)) *
             kSecondsPerYear;
  }
  CAIRN_ASSERT(false && "unknown DiskFailureModel::Kind");
  return kInfinity;
}

double annual_failure_rate_at(const DiskFailureModel& model, double age_years) {
  CAIRN_ASSERT(age_years >= 0.0);
  switch (model.kind) {
    case DiskFailureModel::Kind::kConstant:
      return model.afr;
    case DiskFailureModel::Kind::kByAge:
      CAIRN_ASSERT(!model.afr_by_age_year.empty());
      return model.afr_by_age_year[by_age_index(model.afr_by_age_year, age_years)];
    case DiskFailureModel::Kind::kWeibull: {
      const double shape = model.weibull_shape, scale = model.weibull_scale_years;
      CAIRN_ASSERT(shape > 0.0 && scale > 0.0);
      const double hazard_in_year =
          std::pow((age_years + 1.0) / scale, shape) - std::pow(age_years / scale, shape);
      return -std::expm1(-hazard_in_year);
    }
  }
  CAIRN_ASSERT(false && "unknown DiskFailureModel::Kind");
  return 0.0;
}

double cumulative_hazard(const DiskFailureModel& m, double age_s) {
  const double years = std::max(0.0, age_s) / kSecondsPerYear;
  switch (m.kind) {
    case DiskFailureModel::Kind::kConstant: return hazard_per_year_from_afr(m.afr) * years;
    case DiskFailureModel::Kind::kByAge: {
      double h = 0;
      for (size_t y = 0; static_cast<double>(y) < years; ++y) {
        const double rate = hazard_per_year_from_afr(m.afr_by_age_year[std::min(y, m.afr_by_age_year.size() - 1)]);
        h += rate * std::min(1.0, years - static_cast<double>(y));
      }
      return h;
    }
    case DiskFailureModel::Kind::kWeibull: return std::pow(years / m.weibull_scale_years, m.weibull_shape);
  }
  return 0;
}

DiskFailureModel with_hazard_factor(DiskFailureModel m, double factor) {
  CAIRN_ASSERT(factor > 0);
  auto scale = [factor](double afr) { return 1.0 - std::pow(1.0 - afr, factor); };
  m.afr = scale(m.afr);
  for (double& afr : m.afr_by_age_year) afr = scale(afr);
  m.weibull_scale_years /= std::pow(factor, 1.0 / m.weibull_shape);
  return m;
}

}  // namespace cairn::sim
