// DiskStore under the faults its contract promises to survive: a crash at
// each step of a put (through the test-only fault hook), and puts and reads
// of distinct and identical paths from several threads at once.
#include <gtest/gtest.h>

#include <atomic>
#include <latch>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "tests/cluster/disk_store_testing.h"

namespace cairn::testing_disk {
namespace {

// A hook that stops put() after `step`, once.
DiskStore::FaultHook crash_after(std::string step) {
  return [step, fired = false](std::string_view now) mutable {
    if (fired || now != step) return true;
    fired = true;
    return false;
  };
}

// ---- torn writes ----

TEST_F(DiskStoreTest, CrashAfterTheRenameKeepsTheNewVersionWhole) {
  const auto v1 = pattern(1000, 1), v2 = pattern(1200, 2);
  {
    auto store = open_store();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->put("/s/f", copy_record(v1, 1), v1).is_ok());
    store->set_fault_hook_for_test(crash_after("renamed"));
    const Status crashed = store->put("/s/f", copy_record(v2, 2), v2);
    EXPECT_EQ(crashed.code(), StatusCode::kIoError);
    EXPECT_NE(crashed.message().find("renamed"), std::string::npos) << crashed.message();
    Result<DiskStore::Stored> got = store->read("/s/f");
    ASSERT_TRUE(got) << "record and data moved in one rename: " << got.status().message();
    EXPECT_EQ(got->payload, v2);
    EXPECT_EQ(got->record.version, 2U);
    EXPECT_EQ(store->used_bytes(), 1200U + kRecordBytes);
    EXPECT_EQ(entries_in(root() / "tmp"), 0U);
  }
  auto store = open_store();  // the restart after the crash
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->used_bytes(), 1200U + kRecordBytes);
  EXPECT_EQ(store->read("/s/f")->payload, v2);
}

TEST_F(DiskStoreTest, CrashBeforeAnyRenameLeavesTheOldVersion) {
  const auto v1 = pattern(100, 4), v2 = pattern(200, 5);
  {
    auto store = open_store();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->put("/f", copy_record(v1, 1), v1).is_ok());
    store->set_fault_hook_for_test(crash_after("tmp-synced"));
    EXPECT_EQ(store->put("/f", copy_record(v2, 2), v2).code(), StatusCode::kIoError);
    EXPECT_EQ(store->read("/f")->payload, v1);
    EXPECT_EQ(store->used_bytes(), 100U + kRecordBytes);
    EXPECT_EQ(entries_in(root() / "tmp"), 1U) << "the staged data file a crash leaves behind";
  }
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(entries_in(root() / "tmp"), 0U);
  EXPECT_EQ(store->used_bytes(), 100U + kRecordBytes);
}

TEST_F(DiskStoreTest, CrashDuringFirstPutLeavesNothing) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const auto bytes = pattern(100, 6);
  store->set_fault_hook_for_test(crash_after("tmp-synced"));
  EXPECT_EQ(store->put("/new/f", copy_record(bytes, 1), bytes).code(), StatusCode::kIoError);
  EXPECT_EQ(store->stat("/new/f").status().code(), StatusCode::kNotFound) << "no record, so no file";
  EXPECT_EQ(store->used_bytes(), 0U);
  ASSERT_TRUE(store->put("/new/f", copy_record(bytes, 2), bytes).is_ok());
  EXPECT_EQ(store->read("/new/f")->record.version, 2U);
}

// A crash between a put's rename and its unlink of the other kind leaves a
// data file and a tombstone for one path; the higher version stands for it,
// the tombstone on a tie, and the next put or remove deletes the other.
TEST_F(DiskStoreTest, CrashBetweenRenameAndUnlinkLeavesBothKindsAndTheNewerWins) {
  const auto bytes = pattern(100, 7), more = pattern(150, 8);
  {
    auto store = open_store();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->put("/a", copy_record(bytes, 1), bytes).is_ok());
    store->set_fault_hook_for_test(crash_after("renamed"));
    EXPECT_EQ(store->put("/a", tombstone_record(2), {}).code(), StatusCode::kIoError);
    EXPECT_TRUE(fs::exists(data("/a")) && fs::exists(tombstone("/a"))) << "both kinds on disk";
    EXPECT_TRUE(store->stat("/a")->tombstone) << "version 2 beats 1";
    EXPECT_TRUE(store->read("/a")->record.tombstone);
    EXPECT_EQ(store->used_bytes(), 100U + 2 * kRecordBytes) << "both count until one is deleted";

    ASSERT_TRUE(store->put("/b", tombstone_record(5), {}).is_ok());
    store->set_fault_hook_for_test(crash_after("renamed"));
    EXPECT_EQ(store->put("/b", copy_record(more, 6), more).code(), StatusCode::kIoError);
    EXPECT_EQ(store->read("/b")->payload, more) << "version 6 beats 5";

    ASSERT_TRUE(store->put("/c", copy_record(bytes, 3), bytes).is_ok());
    store->set_fault_hook_for_test(crash_after("renamed"));
    EXPECT_EQ(store->put("/c", tombstone_record(3), {}).code(), StatusCode::kIoError);
    EXPECT_TRUE(store->stat("/c")->tombstone) << "a tie goes to the tombstone";
  }
  auto store = open_store();  // the restart after the crash
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->used_bytes(), 2 * (100U + 2 * kRecordBytes) + 150U + 2 * kRecordBytes);
  Result<DiskStore::Listing> listing = store->list("/", 10);
  ASSERT_TRUE(listing) << listing.status().message();
  ASSERT_EQ(listing->entries.size(), 3U) << "one entry per path";
  EXPECT_TRUE(listing->entries[0].record.tombstone);
  EXPECT_FALSE(listing->entries[1].record.tombstone);
  EXPECT_EQ(listing->entries[1].record.version, 6U);
  EXPECT_TRUE(listing->entries[2].record.tombstone);

  ASSERT_TRUE(store->put("/a", tombstone_record(2), {}).is_ok()) << "heal puts the current version again";
  EXPECT_FALSE(fs::exists(data("/a")));
  ASSERT_TRUE(store->put("/b", copy_record(more, 6), more).is_ok());
  EXPECT_FALSE(fs::exists(tombstone("/b")));
  ASSERT_TRUE(store->remove("/c").is_ok());
  EXPECT_FALSE(fs::exists(data("/c")) || fs::exists(tombstone("/c")));
  EXPECT_EQ(store->used_bytes(), kRecordBytes + 150U + kRecordBytes);
}

TEST_F(DiskStoreTest, CrashAfterTheDirectorySyncKeepsTheNewVersion) {
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const auto bytes = pattern(100, 7);
  store->set_fault_hook_for_test(crash_after("synced"));
  EXPECT_EQ(store->put("/f", copy_record(bytes, 1), bytes).code(), StatusCode::kIoError);
  EXPECT_EQ(store->read("/f")->payload, bytes);
  EXPECT_EQ(store->used_bytes(), 100U + kRecordBytes);
  store->set_fault_hook_for_test(crash_after("synced"));
  EXPECT_EQ(store->put("/f", tombstone_record(2), {}).code(), StatusCode::kIoError);
  EXPECT_TRUE(store->read("/f")->record.tombstone);
  EXPECT_FALSE(fs::exists(data("/f")));
  EXPECT_EQ(store->used_bytes(), kRecordBytes);
}

// ---- threads ----

constexpr size_t kThreads = 4;

TEST_F(DiskStoreTest, ConcurrentPutsOfDistinctPaths) {
  constexpr size_t kPutsPerThread = 4;
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  std::vector<std::map<std::string, std::vector<std::byte>>> written(kThreads);
  std::vector<std::string> failures(kThreads);
  std::latch start(static_cast<std::ptrdiff_t>(kThreads));
  std::vector<std::thread> threads;
  for (size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      SplitMix64 rng(tie_key(test_seed(), t));
      start.arrive_and_wait();
      for (size_t i = 0; i < kPutsPerThread; ++i) {
        // Shared directories, so threads also race to create them.
        const std::string path = "/d" + std::to_string(i % 2) + "/t" + std::to_string(t) + "-" + std::to_string(i);
        const auto bytes = random_bytes(rng, rng.below(4096));
        if (Status s = store->put(path, copy_record(bytes, 1), bytes); !s.is_ok()) failures[t] += s.message() + "\n";
        written[t][path] = bytes;
      }
    });
  }
  for (std::thread& th : threads) th.join();
  uint64_t expected_used = 0;
  size_t files = 0;
  for (size_t t = 0; t < kThreads; ++t) {
    EXPECT_EQ(failures[t], "") << "thread " << t;
    for (const auto& [path, bytes] : written[t]) {
      Result<DiskStore::Stored> got = store->read(path);
      ASSERT_TRUE(got) << path << ": " << got.status().message();
      EXPECT_EQ(got->payload, bytes) << path;
      expected_used += bytes.size() + kRecordBytes;
      ++files;
    }
  }
  EXPECT_EQ(store->used_bytes(), expected_used);
  EXPECT_EQ(store->list("/", 100)->entries.size(), files);
  EXPECT_EQ(entries_in(root() / "tmp"), 0U);
}

TEST_F(DiskStoreTest, ConcurrentPutsOfOnePathLeaveOneWholeWinner) {
  constexpr size_t kPutsPerThread = 2;
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  std::map<uint64_t, std::vector<std::byte>> by_version;
  for (size_t t = 0; t < kThreads; ++t) {
    for (size_t i = 0; i < kPutsPerThread; ++i) {
      SplitMix64 rng(tie_key(test_seed(), 100 + t, i));
      by_version[t * kPutsPerThread + i + 1] = random_bytes(rng, 100 + rng.below(2000));
    }
  }
  std::latch start(static_cast<std::ptrdiff_t>(kThreads));
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (size_t t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      start.arrive_and_wait();
      for (size_t i = 0; i < kPutsPerThread; ++i) {
        const uint64_t version = t * kPutsPerThread + i + 1;
        const auto& bytes = by_version.at(version);
        if (!store->put("/same/file", copy_record(bytes, version), bytes).is_ok()) ++failures[t];
      }
    });
  }
  for (std::thread& th : threads) th.join();
  for (size_t t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
  Result<DiskStore::Stored> got = store->read("/same/file");
  ASSERT_TRUE(got) << got.status().message();
  ASSERT_TRUE(by_version.contains(got->record.version));
  EXPECT_EQ(got->payload, by_version.at(got->record.version)) << "the winner's record and data, whole";
  EXPECT_EQ(store->used_bytes(), got->payload.size() + kRecordBytes);
  EXPECT_EQ(entries_in(root() / "tmp"), 0U);
}

TEST_F(DiskStoreTest, ReadsDuringPutsOfThePathNeverSeeAMix) {
  constexpr int kPuts = 4;
  auto store = open_store();
  ASSERT_NE(store, nullptr);
  const auto a = pattern(3000, 8), b = pattern(2000, 9);
  ASSERT_TRUE(store->put("/hot", copy_record(a, 1), a).is_ok());
  std::atomic<bool> done{false};
  std::atomic<int> bad_reads{0}, reads{0};
  std::thread reader([&] {
    while (!done.load()) {
      if (!store->read("/hot")) ++bad_reads;
      ++reads;
    }
  });
  for (int i = 0; i < kPuts; ++i) {
    const auto& bytes = i % 2 == 0 ? b : a;
    EXPECT_TRUE(store->put("/hot", copy_record(bytes, 2 + static_cast<uint64_t>(i)), bytes).is_ok());
  }
  done.store(true);
  reader.join();
  EXPECT_EQ(bad_reads.load(), 0) << "of " << reads.load() << " reads";
}

}  // namespace
}  // namespace cairn::testing_disk
