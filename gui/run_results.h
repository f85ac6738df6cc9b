// Run results: one finished `cairn plan --out DIR --disk-detail` read back
// from DIR (timeseries.csv, events.csv, disks.csv, cost.csv, summary.json)
// into the simulator's own plain structs (sim/results.h, sim/cost.h), for
// charts, replay, comparison and export. No Qt types here, so the chart toolkit can change
// without touching it. Pure apart from the file reads; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/status.h"
#include "sim/cost.h"
#include "sim/results.h"

namespace cairn::gui {

struct RunData {
  std::string label;  // the variant's name ("ec:8+3"), or the scenario's
  std::string dir;    // where cairn plan wrote it
  std::vector<sim::MonthRow> months;
  std::vector<sim::Event> events;
  std::vector<sim::DiskMonth> disks;  // empty when disks.csv is absent
  // Empty, absent and "" for runs made before the simulator priced them:
  // such runs show no money rather than failing to load.
  std::vector<sim::CostYear> cost;     // run 0, by year
  std::optional<sim::Waterfall> waterfall;  // run 0 at the horizon's end
  std::string currency;  // the scenario's label, "USD"
  nlohmann::json summary;

  uint32_t runs() const;
};

// Reads DIR; a missing or malformed file is an error naming it and the line.
Result<RunData> load_run(const std::string& dir, const std::string& label);

// Splits one CSV line (RFC 4180 quoting, as sim/results.cc writes it).
std::vector<std::string> split_csv_line(const std::string& line);

// Month index of a simulated time (seconds since the start).
uint32_t month_of(double time_s);

}  // namespace cairn::gui
