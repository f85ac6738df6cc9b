// Run results: one finished `cairn plan --out DIR --disk-detail` read back
// from DIR (timeseries.csv, events.csv, disks.csv, summary.json) into the
// simulator's own plain structs (sim/results.h), for charts, replay,
// comparison and export. No Qt types here, so the chart toolkit can change
// without touching it. Pure apart from the file reads; thread-safe.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/status.h"
#include "sim/results.h"

namespace cairn::gui {

struct RunData {
  std::string label;  // the variant's name ("ec:8+3"), or the scenario's
  std::string dir;    // where cairn plan wrote it
  std::vector<sim::MonthRow> months;
  std::vector<sim::Event> events;
  std::vector<sim::DiskMonth> disks;  // empty when disks.csv is absent
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
