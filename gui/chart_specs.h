// The planner's charts, described from run results: one function per chart,
// each taking one run (the main view) or several (a comparison, overlaid,
// each series named after its variant). Axes are in years and real units.
// Pure functions; no chart toolkit here (see charts.h).
#pragma once

#include <vector>

#include "gui/charts.h"
#include "gui/run_results.h"

namespace cairn::gui {

ChartSpec capacity_chart(const std::vector<const RunData*>& runs);   // raw / usable / used TB, purchases marked
ChartSpec nodes_chart(const std::vector<const RunData*>& runs);      // nodes in service
ChartSpec failures_chart(const std::vector<const RunData*>& runs);   // disk failures per month
ChartSpec heal_chart(const std::vector<const RunData*>& runs);       // heal duration p50 / p99, hours
ChartSpec risk_chart(const std::vector<const RunData*>& runs);       // TB at risk and lost
ChartSpec rebalance_chart(const std::vector<const RunData*>& runs);  // TB moved at each expansion
ChartSpec network_chart(const std::vector<const RunData*>& runs);    // busiest client NIC, % of the month
// One run: each year's cost stacked by item (capital, then operating) with
// the cumulative total against the right axis. Several: each variant's
// cumulative cost. From cost.csv (run 0).
ChartSpec cost_chart(const std::vector<const RunData*>& runs);
// Nines of P(group loss within the first y years) against y, from the
// durability estimate's by_year. One run: the mean as a line over its 95 %
// interval as a band. Several: each variant's mean. Infinite nines (no loss
// hazard met yet, or an interval bound of P at 0) are drawn on a dashed top
// line one nine above the largest finite value, the last series, named
// "unbounded" and explained in the caption; runs without an estimate are
// named in the caption ("not estimated" when none has one).
ChartSpec durability_chart(const std::vector<const RunData*>& runs);

// Money on an axis: whole currency, thousands or millions, chosen so that
// `largest` reads as a short number ("2.5 million USD" rather than 2.5e+06).
struct MoneyUnit {
  double divisor = 1;
  QString label;  // "thousand USD"
};
MoneyUnit money_unit(double largest, const std::string& currency);

// Every chart above that the runs have data for, in the order the planner
// shows and exports them, with a file stem for each ("capacity", "nodes",
// ...). The cost chart is left out when no run has cost.csv (runs made
// before the simulator priced them); the durability chart is always there,
// saying "not estimated" for runs made without --nines.
struct NamedChart {
  const char* stem;
  ChartSpec spec;
};
std::vector<NamedChart> all_charts(const std::vector<const RunData*>& runs);

}  // namespace cairn::gui
