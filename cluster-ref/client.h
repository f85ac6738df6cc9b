// Client: the C++ library applications use to store and read files in a
// Cairn reference cluster by path — put, get, stat, list, remove — plus the
// administrative reads behind `cairn status` and `cairn check`.
//
// The client derives the cluster map from the cluster file (cluster_file.h)
// and finds every file from its path alone: the engine's layout names the
// group, the group's members name the nodes. Writes go to the group's first
// member that answers, which coordinates them (coordinator.h); reads go to
// one member (or k for an erasure code) while the others are asked for their
// record only, so that the engine's reconcile rule picks the current copy
// even if a member has not been healed yet. A node that answers with a newer
// epoch makes the client fetch the new map from it and retry.
//
// Thread-safe: one Client may be shared by many threads.
#pragma once
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "cluster-ref/cluster_file.h"
#include "cluster-ref/messages.h"
#include "cluster-ref/pool.h"
#include "engine/reconcile.h"

namespace cairn {

struct StoredFile {
  FileRecord record;  // the current copy's record (member index of the part read first)
  std::vector<std::byte> data;
};

struct ListedFile {
  std::string path;
  FileRecord record;
};

struct CheckReport {
  uint64_t files = 0;           // paths with any record, tombstones included
  uint64_t agreeing = 0;        // every used member holds the same current copy
  std::vector<std::string> differing;  // at most 100 examples
  uint64_t differing_count = 0;
  std::vector<uint32_t> nodes_unreachable;
};

class Client {
 public:
  static Result<std::unique_ptr<Client>> open(const std::filesystem::path& cluster_file);
  static Result<std::unique_ptr<Client>> from_map(ClusterMap map);

  Result<wire::PutReply> put(std::string_view path, std::span<const std::byte> data,
                             int64_t mtime_ns);
  Result<StoredFile> get(std::string_view path);
  // The current copy's record, from every member's record (no data read).
  Result<FileRecord> stat(std::string_view path);
  Result<wire::PutReply> remove(std::string_view path);
  // Current files under `prefix` (tombstones left out), in path order.
  Result<std::vector<ListedFile>> list(std::string_view prefix);

  // Each node's status JSON, or the error that kept it from answering.
  std::vector<Result<std::string>> node_status();
  // Compares every member of every group, file by file.
  Result<CheckReport> check();

  std::shared_ptr<const ClusterMap> map() const;

 private:
  explicit Client(ClusterMap map);
  Result<wire::Frame> call_node(NodeId node, wire::MsgType type, std::span<const std::byte> payload,
                                uint64_t bytes);
  Status refresh_map(NodeId from);
  template <class Request>
  Result<wire::PutReply> coordinate(wire::MsgType type, Request request, uint64_t bytes);
  // Asks members `which` of the group for their parts (or records only),
  // into replies[member].
  void read_members(const ClusterMap& map, std::string_view path, std::span<const DiskId> members,
                    std::span<const uint32_t> which, bool record_only,
                    std::vector<Result<wire::ReadReply>>& replies);
  // The engine's choice of the current copy among the replies, or why there
  // is none to read (not found, deleted, unreachable, lost).
  static Result<ReconcilePlan> current_copy(std::string_view path, const Scheme& scheme,
                                            const std::vector<Result<wire::ReadReply>>& replies);
  Result<std::vector<wire::ListEntry>> list_everywhere(std::string_view prefix,
                                                       std::vector<uint32_t>* unreachable);

  mutable std::mutex mutex_;  // guards map_
  std::shared_ptr<const ClusterMap> map_;
  ConnectionPool pool_;
};

}  // namespace cairn
