// Scenario: everything the simulator needs to model one hospital's archive
// over its horizon — hardware, pool, workload, failures, heal policy,
// procurement — in SI units (bytes, bytes per second, seconds, fractions).
//
// Read from YAML by load_scenario()/parse_scenario() (scenario_yaml.cc), whose
// schema and units are documented in scenarios/README.md. A Scenario is a
// plain value; validate() is the single place that checks its ranges, so a
// Scenario built in code (tests, the GUI) is checked the same way.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <string>
#include <vector>

#include "engine/placement.h"
#include "engine/status.h"
#include "engine/topology.h"
#include "sim/scenario_events.h"

namespace cairn::sim {

inline constexpr double kSecondsPerYear = 365.25 * 86400.0;
inline constexpr double kSecondsPerMonth = kSecondsPerYear / 12.0;

struct NetworkSpec {
  double bytes_per_s = 1.25e9;  // 10 Gb/s
  double latency_s = 0.0001;
};

// What a node spends per file of background work beyond its disks' and
// network's time: request round trips, checksums, decoding. Seconds of the
// node per file (its heal or move work runs as one stream of such time);
// 0 leaves only disks and network. `cairn lab calibrate` measures them.
struct NodeFileWork {
  double heal_s = 0;  // per member rebuilt or caught up, on the node that rebuilds it
  double move_s = 0;  // per member moved by a rebalance, on the node it leaves
};

// Default operation rates by device class, when a scenario gives none
// (docs/REFERENCE.md, "Small files, migration and operations").
inline constexpr double kHddOpsPerS = 150;
inline constexpr double kSsdOpsPerS = 20'000;

struct ClusterSpec {
  uint32_t racks = 4;
  uint32_t initial_nodes = 12;
  uint32_t disks_per_node = 12;
  DiskModel disk;               // capacity, device class, read/write bandwidth, operation rate
  NodeFileWork per_file;        // node time per file of background work
  NetworkSpec client;           // clients <-> nodes (ingest, reads)
  NetworkSpec storage;          // node <-> node (replication, heal, rebalance)
  NetworkSpec management{1.25e8, 0.0001};  // 1 Gb/s; status and control, carries no data
  // Top-of-rack switches per rack, each node wired to all of them
  // (engine/reachability.h): 2 is dual-homed to a stacked pair.
  uint32_t uplinks = 2;
};

struct PoolScenario {
  Scheme scheme = Scheme::erasure(8, 3);
  FailureDomain domain = FailureDomain::kNode;
  GroupStrategy strategy = GroupStrategy::kFixed;
  uint32_t member_slots_per_disk = 100;  // declustered only
};

// File sizes as a discrete distribution: each bucket is (share of files,
// size in bytes). A single bucket is a fixed size.
struct FileSizeBucket {
  double file_fraction = 1.0;
  uint64_t bytes = 300'000;
};

struct WorkloadSpec {
  double initial_bytes = 0;              // already stored when the run starts (logical bytes)
  double first_year_bytes = 54e12;       // ingest during year 1
  double annual_growth = 0.10;           // ingest grows by this fraction each year
  std::vector<FileSizeBucket> file_sizes{FileSizeBucket{}};
  double read_fraction = 0.0;            // reads / (reads + writes), by bytes
  // Data expires this long after it was written and leaves the archive,
  // freeing its space (0: kept past the horizon). initial_data counts as
  // written at the start. Presets: retention_presets().
  double retention_s = 0;
  // Set by tier_scenario() for one tier of a tiered archive (not YAML keys
  // here): data enters this tier at age arrive_after_s; at age retention_s
  // it leaves — to the next tier when moves_on, else out of the archive;
  // the tier serves read_share of the archive's reads.
  double arrive_after_s = 0;
  bool moves_on = false;
  double read_share = 1.0;
};

// A named retention period ("china-inpatient" -> 30 years); nullopt if the
// name is unknown. docs/REFERENCE.md, "Retention".
struct RetentionPreset {
  std::string_view name;
  double years;  // 0: kept forever
  std::string_view meaning;
};
std::span<const RetentionPreset> retention_presets();

// Disk failure model. kConstant: one annual failure rate (AFR) for life.
// kByAge: piecewise-constant AFR by age (afr_by_age_year[i] applies in year i
// of a disk's life; the last value holds after). kWeibull: shape and scale.
struct DiskFailureModel {
  enum class Kind { kConstant, kByAge, kWeibull };
  Kind kind = Kind::kConstant;
  double afr = 0.015;
  std::vector<double> afr_by_age_year;
  double weibull_shape = 1.0;
  double weibull_scale_years = 50.0;
};

struct FailureSpec {
  DiskFailureModel disk;
  double node_outages_per_node_year = 0.0;   // transient: no data lost, heals owed
  double node_outage_duration_s = 4 * 3600.0;
  double node_losses_per_node_year = 0.0;    // permanent: every disk of the node lost
  // Correlated failures. Rack or power-domain events: every node of a rack
  // goes down for `duration`, or (a `permanent` share of them) is lost.
  double rack_events_per_rack_year = 0.0;
  double rack_event_duration_s = 4 * 3600.0;
  double rack_event_permanent = 0.0;
  // Top-of-rack switch failures: the switch is out for `duration`; nodes left
  // with no path to the core (engine reachable_nodes) are down meanwhile.
  double switch_failures_per_switch_year = 0.0;
  double switch_repair_s = 4 * 3600.0;
  // Purchase batches: each (the initial nodes, each purchase or refresh) is
  // a bad one with probability `bad_share`, its disks' failure rate then
  // multiplied by `afr_factor`.
  double bad_batch_share = 0.0;
  double bad_batch_afr_factor = 1.0;
  // Latent sector errors: a Poisson process per disk, each error spoiling
  // one member of one file silently until a scrub pass reads it (or a heal
  // needs it and loses the file). 0: none.
  double latent_errors_per_disk_year = 0.0;
};

struct HealSpec {
  double detection_delay_s = 600.0;           // failure -> heal starts
  double replacement_delay_s = 3 * 86400.0;   // failure -> new disk in the slot
  double bytes_per_s_per_disk = 100e6;        // heal I/O budget per disk
  double bytes_per_s_per_node = 500e6;        // heal traffic budget per node
  uint32_t max_concurrent_heals = 64;         // heal jobs in flight at once
  // Scrub (engine/scrub.h, the reference cluster's defaults): each node
  // starts a pass `scrub_interval_s` after its last ended and reads its
  // disks' members at `scrub_bytes_per_s_per_node` by the engine's pace rule.
  double scrub_interval_s = 7 * 86400.0;
  double scrub_bytes_per_s_per_node = 50e6;
};

// Hardware refresh: a node leaves service once it reaches `age_s` (0: never);
// its replacement, of the generation current at the order, is ordered a lead
// time before, and the old node is drained by the engine's retirement plan
// once the new one is in (the drain `cairn lab retire-node` runs).
struct RefreshSpec {
  double age_s = 0;
  // Disks bought in year y (0-based) hold capacity × (1 + growth)^y: the
  // generation current then. Applies to purchases and refreshes alike;
  // a failed disk is replaced by one of its own size (its slot's group).
  double disk_size_growth = 0;
};

struct ProcurementSpec {
  double fill_threshold = 0.80;    // used / usable that triggers a purchase
  double lead_time_s = 90 * 86400.0;
  uint32_t increment_nodes = 0;    // 0: the smallest valid increment (whole groups)
  uint32_t max_nodes = 200;
  double rebalance_bytes_per_s = 200e6;  // rebalance budget, whole cluster
  RefreshSpec refresh;
};

// Money. Every price is in `currency` (a label); capex is paid in the year
// hardware arrives, at that year's price; opex accrues while it is in service.
// Defaults: docs/REFERENCE.md, "Cost defaults".
struct PriceShock {
  uint32_t year = 1;    // 1-based year of the horizon
  double change = 0;    // disk prices that year × (1 + change)
};

struct CostSpec {
  std::string currency = "USD";
  double node = 5'000;                  // one storage node without its disks
  double disk_per_tb_hdd = 25;          // per TB (1e12 bytes) of disk, year 1
  double disk_per_tb_ssd = 80;
  double disk_price_trend = -0.07;      // per year, compounding
  std::vector<PriceShock> disk_price_shocks;
  double switch_price = 6'000;
  uint32_t switches_per_rack = 2;       // dual-homed nodes: two stacked switches
  double rack = 3'000;                  // cabinet and PDUs, once per rack used
  double space_per_rack_year = 8'000;   // floor space, cooling plant share
  double disk_watts_hdd = 8;
  double disk_watts_ssd = 6;
  double node_watts = 150;              // a node without its disks
  double pue = 1.6;                     // facility power / IT power
  double price_per_kwh = 0.13;
  double power_price_trend = 0.02;      // per year, compounding
  double support = 0.10;                // per year, share of the capex in service

  double disk_per_tb(DeviceClass c) const { return c == DeviceClass::kSsd ? disk_per_tb_ssd : disk_per_tb_hdd; }
  double disk_watts(DeviceClass c) const { return c == DeviceClass::kSsd ? disk_watts_ssd : disk_watts_hdd; }
};

// One pool of a tiered archive (Scenario::tiers): the sections it gives
// replace the scenario's own for it; the rest it shares.
struct TierSpec {
  std::string name;
  double until_s = 0;       // age at which data moves on to the next tier; 0 for the last tier
  double read_share = 0;    // share of the archive's reads it serves
  std::optional<ClusterSpec> cluster;
  std::optional<PoolScenario> pool;
  std::optional<HealSpec> heal;
  std::optional<ProcurementSpec> procurement;
};

struct Scenario {
  std::string name = "unnamed";
  std::string description;  // free text for people: whose archive, which assumptions
  ClusterSpec cluster;
  PoolScenario pool;
  WorkloadSpec workload;
  FailureSpec failures;
  HealSpec heal;
  ProcurementSpec procurement;
  CostSpec cost;
  double horizon_years = 15.0;
  uint64_t seed = 1;
  std::vector<ScenarioEvent> events;  // in time order (scenario_events.h)
  // Empty: one pool. Else the archive's pools by age, youngest data first:
  // each is simulated as a scenario of its own (tier_scenario), the moves
  // between them being the older tier's ingest and the younger one's
  // expiry plus reads.
  std::vector<TierSpec> tiers;

  PoolSpec pool_spec() const;  // the engine's view of the pool
};

// Tier `i` of a tiered scenario as a scenario of its own: its sections over
// the shared ones, its age window in the workload, initial_data in the last
// tier only, retention applying in the last tier only (earlier tiers pass
// their data on), its own seed stream for i > 0, name "<name>/<tier>".
Scenario tier_scenario(const Scenario& scenario, size_t i);
inline constexpr size_t kMaxTiers = 8;

// Nodes the model can hold over the run (ids are never reused):
// procurement.max_nodes, and as many again for each refresh the horizon
// allows, since a refresh runs old and new side by side.
uint32_t node_slots(const Scenario& scenario);

// Bounds validate() enforces, so that a typo cannot ask for a billion nodes.
inline constexpr uint32_t kMaxNodes = 100'000;
inline constexpr uint32_t kMaxRacks = 10'000;
inline constexpr uint32_t kMaxDisksPerNode = 1'024;
inline constexpr size_t kMaxFileSizeBuckets = 64;
inline constexpr size_t kMaxAfrByAgeYears = 100;
inline constexpr double kMaxHorizonYears = 100.0;

// The first problem validate() finds: the key it concerns, as written in YAML
// ("procurement.max_nodes", "workload.file_sizes[1].share"), and the Status
// (kInvalidArgument, or kUnsatisfiable when the topology cannot hold the
// scheme) whose message says what is wrong without repeating the key.
struct ScenarioProblem {
  std::string key;
  Status status;
};
std::optional<ScenarioProblem> find_problem(const Scenario& scenario);

// Checks ranges and consistency (e.g. max_nodes >= initial_nodes, fractions
// in [0, 1], file-size shares summing to 1, enough failure domains for the
// scheme), then the events (find_event_problem). The message is
// "<key>: <what is wrong>", the key as written in YAML (e.g.
// "procurement.max_nodes"); find_problem() gives the two apart.
Status validate(const Scenario& scenario);

}  // namespace cairn::sim
