// Results of one simulated run: a row per month, every event, and the key
// figures; how they are written (CSV, JSON) and summed over replicates.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sim/cost.h"

namespace cairn::sim {

struct MonthRow {
  uint32_t month = 0;            // 0-based; the row describes the month's end
  double raw_tb = 0;             // capacity of live disks in groups or spares
  double usable_tb = 0;          // data-bearing capacity x k/(k+m)
  double used_tb = 0;            // logical bytes stored (files' own sizes)
  uint32_t nodes = 0;
  uint32_t disks = 0;
  uint32_t disk_failures = 0;    // during the month
  uint32_t heals_in_flight = 0;  // heal jobs running at the month's end
  uint32_t heals_completed = 0;  // failed disks fully healed during the month
  uint32_t degraded_groups = 0;  // groups below full redundancy at the month's end
  double bytes_at_risk = 0;      // logical bytes in those groups
  double bytes_lost = 0;         // logical bytes lost since the start
  double rebalance_bytes = 0;    // bytes written by rebalances during the month
  double heal_p50_h = 0;         // failure -> fully healed, heals completed this month
  double heal_p99_h = 0;
  // The busiest node NIC on the client network (in or out) and on the
  // management network: the time the month's traffic took to cross it, as a
  // fraction of the month; above 1 it did not fit (front_traffic.h).
  double client_busy_max = 0;
  double management_busy_max = 0;
};

// A month whose client traffic did not fit in the month on some node's NIC.
struct ClientOverload {
  uint32_t month = 0;
  uint32_t node = 0;       // the busiest client NIC that month
  double busy = 0;         // its busy fraction, > 1
  std::string direction;   // "in" (ingest from clients) or "out" (reads to clients)
};

struct Event {
  double time_s = 0;
  std::string kind;     // disk_failure, heal_start, heal_end, purchase_order, ...
  int64_t node = -1;
  int64_t disk = -1;
  int64_t group = -1;
  double bytes = 0;
  double files = 0;
  std::string detail;
};

// One disk at the end of one month, for replaying the cluster (the planner's
// cluster view). Recorded only on request (SimOptions::disk_detail): the rows
// grow as disks x months. A disk appears every month from the one it was
// installed in to the one it was retired in (failed and emptied by its heal).
enum class DiskState : uint8_t {
  kHealthy,  // in service, its node up
  kDown,     // in service, its node in a transient outage
  kFailed,   // failed, its members not (yet) being healed
  kHealing,  // failed, a heal of at least one of its groups running
  kRetired,  // failed and emptied during this month
};
const char* to_string(DiskState state);

struct DiskMonth {
  uint32_t month = 0;
  uint32_t disk = 0;
  uint32_t node = 0;
  uint32_t rack = 0;
  uint32_t slot = 0;               // position on its node; a replacement takes the failed disk's
  DiskState state = DiskState::kHealthy;
  bool installed_in_month = false;  // bought or replaced during the month
  bool failed_in_month = false;
  double used_bytes = 0;           // allocated bytes on the disk
  double capacity_bytes = 0;
};

// Hardware that entered service at once: the initial cluster, a purchase
// (ordered a lead time before it arrived), a refresh's replacements, or
// nodes a scenario event added. Priced with purchase_price() (cost.h), the
// capex cost_by_year() charges for the same hardware.
struct Purchase {
  std::string kind;      // "initial", "purchase", "refresh" or "event"
  std::string tier;      // the tier's name in a tiered archive, else empty
  double order_s = 0;    // arrival - lead time (negative for the initial cluster); events: arrival
  double arrival_s = 0;
  uint32_t nodes = 0;
  uint32_t disks = 0;
  uint32_t new_racks = 0;   // racks (and their switches) this purchase is the first to use
  double raw_tb = 0;        // the disks' capacity
  double usable_tb = 0;     // raw x k / (k + m) of the pool's scheme: nominal, before spares and headroom
  double price = 0;         // nodes, disks and new racks with their switches, at the arrival year's prices
};

struct RunResult {
  uint64_t seed = 0;
  std::vector<MonthRow> months;
  std::vector<Event> events;
  std::vector<uint32_t> nodes_bought_per_year;
  std::vector<Purchase> purchases;  // in arrival order
  double peak_fill = 0;          // max over months of used allocation / data-bearing capacity
  double longest_heal_h = 0;
  double bytes_lost = 0;
  double files_lost = 0;
  uint32_t loss_events = 0;
  uint32_t disk_failures = 0;
  uint32_t final_nodes = 0;
  double peak_client_busy = 0;      // max over months of MonthRow::client_busy_max
  double peak_management_busy = 0;  // max over months of MonthRow::management_busy_max
  std::vector<ClientOverload> client_overloads;  // months with client_busy_max > 1, in order
  double simulated_years = 0;
  double wall_s = 0;
  // Allocated bytes on each disk id at the end (failed disks included until
  // retired); for checks such as aggregated against file-by-file ingest.
  std::vector<double> final_disk_used_bytes;
  std::vector<DiskMonth> disk_months;  // empty unless SimOptions::disk_detail
  // Money (cost.h): a row per year of the horizon, and the capacity
  // waterfall at the horizon's end.
  std::vector<CostYear> cost_years;
  Waterfall waterfall;
  // Hardware refresh (procurement.refresh): nodes retired for their age, by
  // the year their replacements arrived, and the longest drain.
  std::vector<uint32_t> nodes_refreshed_per_year;
  uint32_t refreshes = 0;               // drains completed
  uint32_t nodes_retired_for_age = 0;   // by those drains
  double longest_migration_months = 0;  // refresh_start -> refresh_end
  double bytes_expired = 0;             // logical bytes past workload.retention, removed
  // Latent errors (latent_errors.h): arisen, found by the scrub, and files
  // lost to them (counted in files_lost and bytes_lost too).
  // Group-hours during which a group could not serve reads: fewer than k
  // members on live disks of nodes up (failures, outages, rack events,
  // switches) — unavailability, as against loss.
  double unavailable_group_hours = 0;
  // With SimOptions::condition_on_no_group_loss: Λ, the integral over the run
  // of the rate of events that would have lost a group's data (disk failures
  // in groups with no redundancy left, losses of their nodes), those events
  // being suppressed; P(group loss in the run) = E[1 − exp(−Λ)]. And the same
  // integral weighted by each such group's logical bytes.
  double fatal_hazard = 0;
  double fatal_hazard_bytes = 0;
  // Λ up to the end of each simulated year (the last entry: the horizon), so
  // P(group loss within y years) = E[L × (1 − exp(−Λ_y))]: the whole run's
  // likelihood ratio L weighs every year's term without bias (it is a
  // martingale whose mean given the first y years is theirs).
  std::vector<double> fatal_hazard_by_year;
  uint32_t suppressed_failures = 0;
  // ln of the likelihood ratio of the run's failures (true law over the
  // biased one, SimOptions::failure_bias): the run's estimate of P(group
  // loss) is exp(log_likelihood_ratio) × (1 − exp(−fatal_hazard)).
  double log_likelihood_ratio = 0;
  uint32_t latent_errors = 0;
  uint32_t latent_found = 0;
  double latent_files_lost = 0;
};

nlohmann::json to_json(const RunResult& r, bool with_series);
RunResult run_result_from_json(const nlohmann::json& j);

void write_timeseries_csv(std::ostream& out, const std::vector<MonthRow>& rows);
// One row per purchase: kind,tier,order_day,arrival_day,year,nodes,disks,
// raw_tb,usable_tb,price (year: 1-based, of the arrival).
void write_purchases_csv(std::ostream& out, const std::vector<Purchase>& purchases);
void write_events_csv(std::ostream& out, const std::vector<Event>& events);
void write_disks_csv(std::ostream& out, const std::vector<DiskMonth>& rows);

// Mean and 95 % interval of a figure over replicates (Student t), and the
// probability of any data loss with its 95 % Wilson interval.
struct Estimate {
  double mean = 0, low = 0, high = 0;
};
Estimate mean_interval(const std::vector<double>& values);
// {"mean", "low95", "high95"}, as summary.json writes every estimate.
nlohmann::json to_json(const Estimate& e);
// An estimate of a loss probability in nines (sim::nines of each end): more
// loss is fewer nines, so the interval's ends swap. JSON writes an infinite
// end (no loss) as null.
Estimate nines_of(const Estimate& loss_probability);
// Nines as "2.41", or "unbounded" when infinite.
std::string nines_text(double nines);

// The purchase plan over replicates (summary.json "purchase_plan"):
//   by_year    one entry per year of the horizon: the mean over runs of the
//              nodes, disks, raw and usable TB and price arriving that year
//              (the initial cluster in year 1; refreshes apart), and the
//              share of runs in which some purchase arrives that year;
//   purchases  the k-th purchase of each kind over runs: in how many runs,
//              means, mean order and arrival month, and the arrival years
//              with the share of those runs each ("year 7 in 80 %");
//   run0       run 0's purchases, as purchases.csv holds them.
nlohmann::json purchase_plan_json(const std::vector<RunResult>& runs, double lead_time_s, uint32_t years);

// The purchase plan in words, for the CLI and the planner alike.
struct ArrivalShare {
  uint32_t year = 0;  // 1-based
  double share = 0;   // of the runs that made the purchase
};
// "year 6 in every run", or "year 10 in 88 % of runs, year 11 in 12 %"
// (largest share first, as purchase_plan_json lists them); "—" for none.
// Shares are of all runs: `share_of_runs` is the share that made the
// purchase at all ("year 14 in 12 % of runs" for a purchase one run in
// eight made).
std::string arrival_text(const std::vector<ArrivalShare>& years, double share_of_runs);
// A month count from the start as a date: "year 6, month 4"; before the
// start, "3 months before the start".
std::string order_month_text(double month);
Estimate proportion_interval(uint32_t successes, uint32_t trials);

}  // namespace cairn::sim
