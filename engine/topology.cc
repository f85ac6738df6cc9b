#include "engine/topology.h"

#include <set>

#include "engine/status.h"

namespace cairn {

Topology Topology::uniform(uint32_t racks, uint32_t nodes, uint32_t disks_per_node,
                           const DiskModel& disk) {
  Topology t;
  SiteId site = t.add_site();
  for (uint32_t r = 0; r < racks; ++r) t.add_rack(site);
  std::vector<DiskModel> models(disks_per_node, disk);
  for (uint32_t n = 0; n < nodes; ++n) t.add_node(RackId(n % racks), models);
  return t;
}

SiteId Topology::add_site() { return SiteId(sites_++); }

RackId Topology::add_rack(SiteId site) {
  CAIRN_ASSERT(site.value < sites_);
  RackId id(static_cast<uint32_t>(racks_.size()));
  racks_.push_back({id, site});
  return id;
}

NodeId Topology::add_node(RackId rack, std::span<const DiskModel> disks) {
  CAIRN_ASSERT(rack.value < racks_.size());
  NodeId id(static_cast<uint32_t>(nodes_.size()));
  NodeInfo node{id, rack, {}, false};
  for (const DiskModel& m : disks) {
    DiskId d(static_cast<uint32_t>(disks_.size()));
    disks_.push_back({d, id, rack, m, false});
    node.disks.push_back(d);
  }
  nodes_.push_back(std::move(node));
  return id;
}

std::vector<NodeId> Topology::add_nodes_spread(uint32_t count, uint32_t disks_per_node,
                                               const DiskModel& disk) {
  CAIRN_ASSERT(!racks_.empty());
  std::vector<uint32_t> live_per_rack(racks_.size(), 0);
  for (const NodeInfo& n : nodes_)
    if (!n.retired) ++live_per_rack[n.rack.value];
  std::vector<DiskModel> models(disks_per_node, disk);
  std::vector<NodeId> added;
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t best = 0;
    for (uint32_t r = 1; r < live_per_rack.size(); ++r)
      if (live_per_rack[r] < live_per_rack[best]) best = r;
    added.push_back(add_node(RackId(best), models));
    ++live_per_rack[best];
  }
  return added;
}

DiskId Topology::add_disk(NodeId node, const DiskModel& model) {
  NodeInfo& n = nodes_[node.value];
  CAIRN_ASSERT(!n.retired);
  DiskId d(static_cast<uint32_t>(disks_.size()));
  disks_.push_back({d, node, n.rack, model, false});
  n.disks.push_back(d);
  return d;
}

void Topology::retire_node(NodeId node) {
  NodeInfo& n = nodes_[node.value];
  n.retired = true;
  for (DiskId d : n.disks) disks_[d.value].retired = true;
}

void Topology::retire_disk(DiskId disk) { disks_[disk.value].retired = true; }

uint32_t Topology::domain_of(DiskId disk, FailureDomain domain) const {
  const DiskInfo& d = disks_[disk.value];
  switch (domain) {
    case FailureDomain::kDisk: return d.id.value;
    case FailureDomain::kNode: return d.node.value;
    case FailureDomain::kRack: return d.rack.value;
  }
  CAIRN_ASSERT(false);
  return 0;
}

std::vector<DiskId> Topology::live_disks() const {
  std::vector<DiskId> out;
  for (const DiskInfo& d : disks_)
    if (!d.retired) out.push_back(d.id);
  return out;
}

std::vector<NodeId> Topology::live_nodes() const {
  std::vector<NodeId> out;
  for (const NodeInfo& n : nodes_)
    if (!n.retired) out.push_back(n.id);
  return out;
}

uint32_t Topology::live_domain_count(FailureDomain domain) const {
  std::set<uint32_t> seen;
  for (const DiskInfo& d : disks_)
    if (!d.retired) seen.insert(domain_of(d.id, domain));
  return static_cast<uint32_t>(seen.size());
}

uint64_t Topology::live_capacity_bytes() const {
  uint64_t total = 0;
  for (const DiskInfo& d : disks_)
    if (!d.retired) total += d.model.capacity_bytes;
  return total;
}

}  // namespace cairn
