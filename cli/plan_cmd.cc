// `cairn plan SCENARIO`: fifteen years (or the scenario's horizon) of growth,
// failures, heals, purchases and rebalances, simulated in SimGrid with the
// engine's decisions. Writes timeseries.csv, events.csv and summary.json and
// prints a summary a storage architect can read.
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>

#include "cli/choose_cmd.h"
#include "cli/commands.h"
#include "engine/units.h"
#include "sim/replicates.h"
#include "sim/scenario_yaml.h"

namespace cairn::cli {
namespace {

using nlohmann::json;
using sim::Estimate;
using sim::RunResult;

struct PlanArgs {
  std::string scenario;
  std::string out_dir;
  uint64_t seed = 0;
  bool seed_given = false;
  uint32_t runs = 1;
  uint32_t jobs = 2;
  bool json = false;
  bool file_by_file = false;
  bool quiet = false;
  bool progress_lines = false;
  bool disk_detail = false;
  bool nines = false;
  double bias = 1.0;
  ChooseArgs choose;
  std::string max_fill_text, max_heal_text;
};


// One line per run whose client traffic did not fit in a month on some node's
// client NIC, naming the first such month and node.
std::vector<std::string> client_warnings(const std::vector<RunResult>& runs) {
  std::vector<std::string> out;
  for (size_t i = 0; i < runs.size(); ++i) {
    const auto& over = runs[i].client_overloads;
    if (over.empty()) continue;
    const sim::ClientOverload& first = over.front();
    char buf[320];
    std::snprintf(buf, sizeof buf,
                  "run %zu: client network overloaded: in month %u (year %u) node %u's client NIC needed %.2f months "
                  "for the month's traffic (%s); %zu month(s) did not fit, peak %.2f",
                  i, first.month, first.month / 12 + 1, first.node, first.busy,
                  first.direction == "in" ? "ingest from clients" : "reads to clients", over.size(),
                  runs[i].peak_client_busy);
    out.emplace_back(buf);
  }
  return out;
}

template <class F>
Estimate over_runs(const std::vector<RunResult>& runs, F figure) {
  std::vector<double> v;
  for (const RunResult& r : runs) v.push_back(figure(r));
  return sim::mean_interval(v);
}

// Money over the runs: horizon totals with their intervals, and each item
// and year as means.
json cost_summary(const std::vector<RunResult>& runs) {
  auto total = [](const RunResult& r) { return sim::cost_total(r.cost_years); };
  auto per_tb = [&](const RunResult& r, bool usable) {
    sim::CostYear t = total(r);
    double tb_years = usable ? t.usable_tb : t.stored_tb;
    return tb_years > 0 ? t.total() / tb_years : 0.0;
  };
  json j = {
      {"total", sim::to_json(over_runs(runs, [&](const RunResult& r) { return total(r).total(); }))},
      {"capex", sim::to_json(over_runs(runs, [&](const RunResult& r) { return total(r).capex(); }))},
      {"opex", sim::to_json(over_runs(runs, [&](const RunResult& r) { return total(r).opex(); }))},
      {"per_usable_tb_year", sim::to_json(over_runs(runs, [&](const RunResult& r) { return per_tb(r, true); }))},
      {"per_stored_tb_year", sim::to_json(over_runs(runs, [&](const RunResult& r) { return per_tb(r, false); }))}};
  const size_t years = runs[0].cost_years.size();
  std::vector<sim::CostYear> mean(years);
  for (const RunResult& r : runs) {
    for (size_t y = 0; y < years && y < r.cost_years.size(); ++y) {
      const sim::CostYear& c = r.cost_years[y];
      sim::CostYear& m = mean[y];
      const double w = 1.0 / static_cast<double>(runs.size());
      m.year = c.year;
      m.nodes += c.nodes * w, m.disks += c.disks * w, m.network += c.network * w, m.racks += c.racks * w;
      m.power += c.power * w, m.space += c.space * w, m.support += c.support * w;
      m.usable_tb += c.usable_tb * w, m.stored_tb += c.stored_tb * w, m.cumulative += c.cumulative * w;
    }
  }
  json per_year = json::array();
  for (const sim::CostYear& y : mean) per_year.push_back(sim::to_json(y));
  sim::CostYear items = sim::cost_total(mean);
  j["by_item"] = {{"nodes", items.nodes}, {"disks", items.disks},   {"network", items.network},
                  {"racks", items.racks}, {"power", items.power},   {"space", items.space},
                  {"support", items.support}};
  j["per_year"] = std::move(per_year);
  return j;
}

// The pool's scheme, or each tier's: "hot replica:3 until 6 months, cold ec:8+3".
std::string pools_text(const sim::Scenario& s) {
  if (s.tiers.empty()) return s.pool.scheme.to_string();
  std::string text;
  for (size_t i = 0; i < s.tiers.size(); ++i) {
    const sim::Scenario t = sim::tier_scenario(s, i);
    text += (i ? ", " : "") + s.tiers[i].name + " " + t.pool.scheme.to_string();
    if (s.tiers[i].until_s > 0) text += " until " + format_duration(s.tiers[i].until_s);
  }
  return text;
}

json tiers_json(const sim::Scenario& s) {
  json out = json::array();
  for (size_t i = 0; i < s.tiers.size(); ++i) {
    const sim::Scenario t = sim::tier_scenario(s, i);
    out.push_back({{"name", s.tiers[i].name},
                   {"scheme", t.pool.scheme.to_string()},
                   {"strategy", to_string(t.pool.strategy)},
                   {"device_class", to_string(t.cluster.disk.device_class)},
                   {"until_months", s.tiers[i].until_s / sim::kSecondsPerMonth},
                   {"reads", s.tiers[i].read_share}});
  }
  return out;
}

// The probability of losing a group's data over the horizon, by conditioning
// (SimOptions::condition_on_no_group_loss): each run's 1 − exp(−Λ), its mean
// over runs with a 95 % t interval, and as nines.
json durability_summary(const std::vector<RunResult>& runs, double years) {
  std::vector<double> p, bytes_per_year;
  for (const RunResult& r : runs) {
    const double weight = std::exp(r.log_likelihood_ratio);  // 1 without --bias
    p.push_back(weight * -std::expm1(-r.fatal_hazard));
    bytes_per_year.push_back(weight * r.fatal_hazard_bytes / years);
  }
  const Estimate e = sim::mean_interval(p);
  double suppressed = 0, w_sum = 0, w_square = 0;
  for (const RunResult& r : runs) {
    suppressed += r.suppressed_failures;
    const double w = std::exp(r.log_likelihood_ratio);
    w_sum += w;
    w_square += w * w;
  }
  // Kish's effective sample size of the likelihood-ratio weights: far below
  // the runs, a few heavy weights carry the mean and the interval is not to
  // be trusted (biasing over many degraded stretches does that).
  const double ess = w_square > 0 ? w_sum * w_sum / w_square : 0.0;
  std::vector<std::string> warnings;
  if (ess < 0.1 * static_cast<double>(runs.size()))
    warnings.push_back("effective sample size " + format_number(std::round(ess * 10) / 10) + " of " +
                       std::to_string(runs.size()) +
                       " runs: the likelihood-ratio weights are heavy-tailed; lower --bias (1 turns it off)");
  // The same, within each year from the start (the chart's curve).
  json by_year = json::array();
  const size_t year_count = runs.empty() ? 0 : runs[0].fatal_hazard_by_year.size();
  for (size_t y = 0; y < year_count; ++y) {
    std::vector<double> py;
    for (const RunResult& r : runs)
      py.push_back(y < r.fatal_hazard_by_year.size()
                       ? std::exp(r.log_likelihood_ratio) * -std::expm1(-r.fatal_hazard_by_year[y])
                       : 0.0);
    const Estimate ey = sim::mean_interval(py);
    by_year.push_back({{"year", y + 1},
                       {"probability_of_group_loss", sim::to_json(ey)},
                       {"nines", sim::to_json(sim::nines_of(ey))}});
  }
  return {{"method", "conditioning on no group loss: fatal failures suppressed, their hazard integrated; "
                     "failures in degraded groups biased and weighted by their likelihood ratio L "
                     "(P = mean of L x (1 - exp(-Lambda)) over runs, 95 % t interval)"},
          {"probability_of_group_loss", sim::to_json(e)},
          {"nines", sim::to_json(sim::nines_of(e))},
          {"expected_bytes_lost_per_year", sim::to_json(sim::mean_interval(bytes_per_year))},
          {"runs_with_hazard", std::count_if(p.begin(), p.end(), [](double v) { return v > 0; })},
          {"effective_sample_size", ess},
          {"warnings", warnings},
          {"suppressed_failures_per_run", suppressed / static_cast<double>(runs.size())},
          {"by_year", std::move(by_year)}};
}

json summarize(const PlanArgs& a, const sim::Scenario& s, const std::string& scenario_hash,
               const std::vector<RunResult>& runs) {
  uint32_t with_loss = 0;
  for (const RunResult& r : runs) with_loss += r.loss_events > 0;
  std::vector<double> bought(runs[0].nodes_bought_per_year.size(), 0.0), refreshed = bought;
  for (const RunResult& r : runs) {
    for (size_t y = 0; y < bought.size(); ++y) {
      bought[y] += r.nodes_bought_per_year[y] / double(runs.size());
      refreshed[y] += r.nodes_refreshed_per_year[y] / double(runs.size());
    }
  }
  std::vector<uint64_t> seeds;
  for (uint32_t i = 0; i < runs.size(); ++i) seeds.push_back(sim::replicate_seed(s.seed, i));
  json j = {
      {"scenario", s.name},
      {"scenario_file", a.scenario},
      {"scenario_xxh64", scenario_hash},
      {"engine_version", CAIRN_ENGINE_VERSION},
      {"seed", s.seed},
      {"run_seeds", seeds},
      {"runs", runs.size()},
      {"horizon_years", s.horizon_years},
      {"scheme", pools_text(s)},
      {"strategy", to_string(s.pool.strategy)},
      {"tiers", tiers_json(s)},
      {"nodes_bought_per_year_mean", bought},
      {"nodes_refreshed_per_year_mean", refreshed},
      {"purchase_plan", sim::purchase_plan_json(runs, s.procurement.lead_time_s,
                                                static_cast<uint32_t>(std::ceil(s.horizon_years - 1e-9)))},
      {"currency", s.cost.currency},
      {"cost", cost_summary(runs)},
      {"waterfall", sim::to_json(runs[0].waterfall)},
      {"refresh",
       {{"retired_nodes", sim::to_json(over_runs(runs, [](const RunResult& r) { return double(r.nodes_retired_for_age); }))},
        {"migrations", sim::to_json(over_runs(runs, [](const RunResult& r) { return double(r.refreshes); }))},
        {"longest_migration_months",
         sim::to_json(over_runs(runs, [](const RunResult& r) { return r.longest_migration_months; }))}}},
      {"bytes_expired", sim::to_json(over_runs(runs, [](const RunResult& r) { return r.bytes_expired; }))},
      {"durability", a.nines ? durability_summary(runs, s.horizon_years) : json(nullptr)},
      {"unavailable_group_hours",
       sim::to_json(over_runs(runs, [](const RunResult& r) { return r.unavailable_group_hours; }))},
      {"latent_errors",
       {{"arisen", sim::to_json(over_runs(runs, [](const RunResult& r) { return double(r.latent_errors); }))},
        {"found_by_scrub", sim::to_json(over_runs(runs, [](const RunResult& r) { return double(r.latent_found); }))},
        {"files_lost", sim::to_json(over_runs(runs, [](const RunResult& r) { return r.latent_files_lost; }))}}},
      {"final_nodes", sim::to_json(over_runs(runs, [](const RunResult& r) { return double(r.final_nodes); }))},
      {"peak_fill", sim::to_json(over_runs(runs, [](const RunResult& r) { return r.peak_fill; }))},
      {"longest_heal_h", sim::to_json(over_runs(runs, [](const RunResult& r) { return r.longest_heal_h; }))},
      {"disk_failures", sim::to_json(over_runs(runs, [](const RunResult& r) { return double(r.disk_failures); }))},
      {"probability_of_loss", sim::to_json(sim::proportion_interval(with_loss, static_cast<uint32_t>(runs.size())))},
      {"bytes_lost", sim::to_json(over_runs(runs, [](const RunResult& r) { return r.bytes_lost; }))},
      {"files_lost", sim::to_json(over_runs(runs, [](const RunResult& r) { return r.files_lost; }))},
      {"peak_client_busy", sim::to_json(over_runs(runs, [](const RunResult& r) { return r.peak_client_busy; }))},
      {"peak_management_busy",
       sim::to_json(over_runs(runs, [](const RunResult& r) { return r.peak_management_busy; }))},
      {"warnings", client_warnings(runs)},
      {"simulated_years_per_wall_s",
       sim::to_json(over_runs(runs, [](const RunResult& r) { return r.simulated_years / std::max(r.wall_s, 1e-9); }))},
      {"reproduce", "cairn plan " + a.scenario + " --seed " + std::to_string(s.seed) +
                        (a.runs > 1 ? " --runs " + std::to_string(a.runs) : "") +
                        (a.file_by_file ? " --file-by-file" : "") + (a.nines ? " --nines" : "") +
                        (a.bias != 1.0 ? " --bias " + format_number(a.bias) : "")},
      {"per_run", json::array()}};
  for (const RunResult& r : runs) j["per_run"].push_back(sim::to_json(r, false));
  return j;
}

void print_purchase_plan(const json& plan, const std::string& currency, size_t runs) {
  std::printf("purchase plan (order one lead time, %.0f days, before arrival; prices at the arrival year's; %s)\n",
              plan["lead_time_days"].get<double>(), runs > 1 ? "means over runs" : "one run");
  std::printf("  %-12s %-58s %-28s %6s %6s %8s %9s %11s\n", "what", "arrives", "order by", "nodes", "disks", "raw TB",
              "usable TB", ("price " + currency).c_str());
  for (const json& p : plan["purchases"]) {
    std::string what = p["kind"].get<std::string>();
    if (what != "initial") what += " " + std::to_string(p["ordinal"].get<unsigned>());
    std::vector<sim::ArrivalShare> years;
    for (const json& y : p["arrival_years"]) years.push_back({y["year"].get<uint32_t>(), y["share"].get<double>()});
    const std::string arrives =
        what == "initial" ? std::string("at the start") : sim::arrival_text(years, p["share_of_runs"].get<double>());
    std::printf("  %-12s %-58s %-28s %6.1f %6.1f %8.1f %9.1f %11.0f\n", what.c_str(), arrives.c_str(),
                sim::order_month_text(p["order_month"].get<double>()).c_str(), p["nodes"].get<double>(),
                p["disks"].get<double>(), p["raw_tb"].get<double>(), p["usable_tb"].get<double>(),
                p["price"].get<double>());
  }
}

void print_summary(const json& j, const RunResult& first, const std::string& out_dir) {
  // "mean (95 % CI low .. high)" with `digits` decimals and a unit.
  auto est = [](const json& e, double scale, int digits, const char* unit) {
    char buf[160];
    double mean = e["mean"].get<double>() * scale, low = e["low95"].get<double>() * scale,
           high = e["high95"].get<double>() * scale;
    if (low == high) std::snprintf(buf, sizeof buf, "%.*f%s", digits, mean, unit);
    else std::snprintf(buf, sizeof buf, "%.*f%s (95%% CI %.*f .. %.*f)", digits, mean, unit, digits, low, digits, high);
    return std::string(buf);
  };
  const std::string pools = j["tiers"].empty() ? j["scheme"].get<std::string>() + ", " +
                                                      j["strategy"].get<std::string>() + " groups"
                                                : "tiers: " + j["scheme"].get<std::string>();
  std::printf("scenario %s (%s), %.0f years, %zu run(s), seed %llu\n", j["scenario"].get<std::string>().c_str(),
              pools.c_str(), j["horizon_years"].get<double>(), j["runs"].get<size_t>(),
              j["seed"].get<unsigned long long>());
  const std::string currency = j["currency"].get<std::string>();
  std::printf("year  nodes bought  refreshed  nodes  used TB  usable TB  disk failures  bytes lost  cost (%s)\n",
              currency.c_str());
  const auto& bought = j["nodes_bought_per_year_mean"];
  const auto& refreshed = j["nodes_refreshed_per_year_mean"];
  const auto& cost_years = j["cost"]["per_year"];
  for (size_t y = 0; y < bought.size(); ++y) {
    size_t last = std::min(first.months.size(), (y + 1) * 12) - 1;
    if (y * 12 >= first.months.size()) break;
    uint32_t failures = 0;
    for (size_t m = y * 12; m <= last; ++m) failures += first.months[m].disk_failures;
    const sim::MonthRow& row = first.months[last];
    double cost = y < cost_years.size() ? cost_years[y]["total"].get<double>() : 0.0;
    std::printf("%4zu  %12.1f  %9.1f  %5u  %7.1f  %9.1f  %13u  %10.3g  %11.0f\n", y + 1, bought[y].get<double>(),
                refreshed[y].get<double>(), row.nodes, row.used_tb, row.usable_tb, failures, row.bytes_lost, cost);
  }
  std::printf("(nodes bought, refreshed and cost: mean over runs; other columns: run 0)\n");
  print_purchase_plan(j["purchase_plan"], currency, j["runs"].get<size_t>());
  const json& cost = j["cost"];
  std::printf("cost, %.0f years    %s %s: capex %s, opex %s\n", j["horizon_years"].get<double>(), currency.c_str(),
              est(cost["total"], 1, 0, "").c_str(), est(cost["capex"], 1, 0, "").c_str(),
              est(cost["opex"], 1, 0, "").c_str());
  std::printf("  per usable TB-year %s, per stored TB-year %s\n", est(cost["per_usable_tb_year"], 1, 2, "").c_str(),
              est(cost["per_stored_tb_year"], 1, 2, "").c_str());
  const json& items = cost["by_item"];
  std::printf("  nodes %.0f, disks %.0f, network %.0f, racks %.0f, power %.0f, space %.0f, support %.0f\n",
              items["nodes"].get<double>(), items["disks"].get<double>(), items["network"].get<double>(),
              items["racks"].get<double>(), items["power"].get<double>(), items["space"].get<double>(),
              items["support"].get<double>());
  const json& fall = j["waterfall"];
  std::printf("capacity at the end (run 0): raw %.1f TB - redundancy %.1f - spares %.1f - fill ceiling %.1f - "
              "re-protect headroom %.1f = safely usable %.1f TB\n",
              fall["raw_tb"].get<double>(), fall["redundancy_tb"].get<double>(), fall["spares_tb"].get<double>(),
              fall["fill_ceiling_tb"].get<double>(), fall["reprotect_tb"].get<double>(), fall["safely_usable_tb"].get<double>());
  const json& refresh = j["refresh"];
  if (refresh["retired_nodes"]["mean"].get<double>() > 0)
    std::printf("hardware refresh   %s nodes drained and retired for age in %s migrations; longest migration %s\n",
                est(refresh["retired_nodes"], 1, 1, "").c_str(), est(refresh["migrations"], 1, 1, "").c_str(),
                est(refresh["longest_migration_months"], 1, 2, " months").c_str());
  std::printf("unavailable        %s group-hours without k members up (reads refused)\n",
              est(j["unavailable_group_hours"], 1, 1, "").c_str());
  if (!j["durability"].is_null()) {
    const json& d = j["durability"];
    char nines[128];
    const json& n = d["nines"];
    std::snprintf(nines, sizeof nines, "%.2f (95%% CI %.2f .. %.2f)", n["mean"].get<double>(), n["low95"].get<double>(),
                  n["high95"].get<double>());
    std::printf("durability         %s nines: P(group loss) %s over the horizon; %s expected per year\n", nines,
                est(d["probability_of_group_loss"], 1, 12, "").c_str(),
                est(d["expected_bytes_lost_per_year"], 1e-9, 6, " GB").c_str());
    std::printf("  (conditioned: failures that would lose a group were suppressed and their hazard integrated, "
                "%.1f a run; %lld of %zu runs met that hazard; effective sample size %.1f; the other figures are of "
                "runs without group loss)\n",
                d["suppressed_failures_per_run"].get<double>(), d["runs_with_hazard"].get<long long>(),
                j["runs"].get<size_t>(), d["effective_sample_size"].get<double>());
    for (const auto& w : d["warnings"]) std::printf("WARNING: durability: %s\n", w.get<std::string>().c_str());
  }
  const json& latent = j["latent_errors"];
  if (latent["arisen"]["mean"].get<double>() > 0)
    std::printf("latent errors      %s arisen, %s found by the scrub, %s files lost to them\n",
                est(latent["arisen"], 1, 1, "").c_str(), est(latent["found_by_scrub"], 1, 1, "").c_str(),
                est(latent["files_lost"], 1, 1, "").c_str());
  if (j["bytes_expired"]["mean"].get<double>() > 0)
    std::printf("expired            %s past retention\n", est(j["bytes_expired"], 1e-12, 1, " TB").c_str());
  std::printf("final nodes        %s\n", est(j["final_nodes"], 1, 1, "").c_str());
  std::printf("peak fill          %s\n", est(j["peak_fill"], 100, 1, " %").c_str());
  std::printf("longest heal       %s\n", est(j["longest_heal_h"], 1, 1, " h").c_str());
  std::printf("disk failures      %s\n", est(j["disk_failures"], 1, 1, "").c_str());
  std::printf("P(data loss)       %s\n", est(j["probability_of_loss"], 1, 4, "").c_str());
  std::printf("bytes lost         %s\n", est(j["bytes_lost"], 1e-9, 3, " GB").c_str());
  std::printf("client NIC busy    %s of a month at the peak\n", est(j["peak_client_busy"], 100, 2, " %").c_str());
  for (const auto& w : j["warnings"]) std::printf("WARNING: %s\n", w.get<std::string>().c_str());
  std::printf("speed              %s simulated years per second\n",
              est(j["simulated_years_per_wall_s"], 1, 2, "").c_str());
  if (!out_dir.empty())
    std::printf("wrote %s/{timeseries.csv,events.csv,cost.csv,purchases.csv,summary.json%s}\n", out_dir.c_str(),
                first.disk_months.empty() ? "" : ",disks.csv");
  std::printf("reproduce: %s\n", j["reproduce"].get<std::string>().c_str());
}

std::string file_hash(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(XXH64(text.data(), text.size(), 0)));
  return hex;
}

int write_outputs(const std::string& dir, const RunResult& first, const json& summary) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return usage_error("plan", "cannot create --out directory " + dir + ": " + ec.message());
  std::ofstream ts(dir + "/timeseries.csv"), ev(dir + "/events.csv"), js(dir + "/summary.json"),
      cost(dir + "/cost.csv"), purchases(dir + "/purchases.csv");
  if (!ts || !ev || !js || !cost || !purchases) return usage_error("plan", "cannot write into " + dir);
  sim::write_purchases_csv(purchases, first.purchases);
  sim::write_timeseries_csv(ts, first.months);
  sim::write_cost_csv(cost, first.cost_years);
  sim::write_events_csv(ev, first.events);
  if (!first.disk_months.empty()) {
    std::ofstream disks(dir + "/disks.csv");
    if (!disks) return usage_error("plan", "cannot write into " + dir);
    sim::write_disks_csv(disks, first.disk_months);
  }
  js << summary.dump(2) << "\n";
  return 0;
}

int run_plan(const PlanArgs& a) {
  Result<sim::Scenario> loaded = sim::load_scenario(a.scenario);
  if (!loaded) return usage_error("plan", loaded.status().message());
  sim::Scenario s = std::move(loaded).value();
  if (a.seed_given) s.seed = a.seed;
  if (a.runs == 0) return usage_error("plan", "--runs must be at least 1");
  if (!a.quiet && !a.json)
    std::fprintf(stderr, "cairn plan: %s, seed %llu, %u run(s) on %u processes\n", a.scenario.c_str(),
                 static_cast<unsigned long long>(s.seed), a.runs, std::min(a.jobs, a.runs));
  std::function<void(uint32_t, uint32_t)> progress = [&](uint32_t done, uint32_t total) {
    if (a.progress_lines) {
      std::fprintf(stderr, "run %u/%u\n", done, total);
      return;
    }
    if (a.quiet) return;
    std::fprintf(stderr, "\r  runs finished: %u/%u", done, total);
    if (done == total) std::fprintf(stderr, "\n");
  };
  sim::ReplicateOptions options{a.runs, a.jobs, a.file_by_file, !a.quiet && !a.json && a.runs == 1};
  options.progress_lines = a.progress_lines;
  options.disk_detail = a.disk_detail && !a.out_dir.empty();
  options.condition_on_no_group_loss = a.nines;
  options.failure_bias = a.bias;
  if (a.bias != 1.0 && !a.nines) return usage_error("plan", "--bias needs --nines");
  if (!(a.bias >= 1.0 && a.bias <= 1e6)) return usage_error("plan", "--bias must be from 1 to 1e6");
  auto runs = sim::run_replicates(s, options, a.runs > 1 || a.progress_lines ? progress : nullptr);
  if (!runs) {
    std::fprintf(stderr, "cairn plan: error: %s\n", runs.status().message().c_str());
    return 1;
  }
  json summary = summarize(a, s, file_hash(a.scenario), *runs);
  if (!a.out_dir.empty())
    if (int rc = write_outputs(a.out_dir, runs->front(), summary); rc != 0) return rc;
  if (a.json) std::cout << summary.dump(2) << "\n";
  else print_summary(summary, runs->front(), a.out_dir);
  return 0;
}

}  // namespace

void add_plan_command(CLI::App& app, int* exit_code) {
  auto args = std::make_shared<PlanArgs>();
  CLI::App* sub = app.add_subcommand("plan", "Simulate a scenario over its horizon (default 15 years)");
  sub->add_option("scenario", args->scenario,
                  "Scenario YAML (see scenarios/README.md); with --choose, replaces the choose file's scenario");
  sub->add_option("--seed", args->seed, "Seed (default: the scenario's)")
      ->each([args](const std::string&) { args->seed_given = true; });
  sub->add_option("--out", args->out_dir, "Write timeseries.csv, events.csv, cost.csv, purchases.csv, summary.json here");
  sub->add_option("--runs", args->runs, "Independent replicates (derived seeds)")->capture_default_str();
  sub->add_option("--jobs", args->jobs, "Replicates run at once, one process each")->capture_default_str();
  sub->add_flag("--json", args->json, "Print summary.json instead of the text summary");
  sub->add_flag("--nines", args->nines,
                "Estimate durability at high nines: failures that would lose a group's data are suppressed and "
                "their hazard integrated (summary.json 'durability'); other figures are then of runs without "
                "group loss");
  sub->add_option("--bias", args->bias,
                  "With --nines: disks of groups that lost members but keep redundancy fail this many times as "
                  "often, each run weighted by its likelihood ratio (importance sampling); for schemes that "
                  "tolerate 2+ losses at high nines, about 0.3 / (remaining members x AFR x heal years)")
      ->default_val(1.0);
  sub->add_flag("--file-by-file", args->file_by_file, "Ingest file by file instead of aggregated (slow; for checks)");
  sub->add_flag("--quiet", args->quiet, "No progress on stderr");
  sub->add_flag("--progress-lines", args->progress_lines,
                "Progress for tools: 'month k/N' (run 0) and 'run k/R' lines on stderr");
  sub->add_flag("--disk-detail", args->disk_detail,
                "With --out, also write disks.csv: every disk's state and fill at each month's end (run 0)");
  ChooseArgs& choose = args->choose;
  sub->add_option("--choose", choose.file,
                  "Run the variants of a choose file (a sweep file, sweeps/README.md, with optional constraints: and "
                  "sensitivity:) and name the cheapest that meets every constraint; writes choose.json into --out "
                  "(default out/choose/NAME)");
  sub->add_option("--min-nines", choose.min_nines, "With --choose: durability at least this many nines over the horizon "
                                                   "(runs every variant with --nines)");
  sub->add_option("--max-fill", args->max_fill_text, "With --choose: peak fill at most this, e.g. '85 %' or 0.85");
  sub->add_option("--max-heal", args->max_heal_text, "With --choose: longest heal at most this, e.g. '2000 h' or '90 days'");
  sub->add_option("--budget", choose.budget, "With --choose: total cost over the horizon at most this (scenario currency)");
  sub->add_flag("--no-sensitivity", choose.no_sensitivity, "With --choose: skip the file's sensitivity runs");
  sub->callback([args, exit_code] {
    PlanArgs& a = *args;
    if (a.choose.file.empty()) {
      for (const auto& [set, flag] : {std::pair{a.choose.min_nines.has_value(), "--min-nines"},
                                      {!a.max_fill_text.empty(), "--max-fill"}, {!a.max_heal_text.empty(), "--max-heal"},
                                      {a.choose.budget.has_value(), "--budget"}, {a.choose.no_sensitivity, "--no-sensitivity"}})
        if (set) {
          *exit_code = usage_error("plan", std::string(flag) + " needs --choose FILE");
          return;
        }
      if (a.scenario.empty()) {
        *exit_code = usage_error("plan", "a scenario file is required (or --choose FILE); see cairn plan --help");
        return;
      }
      *exit_code = run_plan(a);
      return;
    }
    if (!a.max_fill_text.empty()) {
      std::string text = a.max_fill_text;
      if (text.find('%') == std::string::npos) {  // a bare fraction
        Result<double> v = parse_number(text);
        if (!v || *v > 1) {
          *exit_code = usage_error("plan", "--max-fill: expected a fill such as '85 %' or 0.85, got '" + text + "'");
          return;
        }
        a.choose.max_fill = *v;
      } else if (Result<double> v = parse_fraction(text); v) {
        a.choose.max_fill = *v;
      } else {
        *exit_code = usage_error("plan", "--max-fill: " + v.status().message());
        return;
      }
    }
    if (!a.max_heal_text.empty()) {
      Result<double> v = parse_duration_s(a.max_heal_text);
      if (!v) {
        *exit_code = usage_error("plan", "--max-heal: " + v.status().message());
        return;
      }
      a.choose.max_heal_h = *v / 3600.0;
    }
    a.choose.scenario = a.scenario;
    a.choose.out_dir = a.out_dir;
    a.choose.jobs = a.jobs;
    a.choose.json = a.json;
    *exit_code = run_choose(a.choose);
  });
}

}  // namespace cairn::cli
