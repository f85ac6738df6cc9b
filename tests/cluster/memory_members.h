// Every disk of a test cluster in memory, and each node's view of it as the
// workers' Members seam (cluster-ref/node/members.h): the healer, rebuilder and
// mover run against it without sockets, processes or files.
#pragma once
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "cluster-ref/map/map_holder.h"
#include "cluster-ref/node/members.h"
#include "engine/checksum.h"

namespace cairn::testing {

struct MemoryDisks {
  std::mutex mutex;
  std::map<uint32_t, std::map<std::string, DiskStore::Stored>> disks;  // disk id -> path -> part
  std::set<uint32_t> down_nodes;
  bool has(DiskId d, const std::string& path) {
    std::lock_guard lock(mutex);
    return disks[d.value].contains(path);
  }
};

class MemoryMembers final : public Members {
 public:
  MemoryMembers(MemoryDisks& disks, const MapHolder& maps, NodeId self) : disks_(disks), maps_(maps), self_(self) {}
  NodeId self() const override { return self_; }
  bool serves(DiskId disk) const override { return maps_.get()->node_of(disk) == self_; }
  FragmentSet live_members(std::span<const DiskId> members) const override {
    std::lock_guard lock(disks_.mutex);
    FragmentSet live;
    for (uint32_t i = 0; i < members.size(); ++i)
      if (!disks_.down_nodes.contains(maps_.get()->node_of(members[i]).value)) live.insert(i);
    return live;
  }
  Result<FileRecord> stat(DiskId disk, std::string_view path) override {
    auto part = find(disk, path);
    if (!part) return part.status();
    return part->record;
  }
  Result<DiskStore::Stored> read(DiskId disk, std::string_view path) override {
    auto part = find(disk, path);
    if (!part) return part.status();
    if (crc32c(part->payload) != part->record.payload_crc) return corrupt("payload does not match its record");
    return part;
  }
  Status store(DiskId disk, std::string_view path, const FileRecord& record,
               std::span<const std::byte> payload) override {
    std::lock_guard lock(disks_.mutex);
    if (Status st = reachable(disk); !st.is_ok()) return st;
    disks_.disks[disk.value][std::string(path)] = {record, {payload.begin(), payload.end()}};
    return Status::ok();
  }
  Status store_unless_newer(DiskId disk, std::string_view path, const FileRecord& record,
                            std::span<const std::byte> payload) override {
    {
      std::lock_guard lock(disks_.mutex);
      if (Status st = reachable(disk); !st.is_ok()) return st;
      auto& held = disks_.disks[disk.value];
      auto it = held.find(std::string(path));
      if (it != held.end() && it->second.record.version >= record.version) return Status::ok();
    }
    return store(disk, path, record, payload);
  }
  std::vector<Status> store_parallel(std::string_view path, uint64_t epoch, std::span<const DiskId> disks,
                                     std::span<const Part> parts, FragmentSet targets) override {
    (void)epoch;
    std::vector<Status> out(parts.size(), Status::ok());
    for (uint32_t m = 0; m < parts.size(); ++m)
      if (targets.contains(m)) out[m] = store(disks[m], path, *parts[m].record, parts[m].payload);
    return out;
  }
  Status remove(DiskId disk, std::string_view path) override {
    std::lock_guard lock(disks_.mutex);
    if (Status st = reachable(disk); !st.is_ok()) return st;
    disks_.disks[disk.value].erase(std::string(path));
    return Status::ok();
  }
  Status remove_if_same(DiskId disk, std::string_view path, const FileRecord& expected) override {
    std::lock_guard lock(disks_.mutex);
    auto& held = disks_.disks[disk.value];
    auto it = held.find(std::string(path));
    if (it != held.end() && it->second.record == expected) held.erase(it);
    return Status::ok();
  }
  Status drop_if_corrupt(DiskId disk, std::string_view path, bool* dropped) override {
    std::lock_guard lock(disks_.mutex);
    auto& held = disks_.disks[disk.value];
    auto it = held.find(std::string(path));
    *dropped = it != held.end() && crc32c(it->second.payload) != it->second.record.payload_crc;
    if (*dropped) held.erase(it);
    return Status::ok();
  }
  Result<DiskStore::Listing> list(DiskId disk, std::optional<GroupId> group) override {
    const auto map = maps_.get();
    std::lock_guard lock(disks_.mutex);
    if (Status st = reachable(disk); !st.is_ok()) return st;
    DiskStore::Listing out;
    for (const auto& [path, part] : disks_.disks[disk.value])
      if (!group || map->pool.lookup(path) == *group) out.entries.push_back({path, part.record});
    return out;
  }

 private:
  Status reachable(DiskId disk) const {
    if (disks_.down_nodes.contains(maps_.get()->node_of(disk).value)) return unavailable("node down");
    return Status::ok();
  }
  Result<DiskStore::Stored> find(DiskId disk, std::string_view path) {
    std::lock_guard lock(disks_.mutex);
    if (Status st = reachable(disk); !st.is_ok()) return st;
    auto& held = disks_.disks[disk.value];
    auto it = held.find(std::string(path));
    if (it == held.end()) return not_found(std::string(path));
    return it->second;
  }

  MemoryDisks& disks_;
  const MapHolder& maps_;
  NodeId self_;
};

}  // namespace cairn::testing
