// Choosing among variants under constraints (`cairn plan --choose`): the
// cheapest variant that meets every constraint the user set, the margin on
// each, and why each other variant lost. Pure: figures in, verdicts out; the
// runs that produce the figures are the sweep's (cli/choose_cmd.cc).
//
// A constraint is met when the figure's mean over replicates meets it; each
// check also says whether the 95 % interval lies wholly on the met side
// ("certain"), so a reader sees a choice that a few more runs could undo.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sim/results.h"

namespace cairn::sim {

struct Constraints {
  std::optional<double> min_nines;   // durability over the horizon, -log10 P(group loss)
  std::optional<double> max_fill;    // peak fill, a fraction
  std::optional<double> max_heal_h;  // longest heal, hours
  std::optional<double> budget;      // total cost over the horizon, the scenario's currency
  bool any() const { return min_nines || max_fill || max_heal_h || budget; }
};

// One constraint set, in words: {"min_nines", 2, "durability at least 2.00
// nines over 15 years"}, in the order the checks take.
struct ConstraintText {
  std::string name;
  double bound = 0;
  std::string text;
};
std::vector<ConstraintText> constraint_texts(const Constraints& constraints, const std::string& currency,
                                             double horizon_years);

// One variant's figures over its replicates.
struct VariantFigures {
  std::string id;     // "v003"
  std::string label;  // "pool.scheme=ec:8+3, cluster.node.disk.size=20 TB"
  Estimate cost;
  std::optional<Estimate> p_group_loss;  // with durability estimated (--nines)
  Estimate peak_fill;
  Estimate longest_heal_h;
};

struct Check {
  std::string name;    // min_nines, max_fill, max_heal_h, budget
  double value = 0;    // the variant's figure (nines may be +infinity: no fatal hazard met)
  double bound = 0;
  double margin = 0;   // how far inside the bound (> 0) or outside it (< 0), in the figure's unit
  bool met = false;
  bool certain = false;  // the 95 % interval lies wholly on the met side
  std::string text;      // "durability 2.41 nines >= 2 (margin 0.41)"
};

struct VariantVerdict {
  std::vector<Check> checks;
  bool feasible = false;
  double shortfall = 0;  // sum over failed checks of |margin| / |bound|: how far from feasible
  std::string verdict;   // "recommended: ...", "meets every constraint, USD 120,000 dearer", "fails ..."
};

struct Choice {
  std::vector<VariantVerdict> variants;   // in the order of the figures
  std::optional<size_t> recommended;      // the cheapest feasible variant
  std::optional<size_t> nearest_miss;     // when none is feasible: the smallest shortfall
  std::string verdict;                    // one sentence for a reader
};

// Money as "USD 1,234,567".
std::string money_text(const std::string& currency, double amount);

// Evaluates `variants` against `constraints`. With no constraint set, every
// variant is feasible and the cheapest is recommended. A durability
// constraint on a variant without p_group_loss is a failed check that says
// so (run with --nines).
Choice choose_variant(const std::vector<VariantFigures>& variants, const Constraints& constraints,
                      const std::string& currency, double horizon_years);

}  // namespace cairn::sim
