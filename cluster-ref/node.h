// Node: one cairn-node process — its disks, its three listeners (client,
// storage and management networks) and the threads that heal. It serves:
//
//   client network:     MapRequest, Put, Delete, Read, List, Ping
//   storage network:    Store, Read, Remove, List, MapRequest, Ping
//   management network: Status, Ping, MapRequest, Scrub
//
// A request on the wrong network is refused with a reason; a frame that
// breaks the protocol closes its connection with a logged reason and the
// node goes on serving everyone else.
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
//    "disks": [{"disk": 12, "path": "...", "used_bytes": 1, "capacity_bytes": 2}]}
#pragma once
#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

#include "cluster-ref/cluster_file.h"
#include "cluster-ref/coordinator.h"
#include "cluster-ref/disk_store.h"
#include "cluster-ref/healer.h"
#include "cluster-ref/listener.h"
#include "cluster-ref/owed_log.h"
#include "cluster-ref/peers.h"
#include "cluster-ref/scrubber.h"

namespace cairn {

inline constexpr uint32_t kConnectionsMax = 512;  // per network

class Node {
 public:
  // Opens the disks and the owed log; nothing listens yet.
  static Result<std::unique_ptr<Node>> open(ClusterMap map, NodeId self);
  ~Node();
  // Starts listening, the peer monitor and the healer.
  Status start();
  void stop();

  enum class Network : uint8_t { kClient, kStorage, kManagement };

 private:
  Node(ClusterMap map, NodeId self) : map_(std::move(map)), self_(self) {}
  void serve(Connection& connection, Network network);
  // The reply to one request: a message type and its payload.
  struct Reply {
    wire::MsgType type;
    std::vector<std::byte> payload;
  };
  Result<Reply> handle(const wire::Frame& frame, Network network);
  Result<Reply> read(const wire::ReadRequest& request);
  Result<Reply> list(const wire::ListRequest& request);
  Status check_epoch(uint64_t epoch) const;
  Result<DiskStore*> disk(uint32_t disk_id) const;
  std::string status_json() const;
  void read_repair(DiskStore& store, std::string_view path);

  ClusterMap map_;
  NodeId self_;
  std::vector<std::unique_ptr<DiskStore>> disks_;
  std::unique_ptr<OwedLog> owed_;
  std::unique_ptr<Peers> peers_;
  std::unique_ptr<Coordinator> coordinator_;
  std::unique_ptr<Healer> healer_;
  std::unique_ptr<Scrubber> scrubber_;
  std::atomic<uint64_t> read_repairs_{0};  // bad copies met by reads, dropped and queued
  std::vector<std::unique_ptr<Listener>> listeners_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace cairn
