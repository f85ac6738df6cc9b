#include "sim/platform.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>

namespace sg4 = simgrid::s4u;

namespace cairn::sim {
namespace {

// A switch port faster than anything behind it: the heal path's hub.
constexpr double kUnlimitedBytesPerS = 1e15;
// Background work always keeps a trickle, so a saturated month slows heals
// down instead of stalling them forever.
constexpr double kMinBackgroundFraction = 0.01;

double background(double capacity, double foreground, double budget) {
  return std::max(capacity * kMinBackgroundFraction, std::min(budget, capacity - foreground));
}

void attach(sg4::NetZone* zone, sg4::Host* host, const std::string& name, double bytes_per_s,
            double latency_s, std::vector<sg4::Link*>* links) {
  sg4::Link* link = zone->create_split_duplex_link(name, bytes_per_s)->set_latency(latency_s)->seal();
  zone->add_route(host->get_netpoint(), nullptr, nullptr, nullptr,
                  {{link, sg4::LinkInRoute::Direction::UP}}, true);
  if (links) links->push_back(link);
}

}  // namespace

double Platform::read_bytes_per_op() const {
  const DiskModel& d = scenario_.cluster.disk;
  return static_cast<double>(d.read_bytes_per_s) / d.ops_per_s;
}

double Platform::write_bytes_per_op() const {
  const DiskModel& d = scenario_.cluster.disk;
  return static_cast<double>(d.write_bytes_per_s) / d.ops_per_s;
}

Platform::Platform(sg4::Engine& engine, const Scenario& scenario) : scenario_(scenario) {
  engine.set_config("network/model:CM02");     // bandwidth shares exactly, no TCP factors
  engine.set_config("network/crosstraffic:0");  // acknowledgements are not modelled
  const ClusterSpec& c = scenario.cluster;
  sg4::NetZone* zone = sg4::create_star_zone("storage");
  hub_ = zone->create_host("hub", 1e9)->seal();
  attach(zone, hub_, "hub-port", kUnlimitedBytesPerS, 0, nullptr);
  rebalance_hub_ = zone->create_host("rebalance-hub", 1e9)->seal();
  attach(zone, rebalance_hub_, "rebalance-port", scenario.procurement.rebalance_bytes_per_s, 0, nullptr);
  clients_ = zone->create_host("clients", 1e9)->seal();
  attach(zone, clients_, "clients-port", kUnlimitedBytesPerS, 0, nullptr);
  management_ = zone->create_host("management", 1e9)->seal();
  attach(zone, management_, "management-port", kUnlimitedBytesPerS, 0, nullptr);
  const DiskModel& disk = c.disk;
  for (uint32_t n = 0; n < node_slots(scenario); ++n) {
    std::string name = "node-" + std::to_string(n);
    sg4::Host* host = zone->create_host(name, kNodeFlopsPerS);
    std::vector<sg4::Disk*> slots;
    for (uint32_t s = 0; s < c.disks_per_node; ++s) {
      slots.push_back(host->create_disk("disk-" + std::to_string(s),
                                        background(static_cast<double>(disk.read_bytes_per_s), 0,
                                                   scenario.heal.bytes_per_s_per_disk),
                                        background(static_cast<double>(disk.write_bytes_per_s), 0,
                                                   scenario.heal.bytes_per_s_per_disk))
                          ->seal());
    }
    host->seal();
    attach(zone, host, name + "-nic",
           background(c.storage.bytes_per_s, 0, scenario.heal.bytes_per_s_per_node),
           c.storage.latency_s, &node_links_);
    nodes_.push_back(host);
    slots_.push_back(std::move(slots));
    for (auto [side, spec, sides] : {std::tuple{"-client", &c.client, &client_sides_},
                                     std::tuple{"-mgmt", &c.management, &management_sides_}}) {
      sg4::Host* side_host = zone->create_host(name + side, 1e9)->seal();
      attach(zone, side_host, name + side + "-nic", spec->bytes_per_s, spec->latency_s, nullptr);
      sides->push_back(side_host);
    }
  }
  zone->seal();
  for (uint32_t n = c.initial_nodes; n < nodes_.size(); ++n) {
    nodes_[n]->turn_off();
    client_sides_[n]->turn_off();
    management_sides_[n]->turn_off();
  }
}

void Platform::turn_on_node(uint32_t node_index) {
  nodes_.at(node_index)->turn_on();
  client_sides_.at(node_index)->turn_on();
  management_sides_.at(node_index)->turn_on();
}

void Platform::bind_disk(DiskId d, uint32_t node_index, uint32_t slot) {
  if (by_disk_.size() <= d.value) by_disk_.resize(d.value + 1, nullptr);
  by_disk_[d.value] = slots_.at(node_index).at(slot);
}

sg4::Disk* Platform::disk_of(DiskId d) const {
  CAIRN_ASSERT(d.value < by_disk_.size() && by_disk_[d.value] != nullptr);
  return by_disk_[d.value];
}

void Platform::set_foreground(const std::vector<double>& disk_write_bytes_per_s,
                              const std::vector<double>& disk_write_ops_per_s,
                              const std::vector<double>& node_storage_bytes_per_s) {
  const ClusterSpec& c = scenario_.cluster;
  const HealSpec& h = scenario_.heal;
  // Only changed values are set: every set marks a constraint for SimGrid to
  // solve again, and most months leave most disks' background share alone.
  for (size_t d = 0; d < disk_write_bytes_per_s.size() && d < by_disk_.size(); ++d) {
    if (!by_disk_[d]) continue;
    const double ops = d < disk_write_ops_per_s.size() ? disk_write_ops_per_s[d] : 0.0;
    const double bandwidth = background(static_cast<double>(c.disk.write_bytes_per_s),
                                        disk_write_bytes_per_s[d] + ops * write_bytes_per_op(),
                                        h.bytes_per_s_per_disk);
    if (by_disk_[d]->get_write_bandwidth() != bandwidth) by_disk_[d]->set_write_bandwidth(bandwidth);
  }
  for (size_t n = 0; n < node_storage_bytes_per_s.size() && n < node_links_.size(); ++n) {
    const double bandwidth =
        background(c.storage.bytes_per_s, node_storage_bytes_per_s[n], h.bytes_per_s_per_node);
    if (node_links_[n]->get_bandwidth() != bandwidth) node_links_[n]->set_bandwidth(bandwidth);
  }
}

std::vector<sg4::ActivityPtr> Platform::start(const TransferSet& t, bool rebalance) const {
  std::vector<sg4::ActivityPtr> started;
  sg4::Host* port = rebalance ? rebalance_hub_ : hub_;
  // Each disk side's bytes and operations as one activity.
  std::map<DiskId, double> reads = t.disk_read_bytes, writes = t.disk_write_bytes;
  for (const auto& [disk, ops] : t.disk_read_ops) reads[disk] += ops * read_bytes_per_op();
  for (const auto& [disk, ops] : t.disk_write_ops) writes[disk] += ops * write_bytes_per_op();
  for (const auto& [disk, bytes] : reads)
    started.push_back(disk_of(disk)->read_async(static_cast<sg_size_t>(bytes)));
  for (const auto& [disk, bytes] : writes)
    started.push_back(disk_of(disk)->write_async(static_cast<sg_size_t>(bytes)));
  const double per_file_s = rebalance ? scenario_.cluster.per_file.move_s : scenario_.cluster.per_file.heal_s;
  if (per_file_s > 0) {
    for (const auto& [node, files] : t.node_files)
      // On the node's own host (Host::exec_async would run it on the
      // calling actor's host, the controller's).
      started.push_back(sg4::Exec::init()
                            ->set_flops_amount(files * per_file_s * kNodeFlopsPerS)
                            ->set_host(nodes_.at(node.value))
                            ->start());
  }
  for (const auto& [node, bytes] : t.node_egress_bytes)
    started.push_back(sg4::Comm::sendto_async(nodes_.at(node.value), port, static_cast<uint64_t>(bytes)));
  for (const auto& [node, bytes] : t.node_ingress_bytes)
    started.push_back(sg4::Comm::sendto_async(port, nodes_.at(node.value), static_cast<uint64_t>(bytes)));
  return started;
}

sg4::CommPtr Platform::start_front(uint32_t node_index, FrontFlow flow, double bytes) const {
  const auto size = static_cast<uint64_t>(bytes);
  switch (flow) {
    case FrontFlow::kClientIn: return sg4::Comm::sendto_async(clients_, client_sides_.at(node_index), size);
    case FrontFlow::kClientOut: return sg4::Comm::sendto_async(client_sides_.at(node_index), clients_, size);
    case FrontFlow::kManagement: break;
  }
  return sg4::Comm::sendto_async(management_sides_.at(node_index), management_, size);
}

double Platform::front_bytes_per_s(FrontFlow flow) const {
  return flow == FrontFlow::kManagement ? scenario_.cluster.management.bytes_per_s
                                        : scenario_.cluster.client.bytes_per_s;
}

}  // namespace cairn::sim
