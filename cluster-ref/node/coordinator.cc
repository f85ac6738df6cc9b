#include "cluster-ref/node/coordinator.h"

#include <optional>

#include "cluster-ref/formats/file_codec.h"
#include "cluster-ref/net/log.h"
#include "engine/layout.h"
#include "engine/reconcile.h"
#include "engine/retention.h"
#include "engine/write_round.h"

namespace cairn {
namespace {

RetainedFile retained_view(const FileRecord& r) {
  return RetainedFile{true, r.tombstone, r.committed, r.version, r.retain_until_ns, r.file_crc};
}

}  // namespace

Result<Coordinator::Target> Coordinator::target_of(std::string_view path) const {
  if (Status st = validate_path(path); !st.is_ok()) return st;
  auto map = maps_.get();
  const GroupId gid = map->pool.lookup(path);
  Target t{map, gid, map->pool.group(gid).members};
  for (DiskId d : t.members) {
    if (members_.serves(d)) return t;
  }
  return refused("node " + std::to_string(members_.self().value) + " holds no member of group " +
                 std::to_string(gid.value) + "; send writes to one of its members");
}

uint64_t Coordinator::next_version(const Target& target, std::string_view path) const {
  uint64_t newest = 0;
  for (DiskId d : target.members) {
    if (!members_.serves(d)) continue;
    if (auto r = members_.stat(d, path)) newest = std::max(newest, r->version);
  }
  // While data moves, the path's last version may still sit in its old
  // group only: the new one must be newer, or the move would overwrite it.
  if (target.map->previous) {
    const PoolMap& from = *target.map->previous;
    for (DiskId d : from.group(from.lookup(path)).members) {
      if (auto r = members_.stat(d, path)) newest = std::max(newest, r->version);
    }
  }
  return std::max<uint64_t>(static_cast<uint64_t>(clock_.now_ns()), newest + 1);
}

Status Coordinator::check_retention(const Target& target, std::string_view path, uint64_t version, bool deleting) {
  const std::vector<RetentionPolicy>& policies = target.map->config.retention;
  if (policies.empty()) return Status::ok();
  std::optional<FileRecord> newest;
  auto consider = [&](DiskId d) {
    if (auto r = members_.stat(d, path); r && (!newest || r->version > newest->version)) newest = *r;
  };
  const FragmentSet live = members_.live_members(target.members);
  for (uint32_t m = 0; m < target.members.size(); ++m)
    if (live.contains(m)) consider(target.members[m]);
  if (target.map->previous) {
    const PoolMap& from = *target.map->previous;
    for (DiskId d : from.group(from.lookup(path)).members) consider(d);
  }
  if (!newest) return Status::ok();
  const RetainedFile incoming{true, deleting, false, version, 0, 0};
  return retention_verdict(path, retained_view(*newest), &incoming, policies, clock_.now_ns());
}

Result<wire::PutReply> Coordinator::put(const wire::PutRequest& request) {
  auto target = target_of(request.path);
  if (!target) return target.status();
  const Scheme& scheme = target->map->pool.spec.scheme;
  std::lock_guard lock(path_locks_[path_hash(request.path) % path_locks_.size()]);
  const uint64_t version = next_version(*target, request.path);
  if (Status st = check_retention(*target, request.path, version, false); !st.is_ok()) return st;
  const RetentionStamp stamp =
      retention_stamp(request.path, target->map->config.retention, static_cast<int64_t>(version));
  FileIdentity id{target->group.value, version, request.mtime_ns, stamp.retain_until_ns, stamp.committed};
  auto parts = encode_file(scheme, id, request.data);
  if (!parts) return parts.status();
  return write(request.path, *target, members_used(scheme, request.data.size(), false), *parts);
}

Result<wire::PutReply> Coordinator::remove(const wire::DeleteRequest& request) {
  auto target = target_of(request.path);
  if (!target) return target.status();
  const Scheme& scheme = target->map->pool.spec.scheme;
  std::lock_guard lock(path_locks_[path_hash(request.path) % path_locks_.size()]);
  const uint64_t version = next_version(*target, request.path);
  if (Status st = check_retention(*target, request.path, version, true); !st.is_ok()) return st;
  FileIdentity id{target->group.value, version, clock_.now_ns(), 0};
  return write(request.path, *target, FragmentSet::first(scheme.width()),
               encode_tombstone(scheme, id));
}

Result<wire::PutReply> Coordinator::write(std::string_view path, const Target& target,
                                          FragmentSet used, const std::vector<MemberPart>& parts) {
  const Scheme& scheme = target.map->pool.spec.scheme;
  auto round = WriteRound::start(scheme, members_.live_members(target.members), used,
                                 target.map->config.min_live);
  if (!round) return round.status();
  std::vector<Members::Part> views(scheme.width());
  for (uint32_t m = 0; m < scheme.width() && m < parts.size(); ++m) views[m] = {&parts[m].record, parts[m].payload};
  const std::vector<Status> stored =
      members_.store_parallel(path, target.map->epoch(), target.members, views, round->targets());
  bool stale_map = false;  // a member runs a newer map than this write used
  std::optional<Status> retained;  // a member's own retention verdict refused it
  for (uint32_t m = 0; m < scheme.width(); ++m) {
    if (!round->targets().contains(m)) continue;
    if (stored[m].is_ok()) {
      round->acked(m);
      continue;
    }
    stale_map = stale_map || stored[m].code() == StatusCode::kStaleEpoch;
    if (stored[m].code() == StatusCode::kRetained && !retained) retained = stored[m];
    log::warn() << "write " << path << ": member " << m << ": " << stored[m].message();
    round->failed(m);
  }

  // The heal a member is owed is recorded before anyone hears of the write.
  if (!round->owed().empty()) {
    if (Status st = owed_.add(path); !st.is_ok()) return st;
  }
  // Members that refused keep what they hold; never report such a write as done.
  if (retained) return *retained;
  if (Status st = round->outcome(); !st.is_ok()) {
    // The client retries on the newer map this node has caught up with.
    if (stale_map) return Status(StatusCode::kStaleEpoch, "a member runs a newer cluster map; refresh it");
    // A member that refused (its disk full, a retained file) says why the
    // write failed better than the count does: the client hears its refusal.
    for (uint32_t m = 0; m < scheme.width(); ++m) {
      const StatusCode code = stored[m].code();
      if (round->targets().contains(m) && (code == StatusCode::kRefused || code == StatusCode::kRetained)) {
        return Status(code, st.message() + "; member " + std::to_string(m) + " refused: " + stored[m].message());
      }
    }
    return st;
  }
  return wire::PutReply{parts[0].record.version, target.group.value, round->written().bits(),
                        round->owed().bits()};
}

}  // namespace cairn
