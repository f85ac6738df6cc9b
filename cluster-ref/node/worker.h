// Worker: a background thread that carries out one kind of lifecycle work a
// cluster map gives this node (rebuild.h, mover.h): it runs the work for the
// map the node runs, starts again when a newer map is installed (wake()),
// and retries what could not be done yet (a member unreachable) every
// second until all of it is done. Subclasses implement run().
//
// start()/stop()/wake()/progress() may be called from any thread; run()
// runs on the worker's thread only.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>
#include <algorithm>
#include <string>
#include <utility>

#include "cluster-ref/node/clock.h"
#include "cluster-ref/map/map_holder.h"
#include "cluster-ref/node/work_progress.h"
#include "engine/pace.h"

namespace cairn {

// The bytes a work item carries, for its pace.
inline uint64_t bytes_of(const std::pair<std::string, uint64_t>& item) { return item.second; }

class Worker {
 public:
  virtual ~Worker();
  void start();
  void stop();
  // A new map was installed: look at it now.
  void wake();
  WorkProgress progress() const;
  // One round of the work the current map gives, on the caller's thread
  // (tests drive workers with it); true when all of it is done.
  bool run_once() { return run(*maps_.get()); }

 protected:
  // `budget`: the cluster file's budget for this kind of work (per node).
  Worker(const MapHolder& maps, Clock& clock, uint64_t ClusterConfig::*budget)
      : maps_(maps), clock_(clock), budget_(budget) {}
  // Does what `map` gives this node to do; true when all of it is done.
  // Returns early (false) when should_yield(map).
  virtual bool run(const ClusterMap& map) = 0;

  // Stopping, or a newer map has been installed.
  bool should_yield(const ClusterMap& map) const;
  // Waits as engine/pace.h says before work costing `cost_bytes` more;
  // false when the worker should yield instead.
  bool pace(const ClusterMap& map, uint64_t cost_bytes);
  void update(const std::function<void(WorkProgress&)>& change);
  // Runs `work` on every item, kInFlightMax at a time (each file costs a few
  // round trips, so one at a time would leave disks and network idle), pacing
  // each by `bytes_of(item)`; false when the worker should yield.
  template <class Item, class Work>
  bool in_batches(const ClusterMap& map, const std::vector<Item>& items, Work work) {
    for (size_t i = 0; i < items.size(); i += kInFlightMax) {
      const size_t end = std::min(items.size(), i + kInFlightMax);
      std::vector<std::thread> batch;
      for (size_t j = i; j < end; ++j) {
        if (!pace(map, operation_cost_bytes(bytes_of(items[j])))) {
          for (auto& t : batch) t.join();
          return false;
        }
        batch.emplace_back([&, j] { work(items[j]); });
      }
      for (auto& t : batch) t.join();
    }
    return true;
  }
  static constexpr size_t kInFlightMax = kFilesInFlight;
  // Starts the pace's clock and the progress for a new round of work.
  void begin(uint64_t epoch, uint64_t files_total, uint64_t bytes_total);

  const MapHolder& maps_;
  Clock& clock_;

 private:
  void loop();

  uint64_t ClusterConfig::*budget_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  WorkProgress progress_;
  // The pace of the current round (worker thread only).
  int64_t round_started_ns_ = 0;
  uint64_t round_cost_bytes_ = 0;
  std::thread thread_;
};

}  // namespace cairn
