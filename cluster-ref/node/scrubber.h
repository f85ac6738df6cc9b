// Scrubber: a node's background check of what its disks hold, following the
// engine's scrub policy (engine/scrub.h) — when a pass is due, the order of
// groups, the pace under the node's scrub budget, who compares a group's
// members, and what each finding triggers.
//
// A pass reads every live copy or fragment on the node's disks and checks it
// against its record (DiskStore::read); a copy that fails is dropped (only if
// it still fails under the path's lock) and its path queued for repair. For
// each group whose comparison this node leads, it lists every member and
// logs each path whose members differ (Healer::compare_group), which finds
// member files deleted or left behind. The healer repairs what was queued.
//
// Runs on its own thread between start() and stop(); request_pass() and
// report() may be called from any thread.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "cluster-ref/map/cluster_file.h"
#include "cluster-ref/store/disk_store.h"
#include "cluster-ref/node/clock.h"
#include "cluster-ref/node/healer.h"
#include "cluster-ref/node/members.h"

namespace cairn {

class Scrubber {
 public:
  Scrubber(const MapHolder& maps, Clock& clock, Members& members, Healer& healer);
  ~Scrubber();
  void start();
  void stop();

  // Asks for a pass to begin now (at full speed when `unpaced`); returns the
  // number passes_completed will reach when a pass that began after this
  // call has ended.
  uint64_t request_pass(bool unpaced);

  struct Report {
    uint64_t passes_completed = 0;
    bool running = false;
    // The last completed pass (zeros before the first).
    int64_t last_started_unix_ns = 0;
    int64_t last_ended_unix_ns = 0;
    uint64_t files_verified = 0;
    uint64_t bytes_verified = 0;
    uint64_t groups_compared = 0;
    uint64_t payload_corrupt = 0;   // copies that failed their checks (dropped, repaired)
    uint64_t record_corrupt = 0;    // records that failed their checks (repaired)
    uint64_t members_differ = 0;    // paths whose members differed (missing or older)
    uint64_t groups_unreachable = 0;  // comparisons skipped: a member did not answer
    // The pass in progress.
    uint64_t running_files_verified = 0;
  };
  Report report() const;
  // One pass on the caller's thread (tests drive the scrubber with it).
  void scrub_once(bool unpaced) { run_pass(unpaced); }

 private:
  void loop();
  void run_pass(bool unpaced);
  // Waits `ns` on the clock, in slices that see a stop; false when stopping.
  bool pause_ns(int64_t ns);
  // Verifies the copies of `group` on local disk `disk`, charging `cost`.
  void verify_group(GroupId group, DiskId disk, const std::vector<DiskStore::Entry>& entries,
                    uint64_t budget, int64_t started_ns, uint64_t& cost, Report& pass);

  const MapHolder& maps_;
  Clock& clock_;
  Members& members_;
  Healer& healer_;
  std::map<uint32_t, int64_t> last_scrubbed_ns_;  // group -> steady ns; loop thread only
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool requested_ = false;
  bool requested_unpaced_ = false;
  bool running_ = false;
  uint64_t passes_started_ = 0;
  Report report_;
  std::atomic<uint64_t> running_files_{0};
  std::thread thread_;
};

}  // namespace cairn
