// Reachability: which nodes the cluster can still talk to when top-of-rack
// switches fail. The network the seed describes: each rack has `uplinks`
// stacked top-of-rack switches, all joined to the core; each node is wired
// to every switch of its rack (uplinks = 2: dual-homed; 1: single-homed).
// A node is reachable when some path of live switches joins it to the core.
//
// The decision is a graph question, answered with Boost.Graph: the fabric as
// an undirected graph (core, switches, nodes; failed switches keep no
// edges), and the nodes in the core's connected component. The model calls
// it when a switch fails or returns; a lab controller could call it the same
// way. Pure: no I/O, no clock.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "engine/topology.h"

namespace cairn {

// Switch k of rack r is switch id r * uplinks + k.
inline uint32_t switch_id(RackId rack, uint32_t uplink, uint32_t uplinks) { return rack.value * uplinks + uplink; }
inline uint32_t switch_count(const Topology& topology, uint32_t uplinks) { return topology.rack_count() * uplinks; }

// By node id: whether the node is in service and reachable from the core
// with the switches marked in `switch_down` (by switch id) failed.
std::vector<bool> reachable_nodes(const Topology& topology, uint32_t uplinks, const std::vector<bool>& switch_down);

}  // namespace cairn
