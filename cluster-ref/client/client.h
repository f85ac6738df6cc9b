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
// WORM retention (engine/retention.h): a put or remove of a retained file
// fails with StatusCode::kRetained, refused by the nodes themselves (a mount
// maps it to EPERM); check_changeable() asks before a truncation or rename
// that would otherwise do half of its work; retention policies travel with
// the cluster map (change_retention).
//
// Thread-safe: one Client may be shared by many threads.
#pragma once
#include <atomic>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cluster-ref/map/cluster_file.h"
#include "cluster-ref/formats/messages.h"
#include "cluster-ref/net/pool.h"
#include "cluster-ref/net/secret.h"
#include "engine/reconcile.h"
#include "engine/retention.h"
#include "engine/snapshot.h"

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
  bool deep = false;
  uint64_t bytes_read = 0;       // deep: payload bytes read and checked
  uint64_t corrupt_members = 0;  // deep: copies whose bytes fail their record's checksums
};

// A change of the cluster's retention policies (Client::change_retention).
struct RetentionChange {
  std::shared_ptr<const ClusterMap> map;     // the map installed; its yaml is the new cluster file
  std::vector<std::string> weakened;         // governance policies weakened by the bypass
  std::vector<uint32_t> nodes_unreachable;   // did not answer; they take the map from a peer
};

// A snapshot made or deleted (Client::create_snapshot, delete_snapshot).
struct SnapshotChange {
  std::shared_ptr<const ClusterMap> map;    // the map installed; its yaml is the new cluster file
  Snapshot snapshot;                        // the one made or deleted
  std::vector<uint32_t> nodes_unreachable;  // did not answer; they take the map when they start
};

// A snapshot and what it holds, summed over the nodes that answered.
struct SnapshotInfo {
  Snapshot snapshot;
  uint64_t files_held = 0;  // versions kept because they were replaced or deleted since
  uint64_t bytes_held = 0;
};

// A scrub the client asked every node for, summed over the nodes.
struct ScrubReport {
  uint64_t files_verified = 0;
  uint64_t bytes_verified = 0;
  uint64_t payload_corrupt = 0;
  uint64_t record_corrupt = 0;
  uint64_t members_differ = 0;
  uint64_t groups_compared = 0;
  uint64_t groups_unreachable = 0;
  std::vector<uint32_t> nodes_unreachable;  // did not take the request
  std::vector<std::string> node_scrub_json;  // each answering node's "scrub" status
};

class Client {
 public:
  // Reads the cluster file and the secret beside it (net/secret.h).
  static Result<std::unique_ptr<Client>> open(const std::filesystem::path& cluster_file);
  static Result<std::unique_ptr<Client>> from_map(ClusterMap map, SecretPtr secret);

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
  // Compares every member of every group, file by file: by record, or with
  // `deep` by content too (every copy and fragment is read and checked
  // against its record's checksums; a member whose bytes fail counts as
  // differing, and the node holding it drops it and queues its repair).
  Result<CheckReport> check(bool deep = false);
  // Asks every node to start a scrub pass (unpaced: at full speed) and waits
  // until each node that took the request has ended that pass and healed
  // what it found, calling `progress` with the files verified so far about
  // every 200 ms. kTimeout after `timeout` (the passes go on).
  Result<ScrubReport> scrub(bool unpaced, Millis timeout,
                            const std::function<void(uint64_t files_verified)>& progress);

  std::shared_ptr<const ClusterMap> map() const;

  // The file's retention under the map's policies, judged at `now_ns` (the
  // caller's clock; nodes judge at their compliance clocks). kNotFound when
  // there is no such file.
  Result<Retention> retention_of(std::string_view path, int64_t now_ns);
  // ok when retention would let `path` be overwritten, truncated, renamed or
  // deleted at `now_ns` (also when there is no such file); kRetained, naming
  // the policy and the time, otherwise. A mount asks it before a rename or a
  // truncation, so that neither does half its work; the nodes refuse anyway.
  Status check_changeable(std::string_view path, int64_t now_ns);
  // The policies of the newest map a node serves.
  Result<std::vector<RetentionPolicy>> retention_policies();
  // Makes `policies` the cluster's retention policies: the next map epoch,
  // installed on every node in service (InstallMap, or BypassGovernance with
  // `bypass_reason` when given). Refused before anything changes when the
  // engine's policy_change_verdict refuses it (kRetained) or the set is
  // invalid; kUnavailable when no node took it.
  Result<RetentionChange> change_retention(std::vector<RetentionPolicy> policies, const std::string* bypass_reason);

  // Snapshots (engine/snapshot.h). create_snapshot makes `name` a snapshot
  // of the files under `prefix`, in two steps: it picks a cut a moment
  // (`lead`) after the latest compliance time any node reports, installs
  // the map holding the snapshot on every node, and checks that every node
  // still reports a time before the cut (else no version past the cut can
  // have replaced one before it unseen: a node that had not installed the
  // map yet could not have preserved it); then it waits until every node's
  // time has passed the cut. So every write acknowledged before
  // create_snapshot was called is in the snapshot, and no write begun
  // after it returned is. A check that fails (a slow install) removes the
  // snapshot and tries again with a longer lead, three times at most.
  // kInvalidArgument for a bad name or prefix or a name in use.
  Result<SnapshotChange> create_snapshot(const std::string& name, const std::string& prefix, int64_t created_ns,
                                         Millis lead = Millis(1000));
  // Removes snapshot `name` from the map; every node frees what it kept for
  // it. kInvalidArgument when there is no such snapshot.
  Result<SnapshotChange> delete_snapshot(const std::string& name);
  // The snapshots of the newest map a node serves, with what they hold.
  Result<std::vector<SnapshotInfo>> snapshots();
  // The version of `path` that snapshot `name` sees (the live one when
  // unchanged since the cut, else the preserved one). kNotFound when the path
  // did not exist at the cut (or was deleted), kInvalidArgument when there is
  // no such snapshot or it does not cover the path.
  Result<StoredFile> snapshot_get(const std::string& name, std::string_view path);
  // The paths under `folder` (a prefix ending in '/', inside the snapshot's
  // prefix) that may be in snapshot `name`: every path any node holds a record
  // of, live or deleted (a delete leaves a tombstone), in path order. Each is
  // read with snapshot_get, which says kNotFound for one the snapshot lacks.
  Result<std::vector<std::string>> snapshot_candidates(const std::string& name, std::string_view folder);

 private:
  Client(ClusterMap map, SecretPtr secret);
  Result<wire::Frame> call_node(NodeId node, wire::MsgType type, std::span<const std::byte> payload,
                                uint64_t bytes);
  Status refresh_map(NodeId from);
  template <class Request>
  Result<wire::PutReply> coordinate(wire::MsgType type, Request request, uint64_t bytes);
  // Asks members `which` of the group for their parts (or records only),
  // into replies[member].
  void read_members(const ClusterMap& map, std::string_view path, std::span<const DiskId> members,
                    std::span<const uint32_t> which, bool record_only,
                    std::vector<Result<wire::ReadReply>>& replies, const std::string* snapshot = nullptr);
  // The engine's choice of the current copy among the replies, or why there
  // is none to read (not found, deleted, unreachable, lost).
  // `*absent` (when given) is set when no member holds anything for the path.
  static Result<ReconcilePlan> current_copy(std::string_view path, const Scheme& scheme,
                                            const std::vector<Result<wire::ReadReply>>& replies,
                                            bool* absent = nullptr);
  template <class Read>
  auto with_fallback(std::string_view path, Read read)
      -> decltype(read(std::declval<const ClusterMap&>(), std::declval<const std::vector<DiskId>&>(), nullptr));
  Result<FileRecord> stat_from(const ClusterMap& map, std::string_view path, const std::vector<DiskId>& members,
                               bool* absent);
  Result<StoredFile> get_from(const ClusterMap& map, std::string_view path, const std::vector<DiskId>& members,
                              bool* absent, const std::string* snapshot = nullptr);
  // Builds `next` and installs it on every node in service (InstallMap, or
  // BypassGovernance with `bypass_reason`); nodes that did not answer go to
  // `unreachable`. kUnavailable when no node took it.
  Result<std::shared_ptr<const ClusterMap>> install_next(ClusterConfig next, std::string_view why,
                                                         const std::string* bypass_reason,
                                                         std::vector<uint32_t>* unreachable);
  // Every reachable node's compliance time (status), the latest and the
  // earliest; kUnavailable when none answered.
  struct NodeClocks {
    int64_t latest_ns = 0;
    int64_t earliest_ns = 0;
    uint32_t answered = 0;
  };
  Result<NodeClocks> node_clocks();
  void verify_contents(const ClusterMap& map, const std::string& path,
                       std::vector<std::optional<FileRecord>>& row, CheckReport& report);
  Result<std::vector<wire::ListEntry>> list_everywhere(std::string_view prefix,
                                                       std::vector<uint32_t>* unreachable);

  mutable std::mutex mutex_;  // guards map_
  std::shared_ptr<const ClusterMap> map_;
  ConnectionPool pool_;
  std::atomic<int64_t> stale_from_{-1};  // a node that answered kStaleEpoch (-1: none)
};

}  // namespace cairn
