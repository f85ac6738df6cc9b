// Platform: the SimGrid side of the model — hosts, disks and the storage
// network built from the scenario, and the activities that carry out
// TransferSets on them.
//
// SimGrid seals the platform when the run starts, so every node the scenario
// may ever hold (node_slots(): max_nodes, more with refresh) is created up front and switched off
// until bought; each node has the scenario's disk slots, and a disk that
// replaces a failed one reuses its slot's SimGrid disk.
//
// Network: a star (a non-blocking switch). Each node's storage NIC is a
// split-duplex link. Heals and rebalances are background work: each node's
// link and each disk offer them what is left after the month's foreground
// load (client ingest and its replication, modelled as a steady reservation
// because it runs at a constant average rate), capped by the heal budgets per
// node and per disk. Heal flows pass a switch port of unlimited bandwidth;
// rebalance flows pass a port whose bandwidth is the cluster-wide rebalance
// budget, so all rebalancing together never exceeds it.
//
// The client and management networks sit in the same star, on links of their
// own: each node slot has a client NIC and a management NIC (split-duplex, the
// scenario's bandwidth and latency for that network). A star zone gives a host
// one route, so each NIC has a host of its own (node-N-client, node-N-mgmt)
// standing for that side of the node, switched on with the node. Across the
// switch sit `clients` (the hospital's PACS gateways and viewers) and
// `management` (the monitoring station), each on a port of unlimited
// bandwidth, so a node's NIC is the only limit on its traffic. These links
// carry no storage traffic and the storage links none of theirs: the two never
// compete (front_traffic.h says what crosses them each month).
//
// Disks pay per operation as well as per byte: a device operation (a flush,
// a cold read; engine/store_ops.h) takes 1 / ops_per_s of the disk's time,
// so an activity carrying `ops` operations and `bytes` bytes is sized
// bytes + ops × bandwidth / ops_per_s on that side of the disk — the bytes
// the disk could have moved meanwhile. Background budgets and foreground
// load are in the same currency: a disk busy with small-file ingest leaves
// heals less of its time.
//
// A node's per-file work (scenario cluster.node.per_file: round trips,
// checksums, decoding) runs on the node's host as an execution of
// files × seconds-per-file, beside its disk and network activities; a job
// ends when the slowest of them does.
//
// Owned by the simulation actor; SimGrid is single-threaded.
#pragma once

#include <simgrid/s4u.hpp>

#include <vector>

#include "engine/topology.h"
#include "sim/scenario.h"
#include "sim/transfers.h"

namespace cairn::sim {

// A node's traffic on the client and management networks.
enum class FrontFlow : uint8_t {
  kClientIn,    // clients -> node: ingest
  kClientOut,   // node -> clients: reads
  kManagement,  // node -> monitoring station: status
};

class Platform {
 public:
  // Builds hosts, disks and links in `engine` for node_slots() nodes;
  // call before Engine::run(). Nodes beyond `initial_nodes` start off.
  Platform(simgrid::s4u::Engine& engine, const Scenario& scenario);

  simgrid::s4u::Host* controller_host() const { return hub_; }
  void turn_on_node(uint32_t node_index);
  // Engine disk `d` lives in `slot` of node `node_index` (a replacement takes
  // the failed disk's slot, and so its SimGrid disk).
  void bind_disk(DiskId d, uint32_t node_index, uint32_t slot);
  simgrid::s4u::Disk* disk_of(DiskId d) const;

  // Foreground load for the coming month, bytes per second: ingest written
  // per disk and replicated per node. Sets what background work may use.
  void set_foreground(const std::vector<double>& disk_write_bytes_per_s,
                      const std::vector<double>& disk_write_ops_per_s,
                      const std::vector<double>& node_storage_bytes_per_s);

  // Starts every activity of `t` and returns them (in no particular order).
  std::vector<simgrid::s4u::ActivityPtr> start(const TransferSet& t, bool rebalance) const;

  // Starts `bytes` of `flow` across node `node_index`'s NIC on that network.
  simgrid::s4u::CommPtr start_front(uint32_t node_index, FrontFlow flow, double bytes) const;
  // Bandwidth of one node's NIC on the network `flow` crosses, bytes per second.
  double front_bytes_per_s(FrontFlow flow) const;

 private:
  // What one device operation costs each side of a disk, in the bytes it
  // could have moved meanwhile.
  double read_bytes_per_op() const;
  double write_bytes_per_op() const;
  // A node host's speed: per-file work of s seconds is s × this many flops.
  static constexpr double kNodeFlopsPerS = 1e9;

  const Scenario& scenario_;
  simgrid::s4u::Host* hub_ = nullptr;            // heal port, controller's host
  simgrid::s4u::Host* rebalance_hub_ = nullptr;  // rebalance port
  std::vector<simgrid::s4u::Host*> nodes_;
  std::vector<simgrid::s4u::Link*> node_links_;
  simgrid::s4u::Host* clients_ = nullptr;      // PACS gateways and viewers
  simgrid::s4u::Host* management_ = nullptr;   // the monitoring station
  std::vector<simgrid::s4u::Host*> client_sides_, management_sides_;  // by node
  std::vector<std::vector<simgrid::s4u::Disk*>> slots_;  // by node, slot
  std::vector<simgrid::s4u::Disk*> by_disk_;             // by engine disk id
};

}  // namespace cairn::sim
