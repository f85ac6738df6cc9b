// Key figures: the comparison table of a purchase meeting — nodes bought,
// raw TB at the horizon, longest heal, probability of data loss, bytes lost —
// one column per run, taken from each run's summary.json (means with their
// 95 % intervals when the run had several replicates). Pure; no Qt.
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

FiguresTable key_figures(const std::vector<const RunData*>& runs);

// "12.5" or "12.5 (95 % CI 11.9 – 13.1)" for a summary estimate
// {mean, low95, high95} scaled by `scale`.
std::string format_estimate(const nlohmann::json& estimate, double scale, int digits);

}  // namespace cairn::gui
