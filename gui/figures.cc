#include "gui/figures.h"

#include <cstdio>
#include <functional>

namespace cairn::gui {
namespace {

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

}  // namespace

std::string format_estimate(const nlohmann::json& e, double scale, int digits) {
  if (!e.is_object()) return "—";
  double mean = e.value("mean", 0.0) * scale, low = e.value("low95", 0.0) * scale, high = e.value("high95", 0.0) * scale;
  std::string out = fixed(mean, digits);
  if (fixed(low, digits) != fixed(high, digits))
    out += " (95 % CI " + fixed(low, digits) + " – " + fixed(high, digits) + ")";
  return out;
}

FiguresTable key_figures(const std::vector<const RunData*>& runs) {
  using Cell = std::function<std::string(const RunData&)>;
  const std::vector<std::pair<std::string, Cell>> figures = {
      {"scheme / strategy",
       [](const RunData& r) {
         return r.summary.value("scheme", std::string("?")) + " " + r.summary.value("strategy", std::string("?"));
       }},
      {"replicates", [](const RunData& r) { return std::to_string(r.runs()); }},
      {"nodes bought (mean)",
       [](const RunData& r) {
         double total = 0;
         for (const auto& y : r.summary.value("nodes_bought_per_year_mean", nlohmann::json::array())) total += y.get<double>();
         return fixed(total, 1);
       }},
      {"final nodes", [](const RunData& r) { return format_estimate(r.summary["final_nodes"], 1, 1); }},
      {"raw TB at horizon (run 0)",
       [](const RunData& r) { return r.months.empty() ? std::string("—") : fixed(r.months.back().raw_tb, 0); }},
      {"peak fill (%)", [](const RunData& r) { return format_estimate(r.summary["peak_fill"], 100, 1); }},
      {"longest heal (h)", [](const RunData& r) { return format_estimate(r.summary["longest_heal_h"], 1, 1); }},
      {"disk failures", [](const RunData& r) { return format_estimate(r.summary["disk_failures"], 1, 1); }},
      {"P(data loss)", [](const RunData& r) { return format_estimate(r.summary["probability_of_loss"], 1, 3); }},
      {"bytes lost (GB)", [](const RunData& r) { return format_estimate(r.summary["bytes_lost"], 1e-9, 3); }},
  };
  FiguresTable t;
  for (const RunData* r : runs) t.columns.push_back(r->label);
  for (const auto& [name, cell] : figures) {
    t.rows.push_back(name);
    std::vector<std::string> row;
    for (const RunData* r : runs) row.push_back(cell(*r));
    t.cells.push_back(std::move(row));
  }
  return t;
}

}  // namespace cairn::gui
