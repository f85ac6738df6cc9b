// Healer: makes the members of a group agree again. It replays the node's
// owed log every heal interval — for each path it reads every member's
// record, asks the engine which copy is current and what to repair
// (engine/reconcile.h), rebuilds the missing parts from the current copy and
// writes them — and keeps an entry until every member agrees. When the node
// starts it also scans the groups it belongs to, member against member, and
// logs every path that differs, which covers writes this node was
// coordinating when it stopped.
//
// Runs on its own thread between start() and stop(); reconcile() may also be
// called from any thread.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>

#include "cluster-ref/map/cluster_file.h"
#include "cluster-ref/map/map_holder.h"
#include "cluster-ref/node/owed_log.h"
#include "cluster-ref/node/members.h"
#include "engine/reconcile.h"

namespace cairn {

class Healer {
 public:
  Healer(const MapHolder& maps, Members& members, OwedLog& owed);
  ~Healer();
  void start();
  void stop();

  // One pass of reconcile for `path`: the plan's outcome after the repairs
  // it made (kInSync when every member now agrees). kWaiting while the path
  // moves in a rebalance (the mover owns it until the migration ends).
  // `prefer`: members to read first when rebuilding (a heal plan's sources).
  ReconcilePlan::Outcome reconcile(std::string_view path, FragmentSet prefer = FragmentSet());
  // Compares again, from the next loop, every group this node holds a
  // member of (after a new map).
  void rescan();

  // Logs `path` as owed and wakes the loop to repair it now (a reader or the
  // scrubber found a bad or missing member). Any thread.
  void queue(std::string_view path);
  // Wakes the loop to replay the owed log now. Any thread.
  void wake();

  // Lists every member of `group` and logs each path whose members differ
  // (engine reconcile would repair it). kUnavailable while a member cannot
  // be listed. Any thread.
  struct Comparison {
    uint64_t paths = 0;
    uint64_t differing = 0;
  };
  Result<Comparison> compare_group(GroupId group);

  struct Counters {
    uint64_t repaired_parts = 0;
    uint64_t dropped_parts = 0;
    uint64_t unreadable = 0;
    uint32_t groups_to_scan = 0;
  };
  Counters counters() const;

 private:
  void loop();
  void replay_owed();
  Status repair(const ClusterMap& map, std::string_view path, const std::vector<DiskId>& members,
                const ReconcilePlan& plan, const std::vector<FileRecord>& records, FragmentSet prefer);
  std::set<uint32_t> local_groups() const;

  const MapHolder& maps_;
  Members& members_;
  OwedLog& owed_;
  std::set<uint32_t> groups_to_scan_;  // loop thread only
  std::atomic<bool> rescan_{false};
  std::atomic<uint64_t> repaired_{0};
  std::atomic<uint64_t> dropped_{0};
  std::atomic<uint64_t> unreadable_{0};
  std::atomic<uint32_t> scan_left_{0};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace cairn
