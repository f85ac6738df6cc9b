#include "gui/purchase_plan.h"
#include "gui/figures.h"

#include <cmath>
#include <algorithm>
#include <cstdio>

namespace cairn::gui {
namespace {

const auto& fixed = format_fixed;

std::string percent(double share) { return fixed(100 * share, 0) + " %"; }

// Counts are means over runs: whole when every run bought the same.
std::string count(double v) { return std::abs(v - std::round(v)) < 0.05 ? fixed(v, 0) : fixed(v, 1); }

std::string money_column(const char* what, const std::string& currency) {
  return std::string(what) + " (" + (currency.empty() ? std::string("money units") : currency) + ")";
}

PlanYear plan_year(const nlohmann::json& j) {
  PlanYear y;
  y.year = j.at("year").get<uint32_t>();
  y.share_of_runs = j.at("share_of_runs").get<double>();
  y.nodes = j.at("nodes").get<double>(), y.disks = j.at("disks").get<double>();
  y.raw_tb = j.at("raw_tb").get<double>(), y.usable_tb = j.at("usable_tb").get<double>();
  y.price = j.at("price").get<double>();
  y.refresh_nodes = j.at("refresh_nodes").get<double>(), y.refresh_price = j.at("refresh_price").get<double>();
  return y;
}

PlannedPurchase planned(const nlohmann::json& j) {
  PlannedPurchase p;
  p.kind = j.at("kind").get<std::string>();
  p.ordinal = j.at("ordinal").get<uint32_t>();
  p.share_of_runs = j.at("share_of_runs").get<double>();
  p.nodes = j.at("nodes").get<double>(), p.disks = j.at("disks").get<double>();
  p.raw_tb = j.at("raw_tb").get<double>(), p.usable_tb = j.at("usable_tb").get<double>();
  p.price = j.at("price").get<double>();
  p.order_month = j.at("order_month").get<double>(), p.arrival_month = j.at("arrival_month").get<double>();
  for (const nlohmann::json& a : j.at("arrival_years"))
    p.arrival_years.push_back({a.at("year").get<uint32_t>(), a.at("share").get<double>()});
  return p;
}

// When to order: "year 6, month 4 (lead 90 d)" for month 63.2 from the
// start; "3 months before the start (lead 90 d)".
std::string order_text(double order_month, double lead_time_days) {
  return sim::order_month_text(order_month) + " (lead " + fixed(lead_time_days, 0) + " d)";
}

}  // namespace

Result<std::optional<PurchasePlan>> purchase_plan_from(const nlohmann::json& summary) {
  auto it = summary.find("purchase_plan");
  if (it == summary.end() || it->is_null()) return std::optional<PurchasePlan>();
  try {
    PurchasePlan plan;
    plan.lead_time_days = it->at("lead_time_days").get<double>();
    for (const nlohmann::json& y : it->at("by_year")) {
      plan.by_year.push_back(plan_year(y));
      // The table places year y in row y; a gap would misdate every later row.
      if (plan.by_year.back().year != plan.by_year.size())
        return invalid_argument("purchase_plan: by_year holds year " + std::to_string(plan.by_year.back().year) +
                                " where " + std::to_string(plan.by_year.size()) + " was expected");
    }
    for (const nlohmann::json& p : it->at("purchases")) plan.purchases.push_back(planned(p));
    return std::optional<PurchasePlan>(std::move(plan));
  } catch (const nlohmann::json::exception& e) {
    return invalid_argument(std::string("purchase_plan: ") + e.what());
  }
}

std::string purchase_name(const PlannedPurchase& p) {
  if (p.kind == "initial") return "initial cluster";
  return p.kind + " " + std::to_string(p.ordinal);
}

FiguresTable purchases_table(const PurchasePlan& plan, const std::string& currency) {
  FiguresTable t;
  t.columns = {"arrives", "order by", "nodes", "disks", "raw TB", "usable TB", money_column("price", currency),
               "made in"};
  for (const PlannedPurchase& p : plan.purchases) {
    t.rows.push_back(purchase_name(p));
    t.cells.push_back({sim::arrival_text(p.arrival_years, p.share_of_runs),
                       order_text(p.order_month, plan.lead_time_days), count(p.nodes),
                       count(p.disks), format_grouped(p.raw_tb, 0), format_grouped(p.usable_tb, 0),
                       format_grouped(p.price, 0), percent(p.share_of_runs) + " of runs"});
  }
  return t;
}

FiguresTable by_year_table(const PurchasePlan& plan, const std::string& currency) {
  FiguresTable t;
  t.columns = {"nodes bought", "disks", "raw TB", "usable TB", money_column("price", currency), "nodes refreshed",
               money_column("refresh price", currency), "runs buying"};
  for (const PlanYear& y : plan.by_year) {
    t.rows.push_back("year " + std::to_string(y.year));
    t.cells.push_back({fixed(y.nodes, 1), fixed(y.disks, 1), format_grouped(y.raw_tb, 1),
                       format_grouped(y.usable_tb, 1), format_grouped(y.price, 0), fixed(y.refresh_nodes, 1),
                       format_grouped(y.refresh_price, 0), percent(y.share_of_runs)});
  }
  return t;
}

FiguresTable compare_purchases_table(const std::vector<std::pair<std::string, PurchasePlan>>& plans,
                                     const std::string& currency) {
  FiguresTable t;
  size_t years = 0;
  for (const auto& [label, plan] : plans) t.columns.push_back(label), years = std::max(years, plan.by_year.size());
  for (size_t y = 0; y < years; ++y) {
    std::vector<std::string> row;
    bool any = false;
    for (const auto& [label, plan] : plans) {
      if (y >= plan.by_year.size() || (plan.by_year[y].nodes <= 0 && plan.by_year[y].refresh_nodes <= 0)) {
        row.push_back("—");
        continue;
      }
      const PlanYear& p = plan.by_year[y];
      any = true;
      std::string cell;
      if (p.nodes > 0)
        cell = count(p.nodes) + " nodes, " + format_grouped(p.raw_tb, 0) + " TB raw, " + currency + " " +
               format_grouped(p.price, 0) + " (" + percent(p.share_of_runs) + " of runs)";
      if (p.refresh_nodes > 0)
        cell += (cell.empty() ? "" : "; ") + std::string("refresh ") + count(p.refresh_nodes) + " nodes, " + currency +
                " " + format_grouped(p.refresh_price, 0);
      row.push_back(cell);
    }
    if (!any) continue;
    t.rows.push_back("year " + std::to_string(y + 1));
    t.cells.push_back(std::move(row));
  }
  return t;
}

}  // namespace cairn::gui
