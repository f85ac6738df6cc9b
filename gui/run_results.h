// Run results: one finished `cairn plan --out DIR --disk-detail` read back
// from DIR (timeseries.csv, events.csv, disks.csv, cost.csv, summary.json,
// and its durability estimate when the run had --nines)
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

// Nines with their 95 % interval as summary.json holds them. Empty stands
// for the JSON null cairn plan writes for infinity: no loss hazard was met
// (the mean), or the interval's bound of P was 0 (high95). low95 is the
// nines of P's high95, so it is the smaller.
struct NinesEstimate {
  std::optional<double> mean, low95, high95;
};

// P(group loss within the first `year` years from the start).
struct DurabilityYear {
  uint32_t year = 0;
  sim::Estimate probability_of_group_loss;
  NinesEstimate nines;
};

// summary.json's "durability" (cli/plan_cmd.cc durability_summary): the
// probability of losing a group's data over the horizon, estimated by
// conditioning; as written, for the views to show.
struct Durability {
  std::string method;  // the sentence saying how it was estimated
  sim::Estimate probability_of_group_loss;
  NinesEstimate nines;
  sim::Estimate expected_bytes_lost_per_year;
  uint32_t runs_with_hazard = 0;
  double effective_sample_size = 0;
  std::vector<std::string> warnings;
  double suppressed_failures_per_run = 0;
  std::vector<DurabilityYear> by_year;  // years 1, 2, ... in order
};

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
  // Absent (or null) without `cairn plan --nines`: not estimated.
  std::optional<Durability> durability;
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
