// Run results: one finished `cairn plan --out DIR --disk-detail` read back
// from DIR (timeseries.csv, events.csv, disks.csv, cost.csv, summary.json)
// into the simulator's own plain structs (sim/results.h) and the money and
// capacity figures below, for charts, replay, comparison and export. No Qt types here, so the chart toolkit can change
// without touching it. Pure apart from the file reads; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/status.h"
#include "sim/results.h"

namespace cairn::gui {

// One simulated year of run 0's money (a row of cost.csv), in the run's
// currency. Capital items are what was paid that year for hardware bought;
// operating items are that year's running cost.
struct CostYear {
  uint32_t year = 0;  // 1-based
  double nodes = 0, disks = 0, network = 0, racks = 0;  // capital
  double power = 0, space = 0, support = 0;             // operating
  double capex = 0, opex = 0, total = 0, cumulative = 0;
  double usable_tb = 0, stored_tb = 0;  // the year's means, hence also its TB-years
  double per_usable_tb_year = 0, per_stored_tb_year = 0;  // total / those; 0 when they are 0
};

// From raw capacity down to what can safely be filled (summary.json
// "waterfall": run 0 at the horizon's end). The four middle amounts are
// subtracted from raw_tb and are positive.
struct CapacityWaterfall {
  double raw_tb = 0;
  double redundancy_tb = 0;    // parity fragments or extra replicas
  double spares_tb = 0;        // spare disks
  double fill_ceiling_tb = 0;  // kept free above the fill ceiling
  double reprotect_tb = 0;     // kept free to re-protect after a failure
  double safely_usable_tb = 0;
};

struct RunData {
  std::string label;  // the variant's name ("ec:8+3"), or the scenario's
  std::string dir;    // where cairn plan wrote it
  std::vector<sim::MonthRow> months;
  std::vector<sim::Event> events;
  std::vector<sim::DiskMonth> disks;  // empty when disks.csv is absent
  // Empty, absent and "" for runs made before the simulator priced them:
  // such runs show no money rather than failing to load.
  std::vector<CostYear> cost;
  std::optional<CapacityWaterfall> waterfall;
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
