#include "sim/tiers.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <string>

#include "sim/replicates.h"

namespace cairn::sim {
namespace {

void add_month(MonthRow& into, const MonthRow& m) {
  into.month = m.month;
  into.raw_tb += m.raw_tb;
  into.usable_tb += m.usable_tb;
  into.used_tb += m.used_tb;
  into.nodes += m.nodes;
  into.disks += m.disks;
  into.disk_failures += m.disk_failures;
  into.heals_in_flight += m.heals_in_flight;
  into.heals_completed += m.heals_completed;
  into.degraded_groups += m.degraded_groups;
  into.bytes_at_risk += m.bytes_at_risk;
  into.bytes_lost += m.bytes_lost;
  into.rebalance_bytes += m.rebalance_bytes;
  into.heal_p50_h = std::max(into.heal_p50_h, m.heal_p50_h);
  into.heal_p99_h = std::max(into.heal_p99_h, m.heal_p99_h);
  into.client_busy_max = std::max(into.client_busy_max, m.client_busy_max);
  into.management_busy_max = std::max(into.management_busy_max, m.management_busy_max);
}

void add_cost(CostYear& into, const CostYear& y) {
  into.year = y.year;
  into.nodes += y.nodes, into.disks += y.disks, into.network += y.network, into.racks += y.racks;
  into.power += y.power, into.space += y.space, into.support += y.support;
  into.usable_tb += y.usable_tb, into.stored_tb += y.stored_tb, into.cumulative += y.cumulative;
}

template <class T>
void add_each(std::vector<T>& into, const std::vector<T>& v) {
  if (into.size() < v.size()) into.resize(v.size());
  for (size_t i = 0; i < v.size(); ++i) into[i] += v[i];
}

}  // namespace

RunResult merge_tiers(const Scenario& s, std::vector<RunResult> tiers) {
  RunResult out;
  out.seed = s.seed;
  uint32_t node_offset = 0, disk_offset = 0;
  for (size_t i = 0; i < tiers.size(); ++i) {
    RunResult& t = tiers[i];
    const std::string prefix = "[" + (i < s.tiers.size() ? s.tiers[i].name : std::to_string(i)) + "] ";
    if (out.months.size() < t.months.size()) out.months.resize(t.months.size());
    for (size_t m = 0; m < t.months.size(); ++m) add_month(out.months[m], t.months[m]);
    for (Event& e : t.events) {
      if (e.node >= 0) e.node += node_offset;
      if (e.disk >= 0) e.disk += disk_offset;
      e.detail = prefix + e.detail;
      out.events.push_back(std::move(e));
    }
    for (Purchase& p : t.purchases) {
      p.tier = i < s.tiers.size() ? s.tiers[i].name : std::to_string(i);
      out.purchases.push_back(std::move(p));
    }
    add_each(out.nodes_bought_per_year, t.nodes_bought_per_year);
    add_each(out.nodes_refreshed_per_year, t.nodes_refreshed_per_year);
    out.peak_fill = std::max(out.peak_fill, t.peak_fill);
    out.longest_heal_h = std::max(out.longest_heal_h, t.longest_heal_h);
    out.bytes_lost += t.bytes_lost;
    out.files_lost += t.files_lost;
    out.loss_events += t.loss_events;
    out.disk_failures += t.disk_failures;
    out.final_nodes += t.final_nodes;
    out.peak_client_busy = std::max(out.peak_client_busy, t.peak_client_busy);
    out.peak_management_busy = std::max(out.peak_management_busy, t.peak_management_busy);
    for (ClientOverload o : t.client_overloads) {
      o.node += node_offset;
      out.client_overloads.push_back(std::move(o));
    }
    out.simulated_years = std::max(out.simulated_years, t.simulated_years);
    out.wall_s += t.wall_s;
    out.final_disk_used_bytes.insert(out.final_disk_used_bytes.end(), t.final_disk_used_bytes.begin(),
                                     t.final_disk_used_bytes.end());
    for (DiskMonth d : t.disk_months) {
      d.disk += disk_offset;
      d.node += node_offset;
      out.disk_months.push_back(d);
    }
    if (out.cost_years.size() < t.cost_years.size()) out.cost_years.resize(t.cost_years.size());
    for (size_t y = 0; y < t.cost_years.size(); ++y) add_cost(out.cost_years[y], t.cost_years[y]);
    out.waterfall.raw_tb += t.waterfall.raw_tb;
    out.waterfall.redundancy_tb += t.waterfall.redundancy_tb;
    out.waterfall.spares_tb += t.waterfall.spares_tb;
    out.waterfall.fill_ceiling_tb += t.waterfall.fill_ceiling_tb;
    out.waterfall.reprotect_tb += t.waterfall.reprotect_tb;
    out.refreshes += t.refreshes;
    out.nodes_retired_for_age += t.nodes_retired_for_age;
    out.longest_migration_months = std::max(out.longest_migration_months, t.longest_migration_months);
    out.bytes_expired += t.bytes_expired;
    out.unavailable_group_hours += t.unavailable_group_hours;
    out.fatal_hazard += t.fatal_hazard;  // independent tiers: no loss in any = product of survivals
    out.fatal_hazard_bytes += t.fatal_hazard_bytes;
    if (out.fatal_hazard_by_year.size() < t.fatal_hazard_by_year.size())
      out.fatal_hazard_by_year.resize(t.fatal_hazard_by_year.size());
    for (size_t y = 0; y < t.fatal_hazard_by_year.size(); ++y) out.fatal_hazard_by_year[y] += t.fatal_hazard_by_year[y];
    out.suppressed_failures += t.suppressed_failures;
    out.log_likelihood_ratio += t.log_likelihood_ratio;
    out.latent_errors += t.latent_errors;
    out.latent_found += t.latent_found;
    out.latent_files_lost += t.latent_files_lost;
    node_offset += i < s.tiers.size() ? node_slots(tier_scenario(s, i)) : 0;
    disk_offset += static_cast<uint32_t>(t.final_disk_used_bytes.size());
  }
  std::stable_sort(out.events.begin(), out.events.end(),
                   [](const Event& a, const Event& b) { return a.time_s < b.time_s; });
  std::stable_sort(out.purchases.begin(), out.purchases.end(),
                   [](const Purchase& a, const Purchase& b) { return a.arrival_s < b.arrival_s; });
  std::stable_sort(out.disk_months.begin(), out.disk_months.end(), [](const DiskMonth& a, const DiskMonth& b) {
    return std::tie(a.month, a.disk) < std::tie(b.month, b.disk);
  });
  return out;
}

Result<RunResult> run_archive(const Scenario& s, const SimOptions& options) {
  if (s.tiers.empty()) return run_simulation(s, options);
  std::vector<RunResult> tiers;
  for (size_t i = 0; i < s.tiers.size(); ++i) {
    const Scenario tier = tier_scenario(s, i);
    Result<Forked> child = fork_child([&] { return to_json(run_simulation(tier, options), true).dump(); });
    if (!child) return child.status();
    const int fd = child->fd;
    const pid_t pid = child->pid;
    std::string text;
    char buf[65536];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(n));
    close(fd);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || text.empty())
      return Status(StatusCode::kInvalidArgument, "tier " + s.tiers[i].name + " (seed " + std::to_string(tier.seed) +
                                                      ") failed");
    tiers.push_back(run_result_from_json(nlohmann::json::parse(text)));
  }
  return merge_tiers(s, std::move(tiers));
}

}  // namespace cairn::sim
