#include "sim/ledger.h"

#include <algorithm>
#include <numeric>

#include "engine/geometry.h"

namespace cairn::sim {

MemberProfile file_profile(const Scheme& scheme, uint64_t file_bytes) {
  Result<MemberBytes> bytes = member_bytes(scheme, file_bytes);
  CAIRN_ASSERT(bytes.is_ok());
  MemberProfile p;
  for (uint32_t i = 0; i < scheme.width(); ++i) {
    p.stored_bytes.push_back(static_cast<double>(bytes->stored_bytes[i]));
    p.allocated_bytes.push_back(static_cast<double>(bytes->allocated_bytes[i]));
  }
  p.file_bytes = static_cast<double>(file_bytes);
  return p;
}

MemberProfile average_profile(const Scenario& scenario) {
  const Scheme& scheme = scenario.pool.scheme;
  MemberProfile avg;
  avg.stored_bytes.assign(scheme.width(), 0.0);
  avg.allocated_bytes.assign(scheme.width(), 0.0);
  for (const FileSizeBucket& b : scenario.workload.file_sizes) {
    MemberProfile p = file_profile(scheme, b.bytes);
    for (uint32_t i = 0; i < scheme.width(); ++i) {
      avg.stored_bytes[i] += b.file_fraction * p.stored_bytes[i];
      avg.allocated_bytes[i] += b.file_fraction * p.allocated_bytes[i];
    }
    avg.file_bytes += b.file_fraction * p.file_bytes;
  }
  return avg;
}

void Ledger::fit(const PoolMap& map, const Topology& topology) {
  width_ = map.spec.scheme.width();
  size_t groups = map.placement.groups.size();
  files_.resize(groups, 0.0);
  logical_.resize(groups, 0.0);
  stored_.resize(groups * width_, 0.0);
  allocated_.resize(groups * width_, 0.0);
  used_.resize(topology.disk_id_bound(), 0.0);
}

void Ledger::add_files(const PoolMap& map, GroupId g, double files, const MemberProfile& profile) {
  files_[g.value] += files;
  logical_[g.value] += files * profile.file_bytes;
  const Group& group = map.group(g);
  for (uint32_t i = 0; i < width_; ++i) {
    double allocated = files * profile.allocated_bytes[i];
    stored_[g.value * width_ + i] += files * profile.stored_bytes[i];
    allocated_[g.value * width_ + i] += allocated;
    used_[group.members[i].value] += allocated;
  }
}

void Ledger::move_member(GroupId g, uint32_t member, DiskId from, DiskId to) {
  double allocated = allocated_[g.value * width_ + member];
  used_[from.value] -= allocated;
  used_[to.value] += allocated;
}

std::vector<uint64_t> Ledger::member_bytes_per_slot(const PoolMap& map) const {
  std::vector<uint32_t> slots = map.layout.slots_per_group(static_cast<uint32_t>(map.placement.groups.size()));
  std::vector<uint64_t> per_slot(map.layout.slot_count(), 0);
  for (uint32_t s = 0; s < per_slot.size(); ++s) {
    GroupId g(map.layout.slot_group[s]);
    double sum = 0;
    for (uint32_t i = 0; i < width_; ++i) sum += member_stored_bytes(g, i);
    per_slot[s] = static_cast<uint64_t>(sum / width_ / slots[g.value]);
  }
  return per_slot;
}

void Ledger::apply_rebalance(const PoolMap& from, const PoolMap& to, const RebalancePlan& plan,
                             const Topology& topology) {
  CAIRN_ASSERT(plan.moves_deferred == 0);  // the model installs a map whole
  CAIRN_ASSERT(plan.slot_bits >= from.layout.slot_bits);
  fit(to, topology);
  const uint32_t shift = plan.slot_bits - from.layout.slot_bits;
  std::vector<uint32_t> slots_of = from.layout.slots_per_group(static_cast<uint32_t>(from.placement.groups.size()));
  // Fractions of the old contents, taken before any group receives.
  std::vector<double> old_files = files_, old_logical = logical_, old_stored = stored_,
                      old_allocated = allocated_;
  for (const GroupHandoff& h : plan.handoffs) {
    uint32_t a = h.from_group.value, b = h.to_group.value;
    CAIRN_ASSERT(a < slots_of.size() && slots_of[a] > 0 && b < files_.size());
    double f = static_cast<double>(h.slots) / static_cast<double>(uint64_t{slots_of[a]} << shift);
    files_[a] -= f * old_files[a], files_[b] += f * old_files[a];
    logical_[a] -= f * old_logical[a], logical_[b] += f * old_logical[a];
    for (uint32_t i = 0; i < width_; ++i) {
      size_t ia = a * width_ + i, ib = b * width_ + i;
      stored_[ia] -= f * old_stored[ia], stored_[ib] += f * old_stored[ia];
      allocated_[ia] -= f * old_allocated[ia], allocated_[ib] += f * old_allocated[ia];
    }
  }
  recompute_disk_use(to);
}

void Ledger::recompute_disk_use(const PoolMap& map) {
  std::fill(used_.begin(), used_.end(), 0.0);
  for (uint32_t g = 0; g < map.placement.groups.size(); ++g) {
    const Group& group = map.placement.groups[g];
    for (uint32_t i = 0; i < width_; ++i) used_[group.members[i].value] += allocated_[g * width_ + i];
  }
}

std::pair<double, double> Ledger::lose_share(const PoolMap& map, GroupId g, double share) {
  CAIRN_ASSERT(share >= 0 && share <= 1);
  std::pair<double, double> lost{share * files_[g.value], share * logical_[g.value]};
  const Group& group = map.group(g);
  // A whole group is zeroed exactly, so no rounding residue stays behind.
  const double keep = 1.0 - share;
  for (uint32_t i = 0; i < width_; ++i) {
    size_t at = g.value * width_ + i;
    used_[group.members[i].value] -= allocated_[at] * share;
    stored_[at] = share == 1.0 ? 0 : stored_[at] * keep;
    allocated_[at] = share == 1.0 ? 0 : allocated_[at] * keep;
  }
  files_[g.value] = share == 1.0 ? 0 : files_[g.value] * keep;
  logical_[g.value] = share == 1.0 ? 0 : logical_[g.value] * keep;
  return lost;
}

double Ledger::total_logical_bytes() const { return std::accumulate(logical_.begin(), logical_.end(), 0.0); }
double Ledger::total_used_bytes() const { return std::accumulate(used_.begin(), used_.end(), 0.0); }

}  // namespace cairn::sim
