// Coordinator: the write side of a node (Write-All-Read-One). For a put or a
// delete it asks the engine which members to write (WriteRound), encodes the
// parts (file_codec.h), stores every live member's part in parallel through
// the Members seam (its own directly, the others over the storage network),
// records the members that owe a heal in the owed log, and only then
// replies.
//
// WORM: before a put or delete of a path that a retention policy covers, it
// asks every live member for its record and the engine's retention verdict
// over the newest (engine/retention.h), and refuses with kRetained before
// anything is written. Each member asks the verdict again before it stores
// (DiskStore's write guard), so a coordinator is not trusted either; should
// a member still refuse, the write reports kRetained, never success. A new
// file under a policy carries the policy's stamp (committed, retain-until).
// Versions are the compliance clock's time (never backwards), so a file's
// version is the time it was written.
//
// Writes of one path through one coordinator are serialised (a striped lock
// by path hash), so their versions are strictly increasing. Thread-safe.
#pragma once
#include <array>
#include <memory>
#include <mutex>

#include "cluster-ref/map/cluster_file.h"
#include "cluster-ref/map/map_holder.h"
#include "cluster-ref/formats/file_codec.h"
#include "cluster-ref/formats/messages.h"
#include "cluster-ref/node/compliance_clock.h"
#include "cluster-ref/node/owed_log.h"
#include "cluster-ref/node/members.h"

namespace cairn {

class Coordinator {
 public:
  Coordinator(const MapHolder& maps, Members& members, OwedLog& owed, ComplianceClock& clock)
      : maps_(maps), members_(members), owed_(owed), clock_(clock) {}
  Result<wire::PutReply> put(const wire::PutRequest& request);
  Result<wire::PutReply> remove(const wire::DeleteRequest& request);

 private:
  struct Target {
    std::shared_ptr<const ClusterMap> map;  // the one map this write uses
    GroupId group;
    std::vector<DiskId> members;
  };
  Result<Target> target_of(std::string_view path) const;
  uint64_t next_version(const Target& target, std::string_view path) const;
  // kRetained when the path's newest record on the live members may not be
  // replaced by a write at `version` (a tombstone when `deleting`).
  Status check_retention(const Target& target, std::string_view path, uint64_t version, bool deleting);
  Result<wire::PutReply> write(std::string_view path, const Target& target, FragmentSet used,
                               const std::vector<MemberPart>& parts);

  const MapHolder& maps_;
  Members& members_;
  OwedLog& owed_;
  ComplianceClock& clock_;
  std::array<std::mutex, 256> path_locks_;
};

}  // namespace cairn
