// Clock: the time a node's background workers pace themselves by — a seam
// (STYLE.md point 4), so that tests drive them on a fake clock that
// advances when they wait instead of sleeping. Thread-safe.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

namespace cairn {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t now_ns() const = 0;
  virtual void sleep_ns(int64_t ns) = 0;
};

// The process's monotonic clock.
class SteadyClock final : public Clock {
 public:
  int64_t now_ns() const override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  void sleep_ns(int64_t ns) override { std::this_thread::sleep_for(std::chrono::nanoseconds(ns)); }
};

// A clock that moves only when someone waits on it: sleep_ns advances it.
class FakeClock final : public Clock {
 public:
  int64_t now_ns() const override { return now_ns_.load(); }
  void sleep_ns(int64_t ns) override { now_ns_.fetch_add(ns); }
  int64_t slept_ns() const { return now_ns_.load(); }

 private:
  std::atomic<int64_t> now_ns_{0};
};

// Wall time, ns since the UNIX epoch: what retention is measured in. A seam
// so that tests set a node's clock back or ahead (compliance_clock.h).
class WallClock {
 public:
  virtual ~WallClock() = default;
  virtual int64_t now_ns() const = 0;
};

// The system's real-time clock, shifted by `offset_ns` (0 in production;
// cairn-node takes a shift from CAIRN_NODE_CLOCK_OFFSET_S for tests of a
// clock that jumps).
class SystemWallClock final : public WallClock {
 public:
  explicit SystemWallClock(int64_t offset_ns = 0) : offset_ns_(offset_ns) {}
  int64_t now_ns() const override {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
               .count() +
           offset_ns_;
  }

 private:
  int64_t offset_ns_;
};

// A wall clock that moves only when told to.
class FakeWallClock final : public WallClock {
 public:
  explicit FakeWallClock(int64_t now_ns) : now_ns_(now_ns) {}
  int64_t now_ns() const override { return now_ns_.load(); }
  void set_ns(int64_t ns) { now_ns_.store(ns); }

 private:
  std::atomic<int64_t> now_ns_;
};

}  // namespace cairn
