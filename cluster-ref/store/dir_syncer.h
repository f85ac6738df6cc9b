// DirSyncer: group commit for directory fsyncs. Many puts rename files into
// the same directory (a study's slices share one); each must know the
// directory is durable before it acknowledges, but one fsync that starts
// after all their renames serves them all. sync(dir) waits for an fsync of
// `dir` that began after the call, running one itself when none is running.
// Thread-safe.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "engine/status.h"

namespace cairn {

class DirSyncer {
 public:
  Status sync(const std::string& dir);
  // fsyncs actually issued, for tests and benchmarks.
  uint64_t fsyncs() const;

 private:
  struct State {
    uint64_t requested = 0;  // tickets handed out
    uint64_t completed = 0;  // every ticket up to this one is durable
    bool running = false;
    uint32_t waiting = 0;
    Status last;             // the outcome of the latest fsync
    std::condition_variable done;
  };
  mutable std::mutex mutex_;
  std::map<std::string, State> dirs_;  // entries live while someone uses them
  uint64_t fsyncs_ = 0;
};

}  // namespace cairn
