// Lookup cost: path -> group through the elastic hash layout, beside two
// baselines measured in the same run: the hash alone, and std::hash (the
// standard library's string hash) over the same PACS-style paths.
#include <benchmark/benchmark.h>

#include <functional>
#include <string>
#include <vector>

#include "engine/sample_paths.h"
#include "engine/pool_map.h"

namespace cairn {
namespace {

const std::vector<std::string>& paths() {
  static const std::vector<std::string> p = sample_paths(1 << 18, 1);
  return p;
}

void BM_StdHash(benchmark::State& state) {
  const auto& p = paths();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(std::hash<std::string_view>{}(p[i++ & (p.size() - 1)]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_StdHash);

void BM_PathHash(benchmark::State& state) {
  const auto& p = paths();
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(path_hash(p[i++ & (p.size() - 1)]));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PathHash);

// Arg: nodes of 12 disks (24 nodes -> 26 fixed groups; declustered ~100
// groups per disk: 2,618 groups for 24 nodes, 218,182 for 2,000).
void BM_Lookup(benchmark::State& state, GroupStrategy strategy) {
  uint32_t nodes = static_cast<uint32_t>(state.range(0));
  Topology t = Topology::uniform(4, nodes, 12, DiskModel{});
  PoolSpec spec{Scheme::erasure(8, 3), FailureDomain::kNode, strategy, DeviceClass::kHdd, 100, 1};
  PoolMap map = *initial_map(t, spec);
  const auto& p = paths();
  size_t i = 0;
  for (auto _ : state) benchmark::DoNotOptimize(map.lookup(p[i++ & (p.size() - 1)]));
  state.SetItemsProcessed(state.iterations());
  state.counters["groups"] = static_cast<double>(map.placement.groups.size());
  state.counters["table_MiB"] = static_cast<double>(map.layout.slot_count()) * 4 / (1 << 20);
}
BENCHMARK_CAPTURE(BM_Lookup, fixed, GroupStrategy::kFixed)->Arg(24)->Arg(1000);
BENCHMARK_CAPTURE(BM_Lookup, declustered, GroupStrategy::kDeclustered)->Arg(24)->Arg(2000);

}  // namespace
}  // namespace cairn
