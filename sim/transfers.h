// Transfers: the bytes a heal or rebalance moves, aggregated to what the
// platform model runs — one read per source disk, one write per target
// disk, and one network flow per node each way (egress from sources,
// ingress to targets) through a non-blocking switch. A heal of a whole disk
// is thus a few large flows, never one per file or per group.
// Pure: built from the engine's plans, no SimGrid.
#pragma once

#include <cstdint>
#include <map>
#include <span>

#include "engine/heal.h"
#include "engine/rebalance.h"
#include "engine/topology.h"

namespace cairn::sim {

struct TransferSet {
  std::map<DiskId, double> disk_read_bytes;
  std::map<DiskId, double> disk_write_bytes;
  std::map<NodeId, double> node_egress_bytes;   // storage network, out of the node
  std::map<NodeId, double> node_ingress_bytes;  // storage network, into the node
  double bytes_written() const;
  bool empty() const {
    return disk_read_bytes.empty() && disk_write_bytes.empty() && node_egress_bytes.empty() &&
           node_ingress_bytes.empty();
  }
};

// Each plan reads its sources' member bytes and writes each target's. Every
// source's bytes cross the network to the target's decode node (the plan's
// Target::decode_node, where an erasure-coded rebuild decodes), and the
// rebuilt member from there to the target's node when they differ. A
// catch-up of writes missed during an outage (every target in place) models
// only the returning node: its writes, and the sources' bytes arriving at its
// decode node.
TransferSet heal_transfers(std::span<const HealPlan> plans, const Topology& topology);

// Each flow reads on its source disk, crosses from node to node when the
// nodes differ, and writes on its target disk.
TransferSet rebalance_transfers(std::span<const DiskFlow> flows, const Topology& topology);

}  // namespace cairn::sim
