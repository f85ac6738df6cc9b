// Report export: the folder a purchase meeting takes away. report.pdf opens
// with a page a non-engineer can read — the hospital in words, the
// recommendation (or, with one configuration, what it achieves), the
// purchase plan, cost and the chance of losing data in words, the main
// risks, and the command that reproduces it from the folder — then the
// options compared with the tornado chart, the key figures, the purchase
// plan by year, the capacity waterfall, the charts with what to read from
// each, and the assumptions with their sources and the scenario as run.
// Beside it: the scenario as run (scenario.yaml), a PNG per chart, each
// run's own CSV and JSON outputs, and a choice's choose.json with its
// sweep file and scenario. Draws offscreen; GUI thread only (Qt painting).
#pragma once

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

#include "gui/choose.h"
#include "gui/run_results.h"

namespace cairn::gui {

struct ReportInput {
  QString scenario_name;
  QString scenario_file;   // as opened, for the record
  QString scenario_yaml;   // the text that was run
  std::vector<RunData> runs;     // the plain run (one), if any
  std::vector<RunData> compare;  // the comparison's variants, if any
  std::optional<ChooseResult> choose = std::nullopt;  // a recommendation under constraints, if one was run
};

// Writes into `dir` (created): report.pdf; scenario.yaml (the text run);
// <chart>.png for the run and compare-<chart>.png for the comparison,
// tornado.png for a choice; <label>/{timeseries.csv, events.csv, disks.csv,
// cost.csv, purchases.csv, summary.json, scenario.yaml} per run (those the
// run wrote); choose/{choose.json, choose.yaml, scenario.yaml} for a choice,
// choose.yaml naming scenario.yaml beside it. Returns the files written, or
// an error naming what failed.
Result<QStringList> export_report(const QString& dir, const ReportInput& input);

// The command the report prints to reproduce the plain run (or, without
// one, the first compared variant) from the export folder.
QString reproduce_command(const ReportInput& input);
// The same for a choice: "cairn plan --choose choose/choose.yaml ...".
QString choose_reproduce_command(const ChooseResult& choose);

}  // namespace cairn::gui
