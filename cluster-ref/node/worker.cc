#include "cluster-ref/node/worker.h"

#include "engine/pace.h"

namespace cairn {

Worker::~Worker() { stop(); }

void Worker::start() { thread_ = std::thread([this] { loop(); }); }

void Worker::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Worker::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

WorkProgress Worker::progress() const {
  std::lock_guard lock(mutex_);
  return progress_;
}

void Worker::update(const std::function<void(WorkProgress&)>& change) {
  std::lock_guard lock(mutex_);
  change(progress_);
}

void Worker::begin(uint64_t epoch, uint64_t files_total, uint64_t bytes_total) {
  round_started_ns_ = clock_.now_ns();
  round_cost_bytes_ = 0;
  update([&](WorkProgress& p) {
    // A retry round of the same epoch keeps the epoch's start, for its rate.
    const auto started = p.epoch == epoch && p.active ? p.started : std::chrono::steady_clock::now();
    p = WorkProgress{};
    p.started = started;
    p.epoch = epoch;
    p.active = true;
    p.done = false;
    p.files_total = files_total;
    p.bytes_total = bytes_total;
  });
}

bool Worker::should_yield(const ClusterMap& map) const {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return true;
  }
  return maps_.get()->epoch() != map.epoch();
}

bool Worker::pace(const ClusterMap& map, uint64_t cost_bytes) {
  while (true) {
    if (should_yield(map)) return false;
    const int64_t wait = pace_wait_ns(map.config.*budget_, round_cost_bytes_, clock_.now_ns() - round_started_ns_);
    if (wait <= 0) break;
    // At most 100 ms at a time, so that a new map or a stop is seen soon.
    clock_.sleep_ns(std::min<int64_t>(wait, 100'000'000));
  }
  round_cost_bytes_ += cost_bytes;
  return true;
}

void Worker::loop() {
  uint64_t done_epoch = 0;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    const auto map = maps_.get();
    auto retry = std::chrono::milliseconds(1000);
    if (map->epoch() != done_epoch) {
      // Work left over (a member not reachable yet, e.g. a peer still
      // installing the map) is tried again soon.
      retry = std::chrono::milliseconds(200);
      if (run(*map)) {
        done_epoch = map->epoch();
        update([&](WorkProgress& p) {
          if (p.epoch != map->epoch() || !p.active) {
            p = WorkProgress{};
            p.epoch = map->epoch();
          }
          if (!p.done) p.finished = std::chrono::steady_clock::now();
          p.done = true;
          p.files_waiting = 0;
        });
      }
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, retry, [this] { return stopping_ || woken_; });
    woken_ = false;
  }
}

}  // namespace cairn
