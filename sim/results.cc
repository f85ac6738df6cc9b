#include "sim/results.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <ostream>

#include "sim/durability.h"

namespace cairn::sim {
namespace {

// Two-sided 97.5 % quantile of Student's t for df 1..30 (then normal).
double t975(size_t df) {
  static const double kTable[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
                                  2.262,  2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
                                  2.110,  2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064,
                                  2.060,  2.056, 2.052, 2.048, 2.045, 2.042};
  if (df == 0) return 0;
  return df <= 30 ? kTable[df - 1] : 1.96;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

const char* to_string(DiskState state) {
  switch (state) {
    case DiskState::kHealthy: return "healthy";
    case DiskState::kDown: return "down";
    case DiskState::kFailed: return "failed";
    case DiskState::kHealing: return "healing";
    case DiskState::kRetired: return "retired";
  }
  return "?";
}

nlohmann::json to_json(const RunResult& r, bool with_series) {
  nlohmann::json j = {{"seed", r.seed},
                      {"nodes_bought_per_year", r.nodes_bought_per_year},
                      {"peak_fill", r.peak_fill},
                      {"longest_heal_h", r.longest_heal_h},
                      {"bytes_lost", r.bytes_lost},
                      {"files_lost", r.files_lost},
                      {"loss_events", r.loss_events},
                      {"disk_failures", r.disk_failures},
                      {"final_nodes", r.final_nodes},
                      {"peak_client_busy", r.peak_client_busy},
                      {"peak_management_busy", r.peak_management_busy},
                      {"simulated_years", r.simulated_years},
                      {"wall_s", r.wall_s}};
  nlohmann::json purchases = nlohmann::json::array();
  for (const Purchase& p : r.purchases)
    purchases.push_back({{"kind", p.kind}, {"tier", p.tier}, {"order_s", p.order_s}, {"arrival_s", p.arrival_s},
                         {"nodes", p.nodes}, {"disks", p.disks}, {"new_racks", p.new_racks}, {"raw_tb", p.raw_tb},
                         {"usable_tb", p.usable_tb}, {"price", p.price}});
  j["purchases"] = std::move(purchases);
  nlohmann::json overloads = nlohmann::json::array();
  for (const ClientOverload& o : r.client_overloads)
    overloads.push_back({{"month", o.month}, {"node", o.node}, {"busy", o.busy}, {"direction", o.direction}});
  j["client_overloads"] = std::move(overloads);
  nlohmann::json cost = nlohmann::json::array();
  for (const CostYear& y : r.cost_years) cost.push_back(to_json(y));
  j["cost_years"] = std::move(cost);
  j["waterfall"] = to_json(r.waterfall);
  j["nodes_refreshed_per_year"] = r.nodes_refreshed_per_year;
  j["refreshes"] = r.refreshes;
  j["nodes_retired_for_age"] = r.nodes_retired_for_age;
  j["longest_migration_months"] = r.longest_migration_months;
  j["bytes_expired"] = r.bytes_expired;
  j["unavailable_group_hours"] = r.unavailable_group_hours;
  j["fatal_hazard"] = r.fatal_hazard;
  j["fatal_hazard_bytes"] = r.fatal_hazard_bytes;
  j["fatal_hazard_by_year"] = r.fatal_hazard_by_year;
  j["suppressed_failures"] = r.suppressed_failures;
  j["log_likelihood_ratio"] = r.log_likelihood_ratio;
  j["latent_errors"] = r.latent_errors;
  j["latent_found"] = r.latent_found;
  j["latent_files_lost"] = r.latent_files_lost;
  if (!with_series) return j;
  nlohmann::json months = nlohmann::json::array();
  for (const MonthRow& m : r.months)
    months.push_back({m.month, m.raw_tb, m.usable_tb, m.used_tb, m.nodes, m.disks, m.disk_failures,
                      m.heals_in_flight, m.heals_completed, m.degraded_groups, m.bytes_at_risk,
                      m.bytes_lost, m.rebalance_bytes, m.heal_p50_h, m.heal_p99_h, m.client_busy_max,
                      m.management_busy_max});
  nlohmann::json events = nlohmann::json::array();
  for (const Event& e : r.events)
    events.push_back({e.time_s, e.kind, e.node, e.disk, e.group, e.bytes, e.files, e.detail});
  j["months"] = std::move(months);
  j["final_disk_used_bytes"] = r.final_disk_used_bytes;
  j["events"] = std::move(events);
  if (!r.disk_months.empty()) {
    nlohmann::json disks = nlohmann::json::array();
    for (const DiskMonth& d : r.disk_months)
      disks.push_back({d.month, d.disk, d.node, d.rack, d.slot, static_cast<int>(d.state),
                       d.installed_in_month, d.failed_in_month, d.used_bytes, d.capacity_bytes});
    j["disk_months"] = std::move(disks);
  }
  return j;
}

RunResult run_result_from_json(const nlohmann::json& j) {
  RunResult r;
  r.seed = j.at("seed");
  r.nodes_bought_per_year = j.at("nodes_bought_per_year").get<std::vector<uint32_t>>();
  for (const auto& p : j.at("purchases"))
    r.purchases.push_back({p.at("kind"), p.at("tier"), p.at("order_s"), p.at("arrival_s"), p.at("nodes"),
                           p.at("disks"), p.at("new_racks"), p.at("raw_tb"), p.at("usable_tb"), p.at("price")});
  r.peak_fill = j.at("peak_fill");
  r.longest_heal_h = j.at("longest_heal_h");
  r.bytes_lost = j.at("bytes_lost");
  r.files_lost = j.at("files_lost");
  r.loss_events = j.at("loss_events");
  r.disk_failures = j.at("disk_failures");
  r.final_nodes = j.at("final_nodes");
  r.peak_client_busy = j.at("peak_client_busy");
  r.peak_management_busy = j.at("peak_management_busy");
  for (const auto& o : j.at("client_overloads"))
    r.client_overloads.push_back({o.at("month"), o.at("node"), o.at("busy"), o.at("direction")});
  r.simulated_years = j.at("simulated_years");
  r.wall_s = j.at("wall_s");
  for (const auto& y : j.at("cost_years")) r.cost_years.push_back(cost_year_from_json(y));
  r.waterfall = waterfall_from_json(j.at("waterfall"));
  r.nodes_refreshed_per_year = j.at("nodes_refreshed_per_year").get<std::vector<uint32_t>>();
  r.refreshes = j.at("refreshes");
  r.nodes_retired_for_age = j.at("nodes_retired_for_age");
  r.longest_migration_months = j.at("longest_migration_months");
  r.bytes_expired = j.at("bytes_expired");
  r.unavailable_group_hours = j.at("unavailable_group_hours");
  r.fatal_hazard = j.at("fatal_hazard");
  r.fatal_hazard_bytes = j.at("fatal_hazard_bytes");
  r.fatal_hazard_by_year = j.at("fatal_hazard_by_year").get<std::vector<double>>();
  r.suppressed_failures = j.at("suppressed_failures");
  r.log_likelihood_ratio = j.at("log_likelihood_ratio");
  r.latent_errors = j.at("latent_errors");
  r.latent_found = j.at("latent_found");
  r.latent_files_lost = j.at("latent_files_lost");
  if (j.contains("months")) {
    for (const auto& m : j["months"])
      r.months.push_back({m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9], m[10],
                          m[11], m[12], m[13], m[14], m[15], m[16]});
  }
  if (j.contains("final_disk_used_bytes"))
    r.final_disk_used_bytes = j["final_disk_used_bytes"].get<std::vector<double>>();
  if (j.contains("events")) {
    for (const auto& e : j["events"])
      r.events.push_back({e[0], e[1], e[2], e[3], e[4], e[5], e[6], e[7]});
  }
  if (j.contains("disk_months")) {
    for (const auto& d : j["disk_months"])
      r.disk_months.push_back({d[0], d[1], d[2], d[3], d[4], static_cast<DiskState>(d[5].get<int>()), d[6],
                               d[7], d[8], d[9]});
  }
  return r;
}

void write_timeseries_csv(std::ostream& out, const std::vector<MonthRow>& rows) {
  out << "month,raw_tb,usable_tb,used_tb,nodes,disks,disk_failures,heals_in_flight,"
         "heals_completed,degraded_groups,bytes_at_risk,bytes_lost,rebalance_bytes,"
         "heal_p50_h,heal_p99_h,client_busy_max,management_busy_max\n";
  for (const MonthRow& m : rows) {
    out << m.month << ',' << m.raw_tb << ',' << m.usable_tb << ',' << m.used_tb << ',' << m.nodes
        << ',' << m.disks << ',' << m.disk_failures << ',' << m.heals_in_flight << ','
        << m.heals_completed << ',' << m.degraded_groups << ',' << m.bytes_at_risk << ','
        << m.bytes_lost << ',' << m.rebalance_bytes << ',' << m.heal_p50_h << ',' << m.heal_p99_h
        << ',' << m.client_busy_max << ',' << m.management_busy_max << '\n';
  }
}

void write_purchases_csv(std::ostream& out, const std::vector<Purchase>& purchases) {
  const std::streamsize precision = out.precision(12);  // prices to the cent
  out << "kind,tier,order_day,arrival_day,year,nodes,disks,raw_tb,usable_tb,price\n";
  for (const Purchase& p : purchases) {
    out << p.kind << ',' << csv_field(p.tier) << ',' << p.order_s / 86400.0 << ',' << p.arrival_s / 86400.0 << ','
        << static_cast<uint32_t>(std::max(0.0, p.arrival_s) / kSecondsPerYear) + 1 << ',' << p.nodes << ','
        << p.disks << ',' << p.raw_tb << ',' << p.usable_tb << ',' << p.price << '\n';
  }
  out.precision(precision);
}

void write_events_csv(std::ostream& out, const std::vector<Event>& events) {
  out << "time_s,time_days,kind,node,disk,group,bytes,files,detail\n";
  for (const Event& e : events) {
    out << e.time_s << ',' << e.time_s / 86400.0 << ',' << e.kind << ',' << e.node << ','
        << e.disk << ',' << e.group << ',' << e.bytes << ',' << e.files << ','
        << csv_field(e.detail) << '\n';
  }
}

void write_disks_csv(std::ostream& out, const std::vector<DiskMonth>& rows) {
  out << "month,disk,node,rack,slot,state,installed_in_month,failed_in_month,used_bytes,capacity_bytes\n";
  for (const DiskMonth& d : rows) {
    out << d.month << ',' << d.disk << ',' << d.node << ',' << d.rack << ',' << d.slot << ','
        << to_string(d.state) << ',' << int(d.installed_in_month) << ',' << int(d.failed_in_month) << ','
        << d.used_bytes << ',' << d.capacity_bytes << '\n';
  }
}

Estimate mean_interval(const std::vector<double>& values) {
  if (values.empty()) return {};
  double n = static_cast<double>(values.size());
  double mean = std::accumulate(values.begin(), values.end(), 0.0) / n;
  if (values.size() < 2) return {mean, mean, mean};
  double ss = 0;
  for (double v : values) ss += (v - mean) * (v - mean);
  double half = t975(values.size() - 1) * std::sqrt(ss / (n - 1) / n);
  return {mean, mean - half, mean + half};
}

Estimate proportion_interval(uint32_t successes, uint32_t trials) {
  if (trials == 0) return {};
  const double z = 1.96, n = trials, p = successes / n;
  double center = (p + z * z / (2 * n)) / (1 + z * z / n);
  double half = z * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n);
  return {p, std::max(0.0, center - half), std::min(1.0, center + half)};
}

}  // namespace cairn::sim

namespace cairn::sim {

nlohmann::json purchase_plan_json(const std::vector<RunResult>& runs, double lead_time_s, uint32_t years) {
  using nlohmann::json;
  const double n_runs = static_cast<double>(std::max<size_t>(runs.size(), 1));
  auto arrival_year = [](const Purchase& p) {  // 1-based
    return static_cast<uint32_t>(std::max(0.0, p.arrival_s) / kSecondsPerYear) + 1;
  };
  struct YearSum {
    double nodes = 0, disks = 0, raw_tb = 0, usable_tb = 0, price = 0, refresh_nodes = 0, refresh_price = 0;
    double runs_buying = 0;
  };
  std::vector<YearSum> by_year(years);
  // (kind, ordinal) -> the runs' k-th purchase of that kind.
  struct Nth {
    double runs = 0, nodes = 0, disks = 0, raw_tb = 0, usable_tb = 0, price = 0, order_month = 0, arrival_month = 0;
    std::map<uint32_t, double> years;  // arrival year -> runs
  };
  std::map<std::pair<std::string, uint32_t>, Nth> nth;
  for (const RunResult& r : runs) {
    std::vector<bool> bought(years, false);
    std::map<std::string, uint32_t> count;
    for (const Purchase& p : r.purchases) {
      const uint32_t y = std::min(arrival_year(p), years) - 1;
      YearSum& row = by_year[y];
      if (p.kind == "refresh") {
        row.refresh_nodes += p.nodes;
        row.refresh_price += p.price;
      } else {
        row.nodes += p.nodes, row.disks += p.disks, row.raw_tb += p.raw_tb, row.usable_tb += p.usable_tb;
        row.price += p.price;
        if (p.kind != "initial") bought[y] = true;
      }
      Nth& n = nth[{p.kind, ++count[p.kind]}];
      n.runs += 1, n.nodes += p.nodes, n.disks += p.disks, n.raw_tb += p.raw_tb, n.usable_tb += p.usable_tb;
      n.price += p.price, n.order_month += p.order_s / kSecondsPerMonth, n.arrival_month += p.arrival_s / kSecondsPerMonth;
      n.years[arrival_year(p)] += 1;
    }
    for (uint32_t y = 0; y < years; ++y) by_year[y].runs_buying += bought[y];
  }
  json out_years = json::array();
  for (uint32_t y = 0; y < years; ++y) {
    const YearSum& row = by_year[y];
    out_years.push_back({{"year", y + 1},
                         {"share_of_runs", row.runs_buying / n_runs},
                         {"nodes", row.nodes / n_runs},
                         {"disks", row.disks / n_runs},
                         {"raw_tb", row.raw_tb / n_runs},
                         {"usable_tb", row.usable_tb / n_runs},
                         {"price", row.price / n_runs},
                         {"refresh_nodes", row.refresh_nodes / n_runs},
                         {"refresh_price", row.refresh_price / n_runs}});
  }
  // By mean arrival.
  std::vector<std::pair<double, json>> listed;
  for (const auto& [key, n] : nth) {
    json spread = json::array();
    std::vector<std::pair<uint32_t, double>> ys(n.years.begin(), n.years.end());
    std::stable_sort(ys.begin(), ys.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& [year, count] : ys) spread.push_back({{"year", year}, {"share", count / n.runs}});
    listed.emplace_back(n.arrival_month / n.runs,
                        json{{"kind", key.first},
                             {"ordinal", key.second},
                             {"share_of_runs", n.runs / n_runs},
                             {"nodes", n.nodes / n.runs},
                             {"disks", n.disks / n.runs},
                             {"raw_tb", n.raw_tb / n.runs},
                             {"usable_tb", n.usable_tb / n.runs},
                             {"price", n.price / n.runs},
                             {"order_month", n.order_month / n.runs},
                             {"arrival_month", n.arrival_month / n.runs},
                             {"arrival_years", std::move(spread)}});
  }
  std::stable_sort(listed.begin(), listed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  json purchases = json::array();
  for (auto& [month, j] : listed) purchases.push_back(std::move(j));
  json run0 = json::array();
  if (!runs.empty())
    for (const Purchase& p : runs[0].purchases)
      run0.push_back({{"kind", p.kind},
                      {"tier", p.tier},
                      {"order_day", p.order_s / 86400.0},
                      {"arrival_day", p.arrival_s / 86400.0},
                      {"year", arrival_year(p)},
                      {"nodes", p.nodes},
                      {"disks", p.disks},
                      {"raw_tb", p.raw_tb},
                      {"usable_tb", p.usable_tb},
                      {"price", p.price}});
  return {{"lead_time_days", lead_time_s / 86400.0},
          {"by_year", std::move(out_years)},
          {"purchases", std::move(purchases)},
          {"run0", std::move(run0)}};
}

nlohmann::json to_json(const Estimate& e) { return {{"mean", e.mean}, {"low95", e.low}, {"high95", e.high}}; }

Estimate nines_of(const Estimate& loss_probability) {
  return {nines(loss_probability.mean), nines(loss_probability.high), nines(loss_probability.low)};
}

std::string nines_text(double nines) {
  if (std::isinf(nines)) return "unbounded";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", nines);
  return buf;
}

std::string arrival_text(const std::vector<ArrivalShare>& years, double share_of_runs) {
  if (years.empty()) return "—";
  if (years.size() == 1 && years.front().share * share_of_runs >= 0.995)
    return "year " + std::to_string(years.front().year) + " in every run";
  std::string out;
  for (size_t i = 0; i < years.size(); ++i) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%syear %u in %.0f %%%s", i ? ", " : "", years[i].year, 100 * years[i].share * share_of_runs,
                  i == 0 ? " of runs" : "");
    out += buf;
  }
  return out;
}

std::string order_month_text(double month) {
  char buf[64];
  if (month < 0) {
    const long before = std::lround(-month);
    std::snprintf(buf, sizeof buf, "%ld month%s before the start", before, before == 1 ? "" : "s");
  } else {
    std::snprintf(buf, sizeof buf, "year %d, month %d", static_cast<int>(month / 12) + 1,
                  static_cast<int>(std::fmod(month, 12.0)) + 1);
  }
  return buf;
}

}  // namespace cairn::sim
