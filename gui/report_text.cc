#include "gui/report_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "gui/figures.h"
#include "gui/purchase_plan.h"

namespace cairn::gui {
namespace {

const auto& fixed = format_fixed;

// "54 TB", "1.7 PB", "800 GB": three significant figures at most.
std::string bytes_text(double bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};
  size_t u = 0;
  while (bytes >= 1000 && u + 1 < std::size(units)) bytes /= 1000, ++u;
  return fixed(bytes, bytes < 10 && std::abs(bytes - std::round(bytes)) > 0.05 ? 1 : 0) + " " + units[u];
}

std::string percent(double share, int digits = 0) { return fixed(100 * share, digits) + " %"; }

std::string scheme_in_words(const Scheme& s, FailureDomain domain) {
  const std::string where = std::string("distinct ") + to_string(domain) + "s";
  if (s.is_replica())
    return std::to_string(s.width()) + " copies of every file on " + where + ", so any " +
           std::to_string(s.tolerated_losses()) + " may be lost at once";
  return "every file cut into " + std::to_string(s.k) + " data and " + std::to_string(s.m) +
         " parity fragments on " + where + ", so any " + std::to_string(s.m) + " may be lost at once; " +
         fixed(s.overhead(), 2) + " TB of disk per TB stored";
}

double mean_of(const nlohmann::json& summary, const char* key) {
  auto it = summary.find(key);
  return it != summary.end() && it->is_object() ? it->value("mean", 0.0) : 0.0;
}

std::string trim(std::string s) {
  const size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t\r");
  return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

}  // namespace

std::string hospital_in_words(const sim::Scenario& s, bool with_description) {
  const double years = s.horizon_years;
  const double g = s.workload.annual_growth;
  const double total = g > 0 ? s.workload.first_year_bytes * (std::pow(1 + g, years) - 1) / g
                             : s.workload.first_year_bytes * years;
  std::string out;
  if (with_description && !s.description.empty()) out += trim(s.description) + (s.description.back() == '.' ? " " : ". ");
  out += "The archive takes in " + bytes_text(s.workload.first_year_bytes) + " of images in year 1, growing " +
         percent(g) + " a year: " + bytes_text(total) + " over the " + fixed(years, 0) + "-year plan";
  if (s.workload.initial_bytes > 0) out += ", on top of " + bytes_text(s.workload.initial_bytes) + " already stored";
  out += ". It is kept as " + s.pool.scheme.to_string() + " (" + scheme_in_words(s.pool.scheme, s.pool.domain) +
         "), starting on " + std::to_string(s.cluster.initial_nodes) + " nodes of " +
         std::to_string(s.cluster.disks_per_node) + " × " + bytes_text(double(s.cluster.disk.capacity_bytes)) +
         " disks in " + std::to_string(s.cluster.racks) + " racks. More nodes are ordered when the archive is "
         "projected to pass " + percent(s.procurement.fill_threshold) + " full by the time they arrive, " +
         fixed(s.procurement.lead_time_s / 86400.0, 0) + " days after the order";
  if (s.procurement.refresh.age_s > 0)
    out += "; nodes are replaced after " + fixed(s.procurement.refresh.age_s / sim::kSecondsPerYear, 0) +
           " years in service";
  return out + ".";
}

// ", median 9.2 GB, the worst run 63,057.1 GB" from summary.json's per_run,
// so that one run that lost a whole group does not pass for the typical run.
std::string loss_spread(const nlohmann::json& summary) {
  std::vector<double> lost;
  for (const nlohmann::json& r : summary.value("per_run", nlohmann::json::array()))
    if (r.is_object() && r.contains("bytes_lost") && r["bytes_lost"].is_number()) lost.push_back(r["bytes_lost"].get<double>() / 1e9);
  if (lost.size() < 2) return {};
  std::sort(lost.begin(), lost.end());
  const size_t n = lost.size();
  const double median = n % 2 ? lost[n / 2] : (lost[n / 2 - 1] + lost[n / 2]) / 2;
  return " (median " + fixed(median, 1) + " GB; the worst run " + fixed(lost.back(), 1) + " GB)";
}

std::string loss_in_words(const RunData& run) {
  const uint32_t n = run.runs();
  const nlohmann::json p = run.summary.value("probability_of_loss", nlohmann::json::object());
  const double high = p.value("high95", 1.0), low = p.value("low95", 0.0);
  const auto lost = static_cast<uint32_t>(std::lround(p.value("mean", 0.0) * n));
  const std::string runs = std::to_string(n) + (n == 1 ? " run" : " runs");
  std::string out;
  if (lost == 0) {
    out = "No simulated run lost data (0 of " + std::to_string(n) + "); with " + runs +
          " that bounds the chance of losing some data over the plan below " + percent(high) +
          " (95 % confidence)";
    if (high > 0.2) out += " — too few runs to say more: run more replicates, or estimate durability (nines)";
    out += ".";
  } else {
    out = "Data was lost in " + std::to_string(lost) + " of " + runs + " (" + percent(double(lost) / n) +
          "; 95 % confidence " + percent(low) + " to " + percent(high) + "), " +
          fixed(mean_of(run.summary, "bytes_lost") / 1e9, 1) + " GB on average" + loss_spread(run.summary) +
          ". A loss counts any file lost: "
          "writes a node missed while it was down, lost when other members of its group then failed; files on "
          "unreadable sectors the scrub had not yet found";
    const nlohmann::json latent = run.summary.value("latent_errors", nlohmann::json::object());
    if (latent.is_object() && latent.contains("files_lost"))
      out += " (" + fixed(mean_of(latent, "files_lost"), 1) + " files a run on average)";
    out += "; or a whole group.";
  }
  if (run.durability) {
    out += " Estimated durability over the plan: " + format_nines(run.durability->nines) +
           " nines, a chance of losing a whole group's data of " +
           format_significant(run.durability->probability_of_group_loss, 1) + ".";
  }
  return out;
}

std::string cost_in_words(const RunData& run) {
  auto cost = run.summary.find("cost");
  if (cost == run.summary.end() || !cost->is_object()) return "Cost: not in this run's summary.";
  const std::string currency = run.currency.empty() ? std::string("money units") : run.currency;
  return "Cost over " + fixed(run.summary.value("horizon_years", 0.0), 0) + " years: " + currency + " " +
         format_money(cost->value("total", nlohmann::json()), 0) + ", of which hardware " +
         format_money(cost->value("capex", nlohmann::json()), 0) + " and power, space and support " +
         format_money(cost->value("opex", nlohmann::json()), 0) + " (means over " + std::to_string(run.runs()) +
         " runs, 95 % intervals).";
}

std::vector<std::string> main_risks(const RunData& run, const sim::Scenario& s) {
  std::vector<std::string> out;
  const nlohmann::json& j = run.summary;
  const uint32_t m = s.pool.scheme.tolerated_losses();
  const double heal_h = mean_of(j, "longest_heal_h");
  // Hours a reader can picture: days, or months past a quarter of a year.
  std::string span;
  if (heal_h >= 2190) span = " (about " + fixed(heal_h / 730.5, 0) + " months)";
  else if (heal_h >= 72) span = " (about " + fixed(heal_h / 24, 0) + " days)";
  out.push_back("Longest heal: " + format_money(j.value("longest_heal_h", nlohmann::json()), 0) + " hours" + span +
                " from a disk failure to full redundancy; " +
                (m == 1 ? std::string("one more failure") : std::to_string(m) + " more failures") +
                " in the same group within that window would lose its data.");
  const double fill = mean_of(j, "peak_fill");
  out.push_back("Peak fill: " + format_estimate(j.value("peak_fill", nlohmann::json()), 100, 0) +
                " % of usable capacity at its fullest, against the " + percent(s.procurement.fill_threshold) +
                " that triggers a purchase" +
                (fill > s.procurement.fill_threshold + 0.02 ? ": purchases arrive late; order earlier." : "."));
  if (auto plan = purchase_plan_from(j); plan.is_ok() && plan->has_value())
    for (const PlannedPurchase& p : (*plan)->purchases)
      if (p.kind != "initial" && p.share_of_runs < 0.995 && p.share_of_runs > 0)
        out.push_back(purchase_name(p) + " is needed in " + percent(p.share_of_runs) +
                      " of runs only: budget for it, but it may not be needed within the plan.");
  for (const nlohmann::json& w : j.value("warnings", nlohmann::json::array()))
    if (w.is_string()) out.push_back("Warning: " + w.get<std::string>());
  if (run.durability)
    for (const std::string& w : run.durability->warnings) out.push_back("Durability warning: " + w);
  return out;
}

std::string recommendation_in_words(const ChooseResult& c) {
  std::string out;
  const std::string currency = c.currency.empty() ? std::string("money units") : c.currency;
  if (const ChooseVariant* v = c.recommended ? c.variant(*c.recommended) : nullptr) {
    out = "Recommended: " + variant_name(*v) + ", the cheapest of " + std::to_string(c.variants.size()) +
          " variants that meets every constraint, at " + currency + " " + format_money(v->cost, 0) + " over " +
          fixed(c.horizon_years, 0) + " years.";
  } else if (const ChooseVariant* miss = c.nearest_miss ? c.variant(*c.nearest_miss) : nullptr) {
    out = "No variant meets every constraint. Nearest: " + variant_name(*miss) + " — " + miss->verdict + ".";
  } else {
    out = "No variant meets every constraint.";
  }
  if (!c.constraints.empty()) {
    out += " Constraints: ";
    for (size_t i = 0; i < c.constraints.size(); ++i)
      out += (i ? "; " : "") + (c.constraints[i].text.empty() ? c.constraints[i].name : c.constraints[i].text);
    out += ".";
  }
  // Why each other variant lost, in its own verdict's words.
  std::string others;
  const ChooseVariant* chosen = c.chosen();
  for (const ChooseVariant& v : c.variants)
    if (&v != chosen) others += (others.empty() ? "" : "; ") + v.id + " (" + v.label + ") " + v.verdict;
  if (!others.empty()) out += " The others: " + others + ".";
  return out;
}

std::string relative_reproduce(const nlohmann::json& summary, const std::string& scenario_name,
                               const std::string& out_dir) {
  const std::string reproduce = summary.value("reproduce", std::string());
  const std::string head = "cairn plan " + summary.value("scenario_file", std::string());
  std::string rest;
  if (!summary.value("scenario_file", std::string()).empty() && reproduce.rfind(head, 0) == 0) {
    rest = reproduce.substr(head.size());
  } else {  // not written by cairn plan as we know it: rebuild from the figures it records
    rest = " --seed " + std::to_string(summary.value("seed", 0ull));
    if (summary.value("runs", 1u) > 1) rest += " --runs " + std::to_string(summary.value("runs", 1u));
    if (!summary.value("durability", nlohmann::json()).is_null()) rest += " --nines";
  }
  return "cairn plan " + scenario_name + rest + (out_dir.empty() ? "" : " --out " + out_dir);
}

std::vector<Assumption> key_assumptions(std::string_view yaml) {
  static const char* const kKeys[] = {
      "horizon", "workload.first_year_ingest", "workload.annual_growth", "workload.read_fraction",
      "pool.scheme", "pool.failure_domain", "cluster.initial_nodes", "cluster.node.disks", "cluster.node.disk.size",
      "failures.disk.afr", "failures.disk.model", "failures.disk.afr_by_age", "failures.node_losses.per_node_year",
      "heal.detection_delay", "heal.replacement_delay", "heal.bandwidth_per_disk", "procurement.fill_threshold",
      "procurement.lead_time", "procurement.increment_nodes", "procurement.refresh.age", "cost.node",
      "cost.disk_per_tb", "cost.disk_price_trend", "cost.power.price_per_kwh", "cost.support"};
  // Each block-mapping key's path, value and comment, by indentation.
  std::map<std::string, Assumption> found;
  std::vector<std::pair<size_t, std::string>> stack;  // (indent, key)
  std::string above;  // the comment lines just above the current line
  std::istringstream in{std::string(yaml)};
  for (std::string line; std::getline(in, line);) {
    const size_t indent = line.find_first_not_of(' ');
    if (indent == std::string::npos) {
      above.clear();
      continue;
    }
    if (line[indent] == '#') {
      above += (above.empty() ? "" : " ") + trim(line.substr(indent + 1));
      continue;
    }
    const size_t colon = line.find(':', indent);
    if (line[indent] == '-' || colon == std::string::npos) {
      above.clear();
      continue;
    }
    while (!stack.empty() && stack.back().first >= indent) stack.pop_back();
    std::string key = trim(line.substr(indent, colon - indent)), path;
    for (const auto& [i, k] : stack) path += k + ".";
    path += key;
    std::string rest = line.substr(colon + 1), comment;
    if (size_t hash = rest.find(" #"); hash != std::string::npos) comment = trim(rest.substr(hash + 2)), rest.resize(hash);
    const std::string value = trim(rest);
    if (value.empty() || value == ">-" || value == "|") stack.emplace_back(indent, key);
    else found[path] = {path, value, comment.empty() ? above : comment};
    above.clear();
  }
  std::vector<Assumption> out;
  for (const char* k : kKeys)
    if (auto it = found.find(k); it != found.end()) out.push_back(it->second);
  return out;
}

}  // namespace cairn::gui
