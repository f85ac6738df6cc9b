#include "sim/ledger.h"

#include <algorithm>
#include <map>
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

void Ledger::apply_map_change(const PoolMap& from, const PoolMap& to, const Topology& topology) {
  fit(to, topology);
  uint32_t bits = std::max(from.layout.slot_bits, to.layout.slot_bits);
  uint32_t shift_from = bits - from.layout.slot_bits, shift_to = bits - to.layout.slot_bits;
  std::map<std::pair<uint32_t, uint32_t>, double> moved_slots;  // (from group, to group)
  std::vector<double> slots_of(from.placement.groups.size(), 0.0);
  for (uint64_t s = 0; s < (uint64_t{1} << bits); ++s) {
    uint32_t a = from.layout.slot_group[s >> shift_from], b = to.layout.slot_group[s >> shift_to];
    slots_of[a] += 1;
    if (a != b) moved_slots[{a, b}] += 1;
  }
  // Fractions of the old contents, taken before any group receives.
  std::vector<double> old_files = files_, old_logical = logical_, old_stored = stored_,
                      old_allocated = allocated_;
  for (const auto& [pair, count] : moved_slots) {
    auto [a, b] = pair;
    double f = count / slots_of[a];
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
