// Checks of the planner's durability views against a run directory's own
// summary.json, shared by the fixture tests and the real-run tests. The JSON
// is read here as cairn plan wrote it, independently of gui/run_results.cc,
// so a loader that misreads a figure (or a null) fails the check. Each check
// returns an empty string, or what differed.
#pragma once

#include <QString>
#include <QTableWidget>
#include <QWidget>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gui/charts.h"
#include "tests/gui/money_checks.h"

namespace cairn::gui::testing {

// Where the chart must draw a nines value: a JSON null (infinite) on the
// chart's dashed top line, below zero at zero.
inline double drawn_nines(const nlohmann::json& v, double top) {
  if (v.is_null()) return top;
  return std::max(0.0, v.get<double>());
}

// The durability chart: for one run its 95 % band (high95 over low95) and
// its mean, for several each variant's mean in `dirs` order, at x = year,
// each point summary.json's by_year value; infinite values on the last
// series, the dashed line named "unbounded", which the caption explains.
inline QString check_durability_chart(const QWidget* widget, const std::vector<std::string>& dirs) {
  const ChartSpec* spec = shown_chart(widget);
  if (!spec) return "not a chart widget";
  const bool band = dirs.size() == 1;
  const bool has_top = !spec->series.empty() && spec->series.back().name.startsWith("unbounded");
  const double top =
      has_top && !spec->series.back().points.empty() ? spec->series.back().points.front().y() : -1;
  if (spec->series.size() != dirs.size() + (band ? 1 : 0) + (has_top ? 1 : 0))
    return QString("%1 series for %2 runs").arg(spec->series.size()).arg(dirs.size());
  bool any_null = false;
  for (size_t v = 0; v < dirs.size(); ++v) {
    const nlohmann::json by_year = read_summary(dirs[v])["durability"]["by_year"];
    if (!by_year.is_array() || by_year.empty())
      return QString::fromStdString(dirs[v] + ": no by_year");
    const SeriesSpec& mean = spec->series[band ? 1 : v];
    if (mean.style != SeriesStyle::kLine) return mean.name + ": not a line";
    if (mean.points.size() != by_year.size())
      return QString("%1: %2 points for %3 years")
          .arg(mean.name)
          .arg(mean.points.size())
          .arg(by_year.size());
    for (size_t y = 0; y < by_year.size(); ++y) {
      const nlohmann::json& n = by_year[y]["nines"];
      any_null |= n["mean"].is_null() || (band && (n["low95"].is_null() || n["high95"].is_null()));
      if (!near(mean.points[y].x(), by_year[y]["year"].get<double>()) ||
          !near(mean.points[y].y(), drawn_nines(n["mean"], top)))
        return QString("%1 year %2: chart (%3, %4), summary.json %5")
            .arg(mean.name)
            .arg(y + 1)
            .arg(mean.points[y].x())
            .arg(mean.points[y].y())
            .arg(QString::fromStdString(n["mean"].dump()));
      if (!n["mean"].is_null() &&
          (n["mean"].get<double>() >= spec->y_max || (has_top && n["mean"].get<double>() >= top)))
        return QString("year %1: finite nines %2 at or above the top line %3 or the axis's top %4")
            .arg(y + 1)
            .arg(n["mean"].get<double>())
            .arg(top)
            .arg(spec->y_max);
    }
    if (!band) continue;
    const SeriesSpec& interval = spec->series[0];
    if (interval.style != SeriesStyle::kBand) return interval.name + ": not a band";
    if (interval.points.size() != by_year.size() || interval.lower.size() != by_year.size())
      return "band: wrong number of points";
    for (size_t y = 0; y < by_year.size(); ++y) {
      const nlohmann::json& n = by_year[y]["nines"];
      if (!near(interval.points[y].y(), drawn_nines(n["high95"], top)) ||
          !near(interval.lower[y].y(), drawn_nines(n["low95"], top)))
        return QString("band year %1: %2 – %3, summary.json %4 – %5")
            .arg(y + 1)
            .arg(interval.lower[y].y())
            .arg(interval.points[y].y())
            .arg(QString::fromStdString(n["low95"].dump()))
            .arg(QString::fromStdString(n["high95"].dump()));
    }
  }
  if (any_null && (!has_top || !spec->caption.contains("unbounded")))
    return "infinite nines drawn without saying so: caption '" + spec->caption + "'";
  if (has_top && top >= spec->y_max) return "the top line is not inside the plot";
  return {};
}

inline std::string two_decimals(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

inline std::string three_significant(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

// The table's durability rows, per column (one per run, in `dirs` order):
// nines (the mean, "unbounded" for a null, "≥ low" for a null high95),
// P(group loss), expected GB lost per year, runs that met a hazard, the
// effective sample size and the warnings, from that run's summary.json.
inline QString check_durability_rows(const QTableWidget* table,
                                     const std::vector<std::string>& dirs) {
  if (table->columnCount() != static_cast<int>(dirs.size()))
    return QString("%1 columns for %2 runs").arg(table->columnCount()).arg(dirs.size());
  auto row_of = [&](const QString& name) {
    for (int r = 0; r < table->rowCount(); ++r)
      if (table->verticalHeaderItem(r)->text().startsWith(name)) return r;
    return -1;
  };
  const char* const rows[] = {
      "durability (nines)",          "P(group loss)",         "expected bytes lost per year (GB)",
      "runs that met a loss hazard", "effective sample size", "durability warnings"};
  for (const char* name : rows)
    if (row_of(name) < 0) return QString("no row ") + name;
  for (size_t c = 0; c < dirs.size(); ++c) {
    const nlohmann::json d = read_summary(dirs[c])["durability"];
    const int col = static_cast<int>(c);
    auto cell = [&](const char* name) {
      return table->item(row_of(name), col)->text().toStdString();
    };
    auto starts = [](const std::string& text, const std::string& prefix) {
      return text.rfind(prefix, 0) == 0;
    };
    if (d.is_null()) {
      for (const char* name : rows)
        if (cell(name) != "not estimated")
          return QString("%1, column %2: %3").arg(name).arg(c).arg(cell(name).c_str());
      continue;
    }
    const nlohmann::json& n = d["nines"];
    const std::string nines = cell("durability (nines)");
    if (n["mean"].is_null() ? !starts(nines, "unbounded")
                            : !starts(nines, two_decimals(n["mean"].get<double>())))
      return QString("nines, column %1: shows %2, summary.json %3")
          .arg(c)
          .arg(nines.c_str())
          .arg(n.dump().c_str());
    if (!n["mean"].is_null() && n["high95"].is_null() &&
        nines.find("≥ " + two_decimals(n["low95"].get<double>())) == std::string::npos)
      return QString("nines, column %1: shows %2 for an unbounded interval")
          .arg(c)
          .arg(nines.c_str());
    const std::pair<const char*, std::string> expected[] = {
        {"P(group loss)", three_significant(d["probability_of_group_loss"]["mean"].get<double>())},
        {"expected bytes lost per year (GB)",
         three_significant(d["expected_bytes_lost_per_year"]["mean"].get<double>() * 1e-9)},
        {"runs that met a loss hazard", std::to_string(d["runs_with_hazard"].get<int>()) + " of "}};
    for (const auto& [name, prefix] : expected)
      if (!starts(cell(name), prefix))
        return QString("%1, column %2: shows %3, expected %4")
            .arg(name)
            .arg(c)
            .arg(cell(name).c_str())
            .arg(prefix.c_str());
    char ess[64];
    std::snprintf(ess, sizeof ess, "%.1f of ", d["effective_sample_size"].get<double>());
    if (!starts(cell("effective sample size"), ess))
      return QString("effective sample size, column %1: %2")
          .arg(c)
          .arg(cell("effective sample size").c_str());
    const std::string warnings = cell("durability warnings");
    if (d["warnings"].empty() && warnings != "none")
      return QString("warnings, column %1: %2").arg(c).arg(warnings.c_str());
    for (const auto& w : d["warnings"])
      if (warnings.find(w.get<std::string>()) == std::string::npos)
        return QString("warnings, column %1: %2 lacks %3")
            .arg(c)
            .arg(warnings.c_str())
            .arg(w.dump().c_str());
  }
  return {};
}

}  // namespace cairn::gui::testing
