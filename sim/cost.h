// Cost: the run's hardware in money, year by year, and the capacity
// waterfall from raw to safely usable.
//
// The simulation logs when each node and disk entered and left service
// (HardwareLog); cost_by_year() prices that log with the scenario's cost
// section. Capex is paid in the year hardware arrives at that year's price
// (disks: price per TB × (1 + trend)^year × that year's shock; nodes,
// switches and racks: flat). Opex accrues for the time hardware is in
// service: power (watts × PUE × the year's price per kWh), floor space per
// rack in use, and support as a share of the purchase price of what is in
// service. A rack is bought, with its switches, when its first node arrives
// and stays until the horizon. Plain data, no SimGrid.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/topology.h"
#include "sim/scenario.h"

namespace cairn::sim {

struct MonthRow;

// A node or disk in service from in_s until out_s (seconds since the start;
// out_s is the horizon for hardware still in service at the end).
struct NodeService {
  uint32_t rack = 0;
  double in_s = 0, out_s = 0;
};
struct DiskService {
  DeviceClass device_class = DeviceClass::kHdd;
  double capacity_bytes = 0;
  double in_s = 0, out_s = 0;
};
struct HardwareLog {
  std::vector<NodeService> nodes;
  std::vector<DiskService> disks;
};

// One year of the horizon in money (the scenario's currency).
struct CostYear {
  uint32_t year = 1;  // 1-based
  // capex
  double nodes = 0, disks = 0, network = 0, racks = 0;
  // opex
  double power = 0, space = 0, support = 0;
  double usable_tb = 0;  // mean over the year's months: usable TB-years in the year
  double stored_tb = 0;  // mean over the year's months: stored (logical) TB-years
  double cumulative = 0;  // total of this year and every one before

  double capex() const { return nodes + disks + network + racks; }
  double opex() const { return power + space + support; }
  double total() const { return capex() + opex(); }
};

// Price of a TB of disk of `device_class` bought in 0-based year `year`.
double disk_price_per_tb(const CostSpec& cost, DeviceClass device_class, uint32_t year);
// Price of a kWh in 0-based year `year`.
double power_price_per_kwh(const CostSpec& cost, uint32_t year);

// What hardware arriving in 0-based year `year` costs: `nodes` nodes,
// `disk_bytes` of `device_class` disks, and `new_racks` racks with their
// switches. cost_by_year() charges the same capex for the same hardware.
double purchase_price(const CostSpec& cost, uint32_t nodes, double disk_bytes, DeviceClass device_class,
                      uint32_t new_racks, uint32_t year);

// Prices `log` over ceil(horizon_s / year) years; `months` (the run's rows)
// give the usable and stored TB of each year.
std::vector<CostYear> cost_by_year(const CostSpec& cost, const HardwareLog& log, double horizon_s,
                                   const std::vector<MonthRow>& months);

// Horizon totals of a run's years, by item.
CostYear cost_total(const std::vector<CostYear>& years);

// Raw capacity down to what may safely hold data, each step's size in TB.
struct Waterfall {
  double raw_tb = 0;            // live disks, failed ones excluded
  double redundancy_tb = 0;     // parity or extra replicas of the data-bearing disks
  double spares_tb = 0;         // disks in no group (heal targets)
  double fill_ceiling_tb = 0;   // kept free above procurement.fill_threshold
  double reprotect_tb = 0;      // kept free to re-protect the largest failure domain's data
  double safely_usable_tb() const { return raw_tb - redundancy_tb - spares_tb - fill_ceiling_tb - reprotect_tb; }
};

// The waterfall of the model's cluster now: redundancy is the scheme's
// m/(k+m) of the data-bearing disks; the fill ceiling keeps
// 1 − procurement.fill_threshold of the usable bytes free; the re-protect
// headroom keeps free, of what is left, the largest failure domain's share
// of the data-bearing capacity — the room its data needs elsewhere after it
// is lost.
struct ModelState;
Waterfall capacity_waterfall(const ModelState& state);

nlohmann::json to_json(const Waterfall& w);
Waterfall waterfall_from_json(const nlohmann::json& j);
nlohmann::json to_json(const CostYear& y);
CostYear cost_year_from_json(const nlohmann::json& j);

void write_cost_csv(std::ostream& out, const std::vector<CostYear>& years);

}  // namespace cairn::sim
