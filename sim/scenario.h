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
};

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
};

struct HealSpec {
  double detection_delay_s = 600.0;           // failure -> heal starts
  double replacement_delay_s = 3 * 86400.0;   // failure -> new disk in the slot
  double bytes_per_s_per_disk = 100e6;        // heal I/O budget per disk
  double bytes_per_s_per_node = 500e6;        // heal traffic budget per node
  uint32_t max_concurrent_heals = 64;         // heal jobs in flight at once
};

struct ProcurementSpec {
  double fill_threshold = 0.80;    // used / usable that triggers a purchase
  double lead_time_s = 90 * 86400.0;
  uint32_t increment_nodes = 0;    // 0: the smallest valid increment (whole groups)
  uint32_t max_nodes = 200;
  double rebalance_bytes_per_s = 200e6;  // rebalance budget, whole cluster
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
  double horizon_years = 15.0;
  uint64_t seed = 1;
  std::vector<ScenarioEvent> events;  // in time order (scenario_events.h)

  PoolSpec pool_spec() const;  // the engine's view of the pool
};

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
