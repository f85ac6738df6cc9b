// Node: one cairn-node process — its disks, its three listeners (client,
// storage and management networks) and the threads that heal, scrub,
// rebuild and move data. It serves:
//
//   client network:     MapRequest, Put, Delete, Read, List, Ping, SnapshotRead
//   storage network:    Store, Migrate, Read, Remove, List, MapRequest, Ping, SnapshotRead
//   management network: Status, Ping, MapRequest, Scrub, InstallMap,
//                       BypassGovernance
//
// WORM retention: every store, remove and put_unless_newer on this node's
// disks asks the engine's retention verdict (engine/retention.h) over the
// record the disk holds, the map's retention policies and the node's
// compliance clock (compliance_clock.h) — whoever sent the request, a
// coordinator or a raw frame — and refuses with kRetained. A map that
// weakens the policies is refused (kRetained) unless it comes as a
// BypassGovernance request and weakens governance policies only; that is
// logged and appended to STATE/retention-audit.log. A map caught up from a
// peer is taken as a bypass too (the peer installed it), never past
// compliance.
//
// Snapshots (engine/snapshot.h): every disk is handed the map's snapshots
// before the map runs (at open and at each install), so that a version at
// or before a snapshot's cut that a write replaces is kept on each member
// (disk_store.h); a map without a snapshot frees what it kept.
//
// The cluster map is live: InstallMap hands the node a newer epoch of the
// cluster file, which it checks, persists in its state directory
// (cluster.yaml; at start the newer of that and --cluster wins), and runs
// from then on — opening disks the map gives it, retiring those it takes
// away, rebuilding the members its heal plans name (rebuilder.h) and moving
// the files its migration moves (mover.h). A disk whose directory goes away
// or turns unreadable is reported failed and not used again.
//
// Every connection on every network must prove the cluster's secret (wire
// version 2's handshake and tags; formats/auth.h). A connection that does
// not, a frame that fails its tag or repeats a sequence number, a version 1
// frame, and a frame not finished within the frame deadline each close their
// connection with a log line naming the peer and the reason; the node goes
// on serving everyone else. A request on the wrong network is refused with a
// reason (an ErrorReply; the connection stays).
//
// Status JSON (management network, `cairn status` reads it):
//   {"node": 3, "epoch": 1, "uptime_s": 12.5, "heals_pending": 0,
//    "scan_groups_left": 0, "repaired_parts": 0, "unreadable": 0,
//    "scrub": {"passes_completed": 1, "running": false, "last_started_unix_s": 1.7e9,
//              "last_ended_unix_s": 1.7e9, "files_verified": 10, "bytes_verified": 2560,
//              "groups_compared": 1, "payload_corrupt": 0, "record_corrupt": 0,
//              "members_differ": 0, "groups_unreachable": 0, "running_files_verified": 0},
//    "read_repairs": 0,
//    "connections": 4, "peers_up": [0,1,2,4,5],
//    "compliance_time_ns": 1.7e18, "retention_refusals": 0,
//    "snapshots": [{"name": "before-upgrade", "files": 2, "bytes": 3000}],
//    "preserved_files": 2, "preserved_bytes": 3000,   (what snapshots hold here)
//    "disks": [{"disk": 12, "path": "...", "state": "ok", "used_bytes": 1, "capacity_bytes": 2}],
//    "rebuild": {WorkProgress}, "rebalance": {WorkProgress}}   (work_progress.h)
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "cluster-ref/map/cluster_file.h"
#include "cluster-ref/node/compliance_clock.h"
#include "cluster-ref/node/coordinator.h"
#include "cluster-ref/store/disk_store.h"
#include "cluster-ref/node/healer.h"
#include "cluster-ref/net/listener.h"
#include "cluster-ref/node/owed_log.h"
#include "cluster-ref/node/peers.h"
#include "cluster-ref/map/map_holder.h"
#include "cluster-ref/node/mover.h"
#include "cluster-ref/node/rebuilder.h"
#include "cluster-ref/node/scrubber.h"

namespace cairn {

inline constexpr uint32_t kConnectionsMax = 512;  // per network
inline constexpr Millis kFrameDeadlineDefault(10'000);

// What a node needs beside its map: the cluster's secret (every connection,
// in and out, proves it) and how long a peer may take to finish a frame it
// has started (handshake included) before its connection is closed.
struct NodeOptions {
  SecretPtr secret;
  Millis frame_deadline = kFrameDeadlineDefault;
  int64_t wall_clock_offset_ns = 0;  // shifts the node's wall clock (tests); 0 otherwise
};

class Node {
 public:
  // Opens the disks and the owed log; nothing listens yet. Runs the map
  // persisted in the state directory instead of `map` when it is newer.
  // Opens the disks and the owed log; nothing listens yet. (NodeOptions:
  // the cluster's secret, the frame deadline and, for tests of a clock set
  // back or ahead, a shift of the node's wall clock.)
  static Result<std::unique_ptr<Node>> open(ClusterMap map, NodeId self, NodeOptions options);
  ~Node();
  // Starts listening, the peer monitor and the healer.
  Status start();
  void stop();

  enum class Network : uint8_t { kClient, kStorage, kManagement };

 private:
  Node(std::shared_ptr<const ClusterMap> map, NodeId self, NodeOptions options)
      : maps_(std::move(map)), self_(self), options_(std::move(options)), wall_(options_.wall_clock_offset_ns) {}
  void serve(Connection& connection, Network network);
  // The reply to one request: a message type and its payload.
  struct Reply {
    wire::MsgType type;
    std::vector<std::byte> payload;
  };
  Result<Reply> handle(const wire::Frame& frame, Network network);
  Result<Reply> read(const wire::ReadRequest& request);
  Result<Reply> list(const wire::ListRequest& request);
  // What a snapshot sees of a path on one of this node's disks.
  Result<Reply> snapshot_read(const wire::SnapshotReadRequest& request);
  Status store(const wire::StoreRequest& request, bool migrate);
  // `bypass_reason` set: the administrator's governance bypass (or a map a
  // peer already runs); empty: a map that weakens retention is refused.
  Status install(const wire::InstallMapRequest& request, const std::string* bypass_reason = nullptr);
  // The disks' write guard: the retention verdict for one change.
  Status retention_guard(std::string_view path, const DiskStore::CurrentRecord& current, const FileRecord* incoming);
  // Opens the disks `map` gives this node that are not open yet (live ones,
  // and retired ones a migration still reads from) and tells peers which
  // disks serve. Caller holds disks_mutex_.
  Status open_disks(const ClusterMap& map);
  // Every second: a disk whose directory is gone or unreadable has failed.
  void watch_disks();
  // ok when `epoch` is this node's; a request from a newer map makes the
  // node catch up first (a peer has it).
  Status check_epoch(uint64_t epoch);
  // Fetches the newest map the live peers run and installs it if newer.
  void catch_up();
  Result<DiskStore*> disk(uint32_t disk_id) const;
  std::string status_json() const;
  void read_repair(DiskStore& store, std::string_view path);

  MapHolder maps_;
  NodeId self_;
  NodeOptions options_;
  mutable std::mutex disks_mutex_;  // guards disks_ and failed_; serialises installs
  // Every store opened since start, by disk id; never closed while running
  // (another thread may hold a pointer from peers), only no longer served.
  std::map<uint32_t, std::unique_ptr<DiskStore>> disks_;
  std::set<uint32_t> failed_;
  SteadyClock clock_;
  SystemWallClock wall_;
  std::unique_ptr<ComplianceClock> compliance_;
  std::atomic<uint64_t> retention_refusals_{0};
  std::unique_ptr<OwedLog> owed_;
  std::unique_ptr<Peers> peers_;
  std::unique_ptr<Coordinator> coordinator_;
  std::unique_ptr<Healer> healer_;
  std::unique_ptr<Scrubber> scrubber_;
  std::unique_ptr<Rebuilder> rebuilder_;
  std::unique_ptr<Mover> mover_;
  std::atomic<uint64_t> read_repairs_{0};
  std::mutex catch_up_mutex_;  // bad copies met by reads, dropped and queued
  std::mutex watch_mutex_;
  std::condition_variable watch_wake_;
  bool stopping_ = false;
  std::thread watcher_;
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace cairn
