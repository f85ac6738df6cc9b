// Ingest in the model: a month's new files charged to the ledger, and the
// steady load they put on disks (the writes) and node links (the primary
// forwarding fragments to the other members; the clients' bytes into the
// primary). Aggregated by default: the month's files spread over the groups
// by their exact share of the hash space; file by file on request: each
// sampled path looked up in the layout and costed by its own size (a test
// checks both agree). Plain data, no SimGrid: the simulation actor hands the
// rates to the platform.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/model_state.h"
#include "sim/transfers.h"

namespace cairn::sim {

struct MonthIngest {
  std::vector<double> group_files;       // files added to each group
  std::vector<double> disk_bytes_per_s;  // by disk id: allocated bytes written
  std::vector<double> disk_ops_per_s;    // by disk id: device operations (write side) of the puts
  std::vector<double> node_bytes_per_s;  // by node id: max(egress, ingress) on the storage network
  std::vector<double> client_in_bytes;   // by node id: file bytes the clients send the primary
  double allocated_bytes = 0;            // all members' allocated bytes, the month's total
};

// The bytes the archive's clients write in `month` (its first year's rate
// grown by annual_growth each whole year).
double month_ingest_bytes(const WorkloadSpec& workload, uint32_t month);
// The bytes that enter this pool in `month`: those written arrive_after_s
// earlier (a tier of a tiered archive), else the month's writes.
double month_arriving_bytes(const WorkloadSpec& workload, uint32_t month);

// Charges `month`'s files to `state.ledger` and returns their load. File by
// file draws sizes and paths from streams seeded by (scenario seed, month).
MonthIngest ingest_month(ModelState& state, uint32_t month, bool file_by_file);

// What left the pool in a month because it passed workload.retention: out
// of the archive, or on to the next tier (WorkloadSpec::moves_on).
struct MonthExpiry {
  double bytes = 0;             // logical
  double files = 0;
  double allocated_bytes = 0;   // freed on the disks, all members
  std::vector<double> disk_ops_per_s;  // by disk id: device operations of the deletes
};

// The logical bytes that reach workload.retention in `month`: those written
// retention earlier (initial_data counts as written at the start); 0 when
// nothing is ever kept that long.
double month_expiring_bytes(const WorkloadSpec& workload, uint32_t month);

// Removes `month`'s expiring data from `state.ledger`, taken evenly from every
// group: the name hash spreads each month's files evenly over the hash
// space, so each group holds the same share of every month's writes (of
// what a group lost, its share is already gone). The share removed is the
// expiring bytes over those held (state.held_bytes).
MonthExpiry expire_month(ModelState& state, uint32_t month);

// Charges the scenario's initial_data to `state.ledger` as stored before the
// run begins (no load: it is already there). File by file, paths and sizes
// come from a stream of their own.
void ingest_initial(ModelState& state, bool file_by_file);

}  // namespace cairn::sim
