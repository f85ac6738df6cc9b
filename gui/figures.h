// Key figures: the comparison table of a purchase meeting — nodes bought,
// raw TB at the horizon, longest heal, probability of data loss, bytes lost,
// and what it all costs — one column per run, taken from each run's
// summary.json (means with their 95 % intervals when the run had several
// replicates); and the capacity waterfall from raw TB down to what can
// safely be filled. Pure; no Qt.
#pragma once

#include <string>
#include <vector>

#include "gui/run_results.h"

namespace cairn::gui {

struct FiguresTable {
  std::vector<std::string> columns;  // one per run: its label
  std::vector<std::string> rows;     // figure names with units
  std::vector<std::vector<std::string>> cells;  // [row][column]
};

// The money rows are there when some run has a "cost" figure, the refresh
// rows when some run retired nodes for age; a run without them shows "—".
// The durability rows (nines, P(group loss), expected bytes lost per year,
// runs that met a loss hazard, effective sample size, warnings) are there
// when some run has a durability estimate; a run without says "not estimated".
FiguresTable key_figures(const std::vector<const RunData*>& runs);

// Raw TB, what redundancy, spares, the fill ceiling and re-protect headroom
// take from it, and what is left safely usable; one column per run. No rows
// when no run has a waterfall.
FiguresTable capacity_waterfall(const std::vector<const RunData*>& runs);

// "12.5" or "12.5 (95 % CI 11.9 – 13.1)" for a summary estimate
// {mean, low95, high95} scaled by `scale`.
std::string format_estimate(const nlohmann::json& estimate, double scale, int digits);

// Nines as summary.json holds them: "2.15 (95 % CI 1.90 – 2.40)"; "2.15
// (95 % CI ≥ 1.90)" when the interval has no upper bound (P's lower bound is
// 0); "unbounded (no loss hazard met)" when the mean is infinite.
// v with `digits` decimals ("%.*f").
std::string format_fixed(double v, int digits);

std::string format_nines(const NinesEstimate& nines);

// Three significant digits, for probabilities and amounts that span orders
// of magnitude: "0.00701 (95 % CI 0.00603 – 0.008)", "1.2e-07".
std::string format_significant(const sim::Estimate& estimate, double scale);

// What to print beside the durability figures: the method sentence (once,
// when the runs share it) and each warning, prefixed by its run's label in a
// comparison. Empty when no run has an estimate.
std::vector<std::string> durability_notes(const std::vector<const RunData*>& runs);

// As format_estimate, with thousands separated: "1,250,000 (95 % CI
// 1,190,000 – 1,310,000)", for amounts of money.
std::string format_money(const nlohmann::json& estimate, int digits);

// One number with `digits` decimals and its thousands separated: "1,250,000".
std::string format_grouped(double value, int digits);

}  // namespace cairn::gui
