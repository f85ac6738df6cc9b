// Failure-time sampling: when does a disk (or a node) fail next?
//
// Pure functions of their arguments and of the caller's seeded generator:
// every draw consumes exactly one value from the SplitMix64 stream and maps it
// through the inverse of the lifetime distribution, so a run is reproducible
// from its seed on every platform (no std:: distributions, whose algorithms
// differ between standard libraries). No state, no threads, no clock.
//
// Units: ages and times in seconds, annual rates per year of
// kSecondsPerYear (365.25 days), annual failure rates (AFR) as fractions.
//
// AFR and hazard. An AFR is the probability that a disk alive at the start of
// a year fails within it, so the constant hazard it implies is
// λ = −ln(1 − AFR) per year (REFERENCE.md, "Durability"). For kByAge the same
// conversion is made year by year: year i of a disk's life has hazard
// −ln(1 − afr_by_age_year[i]), and the last entry holds for every later year.
//
// Preconditions (checked by CAIRN_ASSERT; Scenario's validate() is where user
// input is refused politely): AFRs in [0, 1]; kByAge has at least one entry;
// Weibull shape and scale > 0; age_s >= 0; rates >= 0.
#pragma once

#include "engine/random.h"
#include "sim/scenario.h"

namespace cairn::sim {

// Time from now until the disk fails, in seconds, for a disk that has
// survived to age_s: a draw from the lifetime distribution conditional on
// survival to age_s. +infinity when the remaining hazard is zero (an AFR of
// 0 that holds for ever). kConstant is memoryless, so age_s does not matter.
double sample_time_to_failure_s(const DiskFailureModel& model, double age_s, SplitMix64& rng);

// An exponential waiting time in seconds for events at rate_per_year
// (node outages, permanent node losses): +infinity when the rate is 0.
double sample_exponential_s(double rate_per_year, SplitMix64& rng);

// The AFR in force at age_years, for reports: kConstant gives `afr`; kByAge
// the entry of the year of life the age falls in (the last entry after the
// table ends); kWeibull the probability that a disk alive at age a fails
// before a + 1 year, 1 − exp(−(H(a + 1) − H(a))) with H(a) = (a / scale)^shape.
double annual_failure_rate_at(const DiskFailureModel& model, double age_years);

// H(age): the expected number of failures a disk meets from new to `age_s`
// (its cumulative hazard); H(b) − H(a) is the chance, to first order, that a
// disk alive at a fails before b, exactly −ln of its survival from a to b.
double cumulative_hazard(const DiskFailureModel& model, double age_s);

// The model with its hazard multiplied by `factor` at every age (a bad
// purchase batch): AFRs become 1 − (1 − AFR)^factor, a Weibull scale
// shrinks by factor^(1/shape).
DiskFailureModel with_hazard_factor(DiskFailureModel model, double factor);

// λ per year for a constant AFR: −ln(1 − afr). Shared with the analytic
// durability model so both read an AFR the same way.
double hazard_per_year_from_afr(double afr);

}  // namespace cairn::sim
