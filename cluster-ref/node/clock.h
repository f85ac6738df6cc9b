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

}  // namespace cairn
