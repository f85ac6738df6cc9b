// Members: what a node's background workers — healer, rebuilder, mover,
// scrubber — need of the disks of a group's members, wherever they are: the
// narrow seam between their decisions (the engine's) and the transport.
// Peers implements it, local disks directly and the others over the storage
// network; tests/cluster/memory_members.h implements it in memory, so the
// workers run under a deterministic harness without sockets (DESIGN.md
// rule 6). Implementations are thread-safe.
#pragma once
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "cluster-ref/store/disk_store.h"
#include "cluster-ref/formats/record.h"
#include "engine/codec.h"
#include "engine/ids.h"
#include "engine/pool_map.h"
#include "engine/status.h"

namespace cairn {

class Members {
 public:
  virtual ~Members() = default;
  virtual NodeId self() const = 0;
  // This node serves `disk` (its store is here and in service).
  virtual bool serves(DiskId disk) const = 0;
  // Members of `members` believed live (bit i = member i).
  virtual FragmentSet live_members(std::span<const DiskId> members) const = 0;

  virtual Result<FileRecord> stat(DiskId disk, std::string_view path) = 0;
  // The record and the payload, checked against the record (kCorrupt).
  virtual Result<DiskStore::Stored> read(DiskId disk, std::string_view path) = 0;
  virtual Status store(DiskId disk, std::string_view path, const FileRecord& record,
                       std::span<const std::byte> payload) = 0;
  // store() unless the disk holds that version or a newer one (a move).
  virtual Status store_unless_newer(DiskId disk, std::string_view path, const FileRecord& record,
                                    std::span<const std::byte> payload) = 0;
  // The parts of one write, stored in parallel: `parts[m]` on `disks[m]` for
  // every member m in `targets`, each durable before its status is ok. The
  // status by member index (ok for members not targeted). A write's
  // coordinator waits on this once per write.
  struct Part {
    const FileRecord* record = nullptr;
    std::span<const std::byte> payload;
  };
  virtual std::vector<Status> store_parallel(std::string_view path, uint64_t epoch, std::span<const DiskId> disks,
                                             std::span<const Part> parts, FragmentSet targets) = 0;
  virtual Status remove(DiskId disk, std::string_view path) = 0;
  // Disks this node serves only: remove() if the record is still `expected`.
  virtual Status remove_if_same(DiskId disk, std::string_view path, const FileRecord& expected) = 0;
  // Disks this node serves only: drop a copy that still fails its checks
  // (DiskStore::drop_if_corrupt); `*dropped` says whether it did.
  virtual Status drop_if_corrupt(DiskId disk, std::string_view path, bool* dropped) = 0;
  // The records `disk` holds, in path order: all, or only of the paths the
  // node's map places in `group` (`corrupt`: records that failed their
  // checks, counted on local disks only).
  virtual Result<DiskStore::Listing> list(DiskId disk, std::optional<GroupId> group) = 0;
};

// The live groups of `pool` with a member on a disk `members` serves here,
// in id order: what a node's healer compares and its scrubber verifies.
inline std::vector<GroupId> groups_served(const PoolMap& pool, const Members& members) {
  std::vector<GroupId> out;
  for (uint32_t g = 0; g < pool.placement.groups.size(); ++g) {
    const Group& group = pool.placement.groups[g];
    if (group.retired) continue;
    for (DiskId d : group.members) {
      if (members.serves(d)) {
        out.push_back(GroupId(g));
        break;
      }
    }
  }
  return out;
}

}  // namespace cairn
