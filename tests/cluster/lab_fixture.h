// A lab cluster for an end-to-end test: real cairn-node processes on
// loopback, in a fresh temporary folder, stopped and removed afterwards.
// Ports come from the test process id so tests running in parallel do not
// collide.
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "cluster-ref/client.h"
#include "cluster-ref/lab.h"

namespace cairn::testing {

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
