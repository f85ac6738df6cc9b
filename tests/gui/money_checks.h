// Checks of the planner's money views against a run directory's own files,
// shared by the fixture tests and the real-run tests. The files are read
// here independently of gui/run_results.cc (a plain split on commas and the
// JSON as written), so a loader that misreads a column fails the check.
// Each check returns an empty string, or what differed.
#pragma once

#include <QString>
#include <QTableWidget>
#include <QWidget>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "gui/chart_specs.h"
#include "gui/charts.h"

namespace cairn::gui::testing {

// clang-format off
inline const char* const kCostColumns[] = {
    "year", "nodes", "disks", "network", "racks", "power", "space", "support", "capex", "opex", "total",
    "cumulative", "usable_tb", "stored_tb", "per_usable_tb_year", "per_stored_tb_year"};
// clang-format on

// cost.csv's rows as numbers, by column in kCostColumns order; empty if the
// file is absent or its header is not the contract's.
inline std::vector<std::vector<double>> read_cost_csv(const std::string& dir) {
  std::ifstream in(dir + "/cost.csv");
  std::string line, expected;
  for (const char* c : kCostColumns) expected += (expected.empty() ? "" : ",") + std::string(c);
  if (!std::getline(in, line) || line != expected) return {};
  std::vector<std::vector<double>> rows;
  while (std::getline(in, line)) {
    std::vector<double> row;
    std::stringstream fields(line);
    for (std::string f; std::getline(fields, f, ',');) row.push_back(std::stod(f));
    rows.push_back(std::move(row));
  }
  return rows;
}

inline nlohmann::json read_summary(const std::string& dir) {
  std::ifstream in(dir + "/summary.json");
  return nlohmann::json::parse(in, nullptr, false);
}

inline bool near(double a, double b) {
  return std::abs(a - b) <= 1e-9 * std::max({1.0, std::abs(a), std::abs(b)});
}

// The number a money cell starts with: "1,234,567 (95 % CI ...)" -> 1234567.
inline double money_cell(const QString& cell) {
  QString number = cell.section(" (", 0, 0);
  number.remove(',');
  return number.toDouble();
}

// The one-run cost chart: a bar series per item holding each year's amount,
// then the cumulative total, all in the chart's money unit.
inline QString check_cost_chart(const QWidget* widget, const std::string& dir) {
  const ChartSpec* spec = shown_chart(widget);
  if (!spec) return "not a chart widget";
  const auto rows = read_cost_csv(dir);
  if (rows.empty()) return QString::fromStdString(dir + "/cost.csv: absent or with another header");
  const std::string currency = read_summary(dir).value("currency", std::string());
  const MoneyUnit unit = money_unit(rows.back()[11], currency);
  if (!spec->y_label.contains(QString::fromStdString(currency)) ||
      !spec->y2_label.contains(QString::fromStdString(currency)))
    return "axes not titled with the currency: " + spec->y_label + " / " + spec->y2_label;
  if (spec->series.size() != 8)
    return QString("%1 series, expected 7 items and the total").arg(spec->series.size());
  for (size_t item = 0; item < 8; ++item) {
    const SeriesSpec& s = spec->series[item];
    const size_t column = item < 7 ? item + 1 : 11;  // nodes .. support, then cumulative
    if (!s.name.contains(kCostColumns[column]) && !(column == 11 && s.name.contains("cumulative")))
      return "series " + s.name + " where " + kCostColumns[column] + " was expected";
    if (s.style != (item < 7 ? SeriesStyle::kBars : SeriesStyle::kLine))
      return s.name + ": wrong style";
    const size_t first = item < 7 ? 0 : 1;  // the total starts from zero at year 0
    if (s.points.size() != rows.size() + first)
      return QString("%1: %2 points for %3 years")
          .arg(s.name)
          .arg(s.points.size())
          .arg(rows.size());
    for (size_t y = 0; y < rows.size(); ++y) {
      const QPointF p = s.points[y + first];
      if (!near(p.x(), rows[y][0]) || !near(p.y() * unit.divisor, rows[y][column]))
        return QString("%1 year %2: chart point (%3, %4 x %5), cost.csv %6")
            .arg(s.name)
            .arg(rows[y][0])
            .arg(p.x())
            .arg(p.y())
            .arg(unit.divisor)
            .arg(rows[y][column]);
    }
  }
  return {};
}

// The comparison's cost chart: each variant's cumulative cost by year.
inline QString check_cumulative_chart(const QWidget* widget, const std::vector<std::string>& dirs) {
  const ChartSpec* spec = shown_chart(widget);
  if (!spec) return "not a chart widget";
  if (spec->series.size() != dirs.size())
    return QString("%1 series for %2 variants").arg(spec->series.size()).arg(dirs.size());
  double largest = 0;
  for (const std::string& d : dirs) largest = std::max(largest, read_cost_csv(d).back()[11]);
  const MoneyUnit unit =
      money_unit(largest, read_summary(dirs.front()).value("currency", std::string()));
  for (size_t v = 0; v < dirs.size(); ++v) {
    const auto rows = read_cost_csv(dirs[v]);
    const SeriesSpec& s = spec->series[v];
    if (s.points.size() != rows.size() + 1) return s.name + ": wrong number of points";
    for (size_t y = 0; y < rows.size(); ++y)
      if (!near(s.points[y + 1].y() * unit.divisor, rows[y][11]))
        return QString("%1 year %2: %3, cost.csv %4")
            .arg(s.name)
            .arg(y + 1)
            .arg(s.points[y + 1].y())
            .arg(rows[y][11]);
  }
  return {};
}

// The key-figures table's money rows: per column (one per run, in `dirs`
// order), each figure's mean from that run's summary.json, in its currency.
inline QString check_money_rows(const QTableWidget* table, const std::vector<std::string>& dirs) {
  const std::pair<const char*, const char*> figures[] = {{"total cost over", "total"},
                                                         {"capex", "capex"},
                                                         {"opex", "opex"},
                                                         {"per usable TB", "per_usable_tb_year"},
                                                         {"per stored TB", "per_stored_tb_year"}};
  if (table->columnCount() != static_cast<int>(dirs.size()))
    return QString("%1 columns for %2 runs").arg(table->columnCount()).arg(dirs.size());
  for (const auto& [row_name, key] : figures) {
    int row = -1;
    for (int r = 0; r < table->rowCount(); ++r)
      if (table->verticalHeaderItem(r)->text().contains(row_name)) row = r;
    if (row < 0) return QString("no row for ") + row_name;
    for (size_t c = 0; c < dirs.size(); ++c) {
      const nlohmann::json summary = read_summary(dirs[c]);
      if (!table->verticalHeaderItem(row)->text().contains(
              QString::fromStdString(summary["currency"].get<std::string>())))
        return table->verticalHeaderItem(row)->text() + ": no currency";
      const double mean = summary["cost"][key]["mean"].get<double>();
      const int digits = std::string(key).find("per_") == 0 ? 2 : 0;
      const double shown = money_cell(table->item(row, static_cast<int>(c))->text());
      if (std::abs(shown - mean) > 0.5 * std::pow(10.0, -digits))
        return QString("%1, column %2: shows %3, summary.json mean %4")
            .arg(table->verticalHeaderItem(row)->text())
            .arg(c)
            .arg(table->item(row, static_cast<int>(c))->text())
            .arg(mean);
    }
  }
  return {};
}

// The waterfall table: raw, the four deductions and safely usable, per run.
inline QString check_waterfall(const QTableWidget* table, const std::vector<std::string>& dirs) {
  const char* const keys[] = {"raw_tb",          "redundancy_tb", "spares_tb",
                              "fill_ceiling_tb", "reprotect_tb",  "safely_usable_tb"};
  if (table->rowCount() != 6 || table->columnCount() != static_cast<int>(dirs.size()))
    return QString("%1 x %2 cells").arg(table->rowCount()).arg(table->columnCount());
  for (size_t c = 0; c < dirs.size(); ++c) {
    const nlohmann::json w = read_summary(dirs[c])["waterfall"];
    for (int r = 0; r < 6; ++r) {
      const double expected = w[keys[r]].get<double>();
      const double shown = money_cell(table->item(r, static_cast<int>(c))->text());
      if (std::abs(shown - expected) > 0.05 + 1e-9)
        return QString("%1: shows %2, summary.json %3").arg(keys[r]).arg(shown).arg(expected);
    }
  }
  return {};
}

}  // namespace cairn::gui::testing
