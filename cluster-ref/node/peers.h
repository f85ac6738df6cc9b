// Peers: what a node knows of the other nodes — whether each is up, from a
// ping on the management network every peer_timeout/4 and from the failures
// of real calls — and how it reaches the disks of a group's members, its own
// directly and the others' over the storage network.
//
// A node counts as down from the first failed call or ping until a ping
// succeeds again (a down node is pinged every 100 ms, an up one every
// peer_timeout/4); it counts as up before the first ping (a write to a node
// that is actually down fails fast and is recorded as owed).
// Thread-safe; the monitor runs on its own thread between start() and stop().
#pragma once
#include <atomic>
#include <optional>
#include <functional>
#include <map>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "cluster-ref/map/cluster_file.h"
#include "cluster-ref/map/map_holder.h"
#include "cluster-ref/node/members.h"
#include "cluster-ref/store/disk_store.h"
#include "cluster-ref/formats/messages.h"
#include "cluster-ref/net/pool.h"
#include "engine/codec.h"

namespace cairn {

class Peers : public Members {
 public:
  // `local`: this node's open disks by disk id; `secret`: the cluster's,
  // which every call to a peer proves.
  Peers(const MapHolder& maps, NodeId self, std::map<uint32_t, DiskStore*> local, SecretPtr secret);
  ~Peers();
  void start();
  void stop();

  NodeId self() const override { return self_; }
  bool serves(DiskId disk) const override { return local(disk) != nullptr; }
  bool is_live(NodeId node) const;
  void mark_down(NodeId node);
  // Members of `members` believed live (bit i = member i).
  FragmentSet live_members(std::span<const DiskId> members) const override;
  // This node's store for `disk`, or nullptr when another node holds it
  // (or it is not open: retired, or failed).
  DiskStore* local(DiskId disk) const;
  // The disks this node serves from now on (a new map added or retired some,
  // or one failed).
  void set_local(std::map<uint32_t, DiskStore*> local);
  const MapHolder& maps() const { return maps_; }

  // The member operations, local or remote. Remote failures mark the peer down.
  Result<FileRecord> stat(DiskId disk, std::string_view path) override;
  Result<DiskStore::Stored> read(DiskId disk, std::string_view path) override;
  Status store(DiskId disk, std::string_view path, const FileRecord& record,
               std::span<const std::byte> payload) override;
  Status store_unless_newer(DiskId disk, std::string_view path, const FileRecord& record,
                            std::span<const std::byte> payload) override;
  std::vector<Status> store_parallel(std::string_view path, uint64_t epoch, std::span<const DiskId> disks,
                                     std::span<const Part> parts, FragmentSet targets) override;
  Status remove(DiskId disk, std::string_view path) override;
  Status remove_if_same(DiskId disk, std::string_view path, const FileRecord& expected) override;
  Status drop_if_corrupt(DiskId disk, std::string_view path, bool* dropped) override;
  Result<DiskStore::Listing> list(DiskId disk, std::optional<GroupId> group) override;

  ConnectionPool& pool() { return pool_; }
  Endpoint storage_endpoint(DiskId disk) const;
  // How long a call carrying `bytes` may take: the peer timeout plus the
  // bytes at 20 MB/s, a slow disk's pace.
  Millis timeout_for(uint64_t bytes) const;
  // Records a remote failure (transport errors mark the node down; a peer
  // that answers kStaleEpoch runs a newer map: on_newer_map is called).
  void note_failure(DiskId disk, const Status& status);
  // Set once, before start(): what to do when a peer runs a newer map.
  void set_on_newer_map(std::function<void()> callback) { on_newer_map_ = std::move(callback); }

 private:
  void monitor();
  Result<wire::ReadReply> remote_read(DiskId disk, std::string_view path, bool record_only);
  // A Store (or Migrate) of one part to another node's disk.
  Status remote_store(wire::MsgType type, DiskId disk, std::string_view path, const FileRecord& record,
                      std::span<const std::byte> payload);

  const MapHolder& maps_;
  NodeId self_;
  mutable std::mutex local_mutex_;
  std::map<uint32_t, DiskStore*> local_;  // guarded by local_mutex_
  ConnectionPool pool_;
  std::vector<std::atomic<bool>> live_;  // by node id, kClusterNodesMax
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::function<void()> on_newer_map_;
  std::thread thread_;
};

}  // namespace cairn
