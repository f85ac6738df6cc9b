// A recommendation under constraints: `cairn plan --choose FILE --out DIR`'s
// DIR/choose.json read into plain structs — the constraints, each variant's
// cost, nines, peak fill and longest heal with their intervals and its
// checks' margins and verdict, the recommended variant (or the nearest
// miss), and the sensitivity of the recommendation and its cost — laid out
// as the planner's variants table and tornado chart. Pure apart from the
// file read; no widgets.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/status.h"
#include "gui/charts.h"
#include "gui/figures.h"

namespace cairn::gui {

struct ChooseConstraint {
  std::string name;  // "min_nines", "max_fill", "max_heal_h", "budget"
  std::string text;  // "durability at least 2 nines over 15 years"
  double bound = 0;
};

struct ChooseCheck {
  std::string name;
  double value = 0, bound = 0, margin = 0;
  bool met = false;
};

struct ChooseVariant {
  std::string id;     // "v003"
  std::string label;  // "ec:8+3, 20 TB"
  nlohmann::json values;  // scenario key -> value, as the sweep set it
  // {mean, low95, high95} as written; nines' members may be null (infinite).
  nlohmann::json cost, nines, peak_fill, longest_heal_h;
  std::vector<ChooseCheck> checks;
  bool feasible = false;
  std::string verdict;
};

// One end of a sensitivity factor: the recommendation there and its cost,
// both absent when no variant meets every constraint at that end.
struct SensitivityEnd {
  std::optional<std::string> recommended;
  std::optional<double> cost;
};

struct SensitivityFactor {
  std::string key;   // "workload.annual_growth"
  std::string text;  // "annual growth"
  std::string low, high;  // the values tried, as written: "5 %"
  SensitivityEnd at_low, at_high;
};

struct Sensitivity {
  SensitivityEnd base;
  std::vector<SensitivityFactor> factors;
};

struct ChooseResult {
  std::string dir;  // where choose.json was read
  std::string choose_file, scenario_file, currency, reproduce, verdict;
  uint32_t replicates = 0;
  double horizon_years = 0;
  std::vector<ChooseConstraint> constraints;
  std::vector<ChooseVariant> variants;
  std::optional<std::string> recommended, nearest_miss;
  std::optional<Sensitivity> sensitivity;

  // The variant with id `id`, or null.
  const ChooseVariant* variant(const std::string& id) const;
  // The recommended variant, else the nearest miss, else null.
  const ChooseVariant* chosen() const;
};

// choose.json as written; an error names the field that is missing or wrong.
Result<ChooseResult> parse_choose(const nlohmann::json& j, const std::string& dir);
// DIR/choose.json.
Result<ChooseResult> load_choose(const std::string& dir);

// The scenario a variant of a choose (sweep) file runs: `scenario_yaml`
// (the file the sweep names) with the sweep's `set:` then the variant's
// values applied, each by set_value() so comments and sources stay. A value
// this edit cannot write (a mapping, a null that removes a key) is an error
// naming the key.
Result<std::string> variant_scenario(std::string_view sweep_yaml, std::string_view scenario_yaml,
                                     const ChooseVariant& variant);

// "v003 (ec:8+3, 20 TB)".
std::string variant_name(const ChooseVariant& v);

// One row per variant (named "v003: ec:8+3, 20 TB", the recommended one
// marked "★ recommended"): cost, nines, peak fill and longest heal with
// their intervals, each constraint's margin, the verdict.
FiguresTable variants_table(const ChooseResult& r);

// The row of variants_table() that is the recommendation (or the nearest
// miss), or -1.
int chosen_row(const ChooseResult& r);

// The tornado chart: for each factor, a bar from the base cost to the cost
// of the recommendation at the factor's low end (series 0) and one to its
// high end (series 1), in the money unit of the chart's axis; factors
// sorted widest first (row 0 on top). A row's name says the range tried and,
// when the recommendation changes at an end, which variant it changes to
// (or that none is feasible there; that end then has no bar). Empty, with a
// caption saying why, without a sensitivity or a base cost.
ChartSpec tornado_chart(const ChooseResult& r);

}  // namespace cairn::gui
