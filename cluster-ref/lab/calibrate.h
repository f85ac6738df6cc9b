// Calibration measurements: what the model needs to stand for a lab —
// each disk directory's bandwidth and operation rate, the storage network
// between the lab's loopback addresses, and a node's per-file cost of a
// put, a rebuild and a move, measured on pilot labs of their own. `cairn lab
// calibrate` turns them into a scenario and compares the model's predictions
// with the lab (cli/calibrate_cmd.cc). Every figure is measured in this run,
// never assumed.
#pragma once
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "cluster-ref/lab/lab.h"
#include "engine/status.h"

namespace cairn {

using CalibrateProgress = std::function<void(const std::string& line)>;

struct DiskRates {
  double write_bytes_per_s = 0;  // one large file written and fsynced
  double read_bytes_per_s = 0;   // read back after its pages were dropped
  double ops_per_s = 0;          // device operations per second (engine/store_ops.h)
  uint64_t puts = 0;             // the small puts the operation rate was measured with
};

// Measures a disk in `scratch` (a new folder on the disk's file system,
// removed after): a 64 MiB file for bandwidth, then `puts` puts of
// `member_bytes` into a DiskStore of its own, kInFlight at once as the
// cluster's workers do; the operation rate is the device operations those
// puts made (as the store counts them) over the time left after their bytes.
Result<DiskRates> measure_disk(const std::filesystem::path& scratch, uint64_t member_bytes, uint32_t puts);

struct NetworkRates {
  double bytes_per_s = 0;  // one TCP stream between two loopback addresses
  double latency_s = 0;    // half a small message's round trip
};
// TCP between `from` and `to` (IPv4 loopback addresses of the lab).
Result<NetworkRates> measure_network(const std::string& from, const std::string& to);

// A node's per-file costs from two pilot labs shaped like the lab (same node
// count, scheme and disks per node): one empty, one holding `files` files of
// `file_sizes` (cycled). Each rebuilds disk_to_rebuild() and then adds
// `increment` nodes; the empty pilot's times are the fixed costs (map
// installs, listings, settling), the difference per file is the per-file
// cost.
struct PilotCosts {
  double put_file_s = 0;      // client put, one at a time, per file
  double heal_fixed_s = 0;    // the empty pilot's rebuild
  double heal_file_s = 0;     // per file the rebuilding node rebuilds
  double move_fixed_s = 0;    // the empty pilot's rebalance
  double move_file_s = 0;     // per file a node sends away
  uint64_t heal_files = 0;    // rebuilt in the pilot with files
  uint64_t move_files = 0;    // moved in the pilot with files
};
Result<PilotCosts> measure_pilots(const LabSpec& shape, uint32_t increment, uint32_t files,
                                  const std::vector<uint64_t>& file_sizes, const CalibrateProgress& progress);

// The disk a drill rebuilds: the first member of the map's first live group
// (a fixed pool's spares hold nothing to rebuild). {node id, the disk's
// position among the node's disks in service}, as `cairn lab replace-disk`
// takes them.
std::pair<uint32_t, uint32_t> disk_to_rebuild(const ClusterMap& map);

// A deterministic file of `size` bytes for sample `i`: the files the pilots
// and `cairn bench lifecycle` store.
std::vector<std::byte> calibration_file(uint64_t size, uint64_t i);

}  // namespace cairn
