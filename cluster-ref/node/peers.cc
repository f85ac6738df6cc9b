#include "cluster-ref/node/peers.h"

#include <array>
#include <atomic>
#include <chrono>

#include "cluster-ref/net/log.h"
#include "engine/checksum.h"

namespace cairn {

Peers::Peers(const MapHolder& maps, NodeId self, std::map<uint32_t, DiskStore*> local, SecretPtr secret)
    : maps_(maps),
      self_(self),
      local_(std::move(local)),
      pool_(Millis(maps.get()->config.peer_timeout_ms), std::move(secret)),
      live_(kClusterNodesMax) {
  for (auto& l : live_) l.store(true);
}

Peers::~Peers() { stop(); }

void Peers::start() { thread_ = std::thread([this] { monitor(); }); }

void Peers::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Peers::monitor() {
  // Up peers are pinged every peer_timeout/4; down ones every tick, so a node
  // that comes back (or had not started yet) is seen within a tick.
  const Millis period(std::max<uint32_t>(maps_.get()->config.peer_timeout_ms / 4, 10));
  const Millis tick(std::min<Millis::rep>(period.count(), 100));
  std::vector<std::chrono::steady_clock::time_point> last(kClusterNodesMax);
  while (true) {
    const auto now = std::chrono::steady_clock::now();
    const auto map = maps_.get();
    for (const NodeConfig& node : map->config.nodes) {
      if (node.id == self_.value || node.retired) continue;
      if (live_[node.id].load() && now - last[node.id] < period) continue;
      last[node.id] = now;
      auto pong = pool_.call(node.management, wire::MsgType::kPing, {},
                             Millis(map->config.peer_timeout_ms));
      const bool up = pong.is_ok();
      if (live_[node.id].exchange(up) != up) {
        log::info() << "node " << node.id << " is " << (up ? "up" : "down")
                    << (up ? "" : ": " + pong.status().message());
      }
    }
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, tick, [this] { return stopping_; })) return;
  }
}

bool Peers::is_live(NodeId node) const { return node == self_ || live_[node.value].load(); }

void Peers::mark_down(NodeId node) {
  if (node != self_ && live_[node.value].exchange(false)) {
    log::info() << "node " << node.value << " is down (a call failed)";
  }
}

FragmentSet Peers::live_members(std::span<const DiskId> members) const {
  const auto map = maps_.get();
  FragmentSet live;
  for (uint32_t i = 0; i < members.size(); ++i) {
    if (is_live(map->node_of(members[i]))) live.insert(i);
  }
  return live;
}

DiskStore* Peers::local(DiskId disk) const {
  std::lock_guard lock(local_mutex_);
  auto it = local_.find(disk.value);
  return it == local_.end() ? nullptr : it->second;
}

void Peers::set_local(std::map<uint32_t, DiskStore*> local) {
  std::lock_guard lock(local_mutex_);
  local_ = std::move(local);
}

Endpoint Peers::storage_endpoint(DiskId disk) const {
  const auto map = maps_.get();
  return map->node(map->node_of(disk)).storage;
}

Millis Peers::timeout_for(uint64_t bytes) const {
  return Millis(maps_.get()->config.peer_timeout_ms + bytes / 20'000);
}

void Peers::note_failure(DiskId disk, const Status& status) {
  const StatusCode c = status.code();
  if (c == StatusCode::kStaleEpoch && on_newer_map_) on_newer_map_();
  if (c == StatusCode::kUnavailable || c == StatusCode::kTimeout) mark_down(maps_.get()->node_of(disk));
}

Result<wire::ReadReply> Peers::remote_read(DiskId disk, std::string_view path, bool record_only) {
  wire::ReadRequest request{maps_.get()->epoch(), std::string(path), disk.value, record_only};
  auto reply = pool_.call(storage_endpoint(disk), wire::MsgType::kRead, request.encode(),
                          timeout_for(record_only ? 0 : wire::kFileBytesMax / 16));
  if (!reply) {
    note_failure(disk, reply.status());
    return reply.status();
  }
  return wire::ReadReply::decode(reply->payload);
}

Result<FileRecord> Peers::stat(DiskId disk, std::string_view path) {
  if (DiskStore* store = local(disk)) return store->stat(path);
  auto reply = remote_read(disk, path, true);
  if (!reply) return reply.status();
  return reply->record;
}

Result<DiskStore::Stored> Peers::read(DiskId disk, std::string_view path) {
  if (DiskStore* store = local(disk)) return store->read(path);
  auto reply = remote_read(disk, path, false);
  if (!reply) return reply.status();
  if (reply->payload.size() != reply->record.payload_bytes ||
      crc32c(reply->payload) != reply->record.payload_crc) {
    return corrupt("payload of " + std::string(path) + " from disk " +
                   std::to_string(disk.value) + " does not match its record");
  }
  return DiskStore::Stored{reply->record, std::move(reply->payload)};
}

Status Peers::store(DiskId disk, std::string_view path, const FileRecord& record,
                    std::span<const std::byte> payload) {
  if (DiskStore* s = local(disk)) return s->put(path, record, payload);
  return remote_store(wire::MsgType::kStore, disk, path, record, payload);
}

Status Peers::store_unless_newer(DiskId disk, std::string_view path, const FileRecord& record,
                                std::span<const std::byte> payload) {
  if (DiskStore* s = local(disk)) {
    bool stored = false;
    return s->put_unless_newer(path, record, payload, &stored);
  }
  return remote_store(wire::MsgType::kMigrate, disk, path, record, payload);
}

Status Peers::remote_store(wire::MsgType type, DiskId disk, std::string_view path, const FileRecord& record,
                           std::span<const std::byte> payload) {
  wire::StoreRequest request{maps_.get()->epoch(), std::string(path), disk.value, record,
                             {payload.begin(), payload.end()}};
  auto reply = pool_.call(storage_endpoint(disk), type, request.encode(), timeout_for(payload.size()));
  if (!reply) note_failure(disk, reply.status());
  return reply.status();
}

namespace {

// A remote member's part on its way: the connection holds the reply.
struct InFlight {
  uint32_t member = 0;
  Endpoint to;
  std::unique_ptr<Connection> connection;
  uint64_t request_id = 0;
};

uint64_t next_request_id(NodeId self) {
  static std::atomic<uint64_t> counter{1};
  return (uint64_t{self.value} << 48) ^ counter.fetch_add(1);
}

}  // namespace

std::vector<Status> Peers::store_parallel(std::string_view path, uint64_t epoch, std::span<const DiskId> disks,
                                          std::span<const Part> parts, FragmentSet targets) {
  CAIRN_ASSERT(disks.size() == parts.size());
  std::vector<Status> out(parts.size(), Status::ok());
  // A remote member whose part did not get through. A pooled connection the
  // peer closed (it restarted) fails without an answer: that member gets one
  // more try on a fresh connection before it counts as failed.
  auto settle = [&](uint32_t m, const Status& st, bool answered = false) {
    if (!answered && st.code() == StatusCode::kUnavailable &&
        store(disks[m], path, *parts[m].record, parts[m].payload).is_ok()) {
      return;
    }
    note_failure(disks[m], st);
    out[m] = st;
  };
  // Send every remote part first, then write the local ones while they travel.
  std::vector<InFlight> in_flight;
  for (uint32_t m = 0; m < parts.size(); ++m) {
    if (!targets.contains(m) || local(disks[m]) != nullptr) continue;
    InFlight f{m, storage_endpoint(disks[m]), nullptr, 0};
    auto c = pool_.take(f.to);
    // The message head, then the part from where it lies: no copy of the bytes.
    const wire::StoreRequest request{epoch, std::string(path), disks[m].value, *parts[m].record, {}};
    const std::vector<std::byte> head = request.encode_head(parts[m].payload.size());
    const std::array<std::span<const std::byte>, 2> pieces{head, parts[m].payload};
    Status sent = c ? Status::ok() : c.status();
    if (c) {
      f.connection = std::move(c).value();
      f.request_id = next_request_id(self_);
      sent = f.connection->send(wire::MsgType::kStore, f.request_id, pieces, timeout_for(parts[m].payload.size()));
    }
    if (!sent.is_ok()) {
      settle(m, sent);
      continue;
    }
    in_flight.push_back(std::move(f));
  }
  for (uint32_t m = 0; m < parts.size(); ++m) {
    DiskStore* s = local(disks[m]);
    if (targets.contains(m) && s != nullptr) out[m] = s->put(path, *parts[m].record, parts[m].payload);
  }
  for (InFlight& f : in_flight) {
    auto reply = f.connection->receive(timeout_for(parts[f.member].payload.size()));
    Status st = reply ? Status::ok() : reply.status();
    if (reply && reply->type == wire::MsgType::kError) {
      auto e = wire::ErrorReply::decode(reply->payload);
      st = e ? Status(e->code, e->message) : e.status();
    } else if (reply && reply->request_id != f.request_id) {
      st = corrupt("reply to another request");
      f.connection->close();
    }
    if (st.is_ok()) {
      pool_.give_back(f.to, std::move(f.connection));
    } else {
      settle(f.member, st, f.connection->is_open());
    }
  }
  return out;
}

Status Peers::remove_if_same(DiskId disk, std::string_view path, const FileRecord& expected) {
  DiskStore* s = local(disk);
  if (s == nullptr) return refused("disk " + std::to_string(disk.value) + " is not served here");
  bool removed = false;
  return s->remove_if_same(path, expected, &removed);
}

Status Peers::drop_if_corrupt(DiskId disk, std::string_view path, bool* dropped) {
  *dropped = false;
  DiskStore* s = local(disk);
  if (s == nullptr) return refused("disk " + std::to_string(disk.value) + " is not served here");
  return s->drop_if_corrupt(path, dropped);
}

Result<DiskStore::Listing> Peers::list(DiskId disk, std::optional<GroupId> group) {
  const auto map = maps_.get();
  DiskStore::Listing out;
  if (DiskStore* s = local(disk)) {
    auto listing = s->list("/", wire::kListEntriesMax);
    if (!listing) return listing.status();
    out.truncated = listing->truncated;
    out.corrupt = listing->corrupt;
    for (auto& e : listing->entries)
      if (!group || map->pool.lookup(e.path) == *group) out.entries.push_back(std::move(e));
    return out;
  }
  wire::ListRequest request{map->epoch(), "/", group.has_value(), group ? group->value : 0};
  auto reply = pool_.call(storage_endpoint(disk), wire::MsgType::kList, request.encode(), timeout_for(1 << 20));
  if (!reply) {
    note_failure(disk, reply.status());
    return reply.status();
  }
  auto decoded = wire::ListReply::decode(reply->payload);
  if (!decoded) return decoded.status();
  out.truncated = decoded->truncated;
  for (auto& e : decoded->entries)
    if (e.disk == disk.value) out.entries.push_back({std::move(e.path), e.record});
  return out;
}

Status Peers::remove(DiskId disk, std::string_view path) {
  if (DiskStore* s = local(disk)) return s->remove(path);
  wire::RemoveRequest request{maps_.get()->epoch(), std::string(path), disk.value};
  auto reply = pool_.call(storage_endpoint(disk), wire::MsgType::kRemove, request.encode(),
                          timeout_for(0));
  if (!reply) note_failure(disk, reply.status());
  return reply.status();
}

}  // namespace cairn
