#include "sim/transfers.h"

#include <algorithm>

namespace cairn::sim {
namespace {

void add_flow(TransferSet& t, NodeId from, NodeId to, double bytes) {
  if (from == to || bytes <= 0) return;
  t.node_egress_bytes[from] += bytes;
  t.node_ingress_bytes[to] += bytes;
}

void add_ops(TransferSet& t, DiskId d, const StoreOps& ops, double files) {
  if (ops.device_reads() > 0) t.disk_read_ops[d] += ops.device_reads() * files;
  if (ops.device_writes() > 0) t.disk_write_ops[d] += ops.device_writes() * files;
}

}  // namespace

double TransferSet::bytes_written() const {
  double total = 0;
  for (const auto& [disk, bytes] : disk_write_bytes) total += bytes;
  return total;
}

TransferSet heal_transfers(std::span<const HealPlan> plans, const Topology& topology,
                           double member_bytes_per_file) {
  CAIRN_ASSERT(member_bytes_per_file > 0);
  TransferSet t;
  for (const HealPlan& plan : plans) {
    if (plan.targets.empty()) continue;
    double bytes = static_cast<double>(plan.member_bytes);
    const double files = bytes / member_bytes_per_file;
    bool catch_up = std::all_of(plan.targets.begin(), plan.targets.end(),
                                [](const HealPlan::Target& x) { return x.in_place; });
    if (catch_up) {
      // Writes a member missed while its node was down: small, gathered from
      // peers all over the cluster. Only the returning node's side is
      // modelled (its disks' writes and what it receives); the peers' share
      // of each is too small to matter and would cost an activity apiece.
      for (const HealPlan::Target& target : plan.targets) {
        t.disk_write_bytes[target.disk] += bytes;
        t.node_ingress_bytes[target.decode_node] += bytes * static_cast<double>(plan.source_disks.size());
        add_ops(t, target.disk, heal_target_ops(), files);
        t.node_files[target.decode_node] += files;
      }
      continue;
    }
    for (DiskId source : plan.source_disks) {
      t.disk_read_bytes[source] += bytes;
      add_ops(t, source, heal_source_ops(), files);
    }
    for (const HealPlan::Target& target : plan.targets) {
      t.disk_write_bytes[target.disk] += bytes;
      add_ops(t, target.disk, heal_target_ops(), files);
      t.node_files[target.decode_node] += files;
      NodeId decode = target.decode_node;
      for (DiskId source : plan.source_disks) add_flow(t, topology.disk(source).node, decode, bytes);
      // A decode away from the target's node ships the rebuilt member there.
      add_flow(t, decode, topology.disk(target.disk).node, bytes);
    }
  }
  return t;
}

TransferSet rebalance_transfers(std::span<const DiskFlow> flows, const Topology& topology,
                                double member_bytes_per_file) {
  CAIRN_ASSERT(member_bytes_per_file > 0);
  TransferSet t;
  for (const DiskFlow& f : flows) {
    double bytes = static_cast<double>(f.bytes);
    const double files = bytes / member_bytes_per_file;
    t.disk_read_bytes[f.from] += bytes;
    t.disk_write_bytes[f.to] += bytes;
    add_ops(t, f.from, move_source_ops(), files);
    add_ops(t, f.to, move_target_ops(), files);
    t.node_files[topology.disk(f.from).node] += files;
    add_flow(t, topology.disk(f.from).node, topology.disk(f.to).node, bytes);
  }
  return t;
}

}  // namespace cairn::sim
