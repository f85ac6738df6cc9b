#include "engine/reachability.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>

#include "engine/status.h"

namespace cairn {

std::vector<bool> reachable_nodes(const Topology& t, uint32_t uplinks, const std::vector<bool>& switch_down) {
  CAIRN_ASSERT(uplinks >= 1 && switch_down.size() >= switch_count(t, uplinks));
  using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
  // Vertices: 0 the core, 1.. the switches, then the nodes.
  const uint32_t switches = switch_count(t, uplinks), nodes = t.node_id_bound();
  Graph g(1 + switches + nodes);
  for (uint32_t s = 0; s < switches; ++s)
    if (!switch_down[s]) boost::add_edge(0, 1 + s, g);
  for (uint32_t n = 0; n < nodes; ++n) {
    const NodeInfo& node = t.node(NodeId(n));
    if (node.retired) continue;
    for (uint32_t k = 0; k < uplinks; ++k) {
      const uint32_t s = switch_id(node.rack, k, uplinks);
      if (!switch_down[s]) boost::add_edge(1 + s, 1 + switches + n, g);
    }
  }
  std::vector<int> component(boost::num_vertices(g));
  boost::connected_components(g, component.data());
  std::vector<bool> out(nodes, false);
  for (uint32_t n = 0; n < nodes; ++n)
    out[n] = !t.node(NodeId(n)).retired && component[1 + switches + n] == component[0];
  return out;
}

}  // namespace cairn
