// Checks of the purchase plan, the choice and the report against the files
// they came from, shared by the fixture tests and the real-run tests. The
// JSON is read here on its own (not through gui/purchase_plan.cc or
// gui/choose.cc), and the PDF through poppler's pdftotext, so a view that
// misreads a figure, or a report whose words are pictures, fails. Each
// check returns an empty string, or what differed.
#pragma once

#include <QDir>
#include <QProcess>
#include <QRegularExpression>
#include <QString>
#include <QStringList>
#include <QTableWidget>
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "gui/charts.h"
#include "tests/gui/money_checks.h"

namespace cairn::gui::testing {

// A program's standard output, or a message starting "ERROR" when it
// could not run or failed.
inline QString run_tool(const QString& program, const QStringList& args, const QString& cwd = {}) {
  QProcess p;
  if (!cwd.isEmpty()) p.setWorkingDirectory(cwd);
  p.start(program, args);
  if (!p.waitForStarted(10'000)) return "ERROR: cannot start " + program + " (scripts/setup.sh installs it)";
  if (!p.waitForFinished(300'000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
    return "ERROR: " + program + " " + args.join(' ') + " failed: " + QString::fromUtf8(p.readAllStandardError());
  return QString::fromUtf8(p.readAllStandardOutput());
}

// The text of pages `first` to `last` (1-based; 0: to the end) as pdftotext
// extracts it, in reading order.
inline QString pdf_text(const QString& pdf, int first = 1, int last = 0) {
  QStringList args{"-f", QString::number(first)};
  if (last > 0) args << "-l" << QString::number(last);
  return run_tool("pdftotext", args << pdf << "-");
}

// Whitespace (line breaks of wrapped text included) as single spaces.
inline QString squeeze(const QString& s) { return s.simplified(); }

// The smallest height of a word on the PDF's pages, in points, from
// pdftotext -bbox (a word's box is about 1.16 of its font's size); -1 when
// the tool fails, 1e9 when there is no text.
inline double smallest_word_pt(const QString& pdf) {
  const QString html = run_tool("pdftotext", {"-bbox", pdf, "-"});
  if (html.startsWith("ERROR")) return -1;
  static const QRegularExpression kWord(R"re(<word xMin="[^"]+" yMin="([^"]+)" xMax="[^"]+" yMax="([^"]+)">)re");
  double smallest = 1e9;
  for (auto it = kWord.globalMatch(html); it.hasNext();) {
    auto m = it.next();
    smallest = std::min(smallest, m.captured(2).toDouble() - m.captured(1).toDouble());
  }
  return smallest;
}

// The "by year" table as summary.json's purchase_plan.by_year holds it:
// one row per year, its numbers in the table's order.
inline QString check_by_year_table(const QTableWidget* table, const std::string& dir) {
  const nlohmann::json by_year = read_summary(dir)["purchase_plan"]["by_year"];
  if (!by_year.is_array() || by_year.empty()) return "summary.json has no purchase_plan.by_year";
  if (table->rowCount() != static_cast<int>(by_year.size()))
    return QString("%1 rows, summary.json %2 years").arg(table->rowCount()).arg(by_year.size());
  const char* const keys[] = {"nodes", "disks", "raw_tb", "usable_tb", "price", "refresh_nodes", "refresh_price",
                              "share_of_runs"};
  for (int r = 0; r < table->rowCount(); ++r) {
    const nlohmann::json& y = by_year[static_cast<size_t>(r)];
    if (table->verticalHeaderItem(r)->text() != QString("year %1").arg(y["year"].get<int>()))
      return "row " + QString::number(r) + " is " + table->verticalHeaderItem(r)->text();
    for (int c = 0; c < static_cast<int>(std::size(keys)); ++c) {
      const double want = y[keys[c]].get<double>() * (c == 7 ? 100 : 1);
      const double shown = money_cell(table->item(r, c)->text().remove(" %"));
      // Cells are rounded: to 0.1 for counts and TB, to whole money and percent.
      const double tolerance = (c == 4 || c == 6 || c == 7) ? 0.5 : 0.05;
      if (std::abs(shown - want) > tolerance + 1e-9)
        return QString("year %1 %2: shown %3, summary.json %4").arg(r + 1).arg(keys[c]).arg(shown).arg(want);
    }
  }
  return {};
}

// The tornado's bars against choose.json's sensitivity: row r is the
// factor r-th widest (|cost - base| over both ends, largest first), series
// 0 its low end and series 1 its high end, in the axis's money unit; an end
// without a cost has no bar.
inline QString check_tornado(const ChartSpec& spec, const nlohmann::json& choose) {
  const nlohmann::json& s = choose["sensitivity"];
  const double base = s["base"]["cost"].get<double>();
  double largest = base;
  for (const auto& f : s["factors"])
    for (const char* end : {"at_low", "at_high"})
      if (!f[end]["cost"].is_null()) largest = std::max(largest, f[end]["cost"].get<double>());
  const double divisor = largest >= 1e6 ? 1e6 : largest >= 1e4 ? 1e3 : 1;
  std::vector<std::pair<double, nlohmann::json>> factors;
  for (const auto& f : s["factors"]) {
    double lo = base, hi = base;
    for (const char* end : {"at_low", "at_high"})
      if (!f[end]["cost"].is_null()) lo = std::min(lo, f[end]["cost"].get<double>()), hi = std::max(hi, f[end]["cost"].get<double>());
    factors.emplace_back(hi - lo, f);
  }
  std::stable_sort(factors.begin(), factors.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  if (spec.rows.size() != static_cast<qsizetype>(factors.size()))
    return QString("%1 rows, %2 factors").arg(spec.rows.size()).arg(factors.size());
  if (spec.series.size() < 2) return "fewer than two series";
  if (!near(spec.origin, base / divisor)) return QString("origin %1, base %2").arg(spec.origin).arg(base / divisor);
  for (size_t row = 0; row < factors.size(); ++row) {
    const nlohmann::json& f = factors[row].second;
    // The row names its range (lists are shortened, so only plain values are looked for).
    const QString range = QString::fromStdString(f["low"].get<std::string>() + " – " + f["high"].get<std::string>());
    if (!range.startsWith('[') && !spec.rows[static_cast<qsizetype>(row)].contains(range))
      return QString("row %1 is '%2', expected the range %3").arg(row).arg(spec.rows[static_cast<qsizetype>(row)], range);
    for (int side = 0; side < 2; ++side) {
      const nlohmann::json& end = f[side == 0 ? "at_low" : "at_high"];
      const auto& points = spec.series[static_cast<size_t>(side)].points;
      auto bar = std::find_if(points.begin(), points.end(), [&](const QPointF& p) { return p.x() == double(row); });
      if (end["cost"].is_null()) {
        if (bar != points.end()) return QString("row %1: a bar where no variant is feasible").arg(row);
        continue;
      }
      if (bar == points.end()) return QString("row %1 side %2: no bar").arg(row).arg(side);
      if (!near(bar->y(), end["cost"].get<double>() / divisor))
        return QString("row %1 side %2: bar to %3, choose.json %4").arg(row).arg(side).arg(bar->y()).arg(
            end["cost"].get<double>() / divisor);
    }
  }
  return {};
}

// Two summary.json files equal but for what depends on the wall clock or
// on where the scenario file was: simulated_years_per_wall_s, each run's
// wall_s, scenario_file and reproduce.
inline QString check_same_summary(nlohmann::json a, nlohmann::json b) {
  for (nlohmann::json* j : {&a, &b}) {
    if (!j->is_object()) return "not a summary";
    for (const char* key : {"simulated_years_per_wall_s", "scenario_file", "reproduce"}) j->erase(key);
    for (nlohmann::json& run : (*j)["per_run"]) run.erase("wall_s");
  }
  if (a == b) return {};
  for (auto it = a.begin(); it != a.end(); ++it)
    if (!b.contains(it.key()) || b[it.key()] != it.value())
      return QString::fromStdString("differs at " + it.key() + ": " + it.value().dump().substr(0, 200) + " vs " +
                                    (b.contains(it.key()) ? b[it.key()].dump().substr(0, 200) : "absent"));
  return "differs (keys only in the reproduced summary)";
}

}  // namespace cairn::gui::testing
