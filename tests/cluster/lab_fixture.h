// A lab cluster for an end-to-end test: real cairn-node processes on
// loopback, in a fresh temporary folder, stopped and removed afterwards.
// Ports come from the test process id so tests running in parallel do not
// collide.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "cluster-ref/client/client.h"
#include "cluster-ref/lab/lab.h"
#include "engine/random.h"

namespace cairn::testing {

// File i of a seeded run: min_bytes + up to spread_bytes of seeded bytes,
// recomputed when the file is read back.
inline std::vector<std::byte> seeded_file(uint64_t seed, uint32_t i, uint64_t min_bytes, uint64_t spread_bytes) {
  SplitMix64 rng(seed ^ (uint64_t{i} * 0x9e3779b97f4a7c15ULL));
  std::vector<std::byte> out(min_bytes + rng.below(spread_bytes));
  for (auto& b : out) b = static_cast<std::byte>(rng.next());
  return out;
}

// The run's seed: CAIRN_TEST_SEED, else `fallback`; printed with the way to replay it.
inline uint64_t test_seed(uint64_t fallback) {
  const char* env = std::getenv("CAIRN_TEST_SEED");
  const uint64_t seed = env != nullptr ? std::strtoull(env, nullptr, 10) : fallback;
  std::printf("seed=%llu (replay with CAIRN_TEST_SEED=%llu)\n", static_cast<unsigned long long>(seed),
              static_cast<unsigned long long>(seed));
  return seed;
}

class LabCluster {
 public:
  LabCluster(uint32_t nodes, uint32_t disks_per_node, Scheme scheme, uint64_t disk_capacity_bytes = uint64_t{4} << 30) {
    char pattern[] = "/tmp/cairn-lab-XXXXXX";
    const char* made = mkdtemp(pattern);
    CAIRN_ASSERT(made != nullptr);
    spec_.dir = made;
    spec_.nodes = nodes;
    spec_.disks_per_node = disks_per_node;
    spec_.scheme = scheme;
    spec_.disk_capacity_bytes = disk_capacity_bytes;
    spec_.base_port = static_cast<uint16_t>(20000 + (::getpid() % 9000) * 5);
  }
  ~LabCluster() {
    lab_down(spec_.dir);
    if (std::getenv("CAIRN_KEEP_LAB") == nullptr) std::filesystem::remove_all(spec_.dir);
  }
  Status up() { return lab_up(spec_, CAIRN_NODE_BIN); }
  Status kill(uint32_t node) { return lab_kill(spec_.dir, node); }
  Status start(uint32_t node) { return lab_start(spec_.dir, node, CAIRN_NODE_BIN); }
  std::filesystem::path cluster_file() const { return spec_.dir / "cluster.yaml"; }
  std::filesystem::path node_binary() const { return CAIRN_NODE_BIN; }
  const LabSpec& spec() const { return spec_; }

 private:
  LabSpec spec_;
};

}  // namespace cairn::testing
