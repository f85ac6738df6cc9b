// Front traffic: one month of the client and management networks (the
// networks in front of the storage network) as SimGrid communications, and
// how busy each node's NIC on them was.
//
// Each month, for every node in service and up at the month's start:
//  - client, in: the month's ingest arriving at the primaries on the node, as
//    whole files (the engine's per-group charge in Controller::ingest: files
//    times logical bytes per file, to the node of member 0, the primary);
//  - client, out: the reads the node serves, in x r / (1 - r) for the
//    scenario's read_fraction r (reads / (reads + writes), by bytes). A read
//    is served by its group's primary, like a write, and reads follow the
//    month's ingest: an archive's files are read mostly in their first
//    months, and the layout spreads recent files as it spreads ingest;
//  - management: the node's status replies to the monitoring station, one
//    kStatusReplyBytes reply every kStatusPeriodS.
// Each is one comm, started at the month's start, across the node's NIC on
// that network (platform.h). Alone on its NIC a comm lasts latency +
// bytes / bandwidth. A NIC's busy fraction for the month is its comm's
// duration over the month's length: above 1 the month's traffic did not fit
// in the month, and what is left shares the NIC with the next month's comm.
// Nodes with the same bytes may share one comm (see FrontMonth::launch).
//
// A node down at the month's start (in an outage) gets no comm that month: its
// clients wait or use other members, which the model does not follow. The
// model keeps hosts on through outages, as on the storage network, so a comm
// does not fail when an outage starts mid-month; a comm that fails anyway (a
// host turned off) counts as not measured (busy 0) and the run goes on.
// Comms still running at the horizon are cancelled, their busy fraction
// estimated as if the rest ran alone at the NIC's full bandwidth.
//
// Owned by the simulation actor and the month's waiting actor; SimGrid runs
// one actor at a time.
#pragma once

#include <simgrid/s4u.hpp>

#include <memory>
#include <vector>

#include "sim/platform.h"

namespace cairn::sim {

// What a monitoring station polls from each node: a Status reply (about a
// kilobyte of JSON, cluster-ref/node.h) every ten seconds.
inline constexpr double kStatusReplyBytes = 1024;
inline constexpr double kStatusPeriodS = 10;

// One node's traffic in one month, bytes.
struct NodeFrontBytes {
  uint32_t node = 0;
  double client_in = 0;
  double client_out = 0;
  double management = 0;
};

// The month's front traffic of the nodes up at its start: `ingest_by_node` is
// the client-in bytes by node id, `up` whether each node is in service and up.
// `read_bytes` leave the nodes in proportion to what they took in (each
// primary serves what it ingested; a node down serves none of its share),
// evenly over the nodes up when nothing came in.
std::vector<NodeFrontBytes> front_bytes(const std::vector<double>& ingest_by_node, const std::vector<bool>& up,
                                        double read_bytes);
// The month's reads as bytes, from the share of reads in all traffic.
double reads_for(double ingest_bytes, double read_fraction);

// The month's busiest NIC on each network: busy = comm duration / month.
struct FrontBusy {
  double client = 0;      // max over nodes of the client NIC's in and out
  uint32_t client_node = 0;
  FrontFlow client_flow = FrontFlow::kClientIn;
  double management = 0;  // max over nodes
};

// One month's comms, from launch() to the end of the last one.
class FrontMonth {
 public:
  // Starts every non-empty flow of `traffic` at once, from an actor on
  // `host` that waits for them. With `nics_idle` (no earlier month's comm
  // still running), nodes with the same bytes of one flow share one comm, on
  // the first of them: their NICs are alike and idle, so SimGrid would give
  // each the same duration, and a large fixed pool has only a few distinct
  // byte counts among its nodes.
  static std::shared_ptr<FrontMonth> launch(const Platform& platform, simgrid::s4u::Host* host,
                                            const std::vector<NodeFrontBytes>& traffic, bool nics_idle);
  // Every comm has ended (or failed).
  bool ended() const { return open_ == 0; }

  // At the horizon: cancels the comms still running, estimating their end.
  void settle(double now_s);
  // The month's busiest NICs; final once every comm ended or settle() ran.
  const FrontBusy& busy() const { return busy_; }

 private:
  struct Flow {
    std::vector<uint32_t> nodes;  // whose NICs it stands for; it runs on the first
    FrontFlow flow = FrontFlow::kClientIn;
    uint64_t bytes = 0;
    double bytes_per_s = 0;  // its NIC's bandwidth
    simgrid::s4u::CommPtr comm;
    double end_s = -1;  // negative: still running, or failed
  };
  void start_and_wait(const Platform& platform);
  void note(const Flow& f);

  std::vector<Flow> flows_;
  size_t open_ = 0;  // flows not yet ended
  double start_s_ = 0;
  bool settled_ = false;
  FrontBusy busy_;
};

}  // namespace cairn::sim
