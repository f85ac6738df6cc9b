// End to end (label `cluster`): silent corruption and lost member files on a
// lab of real cairn-node processes. A byte flipped in one member's file and
// another member's file deleted under its node are found by a scrub pass and
// repaired from the good members; a read that meets a bad copy is served
// from another member and repairs it at once; `check --deep` sees what a
// comparison of records cannot. Afterwards every file reads back
// byte-identical and every member agrees by content.
//
// Seeded: CAIRN_TEST_SEED replays a run (file sizes and contents).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "engine/random.h"
#include "lab_fixture.h"

namespace cairn {
namespace {

namespace fs = std::filesystem;

uint64_t test_seed() { return testing::test_seed(20261204); }

// File i: 64 KiB to 1 MiB of seeded bytes.
std::vector<std::byte> file_bytes(uint64_t seed, uint32_t i) { return testing::seeded_file(seed, i, 64 * 1024, 960 * 1024); }

std::string path_of(uint32_t i) { return "/2026/12/04/MR/1.2.840.9/IM-" + std::to_string(i) + ".dcm"; }

// Where member `member` of `path`'s group keeps its part on the lab's disks.
fs::path member_file(const ClusterMap& map, const std::string& path, uint32_t member) {
  const DiskId d = map.pool.group(map.pool.lookup(path)).members[member];
  return fs::path(map.node(map.node_of(d)).disks[map.disk_index(d)].path) / ("data" + path);
}

std::vector<char> slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void flip_byte(const fs::path& file) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  ASSERT_TRUE(f.good()) << file;
  f.seekg(1000);
  char c = 0;
  f.read(&c, 1);
  f.seekp(1000);
  c = static_cast<char>(c ^ 0x10);
  f.write(&c, 1);
}

void expect_all_files_intact(Client& client, uint64_t seed, uint32_t files) {
  for (uint32_t i = 0; i < files; ++i) {
    auto got = client.get(path_of(i));
    ASSERT_TRUE(got.is_ok()) << path_of(i) << ": " << got.status().message();
    EXPECT_TRUE(got->data == file_bytes(seed, i)) << path_of(i);
  }
}

// Waits until no node has heals pending (the healer replays its log every
// heal interval and at once when woken).
void wait_healed(Client& client) {
  for (int i = 0; i < 300; ++i) {
    uint64_t pending = 0;
    for (const auto& s : client.node_status()) {
      ASSERT_TRUE(s.is_ok()) << s.status().message();
      pending += nlohmann::json::parse(*s)["heals_pending"].get<uint64_t>();
    }
    if (pending == 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  FAIL() << "heals still pending after 30 s";
}

void scrub_drill(Scheme scheme) {
  const uint64_t seed = test_seed();
  constexpr uint32_t kFiles = 40;
  testing::LabCluster lab(6, 1, scheme);
  ASSERT_TRUE(lab.up().is_ok());
  auto client = Client::open(lab.cluster_file());
  ASSERT_TRUE(client.is_ok()) << client.status().message();
  Client& c = **client;
  for (uint32_t i = 0; i < kFiles; ++i) ASSERT_TRUE(c.put(path_of(i), file_bytes(seed, i), 0).is_ok()) << i;
  const ClusterMap& map = *c.map();

  // Rot: a flipped byte in member 0's part of file 1; member 1's part of
  // file 2 deleted under its node.
  const fs::path rotten = member_file(map, path_of(1), 0);
  const std::vector<char> good = slurp(rotten);
  flip_byte(rotten);
  const fs::path deleted = member_file(map, path_of(2), 1);
  const std::vector<char> deleted_good = slurp(deleted);
  ASSERT_TRUE(fs::remove(deleted));

  // Records alone see only the deleted part.
  auto shallow = c.check(false);
  ASSERT_TRUE(shallow.is_ok());
  EXPECT_EQ(shallow->differing_count, 1U);

  auto scrubbed = c.scrub(true, Millis(120'000), nullptr);
  ASSERT_TRUE(scrubbed.is_ok()) << scrubbed.status().message();
  EXPECT_EQ(scrubbed->payload_corrupt, 1U);
  EXPECT_GE(scrubbed->members_differ, 1U);
  EXPECT_GE(scrubbed->files_verified, kFiles);
  EXPECT_TRUE(scrubbed->nodes_unreachable.empty());

  EXPECT_EQ(slurp(rotten), good) << "the corrupt part was not rebuilt";
  EXPECT_EQ(slurp(deleted), deleted_good) << "the deleted part was not rebuilt";
  auto deep = c.check(true);
  ASSERT_TRUE(deep.is_ok());
  EXPECT_EQ(deep->differing_count, 0U);
  EXPECT_EQ(deep->corrupt_members, 0U);
  EXPECT_EQ(deep->files, kFiles);
  expect_all_files_intact(c, seed, kFiles);

  // A read that meets a bad copy: served from another member, repaired now.
  const fs::path bad = member_file(map, path_of(3), 0);
  const std::vector<char> bad_good = slurp(bad);
  flip_byte(bad);
  auto deep_before = c.check(false);
  ASSERT_TRUE(deep_before.is_ok());
  EXPECT_EQ(deep_before->differing_count, 0U) << "records cannot see a flipped byte";
  auto got = c.get(path_of(3));
  ASSERT_TRUE(got.is_ok()) << got.status().message();
  EXPECT_TRUE(got->data == file_bytes(seed, 3));
  wait_healed(c);
  EXPECT_EQ(slurp(bad), bad_good) << "the read did not repair the bad copy";

  // check --deep finds rot by itself (and its node repairs it).
  flip_byte(bad);
  auto deep_rot = c.check(true);
  ASSERT_TRUE(deep_rot.is_ok());
  EXPECT_EQ(deep_rot->differing_count, 1U);
  EXPECT_EQ(deep_rot->corrupt_members, 1U);
  wait_healed(c);
  auto deep_after = c.check(true);
  ASSERT_TRUE(deep_after.is_ok());
  EXPECT_EQ(deep_after->differing_count, 0U);
  expect_all_files_intact(c, seed, kFiles);
}

TEST(ScrubE2E, Replica3) { scrub_drill(Scheme::replica(3)); }
TEST(ScrubE2E, Ec4Plus2) { scrub_drill(Scheme::erasure(4, 2)); }

}  // namespace
}  // namespace cairn
