// The purchase plan: what to buy and when, as summary.json's
// "purchase_plan" holds it (cli/plan_cmd.cc) — the mean purchase by year
// over the runs, each k-th purchase of a kind with the spread of the year
// it arrives in, and run 0's purchases — read into plain structs and laid
// out as tables for the planner's views and the report. Summaries written
// before the simulator planned purchases have none: PurchasePlan is then
// absent and the tables say so. Pure; no Qt.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/results.h"
#include "engine/status.h"
#include "gui/figures.h"
#include "gui/run_results.h"

namespace cairn::gui {

// What arrives in one year of the horizon: means over runs.
struct PlanYear {
  uint32_t year = 0;
  double share_of_runs = 0;  // runs in which some purchase arrives this year
  double nodes = 0, disks = 0, raw_tb = 0, usable_tb = 0, price = 0;
  double refresh_nodes = 0, refresh_price = 0;
};

using ArrivalYear = sim::ArrivalShare;  // year, and the share of the runs that made this purchase

// The k-th purchase of a kind over the runs (means over the runs that made it).
struct PlannedPurchase {
  std::string kind;  // "initial", "purchase", "refresh", "event" (a scenario's own)
  uint32_t ordinal = 0;
  double share_of_runs = 0;
  double nodes = 0, disks = 0, raw_tb = 0, usable_tb = 0, price = 0;
  double order_month = 0, arrival_month = 0;  // order_month < 0: ordered before the start
  std::vector<ArrivalYear> arrival_years;     // largest share first
};

struct PurchasePlan {
  double lead_time_days = 0;
  std::vector<PlanYear> by_year;  // years 1, 2, ... in order
  std::vector<PlannedPurchase> purchases;
};

// summary["purchase_plan"]; nullopt when absent or null (an older run). A
// present but malformed plan is an error naming the field.
Result<std::optional<PurchasePlan>> purchase_plan_from(const nlohmann::json& summary);

// "initial cluster", "purchase 2", "refresh 1".
std::string purchase_name(const PlannedPurchase& p);

// One row per purchase (the initial cluster, each purchase, each refresh):
// when it arrives (the spread over runs), when to order it, nodes, disks,
// raw and usable TB, price in `currency`, and in how many runs it was made.
FiguresTable purchases_table(const PurchasePlan& plan, const std::string& currency);

// One row per year of the horizon, as by_year holds it: nodes, disks, raw
// and usable TB, price, refreshed nodes and their price, share of runs.
FiguresTable by_year_table(const PurchasePlan& plan, const std::string& currency);

// A comparison: one row per year in which some variant buys, one column per
// variant: "11 nodes, 880 TB raw, USD 81,000 (80 % of runs)", "—" when it
// buys nothing that year.
FiguresTable compare_purchases_table(const std::vector<std::pair<std::string, PurchasePlan>>& plans,
                                     const std::string& currency);

// What the views and the report print instead of the tables for a run
// without a plan.
inline constexpr const char* kNoPurchasePlan = "Purchase plan: not in this run's summary (made before cairn plan "
                                               "wrote one); run it again to get it.";

}  // namespace cairn::gui
