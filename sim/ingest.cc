#include "sim/ingest.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "engine/random.h"
#include "engine/sample_paths.h"
#include "engine/store_ops.h"

namespace cairn::sim {
namespace {

// The child-seed purpose of the file-by-file streams (simulation.cc owns the others).
constexpr uint64_t kFileStream = 4;
// The files already stored at the start, file by file (`initial_data`).
constexpr uint64_t kInitialStream = 5;

// Calls charge(group, files, profile) for each file of the month, or for each
// group's share when aggregated.
template <class Charge>
void spread_files(const ModelState& st, uint64_t stream, bool file_by_file, double bytes, Charge charge) {
  const WorkloadSpec& w = st.scenario.workload;
  const PoolMap& map = st.map;
  if (!file_by_file) {
    double files = bytes / st.profile.file_bytes;
    std::vector<double> shares = group_shares(map);
    for (uint32_t g = 0; g < shares.size(); ++g)
      if (shares[g] > 0) charge(g, files * shares[g], st.profile);
    return;
  }
  SplitMix64 rng(stream);
  uint64_t count = static_cast<uint64_t>(std::llround(bytes / st.profile.file_bytes));
  std::vector<MemberProfile> profiles;
  for (const FileSizeBucket& b : w.file_sizes) profiles.push_back(file_profile(map.spec.scheme, b.bytes));
  for (const std::string& path : sample_paths(count, stream)) {
    double u = rng.uniform(), acc = 0;
    size_t bucket = 0;
    while (bucket + 1 < w.file_sizes.size() && u >= (acc += w.file_sizes[bucket].file_fraction)) ++bucket;
    charge(map.lookup(path).value, 1.0, profiles[bucket]);
  }
}

}  // namespace

double month_ingest_bytes(const WorkloadSpec& w, uint32_t month) {
  return w.first_year_bytes / 12.0 * std::pow(1.0 + w.annual_growth, month / 12);
}

double month_arriving_bytes(const WorkloadSpec& w, uint32_t month) {
  const long lag = std::lround(w.arrive_after_s / kSecondsPerMonth);
  if (static_cast<long>(month) < lag) return 0;
  return month_ingest_bytes(w, static_cast<uint32_t>(static_cast<long>(month) - lag));
}

double month_expiring_bytes(const WorkloadSpec& w, uint32_t month) {
  if (w.retention_s <= 0) return 0;
  const long lag = std::lround(w.retention_s / kSecondsPerMonth);
  if (static_cast<long>(month) < lag) return 0;
  double bytes = month_ingest_bytes(w, static_cast<uint32_t>(static_cast<long>(month) - lag));
  if (static_cast<long>(month) == lag) bytes += w.initial_bytes;
  return bytes;
}

MonthExpiry expire_month(ModelState& st, uint32_t month) {
  MonthExpiry out;
  const double bytes = month_expiring_bytes(st.scenario.workload, month);
  if (bytes <= 0 || st.held_bytes <= 0) return out;
  const double share = std::min(1.0, bytes / st.held_bytes);
  st.held_bytes = std::max(0.0, st.held_bytes - bytes);
  out.disk_ops_per_s.assign(st.topology.disk_id_bound(), 0.0);
  const double remove_ops = member_remove_ops().device_writes() + member_remove_ops().device_reads();
  const PoolMap& map = st.map;
  const double used_before = st.ledger.total_used_bytes();
  for (uint32_t g = 0; g < map.placement.groups.size(); ++g) {
    const Group& group = map.placement.groups[g];
    if (group.retired || st.ledger.files(GroupId(g)) <= 0) continue;
    auto [files, logical] = st.ledger.lose_share(map, GroupId(g), share);
    out.files += files;
    out.bytes += logical;
    for (DiskId d : group.members) out.disk_ops_per_s[d.value] += files * remove_ops / kSecondsPerMonth;
  }
  out.allocated_bytes = used_before - st.ledger.total_used_bytes();
  return out;
}

void ingest_initial(ModelState& st, bool file_by_file) {
  const double bytes = st.scenario.workload.initial_bytes;
  st.held_bytes += bytes;
  if (bytes <= 0) return;
  spread_files(st, tie_key(st.scenario.seed, kInitialStream, 0), file_by_file, bytes,
               [&](uint32_t g, double files, const MemberProfile& p) { st.ledger.add_files(st.map, GroupId(g), files, p); });
}

MonthIngest ingest_month(ModelState& st, uint32_t month, bool file_by_file) {
  const PoolMap& map = st.map;
  MonthIngest out;
  out.group_files.assign(map.placement.groups.size(), 0.0);
  std::vector<double> disk_bytes(st.topology.disk_id_bound(), 0.0);
  out.disk_ops_per_s.assign(disk_bytes.size(), 0.0);
  const double put_ops = ingest_member_ops().device_writes();
  std::vector<double> egress(st.topology.node_id_bound(), 0.0), ingress = egress;
  out.client_in_bytes = egress;
  auto charge = [&](uint32_t g, double files, const MemberProfile& p) {
    st.ledger.add_files(map, GroupId(g), files, p);
    out.group_files[g] += files;
    const Group& group = map.placement.groups[g];
    NodeId primary = st.topology.disk(group.members[0]).node;
    out.client_in_bytes[primary.value] += files * p.file_bytes;
    for (uint32_t i = 0; i < group.members.size(); ++i) {
      DiskId d = group.members[i];
      disk_bytes[d.value] += files * p.allocated_bytes[i];
      out.disk_ops_per_s[d.value] += files * put_ops;
      out.allocated_bytes += files * p.allocated_bytes[i];
      NodeId n = st.topology.disk(d).node;
      if (i == 0 || n == primary) continue;
      egress[primary.value] += files * p.stored_bytes[i];
      ingress[n.value] += files * p.stored_bytes[i];
    }
  };
  const double bytes = month_arriving_bytes(st.scenario.workload, month);
  st.held_bytes += bytes;
  spread_files(st, tie_key(st.scenario.seed, kFileStream, month), file_by_file, bytes, charge);
  out.disk_bytes_per_s = std::move(disk_bytes);
  for (double& r : out.disk_bytes_per_s) r /= kSecondsPerMonth;
  for (double& r : out.disk_ops_per_s) r /= kSecondsPerMonth;
  out.node_bytes_per_s.resize(egress.size());
  for (size_t n = 0; n < egress.size(); ++n)
    out.node_bytes_per_s[n] = std::max(egress[n], ingress[n]) / kSecondsPerMonth;
  return out;
}

}  // namespace cairn::sim
