// Transfers: the bytes a heal or rebalance moves and the disk operations and
// node work its files cost, aggregated to what the platform model runs — one
// read per source disk, one write per target disk, one network flow per node
// each way (egress from sources, ingress to targets) through a non-blocking
// switch, and one stream of per-file work per node. A heal of a whole disk is
// thus a few large activities, never one per file or per group.
//
// Operations per file come from engine/store_ops.h, the store's own list:
// a heal's source is asked for its record and read (heal_source_ops), its
// target asked and written (heal_target_ops); a move's source read and
// removed, its target written and asked. Members a heal neither reads nor
// writes are asked for their record too (one device operation per file);
// that is not charged here. Files per plan or flow are its member bytes over
// the scenario's mean member bytes per file (the ledger is aggregated).
// Pure: built from the engine's plans, no SimGrid.
#pragma once

#include <cstdint>
#include <map>
#include <span>

#include "engine/heal.h"
#include "engine/rebalance.h"
#include "engine/store_ops.h"
#include "engine/topology.h"

namespace cairn::sim {

struct TransferSet {
  std::map<DiskId, double> disk_read_bytes;
  std::map<DiskId, double> disk_write_bytes;
  std::map<NodeId, double> node_egress_bytes;   // storage network, out of the node
  std::map<NodeId, double> node_ingress_bytes;  // storage network, into the node
  // Device operations (store_ops.h), on the disk's read side (records and
  // payloads read) and its write side (flushes).
  std::map<DiskId, double> disk_read_ops;
  std::map<DiskId, double> disk_write_ops;
  std::map<NodeId, double> node_files;  // files of per-file work, by the node doing it
  double bytes_written() const;
  bool empty() const {
    return disk_read_bytes.empty() && disk_write_bytes.empty() && node_egress_bytes.empty() &&
           node_ingress_bytes.empty() && disk_read_ops.empty() && disk_write_ops.empty() && node_files.empty();
  }
};


// Each plan reads its sources' member bytes and writes each target's. Every
// source's bytes cross the network to the target's decode node (the plan's
// Target::decode_node, where an erasure-coded rebuild decodes), and the
// rebuilt member from there to the target's node when they differ. A
// catch-up of writes missed during an outage (every target in place) models
// only the returning node: its writes, and the sources' bytes arriving at its
// decode node.
// `member_bytes_per_file`: what one file costs a member on average (> 0).
// The node that rebuilds a target (its decode node) does the per-file work.
TransferSet heal_transfers(std::span<const HealPlan> plans, const Topology& topology,
                           double member_bytes_per_file);

// Each flow reads on its source disk, crosses from node to node when the
// nodes differ, and writes on its target disk.
// The source's node does the per-file work (its mover sends each part).
TransferSet rebalance_transfers(std::span<const DiskFlow> flows, const Topology& topology,
                                double member_bytes_per_file);

}  // namespace cairn::sim
