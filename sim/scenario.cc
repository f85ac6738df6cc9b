#include "sim/scenario.h"

namespace cairn::sim {

double WorkloadSpec::mean_file_bytes() const {
  double mean = 0;
  for (const FileSizeBucket& b : file_sizes) mean += b.file_fraction * static_cast<double>(b.bytes);
  return mean;
}

PoolSpec Scenario::pool_spec() const {
  return {pool.scheme, pool.domain, pool.strategy, cluster.disk.device_class,
          pool.member_slots_per_disk, seed};
}

}  // namespace cairn::sim
