// A sweep: a grid of scenario variants × replicates for `cairn sweep`
// (schema and examples: sweeps/README.md).
//
//   scenario: ../scenarios/tertiary-hospital.yaml   # required; relative to the sweep file
//   replicates: 4                                   # runs per variant, each a task
//   set:  { procurement.max_nodes: 200 }            # keys set in every variant
//   grid:                                           # every combination of these values
//     pool.scheme: [replica:3, ec:4+2, ec:8+3]
//     cluster.node.disk.size: [12 TB, 20 TB]
//
// A key is a scenario key path as scenarios/README.md writes it ("pool.scheme",
// "tiers[0].pool.scheme"); a value is any YAML value (a scalar, a list, a
// mapping), or null to remove the key from the scenario. Each variant is the
// scenario with `set` and then its grid values applied, and must be a valid
// scenario: nothing runs on a bad sweep.
//
// Seeds: replicate r of every variant runs with replicate_seed(base, r)
// (sim/replicates.h), where base is the sweep's `seed`, else the XXH64 of
// the scenario file's bytes — the scenario's hash. A task's seed is thus a
// function of the scenario's hash and the task's replicate index, the same
// for every variant (common random numbers), and a lost task reruns
// identically. Variant v's replicates are what `cairn plan VARIANT --seed
// base --runs R` runs.
//
// Errors: a Status whose message begins "<file>:<line>:<column>: <key>: ",
// as for scenarios; a variant the scenario reader refuses is reported at
// the sweep value that made it, with the scenario's own message.
// Not thread-safe to share; pure apart from reading the two files.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/status.h"
#include "sim/choose.h"

namespace cairn::cli {

inline constexpr uint32_t kSweepReplicatesMax = 100'000;
inline constexpr size_t kSweepTasksMax = 1'000'000;
inline constexpr size_t kSweepFileBytesMax = 1 << 20;

// One key of the sweep and the values it takes, as YAML text.
struct SweepAxis {
  std::string key;                  // "pool.scheme"
  std::vector<std::string> values;  // each value as flow YAML ("ec:8+3", "[1 %, 2 %]", "~")
};

// Where a task runs on Slurm (`slurm:` in the sweep file); empty: not given.
struct SlurmSpec {
  std::string partition;
  std::string time;     // per task, as sbatch takes it ("00:30:00", "30")
  std::string mem;      // per task ("2G")
  std::string account;
  uint32_t cpus_per_task = 1;
  uint32_t max_array_size = 1000;  // indices per array job (Slurm's MaxArraySize default is 1001)
  std::vector<std::string> extra;  // further sbatch options, as written ("--qos=long")
};

struct Variant {
  std::string id;                   // "v003"
  std::vector<std::string> values;  // one per grid axis, in axis order
  std::string scenario_yaml;        // the variant's scenario, every change applied
};

struct SweepSpec {
  std::string name;              // `name`, else the sweep file's stem
  std::string sweep_file;        // as given
  std::string scenario_file;     // resolved against the sweep file's folder
  std::string scenario_xxh64;    // of the scenario file's bytes, 16 hex digits
  uint64_t base_seed = 0;
  bool seed_given = false;
  uint32_t replicates = 1;
  std::vector<SweepAxis> set;    // applied to every variant (one value each)
  std::vector<SweepAxis> grid;   // in file order; variants vary the last axis fastest
  std::vector<Variant> variants;
  SlurmSpec slurm;
  // `nines: true`: every task runs `cairn plan --nines` (durability by
  // conditioning), with `bias:` (default 1) as --bias.
  bool nines = false;
  double bias = 1.0;
  // For `cairn plan --choose` (cli/choose_cmd.cc); a plain sweep ignores them.
  //   constraints: { min_nines: 2, max_fill: 85 %, max_heal: 2000 h, budget: 3000000 }
  //   sensitivity: { workload.annual_growth: [5 %, 15 %], ... }   # each key's low and high
  sim::Constraints constraints;
  std::vector<SweepAxis> sensitivity;  // values: [low, high]

  size_t task_count() const { return variants.size() * replicates; }
};

// One task: a variant and a replicate. Index = variant * replicates + replicate.
struct SweepTask {
  size_t index = 0;
  size_t variant = 0;
  uint32_t replicate = 0;
  uint64_t seed = 0;
  std::string id;  // "v003-r02"
};
SweepTask sweep_task(const SweepSpec& spec, size_t index);

// The same sweep with `key` set to `value` (flow YAML) in every variant, as
// a `set:` entry would; named NAME-SUFFIX. For sensitivity runs.
Result<SweepSpec> with_set(const SweepSpec& spec, const std::string& key, const std::string& value,
                           const std::string& suffix);
// The same sweep over another scenario file (its hash, and the base seed
// when the sweep gives none, follow the new file).
Result<SweepSpec> with_scenario(const SweepSpec& spec, const std::string& scenario_file);

// Reads and checks a sweep file, builds every variant and checks each with
// the scenario reader.
Result<SweepSpec> load_sweep(const std::string& path);
// The same from text; `file_name` labels messages and anchors `scenario:`.
Result<SweepSpec> parse_sweep(const std::string& text, const std::string& file_name);

}  // namespace cairn::cli
