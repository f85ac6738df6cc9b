#include "cluster-ref/node/coordinator.h"

#include <chrono>

#include "cluster-ref/formats/file_codec.h"
#include "cluster-ref/net/log.h"
#include "engine/layout.h"
#include "engine/reconcile.h"
#include "engine/write_round.h"

namespace cairn {
namespace {

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A remote member's part on its way: the connection holds the reply.
struct InFlight {
  uint32_t member = 0;
  Endpoint to;
  std::unique_ptr<Connection> connection;
  uint64_t request_id = 0;
};

}  // namespace

Result<Coordinator::Target> Coordinator::target_of(std::string_view path) const {
  if (Status st = validate_path(path); !st.is_ok()) return st;
  auto map = maps_.get();
  const GroupId gid = map->pool.lookup(path);
  Target t{map, gid, map->pool.group(gid).members};
  for (DiskId d : t.members) {
    if (peers_.local(d) != nullptr) return t;
  }
  return refused("node " + std::to_string(peers_.self().value) + " holds no member of group " +
                 std::to_string(gid.value) + "; send writes to one of its members");
}

uint64_t Coordinator::next_version(const Target& target, std::string_view path) const {
  uint64_t newest = 0;
  for (DiskId d : target.members) {
    if (DiskStore* store = peers_.local(d)) {
      if (auto r = store->stat(path)) newest = std::max(newest, r->version);
    }
  }
  // While data moves, the path's last version may still sit in its old
  // group only: the new one must be newer, or the move would overwrite it.
  if (target.map->previous) {
    const PoolMap& from = *target.map->previous;
    for (DiskId d : from.group(from.lookup(path)).members) {
      if (auto r = peers_.stat(d, path)) newest = std::max(newest, r->version);
    }
  }
  return std::max<uint64_t>(static_cast<uint64_t>(now_ns()), newest + 1);
}

Result<wire::PutReply> Coordinator::put(const wire::PutRequest& request) {
  auto target = target_of(request.path);
  if (!target) return target.status();
  const Scheme& scheme = target->map->pool.spec.scheme;
  std::lock_guard lock(path_locks_[path_hash(request.path) % path_locks_.size()]);
  FileIdentity id{target->group.value, next_version(*target, request.path), request.mtime_ns, 0};
  auto parts = encode_file(scheme, id, request.data);
  if (!parts) return parts.status();
  return write(request.path, *target, members_used(scheme, request.data.size(), false), *parts);
}

Result<wire::PutReply> Coordinator::remove(const wire::DeleteRequest& request) {
  auto target = target_of(request.path);
  if (!target) return target.status();
  const Scheme& scheme = target->map->pool.spec.scheme;
  std::lock_guard lock(path_locks_[path_hash(request.path) % path_locks_.size()]);
  FileIdentity id{target->group.value, next_version(*target, request.path), now_ns(), 0};
  return write(request.path, *target, FragmentSet::first(scheme.width()),
               encode_tombstone(scheme, id));
}

Result<wire::PutReply> Coordinator::write(std::string_view path, const Target& target,
                                          FragmentSet used, const std::vector<MemberPart>& parts) {
  const Scheme& scheme = target.map->pool.spec.scheme;
  auto round = WriteRound::start(scheme, peers_.live_members(target.members), used,
                                 target.map->config.min_live);
  if (!round) return round.status();

  // A remote member whose part did not get through. A pooled connection the
  // peer closed (it restarted) fails without an answer: that member gets one
  // more try on a fresh connection before it counts as failed.
  bool stale_map = false;  // a member runs a newer map than this write used
  auto settle = [&](uint32_t m, const Status& st, bool answered = false) {
    stale_map = stale_map || st.code() == StatusCode::kStaleEpoch;
    const DiskId disk = target.members[m];
    if (!answered && st.code() == StatusCode::kUnavailable &&
        peers_.store(disk, path, parts[m].record, parts[m].payload).is_ok()) {
      round->acked(m);
      return;
    }
    log::warn() << "write " << path << ": member " << m << ": " << st.message();
    peers_.note_failure(disk, st);
    round->failed(m);
  };

  // Send every remote part first, then write our own while they travel.
  std::vector<InFlight> in_flight;
  for (uint32_t m = 0; m < scheme.width(); ++m) {
    const DiskId disk = target.members[m];
    if (!round->targets().contains(m) || peers_.local(disk) != nullptr) continue;
    InFlight f{m, peers_.storage_endpoint(disk), nullptr, 0};
    auto c = peers_.pool().take(f.to);
    // The message head, then the part from where it lies: no copy of the bytes.
    const wire::StoreRequest store{target.map->epoch(), std::string(path), disk.value, parts[m].record, {}};
    const std::vector<std::byte> head = store.encode_head(parts[m].payload.size());
    const std::array<std::span<const std::byte>, 2> pieces{head, parts[m].payload};
    Status sent = c ? Status::ok() : c.status();
    if (c) {
      f.connection = std::move(c).value();
      f.request_id = (uint64_t{peers_.self().value} << 48) ^ static_cast<uint64_t>(now_ns());
      sent = f.connection->send(wire::MsgType::kStore, f.request_id, pieces,
                                peers_.timeout_for(parts[m].payload.size()));
    }
    if (!sent.is_ok()) {
      settle(m, sent);
      continue;
    }
    in_flight.push_back(std::move(f));
  }
  for (uint32_t m = 0; m < scheme.width(); ++m) {
    DiskStore* store = peers_.local(target.members[m]);
    if (!round->targets().contains(m) || store == nullptr) continue;
    Status st = store->put(path, parts[m].record, parts[m].payload);
    if (st.is_ok()) {
      round->acked(m);
    } else {
      log::warn() << "write " << path << ": local member " << m << ": " << st.message();
      round->failed(m);
    }
  }
  for (InFlight& f : in_flight) {
    auto reply = f.connection->receive(peers_.timeout_for(parts[f.member].payload.size()));
    Status st = reply ? Status::ok() : reply.status();
    if (reply && reply->type == wire::MsgType::kError) {
      auto e = wire::ErrorReply::decode(reply->payload);
      st = e ? Status(e->code, e->message) : e.status();
    } else if (reply && reply->request_id != f.request_id) {
      st = corrupt("reply to another request");
      f.connection->close();
    }
    if (st.is_ok()) {
      round->acked(f.member);
      peers_.pool().give_back(f.to, std::move(f.connection));
    } else {
      settle(f.member, st, f.connection->is_open());
    }
  }

  // The heal a member is owed is recorded before anyone hears of the write.
  if (!round->owed().empty()) {
    if (Status st = owed_.add(path); !st.is_ok()) return st;
  }
  if (Status st = round->outcome(); !st.is_ok()) {
    // The client retries on the newer map this node has caught up with.
    if (stale_map) return Status(StatusCode::kStaleEpoch, "a member runs a newer cluster map; refresh it");
    return st;
  }
  return wire::PutReply{parts[0].record.version, target.group.value, round->written().bits(),
                        round->owed().bits()};
}

}  // namespace cairn
