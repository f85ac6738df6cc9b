#include "cluster-ref/node/node.h"

#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <optional>

#include "cluster-ref/net/log.h"
#include "cluster-ref/store/posix_file.h"
#include "engine/retention.h"
#include "engine/scrub.h"

namespace cairn {
namespace {

// An idle connection (between frames) is closed after this; a frame once
// started must be finished within the frame deadline (NodeOptions).
constexpr Millis kIdleTimeout(10 * 60 * 1000);

bool allowed(wire::MsgType type, Node::Network network) {
  using T = wire::MsgType;
  switch (network) {
    case Node::Network::kClient:
      return type == T::kMapRequest || type == T::kPut || type == T::kDelete || type == T::kRead ||
             type == T::kList || type == T::kPing || type == T::kSnapshotRead;
    case Node::Network::kStorage:
      return type == T::kStore || type == T::kMigrate || type == T::kRead || type == T::kRemove ||
             type == T::kList || type == T::kMapRequest || type == T::kPing || type == T::kSnapshotRead;
    case Node::Network::kManagement:
      return type == T::kStatus || type == T::kPing || type == T::kMapRequest || type == T::kScrub ||
             type == T::kInstallMap || type == T::kBypassGovernance;
  }
  return false;
}

const char* network_name(Node::Network n) {
  switch (n) {
    case Node::Network::kClient: return "client";
    case Node::Network::kStorage: return "storage";
    case Node::Network::kManagement: return "management";
  }
  return "?";
}

template <class Message>
Result<Message> decode(const wire::Frame& frame) {
  return Message::decode(frame.payload);
}

std::string persisted_map_file(const NodeConfig& config) { return config.state_dir + "/cluster.yaml"; }

// The map this node ran last, when its state directory holds a newer one.
// kRetained when `given` is newer but weakens compliance retention the
// persisted map holds (a cluster file edited by hand cannot lift it).
Result<std::optional<ClusterMap>> persisted_map(const ClusterMap& given, NodeId self) {
  const std::string file = persisted_map_file(given.node(self));
  if (!std::filesystem::exists(file)) return std::optional<ClusterMap>();
  auto persisted = load_cluster(file);
  if (!persisted) {
    log::warn() << "ignoring " << file << ": " << persisted.status().message();
    return std::optional<ClusterMap>();
  }
  if (persisted->config.name != given.config.name) return std::optional<ClusterMap>();
  if (persisted->epoch() <= given.epoch()) {
    std::vector<std::string> weakened;
    Status st = policy_change_verdict(persisted->config.retention, given.config.retention, true, &weakened);
    if (!st.is_ok()) return Status(st.code(), "the cluster file's map epoch " + std::to_string(given.epoch()) +
                                                  " weakens the retention of the map this node ran (" + file +
                                                  "): " + st.message());
    for (const std::string& w : weakened) log::warn() << "governance retention weakened by the cluster file: " << w;
    return std::optional<ClusterMap>();
  }
  log::info() << "running map epoch " << persisted->epoch() << " from " << file << " (newer than --cluster's "
              << given.epoch() << ")";
  return std::optional<ClusterMap>(std::move(persisted).value());
}

// One line appended and synced: the record of a governance bypass.
Status append_audit(const std::string& file, const std::string& line) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return posix::io_error("open", file, errno);
  const std::string text = line + "\n";
  const bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  const int err = errno;
  ::close(fd);
  return ok ? Status::ok() : posix::io_error("write", file, err);
}

RetainedFile retained_view(const FileRecord& r) {
  return RetainedFile{true, r.tombstone, r.committed, r.version, r.retain_until_ns, r.file_crc};
}

// Disks of `self` the map serves from: live ones, and retired ones a
// migration still reads from (members of the previous map's groups).
std::set<uint32_t> disks_in_use(const ClusterMap& map, NodeId self) {
  std::set<uint32_t> out;
  for (DiskId d : map.topology.node(self).disks)
    if (!map.topology.disk(d).retired) out.insert(d.value);
  if (map.previous) {
    for (const Group& g : map.previous->placement.groups)
      for (DiskId d : g.members)
        if (d.value < map.topology.disk_id_bound() && map.node_of(d) == self) out.insert(d.value);
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<Node>> Node::open(ClusterMap given, NodeId self, NodeOptions options) {
  if (options.secret == nullptr) return invalid_argument("a node needs the cluster's secret");
  if (options.frame_deadline.count() <= 0) return invalid_argument("the frame deadline must be positive");
  if (self.value >= given.config.nodes.size()) {
    return not_found("node " + std::to_string(self.value) + " is not in the cluster file (it has " +
                     std::to_string(given.config.nodes.size()) + " nodes)");
  }
  auto newer = persisted_map(given, self);
  if (!newer) return newer.status();
  auto map = std::make_shared<const ClusterMap>(*newer ? std::move(**newer) : std::move(given));
  std::unique_ptr<Node> node(new Node(map, self, std::move(options)));
  const NodeConfig& config = map->node(self);
  auto owed = OwedLog::open(config.state_dir);
  if (!owed) return owed.status();
  node->owed_ = std::move(owed).value();
  auto compliance = ComplianceClock::open(config.state_dir, node->wall_);
  if (!compliance) return compliance.status();
  node->compliance_ = std::move(compliance).value();
  if (node->compliance_->persisted_at_open_ns() > node->wall_.now_ns()) {
    log::warn() << "the wall clock is behind the compliance time persisted in " << config.state_dir
                << " (by " << (node->compliance_->persisted_at_open_ns() - node->wall_.now_ns()) / 1'000'000'000
                << " s): retention is judged by the later time, " << utc_time_string(node->compliance_->now_ns());
  }
  if (Status st = node->compliance_->persist(); !st.is_ok()) return st;
  node->peers_ = std::make_unique<Peers>(node->maps_, self, std::map<uint32_t, DiskStore*>{}, node->options_.secret);
  node->peers_->set_on_newer_map([raw = node.get()] { raw->catch_up(); });
  {
    std::lock_guard lock(node->disks_mutex_);
    if (Status st = node->open_disks(*map); !st.is_ok()) return st;
  }
  node->coordinator_ = std::make_unique<Coordinator>(node->maps_, *node->peers_, *node->owed_, *node->compliance_);
  node->healer_ = std::make_unique<Healer>(node->maps_, *node->peers_, *node->owed_);
  node->scrubber_ = std::make_unique<Scrubber>(node->maps_, node->clock_, *node->peers_, *node->healer_);
  node->rebuilder_ = std::make_unique<Rebuilder>(node->maps_, node->clock_, *node->peers_, *node->healer_);
  node->mover_ = std::make_unique<Mover>(node->maps_, node->clock_, *node->peers_);
  return node;
}

Status Node::open_disks(const ClusterMap& map) {
  std::map<uint32_t, DiskStore*> serving;
  for (uint32_t id : disks_in_use(map, self_)) {
    if (failed_.contains(id)) continue;
    auto it = disks_.find(id);
    if (it == disks_.end()) {
      const DiskConfig& d = map.disk_config(DiskId(id));
      auto store = DiskStore::open(d.path, self_.value, id, d.capacity_bytes);
      if (!store) return store.status();
      (*store)->set_write_guard(
          [this](std::string_view path, const DiskStore::CurrentRecord& current, const FileRecord* incoming) {
            return retention_guard(path, current, incoming);
          });
      it = disks_.emplace(id, std::move(store).value()).first;
    }
    serving[id] = it->second.get();
  }
  // Every disk preserves for the map's snapshots before the map runs (and
  // forgets the preserved versions of snapshots it no longer has).
  Status snapshots = Status::ok();
  for (auto& [id, store] : disks_) {
    if (failed_.contains(id)) continue;
    if (Status st = store->set_snapshots(map.config.snapshots); !st.is_ok() && snapshots.is_ok()) snapshots = st;
  }
  peers_->set_local(std::move(serving));
  return snapshots;
}

Node::~Node() { stop(); }

Status Node::start() {
  const auto map = maps_.get();
  const NodeConfig& config = map->node(self_);
  for (auto [endpoint, network] : {std::pair{config.client, Network::kClient},
                                   std::pair{config.storage, Network::kStorage},
                                   std::pair{config.management, Network::kManagement}}) {
    auto listener = Listener::start(endpoint, network_name(network), kConnectionsMax, options_.secret,
                                    options_.frame_deadline,
                                    [this, network = network](Connection& c) { serve(c, network); });
    if (!listener) return listener.status();
    listeners_.push_back(std::move(listener).value());
  }
  peers_->start();
  healer_->start();
  scrubber_->start();
  rebuilder_->start();
  mover_->start();
  watcher_ = std::thread([this] { watch_disks(); });
  log::info() << "serving " << disks_.size() << " disks at map epoch " << map->epoch() << "; client "
              << config.client.to_string() << ", storage " << config.storage.to_string() << ", management "
              << config.management.to_string() << "; " << owed_->size() << " heals pending; authenticated (wire version "
              << int{wire::kWireVersion} << "), frame deadline " << options_.frame_deadline.count() << " ms";
  return Status::ok();
}

void Node::stop() {
  for (auto& l : listeners_) l->stop();
  {
    std::lock_guard lock(watch_mutex_);
    stopping_ = true;
  }
  watch_wake_.notify_all();
  if (watcher_.joinable()) watcher_.join();
  if (mover_) mover_->stop();
  if (rebuilder_) rebuilder_->stop();
  if (scrubber_) scrubber_->stop();
  if (healer_) healer_->stop();
  if (peers_) peers_->stop();
  if (compliance_) {
    if (Status st = compliance_->persist(); !st.is_ok()) log::error() << "compliance clock: " << st.message();
  }
}

Status Node::retention_guard(std::string_view path, const DiskStore::CurrentRecord& current,
                             const FileRecord* incoming) {
  const auto map = maps_.get();
  const auto& policies = map->config.retention;
  if (std::none_of(policies.begin(), policies.end(), [&](const auto& p) { return path.starts_with(p.prefix); }))
    return Status::ok();
  const std::optional<FileRecord> held = current();
  if (!held) return Status::ok();
  const RetainedFile now = retained_view(*held);
  const RetainedFile next = incoming != nullptr ? retained_view(*incoming) : RetainedFile{};
  Status st = retention_verdict(path, now, incoming != nullptr ? &next : nullptr, map->config.retention,
                                compliance_->now_ns());
  if (!st.is_ok()) {
    retention_refusals_.fetch_add(1);
    log::warn() << "refused: " << st.message();
  }
  return st;
}

void Node::watch_disks() {
  while (true) {
    {
      std::unique_lock lock(watch_mutex_);
      if (watch_wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) return;
    }
    if (Status st = compliance_->persist(); !st.is_ok()) log::error() << "compliance clock: " << st.message();
    std::lock_guard lock(disks_mutex_);
    bool changed = false;
    for (const auto& [id, store] : disks_) {
      if (failed_.contains(id) || peers_->local(DiskId(id)) == nullptr) continue;
      if (Status st = store->check_present(); !st.is_ok()) {
        log::error() << "disk " << id << " failed: " << st.message() << "; its groups are degraded";
        failed_.insert(id);
        changed = true;
      }
    }
    if (changed) {
      if (Status st = open_disks(*maps_.get()); !st.is_ok()) log::warn() << st.message();
    }
  }
}

Status Node::install(const wire::InstallMapRequest& request, const std::string* bypass_reason) {
  std::lock_guard lock(disks_mutex_);
  const auto current = maps_.get();
  if (request.epoch < current->epoch()) {
    return Status(StatusCode::kStaleEpoch, "this node runs map epoch " + std::to_string(current->epoch()) +
                                               ", newer than " + std::to_string(request.epoch));
  }
  if (request.epoch == current->epoch()) {
    if (request.cluster_yaml == current->yaml) return Status::ok();
    return refused("map epoch " + std::to_string(request.epoch) + " is already installed with other contents");
  }
  auto next = build_map(request.cluster_yaml, "installed map epoch " + std::to_string(request.epoch));
  if (!next) return next.status();
  if (next->epoch() != request.epoch) return invalid_argument("the map's text says epoch " + std::to_string(next->epoch()));
  if (next->config.name != current->config.name)
    return refused("the map is of cluster " + next->config.name + ", this node is in " + current->config.name);
  if (self_.value >= next->config.nodes.size()) return refused("the map has no node " + std::to_string(self_.value));
  const NodeConfig& was = current->node(self_);
  const NodeConfig& now = next->node(self_);
  if (!(was.client == now.client) || !(was.storage == now.storage) || !(was.management == now.management) ||
      was.state_dir != now.state_dir)
    return refused("the map changes this node's addresses or state directory; restart it instead");
  std::vector<std::string> weakened;
  if (Status st = policy_change_verdict(current->config.retention, next->config.retention,
                                        bypass_reason != nullptr, &weakened);
      !st.is_ok()) {
    log::warn() << "refused map epoch " << request.epoch << ": " << st.message();
    return st;
  }
  for (const std::string& w : weakened) {
    const std::string line = utc_time_string(compliance_->now_ns()) + " map epoch " + std::to_string(request.epoch) +
                             ": governance retention bypassed: " + w + " (" + *bypass_reason + ")";
    log::warn() << line;
    if (Status st = append_audit(now.state_dir + "/retention-audit.log", line); !st.is_ok()) return st;
  }
  if (Status st = posix::replace_file_durably(persisted_map_file(now), request.cluster_yaml); !st.is_ok()) return st;
  auto installed = std::make_shared<const ClusterMap>(std::move(next).value());
  // The disks first, then the map: a worker that sees the new epoch must
  // find the disks it names served here (a rebuilder that looked before
  // would find no target of its own and call the epoch's rebuild done).
  const Status opened = open_disks(*installed);
  maps_.set(installed);
  if (!opened.is_ok()) {
    log::error() << "map epoch " << installed->epoch() << " installed, but a disk did not open: " << opened.message();
    return opened;
  }
  log::info() << "installed map epoch " << installed->epoch() << " (was " << current->epoch() << ")"
              << (installed->previous ? "; data moves from epoch " + std::to_string(installed->previous_epoch) : "")
              << (installed->heals.empty() ? "" : "; " + std::to_string(installed->heals.size()) + " groups rebuild");
  healer_->rescan();
  rebuilder_->wake();
  mover_->wake();
  return Status::ok();
}

void Node::serve(Connection& connection, Network network) {
  while (true) {
    auto frame = connection.receive(kIdleTimeout, wire::kPayloadBytesMax, options_.frame_deadline);
    if (!frame) {
      // A peer closing between requests is normal; anything else is logged.
      if (frame.status().code() != StatusCode::kUnavailable) {
        log::warn() << "closing " << connection.peer() << " (" << network_name(network)
                    << "): " << frame.status().message();
      }
      return;
    }
    auto reply = handle(*frame, network);
    Status sent;
    if (reply) {
      sent = connection.send(reply->type, frame->request_id, reply->payload, kIdleTimeout);
    } else {
      wire::ErrorReply error{reply.status().code(), reply.status().message(), maps_.get()->epoch()};
      if (error.message.size() > wire::kMessageBytesMax) error.message.resize(wire::kMessageBytesMax);
      sent = connection.send(wire::MsgType::kError, frame->request_id, error.encode(), kIdleTimeout);
    }
    if (!sent.is_ok()) return;
  }
}

void Node::catch_up() {
  std::lock_guard serial(catch_up_mutex_);
  const auto map = maps_.get();
  std::optional<wire::MapReply> newest;
  const auto payload = wire::MapRequest{map->epoch()}.encode();
  for (const NodeConfig& n : map->config.nodes) {
    if (n.id == self_.value || n.retired || !peers_->is_live(NodeId(n.id))) continue;
    auto reply = peers_->pool().call(n.management, wire::MsgType::kMapRequest, payload, Millis(map->config.peer_timeout_ms));
    if (!reply) continue;
    auto decoded = wire::MapReply::decode(reply->payload);
    if (decoded && decoded->epoch > (newest ? newest->epoch : map->epoch())) newest = std::move(decoded).value();
  }
  if (!newest) return;
  const std::string reason = "caught up with the map the cluster's other nodes run";
  if (Status st = install(wire::InstallMapRequest{newest->epoch, newest->cluster_yaml}, &reason); !st.is_ok()) {
    log::warn() << "cannot catch up with map epoch " << newest->epoch << ": " << st.message();
  }
}

Status Node::check_epoch(uint64_t epoch) {
  if (epoch > maps_.get()->epoch()) catch_up();
  const uint64_t mine = maps_.get()->epoch();
  if (epoch == mine) return Status::ok();
  if (epoch < mine) {
    return Status(StatusCode::kStaleEpoch, "cluster map epoch " + std::to_string(epoch) +
                                               " is older than this node's " + std::to_string(mine) +
                                               "; refresh it");
  }
  return unavailable("this node runs cluster map epoch " + std::to_string(mine) + ", older than the request's " +
                     std::to_string(epoch) + "; the new map is being installed");
}

Result<DiskStore*> Node::disk(uint32_t disk_id) const {
  if (DiskStore* store = peers_->local(DiskId(disk_id))) return store;
  {
    std::lock_guard lock(disks_mutex_);
    if (failed_.contains(disk_id)) {
      return Status(StatusCode::kIoError, "disk " + std::to_string(disk_id) + " of node " +
                                              std::to_string(self_.value) + " has failed");
    }
  }
  return not_found("disk " + std::to_string(disk_id) + " is not on node " + std::to_string(self_.value));
}

Status Node::store(const wire::StoreRequest& request, bool migrate) {
  if (Status st = check_epoch(request.epoch); !st.is_ok()) return st;
  auto store = disk(request.disk);
  if (!store) return store.status();
  if (!migrate) return (*store)->put(request.path, request.record, request.payload);
  bool stored = false;
  return (*store)->put_unless_newer(request.path, request.record, request.payload, &stored);
}

Result<Node::Reply> Node::handle(const wire::Frame& frame, Network network) {
  using T = wire::MsgType;
  if (!allowed(frame.type, network)) {
    return refused(std::string(wire::to_string(frame.type)) + " is not served on the " +
                   network_name(network) + " network");
  }
  switch (frame.type) {
    case T::kPing: return Reply{T::kPong, {}};
    case T::kMapRequest: {
      const auto map = maps_.get();
      return Reply{T::kMapReply, wire::MapReply{map->epoch(), map->yaml}.encode()};
    }
    case T::kInstallMap: {
      auto request = decode<wire::InstallMapRequest>(frame);
      if (!request) return request.status();
      if (Status st = install(*request); !st.is_ok()) return st;
      return Reply{T::kOk, {}};
    }
    case T::kBypassGovernance: {
      auto request = decode<wire::BypassGovernanceRequest>(frame);
      if (!request) return request.status();
      if (request->reason.empty()) return invalid_argument("a governance bypass must give a reason");
      if (Status st = install(wire::InstallMapRequest{request->epoch, request->cluster_yaml}, &request->reason);
          !st.is_ok())
        return st;
      return Reply{T::kOk, {}};
    }
    case T::kStatus: return Reply{T::kStatusReply, wire::StatusReply{status_json()}.encode()};
    case T::kScrub: {
      auto request = decode<wire::ScrubRequest>(frame);
      if (!request) return request.status();
      return Reply{T::kScrubReply, wire::ScrubReply{scrubber_->request_pass(request->unpaced)}.encode()};
    }
    case T::kPut: {
      auto request = decode<wire::PutRequest>(frame);
      if (!request) return request.status();
      if (Status st = check_epoch(request->epoch); !st.is_ok()) return st;
      auto reply = coordinator_->put(*request);
      if (!reply) return reply.status();
      return Reply{T::kPutReply, reply->encode()};
    }
    case T::kDelete: {
      auto request = decode<wire::DeleteRequest>(frame);
      if (!request) return request.status();
      if (Status st = check_epoch(request->epoch); !st.is_ok()) return st;
      auto reply = coordinator_->remove(*request);
      if (!reply) return reply.status();
      return Reply{T::kPutReply, reply->encode()};
    }
    case T::kStore:
    case T::kMigrate: {
      auto request = decode<wire::StoreRequest>(frame);
      if (!request) return request.status();
      if (Status st = store(*request, frame.type == T::kMigrate); !st.is_ok()) return st;
      return Reply{T::kOk, {}};
    }
    case T::kRemove: {
      auto request = decode<wire::RemoveRequest>(frame);
      if (!request) return request.status();
      if (Status st = check_epoch(request->epoch); !st.is_ok()) return st;
      auto store = disk(request->disk);
      if (!store) return store.status();
      if (Status st = (*store)->remove(request->path); !st.is_ok()) return st;
      return Reply{T::kOk, {}};
    }
    case T::kRead: {
      auto request = decode<wire::ReadRequest>(frame);
      if (!request) return request.status();
      return read(*request);
    }
    case T::kList: {
      auto request = decode<wire::ListRequest>(frame);
      if (!request) return request.status();
      return list(*request);
    }
    case T::kSnapshotRead: {
      auto request = decode<wire::SnapshotReadRequest>(frame);
      if (!request) return request.status();
      return snapshot_read(*request);
    }
    default: break;
  }
  return refused(std::string(wire::to_string(frame.type)) + " is a reply, not a request");
}

Result<Node::Reply> Node::read(const wire::ReadRequest& request) {
  if (Status st = check_epoch(request.epoch); !st.is_ok()) return st;
  auto store = disk(request.disk);
  if (!store) return store.status();
  wire::ReadReply reply;
  if (request.record_only) {
    auto record = (*store)->stat(request.path);
    if (!record) return record.status();
    reply.record = *record;
  } else {
    auto stored = (*store)->read(request.path);
    if (!stored && stored.status().code() == StatusCode::kCorrupt) read_repair(**store, request.path);
    if (!stored) return stored.status();
    reply.record = stored->record;
    reply.payload = std::move(stored->payload);
  }
  return Reply{wire::MsgType::kReadReply, reply.encode()};
}

Result<Node::Reply> Node::snapshot_read(const wire::SnapshotReadRequest& request) {
  if (Status st = check_epoch(request.epoch); !st.is_ok()) return st;
  const auto map = maps_.get();
  const auto& snapshots = map->config.snapshots;
  auto it = std::find_if(snapshots.begin(), snapshots.end(), [&](const Snapshot& s) { return s.name == request.snapshot; });
  if (it == snapshots.end()) return invalid_argument("no snapshot is named " + request.snapshot);
  auto store = disk(request.disk);
  if (!store) return store.status();
  auto stored = (*store)->read_snapshot(*it, request.path, request.record_only);
  if (!stored) return stored.status();
  return Reply{wire::MsgType::kReadReply, wire::ReadReply{stored->record, std::move(stored->payload)}.encode()};
}

Result<Node::Reply> Node::list(const wire::ListRequest& request) {
  if (Status st = check_epoch(request.epoch); !st.is_ok()) return st;
  wire::ListReply reply;
  const auto map = maps_.get();
  std::vector<DiskStore*> serving;
  for (DiskId d : map->topology.node(self_).disks)
    if (DiskStore* store = peers_->local(d)) serving.push_back(store);
  for (DiskStore* store : serving) {
    auto listing = store->list(request.prefix, wire::kListEntriesMax);
    if (!listing) return listing.status();
    reply.truncated = reply.truncated || listing->truncated;
    for (auto& e : listing->entries) {
      // Group membership follows the layout (a record keeps the group it
      // was written in; a rebalance may have moved its slot since).
      if (request.only_group && map->pool.lookup(e.path).value != request.group) continue;
      if (reply.entries.size() == wire::kListEntriesMax) {
        reply.truncated = true;
        break;
      }
      reply.entries.push_back({std::move(e.path), store->disk(), e.record});
    }
  }
  std::sort(reply.entries.begin(), reply.entries.end(), [](const auto& a, const auto& b) {
    return a.path != b.path ? a.path < b.path : a.disk < b.disk;
  });
  return Reply{wire::MsgType::kListReply, reply.encode()};
}

// A read met a copy that fails its checks: the reader is served from another
// member; this node drops the bad copy and repairs it at once (the engine's
// scrub rule for a corrupt payload).
void Node::read_repair(DiskStore& store, std::string_view path) {
  const ScrubAction action = scrub_action(ScrubFinding::kPayloadCorrupt);
  bool dropped = false;
  if (Status st = store.drop_if_corrupt(path, &dropped); !st.is_ok()) {
    log::warn() << "read of " << path << " met a bad copy that cannot be dropped: " << st.message();
    return;
  }
  if (!dropped) return;
  read_repairs_.fetch_add(1);
  log::warn() << "read of " << path << " on disk " << store.disk() << " met a bad copy; dropped, repairing";
  if (action.repair) healer_->queue(path);
}

std::string Node::status_json() const {
  const auto map = maps_.get();
  nlohmann::json j;
  j["node"] = self_.value;
  j["epoch"] = map->epoch();
  j["uptime_s"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  j["heals_pending"] = owed_->size();
  const Healer::Counters c = healer_->counters();
  j["scan_groups_left"] = c.groups_to_scan;
  j["repaired_parts"] = c.repaired_parts;
  j["unreadable"] = c.unreadable;
  j["read_repairs"] = read_repairs_.load();
  j["compliance_time_ns"] = compliance_->now_ns();
  j["retention_refusals"] = retention_refusals_.load();
  const Scrubber::Report r = scrubber_->report();
  j["scrub"] = {{"passes_completed", r.passes_completed},
                {"running", r.running},
                {"last_started_unix_s", static_cast<double>(r.last_started_unix_ns) / 1e9},
                {"last_ended_unix_s", static_cast<double>(r.last_ended_unix_ns) / 1e9},
                {"files_verified", r.files_verified},
                {"bytes_verified", r.bytes_verified},
                {"groups_compared", r.groups_compared},
                {"payload_corrupt", r.payload_corrupt},
                {"record_corrupt", r.record_corrupt},
                {"members_differ", r.members_differ},
                {"groups_unreachable", r.groups_unreachable},
                {"running_files_verified", r.running_files_verified}};
  j["rebuild"] = rebuilder_->progress().to_json();
  j["rebalance"] = mover_->progress().to_json();
  uint32_t connections = 0;
  for (const auto& l : listeners_) connections += l->connections();
  j["connections"] = connections;
  j["peers_up"] = nlohmann::json::array();
  for (const NodeConfig& n : map->config.nodes) {
    if (!n.retired && peers_->is_live(NodeId(n.id))) j["peers_up"].push_back(n.id);
  }
  j["disks"] = nlohmann::json::array();
  std::lock_guard lock(disks_mutex_);
  // What each snapshot holds on this node's disks (the versions they keep).
  j["snapshots"] = nlohmann::json::array();
  uint64_t preserved_files = 0, preserved_bytes = 0;
  for (const Snapshot& s : map->config.snapshots) {
    uint64_t files = 0, bytes = 0;
    for (const auto& [id, store] : disks_) {
      if (failed_.contains(id)) continue;
      const disk_format::PreservedUsage u = store->preserved_usage(s);
      files += u.files;
      bytes += u.bytes;
    }
    preserved_files += files;
    preserved_bytes += bytes;
    j["snapshots"].push_back({{"name", s.name}, {"files", files}, {"bytes", bytes}});
  }
  j["preserved_files"] = preserved_files;
  j["preserved_bytes"] = preserved_bytes;
  for (DiskId d : map->topology.node(self_).disks) {
    const DiskConfig& config = map->disk_config(d);
    auto it = disks_.find(d.value);
    const bool failed = failed_.contains(d.value);
    const bool retired = map->topology.disk(d).retired;
    if (retired && (it == disks_.end() || peers_->local(d) == nullptr)) continue;
    j["disks"].push_back({{"disk", d.value},
                          {"path", config.path},
                          {"state", failed ? "failed" : retired ? "draining" : "ok"},
                          {"used_bytes", it == disks_.end() || failed ? 0 : it->second->used_bytes()},
                          {"capacity_bytes", config.capacity_bytes}});
  }
  return j.dump();
}

}  // namespace cairn
