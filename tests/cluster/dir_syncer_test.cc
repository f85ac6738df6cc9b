// DirSyncer: one directory fsync serves every rename made before it started.
#include "cluster-ref/store/dir_syncer.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

namespace cairn {
namespace {

TEST(DirSyncer, EveryCallerGetsADurableDirectoryAndFsyncsAreShared) {
  char pattern[] = "/tmp/cairn-dirsync-XXXXXX";
  const std::string dir = mkdtemp(pattern);
  DirSyncer syncer;
  constexpr int kThreads = 8, kCalls = 50;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kCalls; ++i) {
        if (!syncer.sync(dir).is_ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GE(syncer.fsyncs(), 1U);
  EXPECT_LE(syncer.fsyncs(), static_cast<uint64_t>(kThreads * kCalls));
  std::printf("%llu fsyncs served %d calls\n", static_cast<unsigned long long>(syncer.fsyncs()),
              kThreads * kCalls);
  std::filesystem::remove_all(dir);
}

TEST(DirSyncer, AMissingDirectoryIsAnIoError) {
  DirSyncer syncer;
  const Status s = syncer.sync("/nonexistent/cairn/dir");
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_NE(s.message().find("/nonexistent/cairn/dir"), std::string::npos);
  // The failed entry does not stick: the next call tries again.
  EXPECT_EQ(syncer.sync("/nonexistent/cairn/dir").code(), StatusCode::kIoError);
  EXPECT_EQ(syncer.fsyncs(), 2U);
}

}  // namespace
}  // namespace cairn
