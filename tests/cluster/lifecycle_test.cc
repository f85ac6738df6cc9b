// End to end (label `cluster`): the reference cluster's lifecycle on the
// engine's plans, for replica:3 and ec:4+2 on labs of real cairn-node
// processes — a disk swapped for an empty one is rebuilt; nodes added while
// a writer keeps writing take their share by a rebalance; a node retired is
// drained first. After each, every acknowledged file reads back
// byte-identical, `check --deep` finds every member agreeing, and the
// cluster is settled (no migration, no heals in its map).
//
// Seeded: CAIRN_TEST_SEED replays a run (file sizes and contents).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "cluster-ref/lab/lab_lifecycle.h"
#include "engine/random.h"
#include "lab_fixture.h"

namespace cairn {
namespace {

namespace fs = std::filesystem;

uint64_t test_seed() { return testing::test_seed(20261205); }

// File i: 16 KiB to 400 KiB of seeded bytes (PACS slices are small).
std::vector<std::byte> file_bytes(uint64_t seed, uint32_t i) { return testing::seeded_file(seed, i, 16 * 1024, 384 * 1024); }

std::string path_of(uint32_t i) {
  return "/2026/12/05/CT/1.2.840." + std::to_string(i / 50) + "/IM-" + std::to_string(i) + ".dcm";
}

LifecycleOptions quiet() {
  LifecycleOptions o;
  o.timeout = std::chrono::seconds(300);
  o.progress = [](const std::string& line) { std::printf("  %s\n", line.c_str()); };
  return o;
}

// Every acknowledged file reads back byte-identical, and every member of
// every group agrees by content, through a client opened on the lab's
// cluster file as it is now.
void expect_settled_and_intact(const testing::LabCluster& lab, uint64_t seed, const std::vector<uint32_t>& acked) {
  auto client = Client::open(lab.cluster_file());
  ASSERT_TRUE(client.is_ok()) << client.status().message();
  const ClusterMap& map = *(*client)->map();
  EXPECT_FALSE(map.previous.has_value()) << "the map still names a migration";
  EXPECT_TRUE(map.heals.empty()) << "the map still names heals";
  for (uint32_t i : acked) {
    auto got = (*client)->get(path_of(i));
    ASSERT_TRUE(got.is_ok()) << path_of(i) << ": " << got.status().message();
    EXPECT_TRUE(got->data == file_bytes(seed, i)) << path_of(i);
  }
  auto deep = (*client)->check(true);
  ASSERT_TRUE(deep.is_ok()) << deep.status().message();
  EXPECT_EQ(deep->differing_count, 0U) << (deep->differing.empty() ? "" : deep->differing[0]);
  EXPECT_EQ(deep->corrupt_members, 0U);
  EXPECT_TRUE(deep->nodes_unreachable.empty());
  EXPECT_GE(deep->files, acked.size());
}

std::vector<uint32_t> put_files(Client& client, uint64_t seed, uint32_t first, uint32_t count) {
  std::vector<uint32_t> acked;
  for (uint32_t i = first; i < first + count; ++i) {
    auto reply = client.put(path_of(i), file_bytes(seed, i), 0);
    EXPECT_TRUE(reply.is_ok()) << path_of(i) << ": " << reply.status().message();
    if (reply) acked.push_back(i);
  }
  return acked;
}

// Parts a disk's folder holds (files under data/).
size_t parts_in(const fs::path& disk) {
  if (!fs::exists(disk / "data")) return 0;
  size_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(disk / "data")) n += e.is_regular_file() ? size_t{1} : size_t{0};
  return n;
}

void replace_disk_drill(Scheme scheme) {
  const uint64_t seed = test_seed();
  testing::LabCluster lab(6, 2, scheme);
  ASSERT_TRUE(lab.up().is_ok());
  auto client = Client::open(lab.cluster_file());
  ASSERT_TRUE(client.is_ok());
  const std::vector<uint32_t> acked = put_files(**client, seed, 0, 80);
  const fs::path disk = fs::path((*client)->map()->node(NodeId(1)).disks[0].path);
  const size_t before = parts_in(disk);
  ASSERT_GT(before, 0U);

  auto report = lab_replace_disk(lab.spec().dir, 1, 0, quiet());
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  EXPECT_EQ(report->what, "rebuild");
  EXPECT_EQ(report->files, before) << "every part the old disk held is rebuilt on the new one";
  EXPECT_EQ(parts_in(disk), before);
  EXPECT_EQ(report->epoch_to, report->epoch_from + 2);
  expect_settled_and_intact(lab, seed, acked);
}

// A writer keeps writing from before the map changes until after it settles.
void add_nodes_drill(Scheme scheme, uint32_t nodes, uint32_t added) {
  const uint64_t seed = test_seed();
  testing::LabCluster lab(nodes, 1, scheme);
  ASSERT_TRUE(lab.up().is_ok());
  auto client = Client::open(lab.cluster_file());
  ASSERT_TRUE(client.is_ok());
  std::vector<uint32_t> acked = put_files(**client, seed, 0, 120);

  std::atomic<bool> stop{false};
  std::mutex mutex;
  std::vector<uint32_t> written;
  uint32_t refused = 0;
  std::thread writer([&] {
    for (uint32_t i = 1000; !stop.load(); ++i) {
      auto reply = (*client)->put(path_of(i), file_bytes(seed, i), 0);
      std::lock_guard lock(mutex);
      if (reply) {
        written.push_back(i);
      } else if (refused++ < 5) {
        std::printf("  write refused during the change: %s\n", reply.status().message().c_str());
      }
    }
  });
  auto report = lab_add_nodes(lab.spec().dir, added, lab.node_binary(), quiet());
  // A little more writing on the settled map.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  writer.join();
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  std::printf("  %zu files written during the change, %u refused\n", written.size(), refused);
  EXPECT_GT(written.size(), 0U);
  EXPECT_EQ(report->what, "rebalance");
  EXPECT_GT(report->bytes, 0U);
  ASSERT_GT(report->bytes_planned, 0U);
  // The files written during the move join the plan's bytes; the ratio is
  // reported in the README from `cairn lab add-node` on a quiet cluster.
  std::printf("  moved %llu bytes in %.2f s, engine plan %llu bytes\n", static_cast<unsigned long long>(report->bytes), report->seconds,
              static_cast<unsigned long long>(report->bytes_planned));
  acked.insert(acked.end(), written.begin(), written.end());
  expect_settled_and_intact(lab, seed, acked);
  // The new nodes hold their share.
  auto again = Client::open(lab.cluster_file());
  ASSERT_TRUE(again.is_ok());
  const ClusterMap& map = *(*again)->map();
  ASSERT_EQ(map.config.nodes.size(), nodes + added);
  for (uint32_t n = nodes; n < nodes + added; ++n)
    EXPECT_GT(parts_in(map.node(NodeId(n)).disks[0].path), 0U) << "node " << n << " took no data";
}

void retire_node_drill(Scheme scheme, uint32_t nodes) {
  const uint64_t seed = test_seed();
  testing::LabCluster lab(nodes, 1, scheme);
  ASSERT_TRUE(lab.up().is_ok());
  auto client = Client::open(lab.cluster_file());
  ASSERT_TRUE(client.is_ok());
  const std::vector<uint32_t> acked = put_files(**client, seed, 0, 80);
  const fs::path disk = fs::path((*client)->map()->node(NodeId(0)).disks[0].path);
  ASSERT_GT(parts_in(disk), 0U);

  auto report = lab_retire_node(lab.spec().dir, 0, quiet());
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  EXPECT_EQ(report->what, "drain");
  EXPECT_EQ(parts_in(disk), 0U) << "the drained disk still holds parts";
  EXPECT_EQ(lab_pid(lab.spec().dir, 0), 0) << "the retired node still runs";
  expect_settled_and_intact(lab, seed, acked);
  auto again = Client::open(lab.cluster_file());
  ASSERT_TRUE(again.is_ok());
  EXPECT_TRUE((*again)->map()->config.nodes[0].retired);

  // Retiring another node now leaves a group no spare can mend: refused,
  // and nothing changes.
  const uint64_t epoch = (*again)->map()->epoch();
  auto refused = lab_retire_node(lab.spec().dir, 1, quiet());
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.status().message().find("cannot retire"), std::string::npos) << refused.status().message();
  auto after = Client::open(lab.cluster_file());
  ASSERT_TRUE(after.is_ok());
  EXPECT_EQ((*after)->map()->epoch(), epoch);
}

// A disk dies and is not replaced: the node reports it failed, and `lab
// heal` rebuilds its members on the pool's spare by the engine's plan. With
// no spare left, a second failure is refused and waits for a replacement.
void heal_failed_disk_drill(Scheme scheme) {
  const uint64_t seed = test_seed();
  testing::LabCluster lab(scheme.width() + 1, 1, scheme);  // one spare disk
  ASSERT_TRUE(lab.up().is_ok());
  auto client = Client::open(lab.cluster_file());
  ASSERT_TRUE(client.is_ok());
  const std::vector<uint32_t> acked = put_files(**client, seed, 0, 60);
  const ClusterMap& map = *(*client)->map();
  ASSERT_EQ(map.pool.placement.spares.size(), 1U);
  const DiskId member = map.pool.group(GroupId(0)).members[1];
  const DiskId spare = map.pool.placement.spares[0];
  const size_t parts = parts_in(map.disk_config(member).path);
  ASSERT_GT(parts, 0U);
  fs::remove_all(map.disk_config(member).path);  // the disk dies
  // The node notices within a second or two.
  bool failed = false;
  for (int i = 0; i < 50 && !failed; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    for (const auto& st : (*client)->node_status()) {
      if (!st.is_ok()) continue;
      const nlohmann::json status = nlohmann::json::parse(*st);
      for (const auto& d : status["disks"])
        failed = failed || (d["disk"].get<uint32_t>() == member.value && d["state"] == "failed");
    }
  }
  ASSERT_TRUE(failed) << "the node did not report its disk failed";
  auto report = lab_heal_failed(lab.spec().dir, quiet());
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  EXPECT_EQ(report->files, parts);
  EXPECT_EQ(parts_in(map.disk_config(spare).path), parts) << "the spare took the lost member";
  expect_settled_and_intact(lab, seed, acked);

  auto again = Client::open(lab.cluster_file());
  ASSERT_TRUE(again.is_ok());
  const DiskId next = (*again)->map()->pool.group(GroupId(0)).members[2];
  fs::remove_all((*again)->map()->disk_config(next).path);
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  auto refused = lab_heal_failed(lab.spec().dir, quiet());
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.status().message().find("replace the disk"), std::string::npos) << refused.status().message();
}

TEST(LifecycleE2E, Replica3HealFailedDiskOntoSpare) { heal_failed_disk_drill(Scheme::replica(3)); }
TEST(LifecycleE2E, Ec4Plus2HealFailedDiskOntoSpare) { heal_failed_disk_drill(Scheme::erasure(4, 2)); }

TEST(LifecycleE2E, Replica3ReplaceDisk) { replace_disk_drill(Scheme::replica(3)); }
TEST(LifecycleE2E, Ec4Plus2ReplaceDisk) { replace_disk_drill(Scheme::erasure(4, 2)); }
TEST(LifecycleE2E, Replica3AddNodesWhileWriting) { add_nodes_drill(Scheme::replica(3), 6, 3); }
TEST(LifecycleE2E, Ec4Plus2AddNodesWhileWriting) { add_nodes_drill(Scheme::erasure(4, 2), 6, 6); }
TEST(LifecycleE2E, Replica3RetireNode) { retire_node_drill(Scheme::replica(3), 7); }
TEST(LifecycleE2E, Ec4Plus2RetireNode) { retire_node_drill(Scheme::erasure(4, 2), 7); }

TEST(LifecycleE2E, AnIncrementThatFormsNoWholeGroupIsRefusedNamingTheSmallest) {
  testing::LabCluster lab(6, 1, Scheme::replica(3));
  ASSERT_TRUE(lab.up().is_ok());
  auto refused = lab_add_nodes(lab.spec().dir, 1, lab.node_binary(), quiet());
  ASSERT_FALSE(refused.is_ok());
  EXPECT_NE(refused.status().message().find("the smallest increment that does is 3 nodes"), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(lab_pid(lab.spec().dir, 6), 0) << "no node was started";
}

}  // namespace
}  // namespace cairn
