#include "sim/cost.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <ostream>

#include "engine/pool_map.h"
#include "sim/model_state.h"
#include "sim/results.h"

namespace cairn::sim {
namespace {

constexpr double kBytesPerTb = 1e12;

uint32_t year_of(double t_s) { return static_cast<uint32_t>(std::max(0.0, t_s) / kSecondsPerYear); }

// Seconds of [in_s, out_s) that fall in 0-based year `y`.
double overlap_s(double in_s, double out_s, uint32_t y) {
  double lo = std::max(in_s, y * kSecondsPerYear), hi = std::min(out_s, (y + 1) * kSecondsPerYear);
  return std::max(0.0, hi - lo);
}

}  // namespace

double disk_price_per_tb(const CostSpec& cost, DeviceClass device_class, uint32_t year) {
  double price = cost.disk_per_tb(device_class) * std::pow(1.0 + cost.disk_price_trend, year);
  for (const PriceShock& shock : cost.disk_price_shocks)
    if (shock.year == year + 1) price *= 1.0 + shock.change;
  return price;
}

double power_price_per_kwh(const CostSpec& cost, uint32_t year) {
  return cost.price_per_kwh * std::pow(1.0 + cost.power_price_trend, year);
}

double purchase_price(const CostSpec& cost, uint32_t nodes, double disk_bytes, DeviceClass device_class,
                      uint32_t new_racks, uint32_t year) {
  return nodes * cost.node + disk_bytes / kBytesPerTb * disk_price_per_tb(cost, device_class, year) +
         new_racks * (cost.rack + cost.switches_per_rack * cost.switch_price);
}

std::vector<CostYear> cost_by_year(const CostSpec& cost, const HardwareLog& log, double horizon_s,
                                   const std::vector<MonthRow>& months) {
  const uint32_t years = static_cast<uint32_t>(std::ceil(horizon_s / kSecondsPerYear - 1e-9));
  std::vector<CostYear> out(years);
  for (uint32_t y = 0; y < years; ++y) out[y].year = y + 1;
  auto year_row = [&](double t_s) -> CostYear& { return out[std::min(years - 1, year_of(t_s))]; };
  const double rack_capex = purchase_price(cost, 0, 0, DeviceClass::kHdd, 1, 0);

  // Capex, and the price each item was bought at (support is a share of it).
  struct Priced {
    double in_s, out_s, price;
  };
  std::vector<Priced> in_service;
  std::map<uint32_t, double> rack_first_s;  // rack -> its first node's arrival
  for (const NodeService& n : log.nodes) {
    const double node_price = purchase_price(cost, 1, 0, DeviceClass::kHdd, 0, 0);
    year_row(n.in_s).nodes += node_price;
    in_service.push_back({n.in_s, n.out_s, node_price});
    auto [it, inserted] = rack_first_s.emplace(n.rack, n.in_s);
    if (!inserted) it->second = std::min(it->second, n.in_s);
  }
  for (const DiskService& d : log.disks) {
    double price = purchase_price(cost, 0, d.capacity_bytes, d.device_class, 0, year_of(d.in_s));
    year_row(d.in_s).disks += price;
    in_service.push_back({d.in_s, d.out_s, price});
  }
  for (auto [rack, first_s] : rack_first_s) {
    year_row(first_s).racks += cost.rack;
    year_row(first_s).network += cost.switches_per_rack * cost.switch_price;
    in_service.push_back({first_s, horizon_s, rack_capex});
  }

  // Opex.
  for (uint32_t y = 0; y < years; ++y) {
    CostYear& row = out[y];
    double watt_seconds = 0;
    for (const NodeService& n : log.nodes) watt_seconds += cost.node_watts * overlap_s(n.in_s, n.out_s, y);
    for (const DiskService& d : log.disks)
      watt_seconds += cost.disk_watts(d.device_class) * overlap_s(d.in_s, d.out_s, y);
    double kwh = watt_seconds * cost.pue / 3600.0 / 1000.0;
    row.power = kwh * power_price_per_kwh(cost, y);
    for (auto [rack, first_s] : rack_first_s)
      row.space += cost.space_per_rack_year * overlap_s(first_s, horizon_s, y) / kSecondsPerYear;
    for (const Priced& p : in_service)
      row.support += cost.support * p.price * overlap_s(p.in_s, p.out_s, y) / kSecondsPerYear;
  }

  // Capacity over each year (TB-years), and the running total.
  std::vector<uint32_t> month_count(years, 0);
  for (const MonthRow& m : months) {
    uint32_t y = m.month / 12;
    if (y >= years) continue;
    out[y].usable_tb += m.usable_tb;
    out[y].stored_tb += m.used_tb;
    ++month_count[y];
  }
  double running = 0;
  for (uint32_t y = 0; y < years; ++y) {
    if (month_count[y] > 0) {
      out[y].usable_tb /= month_count[y];
      out[y].stored_tb /= month_count[y];
    }
    running += out[y].total();
    out[y].cumulative = running;
  }
  return out;
}

CostYear cost_total(const std::vector<CostYear>& years) {
  CostYear t;
  t.year = static_cast<uint32_t>(years.size());
  for (const CostYear& y : years) {
    t.nodes += y.nodes;
    t.disks += y.disks;
    t.network += y.network;
    t.racks += y.racks;
    t.power += y.power;
    t.space += y.space;
    t.support += y.support;
    t.usable_tb += y.usable_tb;
    t.stored_tb += y.stored_tb;
  }
  t.cumulative = t.total();
  return t;
}

Waterfall capacity_waterfall(const ModelState& st) {
  Waterfall w;
  const Scheme& scheme = st.map.spec.scheme;
  const double data_share = static_cast<double>(scheme.data_members()) / scheme.width();
  std::map<uint32_t, double> by_domain;
  double bearing = 0;
  for (DiskId d : data_disks(st.map)) {
    if (st.disk_failed[d.value]) continue;
    double c = static_cast<double>(st.topology.disk(d).model.capacity_bytes);
    bearing += c;
    by_domain[st.topology.domain_of(d, st.map.spec.domain)] += c;
  }
  double largest = 0;
  for (auto [domain, c] : by_domain) largest = std::max(largest, c);
  w.raw_tb = st.raw_capacity_bytes() / kBytesPerTb;
  w.spares_tb = w.raw_tb - bearing / kBytesPerTb;
  w.redundancy_tb = bearing * (1.0 - data_share) / kBytesPerTb;
  const double usable = bearing * data_share / kBytesPerTb;
  const double fill = st.scenario.procurement.fill_threshold;
  w.fill_ceiling_tb = usable * (1.0 - fill);
  w.reprotect_tb = bearing > 0 ? usable * fill * largest / bearing : 0;
  return w;
}

nlohmann::json to_json(const Waterfall& w) {
  return {{"raw_tb", w.raw_tb},
          {"redundancy_tb", w.redundancy_tb},
          {"spares_tb", w.spares_tb},
          {"fill_ceiling_tb", w.fill_ceiling_tb},
          {"reprotect_tb", w.reprotect_tb},
          {"safely_usable_tb", w.safely_usable_tb()}};
}

Waterfall waterfall_from_json(const nlohmann::json& j) {
  return {j.at("raw_tb"), j.at("redundancy_tb"), j.at("spares_tb"), j.at("fill_ceiling_tb"), j.at("reprotect_tb")};
}

nlohmann::json to_json(const CostYear& y) {
  return {{"year", y.year},       {"nodes", y.nodes},         {"disks", y.disks},
          {"network", y.network}, {"racks", y.racks},         {"power", y.power},
          {"space", y.space},     {"support", y.support},     {"capex", y.capex()},
          {"opex", y.opex()},     {"total", y.total()},       {"cumulative", y.cumulative},
          {"usable_tb", y.usable_tb}, {"stored_tb", y.stored_tb}};
}

CostYear cost_year_from_json(const nlohmann::json& j) {
  CostYear y;
  y.year = j.at("year");
  y.nodes = j.at("nodes");
  y.disks = j.at("disks");
  y.network = j.at("network");
  y.racks = j.at("racks");
  y.power = j.at("power");
  y.space = j.at("space");
  y.support = j.at("support");
  y.cumulative = j.at("cumulative");
  y.usable_tb = j.at("usable_tb");
  y.stored_tb = j.at("stored_tb");
  return y;
}

void write_cost_csv(std::ostream& out, const std::vector<CostYear>& years) {
  // Money to the cent on totals of millions: 15 significant digits, not the stream's 6.
  const std::streamsize precision = out.precision(15);
  out << "year,nodes,disks,network,racks,power,space,support,capex,opex,total,cumulative,usable_tb,stored_tb,"
         "per_usable_tb_year,per_stored_tb_year\n";
  for (const CostYear& y : years) {
    out << y.year << ',' << y.nodes << ',' << y.disks << ',' << y.network << ',' << y.racks << ',' << y.power
        << ',' << y.space << ',' << y.support << ',' << y.capex() << ',' << y.opex() << ',' << y.total() << ','
        << y.cumulative << ',' << y.usable_tb << ',' << y.stored_tb << ','
        << (y.usable_tb > 0 ? y.total() / y.usable_tb : 0.0) << ','
        << (y.stored_tb > 0 ? y.total() / y.stored_tb : 0.0) << '\n';
  }
  out.precision(precision);
}

}  // namespace cairn::sim
