// ComplianceClock: the time a node judges retention by (engine/retention.h).
// It never runs backwards: now_ns() is the later of the wall clock and the
// latest time it has handed out or found persisted, so a node whose clock is
// set back — by mistake, by NTP, or by someone hoping to expire a retained
// file early — keeps the later time.
//
// On disk (format 1): STATE/compliance-clock, the text
// "cairn-compliance-clock 1\n<ns since the UNIX epoch>\n", written durably
// (temporary file, fsync, rename, directory fsync) by persist(), which the
// node calls about once a second, at start and when it stops. A crash loses
// at most the time since the last persist. A file that cannot be read or
// parsed stops the node from starting: a compliance time silently reset to
// the wall clock would be a clock set back. Thread-safe.
#pragma once
#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>

#include "cluster-ref/node/clock.h"
#include "engine/status.h"

namespace cairn {

class ComplianceClock {
 public:
  // Reads STATE/compliance-clock when present. `wall` must outlive the clock.
  static Result<std::unique_ptr<ComplianceClock>> open(const std::filesystem::path& state_dir,
                                                       const WallClock& wall);
  int64_t now_ns();
  // Makes now_ns() durable (a no-op when nothing advanced since the last).
  Status persist();
  // The time found on disk at open (0: none).
  int64_t persisted_at_open_ns() const { return at_open_ns_; }

 private:
  ComplianceClock(std::filesystem::path file, const WallClock& wall, int64_t persisted)
      : file_(std::move(file)), wall_(wall), latest_ns_(persisted), persisted_ns_(persisted), at_open_ns_(persisted) {}

  std::filesystem::path file_;
  const WallClock& wall_;
  std::atomic<int64_t> latest_ns_;
  std::mutex persist_mutex_;
  int64_t persisted_ns_;  // guarded by persist_mutex_
  int64_t at_open_ns_;
};

}  // namespace cairn
