// Report export: a PDF report (scenario, key-figures or comparison table
// with what it costs and its durability with the method that estimated it,
// capacity waterfall, charts with the cost and durability charts,
// assumptions), a PNG per chart, and each run's own CSV and JSON
// outputs copied beside them. Draws offscreen; GUI thread only (Qt painting).
#pragma once

#include <QString>
#include <QStringList>

#include <vector>

#include "gui/run_results.h"

namespace cairn::gui {

struct ReportInput {
  QString scenario_name;
  QString scenario_file;   // as opened, for the record
  QString scenario_yaml;   // the text that was run
  std::vector<RunData> runs;     // the plain run (one), if any
  std::vector<RunData> compare;  // the comparison's variants, if any
};

// Writes into `dir` (created): report.pdf, <chart>.png for the run and
// compare-<chart>.png for the comparison, and <label>/{timeseries.csv,
// events.csv, disks.csv, cost.csv, summary.json, scenario.yaml} per run
// (those the run wrote). Returns the
// files written, or an error naming what failed.
Result<QStringList> export_report(const QString& dir, const ReportInput& input);

}  // namespace cairn::gui
