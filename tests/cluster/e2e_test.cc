// End to end (label `cluster`): a 6-node lab cluster of real cairn-node
// processes takes 2,000 files of 1 KiB to 2 MiB from four client threads
// while one node is killed with SIGKILL and brought back, then another;
// afterwards every acknowledged file reads back byte-identical
// and, once heals are done, every member of every group agrees.
//
// Seeded: CAIRN_TEST_SEED replays a run (file sizes and contents).
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <thread>

#include "engine/random.h"
#include "lab_fixture.h"

namespace cairn {
namespace {

uint64_t test_seed() { return testing::test_seed(20261125); }

// File i: a size log-uniform in [1 KiB, 2 MiB] (small files dominate, as in
// PACS) and seeded contents, both recomputed when the file is read back.
std::vector<std::byte> file_bytes(uint64_t seed, uint32_t i) {
  SplitMix64 rng(seed ^ (uint64_t{i} * 0x9e3779b97f4a7c15ULL));
  const double log_size = std::log(1024.0) + rng.uniform() * (std::log(2.0 * 1024 * 1024) - std::log(1024.0));
  std::vector<std::byte> out(static_cast<size_t>(std::exp(log_size)));
  for (size_t b = 0; b < out.size(); b += 8) {
    const uint64_t word = rng.next();
    for (size_t k = 0; k < 8 && b + k < out.size(); ++k) out[b + k] = static_cast<std::byte>(word >> (8 * k));
  }
  return out;
}

std::string path_of(uint32_t i) {
  return "/2026/11/25/CT/1.2.840." + std::to_string(i / 100) + "/IM-" + std::to_string(i) + ".dcm";
}

void run_drill(Scheme scheme) {
  const uint64_t seed = test_seed();
  constexpr uint32_t kFiles = 2000;
  testing::LabCluster lab(6, 4, scheme);
  ASSERT_TRUE(lab.up().is_ok());
  auto client = Client::open(lab.cluster_file());
  ASSERT_TRUE(client.is_ok()) << client.status().message();

  std::vector<std::atomic<bool>> acked(kFiles);
  std::atomic<uint32_t> next{0}, done{0}, refused{0};
  std::mutex print;
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&] {
      for (uint32_t i; (i = next.fetch_add(1)) < kFiles;) {
        auto reply = (*client)->put(path_of(i), file_bytes(seed, i), 0);
        if (reply) {
          acked[i] = true;
        } else if (refused.fetch_add(1) < 10) {
          std::lock_guard lock(print);
          std::printf("refused %s: %s\n", path_of(i).c_str(), reply.status().message().c_str());
        }
        done.fetch_add(1);
      }
    });
  }
  // The fault drill, driven by progress: kill -9 node 2 at 20 %, bring it
  // back at 45 %; kill -9 node 4 at 60 % and start it again at 80 %.
  auto at = [&](double fraction) {
    while (done.load() < fraction * kFiles) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  };
  at(0.20);
  ASSERT_TRUE(lab.kill(2).is_ok());
  at(0.45);
  ASSERT_TRUE(lab.start(2).is_ok());
  at(0.60);
  ASSERT_TRUE(lab.kill(4).is_ok());
  // Reads fall over: with node 4 down, files it holds a part of read back.
  uint32_t read_while_down = 0;
  for (uint32_t i = 0; i < kFiles && read_while_down < 50; ++i) {
    if (!acked[i]) continue;
    auto file = (*client)->get(path_of(i));
    EXPECT_TRUE(file.is_ok() && file->data == file_bytes(seed, i))
        << path_of(i) << " with node 4 down: " << (file ? "content differs" : file.status().message());
    ++read_while_down;
  }
  EXPECT_EQ(read_while_down, 50U);
  at(0.80);
  ASSERT_TRUE(lab.start(4).is_ok());
  for (auto& w : writers) w.join();
  uint32_t acked_count = 0;
  for (auto& a : acked) acked_count += a ? 1U : 0U;
  std::printf("%s: %u acknowledged, %u refused (reported to the writer)\n", scheme.to_string().c_str(),
              acked_count, refused.load());
  EXPECT_EQ(acked_count + refused.load(), kFiles);
  EXPECT_GT(acked_count, kFiles * 9 / 10);

  // Every acknowledged file, byte for byte.
  uint32_t wrong = 0;
  for (uint32_t i = 0; i < kFiles; ++i) {
    if (!acked[i]) continue;
    auto file = (*client)->get(path_of(i));
    if (!file || file->data != file_bytes(seed, i)) {
      if (++wrong <= 10) {
        ADD_FAILURE() << path_of(i) << ": " << (file ? "content differs" : file.status().message());
      }
    }
  }
  EXPECT_EQ(wrong, 0U);

  // Heals finish: every member of every group agrees.
  Result<CheckReport> report = Status(StatusCode::kUnavailable, "not checked");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (std::chrono::steady_clock::now() < deadline) {
    report = (*client)->check();
    if (report && report->differing_count == 0 && report->nodes_unreachable.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ASSERT_TRUE(report.is_ok()) << report.status().message();
  EXPECT_EQ(report->differing_count, 0U) << "e.g. " << (report->differing.empty() ? "" : report->differing[0]);
  EXPECT_TRUE(report->nodes_unreachable.empty());
  EXPECT_GE(report->files, acked_count);
  std::printf("%s: %llu files, members agree on %llu\n", scheme.to_string().c_str(),
              static_cast<unsigned long long>(report->files),
              static_cast<unsigned long long>(report->agreeing));
}

// A node restarted with a newer cluster file answers an old client with
// kStaleEpoch; the client fetches the new map from it and retries.
TEST(ClusterEndToEnd, ClientRefreshesItsMapWhenTheEpochMoves) {
  testing::LabCluster lab(3, 1, Scheme::replica(3));
  ASSERT_TRUE(lab.up().is_ok());
  auto client = Client::open(lab.cluster_file());
  ASSERT_TRUE(client.is_ok());
  ASSERT_EQ((*client)->map()->epoch(), 1U);
  const std::vector<std::byte> data(1000, std::byte{7});
  auto first = (*client)->put("/before", data, 0);
  ASSERT_TRUE(first.is_ok()) << first.status().message();

  auto config = load_cluster(lab.cluster_file());
  ASSERT_TRUE(config.is_ok());
  ClusterConfig next = config->config;
  next.epoch = 2;
  std::ofstream(lab.cluster_file()) << to_yaml(next);
  for (uint32_t n = 0; n < 3; ++n) {
    ASSERT_TRUE(lab.kill(n).is_ok());
    ASSERT_TRUE(lab.start(n).is_ok());
  }
  auto put = (*client)->put("/after", data, 0);
  ASSERT_TRUE(put.is_ok()) << put.status().message();
  EXPECT_EQ((*client)->map()->epoch(), 2U);
  auto before = (*client)->get("/before");
  ASSERT_TRUE(before.is_ok()) << before.status().message();
  EXPECT_EQ(before->data, data);
}

// Below the write quorum a put is refused with the counts, never
// acknowledged; a file stored earlier still reads from the one member left.
// A refused write may have reached the coordinator's own disk; heal then
// makes the group agree on it once members return, as for any write whose
// outcome the client did not learn (the client was told it failed).
TEST(ClusterEndToEnd, WritesAreRefusedBelowQuorumAndReadsGoOn) {
  testing::LabCluster lab(3, 1, Scheme::replica(3));
  ASSERT_TRUE(lab.up().is_ok());
  auto client = Client::open(lab.cluster_file());
  ASSERT_TRUE(client.is_ok());
  const std::vector<std::byte> data(70'000, std::byte{3});
  ASSERT_TRUE((*client)->put("/kept", data, 0).is_ok());
  ASSERT_TRUE(lab.kill(1).is_ok());
  ASSERT_TRUE(lab.kill(2).is_ok());
  for (const char* path : {"/refused-1", "/refused-2"}) {
    auto refused = (*client)->put(path, data, 0);
    ASSERT_FALSE(refused.is_ok()) << path;
    EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable);
    // Either the coordinator already knew (members up) or learnt it writing (stored).
    EXPECT_NE(refused.status().message().find("members"), std::string::npos) << refused.status().message();
    std::printf("%s: %s\n", path, refused.status().message().c_str());
  }
  auto kept = (*client)->get("/kept");
  ASSERT_TRUE(kept.is_ok()) << kept.status().message();
  EXPECT_EQ(kept->data, data);
  auto record = (*client)->stat("/kept");  // from the one member's record alone
  ASSERT_TRUE(record.is_ok()) << record.status().message();
  EXPECT_EQ(record->file_bytes, data.size());
  ASSERT_TRUE(lab.start(1).is_ok());
  ASSERT_TRUE(lab.start(2).is_ok());
  Result<CheckReport> report = Status(StatusCode::kUnavailable, "not checked");
  for (int i = 0; i < 60; ++i) {
    report = (*client)->check();
    if (report && report->differing_count == 0 && report->nodes_unreachable.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ASSERT_TRUE(report.is_ok());
  EXPECT_EQ(report->differing_count, 0U);
}

TEST(ClusterEndToEnd, Replica3KeepsEveryAcknowledgedFileThroughCrashes) {
  run_drill(Scheme::replica(3));
}

TEST(ClusterEndToEnd, Ec4Plus2KeepsEveryAcknowledgedFileThroughCrashes) {
  run_drill(Scheme::erasure(4, 2));
}

}  // namespace
}  // namespace cairn
